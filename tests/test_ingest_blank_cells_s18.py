"""The readers say whether a sheet holds any missing value besides None (s18), and load finds the blank cells
by comparing with None only then: the same blanks `pd.isna` finds."""
import datetime as dt
import math

import numpy as np
import pandas as pd
import pytest

from review.ingest.load import _cell_array
from review.ingest.readers import _blank_cells_to_none, _cleaned_cells


def test_cells_of_the_classes_calamine_gives_are_present_and_blanks_become_none():
    rows = [["", "Visit", 1, 2.5, True], [dt.date(2020, 1, 2), dt.datetime(2020, 1, 2, 10), dt.time(9), "  ", None],
            [dt.timedelta(hours=1), "x", 0, -0.0, False]]
    cleaned, present = _cleaned_cells([list(r) for r in rows])
    assert present
    assert cleaned[0][0] is None and cleaned[1][3] is None and cleaned[0][1] == "Visit"
    assert _blank_cells_to_none([list(r) for r in rows]) == cleaned
    cells = _cell_array(cleaned)
    assert np.array_equal(np.equal(cells, None), pd.isna(cells))


@pytest.mark.parametrize("missing", [math.nan, pd.NaT, np.float64("nan")])
def test_a_missing_value_other_than_none_is_left_to_pd_isna(missing):
    rows = [["Visit", 1.5, missing], ["", "Call", None]]
    cleaned, present = _cleaned_cells(rows)
    assert not present
    assert pd.isna(_cell_array(cleaned)).tolist() == [[False, False, True], [True, False, True]]


def test_many_distinct_blank_texts_are_cleaned_alike():
    blanks = [" " * k for k in range(1, 8)] + ["\t", "\n"]
    rows = [[b, "Visit", 2.0] for b in blanks]
    cleaned, present = _cleaned_cells([list(r) for r in rows])
    assert present and [r[0] for r in cleaned] == [None] * len(blanks)
