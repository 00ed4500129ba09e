"""Fifteenth session's QA pass on which agency a flag is about (QA cases A and B, rebuilt here as small
fixtures): children's social care's record of RECEIVING a referral or notification proves the referral was
made and is no concern of its own needing a referral (settings.receipt_*, the rules' `receipts_answer`); a
non-mobile injury's flag is about the agency that saw it, not social care's receipt of the referral; social
care deciding NFA / early help on a high-risk domestic abuse notification about a baby is flagged (variant
nfa_decision); a missing child found and returned home by the police is no decision point."""
import numpy as np
import pytest

from review.rules import agency_knowledge, detect, load_rules, merge_rules
from review.rules.base import prepare, referral_receipts
from review.rules.testing import make_timeline

from _baseline import baseline_flags

RULES = load_rules()
CSC = {"agency": "Eastborough Children's Social Care", "agency_kind": "social care"}
SCHOOL = {"agency": "Hillcrest Academy", "agency_kind": "other"}
POLICE = {"agency": "Riverside Police", "agency_kind": "police"}
HOSPITAL = {"agency": "Riverside General Hospital", "agency_kind": "health"}


def _flags(rows, rule, dob="2023-01-01", rules=RULES):
    return detect(make_timeline(rows, dob=dob), None, rules, only=[rule])


def _baseline(rows, rule):
    """(trigger, flag id) of the row-by-row baseline's flags of `rule` (the id holds the variant)."""
    return sorted((f["trigger_event_id"], f["flag_id"]) for f in baseline_flags(rows) if f["rule_id"] == rule)


def _package(flags):
    return sorted(zip(flags["trigger_event_id"], flags["flag_id"])) if len(flags) else []


def _nfa(flags):
    """The trigger events of the nfa_decision flags (their explanation says so)."""
    return flags.loc[flags["explanation"].str.contains("decided no further action"), "trigger_event_id"].tolist()


# --- the reading -----------------------------------------------------------------------------------------
@pytest.mark.parametrize("text, receipt", [
    ("Referral from Hillcrest Academy re CSE: older boyfriend, gifts.", True),
    ("Police notification of DA incident 10/05, DASH high.", True),
    ("Police referral re missing episode and possible CCE.", True),
    ("Referral received from school re self-harm.", True),
    ("No referral received from school.", False),
    ("Referral from school awaited.", False),
    ("Home visit, Ellie not at home.", False),
])
def test_social_care_receipts_are_read_from_the_text(text, receipt):
    rows = [{"date": "2023-06-01", "contact_type": "referral", "description": text, **CSC},
            {"date": "2023-06-01", "contact_type": "other", "description": text, **SCHOOL}]
    ctx = prepare(make_timeline(rows), None, RULES["settings"])
    # only social care's row: the school's "referral from" is no receipt by children's social care
    assert referral_receipts(ctx).tolist() == [receipt, False]


# --- 1. exploitation: social care's receipt is no concern of its own (case A flag 2) ----------------------
def _case_a_rows():
    return [
        {"date": "2023-11-02", "contact_type": "other", "concerns": "exploitation", "escalation": "referral_to_csc",
         "description": "Ellie disclosed an older boyfriend who collects her from school. CSE indicators.",
         "action": "Referral to MASH made", **SCHOOL},
        {"date": "2023-11-03", "contact_type": "referral", "concerns": "exploitation",
         "description": "Referral from Hillcrest Academy re CSE: older boyfriend, gifts.", **CSC},
    ]


def test_social_care_receipt_of_an_exploitation_referral_is_no_flag():
    rows = _case_a_rows()
    assert _flags(rows, "exploitation_not_referred").empty
    assert _baseline(rows, "exploitation_not_referred") == []


def test_a_receipt_still_flags_when_receipts_do_not_answer():
    # (s17: a social care row is no trigger by default, trigger_not_agency_kinds; without it, as before)
    # (s20, QA10: nor is any agency's receipt, trigger_not_receipts; without it, as before)
    rules = merge_rules(RULES, {"rules": {"exploitation_not_referred": {"receipts_answer": False,
                                                                        "trigger_not_agency_kinds": [],
                                                                        "trigger_not_receipts": False}}}, "test")
    flags = _flags(_case_a_rows(), "exploitation_not_referred", rules=rules)
    assert flags["trigger_event_id"].tolist() == ["C1-e002"]  # the receipt, as before the fix
    default = merge_rules(RULES, {"rules": {"exploitation_not_referred": {"receipts_answer": False,
                                                                          "trigger_not_agency_kinds": []}}}, "test")
    assert _flags(_case_a_rows(), "exploitation_not_referred", rules=default).empty


