"""A mistake in notebook 03's `record` parameter ends `review notebooks` with one line and a user error exit,
as `review decide` does, not "internal error" with a traceback (exit 70); nothing is written."""
import shutil
from pathlib import Path

from review.cli import main

ROOT = Path(__file__).resolve().parents[1]
SAMPLE = ROOT / "data" / "cases" / "sample"


def test_a_flag_number_out_of_range_is_one_line(tmp_path, capsys, monkeypatch):
    case = tmp_path / "sample"
    shutil.copytree(SAMPLE, case)
    with (case / "case.yml").open("a", encoding="utf-8") as handle:
        handle.write("lead_reviewer: Jane Okafor\n")
    monkeypatch.chdir(ROOT)
    code = main(["notebooks", str(case), "--out", str(tmp_path / "out"), "--only", "03_missed_escalations",
                 "--no-html", "--no-progress", "--param",
                 "record={flag_no: 99, decision: accepted, rationale: Never referred, author: Jane Okafor}"])
    err = capsys.readouterr().err
    assert code == 2, err
    lines = [line for line in err.splitlines() if line.startswith("review:")]
    assert lines == [lines[0]] and "review: error: notebook 03_missed_escalations: no flag #99 in case sample" in lines[0]
    assert "internal error" not in err and "Traceback" not in err
    assert not (case / "decisions.csv").exists()
