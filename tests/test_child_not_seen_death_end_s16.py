"""child_not_seen's flag for a stretch still unseen at the end of the review (s16): where the review ends at
the child's death, the death cut the search for a sighting short, as it does for the other rules' searches:
the delay is at least the days from the deadline to the death and the flag is marked delay_censored, in the
package and in the row-by-row baseline. A review ending at its review date leaves the delay empty."""
from __future__ import annotations

import datetime as dt
import sys
from pathlib import Path

import pandas as pd

from review.config import CaseConfig
from review.rules import detect, load_rules
from review.rules.testing import make_timeline

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "benchmarks"))
import baseline_rowwise  # noqa: E402

RULES = load_rules()
CSC = {"agency": "Children's Social Care", "agency_kind": "social care"}
ICPC = "Initial child protection conference: child made subject to a child protection plan (neglect)."
ROWS = [{"date": "2023-03-01", "contact_type": "cp_conference", "description": ICPC, "child_seen": True,
         "on_cp_plan": True, "escalation": "cp_conference", **CSC}]


def day(d):
    return pd.Timestamp(d).date() if d else None


def flags_of(death, review="2024-06-30"):
    case = CaseConfig(case_dir=".", case_id="C1", date_of_birth=day("2020-01-01"), date_of_death=day(death),
                      review_date=day(review))
    return detect(make_timeline(ROWS, dob="2020-01-01"), case, RULES, only=["child_not_seen"])


def baseline_of(death, review="2024-06-30"):
    timeline = make_timeline(ROWS, dob="2020-01-01")
    rows = []
    for r in timeline.astype(object).where(timeline.notna(), None).to_dict("records"):
        r["date"] = pd.Timestamp(r["date"]).to_pydatetime()
        rows.append(r)
    info = {"C1": {"date_of_birth": dt.date(2020, 1, 1), "review_date": day(review), "date_of_death": day(death)}}
    _, flags = baseline_rowwise.run(rows, info, RULES)
    return [(f["variant"], f["delay_days"], f["delay_censored"]) for f in flags if f["rule_id"] == "child_not_seen"]


def test_unseen_until_the_death_is_at_least_the_days_from_the_deadline_to_the_death():
    flags = flags_of("2023-04-10")
    assert len(flags) == 1
    f = flags.iloc[0]
    assert f["explanation"].startswith("No sighting of the child on a child protection plan")
    assert f["expected_by"] == pd.Timestamp("2023-03-15") and f["actual_action_event_id"] == ""
    assert f["delay_days"] == 26 and bool(f["delay_censored"])  # 15 Mar -> 10 Apr 2023
    assert baseline_of("2023-04-10") == [("cp_plan_at_review_end", 26.0, True)]


def test_a_review_date_before_the_death_ends_the_review_uncensored():
    flags = flags_of("2024-09-01", review="2023-04-10")
    assert len(flags) == 1
    assert pd.isna(flags.iloc[0]["delay_days"]) and not bool(flags.iloc[0]["delay_censored"])
    assert baseline_of("2024-09-01", review="2023-04-10") == [("cp_plan_at_review_end", None, False)]


def test_without_a_death_the_flag_stays_uncensored():
    flags = flags_of(None)
    assert len(flags) == 1
    assert pd.isna(flags.iloc[0]["delay_days"]) and not bool(flags.iloc[0]["delay_censored"])
    assert baseline_of(None) == [("cp_plan_at_review_end", None, False)]
