"""Loads a case folder's configuration (`case.yml`) and the package's default vocabularies.

A case folder holds `case.yml`, the agencies' chronologies, and optionally `rules.yml` (overrides of
the package rule defaults), `vocab.yml` (extensions of the package vocabularies), `profiles/*.yml`
(column mapping profiles) and `decisions.csv` (reviewers' decisions). Every path in `case.yml` must
stay inside the case folder.
"""
from __future__ import annotations

import copy
import datetime as dt
import hashlib
import re
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path
from typing import Any

import yaml

from .errors import ConfigError

SPREADSHEET_SUFFIXES = (".xlsx", ".xlsm", ".xls", ".ods", ".csv", ".docx")
#: delimited text: one table, no sheets (a files entry's `sheets:` is an error for them)
TEXT_SUFFIXES = (".csv", ".tsv", ".txt")
#: workbooks, whose sheets a profile's `sheets:` selects
WORKBOOK_SUFFIXES = (".xlsx", ".xlsm", ".xls", ".ods")
CASE_FILE = "case.yml"
#: the case's own files beside the chronologies: a folder scan never reads them as agency files
#: (decisions.csv is a csv, written by `review.decisions.record_decision`; decisions are read from it only,
#: and a decisions.yml beside it is an error, see `review.decisions.check_no_unread_decisions`)
OWN_FILES = (CASE_FILE, "rules.yml", "vocab.yml", "decisions.csv")


@dataclass(frozen=True)
class FileSpec:
    """One agency chronology declared in case.yml (or found in the folder)."""

    path: str  # relative to the case folder, POSIX separators
    agency: str | None = None  # default agency for rows that do not name one
    profile: str | None = None  # profile name (package or case profiles/) or None for generic
    sheets: tuple[str, ...] | None = None  # restrict to these sheets (a Word file's tables, "table N");
    # None = all visible sheets


@dataclass(frozen=True)
class LookedAfterPeriod:
    """One period the child was looked after (case.yml `looked_after`, s20): from / to (None: still looked after
    at the end of the review), the placing authority whose social worker owes the child its statutory visits
    (as the chronologies name it: "Westmere Children's Social Care"), and the placement as the reviewers write
    it ("residential special school", "foster care"; "" when not given) with, optionally, where ("Hollybrook
    School"). Read by rules lac_visits_overdue and child_not_seen. (s21) `long_term`: whether the placement is
    intended to last until the child is 18 (case.yml `long_term: yes`/`no`; None: not stated, when the rule reads
    the placement's words, "long-term foster care", "permanent"): after its first year such a placement is
    visited 3-monthly, any other 6-weekly (reg. 28(3)(c))."""
    start: dt.date
    end: dt.date | None = None
    placing_authority: str = ""
    placement: str = ""
    placed_at: str = ""
    long_term: bool | None = None


@dataclass(frozen=True)
class CaseConfig:
    case_dir: Path
    case_id: str
    date_of_birth: dt.date
    mobile_from: dt.date | None = None
    date_of_death: dt.date | None = None
    review_date: dt.date | None = None  # end of the period under review; default: last contact
    child_name: str | None = None
    # the child's sex, "female" or "male" (case.yml `child_sex`; None: not given): whose self-harm "Mum says she
    # self-harmed" tells of (review.rules.self_harm_not_referred)
    child_sex: str | None = None
    people: dict[str, str] = field(default_factory=dict)  # name -> pseudonym ("Mother", "Partner")
    # the child's disability or additional health needs, as the reviewers write them (case.yml
    # `additional_needs`: "autism (ASD)", "EHCP", "epilepsy"; empty: none stated): a disabled child, or one with
    # additional health needs, is more vulnerable to missed care (was_not_brought's lower threshold)
    additional_needs: tuple[str, ...] = ()
    # (s20) the periods the child was looked after (case.yml `looked_after`; empty: not looked after)
    looked_after: tuple[LookedAfterPeriod, ...] = ()
    addresses: tuple[str, ...] = ()  # the family's addresses, as the chronologies write them ("[address]")
    # the review's own people (case.yml `reviewer`, `reviewers`, `lead_reviewer`, `author(s)`): name ->
    # pseudonym ("Lead reviewer", "Reviewer"); the anonymised view replaces them like `people`
    reviewers: dict[str, str] = field(default_factory=dict)
    files: tuple[FileSpec, ...] = ()
    declared_files: bool = False  # files came from case.yml rather than a folder scan
    max_file_mb: float = 50.0
    raw: dict[str, Any] = field(default_factory=dict)  # the parsed case.yml, for the manifest
    # the case's own vocab.yml as parsed ({} for none) when it is not to be read from case_dir (a case
    # store's case table keeps it: `review.store.case_configs`); None: the rules read case_dir's vocab.yml,
    # as ingest does (`own_vocab`)
    vocab: dict[str, Any] | None = None

    @property
    def case_file(self) -> Path:
        return self.case_dir / CASE_FILE

    def resolve(self, relative: str) -> Path:
        return safe_join(self.case_dir, relative, origin=self.case_file)


