"""(s20, QA8 D15) A decision recorded while a chronology's description column was read by no field stays with its
flag once a profile names the column (as `review validate` advises), which changed the flag's id (made from the
trigger's description and action): carried over by its trigger's row, reported as carried, listed once. A text
really edited is still not carried over."""
from __future__ import annotations

from pathlib import Path

from review.decisions import NOT_RAISED_PROBLEM, carried_over, record_decision

CSV = ("Date,Zq column,Outcome\n"
       "16/09/2019,{notes},Bruise to left cheek; mother says she fell against the table. Closed - no further action.\n")
RULE = "injury_not_escalated"


def _case(folder: Path, *, profile: bool, notes: str = "Home visit by duty social worker.") -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "csc.csv").write_text(CSV.format(notes=notes), encoding="utf-8")
    files = "  - {path: csc.csv, agency: Westbridge Children's Social Care" + (", profile: csc}" if profile else "}")
    (folder / "case.yml").write_text("case_id: C1\ndate_of_birth: 2019-01-20\nreview_date: 2020-05-21\n"
                                     "files:\n" + files + "\n", encoding="utf-8")
    if profile:
        (folder / "profiles").mkdir(exist_ok=True)
        (folder / "profiles" / "csc.yml").write_text(
            "columns: {date: Date, description: Zq column, action: Outcome}\n", encoding="utf-8")
    return folder


def _analysed(case):
    from review.pipeline import analyse, load_case

    return analyse(load_case(case))


def _decided_without_profile(tmp_path: Path) -> tuple[Path, str, str]:
    case = _case(tmp_path / "case", profile=False)
    analysis = _analysed(case)
    assert analysis.timeline["description"].fillna("").tolist() == [""]  # the column read by no field
    flag = analysis.flags[analysis.flags["rule_id"] == RULE].iloc[0]
    record_decision(case, flag["flag_id"], "accepted", "Bruise closed without a medical", "Ruth Adeyemi",
                    "2020-06-01", rule_id=RULE, trigger_event_id=flag["trigger_event_id"],
                    evidence_event_ids=flag["evidence_event_ids"])
    return case, flag["flag_id"], flag["trigger_event_id"]


def test_a_decision_follows_its_flag_when_a_profile_reads_the_description(tmp_path):
    case, old, trigger = _decided_without_profile(tmp_path)
    _case(case, profile=True)
    analysis = _analysed(case)
    assert analysis.timeline["description"].tolist() == ["Home visit by duty social worker."]
    flag = analysis.flags[(analysis.flags["rule_id"] == RULE) & (analysis.flags["trigger_event_id"] == trigger)]
    assert len(flag) == 1
    new = flag["flag_id"].iloc[0]
    assert new != old
    assert flag["decision"].iloc[0] == "accepted" and flag["decided_by"].iloc[0] == "Ruth Adeyemi"
    problems = analysis.decision_problems["problem"].tolist()
    # listed once, as carried over (not also as "no flag with this id")
    assert len(problems) == 1 and not problems[0].startswith(NOT_RAISED_PROBLEM[:40])
    assert "now has a description read from a column no field read before" in problems[0]
    assert "description none, now 'Home visit by duty social worker.'" in problems[0]
    assert [c["from"] for c in carried_over(analysis.decision_problems)] == [old]
    assert [c["to"] for c in carried_over(analysis.decision_problems)] == [new]


def test_an_edited_outcome_is_still_not_carried_over(tmp_path):
    case, old, trigger = _decided_without_profile(tmp_path)
    _case(case, profile=True)
    path = case / "csc.csv"
    path.write_text(path.read_text(encoding="utf-8").replace("left cheek", "right cheek"), encoding="utf-8")
    analysis = _analysed(case)
    flag = analysis.flags[(analysis.flags["rule_id"] == RULE) & (analysis.flags["trigger_event_id"] == trigger)]
    assert flag["decision"].tolist() == ["pending"]
    problems = analysis.decision_problems["problem"]
    assert problems.str.contains("the earlier id cannot be made", regex=False).any()
    assert not carried_over(analysis.decision_problems)
