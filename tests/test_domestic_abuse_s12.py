"""domestic_abuse_not_escalated: high-risk domestic abuse (DASH high risk / score >= 14 / MARAC threshold, or
3+ police call-outs for domestic abuse in 12 months) with no referral to children's social care or MARAC
within one working day."""
import pandas as pd
import pytest

from review.rules import detect, load_rules, merge_rules
from review.rules.domestic_abuse_not_escalated import dash_score
from review.rules.testing import make_timeline

RULE = "domestic_abuse_not_escalated"
RULES = load_rules()
POLICE = {"agency": "Police", "agency_kind": "police", "contact_type": "police_callout"}
CSC = {"agency": "Children's Social Care", "agency_kind": "social care"}


#: (s18) the variant notification flags any police incident not notified to children's social care, at any DASH
#: level (tests/test_domestic_abuse_notification_s18.py): its explanation says so
NOTIFICATION = "no notification to children's social care"


def all_flags_of(rows, rules=RULES):
    return detect(make_timeline(rows), None, rules, only=[RULE])


def flags_of(rows, rules=RULES):
    """The flags of the high-risk, DASH score and repeat readings (not the variant notification's)."""
    flags = all_flags_of(rows, rules)
    return flags[~flags["explanation"].str.contains(NOTIFICATION, regex=False)] if len(flags) else flags


def incident(date, description="Police attended a domestic incident, child present.", action="", **kw):
    return {"date": date, **POLICE, "concerns": "domestic_abuse", "description": description, "action": action, **kw}


def referral(date, **kw):
    return {"date": date, "agency": "Police", "agency_kind": "police", "contact_type": "referral",
            "escalation": "referral_to_csc", "description": "Referral to children's social care.", **kw}


@pytest.mark.parametrize("text", [
    "DA incident, child present. DASH completed - high risk.",
    "DASH completed: high risk. Meets MARAC threshold.",
    "Domestic incident. DASH score 16, child asleep upstairs.",
    "Domestic abuse: DASH 15/27.",
    "Domestic abuse, mother scored 14 on the DASH.",
    "DV incident, high risk on professional judgement.",
])
def test_high_risk_with_no_referral_is_flagged(text):
    flags = flags_of([incident("2023-03-01", text)])  # a Wednesday
    assert len(flags) == 1
    flag = flags.iloc[0]
    assert flag.rule_id == RULE and flag.trigger_event_id == "C1-e001" and flag.severity == "high"
    assert flag.expected_by == pd.Timestamp("2023-03-02")  # one working day
    assert pd.isna(flag.delay_days) and flag.actual_action_event_id == ""
    assert "MARAC" in flag.expected_action and "SafeLives" in flag.source
    assert "Police recorded domestic abuse in the child's household on" in flag.explanation
    assert "none is recorded" in flag.explanation


@pytest.mark.parametrize("text", [
    "Domestic incident. DASH completed: standard risk.",
    "Domestic incident. DASH: medium risk, not high risk.",
    "Domestic abuse, DASH completed. MARAC threshold not met.",
    "Domestic incident. DASH score 8.",
    "Domestic abuse. Does not meet MARAC threshold.",
    "Domestic incident. No high risk factors identified on DASH.",
])
def test_standard_or_negated_risk_is_not_flagged(text):
    assert flags_of([incident("2023-03-01", text)]).empty
    # (s18) but the police incident, not notified to children's social care, is the variant notification's
    flags = all_flags_of([incident("2023-03-01", text)])
    assert len(flags) == 1 and NOTIFICATION in flags.iloc[0].explanation


def test_high_risk_words_without_domestic_abuse_are_not_flagged():
    rows = [{"date": "2023-03-01", "agency": "GP", "agency_kind": "health", "contact_type": "clinic_appointment",
             "concerns": "neglect", "description": "High risk of neglect noted."}]
    assert flags_of(rows).empty


@pytest.mark.parametrize("response", [
    referral("2023-03-02"),  # the next working day
    {"date": "2023-03-02", **CSC, "contact_type": "referral_decision", "description": "MASH screened the notification."},
    {"date": "2023-03-01", "agency": "Police", "agency_kind": "police", "contact_type": "letter",
     "description": "Referral to MARAC made by the DA officer."},
    {"date": "2023-03-02", "agency": "Police", "agency_kind": "police", "contact_type": "letter",
     "description": "Domestic abuse notification sent to MASH."},
])
def test_referral_in_time_is_not_flagged(response):
    assert flags_of([incident("2023-03-01", "DASH completed - high risk."), response]).empty