def safe_join(root: Path, relative: str, *, origin: Path | str | None = None) -> Path:
    """Join `relative` under `root`, refusing anything that escapes it (.., absolute, symlinks)."""
    root = Path(root).resolve()
    candidate = Path(relative)
    if candidate.is_absolute():
        raise ConfigError(f"path {relative!r} must be relative to the case folder", file=origin)
    resolved = (root / candidate).resolve()
    if resolved != root and root not in resolved.parents:
        raise ConfigError(f"path {relative!r} points outside the case folder", file=origin)
    return resolved


def case_file(case_dir: str | Path, name: str) -> Path:
    """A file that lives beside case.yml (vocab.yml, rules.yml, decisions.csv), confined to the case folder.

    A symlink that leads outside the case folder is refused like a `..` path in case.yml.
    """
    return safe_join(Path(case_dir), name, origin=Path(case_dir) / name)


#: the form a case.yml date is written in, as its messages name it
ISO_DATE_FORM = "an ISO date (YYYY-MM-DD, e.g. 2024-02-29)"


def _as_date(value, key: str, origin: Path, expected: str = ISO_DATE_FORM) -> dt.date | None:
    """case.yml's date `key` (an ISO date, as YAML gives it or as text); anything else is a ConfigError naming
    the file, the key's line, the value as written and the form expected ("2024-13-01": no such month)."""
    if value is None or value == "":
        return None
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    text = str(value).strip()
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        pass
    raise ConfigError(f"{key} must be {expected}, got {value!r}{_no_such_day(text) or ''}",
                      file=origin, row=key_row(origin, key)) from None


#: a date written the ISO way, year first ("2024-13-01", "2024-02-30 10:00"), whatever its numbers
_ISO_LIKE = re.compile(r"(\d{4})-(\d{1,2})-(\d{1,2})(?:$|[ Tt])")


def _no_such_day(text: str) -> str | None:
    """Why an ISO-looking date is no date ("2024-13-01": ": there is no month 13"), else None."""
    found = _ISO_LIKE.match(text)
    if found is None:
        return None
    year, month, day = map(int, found.groups())
    if not 1 <= month <= 12:
        return f": there is no month {month}"
    try:
        dt.date(year, month, day)
    except ValueError:
        return f": {dt.date(year, month, 1):%B %Y} has no day {day}"
    return None


def key_row(path: Path, key: str) -> int | None:
    """The line (1-based) of the top-level `key:` in the YAML file `path`, for a message; None when it
    cannot be told (the file unreadable, the key not written at the start of a line)."""
    try:
        text = Path(path).read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError):
        return None
    found = re.search(rf"^['\"]?{re.escape(key)}['\"]?[ \t]*:", text, flags=re.MULTILINE)
    return None if found is None else text.count("\n", 0, found.start()) + 1


#: case.yml `mobile_from: never`: a child who will never be independently mobile (a disabled child: NICE CG89
#: treats bruising in a child not independently mobile as an alerting feature at any age). Held as a date
#: after every record (the last month datetime64[ns] holds, so case stores keep it), read everywhere as the
#: date the child became mobile: never within a review; like any mobile_from, the records' words do not
#: change it (`review.rules.nonmobile_injury` names it in its explanations).
NEVER_MOBILE = dt.date(2262, 4, 1)
_NEVER_WORDS = frozenset({"never", "never mobile", "not mobile", "non-mobile", "nonmobile"})


def _mobile_from(value, origin: Path) -> dt.date | None:
    """case.yml `mobile_from`: an ISO date, or `never` (`NEVER_MOBILE`) for a child never independently mobile."""
    if isinstance(value, str) and " ".join(value.lower().split()) in _NEVER_WORDS:
        return NEVER_MOBILE
    return _as_date(value, "mobile_from", origin, f"{ISO_DATE_FORM} or never (a child who will never be "
                    "independently mobile)")


