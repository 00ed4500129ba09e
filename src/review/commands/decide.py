"""`review decide CASE_DIR FLAG --accept|--reject --rationale TEXT [--reviewer NAME] [--replace]`:
record a reviewer's decision on a flag in the case's decisions.csv; `review decide CASE_DIR --add --rule RULE_ID
--contact EVENT_ID [--evidence EVENT_ID ...] --rationale TEXT`: add a finding no rule raised (checked as
notebook 03's `record` is, `review.decisions.check_decision`).

FLAG is the flag's id as `review flags CASE_DIR` prints it, or the number it prints in front of the flag
(``3`` or ``#3``: the "#" column, the report's numbering, with or without `--rule`). The case is read and
analysed as `review flags` does, so the id must be one of the flags the rules raise now, or a finding the
reviewers added; a number must be one `review flags` shows. The decision is recorded under the flag's id. Every
decision needs a rationale and an author: `--reviewer NAME`, which must be one of the people case.yml
names (`lead_reviewer`, `reviewer(s)`, `author(s)`) when it names any; without `--reviewer`, the one
person case.yml names, if it names exactly one.

decisions.csv is the log `review.decisions` reads and writes: the decision is appended as a row
(flag_id, decision, rationale, author, date, and the flag's rule_id, trigger_event_id and
evidence_event_ids) through `review.decisions.record_decision`, and the rows
already in it are left as they are. The decision is keyed by the flag's id, made from its trigger
contact's content: it survives an agency resubmitting its chronology with rows inserted or removed. The
event ids beside it are the contacts' rows as decided; once a resubmission moves them, the decision is
read with the flag's current ones (`review.decisions.current_contacts`) and `review decisions migrate`
writes those to the file. A flag that already has a decision keeps it unless `--replace` is
given: the new row then supersedes the earlier one, which stays in the file as history (the report and
`review validate` show the decision in force). Recording again, with `--replace`, the decision that is
already in force (same decision, rationale and reviewer) changes nothing: the file stays byte for byte
the same.
"""
from __future__ import annotations

import datetime as dt

HELP = ("record a reviewer's decision on a flag (--accept or --reject, with --rationale) in the case's decisions.csv, "
        "or add a finding no rule raised (--add --rule RULE_ID --contact EVENT_ID)")

#: how much of an earlier decision's rationale an error message quotes
QUOTED = 160


def add_arguments(parser) -> None:
    parser.add_argument("case_dir", metavar="CASE_DIR", help="the case folder (holding case.yml)")
    parser.add_argument("flag_id", metavar="FLAG", nargs="?", default=None,
                        help="the flag's id, or its number (N or #N), as `review flags CASE_DIR` prints them "
                             "(none with --add)")
    choice = parser.add_mutually_exclusive_group(required=True)
    choice.add_argument("--accept", dest="decision", action="store_const", const="accepted",
                        help="the flag is a missed escalation point")
    choice.add_argument("--reject", dest="decision", action="store_const", const="rejected",
                        help="the flag is not a missed escalation point")
    choice.add_argument("--add", dest="decision", action="store_const", const="added",
                        help="add a finding no rule raised (a missed escalation point): give --rule and --contact")
    parser.add_argument("--rule", metavar="RULE_ID", default="",
                        help="--add: the rule the finding falls under (a rule id, or reviewer_finding)")
    parser.add_argument("--contact", metavar="EVENT_ID", default="",
                        help="--add: the contact it is about: its event id (chronology.csv, column 'Event id')")
    parser.add_argument("--evidence", metavar="EVENT_ID", nargs="+", default=[],
                        help="--add: the contacts that show it (event ids; default: the contact)")
    parser.add_argument("--rationale", required=True, metavar="TEXT", help="why (required, not empty)")
    parser.add_argument("--reviewer", metavar="NAME",
                        help="who decided: one of the people case.yml names (default: the one it names, if only one)")
    parser.add_argument("--date", metavar="YYYY-MM-DD", help="the date of the decision (default: today; not after today)")
    parser.add_argument("--replace", action="store_true",
                        help="supersede the flag's earlier decision (kept in decisions.csv as history)")


