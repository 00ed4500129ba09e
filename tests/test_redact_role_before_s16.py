"""s16: a listed person's name after a word for another family role. "Craig Hollis assaulted partner Donna
Mason" (Craig: "Mother's partner", Donna: "Mother") was "Mother's partner assaulted partner Mother", a role word
before a role; the pseudonym is now in brackets: "... assaulted partner (Mother)". A name after its own role
words is still dropped ("her partner Craig" -> "her partner")."""
from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from review.config import CaseConfig
from review.redact import Redactor


def _redactor() -> Redactor:
    case = CaseConfig(case_dir=Path("."), case_id="c1", date_of_birth=dt.date(2016, 5, 22), child_name="Alfie Mason",
                      people={"Donna Mason": "Mother", "Craig Hollis": "Mother's partner",
                              "Jean Mason": "Maternal grandmother"})
    return Redactor.from_case(case)


@pytest.mark.parametrize("text, expected", [
    ("Craig Hollis assaulted partner Donna Mason", "Mother's partner assaulted partner (Mother)"),
    ("CRAIG HOLLIS ASSAULTED PARTNER DONNA MASON", "MOTHER'S PARTNER ASSAULTED PARTNER (MOTHER)"),
    ("Craig pushed ex-partner Donna's car", "Mother's partner pushed ex-partner (Mother's) car"),
    ("Partner Donna said", "Partner (Mother) said"),
    ("Jean said her daughter Donna was drinking", "Maternal grandmother said her daughter (Mother) was drinking"),
    ("mum's mother Jean attended", "mum's mother (Maternal grandmother) attended"),
])
def test_a_role_after_another_role_word_is_in_brackets(text, expected):
    out = _redactor().text(text)
    assert out == expected
    assert not {"Donna", "Craig", "Jean", "Mason", "Hollis"} & set(out.replace("(", " ").replace(")", " ").split())


@pytest.mark.parametrize("text, expected", [
    ("her partner Craig was present", "her partner was present"),  # its own role words: the name goes
    ("partner, Craig, was present", "partner was present"),
    ("Mum Donna said", "Mum said"),
    ("grandmother Jean rang", "grandmother rang"),
    ("Donna assaulted by Craig", "Mother assaulted by Mother's partner"),  # no role word before: as it was
    ("Dr Donna Smith", "Dr [name]"),
])
def test_names_after_their_own_role_or_no_role_read_as_before(text, expected):
    assert _redactor().text(text) == expected


def test_a_role_word_after_a_reporting_verb_is_another_person():
    # "told mother [that] Craig was drunk": two people, the pseudonym read as it was
    assert _redactor().text("Told mother Craig was drunk.") == "Told mother Mother's partner was drunk."
