"""Dates agencies write in real chronologies that ingest used to reject (QA of review.ingest.dates):
a month with a two-digit year ("March 07"), weeks ("wc 3/4/07"), numeric months with two-digit years
("6/15"; "6/07" stays an error naming both readings), seasons and qualified years (precision year),
"between X and Y" ranges, and an approximate month shown "c. Jun 2007" in report.html and the Word export."""
from __future__ import annotations

import datetime as dt

import pandas as pd
import pytest

from review.export import _event_date, flag_date_texts
from review.export_docx import _fmt_event_date
from review.ingest.dates import DateParseError, approximate_unit, parse_date
from review.rules.base import _period_bounds


def read(text, **kw):
    p = parse_date(text, **kw)
    return p.date, p.precision, p.end


def D(s):
    return pd.Timestamp(s)


# ---------------------------------------------------------------------------------------------------
# A month name with a two-digit year
# ---------------------------------------------------------------------------------------------------
@pytest.mark.parametrize("text", ["March 07", "Mar 07", "mar 07", "Mar-07", "Mar '07", "MARCH  07"])
def test_a_month_name_with_a_two_digit_year_is_that_month(text):
    assert read(text) == (D("2007-03-01"), "month", None)


@pytest.mark.parametrize("text, year", [("Mar 69", 2069), ("Mar 70", 1970), ("March 99", 1999), ("June 00", 2000)])
def test_a_month_names_two_digit_year_follows_the_century_rule(text, year):
    assert parse_date(text).date.year == year


def test_a_month_names_two_digit_year_follows_the_given_pivot():
    assert parse_date("Mar 60", two_digit_pivot=50).date == D("1960-03-01")
    assert parse_date("Mar 40", two_digit_pivot=50).date == D("2040-03-01")


@pytest.mark.parametrize("text", ["Apr 5", "March 7"])
def test_a_single_digit_after_a_month_name_is_still_an_error(text):
    with pytest.raises(DateParseError):
        parse_date(text)


def test_month_day_year_and_day_month_readings_are_unchanged():
    assert read("March 07 2007") == (D("2007-03-07"), "day", None)
    assert read("7 March 07") == (D("2007-03-07"), "day", None)
    assert read("07 Mar 07") == (D("2007-03-07"), "day", None)


def test_a_month_with_a_two_digit_year_and_a_time_is_refused_for_having_no_day():
    with pytest.raises(DateParseError, match="has a time but no day"):
        parse_date("March 07 14:30")


# ---------------------------------------------------------------------------------------------------
# Weeks
# ---------------------------------------------------------------------------------------------------
@pytest.mark.parametrize("text", ["w/c 3/4/07", "wc 3/4/07", "WC 3/4/07", "w/c 03/04/2007", "week commencing 3 April 2007",
                                  "w/b 3/4/07", "Week beginning 03/04/2007"])
def test_a_week_commencing_is_its_first_day_approximately_not_a_range(text):
    p = parse_date(text)
    assert (p.date, p.precision, p.end, p.time_known) == (D("2007-04-03"), "approximate", None, False)
    assert p.text == text


@pytest.mark.parametrize("text", ["w/e 9/4/07", "week ending 9 April 2007"])
def test_a_week_ending_is_its_last_day_approximately(text):
    assert read(text) == (D("2007-04-09"), "approximate", None)


def test_the_rules_read_a_week_commencing_as_a_period_holding_the_whole_week():
    p = parse_date("wc 3/4/07")
    start, end = _period_bounds(pd.Series([p.date]), pd.Series([p.precision]), 31)
    assert start[0] <= D("2007-04-03") and end[0] >= D("2007-04-09")


def test_wc_is_a_prefix_only_before_a_date():
    with pytest.raises(DateParseError):
        parse_date("wc")
    with pytest.raises(DateParseError):
        parse_date("wcx 3/4/07")


# ---------------------------------------------------------------------------------------------------
# Numeric month / year
# ---------------------------------------------------------------------------------------------------
@pytest.mark.parametrize("text, start", [("06/2007", "2007-06-01"), ("6/2007", "2007-06-01"), ("6/15", "2015-06-01"),
                                         ("06/15", "2015-06-01"), ("11/98", "1998-11-01"), ("6/00", "2000-06-01"),
                                         ("12/69", "2069-12-01"), ("12/70", "1970-12-01")])
def test_a_numeric_month_and_year_is_that_month(text, start):
    assert read(text) == (D(start), "month", None)


@pytest.mark.parametrize("text, write", [("6/07", "06/2007"), ("06/07", "06/2007"), ("05/04", "05/2004"), ("1/12", "01/2012")])
def test_a_numeric_month_and_two_digit_year_that_could_be_a_day_and_month_is_an_error_saying_how_to_write_it(text, write):
    with pytest.raises(DateParseError) as err:
        parse_date(text)
    assert "day and month" in err.value.reason and write in err.value.reason


def test_a_numeric_month_13_is_not_a_month():
    with pytest.raises(DateParseError, match="not a real date"):
        parse_date("13/15")


def test_day_month_starts_of_ranges_still_read_as_days():
    assert read("03/04-05/04/2007") == (D("2007-04-03"), "day", D("2007-04-05"))
    assert read("03/04 - 05/04/07") == (D("2007-04-03"), "day", D("2007-04-05"))
    assert read("3/4/07") == (D("2007-04-03"), "day", None)


