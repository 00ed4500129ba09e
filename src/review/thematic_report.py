"""The thematic report of a case store, with a manifest that lets a regulator re-run it and get the same files.

`write_thematic` is what `review thematic` does: every thematic table as csv, every chart, the notes on
how the declarations file was read (assurance_vs_evidence_notes.txt, with declarations), and
``manifest.json`` recording what went in (the store's cases and the inputs each was built from, the
declarations file's SHA-256, the options, the package versions) and the SHA-256 of every output.
`verify_thematic` (`review verify DIR` on such a folder) runs it again into a temporary folder and
compares every output, naming the causes of a difference: cases added, removed or rebuilt from other
inputs, other declarations, other options, other package versions.
"""
from __future__ import annotations

import hashlib
import json
import shutil
import tempfile
from pathlib import Path

import pandas as pd

from .build import (KEPT_BESIDE_REPORT, MANIFEST, VerifyResult, _diff_values, compare_outputs, foreign_files,
                    package_versions)
from .errors import ConfigError, VerifyError

KIND = "thematic"
FIGURE_FORMATS = ("png", "svg")
#: causes listed by name before "and N more"
MAX_NAMED = 10
#: the columns of the store's contacts the thematic tables read
THEMATIC_CONTACT_COLUMNS = ["case_id", "event_id", "date", "date_precision", "agency_kind", "organisation",
                            "contact_type", "child_seen", "source_file",
                            # a visit or an appointment tagged was_not_brought is a missed face-to-face contact
                            # (`review.thematic.missed_face_to_face`)
                            "concerns"]
#: the thematic tables' columns of dates (a case's own days): given to the month with --redact
REDACTED_MONTH_COLUMNS = {"sightings_by_case": ("first_contact", "last_contact", "longest_unseen_from",
                                                "longest_unseen_to")}
#: the assurance part's notes: how the declarations file was read, and what the comparison says
ASSURANCE_NOTES = "assurance_vs_evidence_notes.txt"


def _years_read(declared: pd.DataFrame) -> str:
    """ "years declared: calendar year(s) 2016, 2017 (January - December); financial year(s) 2016/17 (1 April
    - 31 March)": the years as `read_declarations` read them ("2023", or "2023/24" for a financial year
    however written), the first `MAX_NAMED` of each kind."""
    years = sorted({str(y) for y in declared["year"].tolist() if not _is_missing(y)}) if "year" in declared else []
    financial = [y for y in years if "/" in y]
    calendar = [y for y in years if "/" not in y]
    parts = []
    if calendar:
        parts.append(f"calendar year(s) {_named(calendar)} (January - December)")
    if financial:
        parts.append(f"financial year(s) {_named(financial)} (1 April - 31 March)")
    return "years declared: " + ("; ".join(parts) or "none")


def assurance_notes(declared: pd.DataFrame, assurance: pd.DataFrame, *, file_name: str | None = None,
                    redact: bool = False) -> str:
    """The text of `ASSURANCE_NOTES`: how the declarations file was read (the years declared, calendar or
    financial, `_years_read`; `read_declarations`' notes: its year column's convention, "2007/08" or "2008", and the dates read by it; sheets not read; rows
    skipped; declarations repeated), then what `review thematic` says of the comparison
    (`assurance_summary`). `file_name`: the declarations file's name, which a note can quote ("the year
    2008 taken from the file's name 'declarations_2008.csv'"); with `redact` it is not shown (it can
    name the area, as the manifest's path could)."""
    from .thematic import assurance_summary

    notes = [str(n) for n in declared.attrs.get("notes", [])]
    if redact and file_name:
        notes = [n.replace(repr(file_name), "(not shown with --redact)") for n in notes]
    lines = ["Assurance against evidence (assurance_vs_evidence.csv): notes", ""]
    lines.append("How the declarations file was read"
                 + (f" ({file_name})" if file_name and not redact else "") + ":")
    lines.append(f"- {_years_read(declared)}")
    lines += [f"- {n}" for n in notes]
    lines += ["", "What the comparison says:"]
    lines += [f"- {line}" for line in assurance_summary(assurance, shown=MAX_NAMED)]
    return "\n".join(lines) + "\n"


