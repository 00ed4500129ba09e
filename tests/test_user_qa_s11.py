"""A reviewer's first case, from scratch (session 11 QA): what went wrong for a real user, each fixed.

1. Agency names. An agency's own chronology writes its name in an Agency column by hand: "westshire
   health visiting" on one row and "Westshire Health Visiting" on the next were two agencies (two swimlane
   lanes, "6 agencies" in the headline, one of them of kind "other"). Names that differ only in case,
   spacing or punctuation are now one agency, spelt as case.yml declares it (else as most rows do), with a
   note; a name a letter or two away ("Westshire Health Visting") is left as written but warned about,
   naming the vocab.yml alias that merges it.
2. A misspelt key in case.yml was ignored in silence: `reveiw_date:` left the review period open (no flag at
   the review's end), `mobile_form:` made every injury one in a mobile child, `file:` read every spreadsheet
   with no agency declared, `sheet:` in a files entry read every sheet. A key close to a known one is now
   refused (exit 2) naming case.yml, the key and the key meant; other keys (a reviewer's notes) are left.
3. decisions.csv opened in Excel set to a UK locale and saved again has its dates as dd/mm/yyyy
   ("05/12/2026"): every build then stopped (exit 7, "date must be YYYY-MM-DD"). A full day-first date is now
   read as the chronologies' dates are; "3/4" is still refused.
4. `review flags my_case/case.yml` said "case folder not found" of a file that is there: it now says to
   give the folder, and which.
5. report.html's chronology gave each row's source file and row but not its sheet: in a workbook with a
   sheet per year "gp.xlsx, row 2" is two rows. It has a Source sheet column, as chronology.xlsx has.
6. `python -m review` said "No module named review.__main__" (a regulator re-running a case where the
   console script is not on PATH): it runs the command line.
7. An A&E export's "PRESENTING COMPLAINT / DETAILS" column was not read ("Columns not analysed ... no
   description column"): the spiral fracture in it raised nothing. A header of alternatives written with
   "/" names the field its parts name, when they name one; "Presenting complaint", "Attendance type" and
   "Seen by" (ED exports) are generic-profile headers.
8. chronology.xlsx's Response latency sheet showed a concern recorded for "Mar 2007" as 01/03/2007, a day
   the agency never wrote (the chronology and Flags sheets show "Mar 2007"): its dates, and the Agency
   knowledge sheet's, are shown to their contact's precision.
9. `review verify my_case` (the case folder, not its report) said only "no manifest.json in the report
   folder": it says that this is a case folder and which folder to give.
"""
from __future__ import annotations

import csv
from pathlib import Path

import pytest

from review.config import load_case_config
from review.decisions import load_decisions, record_decision
from review.errors import DecisionError
from review.errors import ConfigError
from review.ingest import load_contacts

HV_HEADER = ["Date of contact", "Agency", "Type of contact", "Details of contact", "Outcome"]


def _hv_case(tmp_path: Path, agencies: list[str], declared: str = "Westshire Health Visiting") -> Path:
    case = tmp_path / "case"
    case.mkdir()
    (case / "case.yml").write_text(
        "case_id: QA11\ndate_of_birth: 2006-11-20\nreview_date: 2008-03-31\n"
        f"files:\n  - {{path: hv.csv, agency: {declared}}}\n",
        encoding="utf-8",
    )
    with open(case / "hv.csv", "w", newline="", encoding="utf-8") as fh:
        writer = csv.writer(fh)
        writer.writerow(HV_HEADER)
        for day, agency in enumerate(agencies, start=1):
            writer.writerow([f"{day:02d}/02/2007", agency, "home visit", f"Visit {day}.", "Routine"])
    return case


def test_agency_names_differing_only_in_case_and_punctuation_are_one_agency(tmp_path):
    case = _hv_case(tmp_path, ["Westshire Health Visiting", "westshire health visiting",
                               "WESTSHIRE HEALTH-VISITING", "Westshire Health Visiting"])
    contacts, report = load_contacts(load_case_config(case))
    assert contacts["agency"].tolist() == ["Westshire Health Visiting"] * 4
    assert contacts["agency_kind"].tolist() == ["health"] * 4
    assert contacts["organisation"].tolist() == ["Westshire Health Visiting"] * 4
    notes = report.files[0].notes
    assert "agency 'westshire health visiting' read as 'Westshire Health Visiting' (the same name written with " \
           "other capitals, spaces or punctuation) (row 3)" in notes
    assert any("'WESTSHIRE HEALTH-VISITING' read as 'Westshire Health Visiting'" in n and "(row 4)" in n for n in notes)
    assert report.balanced


