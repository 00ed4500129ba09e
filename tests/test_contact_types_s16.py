"""Contact types read from text (s16): a bare "ward" in a description is no admission; a notification received
about an A&E attendance is a letter, not an attendance (nor counted as one by repeated_injury_or_ae); and every
reading of types from text (`description_contact_type`, `type_cell_contact_type`, `names_type`,
`records_type`, `records_under_way`, the rules' `types_recorded`) drops the same incidental words; an emergency
department's row with no type cell is an A&E attendance unless its text says otherwise."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from review.config import load_case_config, load_vocab
from review.ingest.load import load_contacts
from review.vocab import (
    agency_contact_type, classify_contact_type, description_contact_type, names_type, records_type,
    records_under_way, type_cell_contact_type,
)

VOCAB = load_vocab()


def make_case(folder: Path, files: dict[str, tuple[str, str]]) -> Path:
    """A case folder with csv chronologies `files`: name -> (agency, text)."""
    folder.mkdir(parents=True, exist_ok=True)
    config = {"case_id": "T", "date_of_birth": "2022-06-01", "review_date": "2024-06-30",
              "files": [{"path": name, "agency": agency} for name, (agency, _) in files.items()]}
    (folder / "case.yml").write_text(yaml.safe_dump(config), encoding="utf-8")
    for name, (_, text) in files.items():
        (folder / name).write_text(text, encoding="utf-8")
    return folder


# -- a bare "ward" ----------------------------------------------------------------------------------------------
@pytest.mark.parametrize("text", ["Ward round", "ward clerk phoned", "Ward 5 nurse called HV",
                                  "Ward staff report mother visiting daily"])
def test_a_bare_ward_in_a_description_is_no_admission(text):
    assert classify_contact_type("", text, VOCAB) != "admission"
    assert not names_type("admission", text, VOCAB)


@pytest.mark.parametrize("text", ["Admitted to ward for observations", "admitted to ward", "Seen on the ward by physio",
                                  "Transferred to the ward from ED", "Remains on ward, feeding well"])
def test_an_inpatient_on_the_ward_is_an_admission(text):
    assert classify_contact_type("", text, VOCAB) == "admission"


@pytest.mark.parametrize("cell", ["Ward", "Ward round", "Ward admission"])
def test_a_ward_type_cell_is_still_an_admission(cell):
    assert type_cell_contact_type(cell, VOCAB) == "admission"


def test_ward_clerk_phoned_is_a_phone_call():
    assert classify_contact_type("", "Ward clerk phoned HV to say Kai is going home", VOCAB) == "phone_call"


# -- a notification received about an attendance ----------------------------------------------------------------
@pytest.mark.parametrize("type_cell, text", [
    ("", "Notified of A&E attendance 3/4, head injury"),
    ("", "Notification of A&E attendance on 3/4: head injury"),
    ("Notification of A&E attendance", "Head injury 3/4"),
    ("A&E notification", "Head injury 3/4"),
    ("A&E letter", "Fall from sofa"),
])
def test_a_notification_of_an_attendance_is_a_letter(type_cell, text):
    assert classify_contact_type(type_cell, text, VOCAB) == "letter"


def test_a_notification_is_not_counted_as_an_attendance(tmp_path):
    """Two A&E attendances and the GP's and health visitor's notifications of them are two attendances, not
    four: repeated_injury_or_ae (3 in 365 days) raises no A&E pattern. Before, a type cell "Notification of
    A&E attendance" was read as an A&E attendance (its first type in vocabulary order) and made the third."""
    from review.pipeline import analyse, load_case

    ed = ("Date,Type of contact,Details\n"
          "01/02/2024,A&E attendance,Fall from sofa. Head injury.\n"
          "03/04/2024,A&E attendance,Head injury after fall from bed.\n")
    gp = ("Date,Type of contact,Details\n"
          "05/02/2024,Notification of A&E attendance,Head injury 1/2.\n"
          "04/04/2024,,Notified of A&E attendance 3/4, head injury\n")
    case = make_case(tmp_path, {"ed.csv": ("Northgate University Hospital", ed), "gp.csv": ("Larkfield Surgery", gp)})
    analysis = analyse(load_case(case))
    types = analysis.timeline.sort_values(["source_file", "source_row"])["contact_type"].tolist()
    assert types == ["ae_attendance", "ae_attendance", "letter", "letter"]
    flags = analysis.flags[analysis.flags["rule_id"] == "repeated_injury_or_ae"]
    assert not flags["explanation"].str.contains("A&E attendances").any()


# -- one reading of types in text --------------------------------------------------------------------------------
@pytest.mark.parametrize("name, text", [
    ("phone_call", "States girlfriend is controlling, checks his phone"),
    ("admission", "Return to school after hospital admission"),
    ("ae_attendance", "A&E letter re buckle fracture right wrist"),
    ("ae_attendance", "Notified of A&E attendance 3/4, head injury"),
    ("assessment", "Home visit following assessment last week"),
])
def test_names_type_drops_the_incidental_words(name, text):
    assert not names_type(name, text, VOCAB)
    assert not records_type(name, text, VOCAB)
    assert description_contact_type(text, VOCAB) != name


