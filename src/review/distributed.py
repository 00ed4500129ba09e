"""The same timeline and rules over a Parquet case store, in parallel with Dask.

Each part file of the store holds whole cases, so consecutive part files grouped up to about
`partition_rows` contacts make one Dask partition (`dd.from_map`, one task per group) and the pandas
functions run unchanged inside it: `timeline_many` (build_timeline over the partition's cases) and
`detect` / `response_latency` with each case's configuration (its dates, timeline options and rules, as
the store kept them), then the reviewers' decisions the store kept (`decisions.apply_decisions`), through
`map_partitions` with an explicit
`meta` taken from the schema contracts. Each call of the rules has a fixed cost (~0.3 s), so a few large
partitions beat many small ones. Run it on a `LocalCluster` (processes, one thread per worker: pandas
holds the GIL) or on an existing cluster by address.

    with dask_client(n_workers=2) as client:
        flags = analyse_store("store/", client=client)["flags"]
"""
from __future__ import annotations

import contextlib
from collections.abc import Iterator
from functools import partial
from pathlib import Path

import dask
import dask.dataframe as dd
import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq

from .schema import TIMELINE_COLUMNS, conform, empty_frame
from .store import CONTRACTS, StoreError, complete_cases, part_files, read_store, stale_cases

TABLES = ("timeline", "flags", "response_latency")
#: runs of `analyse_store`'s graph when a writer removes parts it planned to read
RUN_ATTEMPTS = 3


class PartRemovedError(StoreError):
    """A part of the store was removed (compaction, or a rebuild) after the Dask graph was planned."""


@contextlib.contextmanager
def dask_client(address: str | None = None, *, n_workers: int = 2, processes: bool = True,
                threads_per_worker: int = 1, **cluster_kwargs) -> Iterator["distributed.Client"]:  # noqa: F821
    """A `distributed.Client`: to the cluster at `address`, or to a new `LocalCluster` closed on exit.

    The local cluster has `n_workers` workers (processes by default; ``processes=False`` runs them as
    threads in this process, which is quicker to start and enough for tests) of `threads_per_worker`
    threads each.
    """
    from distributed import Client, LocalCluster

    if address:
        from .errors import ConfigError

        check_scheduler_reachable(address)
        try:
            client = Client(address, timeout=f"{CONNECT_TIMEOUT}s")
        except (OSError, TimeoutError) as exc:  # reachable, but no scheduler answered in time
            raise ConfigError(f"cannot connect to the Dask scheduler at {address}: {exc}") from None
        except Exception as exc:  # noqa: BLE001  something answered, but not as a Dask scheduler speaks
            raise ConfigError(f"cannot connect to the Dask scheduler at {address}: something answered there, "
                              f"but not a Dask scheduler ({type(exc).__name__}): check the address and "
                              "port (the scheduler's, usually 8786, not its dashboard's)") from None
        try:
            yield client
        finally:
            client.close()
        return
    cluster_kwargs.setdefault("dashboard_address", None)
    with dask.config.set(LOCAL_WORKER_CONFIG):  # read by each nanny when it starts its worker
        cluster = LocalCluster(n_workers=n_workers, processes=processes, threads_per_worker=threads_per_worker,
                               **cluster_kwargs)
    with cluster, Client(cluster) as client:
        client.run(_import_library)  # part of starting the cluster, not of the first computation
        yield client


#: seconds to find and reach a scheduler given by address (name lookup and TCP connection together):
#: an unreachable host fails after this, an unknown name or a refused port at once
PROBE_TIMEOUT = 5
#: seconds the Dask client is given to connect and greet the scheduler once its port answers (instead
#: of distributed's 30 s, spent retrying an address that cannot work)
CONNECT_TIMEOUT = 10


