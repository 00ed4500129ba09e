"""The ingest pipeline: every declared agency file of a case into one canonical contact table + a report.

For each file and sheet: read the cells (readers), find the header and map the columns (headers),
then turn each data row into a contact (dates via review.ingest.dates, agencies, contact types,
concerns and escalations via review.vocab) or a rejection that names the file, sheet, row and column.
Nothing disappears: for every file and sheet, rows_read == rows_accepted + rows_rejected, and rows that
are not data (titles above the header, blank rows, repeated headers, section headings such as "2023")
are counted in rows_skipped, with a note naming them.
"""
from __future__ import annotations

import datetime as dt
import gc
import hashlib
import json
import operator
import os
import posixpath
import re
from bisect import bisect_right
from contextlib import contextmanager
from functools import lru_cache
from dataclasses import replace
from importlib import resources
from itertools import chain, combinations, islice
from pathlib import Path, PurePosixPath

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from .. import vocab as vocabulary
from ..config import OWN_FILES, SPREADSHEET_SUFFIXES, WORKBOOK_SUFFIXES, CaseConfig, FileSpec, load_vocab
from ..errors import ConfigError
from ..schema import (
    CONCERN_TAGS,
    CONTACT_COLUMNS,
    CONTACT_TYPES,
    empty_frame,
    join_multi,
    split_multi,
)
from .checks import case_periods, check_rows
from .dates import (_SERIAL_TEXT, DateParseError, is_unknown_time, parse_date, school_term, season_note,
                    weekday_note)
from .headers import (
    FIELDS,
    HEADER_SCAN_ROWS,
    MAX_HEADER_CHARS,
    HeaderMatch,
    Profile,
    ProfileColumnsMissing,
    column_letter,
    cover_labels,
    detect_header,
    footer_words,
    header_hit,
    load_profile,
    normalise_header,
    profile_mismatch,
    week_date_headers,
)
from .identity import CHILD, case_reference, identity_columns, other_children, read_identity, subject_other_child
from .identity import subject_prefilter
from .identity import combined_who as other_who
from .identity import summary as other_child_summary
from .plausibility import check_ambiguous_dates, check_date_plausibility, check_duplicate_rows
from .readers import read_tables
from .report import FileReport, IngestReport
from .tables import RawTable

NO_HEADER_REASON = "no header row found (expected a date column such as 'Date' in the first 30 rows)"
NO_DATE_REASON = "no date"
NO_DETAILS_REASON = "no details: the row has a date and nothing else"
#: agency names compared for a misspelling (`_CaseBatch._lookalike_agencies`): at most this many distinct
#: names in a case (more is a column of free text, not agencies), alike at this rapidfuzz ratio or more
LOOKALIKE_AGENCIES_MAX = 200
LOOKALIKE_AGENCY_RATIO = 92
_NUMBERS = re.compile(r"\d+")
#: fields that do not on their own make a row a contact
NOT_DETAILS = ("date", "time", "date_end", "time_end", "sequence")
SORT_KEYS = ["source_file", "source_sheet", "source_row"]
MAX_ROWS_IN_NOTE = 10
#: a sheet's fields other than the dates are read per distinct row content when at least this share of
#: its rows repeat an earlier row's (`_ColumnBuilder._distinct_content`), else row by row
DISTINCT_CONTENT_SHARE = 0.5
#: the classes of the content cells that make a key equal only to the same cells (numbers do not: 1 == 1.0 == True)
_CONTENT_KEY_CLASSES = frozenset({str, dt.date, dt.datetime, dt.time, dt.timedelta})
#: a sheet's agency names (or shared-with recipients) in no vocabulary warned about one by one: the
#: others are named in one note (a column of free text would otherwise give a warning per distinct value)
MAX_NAMES_WARNED = 10
#: a Word table without a header continues the previous one when one of its first this many dated
#: rows reads as a date
CONTINUATION_ROWS_LOOKED_AT = 3


def load_contacts(case: CaseConfig, vocab: dict | None = None) -> tuple[pd.DataFrame, IngestReport]:
    """Read every file of the case into the canonical contact table (CONTACT_COLUMNS) and its report.

    Files come from `case.files` (declared in case.yml or found in the folder), each read with its
    FileSpec's profile (default: generic). Rows are sorted by (source_file, source_sheet, source_row).
    Raises ConfigError (no files, a path outside the case folder, an unknown profile, a profile's header_row
    past the end of a sheet; a declared profile whose header row lacks its columns is one rejection of that
    sheet's rows, the other sheets still read) and
    IngestError and its subclasses (a file that cannot be read at all).
    """
    if not case.files:
        raise ConfigError(
            "no agency files: put the chronologies (xlsx, xlsm, xls, ods, csv, docx) in the case folder "
            "or list them under `files:`",
            file=case.case_file,
        )
    if vocab is None:
        vocab = _load_vocab(case.case_dir)
    vocab = _with_child_name(_with_people(vocab, case), case)
    report = IngestReport(case_id=case.case_id)
    batch = _CaseBatch(case, vocab)
    profiles: dict[str | None, Profile] = {}  # a case's files mostly share one profile
    with _collector_paused():
        for spec in case.files:
            path = case.resolve(spec.path)  # refuses anything outside the case folder
            if spec.profile not in profiles:
                profiles[spec.profile] = load_profile(spec.profile, case)
            profile = profiles[spec.profile]
            if profile.sheets and not spec.sheets and path.suffix.lower() in WORKBOOK_SUFFIXES:
                spec = replace(spec, sheets=profile.sheets)  # a profile's sheets are a workbook's
            sheets = [batch.add(table, spec, profile) for table in read_tables(path, spec, case)]
            batch.advise_sheets(spec, sheets)
            report.files += sheets
        contacts = batch.finish()
        report.other_children = list(batch.other_names)
        report.other_people = dict(batch.other_names)
        del batch  # its column lists freed now: the collector, once resumed, would walk them for nothing
    report.notes += _unlisted_files(case)
    return contacts, report


def _unlisted_files(case: CaseConfig) -> list[str]:
    """A note for each file in the case folder that looks like a chronology (a spreadsheet, csv or Word
    suffix, as a folder scan would read) but that case.yml's `files:` does not list: it is not read, and
    a resubmitted or late chronology left beside the others must not go unseen. Names are compared
    without regard to capitals (as a Windows or macOS folder does)."""
    if not case.declared_files or case.case_dir is None:
        return []
    listed = {posixpath.normpath(PurePosixPath(spec.path).as_posix()).lower() for spec in case.files}
    try:
        with os.scandir(case.case_dir) as entries:
            found = sorted(
                entry.name for entry in entries
                if entry.name.lower() not in listed
                and entry.name.lower().endswith(SPREADSHEET_SUFFIXES)
                and not entry.name.startswith(("~$", "."))
                and entry.name.lower() not in OWN_FILES
                and entry.is_file()
            )
    except OSError:
        return []
    return [
        f"{name!r} is in the case folder but not listed under `files:` in case.yml: not read (add it "
        "under `files:` to read it, or move it out of the case folder)"
        for name in found
    ]


@contextmanager
def _collector_paused():
    """Python's cyclic garbage collector paused while one case is read, then restored as it was.

    Ingest makes a row list per spreadsheet row and a few lists per column, none in a reference cycle,
    and they live until the case's table is built: the collector would walk them again and again for
    nothing (about 5% of ingest, with a few full collections per hundred files). Reference counting
    still frees everything as usual; cycles made meanwhile wait for the next collection."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


_VOCABS: dict = {}  # (package vocab.yml text, case vocab.yml text) -> the parsed, merged vocabulary


def _load_vocab(case_dir) -> dict:
    """`load_vocab(case_dir)`, parsed once per distinct content of the YAML files (parsing the package
    vocabulary costs ~50 ms, paid again for every case otherwise).

    The same mapping is returned for the same content, so `review.vocab` compiles it once (~4 ms, its
    cache is by identity) and its word caches serve every case. It is only read, by this module: it is
    never handed to callers."""
    try:
        package = resources.files("review").joinpath("data", "vocab.yml").read_text(encoding="utf-8")
        own = Path(case_dir) / "vocab.yml" if case_dir is not None else None
        key = (package, own.read_bytes() if own is not None and own.exists() else None)
    except OSError:
        return load_vocab(case_dir)
    if key not in _VOCABS:
        if len(_VOCABS) > 8:
            _VOCABS.clear()
        _VOCABS[key] = load_vocab(case_dir)
    return _VOCABS[key]


#: (id of a vocabulary, the adults' given names) -> (that vocabulary, it with them in injury_adults)
_PEOPLE_VOCABS: dict = {}


def adult_given_names(vocab: dict, people, child_name=None) -> dict[str, str]:
    """{given name: "female" / "male" / "either"} of the case's adults as ingest reads them (`_with_people`):
    case.yml `people` ({name: role}) whose role's last word is an adult of `vocab`'s injury_adults ("Mother",
    "Mother's partner", "Maternal grandmother"), by the role's gender ("either" for a given name two roles of
    both genders share); only a given name, never the child's own (`child_name`), a word of injury_child_words
    or an adult word itself. {} when the case names no adult. The rules read a parent's report with the same
    names (`review.rules.self_harm_not_referred.reported_child_self_harm`)."""
    adults = vocab.get("injury_adults") or {}
    if not people or not isinstance(people, dict) or not isinstance(adults, dict):
        return {}
    gender_of = {vocabulary.normalise_text(w): g for g, words in adults.items() for w in (words or ())}
    child_words = {vocabulary.normalise_text(w) for w in vocab.get("injury_child_words") or ()}
    child = vocabulary.normalise_text(str(child_name or "")).split()[:1]
    added: dict[str, str] = {}
    for name, role in people.items():
        words = vocabulary.normalise_text(str(name)).split()
        role_words = vocabulary.normalise_text(str(role)).split()
        if not words or not role_words:
            continue
        gender = gender_of.get(role_words[-1])
        given = words[0]
        if gender is None or given in child or given in child_words or given in gender_of:
            continue
        added[given] = gender if added.get(given, gender) == gender else "either"
    return added


#: (id of a vocabulary, the child's given name) -> (that vocabulary, it with the name in sighting_child_names)
_CHILD_NAME_VOCABS: dict = {}


def _with_child_name(vocab: dict, case) -> dict:
    """`vocab` with the child's given name (case.yml child_name: its first word, `review.sightings.given_name`)
    added to sighting_child_names (s21, QA13 / QA12 D11), as the sightings read it (`review.sightings.with_child_names`):
    the concern tags then read "Mason seen and weighed ... moses basket at Nan's. Not seen." as the child seen and
    the sleeping place unseen (`review.vocab.not_seen_mentions_elsewhere`), as they read "Baby seen ...". Only the
    child's own name; `vocab` itself when the case names no child or the name is already listed."""
    from ..sightings import given_name

    given = vocabulary.normalise_text(given_name(getattr(case, "child_name", None)))
    names = list(vocab.get("sighting_child_names") or [])
    if not given or given in {vocabulary.normalise_text(str(n)) for n in names}:
        return vocab
    key = (id(vocab), given)
    held = _CHILD_NAME_VOCABS.get(key)
    if held is None or held[0] is not vocab:
        if len(_CHILD_NAME_VOCABS) > 256:
            _CHILD_NAME_VOCABS.clear()
        held = _CHILD_NAME_VOCABS[key] = (vocab, {**vocab, "sighting_child_names": names + [given]})
    return held[1]


def _with_people(vocab: dict, case) -> dict:
    """`vocab` with the given names of the case's adults (case.yml `people`, whose role names an adult of
    injury_adults: "Mother", "Mother's partner", "Maternal grandmother") added to injury_adults by the role's
    gender, so that "Sian assaulted by partner, injury to her lip" or "Sian's black eye" is the mother's
    injury, not the child's (`Vocabulary._adults_injury`), and "Sian said Connor hit her" is no disclosure
    by the child. Only a given name (a surname is often the child's too), never the child's own
    (`child_name`) nor one of a person whose role is not an adult's ("Sibling"). The same mapping for the
    same vocabulary and names, as `review.vocab.compile_vocab` caches by identity; `vocab` itself when the
    case names no adult."""
    adults = vocab.get("injury_adults") or {}
    added = adult_given_names(vocab, getattr(case, "people", None), getattr(case, "child_name", None))
    if not added:
        return vocab
    key = (id(vocab), tuple(sorted(added.items())))
    held = _PEOPLE_VOCABS.get(key)
    if held is None or held[0] is not vocab:
        if len(_PEOPLE_VOCABS) > 256:
            _PEOPLE_VOCABS.clear()
        extended = dict(adults)
        for given, gender in added.items():
            extended[gender] = list(extended.get(gender) or ()) + [given]
        held = _PEOPLE_VOCABS[key] = (vocab, {**vocab, "injury_adults": extended})
    return held[1]


#: (cell class, cell, time class, time) -> ParsedDate or rejection reason, for every case in the process:
#: `parse_date` depends on the cells only, and a case store's cases share most of their dates
_DATES: dict = {}
MAX_CACHED_DATES = 100_000  # ~35 MB at most; every day of 20 years is ~7,300 entries


def _parsed_dates() -> dict:
    """The process's parsed-date cache, emptied when it holds more than MAX_CACHED_DATES entries."""
    if len(_DATES) > MAX_CACHED_DATES:
        _DATES.clear()
    return _DATES


def contacts_from_table(
    table: RawTable, spec: FileSpec, profile: Profile, case: CaseConfig, vocab: dict, caches: dict | None = None
) -> tuple[pd.DataFrame, FileReport]:
    """One sheet's accepted contacts (CONTACT_COLUMNS, in row order) and its FileReport."""
    batch = _CaseBatch(case, vocab, caches)
    report = batch.add(table, spec, profile)
    return batch.finish(), report


#: words of a header that may name the date column a profile should map ("Incident Date/Time", "When")
_DATE_HEADER_WORDS = frozenset({"date", "dated", "dates", "time", "when", "day", "dob", "datetime"})


