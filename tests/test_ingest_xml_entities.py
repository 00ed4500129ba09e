"""A DTD (entity declarations) anywhere in an XML part of an xlsx, docx or ods is refused before any parser
opens the part, not only at the part's start.

A DTD comes before the root element, but a comment or processing instruction of any length may come
before it, so a check of the first few KB alone lets `<!-- lots of padding --><!DOCTYPE ...>` through
to the parts only calamine or python-docx read (sharedStrings.xml, the worksheets, styles.xml,
content.xml), whose parsers are not defusedxml. Each package is built here from a genuine one with one
part rewritten, and must come out of `read_tables` as an `UnsafeFileError` naming the file and the part.
"""
from __future__ import annotations

import datetime as dt
import re
import shutil
import struct
import zipfile
import zlib
from pathlib import Path

import openpyxl
import pytest

from review.config import CaseConfig, FileSpec
from review.errors import IngestError, UnsafeFileError
from review.ingest import readers
from review.ingest.docx_reader import read_docx
from review.ingest.readers import _DTD_MARKERS, _dtd_in, read_tables, sniff_kind

SAMPLE = Path(__file__).resolve().parents[1] / "data" / "cases" / "sample"
SHEET = "xl/worksheets/sheet1.xml"
STRINGS = "xl/sharedStrings.xml"
DTD = b'<!DOCTYPE x [<!ENTITY a "b">]>'
#: valid XML: a comment may come before the DTD; 70 KB is past what any check of a part's start read
LATE_DTD = b"<!--" + b" " * 70_000 + b"-->" + DTD


# ---------------------------------------------------------------------------------------------------
# builders
# ---------------------------------------------------------------------------------------------------
def case_for(folder: Path) -> CaseConfig:
    return CaseConfig(case_dir=folder, case_id="T1", date_of_birth=dt.date(2022, 1, 1))


def read(path: Path):
    return read_tables(path, FileSpec(path=path.name), case_for(path.parent))


def small_xlsx(path: Path, texts=("Home visit", "Child seen")) -> Path:
    """An openpyxl workbook, its strings moved to xl/sharedStrings.xml as Excel keeps them (this openpyxl
    writes them inline)."""
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "Chronology"
    ws.append(["Date", "Details", "Outcome"])
    ws.append(["01/02/2023", *texts])
    wb.save(path)
    with zipfile.ZipFile(path) as zf:
        members = [(info.filename, zf.read(info)) for info in zf.infolist()]
    strings: list[bytes] = []

    def shared(match):
        strings.append(match[2])
        return b'<c r="%s" t="s"><v>%d</v></c>' % (match[1], len(strings) - 1)

    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as zf:
        for name, data in members:
            if name == SHEET:
                data = re.sub(rb'<c r="([A-Z]+[0-9]+)" t="inlineStr"><is>(<t[^>]*>.*?</t>)</is></c>', shared, data)
                assert b"inlineStr" not in data
            elif name == "[Content_Types].xml":
                data = data.replace(b"</Types>", b'<Override PartName="/xl/sharedStrings.xml" ContentType="application/'
                                    b'vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"/></Types>')
            elif name == "xl/_rels/workbook.xml.rels":
                data = data.replace(b"</Relationships>", b'<Relationship Id="rIdStrings" Type="http://schemas.'
                                    b'openxmlformats.org/officeDocument/2006/relationships/sharedStrings" '
                                    b'Target="sharedStrings.xml"/></Relationships>')
            zf.writestr(name, data)
        zf.writestr(STRINGS, b'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
                    b'<sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" count="%d" uniqueCount="%d">'
                    % (len(strings), len(strings)) + b"".join(b"<si>%s</si>" % t for t in strings) + b"</sst>")
    return path


def sample(tmp_path: Path, name: str) -> Path:
    path = tmp_path / name
    shutil.copy(SAMPLE / name, path)
    return path


def after_declaration(data: bytes, insert: bytes) -> bytes:
    """`insert` right after the part's XML declaration (which must come first), else at its start."""
    if data.startswith(b"<?xml"):
        end = data.index(b"?>") + 2
        return data[:end] + insert + data[end:]
    return insert + data


def rewrite(path: Path, part: str, fn, compression: int = zipfile.ZIP_DEFLATED) -> Path:
    """The package at `path` with `part` replaced by fn(its bytes), written with `compression`;
    the other members as they were (deflated, or stored when they were stored)."""
    with zipfile.ZipFile(path) as zf:
        members = [(info, zf.read(info)) for info in zf.infolist()]
    assert part in [info.filename for info, _ in members]
    with zipfile.ZipFile(path, "w") as zf:
        for info, data in members:
            if info.filename == part:
                zf.writestr(part, fn(data), compress_type=compression)
            else:
                zf.writestr(info.filename, data, compress_type=info.compress_type)
    return path


