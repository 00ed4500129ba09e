"""Injury readings of s15: body regions (vocab.yml body_regions: "distal radius" is the wrist), a same-site
follow-up in plain words within settings.injury_episodes.same_site_window_days ("seen re the burn on his
hand"), the explained-injury exemption read per injury mention, the mobility words read from vocab.yml, and
a nursery's "Ellie-Mae arrived" read as a sighting. The package and the row-by-row baseline agree."""
from __future__ import annotations

import copy

import pytest

from review import mobility
from review.config import package_data
from review.rules import detect, load_rules
from review.rules.episodes import explained_text, reading_args, region_words, text_reading
from review.rules.testing import make_timeline
from review.sightings import read_sighting, with_child_names

from _baseline import baseline_pairs, package_pairs

RULES = load_rules()
INJURY_RULES = ["nonmobile_injury", "injury_not_escalated", "repeated_injury_or_ae"]
HOSP = {"agency": "St Anne's Hospital", "agency_kind": "health"}
GP = {"agency": "Larkfield GP", "agency_kind": "health"}
HV = {"agency": "Health Visiting", "agency_kind": "health"}
NURSERY = {"agency": "Little Acorns Nursery", "agency_kind": "education"}


def row(date, who, text, action="", concerns="", contact_type="home_visit", **kw):
    return {"date": date, **who, "description": text, "action": action, "concerns": concerns, "escalation": "",
            "contact_type": contact_type, **kw}


def triggers(rows, rule, rules=RULES):
    flags = detect(make_timeline(rows), None, rules, only=[rule])
    return [] if flags.empty else sorted(flags["trigger_event_id"])


CASES = {
    # the wrist fracture's review names the forearm and the distal radius: one region, one injury
    "wrist": [row("2023-09-01", HOSP, "Fractured L wrist after fall", concerns="fracture", contact_type="ae_attendance"),
              row("2023-09-10", HOSP, "Forearm fracture clinic: distal radius healing", concerns="fracture",
                  contact_type="clinic_appointment")],
    "skull": [row("2023-09-01", HOSP, "Parietal skull fracture", concerns="fracture; head_injury",
                  contact_type="ae_attendance"),
              row("2023-09-12", GP, "Head injury follow up", concerns="head_injury", contact_type="clinic_appointment")],
    # a burn to the hand, seen again re the burn, then scabbed over: one burn
    "burn": [row("2023-09-01", GP, "Burn to hand from hot cup", "Dressing", concerns="burn",
                 contact_type="clinic_appointment"),
             row("2023-09-05", HV, "Seen re the burn on his hand", concerns="burn"),
             row("2023-09-09", HV, "Burn to hand, scabbed over", concerns="burn")],
    # a bruise to the shin, and a bruise to the shin three weeks later, even "re the bruise": two bruises
    "three weeks": [row("2023-09-01", GP, "Bruise to shin", concerns="bruising", contact_type="clinic_appointment"),
                    row("2023-09-22", HV, "Bruise to shin, seen re the bruise", concerns="bruising")],
    # the same words a few days later but at another region, or with nothing of a follow-up: new injuries
    "other region": [row("2023-09-01", GP, "Bruise to shin", concerns="bruising", contact_type="clinic_appointment"),
                     row("2023-09-04", HV, "Bruise to cheek, seen re the bruise", concerns="bruising")],
    "no reading": [row("2023-09-01", GP, "Bruise to shin", concerns="bruising", contact_type="clinic_appointment"),
                   row("2023-09-04", HV, "Bruise to shin", concerns="bruising")],
    # explained for the shin, not for the upper arm's fingertip bruising: flagged
    "explained one of two": [row("2023-09-01", GP, "Bruise to shin, explanation consistent with fall, no safeguarding "
                                 "concerns. Fingertip bruising to upper arm.", "Advice", concerns="bruising",
                                 contact_type="clinic_appointment")],
    "explained": [row("2023-09-01", GP, "Bruise to shin, explanation consistent with fall, no safeguarding concerns.",
                      "Advice", concerns="bruising", contact_type="clinic_appointment")],
    "explained both": [row("2023-09-01", GP, "Bruise to shin. Graze to knee. Explanation consistent with fall. "
                           "No safeguarding concerns.", "Advice", concerns="bruising; other_injury",
                           contact_type="clinic_appointment")],
}


