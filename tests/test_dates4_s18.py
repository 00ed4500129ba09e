"""s18 (QA4): dates a reviewer's files write that ingest misread or rejected.

A US-dated file's ambiguous dates are warned of one by one; school terms are dates; common letter and
clinic date headers are read; "no date" rejections quote the row.
"""
from __future__ import annotations

from pathlib import Path

import yaml

from review.cli import main
from review.ingest.dates import parse_date


def make_case(folder: Path, **config) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    values = {"case_id": "C1", "date_of_birth": "2012-05-01", "review_date": "2023-12-31", **config}
    (folder / "case.yml").write_text(yaml.safe_dump(values), encoding="utf-8")
    return folder


def write_csv(path: Path, rows) -> Path:
    path.write_text("\n".join(",".join("" if v is None else str(v) for v in row) for row in rows) + "\n",
                    encoding="utf-8")
    return path


def validate(case_dir: Path, capsys) -> tuple[int, str]:
    code = main(["validate", str(case_dir)])
    captured = capsys.readouterr()
    output = captured.out + captured.err
    assert "Traceback" not in output, output
    return code, output


# ---------------------------------------------------------------------------------------------------
# (12) a US-dated file: its ambiguous dates are warned of, row by row
# ---------------------------------------------------------------------------------------------------
DENTAL = [["Appointment date", "Clinic", "Notes"],
          ["14/09/2021", "Dental", "Check-up. Multiple caries."],
          ["01/13/2022", "Dental", "Pre-assessment cancelled by parent."],
          ["02/24/2022", "Dental", "Was not brought."],
          ["03/04/2022", "Dental", "Was not brought. Second WNB."],
          ["05/05/2022", "Dental", "Seen."]]


def test_an_ambiguous_date_in_a_sheet_with_month_first_only_dates_is_warned_of_with_both_readings(tmp_path, capsys):
    make_case(tmp_path)
    write_csv(tmp_path / "dental.csv", DENTAL)
    code, output = validate(tmp_path, capsys)
    assert code == 1  # 01/13/2022 and 02/24/2022 are still rejected, never guessed
    warnings = [line.strip() for line in output.splitlines() if "ambiguous date" in line]
    assert len(warnings) == 1, output  # 05/05/2022 reads the same either way; 14/09/2021 only day-first
    assert warnings[0].startswith("dental.csv, row 5, column 'Appointment date': ambiguous date '03/04/2022': "
                                  "read day-first as 3 April 2022, but month-first it is 4 March 2022")
    assert "'01/13/2022', '02/24/2022', rejected" in warnings[0]
    assert "no setting to read a file month-first" in warnings[0]
    # the rejection says what the date would be month-first
    assert ("dental.csv, row 3, column 'Appointment date': 01/13/2022 is not a real date (month 13; dates are "
            "read day-first, dd/mm/yyyy; 13 January 2022 if month-first)") in output


def test_the_ambiguous_date_is_still_read_day_first(tmp_path):
    from review.config import load_case_config
    from review.ingest.load import load_contacts

    make_case(tmp_path, files=[{"path": "dental.csv", "agency": "Dental"}])
    write_csv(tmp_path / "dental.csv", DENTAL)
    contacts, report = load_contacts(load_case_config(tmp_path))
    dates = sorted(contacts["date"].dt.strftime("%Y-%m-%d"))
    assert dates == ["2021-09-14", "2022-04-03", "2022-05-05"]


def test_a_sheet_with_no_month_first_only_date_gets_no_ambiguity_warning(tmp_path, capsys):
    make_case(tmp_path)
    write_csv(tmp_path / "gp.csv", [["Date", "Details"], ["14/09/2021", "Seen"], ["03/04/2022", "Seen"]])
    code, output = validate(tmp_path, capsys)
    assert "ambiguous date" not in output and code == 0, output


