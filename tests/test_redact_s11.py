"""The anonymised view's damage and gaps fixed in s11: a professional who shares a first name with a family
member, a role written twice, places of residence, children's centres, dates with dots, named days,
references, and schools named without their kind. Sentences as the sample case's chronologies write them."""
from __future__ import annotations

import pytest

from review.redact import Redactor

#: the sample case's people (data/cases/sample/case.yml) and a doctor listed by the review as "GP 1"
PEOPLE = {"Kai Ashdown": "Child", "Chloe Ashdown": "Mother", "Dean Fowler": "Mother's partner",
          "Maureen Ashdown": "Maternal grandmother", "Ryan Keane": "Father"}


def _redactor(**extra) -> Redactor:
    return Redactor(people={**PEOPLE, **extra})


# -- 1. a professional's title before a listed person's name -------------------------------------------------
@pytest.mark.parametrize("text, expected", [
    ("Kai seen by Dr Ryan (Larkfield) for a cough; no concerns.", "Child seen by Dr [name] (Larkfield) for a cough; no concerns."),
    ("Letter from Dr Ryan's secretary.", "Letter from Dr [name]'s secretary."),
    ("PC Keane and DC Ryan attended the flat.", "PC [name] and DC [name] attended the flat."),
    ("Discussed with SW Dean and HV Chloe.", "Discussed with SW [name] and HV [name]."),
    ("Nurse Chloe weighed Kai.", "Nurse [name] weighed Child."),
    ("Mr Ryan (consultant paediatrician) reviewed Kai.", "Mr [name] (consultant paediatrician) reviewed Child."),
    ("SEEN BY DR RYAN", "SEEN BY DR [name]"),
])
def test_a_name_after_a_professional_title_is_a_professional_not_the_family_member(text, expected):
    out = _redactor().text(text)
    assert out == expected
    assert "Father" not in out and "Mother" not in out  # never the family role


@pytest.mark.parametrize("text, expected", [
    ("Ryan Keane attended; Mr Keane said he was at work.", "Father attended; Father said he was at work."),
    ("Ryan said he would attend.", "Father said he would attend."),
    ("Master Kai seen with Ms Fowler.", "Child seen with Mother's partner."),
])
def test_the_family_member_is_still_replaced_by_their_pseudonym(text, expected):
    assert _redactor().text(text) == expected


def test_a_listed_professional_keeps_their_pseudonym_after_their_title():
    redactor = _redactor(**{"Priya Ahmed": "GP 1"})
    assert redactor.text("Dr Priya Ahmed saw Kai; Dr Ahmed referred.") == "GP 1 saw Child; GP 1 referred."
    assert redactor.text("Dr Ryan saw Kai.") == "Dr [name] saw Child."


# -- 2. a name after the role words that the pseudonym would repeat --------------------------------------------
@pytest.mark.parametrize("text, expected", [
    ("Mother's partner Dean present at the visit.", "Mother's partner present at the visit."),
    ("Partner Dean has moved back in and smelt of alcohol.", "Partner has moved back in and smelt of alcohol."),
    ("Mother said she and her partner Dean Fowler had an argument.", "Mother said she and her partner had an argument."),
    ("Maternal grandmother Maureen Ashdown visiting daily.", "Maternal grandmother visiting daily."),
    ("Mum Chloe rang; partner Dean's car outside.", "Mum rang; partner's car outside."),
    ("Officers spoke to the father Ryan Keane.", "Officers spoke to the father."),
    ("PARTNER DEAN FOWLER ARRESTED", "PARTNER ARRESTED"),
])
def test_a_name_after_its_own_role_words_is_not_replaced_by_the_role_again(text, expected):
    assert _redactor().text(text) == expected


@pytest.mark.parametrize("text, expected", [
    ("Told mother Dean was drunk.", "Told mother Mother's partner was drunk."),  # another person's role word
    ("Her partner. Dean said", "Her partner. Mother's partner said"),  # a sentence between
    ("Chloe's partner Dean Fowler", "Mother's partner"),
])
def test_only_the_same_persons_role_words_just_before_the_name_drop_it(text, expected):
    assert _redactor().text(text) == expected
