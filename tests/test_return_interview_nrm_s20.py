"""return_interview_or_nrm_late (s20, QA8 D12): a missing child's return with no return home interview within
72 hours (DfE 2014), and a first responder's (police, social care) record of exploitation with no National Referral
Mechanism referral within 30 days (Modern Slavery Act 2015 s.52), the NRM "agreed" / "to be considered" rows its
evidence. The row-by-row baseline raises the same flags."""
from __future__ import annotations

import datetime as dt

import pandas as pd
import pytest

from review.rules import RULE_IDS, detect, load_rules, merge_rules
from review.rules.testing import make_timeline

from _baseline import baseline_rowwise

RULE = "return_interview_or_nrm_late"
RULES = load_rules()
POLICE, CSC, SCHOOL = "Westshire Police", "Brackmoor Children's Social Care", "Brackmoor Academy"


def row(date, text="", action="", agency=POLICE, kind="police", concerns="", contact_type="other", **more):
    return {"date": date, "agency": agency, "agency_kind": kind, "contact_type": contact_type,
            "concerns": concerns, "description": text, "action": action, **more}


RETURN = row("2023-09-30", "Missing since 27/09. Found by Eastshire Police in Hartsford.", "Returned home. PPN to MASH.",
             concerns="missing")  # e001


def csc(date, text, action=""):
    return row(date, text, action, agency=CSC, kind="social care")


def flags_of(rows, rules=None, variant=None):
    flags = detect(make_timeline(rows, dob="2008-06-14"), None, rules or RULES, only=[RULE])
    return flags if variant is None else flags[flags["explanation"].str.contains(variant, regex=False)]


def test_a_return_home_interview_after_72_hours_is_flagged_with_its_delay():
    flags = flags_of([RETURN, csc("2023-10-17", "Return home interview for 27/09 episode, 17 days after return.")])
    assert len(flags) == 1
    flag = flags.iloc[0]
    assert flag.trigger_event_id == "C1-e001" and flag.severity == "medium"
    assert flag.expected_by == pd.Timestamp("2023-10-03")  # 3 calendar days (72 hours)
    assert flag.actual_action_event_id == "C1-e002" and flag.delay_days == 14
    assert flag.explanation.startswith(f"{POLICE} recorded the child's return from a missing episode on 30 Sep 2023 "
                                       "and no return home interview is recorded within 3 days (72 hours, by 3 Oct 2023)")
    assert flag.explanation.endswith("the next return home interview came on 17 Oct 2023, 14 calendar days late.")


def test_an_interview_in_time_answers_it_and_a_request_or_plan_does_not():
    assert flags_of([RETURN, csc("2023-10-02", "RHI completed by the exploitation team. Would not talk.")]).empty
    assert flags_of([RETURN, row("2023-10-01", "Return home interview held", agency="Compass Return Home Service",
                                 kind="other")]).empty
    for text in ("RHI requested.", "RHI request sent to Brackmoor CSC.", "RHI not offered - no capacity.",
                 "RHI to be offered.", "Plan: return home interview next week."):
        flags = flags_of([RETURN, csc("2023-10-01", text)])
        assert len(flags) == 1 and flags.iloc[0].explanation.endswith("none is recorded within 90 days of 30 Sep 2023."), text


def test_no_return_is_no_trigger_and_social_cares_notification_is_none():
    assert flags_of([row("2023-09-28", "Tyrese reported missing by mother.", concerns="missing")]).empty
    assert flags_of([row("2023-09-30", "Found by Eastshire Police in Hartsford.")]).empty  # not a missing episode
    # social care's record of the police's notification is that return learned of, no other return
    assert flags_of([csc("2023-10-03", "Police notification: missing 27-30/09, found in Hartsford.")]).empty


def test_an_interview_after_the_next_return_is_that_returns():
    second = row("2023-11-20", "Missing overnight, located at a friend's flat.", "Returned home.", concerns="missing")
    flags = flags_of([RETURN, second, csc("2023-11-21", "Return home interview completed.")])
    assert flags["trigger_event_id"].tolist() == ["C1-e001"]  # the second return's interview came in time
    assert flags.iloc[0].actual_action_event_id in ("", None) or pd.isna(flags.iloc[0].actual_action_event_id)


CCE = row("2023-04-14", "Located at a flat in Hartsford with cash and two phones. Suspected county lines trap house.",
          "Intel submitted. RHI requested.", concerns="exploitation; missing")  # e001