def test_a_police_exploitation_concern_is_answered_by_social_care_receipt_next_day():
    rows = [
        {"date": "2023-07-10", "contact_type": "other", "concerns": "exploitation; missing",
         "description": "Ellie missing 2 nights, found with older male. Possible county lines.",
         "action": "Returned home.", **POLICE},
        {"date": "2023-07-11", "contact_type": "referral", "concerns": "exploitation; missing",
         "description": "Police referral re missing episode and possible CCE.", **CSC},
    ]
    assert _flags(rows, "exploitation_not_referred").empty
    assert _baseline(rows, "exploitation_not_referred") == []
    # a receipt after the deadline is the late referral, dated no later than the receipt
    rows[1]["date"] = "2023-07-14"
    flags = _flags(rows, "exploitation_not_referred")
    assert flags["trigger_event_id"].tolist() == ["C1-e001"]
    assert flags["actual_action_event_id"].tolist() == ["C1-e002"]
    assert _baseline(rows, "exploitation_not_referred") == _package(flags)


# --- 1. domestic abuse: case B flags 5 and 6, and the NFA decision no rule raised -------------------------
def _case_b_rows(action="NFA - passed to Early Help"):
    return [
        {"date": "2023-05-10 23:45", "contact_type": "police_callout", "concerns": "domestic_abuse",
         "description": "Domestic incident. Partner pushed mother while she was holding the baby. DASH: High.",
         "action": "Partner arrested. Referral to MARAC not made yet.", **POLICE},
        {"date": "2023-05-11", "contact_type": "referral", "concerns": "domestic_abuse",
         "description": "Police notification of DA incident 10/05, DASH high.", "action": action, **CSC},
    ]


def test_police_notification_received_next_working_day_answers_the_police_incident():
    flags = _flags(_case_b_rows(), "domestic_abuse_not_escalated", dob="2023-01-10")
    # neither the police incident (answered by the receipt on 11/05) nor social care's own receipt, but
    # social care's NFA / early help on a high-risk notification about a 4-month-old baby
    assert flags["trigger_event_id"].tolist() == ["C1-e002"] and _nfa(flags) == ["C1-e002"]
    text = flags["explanation"].iloc[0]
    assert "decided no further action or early help on 11 May 2023" in text
    assert "about a child aged 121 days (under 12 months)" in text  # (the fixture has no age_display)
    assert "no strategy discussion, section 47 enquiry, child protection conference or assessment" in text


def test_nfa_decision_matches_the_baseline():
    # the baseline helper's child is born 1 Jan 2023: 4 months old on 11 May 2023
    rows = _case_b_rows()
    flags = _flags(rows, "domestic_abuse_not_escalated")
    assert _nfa(flags) == ["C1-e002"]
    assert _baseline(rows, "domestic_abuse_not_escalated") == _package(flags)


@pytest.mark.parametrize("action, dob, flagged", [
    ("NFA - passed to Early Help", "2023-01-10", True),
    ("Single assessment; strategy discussion arranged", "2023-01-10", False),  # no NFA
    ("NFA - passed to Early Help", "2021-01-10", False),  # a child of 2: not under 1
    ("NFA not agreed by team manager", "2023-01-10", False),  # negated
])
def test_nfa_decision_only_on_a_baby_and_a_decision_not_negated(action, dob, flagged):
    flags = _flags(_case_b_rows(action), "domestic_abuse_not_escalated", dob=dob)
    assert bool(_nfa(flags)) is flagged


def test_nfa_decision_overturned_by_a_strategy_discussion_next_day_is_no_flag():
    rows = _case_b_rows() + [{"date": "2023-05-12", "contact_type": "strategy_discussion",
                              "escalation": "strategy_discussion", "description": "Strategy discussion re DA.", **CSC}]
    assert _flags(rows, "domestic_abuse_not_escalated").empty
    assert _baseline(rows, "domestic_abuse_not_escalated") == []


