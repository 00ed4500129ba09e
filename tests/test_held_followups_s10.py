"""Follow-ups of `review.rules.base.held_escalations` (an escalation that did not take place is none):

1. referral_no_decision's trigger: a row whose text says the referral was not made ("Referral to MASH not
   made", "Referral to children's social care considered but not made", a referral row's "referral not
   sent") is no referral, even when its escalation cell says referral_to_csc (filled by hand or by a
   profile's column; ingest leaves it empty for such text). The text of a row of any type is read for the
   escalation's own words, and a row of type referral for the referral's (`ESCALATION_OWN_TYPES`); every
   rule reading escalations reads them so (injury_not_escalated below), and the row-by-row baseline alike.
2. response_latency's first_escalation: only the responding row's escalations that took place.
3. The agency summary's escalations_made (and the report's headline count): held escalations only.
4. The timeline's child_mobile of a row dated to a month or year the child became mobile in: NA.
"""
from __future__ import annotations

import datetime as dt
from pathlib import Path

import pandas as pd
import pytest

from review.config import CaseConfig, package_data
from review.export import headline_counts
from review.rules import response_latency
from review.rules.base import held_escalation_cells, held_escalation_column, held_escalations, prepare
from review.rules.testing import make_timeline
from review.schema import CONTACT_COLUMNS, conform
from review.timeline import agency_summary, build_timeline
from review.vocab import detect_escalation
from tests._baseline import RULES, baseline_pairs, package_pairs

import baseline_rowwise  # noqa: E402  (benchmarks/ is on sys.path through tests._baseline)

CSC = {"agency": "Children's Social Care", "agency_kind": "social care"}
GP = {"agency": "GP", "agency_kind": "health"}
HOSP = {"agency": "Hospital", "agency_kind": "health"}

NOT_MADE = [
    ("phone_call", "Referral to MASH not made"),
    ("letter", "Referral to children's social care considered but not made"),
    ("referral", "referral not sent"),
    ("referral", "Referral to MASH not made"),
]


def referral(date, kind, text, who=GP, escalation="referral_to_csc"):
    return {"date": date, "contact_type": kind, "description": text, "escalation": escalation, **who}


def both(rows, rule):
    package = package_pairs(rows, rule)
    assert package == baseline_pairs(rows, rule)
    return package


# -- 1. referral_no_decision ------------------------------------------------------------------------
@pytest.mark.parametrize("kind,text", NOT_MADE)
def test_ingest_names_no_referral_for_a_referral_not_made(kind, text):
    """Ingest's own reading leaves the cell empty: only a hand-filled (or profile) cell says referral."""
    assert detect_escalation(kind, text, package_data("vocab.yml")) == ""


@pytest.mark.parametrize("kind,text", NOT_MADE)
def test_referral_no_decision_a_referral_not_made_triggers_nothing(kind, text):
    """Its escalation cell says referral_to_csc, no decision follows: no flag (before: flagged, asking for a
    decision on a referral that was never made)."""
    assert both([referral("2023-09-04", kind, text)], "referral_no_decision") == []


@pytest.mark.parametrize("kind,text", [("phone_call", "Referred to MASH"), ("referral", "Referral sent to MASH"),
                                       ("referral", "Referred to paediatrics; referral to MASH made"),
                                       ("phone_call", "Referred to MASH. Strategy discussion not held")])
def test_referral_no_decision_a_referral_made_still_triggers(kind, text):
    assert both([referral("2023-09-04", kind, text)], "referral_no_decision") == [("C1-e001", "")]


def test_a_referral_not_made_is_no_response_to_an_injury():
    """injury_not_escalated reads referrals the same way: a hand-filled "Referral to MASH not made" the
    next day leaves the injury unescalated; "Referred to MASH" escalates it."""
    injury = {"date": "2023-03-01", "concerns": "bruising", "description": "bruise to cheek", **HOSP}
    rows = [injury, referral("2023-03-02", "phone_call", "Referral to MASH not made")]
    assert both(rows, "injury_not_escalated") == [("C1-e001", "")]
    rows = [injury, referral("2023-03-02", "phone_call", "Referred to MASH")]
    assert both(rows, "injury_not_escalated") == []


def test_held_escalations_keeps_another_escalation_of_a_denying_row():
    """"CP medical not done. Referred to MASH" with both kinds in its cell: the referral stays, the medical
    goes."""
    rows = [referral("2023-09-04", "phone_call", "CP medical not done. Referred to MASH",
                     escalation="cp_medical; referral_to_csc")]
    ctx = prepare(make_timeline(rows), None, RULES["settings"])
    assert held_escalations(ctx, ["referral_to_csc"]).tolist() == [True]
    assert held_escalations(ctx, ["cp_medical"]).tolist() == [False]
    assert held_escalation_cells(ctx).tolist() == ["referral_to_csc"]


# -- 2. response_latency's first_escalation -----------------------------------------------------------
def test_first_escalation_shows_only_the_escalations_that_took_place():
    rows = [{"date": "2023-09-01", "concerns": "bruising", "description": "bruise to cheek", **HOSP},
            referral("2023-09-02", "strategy_discussion", "Referred to MASH. Strategy discussion cancelled", CSC,
                     escalation="referral_to_csc; strategy_discussion")]
    latency = response_latency(make_timeline(rows), None, RULES).set_index("event_id")
    assert latency.loc["C1-e001", "first_escalation_event_id"] == "C1-e002"
    assert latency.loc["C1-e001", "first_escalation"] == "referral_to_csc"  # before: "...; strategy_discussion"
    rows[1] = referral("2023-09-02", "strategy_discussion", "Referred to MASH. Strategy discussion held", CSC,
                       escalation="referral_to_csc; strategy_discussion")
    latency = response_latency(make_timeline(rows), None, RULES).set_index("event_id")
    assert latency.loc["C1-e001", "first_escalation"] == "referral_to_csc; strategy_discussion"