def assert_refused(path: Path, part: str) -> UnsafeFileError:
    with pytest.raises(UnsafeFileError) as caught:
        read(path)
    error = caught.value
    assert error.file == path.name
    assert error.message == (
        f"refused: the part {part!r} declares XML entities (<!DOCTYPE/<!ENTITY), which Office never writes "
        "(an XML external entity attack?)"
    )
    return error


# ---------------------------------------------------------------------------------------------------
# the parts only calamine / python-docx read
# ---------------------------------------------------------------------------------------------------
def test_a_late_dtd_in_the_xlsx_shared_strings_is_refused(tmp_path):
    path = rewrite(small_xlsx(tmp_path / "gp.xlsx"), STRINGS, lambda d: after_declaration(d, LATE_DTD))
    assert_refused(path, STRINGS)


def test_a_late_dtd_in_an_xlsx_worksheet_is_refused(tmp_path):
    """The worksheet is a part the zip checks keep whole for the later checks."""
    path = rewrite(small_xlsx(tmp_path / "police.xlsx"), SHEET, lambda d: after_declaration(d, LATE_DTD))
    assert_refused(path, SHEET)


def test_a_late_dtd_in_the_styles_of_the_sample_xlsx_is_refused(tmp_path):
    path = sample(tmp_path, "childrens_social_care.xlsx")
    assert read(path)
    assert_refused(rewrite(path, "xl/styles.xml", lambda d: after_declaration(d, LATE_DTD)), "xl/styles.xml")


@pytest.mark.parametrize("part", ["word/document.xml", "word/styles.xml"])
def test_a_late_dtd_in_a_docx_part_is_refused(tmp_path, part):
    path = sample(tmp_path, "little_acorns_childrens_centre.docx")
    assert read(path)
    assert_refused(rewrite(path, part, lambda d: after_declaration(d, LATE_DTD)), part)


@pytest.mark.parametrize("part", ["word/document.xml", "word/styles.xml"])
def test_read_docx_on_its_own_refuses_a_late_dtd_too(tmp_path, part):
    """`read_docx` called directly (without `read_tables`' zip checks) searches the whole part itself."""
    path = rewrite(sample(tmp_path, "little_acorns_childrens_centre.docx"), part,
                   lambda d: after_declaration(d, LATE_DTD))
    with pytest.raises(UnsafeFileError, match=f"{part} declares a DTD or entities"):
        read_docx(path, path.name)


@pytest.mark.parametrize("part", ["content.xml", "styles.xml"])
def test_a_late_dtd_in_an_ods_part_is_refused(tmp_path, part):
    path = sample(tmp_path, "st_brendans_hospital.ods")
    assert read(path)
    assert_refused(rewrite(path, part, lambda d: after_declaration(d, LATE_DTD)), part)


# ---------------------------------------------------------------------------------------------------
# where the search could lose the marker: chunk boundaries, UTF-16, members not deflated
# ---------------------------------------------------------------------------------------------------
def test_a_dtd_split_across_two_inflated_pieces_is_refused(tmp_path):
    """The zip checks inflate at most 1 MB at a time: "<!DOC" ends the first piece, "TYPE" starts the next
    (an external DTD: no "<!ENTITY" after it to give it away)."""
    piece = 1 << 20

    def fn(data):
        start = data.index(b"?>") + 2
        padding = piece - start - len(b"<!--") - len(b"--><!DOC")
        return after_declaration(data, b"<!--" + b" " * padding + b'--><!DOCTYPE sst SYSTEM "http://example.org/x.dtd">')

    path = rewrite(small_xlsx(tmp_path / "split.xlsx"), STRINGS, fn)
    # the first piece really does end inside the marker
    with zipfile.ZipFile(path) as zf:
        info = zf.getinfo(STRINGS)
    raw = path.read_bytes()
    name_length, extra_length = struct.unpack_from("<HH", raw, info.header_offset + 26)
    start = info.header_offset + 30 + name_length + extra_length
    first = zlib.decompressobj(-15).decompress(raw[start: start + info.compress_size], piece)
    assert len(first) == piece and first.endswith(b"--><!DOC")
    assert_refused(path, STRINGS)


@pytest.mark.parametrize("marker", _DTD_MARKERS)
def test_every_marker_is_found_whichever_byte_it_is_split_at(marker):
    for split in range(1, len(marker)):
        found, tail = _dtd_in(b"x" * 100 + marker[:split], b"")
        assert not found
        assert _dtd_in(marker[split:] + b"y" * 100, tail)[0], (marker, split)
    # after more "!" than are looked at one by one, and among a few
    assert _dtd_in(b"Seen! " * 100 + marker, b"")[0] and _dtd_in(b"Seen! " * 3 + marker, b"")[0]
    assert not _dtd_in(b"Seen! " * 100 + marker[1:], b"")[0]
    # one byte at a time: the tail carries over pieces shorter than itself
    tail, found = b"", False
    for byte in b"ab" + marker + b"cd":
        hit, tail = _dtd_in(bytes([byte]), tail)
        found = found or hit
    assert found


