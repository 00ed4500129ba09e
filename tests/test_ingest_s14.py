"""Ingest defects of the fourteenth session: a declared profile's renamed column is one error for the
sheet (its rows still counted as rejected), footers under the last contact are skipped with a warning,
and the case folder's notes reach the workbook's Data quality sheet."""
from __future__ import annotations

import csv
import json
from pathlib import Path

import openpyxl
import pytest
import yaml

from review import export
from review.cli import main
from review.config import load_case_config
from review.ingest.load import load_contacts
from review.ingest.report import row_ranges
from review.pipeline import analyse, load_case

ROWS = [["01/02/2023", "Home visit, child seen and weighed", "none"],
        ["08/02/2023", "Mother phoned about a rash", "GP appointment offered"],
        ["15/02/2023", "Clinic, immunisations given", "none"]]


def make_case(folder: Path, files, profile: str | None = None) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    config = {"case_id": "C1", "date_of_birth": "2022-06-01", "review_date": "2023-12-31", "files": files}
    (folder / "case.yml").write_text(yaml.safe_dump(config), encoding="utf-8")
    if profile is not None:
        (folder / "profiles").mkdir(exist_ok=True)
        (folder / "profiles" / "gp.yml").write_text(profile, encoding="utf-8")
    return folder


def write_xlsx(path: Path, rows, title: str = "Chronology") -> Path:
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = title
    for row in rows:
        ws.append(row)
    wb.save(path)
    return path


def renamed_header_case(folder: Path, profile: str = "columns: {date: Date, description: Details}\n") -> Path:
    make_case(folder, [{"path": "gp.xlsx", "agency": "GP", "profile": "gp"}], profile)
    write_xlsx(folder / "gp.xlsx", [["GP chronology for C1"], [], ["Date of entry", "Details", "Outcome"], *ROWS])
    return folder


# ---------------------------------------------------------------------------------------------------
# 1. a declared profile whose column was renamed: one error for the sheet
# ---------------------------------------------------------------------------------------------------
def test_renamed_column_of_a_declared_profile_is_one_rejection_for_the_sheet(tmp_path):
    case = renamed_header_case(tmp_path)
    contacts, report = load_contacts(load_case_config(case))
    (sheet,) = report.files
    assert contacts.empty
    # every row still counted as rejected: the title and the header too, as any sheet without a header
    assert sheet.rows_read == sheet.rows_rejected == 5 and sheet.rows_accepted == 0 and report.balanced
    (rejection,) = sheet.rejections
    assert rejection.count == 5 and rejection.row == 3 and rejection.column == "Date of entry"
    reason = rejection.reason
    assert "profile 'gp' reads its date from 'Date', which the header row does not have" in reason
    assert "did you mean 'Date of entry'?" in reason
    assert "Row 3, the row naming the most of the profile's columns, holds 'Date of entry', 'Details', 'Outcome'" in reason
    assert "(profiles/gp.yml)" in reason and str(tmp_path) not in reason  # no machine-specific path
    assert reason.endswith("rows 1 and 3-6 (5 rows) rejected")


def test_validate_prints_the_renamed_column_once_naming_file_sheet_row_and_column(tmp_path, capsys):
    case = renamed_header_case(tmp_path)
    assert main(["validate", str(case)]) == 1
    output = capsys.readouterr().out
    lines = [line for line in output.splitlines() if line.startswith("  gp.xlsx")]
    assert len(lines) == 1
    assert lines[0].startswith("  gp.xlsx, sheet 'Chronology', row 3, column 'Date of entry': profile 'gp'")
    assert "Rejected rows (5, in 1 message(s)):" in output
    assert main(["validate", str(case), "--json"]) == 1
    data = json.loads(capsys.readouterr().out)
    assert data["rows_rejected"] == 5
    assert [r["count"] for r in data["files"][0]["rejections"]] == [5]


def test_renamed_column_with_a_profile_of_synonyms_only_suggests_the_closest_header(tmp_path):
    case = renamed_header_case(tmp_path, "extends: none\nfields: {date: [Date], description: [Details]}\n")
    _, report = load_contacts(load_case_config(case))
    (rejection,) = report.files[0].rejections
    assert "reads its date from 'date'" in rejection.reason and "did you mean 'Date of entry'?" in rejection.reason


