"""End-to-end consistency of the outputs (session 10): what one output counts, another counts the same way.

1. A concern escalated when a date is only known to the month ("Jul 2023" bruising, a referral on 3 Jul
   2023) has a first escalation but no latency in days (`response_latency` documents latency_days NA
   "when there was none, or when either date is only known to the month/year"). The report's response
   latency chart said "1 never escalated" and drew it as such, and the thematic tables counted it in
   never_escalated (latency_by_agency_kind) and unescalated_concerns (rank_cases), while the response
   latency table itself named its first escalation. Now "never escalated" is a concern with no first
   escalation (`review.schema.escalated_mask`) everywhere.
2. The swimlane's alt text says "1 was an escalation", "1 contact recorded a concern", "1 flag is
   numbered" (before: "1 were escalations", as the report's headline already said it right).
"""
from __future__ import annotations

import datetime as dt

import numpy as np
import pandas as pd

from review.charts import plot_response_latency, plot_swimlane
from review.config import CaseConfig
from review.export import headline_counts
from review.rules import response_latency
from review.rules.testing import make_timeline
from review.schema import escalated_mask
from review.thematic import latency_by_agency_kind, plot_latency_by_agency_kind, rank_cases
from tests._baseline import RULES

POLICE = {"agency": "Police", "agency_kind": "police"}
HV = {"agency": "Health Visiting", "agency_kind": "health"}
CONFIG = CaseConfig(case_dir=__import__("pathlib").Path("."), case_id="C1", date_of_birth=dt.date(2023, 1, 15))


def _timeline():
    """A "Jul 2023" bruise (police, month precision) referred on 3 Jul 2023; an exact-date neglect concern
    never escalated; the child born 15 Jan 2023 and not mobile."""
    rows = [
        {"date": "2023-07-01", "date_precision": "month", "date_text": "Jul 2023",
         "description": "Bruise noted on cheek by officer attending", "concerns": "bruising", **POLICE},
        {"date": "2023-07-03", "contact_type": "referral", "description": "Referred to children's social care.",
         "escalation": "referral_to_csc", **POLICE},
        {"date": "2023-09-01", "description": "Home visit, concerns about neglect", "concerns": "neglect", **HV},
        {"date": "2023-12-01", "description": "Routine visit", **HV},
    ]
    return make_timeline(rows, dob="2023-01-15", mobile_from="2023-09-24")


def _latency():
    return response_latency(_timeline(), rules=RULES, case=CONFIG)


def test_the_partial_date_concern_has_a_first_escalation_but_no_latency():
    out = _latency().set_index("event_id")
    assert out.loc["C1-e001", "first_escalation_event_id"] == "C1-e002"
    assert pd.isna(out.loc["C1-e001", "latency_days"])
    assert out.loc["C1-e003", "first_escalation_event_id"] == "" and pd.isna(out.loc["C1-e003", "latency_days"])
    assert escalated_mask(_latency().sort_values("event_id")).tolist() == [True, False]


def test_escalated_mask_without_the_escalation_column_falls_back_to_a_known_latency():
    frame = pd.DataFrame({"latency_days": [3.0, np.nan]})
    assert escalated_mask(frame).tolist() == [True, False]
    frame = pd.DataFrame({"latency_days": [np.nan, np.nan, 2.0], "first_escalation_event_id": ["E1", pd.NA, ""]})
    assert escalated_mask(frame).tolist() == [True, False, True]


def _statuses(fig):
    return {gid.split(":")[1]: gid.split(":")[2] for gid in
            (p.get_gid() for p in fig.axes[0].patches) if gid and gid.startswith("latency:")}


def test_response_latency_chart_does_not_call_the_partial_date_concern_never_escalated():
    fig = plot_response_latency(_latency(), timeline=_timeline())
    assert _statuses(fig) == {"C1-e001": "unknown", "C1-e003": "never"}  # before: C1-e001 "never"
    texts = [t.get_text() for t in fig.axes[0].texts]
    assert sum(t == "never escalated" for t in texts) == 1  # before: 2
    assert any(t.startswith("referral to children's social care 03 Jul 2023: time not known") for t in texts)
    assert fig.review_alt_text.endswith(
        "0 in time, 0 later than expected, 1 never escalated and 1 escalated at a time the month or year dates "
        "cannot place against it.")  # before: "0 in time, 0 later than expected and 2 never escalated."
    assert "1 never escalated, 1 escalated at a time the dates cannot place (of 2)" in " ".join(fig._suptitle.get_text().split())


def test_response_latency_chart_partial_date_late_or_in_time_from_within_expected():
    table = _latency()
    table.loc[table["event_id"] == "C1-e001", "within_expected"] = False
    fig = plot_response_latency(table)
    assert _statuses(fig)["C1-e001"] == "late"
    assert "0 in time, 1 later than expected and 1 never escalated." in fig.review_alt_text
    table.loc[table["event_id"] == "C1-e001", "within_expected"] = True
    fig = plot_response_latency(table)
    assert _statuses(fig)["C1-e001"] == "ok"
    assert "1 in time, 0 later than expected and 1 never escalated." in fig.review_alt_text


