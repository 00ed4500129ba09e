"""Damaged zip packages (xlsx, docx, ods): one `IngestError` naming the file, never a raw exception.

A zip member can be damaged in ways zipfile reports with its own exceptions (BadZipFile for a bad CRC
or a local header naming another file, RuntimeError for the encrypted flag, NotImplementedError for
the patched-data flag or an unknown compression method, EOFError, zlib.error, OSError...). Each is
built here by patching the bytes of a small package, and must come out of `read_tables` as an
`IngestError` whose `file` is the file's name and whose message says the file is corrupt.
"""
from __future__ import annotations

import datetime as dt
import random
import shutil
import struct
import zipfile
from pathlib import Path

import openpyxl
import pytest
import yaml

from review.config import CaseConfig, FileSpec, load_case_config
from review.errors import IngestError, UnsafeFileError
from review.ingest.load import load_contacts
from review.ingest.readers import read_tables

SAMPLE = Path(__file__).resolve().parents[1] / "data" / "cases" / "sample"
SHEET = "xl/worksheets/sheet1.xml"
ROWS = [["Date", "Details", "Outcome"], ["01/02/2023", "Home visit", "Child seen"], ["03/02/2023", "Phone call", "None"]]


# ---------------------------------------------------------------------------------------------------
# builders: a small workbook, and byte patches of its zip headers
# ---------------------------------------------------------------------------------------------------
def small_xlsx(path: Path) -> Path:
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "Chronology"
    for row in ROWS * 5:
        ws.append(row)
    wb.save(path)
    return path


def central_of(data: bytes | bytearray, member: str) -> int:
    """Offset of `member`'s central directory entry."""
    at = 0
    while (at := data.find(b"PK\x01\x02", at)) >= 0:
        n = struct.unpack_from("<H", data, at + 28)[0]
        if data[at + 46: at + 46 + n] == member.encode():
            return at
        at += 4
    raise AssertionError(f"no central entry for {member}")


def local_of(data: bytes | bytearray, member: str) -> int:
    """Offset of `member`'s local file header."""
    at = 0
    while (at := data.find(b"PK\x03\x04", at)) >= 0:
        n = struct.unpack_from("<H", data, at + 26)[0]
        if data[at + 30: at + 30 + n] == member.encode():
            return at
        at += 4
    raise AssertionError(f"no local header for {member}")


def patch(path: Path, fn) -> Path:
    data = bytearray(path.read_bytes())
    fn(data)
    path.write_bytes(bytes(data))
    return path


def set_flag(member: str, bit: int):
    """Set a general purpose flag bit in the member's central entry and local header."""
    def fn(data):
        at = central_of(data, member)
        struct.pack_into("<H", data, at + 8, struct.unpack_from("<H", data, at + 8)[0] | bit)
        at = local_of(data, member)
        struct.pack_into("<H", data, at + 6, struct.unpack_from("<H", data, at + 6)[0] | bit)
    return fn


def bad_crc(member: str):
    def fn(data):
        struct.pack_into("<I", data, central_of(data, member) + 16, 0x12345678)
        struct.pack_into("<I", data, local_of(data, member) + 14, 0x12345678)
    return fn


def rename_local(member: str):
    """The local header names another file than the directory does (the member is absent under its name)."""
    def fn(data):
        at = local_of(data, member)
        n = struct.unpack_from("<H", data, at + 26)[0]
        data[at + 30 + n - 1] = ord("X")
    return fn


def compression_method(member: str, method: int):
    def fn(data):
        struct.pack_into("<H", data, central_of(data, member) + 10, method)
        struct.pack_into("<H", data, local_of(data, member) + 8, method)
    return fn


def huge_local_extra(member: str):
    """The local header's extra field runs past the end of the data: the stream ends too soon."""
    def fn(data):
        struct.pack_into("<H", data, local_of(data, member) + 28, 0xFFFF)
    return fn


