"""Rules searching many distinct texts take them from the column's Arrow uniques (`base._arrow_texts`,
`timeline._arrow_uniques`) instead of turning Python strings back into Arrow: the same flags either way,
and the Arrow uniques are those of `_codes`, in the same order, whichever way the column was factorised."""
import numpy as np
import pandas as pd
import pytest

import review.rules.base as base
from review.rules import detect, load_rules
from review.store import case_configs, timeline_many
from review.synth import synth_contacts
from review.timeline import _SMALL, _arrow_uniques, _codes


def _distinct(contacts: pd.DataFrame) -> pd.DataFrame:
    """Every description and action made different, as real chronologies' are (blanks left blank)."""
    out = contacts.copy()
    for column in ("description", "action"):
        text = out[column].fillna("")
        numbered = text + pd.Series([f" (ref {i})" for i in range(len(out))], index=out.index)
        out[column] = numbered.where(text != "", text).astype("string")
    return out


@pytest.fixture(scope="module")
def case_set():
    contacts, cases, _ = synth_contacts(60, 11, 100)
    return _distinct(contacts), cases


def _flags(contacts, cases, monkeypatch, threshold):
    monkeypatch.setattr(base, "_ARROW_TEXTS_FROM", threshold)
    timeline = timeline_many(contacts, cases)
    return detect(timeline, case_configs(cases), load_rules())


def test_the_arrow_path_finds_the_same_flags(case_set, monkeypatch):
    contacts, cases = case_set
    used = []
    real = base._arrow_texts
    monkeypatch.setattr(base, "_arrow_texts", lambda ctx, column: used.append(column) or real(ctx, column))
    by_arrow = _flags(contacts, cases, monkeypatch, 1)
    assert set(used) == {"description", "action"}  # the path was taken
    used.clear()
    by_objects = _flags(contacts, cases, monkeypatch, 10**9)
    assert not used
    assert len(by_arrow) > 20
    pd.testing.assert_frame_equal(by_arrow, by_objects)


@pytest.mark.parametrize("kind", ["distinct", "runs", "nulls", "small", "object"])
def test_arrow_uniques_are_the_codes_uniques(kind):
    n = _SMALL * 3
    if kind == "distinct":
        series = pd.Series([f"text {i % (n // 2)}" for i in range(n)], dtype="string")
    elif kind == "runs":  # long runs: factorised by their heads
        series = pd.Series([f"case {i // 500}" for i in range(n)], dtype="string")
    elif kind == "nulls":
        series = pd.Series([None if i % 7 == 0 else ("" if i % 5 == 0 else f"t{i % 300}") for i in range(n)],
                           dtype="string")
    elif kind == "small":
        series = pd.Series(["b", None, "a", "b", ""], dtype="string")
    else:
        series = pd.Series([f"x{i % 50}" for i in range(n)], dtype=object)
    codes, uniques = _codes(series, sort=False)
    arrow = _arrow_uniques(series, sort=False)
    assert arrow.to_pylist() == list(uniques)
    assert np.array_equal(np.asarray(uniques, dtype=object)[codes], series.fillna("").to_numpy(dtype=object))


def test_shared_uniques_are_read_only():
    series = pd.Series([f"text {i}" for i in range(_SMALL * 2)], dtype="string")
    _, uniques = _codes(series, sort=False)
    assert _codes(series, sort=False)[1] is uniques  # made once, shared by the timeline and the rules
    with pytest.raises(ValueError):
        uniques[0] = "changed"


KEYWORDS = ["returned home", "no further action", "nfa", "strategy discussion", "child's"]
PIECES = ["Returned HOME", "no  further\taction", "NFA.", "NFAs", "Strategy-Discussion", "child’s", "CHILD'S",
          "İnjury", "no further actİon", "ſtrategy discussion", "returned homes", "xnfa", "n.f.a", "(nfa)", "é nfa",
          "K", "Ｎｆａ", "returned\nhome", "", "plain words", "Child''s", "RETURNED home;"]


@pytest.mark.parametrize("seed", range(25))
def test_caseless_prefilter_finds_what_lower_casing_finds(seed, monkeypatch):
    rng = np.random.default_rng(seed)
    texts = np.array([" ".join(rng.choice(PIECES, size=rng.integers(1, 4))) for _ in range(400)], dtype=object)
    pattern, prefilter = base._keyword_regex(KEYWORDS), base._keyword_prefilter(KEYWORDS)
    monkeypatch.setattr(base, "_CASELESS_FROM", 10**9)
    lowered = base._texts_matching(texts, pattern, prefilter)
    monkeypatch.setattr(base, "_CASELESS_FROM", 1)
    caseless = base._texts_matching(texts, pattern, prefilter)
    assert lowered.any() and not lowered.all()
    assert np.array_equal(caseless, lowered)


def test_caseless_prefilter_on_its_own_is_the_lowered_one():
    import pyarrow as pa
    import pyarrow.compute as pc

    texts = [" ".join(p) for p in zip(PIECES, reversed(PIECES))] + PIECES + [None]
    column = pa.array(texts, type=pa.large_string())
    prefilter = base._keyword_prefilter(KEYWORDS)
    want = np.array(pc.fill_null(pc.match_substring_regex(pc.utf8_lower(column), prefilter), False), dtype=bool)
    assert np.array_equal(base._prefiltered_caseless(column, prefilter), want)
