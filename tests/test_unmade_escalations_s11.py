"""Escalations named in a chronology that were not made, held or done, read as made by the tenth session
(`review.vocab.detect_escalations`, `denies`, the rules' `held_escalations`), each checked in its reading and
through a rule, with the row-by-row baseline (benchmarks/baseline_rowwise.py) giving the same flags:

1. A referral awaiting its agency's sign off, authorisation or approval has not been sent: "Referral to MASH
   awaiting manager sign off" (`referral_unmade_cues`; for an assessment "pending sign off" stays done).
2. A plan names a referral to come: "Plan: referral to MASH", "Plan - refer to CSC", "Plan is to refer to
   children's social care" (`referral_plan_labels`); not "Referral made to MASH. Plan: review in 2 weeks",
   nor "Plan: referred to MASH".
3. A referral withdrawn, in progress, being completed or drafted is not made. ("Referral to MASH declined",
   read then as no referral, is since the fourteenth session MASH's decline of a referral made:
   tests/test_escalations_s14.py.)
4. "CP medical - child unwell, rebooked" did not take place; "Assessment stopped - case transferred",
   "assessment ended early" were not completed; "Assessment by SW to start 14/3" has not started.
5. A row of another type (a phone call) whose referral_to_csc cell was filled by hand and whose text says the
   referral did not happen ("referral not sent", "no referral made", the referral named without its
   destination) is no referral.

And ordinary referrals still count: "Referral made to MASH", "Referred to CSC, awaiting outcome" (read as no
referral by `denies` before: the plan cue after the comma), "Referral sent to MASH, awaiting manager review of
outcome" (no referral_to_csc keyword before: "referral sent to ...").
"""
from __future__ import annotations

import numpy as np
import pytest

from review.config import load_vocab
from review.rules import base
from review.rules.base import _denial_prefilter, _may_deny, _negation_phrases, held_escalations, prepare
from review.rules.testing import make_timeline
from review.vocab import compile_vocab, denies, detect_escalation, detect_escalations
from tests._baseline import RULES, baseline_pairs, package_pairs
from tests.test_injury_responses_held_s9 import CSC, HV, bruise

VOCAB = load_vocab()
REF, MED, ASSESS = "referral_to_csc", "cp_medical", "assessment"


def both(rows, rule):
    package = package_pairs(rows, rule)
    assert package == baseline_pairs(rows, rule)
    return package


def row(date, kind, text, who=HV, escalation=None):
    """A row as ingest reads it (its escalation cell from its type and text), or with `escalation` filled by hand."""
    cell = detect_escalation(kind, text, VOCAB) if escalation is None else escalation
    return {"date": date, "contact_type": kind, "description": text, "escalation": cell, **who}


def made(text):
    """Ingest's reading of a referral row and the rules' reading of its words (`denies` of the escalation and of
    the referral contact type) agree; True when the referral was made."""
    detected = REF in detect_escalations("referral", text, VOCAB)
    assert denies(REF, text, VOCAB) is not detected
    assert denies("referral", text, VOCAB) is not detected
    return detected


def prefilter_keeps(name, texts):
    """The rules' pre-filter (`_may_deny`) lets through every text `denies` reads as denying `name`."""
    v = compile_vocab(VOCAB)
    for cues in (_negation_phrases(v), _negation_phrases(v, name)):
        if not _may_deny(np.array(texts, dtype=object), _denial_prefilter(v.denial_words(name), cues)).all():
            return False
    return True


def held(rows, kind=REF):
    ctx = prepare(make_timeline(rows), None, RULES["settings"])
    return held_escalations(ctx, [kind]).tolist()


