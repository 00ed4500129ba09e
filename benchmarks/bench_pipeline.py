"""Benchmark: timeline + all rules on pandas and on Dask, and ingest of agency xlsx files, against
plain row-by-row Python baselines (benchmarks/baseline_rowwise.py).

    python benchmarks/bench_pipeline.py                      # 10k, 100k, 1M contacts (100 per case)
    python benchmarks/bench_pipeline.py --quick              # 10k and 100k, smaller ingest
    python benchmarks/bench_pipeline.py --sizes 10000,50000 --workers 2 --markdown out.md

Every measurement runs --repeat times (default 3), each in its own subprocess (fresh interpreter,
nothing cached); the median run is reported, with every run's time listed. Each run reports wall
seconds and CPU seconds of the timed section and the peak resident memory (RSS) of that process (and,
for Dask, of its children: the workers), sampled every 20 ms with psutil during the timed section. Data generation and
writing are not timed. The row-by-row baseline (the same timeline and rules as the package, written
the plain way: tests/test_baseline_equivalence.py checks its flags equal the package's) runs up to
--baseline-max contacts (default 1M: ~40 s and ~3.4 GB there) and is extrapolated linearly above that
(marked "extrapolated" in the output).

Measured per size: pandas in one process on the store's contacts (kept in chronology order by the
store), on the same rows shuffled, and on the same rows with every description and action made
distinct (`bench_unique_texts.unique_texts`; the baseline is run once on those too, --skip-unique to
leave them out); Dask on a LocalCluster of --workers processes (start-up not
timed). Ingest: review.ingest over the case folders in one process and on --workers processes (pool
start-up timed; the pipeline is imported before timing in both, and forked workers inherit it), the
openpyxl row-by-row baseline, and two floors: calamine and openpyxl reading every cell and doing nothing
else. build-all: `review build-all` over --build-all-cases synthetic case folders into a fresh store,
analysing and storing one case per call (one part per case), in batches with a part per task (what it
does), and the same on --workers processes; then every table read back from each store, and from the
one-case store after `review compact`.
"""
from __future__ import annotations

import argparse
import json
import os
import platform
import subprocess
import sys
import threading
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
SEED = 20261125
CONTACTS_PER_CASE = 100
TARGETS = {"seconds_1m": 15.0, "peak_gb_1m": 4.0, "scaling_1m_over_100k": 12.0, "ingest_seconds": 10.0,
           "speedup": 20.0}


# ---------------------------------------------------------------------------------------------------
# Measuring inside a subprocess
# ---------------------------------------------------------------------------------------------------
class PeakRSS:
    """Peak RSS (bytes) of this process plus all its descendants, sampled in a thread."""

    def __init__(self, interval: float = 0.02, children: bool = False):
        import psutil

        self.process = psutil.Process()
        self.interval = interval
        self.children = children  # scanning for descendants walks /proc: only when there are workers
        self.peak = 0
        self._stop = threading.Event()

    def sample(self) -> int:
        import psutil

        total = 0
        for p in [self.process] + (self.process.children(recursive=True) if self.children else []):
            try:
                total += p.memory_info().rss
            except (psutil.NoSuchProcess, psutil.AccessDenied):
                pass
        return total

    def cpu(self) -> float:
        """User + system CPU seconds of this process and its descendants (live ones from psutil, those
        that have exited and been waited for from getrusage)."""
        import resource

        import psutil

        total = 0.0
        if self.children:
            reaped = resource.getrusage(resource.RUSAGE_CHILDREN)
            total += reaped.ru_utime + reaped.ru_stime
        for p in [self.process] + (self.process.children(recursive=True) if self.children else []):
            try:
                t = p.cpu_times()
                total += t.user + t.system
            except (psutil.NoSuchProcess, psutil.AccessDenied):
                pass
        return total

    def _run(self):
        while not self._stop.is_set():
            self.peak = max(self.peak, self.sample())
            self._stop.wait(self.interval)

    def __enter__(self):
        self.load_before = os.getloadavg()[0]
        self.cpu_before = self.cpu()
        self.before = self.sample()
        self.peak = self.before
        self._thread = threading.Thread(target=self._run, daemon=True)
        self._thread.start()
        return self

    def __exit__(self, *exc):
        self._stop.set()
        self._thread.join()
        self.peak = max(self.peak, self.sample())
        self.cpu_seconds = self.cpu() - self.cpu_before
        self.load_after = os.getloadavg()[0]

    def fields(self) -> dict:
        import resource

        return {"rss_before": self.before, "rss_peak": self.peak, "cpu_seconds": self.cpu_seconds,
                "ru_maxrss_process": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024,
                "load_before": self.load_before, "load_after": self.load_after}


def _emit(result: dict) -> None:
    print("RESULT " + json.dumps(result, default=str), flush=True)