@pytest.mark.parametrize("name", sorted(CASES))
@pytest.mark.parametrize("rule", INJURY_RULES)
def test_the_baseline_agrees(name, rule):
    assert baseline_pairs(CASES[name], rule) == package_pairs(CASES[name], rule)


def test_a_review_naming_another_word_for_the_same_region_is_the_same_injury():
    # was: a second injury_not_escalated flag on the review, and "2 injuries within 90 days"
    assert triggers(CASES["wrist"], "injury_not_escalated") == ["C1-e001"]
    assert triggers(CASES["wrist"], "repeated_injury_or_ae") == []
    assert triggers(CASES["skull"], "injury_not_escalated") == ["C1-e001"]


def test_a_same_site_follow_up_in_plain_words_is_the_same_injury_and_the_flag_says_so():
    # was: three injury_not_escalated flags and two repeated_injury_or_ae flags
    flags = detect(make_timeline(CASES["burn"]), None, RULES, only=["injury_not_escalated", "repeated_injury_or_ae"])
    assert list(flags["trigger_event_id"]) == ["C1-e001"]
    text = flags["explanation"].iloc[0]
    assert "Read as follow-ups of this injury, not new injuries: 5 Sep 2023, 9 Sep 2023" in text
    assert "within 14 days" in text and "same_site_window_days" in text


def test_a_new_bruise_at_the_same_site_weeks_later_still_flags():
    assert triggers(CASES["three weeks"], "injury_not_escalated") == ["C1-e001", "C1-e002"]
    assert triggers(CASES["three weeks"], "repeated_injury_or_ae") == ["C1-e002"]
    assert triggers(CASES["other region"], "injury_not_escalated") == ["C1-e001", "C1-e002"]
    assert triggers(CASES["no reading"], "injury_not_escalated") == ["C1-e001", "C1-e002"]


def test_the_same_site_window_is_configurable():
    rules = copy.deepcopy(RULES)
    rules["settings"]["injury_episodes"]["same_site_window_days"] = 30
    assert triggers(CASES["three weeks"], "injury_not_escalated", rules) == ["C1-e001"]
    rules["settings"]["injury_episodes"]["same_site_window_days"] = 0  # off
    assert triggers(CASES["burn"], "injury_not_escalated", rules) == ["C1-e001", "C1-e002", "C1-e003"]


def test_the_explained_exemption_is_read_per_injury():
    assert triggers(CASES["explained one of two"], "injury_not_escalated") == ["C1-e001"]  # was: none
    assert triggers(CASES["explained"], "injury_not_escalated") == []
    assert triggers(CASES["explained both"], "injury_not_escalated") == []


@pytest.mark.parametrize("text, explained", [
    ("Bruise to shin, explanation consistent with fall, no safeguarding concerns. Fingertip bruising to upper arm.",
     False),
    ("Bruise to shin. Explanation consistent with fall. Fingertip bruising to arm. No safeguarding concerns", False),
    ("Bruise to shin. Graze to knee. Explanation consistent with fall. No safeguarding concerns.", True),
    ("Bruise to shin and bruise to knee, explanation consistent with the history, no safeguarding concerns", True),
    # cannot tell, read whole: the explanation before every injury, naming none; an unexplained part naming no
    # body region, or only the explained one's (the advice about the same head injury)
    ("Explanation consistent with fall. Bruise to shin. Graze to knee. No safeguarding concerns", True),
    ("Bruise to shin, explanation consistent with fall, no safeguarding concerns. Fingertip bruising noted", True),
    ("Bumped head on table. Explanation consistent with injury & developmental stage. . Head injury advice given. "
     "No safeguarding concerns.", True),
])
def test_explained_text_per_injury(text, explained):
    q = RULES["rules"]["injury_not_escalated"]["params"]
    cues = tuple(q["explained_cues"]), tuple(q["unconcerned_cues"])
    regions = reading_args(RULES["settings"]["injury_episodes"])[2]
    assert explained_text(text, *cues) is True  # read whole, as before
    assert explained_text(text, *cues, tuple(q["injury_tags"]), regions) is explained


