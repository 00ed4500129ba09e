"""Month/year/approximate dates: a partial-date row can be evidence but never a trigger or deadline anchor,
and a flag is raised only when it holds whatever day of its period each partial-date row fell on
(docs/rules.md, "Partial dates")."""
import pandas as pd
import pytest

from review.rules import detect, load_rules, response_latency
from review.rules.testing import make_timeline

RULES = load_rules()
OLD = {"age_days": 1000, "child_mobile": True}


def flags_of(rule_id, rows, **kw):
    return detect(make_timeline(rows, **kw), None, RULES, only=[rule_id])


def injury(date, precision="day", **kw):
    return {"date": date, "date_precision": precision, "concerns": "bruising", **kw}


def referral(date, precision="day", **kw):
    return {"date": date, "date_precision": precision, "contact_type": "referral", "escalation": "referral_to_csc",
            "agency": "GP", **kw}


@pytest.mark.parametrize("precision", ["month", "year", "approximate"])
def test_partial_date_injury_is_never_a_trigger(precision):
    timeline = make_timeline([injury("2023-03-01", precision)])
    assert detect(timeline, None, RULES).empty


def test_escalation_known_only_to_the_month_of_the_concern_cannot_be_placed_after_it():
    # s15: a partial-date response answers a concern only when its whole period lies on or after it
    # (rules.base.first_response): a referral in "Mar 2023" may have come before the injury of 10 Mar; the
    # flag stays, for the reviewer, and names the referral it could not place (it used to be suppressed)
    rows = [injury("2023-03-10", **OLD), referral("2023-03-01", "month")]
    flags = flags_of("injury_not_escalated", [{**rows[0], "age_days": 400}, rows[1]])
    assert len(flags) == 1
    assert "dated only 'Mar 2023' cannot be placed after this concern" in flags.iloc[0].explanation


def test_escalation_known_only_to_a_later_month_is_late_with_no_made_up_delay():
    rows = [injury("2023-03-10", age_days=400, child_mobile=True), referral("2023-04-01", "month")]
    flags = flags_of("injury_not_escalated", rows)
    assert len(flags) == 1
    flag = flags.iloc[0]
    assert flag.actual_action_event_id == "C1-e002"
    assert pd.isna(flag.delay_days)
    assert "date not exact" in flag.explanation


def test_escalation_known_only_to_the_year_overlapping_the_window_no_longer_suppresses_the_flag():
    # s15: a year-only referral ("2023") cannot be placed after a concern of 10 Mar 2023 (a "Spring 2021"
    # strategy discussion used to silence every flag of its year)
    rows = [injury("2023-03-10", age_days=400, child_mobile=True), referral("2023-01-01", "year")]
    flags = flags_of("injury_not_escalated", rows)
    assert len(flags) == 1
    assert "dated only '2023' cannot be placed after this concern" in flags.iloc[0].explanation


@pytest.mark.parametrize("earlier, flagged", [("2023-01-01", True), ("2023-03-01", False)])
def test_partial_injury_counts_in_a_window_only_when_its_whole_period_is_inside(earlier, flagged):
    # trigger 15 Mar 2023; window back to 15 Dec 2022: January lies inside, March (to the 31st) does not
    rows = [injury(earlier, "month", **OLD), injury("2023-03-15", **OLD)]
    flags = flags_of("repeated_injury_or_ae", rows)
    assert (len(flags) == 1) is flagged
    if flagged:
        assert flags.iloc[0].trigger_event_id == "C1-e002"
        assert "Jan 2023 to 15 Mar 2023" in flags.iloc[0].explanation


def test_partial_sighting_counts_at_the_latest_day_it_could_have_been():
    plan = {"on_cp_plan": True, "agency": "Children's Social Care", "agency_kind": "social care"}
    exact_only = [{"date": "2023-03-01", "child_seen": True, **plan},
                  {"date": "2023-03-20", "child_seen": pd.NA, "contact_type": "phone_call", **plan}]
    assert len(flags_of("child_not_seen", exact_only)) == 1
    with_partial = exact_only[:1] + [{"date": "2023-03-01", "date_precision": "month", "child_seen": True, **plan}] + exact_only[1:]
    assert flags_of("child_not_seen", with_partial).empty


def test_partial_decision_is_not_a_decision_point():
    rows = [{"date": "2023-03-01", "agency": "Police", "concerns": "domestic_abuse", **OLD},
            {"date": "2023-03-01", "date_precision": "month", "agency": "Hospital", "contact_type": "discharge", **OLD}]
    assert flags_of("information_not_shared", rows).empty


def test_latency_of_a_partial_date_concern_is_not_computed():
    timeline = make_timeline([injury("2023-03-01", "month", **OLD), referral("2023-05-02")])
    latency = response_latency(timeline, None, RULES)
    row = latency.iloc[0]
    assert row.first_escalation_event_id == "C1-e002"
    assert pd.isna(row.latency_days)
