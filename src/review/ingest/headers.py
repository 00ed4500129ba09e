"""Header detection and column mapping profiles: which row is the header, which column is which field.

A profile maps canonical fields (date, agency, description, ...) to the header texts agencies use. The
built-in `generic` profile (data/profiles.yml) knows the common chronology templates; a case adds its
own in `profiles/<name>.yml` for unusual layouts (explicit header row, columns, value maps, default
agency, sheets). Matching ignores case, punctuation and bracketed notes ("Date (dd/mm/yyyy)" is "date").

Agency vs Organisation vs Source: "Agency" is the reporting agency, as are "Provider" and "Hospital" (the
row's hospital or department: "Westshire ED"); "Organisation" / "Trust" / "Service" / "Team" / "Site" fill
`organisation` verbatim. A row's agency is its Agency cell, else the file's agency declared in
case.yml (or the profile), else its Organisation cell, else the file name: a declared agency is the
reviewer's word and beats a Service column that names a department. "Source" is
`source_of_information` (records, a call), never the agency.
"""
from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field, replace
from functools import lru_cache
from pathlib import Path, PurePath

from ..config import CaseConfig, load_yaml, package_data, safe_join
from ..errors import ConfigError
from .tables import RawTable

#: every field a profile can map, in the order the report lists them
FIELDS = (
    "date",
    "time",
    "date_end",
    "time_end",
    "agency",
    "organisation",
    "source_of_information",
    "role",
    "contact_type",
    "description",
    "action",
    "analysis",
    "child_seen",
    "child_seen_alone",
    "attended",  # whether the child attended (was brought): a "No" or "DNA" is a missed appointment
    "informed_agencies",
    "concerns",
    "sequence",
)
#: the narrative fields: a second column naming one of them ("Summary" beside "Details", "Outcome"
#: beside "Action") is read into that field after the first, under its header, so that its text is
#: analysed too (a second Date or Agency column stays in `extra`: which one is right is not knowable)
NARRATIVE_FIELDS = ("description", "action", "analysis")
#: how many rows from the top of a sheet are searched for the header
HEADER_SCAN_ROWS = 30
#: longer cells are narrative, not headers (and are not worth normalising while scanning)
MAX_HEADER_CHARS = 120
PROFILE_KEYS = {"name", "extends", "description", "header_row", "columns", "fields", "value_maps", "agency", "sheets"}

_BRACKETS = re.compile(r"\([^)]*\)|\[[^\]]*\]")
_NON_WORD = re.compile(r"[^\w]+")


def normalise_header(text: object) -> str:
    """'Date of Contact (dd/mm/yyyy)*' -> 'date of contact'; '' for blanks and non-text cells."""
    if not isinstance(text, str):
        return ""
    try:
        return _NORMALISED[text]
    except KeyError:
        pass
    if len(_NORMALISED) >= MAX_NORMALISED:  # header scans see the top rows' cells of every sheet
        _NORMALISED.clear()
    stripped = _BRACKETS.sub(" ", text).replace("&", " and ")
    key = _NORMALISED[text] = " ".join(_NON_WORD.sub(" ", stripped.casefold()).replace("_", " ").split())
    return key


_NORMALISED: dict[str, str] = {}
MAX_NORMALISED = 50_000


def header_hit(lookup: dict[str, tuple[str, int]], text: object) -> tuple[str, int] | None:
    """The (field, priority) a header cell names: its whole text, else, for a header of alternatives
    written with "/" ("Presenting complaint / Details", "Worker/Role"), the field its parts name, when
    they name one field only ("Agency/Organisation" names two: none)."""
    hit = lookup.get(normalise_header(text))
    if hit is not None or not isinstance(text, str) or "/" not in text:
        return hit
    hits = {found for part in text.split("/") if (found := lookup.get(normalise_header(part))) is not None}
    return min(hits, key=lambda h: h[1]) if len({name for name, _ in hits}) == 1 else None


@dataclass(frozen=True)
class Profile:
    """How to find and map the columns of one agency's layout."""

    name: str
    synonyms: dict[str, tuple[str, ...]]  # field -> normalised header texts, in priority order
    header_row: int | None = None  # row number as the spreadsheet shows it; None = detect
    columns: dict[str, str] = field(default_factory=dict)  # field -> header as written (explicit)
    value_maps: dict[str, dict[str, object]] = field(default_factory=dict)  # field -> {normalised cell: value}
    agency: str | None = None  # default agency for this layout
    sheets: tuple[str, ...] | None = None  # sheets to read (None = all visible)
    origin: str = "package"  # where it was defined, for error messages

    def lookup(self) -> dict[str, tuple[str, int]]:
        """Normalised header -> (field, priority); lower priority wins. Explicit columns come first."""
        table: dict[str, tuple[str, int]] = {}
        for name, header in self.columns.items():
            table[normalise_header(header)] = (name, -1)
        for name, synonyms in self.synonyms.items():
            for rank, synonym in enumerate(synonyms):
                table.setdefault(synonym, (name, rank))
        return table

    def map_value(self, name: str, value: object) -> tuple[bool, object]:
        """(True, mapped) when the profile's value map for `name` has this cell, else (False, value)."""
        mapping = self.value_maps.get(name)
        if not mapping or value is None:
            return False, value
        key = normalise_value(value)
        if key in mapping:
            return True, mapping[key]
        return False, value


def normalise_value(value: object) -> str:
    return " ".join(str(value).casefold().split())