def measure(kind: str, data: Path, workers: int) -> None:
    import pandas as pd

    from review.rules import load_rules
    from review.store import case_configs, read_store

    rules = load_rules()
    if kind in ("pandas", "pandas_shuffled", "pandas_unique", "baseline", "baseline_unique"):
        contacts = read_store(data / "store", "contacts")
        cases = read_store(data / "store", "cases")
    if kind in ("pandas_unique", "baseline_unique"):
        # every description and action made distinct (a sentence, a name, a date and a number added, as
        # benchmarks/bench_unique_texts.py does; not timed): the synthetic texts repeat a few dozen
        # sentences, so work done once per distinct text looks free on them, and real chronologies'
        # texts are all different
        sys.path.insert(0, str(HERE))
        from bench_unique_texts import unique_texts

        contacts = unique_texts(contacts)
    if kind == "pandas_shuffled":
        # the store keeps contacts in chronology order, which spares the timeline its reordering copy;
        # the same rows in random order (not timed) show the cost for a table in any order
        import numpy as np

        contacts = contacts.take(np.random.default_rng(SEED).permutation(len(contacts))).reset_index(drop=True)
    if kind in ("pandas", "pandas_shuffled", "pandas_unique"):
        from review.rules import detect
        from review.store import timeline_many

        configs = case_configs(cases)
        with PeakRSS() as mem:  # first (cold) run: what a user waits for
            t0 = time.perf_counter()
            timeline = timeline_many(contacts, cases)
            t1 = time.perf_counter()
            flags = detect(timeline, configs, rules)
            t2 = time.perf_counter()
        del timeline, flags
        w0 = time.perf_counter()  # second (warm) run: caches and first-call costs paid
        timeline = timeline_many(contacts, cases.copy())
        flags = detect(timeline, configs, rules)
        w1 = time.perf_counter()
        _emit({"kind": kind, "rows": len(contacts), "seconds": t2 - t0, "timeline_seconds": t1 - t0,
               "rules_seconds": t2 - t1, "seconds_warm": w1 - w0, "flags": len(flags), **mem.fields()})
    elif kind == "dask":
        from review.distributed import analyse_store, dask_client

        t_start = time.perf_counter()
        with dask_client(n_workers=workers, processes=True, threads_per_worker=1) as client:
            started = time.perf_counter() - t_start
            with PeakRSS(children=True) as mem:  # first run on fresh workers (imports, first calls)
                t0 = time.perf_counter()
                flags = analyse_store(data / "store", client=client, rules=rules, tables=("flags",))["flags"]
                t1 = time.perf_counter()
            w0 = time.perf_counter()  # second run on the same, warm workers
            analyse_store(data / "store", client=client, rules=rules, tables=("flags",))
            w1 = time.perf_counter()
        n = sum(len(pd.read_parquet(f, columns=["case_id"])) for f in (data / "store" / "contacts").glob("*.parquet"))
        _emit({"kind": kind, "rows": n, "seconds": t1 - t0, "seconds_warm": w1 - w0,
               "cluster_start_seconds": started, "flags": len(flags),
               **mem.fields(), "workers": workers})
    elif kind in ("baseline", "baseline_unique"):
        sys.path.insert(0, str(HERE))
        import baseline_rowwise

        # plain Python values (None, datetime, bool), as a script reading a csv would have; not timed
        rows, info = baseline_rowwise.rows_and_cases(contacts, cases)
        with PeakRSS() as mem:
            t0 = time.perf_counter()
            _, flags = baseline_rowwise.run(rows, info, rules)
            t1 = time.perf_counter()
        _emit({"kind": kind, "rows": len(rows), "seconds": t1 - t0, "flags": len(flags),
               **mem.fields()})
    elif kind == "ingest":
        from review.config import load_case_config
        from review.ingest import load_contacts

        folders = sorted(p for p in (data / "ingest").iterdir() if (p / "case.yml").exists())
        with PeakRSS() as mem:
            t0 = time.perf_counter()
            rows = rejected = files = 0
            for folder in folders:
                config = load_case_config(folder)
                contacts, report = load_contacts(config)
                rows += len(contacts)
                rejected += report.rows_rejected
                files += len(config.files)
            t1 = time.perf_counter()
        _emit({"kind": kind, "rows": rows, "rejected": rejected, "files": files, "seconds": t1 - t0,
               **mem.fields()})
    elif kind == "ingest_parallel":
        # the same work on `workers` processes, one case folder per task (what `review build-all
        # --workers N` does); the contact tables come back to this process. Pool start-up is timed.
        from concurrent.futures import ProcessPoolExecutor

        import review.ingest  # noqa: F401  imported before timing, as for one process; forked workers inherit it
        from review.store import warm_imports

        warm_imports()
        folders = sorted(p for p in (data / "ingest").iterdir() if (p / "case.yml").exists())
        with PeakRSS(children=True) as mem:
            t0 = time.perf_counter()
            with ProcessPoolExecutor(max_workers=workers) as pool:
                done = list(pool.map(_ingest_folder, folders))
            t1 = time.perf_counter()
        _emit({"kind": kind, "rows": sum(len(c) for c, _, _ in done), "rejected": sum(r for _, r, _ in done),
               "files": sum(f for _, _, f in done), "seconds": t1 - t0, "workers": workers, **mem.fields()})
    elif kind in ("build_all", "build_all_parallel", "build_all_per_case"):
        # `review build-all` over synthetic case folders into a fresh store: ingest, analysis and the
        # Parquet writes. "per_case" analyses one case per call (`process_case_folder`), the reference
        # for the batches build-all analyses cases in
        import shutil

        from review.store import build_all, process_case_folder, warm_imports

        warm_imports()
        store = data / "bench-store"
        shutil.rmtree(store, ignore_errors=True)
        n = workers if kind == "build_all_parallel" else 1
        process = process_case_folder if kind == "build_all_per_case" else None
        with PeakRSS(children=n > 1) as mem:
            t0 = time.perf_counter()
            summary = build_all(data / "cases", store, progress=False, workers=n, process_case=process)
            t1 = time.perf_counter()
        extra = {}
        if kind in ("build_all", "build_all_per_case"):
            # every table read back: from the parts per task build-all writes, or from one part per case
            # (`process_case` stores each case alone), and those after `review compact`
            from review.store import CONTRACTS, compact_store, read_store

            def read_all() -> float:
                r0 = time.perf_counter()
                for table in CONTRACTS:
                    read_store(store, table)
                return time.perf_counter() - r0

            read_all()  # first-call costs (imports) not in either figure
            extra["read_seconds"] = read_all()
            extra["parts"] = len(list((store / "contacts").glob("*.parquet")))
            if kind == "build_all_per_case":
                c0 = time.perf_counter()
                compact_store(store)
                extra["compact_seconds"] = time.perf_counter() - c0
                extra["read_compacted_seconds"] = read_all()
        shutil.rmtree(store, ignore_errors=True)
        _emit({"kind": kind, "cases": len(summary.built), "failed": len(summary.failed), "seconds": t1 - t0,
               "workers": n, **extra, **mem.fields()})
    elif kind in ("read_calamine", "read_openpyxl"):
        # floors: only reading every cell of every sheet, nothing parsed, checked or built
        files = sorted((data / "ingest").glob("*/*.xlsx"))
        with PeakRSS() as mem:
            t0 = time.perf_counter()
            rows = sum(_read_cells(f, kind == "read_calamine") for f in files)
            t1 = time.perf_counter()
        _emit({"kind": kind, "rows": rows, "files": len(files), "seconds": t1 - t0, **mem.fields()})
    elif kind == "ingest_baseline":
        sys.path.insert(0, str(HERE))
        import baseline_rowwise

        from review.config import load_vocab

        vocab = load_vocab()
        files = sorted((data / "ingest").glob("*/*.xlsx"))
        with PeakRSS() as mem:
            t0 = time.perf_counter()
            rows = sum(len(baseline_rowwise.read_chronology_rowwise(f, vocab)) for f in files)
            t1 = time.perf_counter()
        _emit({"kind": kind, "rows": rows, "files": len(files), "seconds": t1 - t0,
               **mem.fields()})
    else:
        raise SystemExit(f"unknown measurement {kind!r}")


