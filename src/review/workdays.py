"""Working days in England and Wales: weekends and bank holidays excluded.

Statutory timescales in safeguarding guidance are counted in working days ("a decision within one working
day of a referral"). Bank holidays come from the `holidays` package (`holidays.UK(subdiv="ENG")`, which
includes substitute days such as "Boxing Day (observed)" and one-off holidays such as jubilees and state
funerals; England and Wales share the same list). Everything is vectorised with numpy's busday functions.

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

import holidays
import numpy as np
import pandas as pd

#: years always covered by the bank holiday calendar; dates outside are covered on demand
HOLIDAY_YEARS = (2000, 2035)

WEEKMASK = "1111100"  # Monday..Friday


@lru_cache(maxsize=16)
def _calendar(first_year: int, last_year: int) -> np.busdaycalendar:
    days = holidays.UK(subdiv="ENG", years=range(first_year, last_year + 1))
    return np.busdaycalendar(weekmask=WEEKMASK, holidays=np.array(sorted(days), dtype="datetime64[D]"))


def bank_holidays(first_year: int = HOLIDAY_YEARS[0], last_year: int = HOLIDAY_YEARS[1]) -> pd.DatetimeIndex:
    """England and Wales bank holidays (including substitute days) between the two years, inclusive."""
    return pd.DatetimeIndex(_calendar(first_year, last_year).holidays.astype("datetime64[ns]"), name="date")


def _as_series(dates) -> tuple[pd.Series, bool]:
    """(datetime64 Series, was_scalar)."""
    if isinstance(dates, pd.Series):
        return pd.to_datetime(dates).astype("datetime64[ns]"), False
    if isinstance(dates, (pd.Index, np.ndarray, list, tuple)):
        return pd.Series(pd.to_datetime(list(dates)), dtype="datetime64[ns]"), False
    return pd.Series([pd.NaT if dates is None else pd.Timestamp(dates)], dtype="datetime64[ns]"), True


def _calendar_for(*series: pd.Series) -> np.busdaycalendar:
    first, last = HOLIDAY_YEARS
    for s in series:
        valid = s.dropna()
        if len(valid):
            first = min(first, int(valid.min().year) - 1)
            last = max(last, int(valid.max().year) + 1)
    return _calendar(first, last)


def _days(s: pd.Series) -> np.ndarray:
    """Calendar days as datetime64[D] (NaT filled with a harmless placeholder; mask separately)."""
    return s.dt.normalize().fillna(pd.Timestamp("2000-01-03")).to_numpy().astype("datetime64[D]")


def is_working_day(dates):
    """True for Monday-Friday dates that are not England and Wales bank holidays (NA for NaT)."""
    s, scalar = _as_series(dates)
    result = np.is_busday(_days(s), busdaycal=_calendar_for(s))
    out = pd.Series(result, index=s.index, dtype="boolean").mask(s.isna())
    if scalar:
        value = out.iloc[0]
        return pd.NA if pd.isna(value) else bool(value)
    return out


def add_working_days(dates, n):
    """The date `n` working days after (or before, for negative `n`) each date.

    `dates`: a Timestamp/date or a Series; `n`: an int or an array/Series of ints aligned with `dates`.
    Returns the same kind as `dates` (Series keeps its index); NaT stays NaT.
    """
    s, scalar = _as_series(dates)
    n_arr = np.broadcast_to(np.asarray(n.to_numpy() if isinstance(n, pd.Series) else n, dtype="int64"), (len(s),))
    cal = _calendar_for(s)
    days = _days(s)
    forward = np.busday_offset(days, n_arr, roll="backward", busdaycal=cal)
    other = np.busday_offset(days, n_arr, roll="forward", busdaycal=cal)
    moved = np.where(n_arr > 0, forward, other).astype("datetime64[ns]")
    time_of_day = (s - s.dt.normalize()).to_numpy()
    out = pd.Series(moved, index=s.index) + pd.to_timedelta(time_of_day)
    out = out.astype("datetime64[ns]").mask(s.isna())
    if scalar:
        value = out.iloc[0]
        if isinstance(dates, dt.date) and not isinstance(dates, dt.datetime):
            return value.date()
        return value
    return out


def working_days_between(start, end):
    """Working days in ``(start, end]`` (by calendar day); negative when end is before start.

    Series in, nullable Int64 Series out (NA where either side is NaT); scalars in, int (or NA) out.
    """
    s, scalar_s = _as_series(start)
    e, scalar_e = _as_series(end)
    if scalar_s and not scalar_e:
        s = pd.Series(np.repeat(s.to_numpy(), len(e)), index=e.index)
    elif scalar_e and not scalar_s:
        e = pd.Series(np.repeat(e.to_numpy(), len(s)), index=s.index)
    elif not scalar_s and not scalar_e:
        if len(s) != len(e):
            raise ValueError("start and end must have the same length")
        e = pd.Series(e.to_numpy(), index=s.index)
    cal = _calendar_for(s, e)
    one = np.timedelta64(1, "D")
    counts = np.busday_count(_days(s) + one, _days(e) + one, busdaycal=cal)
    out = pd.Series(counts, index=s.index, dtype="Int64").mask(s.isna() | e.isna())
    if scalar_s and scalar_e:
        value = out.iloc[0]
        return pd.NA if pd.isna(value) else int(value)
    return out
