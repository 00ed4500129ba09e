"""Readers: one agency file (xlsx, xlsm, xls, ods, csv, docx) into `RawTable`s, one per sheet.

The file's content decides the reader, not its name: an xlsx saved as .xls is read as xlsx, and a text
or HTML file named .xlsx is refused with one clear `IngestError`. Excel and OpenDocument files are read
with python-calamine (cached formula values). Merged ranges are filled from their top-left cell: calamine
reports them for xlsx and xls, content.xml is walked for ods, and openpyxl (slow) is only a fallback
for a calamine too old to report them. Row numbers are the ones the spreadsheet shows (1-based, blank
rows counted).

Before any parser opens a zip package, every member is inflated once to check its true size (zip
bombs), and while it is inflated each XML part is searched, whole, for a DTD (entities); a stored XML
part's bytes are searched as they are. The xlsx parts that pass whole are kept from that pass for the
xlsx checks that read them (used range, formulas without a saved value), so a sheet's XML is inflated
once here and once more by calamine, not three times. A member zipfile cannot read (bad CRC, cut
short, encrypted, an unknown compression method, a local header that does not match the directory) is
an `IngestError` naming the file and the member, never zipfile's own exception.
"""
from __future__ import annotations

import codecs
import csv
import datetime as dt
import io
import re
import struct
import zipfile
import zlib
from itertools import chain
from pathlib import Path

from ..config import TEXT_SUFFIXES, CaseConfig, FileSpec
from ..errors import ConfigError, EncryptedFileError, FileTooLargeError, IngestError, UnsafeFileError
from .tables import RawTable

OLE2_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
ZIP_MAGIC = b"PK\x03\x04"
EMPTY_ZIP_MAGIC = b"PK\x05\x06"
CSV_DELIMITERS = ",;\t|"
#: a zip whose contents inflate more than this many times (and past MAX_INFLATED_MB) is refused
MAX_INFLATE_RATIO = 200
MAX_INFLATED_MB = 500
#: a sheet whose used range (A1 to its last cell with a value) holds more cells than this is refused:
#: the workbook parser allocates the whole range, so one stray value in XFD1048576 would exhaust memory
MAX_SHEET_CELLS = 20_000_000
HIDDEN_NOTE = "hidden sheet: not read (name it under `sheets:` for this file in case.yml to read it)"


def read_tables(path: Path, spec: FileSpec, case: CaseConfig) -> list[RawTable]:
    """Read every sheet of the file at `path` (declared in case.yml as `spec`) into `RawTable`s.

    Hidden sheets give an empty table with ``hidden=True`` and a note unless `spec.sheets` names them.
    Raises `IngestError` (or `EncryptedFileError`, `FileTooLargeError`, `UnsafeFileError`) naming the
    file when it cannot be read at all.
    """
    path = Path(path)
    rel = spec.path
    try:
        size = path.stat().st_size
    except OSError as exc:
        raise IngestError(f"cannot open the file: {exc.strerror or exc}", file=rel) from None
    if size > case.max_file_mb * 1024 * 1024:
        raise FileTooLargeError(
            f"the file is {size / 1024 / 1024:.1f} MB, over the limit of {case.max_file_mb:g} MB "
            "(raise max_file_mb in case.yml if it is genuine)",
            file=rel,
        )
    if size == 0:
        raise IngestError("the file is empty (0 bytes)", file=rel)
    kind, parts = _sniff(path, rel)
    if kind == "docx":
        return _chosen_tables(_read_docx(path, rel), spec)
    if kind == "csv":
        if spec.sheets:
            raise ConfigError(
                f"`sheets:` names {', '.join(map(repr, spec.sheets))} for {rel!r}, but the file is csv text "
                "(whatever its name says), which has no sheets: remove `sheets:` for that file",
                file=case.case_file,
            )
        table = read_csv(path, rel)
        if not _has_data(table):
            raise IngestError("the file holds no data (only blank lines)", file=rel)
        return [table]
    tables = _read_workbook(path, rel, kind, spec, parts)
    if not any(t.hidden or _has_data(t) for t in tables):
        raise IngestError("the workbook is empty: no sheet holds any data", file=rel)
    return tables


def _chosen_tables(tables: list[RawTable], spec: FileSpec) -> list[RawTable]:
    """A Word file's tables that `spec.sheets` names ("table 2", as the ingest report names them); all
    of them when it names none. A name the document does not have is an `IngestError`."""
    if not spec.sheets:
        return tables
    names = [t.sheet for t in tables]
    missing = [s for s in spec.sheets if s not in names]
    if missing:
        raise IngestError(
            f"table(s) {', '.join(map(repr, missing))} named under `sheets:` in case.yml not found; a Word "
            f"file's tables are named 'table 1', 'table 2', ... in order, and this one has "
            f"{', '.join(map(repr, names)) or 'no tables'}",
            file=spec.path,
        )
    wanted = set(spec.sheets)
    return [t for t in tables if t.sheet in wanted]


def _has_data(table: RawTable) -> bool:
    return any(v is not None for row in table.rows for v in row)


# ---------------------------------------------------------------------------------------------------
# What is this file, really?
# ---------------------------------------------------------------------------------------------------
def sniff_kind(path: Path, rel: str) -> str:
    """'xlsx', 'xls', 'ods', 'docx' or 'csv', from the file's first bytes (and zip directory)."""
    return _sniff(path, rel)[0]


def _sniff(path: Path, rel: str) -> tuple[str, _XlsxParts | None]:
    """(kind as `sniff_kind` gives it, for an xlsx its parts as the zip checks left them, else None).

    A file that cannot be opened or read (permissions, a directory, gone) is an `IngestError` naming it."""
    head = _read_start(path, rel, 8)
    suffix = path.suffix.lower()
    if head.startswith((ZIP_MAGIC, EMPTY_ZIP_MAGIC)):
        return _zip_kind(path, rel)
    if head.startswith(OLE2_MAGIC):
        if _ole2_is_encrypted_ooxml(path):
            raise EncryptedFileError(
                "the workbook is password-protected (encrypted); remove the password in Excel and save again",
                file=rel,
            )
        if suffix == ".docx":
            raise IngestError("an old Word .doc file, not .docx; save it as .docx", file=rel)
        return "xls", None
    # Not a zip, not OLE2: text (csv) or something else pretending.
    sample = _read_start(path, rel, 4096)
    if sample.lstrip(b"\xef\xbb\xbf \t\r\n").startswith(b"<?xml"):
        raise IngestError(
            "an XML file, not a workbook (an 'XML Spreadsheet 2003' export?): open it in Excel and save it as .xlsx",
            file=rel,
        )
    if _looks_like_html(sample):
        raise IngestError(
            f"an HTML page, not a spreadsheet (some systems export web pages named {suffix or 'as spreadsheets'}): "
            "open it in Excel and save it as .xlsx",
            file=rel,
        )
    if suffix in TEXT_SUFFIXES:
        return "csv", None
    if _looks_like_text(sample):
        raise IngestError(
            f"not a spreadsheet: the file is plain text named {suffix or 'without a suffix'}; "
            "if it is a CSV export, rename it to .csv",
            file=rel,
        )
    raise IngestError(f"not a spreadsheet: the content is not a {suffix or 'known'} file", file=rel)


def _read_start(path: Path, rel: str, size: int) -> bytes:
    """The file's first `size` bytes; an unreadable file an `IngestError` naming it, as `read_tables` says it."""
    try:
        with open(path, "rb") as fh:
            return fh.read(size)
    except OSError as exc:
        raise IngestError(f"cannot open the file: {exc.strerror or exc}", file=rel) from None


def _zip_kind(path: Path, rel: str) -> tuple[str, _XlsxParts | None]:
    """(kind, for an xlsx its parts, holding the ones the checks inflated whole)."""
    try:
        with _open_zip(path, rel) as zf:
            infos = zf.infolist()
            names = {i.filename for i in infos}
            inflated, searched = _check_inflation(infos, path, rel)
            app = "Word" if "word/document.xml" in names else "LibreOffice or Excel" if "content.xml" in names else "Excel"
            _check_xml_entities(zf, infos, rel, inflated, app, searched)
            if "xl/workbook.xml" in names or "xl/workbook.bin" in names:
                if "xl/workbook.bin" in names and "xl/workbook.xml" not in names:
                    raise IngestError("an Excel binary workbook (.xlsb) is not supported; save it as .xlsx", file=rel)
                # by name, as zipfile reads a name: the last member of that name (a duplicate name
                # whose last member was not kept is read from the zip again)
                parts = {}
                for index, info in enumerate(infos):
                    if index in inflated:
                        parts[info.filename] = inflated[index]
                    else:
                        parts.pop(info.filename, None)
                return "xlsx", _XlsxParts(path, parts, [i.filename for i in infos], rel)
            if "word/document.xml" in names:
                return "docx", None
            if "content.xml" in names:
                mimetype = _read_member(zf, "mimetype", rel, app=app) if "mimetype" in names else b""
                mimetype = mimetype.decode("ascii", "replace").strip()
                if "spreadsheet" in mimetype or not mimetype:
                    return "ods", None
                raise IngestError(f"an OpenDocument file of type {mimetype!r}, not a spreadsheet", file=rel)
    except zipfile.BadZipFile as exc:
        raise IngestError(f"the file is corrupt (damaged zip archive: {exc}); save it again from Excel", file=rel) from None
    raise IngestError("a zip archive, but not an Excel, OpenDocument or Word file", file=rel)


