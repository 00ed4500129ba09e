"""Sightings the reading missed (QA3 defect 4): an A&E attendance whose text carries the label ingest writes
before a further narrative column ("Discharge summary: ...") or ends with the letters the hospital sent ("Letter
to GP and HV") is still the attendance; a nursery's observation of the child's body at drop off or a nappy change
and a health visitor's developmental review are sightings. The row-by-row reading (`read_sighting`, the
baseline's) and the table's (`inferred_sightings`) agree, and a label ingest adds never changes a reading."""
from __future__ import annotations

import pandas as pd
import pytest

from review.pipeline import analyse, load_case
from review.sightings import inferred_sightings, read_sighting, unlabelled, with_child_names

AMARA = with_child_names("", "Amara Lowe")

ED_TEXT = ("Burn to right hand\nTriage notes: 15 month old girl brought by mother and partner; mother says she "
           "touched the oven door 2 days ago. Superficial partial thickness burn to right palm 2x3cm. Delay in "
           "presentation.\nDischarge summary: Dressing applied; discharged. Letter to GP and HV.")

SEEN = [
    ("ae_attendance", "burn", ED_TEXT, ""),
    ("ae_attendance", "burn", "Burn to right hand\nDischarge summary: Dressing applied; discharged.", ""),
    ("ae_attendance", "burn", "Discharge summary: Dressing applied; discharged.", ""),  # the label alone, at the start
    ("ae_attendance", "burn", "Burn to right palm, dressing applied. Letter to GP and HV.", ""),
    ("ae_attendance", "", "Fall from sofa, head injury observations normal.", "Discharge summary sent to GP."),
    ("admission", "", "Admitted with bronchiolitis. GP and HV notified.", ""),
    ("other", "bruising", "Bruise to Amara's forehead at drop off. Mum said she fell while pulling herself up on "
                          "the sofa.", "Logged on body map. Monitor."),
    ("other", "bruising", "Fingertip-type bruising to both upper arms noticed at nappy change. Amara very quiet and "
                          "clingy.", "DSL spoke to mum at collection - she said Amara was grabbed by a cousin."),
    ("home_visit", "bruising", "12 month development review at home. Mother and partner present. Small bruise below "
                               "left eye. Development age-appropriate, cruising.", "No safeguarding concerns."),
    ("other", "", "Development age appropriate, walking with support.", ""),
]
UNKNOWN = [
    # records at a distance stay so
    ("ae_attendance", "", "Letter from A&E received about the attendance on 3/4.", ""),
    ("ae_attendance", "", "Notification of A&E attendance received from the hospital.", ""),
    ("admission", "", "Discharge summary received: admitted 2 days with gastroenteritis.", ""),
    ("ae_attendance", "", "Letter from A&E received. Letter to HV sent.", ""),  # received, then passed on
    # a sentence of the agency's own, not ingest's label after a line break
    ("ae_attendance", "burn", "Burn. Discharge summary: Dressing applied.", ""),
    # someone else's observation, one at a distance, one to come
    ("phone_call", "", "Mum phoned: bruise noticed at nappy change.", ""),
    ("other", "", "Mum phoned: bruise noticed at nappy change.", ""),
    ("other", "", "Mother noticed bruise at nappy change.", ""),
    ("other", "", "Mum said at drop off that she had a cold.", ""),
    ("other", "", "Development review due.", ""),
    ("other", "", "Letter sent re 12 month development review at home.", ""),
    ("other", "", "Development not age appropriate: referred to paediatrician.", ""),
]


@pytest.mark.parametrize("contact_type, concerns, description, action", SEEN)
def test_attendances_and_observations_of_the_child_are_sightings(contact_type, concerns, description, action):
    assert read_sighting(contact_type, concerns, description, action, vocab=AMARA) is True


@pytest.mark.parametrize("contact_type, concerns, description, action", UNKNOWN)
def test_records_at_a_distance_and_others_observations_stay_unknown(contact_type, concerns, description, action):
    assert read_sighting(contact_type, concerns, description, action, vocab=AMARA) is None


