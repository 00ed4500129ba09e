"""Readers: every format and layout into RawTables with the row numbers the spreadsheet shows."""
from __future__ import annotations

import datetime as dt
import zipfile
from pathlib import Path

import openpyxl
import pandas as pd
import pytest

from review.config import CaseConfig, FileSpec
from review.errors import EncryptedFileError, FileTooLargeError, IngestError
from review.ingest.readers import decode_text, fill_merged, read_tables, sniff_delimiter


def _case(tmp_path: Path, **kwargs) -> CaseConfig:
    return CaseConfig(case_dir=tmp_path, case_id="T1", date_of_birth=dt.date(2022, 1, 1), **kwargs)


def _read(tmp_path: Path, name: str, **spec) -> list:
    return read_tables(tmp_path / name, FileSpec(path=name, **spec), _case(tmp_path))


def write_chronology_xlsx(path: Path) -> Path:
    """Title rows, a merged date over two rows, a blank row, a second sheet and a hidden sheet."""
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "Chronology"
    ws["A1"] = "Health visiting chronology for Child A"
    ws.append([])
    ws.append(["Date", "Time", "Details", "Outcome"])
    ws.append([dt.datetime(2023, 1, 5), "10:00", "Home visit", "Advice given"])
    ws.append([None, dt.time(11, 0), "Phone call to mother", "None"])
    ws.append([])
    ws.append([dt.datetime(2023, 1, 6, 9, 30), None, "Clinic", "Weighed"])
    ws.merge_cells("A4:A5")
    second = wb.create_sheet("2024")
    second.append(["Date", "Details"])
    second.append(["03/02/2024", "GP appointment"])
    hidden = wb.create_sheet("Old template")
    hidden.append(["Date", "Details"])
    hidden.append(["01/01/2020", "should not be read unless named"])
    hidden.sheet_state = "hidden"
    wb.save(path)
    return path


def test_xlsx_rows_keep_spreadsheet_row_numbers_and_merged_dates_fill_every_row(tmp_path):
    write_chronology_xlsx(tmp_path / "hv.xlsx")
    tables = _read(tmp_path, "hv.xlsx")
    assert [t.sheet for t in tables] == ["Chronology", "2024", "Old template"]
    chronology = tables[0]
    assert chronology.file == "hv.xlsx"
    assert chronology.row_numbers == list(range(1, 8))
    assert chronology.rows[0][0] == "Health visiting chronology for Child A"
    assert chronology.rows[1] == [None, None, None, None]  # blank rows are kept, numbered
    assert chronology.rows[2] == ["Date", "Time", "Details", "Outcome"]
    assert chronology.merged_filled
    # the merged date cell A4:A5 gives its date to both rows
    assert pd.Timestamp(chronology.rows[3][0]) == pd.Timestamp(chronology.rows[4][0]) == pd.Timestamp("2023-01-05")
    assert chronology.rows[4][1] == dt.time(11, 0)
    assert pd.Timestamp(chronology.rows[6][0]) == pd.Timestamp("2023-01-06 09:30")


def test_hidden_sheet_is_reported_not_read_unless_named(tmp_path):
    write_chronology_xlsx(tmp_path / "hv.xlsx")
    hidden = _read(tmp_path, "hv.xlsx")[2]
    assert hidden.hidden and hidden.rows == [] and "hidden sheet" in hidden.notes[0]
    named = _read(tmp_path, "hv.xlsx", sheets=("Old template",))
    assert [t.sheet for t in named] == ["Old template"]
    assert named[0].hidden and named[0].rows[1] == ["01/01/2020", "should not be read unless named"]


def test_sheet_named_in_case_yml_but_missing_is_a_clear_error(tmp_path):
    write_chronology_xlsx(tmp_path / "hv.xlsx")
    with pytest.raises(IngestError, match="'Nope'.*not found.*'Chronology'") as err:
        _read(tmp_path, "hv.xlsx", sheets=("Nope",))
    assert err.value.file == "hv.xlsx"


