"""was_not_brought and child_not_seen: thresholds at their boundaries."""
import pandas as pd
import pytest

from review.rules import detect, load_rules
from review.rules.testing import make_timeline

RULES = load_rules()
CSC = {"agency": "Children's Social Care", "agency_kind": "social care"}


def flags_of(rule_id, rows, **kw):
    return detect(make_timeline(rows, **kw), None, RULES, only=[rule_id])


def wnb(date, agency="Child Development Centre", **kw):
    return {"date": date, "contact_type": "was_not_brought", "agency": agency, "child_seen": False, **kw}


def seen(date, agency="Child Development Centre", **kw):
    return {"date": date, "contact_type": "clinic_appointment", "agency": agency, "child_seen": True, **kw}


# --- was_not_brought ------------------------------------------------------------------------------------
@pytest.mark.parametrize("second, flagged", [("2023-05-30", True), ("2023-05-31", False)])
def test_two_missed_appointments_within_90_days_boundary(second, flagged):
    flags = flags_of("was_not_brought", [wnb("2023-03-01"), wnb(second)])
    assert (len(flags) == 1) is flagged
    if flagged:
        flag = flags.iloc[0]
        assert flag.trigger_event_id == "C1-e002"
        assert flag.evidence_event_ids == "C1-e001; C1-e002"
        assert flag.expected_by == pd.Timestamp(second) + pd.Timedelta(days=14)


@pytest.mark.parametrize("follow_up, flagged", [("2023-03-24", False), ("2023-03-25", True)])
def test_follow_up_within_14_days_boundary(follow_up, flagged):
    flags = flags_of("was_not_brought", [wnb("2023-03-01"), wnb("2023-03-10"), seen(follow_up)])
    assert (len(flags) == 1) is flagged
    if flagged:
        assert flags.iloc[0].delay_days == 1


def test_follow_up_must_be_by_the_same_agency():
    rows = [wnb("2023-03-01"), wnb("2023-03-10"), seen("2023-03-12", agency="GP")]
    assert len(flags_of("was_not_brought", rows)) == 1


def test_escalation_by_the_agency_is_a_follow_up():
    rows = [wnb("2023-03-01"), wnb("2023-03-10"),
            {"date": "2023-03-11", "agency": "Child Development Centre", "contact_type": "referral",
             "escalation": "referral_to_csc"}]
    assert flags_of("was_not_brought", rows).empty


def test_missed_appointments_at_two_different_services_are_counted_per_service():
    rows = [wnb("2023-03-01"), wnb("2023-03-10", agency="GP")]
    assert flags_of("was_not_brought", rows).empty


def test_non_health_missed_contacts_are_not_counted():
    rows = [wnb("2023-03-01", agency="School", agency_kind="education"),
            wnb("2023-03-10", agency="School", agency_kind="education")]
    assert flags_of("was_not_brought", rows).empty


# --- child_not_seen ----------------------------------------------------------------------------------------
def visit(date, child_seen=True, **kw):
    return {"date": date, "contact_type": "home_visit", "child_seen": child_seen, "on_cp_plan": True, **CSC, **kw}


@pytest.mark.parametrize("next_contact, flagged", [("2023-03-15", False), ("2023-03-16", True)])
def test_cp_plan_child_not_seen_over_14_days_boundary(next_contact, flagged):
    rows = [visit("2023-03-01"), visit(next_contact, child_seen=pd.NA, contact_type="phone_call")]
    flags = flags_of("child_not_seen", rows)
    gaps = flags[flags["flag_id"].str.len() > 0]
    assert (len(gaps) == 1) is flagged
    if flagged:
        flag = gaps.iloc[0]
        assert flag.trigger_event_id == "C1-e002"
        assert flag.expected_by == pd.Timestamp("2023-03-15")
        assert "15 days" in flag.explanation and "last recorded sighting 1 Mar 2023" in flag.explanation


def test_cp_plan_gap_is_flagged_once_at_the_first_contact_past_the_limit():
    rows = [visit("2023-03-01"), visit("2023-03-20", child_seen=False, contact_type="phone_call"),
            visit("2023-03-25", child_seen=False, contact_type="phone_call"), visit("2023-04-04")]
    flags = flags_of("child_not_seen", rows)
    assert list(flags["trigger_event_id"]) == ["C1-e002"]
    flag = flags.iloc[0]
    assert flag.actual_action_event_id == "C1-e004"
    assert flag.delay_days == (pd.Timestamp("2023-04-04") - pd.Timestamp("2023-03-15")).days


def test_plan_start_starts_the_clock():
    rows = [visit("2023-01-01", on_cp_plan=False), visit("2023-03-01", child_seen=False, contact_type="cp_conference"),
            visit("2023-03-15", child_seen=pd.NA, contact_type="phone_call")]
    assert flags_of("child_not_seen", rows).empty


@pytest.mark.parametrize("next_contact, flagged", [("2023-04-12", False), ("2023-04-13", True)])
def test_open_concerns_not_seen_over_42_days_boundary(next_contact, flagged):
    base = {"on_cp_plan": False, "open_concerns": "neglect"}
    rows = [visit("2023-03-01", **base), visit(next_contact, child_seen=pd.NA, contact_type="phone_call", **base)]
    flags = flags_of("child_not_seen", rows)
    assert (len(flags) == 1) is flagged
    if flagged:
        assert flags.iloc[0].severity == "medium"


def test_no_open_concerns_no_plan_no_flag():
    rows = [visit("2023-01-01", on_cp_plan=False), visit("2023-06-01", on_cp_plan=False, child_seen=pd.NA)]
    assert flags_of("child_not_seen", rows).empty


@pytest.mark.parametrize("revisit, flagged", [("2023-03-08", False), ("2023-03-09", True)])
def test_visit_child_not_seen_needs_a_return_visit_within_7_days(revisit, flagged):
    rows = [visit("2023-02-27"), visit("2023-03-01", child_seen=False), visit(revisit)]
    flags = flags_of("child_not_seen", rows)
    visits = flags[flags["expected_action"].str.startswith("return visit")]
    assert (len(visits) == 1) is flagged
    if flagged:
        assert visits.iloc[0].trigger_event_id == "C1-e002" and visits.iloc[0].delay_days == 1


def test_return_visit_by_another_agency_does_not_count():
    rows = [visit("2023-02-27"), visit("2023-03-01", child_seen=False),
            visit("2023-03-02", agency="Health Visiting", agency_kind="health"), visit("2023-03-10")]
    flags = flags_of("child_not_seen", rows)
    assert list(flags["trigger_event_id"]) == ["C1-e002"]
