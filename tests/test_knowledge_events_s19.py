"""information_not_shared and agency_knowledge per event (s19, QA5 A1, J3 and the repeated flags): an injury
or a missed appointment is known to the deciding agency only when that record reached it (or it recorded the
same injury, or its receipt), a condition when any record of it did; one flag per decision; a conference's
agencies pooled; an agency new to the child asked about what preceded its first record. Each fixture is run
through the row-by-row baseline too."""
from __future__ import annotations

import copy

import pandas as pd

from review.rules import agency_knowledge, detect, load_rules
from review.rules.testing import make_timeline

from _baseline import baseline_pairs, package_pairs

RULE = "information_not_shared"
RULES = load_rules()
CSC = {"agency": "Westbridge Children's Social Care", "agency_kind": "social care"}
NURSERY = {"agency": "Little Stars Day Nursery", "agency_kind": "education"}
HV = {"agency": "Westbridge Health Visiting Service", "agency_kind": "health"}
GP = {"agency": "Riverside Surgery", "agency_kind": "health"}
POLICE = {"agency": "Westbridge Police", "agency_kind": "police"}
OLD = {"child_mobile": True}


def row(date, who, contact_type, description, concerns="", action="", **kw):
    return {"date": date, **who, "contact_type": contact_type, "description": description, "action": action,
            "concerns": concerns, **OLD, **kw}


def flags_of(rows, rules=RULES):
    return detect(make_timeline(rows), None, rules, only=[RULE])


def same_as_baseline(rows):
    assert package_pairs(rows, RULE) == baseline_pairs(rows, RULE)


def test_another_bruise_the_deciding_agency_recorded_is_not_the_nurserys():
    """QA5 A1: social care recorded a relative's photographs of bruises to the arms, then closed the case; the
    nursery's bruise to the forehead three weeks earlier had never reached it. Before s19 social care "knew"
    bruising (its own record of the tag) and no flag was raised."""
    rows = [row("2023-10-07", NURSERY, "other", "Bruise to forehead at drop off. Mum said she fell.", "bruising",
                "Logged on body map. Monitor."),
            row("2023-10-28", CSC, "referral", "Referral from aunt with photographs of bruises to both upper arms.",
                "bruising", "Announced home visit."),
            row("2023-11-04", CSC, "case_closure", "Home visit. Explanation plausible.", "", "Closed - no further action.")]
    flags = flags_of(rows)
    assert list(flags["trigger_event_id"]) == ["C1-e001"]
    assert flags.iloc[0].explanation == (
        "Little Stars Day Nursery recorded bruising on 7 Oct 2023 and there is no record it reached Westbridge "
        "Children's Social Care before its decision (case closure) on 4 Nov 2023.")
    knowledge = agency_knowledge(make_timeline(rows), RULES)
    closure = knowledge.iloc[-1]
    assert closure.concerns_known_to_agency == "bruising" and closure.missing_concerns == "bruising"
    assert closure.missing_from == "Little Stars Day Nursery"
    same_as_baseline(rows)


def test_the_same_bruise_recorded_the_same_day_in_other_words_was_known():
    rows = [row("2023-10-07", GP, "clinic_appointment", "Bruising L cheek, mum says fell against table.", "bruising"),
            row("2023-10-07", HV, "home_visit", "Small bruise to left cheek seen at home visit.", "bruising"),
            row("2023-11-04", HV, "other", "Review.", "", "No further action.")]
    assert flags_of(rows).empty
    same_as_baseline(rows)


def test_a_bruise_elsewhere_the_same_day_is_another_injury():
    rows = [row("2023-10-07", GP, "clinic_appointment", "Bruising to right thigh, mum says fell.", "bruising"),
            row("2023-10-07", HV, "home_visit", "Small bruise to left cheek seen at home visit.", "bruising"),
            row("2023-11-04", HV, "other", "Review.", "", "No further action.")]
    assert list(flags_of(rows)["trigger_event_id"]) == ["C1-e001"]
    same_as_baseline(rows)


def test_a_chain_of_records_of_one_black_eye_is_one_injury():
    """The health visitor saw the bruise below the eye; the grandmother's photographs the next day, social care's
    visit ("bruising to eye fading") and the nursery's "fading black eye" are records of the same injury."""
    rows = [row("2024-01-14", HV, "home_visit", "Small bruise below left eye; fell off the sofa.", "bruising",
                "Universal service."),
            row("2024-01-15", CSC, "referral", "Grandmother sent photos of a black eye.", "bruising"),
            row("2024-01-17", CSC, "home_visit", "Amara seen, bruising to eye fading.", "bruising", "Case closed."),
            row("2024-01-20", NURSERY, "other", "Returned after a week off with a fading black eye.", "bruising"),
            row("2024-02-20", HV, "phone_call", "Phoned mother.", "", "Universal service.")]
    flags = flags_of(rows)
    # the health visitor's 20 Feb decision knew of every record of the black eye
    assert not (flags["expected_by"] == pd.Timestamp("2024-02-20")).any()
    same_as_baseline(rows)


def test_a_condition_the_deciding_agency_recorded_itself_is_known_by_its_tag():
    rows = [row("2023-03-01", GP, "clinic_appointment", "Mother low in mood, started sertraline.", "parental_mental_health"),
            row("2023-03-20", CSC, "assessment", "Mother says she has depression.", "parental_mental_health"),
            row("2023-04-01", CSC, "case_closure", "Assessment complete.", "", "Case closed.")]
    assert flags_of(rows).empty
    same_as_baseline(rows)


