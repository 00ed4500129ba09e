"""The case store: many cases' tables in Parquet, built case by case, resumable, with a ledger.

Layout of a store folder::

    ledger.jsonl                 one JSON line per event, appended: a case is complete when its last
                                 line says "complete" (with its input hash and the part that holds it)
    <table>/<part>.parquet       contacts, timeline, flags, response_latency, cases, ingest, rejections,
                                 decisions (every row of the case's decisions.csv), (synthetic stores)
                                 ground_truth; every table has a case_id column
    failures.csv                 cases that could not be built: case, file, error (rewritten each run)
    .lock                        held while a process writes the store (`store_lock`)
    .staging/                    parts written but not yet moved in (removed when the write ends)

A part holds whole cases, so that a Dask partition never splits a case: the cases built of a run of
32 case folders (``batch-<first id>-<hash>``; ``case-<id>`` when it holds one; which folders go together
depends on the cases folder alone, not on the worker count or on a run being resumed, so that the same
inputs give the same files byte for byte: `_part_chunks`), a generated part
(``part-00000``) or a compacted one (``compact-<first id>-<hash>``, `compact_store`). A case rebuilt
alone (its inputs changed) moves to a part of its own; its old rows stay in the part it was in, and
readers skip them (`stale_cases`) until compaction rewrites that part, or `build_all` removes it once
no case is read from it.

A part's contacts are stored in chronology order (`review.timeline.sort_contacts`): the store is written
once and analysed many times, and a timeline built from contacts already in order skips its reordering
copy of every column (~0.25-1 s at 1M contacts). A case is written atomically: its tables go to a
staging folder (by the worker processes of `build_all`), a "writing" line is appended to the ledger,
the files are renamed into place, and only then is the "complete" line appended. An interrupted run
therefore never shows a half-written case (readers only read complete cases) and never duplicates one
(a case always goes to the same file names, replaced on re-run). Compaction, which moves cases unchanged,
writes "moving" lines instead: a case stays complete in its old part until its "complete" line in the
new one, so a compaction killed at any moment loses no case.

One process writes a store at a time: `build_all`, `compact_store`, `write_store_from_synth` and
`write_part` hold the store's lock (`store_lock`) while they write, and a second writer is refused with
an error naming the process that holds it. The operating system releases the lock when that process
ends, however it ends, so a killed run leaves no stale lock; what it staged is removed by the next
writer. Readers take no lock.
"""
from __future__ import annotations

import datetime as dt
import hashlib
import json
import os
import re
import shutil
import socket
import time
import traceback
import uuid
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field, replace
from functools import partial
from pathlib import Path

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq

from . import __version__
from .config import CASE_FILE, code_fingerprint, file_sha256
from .decisions import DECISION_COLUMNS, PROBLEM_COLUMNS
from .errors import ReviewError
from .schema import CONTACT_COLUMNS, FLAG_COLUMNS, RESPONSE_LATENCY_COLUMNS, TIMELINE_COLUMNS, conform

LEDGER = "ledger.jsonl"
#: the ledger status of a case being moved unchanged into a compacted part (`commit_part`)
MOVING = "moving"
FAILURES = "failures.csv"
STORE_FORMAT = "review-store/1"
CASE_TABLE_COLUMNS = {"case_id": "string", "date_of_birth": "datetime64[ns]", "mobile_from": "datetime64[ns]",
                      "review_date": "datetime64[ns]", "date_of_death": "datetime64[ns]",
                      # what the case was analysed with, so that the store can be analysed again the same
                      # way (the Dask path): the rules in force (JSON, rules.yml merged) and the timeline
                      # options of its case.yml (JSON); empty in stores written before they were kept;
                      # and its own vocab.yml (JSON, "" for none), whose negation cues and denial words
                      # the rules read its texts with; empty (the package vocabulary) in older stores
                      "rules": "string", "timeline_options": "string", "vocab": "string",
                      # the child's given name alone (case.yml child_name's first word, never the full
                      # name), which the sightings reading takes as "child" ("Maisie seen"): a case analysed
                      # again from the store reads its texts as its own build did; empty in older stores
                      "child_given_name": "string",
                      # case.yml child_sex ("female", "male"; empty: not given or an older store), which
                      # self_harm_not_referred reads ("Mum says she self-harmed" in a girl of 8 to 17)
                      "child_sex": "string",
                      # (s18) the case's adults as the readings take them from case.yml people: each one's given
                      # name alone and role, as case.yml gives them (JSON {"Sian": "Mother"}, `people_json`;
                      # never a surname, nor a child's or another person's entry); self_harm_not_referred
                      # ("Sian says she self-harmed") and the mobility reading ("Sian says she is walking")
                      # read them; empty: none named, or an older store
                      "people": "string",
                      # the case's organisations built on the family's street or names, as its anonymised view
                      # shows them (JSON {name: shown}, `review.redact.organisations_shown`; "" for none or an
                      # older store): what `review thematic --redact` shows of them
                      "organisations_shown": "string",
                      # (s19) whether case.yml states the child's additional needs (`additional_needs`: a disabled
                      # child, or one with additional health needs), never what they are: was_not_brought's lower
                      # threshold across health agencies; empty in older stores (read as not stated)
                      "additional_needs": "boolean",
                      # (s21) case.yml `looked_after` periods (JSON, `looked_after_json`: each period's from, to,
                      # placing_authority, placement, placed_at, long_term; "" for none or an older store):
                      # lac_visits_overdue, child_not_seen's residential placements and the looked-after child's
                      # expected sharing with the placing authority (neglect, self-harm, injury, exploitation,
                      # sexual harm) read them as the case's build did
                      "looked_after": "string"}
#: the ingest report of each case, one row per file and sheet (IngestReport.to_frame)
INGEST_TABLE_COLUMNS = {"case_id": "string", "file": "string", "sheet": "string", "hidden": "boolean",
                        "header_row": "Int64", "rows_read": "Int64", "rows_accepted": "Int64",
                        "rows_rejected": "Int64", "rows_skipped": "Int64", "notes": "string"}
#: every rejected row and row warning of each case (IngestReport.rejections_frame); row and column are
#: empty (NA, "") for a sheet-level warning
REJECTION_TABLE_COLUMNS = {"case_id": "string", "file": "string", "sheet": "string", "row": "Int64",
                           "column": "string", "kind": "string", "reason": "string"}
#: column contracts of the stored tables (case_id first everywhere)
CONTRACTS: dict[str, dict[str, str]] = {
    "contacts": CONTACT_COLUMNS,
    "timeline": TIMELINE_COLUMNS,
    "flags": {"case_id": "string", **FLAG_COLUMNS},
    "response_latency": {"case_id": "string", **RESPONSE_LATENCY_COLUMNS},
    "cases": CASE_TABLE_COLUMNS,
    "ingest": INGEST_TABLE_COLUMNS,
    "rejections": REJECTION_TABLE_COLUMNS,
    # every row of the case's decisions.csv (the history; `current` marks the decision in force), so
    # that the store keeps the reviewers' decisions with the case and Dask can apply them as build-all did
    "decisions": {"case_id": "string", **DECISION_COLUMNS},
    # the problems found with those decisions (`review.decisions.load_decisions`: a decision on a flag the
    # rules no longer raise, an added finding naming a contact the case does not have), as `review build`
    # lists them; empty in stores written before they were kept
    "decision_problems": {"case_id": "string", **PROBLEM_COLUMNS},
}
FAILURE_COLUMNS = ["case", "case_id", "file", "error", "stage", "time"]


class StoreError(ReviewError):
    """A store folder is missing, unreadable or not a store."""

    exit_code = 2


class StoreBusyError(StoreError):
    """Another process is writing the store (it holds the store's lock): try again when it has finished."""

    exit_code = 6


# ---------------------------------------------------------------------------------------------------
# One writer at a time
# ---------------------------------------------------------------------------------------------------
LOCK = ".lock"
STAGING = ".staging"

#: stores whose lock this process holds: resolved path -> [open lock file, depth]. The lock is
#: re-entrant within a process (`build_all` writes through `write_part`'s primitives, the synthetic
#: store through `write_part` itself); an OS lock taken twice by one process would refuse itself.
_HELD: dict[str, list] = {}


@contextmanager
def store_lock(store_dir: str | Path, action: str) -> Iterator[None]:
    """Hold the store's write lock while the block runs; `StoreBusyError` at once when another process
    holds it (naming that process: its id, host, command and since when).

    An advisory OS lock on ``<store>/.lock`` (``flock``; ``msvcrt.locking`` on Windows): the system drops
    it when the holder's process ends, killed or not, so no stale lock needs clearing. Taking the lock
    (not re-entering it) also removes what a killed writer left in ``.staging``: with the lock held, no
    other writer can be using it. On a network file system the lock is only as good as the file
    system's support for it.
    """
    store_dir = Path(store_dir)
    key = str(store_dir.resolve())
    held = _HELD.get(key)
    if held is not None:
        held[1] += 1
        try:
            yield
        finally:
            held[1] -= 1
        return
    path = store_dir / LOCK
    try:
        fh = open(path, "a+", encoding="utf-8")
    except OSError as exc:
        raise StoreError(f"cannot write to the store: {exc.strerror or exc}", file=store_dir) from None
    try:
        if not _os_lock(fh):
            try:
                fh.seek(0)
                holder = _describe_holder(fh.read())
            except OSError:  # Windows: the holder's locked byte cannot be read
                holder = _describe_holder("")
            raise StoreBusyError(
                f"the store is being written by another process ({holder}); wait for it to finish and run "
                f"{action} again", file=store_dir)
        fh.seek(0)
        fh.truncate()
        fh.write(json.dumps({"pid": os.getpid(), "host": socket.gethostname(), "action": action,
                             "since": _now()}, sort_keys=True) + "\n")
        fh.flush()
        _HELD[key] = [fh, 1]
        try:
            _clear_staging(store_dir)
            yield
        finally:
            del _HELD[key]
            fh.seek(0)
            fh.truncate()
            fh.flush()
            _os_unlock(fh)
    finally:
        fh.close()


def _os_lock(fh) -> bool:
    """Take an exclusive lock on the open file without waiting; False when another process holds it."""
    try:
        import fcntl
    except ImportError:  # Windows
        import msvcrt

        fh.seek(0)
        try:
            msvcrt.locking(fh.fileno(), msvcrt.LK_NBLCK, 1)
        except OSError:
            return False
        return True
    try:
        fcntl.flock(fh.fileno(), fcntl.LOCK_EX | fcntl.LOCK_NB)
    except BlockingIOError:
        return False
    return True


def _os_unlock(fh) -> None:
    try:
        import fcntl
    except ImportError:
        import msvcrt

        fh.seek(0)
        msvcrt.locking(fh.fileno(), msvcrt.LK_UNLCK, 1)
        return
    fcntl.flock(fh.fileno(), fcntl.LOCK_UN)


def _describe_holder(text: str) -> str:
    try:
        holder = json.loads(text)
        return (f"{holder['action']}, process {holder['pid']} on {holder['host']}, since {holder['since']}")
    except (ValueError, KeyError, TypeError):
        return "a process that has not said which"


