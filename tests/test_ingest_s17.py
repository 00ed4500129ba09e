"""Ingest readings (s17): the agency word "ED" only as an emergency department, never a person called Ed; the
emergency department's words written once in vocab.yml; a "Site" column of a body map kept as the injury's site,
not read as the organisation; a second table on a sheet found when its header starts in another column or its
date column cell is blank."""
from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from review.config import CaseConfig, FileSpec, load_vocab
from review.ingest.headers import load_profile
from review.ingest.load import contacts_from_table
from review.ingest.tables import RawTable
from review.vocab import Vocabulary, agency_cell_contact_type, agency_contact_type, normalise_agency

CASE = CaseConfig(case_dir=Path("."), case_id="T-S17", child_name="Mia Grant", date_of_birth=dt.date(2024, 1, 29))
VOCAB = load_vocab()


def _read(rows, agency=None, vocab=VOCAB):
    table = RawTable(file="chronology.xlsx", sheet="Contacts", rows=rows, row_numbers=list(range(1, len(rows) + 1)))
    return contacts_from_table(table, FileSpec(path="chronology.xlsx", agency=agency), load_profile(None), CASE, vocab)


# -- 1. "ED" is an emergency department, "Ed" a person --------------------------------------------------------
@pytest.mark.parametrize("name", ["Westshire ED", "ED (Westshire General)", "Emergency Department", "WESTSHIRE ED",
                                  "ED (WESTSHIRE GENERAL)", "Paediatric Ed", "Westshire General Ed", "ED Majors"])
def test_an_emergency_department_by_its_short_name_is_one(name):
    assert normalise_agency(name, VOCAB)[1] == "health"
    assert agency_contact_type(name, VOCAB) == "ae_attendance"
    assert agency_cell_contact_type("Majors", name, VOCAB) == "ae_attendance"


@pytest.mark.parametrize("name, kind", [("Dr Ed Jones", "other"), ("DR ED JONES", "other"), ("Dr. Ed Jones", "other"),
                                        ("Jones, Ed", "other"), ("Ed", "other"), ("Ed Smith GP", "health"),
                                        ("ED SMITH GP", "health"), ("Ed Brown (Housing)", "housing"),
                                        ("Ed Smith Social Care", "social care")])
def test_a_person_called_ed_is_no_emergency_department(name, kind):
    # before: each was read as an emergency department ("ed", a whole word): its blank-typed rows A&E attendances,
    # "Dr Ed Jones", "Jones, Ed" and "Ed" of kind health
    assert normalise_agency(name, VOCAB)[1] == kind
    assert agency_contact_type(name, VOCAB) == ""
    assert agency_cell_contact_type("Majors", name, VOCAB) == ""


def test_a_row_of_dr_ed_jones_without_a_type_cell_is_no_ae_attendance():
    contacts, report = _read([
        ["Date", "Agency", "Details"],
        ["01/02/2024", "Dr Ed Jones", "Mother concerned about rash, advice given."],
        ["02/02/2024", "Ed Smith GP", "Baby seen with cough."],
        ["03/02/2024", "Westshire ED", "Baby seen with cough."],
        ["04/02/2024", "ED (Westshire General)", "Head injury, fell from sofa."],
    ])
    assert contacts["agency"].tolist() == ["Dr Ed Jones", "Ed Smith GP", "Westshire ED", "ED (Westshire General)"]
    # before: ["ae_attendance", "ae_attendance", "ae_attendance", "ae_attendance"], and Dr Ed Jones of kind health
    assert contacts["contact_type"].tolist() == ["other", "other", "ae_attendance", "ae_attendance"]
    assert contacts["agency_kind"].tolist() == ["other", "health", "health", "health"]
    # Dr Ed Jones, in no vocabulary and of no kind, is warned about with its file, sheet, row and column
    warned = [w for w in report.warnings if "Dr Ed Jones" in w.message]
    assert warned and warned[0].row == 2 and warned[0].column == "Agency"


def test_a_type_cell_of_dr_ed_jones_is_not_read_as_an_emergency_departments_word():
    contacts, report = _read([
        ["Date", "Agency", "Type", "Details"],
        ["01/02/2024", "Dr Ed Jones", "Triage", "Seen."],
        ["02/02/2024", "Westshire ED", "Triage", "Seen."],
    ])
    assert contacts["contact_type"].tolist() == ["other", "ae_attendance"]


