"""Fifteenth session: rule self_harm_not_referred (NICE NG225: a child who self-harms is assessed by CAMHS /
has a psychosocial assessment, at hospital while there; Working Together 2023: repeated self-harm calls for a
referral to children's social care or early help), in the package and the row-by-row baseline alike."""
from types import SimpleNamespace

import pandas as pd
import pytest

from review.decisions import apply_decisions, load_decisions, record_decision
from review.rules import RULE_IDS, detect, load_rules, package_rules
from review.rules.testing import make_timeline

from _baseline import baseline_flags

RULE = "self_harm_not_referred"


def _rules():
    """The package rules with no minimum age: the baseline's case C1 is born in 2023, so most rows below are
    an infant's (the minimum age, 8 by default, is tested in test_whose_self_harm_s15b.py)."""
    rules = load_rules()
    rules["rules"]["self_harm_not_referred"]["params"]["min_age_years"] = None
    return rules


RULES = _rules()
ED = {"agency": "Eastborough ED", "agency_kind": "health", "contact_type": "ae_attendance"}
GP = {"agency": "Riverside GP", "agency_kind": "health", "contact_type": "clinic_appointment"}
CSC = {"agency": "Children's Social Care", "agency_kind": "social care", "contact_type": "referral_decision"}
DOB = "2023-01-01"  # the baseline's case C1: the rows below are dated for a teenager by shifting the dob back


def row(date, where, description, action="", concerns="self_harm", **kw):
    return {"date": date, **where, "concerns": concerns, "description": description, "action": action, **kw}


def flags_of(rows, rules=RULES, case=None, dob=DOB):
    flags = detect(make_timeline(rows, dob=dob), case, rules, only=[RULE])
    return flags.reset_index(drop=True)


def base(rows):
    return sorted((f["trigger_event_id"], f["variant"], f["severity"], f["actual_action_event_id"] or "")
                  for f in baseline_flags(rows, RULES) if f["rule_id"] == RULE)


def test_the_rule_is_registered_with_its_guidance():
    assert RULE in RULE_IDS and RULE in package_rules()["rules"]
    spec = RULES["rules"][RULE]
    assert "NG225" in spec["source"] and "Working Together" in spec["source"]
    assert spec["failing_category"] == "procedure"


def test_ed_presentation_with_no_camhs_is_a_high_flag_package_and_baseline():
    rows = [row("2023-03-01", ED, "Superficial cuts to forearms, self-inflicted.", "Discharged home."),
            row("2023-04-10", GP, "Review of mood.", "Referred to CAMHS.", concerns="")]
    flags = flags_of(rows)
    assert len(flags) == 1
    flag = flags.iloc[0]
    assert flag.severity == "high" and flag.expected_by == pd.Timestamp("2023-03-02")
    assert flag.actual_action_event_id == "C1-e002" and flag.delay_days == 39
    assert flag.explanation == (
        "Eastborough ED recorded a self-harm presentation to hospital on 1 Mar 2023 and no referral to CAMHS nor a "
        "psychosocial or mental health assessment is recorded within 1 day (by 2 Mar 2023); the next such record by "
        "any agency came on 10 Apr 2023, 39 calendar days late.")
    assert flag.evidence_event_ids == "C1-e001"
    assert base(rows) == [("C1-e001", "mental_health", "high", "C1-e002")]


@pytest.mark.parametrize("rows", [
    # the trigger row itself records the assessment
    [row("2023-03-01", ED, "Overdose of paracetamol.", "Seen by CAMHS liaison in ED, psychosocial assessment done.")],
    # the next day after a presentation (presentation_within_days: 1)
    [row("2023-03-01", ED, "Overdose of paracetamol.", "Admitted overnight."),
     row("2023-03-02", {**ED, "contact_type": "other"}, "Mental health assessment completed by liaison psychiatry.",
         concerns="")],
    # a GP record (no presentation): a CAMHS referral within 7 days
    [row("2023-03-01", GP, "Disclosed cutting herself.", "Advice given."),
     row("2023-03-08", GP, "Follow up.", "Referral to CAMHS sent.", concerns="")],
])
def test_a_timely_mental_health_response_answers_it(rows):
    assert flags_of(rows).empty and base(rows) == []


@pytest.mark.parametrize("action", [
    "Advised to self-refer to CAMHS.",     # signposting is no referral
    "Consider CAMHS referral.",            # only weighed
    "CAMHS referral declined.",            # not made
    "Not known to CAMHS.",                 # negated
])
def test_signposting_planning_or_a_negated_referral_is_no_response(action):
    rows = [row("2023-03-01", GP, "Disclosed cutting herself.", action)]
    flags = flags_of(rows)
    assert list(flags["severity"]) == ["medium"] and flags.iloc[0].expected_by == pd.Timestamp("2023-03-08")
    assert base(rows) == [("C1-e001", "mental_health", "medium", "")]