def store_inputs(store_dir: str | Path) -> dict[str, str]:
    """{case id: what the case was built from} for every complete case of the store: its input hash
    (`store.case_input_hash`, over every file of its folder), or for a case written without one
    (`review synth --store`) the part that holds it."""
    from .store import complete_cases

    return {case_id: entry.get("input_hash") or f"part:{entry.get('part', '')}"
            for case_id, entry in sorted(complete_cases(store_dir).items())}


def _digest(inputs: dict[str, str]) -> str:
    return hashlib.sha256("".join(f"{k}\0{v}\n" for k, v in sorted(inputs.items())).encode()).hexdigest()


def case_pseudonyms(inputs: dict[str, str], case_ids=(), *, store_dir: str | Path | None = None) -> dict[str, str]:
    """{case id: "case 01", "case 02", ...} for `review thematic --redact`: case ids can name the child or
    the family ("CSPR-Ashdown-2024").

    With `store_dir` (what `review thematic` gives) the numbers are the store's own and stable: a case's number
    is its place in the order the store first stored each case (its first "complete" line in the store's
    ledger, which is only ever appended to, `stored_case_order`), every case the store has ever held counted,
    so that a case added later (a new one, or one whose build failed until now) takes the next number and
    renumbers none, and a case that fails or is taken out leaves its number unused rather than moving the
    others up (a number missing from a report is a case not counted in it). Within the cases first stored
    together (one part: a build-all batch, a `review synth --store`) the order is drawn from what each was
    first built from (its input hash) and its id, not from the ids' alphabetical order, so a reader who knows
    which cases a review holds cannot tell which is "case 01" (only, from their numbers, which were stored
    later). The numbers are as wide as the largest ("case 07"; "case 107" once a store has held 100 cases and
    more, the others then written "case 007").

    Without `store_dir` (a store without a ledger), the cases of `inputs` (`store_inputs`) are numbered in an
    order drawn from what each was built from and its id: the same store gives the same numbers, but adding a
    case can renumber the others. `case_ids`: ids found in the tables that neither lists (numbered after
    them the same way)."""
    def order(case_id: str, built_from: str) -> str:
        return hashlib.sha256(f"thematic-pseudonym\0{built_from}\0{case_id}".encode()).hexdigest()

    numbers: dict[str, int] = {}
    if store_dir is not None:
        for batch in stored_case_order(store_dir):
            for case_id, _ in sorted(batch, key=lambda item: (order(item[0], item[1]), item[0])):
                numbers.setdefault(case_id, len(numbers) + 1)
    known = sorted((c for c in inputs if c not in numbers), key=lambda c: (order(c, inputs.get(c, "")), c))
    for case_id in known:
        numbers[case_id] = len(numbers) + 1
    extra = sorted({str(c) for c in case_ids if not _is_missing(c)} - set(numbers), key=lambda c: (order(c, ""), c))
    for case_id in extra:
        numbers[case_id] = len(numbers) + 1
    width = max(2, len(str(len(numbers))))
    return {case_id: f"case {n:0{width}d}" for case_id, n in numbers.items()}


def stored_case_order(store_dir: str | Path) -> list[list[tuple[str, str]]]:
    """The cases a store has ever held, in the order it first stored them: a list of batches (the cases whose first
    "complete" line in the ledger names the same part, in the order of those lines), each a list of (case id,
    what it was first built from: its input hash, or for a case written without one the part). The ledger is only
    appended to (a rebuild, a compaction or a failure adds lines), so this order only ever grows at its end."""
    from .store import LEDGER

    path = Path(store_dir) / LEDGER
    batches: dict[str, list[tuple[str, str]]] = {}
    seen: set[str] = set()
    try:
        lines = path.read_text(encoding="utf-8").splitlines()
    except FileNotFoundError:
        return []
    for line in lines:
        try:
            entry = json.loads(line)
        except json.JSONDecodeError:
            continue  # an interrupted append
        if not isinstance(entry, dict) or entry.get("status") != "complete" or "case_id" not in entry:
            continue
        case_id = str(entry["case_id"])
        if case_id in seen:
            continue
        seen.add(case_id)
        part = str(entry.get("part", ""))
        batches.setdefault(part, []).append((case_id, entry.get("input_hash") or f"part:{part}"))
    return list(batches.values())


def _is_missing(value) -> bool:
    return value is None or value is pd.NA or (isinstance(value, float) and value != value)


