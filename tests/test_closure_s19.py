"""closure_with_open_concerns (QA5, s19): the closing row, the closing event's own concerns, health services.

1. A row that closes the case is not an assessment of the concerns it closes on (QA5 J1, the Jordan case):
   "Child and Family assessment completed ... Closed - step down to early help", typed assessment, counted as
   the assessment of the GP's, paediatrics' and school nursing's missed appointments and weight loss recorded
   before it, and the closure was never flagged. A closing row still assesses them when it records a
   multi-agency strategy discussion or conference held (`assessed_at_closure`), and a row's own concerns are
   assessed by its own assessment.
2. The closing event's own concerns were dropped (QA5 "#26", the Amara case): a referral closed the day it came
   in ("Fourth referral, from maternal aunt: burn ... | NFA") named only another agency's concern. Now a closing
   event recording the referral it closes (`closing_referral_types`, social care's receipts) counts its own
   concerns; another closing row's words ("Case closed: bruising explained") are not new concerns.
3. A health service holding a case (school nursing, health visiting, CAMHS) closing it (QA5 J6: "Case closed"
   of school nursing) is a closure too, with its own expected action; a GP's "Noted. NFA." and a health
   visitor's "No further action" on a notification are not.

Each check runs the row-by-row baseline (benchmarks/baseline_rowwise.py) too.
"""
from __future__ import annotations

import copy

import pytest

from _baseline import RULES, baseline_flags, package_pairs
from review.rules import detect
from review.rules.testing import make_timeline

CSC = {"agency": "Children's Social Care", "agency_kind": "social care"}
GP = {"agency": "Brookside Surgery", "agency_kind": "health"}
PAEDS = {"agency": "Riverside Community Paediatrics", "agency_kind": "health"}
SCHOOL_NURSING = {"agency": "School Nursing Service", "agency_kind": "health"}
HV = {"agency": "Westbridge Health Visiting Service", "agency_kind": "health"}
POLICE = {"agency": "Police", "agency_kind": "police"}
RULE = "closure_with_open_concerns"


def both(rows, rules=None):
    """The package's (trigger, action) pairs of the rule, checked equal to the baseline's."""
    rules = RULES if rules is None else rules
    flags = detect(make_timeline(rows), None, rules, only=[RULE])
    package = [] if flags.empty else sorted(zip(flags["trigger_event_id"], flags["actual_action_event_id"].fillna("")))
    baseline = sorted((f["trigger_event_id"], f["actual_action_event_id"] or "") for f in baseline_flags(rows, rules)
                      if f["rule_id"] == RULE)
    assert package == baseline, (package, baseline)
    return package


def flags_of(rows, rules=None):
    # (s21) a child born before the fixtures' 2021-2022 records: before the birth a missed appointment is the
    # mother's antenatal one ("a missed antenatal appointment", tests/test_prebirth_s21.py)
    return detect(make_timeline(rows, dob="2020-01-01"), None, RULES if rules is None else rules, only=[RULE])


def wnb(date, **agency):
    return {"date": date, "contact_type": "was_not_brought", "description": "Did not attend weight review.",
            "concerns": "was_not_brought", **(agency or GP)}


def weight_loss(date):
    return {"date": date, "contact_type": "clinic_appointment", "concerns": "neglect; weight_loss",
            "description": "Weight check in school: 22.1kg, drop from 26.4kg. Said he is hungry.", **SCHOOL_NURSING}


def assessment_closing(date, **kw):
    return {"date": date, "contact_type": "assessment", **CSC,
            "description": "Child and Family assessment completed. No evidence of significant harm.",
            "action": "Closed - step down to early help", **kw}


# --- 1. the closing row assesses nothing but its own concerns -----------------------------------------------
def test_an_assessment_that_closes_the_case_does_not_assess_the_concerns_it_closes_on():
    rows = [{"date": "2021-10-12", "contact_type": "assessment", "description": "Assessment home visit.", **CSC},
            wnb("2021-10-25"), weight_loss("2021-11-11"), wnb("2021-11-23", **PAEDS), assessment_closing("2021-11-24")]
    # was: no flag (the closing row, typed assessment, assessed its own open concerns)
    assert both(rows) == [("C1-e005", "")]
    explanation = flags_of(rows).iloc[0].explanation
    assert "a missed appointment (child not brought)" in explanation and "weight loss" in explanation
    assert "(3 records) with no assessment since" in explanation
    # an assessment held before the closure (another row, the same day) still assessed them
    rows.insert(4, {"date": "2021-11-24", "contact_type": "strategy_discussion", **CSC,
                    "description": "Strategy discussion held with health and school."})
    assert both(rows) == []


