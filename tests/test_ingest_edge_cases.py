"""Edge cases a QA pass found in ingest: case-folder mistakes give one ConfigError naming the file and
key (never an internal error), and input rows are either accepted or rejected with a reason, never lost."""
from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import openpyxl
import pytest

from review.config import load_case_config, load_vocab
from review.errors import ConfigError
from review.ingest.headers import load_profile
from review.ingest.load import load_contacts

BASE = "case_id: C1\ndate_of_birth: 2022-06-01\n"


def _xlsx(path: Path, rows, title: str = "Log") -> Path:
    wb = openpyxl.Workbook()
    wb.active.title = title
    for row in rows:
        wb.active.append(row)
    wb.save(path)
    return path


def _case(tmp_path: Path, yml: str = BASE, rows=None) -> Path:
    (tmp_path / "case.yml").write_text(yml, encoding="utf-8")
    _xlsx(tmp_path / "a.xlsx", rows or [["Date", "Type", "Details"], [dt.datetime(2023, 4, 3), "Home visit", "v"]])
    return tmp_path


def _load(case_dir: Path):
    return load_contacts(load_case_config(case_dir))


# ---------------------------------------------------------------------------------------------------
# case.yml, profiles and vocab.yml mistakes: ConfigError naming the file and the key
# ---------------------------------------------------------------------------------------------------
@pytest.mark.parametrize(
    "extra, words",
    [
        ("max_file_mb: fifty\n", "max_file_mb"),
        ("max_file_mb: -1\n", "max_file_mb"),
        ("people:\n  - Chloe\n", "people entry 1"),
        ("people:\n  - {role: Mother}\n", "people entry 1"),
        ("people: 5\n", "people"),
        ("files:\n  - {path: a.xlsx, sheets: {Log: 1}}\n", "sheets"),
    ],
)
def test_case_yml_mistakes_name_case_yml_and_the_key(tmp_path, extra, words):
    case_dir = _case(tmp_path, BASE + extra)
    with pytest.raises(ConfigError) as err:
        load_case_config(case_dir)
    assert err.value.file.endswith("case.yml")
    assert words in err.value.message


def test_people_as_a_list_of_named_entries_is_read(tmp_path):
    case = load_case_config(_case(tmp_path, BASE + "people:\n  - {name: Chloe, role: Mother}\n  - {name: Sam}\n"))
    assert case.people == {"Chloe": "Mother", "Sam": "Person"}


def test_case_id_zero_is_an_id_not_a_missing_key(tmp_path):
    assert load_case_config(_case(tmp_path, "case_id: 0\ndate_of_birth: 2022-06-01\n")).case_id == "0"


def test_case_yml_not_utf8_names_the_file_and_row(tmp_path):
    _case(tmp_path)
    (tmp_path / "case.yml").write_bytes((BASE + "child_name: Zo\xeb\n").encode("cp1252"))
    with pytest.raises(ConfigError) as err:
        load_case_config(tmp_path)
    assert err.value.file.endswith("case.yml") and err.value.row == 3
    assert "UTF-8" in err.value.message


def test_profile_not_utf8_names_the_profile(tmp_path):
    case_dir = _case(tmp_path, BASE + "files:\n  - {path: a.xlsx, profile: p}\n")
    (case_dir / "profiles").mkdir()
    (case_dir / "profiles" / "p.yml").write_bytes("fields:\n  role: [Gweithiwr, Caf\xe9 worker]\n".encode("cp1252"))
    with pytest.raises(ConfigError) as err:
        _load(case_dir)
    assert err.value.file.endswith("p.yml") and "UTF-8" in err.value.message


@pytest.mark.parametrize("value", ["5", "true", "{a: b}", "[Worker, 5]"])
def test_profile_field_synonyms_must_be_header_texts(tmp_path, value):
    case_dir = _case(tmp_path, BASE + "files:\n  - {path: a.xlsx, profile: p}\n")
    (case_dir / "profiles").mkdir()
    (case_dir / "profiles" / "p.yml").write_text(f"fields:\n  role: {value}\n", encoding="utf-8")
    with pytest.raises(ConfigError) as err:
        load_profile("p", load_case_config(case_dir))
    assert err.value.file.endswith("p.yml") and "fields.role" in err.value.message


