"""`review flags CASE_DIR [--csv PATH]`: the candidate missed escalation points of a case.

Loads the case (ingest, timeline, rules with the case's rules.yml and the reviewers' decisions) and prints
the flags as a numbered table — rule, date, agencies, delay, explanation — in the canonical order
(trigger date, rule, flag id). `--csv` also writes every flag column to a CSV file; cells that a
spreadsheet would run as a formula (starting with = + - @, tab or carriage return) get a leading quote.
"""
from __future__ import annotations

import csv
import os
import shutil
import tempfile
import textwrap
from pathlib import Path

HELP = "list a case's candidate missed escalation points (flags); --csv writes them to a file"

FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")


def add_arguments(parser) -> None:
    parser.add_argument("case_dir", metavar="CASE_DIR", help="the case folder (holding case.yml)")
    parser.add_argument("--csv", metavar="PATH", help="also write the flags to this CSV file")
    parser.add_argument("--rule", action="append", metavar="RULE_ID", help="only these rules (repeatable)")


def run(args) -> int:
    from ..errors import ConfigError
    from ..pipeline import analyse, load_case
    from ..rules import RULE_IDS, load_rules

    case = load_case(args.case_dir)
    rules = load_rules(case.config.case_dir)
    if args.rule:
        unknown = sorted(set(args.rule) - set(RULE_IDS))
        if unknown:
            raise ConfigError(f"unknown rule id(s) {unknown} (known: {', '.join(RULE_IDS)})")
        for rule_id, spec in rules["rules"].items():
            spec["enabled"] = spec["enabled"] and rule_id in args.rule
    flags = analyse(case, rules).flags
    print(format_flags(flags, case_id=case.case_id))
    if args.csv:
        write_csv(flags, args.csv)
        print(f"\nwrote {len(flags)} flag(s) to {args.csv}")
    return 0


def _cell(value) -> str:
    import pandas as pd

    if value is None or value is pd.NA or value is pd.NaT or (isinstance(value, float) and value != value):
        return ""
    if isinstance(value, pd.Timestamp):
        return value.strftime("%Y-%m-%d")
    return str(value)


def neutralise(text: str) -> str:
    """Make a cell inert in a spreadsheet: a leading single quote before a formula-like start."""
    return "'" + text if text.startswith(FORMULA_PREFIXES) else text


def format_flags(flags, case_id: str = "", width: int | None = None) -> str:
    """A readable numbered table: #, rule, date, agencies, delay, then the explanation wrapped below."""
    if flags is None or len(flags) == 0:
        return f"Case {case_id}: no flags."
    width = width or max(80, min(shutil.get_terminal_size((120, 20)).columns, 160))
    lines = [f"Case {case_id}: {len(flags)} candidate missed escalation point(s)", ""]
    rows = []
    for i, flag in enumerate(flags.itertuples(index=False), start=1):
        delay = getattr(flag, "delay_days")
        if _cell(delay) == "":
            delay_text = "no action" if not _cell(getattr(flag, "actual_action_event_id")) else "late (date inexact)"
            delay_text = "-" if flag.rule_id in ("information_not_shared", "closure_with_open_concerns") else delay_text
        else:
            delay_text = f"{float(delay):.0f} d late"
        rows.append([str(i), flag.rule_id, _cell(flag.trigger_date), flag.severity, _cell(flag.agencies), delay_text,
                     _cell(flag.explanation), _cell(getattr(flag, "decision", ""))])
    header = ["#", "rule", "date", "severity", "agencies", "delay"]
    widths = [max(len(r[i]) for r in [header] + rows) for i in range(len(header))]
    widths[4] = min(widths[4], 48)
    lines.append("  ".join(h.ljust(w) for h, w in zip(header, widths)).rstrip())
    lines.append("  ".join("-" * w for w in widths))
    indent = " " * (widths[0] + 2)
    for row in rows:
        agencies = row[4] if len(row[4]) <= widths[4] else row[4][: widths[4] - 1] + "…"
        cells = row[:4] + [agencies, row[5]]
        lines.append("  ".join(c.ljust(w) for c, w in zip(cells, widths)).rstrip())
        explanation = row[6] + (f" [reviewer: {row[7]}]" if row[7] else "")
        lines.extend(textwrap.wrap(explanation, width=width, initial_indent=indent, subsequent_indent=indent))
        lines.append("")
    return "\n".join(lines).rstrip()


def write_csv(flags, path: str | os.PathLike) -> Path:
    """Write every flag column to `path` (UTF-8, formula-injection safe), atomically."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=".flags-", suffix=".csv")
    try:
        with os.fdopen(fd, "w", encoding="utf-8", newline="") as fh:
            # every cell quoted: a bare carriage return inside a cell must not end the record
            writer = csv.writer(fh, lineterminator="\n", quoting=csv.QUOTE_ALL)
            writer.writerow(list(flags.columns))
            for row in flags.itertuples(index=False):
                writer.writerow([neutralise(_cell(v)) for v in row])
        os.replace(tmp, path)
    except BaseException:
        if os.path.exists(tmp):
            os.unlink(tmp)
        raise
    return path
