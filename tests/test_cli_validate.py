"""`review validate`: the summary, every rejection, the JSON shape and the exit codes."""
from __future__ import annotations

import json
from pathlib import Path

import openpyxl
import pytest
import yaml

from review.cli import main

pytest.importorskip("review.vocab", reason="review.vocab (another issue) has not landed yet")


def _case(case_dir: Path, **config) -> Path:
    (case_dir / "case.yml").write_text(
        yaml.safe_dump({"case_id": "C7", "date_of_birth": "2022-06-01", **config}), encoding="utf-8"
    )
    return case_dir


def _clean_case(case_dir: Path) -> Path:
    (case_dir / "gp.csv").write_text("Date,Agency,Details\n01/02/2023,GP,Visit\n02/02/2023,GP,Call\n")
    return _case(case_dir)


def _case_with_rejections(case_dir: Path) -> Path:
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "Chronology"
    ws.append(["Chronology"])
    ws.append(["Date of contact", "Details"])
    ws.append(["01/02/2023", "Visit"])
    ws.append(["31/02/2023", "Impossible day"])
    ws.append([None, "No date"])
    wb.save(case_dir / "hv.xlsx")
    return _case(case_dir)


def test_clean_case_exits_0_with_a_summary(tmp_path, capsys):
    assert main(["validate", str(_clean_case(tmp_path))]) == 0
    out = capsys.readouterr().out
    assert "Case C7: 1 file(s), 2 row(s) read, 2 accepted, 0 rejected" in out
    assert "gp.csv" in out and "Rejected rows" not in out


def test_rejections_exit_1_and_list_file_sheet_row_column_reason(tmp_path, capsys):
    assert main(["validate", str(_case_with_rejections(tmp_path))]) == 1
    out = capsys.readouterr().out
    assert "Rejected rows (2):" in out
    assert "hv.xlsx, sheet 'Chronology', row 4, column 'Date of contact': " in out
    assert "31/02/2023" in out
    assert "hv.xlsx, sheet 'Chronology', row 5, column 'Date of contact': no date" in out


def test_json_shape(tmp_path, capsys):
    assert main(["validate", str(_case_with_rejections(tmp_path)), "--json"]) == 1
    report = json.loads(capsys.readouterr().out)
    assert report["case_id"] == "C7"
    assert (report["rows_read"], report["rows_accepted"], report["rows_rejected"]) == (3, 1, 2)
    (sheet,) = report["files"]
    assert {"file", "sheet", "rows_read", "rows_accepted", "rows_rejected", "rejections", "warnings"} <= set(sheet)
    assert sheet["file"] == "hv.xlsx" and sheet["sheet"] == "Chronology" and sheet["header_row"] == 2
    assert sheet["rejections"][1] == {"row": 5, "column": "Date of contact", "reason": "no date: 'No date'"}
    assert set(sheet["rejections"][0]) == {"row", "column", "reason"}


def test_unreadable_file_exits_2_with_one_line(tmp_path, capsys):
    (tmp_path / "gp.xlsx").write_text("just text")
    assert main(["validate", str(_case(tmp_path))]) == 2
    err = capsys.readouterr().err.strip()
    assert err.startswith("review: error: gp.xlsx: not a spreadsheet") and "\n" not in err


def test_encrypted_workbook_exits_3(tmp_path, capsys):
    ole = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 504 + "EncryptionInfo".encode("utf-16-le")
    (tmp_path / "locked.xlsx").write_bytes(ole + b"\x00" * 512)
    assert main(["validate", str(_case(tmp_path))]) == 3
    assert "locked.xlsx" in capsys.readouterr().err


def test_missing_case_folder_exits_2(tmp_path, capsys):
    assert main(["validate", str(tmp_path / "nope")]) == 2
    assert "case folder not found" in capsys.readouterr().err


def test_path_outside_the_case_folder_exits_2(tmp_path, capsys):
    case_dir = tmp_path / "case"
    case_dir.mkdir()
    (tmp_path / "x.csv").write_text("Date,Details\n01/02/2023,x\n")
    assert main(["validate", str(_case(case_dir, files=["../x.csv"]))]) == 2
    assert "outside the case folder" in capsys.readouterr().err