def test_profile_field_synonym_as_one_text(tmp_path):
    case_dir = _case(tmp_path, BASE + "files:\n  - {path: a.xlsx, profile: p}\n")
    (case_dir / "profiles").mkdir()
    (case_dir / "profiles" / "p.yml").write_text("fields:\n  role: Officer in case\n", encoding="utf-8")
    assert load_profile("p", load_case_config(case_dir)).synonyms["role"][0] == "officer in case"


@pytest.mark.parametrize(
    "text, words",
    [
        ("- a\n- b\n", "top level"),
        ("concerns: [bruise]\n", "concerns"),
        ("concerns:\n  bruising: 5\n", "concerns.bruising"),
        ("agencies: Local GP\n", "agencies"),
    ],
)
def test_vocab_yml_of_the_wrong_shape_names_the_file_and_key(tmp_path, text, words):
    (tmp_path / "vocab.yml").write_text(text, encoding="utf-8")
    with pytest.raises(ConfigError) as err:
        load_vocab(tmp_path)
    assert err.value.file.endswith("vocab.yml") and words in err.value.message


def test_vocab_yml_not_utf8_names_the_file(tmp_path):
    (tmp_path / "vocab.yml").write_bytes("concerns:\n  bruising: [bl\xe9\n".encode("cp1252"))
    with pytest.raises(ConfigError) as err:
        load_vocab(tmp_path)
    assert err.value.file.endswith("vocab.yml") and err.value.row == 2


def test_vocab_yml_one_word_for_a_list_still_extends(tmp_path):
    (tmp_path / "vocab.yml").write_text("concerns:\n  bruising: welt\n", encoding="utf-8")
    assert load_vocab(tmp_path)["concerns"]["bruising"] == "welt"


@pytest.mark.parametrize(
    "text, words",
    [
        ("max_file_mb: fifty\n", "max_file_mb"),
        ("people:\n  - Chloe\n", "people entry 1"),
    ],
)
def test_cli_reports_case_mistakes_in_one_line(tmp_path, capsys, text, words):
    from review.cli import main

    case_dir = _case(tmp_path, BASE + text)
    assert main(["validate", str(case_dir)]) == 2
    err = capsys.readouterr().err
    assert "internal error" not in err and words in err and "case.yml" in err


# ---------------------------------------------------------------------------------------------------
# files: a file declared twice; sheets as strings; the folder scan skips the case's own files
# ---------------------------------------------------------------------------------------------------
@pytest.mark.parametrize(
    "files",
    [
        "  - {path: a.xlsx, agency: GP}\n  - {path: ./a.xlsx, agency: GP}\n",
        "  - {path: a.xlsx, agency: GP}\n  - {path: a.xlsx, agency: School}\n",
        "  - {path: a.xlsx, sheets: [Log]}\n  - {path: a.xlsx}\n",
        "  - {path: a.xlsx, sheets: [Log, Other]}\n  - {path: a.xlsx, sheets: Log}\n",
    ],
)
def test_a_file_declared_twice_with_overlapping_sheets_is_refused(tmp_path, files):
    case_dir = _case(tmp_path, BASE + "files:\n" + files)
    with pytest.raises(ConfigError) as err:
        load_case_config(case_dir)
    assert err.value.file.endswith("case.yml") and "'a.xlsx'" in err.value.message
    assert "declared twice" in err.value.message


def test_one_workbook_declared_twice_for_different_sheets_is_fine(tmp_path):
    case_dir = _case(tmp_path, BASE + "files:\n  - {path: a.xlsx, sheets: [Log]}\n  - {path: a.xlsx, sheets: [Other]}\n")
    assert [f.sheets for f in load_case_config(case_dir).files] == [("Log",), ("Other",)]


