"""s17 (sight2): sightings the police and a clinic record in their own words ("Located 02:15 on 04/03 in a car",
"Attended, Kayleigh at home with mother", "14 year old female attended alone"), no sighting from what the child
said on the phone, and a row whose description opens with a listed sibling ("Tyler Marsh (aged 7, brother)
found home alone") rejected as another child's row, not read as the case's child's (nor as a police decision
about her)."""
from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest
import yaml

from review.config import load_case_config
from review.ingest import load_contacts
from review.ingest.identity import OtherChild, subject_other_child
from review.sightings import inferred_sightings, read_sighting, untimed, with_child_names

KEY = with_child_names("", "Kayleigh Marsh")

SEEN = [
    ("police_callout", "Mother reported Kayleigh missing at 23:40. Located 02:15 on 04/03 in a car at Dockside Retail "
                       "Park with two adult males.", "Returned home to mother."),
    ("police_callout", "Kayleigh missing since 20:00 15/05. Found 03:30 in REED's car, heavily intoxicated.",
     "Information shared with CSC by email."),
    ("police_callout", "Kayleigh reported missing from home by mother. Located 23:50 near Harbour Street.",
     "Returned home."),
    ("police_callout", "Neighbour reports a girl believed to be Kayleigh getting into cars.",
     "Attended, Kayleigh at home with mother. Words of advice. No further action."),
    ("other", "14 year old female attended alone requesting emergency contraception.", "EHC given."),
    ("other", "Attended with a friend requesting implant.", "Nexplanon fitted."),
    ("other", "Return home interview at her school. Kayleigh said her boyfriend is 19.", ""),
]

NOT_SEEN = [
    # what the child said on the phone is no sighting, typed or worded at a distance
    ("other", "Return home interview by phone (lockdown). Kayleigh said her boyfriend Jay is 19.",
     "Report emailed to Early Help worker."),
    ("phone_call", "Return home interview. Kayleigh said her boyfriend Jay is 19.", ""),
    # the child's presence on a home visit is still not the child seen; a negated presence is none
    ("home_visit", "Child at home and mother seen alone", ""),
    ("police_callout", "Attended, Kayleigh not at home.", ""),
    # someone else attending alone, a time after a denied cue
    ("other", "Mum attended alone to discuss housing.", ""),
    ("police_callout", "Still missing, not located 02:15 on 04/03.", ""),
]


@pytest.mark.parametrize("contact_type, description, action", SEEN)
def test_the_police_and_the_clinic_record_a_sighting_in_their_own_words(contact_type, description, action):
    assert read_sighting(contact_type, "", description, action, KEY) is True


@pytest.mark.parametrize("contact_type, description, action", NOT_SEEN)
def test_a_phone_call_or_someone_else_is_no_sighting(contact_type, description, action):
    assert read_sighting(contact_type, "", description, action, KEY) is None


def test_a_time_between_the_cue_and_its_place_is_read_as_if_not_there():
    assert untimed("Located 02:15 on 04/03 in a car") == "Located in a car"
    assert untimed("Found at 03:30 in REED's car") == "Found in REED's car"
    assert untimed("Located 2350hrs near the station") == "Located near the station"
    assert untimed("Found 3 bags in her room") == "Found 3 bags in her room"  # a count, no time
    assert untimed(None) == ""


def test_the_table_reading_gives_the_row_reading():
    rows = SEEN + NOT_SEEN + [("police_callout", "Found 03:30 in REED's car.", "Attended, Kayleigh at home.")]
    frame = pd.DataFrame({"child_seen": pd.array([pd.NA] * len(rows), dtype="boolean"),
                          "contact_type": [r[0] for r in rows], "concerns": [""] * len(rows),
                          "description": [r[1] for r in rows], "action": [r[2] for r in rows]})
    table = inferred_sightings(frame, KEY)
    rowwise = [read_sighting(*r[:1], "", r[1], r[2], KEY) for r in rows]
    assert [None if pd.isna(v) else bool(v) for v in table] == rowwise
    assert rowwise[: len(SEEN)] == [True] * len(SEEN)


