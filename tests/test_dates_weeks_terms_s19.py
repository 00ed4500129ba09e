"""s19 (QA6 12): dates of a week's column and school terms.
1. A date under a "Week commencing" header was read approximate (the date +- 31 days) even when it could begin no
   week: the school nurse's "12/01/2021" (a Tuesday) is the day of the drop-in, recorded under the week's header,
   and an approximate row is never a rule's trigger. A date on a week's first day (Monday or Sunday; for "Week
   ending", a Friday, Saturday or Sunday) stays approximate; any other is read to the day.
2. A school's "Spring 2021" was read as the meteorological spring (1 March to May): in a school's own chronology a
   season is its term (the spring term from January), and a term of an academic year ("Spring 2020/21", "Autumn
   term 2020-2021") is in that year's first (autumn) or second (spring, summer) calendar year.
"""
from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from review.config import CaseConfig, FileSpec, load_vocab
from review.ingest.dates import DateParseError, parse_date, school_term
from review.ingest.headers import load_profile
from review.ingest.load import contacts_from_table
from review.ingest.tables import RawTable

CASE = CaseConfig(case_dir=Path("."), case_id="T-S19", child_name="Leah Corrigan", date_of_birth=dt.date(2009, 4, 10))


def _read(rows, agency):
    table = RawTable(file="f.xlsx", sheet="S", rows=[list(r) for r in rows], row_numbers=list(range(1, len(rows) + 1)))
    return contacts_from_table(table, FileSpec(path="f.xlsx", agency=agency), load_profile(None), CASE, load_vocab())


# --- 1. a week's column ------------------------------------------------------------------------------------------
def test_a_day_that_begins_no_week_is_the_contacts_day():
    contacts, _ = _read([["Week commencing", "Nurse", "Notes"],
                         ["07/09/2020", "SN", "Health questionnaire."],      # a Monday: the week
                         ["12/01/2021", "SN", "Attended drop-in, tearful."],  # a Tuesday: the day (was approximate)
                         ["26/01/2021", "SN", "Did not attend drop-in."],     # a Tuesday
                         ["17/01/2021", "SN", "Letter."]],                    # a Sunday: a week's first day too
                        agency="Westmere School Nursing")
    assert contacts["date"].dt.date.tolist() == [dt.date(2020, 9, 7), dt.date(2021, 1, 12), dt.date(2021, 1, 26),
                                                 dt.date(2021, 1, 17)]
    assert contacts["date_precision"].tolist() == ["approximate", "day", "day", "approximate"]


def test_a_week_ending_ends_on_a_friday_to_a_sunday():
    contacts, _ = _read([["Week ending", "Sessions booked", "Attended"],
                         ["06/03/2020", 3, "No"],   # a Friday: the week
                         ["08/03/2020", 3, "No"],   # a Sunday
                         ["10/03/2020", 3, "No"]],  # a Tuesday: the day
                        agency="Little Stars Day Nursery")
    assert contacts["date_precision"].tolist() == ["approximate", "approximate", "day"]


def test_a_w_c_written_in_the_cell_stays_approximate_whatever_the_day():
    contacts, _ = _read([["Date", "Notes"], ["w/c 12/01/2021", "Drop-in."]], agency="Westmere School Nursing")
    assert contacts["date_precision"].tolist() == ["approximate"]


# --- 2. school terms ---------------------------------------------------------------------------------------------
@pytest.mark.parametrize("text, start", [
    ("Spring 2020/2021", dt.date(2021, 1, 1)),  # before: unreadable ('Spring 2020/2021')
    ("Spring 2020/21", dt.date(2021, 1, 1)),
    ("Summer 2020/21", dt.date(2021, 5, 1)),
    ("Autumn 2020/21", dt.date(2020, 9, 1)),
    ("Autumn term 2020-2021", dt.date(2020, 9, 1)),
    ("Spring 2020/21 term", dt.date(2021, 1, 1)),
    ("Winter 2020/21", dt.date(2020, 12, 1)),  # a winter, as before
    ("Spring 2021", dt.date(2021, 3, 1)),  # a season, outside a school's chronology
])
def test_a_term_of_an_academic_year(text, start):
    parsed = parse_date(text)
    assert (parsed.date.date(), parsed.precision) == (start, "season")


def test_an_academic_year_runs_into_the_next_year_only():
    with pytest.raises(DateParseError, match="school year"):
        parse_date("Spring 2020/22")


def test_school_term_of_a_season():
    assert [school_term(parse_date(t).date).date() for t in ("Spring 2021", "Summer 2021", "Autumn 2021",
                                                             "Winter 2021", "Spring term 2021")] == [
        dt.date(2021, 1, 1), dt.date(2021, 5, 1), dt.date(2021, 9, 1), dt.date(2020, 12, 1), dt.date(2021, 1, 1)]


def test_a_season_in_a_schools_chronology_is_its_term():
    rows = [["Date raised", "Staff", "Nature of concern"],
            ["21/09/2020", "DSL", "Joined Year 7. CP file not received."],
            ["Spring 2021", "Attendance officer", "Attendance 81%, frequently late."],
            ["08/02/2021", "Form tutor", "A friend reported a disclosure."]]
    contacts, report = _read(rows, agency="Hillcrest Academy")
    assert contacts["date"].dt.date.tolist()[1] == dt.date(2021, 1, 1)  # before: 1 March 2021
    assert contacts["date_precision"].tolist()[1] == "season"
    # 8 February lies in the spring term: no longer "out of order" after it (it was before 1 March)
    assert not [w for w in report.warnings if "out of order" in str(w)]
    # another agency's "Spring 2021" is the season, as before
    other, other_report = _read(rows, agency="Westmere Children's Social Care")
    assert other["date"].dt.date.tolist()[1] == dt.date(2021, 3, 1)
    assert [w for w in other_report.warnings if "out of order" in str(w)]
