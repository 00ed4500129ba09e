"""`timeline._blank_texts` reads a text as blank exactly when ``str.strip() == ""`` through Arrow did (the
linking's test of a description), on every code point."""
import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from review.timeline import _SMALL, _blank_texts, _factorize


def test_every_code_point_alone_and_in_text():
    chars = [chr(c) for c in range(0x110000) if not 0xD800 <= c <= 0xDFFF]
    texts = chars + ["", "  ", "a ", " \u3000 ", "\t\n", "\u200b", "\xa0x", "x\xa0"] + [c * 2 for c in chars[:5000]]
    series = pd.Series(texts, dtype="string")
    assert len(series) >= _SMALL
    _, uniques = _factorize(series)
    want = np.array(pc.equal(pc.utf8_trim_whitespace(pa.array(list(uniques), type=pa.large_string())), ""))
    got = _blank_texts(series, uniques)
    assert np.array_equal(got, want)
    assert 10 < got.sum() < 100


def test_a_small_column_and_nulls():
    series = pd.Series(["", " ", None, "a", "\u3000"], dtype="string")
    _, uniques = _factorize(series)
    assert _blank_texts(series, uniques).tolist() == [s.strip() == "" for s in uniques]
