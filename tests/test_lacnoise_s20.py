"""Twentieth session (lacnoise): noise on a looked-after child's case (QA9's Ollie with case.yml `looked_after`).

1. self_harm_not_referred's ``repeated`` variant, for a child looked after on the episode's day, expects the record
   shared with the child's social worker at the placing authority (no referral to children's social care: it
   already looks after the child), answered by the agency sharing it (its informed agencies, its text).
2. A family member's own account (agency kind ``family``: "Parent emails (received by the review)") triggers no rule.
3. referral_no_decision: social care's record of a LADO notification of an allegation against staff is no
   referral awaiting its decision.
Read the same by the package and the row-by-row baseline."""
from __future__ import annotations

import datetime as dt
from pathlib import Path

import pandas as pd

from review.config import CaseConfig, LookedAfterPeriod, load_vocab
from review.rules import detect, load_rules
from review.rules.testing import make_timeline
from review.vocab import normalise_agency

from _baseline import baseline_rowwise

RULES = load_rules()
DOB = "2010-03-10"
PLACED = LookedAfterPeriod(start=dt.date(2021, 9, 6), placing_authority="Westmere Children's Social Care",
                           placement="residential special school", placed_at="Hollybrook School")
SCHOOL = {"agency": "Hollybrook School", "agency_kind": "education", "contact_type": "other"}
PAEDS = {"agency": "Eastshire Community Paediatrics", "agency_kind": "health", "contact_type": "clinic_appointment"}
CSC = {"agency": "Westmere Children's Social Care", "agency_kind": "social care", "contact_type": "letter"}
PARENT = {"agency": "Parent emails (received by the review)", "agency_kind": "family", "contact_type": "other"}
END = {"date": "2022-12-31", **SCHOOL, "description": "End of term report."}


def _case(periods, review="2022-12-31"):
    return CaseConfig(case_dir=Path("."), case_id="C1", date_of_birth=dt.date(2010, 3, 10),
                      review_date=dt.date.fromisoformat(review), looked_after=tuple(periods), vocab={})


def _run(rows, rule, periods=(PLACED,)):
    """(package flags, package keys, baseline keys) of `rule`: (trigger, variant-ish expected action, action)."""
    flags = detect(make_timeline(rows, dob=DOB), {"C1": _case(periods)}, RULES, only=[rule]).reset_index(drop=True)
    package = sorted((str(t), str(a or "")) for t, a in zip(flags["trigger_event_id"],
                                                             flags["actual_action_event_id"].fillna("")))
    timeline = make_timeline(rows, dob=DOB)
    base_rows = []
    for r in timeline.astype(object).where(timeline.notna(), None).to_dict("records"):
        r["date"] = pd.Timestamp(r["date"]).to_pydatetime()
        base_rows.append(r)
    case = {"date_of_birth": dt.date(2010, 3, 10), "review_date": dt.date(2022, 12, 31), "looked_after": tuple(periods)}
    _, found = baseline_rowwise.run(base_rows, {"C1": case}, RULES)
    base = sorted((str(f["trigger_event_id"]), str(f["actual_action_event_id"] or "")) for f in found
                  if f["rule_id"] == rule)
    return flags, package, base


# 1. a looked-after child's repeated self-harm ----------------------------------------------------------------
def _self_harm(second_extra=None):
    second = {"date": "2022-04-12", **SCHOOL, "concerns": "self_harm", "description": "Ollie banging head on floor.",
              "action": "Taken to A&E by staff."}
    second.update(second_extra or {})
    return [
        {"date": "2022-02-08", **SCHOOL, "concerns": "self_harm", "description": "Ollie self-injuring, biting hand.",
         "action": "Seen by CAMHS liaison."},
        {"date": "2022-02-09", **PAEDS, "description": "CAMHS assessment completed.", "action": "Seen by CAMHS."},
        second,
        {"date": "2022-04-13", **PAEDS, "description": "Psychosocial assessment completed.", "action": "Seen."},
        END,
    ]


def _repeated(flags):
    return flags[flags["expected_action"].astype(str).str.contains("repeated self-harm")]


def test_a_looked_after_childs_repeated_self_harm_expects_the_record_shared_with_the_social_worker():
    flags, package, base = _run(_self_harm(), "self_harm_not_referred")
    rep = _repeated(flags)
    assert list(rep["trigger_event_id"]) == ["C1-e003"]
    row = rep.iloc[0]
    assert row.expected_action == ("the record shared with the child's social worker at Westmere Children's Social "
                                   "Care (the placing authority; the child is looked after): repeated self-harm")
    assert "no record of it shared with the child's social worker at Westmere Children's Social Care (the child is " \
           "looked after by it: no referral to children's social care is asked)" in row.explanation
    assert "referral to children's social care or early help" not in row.expected_action
    assert package == base


def test_not_looked_after_the_referral_is_still_expected():
    flags, package, base = _run(_self_harm(), "self_harm_not_referred", periods=())
    rep = _repeated(flags)
    assert list(rep["trigger_event_id"]) == ["C1-e003"]
    assert rep.iloc[0].expected_action == "a referral to children's social care or early help (repeated self-harm)"
    assert package == base
    # before the placement began: a referral, as for any child
    later = LookedAfterPeriod(start=dt.date(2022, 6, 1), placing_authority="Westmere Children's Social Care",
                              placement="foster care")
    flags, package, base = _run(_self_harm(), "self_harm_not_referred", periods=(later,))
    assert _repeated(flags).iloc[0].expected_action.startswith("a referral to children's social care")
    assert package == base