def test_the_spelling_most_rows_use_wins_when_case_yml_declares_none(tmp_path):
    case = _hv_case(tmp_path, ["NORTH CAIT", "North CAIT", "North CAIT"], declared="")
    contacts, _ = load_contacts(load_case_config(case))
    assert set(contacts["agency"]) == {"North CAIT"}
    assert set(contacts["agency_kind"]) == {"police"}


def test_a_misspelt_agency_is_kept_as_written_and_warned_about(tmp_path):
    case = _hv_case(tmp_path, ["Westshire Health Visiting", "Westshire Health Visting", "Westshire Health Visiting"])
    contacts, report = load_contacts(load_case_config(case))
    assert contacts["agency"].tolist() == ["Westshire Health Visiting", "Westshire Health Visting",
                                           "Westshire Health Visiting"]
    warnings = [(w.row, w.column, w.message) for w in report.files[0].warnings]
    assert (3, "Agency", "agency 'Westshire Health Visting' (1 row(s)) looks like 'Westshire Health Visiting' "
            "(2 row(s)) misspelt: read as written, as another agency; if they are one agency, add "
            "'Westshire Health Visting' to the aliases of 'Westshire Health Visiting' under `agencies:` in the "
            "case's vocab.yml (if they are two agencies, declare 'Westshire Health Visting' there as an agency of "
            "its own, and this warning goes)") in warnings


def test_the_alias_the_warning_names_merges_the_agency(tmp_path):
    case = _hv_case(tmp_path, ["Westshire Health Visiting", "Westshire Health Visting"])
    (case / "vocab.yml").write_text(
        "agencies:\n  Westshire Health Visiting:\n    aliases: [Westshire Health Visting]\n    kind: health\n",
        encoding="utf-8",
    )
    contacts, report = load_contacts(load_case_config(case))
    assert set(contacts["agency"]) == {"Westshire Health Visiting"}
    assert not report.files[0].warnings


def test_different_agencies_are_not_merged_or_warned_about(tmp_path):
    case = _hv_case(tmp_path, ["Westshire Police", "Westshire Health Visiting", "Riverside GP Surgery"])
    contacts, report = load_contacts(load_case_config(case))
    assert contacts["agency"].tolist() == ["Westshire Police", "Westshire Health Visiting", "Riverside GP Surgery"]
    assert not [w for w in report.files[0].warnings if "looks like" in w.message]  # (names in no vocabulary are warned about)
    assert not any("read as" in n for n in report.files[0].notes)


CASE_YML = "case_id: QA11\ndate_of_birth: 2006-11-20\nreview_date: 2008-03-31\nmobile_from: 2007-07-01\n"


@pytest.mark.parametrize("written, meant", [
    ("reveiw_date: 2008-03-31", "review_date"),
    ("mobile_form: 2007-07-01", "mobile_from"),
    ("date_of_death : 2008-03-31", None),  # YAML trims the space: a known key, read
    ("Date_of_Death: 2008-03-31", "date_of_death"),
    ("child_nmae: Lily", "child_name"),
    ("adresses: [1 Elm Road]", "addresses"),
    ("file:\n  - {path: hv.csv}", "files"),
])
def test_a_misspelt_case_yml_key_is_refused_naming_the_key_meant(tmp_path, written, meant):
    case = _hv_case(tmp_path, ["Westshire Health Visiting"])
    (case / "case.yml").write_text(CASE_YML.replace("review_date: 2008-03-31\n", "").replace(
        "mobile_from: 2007-07-01\n", "") + written + "\n", encoding="utf-8")
    if meant is None:
        assert load_case_config(case).date_of_death is not None
        return
    with pytest.raises(ConfigError) as error:
        load_case_config(case)
    assert str(error.value) == (f"{case / 'case.yml'}: unknown key {written.split(':')[0]!r}: did you mean "
                                f"{meant!r}? (a misspelt key would be ignored)")


def test_a_misspelt_key_of_a_files_entry_is_refused_naming_the_entry(tmp_path):
    case = _hv_case(tmp_path, ["Westshire Health Visiting"])
    (case / "case.yml").write_text(CASE_YML + "files:\n  - {path: hv.csv, agnecy: Westshire HV}\n"
                                   "  - {path: hv.csv, sheet: Log}\n", encoding="utf-8")
    with pytest.raises(ConfigError, match=r"case.yml: files entry 1 \('hv.csv'\): unknown key 'agnecy': did you "
                                          r"mean 'agency'\?"):
        load_case_config(case)


def test_other_keys_are_still_left_alone(tmp_path):
    case = _hv_case(tmp_path, ["Westshire Health Visiting"])
    (case / "case.yml").write_text(CASE_YML + "notes: panel met 01/04/2008\nlead_reviewer: Jane Lead\n"
                                   "files:\n  - {path: hv.csv, agency: HV, comment: from the IMR}\n",
                                   encoding="utf-8")
    config = load_case_config(case)
    assert config.review_date.isoformat() == "2008-03-31" and config.files[0].agency == "HV"


