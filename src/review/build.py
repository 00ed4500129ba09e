"""`build_report`: one case folder in, the full report folder out; `verify_report`: rebuild and compare.

A build writes everything into a temporary folder beside the target and only then swaps it into place,
so a failed build leaves the previous report untouched. Every output is deterministic (see
`review.export`), and `manifest.json` records what went in (input files and case.yml with SHA-256, the
effective rules configuration, package versions) and the SHA-256 of everything that came out, so
`verify_report` can rebuild from the manifest and say which output changed and why.
"""
from __future__ import annotations

import dataclasses
import hashlib
import datetime as dt
import importlib
import importlib.metadata
import os
import platform
import shutil
import sys
import tempfile
from dataclasses import dataclass, field
from pathlib import Path
from types import SimpleNamespace

import pandas as pd

from . import __version__
from .config import CASE_FILE, code_fingerprint, file_sha256, load_case_config, load_yaml
from .decisions import carried_over, future_dated, load_decisions
from .errors import ConfigError, ReviewError, VerifyError
from .sightings import sighting_conflicts
from .export import (
    canonical_json,
    chronology_export,
    chronology_table,
    decision_counts,
    figure_svg_for_html,
    flags_csv_table,
    flags_table,
    safe_name,
    save_figure,
    sha256_bytes,
    sha256_file,
    write_csv,
    write_html,
    write_manifest,
    write_workbook,
    _case_notes,
    _report_frames,
)

__all__ = ["build_report", "verify_report", "VerifyResult", "MANIFEST", "manifest_tables", "case_inputs", "effective_rules", "package_versions"]

MANIFEST = "manifest.json"
MANIFEST_VERSION = 1
PACKAGES = ("review", "pandas", "numpy", "matplotlib", "seaborn", "openpyxl", "python-calamine", "python-docx",
            "pyyaml", "rapidfuzz", "holidays", "pyarrow", "defusedxml", "tqdm")
#: configuration files a case folder may hold besides its chronologies (see review.config)
#: (decisions.csv only: a decisions.yml is never read, and `review.decisions.load_decisions` refuses it)
CONFIG_FILES = (CASE_FILE, "rules.yml", "vocab.yml", "decisions.csv")

#: (file stem, caption) of each chart, in report order
CHARTS = (
    ("swimlane", "Contacts by agency over time, with concerns, escalations, periods and numbered flags"),
    ("response_latency", "Time from each recorded concern to the next escalation by any agency (not necessarily about "
                         "it), against the expected time"),
    ("agency_knowledge", "Concerns known to the deciding agency against concerns known anywhere, at each decision"),
    ("contact_density", "Contacts per agency per month, and whether the child was seen"),
)


# ---------------------------------------------------------------------------------------------------
# What went in
# ---------------------------------------------------------------------------------------------------
def package_versions() -> dict[str, str]:
    """Versions of Python and of every package that shapes the outputs."""
    versions = {"python": platform.python_version()}
    for name in PACKAGES:
        try:
            versions[name] = importlib.metadata.version(name)
        except importlib.metadata.PackageNotFoundError:
            versions[name] = "not installed"
    versions["review"] = __version__
    versions["review code"] = code_fingerprint()  # the version number alone does not change with the code
    try:
        import matplotlib.ft2font

        versions["freetype"] = matplotlib.ft2font.__freetype_version__
    except Exception:  # pragma: no cover - only informative
        pass
    return versions


def case_inputs(config) -> dict[str, dict]:
    """Every file the build reads, relative to the case folder: {path: {role, bytes, sha256}}."""
    case_dir = Path(config.case_dir)
    found: dict[str, str] = {}
    for spec in config.files:
        found[Path(spec.path).as_posix()] = "chronology"
    for name in CONFIG_FILES:
        if (case_dir / name).is_file():
            found.setdefault(name, "configuration")
    profiles = case_dir / "profiles"
    if profiles.is_dir():
        for path in sorted(profiles.rglob("*")):
            if path.is_file() and not path.name.startswith("."):
                found.setdefault(path.relative_to(case_dir).as_posix(), "configuration")
    inputs = {}
    for rel, role in sorted(found.items()):
        path = config.resolve(rel)
        if path.is_file():
            inputs[rel] = {"role": role, "bytes": path.stat().st_size, "sha256": file_sha256(path)}
        else:
            inputs[rel] = {"role": role, "bytes": None, "sha256": None}
    return inputs


def effective_rules(case_dir) -> dict:
    """The rules configuration the analysis runs with (package rules.yml merged with the case's)."""
    for module_name in ("review.rules", "review.rules.settings"):
        try:
            module = importlib.import_module(module_name)
        except ImportError:
            continue
        loader = getattr(module, "load_rules", None)
        if loader is not None:
            rules = dict(loader(case_dir))
            rules.pop("files", None)  # paths of the files read: where, not what
            return rules
    path = Path(case_dir) / "rules.yml"
    return load_yaml(path) or {} if path.exists() else {}


def _source_date_epoch(config, override: int | None, *, month: bool = False) -> int:
    """The date stamped into the outputs' metadata: `override`, else SOURCE_DATE_EPOCH, else the review
    date (with `month`, the anonymised view, the first day of its month: the review often ends on the
    day the child died)."""
    if override is not None:
        return int(override)
    env = os.environ.get("SOURCE_DATE_EPOCH", "").strip()
    if env.lstrip("-").isdigit():
        return int(env)
    if config.review_date is not None:
        day = config.review_date.replace(day=1) if month else config.review_date
        return int(dt.datetime.combine(day, dt.time(), dt.timezone.utc).timestamp())
    return int(dt.datetime(2000, 1, 1, tzinfo=dt.timezone.utc).timestamp())


# ---------------------------------------------------------------------------------------------------
# The analysis (the pipeline's job; isolated here so tests can substitute a synthetic one)
# ---------------------------------------------------------------------------------------------------
ANALYSIS_FIELDS = ("timeline", "periods", "flags", "response_latency", "knowledge", "agency_summary", "decisions",
                   "decision_problems", "health_summary")


