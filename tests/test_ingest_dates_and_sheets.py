"""Ingest QA follow-ups: date ranges and time zones in a date cell, explicit midnights, numbers below 1900,
`sheets:` for csv and Word files, Word continuation tables with an unreadable first date, and ODS text
cells without a value type."""
from __future__ import annotations

import datetime as dt
from pathlib import Path

import docx
import pandas as pd
import pytest

from review.config import load_case_config
from review.errors import ConfigError, IngestError
from review.ingest.dates import RANGE_REASON, DateParseError, parse_date
from review.ingest.load import load_contacts

BASE = "case_id: C1\ndate_of_birth: 2006-06-01\n"
D = pd.Timestamp


def _case(tmp_path: Path, files: str = "") -> Path:
    (tmp_path / "case.yml").write_text(BASE + files, encoding="utf-8")
    return tmp_path


def _load(case_dir: Path):
    return load_contacts(load_case_config(case_dir))


# ---------------------------------------------------------------------------------------------------
# Ranges in one date cell
# ---------------------------------------------------------------------------------------------------
@pytest.mark.parametrize(
    "text, start, end",
    [
        ("03/04/2007 - 05/04/2007", "2007-04-03", "2007-04-05"),
        ("03/04/2007-05/04/2007", "2007-04-03", "2007-04-05"),
        ("03/04/2007 to 05/04/2007", "2007-04-03", "2007-04-05"),
        ("3-5 April 2007", "2007-04-03", "2007-04-05"),
        ("3rd \u2013 5th April 2007", "2007-04-03", "2007-04-05"),
        ("3 Apr until 5 May 2007", "2007-04-03", "2007-05-05"),
        ("03/04-05/04/2007", "2007-04-03", "2007-04-05"),
        ("2007-04-03 - 2007-04-05", "2007-04-03", "2007-04-05"),
        ("05/04/2007 14:30-15:00", "2007-04-05 14:30", "2007-04-05 15:00"),
        ("05/04/2007 - 06/04/2007 10:00", "2007-04-05", "2007-04-06 10:00"),
    ],
)
def test_a_range_of_days_or_times_reads_as_its_start_and_end(text, start, end):
    result = parse_date(text)
    assert (result.date, result.end, result.precision) == (D(start), D(end), "day")
    assert result.text == text


@pytest.mark.parametrize(
    "text, words",
    [
        ("March-April 2007", RANGE_REASON),
        ("2007-2008", RANGE_REASON),
        ("05/04/2007 - 03/04/2007", "ends before it starts"),
        ("05/04/2007 14:30-13:00", "ends before it starts"),
        ("03/04/2007 - 31/04/2007", "looks like a date range, but its end does not read: 31/04/2007 is not a real date"),
    ],
)
def test_a_range_that_is_not_of_days_is_rejected_as_a_range_not_as_a_time(text, words):
    with pytest.raises(DateParseError) as err:
        parse_date(text)
    assert words in err.value.reason
    assert "unreadable time" not in err.value.reason


def test_a_single_date_has_no_end():
    assert parse_date("05/04/2007").end is None
    assert parse_date(dt.datetime(2007, 4, 5, 10)).end is None


def test_a_range_in_the_date_cell_fills_date_end_and_an_end_date_column_wins(tmp_path):
    case_dir = _case(tmp_path)
    (case_dir / "a.csv").write_text(
        "Date,End date,Details\n"
        "3-5 April 2007,,stayed with grandmother\n"
        "03/04/2007 - 05/04/2007,06/04/2007,admitted\n"
        "07/04/2007,,visit\n"
        "March-April 2007,,away\n",
        encoding="utf-8",
    )
    contacts, report = _load(case_dir)
    sheet = report.files[0]
    assert contacts["date"].tolist() == [D("2007-04-03"), D("2007-04-03"), D("2007-04-07")]
    assert contacts["date_end"].tolist()[:2] == [D("2007-04-05"), D("2007-04-06")]
    assert pd.isna(contacts["date_end"].iloc[2])
    assert any("range ends 05/04/2007" in w.message and "end date is kept" in w.message for w in sheet.warnings)
    assert [(r.row, r.column) for r in sheet.rejections] == [(5, "Date")]
    assert RANGE_REASON in sheet.rejections[0].reason


