"""s19 (QA6, Leah: intrafamilial child sexual abuse): the readings of child sexual abuse, sexualised behaviour, an
adult posing a risk to children, a child's pregnancy, "not seen alone" and a negated contact type.

Each was read as nothing (or as the opposite) before: the case's 2020-2021 core raised no flag.
"""
from __future__ import annotations

import pytest

from review.config import load_vocab
from review.sightings import read_sighting
from review.vocab import description_contact_type, tag_concerns


@pytest.fixture(scope="module")
def vocab():
    return load_vocab()


@pytest.mark.parametrize("text, tag", [
    ('Leah told Miss Patel: "Gary comes in my room at night when mum is at work and does things to me".', "sexual_abuse"),
    ('A friend reported Leah told her "someone at home touches me". DSL spoke to Leah, who denied it.', "sexual_abuse"),
    ("Referral: possible sexual abuse by mother's partner.", "sexual_abuse"),
    ("Mother's partner raped her.", "sexual_abuse"),
    ("Crime recorded: rape of a child under 13.", "sexual_abuse"),
    ("Leah drew a picture of a man and a girl in bed, and used sexual language in class.", "sexualised_behaviour"),
    ("Seen simulating a sexual act with a Year 4 pupil. Sexualised behaviour noted again.", "sexualised_behaviour"),
    ("Home visit to Gary Holt (MAPPA category 1, RSO).", "risk_to_children"),
    ("PNC: convicted 2017 of making indecent images of children.", "risk_to_children"),
    ("Mother's new partner is a Schedule 1 offender.", "risk_to_children"),
    ("Leah Corrigan (13), pregnant.", "sexual_activity"),
    ("Leah told a friend she might be pregnant.", "sexual_activity"),
])
def test_child_sexual_abuse_and_its_signs_are_concerns(vocab, text, tag):
    assert tag in tag_concerns(text, vocab)  # was: no tag


@pytest.mark.parametrize("text, tag", [
    ("No sexualised behaviour noted.", "sexualised_behaviour"),
    ("No concerns of sexual abuse.", "sexual_abuse"),
    ("Mother was sexually abused as a child.", "sexual_abuse"),  # the mother's own history
    ("Mum has a history of childhood sexual abuse.", "sexual_abuse"),
    ("Mother is 30 weeks pregnant.", "sexual_activity"),  # the mother's pregnancy (adults_concerns)
    ("Mum pregnant with third child.", "sexual_activity"),
])
def test_negated_and_adults_readings_are_none(vocab, text, tag):
    assert tag not in tag_concerns(text, vocab)


def test_not_seen_alone_is_a_child_seen(vocab):
    text = "Leah attended with mother. Cutting 3 times a week. Not seen alone."
    assert "child_not_seen" not in tag_concerns(text, vocab)  # was: child_not_seen ("not seen" inside it)
    assert read_sighting("clinic_appointment", "", "Child not seen alone.") is True  # was: False
    assert "child_not_seen" in tag_concerns("Home visit. Child not seen.", vocab)  # unchanged
    assert read_sighting("home_visit", "", "Mother not seen alone.") is None  # someone else: unknown


@pytest.mark.parametrize("text, expected", [
    ("ABE interview not progressed as Leah has retracted. No CP medical as no physical signs reported.", ""),  # was cp_medical
    ("No home visit this week.", ""),
    ("CP medical arranged.", "cp_medical"),
    ("Home visit - no concerns.", "home_visit"),
    ("Mother not at home for home visit.", "home_visit"),
    ("Nil concerns at home visit.", "home_visit"),
])
def test_a_negated_contact_type_in_a_description_is_not_the_contact(vocab, text, expected):
    assert description_contact_type(text, vocab) == expected