#: what `zipfile` raises for a damaged archive or member besides `BadZipFile`: a short or invalid stream
#: (EOFError, zlib.error, OSError from bz2/lzma or from a seek to an offset the directory invents), a
#: member it cannot read (NotImplementedError: an unknown compression method, the patched-data or
#: strong-encryption flag, a zip version it does not know; RuntimeError: the encrypted flag), fields
#: too short to unpack (struct.error). Caught only around the calls that read the zip.
_ZIP_ERRORS = (zipfile.BadZipFile, zlib.error, EOFError, OSError, NotImplementedError, RuntimeError, struct.error)


def _open_zip(path: Path, rel: str) -> zipfile.ZipFile:
    """`zipfile.ZipFile(path)`, a damaged directory an `IngestError` naming the file."""
    try:
        return zipfile.ZipFile(path)
    except _ZIP_ERRORS as exc:
        raise IngestError(
            f"the file is corrupt (damaged zip archive: {_zip_reason(exc)}); save it again from Excel", file=rel
        ) from None


def _read_member(
    zf: zipfile.ZipFile, member: str | zipfile.ZipInfo, rel: str | None, size: int = -1, app: str = "Excel"
) -> bytes:
    """The first `size` bytes (all with -1) of a zip member, as `zf.open(member).read(size)` gives them;
    a damaged member (bad CRC, cut short, invalid stream, encrypted, an unknown compression method,
    a local header that does not match the directory) an `IngestError` naming the file and the member,
    telling the user to save it again from `app`."""
    try:
        with zf.open(member) as fh:
            return fh.read(size)
    except _ZIP_ERRORS as exc:
        raise _damaged_member(member, exc, rel, app) from None


def _member_declares_dtd(zf: zipfile.ZipFile, info: zipfile.ZipInfo, rel: str | None, app: str = "Excel") -> bool:
    """Whether a DTD marker is in a zip member, read whole through zipfile in chunks (its first 8 KB
    first, as `_read_member(zf, info, rel, 8192, app)` reads them), stopping at the first marker; a
    member zipfile cannot read is the `IngestError` `_read_member` gives. zipfile reads no more than
    the size the directory declares."""
    try:
        with zf.open(info) as fh:
            dtd, tail = _dtd_in(fh.read(8192), b"")
            while not dtd and (chunk := fh.read(1 << 16)):
                dtd, tail = _dtd_in(chunk, tail)
            return dtd
    except _ZIP_ERRORS as exc:
        raise _damaged_member(info, exc, rel, app) from None


def _damaged_member(member: str | zipfile.ZipInfo, exc: Exception, rel: str | None, app: str) -> IngestError:
    name = member.filename if isinstance(member, zipfile.ZipInfo) else member
    return IngestError(
        f"the file is corrupt (damaged zip entry {name!r}: {_zip_reason(exc)}); save it again from {app}", file=rel
    )


def _zip_reason(exc: Exception) -> str:
    """What went wrong with a zip archive or member, in words (zipfile's own are sometimes none at all,
    a ZipInfo repr, or the raw bytes of a header)."""
    text = str(exc)
    if isinstance(exc, zipfile.BadZipFile) and text.startswith("File name in directory"):
        return "its local header names another file than the zip directory does"
    if isinstance(exc, RuntimeError) and "encrypted" in text:
        return "the entry is encrypted, which Office never does"
    if isinstance(exc, EOFError):
        return "the data ends too soon"
    if isinstance(exc, OSError) and not isinstance(exc, zipfile.BadZipFile):
        return f"unreadable data: {exc.strerror or _short(exc)}"
    return _short(exc)


def _check_inflation(
    infos: list[zipfile.ZipInfo], path: Path, rel: str
) -> tuple[dict[int, bytes], dict[int, bool]]:
    """Refuse a zip bomb: by the sizes the directory declares, then by the sizes the members really
    inflate to (`_check_declared_sizes`, whose kept parts and DTD search this returns)."""
    inflated = sum(i.file_size for i in infos)
    compressed = max(path.stat().st_size, 1)
    if inflated > MAX_INFLATED_MB * 1024 * 1024 and inflated / compressed > MAX_INFLATE_RATIO:
        raise UnsafeFileError(
            f"refused: the archive inflates to {inflated / 1024 / 1024:.0f} MB from {compressed / 1024 / 1024:.1f} MB "
            "(a zip bomb?)",
            file=rel,
        )
    return _check_declared_sizes(infos, path, rel)


#: inflated bytes allowed past a member's declared size before the archive is called a liar
_SIZE_SLACK = 1024 * 1024
#: the XML parts (as `_check_xml_entities` picks them) whose inflated bytes the size check keeps: every
#: worksheet and every small part, up to this many bytes in all per file (a larger part is read from the
#: zip again when needed, as before)
_KEEP_PART_BYTES = 64 * 1024
_KEEP_TOTAL_BYTES = 64 * 1024 * 1024
#: general purpose flags under which zipfile reads a member differently or not at all: encrypted,
#: compressed patch data, strong encryption
_UNKEPT_FLAGS = 0x1 | 0x20 | 0x40


def _check_declared_sizes(
    infos: list[zipfile.ZipInfo], path: Path, rel: str
) -> tuple[dict[int, bytes], dict[int, bool]]:
    """Inflate every deflated member, in bounded chunks, and refuse the archive when one inflates past
    the size its directory declares: a zip bomb that understates its sizes would otherwise pass the
    directory check and be inflated whole by the workbook parser (which trusts the stream, not the
    directory). Stops at the first lie; costs one decompression pass of the file. Each stored XML part's
    bytes are read too, for the DTD search (`_stored_declares_dtd`).

    Returns (kept, searched). kept: {index in `infos`: inflated bytes} of the XML parts worth keeping
    (`_KEEP_PART_BYTES`) that zipfile would read to exactly these bytes without an error: not
    encrypted, the same (ASCII) name in the local header, the stream complete and as long as declared,
    the CRC right. Anything else is left to zipfile, so that its reading (and its errors) stay what
    they were. searched: {index: whether a DTD marker is in it} of the XML parts (as
    `_check_xml_entities` picks them) this pass saw whole: each deflated one, searched while it is
    inflated (a kept part among them), and each stored one whose local header is sound, its bytes
    read as they are (at most its compressed size, so bounded by the file's). A DTD is not refused
    here but by `_check_xml_entities`, in member order, so that a file refused for another reason
    still is, with the same error."""
    kept: dict[int, bytes] = {}
    searched: dict[int, bool] = {}
    budget = _KEEP_TOTAL_BYTES
    with open(path, "rb") as fh:
        for index, info in enumerate(infos):
            if info.filename.endswith("/"):  # is_dir(), for "" too
                continue
            xml = info.filename.lower().endswith(_XML_PART_SUFFIXES)
            if info.compress_type == zipfile.ZIP_STORED and xml:
                dtd = _stored_declares_dtd(fh, info)
                if dtd is not None:
                    searched[index] = dtd
                continue
            if info.compress_type != zipfile.ZIP_DEFLATED:
                continue
            if info.header_offset < 0:  # an offset before the archive's start (a damaged directory)
                raise IngestError(f"the file is corrupt (damaged zip entry {info.filename!r})", file=rel)
            fh.seek(info.header_offset)
            header = fh.read(30)
            if len(header) < 30 or header[:4] != ZIP_MAGIC:
                raise IngestError(f"the file is corrupt (damaged zip entry {info.filename!r})", file=rel)
            name_length, extra_length = struct.unpack("<HH", header[26:30])
            keep = (
                xml
                and info.file_size <= budget
                and not info.flag_bits & _UNKEPT_FLAGS
                and (info.file_size <= _KEEP_PART_BYTES or info.filename.startswith("xl/worksheets/"))
                and info.orig_filename.isascii()
                and fh.read(name_length) == info.orig_filename.encode("ascii")
            )
            fh.seek(info.header_offset + 30 + name_length + extra_length)
            inflater = zlib.decompressobj(-15)
            limit = info.file_size + _SIZE_SLACK
            produced, left = 0, info.compress_size
            pieces = []
            dtd, tail = False, b""
            try:
                while left > 0 and not inflater.eof:
                    chunk = fh.read(min(left, 1 << 16))
                    if not chunk:
                        break
                    left -= len(chunk)
                    data = chunk
                    while data and not inflater.eof:
                        piece = inflater.decompress(data, 1 << 20)
                        produced += len(piece)
                        if xml and not dtd:
                            dtd, tail = _dtd_in(piece, tail)
                        if keep:
                            pieces.append(piece)
                        data = inflater.unconsumed_tail
                        if produced > limit:
                            raise UnsafeFileError(
                                f"refused: the part {info.filename!r} declares {info.file_size} bytes but inflates to "
                                "more (a zip bomb?)",
                                file=rel,
                            )
            except zlib.error as exc:
                raise IngestError(f"the file is corrupt (damaged zip entry {info.filename!r}: {exc})", file=rel) from None
            if xml:
                searched[index] = dtd
            if keep and inflater.eof and produced == info.file_size:
                data = pieces[0] if len(pieces) == 1 else b"".join(pieces)
                if zlib.crc32(data) == info.CRC:
                    kept[index] = data
                    budget -= produced
    return kept, searched