@pytest.mark.parametrize("encoding, bom", [("utf-16-le", b"\xff\xfe"), ("utf-16-be", b"\xfe\xff")])
def test_a_late_dtd_in_a_utf16_part_is_refused(tmp_path, encoding, bom):
    def fn(data):
        text = data.decode("utf-8").replace('encoding="UTF-8"', 'encoding="UTF-16"')
        text = after_declaration(text.encode("utf-8"), LATE_DTD).decode("utf-8")
        return bom + text.encode(encoding)

    path = rewrite(small_xlsx(tmp_path / "utf16.xlsx"), STRINGS, fn)
    assert_refused(path, STRINGS)


@pytest.mark.parametrize("part", [STRINGS, SHEET, "[Content_Types].xml"])
def test_a_late_dtd_in_a_stored_member_is_refused(tmp_path, part):
    """A stored (uncompressed) member is not inflated: its bytes are searched as they are."""
    path = rewrite(small_xlsx(tmp_path / "stored.xlsx"), part, lambda d: after_declaration(d, LATE_DTD),
                   zipfile.ZIP_STORED)
    with zipfile.ZipFile(path) as zf:
        assert zf.getinfo(part).compress_type == zipfile.ZIP_STORED
    assert_refused(path, part)


def test_a_late_dtd_in_a_stored_ods_content_is_refused(tmp_path):
    path = rewrite(sample(tmp_path, "st_brendans_hospital.ods"), "content.xml",
                   lambda d: after_declaration(d, LATE_DTD), zipfile.ZIP_STORED)
    assert_refused(path, "content.xml")


def test_a_late_dtd_in_a_bzip2_member_is_refused(tmp_path):
    """A member compressed otherwise than deflate is read whole through zipfile for the search."""
    path = rewrite(small_xlsx(tmp_path / "bz.xlsx"), STRINGS, lambda d: after_declaration(d, LATE_DTD),
                   zipfile.ZIP_BZIP2)
    assert_refused(path, STRINGS)


def test_an_early_dtd_is_still_refused_first_in_member_order(tmp_path):
    path = small_xlsx(tmp_path / "two.xlsx")
    rewrite(path, STRINGS, lambda d: after_declaration(d, LATE_DTD))
    rewrite(path, "[Content_Types].xml", lambda d: after_declaration(d, DTD))
    with zipfile.ZipFile(path) as zf:
        names = zf.namelist()
    first = min(names.index(STRINGS), names.index("[Content_Types].xml"))
    assert_refused(path, names[first])


# ---------------------------------------------------------------------------------------------------
# what must still read
# ---------------------------------------------------------------------------------------------------
def test_text_that_looks_like_a_dtd_is_escaped_by_the_writer_and_reads(tmp_path):
    """A cell holding "<!DOCTYPE html>" is written as "&lt;!DOCTYPE html>": no marker, the text reads back."""
    path = small_xlsx(tmp_path / "html.xlsx", texts=("<!DOCTYPE html><p>pasted</p>", '<!ENTITY a "b">!'))
    (table,) = read(path)
    assert table.rows[1][1:] == ["<!DOCTYPE html><p>pasted</p>", '<!ENTITY a "b">!']


def test_a_long_comment_without_a_dtd_reads(tmp_path):
    path = rewrite(small_xlsx(tmp_path / "comment.xlsx"), STRINGS,
                   lambda d: after_declaration(d, b"<!--" + b" " * 70_000 + b"<!-DOCTYPE-->"))
    (table,) = read(path)
    assert table.rows[1][1:] == ["Home visit", "Child seen"]


# ---------------------------------------------------------------------------------------------------
# a file that cannot be opened
# ---------------------------------------------------------------------------------------------------
def test_a_directory_named_like_a_workbook_is_an_ingest_error_naming_it(tmp_path):
    (tmp_path / "x.xlsx").mkdir()
    with pytest.raises(IngestError) as caught:
        read(tmp_path / "x.xlsx")
    assert caught.value.file == "x.xlsx"
    assert caught.value.message.startswith("cannot open the file: ")
    with pytest.raises(IngestError, match="cannot open the file"):
        sniff_kind(tmp_path / "x.xlsx", "x.xlsx")


@pytest.mark.parametrize("failing_read", [0, 1], ids=["first bytes", "text sample"])
def test_an_unreadable_file_is_an_ingest_error_naming_it(tmp_path, monkeypatch, failing_read):
    """Permission denied when `_sniff` opens the file (the tests run as root, so `open` is patched)."""
    path = tmp_path / "police.csv"
    path.write_text("Date,Details\n01/02/2023,Call-out\n")
    calls = []

    def refusing_open(file, *args, **kwargs):
        calls.append(file)
        if Path(file) == path and len(calls) > failing_read:
            raise PermissionError(13, "Permission denied", str(file))
        return open(file, *args, **kwargs)

    monkeypatch.setattr(readers, "open", refusing_open, raising=False)
    with pytest.raises(IngestError) as caught:
        read(path)
    assert caught.value.file == "police.csv"
    assert caught.value.message == "cannot open the file: Permission denied"
