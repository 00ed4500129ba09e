"""nonmobile_injury, injury_not_escalated, repeated_injury_or_ae: small hand-made timelines, each threshold
at its boundary (exactly at vs one past)."""
import pandas as pd
import pytest

from review.rules import detect, load_rules
from review.rules.testing import make_timeline

RULES = load_rules()
SOCIAL_CARE = {"agency": "Children's Social Care", "agency_kind": "social care"}


def flags_of(rule_id, rows, **kw):
    return detect(make_timeline(rows, **kw), None, RULES, only=[rule_id])


def injury(date, **kw):
    return {"date": date, "concerns": "bruising", "contact_type": "home_visit", **kw}


def referral(date, **kw):
    return {"date": date, "contact_type": "referral", "escalation": "referral_to_csc", **kw}


def medical(date, **kw):
    return {"date": date, "contact_type": "cp_medical", "escalation": "cp_medical", "agency": "Hospital", **kw}


# --- nonmobile_injury -------------------------------------------------------------------------------
def test_nonmobile_bruise_with_same_day_referral_and_medical_is_not_flagged():
    assert flags_of("nonmobile_injury", [injury("2023-03-01"), referral("2023-03-01"), medical("2023-03-01 16:00")]).empty


def test_nonmobile_bruise_with_referral_only_is_flagged():
    flags = flags_of("nonmobile_injury", [injury("2023-03-01"), referral("2023-03-01")])
    assert len(flags) == 1
    flag = flags.iloc[0]
    assert flag.trigger_event_id == "C1-e001"
    assert flag.expected_by == pd.Timestamp("2023-03-01")
    assert "child protection medical" in flag.explanation and "59 days" in flag.explanation
    assert flag.severity == "high" and flag.failing_category == "procedure"
    assert "NICE CG89" in flag.source


def test_nonmobile_bruise_escalated_next_day_is_late_by_one_day():
    flags = flags_of("nonmobile_injury", [injury("2023-03-01"), referral("2023-03-02"), medical("2023-03-02")])
    assert len(flags) == 1
    assert flags.iloc[0].delay_days == 1
    assert flags.iloc[0].actual_action_date == pd.Timestamp("2023-03-02")


def test_mobile_child_is_not_a_nonmobile_injury():
    rows = [injury("2023-03-01", child_mobile=True)]
    assert flags_of("nonmobile_injury", rows).empty


def test_mobility_unknown_falls_back_to_age():
    young = [injury("2023-03-01", child_mobile=pd.NA)]  # 59 days old
    older = [injury("2023-12-01", child_mobile=pd.NA)]  # 11 months
    assert len(flags_of("nonmobile_injury", young)) == 1
    assert flags_of("nonmobile_injury", older).empty


def test_one_flag_per_event_reported_by_two_agencies():
    rows = [injury("2023-03-01", event_group="G1"), injury("2023-03-01", agency="GP", event_group="G1")]
    assert len(flags_of("nonmobile_injury", rows)) == 1


# --- injury_not_escalated -----------------------------------------------------------------------------
@pytest.mark.parametrize("escalated_on, flagged", [("2023-03-03", False), ("2023-03-04", True)])
def test_injury_escalation_within_two_days_boundary(escalated_on, flagged):
    rows = [injury("2023-03-01"), referral(escalated_on, agency="GP")]
    flags = flags_of("injury_not_escalated", rows)
    assert (len(flags) == 1) is flagged
    if flagged:
        assert flags.iloc[0].delay_days == 1
        assert flags.iloc[0].expected_by == pd.Timestamp("2023-03-03")


def test_injury_escalation_by_any_agency_counts():
    rows = [injury("2023-03-01"), {"date": "2023-03-02", "escalation": "strategy_discussion",
                                   "contact_type": "strategy_discussion", **SOCIAL_CARE}]
    assert flags_of("injury_not_escalated", rows).empty


@pytest.mark.parametrize("date, flagged", [("2024-12-31", True), ("2025-01-01", False)])
def test_injury_age_boundary_24_months(date, flagged):
    # born 1 Jan 2023: 24 months old on 1 Jan 2025
    flags = flags_of("injury_not_escalated", [injury(date)], dob="2023-01-01")
    assert (len(flags) == 1) is flagged


def test_injury_never_escalated_has_no_action_and_no_delay():
    flags = flags_of("injury_not_escalated", [injury("2023-03-01")])
    flag = flags.iloc[0]
    assert flag.actual_action_event_id == "" and pd.isna(flag.delay_days) and pd.isna(flag.actual_action_date)
    # s13: "none by any agency is recorded within 90 days" (the next escalation by any agency, capped), was
    # "none is recorded"
    assert "none by any agency is recorded within 90 days of the injury" in flag.explanation
    assert flag.severity == "medium"


def test_inconsistent_explanation_makes_it_high_severity():
    flags = flags_of("injury_not_escalated", [injury("2023-03-01", concerns="bruising; inconsistent_explanation")])
    assert flags.iloc[0].severity == "high"
    flags = flags_of("injury_not_escalated", [injury("2023-03-01", concerns="head_injury; non_accidental")])
    assert flags.iloc[0].severity == "high"


# --- repeated_injury_or_ae ------------------------------------------------------------------------------
def old_child(row):
    return {**row, "age_days": 1000, "child_mobile": True}


@pytest.mark.parametrize("second, flagged", [("2023-05-30", True), ("2023-05-31", False)])
def test_two_injuries_within_90_days_boundary(second, flagged):
    # 1 Mar + 90 days = 30 May
    rows = [old_child(injury("2023-03-01")), referral("2023-03-02"), old_child(injury(second, agency="GP"))]
    flags = flags_of("repeated_injury_or_ae", rows)
    assert (len(flags) == 1) is flagged
    if flagged:
        flag = flags.iloc[0]
        assert flag.trigger_event_id == "C1-e003"
        assert flag.evidence_event_ids == "C1-e001; C1-e003"
        assert flag.agencies == "GP; Health Visiting"
        assert flag.explanation.startswith("2 injuries within 90 days (1 Mar 2023 to")


def test_repeated_injury_escalated_within_two_days_is_not_flagged():
    rows = [old_child(injury("2023-03-01")), old_child(injury("2023-03-20")), referral("2023-03-22")]
    assert flags_of("repeated_injury_or_ae", rows).empty


def ae(date, **kw):
    return {"date": date, "contact_type": "ae_attendance", "agency": "Hospital", "age_days": 1000,
            "child_mobile": True, **kw}


@pytest.mark.parametrize("third, flagged", [("2024-01-01", True), ("2024-01-02", False)])
def test_three_ae_attendances_within_365_days_boundary(third, flagged):
    flags = flags_of("repeated_injury_or_ae", [ae("2023-01-01"), ae("2023-06-01"), ae(third)])
    assert (len(flags) == 1) is flagged
    if flagged:
        assert "3 A&E attendances within 365 days" in flags.iloc[0].explanation


def test_same_attendance_reported_twice_counts_once():
    rows = [ae("2023-01-01"), ae("2023-06-01", event_group="G"), ae("2023-06-01", agency="GP", event_group="G")]
    assert flags_of("repeated_injury_or_ae", rows).empty
