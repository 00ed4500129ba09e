"""Reading the date (and time) of a chronology entry: UK day-first, partial dates, Excel serials.

`parse_date` turns one cell into a `ParsedDate` or raises `DateParseError` with a reason a reviewer can
act on. It never guesses: a value that could be read two ways, or not at all, is an error.

Rules (the contract ingest and the tests rely on):

* Numeric dates are **always day-first**: ``05/04/2007`` is 5 April 2007; ``04/25/2007`` is an error
  (there is no month 25). Separators ``/ . - \\`` may be mixed (``22.05/16``): such a
  mistyped date is read with precision ``approximate`` (the original text is kept); it still has a day,
  so a time may follow it and "early" / "late" are refused as for any day. A four-digit first
  part means year-first (``2007-04-05``, ``2007/04/05``).
* **Two-digit years** follow one fixed rule, never today's date: ``yy < two_digit_pivot`` is 20yy,
  otherwise 19yy. The default pivot 70 reads 00–69 as 2000–2069 and 70–99 as 1970–1999 (POSIX
  ``strptime`` uses 69, Excel 30; 70 suits chronologies of children born after 2000 whose parents were
  born in the 1970s–90s).
* **Partial dates** give the start of the period: ``Apr 2007`` / ``04/2007`` / ``2007-04`` -> 2007-04-01
  (precision ``month``); ``2007`` -> 2007-01-01 (``year``). A month name with a two-digit year
  (``Apr-07``, ``Apr '07``, ``March 07``) is that month: a UK chronology writes the day before the month
  (``7 March``), and a day with no year is not a date. A single digit after a month (``Apr 5``) is an
  error. A numeric month with a two-digit year (``6/15``, ``11/98``) is read only when it cannot be a
  day and month: ``6/07`` (6 July, or June 2007?) and ``05/04`` are errors whose reason says to write
  ``06/2007``; ``6/15`` (no month 15) is June 2015.
* **early / mid / late** split a month into thirds, with precision ``approximate``: early and late give the
  start of their third, mid the middle of the month (s21; the start of its third, the 11th, before):
  early May -> 1 May, mid May -> 15 May, late May -> 21 May. "beginning of" / "start of" mean early, "end
  of" means late.
* **A year however qualified** (``early 2007``, ``mid-2007``, ``late 2007``, ``c. 2007``) has precision
  ``year`` (2007-01-01; the words stay in the date's text): there is no precision for a third of a year,
  and ``approximate`` (the date +- ``approximate_span_days``, 31, as the rules read it) would leave out most
  of it (late 2007 as 1 Sep +- 31 days would miss October to December), while the year holds it whole.
* **Seasons** are UK meteorological seasons, precision ``season``: the date is the first day of the season,
  its period its three months: ``Spring 2007`` March-May (2007-03-01), ``Summer 2007`` June-August,
  ``Autumn 2007`` September-November (a qualifier or "c." is held by the season: ``early summer 2007`` is
  the summer). A season's two-digit year follows the pivot rule (``Summer 07``, ``Autumn '07``). A winter
  runs from December into the next year: ``Winter 2007/08``, ``Winter 07/08``, ``winter 2007-2008`` are
  December 2007 to February 2008. ``Winter 2008`` (one year) is ambiguous; it is read as the winter whose
  January and February fall in 2008 (December 2007 to February 2008, as the Met Office names its winters),
  and ingest warns that it could be December 2008 to February 2009 (`season_note`). A season was read as
  its whole year before: a response "Spring 2021" then seemed to answer an injury in October 2021.
* **School terms** (``Autumn term 2021``, ``Spring Term 2022``, ``Summer 2022 term``; in a school's academic year,
  ``Spring 2020/21``, ``Autumn term 2020-2021``: the autumn term in its first year, spring and summer in its second;
  a season in a school's own chronology is its term, `review.ingest.load`) have the precision of a
  season, three months from its first day: the autumn term September-November (its December weeks are
  left out), the spring term January-March (to Easter), the summer term May-July (from after Easter);
  shown "Autumn 2021", "Spring term 2022", "Summer term 2022" (`TERM_FIRST_MONTH`).
* **Christmas**: ``Christmas 2007`` / ``Xmas 07`` is the Christmas period, read as "late December 2007"
  (21 December, precision ``approximate``, shown "c. Dec 2007"); ``Christmas Day 2007``, ``Christmas Eve
  2007`` and ``Boxing Day 2007`` are those days.
* **Easter**: ``Easter 2007`` / ``Easter 07`` is about Easter Sunday of that year, computed (8 April 2007,
  precision ``approximate``, shown "c. 08 Apr 2007"); ``Easter Sunday 2007``, ``Good Friday 2007``, ``Easter
  Monday 2007`` are those days (precision ``day``), as ``Christmas Day 2007`` is.
* **Uncertain** dates (``c.``, ``ca.``, ``circa``, ``approx.``, ``approximately``, ``about``,
  ``around``, ``~``, a leading or trailing ``?``) keep their date and get precision ``approximate``;
  so do "week commencing" / "week beginning" / ``w/c`` / ``wc`` / ``w/b`` (the date is the first day of the
  week) and "week ending" / ``w/e`` (its last day). (A date in a column headed "Week commencing" is read so only
  when it falls on a week's first day, Monday or Sunday, or for "Week ending" its last, Friday to Sunday; any
  other day is the contact's own day: `review.ingest.load`.) The contact was on one day of that week, not over
  the week, so it is not a range (`end` is an event's duration: an admission); ``approximate`` (the
  date +- 31 days) holds the whole week. An approximate month (``c. June 2007``, ``early June 2007``) is
  shown "c. Jun 2007" (`approximate_unit`).
* A leading weekday (``Tue 05/04/2007``) is read past; ingest checks it against the date (`weekday_note`):
  ``Tues 4th March 2020`` (4 March 2020 was a Wednesday) keeps its date, with a warning naming the cell.
* **Times** may follow the date in the same cell (``05/04/2007 14:30``, ``2.30pm``, ``1430hrs``) or come
  from a separate time column (`time_value`). A time needs a day: a time with a month or year is an
  error, and so are two different times for the same row. A time column saying the time is not known
  ("N/K", "-", "unknown", "not known": `UNKNOWN_TIMES`) gives "time not known". A midnight in the
  date cell written the way software writes a date without a time (``00:00``, ``0:00``, ``00:00:00``,
  and a date cell of the workbook at midnight) is "time not known"; a midnight a person wrote
  (``12:00 AM``, ``12am``, ``midnight``, ``00.00``, ``0000hrs``) is a known time, and so is 00:00 in a
  time column.
* **Time zones**: chronologies record UK local time, so a time without a zone is kept as written. A
  time with an explicit zone (``2007-04-05T10:30:00Z``, ``10:30 UTC``, ``+01:00``, ``+0100``; a minus
  offset only after a time with seconds, since ``10:30-11:00`` is a range of times) is converted to
  UK wall-clock time (Europe/London, GMT or BST as on that day), and the date is that UK day; so is a
  datetime value carrying a zone. The time is known, even when it comes to midnight.
* **Ranges** in one cell, of days (``03/04/2007 - 05/04/2007``, ``3-5 April 2007``, ``3 Apr to 5 May
  2007``, ``03/04-05/04/2007``) or of times on one day (``05/04/2007 14:30-15:00``), give the start as
  the date and the end as `ParsedDate.end` (ingest's ``date_end``); the separators are ``-``, ``–``,
  ``—``, ``to``, ``until`` and ``till``, and after a leading "between", ``and`` and ``&`` (``between
  3/4/07 and 5/4/07``); a leading "from" is allowed (``from 3 April to 5 April 2007``). The start takes a missing month and year from the end. A range
  of months or years (``March-April 2007``), one that ends before it starts, or text that splits into
  a range in more than one way, is an error saying it is a range.
* **Numbers** are Excel serials in the 1900 date system; a fraction is the time of day. Whole numbers
  1900..2100 are read as a *year* (a "Year" column), not as serials (those would be dates in 1905).
  A number below 1900 is an error, not a serial: such serials are days of 1900-1905 (Excel's phantom
  29 February 1900 among them), never a contact of a child's chronology, while a workbook's date cells
  come as dates already; a number there is a typo (``1899`` for a year) or a lost cell format. Five-digit strings
  (``"39173"``) are serials too: that is how a CSV export shows an unformatted date cell.
* Every date must fall in 1900..2100; anything else is a typo (``05/04/1007``).
"""
from __future__ import annotations