def _stored_declares_dtd(fh, info: zipfile.ZipInfo) -> bool | None:
    """Whether a DTD marker is in a stored (uncompressed) member's bytes, read from the open archive
    `fh` in chunks, at most its compressed size; None when its local header is not sound (left to
    zipfile, whose error it gives)."""
    if info.header_offset < 0:
        return None
    fh.seek(info.header_offset)
    header = fh.read(30)
    if len(header) < 30 or header[:4] != ZIP_MAGIC:
        return None
    name_length, extra_length = struct.unpack("<HH", header[26:30])
    fh.seek(info.header_offset + 30 + name_length + extra_length)
    dtd, tail, left = False, b"", info.compress_size
    while left > 0 and not dtd:
        chunk = fh.read(min(left, 1 << 16))
        if not chunk:
            break
        left -= len(chunk)
        dtd, tail = _dtd_in(chunk, tail)
    return dtd


#: what opens a DTD in an XML part (ASCII, UTF-16 LE and BE): Office files never have one; a DTD can
#: declare external or exponentially expanding entities (XXE, "billion laughs")
_DTD_MARKERS = tuple(
    marker.encode(encoding) for marker in ("<!DOCTYPE", "<!ENTITY", "<!doctype", "<!entity")
    for encoding in ("ascii", "utf-16-le", "utf-16-be")
)
_ASCII_DTD_MARKERS = tuple(marker for marker in _DTD_MARKERS if b"\x00" not in marker)
#: bytes of one piece carried to the next, so that a marker split between two pieces is found
_DTD_CARRY = max(len(marker) for marker in _DTD_MARKERS) - 1


def _dtd_in(piece: bytes, tail: bytes) -> tuple[bool, bytes]:
    """(whether a DTD marker is in `piece` or spans `tail` + `piece`, the tail to carry to the next
    piece): `tail` is the last `_DTD_CARRY` bytes before `piece` (b"" at the start of a part)."""
    joint = tail + piece[:_DTD_CARRY]
    found = (_may_hold_dtd(joint) and _holds_dtd(joint)) or (_may_hold_dtd(piece) and _holds_dtd(piece))
    tail = piece[-_DTD_CARRY:] if len(piece) >= _DTD_CARRY else (tail + piece)[-_DTD_CARRY:]
    return found, tail


def _may_hold_dtd(data: bytes) -> bool:
    """False when no DTD marker can be in `data`, found cheaply: every marker holds "<!" (ASCII) or
    "<\\0!" (UTF-16), a "!" after "<" or NUL, and the XML Office writes holds few "!" or none, so
    the first of them are looked at one by one (memchr); past 64, the byte before each of the others
    is looked at all at once (numpy: a byte search for "<!" is slow in XML, where "<" abounds)."""
    at = data.find(b"!")
    for _ in range(64):
        if at < 0:
            return False
        if at and data[at - 1] in (0x3C, 0x00):
            return True
        at = data.find(b"!", at + 1)
    if at < 0:
        return False
    import numpy as np

    codes = np.frombuffer(data, np.uint8)
    before = codes[at - 1: -1][codes[at:] == 0x21]
    return bool(((before == 0x3C) | (before == 0x00)).any())


def _holds_dtd(data: bytes) -> bool:
    """Whether a DTD marker is in `data`: without a NUL byte it is not UTF-16 (UTF-8 XML holds none),
    so only the ASCII markers are looked for, and only when a "<!" is there."""
    if b"\x00" in data:
        return any(marker in data for marker in _DTD_MARKERS)
    return b"<!" in data and any(marker in data for marker in _ASCII_DTD_MARKERS)


#: the parts `_check_xml_entities` reads (lower-case name endings)
_XML_PART_SUFFIXES = (".xml", ".rels", ".vml")


def _check_xml_entities(
    zf: zipfile.ZipFile,
    infos: list[zipfile.ZipInfo],
    rel: str,
    inflated: dict[int, bytes] | None = None,
    app: str = "Excel",
    searched: dict[int, bool] | None = None,
) -> None:
    """Refuse a package whose XML parts declare a DTD (entities) before any parser opens them.

    Each part is searched whole, not just its start: a DTD comes before the root element, but a comment
    or processing instruction of any length may come before it. Past the root element a literal
    "<!DOCTYPE" or "<!ENTITY" could only be inside a comment, a processing instruction or a CDATA
    section (in text or an attribute it is "&lt;!DOCTYPE"), which Office and LibreOffice never write
    there, so searching the whole part refuses no genuine file and needs no XML parsing to find where
    the root element starts. The search was mostly done already: `searched` ({index in `infos`:
    DTD marker found}, as `_check_declared_sizes` gives it) for the parts that pass saw whole. A part
    it did not (compressed some other way, or a stored part whose local header is not sound) is read
    whole from the zip here, in chunks. A part the pass saw whole but did not keep (`inflated`, {index:
    bytes} as `_check_declared_sizes` keeps them, is not read again) still has its first 8 KB read from
    the zip, as before, so that a member zipfile cannot read is the same `IngestError` (save it again
    from `app`) it always was. Parts are refused in member order."""
    inflated = inflated or {}
    searched = searched or {}
    for index, info in enumerate(infos):
        if not info.filename.lower().endswith(_XML_PART_SUFFIXES) or info.is_dir():
            continue
        if index in inflated:
            dtd = searched[index] if index in searched else _dtd_in(inflated[index], b"")[0]
        elif index in searched:
            head = _read_member(zf, info, rel, 8192, app)
            dtd = searched[index] or _dtd_in(head, b"")[0]
        else:
            dtd = _member_declares_dtd(zf, info, rel, app)
        if dtd:
            raise UnsafeFileError(
                f"refused: the part {info.filename!r} declares XML entities (<!DOCTYPE/<!ENTITY), which "
                "Office never writes (an XML external entity attack?)",
                file=rel,
            )


_MAIN_NS = "{http://schemas.openxmlformats.org/spreadsheetml/2006/main}"
_REL_NS = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}"


class _XlsxParts:
    """The parts of an xlsx, read as `zipfile.ZipFile` reads them (`namelist`, `read`): from the bytes
    the zip checks kept (`_check_declared_sizes`: complete, CRC checked), else from the zip, which is
    opened only then."""

    def __init__(
        self, path: Path, kept: dict[str, bytes] | None = None, names: list[str] | None = None, rel: str | None = None
    ):
        self._path = path
        self._kept = kept or {}
        self._names = names
        self._rel = rel
        self._zf: zipfile.ZipFile | None = None

    def _zip(self) -> zipfile.ZipFile:
        if self._zf is None:
            self._zf = _open_zip(self._path, self._rel)
        return self._zf

    def namelist(self) -> list[str]:
        return self._zip().namelist() if self._names is None else self._names

    def read(self, name: str) -> bytes:
        data = self._kept.get(name)
        return _read_member(self._zip(), name, self._rel) if data is None else data

    def close(self) -> None:
        if self._zf is not None:
            self._zf.close()
            self._zf = None


