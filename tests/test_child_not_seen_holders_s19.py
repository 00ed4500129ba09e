"""child_not_seen: a stretch past the limit ended by another agency's sighting is flagged against the agencies
holding the case (s19, QA5 "child_not_seen gaps ended by another agency's sighting are never flagged").

s18 flagged an unseen stretch only at a contact at which the child was not seen (`_may_trigger`): a stretch of
47 days with concerns open, ended by a GP's sighting with no unseen contact past day 42, raised nothing, although
the agencies holding the case had not seen the child in time. Now such a stretch is flagged at that sighting
(the first contact past the limit; variant ``..._seen_late``), named against the agencies that held the case when
the limit passed: with concerns open, the agencies whose concerns kept the case open, of those that see children
(visit_agency_kinds); on a plan, the plan's holder (plan_holder_kinds). The sighting's own agency is not blamed.
Checked in the row-by-row baseline too.
"""
from __future__ import annotations

import pandas as pd

from test_child_not_seen_attribution_s18 import CSC, GP, HV, ICPC, OPENED, baseline_of, flags_of, plan_row, row

POLICE = {"agency": "Redvale Police", "agency_kind": "police"}


def test_a_stretch_ended_by_a_gps_sighting_is_flagged_against_the_health_visitor():
    rows = [OPENED, row("2024-04-24", GP, True, "8 week check. Lily seen.", "clinic_appointment")]
    flags = flags_of(rows)
    # was: no flag (the GP's late sighting ended the stretch; no contact missed the child past the limit)
    assert list(flags["trigger_event_id"]) == ["C1-e002"]
    flag = flags.iloc[0]
    assert flag["agencies"] == "Redvale Health Visiting"  # not the GP, which saw the child
    assert flag["explanation"] == (
        "No agency had recorded seeing the child with concerns open for 43 days (last recorded sighting 12 Mar 2024; "
        "standard 42 days) when Ashcombe Medical Practice saw the child on 24 Apr 2024; the agencies holding the case "
        "(Redvale Health Visiting) were expected to see the child by 23 Apr 2024.")
    assert flag["expected_action"] == ("child seen at least every 42 days with concerns open by the agencies holding "
                                       "the case (Redvale Health Visiting)")
    assert flag["actual_action_event_id"] == "C1-e002" and flag["delay_days"] == 1
    assert flag["severity"] == "medium"
    assert baseline_of(rows) == [("C1-e002", "open_concerns_seen_late")]


def test_a_sighting_within_the_limit_raises_nothing():
    rows = [OPENED, row("2024-04-22", GP, True, "8 week check. Lily seen.", "clinic_appointment")]
    assert flags_of(rows).empty
    assert baseline_of(rows) == []


def test_an_unseen_contact_past_the_limit_keeps_the_flag_on_the_agency_that_missed_the_child():
    rows = [OPENED, row("2024-04-30", HV, False, "No access visit, unable to gain access.", "was_not_brought",
                        concerns="was_not_brought"),
            row("2024-05-02", GP, True, "Lily seen.", "clinic_appointment")]
    flags = flags_of(rows)
    gaps = flags[flags["explanation"].str.startswith(("When ", "No agency"))]
    assert list(gaps["trigger_event_id"]) == ["C1-e002"]  # one flag per stretch: not also at the GP's sighting
    assert ("C1-e003", "open_concerns_seen_late") not in baseline_of(rows)


def test_the_police_holds_no_case_to_see_the_child():
    police = row("2024-03-20", POLICE, False, "Domestic incident, child present.", "police_callout",
                 concerns="domestic_abuse")
    rows = [OPENED, police, row("2024-05-10", GP, True, "Lily seen.", "clinic_appointment")]
    flags = flags_of(rows)
    late = flags[flags["explanation"].str.startswith("No agency")]
    # the police's contact saw nothing past the limit; the stretch (from the health visitor's sighting) ends at
    # the GP's: the health visitor holds the case, not the police
    assert list(late["trigger_event_id"]) == ["C1-e003"]
    assert late.iloc[0]["agencies"] == "Redvale Health Visiting"
    assert ("C1-e003", "open_concerns_seen_late") in baseline_of(rows)


def test_on_a_plan_another_agencys_late_sighting_names_the_plans_holder():
    rows = [plan_row("2024-03-01", CSC, True, ICPC, "cp_conference"),
            plan_row("2024-03-25", GP, True, "Noah seen.", "clinic_appointment"),
            plan_row("2024-03-30", CSC, True, "Statutory visit. Noah seen.")]
    flags = flags_of(rows, review="2024-04-05")
    assert list(flags["trigger_event_id"]) == ["C1-e002"]
    flag = flags.iloc[0]
    assert flag["agencies"] == "Westshire Children's Services"
    assert flag["severity"] == "high"
    assert "on a child protection plan for 24 days" in flag["explanation"]
    assert "the agencies holding the case (Westshire Children's Services) were expected to see the child by " \
           "15 Mar 2024" in flag["explanation"]
    assert baseline_of(rows, review="2024-04-05") == [("C1-e002", "cp_plan_seen_late")]


def test_no_flag_on_the_day_of_death():
    rows = [OPENED, row("2024-04-24", GP, pd.NA, "Brought in unresponsive. Declared dead.", "other")]
    assert flags_of(rows, death="2024-04-24").empty
    assert baseline_of(rows, death="2024-04-24") == []