def test_a_range_read_again_from_the_cache_still_gives_its_end(tmp_path):
    """Parsed dates are cached across cases; a range is not, so a second case still reads its end."""
    for name in ("one", "two"):
        (tmp_path / name).mkdir()
        case_dir = _case(tmp_path / name)
        (case_dir / "a.csv").write_text("Date,Details\n3-5 April 2007,respite\n", encoding="utf-8")
        contacts, _ = _load(case_dir)
        assert contacts["date_end"].tolist() == [D("2007-04-05")]


# ---------------------------------------------------------------------------------------------------
# Time zones and midnight
# ---------------------------------------------------------------------------------------------------
@pytest.mark.parametrize(
    "text, expected",
    [
        ("2007-04-05T10:30:00Z", "2007-04-05 11:30"),  # BST
        ("2007-01-05T10:30:00Z", "2007-01-05 10:30"),  # GMT
        ("2007-04-05 10:30:00+01:00", "2007-04-05 10:30"),
        ("2007-04-05T10:30:00-05:00", "2007-04-05 16:30"),
        ("2007-01-05T10:30+0100", "2007-01-05 09:30"),
        ("05/04/2007 10:30 UTC", "2007-04-05 11:30"),
        ("2007-04-05T23:30:00Z", "2007-04-06 00:30"),  # the UK day
        ("2007-04-05T23:00:00Z", "2007-04-06 00:00"),
    ],
)
def test_a_time_with_a_zone_is_converted_to_uk_wall_clock_time(text, expected):
    result = parse_date(text)
    assert (result.date, result.precision, result.time_known) == (D(expected), "day", True)


def test_a_datetime_value_with_a_zone_is_converted_to_uk_time():
    assert parse_date(dt.datetime(2007, 7, 5, 10, tzinfo=dt.timezone.utc)).date == D("2007-07-05 11:00")
    assert parse_date(pd.Timestamp("2007-07-05 10:00", tz="Europe/London")).date == D("2007-07-05 10:00")


def test_a_zone_needs_a_day_and_a_real_offset():
    with pytest.raises(DateParseError, match="no day"):
        parse_date("March 2007 10:30Z")
    with pytest.raises(DateParseError, match="offset"):
        parse_date("2007-04-05T10:30:00+15:00")


@pytest.mark.parametrize("text", ["05/04/2007 12:00 AM", "05/04/2007 12am", "05/04/2007 midnight", "05/04/2007 00.00"])
def test_a_midnight_a_person_wrote_is_a_known_time(text):
    assert (parse_date(text).date, parse_date(text).time_known) == (D("2007-04-05"), True)


@pytest.mark.parametrize("text", ["05/04/2007 00:00", "05/04/2007 0:00", "2007-04-05 00:00:00", "2007-04-05T00:00:00"])
def test_a_midnight_as_software_writes_a_date_without_time_is_no_time(text):
    assert parse_date(text).time_known is False
    assert parse_date(dt.datetime(2007, 4, 5)).time_known is False


# ---------------------------------------------------------------------------------------------------
# Numbers below 1900
# ---------------------------------------------------------------------------------------------------
@pytest.mark.parametrize("number, shown", [(1899, "13/03/1905"), (1, "01/01/1900"), (61.5, "01/03/1900")])
def test_a_number_below_1900_is_rejected_saying_what_it_would_be_as_a_serial(number, shown):
    with pytest.raises(DateParseError) as err:
        parse_date(number)
    assert "is a number, not a date" in err.value.reason and shown in err.value.reason


def test_numbers_from_1900_are_years_or_serials_as_before():
    assert parse_date(1900).precision == "year"
    assert parse_date(39173).date == D("2007-04-01")


