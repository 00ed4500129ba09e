"""withdrawn_with_concerns (s19): a child withdrawn from a nursery or school that held concerns, with no
notification to children's social care or the health visitor within 5 working days (Children Missing Education
2016/2024; KCSIE), as the nursery of the Star Hobson review withdrew a child after three logged injuries and told
no one. The row-by-row baseline raises the same flags."""
from __future__ import annotations

import datetime as dt

import pandas as pd

from review.rules import RULE_IDS, detect, load_rules
from review.rules.testing import make_timeline

from _baseline import baseline_rowwise

RULE = "withdrawn_with_concerns"
RULES = load_rules()
NURSERY = "Little Acorns Day Nursery"


def row(date, text="", action="", agency=NURSERY, kind="education", concerns="", contact_type="other", **more):
    return {"date": date, "agency": agency, "agency_kind": kind, "contact_type": contact_type,
            "concerns": concerns, "description": text, "action": action, **more}


def absent(date):
    return row(date, "Attended: No. Unwell per mum", contact_type="was_not_brought", concerns="was_not_brought")


STORY = [
    row("2023-10-07", "Bruise to forehead at drop off", "Logged on body map. Monitor.", concerns="bruising"),  # e001
    row("2023-11-18", "Fingertip bruising to both upper arms", "Monitor; not referred.", concerns="bruising"),  # e002
    absent("2024-01-15"),  # e003
    row("2024-01-22", "Returned after a week off with a fading black eye", "Continue to monitor.",
        concerns="bruising"),  # e004
    absent("2024-02-12"),  # e005
    row("2024-03-04", "Mum rang to say she is withdrawing the child from nursery with immediate effect",
        "Place ended. No forwarding nursery.", contact_type="phone_call"),  # e006
]


def flags_of(rows, rules=None):
    flags = detect(make_timeline(rows), None, rules or RULES, only=[RULE])
    return flags


def test_a_nursery_withdrawal_after_logged_injuries_with_no_notification_is_flagged():
    flags = flags_of(STORY)
    assert len(flags) == 1
    flag = flags.iloc[0]
    assert flag.trigger_event_id == "C1-e006"
    assert flag.expected_by == pd.Timestamp("2024-03-11")  # 5 working days after Monday 4 Mar
    assert flag.severity == "high" and flag.failing_category == "communication"
    # the setting's concerns and its absences before the withdrawal are the evidence
    assert flag.evidence_event_ids == "C1-e001; C1-e002; C1-e003; C1-e004; C1-e005; C1-e006"
    assert flag.explanation.startswith(f"{NURSERY} recorded the child leaving it on 4 Mar 2024")
    assert "bruising recorded by it in the previous 180 days (3 records: 7 Oct 2023, 18 Nov 2023, 22 Jan 2024)" \
        in flag.explanation
    assert "2 absences recorded before it (15 Jan 2024, 12 Feb 2024)" in flag.explanation
    assert flag.explanation.endswith("none is recorded within 90 days of 4 Mar 2024.")


def test_telling_the_health_visitor_or_referring_to_social_care_answers_it():
    told = STORY + [row("2024-03-06", "DSL informed health visitor of withdrawal and bruising history")]
    assert flags_of(told).empty
    referred = STORY + [row("2024-03-05", "Referral to MASH re withdrawal and injuries", contact_type="referral",
                            escalation="referral_to_csc")]
    assert flags_of(referred).empty
    # a notification after the deadline is the late one
    late = flags_of(STORY + [row("2024-03-20", "DSL informed health visitor of withdrawal")])
    assert late.iloc[0].actual_action_event_id == "C1-e007" and late.iloc[0].delay_days == 9


def test_a_setting_without_concerns_and_a_mood_are_no_trigger():
    # the setting recorded no concern: its leaver is for the local authority's CME process, not this rule
    assert flags_of([absent("2024-02-12"), STORY[-1]]).empty
    # "withdrawn" is the child's mood, not a leaving
    assert flags_of(STORY[:2] + [row("2024-01-10", "Child very withdrawn, hiding under table")]).empty
    # the local authority's team told of a deregistration held no concerns of its own
    ehe = [row("2023-12-15", "Child said mum locks the fridge", "DSL to consider", agency="Oakfield Primary School",
               concerns="neglect"),
           row("2024-01-12", "Deregistration notice received from Oakfield Primary", "Initial letter to parent",
               agency="Local Authority Elective Home Education Team", contact_type="letter")]
    assert flags_of(ehe).empty


def test_a_school_deregistering_a_child_with_concerns_open_is_flagged_once():
    rows = [row("2023-12-15", "Child said mum locks the fridge", "DSL to consider", agency="Oakfield Primary School",
                concerns="neglect"),
            row("2024-01-10", "Mum emailed letter deregistering the child to electively home educate",
                "Off-rolled. LA EHE team notified of removal from roll (name, address only).",
                agency="Oakfield Primary School", contact_type="letter"),
            row("2024-01-11", "Removed from roll on SIMS", agency="Oakfield Primary School")]
    flags = flags_of(rows)
    assert list(flags["trigger_event_id"]) == ["C1-e002"]  # the register's second record is the same leaving


def test_the_rule_is_registered_and_can_be_switched_off():
    assert RULE in RULE_IDS
    rules = load_rules()
    rules["rules"][RULE]["enabled"] = False
    assert detect(make_timeline(STORY), None, rules).query("rule_id == @RULE").empty


def test_the_baseline_raises_the_same_flags():
    cases = [STORY, STORY + [row("2024-03-20", "DSL informed health visitor of withdrawal")],
             STORY + [row("2024-03-06", "DSL informed health visitor")]]
    for rows in cases:
        timeline = make_timeline(rows)
        package = detect(timeline, None, RULES, only=[RULE])
        base_rows = []
        for r in timeline.astype(object).where(timeline.notna(), None).to_dict("records"):
            r["date"] = pd.Timestamp(r["date"]).to_pydatetime()
            base_rows.append(r)
        _, base = baseline_rowwise.run(base_rows, {"C1": {"date_of_birth": dt.date(2023, 1, 1), "review_date": None}},
                                       RULES)
        base = [f for f in base if f["rule_id"] == RULE]
        assert sorted(package["flag_id"]) == sorted(f["flag_id"] for f in base)
        assert sorted((str(a or ""), e.date()) for a, e in zip(package["actual_action_event_id"],
                                                               package["expected_by"])) == \
            sorted((f["actual_action_event_id"] or "", f["expected_by"]) for f in base)
