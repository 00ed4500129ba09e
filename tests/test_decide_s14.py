"""`review decide` records a decision under the flag's content-anchored id, with the flag's trigger and
evidence contacts beside it (s14): an agency resubmitting its chronology with a row inserted above the
trigger moves the contacts' rows (their event ids), so the recorded trigger_event_id named another row. Now
the decision is read with the flag's current contacts, and `review decisions migrate` writes them."""
from __future__ import annotations

import shutil
from pathlib import Path

import pandas as pd
import pytest

from review.cli import main
from review.decisions import current_contacts, with_flag_details
from review.pipeline import analyse, load_case

SAMPLE = Path(__file__).resolve().parents[1] / "data" / "cases" / "sample"
HV = "health_visiting.csv"
INSERTED = b'01/02/2023,Antenatal contact,Health visitor,"Antenatal contact by telephone, no concerns.",None,N'


@pytest.fixture
def case(tmp_path) -> Path:
    copy = tmp_path / "sample"
    shutil.copytree(SAMPLE, copy)
    with (copy / "case.yml").open("a", encoding="utf-8") as handle:
        handle.write("lead_reviewer: Jane Okafor\n")
    return copy


def _bruise(flags: pd.DataFrame) -> pd.Series:
    [index] = flags.index[flags["rule_id"] == "nonmobile_injury"]
    return flags.loc[index]


def _file(case: Path) -> pd.DataFrame:
    return pd.read_csv(case / "decisions.csv", dtype=str, keep_default_na=False, encoding="utf-8-sig")


def _resubmit(case: Path) -> None:
    """The health visitor's chronology again, with a contact inserted above every other row."""
    lines = (case / HV).read_bytes().split(b"\n")
    lines.insert(1, INSERTED)
    (case / HV).write_bytes(b"\n".join(lines))


def test_what_decide_records_survives_a_resubmission(case, capsys):
    before = _bruise(analyse(load_case(case)).flags)
    assert main(["decide", str(case), before["flag_id"], "--accept", "--rationale", "Never referred to CSC",
                 "--date", "2024-08-01"]) == 0
    [row] = _file(case).to_dict("records")
    assert (row["flag_id"], row["trigger_event_id"]) == (before["flag_id"], before["trigger_event_id"])

    _resubmit(case)
    analysis = analyse(load_case(case))
    after = _bruise(analysis.flags)
    assert after["flag_id"] == before["flag_id"] and after["decision"] == "accepted"
    # the contact's row moved: the event id recorded names another row now
    assert after["trigger_event_id"] != before["trigger_event_id"]
    assert before["trigger_event_id"] in set(analysis.timeline["event_id"])  # ... which is another contact
    # read back, the decision names the flag's contacts as they are now, with no problem listed
    [decided] = analysis.decisions.to_dict("records")
    assert decided["trigger_event_id"] == after["trigger_event_id"]
    assert decided["evidence_event_ids"] == after["evidence_event_ids"]
    assert analysis.decision_problems.empty

    # the workbook's Decisions sheet shows the current contacts (not the recorded row)
    shown = with_flag_details(analysis.decisions, analysis.flags)
    assert shown["trigger_event_id"].tolist() == [after["trigger_event_id"]]

    # `review decide` again sees the decision in force (keyed by the content-anchored id)
    capsys.readouterr()
    assert main(["decide", str(case), after["flag_id"], "--reject", "--rationale", "x"]) == 2
    assert "already has a decision: accepted by Jane Okafor" in capsys.readouterr().err

    # migrate writes the current contacts to the file; again, nothing changes
    assert main(["decisions", "migrate", str(case), "--dry-run"]) == 0
    assert "would be set to the flag's current contacts" in capsys.readouterr().out
    assert _file(case)["trigger_event_id"].tolist() == [before["trigger_event_id"]]  # dry run: untouched
    assert main(["decisions", "migrate", str(case)]) == 0
    out = capsys.readouterr().out
    assert "1 decision(s) whose trigger_event_id / evidence_event_ids named the contacts' earlier rows" in out
    [row] = _file(case).to_dict("records")
    assert (row["flag_id"], row["trigger_event_id"], row["evidence_event_ids"]) == (
        after["flag_id"], after["trigger_event_id"], after["evidence_event_ids"])
    assert (row["decision"], row["rationale"], row["author"], row["date"]) == (
        "accepted", "Never referred to CSC", "Jane Okafor", "2024-08-01")
    text = (case / "decisions.csv").read_bytes()
    assert main(["decisions", "migrate", str(case)]) == 0
    assert "nothing changed" in capsys.readouterr().out and (case / "decisions.csv").read_bytes() == text
    # and a decision recorded after the resubmission records the current contacts
    assert main(["decide", str(case), after["flag_id"], "--reject", "--rationale", "covered by flag 2",
                 "--replace", "--date", "2024-09-01"]) == 0
    assert _file(case)["trigger_event_id"].tolist() == [after["trigger_event_id"]] * 2


def test_current_contacts_leaves_blank_added_and_unraised_rows_as_they_are():
    flags = pd.DataFrame({"flag_id": ["r-1", "r-2"], "trigger_event_id": ["C:f::5", "C:f::9"],
                          "evidence_event_ids": ["C:f::5; C:g::2", "C:f::9"]})
    decisions = pd.DataFrame({
        "flag_id": ["r-1", "r-2", "r-3", "added:x:1", "r-1"],
        "decision": ["accepted", "rejected", "rejected", "added", "rejected"],
        "trigger_event_id": ["C:f::4", "", "C:f::1", "C:f::4", "C:f::5"],
        "evidence_event_ids": ["C:f::4; C:g::2", "", "C:f::1", "C:f::4", "C:f::5; C:g::1"]})
    out = current_contacts(decisions, flags)
    assert out["trigger_event_id"].tolist() == ["C:f::5", "", "C:f::1", "C:f::4", "C:f::5"]
    # row 5: its trigger is the flag's, its evidence not: both follow the flag
    assert out["evidence_event_ids"].tolist() == ["C:f::5; C:g::2", "", "C:f::1", "C:f::4", "C:f::5; C:g::2"]
    same = decisions.iloc[[1, 2, 3]].reset_index(drop=True)
    assert current_contacts(same, flags) is same  # nothing stale: the frame as it was