def check_scheduler_reachable(address: str, timeout: float = PROBE_TIMEOUT) -> None:
    """Raise ConfigError (one line naming `address`) unless a TCP connection to it opens within `timeout`
    seconds: an unknown host name or a refused port fails at once, a host that does not answer after
    `timeout`, instead of distributed's 30 s of retries. Addresses of other protocols (inproc://, ucx://)
    are left to distributed."""
    import socket
    import threading

    from distributed.comm.addressing import parse_address, parse_host_port

    from .errors import ConfigError

    def fail(why: str):
        raise ConfigError(f"cannot connect to the Dask scheduler at {address}: {why}") from None

    try:
        scheme, location = parse_address(address)
    except (TypeError, ValueError) as exc:
        fail(f"not a scheduler address ({exc}); give it as tcp://HOST:PORT")
    if scheme not in ("tcp", "tls"):
        return
    try:
        host, port = parse_host_port(location)
    except (TypeError, ValueError):
        fail("not a scheduler address: give it as tcp://HOST:PORT (the scheduler's port, usually 8786)")
    outcome: list = []

    def connect():  # in a thread: a name lookup cannot be given a timeout of its own
        try:
            socket.create_connection((host, port), timeout=timeout).close()
            outcome.append(None)
        except BaseException as exc:  # noqa: BLE001  reported by the caller
            outcome.append(exc)

    worker = threading.Thread(target=connect, name="review-dask-probe", daemon=True)
    worker.start()
    worker.join(timeout)
    if not outcome:
        fail(f"no answer from {host} port {port} within {timeout:g} s (a wrong host, a stopped machine or "
             "a firewall)")
    exc = outcome[0]
    if exc is None:
        return
    if isinstance(exc, socket.gaierror):
        fail(f"unknown host {host!r} ({exc.strerror or exc})")
    if isinstance(exc, ConnectionRefusedError):
        fail(f"connection refused on port {port}: no scheduler is running there")
    if isinstance(exc, (TimeoutError, socket.timeout)):
        fail(f"no answer from {host} port {port} within {timeout:g} s (a wrong host, a stopped machine or "
             "a firewall)")
    if isinstance(exc, OSError):
        fail(exc.strerror or str(exc))
    raise exc


# A local cluster is started for this library's work: pandas tasks that hold the GIL for seconds and
# allocate large arrays. Two of distributed's defaults cost them ~35% of their time (measured at 1M
# contacts on 2 workers: 4.5-5.3 s -> 2.9-3.5 s):
# - the statistical profiler samples every task thread's stack every 10 ms, taking the GIL each time;
# - MALLOC_TRIM_THRESHOLD_=65536 in the workers' environment switches off glibc's dynamic mmap
#   threshold, so every large numpy array is a fresh mmap whose pages fault in again on first touch.
# An existing cluster given by address keeps its own settings.
LOCAL_WORKER_CONFIG = {
    "distributed.worker.profile.enabled": False,
    "distributed.nanny.pre-spawn-environ.MALLOC_TRIM_THRESHOLD_": None,  # None: not set (dask's way to unset)
}


def _import_library() -> None:
    """Import the modules the tasks use, once per worker."""
    import importlib

    for module in ("review.store", "review.timeline", "review.rules", "review.distributed"):
        importlib.import_module(module)


PARTITION_ROWS = 500_000  # contacts per Dask partition (whole part files, so whole cases)


def partition_groups(files: list[str], partition_rows: int = PARTITION_ROWS) -> list[tuple[str, ...]]:
    """Consecutive part files grouped until each group holds at least `partition_rows` contacts (the last
    may hold fewer). Row counts come from the Parquet footers; ``partition_rows <= 1`` keeps one file
    per group."""
    groups: list[tuple[str, ...]] = []
    current: list[str] = []
    rows = 0
    for f in files:
        current.append(f)
        rows += pq.ParquetFile(f).metadata.num_rows if partition_rows > 1 else 1
        if rows >= partition_rows:
            groups.append(tuple(current))
            current, rows = [], 0
    if current:
        groups.append(tuple(current))
    return groups


_STRINGS = {pa.string(): pd.StringDtype("pyarrow"), pa.large_string(): pd.StringDtype("pyarrow")}


