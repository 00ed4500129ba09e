"""Sixteenth session: referral_no_decision reads social care's record of RECEIVING a referral or notification
("Police notification of DA incident", "Referral from Hillcrest Academy re CSE": `base.referral_receipts`) as a
referral received, due a decision within one working day of its own day (Working Together 2023, ch. 2:
"within one working day of a referral being received"), variant receipt. The receipt of a referral already
a trigger (made shortly before it, not yet decided) raises no second flag."""
import pytest

from review.rules import detect, load_rules, merge_rules
from review.rules.testing import make_timeline

from _baseline import baseline_flags

RULES = load_rules()
CSC = {"agency": "Eastborough Children's Social Care", "agency_kind": "social care"}
POLICE = {"agency": "Riverside Police", "agency_kind": "police"}


def notification(date="2023-05-10"):  # a Wednesday
    return {"date": date, "contact_type": "letter", "concerns": "domestic_abuse",
            "description": "Police notification of DA incident 09/05, partner arrested.", **CSC}


def decision(date, text="MASH decision: threshold met for single assessment."):
    return {"date": date, "contact_type": "referral_decision", "description": text, **CSC}


def police_referral(date="2023-05-09"):
    return {"date": date, "contact_type": "police_callout", "concerns": "domestic_abuse", **POLICE,
            "description": "DA incident at the home, partner arrested.", "action": "PPN submitted to MASH",
            "escalation": "referral_to_csc"}


def end(date="2023-09-01"):
    return {"date": date, "contact_type": "home_visit", "description": "Child seen.", **CSC}


def _flags(rows, rules=RULES):
    return detect(make_timeline(rows, dob="2022-01-01"), None, rules, only=["referral_no_decision"])


def _baseline(rows):
    return sorted((f["trigger_event_id"], f["flag_id"], f["actual_action_event_id"] or "")
                  for f in baseline_flags(rows) if f["rule_id"] == "referral_no_decision")


def _package(flags):
    return sorted(zip(flags["trigger_event_id"], flags["flag_id"], flags["actual_action_event_id"].fillna(""))) \
        if len(flags) else []


def test_a_receipt_with_no_decision_in_one_working_day_is_flagged_from_its_own_day():
    rows = [notification(), decision("2023-05-15"), end()]
    flags = _flags(rows)
    assert flags["trigger_event_id"].tolist() == ["C1-e001"]
    flag = flags.iloc[0]
    assert flag.trigger_date.strftime("%Y-%m-%d") == "2023-05-10"
    assert flag.expected_by.strftime("%Y-%m-%d") == "2023-05-11"
    assert flag.delay_days == 4
    assert flag.explanation == (
        "Eastborough Children's Social Care recorded receiving a referral or notification about the child on 10 May "
        "2023 and no decision by children's social care is recorded within 1 working day (by 11 May 2023); a "
        "decision came on 15 May 2023, 4 calendar days late.")
    assert _package(flags) == _baseline(rows)


@pytest.mark.parametrize("decided", ["2023-05-10", "2023-05-11"])
def test_a_receipt_decided_within_one_working_day_is_no_flag(decided):
    rows = [notification(), decision(decided), end()]
    assert _flags(rows).empty
    assert _baseline(rows) == []


def test_a_receipt_deciding_itself_is_no_flag():
    rows = [{**notification(), "description": "Police notification of DA incident 09/05. Strategy discussion held."},
            end()]
    assert _flags(rows).empty
    assert _baseline(rows) == []


def test_a_receipt_is_no_trigger_when_receipts_do_not_trigger():
    rules = merge_rules(RULES, {"rules": {"referral_no_decision": {"receipts_trigger": False}}}, "test")
    assert _flags([notification(), decision("2023-05-15"), end()], rules).empty


def test_the_receipt_of_a_referral_already_a_trigger_raises_no_second_flag():
    rows = [police_referral(), notification(), decision("2023-05-15"), end()]
    flags = _flags(rows)
    assert flags["trigger_event_id"].tolist() == ["C1-e001"]  # the police's referral, from 9 May
    assert _package(flags) == _baseline(rows)


def test_a_receipt_after_the_earlier_referral_was_decided_is_a_referral_of_its_own():
    rows = [police_referral("2023-05-02"), decision("2023-05-03"), notification(), decision("2023-05-15"), end()]
    flags = _flags(rows)
    assert flags["trigger_event_id"].tolist() == ["C1-e003"]
    assert _package(flags) == _baseline(rows)


def test_a_receipt_long_after_a_referral_still_pending_is_a_referral_of_its_own():
    rows = [police_referral("2023-04-03"), notification(), decision("2023-05-15"), end()]
    flags = _flags(rows)
    assert sorted(flags["trigger_event_id"]) == ["C1-e001", "C1-e002"]
    assert _package(flags) == _baseline(rows)


def test_a_receipt_that_is_no_receipt_is_no_trigger():
    rows = [{**notification(), "description": "No referral received from police re DA."}, end()]
    assert _flags(rows).empty
    assert _baseline(rows) == []


def test_a_receipt_while_the_child_is_on_a_child_protection_plan_is_no_trigger():
    # the sample's police notifications of 20 Nov 2023 and 1 Jul 2024 came during a plan: information for the
    # lead social worker, no referral awaiting a decision on next steps
    # (make_timeline takes the plan as given; the baseline reads it from the conference, as the timeline does)
    rows = [{"date": "2023-03-01", "contact_type": "cp_conference", "description": "ICPC: child protection plan",
             "on_cp_plan": True, **CSC}, {**notification(), "on_cp_plan": True}, decision("2023-05-15"),
            {**end(), "on_cp_plan": True}]
    timeline = make_timeline(rows, dob="2022-01-01")
    assert detect(timeline, None, RULES, only=["referral_no_decision"]).empty
    assert _baseline(rows) == []
    # (s20, openref) a trigger then, but on a plan the case is open: social care's own receipt is the allocated
    # team's record of it, which answers it (open_case_within_working_days)
    rules = merge_rules(RULES, {"rules": {"referral_no_decision": {"receipts_not_on_cp_plan": False}}}, "test")
    assert detect(timeline, None, rules, only=["referral_no_decision"]).empty
    rules = merge_rules(RULES, {"rules": {"referral_no_decision": {"receipts_not_on_cp_plan": False,
                                                                   "open_case_response": False}}}, "test")
    assert detect(timeline, None, rules, only=["referral_no_decision"])["trigger_event_id"].tolist() == ["C1-e002"]
