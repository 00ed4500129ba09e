"""Adversarial QA of the tenth session's readings (referrals planned, comma answers, "attended by", unconcerned
cues, the child's absence, held escalations): chronology sentences as practitioners write them that were
misread, each run through the rules and the row-by-row baseline (benchmarks/baseline_rowwise.py) where a
rule reads it.

1. A referral's plan cue followed by what a referral already made awaits ("Referral to MASH pending
   outcome", "... awaiting response", "... awaiting MASH decision") or "booked in" ("Safeguarding referral
   booked in with MASH": logged by MASH) read as no referral (`plan_escalation_objects`,
   `plan_escalation_exceptions`); "Referral to MASH pending" / "booked" are still none.
2. "Referral to MASH drafted, not yet sent", "Referral to MASH not yet submitted" read as a referral made.
3. Plans not read as plans: "Referral to MASH to follow", "Referral to MASH will be made tomorrow",
   "Assessment to commence 14/3", "Strategy discussion to be attended by HV".
4. "Assessment abandoned as family left area" read as an assessment done.
5. "CP med, child not brought" (the abbreviation) read as a CP medical done.
6. A lack of concern with a word between ("No concerns raised re bruising by nursery", "No safeguarding
   concerns re bruising", "No concerns noted re the bruise") hid the bruise.
7. An escalation keyword answered after a comma ("CP medical, cancelled" in a paediatric clinic row)
   was an escalation, though `denies` read the same sentence as no CP medical.
8. "Strategy discussion - police unable to attend, rearranged for 14/3": the cue after a participant's
   absence answers the meeting (it was read as held).
"""
from __future__ import annotations

import pytest

from review.config import load_vocab
from review.vocab import denies, detect_escalations, tag_concerns
from tests._baseline import baseline_pairs, package_pairs
from tests.test_injury_responses_held_s9 import HV, bruise
from tests.test_misreadings_s10 import prefilter_keeps, row

VOCAB = load_vocab()
SD, MED, ASSESS, REF = "strategy_discussion", "cp_medical", "assessment", "referral_to_csc"
PAEDS = {"agency": "Paediatrics", "agency_kind": "health"}


def both(rows, rule):
    package = package_pairs(rows, rule)
    assert package == baseline_pairs(rows, rule)
    return package


def referral_made(text):
    return REF in detect_escalations("referral", text, VOCAB)


# 1. a referral made that awaits its answer, or booked in by MASH -------------------------------------------
REFERRAL_MADE = [
    "Safeguarding referral booked in with MASH",
    "Referral to MASH pending outcome",
    "Referral to MASH is pending outcome",
    "Referral to MASH awaiting response",
    "Referral to MASH awaiting a response",
    "Referral to MASH awaiting outcome",
    "MASH referral awaiting MASH decision",
    "Referral to MASH made, outcome pending",
]
REFERRAL_NOT_MADE = [
    "Referral to MASH pending",
    "Referral to MASH booked",
    "MASH referral outstanding",
    "Referral to MASH pending consent from mother",
    "Referral to MASH scheduled for Monday",
]


@pytest.mark.parametrize("text", REFERRAL_MADE)
def test_1_a_referral_awaiting_its_answer_is_made(text):
    assert referral_made(text)


@pytest.mark.parametrize("text", REFERRAL_NOT_MADE)
def test_1_a_referral_only_planned_is_still_not_made(text):
    assert not referral_made(text)


def test_1_injury_not_escalated_reads_the_referral_awaiting_its_outcome_as_the_response():
    made = [bruise("2023-03-01"), row("2023-03-01", "referral", "Referral to MASH pending outcome", HV)]
    assert both(made, "injury_not_escalated") == []
    planned = [bruise("2023-03-01"), row("2023-03-01", "referral", "Referral to MASH pending", HV)]
    assert both(planned, "injury_not_escalated") == [("C1-e001", "")]


# 2. drafted, not sent --------------------------------------------------------------------------------------
@pytest.mark.parametrize("text", ["Referral to MASH drafted, not yet sent", "Referral to MASH not yet sent",
                                  "Referral to MASH not yet submitted", "MASH referral not submitted"])
def test_2_a_referral_not_yet_sent_is_not_made(text):
    assert not referral_made(text)


