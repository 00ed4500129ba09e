"""s19 (QA6 11): redaction of a case of intrafamilial sexual abuse. The agency "Westmere School Nursing" became
"[school 2] Nursing" (read as a school named "Westmere School"); a probation officer "PO Dunn" stayed as written
("PO", "OM", "PSO" and "probation officer", "YOT worker", "offender manager" were no professionals' titles);
"Gary Holt (RSO)" became "Mother's partner ([name])" (an abbreviation in brackets read as a name); "Gary Holt is
mother's partner" became "Mother's partner is mother's partner".
"""
from __future__ import annotations

import datetime as dt
from pathlib import Path

import pandas as pd
import pytest

from review.config import CaseConfig
from review.redact import Redactor, school_labels, school_text


def _redactor() -> Redactor:
    case = CaseConfig(case_dir=Path("."), case_id="c1", date_of_birth=dt.date(2009, 4, 10), child_name="Leah Corrigan",
                      people={"Kerry Corrigan": "Mother", "Gary Holt": "Mother's partner"})
    return Redactor.from_case(case)


@pytest.mark.parametrize("text", ["Westmere School Nursing", "WESTMERE SCHOOL NURSING", "Eastborough School Health",
                                  "Oakshire School Admissions", "Westmere School Health Service"])
def test_a_service_named_after_schools_is_an_agency_not_a_school(text):
    assert school_text(text) == text  # before: "[school] Nursing"
    assert school_labels([text]) == {}


def test_a_school_beside_the_school_nursing_service_keeps_its_own_label():
    texts = ["Westmere School Nursing drop-in", "Hillcrest Academy DSL", "Northfield Academy DSL"]
    labels = school_labels(texts)
    assert sorted(labels.values()) == ["[school 1]", "[school 2]"]  # before: three schools, Westmere's "[school 2]"
    assert school_text("Hillside School Nurse visited") == "[school] Nurse visited"  # the school's own nurse


def test_the_school_nursing_agency_stays_as_other_agencies_in_the_redacted_table():
    redactor = _redactor()
    timeline = pd.DataFrame({"agency": ["Westmere School Nursing", "Hillcrest Academy", "Westmere CAMHS"],
                             "description": ["Leah attended drop-in.", "Leah started at Hillcrest Academy.", "x"]})
    redactor.learn_schools(timeline)
    assert [redactor.text(a) for a in timeline["agency"]] == ["Westmere School Nursing", "[school]", "Westmere CAMHS"]
    assert redactor.text("Leah attended Westmere School Nursing drop-in") == "Child A attended Westmere School Nursing drop-in"


@pytest.mark.parametrize("text, expected", [
    ("Officer: PO Dunn", "Officer: PO [name]"),  # before: "Officer: PO Dunn"
    ("OM Reid visited", "OM [name] visited"),
    ("PSO Jones", "PSO [name]"),
    ("Seen by Probation Officer Dunn", "Seen by Probation Officer [name]"),
    ("probation officer Dunn", "probation officer [name]"),
    ("offender manager Reid", "offender manager [name]"),
    ("YOT worker Smith", "YOT worker [name]"),
    ("YJS case worker Jane Smith", "YJS case worker [name]"),
    ("DS Brown and DC Green", "DS [name] and DC [name]"),
    ("PO Box 12", "PO Box 12"),  # a post office box, no officer
    ("Paracetamol 500mg PO QDS", "Paracetamol 500mg PO QDS"),  # by mouth
    ("Gary's PO", "Mother's partner's PO"),
])
def test_probation_and_youth_justice_workers_are_professionals(text, expected):
    assert _redactor().text(text) == expected


@pytest.mark.parametrize("text, expected", [
    ("Gary Holt (RSO) in household.", "Mother's partner (RSO) in household."),  # before: "([name])"
    ("Household includes Gary Holt (RSO).", "Household includes Mother's partner (RSO)."),
    ("Mother's partner (SHPO) in place", "Mother's partner (SHPO) in place"),
    ("partner (XYZ) said", "partner ([initials]) said"),  # unknown capitals: initials, still hidden
    ("the lodger (SAM) answered", "the lodger ([initials]) answered"),
    ("partner (KYLE) said", "partner ([name]) said"),  # a name in capitals as before
    ("the lodger (Sam) answered", "the lodger ([name]) answered"),
    ("THE LODGER (SAM) ANSWERED", "THE LODGER ([name]) ANSWERED"),
])
def test_an_abbreviation_in_brackets_beside_a_role_is_no_name(text, expected):
    assert _redactor().text(text) == expected


@pytest.mark.parametrize("text, expected", [
    ("Gary Holt is mother's partner.", "[name] is mother's partner."),  # before: "Mother's partner is mother's partner."
    ("Gary is her partner", "[name] is her partner"),
    ("Mum's partner is Gary Holt.", "Mum's partner is [name]."),
    ("Kerry is Leah's mother", "[name] is Child A's mother"),
    ("Kerry Corrigan is the mother.", "[name] is the mother."),
    # another role, or the role of someone else: the pseudonym as before
    ("Gary Holt is a registered sex offender", "Mother's partner is a registered sex offender"),
    ("Gary was partner of Kerry", "Mother's partner was partner of Mother"),
    ("Gary Holt is mother's partner's friend", "Mother's partner is mother's partner's friend"),
    ("her friend is Gary", "her friend is Mother's partner"),
    ("Gary Holt, mother's partner, was present", "Mother's partner was present"),
])
def test_a_name_said_to_be_its_own_role_is_hidden_without_repeating_the_role(text, expected):
    assert _redactor().text(text) == expected