def _no_header_note(table: RawTable, data: np.ndarray, other_sheets: tuple[str, ...] = (),
                    entry: FileSpec | None = None) -> str:
    """The note on a sheet whose header was not recognised (no row names a date column): the row most like
    a header (`_likely_header`: not a title row above it), its cells, and what to do. The cause is always
    that no date column was found, so the advice is a profile naming it (`columns: {date: ...}`, the header
    of the column holding dates below that row, else one saying date or time); a workbook's sheet that is
    not a chronology (a key, a cover sheet) is left out with `sheets:`, which a csv does not have. When
    `other_sheets` of the workbook were read with their own header, a profile for the whole file would not
    fit them: the advice is to list the file a second time, with `sheets:` naming this sheet and its profile."""
    position = _likely_header(table, data, found_only=True)
    header_like = position is not None
    position = position or 0
    header_row = table.rows[data[position]]
    below = data[position + 1:position + 6]
    first = [str(v) for v in header_row if v is not None][:8]
    # no row like a header (a junk sheet: "see scanned pdf", "p.2 missing", "??"): no column to name from it
    headers = [(i, " ".join(str(v).split())) for i, v in enumerate(header_row)
               if header_like and isinstance(v, str) and v.strip()]
    dated = [i for i, _ in headers
             if any(i < len(table.rows[r]) and _cell_reads_as_date(table.rows[r][i]) for r in below)]
    worded = [i for i, h in headers if _DATE_HEADER_WORDS & set(normalise_header(h).split())]
    column = next(iter(dated or worded), None)
    date = next((h for i, h in headers if i == column), None)
    # a header row names a date column and one more field: the narrative, the column with the longest texts; not
    # one of numbers ("Sessions booked": 3, 3, 0), which holds no narrative, nor one under a cell no header is
    # ("p.2 missing", "??": a junk sheet's text)
    length = {i: sum(len(str(table.rows[r][i])) for r in below if i < len(table.rows[r])
                     and table.rows[r][i] is not None)
              for i, h in headers if i != column and _header_like(h) and not _mostly_numbers(table, below, i)}
    text = max(length, key=lambda i: (length[i], -i)) if length and max(length.values()) else None
    details = next((h for i, h in headers if i == text), None)
    mapping = ", ".join((f"date: {date!r}" if date else "date: <the header of its date column>",
                         f"description: {details!r}" if details else "description: <the header of its narrative>"))
    name = re.sub(r"[^a-z0-9]+", "_", PurePosixPath(table.file).stem.casefold()).strip("_") or "agency"
    holds = ", ".join(map(repr, first))
    where = (f"no row is like a header; the first row holds {holds}" if not header_like else
             f"the first row holds {holds}" if position == 0 else
             f"row {table.row_numbers[data[position]]}, the row most like a header (under "
             f"{position} title row(s)), holds {holds}")
    said = f"no header row recognised (no date column; {where}): every row rejected; "
    if table.sheet and other_sheets:
        # a profile for the whole file would be applied to its other sheets too, which have their own header
        name = f"{name}_{re.sub(r'[^a-z0-9]+', '_', table.sheet.casefold()).strip('_') or 'sheet'}"
        path = entry.path if entry is not None else table.file
        listed = (f"give this sheet a profile of its own, the file's other sheet(s) ({', '.join(map(repr, other_sheets))}) "
                  f"being read with their header: list the file a second time under `files:` in case.yml, "
                  f"`- {{path: {path}, sheets: [{table.sheet}], profile: {name}}}`, with `columns: {{{mapping}}}` in "
                  f"profiles/{name}.yml in the case folder, and `sheets:` naming the other sheet(s) on its first entry")
        if not date and not details:
            # neither a date column nor a narrative to name: most likely no chronology (a note, a damaged page)
            return (said + f"it has no column of dates nor of narrative: if it holds no contacts, leave it out: "
                    f"`sheets: [{', '.join(other_sheets)}]` on the file's entry under `files:` in case.yml; if it does, "
                    + listed)
        if not details:
            # a column of dates and the others of numbers ("Term | Sessions possible | Attendance %"): a table of
            # figures, with no narrative to read as a contact's description
            return (said + f"{date!r} may hold its dates, but no column holds narrative (the others hold numbers "
                    "or nothing: a table of figures, such as attendance, not contacts): leave it out: "
                    f"`sheets: [{', '.join(other_sheets)}]` on the file's entry under `files:` in case.yml (its "
                    "figures can be quoted in the review's text); if it does hold contacts, " + listed)
        return said + listed + "; or, if the sheet holds no contacts, leave it out of the `sheets:` there"
    profile = (f"give the file a profile naming its date column and its narrative: `columns: {{{mapping}}}` in profiles/{name}.yml "
               f"in the case folder, and `profile: {name}` on its entry under `files:` in case.yml")
    if not table.sheet:  # a csv: one table, no sheets to choose
        return said + profile
    if date and details:
        return said + profile + "; or, if the sheet holds no contacts, name the sheets to read under `sheets:` there"
    return (said + "if the sheet holds no contacts (a key, a cover sheet), name the sheets to read under "
            f"`sheets:` in case.yml; if it does, {profile}")


def _likely_header(table: RawTable, data: np.ndarray, *, found_only: bool = False) -> int | None:
    """The position in `data` (the sheet's filled rows) of the row most like a header, of the first
    HEADER_SCAN_ROWS: the one with the most short text cells, none a date or a number (a title row above the
    header has one) and each like a header (`_header_like`: not "p.2 missing", "??"), the earliest on a tie; 0
    (with `found_only`, None) when no row has two such cells."""
    best, found = 1, None if found_only else 0
    for position, i in enumerate(data[:HEADER_SCAN_ROWS].tolist()):
        cells = [v for v in table.rows[i] if v is not None and not (isinstance(v, str) and not v.strip())]
        if not all(isinstance(v, str) and len(v) <= MAX_HEADER_CHARS and not _cell_reads_as_date(v)
                   and _header_like(v) for v in cells):
            continue
        if len(cells) > best:
            best, found = len(cells), position
    return found


#: a header names a column in a few words: longer texts are a title or a note ("Westbridge Children's Services -
#: single agency chronology", "see scanned pdf for page 2")
_HEADER_WORDS_MAX = 6


def _header_like(text: str) -> bool:
    """Could the cell `text` be a column's header: a few words (`_HEADER_WORDS_MAX`), none a bare number (bracketed
    notes aside: "Date (dd/mm/yyyy)"; "S47 outcome" is one), at least one of two letters or more? Not "p.2
    missing", "??", "####REF!" nor a sentence-long title."""
    words = normalise_header(text).split()
    return 0 < len(words) <= _HEADER_WORDS_MAX and not any(w.isdigit() for w in words) and any(len(w) > 1 for w in words)


def _mostly_numbers(table: RawTable, rows: np.ndarray, column: int) -> bool:
    """Are most of the filled cells of `column` in `rows` numbers ("3", 0, "2.5"): a count, not a narrative?"""
    values = [table.rows[r][column] for r in rows if column < len(table.rows[r])]
    values = [v for v in values if v is not None and not (isinstance(v, str) and not v.strip())]
    numbers = sum(isinstance(v, (int, float)) and not isinstance(v, bool)
                  or isinstance(v, str) and re.fullmatch(r"\s*[-+]?\d+(?:[.,]\d+)?\s*", v) is not None for v in values)
    return bool(values) and numbers * 2 > len(values)


def _cell_reads_as_date(value: object) -> bool:
    if isinstance(value, (dt.date, dt.datetime)):
        return True
    if not isinstance(value, str) or not value.strip() or len(value) > 40:
        return False
    try:
        parse_date(value)
    except (DateParseError, ValueError, TypeError, OverflowError):
        return False
    return True