def _xlsx_sheet_parts(
    zf: zipfile.ZipFile | _XlsxParts, sheet_names: list[str], file: str | None = None
) -> list[tuple[str, str]]:
    """(sheet name, zip part) of the named sheets of an open xlsx, through the workbook's relationships.

    A part that is not well-formed XML (or declares entities) is an `IngestError` (`UnsafeFileError`)
    naming `file`."""
    import posixpath

    names = set(zf.namelist())
    if "xl/workbook.xml" not in names or "xl/_rels/workbook.xml.rels" not in names:
        return []
    targets = {}
    for rel in _parse_part(zf, "xl/_rels/workbook.xml.rels", file):
        target = rel.get("Target", "")
        target = target.lstrip("/") if target.startswith("/") else posixpath.normpath(posixpath.join("xl", target))
        targets[rel.get("Id")] = target
    sheets = _parse_part(zf, "xl/workbook.xml", file).find(f"{_MAIN_NS}sheets")
    parts = []
    for sheet in [] if sheets is None else sheets:
        name, part = sheet.get("name"), targets.get(sheet.get(f"{_REL_NS}id"))
        if name in sheet_names and part in names:
            parts.append((name, part))
    return parts


def _parse_part(zf: zipfile.ZipFile | _XlsxParts, part: str, file: str | None):
    """The root element of an xlsx part, parsed with defusedxml."""
    from defusedxml import DefusedXmlException, ElementTree

    data = zf.read(part)
    try:
        return ElementTree.fromstring(data)
    except (ElementTree.ParseError, DefusedXmlException) as exc:
        raise _bad_xml(f"the part {part!r}", exc, file) from None


def _bad_xml(what: str, exc: Exception, rel: str | None, sheet: str | None = None) -> IngestError:
    """The error for XML (`what`: "the part 'xl/workbook.xml'") defusedxml refused: it declares entities
    (`UnsafeFileError`, as `_check_xml_entities` says it when it sees the DTD) or it is not well-formed
    (`IngestError`)."""
    from defusedxml import DefusedXmlException

    if isinstance(exc, DefusedXmlException):
        return UnsafeFileError(
            f"refused: {what} declares XML entities (<!DOCTYPE/<!ENTITY), which Office never writes "
            "(an XML external entity attack?)",
            file=rel,
            sheet=sheet,
        )
    return IngestError(
        f"the file is corrupt ({what} is not well-formed XML: {_short(exc)}); save it again from Excel",
        file=rel,
        sheet=sheet,
    )


def _scan_xlsx_sheets(
    path: Path, sheet_names: list[str], parts: _XlsxParts | None = None
) -> tuple[dict[str, tuple[int, int, str] | None], dict[str, bytes]]:
    """Each sheet's XML read (and inflated) once for the two checks that need it: ({sheet: extent} as
    `_sheet_extent` gives it, {sheet: XML} of the sheets holding a formula, for `_uncached_formulas`).

    The XML comes from `parts` (the zip checks' kept parts) where it can, else from the zip. Only the
    formula sheets' XML is kept; they are parsed later, when the first sheet has been read, as before."""
    extents: dict[str, tuple[int, int, str] | None] = {}
    formula_sheets: dict[str, bytes] = {}
    zf = _XlsxParts(path) if parts is None else parts
    try:
        for name, part in _xlsx_sheet_parts(zf, sheet_names, zf._rel):
            xml = zf.read(part)
            extents[name] = _sheet_extent(xml)
            if _has_formula(xml):
                formula_sheets[name] = xml
    finally:
        zf.close()
    return extents, formula_sheets


def _has_formula(xml: bytes) -> bool:
    """Whether a sheet's XML has a formula element: holds <f>, <f (space), :f> or :f (space).

    Looks at every "f" byte and its two neighbours, with numpy: a substring search for "<f" runs at
    about 1 GB/s (its bytes are everywhere in XML), 0.5 ms for a 1,000-row sheet, while the "f"s of a
    sheet are few and one array comparison finds them all."""
    import numpy as np

    data = np.frombuffer(xml, dtype=np.uint8)
    at = np.flatnonzero(data[1:-1] == ord("f")) + 1  # an "f" with a byte on each side
    before, after = data[at - 1], data[at + 1]
    opens = (before == ord("<")) | (before == ord(":"))
    closes = (after == ord(">")) | (after == ord(" "))
    return bool((opens & closes).any())


def _uncached_formulas(
    formula_sheets: dict[str, bytes], file: str | None = None
) -> dict[str, dict[tuple[int, int], str]]:
    """{sheet: {(row index, column index): formula}} for xlsx formula cells that store no result, from
    the XML of the sheets that have a formula (`_scan_xlsx_sheets`).

    Calamine shows such a cell as empty; the caller reports the row instead of accepting it silently.
    A sheet's XML that is not well-formed (or declares entities) is an `IngestError` (`UnsafeFileError`)
    naming `file` and the sheet."""
    from defusedxml import DefusedXmlException, ElementTree

    found: dict[str, dict[tuple[int, int], str]] = {}
    for name, xml in formula_sheets.items():
        cells = {}
        try:
            for _, element in ElementTree.iterparse(io.BytesIO(xml)):
                if element.tag != f"{_MAIN_NS}c":
                    continue
                formula = element.find(f"{_MAIN_NS}f")
                value = element.find(f"{_MAIN_NS}v")
                inline = element.find(f"{_MAIN_NS}is")
                if formula is not None and (value is None or not value.text) and inline is None:
                    position = _cell_position(element.get("r", ""))
                    if position is not None:
                        cells[position] = formula.text or "(shared formula)"
                element.clear()
        except (ElementTree.ParseError, DefusedXmlException) as exc:
            raise _bad_xml("the sheet", exc, file, sheet=name) from None
        if cells:
            found[name] = cells
    return found


#: the column letters and the row number of every cell reference attribute (r="B12"): the literal
#: prefix lets the regex engine jump from one `r="` to the next. Without the `<c ...` context they can
#: also match another attribute ending in "r" or text that looks like one; that only raises the bound,
#: and `_CELL` decides when the bound is large. Two patterns with one group each, not one with two:
#: findall then returns bytes, which the garbage collector does not track, instead of a tuple per cell,
#: and tens of thousands of new tuples set off full collections of the whole heap (twice as slow).
_CELL_COLUMN = re.compile(rb'r="([A-Z]{1,3})[0-9]{1,7}"')
_CELL_ROW = re.compile(rb'r="[A-Z]{1,3}([0-9]{1,7})"')
_CELL = re.compile(rb'<(?:\w+:)?c\b([^>]*?)(?:/>|>(.*?)</(?:\w+:)?c>)', re.DOTALL)
#: a cell reference past column ZZ (three letters) or past row 9,999 (five digits or more). Without
#: one, every reference the patterns above match lies within A1:ZZ9999, so one search, which finds
#: nothing and allocates nothing, clears most sheets (chronologies are far smaller than that).
_FAR_CELL = re.compile(rb'r="(?:[A-Z]{3}|[A-Z]{1,2}[0-9]{5})')
_NEAR_ROWS, _NEAR_COLUMNS = 9_999, 702