import datetime as dt
import functools
import math
import re
from dataclasses import dataclass
from decimal import Decimal

import numpy as np
import pandas as pd

__all__ = ["ParsedDate", "DateParseError", "approximate_unit", "season_label", "school_term", "season_note", "weekday_note", "is_unknown_time", "parse_date", "parse_time", "YEAR_MIN", "YEAR_MAX"]

YEAR_MIN, YEAR_MAX = 1900, 2100
_EXCEL_EPOCH = dt.datetime(1899, 12, 30)  # serial 61 = 1900-03-01; serials 1..59 are one day later
_MAX_SERIAL = (dt.datetime(YEAR_MAX + 1, 1, 1) - _EXCEL_EPOCH).days  # first serial past YEAR_MAX
_DAY_MS = 86_400_000
_MIDNIGHT = dt.time(0, 0)


@dataclass(frozen=True)
class ParsedDate:
    """A chronology date: `date` is the start of the period for partial dates (see module docstring);
    `end` is the end of a range written in the cell (a day, with its time when one was given), else None."""

    date: pd.Timestamp
    precision: str  # one of schema.DATE_PRECISIONS
    time_known: bool
    text: str  # the original cell, as text
    end: pd.Timestamp | None = None


class DateParseError(ValueError):
    """A date (or time) that cannot be read without guessing; `reason` says why, for the ingest report."""

    def __init__(self, reason: str, text: str = "", *, field: str = "date"):
        super().__init__(reason)
        self.reason = reason
        self.text = text
        self.field = field  # "time" when the separate time cell is the cause, to name its column


# ---------------------------------------------------------------------------------------------------
# Regular expressions, all applied to lower-cased text with single spaces.
# ---------------------------------------------------------------------------------------------------
_MONTHS = {
    "jan": 1, "january": 1, "feb": 2, "february": 2, "mar": 3, "march": 3, "apr": 4, "april": 4,
    "may": 5, "jun": 6, "june": 6, "jul": 7, "july": 7, "aug": 8, "august": 8, "sep": 9, "sept": 9,
    "september": 9, "oct": 10, "october": 10, "nov": 11, "november": 11, "dec": 12, "december": 12,
}
_MONTH = r"(?P<mon>" + "|".join(sorted(_MONTHS, key=len, reverse=True)) + r")(?![a-z])\.?"
_SEP = r"\s*[./\\-]\s*"
_ORD = r"(?:st|nd|rd|th)?"

