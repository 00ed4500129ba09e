"""A decision follows its flag when the rule now raises one flag where it raised several (s19): information_not_shared
raises one flag per decision, repeated_injury_or_ae one per unanswered pattern; the flag kept has its own trigger
and id, and the triggers of the flags merged into it are its evidence. A decision recorded on a merged-away flag
is carried over to the one flag of the same rule whose evidence holds its trigger contact (its id made again from
that contact and the flag's variant), unless that flag has its own decision (kept) or decisions carried to it
disagree (none kept); when several flags could be the one, nothing is guessed."""
from __future__ import annotations

import shutil
from pathlib import Path

import pandas as pd

from review.cli import main
from review.decisions import (DECISIONS_FILE, MERGED_NOTE, MERGED_REJECT_NOTE, NOT_RAISED_PROBLEM, _merged_into, carried_over,
                              migrate_decisions, read_decisions_file, record_decision)
from review.pipeline import analyse, load_case
from review.rules.base import content_anchor, content_key, flag_id

SAMPLE = Path(__file__).resolve().parents[1] / "data" / "cases" / "sample"
# the sample's ids as the release before the merges raised them (26 flags): each concern that had not reached the
# review conference of 2024-01-25 was its own information_not_shared flag; now one flag lists them all
KEPT = "information_not_shared-8bb7d48a2544"
MERGED = {  # earlier id: (its trigger, its evidence then)
    "information_not_shared-5d8bb09226cf": ("E149818d890b6", "E149818d890b6; E203b8f4a4fc2"),
    "information_not_shared-659e067c8161": ("Ea2d29ecda4b2", "E203b8f4a4fc2; Ea2d29ecda4b2"),
}
FIRST, SECOND = MERGED
# the second injury of a pattern, a flag of its own then; its trigger is now evidence of two injury patterns' flags
INJURY_OLD, INJURY_TRIGGER = "repeated_injury_or_ae-c6929b049031", "E11de4dd54d5e"


def _case(tmp_path: Path, *rows) -> Path:
    """The sample with decisions.csv holding `rows` ((flag id, decision), in file order), each recorded with the
    rule and contacts its flag had."""
    case = tmp_path / "sample"
    shutil.copytree(SAMPLE, case)
    for flag, decision in rows:
        rule = flag.rsplit("-", 1)[0]
        trigger, evidence = MERGED.get(flag, (INJURY_TRIGGER, f"{INJURY_TRIGGER}; E1b8f678d563c")
                                       if flag == INJURY_OLD else ("", ""))
        record_decision(case, flag, decision, f"{decision} on review of {flag}", "Jane Okafor", "2024-08-01",
                        rule_id=rule, trigger_event_id=trigger, evidence_event_ids=evidence)
    return case


def _problems(analysis, row: int) -> list[str]:
    problems = analysis.decision_problems
    return problems.loc[problems["row"] == row, "problem"].astype(str).tolist()


def test_a_decision_on_a_merged_away_flag_is_carried_to_the_flag_it_joined(tmp_path, capsys):
    case = _case(tmp_path, (FIRST, "accepted"))
    analysis = analyse(load_case(case))
    assert len(analysis.timeline) == 99 and (analysis.flags["source"] != "reviewer").sum() == 22
    flag = analysis.flags.set_index("flag_id").loc[KEPT]
    # before: pending, and the acceptance listed as "a decision on a flag the rules no longer raise"
    assert flag["decision"] == "accepted" and flag["decided_by"] == "Jane Okafor"
    assert (analysis.flags["decision"] == "accepted").sum() == 1
    [problem] = _problems(analysis, 2)
    assert problem == MERGED_NOTE.format(old=FIRST, event=MERGED[FIRST][0], new=KEPT)
    assert carried_over(analysis.decision_problems) == [{"row": 2, "from": FIRST, "to": KEPT}]

    out = tmp_path / "report"
    assert main(["build", str(case), "--out", str(out), "--no-progress"]) == 0
    printed = capsys.readouterr().out
    assert "22 flags" in printed
    assert f"decision carried over: decisions.csv, row 2: {FIRST} -> {KEPT}" in printed
    assert "one flag where it raised several" in printed

    summary = migrate_decisions(case, analysis.decisions, analysis.flags)
    assert summary["changed"] and summary["moved"] == 1 and summary["not_raised"] == 0
    assert read_decisions_file(case / DECISIONS_FILE)["flag_id"].tolist() == [KEPT]
    assert f",{FIRST}," in (case / DECISIONS_FILE).read_text(encoding="utf-8-sig")  # earlier_flag_id kept
    again = analyse(load_case(case))  # migrated: the decision is on the flag, nothing to report
    assert again.flags.set_index("flag_id").loc[KEPT, "decision"] == "accepted"


