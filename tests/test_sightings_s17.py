"""Session 17, readings of who saw the child and of mobility.

(1) The child seen among others: a list of people before a group cue ("Tyler, Poppy and Jade seen", "Poppy, Tyler
seen together", "Tyler and baby Poppy seen") or answering a label ("Seen: Tyler, Poppy") is a sighting of the
child when it names the child (case.yml child_name); a list of other names without the child is not, and a word
describing a sibling ("baby Poppy") names the sibling, not the child. The table reading (vectorised) agrees with
the row reading."""
from __future__ import annotations

import pandas as pd
import pytest

from review.sightings import inferred_sightings, read_sighting, with_child_names

TYLER, POPPY, JADE = (with_child_names("", name) for name in ("Tyler Mason", "Poppy Mason", "Jade Mason"))

GROUPS = [
    # text, the children whose sighting it is (of Tyler, Poppy, Jade)
    ("Tyler and Poppy seen.", {TYLER, POPPY}),
    ("Statutory visit, children seen.", {TYLER, POPPY, JADE}),
    ("Domestic incident, Tyler present.", {TYLER}),
    ("Tyler and baby Poppy seen.", {TYLER, POPPY}),
    ("Tyler, Poppy and Jade seen.", {TYLER, POPPY, JADE}),
    ("Statutory visit, Tyler, Poppy and Jade seen.", {TYLER, POPPY, JADE}),
    ("Poppy, Tyler seen together.", {TYLER, POPPY}),
    ("Seen: Tyler, Poppy.", {TYLER, POPPY}),
    ("Seen - baby Poppy and Tyler", {TYLER, POPPY}),
    ("Poppy and baby Jade seen.", {POPPY, JADE}),
    # not the child's: a list of others, another clause's name, a label answered no
    ("Poppy, Jade seen.", {POPPY, JADE}),
    ("Seen: Poppy, Jade.", {POPPY, JADE}),
    ("Visited Tyler, Poppy seen.", {POPPY}),
    ("Seen: Poppy at home, Tyler at school.", {POPPY}),
    ("Children seen: no", set()),
    ("Seen: not Tyler", set()),
]
CASES = [(text, key, key in whose) for text, whose in GROUPS for key in (TYLER, POPPY, JADE)]


def _table(texts, contact_type="home_visit"):
    return pd.DataFrame({
        "child_seen": pd.array([pd.NA] * len(texts), dtype="boolean"),
        "contact_type": [contact_type] * len(texts),
        "concerns": [pd.NA] * len(texts),
        "description": texts,
        "action": [pd.NA] * len(texts),
    })


@pytest.mark.parametrize("text, key, seen", CASES)
def test_a_list_of_people_seen_is_the_childs_sighting_only_when_it_names_the_child(text, key, seen):
    assert read_sighting("home_visit", "", text, vocab=key) is (True if seen else None)
    got = inferred_sightings(_table([text]), key)[0]
    assert (got is pd.NA) if not seen else bool(got) is True


@pytest.mark.parametrize("key", [TYLER, POPPY, JADE])
def test_a_long_column_of_lists_reads_as_each_row_alone(key):
    """Past the vectorised searches' thresholds (hundreds of distinct texts) the table reading still agrees."""
    texts = [f"{text} Visit {i}." for i in range(40) for text, _ in GROUPS]
    got = inferred_sightings(_table(texts), key)
    expected = [read_sighting("home_visit", "", t, vocab=key) for t in texts]
    assert [None if v is pd.NA else bool(v) for v in got] == expected
    assert expected.count(True) == 40 * sum(key in whose for _, whose in GROUPS)
