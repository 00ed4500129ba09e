"""s16: a family adult whom case.yml `people` does not list, in a "Patient" column of a family's record, is
still rejected (one case is one child), but no longer worded as "another child": "record of another person,
not the case's child" when only a name (or an NHS number) differs, "record of an adult, by date of birth, not
the case's child" when the row's date of birth is an adult's; the file's summary says so too, without asking
for a case to be built for "that child". A sibling's row keeps "another child"."""
from __future__ import annotations

from pathlib import Path

import openpyxl
import yaml

from review.config import load_case_config
from review.ingest import load_contacts
from review.ingest.identity import ADULT_BY_DOB, CHILD, OTHER, PERSON, dob_verdict, name_verdict, summary

HEADER = ["Patient", "DOB", "Date", "Agency", "Type of contact", "Details of contact", "Outcome"]


def _case(case_dir: Path, rows: list[list], header=HEADER) -> tuple:
    case_dir.mkdir(parents=True)
    (case_dir / "case.yml").write_text(yaml.safe_dump(
        {"case_id": "fam", "date_of_birth": "2019-03-01", "child_name": "Mia Jones", "review_date": "2021-12-31"}),
        encoding="utf-8")
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "Family"
    ws.append(header)
    for row in rows:
        ws.append(row)
    wb.save(case_dir / "gp_family.xlsx")
    contacts, report = load_contacts(load_case_config(case_dir))
    sheet = report.files[0]
    return contacts, [(r.row, r.column, r.reason) for r in sheet.rejections], [w.message for w in sheet.warnings]


def test_the_verdicts_say_whom_a_cell_shows():
    mia = ("mia", "jones")
    assert name_verdict("Sian Jones (mother)", mia, "Mia Jones").who == PERSON
    assert name_verdict("Leo Jones (sibling)", mia, "Mia Jones").who == CHILD
    assert name_verdict("Leo Jones", mia, "Mia Jones", child_column=True).who == CHILD
    import datetime as dt

    dob = dt.date(2019, 3, 1)
    assert dob_verdict("12/05/1994", dob).who == ADULT_BY_DOB
    assert (dob_verdict("15/10/2020", dob).code, dob_verdict("15/10/2020", dob).who) == (OTHER, CHILD)
    assert dob_verdict("1990", dob).who == ADULT_BY_DOB and dob_verdict("2020", dob).who == CHILD


def test_a_patient_named_with_a_note_mother_is_another_person_not_another_child(tmp_path):
    contacts, rejected, warnings = _case(tmp_path / "a", [
        ["Mia Jones", "", "01/04/2021", "Westshire GP", "Appointment", "Mia seen"],
        ["Sian Jones (mother)", "", "02/04/2021", "Westshire GP", "Appointment", "Low mood"],
    ])
    assert contacts["source_row"].tolist() == [2]  # the rejection is kept
    assert rejected == [(3, "Patient", "record of another person, not the case's child: name 'Sian Jones (mother)' "
                                       "differs from the case's child's (Mia Jones)")]
    assert "1 row is of another person, not the case's child (Sian): rejected (build a case for any other child " \
           "among them)" in warnings
    assert not any("another child" in w for w in warnings)


def test_a_patient_whose_date_of_birth_is_an_adults_is_an_adult_by_date_of_birth(tmp_path):
    contacts, rejected, warnings = _case(tmp_path / "b", [
        ["Mia Jones", "01/03/2019", "01/04/2021", "Westshire GP", "Appointment", "Mia seen"],
        ["Sian Jones", "12/05/1994", "02/04/2021", "Westshire GP", "Appointment", "Low mood"],
        ["Sian Jones", "12/05/1994", "09/04/2021", "Westshire GP", "Appointment", "Low mood review"],
    ])
    assert contacts["source_row"].tolist() == [2]
    assert rejected == [(row, "Patient", "record of an adult, by date of birth, not the case's child: name 'Sian Jones' "
                                         "differs from the case's child's (Mia Jones); DOB 12/05/1994 is 16 years or "
                                         "more before the case's 01/03/2019, an adult's (a parent's?) rather than "
                                         "another child's") for row in (3, 4)]
    assert "2 rows are of an adult (by date of birth), not the case's child (Sian): rejected" in warnings


def test_a_sibling_is_still_another_child_and_a_mixed_file_says_other_people(tmp_path):
    contacts, rejected, warnings = _case(tmp_path / "c", [
        ["Mia Jones", "01/03/2019", "01/04/2021", "Westshire GP", "Appointment", "Mia seen"],
        ["Leo Jones", "15/10/2020", "02/04/2021", "Westshire GP", "Appointment", "Leo seen"],
        ["Sian Jones (mother)", "", "03/04/2021", "Westshire GP", "Appointment", "Low mood"],
    ])
    assert contacts["source_row"].tolist() == [2]
    assert [r[2].split(":")[0] for r in rejected] == ["record of another child",
                                                      "record of another person, not the case's child"]
    assert rejected[0][1] == "DOB"
    assert "2 rows are of other people, not the case's child (Sian; Leo, DOB 15/10/2020): rejected (build a case " \
           "for any other child among them)" in warnings


def test_the_summary_of_children_alone_is_unchanged():
    assert summary("f.xlsx", 3, {"Leo, DOB 15/10/2020": 3}) == (
        "3 rows are of another child (Leo, DOB 15/10/2020): rejected; build a case for that child")
    assert summary("f.xlsx", 1, {"Sian": 1}, {"Sian": PERSON}) == (
        "1 row is of another person, not the case's child (Sian): rejected (build a case for any other child among "
        "them)")
