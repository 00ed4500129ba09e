"""Ingest messages: a list of one row says "row 5", not "rows 5" (and one line "line 3 is"); messages about a
file's type name the file's own suffix and what its content is ("web pages named .xlsx", not ".xls")."""
from __future__ import annotations

import datetime as dt
import zipfile
from pathlib import Path

import openpyxl
import pandas as pd
import pytest

from review.config import CaseConfig, FileSpec, load_case_config
from review.errors import IngestError
from review.ingest.load import load_contacts
from review.ingest.plausibility import _rows_of
from review.ingest.readers import read_tables

BASE = "case_id: C1\ndate_of_birth: 2022-06-01\n"


def _xlsx_case(tmp_path: Path, rows) -> Path:
    (tmp_path / "case.yml").write_text(BASE, encoding="utf-8")
    wb = openpyxl.Workbook()
    wb.active.title = "Log"
    for row in rows:
        wb.active.append(row)
    wb.save(tmp_path / "a.xlsx")
    return tmp_path


def _notes(case_dir: Path) -> list[str]:
    _, report = load_contacts(load_case_config(case_dir))
    return [n for f in report.files for n in f.notes]


# ---------------------------------------------------------------------------------------------------
# "(row 5)" for one row, "(rows 5, 7)" for several
# ---------------------------------------------------------------------------------------------------
def test_one_repeated_header_row_is_named_as_one_row(tmp_path):
    notes = _notes(_xlsx_case(tmp_path, [
        ["Date", "Details"], ["01/02/2023", "Visit"], ["Date", "Details"], ["02/02/2023", "Call"],
    ]))
    assert any("1 repeated header row(s) skipped (row 3)" in n for n in notes), notes
    assert not any("(rows 3)" in n for n in notes)


def test_several_repeated_header_rows_are_named_as_rows(tmp_path):
    notes = _notes(_xlsx_case(tmp_path, [
        ["Date", "Details"], ["01/02/2023", "Visit"], ["Date", "Details"], ["02/02/2023", "Call"],
        ["Date", "Details"], ["03/02/2023", "Letter"],
    ]))
    assert any("2 repeated header row(s) skipped (rows 3, 5)" in n for n in notes), notes


def test_one_section_heading_row_is_named_as_one_row(tmp_path):
    notes = _notes(_xlsx_case(tmp_path, [["Date", "Details", "Outcome"], ["2023", None, None], ["01/02/2023", "Visit", "Advice"]]))
    assert any("1 section heading row(s) skipped (row 2)" in n for n in notes), notes


@pytest.mark.parametrize(
    "times, expected",
    [(["N/K", "10:00"], "(row 2)"), (["N/K", "unknown"], "(rows 2, 3)")],
)
def test_times_not_known_name_one_row_or_several(tmp_path, times, expected):
    notes = _notes(_xlsx_case(tmp_path, [["Date", "Time", "Details"], ["04/04/2023", times[0], "visit"],
                                         ["05/04/2023", times[1], "call"]]))
    assert any(f"time is not known in column 'Time' {expected}: read with the time not known" in n for n in notes), notes


def test_the_date_plausibility_warning_names_one_row_or_several():
    assert _rows_of(pd.DataFrame({"source_row": [7]})) == "row 7"
    assert _rows_of(pd.DataFrame({"source_row": [7, 9]})) == "rows 7, 9"
    assert _rows_of(pd.DataFrame({"source_row": list(range(2, 15))})) == "rows 2, 3, 4, 5, 6, 7, 8, 9, 10, 11 and 3 more"
    assert _rows_of(pd.DataFrame({"date": [1]})) == "rows ?"


