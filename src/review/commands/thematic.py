"""`review thematic --store DIR [--declarations FILE] --out DIR`: the thematic tables and charts of a store.

Writes one csv per table (flags per 100 contacts by rule, failing category, agency kind and
organisation; latency by agency kind; cases ranked by unescalated concerns; with --declarations,
assurance against evidence) and one png + svg per chart.
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


def _inert(table):
    """The table with every text cell (and header) that a spreadsheet could run as a formula made inert
    (organisation names and declarations come from outside: OWASP CSV injection)."""
    from ..export import inert

    out = table.copy()
    for column in out.columns:
        if out[column].dtype == object or str(out[column].dtype).startswith("string"):
            out[column] = out[column].map(inert, na_action="ignore")
    out.columns = [inert(str(c)) for c in out.columns]
    return out


def run(args) -> int:
    from pathlib import Path

    from ..export import save_figure
    from ..store import read_store
    from ..thematic import (assurance_vs_evidence, counted_flags, read_declarations, thematic_figures,
                            thematic_tables)

    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)
    declarations = read_declarations(args.declarations) if args.declarations else None  # fail early
    for note in declarations.attrs.get("notes", []) if declarations is not None else []:
        print(f"declarations: {note}")
    columns = ["case_id", "event_id", "date", "agency_kind", "organisation"]
    timeline = read_store(args.store, "contacts", columns=columns)
    flags = read_store(args.store, "flags")
    latency = read_store(args.store, "response_latency")
    rejected = counted_flags(flags, args.include_rejected).attrs["rejected"]
    tables = thematic_tables(flags, timeline, latency, include_rejected=args.include_rejected)
    assurance = None
    if declarations is not None:
        assurance = assurance_vs_evidence(declarations, flags, timeline, threshold_per_100=args.threshold,
                                          include_rejected=args.include_rejected)
        tables["assurance_vs_evidence"] = assurance
    for name, table in tables.items():
        _inert(table).to_csv(out / f"{name}.csv", index=False)
    formats = [f.strip() for f in args.formats.split(",") if f.strip()]
    figures = thematic_figures(tables, latency, assurance)
    for name, fig in figures.items():
        save_figure(fig, name, out, formats)
    print(f"{timeline['case_id'].nunique()} cases, {len(timeline)} contacts, {len(flags)} flags: "
          f"{len(tables)} tables and {len(figures)} charts in {out}")
    if rejected:
        print(f"{rejected} flag(s) the reviewers rejected are not counted (--include-rejected counts them)")
    if assurance is not None:
        print(f"assurance: {int(assurance['disagreement'].sum())} of {len(assurance)} declarations disagree "
              f"with the evidence")
        for name, closest in assurance.attrs.get("unmatched", {}).items():
            hint = f" (closest in the cases: {', '.join(closest)})" if closest else ""
            print(f"assurance: declared organisation {name!r} is not in the cases{hint}")
    return 0
