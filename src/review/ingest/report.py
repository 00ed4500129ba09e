"""The ingest report: for every file and sheet, what was read, accepted and rejected, and why.

The invariant the tests check on every fixture: for each (file, sheet), `rows_read == rows_accepted +
rows_rejected`. Rows that are not data (title rows above the header, blank rows, repeated header rows)
are not "read"; they are counted in `rows_skipped` with their reason so that nothing disappears
unexplained.
"""
from __future__ import annotations

from dataclasses import asdict, dataclass, field

import numpy as np
import pandas as pd


@dataclass(frozen=True)
class Rejection:
    row: int | None  # row number as the spreadsheet shows it
    column: str | None  # the header of the offending column, as written
    reason: str
    #: how many rows this rejection stands for: 1, or a group of rows rejected for one reason of the
    #: whole sheet (a declared profile's column not in it), reported once and named in `reason`
    count: int = 1


@dataclass(frozen=True)
class RowWarning:
    """A problem with an accepted row that the reviewer should see (out of order, end before start...)."""

    row: int | None
    column: str | None
    message: str


@dataclass
class FileReport:
    file: str
    sheet: str = ""
    rows_read: int = 0
    rows_accepted: int = 0
    rows_rejected: int = 0
    rows_skipped: int = 0  # title, blank and repeated-header rows (not data)
    header_row: int | None = None
    hidden: bool = False
    profile: str = "generic"
    columns: dict[str, str] = field(default_factory=dict)  # canonical field -> header as written
    unmapped_columns: list[str] = field(default_factory=list)
    rejections: list[Rejection] = field(default_factory=list)
    warnings: list[RowWarning] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)

    def reject(self, row: int | None, column: str | None, reason: str) -> None:
        self.rejections.append(Rejection(row, column, reason))
        self.rows_rejected += 1

    def reject_rows(self, rows: list[int], row: int | None, column: str | None, reason: str) -> None:
        """Reject every row of `rows` for one reason of the whole sheet, reported once: `row` is where the
        reason lies (the header row), and the rejected rows are named after the reason (`row_ranges`)."""
        if not rows:
            return
        self.rejections.append(Rejection(row, column, f"{reason}: {row_ranges(rows)} rejected", count=len(rows)))
        self.rows_rejected += len(rows)

    def warn(self, row: int | None, column: str | None, message: str) -> None:
        self.warnings.append(RowWarning(row, column, message))

    @property
    def balanced(self) -> bool:
        return self.rows_read == self.rows_accepted + self.rows_rejected

    def not_analysed(self) -> str:
        """The sheet's columns no field maps, and "no description column" when it was read without one:
        "'Occurrence', 'Officer'; no description column" ("" when every column is read, or the sheet was
        not read: no header). Concerns and escalations are found in the description and action text only,
        so a narrative under an unknown header raises no flag, silently; its text is kept in `extra`."""
        if self.header_row is None and not self.columns:
            return ""  # not read: no header (its rows are rejected and listed)
        parts = [", ".join(repr(c) for c in self.unmapped_columns)] if self.unmapped_columns else []
        if "description" not in self.columns:
            parts.append("no description column")
        return "; ".join(parts)

    def not_analysed_warning(self) -> str:
        """The build's warning on a sheet read without a description column, naming its file and sheet and
        the columns not analysed ("" for a sheet with one, or not read): whatever narrative it has is in
        none of the texts the rules read."""
        if (self.header_row is None and not self.columns) or "description" in self.columns:
            return ""
        where = self.file + (f", sheet {self.sheet!r}" if self.sheet else "")
        said = f"{where}: no description column, so no concern or escalation is read from its narrative"
        if self.unmapped_columns:
            said += (f"; not analysed: {', '.join(repr(c) for c in self.unmapped_columns)} (kept under 'Other "
                     "columns' in the chronology; name the narrative's column as `description` in a profile to "
                     "read it)")
        return said


