"""`review decide CASE_DIR FLAG --accept|--reject --rationale TEXT [--reviewer NAME] [--replace]`:
record a reviewer's decision on a flag in the case's decisions.csv.

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
import difflib
import re

HELP = "record a reviewer's decision on a flag (--accept or --reject, with --rationale) in the case's decisions.csv"

#: how much of an earlier decision's rationale an error message quotes
QUOTED = 160

#: a flag given by its number in `review flags` (the "#" column), not its id
_NUMBER = re.compile(r"#?\s*[0-9]+")


def add_arguments(parser) -> None:
    parser.add_argument("case_dir", metavar="CASE_DIR", help="the case folder (holding case.yml)")
    parser.add_argument("flag_id", metavar="FLAG",
                        help="the flag's id, or its number (N or #N), as `review flags CASE_DIR` prints them")
    choice = parser.add_mutually_exclusive_group(required=True)
    choice.add_argument("--accept", dest="decision", action="store_const", const="accepted",
                        help="the flag is a missed escalation point")
    choice.add_argument("--reject", dest="decision", action="store_const", const="rejected",
                        help="the flag is not a missed escalation point")
    parser.add_argument("--rationale", required=True, metavar="TEXT", help="why (required, not empty)")
    parser.add_argument("--reviewer", metavar="NAME",
                        help="who decided: one of the people case.yml names (default: the one it names, if only one)")
    parser.add_argument("--date", metavar="YYYY-MM-DD", help="the date of the decision (default: today; not after today)")
    parser.add_argument("--replace", action="store_true",
                        help="supersede the flag's earlier decision (kept in decisions.csv as history)")


def run(args) -> int:
    from ..config import case_file, load_case_config
    from ..decisions import (ADDED_SOURCE, DECISIONS_FILE, flag_details, load_decisions, read_decisions_file,
                             record_decision)
    from ..errors import ReviewError
    from ..pipeline import analyse, load_case

    flag_id = str(args.flag_id or "").strip()
    rationale = str(args.rationale or "").strip()
    if not rationale:
        raise ReviewError("--rationale is empty: every decision needs a rationale (why the flag is "
                          f"{args.decision})")
    when = _date(args.date)
    config = load_case_config(args.case_dir)
    decisions, _ = load_decisions(config.case_dir)  # an invalid decisions.csv stops here, before the chronologies
    author = reviewer(args.reviewer, config.reviewers, previous=decisions["author"].dropna().astype(str).tolist())

    analysis = analyse(load_case(args.case_dir))
    flags = analysis.flags.reset_index(drop=True)
    ids = flags["flag_id"].astype(str).tolist()
    if _NUMBER.fullmatch(flag_id):  # the number `review flags` shows in front of the flag ("3" or "#3")
        shown = int(flag_id.lstrip("#"))
        if not 1 <= shown <= len(ids):
            raise ReviewError(f"no flag #{shown} in case {config.case_id}: `review flags {args.case_dir}` numbers its "
                              f"{len(ids)} flag{'' if len(ids) == 1 else 's'} "
                              + (f"#1 to #{len(ids)}" if ids else "(it has none)"))
        flag_id = ids[shown - 1]
    if flag_id not in ids:
        close = difflib.get_close_matches(flag_id, ids, n=3, cutoff=0.6)
        hint = f" (did you mean {', '.join(close)}?)" if close else ""
        raise ReviewError(f"no flag {flag_id!r} in case {config.case_id}'s current flags{hint}: "
                          f"`review flags {args.case_dir}` lists the ids")
    number = ids.index(flag_id) + 1
    flag = flags.iloc[number - 1]

    earlier = in_force(analysis.decisions, flag_id)
    if earlier is not None:
        same = (earlier["decision"] == args.decision and earlier["rationale"] == rationale
                and earlier["author"] == author and (when is None or earlier["date"] == when))
        if not args.replace:
            raise ReviewError(f"flag {flag_id} already has a decision: {describe(earlier, QUOTED)} "
                              f"({DECISIONS_FILE}, row {earlier['row']}); give --replace to record this one in its place")
        if same:
            print(f"unchanged: flag #{number} {flag_id} is already {describe(earlier)} "
                  f"({DECISIONS_FILE}, row {earlier['row']})")
            return 0

    path = case_file(config.case_dir, DECISIONS_FILE)
    # the flag's rule, trigger and evidence contacts beside the decision (the row says what it was about)
    # a finding the reviewers added is found by its contacts: the decision on it keeps them by their content
    # too (`record_decision` with the timeline), so that it follows a resubmission as the finding does
    on_added = str(flag.get("source") or "") == ADDED_SOURCE
    record_decision(config.case_dir, flag_id, args.decision, rationale, author,
                    when if when is not None else dt.date.today(), **flag_details(flag),
                    timeline=analysis.timeline if on_added else None)
    written = read_decisions_file(path).iloc[-1]
    print(f"recorded in {path}, row {written['row']}: flag #{number} {flag_id} ({flag['rule_id']}, "
          f"{_day(flag['trigger_date'])}) {describe(written)}")
    if earlier is not None:
        print(f"  in place of: {describe(earlier, QUOTED)} (row {earlier['row']}, kept in the file as history)")
    return 0


def reviewer(name: str | None, reviewers: dict, previous=()) -> str:
    """The author to record: `name` as case.yml spells it (matched ignoring case and spacing) when case.yml
    names its reviewers, and refused when it is not one of them; else `name` as an earlier decision spells
    it (`previous`: the authors in decisions.csv), else as given. Without `name`, the one reviewer case.yml
    names."""
    from ..errors import ReviewError

    known = list(reviewers or {})
    if name is None or not str(name).strip():
        if len(known) == 1:
            return known[0]
        if known:
            raise ReviewError(f"give --reviewer NAME: case.yml names {len(known)} reviewers ({', '.join(known)})")
        raise ReviewError("give --reviewer NAME: every decision needs an author (case.yml names no reviewer: "
                          "lead_reviewer, reviewers or authors)")
    name = " ".join(str(name).split())
    if not known:  # no list to check against: one spelling per person in the file
        for candidate in previous:
            if " ".join(candidate.split()).casefold() == name.casefold():
                return candidate
        return name
    for candidate in known:
        if " ".join(candidate.split()).casefold() == name.casefold():
            return candidate
    raise ReviewError(f"reviewer {name!r} is not one of the reviewers case.yml names ({', '.join(known)}): add them "
                      "to case.yml (lead_reviewer, reviewers or authors), or give one of these names")


def in_force(decisions, flag_id: str):
    """The accept or reject decision in force for `flag_id` (a row of `load_decisions`), or None. A finding
    the reviewers added has its "added" row in force until it is accepted or rejected: that is no decision
    on it yet."""
    if decisions is None or not len(decisions):
        return None
    rows = decisions[(decisions["flag_id"] == flag_id) & decisions["current"].fillna(False)]
    if not len(rows) or rows.iloc[-1]["decision"] not in ("accepted", "rejected"):
        return None
    return rows.iloc[-1]


def describe(decision, limit: int | None = None) -> str:
    """'rejected by A. Reviewer on 2024-05-01: "the rationale"' (the rationale cut to `limit` characters)."""
    rationale = str(decision["rationale"])
    if limit is not None:
        rationale = shorten(rationale, limit)
    who = f" by {decision['author']}" if str(decision["author"] or "") else ""
    day = _day(decision["date"])
    return f"{decision['decision']}{who}{f' on {day}' if day else ''}: \"{rationale}\""


def shorten(text: str, limit: int) -> str:
    """`text` on one line, cut at a word to at most `limit` characters with "…" when longer."""
    text = " ".join(str(text).split())
    if len(text) <= limit:
        return text
    cut = text[: limit - 1]
    if " " in cut[limit // 2:]:
        cut = cut[: cut.rindex(" ")]
    return cut.rstrip(" ,;:.") + "…"


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
