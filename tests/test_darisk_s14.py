"""Fourteenth session's domestic-abuse / risk QA pass: the DASH label forms agencies write read as high risk
(rules.yml high_risk_keywords, high_risk_label_heads, high_risk_earlier_words); a child's own self-harm is not
an inflicted injury, parental mental health or domestic abuse; child exploitation and missing episodes have a
rule of their own (exploitation_not_referred); sharing written in the narrative reaches the agency named."""
import pytest

from review.rules import detect, load_rules
from review.rules.domestic_abuse_not_escalated import high_risk
from review.rules.testing import make_timeline

from _baseline import baseline_flags, package_pairs

RULES = load_rules()
DA = "domestic_abuse_not_escalated"
DA_PARAMS = RULES["rules"][DA]["params"]
POLICE = {"agency": "Police", "agency_kind": "police", "contact_type": "police_callout"}


def incident(date, description, action="", **kw):
    return {"date": date, **POLICE, "concerns": "domestic_abuse", "description": description, "action": action, **kw}


# --- 1. DASH label forms ---------------------------------------------------------------------------------
HIGH_LABELS = [
    "DASH risk: HIGH.",
    "DASH: High",
    "DASH risk level: High.",
    "Risk level: High (DASH)",
    "DASH completed. Risk: High",
    "DASH graded as high by attending officer.",
    "DASH - H.",
    # the QA scenario rows (qa3 c17, c16)
    "Call from victim. Partner threatened to kill her and pushed her down stairs. Ava (2y) present. DASH risk level: High.",
    "DA incident at home address. Laura assaulted by partner Scott, punched to face. Mia (2y) present. DASH risk: HIGH.",
]
NOT_HIGH = [
    "Domestic incident. Mother has a risk of high blood pressure.",
    "Domestic incident. Child in high chair, DASH completed.",
    "DASH risk: standard.",
    "DASH risk: medium",
    "DASH: Medium. Domestic incident.",
    "DASH completed. Risk: High (to self).",
    "DASH risk level: High (to self)",
    "DASH previously high, now medium.",
    "Previously high risk on DASH, now standard.",
    "DASH risk: not high.",
]


@pytest.mark.parametrize("text", HIGH_LABELS)
def test_dash_label_forms_read_as_high_risk(text):
    assert high_risk(text, DA_PARAMS)


@pytest.mark.parametrize("text", NOT_HIGH)
def test_other_readings_are_no_high_risk(text):
    assert not high_risk(text, DA_PARAMS)


@pytest.mark.parametrize("text", HIGH_LABELS[:7])
def test_a_dash_label_high_with_no_referral_is_flagged_by_package_and_baseline(text):
    rows = [incident("2023-09-13", "Domestic incident, child present. " + text, "Suspect arrested.")]
    assert package_pairs(rows, DA) == [("C1-e001", "")]
    assert [(f["trigger_event_id"]) for f in baseline_flags(rows) if f["rule_id"] == DA] == ["C1-e001"]
    flags = detect(make_timeline(rows), None, RULES, only=[DA])
    assert "high risk recorded" in flags.iloc[0].explanation


@pytest.mark.parametrize("text", NOT_HIGH)
def test_no_flag_for_a_single_incident_not_high(text):
    rows = [incident("2023-09-13", "Domestic incident, child present. " + text)]
    assert package_pairs(rows, DA) == []
    assert [f for f in baseline_flags(rows) if f["rule_id"] == DA] == []


def test_a_marac_referral_next_day_answers_a_dash_label_high():
    rows = [incident("2023-09-13", "Domestic incident. DASH risk: HIGH."),
            {"date": "2023-09-14", **POLICE, "contact_type": "letter", "description": "Referral to MARAC made."}]
    assert package_pairs(rows, DA) == []
