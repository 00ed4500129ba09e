"""Contact-type readings (s18): each with the exact input that was read wrong.

1. "Cardiac arrest" (a type cell, or an emergency department's Presenting complaint) was a police `arrest`: it is
   an A&E attendance (vocab.yml ae_attendance); "arrested development" names no type; "Father arrested" is still
   an arrest.
2. "Telephone consultation" was a clinic appointment ("consultation" won over "telephone"): a contact at a
   distance is a phone_call ("Video consultation", "Tel consult", "Tel"); "Face to face consultation" stays an
   appointment.
3. An emergency department's csv ("Attendance date, Presenting complaint, Clinical notes, Disposal") declared as
   the agency "Redvale General Hospital" had its rows typed `other`: the agency's default type is read from the
   names it is written under, and only the file's name ("ed_redvale_general.csv") said it was an ED, which was
   read only without a declared agency, and then its lower-case "ed" as a person's name. The file's name is now
   one of those names (`review.vocab.file_name_agency`).
4. A type cell "ED" in a GP's row named no type (an unknown-type warning, the row typed `other`): it is the
   child's A&E attendance the GP records, as a cell "A&E" is; not in a CAMHS row (its eating disorder team).
5. A CAMHS "Choice appointment" whose notes say "DNA" was typed clinic_appointment while tagged was_not_brought:
   it is the missed appointment, was_not_brought (vocab.yml missed_appointment_types); a no-access home visit
   stays a home visit.
"""
from __future__ import annotations

import datetime as dt
from pathlib import Path

import openpyxl
import pytest
import yaml

from review.config import CaseConfig, FileSpec, load_case_config, load_vocab
from review.ingest.headers import load_profile
from review.ingest.load import contacts_from_table, load_contacts
from review.ingest.tables import RawTable
from review.vocab import (
    agency_cell_contact_type, agency_contact_type, classify_contact_type, file_name_agency, missed_appointment_type,
)

VOCAB = load_vocab()
CASE = CaseConfig(case_dir=Path("."), case_id="T-S18", child_name="Kayleigh Marsh", date_of_birth=dt.date(2005, 11, 2))


def _read(rows, agency, file="f.xlsx"):
    table = RawTable(file=file, sheet="S", rows=[list(r) for r in rows], row_numbers=list(range(1, len(rows) + 1)))
    return contacts_from_table(table, FileSpec(path=file, agency=agency), load_profile(None), CASE, VOCAB)


# -- 1. a cardiac arrest is no police arrest ---------------------------------------------------------------------
@pytest.mark.parametrize("text", ["Cardiac arrest", "Respiratory arrest", "Cardiorespiratory arrest",
                                  "Out of hospital cardiac arrest", "Peri-arrest"])
def test_a_cardiac_or_respiratory_arrest_is_an_ae_attendance(text):
    assert classify_contact_type(text, "", VOCAB) == "ae_attendance"  # the type cell
    assert classify_contact_type("", text, VOCAB) == "ae_attendance"  # the description
    # an emergency department's Presenting complaint: its own type (was `arrest`, which beat it)
    assert classify_contact_type("", f"{text}\nClinical notes: Brought in by ambulance, unresponsive at home.", VOCAB,
                                 agency="Westshire ED") == "ae_attendance"


@pytest.mark.parametrize("text", ["Arrested development noted at 2 year check.", "Growth arrest on x-ray."])
def test_a_development_arrested_is_no_arrest(text):
    assert classify_contact_type("", text, VOCAB) == "other"


@pytest.mark.parametrize("cell, text", [("Arrest", ""), ("", "Father arrested for assault on mother."),
                                        ("", "Ellie arrested for shoplifting, taken into custody."),
                                        ("Custody", "Detained overnight.")])
def test_a_police_arrest_is_still_an_arrest(cell, text):
    assert classify_contact_type(cell, text, VOCAB, agency="Westshire Police") == "arrest"


# -- 2. a consultation at a distance is a phone contact --------------------------------------------------------
@pytest.mark.parametrize("cell", ["Telephone consultation", "Video consultation", "Tel consult", "Tel", "Phone call",
                                  "Telephone triage", "Telephone appointment", "Phone consult", "Virtual clinic",
                                  "Telephone review"])
def test_a_consultation_by_telephone_or_video_is_a_phone_call(cell):
    assert classify_contact_type(cell, "Mum phoned re Lily vomiting. Advice given by phone.", VOCAB) == "phone_call"


