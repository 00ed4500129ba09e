"""(s20, QA8 D9) An emergency department's "Head injury advice" (the discharge leaflet) is no head injury, and "left
before assessment" is no assessment: Tyrese's ED row of 11/06/2023 (a swollen eye and a cut lip) is an A&E
attendance with other_injury only. A head injury recorded, and an assessment held, still are."""
from __future__ import annotations

import pytest

from review.pipeline import load_vocab
from review.vocab import classify_contact_type, tag_concerns

VOCAB = load_vocab()
ED = ("Westshire General Hospital ED",)
TRIAGE = ("Facial injury\nTriage notes: Attended with an adult 'friend'. Swollen left eye, cut lip. Says fell off "
          "bike. Friend left before assessment.")


def test_the_tyrese_ed_row_is_an_attendance_with_no_head_injury():
    assert classify_contact_type("", TRIAGE, VOCAB, action="Discharged. Head injury advice.", agency=ED) == "ae_attendance"
    assert tag_concerns(TRIAGE + " . Discharged. Head injury advice.", VOCAB) == ["other_injury"]


@pytest.mark.parametrize("text", ["Discharged with head injury advice leaflet.", "Head injury advice given to mum.",
                                  "Left before assessment.", "Self-discharged prior to assessment."])
def test_advice_and_leaving_before_assessment_are_no_concern(text):
    assert "head_injury" not in tag_concerns(text, VOCAB)
    assert classify_contact_type("", text, VOCAB) != "assessment"


@pytest.mark.parametrize("text, tag", [("Head injury: bump to forehead after fall from sofa.", "head_injury"),
                                       ("Fell and hit head, head injury advice given.", "head_injury")])
def test_a_head_injury_recorded_still_is_one(text, tag):
    assert tag in tag_concerns(text, VOCAB)


def test_an_assessment_held_still_is_one():
    assert classify_contact_type("", "Child and family assessment completed.", VOCAB) == "assessment"
    assert classify_contact_type("", "Assessment before discharge completed.", VOCAB) == "assessment"
