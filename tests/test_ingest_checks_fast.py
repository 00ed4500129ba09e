"""Edge cases of the vectorised ingest checks (checks.py, plausibility.py): the column types ingest builds
(datetime64[us], pyarrow text, numpy bool) and the ones the tests build (conform: ns, string, boolean)
give the same warnings; period ends to the last instant; rows out of row order; what counts as a blank
Source of Information; month-first readings of real date cells; the duplicate search's typed keys."""
from __future__ import annotations

import datetime as dt
from pathlib import Path

import pandas as pd
import pytest

from review.config import CaseConfig
from review.ingest.checks import check_rows
from review.ingest.plausibility import (
    MONTH_FIRST_NOTE,
    check_date_plausibility,
    check_duplicate_rows,
)
from review.ingest.report import FileReport
from review.schema import CONTACT_COLUMNS, conform

CASE = CaseConfig(
    case_dir=Path("."),
    case_id="c1",
    date_of_birth=dt.date(2016, 5, 20),
    date_of_death=dt.date(2017, 1, 10),
    review_date=dt.date(2017, 3, 31),
)
COLUMNS = {"date": "Date", "date_end": "End date", "sequence": "Seq", "source_of_information": "Source"}


def report(**columns) -> FileReport:
    return FileReport(file="hv.xlsx", sheet="Chronology", columns={**COLUMNS, **columns})


def messages(warnings) -> list[tuple]:
    return [(w.row, w.column, w.message) for w in warnings]


def table(rows: list[tuple], as_ingest: bool = False, **extra) -> pd.DataFrame:
    """(date, precision, sequence, source) per row, source_row 2, 3, ...; `as_ingest`: the column types
    load builds (datetime64[us], pyarrow str, bool, Int64), else conform's (ns, string, boolean, Int64)."""
    n = len(rows)
    columns = {
        "date": [pd.Timestamp(r[0]) if r[0] else pd.NaT for r in rows],
        "date_end": [pd.NaT] * n,
        "date_precision": [r[1] for r in rows],
        "time_known": [bool(r[0]) and ":" in r[0] for r in rows],
        "date_text": [""] * n,
        "sequence": pd.array([r[2] for r in rows], dtype="Int64"),
        "source_of_information": [r[3] for r in rows],
        "source_row": pd.array(list(range(2, n + 2)), dtype="Int64"),
        **extra,
    }
    if not as_ingest:
        return conform(pd.DataFrame(columns), CONTACT_COLUMNS)
    frame = pd.DataFrame(columns)
    frame["date"] = pd.DatetimeIndex(frame["date"]).as_unit("us")
    frame["date_end"] = pd.to_datetime(frame["date_end"]).astype("datetime64[s]")
    for name in ("date_precision", "date_text", "source_of_information"):
        frame[name] = frame[name].astype("str")
    return frame


ROWS = [
    ("2015-03-01", "day", 1, "GP"),  # before birth (and before the pregnancy: a pregnancy's rows get one table warning)
    ("2016-05-01", "month", 2, "GP"),  # the month of birth: not before it
    ("2016-01-01", "year", 3, "GP"),  # the year of birth: neither before birth nor out of order
    ("2016-06-01 09:00", "day", 2, "GP"),
    ("2016-06-01 08:00", "day", 1, ""),  # an earlier time, a lower sequence: both reported
    ("2016-06-01", "approximate", 1, "\xa0"),  # approximate: not ordered; a no-break space is blank
    (None, None, None, None),  # no date: no date checks; no source
    ("2017-01-10 23:59:59.999999", "day", 1, "GP"),  # the last instant of the day of death: fine
    ("2017-01-11", "day", 2, "\u3000"),  # the next midnight: after death
    ("2017-04-01", "month", 1, "GP"),  # April 2017 starts after the review date
]


@pytest.mark.parametrize("as_ingest", [False, True], ids=["conformed", "as-ingest"])
def test_period_edges_times_sequences_and_blank_sources_on_both_column_types(as_ingest):
    added = check_rows(table(ROWS, as_ingest), report(), CASE)
    assert [(row, column, message.split(",")[0].split(" (")[0]) for row, column, message in messages(added)] == [
        (2, "Date", "dated 01/03/2015"),
        (6, "Date", "out of order: dated 01/06/2016"),
        (6, "Seq", "out of order: sequence 1 after sequence 2 on the same day"),
        (6, "Source", "no Source of Information"),
        (7, "Source", "no Source of Information"),
        (8, "Source", "no Source of Information"),
        (10, "Date", "dated 11/01/2017"),
        (10, "Source", "no Source of Information"),
        (11, "Date", "dated 01/04/2017"),
        (11, "Date", "dated 01/04/2017"),
    ]
    assert "after the child's date of death" in messages(added)[6][2]
    assert "after the child's date of death" in messages(added)[8][2]
    assert "after the end of the review period" in messages(added)[9][2]


def test_the_two_column_types_give_identical_warnings():
    assert messages(check_rows(table(ROWS), report(), CASE)) == messages(
        check_rows(table(ROWS, as_ingest=True), report(), CASE)
    )


