import datetime as dt

import pandas as pd
from hypothesis import given, settings
from hypothesis import strategies as st

from review.workdays import add_working_days, bank_holidays, is_working_day, working_days_between

T = pd.Timestamp


def test_weekend_is_skipped():
    # Friday 2023-03-03 + 1 working day = Monday 2023-03-06
    assert add_working_days(T("2023-03-03"), 1) == T("2023-03-06")
    assert working_days_between(T("2023-03-03"), T("2023-03-06")) == 1
    assert not is_working_day(T("2023-03-04"))
    assert is_working_day(T("2023-03-06"))


def test_saturday_start_counts_from_next_working_day():
    assert add_working_days(T("2023-03-04"), 1) == T("2023-03-06")  # Sat -> Mon
    assert add_working_days(T("2023-03-04"), 0) == T("2023-03-06")
    assert add_working_days(T("2023-03-04"), -1) == T("2023-03-03")  # Sat -> Fri


def test_easter_good_friday_and_easter_monday():
    # Thursday 6 April 2023 + 1 working day skips Good Friday (7th), the weekend and Easter Monday (10th)
    assert add_working_days(T("2023-04-06"), 1) == T("2023-04-11")
    assert not is_working_day(T("2023-04-07"))
    assert not is_working_day(T("2023-04-10"))
    assert working_days_between(T("2023-04-06"), T("2023-04-11")) == 1


def test_christmas_and_boxing_day_substitutes():
    # 2021: Christmas on Saturday, Boxing Day on Sunday -> substitutes Monday 27th and Tuesday 28th
    assert not is_working_day(T("2021-12-27"))
    assert not is_working_day(T("2021-12-28"))
    assert add_working_days(T("2021-12-24"), 1) == T("2021-12-29")
    # 2020: Boxing Day on Saturday -> substitute Monday 28th
    assert add_working_days(T("2020-12-24"), 1) == T("2020-12-29")
    assert T("2020-12-28") in bank_holidays()


def test_one_off_bank_holidays_included():
    assert not is_working_day(T("2022-09-19"))  # state funeral
    assert not is_working_day(T("2023-05-08"))  # coronation


def test_series_keep_index_time_and_nat():
    dates = pd.Series([T("2023-03-03 14:30"), pd.NaT, T("2023-03-06")], index=[10, 11, 12])
    out = add_working_days(dates, 2)
    assert list(out.index) == [10, 11, 12]
    assert out[10] == T("2023-03-07 14:30")
    assert pd.isna(out[11])
    assert out[12] == T("2023-03-08")
    between = working_days_between(dates, pd.Series([T("2023-03-10")] * 3, index=dates.index))
    assert str(between.dtype) == "Int64"
    assert between.tolist()[0] == 5 and pd.isna(between[11]) and between[12] == 4
    assert is_working_day(dates).tolist()[0] is True


def test_vector_n_and_negative_between():
    dates = pd.Series([T("2023-03-06"), T("2023-03-06")])
    out = add_working_days(dates, pd.Series([1, -1]))
    assert out.tolist() == [T("2023-03-07"), T("2023-03-03")]
    assert working_days_between(T("2023-03-10"), T("2023-03-03")) == -5


def test_plain_date_in_plain_date_out():
    assert add_working_days(dt.date(2023, 3, 3), 1) == dt.date(2023, 3, 6)


@settings(max_examples=200, deadline=None)
@given(st.dates(min_value=dt.date(2000, 1, 1), max_value=dt.date(2035, 6, 30)), st.integers(1, 60))
def test_add_then_count_round_trips(day, n):
    end = add_working_days(pd.Timestamp(day), n)
    assert working_days_between(pd.Timestamp(day), end) == n
    if n > 0:
        assert is_working_day(end)


def test_shipped_bank_holiday_table_equals_the_holidays_package():
    """data/bank_holidays_england.csv must list exactly holidays.UK(subdiv="ENG") for the years it covers;
    when a `holidays` release adds a one-off bank holiday, re-run scripts/make_bank_holidays.py."""
    import holidays
    import numpy as np

    from review import workdays

    first, last = workdays.TABLE_YEARS
    expected = np.array(sorted(holidays.UK(subdiv="ENG", years=range(first, last + 1))), dtype="datetime64[D]")
    assert np.array_equal(workdays._table(), expected)
    workdays._calendar.cache_clear()
    try:
        from_table = workdays._calendar(2000, 2035).holidays
        beyond = workdays._calendar(1980, 2035).holidays  # outside the table: from the package
    finally:
        workdays._calendar.cache_clear()
    in_range = expected[(expected >= np.datetime64("2000-01-01")) & (expected <= np.datetime64("2035-12-31"))]
    assert np.array_equal(from_table, np.busdaycalendar(weekmask=workdays.WEEKMASK, holidays=in_range).holidays)
    assert np.array_equal(beyond[beyond >= np.datetime64("2000-01-01")], from_table)
    assert beyond[0] < np.datetime64("1981-01-01")
