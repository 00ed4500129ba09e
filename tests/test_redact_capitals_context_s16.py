"""s16: names in capitals. An uncommon name the case does not list, alone before a word that makes it a
person's ("ZEPHYR PRESENT"), was left: now "[name] PRESENT". A well-known phrase holding a common given name
("BOUGHT AT JOHN LEWIS", "PETER PAN COLLAR") was "[name]": now left, unless the word after it is a person's
("JOHN LEWIS PRESENT"). Names the case declares (the child, case.yml `people`) are their pseudonyms in any
letter case, in capitals and in ordinary text, even inside such a phrase."""
from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from review.config import CaseConfig
from review.redact import Redactor


def _redactor(child="Alfie Brook", people=None) -> Redactor:
    case = CaseConfig(case_dir=Path("."), case_id="c1", date_of_birth=dt.date(2016, 5, 22), child_name=child,
                      people=people if people is not None else {"Kerry Brook": "Mother", "Dean Brook": "Father"})
    return Redactor.from_case(case)


@pytest.mark.parametrize("text, expected", [
    # before: left as written (ZEPHYR is in no list)
    ("ZEPHYR PRESENT", "[name] PRESENT"),
    ("HOME VISIT. ZEPHYR ATTENDED", "HOME VISIT. [name] ATTENDED"),
    ("Home visit. ZEPHYR PRESENT.", "Home visit. [name] PRESENT."),
    ("VISIT: ZEPHYR HOLT PRESENT", "VISIT: [name] PRESENT"),
    ("HOME VISIT, ZEPHYR SAID SHE WAS FINE", "HOME VISIT, [name] SAID SHE WAS FINE"),
    ("JOHN LEWIS PRESENT", "[name] PRESENT"),  # a phrase, but a person by the word after it
])
def test_an_uncommon_name_before_a_persons_word_in_capitals_is_hidden(text, expected):
    assert _redactor().text(text) == expected


@pytest.mark.parametrize("text", [
    "MOTHER PRESENT", "NO ONE PRESENT", "NOT PRESENT", "ALSO PRESENT: MUM", "HE SAID", "SHE STATED", "GP ATTENDED",
    "CAMHS ATTENDED", "POLICE ATTENDED", "FIRE SERVICE ATTENDED", "BRUISE PRESENT", "DAMP AND MOULD PRESENT",
    "HEAD LICE PRESENT", "ODOUR OF CANNABIS PRESENT", "PATIENT ATTENDED", "SUSPECT ARRESTED", "VICTIM STATED",
    "LETTER STATED", "INTERPRETER PRESENT", "BOTH PARENTS PRESENT", "SOCIAL WORKER PRESENT",
    "Mum said ZEPHYR PRESENT",  # a sentence in ordinary text: not read as one in capitals
])
def test_words_that_are_no_name_before_a_persons_word_are_left(text):
    assert _redactor().text(text) == text


@pytest.mark.parametrize("text", [
    "BOUGHT AT JOHN LEWIS",  # before: "BOUGHT AT [name]"
    "JOHN LEWIS",
    "PETER PAN COLLAR",  # before: "[name] COLLAR"
    "ALICE BAND IN HAIR",
    "JACK DANIELS BOTTLE FOUND",
    "ST JOHN AMBULANCE ATTENDED",  # before: "ST [name] AMBULANCE ATTENDED"
    "REFERRED TO ANNA FREUD CENTRE",
])
def test_well_known_phrases_that_name_no_one_are_left(text):
    assert _redactor().text(text) == text


def test_a_common_name_beside_such_a_phrase_is_still_hidden():
    assert _redactor().text("JOHN SEEN AT JOHN LEWIS") == "[name] SEEN AT JOHN LEWIS"
    assert _redactor().text("KERRY AND JOHN WENT TO JOHN LEWIS") == "MOTHER AND [name] WENT TO JOHN LEWIS"


@pytest.mark.parametrize("text, expected", [
    ("Kerry present", "Mother present"), ("kerry present", "Mother present"), ("KERRY PRESENT", "MOTHER PRESENT"),
    ("Alfie present", "Child A present"), ("alfie seen", "Child A seen"), ("ALFIE SEEN", "CHILD A SEEN"),
    ("Home visit, KeRRy present", "Home visit, Mother present"),
])
def test_the_case_declared_names_are_hidden_in_any_case(text, expected):
    assert _redactor().text(text) == expected


def test_a_declared_name_inside_a_well_known_phrase_is_still_hidden():
    redactor = _redactor(people={"John Lewis": "Father"})
    assert redactor.text("BOUGHT AT JOHN LEWIS") == "BOUGHT AT FATHER"
    assert redactor.text("john lewis attended") == "Father attended"
    child = _redactor(child="Zephyr Holt", people={})
    assert child.text("ZEPHYR PRESENT") == "CHILD A PRESENT" and child.text("zephyr present") == "Child A present"


def test_the_phrases_cost_nothing_on_text_without_a_given_name_in_capitals():
    from review import redact

    # the phrase list is only searched once a given name in capitals is found, and the context words only
    # after their gate: ordinary text goes through neither
    text = "Home visit. Mother and baby seen, no concerns. Plan: review in 2 weeks."
    assert not redact._GIVEN_NAME_IN_CAPITALS.search(text) and not redact._MAY_BE_NAME_IN_CONTEXT.search(text)
    assert _redactor().text(text) == text