@dataclass(frozen=True)
class HeaderMatch:
    """The header of a sheet: where it is and which column holds which field."""

    index: int  # position in RawTable.rows
    row: int  # row number as the spreadsheet shows it
    headers: tuple[str, ...]  # header text as written per column ("" when blank)
    columns: dict[str, int]  # field -> column index
    unmapped: dict[int, str]  # column index -> key used in `extra` (header, or "column C" when blank)
    top: int | None = None  # a two-row header: the position of its upper row (`index` is the lower)
    also: dict[str, tuple[int, ...]] = field(default_factory=dict)  # narrative field -> its further columns
    # a body map's "Site" column (the injury's place on the body, not the organisation: `_body_site`), why, and
    # the body map's other columns read after the description with it ("Injury", "Size")
    body_site: tuple[int, str, tuple[int, ...]] | None = None
    # the columns read as narrative by what they are, not by a synonym: (column, why), why "narrative-like"
    # (`narrative_like_words`: "Triage notes", "DSL action") or "free text" (a Concern column of sentences)
    narrative_like: tuple[tuple[int, str], ...] = ()

    def header_of(self, name: str) -> str | None:
        index = self.columns.get(name)
        return None if index is None else self.headers[index]


# ---------------------------------------------------------------------------------------------------
# Profiles
# ---------------------------------------------------------------------------------------------------
@lru_cache(maxsize=1)
def _package_profiles() -> dict[str, dict]:
    data = package_data("profiles.yml") or {}
    return dict(data.get("profiles") or {})


@lru_cache(maxsize=1)
def cover_labels() -> frozenset[str]:
    """The labels of cover-sheet lines above a chronology's header (profiles.yml `cover_labels`),
    normalised as headers are."""
    data = package_data("profiles.yml") or {}
    return frozenset(filter(None, (normalise_header(str(v)) for v in data.get("cover_labels") or ())))


@lru_cache(maxsize=1)
def footer_words() -> tuple[frozenset[str], tuple[str, ...], tuple[str, ...]]:
    """(closings, phrases, labels) that open a footer line under a chronology (profiles.yml
    `footer_closings`, `footer_phrases`, `footer_labels` with `cover_labels`), normalised as headers are;
    phrases and labels longest first (the pattern tries them in that order)."""
    data = package_data("profiles.yml") or {}

    def words(key: str) -> set[str]:
        return set(filter(None, (normalise_header(str(v)) for v in data.get(key) or ())))

    phrases = words("footer_phrases")
    labels = (words("footer_labels") | cover_labels()) - phrases
    return (frozenset(words("footer_closings")), tuple(sorted(phrases, key=lambda w: (-len(w), w))),
            tuple(sorted(labels, key=lambda w: (-len(w), w))))


def available_profiles(case: CaseConfig | None = None) -> list[str]:
    names = set(_package_profiles())
    if case is not None:
        folder = Path(case.case_dir) / "profiles"
        if folder.is_dir():
            names |= {p.stem for p in folder.iterdir() if p.suffix in (".yml", ".yaml")}
    return sorted(names)


def load_profile(name: str | None, case: CaseConfig | None = None) -> Profile:
    """The profile called `name` (None = generic): the case's profiles/<name>.yml, else the package's.

    A case profile extends `generic` unless it says ``extends: none`` (or names another profile).
    Raises ConfigError naming case.yml for an unknown profile, or the profile file when it is invalid.
    """
    return _load_profile(name or "generic", case, ())


def _load_profile(name: str, case: CaseConfig | None, seen: tuple[str, ...]) -> Profile:
    if name in seen:
        raise ConfigError(f"profile {name!r} extends itself (via {' -> '.join(seen)})", file=_case_file(case))
    raw, origin = _find_profile(name, case)
    if not isinstance(raw, dict):
        raise ConfigError("a profile must be a mapping", file=origin)
    unknown = set(raw) - PROFILE_KEYS
    if unknown:
        raise ConfigError(
            f"unknown key(s) {', '.join(sorted(unknown))} (known: {', '.join(sorted(PROFILE_KEYS))})", file=origin
        )
    parent_name = raw.get("extends", None if name == "generic" else "generic")
    parent = (
        _load_profile(str(parent_name), case, seen + (name,))
        if parent_name and str(parent_name).lower() != "none"
        else None
    )
    synonyms = dict(parent.synonyms) if parent else {}
    for field_name, values in _mapping(raw.get("fields"), "fields", origin).items():
        _check_field(field_name, origin)
        values = _header_texts(values, f"fields.{field_name}", origin)
        own = tuple(normalise_header(v) for v in values if normalise_header(v))
        synonyms[field_name] = own + tuple(s for s in synonyms.get(field_name, ()) if s not in own)
    columns = dict(parent.columns) if parent else {}
    for field_name, header in _mapping(raw.get("columns"), "columns", origin).items():
        _check_field(field_name, origin)
        if not normalise_header(str(header)):
            raise ConfigError(f"columns.{field_name} must be a header text", file=origin)
        columns[field_name] = str(header)
    value_maps = {k: dict(v) for k, v in (parent.value_maps if parent else {}).items()}
    for field_name, mapping in _mapping(raw.get("value_maps"), "value_maps", origin).items():
        _check_field(field_name, origin)
        value_maps.setdefault(field_name, {}).update(
            {normalise_value(k): v for k, v in _mapping(mapping, f"value_maps.{field_name}", origin).items()}
        )
    header_row = raw.get("header_row", parent.header_row if parent else None)
    if header_row is not None and (not isinstance(header_row, int) or header_row < 1):
        raise ConfigError(f"header_row must be a row number (1 or more), got {header_row!r}", file=origin)
    sheets = raw.get("sheets", list(parent.sheets) if parent and parent.sheets else None)
    if isinstance(sheets, str):
        sheets = [sheets]
    return Profile(
        name=name,
        synonyms=synonyms,
        header_row=header_row,
        columns=columns,
        value_maps=value_maps,
        agency=raw.get("agency", parent.agency if parent else None),
        sheets=tuple(str(s) for s in sheets) if sheets else None,
        origin=str(origin),
    )


def _find_profile(name: str, case: CaseConfig | None) -> tuple[object, object]:
    if case is not None:
        for suffix in (".yml", ".yaml"):
            # a profile name is a file name: "../x" or a symlink out of the case folder is refused
            candidate = safe_join(case.case_dir, f"profiles/{name}{suffix}", origin=case.case_file)
            if candidate.is_file():
                return load_yaml(candidate), candidate
    packaged = _package_profiles()
    if name in packaged:
        return packaged[name], "review/data/profiles.yml"
    raise ConfigError(
        f"unknown profile {name!r} (known: {', '.join(available_profiles(case))}; "
        "a case profile lives in profiles/<name>.yml)",
        file=_case_file(case),
    )