def flip_data(member: str):
    """One byte in the middle of the member's deflated data changed."""
    def fn(data):
        at = local_of(data, member)
        n, e = struct.unpack_from("<HH", data, at + 26)
        size = struct.unpack_from("<I", data, central_of(data, member) + 20)[0]
        data[at + 30 + n + e + size // 2] ^= 0x55
    return fn


def truncate(fraction: float):
    def fn(data):
        del data[int(len(data) * fraction):]
    return fn


def case_for(folder: Path) -> CaseConfig:
    return CaseConfig(case_dir=folder, case_id="T1", date_of_birth=dt.date(2022, 1, 1))


def read(path: Path):
    return read_tables(path, FileSpec(path=path.name), case_for(path.parent))


def assert_corrupt(path: Path, member: str | None = None) -> IngestError:
    with pytest.raises(IngestError) as caught:
        read(path)
    error = caught.value
    assert error.file == path.name
    assert "corrupt" in error.message or "damaged" in error.message, error.message
    if member is not None:
        assert member in error.message, error.message
    assert "Traceback" not in str(error) and "ZipInfo" not in str(error)
    return error


# ---------------------------------------------------------------------------------------------------
# xlsx
# ---------------------------------------------------------------------------------------------------
XLSX_DAMAGE = {
    "encrypted flag on the worksheet": (set_flag(SHEET, 0x1), SHEET),
    "encrypted flag on the workbook": (set_flag("xl/workbook.xml", 0x1), "xl/workbook.xml"),
    "patched-data flag on the worksheet": (set_flag(SHEET, 0x20), SHEET),
    "strong-encryption flag on the styles": (set_flag("xl/styles.xml", 0x40), "xl/styles.xml"),
    "bad CRC on the worksheet": (bad_crc(SHEET), SHEET),
    "bad CRC on the relationships": (bad_crc("xl/_rels/workbook.xml.rels"), "xl/_rels/workbook.xml.rels"),
    "worksheet renamed in its local header": (rename_local(SHEET), SHEET),
    "workbook renamed in its local header": (rename_local("xl/workbook.xml"), "xl/workbook.xml"),
    "unsupported compression method on the worksheet": (compression_method(SHEET, 99), SHEET),
    "implode compression method on the content types": (compression_method("[Content_Types].xml", 6), None),
    "bzip2 method on deflated data": (compression_method("docProps/core.xml", 12), "docProps/core.xml"),
    "local extra field past the end": (huge_local_extra("xl/theme/theme1.xml"), "xl/theme/theme1.xml"),
    "flipped byte in the worksheet": (flip_data(SHEET), None),
    "truncated to half": (truncate(0.5), None),
    "truncated to 99%": (truncate(0.99), None),
}


@pytest.mark.parametrize("damage", list(XLSX_DAMAGE), ids=list(XLSX_DAMAGE))
def test_a_damaged_xlsx_is_one_ingest_error_naming_the_file(tmp_path, damage):
    fn, member = XLSX_DAMAGE[damage]
    path = patch(small_xlsx(tmp_path / "hospital.xlsx"), fn)
    assert_corrupt(path, member)


def test_the_damaged_entry_message_reads_like_the_other_corrupt_file_errors(tmp_path):
    path = patch(small_xlsx(tmp_path / "gp.xlsx"), set_flag(SHEET, 0x1))
    error = assert_corrupt(path, SHEET)
    assert error.message == (
        f"the file is corrupt (damaged zip entry {SHEET!r}: the entry is encrypted, which Office never does); "
        "save it again from Excel"
    )
    assert str(error).startswith("gp.xlsx: the file is corrupt")


def test_a_worksheet_with_a_bad_crc_is_refused_not_read(tmp_path):
    """The sheet's data does not match its checksum: an error, not rows from damaged data."""
    path = patch(small_xlsx(tmp_path / "police.xlsx"), bad_crc(SHEET))
    error = assert_corrupt(path, SHEET)
    assert "CRC-32" in error.message


def test_a_sheet_that_is_not_well_formed_xml_is_an_ingest_error(tmp_path):
    """Calamine reads past junk after the root element; the formula check's parser does not."""
    path = small_xlsx(tmp_path / "school.xlsx")
    wb = openpyxl.load_workbook(path)
    wb.active["D2"] = "=1+1"  # a formula: the sheet's XML is parsed for uncached formulas
    wb.save(path)
    with zipfile.ZipFile(path) as zf:
        parts = [(info.filename, zf.read(info)) for info in zf.infolist()]
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as zf:
        for name, data in parts:
            zf.writestr(name, data + b"<junk/>" if name == SHEET else data)
    error = assert_corrupt(path)
    assert "not well-formed XML" in error.message


def test_a_dtd_after_a_long_comment_in_the_workbook_is_still_refused_as_unsafe(tmp_path):
    """A DTD after a comment longer than a part's start: `_check_xml_entities` searches the whole part
    (and defusedxml, which parses the workbook, would refuse it too): UnsafeFileError naming the part."""
    path = small_xlsx(tmp_path / "xxe.xlsx")
    with zipfile.ZipFile(path) as zf:
        parts = [(info.filename, zf.read(info)) for info in zf.infolist()]
    dtd = b"<!--" + b" " * 9000 + b'--><!DOCTYPE x [<!ENTITY a "b">]>'  # valid XML: a comment may come first
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as zf:
        for name, data in parts:
            if name == "xl/workbook.xml":
                assert not data.startswith(b"<?xml")
                data = dtd + data
            zf.writestr(name, data)
    with pytest.raises(UnsafeFileError) as caught:
        read(path)
    assert caught.value.file == "xxe.xlsx" and "XML entities" in caught.value.message
    assert "'xl/workbook.xml'" in caught.value.message


def test_the_sample_xlsx_with_a_damaged_worksheet(tmp_path):
    path = tmp_path / "childrens_social_care.xlsx"
    shutil.copy(SAMPLE / path.name, path)
    assert read(path)  # undamaged, it reads
    for fn in (set_flag(SHEET, 0x1), set_flag(SHEET, 0x20), bad_crc(SHEET), rename_local(SHEET),
               compression_method(SHEET, 99)):
        shutil.copy(SAMPLE / path.name, path)
        assert_corrupt(patch(path, fn), SHEET)


# ---------------------------------------------------------------------------------------------------
# docx and ods
# ---------------------------------------------------------------------------------------------------
@pytest.mark.parametrize(
    "sample, member",
    [("little_acorns_childrens_centre.docx", "word/document.xml"), ("st_brendans_hospital.ods", "content.xml")],
    ids=["docx", "ods"],
)
@pytest.mark.parametrize(
    "damage",
    [lambda m: set_flag(m, 0x1), lambda m: set_flag(m, 0x20), bad_crc, rename_local,
     lambda m: compression_method(m, 99), huge_local_extra],
    ids=["encrypted flag", "patched-data flag", "bad CRC", "renamed in local header", "unsupported method",
         "extra field past the end"],
)
def test_a_damaged_docx_or_ods_is_one_ingest_error_naming_the_file(tmp_path, sample, member, damage):
    path = tmp_path / sample
    shutil.copy(SAMPLE / sample, path)
    assert read(path)
    assert_corrupt(patch(path, damage(member)), member)


def test_a_damaged_ods_says_to_save_it_again_from_the_program_that_reads_it(tmp_path):
    path = tmp_path / "st_brendans_hospital.ods"
    shutil.copy(SAMPLE / path.name, path)
    error = assert_corrupt(patch(path, set_flag("mimetype", 0x1)), "mimetype")
    assert error.message.endswith("save it again from LibreOffice or Excel")


def test_a_word_document_part_without_a_body_is_an_ingest_error(tmp_path):
    path = tmp_path / "centre.docx"
    with zipfile.ZipFile(SAMPLE / "little_acorns_childrens_centre.docx") as zf:
        parts = [(info.filename, zf.read(info)) for info in zf.infolist()]
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as zf:
        for name, data in parts:
            zf.writestr(name, b'<?xml version="1.0"?><x/>' if name == "word/document.xml" else data)
    error = assert_corrupt(path)
    assert "no document body" in error.message


# ---------------------------------------------------------------------------------------------------
# end to end: the case's error names the file
# ---------------------------------------------------------------------------------------------------
def test_load_contacts_names_the_damaged_file(tmp_path):
    folder = tmp_path / "case"
    folder.mkdir()
    values = {"case_id": "C1", "date_of_birth": "2022-06-01", "review_date": "2023-12-31"}
    (folder / "case.yml").write_text(yaml.safe_dump(values), encoding="utf-8")
    small_xlsx(folder / "good.xlsx")
    patch(small_xlsx(folder / "health.xlsx"), set_flag(SHEET, 0x1))
    with pytest.raises(IngestError) as caught:
        load_contacts(load_case_config(folder))
    assert caught.value.file == "health.xlsx"
    assert str(caught.value).startswith("health.xlsx: the file is corrupt (damaged zip entry")


# ---------------------------------------------------------------------------------------------------
# fuzz: random byte changes and truncations of a small xlsx
# ---------------------------------------------------------------------------------------------------
def test_random_damage_to_a_small_xlsx_gives_only_ingest_errors(tmp_path):
    source = small_xlsx(tmp_path / "source.xlsx").read_bytes()
    rng = random.Random(20240715)
    outcomes = {"ok": 0, "error": 0}
    for n in range(300):
        data = bytearray(source)
        if n % 10 == 9:
            del data[rng.randrange(1, len(data)):]
        else:
            for _ in range(rng.randint(1, 4)):
                data[rng.randrange(len(data))] = rng.randrange(256)
        path = tmp_path / f"f{n}.xlsx"
        path.write_bytes(bytes(data))
        try:
            read(path)
            outcomes["ok"] += 1
        except IngestError as error:  # anything else fails the test with its traceback
            assert error.file == path.name, (n, str(error))
            outcomes["error"] += 1
        path.unlink()
    assert outcomes["error"] > 100, outcomes  # the damage was real