TYLER = (OtherChild(("tyler", "marsh"), "Tyler Marsh", "Brother"),)
CHILD = ("kayleigh", "marsh")


@pytest.mark.parametrize("text, expected", [
    ("Tyler Marsh (aged 7, brother) found home alone while mother out searching for Kayleigh.", ("Tyler Marsh", False)),
    ("Tyler found home alone.", ("Tyler", True)),  # his given name alone: kept, with a warning
    ("Tyler Marsh found home alone.", ("Tyler Marsh", False)),
    ("Tyler (brother) found home alone.", ("Tyler", False)),
    ("Tyler said mum hit Kayleigh.", ("Tyler", True)),  # his account: kept, with a warning
    ("Jayden (aged 4, half-brother) found alone.", ("Jayden", False)),  # not listed: by its note
    ("Tyler's school called about Kayleigh.", None),  # a possessive
    ("Tyler and Kayleigh found at the park.", None),  # with the case's child
    ("Kayleigh (aged 14, daughter) found.", None),
    ("Police attended (brother present).", None),  # a note naming no child's role alone
    ("Mother (Donna Marsh) reported Kayleigh missing.", None),
])
def test_a_description_opening_with_another_child(text, expected):
    reading = subject_other_child(text, TYLER, CHILD)
    assert (None if reading is None else (reading[0], reading[2])) == expected


def _case(case_dir: Path) -> Path:
    case_dir.mkdir(parents=True)
    raw = {"case_id": "km", "child_name": "Kayleigh Marsh", "date_of_birth": "2005-11-02", "review_date": "2020-12-31",
           "people": {"Kayleigh Marsh": "Child", "Donna Marsh": "Mother", "Tyler Marsh": "Brother"}}
    (case_dir / "case.yml").write_text(yaml.safe_dump(raw), encoding="utf-8")
    lines = ["Date,Agency,Type,Details,Action taken",
             '16/05/2020,Westmoor Police,Missing person,"Kayleigh missing since 20:00 15/05. Found 03:30 in REED\'s car.",'
             '"Information shared with CSC by email."',
             '16/05/2020,Westmoor Police,Concern for welfare,"Tyler Marsh (aged 7, brother) found home alone while '
             'mother out searching for Kayleigh.","Words of advice to mother. No further action."',
             '17/05/2020,Westmoor Police,Concern for welfare,"Tyler said Kayleigh had been out all night.",'
             '"Noted."']
    (case_dir / "police.csv").write_text("\n".join(lines) + "\n", encoding="utf-8")
    return case_dir


def test_a_listed_siblings_row_is_rejected_with_its_file_sheet_row_and_column(tmp_path):
    contacts, report = load_contacts(load_case_config(_case(tmp_path / "k")))
    sheet = report.files[0]
    assert contacts["source_row"].tolist() == [2, 4]
    assert [(r.row, r.column) for r in sheet.rejections] == [(3, "Details")]
    assert sheet.rejections[0].reason.startswith("record of another child: the description opens with 'Tyler Marsh' "
                                                 "(aged 7, brother), listed in case.yml as Brother")
    warnings = [(w.row, w.column, w.message) for w in sheet.warnings]
    assert any(row == 4 and column == "Details" and "kept as the case's child's" in message
               for row, column, message in warnings)
    assert any(row is None and message.startswith("1 row is of another child (Tyler): rejected")
               for row, column, message in warnings)
    assert "Tyler Marsh" in report.other_children
    # the brother's "No further action" is no decision about the case's child: it is not in the chronology
    assert not contacts["action"].astype(str).str.contains("Words of advice to mother").any()


def test_the_brothers_no_further_action_is_no_police_decision_about_the_child(tmp_path):
    from review.pipeline import analyse, load_case

    analysis = analyse(load_case(_case(tmp_path / "k")))
    timeline = analysis.timeline
    assert not timeline["description"].astype(str).str.startswith("Tyler Marsh").any()
    shared = analysis.flags[analysis.flags["rule_id"] == "information_not_shared"] if len(analysis.flags) else []
    assert not len(shared)  # before s17 the brother's "No further action" was a police decision about Kayleigh