def _has_far_cell(xml: bytes) -> bool:
    """Whether `_FAR_CELL` matches anywhere in `xml` (the same answer as ``_FAR_CELL.search(xml)``).

    Array operations over the bytes, with numpy: every "r=" (found as one 16-bit value, at even and at
    odd offsets) followed by a quote starts a candidate; the few with a letter first and then a letter
    third or a digit sixth (what each of the pattern's forms AAA, A12345 and AA12345 has) get the whole
    pattern. The regex engine tests the literal `r="` at every byte, at about 1 GB/s (0.7 ms for a
    1,000-row sheet); the "r="s of a sheet are far fewer than its bytes (one per cell). A reference
    starting in the last few bytes, where the pattern would reach past the end, is left to the regex."""
    import numpy as np

    size = len(xml)
    if size < 16:
        return bool(_FAR_CELL.search(xml))
    last = size - 10  # the last "r" whose pattern (r="AA12345) fits in the bytes
    if _FAR_CELL.search(xml, last + 1):
        return True
    data = np.frombuffer(xml, dtype=np.uint8)

    def letter(at):
        return (data[at] - np.uint8(ord("A"))) < 26  # wraps around below "A"

    def digit(at):
        return (data[at] - np.uint8(ord("0"))) < 10

    pairs_even = np.frombuffer(xml, dtype="<u2", count=size // 2)
    pairs_odd = np.frombuffer(xml, dtype="<u2", count=(size - 1) // 2, offset=1)
    at = np.concatenate((np.flatnonzero(pairs_even == _R_EQUALS) * 2, np.flatnonzero(pairs_odd == _R_EQUALS) * 2 + 1))
    at = at[at <= last]
    at = at[data[at + 2] == ord('"')] + 3  # each reference's first byte
    at = at[letter(at) & (letter(at + 2) | digit(at + 5))]
    if not len(at):
        return False
    second = letter(at + 1)
    far = second & letter(at + 2)  # AAA
    far |= digit(at + 1) & digit(at + 2) & digit(at + 3) & digit(at + 4) & digit(at + 5)  # A12345
    far |= second & digit(at + 2) & digit(at + 3) & digit(at + 4) & digit(at + 5) & digit(at + 6)  # AA12345
    return bool(far.any())


#: "r=" read as one little-endian 16-bit value
_R_EQUALS = ord("r") | ord("=") << 8


def _sheet_extent(xml: bytes) -> tuple[int, int, str] | None:
    """(rows, columns, last cell) of the range the parser will allocate for a sheet: from A1 to the
    furthest row and column holding a value; None when the sheet is certainly small enough.

    First None when no reference lies beyond ZZ9999 (and that range is within the limit); then an
    upper bound from every cell reference (the largest row number and column letters among the
    distinct ones); the exact scan (cells with a value, formula or inline string) only when that bound
    is too large."""
    if _NEAR_ROWS * _NEAR_COLUMNS <= MAX_SHEET_CELLS and not _has_far_cell(xml):
        return None
    letters, digits = set(_CELL_COLUMN.findall(xml)), set(_CELL_ROW.findall(xml))
    rows = max(map(int, digits), default=0)
    columns = max((_cell_position(c.decode() + "1")[1] + 1 for c in letters), default=0)
    if rows * columns > MAX_SHEET_CELLS:
        rows = columns = 0
        for match in _CELL.finditer(xml):
            body = match.group(2) or b""
            if b"<v" not in body and b"<is" not in body and b"<f" not in body and b":v" not in body:
                continue  # formatting only: the parser skips it
            ref = re.search(rb'\br="([A-Z]{1,3}[0-9]{1,7})"', match.group(1))
            position = _cell_position(ref.group(1).decode()) if ref else None
            if position is not None:
                rows, columns = max(rows, position[0] + 1), max(columns, position[1] + 1)
    return rows, columns, _cell_name(rows - 1, columns - 1) if rows and columns else "A1"


def _cell_name(row: int, column: int) -> str:
    letters, index = "", column + 1
    while index:
        index, rem = divmod(index - 1, 26)
        letters = chr(65 + rem) + letters
    return f"{letters}{row + 1}"


def _check_extent(extent: tuple[int, int, str] | None, rel: str, sheet: str) -> None:
    if extent is None:
        return
    rows, columns, last = extent
    if rows * columns > MAX_SHEET_CELLS:
        raise FileTooLargeError(
            f"the sheet's used range is A1:{last} ({rows:,} rows x {columns:,} columns), too large to read: "
            f"a stray value far from the chronology? Delete the cells beyond the chronology (up to {last}) "
            "and save again",
            file=rel,
            sheet=sheet,
        )


def _cell_position(ref: str) -> tuple[int, int] | None:
    """'B12' -> (11, 1) (0-based row and column)."""
    letters = "".join(ch for ch in ref if ch.isalpha())
    digits = ref[len(letters):]
    if not letters or not digits.isdigit():
        return None
    column = 0
    for ch in letters.upper():
        column = column * 26 + ord(ch) - 64
    return int(digits) - 1, column - 1


def _ole2_is_encrypted_ooxml(path: Path) -> bool:
    # An encrypted xlsx/docx is an OLE2 compound file holding EncryptionInfo + EncryptedPackage streams;
    # the directory entries store their names in UTF-16LE.
    data = path.read_bytes()
    return "EncryptionInfo".encode("utf-16-le") in data or "EncryptedPackage".encode("utf-16-le") in data


def _looks_like_html(sample: bytes) -> bool:
    text = sample.lstrip(b"\xef\xbb\xbf \t\r\n").lower()
    return text.startswith((b"<!doctype html", b"<html", b"<table")) or b"<html" in text[:512]


def _looks_like_text(sample: bytes) -> bool:
    if sample.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE, codecs.BOM_UTF8)):
        return True
    if b"\x00" in sample:
        return False
    try:
        sample.decode("utf-8")
        return True
    except UnicodeDecodeError as exc:
        # a multi-byte character cut at the end of the sample is still text
        return exc.start >= len(sample) - 3 or _mostly_printable(sample)


def _mostly_printable(sample: bytes) -> bool:
    printable = sum(32 <= b < 127 or b in (9, 10, 13) or b >= 128 for b in sample)
    return printable >= 0.95 * len(sample)


# ---------------------------------------------------------------------------------------------------
# Workbooks: xlsx / xlsm / xls / ods via calamine
# ---------------------------------------------------------------------------------------------------
def _read_workbook(path: Path, rel: str, kind: str, spec: FileSpec, parts: _XlsxParts | None = None) -> list[RawTable]:
    """Every sheet of an xlsx, xls or ods file through calamine; `parts` are an xlsx's parts as the
    zip checks left them (`_sniff`), read again from the file when not given."""
    import python_calamine as calamine

    suffix_kind = {".xlsx": "xlsx", ".xlsm": "xlsx", ".xls": "xls", ".ods": "ods"}.get(path.suffix.lower())
    try:
        if suffix_kind == kind:
            workbook = calamine.CalamineWorkbook.from_path(str(path))
        else:  # calamine picks the reader from the suffix; from_filelike sniffs the content instead
            with open(path, "rb") as fh:
                workbook = calamine.CalamineWorkbook.from_filelike(io.BytesIO(fh.read()))
    except calamine.PasswordError:
        raise EncryptedFileError("the workbook is password-protected; remove the password and save again", file=rel) from None
    except (calamine.CalamineError, calamine.ZipError, calamine.XmlError, OSError, ValueError) as exc:
        if suffix_kind == kind:  # named by its suffix ("the xlsm file")
            raise IngestError(f"the {path.suffix.lower()[1:]} file is corrupt or unreadable ({_short(exc)})", file=rel) from None
        raise IngestError(f"the file is corrupt or unreadable ({_short(exc)}): read as {kind} (what its content looks "
                          f"like), not as its {path.suffix or 'missing'} suffix says", file=rel) from None
    try:
        metadata = list(workbook.sheets_metadata)
        if not metadata:
            raise IngestError("the workbook is empty: it has no sheets", file=rel)
        names = [m.name for m in metadata]
        wanted = set(spec.sheets or ())
        missing = [s for s in spec.sheets or () if s not in names]
        if missing:
            raise IngestError(
                f"sheet(s) {', '.join(map(repr, missing))} named in case.yml not found; the workbook has "
                f"{', '.join(map(repr, names))}",
                file=rel,
            )
        merge_fallback = None
        untyped = None
        uncached = None
        extents = formula_sheets = None
        tables = []
        for meta in metadata:
            if wanted and meta.name not in wanted:
                continue
            hidden = meta.visible != calamine.SheetVisibleEnum.Visible
            if meta.typ != calamine.SheetTypeEnum.WorkSheet:
                tables.append(RawTable(rel, meta.name, [], [], hidden=hidden, notes=[f"{_enum_name(meta.typ)} sheet: not read"]))
                continue
            if hidden and meta.name not in wanted:
                tables.append(RawTable(rel, meta.name, [], [], hidden=True, notes=[HIDDEN_NOTE]))
                continue
            if kind == "xlsx":
                if extents is None:
                    extents, formula_sheets = _scan_xlsx_sheets(path, names, parts)
                _check_extent(extents.get(meta.name), rel, meta.name)
            try:
                sheet = workbook.get_sheet_by_name(meta.name)
                rows = sheet.to_python(skip_empty_area=False)
                ranges = getattr(sheet, "merged_cell_ranges", None)
                used_columns = (sheet.start[1], sheet.end[1]) if sheet.start and sheet.end else None
            except (calamine.CalamineError, calamine.ZipError, calamine.XmlError, ValueError) as exc:
                raise IngestError(f"the sheet cannot be read ({_short(exc)})", file=rel, sheet=meta.name) from None
            if ranges is None and kind in ("xlsx", "ods"):
                if merge_fallback is None:
                    merge_fallback = _openpyxl_merged_ranges(path, rel) if kind == "xlsx" else _ods_merged_ranges(path, rel)
                ranges = merge_fallback.get(meta.name)
            rows, only_none_missing = _cleaned_cells(rows)
            recovered = None
            if kind == "ods":
                if untyped is None:
                    untyped = _ods_untyped_texts(path, rel)
                recovered = _fill_untyped(rows, untyped.get(meta.name))
                if recovered:
                    used_columns = _used_columns(rows)
            table = RawTable(rel, meta.name, rows, list(range(1, len(rows) + 1)), hidden=hidden,
                             only_none_missing=only_none_missing)  # merged and untyped cells copy or add text
            if recovered:
                shown = ", ".join(map(str, recovered[:10])) + (f" and {len(recovered) - 10} more" if len(recovered) > 10 else "")
                table.notes.append(
                    f"text cells without a value type (as some programs write ods) in {len(recovered)} row(s) "
                    f"({shown}): read from the file's XML, which the spreadsheet reader skips"
                )
            if kind == "xlsx":
                if uncached is None:
                    uncached = _uncached_formulas(formula_sheets, rel)
                if uncached.get(meta.name):
                    table.uncached_formulas = uncached[meta.name]  # rows rejected by load, with the cell
                    table.notes.append(f"{len(uncached[meta.name])} formula cell(s) without a saved value")
            if hidden:
                table.notes.append("hidden sheet: read because case.yml names it")
            if suffix_kind != kind:
                table.notes.append(f"read as {kind} (what the file holds), not as its {path.suffix or 'missing'} suffix says")
            if ranges:
                continuations: set[int] = set()
                done: list = []
                filled = fill_merged(table.rows, ranges, used_columns, continuations, done)
                if filled:
                    table.merged_filled = True
                    table.continuation_rows = frozenset(continuations)
                    table.merged_ranges = tuple(done)
                    table.notes.append(
                        f"{filled} merged cell range(s) filled from their top-left cell ({_ranges_named(done)})"
                    )
            tables.append(table)
        return tables
    finally:
        workbook.close()


