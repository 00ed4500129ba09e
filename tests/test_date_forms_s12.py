"""s12: seasons with a two-digit year ("Summer 07", "Autumn '07": unreadable before, now the year by the pivot
rule, precision year as "Summer 2007"), Christmas ("Xmas 2007": unreadable before, now late December,
approximate, shown "c. Dec 2007"; Christmas Day / Eve and Boxing Day: days), "end of" / "beginning of" a
month (approximate month); "6/07" and a winter stay errors, named with file, sheet, row and column."""
from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest
import yaml

from review.cli import main
from review.ingest.dates import DateParseError, approximate_unit, parse_date


def read(text, **kw):
    p = parse_date(text, **kw)
    return p.date, p.precision


@pytest.mark.parametrize("text", ["Summer 07", "summer 07", "Summer '07", "Summer \u201907", "Summer of 07", "c. Summer 07",
                                  "Autumn '07", "Autumn 07", "Spring 07", "Spring '07", "early summer 07"])
def test_a_season_with_a_two_digit_year_is_that_year_as_with_four_digits(text):
    # before: DateParseError "unreadable date 'Summer 07'"
    month = {"summer": 6, "autumn": 9, "spring": 3}[[w for w in ("summer", "autumn", "spring") if w in text.lower()][0]]
    assert read(text) == (pd.Timestamp(f"2007-{month:02d}-01"), "season")  # s15: the season, not the year
    assert read(text) == read(text.replace("'", "").replace("\u2019", "").replace("07", "2007"))
    assert approximate_unit(text) == "season"


@pytest.mark.parametrize("text, year", [("Summer 69", 2069), ("Summer 70", 1970), ("Autumn '99", 1999), ("Spring 00", 2000)])
def test_a_seasons_two_digit_year_follows_the_pivot_rule(text, year):
    assert read(text)[0].year == year and read(text)[1] == "season"


def test_a_seasons_two_digit_year_follows_a_given_pivot():
    assert read("Summer 30", two_digit_pivot=30) == (pd.Timestamp("1930-06-01"), "season")
    assert read("Summer 29", two_digit_pivot=30) == (pd.Timestamp("2029-06-01"), "season")


@pytest.mark.parametrize("text", ["Xmas 2007", "Christmas 2007", "christmas 07", "XMAS '07", "Christmas of 2007",
                                  "c. Christmas 2007", "X-mas 2007"])
def test_christmas_is_late_december_approximately(text):
    # before: DateParseError "unreadable date 'Xmas 2007'"
    assert read(text) == (pd.Timestamp("2007-12-21"), "approximate")
    assert approximate_unit(text) == "month"  # shown "c. Dec 2007"


@pytest.mark.parametrize("text, day", [("Christmas Day 2007", 25), ("Xmas Day 07", 25), ("Christmas Eve 2007", 24),
                                       ("Boxing Day 2007", 26)])
def test_christmas_day_eve_and_boxing_day_are_days(text, day):
    assert read(text) == (pd.Timestamp(f"2007-12-{day}"), "day")
    assert read("c. " + text) == (pd.Timestamp(f"2007-12-{day}"), "approximate")


@pytest.mark.parametrize("text", ["Christmas", "Xmas 7", "late Christmas 2007", "Christmas 12/2007"])
def test_christmas_without_a_year_or_with_more_is_still_an_error(text):
    with pytest.raises(DateParseError):
        parse_date(text)


@pytest.mark.parametrize("text, start", [("end of March 2007", "2007-03-21"), ("beginning of June 2007", "2007-06-01"),
                                         ("end of Mar 07", "2007-03-21"), ("start of June 07", "2007-06-01"),
                                         ("beginning of 06/2007", "2007-06-01")])
def test_end_and_beginning_of_a_month_are_an_approximate_month(text, start):
    assert read(text) == (pd.Timestamp(start), "approximate")
    assert approximate_unit(text) == "month"


@pytest.mark.parametrize("text", ["Winter 2006/07", "Winter 06/07", "winter 2006-07", "Winter '07"])
def test_a_winter_is_read_as_december_into_the_next_year(text):
    # s15: read (before: an error), December 2006 to February 2007
    assert read(text) == (pd.Timestamp("2006-12-01"), "season")


def test_ambiguous_and_winter_cells_are_rejected_naming_file_sheet_row_and_column(tmp_path: Path, capsys):
    (tmp_path / "case.yml").write_text(yaml.safe_dump({"case_id": "C7", "date_of_birth": "2005-06-01"}), encoding="utf-8")
    (tmp_path / "hv.csv").write_text(
        "Date,Agency,Details\nSummer 07,HV,Visit\nXmas 2007,HV,Visit\n6/07,HV,Call\nWinter 06/07,HV,Call\n"
        "end of March 2007,HV,Visit\n", encoding="utf-8")
    assert main(["validate", str(tmp_path)]) == 1
    out = capsys.readouterr().out
    assert "5 row(s) read, 4 accepted, 1 rejected" in out  # s15: the winter is read
    assert "hv.csv" in out and "row 4, column 'Date': " in out and "write the month as 06/2007" in out
