"""Flag ids anchored on the trigger contact's content, not its row: the reviewers' decisions (decisions.csv,
keyed by flag id) survive an agency resubmitting its chronology with a row inserted; editing the trigger's
own text changes the id (the decision is then reported as on a flag no longer raised); a decision recorded
against the earlier, row-based id still applies (with a note); `review decide CASE N` takes the number
`review flags` prints."""
from __future__ import annotations

import re
import shutil
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from review.cli import main
from review.decisions import EARLIER_ID_NOTE, load_decisions, record_decision
from review.pipeline import analyse, load_case
from review.rules import detect, load_rules
from review.rules.base import content_anchor, content_key, legacy_flag_id, prepare, trigger_anchors
from review.rules.testing import make_timeline

SAMPLE = Path(__file__).resolve().parents[1] / "data" / "cases" / "sample"
HV = "health_visiting.csv"
#: the health visitor's 3-month contact (row 4 of health_visiting.csv): the non-mobile bruise
BRUISE = "Kai seen at home. Small bruise (approx 1 cm) on his left cheek."
INSERTED = '01/02/2023,Antenatal contact,Health visitor,"Antenatal contact by telephone, no concerns.",None,N'


@pytest.fixture
def case(tmp_path) -> Path:
    copy = tmp_path / "sample"
    shutil.copytree(SAMPLE, copy)
    with (copy / "case.yml").open("a", encoding="utf-8") as handle:
        handle.write("lead_reviewer: Jane Okafor\n")
    return copy


def _bruise_flag(flags: pd.DataFrame, rule: str = "nonmobile_injury") -> pd.Series:
    rows = flags[flags["rule_id"] == rule]
    assert len(rows) == 1
    return rows.iloc[0]


def _rewrite(path: Path, edit) -> None:
    raw = path.read_bytes()
    lines = raw.split(b"\n")
    edit(lines)
    path.write_bytes(b"\n".join(lines))


def test_a_row_inserted_at_the_top_keeps_the_flag_id_and_its_decision(case):
    before = analyse(load_case(case))
    flag = _bruise_flag(before.flags)
    record_decision(case, flag["flag_id"], "accepted", "Never referred to CSC", "Jane Okafor", "2024-08-01")

    _rewrite(case / HV, lambda lines: lines.insert(1, INSERTED.encode()))  # a corrected chronology: one more row
    after = analyse(load_case(case))
    assert len(after.timeline) == len(before.timeline) + 1
    moved = _bruise_flag(after.flags)
    assert moved["trigger_event_id"] != flag["trigger_event_id"]  # the event id is provenance: its row moved
    assert moved["flag_id"] == flag["flag_id"]  # the flag id is the contact's content: unchanged
    assert (moved["decision"], moved["rationale"], moved["decided_by"]) == ("accepted", "Never referred to CSC",
                                                                            "Jane Okafor")
    assert after.decision_problems.empty
    # every flag of the first analysis whose trigger is not the new row keeps its id
    assert set(before.flags["flag_id"]) <= set(after.flags["flag_id"])


def test_editing_the_trigger_text_reports_the_decision_as_on_a_flag_no_longer_raised(case):
    flag = _bruise_flag(analyse(load_case(case)).flags)
    record_decision(case, flag["flag_id"], "accepted", "Never referred to CSC", "Jane Okafor", "2024-08-01")
    hv = case / HV

    # re-typed spacing and letter case are no edit of the evidence: same id, decision applied
    text = hv.read_bytes()
    hv.write_bytes(text.replace(BRUISE.encode(), BRUISE.upper().replace(" ", "  ").encode()))
    respaced = analyse(load_case(case))
    assert _bruise_flag(respaced.flags)["flag_id"] == flag["flag_id"]
    assert _bruise_flag(respaced.flags)["decision"] == "accepted"

    hv.write_bytes(text.replace(b"approx 1 cm", b"approx 2 cm"))  # the evidence itself changed
    edited = analyse(load_case(case))
    now = _bruise_flag(edited.flags)
    assert now["flag_id"] != flag["flag_id"] and now["trigger_event_id"] == flag["trigger_event_id"]
    assert now["decision"] == "pending"
    problems = edited.decision_problems
    assert problems[["flag_id", "problem"]].values.tolist() == [
        [flag["flag_id"], "no flag with this id in the current analysis (rules or data changed?): the decision applies "
         "to no current flag and is not in force"]]


