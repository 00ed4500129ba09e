"""Reviewers' decisions on flags: accept or reject a proposed flag, or add a finding the rules missed.

Decisions live beside the case as ``decisions.csv``, an append-only log (one row per decision, keyed by
the rules' stable ``flag_id``): a later row for the same flag supersedes an earlier one, and the history
is kept. Every decision needs a rationale. The file is written safely (whole-file atomic replace, proper
quoting, ``\\n`` line endings — or the file's own ``\\r\\n`` when Excel saved it so —, UTF-8 with a byte order
mark, so that Excel shows accented names and dashes as written) and spreadsheet formula injection is
neutralised: a cell starting with ``= + - @``, tab or carriage return is written with a leading single
quote, which `load_decisions` removes again.
"""
from __future__ import annotations

import csv
import datetime as dt
import hashlib
import io
import os
import re
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd

from .config import case_file
from .errors import DecisionError
from .schema import FLAG_COLUMNS, MULTI_SEP, conform, empty_frame, split_multi

DECISIONS_FILE = "decisions.csv"
#: names a reviewer might give decisions written as YAML: never read, so their presence is an error
#: (decisions are kept in decisions.csv only), not a file silently ignored
UNREAD_DECISIONS_FILES = ("decisions.yml", "decisions.yaml")
DECISION_VALUES = ("accepted", "rejected", "added")
#: the file's columns, in order; the last three describe the flag decided (its rule, trigger contact and
#: evidence contacts: filled by `review decide` from the flag, as the flag was when decided) or, for an added
#: finding, the finding itself; a file with them blank (written before they were filled) is read as it is
DECISION_FILE_COLUMNS = (
    "flag_id", "decision", "rationale", "author", "date", "rule_id", "trigger_event_id", "evidence_event_ids",
)
REQUIRED_COLUMNS = ("flag_id", "decision", "rationale", "author", "date")
#: an added finding's contacts by their content (`contact_content_ids`), written after the file's other columns
#: when an added finding records them (`record_decision` with `timeline`): an event id is the contact's row,
#: which a resubmission with a row inserted above moves; these say which contact it was, wherever it now is
#: (`added_contacts`). Only in the case's own decisions.csv: never in `load_decisions`' table, the store or a view
CONTENT_COLUMNS = ("trigger_content_id", "evidence_content_ids")
#: what load_decisions returns: the file's columns, the row number in the file, and whether the row is
#: the one in force for its flag (the latest)
DECISION_COLUMNS: dict[str, str] = {
    "flag_id": "string",
    "decision": "string",
    "rationale": "string",
    "author": "string",
    "date": "datetime64[ns]",
    "rule_id": "string",
    "trigger_event_id": "string",
    "evidence_event_ids": "string",
    "row": "Int64",
    "current": "boolean",
}
PROBLEM_COLUMNS: dict[str, str] = {"file": "string", "row": "Int64", "flag_id": "string", "problem": "string"}

FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")
LINE_TERMINATOR = "\n"
PENDING = "pending"
ADDED_SOURCE = "reviewer"


# ---------------------------------------------------------------------------------------------------
# Cells
# ---------------------------------------------------------------------------------------------------
def neutralise(value: str) -> str:
    """Make a text cell inert in a spreadsheet: prefix a single quote when it starts like a formula."""
    text = "" if value is None else str(value)
    text = text.replace("\r\n", "\n")
    return "'" + text if text.startswith(FORMULA_PREFIXES) else text


def restore(value: str) -> str:
    """Undo `neutralise` (a leading quote before a formula-like start)."""
    text = "" if value is None else str(value)
    if text.startswith("'") and text[1:].startswith(FORMULA_PREFIXES):
        return text[1:]
    return text


def _as_date(value, *, path, row) -> pd.Timestamp:
    if value is None or (isinstance(value, str) and not value.strip()):
        return pd.NaT
    if isinstance(value, (dt.date, pd.Timestamp)):
        return pd.Timestamp(value).normalize()
    text = str(value).strip()
    try:
        return pd.Timestamp(dt.date.fromisoformat(text[:10]))
    except ValueError:
        pass
    # Excel set to a UK locale saves the file's ISO dates back as dd/mm/yyyy: read day-first, as every date
    # of a chronology is; only a full date with a four-digit year ("3/4" stays an error)
    uk = _UK_DATE.fullmatch(text)
    if uk:
        try:
            return pd.Timestamp(dt.date(int(uk["year"]), int(uk["month"]), int(uk["day"])))
        except ValueError:
            pass
    raise DecisionError(f"date must be YYYY-MM-DD (or dd/mm/yyyy, day first), got {text!r}", file=path, row=row,
                        column="date") from None


_UK_DATE = re.compile(r"(?P<day>\d{1,2})[/.-](?P<month>\d{1,2})[/.-](?P<year>\d{4})(?:\s+00:00(?::00)?)?")


def added_flag_id(rule_id: str, trigger_event_id: str, rationale: str, author: str, date: str) -> str:
    """A stable id for a finding a reviewer added (no rule proposed it)."""
    digest = hashlib.sha256("\x1f".join([rule_id, trigger_event_id, rationale, author, date]).encode()).hexdigest()
    return f"added:{rule_id or 'finding'}:{digest[:10]}"


# ---------------------------------------------------------------------------------------------------
# Reading
# ---------------------------------------------------------------------------------------------------
def _empty_decisions() -> pd.DataFrame:
    return empty_frame(DECISION_COLUMNS)


def _problems(rows: list[dict]) -> pd.DataFrame:
    if not rows:  # most cases: the contract's empty table, made once
        return empty_frame(PROBLEM_COLUMNS)
    return conform(pd.DataFrame(rows, columns=list(PROBLEM_COLUMNS)), PROBLEM_COLUMNS)


def read_decisions_file(path: str | Path) -> pd.DataFrame:
    """Parse and validate a decisions file (all rows, file order); raises DecisionError on invalid rows.

    The CSV is read strictly: a quote opened and never closed (which would otherwise swallow every later
    row into one rationale), text after a closing quote, and a row with more non-blank cells than the
    header has columns are errors naming the row and column, never silently repaired.
    """
    path = Path(path)
    try:
        text = decisions_text(path)
    except IsADirectoryError:
        raise DecisionError("is a folder, not a file", file=path) from None
    except OSError as exc:
        raise DecisionError(f"cannot be read: {exc.strerror or exc}", file=path) from None
    lines = list(io.StringIO(text, newline=""))  # the reader's physical lines (\n, \r\n or \r)
    reader = csv.reader(iter(lines), strict=True)
    header = _next_record(reader, lines, path, None)
    if header is None:
        return _empty_decisions()
    header = [restore(h).strip().lower() for h in header]
    missing = [c for c in REQUIRED_COLUMNS if c not in header]
    if missing:
        raise DecisionError(f"missing column(s) {', '.join(missing)}", file=path, row=1)
    records = []
    while (cells := _next_record(reader, lines, path, header)) is not None:
        row = reader.line_num  # last physical line of the record (quoted cells may span lines)
        if not any(c.strip() for c in cells):
            continue
        extra = [c for c in cells[len(header):] if c.strip()]
        if extra:
            raise DecisionError(
                f"{len(cells)} cells in a file of {len(header)} columns: extra cell(s) "
                f"{', '.join(repr(c) for c in extra)} (a comma in an unquoted rationale? put the text in double quotes)",
                file=path, row=row, column=header[-1],
            )
        cells = [restore(c) for c in cells[:len(header)]] + [""] * max(0, len(header) - len(cells))
        raw = dict(zip(header, cells))
        records.append(_validate_record(raw, path=path, row=row))
    if not records:
        return _empty_decisions()
    frame = pd.DataFrame(records)
    frame["current"] = ~frame["flag_id"].duplicated(keep="last")
    return conform(frame, DECISION_COLUMNS)[list(DECISION_COLUMNS)]


def decisions_text(path: str | Path) -> str:
    """The text of a decisions file: UTF-8 (with or without a byte order mark, as `record_decision` writes
    it), else cp1252 — what Excel's "CSV (Comma delimited)" saves on Windows, and how ingest reads an
    agency's csv (`review.ingest.readers.decode_text`). A file that is neither — UTF-8 beyond ASCII on some
    lines and not on others (two programs wrote it), or a byte cp1252 does not define — is refused with
    DecisionError naming the row and byte, since either reading would change some of its text silently.
    Raises OSError as reading the file does."""
    path = Path(path)
    data = path.read_bytes()
    bom = data.startswith(b"\xef\xbb\xbf")
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        utf8_error = exc
    offset = utf8_error.start + (3 if bom else 0)  # utf-8-sig counts from after the mark
    # cp1252 only when nothing in the file reads as UTF-8 beyond ASCII (no BOM, no "ë" as two UTF-8 bytes)
    mixed = bom or any(not line.isascii() and _is_utf8(line) for line in data.split(b"\n"))
    if not mixed:
        try:
            return data.decode("cp1252")
        except UnicodeDecodeError as exc:
            offset = exc.start
    line = data[:offset].count(b"\n") + 1
    column = offset - (data.rfind(b"\n", 0, offset) + 1) + 1
    if bom:
        why = f"the file is marked as UTF-8 (byte order mark) but byte 0x{data[offset]:02X} is not UTF-8"
    elif mixed:
        why = f"some rows are UTF-8 and others are not (saved by two programs?): byte 0x{data[offset]:02X}"
    else:
        why = f"byte 0x{data[offset]:02X} is neither UTF-8 nor cp1252"
    raise DecisionError(f"not readable text: {why} at byte {column} of the row; open it in "
                        "Excel and save it as \"CSV UTF-8 (Comma delimited)\"", file=path, row=line)


def _is_utf8(data: bytes) -> bool:
    try:
        data.decode("utf-8")
    except UnicodeDecodeError:
        return False
    return True


def _next_record(reader, lines: list[str], path: Path, header: list[str] | None) -> list[str] | None:
    """The reader's next record (None at the end), or DecisionError naming the row and column where the
    record is broken."""
    start = reader.line_num  # lines read so far: the record starts on the next one
    try:
        return next(reader)
    except StopIteration:
        return None
    except csv.Error as exc:
        index, problem = _broken_cell("".join(lines[start:]))
        column = None
        if header is not None and index is not None:
            column = header[index] if index < len(header) else f"cell {index + 1}"
        raise DecisionError(problem or f"not a valid CSV file: {exc}", file=path, row=start + 1,
                            column=column) from None


def _broken_cell(text: str) -> tuple[int | None, str | None]:
    """(0-based cell, problem) of the first quoting error in the record that starts `text`."""
    cell, i, n = 0, 0, len(text)
    while i < n:
        if text[i] == '"':  # a quoted cell: find its closing quote ("" is an escaped quote)
            j = i + 1
            while True:
                j = text.find('"', j)
                if j < 0:
                    return cell, "unterminated quoted field (a double quote is opened and never closed)"
                if text.startswith('""', j):
                    j += 2
                    continue
                break
            i = j + 1
            if i < n and text[i] not in ",\r\n":
                return cell, "text after the closing double quote of a quoted field (write \"\" for a quote inside it)"
        while i < n and text[i] not in ",\r\n":
            i += 1
        if i >= n or text[i] in "\r\n":
            return None, None
        cell, i = cell + 1, i + 1
    return None, None


def _validate_record(raw: dict, *, path, row) -> dict:
    decision = raw.get("decision", "").strip().lower()
    if decision not in DECISION_VALUES:
        raise DecisionError(
            f"decision must be one of {', '.join(DECISION_VALUES)}, got {raw.get('decision', '')!r}",
            file=path, row=row, column="decision",
        )
    rationale = raw.get("rationale", "").strip()
    if not rationale:
        raise DecisionError("every decision needs a rationale", file=path, row=row, column="rationale")
    flag_id = raw.get("flag_id", "").strip()
    date = _as_date(raw.get("date", ""), path=path, row=row)
    record = {
        "flag_id": flag_id,
        "decision": decision,
        "rationale": rationale,
        "author": raw.get("author", "").strip(),
        "date": date,
        "rule_id": raw.get("rule_id", "").strip(),
        "trigger_event_id": raw.get("trigger_event_id", "").strip(),
        "evidence_event_ids": raw.get("evidence_event_ids", "").strip(),
        "row": row,
    }
    if not flag_id:
        if decision != "added":
            raise DecisionError(f"a decision to mark a flag {decision} needs its flag_id", file=path, row=row,
                                column="flag_id")
        record["flag_id"] = added_flag_id(record["rule_id"], record["trigger_event_id"], rationale, record["author"],
                                          "" if pd.isna(date) else date.date().isoformat())
    return record


