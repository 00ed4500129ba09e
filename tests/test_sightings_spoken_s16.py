"""Speaking to the child is a sighting only face to face (review.sightings, rule 2b): "Spoke to Ellie about
school" on a home visit or "at school" is; the same words in a phone call ("Telephone call, spoke to Ellie")
or on a row that says nothing of how the contact was held are not (a phone call says them as well)."""
from __future__ import annotations

import pandas as pd
import pytest

from review.sightings import inferred_sightings, read_sighting, with_child_names

ELLIE = with_child_names("", "Ellie Ward")

SEEN = [
    ("home_visit", "Spoke to Ellie about school"),
    ("clinic_appointment", "Spoke with Ellie about her sleep"),
    (None, "Spoke to Ellie at school about her friendships"),
    (None, "Spoke to Ellie in person"),
    (None, "SW spoke to Ellie alone in her room"),
    (None, "Spoke to the child face to face"),
]
NOT_SEEN = [
    ("phone_call", "Spoke to Ellie about school"),  # the type: a phone call
    ("home_visit", "Telephone call, spoke to Ellie"),  # the text: a phone call, whatever the type cell
    ("letter", "Spoke to Ellie at school"),
    (None, "Telephone call, spoke to Ellie"),
    (None, "Spoke to Ellie about school"),  # nothing says how: unknown, as before
    (None, "Spoke to Ellie, not in person"),  # in person, negated
    ("home_visit", "Spoke to mum about Ellie"),  # not speaking to the child
    (None, "Texted Ellie, spoke to Ellie at school later"),  # at a distance is named: when in doubt, none
]


@pytest.mark.parametrize("contact_type,text", SEEN)
def test_speaking_to_the_child_face_to_face_is_a_sighting(contact_type, text):
    assert read_sighting(contact_type, "", text, vocab=ELLIE) is True


@pytest.mark.parametrize("contact_type,text", NOT_SEEN)
def test_speaking_to_the_child_at_a_distance_or_unsaid_is_no_sighting(contact_type, text):
    assert read_sighting(contact_type, "", text, vocab=ELLIE) is None


def test_the_child_s_name_only_counts_for_the_child():
    # without the case's child_name, "Ellie" is nobody in particular: "spoke to child" still reads
    assert read_sighting("home_visit", "", "Spoke to Ellie about school") is None
    assert read_sighting("home_visit", "", "Spoke to the child about school") is True


def test_a_row_tagged_child_not_seen_stays_not_seen():
    assert read_sighting("home_visit", "child_not_seen", "Spoke to Ellie at the door, child not seen",
                         vocab=ELLIE) is False


@pytest.mark.parametrize("copies", [1, 40])  # 40: past the vectorised negation search's threshold
def test_the_table_reading_equals_the_row_reading(copies):
    rows = [(ct, text + (f" (ref {i})" if copies > 1 else ""), "") for i, (ct, text) in
            enumerate((SEEN + NOT_SEEN) * copies)]
    frame = pd.DataFrame({"child_seen": pd.array([pd.NA] * len(rows), dtype="boolean"),
                          "contact_type": [r[0] for r in rows], "concerns": [""] * len(rows),
                          "description": [r[1] for r in rows], "action": [r[2] for r in rows]})
    got = [None if pd.isna(v) else bool(v) for v in inferred_sightings(frame, ELLIE)]
    assert got == [read_sighting(ct, "", d, a, vocab=ELLIE) for ct, d, a in rows]
    assert got[:len(SEEN)] == [True] * len(SEEN)


def test_a_recorded_cell_wins():
    frame = pd.DataFrame({"child_seen": pd.array([False], dtype="boolean"), "contact_type": ["home_visit"],
                          "concerns": [""], "description": ["Spoke to Ellie about school"], "action": [""]})
    assert inferred_sightings(frame, ELLIE).isna().all()
