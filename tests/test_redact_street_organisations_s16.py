"""s16: a listed address's street inside an organisation's name. With "7 Mill Lane" listed, "Mill Lane Medical
Practice" (an agency) was "[address] Medical Practice": the street is the organisation's name there, and left as
an agency's name is; a school named after it is its kind ("[primary school]"), as any school is. The street is
still the address with a house number, after "lives at" / "address:", before an organisation's word not
capitalised as a name's, and wherever the case lists the organisation itself among its addresses."""
from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from review.config import CaseConfig
from review.redact import Redactor


def _redactor(addresses=("7 Mill Lane",)) -> Redactor:
    case = CaseConfig(case_dir=Path("."), case_id="c1", date_of_birth=dt.date(2016, 5, 22), child_name="Alfie Brook",
                      people={"Kerry Brook": "Mother"}, addresses=list(addresses))
    return Redactor.from_case(case)


@pytest.mark.parametrize("text, expected", [
    # s16 left these as written; s17: named after the family's street, the organisation is its kind, as a school
    # is (tests/test_redact_s17.py)
    ("Seen at Mill Lane Medical Practice", "Seen at [medical practice]"),
    ("Mill Lane Surgery phoned Mum", "[surgery] phoned Mum"),
    ("MILL LANE SURGERY", "[surgery]"),
    ("Referred to Mill Lane Health Centre", "Referred to [health centre]"),
    ("registered with Mill Lane GP", "registered with [GP practice]"),
    # a school places the home: its kind, as any school's name (before: "attends [address] Primary")
    ("attends Mill Lane Primary", "attends [primary school]"),
    ("Mill Lane Nursery said Alfie was tired", "[nursery] said Child A was tired"),
    ("Mill Lane Children's Centre", "[children's centre]"),
])
def test_a_street_that_begins_an_organisations_name_is_the_organisation(text, expected):
    assert _redactor().text(text) == expected


@pytest.mark.parametrize("text, expected", [
    ("lives at 7 Mill Lane", "lives at [address]"),
    ("Mill Lane", "[address]"),
    ("moved to Mill Lane", "moved to [address]"),
    ("address: Mill Lane", "address: [address]"),
    ("at 7 Mill Lane Medical Practice", "at [address] Medical Practice"),  # a house number: an address
    ("lives at Mill Lane Surgery", "lives at [address] Surgery"),  # where the family lives, whatever follows
    ("Seen at Mill Lane surgery", "Seen at [address] surgery"),  # not capitalised as a name: the street
    ("Mill Lane, Surgery tomorrow", "[address], Surgery tomorrow"),
    ("Mill Lane Family home visited", "[address] Family home visited"),
    ("Mill Lane Primary Care team", "[address] Primary Care team"),  # no school: the street stays hidden
])
def test_the_street_is_still_the_address_where_it_is_one(text, expected):
    assert _redactor().text(text) == expected


def test_an_organisation_the_case_lists_among_its_addresses_is_hidden():
    redactor = _redactor(addresses=("7 Mill Lane", "Mill Lane Surgery"))
    assert redactor.text("Mill Lane Surgery phoned") == "[address] phoned"
    assert redactor.text("Seen at Mill Lane Medical Practice") == "Seen at [medical practice]"


def test_an_agency_named_after_the_street_is_its_kind_in_the_agency_column():
    # s17: as a school agency is ("Little Acorns Children's Centre" -> "[children's centre]"); s16 kept the name
    import pandas as pd

    frame = pd.DataFrame({"agency": ["Mill Lane Medical Practice", "Eastborough Police"],
                          "description": ["Seen at 7 Mill Lane", "Visit to Mill Lane"]})
    out = _redactor().frame(frame)
    assert out["agency"].tolist() == ["[medical practice]", "Eastborough Police"]
    assert out["description"].tolist() == ["Seen at [address]", "Visit to [address]"]
