"""Session 15, QA pass 2: a young person's own relationship abuse. A blow told of in it is no non-accidental
injury unless an injury is recorded; domestic_abuse_not_escalated names it as the young person's own
relationship even when DASH words add domestic_abuse; information_not_shared reads relationship_abuse and
domestic_abuse as one concern."""
from __future__ import annotations

import pytest

from review.config import package_data
from review.errors import ConfigError
from review.rules import detect, load_rules, merge_rules
from review.rules.testing import make_timeline
from review.vocab import tag_concerns

from _baseline import baseline_flags

VOCAB = package_data("vocab.yml")
RULES = load_rules()
POLICE = {"agency": "Police", "agency_kind": "police", "contact_type": "police_callout"}
SCHOOL = {"agency": "Riverside Academy", "agency_kind": "education", "contact_type": "other"}
CSC = {"agency": "Children's Social Care", "agency_kind": "social care", "contact_type": "referral_decision"}


@pytest.mark.parametrize("text, present, absent", [
    ("Jayden disclosed his girlfriend is controlling and threatened to hurt him if he talks to other girls.",
     {"relationship_abuse"}, {"non_accidental"}),
    ("Jayden says Tanya pushed him and took his bank card. Abusive relationship.", {"relationship_abuse"},
     {"non_accidental"}),
    # an injury recorded: the injury rules read it
    ("Controlling girlfriend. Jayden said she hit him, bruise to cheek.", {"relationship_abuse", "bruising"}, set()),
    # no relationship abuse read: a child's disclosure of being hit is still non_accidental
    ("Said his dad hit him with a belt", {"non_accidental"}, set()),
])
def test_relationship_abuse_without_injury_is_not_non_accidental(text, present, absent):
    found = set(tag_concerns(text, VOCAB))
    assert present <= found and not (absent & found), found


def test_no_injury_flag_for_relationship_abuse_without_an_injury():
    rows = [{"date": "2021-11-15", **SCHOOL, "concerns": "; ".join(tag_concerns(
        "Jayden says Tanya pushed him and took his bank card. Abusive relationship.", VOCAB)),
        "description": "Jayden says Tanya pushed him and took his bank card. Abusive relationship.",
        "action": "DSL advised Jayden. No referral made."}]
    flags = detect(make_timeline(rows, dob="2006-03-10"), None, RULES)  # 15
    assert sorted(flags["rule_id"]) == ["exploitation_not_referred"]


def test_dash_words_on_the_young_persons_own_relationship():
    text = "Further incident, girlfriend hit him. DASH: High"
    tags = tag_concerns(text, VOCAB)
    assert {"domestic_abuse", "relationship_abuse"} <= set(tags)
    rows = [{"date": "2021-11-29", **POLICE, "concerns": "; ".join(tags), "description": text,
             "action": "Referral to MARAC pending"}]
    flags = detect(make_timeline(rows, dob="2005-03-10"), None, RULES, only=["domestic_abuse_not_escalated"])
    assert len(flags) == 1
    assert flags.iloc[0].explanation.startswith(
        "Police recorded abuse in the young person's own relationship (teenage relationship abuse) on 29 Nov 2021")
    # the household's domestic abuse is still named so
    household = [{**rows[0], "concerns": "domestic_abuse", "description": "Domestic incident at home. DASH: High"}]
    flags = detect(make_timeline(household, dob="2005-03-10"), None, RULES, only=["domestic_abuse_not_escalated"])
    assert flags.iloc[0].explanation.startswith("Police recorded domestic abuse in the child's household")


def info_rows(date):
    return [{"date": date, **POLICE, "concerns": "domestic_abuse; relationship_abuse",
             "description": "Jayden (16) assaulted by his girlfriend. DASH completed - high risk."},
            {"date": date[:8] + "%02d" % (int(date[8:]) + 2), **CSC, "concerns": "domestic_abuse",
             "description": "MARAC notification received re Jayden as victim", "action": "NFA - no further action"}]


def test_relationship_abuse_and_domestic_abuse_are_one_concern_for_information_sharing():
    rows = info_rows("2021-11-08")
    rule = "information_not_shared"
    assert detect(make_timeline(rows, dob="2005-03-10"), None, RULES, only=[rule]).empty
    apart = load_rules()
    apart["rules"][rule]["params"]["same_concern"] = {}
    flags = detect(make_timeline(rows, dob="2005-03-10"), None, apart, only=[rule])
    assert len(flags) == 1 and "relationship abuse" in flags.iloc[0].explanation
    # the baseline alike (its case C1 is born 1 Jan 2023)
    later = info_rows("2039-11-08")
    assert [f for f in baseline_flags(later) if f["rule_id"] == rule] == []
    package = detect(make_timeline(later), None, apart, only=[rule])
    base = [f for f in baseline_flags(later, apart) if f["rule_id"] == rule]
    assert len(package) == len(base) == 1 and package.iloc[0].flag_id == base[0]["flag_id"]


def test_same_concern_names_concern_tags():
    with pytest.raises(ConfigError, match="unknown value"):
        merge_rules(RULES, {"rules": {"information_not_shared": {"same_concern": {"relationship_abuse": "dv"}}}},
                    "rules.yml")