@pytest.mark.parametrize("name, text", [
    ("phone_call", "Phone call from mum about the rash"),
    ("admission", "Admitted to paeds ward after overdose"),
    ("ae_attendance", "Attended A&E after a fall"),
    ("assessment", "Initial assessment started following GP referral"),
])
def test_names_type_still_reads_the_contact_itself(name, text):
    assert names_type(name, text, VOCAB)
    assert records_type(name, text, VOCAB)


def test_records_under_way_drops_a_type_about_another_event():
    assert records_under_way("assessment", "Single assessment started", VOCAB)
    assert not records_under_way("assessment", "Home visit following assessment started last week", VOCAB)


def test_the_referral_rule_reads_no_decision_from_an_earlier_assessment(tmp_path):
    """`types_recorded` (referral_no_decision's decision in the text) reads the text as `names_type` does: "Referral
    received following assessment completed last month" records no decision on the referral received."""
    from review.pipeline import analyse, load_case

    csc = ("Date,Type of contact,Details\n"
           "01/02/2024,Referral,Referral received from HV re bruising following assessment completed last month.\n")
    hv = ("Date,Type of contact,Details\n"
          "31/01/2024,Home visit,Bruise to cheek seen. Referral to CSC made.\n")
    case = make_case(tmp_path, {"csc.csv": ("Children's Social Care", csc), "hv.csv": ("Health visiting", hv)})
    flags = analyse(load_case(case)).flags
    assert (flags["rule_id"] == "referral_no_decision").any()


# -- an emergency department's rows with no type cell ---------------------------------------------------------------
ED_ROWS = [  # (details, outcome, type)
    ("Fall from sofa, bruise to forehead.", "Discharged home. Letter to GP.", "ae_attendance"),
    ("Brought by mother with a burn to the hand.", "", "ae_attendance"),
    ("Paediatric review: bump on head.", "", "ae_attendance"),
    ("Discharged home with advice.", "", "ae_attendance"),
    ("Telephone call to HV re the attendance.", "", "phone_call"),
    ("Letter sent to GP.", "", "letter"),
    ("Notification sent to HV.", "", "letter"),
    ("Referral to CSC made re bruising.", "", "referral"),
    ("Fracture clinic follow-up.", "DNA", "was_not_brought"),
]


def _ed_csv(rows) -> str:
    return "Date,Details,Outcome\n" + "".join(f"{k + 1:02d}/03/2024,{d},{o}\n" for k, (d, o, _) in enumerate(rows))


@pytest.mark.parametrize("agency", ["Northgate Paediatric ED", "St Brendan's A&E", "Emergency Department",
                                    "Riverside Accident and Emergency"])
def test_an_emergency_department_row_with_no_type_cell_is_an_attendance(tmp_path, agency):
    """Before, all but the phone call, letters and referral were 'other' (the description named no type) or a
    'discharge' / 'clinic_appointment' ("Discharged home", "Paediatric review")."""
    case = make_case(tmp_path, {"ed.csv": (agency, _ed_csv(ED_ROWS))})
    contacts, _ = load_contacts(load_case_config(case))
    assert contacts.sort_values("source_row")["contact_type"].tolist() == [t for _, _, t in ED_ROWS]


def test_another_agency_with_no_type_cell_is_typed_as_ever(tmp_path):
    case = make_case(tmp_path, {"gp.csv": ("Larkfield Surgery", _ed_csv(ED_ROWS))})
    contacts, _ = load_contacts(load_case_config(case))
    # the last, "Fracture clinic follow-up." with the outcome "DNA", is the missed appointment (s18, vocab.yml
    # missed_appointment_types; it was clinic_appointment tagged was_not_brought), as in the ED's rows above
    assert contacts.sort_values("source_row")["contact_type"].tolist() == [
        "other", "other", "clinic_appointment", "discharge", "phone_call", "letter", "letter", "referral",
        "was_not_brought"]


def test_the_agency_cell_and_a_type_cell_are_read(tmp_path):
    """The agency read from the Agency cell, row by row; a type cell still wins."""
    text = ("Date,Agency,Type of contact,Details\n"
            "01/03/2024,St Brendan's A&E,,Bump on head.\n"
            "02/03/2024,St Brendan's Paediatrics,,Bump on head.\n"
            "03/03/2024,St Brendan's A&E,Home visit,Bump on head.\n"
            "04/03/2024,St Brendan's A&E,Meeting,Bump on head.\n")
    case = make_case(tmp_path, {"sb.csv": ("St Brendan's Hospital", text)})
    contacts, _ = load_contacts(load_case_config(case))
    # a type cell the vocabulary does not know ("Meeting") is read from the description, as before
    assert contacts.sort_values("source_row")["contact_type"].tolist() == ["ae_attendance", "other", "home_visit", "other"]


