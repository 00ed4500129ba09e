"""Type cells of a consultation in person ("F2F", "Face to face", "Check-up") are clinic appointments (QA4 defect
15: the GP's "F2F" was typed other and its sighting lost), and a health appointment cancelled by the parent counts
as one the child was not brought to (QA4 defect 4, in part)."""
from __future__ import annotations

import pytest

from review.config import load_vocab
from review.vocab import classify_contact_type, tag_concerns, type_cell_contact_type

VOCAB = load_vocab()


@pytest.mark.parametrize("cell", ["F2F", "f2f", "Face to face", "Face-to-face", "Check-up", "Check up", "Checkup",
                                  "Review", "F2F appt"])
def test_in_person_type_cells_are_clinic_appointments(cell):
    assert type_cell_contact_type(cell, VOCAB) == "clinic_appointment"
    assert classify_contact_type(cell, "Mum reports Jordan fussy eater. Weight 23.0kg.", VOCAB) == "clinic_appointment"


@pytest.mark.parametrize("description", ["Spoke face to face with dad.", "Police to check up on mum."])
def test_in_person_words_in_a_description_type_nothing(description):
    assert classify_contact_type("", description, VOCAB) == "other"


@pytest.mark.parametrize("text", [
    "Appointment of 18/01/2022 cancelled by parent - 'now home educated, too busy'.",
    "Pre-assessment for GA - cancelled by parent.",
    "Mum cancelled appointment, rebooked.",
    "Outpatient appointment - cancelled by patient.",
])
def test_cancelled_by_parent_is_not_brought(text):
    assert "was_not_brought" in tag_concerns(text, VOCAB)


@pytest.mark.parametrize("text", ["Clinic cancelled by hospital.", "Appointment not cancelled by parent, attended."])
def test_other_cancellations_are_not(text):
    assert "was_not_brought" not in tag_concerns(text, VOCAB)
