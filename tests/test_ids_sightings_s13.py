"""Session 13: a sighting cue about someone else stops an A&E / admission / CP medical type implying the
child was seen ("Sibling seen and examined"), and a cue's subject is the person named nearest before it
("Child at home and mother seen alone" is no sighting of the child)."""
from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from review import sightings as S


@pytest.mark.parametrize("contact_type, text, seen", [
    # the type no longer implies a sighting where the text says someone else was seen, not the child
    ("ae_attendance", "Sibling seen and examined", None),
    ("admission", "Brother seen and examined on the ward", None),
    ("cp_medical", "Mother seen alone by paediatrician", None),
    # ... but does where the child is named seen too, or nobody else is
    ("ae_attendance", "Sibling and child seen and examined", True),
    ("ae_attendance", "Sibling seen and examined. Child seen", True),
    ("ae_attendance", "Seen and examined", True),
    ("ae_attendance", "Attended with head injury", True),
    ("ae_attendance", "Letter from A&E: sibling seen and examined", None),
    # the child's presence is not the child seen: the cue's subject is the nearest person named
    ("home_visit", "Child at home and mother seen alone", None),
    ("home_visit", "Baby in cot and mother seen alone", None),
    ("home_visit", "Mother and baby seen and examined", True),
    ("home_visit", "Baby and mother seen and examined", True),
    ("home_visit", "Mother with the baby seen and weighed", True),
    ("home_visit", "Baby's brother observed playing", None),
    ("home_visit", "Child seen with mother", True),
    ("home_visit", "Child at home, seen and examined", True),
])
def test_the_row_reading(contact_type, text, seen):
    assert S.read_sighting(contact_type, "", text) is seen


def _frame(texts, types):
    return pd.DataFrame({
        "child_seen": pd.array([pd.NA] * len(texts), dtype="boolean"),
        "contact_type": types,
        "concerns": [""] * len(texts),
        "description": texts,
        "action": [""] * len(texts),
    })


def _table(frame):
    return [None if pd.isna(v) else bool(v) for v in S.inferred_sightings(frame).astype(object)]


def _rows(frame):
    return [S.read_sighting(*r) for r in frame[["contact_type", "concerns", "description", "action"]].itertuples(index=False)]


def test_the_table_reading_is_the_row_reading():
    texts = ["Sibling seen and examined", "Child at home and mother seen alone", "Mother and baby seen and examined",
             "Sibling not seen", "Seen and examined", "Attended A&E", "Sibling seen and examined. Child seen"]
    types = ["ae_attendance", "home_visit", "ae_attendance", "ae_attendance", "ae_attendance", "ae_attendance",
             "cp_medical"]
    frame = _frame(texts, types)
    got = _table(frame)
    assert got == _rows(frame)
    assert got[0] is None and got[1] is None and got[2] is True and got[5] is True


def test_the_table_reading_of_many_texts_is_the_row_reading():
    """From `_NEGATION_SEARCH_FROM` distinct texts on, the reading of a cue about someone else skips the full
    reading where no negation cue can reach it: still the row reading."""
    rng = np.random.default_rng(13)
    heads = ["Sibling seen and examined", "Sibling not seen and examined", "Child at home and mother seen alone",
             "Mother and baby seen", "Brother seen alone, no concerns", "Attended with a cut", "Mother seen alone"]
    texts = [f"{heads[i % len(heads)]} ref {i}" for i in range(3 * S._NEGATION_SEARCH_FROM)]
    types = np.array(["ae_attendance", "admission", "home_visit"], dtype=object)[rng.integers(0, 3, len(texts))]
    frame = _frame(texts, types)
    got = _table(frame)
    want = _rows(frame)
    assert got == want
    sib = [g for t, ty, g in zip(texts, types, got) if t.startswith("Sibling seen and") and ty != "home_visit"]
    assert sib and all(g is None for g in sib)
