"""`review build-all CASES_DIR --store DIR`: every case folder through the pipeline into a Parquet store.

Resumable: cases already stored with the same inputs are skipped. Cases that fail are listed (case,
file, error) and kept in the store's failures.csv; the exit code is 1 when any case failed. Cases the
store holds whose folder has gone are named; --prune takes them out. The reviewers' decisions are judged
against one day (--as-of, else each case's build's day, else the day the run started), reported with them.
"""
from __future__ import annotations

from .compact import positive_int

HELP = "build a Parquet case store from many case folders (resumable; failures reported)"


def add_arguments(parser) -> None:
    parser.add_argument("cases_dir", metavar="CASES_DIR", help="folder whose sub-folders are case folders")
    parser.add_argument("--store", required=True, metavar="DIR", help="the store folder (created if missing)")
    parser.add_argument("--force", action="store_true", help="rebuild cases already complete")
    parser.add_argument("--workers", type=positive_int, default=1, metavar="N",
                        help="analyse cases in N processes (the store is still written by one; default 1)")
    parser.add_argument("--prune", action="store_true",
                        help="take out of the store the cases whose folder is no longer under CASES_DIR (refused "
                             "when CASES_DIR holds no case folder at all: a wrong path would empty the store)")
    parser.add_argument("--no-progress", action="store_true", help="no progress bar")
    parser.add_argument("--json", action="store_true", help="print the summary as JSON")
    parser.add_argument("--as-of", metavar="YYYY-MM-DD", dest="as_of",
                        help="judge every case's decisions against this day (a decision dated after it is listed as "
                             "dated in the future; default: the day its build judged them on, else today)")


def run(args) -> int:
    import json

    from ..store import build_all

    summary = build_all(args.cases_dir, args.store, progress=not args.no_progress, force=args.force,
                        workers=args.workers, prune=args.prune, as_of=args.as_of)
    if args.json:
        print(json.dumps(summary.to_dict(), indent=2, default=str))
        return 1 if len(summary.failed) else 0
    print(str(summary))
    for row in summary.failed.itertuples(index=False):
        where = f" {row.file}:" if row.file else ""
        print(f"  FAILED {row.case} ({row.stage}):{where} {row.error}")
    return 1 if len(summary.failed) else 0
