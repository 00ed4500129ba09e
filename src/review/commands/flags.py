"""`review flags CASE_DIR [--csv PATH]`: the candidate missed escalation points of a case.

Loads the case (ingest, timeline, rules with the case's rules.yml and the reviewers' decisions) and prints
the flags as a numbered table — rule, date, agencies, delay, then the flag's id (what `review decide`
takes, as it takes the number in the "#" column), its explanation and, for a flag the reviewers decided, the decision in force with who made it,
when, and its rationale (shortened past 200 characters) — in the canonical order
(trigger date, rule, flag id), under the headline the report gives (flags the reviewers rejected counted
apart), and the problems with the reviewers' decisions. The numbers are the report's (the swimlane's
callouts, report.html), also with `--rule`. `--csv` writes the same table as the build's flags.csv (same
columns and encoding); cells that a spreadsheet would run as a formula (starting with = + - @, tab or
carriage return) get a leading quote.

`--redact` prints (and writes) the anonymised view, as `review build --redact` shows it: the same
redaction of the same tables (`review.build._view`), so names become the case's pseudonyms, the child's
date of birth, the listed addresses, NHS numbers and postcodes are replaced, every date is given to the
month (the trigger dates as YYYY-MM), and the flag ids are the anonymised view's; the delays stay in days.

A decision dated after the day it is judged on is listed as dated in the future; that day is `--as-of`, else
the day the case's build (reports/<case_id>/manifest.json) judged the decisions on, as `review verify` does,
else today, and it is printed when it changes what is listed (`review.decisions.decisions_as_of`).
"""
from __future__ import annotations

import os
import shutil
import tempfile
import textwrap
from pathlib import Path

HELP = "list a case's candidate missed escalation points (flags); --csv writes them to a file"

FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")


def add_arguments(parser) -> None:
    parser.add_argument("case_dir", metavar="CASE_DIR", help="the case folder (holding case.yml)")
    parser.add_argument("--csv", metavar="PATH", help="also write the flags to this CSV file (the build's flags.csv layout)")
    parser.add_argument("--rule", action="append", metavar="RULE_ID",
                        help="only these rules' flags, numbered as in the report (repeatable)")
    parser.add_argument("--redact", action="store_true",
                        help="the anonymised view, as `review build --redact`: pseudonyms for names, dates to the month")
    add_as_of_argument(parser)


def add_as_of_argument(parser) -> None:
    """`--as-of DATE`: the day the reviewers' decisions are judged against (`review.decisions.decisions_as_of`)."""
    parser.add_argument("--as-of", metavar="YYYY-MM-DD", dest="as_of",
                        help="list the decisions dated after this day as dated in the future (default: the day the "
                             "case's build in reports/<case_id>/ judged them on, as `review verify` does; else today)")


def run(args) -> int:
    from ..errors import ConfigError
    from ..pipeline import analyse, load_case
    from ..rules import RULE_IDS

    if args.rule:
        unknown = sorted(set(args.rule) - set(RULE_IDS))
        if unknown:
            raise ConfigError(f"unknown rule id(s) {unknown} (known: {', '.join(RULE_IDS)})")
    if args.csv:  # a bad path stops here, before the chronologies are read
        check_csv_path(args.csv, args.case_dir)
    from ..decisions import decisions_as_of, future_dated

    as_of = decisions_as_of(args.case_dir, getattr(args, "as_of", None))  # a bad --as-of stops here too
    case = load_case(args.case_dir)
    analysis = analyse(case, decisions_as_of=as_of.day)
    case_id, months = case.case_id, False
    if getattr(args, "redact", False):
        from ..build import _view
        from ..redact import Redactor

        # as the build's: the children whose rows were rejected as another child's are replaced too
        report = getattr(case, "report", None)
        redactor = Redactor.from_case(case.config, other_children=getattr(report, "other_people", None)
                                      or getattr(report, "other_children", None) or ())
        analysis = _view(analysis, redactor)  # the build's anonymised tables: names, dates to the month, ids
        case_id, months = redactor.text(case.case_id), redactor.months
    # numbered before filtering: flag #12 is #12 in the report, on the swimlane and here
    flags = analysis.flags.reset_index(drop=True)
    numbers = list(range(1, len(flags) + 1))
    if args.rule:
        keep = flags["rule_id"].isin(args.rule).to_numpy()
        numbers = [n for n, k in zip(numbers, keep) if k]
        total = len(flags)
        flags = flags[keep].reset_index(drop=True)
    print(format_flags(flags, case_id=case_id, numbers=numbers,
                       of=(total, args.rule) if args.rule else None, months=months, timeline=analysis.timeline))
    problems = format_problems(analysis.decision_problems, getattr(analysis, "decisions", None), months=months)
    if problems:
        print(problems)
    if future_dated(getattr(analysis, "decisions", None), as_of.day):  # only then does the day change the list
        print(f"  ({as_of.note()})")
    if args.csv:
        created = missing_folders(args.csv)
        write_csv(flags, args.csv, numbers=numbers, months=months, timeline=analysis.timeline)
        print(f"\nwrote {plural(len(flags), 'flag')} to {args.csv}"
              + (f" (created the missing folder{'s' if len(created) > 1 else ''} "
                 f"{', '.join(str(c) for c in created)})" if created else ""))
    return 0


