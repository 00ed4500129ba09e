"""Checks a reviewer expects on one agency table before it is merged: reported, never dropped.

`check_rows` looks at the accepted rows of one table (the canonical contact columns) and adds a
`RowWarning` to that table's `FileReport` for each problem: events out of order, an end before its
start, dates outside the child's life or the review period, a missing mandatory "Source of
Information". Rows stay in the table: a warning asks a reviewer to look, it does not decide.

Partial dates are compared as periods (a "May 2016" event runs 1-31 May), so a month-precision date
is never "before" a day inside that month. Approximate dates are not used for the ordering check: a
"?22 May" is the author telling us the order may be off.

Ingest runs these checks once per table, so they are written for speed: each column is read once into
a numpy array (datetime64 for dates, booleans for masks), every test is one vectorised comparison,
and Python only runs for the rows a warning names (their row numbers and dates are looked up then).
The warnings are exactly those of the plain pandas formulation it replaced (`pd.to_datetime`,
`Series.dt.to_period(...).dt.end_time`, `Series.str.strip`; compared on thousands of random tables when
it was written); a column of a type ingest does not build (dates held as text, say) takes that pandas
route.
"""
from __future__ import annotations

from functools import cache

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from ..config import CaseConfig
from .report import FileReport, RowWarning

#: a pregnancy's length in days (40 weeks): contacts dated in it before the child's birth are antenatal
PREGNANCY_DAYS = 280


def check_rows(contacts: pd.DataFrame, report: FileReport, case: CaseConfig,
               periods: tuple[np.ndarray, np.ndarray, np.ndarray] | None = None) -> list[RowWarning]:
    """Add a RowWarning to `report` for every problem in the rows of one table; return those added.

    Parameters
    ----------
    contacts
        The accepted rows of one table (one file and sheet), with the CONTACT_COLUMNS contract
        (`date`, `date_end`, `date_precision`, `sequence`, `source_of_information`, `source_row`),
        in the order the table shows them.
    report
        That table's FileReport; `report.columns` (canonical field -> header as written) says which
        columns the table has and gives warnings the header the reviewer sees.
    case
        For the child's date of birth, date of death and the review date.
    periods
        Optional (precision, start, end) of these rows as `case_periods` gives them for the whole table
        they were sliced from (ingest checks a case's tables from one frame, its columns read once, not
        once per table); used only when the rows are already in spreadsheet order.

    Checks
    ------
    - out of order: an event dated before the previous event of the table. When the table has a
      Sequence column numbering every row uniquely, the order is the sequence's, not the rows';
      when the sequence numbers events within a day, a lower number than the previous row's on the
      same date is reported. A table written newest first (most steps go back in time) gets one
      table-level warning (row None) and its rows are checked in that direction instead.
    - end before start: `date_end` earlier than `date`.
    - before birth: the whole period is before the child's date of birth. Antenatal contacts are
      legitimate: those starting in the 40 weeks before the birth (`PREGNANCY_DAYS`) get one warning for
      the table, naming their rows; an earlier one is warned of on its row (a wrong year, a wrong column).
    - after death / after the review date: the period starts after `date_of_death` / `review_date`; (s21) a
      period that runs past the date of death (a month "October 2023" for a death on 14 October) is warned of
      too (it may record events after the death).
    - missing Source of Information, when the table has that column (the chronology template makes it
      mandatory).
    """
    if contacts.empty:
        return []
    header = {f: report.columns.get(f) or f for f in ("date", "date_end", "sequence", "source_of_information")}
    rows = _ordered(contacts)  # from here on rows are addressed by position, in this order
    if periods is not None and rows is contacts and all(len(a) == len(rows) for a in periods):
        precision, start, end = periods  # each row's own: the same as read from these rows
    else:
        precision = _precisions(rows)  # once: the periods and the order check both read it
        start, end = _periods(rows, precision)
    row_numbers = _RowNumbers(rows)
    shown = _ShownDates(rows, start)
    found: dict[int, list[RowWarning]] = {}

    def warn(position: int, column: str, message: str) -> None:
        found.setdefault(position, []).append(RowWarning(row_numbers[position], column, message))

    table_note = _check_order(rows, start, end, precision, header, warn, row_numbers, shown)
    table_warnings: list[RowWarning] = []

    if "date_end" in rows.columns:
        date_end = _datetime64(rows["date_end"])
        for position in _positions(date_end < start):  # NaT on either side compares False
            warn(position, header["date_end"],
                 f"ends ({_show(date_end[position])}) before it starts ({_show(start[position])})")
    if case.date_of_birth is not None:
        dob = pd.Timestamp(case.date_of_birth)
        before = end < dob.to_datetime64()
        # a pregnancy's contacts (midwifery, a pre-birth assessment) are expected: one warning for them all
        antenatal = before & (start >= (dob - pd.Timedelta(days=PREGNANCY_DAYS)).to_datetime64())
        for position in _positions(before & ~antenatal):
            warn(position, header["date"],
                 f"dated {shown[position]}, before the child's date of birth ({_show(dob)})")
        pregnancy = _positions(antenatal)
        if pregnancy:
            numbers = [str(row_numbers[p]) for p in pregnancy]
            listed = ", ".join(numbers[:10]) + (f" and {len(numbers) - 10} more" if len(numbers) > 10 else "")
            table_warnings.append(RowWarning(
                None, header["date"],
                f"{len(numbers)} row(s) dated in the {PREGNANCY_DAYS // 7} weeks before the child's date of birth "
                f"({_show(dob)}): read as antenatal or pre-birth contacts (row{'s' if len(numbers) > 1 else ''} "
                f"{listed})"))
    for limit, what in ((case.date_of_death, "after the child's date of death"),
                        (case.review_date, "after the end of the review period")):
        if limit is not None:
            # after the last instant of that day: at or after the next midnight
            next_day = (pd.Timestamp(limit) + pd.Timedelta(days=1)).to_datetime64()
            for position in _positions(start >= next_day):
                warn(position, header["date"],
                     f"dated {shown[position]}, {what} ({_show(limit)})")
            if limit is case.date_of_death:
                # (s21, QA12) a partial date whose period runs past the death ("October 2023" for a death on
                # 14 October) may be a record made after it: warned too, as one certainly after it is
                for position in _positions((start < next_day) & (end >= next_day)):
                    warn(position, header["date"],
                         f"dated {shown[position]}, a period that runs past the child's date of death "
                         f"({_show(limit)}): it may record events after the death")
    if "source_of_information" in report.columns and "source_of_information" in rows.columns:
        for position in _positions(_blank_texts(rows["source_of_information"])):
            warn(position, header["source_of_information"],
                 "no Source of Information (mandatory in the chronology template)")

    added = ([table_note] if table_note else []) + table_warnings + [w for p in sorted(found) for w in found[p]]
    report.warnings.extend(added)
    return added


