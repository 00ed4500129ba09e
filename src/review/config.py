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
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path
from typing import Any

import yaml

from .errors import ConfigError

SPREADSHEET_SUFFIXES = (".xlsx", ".xlsm", ".xls", ".ods", ".csv", ".docx")
CASE_FILE = "case.yml"


@dataclass(frozen=True)
class FileSpec:
    """One agency chronology declared in case.yml (or found in the folder)."""

    path: str  # relative to the case folder, POSIX separators
    agency: str | None = None  # default agency for rows that do not name one
    profile: str | None = None  # profile name (package or case profiles/) or None for generic
    sheets: tuple[str, ...] | None = None  # restrict to these sheets; None = all visible sheets


@dataclass(frozen=True)
class CaseConfig:
    case_dir: Path
    case_id: str
    date_of_birth: dt.date
    mobile_from: dt.date | None = None
    date_of_death: dt.date | None = None
    review_date: dt.date | None = None  # end of the period under review; default: last contact
    child_name: str | None = None
    people: dict[str, str] = field(default_factory=dict)  # name -> pseudonym ("Mother", "Partner")
    files: tuple[FileSpec, ...] = ()
    declared_files: bool = False  # files came from case.yml rather than a folder scan
    max_file_mb: float = 50.0
    raw: dict[str, Any] = field(default_factory=dict)  # the parsed case.yml, for the manifest

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


def _as_date(value, key: str, origin: Path) -> dt.date | None:
    if value is None or value == "":
        return None
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    try:
        return dt.date.fromisoformat(str(value).strip())
    except ValueError:
        raise ConfigError(f"{key} must be an ISO date (YYYY-MM-DD), got {value!r}", file=origin) from None


#: libyaml's safe loader when PyYAML was built with it (its wheels are): the same documents as
#: `yaml.SafeLoader`, parsed ~10x faster (vocab.yml: ~40 ms in pure Python)
_SAFE_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


def parse_yaml(stream) -> Any:
    """`yaml.safe_load`, through libyaml when available."""
    return yaml.load(stream, Loader=_SAFE_LOADER)  # noqa: S506  a safe loader, C or Python


def load_yaml(path: Path) -> Any:
    try:
        with open(path, encoding="utf-8") as fh:
            return parse_yaml(fh)
    except FileNotFoundError:
        raise ConfigError("file not found", file=path) from None
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        row = mark.line + 1 if mark is not None else None
        raise ConfigError(f"invalid YAML: {getattr(exc, 'problem', exc)}", file=path, row=row) from None


def load_case_config(case_dir: str | Path) -> CaseConfig:
    """Read and validate `case.yml` in `case_dir`."""
    case_dir = Path(case_dir)
    if not case_dir.is_dir():
        raise ConfigError("case folder not found", file=case_dir)
    case_file = case_dir / CASE_FILE
    if not case_file.exists():
        raise ConfigError(f"no {CASE_FILE} in the case folder", file=case_dir)
    raw = load_yaml(case_file) or {}
    if not isinstance(raw, dict):
        raise ConfigError("case.yml must be a mapping", file=case_file)
    for key in ("case_id", "date_of_birth"):
        if not raw.get(key):
            raise ConfigError(f"missing required key {key!r}", file=case_file)
    dob = _as_date(raw["date_of_birth"], "date_of_birth", case_file)
    mobile_from = _as_date(raw.get("mobile_from"), "mobile_from", case_file)
    if mobile_from is not None and dob is not None and mobile_from < dob:
        # (a year typed wrongly would make a new-born baby count as mobile, and hide non-mobile injuries)
        raise ConfigError(f"mobile_from ({mobile_from}) is before date_of_birth ({dob})", file=case_file)
    people = raw.get("people") or {}
    if isinstance(people, list):
        people = {str(p["name"]): str(p.get("pseudonym") or p.get("role") or "Person") for p in people}
    elif not isinstance(people, dict):
        raise ConfigError("people must be a mapping of name: pseudonym", file=case_file)

    declared = raw.get("files")
    files: list[FileSpec] = []
    if declared:
        if not isinstance(declared, list):
            raise ConfigError("files must be a list", file=case_file)
        for i, entry in enumerate(declared, start=1):
            if isinstance(entry, str):
                entry = {"path": entry}
            if not isinstance(entry, dict) or not entry.get("path"):
                raise ConfigError(f"files entry {i} needs a path", file=case_file)
            path = str(entry["path"])
            resolved = safe_join(case_dir, path, origin=case_file)
            if not resolved.exists():
                raise ConfigError(f"declared file {path!r} not found", file=case_file)
            sheets = entry.get("sheets")
            files.append(
                FileSpec(
                    path=Path(path).as_posix(),
                    agency=entry.get("agency"),
                    profile=entry.get("profile"),
                    sheets=tuple(sheets) if sheets else None,
                )
            )
    else:
        for found in sorted(case_dir.iterdir()):
            if found.is_file() and found.suffix.lower() in SPREADSHEET_SUFFIXES and not found.name.startswith(("~$", ".")):
                files.append(FileSpec(path=found.name))

    return CaseConfig(
        case_dir=case_dir,
        case_id=str(raw["case_id"]),
        date_of_birth=dob,
        mobile_from=mobile_from,
        date_of_death=_as_date(raw.get("date_of_death"), "date_of_death", case_file),
        review_date=_as_date(raw.get("review_date"), "review_date", case_file),
        child_name=raw.get("child_name"),
        people={str(k): str(v) for k, v in people.items()},
        files=tuple(files),
        declared_files=bool(declared),
        max_file_mb=float(raw.get("max_file_mb", 50.0)),
        raw=raw,
    )


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
    if case_dir is not None:
        case_vocab = case_file(case_dir, "vocab.yml")
        if case_vocab.exists():
            vocab = deep_merge(vocab, load_yaml(case_vocab) or {})
    return vocab


def file_sha256(path: str | Path) -> str:
    h = hashlib.sha256()
    with open(path, "rb") as fh:
        for chunk in iter(lambda: fh.read(1 << 20), b""):
            h.update(chunk)
    return h.hexdigest()
