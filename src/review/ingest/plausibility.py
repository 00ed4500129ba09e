"""Is a sheet's date column plausible as a whole? File-level warnings a row-by-row parser cannot give.

`parse_date` reads every numeric date day-first and never guesses. A file exported from a system set to
US month-first dates then reads "wrongly but validly": 03/04/2023 becomes 3 April instead of 4 March,
and only the rows with a day above 12 (03/14/2023) are rejected. Each row on its own looks fine; the
sheet as a whole does not. `check_date_plausibility` looks at one sheet's date column and adds one
table-level `RowWarning` (row None, the date column's header) when:

- **month-first**: reading the numeric dates month-first instead would make them fit the case period
  and run in sequence far better than reading them day-first, and no date in the sheet is readable
  day-first only (a 25/03/2023 proves the sheet is day-first). The warning says how many rows were
  rejected as impossible day-first dates and how many fall outside the case period or out of order.
  Nothing is changed: dates are still never guessed; the reviewer fixes the file (or re-exports it).
- **after the review date**: many of the sheet's dates (at least 3 and a quarter) are after the
  review date (or the child's date of death);
- **before birth**: many of the sheet's dates (at least 3 and a quarter) are before the child's birth
  (antenatal contacts are legitimate, a whole sheet of them is more likely the wrong column or year).

`check_duplicate_rows` adds a warning for each data row that repeats an earlier row of the same sheet in
every cell: kept (two identical visits can be real), but reported so a reviewer can check it was not
entered twice.
"""
from __future__ import annotations

import datetime as dt
import re
from collections import Counter

import pandas as pd

from .report import FileReport, RowWarning

__all__ = ["check_date_plausibility", "check_duplicate_rows", "MONTH_FIRST_NOTE"]

#: two numeric parts then a year: 03/04/2023, 3.4.23, 03-04-2023 (an optional time after it)
_NUMERIC = re.compile(r"^\s*(\d{1,2})\s*([/.\-\\])\s*(\d{1,2})\s*\2\s*(\d{4}|\d{2})(?:[\sT].*)?$")
#: how long before birth a contact is still plausible (antenatal care)
ANTENATAL_DAYS = 280
MIN_ROWS = 3
SHARE = 0.25
MONTH_FIRST_NOTE = "dates look month-first (US style, mm/dd/yyyy)"
MAX_ROWS_SHOWN = 10


def _year(text: str, pivot: int = 70) -> int:
    year = int(text)
    if len(text) == 2:
        return 2000 + year if year < pivot else 1900 + year
    return year


def _date(year: int, month: int, day: int) -> dt.date | None:
    try:
        return dt.date(year, month, day)
    except ValueError:
        return None


def _readings(value) -> tuple[dt.date | None, dt.date | None] | None:
    """(day-first date, month-first date) of a cell, or None when the cell is not an all-numeric date.

    A date-time cell (a real date in the workbook) is read as stored, and "month-first" is its day and
    month swapped: what it would be had the program that wrote it read a US date the other way round.
    """
    if isinstance(value, dt.datetime):
        value = value.date()
    if isinstance(value, dt.date):
        return value, _date(value.year, value.day, value.month)
    if not isinstance(value, str):
        return None
    match = _NUMERIC.match(value)
    if not match:
        return None
    a, b, year = int(match.group(1)), int(match.group(3)), _year(match.group(4))
    return _date(year, b, a), _date(year, a, b)


def _inversions(dates: list[dt.date]) -> int:
    """Steps back in time along the rows, in whichever direction the sheet is written (oldest or newest
    first): the smaller of the two counts."""
    backwards = sum(1 for x, y in zip(dates, dates[1:]) if y < x)
    forwards = sum(1 for x, y in zip(dates, dates[1:]) if y > x)
    return min(backwards, forwards)


def _badness(dates: list[dt.date | None], low: dt.date, high: dt.date | None) -> tuple[int, int, int]:
    """(impossible, outside the case period, out of order) for one reading of the column."""
    impossible = sum(d is None for d in dates)
    valid = [d for d in dates if d is not None]
    outside = sum(d < low or (high is not None and d > high) for d in valid)
    return impossible, outside, _inversions(valid)


