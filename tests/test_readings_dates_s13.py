"""The thirteenth session's readings and date presentation fixes, each checked in its reading and through a
rule, with the row-by-row baseline (benchmarks/baseline_rowwise.py) giving the same flags:

1. A referral the same text says was withdrawn, cancelled or retracted after it was sent is not a referral made
   ("Referral to MASH sent 14/3, withdrawn 15/3"; `referral_withdrawn_cues`, `Vocabulary._withdrawn`).
2. A referral the social care service it went to declined WAS made, and the decline is social care's decision
   on it ("Referral declined by CSC", "CSC declined the referral"; `referral_decline_cues`,
   `referral_recipients`): a referral held, and referral_no_decision sees its decision.
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
REF = "referral_to_csc"


def both(rows, rule):
    package = package_pairs(rows, rule)
    assert package == baseline_pairs(rows, rule)
    return package


def row(date, kind, text, who=HV, escalation=None):
    cell = detect_escalation(kind, text, VOCAB) if escalation is None else escalation
    return {"date": date, "contact_type": kind, "description": text, "escalation": cell, **who}


def made(text):
    """Ingest's reading and the rules' reading (`denies` of the escalation and of the referral type) agree."""
    detected = REF in detect_escalations("referral", text, VOCAB)
    assert (REF in detect_escalations("phone_call", text, VOCAB)) is detected
    assert denies(REF, text, VOCAB) is not detected
    assert denies("referral", text, VOCAB) is not detected
    return detected


def prefilter_keeps(name, texts):
    v = compile_vocab(VOCAB)
    for cues in (_negation_phrases(v), _negation_phrases(v, name)):
        if not _may_deny(np.array(texts, dtype=object), _denial_prefilter(v.denial_words(name), cues)).all():
            return False
    return True


def held(rows, kind=REF):
    ctx = prepare(make_timeline(rows), None, RULES["settings"])
    return held_escalations(ctx, [kind]).tolist()


WITHDRAWN = [
    "Referral to MASH sent 14/3, withdrawn 15/3",
    "Referral to MASH sent 14/3. Withdrawn 15/3",
    "Referral to MASH sent 14/3. Withdrawn on 15.3.07 by HV",
    "Referral to MASH made 14/3, cancelled 15/3",
    "Referral sent to MASH, retracted next day",
    "Referral to MASH sent 14/3. Referral withdrawn 15/3",
    "Referral to MASH made and later withdrawn",
    "Referral to MASH made 14/3 - subsequently withdrawn",
    "HV withdrew the referral to MASH",
    "Referral to MASH withdrawn",
]
STILL_MADE = [
    "Referral to MASH sent 14/3",
    "Referral to MASH sent. Home visit cancelled",
    "Referral to MASH sent. Child withdrawn from nursery",
    "Referral to MASH sent. Withdrawn from nursery by mother",
    "Referral to MASH sent. ICPC - cancelled",
    "Referral to MASH sent 14/3. Previous referral withdrawn",
    "Referral to MASH withdrawn and re-sent 16/3",
]


@pytest.mark.parametrize("text", WITHDRAWN)
def test_1_a_referral_withdrawn_after_it_was_sent_is_not_made(text):
    assert not made(text)


@pytest.mark.parametrize("text", STILL_MADE)
def test_1_a_referral_whose_text_withdraws_something_else_is_made(text):
    assert made(text)


def test_1_prefilter_keeps_a_withdrawal_across_clauses():
    assert prefilter_keeps(REF, WITHDRAWN)
    assert prefilter_keeps("referral", WITHDRAWN)


def test_1_the_vectorised_held_escalations_reads_withdrawals_as_the_plain_path(monkeypatch):
    texts = [f"{t} ({i})" for i in range(30) for t in (*WITHDRAWN, *STILL_MADE)]
    rows = [row(f"2023-{1 + i % 12:02d}-{1 + i % 28:02d}", ("phone_call", "referral")[i % 2], t, escalation=REF)
            for i, t in enumerate(texts)]
    monkeypatch.setattr(base, "_DENIAL_SEARCH_FROM", 10**9)
    plain = held(rows)
    monkeypatch.setattr(base, "_DENIAL_SEARCH_FROM", 0)
    assert held(rows) == plain
    assert plain.count(True) == 30 * len(STILL_MADE)


def test_1_a_bruise_answered_only_by_a_withdrawn_referral_is_flagged():
    text = "Referral to MASH sent 14/3, withdrawn 15/3"
    for cell in (None, REF):  # read by ingest, or its escalation cell filled by hand
        rows = [bruise("2023-03-01"), row("2023-03-01", "referral", text, escalation=cell)]
        assert both(rows, "injury_not_escalated") == [("C1-e001", "")]
        assert held([row("2023-03-01", "referral", text, escalation=cell)]) == [False]
        # and no decision is asked of a referral withdrawn
        assert both([row("2023-03-01", "referral", text, escalation=cell)], "referral_no_decision") == []
    sent = [bruise("2023-03-01"), row("2023-03-01", "referral", "Referral to MASH sent 14/3")]
    assert both(sent, "injury_not_escalated") == []


# -- 2. declined by social care: made, and decided -----------------------------------------------------------------
DECLINED = [
    "Referral declined by CSC",
    "CSC declined the referral",
    "Referral to MASH declined by CSC",
    "MASH declined referral",
    "MASH have rejected the referral",
    "Referral made to MASH, declined by MASH - NFA",
    "Referral to MASH was not accepted by childrens social care",
]
NOT_BY_RECIPIENT = ["Referral to MASH declined", "Referral declined by mother", "Mother declined the referral"]


@pytest.mark.parametrize("text", DECLINED)
def test_2_a_referral_declined_by_social_care_was_made_and_decided(text):
    assert made(text)
    assert compile_vocab(VOCAB).declines_referral(text)


@pytest.mark.parametrize("text", NOT_BY_RECIPIENT)
def test_2_a_decline_not_by_social_care_reads_as_before(text):
    assert not made(text)
    assert not compile_vocab(VOCAB).declines_referral(text)


def test_2_a_referral_declined_by_csc_answers_an_injury():
    rows = [bruise("2023-03-01"), row("2023-03-01", "referral", "Referral declined by CSC")]
    assert both(rows, "injury_not_escalated") == []
    before = [bruise("2023-03-01"), row("2023-03-01", "referral", "Referral declined by mother")]
    assert both(before, "injury_not_escalated") == [("C1-e001", "")]


def test_2_referral_no_decision_reads_the_decline_as_social_cares_decision():
    # the referrer's own row records the decline: a referral made and decided on the same day
    assert both([row("2023-03-01", "referral", "Referral to MASH sent, declined by MASH - NFA")],
                "referral_no_decision") == []
    # a referral, and social care's decline recorded two weeks later by the referrer: late, and that decline is
    # the action found (not "none recorded")
    rows = [row("2023-03-01", "referral", "Referral to MASH sent"),
            row("2023-03-15", "phone_call", "CSC declined the referral", escalation="")]
    assert both(rows, "referral_no_decision") == [("C1-e001", "C1-e002")]
    # a decline by CSC the next working day is a timely decision
    rows = [row("2023-03-01", "referral", "Referral to MASH sent"),
            row("2023-03-02", "phone_call", "CSC declined the referral", escalation="")]
    assert both(rows, "referral_no_decision") == []
    # a decline by the mother is none
    rows[1]["description"] = "Mother declined the referral"
    assert both(rows, "referral_no_decision") == [("C1-e001", "")]


def test_2_a_csc_row_declining_a_referral_is_a_decision():
    rows = [row("2023-03-01", "referral", "Referral to MASH sent"),
            row("2023-03-02", "phone_call", "Home visit, mother says referral declined", escalation="")]
    assert both(rows, "referral_no_decision") == [("C1-e001", "")]  # no recipient named: no decision read
    rows[1]["description"] = "Home visit, mother says MASH declined the referral"
    assert both(rows, "referral_no_decision") == []
    rows[1].update(description="MASH declined the referral, NFA", **CSC)  # social care's own row
    assert both(rows, "referral_no_decision") == []
