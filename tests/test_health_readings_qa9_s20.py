"""QA9 (case "Ollie", a disabled looked-after child at a residential special school), health readings: a weight stated
as fallen from an earlier one, food refused and "lost so much weight" read as weight_loss; neglect_not_escalated
counts a partial-date record ("May 2022") and, for a child with additional needs, a 180-day window;
was_not_brought's discharged variant looks back 180 days for such a child; "<service> appointment missed" is a
missed appointment; self-injury and head-banging are self_harm (the bruise keeps its tag); "bump to back of head" is
a head injury. The row-by-row baseline agrees."""
from __future__ import annotations

import datetime as dt

import pandas as pd
import pytest

from review.config import CaseConfig, load_vocab
from review.rules import detect, load_rules
from review.rules.testing import make_timeline
from review.vocab import tag_concerns

from _baseline import baseline_rowwise

RULES = load_rules()
VOCAB = load_vocab()
DOB = "2010-03-10"
SCHOOL = {"agency": "Hollybrook School", "agency_kind": "education", "contact_type": "other"}
GP = {"agency": "Fenwick Surgery", "agency_kind": "health", "contact_type": "clinic_appointment"}
PAEDS = {"agency": "Eastshire Community Paediatrics", "agency_kind": "health", "contact_type": "clinic_appointment"}


def case(needs=()):
    return CaseConfig(case_dir=".", case_id="C1", date_of_birth=dt.date(2010, 3, 10),
                      review_date=dt.date(2023, 7, 31), additional_needs=tuple(needs))


def package(rows, rule, needs=()):
    return detect(make_timeline(rows, dob=DOB), case(needs), RULES, only=[rule])


def baseline(rows, rule, needs=()):
    timeline = make_timeline(rows, dob=DOB)
    base_rows = []
    for r in timeline.astype(object).where(timeline.notna(), None).to_dict("records"):
        r["date"] = pd.Timestamp(r["date"]).to_pydatetime()
        base_rows.append(r)
    _, flags = baseline_rowwise.run(base_rows, {"C1": {"date_of_birth": dt.date(2010, 3, 10),
                                                       "review_date": dt.date(2023, 7, 31),
                                                       "additional_needs": bool(needs)}}, RULES)
    return sorted((f["trigger_event_id"], f["expected_by"]) for f in flags if f["rule_id"] == rule)


def pairs(flags):
    return sorted(zip(flags["trigger_event_id"], flags["expected_by"].dt.date)) if len(flags) else []


# -- readings ------------------------------------------------------------------------------------------------

@pytest.mark.parametrize("text", [
    "Weight 38.2kg (was 42.5kg in Sept).",              # 10% lost, written as figures
    "Weight 20 kg, previously 24 kg",
    "Ollie refusing meals.",
    "He has lost so much weight and has a black eye",
])
def test_weight_loss_in_figures_and_words_is_read(text):
    assert "weight_loss" in tag_concerns(text, VOCAB)


@pytest.mark.parametrize("text", [
    "Weight 42.5kg (was 38.2kg in Sept).",              # a gain
    "Weight 18.4kg (was 18.6kg)",                       # about 1%: below min_drop_percent 5
    "Baby 3.2kg, was 3.5kg at birth",                   # a newborn's first-week fall from birth weight
    "Gained 2kg from 20kg",
    "Not refusing meals, eating well",
])
def test_a_gain_a_small_fall_or_a_birth_weight_is_no_weight_loss(text):
    assert "weight_loss" not in tag_concerns(text, VOCAB)


def test_a_service_appointment_missed_is_a_missed_appointment():
    assert "was_not_brought" in tag_concerns("Paediatric appointment missed - no staff available to escort.", VOCAB)
    assert "was_not_brought" in tag_concerns("Dental appointment not attended", VOCAB)
    assert "was_not_brought" not in tag_concerns("Paediatric appointment attended with key worker", VOCAB)


def test_self_injury_is_self_harm_and_the_bruise_keeps_its_tag():
    assert tag_concerns("Ollie self-injuring, biting hand. Restrained.", VOCAB) == ["self_harm"]
    assert "self_harm" in tag_concerns("Referral from school: self-injurious behaviour, head-banging.", VOCAB)
    tags = tag_concerns("Ollie head-banging on bedroom wall, bruise to forehead 3cm. Self-injury.", VOCAB)
    assert "self_harm" in tags and "bruising" in tags


def test_a_bump_to_the_back_of_the_head_is_a_head_injury():
    assert "head_injury" in tag_concerns("Ollie banging head on floor. Bump to back of head, vomited once.", VOCAB)
    assert "head_injury" not in tag_concerns("Hit the ball to the back of the field", VOCAB)


# -- neglect_not_escalated: partial dates, additional needs ----------------------------------------------------

SCHOOL_WEIGHT = dict(SCHOOL, date="2022-05-09", concerns="weight_loss",
                     description="Weight 38.2kg (was 42.5kg in Sept). Ollie refusing meals.", action="Food chart started.")
GP_MONTH = dict(GP, date="2022-05-01", date_precision="month", concerns="weight_loss",
                description="Weight 38kg, down from 42.5kg. Advised school to monitor.")


def test_a_partial_date_record_counts_with_an_exact_one():
    flags = package([GP_MONTH, SCHOOL_WEIGHT], "neglect_not_escalated")
    assert flags["trigger_event_id"].tolist() == ["C1-e002"]  # the school's record, the second of two
    assert "one of 2 records of neglect or weight loss by agencies within 90 days" in flags.iloc[0].explanation
    assert pairs(flags) == baseline([GP_MONTH, SCHOOL_WEIGHT], "neglect_not_escalated")


