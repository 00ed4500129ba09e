"""child_not_seen blames the agency that failed to see the child (s18, thsight items 2 and 3), in the package and
in the row-by-row baseline:

- an unseen stretch's flag is triggered at a contact at which the child was not seen, never at another agency's
  contact that saw the child (it ended the stretch; a GP's late sighting is no failing of the GP's; s19: a stretch
  with no such contact past the limit is flagged at that sighting against the agencies holding the case), nor at a
  contact on the day of the child's death (the hospital's arrival with a child who has died); on a child
  protection plan the plan's holder, children's social care, owes the child its visits: its own late visit is
  still its failing;
- the return visit "by the same agency" (child_not_seen's visits, was_not_brought's follow-up) may be recorded by
  the same local authority under another name ("Westshire CSC" for "Westshire Children's Services"), as
  transfer_in_conference_late's conference.
"""
from __future__ import annotations

import datetime as dt
import sys
from pathlib import Path

import pandas as pd

from review.config import CaseConfig
from review.rules import detect, load_rules
from review.rules.settings import merge_rules
from review.rules.testing import make_timeline

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "benchmarks"))
import baseline_rowwise  # noqa: E402

RULES = load_rules()
HV = {"agency": "Redvale Health Visiting", "agency_kind": "health"}
GP = {"agency": "Ashcombe Medical Practice", "agency_kind": "health"}
ED = {"agency": "Redvale General Hospital", "agency_kind": "health"}
CSC = {"agency": "Westshire Children's Services", "agency_kind": "social care"}
ICPC = "Initial child protection conference: child made subject to a child protection plan (neglect)."


def day(d):
    return pd.Timestamp(d).date() if d else None


def case(death=None, review="2024-12-31"):
    return CaseConfig(case_dir=".", case_id="C1", date_of_birth=day("2024-01-01"), date_of_death=day(death),
                      review_date=day(review))


def flags_of(rows, death=None, rules=RULES, only=("child_not_seen",), review="2024-12-31"):
    return detect(make_timeline(rows, dob="2024-01-01"), case(death, review), rules, only=list(only))


def baseline_of(rows, death=None, rules=RULES, rule="child_not_seen", review="2024-12-31"):
    timeline = make_timeline(rows, dob="2024-01-01")
    records = []
    for r in timeline.astype(object).where(timeline.notna(), None).to_dict("records"):
        r["date"] = pd.Timestamp(r["date"]).to_pydatetime()
        records.append(r)
    info = {"C1": {"date_of_birth": dt.date(2024, 1, 1), "review_date": day(review),
                   "date_of_death": day(death)}}
    _, flags = baseline_rowwise.run(records, info, rules)
    return sorted((f["trigger_event_id"], f["variant"]) for f in flags if f["rule_id"] == rule)


def triggers(flags):
    return sorted(zip(flags["trigger_event_id"], flags["flag_variant"] if "flag_variant" in flags else
                      [""] * len(flags)))


def row(date, who, seen, text="Contact.", contact_type="home_visit", **kw):
    return {"date": date, "contact_type": contact_type, "child_seen": seen, "description": text,
            "open_concerns": "neglect", "on_cp_plan": False, **who, **kw}


# a baby with neglect concerns (the health visitor's), then unseen for more than 42 days
OPENED = row("2024-03-12", HV, True, "Lily seen. Weight dropped. Neglect concerns.", concerns="neglect")


def test_a_gp_that_saw_the_child_late_is_not_flagged_for_the_gap():
    # the QA Harlow case: the GP's 8-week check on day 43 saw the child; no contact missed the child past the limit.
    # s18: no flag at all; s19 (QA5): the stretch is flagged at the GP's sighting, against the health visitor who
    # held the case (tests/test_child_not_seen_holders_s19.py), never against the GP
    rows = [OPENED, row("2024-04-24", GP, True, "8 week check. Lily seen.", "clinic_appointment")]
    flags = flags_of(rows)
    assert list(flags["agencies"]) == ["Redvale Health Visiting"]
    assert "Ashcombe Medical Practice saw the child" in flags.iloc[0]["explanation"]
    assert baseline_of(rows) == [("C1-e002", "open_concerns_seen_late")]