_FAST_DMY = re.compile(r"(\d{1,2})/(\d{1,2})/(\d{4})")
_NUMERIC_3 = re.compile(r"(?P<a>\d{1,4})" + _SEP + r"(?P<b>\d{1,2})" + _SEP + r"(?P<c>\d+)")
_NUMERIC_MY = re.compile(r"(?P<m>\d{1,2})" + _SEP + r"(?P<y>\d{4})(?!\d)")
_ISO_YM = re.compile(r"(?P<y>\d{4})-(?P<m>\d{1,2})(?![\d./\\-])")
_TEXT_DMY = re.compile(
    r"(?P<d>\d{1,2})" + _ORD + r"(?:\s+of)?[\s./,-]*" + _MONTH + r"[\s./,'-]*(?P<y>\d{4}|\d{2})(?!\d)"
)
_TEXT_MDY = re.compile(_MONTH + r"[\s./-]*(?P<d>\d{1,2})" + _ORD + r"[\s,]+(?P<y>\d{4})(?!\d)")
# "Apr 2007", and "Apr-07" / "Apr '07" as Excel shows mmm-yy; "April 05" could be 5 April: an error
_TEXT_MY = re.compile(_MONTH + r"(?:[\s./,-]*(?P<y>\d{4})|(?:\s*[/.-]\s*'?|\s*'|\s+)(?P<y2>\d{2}))(?!\d)")
# "6/15", "11/98": a month and a two-digit year with a slash (read only when "6/07", 6 July, cannot be meant)
_NUMERIC_MYY = re.compile(r"(?P<m>\d{1,2})\s*/\s*(?P<y>\d{2})(?![\d./\\-])")
#: seasons (UK meteorological: spring March-May, summer June-August, autumn September-November, winter
#: December-February): a season is its three months, precision "season" (`SEASON_FIRST_MONTH`)
_SEASON = re.compile(r"(?P<season>spring|summer|autumn|winter)(?![a-z])(?:\s+of)?[\s,-]*")
SEASON_FIRST_MONTH = {"spring": 3, "summer": 6, "autumn": 9, "winter": 12}
SEASON_NAMES = {month: name.capitalize() for name, month in SEASON_FIRST_MONTH.items()}
SEASON_NAMES.update({1: "Spring term", 5: "Summer term"})  # the autumn term starts when autumn does
#: a season's year: four digits, or two by the pivot rule ("Summer 07", "Autumn '07"), as "Mar 07"
_SEASON_YEAR = re.compile(r"['\u2019]?(?P<y>\d{4}|\d{2})")
#: a school term: "Autumn term 2021", "Spring Term, 2022", "Summer 2022 term" (what follows the season's name)
_TERM_YEAR = re.compile(r"term[\s,-]*['\u2019]?(?P<y>\d{4}|\d{2})|['\u2019]?(?P<y2>\d{4}|\d{2})[\s,-]*term")
#: a school term's first month, read as three months (the precision "season"): the autumn term (September to
#: December) from September, the spring term (January to Easter) from January, the summer term (after Easter to
#: July) from May; the weeks outside those three months (December, April) are not held by the date
TERM_FIRST_MONTH = {"autumn": 9, "spring": 1, "summer": 5}
#: a winter's two years ("Winter 2020/21", "Winter 20/21", "winter 2020-2021"): December of the first
#: a school's academic year after a term's name: "Spring 2020/21", "Summer 2020/2021", "Autumn term 2020-21",
#: "Spring 2020/21 term" (`_season`)
_ACADEMIC_YEAR = re.compile(r"(?:term[\s,-]*)?['\u2019]?(?P<y>\d{4})\s*[/-]\s*['\u2019]?(?P<y2>\d{4}|\d{2})(?:[\s,-]*term)?")
_WINTER_YEARS = re.compile(r"['\u2019]?(?P<y>\d{4}|\d{2})\s*[/-]\s*['\u2019]?(?P<y2>\d{4}|\d{2})")
#: Christmas: the day itself, its eve, Boxing Day (days), or the Christmas period ("Xmas 2007": late December)
_CHRISTMAS = re.compile(
    r"(?:(?P<name>christmas|xmas|x-mas)(?:\s+(?P<day>day|eve))?|(?P<boxing>boxing day))"
    r"(?:\s+of)?[\s,-]*['\u2019]?(?P<y>\d{4}|\d{2})"
)
_CHRISTMAS_DAYS = {"day": 25, "eve": 24}
#: Easter: Easter Sunday, Good Friday, Easter Monday (days), or Easter ("Easter 2007": about Easter Sunday)
_EASTER = re.compile(
    r"(?:(?P<good>good friday)|easter(?:\s+(?P<day>sunday|day|monday))?)"
    r"(?:\s+of)?[\s,-]*['\u2019]?(?P<y>\d{4}|\d{2})"
)
_EASTER_OFFSETS = {"sunday": 0, "day": 0, "monday": 1}


def easter_sunday(year: int) -> dt.date:
    """Easter Sunday of `year` in the Gregorian calendar (the anonymous Gregorian algorithm, "Meeus/Jones/Butcher")."""
    a, b, c = year % 19, year // 100, year % 100
    d, e = b // 4, b % 4
    f = (b + 8) // 25
    g = (b - f + 1) // 3
    h = (19 * a + b - d - g + 15) % 30
    i, k = c // 4, c % 4
    l_ = (32 + 2 * e + 2 * i - h - k) % 7
    m = (a + 11 * h + 22 * l_) // 451
    month = (h + l_ - 7 * m + 114) // 31
    day = (h + l_ - 7 * m + 114) % 31 + 1
    return dt.date(year, month, day)
_YEAR = re.compile(r"(?P<y>\d{4})(?!\d)")
_SERIAL_TEXT = re.compile(r"\d{5}(?:\.\d+)?")

_APPROX_PREFIX = re.compile(
    r"(?:circa|approximately|approx\.?|about|around|abt\.?|ca\.|c\.|c(?=\s)|~|\?"
    r"|week commencing|week beginning|week ending|w/c|w\.c\.|wc(?=[\s\d])|w/b|w/e|w\.e\.)\s*"
)
_APPROX_SUFFIX = re.compile(r"\s*(?:\?|\(\s*approx\.?\s*\)|\(\s*\?\s*\)|approx\.?|\(?circa\)?)$")
_WEEKDAY = re.compile(
    r"(?:monday|tuesday|wednesday|thursday|friday|saturday|sunday|mon|tues|tue|weds|wed|thurs|thur|thu"
    r"|fri|sat|sun)(?![a-z])\.?,?\s*"
)
_QUALIFIER = re.compile(r"(?P<q>early|mid|late|beginning of|start of|end of)(?:\s*-\s*|\s+)(?:of\s+)?")
_QUALIFIER_THIRD = {"early": 0, "beginning of": 0, "start of": 0, "mid": 1, "late": 2, "end of": 2}

