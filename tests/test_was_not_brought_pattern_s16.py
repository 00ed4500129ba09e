"""was_not_brought: one pattern of missed contacts at one service is one flag whose evidence lists every
missed contact (three consecutive missed appointments raised two flags, their windows overlapping); a
follow-up by the service between two triggers ends the pattern, and another service's misses are their own."""
from __future__ import annotations

import pandas as pd

from review.config import CaseConfig
from review.rules import detect, load_rules
from review.rules.testing import make_timeline

RULES = load_rules()
CASE = CaseConfig(case_dir=".", case_id="C1", date_of_birth=pd.Timestamp("2022-01-01").date(),
                  review_date=pd.Timestamp("2023-12-31").date())


def missed(date, agency="GP", text="DNA appointment"):
    return {"date": date, "agency": agency, "agency_kind": "health", "contact_type": "was_not_brought",
            "concerns": "was_not_brought", "description": text}


def seen(date, agency="GP"):
    return {"date": date, "agency": agency, "agency_kind": "health", "contact_type": "clinic_appointment",
            "description": "Reviewed", "child_seen": True}


def flags_of(rows):
    return detect(make_timeline(rows, dob="2022-01-01"), CASE, RULES, only=["was_not_brought"])


def test_three_consecutive_missed_appointments_are_one_flag_with_all_three_as_evidence():
    flags = flags_of([missed("2023-01-10"), missed("2023-02-10"), missed("2023-03-10")])
    assert len(flags) == 1
    flag = flags.iloc[0]
    # raised where the pattern first went unanswered: the second missed appointment, its deadline 14 days on
    assert flag.trigger_event_id == "C1-e002"
    assert flag.expected_by == pd.Timestamp("2023-02-24")
    assert flag.evidence_event_ids == "C1-e001; C1-e002; C1-e003"
    assert "not brought to 3 appointments with GP within 90 days (10 Jan 2023, 10 Feb 2023, 10 Mar 2023)" \
        in flag.explanation


def test_the_flag_id_is_the_one_the_first_trigger_had():
    two = flags_of([missed("2023-01-10"), missed("2023-02-10")])
    three = flags_of([missed("2023-01-10"), missed("2023-02-10"), missed("2023-03-10")])
    assert list(three["flag_id"]) == list(two["flag_id"])


def test_a_pattern_longer_than_the_window_says_its_span():
    flags = flags_of([missed(d) for d in ("2023-01-10", "2023-03-10", "2023-05-30", "2023-08-20")])
    assert len(flags) == 1
    assert flags.iloc[0].evidence_event_ids == "C1-e001; C1-e002; C1-e003; C1-e004"
    assert "4 appointments with GP over 222 days (10 Jan 2023, 10 Mar 2023, 30 May 2023, 20 Aug 2023)" \
        in flags.iloc[0].explanation


def test_a_follow_up_between_two_triggers_ends_the_pattern():
    flags = flags_of([missed("2023-01-10"), missed("2023-02-10"), seen("2023-03-01"), missed("2023-03-10"),
                      missed("2023-03-20")])
    assert list(flags["trigger_event_id"]) == ["C1-e002", "C1-e005"]
    assert flags.iloc[0].delay_days == 5  # the late follow-up answers the first pattern
    # the pattern after the follow-up counts only the missed contacts after it (s16: no shared evidence)
    assert list(flags["evidence_event_ids"]) == ["C1-e001; C1-e002", "C1-e004; C1-e005"]


def test_another_services_missed_contacts_are_its_own_pattern():
    flags = flags_of([missed("2023-01-10"), missed("2023-01-12", "HV"), missed("2023-02-10"),
                      missed("2023-02-12", "HV"), missed("2023-03-10"), missed("2023-03-12", "HV")])
    assert sorted(flags["agencies"]) == ["GP", "HV"]
    assert sorted(flags["evidence_event_ids"]) == ["C1-e001; C1-e003; C1-e005", "C1-e002; C1-e004; C1-e006"]


def test_no_access_home_visits_join_the_pattern_and_say_so():
    rows = [missed("2023-01-10"), missed("2023-02-10", text="No access visit - no reply at the door"),
            missed("2023-03-10", text="No access visit - no reply at the door")]
    flags = flags_of(rows)
    assert len(flags) == 1
    assert flags.iloc[0].explanation.startswith(
        "The child was not brought to 1 appointment and no access was gained at 2 home visits with GP")
