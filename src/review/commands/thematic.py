"""`review thematic --store DIR [--declarations FILE] --out DIR`: the thematic tables and charts of a store.

Writes one csv per table (flags per 100 contacts by rule, failing category, agency kind and
organisation; latency by agency kind; cases ranked by unescalated concerns; who saw the child, by agency
kind and by case; with --declarations,
assurance against evidence, and assurance_vs_evidence_notes.txt: how the declarations file was read),
one png + svg per chart, and manifest.json (`review.thematic_report`), from
which `review verify` runs it again and compares every file. `--redact` writes the case ids as "case 01",
"case 02", ... (`review.thematic_report.case_pseudonyms`: numbered in the order the store first stored
each case, so adding a case renumbers none).
"""
from __future__ import annotations

HELP = "thematic tables and charts across the cases of a store (optionally against declared compliance)"


def add_arguments(parser) -> None:
    parser.add_argument("--store", required=True, metavar="DIR", help="the Parquet case store")
    parser.add_argument("--declarations", metavar="FILE", help="organisations' declared compliance (xlsx, xls, ods or csv; every sheet with an organisation, year, standard and declared status header)")
    parser.add_argument("--threshold", type=_threshold, default=1.0,
                        help="flags per 100 contacts above which a declared-compliant standard disagrees (default 1; "
                             "a finite number, not negative)")
    parser.add_argument("--min-contacts", type=_min_contacts, default=None, metavar="N",
                        help="the fewest contacts a rate per 100 contacts is given over (default 20): a group or "
                             "declaration with fewer keeps its counts, has no rate ('too few contacts for a rate') "
                             "and is not drawn in the rate charts; a share (seen, within expected) likewise over "
                             "fewer contacts or concerns ('too few for a share')")
    parser.add_argument("--include-rejected", action="store_true",
                        help="count the flags reviewers rejected too (by default they are left out)")
    parser.add_argument("--redact", action="store_true",
                        help="case ids as 'case 01', 'case 02', ... in every table, chart and the manifest "
                             "(a case id can name the family); organisation names and agency kinds stay, but one "
                             "built on a family's street or name is shown as its case's anonymised report shows "
                             "it ('[surgery] (case 02)')")
    parser.add_argument("--out", required=True, metavar="DIR", help="output folder")
    parser.add_argument("--formats", default="png,svg", help="figure formats, comma-separated (default png,svg)")


def _threshold(text: str) -> float:
    """--threshold: a finite number, not negative (nan or inf would quietly find no disagreement)."""
    import argparse

    from ..thematic import check_threshold

    try:
        return check_threshold(text)
    except ValueError as exc:
        raise argparse.ArgumentTypeError(str(exc)) from None


def _min_contacts(text: str) -> int:
    """--min-contacts: a whole number, at least 1."""
    import argparse

    from ..thematic import check_min_contacts

    try:
        return check_min_contacts(text)
    except ValueError as exc:
        raise argparse.ArgumentTypeError(str(exc)) from None


def run(args) -> int:
    from ..thematic_report import write_thematic

    formats = tuple(f.strip() for f in args.formats.split(",") if f.strip())
    done = write_thematic(args.store, args.out, declarations=args.declarations, threshold=args.threshold,
                          include_rejected=args.include_rejected, formats=formats,
                          redact=getattr(args, "redact", False), min_contacts=getattr(args, "min_contacts", None))
    declarations, assurance = done["declarations"], done["assurance"]
    for note in declarations.attrs.get("notes", []) if declarations is not None else []:
        print(f"declarations: {note}")
    no_contacts = done["no_contacts"]
    empty = f" ({len(no_contacts)} with no accepted contacts: {_first(no_contacts)})" if no_contacts else ""
    print(f"{done['cases']} cases{empty}, {done['contacts']} contacts, {done['flags']} flags counted: "
          f"{len(done['tables'])} tables and {len(done['figures'])} charts in {args.out} "
          "(manifest.json: `review verify` runs it again and compares)")
    if done.get("redact") and done.get("failed_count"):
        print(f"{done['failed_count']} case(s) of the store failed on their last build and are not counted "
              "(ids not shown with --redact; the store's failures.csv says which and why)")
    if done.get("redact") and done.get("interrupted_count"):
        print(f"{done['interrupted_count']} case(s) were being written when a run of the store stopped and are "
              "not counted (ids not shown with --redact; `review build-all` again stores them)")
    if done["failed"]:
        print(f"{len(done['failed'])} case(s) of the store failed on their last build and are not counted: "
              f"{_first(done['failed'])} (the store's failures.csv says why; `review build-all` again once fixed)")
    if done["interrupted"]:
        print(f"{len(done['interrupted'])} case(s) were being written when a run of the store stopped and are not "
              f"counted: {_first(done['interrupted'])} (`review build-all` again stores them)")
    if done["kept"]:
        # as `review build` says it of a case report's folder
        from ..export import plural

        print(f"kept {plural(len(done['kept']), 'file')} in {args.out} that review did not write (review verify "
              f"lists them as unexpected): {_first(done['kept'])}")
    for line in done.get("organisations_apart", []):
        print(f"warning: {line}")
    if done["rejected"]:
        print(f"{done['rejected']} flag(s) the reviewers rejected are not counted (--include-rejected counts them)")
    if done["unknown_contact"]:
        print(f"{done['unknown_contact']} finding(s) the reviewers added on a contact the case does not have are not "
              "counted (`review build` of the case lists them)")
    sightings = done["tables"].get("sightings_by_agency_kind")
    if sightings is not None and len(sightings):
        # the kind that least often saw the child where it was there to be seen, of those with enough contacts
        # for a share (the small-number rule: a share over fewer is left empty in the table)
        face = sightings[sightings["face_to_face_seen_share"].notna()]
        overall = sightings[sightings["seen_share"].notna()]
        if len(face):
            least = face.iloc[0]
            missed = least.get("face_to_face_missed")
            missed = 0 if missed is None or _isna(missed) else int(missed)
            said = (f"{least['agency_kind']} recorded the child seen at the lowest share of its face-to-face contacts "
                    f"(visits, appointments, attendances, and those missed: not brought, no access; not calls or "
                    f"letters), {least['face_to_face_seen_share']:.0%} of {int(least['face_to_face'])}"
                    + (f" ({missed} missed)" if missed else ""))
        elif len(overall):
            least = overall.sort_values(["seen_share", "agency_kind"], kind="stable").iloc[0]
            seen = int(least["seen_recorded"] + least["seen_read"])
            said = (f"{least['agency_kind']} recorded the child seen at the lowest share of its contacts, {seen} of "
                    f"{int(least['contacts'])}")
        else:
            said = f"no agency kind had enough contacts for a share (fewer than {done['min_contacts']})"
        print(f"who saw the child: {said}; "
              "sightings_by_agency_kind.csv and sightings_by_case.csv (the longest period no agency saw the child)")
    if assurance is not None:
        from ..thematic import assurance_summary

        for line in assurance_summary(assurance, shown=SHOWN):
            print(f"assurance: {line}")
    return 0


#: names listed before "and N more"
SHOWN = 10


def _first(names: list[str]) -> str:
    return ", ".join(names[:SHOWN]) + (f" and {len(names) - SHOWN} more" if len(names) > SHOWN else "")


def _isna(value) -> bool:
    import pandas as pd

    return bool(pd.isna(value))
