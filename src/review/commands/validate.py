"""`review validate CASE_DIR`: read every agency file of a case and report what was accepted and rejected.

Prints a summary per file and sheet, then every rejected row (file, sheet, row, column, reason) and every
warning, so a reviewer can fix the spreadsheets before building; then what can be checked of the
reviewers' decisions without running the rules (`review.decisions.load_decisions` without the flags:
decisions.csv's columns, decision values, rationales, flag ids of accepted and rejected rows, dates, CSV
quoting; no decisions.yml beside it; rows without an author are listed as warnings). Whether each
decision's flag is still raised is known only to `review build` / `review flags`; with accepted or rejected
decisions, a note in the text report says so and names `review decisions migrate`, which rewrites a decisions.csv recorded
against earlier (row-based) flag ids to the current ones. A decision dated after the day it is judged on
(`--as-of`, else the day the case's build judged them on, else today: `review.decisions.decisions_as_of`, as
`review flags`) is listed as dated in the future, and the day is printed with it.

Exit code 0 when every row was accepted, 1 when some were rejected; a file or case that cannot be read at
all is an error (exit 2+). An invalid decisions.csv, or a decisions.yml in the case folder, is exit 7 with
`review build`'s message, printed after the report (a chronology that cannot be read at all wins: its
error, exit 2-5).
"""
from __future__ import annotations

import json
from pathlib import Path

HELP = ("read a case's agency files and decisions.csv and report every rejected row (exit 1 if any; "
        "7 for an invalid decisions.csv or a decisions.yml)")


def add_arguments(parser) -> None:
    parser.add_argument("case_dir", metavar="CASE_DIR", help="the case folder (holding case.yml)")
    parser.add_argument("--json", action="store_true", help="print the ingest report as JSON")
    from .flags import add_as_of_argument

    add_as_of_argument(parser)


def run(args) -> int:
    from ..config import load_case_config
    from ..decisions import DECISIONS_FILE, decisions_as_of, load_decisions
    from ..errors import DecisionError
    from ..ingest.load import load_contacts

    case = load_case_config(args.case_dir)
    as_of = decisions_as_of(case.case_dir, getattr(args, "as_of", None))
    decisions = problems = error = None
    try:  # as `review build` checks them before reading the chronologies
        decisions, problems = load_decisions(case.case_dir, as_of=as_of.day)
    except DecisionError as exc:
        error = exc
    contacts, report = load_contacts(case)
    looked_after = _looked_after_advice(case, contacts)
    exists = error is not None or (case.case_dir / DECISIONS_FILE).exists()
    if args.json:
        out = report.to_dict()
        out["decisions"] = _decisions_dict(decisions, problems, error, as_of) if exists else None
        out["looked_after_advice"] = looked_after
        print(json.dumps(out, indent=2, ensure_ascii=False, default=str))
    else:
        print(format_report(report))
        if looked_after:
            print("\nThe records say the child is looked after (" + "; ".join(looked_after) + "), but case.yml "
                  "states no `looked_after` periods: lac_visits_overdue does not check the placing authority's "
                  "statutory visits, and child_not_seen does not know where the child lives. Add them (README, "
                  "\"A case folder\": from, to, placing_authority, placement).")
        if exists and error is None:
            print("\n" + format_decisions(decisions, problems, as_of))
    if error is not None:
        raise error  # one line on stderr, exit 7, as `review build` stops
    return 1 if report.rows_rejected else 0


def _looked_after_advice(case, contacts) -> list[str]:
    """(s20, QA9) Where the records say the child is looked after, for a case whose case.yml states no
    `looked_after` periods (`review.rules.lac_visits_overdue.looked_after_evidence`, the rule's record_cues in
    the case's rules.yml): the rule reads only case.yml."""
    if getattr(case, "looked_after", ()):
        return []
    from ..rules import load_rules
    from ..rules.lac_visits_overdue import looked_after_evidence

    spec = load_rules(case.case_dir)["rules"].get("lac_visits_overdue") or {}
    if not spec.get("enabled", True):
        return []
    params = spec.get("params") or {}
    return looked_after_evidence(contacts, params.get("record_cues"), params.get("record_supporting_cues"))


