"""A delay the child's death cut short is a lower bound (s16): no action is recorded before the death, so the
flag's delay_days is the days from the deadline to the death, with delay_censored True ("at least N days"),
in the flags table, flags.csv / the workbook ("yes"), the report ("at least 24"), the Word chronology, and
the row-by-row baseline; in the response latency table a concern with no escalation before the death
(died_before_window) has latency_at_least_days, shown on the latency chart."""
from __future__ import annotations

import datetime as dt
import sys
from pathlib import Path

import pandas as pd
import pytest

from review.config import CaseConfig
from review.rules import detect, load_rules, response_latency
from review.rules.testing import make_timeline

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "benchmarks"))
import baseline_rowwise  # noqa: E402

RULES = load_rules()
DEATH = "2023-03-20"
GP = {"agency": "GP", "agency_kind": "health", "contact_type": "was_not_brought", "concerns": "was_not_brought"}
CSC = {"agency": "CSC", "agency_kind": "social care"}


def case(death=DEATH):
    day = lambda d: pd.Timestamp(d).date() if d else None  # noqa: E731
    return CaseConfig(case_dir=".", case_id="C1", date_of_birth=day("2022-01-01"), date_of_death=day(death),
                      review_date=day("2023-12-31"))


ROWS = [
    {"date": "2023-01-10", "description": "DNA", **GP},
    {"date": "2023-02-10", "description": "DNA", **GP},
    {"date": "2023-02-01", "contact_type": "home_visit", "description": "Bruise to cheek noted",
     "concerns": "bruising", **CSC},
]


def flags_of(rows=ROWS, death=DEATH):
    return detect(make_timeline(rows, dob="2022-01-01"), case(death), RULES)


def test_no_follow_up_before_the_death_is_at_least_the_days_to_it():
    flags = flags_of().set_index("rule_id")
    wnb = flags.loc["was_not_brought"]
    assert wnb.expected_by == pd.Timestamp("2023-02-24")
    assert wnb.delay_days == 24 and bool(wnb.delay_censored)  # 24 Feb -> 20 Mar
    assert wnb.actual_action_event_id == ""
    # the injury rule's search ended by the death too: at least 45 days after its deadline of 3 Feb
    injury = flags.loc["injury_not_escalated"]
    assert injury.delay_days == 45 and bool(injury.delay_censored)


def test_without_a_death_the_delay_stays_empty_and_uncensored():
    flags = flags_of(death=None)
    assert flags["delay_days"].isna().all()
    assert not flags["delay_censored"].any()


def test_an_action_before_the_death_is_a_measured_delay():
    rows = ROWS + [{"date": "2023-03-01", "contact_type": "clinic_appointment", "description": "Reviewed",
                    "child_seen": True, "agency": "GP", "agency_kind": "health"}]
    wnb = flags_of(rows).set_index("rule_id").loc["was_not_brought"]
    assert wnb.delay_days == 5 and not bool(wnb.delay_censored)


def test_the_baseline_gives_the_same_lower_bounds():
    timeline = make_timeline(ROWS, dob="2022-01-01")
    rows = []
    for r in timeline.astype(object).where(timeline.notna(), None).to_dict("records"):
        r["date"] = pd.Timestamp(r["date"]).to_pydatetime()
        rows.append(r)
    info = {"C1": {"date_of_birth": dt.date(2022, 1, 1), "review_date": dt.date(2023, 12, 31),
                   "date_of_death": dt.date(2023, 3, 20)}}
    _, base = baseline_rowwise.run(rows, info, RULES)
    # (s21: child_not_seen too, since make_timeline derives open_concerns as the timeline and the baseline do;
    # before, a hand-made timeline gave the package none and child_not_seen was left out here)
    got = sorted((f["rule_id"], f["delay_days"], f["delay_censored"]) for f in base)
    flags = flags_of()
    expected = sorted(zip(flags["rule_id"], flags["delay_days"].astype(float), flags["delay_censored"].astype(bool)))
    assert got == expected


def test_the_outputs_say_at_least():
    from review.export import delay_texts, flags_table
    from review.export_docx import _fmt_delay

    table = flags_table(flags_of())
    row = table.set_index("rule_id").loc["was_not_brought"]
    assert row["delay_censored"] == "yes"
    assert list(delay_texts(pd.Series([24.0, 3.0, None]), pd.Series(["yes", "no", ""]))) == ["at least 24", "3", ""]
    assert _fmt_delay(24.0, "yes") == "at least 24 calendar days (no action before the child's death)"
    assert _fmt_delay(3.0, "no") == "3 calendar days"


def test_the_latency_table_and_chart_give_the_lower_bound():
    from review.charts import plot_response_latency

    timeline = make_timeline(ROWS, dob="2022-01-01")
    latency = response_latency(timeline, rules=RULES, case=case())
    bruise = latency.set_index("event_id").loc["C1-e003"]
    assert bool(bruise.died_before_window) and pd.isna(bruise.latency_days)
    assert bruise.latency_at_least_days == 47  # 1 Feb -> 20 Mar
    figure = plot_response_latency(latency, max_days=90)
    texts = [t.get_text() for ax in figure.axes for t in ax.texts]
    assert any(t.endswith("no escalation before (at least 47 days)") for t in texts)


@pytest.mark.parametrize("death", [None])
def test_no_death_no_lower_bound_in_latency(death):
    latency = response_latency(make_timeline(ROWS, dob="2022-01-01"), rules=RULES, case=case(death))
    assert latency["latency_at_least_days"].isna().all()


def test_review_flags_prints_the_lower_bound():
    from review.commands.flags import format_flags

    text = format_flags(flags_of())
    assert ">= 24 d late" in text and ">= 45 d late" in text
    assert ">= " not in format_flags(flags_of(death=None))