def test_decisions_saved_back_by_excel_with_uk_dates_are_read_day_first(tmp_path):
    case = _hv_case(tmp_path, ["Westshire Health Visiting"])
    # dates in the past (s15: a decision dated after today is a decision problem; 2026-12 was)
    record_decision(case, "injury_not_escalated-3f32d9a0b739", "accepted", "GP did not refer.", "Jane Lead",
                    "2024-12-05")
    record_decision(case, "", "added", "Police did not share the DASH.", "Jane Lead", "2024-12-06",
                    rule_id="information_not_shared", trigger_event_id="E1")
    before, _ = load_decisions(case)
    path = case / "decisions.csv"
    # what Excel (UK locale) writes: dd/mm/yyyy dates, CRLF line endings
    path.write_bytes(path.read_bytes().replace(b"2024-12-05", b"05/12/2024").replace(b"2024-12-06", b"06/12/2024")
                     .replace(b"\n", b"\r\n"))
    after, problems = load_decisions(case)
    assert after["date"].dt.strftime("%Y-%m-%d").tolist() == ["2024-12-05", "2024-12-06"]
    assert after["flag_id"].tolist() == before["flag_id"].tolist()  # the added finding keeps its id
    assert problems.empty


@pytest.mark.parametrize("written", ["3/4", "31/02/2026", "12/05/26", "2026/12/05x"])
def test_a_decision_date_that_is_not_a_full_date_is_still_refused(tmp_path, written):
    case = _hv_case(tmp_path, ["Westshire Health Visiting"])
    (case / "decisions.csv").write_text(f"flag_id,decision,rationale,author,date\nF1,accepted,ok,QA,{written}\n",
                                        encoding="utf-8")
    with pytest.raises(DecisionError) as error:
        load_decisions(case)
    assert str(error.value).endswith(f"decisions.csv, row 2, column 'date': date must be YYYY-MM-DD (or dd/mm/yyyy, "
                                     f"day first), got {written!r}")


def test_a_case_yml_given_for_the_case_folder_names_the_folder_to_give(tmp_path, capsys):
    from review.cli import main

    case = _hv_case(tmp_path, ["Westshire Health Visiting"])
    assert main(["flags", str(case / "case.yml")]) == 2
    assert capsys.readouterr().err.strip() == (
        f"review: error: {case / 'case.yml'}: not a folder: give the case folder (the one holding case.yml), "
        f"{str(case)!r} here")
    assert main(["validate", str(case / "hv.csv")]) == 2
    assert "hv.csv: not a folder: give the case folder (the one holding case.yml)" in capsys.readouterr().err


def test_the_html_chronology_names_each_rows_sheet(tmp_path):
    import html
    import re

    import openpyxl

    from review.build import build_report

    case = tmp_path / "case"
    case.mkdir()
    (case / "case.yml").write_text("case_id: QA11\ndate_of_birth: 2006-11-20\nreview_date: 2008-03-31\n"
                                   "files:\n  - {path: gp.xlsx, agency: Riverside GP Surgery}\n", encoding="utf-8")
    book = openpyxl.Workbook()
    for year, sheet in (("2007", book.active), ("2008", book.create_sheet())):
        sheet.title = year
        sheet.append(["Date", "Details"])
        sheet.append([f"14/01/{year}", f"Seen in {year}."])
    book.save(case / "gp.xlsx")
    build_report(case, tmp_path / "out", progress=False)
    text = (tmp_path / "out" / "report.html").read_text(encoding="utf-8")
    chronology = text[text.index('id="chronology"'):text.index('id="data-quality"')]
    cells = [html.unescape(c) for c in re.findall(r"<t[dh][^>]*>(.*?)</t[dh]>", chronology, flags=re.S)]
    width = cells.index("Source row") + 1  # the header row's cells (an "Other columns" column came in s14)
    at = cells.index("Source file")
    assert cells[at:at + 3] == ["Source file", "Source sheet", "Source row"]
    description = cells.index("Description")
    rows = [cells[i:i + width] for i in range(width, len(cells), width)]
    assert [(r[description], r[at], r[at + 1], r[at + 2]) for r in rows] == [("Seen in 2007.", "gp.xlsx", "2007", "2"),
                                                                           ("Seen in 2008.", "gp.xlsx", "2008", "2")]


