"""The timeline's hospital stays read many discharge rows through the rules' pre-filter first
(`timeline._discharges_held`): the same answer as reading each text (`discharge_held`)."""
import numpy as np
import pytest

import review.timeline as timeline
from review.timeline import _discharge_vocabulary, _discharges_held
from review.vocab import denies
from tests.test_rules_qa_s8 import random_texts

EXTRA = ["Discharge postponed", "discharge delayed until tomorrow", "Not discharged, remains on ward",
         "Discharged home with mother", "Discharge not agreed by paediatrician", "discharge: no",
         "Medically fit for discharge", "Letter to GP", "", "discharge planning meeting held"]


@pytest.mark.parametrize("seed", range(3))
def test_prefiltered_discharges_read_as_each_text(seed, monkeypatch):
    texts = random_texts(1500, seed) + EXTRA
    keys = [""] * len(texts)
    monkeypatch.setattr(timeline, "_DISCHARGES", {})
    monkeypatch.setattr(timeline, "_DISCHARGE_SEARCH_FROM", 1)
    fast = _discharges_held(texts, keys)
    want = np.array([not denies("discharge", t, _discharge_vocabulary("")) for t in texts])
    assert np.array_equal(fast, want)
    assert (~want).sum() >= 5 and want.sum() >= 20  # both answers are among the texts


def test_the_prefilter_reads_fewer_texts(monkeypatch):
    texts = [f"Discharged home with mother, seen by nurse {i}." for i in range(600)] + ["Discharge postponed"]
    read = []
    real = timeline.discharge_held
    monkeypatch.setattr(timeline, "_DISCHARGES", {})
    monkeypatch.setattr(timeline, "discharge_held", lambda t, k="": read.append(t) or real(t, k))
    held = _discharges_held(texts, [""] * len(texts))
    assert held[:-1].all() and not held[-1]
    assert read == ["Discharge postponed"]