def _read_part(paths: str | tuple[str, ...], table: str = "contacts", stale: dict | None = None) -> pd.DataFrame:
    """Table `table` of one part, or a group of them, as a pandas frame in its contract's dtypes (one Dask
    partition). `paths` are the parts' contacts files; another table is read from the same parts (a
    part without it, written before the store kept that table, adds no rows). Text is read straight into
    the nullable "string" dtype the contracts use. `stale`: {part: case ids whose rows in that part are no
    longer current} (`store.stale_cases`), dropped."""
    import pyarrow.compute as pc

    paths = (paths,) if isinstance(paths, str) else paths
    tables = []
    for path in paths:
        part = Path(path)
        file = part if table == "contacts" else part.parent.parent / table / part.name
        if table != "contacts" and not file.exists():
            continue
        try:
            data = pq.read_table(file)
        except FileNotFoundError:  # planned from the ledger, then removed by a writer (compaction)
            raise PartRemovedError("a part of the store was removed while Dask was reading it (the store was compacted "
                             "or rebuilt meanwhile): run again", file=file) from None
        if stale and stale.get(part.stem):
            data = data.filter(pc.invert(pc.is_in(data["case_id"], pa.array(sorted(stale[part.stem]), pa.string()))))
        tables.append(data)
    contract = {**CONTRACTS["flags"], **DECIDED_COLUMNS} if table == "flags" else CONTRACTS.get(table)
    if not tables:
        return empty_frame(contract)
    data = pa.concat_tables(tables, promote_options="permissive")
    frame = data.to_pandas(types_mapper=_STRINGS.get)
    return conform(frame, contract) if contract else frame


#: the columns the reviewers' decisions add to the flags (`decisions.apply_decisions`)
DECIDED_COLUMNS = {"decision": "string", "rationale": "string", "decided_by": "string", "decided_on": "datetime64[ns]"}


def _meta(table: str) -> pd.DataFrame:
    return empty_frame(CONTRACTS[table])


#: the case table's columns the partitions need: the dates, and what each case was analysed with
CASE_COLUMNS = ["case_id", "date_of_birth", "mobile_from", "review_date", "date_of_death", "rules",
                "timeline_options", "vocab", "child_given_name", "child_sex", "people", "additional_needs",
                "looked_after"]


def _groups(cases: pd.DataFrame, column: str) -> list[tuple[str, list[str]]]:
    """[(text of `column`, the case ids with it)], first seen first; empty (not kept: a store written
    before the setting was) as "". `column` is categorical (`store_frames`): grouped by its codes,
    without making a text per case."""
    if column not in cases:
        return [("", cases["case_id"].astype(str).tolist())]
    values = cases[column]
    if not isinstance(values.dtype, pd.CategoricalDtype):
        values = values.astype("category")
    categories = [str(c) for c in values.cat.categories]
    out: dict[str, list[str]] = {}
    for case_id, code in zip(cases["case_id"].astype(str), values.cat.codes.tolist()):
        out.setdefault(categories[code] if code >= 0 else "", []).append(case_id)
    return list(out.items())


def _in_groups(frames: list[pd.DataFrame]) -> pd.DataFrame:
    """Tables of the partition's groups of cases as one, in case order, each case's rows in the order its
    group's call gave them. Sorted even for one group: `response_latency` gives a group's concerns in
    date order across its cases, so that without it the rows' order depended on which cases shared a
    partition (`--partition-rows`, the store's parts)."""
    frame = frames[0] if len(frames) == 1 else pd.concat(frames, ignore_index=True)
    if "case_id" not in frame.columns or frame["case_id"].is_monotonic_increasing:
        return frame
    return frame.sort_values("case_id", kind="stable").reset_index(drop=True)


def _rules_of(text: str, rules: dict | None) -> dict:
    """The rules a group of cases runs: `rules` when the caller gave them, else those the store kept
    for the cases, else the package's."""
    import json

    from .rules import load_rules

    if rules is not None:
        return rules
    return json.loads(text) if text else load_rules()