def test_python_dash_m_review_runs_the_command_line(tmp_path):
    import os
    import subprocess
    import sys

    import review

    env = {**os.environ, "PYTHONPATH": str(Path(review.__file__).parent.parent)}
    done = subprocess.run([sys.executable, "-m", "review", "validate", str(tmp_path / "nope")], env=env,
                          capture_output=True, text=True, timeout=120)
    assert done.returncode == 2
    assert done.stderr.strip() == f"review: error: {tmp_path / 'nope'}: case folder not found"


def test_agencies_with_other_numbers_are_not_taken_for_misspellings(tmp_path):
    case = _hv_case(tmp_path, ["Northgate Hospital Ward 10", "Northgate Hospital Ward 11", "Police Team 1",
                               "Police Team 2", "Police Team 2"])
    contacts, report = load_contacts(load_case_config(case))
    assert contacts["agency"].nunique() == 4
    assert not [w for w in report.files[0].warnings if "looks like" in w.message]  # (names in no vocabulary are warned about)


def _ae_case(tmp_path: Path, headers: list[str]) -> Path:
    import openpyxl

    case = tmp_path / "case"
    case.mkdir()
    (case / "case.yml").write_text("case_id: QA11\ndate_of_birth: 2015-03-01\nreview_date: 2016-12-31\n",
                                   encoding="utf-8")
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(["NORTHGATE HOSPITAL - EMERGENCY DEPARTMENT"])
    sheet.append(headers)
    sheet.append(["01/11/2015", "A&E attendance", "Spiral fracture of femur.", "Admitted", "Dr Z"])
    book.save(case / "ae.xlsx")
    return case


def test_a_header_of_alternatives_names_the_field_its_parts_name(tmp_path):
    case = _ae_case(tmp_path, ["DATE/TIME", "ATTENDANCE TYPE", "PRESENTING COMPLAINT / DETAILS", "OUTCOME/ACTION",
                               "SEEN BY"])
    contacts, report = load_contacts(load_case_config(case))
    row = contacts.iloc[0]
    assert (row["description"], row["contact_type"], row["action"], row["role"]) == (
        "Spiral fracture of femur.", "ae_attendance", "Admitted", "Dr Z")
    assert row["concerns"] == "fracture"
    assert report.files[0].columns == {"date": "DATE/TIME", "contact_type": "ATTENDANCE TYPE",
                                       "description": "PRESENTING COMPLAINT / DETAILS", "action": "OUTCOME/ACTION",
                                       "role": "SEEN BY"}
    assert report.files[0].unmapped_columns == []


def test_alternatives_naming_two_fields_name_none(tmp_path):
    case = _ae_case(tmp_path, ["Date", "Type", "Details", "Agency/Organisation", "Worker"])
    contacts, report = load_contacts(load_case_config(case))
    assert "agency" not in report.files[0].columns and "organisation" not in report.files[0].columns
    assert report.files[0].unmapped_columns == ["Agency/Organisation"]
    assert contacts.iloc[0]["agency"] == "ae"  # the file's name, as for a sheet with no agency column


def test_the_response_latency_sheet_shows_a_partial_date_to_its_precision(tmp_path):
    import openpyxl

    from review.build import build_report

    case = tmp_path / "case"
    case.mkdir()
    (case / "case.yml").write_text("case_id: QA11\ndate_of_birth: 2006-11-20\nreview_date: 2008-03-31\n"
                                   "files:\n  - {path: gp.csv, agency: Riverside GP Surgery}\n", encoding="utf-8")
    (case / "gp.csv").write_text(
        "Date,Details,Outcome\n"
        "Mar 2007,\"Bruise on left cheek noted, mother says fell against cot.\",No action\n"
        "2007,Letter re missed appointments.,\n"
        "12/04/2007,Bruising to ear.,Referral to children's social care\n", encoding="utf-8")
    build_report(case, tmp_path / "out", progress=False)
    sheet = openpyxl.load_workbook(tmp_path / "out" / "chronology.xlsx")["Response latency"]
    header = [c.value for c in sheet[1]]
    date, escalated = header.index("Date"), header.index("Next escalation date")
    shown = [(r[date].value.date().isoformat(), r[date].number_format, r[escalated].number_format)
             for r in sheet.iter_rows(min_row=2)]
    assert shown == [("2007-03-01", "mmm yyyy", "dd/mm/yyyy"), ("2007-04-12", "dd/mm/yyyy", "dd/mm/yyyy")]


def test_verify_given_the_case_folder_says_to_give_the_report_folder(tmp_path, capsys):
    from review.cli import main

    case = _hv_case(tmp_path, ["Westshire Health Visiting"])
    assert main(["verify", str(case)]) == 8
    assert capsys.readouterr().err.strip() == (
        f"review: error: {case}: no manifest.json in the report folder: this is a case folder (it holds case.yml); "
        "give the report folder `review build` wrote (reports/<case_id>/ unless --out)")
