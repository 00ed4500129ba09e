"""domestic_abuse_not_escalated, thirteenth session: a high risk read only where it is a domestic abuse risk
(rules.yml high_risk_general_keywords / high_risk_objects / high_risk_context), no trigger where the row says
the child does not live in the household (residence_*), and a MARAC referral recorded as an escalation of kind
marac: a response for this rule, never a referral to children's social care nor "any escalation" for the
child in another rule."""
import datetime as dt

import openpyxl
import pandas as pd
import pytest

from review.config import load_case_config, package_data
from review.ingest.load import load_contacts
from review.rules import detect, load_rules
from review.rules.domestic_abuse_not_escalated import high_risk, lives_elsewhere
from review.rules.latency import response_latency
from review.rules.testing import make_timeline
from review.schema import ADULT_ESCALATIONS, ESCALATIONS, validate
from review.vocab import detect_escalations

RULE = "domestic_abuse_not_escalated"
RULES = load_rules()
PARAMS = RULES["rules"][RULE]["params"]
VOCAB = package_data("vocab.yml")
POLICE = {"agency": "Police", "agency_kind": "police", "contact_type": "police_callout"}
GP = {"agency": "GP", "agency_kind": "health"}


def flags_of(rows, rule=RULE):
    """The rule's flags; of domestic_abuse_not_escalated, those of its high-risk, DASH score and repeat readings
    (s18: not the variant notification's, which flags any police incident not notified to children's social care:
    tests/test_domestic_abuse_notification_s18.py)."""
    flags = detect(make_timeline(rows), None, RULES, only=[rule])
    if rule != RULE or flags.empty:
        return flags
    return flags[~flags["explanation"].str.contains("no notification to children's social care", regex=False)]


def incident(date, description, action="", **kw):
    return {"date": date, **POLICE, "concerns": "domestic_abuse", "description": description, "action": action, **kw}


# --- 1. a high risk is a domestic abuse risk ---------------------------------------------------------------
@pytest.mark.parametrize("text", [
    "DA incident, child present. DASH completed - high risk.",
    "DV incident, high risk on professional judgement.",
    "Police attended domestic incident. Mother and child present. Assessed as high risk.",
    "Domestic incident. Mother at high risk of harm from partner.",
    "Domestic incident. High risk of serious harm.",
    "DV incident. Mother at high risk of further DA.",
    "Domestic abuse: risk level high.",
    "Domestic incident - DASH high risk",
    "Domestic abuse. Meets MARAC threshold.",
])
def test_a_domestic_abuse_high_risk_is_flagged(text):
    flags = flags_of([incident("2023-03-01", text)])
    assert list(flags["trigger_event_id"]) == ["C1-e001"]
    assert "high risk recorded" in flags.iloc[0].explanation


@pytest.mark.parametrize("text", [
    # "high risk of <not abuse>" (before: any "high risk" on a row tagged domestic abuse was a trigger)
    "Domestic abuse disclosed. Mother at high risk of SIDS advice given.",
    "DV disclosed. Mother at high risk of falls.",
    "Domestic abuse. Mother at high risk of self-harm.",
    "Argument between parents. Child is high risk of SIDS as co-sleeping.",
    # another risk named straight after the words
    "DV disclosed at booking. High risk pregnancy.",
    # no domestic abuse named in its sentence or before it
    "High risk pregnancy. DV disclosed at booking.",
    "High risk. DV disclosed.",
    # negated, as before
    "Domestic incident. DASH: medium risk, not high risk.",
    "Domestic incident. No high risk factors identified on DASH.",
    "Domestic abuse, DASH completed. MARAC threshold not met.",
])
def test_a_high_risk_of_something_else_is_not_flagged(text):
    assert flags_of([incident("2023-03-01", text)]).empty
    assert not high_risk(text, PARAMS)


def test_the_high_risk_reading_is_configurable():
    text = "Domestic abuse disclosed. Mother at high risk of homelessness."
    assert not high_risk(text, PARAMS)
    assert high_risk(text, {**PARAMS, "high_risk_objects": [*PARAMS["high_risk_objects"], "homelessness"]})
    # a context word removed: the bare "high risk" after it is no domestic abuse risk any more
    assert high_risk("Domestic incident. Assessed as high risk.", PARAMS)
    assert not high_risk("Domestic incident. Assessed as high risk.",
                         {**PARAMS, "high_risk_context": [w for w in PARAMS["high_risk_context"] if w != "domestic"]})


