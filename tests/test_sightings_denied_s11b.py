"""A row of a type the child is present at (CP medical, admission, A&E) whose text says it did not take
place is no sighting: "CP medical cancelled" (found when the sightings met the held escalations: a
cancelled CP medical had become the follow-up of missed appointments)."""
import pandas as pd
import pytest

from review.sightings import inferred_sightings, read_sighting

CANCELLED = [
    ("cp_medical", "CP medical cancelled"),
    ("cp_medical", "CP medical postponed"),
    ("admission", "Admission cancelled, no bed"),
]
TOOK_PLACE = [
    ("cp_medical", "CP medical completed by paediatrician"),
    ("admission", "Admitted to the ward for observation"),
    ("ae_attendance", "Attended A&E with mother after a fall"),
]


@pytest.mark.parametrize(("kind", "text"), CANCELLED)
def test_a_type_that_did_not_take_place_is_no_sighting(kind, text):
    assert read_sighting(kind, "", text) is None


@pytest.mark.parametrize(("kind", "text"), TOOK_PLACE)
def test_a_type_that_took_place_is_a_sighting(kind, text):
    assert read_sighting(kind, "", text) is True


def _frame(rows):
    return pd.DataFrame({"child_seen": pd.array([pd.NA] * len(rows), dtype="boolean"),
                         "contact_type": [k for k, _ in rows], "concerns": [""] * len(rows),
                         "description": [t for _, t in rows], "action": [""] * len(rows)})


@pytest.mark.parametrize("copies", [1, 700])  # 700 x 3 distinct texts: the pre-filtered path (>= 1000)
def test_the_table_reading_is_the_row_reading(copies):
    rows = [(k, f"{t} ({i})") for i in range(copies) for k, t in CANCELLED + TOOK_PLACE]
    got = inferred_sightings(_frame(rows))
    want = [read_sighting(k, "", t) for k, t in rows]
    assert [None if v is pd.NA else bool(v) for v in got] == want
    assert want.count(True) == len(TOOK_PLACE) * copies and want.count(None) == len(CANCELLED) * copies