def test_data_not_starting_at_a1_keeps_its_origin(tmp_path):
    wb = openpyxl.Workbook()
    ws = wb.active
    ws["C3"], ws["D3"] = "Date", "Details"
    ws["C4"], ws["D4"] = "01/02/2023", "Visit"
    wb.save(tmp_path / "offset.xlsx")
    table = _read(tmp_path, "offset.xlsx")[0]
    assert table.row_numbers[2] == 3 and table.rows[2][2:] == ["Date", "Details"]
    assert table.rows[3][2:] == ["01/02/2023", "Visit"]


def test_whitespace_only_cells_are_blank(tmp_path):
    wb = openpyxl.Workbook()
    wb.active.append(["Date", "  "])
    wb.save(tmp_path / "spaces.xlsx")
    assert _read(tmp_path, "spaces.xlsx")[0].rows == [["Date", None]]


def test_xlsm_is_read_like_xlsx(tmp_path):
    write_chronology_xlsx(tmp_path / "macro.xlsm")
    tables = _read(tmp_path, "macro.xlsm")
    assert tables[0].rows[2] == ["Date", "Time", "Details", "Outcome"]


def test_formula_cells_give_their_cached_value(tmp_path):
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.append(["Date", "Details"])
    ws.append(["01/01/2023", '="a"&"b"'])
    wb.save(tmp_path / "formula.xlsx")
    _set_cached_value(tmp_path / "formula.xlsx", "B2", "ab")
    assert _read(tmp_path, "formula.xlsx")[0].rows[1] == ["01/01/2023", "ab"]


def _set_cached_value(path: Path, ref: str, value: str) -> None:
    """openpyxl writes formulas without a cached result; Excel would store one: add it."""
    with zipfile.ZipFile(path) as zf:
        parts = {name: zf.read(name) for name in zf.namelist()}
    sheet = parts["xl/worksheets/sheet1.xml"].decode()
    start = sheet.index(f'<c r="{ref}"')
    end = sheet.index("</c>", start)
    cell = sheet[start:end].replace(f'<c r="{ref}"', f'<c r="{ref}" t="str"').replace("<v></v>", f"<v>{value}</v>")
    parts["xl/worksheets/sheet1.xml"] = (sheet[:start] + cell + sheet[end:]).encode()
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as zf:
        for name, data in parts.items():
            zf.writestr(name, data)


def write_xls(path: Path) -> Path:
    import xlwt

    book = xlwt.Workbook()
    sheet = book.add_sheet("Chronology")
    sheet.write(0, 0, "Police chronology")
    sheet.write(2, 0, "Date")
    sheet.write(2, 1, "Details")
    sheet.write_merge(3, 4, 0, 0, "01/02/2023")
    sheet.write(3, 1, "Call-out to address")
    sheet.write(4, 1, "Crime report")
    hidden = book.add_sheet("Lookups")
    hidden.write(0, 0, "x")
    hidden.visibility = 1
    book.save(str(path))
    return path


def test_xls_merged_and_hidden(tmp_path):
    write_xls(tmp_path / "police.xls")
    tables = _read(tmp_path, "police.xls")
    first = tables[0]
    assert first.row_numbers[2] == 3 and first.rows[2] == ["Date", "Details"]
    assert first.rows[3] == ["01/02/2023", "Call-out to address"]
    assert first.rows[4] == ["01/02/2023", "Crime report"]
    assert first.merged_filled
    assert tables[1].hidden and tables[1].rows == []


def write_ods(path: Path) -> Path:
    frame = pd.DataFrame({"Date": ["01/02/2023", "02/02/2023"], "Details": ["School report", "Absent"]})
    with pd.ExcelWriter(path, engine="odf") as writer:
        frame.to_excel(writer, sheet_name="School", index=False, startrow=2)
    return path


def test_ods(tmp_path):
    write_ods(tmp_path / "school.ods")
    (table,) = _read(tmp_path, "school.ods")
    assert table.sheet == "School"
    assert table.rows[2] == ["Date", "Details"] and table.row_numbers[2] == 3
    assert table.rows[4] == ["02/02/2023", "Absent"]