def test_response_latency_chart_anonymised_view_in_months():
    table = _latency().drop(columns="latency_days")
    table["latency_months"] = pd.array([pd.NA] * len(table), dtype="Int64")
    fig = plot_response_latency(table, date_resolution="month")
    assert _statuses(fig) == {"C1-e001": "unknown", "C1-e003": "never"}


def test_thematic_tables_count_the_partial_date_concern_as_escalated():
    latency = _latency()
    by_kind = latency_by_agency_kind(latency).set_index("agency_kind")
    assert by_kind.loc["police", ["concerns", "escalated", "never_escalated"]].tolist() == [1, 1, 0]  # before: escalated 0, never 1
    assert by_kind.loc["health", ["concerns", "escalated", "never_escalated"]].tolist() == [1, 0, 1]
    assert pd.isna(by_kind.loc["police", "escalated_median_days"])  # no latency in days to summarise
    ranked = rank_cases(latency, pd.DataFrame(columns=["case_id", "rule_id", "severity"]), _timeline())
    assert ranked[["case_id", "concerns", "unescalated_concerns"]].values.tolist() == [["C1", 2, 1]]  # before: 2
    fig = plot_latency_by_agency_kind(latency)
    labels = [t.get_text() for t in fig.axes[0].get_yticklabels()]
    assert "police\n0/1 never escalated" in labels and "health\n1/1 never escalated" in labels
    assert "police no latency in days" in fig.review_alt_text and "health none escalated" in fig.review_alt_text


def test_thematic_never_escalated_agrees_with_the_response_latency_table():
    latency = _latency()
    never_in_table = int((latency["first_escalation_event_id"].fillna("") == "").sum())
    assert int(latency_by_agency_kind(latency)["never_escalated"].sum()) == never_in_table
    assert int(rank_cases(latency, pd.DataFrame(columns=["case_id", "rule_id", "severity"]))
               ["unescalated_concerns"].sum()) == never_in_table


def _alt(rows, flags=None):
    timeline = make_timeline(rows)
    return plot_swimlane(timeline, flags, None, CaseConfig(case_dir=__import__("pathlib").Path("."), case_id="C1",
                                                          date_of_birth=dt.date(2023, 1, 1))).review_alt_text


def test_swimlane_alt_text_singular_counts_agree_with_the_headline():
    rows = [{"date": "2023-09-01", "description": "Bruise to arm", "concerns": "bruising", **HV},
            {"date": "2023-09-02", "contact_type": "referral", "description": "Referred to MASH",
             "escalation": "referral_to_csc", **HV}]
    alt = _alt(rows)
    # s13: the two counts are of the same contacts, counted apart (before: "1 contact recorded a concern, 1 was
    # an escalation", read as a part of the concerns)
    assert "of the contacts, 1 recorded a concern and 1 was an escalation (counted apart: a contact may be both), 0 " \
           "child protection plan or hospital periods are shaded and 0 flags are numbered." in alt
    assert ("Of the 2 contacts, 1 recorded a concern and 1 was an escalation (counted apart: a contact may be both)"
            in headline_counts(make_timeline(rows)))
    flags = pd.DataFrame([{"flag_id": "f1", "rule_id": "injury_not_escalated", "severity": "high",
                           "trigger_event_id": "C1-e001", "trigger_date": pd.Timestamp("2023-09-01"),
                           "evidence_event_ids": "C1-e001", "agencies": "Health Visiting"}])
    assert "and 1 flag is numbered." in _alt(rows, flags)
    rows.append({"date": "2023-09-03", "contact_type": "strategy_discussion", "description": "Strategy discussion held",
                 "escalation": "strategy_discussion", **HV})
    assert "of the contacts, 1 recorded a concern and 2 were escalations (counted apart" in _alt(rows)


def test_swimlane_alt_text_names_the_rejected_flags_after_the_count():
    rows = [{"date": "2023-09-01", "description": "Bruise to arm", "concerns": "bruising", **HV},
            {"date": "2023-09-05", "description": "Bruise to leg", "concerns": "bruising", **HV}]
    flags = pd.DataFrame([{"flag_id": f"f{i}", "rule_id": "injury_not_escalated", "severity": "high",
                           "trigger_event_id": f"C1-e00{i}", "trigger_date": pd.Timestamp(f"2023-09-0{1 + 4 * (i - 1)}"),
                           "evidence_event_ids": f"C1-e00{i}", "agencies": "Health Visiting",
                           "decision": decision} for i, decision in ((1, "rejected"), (2, "pending"))])
    alt = _alt(rows, flags)
    # before: "... shaded and 2 flags, 1 rejected by the reviewers are numbered."
    assert alt.endswith("are shaded and 2 flags are numbered (1 rejected by the reviewers).")
