"""`review validate CASE_DIR`: read every agency file of a case and report what was accepted and rejected.

Prints a summary per file and sheet, then every rejected row (file, sheet, row, column, reason) and every
warning, so a reviewer can fix the spreadsheets before building. Exit code 0 when every row was
accepted, 1 when some were rejected; a file or case that cannot be read at all is an error (exit 2+).
"""
from __future__ import annotations

import json

HELP = "read a case's agency files and report every rejected row (exit 1 if any)"


def add_arguments(parser) -> None:
    parser.add_argument("case_dir", metavar="CASE_DIR", help="the case folder (holding case.yml)")
    parser.add_argument("--json", action="store_true", help="print the ingest report as JSON")


def run(args) -> int:
    from ..config import load_case_config
    from ..ingest.load import load_contacts

    case = load_case_config(args.case_dir)
    _, report = load_contacts(case)
    if args.json:
        print(json.dumps(report.to_dict(), indent=2, ensure_ascii=False, default=str))
    else:
        print(format_report(report))
    return 1 if report.rows_rejected else 0


def format_report(report) -> str:
    """The report as text: a summary table, then rejections, warnings and notes per file and sheet."""
    lines = [
        f"Case {report.case_id}: {len({f.file for f in report.files})} file(s), {report.rows_read} row(s) read, "
        f"{report.rows_accepted} accepted, {report.rows_rejected} rejected",
        "",
    ]
    header = ["file", "sheet", "header", "read", "accepted", "rejected", "skipped", ""]
    table = [
        [
            f.file,
            f.sheet or "-",
            "-" if f.header_row is None else str(f.header_row),
            str(f.rows_read),
            str(f.rows_accepted),
            str(f.rows_rejected),
            str(f.rows_skipped),
            "hidden, not read" if f.hidden and not f.rows_read else "",
        ]
        for f in report.files
    ]
    widths = [max(len(r[i]) for r in [header] + table) for i in range(len(header))]
    numeric = {3, 4, 5, 6}
    for row in [header] + table:
        cells = [c.rjust(w) if i in numeric else c.ljust(w) for i, (c, w) in enumerate(zip(row, widths))]
        lines.append("  ".join(cells).rstrip())

    unread = _columns_not_analysed(report)
    if unread:
        lines += ["", "Columns not analysed (kept in `extra`; map them in a profile to read them):"]
        lines += [f"  {_where(f, None, None)}: {text}" for f, text in unread]
    rejections = [(f, r) for f in report.files for r in f.rejections]
    if rejections:
        lines += ["", f"Rejected rows ({len(rejections)}):"]
        lines += [f"  {_where(f, r.row, r.column)}: {r.reason}" for f, r in rejections]
    warnings = [(f, w) for f in report.files for w in f.warnings]
    if warnings:
        lines += ["", f"Warnings ({len(warnings)}):"]
        lines += [f"  {_where(f, w.row, w.column)}: {w.message}" for f, w in warnings]
    notes = [(f, n) for f in report.files for n in f.notes]
    if notes:
        lines += ["", "Notes:"]
        lines += [f"  {_where(f, None, None)}: {n}" for f, n in notes]
    return "\n".join(lines)


def _columns_not_analysed(report) -> list[tuple[object, str]]:
    """(sheet's report, text) for each sheet with columns no field maps, or read without a description
    column: concerns and escalations are found in the description, action and analysis text only, so a
    narrative under an unknown header ("Record", "Entry") would raise no flag, silently."""
    out = []
    for f in report.files:
        if f.header_row is None and not f.columns:
            continue  # not read: no header (its rows are rejected and listed)
        parts = []
        if f.unmapped_columns:
            parts.append(", ".join(repr(c) for c in f.unmapped_columns))
        if "description" not in f.columns:
            parts.append("no description column")
        if parts:
            out.append((f, "; ".join(parts)))
    return out


def _where(file_report, row, column) -> str:
    parts = [file_report.file]
    if file_report.sheet:
        parts.append(f"sheet {file_report.sheet!r}")
    if row is not None:
        parts.append(f"row {row}")
    if column:
        parts.append(f"column {column!r}")
    return ", ".join(parts)
