"""Reads the tables of a Word chronology (.docx) as `RawTable`s, one per table, in document order.

Some agencies send their chronology as a Word table (the multi-agency template is often a Word
document). Every top-level table becomes a `RawTable` with sheet "table N" (1-based, document order)
and row numbers 1-based within that table, so a reviewer can find the row again by counting. Text
outside tables (a title, a preamble) is not data and is ignored.

Decisions:

- merged cells are filled: a vertically merged cell (w:vMerge) gives its value to every row it
  covers, a horizontally merged cell (w:gridSpan) to every column it covers, and `merged_filled` is
  set. A row that is one cell spanning the whole table (a banner such as "2016" or "Health Visiting")
  keeps its text in the first column only, so header detection sees a title row, not a data row.
- a table split across pages is usually two tables, the second repeating the first one's header row.
  It stays its own RawTable ("table 2", rows numbered from 1) so provenance points at the exact table
  and row; header detection runs on it again. A note records that it continues the earlier table.
  When the second table does not repeat the header row, ingest reads it with the previous table's
  header if it has as many columns and its first date cell reads as a date (`load._CaseBatch`), and
  notes that; otherwise its rows are rejected as having no header, as for any sheet.
- nested tables (a table inside a cell) are not read; a note names the cell.
- the file is checked before python-docx opens it: not a zip, no word/document.xml -> IngestError;
  an OLE compound file (what Word writes for a password-protected document) -> EncryptedFileError;
  an over-large or over-compressed part, or a DTD / entity declaration anywhere in an XML part (not
  only at its start: a comment of any length may come before a DTD) -> UnsafeFileError.
"""
from __future__ import annotations

import struct
import zipfile
import zlib
from pathlib import Path

from docx.exceptions import PythonDocxError
from docx.opc.exceptions import OpcError
from docx.oxml.ns import qn
from lxml import etree

from ..errors import EncryptedFileError, IngestError, UnsafeFileError
from .readers import _DTD_CARRY, _XML_PART_SUFFIXES, _dtd_in
from .tables import RawTable

#: what a genuine chronology never exceeds; beyond this the file is treated as hostile
MAX_DOCUMENT_XML_BYTES = 200 * 1024 * 1024
MAX_TOTAL_UNCOMPRESSED_BYTES = 400 * 1024 * 1024
MAX_COMPRESSION_RATIO = 200  # deflated XML is ~10:1; zip bombs are 1000:1 and more
MAX_ENTRIES = 10_000

OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
WORD_CONTENT_TYPES = (
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml",
    "application/vnd.ms-word.document.macroEnabled.main+xml",
    "application/vnd.openxmlformats-officedocument.wordprocessingml.template.main+xml",
    "application/vnd.ms-word.template.macroEnabledTemplate.main+xml",
)

_W_TBL = qn("w:tbl")
_W_TR = qn("w:tr")
_W_TC = qn("w:tc")
_W_P = qn("w:p")
_W_R = qn("w:r")
#: runs under these are text the author deleted (tracked changes), not text the document shows
_DELETED = frozenset({qn("w:del"), qn("w:moveFrom")})


def read_docx(path: Path, rel: str, *, dtd_searched: bool = False) -> list[RawTable]:
    """Every top-level table of the Word document at `path`, as RawTables named "table N".

    `rel` is the path relative to the case folder, used in `RawTable.file` and in error messages.
    `dtd_searched`: the caller has already searched every XML part whole for a DTD (`read_tables`
    does, while it inflates the package for its zip bomb check), so `check_docx_package` need not
    inflate them whole again. Raises IngestError (not a Word document, corrupt), EncryptedFileError,
    UnsafeFileError.
    """
    path = Path(path)
    check_docx_package(path, rel, dtd_searched=dtd_searched)
    document = _open_document(path, rel)
    body = document.element.body
    tables: list[RawTable] = []
    previous_header: list[object] | None = None
    for tbl in _top_level_tables(body):
        number = len(tables) + 1
        table = _read_table(tbl, rel, f"table {number}")
        if table.rows and previous_header is not None and _same_header(table.rows[0], previous_header):
            table.notes.append(
                f"continues table {number - 1}: its first row repeats that table's header "
                "(a table split across pages); read as its own table with rows numbered from 1"
            )
        if table.rows:
            previous_header = table.rows[0]
        tables.append(table)
    return tables