def test_body_regions_come_from_vocab_and_a_site_in_none_is_its_own():
    regions = region_words(["wrist", "elbow", "pinkie"], {"forearm and wrist": ["wrist", "distal radius"]})
    assert regions == (("wrist", "distal radius"), ("elbow",), ("pinkie",))
    args = reading_args(RULES["settings"]["injury_episodes"])
    wrist = text_reading("Fractured L wrist", *args)[2]
    assert wrist & text_reading("distal radius fracture review", *args)[2]
    assert wrist & text_reading("Radius/ulna fracture", *args)[2]
    assert text_reading("femur", *args)[2] & text_reading("bruise to thigh", *args)[2]
    assert text_reading("bruised ribs", *args)[2] & text_reading("chest bruising", *args)[2]
    assert text_reading("cheek", *args)[2] & text_reading("face", *args)[2]
    assert not text_reading("bruise to R ear", *args)[2] & text_reading("bruise to L cheek", *args)[2]
    # a case's vocabulary may extend a region
    own = copy.deepcopy(package_data("vocab.yml"))
    own["body_regions"]["hand"].append("pinkie")
    args = reading_args(RULES["settings"]["injury_episodes"], own)
    assert text_reading("pinkie", *args)[2] & text_reading("hand", *args)[2]


def test_plain_follow_up_readings():
    args = reading_args(RULES["settings"]["injury_episodes"])
    assert text_reading("Seen re the burn on his hand", *args)[4] is True
    assert text_reading("Burn to hand, scabbed over", *args)[4] is True
    assert text_reading("Mum rang re appointment. Bruise to shin", *args)[4] is False


def test_the_mobility_words_are_vocab_ymls():
    words = package_data("vocab.yml")["mobility"]
    assert mobility.MOBILE_WORDS == tuple(words["mobile_words"])
    assert mobility.NONMOBILE_MILESTONES == tuple(words["nonmobile_milestones"])
    assert "no" in mobility.MOBILE_NOT_AFTER  # quoted in the file: not read as false
    assert mobility.mobility_statement("Not yet rolling or sitting") == mobility.NOT_MOBILE
    assert mobility.mobility_statement("Now crawling everywhere") == mobility.MOBILE
    assert mobility.mobility_statement("Mum not mobile since her operation") == mobility.NO_STATEMENT
    assert mobility.mobility_statement("mobile phone number changed") == mobility.NO_STATEMENT


@pytest.mark.parametrize("text, seen", [
    ("Ellie-Mae arrived with a bruise to her forehead", True),
    ("Child arrived at nursery with mum", True),
    ("Mum dropped off Ellie-Mae at 9am", True),
    ("Ellie-Mae collected by dad at 3pm", True),
    ("Ellie-Mae attended nursery today", True),
    ("Police arrived at the address", None),
    ("Mum collected prescription", None),
    ("Ellie-Mae did not arrive at nursery", None),
    ("Sibling arrived with mum", None),
])
def test_a_nursery_arrival_of_the_child_is_a_sighting(text, seen):
    key = with_child_names("", "Ellie-Mae Reid")
    assert read_sighting("phone_call", "", text, "", vocab=key) is seen


def test_a_nursery_arrival_is_a_sighting_in_the_timeline():
    rows = [row("2023-09-01", NURSERY, "Child arrived with a bruise to her forehead", concerns="bruising",
                contact_type="phone_call", child_seen=None)]
    timeline = make_timeline(rows)
    assert bool(timeline["child_seen_inferred"].iloc[0]) is True