def _clear_staging(store_dir: Path) -> None:
    """Remove what writers killed before they could clean up left in the staging folder (the caller
    holds the lock: nothing there is in use)."""
    staging = store_dir / STAGING
    if staging.is_dir():
        for leftover in staging.iterdir():
            if leftover.is_dir() and not leftover.is_symlink():
                shutil.rmtree(leftover, ignore_errors=True)
            else:
                leftover.unlink(missing_ok=True)
        _remove_if_empty(staging)


# ---------------------------------------------------------------------------------------------------
# The ledger
# ---------------------------------------------------------------------------------------------------
def _now() -> str:
    return dt.datetime.now(dt.timezone.utc).isoformat(timespec="seconds")


def _append_ledger(store_dir: Path, entry: dict) -> None:
    """Append one line and flush it to disk: the line is the commit point of a case."""
    line = json.dumps(entry, sort_keys=True, default=str) + "\n"
    with open(store_dir / LEDGER, "a", encoding="utf-8") as fh:
        fh.write(line)
        fh.flush()
        os.fsync(fh.fileno())


def read_ledger(store_dir: str | Path) -> dict[str, dict]:
    """The latest ledger entry of every case (a torn last line from a crash is ignored)."""
    return dict(_parsed_ledger(store_dir)[0])


#: resolved ledger path -> ((size, mtime), (latest entry per case, cases ever written into each part)); the
#: ledger is only appended to, so an unchanged size and time mean unchanged content. A store of 10,000
#: cases has a ledger of 20,000 lines (~60 ms to parse), and one read of a table looks at it several times.
_LEDGERS: dict[str, tuple[tuple[int, int], tuple[dict, dict]]] = {}


def _parsed_ledger(store_dir: str | Path) -> tuple[dict[str, dict], dict[str, set[str]]]:
    """(latest entry of every case, {part: case ids ever written into it}), parsed once per
    version of the ledger file. Callers must not change what it returns."""
    path = Path(store_dir) / LEDGER
    try:
        stat = path.stat()
    except FileNotFoundError:
        return {}, {}
    key, version = str(path.resolve()), (stat.st_size, stat.st_mtime_ns)
    cached = _LEDGERS.get(key)
    if cached is not None and cached[0] == version:
        return cached[1]
    state: dict[str, dict] = {}
    ever: dict[str, set[str]] = {}
    with open(path, encoding="utf-8") as fh:
        for line in fh:
            try:
                entry = json.loads(line)
            except json.JSONDecodeError:
                continue  # an interrupted append
            if isinstance(entry, dict) and "case_id" in entry:
                # "writing" and "moving" too: a run killed after renaming a part into place, before every
                # one of its cases' "complete" lines, leaves rows in it of cases read from another part
                if entry.get("status") in ("complete", "writing", MOVING) and entry.get("part"):
                    ever.setdefault(str(entry["part"]), set()).add(str(entry["case_id"]))
                if entry.get("status") == MOVING:
                    continue  # compaction: the case is read from where it was until its "complete" line
                state[str(entry["case_id"])] = entry
    if len(_LEDGERS) > 16:
        _LEDGERS.clear()
    _LEDGERS[key] = (version, (state, ever))
    return state, ever


def complete_cases(store_dir: str | Path) -> dict[str, dict]:
    return _complete(_parsed_ledger(store_dir)[0])


def _complete(state: dict[str, dict]) -> dict[str, dict]:
    return {k: v for k, v in state.items() if v.get("status") == "complete"}


def stale_cases(store_dir: str | Path) -> dict[str, set[str]]:
    """{part: the case ids whose rows in that part are not current}, for the parts that hold any.

    A case is stored again in a part of its own when it is rebuilt (its inputs changed); the part it
    was in before may hold other cases too (`compact_store`), so it is kept, with the case's old rows
    still in it. Readers drop those rows (`read_store`, the Dask reader); `compact_store` rewrites such
    parts without them."""
    return _stale(*_parsed_ledger(store_dir))


def _stale(state: dict[str, dict], ever: dict[str, set[str]]) -> dict[str, set[str]]:
    current = {case_id: entry["part"] for case_id, entry in state.items() if entry.get("status") == "complete"}
    out = {}
    for part, case_ids in ever.items():
        stale = {c for c in case_ids if current.get(c) != part}
        if stale and any(current.get(c) == part for c in case_ids):  # a part no case is in is not read
            out[part] = stale
    return out


# ---------------------------------------------------------------------------------------------------
# Writing a part atomically
# ---------------------------------------------------------------------------------------------------
_SAFE = re.compile(r"[^A-Za-z0-9_.-]+")


def part_name_for_case(case_id: str) -> str:
    """A file name for a one-case part: readable, and unique even when case ids differ only in symbols."""
    slug = _SAFE.sub("_", case_id).strip("._")[:60] or "case"
    if slug != case_id:
        slug += "-" + hashlib.sha1(case_id.encode()).hexdigest()[:8]
    return f"case-{slug}"


def part_name_for_cases(case_ids: list[str]) -> str:
    """The name of the part a `build_all` task stores its cases in: `part_name_for_case` for one case;
    for several, ``batch-<first case>-<hash of the case ids>``, so that parts sort in case order and the
    same cases always go to the same name."""
    if len(case_ids) == 1:
        return part_name_for_case(case_ids[0])
    slug = _SAFE.sub("_", case_ids[0]).strip("._")[:40] or "case"
    return f"batch-{slug}-" + hashlib.sha1("\n".join(case_ids).encode()).hexdigest()[:12]


def _to_arrow(frame: pd.DataFrame) -> pa.Table:
    return pa.Table.from_pandas(frame.reset_index(drop=True), preserve_index=False)


def write_part(store_dir: str | Path, part: str, tables: dict[str, pd.DataFrame], case_ids: Iterable[str],
               meta: dict | None = None) -> None:
    """Write the tables of one part (one or many whole cases) atomically and mark its cases complete,
    holding the store's lock (`store_lock`)."""
    Path(store_dir).mkdir(parents=True, exist_ok=True)
    with store_lock(store_dir, "write_part"):
        commit_part(store_dir, stage_part(store_dir, part, tables), case_ids, meta)


@dataclass(frozen=True)
class StagedPart:
    """A part's tables written as Parquet into the store's staging folder, not yet in the store
    (`stage_part`); `commit_part` moves them in."""

    path: Path
    part: str
    tables: tuple[str, ...]
    case_ids: tuple[str, ...] = ()  # the cases it holds (build_all)


@dataclass(frozen=True)
class CaseNotes:
    """What `build_all` reports about a case it built, besides that it was built: its accepted contacts,
    its rejected rows, and the problems with its reviewers' decisions ((row, flag_id, problem) each)."""

    contacts: int = 0
    rejected_rows: int = 0
    decision_problems: tuple[tuple, ...] = ()

    @classmethod
    def of(cls, tables: dict[str, pd.DataFrame]) -> CaseNotes:
        ingest = tables.get("ingest")
        problems = tables.get("decision_problems")
        rejected = 0
        if ingest is not None and "rows_rejected" in ingest:
            rejected = int(pd.to_numeric(ingest["rows_rejected"]).fillna(0).sum())
        listed = ()
        if problems is not None and len(problems):  # a decisions file is small: a row per reviewer act
            listed = tuple((None if pd.isna(row) else int(row), str(flag_id), str(problem))
                           for row, flag_id, problem in zip(problems["row"], problems["flag_id"], problems["problem"]))
        return cls(contacts=len(tables.get("contacts", ())), rejected_rows=rejected, decision_problems=listed)


@dataclass(frozen=True)
class StagedCase:
    """One case of a `build_all` task, staged in `part` with the task's other cases."""

    part: StagedPart
    case_id: str
    notes: CaseNotes = None  # what the summary of `build_all` says about the case


def stage_part(store_dir: str | Path, part: str, tables: dict[str, pd.DataFrame],
               staging_root: Path | None = None) -> StagedPart:
    """Write a part's tables, each conformed to its contract, into a new folder under `staging_root`
    (default: the store's ``.staging``). Nothing in the store changes: readers do not see it, and an
    error leaves nothing behind. Worker processes of `build_all` stage their cases in parallel; the
    one process that writes the ledger commits them."""
    store_dir = Path(store_dir)
    staging = (staging_root or store_dir / STAGING) / f"{part}-{uuid.uuid4().hex[:8]}"
    staging.mkdir(parents=True, exist_ok=True)
    try:
        for name, frame in tables.items():
            if name in CONTRACTS:
                frame = conform(frame, CONTRACTS[name])
            if name == "contacts":  # kept in chronology order: the timeline then needs no reordering copy
                from .timeline import sort_contacts

                frame = sort_contacts(frame)
            pq.write_table(_to_arrow(frame), staging / f"{name}.parquet", compression="zstd")
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise
    return StagedPart(path=staging, part=part, tables=tuple(tables))


def commit_part(store_dir: str | Path, staged: StagedPart, case_ids: Iterable[str], meta: dict | None = None,
                *, moving: bool = False) -> None:
    """Move a staged part into the store and mark its cases complete, atomically: a "writing" line in
    the ledger first, then the files renamed into place, then the "complete" line.

    `moving`: the part holds the cases' rows as they are already stored (compaction): a "moving" line
    instead, which leaves each case complete where it was until its "complete" line, so that a crash
    at any point loses none (their rows in the new part are not read until then)."""
    store_dir = Path(store_dir)
    case_ids = [str(c) for c in case_ids]
    status = MOVING if moving else "writing"
    try:
        for case_id in case_ids:  # invalidate first ("writing"): a crash from here on leaves the case incomplete
            _append_ledger(store_dir, {"case_id": case_id, "status": status, "part": staged.part, "time": _now()})
        for name in staged.tables:
            (store_dir / name).mkdir(exist_ok=True)
            os.replace(staged.path / f"{name}.parquet", store_dir / name / f"{staged.part}.parquet")
        for case_id in case_ids:
            _append_ledger(store_dir, {"case_id": case_id, "status": "complete", "part": staged.part,
                                       "tables": sorted(staged.tables), "time": _now(),
                                       **(meta or {}).get(case_id, {})})
    finally:
        shutil.rmtree(staged.path, ignore_errors=True)


# ---------------------------------------------------------------------------------------------------
# Reading
# ---------------------------------------------------------------------------------------------------
def store_tables(store_dir: str | Path) -> list[str]:
    store_dir = Path(store_dir)
    return sorted(p.name for p in store_dir.iterdir() if p.is_dir() and not p.name.startswith("."))


def part_files(store_dir: str | Path, table: str) -> list[Path]:
    """The Parquet files of `table` that hold complete cases, in part order."""
    return _part_files(Path(store_dir), table, complete_cases(store_dir))


def _part_files(store_dir: Path, table: str, complete: dict[str, dict]) -> list[Path]:
    """The files of `table` of the parts holding `complete` cases. A part need not have every table (a
    synthetic part has no ingest table); a file missing from a part whose ledger entry lists the table
    is a `FileNotFoundError` (a writer removed it after the ledger was read, or the store is damaged)."""
    listed: dict[str, bool] = {}
    for entry in complete.values():
        listed[entry["part"]] = listed.get(entry["part"], False) or table in entry.get("tables", ())
    out = []
    for part in sorted(listed):
        path = store_dir / table / f"{part}.parquet"
        if path.exists():
            out.append(path)
        elif listed[part]:
            raise FileNotFoundError(2, "No such file or directory", str(path))
    return out


