"""`review flags CASE_DIR [--csv PATH]`."""
import csv
import shutil
from pathlib import Path

import pandas as pd
import pytest

from review.cli import main
from review.commands.flags import format_flags, neutralise, write_csv

SAMPLE = Path(__file__).resolve().parents[1] / "data" / "cases" / "sample"


def test_flags_prints_a_numbered_table_and_writes_csv(tmp_path, capsys):
    out = tmp_path / "out" / "flags.csv"
    assert main(["flags", str(SAMPLE), "--csv", str(out)]) == 0
    text = capsys.readouterr().out
    assert "candidate missed escalation points flagged" in text
    assert "\n1   " in text and "nonmobile_injury" in text and "information_not_shared" in text
    rows = list(csv.DictReader(out.open(encoding="utf-8-sig")))  # the build's flags.csv layout
    assert rows and rows[0]["Rule"] and rows[0]["Explanation"]
    assert len(rows) == int(text.split(": ")[1].split(" ")[0])


def test_flags_output_is_identical_across_runs(tmp_path, capsys):
    main(["flags", str(SAMPLE), "--csv", str(tmp_path / "a.csv")])
    main(["flags", str(SAMPLE), "--csv", str(tmp_path / "b.csv")])
    assert (tmp_path / "a.csv").read_bytes() == (tmp_path / "b.csv").read_bytes()


def test_rule_filter_and_unknown_rule(capsys):
    assert main(["flags", str(SAMPLE), "--rule", "assessment_wait"]) == 0
    text = capsys.readouterr().out
    assert "assessment_wait" in text and "nonmobile_injury" not in text
    assert main(["flags", str(SAMPLE), "--rule", "nope"]) == 2
    assert "unknown rule id" in capsys.readouterr().err


def test_missing_case_folder_is_one_line_error(tmp_path, capsys):
    assert main(["flags", str(tmp_path / "none")]) == 2
    assert "case folder not found" in capsys.readouterr().err


def test_case_rules_yml_is_applied(tmp_path, capsys):
    case = tmp_path / "sample"
    shutil.copytree(SAMPLE, case)
    (case / "rules.yml").write_text("rules:\n  information_not_shared: {enabled: false}\n", encoding="utf-8")
    assert main(["flags", str(case)]) == 0
    assert "information_not_shared" not in capsys.readouterr().out
    (case / "rules.yml").write_text("rules:\n  no_such_rule: {enabled: false}\n", encoding="utf-8")
    assert main(["flags", str(case)]) == 2
    assert "rules.yml" in capsys.readouterr().err


@pytest.mark.parametrize("cell", ["=1+1", "+SUM(A1)", "-2", "@cmd", "\tx", "\rx"])
def test_csv_cells_cannot_run_as_formulas(tmp_path, cell):
    flags = pd.DataFrame({"rule_id": ["r"], "explanation": [cell], "delay_days": [pd.NA],
                          "trigger_date": [pd.Timestamp("2023-03-01")]})
    path = write_csv(flags, tmp_path / "f.csv")
    row = next(csv.DictReader(path.open(encoding="utf-8-sig", newline="")))
    assert row["Explanation"] == "'" + cell
    assert row["Delay (calendar days)"] == "" and row["Trigger date"] == "2023-03-01"
    assert neutralise("plain") == "plain"


def test_format_flags_without_flags():
    assert format_flags(pd.DataFrame(), case_id="x") == "Case x: no flags."
