"""A parent's absence from a meeting is no missed appointment of the child's (QA4 defect 21: "EHCP annual review
meeting - mum did not attend, meeting not held" was typed and tagged was_not_brought)."""
from __future__ import annotations

import pytest

from review.config import load_vocab
from review.vocab import classify_contact_type, tag_concerns

VOCAB = load_vocab()


@pytest.mark.parametrize("text", [
    "EHCP annual review meeting - mum did not attend, meeting not held. Not rescheduled.",
    "Mum did not attend core group meeting.",
    "Parents failed to attend TAC meeting.",
    "CIN review - mother did not attend",
])
def test_parents_meeting_absence_is_not_was_not_brought(text):
    assert "was_not_brought" not in tag_concerns(text, VOCAB)
    assert classify_contact_type("", text, VOCAB) != "was_not_brought"


def test_ehcp_review_is_no_clinic_appointment():
    text = "EHCP annual review meeting - mum did not attend, meeting not held. Not rescheduled."
    assert classify_contact_type("SEND", text, VOCAB, action="SEND team informed by email.") == "other"
    assert classify_contact_type("", "Asthma annual review", VOCAB) == "clinic_appointment"


@pytest.mark.parametrize("text", [
    "Mum did not attend with baby for 8 week check.",  # no meeting: the child not brought
    "Did not attend weight review.",
    "Jordan did not attend. Core group meeting next week.",  # the meeting in another sentence, no adult before
    "EHCP review: child did not attend",
])
def test_childs_missed_appointment_still_read(text):
    assert "was_not_brought" in tag_concerns(text, VOCAB)
    assert classify_contact_type("", text, VOCAB) == "was_not_brought"