# ---------------------------------------------------------------------------------------------------
def _ordered(contacts: pd.DataFrame) -> pd.DataFrame:
    """The table in spreadsheet row order: as given when `source_row` already runs upwards (as ingest
    builds it), else sorted by it (stable); as given when a row has no `source_row`."""
    if "source_row" not in contacts.columns:
        return contacts
    column = contacts["source_row"]
    if _is_masked_int(column):
        values = column.array
        if values.isna().any():
            return contacts
        numbers = values.to_numpy(dtype="int64")
        if (numbers[1:] >= numbers[:-1]).all():
            return contacts
    elif not column.notna().all() or column.is_monotonic_increasing:
        return contacts
    return contacts.sort_values("source_row", kind="stable")


def case_periods(contacts: pd.DataFrame) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """(precision, start, end) of every row of `contacts` (`_precisions`, `_periods`): each row's depends on
    that row alone, so a table's slice of them is what `check_rows` would read from the table's rows."""
    precision = _precisions(contacts)
    start, end = _periods(contacts, precision)
    return precision, start, end


def _positions(mask: np.ndarray) -> list[int]:
    return np.flatnonzero(mask).tolist()


def _is_masked_int(column: pd.Series) -> bool:
    """A nullable integer column (Int64, as ingest builds `sequence` and `source_row`)."""
    return isinstance(column.array, pd.arrays.IntegerArray)


def _datetime64(column: pd.Series) -> np.ndarray:
    """`pd.to_datetime(column)` as a numpy datetime64 array (NaT where missing); a column that already is
    datetime64 (as ingest builds `date` and `date_end`) is taken as it is."""
    if not (isinstance(column.dtype, np.dtype) and column.dtype.kind == "M"):
        column = pd.to_datetime(column)
    return column.to_numpy()


@cache
def _end_tick(unit: str, freq: str) -> np.timedelta64:
    """How far before the next period's start pandas puts a period's `end_time` for `unit`-resolution
    datetimes (1 µs in pandas 3, 1 ns in pandas 2): asked of pandas once, so that the numpy periods
    below end on the very instant `Series.dt.to_period(freq).dt.end_time` gives."""
    first = pd.Series(np.array(["2000-01-01"], dtype=f"datetime64[{unit}]"))
    last = first.dt.to_period(freq).dt.end_time.to_numpy()[0]
    following = {"D": "2000-01-02", "M": "2000-02-01", "Y": "2001-01-01"}[freq]
    return np.datetime64(following, "D") - last