#: libyaml's safe loader when PyYAML was built with it (its wheels are): the same documents as
#: `yaml.SafeLoader`, parsed ~10x faster (vocab.yml: ~40 ms in pure Python)
_SAFE_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


class _Loader(_SAFE_LOADER):
    """The safe loader, but a date YAML reads as one and that is no day of the calendar (`2024-13-01`,
    `2024-02-30`) is kept as the text written, not a ValueError out of PyYAML's timestamp constructor:
    the key that reads it refuses it by name (`_as_date`: the file, the key, the value, the form expected)."""


def _timestamp_or_text(loader, node):
    try:
        return loader.construct_yaml_timestamp(node)
    except ValueError:
        return loader.construct_scalar(node)


_Loader.add_constructor("tag:yaml.org,2002:timestamp", _timestamp_or_text)


def parse_yaml(stream) -> Any:
    """`yaml.safe_load`, through libyaml when available; a date that is no day is kept as its text."""
    return yaml.load(stream, Loader=_Loader)  # noqa: S506  a safe loader, C or Python


def load_yaml(path: Path) -> Any:
    try:
        with open(path, "rb") as fh:
            data = fh.read()
        return parse_yaml(data.decode("utf-8"))
    except FileNotFoundError:
        raise ConfigError("file not found", file=path) from None
    except UnicodeDecodeError as exc:
        # a file saved from Notepad or Excel in the Windows code page ("Zoë" as the one byte 0xEB)
        raise ConfigError(
            f"not UTF-8 text (byte 0x{data[exc.start]:02x}): save the file as UTF-8",
            file=path,
            row=data[: exc.start].count(b"\n") + 1,
        ) from None
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        row = mark.line + 1 if mark is not None else None
        raise ConfigError(f"invalid YAML: {getattr(exc, 'problem', exc)}", file=path, row=row) from None


def load_case_config(case_dir: str | Path) -> CaseConfig:
    """Read and validate `case.yml` in `case_dir`."""
    case_dir = Path(case_dir)
    if not case_dir.is_dir():
        if case_dir.exists():  # `review build my_case/case.yml`, or an agency file
            raise ConfigError(f"not a folder: give the case folder (the one holding {CASE_FILE}), "
                              f"{str(case_dir.parent)!r} here" if case_dir.name == CASE_FILE else
                              f"not a folder: give the case folder (the one holding {CASE_FILE})", file=case_dir)
        raise ConfigError("case folder not found", file=case_dir)
    case_file = case_dir / CASE_FILE
    if not case_file.exists():
        raise ConfigError(f"no {CASE_FILE} in the case folder", file=case_dir)
    raw = load_yaml(case_file) or {}
    if not isinstance(raw, dict):
        raise ConfigError("case.yml must be a mapping", file=case_file)
    _refuse_misspelt_keys(raw, CASE_KEYS, "", case_file)
    for key in ("case_id", "date_of_birth"):
        if raw.get(key) is None or raw.get(key) == "":  # `case_id: 0` is an id
            raise ConfigError(f"missing required key {key!r}", file=case_file)
    dob = _as_date(raw["date_of_birth"], "date_of_birth", case_file)
    mobile_from = _mobile_from(raw.get("mobile_from"), case_file)
    if mobile_from is not None and dob is not None and mobile_from < dob:
        # (a year typed wrongly would make a new-born baby count as mobile, and hide non-mobile injuries)
        raise ConfigError(f"mobile_from ({mobile_from}) is before date_of_birth ({dob})", file=case_file)
    people = _people(raw.get("people"), case_file)
    addresses = _addresses(raw.get("addresses"), case_file)
    reviewers = _reviewers(raw, case_file)

    declared = raw.get("files")
    files: list[FileSpec] = []
    resolved_files: list[Path] = []  # each of `files` resolved, for the declared-twice check
    if declared:
        if not isinstance(declared, list):
            raise ConfigError("files must be a list", file=case_file)
        for i, entry in enumerate(declared, start=1):
            if isinstance(entry, str):
                entry = {"path": entry}
            if isinstance(entry, dict):
                _refuse_misspelt_keys(entry, FILE_ENTRY_KEYS, f"files entry {i} ({entry.get('path')!r}): "
                                      if entry.get("path") else f"files entry {i}: ", case_file)
            if not isinstance(entry, dict) or not entry.get("path"):
                raise ConfigError(f"files entry {i} needs a path", file=case_file)
            path = str(entry["path"])
            resolved = safe_join(case_dir, path, origin=case_file)
            if not resolved.exists():
                raise ConfigError(f"declared file {path!r} not found", file=case_file)
            spec = FileSpec(
                path=Path(path).as_posix(),
                agency=entry.get("agency"),
                profile=entry.get("profile"),
                sheets=_sheet_names(entry.get("sheets"), i, case_file),
            )
            if spec.sheets and resolved.suffix.lower() in TEXT_SUFFIXES:
                raise ConfigError(
                    f"files entry {i} ({path!r}) names sheets {', '.join(map(repr, spec.sheets))}, but a csv "
                    "file has no sheets: remove `sheets:` from that entry",
                    file=case_file,
                )
            _check_not_declared_twice(spec, resolved, files, resolved_files, case_file)
            files.append(spec)
            resolved_files.append(resolved)
    else:
        for found in sorted(case_dir.iterdir()):
            if (
                found.is_file()
                and found.suffix.lower() in SPREADSHEET_SUFFIXES
                and not found.name.startswith(("~$", "."))
                and found.name.lower() not in OWN_FILES
            ):
                files.append(FileSpec(path=found.name))

    return CaseConfig(
        case_dir=case_dir,
        case_id=str(raw["case_id"]),
        date_of_birth=dob,
        mobile_from=mobile_from,
        date_of_death=_as_date(raw.get("date_of_death"), "date_of_death", case_file),
        review_date=_as_date(raw.get("review_date"), "review_date", case_file),
        child_name=raw.get("child_name"),
        child_sex=_child_sex(raw.get("child_sex"), case_file),
        additional_needs=_additional_needs(raw.get("additional_needs"), case_file),
        looked_after=_looked_after(raw.get("looked_after"), case_file),
        people={str(k): str(v) for k, v in people.items()},
        addresses=addresses,
        reviewers=reviewers,
        files=tuple(files),
        declared_files=bool(declared),
        max_file_mb=_max_file_mb(raw.get("max_file_mb", 50.0), case_file),
        raw=raw,
    )


