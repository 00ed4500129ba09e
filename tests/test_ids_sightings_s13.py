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


# --- the anonymised view's flag ids follow the trigger's content, as the flag ids do ---------------------
from review.redact import Identifiers  # noqa: E402
from review.rules.base import flag_id  # noqa: E402


def _timeline(rows):
    """A redacted-looking timeline: event ids made from the row (as the pipeline's are)."""
    out = []
    for row, (date, text) in enumerate(rows, start=2):
        out.append({"event_id": "E" + f"{row:012x}", "case_id": "Case A", "agency": "Health", "date": pd.Timestamp(date),
                    "date_precision": "month", "contact_type": "home_visit", "description": text, "action": "",
                    "source_file": "file 1", "source_sheet": "Sheet1", "source_row": row, "seq": row})
    return pd.DataFrame(out)


def _flags(timeline, texts):
    rows = timeline[timeline["description"].isin(texts)]
    return pd.DataFrame({"flag_id": [flag_id("r1", t) for t in rows["description"]], "rule_id": "r1",
                         "trigger_event_id": rows["event_id"].tolist(), "explanation": "no escalation"})


def test_a_row_inserted_above_keeps_the_anonymised_flag_ids():
    before = _timeline([("2023-01-01", "Bruise seen"), ("2023-02-01", "Burn seen"), ("2023-02-01", "Burn seen")])
    after = _timeline([("2022-12-01", "New row"), ("2023-01-01", "Bruise seen"), ("2023-02-01", "Burn seen"),
                       ("2023-02-01", "Burn seen")])
    # the content ids of the flags are the same; the rows (and so the event ids) moved
    f_before = _flags(before, ["Bruise seen"])
    f_after = _flags(after, ["Bruise seen"])
    assert f_before["flag_id"].tolist() == f_after["flag_id"].tolist()
    assert f_before["trigger_event_id"].tolist() != f_after["trigger_event_id"].tolist()
    a, b = Identifiers(before, f_before), Identifiers(after, f_after)
    old = f_before["flag_id"].iloc[0]
    assert a.flag_ids()[old] == b.flag_ids()[old]
    assert a.flag_ids()[old] != old and a.flag_ids()[old].startswith("r1-")  # a new id, not the pipeline's
    # identical contacts still get distinct ids (their occurrence), stable across the inserted row
    t_before = before[before["description"] == "Burn seen"]["event_id"].tolist()
    t_after = after[after["description"] == "Burn seen"]["event_id"].tolist()
    fb = pd.DataFrame({"flag_id": ["r1-aaaaaaaaaaaa", "r1-bbbbbbbbbbbb"], "rule_id": "r1",
                       "trigger_event_id": t_before, "explanation": "x"})
    fa = fb.assign(trigger_event_id=t_after)
    ib, ia = Identifiers(before, fb).flag_ids(), Identifiers(after, fa).flag_ids()
    assert ib == ia and len(set(ib.values())) == 2


def test_a_decision_is_found_under_the_anonymised_flag_id():
    timeline = _timeline([("2023-01-01", "Bruise seen"), ("2023-02-01", "Burn seen")])
    flags = _flags(timeline, ["Bruise seen", "Burn seen"])
    decisions = pd.DataFrame({"flag_id": [flags["flag_id"].iloc[1], "r1-0123456789ab"], "decision": ["accepted", "rejected"],
                              "rationale": ["agreed", "old"]})
    ids = Identifiers(timeline, flags)
    view_flags, view_decisions = ids.frame(flags), ids.frame(decisions)
    assert view_decisions["flag_id"].iloc[0] == view_flags["flag_id"].iloc[1] == ids.flag_ids()[flags["flag_id"].iloc[1]]
    assert view_decisions["flag_id"].iloc[1] == "r1-unknown1"  # a flag no longer raised: no real id shown
    assert not set(flags["flag_id"]) & set(view_flags["flag_id"])