def test_a_numeric_month_with_a_time_is_refused_for_having_no_day():
    with pytest.raises(DateParseError, match="no day"):
        parse_date("6/15 14:30")


# ---------------------------------------------------------------------------------------------------
# Seasons and qualified years: the year; qualified months: approximate
# ---------------------------------------------------------------------------------------------------
@pytest.mark.parametrize("text", ["early 2007", "mid-2007", "mid 2007", "late 2007", "end of 2007", "c. 2007"])
def test_a_qualified_year_has_the_year_as_its_period(text):
    # (s15: a season is its three months, precision "season": tests/test_season_dates_s15.py)
    p = parse_date(text)
    assert (p.date, p.precision, p.end, p.text) == (D("2007-01-01"), "year", None, text)


def test_the_rules_read_late_2007_as_a_period_holding_october_to_december():
    p = parse_date("late 2007")
    start, end = _period_bounds(pd.Series([p.date]), pd.Series([p.precision]), 31)
    assert start[0] == D("2007-01-01") and end[0] == D("2007-12-31")


@pytest.mark.parametrize("text", ["Winter 2007/08", "Winter 2008", "winter of 2008"])
def test_a_winter_is_december_into_the_next_year(text):
    # s15: read (before: an error); "Winter 2008" with a warning that it could be 2008/09 (`season_note`)
    p = parse_date(text)
    assert (p.date, p.precision) == (D("2007-12-01"), "season")


@pytest.mark.parametrize("text", ["Summer", "summer 12/06/2007", "Summer June 2007"])
def test_a_season_needs_a_year_and_nothing_finer(text):
    with pytest.raises(DateParseError):
        parse_date(text)


@pytest.mark.parametrize("text, start", [("late March 2007", "2007-03-21"), ("early March 2007", "2007-03-01"),
                                         ("mid-March 2007", "2007-03-15"), ("c. June 2007", "2007-06-01")])
def test_a_qualified_or_uncertain_month_stays_approximate(text, start):
    assert read(text) == (D(start), "approximate", None)


# ---------------------------------------------------------------------------------------------------
# between ... and ...
# ---------------------------------------------------------------------------------------------------
@pytest.mark.parametrize("text", ["between 3/4/07 and 5/4/07", "Between 03/04/2007 and 05/04/2007",
                                  "between 3/4/07 & 5/4/07", "between 3 and 5 April 2007", "from 3/4/07 to 5/4/07",
                                  "from 3 April to 5 April 2007", "03/04/2007 - 05/04/2007"])
def test_between_and_from_ranges_read_as_the_dash_range(text):
    assert read(text) == (D("2007-04-03"), "day", D("2007-04-05"))


def test_and_is_a_range_separator_only_after_between():
    with pytest.raises(DateParseError):
        parse_date("3/4/07 and 5/4/07")
    with pytest.raises(DateParseError):
        parse_date("from 3/4/07 and 5/4/07")


def test_a_between_range_that_ends_before_it_starts_or_of_months_is_an_error():
    with pytest.raises(DateParseError, match="ends before it starts"):
        parse_date("between 5/4/07 and 3/4/07")
    with pytest.raises(DateParseError, match="range"):
        parse_date("between March and April 2007")


# ---------------------------------------------------------------------------------------------------
# Display of an approximate month
# ---------------------------------------------------------------------------------------------------
@pytest.mark.parametrize("text, unit", [("c. June 2007", "month"), ("early June 2007", "month"), ("circa Jun-07", "month"),
                                        ("c. 01/06/2007", "day"), ("w/c 1/6/07", "day"), ("2007", "year"),
                                        ("03/04/2007 - 05/04/2007", "day"), ("sometime", ""), ("", ""), (None, "")])
def test_approximate_unit_says_what_a_written_date_is_known_to(text, unit):
    assert approximate_unit(text) == unit


def test_report_html_shows_an_approximate_month_as_a_month():
    june = dt.datetime(2007, 6, 1)
    assert _event_date(june, "approximate", text="c. June 2007") == "c. Jun 2007"
    assert _event_date(june, "approximate", text="c. 01/06/2007") == "c. 01/06/2007"
    assert _event_date(june, "approximate") == "c. 01/06/2007"  # without the text: as before
    assert _event_date(june, "approximate", months=True, text="c. 01/06/2007") == "Jun 2007"
    assert _event_date(june, "month", text="June 2007") == "Jun 2007"


def test_the_word_export_shows_an_approximate_month_as_a_month():
    june = pd.Timestamp("2007-06-01")
    assert _fmt_event_date(june, "approximate", False, "c. June 2007") == "c. Jun 2007"
    assert _fmt_event_date(june, "approximate", False, "c. 1 June 2007") == "c. 01/06/2007"


def test_flag_date_texts_gives_the_trigger_contacts_date_as_written():
    timeline = pd.DataFrame({"event_id": ["a", "b"], "date_text": ["c. June 2007", "03/04/2007"]})
    table = pd.DataFrame({"trigger_event_id": ["b", "x", "a"]})
    assert flag_date_texts(table, timeline) == ["03/04/2007", None, "c. June 2007"]
    assert flag_date_texts(table, timeline.drop(columns="date_text")) == [None, None, None]
