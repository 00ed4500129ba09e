"""s19 (QA5 "wrong or noisy flags"): one repeated_injury_or_ae flag per unanswered pattern; social care's visit
after a referral about an injury is that injury's record; no injury_not_escalated flag on social care's receipt of
a relative's referral; a receipt whose own outcome plans the response is decided; a police domestic abuse incident
is not answered by another agency's call to MASH about another matter. Each checked on the package and the
row-by-row baseline (benchmarks/baseline_rowwise.py)."""
from __future__ import annotations

from review.rules import detect, load_rules
from review.rules.testing import make_timeline

from _baseline import baseline_pairs, package_pairs

RULES = load_rules()
CSC = {"agency": "Westbridge Children's Social Care", "agency_kind": "social care"}
NURSERY = {"agency": "Little Stars Day Nursery", "agency_kind": "education"}
GP = {"agency": "Riverside Surgery", "agency_kind": "health"}
SCHOOL = {"agency": "Oakfield Primary School", "agency_kind": "education"}


def flags(rows, rule):
    return detect(make_timeline(rows), None, RULES, only=[rule])


def bruise(date, where, agency=NURSERY, **kw):
    return {"date": date, "contact_type": "other", "concerns": "bruising", "child_mobile": True,
            "description": f"Bruise to {where} at drop off.", "action": "Logged on body map. Monitor.", **agency, **kw}


def escalation(date):
    return {"date": date, "contact_type": "strategy_discussion", "escalation": "strategy_discussion",
            "description": "Strategy discussion held.", **CSC}


# --- 1. one flag per unanswered pattern --------------------------------------------------------------------------
def test_later_injuries_with_no_escalation_since_are_one_flag_with_one_count():
    rows = [bruise("2023-03-01", "forehead"), bruise("2023-03-20", "left shin", GP),
            bruise("2023-04-15", "right ear"), bruise("2023-05-30", "back", GP)]
    found = flags(rows, "repeated_injury_or_ae")
    # before: three flags (20 Mar, 15 Apr, 30 May), "2 injuries", "3 injuries", "3 injuries"
    assert found["trigger_event_id"].tolist() == ["C1-e002"]
    flag = found.iloc[0]
    assert flag.explanation.startswith("4 injuries, each within 90 days of one before it (1 Mar 2023 to 30 May 2023")
    assert "2 by 20 Mar 2023, when the pattern was complete" in flag.explanation
    assert "any of the 2 later injuries that continued it (the latest on 30 May 2023)" in flag.explanation
    assert sorted(flag.evidence_event_ids.split("; ")) == ["C1-e001", "C1-e002", "C1-e003", "C1-e004"]
    assert str(flag.expected_by.date()) == "2023-03-22"  # the first trigger's deadline
    assert package_pairs(rows, "repeated_injury_or_ae") == baseline_pairs(rows, "repeated_injury_or_ae") \
        == [("C1-e002", "")]


def test_a_pattern_starts_again_after_an_escalation_answered_the_last_one():
    rows = [bruise("2023-03-01", "forehead"), bruise("2023-03-20", "left shin", GP), escalation("2023-04-01"),
            bruise("2023-04-15", "right ear"), bruise("2023-05-30", "back", GP)]
    found = flags(rows, "repeated_injury_or_ae")
    assert found["trigger_event_id"].tolist() == ["C1-e002", "C1-e004"]
    first, again = found.iloc[0], found.iloc[1]
    assert first.actual_action_event_id == "C1-e003" and first.explanation.startswith("2 injuries within 90 days")
    assert again.explanation.startswith("4 injuries, each within 90 days of one before it (1 Mar 2023 to 30 May 2023")
    assert package_pairs(rows, "repeated_injury_or_ae") == baseline_pairs(rows, "repeated_injury_or_ae") \
        == [("C1-e002", "C1-e003"), ("C1-e004", "")]


def test_a_pattern_whose_window_holds_none_of_the_last_one_is_a_new_one():
    rows = [bruise("2023-01-02", "forehead"), bruise("2023-01-20", "left shin", GP),
            bruise("2023-07-01", "right ear"), bruise("2023-07-10", "back", GP)]
    assert package_pairs(rows, "repeated_injury_or_ae") == baseline_pairs(rows, "repeated_injury_or_ae") \
        == [("C1-e002", ""), ("C1-e004", "")]


# --- 1b. social care's visit after a referral about the injury is its record -------------------------------------
def _school_referral():
    return {"date": "2021-10-04", "contact_type": "other", "concerns": "bruising; inconsistent_explanation",
            "description": "Unexplained marks noted: two linear bruises to upper left arm. Mum said he bangs himself.",
            "action": "Body map completed. Referral to children's social care (MASH) made by DSL.",
            "escalation": "referral_to_csc", **SCHOOL}


def _assessment_visit(date="2021-10-12"):
    return {"date": date, "contact_type": "assessment", "concerns": "bruising; neglect",
            "description": "Assessment home visit. Jordan seen with mother. Mum says bruises self-inflicted.",
            "action": "Continue assessment", **CSC}


def test_social_cares_visit_after_the_schools_referral_is_no_second_injury():
    rows = [_school_referral(), _assessment_visit()]
    # before: "2 injuries within 90 days (4 Oct 2021 to 12 Oct 2021) ... none by any agency"
    assert package_pairs(rows, "repeated_injury_or_ae") == baseline_pairs(rows, "repeated_injury_or_ae") == []


