"""s16: the manifest records the case folder relative to the report folder (it was absolute, so two builds
of the same case from different folders wrote different manifests), and `review verify` finds the case
from there: a project copied elsewhere, case and report together, verifies; a report moved away from its
case asks for --case; a manifest written with an absolute path still verifies."""
from __future__ import annotations

import json
import shutil

import pytest

from review.build import build_report, manifest_case_dir, recorded_case_dir, verify_report
from review.cli import main

CASE_YML = "case_id: relcase\ndate_of_birth: 2021-11-21\n"
CHRONOLOGY = ("Date,Agency,Type of contact,Details,Outcome\n"
              "02/02/2022,Hollybank Health Visiting,Home visit,NBV day 12. Baby seen.,Routine\n"
              "16/03/2022,Hollybank Health Visiting,Home visit,Bruise to left ear noted,Weekly visits\n")


def test_the_case_folder_is_recorded_relative_to_the_report(tmp_path):
    case, out = tmp_path / "data" / "cases" / "x", tmp_path / "reports" / "x"
    assert manifest_case_dir(case, out) == "../../data/cases/x"
    assert manifest_case_dir(case, tmp_path / "data" / "cases" / "x-report") == "../x"
    assert recorded_case_dir(out, "../../data/cases/x").resolve() == case.resolve()
    assert recorded_case_dir(out, case.resolve().as_posix()) == case.resolve()  # an earlier manifest


@pytest.fixture(scope="module")
def project(tmp_path_factory):
    root = tmp_path_factory.mktemp("s16manifest") / "project"
    case = root / "cases" / "relcase"
    case.mkdir(parents=True)
    (case / "case.yml").write_text(CASE_YML, encoding="utf-8")
    (case / "hv.csv").write_text(CHRONOLOGY, encoding="utf-8")
    manifest = build_report(case, root / "reports" / "relcase", progress=False)
    assert manifest["case_dir"] == "../../cases/relcase"
    return root


def test_a_project_copied_elsewhere_verifies_from_the_manifest_alone(project, tmp_path, capsys):
    moved = tmp_path / "another" / "machine" / "project"
    shutil.copytree(project, moved)
    result = verify_report(moved / "reports" / "relcase")
    assert result.ok and result.error is None
    assert main(["verify", str(moved / "reports" / "relcase")]) == 0
    assert "OK: all" in capsys.readouterr().out


def test_a_report_moved_away_from_its_case_asks_for_it(project, tmp_path):
    report = tmp_path / "elsewhere" / "relcase"
    shutil.copytree(project / "reports" / "relcase", report)
    result = verify_report(report)
    assert not result.ok and "give it with --case CASE_DIR" in result.error
    assert verify_report(report, case_dir=project / "cases" / "relcase").ok


def test_a_manifest_with_an_absolute_case_folder_still_verifies(project, tmp_path):
    report = tmp_path / "old" / "relcase"
    shutil.copytree(project / "reports" / "relcase", report)
    manifest = json.loads((report / "manifest.json").read_text(encoding="utf-8"))
    manifest["case_dir"] = (project / "cases" / "relcase").resolve().as_posix()
    (report / "manifest.json").write_text(json.dumps(manifest, sort_keys=True, indent=2), encoding="utf-8")
    result = verify_report(report)
    assert result.error is None and result.ok  # the manifests are compared with the case folder aside
