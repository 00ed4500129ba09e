"""An action after the child's death is not the response (fifteenth session): referral_no_decision,
strategy_no_conference, assessment_wait, was_not_brought and child_not_seen read none after the case's
`date_of_death`, and say so ("no decision is recorded before the child's death on 15 May 2023, 14 days after
the referral."), as the injury and domestic abuse rules do; the row-by-row baseline reads the same."""
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
HV = {"agency": "Health Visiting", "agency_kind": "health"}
POLICE = {"agency": "Police", "agency_kind": "police"}
CSC = {"agency": "Children's Social Care", "agency_kind": "social care"}


def case(death=None):
    return CaseConfig(case_dir=Path("."), case_id="C1", date_of_birth=dt.date(2023, 1, 1),
                      date_of_death=None if death is None else pd.Timestamp(death).date())


def flags(rows, rule, death=None):
    out = detect(make_timeline(rows), case(death), RULES, only=[rule])
    return out[out["rule_id"] == rule]


def baseline(rows, rule, death=None):
    timeline = make_timeline(rows)
    base_rows = []
    for r in timeline.astype(object).where(timeline.notna(), None).to_dict("records"):
        r["date"] = pd.Timestamp(r["date"]).to_pydatetime()
        base_rows.append(r)
    info = {"C1": {"date_of_birth": dt.date(2023, 1, 1), "review_date": None,
                   "date_of_death": None if death is None else pd.Timestamp(death).date()}}
    return sorted((f["trigger_event_id"], f["actual_action_event_id"] or "")
                  for f in baseline_rowwise.run(base_rows, info, RULES)[1] if f["rule_id"] == rule)


def pairs(frame):
    return sorted(zip(frame["trigger_event_id"], frame["actual_action_event_id"].fillna("")))


def referral(date):
    return {"date": date, **POLICE, "contact_type": "referral", "escalation": "referral_to_csc",
            "description": "Referral to children's social care."}


def strategy(date):
    return {"date": date, **CSC, "contact_type": "strategy_discussion", "escalation": "strategy_discussion",
            "description": "Strategy discussion held."}


def test_referral_decision_after_death_is_none():
    # referral Mon 1 May 2023 (due 2 May); CSC's decision 25 May; the child died 15 May
    rows = [referral("2023-05-01"),
            {"date": "2023-05-25", **CSC, "contact_type": "referral_decision", "description": "Referral decision: NFA."}]
    alive = flags(rows, "referral_no_decision").iloc[0]
    assert alive.actual_action_event_id == "C1-e002" and alive.delay_days == 23
    assert alive.explanation.endswith("a decision came on 25 May 2023, 23 calendar days late.")
    dead = flags(rows, "referral_no_decision", "2023-05-15").iloc[0]
    assert dead.actual_action_event_id == "" and pd.isna(dead.actual_action_date)
    # s16: a lower bound, the days from the deadline (2 May) to the death (15 May)
    assert dead.delay_days == 13 and bool(dead.delay_censored)
    assert dead.explanation.endswith(
        "; no decision is recorded before the child's death on 15 May 2023, 14 days after the referral.")
    assert baseline(rows, "referral_no_decision", "2023-05-15") == pairs(flags(rows, "referral_no_decision", "2023-05-15")) \
        == [("C1-e001", "")]
    # a decision on the day of death still counts as the (late) decision
    same_day = flags(rows, "referral_no_decision", "2023-05-25").iloc[0]
    assert same_day.actual_action_event_id == "C1-e002" and same_day.delay_days == 23


def test_conference_after_death_is_none():
    # strategy discussion Mon 1 May 2023 (due 23 May: 15 working days, 8 May a bank holiday); the ICPC 12 Jun; the child died 1 Jun
    rows = [strategy("2023-05-01"),
            {"date": "2023-06-12", **CSC, "contact_type": "cp_conference", "escalation": "cp_conference",
             "description": "Initial child protection conference."}]
    alive = flags(rows, "strategy_no_conference").iloc[0]
    assert alive.actual_action_event_id == "C1-e002" and alive.delay_days == 20
    dead = flags(rows, "strategy_no_conference", "2023-06-01").iloc[0]
    assert dead.actual_action_event_id == "" and dead.delay_days == 9 and bool(dead.delay_censored)  # 23 May -> 1 Jun
    assert dead.explanation.endswith(
        "; no conference is recorded before the child's death on 1 Jun 2023, 31 days after the strategy discussion.")
    assert baseline(rows, "strategy_no_conference", "2023-06-01") == [("C1-e001", "")]
    # no death: the same as before
    assert baseline(rows, "strategy_no_conference") == [("C1-e001", "C1-e002")]