def load_decisions(case_dir: str | Path, flags: pd.DataFrame | None = None,
                   timeline: pd.DataFrame | None = None,
                   reviewers: dict | list | None = None,
                   as_of: dt.date | str | None = None) -> tuple[pd.DataFrame, pd.DataFrame]:
    """The case's decisions (every row, file order) and the problems found with them.

    Returns ``(decisions, problems)``. `decisions` has DECISION_COLUMNS: the file's columns plus ``row``
    (its line in the file) and ``current`` (True on the latest row for each flag_id — later rows supersede
    earlier ones, which are kept as history). `problems` (file, row, flag_id, problem) lists decisions on
    flag ids the rules did not produce this time (kept, not dropped), decisions recorded against a
    flag's earlier, row-based id (when `flags` has `review.rules.detect`'s ``legacy_flag_id``: such a row
    is returned under the flag's current id, so that it applies, with a note saying so), "added" rows reusing the id of a
    flag the rules raised (ignored by `apply_decisions`), rows without an author, and (with
    `timeline`) added findings whose contacts (trigger_event_id, evidence_event_ids) are not in it: the
    finding is kept, without a date when its trigger is unknown.
    With `flags`, an accept or reject row on a flag the rules raise gives that flag's trigger_event_id and
    evidence_event_ids, not the ones recorded when the file was written (`current_contacts`): the event ids
    are the contacts' rows, which an agency resubmitting its chronology moves, while the flag id, made from
    the trigger contact's content, says the decision is on the same contact.
    When case.yml names the review's people (`reviewers`, default case.yml's `lead_reviewer`,
    `reviewer(s)`, `author(s)`), an author among them (ignoring letter case and spacing) is returned as
    case.yml spells the name, and an author not among them — whom `review decide --reviewer` would refuse —
    is listed as a problem (the decision still applies, as one without an author does). A row dated after
    `as_of` (default today; written by hand: `review decide --date` refuses it) is listed as a problem too, and
    still applies: a build records the date it judged against in its manifest when that matters
    (``decisions_as_of``), and `review verify` judges against it again, so that a rebuild on a later day,
    when the row's date is no longer in the future, lists the same problems.
    No decisions file: both tables are empty.

    Raises DecisionError (naming the file and row) for an unknown decision value, a missing rationale, a
    missing flag_id on an accept/reject, an unreadable date or missing columns, a broken row (a quote
    never closed, extra cells), a decisions.csv that is not a readable file, or a decisions.yml in the
    case folder (never read: decisions go in decisions.csv).
    """
    check_no_unread_decisions(case_dir)
    path = case_file(case_dir, DECISIONS_FILE)
    if not path.exists():
        return _empty_decisions(), _problems([])
    decisions = read_decisions_file(path)
    problems = []
    orphaned: list[int] = []  # rows deciding a flag the rules no longer raise
    decisions, unknown_authors = _known_authors(decisions, _case_reviewers(case_dir) if reviewers is None else reviewers)
    events = set(timeline["event_id"].dropna().astype(str)) if timeline is not None and "event_id" in timeline else None
    raised = set(flags["flag_id"].dropna().astype(str)) if flags is not None and "flag_id" in flags else None
    known = None
    if raised is not None:  # a reviewer may later accept or reject a finding added earlier
        known = raised | set(decisions.loc[decisions["decision"] == "added", "flag_id"].astype(str))
        decisions, problems = _earlier_ids(decisions, flags, known)
        decisions, carried = _carried_over(decisions, flags, timeline, known, case_dir)
        decisions, merged = _merged_into(decisions, flags, timeline, known)
        if _older_layout(path):  # (s21) no trigger_event_id column: its rows matched by rule, date and contacts
            decisions, by_contacts = _by_contacts(decisions, flags, known)
            merged = merged + by_contacts
        if merged:  # a row carried to (or stopped at) the flag its own joined says why, not "text edited?"
            explained = {note["row"] for note in merged}
            carried = [note for note in carried
                       if not (note["row"] in explained and _ROW_NOT_CARRIED_TEXT in note["problem"])]
        problems = problems + carried + merged
        decisions = current_contacts(decisions, flags)
    if timeline is not None and (decisions["decision"] == "added").any():
        decisions, moved = added_contacts(decisions, recorded_contents(path), timeline)
        problems = problems + moved
    today = _as_date(as_of, path=path, row=None).date() if as_of is not None else dt.date.today()
    duplicated = _added_raised_by_rules(decisions, flags, timeline) if raised is not None else {}
    for record in decisions.itertuples(index=False):  # a decisions file is small: one row per reviewer act
        if record.row in duplicated:
            problems.append({"file": DECISIONS_FILE, "row": record.row, "flag_id": record.flag_id,
                             "problem": duplicated[record.row]})
        if raised is not None and record.decision == "added" and record.flag_id in raised:
            problems.append({"file": DECISIONS_FILE, "row": record.row, "flag_id": record.flag_id,
                             "problem": "an added finding with the id of a flag the rules raised: ignored (to agree "
                                        "with that flag, record it as accepted; for a new finding, leave flag_id "
                                        "blank)"})
        elif known is not None and record.decision != "added" and record.flag_id not in known:
            problems.append({"file": DECISIONS_FILE, "row": record.row, "flag_id": record.flag_id,
                             "problem": NOT_RAISED_PROBLEM})
            orphaned.append(record.row)
        if not record.author:
            problems.append({"file": DECISIONS_FILE, "row": record.row, "flag_id": record.flag_id,
                             "problem": "no author recorded"})
        elif record.row in unknown_authors:
            problems.append({"file": DECISIONS_FILE, "row": record.row, "flag_id": record.flag_id,
                             "problem": unknown_authors[record.row]})
        if pd.notna(record.date) and record.date.date() > today:
            problems.append({"file": DECISIONS_FILE, "row": record.row, "flag_id": record.flag_id,
                             "problem": FUTURE_DATE_PROBLEM})
        if record.decision == "added" and events is not None:
            problem = _unknown_contacts(record, events)
            if problem:
                problems.append({"file": DECISIONS_FILE, "row": record.row, "flag_id": record.flag_id,
                                 "problem": problem})
    if orphaned:  # in force for no flag: the flag it decided is not raised (its re-raised successor is pending)
        decisions = decisions.copy()
        decisions.loc[decisions["row"].isin(orphaned).to_numpy(dtype=bool), "current"] = False
    return decisions, _problems(problems)


def _added_raised_by_rules(decisions: pd.DataFrame, flags: pd.DataFrame,
                           timeline: pd.DataFrame | None = None) -> dict[int, str]:
    """{row: problem} for each added finding (in force: not rejected by a later row) that a flag of `flags`
    duplicates: the same rule on the same trigger contact (the finding's trigger_event_id as `added_contacts`
    read it), or (s21) the same rule with that contact among the flag's evidence (one event two agencies recorded,
    flagged on the first agency's record; a pattern's flag), or (s21, with `timeline`) the same rule triggered by a
    contact of the same agency on the same day (the nurse's and the doctor's notes of one attendance). The problem
    names the rule and the flag id ("now raised by rule X, flag id Y") and how it was matched. The rules now raise what the reviewer added by hand (the rules or the data changed since): both
    are kept and shown, and the reviewers are asked to choose. Nothing is deleted or ignored."""
    if flags is None or flags.empty or not {"rule_id", "trigger_event_id", "flag_id"} <= set(flags.columns):
        return {}
    added = decisions[(decisions["decision"] == "added").to_numpy(dtype=bool)]
    if added.empty:
        return {}
    latest = decisions.drop_duplicates("flag_id", keep="last").set_index("flag_id")["decision"]
    by_contact: dict[tuple[str, str], list[str]] = {}
    for rule, trigger, fid in zip(flags["rule_id"].astype(str), flags["trigger_event_id"].astype(str),
                                  flags["flag_id"].astype(str)):
        by_contact.setdefault((rule, trigger), []).append(fid)
    by_evidence: dict[tuple[str, str], list[str]] = {}
    if "evidence_event_ids" in flags.columns:
        for rule, evidence, fid in zip(flags["rule_id"].astype(str), flags["evidence_event_ids"].astype("string")
                                       .fillna("").astype(str), flags["flag_id"].astype(str)):
            for event in split_multi(evidence):
                by_evidence.setdefault((rule, event), []).append(fid)
    by_day: dict[tuple[str, str, object], list[str]] = {}
    where: dict[str, tuple[str, object]] = {}
    if timeline is not None and {"event_id", "agency", "date"} <= set(timeline.columns):
        rows = timeline.drop_duplicates("event_id")
        days = pd.to_datetime(rows["date"], errors="coerce").dt.normalize()
        where = dict(zip(rows["event_id"].astype(str), zip(rows["agency"].astype("string").fillna("").astype(str), days)))
        for rule, trigger, fid in zip(flags["rule_id"].astype(str), flags["trigger_event_id"].astype(str),
                                      flags["flag_id"].astype(str)):
            if trigger in where and pd.notna(where[trigger][1]):
                by_day.setdefault((rule, *where[trigger]), []).append(fid)
    raised = set(flags["flag_id"].astype(str))
    out = {}
    for record in added.itertuples(index=False):
        if latest.get(record.flag_id) == "rejected":
            continue  # the reviewers already chose the rules' flag
        if str(record.flag_id) in raised:
            continue  # an added row under a rule flag's own id: its own problem ("id of a flag the rules raised")
        same = by_contact.get((str(record.rule_id), str(record.trigger_event_id)))
        how = f"same rule {record.rule_id}, same trigger contact {record.trigger_event_id}"
        if not same:
            # (s21) a flag of the rule whose evidence holds the added one's trigger contact (the first agency's flag
            # of one event two agencies recorded; one flag of a pattern listing the others' triggers)
            same = by_evidence.get((str(record.rule_id), str(record.trigger_event_id)))
            how = f"rule {record.rule_id}: the added one's trigger contact {record.trigger_event_id} is its evidence"
        if not same and str(record.trigger_event_id) in where and pd.notna(where[str(record.trigger_event_id)][1]):
            agency, day = where[str(record.trigger_event_id)]
            same = by_day.get((str(record.rule_id), agency, day))
            how = (f"rule {record.rule_id}: triggered by a contact of the same agency ({agency}) on the same day "
                   f"({day.strftime('%d %b %Y').lstrip('0')})")
        if not same:
            continue
        ids = ", ".join(sorted(dict.fromkeys(same)))
        out[record.row] = (f"an added finding the rules now raise as flag {ids} (now raised by rule {record.rule_id}, "
                           f"flag id {ids}; {how}): consider rejecting the added one, or "
                           f"accepting the rules' flag with the added one's rationale; both are kept and shown "
                           f"until then")
    return out


#: the problem `load_decisions` lists for a row dated after the day it is read (typed by hand: `review decide
#: --date` refuses such a date): the decision still applies. The text names neither date (the row's is shown
#: beside it), so that it reads the same whichever day the report is built
FUTURE_DATE_PROBLEM = ("dated in the future: a decision is dated the day it is made, so the date is likely a typo "
                       "(`review decide --date` refuses a date after today); the decision still applies")

#: the problem `load_decisions` lists for an accept or reject on a flag the rules no longer raise (the trigger
#: contact's text was edited on resubmission, or the rules changed): kept, shown in full, in force for no flag
NOT_RAISED_PROBLEM = ("no flag with this id in the current analysis (rules or data changed?): the decision applies "
                      "to no current flag and is not in force")


def future_dated(decisions: pd.DataFrame | None, as_of: dt.date) -> bool:
    """Whether any row of `decisions` (`load_decisions`) is dated after `as_of`: only then does the date a
    build judged the decisions against change what it lists (a date in the past stays in the past)."""
    if decisions is None or not len(decisions) or "date" not in decisions:
        return False
    dates = pd.to_datetime(decisions["date"], errors="coerce")
    return bool((dates > pd.Timestamp(as_of)).any())


@dataclass(frozen=True)
class AsOf:
    """The day the reviewers' decisions are judged against (a decision dated after it is listed as
    future-dated) and where that day comes from (`decisions_as_of`)."""

    day: dt.date
    #: "given" (--as-of), "manifest" (the case's build recorded it: `manifest`), or "today"
    source: str
    manifest: str | None = None

    def __str__(self) -> str:
        if self.source == "manifest":
            return f"{self.day.isoformat()} (the day the case's build judged them on, {self.manifest})"
        return f"{self.day.isoformat()} ({'given' if self.source == 'given' else 'today'})"

    def note(self) -> str:
        """The line `review flags`, `review validate` and `review build-all` print when the day matters."""
        return f"decisions dated after {self} are listed as dated in the future"


def given_day(as_of) -> dt.date:
    """`--as-of`'s day: a date, or YYYY-MM-DD (ConfigError naming the option otherwise)."""
    from .errors import ConfigError

    if isinstance(as_of, dt.datetime):
        return as_of.date()
    if isinstance(as_of, dt.date):
        return as_of
    try:
        return dt.date.fromisoformat(str(as_of).strip())
    except ValueError:
        raise ConfigError(f"--as-of: expected a date as YYYY-MM-DD, got {as_of!r}") from None


def decisions_as_of(case_dir, as_of=None, *, report_dir=None, today: dt.date | None = None, config=None) -> AsOf:
    """The day to judge `case_dir`'s decisions against (`load_decisions`' `as_of`), one answer for `review
    flags`, `review validate` and the store (`review build-all`), so that what they list does not change with
    the day they run: `as_of` when given (a date or YYYY-MM-DD; ConfigError when unreadable); else the day the
    case's build judged them on, ``decisions_as_of`` in its manifest (`report_dir`, default the build's
    default folder ``reports/<case_id>/``, when its manifest names this case folder), which `review verify`
    judges against too; else `today` (default the date now), the day reported with the results. `config`: the
    case's, when already read (`review.config.load_case_config`).

    A build records its day only when a decision is dated after it: a build without it listed no such
    decision, and a decision dated after today was dated after that build's day too."""
    import json

    from .errors import ReviewError

    if as_of is not None and as_of != "":
        return AsOf(given_day(as_of), "given")
    fallback = AsOf(today if today is not None else dt.date.today(), "today")
    try:
        from .build import MANIFEST, default_out_dir, recorded_case_dir
        from .config import load_case_config

        folder = Path(report_dir) if report_dir is not None else default_out_dir(config or load_case_config(case_dir))
        path = folder / MANIFEST
        if not path.is_file():
            return fallback
        manifest = json.loads(path.read_text(encoding="utf-8"))
        recorded, day = manifest.get("case_dir"), manifest.get("decisions_as_of")
        if not recorded or not day or recorded_case_dir(folder, recorded).resolve() != Path(case_dir).resolve():
            return fallback  # another case's build, an anonymised one (no case folder), or no day recorded
        return AsOf(dt.date.fromisoformat(str(day)[:10]), "manifest", path.as_posix())
    except (OSError, ValueError, TypeError, AttributeError, ReviewError):
        # no readable build (or a case.yml the command itself will report): the run's day, reported
        return fallback


def orphaned_rows(problems: pd.DataFrame | None) -> set[int]:
    """The decisions.csv rows (`load_decisions`' ``row``) that decide a flag the rules no longer raise, from the
    problems `load_decisions` listed (also once the report's view has pseudonymised both tables)."""
    if problems is None or not len(problems) or "problem" not in problems or "row" not in problems:
        return set()
    text = problems["problem"].astype("string").fillna("")
    rows = problems.loc[text.str.startswith(NOT_RAISED_PROBLEM[:40]).to_numpy(dtype=bool), "row"]
    return {int(r) for r in rows.dropna()}


#: what `with_decision` adds to each problem: the decision of the row it is about
PROBLEM_DECISION_COLUMNS = {"decision": "Decision", "author": "Decided by", "date": "Decision date",
                            "rationale": "Rationale"}


