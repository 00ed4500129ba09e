"""The sample case end to end through review.pipeline: two builds byte-identical, verify passes, and verify
fails naming the cause when an agency spreadsheet or a rule threshold (the case's rules.yml) changes."""
from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from review import build
from review.cli import main

pytest.importorskip("review.pipeline")

SAMPLE = Path(__file__).parents[1] / "data" / "cases" / "sample"
pytestmark = pytest.mark.skipif(not (SAMPLE / "case.yml").is_file(), reason="no sample case")


def _files(folder: Path) -> dict[str, bytes]:
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


@pytest.fixture(scope="module")
def sample(tmp_path_factory):
    root = tmp_path_factory.mktemp("sample")
    case_dir = root / "sample"
    shutil.copytree(SAMPLE, case_dir)
    with pytest.MonkeyPatch.context() as mp:
        mp.delenv("SOURCE_DATE_EPOCH", raising=False)
        first = build.build_report(case_dir, root / "a", progress=False)
        second = build.build_report(case_dir, root / "b", progress=False)
    return case_dir, root / "a", root / "b", first, second


def test_two_builds_of_the_sample_case_are_byte_identical(sample):
    _, a, b, first, second = sample
    files_a, files_b = _files(a), _files(b)
    assert sorted(files_a) == sorted(files_b)
    assert {"chronology.xlsx", "chronology.csv", "flags.csv", "report.html", "manifest.json",
            "figures/swimlane.png", "figures/swimlane.svg", "figures/swimlane.pdf"} <= set(files_a)
    assert [name for name in files_a if files_a[name] != files_b[name]] == []
    assert first == second
    assert first["counts"]["contacts"] > 50 and first["counts"]["flags"] > 0
    assert set(first["inputs"]) >= {"case.yml", "health_visiting.csv", "childrens_social_care.xlsx"}


def test_sample_report_has_every_contact_and_flag(sample):
    import openpyxl

    _, a, _, manifest, _ = sample
    wb = openpyxl.load_workbook(a / "chronology.xlsx", read_only=True)
    assert wb["Integrated chronology"].max_row - 1 == manifest["counts"]["contacts"]
    assert wb["Flags"].max_row - 1 == manifest["counts"]["flags"]
    html = (a / "report.html").read_text(encoding="utf-8")
    assert "contacts with health professionals across" in html
    # inline SVG (the contact density colour bar stays a PNG inside its SVG, as matplotlib writes it)
    assert html.count("<svg ") == len(build.CHARTS) and "data:image/svg+xml" not in html


def test_verify_passes_then_names_a_changed_spreadsheet_and_a_changed_threshold(sample, capsys):
    case_dir, a, _, _, _ = sample
    assert main(["verify", str(a)]) == 0
    assert "OK: all" in capsys.readouterr().out

    csv = case_dir / "health_visiting.csv"
    original = csv.read_bytes()
    csv.write_bytes(original.replace(b"weighed 3.30 kg", b"weighed 3.31 kg", 1))
    assert csv.read_bytes() != original
    try:
        assert main(["verify", str(a)]) == 1
        printed = capsys.readouterr().out
        assert "input file changed: health_visiting.csv" in printed
        assert " DIFFERENT " in printed
    finally:
        csv.write_bytes(original)

    rules = case_dir / "rules.yml"
    assert not rules.exists()
    rules.write_text("rules:\n  injury_not_escalated:\n    within_days: 0\n", encoding="utf-8")
    try:
        assert main(["verify", str(a)]) == 1
        printed = capsys.readouterr().out
        assert "rules.yml" in printed
        assert "rules configuration changed: rules.injury_not_escalated.params.within_days: 2 -> 0" in printed
        assert " DIFFERENT " in printed
    finally:
        rules.unlink()


def test_redacted_sample_build_has_no_names(sample, tmp_path):
    case_dir, *_ = sample
    out = tmp_path / "redacted"
    build.build_report(case_dir, out, redact=True, progress=False)
    for name in ("report.html", "chronology.csv", "flags.csv", "manifest.json"):
        text = (out / name).read_text(encoding="utf-8-sig")
        for person in ("Chloe Ashdown", "Dean Fowler", "Maureen Ashdown", "Kai Ashdown", "Ryan Keane"):
            assert person not in text, (name, person)


def test_a_build_names_the_decisions_it_could_not_apply(tmp_path, capsys):
    """A decision on a flag the rules no longer raise and an added finding on an unknown contact are kept,
    and the build says so: on the console, in report.html, in the workbook and in the manifest's counts."""
    import json

    import openpyxl

    from review.decisions import record_decision

    case_dir = tmp_path / "case"
    shutil.copytree(SAMPLE, case_dir)
    record_decision(case_dir, "nonmobile_injury-000000000000", "rejected", "Decided on an earlier run.", "AB")
    record_decision(case_dir, "", "added", "Strategy discussion never held.", "AB", rule_id="strategy_no_conference",
                    trigger_event_id="E-typo", evidence_event_ids="E-typo")
    out = tmp_path / "report"
    assert main(["build", str(case_dir), "--out", str(out), "--no-progress"]) == 0
    assert "2 problems with the reviewers' decisions" in capsys.readouterr().out
    assert json.loads((out / "manifest.json").read_text(encoding="utf-8"))["counts"]["decision_problems"] == 2
    html = (out / "report.html").read_text(encoding="utf-8")
    assert "Problems with the reviewers&#x27; decisions (2)" in html or "Problems with the reviewers' decisions (2)" in html
    assert "E-typo is not in the timeline" in html
    rows = list(openpyxl.load_workbook(out / "chronology.xlsx", read_only=True)["Decision problems"].iter_rows(values_only=True))
    assert len(rows) == 3