def test_a_rejection_is_listed_not_carried(tmp_path):
    """A rejection weighed one concern; the flag it joined lists others too: it is listed, the flag pending."""
    case = _case(tmp_path, (FIRST, "rejected"))
    analysis = analyse(load_case(case))
    assert analysis.flags.set_index("flag_id").loc[KEPT, "decision"] == "pending"
    assert (analysis.flags["decision"] == "rejected").sum() == 0
    problems = _problems(analysis, 2)
    assert MERGED_REJECT_NOTE.format(old=FIRST, event=MERGED[FIRST][0], new=KEPT) in problems
    assert carried_over(analysis.decision_problems) == []
    assert analysis.decisions.set_index("row").loc[2, "flag_id"] == FIRST


def test_the_flag_keeps_its_own_decision(tmp_path):
    case = _case(tmp_path, (KEPT, "accepted"), (FIRST, "rejected"))
    analysis = analyse(load_case(case))
    flag = analysis.flags.set_index("flag_id").loc[KEPT]
    assert flag["decision"] == "accepted"  # its own decision, although the merged one is later in the file
    problems = _problems(analysis, 3)
    assert any(f"flag {KEPT} of the same rule" in p and "which has its own decision (accepted, decisions.csv row 2)"
               in p and "(this one rejected)" in p and p.endswith("the flag keeps its own decision") for p in problems)
    assert any(p.startswith(NOT_RAISED_PROBLEM[:40]) for p in problems)  # in force for no flag, as before
    assert carried_over(analysis.decision_problems) == []
    row = analysis.decisions.set_index("row").loc[3]
    assert row["flag_id"] == FIRST and not row["current"]


def test_merged_decisions_that_disagree_are_neither_applied(tmp_path):
    case = _case(tmp_path, (FIRST, "accepted"), (SECOND, "rejected"))
    analysis = analyse(load_case(case))
    assert analysis.flags.set_index("flag_id").loc[KEPT, "decision"] == "pending"
    for row, old in ((2, FIRST), (3, SECOND)):
        problems = _problems(analysis, row)
        assert any(f"flag {KEPT} of the same rule" in p and "they disagree (accepted on "
                   f"{FIRST} (decisions.csv row 2); rejected on {SECOND} (decisions.csv row 3))" in p
                   and "none is carried over" in p for p in problems), problems
        assert analysis.decisions.set_index("row").loc[row, "flag_id"] == old
    assert carried_over(analysis.decision_problems) == []


def test_merged_decisions_that_agree_are_both_carried(tmp_path):
    case = _case(tmp_path, (FIRST, "accepted"), (SECOND, "accepted"))
    analysis = analyse(load_case(case))
    flag = analysis.flags.set_index("flag_id").loc[KEPT]
    assert flag["decision"] == "accepted" and flag["rationale"] == f"accepted on review of {SECOND}"  # the latest
    assert carried_over(analysis.decision_problems) == [{"row": 2, "from": FIRST, "to": KEPT},
                                                        {"row": 3, "from": SECOND, "to": KEPT}]


def test_a_trigger_now_evidence_of_several_flags_of_its_rule_is_not_carried(tmp_path):
    case = _case(tmp_path, (INJURY_OLD, "accepted"))
    analysis = analyse(load_case(case))
    problems = _problems(analysis, 2)
    assert any("is now evidence of each of flags repeated_injury_or_ae-6e41bf98448c, repeated_injury_or_ae-cbf5ba566285"
               in p and "not carried over" in p for p in problems), problems
    assert (analysis.flags["decision"] == "accepted").sum() == 0
    assert carried_over(analysis.decision_problems) == []