#: the words case.yml's `child_sex` may be written with, and the sex each means
CHILD_SEXES = {"female": "female", "f": "female", "girl": "female", "male": "male", "m": "male", "boy": "male"}


def _child_sex(value, case_file: Path) -> str | None:
    """case.yml's `child_sex` as "female" or "male" (None when not given); another value is a ConfigError."""
    if value is None or str(value).strip() == "":
        return None
    sex = CHILD_SEXES.get(str(value).strip().lower())
    if sex is None:
        raise ConfigError(f"child_sex {value!r} is neither female nor male (leave it out when not known)",
                          file=case_file)
    return sex


def _additional_needs(value, case_file: Path) -> tuple[str, ...]:
    """case.yml's `additional_needs` as a tuple of texts: one text ("autism, EHCP"), or a list of them; nothing,
    or `false` / `none`, for none. Another value (a number, a mapping) is a ConfigError."""
    if value is None or value is False or (isinstance(value, str) and value.strip().lower() in ("", "none", "no")):
        return ()
    if value is True:
        return ("yes",)
    items = [value] if isinstance(value, str) else value
    if not isinstance(items, list) or not all(isinstance(v, str) for v in items):
        raise ConfigError(f"additional_needs must be a text or a list of texts (the child's disability or additional "
                          f"health needs, e.g. [autism, EHCP]), got {value!r}", file=case_file,
                          row=key_row(case_file, "additional_needs"))
    return tuple(v.strip() for v in items if v.strip())


#: the keys of one case.yml `looked_after` period ("from" is required; "to" empty: still looked after)
LOOKED_AFTER_KEYS = ("from", "to", "placing_authority", "placement", "placed_at", "legal_status", "long_term")