def test_the_trigger_row_itself_may_be_the_referral():
    assert flags_of([incident("2023-03-01", "DASH completed - high risk.", "Referred to MARAC and MASH.")]).empty


@pytest.mark.parametrize("text", ["MARAC referral not made.", "Notification to MASH to be sent."])
def test_a_negated_referral_is_no_response(text):
    rows = [incident("2023-03-01", "DASH completed - high risk.", text)]
    assert len(flags_of(rows)) == 1


def test_late_referral_is_flagged_with_the_delay():
    # Friday 3 March 2023: due Monday 6 March; referred Thursday 9 March, 3 days late
    flags = flags_of([incident("2023-03-03", "DASH completed - high risk."), referral("2023-03-09")])
    assert len(flags) == 1
    flag = flags.iloc[0]
    assert flag.expected_by == pd.Timestamp("2023-03-06")
    assert flag.actual_action_event_id == "C1-e002" and flag.actual_action_date == pd.Timestamp("2023-03-09")
    assert flag.delay_days == 3
    assert "the next such referral by any agency came on 9 Mar 2023, 3 calendar days late" in flag.explanation  # s13: was "the first referral"


def test_a_referral_not_sent_is_no_response():
    rows = [incident("2023-03-01", "DASH completed - high risk."),
            referral("2023-03-01", description="Referral to MASH not sent.")]
    assert len(flags_of(rows)) == 1


def test_repeat_incidents_reach_the_threshold_on_the_third_within_12_months():
    rows = [incident("2023-01-10"), incident("2023-06-01"), incident("2023-12-20"), incident("2024-12-30")]
    flags = flags_of(rows)
    # the third call-out within 365 days (10 Jan .. 20 Dec 2023); the fourth has only one other in its year
    assert list(flags["trigger_event_id"]) == ["C1-e003"]
    flag = flags.iloc[0]
    assert flag.evidence_event_ids == "C1-e001; C1-e002; C1-e003"
    assert "3 domestic abuse incidents (police_callout) within 365 days" in flag.explanation


def test_repeat_incidents_spread_over_more_than_a_year_are_not_flagged():
    rows = [incident("2023-01-10"), incident("2023-07-01"), incident("2024-01-11")]
    assert flags_of(rows).empty


def test_repeat_incidents_count_only_police_call_outs():
    other = {"agency": "Health Visiting", "agency_kind": "health", "contact_type": "home_visit"}
    rows = [incident("2023-01-10"), incident("2023-02-01", **other), incident("2023-03-01")]
    assert flags_of(rows).empty
    rows = [incident("2023-01-10"), incident("2023-02-01"), incident("2023-03-01"), referral("2023-03-02")]
    assert flags_of(rows).empty  # the third call-out referred in time


def test_repeat_threshold_is_configurable():
    rules = merge_rules(RULES, {"rules": {RULE: {"repeat_min_incidents": 2, "repeat_window_days": 30}}}, "test")
    rows = [incident("2023-01-10"), incident("2023-02-01"), incident("2023-05-01")]
    flags = flags_of(rows, rules)
    assert list(flags["trigger_event_id"]) == ["C1-e002"]


def test_score_threshold_is_configurable():
    rules = merge_rules(RULES, {"rules": {RULE: {"dash_score_min": 10}}}, "test")
    assert len(flags_of([incident("2023-03-01", "Domestic incident. DASH score 11.")], rules)) == 1
    assert flags_of([incident("2023-03-01", "Domestic incident. DASH score 11.")]).empty


@pytest.mark.parametrize("text, score", [
    ("DASH score: 15", 15), ("DASH completed, score of 17", 17), ("dash - 16 out of 27", 16),
    ("15 ticks on DASH", 15), ("14 yes answers on the DASH", 14), ("DASH: standard risk", None),
    ("DASH completed 12/03/2023", None), ("Score 3 on the ASQ. DASH completed", None),
])
def test_dash_score(text, score):
    assert dash_score(text) == score