def test_the_agency_that_missed_the_child_past_the_limit_is_flagged_not_the_one_that_then_saw_it():
    rows = [OPENED, row("2024-04-30", HV, False, "No access visit, unable to gain access.", "was_not_brought",
                        concerns="was_not_brought"),
            row("2024-05-02", GP, True, "Lily seen.", "clinic_appointment")]
    flags = flags_of(rows)
    gaps = flags[flags["explanation"].str.startswith("When ")]
    assert list(gaps["trigger_event_id"]) == ["C1-e002"]
    assert gaps.iloc[0]["agencies"] == "Redvale Health Visiting"
    assert ("C1-e002", "open_concerns") in baseline_of(rows)


def test_a_hospital_arrival_on_the_day_of_death_is_no_trigger():
    # the QA Harlow case: brought in by ambulance, unresponsive, 43 days after the last sighting, the day she died
    rows = [OPENED, row("2024-04-24", ED, pd.NA, "Brought in by ambulance, unresponsive. Declared dead.", "other")]
    flags = flags_of(rows, death="2024-04-24")
    assert flags.empty  # neither at the arrival nor as a stretch running to the end (no contact missed the child)
    assert baseline_of(rows, death="2024-04-24") == []
    # alive that day (another child's records): the same contact is an agency's contact that did not see her
    assert list(flags_of(rows)["trigger_event_id"]) == ["C1-e002"]


def test_a_stretch_to_the_death_is_flagged_at_the_last_contact_that_missed_the_child():
    rows = [OPENED, row("2024-04-02", HV, False, "Phone call with mum. Lily not seen.", "phone_call"),
            row("2024-05-20", ED, pd.NA, "Brought in by ambulance, unresponsive. Declared dead.", "other")]
    flags = flags_of(rows, death="2024-05-20")
    assert list(flags["trigger_event_id"]) == ["C1-e002"]  # the health visitor's call, not the arrival
    assert flags.iloc[0]["explanation"].startswith("No sighting of the child with concerns open")
    assert baseline_of(rows, death="2024-05-20") == [("C1-e002", "open_concerns_at_review_end")]


def plan_row(date, who, seen, text="Statutory visit.", contact_type="home_visit", **kw):
    return {**row(date, who, seen, text, contact_type, **kw), "on_cp_plan": True}


def test_on_a_plan_social_cares_own_late_visit_is_still_its_failing():
    rows = [plan_row("2024-03-01", CSC, True, ICPC, "cp_conference"),
            plan_row("2024-03-25", CSC, True, "Statutory visit. Noah seen.")]
    flags = flags_of(rows)
    gaps = flags[flags["explanation"].str.startswith("When ")]  # (and the plan unseen since, to the review's end)
    assert list(gaps["trigger_event_id"]) == ["C1-e002"]
    assert gaps.iloc[0]["agencies"] == "Westshire Children's Services"
    assert ("C1-e002", "cp_plan") in baseline_of(rows)


def test_on_a_plan_another_agencys_late_sighting_is_not_its_failing():
    # s18: no flag; s19 (QA5): the stretch is flagged at the GP's sighting against the plan's holder, not the GP
    rows = [plan_row("2024-03-01", CSC, True, ICPC, "cp_conference"),
            plan_row("2024-03-25", GP, True, "Noah seen.", "clinic_appointment"),
            plan_row("2024-03-30", CSC, True, "Statutory visit. Noah seen.")]
    assert list(flags_of(rows, review="2024-04-05")["agencies"]) == ["Westshire Children's Services"]
    assert baseline_of(rows, review="2024-04-05") == [("C1-e002", "cp_plan_seen_late")]