MADE = [
    "Referral made to MASH",
    "Referred to CSC, awaiting outcome",
    "Referral sent to MASH, awaiting manager review of outcome",
    "Referral to MASH completed, awaiting manager sign off",  # its own affirmation before the comma
    "Referral to MASH awaiting response",
    "Referral to MASH pending outcome",
    "Referral made to MASH. Plan: review in 2 weeks",
    "Plan: referred to MASH",
    "Plan: referral to MASH made",
    "Plan: SW made referral to MASH",
    "Plan - referral to MASH sent today",
    "Safeguarding plan discussed. Referral to MASH made",
    "Care plan reviewed, referral to MASH made",
    "Discussed plan with mum: referral to MASH made",
    "Referral to MASH being completed and sent today",
    "Planned visit, referral to MASH made",
    "Referral to MASH made, plan: review in 2 weeks",
]
SIGN_OFF = [
    "Referral to MASH awaiting manager sign off",
    "Referral to MASH awaiting sign-off",
    "Referral to MASH awaiting authorisation",
    "Referral to MASH still awaiting manager sign off",
    "MASH referral pending sign off",
    "Referral to MASH - awaiting authorisation",
    "Referral to MASH, awaiting sign off",
    "Referral to MASH to be signed off by safeguarding lead",
]
PLANNED = [
    "Plan: referral to MASH",
    "Plan - refer to CSC",
    "Plan is to refer to children's social care",
    "Plan: refer to MASH",
    "Plan: HV to refer to MASH",
    "Plan agreed: refer to MASH",
    "Plan: discuss with GP, referral to MASH",
    "Plan is for HV to make a referral to MASH",
    "Planned referral to MASH",
    "Plan: referral to MASH today",
]
NOT_SENT = [
    "Referral to MASH withdrawn",
    "Referral to MASH has been withdrawn",
    "Referral to MASH in progress",
    "referral in progress",
    "Referral to MASH being completed",
    "Referral to MASH being drafted",
]


# -- the referral made still counts ---------------------------------------------------------------------------
@pytest.mark.parametrize("text", MADE)
def test_a_referral_made_is_made(text):
    assert made(text)


@pytest.mark.parametrize("text", ["Referral made to MASH", "Referred to CSC, awaiting outcome",
                                  "Referral sent to MASH, awaiting manager review of outcome"])
def test_a_referral_made_answers_an_injury_and_awaits_a_decision(text):
    rows = [bruise("2023-03-01"), row("2023-03-01", "referral", text)]
    assert both(rows, "injury_not_escalated") == []
    assert held([row("2023-03-01", "referral", text)]) == [True]
    assert both([row("2023-03-01", "referral", text)], "referral_no_decision") == [("C1-e001", "")]


# -- 1. awaiting sign off ---------------------------------------------------------------------------------------
@pytest.mark.parametrize("text", SIGN_OFF)
def test_1_a_referral_awaiting_sign_off_is_not_made(text):
    assert not made(text)


def test_1_an_assessment_awaiting_sign_off_is_still_done():
    assert not denies(ASSESS, "Assessment awaiting manager sign off", VOCAB)
    assert not denies(ASSESS, "Assessment pending sign off", VOCAB)


def test_1_prefilter_keeps_them():
    assert prefilter_keeps(REF, SIGN_OFF)
    assert prefilter_keeps("referral", SIGN_OFF)


def test_1_injury_not_escalated_flags_a_bruise_answered_by_a_referral_awaiting_sign_off():
    text = "Referral to MASH awaiting manager sign off"
    assert both([bruise("2023-03-01"), row("2023-03-01", "referral", text)], "injury_not_escalated") \
        == [("C1-e001", "")]
    # its cell filled by hand: no referral held, and no decision asked for
    hand = row("2023-03-01", "referral", text, escalation=REF)
    assert held([hand]) == [False]
    assert both([bruise("2023-03-01"), hand], "injury_not_escalated") == [("C1-e001", "")]
    assert both([hand], "referral_no_decision") == []


# -- 2. a plan --------------------------------------------------------------------------------------------------
@pytest.mark.parametrize("text", PLANNED)
def test_2_a_planned_referral_is_not_made(text):
    assert not made(text)


