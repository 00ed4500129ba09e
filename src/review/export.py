"""Writers for what a review hands over: the Excel chronology, CSVs, figures, the HTML report, the manifest.

Every writer is deterministic — the same tables give byte-identical files on every run: workbook and
Word properties carry a fixed date (SOURCE_DATE_EPOCH, else the case's review date), zip containers are
rewritten with fixed timestamps, figures are saved without creation dates and with a fixed SVG hash
salt, and JSON is written with sorted keys. Every text cell that a spreadsheet could run as a formula
(starting with = + - @ tab or CR) is written inert, per the OWASP "CSV injection" guidance, and every
string in the HTML report is escaped.
"""
from __future__ import annotations

import contextlib
import csv
import datetime as dt
import functools
import hashlib
import html
import io
import json
import math
import os
import re
import zipfile
from collections.abc import Iterable, Mapping, Sequence
from pathlib import Path

import numpy as np
import pandas as pd

from .config import file_sha256
from .ingest.dates import approximate_unit, season_label
from .schema import FLAG_COLUMNS, MULTI_SEP, TIMELINE_COLUMNS, conform, split_multi

__all__ = [
    "FORMULA_PREFIXES",
    "inert",
    "safe_name",
    "sha256_bytes",
    "sha256_file",
    "source_date",
    "normalise_zip",
    "normalised_zip_bytes",
    "chronology_table",
    "escalations_not_held",
    "NOT_HELD_MARK",
    "flags_table",
    "flag_date_precisions",
    "flag_date_texts",
    "write_csv",
    "write_workbook",
    "save_figure",
    "figure_svg_for_html",
    "check_inline_charts",
    "inline_svg",
    "figure_svg",
    "compact_hatches",
    "write_html",
    "write_manifest",
    "headline_counts",
    "decision_counts",
    "plural",
    "EXCEL_CELL_LIMIT",
]

#: a cell starting with one of these can be run as a formula by Excel/LibreOffice/Sheets (OWASP)
FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")
DATE_FORMAT = "dd/mm/yyyy"
DATETIME_FORMAT = "dd/mm/yyyy hh:mm"
MONTH_FORMAT = "mmm yyyy"  # the anonymised view: every date to the month
#: the resolution of the dates a report shows: "day" (the named view), "month" (the anonymised view)
DAY, MONTH = "day", "month"
_ILLEGAL_XML = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f]")
#: the most characters an Excel cell holds; longer text is cut, with a marker, in the workbook only
EXCEL_CELL_LIMIT = 32_767
_ZIP_EPOCH = dt.datetime(1980, 1, 1)


# ---------------------------------------------------------------------------------------------------
# small helpers
# ---------------------------------------------------------------------------------------------------
def inert(value):
    """Text that a spreadsheet would run as a formula, made inert with a leading single quote."""
    if isinstance(value, str) and value.startswith(FORMULA_PREFIXES):
        return "'" + value
    return value


def plural(n: int, noun: str, nouns: str | None = None) -> str:
    """"1 contact", "2 contacts"; `nouns` for an irregular plural ("agency", "agencies")."""
    return f"{n} {noun if n == 1 else (nouns or noun + 's')}"


def safe_name(name: str, default: str = "output") -> str:
    """A file or folder name with nothing but letters, digits, dot, dash and underscore (no path parts)."""
    cleaned = re.sub(r"[^A-Za-z0-9._-]+", "_", str(name)).strip("._")
    return cleaned[:120] or default


