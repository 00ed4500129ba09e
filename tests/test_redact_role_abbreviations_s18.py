"""s18 (QA4 16): a team manager's name leaked in the anonymised view. The social care chronology's worker column
held "TM S Rowe" (team manager) beside "SW K Amin": "SW K Amin" became "SW [name]", "TM S Rowe" stayed as written,
because "TM" was read only beside initials ("TM SR"), not as a title before a name. Now the common role
abbreviations that are no time or everyday word (TM, ATM, SSW, PSW, ASW, CSW, CMW, ANP, HCA, SHO, AMHP, IDVA, ISVA,
LADO) are professionals' titles; "PM" (a time) is not one.
"""
from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from review.config import CaseConfig
from review.redact import Redactor


def _redactor() -> Redactor:
    case = CaseConfig(case_dir=Path("."), case_id="c1", date_of_birth=dt.date(2013, 5, 22), child_name="Jordan Pryce",
                      people={"Kerry Pryce": "Mother"})
    return Redactor.from_case(case)


@pytest.mark.parametrize("text, expected", [
    ("TM S Rowe", "TM [name]"),  # before: "TM S Rowe"
    ("SW K Amin", "SW [name]"),  # as before
    ("Strategy discussion chaired by TM Sarah Rowe.", "Strategy discussion chaired by TM [name]."),
    ("TM: Jane Smith", "TM: [name]"),
    ("TM S. Rowe's decision", "TM [name]'s decision"),
    ("ATM Jones", "ATM [name]"),
    ("SSW J Brown", "SSW [name]"),
    ("PSW Smith", "PSW [name]"),
    ("CMW Patel visited", "CMW [name] visited"),
    ("ANP Khan", "ANP [name]"),
    ("HCA Jones", "HCA [name]"),
    ("SHO Smith", "SHO [name]"),
    ("AMHP Jones", "AMHP [name]"),
    ("IDVA Sarah Smith", "IDVA [name]"),
    ("LADO Jones", "LADO [name]"),
])
def test_a_name_after_a_role_abbreviation_is_hidden(text, expected):
    redactor = _redactor()
    assert redactor.text(text) == expected
    assert redactor._role(text) == expected  # the worker column, as the QA case had it


@pytest.mark.parametrize("text", [
    "TM Team", "TM review", "TM ASSESSMENT", "CSW Report", "HCA Monday",  # no name after the role
    "12:00 PM Smith",  # "PM" is a time, not a practice manager: not a title
])
def test_no_name_after_the_abbreviation_is_left(text):
    assert _redactor().text(text) == text


def test_initials_after_a_team_manager_are_still_initials():
    assert _redactor().text("Seen by TM SR") == "Seen by TM [initials]"
