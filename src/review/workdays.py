"""Working days in England and Wales: weekends and bank holidays excluded.

Statutory timescales in safeguarding guidance are counted in working days ("a decision within one working
day of a referral"). Bank holidays come from the `holidays` package (`holidays.UK(subdiv="ENG")`, which
includes substitute days such as "Boxing Day (observed)" and one-off holidays such as jubilees and state
funerals; England and Wales share the same list), shipped for 1990-2040 as data/bank_holidays_england.csv
(written from that package by scripts/make_bank_holidays.py and tested equal to it) so that no process pays
the package's ~0.1 s first use; other years come from the package. Everything is vectorised with numpy's
busday functions.

Conventions (chosen so that ``working_days_between(d, add_working_days(d, n)) == n`` for ``n > 0``):

* ``add_working_days(d, n)`` for ``n > 0`` is the n-th working day *after* the day of ``d`` (a concern
  raised on a Saturday is due "within 1 working day" on the Monday); for ``n < 0`` the n-th working day
  before it; for ``n == 0`` the day itself, or the next working day when it is not one.
* ``working_days_between(start, end)`` counts the working days in ``(start, end]`` by calendar day;
  negative when ``end`` is before ``start``.
* A time of day on the input is kept on the output of `add_working_days`; NaT gives NaT / <NA>.
"""
from __future__ import annotations

import datetime as dt
from functools import lru_cache
from pathlib import Path

import numpy as np
import pandas as pd

#: years always covered by the bank holiday calendar; dates outside are covered on demand
HOLIDAY_YEARS = (2000, 2035)

WEEKMASK = "1111100"  # Monday..Friday


#: the shipped table (scripts/make_bank_holidays.py writes it from `holidays`; a test keeps them equal)
HOLIDAY_TABLE = Path(__file__).parent / "data" / "bank_holidays_england.csv"
TABLE_YEARS = (1990, 2040)


@lru_cache(maxsize=1)
def _table() -> np.ndarray:
    """The shipped bank holidays (datetime64[D], sorted): reading it costs ~1 ms, where the `holidays`
    package's country registry costs ~0.1 s on first use in every process."""
    lines = HOLIDAY_TABLE.read_text(encoding="utf-8").splitlines()
    return np.array(sorted(line.split(",", 1)[0] for line in lines[2:] if line.strip()), dtype="datetime64[D]")


@lru_cache(maxsize=16)
def _calendar(first_year: int, last_year: int) -> np.busdaycalendar:
    if TABLE_YEARS[0] <= first_year and last_year <= TABLE_YEARS[1]:
        table = _table()
        years = table.astype("datetime64[Y]").astype("int64") + 1970
        days = table[(years >= first_year) & (years <= last_year)]
    else:  # years beyond the shipped table: from the package itself
        import holidays

        days = np.array(sorted(holidays.UK(subdiv="ENG", years=range(first_year, last_year + 1))),
                        dtype="datetime64[D]")
    return np.busdaycalendar(weekmask=WEEKMASK, holidays=days)


def bank_holidays(first_year: int = HOLIDAY_YEARS[0], last_year: int = HOLIDAY_YEARS[1]) -> pd.DatetimeIndex:
    """England and Wales bank holidays (including substitute days) between the two years, inclusive."""
    return pd.DatetimeIndex(_calendar(first_year, last_year).holidays.astype("datetime64[ns]"), name="date")


def _as_array(dates) -> tuple[np.ndarray, pd.Index | None, bool]:
    """(datetime64[ns] array, the Series index or None, was_scalar) — numpy from here on, for speed on
    the many small calls the rules make (one per case)."""
    if isinstance(dates, pd.Series):
        if getattr(dates.dtype, "kind", "") == "M":  # naive datetimes of any unit
            return dates.to_numpy(dtype="datetime64[ns]"), dates.index, False
        return pd.to_datetime(dates).to_numpy(dtype="datetime64[ns]"), dates.index, False
    if isinstance(dates, (pd.Index, np.ndarray, list, tuple)):
        return pd.to_datetime(list(dates)).to_numpy(dtype="datetime64[ns]"), None, False
    value = pd.NaT if dates is None else pd.Timestamp(dates)
    return np.array([value.to_datetime64() if value is not pd.NaT else np.datetime64("NaT")],
                    dtype="datetime64[ns]"), None, True