def test_sheets_in_case_yml_are_sheet_names(tmp_path):
    (tmp_path / "case.yml").write_text(BASE + "files:\n  - {path: a.xlsx, sheets: [2023]}\n  - {path: b.xlsx, sheets: '2024'}\n")
    _xlsx(tmp_path / "a.xlsx", [["Date", "Details"], ["03/04/2023", "v"]], title="2023")
    _xlsx(tmp_path / "b.xlsx", [["Date", "Details"], ["03/04/2024", "v"]], title="2024")
    case = load_case_config(tmp_path)
    assert [f.sheets for f in case.files] == [("2023",), ("2024",)]
    contacts, report = load_contacts(case)
    assert len(contacts) == 2 and [f.sheet for f in report.files] == ["2023", "2024"]


def test_folder_scan_does_not_read_the_cases_own_files(tmp_path):
    _case(tmp_path)
    (tmp_path / "decisions.csv").write_text("flag_id,decision\nF1,accepted\n", encoding="utf-8")
    case = load_case_config(tmp_path)
    assert [f.path for f in case.files] == ["a.xlsx"]


# ---------------------------------------------------------------------------------------------------
# rows above the header: dated rows are rejected, titles skipped
# ---------------------------------------------------------------------------------------------------
def test_dated_rows_above_the_header_are_rejected_not_skipped_as_titles(tmp_path):
    rows = [["Date", "Details"]]
    rows += [[dt.datetime(2023, 4, day), f"contact {day}: bruise seen on cheek"] for day in range(1, 4)]
    rows += [[], ["Date", "Time", "Type", "Details"], [dt.datetime(2024, 1, 2), "10:00", "Home visit", "2024 contact"]]
    contacts, report = _load(_case(tmp_path, rows=rows))
    sheet = report.files[0]
    assert sheet.header_row == 6 and len(contacts) == 1
    assert (sheet.rows_read, sheet.rows_accepted, sheet.rows_rejected) == (4, 1, 3) and sheet.balanced
    assert [r.row for r in sheet.rejections] == [2, 3, 4]
    assert {r.column for r in sheet.rejections} == {"Date"}
    assert "a dated row above the header row 6" in sheet.rejections[0].reason
    assert "own header in row 1" in sheet.rejections[0].reason


def test_title_rows_above_the_header_are_still_skipped(tmp_path):
    rows = [["Chronology of Child A"], ["Printed: 03/04/2024"], ["Prepared by", "J Smith", "GP"],
            ["Date", "Type", "Details"], ["03/04/2023", "Home visit", "v"]]
    contacts, report = _load(_case(tmp_path, rows=rows))
    sheet = report.files[0]
    assert len(contacts) == 1 and sheet.rows_rejected == 0 and sheet.rows_skipped == 3
    assert "3 title row(s) above the header (row 4) skipped" in sheet.notes


def test_cover_sheet_lines_above_the_header_are_skipped_as_titles_not_rejected_as_contacts(tmp_path):
    rows = [["Agency:", "Larkfield Medical Practice"], ["Author:", "J Smith (Safeguarding Lead)"],
            ["Date completed:", "01/02/2024"], ["Period covered:", dt.datetime(2023, 1, 1), "31/12/2023"],
            ["Prepared by:", "J Smith", "01/02/2024"], ["From", "01/01/2023", "To", "31/12/2023"],
            ["Date completed: 01/02/2024", "Prepared by: J Smith"], ["Report date", dt.datetime(2024, 2, 1)],
            [], ["Date", "Agency", "Details"], ["05/03/2023", "GP", "Seen for cough"]]
    contacts, report = _load(_case(tmp_path, rows=rows))
    sheet = report.files[0]
    assert len(contacts) == 1 and sheet.rows_rejected == 0 and sheet.rows_read == 1
    assert "8 title row(s) above the header (row 10) skipped" in sheet.notes