def test_assessment_after_death_is_none():
    # a request for a (specialist) assessment 2 Jan 2023 (42 days: due 13 Feb); done 20 Mar; died 1 Mar
    rows = [{"date": "2023-01-02", **HV, "contact_type": "referral", "description": "Referral for SALT assessment."},
            {"date": "2023-03-20", **HV, "contact_type": "assessment", "description": "SALT assessment completed."},
            {"date": "2023-03-25", **HV, "contact_type": "home_visit", "description": "Visit."}]
    alive = flags(rows, "assessment_wait")
    assert list(alive["actual_action_event_id"]) == ["C1-e002"]
    dead = flags(rows, "assessment_wait", "2023-03-01").iloc[0]
    assert dead.actual_action_event_id == "" and dead.delay_days == 16 and bool(dead.delay_censored)  # 13 Feb -> 1 Mar
    assert dead.explanation.endswith(
        "; nor is one recorded before the child's death on 1 Mar 2023, 58 days after the request.")
    assert baseline(rows, "assessment_wait", "2023-03-01") == pairs(flags(rows, "assessment_wait", "2023-03-01"))


def test_visit_not_seen_sighting_after_death_is_none():
    # a social worker's visit 1 May 2023, child not seen (on a plan); the next sighting 1 Jun; died 20 May
    rows = [{"date": "2023-04-20", **CSC, "contact_type": "cp_conference", "description": "ICPC: child protection plan.",
             "on_cp_plan": True, "child_seen": True},
            {"date": "2023-05-01", **CSC, "contact_type": "home_visit", "description": "Home visit, no answer.",
             "on_cp_plan": True, "child_seen": False},
            {"date": "2023-06-01", **CSC, "contact_type": "home_visit", "description": "Home visit.",
             "on_cp_plan": True, "child_seen": True}]
    alive = flags(rows, "child_not_seen").set_index("trigger_event_id")
    assert alive.loc["C1-e002", "actual_action_event_id"] == "C1-e003" and alive.loc["C1-e002", "delay_days"] == 24
    dead = flags(rows, "child_not_seen", "2023-05-20")
    dead = dead[dead["explanation"].str.contains("visited on")].iloc[0]  # (and the plan's stretch open at the death)
    assert dead.actual_action_event_id == "" and dead.delay_days == 12 and bool(dead.delay_censored)  # 8 -> 20 May
    assert dead.explanation.endswith(
        "; no sighting is recorded before the child's death on 20 May 2023, 19 days after the visit.")
    assert baseline(rows, "child_not_seen", "2023-05-20") == pairs(flags(rows, "child_not_seen", "2023-05-20"))


def test_was_not_brought_follow_up_after_death_is_none():
    # two missed GP appointments (1 and 15 May 2023); the GP sees the child 20 Jun; the child died 10 Jun
    gp = {"agency": "GP", "agency_kind": "health"}
    rows = [{"date": "2023-05-01", **gp, "contact_type": "was_not_brought", "description": "Not brought.", "child_seen": False},
            {"date": "2023-05-15", **gp, "contact_type": "was_not_brought", "description": "Not brought.", "child_seen": False},
            {"date": "2023-06-20", **gp, "contact_type": "gp_appointment", "description": "Seen.", "child_seen": True}]
    alive = flags(rows, "was_not_brought").set_index("trigger_event_id")
    assert alive.loc["C1-e002", "actual_action_event_id"] == "C1-e003"
    dead = flags(rows, "was_not_brought", "2023-06-10").set_index("trigger_event_id")
    assert dead.loc["C1-e002", "actual_action_event_id"] == ""
    assert dead.loc["C1-e002", "delay_days"] == 12 and bool(dead.loc["C1-e002", "delay_censored"])  # 29 May -> 10 Jun
    assert dead.loc["C1-e002", "explanation"].endswith(
        "; no follow-up is recorded before the child's death on 10 Jun 2023, 26 days after the missed appointment.")
    assert baseline(rows, "was_not_brought", "2023-06-10") == pairs(flags(rows, "was_not_brought", "2023-06-10"))