def with_decision(problems: pd.DataFrame, decisions: pd.DataFrame | None) -> pd.DataFrame:
    """`problems` with the decision each is about (decisions.csv's row: decision, author, date, rationale),
    so that a report shows what was decided, by whom, when and why, not only the row; blank for a problem
    on no row. For display: `load_decisions`' tables are not changed."""
    out = problems.reset_index(drop=True).copy()
    if decisions is None or not len(decisions) or "row" not in decisions or "row" not in out:
        for column in PROBLEM_DECISION_COLUMNS:
            out[column] = pd.array([""] * len(out), dtype="string") if column != "date" else pd.NaT
        return out
    by_row = decisions.drop_duplicates("row").set_index("row")
    rows = pd.array(out["row"], dtype="Int64")
    for column in PROBLEM_DECISION_COLUMNS:
        values = by_row[column].reindex(rows) if column in by_row else pd.Series([None] * len(out))
        out[column] = values.to_numpy()
    return out


def _case_reviewers(case_dir) -> list[str]:
    """The review's people case.yml names (`review.config.CaseConfig.reviewers`); none when case.yml
    cannot be read (the command reading the case says why)."""
    from .config import load_case_config
    from .errors import ReviewError

    try:
        return list(load_case_config(case_dir).reviewers)
    except (ReviewError, OSError):
        return []


def _same_person(name: str) -> str:
    return " ".join(str(name).split()).casefold()


def _known_authors(decisions: pd.DataFrame, reviewers) -> tuple[pd.DataFrame, dict[int, str]]:
    """`decisions` with each author case.yml names (`reviewers`) spelt as case.yml spells it, and {row: problem}
    for each author it does not name (none when it names nobody: there is no list to check against)."""
    known = {_same_person(name): str(name) for name in (reviewers or [])}
    if not known or not len(decisions):
        return decisions, {}
    authors = decisions["author"].astype("string").fillna("").astype(str)
    spelt = [known.get(_same_person(a), a) for a in authors]
    listed = ", ".join(known.values())
    problems = {int(row): (f"author {author!r} is not one of the reviewers case.yml names ({listed}): add them to "
                           "case.yml (lead_reviewer, reviewers or authors), or correct the name")
                for row, author in zip(decisions["row"], authors) if author.strip() and _same_person(author) not in known}
    if spelt != authors.tolist():
        decisions = decisions.copy()
        decisions["author"] = pd.array(spelt, dtype="string")
    return decisions, problems


#: the note `load_decisions` lists for a decision recorded against a flag's earlier (row-based) id
EARLIER_ID_NOTE = ("decision recorded against the flag's earlier id {old} (ids were then made from the contact's row, "
                   "now from its content): applied to flag {new}")


def _earlier_ids(decisions: pd.DataFrame, flags: pd.DataFrame, known: set) -> tuple[pd.DataFrame, list[dict]]:
    """`decisions` with each accept or reject recorded against a flag's earlier id (`flags`'
    ``legacy_flag_id``: the id made from the trigger's row, before ids were anchored on its content) under
    the flag's current id instead, ``current`` worked out again (the latest row per flag, file order), and
    a note for each row so read (EARLIER_ID_NOTE), listed with the decision problems so the reports say so.
    A row whose id is a current flag's or an added finding's, or no flag's earlier id, is left as it is."""
    if "legacy_flag_id" not in flags or not len(decisions):
        return decisions, []
    earlier = dict(zip(flags["legacy_flag_id"].astype(str), flags["flag_id"].astype(str)))
    ids = decisions["flag_id"].astype(str)
    moved = ((decisions["decision"] != "added").to_numpy(dtype=bool) & ~ids.isin(known).to_numpy(dtype=bool)
             & ids.isin(earlier.keys()).to_numpy(dtype=bool))
    if not moved.any():
        return decisions, []
    out = decisions.copy()
    new = ids[moved].map(earlier)
    notes = [{"file": DECISIONS_FILE, "row": row, "flag_id": current, "problem": EARLIER_ID_NOTE.format(old=old, new=current)}
             for row, old, current in zip(out.loc[moved, "row"], ids[moved], new)]
    out.loc[moved, "flag_id"] = new.to_numpy()
    out["current"] = ~out["flag_id"].duplicated(keep="last")
    return conform(out, DECISION_COLUMNS)[list(DECISION_COLUMNS)], notes


#: the note `load_decisions` lists for a decision carried over to its flag's new id: the flag's trigger contact
#: (the same file, sheet, row and text) is read as another contact type than when the decision was recorded (a
#: better type reading in a new release), and the id, made from the contact's content, changed with it
CARRIED_NOTE = ("decision recorded on flag {old}, which the rules no longer raise under that id: its trigger contact "
                "({event}) is the same, read as another contact type (now {type}), which changed the flag's id: "
                "carried over to flag {new}")
#: the problem `load_decisions` lists when a decision's earlier id could be that of several current flags
AMBIGUOUS_NOTE = ("decision recorded on flag {old}, which the rules no longer raise under that id: read as another "
                  "contact type, its trigger contact could be that of each of flags {candidates}: not carried over "
                  "(the right flag cannot be told): decide that flag again")

#: the note `load_decisions` lists for a decision carried over by its trigger's row: the flag of the same rule
#: whose trigger is the row the decision recorded (file, sheet, row), its text as it was (the earlier id is
#: made again from it), its agency or date read differently now (a new release's reading), which changed the id
ROW_CARRIED_NOTE = ("decision recorded on flag {old}, which the rules no longer raise under that id: its trigger "
                    "contact ({event}: the same file, sheet and row, the same text) is read differently now "
                    "({changed}), which changed the flag's id: carried over to flag {new}")
#: (s20, QA8) ROW_CARRIED_NOTE for a contact whose description is newly read (a profile maps its column, which no
#: field read when the decision was recorded): the rest of its text the same
ROW_DESCRIBED_NOTE = ("decision recorded on flag {old}, which the rules no longer raise under that id: its trigger "
                      "contact ({event}: the same file, sheet and row, the rest of its text the same) now has a "
                      "description read from a column no field read before (a profile naming it?): {changed}, which "
                      "changed the flag's id: carried over to flag {new}")
#: the problem `load_decisions` lists when the row a decision recorded triggers several flags of its rule that
#: its earlier id could be
ROW_AMBIGUOUS_NOTE = ("decision recorded on flag {old}, which the rules no longer raise under that id: its trigger "
                      "contact ({event}) is read differently now, and it triggers each of flags {candidates}, which "
                      "it could be: not carried over (the right flag cannot be told): decide that flag again")
#: the problem `load_decisions` lists when the row a decision recorded triggers a flag of its rule whose id the
#: earlier one cannot be made from, however its agency, date or type is read: its text was edited (or read
#: in a way not tried): the decision stays where it was, for the reviewers to look at again
ROW_NOT_CARRIED_NOTE = ("decision recorded on flag {old}, which the rules no longer raise under that id: its trigger "
                        "contact's row ({event}) now triggers flag {candidates}, but the earlier id cannot be made "
                        "from that contact as it reads now (its text was edited?): the decision stays on its earlier "
                        "id; if it is the same contact, decide that flag again")

_ROW_NOT_CARRIED_TEXT = "but the earlier id cannot be made from that contact as it reads now"
_RULE_FLAG_ID = re.compile(r"(?P<rule>[a-z][a-z0-9_]*)-[0-9a-f]{12}")
_CARRIED = re.compile(r"decision recorded on flag (?P<old>\S+), .* carried over to flag (?P<new>\S+)")


def carried_over(problems: pd.DataFrame | None) -> list[dict]:
    """[{row, from, to}]: the decisions `load_decisions` carried over from a flag's earlier id to its current one
    (CARRIED_NOTE), from the problems it listed (also once a view has anonymised the ids), in row order."""
    if problems is None or not len(problems) or "problem" not in problems or "row" not in problems:
        return []
    out = []
    for row, text in zip(problems["row"], problems["problem"].astype("string").fillna("")):
        match = _CARRIED.fullmatch(str(text))
        if match:
            out.append({"row": None if pd.isna(row) else int(row), "from": match["old"], "to": match["new"]})
    return sorted(out, key=lambda c: (c["row"] is None, c["row"] or 0))


def _carried_over(decisions: pd.DataFrame, flags: pd.DataFrame, timeline: pd.DataFrame | None,
                  known: set, case_dir=None) -> tuple[pd.DataFrame, list[dict]]:
    """`decisions` with each accept or reject on a flag id the rules no longer raise carried over to the flag
    it was recorded on, when that flag's id changed only because its trigger contact's type is read
    differently now; and the notes (CARRIED_NOTE, AMBIGUOUS_NOTE), listed with the decision problems.

    A flag id is the hash of the rule, the variant and the trigger's content, contact type included
    (`review.rules.base.flag_id`): an earlier id is matched by making each current flag's id again with
    every other contact type (`_retyped_ids`) — the same rule, variant, case, agency, date, description and
    action, the contact's own text, so an edited text is never matched. A decision whose
    trigger_event_id names the trigger's file, sheet and row picks the flag on that contact when several
    match; when several still do, nothing is guessed: AMBIGUOUS_NOTE lists them and the decision stays on
    its earlier id (in force for no flag).

    A decision whose earlier id no contact-type reading gives, and that recorded its trigger_event_id (the
    trigger's file, sheet and row), is carried over by that row (`_by_row`, ROW_CARRIED_NOTE) when the row is
    now the trigger of a flag of the same rule whose id the earlier one is made from again with the contact's
    text as it is and its agency, date or date precision read another way (the agency or date reading
    changed); when several such flags could be the one, ROW_AMBIGUOUS_NOTE; when the row's flag cannot give
    the earlier id however it is read (its text was edited), ROW_NOT_CARRIED_NOTE, and the decision stays.
    `flags` needs ``flag_variant`` (`detect(..., legacy_ids=True)`); `case_dir`: the case whose vocabulary's agency
    names and aliases are tried as the agency's earlier readings too."""
    if (timeline is None or not len(decisions) or not len(flags) or "flag_variant" not in flags
            or "event_id" not in timeline.columns):
        return decisions, []
    ids = decisions["flag_id"].astype("string").fillna("").astype(str)
    lost = (decisions["decision"].astype("string").fillna("") != "added").to_numpy(dtype=bool) \
        & ~ids.isin(known).to_numpy(dtype=bool)
    rules = {m["rule"] for old in ids[lost] if (m := _RULE_FLAG_ID.fullmatch(old))}
    if not rules:
        return decisions, []
    candidates = flags[flags["rule_id"].astype("string").isin(rules).to_numpy(dtype=bool)]
    retyped = _retyped_ids(candidates, timeline)
    recorded = decisions["trigger_event_id"].astype("string").fillna("").str.strip().to_numpy(dtype=object)
    out_ids = ids.to_numpy(dtype=object).copy()
    notes = []
    cache: dict = {}  # what `_reread_ids` reads of the case once (its agency names, texts)
    for i in np.flatnonzero(lost):
        matches = retyped.get(out_ids[i], {})
        if len(matches) > 1 and recorded[i]:  # the same file, sheet and row as recorded
            same = {new: m for new, m in matches.items() if m[0] == recorded[i]}
            matches = same or matches
        row = decisions["row"].iloc[i]
        if len(matches) == 1:
            (new, (event, kind)), = matches.items()
            notes.append({"file": DECISIONS_FILE, "row": row, "flag_id": new,
                          "problem": CARRIED_NOTE.format(old=out_ids[i], event=event, type=kind or "none", new=new)})
            out_ids[i] = new
        elif matches:
            notes.append({"file": DECISIONS_FILE, "row": row, "flag_id": out_ids[i],
                          "problem": AMBIGUOUS_NOTE.format(old=out_ids[i], candidates=", ".join(sorted(matches)))})
        elif recorded[i]:  # the same row, read differently (agency, date): `_reread_ids`
            new, note = _by_row(out_ids[i], recorded[i], candidates, timeline, case_dir, cache)
            if note:
                notes.append({"file": DECISIONS_FILE, "row": row, "flag_id": new or out_ids[i], "problem": note})
            if new:
                out_ids[i] = new
    if (out_ids == ids.to_numpy(dtype=object)).all():
        return decisions, notes
    out = decisions.copy()
    out["flag_id"] = pd.array(out_ids, dtype="string")
    out["current"] = ~out["flag_id"].duplicated(keep="last")
    return conform(out, DECISION_COLUMNS)[list(DECISION_COLUMNS)], notes


def _by_row(old: str, event: str, flags: pd.DataFrame, timeline: pd.DataFrame, case_dir=None,
            cache: dict | None = None) -> tuple[str | None, str | None]:
    """(the flag id a decision on `old` is carried over to, or None; the note to list, or None) for a decision
    recorded on the contact of row `event` (its trigger_event_id, the hash of its file, sheet and row): the
    flags of `old`'s rule triggered by that row, kept when `old` is made again from the contact's text as it
    is now and its agency, date, date precision or type read another way (`_reread_ids`)."""
    rule = _RULE_FLAG_ID.fullmatch(old)
    if rule is None or not len(flags):
        return None, None
    on_row = flags[((flags["rule_id"].astype("string") == rule["rule"])
                    & (flags["trigger_event_id"].astype("string") == event)).to_numpy(dtype=bool)]
    if not len(on_row):
        return None, None
    found = {}
    for new, variant in zip(on_row["flag_id"].astype(str), on_row["flag_variant"].astype("string").fillna("").astype(str)):
        changed = _reread_ids(old, rule["rule"], variant, event, timeline, case_dir,
                              cache if cache is not None else {})
        if changed is not None and new != old:
            found[new] = changed
    if len(found) == 1:
        (new, changed), = found.items()
        note = ROW_DESCRIBED_NOTE if changed.startswith("description ") else ROW_CARRIED_NOTE
        return new, note.format(old=old, event=event, changed=changed, new=new)
    if found:
        return None, ROW_AMBIGUOUS_NOTE.format(old=old, event=event, candidates=", ".join(sorted(found)))
    return None, ROW_NOT_CARRIED_NOTE.format(old=old, event=event,
                                             candidates=", ".join(sorted(on_row["flag_id"].astype(str))))