@pytest.mark.parametrize("text", ["Referral to MASH sent 14/3", "Referral to MASH re-sent as not received"])
def test_2_a_referral_sent_is_made(text):
    assert referral_made(text)


# 3. plans still to come ------------------------------------------------------------------------------------
@pytest.mark.parametrize("text", ["Referral to MASH to follow", "Referral to MASH will be made tomorrow",
                                  "Referral to MASH will be sent today"])
def test_3_a_referral_to_come_is_not_made(text):
    assert not referral_made(text)


@pytest.mark.parametrize("name, text", [(ASSESS, "Assessment to commence 14/3"), (ASSESS, "Assessment to start 14/3"),
                                        (SD, "Strategy discussion to be attended by HV"),
                                        (ASSESS, "Assessment will be completed by 5/4")])
def test_3_a_meeting_or_assessment_to_come_did_not_take_place(name, text):
    assert denies(name, text, VOCAB)
    assert prefilter_keeps(name, [text])


@pytest.mark.parametrize("name, text", [(ASSESS, "Assessment completed, report to follow"),
                                        (SD, "Strategy discussion held, ICPC to follow"),
                                        (SD, "Strategy discussion attended by HV"),
                                        (ASSESS, "Assessment completed, SW to start CIN plan"),
                                        # straight after the words only: a record to come is no plan
                                        ("discharge", "Discharge letter to follow"),
                                        (MED, "CP medical report to follow"),
                                        (SD, "Strategy discussion minutes to follow"),
                                        (MED, "CP medical report will be sent to SW"),
                                        ("cp_conference", "ICPC report will be sent")])
def test_3_one_done_with_something_else_to_come_still_took_place(name, text):
    assert not denies(name, text, VOCAB)


def test_3_assessment_wait_flags_a_request_answered_by_an_assessment_to_commence():
    rows = [row("2023-03-01", "referral", "Referral to MASH, assessment requested"),
            row("2023-03-10", ASSESS, "Assessment to commence 14/3"), row("2023-06-30", "home_visit", "Home visit")]
    assert both(rows, "assessment_wait") == [("C1-e001", "")]


# 4. abandoned -----------------------------------------------------------------------------------------------
@pytest.mark.parametrize("text", ["Assessment abandoned as family left area", "Assessment, abandoned",
                                  "Assessment was abandoned"])
def test_4_an_assessment_abandoned_is_none(text):
    assert denies(ASSESS, text, VOCAB)
    assert prefilter_keeps(ASSESS, [text])


# 5. the abbreviation "CP med" --------------------------------------------------------------------------------
@pytest.mark.parametrize("text", ["CP med, child not brought", "CP med cancelled", "CP med - WNB"])
def test_5_cp_med_denied(text):
    assert denies(MED, text, VOCAB)
    assert MED not in detect_escalations(MED, text, VOCAB)
    assert prefilter_keeps(MED, [text])


def test_5_cp_med_completed_still_is_one():
    assert not denies(MED, "CP med completed, bruising consistent with NAI", VOCAB)
    rows = [bruise("2023-03-01"), row("2023-03-01", MED, "CP med, child not brought", PAEDS)]
    assert both(rows, "injury_not_escalated") == [("C1-e001", "")]


# 6. a lack of concern with a word between ------------------------------------------------------------------
@pytest.mark.parametrize("text, tag", [
    ("No concerns raised re bruising by nursery", "bruising"),
    ("No safeguarding concerns re bruising, mobile toddler", "bruising"),
    ("No concerns noted re the bruise", "bruising"),
    ("No concerns raised about head injury", "head_injury"),
    ("no concerns expressed re burn to hand", "burn"),
])
def test_6_a_lack_of_concern_keeps_the_finding(text, tag):
    assert tag in tag_concerns(text, VOCAB)


@pytest.mark.parametrize("text, tag", [
    ("No safeguarding concerns re neglect", "neglect"),
    ("No concerns raised re DV", "domestic_abuse"),
    ("No bruising seen", "bruising"),
    ("No concerns noted, no bruising", "bruising"),
])
def test_6_a_judgement_or_a_finding_denied_is_still_negated(text, tag):
    assert tag not in tag_concerns(text, VOCAB)