# ---------------------------------------------------------------------------------------------------
# Safety checks on the package, before any XML is parsed
# ---------------------------------------------------------------------------------------------------
def check_docx_package(path: Path, rel: str, *, dtd_searched: bool = False) -> None:
    """Refuse files that are not Word packages, are encrypted, or look like zip bombs / XXE carriers.

    Every XML part (.xml, .rels, .vml) is searched whole for a DTD / entity declaration: its first
    64 KB decoded (case-insensitively), the rest in chunks for the byte markers `read_tables` looks
    for. With `dtd_searched` (the caller has searched every part whole already) only the first 64 KB."""
    try:
        with open(path, "rb") as fh:
            head = fh.read(8)
    except OSError as exc:
        raise IngestError(f"cannot open the file: {exc.strerror or exc}", file=rel) from None
    if head == OLE_MAGIC:
        if _looks_encrypted_ole(path):
            raise EncryptedFileError(
                "the Word document is password-protected (encrypted); save an unprotected copy", file=rel
            )
        raise IngestError(
            "this is a Word 97-2003 document (.doc) or another OLE file, not a .docx; save it as .docx",
            file=rel,
        )
    if not zipfile.is_zipfile(path):
        raise IngestError("not a Word document (.docx): the file is not a zip package", file=rel)
    try:
        with zipfile.ZipFile(path) as archive:
            infos = archive.infolist()
            if len(infos) > MAX_ENTRIES:
                raise UnsafeFileError(f"the package has {len(infos)} parts (limit {MAX_ENTRIES})", file=rel)
            names = {info.filename for info in infos}
            if "word/document.xml" not in names:
                raise IngestError("not a Word document (.docx): no word/document.xml in the package", file=rel)
            total = 0
            for info in infos:
                total += info.file_size
                if info.filename == "word/document.xml" and info.file_size > MAX_DOCUMENT_XML_BYTES:
                    raise UnsafeFileError(
                        f"word/document.xml would expand to {info.file_size / 1e6:.0f} MB "
                        f"(limit {MAX_DOCUMENT_XML_BYTES / 1e6:.0f} MB)",
                        file=rel,
                    )
                if info.file_size > 10 * 1024 * 1024 and info.file_size > MAX_COMPRESSION_RATIO * max(info.compress_size, 1):
                    raise UnsafeFileError(
                        f"{info.filename} is compressed {info.file_size // max(info.compress_size, 1)}:1 "
                        "(a zip bomb?)",
                        file=rel,
                    )
            if total > MAX_TOTAL_UNCOMPRESSED_BYTES:
                raise UnsafeFileError(
                    f"the package would expand to {total / 1e6:.0f} MB "
                    f"(limit {MAX_TOTAL_UNCOMPRESSED_BYTES / 1e6:.0f} MB)",
                    file=rel,
                )
            for info in infos:
                if info.filename.lower().endswith(_XML_PART_SUFFIXES) and not info.is_dir():
                    with archive.open(info) as part:
                        prolog = part.read(64 * 1024)
                        dtd = _declares_dtd(prolog) or (not dtd_searched and _rest_declares_dtd(part, prolog))
                    if dtd:
                        raise UnsafeFileError(
                            f"{info.filename} declares a DTD or entities (XML external entity risk)", file=rel
                        )
    except zipfile.BadZipFile as exc:
        raise IngestError(f"corrupt Word document: {exc}", file=rel) from None
    except (OSError, EOFError, NotImplementedError, RuntimeError, zlib.error, struct.error) as exc:
        raise IngestError(f"corrupt Word document: {exc}", file=rel) from None


