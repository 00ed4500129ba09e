"""Session 21, issue #6 (ingest speed): the duplicate-row check groups rows by hash with numpy, and a string
column of one text is built by repeating it. Both must give exactly what the plain reading gives."""
import datetime as dt
import random
from pathlib import Path

import numpy as np
import pandas as pd
import pyarrow as pa
import pytest

from review.ingest.load import _string_array
from review.ingest.plausibility import _duplicates_by_hash, check_duplicate_rows
from review.ingest.report import FileReport


def _plain_duplicates(rows, row_numbers):
    """The rule as the docstring states it, row by row: a row identical in every cell (1, 1.0 and True
    apart; trailing blanks ignored) to an earlier row is a duplicate of the earliest such row; a row of
    blanks only is no row."""
    first, out = {}, []
    for values, row in zip(rows, row_numbers):
        key = tuple((type(v), v) if v is not None else None for v in values)
        while key and key[-1] is None:
            key = key[:-1]
        if not key:
            continue
        if key in first:
            out.append((row, first[key]))
        else:
            first[key] = row
    return out


def _found(rows, numbers):
    warnings = check_duplicate_rows([list(r) for r in rows], list(numbers), FileReport(file="x"))
    assert all(w.column is None for w in warnings)
    return [(w.row, int(w.message.split()[3].rstrip(":"))) for w in warnings]


EDGE_CASES = [
    # 1, 1.0 and True are equal cells but not the same cell: only the last row repeats the first
    [[1, "a"], [1.0, "a"], [True, "a"], [1, "a"]],
    # a date is never a datetime of the same day
    [[dt.date(2020, 1, 1), "a"], [dt.datetime(2020, 1, 1), "a"], [dt.date(2020, 1, 1), "a"]],
    # rows of blanks only are skipped, not duplicates of each other
    [["x", None], [None, None], [None, None], ["x", None]],
    # several groups, interleaved; each later row names the earliest of its group
    [["a", "b"], ["c", "d"], ["a", "b"], ["c", "d"], ["a", "b"], ["e", None]],
    # -1 and -2 hash alike in CPython: a hash collision must not make a duplicate
    [[-1, "a"], [-2, "a"], [-1, "a"], [-2, "a"]],
]


@pytest.mark.parametrize("rows", EDGE_CASES)
def test_duplicate_rows_match_the_plain_rule_on_edge_cases(rows):
    numbers = list(range(2, 2 + len(rows)))
    assert _found(rows, numbers) == _plain_duplicates(rows, numbers)


def test_duplicate_rows_match_the_plain_rule_on_a_repetitive_sheet():
    """A chronology's shape: a few agencies, types and standard wordings, a date column, many exact repeats."""
    rng = random.Random(21)
    texts = ["Home visit completed.", "Letter sent.", "Telephone call.", ""]
    rows = [[dt.date(2020, 1, 1) + dt.timedelta(days=rng.randrange(40)), rng.choice(["GP", "School", "Police"]),
             rng.choice(texts), rng.choice(["Yes", None]), None] for _ in range(600)]
    numbers = list(range(2, 602))
    expected = _plain_duplicates(rows, numbers)
    assert len(expected) > 100  # the fast path is what is exercised
    assert _found(rows, numbers) == expected


def test_the_grouping_leaves_mixed_numbers_and_blank_rows_to_the_typed_keys():
    """`_duplicates_by_hash` answers only when every later member of a hash group is its first's duplicate."""
    def grouped(rows):
        plain = list(map(tuple, rows))
        hashes = np.fromiter(map(hash, plain), dtype=np.int64, count=len(plain))
        return _duplicates_by_hash(rows, plain, hashes, list(range(2, 2 + len(rows))))

    assert grouped([[1, "a"], [1.0, "a"]]) is None
    assert grouped([[None, None], [None, None]]) is None
    assert grouped([["a", 1], ["b", 2]]) == []
    assert [(w.row, w.message) for w in grouped([["a", 1], ["b", 2], ["a", 1]])] == [
        (4, "duplicate of row 2: the same in every column (kept; delete one if it was entered twice)")]


@pytest.mark.parametrize("values", [
    ["C000001"] * 5,
    [""] * 3,
    ["a", "b", "a"],
    ["a", "a", "b", "a", "a"],  # first, middle and last alike, not every value
    ["a"],
    [],
])
def test_a_string_column_is_what_pandas_builds(values):
    built = _string_array(list(values))
    expected = pd.array(list(values), dtype="string")
    assert built.dtype == expected.dtype
    assert built.tolist() == expected.tolist()
    assert isinstance(built, pd.arrays.ArrowStringArray)


def test_a_column_of_one_text_is_that_text_repeated():
    built = _string_array(["Chronology"] * 1000)
    storage = pa.array(built)
    assert storage.type == pa.large_string() and storage.null_count == 0
    assert pd.Series(built).eq("Chronology").all() and len(built) == 1000


def _dated_table():
    """Two tables' rows in one frame: days, months, seasons, a timed day, an end before its start, steps back
    in time and a sequence numbering events within a day."""
    dates = pd.to_datetime(["2020-03-01", "2020-02-01", "2020-03-05 10:30", "2020-03-05", "2019-06-01", "2020-03-04",
                            "2021-01-01", "2020-12-01", "2020-12-01", "2020-11-30", "2020-04-01", "2018-01-01"], format="ISO8601")
    return pd.DataFrame({
        "date": dates,
        "date_end": pd.to_datetime([None, None, None, "2020-03-01", None, None, None, None, None, None, None, None]),
        "date_precision": pd.array(["day", "month", "day", "day", "season", "day", "year", "day", "day", "day",
                                    "approximate", ""], dtype="string"),
        "time_known": pd.array([False, False, True, False, False, False, False, False, False, False, False, False],
                               dtype="boolean"),
        "sequence": pd.array([None, None, 2, 1, None, None, None, 3, 1, None, None, None], dtype="Int64"),
        "source_row": pd.array([2, 3, 4, 5, 6, 7, 2, 3, 4, 5, 6, 7], dtype="Int64"),
        "date_text": pd.array([""] * 12, dtype="string"),
    })


@pytest.mark.parametrize("start, stop", [(0, 6), (6, 12), (2, 9), (0, 12)])
def test_row_checks_give_the_same_warnings_with_the_case_periods(start, stop):
    """Ingest reads the periods of a case's rows once (`case_periods`) and gives each table its slice: the
    warnings are those read from the table's own rows."""
    from review.config import CaseConfig
    from review.ingest.checks import case_periods, check_rows

    frame = _dated_table()
    case = CaseConfig(case_dir=Path("."), case_id="T", date_of_birth=dt.date(2019, 1, 1), review_date=dt.date(2020, 12, 31))
    part = frame.iloc[start:stop]
    own = check_rows(part, FileReport(file="x", columns={"date": "Date"}), case)
    periods = tuple(a[start:stop] for a in case_periods(frame))
    given = check_rows(part, FileReport(file="x", columns={"date": "Date"}), case, periods)
    assert given == own
    assert own  # the table has something to warn of