def test_a_year_typo_in_an_xlsx_number_cell_is_rejected_naming_the_date_column(tmp_path):
    import openpyxl

    case_dir = _case(tmp_path)
    wb = openpyxl.Workbook()
    for row in [["Date", "Details"], [dt.datetime(2007, 4, 3), "visit"], [1899, "typo"]]:
        wb.active.append(row)
    wb.save(case_dir / "a.xlsx")
    contacts, report = _load(case_dir)
    assert len(contacts) == 1
    (rejection,) = report.files[0].rejections
    assert (rejection.row, rejection.column) == (3, "Date") and "13/03/1905" in rejection.reason


# ---------------------------------------------------------------------------------------------------
# `sheets:` for csv and Word files
# ---------------------------------------------------------------------------------------------------
def test_sheets_for_a_csv_is_a_config_error_naming_case_yml_and_the_file(tmp_path):
    case_dir = _case(tmp_path, "files:\n  - {path: b.csv, sheets: [Log]}\n")
    (case_dir / "b.csv").write_text("Date,Details\n05/04/2007,x\n", encoding="utf-8")
    with pytest.raises(ConfigError) as err:
        load_case_config(case_dir)
    assert err.value.file.endswith("case.yml")
    assert "'b.csv'" in err.value.message and "no sheets" in err.value.message


def test_read_tables_refuses_sheets_for_a_csv(tmp_path):
    """(load_case_config refuses them first; read_tables is public and checks too)"""
    from review.config import FileSpec
    from review.ingest.readers import read_tables

    case_dir = _case(tmp_path)
    (case_dir / "b.csv").write_text("Date,Details\n05/04/2007,x\n", encoding="utf-8")
    with pytest.raises(ConfigError) as err:
        read_tables(case_dir / "b.csv", FileSpec(path="b.csv", sheets=("Log",)), load_case_config(case_dir))
    assert err.value.file.endswith("case.yml") and "'b.csv'" in err.value.message and "no sheets" in err.value.message


def test_a_profiles_sheets_do_not_apply_to_a_csv(tmp_path):
    case_dir = _case(tmp_path, "files:\n  - {path: b.csv, profile: yearly}\n")
    (case_dir / "profiles").mkdir()
    (case_dir / "profiles" / "yearly.yml").write_text("sheets: ['2023']\n", encoding="utf-8")
    (case_dir / "b.csv").write_text("Date,Details\n05/04/2007,x\n", encoding="utf-8")
    contacts, _ = _load(case_dir)
    assert len(contacts) == 1


def _word(path: Path, tables: list[list[list[str]]]) -> None:
    document = docx.Document()
    for rows in tables:
        table = document.add_table(rows=0, cols=len(rows[0]))
        for row in rows:
            for cell, value in zip(table.add_row().cells, row):
                cell.text = value
        document.add_paragraph("")
    document.save(path)


HEADER = ["Date", "Type of contact", "Details"]


def test_sheets_for_a_word_file_chooses_its_tables_by_name(tmp_path):
    case_dir = _case(tmp_path, "files:\n  - {path: hv.docx, sheets: [table 2]}\n")
    _word(case_dir / "hv.docx", [[["Name", "Role"], ["A", "HV"]], [HEADER, ["05/04/2007", "Visit", "seen"]]])
    contacts, report = _load(case_dir)
    assert [f.sheet for f in report.files] == ["table 2"]
    assert contacts["description"].tolist() == ["seen"]


def test_a_word_table_not_in_the_document_is_an_error_listing_its_tables(tmp_path):
    case_dir = _case(tmp_path, "files:\n  - {path: hv.docx, sheets: [Log]}\n")
    _word(case_dir / "hv.docx", [[HEADER, ["05/04/2007", "Visit", "seen"]]])
    with pytest.raises(IngestError) as err:
        _load(case_dir)
    assert "'Log'" in err.value.message and "'table 1'" in err.value.message


