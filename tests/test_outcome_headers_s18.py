"""QA3 (the Amara case): the headers of social care's outcome column and of a nursery's weekly register, and the
advice on a sheet whose header is not recognised.

1. (QA 2) "Contact / Referral outcome" (and "Referral outcome", "Contact outcome", "Outcome of contact", an
   "... outcome" column) was not the action: social care's decisions ("Case closed - NFA") were kept under
   'Other columns', unread. It is the action now; beside a real action column it follows that column's text under
   its header; a DSL log's "DSL action" is its action and its "Outcome" follows (it was the other way round).
2. (QA 12) "Week commencing" / "w/c" / "Week beginning" / "Week ending" were no date headers: a nursery's
   attendance register was rejected whole. They are now, and their dates are approximate (a day of that week),
   as a cell "w/c 04/05/2020" is.
3. (QA 12) The advice on a sheet with no header recognised proposed a column of numbers ("Sessions booked") as the
   narrative, and a junk row ("p.2 missing", "??") as the header; now neither, and a sheet with neither dates nor
   narrative is advised to be left out first.
"""
from __future__ import annotations

import datetime as dt
from pathlib import Path

import openpyxl
import pytest

from review.config import CaseConfig, FileSpec, load_case_config
from review.ingest.headers import header_hit, load_profile
from review.ingest.load import contacts_from_table, load_contacts
from review.ingest.tables import RawTable

CASE = CaseConfig(case_dir=Path("."), case_id="T-OUT", child_name="Amara Lowe", date_of_birth=dt.date(2019, 1, 20))


def _read(rows, agency="Westbridge Children's Social Care", file="f.xlsx"):
    from review.config import load_vocab

    table = RawTable(file=file, sheet="S", rows=[list(r) for r in rows], row_numbers=list(range(1, len(rows) + 1)))
    return contacts_from_table(table, FileSpec(path=file, agency=agency), load_profile(None), CASE, load_vocab())


# --- 1. outcome headers --------------------------------------------------------------------------------------
@pytest.mark.parametrize("header", ["Contact / Referral outcome", "Referral outcome", "Contact outcome",
                                    "Outcome of contact", "Outcome", "Referral/contact outcome", "Outcome of referral"])
def test_an_outcome_header_is_the_action(header):
    assert header_hit(load_profile(None).lookup(), header)[0] == "action"
    contacts, report = _read([["Date", "Details", header],
                              ["16/09/2019", "Announced home visit.", "No concerns. Case closed - NFA."]])
    assert report.columns["action"] == header and header not in report.unmapped_columns  # was: unmapped
    assert contacts["action"].tolist() == ["No concerns. Case closed - NFA."]


def test_the_csc_chronologys_two_row_header_reads_its_outcome_as_the_action():
    # westbridge_csc_chronology.xlsx of the QA case: a title block, then "Contact" merged over Date | Source | Details
    rows = [["WESTBRIDGE CHILDREN'S SERVICES - SINGLE AGENCY CHRONOLOGY", None, None, None, None, None],
            ["Contact", None, None, "Worker", "Contact / Referral outcome", "Child seen"],
            ["Date", "Source", "Details", None, None, None],
            ["16/09/2019", "Home visit", "Announced home visit. Amara observed playing.", "Duty SW",
             "No concerns. Mother's explanation plausible. Case closed - NFA.", "Yes"]]
    contacts, report = _read(rows)
    assert report.columns["action"] == "Contact / Referral outcome"
    assert contacts["action"].tolist() == ["No concerns. Mother's explanation plausible. Case closed - NFA."]


def test_an_outcome_beside_an_action_column_follows_it():
    contacts, report = _read([["Date", "Details", "Referral outcome", "Action taken"],
                              ["28/10/2019", "Referral from aunt.", "NFA", "Checks with GP and HV."]])
    # the real action column stays the action: the outcome follows it, under its header
    assert report.columns["action"] == "Action taken"
    assert contacts["action"].tolist() == ["Checks with GP and HV.\nReferral outcome: NFA"]


def test_an_outcome_column_no_synonym_names_is_read_as_the_action():
    contacts, report = _read([["Date", "Details", "MASH outcome"],
                              ["28/10/2019", "Referral from aunt.", "Closed - no further action."]])
    assert contacts["action"].tolist() == ["Closed - no further action."]
    assert "MASH outcome" not in report.unmapped_columns
    assert any("column 'MASH outcome' is read as narrative" in n for n in report.notes)