def test_ingest_labels_are_left_out_and_an_agencys_own_label_is_kept():
    assert unlabelled(ED_TEXT) == ("Burn to right hand\n15 month old girl brought by mother and partner; mother says "
                                   "she touched the oven door 2 days ago. Superficial partial thickness burn to right "
                                   "palm 2x3cm. Delay in presentation.\nDressing applied; discharged. Letter to GP and HV.")
    assert unlabelled("DSL action: Monitor") == "Monitor"
    assert unlabelled("Seen at 10:30\nChild seen: no") == "Seen at 10:30\nChild seen: no"
    # the agency's "Child seen: no" still denies the sighting after a label ingest wrote
    assert read_sighting("clinic_appointment", "", "Clinic\nClinical notes: Child seen: no") is None
    assert read_sighting("clinic_appointment", "", "Clinic\nClinical notes: Child seen: yes") is True


@pytest.mark.parametrize("label", ["Discharge summary", "Triage notes", "Outcome", "DSL action", "Clinical notes"])
@pytest.mark.parametrize("contact_type, text", [
    ("ae_attendance", "Dressing applied; discharged."),
    ("ae_attendance", "Letter from A&E received."),
    ("admission", "Admitted overnight."),
    ("home_visit", "Child seen: no"),
])
def test_a_label_ingest_adds_never_changes_a_reading(label, contact_type, text):
    plain = read_sighting(contact_type, "", "Presenting complaint text\n" + text)
    assert read_sighting(contact_type, "", f"Presenting complaint text\n{label}: {text}") is plain
    assert read_sighting(contact_type, "", "", f"{label}: {text}") is read_sighting(contact_type, "", "", text)


def test_the_table_reads_as_the_row_does_each_distinct_text_once():
    rows = SEEN + UNKNOWN
    # enough distinct texts for the vectorised negation search (from 200 texts) to take part
    many = [(t, c, f"{d} Ref {k}.", a) for k in range(12) for t, c, d, a in rows]
    frame = pd.DataFrame({
        "child_seen": pd.array([pd.NA] * len(many), dtype="boolean"),
        "contact_type": [r[0] for r in many],
        "concerns": [r[1] for r in many],
        "description": [r[2] for r in many],
        "action": [r[3] for r in many],
    })
    got = [None if pd.isna(v) else bool(v) for v in inferred_sightings(frame, AMARA).astype(object)]
    assert got == [read_sighting(*r, vocab=AMARA) for r in many]
    assert got[:len(SEEN)] == [True] * len(SEEN)


def test_an_ed_attendance_read_from_its_columns_is_a_sighting_end_to_end(tmp_path):
    """The ED's csv: its Triage notes and Discharge summary columns follow the presenting complaint under their
    headers (ingest's labels); the attendance is a sighting, and the timeline says so."""
    folder = tmp_path / "case"
    folder.mkdir()
    (folder / "ed.csv").write_text(
        "Arrival date,Arrival time,Presenting complaint,Triage notes,Discharge summary\n"
        '28/04/2020,14:20,Burn to right hand,"15 month old girl brought by mother and partner. Superficial burn to '
        'right palm 2x3cm.",Dressing applied; discharged. Letter to GP and HV.\n', encoding="utf-8")
    (folder / "case.yml").write_text(
        "case_id: T1\nchild_name: Amara Lowe\ndate_of_birth: 2019-01-20\nreview_date: 2020-05-21\n"
        "files:\n  - {path: ed.csv, agency: Westbridge General Hospital ED}\n", encoding="utf-8")
    timeline = analyse(load_case(folder)).timeline
    assert timeline["contact_type"].tolist() == ["ae_attendance"]
    assert "\nDischarge summary: Dressing applied" in timeline["description"].iloc[0]  # the text as ingest wrote it
    assert timeline["child_seen"].isna().all()  # nothing recorded
    assert timeline["child_seen_inferred"].astype(object).tolist() == [True]