class _CaseBatch:
    """The contacts of one case's tables, gathered column by column and made into one table at the end.

    `add` reads one table: its header, the rows that are not data, the rejections, and the accepted
    rows' fields, appended as Python lists to the case's columns; and the duplicate-row check, which
    needs only the cells. `finish` builds the contact table once, each column straight into its dtype
    (no per-table frames to concatenate and cast: that cost ~4 ms a table), then runs the checks that
    need typed columns on each table's slice of it. A table's report gets its warnings in the same order
    as when tables were built one by one: the builder's, duplicates, date plausibility, row checks.
    """

    def __init__(self, case: CaseConfig, vocab: dict, caches: dict | None = None):
        self.case, self.vocab = case, vocab
        self.caches = {} if caches is None else caches  # per distinct value, shared by every sheet
        self.columns: dict[str, list] = {name: [] for name in CONTACT_COLUMNS}
        self.size = 0
        self.checks: list[tuple[FileReport, int, int, list]] = []  # (report, start, stop, raw date cells)
        self.keys: list[tuple[str, str]] = []  # (source_file, source_sheet) of each table with contacts
        self.in_order = True  # each table's source rows ascending: no sort needed when keys ascend too
        #: file -> (sheet, header row cells) of its last Word table read with a header
        self.word_headers: dict[str, tuple[str, list]] = {}
        self.agency_headers: list[str | None] = []  # each of `checks`' tables: its Agency column's header
        #: file -> [its first sheet's report, rows of another child (or person), {their label: rows},
        #: {their label: whom the rows are about (`identity.Verdict.who`)}]
        self.other_children: dict[str, list] = {}
        #: their names as written, in order (the redactor's) -> whom their rows are about (`identity.Verdict.who`)
        self.other_names: dict[str, str] = {}
        #: the sheets of the file being read with no header recognised: (report, its note's position, table, filled
        #: rows), for `advise_sheets` once the file's other sheets are read
        self.no_header: list[tuple[FileReport, int, RawTable, np.ndarray]] = []

    def advise_sheets(self, spec: FileSpec, reports: list[FileReport]) -> None:
        """Once a file's sheets (`reports`) are read: the note on each with no header recognised advises
        listing the file a second time with `sheets:` and a profile of its own when another sheet of the file
        was read with its header (a profile for the whole file would not fit that sheet)."""
        read = tuple(r.sheet for r in reports if r.header_row is not None or r.columns)
        for report, position, table, data in self.no_header:
            others = tuple(sheet for sheet in read if sheet != table.sheet)
            if others:
                report.notes[position] = _no_header_note(table, data, others, spec)
        self.no_header = []

    def add(self, table: RawTable, spec: FileSpec, profile: Profile) -> FileReport:
        """Read one sheet into the batch; return its FileReport."""
        report = FileReport(
            file=table.file, sheet=table.sheet, hidden=table.hidden, profile=profile.name, notes=list(table.notes)
        )
        if not table.rows:
            return report
        self._read(table, spec, profile, report)
        return report

    def _read(self, table: RawTable, spec: FileSpec, profile: Profile, report: FileReport, part: bool = False) -> None:
        """Read `table` (a sheet, or with `part` a second table of it, from its own header down) into the batch
        and into `report` (the sheet's: counts add up over its tables)."""
        mismatch = None
        try:
            match = detect_header(table, profile)
        except ProfileColumnsMissing as error:
            # the profile's header row lacks its declared columns (renamed, or a header_row that is not the
            # header): the sheet's rows are rejected once, below, and the other files and sheets still read
            match, mismatch = None, error.mismatch
        continued = None
        if match is None and profile.header_row is None and mismatch is None:
            continued = self._continued_word_table(table, profile)
            if continued is not None:
                table, match, previous = continued
                report.notes.append(
                    f"no header row: the table continues {previous} (same {len(match.headers)} columns, and "
                    "its rows have dates where that table's header has its date column), so it is read "
                    f"with that table's header"
                )
        if match is not None and _is_word_table(table):
            self.word_headers[table.file] = (table.sheet, table.rows[match.index])
        cells = _cell_array(table.rows)
        # whether each row of `cells` holds the very cells of its row list (one width, nothing undone)
        cells_are_rows = set(map(len, table.rows)) == {cells.shape[1]}
        if match is not None and table.merged_ranges:
            _unfill_across_fields(table, cells, match, report)
            cells_are_rows = False
        blank = np.equal(cells, None) if table.only_none_missing else pd.isna(cells)
        blank_row = blank.all(axis=1)
        row_numbers = table.row_numbers

        if match is None:
            data = np.flatnonzero(~blank_row)
            report.rows_read += len(data)
            report.rows_skipped += len(table.rows) - len(data)
            if (mismatch is not None or spec.profile is not None) and len(data):
                # a declared profile whose columns the sheet does not have (a renamed header): one error
                # for the sheet, naming the column, the header row and the closest header, not one per row
                mismatch = mismatch or profile_mismatch(table, profile)
                report.reject_rows([row_numbers[i] for i in data.tolist()], mismatch.row,
                                   mismatch.column, mismatch.message(profile))
                return
            if len(data):
                # one rejection for the sheet, naming its rows (not one line per row: the cause is the sheet's)
                report.reject_rows([row_numbers[i] for i in data.tolist()], row_numbers[data[_likely_header(table, data)]],
                                   None, NO_HEADER_REASON)
                report.notes.append(_no_header_note(table, data))
                self.no_header.append((report, len(report.notes) - 1, table, data))
            return

        # the rows below the header whose date cell is text (a header's, a heading's): per distinct value, once
        below = match.index + 1 + np.flatnonzero(~blank_row[match.index + 1 :])
        text_dated = _text_date_rows(cells, below, match.columns["date"])
        # a second table below this one, with its own header ("Hospital | Date of attendance | Outcome | ..."
        # under a GP's table): each table is read with its own header's columns, into the sheet's report
        own = replace(profile, header_row=None, columns={})
        own_lookup = own.lookup()
        # ... or one whose header starts in another column, or leaves the date column blank ("| Date of attendance
        # | Hospital | Outcome" under a table dated in column A): a row with a blank date cell and a date header
        blank_dated = _blank_dated_header_rows(cells, blank, below, match.columns["date"], own_lookup)
        maybe = np.union1d(text_dated, blank_dated) if len(blank_dated) else text_dated
        second = _second_header(cells, maybe, match, own_lookup, set(blank_dated.tolist())) if len(maybe) else None
        if second is not None:
            self._read(_table_rows(table, 0, second), spec, profile, report, part)
            self._read(_table_rows(table, second, len(table.rows)), spec, own, report, True)
            return

        fields = {name: match.headers[match.columns[name]] for name in FIELDS if name in match.columns}
        if part:
            report.notes.append(
                f"the sheet holds a second table from row {match.row}, with its own header: its rows are read with "
                f"its columns ({', '.join(f'{name}: {header!r}' for name, header in fields.items())})"
            )
        else:
            report.header_row = None if continued is not None else match.row
            report.columns = fields
        body = () if match.body_site is None else (match.body_site[0], *match.body_site[2])
        if body:
            others = "".join(f", with {match.headers[c]!r}" for c in body[1:])
            report.notes.append(
                f"column {match.headers[body[0]]!r} is read as the site of an injury on the body, not as the "
                f"organisation ({match.body_site[1]}): "
                + (f"its text{others} follows the description ({match.header_of('description')!r}), under its header"
                   if body[0] in match.also.get("description", ()) else "kept under Other columns")
            )
        by_kind = dict(match.narrative_like)
        for name, further in ((n, tuple(c for c in f if c not in body and c not in by_kind)) for n, f in match.also.items()):
            if not further:
                continue
            report.notes.append(
                f"column(s) {', '.join(repr(match.headers[c]) for c in further)} also name {name} "
                f"(read from {match.headers[match.columns[name]]!r}): their text follows it, under their header"
            )
        for column, why in match.narrative_like:
            name = next(n for n in ("description", "action", "analysis")
                        if match.columns.get(n) == column or column in match.also.get(n, ()))
            kind = ("its header ends with a narrative word (profiles.yml `narrative_like_words`)" if why == "narrative-like"
                    else "its values are free text, not categories of concern")
            report.notes.append(
                f"column {match.headers[column]!r} is read as narrative ({kind}): "
                + (f"it is the {name}" if match.columns.get(name) == column else
                   f"its text follows the {name} ({match.headers[match.columns[name]]!r}), under its header")
            )
        first = match.index if match.top is None else match.top
        if match.top is not None:
            report.notes.append(
                f"header in two rows ({table.row_numbers[match.top]} and {match.row}): "
                f"columns read as {', '.join(repr(h) for h in match.headers if h)}"
            )
        above = np.flatnonzero(~blank_row[:first])
        dated = _dated_rows_above(table, cells, blank, above, profile, table.row_numbers[first]) if len(above) else []
        titles = len(above) - len(dated)
        if titles:
            report.notes.append(f"{titles} title row(s) above the header (row {table.row_numbers[first]}) skipped")
        candidates = below
        footers = _footer_rows(cells, blank, candidates, match)
        if footers:
            # a signature or closing line under the last contact: skipped, each named in a warning (not a
            # contact without a date, and not a section heading)
            for i in footers:
                column = int(np.flatnonzero(~blank[i])[0])
                report.warn(
                    row_numbers[i], match.headers[column] or column_letter(column),
                    f"footer under the chronology skipped, not read as a contact: {_text(cells[i, column]).strip()[:120]!r} "
                    "(a signature or closing line after the last contact; if it is a contact, give it a date)",
                )
            candidates = candidates[: len(candidates) - len(footers)]
        not_data = []
        for kind, found in (
            ("merged-row continuation", _continuations(table, candidates)),
            ("repeated header", _repeated_headers(cells, text_dated[text_dated <= candidates[-1]] if len(candidates)
                                                  else text_dated[:0], match)),
            ("section heading", _section_headings(cells, blank, candidates, match)),
        ):
            found = [i for i in found if i not in not_data] if not_data else found
            if found:
                why = " (every filled cell merged with the row above: part of that row's contact)" if kind.startswith("merged") else ""
                report.notes.append(f"{len(found)} {kind} row(s) skipped{why} ({_rows_named([row_numbers[i] for i in found])})")
                not_data += found
        data = np.setdiff1d(candidates, not_data) if not_data else candidates
        report.rows_read += len(data) + len(dated)
        # the sheet's header is counted by itself (`header_row`); a second table's header is a row skipped, so that
        # the header, the rows read and the rows skipped add up to the sheet's rows
        report.rows_skipped += len(table.rows) - (0 if part else 1) - len(data) - len(dated)
        for i, column, reason in dated:
            report.reject(row_numbers[i], column, reason)
        unmapped = [key for col, key in match.unmapped.items() if match.headers[col] or not blank[data, col].all()]
        report.unmapped_columns += [key for key in unmapped if key not in report.unmapped_columns]
        if not len(data):
            return

        if table.record_widths is not None:
            _check_record_widths(table, cells, blank, data, match, report)
        if spec.sheets is None or table.sheet not in spec.sheets:
            count = _summary_count_column(table, cells, blank, data, match)
            if count is not None:
                _reject_summary(table, data, match, count, report)
                return

        data = _reject_uncached_formulas(table, data, match, report)
        if len(data):
            data = self._reject_other_children(table, cells, data, match, report)
        if len(data):
            data = self._reject_other_subjects(table, cells, data, match, report)
        accepted = 0
        if len(data):
            builder = _ColumnBuilder(table, spec, profile, self.case, self.vocab, match, report, cells, self.caches)
            accepted = builder.build(data, blank, self.columns)
        report.rows_accepted += accepted
        positions = data.tolist()
        data_rows = [table.rows[i] for i in positions] if cells_are_rows else cells[data].tolist()
        check_duplicate_rows(data_rows, [row_numbers[i] for i in positions], report)
        raw_dates = cells[data, match.columns["date"]].tolist()
        check_ambiguous_dates(raw_dates, [row_numbers[i] for i in positions], report)
        self.checks.append((report, self.size, self.size + accepted, raw_dates))
        self.agency_headers.append(match.header_of("agency") if "agency" in match.columns else None)
        if accepted:
            rows = self.columns["source_row"][self.size :]
            self.in_order = self.in_order and all(map(operator.lt, rows, rows[1:]))  # ascending
            # (a second table of a sheet comes after the first: its key sorts after the sheet's)
            self.keys.append((PurePosixPath(table.file).as_posix(), table.sheet) + ((match.row,) if part else ()))
        self.size += accepted

    def _reject_other_children(self, table: RawTable, cells: np.ndarray, data: np.ndarray, match: HeaderMatch,
                               report: FileReport) -> np.ndarray:
        """`data` without the rows of another child (`review.ingest.identity`), each rejected with the
        cell that shows it; the columns that identify the child are named in a note, and no longer listed
        as not analysed (their values stay in `extra`)."""
        used = set(match.columns.values()).union(*match.also.values())
        columns = identity_columns(match.headers, used)
        if not columns:
            return data
        headers = [match.headers[c] or column_letter(c) for c in range(len(match.headers))]
        row_numbers = [table.row_numbers[i] for i in data.tolist()]
        identity = read_identity(cells, data, columns, headers, self.case, row_numbers, _rows_named)
        read = {c: kind for c, kind in columns.items() if c not in identity.skipped}
        said = {"name": "the child's name", "date_of_birth": "the child's date of birth", "nhs_number": "the child's NHS number"}
        if read:
            report.notes.append("read as identifying the child of each row (another child's rows are rejected): "
                                + ", ".join(f"{headers[c]!r} ({said[kind]})" for c, kind in read.items()))
        shown = {match.unmapped[c] for c in read if c in match.unmapped}
        report.unmapped_columns = [c for c in report.unmapped_columns if c not in shown]
        report.notes += identity.notes
        for row, column, message in identity.warnings:
            report.warn(row, column, message)
        if not identity.reasons:
            return data
        for name in identity.names:
            self.other_names[name] = other_who(self.other_names.get(name), identity.name_who.get(name, CHILD))
        seen = self.other_children.setdefault(table.file, [report, 0, {}, {}])
        for row, column, reason in identity.reasons:
            report.reject(row, column, reason)
        seen[1] += len(identity.reasons)
        for label, rows in identity.children.items():
            seen[2][label] = seen[2].get(label, 0) + rows
            seen[3][label] = other_who(seen[3].get(label), identity.who.get(label, CHILD))
        return data[~identity.reject]

    def _reject_other_subjects(self, table: RawTable, cells: np.ndarray, data: np.ndarray, match: HeaderMatch,
                               report: FileReport) -> np.ndarray:
        """`data` without the rows whose description opens with another child as its subject (s17,
        `review.ingest.identity.subject_other_child`: "Tyler Marsh (aged 7, brother) found home alone", Tyler
        listed in case.yml as Brother), each rejected as another child's row is (its file, sheet, row and
        description column, and the file's summary); one opening with that child's account ("Tyler said ...")
        or the child's given name alone ("Tyler found home alone") is kept with a warning. Each distinct description read once, those a vectorised search finds no such
        opening in not at all."""
        if "description" not in match.columns:
            return data
        children = other_children(self.case)
        child_words = case_reference(self.case)[0]
        if not children and not child_words:
            return data
        column = match.columns["description"]
        header = match.headers[column] or column_letter(column)
        values = pd.Series(cells[data, column], dtype=object)
        codes, uniques = pd.factorize(values, use_na_sentinel=True)
        texts = np.array([u if isinstance(u, str) else "" for u in uniques], dtype=object)
        if not len(texts):
            return data
        hit = np.array(pc.fill_null(pc.match_substring_regex(pa.array(texts, type=pa.large_string()),
                                                             subject_prefilter(children), ignore_case=True),
                                    False), dtype=bool)
        readings = {int(u): subject_other_child(texts[u], children, child_words) for u in np.flatnonzero(hit)}
        readings = {u: r for u, r in readings.items() if r is not None}
        if not readings:
            return data
        reject = np.zeros(len(data), dtype=bool)
        seen = None
        kept_rows: dict[int, list[int]] = {}
        for k in np.flatnonzero(np.isin(codes, np.fromiter(readings, dtype=codes.dtype))).tolist():
            written, why, kept = readings[int(codes[k])]
            row = table.row_numbers[int(data[k])]
            if kept:
                kept_rows.setdefault(int(codes[k]), []).append(row)
                continue
            reject[k] = True
            report.reject(row, header, f"record of another child: {why}")
            if seen is None:
                seen = self.other_children.setdefault(table.file, [report, 0, {}, {}])
            seen[1] += 1
            label = written.split()[0]
            seen[2][label] = seen[2].get(label, 0) + 1
            seen[3][label] = other_who(seen[3].get(label), CHILD)
            self.other_names[written] = other_who(self.other_names.get(written), CHILD)
        for code, rows in kept_rows.items():  # one warning per distinct description
            report.warn(rows[0], header, f"{readings[code][1]}: kept as the case's child's record (their given name "
                                         f"alone, their own account, or the case's child named as present: "
                                         f"{_rows_named(rows)}); check which child the "
                                         "record is about")
        return data[~reject]

    def _continued_word_table(self, table: RawTable, profile: Profile):
        """(the table with the header it continues put above its rows as row 0, that header's match,
        the earlier table's name) for a Word table without a header row that continues the file's
        previous table; else None.

        A table split across pages is often two tables, and the second does not always repeat the
        header row. It is read with the previous table's header when it is the next table of the same
        file, has as many columns, and one of its first CONTINUATION_ROWS_LOOKED_AT rows with a value in
        the date column reads as a date, the ones above it being failed dates (holding a digit, as
        "31/02/2016", or saying the date is not known, as "unknown"): one unreadable date at the top of
        a page must not cost the page (that row is rejected with its own reason), but a table that
        starts with a label ("Key") is no continuation."""
        if not _is_word_table(table) or table.file not in self.word_headers:
            return None
        previous, header = self.word_headers[table.file]
        number = table.sheet.removeprefix("table ")
        if not (number.isdigit() and previous == f"table {int(number) - 1}"):
            return None
        if any(len(row) != len(header) for row in table.rows):
            return None
        carried = RawTable(file=table.file, sheet=table.sheet, rows=[list(header)] + table.rows,
                           row_numbers=[0] + list(table.row_numbers), hidden=table.hidden,
                           merged_filled=table.merged_filled, notes=table.notes,
                           continuation_rows=frozenset(i + 1 for i in table.continuation_rows))
        match = detect_header(carried, profile)
        if match is None or match.index != 0:
            return None
        column = match.columns["date"]
        filled = (row[column] for row in table.rows if row[column] not in (None, ""))
        for value in islice(filled, CONTINUATION_ROWS_LOOKED_AT):
            try:
                parse_date(value)
            except (DateParseError, TypeError, ValueError):
                text = str(value)
                if any(ch.isdigit() for ch in text) or is_unknown_time(text):
                    continue
                return None
            return carried, match, previous
        return None

    def finish(self) -> pd.DataFrame:
        """The case's contact table, sorted by (source_file, source_sheet, source_row); runs the checks
        on typed columns (date plausibility, then the row checks) for each table."""
        lookalikes = self._unify_agencies()
        blocks = self._sorted_blocks()
        if blocks is not None:
            # each table is one block of ascending rows with its own key: the lists are put in key
            # order before the frame is built (no sort, no take over every column afterwards)
            for name, values in self.columns.items():
                ordered = []
                for start, stop in blocks:
                    ordered += values[start:stop]
                self.columns[name] = ordered
            moved = {}
            offset = 0
            for start, stop in blocks:
                moved[start] = offset
                offset += stop - start
        contacts = self._frame()
        periods = case_periods(contacts) if len(contacts) else None  # read once for every table's checks
        for report, start, stop, raw_dates in self.checks:
            if blocks is not None and stop > start:
                start, stop = moved[start], moved[start] + stop - start
            part = contacts.iloc[start:stop]
            own = None if periods is None else tuple(a[start:stop] for a in periods)  # (precision, start, end)
            check_date_plausibility(raw_dates, part, report, self.case, None if own is None else own[1])
            if stop > start:
                check_rows(part, report, self.case, own)
        for report, row, column, message in lookalikes:
            report.warn(row, column, message)
        for file, (report, rows, children, who) in self.other_children.items():
            report.warn(None, None, other_child_summary(PurePosixPath(file).name, rows, children, who))
        if blocks is not None:
            return contacts
        return contacts.sort_values(SORT_KEYS, kind="stable").reset_index(drop=True)

    def _unify_agencies(self) -> list[tuple[FileReport, int, str | None, str]]:
        """One spelling per agency: names that differ only in case, spacing or punctuation
        ("westshire health visiting", "Westshire Health Visiting") are one agency, written as case.yml
        declares it, else as most rows write it (a note names each table's rows read so). Returns the
        warnings for names that only look alike ("Westshire Health Visting"), which are left as written:
        (report, row, column, message), added after the other checks.

        Works per distinct name; only the rows renamed are visited one by one."""
        agencies = self.columns["agency"]
        names = set(agencies)
        if len(names) < 2:
            return []
        groups: dict[str, list[str]] = {}
        for name in names:
            groups.setdefault(vocabulary.normalise_text(name), []).append(name)
        declared = {str(spec.agency).strip() for spec in self.case.files if spec.agency}
        known = {entry[0] for entry in vocabulary.compile_vocab(self.vocab).agencies.values()}
        counts = None
        rename: dict[str, str] = {}
        for key, spellings in groups.items():
            if len(spellings) > 1 and key:
                if counts is None:
                    counts = pd.Series(agencies, dtype=object).value_counts().to_dict()
                canonical = min(spellings, key=lambda n: (n not in known, n not in declared, -counts[n], n))
                rename.update({name: canonical for name in spellings if name != canonical})
        starts = [start for _, start, _, _ in self.checks]
        if rename:
            positions = np.flatnonzero(pd.Series(agencies, dtype=object).isin(list(rename)).to_numpy())
            first = {canonical: agencies.index(canonical) for canonical in set(rename.values())}
            kinds, organisations = self.columns["agency_kind"], self.columns["organisation"]
            renamed: dict[tuple[int, str], list[int]] = {}  # (table, spelling) -> rows
            for i in positions.tolist():
                old = agencies[i]
                new = rename[old]
                agencies[i] = new
                kinds[i] = kinds[first[new]]
                if organisations[i] == old:
                    organisations[i] = new
                table = bisect_right(starts, i) - 1
                renamed.setdefault((table, old), []).append(self.columns["source_row"][i])
            for (table, old), rows in sorted(renamed.items()):
                self.checks[table][0].notes.append(
                    f"agency {old!r} read as {rename[old]!r} (the same name written with other capitals, "
                    f"spaces or punctuation) ({_rows_named(rows)})"
                )
        return self._lookalike_agencies(agencies, known, starts)

    def _lookalike_agencies(self, agencies: list[str], known: set[str], starts: list[int]):
        """Warnings for agency names a letter or two apart (a typing slip: "Westshire Health Visting"
        beside "Westshire Health Visiting"), not merged: one per table and name, at its first row. Names
        with other numbers ("Ward 10", "Ward 11"; "Team 1", "Team 2") are different agencies."""
        names = sorted(set(agencies) - {""})
        if len(names) < 2 or len(names) > LOOKALIKE_AGENCIES_MAX:
            return []
        from rapidfuzz import fuzz

        keys = {name: vocabulary.normalise_text(name) for name in names}
        numbers = {name: _NUMBERS.findall(key) for name, key in keys.items()}
        pairs = [(a, b) for a, b in combinations(names, 2)
                 if not (a in known and b in known) and numbers[a] == numbers[b]
                 and min(len(keys[a]), len(keys[b])) >= 6 and fuzz.ratio(keys[a], keys[b]) >= LOOKALIKE_AGENCY_RATIO]
        if not pairs:
            return []
        series = pd.Series(agencies, dtype=object)  # the rows are counted only for a case with such a pair
        counts = series.value_counts().to_dict()
        like: dict[str, str] = {}  # the rarer name -> the commoner one it looks like (the commonest such)
        declared = {str(spec.agency).strip() for spec in self.case.files if spec.agency}
        for a, b in pairs:
            rare, common = sorted((a, b), key=lambda n: (counts[n], n in known, n))
            if rare in known or rare in declared:
                continue  # the name is declared (vocab.yml `agencies:`, case.yml `agency`): an agency of its own
            if rare not in like or (counts[common], common) > (counts[like[rare]], like[rare]):
                like[rare] = common
        if not like:
            return []
        positions = np.flatnonzero(series.isin(list(like)).to_numpy())
        tables = np.searchsorted(starts, positions, side="right") - 1
        first: dict[tuple[int, str], int] = {}
        for table, i in zip(tables.tolist(), positions.tolist()):
            first.setdefault((table, agencies[i]), i)
        out = []
        for (table, rare), i in sorted(first.items()):
            common = like[rare]
            out.append((
                self.checks[table][0], self.columns["source_row"][i], self.agency_headers[table],
                f"agency {rare!r} ({counts[rare]} row(s)) looks like {common!r} ({counts[common]} row(s)) "
                f"misspelt: read as written, as another agency; if they are one agency, add "
                f"{rare!r} to the aliases of {common!r} under `agencies:` in the case's vocab.yml (if they are "
                f"two agencies, declare {rare!r} there as an agency of its own, and this warning goes)",
            ))
        return out

    def _sorted_blocks(self) -> list[tuple[int, int]] | None:
        """The tables' (start, stop) in the gathered lists, in (source_file, source_sheet) order; None
        when the rows cannot be sorted block by block (rows not ascending within a table, or two tables
        with the same key, as when one file is declared twice)."""
        if not self.in_order or len(set(self.keys)) != len(self.keys):
            return None
        blocks = [(start, stop) for _, start, stop, _ in self.checks if stop > start]
        return [blocks[i] for i in sorted(range(len(blocks)), key=self.keys.__getitem__)]

    def _frame(self) -> pd.DataFrame:
        """The gathered lists as CONTACT_COLUMNS, each column built in its dtype (what `conform` gives)."""
        if not self.size:
            return empty_frame(CONTACT_COLUMNS)
        columns = {}
        for name, dtype in CONTACT_COLUMNS.items():
            values = self.columns[name]
            if dtype == "datetime64[ns]":
                if values.count(pd.NaT) == len(values):  # a column no sheet has (date_end, mostly)
                    columns[name] = pd.DatetimeIndex(np.full(len(values), np.datetime64("NaT", "ns")))
                else:
                    columns[name] = pd.DatetimeIndex(values).as_unit("ns")
            elif dtype == "string":
                columns[name] = _string_array(values)
            elif all(v is pd.NA for v in values):  # a column no sheet has (sequence, child seen)
                columns[name] = pd.array([pd.NA], dtype=dtype).repeat(len(values))
            elif dtype == "boolean" and all(v.__class__ is bool for v in values):  # none missing (time_known)
                columns[name] = pd.arrays.BooleanArray(np.array(values, dtype=bool), np.zeros(len(values), dtype=bool))
            else:
                columns[name] = pd.array(values, dtype=dtype)
        return pd.DataFrame(columns)