def test_a_dsl_log_reads_its_dsl_action_before_its_outcome():
    contacts, report = _read([["Date raised", "Raised by", "Concern", "DSL action", "Outcome"],
                              ["18/11/2019", "Key worker", "Fingertip bruising to both upper arms.",
                               "DSL spoke to mum. Monitor; not referred.", "Open"]], agency="Little Stars Day Nursery")
    assert contacts["action"].tolist() == ["DSL spoke to mum. Monitor; not referred.\nOutcome: Open"]
    # without an outcome header the DSL action follows a real action column as before
    contacts, _ = _read([["Date raised", "Concern", "Action", "DSL action"],
                         ["18/11/2019", "Bruising.", "Logged.", "Monitor."]], agency="Little Stars Day Nursery")
    assert contacts["action"].tolist() == ["Logged.\nDSL action: Monitor."]


# --- 2. week headers -----------------------------------------------------------------------------------------
# (s19: "Week ending" left out: these dates are Mondays, which end no week, so they are read to the day; the week
# ending's own case is in tests/test_dates_weeks_terms_s19.py)
@pytest.mark.parametrize("header", ["Week commencing", "w/c", "Week beginning", "W/C date"])
def test_a_week_header_is_the_date_and_its_dates_are_approximate(header):
    contacts, report = _read([[header, "Sessions booked", "Sessions attended", "Attended", "Reason"],
                              ["24/02/2020", 3, 0, "No", "Unwell per mum"],
                              ["02/03/2020", 3, 0, "No", "Withdrawn"]], agency="Little Stars Day Nursery")
    assert report.columns["date"] == header and report.rows_accepted == 2  # was: every row rejected
    assert contacts["date"].dt.date.tolist() == [dt.date(2020, 2, 24), dt.date(2020, 3, 2)]
    assert contacts["date_precision"].tolist() == ["approximate", "approximate"]  # as "w/c 24/02/2020" reads


def test_a_date_header_keeps_its_days():
    contacts, _ = _read([["Date", "Details"], ["24/02/2020", "Seen at nursery."]], agency="Little Stars Day Nursery")
    assert contacts["date_precision"].tolist() == ["day"]


# --- 3. the advice on a sheet with no header recognised --------------------------------------------------------
def _nursery(tmp_path: Path, sheets: dict[str, list[list]]) -> Path:
    case_dir = tmp_path / "case"
    case_dir.mkdir()
    wb = openpyxl.Workbook()
    wb.remove(wb.active)
    for name, rows in sheets.items():
        ws = wb.create_sheet(name)
        for row in rows:
            ws.append(row)
    wb.save(case_dir / "nursery.xlsx")
    (case_dir / "case.yml").write_text(
        "case_id: C1\ndate_of_birth: 2019-01-20\nfiles:\n  - {path: nursery.xlsx, agency: Little Stars Day Nursery}\n",
        encoding="utf-8")
    return case_dir


LOG = [["Date raised", "Staff", "Concern", "DSL action"],
       ["07/10/2019", "Key worker", "Bruise to forehead at drop off.", "Logged on body map. Monitor."]]


def _note(report, sheet):
    (found,) = [f for f in report.files if f.sheet == sheet]
    return next(n for n in found.notes if "no header row recognised" in n)


def test_the_advice_never_names_a_column_of_numbers_as_the_narrative(tmp_path):
    register = [["Week", "Sessions booked", "Sessions attended", "Reason"],
                ["30/09/2019", 10, 10, None], ["07/10/2019", 10, 10, None], ["13/01/2020", 10, 0, "Ill"]]
    _, report = load_contacts(load_case_config(_nursery(tmp_path, {"Concerns log": LOG, "Register": register})))
    note = _note(report, "Register")
    assert "date: 'Week'" in note
    assert "description: 'Reason'" in note  # was: description: 'Sessions booked'
    assert "Sessions booked'}" not in note and "description: 'Sessions" not in note


def test_a_junk_sheet_is_advised_to_be_left_out_and_no_junk_is_named_a_header(tmp_path):
    junk = [["see scanned pdf", None], ["###", 4], ["p.2 missing", "??"], ["####REF!", None]]
    _, report = load_contacts(load_case_config(_nursery(tmp_path, {"Concerns log": LOG, "Sheet3": junk})))
    note = _note(report, "Sheet3")
    assert "p.2 missing" not in note  # was: description: 'p.2 missing', row 3 "the row most like a header"
    assert "no row is like a header" in note
    assert "it has no column of dates nor of narrative: if it holds no contacts, leave it out: " \
           "`sheets: [Concerns log]`" in note
    assert "description: <the header of its narrative>" in note
