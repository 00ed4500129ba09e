"""Who saw the child (review.thematic.sightings_by_agency_kind): a school's record of the child in school,
typed `other` by ingest, is a face-to-face contact ("Tyler arrived hungry", "Bruise noticed in class", a
concern log of what the child said or showed); the school's phone calls, letters and attendance figures are
not (review.sightings.present_in_setting)."""
from __future__ import annotations

import numpy as np
import pandas as pd

from review.sightings import present_in_setting
from review.thematic import sightings_by_agency_kind

SCHOOL_ROWS = [
    # (description, action, concerns, face to face?)
    ("Tyler was in class all day, quiet and withdrawn.", "", "", True),
    ("Arrived late and hungry.", "Breakfast club offered.", "", True),
    ("Seen in school by the school nurse.", "", "", True),
    ("Small bruise to right cheek. Unable to say how.", "Body map.", "bruising", True),
    ("Head lice again, sores on scalp.", "Letter home.", "neglect", True),  # the letter is its follow-up
    ("Told teacher mum's boyfriend shouts at her.", "DSL informed.", "", True),
    ("Phone call to mum re attendance.", "", "", False),
    ("Letter home re head lice.", "", "neglect", False),
    ("Attendance 81% (persistent absence).", "EWO referral.", "", False),
    ("Not in school today; mum rang in sick.", "", "", False),
    ("Care plan reviewed: 1:1 TA for personal care.", "Care plan updated", "", False),
]


def _timeline(rows, agency_kind="education", contact_type="other"):
    n = len(rows)
    return pd.DataFrame({
        "case_id": ["S1"] * n,
        "date": pd.date_range("2023-01-02", periods=n, freq="D"),
        "agency_kind": [agency_kind] * n,
        "agency": ["Meadowbank Primary School"] * n,
        "contact_type": [contact_type] * n,
        "description": [r[0] for r in rows],
        "action": [r[1] or pd.NA for r in rows],
        "concerns": [r[2] or pd.NA for r in rows],
        "child_seen": pd.array([pd.NA] * n, dtype="boolean"),
        "child_seen_inferred": pd.array([pd.NA] * n, dtype="boolean"),
    })


def test_a_schools_record_of_the_child_in_school_is_face_to_face():
    frame = _timeline(SCHOOL_ROWS)
    assert list(present_in_setting(frame)) == [r[3] for r in SCHOOL_ROWS]
    table = sightings_by_agency_kind(frame).set_index("agency_kind")
    assert table.loc["education", "face_to_face"] == sum(r[3] for r in SCHOOL_ROWS)
    assert table.loc["education", "contacts"] == len(SCHOOL_ROWS)


def test_a_row_the_timeline_reads_as_the_child_seen_counts():
    frame = _timeline([("Spoke with Tyler about his weekend.", "", "", None)])
    frame["child_seen_inferred"] = pd.array([True], dtype="boolean")
    assert present_in_setting(frame).tolist() == [True]
    assert sightings_by_agency_kind(frame).iloc[0]["face_to_face_seen_share"] == 1.0


def test_only_a_schools_own_untyped_records_count():
    # a health visitor's untyped note, a school's letter typed letter: not by this reading
    assert not present_in_setting(_timeline(SCHOOL_ROWS, agency_kind="health")).any()
    assert not present_in_setting(_timeline(SCHOOL_ROWS, contact_type="letter")).any()


def test_many_texts_read_as_each_alone():
    rows = [(f"{d} Day {i}.", a, c, f) for i in range(40) for d, a, c, f in SCHOOL_ROWS]
    got = present_in_setting(_timeline(rows))
    assert np.array_equal(got, np.array([r[3] for r in rows]))
