"""The raw table every reader returns: cells as the sheet shows them, with their row numbers."""
from __future__ import annotations

from dataclasses import dataclass, field


@dataclass
class RawTable:
    """One sheet (or Word table, or csv) as read, before header detection and mapping.

    `rows[i]` is the list of cell values of spreadsheet row `row_numbers[i]` (1-based, as the program
    that opens the file shows it). Values are Python objects: str, int, float, bool, datetime, date,
    time or None. Readers fill merged cells with the merged range's value and set `merged_filled`.
    """

    file: str  # path relative to the case folder
    sheet: str  # sheet name; "" for csv; "table N" for a Word table
    rows: list[list[object]]
    row_numbers: list[int]
    hidden: bool = False
    merged_filled: bool = False
    notes: list[str] = field(default_factory=list)  # reader observations (encoding, delimiter, formulas...)
    #: positions in `rows` whose every filled cell comes from a cell merged down from the row above: the
    #: rest of that row's contact (a narrative given room over several rows), not a contact of its own
    continuation_rows: frozenset[int] = frozenset()
    #: the merged ranges the reader filled, ((first row, first column), (last row, last column)), 0-based
    #: positions in `rows` and columns: load keeps a value merged across two mapped fields in the first
    merged_ranges: tuple = ()
    #: a csv's number of fields in each record as written (before blank trailing fields are cut), or
    #: None: load warns about a record with fewer or more fields than its header
    record_widths: list[int] | None = None
    #: every cell is None or a value that is not missing (text, a number other than NaN, a bool, a date,
    #: datetime, time or duration: no NaN, NaT or pd.NA), as the spreadsheet and csv readers check:
    #: load then finds the blank cells by comparing with None instead of `pd.isna`, which tests each cell
    #: for every kind of missing value
    only_none_missing: bool = False
