"""A fracture's swelling is one injury with the fracture, whichever came first (s16): "swollen left wrist" at
the GP, then the next day the ED's "X-ray: fracture of distal radius, left" (the same body region within
settings.injury_episodes.same_site_window_days) is one injury episode; so is the fracture with its swelling
recorded after it. Before s16 the swelling joined a fracture episode only when an earlier record of it named
the swelling, and never with no words of a follow-up. The package and the row-by-row baseline agree."""
from __future__ import annotations

import pytest

from review.rules import detect, load_rules
from review.rules.episodes import reading_args, text_reading
from review.rules.testing import make_timeline

from _baseline import baseline_pairs, package_pairs

RULES = load_rules()
INJURY_RULES = ["nonmobile_injury", "injury_not_escalated", "repeated_injury_or_ae"]
GP = {"agency": "Larkfield GP", "agency_kind": "health"}
ED = {"agency": "Royal Infirmary", "agency_kind": "health"}


def row(date, who, text, concerns, contact_type="clinic_appointment"):
    return {"date": date, **who, "description": text, "action": "", "concerns": concerns, "escalation": "",
            "contact_type": contact_type}


SWELLING = row("2023-08-01", GP, "Swollen left wrist", "other_injury")
FRACTURE = row("2023-08-02", ED, "X-ray: fracture of distal radius, left", "fracture", "ae_attendance")
CASES = {
    "swelling first": [SWELLING, FRACTURE],
    "fracture first": [{**FRACTURE, "date": "2023-08-01"}, {**SWELLING, "date": "2023-08-02"}],
    "13 days": [SWELLING, {**FRACTURE, "date": "2023-08-14"}],
    # past the same-site window: two injuries
    "20 days": [SWELLING, {**FRACTURE, "date": "2023-08-21"}],
    # another body region: two injuries
    "other region": [row("2023-08-01", GP, "Swollen right ankle", "other_injury"), FRACTURE],
    # the swelling with another injury of its tag (a laceration): not the fracture's swelling alone
    "laceration": [row("2023-08-01", GP, "Swollen left wrist, laceration to wrist", "other_injury"), FRACTURE],
    # a new injury named as such stays new
    "new": [SWELLING, row("2023-08-02", ED, "New fracture of distal radius, left", "fracture", "ae_attendance")],
    # a bruise then a fracture at the same place: not swelling, two injuries as before
    "bruise": [row("2023-08-01", GP, "Bruise to left wrist", "bruising"), FRACTURE],
}
ONE = ["swelling first", "fracture first", "13 days"]


def triggers(rows, rule, dob="2023-01-01"):
    flags = detect(make_timeline(rows, dob=dob), None, RULES, only=[rule])
    return [] if flags.empty else sorted(flags["trigger_event_id"])


def test_text_reading_names_swelling_only():
    args = reading_args(RULES["settings"]["injury_episodes"])
    assert text_reading("Swollen left wrist . ", *args)[5]
    assert text_reading("swelling to L wrist, mum unsure how . ", *args)[5]
    assert not text_reading("Swollen lip, laceration . ", *args)[5]
    assert not text_reading("X-ray: fracture of distal radius, left . ", *args)[5]


@pytest.mark.parametrize("name", ONE)
def test_a_fracture_and_its_swelling_are_one_injury_whichever_came_first(name):
    # was: two injury_not_escalated flags and a repeated_injury_or_ae flag ("2 injuries within 90 days")
    assert triggers(CASES[name], "injury_not_escalated") == ["C1-e001"]
    assert triggers(CASES[name], "repeated_injury_or_ae") == []


def test_the_first_records_flag_names_the_other_as_read_with_it():
    flags = detect(make_timeline(CASES["swelling first"]), None, RULES, only=["injury_not_escalated"])
    assert "Read as follow-ups of this injury, not new injuries: 2 Aug 2023" in flags["explanation"].iloc[0]


def test_a_non_mobile_babys_swelling_and_fracture_are_one_flag():
    assert triggers(CASES["swelling first"], "nonmobile_injury", dob="2023-05-01") == ["C1-e001"]


@pytest.mark.parametrize("name", sorted(set(CASES) - set(ONE)))
def test_other_pairs_are_still_two_injuries(name):
    assert triggers(CASES[name], "injury_not_escalated") == ["C1-e001", "C1-e002"]


@pytest.mark.parametrize("name", sorted(CASES))
@pytest.mark.parametrize("rule", INJURY_RULES)
def test_the_baseline_agrees(name, rule):
    assert baseline_pairs(CASES[name], rule) == package_pairs(CASES[name], rule)


EXPLAINED = [row("2023-08-01", GP, "Swollen left wrist, explanation consistent with fall, no safeguarding concerns",
                 "other_injury"), FRACTURE]


def test_a_fracture_found_after_a_swelling_recorded_as_explained_is_still_flagged():
    # a mobile child of 14 months: the explained swelling raises no flag, and the fracture the explanation did
    # not know of is no follow-up of it
    assert triggers(EXPLAINED, "injury_not_escalated", dob="2022-06-01") == ["C1-e002"]
    # the fracture's swelling recorded as explained after the fracture: the fracture's flag covers both
    after = [{**FRACTURE, "date": "2023-08-01"}, {**EXPLAINED[0], "date": "2023-08-02"}]
    assert triggers(after, "injury_not_escalated", dob="2022-06-01") == ["C1-e001"]


@pytest.mark.parametrize("rule", INJURY_RULES)
def test_the_baseline_agrees_on_an_explained_swelling(rule):
    rows = EXPLAINED
    assert baseline_pairs(rows, rule) == package_pairs(rows, rule)
