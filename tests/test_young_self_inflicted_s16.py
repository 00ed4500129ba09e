"""A young child's "self-inflicted" injury (s16 check): under self_harm_not_referred's minimum age (8) it is no
self-harm episode, and it stays an injury needing explanation. "Self-inflicted cuts" with no word of the body
read as self_harm only before s16, so in a child of 4 the injury rules saw no injury at all; it is now an injury
(other_injury) too, as "self-inflicted cuts to forearm" always was. The package and the baseline agree."""
from __future__ import annotations

import pytest

from review.config import package_data
from review.rules import detect, load_rules
from review.rules.testing import make_timeline
from review.vocab import tag_concerns

from _baseline import baseline_pairs, package_pairs

RULES = load_rules()
VOCAB = package_data("vocab.yml")
GP = {"agency": "Riverside GP", "agency_kind": "health", "contact_type": "clinic_appointment"}


@pytest.mark.parametrize("text", ["Self-inflicted cuts", "self inflicted wounds to wrists", "Self-inflicted cuts to forearm",
                                  "Superficial cuts to forearms, self-inflicted."])
def test_self_inflicted_cuts_are_an_injury_and_self_harm(text):
    assert {"other_injury", "self_harm"} <= set(tag_concerns(text, VOCAB))


def test_no_self_inflicted_cuts_is_neither():
    assert tag_concerns("No self-inflicted cuts seen", VOCAB) == []


def rows(first, dates=("2023-06-01", "2023-06-20")):
    texts = [first, "Bruise to shin"]
    return [{"date": d, **GP, "concerns": "; ".join(tag_concerns(t, VOCAB)), "description": t, "action": "Advice given."}
            for d, t in zip(dates, texts)]


def rules_of(flags):
    return [] if flags.empty else sorted(zip(flags["rule_id"], flags["trigger_event_id"]))


@pytest.mark.parametrize("first", ["Self-inflicted cuts", "Self-inflicted cuts to forearm"])
def test_a_four_year_olds_self_inflicted_cuts_are_an_injury_not_self_harm(first):
    flags = detect(make_timeline(rows(first), dob="2019-03-01"), None, RULES)
    # counted as an injury (2 injuries within 90 days: the second record's flag), never as self-harm
    assert rules_of(flags) == [("repeated_injury_or_ae", "C1-e002")]


def test_a_babys_self_inflicted_cuts_need_escalation():
    flags = detect(make_timeline(rows("Self-inflicted cuts")[:1], dob="2022-06-01"), None, RULES)
    assert rules_of(flags) == [("injury_not_escalated", "C1-e001")]


def test_a_teenagers_self_inflicted_cuts_are_self_harm():
    flags = detect(make_timeline(rows("Self-inflicted cuts")[:1], dob="2009-03-01"), None, RULES,
                   only=["self_harm_not_referred"])
    assert rules_of(flags) == [("self_harm_not_referred", "C1-e001")]


@pytest.mark.parametrize("rule", ["injury_not_escalated", "repeated_injury_or_ae", "self_harm_not_referred"])
def test_the_baseline_agrees(rule):
    # the baseline's case C1 is born 1 Jan 2023: aged 4 in 2027
    four = rows("Self-inflicted cuts", dates=("2027-06-01", "2027-06-20"))
    assert baseline_pairs(four, rule) == package_pairs(four, rule)
