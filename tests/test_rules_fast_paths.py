"""The rule engine's fast paths give exactly what the plain pandas expressions they replace give."""
from __future__ import annotations

from itertools import pairwise

import numpy as np
import pandas as pd
import pyarrow as pa
import pytest

from review.rules.base import _minus_days, take_rows


def _chunked_strings(n: int, chunks: int, rng) -> pd.Series:
    """A nullable string column backed by an Arrow array of several chunks (as read from a store's parts)."""
    values = [None if v % 7 == 0 else f"id-{v}" for v in rng.integers(0, 50, n)]
    bounds = np.linspace(0, n, chunks + 1).astype(int)
    arrow = pa.chunked_array([pa.array(values[a:b], type=pa.large_string()) for a, b in pairwise(bounds)],
                             type=pa.large_string())
    return pd.Series(pd.arrays.ArrowStringArray(arrow))


@pytest.mark.parametrize("chunks", [1, 3, 8])
def test_take_rows_equals_take(chunks):
    rng = np.random.default_rng(chunks)
    column = _chunked_strings(500, chunks, rng)
    assert column.array._pa_array.num_chunks == chunks
    cases = [
        np.arange(0, 500, 3),  # ascending, across chunk bounds
        rng.integers(0, 500, 200),  # any order, repeats
        np.array([499, 0, 250, 250, 1]),
        np.zeros(0, dtype="int64"),
        np.array([-1, 3]),  # negative positions: pandas' own meaning
    ]
    for pos in cases:
        got, want = take_rows(column, pos), column.array.take(pos)
        assert got.dtype == want.dtype
        assert pd.Series(got).equals(pd.Series(want))
    with pytest.raises(IndexError):
        take_rows(column, np.array([0, 500]))


def test_take_rows_other_columns():
    values = pd.Series([1.5, None, 3.0], dtype="Float64")
    assert pd.Series(take_rows(values, np.array([2, 0]))).equals(pd.Series(values.array.take([2, 0])))


def test_minus_days_equals_pandas():
    rng = np.random.default_rng(7)
    for trial in range(60):
        n = 40
        day = pd.Series(pd.to_datetime(rng.integers(-20_000, 40_000, n), unit="D").astype("datetime64[ns]"))
        day[rng.random(n) < 0.2] = pd.NaT
        ages = rng.integers(-3_000, 20_000, n).astype("float64")
        if trial % 3 == 0:
            ages += rng.random(n).round(2)  # fractional days: pandas' own path
        if trial % 7 == 0:
            ages[0] = 1e9  # out of range: pandas' own error
        age = pd.Series(ages).astype("Float64")
        age[rng.random(n) < 0.2] = pd.NA
        try:
            want = day - pd.to_timedelta(age.astype("float64"), unit="D")
        except Exception as error:  # noqa: BLE001
            with pytest.raises(type(error)):
                _minus_days(day, age)
            continue
        got = _minus_days(day, age)
        assert got.dtype == want.dtype and got.index.equals(want.index) and got.equals(want)


def test_factorisations_are_shared_per_arrow_array():
    from review.timeline import _codes, _factorize

    column = _chunked_strings(6000, 3, np.random.default_rng(3))
    first = _factorize(column)
    assert _factorize(column)[0] is first[0]  # the same Arrow array: factorised once
    assert not first[0].flags.writeable
    codes, uniques = _codes(column, sort=False)
    want_codes, want_uniques = pd.factorize(column.fillna(""))
    assert np.array_equal(codes, want_codes) and list(uniques) == list(want_uniques)
    changed = column.copy()
    changed.iloc[0] = "something else"  # a new Arrow array: its own codes
    codes, uniques = _codes(changed, sort=True)
    want_codes, want_uniques = pd.factorize(changed.fillna(""), sort=True)
    assert np.array_equal(codes, want_codes) and list(uniques) == list(want_uniques)
