"""The anonymised view's damage left after s11: a name set off by commas or brackets next to its own role
words, a listed first name before somebody else's surname, lower-case professional titles and lower-case
named days. Sentences as the sample case's chronologies write them."""
from __future__ import annotations

import pytest

from review.redact import Redactor

#: the sample case's people (data/cases/sample/case.yml)
PEOPLE = {"Kai Ashdown": "Child", "Chloe Ashdown": "Mother", "Dean Fowler": "Mother's partner",
          "Maureen Ashdown": "Maternal grandmother", "Ryan Keane": "Father"}
LISTED = ("Kai", "Ashdown", "Chloe", "Dean", "Fowler", "Maureen", "Ryan", "Keane")


def _text(text: str, **extra) -> str:
    return Redactor(people={**PEOPLE, **extra}).text(text)


def _leaks(out: str) -> list[str]:
    return [name for name in LISTED if name.casefold() in out.casefold()]


# -- 1. a name set off by commas or brackets next to its own role words ---------------------------------------
@pytest.mark.parametrize("text, expected", [
    ("Mother's partner, Dean, was present at the home visit.", "Mother's partner was present at the home visit."),
    ("Spoke to her partner, Dean Fowler, who said mother was asleep.", "Spoke to her partner who said mother was asleep."),
    ("Mother's partner (Dean Fowler) arrested for assault.", "Mother's partner arrested for assault."),
    ("Present: mother, maternal grandmother, Maureen.", "Present: mother, maternal grandmother."),
    ("Dean Fowler (partner) was present during the visit.", "Mother's partner was present during the visit."),
    ("Dean (mum's partner) answered the door.", "Mother's partner answered the door."),
    ("Maureen Ashdown (maternal grandmother) rang the duty desk.", "Maternal grandmother rang the duty desk."),
    ("Ryan Keane, father, did not attend the ICPC.", "Father did not attend the ICPC."),
    ("Kai Ashdown (subject child) seen at nursery.", "Child seen at nursery."),
])
def test_a_name_next_to_its_own_role_words_is_not_followed_by_the_role_again(text, expected):
    out = _text(text)
    assert out == expected
    assert not _leaks(out)


@pytest.mark.parametrize("text, expected", [
    # another person's role words stay: they say something the pseudonym does not
    ("Dean, mother, said the door was locked.", "Mother's partner, mother, said the door was locked."),
    ("Dean Fowler (ex-partner) seen in town.", "Mother's partner (ex-partner) seen in town."),
    # no closing comma: two clauses, the name is replaced as before
    ("Spoke to partner, Dean said he was fine.", "Spoke to partner, Mother's partner said he was fine."),
])
def test_other_words_after_or_around_a_name_are_kept(text, expected):
    assert _text(text) == expected


# -- 2. a listed first name before somebody else's surname ------------------------------------------------------
@pytest.mark.parametrize("text, expected", [
    ("Strategy discussion with SW (Dean Smith) and police.", "Strategy discussion with SW ([name]) and police."),
    ("Dean Fowler and Dean Smith (SW) met at the office.", "Mother's partner and [name] (SW) met at the office."),
    ("Letter from Mr Dean Smith, solicitor.", "Letter from Mr [name], solicitor."),
    ("Chloe Jones HV visited; Kai weighed.", "[name] HV visited; Child weighed."),
    ("Dean SMITH arrested on warrant.", "[name] arrested on warrant."),  # a surname in capitals
    ("Dean Ashdown (uncle) visited.", "[name] (uncle) visited."),  # a listed surname, not Dean's
    ("Ryan O'Neill, youth worker, rang.", "[name], youth worker, rang."),
    ("Dean Smith's car outside.", "[name]'s car outside."),
])
def test_a_listed_first_name_before_another_surname_is_somebody_else(text, expected):
    out = _text(text)
    assert out == expected
    assert "Mother's partner Smith" not in out and "Smith" not in out and not _leaks(out)