def _timeline_partition(contacts: pd.DataFrame, cases: pd.DataFrame) -> pd.DataFrame:
    """The partition's timeline: one `timeline_many` call per group of cases with the same timeline
    options (usually one)."""
    import json

    from .store import timeline_many

    if contacts.empty:
        return _meta("timeline")
    present = cases[cases["case_id"].isin(contacts["case_id"].unique())]
    frames = []
    for text, case_ids in _groups(present, "timeline_options"):
        options = json.loads(text) if text else {}
        if len(case_ids) == len(present):
            frames.append(timeline_many(contacts, present, **options))
        else:
            frames.append(timeline_many(contacts[contacts["case_id"].isin(case_ids)],
                                        present[present["case_id"].isin(case_ids)], **options))
    return _in_groups(frames)


def _rule_groups(timeline: pd.DataFrame, cases: pd.DataFrame, rules: dict | None):
    """(its timeline rows, {case_id: CaseConfig}, rules) of each group of the partition's cases that
    share rules."""
    from .store import case_configs

    present = cases[cases["case_id"].isin(timeline["case_id"].unique())]
    groups = [("", present["case_id"].astype(str).tolist())] if rules is not None else _groups(present, "rules")
    for text, case_ids in groups:
        rows = timeline if len(groups) == 1 else timeline[timeline["case_id"].isin(case_ids)].reset_index(drop=True)
        yield rows, case_configs(present[present["case_id"].isin(case_ids)]), _rules_of(text, rules)


def _flags_partition(timeline: pd.DataFrame, cases: pd.DataFrame, rules: dict | None) -> pd.DataFrame:
    from .rules import detect

    if timeline.empty:
        return _meta("flags")
    return _in_groups([conform(detect(rows, configs, group_rules), CONTRACTS["flags"])
                       for rows, configs, group_rules in _rule_groups(timeline, cases, rules)])


def _decided_partition(flags: pd.DataFrame, timeline: pd.DataFrame, stored: pd.DataFrame, history: pd.DataFrame,
                       cases: pd.DataFrame, rules: dict | None) -> pd.DataFrame:
    """The partition's flags with the reviewers' decisions, as `build_all` stored them (`pipeline.decide`).

    `stored`: the store's flags of the partition's cases; `history`: their decision rows (the store's
    `decisions` table), both read by `_read_part`. A case with decision rows gets them applied (`decisions.apply_decisions`: the
    decision in force per flag, the findings its reviewers added). A case without any takes its flags'
    decisions from the store's flags, by flag id (pending for a flag the store does not have, as when
    other rules are given), and keeps the findings reviewers added as stored: what a store written before
    the decision rows were kept holds. A case whose part's flags have no decision columns (a generated
    store: ``cases["decisions_kept"]`` False) leaves them empty, as its stored flags have them.
    Each case's flags in (trigger date, rule, flag id) order, the findings reviewers added last, cases in case
    id order."""
    from .decisions import ADDED_SOURCE, PENDING, apply_decisions, order_decided

    contract = {**CONTRACTS["flags"], **DECIDED_COLUMNS}
    if timeline.empty:
        return empty_frame(contract)
    with_history = set(history["case_id"].astype(str)) if len(history) else set()
    frames = []
    plain = flags[~flags["case_id"].isin(with_history)]
    rest = stored[~stored["case_id"].isin(with_history)]
    if len(plain) or len(rest):
        decided_cases = set(cases.loc[cases["decisions_kept"], "case_id"].astype(str))
        lookup = rest.drop_duplicates(["case_id", "flag_id"]).set_index(["case_id", "flag_id"])[list(DECIDED_COLUMNS)]
        joined = plain.join(lookup, on=["case_id", "flag_id"])
        # a flag the store does not have (other rules given to Dask) is pending in a case whose
        # decisions the store keeps
        new = joined["decision"].isna().to_numpy() & joined["case_id"].isin(decided_cases).to_numpy()
        if new.any():
            joined.loc[new, "decision"] = PENDING
            joined.loc[new, ["rationale", "decided_by"]] = ""
        added = rest[(rest["source"] == ADDED_SOURCE).fillna(False).to_numpy() & rest["decision"].notna().to_numpy()]
        added = added[~added.set_index(["case_id", "flag_id"]).index.isin(joined.set_index(["case_id", "flag_id"]).index)]
        frames += [joined, added]
    kept_rules = ({str(c): "" if pd.isna(r) else str(r) for c, r in zip(cases["case_id"], cases["rules"])}
                  if "rules" in cases else {})
    for case_id, rows in history.groupby("case_id", sort=True):
        decided = apply_decisions(flags[flags["case_id"] == case_id].drop(columns="case_id"),
                                  rows.drop(columns="case_id"), timeline[timeline["case_id"] == case_id],
                                  _rules_of(kept_rules.get(str(case_id), ""), rules))
        decided.insert(0, "case_id", case_id)
        frames.append(decided)
    frames = [f for f in frames if len(f)]
    if not frames:
        return empty_frame(contract)
    out = conform(pd.concat(frames, ignore_index=True), contract)
    return order_decided(out, by=["case_id"])