def _week_bound_days(header: str) -> frozenset[int]:
    """The weekdays (Monday 0) a date under a week's header (`week_date_headers`) may be the week's bound on: a
    week begins on a Monday or a Sunday ("Week commencing", "w/c"), and ends on a Friday, a Saturday or a Sunday
    ("Week ending", "w/e"); a date on another day ("Week commencing 12/01/2021", a Tuesday) is the day the contact
    was recorded on, read to the day."""
    key = normalise_header(header)
    return frozenset({4, 5, 6}) if "ending" in key.split() or key.startswith("w e") else frozenset({0, 6})


def _serial_texts(values: list) -> set:
    """The distinct texts among `values` that `parse_date` reads as an Excel serial ("45222")."""
    try:
        distinct = set(values)
    except TypeError:  # an unhashable cell: not one a reader gives
        distinct = {v for v in values if v.__class__ is str}
    if str not in set(map(type, distinct)):  # a workbook's date column: dates, no text (checked in C)
        return set()
    return {v for v in distinct if v.__class__ is str and _SERIAL_TEXT.fullmatch(v.strip())}


def _weekday_texts(values: list, cache: dict) -> dict:
    """{text: note} for the distinct texts among `values` whose written weekday disagrees with their date
    (`weekday_note`), each distinct text read once (`cache`: text -> note, kept across sheets)."""
    try:
        distinct = set(values)
    except TypeError:  # an unhashable cell: not one a reader gives
        distinct = {v for v in values if v.__class__ is str}
    if str not in set(map(type, distinct)):  # a workbook's date column: dates, no text (checked in C)
        return {}
    out = {}
    for value in distinct:
        if value.__class__ is not str:
            continue
        note = cache.get(value)
        if note is None:
            note = cache[value] = weekday_note(value)
        if note:
            out[value] = note
    return out


def _rows_of(values: list, wanted: list, row_numbers: list[int]) -> list[int]:
    """The row numbers where `values` holds one of `wanted`: the first MAX_ROWS_IN_NOTE, found by
    `list.count` and `list.index`, then a None for each further row (what `_rows_named` shows: "and 12
    more"), without a loop over every row in Python."""
    found, total = [], 0
    for value in wanted:
        count = values.count(value)
        total += count
        at = -1
        for _ in range(min(count, MAX_ROWS_IN_NOTE)):
            at = values.index(value, at + 1)
            found.append(at)
    found = sorted(found)[:MAX_ROWS_IN_NOTE]
    return [row_numbers[k] for k in found] + [None] * (total - len(found))


def _values_named(values: list) -> str:
    """"'a', 'b'" quoting at most MAX_NAMES_WARNED of `values`, and how many more, for a warning."""
    shown = values[:MAX_NAMES_WARNED]
    more = f" and {len(values) - len(shown)} more" if len(values) > len(shown) else ""
    return ", ".join(map(repr, shown)) + more


def _rows_named(numbers: list) -> str:
    """"row 5", or "rows 5, 7, ..." naming at most MAX_ROWS_IN_NOTE of them and how many more, for a note."""
    shown = ", ".join(map(str, numbers[:MAX_ROWS_IN_NOTE]))
    more = "" if len(numbers) <= MAX_ROWS_IN_NOTE else f" and {len(numbers) - MAX_ROWS_IN_NOTE} more"
    return f"{'row' if len(numbers) == 1 else 'rows'} {shown}{more}"


def _unfill_across_fields(table: RawTable, cells: np.ndarray, match: HeaderMatch, report: FileReport) -> None:
    """Undo the filling of a merged range below the header across columns that are read as fields.

    A reader gives every cell of a merged range its top-left value; merged across "Details" and
    "Outcome", that would copy the description into the action (and its words would count twice; two
    columns of one field, "Details" and "Summary", would repeat it). The value stays in the range's
    first column only; a note names each range and the columns left blank."""
    field_of: dict[int, str] = {column: name for name, column in match.columns.items()}
    for name, further in match.also.items():
        field_of.update({column: name for column in further})
    undone = []
    for (r0, c0), (r1, c1) in table.merged_ranges:
        if c1 == c0 or r1 <= match.index:
            continue
        if c0 not in field_of:  # a value merged out of an unmapped column is left as the reader filled it
            continue
        others = [c for c in range(c0 + 1, min(c1, cells.shape[1] - 1) + 1) if c in field_of]
        if not others:
            continue
        top = max(r0, match.index + 1)
        cells[top : r1 + 1, others] = None
        undone.append((r0, c0, r1, c1, others))
    for r0, c0, r1, c1, others in undone[:MAX_ROWS_IN_NOTE]:
        name = f"{column_letter(c0)}{table.row_numbers[r0]}:{column_letter(c1)}{table.row_numbers[min(r1, len(table.row_numbers) - 1)]}"
        report.notes.append(
            f"merged range {name} spans columns read as separate fields ({match.headers[c0] or column_letter(c0)!r} "
            f"and {', '.join(repr(match.headers[c] or column_letter(c)) for c in others)}): its text is read in "
            f"{match.headers[c0] or column_letter(c0)!r} only, not copied into "
            f"{', '.join(repr(match.headers[c] or column_letter(c)) for c in others)}"
        )
    if len(undone) > MAX_ROWS_IN_NOTE:
        report.notes.append(f"{len(undone) - MAX_ROWS_IN_NOTE} more merged range(s) across fields read in their first column only")


def _check_record_widths(table: RawTable, cells: np.ndarray, blank: np.ndarray, data: np.ndarray,
                         match: HeaderMatch, report: FileReport) -> None:
    """Warn about each data record of a csv with fewer fields than the header (its missing cells read
    as blank: a field may have been lost in the export) or with values beyond the header's last column
    (kept in `extra` under "column G", where no rule reads them)."""
    widths = table.record_widths
    headers = match.headers
    width = max((c + 1 for c, h in enumerate(headers) if h), default=0)
    if not width:
        return
    rows = data.tolist()
    for i in data[np.asarray(widths)[data] < width].tolist():
        have = widths[i]
        missing = [headers[c] or column_letter(c) for c in range(have, width)]
        shown = ", ".join(map(repr, missing[:3])) + (f" and {len(missing) - 3} more" if len(missing) > 3 else "")
        report.warn(
            table.row_numbers[i], missing[0],
            f"row {table.row_numbers[i]} has {have} of the header's {width} columns; the missing cells "
            f"({shown}) are read as blank: check the record in the file (a separator or line break lost?)",
        )
    if cells.shape[1] > width:
        beyond = ~blank[np.ix_(data, np.arange(width, cells.shape[1]))]
        for k in np.flatnonzero(beyond.any(axis=1)).tolist():
            i = rows[k]
            columns = [width + int(c) for c in np.flatnonzero(beyond[k])]
            keys = [match.unmapped.get(c, f"column {column_letter(c)}") for c in columns]
            report.warn(
                table.row_numbers[i], column_letter(columns[0]),
                f"row {table.row_numbers[i]} has {widths[i]} fields, more than the header's {width} columns: "
                f"the cells beyond it ({', '.join(map(repr, keys))}) are kept in `extra` under those names, and "
                "no rule reads them: check the record in the file (an unquoted separator in the text?)",
            )


#: a header naming a count rather than a contact's field: a summary (pivot) table's column
_COUNT_HEADER = re.compile(
    r"(?:count|counts|total|totals|number|frequency|tally"
    r"|(?:number|no|num|total|count) of \w.*|\w.* (?:count|counts|total|totals))"
)


def _summary_count_column(table: RawTable, cells: np.ndarray, blank: np.ndarray, data: np.ndarray,
                          match: HeaderMatch) -> int | None:
    """The count column of a summary table ("Date | Type of contact | Count", "Sep 2023 | Home visit |
    3"), else None: a column headed as a count ("Count", "Total", "Number of visits") holding only numbers,
    and no description, action or analysis text in any data row. Csv files are not looked at (a csv is
    one table that case.yml cannot name as a sheet)."""
    if table.record_widths is not None or not len(data):
        return None
    for name in ("description", "action", "analysis"):
        for column in (match.columns.get(name), *match.also.get(name, ())):
            if column is not None and not blank[data, column].all():
                return None
    for column, header in enumerate(match.headers):
        if not header or column not in match.unmapped or not _COUNT_HEADER.fullmatch(normalise_header(header)):
            continue
        values = [v for v in cells[data, column].tolist() if v is not None]
        if values and all(_whole_number(v) is not None for v in values):
            return column
    return None


def _reject_summary(table: RawTable, data: np.ndarray, match: HeaderMatch, column: int, report: FileReport) -> None:
    header = match.headers[column]
    why = (
        f"a summary table, not contacts: column {header!r} holds counts and the sheet has no description or "
        "action text"
    )
    for i in data.tolist():
        report.reject(table.row_numbers[i], header, why + " (name the sheet under `sheets:` for this file in "
                      "case.yml to read its rows as contacts)")
    report.notes.append(
        f"read as a summary table ({_rows_named([table.row_numbers[i] for i in data.tolist()])} rejected): column "
        f"{header!r} holds counts and no row has description or action text; if its rows are contacts, name the "
        "sheet under `sheets:` for this file in case.yml"
    )


def _is_word_table(table: RawTable) -> bool:
    return table.sheet.startswith("table ") and PurePosixPath(table.file).suffix.lower() == ".docx"


def _reject_uncached_formulas(table: RawTable, data: np.ndarray, match: HeaderMatch, report: FileReport) -> np.ndarray:
    """Reject the data rows holding a formula whose result the file does not store (the reader found
    them: `table.uncached_formulas`, {(row index, column index): formula}); return the other rows.

    A workbook written by a program that does not calculate (a script, some exports) keeps the formula
    but no value: the cell reads as empty, and the row would silently lose that field.
    """
    uncached = getattr(table, "uncached_formulas", None)
    if not uncached:
        return data
    by_row: dict[int, list[tuple[int, str]]] = {}
    for (i, column), formula in sorted(uncached.items()):
        by_row.setdefault(i, []).append((column, formula))
    keep = []
    for i in data.tolist():
        if i not in by_row:
            keep.append(i)
            continue
        column, formula = by_row[i][0]
        header = match.headers[column] if column < len(match.headers) and match.headers[column] else column_letter(column)
        others = f" (and {len(by_row[i]) - 1} more cell(s) in this row)" if len(by_row[i]) > 1 else ""
        report.reject(
            table.row_numbers[i], header,
            f"formula ={formula[:80]} has no saved value{others}: open the file in Excel (or LibreOffice), "
            "let it calculate, save it and run again",
        )
    return np.asarray(keep, dtype=data.dtype)


def _cell_array(rows: list[list[object]]) -> np.ndarray:
    """The rows as a 2-D object array, short rows padded with None (csv rows differ in length)."""
    widths = set(map(len, rows))
    width = max(widths)
    if len(widths) == 1 and width:
        # one pass over the cells in C; `cells[:] = rows` first finds the nesting of the list (twice as slow)
        cells = np.fromiter(chain.from_iterable(rows), dtype=object, count=len(rows) * width)
        return cells.reshape(len(rows), width)
    cells = np.empty((len(rows), width), dtype=object)
    for i, row in enumerate(rows):
        cells[i, : len(row)] = row
    return cells


def _dated_rows_above(table: RawTable, cells: np.ndarray, blank: np.ndarray, above: np.ndarray,
                      profile: Profile, header_row: int) -> list[tuple[int, str, str]]:
    """(row index, column, rejection reason) of the rows above the header that look like contacts: a
    cell holding a day date beside at least one other filled cell, the row not being a cover-sheet line
    (`_is_cover_line`).

    The header is the row naming the most fields, so a sheet holding two tables (2023 under "Date |
    Details", 2024 under a fuller header below) has its upper table above the header. Those rows are
    not titles: skipping them would lose contacts without a sign, so each is rejected with its reason
    (validate fails), naming the upper table's own header when it has one. A title ("Chronology of Child
    A", "Printed: 03/04/2024" alone) holds no such date, and a cover-sheet line ("Date completed: |
    01/02/2024", "Prepared by: | J Smith | 01/02/2024") is labelled: both are still skipped."""
    dated = []
    for i in above.tolist():
        filled = np.flatnonzero(~blank[i])
        if len(filled) < 2:
            continue
        column = next((int(c) for c in filled if _is_day_date(cells[i, c])), None)
        if column is not None and not _is_cover_line(cells[i, filled].tolist()):
            dated.append((i, column))
    if not dated:
        return []
    top = dated[0][0]  # the upper table's header, if it has one, is above its first dated row
    upper = RawTable(file=table.file, sheet=table.sheet, rows=table.rows[:top], row_numbers=table.row_numbers[:top])
    own = detect_header(upper, replace(profile, header_row=None, columns={})) if top else None
    hint = (
        f"a contact of a second table above it, with its own header in row {own.row}?"
        if own is not None
        else "a contact of a second table above it?"
    )
    return [
        (i, own.headers[column] if own is not None and column < len(own.headers) and own.headers[column]
         else column_letter(column),
         f"a dated row above the header row {header_row}, with text beside the date: {hint} Move those rows "
         "to their own sheet, or below the header with the same columns, to read them. A cover-sheet line "
         "is skipped instead when it is labelled (\"Date completed:\", \"Prepared by:\") and holds only "
         "dates and names beside its labels")
        for i, column in dated
    ]


