"""The child's absence from the child's own examination: a CP medical the child did not attend, or was not
brought to, did not take place ("CP medical - child did not attend", "CP medical - WNB"). Before, the
absence read as a participant's ("Police unable to attend strategy discussion") and the CP medical as done,
which hid the missed escalation. Another's absence ("mother did not attend") still denies nothing."""
from __future__ import annotations

import numpy as np
import pytest

from review.config import load_vocab
from review.rules.base import _denial_prefilter, _may_deny, _negation_phrases
from review.vocab import compile_vocab, denies
from tests.test_injury_responses_held_s9 import CSC, baseline, bruise, package, typed

VOCAB = load_vocab()

NOT_HELD = [
    "CP medical - child did not attend",
    "CP medical - WNB",
    "CP medical: DNA",
    "CP medical: child WNB",
    "cp medical - pt did not attend",
    "Child was not brought to CP medical",
    "Child did not attend CP medical",
]
HELD = [
    "CP medical completed",
    "CP medical - mother did not attend, child seen with father",
    "CP medical completed. Mother did not attend",
    "CP medical held; child was not brought to GP appointment last week",
    "CP medical completed, child did not attend nursery this week",
    "Mother did not attend CP medical with child, father brought him",
    "CP medical - child did not attend, rebooked and completed 5th",
    "CP medical completed, child DNA dental appointment",
]


@pytest.mark.parametrize("text", NOT_HELD)
def test_the_childs_absence_denies_the_cp_medical(text):
    assert denies("cp_medical", text, VOCAB)


@pytest.mark.parametrize("text", HELD)
def test_another_absence_or_a_later_one_does_not(text):
    assert not denies("cp_medical", text, VOCAB)


def test_only_the_childs_examination():
    # the child's absence from a strategy discussion is no reason it did not take place
    assert not denies("strategy_discussion", "Strategy discussion - child did not attend", VOCAB)


def test_the_rules_prefilter_keeps_every_text_denies_denies():
    v = compile_vocab(VOCAB)
    words = tuple(sorted(" ".join(w) for ws in v.denial_phrases("cp_medical")._by_first.values() for w in ws))
    pattern = _denial_prefilter(words, _negation_phrases(v))
    texts = np.array(NOT_HELD + HELD, dtype=object)
    assert _may_deny(texts, pattern)[: len(NOT_HELD)].all()


@pytest.mark.parametrize("text", ["CP medical - child did not attend", "Child was not brought to CP medical"])
def test_nonmobile_injury_and_injury_not_escalated_flag_a_cp_medical_the_child_missed(text):
    rows = [bruise("2023-09-01"), typed("2023-09-02", "cp_medical", text)]
    assert package(rows, "injury_not_escalated") == baseline(rows, "injury_not_escalated") == [("C1-e001", "")]
    ok = [bruise("2023-09-01"), typed("2023-09-02", "cp_medical", "CP medical completed, child seen", who=CSC)]
    assert package(ok, "injury_not_escalated") == baseline(ok, "injury_not_escalated") == []
