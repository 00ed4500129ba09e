"""An invalid decisions.csv is reported before any chronology is read, by every command that loads a case
(`review flags`, `review build-all`, the notebooks through `pipeline.load_case`), as `review build` did."""
import shutil
from pathlib import Path

import pytest

import review.ingest
from review.cli import main
from review.errors import DecisionError
from review.pipeline import load_case

SAMPLE = Path(__file__).resolve().parents[1] / "data" / "cases" / "sample"


@pytest.fixture
def bad_case(tmp_path, monkeypatch):
    case = tmp_path / "case"
    shutil.copytree(SAMPLE, case)
    (case / "decisions.csv").write_text(
        "flag_id,decision,rationale,author,date\nx-1,maybe,because,AB,2024-05-01\n", encoding="utf-8")

    def no_ingest(*args, **kwargs):
        raise AssertionError("the chronologies were read before the decisions were checked")

    monkeypatch.setattr(review.ingest, "load_contacts", no_ingest)
    return case


def test_load_case_checks_the_decisions_first(bad_case):
    with pytest.raises(DecisionError) as info:
        load_case(bad_case)
    assert info.value.row == 2 and info.value.column == "decision"


def test_review_flags_stops_at_the_decisions(bad_case, capsys):
    code = main(["flags", str(bad_case)])
    assert code == DecisionError.exit_code
    err = capsys.readouterr().err
    assert "decisions.csv" in err and "row 2" in err


def test_a_valid_decisions_file_still_loads(tmp_path):
    case = tmp_path / "case"
    shutil.copytree(SAMPLE, case)
    loaded = load_case(case)
    assert len(loaded.contacts) == 99
