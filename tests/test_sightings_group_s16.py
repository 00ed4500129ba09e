"""The child seen among others (review.sightings, rule 2a) and the child present: "Tyler and Poppy seen",
"children seen", "Mia present" are sightings of the child; "Poppy seen" (a sibling alone), "Poppy seen, Tyler
at school", "children not seen" are not. The table reading (`inferred_sightings`, vectorised) agrees with the
row reading (`read_sighting`), and a long column of such texts is read as each row alone is."""
from __future__ import annotations

import pandas as pd
import pytest

from review.sightings import inferred_sightings, read_sighting, with_child_names

TYLER = with_child_names("", "Tyler Mason")
MIA = with_child_names("", "Mia Jones")

SEEN = [
    ("home_visit", "Statutory visit. Tyler and Poppy seen.", TYLER),
    ("home_visit", "Statutory visit, children seen.", TYLER),
    ("home_visit", "First visit. Tyler and Poppy seen. Bedding soiled, no food in fridge.", TYLER),
    ("home_visit", "Children seen (date not recorded).", TYLER),
    ("police_callout", "Domestic incident, Mia present.", MIA),
    ("home_visit", "Poppy and Tyler seen.", TYLER),
    ("home_visit", "All children seen.", TYLER),
    ("home_visit", "Both children seen.", TYLER),
    ("other", "Both children were seen at home.", TYLER),
    ("home_visit", "Mum, Poppy and Tyler were seen.", TYLER),
    ("home_visit", "Tyler and his sister seen.", TYLER),
]
NOT_READ = [
    ("home_visit", "Poppy seen.", TYLER),  # a sibling alone
    ("home_visit", "Poppy seen, Tyler at school.", TYLER),  # the child in another part of the clause
    ("home_visit", "Tyler's sister seen.", TYLER),  # a possessive: the child's relative
    ("home_visit", "Tyler and Poppy not seen.", TYLER),  # negated
    ("home_visit", "Children seen: no", TYLER),  # a label answered no
    ("home_visit", "Mum seen.", TYLER),
    ("police_callout", "Domestic incident. Children present upstairs.", TYLER),  # present is not seen by whom
    ("police_callout", "Domestic incident, Poppy present.", TYLER),  # a sibling present
]


def _table(rows):
    return pd.DataFrame({
        "child_seen": pd.array([pd.NA] * len(rows), dtype="boolean"),
        "contact_type": [ct for ct, _, _ in rows],
        "concerns": [pd.NA] * len(rows),
        "description": [t for _, t, _ in rows],
        "action": [pd.NA] * len(rows),
    })


@pytest.mark.parametrize("contact_type,text,key", SEEN)
def test_the_child_seen_among_others_or_present_is_a_sighting(contact_type, text, key):
    assert read_sighting(contact_type, "", text, vocab=key) is True
    assert bool(inferred_sightings(_table([(contact_type, text, key)]), key)[0]) is True


@pytest.mark.parametrize("contact_type,text,key", NOT_READ)
def test_a_sibling_seen_alone_or_a_denial_is_no_sighting_of_the_child(contact_type, text, key):
    assert read_sighting(contact_type, "", text, vocab=key) is None
    assert inferred_sightings(_table([(contact_type, text, key)]), key)[0] is pd.NA


def test_children_not_seen_tagged_by_ingest_stays_not_seen():
    assert read_sighting("home_visit", "child_not_seen", "Children not seen.", vocab=TYLER) is False


def test_a_long_column_is_read_as_each_row_alone():
    """Past the vectorised searches' thresholds (hundreds of distinct texts), the table reading still agrees."""
    rows = [r for r in SEEN + NOT_READ if r[2] == TYLER]
    many = [(ct, f"{text} Visit {i}.", key) for i in range(60) for ct, text, key in rows]
    got = inferred_sightings(_table(many), TYLER)
    expected = [read_sighting(ct, "", text, vocab=TYLER) for ct, text, _ in many]
    assert [None if v is pd.NA else bool(v) for v in got] == expected
    assert expected.count(True) == 60 * sum(1 for r in SEEN if r[2] == TYLER)
