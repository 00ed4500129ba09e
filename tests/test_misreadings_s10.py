"""Misreadings of chronology sentences left open by the ninth session's QA (`review.vocab.denies`,
`detect_escalations`, `tag_concerns`), each run through the rules and the row-by-row baseline
(benchmarks/baseline_rowwise.py) where a rule reads it:

1. "CP medical, child was not brought" (a comma between the examination and the child's absence) read as a
   CP medical done; "CP medical - child was not brought" was already denied.
2. "Strategy discussion arranged; police unable to attend, rearranged for 14/3" and "Initial child
   protection conference rescheduled for 20/03/2019": not held (already so before this session: kept here);
   "ICPC request sent to conference service" is still a request, not a conference held.
3. "Assessment allocated to SW, not yet started" and "Assessment closed without being completed" read as an
   assessment done.
4. "Strategy discussion arranged - attended by police, health and social care" read as no strategy
   discussion (the arrangement, "arranged" ending its clause, denied it): injury_not_escalated flagged a
   bruise that the meeting answered, and strategy_no_conference missed the meeting. "attended by" affirms it.
5. "Referral to MASH pending" / "Referral to MASH booked" read as a referral made (as "to be made" is not).
6. "No concerns re bruising" hid the bruise: a lack of concern about a finding does not deny the finding.
"""
from __future__ import annotations

import numpy as np
import pytest

from review.config import load_vocab
from review.schema import join_multi
from review.rules.base import _denial_prefilter, _may_deny, _negation_phrases
from review.vocab import compile_vocab, denies, detect_escalation, detect_escalations, tag_concerns
from tests._baseline import baseline_pairs, package_pairs
from tests.test_injury_responses_held_s9 import CSC, bruise

VOCAB = load_vocab()
SD, ICPC, MED, ASSESS = "strategy_discussion", "cp_conference", "cp_medical", "assessment"


def row(date, kind, text, who=CSC):
    """A row as ingest reads it: its escalation cell from its type and text."""
    return {"date": date, "contact_type": kind, "description": text,
            "escalation": detect_escalation(kind, text, VOCAB), **who}


def both(rows, rule):
    package, baseline = package_pairs(rows, rule), baseline_pairs(rows, rule)
    assert package == baseline
    return package


def prefilter_keeps(name, texts):
    """The rules' pre-filter (`_may_deny`) lets every text through that `denies` reads as denying `name`."""
    v = compile_vocab(VOCAB)
    pattern = _denial_prefilter(v.denial_words(name), _negation_phrases(v))
    return _may_deny(np.array(texts, dtype=object), pattern).all()


# 1. the child's absence after a comma --------------------------------------------------------------------
CP_MEDICAL_MISSED = [
    "CP medical, child was not brought",
    "CP medical, child did not attend",
    "CP medical, WNB",
    "CP medical, DNA",
    "cp medical, pt did not attend",
]
CP_MEDICAL_DONE = [
    "CP medical completed, child did not attend nursery this week",
    "CP medical, mother did not attend, child seen with father",
    "CP medical, child seen, mother did not attend",
    "Referral to paediatrics made, CP medical completed, child WNB dental appointment",
]


@pytest.mark.parametrize("text", CP_MEDICAL_MISSED)
def test_1_the_childs_absence_after_a_comma_denies_the_cp_medical(text):
    assert denies(MED, text, VOCAB)
    assert MED not in detect_escalations(MED, text, VOCAB)


@pytest.mark.parametrize("text", CP_MEDICAL_DONE)
def test_1_another_absence_or_a_later_one_after_a_comma_does_not(text):
    assert not denies(MED, text, VOCAB)


def test_1_prefilter_keeps_the_comma_form():
    assert prefilter_keeps(MED, CP_MEDICAL_MISSED)