def _case_file(case: CaseConfig | None):
    return case.case_file if case is not None else None


def _mapping(value, key: str, origin) -> dict:
    if value is None:
        return {}
    if not isinstance(value, dict):
        raise ConfigError(f"{key} must be a mapping", file=origin)
    return value


def _header_texts(value, key: str, origin) -> list[str]:
    """A profile's header synonyms for one field: one header text or a list of them. Anything else (a
    number, true: YAML reads a bare 2023 or yes so) is refused rather than guessed."""
    if value is None:
        return []
    values = value if isinstance(value, list) else [value]
    if not all(isinstance(v, str) for v in values):
        raise ConfigError(
            f"{key} must be a header text or a list of them, got {value!r} (quote a header YAML reads as a "
            "number or true/false)",
            file=origin,
        )
    return values


def _check_field(name: str, origin) -> None:
    if name not in FIELDS:
        raise ConfigError(f"unknown field {name!r} (fields: {', '.join(FIELDS)})", file=origin)


# ---------------------------------------------------------------------------------------------------
# Header detection
# ---------------------------------------------------------------------------------------------------
def detect_header(table: RawTable, profile: Profile) -> HeaderMatch | None:
    """Find the header row of `table` and map its columns; None when no row looks like a header.

    With `profile.header_row` the header is that row. Otherwise the first HEADER_SCAN_ROWS rows are
    scored by how many distinct fields they name; the best row that names a date column (and one more
    field) wins, the earliest on a tie. Raises ProfileColumnsMissing (a ConfigError, carrying what the
    header row lacks) when the profile's header row has no date column or lacks a column the profile
    declares, and ConfigError when its header row is past the end of the sheet.
    """
    lookup = profile.lookup()
    if profile.header_row is not None:
        if profile.header_row not in table.row_numbers:
            raise ConfigError(
                f"profile {profile.name!r}: header_row {profile.header_row} is past the end of the sheet",
                file=table.file,
                sheet=table.sheet,
            )
        index = table.row_numbers.index(profile.header_row)
        match = _match_row(table, index, lookup)
        if "date" not in match.columns:
            mismatch = _mismatch_of(match, profile, declared_row=True, elsewhere=_header_elsewhere(table, profile))
            close = mismatch.closest.get("date")
            raise ProfileColumnsMissing(
                f"profile {profile.name!r}: row {profile.header_row} has no date column "
                f"(headers: {', '.join(repr(h) for h in match.headers if h)})"
                f"{'' if close is None else f'; did you mean {close!r}?'}",
                mismatch,
                file=table.file,
                sheet=table.sheet,
                row=profile.header_row,
            )
    else:
        best: tuple[int, int] | None = None  # (score, index)
        for index, row in enumerate(table.rows[:HEADER_SCAN_ROWS]):
            hits = (header_hit(lookup, v) for v in row if isinstance(v, str) and len(v) <= MAX_HEADER_CHARS)
            names = {hit[0] for hit in hits if hit is not None}
            if "date" in names and len(names) >= 2 and (best is None or len(names) > best[0]):
                best = (len(names), index)
        if best is None:
            return None
        match = _match_row(table, best[1], lookup)
        match = _two_row_header(table, match, lookup) or match
    missing = [
        header
        for name, header in profile.columns.items()
        if name not in match.columns or normalise_header(match.headers[match.columns[name]]) != normalise_header(header)
    ]
    if missing:
        declared = profile.header_row is not None
        elsewhere = _header_elsewhere(table, profile) if declared else None
        raise ProfileColumnsMissing(
            f"profile {profile.name!r}: column(s) {', '.join(map(repr, missing))} not in the header row "
            f"(headers: {', '.join(repr(h) for h in match.headers if h)})"
            f"{_did_you_mean(missing, match)}",
            _mismatch_of(match, profile, declared_row=declared, elsewhere=elsewhere),
            file=table.file,
            sheet=table.sheet,
            row=match.row,
        )
    return match


#: how alike (rapidfuzz token-set ratio of the normalised texts) a header must be to the one a profile
#: expects to be suggested as the renamed column ("Date of entry" for "Date")
CLOSE_HEADER_RATIO = 60


def closest_header(expected: Iterable[str], headers: Iterable[str]) -> str | None:
    """The header (as written) most like one of the `expected` header texts, or None when none is alike
    (CLOSE_HEADER_RATIO): "Date" finds "Date of entry"; ties go to the closer whole text, then the
    leftmost header."""
    from rapidfuzz import fuzz

    wanted = [key for key in map(normalise_header, expected) if key]
    best: tuple[float, float, int] | None = None
    found = None
    for position, header in enumerate(headers):
        key = normalise_header(header)
        if not key:
            continue
        for target in wanted:
            score = (fuzz.token_set_ratio(target, key), fuzz.ratio(target, key), -position)
            if score[0] >= CLOSE_HEADER_RATIO and (best is None or score > best):
                best, found = score, header
    return found


def _did_you_mean(missing: list[str], match: HeaderMatch) -> str:
    """"; did you mean 'Date of entry' for 'Date'?" for each missing column with a header like it among
    the header row's columns no field reads, or ""."""
    free = [match.headers[c] for c in match.unmapped if match.headers[c]]
    hints = []
    for header in missing:
        close = closest_header([header], free)
        if close is not None:
            hints.append(f"did you mean {close!r} for {header!r}?")
    return f"; {'; '.join(hints)}" if hints else ""


