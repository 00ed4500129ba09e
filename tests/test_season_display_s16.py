"""s16: a season ("Spring 2021", "Winter 2020/21") is shown as the season everywhere, named or anonymised:
the anonymised tables keep its precision (a season is coarser than the view's month), and the workbook's
number format names the season and a winter's two years (before: "Mar 2021" in the anonymised view, the
workbook "Winter from Dec 2020")."""
from __future__ import annotations

import datetime as dt

import pandas as pd

from review import export
from review.redact import month_table


def test_the_anonymised_table_keeps_a_seasons_precision_and_label():
    timeline = pd.DataFrame({
        "date": pd.to_datetime(["2020-12-01", "2021-03-01", "2021-03-14", "2021-01-01", None]),
        "date_precision": pd.array(["season", "season", "day", "year", "season"], dtype="string"),
        "date_text": pd.array(["Winter 2020/21", "spring 21", "14/03/2021", "2021", ""], dtype="string"),
    })
    out = month_table(timeline)
    assert out["date_precision"].tolist() == ["season", "season", "month", "year", "season"]
    assert out["date_text"].tolist() == ["Winter 2020/21", "Spring 2021", "Mar 2021", "2021", ""]


def test_the_workbooks_season_format_names_the_season_and_a_winters_two_years():
    assert export.precision_format("season", value=dt.datetime(2021, 3, 1)) == '"Spring "yyyy'
    assert export.precision_format("season", True, value=dt.datetime(2021, 6, 1)) == '"Summer "yyyy'
    assert export.precision_format("season", value=dt.datetime(2020, 12, 1)) == '"Winter "yyyy"/21"'
    assert export.precision_format("season", value=dt.datetime(1999, 12, 1)) == '"Winter "yyyy"/00"'


def test_the_season_shows_alike_in_every_view():
    for value, label in ((dt.datetime(2021, 9, 1), "Autumn 2021"), (dt.datetime(2020, 12, 1), "Winter 2020/21")):
        for months in (False, True):
            assert export._event_date(value, "season", months) == label


def test_a_flags_csv_writes_a_seasons_date_as_the_season(tmp_path):
    frame = pd.DataFrame({"trigger_date": pd.to_datetime(["2020-12-01", "2021-05-03"]),
                          "actual_action_date": pd.to_datetime(["2021-03-01", None])})
    precisions = {"trigger_date": ["season", "day"], "actual_action_date": ["season", None]}
    for resolution in ("day", "month"):
        path = export.write_csv(tmp_path / f"{resolution}.csv", frame, date_resolution=resolution,
                                precisions=precisions)
        lines = path.read_text(encoding="utf-8-sig").splitlines()
        day = "2021-05-03" if resolution == "day" else "2021-05"
        assert lines[1:] == ['"Winter 2020/21","Spring 2021"', f'"{day}",""']