#: a read that loses a part file to a writer (compaction, or build-all removing a part no case is read
#: from) reads the ledger again and starts over, this many times
READ_ATTEMPTS = 3


def read_store(store_dir: str | Path, table: str, *, columns: list[str] | None = None,
               cases: Iterable[str] | None = None) -> pd.DataFrame:
    """One table of the store, for all complete cases (or the given ones), with its contract's dtypes.

    `table` is a folder name (contacts, timeline, flags, response_latency, cases, ingest, rejections,
    decisions, ground_truth) or ``"failures"`` (cases that could not be built: case, case_id, file, error, stage,
    time). Rows of cases that are not complete in the ledger are never returned.

    A column of the table's contract that older parts lack (a timeline stored before the timeline read
    sightings from the rows: ``child_seen_inferred``) is read as empty (NA, for a sighting: unknown, so
    `review.sightings.seen_mask` gives the recorded cell alone); rebuild the store (``review build-all
    --force``) to have it read.

    Readers take no lock: the ledger is read once, and the rows of the cases it says are complete are
    read from the parts it names. A part that a writer removes meanwhile (compaction moved its cases)
    starts the read over from the ledger's new state.
    """
    store_dir = Path(store_dir)
    if not (store_dir / LEDGER).exists():
        raise StoreError("not a case store (no ledger.jsonl)", file=store_dir)
    if table == "failures":
        return failures_table(store_dir)
    for attempt in range(READ_ATTEMPTS):
        try:
            return _read_store(store_dir, table, columns, cases)
        except FileNotFoundError as exc:
            if attempt + 1 == READ_ATTEMPTS:
                raise StoreError(f"a part file of the store is missing ({exc.filename or exc}); the store is "
                                 "damaged, or being rewritten: run again", file=store_dir) from None
            time.sleep(0.05 * (attempt + 1))
    raise AssertionError("unreachable")


def _read_store(store_dir: Path, table: str, columns: list[str] | None, cases: Iterable[str] | None) -> pd.DataFrame:
    """`read_store` from one reading of the ledger."""
    state, ever = _parsed_ledger(store_dir)
    complete = _complete(state)
    wanted = set(complete) if cases is None else set(map(str, cases)) & set(complete)
    files = _part_files(store_dir, table, complete)
    if cases is not None:
        parts = {complete[c]["part"] for c in wanted}
        files = [f for f in files if f.stem in parts]
    if not (store_dir / table).is_dir():
        if not complete:
            failed = sum(1 for e in state.values() if e.get("status") == "failed")
            why = f" ({failed} failed: {FAILURES} lists them)" if failed else ""
            raise StoreError(f"the store holds no complete cases{why}", file=store_dir)
        raise StoreError(f"no table {table!r} in the store (tables: {', '.join(store_tables(store_dir))})",
                         file=store_dir)
    contract = CONTRACTS.get(table)
    if contract is not None and columns is not None:
        contract = {k: v for k, v in contract.items() if k in columns}
    if files:
        frame = _read_current(files, columns, contract, _stale(state, ever))
    else:
        frame = pd.DataFrame()
    if contract is not None:
        frame = conform(frame, contract)
    if "case_id" in frame.columns and len(frame):
        keep = frame["case_id"].isin(wanted)
        if not keep.all():
            frame = frame[keep]
    return frame.reset_index(drop=True)


def read_stores(stores: dict[str, str | Path], table: str, *, columns: list[str] | None = None) -> pd.DataFrame:
    """One table of several stores, one after the other (`read_store` of each), for a review that sets
    cases of different sources side by side (a store of case folders and a synthetic one).

    `stores`: {label: store folder}. The case ids of a store with a label are prefixed ``"<label>:"``, so
    that two different children who share an id in their own sources (C000006 in both) stay two cases;
    a store labelled "" keeps its ids. Raises StoreError when two stores still give one case id."""
    owner: dict[str, str] = {}
    for label, store_dir in stores.items():
        for case_id in complete_cases(store_dir):
            named = f"{label}:{case_id}" if label else case_id
            if named in owner:
                raise StoreError(f"case {named!r} is in two stores ({owner[named]} and {store_dir}): label the "
                                 "stores so that their case ids differ", file=store_dir)
            owner[named] = str(store_dir)
    frames = []
    for label, store_dir in stores.items():
        frame = read_store(store_dir, table, columns=columns)
        if label and "case_id" in frame.columns:
            frame["case_id"] = (label + ":" + frame["case_id"].astype("string")).astype("string")
        frames.append(frame)
    return pd.concat(frames, ignore_index=True) if frames else pd.DataFrame()


def _read_current(files: list[Path], columns: list[str] | None, contract: dict | None,
                  stale: dict[str, set[str]]) -> pd.DataFrame:
    """`_read_parts`, without the rows of cases that are no longer current in their part (`stale_cases`)."""
    if not any(f.stem in stale for f in files):
        return _read_parts(files, columns, contract)
    wanted = None if columns is None or "case_id" in columns else list(columns) + ["case_id"]
    frames, run = [], []
    for f in files + [None]:
        if f is not None and f.stem not in stale:
            run.append(f)
            continue
        if run:
            frames.append(_read_parts(run, wanted or columns, contract))
            run = []
        if f is not None:
            piece = _read_parts([f], wanted or columns, contract)
            frames.append(piece[~piece["case_id"].isin(stale[f.stem])])
    frame = pd.concat(frames, ignore_index=True)
    return frame.drop(columns="case_id") if wanted else frame


def _in_parts(columns: list[str] | None, present: list[str], contract: dict | None) -> list[str] | None:
    """The `columns` to read from parts holding the columns `present`: without a column of the table's
    contract the parts were written before it existed (a timeline stored before ``child_seen_inferred``):
    `conform` adds it empty (NA) after the read. A column neither there nor in the contract stays asked
    for (Arrow's error names it)."""
    if columns is None or contract is None:
        return columns
    have = set(present)
    return [c for c in columns if c in have or c not in contract]


def _read_parts(files: list[Path], columns: list[str] | None, contract: dict | None = None) -> pd.DataFrame:
    """The part files as one frame, in file order, with the columns of all of them. Read as one Arrow
    dataset: its threads read the many small files of a store built from case folders about twice as
    fast as one `read_table` each. Parts whose types cannot be unified (written before the table had a
    contract) are read one by one and made to agree."""
    import pyarrow.dataset as ds
    from pyarrow.fs import LocalFileSystem

    try:
        factory = ds.FileSystemDatasetFactory(LocalFileSystem(), [str(f) for f in files], ds.ParquetFileFormat(),
                                              ds.FileSystemFactoryOptions())
        schema = factory.inspect(promote_options="permissive", fragments=None)  # every part's columns
        return factory.finish(schema).to_table(columns=_in_parts(columns, schema.names, contract)).to_pandas()
    except (pa.ArrowTypeError, pa.ArrowInvalid, pa.ArrowNotImplementedError):
        pass
    frames = [pq.read_table(f, columns=_in_parts(columns, pq.read_schema(f).names, contract)) for f in files]
    try:
        return pa.concat_tables(frames, promote_options="permissive").to_pandas()
    except (pa.ArrowTypeError, pa.ArrowInvalid):
        # parts whose types disagree (written before the table had a contract: a column all empty in
        # one case, numbers in another): each part through the contract, then together
        if contract is None:
            raise
        return pd.concat([conform(f.to_pandas(), contract) for f in frames], ignore_index=True)


def failures_table(store_dir: str | Path) -> pd.DataFrame:
    """Cases whose latest ledger entry is a failure: case (folder), case_id, file, error, stage, time."""
    rows = [[e.get("case"), e["case_id"], e.get("file"), e.get("error"), e.get("stage"), e.get("time")]
            for e in read_ledger(store_dir).values() if e.get("status") == "failed"]
    return pd.DataFrame(rows, columns=FAILURE_COLUMNS).sort_values("case_id", kind="stable").reset_index(drop=True)


# ---------------------------------------------------------------------------------------------------
# Building a store from case folders
# ---------------------------------------------------------------------------------------------------
def case_input_hash(case_dir: str | Path) -> str:
    """Hash of every input of a case: the files in its folder (names and contents), the package version
    and the package's code and data (`code_fingerprint`): a case read by other code is built again."""
    case_dir = Path(case_dir)
    h = hashlib.sha256(f"review {__version__} {code_fingerprint()}\n".encode())
    for path in sorted(p for p in case_dir.rglob("*") if p.is_file()):
        rel = path.relative_to(case_dir).as_posix()
        if any(part.startswith((".", "~$")) for part in rel.split("/")):
            continue
        h.update(f"{rel}\0{file_sha256(path)}\n".encode())
    return h.hexdigest()


def find_case_folders(cases_dir: str | Path) -> list[Path]:
    """Sub-folders of `cases_dir` holding a case.yml, sorted by name."""
    cases_dir = Path(cases_dir)
    if not cases_dir.is_dir():
        raise StoreError("cases folder not found", file=cases_dir)
    return sorted(p for p in cases_dir.iterdir() if p.is_dir() and (p / CASE_FILE).exists())


def not_case_folders(cases_dir: str | Path, store_dir: str | Path | None = None) -> list[str]:
    """Sub-folders of `cases_dir` without a case.yml, which `build_all` does not read: named in its
    summary rather than passed over in silence (a case.yml misnamed, or a folder copied half-way).
    Hidden folders (.git, .ipynb_checkpoints) and case stores (this one or another) are not counted."""
    cases_dir = Path(cases_dir)
    store = Path(store_dir).resolve() if store_dir is not None else None
    return sorted(p.name for p in cases_dir.iterdir()
                  if p.is_dir() and not p.name.startswith((".", "_")) and not (p / CASE_FILE).exists()
                  and not (p / LEDGER).exists() and p.resolve() != store)


def warm_imports() -> None:
    """Import what processing a case folder needs (the pipeline, the readers, the rules) in this
    process, and parse the package's vocabulary, header profiles and rules. Called before starting
    worker processes: a worker started by fork (Linux) inherits the modules and parsed data instead of
    importing and parsing them again (~0.5 s per worker, pandas aside)."""
    import encodings.cp437  # noqa: F401  zipfile decodes member names with it
    import xml.etree.ElementTree  # noqa: F401

    import defusedxml.ElementTree  # noqa: F401  the xlsx checks' XML parser
    import pyarrow.pandas_compat  # noqa: F401  first imported by a string column or a pickled frame
    import python_calamine  # noqa: F401

    from . import decisions, pipeline, rules, timeline  # noqa: F401
    from .config import package_data
    from .ingest import headers, load, readers  # noqa: F401
    from .vocab import compile_vocab

    # the package's YAML parsed and the vocabulary compiled once here, not once in every worker
    compile_vocab(load._load_vocab(None))
    headers.load_profile(None)
    package_data("rules.yml")


def process_case_folder(case_dir: Path) -> dict[str, pd.DataFrame]:
    """Ingest and analyse one case folder with the pipeline; its tables keyed by store table name."""
    outcome = process_case_folders([case_dir])[0]
    if isinstance(outcome, BaseException):
        raise outcome
    return outcome


#: case folders per task of `build_all` (fewer when that leaves a worker without enough tasks)
BATCH_CASES = 32


