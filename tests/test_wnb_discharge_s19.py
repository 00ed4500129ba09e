"""was_not_brought, variant discharged (s19, QA6 defect 9): a health agency discharging a child with other
concerns open after missed appointments, whatever was attended in between, without escalating, is flagged; a
parent missing a meeting the sentence before named, and anyone not attending a drop-in, is no missed appointment
of the child's; the row-by-row baseline agrees."""
from __future__ import annotations

import datetime as dt

import pandas as pd
import pytest

from review.config import CaseConfig, load_vocab
from review.rules import detect, load_rules
from review.rules.testing import make_timeline
from review.vocab import classify_contact_type, tag_concerns

from _baseline import baseline_rowwise

RULES = load_rules()
VOCAB = load_vocab()
CAMHS = "Westmere CAMHS"


def case():
    return CaseConfig(case_dir=".", case_id="C1", date_of_birth=dt.date(2009, 4, 10),
                      review_date=dt.date(2022, 10, 31))


def row(date, kind, text, concerns="", seen=None, escalation=None, agency=CAMHS, agency_kind="health",
        open_="self_harm"):
    # open_concerns as the timeline computes them (make_timeline leaves them to the rows)
    r = {"date": date, "agency": agency, "agency_kind": agency_kind, "contact_type": kind, "concerns": concerns,
         "description": text, "open_concerns": "; ".join(x for x in (open_, concerns) if x)}
    if seen is not None:
        r["child_seen"] = seen
    if escalation:
        r["escalation"] = escalation
    return r


def leah_like(discharge_text="Was not brought. Discharged to GP after two missed appointments.", extra=()):
    return [
        row("2021-11-04", "other", "Cuts to forearms, self-harm", "self_harm", seen=True, agency="Northfield Academy",
            agency_kind="education"),
        row("2021-12-17", "clinic_appointment", "Attended with mother", seen=True),
        row("2022-01-14", "was_not_brought", "DNA. Appointment re-sent.", "was_not_brought", seen=False),
        row("2022-02-04", "clinic_appointment", "Attended with mother's partner", seen=True),
        row("2022-02-20", "other", "Fresh cuts to forearms", "self_harm", seen=True, agency="Riverside Surgery"),
        row("2022-03-04", "was_not_brought", discharge_text, "was_not_brought", seen=False),
        *extra,
    ]


def flags_of(rows):
    return detect(make_timeline(rows, dob="2009-04-10"), case(), RULES, only=["was_not_brought"])


def test_discharge_after_two_missed_appointments_with_an_attended_one_between_is_flagged():
    flags = flags_of(leah_like())
    assert len(flags) == 1 and flags["flag_id"].iloc[0].startswith("was_not_brought-")
    f = flags.iloc[0]
    assert f["trigger_date"] == pd.Timestamp("2022-03-04")
    assert "discharged the child" in f["explanation"] and "2 appointments" in f["explanation"]
    assert "self harm" in f["explanation"]
    assert len(f["evidence_event_ids"].split(";")) == 2


def test_no_flag_without_a_discharge_or_without_other_concerns_or_with_an_escalation():
    # the attended appointment still ends the agency's own pattern: no discharge, no flag
    assert flags_of(leah_like("Was not brought. Appointment re-sent.")).empty
    no_concern = [dict(r, open_concerns=r["concerns"]) for r in leah_like() if r["agency"] == CAMHS]
    assert flags_of(no_concern).empty
    referred = row("2022-03-08", "referral", "Safeguarding referral to children's social care", seen=False,
                   escalation="referral_to_csc")
    assert flags_of(leah_like(extra=[referred])).empty


def test_one_missed_appointment_before_the_discharge_is_not_enough():
    rows = [r for r in leah_like() if r["date"] != "2022-01-14"]
    assert flags_of(rows).empty


def test_the_baseline_raises_the_same_flags():
    for expected, rows in ((1, leah_like()), (0, leah_like("Was not brought. Appointment re-sent.")),
                           (1, leah_like(extra=[row("2022-03-10", "letter", "Discharge letter: discharged after 2 WNB",
                                                    "was_not_brought", seen=False)]))):
        timeline = make_timeline(rows, dob="2009-04-10")
        package = detect(timeline, case(), RULES, only=["was_not_brought"])
        base_rows = []
        for r in timeline.astype(object).where(timeline.notna(), None).to_dict("records"):
            r["date"] = pd.Timestamp(r["date"]).to_pydatetime()
            base_rows.append(r)
        _, base = baseline_rowwise.run(base_rows, {"C1": {"date_of_birth": dt.date(2009, 4, 10),
                                                          "review_date": dt.date(2022, 10, 31)}}, RULES)
        base = [f for f in base if f["rule_id"] == "was_not_brought"]
        assert len(base) == expected
        assert sorted(package["flag_id"]) == sorted(f["flag_id"] for f in base)
        assert sorted(zip(package["trigger_event_id"], package["expected_by"].dt.date)) == sorted(
            (f["trigger_event_id"], f["expected_by"]) for f in base)


def test_a_discharge_letter_after_the_flagged_discharge_is_the_same_pattern():
    letter = row("2022-03-10", "letter", "Discharge letter: discharged after 2 WNB", "was_not_brought", seen=False)
    flags = flags_of(leah_like(extra=[letter]))
    assert list(flags["trigger_date"]) == [pd.Timestamp("2022-03-04")]


@pytest.mark.parametrize("description, action", [
    ("Attendance 58% this term.", "Attendance meeting offered; mother did not attend."),
    ("Leah did not attend follow-up drop-in.", "Will catch up next term."),
    ("Did not attend the drop in session", ""),
])
def test_a_parents_meeting_and_a_drop_in_are_no_missed_appointment(description, action):
    assert "was_not_brought" not in tag_concerns(description, VOCAB) + tag_concerns(action, VOCAB)
    assert classify_contact_type("", description, VOCAB, action=action) != "was_not_brought"


@pytest.mark.parametrize("text", [
    "Appointment sent for clinic. Mum did not attend.",  # the sentence before names no meeting
    "Mum did not attend with baby. Review meeting next week.",  # not bare: the meeting comes after
    "Did not attend clinic. Offered drop-in instead.",  # the drop-in not what was missed: another sentence
])
def test_a_childs_missed_appointment_still_read(text):
    assert "was_not_brought" in tag_concerns(text, VOCAB)