def test_a_receipt_naming_the_sender_and_the_concern_reached_the_agency():
    rows = [row("2023-03-01", GP, "clinic_appointment", "Bruise to arm, vague explanation.", "bruising"),
            row("2023-03-03", CSC, "other", "Email from Riverside Surgery re bruise to arm.", "bruising"),
            row("2023-03-20", CSC, "case_closure", "Assessment complete.", "", "Case closed.")]
    assert flags_of(rows).empty
    same_as_baseline(rows)


def test_one_flag_per_decision_lists_every_concern_and_keeps_the_first_concerns_id():
    decision = row("2023-04-30", HV, "phone_call", "Rang mother.", "", "No further action.")
    first = row("2023-02-25", CSC, "referral", "Aunt reports a burn on her hand.", "burn")
    rows = [first,
            row("2023-03-09", GP, "clinic_appointment", "Bruise to forehead, fell against fireguard.", "bruising"),
            row("2023-04-01", CSC, "referral", "Grandmother saw bruising to the chin on a video call.", "bruising"),
            decision]
    flags = flags_of(rows)
    assert len(flags) == 1
    flag = flags.iloc[0]
    assert flag.trigger_event_id == "C1-e001" and flag.expected_by == pd.Timestamp("2023-04-30")
    assert flag.evidence_event_ids == "C1-e001; C1-e002; C1-e003; C1-e004"
    assert flag.explanation == (
        "There is no record that these concerns reached Westbridge Health Visiting Service before its decision (no "
        "further action) on 30 Apr 2023: Westbridge Children's Social Care recorded burn on 25 Feb 2023; Riverside "
        "Surgery recorded bruising on 9 Mar 2023; Westbridge Children's Social Care recorded bruising on 1 Apr 2023.")
    # the flag the first concern raised alone has the same id: a reviewer's decision on it still applies
    alone = flags_of([first, {**decision, "event_id": "C1-e004"}])
    assert list(alone["flag_id"]) == [flag.flag_id]
    same_as_baseline(rows)


def test_each_concern_is_listed_at_the_first_decision_only():
    rows = [row("2023-10-07", NURSERY, "other", "Bruise to forehead.", "bruising"),
            row("2023-11-04", CSC, "case_closure", "Visit.", "", "Closed - no further action."),
            row("2023-11-18", NURSERY, "other", "Fingertip bruising to both upper arms, not referred.", "bruising"),
            row("2024-01-17", CSC, "case_closure", "Visit.", "", "Case closed.")]
    flags = flags_of(rows)
    assert list(zip(flags["trigger_event_id"], flags["expected_by"])) == [
        ("C1-e001", pd.Timestamp("2023-11-04")), ("C1-e003", pd.Timestamp("2024-01-17"))]
    same_as_baseline(rows)


def test_an_agency_at_a_conference_knew_what_social_care_brought_to_it():
    conference = "Initial child protection conference: plan under physical abuse. Concerns: burn to right hand."
    rows = [row("2023-09-12", CSC, "referral", "Referral from GP: burn to the hand.", "burn"),
            row("2023-10-19", CSC, "cp_conference", conference, "burn", event_group="ICPC"),
            row("2023-10-19", POLICE, "cp_conference", "Attended. " + conference, "burn", event_group="ICPC")]
    assert flags_of(rows).empty
    # without the conference linking them, the police had not been told of the referral
    apart = [rows[0], rows[1], {**rows[2], "event_group": "police"}]
    apart[2]["description"] = "Attended a meeting."
    apart[2]["concerns"] = ""
    assert list(flags_of(apart)["trigger_event_id"]) == ["C1-e001"]
    same_as_baseline(rows)
    same_as_baseline(apart)


EHE = {"agency": "Local Authority Elective Home Education Team", "agency_kind": "education"}
SCHOOL = {"agency": "Oakfield Primary School", "agency_kind": "education"}


def _home_education(first_record):
    return [row("2021-12-15", SCHOOL, "other", "Jordan said 'mum locks the fridge'.", "neglect", "DSL to consider."),
            row(first_record, EHE, "letter", "Deregistration notice received. No concerns recorded by school.", ""),
            row("2022-04-21", EHE, "other", "Written report received from mother.",
                "", "Provision deemed 'suitable' provisionally.")]


def test_a_new_agency_is_asked_about_what_preceded_its_first_record():
    """QA5 J3: the home education team first recorded the child on 12 Jan and deemed the education suitable on 21
    Apr, 127 days after the school's disclosure: the 90-day window alone left the disclosure out."""
    rows = _home_education("2022-01-12")
    flags = flags_of(rows)
    assert list(flags["trigger_event_id"]) == ["C1-e001"]
    assert "before its decision (education deemed suitable) on 21 Apr 2022" in flags.iloc[0].explanation
    knowledge = agency_knowledge(make_timeline(rows), RULES)
    assert list(knowledge["missing_concerns"]) == ["neglect"]
    same_as_baseline(rows)
    # an agency involved for longer than new_agency_days: the usual window only
    assert flags_of(_home_education("2021-10-01")).empty
    same_as_baseline(_home_education("2021-10-01"))
    rules = copy.deepcopy(RULES)
    rules["rules"][RULE]["params"]["new_agency_days"] = None
    assert flags_of(rows, rules).empty
