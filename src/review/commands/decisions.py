"""`review decisions migrate CASE_DIR`: rewrite the case's decisions.csv to the flags' current ids.

Flag ids are made from the trigger contact's content; before, they were made from its row. A decision
recorded against a flag's earlier, row-based id is still applied by `review build` / `review flags`, with a
note saying so, every time, until decisions.csv is rewritten: this command runs the rules (as `review
flags` does) and rewrites each such row's ``flag_id`` to the flag's current id, keeping the id it was
recorded against in ``earlier_flag_id`` (audit), and each decision's ``trigger_event_id`` and
``evidence_event_ids`` (the contacts' rows when it was recorded, which an agency resubmitting its
chronology moves) to the flag's current ones. No decision is lost: a decision whose flag the rules no
longer raise stays in the file, marked in ``migration_note``; the rows keep their order (a later row still
supersedes an earlier one) and every other cell. The output depends on the file and the case only:
running it again changes nothing. `--dry-run` says what would change without writing.
"""
from __future__ import annotations

HELP = "manage a case's decisions.csv: `migrate` rewrites it to the flags' current ids (the earlier id kept)"


def add_arguments(parser) -> None:
    parser.add_argument("action", choices=["migrate"],
                        help="migrate: rewrite decisions.csv to the current flag ids (earlier ids kept in "
                             "earlier_flag_id; decisions on flags no longer raised kept and marked)")
    parser.add_argument("case_dir", metavar="CASE_DIR", help="the case folder (holding case.yml)")
    parser.add_argument("--dry-run", action="store_true", help="say what would change, write nothing")


def run(args) -> int:
    from ..config import case_file, load_case_config
    from ..decisions import DECISIONS_FILE, load_decisions, migrate_decisions
    from ..pipeline import analyse, load_case

    config = load_case_config(args.case_dir)
    path = case_file(config.case_dir, DECISIONS_FILE)
    if not path.exists():
        print(f"no {DECISIONS_FILE} in {config.case_dir}: nothing to migrate")
        return 0
    load_decisions(config.case_dir)  # an invalid decisions.csv stops here, before the chronologies
    analysis = analyse(load_case(args.case_dir))  # its decisions: those on earlier ids under the current ids
    decisions, flags = analysis.decisions, analysis.flags
    if args.dry_run:
        import shutil
        import tempfile
        from pathlib import Path

        with tempfile.TemporaryDirectory() as tmp:
            shutil.copy(path, Path(tmp) / DECISIONS_FILE)
            summary = migrate_decisions(tmp, decisions, flags, analysis.timeline)
    else:
        summary = migrate_decisions(config.case_dir, decisions, flags, analysis.timeline)
    verb = "would rewrite" if args.dry_run else "rewrote"
    if not summary["changed"]:
        print(f"{path}: already on the current flag ids ({summary['rows']} row(s)); nothing changed")
    else:
        print(f"{path}: {verb} {summary['rows']} row(s): {summary['moved']} moved from an earlier flag id to the "
              f"current one (the earlier id kept in earlier_flag_id)")
    if summary.get("refreshed"):
        print(f"  {summary['refreshed']} decision(s) whose trigger_event_id / evidence_event_ids named the contacts' "
              "earlier rows (the chronology was resubmitted): "
              + ("would be set" if args.dry_run else "set") + " to the flag's current contacts")
    if summary.get("content_filled"):
        print(f"  {summary['content_filled']} row(s) on a finding the reviewers added "
              + ("would get" if args.dry_run else "got") + " the content ids of the contacts they name "
              "(trigger_content_id, evidence_content_ids), so that they follow a resubmission")
    for row in summary.get("content_unknown") or []:
        print(f"  {path}, row {row}: a row on a finding the reviewers added names a trigger contact that is not in "
              "the chronology: its content ids cannot be recorded (check the finding's contacts)")
    if summary["not_raised"]:
        print(f"  {summary['not_raised']} decision(s) on a flag the rules no longer raise: kept, marked in migration_note")
    return 0
