"""Pseudonymisation: names, partial names, possessives, dates of birth; the named view changes nothing."""
from __future__ import annotations

import datetime as dt
from pathlib import Path

import pandas as pd
import pytest
from hypothesis import given
from hypothesis import strategies as st

from review.config import CaseConfig
from review.redact import Redactor

CASE = CaseConfig(
    case_dir=Path("."),
    case_id="c1",
    date_of_birth=dt.date(2016, 5, 22),
    child_name="Alfie Brook",
    people={"Kerry Brook": "Mother", "Dean Brook": "Father", "Will Stone": "Partner", "Priya Ahmed": "GP 1"},
)


@pytest.fixture(scope="module")
def redactor() -> Redactor:
    # names and the date of birth, with other dates kept to the day: the anonymised view's own dates
    # (to the month) are tested in test_redact_dates_s8.py
    return Redactor.from_case(CASE, date_resolution="day")


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Kerry Brook attended with Alfie Brook.", "Mother attended with Child A."),
        ("KERRY BROOK did not answer", "Mother did not answer"),
        ("kerry brook phoned", "Mother phoned"),
        ("Kerry's partner Will was present", "Mother's partner was present"),  # s11: the role words already say who
        ("Spoke to Kerry\nabout Alfie", "Spoke to Mother\nabout Child A"),
        ("Brook, Kerry (mother)", "Mother"),
        ("Letter to K. Brook", "Letter to Mother"),
        ("Ms Ahmed saw Alfie", "GP 1 saw Child A"),
        ("Dr Priya Ahmed: no concerns", "GP 1: no concerns"),
        ("Dean  Brook (father) arrested", "Father arrested"),
        ("Mr Stone and Mrs Brook were seen", "Partner and Mrs [name] were seen"),
        ("Brook family", "[name] family"),
    ],
)
def test_full_partial_and_possessive_names_are_replaced(redactor, text, expected):
    assert redactor.text(text) == expected


@pytest.mark.parametrize(
    "text",
    [
        "Family moved to Brookfield Road",  # a name inside a longer word
        "Stoneham clinic",
        "Mother will attend the conference",  # 'Will' is a name but 'will' is a word
        "walked by the brook",
        "Kerryanne's nursery",
        "Seen on 3 May 2016",
    ],
)
def test_words_that_merely_contain_or_resemble_a_name_are_left_alone(redactor, text):
    assert redactor.text(text) == text


def test_a_surname_shared_by_several_people_becomes_a_neutral_placeholder(redactor):
    # Brook is the mother's, the father's and the child's surname: naming one would be a guess
    assert redactor.text("Seen by Brook") == "Seen by [name]"


def test_month_names_are_not_replaced_even_when_a_person_is_called_may():
    may = Redactor(people={"May Jones": "Grandmother"})
    assert may.text("Visit in May; May Jones present; Jones absent") == "Visit in May; Grandmother present; Grandmother absent"


@pytest.mark.parametrize(
    "written",
    ["22/05/2016", "22/5/16", "22.05.2016", "22-05-2016", "2016-05-22", "22 May 2016", "22nd May 2016",
     "22nd of May 2016", "22-May-16", "May 22, 2016", "22 may 16", "22.05/16"],
)
def test_the_childs_date_of_birth_is_redacted_in_any_common_format(redactor, written):
    assert redactor.text(f"Born {written} at hospital") == "Born [date of birth] at hospital"
    assert redactor.text(f"child (d.o.b {written})") == "child (d.o.b [date of birth])"


def test_other_dates_are_kept_but_labelled_dates_of_birth_are_redacted(redactor):
    assert redactor.text("Seen 23/05/2016 and 22/05/2017") == "Seen 23/05/2016 and 22/05/2017"
    assert redactor.text("Mother (DOB: 03/04/1990) seen") == "Mother (DOB: [date of birth]) seen"
    assert redactor.text("Ref 122/05/2016") == "Ref [reference]"  # s11: a labelled reference is redacted (no date either)


def test_names_found_lists_what_is_left_and_is_empty_after_redaction(redactor):
    text = "Kerry's son Alfie (born 22/05/2016) seen with Dean Brook"
    assert redactor.names_found(text) == ["Kerry", "Alfie", "22/05/2016", "Dean Brook"]
    assert redactor.names_found(redactor.text(text)) == []


def test_frame_redacts_every_text_column_and_leaves_other_columns(redactor):
    frame = pd.DataFrame(
        {
            "date": pd.to_datetime(["2016-05-22", "2016-06-01"]),
            "description": pd.Series(["Alfie born 22/05/2016", "Kerry seen"], dtype="string"),
            "action": ["HV to visit Kerry", None],
            "count": [1, 2],
        }
    )
    out = redactor.frame(frame)
    assert out["description"].tolist() == ["Child A born [date of birth]", "Mother seen"]
    assert out["action"].iloc[0] == "HV to visit Mother" and pd.isna(out["action"].iloc[1])
    assert out["description"].dtype == frame["description"].dtype
    pd.testing.assert_series_equal(out["date"], frame["date"])
    assert frame["description"].iloc[1] == "Kerry seen"  # the input is not changed
    only = redactor.frame(frame, columns=["action"])
    assert only["description"].tolist() == frame["description"].tolist()


def test_the_named_view_changes_nothing():
    named = Redactor.from_case(CASE, active=False)
    assert named.view == "named"
    assert named.text("Kerry Brook, DOB 22/05/2016") == "Kerry Brook, DOB 22/05/2016"
    frame = pd.DataFrame({"description": ["Kerry seen"]})
    pd.testing.assert_frame_equal(named.frame(frame), frame)


def test_describe_names_no_one(redactor):
    described = redactor.describe()
    assert described["view"] == "anonymised"
    assert described["pseudonyms"] == ["Child A", "Father", "GP 1", "Mother", "Partner"]
    assert "Kerry" not in repr(described) and "Kerry" not in repr(redactor)


def test_the_child_pseudonym_can_be_set_in_case_yml():
    case = CaseConfig(case_dir=Path("."), case_id="c", date_of_birth=dt.date(2016, 1, 1), child_name="Alfie",
                      raw={"child_pseudonym": "Child B"})
    assert Redactor.from_case(case).text("Alfie seen") == "Child B seen"


@given(st.text(alphabet=st.sampled_from(list("Kerry Brook Alfie Dean 's,.\n22/05/2016abc")), max_size=80))
def test_redaction_is_deterministic_idempotent_and_leaves_no_names(text):
    redactor = Redactor.from_case(CASE)
    once = redactor.text(text)
    assert once == Redactor.from_case(CASE).text(text)
    assert redactor.text(once) == once
    assert redactor.names_found(once) == []


def test_names_with_apostrophes_hyphens_and_accents():
    redactor = Redactor(people={"Sean O'Brien": "Uncle", "Amy Smith-Jones": "Aunt", "Zoë Brook": "Sister"})
    assert redactor.text("O'Brien's van; Sean present") == "Uncle's van; Uncle present"
    assert redactor.text("Mrs Smith-Jones; O\u2019Brien") == "Aunt; Uncle"
    assert redactor.text("ZOË seen; Zoe too") == "Sister seen; Sister too"
    # one part of a double-barrelled surname alone is not taken for the person
    assert redactor.text("Smith and Jones") == "Smith and Jones"