def test_a_month_above_12_that_cannot_be_month_first_either_says_nothing_more():
    try:
        parse_date("13/13/2022")
    except ValueError as error:
        assert "if month-first" not in str(error)
    else:
        raise AssertionError("13/13/2022 read")


# ---------------------------------------------------------------------------------------------------
# (13) school terms are dates, with a season's precision
# ---------------------------------------------------------------------------------------------------
def test_school_terms_are_read_as_three_months_of_the_term():
    import datetime as dt

    from review.ingest.dates import season_end, season_label

    expected = {"Autumn term 2021": (dt.date(2021, 9, 1), "Autumn 2021", dt.date(2021, 11, 30)),
                "Autumn 2021 term": (dt.date(2021, 9, 1), "Autumn 2021", dt.date(2021, 11, 30)),
                "Spring term 2022": (dt.date(2022, 1, 1), "Spring term 2022", dt.date(2022, 3, 31)),
                "spring Term, 22": (dt.date(2022, 1, 1), "Spring term 2022", dt.date(2022, 3, 31)),
                "Summer term 2022": (dt.date(2022, 5, 1), "Summer term 2022", dt.date(2022, 7, 31))}
    import pandas as pd

    for text, (start, label, end) in expected.items():
        parsed = parse_date(text)
        assert pd.Timestamp(parsed.date).date() == start and parsed.precision == "season", text
        assert season_label(pd.Timestamp(start)) == label
        assert season_end(pd.Timestamp(start)).date() == end
    # the seasons themselves are as they were
    assert pd.Timestamp(parse_date("Spring 2022").date).month == 3
    assert season_label(pd.Timestamp(2022, 3, 1)) == "Spring 2022"


def test_a_winter_term_is_rejected_with_the_terms_named():
    try:
        parse_date("Winter term 2021")
    except ValueError as error:
        assert "school terms are the autumn, spring and summer terms" in str(error)
    else:
        raise AssertionError("Winter term 2021 read")


def test_a_term_dated_row_is_accepted_and_the_workbook_shows_its_term(tmp_path, capsys):
    make_case(tmp_path)
    write_csv(tmp_path / "school.csv", [["Date", "Details"], ["Autumn term 2021", "Concerns about weight"],
                                        ["Spring term 2022", "Attendance 60%"]])
    code, output = validate(tmp_path, capsys)
    assert "unreadable date" not in output and "Rejected rows" not in output, output
    from review.export import _season_format

    assert _season_format("2022-01-01") == '"Spring term "yyyy'
    assert _season_format("2020-12-01") == '"Winter "yyyy"/21"'


# ---------------------------------------------------------------------------------------------------
# (14) a letter's or a clinic's date header is a date header
# ---------------------------------------------------------------------------------------------------
def test_letter_and_clinic_date_headers_are_read_as_the_date(tmp_path, capsys):
    for header in ("Date of letter", "Letter date", "Date of clinic", "Clinic date", "Date of appointment",
                   "Appointment date", "Date seen"):
        folder = make_case(tmp_path / header.replace(" ", "_"))
        write_csv(folder / "letters.csv", [[header, "Clinician", "Letter summary"],
                                           ["02/11/2021", "Dr A Mensah", "New referral re weight loss"],
                                           ["23/11/2021", "Dr A Mensah", "Not brought to clinic"]])
        code, output = validate(folder, capsys)
        assert "no header row" not in output, (header, output)
        assert "2 row(s) read, 2 accepted, 0 rejected" in output, (header, output)


def test_a_clinic_date_beside_the_letter_date_dates_the_contact(tmp_path):
    from review.config import load_case_config
    from review.ingest.load import load_contacts

    make_case(tmp_path)
    write_csv(tmp_path / "letters.csv", [["Date of letter", "Date of clinic", "Clinician", "Letter summary"],
                                         ["30/11/2021", "23/11/2021", "Dr A Mensah", "Not brought to clinic"]])
    contacts, _ = load_contacts(load_case_config(tmp_path))
    assert contacts["date"].dt.strftime("%Y-%m-%d").tolist() == ["2021-11-23"]