def test_without_partial_dates_the_single_exact_record_waits():
    rules = load_rules()
    rules["rules"]["neglect_not_escalated"]["params"]["partial_dates"] = False
    flags = detect(make_timeline([GP_MONTH, SCHOOL_WEIGHT], dob=DOB), case(), rules, only=["neglect_not_escalated"])
    assert flags.empty


def test_a_partial_date_trigger_runs_its_deadline_from_the_end_of_its_period():
    later = dict(GP_MONTH, date="2022-06-01", description="Weight 37kg, down from 38kg. Thin.")
    rows = [SCHOOL_WEIGHT, later]
    flags = package(rows, "neglect_not_escalated")
    june = flags[flags["trigger_event_id"] == "C1-e002"].iloc[0]
    assert june.expected_by == pd.Timestamp("2022-07-14")  # 10 working days after 30 Jun 2022
    assert " in Jun 2022 (a partial date)" in june.explanation
    assert pairs(flags) == baseline(rows, "neglect_not_escalated")


def test_a_child_with_additional_needs_is_read_over_180_days():
    first = dict(PAEDS, date="2022-11-02", concerns="weight_loss", description="Weight 38kg, looks thinner.")
    second = dict(PAEDS, date="2023-02-14", concerns="weight_loss", description="Weight 36.1kg. Unexplained weight loss.")
    rows = [first, second]  # 104 days apart
    assert package(rows, "neglect_not_escalated").empty
    assert baseline(rows, "neglect_not_escalated") == []
    flags = package(rows, "neglect_not_escalated", needs=["autism"])
    assert flags["trigger_event_id"].tolist() == ["C1-e002"]
    assert "within 180 days up to it (a child with additional needs)" in flags.iloc[0].explanation
    assert pairs(flags) == baseline(rows, "neglect_not_escalated", needs=["autism"])


# -- was_not_brought, discharged: a child with additional needs ----------------------------------------------

def _missed(date, text, **extra):
    # open_concerns as the timeline computes them (make_timeline leaves them to the rows): the bruising open
    return dict(PAEDS, date=date, contact_type="was_not_brought", concerns="was_not_brought", description=text,
                open_concerns="bruising; was_not_brought", **extra)


WNB = [
    dict(SCHOOL, date="2022-09-15", concerns="bruising", description="Bruising to ribs and back, unexplained."),
    _missed("2022-06-20", "Not brought by school.", action="Letter to school, rebook"),
    _missed("2022-10-10", "Not brought. No escort available.", action="Discharge to GP"),  # 112 days later
]


def test_a_disabled_childs_discharge_after_two_not_brought_112_days_apart_is_flagged():
    assert package(WNB, "was_not_brought").empty  # 90 days for any child
    assert baseline(WNB, "was_not_brought") == []
    flags = package(WNB, "was_not_brought", needs=["autism", "severe learning disability"])
    assert flags["trigger_event_id"].tolist() == ["C1-e003"]
    assert flags.iloc[0].explanation.startswith("Eastshire Community Paediatrics discharged the child")
    assert "within 180 days (a child with additional needs)" in flags.iloc[0].explanation
    assert pairs(flags) == baseline(WNB, "was_not_brought", needs=["autism"])


def test_missed_appointments_more_than_180_days_before_the_discharge_are_not_counted():
    rows = [WNB[0], _missed("2022-03-01", "Not brought by school."), WNB[2]]  # 223 days apart
    assert package(rows, "was_not_brought", needs=["autism"]).empty
    assert baseline(rows, "was_not_brought", needs=["autism"]) == []


# -- self_harm_not_referred: CAMHS (its learning disability team) already involved -------------------------------

CAMHS = {"agency": "Eastshire CAMHS Learning Disability Team", "agency_kind": "health", "contact_type": "referral"}
REFERRAL = dict(CAMHS, date="2021-11-15", date_precision="week", concerns="self_harm",
                description="Referral from school: self-injurious behaviour, head-banging.", action="Waiting list")
SELF_INJURY = dict(SCHOOL, date="2022-10-03", concerns="self_harm", description="Ollie self-injuring, biting hand.",
                   action="Logged.")


def _mental_health(flags):
    return flags[flags["expected_action"].astype(str).str.contains("CAMHS")] if len(flags) else flags


def test_self_injury_of_a_child_camhs_is_involved_with_asks_no_new_referral():
    rows = [REFERRAL, dict(CAMHS, date="2022-03-01", date_precision="month", contact_type="clinic_appointment",
                           description="Choice appointment. Seen at school with key worker.", action="PBS plan"),
            SELF_INJURY]
    assert _mental_health(package(rows, "self_harm_not_referred")).empty
    assert [f for f in baseline(rows, "self_harm_not_referred")] == []


def test_camhs_involvement_ended_or_long_past_answers_nothing():
    closed = [REFERRAL, dict(CAMHS, date="2022-03-01", contact_type="case_closure", description="Discharged from CAMHS.",
                             action=""), SELF_INJURY]
    declined = [dict(REFERRAL, description="Referral declined, does not meet threshold.", action="Signposted"),
                SELF_INJURY]
    old = [dict(REFERRAL, date="2020-06-01"), SELF_INJURY]  # more than open_involvement_days before
    for rows in (closed, declined, old):
        flags = _mental_health(package(rows, "self_harm_not_referred"))
        assert flags["trigger_event_id"].tolist() == [f"C1-e{len(rows):03d}"]
        assert pairs(package(rows, "self_harm_not_referred")) == baseline(rows, "self_harm_not_referred")