@pytest.mark.parametrize("row", [
    ["05/03/2023", "GP", "Seen for cough"],                                   # no label
    ["Date:", "05/03/2023", "Details:", "Bruise on cheek, referred to MASH"],  # labelled, but a narrative
    ["Date completed:", "05/03/2023", "seen at home"],                        # text that is no name
])
def test_a_contact_above_the_header_is_still_rejected_with_advice(tmp_path, row):
    rows = [row, [], ["Date", "Agency", "Details"], ["06/03/2023", "GP", "v"]]
    contacts, report = _load(_case(tmp_path, rows=rows))
    sheet = report.files[0]
    assert len(contacts) == 1 and sheet.rows_rejected == 1 and [r.row for r in sheet.rejections] == [1]
    reason = sheet.rejections[0].reason
    assert "a dated row above the header row 3" in reason and "Move those rows to their own sheet" in reason
    assert "cover-sheet line is skipped instead when it is labelled" in reason


# ---------------------------------------------------------------------------------------------------
# csv: an unclosed quote that swallows later records; long cells
# ---------------------------------------------------------------------------------------------------
def _csv_case(tmp_path: Path, text: str) -> Path:
    (tmp_path / "case.yml").write_text(BASE, encoding="utf-8")
    (tmp_path / "a.csv").write_text(text, encoding="utf-8")
    return tmp_path


def test_csv_unclosed_quote_swallowing_records_names_the_row_where_it_opens(tmp_path):
    from review.errors import IngestError

    case_dir = _csv_case(
        tmp_path,
        'Date,Type,Details\n05/04/2023,Home visit,"Mum said he fell\n06/04/2023,Phone call,called GP\n'
        "07/04/2023,Home visit,seen ok\n",
    )
    with pytest.raises(IngestError) as err:
        _load(case_dir)
    assert (err.value.file, err.value.row, err.value.column) == ("a.csv", 2, "C")
    assert "2 record(s)" in err.value.message and "quote" in err.value.message


def test_csv_unclosed_quote_to_the_end_of_the_file_is_an_error(tmp_path):
    from review.errors import IngestError

    case_dir = _csv_case(tmp_path, 'Date,Type,Details\n04/04/2023,Letter,sent\n05/04/2023,Home visit,"Mum said\nhe fell\n')
    with pytest.raises(IngestError) as err:
        _load(case_dir)
    assert (err.value.row, err.value.column) == (3, "C") and "never closed" in err.value.message


def test_csv_quoted_narrative_over_several_lines_is_one_cell(tmp_path):
    case_dir = _csv_case(
        tmp_path,
        'Date,Type,Details\n05/04/2023,Home visit,"Mum said he fell.\nSeen 06/04/2023 by GP, no marks"\n'
        "07/04/2023,Home visit,seen ok\n",
    )
    contacts, report = _load(case_dir)
    assert len(contacts) == 2 and contacts["description"][0].startswith("Mum said he fell.\nSeen")


def test_csv_quoted_narrative_listing_earlier_contacts_is_one_cell_not_an_unclosed_quote(tmp_path):
    # its later lines read as whole records (3 fields, one a date), but the quote closes where it should
    narrative = "Summary of previous contacts:\n12/02/2023, A&E, head injury\n20/02/2023, GP, rash"
    case_dir = _csv_case(tmp_path, f'Date,Agency,Details\n05/03/2023,GP,"{narrative}"\n06/03/2023,GP,Bruise on cheek noted\n')
    contacts, report = _load(case_dir)
    assert len(contacts) == 2 and report.files[0].rows_rejected == 0
    assert contacts["description"][0] == narrative


def test_csv_quoted_narrative_whose_last_line_reads_as_a_record_is_one_cell(tmp_path):
    case_dir = _csv_case(tmp_path, 'Date,Agency,Details\r\n05/03/2023,GP,"Seen. Earlier:\r\n12/02/2023,A&E,head injury"\r\n'
                                   '06/03/2023,GP,"he said ""no"""\r\n')
    contacts, _ = _load(case_dir)
    assert contacts["description"][0].splitlines() == ["Seen. Earlier:", "12/02/2023,A&E,head injury"]
    assert contacts["description"][1] == 'he said "no"'


