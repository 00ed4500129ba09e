"""review.ingest.dates: UK day-first dates, partial and approximate dates, Excel serials, times."""
from __future__ import annotations

import datetime as dt

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from openpyxl.utils.datetime import from_excel, to_excel

from review.ingest.dates import DateParseError, ParsedDate, parse_date, parse_time

D = pd.Timestamp


def parsed(value, time_value=None, **kw) -> tuple[pd.Timestamp, str, bool]:
    result = parse_date(value, time_value, **kw)
    return result.date, result.precision, result.time_known


# ---------------------------------------------------------------------------------------------------
# Full dates
# ---------------------------------------------------------------------------------------------------
@pytest.mark.parametrize(
    "text",
    [
        "05/04/2007", "5/4/2007", "05-04-2007", "05-04-07", "5.4.2007", "05.04.07", "05 / 04 / 2007",
        "2007-04-05", "2007/04/05", "5th April 2007", "5 Apr 2007", "5-Apr-07",
        "05 april, 2007", "5th of April 2007", "April 5th 2007", "April 5, 2007", "Apr. 5 2007",
        "Tue 05/04/2007", "Thursday, 5th April 2007", "  05/04/2007  ",
    ],
)
def test_full_dates_in_every_supported_style_read_as_5_april_2007(text):
    assert parsed(text) == (D("2007-04-05"), "day", False)


@pytest.mark.parametrize("text", ["05/04.2007", "22.05/16", "5-4/2007"])
def test_mistyped_mixed_separators_are_read_as_approximate_keeping_the_text(text):
    result = parse_date(text)
    assert result.precision == "approximate"
    assert result.text == text
    assert result.date.day in (5, 22)


def test_numeric_dates_are_always_day_first():
    assert parse_date("05/04/2007").date == D("2007-04-05")
    assert parse_date("12/01/2016").date == D("2016-01-12")


def test_us_style_dates_are_errors_not_guesses():
    with pytest.raises(DateParseError, match="month 25"):
        parse_date("04/25/2007")


def test_mixed_separators_are_read():
    assert parse_date("22.05/16").date == D("2016-05-22")


def test_impossible_dates_are_errors_with_a_reason():
    with pytest.raises(DateParseError) as err:
        parse_date("31/02/2007")
    assert err.value.reason == "31/02/2007 is not a real date"
    with pytest.raises(DateParseError, match="not a real date"):
        parse_date("29/02/2007")
    assert parse_date("29/02/2008").date == D("2008-02-29")


@pytest.mark.parametrize("value", ["", "   ", None, float("nan"), pd.NaT, np.datetime64("NaT")])
def test_blank_cells_are_empty_date_errors(value):
    with pytest.raises(DateParseError) as err:
        parse_date(value)
    assert err.value.reason == "empty date"


@pytest.mark.parametrize(
    "text",
    ["sometime", "05/04", "not known", "05/04/20071", "2007-13", "13/2007", "Apr 5", "05/04/2007 later"],
)
def test_unreadable_text_is_an_error(text):
    with pytest.raises(DateParseError):
        parse_date(text)


def test_unreadable_date_reason_quotes_the_text():
    with pytest.raises(DateParseError) as err:
        parse_date("sometime")
    assert err.value.reason == "unreadable date 'sometime'"


def test_three_digit_years_are_errors():
    with pytest.raises(DateParseError, match="two or four digits"):
        parse_date("05/04/207")


def test_years_outside_1900_2100_are_typos():
    with pytest.raises(DateParseError, match="year 1007"):
        parse_date("05/04/1007")
    with pytest.raises(DateParseError, match="outside"):
        parse_date(dt.date(1850, 1, 1))


def test_original_text_is_kept_verbatim():
    assert parse_date("  Tue 05/04/2007 ").text == "  Tue 05/04/2007 "


# ---------------------------------------------------------------------------------------------------
# Two-digit years
# ---------------------------------------------------------------------------------------------------
@pytest.mark.parametrize(
    "text, year", [("05/04/00", 2000), ("05/04/07", 2007), ("05/04/69", 2069), ("05/04/70", 1970), ("05/04/99", 1999)]
)
def test_two_digit_years_use_the_default_pivot_70(text, year):
    assert parse_date(text).date.year == year


def test_two_digit_pivot_is_a_parameter():
    assert parse_date("05/04/35", two_digit_pivot=30).date.year == 1935
    assert parse_date("05/04/29", two_digit_pivot=30).date.year == 2029
    assert parse_date("Apr-85", two_digit_pivot=90).date.year == 2085