def test_exploitation_recorded_by_the_police_with_no_nrm_referral_is_flagged_with_the_nrm_rows_as_evidence():
    rows = [CCE,
            csc("2023-05-09", "Strategy discussion held (CSC Exploitation Team, police).",
                "Single agency assessment. NRM referral to be considered."),
            csc("2023-11-14", "MACE panel: risk of criminal exploitation high.", "NRM referral agreed."),
            csc("2024-04-08", "NRM referral submitted by CSC as first responder.",
                "Awaiting Single Competent Authority decision.")]
    flags = flags_of(rows, variant="National Referral Mechanism")
    assert len(flags) == 1
    flag = flags.iloc[0]
    assert flag.trigger_event_id == "C1-e001" and flag.severity == "high"
    assert flag.expected_by == pd.Timestamp("2023-05-14")  # 30 days
    assert flag.actual_action_event_id == "C1-e004" and flag.delay_days == (dt.date(2024, 4, 8) - dt.date(2023, 5, 14)).days
    assert flag.evidence_event_ids == "C1-e001; C1-e002; C1-e003"
    assert ("the NRM is mentioned with no referral made by Brackmoor Children's Social Care on 9 May 2023; by "
            "Brackmoor Children's Social Care on 14 Nov 2023") in flag.explanation
    assert flag.explanation.endswith("the NRM referral came on 8 Apr 2024, 330 calendar days late.")


def test_an_nrm_referral_in_time_or_before_answers_it_and_other_agencies_are_no_first_responders():
    assert flags_of([CCE, row("2023-04-20", "NRM referral submitted by police.")], variant="National Referral").empty
    assert flags_of([row("2023-03-01", "Referred to the NRM by police."), CCE], variant="National Referral").empty
    school = row("2023-01-17", "CCTV: getting into a car with older males.", "DSL logged.", agency=SCHOOL,
                 kind="education", concerns="exploitation")
    assert flags_of([school], variant="National Referral").empty
    # one flag per case (its first first-responder record), not one per record
    again = row("2023-07-22", "Arrested: PWITS Class A, two phones.", concerns="exploitation")
    flags = flags_of([CCE, again], variant="National Referral")
    assert flags["trigger_event_id"].tolist() == ["C1-e001"]
    # a record only ruling the risk out is no trigger
    assert flags_of([row("2023-04-14", "CSE screening: low risk.", concerns="exploitation")],
                    variant="National Referral").empty


def test_the_rule_is_registered_configurable_and_can_be_switched_off():
    assert RULE in RULE_IDS
    rules = load_rules()
    rules["rules"][RULE]["enabled"] = False
    assert detect(make_timeline([RETURN, CCE]), None, rules).query("rule_id == @RULE").empty
    longer = merge_rules(RULES, {"rules": {RULE: {"params": {"within_days": 20, "nrm_enabled": False}}}}, "rules.yml")
    assert flags_of([RETURN, csc("2023-10-17", "Return home interview held.")], longer).empty
    assert flags_of([CCE], longer, variant="National Referral").empty


@pytest.mark.parametrize("rows", [
    [RETURN, csc("2023-10-17", "Return home interview for 27/09 episode.")],
    [RETURN, csc("2023-10-01", "RHI requested.")],
    [RETURN, row("2023-11-20", "Located at a friend's flat.", "Returned home.", concerns="missing"),
     csc("2023-11-21", "Return home interview completed.")],
    [CCE, csc("2023-05-09", "Strategy discussion.", "NRM referral to be considered."),
     csc("2024-04-08", "NRM referral submitted.")],
    [CCE, row("2023-04-20", "NRM referral submitted by police.")],
    [row("2023-03-01", "Referred to the NRM by police."), CCE],
])
def test_the_baseline_raises_the_same_flags(rows):
    timeline = make_timeline(rows, dob="2008-06-14")
    package = detect(timeline, None, RULES, only=[RULE])
    base_rows = []
    for r in timeline.astype(object).where(timeline.notna(), None).to_dict("records"):
        r["date"] = pd.Timestamp(r["date"]).to_pydatetime()
        base_rows.append(r)
    _, base = baseline_rowwise.run(base_rows, {"C1": {"date_of_birth": dt.date(2008, 6, 14), "review_date": None}},
                                   RULES)
    base = [f for f in base if f["rule_id"] == RULE]
    assert sorted(package["flag_id"]) == sorted(f["flag_id"] for f in base)
    assert sorted((str(a or ""), e.date(), None if pd.isna(d) else float(d)) for a, e, d in zip(
        package["actual_action_event_id"].fillna(""), package["expected_by"], package["delay_days"])) == \
        sorted((f["actual_action_event_id"] or "", f["expected_by"], f["delay_days"]) for f in base)
