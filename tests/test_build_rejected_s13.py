"""`review build` says, at the top, when rows of the agencies' files were rejected at ingest: in its printed
summary, at the top of report.html and in the manifest's counts, not only in the Data quality section."""
from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from review.cli import main

SAMPLE = Path(__file__).parents[1] / "data" / "cases" / "sample"
pytestmark = pytest.mark.skipif(not (SAMPLE / "case.yml").is_file(), reason="no sample case")


def _case_with_bad_dates(tmp_path: Path) -> Path:
    case_dir = tmp_path / "case"
    shutil.copytree(SAMPLE, case_dir)
    path = case_dir / "health_visiting.csv"
    raw = path.read_bytes()
    lines = raw.split(b"\n")
    assert lines[2].startswith(b"19/04/2023") and lines[4].startswith(b"14/06/2023")
    lines[2] = b"19/15/2023" + lines[2][len(b"19/04/2023"):]  # month 15
    lines[4] = b"31/02/2023" + lines[4][len(b"14/06/2023"):]  # no 31 February
    path.write_bytes(b"\n".join(lines))
    return case_dir


def test_build_names_the_rows_it_rejected_in_its_summary_report_and_manifest(tmp_path, capsys):
    case_dir = _case_with_bad_dates(tmp_path)
    out = tmp_path / "out"
    assert main(["build", str(case_dir), "--out", str(out), "--no-progress"]) == 0
    printed = capsys.readouterr().out
    assert "97 contacts" in printed
    assert ("2 rows of the agencies' files were rejected at ingest and are not in this chronology: see 'Data "
            "quality' in report.html") in printed
    html = (out / "report.html").read_text(encoding="utf-8")
    summary = html[html.index('<section id="summary">'):html.index("</section>", html.index('<section id="summary">'))]
    assert "2 rows of the agencies&#x27; files were rejected at ingest" in summary \
        or "2 rows of the agencies' files were rejected at ingest" in summary
    assert json.loads((out / "manifest.json").read_text(encoding="utf-8"))["counts"]["rows_rejected"] == 2


def test_a_clean_case_says_nothing_of_rejections(tmp_path, capsys):
    case_dir = tmp_path / "case"
    shutil.copytree(SAMPLE, case_dir)
    out = tmp_path / "out"
    assert main(["build", str(case_dir), "--out", str(out), "--no-progress"]) == 0
    assert "rejected at ingest" not in capsys.readouterr().out
    assert "rejected at ingest" not in (out / "report.html").read_text(encoding="utf-8")
    assert json.loads((out / "manifest.json").read_text(encoding="utf-8"))["counts"]["rows_rejected"] == 0