#: the date precisions `_reread_ids` tries besides those of the case's contacts
_PRECISIONS = ("", "day", "month", "year", "season", "approximate", "unknown")


def _agency_names(case_dir) -> list[str]:
    """Every agency name and alias of the case's vocabulary (the package's and its vocab.yml), as written."""
    from .ingest.load import _load_vocab
    from .errors import ReviewError

    try:
        agencies = (_load_vocab(case_dir) or {}).get("agencies") or {}
    except (ReviewError, OSError):
        return []
    names = []
    for name, entry in agencies.items():
        names.append(" ".join(str(name).split()))
        aliases = (entry or {}).get("aliases") if isinstance(entry, dict) else None
        names += [" ".join(str(a).split()) for a in (aliases if isinstance(aliases, list) else [])]
        if isinstance(entry, dict) and entry.get("organisation"):
            names.append(" ".join(str(entry["organisation"]).split()))
    return names


def _reread_ids(old: str, rule: str, variant: str, event: str, timeline: pd.DataFrame, case_dir=None,
                cache: dict | None = None) -> str | None:
    """How contact `event` was read when the id `old` was made from it ("agency 'X' (now 'Y'), date ..."), or
    None when `old` is not its flag's id (`rule`, `variant`) however its agency (any agency or organisation
    of the case, any name or alias of its vocabulary), date (as read, at the start of its month or year, day and month swapped, its date text read
    day or month first, none), date precision or contact type is read: only its text is taken as it is, so
    a contact whose text was edited is never matched. Runs for a decision stranded on an earlier id only."""
    from .rules.base import ANCHOR_SEP, anchor_date, anchor_text, content_anchor, content_key, flag_id

    rows = timeline[(timeline["event_id"].astype("string") == event).to_numpy(dtype=bool)]
    if not len(rows):
        return None
    row = rows.iloc[0]

    def cell(name):
        value = row.get(name) if name in rows.columns else None
        return None if value is None or value is pd.NA or (not isinstance(value, str) and pd.isna(value)) else value

    def distinct(name):
        return [str(v) for v in pd.unique(timeline[name].dropna().astype(str))] if name in timeline.columns else []

    cache = cache if cache is not None else {}
    if "agencies" not in cache:
        cache["agencies"] = list(dict.fromkeys([*distinct("agency"), *distinct("organisation"), *_agency_names(case_dir),
                                                ""]))
    agencies = list(dict.fromkeys([str(cell("agency") or ""), *cache["agencies"]]))
    dates = [cell("date")]
    if dates[0] is not None:
        day = pd.Timestamp(dates[0])
        dates += [day.normalize(), day.replace(day=1).normalize(), day.replace(month=1, day=1).normalize()]
        if day.day <= 12:
            dates.append(day.replace(month=day.day, day=day.month).normalize())
    if cell("date_end") is not None:
        dates.append(pd.Timestamp(cell("date_end")))
    if cell("date_text") is not None:
        import warnings

        for dayfirst in (True, False):
            try:
                with warnings.catch_warnings():  # (pandas warns when the text reads only one way)
                    warnings.simplefilter("ignore")
                    dates.append(pd.Timestamp(pd.to_datetime(str(cell("date_text")), dayfirst=dayfirst)))
            except (ValueError, TypeError, OverflowError):
                pass
    dates.append(None)
    dates = list({content_key("", "", d, "", "", "", ""): d for d in dates}.values())  # distinct readings
    precisions = list(dict.fromkeys([str(cell("date_precision") or ""), *distinct("date_precision"), *_PRECISIONS]))
    kinds = list(dict.fromkeys([str(cell("contact_type") or ""), ""]))  # (another type alone: `_retyped_ids`)
    description, action = str(cell("description") or ""), str(cell("action") or "")
    # the action as an earlier release read it: none (its column, "Contact / Referral outcome", was read by no
    # field), or its first column's text alone (a further column now follows it under its header, "...\nOutcome:
    # Open"); the description as it is
    actions = list(dict.fromkeys([action, "", action.split("\n", 1)[0]]))
    # (s20, QA8) the description as read before its column was (a profile now maps "Detail", which no field
    # read: the text was kept among the other columns): none, the contact's text otherwise as it is
    descriptions = list(dict.fromkeys([description, ""]))
    texts = [(anchor_text(d), anchor_text(a), d, a) for d in descriptions for a in actions]
    # without its description the contact's type may have been read otherwise (from the other text): any type of
    # the case's contacts is tried with a description newly read
    unread_kinds = list(dict.fromkeys([*kinds, "other", *distinct("contact_type")]))
    if {"description", "action"} <= set(timeline.columns) and "texts" not in cache:
        # each contact's text as the anchor reads it, read once per distinct text
        cache["texts"] = tuple(column.map(dict(zip(values, (anchor_text(v) for v in values))))
                               for column in (timeline["description"].astype("string").fillna(""),
                                              timeline["action"].astype("string").fillna(""))
                               for values in [column.unique()])
    # `content_key`'s parts, each read once: the case, then agency, date, precision and type tried, then the text
    case_id = content_key(cell("case_id"), "", None, "", "", "", "").split(ANCHOR_SEP)[0]
    days = [(date, anchor_date(date)) for date in dates]
    for text_d, text_a, written_d, written in texts:
        # the occurrences the earlier key could have had: the contacts of the case with the same text
        same = 1
        if "texts" in cache:
            descriptions, actions_read = cache["texts"]
            same = max(int(((descriptions == text_d) & (actions_read == text_a)).sum()), 1)
        for agency in agencies:
            for date, day in days:
                for precision in precisions:
                    for kind in (unread_kinds if written_d != description else kinds):
                        key = ANCHOR_SEP.join((case_id, agency, day, precision, kind, text_d, text_a))
                        for occurrence in range(1, same + 1):
                            if flag_id(rule, content_anchor(key, occurrence), variant) == old:
                                return _reading_changes(row, agency, date, precision, kind,
                                                        None if written == action else written,
                                                        None if written_d == description else written_d)
    return None


def _reading_changes(row, agency, date, precision, kind, action=None, description=None) -> str:
    """What differs between the earlier reading of a contact and `row` as read now, for ROW_CARRIED_NOTE
    (`action`, `description`: the action or description as read then, when it was read otherwise)."""
    from .rules.base import anchor_date

    def text(value):
        return "none" if value is None or value == "" or (not isinstance(value, str) and pd.isna(value)) else str(value)

    out = []
    if description is not None:  # (s20) a description column newly read (a profile naming it)
        out.append(f"description {_short(description)}, now {_short(row.get('description'))}")
    if action is not None:
        out.append(f"action {_short(action)}, now {_short(row.get('action'))}")
    if text(agency) != text(row.get("agency")):
        out.append(f"agency {text(agency)!r}, now {text(row.get('agency'))!r}")
    if anchor_date(date) != anchor_date(row.get("date")) or text(precision) != text(row.get("date_precision")):
        before = f"{anchor_date(date)[:10] or 'none'} ({text(precision)})"
        now = f"{anchor_date(row.get('date'))[:10] or 'none'} ({text(row.get('date_precision'))})"
        out.append(f"date {before}, now {now}")
    if text(kind) != text(row.get("contact_type")):
        out.append(f"contact type {text(kind)}, now {text(row.get('contact_type'))}")
    return "; ".join(out) or "read the same"


def _short(value, limit: int = 40) -> str:
    """A cell's text for a note: "none" when blank, else quoted, cut to `limit` characters."""
    if value is None or (not isinstance(value, str) and pd.isna(value)) or not str(value).strip():
        return "none"
    value = " ".join(str(value).split())
    return repr(value if len(value) <= limit else value[:limit - 3] + "...")


def _retyped_ids(flags: pd.DataFrame, timeline: pd.DataFrame) -> dict[str, dict[str, tuple[str, str]]]:
    """{id: {flag id: (trigger event id, its contact type now)}}: for each of `flags`, the ids it would have
    had with its trigger contact read as each other contact type (`review.schema.CONTACT_TYPES`, or none), at
    each occurrence its content could then have had among the case's contacts (`content_anchor`). Only the
    contacts on the triggers' days are read."""
    from .rules.base import content_anchor, content_key, flag_id
    from .schema import CONTACT_TYPES

    if not len(flags) or "trigger_event_id" not in flags:
        return {}
    triggers = flags["trigger_event_id"].astype("string").fillna("").astype(str)
    events = timeline["event_id"].astype("string").fillna("").astype(str)
    rows = timeline.loc[events.isin(set(triggers)).to_numpy(dtype=bool)].drop_duplicates("event_id")
    if not len(rows):
        return {}
    parts = ("case_id", "agency", "date", "date_precision", "contact_type", "description", "action")

    def values(frame, name):
        return frame[name].tolist() if name in frame.columns else [None] * len(frame)

    def untyped(found):  # the content key without the type: the contacts that could share an anchor
        return content_key(*found[:4], "", *found[5:])

    # identical contacts (but for the type) are numbered in source order: how many there are on each day
    same_day = timeline.loc[timeline["date"].isin(set(rows["date"].dropna())).to_numpy(dtype=bool)] \
        if "date" in timeline.columns else timeline
    counts: dict[str, int] = {}
    for found in zip(*(values(same_day, c) for c in parts)):
        key = untyped(found)
        counts[key] = counts.get(key, 0) + 1
    contact = {str(e): k for e, k in zip(values(rows, "event_id"), zip(*(values(rows, c) for c in parts)))}
    types = ("", *CONTACT_TYPES)
    out: dict[str, dict[str, tuple[str, str]]] = {}
    for new, rule, trigger, variant in zip(flags["flag_id"].astype(str), flags["rule_id"].astype(str), triggers,
                                           flags["flag_variant"].astype("string").fillna("").astype(str)):
        found = contact.get(trigger)
        if found is None:
            continue
        base = untyped(found)
        now = "" if found[4] is None or found[4] is pd.NA else str(found[4])
        for kind in types:
            if kind == now:
                continue
            key = content_key(*found[:4], kind, *found[5:])
            for occurrence in range(1, max(counts.get(base, 1), 1) + 1):
                old = flag_id(rule, content_anchor(key, occurrence), variant)
                if old != new:
                    out.setdefault(old, {})[new] = (trigger, now)
    return out


#: the note `load_decisions` lists for a decision carried over to the flag its own was merged into: the rule now
#: raises one flag where it raised several (one per unanswered pattern, one per decision), which keeps the id of
#: one of them and lists the others' triggers as its evidence; the earlier id is made again from that evidence
#: contact and the flag's variant, so the contact is the same one, read the same
MERGED_NOTE = ("decision recorded on flag {old}, which the rules no longer raise under that id: its trigger contact "
               "({event}) is now evidence of flag {new} of the same rule, which the rules raise in its place (one "
               "flag where there were several: check the decision holds for the flag's other evidence too): "
               "carried over to flag {new}")
#: the problem listed instead for a rejection: the flag now lists other concerns or injuries it did not weigh
MERGED_REJECT_NOTE = ("rejection recorded on flag {old}, which the rules no longer raise under that id: its trigger "
                      "contact ({event}) is now evidence of flag {new} of the same rule (one flag where there were "
                      "several), which lists other evidence too: a rejection is not carried over to it (an "
                      "acceptance is): decide flag {new} again")
#: the problem listed instead when the flag it merged into has its own decision: that one is kept
MERGED_OWN_NOTE = ("decision recorded on flag {old}, which the rules no longer raise under that id: its trigger "
                   "contact ({event}) is now evidence of flag {new} of the same rule (one flag where there were "
                   "several), which has its own decision ({own}, {file} row {own_row}){agree}: not carried over, "
                   "the flag keeps its own decision")
#: the problem listed instead when decisions on several flags merged into one disagree: none is carried over
MERGED_DISAGREE_NOTE = ("decision recorded on flag {old}, which the rules no longer raise under that id: its trigger "
                        "contact ({event}) is now evidence of flag {new} of the same rule (one flag where there were "
                        "several), to which decisions on other flags merged into it would be carried too, and they "
                        "disagree ({others}): none is carried over, the flag is pending: decide it again")
#: the problem listed instead when the earlier id is made again from the evidence of several flags of its rule
MERGED_AMBIGUOUS_NOTE = ("decision recorded on flag {old}, which the rules no longer raise under that id: its trigger "
                         "contact is now evidence of each of flags {candidates} of the same rule, which it could be: "
                         "not carried over (the right flag cannot be told): decide that flag again")