def _pseudonymised(frame: pd.DataFrame, names: dict[str, str]) -> pd.DataFrame:
    """A copy of `frame` with its case_id column replaced by `names`."""
    if "case_id" not in frame.columns:
        return frame
    out = frame.copy()
    out["case_id"] = out["case_id"].map(lambda c: c if _is_missing(c) else names.get(str(c), str(c))).astype(
        frame["case_id"].dtype if str(frame["case_id"].dtype) != "category" else "string")
    return out


def shown_organisations(cases: pd.DataFrame, names: dict[str, str]) -> dict[tuple[str, str], str]:
    """{(case id, organisation): the name `review thematic --redact` shows} of the organisations a case's
    anonymised view redacts (the store's cases table, its ``organisations_shown``: "Tanner Street Surgery" on the
    family's street): the case's label with the case's pseudonym (`names`), "[surgery] (case 02)", since one
    case's "[surgery]" is not another's. Other organisations keep their names."""
    out = {}
    for case_id, shown in zip(cases["case_id"].astype(str), cases["organisations_shown"].fillna("").astype(str)):
        for name, label in (json.loads(shown) if shown else {}).items():
            out[(case_id, name)] = f"{label} ({names.get(case_id, case_id)})"
    return out


def _redact_organisations(timeline: pd.DataFrame, shown: dict[tuple[str, str], str]) -> pd.DataFrame:
    """`timeline` (real case ids) with each case's organisations as `shown_organisations` gives them."""
    if not shown or "organisation" not in timeline.columns:
        return timeline
    cases = {case_id for case_id, _ in shown}
    rows = timeline["case_id"].astype("string").isin(cases).fillna(False).to_numpy()
    if not rows.any():
        return timeline
    out = timeline.copy()
    pairs = zip(out.loc[rows, "case_id"].astype(str), out.loc[rows, "organisation"].astype(object))
    values = out["organisation"].astype(object).to_numpy(copy=True)
    values[rows] = [shown.get((c, o), o) if isinstance(o, str) else o for c, o in pairs]
    out["organisation"] = pd.array(values, dtype=timeline["organisation"].dtype)
    return out


def _redact_assurance_organisations(assurance: pd.DataFrame, shown: dict[tuple[str, str], str]) -> pd.DataFrame:
    """The assurance table (counted with the names as the cases write them, so that its numbers are the named
    report's) with an organisation some case's anonymised view redacts shown as there ("[surgery] (case 02)"),
    in its columns and in its unmatched names' closest names."""
    from .thematic import organisation_key

    if not shown:
        return assurance
    by_key: dict[str, set[str]] = {}
    for (_, name), label in shown.items():
        by_key.setdefault(organisation_key(name), set()).add(label)

    def show(name):
        labels = by_key.get(organisation_key(name)) if isinstance(name, str) and name else None
        return "; ".join(sorted(labels)) if labels else name

    out = assurance.copy()
    for column in ("organisation", "organisation_in_cases"):
        if column in out.columns:
            out[column] = out[column].map(show, na_action="ignore").astype(assurance[column].dtype)
    out.attrs = dict(assurance.attrs)
    if isinstance(out.attrs.get("unmatched"), dict):
        out.attrs["unmatched"] = {show(k): [show(n) for n in v] if isinstance(v, (list, tuple)) else v
                                  for k, v in out.attrs["unmatched"].items()}
    return out


def thematic_contacts(store_dir: str | Path, stores: dict | None = None) -> pd.DataFrame:
    """The contacts the thematic tables count (`THEMATIC_CONTACT_COLUMNS`), with the timeline's reading of
    whether the child was seen where no Child seen is recorded (child_seen_inferred, by case and event id;
    NA for a case whose timeline was stored before it was read, or not stored: `review synth --store
    --no-analyse`). `stores`: {label: folder} to read several stores as `review.store.read_stores` does
    (then `store_dir` is not read)."""
    from .store import read_store, read_stores, store_tables

    folders = {"": store_dir} if stores is None else stores

    def read(table, columns):
        return read_stores(folders, table, columns=columns) if stores is not None else read_store(store_dir, table,
                                                                                                  columns=columns)

    contacts = read("contacts", THEMATIC_CONTACT_COLUMNS)
    if not all("timeline" in store_tables(folder) for folder in folders.values()):
        return contacts.assign(child_seen_inferred=pd.array([pd.NA] * len(contacts), dtype="boolean"))
    read_rows = read("timeline", ["case_id", "event_id", "child_seen_inferred"]).drop_duplicates(["case_id", "event_id"])
    out = contacts.merge(read_rows, on=["case_id", "event_id"], how="left", validate="many_to_one")
    out["child_seen_inferred"] = out["child_seen_inferred"].astype("boolean")
    out.index = contacts.index
    return out