@pytest.mark.parametrize("name, expected", [("Northgate ED", "ae_attendance"), ("Paediatric Emergency Department",
                                            "ae_attendance"), ("Northgate University Hospital", ""), ("Education", ""),
                                           ("Fred's surgery", "")])
def test_agency_contact_type(name, expected):
    assert agency_contact_type(name, VOCAB) == expected


def test_an_emergency_departments_attendances_make_the_pattern(tmp_path):
    """Three attendances of an emergency department whose chronology has no type column: repeated_injury_or_ae's
    A&E pattern (3 in 365 days). Before, they were 'other' and no A&E attendance was counted."""
    from review.pipeline import analyse, load_case

    text = ("Date,Details,Outcome\n"
            "01/02/2024,Brought by mother: vomiting.,Home with advice.\n"
            "01/03/2024,Brought by mother: rash.,Home with advice.\n"
            "01/04/2024,Brought by mother: cough.,Home with advice.\n")
    case = make_case(tmp_path, {"ed.csv": ("Northgate Emergency Department", text)})
    analysis = analyse(load_case(case))
    assert analysis.timeline["contact_type"].tolist() == ["ae_attendance"] * 3
    flags = analysis.flags[analysis.flags["rule_id"] == "repeated_injury_or_ae"]
    assert flags["explanation"].str.contains("A&E attendances").any()


# -- the generic profile's Plan and Attended columns -----------------------------------------------------------------
CAMHS = ("Date,Type of contact,Details,Plan,Attended\n"
         "01/03/2024,Appointment,Initial CAMHS appointment with mother.,Follow up in 4 weeks,Yes\n"
         "29/03/2024,Appointment,Follow up appointment.,Rebook,No\n"
         "26/04/2024,Appointment,Follow up appointment.,Plan: discharged to GP after 2 DNAs,DNA\n"
         "27/04/2024,Letter,Letter to GP re discharge.,,No\n"
         "30/04/2024,Appointment,Follow up appointment.,,Cancelled by clinic\n"
         "02/05/2024,,Telephone call from mother.,,WNB\n"
         "03/05/2024,,Follow up.,,Was not brought\n")


def test_plan_is_the_action_and_attended_a_missed_appointment(tmp_path):
    """Before, "Plan" and "Attended" were unmapped: warned of, kept under Other columns and not analysed (every
    row a clinic appointment, letter or 'other', the plans unread)."""
    case = make_case(tmp_path, {"camhs.csv": ("Eastborough CAMHS", CAMHS)})
    contacts, report = load_contacts(load_case_config(case))
    contacts = contacts.sort_values("source_row")
    assert contacts["contact_type"].tolist() == [
        "clinic_appointment", "was_not_brought", "was_not_brought", "letter", "clinic_appointment", "phone_call",
        "was_not_brought"]
    assert contacts["action"].tolist()[:3] == ["Follow up in 4 weeks", "Rebook", "Plan: discharged to GP after 2 DNAs"]
    (file,) = report.files
    assert file.unmapped_columns == []
    assert file.columns["action"] == "Plan" and file.columns["attended"] == "Attended"
    # a value read neither way stays in view, with one warning naming file row and column
    assert contacts["extra"].tolist() == [""] * 4 + ['{"Attended": "Cancelled by clinic"}', "", ""]
    (warning,) = [w for w in file.warnings if "attendance value" in w.message]
    assert warning.row == 6 and warning.column == "Attended" and "'Cancelled by clinic'" in warning.message


def test_the_missed_appointments_raise_was_not_brought(tmp_path):
    from review.pipeline import analyse, load_case

    # (s21, QA11 D12: the discharge letter to the GP the day after the second DNA is that service's follow-up; without
    # it the missed appointments the Attended column records are not followed up)
    camhs = CAMHS.replace("27/04/2024,Letter,Letter to GP re discharge.,,No\n", "")
    assert camhs != CAMHS
    case = make_case(tmp_path, {"camhs.csv": ("Eastborough CAMHS", camhs)})
    flags = analyse(load_case(case)).flags
    assert (flags["rule_id"] == "was_not_brought").any()


def test_a_plan_beside_an_outcome_follows_it(tmp_path):
    text = ("Date,Details,Outcome,Plan\n"
            "01/03/2024,Seen in clinic.,Weight checked.,Review in 2 weeks\n")
    case = make_case(tmp_path, {"gp.csv": ("Larkfield Surgery", text)})
    contacts, report = load_contacts(load_case_config(case))
    assert contacts["action"].tolist() == ["Weight checked.\nPlan: Review in 2 weeks"]
    assert report.files[0].unmapped_columns == []
