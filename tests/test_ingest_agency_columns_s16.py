"""The generic profile's agency and organisation headers (s16): "Hospital" (the row's hospital or department,
"Westshire ED"), "Provider" and "Service provider" name the row's agency; "Team", "Site" and "Hospital site"
(a part or a place of the agency) its organisation, kept verbatim, a declared agency still winning. Before, these
columns were kept under Other columns and the rows took the file's agency."""
from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from review.config import CaseConfig, FileSpec, load_vocab
from review.ingest.headers import load_profile
from review.ingest.load import contacts_from_table
from review.ingest.tables import RawTable

CASE = CaseConfig(case_dir=Path("."), case_id="T-AGENCY", child_name="Mia Grant", date_of_birth=dt.date(2024, 1, 29))
VOCAB = load_vocab()


def _read(rows, agency=None):
    table = RawTable(file="chronology.xlsx", sheet="Contacts", rows=rows, row_numbers=list(range(1, len(rows) + 1)))
    return contacts_from_table(table, FileSpec(path="chronology.xlsx", agency=agency), load_profile(None), CASE, VOCAB)


def test_a_hospital_column_naming_the_ed_is_the_agency_of_its_rows():
    contacts, report = _read([
        ["Hospital", "Date of attendance", "Outcome", "Presenting complaint"],
        ["Westshire ED", "25/03/2024", "Discharged home", "Fractured femur, baby not mobile, no explanation."],
        ["Westshire ED", "28/03/2024", "DNA", "Fracture clinic follow up"],
        ["Northgate University Hospital", "29/03/2024", "Seen", "Telephone call to mother"],
    ], agency="Westshire General Hospital")
    assert report.columns["agency"] == "Hospital"
    assert contacts["agency"].tolist() == ["Westshire ED", "Westshire ED", "Northgate University Hospital"]
    assert set(contacts["agency_kind"]) == {"health"}
    # an emergency department's rows without a type cell are A&E attendances (vocab.yml agency_contact_types)
    assert contacts["contact_type"].tolist() == ["ae_attendance", "was_not_brought", "phone_call"]
    assert not contacts["extra"].str.contains("Hospital").any()


@pytest.mark.parametrize("header", ["Provider", "Service provider"])
def test_a_provider_column_is_the_agency(header):
    contacts, report = _read([
        ["Date", header, "Details"],
        ["01/02/2024", "Northgate University Hospital", "Clinic appointment."],
        ["02/02/2024", "", "Home visit."],
    ], agency="Larkfield Medical Practice")
    assert report.columns["agency"] == header
    assert contacts["agency"].tolist()[0] == "Northgate University Hospital"
    assert contacts["agency"].tolist()[1] != "Northgate University Hospital"  # a blank cell: the file's agency


@pytest.mark.parametrize("header", ["Team", "Site", "Hospital site"])
def test_a_team_or_site_column_is_the_organisation_and_the_declared_agency_wins(header):
    contacts, report = _read([
        ["Date", header, "Details"],
        ["01/02/2024", "Eastfield 0-19 team", "Home visit."],
    ], agency="Northgate University Hospital")
    assert report.columns["organisation"] == header
    assert contacts.loc[0, "agency"] == "Northgate University Hospital"
    assert contacts.loc[0, "organisation"] == "Eastfield 0-19 team"
    assert header not in contacts.loc[0, "extra"]


def test_an_agency_column_beats_a_hospital_column():
    contacts, report = _read([
        ["Date", "Agency", "Hospital", "Details"],
        ["01/02/2024", "GP", "Westshire ED", "Letter received re attendance."],
    ])
    assert report.columns["agency"] == "Agency"
    assert contacts.loc[0, "agency"] != "Westshire ED"
    assert "Westshire ED" in contacts.loc[0, "extra"]  # the other column is kept, not lost