def _merged_into(decisions: pd.DataFrame, flags: pd.DataFrame, timeline: pd.DataFrame | None,
                 known: set) -> tuple[pd.DataFrame, list[dict]]:
    """`decisions` with each acceptance still on a flag id the rules no longer raise (after `_earlier_ids` and
    `_carried_over`) carried over to the flag of the same rule that its flag was merged into, and the notes
    (MERGED_NOTE, or why not: MERGED_REJECT_NOTE, MERGED_OWN_NOTE, MERGED_DISAGREE_NOTE, MERGED_AMBIGUOUS_NOTE).
    A rejection is listed, not carried: it weighed one concern or injury, and the flag now lists others too.

    A rule that raised one flag per trigger may now raise one flag where it raised several (repeated_injury_or_ae:
    one per unanswered pattern; information_not_shared: one per decision): the flag kept has its own trigger
    and id, and the others' triggers are its evidence. The earlier id is found by making each current flag's id
    again from each of its evidence contacts (`review.rules.base.flag_id` of the rule, the contact's content
    anchor, the flag's variant): the contact's text as it is now, so an edited text is never matched. When
    several flags give it, the one with the decision's recorded trigger_event_id among its evidence is kept;
    when several still do, nothing is guessed. A flag that has its own decision keeps it (the carried one is
    listed, not applied); decisions carried to one flag from several flags that disagree (accepted and
    rejected) are none of them applied, and listed: the reviewers decide the flag again. Decisions that agree
    are all carried (the latest in file order is in force, as for any flag)."""
    if timeline is None or not len(decisions) or not len(flags) or "flag_variant" not in flags \
            or "evidence_event_ids" not in flags or "event_id" not in timeline.columns:
        return decisions, []
    ids = decisions["flag_id"].astype("string").fillna("").astype(str)
    lost = ((decisions["decision"].astype("string").fillna("") != "added").to_numpy(dtype=bool)
            & ~ids.isin(known).to_numpy(dtype=bool))
    rules = {m["rule"] for old in ids[lost] if (m := _RULE_FLAG_ID.fullmatch(old))}
    if not rules:
        return decisions, []
    candidates = flags[flags["rule_id"].astype("string").isin(rules).to_numpy(dtype=bool)]
    earlier = _evidence_ids(candidates, timeline)  # {earlier id: {flag id: evidence event}}
    recorded = decisions["trigger_event_id"].astype("string").fillna("").str.strip().to_numpy(dtype=object)
    target: dict[int, tuple[str, str]] = {}  # position -> (flag id, the evidence contact)
    notes = []
    for i in np.flatnonzero(lost):
        matches = earlier.get(ids.iloc[i], {})
        if len(matches) > 1 and recorded[i]:
            matches = {new: e for new, e in matches.items() if e == recorded[i]} or matches
        if len(matches) == 1:
            target[i] = next(iter(matches.items()))
        elif matches:
            notes.append({"file": DECISIONS_FILE, "row": decisions["row"].iloc[i], "flag_id": ids.iloc[i],
                          "problem": MERGED_AMBIGUOUS_NOTE.format(old=ids.iloc[i], candidates=", ".join(sorted(matches)))})
    if not target:
        return decisions, notes
    kinds = decisions["decision"].astype("string").fillna("").astype(str).to_numpy(dtype=object)
    rows = decisions["row"].to_numpy()
    out_ids = ids.to_numpy(dtype=object).copy()
    by_flag: dict[str, list[int]] = {}
    for i, (new, _) in target.items():
        by_flag.setdefault(new, []).append(i)
    for new, positions in by_flag.items():
        own = np.flatnonzero((ids.to_numpy(dtype=object) == new) & (kinds != "added"))
        # each earlier flag's decision in force (its latest row), in file order
        latest = {ids.iloc[i]: i for i in sorted(positions)}
        verdicts = {kinds[i] for i in latest.values()}
        for i in positions:
            old, event = ids.iloc[i], target[i][1]
            if len(own):
                j = own[-1]
                agree = " (the same decision)" if kinds[j] == kinds[i] else f" (this one {kinds[i]})"
                problem = MERGED_OWN_NOTE.format(old=old, event=event, new=new, own=kinds[j], file=DECISIONS_FILE,
                                                 own_row=rows[j], agree=agree)
            elif len(verdicts) > 1:
                others = "; ".join(f"{kinds[j]} on {o} ({DECISIONS_FILE} row {rows[j]})" for o, j in latest.items())
                problem = MERGED_DISAGREE_NOTE.format(old=old, event=event, new=new, others=others)
            elif kinds[i] == "rejected":
                # a rejection of one concern or injury is no rejection of the others the flag now lists: listed,
                # not applied (an acceptance holds: the missed escalation point it accepted is in the flag)
                problem = MERGED_REJECT_NOTE.format(old=old, event=event, new=new)
            else:
                problem = MERGED_NOTE.format(old=old, event=event, new=new)
                out_ids[i] = new
            notes.append({"file": DECISIONS_FILE, "row": rows[i], "flag_id": out_ids[i], "problem": problem})
    notes.sort(key=lambda n: int(n["row"]))
    if (out_ids == ids.to_numpy(dtype=object)).all():
        return decisions, notes
    out = decisions.copy()
    out["flag_id"] = pd.array(out_ids, dtype="string")
    out["current"] = ~out["flag_id"].duplicated(keep="last")
    return conform(out, DECISION_COLUMNS)[list(DECISION_COLUMNS)], notes


#: (s21, QA Leah) the note `load_decisions` lists for a decision of an older layout, with no trigger contact recorded
#: (trigger_event_id blank: the rule, the date and the contacts only), carried over to the one flag its contacts give
LAYOUT_CARRIED_NOTE = ("decision recorded on flag {old}, which the rules no longer raise under that id, in an older "
                       "layout with no trigger contact (no trigger_event_id column): the one flag of its rule {rule} "
                       "raised by its date whose contacts include those it recorded ({events}), and that no other "
                       "decision is on, is {new} (check it is the same contact: its text may have been edited since): "
                       "carried over to flag {new}")
#: ...and when its contacts are those of several such flags, or it recorded none (its rule and date only)
LAYOUT_AMBIGUOUS_NOTE = ("decision recorded on flag {old}, which the rules no longer raise under that id, in an older "
                         "layout with no trigger contact (no trigger_event_id column): {what} of each of flags "
                         "{candidates} "
                         "of its rule {rule}: not carried over (the right flag cannot be told): decide that flag again")


def _older_layout(path: Path) -> bool:
    """Is the decisions file of the older layout, its header without a trigger_event_id column (its rows name their
    flag by its id, rule, date and contacts only)? A file of the current layout whose row leaves the cell blank is
    not: `review decide` records the trigger, and without it nothing is guessed (`_carried_over`)."""
    first = next(iter(io.StringIO(decisions_text(path), newline="")), "")
    header = next(csv.reader([first]), [])
    return "trigger_event_id" not in {restore(h).strip().lower() for h in header}


def _by_contacts(decisions: pd.DataFrame, flags: pd.DataFrame, known: set) -> tuple[pd.DataFrame, list[dict]]:
    """`decisions` (a file of the older layout, `_older_layout`) with each accept or reject — its trigger_event_id
    blank, its flag id one the
    rules no longer raise (after `_earlier_ids`, `_carried_over` and `_merged_into`) — carried over to the flag it
    was about when exactly one flag can be it (LAYOUT_CARRIED_NOTE), and the notes (LAYOUT_AMBIGUOUS_NOTE when
    several can; none when none can: the row is then listed as on a flag not raised, as ever).

    The candidates are the flags of its rule (its rule_id cell, else its flag id's rule), triggered no later than
    the decision's date (a decision is on a flag raised before it), on which no other decision row is: a row that
    recorded contacts (evidence_event_ids) is on a flag whose trigger and evidence contacts include them all; a row
    that recorded none (its rule and date only) is carried over by no guess: its candidates are listed. The
    contacts are the rows' event ids as recorded (an older layout wrote the flag's contacts, the trigger among them
    or not): a chronology resubmitted since, its rows moved, gives no match, and the row stays where it was."""
    if not len(decisions) or not len(flags) or "trigger_event_id" not in flags or "evidence_event_ids" not in flags:
        return decisions, []
    ids = decisions["flag_id"].astype("string").fillna("").astype(str)
    recorded = decisions["trigger_event_id"].astype("string").fillna("").str.strip()
    lost = ((decisions["decision"].astype("string").fillna("") != "added").to_numpy(dtype=bool)
            & ~ids.isin(known).to_numpy(dtype=bool) & (recorded == "").to_numpy(dtype=bool))
    if not lost.any():
        return decisions, []
    decided = set(ids[~lost])  # flags another decision row is on
    flag_rules = flags["rule_id"].astype("string").fillna("").astype(str).to_numpy(dtype=object)
    flag_ids = flags["flag_id"].astype("string").fillna("").astype(str).to_numpy(dtype=object)
    contacts = [set(split_multi(e)) | {str(t)} for t, e in zip(flags["trigger_event_id"].astype("string").fillna(""),
                                                              flags["evidence_event_ids"].astype("string").fillna(""))]
    triggered = pd.to_datetime(flags["trigger_date"], errors="coerce") if "trigger_date" in flags \
        else pd.Series(pd.NaT, index=flags.index)
    out_ids = ids.to_numpy(dtype=object).copy()
    notes = []
    for i in np.flatnonzero(lost):
        record = decisions.iloc[i]
        rule = str(record["rule_id"] if pd.notna(record["rule_id"]) else "").strip()
        if not rule and (m := _RULE_FLAG_ID.fullmatch(ids.iloc[i])):
            rule = m["rule"]
        if not rule:
            continue
        events = set(split_multi(str(record["evidence_event_ids"] if pd.notna(record["evidence_event_ids"]) else "")))
        when = record["date"]
        ok = (flag_rules == rule) & ~np.isin(flag_ids, list(decided))
        if pd.notna(when):
            ok &= ~(triggered > when).fillna(False).to_numpy(dtype=bool)
        if events:
            ok &= np.array([events <= c for c in contacts], dtype=bool)
        candidates = sorted(dict.fromkeys(flag_ids[ok]))
        if not candidates:
            continue
        shown = ", ".join(sorted(events))
        if events and len(candidates) == 1:
            new = candidates[0]
            notes.append({"file": DECISIONS_FILE, "row": record["row"], "flag_id": new,
                          "problem": LAYOUT_CARRIED_NOTE.format(old=ids.iloc[i], rule=rule, events=shown, new=new)})
            out_ids[i] = new
            decided.add(new)
        else:
            what = f"its recorded contacts ({shown}) are those" if events else \
                "it recorded no contacts (its rule and date only): it could be the flag"
            notes.append({"file": DECISIONS_FILE, "row": record["row"], "flag_id": ids.iloc[i],
                          "problem": LAYOUT_AMBIGUOUS_NOTE.format(old=ids.iloc[i], what=what,
                                                                  candidates=", ".join(candidates), rule=rule)})
    if (out_ids == ids.to_numpy(dtype=object)).all():
        return decisions, notes
    out = decisions.copy()
    out["flag_id"] = pd.array(out_ids, dtype="string")
    out["current"] = ~out["flag_id"].duplicated(keep="last")
    return conform(out, DECISION_COLUMNS)[list(DECISION_COLUMNS)], notes


def _evidence_ids(flags: pd.DataFrame, timeline: pd.DataFrame) -> dict[str, dict[str, str]]:
    """{id: {flag id: evidence event id}}: for each of `flags`, the id it would have had with each of its
    evidence contacts (its trigger aside) as its trigger — the rule, the contact's content anchor (its content
    key and its occurrence among the case's identical contacts in source order, `content_anchor`), the flag's
    variant. Only the contacts on the evidence contacts' days are read."""
    from .rules.base import content_anchor, content_key, flag_id, source_order_key

    evidence = [split_multi(e) for e in flags["evidence_event_ids"].astype("string").fillna("")]
    wanted = {e for ids in evidence for e in ids}
    if not wanted:
        return {}
    events = timeline["event_id"].astype("string").fillna("").astype(str)
    rows = timeline.loc[events.isin(wanted).to_numpy(dtype=bool)]
    if "date" in timeline.columns:  # a content key holds the date: identical contacts share a day
        days = set(rows["date"].dropna())
        near = timeline.loc[(timeline["date"].isin(days) | timeline["date"].isna()).to_numpy(dtype=bool)]
    else:
        near = timeline

    def column(name):
        return near[name].tolist() if name in near.columns else [None] * len(near)

    keys = [content_key(*r) for r in zip(*(column(c) for c in ("case_id", "agency", "date", "date_precision",
                                                                "contact_type", "description", "action")))]
    order_parts = [column(c) for c in ("source_file", "source_sheet", "source_row", "event_id")]
    order = sorted(range(len(keys)), key=lambda i: source_order_key(*(c[i] for c in order_parts)))
    near_events = [str(e) for e in column("event_id")]
    seen: dict[str, int] = {}
    anchor: dict[str, str] = {}
    for i in order:
        seen[keys[i]] = seen.get(keys[i], 0) + 1
        if near_events[i] in wanted and near_events[i] not in anchor:
            anchor[near_events[i]] = content_anchor(keys[i], seen[keys[i]])
    out: dict[str, dict[str, str]] = {}
    for new, rule, trigger, variant, ids in zip(flags["flag_id"].astype(str), flags["rule_id"].astype(str),
                                                flags["trigger_event_id"].astype("string").fillna("").astype(str),
                                                flags["flag_variant"].astype("string").fillna("").astype(str), evidence):
        for event in ids:
            if event == trigger or event not in anchor:
                continue
            old = flag_id(rule, anchor[event], variant)
            if old != new:
                out.setdefault(old, {})[new] = event
    return out


#: the columns of a decision row that name the flag's contacts by their event id (file, sheet and row)
CONTACT_COLUMNS = ("trigger_event_id", "evidence_event_ids")


def current_contacts(decisions: pd.DataFrame, flags: pd.DataFrame) -> pd.DataFrame:
    """`decisions` with each accept or reject row on a flag of `flags` (by flag_id) naming the flag's current
    trigger and evidence contacts (`CONTACT_COLUMNS`) where the ones it records differ.

    `review decide` records the event ids of the flag as it was decided; an event id is the contact's row
    (case, file, sheet, row), so an agency resubmitting its chronology with a row inserted above the
    trigger leaves the row naming another contact. The flag id is made from the trigger contact's
    content (`review.rules.base.content_anchor`): a decision still on a raised flag is on the same contact,
    and its contacts are the flag's as they are now. `review decisions migrate` writes them to the file.
    Rows with the columns blank (filled for display by `with_flag_details`), added findings and rows on a
    flag not raised are left as they are."""
    present = [c for c in CONTACT_COLUMNS if c in flags.columns and c in decisions.columns]
    if not present or not len(decisions) or not len(flags) or "flag_id" not in flags.columns:
        return decisions
    flag_ids = flags["flag_id"].astype("string").fillna("").astype(str)
    known = flags.assign(_id=flag_ids.to_numpy())[["_id", *present]].drop_duplicates("_id").set_index("_id")
    ids = decisions["flag_id"].astype("string").fillna("").astype(str).to_numpy()
    on_flag = ((decisions["decision"].astype("string").fillna("") != "added").to_numpy(dtype=bool)
               & np.isin(ids, known.index.to_numpy()))
    current, stale = {}, np.zeros(len(decisions), dtype=bool)
    for column in present:
        now = known[column].reindex(ids).astype("string").fillna("").str.strip().to_numpy(dtype=object)
        recorded = decisions[column].astype("string").fillna("").str.strip().to_numpy(dtype=object)
        stale |= on_flag & (recorded != "") & (recorded != now)
        current[column] = now
    if not stale.any():
        return decisions
    out = decisions.copy()
    for column, now in current.items():
        values = out[column].astype("string").to_numpy(dtype=object)
        values[stale] = now[stale]
        out[column] = pd.array(values, dtype="string")
    return out