def test_rows_given_out_of_row_order_are_checked_and_reported_in_row_order():
    frame = table([("2016-06-01", "day", None, "GP"), ("2016-07-01", "day", None, "GP"),
                   ("2016-06-15", "day", None, "GP"), ("2016-08-01", "day", None, "")])
    frame["source_row"] = pd.array([2, 4, 3, 5], dtype="Int64")  # in date order by row number
    assert messages(check_rows(frame, report(), CASE)) == [
        (5, "Source", "no Source of Information (mandatory in the chronology template)")
    ]
    frame["source_row"] = pd.array([3, 2, 4, 5], dtype="Int64")  # rows 2-5: 07-01, 06-01, 06-15, 08-01
    found = messages(check_rows(frame, report(), CASE))
    assert [row for row, _, _ in found] == [3, 5]
    assert found[0][2] == "out of order: dated 01/06/2016, before the previous event (row 2, 01/07/2016)"


def test_without_source_rows_warnings_have_no_row_and_sequence_order_is_named():
    frame = table([("2016-08-01", "day", 1, "GP"), ("2016-07-01", "day", 2, "GP")]).drop(columns="source_row")
    [(row, column, message)] = messages(check_rows(frame, report(), CASE))
    assert (row, column) == (None, "Date") and "(sequence 1, 01/08/2016)" in message


def test_a_missing_sequence_number_breaks_the_within_day_comparison():
    frame = table([("2016-06-01", "day", 2, "GP"), ("2016-06-01", "day", None, "GP"),
                   ("2016-06-01", "day", 1, "GP"), ("2016-06-01", "day", 0, "GP")])
    assert [(row, column) for row, column, _ in messages(check_rows(frame, report(), CASE))] == [(5, "Seq")]


def test_newest_first_with_year_and_month_periods():
    frame = table([("2016-09-01", "day", None, "GP"), ("2016-01-01", "year", None, "GP"),
                   ("2016-08-01", "month", None, "GP"), ("2016-07-01", "day", None, "GP"),
                   ("2016-06-01", "day", None, "GP")])
    found = messages(check_rows(frame, report(), CASE))
    # the year 2016 overlaps every date: neither step around it goes back or forward
    assert found[0][0] is None and "newest first" in found[0][2] and len(found) == 1


TRUE_DATES = [dt.date(2016, month, day) for month, days in ((6, (2, 9, 11)), (7, (1, 6, 12)), (8, (3, 8, 10)),
                                                             (9, (4, 7, 12))) for day in days]


def test_real_date_cells_swapped_month_first_are_caught_and_a_31st_is_not_swappable():
    swapped = [dt.date(d.year, d.day, d.month) for d in TRUE_DATES]  # 6 February, 6 September... as stored
    [warning] = check_date_plausibility(swapped, table([]), report(), CASE)
    assert warning.row is None and warning.column == "Date"
    assert warning.message.startswith(f"{MONTH_FIRST_NOTE}: of 12 numeric dates read day-first, 3 step(s) go back")
    assert "they would all fit the case period" in warning.message
    # a 31st read month-first is no date: the sheet cannot be month-first
    with_31st = [*swapped, dt.datetime(2016, 7, 31, 10, 0)]
    assert check_date_plausibility(with_31st, table([]), report(), CASE) == []


def test_month_first_text_dates_with_two_digit_years_and_a_day_first_only_date():
    separators = "/.-/"
    us_text = [f"{d.month:02d}{separators[k % 4]}{d.day:02d}{separators[k % 4]}16" for k, d in enumerate(TRUE_DATES)]
    us_text[3] += " 10:30"
    [warning] = check_date_plausibility(us_text, table([]), report(), CASE)
    assert "of 12 numeric dates read day-first, 3 step(s) go back" in warning.message
    # 25/07/16 can only be day-first: the sheet is day-first, whatever the rest says
    assert check_date_plausibility([*us_text, "25/07/16"], table([]), report(), CASE) == []
    # no date of birth: no case period to judge by
    no_dob = CaseConfig(case_dir=Path("."), case_id="c1", date_of_birth=None)
    assert check_date_plausibility(us_text, table([]), report(), no_dob) == []


def test_duplicates_keep_one_true_and_one_point_oh_apart_and_skip_blank_rows():
    rows = [[1, "a"], [1.0, "a"], [True, "a"], [1, "a"], [None, None], [None, None], [True, "a"]]
    added = check_duplicate_rows(rows, [2, 3, 4, 5, 6, 7, 8], FileReport(file="x"))
    assert [(w.row, w.message.split(":")[0]) for w in added] == [(5, "duplicate of row 2"), (8, "duplicate of row 4")]


def test_duplicates_with_unhashable_cells_ragged_rows_and_rows_without_numbers():
    unhashable = [[[1], "a"], [[1], "a"], ["b", None]]
    assert [w.row for w in check_duplicate_rows(unhashable, [2, 3, 4], FileReport(file="x"))] == [3]
    ragged = [["a", "b"], ["a", "b", None], ["a"]]  # trailing blanks do not count
    assert [w.row for w in check_duplicate_rows(ragged, [2, 3, 4], FileReport(file="x"))] == [3]
    # a row beyond the row numbers given is not checked; a row number may be missing
    rows = [["a"], ["a"], ["a"], ["a"]]
    added = check_duplicate_rows(rows, [None, 3, 4], FileReport(file="x"))
    assert [(w.row, w.message.split(":")[0]) for w in added] == [(3, "duplicate of row None"), (4, "duplicate of row None")]
