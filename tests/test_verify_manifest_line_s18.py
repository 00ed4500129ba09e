"""s18 (QA4 18): `review verify` printed `manifest.json  identical  8d63fa19f94b  1a6ec1f8e1fc`: "identical"
beside two different hashes. The manifest is compared without `case_dir` (the rebuild, made in a temporary
folder, records another path to the case), but the line showed the files' hashes. Now the line shows the
hashes of what was compared, which agree when it says identical, and a note says what differs in the files.
"""
from __future__ import annotations

import json
from types import SimpleNamespace

from review.build import MANIFEST, VerifyResult, _compare_manifests
from review.commands import verify as verify_command


def _manifest(path, case_dir, **more):
    body = {"case_dir": case_dir, "outputs": {"flags.csv": {"sha256": "ab" * 32}}, "rules": {"values": {"x": 1}}, **more}
    path.write_text(json.dumps(body, indent=2, sort_keys=True), encoding="utf-8")
    return path


def test_manifests_differing_only_in_case_dir_show_equal_hashes_and_say_why(tmp_path):
    stored = _manifest(tmp_path / "stored.json", "../cases/jordan")
    rebuilt = _manifest(tmp_path / "rebuilt.json", "/tmp/.review-verify-x/cases/jordan")
    result = VerifyResult()
    _compare_manifests(stored, rebuilt, result)
    name, status, recorded, got = result.files[0]
    assert (name, status) == (MANIFEST, "identical")
    assert recorded == got  # before: the two files' hashes, which differ
    assert result.ok
    [note] = result.notes
    assert "compared without case_dir" in note and "differ only in case_dir '../cases/jordan' (report)" in note


def test_byte_identical_manifests_need_no_note(tmp_path):
    stored = _manifest(tmp_path / "stored.json", "../cases/jordan")
    rebuilt = _manifest(tmp_path / "rebuilt.json", "../cases/jordan")
    result = VerifyResult()
    _compare_manifests(stored, rebuilt, result)
    assert result.files[0][1] == "identical" and result.files[0][2] == result.files[0][3]
    assert result.notes == []


def test_different_manifests_stay_different(tmp_path):
    stored = _manifest(tmp_path / "stored.json", "../cases/jordan")
    rebuilt = _manifest(tmp_path / "rebuilt.json", "/elsewhere", rules={"values": {"x": 2}})
    result = VerifyResult()
    _compare_manifests(stored, rebuilt, result)
    name, status, recorded, got = result.files[0]
    assert status == "DIFFERENT" and recorded != got and not result.ok
    assert "rules.values.x: 1 (report) vs 2 (rebuild)" in result.causes[0]
    assert "in case_dir '../cases/jordan' (report) vs '/elsewhere' (rebuild) too" in result.notes[0]


def test_the_cli_prints_the_note_under_the_table(tmp_path, monkeypatch, capsys):
    result = VerifyResult(files=[(MANIFEST, "identical", "1" * 64, "1" * 64)], notes=["manifest.json is compared ..."])
    monkeypatch.setattr("review.build.verify_report", lambda *a, **k: result)
    monkeypatch.setattr("review.thematic_report.is_thematic", lambda *a: False)
    code = verify_command.run(SimpleNamespace(report_dir=str(tmp_path), case=None, progress=False))
    out = capsys.readouterr().out
    assert code == 0
    assert out.index("note: manifest.json is compared ...") < out.index("OK: all 1 outputs identical")