#: at most this many distinct blank texts ('', ' ', ...) are replaced text by text (`_blank_cells_to_none`)
_FEW_BLANK_TEXTS = 4


def _blank_cells_to_none(rows: list[list[object]]) -> list[list[object]]:
    """Blank ('') and whitespace-only text cells become None; every other value stays as it is
    (`_cleaned_cells`, without saying whether any other cell is missing)."""
    return _cleaned_cells(rows)[0]


#: the classes of the cell values calamine gives that are never a missing value (a float is, when NaN), and None
_PRESENT_CELL_CLASSES = frozenset({str, int, bool, dt.date, dt.datetime, dt.time, dt.timedelta, type(None)})


def _cleaned_cells(rows: list[list[object]]) -> tuple[list[list[object]], bool]:
    """(the rows with blank ('') and whitespace-only text cells made None, every other value as it is;
    whether every other value is present: none is a float NaN or of a class `pd.isna` might read as
    missing, for `RawTable.only_none_missing`).

    The same as ``[[None if v == "" or (v.__class__ is str and v.isspace()) else v for v in row] for
    row in rows]`` for the values calamine gives (str, int, float, bool, date, datetime, time,
    timedelta: only a str equals a str), without visiting every cell in Python: one set (built in C)
    gives the distinct values, the blank texts among them are few (mostly just ''), and each is
    replaced where `list.count` / `list.index` find it, in the rows calamine returned, so that no row
    is copied (a thousand new lists per sheet also wake the garbage collector). Many distinct blank
    texts (or values that cannot be hashed) take the comprehension above."""
    try:
        distinct = set(chain.from_iterable(rows))
    except TypeError:  # an unhashable value: not one calamine gives
        distinct = None
    if distinct is None:
        return [[None if v == "" or (v.__class__ is str and v.isspace()) else v for v in row] for row in rows], False
    classes = set(map(type, distinct))  # in C
    present = classes <= _PRESENT_CELL_CLASSES or (
        classes <= _PRESENT_CELL_CLASSES | {float} and all(v == v for v in distinct if v.__class__ is float))  # NaN != NaN
    blanks = [v for v in distinct if v.__class__ is str and (not v or v.isspace())]
    if len(blanks) > _FEW_BLANK_TEXTS:
        return [[None if v == "" or (v.__class__ is str and v.isspace()) else v for v in row] for row in rows], present
    for blank in blanks:
        for row in rows:
            count = row.count(blank)
            at = -1
            while count:
                at = row.index(blank, at + 1)
                row[at] = None
                count -= 1
    return rows, present


#: a note names at most this many merged ranges ("D11:E11, A20:A21 and 3 more")
MAX_RANGES_NAMED = 5


def _ranges_named(ranges: list) -> str:
    """"D11:E11, A20:A21" (as the spreadsheet program names them), at most MAX_RANGES_NAMED and how many more."""
    ranges = sorted(ranges)  # in reading order, as the reader does not give them so
    names = [f"{_cell_name(r0, c0)}:{_cell_name(r1, c1)}" for (r0, c0), (r1, c1) in ranges[:MAX_RANGES_NAMED]]
    more = f" and {len(ranges) - MAX_RANGES_NAMED} more" if len(ranges) > MAX_RANGES_NAMED else ""
    return ", ".join(names) + more


def fill_merged(rows: list[list[object]], ranges, used_columns: tuple[int, int] | None = None,
                continuations: set[int] | None = None, filled_ranges: list | None = None) -> int:
    """Give every cell of each merged range ((r0, c0), (r1, c1)) (0-based, inclusive) its top-left value.

    A one-row range spanning every used column (`used_columns`, first and last) is a banner ("2023",
    "Health visiting"): it keeps its text in its first cell only, so the row reads as a heading, not as
    a contact with the same text in every field. Returns how many ranges were filled. Rows are padded
    when a range reaches past a short row.

    `continuations`, when given, receives the rows whose every filled cell was filled from a range
    merged down from a row above: one contact merged over several rows, not several identical contacts
    (a date merged over two contacts leaves the second its own cells, so it is not one).
    `filled_ranges`, when given, receives each range filled, ((r0, c0), (r1, c1)).
    """
    filled = 0
    from_above: dict[int, set[int]] = {}
    for (r0, c0), (r1, c1) in ranges:
        if r0 >= len(rows):
            continue
        if r0 == r1 and used_columns is not None and c0 <= used_columns[0] and c1 >= used_columns[1]:
            continue
        top = rows[r0]
        value = top[c0] if c0 < len(top) else None
        if value is None:
            continue
        for r in range(r0, min(r1, len(rows) - 1) + 1):
            row = rows[r]
            if len(row) <= c1:
                row.extend([None] * (c1 + 1 - len(row)))
            for c in range(c0, c1 + 1):
                row[c] = value
            if r > r0:
                from_above.setdefault(r, set()).update(range(c0, c1 + 1))
        filled += 1
        if filled_ranges is not None:
            filled_ranges.append(((r0, c0), (r1, c1)))
    if continuations is not None:
        for r, columns in from_above.items():
            if all(c in columns for c, v in enumerate(rows[r]) if v is not None):
                continuations.add(r)
    return filled


def _openpyxl_merged_ranges(path: Path, rel: str | None = None) -> dict[str, list]:
    """Merged ranges per sheet via openpyxl: only for old calamine versions without merged_cell_ranges.

    Opening a workbook in openpyxl is slow, so it happens only when a sheet's XML has a <mergeCell.
    A damaged part is an `IngestError` naming `rel`.
    """
    with _open_zip(path, rel) as zf:
        if not any(
            n.startswith("xl/worksheets/") and n.endswith(".xml") and b"<mergeCell " in _read_member(zf, n, rel)
            for n in zf.namelist()
        ):
            return {}
    import openpyxl
    from defusedxml import DefusedXmlException
    from defusedxml.ElementTree import ParseError

    xml_errors: tuple[type[Exception], ...] = (ParseError, DefusedXmlException)
    try:  # openpyxl parses with lxml when it is installed
        from lxml.etree import LxmlError

        xml_errors += (LxmlError,)
    except ImportError:
        pass
    try:
        workbook = openpyxl.load_workbook(path, read_only=False, data_only=True)
    except xml_errors as exc:
        raise _bad_xml("a part", exc, rel) from None
    except (*_ZIP_ERRORS, KeyError) as exc:  # a part missing or unreadable
        raise IngestError(f"the file is corrupt ({_short(exc)}); save it again from Excel", file=rel) from None
    try:
        return {
            ws.title: [((r.min_row - 1, r.min_col - 1), (r.max_row - 1, r.max_col - 1)) for r in ws.merged_cells.ranges]
            for ws in workbook.worksheets
        }
    finally:
        workbook.close()