@given(yy=st.integers(0, 99), pivot=st.integers(0, 100))
def test_two_digit_year_rule_is_deterministic(yy, pivot):
    expected = 2000 + yy if yy < pivot else 1900 + yy
    assert parse_date(f"15/06/{yy:02d}", two_digit_pivot=pivot).date.year == expected


# ---------------------------------------------------------------------------------------------------
# Partial and approximate dates
# ---------------------------------------------------------------------------------------------------
@pytest.mark.parametrize(
    "text, start, precision",
    [
        ("Apr 2007", "2007-04-01", "month"),
        ("April 2007", "2007-04-01", "month"),
        ("Sept. 2007", "2007-09-01", "month"),
        ("Apr-07", "2007-04-01", "month"),
        ("Apr '07", "2007-04-01", "month"),
        ("04/2007", "2007-04-01", "month"),
        ("4.2007", "2007-04-01", "month"),
        ("2007-04", "2007-04-01", "month"),
        ("2007", "2007-01-01", "year"),
        ("early May 2007", "2007-05-01", "approximate"),
        ("mid May 2007", "2007-05-15", "approximate"),
        ("mid-May 2007", "2007-05-15", "approximate"),
        ("late May 2007", "2007-05-21", "approximate"),
        ("end of May 2007", "2007-05-21", "approximate"),
        ("early 2007", "2007-01-01", "year"),
        ("mid 2007", "2007-01-01", "year"),
        ("late 2007", "2007-01-01", "year"),
        ("c. 12/06/2007", "2007-06-12", "approximate"),
        ("c 12/06/2007", "2007-06-12", "approximate"),
        ("circa June 2007", "2007-06-01", "approximate"),
        ("approx. 2007", "2007-01-01", "year"),
        ("about 12 June 2007", "2007-06-12", "approximate"),
        ("?22 May 2016", "2016-05-22", "approximate"),
        ("22 May 2016?", "2016-05-22", "approximate"),
        ("22/05/2016 (approx)", "2016-05-22", "approximate"),
        ("w/c 21/05/2016", "2016-05-21", "approximate"),
        ("Week commencing 21 May 2016", "2016-05-21", "approximate"),
    ],
)
def test_partial_and_approximate_dates_give_the_start_of_the_period(text, start, precision):
    assert parsed(text) == (D(start), precision, False)


def test_early_mid_late_need_a_month_or_year():
    with pytest.raises(DateParseError, match="needs a month or a year"):
        parse_date("early 05/05/2007")


# ---------------------------------------------------------------------------------------------------
# Times
# ---------------------------------------------------------------------------------------------------
@pytest.mark.parametrize(
    "text, expected",
    [
        ("05/04/2007 14:30", "2007-04-05 14:30"),
        ("05/04/2007 2.30pm", "2007-04-05 14:30"),
        ("05/04/2007 2:30 p.m.", "2007-04-05 14:30"),
        ("05/04/2007 at 1430hrs", "2007-04-05 14:30"),
        ("05/04/2007, 09:05:30", "2007-04-05 09:05:30"),
        ("2007-04-05T10:30", "2007-04-05 10:30"),
        ("2007-04-05T10:30:15", "2007-04-05 10:30:15"),
        ("5 April 2007 noon", "2007-04-05 12:00"),
        ("05/04/2007 12.15am", "2007-04-05 00:15"),
    ],
)
def test_a_time_in_the_date_cell_is_read(text, expected):
    assert parsed(text) == (D(expected), "day", True)


def test_midnight_in_the_date_cell_means_no_time_was_given():
    assert parsed("2007-04-05 00:00:00") == (D("2007-04-05"), "day", False)


@pytest.mark.parametrize(
    "time_value, expected",
    [
        ("14:30", "14:30"), ("1430", "14:30"), ("2.30pm", "14:30"), ("14.30", "14:30"), ("930", "09:30"),
        (dt.time(9, 5), "09:05"), (dt.datetime(1900, 1, 1, 16, 45), "16:45"), (0.25, "06:00"),
        (1430, "14:30"), (dt.timedelta(hours=8, minutes=15), "08:15"), ("00:00", "00:00"),
    ],
)
def test_a_separate_time_column_sets_the_time(time_value, expected):
    result = parse_date("05/04/2007", time_value)
    assert result.date == D(f"2007-04-05 {expected}")
    assert result.time_known