def _read_cells(path: Path, calamine: bool) -> int:
    """Rows of every sheet of an xlsx file, read cell by cell and thrown away."""
    if calamine:
        from python_calamine import CalamineWorkbook

        workbook = CalamineWorkbook.from_path(str(path))
        return sum(len(workbook.get_sheet_by_name(name).to_python()) for name in workbook.sheet_names)
    import openpyxl

    workbook = openpyxl.load_workbook(path, read_only=True, data_only=True)
    try:
        return sum(1 for sheet in workbook.worksheets for _ in sheet.iter_rows(values_only=True))
    finally:
        workbook.close()


def _ingest_folder(folder: Path):
    """One case folder through review.ingest (a task of the parallel ingest measurement)."""
    from review.config import load_case_config
    from review.ingest import load_contacts

    config = load_case_config(folder)
    contacts, report = load_contacts(config)
    return contacts, report.rows_rejected, len(config.files)


# ---------------------------------------------------------------------------------------------------
# Preparing data (not timed)
# ---------------------------------------------------------------------------------------------------
def prepare_store(data: Path, n_contacts: int, parts: int) -> None:
    """A store of n_contacts synthetic contacts (100 per case) in `parts` part files."""
    import numpy as np

    from review.store import LEDGER, read_ledger, write_part
    from review.synth import synth_contacts

    marker = data / "store" / f"ready-{n_contacts}-{parts}-{SEED}"
    if marker.exists():
        return
    n_cases = max(1, n_contacts // CONTACTS_PER_CASE)
    contacts, cases, truth = synth_contacts(n_cases, SEED, CONTACTS_PER_CASE)
    store = data / "store"
    store.mkdir(parents=True, exist_ok=True)
    (store / LEDGER).touch()
    bounds = np.linspace(0, n_cases, parts + 1).astype(int)
    ids = cases["case_id"].to_numpy()
    for p in range(parts):
        chunk = set(ids[bounds[p]:bounds[p + 1]])
        if not chunk:
            continue
        write_part(store, f"part-{p:05d}", {
            "contacts": contacts[contacts["case_id"].isin(chunk)],
            "cases": cases[cases["case_id"].isin(chunk)],
            "ground_truth": truth[truth["case_id"].isin(chunk)],
        }, sorted(chunk))
    assert len(read_ledger(store)) == n_cases
    marker.touch()


def prepare_cases(data: Path, n_cases: int) -> None:
    """`n_cases` synthetic case folders of 100 contacts (`review synth`) for the build-all measurement."""
    import shutil

    from review.synth import write_case_folders

    marker = data / f"ready-{n_cases}-{SEED}"
    if marker.exists():
        return
    shutil.rmtree(data, ignore_errors=True)
    write_case_folders(data / "cases", n_cases, SEED, CONTACTS_PER_CASE)
    marker.touch()


INGEST_GROUPS = {  # one file per provider, several agencies each
    "community_health.xlsx": ("gp", "health_visiting"),
    "acute_trust.xlsx": ("emergency_department", "paediatrics"),
    "council.xlsx": ("childrens_social_care", "housing"),
    "police_and_partners.xlsx": ("police", "school", "domestic_abuse_service"),
}


def prepare_ingest(data: Path, files: int, rows_per_file: int) -> None:
    """`files` xlsx chronologies of ~`rows_per_file` rows: case folders of 4 provider files each."""
    import yaml

    from review.synth import SERVICES, agency_rows, synth_contacts, write_agency_file

    marker = data / "ingest" / f"ready-{files}-{rows_per_file}"
    if marker.exists():
        return
    root = data / "ingest"
    root.mkdir(parents=True, exist_ok=True)
    n_cases = max(1, files // len(INGEST_GROUPS))
    per_case = rows_per_file * len(INGEST_GROUPS)
    contacts, cases, _ = synth_contacts(n_cases, SEED, per_case)
    slug_of = {s.agency: s.slug for s in SERVICES}
    contacts["slug"] = contacts["agency"].map(slug_of)
    for case in cases.itertuples():
        folder = root / case.case_id
        folder.mkdir(exist_ok=True)
        rows = contacts[contacts["case_id"] == case.case_id]
        entries = []
        for name, slugs in INGEST_GROUPS.items():
            part = rows[rows["slug"].isin(slugs)].sort_values(["date", "event_id"])
            write_agency_file(folder / name, agency_rows(part))
            entries.append({"path": name})
        config = {"case_id": case.case_id, "date_of_birth": case.date_of_birth.date().isoformat(),
                  "mobile_from": case.mobile_from.date().isoformat(),
                  "review_date": case.review_date.date().isoformat(), "files": entries}
        (folder / "case.yml").write_text(yaml.safe_dump(config, sort_keys=False), encoding="utf-8")
    marker.touch()


# ---------------------------------------------------------------------------------------------------
# Driver
# ---------------------------------------------------------------------------------------------------
def run_measurement(kind: str, data: Path, workers: int, timeout: float, repeat: int = 1) -> dict | None:
    """The measurement `kind` run `repeat` times, each in a fresh process; the run with the median time,
    with every run's seconds under "runs" (a first run at 1M varies by up to a third between processes)."""
    results = [_run_once(kind, data, workers, timeout) for _ in range(max(1, repeat))]
    good = sorted((r for r in results if r and "seconds" in r), key=lambda r: r["seconds"])
    if not good:
        return results[-1]
    median = dict(good[(len(good) - 1) // 2])
    median["runs"] = [round(r["seconds"], 3) for r in results if r and "seconds" in r]
    if "seconds_warm" in median:
        median["runs_warm"] = [round(r["seconds_warm"], 3) for r in results if r and "seconds_warm" in r]
    return median


def _run_once(kind: str, data: Path, workers: int, timeout: float) -> dict | None:
    cmd = [sys.executable, str(Path(__file__).resolve()), "--measure", kind, "--data", str(data),
           "--workers", str(workers)]
    started = time.perf_counter()
    try:
        proc = subprocess.run(cmd, capture_output=True, text=True, timeout=timeout,
                              env={**os.environ, "PYTHONHASHSEED": "0", "MPLBACKEND": "Agg"})
    except subprocess.TimeoutExpired:
        print(f"  {kind}: timed out after {timeout:.0f} s", flush=True)
        return {"kind": kind, "error": f"timeout after {timeout:.0f} s"}
    for line in proc.stdout.splitlines():
        if line.startswith("RESULT "):
            result = json.loads(line[len("RESULT "):])
            result["wall_subprocess"] = time.perf_counter() - started
            print(f"  {kind}: {result['seconds']:.2f} s wall, {result['cpu_seconds']:.2f} s CPU, peak RSS "
                  f"{result['rss_peak'] / 2**30:.2f} GB (load average {result['load_before']:.1f})", flush=True)
            return result
    print(f"  {kind}: failed (exit {proc.returncode})\n{proc.stderr[-3000:]}", flush=True)
    return {"kind": kind, "error": (proc.stderr.strip().splitlines() or ["?"])[-1]}


def machine() -> dict:
    import importlib.metadata as md

    import psutil

    versions = {}
    for pkg in ("pandas", "numpy", "pyarrow", "dask", "distributed", "openpyxl", "python-calamine", "rapidfuzz", "review"):
        try:
            versions[pkg] = md.version(pkg)
        except md.PackageNotFoundError:
            versions[pkg] = "-"
    commit = "?"
    try:
        commit = subprocess.run(["git", "rev-parse", "--short", "HEAD"], capture_output=True, text=True,
                                cwd=HERE, timeout=10).stdout.strip() or "?"
    except OSError:
        pass
    commit = os.environ.get("REVIEW_BENCH_COMMIT", commit)
    return {"commit": commit, "date": time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime()), "python": platform.python_version(),
            "platform": platform.platform(), "cpus": os.cpu_count(),
            "memory_gb": round(psutil.virtual_memory().total / 2**30, 1), "versions": versions}


def _fmt_s(v):
    return "-" if v is None else f"{v:.2f}"


def _gb(result):
    return None if not result or "rss_peak" not in result else result["rss_peak"] / 2**30


def report(results: dict, info: dict) -> str:
    lines = [f"Code: review commit {info.get('commit', '?')}",
             f"Machine: {info['cpus']} CPUs, {info['memory_gb']} GB RAM, Python {info['python']}, {info['platform']}",
             "Versions: " + ", ".join(f"{k} {v}" for k, v in info["versions"].items()),
             f"Date: {info['date']}", ""]
    lines += ["Timeline + all rules (flags), seconds and peak RSS (process + workers):", "",
              "| contacts | pandas s | pandas CPU s | pandas warm s | pandas peak GB | timeline s | rules s | "
              "pandas, rows shuffled s (warm) | Dask s | "
              "Dask CPU s | Dask warm s | Dask peak GB | row-by-row baseline s | speed-up pandas vs baseline | "
              "speed-up Dask vs baseline | load avg |",
              "|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|"]
    for size, r in sorted(results["pipeline"].items(), key=lambda kv: int(kv[0])):
        p, d, b = r.get("pandas") or {}, r.get("dask") or {}, r.get("baseline") or {}
        sh = r.get("pandas_shuffled") or {}
        bs = b.get("seconds")
        note = " (extrapolated)" if b.get("extrapolated") else ""
        sp = f"{bs / p['seconds']:.2f}×" if bs and p.get("seconds") else "-"
        sd = f"{bs / d['seconds']:.2f}×" if bs and d.get("seconds") else "-"
        loads = [x.get("load_before") for x in (p, d, b) if x.get("load_before") is not None]
        lines.append(f"| {int(size):,} | {_fmt_s(p.get('seconds'))} | {_fmt_s(p.get('cpu_seconds'))} | "
                     f"{_fmt_s(p.get('seconds_warm'))} | {_fmt_s(_gb(p))} | "
                     f"{_fmt_s(p.get('timeline_seconds'))} | {_fmt_s(p.get('rules_seconds'))} | "
                     f"{_fmt_s(sh.get('seconds'))} ({_fmt_s(sh.get('seconds_warm'))}) | "
                     f"{_fmt_s(d.get('seconds'))} | {_fmt_s(d.get('cpu_seconds'))} | {_fmt_s(d.get('seconds_warm'))} | "
                     f"{_fmt_s(_gb(d))} | "
                     f"{_fmt_s(bs)}{note} | {sp} | {sd} | {'/'.join(f'{x:.1f}' for x in loads)} |")
    unique = [(size, r) for size, r in sorted(results["pipeline"].items(), key=lambda kv: int(kv[0]))
              if r.get("pandas_unique")]
    if unique:
        lines += ["", "The same on distinct texts (every description and action made different, as real "
                  "chronologies' are; the synthetic ones repeat a few dozen sentences). The baseline runs once:", "",
                  "| contacts | pandas s | pandas CPU s | pandas warm s | pandas peak GB | timeline s | rules s | "
                  "flags | row-by-row baseline s | speed-up pandas vs baseline |",
                  "|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|"]
        for size, r in unique:
            u, bu = r.get("pandas_unique") or {}, r.get("baseline_unique") or {}
            sp = f"{bu['seconds'] / u['seconds']:.2f}×" if bu.get("seconds") and u.get("seconds") else "-"
            lines.append(f"| {int(size):,} | {_fmt_s(u.get('seconds'))} | {_fmt_s(u.get('cpu_seconds'))} | "
                         f"{_fmt_s(u.get('seconds_warm'))} | {_fmt_s(_gb(u))} | {_fmt_s(u.get('timeline_seconds'))} | "
                         f"{_fmt_s(u.get('rules_seconds'))} | {u.get('flags', '-')} | {_fmt_s(bu.get('seconds'))} | {sp} |")
    ing = results.get("ingest")
    if ing:
        i, b, par = ing.get("ingest") or {}, ing.get("baseline") or {}, ing.get("parallel") or {}
        sp = f"{b['seconds'] / i['seconds']:.2f}×" if b.get("seconds") and i.get("seconds") else "-"
        spp = f"{b['seconds'] / par['seconds']:.2f}×" if b.get("seconds") and par.get("seconds") else "-"
        rows = i.get("rows")
        rc, ro = ing.get("read_calamine") or {}, ing.get("read_openpyxl") or {}
        floor = (f"Reading the cells alone, nothing parsed: calamine {_fmt_s(rc.get('seconds'))} s, openpyxl "
                 f"{_fmt_s(ro.get('seconds'))} s; the baseline's time over calamine's bare read: "
                 + (f"{b['seconds'] / rc['seconds']:.1f}×" if b.get("seconds") and rc.get("seconds") else "-")
                 + " (the most any ingest on one process reading with calamine could reach).")
        lines += ["", "Ingest of agency xlsx files:", "",
                  "| files | rows | review.ingest s | CPU s | peak GB | same on N processes s | N | openpyxl row-by-row baseline s | "
                  "CPU s | speed-up (1 process) | speed-up (N processes) | load avg |",
                  "|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|",
                  f"| {i.get('files', '-')} | {'-' if rows is None else f'{rows:,}'} | {_fmt_s(i.get('seconds'))} | "
                  f"{_fmt_s(i.get('cpu_seconds'))} | {_fmt_s(_gb(i))} | {_fmt_s(par.get('seconds'))} | "
                  f"{par.get('workers', '-')} | {_fmt_s(b.get('seconds'))} | {_fmt_s(b.get('cpu_seconds'))} | {sp} | {spp} | "
                  f"{_fmt_s(i.get('load_before'))}/{_fmt_s(b.get('load_before'))} |", "", floor]
    ba = results.get("build_all")
    if ba:
        one, batched, par = (ba.get(k) or {} for k in ("build_all_per_case", "build_all", "build_all_parallel"))
        gain = f"{one['seconds'] / batched['seconds']:.1f}×" if one.get("seconds") and batched.get("seconds") else "-"
        lines += ["", "`review build-all` into a fresh store (ingest, analysis, Parquet writes):", "",
                  "| case folders | one case per call s | CPU s | in batches s | CPU s | batches vs one per call | "
                  "in batches, N processes s | N | CPU s |",
                  "|---:|---:|---:|---:|---:|---:|---:|---:|---:|",
                  f"| {batched.get('cases', '-')} | {_fmt_s(one.get('seconds'))} | {_fmt_s(one.get('cpu_seconds'))} | "
                  f"{_fmt_s(batched.get('seconds'))} | {_fmt_s(batched.get('cpu_seconds'))} | {gain} | "
                  f"{_fmt_s(par.get('seconds'))} | {par.get('workers', '-')} | {_fmt_s(par.get('cpu_seconds'))} |"]
        if batched.get("read_seconds") is not None and one.get("read_seconds") is not None:
            lines += ["", f"Reading every table of the store back: {_fmt_s(batched['read_seconds'])} s from the "
                      f"{batched.get('parts', '-')} parts build-all writes (one per task); "
                      f"{_fmt_s(one['read_seconds'])} s from {one.get('parts', '-')} parts of one case each "
                      f"(one case per call); `review compact` of those {_fmt_s(one.get('compact_seconds'))} s, "
                      f"then {_fmt_s(one.get('read_compacted_seconds'))} s."]
    lines += ["", "Every run (seconds; each a fresh process; the tables show the median run):", ""]
    for size, r in sorted(results["pipeline"].items(), key=lambda kv: int(kv[0])):
        for engine, m in r.items():
            if m and m.get("runs"):
                lines.append(f"- {int(size):,} {engine}: " + " / ".join(f"{x:.2f}" for x in m["runs"])
                             + (" (warm " + " / ".join(f"{x:.2f}" for x in m["runs_warm"]) + ")" if m.get("runs_warm") else ""))
    for name, m in (results.get("ingest") or {}).items():
        if m and m.get("runs"):
            lines.append(f"- ingest {name}: " + " / ".join(f"{x:.2f}" for x in m["runs"]))
    for name, m in (results.get("build_all") or {}).items():
        if m and m.get("runs"):
            lines.append(f"- {name}: " + " / ".join(f"{x:.2f}" for x in m["runs"]))
    lines += ["", "Targets:"] + [f"- {t}" for t in check_targets(results)]
    return "\n".join(lines)


def check_targets(results: dict) -> list[str]:
    out = []
    pipe = results["pipeline"]
    big = pipe.get("1000000", {})
    p = big.get("pandas") or {}
    if p.get("seconds") is not None:
        out.append(f"1M contacts through timeline + rules < {TARGETS['seconds_1m']:.0f} s: pandas {p['seconds']:.1f} s "
                   f"-> {'MET' if p['seconds'] < TARGETS['seconds_1m'] else 'NOT MET'}")
        d = big.get("dask") or {}
        if d.get("seconds") is not None:
            out.append(f"  Dask ({d.get('workers')} workers): {d['seconds']:.1f} s -> "
                       f"{'MET' if d['seconds'] < TARGETS['seconds_1m'] else 'NOT MET'}")
        u = big.get("pandas_unique") or {}
        if u.get("seconds") is not None:
            out.append(f"  pandas, distinct texts: {u['seconds']:.1f} s, {_gb(u):.2f} GB -> "
                       f"{'MET' if u['seconds'] < TARGETS['seconds_1m'] and _gb(u) < TARGETS['peak_gb_1m'] else 'NOT MET'}")
        out.append(f"peak memory < {TARGETS['peak_gb_1m']:.0f} GB at 1M: pandas {_gb(p):.2f} GB -> "
                   f"{'MET' if _gb(p) < TARGETS['peak_gb_1m'] else 'NOT MET'}"
                   + (f"; Dask {_gb(d):.2f} GB -> {'MET' if _gb(d) < TARGETS['peak_gb_1m'] else 'NOT MET'}" if _gb(d) else ""))
        small = (pipe.get("100000") or {}).get("pandas") or {}
        if small.get("seconds"):
            ratio = p["seconds"] / small["seconds"]
            out.append(f"1M costs <= {TARGETS['scaling_1m_over_100k']:.0f}x 100k: {ratio:.1f}x -> "
                       f"{'MET' if ratio <= TARGETS['scaling_1m_over_100k'] else 'NOT MET'}")
    for size, r in sorted(pipe.items(), key=lambda kv: int(kv[0])):
        u, bu = r.get("pandas_unique") or {}, r.get("baseline_unique") or {}
        if u.get("flags") is not None and bu.get("flags") is not None:
            out.append(f"{int(size):,}, distinct texts: the package and the baseline find the same number of flags: "
                       f"{u['flags']:,} and {bu['flags']:,} -> {'YES' if u['flags'] == bu['flags'] else 'NO'}")
        b = r.get("baseline") or {}
        for engine in ("pandas", "pandas_shuffled", "pandas_unique", "dask"):
            e = r.get(engine) or {}
            b = r.get("baseline_unique" if engine == "pandas_unique" else "baseline") or {}
            if e.get("seconds") and b.get("seconds"):
                sp = b["seconds"] / e["seconds"]
                warm = f" (warm {b['seconds'] / e['seconds_warm']:.2f}x)" if e.get("seconds_warm") else ""
                label = {"pandas": "pandas, 1 process", "pandas_shuffled": "pandas, 1 process, rows shuffled",
                         "pandas_unique": "pandas, 1 process, distinct texts",
                         "dask": f"Dask, {e.get('workers')} workers"}[engine]
                out.append(f"{int(size):,}: {label} >= {TARGETS['speedup']:.0f}x faster than the row-by-row "
                           f"baseline: {sp:.2f}x{warm} -> {'MET' if sp >= TARGETS['speedup'] else 'NOT MET'}")
    ing = results.get("ingest") or {}
    i, b = ing.get("ingest") or {}, ing.get("baseline") or {}
    if i.get("seconds"):
        out.append(f"ingest of {i.get('files')} xlsx files ({i.get('rows'):,} rows) < {TARGETS['ingest_seconds']:.0f} s: "
                   f"{i['seconds']:.1f} s -> {'MET' if i['seconds'] < TARGETS['ingest_seconds'] else 'NOT MET'}")
        if b.get("seconds"):
            sp = b["seconds"] / i["seconds"]
            out.append(f"ingest >= {TARGETS['speedup']:.0f}x faster than openpyxl row by row: 1 process {sp:.2f}x -> "
                       f"{'MET' if sp >= TARGETS['speedup'] else 'NOT MET'}")
            par = ing.get("parallel") or {}
            if par.get("seconds"):
                sp = b["seconds"] / par["seconds"]
                out.append(f"  {par.get('workers')} processes: {par['seconds']:.2f} s, {sp:.2f}x -> "
                           f"{'MET' if sp >= TARGETS['speedup'] else 'NOT MET'}")
    return out


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--sizes", default="10000,100000,1000000", help="contacts, comma-separated")
    parser.add_argument("--quick", action="store_true", help="10k and 100k only; 20 ingest files")
    parser.add_argument("--workers", type=int, default=2, help="Dask workers (default 2)")
    parser.add_argument("--parts", type=int, default=4, help="part files (= Dask partitions) per store")
    parser.add_argument("--baseline-max", type=int, default=1000000,
                        help="largest size the row-by-row baseline runs at; extrapolated above")
    parser.add_argument("--ingest-files", type=int, default=100)
    parser.add_argument("--ingest-rows", type=int, default=1000, help="rows per ingest file")
    parser.add_argument("--skip-dask", action="store_true")
    parser.add_argument("--skip-ingest", action="store_true")
    parser.add_argument("--skip-baseline", action="store_true")
    parser.add_argument("--skip-build-all", action="store_true")
    parser.add_argument("--skip-unique", action="store_true",
                        help="skip the runs on every description and action made distinct")
    parser.add_argument("--build-all-cases", type=int, default=50, help="case folders for the build-all measurement")
    parser.add_argument("--timeout", type=float, default=1800, help="seconds per measurement")
    parser.add_argument("--repeat", type=int, default=3,
                        help="runs of each measurement, each in a fresh process; the median is reported (default 3)")
    parser.add_argument("--workdir", default=os.environ.get("REVIEW_BENCH_DIR", "/tmp/review-bench"))
    parser.add_argument("--json", default=None, help="write all results as JSON here")
    parser.add_argument("--markdown", default=None, help="write the report as Markdown here")
    parser.add_argument("--measure", help=argparse.SUPPRESS)
    parser.add_argument("--data", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)

    if args.measure:
        measure(args.measure, Path(args.data), args.workers)
        return 0

    sizes = [10000, 100000] if args.quick else [int(s) for s in args.sizes.split(",") if s.strip()]
    if args.quick:
        args.ingest_files = min(args.ingest_files, 20)
        args.build_all_cases = min(args.build_all_cases, 20)
    work = Path(args.workdir)
    info = machine()
    results: dict = {"machine": info, "pipeline": {}, "seed": SEED}
    largest_baseline = None
    for size in sizes:
        data = work / f"n{size}"
        print(f"{size:,} contacts: preparing data", flush=True)
        prepare_store(data, size, args.parts)
        entry = {"pandas": run_measurement("pandas", data, args.workers, args.timeout, args.repeat),
                 "pandas_shuffled": run_measurement("pandas_shuffled", data, args.workers, args.timeout, args.repeat)}
        if not args.skip_dask:
            entry["dask"] = run_measurement("dask", data, args.workers, args.timeout, args.repeat)
        if not args.skip_unique:
            entry["pandas_unique"] = run_measurement("pandas_unique", data, args.workers, args.timeout, args.repeat)
        if not args.skip_baseline:
            if size <= args.baseline_max:
                entry["baseline"] = run_measurement("baseline", data, args.workers, args.timeout, args.repeat)
                if entry["baseline"] and entry["baseline"].get("seconds"):
                    largest_baseline = (size, entry["baseline"]["seconds"])
                if not args.skip_unique:  # once: the baseline reads every row's text anyway
                    entry["baseline_unique"] = run_measurement("baseline_unique", data, args.workers, args.timeout, 1)
            elif largest_baseline:
                base_size, base_seconds = largest_baseline
                entry["baseline"] = {"kind": "baseline", "seconds": base_seconds * size / base_size,
                                     "extrapolated": True, "from_size": base_size}
                print(f"  baseline: {entry['baseline']['seconds']:.2f} s (extrapolated linearly from "
                      f"{base_size:,} contacts; not run)", flush=True)
        results["pipeline"][str(size)] = entry
    if not args.skip_ingest:
        data = work / "ingest"
        print(f"ingest: preparing {args.ingest_files} xlsx files of ~{args.ingest_rows} rows", flush=True)
        prepare_ingest(data, args.ingest_files, args.ingest_rows)
        results["ingest"] = {"ingest": run_measurement("ingest", data, args.workers, args.timeout, args.repeat),
                             "parallel": run_measurement("ingest_parallel", data, args.workers, args.timeout, args.repeat),
                             "read_calamine": run_measurement("read_calamine", data, args.workers, args.timeout, args.repeat),
                             "read_openpyxl": None if args.skip_baseline else
                             run_measurement("read_openpyxl", data, args.workers, args.timeout, args.repeat),
                             "baseline": None if args.skip_baseline else
                             run_measurement("ingest_baseline", data, args.workers, args.timeout, args.repeat)}
    if not args.skip_build_all:
        data = work / "build-all"
        print(f"build-all: preparing {args.build_all_cases} case folders", flush=True)
        prepare_cases(data, args.build_all_cases)
        results["build_all"] = {
            kind: run_measurement(kind, data, args.workers, args.timeout, args.repeat)
            for kind in ("build_all_per_case", "build_all", "build_all_parallel")}
    text = report(results, info)
    print()
    print(text)
    if args.json:
        Path(args.json).write_text(json.dumps(results, indent=2, default=str), encoding="utf-8")
    if args.markdown:
        Path(args.markdown).write_text(text + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