def run(args) -> int:
    from ..config import case_file, load_case_config
    from ..decisions import (DECISIONS_FILE, check_decision, describe, load_decisions, read_decisions_file,
                             record_checked)
    from ..errors import ReviewError
    from ..pipeline import analyse, load_case
    from ..schema import join_multi

    rationale = str(args.rationale or "").strip()
    if not rationale:
        raise ReviewError("--rationale is empty: every decision needs a rationale (why the flag is "
                          f"{args.decision})")
    when = _date(args.date)
    adding = args.decision == "added"
    if adding and args.flag_id is not None:
        raise ReviewError(f"--add records a new finding, not a decision on flag {args.flag_id!r}: give no FLAG, "
                          "but --rule RULE_ID and --contact EVENT_ID")
    if not adding and args.flag_id is None:
        raise ReviewError(f"{'--accept' if args.decision == 'accepted' else '--reject'} needs the flag: its id or "
                          "its number, as `review flags CASE_DIR` prints them")
    if not adding and (args.rule or args.contact or args.evidence):
        raise ReviewError("--rule, --contact and --evidence describe a finding you add (--add); a decision on a flag "
                          "takes them from the flag")
    if adding and not (str(args.rule).strip() and str(args.contact).strip()):
        raise ReviewError("--add needs --rule RULE_ID (the rule the finding falls under) and --contact EVENT_ID (the "
                          "contact it is about: chronology.csv, column 'Event id')")
    config = load_case_config(args.case_dir)
    decisions, _ = load_decisions(config.case_dir)  # an invalid decisions.csv stops here, before the chronologies
    # (the author is checked before the chronologies are read: a typo is told at once)
    reviewer(args.reviewer, config.reviewers, previous=decisions["author"].dropna().astype(str).tolist())

    analysis = analyse(load_case(args.case_dir))
    # the same checks as the notebook's `record` and the decision form (`review.decisions.check_decision`)
    checked = check_decision(args.case_dir, analysis, str(args.flag_id or "").strip(), args.decision, rationale,
                             args.reviewer, replace=args.replace, date=when,
                             rule_id=str(args.rule).strip(), trigger_event_id=str(args.contact).strip(),
                             evidence_event_ids=join_multi([str(e).strip() for e in args.evidence if str(e).strip()]),
                             replace_hint="give --replace to record this one in its place",
                             ask_author="give --reviewer NAME")
    if adding:
        path = case_file(config.case_dir, DECISIONS_FILE)
        flag_id = record_checked(config.case_dir, checked)
        written = read_decisions_file(path).iloc[-1]
        contact = _contact(analysis.timeline, checked.details["trigger_event_id"])
        print(f"recorded in {path}, row {written['row']}: finding {flag_id} added ({checked.details['rule_id']}, "
              f"contact {checked.details['trigger_event_id']}{contact}) {describe(written)}")
        print(f"  `review flags {args.case_dir}` lists it with the flags; accept or reject it there by its id or number")
        return 0
    flag_id, number, flag, earlier = checked.flag_id, checked.number, checked.flag, checked.earlier
    if checked.unchanged:
        print(f"unchanged: flag #{number} {flag_id} is already {describe(earlier)} "
              f"({DECISIONS_FILE}, row {earlier['row']})")
        return 0

    path = case_file(config.case_dir, DECISIONS_FILE)
    record_checked(config.case_dir, checked)
    written = read_decisions_file(path).iloc[-1]
    print(f"recorded in {path}, row {written['row']}: flag #{number} {flag_id} ({flag['rule_id']}, "
          f"{_day(flag['trigger_date'])}) {describe(written)}")
    if earlier is not None:
        print(f"  in place of: {describe(earlier, QUOTED)} (row {earlier['row']}, kept in the file as history)")
    return 0


def _contact(timeline, event_id: str) -> str:
    """", 2022-07-19, Westshire Children's Hospital, community_paediatrics_letters.docx row 6": the contact an added
    finding is about, as the reviewer can check it."""
    rows = timeline[timeline["event_id"].astype(str) == event_id]
    if not len(rows):
        return ""
    row = rows.iloc[0]
    parts = [_day(row.get("date")), str(row.get("agency") or ""),
             f"{row.get('source_file') or ''} row {row.get('source_row')}" if row.get("source_file") else ""]
    return "".join(f", {part}" for part in parts if part)


def reviewer(name: str | None, reviewers: dict, previous=()) -> str:
    """The author to record (`review.decisions.decision_author`, asking for --reviewer NAME)."""
    from ..decisions import decision_author

    return decision_author(name, reviewers, previous, ask="give --reviewer NAME")


def shorten(text: str, limit: int) -> str:
    """`text` on one line, cut at a word to at most `limit` characters (`review.decisions.shorten`)."""
    from ..decisions import shorten as cut

    return cut(text, limit)


def _date(text: str | None):
    import pandas as pd

    from ..errors import ReviewError

    if text is None:
        return None
    try:
        day = dt.date.fromisoformat(str(text).strip())
    except ValueError:
        raise ReviewError(f"--date must be YYYY-MM-DD, got {text!r}") from None
    today = dt.date.today()
    if day > today:  # a decision is recorded after it is made: a later date is a typo (2042 for 2024)
        raise ReviewError(f"--date {day.isoformat()} is after today ({today.isoformat()}): a decision cannot be "
                          "dated in the future")
    return pd.Timestamp(day)


def _day(value) -> str:
    import pandas as pd

    if value is None or value is pd.NaT or (not isinstance(value, str) and pd.isna(value)):
        return ""
    return pd.Timestamp(value).strftime("%Y-%m-%d")
