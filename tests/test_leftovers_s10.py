"""Leftover misreadings found by the tenth session's QA (`review.vocab.denies`, `detect_escalation(s)`,
`tag_concerns`), each run through the rules and the row-by-row baseline (benchmarks/baseline_rowwise.py)
where a rule reads it:

1. "on hold" ("Referral to MASH on hold pending discussion", "Assessment on hold", "Discharge on hold") read
   as taking place: it is a package plan cue now (`plan_post_cues`), so a referral on hold is not made yet
   (`plan_escalations`). Not another's hold ("Strategy discussion - police on hold for 20 minutes").
2. A consent refused read as a CP medical done ("CP medical, mother refused consent", "CP medical - consent
   refused by mother"): `consent_refusals`, read for the child's examination only (`absence_names`); a
   referral is made without consent ("Referral to MASH, mother refused consent" is one).
3. An assessment under way: "Single assessment started" counted as done, "Assessment started, to be
   completed by 5/4" as not. `assessment_wait` counts an assessment that took place (a row of the type not
   saying it did not happen: "assessment not started", "postponed"; "Assessment allocated to SW, started 5/3"
   is one): both now count (`name_affirmations.assessment`: started, commenced, in progress, ...).
"""
from __future__ import annotations

import pytest

from review.vocab import denies, detect_escalation, detect_escalations, tag_concerns
from tests.test_injury_responses_held_s9 import HV, bruise
from tests.test_misreadings_s10 import prefilter_keeps, row
from tests.test_readings_qa_s10 import ASSESS, MED, PAEDS, REF, SD, VOCAB, both  # noqa: F401  the same small cases


# 1. on hold ----------------------------------------------------------------------------------------------
ON_HOLD = [
    (REF, "Referral to MASH on hold pending discussion"),
    (REF, "Referral to MASH put on hold"),
    ("referral", "Referral to MASH on hold pending discussion"),
    ("discharge", "Discharge on hold, CP medical awaited"),
    ("discharge", "Discharge on hold"),
    (ASSESS, "Assessment on hold"),
    (ASSESS, "Assessment currently on hold"),
    (SD, "Strategy discussion on hold"),
    ("cp_conference", "ICPC on hold"),
]


@pytest.mark.parametrize("name, text", ON_HOLD)
def test_1_on_hold_did_not_take_place(name, text):
    assert denies(name, text, VOCAB)
    assert prefilter_keeps(name, [text])


@pytest.mark.parametrize("text", ["Referral to MASH on hold pending discussion", "Referral to MASH put on hold"])
def test_1_a_referral_on_hold_is_not_made(text):
    assert REF not in detect_escalations("referral", text, VOCAB)
    assert detect_escalation("clinic_appointment", text, VOCAB) == ""


@pytest.mark.parametrize("name, text", [
    (SD, "Strategy discussion - police on hold for 20 minutes"),
    (SD, "Strategy discussion, phone call on hold, then held"),
    ("cp_conference", "Child protection plan on hold"),
    ("cp_conference", "RCPC held, child protection plan on hold"),
    ("cp_conference", "ICPC - CP plan on hold"),
])
def test_1_another_hold_does_not_deny(name, text):
    assert not denies(name, text, VOCAB)


@pytest.mark.parametrize("kind, text", [
    ("phone_call", "Referral to MASH by phone, on hold 30 mins, referral taken"),
    ("phone_call", "Safeguarding referral made by phone after 40 mins on hold"),
])
def test_1_a_referral_made_after_a_wait_on_hold_is_made(kind, text):
    assert REF in detect_escalations(kind, text, VOCAB)


def test_1_the_discharge_on_hold_keeps_the_cp_medical_awaited_an_escalation_of_the_agency():
    # a CP medical requested or awaited is the escalation of the agency asking for it (vocab.yml), not held
    text = "Discharge on hold, CP medical awaited"
    assert MED in detect_escalations("discharge", text, VOCAB)
    assert denies(MED, text, VOCAB)


def test_1_injury_not_escalated_flags_a_bruise_answered_by_a_referral_on_hold():
    on_hold = [bruise("2023-03-01"), row("2023-03-01", "referral", "Referral to MASH on hold pending discussion", HV)]
    assert on_hold[1]["escalation"] == ""
    assert both(on_hold, "injury_not_escalated") == [("C1-e001", "")]
    made = [bruise("2023-03-01"), row("2023-03-01", "referral", "Referral to MASH made", HV)]
    assert both(made, "injury_not_escalated") == []