def _looks_encrypted_ole(path: Path) -> bool:
    # An encrypted OOXML file is an OLE compound file holding "EncryptionInfo" and "EncryptedPackage"
    # streams; directory entry names are UTF-16LE. A plain .doc holds a "WordDocument" stream instead.
    with open(path, "rb") as fh:
        data = fh.read(4 * 1024 * 1024)
    return "EncryptionInfo".encode("utf-16-le") in data or "EncryptedPackage".encode("utf-16-le") in data


def _rest_declares_dtd(part, prolog: bytes) -> bool:
    """Whether a DTD marker (as `read_tables` looks for them) is in the rest of the open `part`, whose
    first bytes `prolog` were (read in chunks; zipfile reads no more than the declared size)."""
    dtd, tail = False, prolog[-_DTD_CARRY:]
    while not dtd and (chunk := part.read(1 << 20)):
        dtd, tail = _dtd_in(chunk, tail)
    return dtd


def _declares_dtd(prolog: bytes) -> bool:
    if prolog.startswith((b"\xff\xfe", b"\xfe\xff")):
        text = prolog.decode("utf-16", errors="ignore")
    else:
        text = prolog.decode("utf-8", errors="ignore")
    upper = text.upper()
    return "<!DOCTYPE" in upper or "<!ENTITY" in upper


#: what python-docx raises for a damaged package: zipfile's errors for a damaged member (bad CRC, cut
#: short, encrypted, an unknown compression method), KeyError for a part the relationships name but the
#: zip lacks, lxml's for XML that is not well-formed, AttributeError / TypeError / IndexError / ValueError
#: for XML of the wrong shape (a relationships part without relationships), its own errors
_PACKAGE_ERRORS = (
    zipfile.BadZipFile, zlib.error, EOFError, OSError, NotImplementedError, RuntimeError, struct.error,
    KeyError, IndexError, AttributeError, TypeError, ValueError, etree.LxmlError, OpcError, PythonDocxError,
)


def _open_document(path: Path, rel: str):
    from docx.package import Package

    try:
        document_part = Package.open(str(path)).main_document_part
    except _PACKAGE_ERRORS as exc:
        raise IngestError(f"corrupt Word document: {type(exc).__name__}: {exc}", file=rel) from None
    if document_part.content_type not in WORD_CONTENT_TYPES:
        raise IngestError(f"not a Word document: content type is {document_part.content_type!r}", file=rel)
    document = document_part.document
    # a main part whose root is not <w:document> (or has no <w:body>) gives python-docx an element
    # without the `body` the tables are read from
    if getattr(document.element, "body", None) is None:
        raise IngestError("corrupt Word document: the main document part holds no document body", file=rel)
    return document


# ---------------------------------------------------------------------------------------------------
# Tables
# ---------------------------------------------------------------------------------------------------
def _top_level_tables(body):
    """w:tbl elements of the body (also inside content controls) that are not inside another table."""
    for tbl in body.iter(_W_TBL):
        if not _has_table_ancestor(tbl, stop=body):
            yield tbl


def _has_table_ancestor(element, stop) -> bool:
    parent = element.getparent()
    while parent is not None and parent is not stop:
        if parent.tag == _W_TBL:
            return True
        parent = parent.getparent()
    return False


def _nearest_table(element):
    parent = element.getparent()
    while parent is not None:
        if parent.tag == _W_TBL:
            return parent
        parent = parent.getparent()
    return None


def _cell_text(tc, tbl) -> str:
    """The cell's paragraphs joined by newlines, as Word shows them with tracked changes accepted.

    Paragraphs of nested tables and of text boxes (a paragraph inside a paragraph) are left out.
    """
    texts = [_paragraph_text(p) for p in tc.iter(_W_P) if _nearest_table(p) is tbl and not _in_paragraph(p, tc)]
    return "\n".join(texts).strip()


def _in_paragraph(p, stop) -> bool:
    parent = p.getparent()
    while parent is not None and parent is not stop:
        if parent.tag == _W_P:
            return True
        parent = parent.getparent()
    return False


