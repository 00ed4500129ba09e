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

Ingest runs both once per sheet, so they are written for speed: dates are compared as numpy arrays of
day numbers (proleptic ordinals), a sheet's real date cells are read and swapped month-first in one
vectorised step (text cells keep the per-cell regex), and the duplicate search hashes every row once
in C and looks closer only at rows whose hash repeats.
"""
from __future__ import annotations

import datetime as dt
import operator
import re
from itertools import chain

import numpy as np
import pandas as pd

from .checks import _datetime64
from .report import FileReport, RowWarning

__all__ = ["MONTH_FIRST_NOTE", "check_ambiguous_dates", "check_date_plausibility", "check_duplicate_rows"]

#: two numeric parts then a year: 03/04/2023, 3.4.23, 03-04-2023 (an optional time after it)
_NUMERIC = re.compile(r"^\s*(\d{1,2})\s*([/.\-\\])\s*(\d{1,2})\s*\2\s*(\d{4}|\d{2})(?:[\sT].*)?$")
#: how long before birth a contact is still plausible (antenatal care)
ANTENATAL_DAYS = 280
MIN_ROWS = 3
SHARE = 0.25
MONTH_FIRST_NOTE = "dates look month-first (US style, mm/dd/yyyy)"
MAX_ROWS_SHOWN = 10
_DUPLICATE = "duplicate of row {}: the same in every column (kept; delete one if it was entered twice)"
_UNSEEN = object()  # no earlier row has this key (a row number may be None)
#: day numbers are `date.toordinal()` (1 = 1 January of year 1); 0 marks a reading that is no date
_NO_DATE = 0
_EPOCH = dt.date(1970, 1, 1).toordinal()  # the ordinal of numpy's datetime64 day 0


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
    `_numeric_readings` does the same for a whole column (this is its per-cell form, for text cells).
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


def _ordinal(date: dt.date | None) -> int:
    return _NO_DATE if date is None else date.toordinal()


def _swapped(ordinals: np.ndarray) -> np.ndarray:
    """The day numbers of the dates `ordinals` with day and month swapped (`_NO_DATE` where that is no
    date: a day above 12, or the 31st of a 30-day month), vectorised on numpy's datetime64."""
    days = (ordinals - _EPOCH).astype("datetime64[D]")
    months = days.astype("datetime64[M]")
    month_index = months.astype(np.int64)  # months since January 1970
    month = month_index % 12 + 1
    day = (days - months.astype("datetime64[D]")).astype(np.int64) + 1
    target = month_index - month + day  # the same year, the day's number as the month
    swapped = target.astype("datetime64[M]").astype("datetime64[D]") + (month - 1)
    real = (day <= 12) & (swapped.astype("datetime64[M]").astype(np.int64) == target)
    return np.where(real, swapped.astype(np.int64) + _EPOCH, _NO_DATE)


def _numeric_readings(raw_dates: list) -> tuple[np.ndarray, np.ndarray, int]:
    """The day-first and month-first day numbers of every numeric date cell (`_readings` not None), in
    row order (`_NO_DATE` where that reading is impossible), and how many text cells read day-first only.

    Real date cells (`datetime.date`, naive or aware `datetime.datetime`: their date as stored) are read
    together; any other cell, text included, goes through `_readings`."""
    n = len(raw_dates)
    kinds = np.fromiter(map(type, raw_dates), dtype=object, count=n)
    real = (kinds == dt.date) | (kinds == dt.datetime)
    cells = np.fromiter(raw_dates, dtype=object, count=n)
    day_first = np.full(n, _NO_DATE, dtype=np.int64)
    month_first = np.full(n, _NO_DATE, dtype=np.int64)
    if real.any():
        ordinals = np.fromiter(map(dt.date.toordinal, cells[real]), dtype=np.int64)
        day_first[real], month_first[real] = ordinals, _swapped(ordinals)
    numeric = real.copy()
    day_first_only = 0
    for position in np.flatnonzero(~real).tolist():
        value = cells[position]
        reading = _readings(value)
        if reading is None:
            continue
        numeric[position] = True
        day_first[position], month_first[position] = _ordinal(reading[0]), _ordinal(reading[1])
        if isinstance(value, str) and reading[0] is not None and reading[1] is None:
            day_first_only += 1
    return day_first[numeric], month_first[numeric], day_first_only


