"""`review verify` on an anonymised (--redact) build: the input files' redacted names compared as the build
named them (names learned from the chronologies' text too), so an unchanged case shows no missing or new
input file, and an edited one says "input file changed"."""
from __future__ import annotations

import shutil
from pathlib import Path

from review.build import build_report, input_causes, verify_report

SAMPLE = Path(__file__).resolve().parents[1] / "data" / "cases" / "sample"


def test_input_causes_pairs_a_file_recorded_under_another_redacted_name_by_its_content():
    recorded = {"childrens_centre.docx": {"sha256": "aa"}, "gp.xlsx": {"sha256": "bb"}, "old.csv": {"sha256": "cc"}}
    current = {"little_acorns_childrens_centre.docx": {"sha256": "aa"}, "gp.xlsx": {"sha256": "bd"},
               "new.csv": {"sha256": "dd"}}
    assert input_causes(recorded, current) == [
        # (s15: said, not silent)
        "input file named differently in the anonymised view: childrens_centre.docx is now "
        "little_acorns_childrens_centre.docx (same content, sha256 aa: the names the redaction learned from the "
        "chronologies changed)",
        "input file changed: gp.xlsx (sha256 bb -> bd)",
        "new input file: new.csv",
        "input file missing or no longer read: old.csv",
    ]


def test_verify_of_a_redacted_build_names_inputs_as_the_build_did(tmp_path):
    import docx

    case = tmp_path / "case"
    shutil.copytree(SAMPLE, case)
    out = tmp_path / "report"
    manifest = build_report(case, out, redact=True, progress=False)
    # the build learned the setting's name from the chronologies' text and redacted the file's name with it
    assert "childrens_centre.docx" in manifest["inputs"]
    assert "little_acorns_childrens_centre.docx" not in manifest["inputs"]

    unchanged = verify_report(out, case_dir=case)
    assert unchanged.error is None
    assert not [c for c in unchanged.causes if "input file" in c], unchanged.causes

    path = case / "little_acorns_childrens_centre.docx"
    document = docx.Document(path)
    cell = document.tables[0].rows[1].cells[-1]
    cell.text = cell.text + " (resubmitted)"
    document.save(path)
    edited = verify_report(out, case_dir=case)
    inputs = [c for c in edited.causes if "input file" in c]
    assert len(inputs) == 1 and inputs[0].startswith("input file changed: childrens_centre.docx (sha256 "), inputs