@dataclass(frozen=True)
class ProfileMismatch:
    """Why a sheet read with a declared profile has no header row: the row most like its header (None when
    no row of the first HEADER_SCAN_ROWS names any column), the columns the profile expects there and does
    not find ((field, the header texts it expects), in FIELDS order), the headers of that row, and the
    closest header to each missing column (field -> header as written; absent when none is alike).
    `declared_row` when that row is the profile's `header_row`; `elsewhere`, then, a row below or above it
    that does have the profile's columns (the `header_row` to declare), or None."""

    row: int | None
    missing: tuple[tuple[str, tuple[str, ...]], ...]
    headers: tuple[str, ...]
    closest: dict[str, str]
    declared_row: bool = False
    elsewhere: int | None = None

    @property
    def column(self) -> str | None:
        """The header the rejection names: the closest to the first missing column that has one."""
        return next((self.closest[name] for name, _ in self.missing if name in self.closest), None)

    def message(self, profile: Profile) -> str:
        """The one error for the sheet: the missing column(s), the header row and its headers, the closest
        match ("did you mean 'Date of entry'?") and where to fix it."""
        wanted = [
            f"its {name} from {repr(expected[0]) if len(expected) == 1 else 'a column such as ' + ' or '.join(map(repr, expected[:3]))}"
            for name, expected in self.missing
        ]
        hints = [
            f"did you mean {self.closest[name]!r}{'' if len(self.missing) == 1 else f' for {expected[0]!r}'}?"
            for name, expected in self.missing
            if name in self.closest
        ]
        if wanted:
            said = f"profile {profile.name!r} reads {' and '.join(wanted)}, which the header row does not have"
        else:
            said = f"profile {profile.name!r}: the header row names a date column but no other column it reads"
        said += f": {' '.join(hints)}" if hints else "."
        if self.row is not None:
            which = "the profile's header_row" if self.declared_row else "the row naming the most of the profile's columns"
            where = f"Row {self.row}, {which}, holds {', '.join(repr(h) for h in self.headers if h) or 'no text'}."
        else:
            where = f"No row of the first {HEADER_SCAN_ROWS} names any of its columns."
        if self.elsewhere is not None:
            return (f"{said} {where} Row {self.elsewhere} has the profile's columns: set the profile's "
                    f"`header_row:` to {self.elsewhere} ({_shown_origin(profile)}); until then no row of the sheet "
                    "is read")
        return (f"{said} {where} Without those columns no row of the sheet is read: rename the column in the "
                f"file, or set the profile's `columns:` ({_shown_origin(profile)}) to the header as written")


class ProfileColumnsMissing(ConfigError):
    """The header row of a sheet read with a declared profile lacks the profile's columns (a renamed
    column, a `header_row` that is not the header): `mismatch` says which, for the one rejection of the
    sheet's rows that ingest makes of it (the other files and sheets are still read)."""

    def __init__(self, message: str, mismatch: ProfileMismatch, **where):
        super().__init__(message, **where)
        self.mismatch = mismatch


def _shown_origin(profile: Profile) -> str:
    """Where a profile is defined, as the case folder names it ("profiles/gp.yml"): never a full path,
    which would differ from one machine to the next in the report."""
    origin = PurePath(profile.origin)
    return f"{origin.parent.name}/{origin.name}" if origin.parent.name else origin.name


def _date_headers(profile: Profile) -> tuple[str, ...]:
    return (profile.columns["date"],) if "date" in profile.columns else tuple(profile.synonyms.get("date", ("date",)))


def profile_mismatch(table: RawTable, profile: Profile) -> ProfileMismatch:
    """What a sheet that `detect_header` finds no header in lacks for `profile` (a declared one): the row of
    the first HEADER_SCAN_ROWS naming the most fields (the earliest on a tie; else the first with a cell
    like the expected date header), and the profile's explicit columns and date column it does not have."""
    lookup = profile.lookup()
    date_headers = _date_headers(profile)
    best: tuple[int, int] | None = None  # (fields named, index)
    for index, row in enumerate(table.rows[:HEADER_SCAN_ROWS]):
        hits = (header_hit(lookup, v) for v in row if isinstance(v, str) and len(v) <= MAX_HEADER_CHARS)
        names = {hit[0] for hit in hits if hit is not None}
        if names and (best is None or len(names) > best[0]):
            best = (len(names), index)
    if best is None:
        for index, row in enumerate(table.rows[:HEADER_SCAN_ROWS]):
            texts = [v for v in row if isinstance(v, str) and len(v) <= MAX_HEADER_CHARS]
            if texts and closest_header(date_headers, texts) is not None:
                best = (0, index)
                break
    if best is None:
        expected = (("date", date_headers),) + tuple(
            (name, (header,)) for name, header in profile.columns.items() if name != "date")
        return ProfileMismatch(None, _in_field_order(expected), (), {})
    return _mismatch_of(_match_row(table, best[1], lookup), profile)


def _mismatch_of(match: HeaderMatch, profile: Profile, declared_row: bool = False,
                 elsewhere: int | None = None) -> ProfileMismatch:
    """The profile's explicit columns and date column `match` does not have, with the closest header to
    each among the columns that do not hold a field it has (a column the generic synonyms read as the
    missing field, "Date of entry" for a declared "Date", is one to suggest)."""
    missing = [
        (name, (header,))
        for name, header in profile.columns.items()
        if name not in match.columns or normalise_header(match.headers[match.columns[name]]) != normalise_header(header)
    ]
    if "date" not in match.columns and "date" not in profile.columns:
        missing.append(("date", _date_headers(profile)))
    missing = _in_field_order(missing)
    lacking = {name for name, _ in missing}
    held = {column for name, column in match.columns.items() if name not in lacking}
    held.update(c for name, columns in match.also.items() if name not in lacking for c in columns)
    free = [h if c not in held else "" for c, h in enumerate(match.headers)]
    closest = {}
    for name, expected in missing:
        close = closest_header(expected, free)
        if close is not None:
            closest[name] = close
            free = [h if h != close else "" for h in free]  # one header suggested for one column
    return ProfileMismatch(match.row, missing, match.headers, closest, declared_row, elsewhere)