@pytest.mark.parametrize("text, expected", [
    ("Kai Monday visit cancelled.", "Child Monday visit cancelled."),
    ("Visit To Kai And Mother.", "Visit To Child And Mother."),
    ("Kai DNA appt at clinic.", "Child DNA appt at clinic."),
    ("Kai Chloe and Dean at home.", "Child Mother and Mother's partner at home."),
    ("Dean Fowler seen; Ryan Keane absent.", "Mother's partner seen; Father absent."),
])
def test_a_first_name_before_a_word_that_is_no_surname_is_still_the_listed_person(text, expected):
    assert _text(text) == expected


def test_a_person_listed_by_first_name_only_before_a_surname_is_hidden_not_named():
    # the surname is unknown: "Dean Smith" may be the listed Dean or another; either way nothing leaks
    people = {"Kai Ashdown": "Child", "Dean": "Mother's partner"}
    redactor = Redactor(people=people)
    assert redactor.text("Dean seen at the flat.") == "Mother's partner seen at the flat."
    assert redactor.text("Dean Smith seen at the flat.") == "[name] seen at the flat."
    assert redactor.text("Dean Ashdown seen at the flat.") == "[name] seen at the flat."


def test_capitals_throughout_cannot_tell_a_surname():
    # in a line in capitals every word is capitalised: only a listed surname is read as one
    assert _text("DEAN ASHDOWN ARRESTED") == "[name] ARRESTED"
    # an unlisted word in capitals after a first name in capitals is read as another's surname unless it is an
    # everyday word of such lines (s12: "MOTHER'S PARTNER SMITH" left the surname beside the pseudonym)
    assert _text("DEAN SMITH ARRESTED") == "[name] ARRESTED"
    assert _text("DEAN ARRESTED") == "MOTHER'S PARTNER ARRESTED"
    assert _text("KAI SEEN BY GP") == "CHILD SEEN BY GP"


# -- 3. lower-case professional titles -----------------------------------------------------------------------
@pytest.mark.parametrize("text, expected", [
    ("Kai weighed by the nurse Chloe at clinic.", "Child weighed by the nurse [name] at clinic."),
    ("Home visit by social worker Dean; mother present.", "Home visit by social worker [name]; mother present."),
    ("health visitor Chloe Jones visited.", "health visitor [name] visited."),
    ("Seen by midwife Chloe's student.", "Seen by midwife [name]'s student."),
    ("Discussed with police officer Ryan.", "Discussed with police officer [name]."),
])
def test_a_lower_case_title_before_a_shared_first_name_is_a_professional(text, expected):
    out = _text(text)
    assert out == expected
    assert "Mother" not in out.replace("mother present", "") and "Father" not in out


@pytest.mark.parametrize("text, expected", [
    ("Mother told the health visitor Kai had a rash.", "Mother told the health visitor Child had a rash."),
    ("Informed the nurse Chloe was upset.", "Informed the nurse Mother was upset."),
])
def test_after_a_reporting_verb_the_name_is_what_was_reported(text, expected):
    assert _text(text) == expected


def test_a_listed_professional_keeps_their_pseudonym_after_a_lower_case_title():
    assert _text("Seen by the nurse Priya Ahmed.", **{"Priya Ahmed": "School nurse"}) == "Seen by the nurse School nurse."


# -- 4. lower-case named days -----------------------------------------------------------------------------------
def _monthly(text: str) -> str:
    return Redactor(people=dict(PEOPLE), date_resolution="month").text(text)


@pytest.mark.parametrize("text, expected", [
    ("Police called on boxing day to a disturbance.", "Police called in December to a disturbance."),
    ("Kai stayed with maternal grandmother on christmas eve.", "Child stayed with maternal grandmother in December."),
    ("Incident on new year's eve at the flat.", "Incident in December at the flat."),
    ("Mother and Kai seen at the walk-in centre on easter monday.", "Mother and Child seen at the walk-in centre on [day]."),
    ("bonfire night incident reported by neighbour.", "November incident reported by neighbour."),
])
def test_lower_case_named_days_are_given_to_the_month_as_capitalised_ones(text, expected):
    assert _monthly(text) == expected


def test_a_good_friday_in_lower_case_is_an_everyday_phrase():
    assert _monthly("Kai had a good friday at nursery.") == "Child had a good friday at nursery."
    assert _monthly("Seen on Good Friday.") == "Seen on [day]."