def _looked_after(value, case_file: Path) -> tuple[LookedAfterPeriod, ...]:
    """case.yml's `looked_after` (s20): one period (a mapping) or a list of them, each with `from` (an ISO date),
    `to` (empty: still looked after), `placing_authority` (required: the agency owing the statutory visits, as
    the chronologies name it), `placement` (the setting: "residential special school") and `placed_at` (where),
    and `legal_status` (kept for the reader: "s20", "care order"); (s21) `long_term` (yes / no: whether the
    placement is intended to last until the child is 18, which sets the visits' interval after its first year;
    left out: not stated). Nothing, `false` or `no`: not looked after.
    Another value, an unknown key, a missing `from` or placing authority, or a `to` before `from` is a
    ConfigError naming the file and the key's line."""
    if value is None or value is False or (isinstance(value, str) and value.strip().lower() in ("", "none", "no")):
        return ()
    row = key_row(case_file, "looked_after")
    items = [value] if isinstance(value, dict) else value
    if not isinstance(items, list) or not all(isinstance(v, dict) for v in items):
        raise ConfigError("looked_after must be a period (from, to, placing_authority, placement) or a list of them, "
                          f"got {value!r}", file=case_file, row=row)
    periods = []
    for n, item in enumerate(items, start=1):
        unknown = sorted(str(k) for k in item if str(k) not in LOOKED_AFTER_KEYS)
        if unknown:
            raise ConfigError(f"looked_after period {n}: unknown key(s) {', '.join(unknown)} (known: "
                              f"{', '.join(LOOKED_AFTER_KEYS)})", file=case_file, row=row)
        start = _as_date(item.get("from"), "from", case_file)
        if start is None:
            raise ConfigError(f"looked_after period {n} has no `from` date (the day the placement began)",
                              file=case_file, row=row)
        end = _as_date(item.get("to"), "to", case_file)
        if end is not None and end < start:
            raise ConfigError(f"looked_after period {n} ends ({end}) before it begins ({start})", file=case_file,
                              row=row)
        authority = str(item.get("placing_authority") or "").strip()
        if not authority:
            raise ConfigError(f"looked_after period {n} names no placing_authority (the agency whose social worker "
                              "visits the child, as the chronologies name it)", file=case_file, row=row)
        periods.append(LookedAfterPeriod(start=start, end=end, placing_authority=authority,
                                         placement=str(item.get("placement") or "").strip(),
                                         placed_at=str(item.get("placed_at") or "").strip(),
                                         long_term=_long_term(item.get("long_term"), n, case_file, row)))
    return tuple(sorted(periods, key=lambda p: p.start))


def _long_term(value, n: int, case_file: Path, row) -> bool | None:
    """A looked_after period's `long_term` (s21): yes / true -> True, no / false -> False, left out -> None (not
    stated); another value is a ConfigError naming the period."""
    if value is None or (isinstance(value, str) and not value.strip()):
        return None
    if isinstance(value, bool):
        return value
    word = str(value).strip().lower()
    if word in ("yes", "y", "true"):
        return True
    if word in ("no", "n", "false"):
        return False
    raise ConfigError(f"looked_after period {n}: long_term {value!r} is neither yes nor no (whether the placement "
                      "is intended to last until the child is 18; leave it out when not known)", file=case_file,
                      row=row)


#: the keys case.yml is read for (README "A case folder"); a key a letter or two from one of them is a typing
#: slip that would otherwise be ignored in silence (`reveiw_date:`: no review period end; `file:`: every
#: spreadsheet in the folder read with no agency declared)
CASE_KEYS = ("case_id", "date_of_birth", "mobile_from", "date_of_death", "review_date", "child_name", "child_sex",
             "additional_needs", "looked_after", "nhs_number", "child_pseudonym", "people", "addresses", "files", "max_file_mb", "timeline",
             "lead_reviewer", "lead_reviewers", "independent_reviewer", "reviewer", "reviewers", "author",
             "authors")
FILE_ENTRY_KEYS = ("path", "agency", "profile", "sheets")
#: how alike (difflib ratio) an unknown key must be to a known one to be refused as its misspelling
MISSPELT_KEY_RATIO = 0.8


def _refuse_misspelt_keys(raw: dict, known: tuple[str, ...], where: str, origin: Path) -> None:
    """Refuse a key that is not one of `known` but close to one ("reveiw_date", "file", "sheet"),
    naming both; other keys (a reviewer's own notes) are left alone, as before."""
    import difflib

    for key in raw:
        if not isinstance(key, str) or key in known:
            continue
        close = difflib.get_close_matches(key.strip().lower(), known, n=1, cutoff=MISSPELT_KEY_RATIO)
        if close:
            raise ConfigError(f"{where}unknown key {key!r}: did you mean {close[0]!r}? (a misspelt key "
                              "would be ignored)", file=origin)


