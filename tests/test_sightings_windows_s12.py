"""review.sightings reads a long text's cues only in the clauses that hold them (`_windows`), skips the full
reading where no negation cue can reach a cue (`_negation_prefilter`), and pre-selects the texts to read with
a cheaper whole-word search (`_may_hold`): each must give exactly the reading of the whole text."""
from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from review import sightings as S
from review.rules.base import _negating_vocab
from review.vocab import Phrases

CUES = S.sighting_words()[1]
REMOTE = S.sighting_words()[2]

# fragments built to put negation cues, label marks, lists, break words and exceptions around the cues
FRAGMENTS = [
    "child seen", "Child was seen", "seen alone", "not", "no", "never", "Child not seen", "Child seen: no",
    "Child seen - not", "examined", "not examined", "Seen and examined", "none", "nil", ":", " - ", ",", ".",
    ";", "but", "however", "and", "or", "mother", "at home", "ruled out", "not present", "child observed",
    "Bruising", "no bruising, child seen", "(", ")", "\n", "DNA test", "seen with mother", "without",
    "spoken to alone", "No concerns", "no further action", "letter", "phone", "Notification", "received from",
    "–", "—", "’", "Child seen:", "N/A", "denies", "observed playing", "weighed and measured", "x", "21/03/2007",
    "examinedx", "observedly", "Seen by Ayesha", "not observed", "absent", "none seen", "not noted",
]


def _corpus(n: int, seed: int) -> list[str]:
    rng = np.random.default_rng(seed)
    out = []
    for _ in range(n):
        k = int(rng.integers(1, 22))
        parts = [FRAGMENTS[i] for i in rng.integers(0, len(FRAGMENTS), k)]
        out.append(" ".join(parts))
    return out


def _whole(text: str, words: tuple) -> bool:
    """The reading before the windows: every mention read in the whole text."""
    vocab = _negating_vocab((), "")
    tokens = vocab.tokens(text)
    found = set(S._pattern(words).findall(" ".join(tokens)))
    return bool(found) and bool(vocab.find_spans(tokens, Phrases(found)))


@pytest.mark.parametrize("words", [CUES, REMOTE], ids=["cues", "remote"])
def test_the_windowed_reading_is_the_whole_text_reading(words):
    texts = _corpus(6000, 12)
    got = [S._names(t, words) for t in texts]
    want = [_whole(t, words) for t in texts]
    assert got == want
    assert 0.1 < np.mean(want) < 0.9  # the corpus exercises both answers


@pytest.mark.parametrize("text, seen", [
    ("Visit to the family home. Mother present. Child seen: no. Plan to revisit next week.", False),
    ("Visit to the family home. Mother present. Child seen - none. Plan to revisit next week.", False),
    ("Visit to the family home, mother present and the child not examined, plan to revisit next week.", False),
    ("Visit to the family home. Mother present. Child was not seen alone. Plan to revisit next week.", True),
    ("Visit to the family home. Mother present; child seen, no marks. Plan to revisit next week.", True),
    ("Visit to the family home. No concerns. Child seen at nursery later. Plan to revisit next week.", True),
])
def test_long_texts_are_read_as_before(text, seen):
    assert S._names(text, CUES) is seen
    assert _whole(text, CUES) is seen


def test_the_table_reading_skips_the_full_reading_only_where_no_negation_can_reach():
    texts = _corpus(3000, 5)
    # every text holds a cue, half of them with no negation cue at all
    texts = [t + " . Child seen" for t in texts] + [f"Home visit {i}. Child seen playing." for i in range(1500)]
    d = np.arange(len(texts), dtype="int64")
    a = np.zeros(len(texts), dtype="int64")
    ask = np.ones(len(texts), dtype=bool)
    uniques = np.array(texts, dtype=object)
    got = S._read(d, a, ask, uniques, np.array([""], dtype=object), CUES)
    want = np.array([S._names(S._row_text(t, ""), CUES) for t in texts])
    assert len(texts) >= S._NEGATION_SEARCH_FROM
    assert (got == want).all()
    assert want[-1500:].all()


@pytest.mark.parametrize("words", [CUES, REMOTE], ids=["cues", "remote"])
def test_the_pre_selection_misses_no_text_the_reading_finds_a_word_in(words):
    texts = np.array(_corpus(4000, 9) + ["Child’s bruise. Child seen", "CHILD SEEN", "child seén", "É child seen"],
                     dtype=object)
    held = S._may_hold(texts, words)
    found = np.array([S._found(t, words) for t in texts])
    assert not (found & ~held).any()
    only = np.arange(0, len(texts), 3)
    part = S._may_hold(texts, words, only)
    assert (part[only] == held[only]).all() and not part[np.setdiff1d(np.arange(len(texts)), only)].any()


def test_the_table_reading_is_still_the_row_reading_on_a_mixed_corpus():
    texts = _corpus(2500, 3)
    rng = np.random.default_rng(4)
    types = np.array(["home_visit", "ae_attendance", "cp_medical", "phone_call", "was_not_brought"], dtype=object)
    tags = np.array(["", "child_not_seen", "was_not_brought", ""], dtype=object)
    frame = pd.DataFrame({
        "child_seen": pd.array([pd.NA] * len(texts), dtype="boolean"),
        "contact_type": types[rng.integers(0, len(types), len(texts))],
        "concerns": tags[rng.integers(0, len(tags), len(texts))],
        "description": texts,
        "action": [texts[i] if i % 4 == 0 else "" for i in range(len(texts))],
    })
    got = [None if pd.isna(v) else bool(v) for v in S.inferred_sightings(frame).astype(object)]
    want = [S.read_sighting(*r) for r in frame[["contact_type", "concerns", "description", "action"]].itertuples(index=False)]
    assert got == want
    assert {True, False, None} <= set(want)


def test_a_long_table_read_through_the_shared_factorisation_is_the_row_reading():
    """From `review.timeline._SMALL` rows on, the descriptions and actions are coded by the timeline's shared
    factorisation of the whole column (blank cells among them): still the row-by-row reading."""
    from review.timeline import _SMALL

    texts = _corpus(_SMALL + 500, 21)
    rng = np.random.default_rng(22)
    types = np.array(["home_visit", "ae_attendance", "cp_medical", "phone_call", "was_not_brought"], dtype=object)
    seen = np.array([pd.NA, pd.NA, True, False], dtype=object)
    frame = pd.DataFrame({
        "child_seen": pd.array(seen[rng.integers(0, len(seen), len(texts))], dtype="boolean"),
        "contact_type": types[rng.integers(0, len(types), len(texts))],
        "concerns": np.array(["", "child_not_seen", "was_not_brought", None], dtype=object)[rng.integers(0, 4, len(texts))],
        "description": pd.array([None if i % 7 == 0 else t for i, t in enumerate(texts)], dtype="string[pyarrow]"),
        "action": pd.array([texts[i] if i % 4 == 0 else None for i in range(len(texts))], dtype="string[pyarrow]"),
    })
    got = [None if pd.isna(v) else bool(v) for v in S.inferred_sightings(frame).astype(object)]
    want = [None if not pd.isna(c) else S.read_sighting(t, g, d, a) for c, t, g, d, a in
            frame[["child_seen", "contact_type", "concerns", "description", "action"]].astype(object).itertuples(index=False)]
    assert got == want
    assert {True, False, None} <= set(want)
