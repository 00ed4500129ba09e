"""Reading Word chronologies: tables, merged cells, split tables, nested tables, hostile files."""
from __future__ import annotations

import zipfile

import docx
import pytest

from review.errors import EncryptedFileError, IngestError, UnsafeFileError
from review.ingest import docx_reader
from review.ingest.docx_reader import read_docx

HEADER = ["Date", "Agency", "Source of Information", "Details"]


def _table(document, rows):
    table = document.add_table(rows=len(rows), cols=len(rows[0]))
    for r, values in enumerate(rows):
        for c, value in enumerate(values):
            table.cell(r, c).text = value
    return table


def chronology_docx(path):
    """A chronology as agencies send them: a preamble, a table split across pages, merged cells."""
    document = docx.Document()
    document.add_heading("Health Visiting chronology for Child A", level=1)
    document.add_paragraph("Prepared for the review panel. Dates marked ? are approximate.")
    _table(
        document,
        [
            HEADER,
            ["?22 May 2016", "Health Visiting", "HV records", "New birth visit."],
            ["22.05/16", "Health Visiting", "HV records", "Mother seen, baby well."],
            ["03/06/2016", "GP", "GP notes", "Bruise to cheek noted."],
        ],
    )
    document.add_paragraph("")  # the page break between the two halves of the table
    second = _table(
        document,
        [
            HEADER,
            ["10/06/2016", "Health Visiting", "HV records", "Visit, no answer."],
            ["11/06/2016", "Health Visiting", "HV records", "Phone call."],
            ["12/06/2016", "", "", "Letter sent."],
        ],
    )
    # "Health Visiting" merged down rows 2-4 of the second table, and the last row's Source + Details
    # merged across
    top = second.cell(1, 1)
    merged = top.merge(second.cell(3, 1))
    merged.text = "Health Visiting"
    across = second.cell(3, 2).merge(second.cell(3, 3))
    across.text = "Letter sent to parents."
    document.add_paragraph("Signed: HV team leader")
    document.save(path)
    return path


def test_each_table_is_read_with_one_based_rows_and_the_preamble_is_ignored(tmp_path):
    tables = read_docx(chronology_docx(tmp_path / "hv.docx"), "hv.docx")
    assert [t.sheet for t in tables] == ["table 1", "table 2"]
    first = tables[0]
    assert first.file == "hv.docx"
    assert first.row_numbers == [1, 2, 3, 4]
    assert first.rows[0] == HEADER
    assert first.rows[1] == ["?22 May 2016", "Health Visiting", "HV records", "New birth visit."]
    assert first.rows[2][0] == "22.05/16"  # dates are kept as written, parsed later
    assert not first.merged_filled


def test_a_table_split_across_pages_is_its_own_table_noted_as_a_continuation(tmp_path):
    tables = read_docx(chronology_docx(tmp_path / "hv.docx"), "hv.docx")
    second = tables[1]
    assert second.rows[0] == HEADER  # the repeated header: header detection finds it again
    assert second.row_numbers == [1, 2, 3, 4]
    assert any("continues table 1" in note for note in second.notes)
    assert not any("continues" in note for note in tables[0].notes)


def test_merged_cells_fill_every_row_and_column_they_cover(tmp_path):
    second = read_docx(chronology_docx(tmp_path / "hv.docx"), "hv.docx")[1]
    assert [row[1] for row in second.rows[1:]] == ["Health Visiting"] * 3
    assert second.rows[3][2:] == ["Letter sent to parents.", "Letter sent to parents."]
    assert second.merged_filled
    assert any("merged" in note for note in second.notes)


def test_a_banner_row_across_the_whole_table_keeps_its_text_in_the_first_column(tmp_path):
    document = docx.Document()
    table = _table(document, [HEADER, ["2016", "", "", ""], ["01/01/2016", "GP", "GP notes", "Seen."]])
    table.cell(1, 0).merge(table.cell(1, 3)).text = "2016"
    document.save(tmp_path / "b.docx")
    (only,) = read_docx(tmp_path / "b.docx", "b.docx")
    assert only.rows[1] == ["2016", None, None, None]
    assert only.rows[2] == ["01/01/2016", "GP", "GP notes", "Seen."]


def test_a_nested_table_is_not_read_and_a_note_names_the_cell(tmp_path):
    document = docx.Document()
    table = _table(document, [HEADER, ["01/01/2016", "GP", "GP notes", "Seen."]])
    cell = table.cell(1, 3)
    inner = cell.add_table(rows=1, cols=2)
    inner.cell(0, 0).text = "nested a"
    inner.cell(0, 1).text = "nested b"
    document.save(tmp_path / "n.docx")
    tables = read_docx(tmp_path / "n.docx", "n.docx")
    assert len(tables) == 1
    assert tables[0].rows[1] == ["01/01/2016", "GP", "GP notes", "Seen."]
    assert any("row 2, column 4" in note and "nested" in note for note in tables[0].notes)


