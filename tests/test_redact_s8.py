"""Pseudonyms as they read in the text: at the start of a sentence, in capitals, in possessives (with and
without the apostrophe), and the forms of a name that used to slip through ("Kais", "the Ashdowns",
"Chloe A.", "ASHDOWN, C.")."""
from __future__ import annotations

import pytest

from review.redact import Redactor

PEOPLE = {
    "Chloe Ashdown": "mother",  # written in lower case in case.yml: capitalised where a sentence starts
    "Kai Ashdown": "Child A",
    "Dean Fowler": "Mother's partner",
    "Maureen Ashdown": "maternal grandmother",
    "James Keane": "Father",
    "Mark Stone": "Uncle",  # "Mark" is also a word
}


@pytest.fixture(scope="module")
def redactor() -> Redactor:
    return Redactor(people=PEOPLE)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("chloe said she was tired.", "Mother said she was tired."),
        ("Seen at home. maureen was present", "Seen at home. Maternal grandmother was present"),
        ("Kai seen. Later maureen phoned", "Child A seen. Later maternal grandmother phoned"),
        ('"Chloe is fine," she said', '"Mother is fine," she said'),
        ("Visit:\nmaureen answered the door", "Visit:\nMaternal grandmother answered the door"),
        ("(Chloe) declined", "(Mother) declined"),
        ("Is Chloe there? chloe's sister said no", "Is mother there? Mother's sister said no"),
    ],
)
def test_a_pseudonym_starting_a_sentence_is_capitalised_and_kept_as_written_elsewhere(redactor, text, expected):
    assert redactor.text(text) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Chloe's partner", "Mother's partner"),
        ("CHLOE'S partner", "Mother's partner"),  # not "Mother'S"
        ("KAI\u2019S cot", "Child A\u2019s cot"),
        ("chloe\u2019s phone", "Mother\u2019s phone"),
        ("Dean's car", "Mother's partner's car"),
        ("James' car", "Father's car"),  # a name ending in s takes the apostrophe alone
        ("'Chloe' was written on the card", "'Mother' was written on the card"),  # a quote, not a possessive
    ],
)
def test_possessives_read_with_the_pseudonym(redactor, text, expected):
    assert redactor.text(text) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Kais cot was dirty", "Child A's cot was dirty"),
        ("Chloes phone was off", "Mother's phone was off"),
        ("visited the Ashdowns", "visited the [name]s"),
        ("Fowlers van outside", "Mother's partner's van outside"),
        ("Chloe A. said no", "Mother said no"),
        ("I saw Chloe A. She left", "I saw mother. She left"),
        ("ASHDOWN, C. (mother)", "Mother"),
        ("Keane J. attended", "Father attended"),
        ("Keane, J", "Father"),
    ],
)
def test_every_form_of_a_name_is_replaced(redactor, text, expected):
    assert redactor.text(text) == expected
    assert redactor.names_found(redactor.text(text)) == []


def test_a_word_that_is_also_a_name_keeps_its_plural(redactor):
    # "Mark" is a person's name and a word: "Marks" is the word's plural, not "Mark's" mistyped
    assert redactor.text("Marks on his arm. Mark's van") == "Marks on his arm. Uncle's van"
    assert redactor.names_found("Marks on his arm") == []


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("REFERRAL RE KAI ASHDOWN", "REFERRAL RE CHILD A"),
        ("STRATEGY MEETING - CHLOE'S PARTNER", "STRATEGY MEETING - MOTHER'S PARTNER"),
        ("Officers spoke to FOWLER.", "Officers spoke to Mother's partner."),  # capitals for emphasis only
        ("CHLOE did not answer", "Mother did not answer"),
    ],
)
def test_a_name_in_a_line_written_in_capitals_takes_the_pseudonym_in_capitals(redactor, text, expected):
    assert redactor.text(text) == expected


def test_the_capitalisation_is_idempotent(redactor):
    text = "chloe's son Kais cot. maureen, KAI and the Ashdowns. REFERRAL RE KAI ASHDOWN"
    once = redactor.text(text)
    assert redactor.text(once) == once
    assert redactor.names_found(once) == []