def test_a_sheet_without_a_header_and_no_declared_profile_is_one_rejection_of_its_rows(tmp_path):
    make_case(tmp_path, [{"path": "gp.xlsx", "agency": "GP"}])
    # s15: "Date of entry" is a generic date header now (it read these rows); s17: so is "Logged on"; "When
    # logged" is none. s17: the sheet's rows are one rejection naming them (it was one per row)
    write_xlsx(tmp_path / "gp.xlsx", [["When logged", "Notes"], *[[r[0], r[1]] for r in ROWS]])
    _, report = load_contacts(load_case_config(tmp_path))
    sheet = report.files[0]
    assert sheet.rows_rejected == 4 and [r.count for r in sheet.rejections] == [4]
    assert sheet.rejections[0].reason.endswith("rows 1-4 (4 rows) rejected")


def test_profile_with_an_explicit_header_row_suggests_the_renamed_column(tmp_path):
    # s15: with header_row declared too the sheet's rows are one rejection, no longer a ConfigError for the case
    case = renamed_header_case(tmp_path, "header_row: 3\ncolumns: {date: Date, description: Details}\n")
    _, report = load_contacts(load_case_config(case))
    (rejection,) = report.files[0].rejections
    assert rejection.row == 3 and rejection.column == "Date of entry" and rejection.count == 5
    assert "did you mean 'Date of entry'?" in rejection.reason


def test_row_ranges_name_runs_of_rows():
    assert row_ranges([7]) == "row 7"
    assert row_ranges([5, 4, 6, 9, 12, 13]) == "rows 4-6, 9 and 12-13 (6 rows)"
    assert row_ranges(list(range(2, 100_002))) == "rows 2-100001 (100000 rows)"


# ---------------------------------------------------------------------------------------------------
# 2. footers under the last contact
# ---------------------------------------------------------------------------------------------------
def read_with_tail(folder: Path, tail, name: str = "gp.xlsx"):
    make_case(folder, [{"path": name, "agency": "GP"}])
    rows = [["Date", "Details", "Outcome"], *ROWS, *tail]
    if name.endswith(".csv"):
        with open(folder / name, "w", newline="", encoding="utf-8") as handle:
            csv.writer(handle).writerows(rows)
    else:
        write_xlsx(folder / name, rows)
    contacts, report = load_contacts(load_case_config(folder))
    return contacts, report.files[0]


@pytest.mark.parametrize("tail, footer_rows", [
    ([[], ["Prepared by J Smith, Named Nurse, 01/08/2024"]], [6]),
    ([["End of chronology", "End of chronology", "End of chronology"]], [5]),  # merged across the row
    ([["Signed: ………………  Date: ………………"], ["J Smith"]], [5, 6]),
    ([["Prepared by:"], ["J Smith"], ["01/08/2024"]], [5, 6, 7]),
    ([["Prepared by J Smith", "Named Nurse", "01/08/2024"]], [5]),
])
def test_footer_rows_are_skipped_with_a_warning_naming_the_row(tmp_path, tail, footer_rows):
    contacts, sheet = read_with_tail(tmp_path, tail)
    assert len(contacts) == 3 and sheet.rows_rejected == 0 and sheet.rows_read == 3
    assert sheet.rows_skipped == len(tail)  # the blank row too
    footers = [w for w in sheet.warnings if w.message.startswith("footer under the chronology skipped")]
    assert [w.row for w in footers] == footer_rows
    assert footers[0].column == "Date"


def test_footer_of_a_csv_is_skipped_and_named_in_validate(tmp_path, capsys):
    read_with_tail(tmp_path, [["Signed: J Smith", "Date: 01/08/2024"]], name="gp.csv")
    assert main(["validate", str(tmp_path)]) == 0
    assert ("gp.csv, row 5, column 'Date': footer under the chronology skipped, not read as a contact: "
            "'Signed: J Smith'") in capsys.readouterr().out