#: the most words in a cover-sheet label ("Date of completion:") or name ("J Smith (Safeguarding Lead)")
MAX_COVER_WORDS = 5


def _is_cover_line(values: list) -> bool:
    """Whether the filled cells of a row above the header are a cover-sheet line of an IMR template,
    not a contact: at least one is a label and every other one a label or a value (`_cover_value`).

    A label is a text ending with ":" of up to MAX_COVER_WORDS words without digits ("Date completed:"),
    a known label (profiles.yml `cover_labels`: "Prepared by", "From", "To"), or a known label with its
    value in the same cell ("Date completed: 01/02/2024"). A contact has no label, or has text beside
    its date that is no name ("Date: | 05/03/2023 | Details: | bruise on cheek"), and stays rejected."""
    found_label = False
    for value in values:
        if isinstance(value, str) and _is_cover_label(" ".join(value.split())):
            found_label = True
        elif not _cover_value(value):
            return False
    return found_label


def _is_cover_label(text: str) -> bool:
    if normalise_header(text) in cover_labels():
        return True
    if text.endswith(":"):
        words = text[:-1].split()
        return 0 < len(words) <= MAX_COVER_WORDS and not any(ch.isdigit() for ch in text)
    head, colon, rest = text.partition(":")
    return bool(colon) and normalise_header(head) in cover_labels() and _cover_value(rest.strip())


def _cover_value(value) -> bool:
    """A date, a number, or a short name: up to MAX_COVER_WORDS words without digits, each word of
    more than three letters capitalised ("J Smith (Safeguarding Lead)", "Larkfield Medical Practice";
    not "Seen for cough")."""
    if isinstance(value, (dt.date, dt.datetime, dt.time, pd.Timestamp)):
        return True
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return True
    if not isinstance(value, str):
        return False
    text = value.strip()
    if any(ch.isdigit() for ch in text):
        try:
            parse_date(text)
            return True
        except (DateParseError, TypeError, ValueError, OverflowError):
            try:
                float(text)
                return True
            except ValueError:
                return False
    words = [w.strip("()[],.;'\"-&/") for w in text.split()]
    return 0 < len(words) <= MAX_COVER_WORDS and all(len(w) <= 3 or w[0].isupper() for w in words if w)


def _is_day_date(value) -> bool:
    """A date cell, or a text cell that reads as a date with a day ("03/04/2023", "c. 3 April 2023")."""
    if isinstance(value, (dt.date, dt.datetime, pd.Timestamp)):
        return True
    if not isinstance(value, str) or not any(ch.isdigit() for ch in value):
        return False
    try:
        return parse_date(value).precision in ("day", "approximate")
    except (DateParseError, TypeError, ValueError, OverflowError):
        return False


#: how many rows at the foot of a sheet are looked at for a footer (`_footer_rows`)
MAX_FOOTER_ROWS = 10
#: what may fill in a footer's blank ("Signed: ........", "Date: __/__/____")
_PLACEHOLDER = re.compile(r"[\s._\-\u2013\u2014\u2026/*]*")


def _footer_rows(cells: np.ndarray, blank: np.ndarray, candidates: np.ndarray, match: HeaderMatch) -> list[int]:
    """The rows of a footer under the chronology's last contact, in order ([] for none): a signature or
    closing line ("Prepared by J Smith, Named Nurse, 01/08/2024", "End of chronology", "Signed: ....
    Date: ....") at the foot of the sheet, and the names and dates below it ("J Smith").

    Only the last MAX_FOOTER_ROWS rows are looked at, from the bottom up, while each row holds its text
    in its first cell(s) (at or left of the date column), none of them a contact's shape (a day date in
    the date column beside other text, or narrative); the footer starts at the first of them that opens
    with a footer's words (`_is_footer_text`). A row above a contact, or holding text right of the date
    column (a contact without a date: "Prepared report for conference" under Details), is never one."""
    if not len(candidates):
        return []
    date_column = match.columns["date"]
    block: list[tuple[int, bool]] = []  # (row index, opens a footer), bottom up
    for i in candidates[-MAX_FOOTER_ROWS:][::-1].tolist():
        filled = np.flatnonzero(~blank[i]).tolist()
        if filled[0] > date_column:
            break
        values = cells[i, filled].tolist()
        head = values[0]
        if not isinstance(head, str):
            break
        opens = _is_footer_text(head)
        if not opens and (not _cover_value(head) or (len(filled) > 1 and _is_day_date(cells[i, date_column]))):
            break
        if not all(v == head or (isinstance(v, str) and _is_footer_text(v)) or _cover_value(v) for v in values[1:]):
            break
        block.append((i, opens))
    block.reverse()
    start = next((k for k, (_, opens) in enumerate(block) if opens), None)
    return [] if start is None else [i for i, _ in block[start:]]


@lru_cache(maxsize=1)
def _footer_label_pattern() -> re.Pattern:
    """A footer phrase ("Prepared by", ":" optional) or label ("Date:", ":" required), at the start of a
    text or after a space, comma or semicolon, its words separated by any spacing."""
    _, phrases, labels = footer_words()

    def alternatives(texts):
        return "|".join(r"\s+".join(map(re.escape, text.split())) for text in texts)

    return re.compile(
        rf"(?:^|(?<=[\s,;]))(?:(?:{alternatives(phrases)})\b\s*:?|(?:{alternatives(labels)})\s*:)", re.IGNORECASE
    )


def _is_footer_text(text: str) -> bool:
    """Whether a text is a footer's: it opens with a closing ("End of chronology", followed by anything),
    or it is made of footer phrases and labels ("Prepared by", "Signed:", "Date:") each followed by names,
    dates, numbers or a blank to fill in ("J Smith, Named Nurse, 01/08/2024", "........"), nothing else:
    "Prepared by mother: bottle feeds" and "Date: unknown, mother reported a bruise" are not."""
    text = " ".join(text.split())
    if not text:
        return False
    closings, _, _ = footer_words()
    key = normalise_header(text)
    if any(key == closing or key.startswith(closing + " ") for closing in closings):
        return True
    labels = list(_footer_label_pattern().finditer(text))
    if not labels or labels[0].start() != 0:
        return False
    ends = [m.start() for m in labels[1:]] + [len(text)]
    for label, end in zip(labels, ends):
        for part in re.split(r"[,;]", text[label.end():end]):
            part = part.strip()
            if part and not _PLACEHOLDER.fullmatch(part) and not _cover_value(part.strip(" .-\u2013\u2014")):
                return False
    return True


def _continuations(table: RawTable, candidates: np.ndarray) -> list[int]:
    """Rows whose every filled cell is merged with the row above (`RawTable.continuation_rows`): the rest
    of one contact whose cells span several rows, which filling the merged cells would otherwise turn
    into several identical contacts."""
    if not table.continuation_rows:
        return []
    return [i for i in candidates.tolist() if i in table.continuation_rows]


def _text_date_rows(cells: np.ndarray, rows: np.ndarray, date_col: int) -> np.ndarray:
    """The rows of `rows` whose date cell is text starting with a letter ("Date" repeated, a second table's
    header, "unknown"), found per distinct value of the column: the few rows a header could be."""
    if not len(rows):
        return rows
    column = cells[rows, date_col]
    uniques = pd.unique(column)
    texts = [v for v in uniques if isinstance(v, str) and v[:1].isalpha()]
    if not texts:
        return rows[:0]
    if len(texts) == len(uniques):
        return rows
    return rows[pd.Series(column, dtype=object).isin(texts).to_numpy()]


#: the fields one of which a second table's header with a blank date column cell must name besides its date: a
#: signature block under the table ("| Name | Designation | Date") names a date and a role, but no contact
_SECOND_TABLE_FIELDS = frozenset({"description", "action", "contact_type", "agency"})


def _second_header(cells: np.ndarray, rows: np.ndarray, match: HeaderMatch, lookup: dict,
                   blank_dated: set[int] = frozenset()) -> int | None:
    """The first of `rows` (below the header, their date cell text: `_text_date_rows`, or blank:
    `_blank_dated_header_rows`) that is the header of a second table on the sheet: its cells name a date field
    and at least one other (`header_hit`), and at least half its filled cells are header texts ("Hospital |
    Date of attendance | Outcome | Presenting complaint"); one of `blank_dated` (its date cell blank: the header
    starts in another column) names a contact's field too (`_SECOND_TABLE_FIELDS`). A row repeating the sheet's
    header is not one (`_repeated_headers`)."""
    repeated = set(_repeated_headers(cells, rows, match))
    for i in rows.tolist():
        if i in repeated:
            continue
        filled = [v for v in cells[i].tolist() if isinstance(v, str) and v.strip()]
        if any(len(v) > MAX_HEADER_CHARS for v in filled):
            continue
        hits = [hit for v in filled if (hit := header_hit(lookup, v)) is not None]
        names = {name for name, _ in hits}
        if "date" in names and len(names) >= 2 and len(hits) * 2 >= len(filled) and (
                i not in blank_dated or not _SECOND_TABLE_FIELDS.isdisjoint(names)):
            return i
    return None


def _blank_dated_header_rows(cells: np.ndarray, blank: np.ndarray, rows: np.ndarray, date_col: int,
                             lookup: dict) -> np.ndarray:
    """The rows of `rows` whose date cell is blank and another cell a header naming the date field ("Date of
    attendance" in column B of a second table whose header starts there): the few rows such a header could be.
    Each column's distinct values read once."""
    rows = rows[blank[rows, date_col]]
    if not len(rows):
        return rows
    found = np.zeros(len(rows), dtype=bool)
    for column in range(cells.shape[1]):
        if column == date_col:
            continue
        values = cells[rows, column]
        dates = [v for v in pd.unique(values) if isinstance(v, str) and len(v) <= MAX_HEADER_CHARS and v[:1].isalpha()
                 and (hit := header_hit(lookup, v)) is not None and hit[0] == "date"]
        if dates:
            found |= pd.Series(values, dtype=object).isin(dates).to_numpy()
    return rows[found]


def _table_rows(table: RawTable, start: int, stop: int) -> RawTable:
    """Rows `start` to `stop` of `table` (positions in `rows`) as a table of their own, with their row numbers,
    merged cells, continuation rows and record widths (the sheet's reader notes stay with its report)."""
    merged = tuple(((a - start, b), (c - start, d)) for (a, b), (c, d) in table.merged_ranges if start <= a and c < stop)
    return replace(table, rows=table.rows[start:stop], row_numbers=list(table.row_numbers[start:stop]), notes=[],
                   continuation_rows=frozenset(i - start for i in table.continuation_rows if start <= i < stop),
                   merged_ranges=merged,
                   record_widths=None if table.record_widths is None else table.record_widths[start:stop])


def _repeated_headers(cells: np.ndarray, candidates: np.ndarray, match: HeaderMatch) -> list[int]:
    """Rows that repeat the header (page breaks, one block per year): the date cell says "Date" again
    and at least half of the other mapped columns repeat their header too."""
    date_col = match.columns["date"]
    date_key = normalise_header(match.headers[date_col])
    others = [(c, normalise_header(match.headers[c])) for c in match.columns.values() if c != date_col]
    found = []
    for i, value in zip(candidates.tolist(), cells[candidates, date_col].tolist()):
        if not (isinstance(value, str) and value[:1].isalpha() and normalise_header(value) == date_key):
            continue
        same = sum(normalise_header(cells[i, c]) == key for c, key in others)
        if same * 2 >= len(others):
            found.append(i)
    return found


def _section_headings(cells: np.ndarray, blank: np.ndarray, candidates: np.ndarray, match: HeaderMatch) -> list[int]:
    """Rows that only head a section ("2023", "Health Visiting", "March 2024" alone in the date column or
    left of it): one cell, holding words without digits or a year / month rather than a day."""
    date_col = match.columns["date"]
    single = candidates[(~blank[candidates]).sum(axis=1) == 1]
    found = []
    for i in single.tolist():
        column = int(np.flatnonzero(~blank[i])[0])
        if column > date_col:
            continue
        value = cells[i, column]
        if isinstance(value, str) and not any(ch.isdigit() for ch in value):
            found.append(i)
            continue
        if isinstance(value, (str, int, float)) and not isinstance(value, bool):
            try:
                precision = parse_date(value).precision
            except DateParseError:
                continue
            if precision in ("month", "year"):
                found.append(i)
    return found


class _TimeReason(str):
    """A rejection reason whose cause is the row's time cell (unreadable, or at odds with the date): the
    rejection names the time column, where the reviewer has to look."""

    __slots__ = ()