@pytest.mark.parametrize("time_value", [None, "", "  ", float("nan")])
def test_a_blank_time_column_leaves_the_time_unknown(time_value):
    assert parsed("05/04/2007", time_value) == (D("2007-04-05"), "day", False)


@pytest.mark.parametrize("time_value", ["25:00", "13pm", "teatime", "14:75", 2400, 1.5])
def test_an_unreadable_time_is_an_error_naming_the_time(time_value):
    with pytest.raises(DateParseError, match="unreadable time"):
        parse_date("05/04/2007", time_value)


def test_an_unreadable_time_in_the_date_cell_names_the_time():
    with pytest.raises(DateParseError, match="unreadable time '25:00'"):
        parse_date("05/04/2007 25:00")


def test_a_time_for_a_partial_date_is_an_error():
    with pytest.raises(DateParseError, match="no day"):
        parse_date("Apr 2007", "14:30")
    with pytest.raises(DateParseError, match="no day"):
        parse_date("Apr 2007 14:30")


def test_two_different_times_are_an_error_and_the_same_time_is_fine():
    with pytest.raises(DateParseError, match="time column"):
        parse_date("05/04/2007 14:30", "15:00")
    assert parse_date("05/04/2007 14:30", "1430").date == D("2007-04-05 14:30")


def test_parse_time_reads_words_and_twelve_hour_clock():
    assert parse_time("noon") == dt.time(12, 0)
    assert parse_time("12pm") == dt.time(12, 0)
    assert parse_time("12am") == dt.time(0, 0)
    with pytest.raises(DateParseError):
        parse_time("0am")


# ---------------------------------------------------------------------------------------------------
# Objects and numbers
# ---------------------------------------------------------------------------------------------------
def test_datetime_objects_are_day_precision_with_time_known_when_not_midnight():
    assert parsed(dt.datetime(2007, 4, 5, 14, 30)) == (D("2007-04-05 14:30"), "day", True)
    assert parsed(dt.datetime(2007, 4, 5)) == (D("2007-04-05"), "day", False)
    assert parsed(dt.date(2007, 4, 5)) == (D("2007-04-05"), "day", False)
    assert parsed(pd.Timestamp("2007-04-05 09:00")) == (D("2007-04-05 09:00"), "day", True)
    assert parsed(np.datetime64("2007-04-05")) == (D("2007-04-05"), "day", False)


def test_timezone_aware_values_keep_their_wall_clock_time():
    assert parse_date(pd.Timestamp("2007-07-05 10:00", tz="Europe/London")).date == D("2007-07-05 10:00")


@pytest.mark.parametrize(
    "serial, expected",
    [(39173, "2007-04-01"), (2101, "1905-10-01"), (42736, "2017-01-01")],
)
def test_excel_serials_use_the_1900_system(serial, expected):
    assert parsed(serial) == (D(expected), "day", False)


def test_numbers_below_1900_are_not_serials():
    # (serials of 1900-1905, Excel's phantom 29 February 1900 among them: a typo, never a contact)
    with pytest.raises(DateParseError, match="29/02/1900"):
        parse_date(60)
    with pytest.raises(DateParseError, match="not a year .* it would be 01/03/1900"):
        parse_date(61)


def test_excel_serial_fraction_is_the_time():
    assert parsed(39173.5) == (D("2007-04-01 12:00"), "day", True)
    assert parsed(np.float64(39173.75)) == (D("2007-04-01 18:00"), "day", True)


def test_whole_numbers_1900_to_2100_are_years_not_serials():
    assert parsed(2007) == (D("2007-01-01"), "year", False)
    assert parsed(2007.0) == (D("2007-01-01"), "year", False)
    assert parsed(np.int64(1999)) == (D("1999-01-01"), "year", False)


def test_five_digit_text_is_an_excel_serial():
    assert parsed("39173") == (D("2007-04-01"), "day", False)


@pytest.mark.parametrize("value", [0, -5, 0.5, 10_000_000, float("inf"), True, [2007], {"d": 1}])
def test_numbers_and_objects_that_are_not_dates_are_errors(value):
    with pytest.raises(DateParseError):
        parse_date(value)


# from 1905-10-01 (serial 2101): the whole numbers 1900..2100 are years, by design (a "Year" column),
# so a midnight from 14 Mar to 30 Sep 1905 has a serial that reads as a year, not as its date
@given(st.datetimes(min_value=dt.datetime(1905, 10, 1), max_value=dt.datetime(2100, 12, 31, 23, 59, 59)))
def test_excel_serial_round_trip_with_openpyxl(moment):
    moment = moment.replace(microsecond=0)
    serial = to_excel(moment)
    result = parse_date(serial)
    assert result.date == pd.Timestamp(moment)
    assert result.time_known == (moment.time() != dt.time(0, 0))
    assert from_excel(serial) == moment