# --- the same local authority under another name -------------------------------------------------------
def csc_visits(return_agency):
    return [plan_row("2024-03-01", CSC, True, ICPC, "cp_conference"),
            plan_row("2024-03-10", CSC, False, "Home visit, no answer. Child not seen."),
            plan_row("2024-03-13", {"agency": return_agency, "agency_kind": "social care"}, True,
                     "Statutory visit. Noah seen.")]


def test_a_return_visit_by_the_same_authority_under_another_name_answers_an_unseen_visit():
    flags = flags_of(csc_visits("Westshire CSC"), review="2024-03-20")
    assert flags.empty  # was: "Westshire Children's Services visited on 10 Mar 2024 and did not see the child ..."
    assert baseline_of(csc_visits("Westshire CSC"), review="2024-03-20") == []


def test_a_return_visit_by_another_authority_does_not():
    flags = flags_of(csc_visits("Eastshire CSC"), review="2024-03-20")
    assert list(flags["trigger_event_id"]) == ["C1-e002"]
    assert "visited on 10 Mar 2024 and did not see the child" in flags.iloc[0]["explanation"]
    assert baseline_of(csc_visits("Eastshire CSC"), review="2024-03-20") == [("C1-e002", "visit_not_seen")]


def _social_care_wnb_rules():
    return merge_rules(RULES, {"rules": {"was_not_brought": {"params": {"agency_kinds": ["health", "social care"]}}}},
                       "rules.yml")


def wnb_rows(follow_up_agency):
    no_access = "No access visit - no reply at the door."
    return [plan_row("2024-03-01", CSC, True, ICPC, "cp_conference"),
            plan_row("2024-03-05", CSC, pd.NA, no_access, "was_not_brought", concerns="was_not_brought"),
            plan_row("2024-03-08", CSC, pd.NA, no_access, "was_not_brought", concerns="was_not_brought"),
            plan_row("2024-03-12", {"agency": follow_up_agency, "agency_kind": "social care"}, True,
                     "Statutory visit. Noah seen.")]


def test_was_not_brought_takes_the_same_authoritys_follow_up_under_another_name():
    rules = _social_care_wnb_rules()
    assert flags_of(wnb_rows("Westshire CSC"), rules=rules, only=["was_not_brought"], review="2024-04-30").empty
    assert baseline_of(wnb_rows("Westshire CSC"), rules=rules, rule="was_not_brought", review="2024-04-30") == []
    other = flags_of(wnb_rows("Eastshire CSC"), rules=rules, only=["was_not_brought"], review="2024-04-30")
    assert list(other["trigger_event_id"]) == ["C1-e003"]
    assert baseline_of(wnb_rows("Eastshire CSC"), rules=rules, rule="was_not_brought",
                       review="2024-04-30") == [("C1-e003", "")]


def test_the_authority_words_are_one_setting_a_case_may_still_give_the_transfer_rule_its_own():
    import pytest

    from review.errors import ConfigError
    from review.rules.transfer_in_conference_late import local_authority

    assert RULES["rules"]["transfer_in_conference_late"]["params"]["authority_words"] is None
    assert "csc" in RULES["settings"]["authority_words"]
    assert RULES["settings"]["authority_agency_kinds"] == ["social care"]
    own = merge_rules(RULES, {"rules": {"transfer_in_conference_late": {"params": {"authority_words": ["csc"]}}}},
                      "rules.yml")
    assert own["rules"]["transfer_in_conference_late"]["params"]["authority_words"] == ["csc"]
    assert local_authority("Westshire CSC", ["csc"]) == "westshire"
    with pytest.raises(ConfigError, match="authority_words must be a list of words"):
        merge_rules(RULES, {"rules": {"transfer_in_conference_late": {"params": {"authority_words": 3}}}}, "rules.yml")
    with pytest.raises(ConfigError, match="authority_agency_kinds"):
        merge_rules(RULES, {"settings": {"authority_agency_kinds": ["social cares"]}}, "rules.yml")
