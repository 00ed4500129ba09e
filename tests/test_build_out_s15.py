"""`review build --out` inside the case folder is refused (s15): the report's chronology.csv/.xlsx/.docx
would sit among the agencies' chronologies, and the next build would read them as an agency's."""
from __future__ import annotations

import os
from pathlib import Path

import pytest
import yaml

from review import build
from review.cli import main
from review.errors import ConfigError


def make_case(folder: Path) -> Path:
    folder.mkdir(parents=True)
    (folder / "case.yml").write_text(yaml.safe_dump({"case_id": "C1", "date_of_birth": "2022-06-01"}), encoding="utf-8")
    (folder / "gp.csv").write_text("Date,Details\n01/02/2023,Home visit\n", encoding="utf-8")
    return folder


def files_in(folder: Path) -> set[str]:
    return {p.relative_to(folder).as_posix() for p in folder.rglob("*")}


@pytest.mark.parametrize("inside", ["reports", "reports/C1", "out/deeper/still"])
def test_build_refuses_an_output_folder_inside_the_case_folder(tmp_path, capsys, inside):
    case = make_case(tmp_path / "case")
    before = files_in(case)
    assert main(["build", str(case), "--out", str(case / inside), "--no-progress"]) == ConfigError.exit_code
    err = capsys.readouterr().err
    assert f"{case / inside}: the output folder must not be inside the case folder" in err
    assert "give a folder outside it" in err and "Traceback" not in err
    assert files_in(case) == before  # nothing written, no folder made, no staging folder left


def test_the_default_output_folder_inside_the_case_folder_is_refused(tmp_path, capsys, monkeypatch):
    case = make_case(tmp_path / "case")
    monkeypatch.chdir(case)  # reports/C1 relative to the working directory: inside the case folder
    assert main(["build", ".", "--no-progress"]) == ConfigError.exit_code
    assert "reports/C1: the output folder must not be inside the case folder" in capsys.readouterr().err
    assert not (case / "reports").exists()


@pytest.mark.skipif(not hasattr(os, "symlink"), reason="no symlinks")
def test_a_link_outside_leading_into_the_case_folder_is_refused(tmp_path):
    case = make_case(tmp_path / "case")
    (case / "reports").mkdir()
    (tmp_path / "link").symlink_to(case / "reports")
    with pytest.raises(ConfigError, match="must not be inside the case folder"):
        build.build_report(case, tmp_path / "link" / "C1", progress=False)
    assert list((case / "reports").iterdir()) == []


def test_a_folder_beside_the_case_folder_is_allowed(tmp_path):
    case = make_case(tmp_path / "case")
    # a name that starts like the case folder's is not inside it
    assert build._check_out_dir(tmp_path / "case-reports", case) is None
    assert build._check_out_dir(tmp_path / "reports" / "C1", case) is None
    # the case folder itself, or one holding it, stays refused as before
    for out in (case, tmp_path):
        with pytest.raises(ConfigError, match="must not be \\(or contain\\) the case folder"):
            build._check_out_dir(out, case)