_TIME = re.compile(
    r"(?P<h>\d{1,2})(?:[:.](?P<m>\d{2})(?:[:.](?P<s>\d{2})(?:\.(?P<f>\d{1,6}))?)?)?"
    r"\s*(?P<ampm>am|pm|a\.m\.?|p\.m\.?)?\s*(?P<hrs>hrs|hr|h|hours)?"
)
_TIME_COMPACT = re.compile(r"(?P<h>\d{1,2})(?P<m>\d{2})\s*(?P<hrs>hrs|hr|h|hours)?")
_TIME_WORDS = {"noon": (12, 0), "12 noon": (12, 0), "midday": (12, 0), "12 midday": (12, 0), "midnight": (0, 0)}
_TIME_LEAD = re.compile(r"\s*(?:t|,|;|@|at|-)?\s*")
#: how software writes a date cell's midnight when it has no time (a person writes 12:00 am, midnight)
_SOFTWARE_MIDNIGHT = re.compile(r"0?0:00(?::00(?:\.0+)?)?")
#: an explicit zone after a time: Z, UTC, or an offset (a minus offset needs seconds: ``10:30-11:00``
#: is a range of times, ``10:30:00-05:00`` an ISO time in a zone)
_ZONE = re.compile(
    r"(?P<time>.*?\d)\s*(?:(?P<utc>z|utc)|(?P<sign>\+)(?P<h>\d{2}):?(?P<m>\d{2})?"
    r"|(?P<minus>-)(?P<mh>\d{2}):?(?P<mm>\d{2})?)"
)
_RANGE_SEP = re.compile(r"\s*(?:-|\u2013|\u2014|(?<![a-z])(?:to|until|till)(?![a-z]))\s*")
#: "between 3/4/07 and 5/4/07", "from 3 April to 5 April 2007": the words around a range
_RANGE_LEAD = re.compile(r"(?P<word>between|from)\s+")
_RANGE_SEP_AND = re.compile(_RANGE_SEP.pattern[:-len(r")\s*")] + r"|(?<![a-z])and(?![a-z])|&)\s*")
_DAY_ONLY = re.compile(r"(?P<d>\d{1,2})(?:st|nd|rd|th)?")
_DAY_MONTH = re.compile(r"\d{1,2}[./]\d{1,2}")
_LOOKS_LIKE_DATE = re.compile(r"\d\s*[./\\]\s*\d|\d\s*-\s*\d+\s*-|" + _MONTH)
RANGE_REASON = "a date range: give the start date in the date column and the end in an end-date column"
#: what chronologies write in a time column when the time was not recorded: read as "time not known"
UNKNOWN_TIMES = frozenset({
    "n/k", "nk", "n.k", "n/a", "na", "-", "--", "?", "??", "unknown", "not known", "time not known",
    "time unknown", "not recorded", "not stated", "unk", "tbc", "x",
})


def is_unknown_time(value) -> bool:
    """True for a time cell that says the time is not known ("N/K", "-", "unknown", "not known")."""
    return isinstance(value, str) and " ".join(value.lower().split()).rstrip(".") in UNKNOWN_TIMES


def _empty(value) -> bool:
    if value is None or value is pd.NaT or value is pd.NA:
        return True
    if isinstance(value, float) and math.isnan(value):
        return True
    if isinstance(value, np.floating) and np.isnan(value):
        return True
    if isinstance(value, np.datetime64) and np.isnat(value):
        return True
    return False


def _year(text: str, pivot: int, shown: str) -> int:
    year = int(text)
    if len(text) == 2:
        return 2000 + year if year < pivot else 1900 + year
    if len(text) != 4:
        raise DateParseError(f"{shown}: the year {text!r} must have two or four digits", shown)
    return year


def _check_year(year: int, shown: str) -> None:
    if not YEAR_MIN <= year <= YEAR_MAX:
        raise DateParseError(f"{shown}: year {year} is outside {YEAR_MIN}-{YEAR_MAX}", shown)


def _real_date(year: int, month: int, day: int, shown: str) -> dt.date:
    _check_year(year, shown)
    if not 1 <= month <= 12:
        try:  # a US date (mm/dd/yyyy): say what it would be, so the reviewer can correct it
            if not 1 <= day <= 12:
                raise ValueError
            swapped = dt.date(year, day, month)
            also = f"; {swapped.day} {swapped:%B %Y} if month-first"
        except ValueError:
            also = ""
        raise DateParseError(
            f"{shown} is not a real date (month {month}; dates are read day-first, dd/mm/yyyy{also})", shown
        )
    try:
        return dt.date(year, month, day)
    except ValueError:
        raise DateParseError(f"{shown} is not a real date", shown) from None


# ---------------------------------------------------------------------------------------------------
# Times
# ---------------------------------------------------------------------------------------------------
def parse_time(value) -> dt.time:
    """Read a time of day: "14:30", "14.30", "1430", "1430hrs", "2.30pm", "2pm", "noon", an Excel
    fraction of a day (0.5), or a `datetime.time` / datetime / timedelta. Raises DateParseError."""
    if isinstance(value, dt.datetime):  # includes pd.Timestamp
        return value.time().replace(tzinfo=None)
    if isinstance(value, dt.time):
        return value.replace(tzinfo=None)
    if isinstance(value, (dt.timedelta, pd.Timedelta)):
        seconds = pd.Timedelta(value).total_seconds()
        if not 0 <= seconds < 86400:
            raise DateParseError(f"unreadable time {str(value)!r} (not within one day)")
        return (dt.datetime.min + dt.timedelta(seconds=seconds)).time()
    if isinstance(value, (bool, np.bool_)):
        raise DateParseError(f"unreadable time {value!r}")
    if isinstance(value, (int, np.integer)):
        number = int(value)
        hour, minute = divmod(number, 100)
        if number < 0 or hour > 23 or minute > 59:
            raise DateParseError(f"unreadable time {number!r}")
        return dt.time(hour, minute)
    if isinstance(value, (float, np.floating, Decimal)):
        number = float(value)
        if number.is_integer():
            return parse_time(int(number))
        if not 0 < number < 1:
            raise DateParseError(f"unreadable time {value!r} (a fraction of a day must be between 0 and 1)")
        ms = round(number * _DAY_MS)
        if ms >= _DAY_MS:
            raise DateParseError(f"unreadable time {value!r}")
        return (dt.datetime.min + dt.timedelta(milliseconds=ms)).time()
    text = str(value)
    parsed = _time_from_text(" ".join(text.strip().lower().split()))
    if parsed is None:
        raise DateParseError(f"unreadable time {text.strip()!r}")
    return parsed


def _time_from_text(s: str) -> dt.time | None:
    """A time from normalised text, None when it is not one."""
    if s in _TIME_WORDS:
        return dt.time(*_TIME_WORDS[s])
    m = _TIME.fullmatch(s)
    if m and (m["m"] or m["ampm"] or m["hrs"]):
        hour, minute = int(m["h"]), int(m["m"] or 0)
        second = int(m["s"] or 0)
        micro = int((m["f"] or "0").ljust(6, "0"))
        if m["ampm"]:
            if not 1 <= hour <= 12:
                return None
            hour = hour % 12 + (12 if m["ampm"].startswith("p") else 0)
    else:
        m = _TIME_COMPACT.fullmatch(s)
        if not m:
            return None
        hour, minute, second, micro = int(m["h"]), int(m["m"]), 0, 0
    if hour > 23 or minute > 59 or second > 59:
        return None
    return dt.time(hour, minute, second, micro)


