"""Nineteenth session (QA6 defect 7): common columns the generic profile did not read.

* a police log's "Result" (the occurrence's outcome: "Joint s47 agreed ...", "Filed - evidential difficulties.
  NFA.") is the action, read for escalations and closures;
* "Officer", "Nurse", "Reported by", "Staff" name the practitioner (role);
* "Contact" and "Attendance" are the contact type only when their values say so (`contact_type_by_values`): a
  school nurse's "Drop-in", a clinic's "Walk-in" / "Telephone"; not a "Contact" of people or phone numbers, nor an
  "Attendance" of percentages or of "Yes" / "No"."""
from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pytest

from review.config import CaseConfig, FileSpec, load_vocab
from review.ingest.headers import load_profile
from review.ingest.load import contacts_from_table
from review.ingest.tables import RawTable

CASE = CaseConfig(case_dir=Path("."), case_id="T-COL", child_name="Leah Corrigan", date_of_birth=dt.date(2009, 4, 10))


def _read(rows, agency="Westshire Police", file="f.csv"):
    table = RawTable(file=file, sheet="", rows=[list(r) for r in rows], row_numbers=list(range(1, len(rows) + 1)))
    contacts, _ = contacts_from_table(table, FileSpec(path=file, agency=agency), load_profile(None), CASE, load_vocab())
    return contacts


def test_a_police_result_is_the_action():
    contacts = _read([["Date of occurrence", "Occurrence type", "Summary", "Result"],
                      ["04/03/2020", "Child abuse", "Victim retracted account. Suspect not interviewed.",
                       "Filed - evidential difficulties. NFA."],
                      ["16/10/2021", "Missing person", "Reported missing by mother. Located at a friend's.",
                       "Returned home. Referral to MASH made."]])
    assert contacts["action"].tolist() == ["Filed - evidential difficulties. NFA.", "Returned home. Referral to MASH made."]
    assert contacts["escalation"].tolist() == ["", "referral_to_csc"]
    assert not any("Result" in json.loads(e or "{}") for e in contacts["extra"])


@pytest.mark.parametrize("header", ["Officer", "Nurse", "Reported by", "Staff", "Officer in case"])
def test_practitioner_headers(header):
    contacts = _read([["Date", header, "Notes"], ["12/01/2021", "SN Lowe", "Seen at drop-in."]])
    assert contacts["role"].tolist() == ["SN Lowe"]


@pytest.mark.parametrize("header, values, typed", [
    ("Contact", ["Drop-in", "Health questionnaire", "Drop-in"], ["clinic_appointment", "other", "clinic_appointment"]),
    ("Attendance", ["Walk-in", "Telephone", "Walk-in"], ["clinic_appointment", "phone_call", "clinic_appointment"]),
    ("Contact", ["Home visit", "Telephone", "Letter"], ["home_visit", "phone_call", "letter"]),
])
def test_contact_or_attendance_of_contact_types_is_the_type(header, values, typed):
    rows = [["Date", header, "Notes"]] + [[f"1{i}/01/2021", v, "Leah spoke about home."] for i, v in enumerate(values)]
    contacts = _read(rows, agency="Westshire School Nursing")
    assert contacts["contact_type"].tolist() == typed


@pytest.mark.parametrize("header, values", [
    ("Contact", ["Mother", "Dr Shah", "Mother"]),  # people
    ("Contact", ["01632 960000", "01632 960001", "01632 960002"]),  # phone numbers
    ("Contact", ["Telephone", "01632 960001", "Home visit"]),  # a number among them: not a type column
    ("Attendance", ["92%", "58%", "71%"]),
    ("Attendance", ["Yes", "No", "Yes"]),
])
def test_contact_or_attendance_of_other_values_stays_unread(header, values):
    rows = [["Date", header, "Notes"]] + [[f"1{i}/01/2021", v, "Leah spoke about home."] for i, v in enumerate(values)]
    contacts = _read(rows, agency="Westshire School Nursing")
    assert set(contacts["contact_type"]) == {"other"}
    assert all(header in json.loads(e) for e in contacts["extra"])  # kept under Other columns


def test_a_contact_type_column_wins_over_a_contact_column():
    contacts = _read([["Date", "Contact type", "Contact", "Notes"],
                      ["12/01/2021", "Home visit", "Telephone", "Seen."]], agency="Westshire School Nursing")
    assert contacts["contact_type"].tolist() == ["home_visit"]
