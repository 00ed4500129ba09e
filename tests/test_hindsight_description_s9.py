"""Hindsight written in the description or action itself ("In hindsight a referral to MASH should have been
made", "With hindsight, ...", "In retrospect ...") was read as an escalation: the analysis column was already
ignored (tests/test_rules_s8.py, section 4), but the same words in the description made the row a referral,
hiding the flags of the injury it records. A clause that begins with one of vocab.yml's `hindsight_cues`
now names no escalation (`Vocabulary.hindsight_clauses`); the concerns of the same text are still read, as
is every other clause, and a contact type's own escalation stands.
"""
from __future__ import annotations

import sys
from pathlib import Path

import pytest

from review.config import load_vocab
from review.vocab import compile_vocab, detect_escalation, tag_concerns

sys.path.insert(0, str(Path(__file__).resolve().parent))
from test_rules_s8 import analyse_folder, write_case  # noqa: E402

VOCAB = load_vocab()


@pytest.mark.parametrize("text", [
    "In hindsight a referral to MASH should have been made",
    "In hindsight, a referral to MASH was warranted",
    "With hindsight, a referral to MASH would have been appropriate",
    "With the benefit of hindsight a referral to children's social care was needed",
    "In retrospect, a referral to MASH was needed",
    "In retrospect a CP medical was indicated",
    "Comment: in hindsight, a referral to MASH and a CP medical were needed",
    "Weight check. With hindsight: referral to social care needed",
    "Should have been referred to MASH",
])
def test_a_hindsight_clause_names_no_escalation(text):
    assert detect_escalation("home_visit", text, VOCAB) == ""


@pytest.mark.parametrize("text, escalation", [
    ("Referred to MASH. In hindsight this was late", "referral_to_csc"),
    ("In hindsight the referral was late. Referred to MASH today", "referral_to_csc"),
    ("In hindsight a referral was needed, but referred to MASH the next day", "referral_to_csc"),
    ("Referral to MASH made; CP medical arranged", "cp_medical; referral_to_csc"),
    # written at the time as much as after it: not hindsight cues
    ("On reflection, HV referred to MASH", "referral_to_csc"),
    ("Retrospectively referred to MASH", "referral_to_csc"),
    ("Looking back at the records, HV referred to MASH", "referral_to_csc"),
    # a hindsight cue inside a clause does not begin it: read as before
    ("Discussed in hindsight review, referred to MASH", "referral_to_csc"),
])
def test_other_clauses_are_read_as_before(text, escalation):
    assert detect_escalation("home_visit", text, VOCAB) == escalation


def test_the_concerns_of_a_hindsight_text_are_still_read():
    text = "With hindsight, a referral to MASH would have been appropriate. Bruise seen on arm."
    assert detect_escalation("home_visit", text, VOCAB) == ""
    assert tag_concerns(text, compile_vocab(VOCAB)) == ["bruising"]
    assert "bruising" in tag_concerns("In hindsight, bruise seen on arm should have led to a referral to MASH",
                                      compile_vocab(VOCAB))


def test_a_contact_type_s_own_escalation_stands():
    assert detect_escalation("cp_medical", "In hindsight, CP medical should have been sooner", VOCAB) == "cp_medical"


def test_a_case_can_add_hindsight_cues():
    own = {**VOCAB, "hindsight_cues": [*VOCAB["hindsight_cues"], "in my view"]}
    assert detect_escalation("home_visit", "In my view, a referral to MASH was needed", VOCAB) == "referral_to_csc"
    assert detect_escalation("home_visit", "In my view, a referral to MASH was needed", own) == ""


def test_hindsight_in_the_description_does_not_hide_the_injury_flags(tmp_path):
    rows = [["10/03/2022", "Health Visiting", "Home visit",
             "Bruise to left cheek seen on 10 week old baby. In hindsight a referral to MASH should have been made.",
             "Advice given.", "", "Yes"],
            ["20/03/2022", "Health Visiting", "Home visit", "Weight check.", "", "", "Yes"]]
    result = analyse_folder(write_case(tmp_path / "case", rows, review_date="2022-06-30"))
    row = result.timeline.iloc[0]
    assert row["escalation"] == "" and row["concerns"] == "bruising"
    assert {"nonmobile_injury", "injury_not_escalated"} <= set(result.flags["rule_id"])