def _to_month(table: pd.DataFrame, columns) -> pd.DataFrame:
    """`table` with each of `columns` (dates) written "YYYY-MM" (NA stays NA)."""
    out = table.copy()
    for column in columns:
        if column in out.columns:
            out[column] = pd.to_datetime(out[column]).dt.strftime("%Y-%m").astype("string")
    return out


def _inert(table: pd.DataFrame) -> pd.DataFrame:
    """The table with every text cell (and header) that a spreadsheet could run as a formula made inert
    (organisation names and declarations come from outside: OWASP CSV injection)."""
    from .export import inert

    out = table.copy()
    for column in out.columns:
        if out[column].dtype == object or str(out[column].dtype).startswith("string"):
            out[column] = out[column].map(inert, na_action="ignore")
    out.columns = [inert(str(c)) for c in out.columns]
    return out


def write_thematic(store_dir: str | Path, out_dir: str | Path, *, declarations: str | Path | None = None,
                   threshold: float = 1.0, include_rejected: bool = False,
                   formats: tuple[str, ...] | list[str] = FIGURE_FORMATS, redact: bool = False,
                   min_contacts: int | None = None) -> dict:
    """Write the thematic tables (csv) and charts of the store's complete cases to `out_dir`, and its
    manifest.json; return a summary (cases, no_contacts, contacts, flags (counted), rejected,
    unknown_contact, tables, figures, assurance, declarations, manifest, kept, failed: the case ids
    whose last build failed, interrupted: those a run was writing when it stopped; neither is counted).

    The report is written into a new folder beside `out_dir` and swapped in when complete (as `review
    build` publishes a case's report): a run that fails leaves the previous report as it was, and no
    file of an earlier run with other options survives beside the new ones. Any other file in the folder
    (the user's notes) is kept, as `review build` keeps it, and returned in ``kept``; `review verify`
    lists it as unexpected and fails until it is moved out, as for a case report. `out_dir` must be
    empty (or hold only `review notebooks`' notebooks/), missing or a thematic report. Raises the errors of `read_declarations` and of `read_store`, and
    ConfigError for an unknown figure format, a threshold that is not a finite number at least 0 or a
    minimum number of contacts that is not a whole number at least 1, before anything is written.

    `min_contacts`: the fewest contacts a rate per 100 contacts is given over (default
    `review.thematic.MIN_CONTACTS_FOR_RATE`); a row with fewer keeps its counts, has no rate, says "too few
    contacts for a rate" and is not drawn in the rate charts. Recorded in the manifest's options.

    `redact`: case ids replaced by "case 01", "case 02", ... (`case_pseudonyms`) in every table, chart
    and the manifest (its inputs are listed under the pseudonyms; it records no path of the store or of
    the declarations file, which can name the cases or the area: `review verify` is given them), and in
    the summary returned
    (``no_contacts``; ``failed`` and ``interrupted``, not in the store's complete cases, are left out:
    their count is ``failed_count`` and ``interrupted_count``). Organisation names and agency kinds stay:
    they are what a thematic review compares; but an organisation built on a family's street or name is
    shown as that case's anonymised report shows it, with the case's pseudonym ("[surgery] (case 02)",
    `shown_organisations`), in every table and chart; the assurance comparison is counted with the names as
    the cases write them."""
    import matplotlib.pyplot as plt

    from .build import _publish
    from .config import file_sha256
    from .export import _SAVE_METADATA, save_figure, sha256_bytes
    from .store import failures_table, read_ledger, read_store
    from .thematic import (MIN_CONTACTS_FOR_RATE, assurance_vs_evidence, check_min_contacts, check_threshold,
                           counted_flags, organisations_apart_notes, read_declarations, rounded_for_csv,
                           thematic_figures, thematic_tables)

    store_dir, out = Path(store_dir), Path(out_dir)
    unknown = [f for f in formats if f not in _SAVE_METADATA]
    if unknown or not formats:
        raise ConfigError(f"unsupported figure format(s) {', '.join(map(repr, unknown)) or '(none given)'}: "
                          f"use {', '.join(_SAVE_METADATA)}")
    try:
        threshold = check_threshold(threshold)
        min_contacts = check_min_contacts(MIN_CONTACTS_FOR_RATE if min_contacts is None else min_contacts)
    except ValueError as exc:
        raise ConfigError(str(exc)) from None
    previous = _check_thematic_out(out, store_dir)
    declared = read_declarations(declarations) if declarations else None  # fail early
    inputs = store_inputs(store_dir)
    timeline = thematic_contacts(store_dir)
    flags = read_store(store_dir, "flags")
    latency = read_store(store_dir, "response_latency")
    case_table = read_store(store_dir, "cases", columns=["case_id", "date_of_death"])
    case_ids = case_table["case_id"]
    names = {}
    named_timeline = None  # (with --redact: the organisations as the cases write them, for the assurance counts)
    organisations = {}
    if redact:  # before any table is made: their order (ties broken by case id) must not follow the real ids
        seen = pd.concat([frame["case_id"].astype("string") for frame in (timeline, flags, latency)
                          if "case_id" in frame.columns] + [case_ids.astype("string")])
        names = case_pseudonyms(inputs, seen.dropna().unique(), store_dir=store_dir)
        # each case's organisations built on the family's street or names, as its anonymised report shows them
        organisations = shown_organisations(read_store(store_dir, "cases", columns=["case_id", "organisations_shown"]),
                                            names)
        if organisations:
            named_timeline = _pseudonymised(timeline, names)
            timeline = _redact_organisations(timeline, organisations)
        timeline, flags, latency = (_pseudonymised(f, names) for f in (timeline, flags, latency))
        case_ids = case_ids.astype("string").map(lambda c: names.get(c, c) if isinstance(c, str) else c)
        inputs = {names.get(c, c): v for c, v in inputs.items()}
    # each case's date of death: no period unseen runs past it (`sightings_by_case`)
    deaths = pd.Series(pd.to_datetime(case_table["date_of_death"]).to_numpy(dtype="datetime64[ns]"),
                       index=case_ids.astype("string").to_numpy())
    counted = counted_flags(flags, include_rejected, timeline)
    tables = thematic_tables(flags, timeline, latency, include_rejected=include_rejected, cases=case_ids,
                             min_contacts=min_contacts, deaths=deaths)
    if redact:  # a case's own dates (its first and last contacts) could tell which case is which: to the month
        for name, date_columns in REDACTED_MONTH_COLUMNS.items():
            if name in tables:
                tables[name] = _to_month(tables[name], date_columns)
    assurance = None
    if declared is not None:
        assurance = assurance_vs_evidence(declared, flags, timeline if named_timeline is None else named_timeline,
                                          threshold_per_100=threshold, include_rejected=include_rejected,
                                          min_contacts=min_contacts)
        assurance = _redact_assurance_organisations(assurance, organisations)
        tables["assurance_vs_evidence"] = assurance
    out.parent.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=f".{out.name}.building-", dir=out.parent))
    try:
        written = []
        for name, table in tables.items():
            path = staging / f"{name}.csv"
            _inert(rounded_for_csv(table)).to_csv(path, index=False)  # rates to 1 place, shares to 3 (42.7%)
            written.append(path)
        if assurance is not None:  # how the declarations were read: in the report, not only on the console
            path = staging / ASSURANCE_NOTES
            path.write_text(assurance_notes(declared, assurance, file_name=Path(declarations).name, redact=redact),
                            encoding="utf-8", newline="\n")
            written.append(path)
        figures = thematic_figures(tables, latency, assurance, min_contacts=min_contacts)
        for name, fig in figures.items():
            written += save_figure(fig, name, staging, list(formats))
            plt.close(fig)
        manifest = {
            "kind": KIND,
            # with `redact` no path: a store's or a declarations file's path can name the cases or the area
            # ("/reviews/eastborough/cspr-ashdown/store"); `review verify` is then given them
            "store": {"path": None if redact else store_dir.resolve().as_posix(), "cases": len(inputs),
                      "digest": _digest(inputs), "inputs": inputs},
            "declarations": None if declarations is None else {
                "path": None if redact else Path(declarations).resolve().as_posix(),
                "sha256": file_sha256(declarations)},
            "options": {"threshold": float(threshold), "include_rejected": bool(include_rejected),
                        "formats": list(formats), "min_contacts": int(min_contacts),
                        **({"redact": True} if redact else {})},
            "packages": package_versions(),
            "outputs": {p.name: sha256_bytes(p.read_bytes()) for p in sorted(written)},
        }
        (staging / MANIFEST).write_text(json.dumps(manifest, indent=2, sort_keys=True) + "\n", encoding="utf-8")
        _publish(staging, out, previous, report_files=thematic_file_names())
    finally:
        shutil.rmtree(staging, ignore_errors=True)
    failed = failures_table(store_dir)["case_id"].astype(str).tolist()
    interrupted = sorted(c for c, e in read_ledger(store_dir).items() if e.get("status") == "writing")
    with_contacts = set(timeline["case_id"].astype(str).unique())
    all_cases = sorted(set(case_ids.astype(str)) | with_contacts)
    return {"cases": len(all_cases), "no_contacts": [c for c in all_cases if c not in with_contacts],
            "contacts": len(timeline), "flags": len(counted), "rejected": counted.attrs["rejected"],
            "unknown_contact": counted.attrs["unknown_contact"], "tables": tables, "figures": list(figures),
            "assurance": assurance, "declarations": declared, "manifest": manifest,
            "kept": foreign_files(out, manifest["outputs"]),
            # cases whose last build failed: not counted, and named (a thematic total that silently
            # left out a case the last build-all could not read would look complete)
            "failed": failed if not redact else [],
            # cases a run was writing when it stopped (killed, or still running): not counted either
            "interrupted": interrupted if not redact else [],
            "failed_count": len(failed), "interrupted_count": len(interrupted), "redact": bool(redact),
            "min_contacts": int(min_contacts),
            # organisations named only by a generic agency word ("gp" of gp.xlsx), kept apart per case
            "organisations_apart": organisations_apart_notes(
                tables["flags_by_organisation"].attrs.get("organisations_apart", []), redact=redact)}