class _ColumnBuilder:
    """Turns a sheet's data rows into contact columns, rejecting rows without a readable date or details.

    Works column by column and caches per distinct value: dates, agency names, types and short texts
    repeat, and the date parser and the vocabulary functions are the costly part of ingest.
    """

    def __init__(self, table, spec, profile, case, vocab, match, report, cells, caches):
        self.table, self.profile, self.case, self.vocab = table, profile, case, vocab
        self.match, self.report, self.cells = match, report, cells
        self.source_file = PurePosixPath(table.file).as_posix()
        self.declared_agency = spec.agency or profile.agency or ""
        # a school's, nursery's or college's own chronology (its declared agency's kind): its seasons are its terms
        self.school_file = bool(self.declared_agency) and \
            vocabulary.normalise_agency(self.declared_agency, self.vocab)[1] == "education"
        self.file_stem = PurePosixPath(table.file).stem
        self.caches = caches
        self._dates = _parsed_dates()
        self.ranges = False  # a date cell of this sheet holds a range (never cached: see _parse_date)
        self.codes: np.ndarray | None = None  # each row's distinct content (`_distinct_content`)

    def values(self, name: str, rows: np.ndarray) -> list:
        """The cells of field `name` in `rows` (after the profile's value map), or Nones."""
        index = self.match.columns.get(name)
        if index is None:
            return [None] * len(rows)
        values = self.cells[rows, index].tolist()
        if name in self.profile.value_maps:
            values = [v if v is None else self.profile.map_value(name, v)[1] for v in values]
        return values

    def map(self, cache: str, function, values: list) -> list:
        """[function(v) for v in values], calling `function` once per distinct value in the whole case."""
        return _cached_map(function, values, self.caches.setdefault(cache, {}))

    def texts(self, name: str, rows: np.ndarray) -> list[str]:
        """The cells of field `name` in `rows` as text; a narrative field's further columns (`match.also`)
        follow its first column's text, each on its own line under its header ("Summary: ...")."""
        if name not in self.match.columns:
            return [""] * len(rows)
        out = [v if v.__class__ is str else "" if v is None else _text(v) for v in self.values(name, rows)]
        for column in self.match.also.get(name, ()):
            header = self.match.headers[column]
            for k, value in enumerate(self.cells[rows, column].tolist()):
                more = _text(value).strip()
                if more:
                    out[k] = f"{out[k]}\n{header}: {more}" if out[k] else f"{header}: {more}"
        return out

    def build(self, data: np.ndarray, blank: np.ndarray, out: dict[str, list]) -> int:
        """Reject the data rows without a readable date or details; append the fields of the others to
        `out` (CONTACT_COLUMNS -> list); return how many were accepted."""
        report, match = self.report, self.match
        row_numbers = np.asarray(self.table.row_numbers)[data]
        date_header, time_header = match.header_of("date"), match.header_of("time")
        dates = self.cells[data, match.columns["date"]].tolist()
        times = self.values("time", data)
        date_values = self.values("date", data)
        parsed = self._parse_dates(date_values, times)
        if normalise_header(date_header) in week_date_headers():
            # a "Week commencing" column: each date is a day of the contact's week, approximate as "w/c 04/05/2020";
            # a date that can begin (or end) no week is the contact's own day, recorded under the week's header
            # (`_week_bound_days`)
            bounds = _week_bound_days(date_header)
            parsed = [replace(p, precision="approximate")
                      if not isinstance(p, str) and p.precision == "day" and p.date.weekday() in bounds else p
                      for p in parsed]
        if self.school_file and any(not isinstance(p, str) and p.precision == "season" for p in parsed):
            # a school's own chronology counts its year in terms: "Spring 2021" is the spring term (January to
            # Easter), not the meteorological spring (March to May), as "Spring term 2021" reads
            parsed = [replace(p, date=school_term(p.date)) if not isinstance(p, str) and p.precision == "season" else p
                      for p in parsed]
        not_details = {match.columns.get(n) for n in NOT_DETAILS}
        detail_columns = [c for c in range(self.cells.shape[1]) if c not in not_details]
        has_details = (~blank[np.ix_(data, detail_columns)]).any(axis=1) if detail_columns else np.zeros(len(data), bool)
        rejected = [isinstance(result, str) for result in parsed]  # no date (None) or unreadable
        serials_seen = _serial_texts(dates)
        weekdays_wrong = _weekday_texts(date_values, self.caches.setdefault("weekday notes", {}))
        if any(rejected) or not has_details.all():
            keep = []
            for k, (value, result) in enumerate(zip(dates, parsed)):
                if value is None:
                    report.reject(int(row_numbers[k]), date_header,
                                  _quoting_row(NO_DATE_REASON, self.cells[data[k]], match, detail_columns))
                elif rejected[k]:
                    column = time_header if isinstance(result, _TimeReason) else date_header
                    report.reject(int(row_numbers[k]), column, result)
                elif not has_details[k]:
                    report.reject(int(row_numbers[k]), None, NO_DETAILS_REASON)
                else:
                    keep.append(k)
        else:
            keep = range(len(parsed))
        unknown = [int(row_numbers[k]) for k in keep if is_unknown_time(times[k])] if time_header is not None else []
        if unknown:
            report.notes.append(
                f"{len(unknown)} row(s) say the time is not known in column {time_header!r} "
                f"({_rows_named(unknown)}): read with the time not known"
            )
        if not keep:
            return 0
        if len(keep) < len(parsed):
            rows = data[keep]
            row_numbers = row_numbers[keep].tolist()
            parsed = [parsed[k] for k in keep]
        else:
            rows, row_numbers = data, row_numbers.tolist()
        n = len(rows)

        # the fields read from a row's other cells (all but its date, time and sequence) are read once per
        # distinct such row (`content`), then given to every row (`self._all_rows`): agency chronologies
        # repeat the same agency, worker, type and standard wording row after row
        content = self._distinct_content(rows)
        description, action, analysis = (self.texts(name, content) for name in ("description", "action", "analysis"))
        # concerns and escalations are read from what the agency recorded at the time (description, action),
        # never from the analysis column: the review author's commentary ("In hindsight a referral to
        # children's social care should have been made") is no escalation, and a concern it names is not
        # one recorded on the contact's day
        narrative = [f"{d}\n{a}" if d and a else d or a for d, a in zip(description, action)]
        agency, agency_kind, organisation = self._agencies(content)
        type_texts = self.texts("contact_type", content)
        contact_type, unrecognised, agency_read = self._contact_types(type_texts, description, action, content)
        if agency_read:  # a cell its row's agency read ("Triage" of an ED) is neither warned of nor kept as unread
            type_texts = list(type_texts)
            for k in agency_read:
                type_texts[k] = ""
        attended_texts = self.texts("attended", content)
        contact_type, unread_attended = self._attendance(contact_type, attended_texts, row_numbers)
        description, narrative = self._attended_concerns(description, action, narrative, attended_texts, row_numbers)
        concern_texts = self.texts("concerns", content)
        concerns = self._concerns(narrative, concern_texts)
        # a concerns cell not wholly read as concerns ("Bullying", "Neglect; online safety") stays in view under
        # Other columns: nothing of an input is lost silently
        unread = {"concerns": self.map("concerns_unread", self._concerns_unread, concern_texts)} \
            if "concerns" in self.match.columns else {}
        seen_cells, seen_alone = self._yes_no("child_seen", content), self._yes_no("child_seen_alone", content)
        contact_type = self._missed_appointments(contact_type, concerns, seen_cells)
        for name, read in (("child_seen", seen_cells), ("child_seen_alone", seen_alone)):
            if name in self.match.columns:  # a cell read neither yes nor no ("Seen with mum") stays in view
                unread[name] = [value is pd.NA and bool(text.strip())
                                for value, text in zip(read, self.texts(name, content))]
        child_seen = self._seen_attending(seen_cells, attended_texts, contact_type, concerns,
                                          description, action, row_numbers, agency_kind)
        escalation = self.map(
            "escalation",
            lambda key: vocabulary.detect_escalation(key[0], key[1], self.vocab) or "",
            list(zip(contact_type, narrative)),
        )
        informed_texts = self.texts("informed_agencies", content)
        informed = self.map(
            "informed",
            lambda text: join_multi(vocabulary.parse_informed_agencies(text, self.vocab)) if text else "",
            informed_texts,
        )
        every = self._all_rows
        own = list(zip(agency, agency_kind))  # per distinct content, as `narrative`
        agency = every(agency)
        self._warn_unknown_agencies(agency, row_numbers)
        if unrecognised:
            self._warn_unknown_types(every(type_texts), unrecognised, row_numbers)
        if "informed_agencies" in self.match.columns:
            self._warn_unknown_recipients(every(informed), row_numbers)
        # sharing written in the narrative ("Info shared with allocated SW by phone", "copy sent to GP") names
        # its recipient as a `sharing_recipients` label, added to the column's agencies; each distinct text read once
        # (a recipient that is a part of the row's own agency is none: a school's "DSL informed")
        in_text = self.map("shared in text/own", lambda key: vocabulary.shared_in_text(key[0], self.vocab, own=key[1:]),
                           [(text, *agency_own) for text, agency_own in zip(narrative, own)])
        informed = [self._with_recipients(listed, found) if found else listed for listed, found in zip(informed, in_text)]
        if serials_seen:
            self._warn_serial_texts(rows, row_numbers, parsed)
        self._warn_season_notes(row_numbers, parsed)
        if weekdays_wrong:
            self._warn_weekday_notes(rows, row_numbers, weekdays_wrong)
        case_id, sheet = self.case.case_id, self.table.sheet
        fields = {
            "case_id": [case_id] * n,
            "event_id": _event_ids(case_id, self.source_file, sheet, row_numbers),
            # parse_date gives naive Timestamps (of datetime.combine); the frame is built from them once
            "date": [p.date for p in parsed],
            "date_end": self._end_dates(rows, row_numbers, parsed),
            "date_precision": [p.precision for p in parsed],
            "time_known": [bool(p.time_known) for p in parsed],
            "date_text": [p.text for p in parsed],
            "sequence": self._sequence(rows, row_numbers),
            "agency": agency,
            "agency_kind": every(agency_kind),
            "organisation": every(organisation),
            "role": every(self.texts("role", content)),
            "contact_type": every(contact_type),
            "child_seen": every(child_seen),
            "child_seen_alone": every(seen_alone),
            "description": every(description),
            "action": every(action),
            "analysis": every(analysis),
            "concerns": every(concerns),
            "escalation": every(escalation),
            "informed_agencies": every(informed),
            "source_of_information": every(self.texts("source_of_information", content)),
            "source_file": [self.source_file] * n,
            "source_sheet": [sheet] * n,
            "source_row": row_numbers,
            "extra": every(self._extra(content, type_texts if unrecognised else None, unrecognised, unread_attended,
                                       unread)),
        }
        for name, values in fields.items():
            out[name] += values
        return n

    def _distinct_content(self, rows: np.ndarray) -> np.ndarray:
        """The first of `rows` with each distinct content (every cell but the date, time, end date and time,
        and sequence: what the other fields are read from), in row order; `self.codes` is set to each row's
        place among them (`_all_rows`), or None when every row is read on its own: when fewer than
        DISTINCT_CONTENT_SHARE of the rows repeat an earlier row's content, or a content cell is a number
        (1, 1.0 and True are equal keys but read differently) or cannot be a key."""
        self.codes = None
        per_row = {self.match.columns[name] for name in NOT_DETAILS if name in self.match.columns}
        columns = [c for c in range(self.cells.shape[1]) if c not in per_row]
        if len(rows) < 2 or not columns:
            return rows
        keys = list(zip(*(self.cells[rows, c].tolist() for c in columns)))  # each row's, built column by column in C
        places: dict[tuple, int] = {}
        try:
            codes = [places.setdefault(key, len(places)) for key in keys]
        except TypeError:  # an unhashable cell: not one a reader gives
            return rows
        if len(places) > len(keys) * (1 - DISTINCT_CONTENT_SHARE):
            return rows
        # a key equal to its first row's is the same cells when none is a number (per distinct key)
        if not all(v is None or v.__class__ in _CONTENT_KEY_CLASSES for key in places for v in key):
            return rows
        self.codes = np.asarray(codes, dtype=np.intp)
        firsts = np.unique(self.codes, return_index=True)[1]  # codes number the keys in order of first row
        return rows[firsts]

    def _all_rows(self, values: list) -> list:
        """A field read per distinct content (`_distinct_content`) given to every row."""
        if self.codes is None:
            return values
        return np.fromiter(values, dtype=object, count=len(values))[self.codes].tolist()

    # -- warnings about what was read -----------------------------------------------------------------
    def _unknown(self, name: str) -> bool:
        """Whether an agency name, as read, is in no vocabulary (package or case) and its words name no kind
        of agency either ("Eastborough Youth Offending Service", "YOT": kind 'other'): a reviewer should add
        it to the case's vocab. A name the vocabulary does not list but whose kind its words give ("Redwickshire
        Police", "Paediatric Department") is read as an agency of that kind without a warning: a chronology
        names most of its agencies so, and a warning on each would bury the ones that need attention."""
        known = self.caches.setdefault("known agency", {})
        if name not in known:
            v = vocabulary.compile_vocab(self.vocab)
            canonical = self.caches.get("canonical agencies")
            if canonical is None:
                canonical = self.caches["canonical agencies"] = {vocabulary.normalise_text(e[0]) for e in v.agencies.values()}
            key = vocabulary.normalise_text(name)
            known[name] = (not key or key in v.agencies or key in canonical
                           or vocabulary.normalise_agency(name, self.vocab)[1] != "other"
                           # (s21) a person named with a recipient's role: "Kerry Holt (social worker)"
                           or vocabulary.recipient_role(name, v) is not None)
        return not known[name]

    def _warn_unknown_agencies(self, agency: list[str], row_numbers: list[int]) -> None:
        """One warning per agency name in no vocabulary whose kind its words do not give (`_unknown`), per
        file: it is read as an agency of its own of kind 'other', and a reviewer should add it (or its alias)
        to the case's vocab."""
        unknown = [name for name in dict.fromkeys(agency) if name and self._unknown(name)]
        if not unknown:
            return
        warned = self.caches.setdefault("warned unknown agency", set())
        unknown = [name for name in unknown if (self.case.case_id, self.source_file, name) not in warned]
        if len(unknown) > MAX_NAMES_WARNED:
            self.report.notes.append(
                f"{len(unknown) - MAX_NAMES_WARNED} more agency name(s) in no vocabulary, not warned about one by "
                f"one: {', '.join(map(repr, unknown[MAX_NAMES_WARNED:MAX_NAMES_WARNED + 5]))}"
                f"{', ...' if len(unknown) > MAX_NAMES_WARNED + 5 else ''} (is the agency column free text?)"
            )
        for name in unknown[:MAX_NAMES_WARNED]:
            warned.add((self.case.case_id, self.source_file, name))
            rows = _rows_of(agency, [name], row_numbers)
            kind = vocabulary.normalise_agency(name, self.vocab)[1]
            if name == " ".join(self.declared_agency.split()) and name:
                where, column = "the agency case.yml (or the profile) gives this file", None
            elif "agency" in self.match.columns:
                where, column = "the agency column", self.match.header_of("agency")
            elif "organisation" in self.match.columns:
                where, column = "the organisation column", self.match.header_of("organisation")
            else:
                where, column = "the file's name (no agency given)", None
            self.report.warn(
                rows[0], column,
                f"agency {name!r} ({where}; {_rows_named(rows)}) is not in the vocabulary and its words name no kind of "
                f"agency: read as an agency of "
                f"its own, of kind {kind!r}; to name its kind, or to make it one agency with a name the "
                f"vocabulary knows, add it under `agencies:` in the case's vocab.yml (with `kind:` and "
                f"`aliases:`, or as an alias of the known agency)",
            )

    def _warn_unknown_recipients(self, informed: list[str], row_numbers: list[int]) -> None:
        """One warning per "shared with" recipient in no vocabulary, per file (which rows name it): `informed`,
        each row's "shared with" column as read."""
        if "informed_agencies" not in self.match.columns:
            return
        per_text = self.caches.setdefault("unknown recipients", {})
        names: dict[str, None] = {}
        for joined in dict.fromkeys(informed):
            if joined and joined not in per_text:
                per_text[joined] = [n for n in split_multi(joined) if self._unknown(n)]
            for name in per_text.get(joined, ()) if joined else ():
                names[name] = None
        if not names:
            return
        warned = self.caches.setdefault("warned unknown recipient", set())
        todo = [n for n in names if (self.case.case_id, self.source_file, n) not in warned]
        if not todo:
            return
        if len(todo) > MAX_NAMES_WARNED:
            self.report.notes.append(
                f"{len(todo) - MAX_NAMES_WARNED} more shared-with recipient(s) in no vocabulary, not warned about "
                f"one by one: {', '.join(map(repr, todo[MAX_NAMES_WARNED:MAX_NAMES_WARNED + 5]))}"
                f"{', ...' if len(todo) > MAX_NAMES_WARNED + 5 else ''}"
            )
            for name in todo[MAX_NAMES_WARNED:]:
                warned.add((self.case.case_id, self.source_file, name))
            todo = todo[:MAX_NAMES_WARNED]
        wanted = set(todo)
        hit = {t: [n for n in found if n in wanted] for t, found in per_text.items() if wanted.intersection(found)}
        rows_of: dict[str, list[int]] = {name: [] for name in todo}
        for k in [k for k, t in enumerate(informed) if t in hit]:  # the rows naming one: one pass, in C mostly
            for name in hit[informed[k]]:
                rows_of[name].append(row_numbers[k])
        column = self.match.header_of("informed_agencies")
        for name in todo:
            warned.add((self.case.case_id, self.source_file, name))
            rows = rows_of[name]
            self.report.warn(
                rows[0], column,
                f"shared with {name!r} ({_rows_named(rows)}): an agency in no vocabulary, kept as written; if it "
                "is a known agency under another name (an abbreviation such as 'YOT'), or to name its kind, add it "
                "under `agencies:` in the case's vocab.yml (as an alias of that agency, or with `kind:`)",
            )

    def _with_recipients(self, listed: str, found: list) -> str:
        """The informed agencies `listed` (from the "Shared with" column) and the recipient labels `found` in
        the narrative (`vocab.shared_in_text`) that reach none of them ("Children's social care" is not added
        beside "Eastborough Children's Social Care"), joined."""
        names = split_multi(listed)
        kinds = [vocabulary.normalise_agency(name, self.vocab)[1] for name in names]
        added = [label for label in found
                 if not any(vocabulary.informed_reaches(label, name, kind, self.vocab) for name, kind in zip(names, kinds))]
        return join_multi([*names, *added])

    def _warn_serial_texts(self, rows: np.ndarray, row_numbers: list[int], parsed: list) -> None:
        """A warning for each date cell holding five digits as text ("45222"), read as an Excel date
        serial: a date cell exported unformatted reads so, but so does a reference number."""
        values = self.values("date", rows)
        serials = _serial_texts(values)
        if not serials:
            return
        header = self.match.header_of("date")
        for value, row, result in zip(values, row_numbers, parsed):
            if value in serials and value.__class__ is str:
                self.report.warn(
                    row, header,
                    f"{value.strip()!r} read as the Excel date serial {value.strip()} = {result.date:%d/%m/%Y}: "
                    "check the date in the file (a date cell saved as a number, or a reference number?)",
                )

    def _warn_weekday_notes(self, rows: np.ndarray, row_numbers: list[int], notes: dict) -> None:
        """A warning for each date cell whose written weekday disagrees with its date (`weekday_note`: "Tues 4th
        March 2020", a Wednesday); the date is kept. `notes`: the distinct texts with a note (`_weekday_texts`)."""
        header = self.match.header_of("date")
        for value, row in zip(self.values("date", rows), row_numbers):
            if value.__class__ is str and value in notes:
                self.report.warn(row, header, notes[value])

    def _warn_season_notes(self, row_numbers: list[int], parsed: list) -> None:
        """A warning for each date read as a season that could be another one (`season_note`: "Winter 2021")."""
        header = None
        for row, result in zip(row_numbers, parsed):
            if result.precision == "season":
                note = season_note(result.text)
                if note:
                    header = header or self.match.header_of("date")
                    self.report.warn(row, header, note)

    # -- fields ------------------------------------------------------------------------------------
    def _parse_dates(self, values: list, times: list) -> list:
        """`_parse_date` of each (date, time) cell pair, the cache looked up inline (most cells repeat)."""
        cache, parse = self._dates, self._parse_date
        out = []
        for value, time_value in zip(values, times):
            try:
                out.append(cache[(value.__class__, value, time_value.__class__, time_value)])
            except (KeyError, TypeError):
                out.append(parse(value, time_value))
        return out

    def _parse_date(self, value, time_value):
        """ParsedDate, or the rejection reason (str).

        A range ("03/04/2007 - 05/04/2007") is parsed again wherever it is met, never cached, so that
        every sheet holding one sets `ranges` and reads its ends: the other sheets look for no ends."""
        if value is None:
            return NO_DATE_REASON
        key = (value.__class__, value, time_value.__class__, time_value)
        try:
            return self._dates[key]
        except KeyError:
            pass
        except TypeError:  # an unhashable cell value: parse without caching
            key = None
        try:
            result = parse_date(value, time_value)
        except DateParseError as exc:
            result = str(exc) or f"unreadable date {_shown(value)}"
            if exc.field == "time":
                result = _TimeReason(result)
        if not isinstance(result, str) and result.end is not None:
            self.ranges = True
            return result
        if key is not None:
            self._dates[key] = result
        return result

    def _end_dates(self, rows: np.ndarray, row_numbers: list[int], parsed: list) -> list:
        """The end-date column's dates; a row whose date cell holds a range ("3-5 April 2007") and whose
        end-date cell is empty gets the range's end (when both give an end and they differ, the column
        wins, with a warning)."""
        in_cell = [p.end for p in parsed] if self.ranges else None
        if "date_end" not in self.match.columns:
            return [pd.NaT if end is None else end for end in in_cell] if in_cell else [pd.NaT] * len(rows)
        header = self.match.header_of("date_end")
        out = []
        for k, (value, time_value, row) in enumerate(
            zip(self.values("date_end", rows), self.values("time_end", rows), row_numbers)
        ):
            result = pd.NaT if value is None else self._parse_date(value, time_value)
            if isinstance(result, str):
                self.report.warn(row, header, f"end date left empty: {result}")
                result = pd.NaT
            elif result is not pd.NaT and result.end is not None:
                self.report.warn(row, header, f"end date left empty: {result.text.strip()!r} is itself a range")
                result = pd.NaT
            end = result if result is pd.NaT else result.date
            if in_cell and in_cell[k] is not None:
                if end is pd.NaT:
                    end = in_cell[k]
                elif end != in_cell[k]:
                    self.report.warn(row, header, f"the date cell's range ends {in_cell[k]:%d/%m/%Y %H:%M}, "
                                     f"the end date says {end:%d/%m/%Y %H:%M}: the end date is kept")
            out.append(end)
        return out

    def _agencies(self, rows: np.ndarray) -> tuple[list[str], list[str], list[str]]:
        """Agency, per row: the Agency column; else the file's agency from case.yml or its profile; else
        the Organisation column; else the file name. Organisation: the column as written, else the
        vocabulary's organisation for the agency."""
        declared, stem = self.declared_agency, self.file_stem
        normalised = self.caches.setdefault("agency", {})

        def resolve(key: tuple[str, str]) -> tuple[str, str, str]:
            name, written = key
            name = name or declared or written or stem
            if name not in normalised:
                normalised[name] = vocabulary.normalise_agency(name, self.vocab)
            agency, kind, organisation = normalised[name]
            return agency, kind, written or (organisation or "")

        # one lookup per row for all three, the cache per (agency cell, organisation cell) of this file
        triples = self.map(
            f"agency+organisation/{declared}/{stem}",
            resolve,
            list(zip(self.texts("agency", rows), self.texts("organisation", rows))),
        )
        agency, kind, organisation = (list(column) for column in zip(*triples))
        return agency, kind, organisation

    def _agency_names(self, cell: str, written: str) -> tuple[str, ...]:
        """The names a row's agency is written under, as `review.vocab.agency_contact_type` reads them: its Agency
        cell, else the file's agency, else its Organisation cell, else the file name; the Organisation cell; the
        agency it normalises to; and, for a row of the file's own agency (its Agency cell blank, or naming the
        agency case.yml gives the file), the file's name (`review.vocab.file_name_agency`: "ed_redvale_general.csv"
        of the agency "Redvale General Hospital" is its emergency department's chronology; a row of another agency
        named in a combined file is not described by it)."""
        name = cell or self.declared_agency or written or self.file_stem
        agency = vocabulary.normalise_agency(name, self.vocab)[0]
        names = (name, written, agency)
        if cell and not (self.declared_agency and agency == vocabulary.normalise_agency(self.declared_agency, self.vocab)[0]):
            return names
        return (*names, vocabulary.file_name_agency(self.file_stem, self.vocab))

    def _agency_types(self, rows: np.ndarray) -> list[str]:
        """The contact type each row's agency says its contacts are (`review.vocab.agency_contact_type`: an
        emergency department's are A&E attendances), read from the names the agency is written under
        (`_agency_names`, the file's name among them), else ""; once per distinct (agency cell, organisation
        cell) of the file."""
        if not vocabulary.compile_vocab(self.vocab).agency_contact_types:
            return [""] * len(rows)
        declared, stem = self.declared_agency, self.file_stem

        def read(key: tuple[str, str]) -> str:
            return vocabulary.agency_contact_type(self._agency_names(*key), self.vocab)

        return self.map(f"agency type/{declared}/{stem}", read,
                        list(zip(self.texts("agency", rows), self.texts("organisation", rows))))

    def _contact_types(self, type_texts: list[str], descriptions: list[str], actions: list[str],
                       rows: np.ndarray) -> tuple[list[str], set[str], list[int]]:
        """(the rows' contact types, the type cells naming no type the vocabulary knows in some row, the positions of
        the rows whose such cell their agency read: `_agency_cell_types`). A row is typed by its type cell, else (the cell blank, or not recognised: "Meeting") by its description
        (`review.vocab.description_contact_type`), else "other"; a row with a blank type cell of an agency whose
        name says what its contacts are (an emergency department's) is of that type unless its description or
        outcome says otherwise (`review.vocab.untyped_contact_type`). Each distinct cell and description (with
        its outcome and agency's type, for such an agency) read once."""

        def by_cell(type_text):
            if type_text in CONTACT_TYPES:  # an id already (a profile's value map, or a column of ids)
                return type_text
            return vocabulary.type_cell_contact_type(type_text, self.vocab)

        def by_text(description):
            return vocabulary.description_contact_type(description, self.vocab) or "other"

        # `type_texts` went through the profile's value map. Keyed by the type text alone (no tuple per row);
        # the descriptions of the rows whose cell gives no type, by the description
        by_type = self.caches.setdefault("contact_type/cell", {})
        by_description = self.caches.setdefault("contact_type/description", {})
        typed = _cached_map(by_cell, type_texts, by_type)
        if all(typed):
            return typed, set(), []
        unrecognised = {t for t in dict.fromkeys(type_texts) if t and not by_type[t]}
        agency_read: list[int] = []
        compiled = vocabulary.compile_vocab(self.vocab)
        if unrecognised and (compiled.agency_type_cells or compiled.any_agency_type_cells):
            typed, unrecognised, agency_read = self._agency_cell_types(typed, type_texts, unrecognised, rows)
        agency_types = self._agency_types(rows)
        by_words = [not t for t in typed]  # the rows typed by their text (or their agency), not by their cell
        if any(agency_types):  # a blank cell of such an agency's row: its type unless the text says otherwise
            by_agency = self.caches.setdefault("contact_type/agency", {})
            keys = [(a, d, o) for t, cell, a, d, o in zip(typed, type_texts, agency_types, descriptions, actions)
                    if not t and a and not cell.strip()]
            read_agency = iter(_cached_map(
                lambda key: vocabulary.untyped_contact_type(key[1], key[2], key[0], self.vocab), keys, by_agency))
            typed = [t or (next(read_agency) if a and not cell.strip() else "")
                     for t, cell, a in zip(typed, type_texts, agency_types)]
        untyped = [d for t, d in zip(typed, descriptions) if not t]
        if untyped:
            read = iter(_cached_map(by_text, untyped, by_description))
            typed = [t or next(read) for t in typed]
        return self._emergency_calls(typed, by_words, descriptions, actions, rows), unrecognised, agency_read

    def _emergency_calls(self, typed: list[str], by_words: list[bool], descriptions: list[str], actions: list[str],
                         rows: np.ndarray) -> list[str]:
        """`typed` with a health agency's "999 call" read from its text no police call-out (s21, QA11 D5: an
        ambulance service's "999 call: mother reports Poppy fitting"; `review.vocab.emergency_call_type`). Only
        the rows typed police_callout by their words are read, once per distinct (description, agency)."""
        if vocabulary.compile_vocab(self.vocab)._emergency_calls is None:
            return typed
        ask = [k for k, (t, w) in enumerate(zip(typed, by_words)) if w and t == "police_callout"]
        if not ask:
            return typed
        agencies, written = self.texts("agency", rows), self.texts("organisation", rows)
        typed = list(typed)
        for k in ask:
            names = self._agency_names(agencies[k], written[k])
            typed[k] = vocabulary.emergency_call_type(typed[k], descriptions[k], actions[k], names, self.vocab)
        return typed

    def _agency_cell_types(self, typed: list[str], type_texts: list[str], unrecognised: set[str],
                           rows: np.ndarray) -> tuple[list[str], set[str], list[int]]:
        """(`typed` with the type cells that name no type the vocabulary knows read as their agency's own words for
        its contacts, `review.vocab.agency_cell_contact_type`: "Majors" of an emergency department, "Domestic" of
        a police force; the cells still naming no type in some row; the positions of the rows so read). Once per distinct (cell, agency cell,
        organisation cell) of the file."""
        declared, stem = self.declared_agency, self.file_stem

        def read(key: tuple[str, str, str]) -> str:
            cell, named, written = key
            return vocabulary.agency_cell_contact_type(cell, self._agency_names(named, written), self.vocab)

        at = [k for k, cell in enumerate(type_texts) if cell in unrecognised]
        agencies, organisations = self.texts("agency", rows[at]), self.texts("organisation", rows[at])
        found = self.map(f"agency cell type/{declared}/{stem}", read,
                         [(type_texts[k], a, o) for k, a, o in zip(at, agencies, organisations)])
        typed = list(typed)
        for k, contact_type in zip(at, found):
            typed[k] = contact_type
        return (typed, {type_texts[k] for k, contact_type in zip(at, found) if not contact_type},
                [k for k, contact_type in zip(at, found) if contact_type])

    def _attendance(self, contact_type: list[str], attended: list[str], row_numbers: list[int]) -> tuple[list[str], list | None]:
        """(the rows' contact types, which rows' Attended cells were not read): a row whose Attended cell says the
        child did not attend ("No", "DNA", "WNB", "Was not brought", "Did not attend") is a missed appointment,
        was_not_brought, when its type is one of vocab.yml `missed_attendance_types` (an appointment, a visit, no
        type: not a letter or a phone call with "No" beside it); "Yes", "Attended" change nothing. A cell read
        neither way ("Cancelled by clinic") is kept as another column, with one warning per file naming its
        values and rows."""
        if "attended" not in self.match.columns:
            return contact_type, None
        missed_types = vocabulary.compile_vocab(self.vocab).missed_attendance_types
        readings = self.map("attended", self._attended_reading, attended)
        contact_type = ["was_not_brought" if r is False and t in missed_types else t
                        for t, r in zip(contact_type, readings)]
        unread = [r == "" for r in readings]
        values = sorted({a for a, u in zip(attended, unread) if u})
        if values:
            rows = _rows_of(self._all_rows(attended), values, row_numbers)
            self.report.warn(
                rows[0], self.match.header_of("attended"),
                f"attendance value(s) {_values_named(values)} ({_rows_named(rows)}) say neither that the "
                f"child attended nor that the child did not (read: Yes/No, Attended, Present/Absent, DNA, WNB, "
                f"Was not brought): "
                f"those rows are not read as missed appointments, the cell kept as another column")
        return contact_type, (unread if values else None)

    def _attended_concerns(self, description: list[str], action: list[str], narrative: list[str],
                           attended: list[str], row_numbers: list[int]) -> tuple[list[str], list[str]]:
        """(description, narrative) with the text of each Attended cell that says more than whether the child
        attended and names a concern ("Attended with mum's partner (RSO)": a registered sex offender with the
        child, risk_to_children) following the description under its header ("Abdominal pain\nAttended: Attended
        with mum's partner (RSO)"), as another narrative column's text does, so that the concern is read (s21, QA
        Leah: an emergency department's and a CAMHS list's Attended cells; before, the cell was read as "attended"
        and its words lost). A cell that is a missed appointment ("DNA", "Was not brought") is left to
        `_attendance`; one naming no concern ("Attended with mother") changes nothing. A note names the rows."""
        if "attended" not in self.match.columns:
            return description, narrative
        readings = self.map("attended", self._attended_reading, attended)
        tags = self.map("attended concerns", lambda text: vocabulary.tag_concerns(text, self.vocab) if text else [],
                        attended)
        ask = [k for k, (reading, found) in enumerate(zip(readings, tags))
               if reading is not False and reading is not None and [t for t in found if t != "was_not_brought"]]
        if not ask:
            return description, narrative
        header = self.match.header_of("attended") or "Attended"
        description, narrative = list(description), list(narrative)
        for k in ask:
            said = f"{header}: {attended[k].strip()}"
            description[k] = f"{description[k]}\n{said}" if description[k] else said
            narrative[k] = f"{description[k]}\n{action[k]}" if description[k] and action[k] else description[k]
        rows = [row_numbers[k] for k in ask] if self.codes is None else \
            [row_numbers[i] for i in np.flatnonzero(np.isin(self.codes, ask))]
        self.report.notes.append(
            f"{len(rows)} row(s) name a concern in column {header!r} ({_rows_named(rows)}): its text follows the "
            f"description, where concerns are read")
        return description, narrative

    def _missed_appointments(self, contact_type: list[str], concerns: list[str], seen: list | None = None) -> list[str]:
        """`contact_type` with each row of one of vocab.yml `missed_appointment_types` (an appointment: "Choice
        appointment", "Clinic") tagged was_not_brought ("DNA. Mother phoned - Kayleigh refused to come.", an
        outcome "WNB") typed was_not_brought, the missed appointment, as its text would type it without the cell
        (`review.vocab.missed_appointment_type`). Once per distinct concerns value of the file. Not a row whose
        Child seen cell (`seen`, read per row) says the child was seen (s21, QA11 D4): the appointment took
        place with the child there, whatever its text says was not brought or missed."""
        types = vocabulary.compile_vocab(self.vocab).missed_appointment_types
        if not types:
            return contact_type
        missed = self.map("missed appointment", vocabulary.not_brought_tagged, concerns)
        if not any(missed):
            return contact_type
        seen = seen if seen is not None else [pd.NA] * len(contact_type)
        return ["was_not_brought" if m and t in types and s is not True else t
                for t, m, s in zip(contact_type, missed, seen)]

    def _seen_attending(self, child_seen: list, attended: list[str], contact_type: list[str], concerns: list[str],
                        description: list[str], action: list[str], row_numbers: list[int],
                        agency_kind: list[str] | None = None) -> list:
        """`child_seen` with True where the Child seen cell is blank (or there is no such column) and the Attended
        cell says the child attended a face-to-face health or clinic appointment (`review.sightings.attended_seen`:
        vocab.yml attended_seen_types, not a phone call, a letter or a contact about a parent), or (s19) a
        nursery's or a school's setting (its register's "Attended: Yes", "Present": attended_seen_agency_kinds,
        `agency_kind` per row): the child was brought and seen. One note per file names the rows so read."""
        if "attended" not in self.match.columns:
            return child_seen
        readings = self.map("attended", self._attended_reading, attended)
        ask = [k for k, (r, seen) in enumerate(zip(readings, child_seen)) if r is True and seen is pd.NA]
        if not ask:
            return child_seen
        from ..rules.base import case_vocab_key
        from ..sightings import attended_seen, attended_words

        key = self.caches.get("sighting vocab key")
        if key is None:
            key = self.caches["sighting vocab key"] = case_vocab_key(self.case, self.case.case_id)
        # the case's adults by given name (case.yml people, as `_with_people` adds them): "Sian attended re low mood"
        adults = frozenset(vocabulary.normalise_text(str(w)) for words in (self.vocab.get("injury_adults") or {}).values()
                           for w in words or ())
        kinds = agency_kind if agency_kind is not None else [""] * len(contact_type)
        seen = self.map("attended seen", lambda row: attended_seen(*row[:4], key=row[4], adults=row[5],
                                                                    agency_kind=row[6]),
                        [(contact_type[k], concerns[k], description[k], action[k], key, adults, kinds[k] or "")
                         for k in ask])
        read = [k for k, yes in zip(ask, seen) if yes]
        if not read:
            return child_seen
        clinic_types, _ = attended_words(key)
        in_clinic = any(contact_type[k] in clinic_types for k in read)
        in_setting = any(contact_type[k] not in clinic_types for k in read)  # a nursery's or a school's register
        where = " or ".join(w for w, yes in (("a clinic appointment in person", in_clinic),
                                             ("its setting (a nursery's or a school's register)", in_setting)) if yes)
        child_seen = list(child_seen)
        for k in read:
            child_seen[k] = True
        read = read if self.codes is None else np.flatnonzero(np.isin(self.codes, read)).tolist()  # every such row
        self.report.notes.append(
            f"{len(read)} row(s) say in column {self.match.header_of('attended')!r} that the child attended "
            f"{where} and have no Child seen cell ({_rows_named([row_numbers[k] for k in read])}): read as the "
            f"child seen")
        return child_seen

    def _attended_reading(self, text: str):
        """True (attended), False (did not attend: "No", "DNA", "WNB", "Was not brought"), None (blank) or ""
        (read neither way) of an Attended cell."""
        if not text.strip():
            return None
        answer = vocabulary.parse_yes_no(text)
        if answer is not None:
            return answer
        if vocabulary.type_cell_contact_type(text, self.vocab) == "was_not_brought":
            return False
        words = vocabulary.normalise_text(text).split()
        if words == ["absent"]:  # a register's "Absent" (s19), as its "No"
            return False
        return True if words and words[0] in _ATTENDED else ""  # "Attended with mother"

    def _warn_unknown_types(self, type_texts: list[str], unrecognised: set[str], row_numbers: list[int]) -> None:
        """One warning per file naming the type cells that name no type the vocabulary knows and their rows:
        those rows are typed by their description, and the cell is kept in `extra` (shown as another column)."""
        warned = self.caches.setdefault("warned unknown contact type", set())
        values = sorted(t for t in unrecognised if (self.case.case_id, self.source_file, t) not in warned)
        if not values:
            return
        warned.update((self.case.case_id, self.source_file, t) for t in values)
        rows = _rows_of(type_texts, values, row_numbers)
        self.report.warn(
            rows[0], self.match.header_of("contact_type"),
            f"contact type(s) {_values_named(values)} ({_rows_named(rows)}) name no type the vocabulary "
            f"knows: those rows are typed from their description (else 'other'), the cell kept as another column; "
            f"to read such a cell as a type, add it under `contact_types:` in the case's vocab.yml (or map it in "
            f"the profile's `values:`)",
        )

    def _concerns(self, narratives: list[str], columns: list[str]) -> list[str]:
        if "concerns" not in self.match.columns:
            return self.map(
                "concerns_joined", lambda text: join_multi(vocabulary.tag_concerns(text, self.vocab)) if text else "", narratives
            )
        from_text = self.map("concerns", lambda text: vocabulary.tag_concerns(text, self.vocab) if text else [], narratives)
        from_column = self.map("concerns_column", self._concerns_column, columns)
        return [join_multi(a + b) for a, b in zip(from_text, from_column)]

    def _concerns_column(self, text: str) -> list[str]:
        """A Concerns column may hold tag ids ("head_injury; neglect") or words ("Bruising to face")."""
        if not text:
            return []
        tags = set(vocabulary.tag_concerns(text, self.vocab))
        for part in text.replace(",", ";").replace("/", ";").split(";"):
            tag = "_".join(normalise_header(part).split())
            if tag in CONCERN_TAGS:
                tags.add(tag)
        return sorted(tags)

    def _concerns_unread(self, text: str) -> bool:
        """Is a part of the Concerns cell `text` (its parts split at ";", ",", "/" and line ends) read as no
        concern (neither a tag id nor words of one)? Such a cell is kept under Other columns as well."""
        parts = [p for p in text.replace(",", ";").replace("/", ";").replace("\n", ";").split(";") if p.strip()]
        return any(not self._concerns_column(part) for part in parts)

    def _yes_no(self, name: str, rows: np.ndarray) -> list:
        index = self.match.columns.get(name)
        if index is None:
            return [pd.NA] * len(rows)
        mapping = self.profile.value_maps.get(name)

        def read(value):
            if mapping:
                mapped, value = self.profile.map_value(name, value)
                if mapped:
                    return pd.NA if value is None else bool(value)
            result = vocabulary.parse_yes_no(value)
            return pd.NA if result is None else bool(result)

        return self.map(f"{name}/{self.profile.name}", read, self.cells[rows, index].tolist())

    def _sequence(self, rows: np.ndarray, row_numbers: list[int]) -> list:
        if "sequence" not in self.match.columns:
            return [pd.NA] * len(rows)
        header = self.match.header_of("sequence")
        out = []
        for value, row in zip(self.values("sequence", rows), row_numbers):
            number = _whole_number(value)
            if number is not None and not -_SEQUENCE_LIMIT < number < _SEQUENCE_LIMIT:
                self.report.warn(row, header, f"sequence {_shown(value)} is too large to be a sequence number: left empty")
                number = None
            elif number is None and value is not None:
                self.report.warn(row, header, f"sequence {_shown(value)} is not a whole number")
            out.append(pd.NA if number is None else number)
        return out

    def _extra(self, rows: np.ndarray, type_texts: list[str] | None = None, unrecognised=frozenset(),
               unread_attended: list[bool] | None = None, unread: dict[str, list[bool]] | None = None) -> list[str]:
        """The unmapped cells of each row as a JSON object, and the type cell of a row whose type cell names no
        type the vocabulary knows (`unrecognised`: the row is typed from its description, the cell stays in view),
        the Attended cell of a row where it was read neither way (`unread_attended`, per row) and, per field of
        `unread` (field -> per row), its cell where the row's flag is set: a Concerns cell a part of which is read
        as no concern, a Child seen cell read neither yes nor no."""
        columns = dict(self.match.unmapped)
        typed_at = self.match.columns.get("contact_type") if type_texts is not None else None
        if typed_at is not None:
            columns[typed_at] = self.match.header_of("contact_type") or "contact type"
        attended_at = self.match.columns.get("attended") if unread_attended is not None else None
        if attended_at is not None:
            columns[attended_at] = self.match.header_of("attended") or "attended"
        unread_at = {self.match.columns[name]: flags for name, flags in (unread or {}).items()
                     if name in self.match.columns and any(flags)}
        for column in unread_at:
            columns[column] = self.match.headers[column] or f"column {column_letter(column)}"
        if not columns:
            return [""] * len(rows)
        order = sorted(columns)  # the sheet's column order (left to right), as the agency wrote them: never sorted by name
        keys = [columns[c] for c in order]
        block = self.cells[np.ix_(rows, order)].tolist()
        at = order.index(typed_at) if typed_at is not None else -1
        attended = order.index(attended_at) if attended_at is not None else -1
        unread_places = [(order.index(column), flags) for column, flags in unread_at.items()]
        out = []
        for k, values in enumerate(block):
            if at >= 0 and type_texts[k] not in unrecognised:
                values[at] = None  # a type cell read as a type: a field, not another column
            if attended >= 0 and not unread_attended[k]:
                values[attended] = None  # an Attended cell read: a field
            for place, flags in unread_places:
                if not flags[k]:
                    values[place] = None  # a cell read: a field
            if values.count(None) == len(values):  # most rows: nothing beyond the fields
                out.append("")
                continue
            extra = {key: _json_value(v) for key, v in zip(keys, values) if v is not None}
            out.append(json.dumps(extra, ensure_ascii=False) if extra else "")
        return out