def test_multi_paragraph_cells_keep_their_line_breaks(tmp_path):
    document = docx.Document()
    table = _table(document, [HEADER, ["01/01/2016", "GP", "GP notes", "first"]])
    table.cell(1, 3).add_paragraph("second")
    document.save(tmp_path / "p.docx")
    (only,) = read_docx(tmp_path / "p.docx", "p.docx")
    assert only.rows[1][3] == "first\nsecond"


def test_a_document_without_tables_gives_no_tables(tmp_path):
    document = docx.Document()
    document.add_paragraph("No chronology here.")
    document.save(tmp_path / "empty.docx")
    assert read_docx(tmp_path / "empty.docx", "empty.docx") == []


def test_a_file_that_is_not_a_zip_is_an_ingest_error_naming_it(tmp_path):
    path = tmp_path / "notes.docx"
    path.write_text("just text")
    with pytest.raises(IngestError, match="notes.docx"):
        read_docx(path, "notes.docx")


def test_a_zip_without_word_document_xml_is_an_ingest_error(tmp_path):
    path = tmp_path / "x.docx"
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("hello.txt", "hi")
    with pytest.raises(IngestError, match="word/document.xml") as info:
        read_docx(path, "x.docx")
    assert info.value.file == "x.docx"


def test_a_truncated_docx_is_an_ingest_error(tmp_path):
    good = chronology_docx(tmp_path / "good.docx").read_bytes()
    path = tmp_path / "cut.docx"
    path.write_bytes(good[: len(good) // 2])
    with pytest.raises(IngestError, match="cut.docx"):
        read_docx(path, "cut.docx")


def test_a_password_protected_document_is_an_encrypted_file_error(tmp_path):
    path = tmp_path / "locked.docx"
    path.write_bytes(docx_reader.OLE_MAGIC + b"\0" * 504 + "EncryptionInfo".encode("utf-16-le") + b"\0" * 512)
    with pytest.raises(EncryptedFileError, match="locked.docx"):
        read_docx(path, "locked.docx")


def test_a_legacy_doc_file_is_an_ingest_error_not_an_encrypted_one(tmp_path):
    path = tmp_path / "old.docx"
    path.write_bytes(docx_reader.OLE_MAGIC + b"\0" * 504 + "WordDocument".encode("utf-16-le") + b"\0" * 512)
    with pytest.raises(IngestError, match=r"\.doc") as info:
        read_docx(path, "old.docx")
    assert not isinstance(info.value, EncryptedFileError)


def test_document_xml_over_the_size_limit_is_refused_before_parsing(tmp_path, monkeypatch):
    path = chronology_docx(tmp_path / "big.docx")
    monkeypatch.setattr(docx_reader, "MAX_DOCUMENT_XML_BYTES", 1000)
    with pytest.raises(UnsafeFileError, match="word/document.xml"):
        read_docx(path, "big.docx")


def test_a_highly_compressed_part_is_refused_as_a_zip_bomb(tmp_path):
    path = tmp_path / "bomb.docx"
    with zipfile.ZipFile(path, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("word/document.xml", "<w:document/>")
        archive.writestr("word/padding.bin", b"\0" * (12 * 1024 * 1024))
    with pytest.raises(UnsafeFileError, match="zip bomb"):
        read_docx(path, "bomb.docx")


def test_an_xml_part_declaring_entities_is_refused(tmp_path):
    source = chronology_docx(tmp_path / "src.docx")
    path = tmp_path / "xxe.docx"
    with zipfile.ZipFile(source) as src, zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            data = src.read(info)
            if info.filename == "word/document.xml":
                data = data.replace(
                    b"?>",
                    b'?><!DOCTYPE w:document [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>',
                    1,
                )
            dst.writestr(info, data)
    with pytest.raises(UnsafeFileError, match="entit"):
        read_docx(path, "xxe.docx")


def test_a_case_folder_with_a_word_chronology_is_ingested_and_every_table_balances(tmp_path):
    from review.config import load_case_config
    from review.ingest.load import load_contacts

    case_dir = tmp_path / "case"
    case_dir.mkdir()
    chronology_docx(case_dir / "hv.docx")
    (case_dir / "case.yml").write_text(
        "case_id: docx-case\n"
        "date_of_birth: 2016-05-20\n"
        "files:\n"
        "  - path: hv.docx\n"
        "    agency: Health Visiting\n",
        encoding="utf-8",
    )
    case = load_case_config(case_dir)
    contacts, report = load_contacts(case)
    assert [(f.file, f.sheet) for f in report.files] == [("hv.docx", "table 1"), ("hv.docx", "table 2")]
    for file_report in report.files:
        assert file_report.header_row == 1
        assert file_report.rows_read == file_report.rows_accepted + file_report.rows_rejected == 3
    assert report.balanced
    assert len(contacts) == report.rows_accepted
    # provenance points at the Word table and the row within it
    assert set(zip(contacts["source_sheet"], contacts["source_row"])) <= {
        ("table 1", 2), ("table 1", 3), ("table 1", 4), ("table 2", 2), ("table 2", 3), ("table 2", 4)
    }
    merged = contacts[contacts["source_sheet"] == "table 2"]
    assert set(merged["agency"]) == {"Health Visiting"}
    question_mark = contacts[(contacts["source_sheet"] == "table 1") & (contacts["source_row"] == 2)]
    if len(question_mark):
        assert question_mark["date_precision"].iloc[0] == "approximate"


def test_tracked_changes_content_controls_and_fields_read_as_word_shows_them(tmp_path):
    from docx.oxml import parse_xml
    from docx.oxml.ns import nsdecls

    document = docx.Document()
    table = _table(document, [HEADER, ["01/01/2016", "GP", "GP notes", "Seen"]])
    paragraph = table.cell(1, 3).paragraphs[0]._p
    for xml in (
        '<w:ins w:id="1" w:author="a"><w:r><w:t xml:space="preserve"> with mother</w:t></w:r></w:ins>',
        '<w:del w:id="2" w:author="a"><w:r><w:delText> and father</w:delText></w:r></w:del>',
        '<w:sdt><w:sdtContent><w:r><w:t xml:space="preserve">, bruise noted</w:t></w:r></w:sdtContent></w:sdt>',
        '<w:fldSimple w:instr="DOCPROPERTY x"><w:r><w:t>.</w:t></w:r></w:fldSimple>',
    ):
        paragraph.append(parse_xml(xml.replace(">", f" {nsdecls('w')}>", 1)))
    document.save(tmp_path / "t.docx")
    (only,) = read_docx(tmp_path / "t.docx", "t.docx")
    assert only.rows[1][3] == "Seen with mother, bruise noted."


def _load_word_case(tmp_path, tables):
    """A case folder with one Word chronology of the given tables (lists of rows), ingested."""
    from review.config import load_case_config
    from review.ingest.load import load_contacts

    case_dir = tmp_path / "case"
    case_dir.mkdir()
    document = docx.Document()
    for rows in tables:
        _table(document, rows)
        document.add_paragraph("")
    document.save(case_dir / "hv.docx")
    (case_dir / "case.yml").write_text(
        "case_id: split\ndate_of_birth: 2016-05-20\nfiles:\n  - path: hv.docx\n    agency: Health Visiting\n",
        encoding="utf-8",
    )
    return load_contacts(load_case_config(case_dir))


FIRST_HALF = [HEADER, ["03/06/2016", "GP", "GP notes", "Bruise to cheek noted."]]
NO_HEADER_HALF = [["10/06/2016", "Health Visiting", "HV records", "Visit, no answer."],
                  ["11/06/2016", "Health Visiting", "HV records", "Phone call."]]


def test_a_table_continued_without_its_header_row_is_read_with_the_previous_tables_header(tmp_path):
    """Word splits a long table at a page and the second part does not repeat the header row: its rows
    are read with the first part's header, keep their own table and row numbers, and a note says so."""
    third = [["12/06/2016", "Health Visiting", "HV records", "Letter sent."]]
    contacts, report = _load_word_case(tmp_path, [FIRST_HALF, NO_HEADER_HALF, third])
    assert report.rows_rejected == 0 and report.balanced
    assert list(zip(contacts["source_sheet"], contacts["source_row"])) == [
        ("table 1", 2), ("table 2", 1), ("table 2", 2), ("table 3", 1)]
    assert contacts["description"].tolist()[1:] == ["Visit, no answer.", "Phone call.", "Letter sent."]
    assert contacts["source_of_information"].tolist()[1] == "HV records"
    second = report.files[1]
    assert second.header_row is None and second.rows_read == second.rows_accepted == 2
    assert any("continues table 1" in note and "header" in note for note in second.notes)
    assert any("continues table 2" in note for note in report.files[2].notes)


@pytest.mark.parametrize("second", [
    [["10/06/2016", "Health Visiting", "Visit, no answer."]],  # another width
    [["Key", "HV = health visitor", "", ""], ["10/06/2016", "Health Visiting", "HV records", "Visit."]],
])
def test_a_headerless_table_that_does_not_continue_the_previous_one_is_still_rejected_and_reported(tmp_path, second):
    contacts, report = _load_word_case(tmp_path, [FIRST_HALF, second])
    assert list(contacts["source_sheet"]) == ["table 1"]
    assert report.files[1].rows_rejected == len(second) - sum(1 for row in second if not any(row))
    assert any("no header row recognised" in note for note in report.files[1].notes)