def test_a_visit_after_the_followup_window_counts_again():
    rows = [_school_referral(), _assessment_visit("2021-11-04")]
    assert package_pairs(rows, "repeated_injury_or_ae") == baseline_pairs(rows, "repeated_injury_or_ae") \
        == [("C1-e002", "")]


# --- 2. no injury_not_escalated flag on social care's receipt of a relative's referral ----------------------------
def _grandmother():
    return {"date": "2023-09-12", "contact_type": "phone_call", "concerns": "bruising",
            "description": "Contact from maternal grandmother by phone and email. She sent photos of bruising to the "
                           "left cheek and ear.",
            "action": "Contact accepted as a referral. Announced home visit to be arranged.", **CSC}


def _aunt_visit():
    return {"date": "2023-09-19", "contact_type": "home_visit", "concerns": "bruising",
            "description": "Announced home visit. Mother said the bruises were from a soft play centre.",
            "action": "No concerns identified. Closed - no further action.", **CSC}


def test_social_cares_receipt_of_a_relatives_referral_is_no_trigger_nor_its_visit():
    # before: each flagged, expecting "referral to children's social care" of social care itself
    rows = [_grandmother()]
    assert package_pairs(rows, "injury_not_escalated") == baseline_pairs(rows, "injury_not_escalated") == []
    rows = [_aunt_referral("Referral. Checks with GP and HV: nothing known. Announced home visit."),
            {**_aunt_visit(), "date": "2023-11-06"}]
    assert package_pairs(rows, "injury_not_escalated") == baseline_pairs(rows, "injury_not_escalated") == []
    # the visit after the aunt's referral is its record: one injury, no pattern
    rows.append(bruise("2023-11-20", "upper arms"))
    assert package_pairs(rows, "repeated_injury_or_ae") == baseline_pairs(rows, "repeated_injury_or_ae") \
        == [("C1-e003", "")]


def test_an_injury_social_care_saw_itself_is_still_a_trigger():
    rows = [{**_aunt_visit(), "description": "Home visit. Bruise to the left cheek, mother unsure how."}]
    assert package_pairs(rows, "injury_not_escalated") == baseline_pairs(rows, "injury_not_escalated") \
        == [("C1-e001", "")]


# --- 3. a receipt whose own outcome plans the response is decided ------------------------------------------------
def _aunt_referral(action):
    return {"date": "2023-10-30", "contact_type": "referral", "concerns": "bruising",
            "description": "Referral from maternal aunt with photographs of bruises to both upper arms.",
            "action": action, **CSC}


def test_a_receipt_whose_outcome_arranges_a_home_visit_is_decided_the_same_day():
    rows = [_aunt_referral("Referral - announced home visit arranged for 06/11/2023."), _aunt_visit()]
    assert package_pairs(rows, "referral_no_decision") == baseline_pairs(rows, "referral_no_decision") == []


def test_a_receipt_with_no_decision_is_still_flagged():
    rows = [_aunt_referral("Noted."), {**_aunt_visit(), "date": "2023-11-06"}]
    assert package_pairs(rows, "referral_no_decision") == baseline_pairs(rows, "referral_no_decision") \
        == [("C1-e001", "C1-e002")]


# --- 4. the police's incident is not answered by another agency's call to MASH about another matter ----------------
def _police(date="2023-12-14"):
    return {"date": date, "agency": "Westbridge Police", "agency_kind": "police", "contact_type": "police_callout",
            "concerns": "domestic_abuse",
            "description": "Officers attended. Mother with a cut lip, says partner headbutted her. Child present.",
            "action": "DASH completed: medium risk. No further action by victim."}


def test_the_nurserys_advice_call_about_a_bruise_is_no_notification_of_the_incident():
    nursery = {"date": "2023-12-18", "contact_type": "other", "concerns": "bruising",
               "description": "Returned with a fading black eye.", "action": "DSL rang MASH for advice.",
               "informed_agencies": "Children's social care", **NURSERY}
    rows = [_police(), nursery]
    found = flags(rows, "domestic_abuse_not_escalated")
    assert found["actual_action_event_id"].fillna("").tolist() == [""]
    assert package_pairs(rows, "domestic_abuse_not_escalated") \
        == baseline_pairs(rows, "domestic_abuse_not_escalated") == [("C1-e001", "")]


def test_the_polices_own_notification_and_another_agencys_about_the_abuse_still_answer():
    police_ppn = {**_police("2023-12-20"), "concerns": "", "description": "Follow-up.",
                  "action": "Result passed to MASH.", "informed_agencies": "Children's social care"}
    rows = [_police(), police_ppn]
    assert package_pairs(rows, "domestic_abuse_not_escalated") \
        == baseline_pairs(rows, "domestic_abuse_not_escalated") == [("C1-e001", "C1-e002")]
    school = {"date": "2023-12-20", "contact_type": "other", "concerns": "domestic_abuse",
              "description": "Child said mummy's boyfriend hit mummy.", "action": "DSL shared with MASH.",
              "informed_agencies": "Children's social care", **SCHOOL}
    rows = [_police(), school]
    assert package_pairs(rows, "domestic_abuse_not_escalated") \
        == baseline_pairs(rows, "domestic_abuse_not_escalated") == [("C1-e001", "C1-e002")]
