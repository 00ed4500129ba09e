"""The ingest pipeline: every declared agency file of a case into one canonical contact table + a report.

For each file and sheet: read the cells (readers), find the header and map the columns (headers),
then turn each data row into a contact (dates via review.ingest.dates, agencies, contact types,
concerns and escalations via review.vocab) or a rejection that names the file, sheet, row and column.
Nothing disappears: for every file and sheet, rows_read == rows_accepted + rows_rejected, and rows that
are not data (titles, blanks, repeated headers) are counted in rows_skipped.
"""
from __future__ import annotations

import datetime as dt
import hashlib
import json
from dataclasses import replace
from pathlib import PurePosixPath

import pandas as pd

from .. import vocab as vocabulary
from ..config import CaseConfig, FileSpec, load_vocab
from ..schema import CONCERN_TAGS, CONTACT_COLUMNS, CONTACT_TYPES, conform, empty_frame, join_multi
from .checks import check_rows
from .dates import DateParseError, parse_date
from .headers import FIELDS, HeaderMatch, Profile, detect_header, load_profile, normalise_header
from .readers import read_tables
from .report import FileReport, IngestReport
from .tables import RawTable

NO_HEADER_REASON = "no header row found (expected a date column such as 'Date' in the first 30 rows)"
NO_DATE_REASON = "no date"
NO_DETAILS_REASON = "no details: the row has a date and nothing else"
#: fields that do not on their own make a row a contact
NOT_DETAILS = ("date", "time", "date_end", "time_end", "sequence")
SORT_KEYS = ["source_file", "source_sheet", "source_row"]
MAX_ROWS_IN_NOTE = 10


def load_contacts(case: CaseConfig, vocab: dict | None = None) -> tuple[pd.DataFrame, IngestReport]:
    """Read every file of the case into the canonical contact table (CONTACT_COLUMNS) and its report.

    Files come from `case.files` (declared in case.yml or found in the folder), each read with its
    FileSpec's profile (default: generic). Rows are sorted by (source_file, source_sheet, source_row).
    Raises ConfigError (a path outside the case folder, an unknown or mismatched profile) and
    IngestError and its subclasses (a file that cannot be read at all).
    """
    if vocab is None:
        vocab = load_vocab(case.case_dir)
    report = IngestReport(case_id=case.case_id)
    parts: list[pd.DataFrame] = []
    for spec in case.files:
        path = case.resolve(spec.path)  # refuses anything outside the case folder
        profile = load_profile(spec.profile, case)
        if profile.sheets and not spec.sheets:
            spec = replace(spec, sheets=profile.sheets)
        for table in read_tables(path, spec, case):
            contacts, file_report = contacts_from_table(table, spec, profile, case, vocab)
            report.files.append(file_report)
            if len(contacts):
                parts.append(contacts)
    contacts = pd.concat(parts, ignore_index=True) if parts else empty_frame(CONTACT_COLUMNS)
    contacts = conform(contacts, CONTACT_COLUMNS)
    contacts = contacts.sort_values(SORT_KEYS, kind="stable").reset_index(drop=True)
    return contacts, report


def contacts_from_table(
    table: RawTable, spec: FileSpec, profile: Profile, case: CaseConfig, vocab: dict
) -> tuple[pd.DataFrame, FileReport]:
    """One sheet's accepted contacts (CONTACT_COLUMNS) and its FileReport."""
    report = FileReport(
        file=table.file, sheet=table.sheet, hidden=table.hidden, profile=profile.name, notes=list(table.notes)
    )
    empty = empty_frame(CONTACT_COLUMNS)
    if not table.rows:
        return empty, report
    width = max(len(r) for r in table.rows)
    cells = pd.DataFrame([r + [None] * (width - len(r)) for r in table.rows], dtype=object)
    blank = cells.isna().to_numpy()
    blank_row = blank.all(axis=1)
    row_numbers = table.row_numbers

    match = detect_header(table, profile)
    if match is None:
        data = [i for i in range(len(table.rows)) if not blank_row[i]]
        report.rows_read = len(data)
        report.rows_skipped = len(table.rows) - len(data)
        for i in data:
            report.reject(row_numbers[i], None, NO_HEADER_REASON)
        if data:
            report.notes.append(
                "no header row recognised: every row rejected; name the sheets to read under `sheets:` in "
                "case.yml, or give the file a profile with its header row and columns"
            )
        return empty, report

    report.header_row = match.row
    report.columns = {name: match.headers[match.columns[name]] for name in FIELDS if name in match.columns}
    above = match.index
    if above and not blank_row[:above].all():
        report.notes.append(f"{int((~blank_row[:above]).sum())} title row(s) above the header (row {match.row}) skipped")
    candidates = [i for i in range(match.index + 1, len(table.rows)) if not blank_row[i]]
    repeated = _repeated_headers(cells, candidates, match)
    if repeated:
        shown = ", ".join(str(row_numbers[i]) for i in repeated[:MAX_ROWS_IN_NOTE])
        more = "" if len(repeated) <= MAX_ROWS_IN_NOTE else f" and {len(repeated) - MAX_ROWS_IN_NOTE} more"
        report.notes.append(f"{len(repeated)} repeated header row(s) skipped (rows {shown}{more})")
    repeated_set = set(repeated)
    data = [i for i in candidates if i not in repeated_set]
    report.rows_read = len(data)
    report.rows_skipped = len(table.rows) - 1 - len(data)
    report.unmapped_columns = [
        key for col, key in match.unmapped.items() if match.headers[col] or not blank[data, col].all()
    ] if data else [key for col, key in match.unmapped.items() if match.headers[col]]
    if not data:
        return empty, report

    builder = _RowBuilder(table, spec, profile, case, vocab, match, report)
    records = []
    detail_columns = [c for c in range(width) if c not in {match.columns.get(n) for n in NOT_DETAILS}]
    for i in data:
        row = table.rows[i] + [None] * (width - len(table.rows[i]))
        has_details = not blank[i, detail_columns].all() if detail_columns else False
        record = builder.build(row, row_numbers[i], has_details)
        if record is not None:
            records.append(record)
    report.rows_accepted = len(records)
    if not records:
        return empty, report
    contacts = conform(pd.DataFrame.from_records(records), CONTACT_COLUMNS)
    check_rows(contacts, report, case)
    return contacts, report