# -- 3. escalations_made ----------------------------------------------------------------------------
def summary_rows():
    return [referral("2023-09-02", "strategy_discussion", "Strategy discussion cancelled", CSC,
                     escalation="strategy_discussion"),
            referral("2023-09-03", "strategy_discussion", "Strategy discussion held", CSC,
                     escalation="strategy_discussion"),
            referral("2023-09-04", "phone_call", "Referral to MASH not made"),
            referral("2023-09-05", "phone_call", "Referred to MASH"),
            referral("2023-09-06", "home_visit", "Home visit", escalation="")]


def test_agency_summary_counts_held_escalations_only():
    summary = agency_summary(make_timeline(summary_rows()), RULES).set_index("agency")
    # before: 2 and 2 (every filled cell)
    assert summary.loc["Children's Social Care", "escalations_made"] == 1
    assert summary.loc["GP", ["contacts", "escalations_made"]].tolist() == [3, 1]


def test_held_escalation_column_follows_the_input_order():
    """Rows in reverse order, with a default index other than 0..n-1: each row gets its own held cell."""
    timeline = make_timeline(summary_rows()).iloc[::-1]
    timeline.index = [10 * i for i in range(len(timeline))]
    held = held_escalation_column(timeline, RULES)
    assert list(held.index) == list(timeline.index)
    assert dict(zip(timeline["event_id"], held)) == {
        "C1-e001": "", "C1-e002": "strategy_discussion", "C1-e003": "", "C1-e004": "referral_to_csc", "C1-e005": ""}


def test_headline_counts_takes_the_summary_count():
    timeline = make_timeline(summary_rows())
    made = int(agency_summary(timeline, RULES)["escalations_made"].sum())
    assert made == 2
    assert any(" and 2 were escalations (counted apart" in line for line in headline_counts(timeline, escalations=made))
    # without the count: held escalations too (tests/test_held_outputs_s10.py; before: 4, the filled cells)
    assert any(" and 2 were escalations (counted apart" in line for line in headline_counts(timeline))


# -- 4. child_mobile of a partial date ------------------------------------------------------------------
CASE = CaseConfig(case_dir=Path("."), case_id="c1", date_of_birth=dt.date(2023, 1, 1),
                  mobile_from=dt.date(2023, 7, 15))


def contact(event_id, date, precision):
    return dict(case_id="c1", event_id=event_id, date=date, date_precision=precision, contact_type="home_visit",
                description="Home visit", source_row=2, source_file="hv.xlsx", agency="Health Visiting",
                agency_kind="health", organisation="Trust")


PARTIAL = [("jun", "2023-06-01", "month"), ("jul", "2023-07-01", "month"), ("aug", "2023-08-01", "month"),
           ("d14", "2023-07-14", "day"), ("d15", "2023-07-15", "day"), ("y23", "2023-01-01", "year"),
           ("y24", "2024-01-01", "year")]
MOBILE = {"jun": False, "jul": None, "aug": True, "d14": False, "d15": True, "y23": None, "y24": True}


def test_child_mobile_is_unknown_in_a_period_the_child_became_mobile_in():
    """"Jul 2023", mobile from 15 July: NA (before: False, its first day's); June False, August True; the
    year 2023 NA; exact days as before. The column stays a nullable boolean."""
    frame = conform(pd.DataFrame([contact(*p) for p in PARTIAL]), CONTACT_COLUMNS)
    timeline = build_timeline(frame, CASE)
    assert str(timeline["child_mobile"].dtype) == "boolean"
    got = {e: (None if pd.isna(v) else bool(v)) for e, v in zip(timeline["event_id"], timeline["child_mobile"])}
    assert got == MOBILE


def test_child_mobile_of_a_partial_date_in_the_baseline():
    """The row-by-row baseline computes the same column."""
    rows = [dict(contact(*p), date=pd.Timestamp(p[1]).to_pydatetime()) for p in PARTIAL]
    info = {"c1": {"date_of_birth": dt.date(2023, 1, 1), "mobile_from": dt.date(2023, 7, 15), "review_date": None}}
    base_timeline, _ = baseline_rowwise.run(rows, info, RULES)
    assert {r["event_id"]: r["child_mobile"] for r in base_timeline} == MOBILE


def test_child_mobile_default_threshold_inside_a_month():
    """Born 10 January: mobile from 10 July by default; "Jul 2023" unknown, a day in it known."""
    case = CaseConfig(case_dir=Path("."), case_id="c1", date_of_birth=dt.date(2023, 1, 10))
    frame = conform(pd.DataFrame([contact("jul", "2023-07-01", "month"), contact("d9", "2023-07-09", "day")]),
                    CONTACT_COLUMNS)
    timeline = build_timeline(frame, case).set_index("event_id")
    assert pd.isna(timeline.loc["jul", "child_mobile"])
    assert timeline.loc["d9", "child_mobile"] == False  # noqa: E712
