"""Checks a reviewer expects on one agency table before it is merged: reported, never dropped.

`check_rows` looks at the accepted rows of one table (the canonical contact columns) and adds a
`RowWarning` to that table's `FileReport` for each problem: events out of order, an end before its
start, dates outside the child's life or the review period, a missing mandatory "Source of
Information". Rows stay in the table: a warning asks a reviewer to look, it does not decide.

Partial dates are compared as periods (a "May 2016" event runs 1-31 May), so a month-precision date
is never "before" a day inside that month. Approximate dates are not used for the ordering check: a
"?22 May" is the author telling us the order may be off.
"""
from __future__ import annotations

import pandas as pd

from ..config import CaseConfig
from .report import FileReport, RowWarning


def check_rows(contacts: pd.DataFrame, report: FileReport, case: CaseConfig) -> list[RowWarning]:
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

    Checks
    ------
    - out of order: an event dated before the previous event of the table. When the table has a
      Sequence column numbering every row uniquely, the order is the sequence's, not the rows';
      when the sequence numbers events within a day, a lower number than the previous row's on the
      same date is reported. A table written newest first (most steps go back in time) gets one
      table-level warning (row None) and its rows are checked in that direction instead.
    - end before start: `date_end` earlier than `date`.
    - before birth: the whole period is before the child's date of birth (antenatal contacts are
      legitimate, hence a warning).
    - after death / after the review date: the period starts after `date_of_death` / `review_date`.
    - missing Source of Information, when the table has that column (the chronology template makes it
      mandatory).
    """
    if contacts.empty:
        return []
    header = {f: report.columns.get(f) or f for f in ("date", "date_end", "sequence", "source_of_information")}
    rows = _ordered(contacts).reset_index(drop=True)
    precision = _precisions(rows)  # once: the periods and the order check both read it
    start, end = _periods(rows, precision)
    row_numbers = _row_numbers(rows)
    shown = _shown_dates(rows, start)
    found: dict[int, list[RowWarning]] = {}

    def warn(position: int, column: str, message: str) -> None:
        found.setdefault(position, []).append(RowWarning(row_numbers[position], column, message))

    table_note = _check_order(rows, start, end, precision, header, warn, row_numbers, shown)

    if "date_end" in rows.columns:
        date_end = pd.to_datetime(rows["date_end"])
        for position in _positions(date_end.notna() & start.notna() & (date_end < start)):
            warn(position, header["date_end"],
                 f"ends ({_show(date_end.iloc[position])}) before it starts ({_show(start.iloc[position])})")
    if case.date_of_birth is not None:
        dob = pd.Timestamp(case.date_of_birth)
        for position in _positions(end < dob):
            warn(position, header["date"],
                 f"dated {shown[position]}, before the child's date of birth ({_show(dob)})")
    for limit, what in ((case.date_of_death, "after the child's date of death"),
                        (case.review_date, "after the end of the review period")):
        if limit is not None:
            last = pd.Timestamp(limit) + pd.Timedelta(days=1) - pd.Timedelta(1)
            for position in _positions(start > last):
                warn(position, header["date"],
                     f"dated {shown[position]}, {what} ({_show(limit)})")
    if "source_of_information" in report.columns and "source_of_information" in rows.columns:
        source = rows["source_of_information"].astype("string").fillna("").str.strip()
        for position in _positions(source == ""):
            warn(position, header["source_of_information"],
                 "no Source of Information (mandatory in the chronology template)")

    added = ([table_note] if table_note else []) + [w for p in sorted(found) for w in found[p]]
    report.warnings.extend(added)
    return added


# ---------------------------------------------------------------------------------------------------
def _ordered(contacts: pd.DataFrame) -> pd.DataFrame:
    if "source_row" in contacts.columns and contacts["source_row"].notna().all():
        if contacts["source_row"].is_monotonic_increasing:  # as ingest builds it: the stable sort keeps it
            return contacts
        return contacts.sort_values("source_row", kind="stable")
    return contacts


def _positions(mask: pd.Series) -> list[int]:
    return [int(p) for p in mask.fillna(False).to_numpy(dtype=bool).nonzero()[0]]


def _periods(rows: pd.DataFrame, precision: pd.Series) -> tuple[pd.Series, pd.Series]:
    """First and last instant each row's date can mean: a month-precision date covers its month, a
    day its day, a day with a recorded time just that instant. `precision` is `_precisions(rows)`."""
    start = pd.to_datetime(rows["date"]) if "date" in rows.columns else pd.Series(pd.NaT, index=rows.index)
    end = start.dt.to_period("D").dt.end_time
    for kind, freq in (("month", "M"), ("year", "Y")):
        mask = (precision == kind).to_numpy()
        if mask.any():
            end = end.where(~mask, start.dt.to_period(freq).dt.end_time)
    if "time_known" in rows.columns:  # a recorded time is an instant, not the whole day
        timed = rows["time_known"].astype("boolean").fillna(False).to_numpy(dtype=bool) & (precision == "day").to_numpy()
        end = end.where(~timed, start)
    return start, end


def _precisions(rows: pd.DataFrame) -> pd.Series:
    if "date_precision" not in rows.columns:
        return pd.Series("day", index=rows.index)
    return rows["date_precision"].astype("string").fillna("").replace("", "day")


def _check_order(rows, start, end, precision, header, warn, row_numbers, shown) -> RowWarning | None:
    """Out-of-order rows; a table written newest first is reported once, then checked that way.
    `precision` is `_precisions(rows)`."""
    comparable = start.notna() & (precision != "approximate")
    sequence = rows["sequence"] if "sequence" in rows.columns else pd.Series(pd.NA, index=rows.index)
    by_sequence = bool(sequence.notna().all() and sequence.is_unique and len(sequence) > 1)
    order = rows.index[comparable.to_numpy()]
    if by_sequence:
        order = sequence.loc[order].sort_values(kind="stable").index
    if len(order) < 2:
        return None
    s, e = start.loc[order].to_numpy(), end.loc[order].to_numpy()
    earlier = e[1:] < s[:-1]  # this event ends before the previous one starts
    later = s[1:] > e[:-1]
    newest_first = not by_sequence and int(earlier.sum()) >= 2 and earlier.sum() > 2 * later.sum()
    wrong = later if newest_first else earlier
    direction = "after" if newest_first else "before"
    for i in wrong.nonzero()[0]:
        position, previous = int(order[i + 1]), int(order[i])
        where = f"sequence {_int(sequence.iloc[previous])}" if by_sequence else f"row {row_numbers[previous]}"
        warn(position, header["date"],
             f"out of order: dated {shown[position]}, {direction} the previous event ({where}, {shown[previous]})")
    if not by_sequence and sequence.notna().any():
        day = start.loc[order].dt.normalize().to_numpy()
        same_day = (day[1:] == day[:-1]) & (precision.loc[order].to_numpy()[1:] == "day")
        seq = sequence.loc[order].to_numpy()
        for i in same_day.nonzero()[0]:
            now, before = seq[i + 1], seq[i]
            if _present(now) and _present(before) and now < before:
                position = int(order[i + 1])
                warn(position, header["sequence"],
                     f"out of order: sequence {_int(now)} after sequence {_int(before)} on the same day "
                     f"({shown[position]})")
    if newest_first:
        return RowWarning(None, header["date"],
                          "the table is in reverse date order (newest first); rows are checked in that order")
    return None


def _present(value) -> bool:
    return value is not None and not (value is pd.NA or value is pd.NaT) and not (isinstance(value, float) and pd.isna(value))


def _int(value):
    return int(value) if _present(value) else None


def _row_numbers(rows: pd.DataFrame) -> list[int | None]:
    if "source_row" not in rows.columns:
        return [None] * len(rows)
    return [_int(v) for v in rows["source_row"].tolist()]


class _ShownDates:
    """Each row's date as the reviewer wrote it (date_text), else dd/mm/yyyy; by position, formatted only
    for the rows a warning names (most rows have none)."""

    def __init__(self, rows: pd.DataFrame, start: pd.Series):
        self.start = start
        self.written = rows["date_text"].tolist() if "date_text" in rows.columns else None

    def __getitem__(self, position: int) -> str:
        if self.written is not None:
            text = self.written[position]
            text = "" if text is None or text is pd.NA or (isinstance(text, float) and pd.isna(text)) else str(text).strip()
            if text:
                return text
        value = self.start.iloc[position]
        return "" if pd.isna(value) else value.strftime("%d/%m/%Y")


def _shown_dates(rows: pd.DataFrame, start: pd.Series) -> _ShownDates:
    return _ShownDates(rows, start)


def _show(value) -> str:
    return pd.Timestamp(value).strftime("%d/%m/%Y")