def format_decisions(decisions, problems, as_of=None) -> str:
    """What `run` found in a valid decisions.csv: its rows, and the problems listed as warnings; with `as_of`
    (`review.decisions.decisions_as_of`), the day a decision dated after it is listed as dated in the future,
    when there is such a decision."""
    from ..decisions import DECISIONS_FILE, future_dated

    lines = [f"Decisions ({DECISIONS_FILE}): {len(decisions)} row(s) read, {int(decisions['current'].sum())} in force "
             "(whether each flag is still raised is checked by review build and review flags)"]
    lines += [f"  {p.file}, row {p.row}: {p.problem}" for p in problems.itertuples(index=False)]
    if as_of is not None and future_dated(decisions, as_of.day):
        lines.append(f"  ({as_of.note()})")
    if (decisions["decision"] != "added").any():
        lines.append(f"  note: {MIGRATE_HINT}")
    return "\n".join(lines)


#: what `review validate` says of the flag ids of accepted and rejected decisions: it does not run the rules,
#: so it cannot tell a decision recorded against a flag's earlier, row-based id from one on a flag no longer
#: raised
MIGRATE_HINT = ("flag ids are not checked here (the rules are not run): a decision recorded against a flag's "
                "earlier, row-based id is applied by review build and review flags with a note; "
                "`review decisions migrate CASE_DIR` rewrites decisions.csv to the current ids")


def _decisions_dict(decisions, problems, error, as_of=None) -> dict:
    """The ``decisions`` entry of `review validate --json`: rows read and in force, the problems and the day
    they were judged on when a decision is dated after it (``as_of``, ``as_of_source``: given, manifest or
    today), or the error (file, row, column, message) that stops a build."""
    from ..decisions import DECISIONS_FILE, future_dated

    if error is not None:
        return {"file": Path(error.file).name if error.file else None, "row": error.row, "column": error.column, "error": error.message}
    out = {"file": DECISIONS_FILE, "rows": len(decisions), "current": int(decisions["current"].sum()),
           "problems": [{"row": int(p.row), "flag_id": p.flag_id, "problem": p.problem}
                        for p in problems.itertuples(index=False)]}
    if as_of is not None and future_dated(decisions, as_of.day):  # (as a build's manifest: only when it matters)
        out.update(as_of=as_of.day.isoformat(), as_of_source=as_of.source)
    return out


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
        # a rejection may stand for a group of rows (a declared profile's column not in the sheet): counted
        # as the rows it rejects, listed once
        rows = sum(getattr(r, "count", 1) for _, r in rejections)
        grouped = f", in {len(rejections)} message(s)" if rows != len(rejections) else ""
        lines += ["", f"Rejected rows ({rows}{grouped}):"]
        lines += [f"  {_where(f, r.row, r.column)}: {r.reason}" for f, r in rejections]
    warnings = [(f, w) for f in report.files for w in f.warnings]
    if warnings:
        lines += ["", f"Warnings ({len(warnings)}):"]
        lines += [f"  {_where(f, w.row, w.column)}: {w.message}" for f, w in warnings]
    notes = [(f, n) for f in report.files for n in f.notes]
    case_notes = list(getattr(report, "notes", ()))
    if notes or case_notes:
        lines += ["", "Notes:"]
        lines += [f"  case folder: {n}" for n in case_notes]
        lines += [f"  {_where(f, None, None)}: {n}" for f, n in notes]
    return "\n".join(lines)


def _columns_not_analysed(report) -> list[tuple[object, str]]:
    """(sheet's report, text) for each sheet with columns no field maps, or read without a description
    column (`IngestReport.columns_not_analysed`)."""
    return [(f, text) for f in report.files if (text := f.not_analysed())]


def _where(file_report, row, column) -> str:
    parts = [file_report.file]
    if file_report.sheet:
        parts.append(f"sheet {file_report.sheet!r}")
    if row is not None:
        parts.append(f"row {row}")
    if column:
        parts.append(f"column {column!r}")
    return ", ".join(parts)