def _header_elsewhere(table: RawTable, profile: Profile) -> int | None:
    """The row, other than the profile's `header_row`, that header detection finds with every column the
    profile declares; None when there is none."""
    try:
        found = detect_header(table, replace(profile, header_row=None))
    except ProfileColumnsMissing:
        return None
    return None if found is None or found.row == profile.header_row else found.row


def _in_field_order(missing) -> tuple[tuple[str, tuple[str, ...]], ...]:
    return tuple(sorted(missing, key=lambda item: FIELDS.index(item[0])))


def _match_row(table: RawTable, index: int, lookup: dict[str, tuple[str, int]]) -> HeaderMatch:
    row = table.rows[index]
    width = max(map(len, table.rows), default=0)
    headers = tuple(_header_text(row[i]) if i < len(row) else "" for i in range(width))
    chosen: dict[str, tuple[int, int]] = {}  # field -> (priority, column)
    for column, header in enumerate(headers):
        hit = header_hit(lookup, header)
        if hit is None:
            continue
        name, priority = hit
        if name not in chosen or priority < chosen[name][0]:
            chosen[name] = (priority, column)
    _type_by_values(table, index, headers, chosen)
    _email_from_to(headers, chosen)
    columns, as_text = _concern_as_narrative({name: column for name, (_, column) in chosen.items()}, chosen, headers,
                                             table, index)
    also = _further_narrative_columns(headers, columns, lookup)
    columns, also, narrative = _narrative_by_kind(table, index, headers, columns, also, chosen, lookup)
    columns, also, body_site = _with_body_site(table, index, headers, columns, also, lookup)
    return HeaderMatch(index, table.row_numbers[index], headers, columns, _unmapped(headers, columns, also),
                       also=also, body_site=body_site, narrative_like=tuple(sorted((*narrative, *as_text))))


@lru_cache(maxsize=1)
def _email_log_headers() -> tuple[frozenset[str], frozenset[str], frozenset[str]]:
    """(the headers marking an e-mail log, bare sender headers, bare recipient headers): profiles.yml
    `email_identity.email_headers` less the bare ones, `bare_sender_headers`, `bare_recipient_headers`; normalised."""
    data = (package_data("profiles.yml") or {}).get("email_identity") or {}

    def words(key: str) -> frozenset[str]:
        return frozenset(filter(None, (normalise_header(str(h)) for h in data.get(key) or ())))

    sender, recipient = words("bare_sender_headers"), words("bare_recipient_headers")
    return words("email_headers") - sender - recipient, sender, recipient


def _email_from_to(headers, chosen: dict[str, tuple[int, int]]) -> None:
    """(s20, QA10 4) An e-mail log's bare "From" / "To" columns (a sheet with another e-mail header too: "Date
    sent", "Email text", "Sender", "Cc"; profiles.yml `email_identity`) are its source of information and informed
    agencies (added to `chosen`, last in priority), unless a column already holds that field. A "From | To" pair in
    any other sheet (a placement's dates) is left under Other columns."""
    marks, sender, recipient = _email_log_headers()
    keys = [normalise_header(h) for h in headers]
    if not any(key in marks for key in keys):
        return
    used = {column for _, column in chosen.values()}
    for name, bare in (("source_of_information", sender), ("informed_agencies", recipient)):
        if name in chosen:
            continue
        column = next((c for c, key in enumerate(keys) if c not in used and key in bare), None)
        if column is not None:
            chosen[name] = (1 << 30, column)
            used.add(column)


#: distinct values of a column `_type_by_values` reads, at most (the first ones)
_TYPE_VALUES = 50


@lru_cache(maxsize=1)
def _type_value_headers() -> frozenset[str]:
    """profiles.yml `contact_type_by_values`, normalised."""
    data = package_data("profiles.yml") or {}
    return frozenset(filter(None, (normalise_header(str(v)) for v in data.get("contact_type_by_values") or ())))


def _type_by_values(table: RawTable, index: int, headers, chosen: dict[str, tuple[int, int]]) -> None:
    """A sheet with no contact type column: the first column no field names whose header is one of
    `contact_type_by_values` ("Contact", "Attendance") is its contact type column (added to `chosen`, last in
    priority) when at least half of its first distinct values are contact types as a type cell is read (the package
    vocabulary's `type_cell_contact_type`: "Telephone", "Home visit", "Drop-in"), and none holds a digit or an "@"
    (a phone number, an address, a percentage: "Contact: 01632 960000", "Attendance 92%"). A "Contact" of people
    ("Mother", "Dr Shah") or an "Attendance" of "Yes"/"No" stays under Other columns."""
    if "contact_type" in chosen:
        return
    wanted = _type_value_headers()
    used = {column for _, column in chosen.values()}
    for column, header in enumerate(headers):
        if column in used or normalise_header(header) not in wanted:
            continue
        values = list(_first_values(table, index, column))[:_TYPE_VALUES]
        if not values or any(ch.isdigit() or ch == "@" for value in values for ch in value):
            continue
        from ..vocab import type_cell_contact_type

        vocab = package_data("vocab.yml")
        typed = sum(bool(type_cell_contact_type(value, vocab)) for value in values)
        if typed * 2 >= len(values):
            chosen["contact_type"] = (1 << 30, column)
            return


def _with_body_site(table: RawTable, index: int, headers, columns: dict[str, int], also: dict[str, tuple[int, ...]],
                    lookup):
    """(`columns`, `also`, `HeaderMatch.body_site`): a body map's Site column (`_body_site`) not read as the
    organisation but after the description, with the body map's other columns no field maps (`body_map_headers`:
    "Injury", "Size"); unchanged when the sheet has none, or the profile declares the Site column (`columns:`)."""
    found = _body_site(table, index, headers)
    if found is None or (header_hit(lookup, headers[found[0]]) or ("", 0))[1] < 0:
        return columns, also, None
    site, why = found
    body_headers = _body_map_words()[1]
    used = set(columns.values()).union(*also.values())
    others = tuple(c for c, h in enumerate(headers)
                   if c != site and c not in used and _body_header(normalise_header(h), body_headers))
    columns, also = _site_as_narrative(site, headers, columns, also, lookup, others)
    return columns, also, (site, why, others if "description" in columns else ())


