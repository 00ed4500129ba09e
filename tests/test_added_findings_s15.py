"""Added findings follow a resubmission (s15): a finding the reviewers added names its contacts by event id,
which is the contact's row; recorded with the timeline, it also keeps them by their content, so that an agency
resubmitting its chronology with a row inserted above leaves it on the same contact (as `review decide`'s
recorded event ids follow the flag since s14), and `review decisions migrate` writes the current ids."""
from __future__ import annotations

from pathlib import Path

import pandas as pd

from review.decisions import (CONTENT_COLUMNS, DECISIONS_FILE, load_decisions, migrate_decisions, read_decisions_file,
                              record_decision)
from review.pipeline import analyse, load_case

HEADER = "Date,Type,Details,Action\n"
ROWS = ["02/02/2022,Home visit,NBV day 12. Baby seen.,Routine\n",
        "16/03/2022,Home visit,Mother tearful and low. Baby seen.,Discuss with GP\n",
        "20/04/2022,Home visit,Baby seen in her cot. Bruise to left ear noted,Weekly visits\n",
        "10/05/2022,Home visit,Baby seen,Weekly visits\n"]
INSERTED = "01/03/2022,Telephone call,Mother rang to rearrange visit,Rearranged\n"


def _case(folder: Path, rows: list[str]) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "hv.csv").write_text(HEADER + "".join(rows), encoding="utf-8")
    (folder / "case.yml").write_text("case_id: oak\ndate_of_birth: 2022-01-21\nfiles:\n"
                                     "  - {path: hv.csv, agency: Hollybank Health Visiting}\n", encoding="utf-8")
    return folder


def _event(timeline: pd.DataFrame, words: str) -> str:
    return str(timeline.loc[timeline["description"].str.contains(words, regex=False), "event_id"].iloc[0])


def _added(folder: Path) -> pd.Series:
    analysis = analyse(load_case(folder))
    return analysis, analysis.flags[analysis.flags["source"] == "reviewer"].iloc[0]


def _record(folder: Path, timeline: pd.DataFrame | None) -> tuple[str, str, str]:
    trigger = _event(timeline if timeline is not None else analyse(load_case(folder)).timeline, "Bruise to left ear")
    tearful = _event(timeline if timeline is not None else analyse(load_case(folder)).timeline, "tearful")
    record_decision(folder, "", "added", "Bruise to a non-mobile baby's ear was not referred", "Jane Okafor",
                    "2024-08-01", rule_id="nonmobile_injury", trigger_event_id=trigger,
                    evidence_event_ids=f"{tearful}; {trigger}", timeline=timeline)
    return trigger, tearful


def test_an_added_finding_stays_on_its_contact_after_a_row_is_inserted_above(tmp_path):
    folder = _case(tmp_path / "oak", ROWS)
    timeline = analyse(load_case(folder)).timeline
    trigger, tearful = _record(folder, timeline)
    header = read_decisions_file(folder / DECISIONS_FILE)
    assert len(header) == 1
    text = (folder / DECISIONS_FILE).read_text(encoding="utf-8-sig")
    assert text.splitlines()[0].endswith(",".join(CONTENT_COLUMNS))  # kept by content too
    analysis, added = _added(folder)
    assert added["trigger_event_id"] == trigger and added["trigger_date"] == pd.Timestamp("2022-04-20")

    # the agency resubmits with a row inserted above: every later contact moves down a row
    _case(folder, ROWS[:1] + [INSERTED] + ROWS[1:])
    analysis, added = _added(folder)
    now = _event(analysis.timeline, "Bruise to left ear")
    assert now != trigger  # the contact's row moved
    # before: the finding named the row the bruise was on (now the tearful visit's), dated 16 March
    assert added["trigger_event_id"] == now and added["trigger_date"] == pd.Timestamp("2022-04-20")
    assert added["evidence_event_ids"] == f"{_event(analysis.timeline, 'tearful')}; {now}"
    problems = analysis.decision_problems["problem"]
    # no problem with the finding's contacts; the rules raise this bruise themselves (nonmobile_injury on the same
    # contact), which is listed (s17) and names the rules' flag
    assert not problems[~problems.str.contains("rules now raise")].str.contains("added finding").any()
    assert problems.str.contains("an added finding the rules now raise as flag nonmobile_injury-").sum() == 1

    # migrate writes the current contacts to the file; again, nothing changes
    decisions, _ = load_decisions(folder, analysis.flags, analysis.timeline)
    summary = migrate_decisions(folder, decisions, analysis.flags)
    assert summary["changed"] and summary["refreshed"] == 1
    row = read_decisions_file(folder / DECISIONS_FILE).iloc[0]
    assert row["trigger_event_id"] == now
    again = migrate_decisions(folder, *(load_decisions(folder, analysis.flags, analysis.timeline)[:1]), analysis.flags)
    assert not again["changed"]
    assert _added(folder)[1]["trigger_event_id"] == now


def test_without_the_content_the_finding_keeps_its_row(tmp_path):
    """A row recorded before the content was kept (or by hand) is read as it is: the row it names."""
    folder = _case(tmp_path / "oak", ROWS)
    trigger, _ = _record(folder, None)
    assert "trigger_content_id" not in (folder / DECISIONS_FILE).read_text(encoding="utf-8-sig")
    _case(folder, ROWS[:1] + [INSERTED] + ROWS[1:])
    analysis, added = _added(folder)
    assert added["trigger_event_id"] == trigger  # the row: now the tearful visit
    assert added["trigger_date"] == pd.Timestamp("2022-03-16")


def test_a_contact_edited_on_resubmission_is_listed_as_a_problem(tmp_path):
    folder = _case(tmp_path / "oak", ROWS)
    trigger, _ = _record(folder, analyse(load_case(folder)).timeline)
    _case(folder, ROWS[:2] + [ROWS[2].replace("Bruise to left ear", "Bruise to left ear (photographed)")] + ROWS[3:])
    analysis, added = _added(folder)
    assert added["trigger_event_id"] == trigger  # kept as recorded
    problems = analysis.decision_problems["problem"]
    assert problems.str.contains("no longer have the content the finding was recorded on").sum() == 1
    assert problems.str.contains(trigger, regex=False).any()


def test_a_decision_after_the_added_finding_keeps_the_columns(tmp_path):
    folder = _case(tmp_path / "oak", ROWS)
    timeline = analyse(load_case(folder)).timeline
    _record(folder, timeline)
    analysis, added = _added(folder)
    record_decision(folder, added["flag_id"], "accepted", "Agreed at panel", "Jane Okafor", "2024-08-02")
    rows = read_decisions_file(folder / DECISIONS_FILE)
    assert rows["decision"].tolist() == ["added", "accepted"]
    _case(folder, ROWS[:1] + [INSERTED] + ROWS[1:])
    analysis, added = _added(folder)
    assert added["decision"] == "accepted"
    assert added["trigger_event_id"] == _event(analysis.timeline, "Bruise to left ear")
