"""A decisions.csv row dated in the future (typed by hand, or in Excel: `review decide --date` refuses such
a date) is listed with the decision problems, naming the file and row, and the decision still applies (s15)."""
from __future__ import annotations

import datetime as dt
import json
import shutil
from pathlib import Path

import yaml

from review.cli import main
from review.decisions import FUTURE_DATE_PROBLEM, load_decisions

SAMPLE = Path(__file__).resolve().parents[1] / "data" / "cases" / "sample"
HEADER = "flag_id,decision,rationale,author,date\n"
TOMORROW = dt.date.today() + dt.timedelta(days=1)


def small_case(folder: Path, rows: str) -> Path:
    folder.mkdir(parents=True)
    (folder / "case.yml").write_text(yaml.safe_dump({"case_id": "C9", "date_of_birth": "2022-06-01"}), encoding="utf-8")
    (folder / "gp.csv").write_text("Date,Agency,Details\n01/02/2023,GP,Visit\n", encoding="utf-8")
    (folder / "decisions.csv").write_text(HEADER + rows, encoding="utf-8")
    return folder


def test_a_future_dated_row_is_a_problem_and_its_decision_is_kept(tmp_path):
    case = small_case(tmp_path / "case", f"F1,accepted,ok,QA,{dt.date.today().isoformat()}\n"
                                         f"F2,rejected,dup,QA,{TOMORROW.isoformat()}\n"
                                         "F3,rejected,typo for 2024,QA,01/08/2042\n")
    decisions, problems = load_decisions(case)
    assert decisions["flag_id"].tolist() == ["F1", "F2", "F3"] and decisions["current"].all()
    assert str(decisions["date"].iloc[2])[:10] == "2042-08-01"  # kept as written
    assert problems[["file", "row", "flag_id"]].astype(object).values.tolist() == [
        ["decisions.csv", 3, "F2"], ["decisions.csv", 4, "F3"]]  # today's own date is no problem
    assert (problems["problem"] == FUTURE_DATE_PROBLEM).all()
    assert "dated in the future" in FUTURE_DATE_PROBLEM and "still applies" in FUTURE_DATE_PROBLEM


def test_validate_lists_the_future_dated_row(tmp_path, capsys):
    case = small_case(tmp_path / "case", "F1,accepted,ok,QA,2042-08-01\n")
    assert main(["validate", str(case)]) == 0  # a warning, as the other decision problems
    out = capsys.readouterr().out
    assert "Decisions (decisions.csv): 1 row(s) read, 1 in force" in out
    assert f"decisions.csv, row 2: {FUTURE_DATE_PROBLEM}" in out
    assert main(["validate", str(case), "--json"]) == 0
    assert json.loads(capsys.readouterr().out)["decisions"]["problems"] == [
        {"row": 2, "flag_id": "F1", "problem": FUTURE_DATE_PROBLEM}]


def test_flags_show_the_future_dated_decision_and_list_its_problem(tmp_path, capsys):
    case = tmp_path / "sample"
    shutil.copytree(SAMPLE, case)
    flag_id = "injury_not_escalated-6c36c0b5a668"
    (case / "decisions.csv").write_text(HEADER + f"{flag_id},rejected,Covered by flag 2,Jane Okafor,2042-08-01\n",
                                        encoding="utf-8")
    assert main(["flags", str(case)]) == 0
    out = capsys.readouterr().out
    assert "rejected by Jane Okafor on 2042-08-01" in out  # the decision applies
    assert f"decisions.csv, row 2: {FUTURE_DATE_PROBLEM} (flag {flag_id})" in out
