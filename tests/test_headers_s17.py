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
    from review.explorer import rejections_view  # notebook 01's view of it

    view = rejections_view(frame)
    assert str(view["row"].dtype) == "Int64" and view["row"].tolist()[::2] == [4, 7]


# --- the generic profile's headers of the Kayleigh case --------------------------------------------------
def _read_vocab(rows, agency="Westmoor Academy", file="f.xlsx"):
    from review.config import load_vocab

    table = RawTable(file=file, sheet="S", rows=[list(r) for r in rows], row_numbers=list(range(1, len(rows) + 1)))
    return contacts_from_table(table, FileSpec(path=file, agency=agency), load_profile(None), CASE, load_vocab())


def test_a_dsl_concern_log_is_read_with_the_generic_profile():
    contacts, report = _read_vocab([
        ["Westmoor Academy - DSL concern log (CPOMS export)", None, None, None, None],
        ["Date raised", "Raised by", "Concern", "DSL action", "Outcome"],
        ["24/01/2020", "Form tutor", "Kayleigh seen getting into a car with an older male at the school gate.",
         "Logged. Spoke to Kayleigh. Monitor.", "Open"],
    ])
    assert report.header_row == 2 and report.rows_accepted == 1 and not report.rejections  # was: every row rejected
    assert report.columns["date"] == "Date raised" and report.columns["role"] == "Raised by"
    row = contacts.iloc[0]
    assert row["date"].date() == dt.date(2020, 1, 24)
    assert row["description"] == "Kayleigh seen getting into a car with an older male at the school gate."
    # "DSL action" is a narrative-like column naming the action beside an outcome ("Outcome"): it is the action and
    # the outcome follows it, under its header (s18: was "Open\nDSL action: Logged. ...", the outcome first)
    assert row["action"] == "Logged. Spoke to Kayleigh. Monitor.\nOutcome: Open"
    assert "DSL action" not in report.unmapped_columns
    assert any("column 'DSL action' is read as narrative" in n and "narrative_like_words" in n for n in report.notes)


def test_a_return_home_interview_log_is_dated_by_its_date_of_rhi():
    contacts, report = _read_vocab([
        ["Date of RHI", "Episode date", "Worker", "Summary", "Actions"],
        ["02/04/2020", "27/03/2020", "Compass worker", "Return home interview by phone. Says her boyfriend is 19.",
         "Report emailed to Early Help worker."],
    ], agency="Compass Return Home Service")
    assert report.columns["date"] == "Date of RHI" and report.rows_accepted == 1  # was: no header row found
    assert contacts["date"].dt.date.tolist() == [dt.date(2020, 4, 2)]
    assert report.unmapped_columns == ["Episode date"]


def test_consultation_headers_are_the_description():
    clinic, report = _read_vocab([
        ["Attendance date", "Clinic", "Clinician", "Consultation notes", "Plan"],
        ["18/02/20", "Walk-in", "Nurse AB", "14 year old attended alone requesting emergency contraception.", "EHC given."],
    ], agency="Westmoor Sexual Health", file="clinic.csv")
    assert report.columns["description"] == "Consultation notes"  # was: no description column
    assert clinic["description"].tolist() == ["14 year old attended alone requesting emergency contraception."]
    gp, report = _read_vocab([["Date", "Consultation", "Outcome"],
                              ["12/11/2019", "Seen with mum. Low mood, poor sleep.", "Review 2/52."]],
                             agency="Harbourside Medical Practice")
    assert report.columns["description"] == "Consultation" and gp["action"].tolist() == ["Review 2/52."]


def test_an_eds_clinical_notes_follow_the_presenting_complaint_and_disposal_is_the_action():
    contacts, report = _read_vocab([
        ["Arrival", "Presenting complaint", "Clinical notes", "Disposal"],
        [dt.datetime(2020, 5, 16, 4, 5), "Alcohol intoxication",
         "Brought by police. Found in a car with an adult male. Heavily intoxicated.", "Discharged to mother."],
    ], agency="Westmoor General Hospital ED")
    row = contacts.iloc[0]
    # was: 'Clinical notes' and 'Disposal' kept in `extra`, unread
    assert row["description"] == ("Alcohol intoxication\nClinical notes: Brought by police. Found in a car with an "
                                  "adult male. Heavily intoxicated.")
    assert row["action"] == "Discharged to mother." and report.columns["action"] == "Disposal"
    assert not report.unmapped_columns and row["contact_type"] == "ae_attendance"