def _inversions(days: np.ndarray) -> int:
    """Steps back in time along the rows, in whichever direction the sheet is written (oldest or newest
    first): the smaller of the two counts."""
    backwards = int((days[1:] < days[:-1]).sum())
    forwards = int((days[1:] > days[:-1]).sum())
    return min(backwards, forwards)


def _badness(days: np.ndarray, low: dt.date, high: dt.date | None) -> tuple[int, int, int]:
    """(impossible, outside the case period, out of order) for one reading of the column (day numbers,
    `_NO_DATE` for an impossible date)."""
    valid = days[days != _NO_DATE]
    outside = valid < low.toordinal()
    if high is not None:
        outside |= valid > high.toordinal()
    return len(days) - len(valid), int(outside.sum()), _inversions(valid)


def check_date_plausibility(raw_dates: list, contacts: pd.DataFrame, report: FileReport, case,
                            dates: np.ndarray | None = None) -> list[RowWarning]:
    """Add table-level warnings to `report` when one sheet's date column is implausible as a whole.

    Parameters
    ----------
    raw_dates : the date cell of every data row of the sheet (accepted and rejected), in row order.
    contacts : the sheet's accepted rows (CONTACT_COLUMNS: `date`, `date_precision`).
    report : the sheet's FileReport; `report.columns["date"]` names the date column in the warnings.
    case : the CaseConfig (date_of_birth, date_of_death, review_date).
    dates : optionally, `contacts["date"]` as datetime64 (ingest reads the case's dates once, `case_periods`).
    """
    column = report.columns.get("date") or "date"
    dob = case.date_of_birth
    end = case.review_date or case.date_of_death
    added: list[RowWarning] = []

    # 1. month-first (US) dates read day-first
    if dob is not None:
        uk, us, day_first_only = _numeric_readings(raw_dates)
        if len(uk) >= MIN_ROWS:
            low = dob - dt.timedelta(days=ANTENATAL_DAYS)
            bad_uk, bad_us = _badness(uk, low, end), _badness(us, low, end)
            margin = max(2, int(0.2 * len(uk)))
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
                    f"{MONTH_FIRST_NOTE}: of {len(uk)} numeric dates read day-first, {'; '.join(problems)}; "
                    f"read month-first they would {'all ' if sum(bad_us) == 0 else ''}fit the case period and "
                    "run in order. Dates are never guessed: check how the file was exported and correct the "
                    "dates (or re-export with dd/mm/yyyy dates) before relying on this sheet"
                )
                added.append(RowWarning(None, column, message))

    # 2. many dates after the review period / before birth
    if len(contacts) and "date" in contacts.columns:
        dates = _datetime64(contacts["date"]) if dates is None or len(dates) != len(contacts) else dates
        n = int((~np.isnat(dates)).sum())
        checks = []
        if end is not None:
            what = "the review date" if case.review_date else "the child's date of death"
            after = pd.Timestamp(end) + pd.Timedelta(days=1)
            checks.append((dates > after.to_datetime64(), f"after {what} ({end:%d/%m/%Y})"))
        if dob is not None:
            # a pregnancy's contacts are expected: only dates before it count
            from .checks import PREGNANCY_DAYS

            conceived = pd.Timestamp(dob) - pd.Timedelta(days=PREGNANCY_DAYS)
            checks.append((dates < conceived.to_datetime64(),
                           f"before the child's date of birth ({dob:%d/%m/%Y}) and the 40 weeks before it"))
        for mask, what in checks:
            count = int(mask.sum())
            if n and count >= MIN_ROWS and count >= SHARE * n:
                rows = _rows_of(contacts.loc[contacts.index[np.flatnonzero(mask)]])
                added.append(RowWarning(
                    None, column,
                    f"{count} of {n} dates in this sheet are {what} ({rows}): is this the right date "
                    "column, the right year, or are the dates month-first?",
                ))
    report.warnings.extend(added)
    return added


