"""s15: a season is read as its three months (precision "season"), not the whole year, and a partial-date
response answers a concern only when its whole period lies on or after it (`base.first_response`); one that
cannot be placed after the concern is named in the flag's explanation. From QA's repro_season."""
from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

from review.cli import main
from review.ingest.dates import DateParseError, parse_date, season_label, season_note
from review.rules.base import _period_bounds

CASE_YML = "case_id: repro_season\ndate_of_birth: 2005-09-12\nreview_date: 2021-12-31\n"
HEADER = "Date,Agency,Type of contact,Details,Outcome\n"
MISSING = "{d},Eastborough Police,Missing person,Ellie reported missing overnight. Found with two adult males.,Returned home. Intel submitted.\n"
INJURY = "{d},Northgate University Hospital,A&E attendance,Laceration to hand. NAI suspected.,Discharged. No safeguarding referral.\n"
STRATEGY = "{d},Eastborough Childrens Social Care,Strategy discussion,Strategy discussion re CSE.,CSE panel\n"


def _case(tmp_path: Path, missing: str, injury: str, strategy: str) -> Path:
    (tmp_path / "case.yml").write_text(CASE_YML, encoding="utf-8")
    (tmp_path / "chron.csv").write_text(
        HEADER + MISSING.format(d=missing) + INJURY.format(d=injury) + STRATEGY.format(d=strategy), encoding="utf-8")
    return tmp_path


@pytest.mark.parametrize("text, start, end", [
    ("Spring 2021", "2021-03-01", "2021-05-31"), ("Summer 2021", "2021-06-01", "2021-08-31"),
    ("autumn 07", "2007-09-01", "2007-11-30"), ("Winter 2020/21", "2020-12-01", "2021-02-28"),
    ("Winter 2021", "2020-12-01", "2021-02-28"), ("c. Summer 2007", "2007-06-01", "2007-08-31"),
])
def test_a_season_is_its_three_months(text, start, end):
    # before: Spring 2021 was 2021-01-01, precision year (its period the whole year); a winter was an error
    p = parse_date(text)
    assert (p.date, p.precision, p.end) == (pd.Timestamp(start), "season", None)
    first, last = _period_bounds(pd.Series([p.date]), pd.Series([p.precision]), 31)
    assert (first[0], last[0]) == (pd.Timestamp(start), pd.Timestamp(end))


def test_season_labels_and_the_winter_ambiguity_note():
    assert season_label(parse_date("Spring 2021").date) == "Spring 2021"
    assert season_label(parse_date("Winter 2021").date) == "Winter 2020/21"
    assert "December 2021 to February 2022" in season_note("Winter 2021")
    assert season_note("Winter 2020/21") == "" and season_note("Spring 2021") == ""
    with pytest.raises(DateParseError, match="not into 2022"):
        parse_date("Winter 2020/22")


def test_a_single_year_winter_is_read_with_a_warning_naming_file_row_and_column(tmp_path: Path, capsys):
    (tmp_path / "case.yml").write_text(CASE_YML, encoding="utf-8")
    (tmp_path / "chron.csv").write_text(HEADER + STRATEGY.format(d="Winter 2021"), encoding="utf-8")
    main(["validate", str(tmp_path)])
    out = capsys.readouterr().out
    assert "1 accepted, 0 rejected" in out
    assert "chron.csv" in out and "row 2" in out and "'Date'" in out and "winter 2020/21" in out


def _flags(tmp_path: Path, capsys) -> str:
    main(["flags", str(tmp_path)])
    return capsys.readouterr().out


def test_a_spring_strategy_discussion_no_longer_silences_an_autumn_injury(tmp_path: Path, capsys):
    # before: "Case repro_season: no flags." (Spring 2021 read as the whole of 2021)
    out = _flags(_case(tmp_path, "03/02/2021", "24/10/2021", "Spring 2021"), capsys)
    flat = " ".join(out.split())  # (the table's columns widen with the longest rule id)
    assert "exploitation_not_referred 2021-02-03" in flat
    assert "injury_not_escalated 2021-10-24 high" in flat
    assert "recorded for Spring 2021, after the deadline" in " ".join(out.split())


def test_a_season_that_cannot_be_placed_after_the_concern_is_not_its_response_and_is_named(tmp_path: Path, capsys):
    # the concerns fall inside Spring 2021: the strategy discussion may have come before them
    out = " ".join(_flags(_case(tmp_path, "15/04/2021", "20/04/2021", "Spring 2021"), capsys).split())
    # (s20: and the missing child's return with no return home interview, return_interview_or_nrm_late)
    assert "3 candidate missed escalation points" in out and "return_interview_or_nrm_late" in out
    assert out.count("a strategy discussion by Eastborough Childrens Social Care dated only 'Spring 2021' "
                     "cannot be placed after this concern") == 2


def test_a_month_wholly_after_the_concern_still_answers_it(tmp_path: Path, capsys):
    # injury 31 May, a strategy discussion recorded for June 2021: June begins by the deadline (2 June), so it
    # may have been in time: no injury flag; the February missing episode's is late (June, after its deadline)
    out = " ".join(_flags(_case(tmp_path, "03/02/2021", "31/05/2021", "Jun 2021"), capsys).split())
    assert "cannot be placed" not in out and "injury_not_escalated" not in out
    assert "exploitation_not_referred 2021-02-03" in out


def test_the_latency_table_does_not_take_an_unplaceable_season_as_the_next_escalation(tmp_path: Path):
    from review.pipeline import analyse, load_case

    analysis = analyse(load_case(_case(tmp_path, "15/04/2021", "24/10/2021", "Spring 2021")))
    latency = analysis.response_latency
    by_date = latency.set_index(latency["date"].dt.strftime("%Y-%m-%d"))
    assert by_date.loc["2021-10-24", "first_escalation_event_id"] in ("", None) or \
        pd.isna(by_date.loc["2021-10-24", "first_escalation_event_id"])
    assert by_date.loc["2021-04-15", "first_escalation_event_id"] in ("", None) or \
        pd.isna(by_date.loc["2021-04-15", "first_escalation_event_id"])
