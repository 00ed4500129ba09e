"""Defects of the rules found in review (s8):

1. the censored `child_not_seen` flag (open concerns still running at the end of the review) read concerns as
   open by the default 90-day concern window, not by the case's own (case.yml ``timeline:
   concern_window_days``), the window its timeline's ``open_concerns`` (and so the uncensored flag) used;
"""
from __future__ import annotations

import datetime as dt
import sys
from pathlib import Path

import pandas as pd
import pytest

from review.config import CaseConfig
from review.rules import detect, load_rules
from review.rules.testing import make_timeline

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "benchmarks"))
import baseline_rowwise  # noqa: E402

RULES = load_rules()
GP = {"agency": "GP", "agency_kind": "health"}


def write_case(folder: Path, rows: list[list[str]], *, review_date: str, extra: str = "") -> Path:
    """A case folder with one csv chronology (Date, Agency, Type of contact, Details, Outcome, Analysis,
    Child seen) and its case.yml (`extra` appended to it)."""
    import csv

    folder.mkdir(parents=True, exist_ok=True)
    (folder / "case.yml").write_text(
        f"case_id: S8\ndate_of_birth: 2022-01-01\nreview_date: {review_date}\n{extra}", encoding="utf-8")
    with open(folder / "chronology.csv", "w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(["Date", "Agency", "Type of contact", "Details", "Outcome", "Analysis", "Child seen"])
        writer.writerows(rows)
    return folder


def analyse_folder(folder: Path):
    from review.pipeline import analyse, load_case

    return analyse(load_case(folder))


# --- 1. the censored child_not_seen flag and the case's concern window -----------------------------------
def concern_config(review: str, window: int | None) -> CaseConfig:
    raw = {"timeline": {"concern_window_days": window}} if window is not None else {}
    return CaseConfig(case_dir=Path("."), case_id="C1", date_of_birth=dt.date(2020, 1, 1),
                      review_date=pd.Timestamp(review).date(), raw=raw)


def neglect_seen(date: str) -> dict:
    return {"date": date, "contact_type": "clinic_appointment", "child_seen": True, "concerns": "neglect",
            "open_concerns": "neglect", "on_cp_plan": False, **GP}


@pytest.mark.parametrize(
    "review, window, flagged",
    [
        ("2024-03-15", None, True),   # the concern of 1 Jan is 74 days old at the end: open by the default 90 days
        ("2024-03-15", 30, False),    # ...but not by the case's 30-day window
        ("2024-04-20", None, False),  # 110 days old: closed by the default window
        ("2024-04-20", 120, True),    # ...still open by the case's 120-day window
    ],
)
def test_open_concerns_at_the_end_of_the_review_use_the_case_concern_window(review, window, flagged):
    timeline = make_timeline([neglect_seen("2024-01-01")], dob="2020-01-01")
    flags = detect(timeline, concern_config(review, window), RULES, only=["child_not_seen"])
    assert (len(flags) == 1) is flagged
    if flagged:
        assert flags.iloc[0].flag_id.startswith("child_not_seen-")
        assert "and the end of the review on" in flags.iloc[0].explanation


def test_concern_window_days_reads_case_yml_timeline_options():
    from review.rules.base import concern_window_days

    assert concern_window_days(None, "C1") == 90
    assert concern_window_days(concern_config("2024-01-01", None), "C1") == 90
    assert concern_window_days(concern_config("2024-01-01", 7), "C1") == 7
    assert concern_window_days({"C1": concern_config("2024-01-01", 7)}, "C2") == 90


def test_case_folder_concern_window_reaches_the_censored_flag_as_it_reaches_the_timeline(tmp_path):
    """End to end: case.yml's window makes the timeline's open concerns and the censored flag agree."""
    rows = [["01/01/2024", "GP", "GP appointment", "Neglect: child unkempt, nappy rash", "", "", "Yes"]]
    default = analyse_folder(write_case(tmp_path / "default", rows, review_date="2024-04-20"))
    longer = analyse_folder(write_case(tmp_path / "longer", rows, review_date="2024-04-20",
                                       extra="timeline:\n  concern_window_days: 120\n"))
    shorter = analyse_folder(write_case(tmp_path / "shorter", rows, review_date="2024-03-15",
                                        extra="timeline:\n  concern_window_days: 30\n"))
    at_end = lambda a: a.flags[a.flags["rule_id"].eq("child_not_seen")  # noqa: E731
                               & a.flags["explanation"].str.startswith("No sighting")]
    assert at_end(default).empty                       # 110 days > 90: not open at the end
    assert len(at_end(longer)) == 1                    # 110 days <= 120: open, unseen for 110 days > 42
    assert at_end(shorter).empty                       # 74 days > 30
    assert longer.timeline["open_concerns"].iloc[0] == "neglect"


def test_store_case_configs_carry_the_timeline_options():
    """A store's case table keeps each case's timeline options: the rules read its window from them (so the
    Dask path gives the flags build_all stored)."""
    from review.rules.base import concern_window_days
    from review.store import case_configs

    cases = pd.DataFrame({"case_id": ["C1", "C2", "C3"], "date_of_birth": pd.to_datetime(["2020-01-01"] * 3),
                          "review_date": pd.to_datetime(["2024-04-20"] * 3),
                          "timeline_options": ['{"concern_window_days":120}', "{}", ""]})
    configs = case_configs(cases)
    assert [concern_window_days(configs, c) for c in ("C1", "C2", "C3")] == [120, 90, 90]
    timeline = make_timeline([neglect_seen("2024-01-01")], dob="2020-01-01")
    assert len(detect(timeline, configs, RULES, only=["child_not_seen"])) == 1


def test_baseline_uses_the_case_concern_window():
    rows = [{"case_id": "C1", "event_id": "C1-e001", "date": dt.datetime(2024, 1, 1), "date_precision": "day",
             "agency": "GP", "agency_kind": "health", "contact_type": "clinic_appointment", "child_seen": True,
             "concerns": "neglect", "escalation": "", "description": "", "action": "", "source_row": 2}]
    for window, review, expected in ((None, dt.date(2024, 4, 20), 0), (120, dt.date(2024, 4, 20), 1),
                                     (30, dt.date(2024, 3, 15), 0)):
        case = {"date_of_birth": dt.date(2020, 1, 1), "review_date": review, "concern_window_days": window}
        _, flags = baseline_rowwise.run([dict(r) for r in rows], {"C1": case}, RULES)
        assert len([f for f in flags if f["rule_id"] == "child_not_seen"]) == expected, window
