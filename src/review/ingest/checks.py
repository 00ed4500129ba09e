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

import datetime as dt

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
      same date is reported.
    - end before start: `date_end` earlier than `date`.
    - before birth: the whole period is before the child's date of birth (antenatal contacts are
      legitimate, hence a warning).
    - after death / after the review date: the period starts after `date_of_death` / `review_date`.
    - missing Source of Information, when the table has that column (the chronology template makes it
      mandatory).
    """
    if contacts.empty:
        return []
    header = {field: report.columns.get(field) or field for field in ("date", "date_end", "sequence", "source_of_information")}
    rows = _ordered(contacts)
    found: dict[int, list[RowWarning]] = {}

    def warn(position: int, row, column: str, message: str) -> None:
        found.setdefault(position, []).append(RowWarning(_row_number(row), column, message))

    order_by_sequence = _sequence_numbers_every_row(rows)
    _check_order(rows, order_by_sequence, header, warn)

    has_source_column = "source_of_information" in report.columns
    dob = _ts(case.date_of_birth)
    death = _ts(case.date_of_death)
    review_end = _ts(case.review_date)
    for position, (_, row) in enumerate(rows.iterrows()):
        start, end = _period(row)
        date_end = row.get("date_end")
        if start is not None and _present(date_end) and pd.Timestamp(date_end) < start:
            warn(position, row, header["date_end"],
                 f"ends ({_show(date_end)}) before it starts ({_show(start)})")
        if start is not None and dob is not None and end < dob:
            warn(position, row, header["date"],
                 f"dated {_show_row(row)}, before the child's date of birth ({_show(dob)})")
        if start is not None and death is not None and start > _end_of_day(death):
            warn(position, row, header["date"],
                 f"dated {_show_row(row)}, after the child's date of death ({_show(death)})")
        if start is not None and review_end is not None and start > _end_of_day(review_end):
            warn(position, row, header["date"],
                 f"dated {_show_row(row)}, after the end of the review period ({_show(review_end)})")
        if has_source_column and not _text(row.get("source_of_information")):
            warn(position, row, header["source_of_information"],
                 "no Source of Information (mandatory in the chronology template)")

    added = [w for position in sorted(found) for w in found[position]]
    for warning in added:
        report.warnings.append(warning)
    return added


# ---------------------------------------------------------------------------------------------------
def _ordered(contacts: pd.DataFrame) -> pd.DataFrame:
    if "source_row" in contacts.columns and contacts["source_row"].notna().all():
        return contacts.sort_values("source_row", kind="stable")
    return contacts


def _sequence_numbers_every_row(rows: pd.DataFrame) -> bool:
    if "sequence" not in rows.columns:
        return False
    sequence = rows["sequence"]
    return bool(sequence.notna().all() and sequence.is_unique and len(sequence) > 1)


def _check_order(rows: pd.DataFrame, order_by_sequence: bool, header: dict, warn) -> None:
    positions = list(range(len(rows)))
    if order_by_sequence:
        positions.sort(key=lambda p: rows["sequence"].iloc[p])
    previous = None  # (position, row, start, end) of the last comparable event
    for position in positions:
        row = rows.iloc[position]
        start, end = _period(row)
        if start is None or _precision(row) == "approximate":
            continue
        if previous is not None:
            _, prev_row, prev_start, prev_end = previous
            if end < prev_start:
                where = (f"sequence {_int(prev_row.get('sequence'))}" if order_by_sequence
                         else f"row {_row_number(prev_row)}")
                warn(position, row, header["date"],
                     f"out of order: dated {_show_row(row)}, before the previous event "
                     f"({where}, {_show_row(prev_row)})")
            elif (not order_by_sequence and start == prev_start and _precision(row) == "day"
                  and _present(row.get("sequence")) and _present(prev_row.get("sequence"))
                  and row["sequence"] < prev_row["sequence"]):
                warn(position, row, header["sequence"],
                     f"out of order: sequence {_int(row['sequence'])} after sequence "
                     f"{_int(prev_row['sequence'])} on the same day ({_show_row(row)})")
        previous = (position, row, start, end)


def _period(row) -> tuple[pd.Timestamp | None, pd.Timestamp | None]:
    """The first and last instant the row's date can mean (a month-precision date covers the month)."""
    date = row.get("date")
    if not _present(date):
        return None, None
    start = pd.Timestamp(date)
    day = start.normalize()
    precision = _precision(row)
    if precision == "month":
        end = day + pd.offsets.MonthBegin(1)
    elif precision == "year":
        end = day + pd.offsets.YearBegin(1)
    else:
        end = day + pd.Timedelta(days=1)
    return start, end - pd.Timedelta(1)


def _precision(row) -> str:
    value = row.get("date_precision")
    return str(value) if _present(value) and str(value) else "day"


def _present(value) -> bool:
    return value is not None and not (value is pd.NA or value is pd.NaT) and not (isinstance(value, float) and pd.isna(value))


def _text(value) -> str:
    return str(value).strip() if _present(value) else ""


def _int(value):
    return int(value) if _present(value) else None


def _row_number(row):
    return _int(row.get("source_row"))


def _end_of_day(day: pd.Timestamp) -> pd.Timestamp:
    return day.normalize() + pd.Timedelta(days=1) - pd.Timedelta(1)


def _ts(value: dt.date | None) -> pd.Timestamp | None:
    return None if value is None else pd.Timestamp(value)


def _show(value) -> str:
    return pd.Timestamp(value).strftime("%d/%m/%Y")


def _show_row(row) -> str:
    text = _text(row.get("date_text"))
    return text if text else _show(row["date"])
