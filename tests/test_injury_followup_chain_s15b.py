"""A same-site follow-up read through the injury's episode (s15 QA pass 2, case B): "Seen re the distal radius
fracture, mother concerned about swelling" 18 days after "swollen right wrist ... buckle fracture right wrist"
and 10 days after the fracture clinic's review is the same fracture, not a new injury. Body-region words
between "re" and the noun do not count as its two words; a chain of follow-ups counts from its latest record;
the swelling the first record named is part of the episode. The package and the row-by-row baseline agree."""
from __future__ import annotations

import pytest

from review.rules import detect, load_rules
from review.rules.episodes import reading_args, text_reading
from review.rules.testing import make_timeline

from _baseline import baseline_pairs, package_pairs

RULES = load_rules()
INJURY_RULES = ["nonmobile_injury", "injury_not_escalated", "repeated_injury_or_ae"]
HOSP = {"agency": "Royal Infirmary", "agency_kind": "health"}
GP = {"agency": "Larkfield GP", "agency_kind": "health"}


def row(date, who, text, concerns, contact_type="clinic_appointment"):
    return {"date": date, **who, "description": text, "action": "", "concerns": concerns, "escalation": "",
            "contact_type": contact_type}


CASE_B = [
    row("2023-08-01", HOSP, "Brought by mother with swollen right wrist. X-ray: buckle fracture right wrist.",
        "fracture; other_injury", "ae_attendance"),
    row("2023-08-02", GP, "A&E letter re buckle fracture right wrist", "fracture", "letter"),
    row("2023-08-09", HOSP, "Fracture clinic: distal radius fracture review, healing", "fracture"),
    row("2023-08-19", HOSP, "Seen re the distal radius fracture, mother concerned about swelling",
        "fracture; other_injury"),
]
CASES = {
    "case B": CASE_B,
    # without the fracture clinic between, 18 days is past the same-site window: a new record
    "no chain": [CASE_B[0], CASE_B[3]],
    # the same words at another region: another injury
    "other region": CASE_B[:3] + [row("2023-08-19", HOSP, "Seen re the left ankle fracture", "fracture")],
    # a new injury named as such stays new
    "new": CASE_B[:3] + [row("2023-08-19", HOSP, "New fracture of the distal radius", "fracture")],
}


def triggers(rows, rule):
    flags = detect(make_timeline(rows), None, RULES, only=[rule])
    return [] if flags.empty else sorted(flags["trigger_event_id"])


def test_region_words_between_re_and_the_noun_do_not_count_as_its_two_words():
    args = reading_args(RULES["settings"]["injury_episodes"])
    assert text_reading("Seen re the distal radius fracture . ", *args)[4]  # was False: three words between
    assert text_reading("Seen re the left upper arm bruise . ", *args)[4]
    assert not text_reading("Seen re her sister and the new baby, fracture . ", *args)[4]


def test_the_review_after_the_fracture_clinic_is_a_record_of_the_same_fracture():
    # was: injury_not_escalated and nonmobile_injury flags on 19 Aug, and "2 injuries within 90 days"
    assert triggers(CASE_B, "injury_not_escalated") == ["C1-e001"]
    assert "C1-e004" not in triggers(CASE_B, "nonmobile_injury")
    assert triggers(CASE_B, "repeated_injury_or_ae") == []


def test_without_the_chain_the_window_counts_from_the_first_record():
    assert triggers(CASES["no chain"], "injury_not_escalated") == ["C1-e001", "C1-e002"]


def test_another_region_or_a_new_injury_is_still_flagged():
    assert "C1-e004" in triggers(CASES["other region"], "injury_not_escalated")
    assert "C1-e004" in triggers(CASES["new"], "injury_not_escalated")


@pytest.mark.parametrize("name", sorted(CASES))
@pytest.mark.parametrize("rule", INJURY_RULES)
def test_the_baseline_agrees(name, rule):
    assert baseline_pairs(CASES[name], rule) == package_pairs(CASES[name], rule)