def _period_end(start: np.ndarray, freq: str) -> np.ndarray:
    """The last instant of the day / month / year (`freq` D, M, Y) each datetime64 of `start` falls in,
    as pandas' `Period.end_time` gives it; NaT stays NaT."""
    unit = np.datetime_data(start.dtype)[0]
    following = (start.astype(f"datetime64[{freq}]") + 1).astype("datetime64[D]")
    return following - _end_tick(unit, freq)


def _periods(rows: pd.DataFrame, precision: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """First and last instant each row's date can mean: a month-precision date covers its month, a
    day its day, a day with a recorded time just that instant. `precision` is `_precisions(rows)`."""
    if "date" in rows.columns:
        start = _datetime64(rows["date"])
    else:
        start = np.full(len(rows), np.datetime64("NaT"), dtype="datetime64[ns]")
    end = _period_end(start, "D")
    for kind, freq in (("month", "M"), ("year", "Y")):
        mask = precision == kind
        if mask.any():
            end = np.where(mask, _period_end(start, freq), end)
    season = precision == "season"  # three months from its first day
    if season.any():
        later = (start.astype("datetime64[M]") + 2).astype(start.dtype)
        end = np.where(season, _period_end(later, "M"), end)
    if "time_known" in rows.columns:  # a recorded time is an instant, not the whole day
        timed = _flags(rows["time_known"]) & (precision == "day")
        if timed.any():
            end = np.where(timed, start, end)
    return start, end


def _flags(column: pd.Series) -> np.ndarray:
    """`column.astype("boolean").fillna(False)` as a numpy bool array."""
    if column.dtype == bool:
        return column.to_numpy()
    if isinstance(column.dtype, pd.BooleanDtype):
        return column.to_numpy(dtype=bool, na_value=False)
    return column.astype("boolean").fillna(False).to_numpy(dtype=bool)


def _precisions(rows: pd.DataFrame) -> np.ndarray:
    """Each row's `date_precision` (object array of str), "day" where missing or blank."""
    if "date_precision" not in rows.columns:
        return np.full(len(rows), "day", dtype=object)
    column = rows["date_precision"]
    if isinstance(column.dtype, pd.StringDtype):
        values = column.to_numpy(dtype=object, na_value="")
    else:
        values = column.astype("string").fillna("").to_numpy(dtype=object)
    values[values == ""] = "day"
    return values


def _blank_texts(column: pd.Series) -> np.ndarray:
    """Which cells are missing or only whitespace: `column.astype("string").fillna("").str.strip() == ""`
    as a numpy bool array. A pyarrow-backed text column (as ingest builds it) goes straight to the
    pyarrow function pandas' `str.strip` calls."""
    if isinstance(column.dtype, pd.StringDtype) and column.dtype.storage == "pyarrow":
        stripped = pc.utf8_trim_whitespace(pa.array(column.array))
        return pc.fill_null(pc.equal(stripped, ""), True).to_numpy(zero_copy_only=False)
    return (column.astype("string").fillna("").str.strip() == "").to_numpy(dtype=bool, na_value=True)


class _Sequence:
    """A table's Sequence column, read once: which rows have a number (`present`, as `_present` says),
    whether it numbers every row uniquely, and the numbers themselves for comparing and showing.

    A nullable integer column (as ingest builds it) is compared as int64 arrays; any other column takes
    the pandas route and per-value comparisons the checks were written with."""

    def __init__(self, rows: pd.DataFrame):
        n = len(rows)
        self.column = rows["sequence"] if "sequence" in rows.columns else None
        self.numbers = None  # int64 numbers, for a nullable integer column
        if self.column is None:
            self.values = [None] * n
            self.present = np.zeros(n, dtype=bool)
            self.any = False
            self.unique = False
        elif _is_masked_int(self.column):
            array = self.column.array
            self.present = ~array.isna()
            self.numbers = array.to_numpy(dtype="int64", na_value=0)
            self.any = bool(self.present.any())
            self.unique = bool(n > 1 and self.present.all() and len(np.unique(self.numbers)) == n)
        else:
            self.values = self.column.tolist()
            notna = self.column.notna()
            self.present = np.fromiter(map(_present, self.values), dtype=bool, count=n)
            self.any = bool(notna.any())
            self.unique = bool(notna.all() and self.column.is_unique and n > 1)

    def sorted(self, positions: np.ndarray) -> np.ndarray:
        """`positions` ordered by their sequence numbers (stable); only for a unique sequence."""
        if self.numbers is not None:
            return positions[np.argsort(self.numbers[positions], kind="stable")]
        ranked = self.column.iloc[positions].reset_index(drop=True).sort_values(kind="stable").index
        return positions[ranked.to_numpy()]

    def going_back(self, now: np.ndarray, before: np.ndarray) -> list[int]:
        """Indices i where row `now[i]` has a lower sequence number than row `before[i]` (both present)."""
        candidates = self.present[now] & self.present[before]
        if self.numbers is not None:
            return _positions(candidates & (self.numbers[now] < self.numbers[before]))
        return [i for i in _positions(candidates) if self.values[now[i]] < self.values[before[i]]]

    def __getitem__(self, position: int):
        """The sequence number of a row, as an int (None when missing)."""
        if self.numbers is not None:
            return int(self.numbers[position]) if self.present[position] else None
        return _int(self.values[position])


def _check_order(rows, start, end, precision, header, warn, row_numbers, shown) -> RowWarning | None:
    """Out-of-order rows; a table written newest first is reported once, then checked that way.
    `precision` is `_precisions(rows)`; `start`, `end` are `_periods(rows, precision)`."""
    comparable = ~np.isnat(start) & (precision != "approximate")
    sequence = _Sequence(rows)
    by_sequence = sequence.unique
    order = np.flatnonzero(comparable)
    if by_sequence:
        order = sequence.sorted(order)
    if len(order) < 2:
        return None
    s, e = start[order], end[order]
    earlier = e[1:] < s[:-1]  # this event ends before the previous one starts
    later = s[1:] > e[:-1]
    steps_back, steps_on = int(earlier.sum()), int(later.sum())
    newest_first = not by_sequence and steps_back >= 2 and steps_back > 2 * steps_on
    wrong = later if newest_first else earlier
    direction = "after" if newest_first else "before"
    for i in _positions(wrong):
        position, previous = int(order[i + 1]), int(order[i])
        where = f"sequence {sequence[previous]}" if by_sequence else f"row {row_numbers[previous]}"
        warn(position, header["date"],
             f"out of order: dated {shown[position]}, {direction} the previous event ({where}, {shown[previous]})")
    if not by_sequence and sequence.any:
        day = s.astype("datetime64[D]")
        same_day = (day[1:] == day[:-1]) & (precision[order[1:]] == "day")
        now, before = order[1:][same_day], order[:-1][same_day]
        for i in sequence.going_back(now, before):
            position = int(now[i])
            warn(position, header["sequence"],
                 f"out of order: sequence {sequence[position]} after sequence {sequence[int(before[i])]} "
                 f"on the same day ({shown[position]})")
    if newest_first:
        return RowWarning(None, header["date"],
                          "the table is in reverse date order (newest first); rows are checked in that order")
    return None


def _present(value) -> bool:
    return value is not None and not (value is pd.NA or value is pd.NaT) and not (isinstance(value, float) and pd.isna(value))


def _int(value):
    return int(value) if _present(value) else None


class _RowNumbers:
    """Each row's `source_row` as an int (None when missing or without that column), by position; read
    from the table at the first warning (most tables have none)."""

    def __init__(self, rows: pd.DataFrame):
        self.column = rows["source_row"] if "source_row" in rows.columns else None
        self.values: list | None = None

    def __getitem__(self, position: int) -> int | None:
        if self.column is None:
            return None
        if self.values is None:
            self.values = self.column.tolist()
        return _int(self.values[position])


class _ShownDates:
    """Each row's date as the reviewer wrote it (date_text), else dd/mm/yyyy; by position, formatted only
    for the rows a warning names (most rows have none)."""

    def __init__(self, rows: pd.DataFrame, start: np.ndarray):
        self.start = start
        self.column = rows["date_text"] if "date_text" in rows.columns else None
        self.written: list | None = None

    def __getitem__(self, position: int) -> str:
        if self.column is not None:
            if self.written is None:
                self.written = self.column.tolist()
            text = self.written[position]
            text = "" if text is None or text is pd.NA or (isinstance(text, float) and pd.isna(text)) else str(text).strip()
            if text:
                return text
        value = self.start[position]
        return "" if np.isnat(value) else _show(value)


def _show(value) -> str:
    return pd.Timestamp(value).strftime("%d/%m/%Y")