def contact_content_ids(timeline: pd.DataFrame) -> dict[str, str]:
    """{event id: its contact's content id} for every contact of `timeline`: a short hash of its content
    anchor (`review.rules.base.content_anchor`: case, agency, date and precision, contact type,
    description and action, spacing and letter case ignored, and which occurrence of identical contacts
    in source order it is), as a flag id is made, so that it follows the contact, not its row."""
    from .rules.base import content_anchor, content_key, source_order_key

    if timeline is None or "event_id" not in timeline.columns or not len(timeline):
        return {}
    rows = timeline.drop_duplicates("event_id")

    def column(name):
        return rows[name].tolist() if name in rows.columns else [None] * len(rows)

    keys = [content_key(*r) for r in zip(*(column(c) for c in ("case_id", "agency", "date", "date_precision",
                                                                "contact_type", "description", "action")))]
    order_parts = [column(c) for c in ("source_file", "source_sheet", "source_row", "event_id")]
    order = sorted(range(len(keys)), key=lambda i: source_order_key(*(c[i] for c in order_parts)))
    events = column("event_id")
    seen: dict[str, int] = {}
    out: dict[str, str] = {}
    for i in order:
        seen[keys[i]] = seen.get(keys[i], 0) + 1
        anchor = content_anchor(keys[i], seen[keys[i]])
        out[str(events[i])] = hashlib.sha256(anchor.encode("utf-8")).hexdigest()[:16]
    return out


def _earlier_content_ids(timeline: pd.DataFrame, event: str) -> set[str]:
    """The content ids (`contact_content_ids`) contact `event` had when an earlier release read its action
    otherwise: none (its column, "Contact / Referral outcome", was read by no field) or its first column's text
    alone (a further column now follows it under its header), at each occurrence its content could have had:
    the same contact, read more now, not one edited on resubmission."""
    from .rules.base import content_anchor, content_key

    if timeline is None or "event_id" not in timeline.columns or not event:
        return set()
    rows = timeline[(timeline["event_id"].astype("string") == event).to_numpy(dtype=bool)]
    if not len(rows):
        return set()
    row = rows.iloc[0]

    def cell(name):
        value = row.get(name) if name in rows.columns else None
        return None if value is None or value is pd.NA or (not isinstance(value, str) and pd.isna(value)) else value

    action = str(cell("action") or "")
    same = int((timeline["description"].astype("string").fillna("") == str(cell("description") or "")).sum()) \
        if "description" in timeline.columns else 1
    out = set()
    for earlier in dict.fromkeys(["", action.split("\n", 1)[0]]):
        if earlier == action:
            continue
        key = content_key(cell("case_id"), cell("agency"), cell("date"), cell("date_precision"), cell("contact_type"),
                          cell("description"), earlier)
        out |= {hashlib.sha256(content_anchor(key, k).encode("utf-8")).hexdigest()[:16] for k in range(1, max(same, 1) + 1)}
    return out


def recorded_contents(path: str | Path) -> dict[int, dict[str, str]]:
    """{row: {trigger_content_id, evidence_content_ids}} of the rows of a decisions file that record them
    (`CONTENT_COLUMNS`); {} for a file without the columns."""
    path = Path(path)
    if not path.exists():
        return {}
    lines = list(io.StringIO(decisions_text(path), newline=""))
    reader = csv.reader(iter(lines), strict=True)
    header = [restore(h).strip().lower() for h in next(reader, [])]
    if not any(c in header for c in CONTENT_COLUMNS):
        return {}
    out = {}
    for cells in reader:
        record = dict(zip(header, [restore(c).strip() for c in cells]))
        if any(record.get(c) for c in CONTENT_COLUMNS):
            out[reader.line_num] = {c: record.get(c, "") for c in CONTENT_COLUMNS}
    return out


def added_contacts(decisions: pd.DataFrame, contents: dict[int, dict[str, str]],
                   timeline: pd.DataFrame) -> tuple[pd.DataFrame, list[dict]]:
    """`decisions` with each added finding's trigger_event_id and evidence_event_ids naming the contacts it
    was recorded on (`contents`: `recorded_contents`, by row), wherever they now are in `timeline`; and the
    problems: a contact whose content is no longer in the timeline (its text was edited) keeps the recorded
    id and is listed. An event id is the
    contact's row: an agency resubmitting its chronology with a row inserted above would otherwise leave the
    finding pointing at the row's new occupant. Rows recorded without content ids (before they were
    recorded, or by hand) are left as they are."""
    if not contents or not len(decisions):
        return decisions, []
    now = contact_content_ids(timeline)
    where = {content: event for event, content in now.items()}
    out = decisions.copy()
    problems = []
    trigger = out["trigger_event_id"].astype("string").fillna("").to_numpy(dtype=object)
    evidence = out["evidence_event_ids"].astype("string").fillna("").to_numpy(dtype=object)
    for i, row in enumerate(out["row"].tolist()):
        recorded = contents.get(int(row))
        if not recorded:
            continue
        lost = []
        content = recorded.get("trigger_content_id", "")
        if content:
            if now.get(str(trigger[i]).strip()) != content:
                if content in where:
                    trigger[i] = where[content]
                elif content not in _earlier_content_ids(timeline, str(trigger[i]).strip()):
                    lost.append(str(trigger[i]).strip())
        ids = split_multi(evidence[i])
        wanted = split_multi(recorded.get("evidence_content_ids", ""))
        if ids and len(wanted) == len(ids):
            moved = []
            for event, content in zip(ids, wanted):
                if content in ("", "-") or now.get(event) == content or content in _earlier_content_ids(timeline, event):
                    moved.append(event)
                elif content in where:
                    moved.append(where[content])
                else:
                    moved.append(event)
                    lost.append(event)
            evidence[i] = MULTI_SEP.join(moved)
        if lost:
            problems.append({"file": DECISIONS_FILE, "row": row, "flag_id": out["flag_id"].iloc[i],
                             "problem": f"the added finding's contact(s) {', '.join(dict.fromkeys(lost))} no longer "
                                        "have the content the finding was recorded on (edited on resubmission?): "
                                        "check the finding's contacts"})
    out["trigger_event_id"] = pd.array(trigger, dtype="string")
    out["evidence_event_ids"] = pd.array(evidence, dtype="string")
    return out, problems


def check_no_unread_decisions(case_dir: str | Path) -> None:
    """Raise DecisionError when the case folder holds decisions.yml (or .yaml, in any letter case).

    Reviewers' decisions are read from decisions.csv only: a decisions.yml would otherwise sit beside the
    case, looking honoured, while every flag it decides stays pending in the report.
    """
    try:
        names = [p.name for p in Path(case_dir).iterdir()]
    except OSError:
        return
    for name in sorted(names):
        if name.lower() in UNREAD_DECISIONS_FILES:
            raise DecisionError(
                f"reviewers' decisions are read from {DECISIONS_FILE} only, and {name} is not read: record each "
                f"decision in {DECISIONS_FILE} (columns {', '.join(REQUIRED_COLUMNS)}; review.decisions."
                f"record_decision or notebook 03 writes it), then remove {name}",
                file=Path(case_dir) / name,
            )


def _unknown_contacts(record, events: set[str]) -> str | None:
    """What is wrong with the contacts an added finding names, given the timeline's event ids; None when
    nothing is."""
    trigger = str(record.trigger_event_id or "").strip()
    if not trigger:
        return "the added finding names no contact (trigger_event_id): it has no date"
    if trigger not in events:
        return (f"the added finding's contact {trigger} is not in the timeline (the data changed, or a typo?): "
                "it has no date")
    unknown = [e for e in split_multi(record.evidence_event_ids) if e not in events]
    if unknown:
        return f"evidence contact(s) {', '.join(unknown)} of the added finding are not in the timeline"
    return None


# ---------------------------------------------------------------------------------------------------
# Writing
# ---------------------------------------------------------------------------------------------------
#: written first: Excel reads a CSV without it as the computer's legacy code page ("BrontÃ«"); the reader
#: (utf-8-sig) skips it
BOM = "\ufeff"


def _csv_line(cells, terminator: str = LINE_TERMINATOR) -> str:
    buffer = io.StringIO(newline="")
    csv.writer(buffer, quoting=csv.QUOTE_MINIMAL, lineterminator=terminator).writerow(
        [neutralise(c) for c in cells]
    )
    return buffer.getvalue()


#: the columns `flag_details` takes from the flag decided
FLAG_DETAIL_COLUMNS = ("rule_id", "trigger_event_id", "evidence_event_ids")


def flag_details(flag) -> dict[str, str]:
    """{rule_id, trigger_event_id, evidence_event_ids} of `flag` (a row of the flags table: a Series, a
    mapping or a namedtuple), as `record_decision` records them beside a decision on it ("" when missing)."""
    get = flag.get if hasattr(flag, "get") else (lambda name, default=None: getattr(flag, name, default))
    out = {}
    for name in FLAG_DETAIL_COLUMNS:
        value = get(name, None)
        out[name] = "" if value is None or (not isinstance(value, str) and pd.isna(value)) else str(value).strip()
    return out


def with_flag_details(decisions: pd.DataFrame, flags: pd.DataFrame | None) -> pd.DataFrame:
    """`decisions` (`load_decisions`) with each accept or reject row's blank rule_id, trigger_event_id and
    evidence_event_ids filled from the flag it decides (`flags`, by flag_id), for a decisions.csv written
    before `review decide` recorded them: what a row records is kept; an added finding's row, and a row on
    a flag not in `flags`, are left as they are. For display (the workbook's Decisions sheet): the file is
    not changed."""
    if decisions is None or not len(decisions) or flags is None or not len(flags) or "flag_id" not in flags:
        return decisions
    present = [c for c in FLAG_DETAIL_COLUMNS if c in flags.columns and c in decisions.columns]
    if not present:
        return decisions
    known = flags.drop_duplicates("flag_id").set_index(flags["flag_id"].drop_duplicates().astype(str))
    out = decisions.copy()
    decided = (out["decision"].astype("string").fillna("") != "added").to_numpy(dtype=bool)
    ids = out["flag_id"].astype("string").fillna("").astype(str).to_numpy()
    for column in present:
        values = known[column].reindex(ids).astype("string").fillna("").to_numpy(dtype=object)
        blank = out[column].astype("string").fillna("").str.strip().eq("").to_numpy(dtype=bool)
        fill = decided & blank & (values != "")
        if fill.any():
            filled = out[column].astype("string").to_numpy(dtype=object)
            filled[fill] = values[fill]
            out[column] = pd.array(filled, dtype="string")
    return out


def record_decision(
    case_dir: str | Path,
    flag_id: str,
    decision: str,
    rationale: str,
    author: str,
    date: dt.date | str | None = None,
    *,
    rule_id: str = "",
    trigger_event_id: str = "",
    evidence_event_ids: str = "",
    timeline: pd.DataFrame | None = None,
) -> str:
    """Append one decision to the case's decisions.csv (created with a header when absent); the rows
    already in it are kept as written (re-serialised only when an older file lacks the added-finding
    columns), and the file is written as UTF-8 with a byte order mark (for Excel).

    `decision`: accepted | rejected | added. For ``added`` (a finding no rule proposed) `flag_id` may be
    blank — a stable ``added:<rule_id>:<hash>`` id is made — and `rule_id`, `trigger_event_id` and
    `evidence_event_ids` describe the finding; for an accept or reject they are the flag's (`flag_details`:
    `review decide` gives them, so that the row says which rule and contacts it was about). `date` defaults to today. Returns the flag_id recorded.
    With `timeline` (the case's, as analysed), an added finding, or an accept or reject on one, also records
    its contacts by their content (`CONTENT_COLUMNS`, `contact_content_ids`), so that it still names them after
    a resubmission moves their rows (`added_contacts`); the columns are added to the file's header the first
    time.
    Raises DecisionError for an invalid decision, a blank rationale or author.
    """
    path = case_file(case_dir, DECISIONS_FILE)
    decision = str(decision or "").strip().lower()
    if decision not in DECISION_VALUES:
        raise DecisionError(f"decision must be one of {', '.join(DECISION_VALUES)}, got {decision!r}", file=path)
    rationale = str(rationale or "").strip()
    if not rationale:
        raise DecisionError("every decision needs a rationale", file=path)
    author = str(author or "").strip()
    if not author:
        raise DecisionError("every decision needs an author", file=path)
    flag_id = str(flag_id or "").strip()
    if not flag_id and decision != "added":
        raise DecisionError(f"a decision to mark a flag {decision} needs its flag_id", file=path)
    when = _as_date(date if date is not None else dt.date.today(), path=path, row=None)
    date_text = when.date().isoformat()
    if not flag_id:
        flag_id = added_flag_id(rule_id or "", trigger_event_id or "", rationale, author, date_text)

    values = dict(zip(DECISION_FILE_COLUMNS, [flag_id, decision, rationale, author, date_text, rule_id or "",
                                              trigger_event_id or "", evidence_event_ids or ""]))
    # (a caller gives `timeline` for an added finding and for an accept or reject on one: a rule's flag
    # is found again by its id, made from its trigger's content, `current_contacts`)
    if timeline is not None and str(trigger_event_id or "").strip():
        contents = contact_content_ids(timeline)
        values["trigger_content_id"] = contents.get(str(trigger_event_id).strip(), "")
        # ("-": a contact the timeline does not hold, so that the ids stay aligned with evidence_event_ids)
        values["evidence_content_ids"] = MULTI_SEP.join(contents.get(e, "-") for e in split_multi(evidence_event_ids))
    extra = [c for c in CONTENT_COLUMNS if values.get(c)]
    # a file Excel saved as cp1252 is read as such and written back as UTF-8 (with the BOM), as every write is
    existing = decisions_text(path) if path.exists() else ""
    terminator = LINE_TERMINATOR
    if existing.strip():
        read_decisions_file(path)  # refuse to append to a file that is already invalid
        first_line = existing.split("\n", 1)[0] + "\n"
        if first_line.endswith("\r\n"):  # saved by Excel: its rows end with \r\n, and so does the new one
            terminator = "\r\n"
        header = [restore(h).strip().lower() for h in next(csv.reader(io.StringIO(existing, newline="")))]
        if all(c in header for c in (*DECISION_FILE_COLUMNS, *extra)):
            if not existing.endswith(("\n", "\r")):
                existing += terminator
        else:  # an older or hand-made file without the added-finding columns: rewrite it with them
            existing, header = _with_all_columns(existing, header, terminator, extra)
    else:
        header = list(DECISION_FILE_COLUMNS) + extra
        existing = _csv_line(header)
    # the earlier rows are kept as they are (history); the file always starts with the byte order mark
    _atomic_write(path, BOM + existing + _csv_line([values.get(c, "") for c in header], terminator))
    return flag_id


