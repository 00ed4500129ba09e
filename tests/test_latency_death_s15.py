"""The latency table, its chart and the thematic latency say when the child died before the response window
ended with no escalation (fifteenth session): "child died within 90 days, no escalation before", not "no
escalation within 90 days"; `died_before_window` in the table behind the chart and in the thematic table."""
from __future__ import annotations

import datetime as dt
from pathlib import Path

import pandas as pd

from review.charts import plot_response_latency
from review.config import CaseConfig
from review.rules import load_rules
from review.rules.latency import response_latency
from review.rules.testing import make_timeline
from review.thematic import latency_by_agency_kind, plot_latency_by_agency_kind

RULES = load_rules()
HV = {"agency": "Health Visiting", "agency_kind": "health"}


def case(death=None):
    return CaseConfig(case_dir=Path("."), case_id="C1", date_of_birth=dt.date(2023, 1, 1),
                      date_of_death=None if death is None else pd.Timestamp(death).date())


ROWS = [
    # a concern 1 Feb 2023, never escalated: the window (90 days) ended 2 May, before the death
    {"date": "2023-02-01", **HV, "contact_type": "home_visit", "concerns": "neglect", "description": "Home conditions poor."},
    # a concern 1 Jun 2023: the child died 20 Jun, 19 days later, no escalation before
    {"date": "2023-06-01", **HV, "contact_type": "home_visit", "concerns": "neglect", "description": "Home conditions poor."},
]


def test_latency_table_marks_a_concern_the_death_censored():
    alive = response_latency(make_timeline(ROWS), rules=RULES, case=case())
    assert alive["died_before_window"].tolist() == [False, False]
    dead = response_latency(make_timeline(ROWS), rules=RULES, case=case("2023-06-20"))
    assert dead["died_before_window"].tolist() == [False, True]
    assert (dead["first_escalation_event_id"] == "").all()


def test_latency_chart_labels_died_not_never():
    max_days = RULES["settings"]["response_latency"]["response_max_days"]
    dead = response_latency(make_timeline(ROWS), rules=RULES, case=case("2023-06-20"))
    fig = plot_response_latency(dead, max_days=max_days)
    texts = [t.get_text() for t in fig.axes[0].texts]
    assert texts.count(f"no escalation within {max_days} days") == 1  # before: 2
    # with its lower bound, the days from the concern to the death (s16): "... no escalation before (at least N days)"
    died = [t for t in texts if t.startswith(f"child died within {max_days} days, no escalation before")]
    assert len(died) == 1 and died[0].endswith(f"(at least {int(dead['latency_at_least_days'].iloc[1])} days)")
    gids = sorted(p.get_gid() for p in fig.axes[0].patches if p.get_gid())
    assert gids == ["latency:C1-e001:never", "latency:C1-e002:died"]
    title = " ".join(fig._suptitle.get_text().split())  # wrapped to the figure width (s15b)
    assert f"1 with no escalation within {max_days} days, 1 not escalated before the child's death" in title
    assert fig.review_alt_text.endswith(f"1 not escalated before the child's death (within {max_days} days).")


def test_thematic_latency_counts_the_death_apart():
    dead = response_latency(make_timeline(ROWS), rules=RULES, case=case("2023-06-20"))
    table = latency_by_agency_kind(dead.assign(case_id="C1")).set_index("agency_kind")
    assert table.loc["health", ["concerns", "never_escalated", "died_before_window"]].tolist() == [2, 1, 1]  # before: 2, 2, 1
    labels = [t.get_text() for t in plot_latency_by_agency_kind(dead).axes[0].get_yticklabels()]
    assert labels == ["health\n1/2 never escalated, 1 child died first"]
    # a table written before the column existed: none counted
    old = latency_by_agency_kind(dead.drop(columns="died_before_window"))
    assert old["died_before_window"].tolist() == [0]