@lru_cache(maxsize=1)
def _body_map_words():
    """(site headers, body map headers, body region words, place words) of profiles.yml `site_headers`,
    `body_map_headers`, `site_place_words` and the package vocab.yml's `body_regions` and `agency_kinds`."""
    from ..vocab import Phrases

    data = package_data("profiles.yml") or {}
    vocab = package_data("vocab.yml") or {}

    def words(key: str) -> frozenset[str]:
        return frozenset(filter(None, (normalise_header(str(v)) for v in data.get(key) or ())))

    regions = Phrases(str(w) for ws in (vocab.get("body_regions") or {}).values() for w in ws or ())
    places = Phrases([*(str(w) for w in data.get("site_place_words") or ()),
                      *(str(w) for ws in (vocab.get("agency_kinds") or {}).values() for w in ws or ())])
    return words("site_headers"), words("body_map_headers"), regions, places


#: distinct values of a Site column, and rows under its header, looked at to tell a body map's sites from places
#: (the first ones: a sheet of a million rows is not read twice for it)
_SITE_VALUES = 500
_SITE_ROWS = 5_000


def _body_site(table: RawTable, index: int, headers) -> tuple[int, str] | None:
    """(the column, why) of a "Site" column (profiles.yml `site_headers`) that is a body map's (the injury's
    place on the body: the sheet has a column of the injury, `body_map_headers`, or most of the column's
    distinct values name a body region and no place or kind of agency, `site_place_words`); else None."""
    site_words, body_headers, regions, places = _body_map_words()
    keys = [normalise_header(h) for h in headers]
    # "Site", or a two-row header's "Body map Site" (`_two_row_header`)
    sites = [c for c, key in enumerate(keys)
             if key in site_words or (key.rsplit(" ", 1)[-1] in site_words and _body_header(key, body_headers))]
    if not sites:
        return None
    column = sites[0]
    injury = [headers[c] for c, key in enumerate(keys) if _body_header(key, body_headers)]
    if injury:
        return column, f"the sheet has a column of the injury ({injury[0]!r})"
    values = _first_values(table, index, column)
    body = []
    for value in values:
        tokens = value.casefold().replace("'", "").split()
        tokens = [t.strip(".,;:()[]-/") for t in tokens]
        singular = [t[:-1] if len(t) > 3 and t.endswith("s") else t for t in tokens]
        if (regions.find(tokens) or regions.find(singular)) and not places.find(tokens):
            body.append(value)
    if body and len(body) * 2 > len(values):
        return column, f"its values name parts of the body ({body[0]!r})"
    return None


def _body_header(key: str, body_headers: frozenset[str]) -> bool:
    """Does the normalised header `key` name a body map's column (`body_map_headers`): as a whole, or its first or
    last words (a two-row header's "Body map Mark", "Injury Size")?"""
    if key in body_headers:
        return True
    words = key.split()
    return any(" ".join(words[:k]) in body_headers or " ".join(words[k:]) in body_headers for k in range(1, len(words)))


def _site_as_narrative(site: int, headers, columns: dict[str, int], also: dict[str, tuple[int, ...]],
                       lookup, others: tuple[int, ...] = ()) -> tuple[dict[str, int], dict[str, tuple[int, ...]]]:
    """(`columns`, `also`) with a body map's Site column (and its `others`) read after the description, under
    its header, and not as the organisation (another organisation column is, if the sheet has one)."""
    columns = dict(columns)
    if columns.get("organisation") == site:
        del columns["organisation"]
        organisations = [(hit[1], c) for c, h in enumerate(headers)
                         if c != site and h and (hit := header_hit(lookup, h)) is not None and hit[0] == "organisation"]
        if organisations:
            columns["organisation"] = min(organisations)[1]
    also = {name: tuple(c for c in cols if c != site) for name, cols in also.items()}
    also = {name: cols for name, cols in also.items() if cols}
    if "description" in columns and columns["description"] != site:
        also["description"] = tuple(sorted((*also.get("description", ()), site, *others)))
    return columns, also


#: headers naming the concerns column that, in a sheet with no description column, hold its narrative (a
#: school's concern log: "Date of entry | Logged by | Concern | Actions")
CONCERN_NARRATIVES = frozenset({"concern", "concerns"})


def _concern_as_narrative(columns: dict[str, int], chosen: dict[str, tuple[int, int]], headers,
                          table: RawTable | None = None, index: int = 0) -> tuple[dict[str, int], tuple]:
    """(`columns`, the columns so read as (column, "free text")): a concerns column read as the description when
    no column is the description and the profile did not declare that column the concerns (a school's concern
    log, whose Concern column is what was seen and said): a "Concern" column (`CONCERN_NARRATIVES`) always, any
    other header naming the concerns ("Nature of concern", "Concern details") when its values are free text
    (`_free_text`), not categories. Its text is read for concerns all the same, as every description is."""
    if "description" in columns or "concerns" not in columns or chosen["concerns"][0] < 0:
        return columns, ()
    column = columns["concerns"]
    if normalise_header(headers[column]) not in CONCERN_NARRATIVES:
        if table is None or not _free_text(table, index, column):
            return columns, ()
        found = ((column, "free text"),)
    else:
        found = ()
    out = dict(columns)
    out["description"] = out.pop("concerns")
    return out, found


@lru_cache(maxsize=1)
def week_date_headers() -> frozenset[str]:
    """The date headers whose column holds the week of the contact ("Week commencing", "w/c", "Week ending"),
    profiles.yml `week_date_headers`, normalised as headers are: its dates are approximate, as a cell "w/c
    04/05/2020" is."""
    data = package_data("profiles.yml") or {}
    return frozenset(filter(None, (normalise_header(str(v)) for v in data.get("week_date_headers") or ())))


