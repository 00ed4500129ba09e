"""How escalations are read and used (fourteenth session):

1. An escalation after the child's date of death (case.yml `date_of_death`) is no response: the injury rules,
   domestic_abuse_not_escalated and response_latency read none ("none ... is recorded before the child's death
   on ..."; latency: unescalated, censored at the death), a partial date kept when its period begins on or
   before the death, as `_period_bounds` reads it.
2. domestic_abuse_not_escalated's late action ("the next such referral by any agency") is reported only within
   its own `response_max_days` (90) of the trigger, as the injury rules' is.
3. "Referral to MASH declined" (passive, the recipient named) is a referral made and MASH's decision on it;
   the family's decline ("Mother declined referral to MASH") is still no referral.
4. "Awaiting MARAC referral", "Pending referral to MASH" are no escalation at ingest, as the rules read them.
"""
from __future__ import annotations

import datetime as dt
import sys
from pathlib import Path

import pandas as pd
import pytest

from review.config import CaseConfig, load_vocab
from review.rules import detect, load_rules, merge_rules
from review.rules.base import held_escalation_column
from review.rules.latency import response_latency
from review.rules.testing import make_timeline
from review.vocab import compile_vocab, denies, detect_escalation, detect_escalations

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "benchmarks"))
import baseline_rowwise  # noqa: E402

RULES = load_rules()
VOCAB = compile_vocab(load_vocab())
HV = {"agency": "Health Visiting", "agency_kind": "health"}
POLICE = {"agency": "Police", "agency_kind": "police"}
CSC = {"agency": "Children's Social Care", "agency_kind": "social care"}
DA = "domestic_abuse_not_escalated"


def case(death=None):
    return CaseConfig(case_dir=Path("."), case_id="C1", date_of_birth=dt.date(2023, 1, 1),
                      date_of_death=None if death is None else pd.Timestamp(death).date())


def bruise(date):
    return {"date": date, "contact_type": "home_visit", "description": "Bruise to left arm", "concerns": "bruising", **HV}


def referral(date, **kw):
    return {"date": date, **POLICE, "contact_type": "referral", "escalation": "referral_to_csc",
            "description": "Referral to children's social care.", **kw}


def incident(date, action=""):
    return {"date": date, **POLICE, "contact_type": "police_callout", "concerns": "domestic_abuse",
            "description": "DASH completed - high risk.", "action": action}


def flags(rows, death=None, rules=RULES, only=None):
    return detect(make_timeline(rows), case(death), rules, only=only)


def baseline(rows, death=None, rules=RULES):
    timeline = make_timeline(rows)
    base_rows = []
    for r in timeline.astype(object).where(timeline.notna(), None).to_dict("records"):
        r["date"] = pd.Timestamp(r["date"]).to_pydatetime()
        base_rows.append(r)
    info = {"C1": {"date_of_birth": dt.date(2023, 1, 1), "review_date": None,
                   "date_of_death": None if death is None else pd.Timestamp(death).date()}}
    return baseline_rowwise.run(base_rows, info, rules)[1]


def pairs(frame, rule):
    got = frame[frame["rule_id"] == rule]
    return sorted(zip(got["trigger_event_id"], got["actual_action_event_id"].fillna("")))


def base_pairs(flags_, rule):
    return sorted((f["trigger_event_id"], f["actual_action_event_id"] or "") for f in flags_ if f["rule_id"] == rule)


# -- 1. a response after the child's death is none -------------------------------------------------------------
def test_1_injury_response_after_death_is_none():
    # bruise 1 May 2023 (due 3 May); the next escalation 20 Jun 2023; the child died 10 Jun 2023
    rows = [bruise("2023-05-01"), referral("2023-06-20")]
    alive = flags(rows, only=["injury_not_escalated"]).iloc[0]
    assert alive.actual_action_event_id == "C1-e002" and alive.delay_days == 48  # before: also with the death
    dead = flags(rows, "2023-06-10", only=["injury_not_escalated"]).iloc[0]
    assert dead.actual_action_event_id == "" and pd.isna(dead.actual_action_date)
    assert dead.delay_days == 38 and bool(dead.delay_censored)  # s16: a lower bound, 3 May -> 10 Jun
    assert dead.explanation.endswith("none by any agency is recorded before the child's death on 10 Jun 2023.")
    # the same in the row-by-row baseline
    for rule in ("injury_not_escalated", "nonmobile_injury"):
        assert base_pairs(baseline(rows, "2023-06-10"), rule) == pairs(flags(rows, "2023-06-10"), rule)
    assert base_pairs(baseline(rows, "2023-06-10"), "injury_not_escalated") == [("C1-e001", "")]


def test_1_response_on_the_day_of_death_still_counts_and_cap_wording_when_death_is_later():
    rows = [bruise("2023-05-01"), referral("2023-06-20")]
    same_day = flags(rows, "2023-06-20", only=["injury_not_escalated"]).iloc[0]
    assert same_day.actual_action_event_id == "C1-e002"
    # a death after the 90-day cap: the cap's wording, not the death's
    late = flags([bruise("2023-05-01")], "2023-12-01", only=["injury_not_escalated"]).iloc[0]
    assert late.explanation.endswith("none by any agency is recorded within 90 days of the injury.")