@pytest.mark.parametrize("cell", ["Face to face consultation", "Consultation", "Clinic appointment", "GP appointment"])
def test_a_consultation_in_person_stays_a_clinic_appointment(cell):
    assert classify_contact_type(cell, "Seen with mum.", VOCAB) == "clinic_appointment"


def test_a_bare_tel_in_a_description_is_no_phone_call():
    assert classify_contact_type("", "Tel: 01632 960123 given to mum for the clinic.", VOCAB) == "clinic_appointment"
    assert classify_contact_type("", "Telephone consultation with mum re results.", VOCAB) == "phone_call"


def test_the_harlow_gps_telephone_consultation_is_read_as_a_phone_call():
    contacts, _ = _read([["Date", "Type of contact", "Details of contact", "Outcome", "Child seen"],
                         ["02/07/2024", "Telephone consultation", "Mum phoned re Lily vomiting. Advice given by phone.",
                          "Safety netting advice.", "No"],
                         ["05/03/2024", "Clinic appointment", "8 week baby check. Lily seen.", "Review 2 weeks.", "Yes"]],
                        "Ashcombe Medical Practice")
    assert contacts["contact_type"].tolist() == ["phone_call", "clinic_appointment"]  # was clinic_appointment twice


# -- 3. an emergency department's file named so -----------------------------------------------------------------
ED_CSV = """Attendance date,Presenting complaint,Clinical notes,Disposal
12 Jun 2024,"Nappy rash, poor feeding","Lily Harlow 5 months, severe nappy rash with skin breakdown, underweight (below 2nd centile), dirty clothing. Mother says ran out of formula.",Discharged home with cream. GP to follow up.
08 Aug 2024,Fall,"Baby rolled off sofa per mum, small bruise to forehead. Lily seen and examined. Appeared unkempt.",Discharged. Head injury advice.
20 Sep 2024,Cardiac arrest,"Lily brought in by ambulance, unresponsive at home. Resuscitation unsuccessful. Declared dead. Severe nappy rash, emaciated.",Police and CSC informed. Child death process.
"""
HV_CSV = """Visit date,Visit type,Notes
12 Mar 2024,Home visit,"Lily seen. Weight dropped from 50th to 9th centile. Neglect concerns."
11 Jun 2024,Home visit,"Visit by phone only - mum declined home visit. Child not seen."
"""


def _harlow(folder: Path, ed_file: str = "ed_redvale_general.csv") -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    config = {"case_id": "T-HARLOW", "child_name": "Lily Harlow", "date_of_birth": "2024-01-10",
              "review_date": "2024-09-20",
              "files": [{"path": "hv_log.csv", "agency": "Redvale Health Visiting"},
                        {"path": ed_file, "agency": "Redvale General Hospital"}]}
    (folder / "case.yml").write_text(yaml.safe_dump(config), encoding="utf-8")
    (folder / "hv_log.csv").write_text(HV_CSV, encoding="utf-8")
    (folder / ed_file).write_text(ED_CSV, encoding="utf-8")
    return folder


def test_an_emergency_departments_file_declared_as_its_hospital_is_ae_attendances(tmp_path):
    contacts, report = load_contacts(load_case_config(_harlow(tmp_path)))
    ed = contacts[contacts["source_file"] == "ed_redvale_general.csv"].sort_values("source_row")
    assert ed["agency"].unique().tolist() == ["Redvale General Hospital"]
    assert ed["contact_type"].tolist() == ["ae_attendance"] * 3  # was other, other, arrest
    assert not [w for f in report.files for w in f.warnings if "contact type" in w.message]


def test_the_ed_attendances_shorten_the_time_unseen(tmp_path):
    from review.pipeline import analyse, load_case

    timeline = analyse(load_case(_harlow(tmp_path))).timeline
    ed = timeline[timeline["source_file"] == "ed_redvale_general.csv"].sort_values("date")
    # the 12 Jun attendance is a sighting: the 8 Aug one comes 57 days after it (was 149, after 12 Mar)
    assert ed["days_since_child_seen"].tolist() == [92, 57, 43]
    assert timeline["days_since_child_seen"].max() == 92


