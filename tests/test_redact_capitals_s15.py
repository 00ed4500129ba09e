"""Redaction (s15): a common given name the case does not list, alone in a line in capitals ("KERRY PRESENT",
"KERRY ATTENDED WITH CHILD"), was left in; it is "[name]" now, with the names after it, while the ordinary
capitals words of a chronology (HOME VISIT, CHILD SEEN, NFA, MASH, GP, A&E, DASH, MARAC, PRESENT) stay."""
from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from review.config import CaseConfig
from review.redact import GIVEN_NAMES, Redactor


@pytest.fixture(scope="module")
def redactor():
    config = CaseConfig(case_dir=Path("."), case_id="C1", date_of_birth=dt.date(2023, 2, 14), child_name="Kai Ashdown",
                        people={"Chloe Ashdown": "Mother", "Dean Fowler": "Mother's partner"})
    return Redactor.from_case(config)


@pytest.mark.parametrize("text, expected", [
    ("KERRY PRESENT", "[name] PRESENT"),
    ("KERRY ATTENDED WITH CHILD", "[name] ATTENDED WITH CHILD"),
    ("KERRY JONES PRESENT", "[name] PRESENT"),  # the surname goes with it
    ("KERRY ANNE SMITH ATTENDED", "[name] ATTENDED"),
    ("KERRY'S HOUSE", "[name]'S HOUSE"),
    ("HOME VISIT.\nKERRY PRESENT\nCHILD SEEN", "HOME VISIT.\n[name] PRESENT\nCHILD SEEN"),
    ("Visit by HV.\nKELLY AND ALFIE PRESENT", "Visit by HV.\n[name] AND [name] PRESENT"),  # (no English ending: KELLY)
    ("CHILD SEEN WITH LUCY", "CHILD SEEN WITH [name]"),
    ("KERRY HOME VISIT", "[name] HOME VISIT"),
    # a listed person stays their pseudonym, the child the child's
    ("DEAN PRESENT", "MOTHER'S PARTNER PRESENT"),
    ("KAI SEEN, CHLOE AND KERRY PRESENT", "CHILD A SEEN, MOTHER AND [name] PRESENT"),
])
def test_an_unlisted_given_name_in_a_capitals_line_is_hidden(redactor, text, expected):
    assert redactor.text(text) == expected


@pytest.mark.parametrize("text", [
    "HOME VISIT. CHILD SEEN. NFA",
    "MASH REFERRAL. GP INFORMED. A&E ATTENDANCE",
    "DASH COMPLETED - HIGH RISK. REFERRED TO MARAC",
    "STRATEGY DISCUSSION. PRESENT: SW, HV, POLICE",
    "MOTHER PRESENT. WILL REVIEW IN JUNE. MAY VISIT AGAIN",
    "AMBER RAG RATING. HOPE TO SEE CHILD NEXT WEEK",
    "CP MEDICAL. CHILD EXAMINED. BRUISING NOTED",
    "WELFARE CHECK - NO ANSWER",
])
def test_the_ordinary_words_of_a_capitals_line_stay(redactor, text):
    assert redactor.text(text) == text


def test_only_in_a_line_in_capitals(redactor):
    # in ordinary text a capitalised word may start a sentence: the capitals rule does not read it
    assert redactor.text("Kerry present") == "Kerry present"
    assert redactor.text("Home visit. Mother and Kerry present") == "Home visit. Mother and [name] present"  # (s14)


def test_the_names_list_leaves_out_everyday_words():
    assert {"kerry", "kelly", "alfie", "lucy", "john"} <= GIVEN_NAMES
    assert not {"may", "june", "will", "hope", "amber", "grace", "mark", "present", "mash", "dash", "home"} & GIVEN_NAMES


def test_the_same_text_gives_the_same_output(redactor):
    text = "SEEN BY HV.\nKERRY PRESENT, LUCY ATTENDED"
    assert redactor.text(text) == redactor.text(text) == "SEEN BY HV.\n[name] PRESENT, [name] ATTENDED"