def test_a_decision_on_the_earlier_row_based_id_still_applies_and_says_so(case, capsys):
    loaded = load_case(case)
    timeline = analyse(loaded).timeline
    flags = detect(timeline, loaded.config, load_rules(case), legacy_ids=True)
    flag = _bruise_flag(flags)
    old = flag["legacy_flag_id"]
    assert old == legacy_flag_id("nonmobile_injury", flag["trigger_event_id"]) != flag["flag_id"]
    record_decision(case, old, "rejected", "Covered by the injury flag", "Jane Okafor", "2024-07-01")

    analysis = analyse(load_case(case))
    decided = _bruise_flag(analysis.flags)
    assert (decided["flag_id"], decided["decision"]) == (flag["flag_id"], "rejected")
    assert "legacy_flag_id" not in analysis.flags.columns
    assert analysis.decisions[["flag_id", "current"]].values.tolist() == [[flag["flag_id"], True]]
    note = EARLIER_ID_NOTE.format(old=old, new=flag["flag_id"])
    assert analysis.decision_problems[["row", "flag_id", "problem"]].values.tolist() == [[2, flag["flag_id"], note]]
    assert "decision recorded against the flag's earlier id" in note
    # without --replace, `review decide` sees the decision in force (recorded under the earlier id)
    number = analysis.flags["flag_id"].tolist().index(flag["flag_id"]) + 1
    assert main(["decide", str(case), str(number), "--accept", "--rationale", "on reflection, a miss"]) == 2
    assert "already has a decision: rejected by Jane Okafor" in capsys.readouterr().err
    assert main(["decide", str(case), str(number), "--accept", "--rationale", "on reflection, a miss",
                 "--replace"]) == 0
    capsys.readouterr()
    again = analyse(load_case(case))
    assert _bruise_flag(again.flags)["decision"] == "accepted"  # the later row, under the current id, is in force
    assert len(again.decision_problems) == 1  # the earlier row is still read (history), with its note
    # `review flags` lists the note with the decision problems
    assert main(["flags", str(case)]) == 0
    assert "decision recorded against the flag's earlier id" in capsys.readouterr().out


def test_decide_takes_the_number_review_flags_prints(case, capsys):
    ids = analyse(load_case(case)).flags["flag_id"].astype(str).tolist()
    assert main(["flags", str(case)]) == 0
    printed = capsys.readouterr().out
    # the "#" column: flag 3's row, then its id under it
    assert re.search(rf"^3 +{re.escape(_rule(ids[2]))} .*\n +id: {re.escape(ids[2])}$", printed, re.M)

    assert main(["decide", str(case), "3", "--accept", "--rationale", "A miss", "--date", "2024-08-01"]) == 0
    out = capsys.readouterr().out
    assert f"flag #3 {ids[2]}" in out
    decisions, _ = load_decisions(case)
    assert decisions[["flag_id", "decision"]].values.tolist() == [[ids[2], "accepted"]]
    assert main(["decide", str(case), "#4", "--reject", "--rationale", "Not a miss", "--date", "2024-08-01"]) == 0
    capsys.readouterr()
    assert load_decisions(case)[0]["flag_id"].tolist() == [ids[2], ids[3]]

    for wrong in ("0", str(len(ids) + 1)):
        assert main(["decide", str(case), wrong, "--accept", "--rationale", "x"]) == 2
        err = capsys.readouterr().err
        assert f"no flag #{int(wrong)} in case sample" in err and f"#1 to #{len(ids)}" in err
    assert len(load_decisions(case)[0]) == 2


def _rule(flag_id: str) -> str:
    return flag_id.rsplit("-", 1)[0]


def test_identical_contacts_get_distinct_anchors_numbered_in_source_order():
    row = {"date": "2023-03-01", "contact_type": "home_visit", "agency": "Health Visiting", "agency_kind": "health",
           "description": "Home visit.  Child seen.", "action": "None"}
    timeline = make_timeline([dict(row, source_row=9), dict(row, source_row=5, description="HOME visit. child seen."),
                              dict(row, description="Home visit, child not seen.", source_row=7)])
    ctx = prepare(timeline, None, load_rules()["settings"])
    ids = ctx.timeline["event_id"].tolist()
    rows = dict(zip(ids, ctx.timeline["source_row"].tolist()))
    anchors = dict(zip(ids, trigger_anchors(ctx, ids)))
    assert len(set(anchors.values())) == 3
    first = [e for e in ids if rows[e] == 5][0]
    second = [e for e in ids if rows[e] == 9][0]
    assert anchors[first].rsplit("\x1f", 1) == [anchors[second].rsplit("\x1f", 1)[0], "1"]  # same key, 1st
    assert anchors[second].endswith("\x1f2")
    key = content_key("C1", "Health Visiting", pd.Timestamp("2023-03-01"), "day", "home_visit",
                      "Home visit. Child seen.", "none")
    assert anchors[first] == content_anchor(key, 1)
    # asked for again, in any order: the same anchors (computed once per prepared timeline)
    assert list(trigger_anchors(ctx, ids[::-1])) == [anchors[e] for e in ids[::-1]]
    assert trigger_anchors(ctx, np.array(["not-an-event"], dtype=object)).tolist() == ["not-an-event"]
    # found through the flags' (case, trigger date), or, when the date is not the row's day, among all ids
    for day in ("2023-03-01", "2024-01-01"):
        fresh = prepare(timeline.iloc[::-1].reset_index(drop=True), None, load_rules()["settings"])
        got = trigger_anchors(fresh, ids, [pd.Timestamp(day)] * 3, ["C1"] * 3)
        assert list(got) == [anchors[e] for e in ids]
        assert ("event_index" in fresh.extra) is (day != "2023-03-01")


def test_ids_are_unique_and_independent_of_the_input_row_order():
    from review.store import case_configs, timeline_many
    from review.synth import synth_contacts

    contacts, cases, _ = synth_contacts(12, 7)
    timeline = timeline_many(contacts, cases)
    rules = load_rules()
    flags = detect(timeline, case_configs(cases), rules)
    assert len(flags) and flags["flag_id"].is_unique
    shuffled = timeline.sample(frac=1, random_state=3).reset_index(drop=True)
    again = detect(shuffled, case_configs(cases), rules)
    assert again["flag_id"].tolist() == flags["flag_id"].tolist()