def test_1_partial_date_response_whose_month_begins_before_death_is_kept():
    rows = [bruise("2023-05-01"), referral("2023-06-01", date_precision="month")]  # "Jun 2023"
    kept = flags(rows, "2023-06-10", only=["injury_not_escalated"]).iloc[0]
    assert kept.actual_action_event_id == "C1-e002"  # [1 Jun, 30 Jun] may have been before 10 Jun
    gone = flags([bruise("2023-05-01"), referral("2023-07-01", date_precision="month")], "2023-06-10",
                 only=["injury_not_escalated"]).iloc[0]
    assert gone.actual_action_event_id == ""


def test_1_repeated_injuries_response_after_death_is_none():
    rows = [bruise("2023-03-01"), bruise("2023-04-01"), referral("2023-05-20")]
    alive = flags(rows, only=["repeated_injury_or_ae"])
    assert pairs(alive, "repeated_injury_or_ae") == [("C1-e002", "C1-e003")]
    dead = flags(rows, "2023-05-10", only=["repeated_injury_or_ae"])
    assert pairs(dead, "repeated_injury_or_ae") == [("C1-e002", "")]
    assert "before the child's death on 10 May 2023" in dead.iloc[0].explanation
    assert base_pairs(baseline(rows, "2023-05-10"), "repeated_injury_or_ae") == [("C1-e002", "")]


def test_1_domestic_abuse_referral_after_death_is_none():
    rows = [incident("2023-03-01"), referral("2023-03-20")]
    assert pairs(flags(rows, only=[DA]), DA) == [("C1-e001", "C1-e002")]
    dead = flags(rows, "2023-03-10", only=[DA])
    assert pairs(dead, DA) == [("C1-e001", "")]
    assert dead.iloc[0].explanation.endswith("; none is recorded before the child's death on 10 Mar 2023.")
    assert base_pairs(baseline(rows, "2023-03-10"), DA) == [("C1-e001", "")]


def test_1_latency_treats_a_response_after_death_as_unescalated():
    rows = [bruise("2023-05-01"), referral("2023-06-20")]
    timeline = make_timeline(rows)
    alive = response_latency(timeline, None, RULES, case()).iloc[0]
    assert alive.first_escalation_event_id == "C1-e002" and alive.latency_days == 50
    dead = response_latency(timeline, None, RULES, case("2023-06-10")).iloc[0]
    assert dead.first_escalation_event_id == "" and pd.isna(dead.latency_days)
    assert not pd.isna(dead.within_expected) and not dead.within_expected  # its deadline passed while alive
    # the child (4 months old, not mobile: expected the same day) died that day, before the expected time ran
    # out: censored (NA), not late
    censored = response_latency(timeline, None, RULES, case("2023-05-01")).iloc[0]
    assert censored.expected_days == 0
    assert censored.first_escalation_event_id == "" and pd.isna(censored.within_expected)


# -- 2. domestic_abuse_not_escalated's response_max_days -------------------------------------------------------
def test_2_domestic_abuse_late_referral_beyond_the_cap_is_not_reported():
    rows = [incident("2023-03-01"), referral("2023-06-05")]  # 96 days on
    flag = flags(rows, only=[DA]).iloc[0]
    assert flag.actual_action_event_id == "" and pd.isna(flag.delay_days)
    assert flag.explanation.endswith("; none is recorded within 90 days of 1 Mar 2023.")
    assert base_pairs(baseline(rows), DA) == [("C1-e001", "")]
    within = flags([incident("2023-03-01"), referral("2023-05-30")], only=[DA]).iloc[0]  # 90 days on
    assert within.actual_action_event_id == "C1-e002"


def test_2_domestic_abuse_cap_is_configurable():
    assert RULES["rules"][DA]["params"]["response_max_days"] == 90
    longer = merge_rules(RULES, {"rules": {DA: {"response_max_days": 120}}}, "rules.yml")
    rows = [incident("2023-03-01"), referral("2023-06-05")]
    assert pairs(flags(rows, rules=longer, only=[DA]), DA) == [("C1-e001", "C1-e002")]
    assert base_pairs(baseline(rows, rules=longer), DA) == [("C1-e001", "C1-e002")]


# -- 3. a referral declined by its recipient was made ------------------------------------------------------------
@pytest.mark.parametrize("text", ["Referral to MASH declined", "Referral to MASH declined - NFA",
                                  "MASH referral was declined", "Referral to children's social care declined"])
def test_3_passive_decline_by_the_recipient_is_a_referral_made_and_decided(text):
    assert detect_escalations("referral", text, VOCAB) == ["referral_to_csc"]  # before: []
    assert not denies("referral_to_csc", text, VOCAB)
    assert VOCAB.declines_referral(text)
    # the decline is social care's decision: no referral_no_decision flag; it answers an injury in time
    rows = [bruise("2023-05-01"), {"date": "2023-05-02", **HV, "contact_type": "referral", "description": text,
                                   "escalation": detect_escalation("referral", text, VOCAB)}]
    got = flags(rows, only=["referral_no_decision", "injury_not_escalated"])
    assert got.empty


