"""`review build`: the full report for one case (workbook, CSVs, Word, charts, HTML, manifest)."""
from __future__ import annotations

import sys
from pathlib import Path

HELP = "build the report for a case: chronology.xlsx/.csv/.docx, charts, report.html and manifest.json"


def add_arguments(parser) -> None:
    parser.add_argument("case_dir", metavar="CASE_DIR", help="the case folder (with case.yml)")
    parser.add_argument("--out", metavar="DIR", default=None, help="output folder (default: reports/<case_id>/)")
    parser.add_argument("--redact", action="store_true", help="anonymised view: pseudonymise the names listed in case.yml and redact dates of birth in every "
                             "output, the input files' names and the case id; give every date to the month and the "
                             "child's age in whole months")
    parser.add_argument("--no-progress", action="store_true", help="no progress bar")


def run(args) -> int:
    from ..build import build_report, default_out_dir, foreign_files
    from ..config import load_case_config
    from ..export import plural

    out = Path(args.out) if args.out else default_out_dir(load_case_config(args.case_dir))
    manifest = build_report(args.case_dir, out, redact=args.redact, progress=not args.no_progress)
    counts = manifest.get("counts", {})
    print(f"{manifest['case_id']}: {plural(counts.get('contacts', 0), 'contact')}, "
          f"{plural(counts.get('flags', 0), 'flag')}{_decided(counts.get('flag_decisions', {}))}; "
          f"{len(manifest['outputs']) + 1} files written to {out}", file=sys.stdout)
    rejected = int(counts.get("rows_rejected", 0) or 0)
    if rejected:
        from ..build import rejected_rows_note

        print(f"  {rejected_rows_note(rejected)}: see 'Data quality' in report.html and in "
              "chronology.xlsx (`review validate` lists them with the reason)", file=sys.stdout)
    conflicts = int(counts.get("sighting_conflicts", 0) or 0)
    if conflicts:
        print(f"  {plural(conflicts, 'row')} of events two agencies report disagree whether the child was seen (both "
              "kept as recorded): see the warnings under 'Data quality' in report.html and chronology.xlsx", file=sys.stdout)
    for warning in manifest.get("columns_not_analysed") or []:
        print(f"  warning: {warning}", file=sys.stdout)
    unmapped = int(counts.get("sheets_with_columns_not_analysed", 0) or 0)
    if unmapped:
        print(f"  {plural(unmapped, 'sheet')} with columns no rule reads (under 'Other columns' in chronology.csv and "
              "chronology.xlsx): see 'Columns not analysed' under 'Data quality' in chronology.xlsx", file=sys.stdout)
    problems = counts.get("decision_problems", 0)
    if problems:
        print(f"  {plural(problems, 'problem')} with the reviewers' decisions (a decision on a flag the rules no longer raise, "
              "an added finding on an unknown contact, ...): see 'Decision problems' in chronology.xlsx and "
              "report.html", file=sys.stdout)
    for carried in manifest.get("decisions_carried_over") or []:
        print(f"  decision carried over: decisions.csv, row {carried['row']}: {carried['from']} -> {carried['to']} (the "
              "flag's id changed: its trigger contact is read differently now (its contact type, agency, date, "
              "action, or a description column a profile now reads), or the rule now raises one flag where it "
              "raised several: see 'Decision problems'; `review decisions migrate` writes the new id to the file)",
              file=sys.stdout)
    kept = foreign_files(out, manifest["outputs"])
    if kept:
        print(f"  kept {plural(len(kept), 'file')} in {out} that review did not write (review verify lists them as "
              f"unexpected): {', '.join(kept)}", file=sys.stdout)
    return 0


def _decided(decisions: dict) -> str:
    """" (2 rejected by the reviewers)" when any flag was rejected."""
    rejected = int(decisions.get("rejected", 0) or 0)
    return f" ({rejected} rejected by the reviewers)" if rejected else ""