def test_csv_stray_quote_closed_by_a_later_cells_quote_is_still_an_error(tmp_path):
    from review.errors import IngestError

    case_dir = _csv_case(
        tmp_path,
        'Date,Type,Details\n05/04/2023,Home visit,"Mum said he fell\n06/04/2023,Phone call,called GP\n'
        '07/04/2023,Home visit,"seen, ok"\n08/04/2023,Letter,sent\n',
    )
    with pytest.raises(IngestError) as err:
        _load(case_dir)
    assert (err.value.row, err.value.column) == (2, "C") and "2 record(s)" in err.value.message


def test_csv_sloppy_quote_that_swallows_no_record_is_read_as_before(tmp_path):
    # malformed quoting, but no line of the cell is a record of its own: nothing is lost, nothing refused
    case_dir = _csv_case(tmp_path, 'Date,Details\n05/04/2023,"Mum said\nhe fell "off the bed" today"\n'
                                   '06/04/2023,"Home" visit\n')
    contacts, _ = _load(case_dir)
    assert len(contacts) == 2 and contacts["description"][0].startswith("Mum said\nhe fell off the bed")


def test_csv_cell_longer_than_the_csv_modules_default_limit_is_read(tmp_path):
    contacts, _ = _load(_csv_case(tmp_path, "Date,Details\n05/04/2023," + "x" * 200_000 + "\n"))
    assert len(contacts["description"][0]) == 200_000


# ---------------------------------------------------------------------------------------------------
# narrative in a Notes column or a second column for the same field is analysed; validate lists the rest
# ---------------------------------------------------------------------------------------------------
def test_a_notes_column_is_the_description(tmp_path):
    rows = [["Date", "Type", "Notes"], [dt.datetime(2023, 4, 3), "Home visit", "Bruise to baby's cheek noted"]]
    contacts, report = _load(_case(tmp_path, rows=rows))
    assert report.files[0].columns["description"] == "Notes" and contacts["concerns"][0] == "bruising"


def test_a_second_column_for_a_narrative_field_follows_it_under_its_header(tmp_path):
    rows = [["Date", "Details", "Summary", "Action", "Outcome", "Ref"],
            [dt.datetime(2023, 4, 3), "Routine visit", "Bruise to cheek noted", None,
             "Referred to children's social care", "R1"]]
    contacts, report = _load(_case(tmp_path, rows=rows))
    row = contacts.iloc[0]
    assert row["description"] == "Routine visit\nSummary: Bruise to cheek noted"
    assert row["action"] == "Outcome: Referred to children's social care"
    assert row["concerns"] == "bruising" and row["escalation"] == "referral_to_csc"
    assert json.loads(row["extra"]) == {"Ref": "R1"} and report.files[0].unmapped_columns == ["Ref"]
    assert any("'Summary' also name description" in n for n in report.files[0].notes)


def test_validate_lists_the_columns_it_does_not_analyse(tmp_path, capsys):
    from review.cli import main

    # ("Record" is a description header now: tests/test_columns_s14.py; "Jotted" is no field's)
    rows = [["Date", "Type", "Jotted", "Ref"], [dt.datetime(2023, 4, 3), "Home visit", "bruise", "R1"]]
    assert main(["validate", str(_case(tmp_path, rows=rows))]) == 0
    out = capsys.readouterr().out
    assert "Columns not analysed" in out
    assert "a.xlsx, sheet 'Log': 'Jotted', 'Ref'; no description column" in out


# ---------------------------------------------------------------------------------------------------
# dates: a mistyped day date has a day; a time column that says the time is not known
# ---------------------------------------------------------------------------------------------------
def test_mistyped_day_date_with_a_time_is_read_approximately():
    from review.ingest.dates import parse_date

    for value, time in (("22.05/16 14:30", None), ("22.05/16", "14:30")):
        parsed = parse_date(value, time)
        assert parsed.date == dt.datetime(2016, 5, 22, 14, 30)
        assert parsed.precision == "approximate" and parsed.time_known


@pytest.mark.parametrize("qualifier", ["early", "mid", "late", "end of"])
def test_early_late_with_a_mistyped_day_date_is_refused_not_moved_to_another_month(qualifier):
    from review.ingest.dates import DateParseError, parse_date

    with pytest.raises(DateParseError, match="needs a month or a year, not a day"):
        parse_date(f"{qualifier} 22.05/16")


