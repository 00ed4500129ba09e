"""`review verify`: rebuild a report from its manifest and compare every output byte for byte."""
from __future__ import annotations

HELP = ("rebuild a report (a case's, or a thematic one) from its manifest.json and compare every output by "
        "SHA-256 (exit 1 if any differs)")


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
    from ..thematic_report import is_thematic, verify_thematic

    if is_thematic(args.report_dir):
        result = verify_thematic(args.report_dir, store_dir=args.store, declarations=args.declarations)
    else:
        result = verify_report(args.report_dir, case_dir=args.case, progress=args.progress)
    print(result.table())
    if result.error:
        print(f"\nerror: {result.error}")
    if result.causes:
        print("\nWhy outputs may differ:")
        for cause in result.causes:
            print(f"  - {cause}")
    n_bad = sum(1 for _, status, _, _ in result.files if status != "identical")
    if result.ok:
        print(f"\nOK: all {len(result.files)} outputs identical")
        return 0
    print(f"\nFAILED: {n_bad} of {len(result.files)} outputs differ or are missing")
    return 1