# -- 2. the emergency department's words, written once ---------------------------------------------------------
def test_the_type_cells_agency_words_are_the_agency_contact_types_ones_and_more():
    raw = dict(VOCAB)
    assert "ed" not in raw["agency_type_cells"]["ae_attendance"]["agencies"]
    v = Vocabulary.from_dict(raw)
    (_, cell_words, *_), = [e for e in v.agency_type_cells if e[0] == "ae_attendance"]
    (_, agency_words, _, _), = [e for e in v.agency_contact_types if e[0] == "ae_attendance"]
    for name in ["Northgate ED", "St Brendan's A&E", "Paediatric Emergency Department", "Westshire Casualty"]:
        assert agency_words.find(v.agency_tokens(name)) and cell_words.find(v.agency_tokens(name))
    # the type cells' own: an urgent care centre's "Triage" is an A&E attendance, its blank cell is not
    assert cell_words.find(v.agency_tokens("Eastfield Urgent Care Centre"))
    assert not agency_words.find(v.agency_tokens("Eastfield Urgent Care Centre"))


def test_a_case_adding_an_emergency_departments_word_adds_it_to_both_readings():
    raw = dict(VOCAB)
    raw["agency_contact_types"] = {**raw["agency_contact_types"], "ae_attendance": {
        **raw["agency_contact_types"]["ae_attendance"],
        "agencies": [*raw["agency_contact_types"]["ae_attendance"]["agencies"], "paeds front door"]}}
    assert agency_contact_type("Westshire Paeds Front Door", raw) == "ae_attendance"
    assert agency_cell_contact_type("Majors", "Westshire Paeds Front Door", raw) == "ae_attendance"


# -- 4. a second table on a sheet whose header starts in another column ----------------------------------------
GP = [["Date", "Agency", "Details", "Outcome", None],
      ["12/03/2024", "GP", "Seen, bruise to arm.", "No action", None],
      ["20/03/2024", "GP", "Routine immunisations.", "Given", None],
      [None, None, None, None, None]]


def test_a_second_table_whose_header_starts_in_the_next_column_is_read_with_its_own_header():
    contacts, report = _read(GP + [
        [None, "Date of attendance", "Hospital", "Presenting complaint", "Outcome"],
        [None, "25/03/2024", "Westshire ED", "Fractured femur, baby not mobile.", "Discharged home"],
        [None, "28/03/2024", "Westshire ED", "Reattendance: vomiting", "Discharged"],
    ], agency="Orchard Surgery")
    # before: rows 5-7 rejected (no date in column 'Date'), the hospital's contacts lost
    assert not report.rejections, report.rejections
    assert (report.rows_read, report.rows_accepted) == (4, 4)
    hospital = contacts[contacts["source_row"] >= 6]
    assert hospital["date"].dt.date.tolist() == [dt.date(2024, 3, 25), dt.date(2024, 3, 28)]
    assert hospital["agency"].tolist() == ["Westshire ED", "Westshire ED"]
    assert hospital["description"].tolist() == ["Fractured femur, baby not mobile.", "Reattendance: vomiting"]
    assert hospital["contact_type"].tolist() == ["ae_attendance", "ae_attendance"]
    assert any("second table from row 5" in n and "'Date of attendance'" in n for n in report.notes), report.notes
    assert contacts[contacts["source_row"] < 5]["description"].tolist() == ["Seen, bruise to arm.",
                                                                             "Routine immunisations."]


def test_a_second_table_with_a_blank_date_column_cell_and_its_date_column_further_right():
    contacts, report = _read(GP + [
        [None, "Hospital", "Presenting complaint", "Outcome", "Arrival date"],
        [None, "Westshire ED", "Head injury, fell from sofa.", "Discharged", "02/04/2024"],
    ], agency="Orchard Surgery")
    assert not report.rejections, report.rejections
    assert contacts["source_row"].tolist() == [2, 3, 6]
    assert contacts["date"].dt.date.tolist()[-1] == dt.date(2024, 4, 2)
    assert contacts["description"].tolist()[-1] == "Head injury, fell from sofa."


def test_a_signature_block_with_a_date_header_is_no_second_table():
    contacts, report = _read(GP + [
        [None, "Name", "Designation", "Date", None],
        [None, "J Smith", "Named nurse", "01/08/2024", None],
    ], agency="Orchard Surgery")
    assert not any("second table" in n for n in report.notes), report.notes
    assert contacts["source_row"].tolist() == [2, 3]
    # its rows are still rejected, each with its file, sheet, row and column (not read as contacts)
    assert sorted(r.row for r in report.rejections) == [5, 6]
    assert all(r.column == "Date" for r in report.rejections)


