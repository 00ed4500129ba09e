"""Sixteenth session: a referral its record's text dates on a later day ("Referral to MASH sent 25.02.21" on the
police's record of 19 Feb 2021: `base.referral_text_days`, as referral_no_decision reads it) answers the
exploitation, domestic abuse and self-harm rules from that day (`base.referral_response`, `first_response`'s
`starts`), and their explanations say so. Before, it answered from its record's day: in time."""
import pandas as pd
import pytest

from review.rules import detect, load_rules
from review.rules.testing import make_timeline


RULES = load_rules()
POLICE = {"agency": "Eastborough Police", "agency_kind": "police"}
CSC = {"agency": "Eastborough Children's Social Care", "agency_kind": "social care"}
SCHOOL = {"agency": "Hillcrest Academy", "agency_kind": "education"}
DOB = "2005-06-01"  # 15 in Feb 2021


def missing(action="Returned home. Referral to MASH sent 25.02.21", date="2021-02-19"):  # a Friday
    return {"date": date, "contact_type": "police_callout", **POLICE, "concerns": "exploitation; missing",
            "escalation": "referral_to_csc", "description": "Ellie reported missing again. CSE risk noted.",
            "action": action}


def end(date="2021-06-30"):
    return {"date": date, "contact_type": "home_visit", **CSC, "description": "Ellie seen."}


def _flags(rows, rule):
    return detect(make_timeline(rows, dob=DOB), None, RULES, only=[rule])


def _pairs(flags):
    if flags.empty:
        return []
    return sorted(zip(flags["trigger_event_id"], flags["actual_action_event_id"].fillna(""),
                      flags["delay_days"].astype("Float64").fillna(-1).astype(float)))


def _baseline(rows, rule):
    import datetime as dt
    import sys
    from pathlib import Path
    sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "benchmarks"))
    import baseline_rowwise
    timeline = make_timeline(rows, dob=DOB)
    base_rows = []
    for r in timeline.astype(object).where(timeline.notna(), None).to_dict("records"):
        r["date"] = pd.Timestamp(r["date"]).to_pydatetime()
        base_rows.append(r)
    _, flags = baseline_rowwise.run(base_rows, {"C1": {"date_of_birth": dt.date(2005, 6, 1), "review_date": None}},
                                    RULES)
    return sorted((f["trigger_event_id"], f["actual_action_event_id"] or "",
                   -1.0 if f["delay_days"] is None else float(f["delay_days"])) for f in flags if f["rule_id"] == rule)


def test_exploitation_a_referral_dated_later_in_its_text_answers_from_that_day():
    rows = [missing(), end()]
    flags = _flags(rows, "exploitation_not_referred")
    assert flags["trigger_event_id"].tolist() == ["C1-e001"]
    flag = flags.iloc[0]
    assert flag.expected_by == pd.Timestamp("2021-02-22")
    assert flag.actual_action_date == pd.Timestamp("2021-02-25")
    assert flag.delay_days == 3
    assert flag.explanation.endswith(
        "; the next such referral by any agency came on 25 Feb 2021 (referral dated 25 Feb 2021 in the record's "
        "text of 19 Feb 2021), 3 calendar days late.")
    assert _pairs(flags) == _baseline(rows, "exploitation_not_referred")


@pytest.mark.parametrize("action", [
    "Returned home. Referral to MASH sent 22.02.21",  # the next working day: in time
    "Returned home. Referral to MASH sent",  # no date: the record's day
    "Returned home. Referral to MASH sent 15.02.21",  # before the record: ignored, as referral_no_decision does
])
def test_exploitation_in_time_or_undated_referrals_raise_no_flag(action):
    rows = [missing(action), end()]
    assert _flags(rows, "exploitation_not_referred").empty
    assert _baseline(rows, "exploitation_not_referred") == []


def test_a_row_answering_otherwise_too_keeps_its_own_day():
    # a strategy discussion held on the record's day answers from that day, whatever referral it dates later
    rows = [{**missing(), "escalation": "referral_to_csc; strategy_discussion"}, end()]
    assert _flags(rows, "exploitation_not_referred").empty
    assert _baseline(rows, "exploitation_not_referred") == []


def test_domestic_abuse_a_referral_dated_later_in_its_text_answers_from_that_day():
    rows = [{"date": "2021-02-19", "contact_type": "police_callout", **POLICE, "concerns": "domestic_abuse",
             "escalation": "referral_to_csc", "description": "DA incident at the home. DASH: high risk.",
             "action": "Referral to MASH sent 25.02.21"}, end()]
    flags = _flags(rows, "domestic_abuse_not_escalated")
    assert flags["trigger_event_id"].tolist() == ["C1-e001"]
    assert flags.iloc[0].delay_days == 3
    assert "came on 25 Feb 2021 (referral dated 25 Feb 2021 in the record's text of 19 Feb 2021), 3 calendar " \
           "days late." in flags.iloc[0].explanation
    assert _pairs(flags) == _baseline(rows, "domestic_abuse_not_escalated")


def test_self_harm_repeated_a_referral_dated_later_in_its_text_answers_from_that_day():
    rows = [{"date": "2021-02-01", "contact_type": "other", **SCHOOL, "concerns": "self_harm",
             "description": "Ellie disclosed cutting her arms.", "action": "Referred to CAMHS"},
            {"date": "2021-02-19", "contact_type": "other", **SCHOOL, "concerns": "self_harm",
             "escalation": "referral_to_csc", "description": "Ellie cut her arms again. Seen by CAMHS.",
             "action": "Referral to MASH sent 01.03.21"}, end()]
    flags = _flags(rows, "self_harm_not_referred")
    repeated = flags[flags["explanation"].str.startswith("Hillcrest Academy recorded repeated self-harm")]
    assert repeated["trigger_event_id"].tolist() == ["C1-e002"]
    flag = repeated.iloc[0]
    assert flag.expected_by == pd.Timestamp("2021-02-26")
    assert flag.delay_days == 3
    assert "(referral dated 1 Mar 2021 in the record's text of 19 Feb 2021)" in flag.explanation
    assert _pairs(flags) == _baseline(rows, "self_harm_not_referred")
