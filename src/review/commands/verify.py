"""`review verify`: rebuild a report from its manifest and compare every output byte for byte."""
from __future__ import annotations

HELP = ("rebuild a report (a case's, or a thematic one) from its manifest.json and compare every output, and "
        "the manifest, by SHA-256 (exit 1 if any differs, or the folder holds files the build did not write)")


def add_arguments(parser) -> None:
    parser.add_argument("report_dir", metavar="DIR", help="a report folder written by `review build` or `review thematic`")
    parser.add_argument("--case", metavar="CASE_DIR", default=None,
                        help="rebuild from this case folder instead of the one the manifest records")
    parser.add_argument("--store", metavar="DIR", default=None,
                        help="a thematic report: run it from this store instead of the one the manifest records")
    parser.add_argument("--declarations", metavar="FILE", default=None,
                        help="a thematic report: this declarations file instead of the one the manifest records")
    parser.add_argument("--progress", action="store_true", help="show the rebuild's progress bar")


def run(args) -> int:
    from ..build import verify_report
    from ..export import plural
    from ..thematic_report import is_thematic, verify_thematic

    if is_thematic(args.report_dir):
        result = verify_thematic(args.report_dir, store_dir=args.store, declarations=args.declarations)
    else:
        result = verify_report(args.report_dir, case_dir=args.case, progress=args.progress)
    print(result.table())
    for note in getattr(result, "notes", ()):
        print(f"  note: {note}")
    if result.error:
        print(f"\nerror: {result.error}")
    if result.causes:
        print("\nWhy outputs may differ:")
        for cause in result.causes:
            print(f"  - {cause}")
    statuses = [status for _, status, _, _ in result.files]
    if result.ok:
        print(f"\nOK: all {len(result.files)} outputs identical")
        return 0
    unexpected = statuses.count("unexpected")
    outputs = len(statuses) - unexpected
    n_bad = sum(1 for status in statuses if status not in ("identical", "not rebuilt", "unexpected"))
    if "not rebuilt" in statuses or (result.error and not outputs):
        print(f"\nFAILED: the report could not be rebuilt, so nothing was compared with a rebuild; "
              f"{statuses.count('not rebuilt')} of {outputs} outputs in the folder still match the manifest"
              + (f", {n_bad} do not" if n_bad else ""))
    elif n_bad:
        print(f"\nFAILED: {n_bad} of {outputs} outputs differ or are missing")
    else:
        print(f"\nFAILED: all {outputs} outputs identical, but the folder holds files the build did not write")
    if unexpected:
        # a rebuild keeps them (they are the user's), so only moving them out clears this
        print(f"unexpected: {plural(unexpected, 'file')} in the report folder that the build did not write (move "
              f"{'it' if unexpected == 1 else 'them'} out of the folder): "
              f"{', '.join(name for name, status, _, _ in result.files if status == 'unexpected')}")
    return 1
