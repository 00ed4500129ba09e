"""review.build: deterministic builds, atomic publishing, manifest, and `review verify`.

Runs against the sample case through review.pipeline when it is available; until then (and always for
the input-changing tests) against a synthetic case folder whose stand-in pipeline reads the folder, so a
changed spreadsheet or rule threshold changes the outputs.
"""
from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

import review.build as build
from review.cli import main
from review.errors import ConfigError, VerifyError

from test_build_helpers import fake_load_and_analyse, make_case_dir, set_threshold


def _files(folder: Path) -> dict[str, bytes]:
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


@pytest.fixture(scope="module")
def fake_pipeline():
    with pytest.MonkeyPatch.context() as mp:
        mp.setattr(build, "_load_and_analyse", fake_load_and_analyse)
        mp.delenv("SOURCE_DATE_EPOCH", raising=False)
        yield


@pytest.fixture(scope="module")
def two_builds(fake_pipeline, tmp_path_factory):
    root = tmp_path_factory.mktemp("twice")
    case_dir = make_case_dir(root / "cases")
    first = build.build_report(case_dir, root / "a", progress=False)
    second = build.build_report(case_dir, root / "b", progress=False)
    return case_dir, root / "a", root / "b", first, second


def test_two_builds_of_the_same_case_are_byte_identical(two_builds):
    _, a, b, first, second = two_builds
    files_a, files_b = _files(a), _files(b)
    assert sorted(files_a) == sorted(files_b)
    kinds = {Path(name).suffix for name in files_a}
    assert {".png", ".svg", ".pdf", ".xlsx", ".html", ".csv", ".json", ".docx"} <= kinds
    different = [name for name in files_a if files_a[name] != files_b[name]]
    assert different == []
    assert first == second


def test_manifest_records_inputs_rules_versions_and_every_output(two_builds):
    case_dir, a, _, manifest, _ = two_builds
    on_disk = json.loads((a / "manifest.json").read_text(encoding="utf-8"))
    assert on_disk == json.loads(json.dumps(manifest, default=str))
    assert set(manifest["inputs"]) == {"case.yml", "health.csv", "rules.yml"}
    assert all(len(meta["sha256"]) == 64 for meta in manifest["inputs"].values())
    assert manifest["case_config"]["values"]["case_id"] == "synth-01"
    assert len(manifest["rules"]["sha256"]) == 64
    assert "injury_not_escalated" in json.dumps(manifest["rules"]["values"])
    for package in ("python", "review", "pandas", "numpy", "matplotlib", "seaborn", "openpyxl", "python-calamine"):
        assert package in manifest["packages"]
    outputs = {p for p in _files(a) if p != "manifest.json"}
    assert set(manifest["outputs"]) == outputs
    for name, meta in manifest["outputs"].items():
        assert meta["sha256"] == build.sha256_file(a / name)
    text = (a / "manifest.json").read_text(encoding="utf-8")
    assert list(json.loads(text)) == sorted(json.loads(text))  # sorted keys
    # relative to the report folder (s16): the same case and report elsewhere write the same manifest
    assert manifest["case_dir"] == "../" + case_dir.resolve().relative_to(a.resolve().parent).as_posix()
    assert (a / manifest["case_dir"]).resolve() == case_dir.resolve()


def test_default_out_dir_and_a_failed_build_leaves_the_previous_report_intact(fake_pipeline, tmp_path, monkeypatch):
    case_dir = make_case_dir(tmp_path / "cases")
    monkeypatch.chdir(tmp_path)
    build.build_report(case_dir, progress=False)
    out = tmp_path / "reports" / "synth-01"
    assert (out / "manifest.json").is_file()
    before = _files(out)

    import review.charts

    def broken(*args, **kwargs):
        raise RuntimeError("chart failed")

    monkeypatch.setattr(review.charts, "plot_contact_density", broken)
    with pytest.raises(RuntimeError):
        build.build_report(case_dir, progress=False)
    assert _files(out) == before
    assert [p.name for p in out.parent.iterdir() if p.name.startswith(".")] == []


def test_refuses_to_replace_a_folder_that_is_not_a_report(fake_pipeline, tmp_path):
    case_dir = make_case_dir(tmp_path / "cases")
    precious = tmp_path / "precious"
    precious.mkdir()
    (precious / "notes.txt").write_text("keep me")
    with pytest.raises(ConfigError):
        build.build_report(case_dir, precious, progress=False)
    with pytest.raises(ConfigError):
        build.build_report(case_dir, case_dir.parent, progress=False)
    assert (precious / "notes.txt").read_text() == "keep me"