def missing_folders(path) -> list[Path]:
    """The folders above `path` that do not exist yet, the outermost first (what writing it creates)."""
    missing = []
    for parent in Path(path).absolute().parents:
        if parent.exists():
            break
        missing.append(parent)
    return missing[::-1]


def check_csv_path(path, case_dir) -> None:
    """Refuse, with ConfigError (exit 2), a --csv path `write_csv` must not or cannot write: one in the
    case folder (it would replace or sit beside the agencies' chronologies, and be read as one when
    case.yml lists no `files:`; the check `review build --out` makes, `review.build.overlaps_case`), a
    folder, or one below a file. Missing folders above it are created, as `review build --out` creates
    its folder's."""
    from ..build import overlaps_case
    from ..errors import ConfigError

    path = Path(path)
    if overlaps_case(path, case_dir) == "is inside":
        raise ConfigError("the flags csv must not be written into the case folder (it holds the agencies' "
                          "chronologies): give a path outside it", file=path)
    if path.is_dir():  # the case folder itself, or one holding it, too
        example = "" if overlaps_case(path, case_dir) else f" (e.g. {(path / 'flags.csv').as_posix()})"
        raise ConfigError(f"is a folder: give the path of the csv file to write{example}, outside the case folder",
                          file=path)
    for parent in path.absolute().parents:
        if parent.exists() or parent.is_symlink():
            if not parent.is_dir():
                raise ConfigError(f"cannot write the flags csv there: {parent} is a file, not a folder", file=path)
            if not os.access(parent, os.W_OK | os.X_OK):
                raise ConfigError(f"cannot write the flags csv there: no permission to write in {parent}", file=path)
            break


def plural(n: int, noun: str) -> str:
    from ..export import plural as _plural

    return _plural(n, noun)


def format_problems(problems, decisions=None, months: bool = False) -> str:
    """The problems with the reviewers' decisions, one line each ("" when there are none); with `decisions`
    (`load_decisions`' rows), a problem about a decision (a flag the rules no longer raise, an author
    case.yml does not name) shows it below, as `decision_text` shows a flag's."""
    if problems is None or not len(problems):
        return ""
    if decisions is not None and "row" in problems:
        from ..decisions import with_decision

        problems = with_decision(problems, decisions)
    lines = [f"\n{plural(len(problems), 'problem')} with the reviewers' decisions (also under 'Decision problems' "
             "in the report):"]
    for row in problems.to_dict("records"):
        where = ", ".join(p for p in (_cell(row.get("file")), f"row {_cell(row.get('row'))}" if _cell(row.get("row")) else "")
                          if p)
        flag = _cell(row.get("flag_id"))
        lines.append(f"  {where}{': ' if where else ''}{_cell(row.get('problem'))}" + (f" (flag {flag})" if flag else ""))
        if _cell(row.get("decision")):
            from types import SimpleNamespace

            decided = SimpleNamespace(decision=row.get("decision"), decided_by=row.get("author"),
                                      decided_on=row.get("date"), rationale=row.get("rationale"))
            lines.append("    " + decision_text(decided, months).replace("reviewer: ", "decision: ", 1))
    return "\n".join(lines)


def _cell(value, months: bool = False, precision=None) -> str:
    """A cell as text; a date as YYYY-MM-DD (YYYY-MM with `months`), or to its `precision` ("2023" when
    known to the year, "2023-03" to the month)."""
    import pandas as pd

    if value is None or value is pd.NA or value is pd.NaT or (isinstance(value, float) and value != value):
        return ""
    if isinstance(value, pd.Timestamp):
        if precision == "year":
            return value.strftime("%Y")
        if precision == "season":
            from ..ingest.dates import season_label

            return season_label(value)
        return value.strftime("%Y-%m" if months or precision == "month" else "%Y-%m-%d")
    return str(value)


def neutralise(text: str) -> str:
    """Make a cell inert in a spreadsheet: a leading single quote before a formula-like start."""
    return "'" + text if text.startswith(FORMULA_PREFIXES) else text