def _repeated_headers(cells: pd.DataFrame, candidates: list[int], match: HeaderMatch) -> list[int]:
    """Rows that repeat the header (page breaks, one block per year): the date cell says "Date" again
    and at least half of the other mapped columns repeat their header too."""
    date_col = match.columns["date"]
    date_key = normalise_header(match.headers[date_col])
    others = [(c, normalise_header(match.headers[c])) for c in match.columns.values() if c != date_col]
    found = []
    column = cells[date_col]
    for i in candidates:
        value = column.iat[i]
        if not (isinstance(value, str) and value[:1].isalpha() and normalise_header(value) == date_key):
            continue
        same = sum(normalise_header(cells.iat[i, c]) == key for c, key in others)
        if same * 2 >= len(others):
            found.append(i)
    return found


class _RowBuilder:
    """Turns one data row into a contact record, or a rejection in the report. Caches per distinct value:
    dates, agency names and texts repeat, and the vocabulary functions are the costly part."""

    def __init__(self, table, spec, profile, case, vocab, match, report):
        self.table, self.spec, self.profile, self.case, self.vocab = table, spec, profile, case, vocab
        self.match, self.report = match, report
        self.col = match.columns
        self.date_header = match.header_of("date")
        self.source_file = PurePosixPath(table.file).as_posix()
        self.default_agency = spec.agency or profile.agency or PurePosixPath(table.file).stem
        self.agency_from_organisation = "agency" not in self.col and "organisation" in self.col
        self._dates: dict = {}
        self._agencies: dict = {}
        self._types: dict = {}
        self._concerns: dict = {}
        self._escalations: dict = {}
        self._informed: dict = {}

    def cell(self, row: list, name: str):
        index = self.col.get(name)
        if index is None:
            return None
        value = row[index]
        if value is not None and name in self.profile.value_maps:
            _, value = self.profile.map_value(name, value)
        return value

    def build(self, row: list, row_number: int, has_details: bool) -> dict | None:
        report = self.report
        date_value = row[self.col["date"]]
        if date_value is None:
            report.reject(row_number, self.date_header, NO_DATE_REASON)
            return None
        parsed = self._parse_date(date_value, self.cell(row, "time"))
        if isinstance(parsed, str):
            report.reject(row_number, self.date_header, parsed)
            return None
        if not has_details:
            report.reject(row_number, None, NO_DETAILS_REASON)
            return None

        date_end = pd.NaT
        end_value = self.cell(row, "date_end")
        if end_value is not None:
            end = self._parse_date(end_value, self.cell(row, "time_end"))
            if isinstance(end, str):
                report.warn(row_number, self.match.header_of("date_end"), f"end date left empty: {end}")
            else:
                date_end = end.date

        description = _text(self.cell(row, "description"))
        action = _text(self.cell(row, "action"))
        analysis = _text(self.cell(row, "analysis"))
        narrative = "\n".join(t for t in (description, action, analysis) if t)
        agency, agency_kind, organisation = self._agency(row)
        contact_type = self._contact_type(_text(self.cell(row, "contact_type")), description)
        concerns = self._tag(narrative)
        concerns_cell = _text(self.cell(row, "concerns"))
        if concerns_cell:
            concerns = join_multi(set(concerns.split("; ")) | set(self._concerns_column(concerns_cell)))
        source_sheet = self.table.sheet
        return {
            "case_id": self.case.case_id,
            "event_id": event_id(self.case.case_id, self.source_file, source_sheet, row_number),
            "date": parsed.date,
            "date_end": date_end,
            "date_precision": parsed.precision,
            "time_known": bool(parsed.time_known),
            "date_text": parsed.text,
            "sequence": self._sequence(row, row_number),
            "agency": agency,
            "agency_kind": agency_kind,
            "organisation": organisation,
            "role": _text(self.cell(row, "role")),
            "contact_type": contact_type,
            "child_seen": self._yes_no(row, "child_seen"),
            "child_seen_alone": self._yes_no(row, "child_seen_alone"),
            "description": description,
            "action": action,
            "analysis": analysis,
            "concerns": concerns,
            "escalation": self._escalation(contact_type, narrative),
            "informed_agencies": self._informed_agencies(_text(self.cell(row, "informed_agencies"))),
            "source_of_information": _text(self.cell(row, "source_of_information")),
            "source_file": self.source_file,
            "source_sheet": source_sheet,
            "source_row": row_number,
            "extra": self._extra(row),
        }

    # -- fields ------------------------------------------------------------------------------------
    def _parse_date(self, value, time_value):
        """ParsedDate, or the rejection reason (str)."""
        key = (type(value), value, type(time_value), time_value)
        try:
            return self._dates[key]
        except KeyError:
            pass
        except TypeError:  # unhashable cell value: parse without caching
            key = None
        try:
            result = parse_date(value, time_value)
        except DateParseError as exc:
            result = str(exc) or f"unreadable date {_shown(value)}"
        if key is not None:
            self._dates[key] = result
        return result

    def _agency(self, row) -> tuple[str, str, str]:
        name = _text(self.cell(row, "agency"))
        if not name and self.agency_from_organisation:
            name = _text(self.cell(row, "organisation"))
        name = name or self.default_agency
        if name not in self._agencies:
            self._agencies[name] = vocabulary.normalise_agency(name, self.vocab)
        agency, kind, organisation = self._agencies[name]
        written = _text(self.cell(row, "organisation"))
        return agency, kind, written or organisation or ""

    def _contact_type(self, type_text: str, description: str) -> str:
        mapped, value = self.profile.map_value("contact_type", type_text) if type_text else (False, type_text)
        if mapped and value in CONTACT_TYPES:
            return value
        key = (type_text, description if not type_text else "")
        if key not in self._types:
            self._types[key] = vocabulary.classify_contact_type(type_text, description, self.vocab)
        return self._types[key]

    def _tag(self, text: str) -> str:
        if not text:
            return ""
        if text not in self._concerns:
            self._concerns[text] = join_multi(vocabulary.tag_concerns(text, self.vocab))
        return self._concerns[text]

    def _concerns_column(self, text: str) -> list[str]:
        """A Concerns column may hold tag ids ("head_injury; neglect") or words ("Bruising to face")."""
        tags = set(vocabulary.tag_concerns(text, self.vocab))
        for part in text.replace(",", ";").replace("/", ";").split(";"):
            tag = "_".join(normalise_header(part).split())
            if tag in CONCERN_TAGS:
                tags.add(tag)
        return sorted(tags)

    def _escalation(self, contact_type: str, text: str) -> str:
        key = (contact_type, text)
        if key not in self._escalations:
            self._escalations[key] = vocabulary.detect_escalation(contact_type, text, self.vocab) or ""
        return self._escalations[key]

    def _informed_agencies(self, text: str) -> str:
        if not text:
            return ""
        if text not in self._informed:
            self._informed[text] = join_multi(vocabulary.parse_informed_agencies(text, self.vocab))
        return self._informed[text]

    def _yes_no(self, row, name: str):
        index = self.col.get(name)
        if index is None or row[index] is None:
            return pd.NA
        mapped, value = self.profile.map_value(name, row[index])
        if mapped:
            return pd.NA if value is None else bool(value)
        result = vocabulary.parse_yes_no(value)
        return pd.NA if result is None else bool(result)

    def _sequence(self, row, row_number: int):
        value = self.cell(row, "sequence")
        if value is None:
            return pd.NA
        try:
            number = float(str(value).strip()) if not isinstance(value, (int, float)) else float(value)
            if number.is_integer():
                return int(number)
        except ValueError:
            pass
        self.report.warn(row_number, self.match.header_of("sequence"), f"sequence {_shown(value)} is not a whole number")
        return pd.NA

    def _extra(self, row) -> str:
        extra = {key: _json_value(row[col]) for col, key in self.match.unmapped.items() if row[col] is not None}
        return json.dumps(extra, sort_keys=True, ensure_ascii=False) if extra else ""


def event_id(case_id: str, source_file: str, source_sheet: str, source_row: int) -> str:
    """Stable id from provenance: the same cell row gives the same id on every run."""
    return "E" + hashlib.sha1(f"{case_id}|{source_file}|{source_sheet}|{source_row}".encode()).hexdigest()[:12]


def _text(value) -> str:
    """A cell as text, verbatim (numbers and dates as they would print)."""
    if value is None:
        return ""
    if isinstance(value, str):
        return value
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, (dt.datetime, dt.date, dt.time)):
        return value.isoformat()
    return str(value)


def _shown(value) -> str:
    return repr(_text(value)) if not isinstance(value, str) else repr(value)


def _json_value(value):
    if isinstance(value, (str, bool, int)):
        return value
    if isinstance(value, float):
        return int(value) if value.is_integer() else value
    if isinstance(value, (dt.datetime, dt.date, dt.time)):
        return value.isoformat()
    return str(value)


__all__ = ["load_contacts", "contacts_from_table", "event_id"]
