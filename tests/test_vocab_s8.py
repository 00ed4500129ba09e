"""A concern label answered "not seen" is no concern and not the child unseen ("Bruising: not seen",
"Bruises - not seen")."""
from __future__ import annotations

import pytest

from review.config import load_vocab
from review.pipeline import analyse, load_case
from review.rules import load_rules
from review.rules.base import _mentioned
from review.vocab import detect_escalation, tag_concerns

VOCAB = load_vocab()
RULES = load_rules()
CLOSURE = RULES["rules"]["strategy_no_conference"]["params"]["closure_keywords"]
CLOSURE_NEGATIONS = tuple(RULES["rules"]["strategy_no_conference"]["params"]["closure_negations"])
CLOSURE_OTHERS = tuple(RULES["rules"]["strategy_no_conference"]["params"]["closure_other_agency_words"])


# ---------------------------------------------------------------------------------------------------
# 1. "Bruising: not seen" is no bruising seen, not the child not seen
# ---------------------------------------------------------------------------------------------------
@pytest.mark.parametrize(
    "text",
    [
        "Bruising: not seen",
        "Bruising: not seen.",
        "Bruising: Not seen",
        "Injuries: none seen",
        "Injury: not seen",
        "Bruises - not seen",
        "Bruising - not seen",
        "Bruises \u2013 not seen",  # an en dash, as Word writes " - "
        "Bruises \u2014 not seen",
        "Bruising: not seen on examination",
        "Bruising - not seen on examination today",
        "Marks on face: not seen",
        "Head injury - none seen",
        "Skin check. Bruising: not seen. Burns: none",
        "Bruising - none",
        "Fracture - ruled out",
    ],
)
def test_a_concern_label_answered_not_seen_is_neither_the_concern_nor_the_child_unseen(text):
    assert tag_concerns(text, VOCAB) == []


@pytest.mark.parametrize(
    "text, expected",
    [
        ("Child not seen", ["child_not_seen"]),
        ("Mother refused access, child not seen", ["child_not_seen"]),
        ("Mother refused access - child not seen", ["child_not_seen"]),
        ("Child not seen - asleep upstairs", ["child_not_seen"]),
        ("Child not seen - no concerns", ["child_not_seen"]),  # a statement before the dash, not a label
        ("Child not seen - no", ["child_not_seen"]),
        ("Bruising: not seen, child not seen", ["child_not_seen"]),
        ("Bruising: not seen. Child not seen, asleep upstairs", ["child_not_seen"]),
        ("Bruises - not seen; child not seen", ["child_not_seen"]),
        ("Home visit: not seen", ["child_not_seen"]),  # not a concern label: the visit did not see the child
        ("Bruising: left cheek. Child not seen by GP", ["bruising", "child_not_seen"]),
    ],
)
def test_the_child_not_seen_is_still_the_child_not_seen(text, expected):
    assert tag_concerns(text, VOCAB) == expected


@pytest.mark.parametrize(
    "text, expected",
    [
        ("Bruising - not accidental", ["bruising"]),  # an answer that qualifies the finding does not deny it
        ("Bruise - not explained", ["bruising"]),
        ("Injury - no cause given", ["other_injury"]),
        ("Bruise to cheek - mother says he fell", ["bruising"]),
        ("Bruising: no explanation", ["bruising", "inconsistent_explanation"]),
    ],
)
def test_a_dash_label_answered_with_a_qualifier_is_still_the_concern(text, expected):
    assert tag_concerns(text, VOCAB) == expected


@pytest.mark.parametrize(
    "text, expected",
    [
        ("CP medical - not done", ""),
        ("Strategy discussion held - no", ""),
        ("Referral to MASH - not accepted", "referral_to_csc"),  # made, and not accepted: still a referral
        ("Referral to MASH - outcome awaited", "referral_to_csc"),
    ],
)
def test_an_escalation_label_after_a_dash_reads_as_after_a_colon(text, expected):
    assert detect_escalation("home_visit", text, VOCAB) == expected


def test_a_spaced_dash_still_ends_a_sentence_for_the_rules_keyword_mentions():
    # "police" in the next sentence does not make the NFA another agency's
    assert _mentioned("Outcome: NFA - police investigation continues", CLOSURE, CLOSURE_NEGATIONS, CLOSURE_OTHERS)
    assert not _mentioned("Outcome: NFA by police", CLOSURE, CLOSURE_NEGATIONS, CLOSURE_OTHERS)


HEADER = "Date,Agency,Type of contact,Details of contact,Outcome\n"


def _case(tmp_path, rows, dob="2023-01-01", review_date="2024-06-30"):
    (tmp_path / "case.yml").write_text(f"case_id: t1\ndate_of_birth: '{dob}'\nreview_date: '{review_date}'\n")
    lines = [HEADER] + [",".join('"' + str(cell).replace('"', '""') + '"' for cell in row) + "\n" for row in rows]
    (tmp_path / "chronology.csv").write_text("".join(lines))
    return analyse(load_case(tmp_path))


def test_a_case_reads_a_body_check_answered_not_seen_as_nothing_found(tmp_path):
    result = _case(tmp_path, [
        ("01/03/2023", "Health Visiting", "Home visit", "Weight checked. Bruising: not seen", ""),
        ("08/03/2023", "Health Visiting", "Home visit", "Skin check. Bruises - not seen", ""),
        ("15/03/2023", "Health Visiting", "Home visit", "Mother refused access, child not seen", ""),
    ])
    assert result.timeline["concerns"].tolist() == ["", "", "child_not_seen"]