def process_case_folders(case_dirs: list[Path], *, as_of=None,
                         today: dt.date | None = None) -> list[dict[str, pd.DataFrame] | Exception]:
    """`process_case_folder` for each of `case_dirs`, in order: its tables, or the exception it raised
    (with ``review_stage = "analyse"`` when ingest succeeded).

    Each case is ingested on its own. Cases with the same rules (rules.yml) and timeline options (case.yml
    ``timeline:``) are then analysed together, one `build_timeline`, `detect` and `response_latency` call
    over all their contacts, and the tables are split by case: the same tables as one call per case
    (tests/test_store_batch.py checks that), at a fraction of the rules' fixed cost per call (~0.1 s).
    The reviewers' decisions are applied case by case, judged against the day `decisions_as_of` gives each
    case (`as_of` when given, else the day its build judged them on, else `today`, default the date now): a
    decision dated after it is listed as dated in the future. When analysing a group together raises, its cases
    are analysed one by one, so that the error is reported for the case that has it."""
    from .decisions import decisions_as_of
    from .pipeline import load_case, timeline_options
    from .rules import load_rules

    today = today if today is not None else dt.date.today()  # one day for the whole batch

    outcomes: list = [None] * len(case_dirs)
    groups: list[tuple[tuple, list[int]]] = []  # ((rules, timeline options), indices), first seen first
    loaded = {}
    for i, case_dir in enumerate(case_dirs):
        try:
            case = load_case(case_dir)
        except Exception as exc:  # noqa: BLE001  reported by the caller, as process_case_folder's was
            outcomes[i] = exc
            continue
        try:
            rules = load_rules(case.config.case_dir)
            key = ({k: v for k, v in rules.items() if k != "files"}, timeline_options(case.config))
        except Exception as exc:  # noqa: BLE001  what `analyse` raises for this case
            exc.review_stage, exc.review_case_id = "analyse", case.config.case_id
            outcomes[i] = exc
            continue
        loaded[i] = (case, rules, decisions_as_of(case.config.case_dir, as_of, today=today, config=case.config).day)
        for group_key, members in groups:
            if group_key == key:
                members.append(i)
                break
        else:
            groups.append((key, [i]))
    for (_, options), members in groups:
        batch: dict[str, int] = {}  # case id -> the first member with it (a repeated id is analysed alone)
        for i in members:
            case_id = _stored_case_id(loaded[i][0])
            if case_id is not None and case_id not in batch:
                batch[case_id] = i
        alone = [i for i in members if i not in batch.values()]
        if len(batch) > 1:
            try:
                together = _analyse_together([loaded[i] for i in batch.values()], options)
                for i, analysis in zip(batch.values(), together):
                    outcomes[i] = _store_tables(loaded[i][0], analysis, case_dirs[i], loaded[i][1], options)
            except Exception:  # noqa: BLE001  one by one below: the error goes to its own case
                alone = members
        else:
            alone = members
        for i in alone:
            case, rules, day = loaded[i]
            try:
                outcomes[i] = _store_tables(case, _analyse_one(case, rules, day), case_dirs[i], rules, options)
            except Exception as exc:  # noqa: BLE001
                exc.review_stage, exc.review_case_id = "analyse", case.config.case_id
                outcomes[i] = exc
    return outcomes


def _stored_case_id(case) -> str | None:
    """The case's id when every contact carries it (what analysing cases together relies on), else None."""
    ids = case.contacts["case_id"]
    return case.config.case_id if len(ids) and (ids == case.config.case_id).all() else None


def _analyse_one(case, rules: dict, as_of: dt.date | None = None) -> dict[str, pd.DataFrame]:
    """The tables the store keeps of one case, from `pipeline.analyse` (`as_of`: the day its decisions are
    judged against, `process_case_folders`')."""
    from .pipeline import analyse

    analysis = analyse(case, rules, decisions_as_of=as_of)
    return {"timeline": analysis.timeline, "flags": analysis.flags, "response_latency": analysis.response_latency,
            "decisions": analysis.decisions, "decision_problems": analysis.decision_problems}


def _analyse_together(members: list[tuple], options: dict) -> list[dict[str, pd.DataFrame]]:
    """The tables `_analyse_one` gives each of `members` ((case, rules, as-of day) sharing rules and timeline
    options, with distinct case ids), from one timeline, rules and latency call over all of them."""
    from .pipeline import decide
    from .rules import detect, response_latency
    from .timeline import build_timeline

    rules = members[0][1]
    configs = {case.config.case_id: case.config for case, *_ in members}
    days = {case.config.case_id: day for case, _, day in members}
    contacts = pd.concat([case.contacts for case, *_ in members], ignore_index=True)
    timeline = build_timeline(contacts, configs, **options)
    flags = detect(timeline, configs, rules, legacy_ids=True)  # (the earlier ids: for old decisions)
    latency = response_latency(timeline, flags, rules, configs)
    timelines, flag_sets, latencies = (_split_by_case(t, configs) for t in (timeline, flags, latency))
    out = []
    for case_id, config in configs.items():
        decided, history, problems = decide(flag_sets[case_id], timelines[case_id], config.case_dir, rules,
                                            as_of=days[case_id])
        out.append({"timeline": timelines[case_id], "flags": decided, "response_latency": latencies[case_id],
                    "decisions": history, "decision_problems": problems})
    return out


def _split_by_case(frame: pd.DataFrame, configs: dict) -> dict[str, pd.DataFrame]:
    """{case_id: its rows of `frame`, in their order, index from 0} for every case in `configs`."""
    codes, uniques = pd.factorize(frame["case_id"], use_na_sentinel=True)
    where = {str(u): i for i, u in enumerate(uniques)}
    out = {}
    for case_id in configs:
        rows = np.flatnonzero(codes == where[case_id]) if case_id in where else np.empty(0, dtype=np.intp)
        out[case_id] = frame.take(rows).reset_index(drop=True)
    return out


def config_json(value) -> str:
    """Rules or timeline options as the store keeps them: JSON with sorted keys (one text per setting)."""
    if isinstance(value, dict):
        value = {k: v for k, v in value.items() if k != "files"}  # where they were read from: not a setting
    return json.dumps(value, sort_keys=True, default=str, separators=(",", ":"))


def vocab_json(case_dir) -> str:
    """The case's own vocab.yml as the store keeps it: JSON in the file's order ("" when it has none)."""
    from .config import own_vocab

    own = own_vocab(case_dir)
    return "" if own is None else json.dumps(own, default=str, ensure_ascii=False, separators=(",", ":"))


def people_json(config, case_dir=None) -> str:
    """The case's adults as the store keeps them (its case table's ``people``): {given name: role} of case.yml
    `people` whose role names an adult of the case's vocabulary (injury_adults: "Sian Wren: Mother" is
    {"Sian": "Mother"}), as `review.ingest.load.adult_given_names` reads them; the given name as written,
    never a surname; a second adult of the same given name is kept as "Sam (2)" (the readings take the first
    word). "" when the case names no adult. Read back by `people_of`."""
    from .config import load_vocab
    from .ingest.load import adult_given_names

    people = getattr(config, "people", None)
    if not people or not isinstance(people, dict):
        return ""
    child_name = getattr(config, "child_name", None)
    vocab = load_vocab(case_dir) if case_dir is not None else load_vocab(None)
    out: dict[str, str] = {}
    for name, role in people.items():
        if not adult_given_names(vocab, {name: role}, child_name):
            continue
        given = str(name).split()[0]
        key, n = given, 1
        while key in out:
            n += 1
            key = f"{given} ({n})"
        out[key] = str(role)
    return json.dumps(out, ensure_ascii=False, separators=(",", ":")) if out else ""


def people_of(text) -> dict:
    """The case.yml `people` a case table's ``people`` (`people_json`) gives back ({} for none, an older store)."""
    if not isinstance(text, str) or not text:
        return {}
    return {str(k): str(v) for k, v in json.loads(text).items()}


def looked_after_json(config) -> str:
    """(s21) The case's case.yml `looked_after` periods as the store keeps them (its case table's
    ``looked_after``): a JSON list, one object a period with sorted keys (from and to as ISO dates, to null for
    one still open; placing_authority, placement, placed_at; long_term true / false / null), in the periods'
    order (by `from`, as case.yml is read); "" for a child not looked after. Read back by `looked_after_of`."""
    periods = getattr(config, "looked_after", None) or ()
    if not periods:
        return ""
    return json.dumps([{"from": p.start.isoformat(), "to": p.end.isoformat() if p.end is not None else None,
                        "placing_authority": p.placing_authority, "placement": p.placement,
                        "placed_at": p.placed_at, "long_term": p.long_term} for p in periods],
                      sort_keys=True, ensure_ascii=False, separators=(",", ":"))


def looked_after_of(text) -> tuple:
    """The case.yml `looked_after` periods (`review.config.LookedAfterPeriod`) a case table's ``looked_after``
    (`looked_after_json`) gives back; () for none, an older store."""
    from .config import LookedAfterPeriod

    if not isinstance(text, str) or not text:
        return ()

    def day(value):
        return dt.date.fromisoformat(value) if value else None

    return tuple(LookedAfterPeriod(start=day(p["from"]), end=day(p.get("to")),
                                   placing_authority=str(p.get("placing_authority") or ""),
                                   placement=str(p.get("placement") or ""), placed_at=str(p.get("placed_at") or ""),
                                   long_term=p.get("long_term")) for p in json.loads(text))


def organisations_shown_json(case, analysis: dict[str, pd.DataFrame]) -> str:
    """The store's ``organisations_shown`` of a loaded case: JSON {organisation: as its anonymised view shows it}
    (`review.redact.organisations_shown`) of the organisations its contacts and timeline name, "" for none."""
    from .redact import organisations_shown

    timeline = analysis.get("timeline")
    names = set()
    for frame in (case.contacts, timeline):
        for column in ("organisation", "agency"):
            if frame is not None and column in frame.columns:
                names.update(v for v in pd.unique(frame[column].dropna()) if isinstance(v, str))
    shown = organisations_shown(case.config, names, *(t for t in (timeline, analysis.get("flags")) if t is not None),
                                other_people=getattr(case.report, "other_people", None))
    return json.dumps(shown, sort_keys=True, ensure_ascii=False) if shown else ""


def _store_tables(case, analysis: dict[str, pd.DataFrame], case_dir: Path, rules: dict,
                  options: dict) -> dict[str, pd.DataFrame]:
    """A case's tables keyed by store table name, from its loaded `case`, its analysis tables and the
    rules and timeline options it was analysed with."""
    from .sightings import given_name

    config = case.config
    case_id = config.case_id
    report = case.report

    def day(value):
        return pd.Timestamp(value) if value else pd.NaT

    cases = pd.DataFrame({"case_id": [case_id], "date_of_birth": [pd.Timestamp(config.date_of_birth)],
                          "mobile_from": [day(config.mobile_from)], "review_date": [day(config.review_date)],
                          "date_of_death": [day(config.date_of_death)], "rules": [config_json(rules)],
                          "timeline_options": [config_json(options)], "vocab": [vocab_json(case_dir)],
                          "child_given_name": [given_name(config.child_name) or pd.NA],
                          "child_sex": [getattr(config, "child_sex", None) or pd.NA],
                          "people": [people_json(config, case_dir) or pd.NA],
                          "organisations_shown": [organisations_shown_json(case, analysis)],
                          "additional_needs": pd.array([bool(getattr(config, "additional_needs", ()))],
                                                       dtype="boolean"),
                          "looked_after": [looked_after_json(config) or pd.NA],
                          "folder": [Path(case_dir).name]})
    ingest = report.to_frame()
    ingest.insert(0, "case_id", case_id)
    rejections = report.rejections_frame()
    rejections.insert(0, "case_id", case_id)
    flags = analysis["flags"].drop(columns="case_id", errors="ignore")
    flags.insert(0, "case_id", case_id)
    latency = analysis["response_latency"].drop(columns="case_id", errors="ignore")
    latency.insert(0, "case_id", case_id)
    decisions = analysis["decisions"].drop(columns="case_id", errors="ignore")
    decisions.insert(0, "case_id", case_id)
    problems = analysis["decision_problems"].drop(columns="case_id", errors="ignore")
    problems.insert(0, "case_id", case_id)
    for frame in (ingest, rejections):
        for col in frame.columns:
            if frame[col].dtype == object:
                frame[col] = frame[col].astype("string")
    return {"contacts": case.contacts, "timeline": analysis["timeline"], "flags": flags, "response_latency": latency,
            "cases": cases, "ingest": ingest, "rejections": rejections, "decisions": decisions,
            "decision_problems": problems}


