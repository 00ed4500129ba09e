"""`review dask-rules --store DIR --out DIR`: the timeline and rules over a case store with Dask.

The same pandas functions run per partition (consecutive part files of the store holding about
`--partition-rows` contacts, whole cases each) on a local cluster of `--workers` processes, or on an existing Dask cluster given with `--address tcp://host:8786`. Writes
flags.csv (with the reviewers' decisions the store keeps) and response_latency.csv (formula-safe; a date
taken from a contact known only to the year, month or season written as such: "2023", "2023-05", "Spring
2021") to the output folder, which must be new, empty or an earlier `dask-rules` output (a folder holding only those
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
    precisions = _date_precisions(args.store, tables)
    for name, table in tables.items():
        write_csv(out / f"{name}.csv", table, precisions=precisions.get(name))
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


#: each table's dates taken from a contact, with the column naming that contact
_CONTACT_DATES = {"flags": {"trigger_date": "trigger_event_id", "actual_action_date": "actual_action_event_id"},
                  "response_latency": {"date": "event_id", "first_escalation_date": "first_escalation_event_id"}}


def _date_precisions(store, tables: dict) -> dict[str, dict[str, list]]:
    """{table: {date column: its contact's date precision per row}} for `write_csv`, so that a date known
    only to the year, the month or the season is written as such ("2023", "2023-05", "Spring 2021"), as
    the case build's flags.csv writes it, not as the first day it stands for. The precisions are read
    from the store's contacts (two columns), only for the contacts the tables name."""
    import pandas as pd

    from ..store import read_store

    wanted = set()
    for name, columns in _CONTACT_DATES.items():
        table = tables.get(name)
        for ids in columns.values():
            if table is not None and ids in table.columns:
                wanted.update(table[ids].dropna().astype(str))
    if not wanted:
        return {}
    contacts = read_store(store, "contacts", columns=["event_id", "date_precision"])
    contacts = contacts[contacts["event_id"].astype(str).isin(wanted)].drop_duplicates("event_id")
    precision = pd.Series(contacts["date_precision"].astype(object).to_numpy(), index=contacts["event_id"].astype(str))
    out: dict[str, dict[str, list]] = {}
    for name, columns in _CONTACT_DATES.items():
        table = tables.get(name)
        if table is None:
            continue
        out[name] = {date: table[ids].astype(object).map(precision).where(lambda p: p.notna(), None).tolist()
                     for date, ids in columns.items() if date in table.columns and ids in table.columns}
    return out


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