_PLACEHOLDER = np.datetime64("2000-01-03", "D")  # a Monday; NaT rows are masked afterwards


def _days(values: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """(calendar days as datetime64[D] with NaT replaced by a placeholder, NaT mask)."""
    missing = np.isnat(values)
    days = values.astype("datetime64[D]")  # floors to the day
    days[missing] = _PLACEHOLDER
    return days, missing


def _calendar_for(*day_arrays: np.ndarray) -> np.busdaycalendar:
    first, last = HOLIDAY_YEARS
    for days in day_arrays:
        if len(days):
            years = days.astype("datetime64[Y]").astype("int64") + 1970
            first = min(first, int(years.min()) - 1)
            last = max(last, int(years.max()) + 1)
    return _calendar(first, last)


def _wrap(values, index, dtype) -> pd.Series:
    return pd.Series(values, index=index if index is not None else pd.RangeIndex(len(values)), dtype=dtype,
                     copy=False)


def is_working_day(dates):
    """True for Monday-Friday dates that are not England and Wales bank holidays (NA for NaT)."""
    values, index, scalar = _as_array(dates)
    days, missing = _days(values)
    result = pd.array(np.is_busday(days, busdaycal=_calendar_for(days)), dtype="boolean")
    result[missing] = pd.NA
    if scalar:
        return pd.NA if missing[0] else bool(result[0])
    return _wrap(result, index, "boolean")


def _offset(days: np.ndarray, n: np.ndarray, cal: np.busdaycalendar) -> np.ndarray:
    out = np.empty(len(days), dtype="datetime64[D]")
    ahead = n > 0
    out[ahead] = np.busday_offset(days[ahead], n[ahead], roll="backward", busdaycal=cal)
    out[~ahead] = np.busday_offset(days[~ahead], n[~ahead], roll="forward", busdaycal=cal)
    return out


def add_working_days(dates, n):
    """The date `n` working days after (or before, for negative `n`) each date.

    `dates`: a Timestamp/date or a Series; `n`: an int or an array/Series of ints aligned with `dates`.
    Returns the same kind as `dates` (Series keeps its index); NaT stays NaT.
    """
    values, index, scalar = _as_array(dates)
    n_arr = np.broadcast_to(np.asarray(n.to_numpy() if isinstance(n, pd.Series) else n, dtype="int64"),
                            (len(values),))
    days, missing = _days(values)
    cal = _calendar_for(days)
    if len(days) > 1000 and np.abs(n_arr).max(initial=0) < (1 << 23):
        # long chronologies repeat the same days: offset each distinct (day, n) once
        key = days.astype("int64") * (1 << 24) + (n_arr + (1 << 23))
        _, first, inverse = np.unique(key, return_index=True, return_inverse=True)
        moved = _offset(days[first], n_arr[first], cal)[inverse.reshape(-1)]
    else:
        moved = _offset(days, n_arr, cal)
    out = moved.astype("datetime64[ns]") + (values - days.astype("datetime64[ns]"))  # keep the time of day
    out[missing] = np.datetime64("NaT")
    if scalar:
        value = pd.Timestamp(out[0])
        if isinstance(dates, dt.date) and not isinstance(dates, dt.datetime) and value is not pd.NaT:
            return value.date()
        return value
    return _wrap(out, index, "datetime64[ns]")


def working_days_between(start, end):
    """Working days in ``(start, end]`` (by calendar day); negative when end is before start.

    Series in, nullable Int64 Series out (NA where either side is NaT); scalars in, int (or NA) out.
    """
    s, s_index, scalar_s = _as_array(start)
    e, e_index, scalar_e = _as_array(end)
    if scalar_s and not scalar_e:
        s = np.repeat(s, len(e))
    elif scalar_e and not scalar_s:
        e = np.repeat(e, len(s))
    elif len(s) != len(e):
        raise ValueError("start and end must have the same length")
    index = s_index if s_index is not None else e_index
    s_days, s_missing = _days(s)
    e_days, e_missing = _days(e)
    one = np.timedelta64(1, "D")
    counts = np.busday_count(s_days + one, e_days + one, busdaycal=_calendar_for(s_days, e_days))
    result = pd.array(counts, dtype="Int64")
    result[s_missing | e_missing] = pd.NA
    if scalar_s and scalar_e:
        return pd.NA if (s_missing[0] or e_missing[0]) else int(counts[0])
    return _wrap(result, index, "Int64")
