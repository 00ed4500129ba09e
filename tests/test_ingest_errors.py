"""Files and cases that cannot be read: one clear error that names the file, never a traceback or a guess."""
from __future__ import annotations

import datetime as dt
import os
from pathlib import Path

import openpyxl
import pytest
import yaml

from review.config import CaseConfig, FileSpec, load_case_config
from review.errors import ConfigError, EncryptedFileError, FileTooLargeError, IngestError


@pytest.fixture
def load_contacts():
    pytest.importorskip("review.vocab", reason="review.vocab (another issue) has not landed yet")
    from review.ingest.load import load_contacts

    return load_contacts


def _write_case(case_dir: Path, **config) -> None:
    (case_dir / "case.yml").write_text(
        yaml.safe_dump({"case_id": "C1", "date_of_birth": "2022-06-01", **config}), encoding="utf-8"
    )


def _good_xlsx(path: Path) -> Path:
    wb = openpyxl.Workbook()
    wb.active.append(["Date", "Details"])
    wb.active.append(["01/02/2023", "Visit"])
    wb.save(path)
    return path


def _corrupt_xlsx(case_dir: Path) -> str:
    data = _good_xlsx(case_dir / "tmp.xlsx").read_bytes()
    (case_dir / "tmp.xlsx").unlink()
    (case_dir / "hospital.xlsx").write_bytes(data[: len(data) // 2])
    return "hospital.xlsx"


def _text_renamed_xlsx(case_dir: Path) -> str:
    (case_dir / "gp.xlsx").write_text("Date,Details\n01/02/2023,Visit\n", encoding="utf-8")
    return "gp.xlsx"


def _empty_workbook(case_dir: Path) -> str:
    openpyxl.Workbook().save(case_dir / "school.xlsx")
    return "school.xlsx"


def _html_named_xls(case_dir: Path) -> str:
    (case_dir / "police.xls").write_text("<!DOCTYPE html><html><table><tr><td>Date</td></tr></table></html>")
    return "police.xls"


def _encrypted(case_dir: Path) -> str:
    header = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 504
    (case_dir / "locked.xlsx").write_bytes(header + "EncryptionInfo".encode("utf-16-le") + b"\x00" * 1024)
    return "locked.xlsx"


@pytest.mark.parametrize(
    "write, error, message",
    [
        (_corrupt_xlsx, IngestError, "corrupt"),
        (_text_renamed_xlsx, IngestError, "not a spreadsheet"),
        (_empty_workbook, IngestError, "workbook is empty"),
        (_html_named_xls, IngestError, "HTML page"),
        (_encrypted, EncryptedFileError, "password-protected"),
    ],
    ids=["corrupt_xlsx", "text_renamed_xlsx", "empty_workbook", "html_named_xls", "encrypted"],
)
def test_unreadable_file_is_one_error_naming_the_file(tmp_path, load_contacts, write, error, message):
    name = write(tmp_path)
    _write_case(tmp_path)
    with pytest.raises(error, match=message) as err:
        load_contacts(load_case_config(tmp_path))
    assert type(err.value) is error
    assert err.value.file == name and str(err.value).startswith(f"{name}: ")
    assert "\n" not in str(err.value)


def test_file_over_the_size_limit(tmp_path, load_contacts):
    _good_xlsx(tmp_path / "big.xlsx")
    _write_case(tmp_path, max_file_mb=0.001)
    with pytest.raises(FileTooLargeError, match="big.xlsx: the file is .* over the limit of 0.001 MB"):
        load_contacts(load_case_config(tmp_path))


@pytest.mark.parametrize("path", ["../outside.csv", "/etc/passwd", "sub/../../outside.csv"])
def test_paths_in_case_yml_outside_the_case_folder_are_refused(tmp_path, path):
    case_dir = tmp_path / "case"
    case_dir.mkdir()
    (tmp_path / "outside.csv").write_text("Date,Details\n01/02/2023,x\n")
    _write_case(case_dir, files=[{"path": path}])
    with pytest.raises(ConfigError, match="relative to the case folder|outside the case folder") as err:
        load_case_config(case_dir)
    assert err.value.file.endswith("case.yml")


def test_load_contacts_refuses_a_path_outside_even_from_a_hand_made_config(tmp_path, load_contacts):
    case_dir = tmp_path / "case"
    case_dir.mkdir()
    (tmp_path / "outside.csv").write_text("Date,Details\n01/02/2023,x\n")
    case = CaseConfig(case_dir=case_dir, case_id="C1", date_of_birth=dt.date(2022, 6, 1),
                      files=(FileSpec(path="../outside.csv"),))
    with pytest.raises(ConfigError, match="outside the case folder"):
        load_contacts(case)


@pytest.mark.skipif(not hasattr(os, "symlink"), reason="no symlinks")
def test_symlink_pointing_outside_the_case_folder_is_refused(tmp_path, load_contacts):
    case_dir = tmp_path / "case"
    case_dir.mkdir()
    (tmp_path / "outside.csv").write_text("Date,Details\n01/02/2023,x\n")
    (case_dir / "gp.csv").symlink_to(tmp_path / "outside.csv")
    case = CaseConfig(case_dir=case_dir, case_id="C1", date_of_birth=dt.date(2022, 6, 1),
                      files=(FileSpec(path="gp.csv"),))
    with pytest.raises(ConfigError, match="outside the case folder"):
        load_contacts(case)


def test_profile_whose_columns_are_not_in_the_sheet(tmp_path, load_contacts):
    _good_xlsx(tmp_path / "gp.xlsx")
    (tmp_path / "profiles").mkdir()
    (tmp_path / "profiles" / "emis.yml").write_text("columns:\n  date: Consultation date\n")
    _write_case(tmp_path, files=[{"path": "gp.xlsx", "profile": "emis"}])
    # s15: one rejection of the sheet's rows (the other files still read), no longer a ConfigError for the case
    _, report = load_contacts(load_case_config(tmp_path))
    (sheet,) = report.files
    (rejection,) = sheet.rejections
    assert sheet.rows_rejected == 2 and sheet.rows_accepted == 0 and rejection.row == 1
    assert rejection.reason.startswith("profile 'emis' reads its date from 'Consultation date', which the header row "
                                       "does not have: did you mean 'Date'?")


def test_profile_header_row_past_the_end(tmp_path, load_contacts):
    _good_xlsx(tmp_path / "gp.xlsx")
    (tmp_path / "profiles").mkdir()
    (tmp_path / "profiles" / "deep.yml").write_text("header_row: 40\n")
    _write_case(tmp_path, files=[{"path": "gp.xlsx", "profile": "deep"}])
    with pytest.raises(ConfigError, match="header_row 40 is past the end"):
        load_contacts(load_case_config(tmp_path))


def test_invalid_profile_yaml_names_the_profile_file(tmp_path, load_contacts):
    _good_xlsx(tmp_path / "gp.xlsx")
    (tmp_path / "profiles").mkdir()
    (tmp_path / "profiles" / "broken.yml").write_text("columns: [unclosed\n")
    _write_case(tmp_path, files=[{"path": "gp.xlsx", "profile": "broken"}])
    with pytest.raises(ConfigError, match="invalid YAML") as err:
        load_contacts(load_case_config(tmp_path))
    assert err.value.file.endswith("broken.yml")


def test_case_without_any_agency_file(tmp_path, load_contacts):
    _write_case(tmp_path)
    (tmp_path / "README.txt").write_text("not a chronology")
    with pytest.raises(ConfigError, match="no agency files") as err:
        load_contacts(load_case_config(tmp_path))
    assert err.value.file.endswith("case.yml")