def test_ods_merged_date_fills_every_row(tmp_path):
    from odf.opendocument import OpenDocumentSpreadsheet
    from odf.table import CoveredTableCell, Table, TableCell, TableRow
    from odf.text import P

    def cell(text=None, **attributes):
        element = TableCell(valuetype="string", **attributes) if text else TableCell(**attributes)
        if text:
            element.addElement(P(text=text))
        return element

    document = OpenDocumentSpreadsheet()
    sheet = Table(name="Chronology")
    for cells in (
        [cell("Title")],
        [cell("Date"), cell("Details")],
        [cell("01/02/2023", numberrowsspanned=2), cell("Visit")],
        [CoveredTableCell(), cell("Call")],
    ):
        row = TableRow()
        for c in cells:
            row.addElement(c)
        sheet.addElement(row)
    document.spreadsheet.addElement(sheet)
    document.save(str(tmp_path / "merged.ods"))
    (table,) = _read(tmp_path, "merged.ods")
    assert table.rows[2:] == [["01/02/2023", "Visit"], ["01/02/2023", "Call"]] and table.merged_filled


CSV_TEXT = "Date,Details,Outcome\n01/02/2023,Visit – seen in café,\"Referred, advice\"\n\n02/02/2023,Call,\n"


@pytest.mark.parametrize(
    "encoding, delimiter, expected_encoding",
    [
        ("utf-8", ",", "utf-8"),
        ("utf-8-sig", ",", "utf-8-sig"),
        ("cp1252", ",", "cp1252"),
        ("utf-8", ";", "utf-8"),
        ("utf-8", "\t", "utf-8"),
        ("utf-8", "|", "utf-8"),
        ("utf-16", ",", "utf-16"),
    ],
)
def test_csv_encodings_and_delimiters(tmp_path, encoding, delimiter, expected_encoding):
    text = CSV_TEXT.replace(",", delimiter).replace(f"Referred{delimiter} advice", "Referred, advice")
    (tmp_path / "gp.csv").write_bytes(text.encode(encoding))
    (table,) = _read(tmp_path, "gp.csv")
    assert table.sheet == ""
    assert table.rows[0] == ["Date", "Details", "Outcome"]
    assert table.rows[1] == ["01/02/2023", "Visit – seen in café", "Referred, advice"]
    assert table.row_numbers == [1, 2, 3, 4] and table.rows[2] == []
    assert table.rows[3] == ["02/02/2023", "Call", None]
    assert f"encoding {expected_encoding}" in table.notes[0]


def test_csv_with_title_row_still_finds_the_semicolon():
    text = "Chronology of Child A\nDate;Details;Outcome\n01/02/2023;Visit;None\n02/02/2023;Call;None\n"
    assert sniff_delimiter(text) == ";"


def test_decode_utf16_without_bom():
    assert decode_text("Date,Details\n".encode("utf-16-le")) == ("Date,Details\n", "utf-16-le")


def test_xlsx_named_xls_is_read_by_content(tmp_path):
    write_chronology_xlsx(tmp_path / "really_xlsx.xls")
    assert _read(tmp_path, "really_xlsx.xls")[0].rows[2] == ["Date", "Time", "Details", "Outcome"]


def test_xls_named_xlsx_is_read_by_content(tmp_path):
    write_xls(tmp_path / "really_xls.xlsx")
    table = _read(tmp_path, "really_xls.xlsx")[0]
    assert table.rows[2] == ["Date", "Details"]
    assert any("read as xls" in note for note in table.notes)


def test_docx_goes_to_the_word_reader(tmp_path):
    docx = pytest.importorskip("docx")
    document = docx.Document()
    document.add_paragraph("Children's centre chronology")
    grid = document.add_table(rows=2, cols=2)
    for cell, text in zip(grid.rows[0].cells + grid.rows[1].cells, ["Date", "Details", "01/02/2023", "Stay and play"]):
        cell.text = text
    document.save(tmp_path / "centre.docx")
    (table,) = _read(tmp_path, "centre.docx")
    assert table.sheet == "table 1" and table.rows[1] == ["01/02/2023", "Stay and play"]