def _latency_partition(timeline: pd.DataFrame, flags: pd.DataFrame, cases: pd.DataFrame,
                       rules: dict | None) -> pd.DataFrame:
    """Response latency of a partition, from its timeline and its flags (the same partition's), with
    each case's review end (review date, date of death), as `pipeline.analyse` computes it."""
    from .rules import response_latency

    if timeline.empty:
        return _meta("response_latency")
    frames = []
    for rows, configs, group_rules in _rule_groups(timeline, cases, rules):
        group_flags = flags[flags["case_id"].isin(list(configs))] if len(flags) else flags
        latency = response_latency(rows, group_flags, group_rules, configs)
        if "case_id" not in latency:
            latency = latency.merge(rows[["event_id", "case_id"]], on="event_id", how="left")
        frames.append(conform(latency, CONTRACTS["response_latency"]))
    return _in_groups(frames)


def _cases_with_decisions(store_dir: str | Path) -> set[str]:
    """The complete cases whose part's flags carry the reviewers' decision columns (`build_all` writes
    them; a generated store does not)."""
    parts = {f.stem for f in part_files(store_dir, "flags") if "decision" in pq.read_schema(f).names}
    return {case_id for case_id, entry in complete_cases(store_dir).items() if entry.get("part") in parts}


def store_frames(store_dir: str | Path, rules: dict | None = None, *, tables: tuple[str, ...] = ("flags",),
                 partition_rows: int = PARTITION_ROWS) -> dict[str, dd.DataFrame]:
    """Lazy Dask frames of the requested tables: one partition per group of consecutive part files of
    the store's contacts holding about `partition_rows` contacts (`partition_groups`).

    Each case is analysed as `review build-all` analysed it: with its dates (date of death included),
    its case.yml's timeline options and the rules in force for it (its rules.yml), all kept in the
    store's case table. `rules` replaces the kept rules for every case; a store written before they
    were kept runs the package's rules. The flags get the reviewers' decisions the store keeps for each
    case (`_decided_partition`); response latency is computed from the rules' flags, as `build_all` does."""
    unknown = set(tables) - set(TABLES)
    if unknown:
        raise ValueError(f"tables must be among {TABLES}, got {sorted(unknown)}")
    files = [str(f) for f in part_files(store_dir, "contacts")]
    if not files:
        raise StoreError("the store holds no complete cases", file=store_dir)
    cases = read_store(store_dir, "cases")[CASE_COLUMNS]  # every column: older stores lack some (read as empty)
    # the rules (~6 KB of JSON a case) and timeline options as categories: a few distinct texts, not
    # one per case, in the frame every task of the graph carries
    cases = cases.astype({"rules": "category", "timeline_options": "category", "vocab": "category"})
    # the flags get the reviewers' decisions when the store's flags carry them (build_all stores them;
    # a generated store does not)
    with_decisions = _cases_with_decisions(store_dir)
    decided = bool(with_decisions)
    cases["decisions_kept"] = cases["case_id"].isin(with_decisions).to_numpy()
    with dask.config.set({"dataframe.convert-string": False}):
        by_part = stale_cases(store_dir)  # rows of cases rebuilt since into a part of their own
        stale = {Path(f).stem: frozenset(by_part[Path(f).stem]) for f in files if Path(f).stem in by_part}
        reader = partial(_read_part, stale=stale) if stale else _read_part
        groups = partition_groups(files, partition_rows)
        contacts = dd.from_map(reader, groups, meta=_meta("contacts"), enforce_metadata=False)
        timeline = contacts.map_partitions(_timeline_partition, cases, meta=empty_frame(TIMELINE_COLUMNS),
                                           enforce_metadata=False)
        out = {}
        if "timeline" in tables:
            out["timeline"] = timeline
        flags = timeline.map_partitions(_flags_partition, cases, rules, meta=_meta("flags"), enforce_metadata=False)
        if "flags" in tables and not decided:
            out["flags"] = flags
        elif "flags" in tables:
            # the same parts' stored flags and decision rows, one partition each (whole cases, as above)
            contract = {**CONTRACTS["flags"], **DECIDED_COLUMNS}
            stored = dd.from_map(partial(_read_part, table="flags", stale=stale), groups,
                                 meta=empty_frame(contract), enforce_metadata=False)
            history = dd.from_map(partial(_read_part, table="decisions", stale=stale), groups,
                                  meta=_meta("decisions"), enforce_metadata=False)
            out["flags"] = flags.map_partitions(_decided_partition, timeline, stored, history, cases, rules,
                                                meta=empty_frame(contract), enforce_metadata=False,
                                                align_dataframes=False)
        if "response_latency" in tables:
            # partition i of the timeline with partition i of the flags (both hold the same cases)
            out["response_latency"] = timeline.map_partitions(_latency_partition, flags, cases, rules,
                                                              meta=_meta("response_latency"),
                                                              enforce_metadata=False, align_dataframes=False)
    return out