def test_verify_passes_on_a_fresh_build(two_builds, capsys):
    _, a, _, _, _ = two_builds
    result = build.verify_report(a)
    assert result.ok, result.table() + "\n" + "\n".join(result.causes)
    assert all(status == "identical" for _, status, _, _ in result.files)
    assert main(["verify", str(a)]) == 0
    out = capsys.readouterr().out
    assert "report.html" in out and "identical" in out and "OK" in out


def _fresh_report(tmp_path: Path) -> tuple[Path, Path]:
    case_dir = make_case_dir(tmp_path / "cases")
    out = tmp_path / "report"
    assert main(["build", str(case_dir), "--out", str(out), "--no-progress"]) == 0
    return case_dir, out


def test_verify_fails_naming_a_changed_input_spreadsheet_and_a_changed_rule_threshold(fake_pipeline, tmp_path, capsys):
    case_dir, out = _fresh_report(tmp_path)
    csv = case_dir / "health.csv"
    original = csv.read_text(encoding="utf-8")
    csv.write_text(original.replace("Visit 3:", "Visit three:"), encoding="utf-8")
    capsys.readouterr()
    assert main(["verify", str(out)]) == 1
    printed = capsys.readouterr().out
    assert "input file changed: health.csv" in printed
    different = [line.split()[0] for line in printed.splitlines() if " DIFFERENT " in line]
    assert "chronology.xlsx" in different and "chronology.csv" in different

    csv.write_text(original, encoding="utf-8")
    set_threshold(case_dir, 5)
    assert main(["verify", str(out)]) == 1
    printed = capsys.readouterr().out
    assert "input file changed: rules.yml" in printed
    assert "health.csv" not in printed
    assert "rules configuration changed: rules.injury_not_escalated" in printed and "within_days" in printed
    assert "2 -> 5" in printed
    different = [line.split()[0] for line in printed.splitlines() if " DIFFERENT " in line]
    assert "figures/response_latency.png" in different


def test_verify_reports_an_output_edited_after_the_build(two_builds, tmp_path):
    _, a, _, _, _ = two_builds
    copy = tmp_path / "copy"
    shutil.copytree(a, copy)
    (copy / "flags.csv").write_text("tampered")
    (copy / "figures" / "swimlane.svg").unlink()
    result = build.verify_report(copy)
    statuses = {name: status for name, status, _, _ in result.files}
    assert statuses["flags.csv"] == "DIFFERENT"
    assert statuses["figures/swimlane.svg"] == "missing"
    assert not result.ok


def test_verify_without_a_manifest_is_a_clear_error(tmp_path):
    with pytest.raises(VerifyError):
        build.verify_report(tmp_path)
    assert main(["verify", str(tmp_path)]) == VerifyError.exit_code


def test_redacted_build_pseudonymises_names_everywhere(fake_pipeline, tmp_path):
    pytest.importorskip("review.redact")
    case_dir = make_case_dir(tmp_path / "cases")
    out = tmp_path / "redacted"
    manifest = build.build_report(case_dir, out, redact=True, progress=False)
    assert manifest["options"]["redact"] is True
    for name in ("report.html", "chronology.csv", "manifest.json"):
        text = (out / name).read_text(encoding="utf-8-sig")
        assert "Kerry Stone" not in text and "Ava Stone" not in text, name
    assert "Mother" in (out / "chronology.csv").read_text(encoding="utf-8-sig")
    # the anonymised manifest records no case path: verify is given the folder, and then rebuilds the same
    assert manifest["case_dir"] is None
    assert main(["verify", str(out)]) == VerifyError.exit_code
    assert build.verify_report(out, case_dir=case_dir).ok


def test_verify_explains_different_package_versions_and_a_missing_case(two_builds, tmp_path, capsys):
    _, a, _, manifest, _ = two_builds
    edited = json.loads((a / "manifest.json").read_text(encoding="utf-8"))
    edited["packages"]["matplotlib"] = "0.0.1"
    edited["case_dir"] = (tmp_path / "gone").as_posix()
    report = tmp_path / "report"
    report.mkdir()
    (report / "manifest.json").write_text(json.dumps(edited), encoding="utf-8")
    result = build.verify_report(report)
    assert not result.ok
    assert "cannot read the case folder" in result.error
    assert any(c.startswith("package version differs: matplotlib 0.0.1 (manifest)") for c in result.causes)
    assert main(["verify", str(report)]) == 1
    assert "missing" in capsys.readouterr().out


def test_build_of_a_missing_case_is_a_one_line_error(tmp_path, capsys):
    assert main(["build", str(tmp_path / "nope"), "--no-progress"]) == ConfigError.exit_code
    assert "case folder not found" in capsys.readouterr().err