# ---------------------------------------------------------------------------------------------------
# Dates
# ---------------------------------------------------------------------------------------------------
def parse_date(value, time_value=None, *, two_digit_pivot: int = 70) -> ParsedDate:
    """Read one date cell (and optionally its time cell). See the module docstring for the rules.

    Parameters
    ----------
    value : str, datetime, date, pd.Timestamp, np.datetime64, int or float (Excel serial / year)
    time_value : optional time of day from a separate column (str, time, datetime, timedelta, number)
    two_digit_pivot : two-digit years below it are 20yy, the others 19yy

    Raises
    ------
    DateParseError
        with a reason such as "empty date", "unreadable date 'sometime'" or
        "31/02/2007 is not a real date".
    """
    if not 0 <= two_digit_pivot <= 100:
        raise ValueError("two_digit_pivot must be between 0 and 100")
    if _empty(value):
        raise DateParseError("empty date", "")
    if isinstance(value, (dt.datetime, np.datetime64)):
        if isinstance(value, np.datetime64):
            value = pd.Timestamp(value)
        if value.tzinfo is not None:  # an explicit zone: UK wall-clock time, the time known
            value = value.astimezone(_uk_zone()).replace(tzinfo=None)
            _check_year(value.year, str(value))
            time, text = value.time(), value.isoformat(sep=" ")
        else:
            _check_year(value.year, str(value))
            time = value.time()
            if time == _MIDNIGHT:
                time, text = None, value.date().isoformat()
            else:
                text = value.isoformat(sep=" ")
        start, precision, base = value.date(), "day", "day"
    elif isinstance(value, dt.date):
        _check_year(value.year, str(value))
        start, precision, base, time, text = value, "day", "day", None, value.isoformat()
    elif isinstance(value, (bool, np.bool_)):
        raise DateParseError(f"unreadable date {value!r}", str(value))
    elif isinstance(value, (int, float, Decimal, np.integer, np.floating)):
        text = str(value)
        start, precision, time = _from_number(value, text)
        base = precision
    elif isinstance(value, str):
        text, end = value, None
        try:
            start, precision, base, time = _from_text(value, two_digit_pivot)
        except DateParseError as exc:
            ranged = _range(value, two_digit_pivot, exc)
            if ranged is None:
                raise
            (start, precision, base, time), end = ranged
    else:
        text = str(value)
        raise DateParseError(f"unreadable date {text!r}", text)
    if not isinstance(value, str):
        end = None

    if not _empty(time_value) and not (isinstance(time_value, str) and not time_value.strip()) \
            and not is_unknown_time(time_value):
        try:
            extra = parse_time(time_value)
        except DateParseError as exc:
            raise DateParseError(f"{exc.reason} for date {text.strip()!r}", text, field="time") from None
        if base != "day":
            raise DateParseError(f"time {str(time_value).strip()!r} given for {text.strip()!r}, which has no day",
                                 text, field="time")
        if time is not None and time != extra:
            raise DateParseError(
                f"the date {text.strip()!r} has time {time.isoformat()} but the time column says {extra.isoformat()}",
                text, field="time",
            )
        time = extra
    stamp = pd.Timestamp(dt.datetime.combine(start, time or _MIDNIGHT))
    if end is not None and end < stamp:
        raise DateParseError(f"{text.strip()!r} is a date range that ends before it starts", text)
    return ParsedDate(stamp, precision, time is not None, text, end)


def _from_number(value, text: str) -> tuple[dt.date, str, dt.time | None]:
    number = float(value)
    if math.isnan(number):
        raise DateParseError("empty date", text)
    if math.isinf(number):
        raise DateParseError(f"unreadable date {text!r}", text)
    if number.is_integer() and YEAR_MIN <= number <= YEAR_MAX:
        return dt.date(int(number), 1, 1), "year", None
    if 1 <= number < YEAR_MIN:
        serial = "29/02/1900, a day that does not exist" if math.floor(number) == 60 else \
            f"{_from_serial(number, text)[0]:%d/%m/%Y}"
        raise DateParseError(
            f"{text} is a number, not a date: not a year ({YEAR_MIN}-{YEAR_MAX}), and as an Excel date "
            f"serial it would be {serial} (type the date, or format the cell as a date)", text
        )
    stamp, time = _from_serial(number, text)
    return stamp, "day", time


def _from_serial(number: float, text: str) -> tuple[dt.date, dt.time | None]:
    """An Excel 1900-system serial: whole part = days, fraction = time of day."""
    if number < 1:
        raise DateParseError(f"{text} is not a date (an Excel serial before 1900-01-01 or a time alone)", text)
    if number >= _MAX_SERIAL:
        raise DateParseError(f"Excel serial {text} is after {YEAR_MAX}", text)
    days = math.floor(number)
    if days == 60:
        raise DateParseError(f"Excel serial {text} is 29/02/1900, a day that does not exist", text)
    ms = round((number - days) * _DAY_MS)
    base = _EXCEL_EPOCH + dt.timedelta(days=days + (1 if days < 60 else 0), milliseconds=ms)
    _check_year(base.year, text)
    if ms == 0 or ms == _DAY_MS:
        return base.date(), None
    return base.date(), base.time()


def _holiday_year(match, qualifier, pivot: int, shown: str, value) -> int:
    """The year of a holiday's name ("Christmas 2007", "Easter 07": `match` group "y"), checked; a holiday with
    a qualifier ("early Easter 2007") is unreadable."""
    if qualifier is not None:
        raise DateParseError(f"unreadable date {shown!r}", value)
    year = _year(match["y"], pivot, shown)
    _check_year(year, shown)
    return year