def analyse_store(store_dir: str | Path, *, client=None, address: str | None = None, n_workers: int = 2,
                  processes: bool = True, rules: dict | None = None, tables: tuple[str, ...] = ("flags",),
                  partition_rows: int = PARTITION_ROWS) -> dict[str, pd.DataFrame]:
    """Run the timeline and rules over every complete case of a store with Dask; pandas tables back.

    Uses `client` if given, else connects to `address`, else starts a `LocalCluster` of `n_workers`
    single-threaded workers for the duration of the call. The tables requested are computed together
    (a partition's timeline and flags are computed once and shared) and returned concatenated in part
    order. The flags carry the reviewers' decisions the store keeps, as its flags table does (with the
    findings reviewers added; each case's flags in trigger date, rule, flag id order; cases in case id
    order within a partition); a store that keeps no decisions gives the rules' flags in `detect`'s
    order. When a writer removes a part while the graph runs (compaction), the graph is planned again
    from the ledger and run again, up to `RUN_ATTEMPTS` times.
    """

    def compute(c):
        for attempt in range(RUN_ATTEMPTS):
            frames = store_frames(store_dir, rules, tables=tables, partition_rows=partition_rows)
            names = list(frames)
            try:
                results = c.compute([frames[n] for n in names], sync=True)
            except PartRemovedError:
                if attempt + 1 == RUN_ATTEMPTS:
                    raise
                continue
            return dict(zip(names, [r.reset_index(drop=True) for r in results]))
        raise AssertionError("unreachable")

    if client is not None:
        return compute(client)
    with dask_client(address, n_workers=n_workers, processes=processes) as own:
        return compute(own)
