"""child_not_seen, package and row-by-row baseline alike on a stretch ended by another agency's late sighting (s21).

A helper's small case: social care saw the child on 1 Mar 2023 and recorded neglect, the police saw the child on
14 Apr 2023 (44 days later), social care visited again on 20 May 2023. The baseline raised
``open_concerns_seen_late`` at the police's row (against social care); the package nothing. Neither rule was
wrong: the rows gave ``concerns`` but no ``open_concerns``, and `make_timeline` left that timeline column blank
(no concerns open on 14 Apr for the package) while the baseline builds its own timeline from the rows and read
social care's neglect open for the concern window (90 days), as `review.timeline.build_timeline` does. Per
docs/rules.md rule 6 (concerns recorded within the concern window by an agency that is not a hospital keep the
case open; a stretch past 42 days ended by another agency's sighting is flagged at it against the agencies
holding the case), the flag is right: `make_timeline` now derives ``open_concerns`` as the timeline does when no
row gives the column. Each case asserts package == baseline and the expected flags.
"""
from __future__ import annotations

import pytest

from _baseline import RULES, baseline_flags
from review.rules import detect
from review.rules.testing import make_timeline

CSC = {"agency": "Westshire Children's Services", "agency_kind": "social care"}
POLICE = {"agency": "Redvale Police", "agency_kind": "police"}
GP = {"agency": "Ashcombe Medical Practice", "agency_kind": "health"}


def row(date, who, text, contact_type="home_visit", seen=True, **kw):
    return {"date": date, "contact_type": contact_type, "child_seen": seen, "description": text,
            "on_cp_plan": False, **who, **kw}


def case(sighting):
    """Social care's neglect and sighting on 1 Mar 2023, `sighting`, social care's visit on 20 May 2023."""
    return [row("2023-03-01", CSC, "Home visit. Child seen. Neglect: poor home conditions.", concerns="neglect"),
            sighting,
            row("2023-05-20", CSC, "Home visit. Child seen.")]


def package(rows):
    flags = detect(make_timeline(rows), None, RULES, only=["child_not_seen"])
    return flags.set_index("trigger_event_id") if not flags.empty else flags


def both(rows):
    """The flags of child_not_seen as (trigger, agencies-named-by-the-package) and (trigger, variant)."""
    flags = package(rows)
    base = sorted((f["trigger_event_id"], f["variant"]) for f in baseline_flags(rows) if f["rule_id"] == "child_not_seen")
    assert sorted(flags.index) == [t for t, _ in base]
    return flags, base


def test_make_timeline_derives_open_concerns_as_the_timeline_does():
    rows = case(row("2023-04-14", POLICE, "Child seen by officers.", "police_callout"))
    assert make_timeline(rows)["open_concerns"].tolist() == ["neglect"] * 3
    # a column given by the rows is the timeline's own: kept as given
    given = [{**r, "open_concerns": ""} for r in rows]
    assert make_timeline(given)["open_concerns"].fillna("").tolist() == ["", "", ""]
    # past the concern window (90 days) a concern is no longer open
    late = rows + [row("2023-06-01", POLICE, "Welfare check.", "police_callout", seen=False)]
    assert make_timeline(late)["open_concerns"].fillna("").tolist()[-1] == ""


def test_the_reported_case_a_police_sighting_44_days_on_is_flagged_against_social_care():
    flags, base = both(case(row("2023-04-14", POLICE, "Child seen by officers.", "police_callout")))
    # was: the package raised nothing (open_concerns blank), the baseline this flag
    assert base == [("C1-e002", "open_concerns_seen_late")]
    flag = flags.loc["C1-e002"]
    assert flag["agencies"] == "Westshire Children's Services"  # not the police, which saw the child
    assert flag["expected_by"].strftime("%Y-%m-%d") == "2023-04-12"
    assert "for 44 days (last recorded sighting 1 Mar 2023; standard 42 days) when Redvale Police saw" in \
        flag["explanation"]


def test_a_sighting_by_another_kind_of_agency_the_gp():
    flags, base = both(case(row("2023-04-14", GP, "Consultation. Child seen.", "clinic_appointment")))
    assert base == [("C1-e002", "open_concerns_seen_late")]
    assert flags.loc["C1-e002", "agencies"] == "Westshire Children's Services"


def test_a_late_sighting_by_the_holding_agency_itself():
    # social care's own late visit ended the stretch: with concerns open (not a plan) a contact that saw the child
    # triggers only as the late sighting, against the agencies holding the case: social care itself
    flags, base = both(case(row("2023-04-14", CSC, "Home visit. Child seen.")))
    assert base == [("C1-e002", "open_concerns_seen_late")]
    assert flags.loc["C1-e002", "agencies"] == "Westshire Children's Services"


@pytest.mark.parametrize("date, gap, flagged", [("2023-04-12", 42, False), ("2023-04-13", 43, True)])
def test_a_gap_just_under_or_just_over_the_limit(date, gap, flagged):
    flags, base = both(case(row(date, POLICE, "Child seen by officers.", "police_callout")))
    assert base == ([("C1-e002", "open_concerns_seen_late")] if flagged else [])
    if flagged:
        assert f"for {gap} days" in flags.loc["C1-e002", "explanation"]


def test_a_partial_date_sighting_counts_at_its_latest_day_and_triggers_nothing():
    # "April 2023": a sighting any day of April, counted at the 30th (a gap never longer than certain); not an
    # exact-date row, so no trigger; social care's visit of 20 May is 20 days on from it
    sighting = row("2023-04-01", POLICE, "Child seen by officers.", "police_callout", date_precision="month")
    flags, base = both(case(sighting))
    assert base == [] and flags.empty


def test_an_unseen_contact_past_the_limit_keeps_the_flag_on_the_agency_that_missed_the_child():
    rows = case(row("2023-04-20", POLICE, "Child seen by officers.", "police_callout"))
    rows.insert(1, row("2023-04-14", CSC, "Home visit. No reply.", seen=False))
    flags, base = both(rows)
    # social care's unseen visit on day 44 (and its visit not followed up), not the police's sighting
    assert base == [("C1-e002", "open_concerns"), ("C1-e002", "visit_not_seen")]


# -- found by a seeded random comparison of package and baseline (s21): the baseline counted partial dates from
# -- their first day (a sighting "April 2023" on 1 April, a stretch opened by "March 2023" from 1 March)


def test_a_stretch_opened_by_a_partial_date_concern_counts_from_its_latest_day():
    # social care's neglect "March 2023": concerns open, for certain, from 31 March; the police's sighting of 10 May
    # is 40 days on (was: the baseline counted 70 days from 1 March and flagged it, the package nothing)
    rows = [row("2023-03-01", CSC, "Referral: neglect, poor home conditions.", "referral", seen=None,
                concerns="neglect", date_precision="month"),
            row("2023-05-10", POLICE, "Child seen by officers.", "police_callout")]
    flags, base = both(rows)
    assert base == [] and flags.empty


def test_a_partial_date_sighting_before_an_unseen_visit():
    # the GP saw the child "March 2023" (counted 31 March); social care's unseen visit of 5 May is 35 days on: no
    # stretch past 42 days (was: the baseline flagged 65 days from 1 March); the visit itself is not followed up
    rows = [row("2023-02-20", CSC, "Home visit. Child seen. Neglect.", concerns="neglect"),
            row("2023-03-01", GP, "Consultation. Child seen.", "clinic_appointment", date_precision="month"),
            row("2023-05-05", CSC, "Home visit. No reply.", seen=False)]
    flags, base = both(rows)
    assert base == [("C1-e003", "visit_not_seen")]