def sha256_bytes(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


sha256_file = file_sha256  # one implementation, in review.config


def _config(case):
    return getattr(case, "config", case)


def source_date(case=None) -> dt.datetime:
    """The one date stamped into file metadata: SOURCE_DATE_EPOCH if set, else the case's review date,
    else 2000-01-01 (never the clock, so that rebuilding gives the same bytes)."""
    epoch = os.environ.get("SOURCE_DATE_EPOCH")
    if epoch and epoch.strip().lstrip("-").isdigit():
        return dt.datetime.fromtimestamp(int(epoch), dt.timezone.utc).replace(tzinfo=None)
    review_date = getattr(_config(case), "review_date", None) if case is not None else None
    if review_date is not None:
        return dt.datetime.combine(review_date, dt.time())
    return dt.datetime(2000, 1, 1)


def _is_missing(value) -> bool:
    if value is None or value is pd.NA or value is pd.NaT:
        return True
    if isinstance(value, float) and math.isnan(value):
        return True
    return isinstance(value, np.datetime64) and np.isnat(value)


def _plain(value):
    """A table cell as a plain Python value (datetime, int, float, bool, str or None)."""
    if _is_missing(value):
        return None
    if isinstance(value, pd.Timestamp):
        return value.to_pydatetime().replace(tzinfo=None)
    if isinstance(value, np.datetime64):
        return pd.Timestamp(value).to_pydatetime()
    if isinstance(value, (np.bool_, bool)):
        return bool(value)
    if isinstance(value, np.integer):
        return int(value)
    if isinstance(value, np.floating):
        value = float(value)
    if isinstance(value, float) and value.is_integer() and abs(value) < 2**53:
        return int(value)
    return value


def normalise_zip(path: str | Path, when: dt.datetime) -> None:
    """Rewrite an OOXML/zip file so its bytes depend only on its content.

    Every entry gets the timestamp `when` (zip cannot store dates before 1980) and fixed attributes, and
    the `dcterms:created` / `dcterms:modified` dates in docProps/core.xml (which openpyxl and python-docx
    set from the clock when saving) are replaced by `when`. Entry order is kept ([Content_Types].xml
    first, as Office expects; the writers' order is itself deterministic).
    """
    path = Path(path)
    path.write_bytes(normalised_zip_bytes(path.read_bytes(), when))


def normalised_zip_bytes(data: bytes, when: dt.datetime) -> bytes:
    """`normalise_zip` on a zip file's bytes in memory: the bytes it would write."""
    stamp = max(when, _ZIP_EPOCH)
    iso = stamp.strftime("%Y-%m-%dT%H:%M:%SZ")
    with zipfile.ZipFile(io.BytesIO(data)) as source:
        entries = [(info.filename, source.read(info.filename)) for info in source.infolist()]
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as target:
        for name, data in entries:
            if name == "docProps/core.xml":
                text = data.decode("utf-8")
                text = re.sub(r"(<dcterms:(created|modified)\b[^>]*>)[^<]*(</dcterms:\2>)", rf"\g<1>{iso}\g<3>", text)
                data = text.encode("utf-8")
            info = zipfile.ZipInfo(name, date_time=stamp.timetuple()[:6])
            info.compress_type = zipfile.ZIP_DEFLATED
            info.create_system = 3
            info.external_attr = 0o644 << 16
            target.writestr(info, data, compress_type=zipfile.ZIP_DEFLATED, compresslevel=6)
    return buffer.getvalue()


# ---------------------------------------------------------------------------------------------------
# the tables as exported
# ---------------------------------------------------------------------------------------------------
CHRONOLOGY_EXPORT = [
    ("seq", "Seq"),
    ("flags", "Flags (# in flags table)"),
    ("date", "Date"),
    ("date_precision", "Date precision"),
    ("date_text", "Date as written"),
    ("age_display", "Child's age"),
    ("agency", "Agency"),
    ("agency_kind", "Agency kind"),
    ("organisation", "Organisation"),
    ("role", "Role"),
    ("contact_type", "Contact type"),
    ("child_seen", "Child seen"),
    ("child_seen_alone", "Child seen alone"),
    # not the agency's record: read from the row's type and text where its Child seen cell is blank
    ("child_seen_inferred", "Child seen (read from the text; not recorded)"),
    ("description", "Description"),
    ("action", "Action"),
    ("analysis", "Analysis"),
    # the agency's columns no field maps (`extra`), as "Header: value; ...": kept, shown, never analysed
    ("other_columns", "Other columns"),
    ("concerns", "Concerns"),
    ("escalation", "Escalation"),
    ("escalation_not_held", "Escalation not taken place (read from the text)"),
    ("informed_agencies", "Information shared with"),
    ("open_concerns", "Open concerns"),
    ("on_cp_plan", "On CP plan"),
    ("in_hospital", "In hospital"),
    ("days_since_previous_contact", "Days since previous contact"),
    ("days_since_child_seen", "Days since child seen"),
    ("event_id", "Event id"),
    ("event_group", "Event group"),
    ("source_file", "Source file"),
    ("source_sheet", "Source sheet"),
    ("source_row", "Source row"),
]

#: the anonymised view's intervals between contacts are in whole months (`review.redact.month_table`)
_MONTHS_EXPORT = {
    "days_since_previous_contact": ("months_since_previous_contact", "Months since previous contact"),
    "days_since_child_seen": ("months_since_child_seen", "Months since child seen"),
}


def chronology_export(timeline: pd.DataFrame | None = None) -> list[tuple[str, str]]:
    """The chronology's (column, header) pairs: `CHRONOLOGY_EXPORT`, with the intervals in whole months
    where `timeline` gives them so (the anonymised view)."""
    columns = timeline.columns if timeline is not None else ()
    return [_MONTHS_EXPORT[c] if c in _MONTHS_EXPORT and _MONTHS_EXPORT[c][0] in columns else (c, h)
            for c, h in CHRONOLOGY_EXPORT]


FLAGS_EXPORT = [
    ("n", "#"),
    ("flag_id", "Flag id"),
    ("rule_id", "Rule"),
    ("severity", "Severity"),
    ("trigger_date", "Trigger date"),
    ("agencies", "Agencies"),
    ("explanation", "Explanation"),
    ("expected_action", "Expected action"),
    ("expected_by", "Expected by"),
    ("actual_action_event_id", "Actual action (event id)"),
    ("actual_action_date", "Actual action date"),
    ("delay_days", "Delay (calendar days)"),
    # the delay is a lower bound ("at least N days"): no action before the child's death, which ended the search
    ("delay_censored", "Delay at least (no action before the child's death)"),
    ("failing_category", "Failing category"),
    ("decision", "Reviewer decision"),
    ("rationale", "Rationale"),
    ("author", "Decided by"),
    ("decision_date", "Decision date"),
    ("trigger_event_id", "Trigger event id"),
    ("evidence_event_ids", "Evidence event ids"),
    ("source", "Source (guidance)"),
]

#: where the trigger contact was read (its source file, sheet and row, as the chronology's provenance
#: columns give them): flags.csv's last columns (after `FLAGS_CSV_EXTRA`'s) and the workbook's Flags sheet's
TRIGGER_SOURCE_EXPORT = [
    ("trigger_source_file", "Trigger source file"),
    ("trigger_source_sheet", "Trigger source sheet"),
    ("trigger_source_row", "Trigger source row"),
]


#: the readable header of each column of the workbook's other sheets (and of report.html's tables of
#: the same frames), in the chronology's and the flags' wording where the column is the same; a column
#: not listed is shown by `sheet_headers` with its underscores as spaces ("rows_read" -> "Rows read")
#: the Decisions sheet's "In force" cell for a decision on a flag the rules no longer raise
ORPHANED_IN_FORCE = "no: applies to no current flag"

SHEET_HEADERS: dict[str, dict[str, str]] = {
    "Decisions": {
        "flag_id": "Flag id", "decision": "Reviewer decision", "rationale": "Rationale", "author": "Decided by",
        "date": "Decision date", "rule_id": "Rule", "trigger_event_id": "Trigger event id",
        "evidence_event_ids": "Evidence event ids", "row": "Row in decisions.csv",
        "current": "In force (the flag's latest decision)",
    },
    "Response latency": {
        "event_id": "Event id", "date": "Date", "agency": "Agency", "agency_kind": "Agency kind",
        "concerns": "Concerns", "expected_days": "Expected within (days)",
        # the next escalation by any agency on or after the concern: nothing links it to the concern
        "first_escalation_event_id": "Next escalation by any agency (event id)",
        "first_escalation_date": "Next escalation date",
        "first_escalation": "Next escalation by any agency", "latency_days": "Latency (days)",
        "latency_months": "Latency (months)", "within_expected": "Within expected time", "flagged": "Flagged",
        "died_before_window": "Child died before the response window ended", "case_id": "Case id",
        "latency_at_least_days": "Latency at least (days; no escalation before the child's death)",
        "latency_at_least_months": "Latency at least (months; no escalation before the child's death)",
    },
    "Agency knowledge": {
        "decision_event_id": "Decision (event id)", "date": "Date", "deciding_agency": "Deciding agency",
        "decision": "Decision (contact type)", "concerns_known_to_agency": "Concerns known to the deciding agency",
        "concerns_known_anywhere": "Concerns known to any agency",
        "missing_concerns": "Concerns not known to the deciding agency", "case_id": "Case id",
        "missing_from": "Missing concerns held by", "missing_event_ids": "Missing concerns' event ids",
    },
    "Data quality": {
        "file": "Source file", "sheet": "Source sheet", "hidden": "Hidden sheet", "header_row": "Header row",
        "rows_read": "Rows read", "rows_accepted": "Rows accepted", "rows_rejected": "Rows rejected",
        "rows_skipped": "Rows skipped", "notes": "Notes", "row": "Source row", "column": "Column",
        "kind": "Kind", "reason": "Reason", "note": "Case folder note",
    },
    "Decision problems": {"file": "File", "row": "Row", "flag_id": "Flag id", "problem": "Problem",
                          "decision": "Decision", "author": "Decided by", "date": "Decision date",
                          "rationale": "Rationale"},
    "Sources": {"file": "File", "role": "Role", "bytes": "Bytes", "sha256": "SHA-256"},
    "Flags": {**dict(FLAGS_EXPORT), **dict(TRIGGER_SOURCE_EXPORT)},
}


def sheet_headers(frame: pd.DataFrame, sheet: str) -> list[str]:
    """The readable headers of `frame`'s columns in the workbook sheet `sheet` (`SHEET_HEADERS`; a column
    it does not list as its name with spaces for underscores, capitalised: "rows_read" -> "Rows read";
    a date's precision column after its date, "trigger_date_precision", as "Trigger date precision")."""
    known = SHEET_HEADERS.get(sheet, {})
    out = []
    for column in frame.columns:
        name = str(column)
        if name in known:
            out.append(known[name])
        elif name.endswith("_precision") and name[:-len("_precision")] in known:
            out.append(f"{known[name[:-len('_precision')]]} precision")
        else:
            text = name.replace("_", " ").strip()
            out.append(text[:1].upper() + text[1:])
    return out


def _yes_no(series: pd.Series) -> pd.Series:
    return series.map(lambda v: "" if _is_missing(v) else ("yes" if bool(v) else "no")).astype("string")


def flag_numbers(timeline: pd.DataFrame, flags: pd.DataFrame) -> pd.Series:
    """For each timeline row, the 1-based rows of the flags it triggers or evidences ("#3; #7")."""
    marks: dict[str, list[int]] = {}
    if flags is not None and len(flags):
        for n, row in enumerate(flags.itertuples(index=False), start=1):
            ids = {str(getattr(row, "trigger_event_id", "") or "")} | set(split_multi(getattr(row, "evidence_event_ids", "")))
            for eid in ids - {""}:
                marks.setdefault(eid, []).append(n)
    return timeline["event_id"].astype(str).map(lambda e: "; ".join(f"#{n}" for n in sorted(set(marks.get(e, []))))).astype("string")


def _ordered(timeline: pd.DataFrame) -> pd.DataFrame:
    """The timeline conformed and in chronology order (by seq when every row has one)."""
    timeline = conform(timeline, TIMELINE_COLUMNS)
    if len(timeline) and timeline["seq"].notna().all():
        timeline = timeline.sort_values("seq", kind="mergesort")
    return timeline.reset_index(drop=True)


#: how the HTML report's Escalation cell marks a recorded escalation the rules read as not having taken place
NOT_HELD_MARK = " (not taken place)"


def escalations_not_held(timeline: pd.DataFrame, held=None, rules: dict | None = None, case=None) -> pd.Series:
    """Per row of `timeline` (on its index), the escalations its escalation cell records that the rules read
    as not having taken place, in the cell's order joined with "; " ("" when none): the cell
    "referral_to_csc" of a "Referral to MASH not made" row is "referral_to_csc", the cell
    "referral_to_csc; strategy_discussion" of a "Referred to MASH. Strategy discussion cancelled" row is
    "strategy_discussion". Every count and chart reads only the escalations that took place
    (`review.rules.base.held_escalations`); the exports keep the recorded cell and show this beside it.

    `held`: the escalations that took place when the caller has them (`review.pipeline.Analysis.held_escalations`:
    the held cells, a Series on `timeline`'s index or an array in its row order; booleans read a row as
    all or none of its cell); when None they are read here (`review.rules.base.held_escalation_column`,
    with `rules` and `case` as `review.rules.detect` takes them). One join per distinct (cell, held) pair."""
    recorded = (timeline["escalation"].astype("string").fillna("").to_numpy(dtype=object)
                if "escalation" in timeline.columns else np.full(len(timeline), "", dtype=object))
    out = pd.Series(np.full(len(timeline), "", dtype=object), index=timeline.index)
    filled = np.flatnonzero(recorded != "")
    if not len(filled):
        return out  # no escalation cell filled: nothing to read
    from .rules.base import held_escalation_column, held_values

    if held is None:
        held = held_escalation_column(conform(timeline, TIMELINE_COLUMNS), rules, case)
    held, boolean = held_values(timeline, held)
    cells = recorded[filled]
    if boolean:  # a row read as a whole: all of its cell took place, or none of it
        on = np.where(held[filled].astype(bool), cells, "").astype(object)
    else:
        on = held[filled].astype(object)
        on[pd.isna(on)] = ""
    codes, uniques = pd.factorize(pd.Series(cells, dtype=object) + "\x1f" + pd.Series(on, dtype=object).astype(str))
    joined = []
    for key in uniques:
        cell, kept = key.split("\x1f", 1)
        kept = set(split_multi(kept))
        joined.append(MULTI_SEP.join(dict.fromkeys(k for k in split_multi(cell) if k not in kept)))
    values = out.to_numpy(dtype=object, copy=True)
    values[filled] = np.array(joined, dtype=object)[codes]
    return pd.Series(values, index=timeline.index)


def marked_escalations(cell, not_held) -> str:
    """The escalation cell `cell` as recorded, each escalation in `not_held` (`escalations_not_held`) marked
    `NOT_HELD_MARK`: "referral_to_csc (not taken place)"; "cp_medical; strategy_discussion (not taken place)"."""
    cell = "" if cell is None or (not isinstance(cell, str) and pd.isna(cell)) else str(cell)
    off = set(split_multi(not_held)) if isinstance(not_held, str) else set()
    if not off:
        return cell
    return MULTI_SEP.join(k + NOT_HELD_MARK if k in off else k for k in split_multi(cell))


def chronology_table(timeline: pd.DataFrame, flags: pd.DataFrame | None = None, *, held=None,
                     rules: dict | None = None, case=None) -> pd.DataFrame:
    """The integrated chronology as exported: display columns in order (`chronology_export`), with each
    row's flag numbers, and beside the escalation cell as recorded the escalations in it the rules read as
    not having taken place (`escalations_not_held`, with `held`, `rules` and `case`)."""
    export = chronology_export(timeline)
    timeline = timeline.assign(escalation_not_held=escalations_not_held(timeline, held, rules, case))
    timeline = _ordered(timeline)
    out = timeline.copy()
    out["flags"] = flag_numbers(timeline, flags)
    out["other_columns"] = other_columns(timeline)
    for col in ("child_seen", "child_seen_alone", "child_seen_inferred", "on_cp_plan", "in_hospital"):
        out[col] = _yes_no(out[col])
    return out[[c for c, _ in export]]


def other_columns_text(extra: object) -> str:
    """A contact's `extra` (the JSON object of its columns no field maps, as ingest keeps it) as the
    chronology shows it: "Occurrence: smashed phone ...; Officer: PC 1234", by header as stored
    (the sheet's column order, left to right); "" when none. Text that is not such an object (a table made elsewhere) is shown as
    it is."""
    if not isinstance(extra, str) or not extra.strip():
        return ""
    try:
        values = json.loads(extra)
    except ValueError:
        return extra
    if not isinstance(values, dict):
        return extra
    return "; ".join(f"{key}: {' '.join(str(value).split())}" for key, value in values.items()
                     if value is not None and str(value).strip())


def other_columns(timeline: pd.DataFrame) -> pd.Series:
    """`other_columns_text` of each row's `extra`, worked out once per distinct value ("" without it)."""
    if "extra" not in timeline.columns:
        return pd.Series("", index=timeline.index, dtype=object)
    extra = timeline["extra"].astype(object).where(timeline["extra"].notna(), "")
    shown = {value: other_columns_text(value) for value in pd.unique(extra)}
    return extra.map(shown)


def seen_shown(recorded: pd.Series, read: pd.Series) -> pd.Series:
    """The Child seen cell as shown beside the description (`chronology_table`'s "Yes" / "No" / ""): as
    recorded, else the timeline's reading of the row marked as such ("yes (read from the text)")."""
    recorded = recorded.fillna("").astype(str)
    read = read.fillna("").astype(str)
    marked = read.where(read == "", read + " (read from the text)")
    return recorded.where(recorded != "", marked)


def _decisions_frame(decisions) -> pd.DataFrame:
    cols = ["flag_id", "decision", "rationale", "author", "decision_date"]
    if decisions is None or not isinstance(decisions, pd.DataFrame) or decisions.empty or "flag_id" not in decisions:
        return pd.DataFrame(columns=cols)
    frame = decisions.rename(columns={"date": "decision_date", "reviewer": "author"}).copy()
    for col in cols:
        if col not in frame:
            frame[col] = pd.NA
    # the latest decision per flag wins (decisions files are append-only logs)
    frame = frame[cols].drop_duplicates(subset="flag_id", keep="last")
    return frame


def delay_texts(delay: pd.Series, censored: pd.Series) -> pd.Series:
    """The flags' delays as shown in a report: the number of calendar days ("24"), "at least 24" where the
    delay is a lower bound (``delay_censored``, "yes" or True: no action before the child's death), "" for none."""
    yes = censored.astype(object).map(lambda v: v is True or v == "yes" or v is np.True_).to_numpy(dtype=bool)
    number = pd.to_numeric(delay, errors="coerce")
    text = number.map(lambda v: "" if pd.isna(v) else f"{int(round(v))}")
    return pd.Series(np.where(yes & number.notna().to_numpy(), "at least " + text.astype(str), text), index=delay.index,
                     dtype=object)


def flags_table(flags: pd.DataFrame, decisions=None) -> pd.DataFrame:
    """Flags in the order given, numbered from 1 (the swimlane's callout numbers), with reviewer decisions.

    When `flags` already carries the decision in force (``review.decisions.apply_decisions``: decision,
    rationale, decided_by, decided_on) that is used; otherwise the latest row per flag in `decisions`.
    """
    flags = conform(flags if flags is not None else pd.DataFrame(), FLAG_COLUMNS).reset_index(drop=True)
    if "decision" in flags.columns:
        out = flags.rename(columns={"decided_by": "author", "decided_on": "decision_date"}).copy()
        for col in ("rationale", "author", "decision_date"):
            if col not in out:
                out[col] = pd.NA
    else:
        out = flags.merge(_decisions_frame(decisions), on="flag_id", how="left", sort=False)
    out.insert(0, "n", np.arange(1, len(out) + 1))
    out["decision"] = out["decision"].astype("string").fillna("pending").replace("", "pending")
    out["delay_censored"] = _yes_no(out["delay_censored"])
    return out[[c for c, _ in FLAGS_EXPORT]]


#: the flags' dates that come from a contact, and the column naming that contact
FLAG_EVENT_DATES = {"trigger_date": "trigger_event_id", "actual_action_date": "actual_action_event_id"}
#: the columns flags.csv adds after `FLAGS_EXPORT`'s (last, so that every earlier column keeps its place): the
#: precision of the trigger's date ("day", "month", "year", "approximate"; blank when unknown), so that an
#: analyst reading the CSV knows a trigger date "2007-07" or "2007-07-01" is known only to the month
FLAGS_CSV_EXTRA = [("trigger_date_precision", "Trigger date precision")]


def trigger_sources(table: pd.DataFrame, timeline: pd.DataFrame | None) -> pd.DataFrame:
    """For each row of `table` (flags, with ``trigger_event_id``), the source file, sheet and row of its
    trigger contact in `timeline` (`TRIGGER_SOURCE_EXPORT`'s columns, on `table`'s index; blank when the
    trigger is not in it, as for an added finding naming no contact). One lookup per flag."""
    n = len(table)
    out = pd.DataFrame({"trigger_source_file": pd.array([pd.NA] * n, dtype="string"),
                        "trigger_source_sheet": pd.array([pd.NA] * n, dtype="string"),
                        "trigger_source_row": pd.array([pd.NA] * n, dtype="Int64")}, index=table.index)
    if (timeline is None or not n or "trigger_event_id" not in table.columns or "event_id" not in timeline.columns
            or not {"source_file", "source_sheet", "source_row"} <= set(timeline.columns)):
        return out
    known = timeline[["event_id", "source_file", "source_sheet", "source_row"]].dropna(subset=["event_id"])
    known = known.drop_duplicates("event_id").set_index(known["event_id"].drop_duplicates().astype(str))
    found = known.reindex(table["trigger_event_id"].astype("string").fillna("").astype(str).to_numpy())
    out["trigger_source_file"] = pd.array(found["source_file"].to_numpy(dtype=object), dtype="string")
    out["trigger_source_sheet"] = pd.array(found["source_sheet"].to_numpy(dtype=object), dtype="string")
    out["trigger_source_row"] = pd.to_numeric(pd.Series(found["source_row"].to_numpy(dtype=object)),
                                              errors="coerce").astype("Int64").to_numpy()
    return out


def source_label(file, sheet, row) -> str:
    """A contact's provenance in a few words: "health_visiting.csv, row 4", or with a workbook's sheet
    "childrens_social_care.xlsx, sheet Chronology, row 10" ("" when nothing is known)."""
    parts = [str(file).strip()] if not _is_missing(file) and str(file).strip() else []
    if not _is_missing(sheet) and str(sheet).strip():
        parts.append(f"sheet {str(sheet).strip()}")
    if not _is_missing(row):
        parts.append(f"row {int(row)}")
    return ", ".join(parts)


def flags_csv_table(flag_rows: pd.DataFrame, timeline: pd.DataFrame | None) -> tuple[pd.DataFrame, list, dict]:
    """(frame, headers, precisions) of flags.csv (the build's and `review flags --csv`'s): `flag_rows`
    (`flags_table`) with `FLAGS_CSV_EXTRA` and then the trigger's provenance (`TRIGGER_SOURCE_EXPORT`,
    `trigger_sources`) after `FLAGS_EXPORT`'s columns, so that every earlier column keeps its place, and the precisions of the dates
    taken from a contact (`flag_date_precisions`) for `write_csv`."""
    precisions = flag_date_precisions(flag_rows, timeline)
    trigger = precisions.get("trigger_date", [None] * len(flag_rows))
    frame = flag_rows[[c for c, _ in FLAGS_EXPORT]].copy()
    frame["trigger_date_precision"] = [p if isinstance(p, str) else "" for p in trigger]
    sources = trigger_sources(frame, timeline)
    for column, _ in TRIGGER_SOURCE_EXPORT:
        frame[column] = sources[column]
    return frame, [h for _, h in (*FLAGS_EXPORT, *FLAGS_CSV_EXTRA, *TRIGGER_SOURCE_EXPORT)], precisions


#: the response latency table's dates that come from a contact (the concern's, its first escalation's), and
#: the column naming that contact; and the agency knowledge table's (the decision's)
LATENCY_EVENT_DATES = {"date": "event_id", "first_escalation_date": "first_escalation_event_id"}
KNOWLEDGE_EVENT_DATES = {"date": "decision_event_id"}


def flag_date_precisions(table: pd.DataFrame, timeline: pd.DataFrame | None,
                         dates: Mapping[str, str] = FLAG_EVENT_DATES) -> dict[str, list]:
    """For each of the flags' dates that is a contact's date (the trigger's, the action's), the precision
    of that contact's date ("day", "month", "year", "approximate" or None), one per row of `table`: a flag
    triggered by a contact known only to the year shows its trigger date as "2023", as the chronology does.
    `dates` ({date column: the column naming its contact}) does the same for another table's dates (the
    response latency's, `LATENCY_EVENT_DATES`)."""
    if timeline is None or not len(table) or "event_id" not in timeline.columns or "date_precision" not in timeline.columns:
        return {}
    known = dict(zip(timeline["event_id"].astype("string").fillna("").tolist(),
                     timeline["date_precision"].astype("string").tolist()))
    out = {}
    for date, event in dates.items():
        if event in table.columns:
            out[date] = [None if p is pd.NA else p for p in
                         (known.get(e if isinstance(e, str) else "", None) for e in table[event].tolist())]
    return out


def _precisions(frame: pd.DataFrame, precisions: Mapping[str, Sequence] | None) -> dict[str, list]:
    """{date column: precision per row}: `precisions`, and a "date" column beside a "date_precision" one."""
    out = {k: list(v) for k, v in (precisions or {}).items() if k in frame.columns}
    if "date" in frame.columns and "date_precision" in frame.columns and "date" not in out:
        out["date"] = [None if p is pd.NA else p for p in frame["date_precision"].astype("string").tolist()]
    return out


def _texts(frame: pd.DataFrame, texts: Mapping[str, Sequence] | None) -> dict[str, list]:
    """{date column: the date as written per row}: `texts`, and a "date" column beside a "date_text" one."""
    out = {k: list(v) for k, v in (texts or {}).items() if k in frame.columns}
    if "date" in frame.columns and "date_text" in frame.columns and "date" not in out:
        out["date"] = [None if t is pd.NA else t for t in frame["date_text"].astype("string").tolist()]
    return out


def _sheet_precisions(table: pd.DataFrame, timeline: pd.DataFrame | None,
                      dates: Mapping[str, str] = FLAG_EVENT_DATES) -> dict[str, list]:
    """`flag_date_precisions` for every date of `dates` whose contact column `table` has (None per row
    when unknown, and for an empty table): a sheet has the same precision columns whatever it holds."""
    known = flag_date_precisions(table, timeline, dates)
    return {date: known.get(date, [None] * len(table)) for date, event in dates.items()
            if date in table.columns and event in table.columns}


def with_precision_columns(frame: pd.DataFrame, precisions: Mapping[str, Sequence]) -> pd.DataFrame:
    """`frame` with, after each date column of `precisions` ({date column: precision per row}, e.g.
    `flag_date_precisions`), that date's precision ("day", "month", "year", "approximate"; blank when
    unknown) in a column of its own named "<date>_precision", as the chronology keeps its dates' ("Date
    precision"): a sheet sorted or filtered by the date still says which dates are not days."""
    out = frame.copy()
    for column, values in precisions.items():
        name = f"{column}_precision"
        if column not in out.columns or name in out.columns:
            continue
        out.insert(out.columns.get_loc(column) + 1, name,
                   pd.array([v if isinstance(v, str) else pd.NA for v in values], dtype="string"))
    return out


#: the reviewer decisions a flag can carry, in the order the reports give them
DECISIONS = ("accepted", "added", "pending", "rejected")


def decision_counts(flags: pd.DataFrame | None, decisions=None) -> dict[str, int]:
    """How many flags carry each reviewer decision (accepted, added = a finding the reviewers added,
    pending, rejected), from `flags_table`."""
    table = flags_table(flags, decisions)
    counts = table["decision"].value_counts()
    return {name: int(counts.get(name, 0)) for name in DECISIONS}


def standing_rows(timeline: pd.DataFrame, flags: pd.DataFrame | None, decisions=None) -> list[bool]:
    """For each chronology row (`chronology_table` order), whether a flag the reviewers have not
    rejected cites it: the rows the reports shade as flagged."""
    timeline = _ordered(timeline)
    if flags is None or not len(flags):
        return [False] * len(timeline)
    table = flags_table(flags, decisions)
    kept = conform(flags, FLAG_COLUMNS).reset_index(drop=True)[(table["decision"] != "rejected").to_numpy()]
    return (flag_numbers(timeline, kept) != "").tolist()


#: how the workbook shows a date known only to the month or the year
_COARSE_FORMATS = {"month": MONTH_FORMAT, "year": "yyyy"}
def _season_format(value) -> str:
    """A season's number format, showing its label (`season_label`) from the season's first day kept in
    the cell (it sorts and filters as a date): '"Spring "yyyy'; a winter's following year is written in,
    since a number format cannot add one to a year: '"Winter "yyyy"/21"' for December 2020."""
    day = pd.Timestamp(value)
    name = season_label(day).rsplit(" ", 1)[0]  # "Spring", "Winter", "Spring term"
    if day.month == 12:
        return f'"{name} "yyyy"/{(day.year + 1) % 100:02d}"'
    return f'"{name} "yyyy'
#: how it shows an approximate date ("c. 12/03/2007"), and an approximate month ("c. Jun 2007", "early June
#: 2007"): the real date in the cell (it sorts and filters as a date), shown as report.html and the Word
#: export show it, so that no reader takes it for an exact day
APPROXIMATE_DATE_FORMAT = '"c. "dd/mm/yyyy'
APPROXIMATE_MONTH_FORMAT = '"c. "mmm yyyy'
#: the precisions a contact's date is shown to other than the day (`review.rules.base.PARTIAL_PRECISIONS`)
_PARTIAL = ("month", "season", "year", "approximate")
#: how the Flags sheet (and report.html) shows a flag's deadline (`expected_by`) counted from a trigger not known
#: to the day (`deadline_precisions`): approximately, to the trigger's unit, as an approximate date is shown
#: ("c. Jul 2007", "c. 2007"; a trigger known to about the day: "c. 12/07/2007"), never as an exact day
APPROXIMATE_YEAR_FORMAT = '"c. "yyyy'
_DEADLINE_FORMATS = {"approximate month": APPROXIMATE_MONTH_FORMAT, "approximate year": APPROXIMATE_YEAR_FORMAT}
#: a deadline counted from a trigger known only to its season ("Spring 2021"): the season the deadline falls in,
#: approximately ("c. Spring 2021"), as the trigger is shown to its season, not to the year
APPROXIMATE_SEASON = "approximate season"
_SHOWN_PARTIAL = (*_PARTIAL, *_DEADLINE_FORMATS, APPROXIMATE_SEASON)


def season_of(value) -> str:
    """The label of the season a date falls in, whatever its day ("Spring 2021" for 15 Apr 2021; "Winter
    2020/21" for December 2020 to February 2021), as `season_label` writes a season from its first day."""
    day = pd.Timestamp(value)
    first = {12: 12, 1: 12, 2: 12}.get(day.month, 3 * (day.month // 3))
    return season_label(pd.Timestamp(day.year - (day.month < 3), first, 1))


def _approximate_season_format(value) -> str:
    """The workbook's number format of a deadline counted from a season-precision trigger: its season's label
    written in as text ('"c. Spring 2021"'), the date kept in the cell so that it sorts and filters as one."""
    return '"c. ' + season_of(value) + '"'


def deadline_precisions(trigger_precisions: Sequence, trigger_texts: Sequence | None = None) -> list:
    """How to show each flag's deadline (`expected_by`) given its trigger's date precision and its date as
    written (`flag_date_precisions`, `flag_date_texts`): a deadline counted from a trigger known only to the
    month is shown "c. Jul 2007" ("approximate month"), to the season "c. Spring 2021" (`APPROXIMATE_SEASON`: the
    season the deadline falls in, as the trigger is shown), to the year "c. 2007" ("approximate year"), and from an
    approximate trigger approximately to that trigger's unit ("c. Jul 2007" for "mid July 2007", "c. 12/07/2007"
    for "c. 02/07/2007": "approximate"); None (an exact day) when the trigger is known to the day."""
    texts = list(trigger_texts) if trigger_texts is not None else [None] * len(trigger_precisions)
    out = []
    for precision, text in zip(trigger_precisions, texts):
        if precision == "month":
            out.append("approximate month")
        elif precision == "season":
            out.append(APPROXIMATE_SEASON)
        elif precision == "year":
            out.append("approximate year")
        elif precision == "approximate":
            unit = approximate_unit(text)
            out.append("approximate month" if unit == "month" else "approximate year" if unit == "year"
                       else "approximate")
        else:
            out.append(None)
    return out


def precision_format(precision, months: bool = False, text=None, value=None) -> str | None:
    """The workbook's number format for a contact's date known to `precision` (None for a date known to
    the day: the sheet's own format): "yyyy" for a year, "mmm yyyy" for a month, '"c. "dd/mm/yyyy' for an
    approximate date and '"c. "mmm yyyy' for an approximate month (its date as written, `text`, says so:
    "c. Jun 2007", "early June 2007"), and a season's label for a season starting on `value` ('"Spring
    2021"', '"Winter 2020/21"'), as `_event_date` shows them, in both views (a season is coarser than
    the anonymised view's month); with `months` (the anonymised view, every date to its month) an
    approximate date is its month, as there."""
    if precision in _COARSE_FORMATS:
        return _COARSE_FORMATS[precision]
    if precision in ("season", APPROXIMATE_SEASON):
        if value is None or _is_missing(value):
            raise ValueError("a season's number format needs its date (precision_format(..., value=))")
        return _season_format(value) if precision == "season" else _approximate_season_format(value)
    if precision in _DEADLINE_FORMATS:  # a deadline counted from a trigger not known to the day
        return MONTH_FORMAT if months and precision == "approximate month" else _DEADLINE_FORMATS[precision]
    if precision == "approximate":
        if months:
            return MONTH_FORMAT
        return APPROXIMATE_MONTH_FORMAT if approximate_unit(text) == "month" else APPROXIMATE_DATE_FORMAT
    return None


def _csv_cell(value, months: bool = False):
    value = _plain(value)
    if value is None:
        return ""
    if isinstance(value, dt.datetime):
        if months:
            return value.strftime("%Y-%m")
        return value.strftime("%Y-%m-%d %H:%M") if (value.hour or value.minute) else value.strftime("%Y-%m-%d")
    if isinstance(value, str):
        return inert(value)
    return value


def write_csv(path: str | Path, frame: pd.DataFrame, headers: Sequence[str] | None = None, *,
              date_resolution: str = DAY, precisions: Mapping[str, Sequence] | None = None) -> Path:
    """A UTF-8 (with BOM, for Excel) CSV with ISO dates (YYYY-MM with `date_resolution` "month") and every
    formula-like text cell made inert.

    `precisions` ({date column: precision per row}, e.g. `flag_date_precisions`) shows those dates to
    their precision in both views: "2023" when known to the year, "2023-03" to the month, "Spring 2021"
    ("Winter 2020/21") to the season. A "date" column
    beside a "date_precision" column (the chronology, which keeps its precision in a column of its own)
    shows a date known to the year as its year in the anonymised view."""
    path = Path(path)
    months = date_resolution == MONTH
    out = pd.DataFrame({col: [_csv_cell(v, months) for v in frame[col].tolist()] for col in frame.columns},
                       columns=frame.columns)
    given = set(precisions or ())
    for column, precision in _precisions(frame, precisions).items():
        if column not in given and not months:
            continue  # the named chronology.csv: ISO days, with the precision in its own column
        dates = frame[column].tolist()
        out[column] = [v[:4] if isinstance(v, str) and p == "year" else
                       v[:7] if isinstance(v, str) and p == "month" and len(v) >= 7 else
                       season_label(d) if isinstance(v, str) and v and p == "season" and column in given else v
                       for v, p, d in zip(out[column].tolist(), precision, dates)]
    out.columns = [inert(h) for h in (headers or list(frame.columns))]
    # quote every text field: a bare CR inside a cell would otherwise split the row for many readers
    out.to_csv(path, index=False, encoding="utf-8-sig", lineterminator="\n", quoting=csv.QUOTE_NONNUMERIC)
    return path


# ---------------------------------------------------------------------------------------------------
# Excel workbook
# ---------------------------------------------------------------------------------------------------
def _report_frames(report) -> tuple[pd.DataFrame, pd.DataFrame]:
    """(per file/sheet counts, every rejection and warning) from an IngestReport (or a pair of frames,
    or a triple with the case folder's notes: `_case_notes`)."""
    if report is None:
        return pd.DataFrame(), pd.DataFrame()
    if isinstance(report, tuple):
        return report[0], report[1]
    files = report.to_frame() if hasattr(report, "to_frame") else pd.DataFrame()
    rejections = report.rejections_frame() if hasattr(report, "rejections_frame") else pd.DataFrame()
    return files, rejections


def _case_notes(report) -> pd.DataFrame:
    """The notes about the case folder rather than one file (a chronology there that case.yml does not
    list), column `note`: an IngestReport's `case_notes_frame()`, or the third frame of a triple (files,
    rejections, case notes), as the build passes them redacted; empty otherwise."""
    if isinstance(report, tuple):
        notes = report[2] if len(report) > 2 else None
    else:
        notes = report.case_notes_frame() if hasattr(report, "case_notes_frame") else None
    if notes is None or "note" not in getattr(notes, "columns", ()):
        return pd.DataFrame(columns=["note"])
    return notes[["note"]].reset_index(drop=True)


def _sources_frame(sources) -> pd.DataFrame:
    cols = ["file", "role", "bytes", "sha256"]
    if sources is None:
        return pd.DataFrame(columns=cols)
    if isinstance(sources, Mapping):
        rows = [{"file": k, **v} for k, v in sorted(sources.items())]
    else:
        rows = list(sources)
    frame = pd.DataFrame(rows)
    for col in cols:
        if col not in frame:
            frame[col] = ""
    return frame[cols + [c for c in frame.columns if c not in cols]]


def _write_sheet(wb, title: str, frame: pd.DataFrame, headers: Sequence[str] | None = None, *,
                 highlight: Sequence[bool] | None = None, start_row: int = 1, wrap: Iterable[str] = (),
                 time_known: Sequence[bool] | None = None, ws=None, table_filter: bool = True,
                 full_text_in: str = "the CSV exports", truncated: list | None = None, months: bool = False,
                 precisions: Mapping[str, Sequence] | None = None, texts: Mapping[str, Sequence] | None = None):
    """Write `frame` as a table: bold frozen header, autofilter, widths, real dates, inert text.

    A "date" column beside a "date_precision" column, and each column of `precisions` ({date column:
    precision per row}), shows each date to its precision (`precision_format`): a date known to the year
    as its year ("yyyy"), one known to the month as its month ("mmm yyyy"), an approximate one as
    "c. 12/03/2007", or "c. Jun 2007" for an approximate month (its date as written: `texts`, {date
    column: text per row}, and a "date" column's "date_text" beside it), as report.html and the Word
    export show them; the cell keeps the real date (it sorts as a date).

    Text over Excel's cell limit is cut and ends with a marker naming its length and `full_text_in`
    (where the whole text is); each such cell is appended to `truncated` as (sheet, cell, characters).
    """
    from openpyxl.styles import Alignment, Font, PatternFill
    from openpyxl.utils import get_column_letter

    ws = ws if ws is not None else wb.create_sheet(title)
    headers = list(headers or frame.columns)
    bold = Font(bold=True)
    header_fill = PatternFill("solid", fgColor="DDE6F0")
    flag_fill = PatternFill("solid", fgColor="FBE0CF")
    wrap_cols = {i for i, c in enumerate(frame.columns) if c in set(wrap)}
    coarse = {frame.columns.get_loc(c): p for c, p in _precisions(frame, precisions).items()}
    written = {frame.columns.get_loc(c): t for c, t in _texts(frame, texts).items()}
    formats: dict[tuple, str | None] = {}  # (precision, date as written) -> number format
    for j, header in enumerate(headers, start=1):
        cell = ws.cell(row=start_row, column=j, value=inert(str(header)))
        cell.data_type = "s"
        cell.font = bold
        cell.fill = header_fill
        cell.alignment = Alignment(vertical="top", wrap_text=True)
    widths = [min(max(len(str(h)), 6), 40) for h in headers]
    values = frame.to_numpy(dtype=object) if len(frame.columns) else np.empty((0, 0), dtype=object)
    for i, row in enumerate(values):
        r = start_row + 1 + i
        flagged = bool(highlight[i]) if highlight is not None else False
        for j, raw in enumerate(row):
            value = _plain(raw)
            cell = ws.cell(row=r, column=j + 1)
            if isinstance(value, str):
                value = inert(_ILLEGAL_XML.sub("", value))
                if len(value) > EXCEL_CELL_LIMIT:
                    if truncated is not None:
                        truncated.append((ws.title, cell.coordinate, len(value)))
                    value = _cut(value, full_text_in)
                cell.value = value
                cell.data_type = "s"  # never a formula, whatever it looks like
                if i < 300:
                    widths[j] = max(widths[j], min(len(value), 60))
            elif isinstance(value, dt.datetime):
                cell.value = value
                with_time = bool(time_known[i]) if time_known is not None and not _is_missing(time_known[i]) else False
                cell.number_format = MONTH_FORMAT if months else DATETIME_FORMAT if with_time else DATE_FORMAT
                if j in coarse and coarse[j][i] in _SHOWN_PARTIAL:
                    seasonal = coarse[j][i] in ("season", APPROXIMATE_SEASON)
                    key = (coarse[j][i], written[j][i] if j in written and coarse[j][i] == "approximate" else
                           (season_of(value) if coarse[j][i] == APPROXIMATE_SEASON else value) if seasonal else None)
                    if key not in formats:
                        formats[key] = (precision_format(key[0], months, value=value) if seasonal
                                        else precision_format(key[0], months, key[1]))
                    cell.number_format = formats[key]
                    if key[0].startswith("approximate") and not months:
                        widths[j] = max(widths[j], 14)
                    if seasonal:  # "Winter 2020/21", "c. Winter 2020/21"
                        widths[j] = max(widths[j], 15)
                widths[j] = max(widths[j], 16 if with_time else 11)
            elif isinstance(value, (list, dict, tuple)):
                cell.value = inert(json.dumps(value, sort_keys=True, default=str))
                cell.data_type = "s"
            else:
                cell.value = value
                if value is not None and i < 300:
                    widths[j] = max(widths[j], min(len(str(value)), 20))
            if j in wrap_cols:
                cell.alignment = Alignment(vertical="top", wrap_text=True)
            if flagged:
                cell.fill = flag_fill
    for j, width in enumerate(widths, start=1):
        ws.column_dimensions[get_column_letter(j)].width = width + 2
    if table_filter and headers:
        last = get_column_letter(len(headers))
        ws.auto_filter.ref = f"A{start_row}:{last}{start_row + max(len(frame), 1)}"
        ws.freeze_panes = ws.cell(row=start_row + 1, column=1)
    return ws


def _cut(text: str, full_text_in: str) -> str:
    """`text` cut to Excel's cell limit, ending with a marker that says so (openpyxl would cut it
    silently)."""
    marker = f"… [truncated: {len(text):,} characters; full text in {full_text_in}]"
    return text[:EXCEL_CELL_LIMIT - len(marker)] + marker


def overlong_cells(*frames: pd.DataFrame) -> int:
    """How many text cells of `frames` are over Excel's cell limit (cut in the workbook)."""
    return sum(1 for frame in frames for col in frame.columns for v in frame[col].tolist()
               if isinstance(v, str) and len(v) > EXCEL_CELL_LIMIT)


def write_workbook(path: str | Path, analysis, case, report=None, sources=None, *, when: dt.datetime | None = None,
                   date_resolution: str = DAY) -> Path:
    """Write the review's chronology workbook (chronology.xlsx).

    Parameters
    ----------
    path : path of the .xlsx to write.
    analysis : the pipeline's `Analysis` (timeline, flags, decisions, response_latency, knowledge, ...).
    case : `Case` or `CaseConfig` (for the case id and the fixed metadata date).
    report : the `IngestReport` (or a pair of frames: per-file counts, rejections), for "Data quality".
    sources : input files: a list of {file, role, bytes, sha256} or a mapping file -> {...}.
    when : the date stamped in the file's properties; default `source_date(case)`.
    date_resolution : "month" for the anonymised view: dates shown as months (mmm yyyy).

    Sheets: Integrated chronology (every contact, real dates as dd/mm/yyyy, flagged rows shaded and
    numbered, provenance columns), Flags (with reviewer decisions), Decisions, Response latency, Agency
    knowledge, Data quality (per file and sheet, the notes about the case folder, such as a chronology there
    that case.yml does not list, then every rejection and warning), Sources (SHA-256).
    Every sheet has a bold frozen header and an autofilter. Formula-like text is written inert. Text
    over Excel's limit of 32,767 characters is cut, marked "… [truncated: N characters; full text in
    chronology.csv]", and counted in a note under Data quality. Rows cited only by flags the reviewers
    rejected are numbered but not shaded.
    """
    from openpyxl import Workbook
    from openpyxl.styles import Font

    path = Path(path)
    when = when or source_date(case)
    sheet = functools.partial(_write_sheet, months=date_resolution == MONTH)
    config = _config(case)
    wb = Workbook()
    wb.remove(wb.active)

    flags = getattr(analysis, "flags", None)
    timeline = getattr(analysis, "timeline")
    chronology = chronology_table(timeline, flags, held=getattr(analysis, "held_escalations", None),
                                  rules=getattr(analysis, "rules", None) or None, case=config)
    time_known = _ordered(timeline)["time_known"].tolist()
    truncated: list[tuple[str, str, int]] = []
    sheet(wb, "Integrated chronology", chronology, [h for _, h in chronology_export(timeline)],
                 highlight=standing_rows(timeline, flags, getattr(analysis, "decisions", None)),
                 wrap=("description", "action", "analysis", "other_columns"), time_known=time_known,
                 full_text_in="chronology.csv", truncated=truncated)

    flag_rows = flags_table(flags, getattr(analysis, "decisions", None))
    # a contact's date (the trigger's, the action's) shown to its precision, with its precision beside it
    precisions = _sheet_precisions(flag_rows, timeline)
    shown = with_precision_columns(flag_rows, precisions)
    # where each trigger contact was read (file, sheet, row), last so that every other column keeps its place
    shown = pd.concat([shown, trigger_sources(flag_rows, timeline).set_index(shown.index)], axis=1)
    texts = contact_date_texts(flag_rows, timeline)
    # the deadline counted from a trigger known only to the month or year, or approximately, shown as
    # approximate to that unit ("c. Jul 2007"), not as an exact day
    shown_as = dict(precisions)
    if "trigger_date" in precisions and "expected_by" in flag_rows.columns:
        shown_as["expected_by"] = deadline_precisions(precisions["trigger_date"], texts.get("trigger_date"))
    sheet(wb, "Flags", shown, sheet_headers(shown, "Flags"), wrap=("explanation", "rationale"),
                 precisions=shown_as, texts=texts,
                 highlight=((flag_rows["severity"] == "high") & (flag_rows["decision"] != "rejected")).tolist(),
                 full_text_in="flags.csv", truncated=truncated)

    decisions = getattr(analysis, "decisions", None)
    if not isinstance(decisions, pd.DataFrame):
        decisions = pd.DataFrame(columns=["flag_id", "decision", "rationale", "author", "date"])
    decisions = decisions.reset_index(drop=True)
    # a decisions.csv written before `review decide` recorded the decided flag's rule, trigger and evidence:
    # those cells shown from the flag (the file is not changed)
    from .decisions import with_flag_details

    decisions = with_flag_details(decisions, flags)
    if "current" in decisions:
        # a decision on a flag the rules no longer raise is in force for no flag: said so, not a bare "no"
        from .decisions import orphaned_rows

        orphaned = orphaned_rows(getattr(analysis, "decision_problems", None))
        shown = _yes_no(decisions["current"]).astype(object)
        if orphaned and "row" in decisions:
            mark = decisions["row"].isin(orphaned).fillna(False).to_numpy(dtype=bool)
            shown[mark] = ORPHANED_IN_FORCE
        decisions = decisions.assign(current=shown)
    sheet(wb, "Decisions", decisions, sheet_headers(decisions, "Decisions"), wrap=("rationale",),
                 full_text_in="the case's decisions.csv", truncated=truncated)

    latency = getattr(analysis, "response_latency", None)
    if isinstance(latency, pd.DataFrame):
        latency = latency.copy()
        for col in ("within_expected", "flagged", "died_before_window"):
            if col in latency:
                latency[col] = _yes_no(latency[col])
        latency = latency.reset_index(drop=True)
        precisions = _sheet_precisions(latency, timeline, LATENCY_EVENT_DATES)
        shown = with_precision_columns(latency, precisions)
        sheet(wb, "Response latency", shown, sheet_headers(shown, "Response latency"),
                     precisions=precisions, texts=contact_date_texts(latency, timeline, LATENCY_EVENT_DATES),
                     highlight=(latency.get("flagged", pd.Series([""] * len(latency))) == "yes").tolist())
    knowledge = getattr(analysis, "knowledge", None)
    if isinstance(knowledge, pd.DataFrame):
        knowledge = knowledge.reset_index(drop=True)
        precisions = _sheet_precisions(knowledge, timeline, KNOWLEDGE_EVENT_DATES)
        shown = with_precision_columns(knowledge, precisions)
        sheet(wb, "Agency knowledge", shown, sheet_headers(shown, "Agency knowledge"), precisions=precisions,
                     texts=contact_date_texts(knowledge, timeline, KNOWLEDGE_EVENT_DATES))

    files, rejections = _report_frames(report)
    files = (files.reset_index(drop=True) if len(files.columns) else
             pd.DataFrame(columns=["file", "sheet", "rows_read", "rows_accepted", "rows_rejected"]))
    if "hidden" in files:
        files = files.assign(hidden=_yes_no(files["hidden"]))
    ws = sheet(wb, "Data quality", files, sheet_headers(files, "Data quality"))
    start = len(files) + 4
    case_notes = _case_notes(report)
    if len(case_notes):
        # what ingest noticed about the case folder rather than one file (a chronology there that case.yml
        # does not list, so not read): under the per-file counts, before the rejections
        ws.cell(row=start - 1, column=1, value="Case folder notes").font = Font(bold=True)
        sheet(wb, "Data quality", case_notes, sheet_headers(case_notes, "Data quality"),
              ws=ws, start_row=start, wrap=("note",), table_filter=False)
        start += len(case_notes) + 3
    title = ws.cell(row=start - 1, column=1, value="Rejected rows and warnings (every one)")
    title.font = Font(bold=True)
    rejections = (rejections.reset_index(drop=True) if len(rejections.columns) else
                  pd.DataFrame(columns=["file", "sheet", "row", "column", "kind", "reason"]))
    sheet(wb, "Data quality", rejections, sheet_headers(rejections, "Data quality"),
                 ws=ws, start_row=start, wrap=("reason",), table_filter=False)
    if not len(rejections):
        ws.cell(row=start + 1, column=1, value="none: every row read was accepted, with no warning")
    problems = getattr(analysis, "decision_problems", None)
    if problems is not None and len(problems):
        frame = problems if isinstance(problems, pd.DataFrame) else pd.DataFrame({"problem": [str(p) for p in problems]})
        frame = frame.reset_index(drop=True)
        if "row" in frame:  # what each problem's row decided, by whom, when and why
            from .decisions import with_decision

            frame = with_decision(frame, getattr(analysis, "decisions", None))
        sheet(wb, "Decision problems", frame, sheet_headers(frame, "Decision problems"), wrap=("problem", "rationale"))

    sources = _sources_frame(sources)
    sheet(wb, "Sources", sources, sheet_headers(sources, "Sources"))
    if truncated:
        row = ws.max_row + 2
        ws.cell(row=row, column=1, value=f"{plural(len(truncated), 'cell')} over Excel's limit of "
                f"{EXCEL_CELL_LIMIT:,} characters cut in this workbook (each ends with '… [truncated: ...]'; the "
                "full text is in the CSV exports and report.html):").font = Font(bold=True)
        for k, (sheet, coordinate, length) in enumerate(truncated, start=1):
            ws.cell(row=row + k, column=1, value=f"{sheet}!{coordinate}: {length:,} characters")

    props = wb.properties
    props.creator = "review"
    props.lastModifiedBy = "review"
    props.title = f"Integrated chronology: case {getattr(config, 'case_id', '')}"
    props.created = when
    props.modified = when
    wb.save(path)
    normalise_zip(path, when)
    return path


# ---------------------------------------------------------------------------------------------------
# Figures
# ---------------------------------------------------------------------------------------------------
FIGURE_FORMATS = ("png", "svg", "pdf")
_SAVE_METADATA = {
    "png": {"Software": None},
    "svg": {"Date": None, "Creator": "review"},
    "pdf": {"CreationDate": None, "ModDate": None, "Creator": "review"},
}


def figure_svg(fig) -> bytes:
    """The figure as SVG bytes (fixed hash salt, no date, dotted hatching as a small tile: `compact_hatches`):
    identical for identical figures."""
    from .charts import house_style

    buffer = io.BytesIO()
    with house_style():
        fig.savefig(buffer, format="svg", metadata=_SAVE_METADATA["svg"])
    return compact_hatches(buffer.getvalue().decode("utf-8")).encode("utf-8")


#: a hatch pattern as matplotlib's SVG backend writes it: one 72 pt tile, its face colour, one path
_HATCH_TILE = re.compile(
    r'(<pattern id="[^"]+" patternUnits="userSpaceOnUse" x="0" y="0") width="72" height="72">'
    r'(\s*<rect x="0" y="0") width="73" height="73"( fill="[^"]*"/>\s*<path d=")([^"]*)("[^>]*/>\s*</pattern>)')
_PATH_NUMBER = re.compile(r"-?\d+(?:\.\d+)?(?:e-?\d+)?")


def _number(value: float) -> str:
    text = f"{value:.4f}".rstrip("0").rstrip(".")
    return "0" if text == "-0" else text


def _dot_lattice(d: str) -> tuple[int, float] | None:
    """(rows, radius) when path `d` is exactly the staggered lattice of equal dots matplotlib draws for a
    dotted hatch ("...", `matplotlib.hatch.Shapes`) in its 72 pt tile: `rows` + 1 rows of dots 72 / `rows`
    apart, every other row shifted by half a step; else None (any other hatch, or a mixed one: "/.")."""
    if "L" in d or not d.strip():
        return None
    dots = []
    for sub in re.split(r"(?=M)", d):
        if not sub.strip():
            continue
        if not sub.lstrip().startswith("M") or "z" not in sub or set(re.sub(r"[-\d.e\s]", "", sub)) - {"M", "C", "z"}:
            return None
        numbers = [float(v) for v in _PATH_NUMBER.findall(sub)]
        dot = _dot(numbers[0::2], numbers[1::2])
        if dot is None:
            return None
        dots.append(dot)
    return _lattice_of(dots)


def _dot(xs, ys) -> tuple[float, float, float] | None:
    """(centre x, centre y, radius) of a circle's outline given its points' coordinates; None when not round."""
    width, height = max(xs) - min(xs), max(ys) - min(ys)
    if abs(width - height) > 1e-3:
        return None
    return round((max(xs) + min(xs)) / 2, 2), round((max(ys) + min(ys)) / 2, 2), round(width / 2, 3)


def _lattice_of(dots: list) -> tuple[int, float] | None:
    """(rows, radius) when `dots` ((x, y, radius), y down from the tile's top as SVG has it) are exactly
    matplotlib's dotted hatch lattice in its 72 pt tile (`_dot_lattice`), else None."""
    if not dots or len({r for *_, r in dots}) != 1:
        return None
    rows = len({y for _, y, _ in dots}) - 1
    if rows < 2 or rows % 2:
        return None
    step = 72 / rows
    expected = {(round(k * step + (step / 2 if row % 2 else 0), 2), round(72 - row * step, 2))
                for row in range(rows + 1) for k in range(rows + 1 if row % 2 == 0 else rows)}
    if len(dots) != len(expected) or {(x, y) for x, y, _ in dots} != expected:
        return None
    return rows, dots[0][2]


def _compact_tile(match: re.Match) -> str:
    lattice = _dot_lattice(match.group(4))
    if lattice is None:
        return match.group(0)
    rows, r = lattice
    step = 72 / rows
    centres = _small_tile_centres(step)
    d = " ".join(f"M {_number(x + r)} {_number(y)} A {_number(r)} {_number(r)} 0 1 0 {_number(x - r)} {_number(y)} "
                 f"A {_number(r)} {_number(r)} 0 1 0 {_number(x + r)} {_number(y)} z" for x, y in centres)
    return (f'{match.group(1)} width="{_number(step)}" height="{_number(2 * step)}">'
            f'{match.group(2)} width="{_number(step + 1)}" height="{_number(2 * step + 1)}"'
            f'{match.group(3)}{d}{match.group(5)}')


def _small_tile_centres(step: float) -> list[tuple[float, float]]:
    # one step wide, two high: the four corner dots (each a quarter in this tile, the rest in its neighbours)
    # and the shifted row's dot in the middle; 72 pt is a whole number of such tiles (an even number of rows),
    # so the dots fall where the 72 pt tile had them
    return [(0, 0), (step, 0), (step / 2, step), (0, 2 * step), (step, 2 * step)]


def _pdf_dot_lattice(hatch: str) -> tuple[int, float] | None:
    """(rows, radius) of a dotted hatch ("...") as the PDF backend draws it in its 72 pt tile (the lattice
    `_lattice_of` reads), else None (any other hatch, or a mixed one)."""
    from matplotlib.path import Path as MplPath

    if not hatch or set(hatch) != {"."}:
        return None
    path = MplPath.hatch(hatch)
    if path is None or path.codes is None:
        return None
    starts = np.flatnonzero(path.codes == MplPath.MOVETO).tolist() + [len(path.codes)]
    dots = []
    for a, b in zip(starts, starts[1:]):
        xy = path.vertices[a:b] * 72.0
        dot = _dot(xy[:, 0].tolist(), (72.0 - xy[:, 1]).tolist())  # y down, as `_lattice_of` reads it
        if dot is None:
            return None
        dots.append(dot)
    return _lattice_of(dots)


def _write_compact_pdf_hatches(self) -> None:
    """`matplotlib.backends.backend_pdf.PdfFile.writeHatches` with a dotted hatch ("...") written as a small
    tile (`_small_tile_centres`), as `compact_hatches` does in SVG: the same dots in the same places, not a
    72 pt tile of ~600 dots (~23 kB a chart, compressed). Any other hatch is written as matplotlib writes it."""
    from matplotlib.backends.backend_pdf import Name, Op
    from matplotlib.path import Path as MplPath
    from matplotlib.transforms import Affine2D

    hatch_dict = {}
    for hatch_style, name in self._hatch_patterns.items():
        stroke_rgb, fill_rgb, hatch, lw = hatch_style
        lattice = _pdf_dot_lattice(hatch)
        ob = self.reserveObject("hatch pattern")
        hatch_dict[name] = ob
        step = 72.0 / lattice[0] if lattice else 72.0
        width, height = (step, 2 * step) if lattice else (72.0, 72.0)
        self.beginStream(ob.id, None, {
            "Type": Name("Pattern"), "PatternType": 1, "PaintType": 1, "TilingType": 1,
            "BBox": [0, 0, width, height], "XStep": width, "YStep": height,
            "Resources": {"Procsets": [Name(x) for x in "PDF Text ImageB ImageC ImageI".split()]},
            "Matrix": [1, 0, 0, 1, 0, self.height * 72]})  # (the origin at the top left, as matplotlib's)
        self.output(stroke_rgb[0], stroke_rgb[1], stroke_rgb[2], Op.setrgb_stroke)
        if fill_rgb is not None:
            self.output(fill_rgb[0], fill_rgb[1], fill_rgb[2], Op.setrgb_nonstroke, 0, 0, width, height,
                        Op.rectangle, Op.fill)
        self.output(stroke_rgb[0], stroke_rgb[1], stroke_rgb[2], Op.setrgb_nonstroke)
        self.output(lw, Op.setlinewidth)
        if lattice:
            radius = lattice[1]
            path = MplPath.make_compound_path(*(MplPath.circle((x, y), radius) for x, y in _small_tile_centres(step)))
            self.output(*self.pathOperations(path, Affine2D(), simplify=False))
        else:
            self.output(*self.pathOperations(MplPath.hatch(hatch), Affine2D().scale(72.0), simplify=False))
        self.output(Op.fill_stroke)
        self.endStream()
    self.writeObject(self.hatchObject, hatch_dict)


@contextlib.contextmanager
def _compact_pdf_hatches():
    """Within the block, PDFs are written with dotted hatches as a small tile (`_write_compact_pdf_hatches`)
    when each hatch style is as the matplotlib this was written against has it (stroke colour, fill colour,
    hatch, line width); else as matplotlib writes them. (The PDF writer offers no hook for its hatch tile: its
    method is replaced for the block, and put back.)"""
    from matplotlib.backends import backend_pdf

    original = backend_pdf.PdfFile.writeHatches

    def write_hatches(self) -> None:
        if all(isinstance(style, tuple) and len(style) == 4 for style in self._hatch_patterns):
            _write_compact_pdf_hatches(self)
        else:  # another matplotlib's hatch styles: written as it writes them
            original(self)

    backend_pdf.PdfFile.writeHatches = write_hatches
    try:
        yield
    finally:
        backend_pdf.PdfFile.writeHatches = original


def compact_hatches(svg: str) -> str:
    """The SVG with each dotted hatch pattern ("...", the hospital periods, the unknown sightings, a death
    before the window) drawn as one small tile instead of matplotlib's 72 pt tile of ~600 dots: the same
    dots in the same places, ~300 bytes instead of ~180 kB a chart. Line hatches ("////", "xx") are a few
    lines already and are left as they are, as is any pattern that is not exactly the dotted lattice."""
    return _HATCH_TILE.sub(_compact_tile, svg)


#: what the SVG of a chart embedded in the HTML report is rendered with: its text as text (a few bytes a
#: letter, searchable, read by screen readers), not as glyph outlines (a path per glyph and a <use> per
#: letter: most of a chart's bytes); the analyst's SVG files keep the outlines (`HOUSE_RC`)
HTML_SVG_RC = {"svg.fonttype": "none"}


def figure_svg_for_html(fig, salt: str = "") -> bytes:
    """The figure as SVG for the HTML report (`write_html` inlines it): text as text (`HTML_SVG_RC`), no
    metadata, the marker and clip path ids salted with `salt` (a chart's name); byte-identical for
    identical figures."""
    import matplotlib.pyplot as plt

    from .charts import house_style

    buffer = io.BytesIO()
    with house_style(), plt.rc_context({**HTML_SVG_RC, "svg.hashsalt": f"review-{salt}"}):
        fig.savefig(buffer, format="svg", metadata={"Date": None, "Creator": None, "Format": None, "Type": None})
    return _coarser_numbers(compact_hatches(buffer.getvalue().decode("utf-8"))).encode("utf-8")


#: the geometry attributes whose numbers `_coarser_numbers` rounds (never a label's text, never a style)
_SVG_GEOMETRY = re.compile(r'\b(d|x|y|width|height|transform)="([^"]*)"')
_LONG_DECIMAL = re.compile(r"-?\d+\.\d{3,}")


def _round_2(match: re.Match) -> str:
    text = f"{float(match.group(0)):.2f}".rstrip("0").rstrip(".")
    return "0" if text == "-0" else text


def _coarser_numbers(svg: str) -> str:
    """The SVG with its coordinates to 1/100 pt (matplotlib writes six decimals; 0.01 pt is 0.0035 mm,
    finer than any screen shows) and its paths on one line."""
    return _SVG_GEOMETRY.sub(
        lambda m: f'{m.group(1)}="{_LONG_DECIMAL.sub(_round_2, m.group(2)).replace(" " + chr(10), " ").strip()}"', svg)


_SVG_PROLOGUE = re.compile(r"\A.*?(?=<svg[\s>])", re.DOTALL)  # the XML declaration, the DOCTYPE, comments
_SVG_METADATA = re.compile(r"\s*<metadata>.*?</metadata>", re.DOTALL)
_SVG_ID_USE = re.compile(r'(\bid="|url\(#|href="#)([^")]+)')


def inline_svg(svg: bytes | str, prefix: str, label: str = "") -> str:
    """An SVG document as an ``<svg>`` element to write into an HTML page: without its XML declaration,
    DOCTYPE and metadata, every id (and every reference to one: ``url(#...)``, ``href="#..."``) prefixed
    with `prefix`, so that several charts in one page never share an id (matplotlib names each
    chart's groups figure_1, axes_1, patch_1 ... and the same marker the same way in every chart), and
    with `label` as its accessible name (``role="img" aria-label``)."""
    text = svg.decode("utf-8") if isinstance(svg, bytes) else svg
    text = _SVG_METADATA.sub("", _SVG_PROLOGUE.sub("", text, count=1), count=1)
    ids = {m.group(2) for m in _SVG_ID_USE.finditer(text) if m.group(1) == 'id="'}
    text = _SVG_ID_USE.sub(lambda m: m.group(1) + (prefix + m.group(2) if m.group(2) in ids else m.group(2)), text)
    return text.replace("<svg ", f"<svg role=\"img\" aria-label=\"{html.escape(label, quote=True)}\" ", 1).rstrip()


#: an SVG element that draws a raster image (matplotlib writes one for ``imshow``, a colour bar's gradient and
#: any ``rasterized=True`` artist: a base64 data: URI in ``<image>``); the report's Content-Security-Policy
#: (``default-src 'none'``: no data: image) blocks it
_SVG_IMAGE = re.compile(r"<(?:image|feImage)(?=[\s/>])", re.IGNORECASE)


def check_inline_charts(charts: Sequence[tuple[str, bytes, str]]) -> None:
    """Refuse charts the HTML report could not show: raise ValueError naming each chart (its number and
    caption) whose SVG holds a raster image (`_SVG_IMAGE`), which the report's Content-Security-Policy would
    block silently, leaving a blank chart. The remedy is in the chart: draw it as vector shapes (``pcolormesh``
    or patches, not ``imshow``)."""
    bad = []
    for i, chart in enumerate(charts, 1):
        caption, svg = chart[0], chart[1]
        text = svg.decode("utf-8", errors="replace") if isinstance(svg, bytes) else str(svg)
        if _SVG_IMAGE.search(text):
            bad.append(f"chart {i} ({caption!r})")
    if bad:
        raise ValueError(
            f"{', '.join(bad)}: the SVG holds an <image> element (a rasterised part: imshow, a colour bar, "
            "rasterized=True), which the HTML report's Content-Security-Policy blocks (no data: images), so the "
            "chart would show blank; draw it as vector shapes: the report was not written")


def save_figure(fig, stem: str, out_dir: str | Path, formats: Sequence[str] = FIGURE_FORMATS, *, dpi: int = 300) -> list[Path]:
    """Save `fig` as `<out_dir>/<stem>.png|svg|pdf` (300 dpi PNG), byte-identical across runs.

    The stem is sanitised so a figure is never written outside `out_dir`. Returns the paths written.
    `formats` is a list of formats or one as a string ("png"); every format is checked before anything is
    written (nor `out_dir` made): an unsupported one raises ValueError naming it and the supported ones.
    """
    from .charts import house_style

    formats = [formats] if isinstance(formats, str) else list(formats)
    unsupported = [fmt for fmt in formats if fmt not in _SAVE_METADATA]
    if unsupported:
        raise ValueError(f"unsupported figure format{'s' if len(unsupported) > 1 else ''} "
                         f"{', '.join(repr(f) for f in unsupported)} (supported: {', '.join(_SAVE_METADATA)}): "
                         "nothing written")
    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    stem = safe_name(stem, "figure")
    written = []
    engine = fig.get_layout_engine()
    try:
        with house_style():
            for fmt in formats:
                path = out_dir / f"{stem}.{fmt}"
                if fmt == "svg":  # the dotted hatching as a small tile (`compact_hatches`)
                    buffer = io.BytesIO()
                    fig.savefig(buffer, format=fmt, dpi=dpi, metadata=_SAVE_METADATA[fmt])
                    path.write_bytes(compact_hatches(buffer.getvalue().decode("utf-8")).encode("utf-8"))
                elif fmt == "pdf":  # the dotted hatching as a small tile here too (`_compact_pdf_hatches`)
                    with _compact_pdf_hatches():
                        fig.savefig(path, format=fmt, dpi=dpi, metadata=_SAVE_METADATA[fmt])
                else:
                    fig.savefig(path, format=fmt, dpi=dpi, metadata=_SAVE_METADATA[fmt])
                written.append(path)
                if engine is not None:
                    # the layout is solved by the first save; keep it for the other formats (and a third faster)
                    fig.set_layout_engine("none")
    finally:
        if engine is not None:
            fig.set_layout_engine(engine)
    return written


# ---------------------------------------------------------------------------------------------------
# HTML report
# ---------------------------------------------------------------------------------------------------
_CSS = """
:root { --ink: #1a1a1a; --muted: #555; --rule: #ccc; --alert: #D55E00; --ok: #0072B2; }
* { box-sizing: border-box; }
body { font: 15px/1.5 system-ui, -apple-system, "Segoe UI", Roboto, Arial, sans-serif; color: var(--ink);
       max-width: 1200px; margin: 0 auto; padding: 1.5rem; }
h1 { font-size: 1.6rem; margin-bottom: .2rem; } h2 { margin-top: 2.2rem; border-bottom: 2px solid var(--rule); }
.muted { color: var(--muted); } .alert { color: var(--alert); font-weight: 600; }
ul.headline { list-style: none; padding: 0; display: grid; grid-template-columns: repeat(auto-fit, minmax(16rem, 1fr)); gap: .6rem; }
ul.headline li { border-left: 4px solid var(--ok); padding: .3rem .7rem; background: #f5f7fa; }
figure { margin: 1.2rem 0; } figure svg { width: 100%; height: auto; border: 1px solid var(--rule); }
figcaption { color: var(--muted); font-size: .9rem; }
table { border-collapse: collapse; width: 100%; font-size: .85rem; margin: .8rem 0; }
th, td { border: 1px solid var(--rule); padding: .3rem .45rem; vertical-align: top; text-align: left; }
th { background: #e8edf3; position: sticky; top: 0; }
tr.sev-high td:first-child { border-left: 4px solid var(--alert); font-weight: 700; }
td.num { text-align: right; font-variant-numeric: tabular-nums; }
.decision-accept { color: #006b4f; font-weight: 600; } .decision-reject { color: var(--muted); text-decoration: line-through; }
.decision-pending { color: var(--alert); }
tr.rejected td { color: var(--muted); background: #f4f4f4; } tr.rejected.sev-high td:first-child { border-left-color: var(--rule); }
@media print { body { max-width: none; } th { position: static; } }
"""


def _e(value, months: bool = False) -> str:
    """Escape anything for HTML text or attribute context (a date as dd/mm/yyyy, or "Feb 2023" with
    `months`)."""
    value = _plain(value)
    if value is None:
        return ""
    if isinstance(value, dt.datetime):
        return html.escape(value.strftime("%b %Y" if months else "%d/%m/%Y"), quote=True)
    return html.escape(str(value), quote=True)


def _event_date(value, precision, months: bool = False, text=None) -> str:
    """A contact's date as the chronology shows it, to its precision (as the Word export does): "2023"
    when known to the year, "May 2023" to the month, "c. 22/05/2023" approximately, "c. May 2023" for an
    approximate month (its date as written, `text`, says so: "c. May 2023", "early May 2023"), else
    22/05/2023 (or, with `months`, "May 2023")."""
    value = _plain(value)
    if not isinstance(value, dt.datetime):
        return "" if value is None else str(value)
    precision = precision if isinstance(precision, str) else ""
    if precision == "year":
        return value.strftime("%Y")
    if precision == "season":  # "Spring 2021" (also in the anonymised view: no finer than a month)
        return season_label(value)
    # a deadline counted from a trigger known only to its season or year: coarser than the anonymised month too
    if precision == APPROXIMATE_SEASON:
        return "c. " + season_of(value)
    if precision == "approximate year":
        return "c. " + value.strftime("%Y")
    if months or precision == "month":
        return value.strftime("%b %Y")
    if precision == "approximate":
        return "c. " + value.strftime("%b %Y" if approximate_unit(text) == "month" else "%d/%m/%Y")
    if precision == "approximate month":  # a deadline counted from a trigger known only to the month
        return "c. " + value.strftime("%b %Y")
    return value.strftime("%d/%m/%Y")


#: date precisions from the most to the least exact (`period_bound_text` shows the most exact at a bound)
_PRECISION_RANK = {"day": 0, "": 0, "approximate": 1, "month": 2, "approximate month": 3, "season": 4,
                   APPROXIMATE_SEASON: 4, "year": 5, "approximate year": 6}


def period_bound_text(timeline: pd.DataFrame, which: str = "first", months: bool = False) -> str:
    """The first (or `which`="last") contact date of `timeline` as the chronology shows it: "2019" when the
    earliest contact is known only to the year ("Spring 2019"), never a day it does not give (01/01/2019);
    of several contacts on that date, the most exact one's. '' for no dated contact."""
    dates = timeline["date"] if "date" in timeline.columns else pd.Series(dtype="datetime64[ns]")
    if not dates.notna().any():
        return ""
    at = dates.min() if which == "first" else dates.max()
    rows = timeline[dates == at]
    precisions = (rows["date_precision"].astype(object).fillna("").astype(str).tolist()
                  if "date_precision" in rows.columns else [""] * len(rows))
    texts = (rows["date_text"].astype(object).tolist() if "date_text" in rows.columns else [None] * len(rows))
    best = min(range(len(rows)), key=lambda i: _PRECISION_RANK.get(precisions[i], 0))
    return _event_date(at, precisions[best], months, texts[best])


def contact_date_texts(table: pd.DataFrame, timeline: pd.DataFrame | None,
                       dates: Mapping[str, str] = FLAG_EVENT_DATES) -> dict[str, list]:
    """{date column: the date as written of the contact each row of `table` names} for each of `dates`
    ({date column: the column naming its contact}, as `flag_date_precisions` takes them): with the
    precisions, what shows an approximate month as "c. May 2023"."""
    return {date: flag_date_texts(table, timeline, event) for date, event in dates.items() if event in table.columns}


def flag_date_texts(table: pd.DataFrame, timeline: pd.DataFrame | None, column: str = "trigger_event_id") -> list:
    """The date as written (``date_text``) of the contact each row of `table` names in `column` (None when
    unknown): with `flag_date_precisions`, what shows an approximate month as "c. May 2023"."""
    if timeline is None or column not in table.columns or "event_id" not in timeline.columns \
            or "date_text" not in timeline.columns:
        return [None] * len(table)
    known = dict(zip(timeline["event_id"].astype("string").fillna("").tolist(),
                     timeline["date_text"].astype("string").tolist()))
    return [None if t is pd.NA else t for t in (known.get(e if isinstance(e, str) else "", None)
                                               for e in table[column].tolist())]


def flag_anchors(flag_ids: Sequence) -> list[str]:
    """The report's anchor (HTML id) of each flag, in order: "flag-" and its id with any character other
    than a letter, digit, "_" or "-" as "-" ("flag-injury_not_escalated-d887680e896a"; an added finding's
    "added:finding:0123456789" as "flag-added-finding-0123456789"), so that a link to a flag stays on it
    whatever the flags' order; a flag without an id, or whose anchor another flag already has, gets
    "flag-<its number>-n"."""
    out, seen = [], set()
    for n, flag_id in enumerate(flag_ids, start=1):
        text = "" if _is_missing(flag_id) else str(flag_id).strip()
        anchor = "flag-" + re.sub(r"[^A-Za-z0-9_-]", "-", text) if text else ""
        if not text or anchor in seen:
            anchor = f"flag-{n}-n"
        seen.add(anchor)
        out.append(anchor)
    return out


def _linked_flag_numbers(cell, anchors: Sequence[str]) -> str:
    """The chronology's Flags cell ("#6; #9") as HTML, each number a link to its flag's entry."""
    if _is_missing(cell) or not str(cell).strip():
        return ""
    links = []
    for part in split_multi(str(cell)):
        number = part.lstrip("#")
        if number.isdigit() and 1 <= int(number) <= len(anchors):
            links.append(f"<a href=\"#{_e(anchors[int(number) - 1])}\">{_e(part)}</a>")
        else:
            links.append(_e(part))
    return MULTI_SEP.join(links)


_DECISION_CLASS = {"accepted": "decision-accept", "added": "decision-accept", "rejected": "decision-reject",
                   "pending": "decision-pending"}


def _html_table(frame: pd.DataFrame, headers: Sequence[str] | None = None, *, row_class=None, numeric=(),
                cell_class=None, months: bool = False, raw=(), row_id=None) -> str:
    """`frame` as an HTML table; `row_class(i)` and `cell_class(i, column)` give CSS classes, `row_id(i)`
    a row's id attribute (an anchor), and the columns in `raw` hold HTML already escaped (links)."""
    headers = list(headers or frame.columns)
    out = ["<table>", "<thead><tr>" + "".join(f"<th scope=\"col\">{_e(h)}</th>" for h in headers) + "</tr></thead>", "<tbody>"]
    as_html = [c in raw for c in frame.columns]
    for i, row in enumerate(frame.to_numpy(dtype=object)):
        cls = row_class(i) if row_class else ""
        cells = []
        for j, v in enumerate(row):
            classes = " ".join(c for c in ("num" if frame.columns[j] in numeric else "",
                                           cell_class(i, frame.columns[j]) if cell_class else "") if c)
            text = ("" if _is_missing(v) else str(v)) if as_html[j] else _e(v, months)
            cells.append(f"<td class=\"{_e(classes)}\">{text}</td>" if classes else f"<td>{text}</td>")
        cells = "".join(cells)
        attrs = (f" class=\"{_e(cls)}\"" if cls else "") \
            + (f" id=\"{_e(row_id(i))}\"" if row_id is not None and row_id(i) else "")
        out.append(f"<tr{attrs}>{cells}</tr>")
    out.append("</tbody></table>")
    return "\n".join(out)


def headline_counts(timeline: pd.DataFrame, flags: pd.DataFrame | None = None, decisions=None, *,
                    date_resolution: str = DAY, escalations: int | None = None, held=None,
                    rules: dict | None = None, case=None) -> list[str]:
    """Plain-English headline numbers: per agency kind, "N contacts with health professionals across K
    organisations"; how often the child was seen; concerns, escalations and flags, with the reviewers'
    decisions on them (flags they rejected are counted apart, and out of the severity breakdown).
    `escalations`: the contacts that were an escalation that took place (the agency summary's
    escalations_made); when None, counted from `held` (`review.pipeline.Analysis.held_escalations`), else
    read here as the rules read them (`review.rules.base.held_escalation_mask`, with `rules` and `case` as
    `review.rules.detect` takes them): a "Strategy discussion cancelled" row whose escalation cell says
    strategy_discussion is no escalation, whichever way the count comes."""
    timeline = conform(timeline, TIMELINE_COLUMNS)
    lines = []
    n = len(timeline)
    if n:
        months = date_resolution == MONTH
        lines.append(f"{plural(n, 'contact')} recorded by {plural(timeline['agency'].nunique(), 'agency', 'agencies')} between "
                     f"{period_bound_text(timeline, 'first', months)} and {period_bound_text(timeline, 'last', months)}")
    nouns = {"health": "health professionals", "social care": "children's social care", "police": "the police",
             "youth justice": "youth justice services", "probation": "probation services",
             "education": "education settings", "housing": "housing services", "voluntary": "voluntary organisations",
             "lado": "the local authority designated officer (LADO)",
             "family": "the family's own accounts (not an agency's)", "other": "other agencies"}
    for kind, group in timeline.groupby("agency_kind", sort=True):
        if not kind:
            continue
        orgs = group["organisation"].where(group["organisation"] != "", group["agency"]).nunique()
        lines.append(f"{plural(len(group), 'contact')} with {nouns.get(kind, kind)} across {orgs} "
                     f"organisation{'s' if orgs != 1 else ''}")
    if n:
        from .sightings import NOT_SEEN, NOT_SEEN_READ, SEEN, SEEN_READ, sighting_status

        # the Child seen cell as recorded, and apart from it blank cells the row's type or text reads
        status = sighting_status(timeline)
        seen, not_seen = int((status == SEEN).sum()), int((status == NOT_SEEN).sum())
        read, read_not = int((status == SEEN_READ).sum()), int((status == NOT_SEEN_READ).sum())
        line = f"The child was seen at {plural(seen, 'contact')} and recorded as not seen at {not_seen}"
        if read:
            line += (f"; seen at {plural(read, 'more contact')} with no Child seen recorded, as read from "
                     "the type of contact or its text")
        if read_not:
            line += (f"; not seen at {plural(read_not, 'more contact')} with no Child seen recorded, as read "
                     "from its text")
        lines.append(line)
        concerns = int((timeline["concerns"] != "").sum())
        if escalations is None:
            from .rules.base import held_escalation_mask

            escalations = int(held_escalation_mask(timeline, held, rules, case).sum())
        # two counts of the same contacts, not one a part of the other: a contact can be both or either
        lines.append(f"Of the {plural(n, 'contact')}, {concerns} recorded a concern and {escalations} "
                     f"{'was an escalation' if escalations == 1 else 'were escalations'} (counted apart: a "
                     f"contact may be both)")
    if flags is not None:
        lines.append(_flags_headline(flags, decisions))
    return lines


def _flags_headline(flags: pd.DataFrame, decisions=None) -> str:
    """"27 candidate missed escalation points flagged: 2 rejected by the reviewers, 25 not rejected
    (1 accepted, 24 pending; 17 high, 8 medium)"."""
    table = flags_table(flags, decisions)
    counts = decision_counts(flags, decisions)
    standing = table[table["decision"] != "rejected"]
    by_sev = standing["severity"].value_counts()
    severities = ", ".join(f"{int(by_sev[s])} {s}" for s in ("high", "medium", "low") if s in by_sev)
    line = f"{plural(len(table), 'candidate missed escalation point')} flagged"
    if not len(table):
        return line
    if counts["pending"] == len(table):
        return f"{line} ({severities}); none decided by the reviewers yet" if severities else line
    decided = ", ".join(f"{counts[d]} {'added by the reviewers' if d == 'added' else d}"
                        for d in ("accepted", "added", "pending") if counts[d])
    detail = "; ".join(p for p in (decided, severities) if p)
    return (f"{line}: {counts['rejected']} rejected by the reviewers, {len(standing)} not rejected"
            + (f" ({detail})" if detail else ""))


def write_html(path: str | Path, case, analysis, charts: Sequence[tuple[str, bytes, str]] = (), report=None,
               sources=None, *, title: str | None = None, notes: Sequence[str] = (), redact_text=None,
               date_resolution: str = DAY) -> Path:
    """Write the self-contained HTML report (one file: inline CSS, figures as inline SVG, no script).

    Parameters
    ----------
    path : the .html to write.
    case : `Case` or `CaseConfig`.
    analysis : the pipeline's `Analysis`.
    charts : (caption, svg bytes, alt text) per figure, in order.
    report : `IngestReport` or (files, rejections) frames, for the data quality section.
    sources : input files with SHA-256 (see `write_workbook`).
    notes : extra lines for the summary (e.g. "Names pseudonymised").
    redact_text : for the anonymised view, a function applied to the summary sentences the report writes
        itself (e.g. ``Redactor.text``: a period starting on the child's date of birth); the tables are
        expected to be redacted already.
    date_resolution : "month" for the anonymised view: every date shown as its month ("Feb 2023").

    Every piece of text is escaped with `html.escape`, so an agency's "<script>" is shown, not run; a
    Content-Security-Policy forbids scripts and any network access even so, and any image but the inline
    SVG charts (no data: image: the charts are vector shapes throughout). A chart whose SVG holds an image
    (a rasterised element: ``imshow``, a colour bar's gradient, ``rasterized=True``), which that policy would
    block and leave blank without a word, is refused before anything is written (`check_inline_charts`).
    """
    check_inline_charts(charts)  # before anything is written: a chart the page would not show is refused
    config = _config(case)
    case_id = getattr(config, "case_id", "")
    months = date_resolution == MONTH
    shown = "%b %Y" if months else "%d/%m/%Y"
    timeline_view = analysis.timeline
    timeline = conform(analysis.timeline, TIMELINE_COLUMNS)
    flags = getattr(analysis, "flags", None)
    flags = conform(flags if flags is not None else pd.DataFrame(), FLAG_COLUMNS)
    title = title or f"Case {case_id}: integrated chronology and candidate missed escalation points"
    parts = [
        "<!DOCTYPE html>",
        "<html lang=\"en-GB\">",
        "<head>",
        "<meta charset=\"utf-8\">",
        "<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; style-src 'unsafe-inline'\">",
        "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">",
        f"<title>{_e(title)}</title>",
        f"<style>{_CSS}</style>",
        "</head>",
        "<body>",
        f"<h1>{_e(title)}</h1>",
    ]
    summary = []
    if len(timeline):
        end = pd.Timestamp(config.review_date) if getattr(config, 'review_date', None) else timeline['date'].max()
        last = (end.strftime(shown) if getattr(config, 'review_date', None)
                else period_bound_text(timeline, "last", months))
        summary.append(f"Period under review: {period_bound_text(timeline, 'first', months)} to {last}.")
    # The health count ("N contacts with health professionals across K organisations") is one of the
    # headline lines below, beside every other agency kind's: `analysis.health_summary` is not repeated here.
    summary += list(notes)
    summary.append("Flags are proposals from documented rules, not findings: each carries the reviewer's decision.")
    decisions = getattr(analysis, "decisions", None)
    # the escalations that took place, as the agency summary counts them (`review.timeline.agency_summary`)
    summary_table = getattr(analysis, "agency_summary", None)
    made = (int(summary_table["escalations_made"].sum()) if summary_table is not None and len(summary_table)
            and "escalations_made" in summary_table else None)
    headline = headline_counts(timeline, flags, decisions, date_resolution=date_resolution, escalations=made,
                               held=getattr(analysis, "held_escalations", None),
                               rules=getattr(analysis, "rules", None) or None, case=config)
    if redact_text is not None:
        summary = [redact_text(s) for s in summary]
        headline = [redact_text(s) for s in headline]
    parts.append("<section id=\"summary\"><h2>Case summary</h2>")
    parts += [f"<p class=\"muted\">{_e(s)}</p>" for s in summary]
    parts.append("<ul class=\"headline\">" + "".join(f"<li>{_e(line)}</li>" for line in headline) + "</ul>")
    parts.append("</section>")

    if charts:
        parts.append("<section id=\"charts\"><h2>Charts</h2>")
        for i, (caption, svg, alt) in enumerate(charts, 1):
            # the SVG markup itself, not a base64 data URI (a third larger than the SVG it holds)
            parts.append(f"<figure>{inline_svg(svg, f'chart{i}-', alt)}<figcaption>{_e(caption)}</figcaption></figure>")
        parts.append("</section>")

    parts.append("<section id=\"flags\"><h2>Flags and reviewer decisions</h2>")
    table = flags_table(flags, decisions)
    anchors = flag_anchors(table["flag_id"].tolist())
    if len(table):
        recorded = timeline.set_index(timeline["event_id"].astype(str))["description"].to_dict()
        table["trigger_description"] = table["trigger_event_id"].astype(str).map(lambda e: recorded.get(e, ""))
        # a flag on a contact known only to its month or year shows that month or year, as the chronology does
        trigger_precision = flag_date_precisions(table, timeline).get("trigger_date", [None] * len(table))
        trigger_texts = flag_date_texts(table, timeline)
        table["trigger_date"] = [_event_date(d, p, months, t) for d, p, t in
                                 zip(table["trigger_date"], trigger_precision, trigger_texts)]
        # a deadline counted from such a trigger shown approximately to its unit ("c. Jul 2007"), as the workbook
        table["expected_by"] = [_event_date(d, p, months) if p else d for d, p in
                                zip(table["expected_by"], deadline_precisions(trigger_precision, trigger_texts))]
        # where the trigger contact was read: its file, sheet and row, as the chronology's provenance columns
        # (named `recorded`, not `sources`: that is this function's input files, the "Input files" table below)
        recorded = trigger_sources(table, timeline)
        table["trigger_source"] = [source_label(f, s, r) for f, s, r in zip(
            recorded["trigger_source_file"], recorded["trigger_source_sheet"], recorded["trigger_source_row"])]
        # a delay the child's death cut short is a lower bound: "at least 24"
        table["delay_days"] = delay_texts(table["delay_days"], table["delay_censored"])
        shown = table[["n", "trigger_date", "rule_id", "severity", "agencies", "trigger_description",
                       "trigger_source", "explanation", "expected_action", "expected_by", "delay_days",
                       "failing_category", "decision", "rationale", "source"]]
        headers = ["#", "Trigger date", "Rule", "Severity", "Agencies", "What was recorded", "Recorded in",
                   "Explanation", "Expected action", "Expected by", "Delay (calendar days)", "Failing category",
                   "Reviewer decision", "Rationale", "Guidance"]
        severity, decided = shown["severity"].tolist(), shown["decision"].tolist()
        parts.append("<p class=\"muted\">The number in the first column is the numbered callout on the swimlane chart, "
                     "and the number the chronology's Flags column links to. \"Recorded in\" is where the trigger "
                     "contact was read (source file, sheet, row); \"Guidance\" is the guidance the rule follows. "
                     "Flags the reviewers rejected are struck through and greyed; they are not counted as failings.</p>")
        parts.append(_html_table(
            shown, headers, numeric=("n", "delay_days"),
            row_class=lambda i: f"sev-{severity[i]}" + (" rejected" if decided[i] == "rejected" else ""),
            cell_class=lambda i, col: _DECISION_CLASS.get(decided[i], "") if col == "decision" else "", months=months,
            row_id=lambda i: anchors[i],
        ))
    else:
        parts.append("<p>No flags were raised.</p>")
    problems = getattr(analysis, "decision_problems", None)
    if isinstance(problems, pd.DataFrame) and len(problems):
        parts.append(f"<h3>Problems with the reviewers' decisions ({len(problems)})</h3>")
        parts.append("<p class=\"muted\">Decisions kept in decisions.csv that could not be applied as written: "
                     "each is kept, not dropped, and shown with what was decided, by whom, when and why. A decision "
                     "on a flag the rules no longer raise applies to no current flag and is not in force.</p>")
        from .decisions import with_decision

        shown = with_decision(problems, getattr(analysis, "decisions", None))
        parts.append(_html_table(shown, sheet_headers(shown, "Decision problems"), numeric=("row",), months=months))
    parts.append("</section>")

    chronology = None
    if len(timeline):
        chronology = chronology_table(timeline_view, flags, held=getattr(analysis, "held_escalations", None),
                                      rules=getattr(analysis, "rules", None) or None, case=config)
        overlong = overlong_cells(chronology, table)
        chronology["date"] = [_event_date(d, p, months, t) for d, p, t in
                              zip(chronology["date"], chronology["date_precision"], chronology["date_text"])]
        # an escalation recorded in the cell that the rules read as not having taken place ("Referral to
        # MASH not made" with referral_to_csc filled by hand) is marked, as no count or chart reads it
        chronology["escalation"] = [marked_escalations(c, n) for c, n in
                                    zip(chronology["escalation"].tolist(), chronology["escalation_not_held"].tolist())]
        shown = chronology[["seq", "flags", "date", "age_display", "agency", "contact_type", "child_seen",
                            "description", "action", "other_columns", "concerns", "escalation", "source_file",
                            "source_sheet", "source_row"]].copy()
        if "child_seen_inferred" in chronology.columns:  # a blank cell's reading, marked as read, not recorded
            shown["child_seen"] = seen_shown(chronology["child_seen"], chronology["child_seen_inferred"])
        # each flag number a link to its flag's entry in the flags table
        shown["flags"] = [_linked_flag_numbers(c, anchors) for c in shown["flags"].tolist()]
        flagged = standing_rows(timeline, flags, decisions)
        parts.append("<section id=\"chronology\"><h2>Integrated chronology</h2>")
        parts.append(f"<details><summary>All {plural(len(shown), 'contact')} in date order (rows cited by a flag marked "
                     "with its number, and highlighted unless the reviewers rejected every flag citing them; the "
                     "full table with every column is chronology.xlsx)</summary>")
        parts.append(_html_table(shown, ["Seq", "Flags", "Date", "Age", "Agency", "Contact type", "Child seen",
                                         "Description", "Action", "Other columns", "Concerns", "Escalation",
                                         "Source file",
                                         "Source sheet", "Source row"],
                                 row_class=lambda i: "sev-high" if flagged[i] else "", numeric=("seq", "source_row"),
                                 months=months, raw=("flags",)))
        not_held = int((chronology["escalation_not_held"] != "").sum())
        if not_held:
            parts.append(f"<p class=\"muted\">{plural(not_held, 'row')} {'has' if not_held == 1 else 'have'} an "
                         f"escalation marked \"{NOT_HELD_MARK.strip()}\": it is in the row's escalation cell as "
                         "recorded, but the row's text says it did not take place, so no count, chart or rule "
                         "reads it as an escalation (chronology.xlsx and chronology.csv give it in the column "
                         "\"Escalation not taken place (read from the text)\").</p>")
        parts.append("</details></section>")

    files, rejections = _report_frames(report)
    parts.append("<section id=\"data-quality\"><h2>Data quality</h2>")
    if len(files):
        files = files.reset_index(drop=True)
        if "hidden" in files:
            files = files.assign(hidden=_yes_no(files["hidden"]))
        parts.append(_html_table(files, sheet_headers(files, "Data quality"),
                                 numeric=("rows_read", "rows_accepted", "rows_rejected", "rows_skipped"),
                                 months=months))
    case_notes = _case_notes(report)
    if len(case_notes):
        parts.append(f"<h3>Case folder notes ({len(case_notes)})</h3>")
        parts.append(_html_table(case_notes, sheet_headers(case_notes, "Data quality"), months=months))
    if len(rejections):
        parts.append(f"<h3>Rejected rows and warnings ({len(rejections)})</h3>")
        parts.append(_html_table(rejections.reset_index(drop=True), sheet_headers(rejections, "Data quality"),
                                 numeric=("row",), months=months))
    elif len(files):
        parts.append("<p>No row was rejected.</p>")
    if chronology is None:
        overlong = overlong_cells(table)
    if overlong:
        parts.append(f"<p class=\"alert\">{plural(overlong, 'text cell')} over Excel's limit of {EXCEL_CELL_LIMIT:,} "
                     "characters: chronology.xlsx shows them cut, ending with \"… [truncated: N characters]\"; the "
                     "full text is in this report, chronology.csv, flags.csv and chronology.docx.</p>")
    src = _sources_frame(sources)
    if len(src):
        parts.append("<h3>Input files</h3>")
        parts.append(_html_table(src, sheet_headers(src, "Sources"), numeric=("bytes",)))
    parts.append("</section>")
    parts.append("<footer class=\"muted\"><p>Generated by review. The manifest (manifest.json) records the input "
                 "files, rules configuration, package versions and the SHA-256 of every output; "
                 "<code>review verify</code> rebuilds and compares.</p></footer>")
    parts += ["</body>", "</html>", ""]
    path = Path(path)
    path.write_text("\n".join(parts), encoding="utf-8", newline="\n")
    return path


# ---------------------------------------------------------------------------------------------------
# Manifest
# ---------------------------------------------------------------------------------------------------
def _json_default(value):
    value = _plain(value)
    if isinstance(value, (dt.datetime, dt.date)):
        return value.isoformat()
    if isinstance(value, Path):
        return value.as_posix()
    if isinstance(value, (set, frozenset, tuple)):
        return sorted(value) if isinstance(value, (set, frozenset)) else list(value)
    return str(value)


def canonical_json(value) -> str:
    return json.dumps(value, sort_keys=True, ensure_ascii=False, default=_json_default, separators=(",", ":"))


def write_manifest(path: str | Path, manifest: Mapping) -> Path:
    """Write the manifest as JSON with sorted keys (no clock-dependent fields: the caller's job)."""
    path = Path(path)
    text = json.dumps(manifest, sort_keys=True, indent=2, ensure_ascii=False, default=_json_default)
    path.write_text(text + "\n", encoding="utf-8", newline="\n")
    return path