def thematic_file_names() -> set[str]:
    """Every file `write_thematic` can write, in every figure format: on a rebuild these are dropped from
    the previous report whether or not its manifest lists them (a report written before manifests
    listed every output, or with other `--formats`); any other file in the folder is the user's and is
    kept, as `review build` keeps it."""
    from .export import _SAVE_METADATA
    from .thematic import FLAG_GROUPINGS

    stems = [f"flags_by_{by}" for by in FLAG_GROUPINGS]
    stems += ["latency_by_agency_kind", "cases_ranked", "sightings_by_agency_kind", "sightings_by_case",
              "assurance_vs_evidence"]
    return {MANIFEST, ASSURANCE_NOTES} | {f"{stem}.{suffix}" for stem in stems for suffix in ("csv", *_SAVE_METADATA)}


def _check_thematic_out(out: Path, store_dir: Path) -> dict | None:
    """Refuse an output folder the report would wrongly replace: the store (or a folder holding it), or
    a folder that is not a thematic report and not empty. Return the previous report's manifest (None
    for a new or empty folder)."""
    resolved, store = out.resolve(), store_dir.resolve()
    if resolved == store or resolved in store.parents:
        raise ConfigError("the output folder must not be (or contain) the store", file=out)
    if out.exists() and not out.is_dir():
        raise ConfigError("the output path exists and is not a folder", file=out)
    # as `review build` judges its --out: a folder holding only what `review notebooks` writes beside a
    # report (notebooks/, e.g. `--only 05_thematic_review`) is an empty one
    if not out.is_dir() or not any(p.name not in KEPT_BESIDE_REPORT for p in out.iterdir()):
        return None
    if not is_thematic(out):
        raise ConfigError("the output folder exists and is not a thematic report (no thematic manifest.json); "
                          "refusing to replace it", file=out)
    return json.loads((out / MANIFEST).read_text(encoding="utf-8"))


