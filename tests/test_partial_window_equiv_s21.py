"""Partial-date evidence in a look-back window, package and row-by-row baseline alike (s21, found by a seeded random
comparison of the two): docs/rules.md "Partial dates" 3, a partial-date row counts as evidence in a look-back window
(injuries in 90 days, concerns before a closure) only when its whole period lies inside the window. The baseline
counted such a row from its first day: a bruise "May 2023" before a referral of 6 May, a bruise "April 2023" before a
closure of 21 April, and raised flags the package (rightly) did not."""
from __future__ import annotations

from _baseline import RULES, baseline_flags
from review.rules import detect
from review.rules.testing import make_timeline


def row(date, agency, kind, contact_type, text, concerns="", seen=None, precision="day", action=""):
    out = {"date": date, "agency": agency, "agency_kind": kind, "contact_type": contact_type, "description": text,
           "action": action, "concerns": concerns, "on_cp_plan": False, "date_precision": precision}
    if seen is not None:
        out["child_seen"] = seen
    return out


def flags(rows, rule):
    found = detect(make_timeline(rows), None, RULES, only=[rule])
    package = sorted(found["trigger_event_id"]) if not found.empty else []
    base = sorted(f["trigger_event_id"] for f in baseline_flags(rows) if f["rule_id"] == rule)
    assert package == base
    return package


def closure(precision):
    return [row("2023-04-01", "Redvale Police", "police", "other", "Bruise noted on arm.", "bruising", True, precision),
            row("2023-04-21", "Redvale Health Visiting", "health", "case_closure", "Case closed.",
                action="Case closed - NFA.")]


def test_a_concern_known_only_to_a_month_running_past_the_closure_is_not_before_it():
    # "April 2023" may be after the closure of 21 April (was: the baseline flagged the closure)
    assert flags(closure("month"), "closure_with_open_concerns") == []


def test_the_same_concern_on_an_exact_day_before_the_closure_is():
    assert flags(closure("day"), "closure_with_open_concerns") == ["C1-e002"]


def injuries(precision):
    return [row("2023-05-01", "Ashcombe Medical Practice", "health", "other", "Bruise noted on arm.", "bruising",
                None, precision),
            row("2023-05-06", "Westshire Children's Services", "social care", "referral", "Referral: bruise to cheek.",
                "bruising", True)]


def test_an_injury_known_only_to_a_month_running_past_the_trigger_is_not_in_its_window():
    # "May 2023" may be after the referral of 6 May (was: the baseline counted two injuries and flagged)
    assert flags(injuries("month"), "repeated_injury_or_ae") == []


def test_the_same_injury_on_an_exact_day_before_it_counts():
    assert flags(injuries("day"), "repeated_injury_or_ae") == ["C1-e002"]