def _with_all_columns(text: str, header: list[str], terminator: str = LINE_TERMINATOR,
                      more: list[str] | tuple = ()) -> tuple[str, list[str]]:
    """The file re-serialised with every DECISION_FILE_COLUMNS column (extra columns kept after them), and
    the columns `more` (`CONTENT_COLUMNS`) at the end when it lacks them."""
    rows = list(csv.reader(io.StringIO(text, newline=""), strict=True))[1:]
    columns = list(DECISION_FILE_COLUMNS) + [h for h in header if h not in DECISION_FILE_COLUMNS]
    columns += [c for c in more if c not in columns]
    lines = [_csv_line(columns, terminator)]
    for cells in rows:
        if not any(c.strip() for c in cells):
            continue
        record = dict(zip(header, [restore(c) for c in cells]))
        lines.append(_csv_line([record.get(c, "") for c in columns], terminator))
    return "".join(lines), columns


def _atomic_write(path: Path, text: str) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=".decisions-", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(fd, "w", encoding="utf-8", newline="") as fh:
            fh.write(text)
            fh.flush()
            os.fsync(fh.fileno())
        os.replace(tmp, path)
    except BaseException:
        if os.path.exists(tmp):
            os.unlink(tmp)
        raise


# ---------------------------------------------------------------------------------------------------
# Applying
# ---------------------------------------------------------------------------------------------------
def apply_decisions(flags: pd.DataFrame, decisions: pd.DataFrame | None, timeline: pd.DataFrame | None = None,
                    rules: dict | None = None) -> pd.DataFrame:
    """`flags` with the decision in force for each: decision (accepted | rejected | pending), rationale,
    decided_by, decided_on. Findings the reviewers added are appended after the rules' flags (decision
    ``added`` unless a later row rejected it, source ``reviewer``, explanation = the rationale given when it
    was added); with `timeline`, their trigger_date is filled from the trigger event, and with `rules`
    (`review.rules.load_rules`), an added finding under one of the rules gets that rule's severity and
    failing category, so that it is counted with the rule's own flags. Flag order is kept.
    """
    flags = conform(flags if flags is not None else pd.DataFrame(), FLAG_COLUMNS).reset_index(drop=True)
    flags = flags.drop(columns=[c for c in ("decision", "rationale", "decided_by", "decided_on", "legacy_flag_id",
                                            "flag_variant") if c in flags])
    if decisions is None or decisions.empty:  # most cases: every flag pending, nothing added
        out = flags.copy()
        n = len(out)
        out["decision"] = pd.array([PENDING] * n, dtype="string")
        for name in ("rationale", "decided_by"):
            out[name] = pd.array([""] * n, dtype="string")
        out["decided_on"] = pd.Series(pd.NaT, index=out.index, dtype="datetime64[ns]")
        return out
    history = conform(decisions, DECISION_COLUMNS)
    # an "added" row cannot decide a flag the rules raised (load_decisions lists it as a problem): it is
    # neither accepted nor rejected, so the flag keeps its other decisions, else stays pending
    history = history[~((history["decision"] == "added") & history["flag_id"].isin(flags["flag_id"]))]
    in_force = history[~history["flag_id"].duplicated(keep="last")].set_index("flag_id")
    out = flags.copy()
    matched = in_force.reindex(out["flag_id"])
    out["decision"] = pd.array(matched["decision"].to_numpy(), dtype="string").fillna(PENDING)
    out["rationale"] = pd.array(matched["rationale"].to_numpy(), dtype="string").fillna("")
    out["decided_by"] = pd.array(matched["author"].to_numpy(), dtype="string").fillna("")
    out["decided_on"] = pd.to_datetime(matched["date"].to_numpy()).astype("datetime64[ns]")

    # findings the reviewers added: described by their latest "added" row, decided by their latest row
    added = history[(history["decision"] == "added") & ~history["flag_id"].isin(flags["flag_id"])]
    added = added[~added["flag_id"].duplicated(keep="last")]
    if len(added):
        decided = in_force.reindex(added["flag_id"])
        new = pd.DataFrame(
            {
                "flag_id": added["flag_id"].to_numpy(),
                "rule_id": added["rule_id"].to_numpy(),
                "trigger_event_id": added["trigger_event_id"].to_numpy(),
                "evidence_event_ids": added["evidence_event_ids"].to_numpy(),
                "explanation": added["rationale"].to_numpy(),
                "source": ADDED_SOURCE,
                "decision": decided["decision"].to_numpy(),
                "rationale": decided["rationale"].to_numpy(),
                "decided_by": decided["author"].to_numpy(),
                "decided_on": decided["date"].to_numpy(),
            }
        )
        if timeline is not None and len(timeline):
            dates = timeline.drop_duplicates("event_id").set_index("event_id")["date"]
            new["trigger_date"] = new["trigger_event_id"].map(dates)
            new["agencies"] = _added_agencies(new, timeline)
        if rules:
            settings = rules.get("rules", {})
            for name in ("severity", "failing_category"):
                new[name] = [str(settings.get(rule, {}).get(name) or "") for rule in new["rule_id"]]
        new = conform(new, FLAG_COLUMNS)
        for name in out.columns.difference(new.columns, sort=False):
            # a column the flags carry beyond the contract (detect's case_id): the case's one value
            # (from the flags, else the timeline) for the added findings too, else empty
            known = out[name].dropna().unique()
            if not len(known) and timeline is not None and name in timeline.columns:
                known = timeline[name].dropna().unique()
            value = known[0] if len(known) == 1 else None
            new[name] = pd.Series([value] * len(new), index=new.index, dtype=out[name].dtype)
        out = pd.concat([out, new[out.columns]], ignore_index=True)
    for name in ("decision", "rationale", "decided_by"):
        out[name] = out[name].astype("string").fillna("")
    out["decided_on"] = out["decided_on"].astype("datetime64[ns]")
    return out


#: the order of a case's decided flags, which is also their numbering (`review flags`, `review decide`, the
#: report, notebook 03): the rules' flags by (trigger date, rule, flag id), then the findings reviewers added in
#: the same order. Added findings come last so that adding one never renumbers the rules' flags: a number read
#: from an earlier listing still names the same flag.
DECIDED_SORT = ["trigger_date", "rule_id", "flag_id"]


def order_decided(decided: pd.DataFrame, by: list[str] | tuple = ()) -> pd.DataFrame:
    """`decided` (flags with their decisions, `apply_decisions`) in numbering order: grouped by the columns
    `by` (e.g. ``["case_id"]``), then the rules' flags before the findings reviewers added (source
    ``reviewer``), each by (trigger date, rule, flag id), stably. The index is reset."""
    added = (decided["source"].astype("string") == ADDED_SOURCE).fillna(False).to_numpy() \
        if "source" in decided.columns else False
    keyed = decided.assign(_added_last=added)
    keyed = keyed.sort_values([*by, "_added_last", *DECIDED_SORT], kind="mergesort", na_position="last")
    return keyed.drop(columns="_added_last").reset_index(drop=True)


def _added_agencies(added: pd.DataFrame, timeline: pd.DataFrame) -> list[str]:
    """The agencies involved in each finding the reviewers added, as a rule's flag names them (`agencies`):
    those of its trigger contact and its evidence contacts in the timeline, distinct and sorted, joined by
    `MULTI_SEP` ("" where none is in the timeline). Each event id is looked up once."""
    if "agency" not in timeline.columns:
        return [""] * len(added)
    agency_of = timeline.drop_duplicates("event_id").set_index("event_id")["agency"].astype("string").fillna("")
    lookup = agency_of[agency_of != ""].to_dict()
    out = []
    for trigger, evidence in zip(added["trigger_event_id"].astype("string").fillna(""),
                                 added["evidence_event_ids"].astype("string").fillna("")):
        ids = [trigger.strip(), *split_multi(evidence)]
        out.append(MULTI_SEP.join(sorted({lookup[i] for i in ids if i in lookup})))
    return out


# ---------------------------------------------------------------------------------------------------
# Migrating to the current flag ids
# ---------------------------------------------------------------------------------------------------
#: the columns `migrate_decisions` adds to decisions.csv: the id a row was recorded against before it was
#: rewritten to the flag's current id (audit), and a mark on a decision whose flag the rules no longer raise
EARLIER_ID_COLUMN = "earlier_flag_id"
MIGRATION_NOTE_COLUMN = "migration_note"
NOT_RAISED_NOTE = "flag not raised by the current analysis (kept as history)"


def migrate_decisions(case_dir: str | Path, decisions: pd.DataFrame, flags: pd.DataFrame,
                      timeline: pd.DataFrame | None = None) -> dict:
    """Rewrite the case's decisions.csv to the flags' current ids: each accept or reject row recorded
    against a flag's earlier, row-based id (`decisions`, from `load_decisions(case_dir, flags)` with the
    ``legacy_flag_id`` column, holds it under the current id) gets the current id in ``flag_id`` and the
    id it was recorded against in ``earlier_flag_id``, and each accept or reject row on a raised flag whose
    trigger_event_id / evidence_event_ids name the contacts' earlier rows (the chronology was resubmitted:
    `current_contacts`, which `load_decisions` applied to `decisions`) gets the flag's current ones; an accept
    or reject row whose flag is neither raised
    (`flags`' ``flag_id``) nor a finding the reviewers added is kept, with ``migration_note`` saying so. No
    row is dropped, reordered or otherwise changed (every other cell, extra columns too, is kept as
    written); an earlier ``earlier_flag_id`` is kept. The output is a function of the file and the flags
    only (no date): migrating again changes nothing. Returns {"rows", "moved", "not_raised", "refreshed",
    "changed", "content_filled", "content_unknown"} (refreshed: rows whose contacts were rewritten to the
    flag's current ones).
    With `timeline` (the case's, as analysed), an added finding recorded before content ids were kept (or by
    hand), and an accept or reject row on an added finding, gets the content ids of the contacts it names
    (`CONTENT_COLUMNS`, `contact_content_ids`; its own event ids, else the finding's), so that it follows a
    later resubmission (`added_contacts`): ``content_filled`` counts them, ``content_unknown`` lists the rows
    whose trigger contact is not in the timeline (none can be filled: the row is left as it is). An added
    finding's blank flag_id is written as the id it is read under, which its trigger_event_id, once
    refreshed, would no longer give. No decisions.csv: nothing is written."""
    path = case_file(case_dir, DECISIONS_FILE)
    summary = {"rows": 0, "moved": 0, "not_raised": 0, "refreshed": 0, "changed": False, "content_filled": 0,
               "content_unknown": []}
    if not path.exists():
        return summary
    read_decisions_file(path)  # an invalid file is refused before anything is written
    original = decisions_text(path)
    lines = list(io.StringIO(original, newline=""))
    terminator = "\r\n" if lines and lines[0].endswith("\r\n") else LINE_TERMINATOR
    reader = csv.reader(iter(lines), strict=True)
    header = [restore(h).strip().lower() for h in next(reader)]
    columns = list(DECISION_FILE_COLUMNS) + [c for c in header if c not in DECISION_FILE_COLUMNS
                                             and c not in (EARLIER_ID_COLUMN, MIGRATION_NOTE_COLUMN)]
    added_ids = set(decisions.loc[decisions["decision"] == "added", "flag_id"].astype(str)) if len(decisions) else set()
    contents = contact_content_ids(timeline) if timeline is not None and added_ids else {}
    if contents:
        columns += [c for c in CONTENT_COLUMNS if c not in columns]
        finding = {str(f): (str(t or "").strip(), str(e or "").strip()) for f, d, t, e in zip(
            decisions["flag_id"], decisions["decision"], decisions["trigger_event_id"].fillna(""),
            decisions["evidence_event_ids"].fillna("")) if d == "added"}
    columns += [EARLIER_ID_COLUMN, MIGRATION_NOTE_COLUMN]
    by_row = {int(r): (str(f), str(d)) for r, f, d in zip(decisions["row"], decisions["flag_id"], decisions["decision"])}
    contacts = {int(r): {c: ("" if pd.isna(v) else str(v).strip()) for c, v in zip(CONTACT_COLUMNS, values)}
                for r, *values in zip(decisions["row"], *(decisions[c] if c in decisions.columns
                                                          else pd.Series("", index=decisions.index)
                                                          for c in CONTACT_COLUMNS))}
    raised = set(flags["flag_id"].dropna().astype(str)) if flags is not None and "flag_id" in flags else set()
    known = raised | {f for f, d in by_row.values() if d == "added"}
    out = [_csv_line(columns, terminator)]
    for cells in reader:
        if not any(c.strip() for c in cells):
            continue
        record = dict(zip(header, [restore(c) for c in cells]))
        row = reader.line_num
        summary["rows"] += 1
        old = record.get("flag_id", "").strip()
        current, decision = by_row.get(row, (old, record.get("decision", "").strip().lower()))
        note = ""
        if decision != "added":
            if current != old and old:
                record["flag_id"] = current
                record[EARLIER_ID_COLUMN] = record.get(EARLIER_ID_COLUMN, "").strip() or old
                summary["moved"] += 1
            if current not in known:
                note = NOT_RAISED_NOTE
                summary["not_raised"] += 1
            elif current in raised:  # the flag's contacts as they are now (`current_contacts`)
                now = contacts.get(row, {})
                moved = [c for c in CONTACT_COLUMNS if record.get(c, "").strip() and now.get(c)
                         and record.get(c, "").strip() != now[c]]
                if moved:
                    for column in CONTACT_COLUMNS:
                        if now.get(column):
                            record[column] = now[column]
                    summary["refreshed"] += 1
        else:  # an added finding: its contacts found by their recorded content (`added_contacts`)
            now = contacts.get(row, {})
            moved = [c for c in CONTACT_COLUMNS if record.get(c, "").strip() and now.get(c)
                     and record.get(c, "").strip() != now[c]]
            if moved:
                for column in moved:
                    record[column] = now[column]
                summary["refreshed"] += 1
        if decision == "added" and not old and current:  # (its id, made from the trigger_event_id recorded)
            record["flag_id"] = current
        if contents and current in added_ids and not any(record.get(c, "").strip() for c in CONTENT_COLUMNS):
            trigger = record.get("trigger_event_id", "").strip() or finding.get(current, ("", ""))[0]
            evidence = record.get("evidence_event_ids", "").strip() if record.get("trigger_event_id", "").strip() \
                else finding.get(current, ("", ""))[1]
            if trigger in contents:
                record["trigger_content_id"] = contents[trigger]
                record["evidence_content_ids"] = MULTI_SEP.join(contents.get(e, "-") for e in split_multi(evidence))
                summary["content_filled"] += 1
            else:
                summary["content_unknown"].append(row)
        record[MIGRATION_NOTE_COLUMN] = note
        out.append(_csv_line([record.get(c, "") for c in columns], terminator))
    text = BOM + "".join(out)
    if text != BOM + original:
        _atomic_write(path, text)
        summary["changed"] = True
    return summary