def test_sharing_with_the_placing_authority_answers():
    # the school's informed agencies name social care
    shared = {"informed_agencies": "Westmere Children's Social Care"}
    flags, package, base = _run(_self_harm(shared), "self_harm_not_referred")
    assert _repeated(flags).empty and package == base
    # its text names the social worker told
    told = {"action": "Taken to A&E by staff. Social worker informed by email."}
    flags, package, base = _run(_self_harm(told), "self_harm_not_referred")
    assert _repeated(flags).empty and package == base
    # ...but not a child who is not looked after: a referral is asked, not a social worker's update
    flags, package, base = _run(_self_harm(told), "self_harm_not_referred", periods=())
    assert list(_repeated(flags)["trigger_event_id"]) == ["C1-e003"] and package == base
    # negated: not shared
    untold = {"action": "Taken to A&E by staff. Social worker not informed."}
    flags, package, base = _run(_self_harm(untold), "self_harm_not_referred")
    assert list(_repeated(flags)["trigger_event_id"]) == ["C1-e003"] and package == base


def test_looked_after_sharing_can_be_switched_off():
    rules = load_rules()
    rules["rules"]["self_harm_not_referred"]["params"]["looked_after_share"] = False
    flags = detect(make_timeline(_self_harm(), dob=DOB), {"C1": _case((PLACED,))}, rules,
                   only=["self_harm_not_referred"])
    assert _repeated(flags).iloc[0].expected_action.startswith("a referral to children's social care")


# 2. a family member's own account -----------------------------------------------------------------------------
def test_parent_emails_are_of_kind_family():
    vocab = load_vocab()
    assert normalise_agency("Parent emails (received by the review)", vocab)[1] == "family"
    assert normalise_agency("Hollybrook School", vocab)[1] == "education"
    assert normalise_agency("Westmere Family Support", vocab)[1] == "social care"


def test_a_parents_email_triggers_no_rule():
    # the school's e-mail to the mother, filed with the mother's e-mails, about a repeat of the school's episode
    email = {"date": "2022-04-12", **PARENT, "concerns": "self_harm", "description": "The marks are from his self-injury."}
    rows = _self_harm()[:2] + [email, END]
    flags, package, base = _run(rows, "self_harm_not_referred")
    assert "C1-e003" not in set(flags["trigger_event_id"]) and package == base
    # read as of no kind in particular (as before s20's lacnoise: kind other), it was a trigger
    rows = _self_harm()[:2] + [dict(email, agency_kind="other"), END]
    flags, package, base = _run(rows, "self_harm_not_referred")
    assert "C1-e003" in set(flags["trigger_event_id"]) and package == base
    # neglect: the mother's "lost so much weight" neither
    weight = {"date": "2022-10-06", **PARENT, "concerns": "bruising; weight_loss",
              "description": "He has lost so much weight and has a black eye on video call. Please visit him."}
    flags, package, base = _run([weight, END], "neglect_not_escalated")
    assert flags.empty and package == base == []


# 3. a LADO notification is no referral awaiting social care's decision ---------------------------------------
def test_a_lado_notification_is_no_referral_no_decision_receipt():
    lado = {"date": "2022-03-22", **CSC, "concerns": "allegation_against_staff",
            "description": "Informed by LADO of allegation against staff member at Hollybrook.",
            "action": "Await LADO outcome"}
    flags, package, base = _run([lado, END], "referral_no_decision", periods=())
    assert flags.empty and package == base == []
    # untagged, but naming the LADO
    flags, package, base = _run([dict(lado, concerns=""), END], "referral_no_decision", periods=())
    assert flags.empty and package == base == []
    # a school's referral received: still a receipt awaiting a decision
    school = dict(lado, concerns="bruising", description="Referral received from Hollybrook School: bruising to arms.",
                  action="Await")
    flags, package, base = _run([school, END], "referral_no_decision", periods=())
    assert list(flags["trigger_event_id"]) == ["C1-e001"] and package == base


# 1b. neglect_not_escalated: the same for a looked-after child ------------------------------------------------
def _weight(share=None):
    second = {"date": "2022-05-09", **SCHOOL, "concerns": "weight_loss", "description": "Weight 38.2kg, down from 42.5kg.",
              "action": "Logged."}
    second.update(share or {})
    return [{"date": "2022-03-01", **SCHOOL, "concerns": "weight_loss", "description": "Weight loss noted at weigh-in.",
             "action": "Logged."}, second, END]


def test_a_looked_after_childs_neglect_expects_the_record_shared_with_the_social_worker():
    flags, package, base = _run(_weight(), "neglect_not_escalated")
    assert list(flags["trigger_event_id"]) == ["C1-e002"] and package == base
    row = flags.iloc[0]
    assert row.expected_action == ("record shared with the child's social worker at Westmere Children's Social Care "
                                   "(the placing authority; the child is looked after)")
    assert "it was not shared with the child's social worker at Westmere Children's Social Care (the child is looked " \
           "after by it: no referral to children's social care is asked)" in row.explanation
    # the school's record shared with the social worker answers
    told = {"action": "Logged. Informed the social worker by email."}
    flags, package, base = _run(_weight(told), "neglect_not_escalated")
    assert flags.empty and package == base == []
    # a child not looked after: a referral is expected, the update answers nothing
    flags, package, base = _run(_weight(told), "neglect_not_escalated", periods=())
    assert list(flags["trigger_event_id"]) == ["C1-e002"] and package == base
    assert flags.iloc[0].expected_action.startswith("referral to children's social care")