def _season(name: str, rest: str, pivot: int, shown: str, value) -> tuple[dt.date, str, str]:
    """(start, "season", "season") of a season followed by `rest`, its year: the first day of its first
    month. A winter named by one year ("Winter 2021") is the one whose January and February fall in that
    year (December 2020 to February 2021, as the Met Office names its winters); `season_note` says so."""
    if name == "winter":
        both = _WINTER_YEARS.fullmatch(rest)
        if both:
            first, second = _year(both["y"], pivot, shown), _year(both["y2"], pivot, shown)
            if second != first + 1:
                raise DateParseError(
                    f"{shown!r}: a winter runs from December into the next year ({first}/{first + 1:04d}), "
                    f"not into {second}", value)
            _check_year(second, shown)
            return dt.date(first, 12, 1), "season", "season"
    academic = _ACADEMIC_YEAR.fullmatch(rest) if name in TERM_FIRST_MONTH else None
    if academic is not None:
        # "Spring 2020/21", "Autumn term 2020-2021": a term of a school's academic year, September to July; the
        # autumn term is in its first year, the spring and summer terms in its second
        first, second = _year(academic["y"], pivot, shown), _year(academic["y2"], pivot, shown)
        if second != first + 1:
            raise DateParseError(f"{shown!r}: a school year runs from September into the next year "
                                 f"({first}/{(first + 1) % 100:02d}), not into {second}", value)
        _check_year(second, shown)
        return dt.date(first if name == "autumn" else second, TERM_FIRST_MONTH[name], 1), "season", "season"
    term = _TERM_YEAR.fullmatch(rest)
    if term is not None:
        if name not in TERM_FIRST_MONTH:
            raise DateParseError(f"unreadable date {shown!r} (school terms are the autumn, spring and summer terms: "
                                 "'Autumn term 2021')", value)
        number = _year(term["y"] or term["y2"], pivot, shown)
        _check_year(number, shown)
        return dt.date(number, TERM_FIRST_MONTH[name], 1), "season", "season"
    year = _SEASON_YEAR.fullmatch(rest)
    if year is None:
        raise DateParseError(f"unreadable date {shown!r} (a season is followed by a year: '{name} 2007', "
                             f"or a school term: '{name} term 2007')", value)
    number = _year(year["y"], pivot, shown)
    _check_year(number, shown)
    if name == "winter":
        _check_year(number - 1, shown)
        return dt.date(number - 1, 12, 1), "season", "season"
    return dt.date(number, SEASON_FIRST_MONTH[name], 1), "season", "season"


#: {a meteorological season's first month: the first month of the school term of that name} (spring, summer, autumn)
_TERM_OF_SEASON = {SEASON_FIRST_MONTH[name]: month for name, month in TERM_FIRST_MONTH.items()}


def school_term(day):
    """The first day of the school term named as the season that starts on `day` ("Spring 2021", 1 March 2021 ->
    the spring term, 1 January 2021; summer -> 1 May, autumn -> 1 September), for a season in a school's own
    chronology, which counts its year in terms; `day` itself when it starts no such season (a winter, a term)."""
    month = _TERM_OF_SEASON.get(day.month)
    return day if month is None else day.replace(month=month)


def season_note(text) -> str:
    """Why a date read as a season may not be the one meant, "" when nothing: a winter named by one year
    ("Winter 2021") could be December 2020 to February 2021 (read so) or December 2021 to February 2022."""
    if not isinstance(text, str):
        return ""
    s = " ".join(text.lower().split())
    m = re.search(r"winter(?:\s+of)?[\s,-]*['\u2019]?(\d{4}|\d{2})$", s)
    if m is None or _WINTER_YEARS.search(s[m.start():]):
        return ""
    try:
        start = _from_text(text, 70)[0]
    except DateParseError:
        return ""
    return (f"{text.strip()!r} read as winter {start.year}/{(start.year + 1) % 100:02d} (December {start.year} to "
            f"February {start.year + 1}, the winter whose January falls in {start.year + 1}); if December "
            f"{start.year + 1} to February {start.year + 2} is meant, write 'Winter {start.year + 1}/"
            f"{(start.year + 2) % 100:02d}'")


_WEEKDAY_NUMBERS = {"mon": 0, "tue": 1, "wed": 2, "thu": 3, "fri": 4, "sat": 5, "sun": 6}
_WEEKDAY_NAMES = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")


def weekday_note(text, two_digit_pivot: int = 70) -> str:
    """Why the weekday written before a date may be wrong, "" when it agrees or there is none: "Tues 4th March
    2020" reads 4 March 2020, a Wednesday. The date is kept (`parse_date` reads past the weekday): which of the
    two was mistyped the cell does not say. Only a date with a day is checked (the weekday of "Mon March 2020"
    says nothing), the date as written (a time in another zone may move the contact's UK day, not the day
    the weekday names); a range's start only."""
    if not isinstance(text, str) or not text:
        return ""
    s = " ".join(text.lower().split()).rstrip(",;")
    m = _APPROX_PREFIX.match(s)
    if m and m.end() < len(s):
        s = s[m.end():]
    m = _WEEKDAY.match(s)
    if m is None or m.end() >= len(s):
        return ""
    written = _WEEKDAY_NUMBERS[m.group(0)[:3]]
    shown = text.strip()
    try:
        day, base, _, _ = _date_part(s[m.end():], shown, two_digit_pivot)
    except DateParseError:
        return ""
    if base != "day" or day.weekday() == written:
        return ""
    # the date's weekday beside it, not the one written: the anonymised view's message ("'March 2020': ... (Mar
    # 2020)") then names no weekday, which with the month would narrow the day (`review.redact`)
    return (f"{shown!r}: the weekday written is not the date's ({_WEEKDAY_NAMES[day.weekday()]} {day:%d/%m/%Y}): "
            "the date is kept; check the day or the date in the file")


def season_label(day) -> str:
    """How a date of precision "season" is shown: "Spring 2021", "Winter 2020/21" (December into the next
    year)."""
    day = pd.Timestamp(day)
    name = SEASON_NAMES.get(day.month, "")
    if day.month == 12:
        return f"{name} {day.year}/{(day.year + 1) % 100:02d}"
    return f"{name} {day.year}"


def season_end(day):
    """The last day of the season starting on `day` (a Timestamp, or a Series of them)."""
    return day + pd.offsets.MonthEnd(3)