def _load_and_analyse(case_dir: Path, decisions_as_of=None):
    """(case, analysis) from `review.pipeline` (`decisions_as_of`: `review.pipeline.analyse`'s)."""
    try:
        pipeline = importlib.import_module("review.pipeline")
    except ImportError as exc:
        raise ReviewError(f"the analysis pipeline (review.pipeline) is not available: {exc}") from None
    case = pipeline.load_case(case_dir)
    if decisions_as_of is None:
        return case, pipeline.analyse(case)
    return case, pipeline.analyse(case, decisions_as_of=decisions_as_of)


def _redactor(config, redact: bool, report=None):
    """The anonymised view's redactor (None for the named view); the children whose rows ingest rejected as
    another child's or person's (`report.other_people`) are replaced too ("Another child", "Another adult",
    "Another person")."""
    if not redact:
        return None
    try:
        from .redact import Redactor
    except ImportError:
        raise ReviewError("--redact needs review.redact, which is not available") from None
    return Redactor.from_case(config, other_children=getattr(report, "other_people", None)
                              or getattr(report, "other_children", None) or ())


def _view(analysis, redactor) -> SimpleNamespace:
    """The analysis tables as the report shows them (pseudonymised when `redactor` is given)."""
    view = SimpleNamespace(**{name: getattr(analysis, name, None) for name in ANALYSIS_FIELDS})
    # the escalations that took place, read once on the analysis's own text (`Analysis.held_escalations`):
    # the view's timeline is the same rows in the same order (pseudonymised text, new ids), so the reading is
    # put on its index; the charts' arrows and counts and the headline read it
    held = getattr(analysis, "held_escalations", None)
    timeline = view.timeline
    view.held_escalations = (pd.Series(held.to_numpy(), index=timeline.index, dtype=object)
                             if held is not None and timeline is not None and len(held) == len(timeline) else None)
    if redactor is not None:
        if hasattr(redactor, "learn_schools"):  # schools numbered once per case, the chronology's first
            redactor.learn_schools(*(getattr(view, name) for name in ANALYSIS_FIELDS))
        for name in ANALYSIS_FIELDS:
            value = getattr(view, name)
            if isinstance(value, pd.DataFrame):
                # names, and every date to the month (ages in whole months, intervals in whole months)
                setattr(view, name, redactor.table(value) if hasattr(redactor, "table") else redactor.frame(value))
            elif isinstance(value, str):
                setattr(view, name, redactor.text(value))
            elif isinstance(value, list):
                setattr(view, name, [redactor.text(v) if isinstance(v, str) else v for v in value])
        try:
            from .redact import Identifiers
        except ImportError:
            return view
        # new event and flag ids: the pipeline's are hashes of the case id and the file names, which
        # would let a reader confirm a guessed name
        ids = Identifiers(view.timeline, view.flags)
        for name in ANALYSIS_FIELDS:
            value = getattr(view, name)
            if isinstance(value, pd.DataFrame):
                setattr(view, name, ids.frame(value))
    return view


def _flags_with_decisions(view) -> pd.DataFrame | None:
    flags = view.flags
    if flags is None or "decision" in flags.columns:  # the pipeline's flags carry their decisions
        return flags
    table = flags_table(flags, view.decisions)
    out = flags.reset_index(drop=True).copy()
    for col in ("decision", "rationale"):
        out[col] = table[col].to_numpy()
    return out


def _orphaned_decisions(view) -> pd.DataFrame | None:
    """The view's decisions on flags the rules no longer raise (`review.decisions.orphaned_rows`), or None."""
    from .decisions import orphaned_rows

    rows = orphaned_rows(getattr(view, "decision_problems", None))
    decisions = getattr(view, "decisions", None)
    if not rows or not isinstance(decisions, pd.DataFrame) or "row" not in decisions:
        return None
    return decisions[decisions["row"].isin(rows).fillna(False).to_numpy(dtype=bool)].reset_index(drop=True)


def _progress(total: int, desc: str, enabled: bool):
    from tqdm.auto import tqdm

    # disable=None: shown on a terminal, silent when stderr is a file or pipe (CI logs, tests)
    return tqdm(total=total, desc=desc, unit="step", file=sys.stderr, disable=None if enabled else True, leave=False,
                dynamic_ncols=True, mininterval=0.2)


# ---------------------------------------------------------------------------------------------------
# Build
# ---------------------------------------------------------------------------------------------------
#: what `review notebooks` writes into a report folder: kept when the report is rebuilt, and not
#: counted as unexpected by `verify`
KEPT_BESIDE_REPORT = ("notebooks",)
#: the kind of report a case build's manifest records (a thematic report's manifest has its own)
MANIFEST_KIND = "case"


def report_file_names() -> set[str]:
    """Every file a case build can write (relative paths): on a rebuild these are replaced, whether or not
    the previous manifest lists them; any other file in the folder is the user's and is kept."""
    from .export import FIGURE_FORMATS

    names = {"chronology.xlsx", "chronology.csv", "flags.csv", "chronology.docx", "report.html", MANIFEST}
    names |= {f"figures/{stem}.{fmt}" for stem, _ in CHARTS for fmt in FIGURE_FORMATS}
    return names


def is_case_manifest(manifest) -> bool:
    """Whether a parsed manifest.json is one `review build` wrote (not a web app's, nor a thematic
    report's)."""
    if not isinstance(manifest, dict) or manifest.get("kind", MANIFEST_KIND) != MANIFEST_KIND:
        return False
    outputs = manifest.get("outputs")
    return (isinstance(manifest.get("manifest_version"), int) and "case_dir" in manifest and "case_id" in manifest
            and isinstance(manifest.get("options"), dict) and isinstance(outputs, dict)
            and all(isinstance(meta, dict) and "sha256" in meta for meta in outputs.values()))