def test_a_mixed_encoding_csv_names_one_line_or_several(tmp_path):
    (tmp_path / "case.yml").write_text(BASE, encoding="utf-8")
    one = "Date,Details\n05/04/2023,Zoë seen\n".encode() + "06/04/2023,Zoë called\n".encode("cp1252")
    (tmp_path / "a.csv").write_bytes(one)
    notes = _notes(tmp_path)
    assert any("line 3 is not UTF-8 and was read as cp1252 (mixed encodings: check the text of that line)" in n
               for n in notes), notes
    (tmp_path / "a.csv").write_bytes(one + "07/04/2023,Zoë again\n".encode("cp1252"))
    notes = _notes(tmp_path)
    assert any("line(s) 3, 4 are not UTF-8 and were read as cp1252 (mixed encodings: check the text of those lines)"
               in n for n in notes), notes


# ---------------------------------------------------------------------------------------------------
# Messages about the file's type name its real suffix
# ---------------------------------------------------------------------------------------------------
def _read(tmp_path: Path, name: str) -> list:
    case = CaseConfig(case_dir=tmp_path, case_id="T1", date_of_birth=dt.date(2022, 1, 1))
    return read_tables(tmp_path / name, FileSpec(path=name), case)


def _error(tmp_path: Path, name: str) -> str:
    with pytest.raises(IngestError) as caught:
        _read(tmp_path, name)
    return str(caught.value)


HTML = "<html><body><table><tr><td>Date</td><td>Details</td></tr></table></body></html>"
OLE2 = bytes.fromhex("D0CF11E0A1B11AE1") + b"\0" * 2000  # an OLE2 (xls) signature, then nothing readable


@pytest.mark.parametrize("name", ["police.xlsx", "police.xls", "police.ods", "police.XLSX"])
def test_an_html_page_is_named_by_its_own_suffix(tmp_path, name):
    (tmp_path / name).write_text(HTML, encoding="utf-8")
    message = _error(tmp_path, name)
    suffix = Path(name).suffix.lower()
    assert f"an HTML page, not a spreadsheet (some systems export web pages named {suffix}): " in message
    assert "open it in Excel and save it as .xlsx" in message


def test_the_readme_example_of_an_html_page_named_xls_is_unchanged(tmp_path):
    (tmp_path / "police.xls").write_text(HTML, encoding="utf-8")
    assert _error(tmp_path, "police.xls") == (
        "police.xls: an HTML page, not a spreadsheet (some systems export web pages named .xls): "
        "open it in Excel and save it as .xlsx"
    )


def test_an_unreadable_xls_named_xlsx_is_not_called_an_xls_file(tmp_path):
    (tmp_path / "gp.xlsx").write_bytes(OLE2)
    message = _error(tmp_path, "gp.xlsx")
    assert message.startswith("gp.xlsx: the file is corrupt or unreadable (")
    assert "read as xls (what its content looks like), not as its .xlsx suffix says" in message
    assert "the xls file" not in message


def test_an_unreadable_xls_named_xls_is_the_xls_file(tmp_path):
    (tmp_path / "gp.xls").write_bytes(OLE2)
    assert _error(tmp_path, "gp.xls").startswith("gp.xls: the xls file is corrupt or unreadable (")


def _bad_xlsx(path: Path) -> Path:
    with zipfile.ZipFile(path, "w") as zf:
        zf.writestr("[Content_Types].xml", "<Types/>")
        zf.writestr("xl/workbook.xml", "not a workbook")
    return path


@pytest.mark.parametrize("name, suffix", [("gp.xlsx", "xlsx"), ("gp.xlsm", "xlsm")])
def test_an_unreadable_workbook_is_named_by_its_suffix(tmp_path, name, suffix):
    _bad_xlsx(tmp_path / name)
    assert _error(tmp_path, name).startswith(f"{name}: the {suffix} file is corrupt or unreadable (")


def test_an_unreadable_xlsx_named_xls_names_both(tmp_path):
    _bad_xlsx(tmp_path / "gp.xls")
    message = _error(tmp_path, "gp.xls")
    assert message.startswith("gp.xls: the file is corrupt or unreadable (")
    assert "read as xlsx (what its content looks like), not as its .xls suffix says" in message