def check_date_plausibility(raw_dates: list, contacts: pd.DataFrame, report: FileReport, case) -> list[RowWarning]:
    """Add table-level warnings to `report` when one sheet's date column is implausible as a whole.

    Parameters
    ----------
    raw_dates : the date cell of every data row of the sheet (accepted and rejected), in row order.
    contacts : the sheet's accepted rows (CONTACT_COLUMNS: `date`, `date_precision`).
    report : the sheet's FileReport; `report.columns["date"]` names the date column in the warnings.
    case : the CaseConfig (date_of_birth, date_of_death, review_date).
    """
    column = report.columns.get("date") or "date"
    dob = case.date_of_birth
    end = case.review_date or case.date_of_death
    added: list[RowWarning] = []

    # 1. month-first (US) dates read day-first
    readings = [r for r in (_readings(v) for v in raw_dates) if r is not None]
    text_rows = [v for v in raw_dates if isinstance(v, str) and _NUMERIC.match(v)]
    if dob is not None and len(readings) >= MIN_ROWS:
        uk = [r[0] for r in readings]
        us = [r[1] for r in readings]
        day_first_only = sum(1 for v in text_rows if (r := _readings(v)) and r[0] is not None and r[1] is None)
        low = dob - dt.timedelta(days=ANTENATAL_DAYS)
        bad_uk, bad_us = _badness(uk, low, end), _badness(us, low, end)
        margin = max(2, int(0.2 * len(readings)))
        if day_first_only == 0 and bad_us[0] == 0 and sum(bad_uk) - sum(bad_us) >= margin:
            impossible, outside, disorder = bad_uk
            problems = []
            if impossible:
                problems.append(f"{impossible} cannot be read day-first (a month above 12) and were rejected")
            if outside:
                problems.append(f"{outside} fall outside the case period")
            if disorder:
                problems.append(f"{disorder} step(s) go back in time")
            message = (
                f"{MONTH_FIRST_NOTE}: of {len(readings)} numeric dates read day-first, {'; '.join(problems)}; "
                f"read month-first they would {'all ' if sum(bad_us) == 0 else ''}fit the case period and run in "
                "order. Dates are never guessed: check how the file was exported and correct the dates "
                "(or re-export with dd/mm/yyyy dates) before relying on this sheet"
            )
            added.append(RowWarning(None, column, message))

    # 2. many dates after the review period / before birth
    if len(contacts) and "date" in contacts.columns:
        dates = pd.to_datetime(contacts["date"]).dropna()
        n = len(dates)
        checks = []
        if end is not None:
            what = "the review date" if case.review_date else "the child's date of death"
            checks.append((dates > pd.Timestamp(end) + pd.Timedelta(days=1), f"after {what} ({end:%d/%m/%Y})"))
        if dob is not None:
            checks.append((dates < pd.Timestamp(dob), f"before the child's date of birth ({dob:%d/%m/%Y})"))
        for mask, what in checks:
            count = int(mask.sum())
            if n and count >= MIN_ROWS and count >= SHARE * n:
                rows = _rows_of(contacts.loc[mask[mask].index])
                added.append(RowWarning(
                    None, column,
                    f"{count} of {n} dates in this sheet are {what} (rows {rows}): is this the right date "
                    "column, the right year, or are the dates month-first?",
                ))
    report.warnings.extend(added)
    return added


def _rows_of(frame: pd.DataFrame) -> str:
    if "source_row" not in frame.columns:
        return "?"
    rows = [str(int(r)) for r in frame["source_row"].dropna().tolist()]
    more = "" if len(rows) <= MAX_ROWS_SHOWN else f" and {len(rows) - MAX_ROWS_SHOWN} more"
    return ", ".join(rows[:MAX_ROWS_SHOWN]) + more


def check_duplicate_rows(rows: list[list[object]], row_numbers: list[int], report: FileReport) -> list[RowWarning]:
    """Warn (row, no column) for every row identical in every cell to an earlier row: kept, not dropped."""
    first: dict[tuple, int] = {}
    added = []
    # Fast path: rows whose plain tuple of cells is unique cannot be a duplicate of any row (two rows with
    # equal typed keys have equal plain tuples), so only the rest need the typed key. Rows of one table
    # have one width, so trailing blanks line up and need no stripping for this test.
    candidates = None
    if rows and len({len(values) for values in rows}) == 1:
        try:
            plain = [tuple(values) for values in rows]
            counts = Counter(plain)
        except TypeError:  # an unhashable cell: typed keys for every row
            counts = None
        if counts is not None:
            candidates = [counts[p] > 1 for p in plain]
    for k, (values, row) in enumerate(zip(rows, row_numbers)):
        if candidates is not None:
            if not candidates[k]:
                continue
            # The same test as the typed key below, without a tuple per cell: equal plain cells and
            # the same type in every cell (1, 1.0 and True stay apart). Every cell is hashable here
            # and every row has the same width, so there are no trailing blanks to strip.
            if all(v is None for v in values):
                continue
            key = (plain[k], tuple(map(type, values)))
        else:
            key = tuple(_hashable(v) for v in values)
            while key and key[-1] is None:
                key = key[:-1]
            if not key:
                continue
        if key in first:
            added.append(RowWarning(row, None, f"duplicate of row {first[key]}: the same in every column "
                                               "(kept; delete one if it was entered twice)"))
        else:
            first[key] = row
    report.warnings.extend(added)
    return added


def _hashable(value):
    try:
        hash(value)
    except TypeError:
        return repr(value)
    return (value.__class__.__name__, value) if value is not None else None
