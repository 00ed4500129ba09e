"""`timeline._encode` (Arrow's dictionary encoding) gives what pandas' factorize gives, on any chunking,
with nulls and blanks: codes in first-appearance order and the same uniques."""
import numpy as np
import pandas as pd
import pyarrow as pa
import pytest

from review.timeline import _encode, _factorize

WORDS = ["", "a", "b", "bruise", "Child seen", "x" * 50, None, "é ü"]


@pytest.mark.parametrize("seed", range(40))
def test_encode_equals_pandas_factorize(seed):
    rng = np.random.default_rng(seed)
    chunks = [pa.array([WORDS[k] for k in rng.integers(0, len(WORDS), rng.integers(0, 40))], pa.large_string())
              for _ in range(rng.integers(0, 4))]
    arrow = pa.chunked_array(chunks, type=pa.large_string())
    series = pd.Series(pd.arrays.ArrowStringArray(arrow))
    want_codes, want_uniques = series.fillna("").factorize()
    codes, uniques = _encode(arrow)
    assert np.array_equal(codes, want_codes) and codes.dtype == want_codes.dtype
    assert uniques.equals(want_uniques) and uniques.dtype == want_uniques.dtype and type(uniques) is type(want_uniques)


def test_factorize_of_distinct_texts_takes_the_arrow_path():
    series = pd.Series([f"text {i}" for i in range(10_000)] + [None], dtype="string")
    codes, uniques = _factorize(series)
    assert codes.tolist() == list(range(10_001)) and uniques[-1] == "" and len(uniques) == 10_001
    sorted_codes, sorted_uniques = _factorize(series, sort=True)  # sorted: pandas' way, as before
    assert list(sorted_uniques) == sorted(uniques)
