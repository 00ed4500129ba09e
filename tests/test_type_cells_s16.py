"""Type cells read as a description's text is (`_type_hits`) still name their contact's type when every type
keyword in them reads as another event's ("Post discharge visit", "Previous A&E attendance"): before, such a
cell was read as naming no type, the row typed by its description with an unknown-type warning. The
incidental-word exclusions of descriptions stay."""

from __future__ import annotations


import pytest

from review.config import load_case_config, load_vocab
from review.ingest.load import load_contacts
from review.vocab import classify_contact_type, description_contact_type, type_cell_contact_type

from test_contact_types_s16 import make_case  # a case folder of csv chronologies

VOCAB = load_vocab()


@pytest.mark.parametrize("cell, expected", [
    ("Post discharge visit", "discharge"),
    ("Post-discharge visit", "discharge"),
    ("Visit after discharge", "discharge"),
    ("Previous A&E attendance", "ae_attendance"),
    ("Recent admission", "admission"),
    ("Post ICPC visit", "cp_conference"),
    ("Post-op review", "clinic_appointment"),
    ("Summary of assessment", "assessment"),
])
def test_a_type_cell_of_another_events_words_keeps_their_type(cell, expected):
    assert type_cell_contact_type(cell, VOCAB) == expected
    assert classify_contact_type(cell, "Mother and baby well.", VOCAB) == expected


@pytest.mark.parametrize("cell, expected", [
    ("A&E letter", "letter"),                        # a letter about the attendance, as the description's reading
    ("Notification of A&E attendance", "letter"),
    ("Post discharge home visit", "home_visit"),     # the type the cell names beside the other event's
    ("Discharge summary", "letter"),
])
def test_a_type_cell_naming_its_own_type_beside_another_events_is_of_its_own(cell, expected):
    assert type_cell_contact_type(cell, VOCAB) == expected


@pytest.mark.parametrize("text, wrong", [
    ("States girlfriend is controlling, checks his phone", "phone_call"),
    ("Return to school after hospital admission", "admission"),
    ("A&E letter re buckle fracture right wrist", "ae_attendance"),
    ("Post discharge visit, mother coping well", "discharge"),
])
def test_a_descriptions_incidental_words_still_name_no_type(text, wrong):
    assert description_contact_type(text, VOCAB) != wrong
    assert classify_contact_type("", text, VOCAB) != wrong


def test_a_post_discharge_visit_cell_is_read_without_an_unknown_type_warning(tmp_path):
    hv = ("Date,Type of contact,Details\n"
          "01/02/2024,Post discharge visit,Seen at home with mother. Feeding well.\n"
          "02/02/2024,Meeting,Team meeting.\n")
    case = make_case(tmp_path, {"hv.csv": ("Health visiting", hv)})
    contacts, report = load_contacts(load_case_config(case), VOCAB)
    assert contacts.sort_values("source_row")["contact_type"].tolist() == ["discharge", "other"]
    warned = [w.message for f in report.files for w in f.warnings if "name no type" in w.message]
    assert len(warned) == 1 and "'Meeting'" in warned[0] and "Post discharge visit" not in warned[0]