@pytest.mark.parametrize("tail, rejected", [
    # a contact whose text mentions who prepared something, undated, under Details: rejected, not a footer
    ([[None, "Prepared report for the case conference", None]], [5]),
    # narrative after the phrase: a contact without its date
    ([["Prepared by mother: bottle feeds", "HV advised on sterilising"]], [5]),
    ([["Date: unknown", "Mother reported a bruise to the arm", "Referral to CSC"]], [5]),
    # a footer's words above a contact are no footer (the footer is under the last contact)
    ([["Prepared by J Smith, Named Nurse, 01/08/2024"], ["22/02/2023", "Home visit", "none"]], [5]),
])
def test_rows_that_only_mention_preparing_are_not_footers(tmp_path, tail, rejected):
    contacts, sheet = read_with_tail(tmp_path, tail)
    assert [r.row for r in sheet.rejections] == rejected
    assert not any(w.message.startswith("footer") for w in sheet.warnings)
    assert len(contacts) == 3 + sum(1 for row in tail if row and row[0] == "22/02/2023")


def test_a_dated_last_contact_mentioning_prepared_by_is_read(tmp_path):
    contacts, sheet = read_with_tail(tmp_path, [["01/03/2023", "Report prepared by J Smith for conference", "none"]])
    assert len(contacts) == 4 and sheet.rows_rejected == 0 and not sheet.warnings
    assert contacts["description"].iloc[-1] == "Report prepared by J Smith for conference"


# ---------------------------------------------------------------------------------------------------
# 3. the case folder's notes in the workbook's Data quality sheet
# ---------------------------------------------------------------------------------------------------
def test_unlisted_file_note_is_in_the_workbook_data_quality_sheet(tmp_path):
    make_case(tmp_path, [{"path": "gp.xlsx", "agency": "GP"}])
    write_xlsx(tmp_path / "gp.xlsx", [["Date", "Details", "Outcome"], *ROWS])
    write_xlsx(tmp_path / "gp_resubmitted.xlsx", [["Date", "Details"], ["01/02/2023", "Visit"]])
    case = load_case(tmp_path)
    assert len(case.report.notes) == 1 and "gp_resubmitted.xlsx" in case.report.notes[0]
    path = export.write_workbook(tmp_path / "chronology.xlsx", analyse(case), case.config, case.report)
    ws = openpyxl.load_workbook(path)["Data quality"]
    values = [[c.value for c in row] for row in ws.iter_rows()]
    at = next(i for i, row in enumerate(values) if row[0] == "Case folder notes")
    assert values[at + 1][0] == "Case folder note"
    assert values[at + 2][0] == case.report.notes[0]
    # the rejections and warnings table follows, whole
    assert any(row[0] == "Rejected rows and warnings (every one)" for row in values[at + 3:])
    html = export.write_html(tmp_path / "report.html", case.config, analyse(case), report=case.report)
    assert "Case folder notes (1)" in Path(html).read_text(encoding="utf-8")


def test_the_built_workbook_lists_the_case_folder_notes(tmp_path):
    make_case(tmp_path / "case", [{"path": "gp.xlsx", "agency": "GP"}])
    write_xlsx(tmp_path / "case" / "gp.xlsx", [["Date", "Details", "Outcome"], *ROWS])
    (tmp_path / "case" / "police.csv").write_text("Date,Details\n01/02/2023,Call\n", encoding="utf-8")
    assert main(["build", str(tmp_path / "case"), "--out", str(tmp_path / "out")]) in (0, 1)
    ws = openpyxl.load_workbook(tmp_path / "out" / "chronology.xlsx")["Data quality"]
    texts = [str(c.value) for row in ws.iter_rows() for c in row if c.value]
    assert any("'police.csv' is in the case folder but not listed under `files:`" in t for t in texts)


def test_no_case_folder_notes_leaves_the_data_quality_sheet_as_it_was(tmp_path):
    make_case(tmp_path, [{"path": "gp.xlsx", "agency": "GP"}])
    write_xlsx(tmp_path / "gp.xlsx", [["Date", "Details", "Outcome"], *ROWS])
    case = load_case(tmp_path)
    path = export.write_workbook(tmp_path / "chronology.xlsx", analyse(case), case.config, case.report)
    ws = openpyxl.load_workbook(path)["Data quality"]
    assert ws.cell(row=len(case.report.files) + 3, column=1).value == "Rejected rows and warnings (every one)"
    assert not any(c.value == "Case folder notes" for row in ws.iter_rows() for c in row)