def test_without_an_ed_in_its_names_a_hospitals_rows_are_typed_by_their_text(tmp_path):
    contacts, _ = load_contacts(load_case_config(_harlow(tmp_path, ed_file="redvale_general.csv")))
    ed = contacts[contacts["source_file"] == "redvale_general.csv"].sort_values("source_row")
    assert ed["contact_type"].tolist() == ["other", "other", "ae_attendance"]  # the cardiac arrest (1.)


@pytest.mark.parametrize("stem, name", [("ed_redvale_general", "ED redvale general"),
                                        ("Redvale_ED_attendances", "redvale ED attendances"),
                                        ("ED_REDVALE", "ED redvale"), ("paeds-ed", "paeds ED"),
                                        ("emergency_department", "emergency department")])
def test_a_file_name_naming_an_ed_is_an_emergency_department(stem, name):
    assert file_name_agency(stem, VOCAB) == name
    assert agency_contact_type(file_name_agency(stem, VOCAB), VOCAB) == "ae_attendance"


@pytest.mark.parametrize("stem", ["Ed_Smith_GP", "dr_ed_jones", "gp_tanner_street_surgery", "northgate_university_hospital",
                                  "education_welfare"])
def test_a_file_name_with_a_persons_ed_or_none_is_no_emergency_department(stem):
    assert agency_contact_type(file_name_agency(stem, VOCAB), VOCAB) == ""


def test_the_row_by_row_baseline_reads_the_file_name_and_the_missed_appointment_as_ingest_does(tmp_path):
    import sys

    sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "benchmarks"))
    import baseline_rowwise

    from review.synth import GENERIC_HEADERS

    wb = openpyxl.Workbook()
    ws = wb.active
    ws.append(list(GENERIC_HEADERS))
    blank = [None] * len(GENERIC_HEADERS)
    for date, kind, details, action in (("12/06/2024", None, "Nappy rash, poor feeding.", "Discharged home."),
                                        ("20/09/2024", "Cardiac arrest", "Brought in by ambulance.", None),
                                        ("21/09/2024", "Clinic appointment", "DNA. Mother phoned.", "Rebook."),
                                        ("22/09/2024", "Telephone consultation", "Advice given.", None),
                                        ("23/09/2024", "ED", "Seen in ED after a fall.", None)):
        row = list(blank)
        row[0], row[4], row[7], row[8] = date, kind, details, action
        ws.append(row)
    wb.save(tmp_path / "ed_redvale_general.xlsx")
    (tmp_path / "case.yml").write_text(
        "case_id: C1\ndate_of_birth: 2024-01-10\nfiles:\n  - path: ed_redvale_general.xlsx\n"
        "    agency: Redvale General Hospital\n", encoding="utf-8")
    loaded, _ = load_contacts(load_case_config(tmp_path))
    base = baseline_rowwise.read_chronology_rowwise(tmp_path / "ed_redvale_general.xlsx", VOCAB)
    expected = ["ae_attendance", "ae_attendance", "was_not_brought", "phone_call", "ae_attendance"]
    assert loaded.sort_values("source_row")["contact_type"].tolist() == expected
    # the baseline reads no declared agency (its rows' agency: the file's name), but the same types
    assert [r["contact_type"] for r in base] == expected


# -- 4. "ED" in another agency's type cell -------------------------------------------------------------------------
@pytest.mark.parametrize("cell", ["ED", "Paeds ED", "CED"])
def test_an_ed_type_cell_in_a_gps_row_is_an_ae_attendance(cell):
    assert agency_cell_contact_type(cell, "Ashcombe Medical Practice", VOCAB) == "ae_attendance"
    assert classify_contact_type(cell, "Sent to ED by GP, seen and discharged.", VOCAB,
                                 agency=("Ashcombe Medical Practice",)) == "ae_attendance"


@pytest.mark.parametrize("cell, agency", [("Ed", "Ashcombe Medical Practice"), ("ed", "Ashcombe Medical Practice"),
                                          ("ED", "Westmoor CAMHS"), ("ED", "Eastshire Eating Disorders Service"),
                                          ("Majors", "Ashcombe Medical Practice")])
def test_an_ed_cell_of_a_person_or_an_eating_disorder_team_names_no_type(cell, agency):
    assert agency_cell_contact_type(cell, agency, VOCAB) == ""