_ODS_TABLE = "{urn:oasis:names:tc:opendocument:xmlns:table:1.0}"


def _ods_rows(path: Path, rel: str, skip_unless: bytes | None = None):
    """Each row of an OpenDocument spreadsheet's content.xml, in one pass: (sheet, row index, rows
    repeated, [(cell element, column index, columns repeated)]), covered cells included, repeats not
    expanded. Nothing when the file has no content.xml, or when `skip_unless` is given and the part
    does not hold it. A part that is not well-formed, or declares entities, is an `IngestError`."""
    from defusedxml import DefusedXmlException
    from defusedxml import ElementTree as SafeET

    try:
        with _open_zip(path, rel) as zf:
            content = _read_member(zf, "content.xml", rel, app="LibreOffice or Excel")
    except KeyError:  # no content.xml (`_zip_kind` calls such a file no ods)
        return
    if skip_unless is not None and skip_unless not in content:
        return
    t = _ODS_TABLE
    sheet, row = None, 0
    try:
        for event, element in SafeET.iterparse(io.BytesIO(content), events=("start", "end")):
            if element.tag == f"{t}table":
                if event == "start":
                    sheet, row = element.get(f"{t}name"), 0
                else:
                    element.clear()
            elif element.tag == f"{t}table-row" and event == "end":
                rows = int(element.get(f"{t}number-rows-repeated", 1))
                cells, column = [], 0
                for cell in element:
                    if cell.tag not in (f"{t}table-cell", f"{t}covered-table-cell"):
                        continue
                    columns = int(cell.get(f"{t}number-columns-repeated", 1))
                    cells.append((cell, column, columns))
                    column += columns
                yield sheet, row, rows, cells
                row += rows
                element.clear()
    except DefusedXmlException as exc:  # a DTD `_check_xml_entities` missed (it searches the whole part)
        raise _bad_xml("the part 'content.xml'", exc, rel) from None
    except (SafeET.ParseError, ValueError) as exc:
        raise IngestError(f"the ods file is corrupt ({_short(exc)})", file=rel) from None


def _ods_merged_ranges(path: Path, rel: str) -> dict[str, list]:
    """Merged ranges per sheet of an OpenDocument spreadsheet (calamine does not report them): every
    cell with number-rows-spanned / number-columns-spanned over 1, placed by `_ods_rows`. Skipped
    entirely when no cell spans."""
    t = _ODS_TABLE
    ranges: dict[str, list] = {}
    for sheet, row, _, cells in _ods_rows(path, rel, skip_unless=b"-spanned="):
        for cell, column, _ in cells:
            try:
                span_rows = int(cell.get(f"{t}number-rows-spanned", 1))
                span_cols = int(cell.get(f"{t}number-columns-spanned", 1))
            except ValueError as exc:
                raise IngestError(f"the ods file is corrupt ({_short(exc)})", file=rel) from None
            if span_rows > 1 or span_cols > 1:
                ranges.setdefault(sheet, []).append(((row, column), (row + span_rows - 1, column + span_cols - 1)))
    return ranges


_ODS_OFFICE = "{urn:oasis:names:tc:opendocument:xmlns:office:1.0}"
_ODS_TEXT = "{urn:oasis:names:tc:opendocument:xmlns:text:1.0}"


def _ods_untyped_texts(path: Path, rel: str) -> dict[str, dict[tuple[int, int], str]]:
    """{sheet: {(row, column): text}} of the cells of an OpenDocument spreadsheet that hold text but no
    office:value-type (0-based positions, repeats expanded).

    LibreOffice shows such cells as text, but calamine skips them: a header or whole rows written by a
    generator that leaves the type off (odfpy used naively, some exporters) would vanish without a
    word. One pass over content.xml (`_ods_rows`); a sheet whose untyped text cells, repeats expanded,
    number more than MAX_SHEET_CELLS is refused as `_check_extent` refuses an xlsx's."""
    t = _ODS_TABLE
    texts: dict[str, dict[tuple[int, int], str]] = {}
    for sheet, row, rows, cells in _ods_rows(path, rel):
        found = texts.setdefault(sheet, {})
        for cell, column, columns in cells:
            if cell.tag != f"{t}table-cell" or cell.get(f"{_ODS_OFFICE}value-type") is not None:
                continue
            text = "\n".join(_ods_paragraph(p) for p in cell if p.tag in (f"{_ODS_TEXT}p", f"{_ODS_TEXT}h"))
            if text.strip():
                if len(found) + rows * columns > MAX_SHEET_CELLS:
                    raise IngestError(
                        f"the sheet repeats text over more than {MAX_SHEET_CELLS:,} cells: save it "
                        "again from LibreOffice or Excel", file=rel, sheet=sheet,
                    )
                for r in range(row, row + rows):
                    for c in range(column, column + columns):
                        found[(r, c)] = text
    return {name: cells for name, cells in texts.items() if cells}


def _ods_paragraph(element) -> str:
    """The text of an ODS paragraph (or span in it): <text:s c="3"/> is three spaces, <text:tab/> a tab,
    <text:line-break/> a new line; notes and comments are left out."""
    parts = [element.text or ""]
    for child in element:
        if child.tag == f"{_ODS_TEXT}s":
            parts.append(" " * int(child.get(f"{_ODS_TEXT}c", 1)))
        elif child.tag == f"{_ODS_TEXT}tab":
            parts.append("\t")
        elif child.tag == f"{_ODS_TEXT}line-break":
            parts.append("\n")
        elif child.tag not in (f"{_ODS_OFFICE}annotation", f"{_ODS_TEXT}note"):
            parts.append(_ods_paragraph(child))
        parts.append(child.tail or "")
    return "".join(parts)


def _fill_untyped(rows: list[list[object]], texts: dict[tuple[int, int], str] | None) -> list[int]:
    """Put the untyped text cells (`_ods_untyped_texts`) where calamine left the cell empty, padding
    rows as needed; return the 1-based rows that got one."""
    if not texts:
        return []
    filled = set()
    for (r, c), text in sorted(texts.items()):
        while len(rows) <= r:
            rows.append([])
        row = rows[r]
        if len(row) <= c:
            row.extend([None] * (c + 1 - len(row)))
        if row[c] is None:
            row[c] = text
            filled.add(r + 1)
    return sorted(filled)


def _used_columns(rows: list[list[object]]) -> tuple[int, int] | None:
    """(first, last) column holding a value in any row, None for a blank sheet."""
    used = [i for row in rows for i, v in enumerate(row) if v is not None]
    return (min(used), max(used)) if used else None


def _enum_name(value) -> str:
    return str(value).rsplit(".", 1)[-1].lower().replace("sheet", "") or "non-worksheet"


def _short(exc: Exception) -> str:
    text = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
    return text[:200]


# ---------------------------------------------------------------------------------------------------
# CSV
# ---------------------------------------------------------------------------------------------------
def read_csv(path: Path, rel: str) -> RawTable:
    """A delimited text file: encoding and delimiter sniffed; every value is text (None when blank)."""
    data = path.read_bytes()
    text, encoding = decode_text(data, rel)
    delimiter = sniff_delimiter(text)
    notes = [f"csv: encoding {encoding}, delimiter {_delimiter_name(delimiter)}"]
    # a narrative cell may be long (xlsx has no limit either); the file size limit bounds it
    if csv.field_size_limit() < len(text) + 1:
        csv.field_size_limit(len(text) + 1)
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter, quotechar='"', doublequote=True)
    try:
        rows = [[cell if cell.strip() else None for cell in record] for record in reader]
    except csv.Error as exc:
        raise IngestError(f"the CSV file cannot be parsed ({exc})", file=rel, row=reader.line_num) from None
    if "\n" in text and any("\n" in cell for row in rows for cell in row if cell is not None):
        _check_unclosed_quotes(rows, text, delimiter, rel)
    # empty fields past the last column holding a value say nothing (and a line of 100,000 commas would
    # widen every row): cut there, rows shorter than that keep their length
    widths = list(map(len, rows))  # the fields of each record as written, for load's check against the header
    width = max((max((i for i, v in enumerate(row) if v is not None), default=-1) + 1 for row in rows), default=0)
    rows = [row[:width] if len(row) > width else row for row in rows]
    if len(rows) * width > MAX_SHEET_CELLS:
        widest = next(i for i, row in enumerate(rows, start=1) if len(row) == width)
        raise FileTooLargeError(
            f"the file is {len(rows):,} rows x {width:,} columns (row {widest} is the widest), too large to read: "
            "a stray value far to the right? Delete it and save again",
            file=rel,
        )
    return RawTable(rel, "", rows, list(range(1, len(rows) + 1)), notes=notes, record_widths=widths,
                    only_none_missing=True)  # text or None only