def _previous_manifest(out_dir: Path) -> dict | None:
    """The case manifest in `out_dir`, or None when there is none or it is not one `review build` wrote."""
    import json

    try:
        manifest = json.loads((out_dir / MANIFEST).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    return manifest if is_case_manifest(manifest) else None


def foreign_files(report_dir, outputs) -> list[str]:
    """Files in `report_dir` (relative paths, sorted) that are neither among `outputs` nor the manifest,
    leaving out what `review notebooks` writes beside a report (KEPT_BESIDE_REPORT)."""
    report_dir = Path(report_dir)
    known = set(outputs) | {MANIFEST}
    found = []
    for path in sorted(report_dir.rglob("*")):
        rel = path.relative_to(report_dir)
        if rel.parts[0] in KEPT_BESIDE_REPORT or path.is_dir():
            continue
        if rel.as_posix() not in known:
            found.append(rel.as_posix())
    return found


def overlaps_case(path: Path, case_dir: Path) -> str | None:
    """How `path` (an output: a folder, or a file with `review flags --csv`) overlaps the case folder —
    "is", "contains" or "is inside" — or None when it does not (symbolic links followed)."""
    out = Path(path).resolve()
    case = Path(case_dir).resolve()
    if out == case:
        return "is"
    if out in case.parents:
        return "contains"
    if case in out.parents:
        return "is inside"
    return None


def _check_out_dir(out_dir: Path, case_dir: Path) -> dict | None:
    """Refuse an output folder the build must not write into; return the previous report's manifest
    (None for a new or empty folder)."""
    out = out_dir.resolve()
    overlap = overlaps_case(out_dir, case_dir)
    if overlap in ("is", "contains"):
        raise ConfigError("the output folder must not be (or contain) the case folder", file=out_dir)
    if overlap == "is inside":
        # the outputs would sit among the agencies' chronologies, and the next build would read its own
        # chronology.csv / .xlsx / .docx as an agency's (the check `review flags --csv` makes)
        raise ConfigError("the output folder must not be inside the case folder (it holds the agencies' "
                          "chronologies, and the next build would read the report's files as theirs): give a "
                          "folder outside it", file=out_dir)
    if out.exists() and not out.is_dir():
        raise ConfigError("the output path exists and is not a folder", file=out_dir)
    if not out.is_dir():
        return None
    try:
        foreign = [p for p in out.iterdir() if p.name not in KEPT_BESIDE_REPORT]
    except OSError as exc:
        raise ConfigError(f"cannot read the output folder: {exc.strerror or exc}", file=out_dir) from None
    if not foreign:
        return None
    previous = _previous_manifest(out)
    if previous is None:
        what = ("its manifest.json was not written by review build" if (out / MANIFEST).exists()
                else "it has no manifest.json")
        raise ConfigError(f"the output folder is not empty and is not a review report ({what}); refusing to "
                          "write into it: choose a new or empty folder", file=out_dir)
    return previous


def _publish(staging: Path, out_dir: Path, previous: dict | None = None, *,
             report_files: set[str] | None = None) -> None:
    """Move the finished `staging` folder to `out_dir`, replacing a previous report in one swap.

    Of the previous folder, only the report's own files are dropped: the outputs its manifest
    (`previous`) lists and the files this kind of report can write (`report_files`, by default a case
    build's `report_file_names`). Anything else (the reviewers' notes, `review notebooks`' output) is
    moved into the new report folder.
    """
    # mkdtemp/mkstemp make private (0700/0600) entries: a report is for reading by the team
    for path in [staging, *staging.rglob("*")]:
        os.chmod(path, 0o755 if path.is_dir() else 0o644)
    backup = None
    if out_dir.exists():
        backup = Path(tempfile.mkdtemp(prefix=f".{out_dir.name}.previous-", dir=out_dir.parent))
        backup.rmdir()
        os.replace(out_dir, backup)
    try:
        os.replace(staging, out_dir)
    except BaseException:
        if backup is not None:
            os.replace(backup, out_dir)  # put the previous report back
        raise
    if backup is not None:
        replaced = (report_file_names() if report_files is None else set(report_files)) | set((previous or {}).get("outputs", {}))
        _keep_foreign(backup, out_dir, replaced)
        shutil.rmtree(backup, ignore_errors=True)


def _why_unwritable(out_dir: Path, exc: OSError) -> str:
    """Why the report cannot go to `out_dir`, in the user's terms."""
    for parent in out_dir.absolute().parents:
        if parent.exists() or parent.is_symlink():
            if not parent.is_dir():
                return f"{parent} is a file, not a folder"
            break
    return exc.strerror or str(exc)


def _keep_foreign(old: Path, new: Path, replaced: set[str], prefix: str = "") -> None:
    """Move every entry of `old` that is not a report file (`replaced`, relative paths) into `new`."""
    for entry in sorted(old.iterdir()):
        rel = f"{prefix}{entry.name}"
        target = new / entry.name
        if entry.is_dir() and not entry.is_symlink() and target.is_dir():
            _keep_foreign(entry, target, replaced, f"{rel}/")
        elif rel not in replaced and not target.exists() and not target.is_symlink():
            os.replace(entry, target)


def _inside(root: Path, relative: str) -> Path:
    """`root/relative`, refusing anything that would land outside `root`."""
    path = (root / relative).resolve()
    if root.resolve() not in path.parents:
        raise ReviewError(f"refusing to write {relative!r} outside the output folder")
    return path


def default_out_dir(config) -> Path:
    """Where a case's report goes when no folder is given: ``reports/<case_id>/``."""
    return Path("reports") / safe_name(config.case_id, "case")


def build_report(case_dir, out_dir=None, *, redact: bool = False, progress: bool = True,
                 source_date_epoch: int | None = None, decisions_as_of: str | dt.date | None = None) -> dict:
    """Build the whole report for one case and return its manifest.

    Parameters
    ----------
    case_dir : the case folder (case.yml and the agencies' chronologies).
    out_dir : where the report goes; default ``reports/<case_id>/`` relative to the working directory.
    redact : write the anonymised view (names and the child's date of birth pseudonymised everywhere).
    progress : show a progress bar over the steps on stderr.
    source_date_epoch : the date stamped into file metadata (seconds since 1970); default the
        SOURCE_DATE_EPOCH environment variable, else the case's review date. `verify` passes the
        manifest's value so a rebuild stamps the same date.
    decisions_as_of : the date a reviewer's decision dated after it is listed as future-dated against
        (a likely typo, `review.decisions.load_decisions`); default today. The manifest records it
        (``decisions_as_of``) when a decision is dated after it, and `verify` passes it back, so that a
        rebuild on a later day lists the same decision problems.

    Returns
    -------
    dict
        The manifest, also written to ``out_dir/manifest.json``.

    Outputs: chronology.xlsx, chronology.csv, flags.csv, chronology.docx (when review.export_docx is
    available), figures/<chart>.png|svg|pdf, report.html and manifest.json. Everything is written into
    a temporary folder beside `out_dir` and moved into place only when complete.
    """
    case_dir = Path(case_dir)
    config = load_case_config(case_dir)
    # the reviewers' decisions as far as they can be checked without the flags (no decisions.yml beside
    # decisions.csv, every row valid), before the chronologies are read: a DecisionError in seconds, not
    # after ingest and the rules; the decisions on flags the rules no longer raise are known only after them
    load_decisions(config.case_dir)
    out_dir = Path(out_dir) if out_dir is not None else default_out_dir(config)
    previous = _check_out_dir(out_dir, case_dir)
    try:
        out_dir.parent.mkdir(parents=True, exist_ok=True)
        staging = Path(tempfile.mkdtemp(prefix=f".{out_dir.name}.building-", dir=out_dir.parent))
    except OSError as exc:
        raise ConfigError(f"cannot write the report there ({_why_unwritable(out_dir, exc)})", file=out_dir) from None
    epoch = _source_date_epoch(config, source_date_epoch, month=bool(redact))
    when = dt.datetime.fromtimestamp(epoch, dt.timezone.utc).replace(tzinfo=None)

    steps = ["load and analyse", "workbook", "csv", "word", "charts", "html", "manifest", "publish"]
    bar = _progress(len(steps), f"review build {config.case_id}", progress)
    try:
        def step(name: str) -> None:
            bar.set_postfix_str(name, refresh=False)

        step("load and analyse")
        as_of = (dt.date.fromisoformat(str(decisions_as_of)[:10]) if decisions_as_of is not None
                 else dt.date.today())
        case, analysis = (_load_and_analyse(case_dir) if decisions_as_of is None
                          else _load_and_analyse(case_dir, as_of.isoformat()))
        config = getattr(case, "config", config)
        report = getattr(case, "report", None)
        redactor = _redactor(config, redact, report)
        view = _view(analysis, redactor)
        dates = "month" if getattr(redactor, "months", False) else "day"
        files, rejections = _report_frames(report)
        case_notes = _case_notes(report)
        if redactor is not None:
            files, rejections, case_notes = redactor.frame(files), redactor.frame(rejections), redactor.frame(case_notes)
        # the events two agencies report that disagree whether the child was seen: a warning on each row, read
        # from the view's timeline (the anonymised view's own event ids, never the named ones)
        conflicts = sighting_conflicts(view.timeline)
        if len(conflicts):
            rejections = pd.concat([rejections, conflicts], ignore_index=True) if len(rejections) else conflicts
        quality = (files, rejections, case_notes)
        inputs = redacted_inputs(case_inputs(config), redactor)
        sources = [{"file": rel, **meta} for rel, meta in inputs.items()]
        if redactor is not None:  # the case id is printed in titles: it is redacted like any text
            config = dataclasses.replace(config, case_id=redactor.text(config.case_id))
        bar.update()

        step("workbook")
        write_workbook(_inside(staging, "chronology.xlsx"), view, config, quality, sources, when=when,
                       date_resolution=dates)
        bar.update()

        step("csv")
        write_csv(_inside(staging, "chronology.csv"),
                  chronology_table(view.timeline, view.flags, held=view.held_escalations,
                                   rules=getattr(analysis, "rules", None) or None, case=config),
                  [h for _, h in chronology_export(view.timeline)], date_resolution=dates)
        # with the trigger date's precision in a last column (`FLAGS_CSV_EXTRA`)
        flag_csv, flag_headers, flag_precisions = flags_csv_table(flags_table(view.flags, view.decisions), view.timeline)
        write_csv(_inside(staging, "flags.csv"), flag_csv, flag_headers, date_resolution=dates,
                  precisions=flag_precisions)
        bar.update()

        step("word")
        try:
            export_docx = importlib.import_module("review.export_docx")
        except ImportError:
            export_docx = None
        if export_docx is not None:
            # the view's tables (dates to the month), and the redactor for the text the Word writer adds
            export_docx.write_chronology_docx(view.timeline, _flags_with_decisions(view), _inside(staging, "chronology.docx"),
                                              config, names=redactor if redactor is not None else True,
                                              orphaned=_orphaned_decisions(view))
        bar.update()

        step("charts")
        from . import charts as charts_module

        figures_dir = _inside(staging, "figures")
        embedded = []
        makers = {
            "swimlane": lambda: charts_module.plot_swimlane(view.timeline, view.flags, view.periods, config,
                                                            date_resolution=dates, escalations=view.held_escalations),
            "response_latency": lambda: charts_module.plot_response_latency(
                view.response_latency, date_resolution=dates, timeline=view.timeline,
                max_days=((getattr(analysis, "rules", None) or {}).get("settings", {}).get("response_latency", {})
                          .get("response_max_days"))),
            "agency_knowledge": lambda: charts_module.plot_agency_knowledge(view.knowledge, date_resolution=dates,
                                                                            timeline=view.timeline),
            "contact_density": lambda: charts_module.plot_contact_density(view.timeline),
        }
        for stem, caption in CHARTS:
            fig = makers[stem]()
            save_figure(fig, stem, figures_dir)
            # the report's copy with its text as text: a fraction of the analyst's SVG (glyph outlines)
            embedded.append((caption, figure_svg_for_html(fig, stem), charts_module.alt_text(fig)))
        bar.update()

        step("html")
        notes = ["Anonymised view: people's names and the child's date of birth are pseudonymised."] if redact else []
        if dates == "month":
            notes.append("Dates are given to the month, and the child's age and the time between contacts in "
                         "whole months, so that the date of birth cannot be worked out; the flags' delays are in days.")
        rejected = int(getattr(report, "rows_rejected", 0) or 0)
        if rejected:  # said at the top, not only at the foot of the Data quality section
            notes.insert(0, f"{rejected_rows_note(rejected)}: each is listed with its file, sheet, row and reason "
                            "under Data quality below.")
        # text the rules do not read (a narrative under a header no profile names): said at the top too
        unread = not_analysed_warnings(report)
        notes[int(bool(rejected)):int(bool(rejected))] = [f"Not analysed: {warning}." for warning in unread]
        write_html(_inside(staging, "report.html"), config, view, embedded, quality, sources, notes=notes,
                   redact_text=redactor.text if redactor is not None else None, date_resolution=dates)
        bar.update()

        step("manifest")
        manifest = _manifest(config, case_dir, inputs, redact, redactor, epoch, view, staging, out_dir)
        manifest["counts"]["rows_rejected"] = int(getattr(report, "rows_rejected", 0) or 0)
        if len(conflicts):  # (only when there are: the manifests of other cases stay as they were)
            manifest["counts"]["sighting_conflicts"] = len(conflicts)
        if future_dated(getattr(analysis, "decisions", None), as_of):
            # a decision dated after the day it was judged on: which rows are "in the future" depends on
            # that day, so it is recorded, for `verify` to judge against again (no such row: the same
            # findings on any later day, and the manifest stays as it was)
            manifest["decisions_as_of"] = as_of.isoformat()
        # the sheets read without a description column, as `review build` prints them (redacted like text)
        manifest["columns_not_analysed"] = [redactor.text(w) if redactor is not None else w for w in unread]
        manifest["counts"]["sheets_with_columns_not_analysed"] = len(
            [f for f in getattr(report, "files", None) or () if getattr(f, "unmapped_columns", None)])
        write_manifest(_inside(staging, MANIFEST), manifest)
        bar.update()

        step("publish")
        try:
            _publish(staging, out_dir, previous)
        except OSError as exc:
            raise ConfigError(f"cannot write the report there ({_why_unwritable(out_dir, exc)})", file=out_dir) from None
        bar.update()
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise
    finally:
        bar.close()
    return manifest


def _case_values(config, redactor) -> dict:
    values = dict(config.raw)
    if redactor is not None:
        from .config import REVIEWER_KEYS

        # (additional_needs: the child's health, s19; the anonymised view says only that some were stated)
        for key in ("child_name", "people", "date_of_birth", "addresses", "additional_needs", *REVIEWER_KEYS):
            if key in values:
                values[key] = "[redacted]"
        values = _redacted_value(values, redactor)  # case_id, file paths, notes can name people too
    return values


#: the keys of case.yml whose values are files' paths or names (a file entry's `path`, its `profile`: a profile is
#: often named after its agency, a school that places the family's home)
_PATH_KEYS = frozenset({"path", "profile"})


def _redacted_path(value: str, redactor) -> str:
    """A file's path or a profile's name as the anonymised view shows it (`Redactor.path`)."""
    return redactor.path(value) if hasattr(redactor, "path") else redactor.text(value)


def _redacted_value(value, redactor, key=None):
    if isinstance(value, str):
        return _redacted_path(value, redactor) if key in _PATH_KEYS else redactor.text(value)
    if isinstance(value, (dt.date, dt.datetime)):  # a date case.yml gives unquoted
        return f"{value:%Y-%m}" if getattr(redactor, "months", False) else value.isoformat()
    if isinstance(value, dict):
        return {redactor.text(k) if isinstance(k, str) else k: _redacted_value(v, redactor, k) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [_redacted_value(v, redactor, key) for v in value]
    return value


def redacted_inputs(inputs: dict[str, dict], redactor) -> dict[str, dict]:
    """`inputs` (`case_inputs`) with each file's path redacted like text (names joined by _ - . too), for
    the anonymised view; two paths that redact alike are told apart by " (2)", " (3)"... in path order."""
    if redactor is None:
        return inputs
    out: dict[str, dict] = {}
    for rel, meta in sorted(inputs.items()):
        name = _redacted_path(rel, redactor)
        unique, n = name, 1
        while unique in out:
            n += 1
            unique = f"{name} ({n})"
        out[unique] = meta
    return out


def not_analysed_warnings(report) -> list[str]:
    """For each sheet read without a description column, the warning naming its file and sheet and the
    columns not analysed (`FileReport.not_analysed_warning`): their text is in the chronology's "Other
    columns" but no rule reads it."""
    files = getattr(report, "files", None) or ()
    return [w for f in files if hasattr(f, "not_analysed_warning") and (w := f.not_analysed_warning())]


def rejected_rows_note(rejected: int) -> str:
    """ "2 rows of the agencies' files were rejected at ingest and are not in this chronology"."""
    from .export import plural

    verb = "was" if rejected == 1 else "were"
    return (f"{plural(rejected, 'row')} of the agencies' files {verb} rejected at ingest and "
            f"{'is' if rejected == 1 else 'are'} not in this chronology")


def manifest_case_dir(case_dir, out_dir) -> str:
    """The case folder as a manifest records it: relative to the report folder (`out_dir`, where
    manifest.json is), in POSIX form ("../../data/cases/sample"), so that the same case built from another
    folder, or on another machine, with its report beside it as here, writes the same manifest;
    `review verify` reads it from the report folder (`recorded_case_dir`). Absolute only when no
    relative path joins the two (another drive on Windows)."""
    case, out = Path(case_dir).resolve(), Path(out_dir).resolve()
    try:
        return Path(os.path.relpath(case, out)).as_posix()
    except ValueError:
        return case.as_posix()


def recorded_case_dir(report_dir, recorded: str) -> Path:
    """The case folder a manifest's ``case_dir`` names: relative to the report folder (`manifest_case_dir`),
    or absolute (a manifest written before paths were recorded relative)."""
    path = Path(recorded)
    return path if path.is_absolute() else Path(report_dir) / path


def _manifest(config, case_dir: Path, inputs: dict, redact: bool, redactor, epoch: int, view, staging: Path,
              out_dir: Path) -> dict:
    rules = effective_rules(case_dir)
    case_file = config.case_dir / CASE_FILE
    outputs = {}
    for path in sorted(p for p in staging.rglob("*") if p.is_file()):
        rel = path.relative_to(staging).as_posix()
        if rel != MANIFEST:
            outputs[rel] = {"bytes": path.stat().st_size, "sha256": sha256_file(path)}
    flags = view.flags if view.flags is not None else pd.DataFrame()
    manifest = {
        "manifest_version": MANIFEST_VERSION,
        "kind": MANIFEST_KIND,
        "case_id": config.case_id,
        # an anonymised report does not record where its case is: the path could name the child
        "case_dir": None if redact else manifest_case_dir(case_dir, out_dir),
        "options": {"redact": bool(redact)},
        "view": redactor.describe() if redactor is not None and hasattr(redactor, "describe") else {"view": "named"},
        "source_date_epoch": epoch,
        "inputs": inputs,
        "case_config": {"file": CASE_FILE, "sha256": file_sha256(case_file), "values": _case_values(config, redactor)},
        "rules": {"sha256": sha256_bytes(canonical_json(rules).encode("utf-8")), "values": rules},
        "packages": package_versions(),
        "platform": {"system": platform.system(), "machine": platform.machine()},
        "counts": {
            "contacts": int(len(view.timeline)) if view.timeline is not None else 0,
            "flags": int(len(flags)),
            # what the reviewers decided: accepted, added (findings they added), pending, rejected
            "flag_decisions": decision_counts(flags, view.decisions),
            "agencies": int(view.timeline["agency"].nunique()) if view.timeline is not None and len(view.timeline) else 0,
            "decision_problems": int(len(getattr(view, "decision_problems", None) if getattr(view, "decision_problems", None) is not None else ())),
        },
        "outputs": outputs,
    }
    # the decisions carried over from a flag's earlier id (its trigger's contact type is read differently now):
    # recorded only when there are any, so that the manifests of other builds stay as they were
    carried = carried_over(getattr(view, "decision_problems", None))
    if carried:
        manifest["decisions_carried_over"] = carried
    return manifest


def manifest_tables(manifest: dict) -> dict[str, pd.DataFrame]:
    """What a case manifest records, as tables to read (notebook 04): ``inputs`` (file, role, bytes,
    SHA-256), ``rules`` (one row per rule: enabled, severity, failing category, parameters), ``settings``
    (the rules' shared settings), ``packages`` (name, version) and ``counts``. Nothing is cut: the
    manifest.json itself is the complete record."""
    import json

    def compact(value) -> str:
        return json.dumps(value, ensure_ascii=False, sort_keys=True, default=str)

    inputs = pd.DataFrame([{"file": rel, **meta} for rel, meta in sorted(manifest.get("inputs", {}).items())],
                          columns=["file", "role", "bytes", "sha256"])
    values = manifest.get("rules", {}).get("values", {})
    rules = pd.DataFrame([{"rule": rule_id, "enabled": spec.get("enabled"), "severity": spec.get("severity"),
                           "failing_category": spec.get("failing_category"), "params": compact(spec.get("params", {}))}
                          for rule_id, spec in sorted(values.get("rules", {}).items())],
                         columns=["rule", "enabled", "severity", "failing_category", "params"])
    settings = pd.DataFrame([{"setting": key, "value": compact(value)}
                             for key, value in sorted(values.get("settings", {}).items())], columns=["setting", "value"])
    packages = pd.DataFrame(sorted(manifest.get("packages", {}).items()), columns=["package", "version"])
    counts = pd.DataFrame([{"count": key, "value": compact(value) if isinstance(value, dict) else value}
                           for key, value in manifest.get("counts", {}).items()], columns=["count", "value"])
    return {"inputs": inputs, "rules": rules, "settings": settings, "packages": packages, "counts": counts}


# ---------------------------------------------------------------------------------------------------
# Verify
# ---------------------------------------------------------------------------------------------------
@dataclass
class VerifyResult:
    """Per-file comparison of a report against a rebuild, and the causes found for any difference.

    `files` holds (file, status, recorded, rebuilt) hashes; `on_disk` the hash of each file in the
    report folder that no longer matches its recorded hash (edited after the build), which the table
    shows in a column of its own, so that a DIFFERENT row whose recorded and rebuilt hashes agree
    explains itself."""

    files: list[tuple[str, str, str, str]] = field(default_factory=list)  # (file, status, recorded, rebuilt)
    causes: list[str] = field(default_factory=list)
    error: str | None = None
    on_disk: dict[str, str] = field(default_factory=dict)  # file -> SHA-256 in the folder, when edited
    notes: list[str] = field(default_factory=list)  # how a file was compared, when not byte for byte

    @property
    def ok(self) -> bool:
        return self.error is None and all(status == "identical" for _, status, _, _ in self.files)

    def table(self) -> str:
        width = max([len(f) for f, *_ in self.files] + [4])
        header = f"{'file':<{width}}  {'status':<11}  {'recorded':<12}  {'rebuilt':<12}"
        lines = [header + ("  in folder" if self.on_disk else "")]
        for name, status, recorded, rebuilt in self.files:
            line = f"{name:<{width}}  {status:<11}  {recorded[:12]:<12}  {rebuilt[:12]:<12}"
            if self.on_disk:
                line += f"  {self.on_disk.get(name, '')[:12]}"
            lines.append(line.rstrip())
        return "\n".join(lines)


def _flatten(value, prefix: str = "") -> dict[str, object]:
    if isinstance(value, dict):
        out = {}
        for key, item in value.items():
            out.update(_flatten(item, f"{prefix}.{key}" if prefix else str(key)))
        return out
    return {prefix: value}


def _diff_values(recorded: dict, current: dict) -> list[tuple[str, object, object]]:
    a, b = _flatten(recorded or {}), _flatten(current or {})
    return [(key, a.get(key, "(absent)"), b.get(key, "(absent)")) for key in sorted(set(a) | set(b))
            if canonical_json(a.get(key)) != canonical_json(b.get(key))]


def read_manifest(report_dir) -> dict:
    path = Path(report_dir) / MANIFEST
    if not path.is_file():
        if (Path(report_dir) / "case.yml").is_file():  # `review verify my_case`: the case, not its report
            raise VerifyError("no manifest.json in the report folder: this is a case folder (it holds case.yml); "
                              "give the report folder `review build` wrote (reports/<case_id>/ unless --out)",
                              file=report_dir)
        raise VerifyError("no manifest.json in the report folder", file=report_dir)
    try:
        import json

        manifest = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        raise VerifyError(f"unreadable manifest: {exc}", file=path) from None
    if not isinstance(manifest, dict) or "outputs" not in manifest or "case_dir" not in manifest:
        raise VerifyError("not a review manifest (no outputs / case_dir)", file=path)
    return manifest


def verify_report(report_dir, *, case_dir=None, progress: bool = False) -> VerifyResult:
    """Rebuild the report in `report_dir` from its manifest and compare every output by SHA-256.

    The rebuild reads the case folder the manifest records (relative to `report_dir`: `recorded_case_dir`;
    or `case_dir`, which an anonymised report's manifest requires: it records no path), with the same
    options and
    metadata date, into a temporary folder. Each output gets a status: ``identical``, ``DIFFERENT`` (the
    rebuild, or the file in `report_dir`, does not match the recorded hash) or ``missing`` (not in the
    rebuild or not in `report_dir`); outputs the rebuild makes that the manifest does not list are
    ``new``; manifest.json is compared with the rebuild's (``case_dir`` aside), and files in `report_dir` the
    build did not write are ``unexpected`` (`notebooks/` excepted). When the case folder cannot be read or
    the rebuild fails, `error` says so and each output is only checked against its recorded hash (``not
    rebuilt``). Causes are explained: changed, missing or new input files (named), changed rules
    configuration (the changed setting or threshold, named), a changed case.yml and different package
    versions.
    """
    report_dir = Path(report_dir)
    manifest = read_manifest(report_dir)
    result = VerifyResult()
    if case_dir is None and manifest["case_dir"] is None:
        raise VerifyError("this anonymised report does not record its case folder (the path could name the "
                          "child): give it with --case CASE_DIR", file=report_dir)
    case_dir = Path(case_dir) if case_dir is not None else recorded_case_dir(report_dir, manifest["case_dir"])

    # causes first: what differs in what went in
    try:
        config = load_case_config(case_dir)
    except ReviewError as exc:
        result.error = (f"cannot read the case folder {case_dir}: {exc} (nothing was rebuilt; if the case folder "
                        "has moved, give it with --case CASE_DIR)")
        config = None
    redact = bool(manifest.get("options", {}).get("redact"))
    recorded_inputs = manifest.get("inputs", {})
    inputs_at = len(result.causes)  # where the input files' causes go (first), once they are known
    current_inputs = None
    if config is not None:
        # an anonymised manifest records the inputs' paths redacted as the build redacted them, with the
        # names it also learned from the chronologies' text (`Redactor.learn_schools`): the rebuild's
        # manifest names them so (below); redacted with case.yml's names alone, a file could look missing
        # and new at once
        current_inputs = redacted_inputs(case_inputs(config), _redactor(config, redact))
        try:
            rules_now = effective_rules(case_dir)
        except ReviewError as exc:
            rules_now = None
            result.causes.append(f"rules configuration unreadable: {exc}")
        if rules_now is not None:
            for key, before, now in _diff_values(manifest.get("rules", {}).get("values", {}), rules_now):
                result.causes.append(f"rules configuration changed: {key}: {before!r} -> {now!r}")
        if not manifest.get("options", {}).get("redact"):
            for key, before, now in _diff_values(manifest.get("case_config", {}).get("values", {}), config.raw):
                result.causes.append(f"case.yml changed: {key}: {before!r} -> {now!r}")
    for key, before, now in _diff_values(manifest.get("packages", {}), package_versions()):
        result.causes.append(f"package version differs: {key} {before} (manifest) vs {now} (now)")

    # rebuild and compare
    rebuilt: dict[str, str] | None = None
    manifests = None  # (stored, rebuilt) manifest.json, to compare
    if result.error is None:
        with tempfile.TemporaryDirectory(prefix=".review-verify-") as tmp:
            target = Path(tmp) / "report"
            try:
                build_report(case_dir, target, redact=bool(manifest.get("options", {}).get("redact")), progress=progress,
                             source_date_epoch=manifest.get("source_date_epoch"),
                             decisions_as_of=manifest.get("decisions_as_of"))
            except ReviewError as exc:
                result.error = f"the rebuild failed: {exc} (nothing was rebuilt)"
            else:
                rebuilt = {}
                for path in sorted(p for p in target.rglob("*") if p.is_file()):
                    rel = path.relative_to(target).as_posix()
                    if rel != MANIFEST:
                        rebuilt[rel] = sha256_file(path)
                manifests = (report_dir / MANIFEST, target / MANIFEST)
                if redact:
                    current_inputs = _manifest_inputs(target / MANIFEST, current_inputs)
                _compare_manifests(*manifests, result)
    if current_inputs is not None:
        result.causes[inputs_at:inputs_at] = input_causes(recorded_inputs, current_inputs)
    recorded = {rel: meta.get("sha256", "") for rel, meta in manifest["outputs"].items()}
    compare_outputs(report_dir, recorded, rebuilt, result)
    if result.files and not result.ok and not result.causes and result.error is None:
        result.causes.append("no change in inputs, rules or package versions was found: the build may not be deterministic")
    return result


def _manifest_inputs(path: Path, default: dict) -> dict:
    """The ``inputs`` a manifest records (`default` when it cannot be read)."""
    import json

    try:
        inputs = json.loads(path.read_text(encoding="utf-8")).get("inputs")
    except (OSError, ValueError, AttributeError):
        return default
    return inputs if isinstance(inputs, dict) else default


def input_causes(recorded: dict[str, dict], current: dict[str, dict]) -> list[str]:
    """What changed in the input files between a manifest's ``inputs`` (`recorded`) and the case's now
    (`current`), each {path: {role, bytes, sha256}}: "input file changed", "input file missing or no
    longer read" and "new input file", named. A file recorded under one path and found under another
    with the same content (an anonymised path redacted differently: the names the redaction learned from
    the chronologies changed) is the same file, not missing and new: "input file named differently in the
    anonymised view: A is now B (same content, sha256 ...)"."""
    missing = [r for r in sorted(recorded) if (current.get(r) or {}).get("sha256") is None]
    new = [r for r in sorted(current) if r not in recorded and current[r].get("sha256") is not None]
    by_hash: dict[str, list[str]] = {}
    for rel in new:
        by_hash.setdefault(str(current[rel]["sha256"]), []).append(rel)
    same = set()
    renamed = {}  # the path recorded -> the path now, same content
    for rel in missing:
        twins = by_hash.get(str((recorded[rel] or {}).get("sha256")), [])
        if (recorded[rel] or {}).get("sha256") is not None and twins:
            renamed[rel] = twins.pop(0)
            same |= {rel, renamed[rel]}
    causes = []
    for rel in sorted(set(recorded) | set(current)):
        if rel in renamed:
            causes.append(f"input file named differently in the anonymised view: {rel} is now {renamed[rel]} "
                          f"(same content, sha256 {str(recorded[rel]['sha256'])[:12]}: the names the redaction "
                          "learned from the chronologies changed)")
        if rel in same:
            continue
        before, now = recorded.get(rel), current.get(rel)
        if now is None or now.get("sha256") is None:
            causes.append(f"input file missing or no longer read: {rel}")
        elif before is None:
            causes.append(f"new input file: {rel}")
        elif before.get("sha256") != now.get("sha256"):
            causes.append(f"input file changed: {rel} (sha256 {str(before.get('sha256'))[:12]} -> {now['sha256'][:12]})")
    return causes


def _compare_manifests(stored: Path, rebuilt: Path, result: VerifyResult) -> None:
    """Add manifest.json's status: builds are byte-identical, so the stored manifest must equal the
    rebuild's, apart from the case folder's path (the case may have moved: ``--case``)."""
    import json

    before = json.loads(stored.read_text(encoding="utf-8"))
    after = json.loads(rebuilt.read_text(encoding="utf-8"))
    stored_sha, rebuilt_sha = sha256_file(stored), sha256_file(rebuilt)
    paths = before.pop("case_dir", None), after.pop("case_dir", None)
    same = canonical_json(before) == canonical_json(after)
    if stored_sha == rebuilt_sha:
        result.files.append((MANIFEST, "identical", stored_sha, rebuilt_sha))
    else:
        # the rebuild is made in a temporary folder, so the case folder's path relative to the report differs
        # nearly always: the line shows the hashes of what was compared (the manifest without `case_dir`),
        # which agree when the status says identical, and a note says so, with the files' own hashes
        compared = [hashlib.sha256(canonical_json(m).encode("utf-8")).hexdigest() for m in (before, after)]
        result.files.append((MANIFEST, "identical" if same else "DIFFERENT", *compared))
        where = (f"case_dir {paths[0]!r} (report) vs {paths[1]!r} (rebuild)" if paths[0] != paths[1]
                 else "the JSON's layout")
        result.notes.append(f"{MANIFEST} is compared without case_dir (the case folder's path relative to the report "
                            f"folder, which a rebuild in a temporary folder cannot share): the hashes shown are of the "
                            f"rest{', which is identical' if same else ''}; the files differ "
                            f"{'only ' if same else ''}in {where}{'' if same else ' too'} "
                            f"(file sha256 {stored_sha[:12]} in the report, {rebuilt_sha[:12]} rebuilt)")
    if not same:
        # outputs and inputs differ whenever a file does (named on their own lines): name the rest
        changed = [(key, a, b) for key, a, b in _diff_values(before, after)
                   if not key.startswith(("outputs.", "inputs.", "packages."))]
        shown = "; ".join(f"{key}: {a!r} (report) vs {b!r} (rebuild)" for key, a, b in changed[:5])
        more = f"; and {len(changed) - 5} more" if len(changed) > 5 else ""
        if changed:
            result.causes.append(f"manifest.json differs from the rebuild's: {shown}{more}")


def compare_outputs(report_dir: Path, recorded: dict[str, str], rebuilt: dict[str, str] | None,
                    result: VerifyResult) -> None:
    """Add to `result` the status of every output (relative path -> SHA-256) the manifest records or the
    rebuild made: ``identical``, ``DIFFERENT``, ``missing`` or ``new``, with the file in `report_dir`
    checked against the recorded hash too (edited after the build, or gone), and ``unexpected`` for a
    file in `report_dir` that the build did not write (`foreign_files`). `rebuilt` None: nothing could be
    rebuilt, so each file is only checked against its recorded hash (``not rebuilt`` when it matches)."""
    for rel in sorted(set(recorded) | set(rebuilt or {})):
        want, got = recorded.get(rel), (rebuilt or {}).get(rel)
        on_disk = report_dir / rel
        if want is None:
            result.files.append((rel, "new", "", got or ""))
            continue
        if not on_disk.is_file():
            result.files.append((rel, "missing", want, got or ""))
            result.causes.append(f"{rel} is missing from the report folder")
            continue
        in_folder = sha256_file(on_disk)
        edited = in_folder != want
        if edited:
            result.on_disk[rel] = in_folder
            result.causes.append(f"{rel} in the report folder was modified after the build")
        if rebuilt is None:
            result.files.append((rel, "DIFFERENT" if edited else "not rebuilt", want, ""))
        elif got is None:
            result.files.append((rel, "missing", want, ""))
            result.causes.append(f"{rel} was not made by the rebuild")
        else:
            result.files.append((rel, "DIFFERENT" if edited or got != want else "identical", want, got))
    for rel in foreign_files(report_dir, set(recorded) | set(rebuilt or {})):
        result.files.append((rel, "unexpected", "", ""))
        result.causes.append(f"{rel} is in the report folder but the build did not write it")
