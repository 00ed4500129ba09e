"""`review validate` checks the reviewers' decisions as far as it can without the rules (a decisions.yml in
the folder, decisions.csv's rows), with `review build`'s message and exit code 7; `review build` checks them
before reading the chronologies."""
from __future__ import annotations

import json
from pathlib import Path

import pytest
import yaml

from review.cli import main
from review.errors import DecisionError

DECISIONS_YML = "- flag_id: F1\n  decision: rejected\n  rationale: duplicate\n  author: QA\n  date: 2024-08-01\n"
HEADER = "flag_id,decision,rationale,author,date\n"


def _case(case_dir: Path) -> Path:
    case_dir.mkdir(parents=True, exist_ok=True)
    (case_dir / "case.yml").write_text(
        yaml.safe_dump({"case_id": "C9", "date_of_birth": "2022-06-01"}), encoding="utf-8")
    (case_dir / "gp.csv").write_text("Date,Agency,Details\n01/02/2023,GP,Visit\n02/02/2023,GP,Call\n")
    return case_dir


def _build_error(tmp_path, case: Path, capsys) -> str:
    assert main(["build", str(case), "--out", str(tmp_path / "out"), "--no-progress"]) == DecisionError.exit_code
    assert not (tmp_path / "out").exists()
    return capsys.readouterr().err.strip()


@pytest.mark.parametrize("name", ["decisions.yml", "Decisions.YAML"])
def test_validate_refuses_a_decisions_yml_with_the_builds_message_and_exit_7(tmp_path, capsys, name):
    case = _case(tmp_path / "case")
    (case / name).write_text(DECISIONS_YML, encoding="utf-8")
    assert main(["validate", str(case)]) == DecisionError.exit_code
    out = capsys.readouterr()
    # the ingest report is still printed, then the one-line error
    assert "Case C9: 1 file(s), 2 row(s) read, 2 accepted, 0 rejected" in out.out
    err = out.err.strip()
    assert len(err.splitlines()) == 1 and err.startswith("review: error: ")
    assert name in err and "read from decisions.csv only" in err
    assert err == _build_error(tmp_path, case, capsys)


@pytest.mark.parametrize(
    "rows, message",
    [
        ("F1,maybe,ok,QA,2024-08-01\n", "row 2, column 'decision': decision must be one of accepted, rejected, added"),
        ("F1,accepted,,QA,2024-08-01\n", "row 2, column 'rationale': every decision needs a rationale"),
        (",rejected,dup,QA,2024-08-01\n", "row 2, column 'flag_id': a decision to mark a flag rejected needs its flag_id"),
        ("F1,accepted,ok,QA,3/4\n", "row 2, column 'date': date must be YYYY-MM-DD"),
        ('F1,accepted,"never closed,QA,2024-08-01\n', "row 2, column 'rationale': unterminated quoted field"),
    ],
)
def test_validate_reports_an_invalid_decisions_csv_as_the_build_does(tmp_path, capsys, rows, message):
    case = _case(tmp_path / "case")
    (case / "decisions.csv").write_text(HEADER + rows, encoding="utf-8")
    assert main(["validate", str(case)]) == DecisionError.exit_code
    err = capsys.readouterr().err.strip()
    assert "decisions.csv, " + message in err and len(err.splitlines()) == 1
    assert err == _build_error(tmp_path, case, capsys)


def test_validate_reports_missing_columns(tmp_path, capsys):
    case = _case(tmp_path / "case")
    (case / "decisions.csv").write_text("flag_id,decision\nF1,accepted\n", encoding="utf-8")
    assert main(["validate", str(case)]) == DecisionError.exit_code
    assert "missing column(s) rationale, author, date" in capsys.readouterr().err


def test_a_valid_decisions_csv_is_summarised_and_rows_without_an_author_are_warnings(tmp_path, capsys):
    case = _case(tmp_path / "case")
    (case / "decisions.csv").write_text(
        HEADER + "F1,accepted,ok,QA,2024-08-01\nF2,rejected,dup,,2024-08-02\nF1,rejected,changed,QA,2024-08-03\n",
        encoding="utf-8")
    assert main(["validate", str(case)]) == 0  # warnings do not change the exit code
    out = capsys.readouterr().out
    assert "Decisions (decisions.csv): 3 row(s) read, 2 in force" in out
    assert "decisions.csv, row 3: no author recorded" in out
    # flag ids cannot be checked without the rules: F1 and F2 are raised by no rule, and that is not reported
    assert "no flag with this id" not in out

    assert main(["validate", str(case), "--json"]) == 0
    report = json.loads(capsys.readouterr().out)
    assert report["decisions"] == {"file": "decisions.csv", "rows": 3, "current": 2,
                                   "problems": [{"row": 3, "flag_id": "F2", "problem": "no author recorded"}]}


def test_validate_json_names_the_decisions_error_and_no_decisions_is_null(tmp_path, capsys):
    case = _case(tmp_path / "case")
    assert main(["validate", str(case), "--json"]) == 0
    assert json.loads(capsys.readouterr().out)["decisions"] is None
    assert main(["validate", str(case)]) == 0
    assert "Decisions" not in capsys.readouterr().out
    (case / "decisions.csv").write_text(HEADER + "F1,maybe,ok,QA,2024-08-01\n", encoding="utf-8")
    assert main(["validate", str(case), "--json"]) == DecisionError.exit_code
    assert json.loads(capsys.readouterr().out)["decisions"] == {
        "file": "decisions.csv", "row": 2, "column": "decision",
        "error": "decision must be one of accepted, rejected, added, got 'maybe'"}


def test_rejected_rows_and_a_decisions_yml_exit_7(tmp_path, capsys):
    case = _case(tmp_path / "case")
    (case / "gp.csv").write_text("Date,Agency,Details\n01/02/2023,GP,Visit\n31/02/2023,GP,Call\n")
    (case / "decisions.yml").write_text(DECISIONS_YML, encoding="utf-8")
    assert main(["validate", str(case)]) == DecisionError.exit_code
    out = capsys.readouterr()
    assert "Rejected rows (1):" in out.out and "decisions.yml" in out.err


def test_build_checks_the_decisions_before_reading_the_chronologies(tmp_path, capsys, monkeypatch):
    import review.build
    import review.pipeline

    def no_ingest(*args, **kwargs):
        raise AssertionError("the chronologies were read")

    monkeypatch.setattr(review.pipeline, "load_case", no_ingest)
    monkeypatch.setattr(review.build, "_load_and_analyse", no_ingest)
    case = _case(tmp_path / "case")
    (case / "decisions.yml").write_text(DECISIONS_YML, encoding="utf-8")
    assert "decisions.yml" in _build_error(tmp_path, case, capsys)
    (case / "decisions.yml").unlink()
    (case / "decisions.csv").write_text(HEADER + "F1,accepted,,QA,2024-08-01\n", encoding="utf-8")
    assert "every decision needs a rationale" in _build_error(tmp_path, case, capsys)
    # nothing staged beside the output folder
    assert sorted(p.name for p in tmp_path.iterdir()) == ["case"]


def test_build_refuses_a_decisions_yml_before_an_unreadable_chronology(tmp_path, capsys):
    case = _case(tmp_path / "case")
    (case / "hv.xlsx").write_text("just text")  # ingest would stop with exit 2
    (case / "decisions.yml").write_text(DECISIONS_YML, encoding="utf-8")
    assert "decisions.yml" in _build_error(tmp_path, case, capsys)
    # validate reads the chronologies first: their error is the one it stops with
    assert main(["validate", str(case)]) == 2
    assert "hv.xlsx" in capsys.readouterr().err