def test_repeated_self_harm_needs_a_referral_to_social_care_or_early_help():
    rows = [row("2023-03-01", GP, "Disclosed cutting herself.", "Referred to CAMHS."),
            row("2023-04-20", GP, "Took an overdose last night.", "Referral to CAMHS re-sent.")]
    flags = flags_of(rows)
    assert len(flags) == 1
    flag = flags.iloc[0]
    assert flag.trigger_event_id == "C1-e002" and flag.severity == "high"
    assert flag.expected_action == "a referral to children's social care or early help (repeated self-harm)"
    assert flag.explanation.startswith("Riverside GP recorded repeated self-harm (2 or more episodes within 90 days) "
                                       "on 20 Apr 2023 and no referral to children's social care or early help")
    assert base(rows) == [("C1-e002", "repeated", "high", "")]
    # an early help referral, or a referral to children's social care, answers it
    for answer in (row("2023-04-21", GP, "Early help referral completed.", concerns=""),
                   row("2023-04-22", CSC, "Referral received, decision: single assessment.", concerns="")):
        assert flags_of(rows + [answer]).empty and base(rows + [answer]) == []
    # more than 90 days apart: each a single episode
    apart = [rows[0], {**rows[1], "date": "2023-07-01"}]
    assert flags_of(apart).empty and base(apart) == []


def test_both_expectations_missed_are_two_flags_with_their_own_ids():
    rows = [row("2023-03-01", GP, "Disclosed cutting herself.", "Referred to CAMHS."),
            row("2023-04-20", ED, "Ligature incident.", "Discharged.")]
    flags = flags_of(rows)
    assert sorted(flags["expected_action"]) == [
        "a referral to CAMHS or a psychosocial (mental health) assessment",
        "a referral to children's social care or early help (repeated self-harm)"]
    assert flags["flag_id"].nunique() == 2 and set(flags["trigger_event_id"]) == {"C1-e002"}
    assert base(rows) == [("C1-e002", "mental_health", "high", ""), ("C1-e002", "repeated", "high", "")]
    assert sorted(f["flag_id"] for f in baseline_flags(rows, RULES) if f["rule_id"] == RULE) == sorted(flags["flag_id"])


def test_an_adult_of_18_is_not_a_child():
    rows = [row("2041-03-01", ED, "Overdose.", "Discharged.")]
    assert flags_of(rows, dob="2023-01-01").empty  # 18 years and 2 months
    assert len(flags_of(rows, dob="2023-06-01")) == 1  # 17 years


def test_the_childs_death_bounds_the_flag_and_its_late_response():
    rows = [row("2023-03-01", GP, "Disclosed cutting herself.", "Advice given."),
            row("2023-03-20", GP, "Review.", "Referred to CAMHS.", concerns="")]
    case = SimpleNamespace(case_id="C1", date_of_birth=pd.Timestamp(DOB).date(), date_of_death=pd.Timestamp("2023-03-15").date(),
                           review_date=None, mobile_from=None)
    flags = flags_of(rows, case=case)
    assert len(flags) == 1 and flags["actual_action_event_id"].fillna("").iloc[0] == ""
    assert "none is recorded before the child's death on 15 Mar 2023" in flags.iloc[0].explanation
    died_first = SimpleNamespace(**{**vars(case), "date_of_death": pd.Timestamp("2023-03-05").date()})
    assert flags_of(rows, case=died_first).empty  # its deadline (8 Mar) falls after the death


def test_thresholds_come_from_the_rules_config():
    rules = _rules()
    rules["rules"][RULE]["params"]["within_days"] = 14
    rows = [row("2023-03-01", GP, "Disclosed cutting herself.", "Advice given."),
            row("2023-03-12", GP, "Review.", "Referred to CAMHS.", concerns="")]
    assert len(flags_of(rows)) == 1 and flags_of(rows, rules).empty
    rules["rules"][RULE]["enabled"] = False
    assert detect(make_timeline(rows), None, rules).query("rule_id == @RULE").empty


def test_a_reviewers_decision_applies_to_its_flag(tmp_path):
    rows = [row("2023-03-01", ED, "Overdose.", "Discharged.")]
    flags = detect(make_timeline(rows), None, RULES)
    flag = flags[flags["rule_id"] == RULE].iloc[0]
    record_decision(tmp_path, flag.flag_id, "accepted", "No CAMHS assessment before discharge", "AB",
                    date="2024-05-01", rule_id=RULE, trigger_event_id=flag.trigger_event_id)
    decisions, problems = load_decisions(tmp_path, flags)
    decided = apply_decisions(flags, decisions)
    assert decided.set_index("flag_id").loc[flag.flag_id, "decision"] == "accepted"
    assert problems.empty