def _from_text(value: str, pivot: int) -> tuple[dt.date, str, str, dt.time | None]:
    """(start, precision, base precision before any 'approximate', time or None)."""
    shown = value.strip()
    fast = _FAST_DMY.fullmatch(shown)
    if fast:
        day, month, year = int(fast[1]), int(fast[2]), int(fast[3])
        return _real_date(year, month, day, shown), "day", "day", None
    s = " ".join(shown.lower().split()).rstrip(",;")
    if not s:
        raise DateParseError("empty date", value)

    approximate = False
    m = _APPROX_PREFIX.match(s)
    if m and m.end() < len(s):
        approximate, s = True, s[m.end():]
    m = _APPROX_SUFFIX.search(s)
    if m and m.start() > 0:
        approximate, s = True, s[: m.start()]
    s = s.rstrip(" .,;")
    m = _WEEKDAY.match(s)
    if m and m.end() < len(s):
        s = s[m.end():]
    qualifier = None
    m = _QUALIFIER.match(s)
    if m:
        qualifier, s = m["q"], s[m.end():]
    season = _SEASON.match(s)
    if season and season.end() < len(s):
        return _season(season["season"], s[season.end():], pivot, shown, value) + (None,)
    christmas = _CHRISTMAS.fullmatch(s)
    if christmas:
        year = _holiday_year(christmas, qualifier, pivot, shown, value)
        day = 26 if christmas["boxing"] else _CHRISTMAS_DAYS.get(christmas["day"] or "")
        if day is not None:  # Christmas Day, Christmas Eve, Boxing Day: days
            return dt.date(year, 12, day), "approximate" if approximate else "day", "day", None
        # "Christmas 2007", "Xmas 07": the Christmas period, as "late December 2007" (21 December, approximate;
        # the span of an approximate date, 31 days either side, holds the whole holiday), shown "c. Dec 2007"
        return dt.date(year, 12, 21), "approximate", "month", None

    easter = _EASTER.fullmatch(s)
    if easter:
        year = _holiday_year(easter, qualifier, pivot, shown, value)
        sunday = easter_sunday(year)
        if easter["good"] or easter["day"]:  # Good Friday, Easter Sunday, Easter Monday: days
            day = sunday + dt.timedelta(days=-2 if easter["good"] else _EASTER_OFFSETS[easter["day"]])
            return day, "approximate" if approximate else "day", "day", None
        # "Easter 2007", "Easter 07": about Easter Sunday (8 April 2007, approximate; the span of an approximate
        # date, 31 days either side, holds the Easter holidays), shown "c. 08 Apr 2007"
        return sunday, "approximate", "day", None

    if _SERIAL_TEXT.fullmatch(s) and not approximate and qualifier is None:
        stamp, time = _from_serial(float(s), shown)
        return stamp, "day", "day", time

    start, base, rest, mistyped = _date_part(s, shown, pivot)
    approximate = approximate or mistyped
    time = None
    if rest:
        lead = _TIME_LEAD.match(rest)
        time_text = rest[lead.end():].strip()
        time = _time_from_text(time_text)
        zone = _ZONE.fullmatch(time_text) if time is None else None
        if zone is not None and zone["minus"] and zone["time"].count(":") < 2:
            zone = None  # "14:30-15:00" is a range of times, "10:30:00-05:00" a time in a zone
        zoned = _time_from_text(zone["time"]) if zone is not None else None
        if time is None and zoned is None:
            if time_text and time_text[0].isdigit() and _TIME.match(time_text):
                raise DateParseError(f"unreadable time {time_text!r} in {shown!r}", value)
            raise DateParseError(f"unreadable date {shown!r}", value)
        if base != "day":
            raise DateParseError(f"{shown!r} has a time but no day", value)
        if zoned is not None:  # UK wall-clock time, known even when it comes to midnight
            start, time = _to_uk_time(start, zoned, zone)
        elif time == _MIDNIGHT and _SOFTWARE_MIDNIGHT.fullmatch(time_text):
            time = None  # what software writes in a date cell when no time was given
    if qualifier is not None:
        if base == "day":
            raise DateParseError(f"{shown!r}: {qualifier!r} needs a month or a year, not a day", value)
        if base == "month":
            # (s21, QA12) "mid" names the middle of the month, the 15th: read as the 11th (the start of the
            # middle third), "mid October" fell before a death on the 14th that the row reports
            start = start.replace(day=15 if qualifier == "mid" else 1 + 10 * _QUALIFIER_THIRD[qualifier])
            approximate = True
    if base == "year":
        # a year however qualified ("early 2007", "c. 2007"): the approximate period
        # (date +- approximate_span_days) cannot hold a third of a year, the year can
        return start, "year", base, time
    return start, "approximate" if approximate else base, base, time


def _date_part(s: str, shown: str, pivot: int) -> tuple[dt.date, str, str, bool]:
    """Match a date at the start of `s`: (start, precision, the rest of the text, mistyped).

    A mistyped date (mixed separators) has a day all the same: its precision is "day" here, so that a
    time may follow it and "early" / "late" are refused as for any day; the caller makes it
    approximate."""
    m = _NUMERIC_3.match(s)
    if m:
        a, b, c = m["a"], m["b"], m["c"]
        if len(a) == 4:
            if len(c) > 2:
                raise DateParseError(f"unreadable date {shown!r}", shown)
            date = _real_date(int(a), int(b), int(c), shown)
        elif len(a) <= 2:
            date = _real_date(_year(c, pivot, shown), int(b), int(a), shown)
        else:
            raise DateParseError(f"unreadable date {shown!r}", shown)
        # mixed separators (``22.05/16``) are a mistyped date: read, but only approximately trusted
        mistyped = len(set(re.findall(r"[/.\\-]", m.group(0)))) > 1
        return date, "day", s[m.end():], mistyped
    m = _TEXT_DMY.match(s) or _TEXT_MDY.match(s)
    if m:
        date = _real_date(_year(m["y"], pivot, shown), _MONTHS[m["mon"]], int(m["d"]), shown)
        return date, "day", s[m.end():], False
    m = _TEXT_MY.match(s)
    if m:
        month = _MONTHS[m["mon"]]
        year_text = m["y"] or m["y2"]
    else:
        m = _NUMERIC_MY.match(s) or _ISO_YM.match(s)
        if m is None:
            m = _NUMERIC_MYY.match(s)
            if m and 1 <= int(m["y"]) <= 12:
                raise DateParseError(
                    f"{shown!r} could be a day and month with no year (day-first, as every numeric date) or "
                    f"a month and a two-digit year: write the month as {int(m['m']):02d}/{_year(m['y'], pivot, shown)}",
                    shown)
        month = int(m["m"]) if m else None
        year_text = m["y"] if m else ""
    if m:
        year = _year(year_text, pivot, shown)
        _check_year(year, shown)
        if not 1 <= month <= 12:
            raise DateParseError(f"{shown} is not a real date (month {month})", shown)
        return dt.date(year, month, 1), "month", s[m.end():], False
    m = _YEAR.match(s)
    if m:
        year = int(m["y"])
        _check_year(year, shown)
        return dt.date(year, 1, 1), "year", s[m.end():], False
    raise DateParseError(f"unreadable date {shown!r}", shown)



# ---------------------------------------------------------------------------------------------------
# Time zones and ranges
# ---------------------------------------------------------------------------------------------------
_UK_ZONE = []


def _uk_zone() -> dt.tzinfo:
    """Europe/London (loaded on first use: few cells carry a zone)."""
    if not _UK_ZONE:
        from zoneinfo import ZoneInfo

        _UK_ZONE.append(ZoneInfo("Europe/London"))
    return _UK_ZONE[0]