def check_ambiguous_dates(raw_dates: list, row_numbers: list, report: FileReport) -> list[RowWarning]:
    """Warn on every ambiguous date (03/04/2022: 3 April day-first, 4 March month-first) of a sheet that
    has a date only valid month-first (01/13/2022, rejected).

    Such a sheet was probably written month-first, so its dates that read either way are probably
    misread: each gets a warning naming its row, the date column and both readings. Dates are still
    read day-first (there is no option to read a file month-first): the reviewer checks and corrects
    them. Only text cells are looked at (a real date cell holds its date), once per distinct text.

    Parameters
    ----------
    raw_dates : the date cell of every data row of the sheet (accepted and rejected), in row order.
    row_numbers : each of those rows' number in the sheet.
    report : the sheet's FileReport; `report.columns["date"]` names the date column.
    """
    readings = {text: _readings(text) for text in {v for v in raw_dates if isinstance(v, str)}}
    month_first_only = sorted(
        (text for text, reading in readings.items()
         if reading is not None and reading[0] is None and reading[1] is not None),
        key=lambda text: (readings[text][1], text))
    if not month_first_only:
        return []
    ambiguous = {text: reading for text, reading in readings.items()
                 if reading is not None and None not in reading and reading[0] != reading[1]}
    if not ambiguous:
        return []
    column = report.columns.get("date") or "date"
    proof = ", ".join(repr(t.strip()) for t in month_first_only[:3]) + (
        f" and {len(month_first_only) - 3} more" if len(month_first_only) > 3 else "")
    added = []
    for value, row in zip(raw_dates, row_numbers):
        reading = ambiguous.get(value) if isinstance(value, str) else None
        if reading is None:
            continue
        day_first, month_first = reading
        added.append(RowWarning(
            row, column,
            f"ambiguous date {value.strip()!r}: read day-first as {_long(day_first)}, but month-first it is "
            f"{_long(month_first)}, and this sheet has dates only valid month-first ({proof}, rejected). "
            "Dates are read day-first (there is no setting to read a file month-first): check this date and "
            "correct it (dd/mm/yyyy) if the sheet is month-first"))
    report.warnings.extend(added)
    return added


def _long(day: dt.date) -> str:
    return f"{day.day} {day:%B %Y}"


def _rows_of(frame: pd.DataFrame) -> str:
    """"rows 3, 5, 9" (at most MAX_ROWS_SHOWN, then "and N more"), "row 3" for one."""
    if "source_row" not in frame.columns:
        return "rows ?"
    rows = [str(int(r)) for r in frame["source_row"].dropna().tolist()]
    if not rows:
        return "rows ?"
    more = "" if len(rows) <= MAX_ROWS_SHOWN else f" and {len(rows) - MAX_ROWS_SHOWN} more"
    return ("row " if len(rows) == 1 else "rows ") + ", ".join(rows[:MAX_ROWS_SHOWN]) + more


def check_duplicate_rows(rows: list[list[object]], row_numbers: list[int], report: FileReport) -> list[RowWarning]:
    """Warn (row, no column) for every row identical in every cell to an earlier row: kept, not dropped."""
    first: dict[tuple, int] = {}
    added = []
    # Fast path: a row whose plain tuple of cells has a hash no other row has cannot be a duplicate of
    # any row (two rows with equal typed keys have equal plain tuples, hence equal hashes), so only the
    # rest need the typed key. The hashes are taken in C, the repeats found with numpy. Rows of one
    # table have one width, so trailing blanks line up and need no stripping for this test.
    candidates = None
    if rows and len(set(map(len, rows))) == 1:
        plain = list(map(tuple, rows))
        try:
            hashes = np.fromiter(map(hash, plain), dtype=np.int64, count=len(plain))
        except TypeError:  # an unhashable cell: typed keys for every row
            hashes = None
        if hashes is not None:
            if len(row_numbers) >= len(rows):
                found = _duplicates_by_hash(rows, plain, hashes, row_numbers)
                if found is not None:
                    report.warnings.extend(found)
                    return found
            candidates = _repeated(hashes)
            if len(row_numbers) < len(rows):  # rows without a number are not checked (zip below)
                candidates = [k for k in candidates if k < len(row_numbers)]
    if candidates is not None:
        blank = (type(None),) * len(rows[0])
        for k in candidates:
            # The same test as the typed key below, without a tuple per cell: equal plain cells and
            # the same type in every cell (1, 1.0 and True stay apart). Every cell is hashable here
            # and every row has the same width, so there are no trailing blanks to strip; a row of
            # blanks only is no row.
            types = tuple(map(type, rows[k]))
            if types == blank:
                continue
            key, row = (plain[k], types), row_numbers[k]
            earlier = first.get(key, _UNSEEN)
            if earlier is _UNSEEN:
                first[key] = row
            else:
                added.append(RowWarning(row, None, _DUPLICATE.format(earlier)))
    else:
        for values, row in zip(rows, row_numbers):
            key = tuple(_hashable(v) for v in values)
            while key and key[-1] is None:
                key = key[:-1]
            if not key:
                continue
            if key in first:
                added.append(RowWarning(row, None, _DUPLICATE.format(first[key])))
            else:
                first[key] = row
    report.warnings.extend(added)
    return added