def test_a_gps_ed_row_is_read_without_an_unknown_type_warning():
    contacts, report = _read([["Date", "Type of contact", "Details of contact"],
                              ["08/08/2024", "ED", "Seen at Redvale ED after a fall from sofa."],
                              ["09/08/2024", "Clinic appointment", "Follow up after ED."]],
                             "Ashcombe Medical Practice")
    assert contacts["contact_type"].tolist() == ["ae_attendance", "clinic_appointment"]  # was other
    assert not [w for w in report.warnings if "contact type" in w.message]
    assert contacts["extra"].tolist() == ["", ""]  # the cell was read: not kept as another column


def test_a_camhs_ed_row_still_warns_and_is_typed_by_its_text():
    contacts, report = _read([["Date", "Activity", "Notes"], ["09/06/2020", "ED", "Seen by eating disorder nurse."]],
                             "Westmoor CAMHS")
    assert contacts["contact_type"].tolist() == ["other"]
    (warning,) = [w for w in report.warnings if "contact type" in w.message]
    assert warning.row == 2 and warning.column == "Activity" and "'ED'" in warning.message


# -- 5. a missed CAMHS appointment is typed as missed -----------------------------------------------------------------
def test_a_camhs_appointment_its_notes_say_was_missed_is_was_not_brought():
    contacts, _ = _read([["Date", "Activity", "Clinician", "Notes", "Outcome"],
                         ["12/10/2020", "Choice appointment", "CAMHS practitioner",
                          "DNA. Mother phoned - Kayleigh refused to come.", "Rebook."],
                         ["13/10/2020", "Choice appointment - DNA", "CAMHS practitioner", "", ""],
                         ["14/10/2020", "DNA Choice appt", "CAMHS practitioner", "", ""],
                         ["15/10/2020", "Was not brought", "CAMHS practitioner", "", ""],
                         ["16/10/2020", "Choice appointment", "CAMHS practitioner", "", "WNB"],
                         ["26/10/2020", "Choice appointment", "CAMHS practitioner", "Seen with mum. Low mood.",
                          "Allocate to core CAMHS."],
                         ["27/10/2020", "Letter", "CAMHS practitioner", "Letter to GP re DNA.", ""]],
                        "Westmoor CAMHS")
    assert contacts["contact_type"].tolist() == [
        "was_not_brought", "was_not_brought", "was_not_brought", "was_not_brought", "was_not_brought",
        "clinic_appointment", "letter"]  # the first and the fifth were clinic_appointment
    assert contacts["concerns"].tolist()[0] == "was_not_brought"


def test_a_no_access_home_visit_stays_a_home_visit():
    contacts, _ = _read([["Date", "Type of contact", "Details of contact"],
                         ["25/06/2024", "Unannounced home visit", "Unannounced visit: no reply at the door; Kai not seen."]],
                        "Eastborough Children's Social Care")
    assert contacts["contact_type"].tolist() == ["home_visit"]
    assert "was_not_brought" in contacts["concerns"].tolist()[0]


def test_missed_appointment_type():
    assert missed_appointment_type("clinic_appointment", "self_harm; was_not_brought", VOCAB) == "was_not_brought"
    assert missed_appointment_type("other", "was_not_brought", VOCAB) == "was_not_brought"
    assert missed_appointment_type("clinic_appointment", "self_harm", VOCAB) == "clinic_appointment"
    assert missed_appointment_type("home_visit", "was_not_brought", VOCAB) == "home_visit"
    assert missed_appointment_type("phone_call", "was_not_brought", VOCAB) == "phone_call"


def test_a_combined_files_name_does_not_type_another_agencys_rows(tmp_path):
    text = ("Date,Agency,Type of contact,Details\n"
            "01/03/2024,,,Head injury after a fall.\n"
            "02/03/2024,Larkfield Surgery,,Seen with mother re rash.\n"
            "03/03/2024,Redvale General Hospital,,Seen with mother re rash.\n")
    (tmp_path / "ed_and_gp.csv").write_text(text, encoding="utf-8")
    (tmp_path / "case.yml").write_text("case_id: C1\ndate_of_birth: 2022-06-01\nfiles:\n  - path: ed_and_gp.csv\n"
                                       "    agency: Redvale General Hospital\n", encoding="utf-8")
    contacts, _ = load_contacts(load_case_config(tmp_path))
    # the file's own agency's rows (no Agency cell, or naming it) are its ED's; the GP's row, named in its Agency
    # cell, is typed by its text
    assert contacts.sort_values("source_row")["contact_type"].tolist() == ["ae_attendance", "other", "ae_attendance"]
