"""s17 QA (Kayleigh: CSE and missing episodes), the headers the generic profile reads and what ingest says
about a sheet whose header it does not: small inline rows for each.

* a header not recognised: one rejection for the sheet naming its rows (it was one line per row), the advice
  naming the row most like a header (not the title row above it), and, in a workbook whose other sheet was
  read, listing the file a second time with `sheets:` (a profile for the whole file would not fit that sheet);
* a second table's header straight under the header is a row skipped (it was counted nowhere);
* `IngestReport.rejections_frame()` rows are nullable Int64 (they were floats beside a sheet's NaN);
* the generic profile's headers of the Kayleigh case ("Date raised", "Date of RHI", "Consultation notes",
  "Consultation", "Clinical notes", "Disposal", "Activity"), a narrative-like column beside the description
  ("Triage notes") read into it, and a free-text Concern column read as narrative.
"""
from __future__ import annotations

import datetime as dt
from pathlib import Path

import openpyxl
import pandas as pd

from review.config import CaseConfig, FileSpec, load_case_config
from review.ingest.headers import load_profile
from review.ingest.load import contacts_from_table, load_contacts
from review.ingest.report import FileReport, IngestReport, Rejection, RowWarning
from review.ingest.tables import RawTable

CASE = CaseConfig(case_dir=Path("."), case_id="T-HDR", child_name="Kayleigh Marsh", date_of_birth=dt.date(2005, 11, 2))


def _read(rows, sheet="S", file="f.xlsx", agency="Westmoor Academy"):
    table = RawTable(file=file, sheet=sheet, rows=[list(r) for r in rows], row_numbers=list(range(1, len(rows) + 1)))
    return contacts_from_table(table, FileSpec(path=file, agency=agency), load_profile(None), CASE, {})


# --- a sheet without a header recognised ------------------------------------------------------------
TITLED = [["Westmoor Academy - DSL concern log (CPOMS export)", None, None],
          ["Logged", "Kind", "Text"],
          ["24/01/2020", "CSE", "Seen getting into a car with an older male at the school gate."],
          ["11/02/2020", "CSE", "Love bites on neck; says her boyfriend is 19."]]


def test_no_header_is_one_rejection_naming_its_rows():
    contacts, report = _read(TITLED)
    assert contacts.empty and report.rows_read == report.rows_rejected == 4
    (rejection,) = report.rejections
    assert rejection.count == 4 and rejection.row == 2  # the row most like a header
    assert rejection.reason.startswith("no header row found") and rejection.reason.endswith("rows 1-4 (4 rows) rejected")


def test_no_header_advice_names_the_header_not_the_title_row_above_it():
    _, report = _read(TITLED)
    (note,) = [n for n in report.notes if "no header row recognised" in n]
    assert "row 2, the row most like a header (under 1 title row(s)), holds 'Logged', 'Kind', 'Text'" in note
    assert "`columns: {date: 'Logged', description: 'Text'}`" in note
    assert "date: 'Westmoor Academy" not in note  # was: the title proposed as the date header


def test_no_header_advice_without_a_title_row_is_as_before():
    _, report = _read(TITLED[1:])
    (note,) = [n for n in report.notes if "no header row recognised" in n]
    assert "the first row holds 'Logged', 'Kind', 'Text'" in note
    assert "`profile: f` on its entry under `files:` in case.yml" in note


def _ods_like_case(tmp_path: Path) -> CaseConfig:
    wb = openpyxl.Workbook()
    wb.remove(wb.active)
    for name, rows in {"Attendance": [["Date", "Type", "Details"], ["12/09/2019", "Attendance", "Autumn 1 96%"]],
                       "DSL log": TITLED}.items():
        ws = wb.create_sheet(name)
        for row in rows:
            ws.append(row)
    wb.save(tmp_path / "academy.xlsx")
    (tmp_path / "case.yml").write_text(
        "case_id: C1\ndate_of_birth: 2005-11-02\nfiles:\n  - {path: academy.xlsx, agency: Westmoor Academy}\n",
        encoding="utf-8")
    return load_case_config(tmp_path)


def test_a_workbook_whose_other_sheet_is_read_is_advised_to_list_the_file_twice(tmp_path):
    contacts, report = load_contacts(_ods_like_case(tmp_path))
    attendance, log = report.files
    assert attendance.rows_accepted == 1 and log.rows_rejected == 4 and len(log.rejections) == 1
    (note,) = [n for n in log.notes if "no header row recognised" in n]
    assert "the file's other sheet(s) ('Attendance') being read with their header" in note
    assert ("`- {path: academy.xlsx, sheets: [DSL log], profile: academy_dsl_log}`, with "
            "`columns: {date: 'Logged', description: 'Text'}` in profiles/academy_dsl_log.yml") in note
    assert "profile: academy}" not in note and "profiles/academy.yml" not in note
    # the advice, followed, reads both sheets
    (tmp_path / "profiles").mkdir()
    (tmp_path / "profiles" / "academy_dsl_log.yml").write_text(
        "columns: {date: 'Logged', description: 'Text'}\n", encoding="utf-8")
    (tmp_path / "case.yml").write_text(
        "case_id: C1\ndate_of_birth: 2005-11-02\nfiles:\n"
        "  - {path: academy.xlsx, agency: Westmoor Academy, sheets: [Attendance]}\n"
        "  - {path: academy.xlsx, agency: Westmoor Academy, sheets: [DSL log], profile: academy_dsl_log}\n",
        encoding="utf-8")
    contacts, report = load_contacts(load_case_config(tmp_path))
    assert [f.rows_accepted for f in report.files] == [1, 2] and report.rows_rejected == 0


# --- a second table's header straight under the header -----------------------------------------------
def test_a_second_header_under_the_header_is_a_row_skipped():
    rows = [["Date", "Details", "Outcome"], ["Details", "Date"]]
    contacts, report = _read(rows)
    assert report.header_row == 1 and report.rows_read == 0
    assert 1 + report.rows_read + report.rows_skipped == len(rows)  # was one short: the row counted nowhere


def test_a_second_table_with_rows_adds_up():
    rows = [["Date", "Details", "Outcome"], ["01/02/2020", "Seen", "None"],
            ["Details", "Date"], ["Seen at clinic", "03/02/2020"]]
    contacts, report = _read(rows)
    assert contacts["source_row"].tolist() == [2, 4]
    assert (report.rows_read, report.rows_skipped) == (2, 1)


# --- rejections_frame rows ----------------------------------------------------------------------------
def test_rejection_rows_are_whole_numbers():
    sheet = FileReport(file="gp.xlsx", sheet="GP")
    sheet.rejections.append(Rejection(4, "Date", "no date"))
    sheet.warnings.append(RowWarning(None, None, "a warning about the whole sheet"))
    sheet.warnings.append(RowWarning(7, "Type", "unknown type"))
    frame = IngestReport(case_id="C1", files=[sheet]).rejections_frame()
    assert str(frame["row"].dtype) == "Int64"
    assert frame["row"].tolist()[0] == 4 and pd.isna(frame["row"].iloc[1]) and frame["row"].iloc[2] == 7
    assert "4.0" not in frame.to_string()
    assert str(IngestReport(case_id="C1").rejections_frame()["row"].dtype) == "Int64"  # empty too