def _remove_if_empty(folder: Path) -> None:
    try:
        folder.rmdir()
    except OSError:  # not empty (another writer's staging), or not there
        pass


#: how often a worker process of `build_all` checks that the process that started it is alive (seconds)
PARENT_POLL = 0.5


def _worker_init(parent: int) -> None:
    """Start of each worker process of `build_all`: let go of the store locks the parent held when it
    forked this process, and end when the parent ends.

    A forked worker inherits the parent's open lock file, and an ``flock`` lasts while any process holds
    the file open: a parent killed outright (SIGKILL) would otherwise leave its idle workers, waiting
    for tasks that never come, holding the store's lock for ever. Closing the child's copy leaves the
    parent's lock in place (the lock belongs to the open file, which the parent still holds); the
    watch thread ends the worker when its parent has gone (it is re-parented), so that nothing keeps
    working on a store no one will commit."""
    import threading

    for fh, _ in list(_HELD.values()):
        try:
            fh.close()
        except OSError:
            pass
    _HELD.clear()
    _exit_with_parent(parent)

    def watch() -> None:
        while True:
            time.sleep(PARENT_POLL)
            _exit_with_parent(parent)

    threading.Thread(target=watch, name="review-parent-watch", daemon=True).start()


def _exit_with_parent(parent: int) -> None:
    if os.getppid() != parent:
        os._exit(1)