def _to_uk_time(day: dt.date, time: dt.time, zone: re.Match) -> tuple[dt.date, dt.time]:
    """The UK wall-clock (day, time) of `time` on `day` in the zone `_ZONE` matched."""
    if zone["utc"]:
        offset = dt.timedelta(0)
    else:
        sign = -1 if zone["minus"] else 1
        hours, minutes = int(zone["h"] or zone["mh"]), int(zone["m"] or zone["mm"] or 0)
        offset = sign * dt.timedelta(hours=hours, minutes=minutes)
    if not -dt.timedelta(hours=14) <= offset <= dt.timedelta(hours=14):
        raise DateParseError(f"time zone offset {zone.group(0)[len(zone['time']):].strip()!r} is not a real one")
    local = dt.datetime.combine(day, time, tzinfo=dt.timezone(offset)).astimezone(_uk_zone())
    _check_year(local.year, local.isoformat())
    return local.date(), local.time().replace(tzinfo=None)


def _range(value: str, pivot: int, error: DateParseError):
    """((start, precision, base precision, time), end Timestamp) of a range written in one cell, None
    when `value` is not one; raises DateParseError (`RANGE_REASON`) for a range that is not of days or
    splits more than one way. `error` is why the cell does not read as one date."""
    s = " ".join(value.strip().lower().split())
    lead = _RANGE_LEAD.match(s)
    separators = _RANGE_SEP
    if lead:
        s, separators = s[lead.end():], _RANGE_SEP_AND if lead["word"] == "between" else _RANGE_SEP
    found, bad_end = [], None
    for sep in separators.finditer(s):
        left, right = s[: sep.start()], s[sep.end():]
        if not left or not right:
            continue
        try:
            end = _from_text(right, pivot)
        except DateParseError as exc:
            end = None
            if bad_end is None and _LOOKS_LIKE_DATE.search(right):
                bad_end = (left, exc)
        if end is None:  # a range of times on one day: "05/04/2007 14:30-15:00"
            end_time = _time_from_text(right)
            try:
                start = _from_text(left, pivot) if end_time is not None else None
            except DateParseError:
                start = None
            if start is not None and start[2] == "day" and start[3] is not None:
                found.append((start, pd.Timestamp(dt.datetime.combine(start[0], end_time))))
            continue
        start = _range_start(left, end[0], pivot)
        if start is not None:
            found.append((start, pd.Timestamp(dt.datetime.combine(end[0], end[3] or _MIDNIGHT)), end[2]))
    shown = value.strip()
    if not found and bad_end is not None:
        try:
            start = _from_text(bad_end[0], pivot)
        except DateParseError:
            start = None
        if start is not None and start[2] == "day":
            raise DateParseError(f"{shown!r} looks like a date range, but its end does not read: "
                                 f"{bad_end[1].reason}", value)
    if not found:
        return None
    if len(found) > 1:
        raise DateParseError(f"{shown!r} looks like a date range but splits more than one way: {RANGE_REASON}", value)
    (start, end, *end_base) = found[0]
    if start[2] != "day" or end_base and end_base[0] != "day":
        raise DateParseError(f"{shown!r} is {RANGE_REASON}", value)
    return start, end


def _range_start(left: str, end: dt.date, pivot: int):
    """The start of a range from its text, which may leave out what it shares with the end: "3" (-5
    April 2007), "3 April" (- 5 May 2007), "03/04" (-05/04/2007), "March" (-April 2007). None when it
    does not read."""
    try:
        return _from_text(left, pivot)
    except DateParseError:
        pass
    day = _DAY_ONLY.fullmatch(left)
    try:
        if day:
            date = _real_date(end.year, end.month, int(day["d"]), left)
            return date, "day", "day", None
        if _DAY_MONTH.fullmatch(left):
            return _from_text(f"{left}/{end.year}", pivot)
        return _from_text(f"{left} {end.year}", pivot)
    except DateParseError:
        return None


@functools.lru_cache(maxsize=65536)
def approximate_unit(text) -> str:
    """What an approximate date written as `text` (a contact's ``date_text``) is known to: "month" for
    "c. June 2007" / "early June 2007" (shown "c. Jun 2007"), "day" for "c. 20/07/2023" / "w/c 3/4/07",
    "year" for a year; "" when `text` is not a date read from text. The timeline keeps one precision,
    ``approximate``, for all of them; the displays ask this to show an approximate month as a month."""
    if not isinstance(text, str) or not text.strip():
        return ""
    try:
        return _from_text(text, 70)[2]
    except DateParseError:
        pass
    try:
        return "day" if _range(text, 70, DateParseError("")) is not None else ""
    except DateParseError:
        return ""


#: (s22, QA12 D6) a date written as the week it falls in: "w/c 03/04/2023", "week commencing 3rd April 2023",
#: "w/b 3/4/23" (the week starting that day), "w/e 09/04/2023", "week ending ..." (the week ending that day)
_WEEK_COMMENCING = re.compile(r"(?:week\s+commencing|week\s+beginning|w/c|w\.c\.|wc(?=[\s\d])|w/b)\s*")
_WEEK_ENDING = re.compile(r"(?:week\s+ending|w/e|w\.e\.)\s*")


@functools.lru_cache(maxsize=65536)
def week_unit(text) -> str:
    """(s22, QA12 D6) "commencing" for a day-dated week written "w/c 03/04/2023" / "week commencing 3rd April
    2023" / "w/b 3/4/23" (read, as every date, UK day-first: the week starting 3 April 2023), "ending" for "w/e
    09/04/2023" / "week ending ..." (the week ending that day), else "" (no such prefix, or a month: "w/c April
    2023" is no week). `parse_date` keeps such a date's day with precision ``approximate``; the rules read its
    period as that week (`review.rules.base._period_bounds`), not the day +- approximate_span_days, and show it
    as written ("w/c 3 Apr 2023")."""
    if not isinstance(text, str) or not text.strip():
        return ""
    s = " ".join(text.strip().lower().split())
    for unit, prefix in (("commencing", _WEEK_COMMENCING), ("ending", _WEEK_ENDING)):
        if prefix.match(s):
            try:
                parsed = parse_date(text)
            except DateParseError:
                return ""
            return unit if parsed.precision == "approximate" and approximate_unit(text) == "day" else ""
    return ""