@lru_cache(maxsize=1)
def narrative_fallbacks() -> frozenset[str]:
    """The narrative headers that name their field only when the sheet has no other column for it
    (profiles.yml `narrative_fallbacks`: "Occurrence", "Entry", "Record"), normalised as headers are."""
    data = package_data("profiles.yml") or {}
    return frozenset(filter(None, (normalise_header(str(v)) for v in data.get("narrative_fallbacks") or ())))


def _further_narrative_columns(headers, columns: dict[str, int], lookup) -> dict[str, tuple[int, ...]]:
    """{narrative field: the other columns whose header names it, left to right}; a fallback header
    (`narrative_fallbacks`: "Entry", "Record" beside "Details") is not one of them: it stays in `extra`."""
    also: dict[str, list[int]] = {}
    fallbacks = narrative_fallbacks()
    for column, header in enumerate(headers):
        hit = header_hit(lookup, header) if header else None
        if (hit is not None and hit[0] in NARRATIVE_FIELDS and columns.get(hit[0]) not in (None, column)
                and normalise_header(header) not in fallbacks):
            also.setdefault(hit[0], []).append(column)
    return {name: tuple(cols) for name, cols in also.items()}


@lru_cache(maxsize=1)
def narrative_like_words() -> dict[str, frozenset[str]]:
    """{narrative field: the last words of a header that make a column no field maps read as that field's
    narrative} (profiles.yml `narrative_like_words`: "Triage notes", "Discharge summary", "DSL action"),
    normalised as headers are."""
    data = package_data("profiles.yml") or {}
    return {name: frozenset(filter(None, (normalise_header(str(v)) for v in words or ())))
            for name, words in (data.get("narrative_like_words") or {}).items() if name in NARRATIVE_FIELDS}


#: a Concern column is free text (what was seen and said, not a category) when most of its distinct values,
#: of the first ones (`_SITE_VALUES`, `_SITE_ROWS`), have this many words or more
FREE_TEXT_WORDS = 6


def _narrative_by_kind(table: RawTable, index: int, headers, columns: dict[str, int],
                       also: dict[str, tuple[int, ...]], chosen: dict[str, tuple[int, int]], lookup):
    """(`columns`, `also`, `HeaderMatch.narrative_like`) with the columns read as narrative by what they are:

    * narrative-like columns: a column no field maps whose header ends with a word of `narrative_like_words`
      ("Triage notes", "Clinical summary" beside "Presenting complaint"; "DSL action" beside "Outcome") is read
      into that field after its column, under its header; the leftmost is the field's column when the sheet has
      none (so that the text is analysed, not kept in `extra` silently);
    * a free-text concerns column ("Concern", "Nature of concern": any header naming the concerns, not the
      profile's declared concerns column) beside a description: its values are sentences (`FREE_TEXT_WORDS`), not categories ("Neglect"), so its text follows
      the description's, where it is read for concerns, escalations and the rest, as a description is (without a
      description it is the description: `_concern_as_narrative`)."""
    words = narrative_like_words()
    used = set(columns.values()).union(*also.values())
    found: list[tuple[int, str]] = []
    columns, extra = dict(columns), {name: list(cols) for name, cols in also.items()}
    for column, header in enumerate(headers):
        if not header or column in used or header_hit(lookup, header) is not None:
            continue
        last = normalise_header(header).rsplit(" ", 1)[-1]
        name = next((name for name in NARRATIVE_FIELDS if last in words.get(name, ())), None)
        if name is None:
            continue
        if name == "action" and name in columns and last in _ACTION_WORDS and _outcome_only(headers[columns[name]]):
            # "DSL action" beside "Outcome": what was done is the action, its outcome follows it
            extra.setdefault(name, []).append(columns[name])
            columns[name] = column
        elif name in columns:
            extra.setdefault(name, []).append(column)
        else:
            columns[name] = column
        found.append((column, "narrative-like"))
    concern = columns.get("concerns")
    if (concern is not None and "description" in columns and chosen.get("concerns", (0,))[0] >= 0
            and chosen.get("concerns", (0, concern))[1] == concern
            and _free_text(table, index, concern)):
        del columns["concerns"]
        extra.setdefault("description", []).append(concern)
        found.append((concern, "free text"))
    return columns, {name: tuple(sorted(cols)) for name, cols in extra.items() if cols}, tuple(sorted(found))



#: the last words of a narrative-like action column that names an action, not an outcome ("DSL action")
_ACTION_WORDS = frozenset({"action", "actions"})


def _outcome_only(header: str) -> bool:
    """Does the header name an outcome and no action ("Outcome", "Referral outcome"; not "Action / outcome")?"""
    words = set(normalise_header(header).split())
    return bool(words & {"outcome", "outcomes"}) and not words & _ACTION_WORDS


def _first_values(table: RawTable, index: int, column: int) -> dict[str, None]:
    """The first _SITE_VALUES distinct non-blank texts in `column` of the _SITE_ROWS rows under the header
    (row `index`), in order."""
    values: dict[str, None] = {}
    for row in table.rows[index + 1:index + 1 + _SITE_ROWS]:
        value = row[column] if column < len(row) else None
        if isinstance(value, str) and value.strip():
            values[value] = None
            if len(values) >= _SITE_VALUES:
                break
    return values

def _free_text(table: RawTable, index: int, column: int) -> bool:
    """Are most of the first distinct values under the header (row `index`) in `column` sentences of
    FREE_TEXT_WORDS words or more?"""
    values = _first_values(table, index, column)
    long = sum(len(value.split()) >= FREE_TEXT_WORDS for value in values)
    return bool(values) and long * 2 > len(values)


def _unmapped(headers, columns: dict[str, int], also: dict[str, tuple[int, ...]] | None = None) -> dict[int, str]:
    """{column index: the key its values go under in `extra`} for the columns no field maps."""
    used = set(columns.values()).union(*(also or {}).values())
    unmapped: dict[int, str] = {}
    taken: set[str] = set()
    for column, header in enumerate(headers):
        if column in used:
            continue
        key = header or f"column {column_letter(column)}"
        if key in taken:
            key = f"{key} ({column_letter(column)})"
        taken.add(key)
        unmapped[column] = key
    return unmapped