def test_1_strategy_no_conference_ignores_a_strategy_discussion_on_hold():
    rows = [row("2023-03-01", SD, "Strategy discussion on hold"), row("2023-06-30", "home_visit", "Home visit")]
    assert rows[0]["escalation"] == ""
    assert both(rows, "strategy_no_conference") == []
    held = [row("2023-03-01", SD, "Strategy discussion held"), rows[1]]
    assert both(held, "strategy_no_conference") == [("C1-e001", "")]


# 2. consent refused for the CP medical ------------------------------------------------------------------------
MED_REFUSED = [
    "CP medical, mother refused consent",
    "CP medical - consent refused by mother",
    "CP medical not done as parents refused consent",
    "CP medical: consent refused",
    "CP medical - no consent",
    "CP medical, parents did not consent",
    "Mother refused consent for CP medical",
    "CP medical - mother refused consent, rebooked with PPO",
]
MED_DONE = [
    "CP medical completed, mother refused consent for photographs",
    "CP medical completed, father refused consent",
    "CP medical, no consent for photos",
    "CP medical undertaken under police protection, mother refused consent",
]


@pytest.mark.parametrize("text", MED_REFUSED)
def test_2_a_consent_refused_denies_the_cp_medical(text):
    assert denies(MED, text, VOCAB)
    assert MED not in detect_escalations("clinic_appointment", text, VOCAB)
    assert prefilter_keeps(MED, [text])


@pytest.mark.parametrize("text", MED_DONE)
def test_2_a_consent_to_something_else_or_after_it_was_done_does_not(text):
    assert not denies(MED, text, VOCAB)
    assert MED in detect_escalations("clinic_appointment", text, VOCAB)


@pytest.mark.parametrize("kind", ["referral", "clinic_appointment"])
def test_2_a_referral_is_made_without_consent(kind):
    text = "Referral to MASH, mother refused consent"
    assert REF in detect_escalations(kind, text, VOCAB)
    assert not denies(REF, text, VOCAB)
    assert not denies(ASSESS, "Assessment, mother refused consent", VOCAB)


def test_2_the_concerns_are_still_read():
    assert "bruising" in tag_concerns("CP medical, mother refused consent, bruise to cheek", VOCAB)


def test_2_rules_read_the_cp_medical_refused_as_none():
    refused = [bruise("2023-03-01"), row("2023-03-01", MED, "CP medical, mother refused consent", PAEDS)]
    assert refused[1]["escalation"] == ""
    assert both(refused, "injury_not_escalated") == [("C1-e001", "")]
    done = [bruise("2023-03-01"),
            row("2023-03-01", MED, "CP medical completed, mother refused consent for photographs", PAEDS)]
    assert done[1]["escalation"] == MED
    assert both(done, "injury_not_escalated") == []
    referral = [bruise("2023-03-01"), row("2023-03-01", "referral", "Referral to MASH, mother refused consent", HV)]
    assert both(referral, "injury_not_escalated") == []


# 3. an assessment under way ------------------------------------------------------------------------------------
UNDER_WAY = [
    "Single assessment started",
    "Assessment started, to be completed by 5/4",
    "Assessment commenced, to be completed within 45 days",
    "Assessment in progress, to be completed by 5/4",
    "Assessment allocated to SW, started 5/3",
]
NOT_STARTED = [
    "Assessment not yet started",
    "Assessment to be started",
    "Assessment due to start 14/3",
    "Assessment not started, to be completed by 5/4",
    "Assessment to be completed by 5/4",
]


@pytest.mark.parametrize("text", UNDER_WAY)
def test_3_an_assessment_under_way_took_place(text):
    assert not denies(ASSESS, text, VOCAB)


@pytest.mark.parametrize("text", NOT_STARTED)
def test_3_one_not_started_did_not(text):
    assert denies(ASSESS, text, VOCAB)
    assert prefilter_keeps(ASSESS, [text])


@pytest.mark.parametrize("text", ["Single assessment started", "Assessment started, to be completed by 5/4"])
def test_3_assessment_wait_counts_both_sentences_alike(text):
    rows = [row("2023-03-01", "referral", "Referral to MASH, assessment requested"),
            row("2023-03-10", ASSESS, text), row("2023-06-30", "home_visit", "Home visit")]
    # both read alike: the assessment under way; social care's assessment is due *completed* within 45
    # working days (Working Together 2023, s14), so a start alone leaves the request flagged, with no
    # completion recorded (tests/test_ages_s14.py)
    assert both(rows, "assessment_wait") == [("C1-e001", "")]
    not_started = [rows[0], row("2023-03-10", ASSESS, "Assessment not yet started"), rows[2]]
    assert both(not_started, "assessment_wait") == [("C1-e001", "")]
