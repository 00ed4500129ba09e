"""Whether a hand-written decision is dated in the future depends on the day it is judged on (s16): a build
records that day in its manifest when a decision is dated after it, and `review verify` judges against it
again, so that a verify run after that date (when the date is no longer in the future) gives the same
findings as the build."""
from __future__ import annotations

import datetime as dt
import json
import types
from pathlib import Path

import yaml

import review.build
import review.decisions
from review.build import verify_report
from review.cli import main
from review.decisions import FUTURE_DATE_PROBLEM, load_decisions

HEADER = "flag_id,decision,rationale,author,date\n"
LATER = dt.date(2043, 1, 1)  # a day after the decision's date (2042-08-01)


def small_case(folder: Path, rows: str) -> Path:
    folder.mkdir(parents=True)
    (folder / "case.yml").write_text(yaml.safe_dump({"case_id": "C9", "date_of_birth": "2022-06-01"}), encoding="utf-8")
    (folder / "gp.csv").write_text("Date,Agency,Details\n01/02/2023,GP,Visit\n", encoding="utf-8")
    (folder / "decisions.csv").write_text(HEADER + rows, encoding="utf-8")
    return folder


def _clock(monkeypatch, today: dt.date) -> None:
    """`review.decisions` and `review.build` see `today` as the date."""
    class Day(dt.date):
        @classmethod
        def today(cls):
            return cls(today.year, today.month, today.day)

    clock = types.ModuleType("datetime")
    clock.__dict__.update(dt.__dict__)
    clock.date = Day
    monkeypatch.setattr(review.decisions, "dt", clock)
    monkeypatch.setattr(review.build, "dt", clock)


def test_verify_after_the_date_gives_the_same_findings(tmp_path, monkeypatch, capsys):
    case = small_case(tmp_path / "case", "F1,accepted,typo for 2024,QA,2042-08-01\n")
    out = tmp_path / "report"
    assert main(["build", str(case), "--out", str(out), "--no-progress"]) == 0
    manifest = json.loads((out / "manifest.json").read_text(encoding="utf-8"))
    assert manifest["decisions_as_of"] == dt.date.today().isoformat()
    assert FUTURE_DATE_PROBLEM in (out / "report.html").read_text(encoding="utf-8")
    capsys.readouterr()

    _clock(monkeypatch, LATER)  # the regulator verifies after the decision's date
    assert FUTURE_DATE_PROBLEM not in load_decisions(case)[1]["problem"].tolist()  # judged against that day
    assert FUTURE_DATE_PROBLEM in load_decisions(case, as_of=manifest["decisions_as_of"])[1]["problem"].tolist()
    result = verify_report(out)
    # before: report.html, chronology.xlsx/.docx and the manifest differed (the problem was gone)
    assert result.ok, result.table()


def test_a_build_with_no_future_dated_decision_records_no_date(tmp_path):
    case = small_case(tmp_path / "case", f"F1,accepted,ok,QA,{dt.date.today().isoformat()}\n")
    out = tmp_path / "report"
    assert main(["build", str(case), "--out", str(out), "--no-progress"]) == 0
    assert "decisions_as_of" not in json.loads((out / "manifest.json").read_text(encoding="utf-8"))


def test_the_date_judged_against_is_given(tmp_path):
    case = small_case(tmp_path / "case", "F1,accepted,ok,QA,2030-05-02\nF2,rejected,dup,QA,2030-05-01\n")
    problems = load_decisions(case, as_of="2030-05-01")[1]
    assert problems[["row", "flag_id"]].astype(object).values.tolist() == [[2, "F1"]]
    assert (problems["problem"] == FUTURE_DATE_PROBLEM).all()
    assert not len(load_decisions(case, as_of=dt.date(2030, 5, 2))[1])