# ---------------------------------------------------------------------------------------------------
# Word continuation tables
# ---------------------------------------------------------------------------------------------------
@pytest.mark.parametrize("first", ["unknown", "31/02/2007", "N/K"])
def test_a_continuation_table_whose_first_date_is_unreadable_keeps_its_other_rows(tmp_path, first):
    case_dir = _case(tmp_path)
    _word(case_dir / "hv.docx", [
        [HEADER, ["05/04/2007", "Visit", "seen"]],
        [[first, "Visit", "no date known"], ["12/04/2007", "Visit", "cont"], ["13/04/2007", "Call", "cont 2"]],
    ])
    contacts, report = _load(case_dir)
    second = report.files[1]
    assert contacts["description"].tolist() == ["seen", "cont", "cont 2"]
    assert [(r.row, r.column) for r in second.rejections] == [(1, "Date")]
    assert "no header" not in second.rejections[0].reason
    assert any("continues table 1" in note for note in second.notes)


def test_a_headerless_table_starting_with_a_label_is_not_a_continuation(tmp_path):
    case_dir = _case(tmp_path)
    _word(case_dir / "hv.docx", [
        [HEADER, ["05/04/2007", "Visit", "seen"]],
        [["Key", "HV = health visitor", ""], ["12/04/2007", "Visit", "cont"]],
    ])
    contacts, report = _load(case_dir)
    assert contacts["description"].tolist() == ["seen"]
    assert all("no header row found" in r.reason for r in report.files[1].rejections)


# ---------------------------------------------------------------------------------------------------
# ODS text cells without office:value-type
# ---------------------------------------------------------------------------------------------------
def test_ods_text_cells_without_a_value_type_are_read_and_noted(tmp_path):
    from odf.opendocument import OpenDocumentSpreadsheet
    from odf.table import Table, TableCell, TableRow
    from odf.text import P, S

    case_dir = _case(tmp_path)
    doc = OpenDocumentSpreadsheet()
    table = Table(name="Log")

    def cell(text=None, date=None, repeat=None):
        kw = dict(valuetype="date", datevalue=date) if date else {}
        if repeat:
            kw["numbercolumnsrepeated"] = repeat
        c = TableCell(**kw)
        if text is not None:
            p = P(text=text)
            if text == "two  spaces":
                p = P(text="two")
                p.addElement(S(c=2))
                p.addText("spaces")
            c.addElement(p)
        return c

    for cells in [
        [cell("Date"), cell("Type"), cell("Details")],
        [cell("03/04/2007", date="2007-04-03"), cell("Visit"), cell("typed date")],
        [cell("05/04/2007"), cell("Visit"), cell("two  spaces")],
        [cell("06/04/2007"), cell("Call", repeat=2)],
    ]:
        row = TableRow()
        for c in cells:
            row.addElement(c)
        table.addElement(row)
    doc.spreadsheet.addElement(table)
    doc.save(str(case_dir / "a.ods"))

    contacts, report = _load(case_dir)
    sheet = report.files[0]
    assert sheet.header_row == 1 and sheet.rows_read == sheet.rows_accepted == 3
    assert contacts["date"].tolist() == [D("2007-04-03"), D("2007-04-05"), D("2007-04-06")]
    assert contacts["description"].tolist() == ["typed date", "two  spaces", "Call"]
    assert any("without a value type" in note and "(1, 2, 3, 4)" in note for note in sheet.notes)


def test_a_typed_ods_gets_no_note(tmp_path):
    from odf.opendocument import OpenDocumentSpreadsheet
    from odf.table import Table, TableCell, TableRow
    from odf.text import P

    case_dir = _case(tmp_path)
    doc = OpenDocumentSpreadsheet()
    table = Table(name="Log")
    for values in [["Date", "Details"], ["05/04/2007", "visit"]]:
        row = TableRow()
        for value in values:
            c = TableCell(valuetype="string")
            c.addElement(P(text=value))
            row.addElement(c)
        table.addElement(row)
    doc.spreadsheet.addElement(table)
    doc.save(str(case_dir / "a.ods"))
    contacts, report = _load(case_dir)
    assert len(contacts) == 1
    assert not any("value type" in note for note in report.files[0].notes)