@pytest.mark.parametrize("rule", ["injury_not_escalated", "nonmobile_injury"])
def test_1_rules_flag_a_bruise_answered_by_a_cp_medical_the_child_missed(rule):
    rows = [bruise("2023-03-01"), row("2023-03-01", MED, "CP medical, child was not brought")]
    assert both(rows, rule) == [("C1-e001", "")]
    done = [bruise("2023-03-01"), row("2023-03-01", MED, "CP medical completed, child seen")]
    assert both(done, "injury_not_escalated") == []


# 2. meetings put off --------------------------------------------------------------------------------------
def test_2_a_strategy_discussion_rearranged_is_not_held():
    text = "Strategy discussion arranged; police unable to attend, rearranged for 14/3"
    assert denies(SD, text, VOCAB) and detect_escalations(SD, text, VOCAB) == []
    rows = [bruise("2023-03-01"), row("2023-03-01", SD, text)]
    assert both(rows, "injury_not_escalated") == [("C1-e001", "")]
    assert both(rows, "strategy_no_conference") == []


@pytest.mark.parametrize("text", ["Initial child protection conference rescheduled for 20/03/2019",
                                  "ICPC request sent to conference service"])
def test_2_a_conference_rescheduled_or_requested_is_not_held(text):
    assert denies(ICPC, text, VOCAB) and detect_escalations(ICPC, text, VOCAB) == []
    rows = [row("2023-03-01", SD, "Strategy discussion held"), row("2023-03-06", ICPC, text)]
    assert both(rows, "strategy_no_conference") == [("C1-e001", "")]
    held = [row("2023-03-01", SD, "Strategy discussion held"), row("2023-03-06", ICPC, "ICPC held")]
    assert both(held, "strategy_no_conference") == []


# 3. an assessment not started or not completed --------------------------------------------------------
ASSESSMENT_NOT_DONE = [
    "Assessment allocated to SW, not yet started",
    "Assessment allocated to SW, has not yet started",
    "Assessment allocated, not started",
    "Assessment closed without being completed",
    "Assessment closed, not completed",
    "Assessment ended without completion",
]
ASSESSMENT_DONE = [
    "Assessment completed, not yet signed off",
    "Assessment completed, to be sent to GP",
    "Assessment completed by SW, referral to be made",
    "Assessment by SW completed",
    "Assessment completed; closed to CSC",
    "Assessment allocated to SW, started 5/3",
    "Assessment allocated to SW, completed 5/3",
]


@pytest.mark.parametrize("text", ASSESSMENT_NOT_DONE)
def test_3_an_assessment_not_started_or_not_completed_is_none(text):
    assert denies(ASSESS, text, VOCAB)


@pytest.mark.parametrize("text", ASSESSMENT_DONE)
def test_3_an_assessment_done_still_is(text):
    assert not denies(ASSESS, text, VOCAB)


def test_3_prefilter_keeps_them():
    assert prefilter_keeps(ASSESS, ASSESSMENT_NOT_DONE)


@pytest.mark.parametrize("text", ["Assessment allocated to SW, not yet started",
                                  "Assessment closed without being completed"])
def test_3_assessment_wait_flags_a_request_answered_by_an_assessment_not_done(text):
    rows = [row("2023-03-01", "referral", "Referral to MASH, assessment requested"),
            row("2023-03-10", ASSESS, text), row("2023-06-30", "home_visit", "Home visit")]
    assert both(rows, "assessment_wait") == [("C1-e001", "")]
    done = [*rows[:1], row("2023-03-10", ASSESS, "Assessment completed"), rows[2]]
    assert both(done, "assessment_wait") == []


# 4. a meeting attended is held ---------------------------------------------------------------------------
ATTENDED = [
    "Strategy discussion arranged - attended by police, health and social care",
    "Strategy discussion arranged, attended by police and health",
    "Strategy discussion arranged. Attended by police, health and social care",
]


@pytest.mark.parametrize("text", ATTENDED)
def test_4_a_strategy_discussion_attended_by_the_agencies_was_held(text):
    assert not denies(SD, text, VOCAB)
    assert detect_escalations(SD, text, VOCAB) == [SD]


