"""review.rules.base._rows_with: the rows whose key is among a few wanted keys, by binary search in the keys
sorted once per prepared timeline, are exactly np.isin's, ascending."""
from __future__ import annotations

import numpy as np

from review.rules.base import _rows_with


class _Ctx:
    def __init__(self):
        self.extra = {}


def test_rows_with_is_isin_in_row_order():
    rng = np.random.default_rng(0)
    for _ in range(300):
        keys = rng.integers(0, 40, int(rng.integers(0, 400))).astype("int64")
        ctx = _Ctx()
        for _ in range(3):  # the sorted keys kept in the context are reused
            wanted = rng.integers(-5, 50, int(rng.integers(0, 25)))
            got = _rows_with(ctx, "keys", keys, wanted)
            assert got.tolist() == np.flatnonzero(np.isin(keys, wanted)).tolist()
        assert "keys" in ctx.extra