def test_2_prefilter_keeps_a_plan_label_across_its_mark():
    assert prefilter_keeps(REF, PLANNED)
    assert prefilter_keeps("referral", PLANNED)
    # and reads it only for a referral's words
    v = compile_vocab(VOCAB)
    assert not any(c.startswith("|") for c in _negation_phrases(v, "strategy_discussion"))


def test_2_the_vectorised_held_escalations_reads_plans_as_the_plain_path(monkeypatch):
    """Over many distinct texts (`_DENIAL_SEARCH_FROM`), the pre-filtered path gives the same held rows."""
    texts = [f"{t} ({i})" for i in range(40) for t in (*PLANNED, *SIGN_OFF, *NOT_SENT, *MADE)]
    rows = [row(f"2023-{1 + i % 12:02d}-{1 + i % 28:02d}", ("phone_call", "referral")[i % 2], t, escalation=REF)
            for i, t in enumerate(texts)]
    monkeypatch.setattr(base, "_DENIAL_SEARCH_FROM", 10**9)
    plain = held(rows)
    monkeypatch.setattr(base, "_DENIAL_SEARCH_FROM", 0)
    assert held(rows) == plain
    assert plain.count(True) == 40 * len(MADE)


@pytest.mark.parametrize("text", ["Plan: referral to MASH", "Plan - refer to CSC"])
def test_2_injury_not_escalated_flags_a_bruise_answered_by_a_plan(text):
    for cell in (None, REF):
        rows = [bruise("2023-03-01"), row("2023-03-01", "referral", text, escalation=cell)]
        assert both(rows, "injury_not_escalated") == [("C1-e001", "")]
    made_ = [bruise("2023-03-01"), row("2023-03-01", "referral", "Referral made to MASH. Plan: review in 2 weeks")]
    assert both(made_, "injury_not_escalated") == []


# -- 3. withdrawn, in progress, being drafted ----------------------------------------------------------------------
@pytest.mark.parametrize("text", NOT_SENT)
def test_3_a_referral_withdrawn_or_not_finished_is_not_made(text):
    assert not made(text)


def test_3_prefilter_keeps_them():
    assert prefilter_keeps(REF, NOT_SENT)
    assert prefilter_keeps("referral", NOT_SENT)


def test_3_declined_passive_is_the_recipients_decline():
    """s14: "Referral to MASH declined" (passive, the recipient named in the words) is MASH's decline of a
    referral made, as "Referral declined by CSC" is; the family's ("Mother declined referral to MASH", "...
    declined by mother") is still no referral (was: read as no referral either way)."""
    assert detect_escalations("referral", "Referral to MASH declined", VOCAB) == [REF]
    assert not denies(REF, "Referral to MASH declined", VOCAB)
    for text in ("Mother declined referral to MASH", "Referral to MASH declined by mother"):
        assert detect_escalations("referral", text, VOCAB) == []
        assert denies(REF, text, VOCAB)


def test_3_referral_no_decision_asks_nothing_of_a_withdrawn_referral():
    rows = [row("2023-03-01", "referral", "Referral to MASH withdrawn", escalation=REF)]
    assert both(rows, "referral_no_decision") == []
    rows = [row("2023-03-01", "referral", "Referral to MASH sent", escalation=REF)]
    assert both(rows, "referral_no_decision") == [("C1-e001", "")]


# -- 4. a medical rebooked, an assessment stopped or still to start -----------------------------------------------
MEDICAL_NOT_DONE = ["CP medical - child unwell, rebooked", "CP medical rebooked", "CP medical postponed",
                    "CP medical, child unwell, rebooked"]
ASSESSMENT_NOT_DONE = ["Assessment stopped - case transferred", "assessment ended early",
                       "Assessment by SW to start 14/3", "Assessment by duty team to commence 14/3",
                       "Assessment was stopped as family moved"]