def _two_row_header(table: RawTable, match: HeaderMatch, lookup: dict[str, tuple[str, int]]) -> HeaderMatch | None:
    """The header as two rows, when the row just below or above the best header row completes it; else
    None.

    Some chronologies split their header over two rows: a group heading over several columns ("Contact",
    merged across "Type" and "Details" below it), or a second line of column names. The neighbouring row
    is part of the header when all its cells are short texts (none a date, number or narrative) and,
    read together with the header row, the two name more fields than the header row alone. A column's
    header text is both rows' texts joined ("Contact Type"; one text when the merged cell repeats it);
    the field it maps to is the first of the joined text, the lower row's and the upper row's that names
    one. The data starts below the lower row."""
    width = len(match.headers)
    for other in (match.index + 1, match.index - 1):
        if not 0 <= other < len(table.rows):
            continue
        row = table.rows[other]
        cells = [row[i] if i < len(row) else None for i in range(width)]
        texts = [c for c in cells if c is not None]
        if not texts or not all(isinstance(c, str) and len(c) <= MAX_HEADER_CHARS for c in texts):
            continue
        if any(_reads_as_date(c) for c in texts):  # a data row of a text-only file (csv), not a header
            continue
        upper, lower = (match.index, other) if other > match.index else (other, match.index)
        up = [_header_text(table.rows[upper][i]) if i < len(table.rows[upper]) else "" for i in range(width)]
        low = [_header_text(table.rows[lower][i]) if i < len(table.rows[lower]) else "" for i in range(width)]
        chosen: dict[str, tuple[int, int]] = {}
        headers = []
        for column in range(width):
            a, b = up[column], low[column]
            joined = a if a == b or not b else b if not a else f"{a} {b}"
            headers.append(joined)
            for text in (joined, b, a):
                hit = header_hit(lookup, text) if text else None
                if hit is not None:
                    name, priority = hit
                    if name not in chosen or priority < chosen[name][0]:
                        chosen[name] = (priority, column)
                    break
        if "date" not in chosen or len(chosen) < len(match.columns):
            continue
        if len(chosen) == len(match.columns) and not _sub_headers_under_group(up, low):
            continue
        _type_by_values(table, lower, headers, chosen)
        columns, as_text = _concern_as_narrative({name: column for name, (_, column) in chosen.items()}, chosen,
                                                 headers, table, lower)
        also = _further_narrative_columns(headers, columns, lookup)
        columns, also, narrative = _narrative_by_kind(table, lower, headers, columns, also, chosen, lookup)
        columns, also, body_site = _with_body_site(table, lower, headers, columns, also, lookup)
        return HeaderMatch(lower, table.row_numbers[lower], tuple(headers), columns,
                           _unmapped(headers, columns, also), top=upper, also=also, body_site=body_site,
                           narrative_like=tuple(sorted((*narrative, *as_text))))
    return None


def _sub_headers_under_group(up: list[str], low: list[str]) -> bool:
    """Is the lower row the sub-headers of a group heading merged across columns of the upper row (QA9 D8:
    "Physical intervention" merged over "Hold type" and "Duration (mins)"), the rest of the lower row blank
    or the upper row's text again (a column merged down over both rows)? Such a header names no more fields
    than its upper row, yet its sub-headers are column names, not a repeated header or a data row: the
    group's text repeats over two or more adjacent columns (the merged cell filled) whose lower texts are
    all given and all different."""
    if any(b and a != b for a, b in zip(up, low) if not a):
        return False
    group = False
    column = 0
    while column < len(up):
        end = column
        while end + 1 < len(up) and up[end + 1] and up[end + 1] == up[column]:
            end += 1
        span = low[column:end + 1]
        if up[column] and end > column:
            under = [b for b in span if b and b != up[column]]
            if len(under) == len(span) and len(set(under)) == len(under):
                group = True
            elif any(b and b != up[column] for b in span):
                return False
        elif up[column] and low[column] and low[column] != up[column]:
            return False
        column = end + 1
    return group


def _reads_as_date(text: str) -> bool:
    from .dates import DateParseError, parse_date

    try:
        parse_date(text)
    except (DateParseError, ValueError, TypeError, OverflowError):
        return False
    return True


def _header_text(value: object) -> str:
    if value is None:
        return ""
    return " ".join(str(value).split())


def column_letter(index: int) -> str:
    """0 -> 'A', 27 -> 'AB'."""
    letters = ""
    index += 1
    while index:
        index, rem = divmod(index - 1, 26)
        letters = chr(65 + rem) + letters
    return letters


@lru_cache(maxsize=4096)
def is_narrative_label(header: str) -> bool:
    """Is `header` one ingest may write as a label before a further narrative column's text ("Burn to right
    hand\\nDischarge summary: Dressing applied", `review.ingest.load` `texts`)? A header the generic profile
    reads as a narrative field (whole, or its "/" parts: "Triage notes", "Outcome", "Clinical notes"), one ending
    with a word of `narrative_like_words` ("Discharge summary", "DSL action") or a free-text Concern column's.
    The readings of a row's text (`review.sightings.unlabelled`) leave such a label out: it is ingest's, not the
    agency's words. A case profile's own headers are not known here."""
    key = normalise_header(header)
    if not key:
        return False
    hit = header_hit(_generic_lookup(), header)
    if hit is not None and (hit[0] in NARRATIVE_FIELDS or hit[0] == "concerns"):  # a free-text concerns column's
        return True
    last = key.rsplit(" ", 1)[-1]
    return key in CONCERN_NARRATIVES or any(last in words for words in narrative_like_words().values())


@lru_cache(maxsize=1)
def _generic_lookup() -> dict[str, tuple[str, int]]:
    return load_profile(None).lookup()
