"""Sixteenth session: social care's record of RECEIVING a referral about an injury ("Referral from ED re cheek
bruise, 4-month-old", `base.referral_receipts`) is the escalation of the injury the referring agency saw, not
an injury record of social care's own: injury_not_escalated raises no flag on it, repeated_injury_or_ae does
not count it as a second injury, and it answers the referring agency's record as its referral."""
import pytest

from review.rules import detect, load_rules, merge_rules
from review.rules.testing import make_timeline

from _baseline import baseline_flags

RULES = load_rules()
CSC = {"agency": "Eastborough Children's Social Care", "agency_kind": "social care"}
ED = {"agency": "Riverside General Hospital", "agency_kind": "health"}
NURSERY = {"agency": "Little Acorns Nursery", "agency_kind": "education"}


def ed(date="2023-05-02"):
    # no body site named: social care's "cheek" is then no follow-up of it in the episodes' reading
    return {"date": date, "contact_type": "ae_attendance", "concerns": "bruising",
            "description": "Bruising noted, 4-month-old. Mother unsure how.", "action": "Discharged home", **ED}


def receipt(date="2023-05-03"):
    return {"date": date, "contact_type": "referral", "concerns": "bruising",
            "description": "Referral from ED re cheek bruise, 4-month-old.", **CSC}


def seen(date="2023-09-01"):
    return {"date": date, "contact_type": "home_visit", "description": "Child seen.", **CSC}


def _flags(rows, rule, rules=RULES):
    return detect(make_timeline(rows, dob="2023-01-01"), None, rules, only=[rule])


def _triggers(rows, rule, rules=RULES):
    flags = _flags(rows, rule, rules)
    return sorted(flags["trigger_event_id"]) if len(flags) else []


def _baseline(rows, rule):
    return sorted(f["trigger_event_id"] for f in baseline_flags(rows) if f["rule_id"] == rule)


def _off(rule):
    return merge_rules(RULES, {"rules": {rule: {"receipts_answer": False}}}, "test")


def test_the_receipt_is_no_injury_not_escalated_trigger_and_answers_the_ed_record():
    rows = [ed(), receipt(), seen()]
    assert _triggers(rows, "injury_not_escalated") == []
    assert _baseline(rows, "injury_not_escalated") == []
    # before: the ED record and social care's own receipt were both flagged (medium); since s21's same-event join
    # the receipt of the next day is the same injury recorded by a second agency: one flag, both records its evidence
    off = _flags(rows, "injury_not_escalated", _off("injury_not_escalated"))
    assert off["trigger_event_id"].tolist() == ["C1-e001"]
    assert off.iloc[0].evidence_event_ids == "C1-e001; C1-e002"
    assert "one event recorded by two agencies, one flag" in off.iloc[0].explanation


def test_a_late_receipt_is_the_ed_record_s_late_referral_and_is_named_so():
    rows = [ed(), receipt("2023-05-09"), seen()]
    flags = _flags(rows, "injury_not_escalated")
    assert flags["trigger_event_id"].tolist() == ["C1-e001"]
    flag = flags.iloc[0]
    assert flag.actual_action_event_id == "C1-e002"
    assert flag.delay_days == 5
    assert ("the next escalation by any agency came on 9 May 2023 (referral received, Eastborough Children's "
            "Social Care), 5 calendar days after the deadline") in flag.explanation
    assert _baseline(rows, "injury_not_escalated") == ["C1-e001"]


def test_the_referring_agency_s_own_referral_is_named_before_a_receipt_of_the_same_day():
    rows = [receipt("2023-05-09"), {**ed(), "date": "2023-05-09", "contact_type": "letter", "concerns": "",
                                    "description": "Referral to MASH sent re bruising.",
                                    "escalation": "referral_to_csc"}, ed(), seen()]
    flags = _flags(rows, "injury_not_escalated")
    assert flags["trigger_event_id"].tolist() == ["C1-e003"]
    assert flags.iloc[0].actual_action_event_id == "C1-e002"  # the hospital's referral, not its receipt


def test_the_receipt_is_not_a_second_injury_in_repeated_injury_or_ae():
    # the nursery's bruise 60 days before and the ED's: two injuries, answered the next day by the referral
    # social care received. Before, the receipt was a third injury completing a pattern of its own, and the ED's
    # pattern went unanswered
    rows = [{"date": "2023-03-03", "contact_type": "other", "concerns": "bruising", "child_mobile": True,
             "description": "Bruise to shin, fell in garden per mother.", "escalation": "referral_to_csc", **NURSERY},
            ed(), receipt(), seen()]
    assert _triggers(rows, "repeated_injury_or_ae") == []
    assert _baseline(rows, "repeated_injury_or_ae") == []
    # (without receipts_answer the receipt is a third injury continuing the ED's unanswered pattern: since s19
    # one flag per unanswered pattern, the ED's)
    assert _triggers(rows, "repeated_injury_or_ae", _off("repeated_injury_or_ae")) == ["C1-e002"]


def test_one_injury_and_its_receipt_make_no_pattern():
    rows = [ed(), receipt("2023-05-09"), seen()]
    assert _triggers(rows, "repeated_injury_or_ae") == []
    assert _baseline(rows, "repeated_injury_or_ae") == []
    assert _triggers(rows, "repeated_injury_or_ae", _off("repeated_injury_or_ae")) == ["C1-e002"]


@pytest.mark.parametrize("text", ["No referral received from ED re bruise.", "Referral from ED awaited re bruise."])
def test_social_care_s_own_injury_record_that_is_no_receipt_is_still_a_trigger(text):
    rows = [{**receipt(), "description": text}, seen()]
    assert _triggers(rows, "injury_not_escalated") == ["C1-e001"]
    assert _baseline(rows, "injury_not_escalated") == ["C1-e001"]