def _check_unclosed_quotes(rows: list[list[str | None]], text: str, delimiter: str, rel: str) -> None:
    """Raise IngestError at the record whose quoted cell swallowed the records after it.

    A cell that starts with a stray quote runs on to the next quote, or to the end of the file: the
    lines in between, records of their own, become one cell's text and would be accepted as one
    contact. A correctly quoted cell may hold line breaks, and its lines may read as records (a
    narrative listing earlier contacts: "12/02/2023, A&E, head injury"), so the lines alone prove
    nothing. What does is the quoting: a record is refused only when its text, parsed strictly, is not
    well formed (the quote is never closed before the end of the file, or what closes it is not followed
    by a delimiter or the line's end, as happens when a later cell's quote closes a stray one) and
    either the file ends inside it or one of its cell's later lines reads as a whole record (as many
    fields as most records, one a day date). A record whose quoting is well formed is read as quoted,
    as a spreadsheet program reads it."""
    lines = io.StringIO(text, newline="").readlines()  # the lines the csv reader reads
    reader = csv.reader(iter(lines), delimiter=delimiter, quotechar='"', doublequote=True)
    width = None
    start = 0
    for number, _ in enumerate(reader, start=1):
        end = reader.line_num
        row = rows[number - 1]
        multiline = [column for column, cell in enumerate(row) if cell is not None and "\n" in cell]
        if multiline and end - start > 1:
            problem = _malformed_quoting(lines[start:end], delimiter)
            if problem is not None:
                if width is None:
                    width = _usual_width(rows)
                column = multiline[0]
                swallowed = [line for line in row[column].splitlines()[1:] if _reads_as_record(line, delimiter, width)]
                if swallowed:
                    raise IngestError(
                        f"a quote (\") opens this cell and is not closed where the line ends, so the next "
                        f"{len(swallowed)} record(s) were read into it (the first: {swallowed[0][:60]!r}): remove "
                        "the stray quote, or close it, and save again",
                        file=rel, row=number, column=_column_name(column),
                    )
                if problem == "unclosed" and end == len(lines):
                    raise IngestError(
                        "a quote (\") opens this cell and is never closed: every line after it to the end of "
                        "the file was read into it; remove the stray quote, or close it, and save again",
                        file=rel, row=number, column=_column_name(column),
                    )
        start = end


def _malformed_quoting(record_lines: list[str], delimiter: str) -> str | None:
    """How the quoting of one record's lines is malformed when parsed strictly: "unclosed" (the text ends
    inside a quote), "stray" (a closing quote followed by something other than a delimiter or the line's
    end), or None when it is well formed."""
    try:
        for _ in csv.reader(record_lines, delimiter=delimiter, quotechar='"', doublequote=True, strict=True):
            pass
    except csv.Error as exc:
        return "unclosed" if "unexpected end of data" in str(exc) else "stray"
    return None


def _usual_width(rows: list[list[str | None]]) -> int:
    """The number of fields most records have (the wider on a tie)."""
    counts: dict[int, int] = {}
    for row in rows:
        counts[len(row)] = counts.get(len(row), 0) + 1
    return max(counts, key=lambda n: (counts[n], n))


def _reads_as_record(line: str, delimiter: str, width: int) -> bool:
    """Whether a line of a cell reads as a record of its own: `width` fields, one of them a day date."""
    from .dates import DateParseError, parse_date

    fields = next(csv.reader([line], delimiter=delimiter), [])
    if len(fields) != width or width < 2:
        return False
    for value in fields:
        if any(ch.isdigit() for ch in value):
            try:
                if parse_date(value.strip()).precision in ("day", "approximate"):
                    return True
            except (DateParseError, TypeError, ValueError, OverflowError):
                continue
    return False


def _column_name(index: int) -> str:
    """0 -> 'A': a csv column as a spreadsheet program shows it."""
    from .headers import column_letter

    return column_letter(index)


def decode_text(data: bytes, rel: str = "") -> tuple[str, str]:
    """(text, encoding): BOMs first (UTF-8, UTF-16), then UTF-8, then cp1252 (what Excel on Windows writes)."""
    if data.startswith(codecs.BOM_UTF8):
        return data[len(codecs.BOM_UTF8):].decode("utf-8", errors="replace"), "utf-8-sig"
    for bom, name in ((codecs.BOM_UTF16_LE, "utf-16-le"), (codecs.BOM_UTF16_BE, "utf-16-be")):
        if data.startswith(bom):
            return data[len(bom):].decode(name, errors="replace"), "utf-16"
    if b"\x00" in data[:4096]:
        # UTF-16 without a BOM: ASCII text has a zero in every other byte
        sample = data[:4096]
        if sample[1::2].count(0) > len(sample) // 4:
            return data.decode("utf-16-le", errors="replace"), "utf-16-le"
        if sample[0::2].count(0) > len(sample) // 4:
            return data.decode("utf-16-be", errors="replace"), "utf-16-be"
        raise IngestError("not a text file: it holds binary data", file=rel or None)
    try:
        return data.decode("utf-8"), "utf-8"
    except UnicodeDecodeError:
        pass
    mixed = _mixed_utf8(data)
    if mixed is not None:
        return mixed
    try:
        return data.decode("cp1252"), "cp1252"
    except UnicodeDecodeError:
        return data.decode("latin-1"), "latin-1"


def _mixed_utf8(data: bytes) -> tuple[str, str] | None:
    """(text, encoding) of a UTF-8 file with a few lines in cp1252 (a line pasted from a Windows
    program), decoded line by line; None when no line holds UTF-8 beyond ASCII (a cp1252 file).

    Decoding the whole file as cp1252 would turn every UTF-8 "Zoë" into "ZoÃ«" without a sign; the
    encoding returned names the lines read as cp1252, for the report's note."""
    lines = data.split(b"\n")
    decoded, fallback, utf8 = [], [], False
    for number, line in enumerate(lines, start=1):
        try:
            text = line.decode("utf-8")
            utf8 = utf8 or not line.isascii()
        except UnicodeDecodeError:
            text = line.decode("cp1252", errors="replace")
            fallback.append(number)
        decoded.append(text)
    if not utf8:
        return None
    shown = ", ".join(map(str, fallback[:10])) + (f" and {len(fallback) - 10} more" if len(fallback) > 10 else "")
    if len(fallback) == 1:
        return "\n".join(decoded), f"utf-8, but line {shown} is not UTF-8 and was read as cp1252 (mixed encodings: check the text of that line)"
    return "\n".join(decoded), f"utf-8, but line(s) {shown} are not UTF-8 and were read as cp1252 (mixed encodings: check the text of those lines)"


def sniff_delimiter(text: str) -> str:
    """Comma, semicolon, tab or pipe: csv.Sniffer on the first lines, else the most consistent count."""
    lines = [line for line in text[:65536].splitlines() if line.strip()][:50]
    if not lines:
        return ","
    sample = "\n".join(lines)
    try:
        dialect = csv.Sniffer().sniff(sample, delimiters=CSV_DELIMITERS)
        if dialect.delimiter in CSV_DELIMITERS and _consistent_fields(lines, dialect.delimiter) > 1:
            return dialect.delimiter
    except csv.Error:
        pass
    best, best_score = ",", 0
    for delimiter in CSV_DELIMITERS:
        score = _consistent_fields(lines, delimiter)
        if score > best_score:
            best, best_score = delimiter, score
    return best


def _consistent_fields(lines: list[str], delimiter: str) -> int:
    """How many lines share the most common field count (>1) when split on `delimiter`."""
    counts: dict[int, int] = {}
    for record in csv.reader(lines, delimiter=delimiter):
        if len(record) > 1:
            counts[len(record)] = counts.get(len(record), 0) + 1
    return max(counts.values(), default=0)


def _delimiter_name(delimiter: str) -> str:
    return {",": "comma", ";": "semicolon", "\t": "tab", "|": "pipe"}.get(delimiter, repr(delimiter))


# ---------------------------------------------------------------------------------------------------
# Word
# ---------------------------------------------------------------------------------------------------
def _read_docx(path: Path, rel: str) -> list[RawTable]:
    try:
        from .docx_reader import read_docx
    except ImportError:
        raise IngestError("Word (.docx) chronologies cannot be read by this version", file=rel) from None
    return read_docx(path, rel, dtd_searched=True)  # `_zip_kind` searched every XML part whole