# -- 3. a body map's "Site" is the injury's site, not the organisation -----------------------------------------
def test_a_site_column_beside_an_injury_column_is_the_injurys_site():
    contacts, report = _read([
        ["Date", "Details", "Injury", "Site"],
        ["01/02/2024", "Body map completed at nursery.", "Bruise 2cm", "Left cheek"],
        ["03/02/2024", "Body map completed.", "Scratch", "Eastfield"],
    ], agency="Oakfield Nursery")
    # before: 'Site' was the organisation, so the rows' organisation was "Left cheek"
    assert "organisation" not in report.columns
    assert contacts["organisation"].tolist() == ["Oakfield Nursery", "Oakfield Nursery"]
    # the body map's injury and its site are read after the description (before: the Injury column under Other
    # columns, read by no rule, and no concern on the row)
    assert contacts["description"].tolist() == ["Body map completed at nursery.\nInjury: Bruise 2cm\nSite: Left cheek",
                                                "Body map completed.\nInjury: Scratch\nSite: Eastfield"]
    assert "bruising" in contacts["concerns"].tolist()[0]
    assert not contacts["extra"].str.contains("Bruise").any()
    assert any("'Site' is read as the site of an injury" in n and "'Injury'" in n for n in report.notes), report.notes


def test_a_body_map_under_a_two_row_header_is_read_so_too():
    contacts, report = _read([
        ["Date", "Details", "Body map", "Body map"],
        [None, None, "Mark", "Site"],
        ["01/02/2024", "Seen at clinic.", "Bruise", "Right forearm"],
    ], agency="Oakfield Clinic")
    assert "organisation" not in report.columns
    assert contacts["description"].tolist()[0].startswith("Seen at clinic.\n")
    assert "Right forearm" in contacts["description"].tolist()[0]
    assert contacts["organisation"].tolist() == ["Oakfield Clinic"]


def test_a_site_column_of_body_regions_is_the_injurys_site_and_another_organisation_column_is_read():
    contacts, report = _read([
        ["Date", "Team", "Details", "Site"],
        ["01/02/2024", "0-19 team", "Bruise seen on body map.", "L forearm"],
        ["02/02/2024", "0-19 team", "Two bruises, body map done.", "Upper arms"],
    ], agency="Westshire Health Visiting")
    assert report.columns["organisation"] == "Team"
    assert contacts["organisation"].tolist() == ["0-19 team", "0-19 team"]
    assert contacts["description"].tolist() == ["Bruise seen on body map.\nSite: L forearm",
                                                "Two bruises, body map done.\nSite: Upper arms"]
    assert not contacts["extra"].str.contains("forearm").any()
    assert any("'L forearm'" in n for n in report.notes), report.notes


@pytest.mark.parametrize("sites", [["Eastfield site", "Northgate"], ["Back Lane Clinic", "Back Lane Clinic"],
                                   ["Hand Road Health Centre", "Eastfield"]])
def test_a_site_column_of_places_is_still_the_organisation(sites):
    contacts, report = _read([
        ["Date", "Site", "Details"],
        ["01/02/2024", sites[0], "Home visit."],
        ["02/02/2024", sites[1], "Clinic appointment."],
    ], agency="Northgate University Hospital")
    assert report.columns["organisation"] == "Site"
    assert contacts["organisation"].tolist() == sites
    assert contacts["description"].tolist() == ["Home visit.", "Clinic appointment."]


# -- 5. an emergency department's type cell "ED", and "Emergency Dept" -----------------------------------------
def test_an_emergency_departments_type_cell_ed_is_an_ae_attendance_and_emergency_dept_anywhere():
    contacts, report = _read([
        ["Date", "Agency", "Type", "Details"],
        ["01/02/2024", "Westshire ED", "ED", "Head injury, fell from sofa."],
        ["02/02/2024", "Larkfield GP", "ED", "Seen."],
        ["03/02/2024", "Larkfield GP", "Emergency Dept", "Seen with rash."],
    ])
    # before: "other", "other", "other", and the cells "ED" and "Emergency Dept" warned of as naming no type
    # the GP's "ED" is the child's A&E attendance the GP records (s18, vocab.yml agency_type_cells
    # any_agency_cells; it named no type and was warned of until then: tests/test_contact_types_s18.py)
    assert contacts["contact_type"].tolist() == ["ae_attendance", "ae_attendance", "ae_attendance"]
    assert not any("'ED'" in w.message or "Emergency Dept" in w.message for w in report.warnings)


def test_a_type_cell_its_agency_reads_is_not_warned_of_in_that_row():
    contacts, report = _read([
        ["Date", "Agency", "Type", "Details"],
        ["01/02/2024", "Westshire ED", "Triage", "Head injury."],
        ["02/02/2024", "Larkfield GP", "Triage", "Phone call with mother about a rash."],
    ])
    assert contacts["contact_type"].tolist() == ["ae_attendance", "phone_call"]
    warned = [w for w in report.warnings if "'Triage'" in w.message]
    # before: "contact type(s) 'Triage' (rows 2, 3) name no type ...", row 2 (the ED's, read) named first, and
    # the ED's row kept its cell under Other columns as unread
    assert len(warned) == 1 and warned[0].row == 3 and warned[0].column == "Type"
    assert "(row 3)" in warned[0].message and "row 2" not in warned[0].message
    assert "Triage" not in contacts["extra"].tolist()[0] and "Triage" in contacts["extra"].tolist()[1]