@pytest.mark.parametrize("text", [
    "Strategy discussion arranged - to be attended by police",
    "Strategy discussion arranged - not attended by police",
    "Strategy discussion arranged - will be attended by police and health",
    "Strategy discussion cancelled, CIN meeting attended by police",
])
def test_4_not_when_the_attendance_is_a_plan_a_denial_or_another_meetings(text):
    assert denies(SD, text, VOCAB)


def test_4_no_false_flags_for_the_meeting_held():
    text = "Strategy discussion arranged - attended by police, health and social care"
    rows = [bruise("2023-03-01"), row("2023-03-01", SD, text)]
    assert both(rows, "injury_not_escalated") == []
    # and the meeting starts the conference clock
    assert both(rows, "strategy_no_conference") == [("C1-e002", "")]


# 5. a referral pending or booked is not made ------------------------------------------------------------
REFERRAL_NOT_MADE = ["Referral to MASH pending", "Referral to MASH booked", "Referral to MASH is still pending",
                     "Referral to social care booked for Monday", "MASH referral outstanding",
                     "referral to MASH to be made"]
REFERRAL_MADE = ["Referral to MASH made, outcome pending", "Referral to MASH made", "Referred to MASH",
                 "Referral to MASH made, decision awaited", "HV requested CP medical, referral to MASH made",
                 "Referral to MASH sent, strategy discussion booked"]


@pytest.mark.parametrize("text", REFERRAL_NOT_MADE)
def test_5_a_referral_pending_or_booked_is_not_made(text):
    assert "referral_to_csc" not in detect_escalations("referral", text, VOCAB)


@pytest.mark.parametrize("text", REFERRAL_MADE)
def test_5_a_referral_made_still_is(text):
    assert "referral_to_csc" in detect_escalations("referral", text, VOCAB)


def test_5_cp_medical_booked_is_still_the_escalation_of_the_agency_booking_it():
    assert detect_escalations("clinic_appointment", "CP medical booked", VOCAB) == [MED]


def test_5_rules_read_a_referral_pending_as_none():
    rows = [bruise("2023-03-01"), row("2023-03-01", "referral", "Referral to MASH pending", who={
        "agency": "Health Visiting", "agency_kind": "health"})]
    assert both(rows, "injury_not_escalated") == [("C1-e001", "")]
    assert both(rows, "referral_no_decision") == []


# 6. no concerns about a finding is the finding ----------------------------------------------------------
@pytest.mark.parametrize(("text", "tags"), [
    ("No concerns re bruising", ["bruising"]),
    ("no concerns about the bruise to his cheek", ["bruising"]),
    ("Nil concerns re bruising", ["bruising"]),
    ("no concerns regarding burn to hand, accidental", ["burn"]),
    ("No concerns re bruising or neglect", ["bruising"]),
    ("no concerns re neglect or bruising", ["bruising"]),
    # still denied
    ("no bruising seen", []),
    ("no bruises", []),
    ("No concerns, no bruising", []),
    ("No concerns re neglect; no bruising seen on examination", []),
    # when unsure the text is tagged (a reviewer can dismiss a tag, not see a missing one)
    ("No concerns re bruising; no bruising seen on examination", ["bruising"]),
    ("nil concerns re neglect", []),
    ("no concerns about DV", []),
])
def test_6_no_concerns_about_a_finding_does_not_deny_it(text, tags):
    assert tag_concerns(text, VOCAB) == tags


def test_6_nonmobile_injury_sees_the_bruise():
    rows = [{"date": "2023-03-01", "contact_type": "home_visit", "description": "No concerns re bruising",
             "concerns": join_multi(tag_concerns("No concerns re bruising", VOCAB)),
             "agency": "Health Visiting", "agency_kind": "health"}]
    assert rows[0]["concerns"] == "bruising"
    assert both(rows, "nonmobile_injury") == [("C1-e001", "")]
