"""`review compact --store DIR`: merge a store's small parts into parts of many cases.

`build-all` writes one part per task (up to 32 cases), and a part of its own for each case rebuilt
alone; a store built or rebuilt case by case holds thousands of small files per table, and reading them
costs more than their rows. Compacting changes no table's content. Cases rebuilt later go to parts of
their own again; run it again to merge them too, with the compacted parts short of --cases-per-part
(the store ends in the fewest parts, as after the first run).
"""
from __future__ import annotations

HELP = "merge a store's small parts into parts of many cases (faster to read; same tables)"


def positive_int(text: str) -> int:
    """An argparse type: a whole number of at least 1 (0 or less is an argument error, not taken as 1)."""
    import argparse

    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a whole number") from None
    if value < 1:
        raise argparse.ArgumentTypeError(f"must be at least 1, got {value}")
    return value


def add_arguments(parser) -> None:
    parser.add_argument("--store", required=True, metavar="DIR", help="the Parquet case store")
    parser.add_argument("--cases-per-part", type=positive_int, default=1000, metavar="N",
                        help="cases per new part (default 1000)")
    parser.add_argument("--no-progress", action="store_true", help="no progress bar")


def run(args) -> int:
    from ..store import compact_store

    summary = compact_store(args.store, cases_per_part=args.cases_per_part, progress=not args.no_progress)
    print(str(summary))
    return 0