def test_fill_merged_pads_short_rows():
    rows = [["a", None], [None]]
    assert fill_merged(rows, [((0, 0), (1, 1))]) == 1
    assert rows == [["a", "a"], ["a", "a"]]


# --- files that cannot be read: one clear error naming the file ------------------------------------
def test_corrupt_xlsx(tmp_path):
    write_chronology_xlsx(tmp_path / "good.xlsx")
    data = (tmp_path / "good.xlsx").read_bytes()
    (tmp_path / "broken.xlsx").write_bytes(data[: len(data) // 2])
    with pytest.raises(IngestError, match="corrupt") as err:
        _read(tmp_path, "broken.xlsx")
    assert err.value.file == "broken.xlsx" and str(err.value).startswith("broken.xlsx: ")


def test_text_file_renamed_xlsx(tmp_path):
    (tmp_path / "notes.xlsx").write_text("Date,Details\n01/01/2023,visit\n")
    with pytest.raises(IngestError, match="not a spreadsheet.*plain text.*rename it to .csv") as err:
        _read(tmp_path, "notes.xlsx")
    assert err.value.file == "notes.xlsx"


def test_html_named_xls(tmp_path):
    (tmp_path / "export.xls").write_text("<html><body><table><tr><td>Date</td></tr></table></body></html>")
    with pytest.raises(IngestError, match="HTML page, not a spreadsheet"):
        _read(tmp_path, "export.xls")


def test_empty_workbook(tmp_path):
    openpyxl.Workbook().save(tmp_path / "empty.xlsx")
    with pytest.raises(IngestError, match="empty") as err:
        _read(tmp_path, "empty.xlsx")
    assert err.value.file == "empty.xlsx"


def test_csv_of_blank_lines(tmp_path):
    (tmp_path / "blank.csv").write_bytes(b"\xef\xbb\xbf\r\n,,\r\n")
    with pytest.raises(IngestError, match="no data"):
        _read(tmp_path, "blank.csv")


def test_zero_byte_file(tmp_path):
    (tmp_path / "nothing.xlsx").write_bytes(b"")
    with pytest.raises(IngestError, match="empty"):
        _read(tmp_path, "nothing.xlsx")


def test_encrypted_workbook(tmp_path):
    # what Excel writes for a password-protected xlsx: an OLE2 compound file with an EncryptionInfo stream
    ole = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 504 + "EncryptionInfo".encode("utf-16-le") + b"\x00" * 512
    (tmp_path / "locked.xlsx").write_bytes(ole)
    with pytest.raises(EncryptedFileError, match="password") as err:
        _read(tmp_path, "locked.xlsx")
    assert err.value.exit_code == 3 and err.value.file == "locked.xlsx"


def test_file_over_the_size_limit(tmp_path):
    write_chronology_xlsx(tmp_path / "big.xlsx")
    case = _case(tmp_path, max_file_mb=0.001)
    with pytest.raises(FileTooLargeError, match="over the limit") as err:
        read_tables(tmp_path / "big.xlsx", FileSpec(path="big.xlsx"), case)
    assert err.value.exit_code == 4


def test_zip_that_is_not_a_spreadsheet(tmp_path):
    with zipfile.ZipFile(tmp_path / "photos.xlsx", "w") as zf:
        zf.writestr("photo.txt", "hello")
    with pytest.raises(IngestError, match="not an Excel"):
        _read(tmp_path, "photos.xlsx")


# --- the zip checks keep the xlsx parts they inflated; every guard still refuses -----------------------
def test_many_kinds_of_blank_text_are_blank_and_other_values_are_kept(tmp_path):
    wb = openpyxl.Workbook()
    blanks = [" ", "  ", "\t", "\xa0", "\u2003", "\u3000", " \n "]  # more than the in-place path takes
    wb.active.append(["Date", *blanks, 0, 1.5, True, "x", " x "])
    wb.active.append([" ", "", None, "\xa0"])
    wb.save(tmp_path / "blanks.xlsx")
    rows = _read(tmp_path, "blanks.xlsx")[0].rows
    assert rows[0] == ["Date", *[None] * len(blanks), 0, 1.5, True, "x", " x "]
    assert [type(v) for v in rows[0][-5:-2]] == [float, float, bool]  # as calamine gives them
    assert rows[1][:4] == [None, None, None, None]


def _rewrite_sheet(path: Path, sheet: bytes) -> None:
    with zipfile.ZipFile(path) as zf:
        parts = {name: zf.read(name) for name in zf.namelist()}
    parts["xl/worksheets/sheet1.xml"] = sheet
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as zf:
        for name, data in parts.items():
            zf.writestr(name, data)


def test_a_sheet_whose_directory_understates_its_size_is_still_refused(tmp_path):
    """The sheet is the part the checks keep: a lie in its size is refused all the same."""
    import struct

    from review.errors import UnsafeFileError

    write_chronology_xlsx(tmp_path / "liar.xlsx")
    _rewrite_sheet(tmp_path / "liar.xlsx", b"<worksheet>" + b" " * (3 * 1024 * 1024) + b"</worksheet>")
    data = bytearray((tmp_path / "liar.xlsx").read_bytes())
    name = b"xl/worksheets/sheet1.xml"
    central = data.find(b"PK\x01\x02")
    while data[central + 46: central + 46 + len(name)] != name:
        central = data.find(b"PK\x01\x02", central + 4)
    struct.pack_into("<I", data, central + 24, 1000)
    (tmp_path / "liar.xlsx").write_bytes(bytes(data))
    with pytest.raises(UnsafeFileError, match="'xl/worksheets/sheet1.xml' declares 1000 bytes but inflates to more"):
        _read(tmp_path, "liar.xlsx")


def test_a_dtd_in_a_kept_sheet_is_refused(tmp_path):
    from review.errors import UnsafeFileError

    write_chronology_xlsx(tmp_path / "xxe.xlsx")
    _rewrite_sheet(tmp_path / "xxe.xlsx", b'<?xml version="1.0"?><!DOCTYPE x [<!ENTITY a "b">]><worksheet/>')
    with pytest.raises(UnsafeFileError, match="worksheets/sheet1.xml' declares XML entities"):
        _read(tmp_path, "xxe.xlsx")


def test_a_sheet_with_a_stray_far_value_is_refused_from_the_kept_xml(tmp_path):
    wb = openpyxl.Workbook()
    wb.active.append(["Date", "Details"])
    wb.active["XFD1048576"] = "stray"
    wb.save(tmp_path / "stray.xlsx")
    with pytest.raises(FileTooLargeError, match=r"A1:XFD1048576 \(1,048,576 rows x 16,384 columns\)"):
        _read(tmp_path, "stray.xlsx")


def test_a_sheet_the_checks_do_not_keep_is_read_from_the_zip(tmp_path):
    """A stored (not deflated) sheet, and a sheet whose CRC is wrong: both are left to zipfile, as before."""
    import struct

    write_chronology_xlsx(tmp_path / "hv.xlsx")
    with zipfile.ZipFile(tmp_path / "hv.xlsx") as zf:
        parts = {name: zf.read(name) for name in zf.namelist()}
    with zipfile.ZipFile(tmp_path / "stored.xlsx", "w") as zf:
        for name, data in parts.items():
            zf.writestr(name, data, compress_type=zipfile.ZIP_STORED if "worksheets" in name else zipfile.ZIP_DEFLATED)
    assert _read(tmp_path, "stored.xlsx")[0].rows == _read(tmp_path, "hv.xlsx")[0].rows
    data = bytearray((tmp_path / "hv.xlsx").read_bytes())
    name = b"xl/worksheets/sheet1.xml"
    central = data.find(b"PK\x01\x02")
    while data[central + 46: central + 46 + len(name)] != name:
        central = data.find(b"PK\x01\x02", central + 4)
    struct.pack_into("<I", data, central + 16, 0x12345678)
    (tmp_path / "bad_crc.xlsx").write_bytes(bytes(data))
    with pytest.raises(IngestError, match="corrupt .*Bad CRC-32 for file 'xl/worksheets/sheet1.xml'"):
        _read(tmp_path, "bad_crc.xlsx")