def _people(people, origin: Path) -> dict:
    """`people:` as {name: pseudonym}: a mapping, or a list of {name, pseudonym or role} entries."""
    if people is None or people == "":
        return {}
    if isinstance(people, dict):
        return people
    if not isinstance(people, list):
        raise ConfigError("people must be a mapping of name: pseudonym", file=origin)
    out = {}
    for i, person in enumerate(people, start=1):
        if not isinstance(person, dict) or person.get("name") in (None, ""):
            raise ConfigError(
                f"people entry {i} must be a mapping with a name (name: ..., pseudonym: ...), got {person!r}",
                file=origin,
            )
        out[str(person["name"])] = str(person.get("pseudonym") or person.get("role") or "Person")
    return out


#: case.yml keys that name the review's own people, and the pseudonym the anonymised view gives them
REVIEWER_KEYS = {"lead_reviewer": "Lead reviewer", "lead_reviewers": "Lead reviewer",
                 "independent_reviewer": "Lead reviewer", "reviewer": "Reviewer", "reviewers": "Reviewer",
                 "author": "Reviewer", "authors": "Reviewer"}


def _reviewers(raw: dict, origin: Path) -> dict[str, str]:
    """{name: pseudonym} of the review's own people: case.yml `lead_reviewer`, `reviewer(s)`, `author(s)`,
    each one name, a list of names, a mapping {name: pseudonym} or a list of {name, pseudonym or role}."""
    out: dict[str, str] = {}
    for key, pseudonym in REVIEWER_KEYS.items():
        value = raw.get(key)
        if value is None or value == "" or value == []:
            continue
        if isinstance(value, dict):
            entries = [(str(k), str(v or pseudonym)) for k, v in value.items()]
        else:
            entries = []
            for item in value if isinstance(value, list) else [value]:
                if isinstance(item, dict) and item.get("name") not in (None, ""):
                    entries.append((str(item["name"]), str(item.get("pseudonym") or item.get("role") or pseudonym)))
                elif isinstance(item, str) and item.strip():
                    entries.append((item.strip(), pseudonym))
                else:
                    raise ConfigError(f"{key} must be a name or a list of names, got {item!r}", file=origin)
        for name, shown in entries:
            out.setdefault(name, shown)
    return out


def _addresses(addresses, origin: Path) -> tuple[str, ...]:
    """`addresses:` as a tuple of texts: one address, or a list of them ("Flat 3, Bronte Court")."""
    if addresses is None or addresses == "" or addresses == []:
        return ()
    if isinstance(addresses, (str, int)) and not isinstance(addresses, bool):
        addresses = [addresses]
    if not isinstance(addresses, list) or not all(isinstance(a, (str, int)) and not isinstance(a, bool) and str(a).strip()
                                                  for a in addresses):
        raise ConfigError(f"addresses must be a list of addresses (text), got {addresses!r}", file=origin)
    return tuple(str(a).strip() for a in addresses)


def _sheet_names(sheets, entry: int, origin: Path) -> tuple[str, ...] | None:
    """A files entry's `sheets:` as sheet names: YAML reads `sheets: [2023, 2024]` as numbers, and a
    bare `sheets: Log` names one sheet (not the letters L, o, g)."""
    if sheets is None or sheets == "" or sheets == []:
        return None
    if isinstance(sheets, (str, int, float)) and not isinstance(sheets, bool):
        sheets = [sheets]
    if not isinstance(sheets, list) or not all(
        isinstance(s, (str, int, float)) and not isinstance(s, bool) for s in sheets
    ):
        raise ConfigError(f"files entry {entry}: sheets must be a sheet name or a list of them, got {sheets!r}",
                          file=origin)
    return tuple(str(s) for s in sheets)


def _check_not_declared_twice(spec: FileSpec, resolved: Path, earlier: list[FileSpec], earlier_resolved: list[Path],
                              origin: Path) -> None:
    """Refuse a file declared twice whose sheets overlap: every row would be read twice, with the same
    event ids. Two entries for different sheets of one workbook (each its own agency or profile) are
    fine. `earlier_resolved` holds the earlier entries' paths as `safe_join` resolved them."""
    for other, other_resolved in zip(earlier, earlier_resolved):
        if other_resolved != resolved:
            continue
        if spec.sheets is None or other.sheets is None or set(spec.sheets) & set(other.sheets):
            both = "" if spec.path == other.path else f" (as {other.path!r} and {spec.path!r})"
            raise ConfigError(
                f"file {spec.path!r} is declared twice under files{both} with overlapping sheets: "
                "its rows would be read twice; give each entry different `sheets:`, or remove one",
                file=origin,
            )