def test_6_nonmobile_injury_flags_the_bruise_nobody_was_concerned_about():
    rows = [{"date": "2023-03-01", "contact_type": "home_visit", "description": "No concerns raised re bruising by nursery",
             "concerns": ";".join(tag_concerns("No concerns raised re bruising by nursery", VOCAB)), **HV}]
    assert both(rows, "nonmobile_injury") == [("C1-e001", "")]


# 7. an escalation keyword answered after a comma --------------------------------------------------------------
@pytest.mark.parametrize("text", ["CP medical, cancelled", "CP medical, cancelled by SW", "CP medical, not done",
                                  "CP medical, did not take place", "Referral to MASH drafted, not yet sent"])
def test_7_a_keyword_answered_after_a_comma_is_no_escalation(text):
    assert detect_escalations("clinic_appointment", text, VOCAB) == []


@pytest.mark.parametrize("text, escalation", [
    ("CP medical, child seen with mother", MED),
    ("CP medical completed, child DNA dental appointment", MED),
    ("Referred to MASH, mother refused CP medical", REF),
    ("Referral to MASH, mother aware", REF),
    # the referral's own affirmation before the comma: the answer after it is about something else
    ("Referral to MASH completed, not sent to father", REF),
    ("Referral to MASH sent, not acknowledged", REF),
])
def test_7_a_comma_before_something_else_keeps_the_escalation(text, escalation):
    assert escalation in detect_escalations("clinic_appointment", text, VOCAB)


def test_7_injury_not_escalated_flags_a_bruise_answered_by_a_cancelled_cp_medical():
    rows = [bruise("2023-03-01"), row("2023-03-01", "clinic_appointment", "CP medical, cancelled", PAEDS)]
    assert rows[1]["escalation"] == ""
    assert both(rows, "injury_not_escalated") == [("C1-e001", "")]
    held = [bruise("2023-03-01"), row("2023-03-01", "clinic_appointment", "CP medical, child seen with mother", PAEDS)]
    assert both(held, "injury_not_escalated") == []


# 8. a participant's absence before the answer ------------------------------------------------------------------
SD_NOT_HELD = [
    "Strategy discussion - police unable to attend, rearranged for 14/3",
    "Strategy discussion - police unable to attend, was rearranged",
    "Strategy discussion: police unavailable, health unable to attend, postponed",
    "Strategy discussion, police unavailable, rearranged",
    "Strategy discussion with police - DS Smith unable to attend, rearranged",
    "Strat disc - police not available, to be rearranged",
]
SD_HELD = [
    "Strategy discussion - police unable to attend, agreed single agency S47",
    "Strategy discussion held - police unable to attend, rearranged CP medical",
    "Strategy discussion with police, health unable to attend, ICPC postponed",
    "Strategy discussion: police unable to attend, notes to follow",
]


@pytest.mark.parametrize("text", SD_NOT_HELD)
def test_8_the_answer_after_a_participants_absence_denies_the_meeting(text):
    assert denies(SD, text, VOCAB)
    assert detect_escalations(SD, text, VOCAB) == []


@pytest.mark.parametrize("text", SD_HELD)
def test_8_another_answer_or_one_about_another_contact_does_not(text):
    assert not denies(SD, text, VOCAB)


def test_8_prefilter_keeps_them():
    assert prefilter_keeps(SD, SD_NOT_HELD)


def test_8_cp_medical_a_participants_absence_then_rebooked():
    assert denies(MED, "CP medical - mother unable to attend, rebooked", VOCAB)
    assert not denies(MED, "CP medical - mother unable to attend, child seen with father", VOCAB)
    assert prefilter_keeps(MED, ["CP medical - mother unable to attend, rebooked"])


def test_8_rules_read_the_meeting_rearranged_as_none():
    text = SD_NOT_HELD[0]
    rows = [bruise("2023-03-01"), row("2023-03-01", SD, text)]
    assert both(rows, "injury_not_escalated") == [("C1-e001", "")]
    assert both(rows, "strategy_no_conference") == []
    held = [bruise("2023-03-01"), row("2023-03-01", SD, "Strategy discussion held - police unable to attend")]
    assert both(held, "injury_not_escalated") == []
    assert both(held, "strategy_no_conference") == [("C1-e002", "")]