@pytest.mark.parametrize("text", ["Mother declined referral to MASH", "Parents declined referral",
                                  "Referral to MASH declined by mother", "Referral declined",
                                  "Referral to social care was refused"])
def test_3_the_familys_decline_is_still_no_referral(text):
    assert detect_escalations("referral", text, VOCAB) == []
    assert denies("referral_to_csc", text, VOCAB)


# -- 4. awaiting / pending a referral is no escalation at ingest -------------------------------------------------
@pytest.mark.parametrize("text", ["Awaiting MARAC referral", "Domestic incident. Awaiting MARAC referral.",
                                  "Pending MARAC referral", "Awaiting referral to MASH", "Waiting for a MASH referral",
                                  "MARAC referral pending", "MARAC referral to be made", "To consider referral to MARAC"])
def test_4_an_awaited_referral_is_no_escalation_anywhere(text):
    cell = detect_escalation("police_callout", text, VOCAB)
    assert cell == ""  # before: "marac" / "referral_to_csc" for the awaited and pending ones
    rows = [{**incident("2023-03-01", text), "escalation": cell}]
    timeline = make_timeline(rows)
    assert list(held_escalation_column(timeline, RULES)) == [""]
    assert pairs(detect(timeline, None, RULES, only=[DA]), DA) == [("C1-e001", "")]
    assert base_pairs(baseline(rows), DA) == [("C1-e001", "")]


@pytest.mark.parametrize("text, kinds", [
    ("Awaiting MASH referral outcome", ["referral_to_csc"]),
    ("Awaiting outcome of referral to MASH", ["referral_to_csc"]),
    ("Referral to MARAC made, pending MARAC date", ["marac"]),
    ("Referred to MARAC", ["marac"]),
])
def test_4_a_referral_made_awaiting_its_answer_still_counts(text, kinds):
    assert detect_escalations("police_callout", text, VOCAB) == kinds
    rows = [{**incident("2023-03-01", text), "escalation": "; ".join(kinds)}]
    assert flags(rows, only=[DA]).empty


# -- end to end: a case folder read and analysed as `review build` does --------------------------------------------
HEADER = "Date,Agency,Type of contact,Details of contact,Outcome,Child seen\n"


def _analysed(tmp_path, rows, extra=""):
    from review.pipeline import analyse, load_case

    (tmp_path / "case.yml").write_text(f"case_id: t1\ndate_of_birth: '2023-01-01'\nreview_date: '2024-06-30'\n{extra}")
    lines = [HEADER] + [",".join('"' + str(cell).replace('"', '""') + '"' for cell in row) + "\n" for row in rows]
    (tmp_path / "chronology.csv").write_text("".join(lines))
    return analyse(load_case(tmp_path))


def test_end_to_end_awaited_and_declined_referrals_and_a_response_after_death(tmp_path):
    result = _analysed(tmp_path, [
        ("01/03/2023", "Police", "Police call-out", "Domestic incident, child present. DASH completed - high risk.",
         "Awaiting MARAC referral.", "Y"),
        ("02/03/2023", "Health Visiting", "Referral", "Referral to MASH declined.", "", "N"),
        ("02/05/2023", "Health Visiting", "Home visit", "Bruise to left arm.", "", "Y"),
        ("20/06/2023", "Police", "Referral", "Referral to children's social care.", "", "N"),
    ], extra="date_of_death: '2023-06-10'\n")
    tl = result.timeline.set_index("description")
    # 4: the awaited MARAC referral is no escalation in the timeline nor in the held column
    assert tl.loc["Domestic incident, child present. DASH completed - high risk.", "escalation"] == ""
    assert list(result.held_escalations) == ["", "referral_to_csc", "", "referral_to_csc"]
    # 3: the referral MASH declined was made (the abuse answered in time) and decided (MASH's decline)
    assert tl.loc["Referral to MASH declined.", "escalation"] == "referral_to_csc"
    flags_ = result.flags.set_index("rule_id")
    assert DA not in flags_.index and "referral_no_decision" not in flags_.index
    # 1: the referral of 20 Jun came after the child's death (10 Jun): the bruise of 2 May had no response
    injury = flags_.loc["injury_not_escalated"]
    assert injury["actual_action_event_id"] == ""
    assert injury["delay_days"] == 37 and bool(injury["delay_censored"])  # s16: at least 37 days, to the death
    assert injury["explanation"].endswith("none by any agency is recorded before the child's death on 10 Jun 2023.")
    latency = result.response_latency.set_index("date")
    assert latency.loc[pd.Timestamp("2023-05-02"), "first_escalation_event_id"] == ""
    assert pd.isna(latency.loc[pd.Timestamp("2023-05-02"), "latency_days"])