@pytest.mark.parametrize("text", MEDICAL_NOT_DONE)
def test_4_a_cp_medical_rebooked_did_not_take_place(text):
    assert denies(MED, text, VOCAB)
    assert detect_escalations(MED, text, VOCAB) == []
    assert detect_escalations("clinic_appointment", text, VOCAB) == []


@pytest.mark.parametrize("text", ["CP medical - child unwell, seen by Dr X", "CP medical - mother unwell, child seen",
                                  "CP medical completed"])
def test_4_a_cp_medical_done_is_done(text):
    assert not denies(MED, text, VOCAB)
    assert detect_escalations(MED, text, VOCAB) == [MED]


@pytest.mark.parametrize("text", ASSESSMENT_NOT_DONE)
def test_4_an_assessment_stopped_or_to_start_is_not_done(text):
    assert denies(ASSESS, text, VOCAB)


@pytest.mark.parametrize("name, text", [
    (ASSESS, "Assessment completed"), (ASSESS, "Assessment by SW completed"),
    (ASSESS, "Assessment by SW, report to follow"), (ASSESS, "Assessment by SW pending sign off"),
    ("discharge", "Discharge medication stopped"),
    # a meeting ended early was held
    ("strategy_discussion", "Strategy discussion ended early"), ("cp_conference", "ICPC ended early"),
])
def test_4_done_or_held_stays_so(name, text):
    assert not denies(name, text, VOCAB)


def test_4_prefilter_keeps_them():
    assert prefilter_keeps(MED, MEDICAL_NOT_DONE)
    assert prefilter_keeps(ASSESS, ASSESSMENT_NOT_DONE)


def test_4_injury_not_escalated_flags_a_bruise_answered_by_a_medical_rebooked():
    rows = [bruise("2023-03-01"), row("2023-03-01", MED, "CP medical - child unwell, rebooked", CSC)]
    assert both(rows, "injury_not_escalated") == [("C1-e001", "")]
    done = [bruise("2023-03-01"), row("2023-03-01", MED, "CP medical - child unwell, seen by Dr X", CSC)]
    assert both(done, "injury_not_escalated") == []


@pytest.mark.parametrize("text", ["Assessment stopped - case transferred", "Assessment by SW to start 14/3"])
def test_4_assessment_wait_flags_a_request_answered_by_an_assessment_not_done(text):
    rows = [row("2023-03-01", "referral", "Referral to MASH, assessment requested", CSC),
            row("2023-03-10", ASSESS, text, CSC), row("2023-06-30", "home_visit", "Home visit", CSC)]
    assert both(rows, "assessment_wait") == [("C1-e001", "")]
    rows[1] = row("2023-03-10", ASSESS, "Assessment by SW completed", CSC)
    assert both(rows, "assessment_wait") == []


# -- 5. a hand-filled referral cell on another type's row ---------------------------------------------------------
@pytest.mark.parametrize("text", ["referral not sent", "no referral made", "Referral not made as mother moved",
                                  "Discussed with SW: referral not sent"])
def test_5_a_phone_call_saying_no_referral_is_no_referral(text):
    call = row("2023-03-01", "phone_call", text, escalation=REF)
    assert held([call]) == [False]
    assert both([call], "referral_no_decision") == []
    assert both([bruise("2023-03-01"), call], "injury_not_escalated") == [("C1-e001", "")]


@pytest.mark.parametrize("text", ["Referral made", "Referral to MASH made; referral to paediatrics not needed",
                                  "Phone call with MASH re referral", "Referred to MASH",
                                  "Referral to paediatrics not made, referred to MASH"])
def test_5_a_phone_call_naming_a_referral_made_still_is_one(text):
    call = row("2023-03-01", "phone_call", text, escalation=REF)
    assert held([call]) == [True]
    assert both([call], "referral_no_decision") == [("C1-e001", "")]