def _max_file_mb(value, origin: Path) -> float:
    try:
        size = float(value)
    except (TypeError, ValueError):
        size = float("nan")
    if isinstance(value, bool) or not size > 0 or size == float("inf"):
        raise ConfigError(f"max_file_mb must be a number of megabytes above 0, got {value!r}", file=origin)
    return size


# ---------------------------------------------------------------------------------------------------
# Package data: vocabularies, profiles and rule defaults, extended or overridden per case.
# ---------------------------------------------------------------------------------------------------
def package_data(name: str) -> Any:
    """Parse a YAML file shipped in review/data/ (a fresh copy each call: callers may change it).

    Parsed once per content of the file: parsing vocab.yml and rules.yml costs ~40 ms each, and every
    case of `review build-all` reads them."""
    text = resources.files("review").joinpath("data", name).read_text(encoding="utf-8")
    key = (name, text)
    if key not in _PACKAGE_DATA:
        if len(_PACKAGE_DATA) > 16:
            _PACKAGE_DATA.clear()
        _PACKAGE_DATA[key] = parse_yaml(text)
    return copy.deepcopy(_PACKAGE_DATA[key])


_PACKAGE_DATA: dict[tuple[str, str], Any] = {}


def deep_merge(base: dict, override: dict) -> dict:
    """Recursive dict merge; lists in `override` are appended to lists in `base` (vocabularies extend)."""
    out = copy.deepcopy(base)
    for key, value in (override or {}).items():
        if isinstance(value, dict) and isinstance(out.get(key), dict):
            out[key] = deep_merge(out[key], value)
        elif isinstance(value, list) and isinstance(out.get(key), list):
            out[key] = out[key] + [v for v in value if v not in out[key]]
        else:
            out[key] = copy.deepcopy(value)
    return out


def load_vocab(case_dir: str | Path | None = None) -> dict:
    """The package vocabularies (vocab.yml) extended by the case's vocab.yml, if any."""
    vocab = package_data("vocab.yml")
    own = own_vocab(case_dir, vocab) if case_dir is not None else None
    return deep_merge(vocab, own) if own is not None else vocab


def own_vocab(case_dir: str | Path, package: dict | None = None) -> dict | None:
    """The case's own vocab.yml as parsed (checked against the package vocabulary's shape: a ConfigError
    naming the file), None when the case has none. `package`: the package vocabulary, when parsed
    already."""
    case_vocab = case_file(case_dir, "vocab.yml")
    if not case_vocab.exists():
        return None
    own = load_yaml(case_vocab) or {}
    _check_vocab_shape(package_data("vocab.yml") if package is None else package, own, case_vocab)
    _check_vocab_names(own, case_vocab)
    return own


def _check_vocab_shape(package: Any, own: Any, origin: Path, key: str = "") -> None:
    """A case's vocab.yml must have the package vocabulary's shape where they meet: a mapping at the
    top, a mapping where the package has one (agencies, concerns), a list (or one word) where it has a
    list. Otherwise the merge would put a list or a number where a mapping belongs, and compiling the
    vocabulary would fail far from the cause, without naming the file."""
    if isinstance(package, dict):
        if not isinstance(own, dict):
            where = f"{key} " if key else "the top level "
            raise ConfigError(f"{where}must be a mapping (name: ...), got {type(own).__name__}", file=origin)
        for name, value in own.items():
            if name in package:
                _check_vocab_shape(package[name], value, origin, f"{key}.{name}" if key else str(name))
    elif isinstance(package, list) and not (own is None or isinstance(own, (list, str))):
        raise ConfigError(f"{key} must be a list of words ([...]), got {own!r}", file=origin)


def _check_vocab_names(own: dict, origin: Path) -> None:
    """The contact types, concern tags and escalations a case's vocab.yml names must be the package's: else
    compiling the merged vocabulary fails deep in ingest with a message that names neither the file nor
    the valid names ("unknown contact type 'appointment'"). One error naming the file, the key, its line
    and the names it may be (`unknown_name_message`)."""
    from .schema import CONCERN_TAGS, CONTACT_TYPES, ESCALATIONS

    def refuse(key: str, name, kind: str, known) -> None:
        path = key.split(".")
        raise ConfigError(f"{key}: {unknown_name_message(name, kind, known)}", file=origin,
                          row=_nested_key_row(origin, path + [str(name)] if path[-1] != str(name) else path))

    def names(value) -> list:
        return [value] if isinstance(value, str) else list(value) if isinstance(value, list) else []

    for key, known, kind in (("contact_types", CONTACT_TYPES, "contact type"),
                             ("agency_contact_types", CONTACT_TYPES, "contact type"),
                             ("agency_type_cells", CONTACT_TYPES, "contact type"),
                             ("concerns", CONCERN_TAGS, "concern tag"),
                             ("escalations", ESCALATIONS, "escalation")):
        for name, entry in (own.get(key) or {}).items() if isinstance(own.get(key), dict) else ():
            if name not in known:
                refuse(f"{key}.{name}", name, kind, known)
            if key == "agency_contact_types" and isinstance(entry, dict):
                for sub in ("within", "outcomes"):
                    for other in names(entry.get(sub)):
                        if other not in CONTACT_TYPES:
                            refuse(f"{key}.{name}.{sub}", other, "contact type", CONTACT_TYPES)
    for key in ("contact_type_letter_subjects", "missed_attendance_types", "missed_appointment_types"):
        for name in names(own.get(key)):
            if name not in CONTACT_TYPES:
                refuse(key, name, "contact type", CONTACT_TYPES)