# ---------------------------------------------------------------------------------------------------
# The checks a decision passes before it is recorded: one set for `review decide`, the notebook's
# `record` parameter and the decision form (`decide`)
# ---------------------------------------------------------------------------------------------------
#: a flag given by its number in `review flags` (the "#" column), not its id
_FLAG_NUMBER = re.compile(r"#?\s*[0-9]+")

#: how much of an earlier decision's rationale an error message quotes
QUOTED = 160


def decision_author(name: str | None, reviewers, previous=(), *, ask: str = "give --reviewer NAME") -> str:
    """The author to record: `name` as case.yml spells it (matched ignoring case and spacing) when case.yml
    names its reviewers, and refused when it is not one of them; else `name` as an earlier decision spells
    it (`previous`: the authors in decisions.csv), else as given. Without `name`, the one reviewer case.yml
    names. `ask` says how to give a name (the command's option, the notebook's parameter)."""
    from .errors import ReviewError

    known = list(reviewers or {})
    if name is None or not str(name).strip():
        if len(known) == 1:
            return known[0]
        if known:
            raise ReviewError(f"{ask}: case.yml names {len(known)} reviewers ({', '.join(known)})")
        raise ReviewError(f"{ask}: every decision needs an author (case.yml names no reviewer: "
                          "lead_reviewer, reviewers or authors)")
    name = " ".join(str(name).split())
    if not known:  # no list to check against: one spelling per person in the file
        for candidate in previous:
            if " ".join(str(candidate).split()).casefold() == name.casefold():
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
    day = day_text(decision["date"])
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


def day_text(value) -> str:
    if value is None or value is pd.NaT or (not isinstance(value, str) and pd.isna(value)):
        return ""
    return pd.Timestamp(value).strftime("%Y-%m-%d")


@dataclass
class CheckedDecision:
    """A decision that passed `check_decision`, ready for `record_checked`."""

    flag_id: str  # "" for a finding to add (its id is made when it is recorded)
    number: int | None  # the flag's number in `review flags` (None for a finding to add)
    flag: pd.Series | None
    decision: str
    rationale: str
    author: str  # as case.yml spells it
    date: pd.Timestamp | None
    earlier: pd.Series | None  # the decision in force it replaces
    unchanged: bool  # replacing the decision in force by the same one: nothing to write
    details: dict = field(default_factory=dict)  # record_decision's keyword arguments


def check_decision(case_dir, analysis, flag, decision: str, rationale: str, author: str | None, *,
                   replace: bool = False, date=None, rule_id: str = "", trigger_event_id: str = "",
                   evidence_event_ids: str = "", reviewers=None, replace_hint: str = "set replace to record this one "
                   "in its place", ask_author: str = "give the author") -> CheckedDecision:
    """Check a decision as `review decide` does, before anything is written: the decision is accepted,
    rejected or added; the rationale is not blank; the author is one of the reviewers case.yml names (and
    recorded as case.yml spells it; without one, the one reviewer it names); `flag` (its id, or its number
    N / "#N" as `review flags` prints it) is one of the case's current flags (`analysis`, the case as
    analysed); a flag that already has a decision in force keeps it unless `replace` (recording the same
    decision again with `replace` is `unchanged`); an added finding names a known rule and a contact of the
    timeline, and is not one the reviewers already added (same rule and contact). Raises ReviewError
    (DecisionError) saying what is wrong."""
    from .config import load_case_config
    from .errors import ReviewError
    from .rules import RULE_IDS

    decision = str(decision or "").strip().lower()
    if decision not in DECISION_VALUES:
        raise DecisionError(f"decision must be one of {', '.join(DECISION_VALUES)}, got {decision!r}")
    rationale = str(rationale or "").strip()
    if not rationale:
        raise DecisionError(f"the rationale is empty: every decision needs a rationale (why the flag is {decision})")
    config = load_case_config(case_dir)
    decisions = analysis.decisions
    previous = ([] if decisions is None or "author" not in getattr(decisions, "columns", ())
                else decisions["author"].dropna().astype(str).tolist())
    author = decision_author(author, config.reviewers if reviewers is None else reviewers, previous, ask=ask_author)
    when = None if date is None else _as_date(date, path=case_file(config.case_dir, DECISIONS_FILE), row=None)
    flags = analysis.flags.reset_index(drop=True)
    ids = flags["flag_id"].astype(str).tolist()
    given = "" if flag is None or (not isinstance(flag, str) and pd.isna(flag)) else str(flag).strip()

    if decision == "added":
        if given:
            raise DecisionError(f"an added finding is a new flag: give no flag (got {given!r}), but its rule and "
                                "contact")
        rule_id = str(rule_id or "").strip()
        trigger = str(trigger_event_id or "").strip()
        known_rules = [*RULE_IDS, "reviewer_finding"]
        if rule_id not in known_rules:
            raise DecisionError(f"an added finding needs its rule: one of {', '.join(known_rules)} (got {rule_id!r})")
        events = set(analysis.timeline["event_id"].astype(str))
        if trigger not in events:
            import difflib

            close = difflib.get_close_matches(trigger, sorted(events), n=3, cutoff=0.7)
            hint = f" (did you mean {', '.join(close)}?)" if close else ""
            raise DecisionError(f"an added finding needs the contact it is about: {trigger!r} is not an event_id of "
                                f"case {config.case_id}'s timeline{hint}: the build's chronology.csv gives each "
                                "contact's event id in its column 'Event id'")
        evidence = str(evidence_event_ids or "").strip() or trigger
        unknown = [e for e in split_multi(evidence) if e not in events]
        if unknown:
            raise DecisionError(f"evidence contact(s) {', '.join(unknown)} not in case {config.case_id}'s timeline")
        added = flags[(flags.get("source", pd.Series("", index=flags.index)).astype("string").fillna("") == ADDED_SOURCE)
                      & (flags["rule_id"].astype(str) == rule_id) & (flags["trigger_event_id"].astype(str) == trigger)]
        if not len(added) and decisions is not None and len(decisions):  # recorded since `analysis` was made
            current = decisions["current"].fillna(False).astype(bool) if "current" in decisions else True
            rows = decisions[current & (decisions["decision"].astype(str) == "added")
                             & (decisions["rule_id"].astype("string").fillna("") == rule_id)
                             & (decisions["trigger_event_id"].astype("string").fillna("") == trigger)]
            if len(rows):
                raise DecisionError(f"the reviewers already added this finding: {rows['flag_id'].iloc[-1]} ({rule_id} "
                                    f"on contact {trigger}, {DECISIONS_FILE} row {rows['row'].iloc[-1]}); accept or "
                                    "reject that flag instead")
        if len(added):
            number = int(added.index[0]) + 1
            raise DecisionError(f"the reviewers already added this finding: flag #{number} {added['flag_id'].iloc[0]} "
                                f"({rule_id} on contact {trigger}); accept or reject that flag instead")
        return CheckedDecision("", None, None, decision, rationale, author, when, None, False,
                               {"rule_id": rule_id, "trigger_event_id": trigger, "evidence_event_ids": evidence,
                                "timeline": analysis.timeline})

    if not given:
        raise DecisionError(f"a decision to mark a flag {decision} needs the flag: its id or its number")
    if _FLAG_NUMBER.fullmatch(given) and given not in ids:
        shown = int(given.lstrip("#").strip())
        if not 1 <= shown <= len(ids):
            raise ReviewError(f"no flag #{shown} in case {config.case_id}: `review flags {case_dir}` numbers its "
                              f"{len(ids)} flag{'' if len(ids) == 1 else 's'} "
                              + (f"#1 to #{len(ids)}" if ids else "(it has none)"))
        given = ids[shown - 1]
    if given not in ids:
        import difflib

        close = difflib.get_close_matches(given, ids, n=3, cutoff=0.6)
        hint = f" (did you mean {', '.join(close)}?)" if close else ""
        raise ReviewError(f"no flag {given!r} in case {config.case_id}'s current flags{hint}: "
                          f"`review flags {case_dir}` lists the ids")
    number = ids.index(given) + 1
    row = flags.iloc[number - 1]
    earlier = in_force(decisions, given)
    unchanged = False
    if earlier is not None:
        if not replace:
            raise ReviewError(f"flag {given} already has a decision: {describe(earlier, QUOTED)} "
                              f"({DECISIONS_FILE}, row {earlier['row']}); {replace_hint}")
        unchanged = (earlier["decision"] == decision and earlier["rationale"] == rationale
                     and earlier["author"] == author and (when is None or earlier["date"] == when))
    # the flag's rule, trigger and evidence contacts beside the decision (the row says what it was about); a
    # finding the reviewers added keeps them by their content too, so that it follows a resubmission
    on_added = str(row.get("source") or "") == ADDED_SOURCE
    details = {**flag_details(row), "timeline": analysis.timeline if on_added else None}
    return CheckedDecision(given, number, row, decision, rationale, author, when, earlier, unchanged, details)


def record_checked(case_dir, checked: CheckedDecision) -> str:
    """Record a decision `check_decision` passed (nothing when it is `unchanged`); returns its flag_id."""
    if checked.unchanged:
        return checked.flag_id
    return record_decision(case_dir, checked.flag_id, checked.decision, checked.rationale, checked.author,
                           checked.date.date() if checked.date is not None else dt.date.today(), **checked.details)


def decide(case_dir, flag, decision: str, rationale: str, author: str | None = None, *, replace: bool = False,
           date=None, analysis=None, rule_id: str = "", trigger_event_id: str = "", evidence_event_ids: str = "",
           replace_hint: str = "set replace to record this one in its place",
           ask_author: str = "give the author") -> CheckedDecision:
    """Check a decision as `review decide` does (`check_decision`) and record it (`record_checked`): the
    notebook's `record` parameter and the decision form record through this. `analysis` is the case as
    analysed (read and analysed here when not given)."""
    if analysis is None:
        from .pipeline import analyse, load_case

        analysis = analyse(load_case(case_dir))
    checked = check_decision(case_dir, analysis, flag, decision, rationale, author, replace=replace, date=date,
                             rule_id=rule_id, trigger_event_id=trigger_event_id,
                             evidence_event_ids=evidence_event_ids, replace_hint=replace_hint, ask_author=ask_author)
    checked.flag_id = record_checked(case_dir, checked)
    return checked


#: the keys notebook 03's `record` parameter takes
RECORD_KEYS = ("flag_no", "flag_id", "decision", "rationale", "author", "replace", "date", "rule_id",
               "trigger_event_id", "evidence_event_ids")


def record_parameter(case_dir, record, analysis=None) -> CheckedDecision:
    """Record notebook 03's `record` parameter ({flag_no or flag_id, decision, rationale, author, replace,
    ...}) with `review decide`'s checks (`decide`). A mistake (not a mapping, an unknown key, no such flag,
    a missing or unknown author, a decision already in force without `replace`) raises a ReviewError saying
    what to change, which `review notebooks` reports in one line with its exit code."""
    flag, options = _record_arguments(record)
    return decide(case_dir, flag, analysis=analysis, **options)


def check_record_parameter(case_dir, record, analysis) -> CheckedDecision:
    """`record_parameter`'s checks, nothing written: `review notebooks` runs them before any notebook, so that
    a mistake in notebook 03's `record` stops the run before notebooks 01 and 02 have run (same error)."""
    flag, options = _record_arguments(record)
    return check_decision(case_dir, analysis, flag, **options)


def _record_arguments(record) -> tuple[str, dict]:
    """(flag, `check_decision`'s other arguments) from notebook 03's `record` parameter; a mistake in its shape
    raises DecisionError."""
    if not isinstance(record, dict):
        raise DecisionError(f"record must be a mapping such as {{flag_no: 1, decision: accepted, rationale: ..., "
                            f"author: ...}}, got {record!r}")
    unknown = sorted(str(key) for key in record if key not in RECORD_KEYS)
    if unknown:
        raise DecisionError(f"record: unknown key(s) {', '.join(unknown)} (it takes {', '.join(RECORD_KEYS)})")
    if "flag_no" in record and "flag_id" in record:
        raise DecisionError("record: give flag_no or flag_id, not both")
    flag = record.get("flag_no", record.get("flag_id", ""))
    if "flag_no" in record:
        number = record["flag_no"]
        if isinstance(number, bool) or not (isinstance(number, int) or _FLAG_NUMBER.fullmatch(str(number).strip())):
            raise DecisionError(f"record: flag_no must be the flag's number in the flags table, got {number!r}")
        flag = str(number).strip().lstrip("#")
    replace = record.get("replace", False)
    if not isinstance(replace, bool):
        raise DecisionError(f"record: replace must be true or false, got {replace!r}")
    return flag, dict(decision=record.get("decision", ""), rationale=record.get("rationale", ""),
                      author=record.get("author"), replace=replace, date=record.get("date"),
                      rule_id=str(record.get("rule_id") or ""),
                      trigger_event_id=str(record.get("trigger_event_id") or ""),
                      evidence_event_ids=str(record.get("evidence_event_ids") or ""),
                      replace_hint="add replace: true to the record to put this one in its place",
                      ask_author="record: give the author")