def test_a_narrative_like_column_beside_the_description_is_read_into_it():
    contacts, report = _read_vocab([
        ["Date", "Presenting complaint", "Triage notes", "Notes ref", "Outcome"],
        ["16/05/2020", "Intoxication", "Says her boyfriend is 19 and gives her vodka.", "TN-44", "Discharged."],
    ], agency="Westmoor General Hospital ED")
    row = contacts.iloc[0]
    assert row["description"] == "Intoxication\nTriage notes: Says her boyfriend is 19 and gives her vodka."
    assert report.unmapped_columns == ["Notes ref"]  # ends with no narrative word: kept under Other columns
    (note,) = [n for n in report.notes if "'Triage notes'" in n]
    assert "its text follows the description ('Presenting complaint')" in note


def test_a_narrative_like_column_is_the_description_of_a_sheet_without_one():
    contacts, report = _read_vocab([["Date", "Nursing notes", "Outcome"],
                                    ["16/05/2020", "Seen with mum, low mood.", "GP letter."]],
                                   agency="Westmoor General Hospital")
    assert report.columns["description"] == "Nursing notes"  # was: no description column
    assert contacts["description"].tolist() == ["Seen with mum, low mood."]


def test_a_free_text_concern_column_beside_the_description_is_narrative():
    contacts, report = _read_vocab([
        ["Date", "Concern", "Details", "Action"],
        ["24/01/2020", "Seen getting into a car with an older male at the school gate.", "Reported by tutor.", "Monitor."],
        ["11/02/2020", "Told friends her boyfriend is 19 and has a flat.", "Reported by PE teacher.", "DSL informed."],
    ])
    assert "concerns" not in report.columns
    assert contacts["description"].tolist()[0] == ("Reported by tutor.\nConcern: Seen getting into a car with an older "
                                                  "male at the school gate.")
    assert any("column 'Concern' is read as narrative (its values are free text" in n for n in report.notes)


def test_a_concern_column_of_categories_stays_the_concerns_column():
    contacts, report = _read_vocab([
        ["Date", "Concern", "Details"],
        ["24/01/2020", "Neglect", "Home conditions poor."],
        ["11/02/2020", "CSE", "Seen with older males."],
    ])
    assert report.columns["concerns"] == "Concern"
    assert contacts["description"].tolist() == ["Home conditions poor.", "Seen with older males."]


def test_a_camhs_activity_column_is_the_contact_type():
    contacts, report = _read_vocab([
        ["Date", "Activity", "Clinician", "Notes", "Outcome"],
        ["02/06/2020", "Referral received", "SPA triage", "GP referral: low mood.", "Referral declined."],
        ["26/10/2020", "Choice appointment", "CAMHS practitioner", "Seen with mum.", "Allocate to core CAMHS."],
    ], agency="Westmoor CAMHS")
    assert report.columns["contact_type"] == "Activity"  # was: kept in `extra`, the type read from the text
    assert contacts["contact_type"].tolist() == ["referral", "clinic_appointment"]
    assert not report.unmapped_columns and not report.warnings


def test_the_row_by_row_baseline_reads_a_narrative_like_column_as_ingest_does(tmp_path):
    import sys

    sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "benchmarks"))
    import baseline_rowwise

    from review.config import load_vocab
    from review.synth import GENERIC_HEADERS

    wb = openpyxl.Workbook()
    ws = wb.active
    ws.append([*GENERIC_HEADERS, "Triage notes", "DSL action"])
    blank = [None] * len(GENERIC_HEADERS)
    for date, details, notes, dsl in (("16/05/2020", "Intoxicated.", "Found in a car with an adult male.", None),
                                      ("17/05/2020", None, "Says her boyfriend is 19.", "Referred to MASH."),
                                      ("18/05/2020", "Seen at home.", None, None)):
        row = list(blank)
        row[0], row[1], row[7] = date, "Westmoor General Hospital", details
        ws.append([*row, notes, dsl])
    wb.save(tmp_path / "all.xlsx")
    (tmp_path / "case.yml").write_text("case_id: C1\ndate_of_birth: 2005-11-02\nfiles:\n  - path: all.xlsx\n",
                                       encoding="utf-8")
    loaded, _ = load_contacts(load_case_config(tmp_path))
    base = baseline_rowwise.read_chronology_rowwise(tmp_path / "all.xlsx", load_vocab())
    assert [r["description"] for r in base] == loaded.sort_values("source_row")["description"].tolist() == [
        "Intoxicated.\nTriage notes: Found in a car with an adult male.", "Triage notes: Says her boyfriend is 19.",
        "Seen at home."]
    for column in ("concerns", "escalation", "contact_type"):
        assert [r[column] for r in base] == loaded.sort_values("source_row")[column].astype(object).tolist(), column
    assert loaded.sort_values("source_row")["action"].tolist()[1] == "DSL action: Referred to MASH."