# ---------------------------------------------------------------------------------------------------
# Properties
# ---------------------------------------------------------------------------------------------------
MONTH_NAMES = ["January", "February", "March", "April", "May", "June", "July", "August", "September",
               "October", "November", "December"]
ORDINAL = {1: "st", 2: "nd", 3: "rd", 21: "st", 22: "nd", 23: "rd", 31: "st"}


def day_styles(d: dt.date) -> list[str]:
    name, abbr = MONTH_NAMES[d.month - 1], MONTH_NAMES[d.month - 1][:3]
    suffix = ORDINAL.get(d.day, "th")
    return [
        f"{d:%d/%m/%Y}", f"{d.day}/{d.month}/{d.year}", f"{d:%d-%m-%Y}", f"{d.day}.{d.month}.{d.year}",
        f"{d:%Y-%m-%d}", f"{d.day}{suffix} {name} {d.year}", f"{d.day} {abbr} {d.year}",
        f"{d:%d}-{abbr}-{d.year}", f"{name} {d.day}{suffix} {d.year}", f"{d:%a} {d:%d/%m/%Y}",
        f"{d:%A}, {d.day} {name} {d.year}",
    ]


dates = st.dates(min_value=dt.date(1900, 1, 1), max_value=dt.date(2100, 12, 31))


@settings(max_examples=200)
@given(d=dates)
def test_round_trip_day_styles(d):
    for text in day_styles(d):
        result = parse_date(text)
        assert (result.date, result.precision, result.time_known) == (pd.Timestamp(d), "day", False), text


@given(d=dates, style=st.sampled_from(["{abbr} {y}", "{name} {y}", "{m:02d}/{y}", "{y}-{m:02d}"]))
def test_round_trip_month_styles(d, style):
    name = MONTH_NAMES[d.month - 1]
    text = style.format(abbr=name[:3], name=name, m=d.month, y=d.year)
    assert parsed(text) == (pd.Timestamp(d.year, d.month, 1), "month", False)


@given(year=st.integers(1900, 2100))
def test_round_trip_years(year):
    assert parsed(str(year)) == (pd.Timestamp(year, 1, 1), "year", False)


@given(moment=st.datetimes(min_value=dt.datetime(1900, 1, 1), max_value=dt.datetime(2100, 12, 31)))
def test_round_trip_date_and_time_in_one_cell(moment):
    moment = moment.replace(second=0, microsecond=0)
    if moment.time() == dt.time(0, 0):
        moment = moment.replace(minute=1)
    hour12 = moment.hour % 12 or 12
    ampm = "am" if moment.hour < 12 else "pm"
    for text in (f"{moment:%d/%m/%Y %H:%M}", f"{moment:%Y-%m-%dT%H:%M}",
                 f"{moment:%d/%m/%Y} {hour12}.{moment:%M}{ampm}"):
        assert parsed(text) == (pd.Timestamp(moment), "day", True), text


@given(d=dates)
def test_day_first_invariant(d):
    """When day and month are both <= 12 the first number is still the day."""
    text = f"{d.day:02d}/{d.month:02d}/{d.year}"
    assert parse_date(text).date == pd.Timestamp(d)
    swapped = f"{d.month:02d}/{d.day:02d}/{d.year}"
    try:
        result = parse_date(swapped)
    except DateParseError:
        assert d.day > 12
    else:
        assert result.date == pd.Timestamp(d.year, d.day, d.month)


@settings(max_examples=500)
@given(st.one_of(st.text(), st.text(alphabet="0123456789/.-: apmAPMcirca?thsndMayJunlateidy", max_size=30)))
def test_arbitrary_text_only_ever_raises_date_parse_error(text):
    try:
        result = parse_date(text)
    except DateParseError:
        return
    assert isinstance(result, ParsedDate)
    assert result.precision in ("day", "month", "year", "approximate")
    assert 1900 <= result.date.year <= 2100


@settings(max_examples=300)
@given(st.one_of(st.integers(), st.floats(allow_nan=True, allow_infinity=True), st.booleans(), st.none()),
       st.one_of(st.none(), st.text(max_size=8), st.integers(), st.floats()))
def test_arbitrary_numbers_only_ever_raise_date_parse_error(value, time_value):
    try:
        parse_date(value, time_value)
    except DateParseError:
        pass