#: cell classes of which two equal values are always of the same class (`_duplicates_by_hash`)
_EQUAL_MEANS_SAME_CLASS = frozenset({str, type(None), dt.date, dt.datetime, dt.time, dt.timedelta})


def _duplicates_by_hash(rows: list[list[object]], plain: list[tuple], hashes: np.ndarray,
                        row_numbers: list[int]) -> list[RowWarning] | None:
    """`check_duplicate_rows`' warnings when every row sharing a hash with an earlier row is a duplicate of
    the earliest such row (what agency chronologies with repeated entries give); None when any is not (a
    hash collision, 1 beside 1.0 or True, a row of blanks only): then the caller's typed keys decide.

    The rows are grouped by hash with numpy (a stable sort: each group's first member is its earliest
    row), and each later member is compared with its group's first in C (`map`), cells and their types
    (1, 1.0 and True are equal but not the same cell), instead of a typed key per row in a dict."""
    order = np.argsort(hashes, kind="stable")
    ranked = hashes[order]
    starts = np.ones(len(ranked), dtype=bool)
    starts[1:] = ranked[1:] != ranked[:-1]
    firsts = order[np.flatnonzero(starts)][np.cumsum(starts) - 1]  # each sorted row's group's earliest row
    later = ~starts
    if not later.any():
        return []
    position = np.argsort(order[later], kind="stable")  # in row order, as the warnings are given
    duplicate, earlier = order[later][position].tolist(), firsts[later][position].tolist()
    if not all(map(operator.eq, map(plain.__getitem__, duplicate), map(plain.__getitem__, earlier))):
        return None
    earliest = set(earlier)
    if (None,) * len(rows[0]) in map(plain.__getitem__, earliest):  # a row of blanks only is no row
        return None
    # equal cells of these classes are of one class (a date never equals a datetime); 1, 1.0 and True are
    # equal, so rows with a number get their cells' types compared too
    compared = chain(map(rows.__getitem__, duplicate), map(rows.__getitem__, earliest))
    if not set(map(type, chain.from_iterable(compared))) <= _EQUAL_MEANS_SAME_CLASS:
        types = {k: tuple(map(type, rows[k])) for k in earliest}
        if not all(map(operator.eq, (tuple(map(type, rows[k])) for k in duplicate), map(types.__getitem__, earlier))):
            return None
    return [RowWarning(row_numbers[k], None, _DUPLICATE.format(row_numbers[e])) for k, e in zip(duplicate, earlier)]


def _repeated(hashes: np.ndarray) -> list[int]:
    """Positions (ascending) of the values of `hashes` that occur more than once."""
    order = np.argsort(hashes, kind="stable")
    ranked = hashes[order]
    tie = ranked[1:] == ranked[:-1]
    repeated = np.zeros(len(hashes), dtype=bool)
    repeated[order[1:][tie]] = True
    repeated[order[:-1][tie]] = True
    return np.flatnonzero(repeated).tolist()


def _hashable(value):
    try:
        hash(value)
    except TypeError:
        return repr(value)
    return (value.__class__.__name__, value) if value is not None else None
