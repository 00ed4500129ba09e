"""A capitalised word right after a person's title is a surname, whatever else it means ("DI White")."""
import pytest

from review.redact import Redactor


@pytest.fixture(scope="module")
def redactor():
    return Redactor(people={"Jordan Hale": "Child", "Kelly Hale": "Mother"})


@pytest.mark.parametrize("text, expected", [
    ("Attended by DI White and DS Brown.", "Attended by DI [name] and DS [name]."),
    ("DC Black, Sgt Young", "DC [name], Sgt [name]"),
    ("PC Green spoke to mother", "PC [name] spoke to mother"),
    ("Dr Long reviewed", "Dr [name] reviewed"),
    ("PO Bell visited", "PO [name] visited"),
    ("Insp Rose", "Insp [name]"),
    ("DI English and DS Welsh attended", "DI [name] and DS [name] attended"),
    ("DS J. White", "DS [name]"),
    ("PC Sarah White attended", "PC [name] attended"),
    ("DI WHITE ATTENDED", "DI [name] ATTENDED"),
])
def test_everyday_word_after_a_title_is_a_surname(redactor, text, expected):
    assert redactor.text(text) == expected


@pytest.mark.parametrize("text", [
    "mother is White British",
    "SW White British family",  # a role, not a person's title: "White" describes the family
    "GP May appointment",
    "Dr May 2021",
    "PC Team",
    "PC WILL ATTEND",
])
def test_everyday_words_elsewhere_are_left(redactor, text):
    assert redactor.text(text) == text


def test_modal_after_a_name_is_no_surname(redactor):
    assert redactor.text("Dr Khan will review") == "Dr [name] will review"