def format_flags(flags, case_id: str = "", width: int | None = None, numbers=None, of=None, months: bool = False,
                 timeline=None) -> str:
    """A readable numbered table: #, rule, date, agencies, delay, then the explanation wrapped below.

    The headline is the report's (flags the reviewers rejected counted apart). `numbers`: each flag's
    number in the report (default 1, 2, ...); `of`: (all flags, rule ids) when `flags` is a selection;
    `months`: the dates as their month (YYYY-MM), for the anonymised view; `timeline`: the contacts, so
    that a flag on a contact known only to its month or year shows that month or year ("2023")."""
    from ..export import _flags_headline, flag_date_precisions

    rule_ids = sorted(set(of[1])) if of else []
    selection = (f", rule{'s' if len(rule_ids) > 1 else ''} {', '.join(rule_ids)} only (numbered as in the "
                 f"report's {of[0]} flags)" if of else "")
    if flags is None or len(flags) == 0:
        return f"Case {case_id}{selection}: no flags."
    width = width or max(80, min(shutil.get_terminal_size((120, 20)).columns, 160))
    lines = [f"Case {case_id}{selection}: {_flags_headline(flags)}", ""]
    numbers = list(numbers) if numbers is not None else list(range(1, len(flags) + 1))
    rows = []
    precision = flag_date_precisions(flags.reset_index(drop=True), timeline).get("trigger_date", [None] * len(flags))
    for i, flag, shown in zip(numbers, flags.itertuples(index=False), precision):
        delay = getattr(flag, "delay_days")
        if _cell(delay) == "":
            delay_text = "no action" if not _cell(getattr(flag, "actual_action_event_id")) else "late (date inexact)"
            delay_text = "-" if flag.rule_id in ("information_not_shared", "closure_with_open_concerns") else delay_text
        elif str(getattr(flag, "delay_censored", "")) in ("True", "yes"):  # none before the child's death: a lower bound
            delay_text = f">= {float(delay):.0f} d late"
        else:
            delay_text = f"{float(delay):.0f} d late"
        rows.append([str(i), flag.rule_id, _cell(flag.trigger_date, months, shown), flag.severity, _cell(flag.agencies), delay_text,
                     _cell(flag.explanation), _cell(getattr(flag, "decision", "")), _cell(getattr(flag, "flag_id", "")),
                     decision_text(flag, months)])
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
        if row[8]:
            lines.append(f"{indent}id: {row[8]}")
        lines.extend(textwrap.wrap(row[6], width=width, initial_indent=indent, subsequent_indent=indent))
        if row[9]:
            lines.extend(textwrap.wrap(row[9], width=width, initial_indent=indent, subsequent_indent=indent + "  "))
        lines.append("")
    return "\n".join(lines).rstrip()


#: how much of a decision's rationale `review flags` shows (the report and flags.csv have all of it)
RATIONALE_SHOWN = 200


def decision_text(flag, months: bool = False) -> str:
    """'reviewer: rejected by Jane Okafor on 2024-08-01: "rationale"' for a flag the reviewers decided (the
    rationale on one line, shortened to RATIONALE_SHOWN characters), "" for a pending one. A finding the
    reviewers added ("added") shows who added it and when: its rationale is its explanation."""
    from .decide import shorten

    decision = _cell(getattr(flag, "decision", ""))
    if decision in ("", "pending"):
        return ""
    who = _cell(getattr(flag, "decided_by", ""))
    day = _cell(getattr(flag, "decided_on", None), months)
    text = f"reviewer: {decision}" + (f" by {who}" if who else "") + (f" on {day}" if day else "")
    rationale = _cell(getattr(flag, "rationale", ""))
    if rationale and not (decision == "added" and rationale == _cell(getattr(flag, "explanation", ""))):
        text += f': "{shorten(rationale, RATIONALE_SHOWN)}"'
    return text


def write_csv(flags, path: str | os.PathLike, numbers=None, months: bool = False, timeline=None) -> Path:
    """Write `flags` as the build's flags.csv (`review.export.FLAGS_EXPORT` columns, UTF-8 with BOM,
    formula-injection safe), atomically; `numbers`: the flags' numbers in the report (default 1, 2, ...);
    `months`: dates as YYYY-MM, as the anonymised build's flags.csv; `timeline`: the contacts, for the
    precision of the dates taken from them (as the build's flags.csv)."""
    from ..export import flags_csv_table, flags_table
    from ..export import write_csv as write_table

    table = flags_table(flags)
    if numbers is not None:
        table["n"] = list(numbers)
    table, headers, precisions = flags_csv_table(table, timeline)
    from ..errors import ConfigError

    path = Path(path)
    tmp = None
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=".flags-", suffix=".csv")
        os.close(fd)
        write_table(tmp, table, headers, date_resolution="month" if months else "day", precisions=precisions)
        # mkstemp makes a private (0600) file: the flags are for the team to read, as the build's outputs (0644)
        os.chmod(tmp, 0o644)
        os.replace(tmp, path)
    except OSError as exc:
        raise ConfigError(f"cannot write the flags csv: {exc.strerror or exc}", file=path) from None
    finally:
        if tmp is not None and os.path.exists(tmp):
            os.unlink(tmp)
    return path
