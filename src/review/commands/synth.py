"""`review synth --cases N --seed S (--out DIR | --store DIR)`: generate synthetic cases.

`--out` writes case folders (case.yml + one agency spreadsheet per agency, generic layout) and
ground_truth.csv, for ingest tests and `review build-all`; `--store` writes a Parquet case store
directly (contacts, cases, ground truth and, unless --no-analyse, timeline, flags and response latency).
"""
from __future__ import annotations

from .compact import positive_int

HELP = "generate synthetic cases with planted missed escalations (case folders or a Parquet store)"


def add_arguments(parser) -> None:
    parser.add_argument("--cases", type=positive_int, required=True, metavar="N", help="number of cases")
    parser.add_argument("--seed", type=int, default=0, metavar="S", help="random seed (default 0)")
    parser.add_argument("--contacts-per-case", type=_contacts_per_case, default=100, metavar="K",
                        help="contacts per case (default 100; at least review.synth.MIN_CONTACTS_PER_CASE, now 44: every "
                             "planted pattern needs room)")
    target = parser.add_mutually_exclusive_group(required=True)
    target.add_argument("--out", metavar="DIR", help="write case folders under DIR")
    target.add_argument("--store", metavar="DIR", help="write a Parquet case store at DIR")
    parser.add_argument("--no-analyse", action="store_true",
                        help="with --store: store contacts only (no timeline, flags or response latency)")
    parser.add_argument("--declarations", metavar="FILE",
                        help="also write synthetic declarations of compliance for the generated organisations")
    parser.add_argument("--no-progress", action="store_true", help="no progress bar")


def _min_contacts() -> int:
    from ..synth import MIN_CONTACTS_PER_CASE

    return MIN_CONTACTS_PER_CASE


def _contacts_per_case(text: str) -> int:
    import argparse

    value = positive_int(text)
    if value < _min_contacts():
        raise argparse.ArgumentTypeError(f"must be at least {_min_contacts()} (every planted pattern needs room), "
                                         f"got {value}")
    return value


def run(args) -> int:
    import pandas as pd

    from ..synth import synth_contacts, synth_declarations, write_case_folders

    if args.out:
        truth = write_case_folders(args.out, args.cases, args.seed, args.contacts_per_case,
                                   progress=not args.no_progress)
        print(f"wrote {args.cases} case folders to {args.out} ({len(truth)} planted missed escalations "
              f"in ground_truth.csv)")
    else:
        from ..store import write_store_from_synth

        summary = write_store_from_synth(args.store, args.cases, args.seed, args.contacts_per_case,
                                         analyse=not args.no_analyse, progress=not args.no_progress)
        from ..export import plural

        print(f"store {summary['store']}: {plural(summary['cases'], 'case')}, {plural(summary['contacts'], 'contact')} "
              f"in {plural(summary['parts'], 'part')} ({summary['parts_written']} written, {summary['parts_skipped']} "
              f"already complete)")
        if summary["removed"]:
            print(f"{summary['removed']} case(s) of an earlier run into this store no longer generated: taken out")
    if args.declarations:
        contacts = synth_contacts(min(args.cases, 2000), args.seed, args.contacts_per_case)[0]
        years = pd.to_datetime(contacts["date"]).dt.year.unique()
        organisations = contacts["organisation"].value_counts().head(60).index
        synth_declarations(organisations, years, args.seed).to_csv(args.declarations, index=False)
        print(f"wrote declarations to {args.declarations}")
    return 0