def test_a_dash_score_still_triggers_whatever_the_high_risk_words_say():
    flags = flags_of([incident("2023-03-01", "Domestic incident. Mother at high risk of falls. DASH score 16.")])
    assert len(flags) == 1 and "a DASH score of 14 or more" in flags.iloc[0].explanation


# --- 2. the child does not live in the household ------------------------------------------------------------
@pytest.mark.parametrize("text", [
    "DASH completed - high risk. Child lives with father.",
    "DASH completed - high risk. Child not present, lives with grandmother.",
    "DASH completed - high risk. Child not resident at the address.",
    "DASH high risk. Child currently lives full time with paternal grandparents.",
    "DASH high risk. Child lives elsewhere.",
    "DASH high risk, children do not live at the property.",
    "DASH high risk. No children resident at the address.",
])
def test_a_child_living_elsewhere_is_not_flagged(text):
    assert lives_elsewhere(text, PARAMS)
    assert flags_of([incident("2023-03-01", text)]).empty


@pytest.mark.parametrize("text", [
    "DASH completed - high risk. Child lives with mother and grandmother.",
    "DASH completed - high risk. Child does not live with father.",
    "DASH completed - high risk. Mother lives with partner.",
    "DASH completed - high risk. Sibling lives with father.",
    "DASH completed - high risk. Child's father lives with partner.",
    "DASH completed - high risk. Lives with grandmother.",  # no subject: not read
    "DASH completed - high risk. Child not resident with mother.",  # whose household, not said
    "DASH completed - high risk. Child present. Mother's partner is not resident.",
])
def test_no_explicit_statement_that_the_child_lives_elsewhere_is_still_flagged(text):
    assert not lives_elsewhere(text, PARAMS)
    assert len(flags_of([incident("2023-03-01", text)])) == 1


def test_an_incident_with_the_child_elsewhere_still_counts_towards_the_repeat_threshold():
    rows = [incident("2023-01-10", "Domestic incident. DASH standard risk."),
            incident("2023-02-10", "Domestic incident. DASH standard risk. Child lives with father."),
            incident("2023-03-10", "Domestic incident. DASH standard risk. Child not resident at the address."),
            incident("2023-04-12", "Domestic incident. DASH standard risk.")]
    flags = flags_of(rows)
    # the third incident is no trigger (the child lives elsewhere), the fourth is, with all four as evidence
    assert list(flags["trigger_event_id"]) == ["C1-e004"]
    assert "4 domestic abuse incidents" in flags.iloc[0].explanation
    assert flags.iloc[0].evidence_event_ids == "C1-e001; C1-e002; C1-e003; C1-e004"


def test_the_residence_reading_can_be_switched_off():
    rows = [incident("2023-03-01", "DASH high risk. Child lives with father.")]
    rules = {**RULES, "rules": {**RULES["rules"], RULE: {**RULES["rules"][RULE],
                                                         "params": {**PARAMS, "residence_verbs": []}}}}
    assert len(detect(make_timeline(rows), None, rules, only=[RULE])) == 1


# --- 3. MARAC referrals: an escalation of kind marac -------------------------------------------------------
@pytest.mark.parametrize("text, expected", [
    ("Referral to MARAC.", ["marac"]),
    ("MARAC referral made by the DA officer.", ["marac"]),
    ("DASH high risk, referred to MARAC.", ["marac"]),
    ("Referred to MARAC and referral to MASH made.", ["marac", "referral_to_csc"]),
    ("Consider MARAC referral.", []),
    ("Referral to MARAC pending.", []),
    ("Plan: referral to MARAC.", []),
    ("MARAC referral not made.", []),
    ("Discussed at MARAC.", []),
])
def test_ingest_names_a_marac_referral(text, expected):
    assert detect_escalations("referral", text, VOCAB) == expected
    assert "marac" in ESCALATIONS and "marac" in ADULT_ESCALATIONS


