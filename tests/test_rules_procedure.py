"""referral_no_decision and strategy_no_conference (working days: weekends and E&W bank holidays) and
assessment_wait (calendar days, censoring at the end of the review)."""
import pandas as pd
import pytest

from review.rules import detect, load_rules
from review.rules.testing import make_timeline

RULES = load_rules()
CSC = {"agency": "Children's Social Care", "agency_kind": "social care"}


def flags_of(rule_id, rows, **kw):
    return detect(make_timeline(rows, **kw), None, RULES, only=[rule_id])


def referral(date, **kw):
    return {"date": date, "agency": "GP", "contact_type": "referral", "escalation": "referral_to_csc", **kw}


def decision(date, contact_type="referral_decision", **kw):
    return {"date": date, "contact_type": contact_type, **CSC, **kw}


# --- referral_no_decision ---------------------------------------------------------------------------
@pytest.mark.parametrize(
    "referred, decided, flagged",
    [
        ("2023-03-01", "2023-03-02", False),  # Wed -> Thu: 1 working day
        ("2023-03-01", "2023-03-03", True),   # Wed -> Fri: 2 working days
        ("2023-03-03", "2023-03-06", False),  # Fri -> Mon: the weekend does not count
        ("2023-03-03", "2023-03-07", True),   # Fri -> Tue
        ("2023-04-06", "2023-04-11", False),  # Thu before Easter -> Tue: Good Friday and Easter Monday skipped
        ("2023-04-06", "2023-04-12", True),
        ("2024-04-30", "2024-05-01", False),
        ("2024-05-03", "2024-05-07", False),  # Fri -> Tue over the early May bank holiday
        ("2024-05-03", "2024-05-08", True),
    ],
)
def test_referral_decision_within_one_working_day(referred, decided, flagged):
    flags = flags_of("referral_no_decision", [referral(referred), decision(decided)])
    assert (len(flags) == 1) is flagged
    if flagged:
        flag = flags.iloc[0]
        assert flag.actual_action_date == pd.Timestamp(decided)
        assert flag.delay_days == (pd.Timestamp(decided) - flag.expected_by).days
        assert "Working Together" in flag.source


def test_decision_by_another_agency_does_not_count():
    rows = [referral("2023-03-01"), {"date": "2023-03-01", "contact_type": "referral_decision", "agency": "GP"}]
    assert len(flags_of("referral_no_decision", rows)) == 1


@pytest.mark.parametrize("kind", ["assessment", "strategy_discussion", "s47_enquiry", "case_closure"])
def test_any_social_care_decision_counts(kind):
    assert flags_of("referral_no_decision", [referral("2023-03-01"), decision("2023-03-02", kind)]).empty


def test_referral_never_decided():
    flags = flags_of("referral_no_decision", [referral("2023-03-03")])
    assert flags.iloc[0].expected_by == pd.Timestamp("2023-03-06")
    assert "none is recorded" in flags.iloc[0].explanation


# --- strategy_no_conference --------------------------------------------------------------------------
def strategy(date, **kw):
    return {"date": date, "contact_type": "strategy_discussion", "escalation": "strategy_discussion", **CSC, **kw}


def conference(date, **kw):
    return {"date": date, "contact_type": "cp_conference", "escalation": "cp_conference", **CSC, **kw}


@pytest.mark.parametrize(
    "held, icpc, flagged",
    [
        ("2024-05-09", "2024-05-30", False),  # Thu 9 May + 15 working days = Fri 31 May (27 May bank holiday)
        ("2024-05-09", "2024-05-31", False),
        ("2024-05-09", "2024-06-03", True),
        ("2023-09-14", "2023-10-05", False),  # no bank holiday: exactly 15 working days
        ("2023-09-14", "2023-10-06", True),
    ],
)
def test_conference_within_15_working_days(held, icpc, flagged):
    flags = flags_of("strategy_no_conference", [strategy(held), conference(icpc)])
    assert (len(flags) == 1) is flagged
    if flagged:
        assert flags.iloc[0].delay_days == (pd.Timestamp(icpc) - flags.iloc[0].expected_by).days


def test_same_day_strategy_records_from_two_agencies_give_one_flag():
    rows = [strategy("2023-09-14"), strategy("2023-09-14 14:00", agency="Police", agency_kind="police")]
    flags = flags_of("strategy_no_conference", rows)
    assert len(flags) == 1 and flags.iloc[0].trigger_event_id == "C1-e001"


def test_a_later_strategy_discussion_restarts_the_clock():
    rows = [strategy("2023-09-01"), strategy("2023-09-20"), conference("2023-10-05")]
    assert flags_of("strategy_no_conference", rows).empty


def test_closure_after_strategy_discussion_ends_the_requirement():
    rows = [strategy("2023-09-14"), decision("2023-09-28", "case_closure")]
    assert flags_of("strategy_no_conference", rows).empty


# --- assessment_wait ----------------------------------------------------------------------------------
def request(date, **kw):
    return {"date": date, "contact_type": "referral", "agency": "Health Visiting",
            "description": "Referral to the child development centre for a developmental assessment", **kw}


def assessed(date, **kw):
    return {"date": date, "contact_type": "assessment", "agency": "Child Development Centre", **kw}


@pytest.mark.parametrize("done, flagged", [("2023-07-26", False), ("2023-07-27", True)])
def test_assessment_within_42_days_boundary(done, flagged):
    flags = flags_of("assessment_wait", [request("2023-06-14"), assessed(done)])
    assert (len(flags) == 1) is flagged
    if flagged:
        flag = flags.iloc[0]
        assert flag.delay_days == 1 and flag.failing_category == "staffing/capacity"


def test_assessment_never_happened_is_flagged_once_the_time_has_run_out():
    rows = [request("2023-06-14"), {"date": "2023-09-01", "contact_type": "home_visit"}]
    flags = flags_of("assessment_wait", rows)
    assert len(flags) == 1 and flags.iloc[0].actual_action_event_id == ""


def test_assessment_still_within_time_at_the_end_of_the_review_is_not_flagged():
    rows = [request("2023-06-14"), {"date": "2023-07-26", "contact_type": "home_visit"}]
    assert flags_of("assessment_wait", rows).empty


def test_referral_without_an_assessment_request_is_not_a_request():
    rows = [request("2023-06-14", description="Referral to dietitian"), {"date": "2023-09-01"}]
    assert flags_of("assessment_wait", rows).empty