@dataclass
class IngestReport:
    case_id: str = ""
    files: list[FileReport] = field(default_factory=list)
    #: observations about the case folder rather than one file (a chronology there that case.yml does not list)
    notes: list[str] = field(default_factory=list)
    #: the names of the other children whose rows were rejected (`review.ingest.identity`), as written: the
    #: anonymised view replaces them like case.yml's `people`
    other_children: list[str] = field(default_factory=list)
    #: the same names -> whom their rows are about ("child", "adult" by date of birth, or "person": a family
    #: adult case.yml does not list, under "Patient"), so that the anonymised view calls them "Another child",
    #: "Another adult" or "Another person" (`review.redact.Redactor.from_case`)
    other_people: dict[str, str] = field(default_factory=dict)

    @property
    def rows_read(self) -> int:
        return sum(f.rows_read for f in self.files)

    @property
    def rows_accepted(self) -> int:
        return sum(f.rows_accepted for f in self.files)

    @property
    def rows_rejected(self) -> int:
        return sum(f.rows_rejected for f in self.files)

    @property
    def balanced(self) -> bool:
        return all(f.balanced for f in self.files)

    def to_dict(self) -> dict:
        """The JSON shape of `review validate --json`."""
        return {
            "case_id": self.case_id,
            "rows_read": self.rows_read,
            "rows_accepted": self.rows_accepted,
            "rows_rejected": self.rows_rejected,
            "files": [
                {
                    "file": f.file,
                    "sheet": f.sheet,
                    "rows_read": f.rows_read,
                    "rows_accepted": f.rows_accepted,
                    "rows_rejected": f.rows_rejected,
                    "rows_skipped": f.rows_skipped,
                    "header_row": f.header_row,
                    "hidden": f.hidden,
                    "profile": f.profile,
                    "columns": dict(f.columns),
                    "unmapped_columns": list(f.unmapped_columns),
                    "rejections": [_rejection_dict(r) for r in f.rejections],
                    "warnings": [asdict(w) for w in f.warnings],
                    "notes": list(f.notes),
                }
                for f in self.files
            ],
            "notes": list(self.notes),
        }

    def columns_not_analysed(self) -> list[tuple[FileReport, str]]:
        """(sheet's report, `FileReport.not_analysed`) for each sheet read with columns no field maps, or
        without a description column."""
        return [(f, text) for f in self.files if (text := f.not_analysed())]

    def to_frame(self) -> pd.DataFrame:
        """One row per file and sheet: the counts, and the columns not analysed (the 'Data quality' sheet
        of the workbook)."""
        cols = ["file", "sheet", "hidden", "header_row", "rows_read", "rows_accepted", "rows_rejected", "rows_skipped",
                "columns_not_analysed", "notes"]
        return pd.DataFrame(
            [[f.file, f.sheet, f.hidden, f.header_row, f.rows_read, f.rows_accepted, f.rows_rejected, f.rows_skipped,
              f.not_analysed(), " | ".join(f.notes)] for f in self.files],
            columns=cols,
        )

    def case_notes_frame(self) -> pd.DataFrame:
        """The notes about the case folder rather than one file (`notes`), one row each: column `note`
        (the workbook's Data quality sheet lists them under the per-file counts)."""
        return pd.DataFrame({"note": pd.Series(list(self.notes), dtype=object)})

    def rejections_frame(self) -> pd.DataFrame:
        """Every rejection and row warning: file, sheet, row (nullable Int64: NA for a warning about the whole
        sheet), column, kind, reason."""
        rows = []
        for f in self.files:
            rows += [[f.file, f.sheet, r.row, r.column, "rejected", r.reason] for r in f.rejections]
            rows += [[f.file, f.sheet, w.row, w.column, "warning", w.message] for w in f.warnings]
        frame = pd.DataFrame(rows, columns=["file", "sheet", "row", "column", "kind", "reason"])
        # whole row numbers, NA for a warning about the whole sheet (not 4.0 beside a NaN)
        frame["row"] = pd.array([None if r[2] is None else int(r[2]) for r in rows], dtype="Int64")
        return frame


def _rejection_dict(rejection: Rejection) -> dict:
    """{row, column, reason}, and `count` for a rejection standing for a group of rows (one row: as before)."""
    out = asdict(rejection)
    if rejection.count == 1:
        del out["count"]
    return out


def row_ranges(rows: list[int]) -> str:
    """"row 4", "rows 4-9, 12 and 15-20 (14 rows)": runs of consecutive rows as ranges, the first
    MAX_RUNS_NAMED runs named and the others counted."""
    numbers = np.asarray(sorted(rows), dtype=np.int64)
    if len(numbers) == 1:
        return f"row {numbers[0]}"
    breaks = np.flatnonzero(np.diff(numbers) != 1)
    starts = numbers[np.r_[0, breaks + 1]].tolist()
    stops = numbers[np.r_[breaks, len(numbers) - 1]].tolist()
    runs = [str(a) if a == b else f"{a}-{b}" for a, b in zip(starts, stops)]
    if len(runs) > MAX_RUNS_NAMED:
        runs = runs[:MAX_RUNS_NAMED] + [f"{len(runs) - MAX_RUNS_NAMED} more run(s) of rows"]
    joined = runs[0] if len(runs) == 1 else f"{', '.join(runs[:-1])} and {runs[-1]}"
    return f"rows {joined} ({len(numbers)} rows)"


#: the most runs of consecutive rows `row_ranges` names (a sheet with blank rows between its rows has many)
MAX_RUNS_NAMED = 20
