"""`review dask-rules --store DIR --out DIR`: the timeline and rules over a case store with Dask.

The same pandas functions run per partition (consecutive part files of the store holding about
`--partition-rows` contacts, whole cases each) on a local cluster of `--workers` processes, or on an existing Dask cluster given with `--address tcp://host:8786`. Writes
flags.csv (with the reviewers' decisions the store keeps) and response_latency.csv (formula-safe) to the
output folder, which must be new, empty or an earlier `dask-rules` output (a folder holding only those
two files): a case report or any other folder is refused before the cluster starts. An `--address` where
no scheduler answers (unknown host, refused port, no answer within a few seconds, or something else
listening there) is one ConfigError naming it (`review.distributed.check_scheduler_reachable`).
"""
from __future__ import annotations

from .compact import positive_int

#: the files `dask-rules` writes: a folder holding only these is an earlier run's, replaced
OUTPUTS = ("flags.csv", "response_latency.csv")

HELP = "run the timeline and rules over a case store with Dask (local cluster, or --address of an existing one)"


def add_arguments(parser) -> None:
    parser.add_argument("--store", required=True, metavar="DIR", help="the Parquet case store")
    parser.add_argument("--out", required=True, metavar="DIR", help="folder for flags.csv and response_latency.csv: new, empty or an earlier dask-rules output")
    parser.add_argument("--address", metavar="ADDR", help="scheduler address of an existing Dask cluster")
    parser.add_argument("--workers", type=positive_int, default=2, metavar="N", help="local cluster workers (default 2)")
    parser.add_argument("--partition-rows", type=positive_int, default=None, metavar="N",
                        help="contacts per Dask partition, whole part files (default 500000; 1: one file each)")


def run(args) -> int:
    from pathlib import Path

    from ..distributed import PARTITION_ROWS, analyse_store
    from ..export import write_csv

    check_out_dir(Path(args.out))
    tables = analyse_store(args.store, address=args.address, n_workers=args.workers,
                           tables=("flags", "response_latency"),
                           partition_rows=args.partition_rows or PARTITION_ROWS)
    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)
    for name, table in tables.items():
        write_csv(out / f"{name}.csv", table)
    flags = tables["flags"]
    where = args.address or f"a local cluster of {args.workers} workers"
    from ..store import complete_cases, failures_table

    analysed = len(complete_cases(args.store))
    print(f"{len(flags)} flags in {flags['case_id'].nunique()} of the {analysed} cases of the store analysed, from Dask "
          f"on {where}: flags.csv and response_latency.csv in {out}")
    failed = failures_table(args.store)["case_id"].astype(str).tolist()
    if failed:  # as `review thematic` names them: a total that silently left a case out would look complete
        shown = ", ".join(failed[:10]) + (f" and {len(failed) - 10} more" if len(failed) > 10 else "")
        print(f"{len(failed)} case(s) of the store failed on their last build and are not analysed: {shown} (the "
              "store's failures.csv says why; `review build-all` again once fixed)")
    return 0


def check_out_dir(out) -> None:
    """Refuse an output folder that is not new, empty or an earlier `dask-rules` output (ConfigError,
    exit 2): its flags.csv could be a case report's, and other files would sit beside ours unexplained."""
    from ..errors import ConfigError

    if out.exists() and not out.is_dir():
        raise ConfigError("the output path exists and is not a folder", file=out)
    if not out.is_dir():
        return
    try:
        others = sorted(p.name for p in out.iterdir() if not (p.name in OUTPUTS and p.is_file()))
    except OSError as exc:
        raise ConfigError(f"cannot read the output folder: {exc.strerror or exc}", file=out) from None
    if others:
        shown = ", ".join(others[:5]) + (f" and {len(others) - 5} more" if len(others) > 5 else "")
        raise ConfigError(f"the output folder holds files dask-rules does not write ({shown}); refusing to write "
                          "into it: choose a new or empty folder, or an earlier dask-rules output", file=out)