# ---------------------------------------------------------------------------------------------------
# (20) a "no date" rejection quotes the row's text; the anonymised view redacts the quote
# ---------------------------------------------------------------------------------------------------
def _no_date_case(folder: Path) -> Path:
    make_case(folder, child_name="Jordan Pryce", people={"Kerry Pryce": "Mother"})
    write_csv(folder / "school.csv", [["Date", "Staff", "Details"],
                                      ["14/09/2021", "DSL", "Concerns about weight"],
                                      ["", "DSL", "Safeguarding file not sent - no receiving school"],
                                      ["", "DSL", "Kerry Pryce rang to say Jordan Pryce will be home educated from "
                                                  "Monday and that no visit is needed"],
                                      ["", "", ""]])
    return folder


def test_a_no_date_rejection_quotes_the_rows_description(tmp_path, capsys):
    _no_date_case(tmp_path)
    code, output = validate(tmp_path, capsys)
    assert code == 1
    assert ("school.csv, row 3, column 'Date': no date: 'Safeguarding file not sent - no receiving school'"
            in output), output
    # at most 60 characters of it, then "..."
    assert ("school.csv, row 4, column 'Date': no date: 'Kerry Pryce rang to say Jordan Pryce will be home "
            "educated...'") in output, output


def test_the_quote_is_in_the_workbook_rejections_and_redacted_in_the_anonymised_view(tmp_path):
    from review.config import load_case_config
    from review.ingest.load import load_contacts
    from review.redact import Redactor

    case = load_case_config(_no_date_case(tmp_path))
    _, report = load_contacts(case)
    frame = report.rejections_frame()
    reasons = frame.loc[frame["kind"] == "rejected", "reason"].tolist()
    assert "no date: 'Safeguarding file not sent - no receiving school'" in reasons
    quoted = [r for r in reasons if "Kerry" in r]
    assert len(quoted) == 1 and "Jordan Pryce" in quoted[0]
    shown = Redactor.from_case(case).frame(frame)
    redacted = " ".join(shown["reason"].astype(str))
    assert "Kerry" not in redacted and "Jordan" not in redacted and "Pryce" not in redacted
    assert "no date: 'Mother rang to say Child A" in redacted, redacted


# ---------------------------------------------------------------------------------------------------
# (19) a sheet of figures beside the chronology: the advice is to leave it out
# ---------------------------------------------------------------------------------------------------
def test_an_attendance_sheet_of_figures_is_advised_to_be_left_out_first(tmp_path):
    import openpyxl

    from review.config import load_case_config
    from review.ingest.load import load_contacts

    make_case(tmp_path, date_of_birth="2013-03-04", review_date="2022-09-30")
    wb = openpyxl.Workbook()
    log = wb.active
    log.title = "Pastoral log"
    for row in [["Date", "Recorded by", "Details"], ["06/09/2021", "Class teacher", "Looks much thinner"],
                ["20/09/2021", "DSL", "Asked for extra toast"]]:
        log.append(row)
    attendance = wb.create_sheet("Attendance")
    for row in [["Term", "Sessions possible", "Sessions attended", "Attendance %"], ["Summer 2021", 124, 115, "92.7%"],
                ["Autumn 2021", 142, 115, 0.81], ["Spring 2022 (to 10/01)", 10, 6, 0.6]]:
        attendance.append(row)
    wb.save(tmp_path / "school.xlsx")
    _, report = load_contacts(load_case_config(tmp_path))
    (sheet,) = [f for f in report.files if f.sheet == "Attendance"]
    note = next(n for n in sheet.notes if "no header row recognised" in n)
    advice = note.split("every row rejected; ", 1)[1]
    assert advice.startswith("'Term' may hold its dates, but no column holds narrative"), advice
    assert "leave it out: `sheets: [Pastoral log]` on the file's entry under `files:` in case.yml" in advice
    assert "description: 'Sessions" not in note and "description: 'Attendance" not in note