# ------------------------------------------------------------------------------------------------------------
# hand-made: two contacts, one flag of a rule listing both (the second was a flag of its own before)
# ------------------------------------------------------------------------------------------------------------
def _timeline(second_text: str = "Bruise to cheek seen at nursery") -> pd.DataFrame:
    return pd.DataFrame({
        "event_id": ["E1", "E2", "E3"], "case_id": ["c"] * 3, "agency": ["Nursery", "Nursery", "GP"],
        "date": pd.to_datetime(["2024-01-02", "2024-01-09", "2024-01-09"]), "date_precision": ["day"] * 3,
        "contact_type": ["nursery_session"] * 2 + ["gp_appointment"], "description": [
            "Bruise to arm seen at nursery", second_text, "Bruise to cheek seen at nursery"], "action": [""] * 3,
        "source_file": ["n.csv", "n.csv", "g.csv"], "source_sheet": [""] * 3, "source_row": [2, 3, 2]})


def _anchor(timeline: pd.DataFrame, i: int) -> str:
    row = timeline.iloc[i]
    return content_anchor(content_key(row["case_id"], row["agency"], row["date"], row["date_precision"],
                                      row["contact_type"], row["description"], row["action"]), 1)


def _decisions(*rows) -> pd.DataFrame:
    return pd.DataFrame({"flag_id": [r[0] for r in rows], "decision": [r[1] for r in rows],
                         "trigger_event_id": [r[2] for r in rows], "row": list(range(2, 2 + len(rows))),
                         "current": [True] * len(rows), "rationale": ["r"] * len(rows), "author": ["A"] * len(rows),
                         "date": pd.to_datetime(["2024-02-01"] * len(rows)), "rule_id": ["x"] * len(rows),
                         "evidence_event_ids": [""] * len(rows)})


def _flags(timeline: pd.DataFrame, variants=("v",)) -> pd.DataFrame:
    return pd.DataFrame({"flag_id": [flag_id("demo_rule", _anchor(timeline, 0), v) for v in variants],
                         "rule_id": "demo_rule", "trigger_event_id": "E1", "evidence_event_ids": "E1; E2",
                         "flag_variant": list(variants)})


def test_hand_made_the_id_is_made_again_from_the_evidence_contact():
    timeline = _timeline()
    flags = _flags(timeline)
    old = flag_id("demo_rule", _anchor(timeline, 1), "v")
    out, notes = _merged_into(_decisions((old, "accepted", "E2")), flags, timeline, set(flags["flag_id"]))
    assert out["flag_id"].tolist() == flags["flag_id"].tolist() and [n["row"] for n in notes] == [2]
    # another variant (another deciding agency, an A&E pattern) is another flag: not this one
    other = flag_id("demo_rule", _anchor(timeline, 1), "w")
    out, notes = _merged_into(_decisions((other, "accepted", "E2")), flags, timeline, set(flags["flag_id"]))
    assert out["flag_id"].tolist() == [other] and notes == []


def test_hand_made_an_edited_evidence_text_is_not_matched():
    old = flag_id("demo_rule", _anchor(_timeline(), 1), "v")
    edited = _timeline("Bruise to left cheek seen at nursery")  # the contact's text edited on resubmission
    flags = _flags(edited)
    out, notes = _merged_into(_decisions((old, "accepted", "E2")), flags, edited, set(flags["flag_id"]))
    assert out["flag_id"].tolist() == [old] and notes == []


def test_hand_made_a_contact_whose_identical_twin_comes_first_is_its_own_occurrence():
    timeline = _timeline()
    # a contact identical to E2 recorded above it (source order): E2 is the second occurrence of its content
    twin = timeline.iloc[[1]].assign(event_id="E0", source_row=1)
    timeline = pd.concat([twin, timeline], ignore_index=True)
    flags = _flags(timeline.iloc[1:].reset_index(drop=True))
    first = flag_id("demo_rule", _anchor(timeline, 0), "v")  # the twin's id, E2's no longer
    out, _ = _merged_into(_decisions((first, "accepted", "E2")), flags, timeline, set(flags["flag_id"]))
    assert out["flag_id"].tolist() == [first]
    key = timeline.iloc[2]
    second = flag_id("demo_rule", content_anchor(content_key(*key[["case_id", "agency", "date", "date_precision",
                                                                    "contact_type", "description", "action"]]), 2), "v")
    out, _ = _merged_into(_decisions((second, "accepted", "E2")), flags, timeline, set(flags["flag_id"]))
    assert out["flag_id"].tolist() == flags["flag_id"].tolist()