def _paragraph_text(p) -> str:
    # python-docx's Paragraph.text reads only direct w:r and w:hyperlink children, missing tracked
    # insertions (w:ins), content controls (w:sdt), fields (w:fldSimple) and smart tags
    parts = []
    for run in p.iter(_W_R):
        node, shown = run.getparent(), True
        while node is not None and node is not p:
            if node.tag in _DELETED or node.tag == _W_P:
                shown = False
                break
            node = node.getparent()
        if shown:
            parts.append(run.text)
    return "".join(parts)


def _int_attr(element, child: str, attr: str = "w:val", default: int = 0) -> int:
    if element is None:
        return default
    node = element.find(qn(child))
    if node is None:
        return default
    try:
        return int(node.get(qn(attr)))
    except (TypeError, ValueError):
        return default


def _rows_of(tbl):
    """w:tr elements of this table, including rows wrapped in content controls, not nested tables'."""
    for tr in tbl.iter(_W_TR):
        if _nearest_table(tr) is tbl:
            yield tr


def _cells_of(tr):
    for tc in tr.iter(_W_TC):
        if _nearest_row(tc) is tr:
            yield tc


def _nearest_row(element):
    parent = element.getparent()
    while parent is not None:
        if parent.tag == _W_TR:
            return parent
        parent = parent.getparent()
    return None


def _read_table(tbl, rel: str, sheet: str) -> RawTable:
    grid = tbl.find(qn("w:tblGrid"))
    grid_width = len(grid.findall(qn("w:gridCol"))) if grid is not None else 0
    notes: list[str] = []
    merged = False
    raw_rows: list[list[object]] = []
    continuations: set[int] = set()  # rows whose every filled cell continues a vertical merge
    above: list[object] = []
    for row_number, tr in enumerate(_rows_of(tbl), start=1):
        tr_pr = tr.find(qn("w:trPr"))
        before = _int_attr(tr_pr, "w:gridBefore")
        after = _int_attr(tr_pr, "w:gridAfter")
        values: list[object] = [None] * before
        spans: list[int] = []
        carried: set[int] = set()
        for tc in _cells_of(tr):
            tc_pr = tc.find(qn("w:tcPr"))
            span = max(_int_attr(tc_pr, "w:gridSpan", default=1), 1)
            vmerge = tc_pr.find(qn("w:vMerge")) if tc_pr is not None else None
            start = len(values)
            if vmerge is not None and vmerge.get(qn("w:val")) in (None, "continue"):
                # continuation of a vertical merge: carry the value from the row above
                value = above[start] if start < len(above) else None
                merged = True
                carried.update(range(start, start + span))
            else:
                text = _cell_text(tc, tbl)
                value = text if text != "" else None
            if tc.find(f".//{_W_TBL}") is not None:
                notes.append(f"row {row_number}, column {start + 1}: a nested table inside the cell was not read")
            values.extend([value] * span)
            spans.append(span)
        values.extend([None] * after)
        width = max(grid_width, len(values))
        if len(spans) == 1 and spans[0] > 1 and before == 0 and after == 0 and spans[0] >= width:
            # one cell across the whole table: a banner / section heading, not a row of data
            values = [values[0]] + [None] * (len(values) - 1)
        elif any(s > 1 for s in spans):
            merged = True
        if carried and all(c in carried for c, v in enumerate(values) if v is not None):
            continuations.add(len(raw_rows))
        raw_rows.append(values)
        above = values
    width = max([grid_width] + [len(r) for r in raw_rows]) if raw_rows else 0
    rows = [r + [None] * (width - len(r)) for r in raw_rows]
    if merged:
        notes.append("merged cells were filled with the merged cell's value")
    return RawTable(
        file=rel,
        sheet=sheet,
        rows=rows,
        row_numbers=list(range(1, len(rows) + 1)),
        hidden=False,
        merged_filled=merged,
        notes=notes,
        continuation_rows=frozenset(continuations),
    )


def _same_header(first_row: list[object], header: list[object]) -> bool:
    def norm(row):
        return [" ".join(str(v).split()).casefold() for v in row if v not in (None, "")]

    a, b = norm(first_row), norm(header)
    return bool(a) and len(a) >= 2 and a == b
