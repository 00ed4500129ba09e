"""`review verify` of an anonymised build whose file was named differently (s15): when the redaction of an
input file's name changed (the names learned from the chronologies changed) but its content did not, verify
says so in one line, rather than nothing (s14) or "missing" and "new" (before)."""
from __future__ import annotations

import json
import shutil
from pathlib import Path

from review.build import build_report, input_causes, verify_report

SAMPLE = Path(__file__).resolve().parents[1] / "data" / "cases" / "sample"


def test_a_renamed_file_with_the_same_content_is_said_to_be_renamed():
    recorded = {"a_school.csv": {"sha256": "ab" * 32}, "gp.xlsx": {"sha256": "cc"}}
    current = {"primary_school.csv": {"sha256": "ab" * 32}, "gp.xlsx": {"sha256": "cc"}}
    assert input_causes(recorded, current) == [
        "input file named differently in the anonymised view: a_school.csv is now primary_school.csv (same content, "
        "sha256 abababababab: the names the redaction learned from the chronologies changed)"]
    # two files of the same content: each paired once; the one left over is missing
    recorded = {"x1.csv": {"sha256": "ee"}, "x2.csv": {"sha256": "ee"}}
    current = {"y1.csv": {"sha256": "ee"}}
    causes = input_causes(recorded, current)
    assert causes == ["input file named differently in the anonymised view: x1.csv is now y1.csv (same content, "
                      "sha256 ee: the names the redaction learned from the chronologies changed)",
                      "input file missing or no longer read: x2.csv"]


def test_verify_says_a_file_was_named_differently_not_missing_and_new(tmp_path):
    case = tmp_path / "case"
    shutil.copytree(SAMPLE, case)
    out = tmp_path / "report"
    build_report(case, out, redact=True, progress=False)
    # the report as a build that learned other names wrote it: the file's redacted name differs, its content not
    path = out / "manifest.json"
    manifest = json.loads(path.read_text(encoding="utf-8"))
    assert "childrens_centre.docx" in manifest["inputs"]
    manifest["inputs"]["a_setting.docx"] = manifest["inputs"].pop("childrens_centre.docx")
    path.write_text(json.dumps(manifest, indent=2, sort_keys=True) + "\n", encoding="utf-8")
    result = verify_report(out, case_dir=case)
    assert result.error is None
    inputs = [c for c in result.causes if "input file" in c]
    assert inputs == ["input file named differently in the anonymised view: a_setting.docx is now "
                      f"childrens_centre.docx (same content, sha256 {manifest['inputs']['a_setting.docx']['sha256'][:12]}: "
                      "the names the redaction learned from the chronologies changed)"], result.causes
    assert not [c for c in result.causes if "missing" in c or "new input file" in c]