def test_nfa_decision_switched_off_by_an_empty_keyword_list():
    rules = merge_rules(RULES, {"rules": {"domestic_abuse_not_escalated": {"nfa_keywords": []}}}, "test")
    assert _flags(_case_b_rows(), "domestic_abuse_not_escalated", dob="2023-01-10", rules=rules).empty


# --- 2. non-mobile injury: the flag is about the hospital that saw it (case B flag 8) ---------------------
def _frenulum_rows():
    return [
        {"date": "2023-05-20", "contact_type": "referral", "concerns": "other_injury",
         "description": "Referral from hospital: torn frenulum in 4 month old.", "action": "MASH screening", **CSC},
        {"date": "2023-05-20 19:30", "contact_type": "ae_attendance", "concerns": "other_injury",
         "escalation": "referral_to_csc",
         "description": "4 month old with bleeding from mouth. Torn frenulum. Mother says bottle pushed in by sibling.",
         "action": "Discussed with paediatric registrar. Referral to children's social care made.", **HOSPITAL},
    ]


def test_nonmobile_injury_flag_is_the_referring_hospital_s_not_social_care_s_receipt():
    flags = _flags(_frenulum_rows(), "nonmobile_injury")
    assert flags["trigger_event_id"].tolist() == ["C1-e002"]
    assert flags["agencies"].tolist() == ["Riverside General Hospital"]
    assert "with no same-day child protection medical" in flags["explanation"].iloc[0]
    assert _baseline(_frenulum_rows(), "nonmobile_injury") == _package(flags)


def test_a_receipt_alone_is_the_referral_of_an_injury_seen_the_same_day():
    # the hospital's row does not say it referred: social care's receipt that day is the referral
    rows = _frenulum_rows()
    rows[1].update(escalation="", action="Discussed with paediatric registrar.")
    flags = _flags(rows, "nonmobile_injury")
    assert flags["trigger_event_id"].tolist() == ["C1-e002"]
    assert "referral received, Eastborough Children's Social Care" in flags["explanation"].iloc[0]
    assert "with no same-day child protection medical" in flags["explanation"].iloc[0]
    assert _baseline(rows, "nonmobile_injury") == _package(flags)


# --- 3. a missing child found and returned home is no decision point (case A flags 12-19) -----------------
def _return_rows(agency, concerns):
    return [
        {"date": "2023-04-15", "contact_type": "clinic_appointment", "concerns": "was_not_brought",
         "description": "Ellie did not attend choice appointment.", "agency": "Eastborough CAMHS",
         "agency_kind": "health"},
        {"date": "2023-07-10", "contact_type": "other", "concerns": concerns,
         "description": "Ellie missing from home 2 nights. Found in Brighton.", "action": "Returned home.", **agency},
    ]


def test_police_returning_a_missing_child_home_is_no_decision_point():
    rows = _return_rows(POLICE, "missing")
    assert _flags(rows, "information_not_shared").empty
    assert agency_knowledge(make_timeline(rows), RULES).empty
    assert _baseline(rows, "information_not_shared") == []


@pytest.mark.parametrize("agency, concerns", [(POLICE, ""), (CSC, "missing")])
def test_return_home_words_are_no_decision_by_police_nor_on_a_missing_episode(agency, concerns):
    rows = _return_rows(agency, concerns)
    assert _flags(rows, "information_not_shared").empty
    assert _baseline(rows, "information_not_shared") == []


@pytest.mark.parametrize("agency", [CSC, {"agency": "Foster carer", "agency_kind": "other"}])
def test_a_return_home_from_care_is_still_a_decision_point(agency):
    rows = _return_rows(agency, "")
    rows[1].update(description="Looked after review: Ellie returned home to mother's care.", action="")
    flags = _flags(rows, "information_not_shared")
    assert "before its decision (returned home)" in flags["explanation"].iloc[0]
    assert len(flags) == 1 and _baseline(rows, "information_not_shared") == _package(flags)
    assert np.array_equal(agency_knowledge(make_timeline(rows), RULES)["decision"].to_numpy(), ["returned_home"])
