"""`review dask-rules --store DIR --out DIR`: the timeline and rules over a case store with Dask.

The same pandas functions run per partition (consecutive part files of the store holding about
`--partition-rows` contacts, whole cases each) on a local cluster of `--workers` processes, or on an existing Dask cluster given with `--address tcp://host:8786`. Writes
flags.csv (with the reviewers' decisions the store keeps) and response_latency.csv (formula-safe) to the
output folder.
"""
from __future__ import annotations

from .compact import positive_int

HELP = "run the timeline and rules over a case store with Dask (local cluster, or --address of an existing one)"


def add_arguments(parser) -> None:
    parser.add_argument("--store", required=True, metavar="DIR", help="the Parquet case store")
    parser.add_argument("--out", required=True, metavar="DIR", help="folder for flags.csv and response_latency.csv")
    parser.add_argument("--address", metavar="ADDR", help="scheduler address of an existing Dask cluster")
    parser.add_argument("--workers", type=positive_int, default=2, metavar="N", help="local cluster workers (default 2)")
    parser.add_argument("--partition-rows", type=positive_int, default=None, metavar="N",
                        help="contacts per Dask partition, whole part files (default 500000; 1: one file each)")


def run(args) -> int:
    from pathlib import Path

    from ..distributed import PARTITION_ROWS, analyse_store
    from ..export import write_csv

    tables = analyse_store(args.store, address=args.address, n_workers=args.workers,
                           tables=("flags", "response_latency"),
                           partition_rows=args.partition_rows or PARTITION_ROWS)
    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)
    for name, table in tables.items():
        write_csv(out / f"{name}.csv", table)
    flags = tables["flags"]
    where = args.address or f"a local cluster of {args.workers} workers"
    print(f"{len(flags)} flags in {flags['case_id'].nunique()} cases from Dask on {where}: "
          f"flags.csv and response_latency.csv in {out}")
    return 0
