"""`review thematic --store DIR [--declarations FILE] --out DIR`: the thematic tables and charts of a store.

Writes one csv per table (flags per 100 contacts by rule, failing category, agency kind and
organisation; latency by agency kind; cases ranked by unescalated concerns; with --declarations,
assurance against evidence), one png + svg per chart, and manifest.json (`review.thematic_report`), from
which `review verify` runs it again and compares every file.
"""
from __future__ import annotations

HELP = "thematic tables and charts across the cases of a store (optionally against declared compliance)"


def add_arguments(parser) -> None:
    parser.add_argument("--store", required=True, metavar="DIR", help="the Parquet case store")
    parser.add_argument("--declarations", metavar="FILE", help="organisations' declared compliance (xlsx, xls, ods or csv; every sheet with an organisation, year, standard and declared status header)")
    parser.add_argument("--threshold", type=float, default=1.0,
                        help="flags per 100 contacts above which a declared-compliant standard disagrees (default 1)")
    parser.add_argument("--include-rejected", action="store_true",
                        help="count the flags reviewers rejected too (by default they are left out)")
    parser.add_argument("--out", required=True, metavar="DIR", help="output folder")
    parser.add_argument("--formats", default="png,svg", help="figure formats, comma-separated (default png,svg)")


def run(args) -> int:
    from ..thematic_report import write_thematic

    formats = tuple(f.strip() for f in args.formats.split(",") if f.strip())
    done = write_thematic(args.store, args.out, declarations=args.declarations, threshold=args.threshold,
                          include_rejected=args.include_rejected, formats=formats)
    declarations, assurance = done["declarations"], done["assurance"]
    for note in declarations.attrs.get("notes", []) if declarations is not None else []:
        print(f"declarations: {note}")
    print(f"{done['cases']} cases, {done['contacts']} contacts, {done['flags']} flags: "
          f"{len(done['tables'])} tables and {len(done['figures'])} charts in {args.out} "
          "(manifest.json: `review verify` runs it again and compares)")
    if done["rejected"]:
        print(f"{done['rejected']} flag(s) the reviewers rejected are not counted (--include-rejected counts them)")
    if assurance is not None:
        print(f"assurance: {int(assurance['disagreement'].sum())} of {len(assurance)} declarations disagree "
              f"with the evidence")
        for name, closest in assurance.attrs.get("unmatched", {}).items():
            hint = f" (closest in the cases: {', '.join(closest)})" if closest else ""
            print(f"assurance: declared organisation {name!r} is not in the cases{hint}")
    return 0