def is_thematic(report_dir: str | Path) -> bool:
    """Whether `report_dir` holds a thematic report's manifest (not a case report's)."""
    try:
        return json.loads((Path(report_dir) / MANIFEST).read_text(encoding="utf-8")).get("kind") == KIND
    except (OSError, ValueError, AttributeError):
        return False


def _named(ids: list[str]) -> str:
    shown = ", ".join(ids[:MAX_NAMED])
    return shown + (f" and {len(ids) - MAX_NAMED} more" if len(ids) > MAX_NAMED else "")


def verify_thematic(report_dir: str | Path, *, store_dir: str | Path | None = None,
                    declarations: str | Path | None = None) -> VerifyResult:
    """Run the thematic report recorded in `report_dir`'s manifest again (from the store and
    declarations it records, or those given) into a temporary folder, and compare every output by
    SHA-256, as `build.verify_report` does for a case's report; the causes name the cases added,
    removed or rebuilt from other inputs since, other declarations and other package versions."""
    from .config import file_sha256
    from .store import LEDGER

    report_dir = Path(report_dir)
    try:
        manifest = json.loads((report_dir / MANIFEST).read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise VerifyError("no manifest.json in the report folder", file=report_dir) from None
    except (OSError, ValueError) as exc:
        raise VerifyError(f"unreadable manifest: {exc}", file=report_dir / MANIFEST) from None
    if not isinstance(manifest, dict) or manifest.get("kind") != KIND or "outputs" not in manifest:
        raise VerifyError("not a thematic report's manifest", file=report_dir / MANIFEST)
    result = VerifyResult()
    recorded_store = (manifest.get("store") or {}).get("path")
    store = Path(store_dir) if store_dir is not None else (Path(recorded_store) if recorded_store else None)
    recorded_declarations = manifest.get("declarations")
    if declarations is None and recorded_declarations:
        declarations = recorded_declarations.get("path")

    # causes first: what differs in what went in
    if store is None:  # a redacted report's manifest records no paths
        result.error = "the manifest does not record the store's path (a --redact report): give it with --store"
    elif not (store / LEDGER).exists():
        result.error = f"the store {store} is not there (give it with --store)"
    else:
        before, now = manifest["store"].get("inputs", {}), store_inputs(store)
        if manifest.get("options", {}).get("redact"):  # the manifest lists the cases under their pseudonyms
            now = {case_pseudonyms(now, store_dir=store).get(c, c): v for c, v in now.items()}
        added = sorted(set(now) - set(before))
        removed = sorted(set(before) - set(now))
        changed = sorted(c for c in set(before) & set(now) if before[c] != now[c])
        if added:
            result.causes.append(f"{len(added)} case(s) in the store that were not: {_named(added)}")
        if removed:
            result.causes.append(f"{len(removed)} case(s) no longer in the store: {_named(removed)}")
        if changed:
            result.causes.append(f"{len(changed)} case(s) rebuilt from other inputs: {_named(changed)}")
    if recorded_declarations and declarations is None:
        result.error = result.error or ("the manifest does not record the declarations file's path (a --redact "
                                        "report): give it with --declarations")
    if recorded_declarations and declarations is not None:
        path = Path(declarations)
        if not path.is_file():
            result.error = result.error or f"the declarations file {path} is not there (give it with --declarations)"
        elif file_sha256(path) != recorded_declarations["sha256"]:
            result.causes.append(f"the declarations file changed: {path}")
    for key, was, now in _diff_values(manifest.get("packages", {}), package_versions()):
        result.causes.append(f"package version differs: {key} {was} (manifest) vs {now} (now)")
    rebuilt: dict[str, str] | None = None  # None: not run again, each output only checked against its hash
    if not result.error:
        options = manifest.get("options", {})
        with tempfile.TemporaryDirectory(prefix="review-verify-") as tmp:
            write_thematic(store, tmp, declarations=declarations if recorded_declarations else None,
                           threshold=options.get("threshold", 1.0),
                           include_rejected=options.get("include_rejected", False),
                           formats=tuple(options.get("formats", FIGURE_FORMATS)),
                           redact=bool(options.get("redact", False)),
                           # a report written before the option: its rates had no minimum
                           min_contacts=options.get("min_contacts", 1))
            rebuilt = json.loads((Path(tmp) / MANIFEST).read_text(encoding="utf-8"))["outputs"]
    # also names, once each, every file in the folder the manifest does not list (`foreign_files`)
    compare_outputs(report_dir, manifest["outputs"], rebuilt, result)
    return result