def unknown_name_message(name, kind: str, known) -> str:
    """"unknown contact type 'appointment' (did you mean 'clinic_appointment'?); the contact types are
    home_visit, clinic_appointment, ...": a vocabulary's unknown name, with the names it may be."""
    import difflib

    close = difflib.get_close_matches(str(name), list(known), n=1, cutoff=0.6)
    if not close:
        close = [k for k in known if str(name).lower() in k.split("_")][:1]
    hint = f" (did you mean {close[0]!r}?)" if close else ""
    return f"unknown {kind} {name!r}{hint}; the {kind}s are {', '.join(known)}"


def _nested_key_row(path: Path, keys: list[str]) -> int | None:
    """The line (1-based) of `keys` (["contact_types", "appointment"]) in the block YAML file `path`, each key
    looked for after the one before it, indented; None when it cannot be told (a flow mapping, a quoted key
    split over lines)."""
    try:
        lines = Path(path).read_text(encoding="utf-8").splitlines()
    except (OSError, UnicodeDecodeError):
        return None
    at, row = 0, None
    for depth, key in enumerate(keys):
        indent = r"[ \t]+" if depth else ""
        pattern = re.compile(rf"^{indent}['\"]?{re.escape(key)}['\"]?[ \t]*:")
        for i in range(at, len(lines)):
            if pattern.match(lines[i]):
                at, row = i + 1, i + 1
                break
        else:
            return row  # (the innermost key that could be found: a list item is no key)
    return row


def file_sha256(path: str | Path) -> str:
    h = hashlib.sha256()
    with open(path, "rb") as fh:
        for chunk in iter(lambda: fh.read(1 << 20), b""):
            h.update(chunk)
    return h.hexdigest()


_CODE_FINGERPRINT: list[str] = []


def code_fingerprint() -> str:
    """SHA-256 (first 16 hex digits) of the `review` package as installed: every source and data file
    (its rules.yml, vocab.yml, profiles, bank holidays), by path and content; compiled files left out.

    The version number alone does not change when the code or its vocabulary does (a development
    checkout, a patched install): a store keyed on it kept cases read by the old code beside cases
    read by the new, and `verify` could not say why a rebuild differed. Computed once per process."""
    if not _CODE_FINGERPRINT:
        _CODE_FINGERPRINT.append(tree_fingerprint(Path(__file__).resolve().parent))
    return _CODE_FINGERPRINT[0]


#: files whose line endings a checkout may change (git's autocrlf on Windows): hashed with "\n" endings
_TEXT_SUFFIXES = frozenset({".py", ".yml", ".yaml", ".csv", ".json", ".txt", ".md", ".html", ".css", ".js", ".cfg", ".toml"})


def tree_fingerprint(root: Path) -> str:
    """`code_fingerprint` of the package folder `root`: each file by path and content, text files with
    their line endings made "\n" (the same code checked out on Windows, CRLF, has the same fingerprint)."""
    h = hashlib.sha256()
    for path in sorted(Path(root).rglob("*")):
        rel = path.relative_to(root).as_posix()
        if not path.is_file() or "__pycache__" in rel.split("/") or path.suffix in (".pyc", ".pyo"):
            continue
        if path.suffix.lower() in _TEXT_SUFFIXES:
            digest = hashlib.sha256(path.read_bytes().replace(b"\r\n", b"\n")).hexdigest()
        else:
            digest = file_sha256(path)
        h.update(f"{rel}\0{digest}\n".encode())
    return h.hexdigest()[:16]