def test_a_closing_strategy_discussion_or_conference_held_assesses_the_concerns():
    police = {"date": "2023-09-05", "contact_type": "police_callout", "concerns": "domestic_abuse",
              "description": "Domestic incident, child present.", **POLICE}
    for contact_type, text in [("strategy_discussion", "Strategy discussion held with police and health. "
                                                       "Threshold for s47 not met."),
                               ("cp_conference", "Initial child protection conference: no plan.")]:
        closing = {"date": "2023-09-08", "contact_type": contact_type, "description": text, "action": "NFA", **CSC}
        assert both([police, closing]) == []
        # the strict reading (no closing row assesses): flagged
        strict = copy.deepcopy(RULES)
        strict["rules"][RULE]["params"]["assessed_at_closure"] = []
        assert both([police, closing], strict) == [("C1-e002", "")]
    # a closing strategy discussion that did not take place assessed nothing
    closing = {"date": "2023-09-08", "contact_type": "strategy_discussion", "description": "Strategy discussion not held.",
               "action": "NFA", **CSC}
    assert both([police, closing]) == [("C1-e002", "")]


def test_an_earlier_closure_assessed_its_own_concerns_for_a_later_closure():
    rows = [{"date": "2023-09-01", "contact_type": "referral", "concerns": "bruising", "escalation": "strategy_discussion",
             "description": "Referral from school: bruise to arm. Strategy discussion held.", "action": "NFA", **CSC},
            {"date": "2023-09-20", "contact_type": "case_closure", "description": "Case closed.", **CSC}]
    assert both(rows) == []
    # without its strategy discussion, both closures closed on the bruise unassessed
    rows[0] = {**rows[0], "escalation": "", "description": "Referral from school: bruise to arm."}
    assert both(rows) == [("C1-e001", ""), ("C1-e002", "")]


# --- 2. the closing event's own concerns ------------------------------------------------------------------------
def fourth_referral(date, **kw):
    return {"date": date, "contact_type": "referral", "concerns": "bruising; burn", **CSC,
            "description": "Fourth referral, from maternal aunt: says Amara had a burn mark on her hand and bruising "
                           "on her legs last weekend; photos sent.",
            "action": "Concerns previously assessed; mother's explanation plausible. Family known. NFA.", **kw}


def test_a_referral_closed_the_day_it_came_in_names_its_own_concerns():
    hv = {"date": "2020-02-20", "contact_type": "phone_call", "concerns": "child_not_seen", **HV,
          "description": "Mother declined visit. Amara not seen.", "action": "Universal service."}
    rows = [hv, fourth_referral("2020-02-25")]
    assert both(rows) == [("C1-e002", "")]
    explanation = flags_of(rows).iloc[0].explanation
    # was: "although child not seen had been recorded by Westbridge Health Visiting Service ... (1 record)"
    assert "although bruising, burn, child not seen had been recorded by Children's Social Care; Westbridge Health " \
           "Visiting Service in the previous 30 days (2 records)" in explanation
    # alone, the referral closed on receipt is flagged for its own concerns (was: no flag)
    assert both(rows[1:]) == [("C1-e001", "")]


def test_a_referral_closed_with_its_own_assessment_is_not_flagged():
    rows = [{**fourth_referral("2020-02-25"), "escalation": "strategy_discussion",
             "action": "Strategy discussion held with police and health: explanation accepted. NFA."}]
    assert both(rows) == []


def test_a_referral_decision_or_receipt_closed_on_receipt_counts_its_own_concerns():
    decision = {"date": "2023-05-02", "contact_type": "referral_decision", "concerns": "domestic_abuse", **CSC,
                "description": "MASH decision on police notification of domestic abuse, child present.", "action": "NFA"}
    assert both([decision]) == [("C1-e001", "")]
    receipt = {"date": "2023-05-02", "contact_type": "letter", "concerns": "domestic_abuse", **CSC,
               "description": "Notification received from police of a domestic incident, child present.",
               "action": "No further action."}
    assert both([receipt]) == [("C1-e001", "")]