def _string_array(values: list) -> pd.api.extensions.ExtensionArray:
    """`pd.array(values, dtype="string")` for a list of str, straight through pyarrow (about half the
    time: pandas first checks and copies every value); anything else goes the pandas way. A column of
    one text ('' in a column no sheet has, the case's id, mostly one sheet name) is that text repeated:
    pyarrow copies its bytes, not every value (`list.count` finds such a column in C, mostly by the
    identity of its values; the first, middle and last value are compared first, so that another column
    costs nothing)."""
    first = values[0] if values else None
    one = (first.__class__ is str and values[-1] == first and values[len(values) // 2] == first
           and values.count(first) == len(values))
    try:
        storage = pa.repeat(pa.scalar(first, type=pa.large_string()), len(values)) if one else \
            pa.array(values, type=pa.large_string())
        array = pd.arrays.ArrowStringArray(storage)
    except (pa.ArrowException, TypeError, ValueError):
        return pd.array(values, dtype="string")
    if array.dtype != _STRING:  # another default storage for "string" (pandas option): its own way
        return pd.array(values, dtype="string")
    return array


_STRING = pd.StringDtype()



#: the first words of Attended cells that say the child attended, besides a yes (`review.vocab.parse_yes_no`)
_ATTENDED = frozenset({"attended", "brought", "arrived", "present"})  # "Present" in a register (s19)


def _cached_map(function, values: list, cache: dict) -> list:
    """[function(v) for v in values], calling `function` once per distinct value (remembered in `cache`).

    New values are computed in the order they first appear; then one lookup per value."""
    try:
        return [cache[value] for value in values]
    except KeyError:
        pass
    for value in dict.fromkeys(values):
        if value not in cache:
            cache[value] = function(value)
    return [cache[value] for value in values]


#: a sequence number must fit the Int64 column (fuzzing found a csv with 2**63 in it, which crashed ingest)
_SEQUENCE_LIMIT = 2**63


def _whole_number(value) -> int | None:
    if value is None or isinstance(value, bool):
        return None
    if isinstance(value, int):
        return value
    try:  # digits are read exactly: through a float, a number past 2**53 would change
        return int(str(value).strip())
    except ValueError:
        pass
    try:
        number = float(value) if isinstance(value, float) else float(str(value).strip())
    except ValueError:
        return None
    return int(number) if number.is_integer() else None


def event_id(case_id: str, source_file: str, source_sheet: str, source_row: int) -> str:
    """Stable id from provenance: the same cell row gives the same id on every run."""
    return "E" + hashlib.sha1(f"{case_id}|{source_file}|{source_sheet}|{source_row}".encode()).hexdigest()[:12]


def _event_ids(case_id: str, source_file: str, source_sheet: str, source_rows: list[int]) -> list[str]:
    """`event_id` of each row of one sheet: the hash of the shared prefix is computed once and copied."""
    prefix = hashlib.sha1(f"{case_id}|{source_file}|{source_sheet}|".encode())
    out = []
    for row in source_rows:
        digest = prefix.copy()
        digest.update(str(row).encode())
        out.append("E" + digest.hexdigest()[:12])
    return out


#: how much of a rejected row's text its rejection quotes
QUOTED_CHARACTERS = 60


def _quoting_row(reason: str, cells, match, detail_columns: list[int]) -> str:
    """`reason` and a short quote of the rejected row's text, so that the reviewer sees what was lost: "no date:
    'Safeguarding file not sent - no receiving school'" (its description, else its action, else its first filled
    column that is no date, time or sequence; at most QUOTED_CHARACTERS characters, cut at a word's end). `reason` alone when the row
    has no such text. The quote is in quotes as a cell's value is in other messages: the anonymised view redacts
    it as it redacts the row's text (`review.redact.Redactor._message`)."""
    order = [match.columns[n] for n in ("description", "action") if n in match.columns] + list(detail_columns)
    for column in order:
        if column >= len(cells):
            continue
        text = " ".join(_text(cells[column]).split())
        if text:
            if len(text) > QUOTED_CHARACTERS:
                cut = text[:QUOTED_CHARACTERS]
                space = cut.rfind(" ")
                text = (cut[:space] if space > QUOTED_CHARACTERS // 2 else cut).rstrip() + "..."  # at a word's end
            return f"{reason}: {text!r}"
    return reason


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


__all__ = ["contacts_from_table", "event_id", "load_contacts"]