def test_a_chronology_row_referring_to_marac_has_escalation_marac(tmp_path):
    (tmp_path / "case.yml").write_text("case_id: C1\ndate_of_birth: 2022-06-01\n", encoding="utf-8")
    wb = openpyxl.Workbook()
    wb.active.append(["Date", "Type", "Details"])
    wb.active.append([dt.datetime(2023, 4, 3), "Letter", "DASH high risk. Referral to MARAC made."])
    wb.active.append([dt.datetime(2023, 4, 4), "Letter", "Referral to MASH made."])
    wb.save(tmp_path / "a.xlsx")
    contacts, _ = load_contacts(load_case_config(tmp_path))
    assert list(contacts["escalation"]) == ["marac", "referral_to_csc"]
    assert not (validate(contacts)["column"] == "escalation").any()  # "marac" is a valid escalation
    assert (validate(contacts.assign(escalation="maracc"))["column"] == "escalation").any()


def test_a_marac_escalation_is_a_response_for_the_domestic_abuse_rule():
    # "MARAC form sent" names none of the response keywords: the escalation cell is the response
    response = {"date": "2023-03-02", "agency": "Police", "agency_kind": "police", "contact_type": "letter",
                "escalation": "marac", "description": "MARAC form completed and sent."}
    assert flags_of([incident("2023-03-01", "DASH completed - high risk."), response]).empty
    late = {**response, "date": "2023-03-10"}
    flags = flags_of([incident("2023-03-01", "DASH completed - high risk."), late])
    assert len(flags) == 1 and flags.iloc[0].actual_action_event_id == "C1-e002"


def test_a_marac_referral_is_no_referral_to_childrens_social_care_for_the_injury_rule():
    injury = {"date": "2023-03-01", **GP, "contact_type": "clinic_appointment", "concerns": "bruising",
              "description": "Bruise to cheek.", "age_days": 300, "child_mobile": True}
    marac = {"date": "2023-03-01", "agency": "Police", "agency_kind": "police", "contact_type": "referral",
             "escalation": "marac", "description": "Referral to MARAC made."}
    csc = {**marac, "escalation": "referral_to_csc", "description": "Referral to MASH made."}
    assert len(flags_of([injury, marac], "injury_not_escalated")) == 1
    assert flags_of([injury, csc], "injury_not_escalated").empty


def test_a_marac_referral_is_no_referral_awaiting_a_decision():
    marac = {"date": "2023-03-01", "agency": "Police", "agency_kind": "police", "contact_type": "letter",
             "escalation": "marac", "description": "Referral to MARAC made."}
    assert flags_of([marac], "referral_no_decision").empty


def test_a_marac_referral_is_no_follow_up_of_missed_appointments():
    def wnb(date):
        return {"date": date, **GP, "contact_type": "was_not_brought", "concerns": "was_not_brought",
                "child_seen": False}

    follow = {"date": "2023-03-20", **GP, "contact_type": "letter", "child_seen": False,
              "description": "GP made referral."}
    rows = [wnb("2023-03-01"), wnb("2023-03-15"), wnb("2023-03-29")]
    flagged = flags_of(rows + [{**follow, "escalation": "marac"}], "was_not_brought")
    as_referral = flags_of(rows + [{**follow, "escalation": "referral_to_csc"}], "was_not_brought")
    assert len(flagged) > len(as_referral)


def test_response_latency_does_not_take_a_marac_referral_for_the_childs_escalation():
    timeline = make_timeline([
        {"date": "2023-03-01", **POLICE, "concerns": "domestic_abuse", "description": "DASH standard risk."},
        {"date": "2023-03-02", "agency": "Police", "agency_kind": "police", "contact_type": "letter",
         "escalation": "marac", "description": "Referral to MARAC made."},
        {"date": "2023-03-05", "contact_type": "referral", "escalation": "referral_to_csc",
         "description": "Referral to MASH made."},
    ])
    row = response_latency(timeline, detect(timeline, None, RULES), RULES).iloc[0]
    assert row.first_escalation_event_id == "C1-e003" and row.latency_days == 4
    assert row.first_escalation == "referral_to_csc"


def test_the_bundled_rules_name_marac_only_where_it_is_the_domestic_abuse_response():
    escalation_keys = ("escalations", "referral_escalations", "assessment_escalations", "done_contact_types",
                       "assessed_by")
    for rule_id, spec in RULES["rules"].items():
        for key, values in spec.get("params", {}).items():
            if key in escalation_keys and "marac" in values:
                assert (rule_id, key) == (RULE, "escalations")
    assert pd.Series(PARAMS["escalations"]).isin(ESCALATIONS).all()