@pytest.mark.parametrize("closing", [
    {"contact_type": "case_closure", "description": "Case closed following assessment of the bruising; explanation "
                                                    "accepted."},
    {"contact_type": "home_visit", "description": "Home visit: bruise to arm fading, explanation plausible.",
     "action": "Case closed - NFA."},
    {"contact_type": "assessment", "description": "Single assessment completed: bruising explained.",
     "action": "Case closed."},
])
def test_another_closing_rows_own_concerns_are_its_account_not_new_concerns(closing):
    rows = [{"date": "2023-09-10", "concerns": "bruising", **closing, **CSC}]
    assert both(rows) == []
    # the concern recorded before it (by a nursery) and not assessed is still open
    nursery = {"date": "2023-09-01", "contact_type": "other", "concerns": "bruising", "agency": "Little Stars Nursery",
               "agency_kind": "education", "description": "Bruise to forehead at drop off."}
    assert both([nursery, *rows]) == [("C1-e002", "")]


# --- 3. a health service closing its case ------------------------------------------------------------------------
def school_nursing_closed(date, action="Case closed", **kw):
    return {"date": date, "contact_type": "other", **SCHOOL_NURSING,
            "description": "Informed Jordan now EHE. No longer on school nursing caseload.", "action": action, **kw}


def test_a_school_nursing_closure_with_concerns_open_is_flagged_with_a_health_services_action():
    rows = [wnb("2022-01-14", **PAEDS), school_nursing_closed("2022-02-03")]
    # was: no flag (closures were read from social care's rows only)
    assert both(rows) == [("C1-e002", "")]
    flag = flags_of(rows).iloc[0]
    assert flag.explanation.startswith("School Nursing Service closed its case on 3 Feb 2022")
    assert "named / designated safeguarding lead" in flag.expected_action
    assert "children's social care" in flag.expected_action
    # social care's closure keeps its wording and action
    csc = flags_of([wnb("2022-01-14", **PAEDS), {"date": "2022-02-03", "contact_type": "case_closure",
                                                 "description": "Case closed.", **CSC}]).iloc[0]
    assert "closed the case / stepped down on" in csc.explanation
    assert csc.expected_action == "case kept open (or concerns assessed) before closure / step-down"


@pytest.mark.parametrize("action", ["Discharged from caseload", "Case closed to health visiting", "Episode closed"])
def test_other_health_services_closing_their_case(action):
    rows = [wnb("2023-03-01", **PAEDS), {"date": "2023-03-20", "contact_type": "phone_call", "agency": "Eastborough CAMHS",
                                         "agency_kind": "health", "description": "Mother rang.", "action": action},
            {"date": "2023-03-21", "contact_type": "phone_call", "description": "Mother rang.", "action": action, **HV}]
    assert both(rows) == [("C1-e002", ""), ("C1-e003", "")]


@pytest.mark.parametrize("row", [
    # a GP files a letter: it holds no caseload
    {"contact_type": "letter", "description": "Letter from CSC re referral.", "action": "Noted. NFA. Case closed.", **GP},
    # a health visitor's "No further action" on a notification: a decision on it, no closure of the child's case
    {"contact_type": "phone_call", "description": "ED notification received of burn. Rang mother.",
     "action": "No further action.", **HV},
    # not closed
    {"contact_type": "other", "description": "Review.", "action": "Case closure deferred", **SCHOOL_NURSING},
    {"contact_type": "other", "description": "Review.", "action": "Case not closed: remains on caseload", **SCHOOL_NURSING},
    # the closure in the description is not the service's outcome
    {"contact_type": "other", "description": "Mother asked why the case was closed.", "action": "Advice given",
     **SCHOOL_NURSING},
])
def test_no_health_service_closure(row):
    assert both([wnb("2023-03-01", **PAEDS), {"date": "2023-03-20", **row}]) == []


def test_health_service_closures_can_be_switched_off():
    rules = copy.deepcopy(RULES)
    rules["rules"][RULE]["params"]["service_closure_agencies"] = []
    assert both([wnb("2022-01-14", **PAEDS), school_nursing_closed("2022-02-03")], rules) == []


def test_package_pairs_helper_agrees():
    """The shared helper reads the same flags (the rule registered under its id)."""
    rows = [wnb("2022-01-14", **PAEDS), school_nursing_closed("2022-02-03")]
    assert package_pairs(rows, RULE) == [("C1-e002", "")]