def _batch_size(cases: int, workers: int) -> int:
    """Case folders per task: BATCH_CASES, or fewer so that each worker gets about two tasks."""
    if workers <= 1:
        return BATCH_CASES
    return max(1, min(BATCH_CASES, -(-cases // (workers * 2))))


def _part_chunks(folders: list[Path], todo: list[tuple[Path, str]]) -> list[list[tuple[Path, str]]]:
    """The `todo` cases grouped into the parts `build_all` stores them in: the cases of each run of
    BATCH_CASES folders of the whole cases folder (in folder order) still to build.

    The parts depend on the case folders alone, never on how a run is scheduled: the worker count, a run
    interrupted and resumed (the parts committed before are whole runs, and the rest come out as they
    would have), so that the same inputs give the same part files, byte for byte."""
    where = {folder: i // BATCH_CASES for i, folder in enumerate(folders)}
    chunks: dict[int, list[tuple[Path, str]]] = {}
    for folder, digest in todo:
        chunks.setdefault(where[folder], []).append((folder, digest))
    return [chunks[k] for k in sorted(chunks)]


def _each_case(process_case: Callable[[Path], dict[str, pd.DataFrame]], folders: list[Path]) -> list:
    """`process_case` of each folder: its tables, or the exception it raised."""
    out = []
    for folder in folders:
        try:
            out.append(process_case(folder))
        except Exception as exc:  # noqa: BLE001  reported by build_all
            out.append(exc)
    return out


def stage_case_folders(store_dir: Path, staging_root: Path, case_dirs: list[Path], *, as_of=None,
                       today: dt.date | None = None) -> list[StagedCase | Exception]:
    """`process_case_folders`, then the cases' tables staged (`stage_part`) under `staging_root` as one
    part: what a task of `build_all` does, so that worker processes also write the Parquet files (the
    writing process would otherwise be the bottleneck) and send back only where they are.

    One part per task, not per case: writing a table costs about as much for one case as for thirty
    (a case's seven files cost ~25 ms), and a store of thousands of cases is then tens of files per
    table, not thousands. A case id repeated in the task is staged in a part of its own (`build_all`
    refuses all but the first). When staging the part fails, each case is staged on its own, so that
    the error (``review_stage = "store"``, the case id as ``review_case_id``) is its case's."""
    return stage_outcomes(store_dir, staging_root, process_case_folders(case_dirs, as_of=as_of, today=today))


def stage_outcomes(store_dir: Path, staging_root: Path, outcomes: list) -> list[StagedCase | Exception]:
    """The second half of `stage_case_folders`: the outcomes of `process_case_folders` (tables, or the
    exception raised) staged as one part, each exception passed through."""
    out: list = list(outcomes)
    first: dict[str, int] = {}  # case id -> the first outcome with it
    for i, outcome in enumerate(outcomes):
        if isinstance(outcome, BaseException):
            continue
        case_id = str(outcome["cases"]["case_id"].iloc[0])
        if case_id in first:
            out[i] = _stage_cases(store_dir, staging_root, [(case_id, outcome)])[0]
        else:
            first[case_id] = i
    if first:
        members = [(case_id, outcomes[i]) for case_id, i in first.items()]
        for i, staged in zip(first.values(), _stage_cases(store_dir, staging_root, members)):
            out[i] = staged
    return out


def _stage_cases(store_dir: Path, staging_root: Path,
                 members: list[tuple[str, dict[str, pd.DataFrame]]]) -> list[StagedCase | Exception]:
    """Stage `members` ((case id, tables), distinct ids) as one part; its `StagedCase`s, in order."""
    case_ids = [case_id for case_id, _ in members]
    try:
        if len(members) == 1:
            tables = members[0][1]
        else:
            tables = {name: pd.concat([t[name] for _, t in members], ignore_index=True) for name in members[0][1]}
        staged = stage_part(store_dir, part_name_for_cases(case_ids), tables, staging_root)
    except Exception as exc:  # noqa: BLE001  reported by build_all, for the case that has it
        if len(members) > 1:
            return [s for member in members for s in _stage_cases(store_dir, staging_root, [member])]
        exc.review_stage, exc.review_case_id = "store", case_ids[0]
        return [exc]
    staged = replace(staged, case_ids=tuple(case_ids))
    return [StagedCase(staged, case_id, CaseNotes.of(tables)) for case_id, tables in members]


def _restage_without(staged: StagedPart, keep: list[str]) -> StagedPart:
    """`staged` with only the rows of the cases in `keep` (the others were refused when committing),
    renamed for those cases. Rare: a case id already stored from another folder."""
    import pyarrow.compute as pc

    wanted = pa.array(keep, type=pa.string())
    for name in staged.tables:
        path = staged.path / f"{name}.parquet"
        table = pq.read_table(path)
        rows = pc.is_in(table["case_id"].cast(pa.string()), value_set=wanted)
        pq.write_table(table.filter(rows), path, compression="zstd")
    return replace(staged, part=part_name_for_cases(keep), case_ids=tuple(keep))


@dataclass
class BuildSummary:
    cases_found: int = 0
    built: list[str] = field(default_factory=list)
    skipped: list[str] = field(default_factory=list)  # already complete with the same inputs
    failed: pd.DataFrame = field(default_factory=lambda: pd.DataFrame(columns=FAILURE_COLUMNS))
    store_dir: str = ""
    not_cases: list[str] = field(default_factory=list)  # sub-folders without a case.yml, not read
    #: (case id, folder) of the cases the store holds whose folder is no longer under the cases folder
    without_folder: list[tuple[str, str]] = field(default_factory=list)
    removed: list[str] = field(default_factory=list)  # case ids taken out of the store (`prune`)
    #: (old case id, folder, the case id the folder holds now): cases taken out of the store because their
    #: folder now holds another case (its case.yml's case_id changed)
    replaced: list[tuple[str, str, str]] = field(default_factory=list)
    #: (case id, old folder, new folder): cases now stored from another folder (the old one has gone)
    moved: list[tuple[str, str, str]] = field(default_factory=list)
    #: (case id, folder): cases the store held that failed this time, and are no longer counted
    no_longer_counted: list[tuple[str, str]] = field(default_factory=list)
    #: (case id, folder, row, flag_id, problem) of the cases built: what `review build` lists as problems
    #: with the reviewers' decisions
    decision_problems: list[tuple] = field(default_factory=list)
    no_contacts: list[str] = field(default_factory=list)  # cases built without any accepted contact
    rows_rejected: dict[str, int] = field(default_factory=dict)  # case id -> rows rejected (cases built)
    #: the day the decisions of the cases built were judged against (YYYY-MM-DD; a case whose build recorded
    #: its own day, ``decisions_as_of`` in its manifest, was judged against that one unless it was given) and
    #: where it came from: "given" (`as_of`) or "today" (the day the run started)
    decisions_as_of: str | None = None
    decisions_as_of_source: str | None = None

    def to_dict(self) -> dict:
        return {"store": self.store_dir, "cases_found": self.cases_found, "built": len(self.built),
                "skipped": len(self.skipped), "failed": len(self.failed),
                "failures": self.failed.to_dict(orient="records"), "not_case_folders": list(self.not_cases),
                "stored_without_folder": [{"case_id": c, "case": f} for c, f in self.without_folder],
                "removed": list(self.removed),
                "replaced": [{"case_id": c, "case": f, "now": n} for c, f, n in self.replaced],
                "moved": [{"case_id": c, "from": f, "to": t} for c, f, t in self.moved],
                "no_longer_counted": [{"case_id": c, "case": f} for c, f in self.no_longer_counted],
                "decision_problems": [{"case_id": c, "case": f, "row": r, "flag_id": i, "problem": p}
                                      for c, f, r, i, p in self.decision_problems],
                "no_contacts": list(self.no_contacts), "rows_rejected": dict(self.rows_rejected),
                "decisions_as_of": self.decisions_as_of, "decisions_as_of_source": self.decisions_as_of_source}

    def __str__(self) -> str:
        text = (f"{self.cases_found} case folders: {len(self.built)} built, {len(self.skipped)} already "
                f"complete, {len(self.failed)} failed")
        if self.not_cases:
            text += f"\n{len(self.not_cases)} sub-folder(s) without a {CASE_FILE}, not read: {_first(self.not_cases)}"
        if self.replaced:
            text += (f"\n{len(self.replaced)} stored case(s) taken out because their folder now holds another case: "
                     + _first([f"{c} (folder {f} now holds {n})" for c, f, n in self.replaced]))
        if self.moved:
            text += (f"\n{len(self.moved)} case(s) now stored from another folder: "
                     + _first([f"{c} ({f} -> {t})" for c, f, t in self.moved]))
        if self.no_longer_counted:
            text += (f"\n{len(self.no_longer_counted)} case(s) the store held failed this time and are no longer "
                     f"counted until they build again: {_first([f'{c} (folder {f})' for c, f in self.no_longer_counted])}")
        if self.without_folder:
            text += (f"\n{len(self.without_folder)} case(s) in the store have no folder here any more, and are still "
                     f"counted: {_first([f'{c} (folder {f})' for c, f in self.without_folder])}; --prune takes "
                     "them out of the store")
        if self.removed:
            text += f"\n{len(self.removed)} case(s) without a folder taken out of the store: {_first(self.removed)}"
        if self.no_contacts:
            text += (f"\n{len(self.no_contacts)} case(s) built with no accepted contacts (every row rejected, or "
                     f"none): {_first(self.no_contacts)}")
        if self.rows_rejected:
            rows = sum(self.rows_rejected.values())
            text += (f"\n{rows} row(s) rejected in {len(self.rows_rejected)} case(s) built (the store's rejections "
                     "table lists them)")
        if self.decision_problems:
            cases = len({c for c, *_ in self.decision_problems})
            text += f"\n{len(self.decision_problems)} problem(s) with the reviewers' decisions in {cases} case(s):"
            for c, f, row, flag_id, problem in self.decision_problems[:10]:
                where = f" row {row}" if row is not None else ""
                text += f"\n  {c} (folder {f}) decisions.csv{where} {flag_id}: {problem}"
            if len(self.decision_problems) > 10:
                text += f"\n  and {len(self.decision_problems) - 10} more (--json lists them all)"
            from .decisions import FUTURE_DATE_PROBLEM

            if self.decisions_as_of and any(p == FUTURE_DATE_PROBLEM for *_, p in self.decision_problems):
                source = "given" if self.decisions_as_of_source == "given" else "the day of this run"
                text += (f"\n  (decisions dated after {self.decisions_as_of} ({source}) are listed as dated in the "
                         "future" + ("" if source == "given" else "; a case whose build recorded the day it judged them "
                                     "on, in reports/<case_id>/manifest.json, against that day") + ")")
        return text


def _first(names: list[str], shown: int = 10) -> str:
    return ", ".join(names[:shown]) + (f" and {len(names) - shown} more" if len(names) > shown else "")


def _failure_where(exc: BaseException, case_dir: Path) -> str:
    file = getattr(exc, "file", None)
    if not file:
        return ""
    try:
        return Path(file).resolve().relative_to(case_dir.resolve()).as_posix()
    except ValueError:
        return str(file)


def build_all(cases_dir: str | Path, store_dir: str | Path, progress: bool = True, *,
              process_case: Callable[[Path], dict[str, pd.DataFrame]] | None = None,
              force: bool = False, workers: int = 1, prune: bool = False, as_of=None) -> BuildSummary:
    """Run every case folder under `cases_dir` through the pipeline into the store at `store_dir`.

    Resumable: a case already complete with the same input hash is skipped (``force`` rebuilds it).
    A case that fails (unreadable file, invalid case.yml, or a bug) does not stop the run: it is
    recorded in the ledger and returned in ``summary.failed`` (case, case_id, file, error, stage), and
    ``failures.csv`` in the store lists every case currently failing. Cases are processed in batches
    (`process_case_folders`: cases sharing rules and timeline options analysed in one call), a part per
    run of BATCH_CASES folders (`_part_chunks`). With
    ``workers > 1`` batches are ingested and analysed in that many processes; this process alone writes
    the store and the ledger, in folder order. `process_case` replaces the pipeline (for tests): case
    folder -> {table: DataFrame}, one case per task (a module-level function when ``workers > 1``).

    A case the store holds whose folder is no longer under `cases_dir` (withdrawn, renamed) stays in the
    store, and is named in ``summary.without_folder``; with `prune` it is taken out (readers no longer
    see it, and the part files no case is read from are removed) and named in ``summary.removed``.

    The reviewers' decisions of each case built are judged against one day (`review.decisions.decisions_as_of`):
    `as_of` (a date or YYYY-MM-DD) when given, else the day the case's build judged them on (its manifest in
    ``reports/<case_id>/``), else the day the run started, the same for every case and worker; the summary
    reports it (``decisions_as_of``), and a decision dated after it is listed as dated in the future.
    """
    from .decisions import given_day

    as_of = given_day(as_of) if as_of is not None else None  # an unreadable day stops here, before anything
    store_dir = Path(store_dir)
    folders = find_case_folders(cases_dir)  # before creating anything: a wrong path leaves no empty store
    if not folders and (Path(cases_dir) / CASE_FILE).exists():
        # one case's folder given for the folder of cases: it would build nothing, and with --prune take
        # every stored case out ("no case folder")
        raise StoreError(f"this is a case folder (it holds {CASE_FILE}), not a folder of case folders: give the "
                         f"folder that holds it ({Path(cases_dir).resolve().parent})", file=cases_dir)
    if prune and not folders and (store_dir / LEDGER).exists() and any(
            entry.get("case") for entry in complete_cases(store_dir).values()):
        # an empty folder (a drive not mounted, a wrong path) would take every stored case out
        raise StoreError("no case folders here: --prune would take every case out of the store; check the path "
                         "(to empty the store, delete its folder)", file=cases_dir)
    if store_dir.resolve() == Path(cases_dir).resolve() or (store_dir / CASE_FILE).exists():
        raise StoreError("the store must be a folder of its own, not the cases folder or a case folder",
                         file=store_dir)
    store_dir.mkdir(parents=True, exist_ok=True)
    with store_lock(store_dir, "review build-all"):
        summary = _build_all(folders, store_dir, progress, process_case, force, workers, prune,
                             as_of=as_of)
    summary.not_cases = not_case_folders(cases_dir, store_dir)
    return summary


def _build_all(folders: list[Path], store_dir: Path, progress: bool,
               process_case: Callable[[Path], dict[str, pd.DataFrame]] | None, force: bool,
               workers: int, prune: bool = False, as_of: dt.date | None = None) -> BuildSummary:
    """`build_all`, the store's lock held.

    The ledger names the folder each case was stored from. A folder holds one case: when it now gives
    another case id (its case.yml changed), or fails, the cases stored from it under other ids are taken
    out of the store ("removed", `BuildSummary.replaced`), so that no case is counted twice. A case that
    fails is recorded under the id it was stored with (its case.yml may be what failed), so that the
    store no longer counts its last good version, whatever its folder is called."""
    (store_dir / LEDGER).touch()
    today = dt.date.today()  # the day every case's decisions are judged against, unless `as_of` or its build's
    summary = BuildSummary(cases_found=len(folders), store_dir=str(store_dir),
                           decisions_as_of=(as_of or today).isoformat(),
                           decisions_as_of_source="given" if as_of is not None else "today")
    state = read_ledger(store_dir)
    present = {folder.name for folder in folders}
    #: folder name -> {case id: latest entry} of the cases complete or failing from that folder
    from_folder: dict[str, dict[str, dict]] = {}
    for case_id, entry in state.items():
        if entry.get("case") and entry.get("status") in ("complete", "failed"):
            from_folder.setdefault(entry["case"], {})[case_id] = entry

    def record(case_id: str, entry: dict | None, write: bool = False) -> None:
        """`case_id`'s latest entry is now `entry` (None: no entry), appended to the ledger with `write`."""
        before = state.get(case_id)
        if before and before.get("case"):
            from_folder.get(before["case"], {}).pop(case_id, None)
        if write:
            _append_ledger(store_dir, entry)
        if entry is None:
            state.pop(case_id, None)
            return
        state[case_id] = entry
        if entry.get("case") and entry.get("status") in ("complete", "failed"):
            from_folder.setdefault(entry["case"], {})[case_id] = entry

    def retire(folder: Path, keep: str) -> None:
        """Take out the cases stored from `folder` under ids other than `keep`, the case it holds now."""
        for case_id, entry in sorted(from_folder.get(folder.name, {}).items()):
            if case_id == keep:
                continue
            if entry.get("status") == "complete":
                record(case_id, {"case_id": case_id, "case": folder.name, "status": "removed",
                                 "reason": f"its folder now holds case {keep}", "time": _now()}, write=True)
                summary.replaced.append((case_id, folder.name, keep))
            else:  # a failure recorded for the folder under another id is resolved
                record(case_id, {"case_id": case_id, "case": folder.name, "status": "cleared", "time": _now()},
                       write=True)

    def stored_id(folder: Path) -> str:
        """The id to record a failure of `folder` under when its case id is not known (case.yml unreadable,
        ingest failed): the case it was stored as (complete first), else the folder's name."""
        mine = sorted(from_folder.get(folder.name, {}).items(), key=lambda kv: (kv[1].get("status") != "complete", kv[0]))
        return mine[0][0] if mine else folder.name

    failures = []
    bar = None
    if progress:
        from tqdm import tqdm

        bar = tqdm(total=len(folders), desc="build-all", unit="case", disable=None)  # none off a terminal (a log file)
    todo = []
    for folder in folders:
        digest = case_input_hash(folder)
        current = next((case_id for case_id, entry in sorted(from_folder.get(folder.name, {}).items())
                        if entry.get("status") == "complete" and entry.get("input_hash") == digest), None)
        if not force and current is not None:
            summary.skipped.append(current)
            retire(folder, current)  # ids left from the folder's earlier contents (a store built before this check)
            if bar is not None:
                bar.update(1)
        else:
            todo.append((folder, digest))

    staging_root = store_dir / STAGING / f"run-{uuid.uuid4().hex[:8]}"  # removed when the run ends
    if process_case is None:  # the pipeline: cases analysed together in batches, a part per chunk
        batches = _part_chunks(folders, todo)
        size = _batch_size(len(todo), workers)
        # a chunk is one task, which stages its part itself; when there are too few chunks to keep the
        # workers busy, a chunk is analysed in several smaller tasks and this process stages its part
        # from their tables: the same part, byte for byte, whatever the number of tasks
        split = workers > 1 and size < BATCH_CASES
        days = {"as_of": as_of, "today": today}
        run_batch = partial(process_case_folders, **days) if split else partial(stage_case_folders, store_dir,
                                                                                 staging_root, **days)
    else:
        run_batch, size, split = partial(_each_case, process_case), 1, False
        batches = [[case] for case in todo]

    def tasks(batch: list) -> list[list]:
        return [batch[i:i + size] for i in range(0, len(batch), size)] if split else [batch]

    def gathered(batch: list, done: list) -> list:
        """A batch's [(folder, digest, outcome)]: its tasks' outcomes, staged as one part when split."""
        if split:
            done = stage_outcomes(store_dir, staging_root, done)
        return list(zip(*zip(*batch), done))

    def outcomes():
        """Each batch's [(folder, digest, StagedCase, tables or the exception raised)], in folder order."""
        if workers <= 1:
            for batch in batches:
                yield gathered(batch, [o for task in tasks(batch) for o in run_batch([folder for folder, _ in task])])
            return
        from concurrent.futures import ProcessPoolExecutor

        if process_case is None:
            warm_imports()
        with ProcessPoolExecutor(max_workers=workers, initializer=_worker_init, initargs=(os.getpid(),)) as pool:
            futures = [(batch, [(task, pool.submit(run_batch, [folder for folder, _ in task])) for task in tasks(batch)])
                       for batch in batches]
            try:
                for batch, submitted in futures:
                    done = []
                    for task, future in submitted:
                        try:
                            done += future.result()
                        except Exception as exc:  # a worker that died: every case of its task failed
                            done += [exc] * len(task)
                    yield gathered(batch, done)
            finally:
                for _, submitted in futures:
                    for _, future in submitted:
                        future.cancel()

    def fail(folder: Path, digest: str, case_id: str, exc: Exception, stage: str) -> None:
        """Report, never hide: the failure goes to the ledger and the summary; the run goes on."""
        stage = getattr(exc, "review_stage", stage)
        if isinstance(exc, ReviewError):  # the file goes in its own column; keep sheet/row/column
            where = ReviewError(exc.message, sheet=exc.sheet, row=exc.row, column=exc.column).where()
            message = f"{where}: {exc.message}" if where else exc.message
        else:
            message = f"{type(exc).__name__}: {exc}"
        if not isinstance(exc, ReviewError) and os.environ.get("REVIEW_DEBUG"):
            traceback.print_exception(exc)
        owner = state.get(case_id)
        if owner and owner.get("case") not in (None, folder.name) and owner.get("status") == "complete":
            # the id is stored from another folder (two folders with one case_id): the failure is
            # kept under this folder's name, so that it does not hide that stored case
            case_id = folder.name
        entry = {"case_id": case_id, "case": folder.name, "status": "failed", "input_hash": digest,
                 "file": _failure_where(exc, folder), "error": message, "stage": stage, "time": _now()}
        before = state.get(case_id)
        record(case_id, entry, write=True)
        if before and before.get("status") == "complete" and before.get("case") == folder.name:
            summary.no_longer_counted.append((case_id, folder.name))
        retire(folder, case_id)
        failures.append([folder.name, case_id, entry["file"], message, stage, entry["time"]])

    def stored(folder: Path, case_id: str, before: dict | None, notes: CaseNotes) -> None:
        record(case_id, {"case_id": case_id, "case": folder.name, "status": "complete"})
        retire(folder, case_id)
        if before and before.get("status") == "complete" and before.get("case") not in (None, folder.name):
            summary.moved.append((case_id, before["case"], folder.name))
        summary.built.append(case_id)
        if not notes.contacts:
            summary.no_contacts.append(case_id)
        if notes.rejected_rows:
            summary.rows_rejected[case_id] = notes.rejected_rows
        summary.decision_problems += [(case_id, folder.name, *problem) for problem in notes.decision_problems]

    def tick(cases: int = 1) -> None:
        if bar is not None:
            bar.update(cases)
            bar.set_postfix(failed=len(failures))

    results = outcomes()
    try:
        for batch in results:
            parts: dict[int, tuple[StagedPart, list]] = {}  # the batch's staged parts, with their cases accepted
            for folder, digest, outcome in batch:
                case_id = folder.name
                stage = "ingest"
                try:
                    if isinstance(outcome, BaseException):
                        case_id = getattr(outcome, "review_case_id", None) or stored_id(folder)
                        raise outcome
                    stage = "store"
                    if isinstance(outcome, StagedCase):
                        case_id = outcome.case_id
                    else:  # tables from a `process_case` given by the caller
                        case_id = str(outcome["cases"]["case_id"].iloc[0]) if "cases" in outcome else folder.name
                    other = state.get(case_id)
                    if (other and other.get("case") not in (None, folder.name) and other.get("status") == "complete"
                            and other.get("case") in present):
                        # a folder gone from the cases folder (renamed) gives its case up to this one
                        raise StoreError(f"case_id {case_id!r} is already stored from folder {other.get('case')!r}",
                                         file=folder / CASE_FILE)
                    if isinstance(outcome, StagedCase):  # committed with its part, below
                        parts.setdefault(id(outcome.part), (outcome.part, []))[1].append(
                            (folder, digest, case_id, other, outcome.notes or CaseNotes()))
                        record(case_id, {"case_id": case_id, "case": folder.name, "status": "complete"})  # a later copy is refused
                        continue
                    write_part(store_dir, part_name_for_case(case_id), outcome, [case_id],
                               meta={case_id: {"case": folder.name, "input_hash": digest}})
                    stored(folder, case_id, other, CaseNotes.of(outcome))
                except KeyboardInterrupt:
                    raise
                except Exception as exc:  # noqa: BLE001
                    fail(folder, digest, case_id, exc, stage)
                tick()
            for part, members in parts.values():
                keep = [case_id for _, _, case_id, _, _ in members]
                try:
                    if list(part.case_ids) != keep:  # some of its cases were refused: not their rows
                        part = _restage_without(part, keep)
                    commit_part(store_dir, part, keep, meta={case_id: {"case": folder.name, "input_hash": digest}
                                                             for folder, digest, case_id, _, _ in members})
                except KeyboardInterrupt:
                    raise
                except Exception as exc:  # noqa: BLE001  every case of the part failed to be stored
                    for folder, digest, case_id, before, _ in members:
                        record(case_id, before)
                        fail(folder, digest, case_id, exc, "store")
                    tick(len(members))
                    continue
                for folder, _, case_id, before, notes in members:
                    stored(folder, case_id, before, notes)
                tick(len(members))
    finally:
        if bar is not None:
            bar.close()
        results.close()  # on an error or Ctrl-C: cancel the batches not started, wait for the running ones
        shutil.rmtree(staging_root, ignore_errors=True)  # staged but not committed (refused cases, Ctrl-C)
        _remove_if_empty(store_dir / STAGING)
        failures_table(store_dir).to_csv(store_dir / FAILURES, index=False)
    for case_id, entry in sorted(complete_cases(store_dir).items()):
        folder = entry.get("case")
        if not folder or folder in present:  # a generated case records no folder
            continue
        if prune:
            _append_ledger(store_dir, {"case_id": case_id, "case": folder, "status": "removed",
                                       "reason": "no case folder", "time": _now()})
            summary.removed.append(case_id)
        else:
            summary.without_folder.append((case_id, folder))
    _remove_unread_parts(store_dir)
    summary.failed = pd.DataFrame(failures, columns=FAILURE_COLUMNS)
    return summary


def _remove_unread_parts(store_dir: Path) -> None:
    """Remove the part files no complete case is read from: parts whose cases were all rebuilt into
    other parts or failed since, and files a run killed while renaming them into place left behind.
    The caller holds the store's lock, so no other writer is putting files in place."""
    state, _ = _parsed_ledger(store_dir)
    current = {entry["part"] for entry in state.values() if entry.get("status") == "complete" and entry.get("part")}
    for table in store_tables(store_dir):
        for path in (store_dir / table).glob("*.parquet"):
            if path.stem not in current:
                path.unlink(missing_ok=True)


# ---------------------------------------------------------------------------------------------------
# Compaction
# ---------------------------------------------------------------------------------------------------
#: cases per part written by `compact_store`
COMPACT_CASES = 1000


@dataclass
class CompactSummary:
    cases: int = 0  # cases moved into new parts
    parts_written: int = 0
    parts_removed: int = 0

    def __str__(self) -> str:
        if not self.cases:
            return "nothing to compact"
        return (f"{self.cases} cases moved into {self.parts_written} part(s); "
                f"{self.parts_removed} part(s) removed")


def compact_store(store_dir: str | Path, cases_per_part: int = COMPACT_CASES, progress: bool = False) -> CompactSummary:
    """Merge the parts `build_all` writes (one per task, of up to 32 cases, or one per case rebuilt
    alone), the parts holding rows of cases rebuilt since (`stale_cases`) and the compacted parts of fewer
    than `cases_per_part` cases into parts of up to `cases_per_part` whole cases, in case id order: the
    fewest parts, whether the store was compacted before or not (full compacted parts stay as they are).

    Each small file costs a reader about a millisecond to open, more than reading its rows: a store
    whose cases were rebuilt one by one, or built before `build_all` wrote a part per task, holds
    thousands of them. Compacting changes no table's
    content (`read_store` gives the same rows), only the order of the parts. Each new part is written
    as `write_part` writes any part (staged, the ledger marks its cases "moving", renamed into place,
    then "complete", keeping each case's folder and input hash, so that `build_all` still skips
    unchanged cases); the old files are removed after. A case rebuilt later goes to a part of its own
    again, and its rows in the compacted part are no longer read. It holds the store's lock: while
    `build_all` writes the store, compacting is refused (`StoreBusyError`), and the other way round.
    """
    store_dir = Path(store_dir)
    if not (store_dir / LEDGER).exists():
        raise StoreError("not a case store (no ledger.jsonl)", file=store_dir)
    with store_lock(store_dir, "review compact"):
        return _compact(store_dir, cases_per_part, progress)


def _compact_candidates(complete: dict[str, dict], stale: dict[str, set[str]], cases_per_part: int) -> dict[str, dict]:
    """The complete cases `_compact` moves: every case of a part `build_all` wrote (batch-, case-), of a
    part holding rows no longer current (`stale`), and of a compacted part of fewer than `cases_per_part`
    cases, so that the store ends in the fewest parts: its full compacted parts, then the rest in parts
    of `cases_per_part`. A store already so (a lone compacted part short of full, the last of a run, and
    nothing else to move) has nothing to compact."""
    size: dict[str, int] = {}
    for entry in complete.values():
        size[entry["part"]] = size.get(entry["part"], 0) + 1
    kept = {p for p, n in size.items() if p.startswith("compact-") and p not in stale and n >= max(1, cases_per_part)}
    moving = {p for p in size if p not in kept}
    if len(moving) == 1 and next(iter(moving)).startswith("compact-") and not moving & set(stale):
        return {}
    return {c: e for c, e in complete.items() if e["part"] in moving}


def _compact(store_dir: Path, cases_per_part: int, progress: bool) -> CompactSummary:
    """`compact_store`, the store's lock held."""
    _remove_unread_parts(store_dir)  # what a compaction killed before its "complete" lines left
    complete = complete_cases(store_dir)
    stale = stale_cases(store_dir)
    moving = sorted(c for c, e in _compact_candidates(complete, stale, cases_per_part).items())
    summary = CompactSummary()
    if not moving:
        return summary
    tables = store_tables(store_dir)
    chunks = [moving[i:i + max(1, cases_per_part)] for i in range(0, len(moving), max(1, cases_per_part))]
    bar = None
    if progress:
        from tqdm import tqdm

        bar = tqdm(total=len(moving), desc="compact", unit="case", disable=None)  # none off a terminal
    try:
        for chunk in chunks:
            old_parts = sorted({complete[c]["part"] for c in chunk})
            # named after its first case, so that parts sort in case order, and its cases' hash
            slug = _SAFE.sub("_", chunk[0]).strip("._")[:40] or "case"
            part = f"compact-{slug}-" + hashlib.sha1("\n".join(chunk).encode()).hexdigest()[:12]
            keep = set(chunk)
            frames = {}
            for table in tables:
                files = [store_dir / table / f"{p}.parquet" for p in old_parts]
                files = [f for f in files if f.exists()]
                if not files:
                    continue
                frame = _read_current(files, None, CONTRACTS.get(table), stale)  # no rows no longer current
                if "case_id" in frame.columns:
                    frame = frame[frame["case_id"].isin(keep)]
                frames[table] = frame.reset_index(drop=True)
            staged = stage_part(store_dir, part, frames)
            meta = {c: {k: complete[c][k] for k in ("case", "input_hash") if k in complete[c]} for c in chunk}
            commit_part(store_dir, staged, chunk, meta, moving=True)
            current = {e["part"] for e in complete_cases(store_dir).values()}
            for old in old_parts:
                if old == part or old in current:
                    continue
                for table in tables:
                    (store_dir / table / f"{old}.parquet").unlink(missing_ok=True)
                summary.parts_removed += 1
            summary.cases += len(chunk)
            summary.parts_written += 1
            if bar is not None:
                bar.update(len(chunk))
    finally:
        if bar is not None:
            bar.close()
        _remove_if_empty(store_dir / STAGING)
    return summary


# ---------------------------------------------------------------------------------------------------
# Pandas analysis of many cases (used for synthetic stores, the benchmarks and the Dask partitions)
# ---------------------------------------------------------------------------------------------------
def case_configs(cases: pd.DataFrame) -> dict:
    """{case_id: CaseConfig} from a case table (case_id, date_of_birth, mobile_from, review_date,
    date_of_death; and timeline_options, the JSON of the case.yml ``timeline:`` the store's timeline was
    built with, kept in the CaseConfig's ``raw`` as case.yml gives it: the rules read the case's concern
    window from it, `review.rules.base.concern_window_days`; and vocab, the JSON of the case's own
    vocab.yml, its CaseConfig's ``vocab``: the rules read the case's texts with it, `review.rules.base.
    case_vocab_key`; {} (the package vocabulary, never a vocab.yml of the working directory) when the
    table has none; and child_given_name, its CaseConfig's ``child_name``: the sightings reading takes it
    as "child", as the case's own build did with case.yml's child_name; and child_sex, its ``child_sex``; and
    people, its ``people``: the case's adults by given name and role, `people_of`; and additional_needs, whether
    its case.yml stated any; and (s21) looked_after, its case.yml `looked_after` periods, `looked_after_of`)."""
    from .config import CaseConfig

    def dates(column):
        if column not in cases:
            return [None] * len(cases)
        values = pd.to_datetime(cases[column])
        return [None if pd.isna(v) else v.date() for v in values]

    parsed: dict = {}  # most cases share one text

    def raw(text) -> dict:
        if not isinstance(text, str) or not text:
            return {}
        if text not in parsed:
            options = json.loads(text)
            parsed[text] = {"timeline": options} if options else {}
        return {k: dict(v) for k, v in parsed[text].items()}

    vocabs: dict = {}  # most cases have none, or share one text: parsed once, one mapping for them

    def vocab(text) -> dict:
        if not isinstance(text, str) or not text:
            text = ""
        if text not in vocabs:
            vocabs[text] = json.loads(text) if text else {}
        return vocabs[text]

    options = cases["timeline_options"] if "timeline_options" in cases else [None] * len(cases)
    own = cases["vocab"] if "vocab" in cases else [None] * len(cases)
    given = cases["child_given_name"] if "child_given_name" in cases else [None] * len(cases)
    sexes = cases["child_sex"] if "child_sex" in cases else [None] * len(cases)
    people = cases["people"] if "people" in cases else [None] * len(cases)
    needs = cases["additional_needs"].astype("boolean").fillna(False).to_numpy(dtype=bool) \
        if "additional_needs" in cases else [False] * len(cases)
    periods: dict = {}  # most cases are not looked after: one empty text, parsed once

    def looked_after(text) -> tuple:
        key = text if isinstance(text, str) else ""
        if key not in periods:
            periods[key] = looked_after_of(key)
        return periods[key]

    lac = cases["looked_after"] if "looked_after" in cases else [None] * len(cases)
    root = Path(".")
    return {str(cid): CaseConfig(case_dir=root, case_id=str(cid), date_of_birth=dob, mobile_from=mobile,
                                 review_date=review, date_of_death=death, raw=raw(text), vocab=vocab(words),
                                 child_name=name if isinstance(name, str) and name.strip() else None,
                                 child_sex=sex if sex in ("female", "male") else None,
                                 people=people_of(who),
                                 # the store keeps whether they were stated, not what they are
                                 additional_needs=("stated",) if need else (),
                                 looked_after=looked_after(placed))
            for cid, dob, mobile, review, death, text, words, name, sex, who, need, placed in zip(
                cases["case_id"], dates("date_of_birth"), dates("mobile_from"), dates("review_date"),
                dates("date_of_death"), options, own, given, sexes, people, needs, lac)}


def timeline_many(contacts: pd.DataFrame, cases: pd.DataFrame, **options) -> pd.DataFrame:
    """`build_timeline` over many cases in one call (a case_id -> CaseConfig mapping), identical to
    calling it case by case (tests/test_store_analyse.py checks that). `options`: build_timeline's
    keyword arguments (a case.yml's ``timeline:``), the same for every case."""
    from .timeline import CaseDates, _conform, build_timeline

    # CaseDates: the dates case_configs(cases) would give, read from the table as arrays (no CaseConfig
    # per case); only the cases that have contacts are looked up. Date columns not yet datetime64 are
    # parsed for the cases with contacts only, as before (an unparsable date of another case is no error).
    dated = [c for c in ("date_of_birth", "mobile_from", "review_date", "date_of_death") if c in cases]
    if not all(pd.api.types.is_datetime64_any_dtype(cases[c]) for c in dated):
        cases = cases[cases["case_id"].isin(contacts["case_id"].unique())]
    return _conform(build_timeline(contacts, CaseDates(cases), **options), TIMELINE_COLUMNS)  # casts only if needed


def analyse_cases(contacts: pd.DataFrame, cases: pd.DataFrame, rules: dict | None = None, *,
                  tables: tuple[str, ...] = ("timeline", "flags", "response_latency"),
                  per_case: bool = False) -> dict[str, pd.DataFrame]:
    """Timeline, flags and response latency of every case in `contacts` (pandas).

    `cases` is the case table (case_id, date_of_birth, mobile_from, review_date). The timeline is built
    for all cases in one call (`timeline_many`), or case by case with ``per_case`` (the reference:
    one `build_timeline` call per case, much slower); the rules run once over all cases with each
    case's configuration. Flags and latency carry a case_id column; tables are in case_id order.
    """
    from .rules import detect, load_rules, response_latency
    from .timeline import build_timeline

    rules = load_rules() if rules is None else rules
    # the timeline below is built with the default options: the rules must not read others from the table
    configs = case_configs(cases[cases["case_id"].isin(contacts["case_id"].unique())]
                           .drop(columns="timeline_options", errors="ignore"))
    if per_case:
        frames = [build_timeline(group, configs[str(case_id)])
                  for case_id, group in contacts.groupby("case_id", sort=True)]
        timeline = conform(pd.concat(frames, ignore_index=True), TIMELINE_COLUMNS) if frames else conform(
            pd.DataFrame(), TIMELINE_COLUMNS)
    else:
        timeline = timeline_many(contacts, cases)
    result = {}
    if "timeline" in tables:
        result["timeline"] = timeline
    if "flags" in tables or "response_latency" in tables:
        flags = detect(timeline, configs, rules)
        if "flags" in tables:
            result["flags"] = conform(flags, CONTRACTS["flags"])
        if "response_latency" in tables:
            latency = response_latency(timeline, flags, rules, configs)  # review ends as `pipeline.analyse`
            if "case_id" not in latency:
                latency = latency.merge(timeline[["event_id", "case_id"]], on="event_id", how="left")
            result["response_latency"] = conform(latency, CONTRACTS["response_latency"])
    return result


def write_store_from_synth(store_dir: str | Path, n_cases: int, seed: int, contacts_per_case: int = 100, *,
                           cases_per_part: int = 1000, analyse: bool = True, rules: dict | None = None,
                           progress: bool = False) -> dict:
    """Generate synthetic cases straight into a store (no spreadsheets), in parts of `cases_per_part`.

    With ``analyse`` the pandas timeline, rules and response latency run per case and their tables
    are stored too; without it only contacts, cases and ground_truth are (enough for the Dask path
    and the benchmarks). Resumable like `build_all`: a part already complete for the same
    generator inputs is skipped. The store then holds exactly the generated cases: cases of an earlier
    run that this one does not generate (it asked for fewer) are taken out ("removed" in the ledger,
    their part files deleted). A store holding cases built from folders (`build_all`) is refused.
    Returns a summary dict (``removed``: how many cases were taken out).
    """
    store_dir = Path(store_dir)
    store_dir.mkdir(parents=True, exist_ok=True)
    with store_lock(store_dir, "review synth --store"):
        return _synth_store(store_dir, n_cases, seed, contacts_per_case, cases_per_part, analyse, rules, progress)


def _synth_store(store_dir: Path, n_cases: int, seed: int, contacts_per_case: int, cases_per_part: int,
                 analyse: bool, rules: dict | None, progress: bool) -> dict:
    """`write_store_from_synth`, the store's lock held."""
    from .rules import load_rules
    from .synth import GENERATOR_VERSION, synth_contacts

    (store_dir / LEDGER).touch()
    complete = complete_cases(store_dir)
    from_folders = sorted(c for c, e in complete.items() if e.get("case"))
    if from_folders:
        raise StoreError(f"the store holds {len(from_folders)} case(s) built from case folders ({_first(from_folders)}); "
                         "write synthetic cases to a store of their own", file=store_dir)
    n_parts = max(1, -(-int(n_cases) // int(cases_per_part)))
    written = skipped = 0
    bar = None
    if progress:
        from tqdm import tqdm

        bar = tqdm(total=n_parts, desc="synth store", unit="part", disable=None)  # none off a terminal
    for p in range(n_parts):
        first = p * cases_per_part
        count = min(cases_per_part, n_cases - first)
        # each part has its own seed so that a part can be regenerated alone, identically
        digest = hashlib.sha256(f"synth {GENERATOR_VERSION} {seed} {p} {first} {count} {contacts_per_case} "
                                f"analyse={analyse} review {__version__} {code_fingerprint()}".encode()).hexdigest()
        part = f"part-{p:05d}"
        first_id = f"C{first + 1:06d}"
        if complete.get(first_id, {}).get("input_hash") == digest and complete[first_id].get("part") == part:
            skipped += 1
        else:
            contacts, cases, truth = synth_contacts(count, seed=[seed, p], contacts_per_case=contacts_per_case,
                                                    first_case=first)
            tables = {"contacts": contacts, "cases": cases, "ground_truth": truth}
            if analyse:
                used = load_rules() if rules is None else rules
                tables.update(analyse_cases(contacts, cases, used))
                tables["cases"] = cases.assign(rules=config_json(used), timeline_options=config_json({}))
            write_part(store_dir, part, tables, cases["case_id"],
                       meta={c: {"input_hash": digest, "source": f"synth seed={seed}"} for c in cases["case_id"]})
            written += 1
        if bar is not None:
            bar.update(1)
    if bar is not None:
        bar.close()
    generated = {f"C{i:06d}" for i in range(1, int(n_cases) + 1)}
    removed = sorted(c for c in complete_cases(store_dir) if c not in generated)
    for case_id in removed:  # an earlier run generated more cases than this one
        _append_ledger(store_dir, {"case_id": case_id, "status": "removed", "reason": "no longer generated",
                                   "time": _now()})
    _remove_unread_parts(store_dir)
    failures_table(store_dir).to_csv(store_dir / FAILURES, index=False)
    return {"store": str(store_dir), "cases": int(n_cases), "contacts": int(n_cases) * int(contacts_per_case),
            "parts": n_parts, "parts_written": written, "parts_skipped": skipped, "analysed": analyse,
            "removed": len(removed)}