@pytest.mark.parametrize("time", ["N/K", "n/k", "-", "unknown", "Not known", "NK", "n.k."])
def test_a_time_column_saying_not_known_gives_time_not_known(tmp_path, time):
    rows = [["Date", "Time", "Details"], ["04/04/2023", time, "bruise on cheek"], ["05/04/2023", "14:30", "called"]]
    contacts, report = _load(_case(tmp_path, rows=rows))
    assert list(contacts["time_known"]) == [False, True] and report.files[0].rows_rejected == 0
    assert contacts["date"][0] == dt.datetime(2023, 4, 4)
    assert any("time is not known in column 'Time' (row 2)" in n for n in report.files[0].notes)


def test_an_unreadable_time_is_rejected_naming_the_time_column(tmp_path):
    rows = [["Date", "Time", "Details"], ["04/04/2023", "after lunch", "visit"], ["Apr 2023", "10:00", "visit"]]
    _, report = _load(_case(tmp_path, rows=rows))
    assert [(r.row, r.column) for r in report.files[0].rejections] == [(2, "Time"), (3, "Time")]
    assert "unreadable time 'after lunch'" in report.files[0].rejections[0].reason


# ---------------------------------------------------------------------------------------------------
# one contact merged over several rows is one contact
# ---------------------------------------------------------------------------------------------------
def test_a_contact_merged_down_over_several_rows_is_one_contact_xlsx(tmp_path):
    case_dir = _case(tmp_path)
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "Log"
    ws.append(["Date", "Type", "Details", "Outcome"])
    ws.append([dt.datetime(2023, 4, 3), "Home visit", "A long narrative given room over rows 2-4", "NFA"])
    ws.append([None] * 4)
    ws.append([None] * 4)
    for column in "ABCD":
        ws.merge_cells(f"{column}2:{column}4")
    ws.append([dt.datetime(2023, 4, 10), "Phone call", "second contact", "none"])
    ws.append([None, "Letter", "same day as the call", None])  # the date merged over two contacts
    ws.merge_cells("A5:A6")
    wb.save(case_dir / "a.xlsx")
    contacts, report = _load(case_dir)
    sheet = report.files[0]
    assert list(contacts["source_row"]) == [2, 5, 6]
    assert (sheet.rows_read, sheet.rows_skipped) == (3, 2)
    assert any("2 merged-row continuation row(s) skipped" in n and "(rows 3, 4)" in n for n in sheet.notes)
    assert not [w for w in sheet.warnings if "duplicate" in w.message]  # no "duplicate of row 2"


def test_a_contact_merged_down_over_several_rows_is_one_contact_docx(tmp_path):
    import docx

    (tmp_path / "case.yml").write_text(BASE, encoding="utf-8")
    document = docx.Document()
    table = document.add_table(rows=4, cols=3)
    for r, values in enumerate([["Date", "Type", "Details"], ["03/04/2023", "Home visit", "long narrative"],
                                ["", "", ""], ["10/04/2023", "Phone call", "second"]]):
        for c, value in enumerate(values):
            table.cell(r, c).text = value
    for c in range(3):
        table.cell(1, c).merge(table.cell(2, c))
    document.save(tmp_path / "a.docx")
    contacts, report = _load(tmp_path)
    assert list(contacts["source_row"]) == [2, 4]
    assert any("merged-row continuation row(s) skipped" in n for n in report.files[0].notes)


def test_csv_mixing_utf8_and_a_cp1252_line_keeps_the_utf8_text(tmp_path):
    (tmp_path / "case.yml").write_text(BASE, encoding="utf-8")
    data = "Date,Details\n05/04/2023,Zoë seen – café\n".encode() + "06/04/2023,Zoë called\n".encode("cp1252")
    (tmp_path / "a.csv").write_bytes(data)
    contacts, report = _load(tmp_path)
    assert list(contacts["description"]) == ["Zoë seen – café", "Zoë called"]
    assert any("line 3 is not UTF-8" in n and "that line" in n and "mixed encodings" in n for n in report.files[0].notes)
