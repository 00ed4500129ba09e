"""A concern label answered "not seen" is no concern and not the child unseen ("Bruising: not seen",
"Bruises - not seen"); abbreviations match whole words only ("NFA" is not "NFAT" or "nfant"), in the
vocabulary and in the rules' keyword mentions."""
from __future__ import annotations

import numpy as np
import pytest

from review.config import load_vocab, package_data
from review.pipeline import analyse, load_case
from review.rules import load_rules
from review.rules.base import _keyword_regex, _mentioned, _texts_matching
from review.vocab import classify_contact_type, detect_escalation, normalise_text, tag_concerns

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


# ---------------------------------------------------------------------------------------------------
# 2. Abbreviations are whole words
# ---------------------------------------------------------------------------------------------------
@pytest.mark.parametrize("text", ["NFA", "NFA'd by MASH", "NFA\u2019d", "N.F.A.", "Outcome: nfa", "Case NFAd"])
def test_nfa_and_its_forms_are_a_case_closure(text):
    assert classify_contact_type("", text, VOCAB) == "case_closure"
    assert _mentioned(text, CLOSURE, CLOSURE_NEGATIONS, CLOSURE_OTHERS)


@pytest.mark.parametrize("text", ["Nfant seen at home", "NFAT result awaited", "nfab", "Infant well", "NFATc1 test"])
def test_words_beginning_with_nfa_are_no_nfa(text):
    assert classify_contact_type("", text, VOCAB) != "case_closure"
    assert not _mentioned(text, CLOSURE, CLOSURE_NEGATIONS, CLOSURE_OTHERS)
    assert not _texts_matching(np.array([text.lower()], dtype=object), _keyword_regex(CLOSURE))[0]


def test_a_long_keyword_still_matches_its_longer_forms():
    assert _mentioned("Referral for assessments", ["assessment"], ())
    assert _mentioned("No further actions", ["no further action"], ())
    assert _texts_matching(np.array(["referral for assessments"], dtype=object), _keyword_regex(["assessment"]))[0]


@pytest.mark.parametrize(
    "keywords, text, expected",
    [
        (["cp"], "Referred to CPS", False),
        (["cp"], "CP plan", True),
        (["ed"], "Edited record", False),
        (["ed"], "Seen in ED", True),
        (["a&e"], "A&E attendance", True),
        (["a&e"], "A Edwards seen", False),
        (["dv"], "DVD player", False),
        (["dv"], "DV incident", True),
        (["hv"], "HVAC engineer", False),
        (["hv"], "HV visit", True),
        (["s47"], "s47 enquiry", True),
        (["s47"], "s470", False),
        (["case closed"], "Case closedown", True),  # "closed" has six letters: it may begin a longer word
        (["care"], "Career advice", False),
    ],
)
def test_the_rules_keyword_mentions_read_short_words_whole(keywords, text, expected):
    assert _mentioned(text, keywords, ()) is expected
    if expected:  # the vectorised search picks every text the scalar reading finds a mention in
        assert _texts_matching(np.array([text.lower()], dtype=object), _keyword_regex(keywords))[0]


@pytest.mark.parametrize(
    "text, wrong",
    [
        ("DVD player broken", "domestic_abuse"),
        ("CPS charging decision", "cp_medical"),
        ("HVAC engineer visit", "home_visit"),
        ("Edited attendance record", "ae_attendance"),
        ("Aerial fitted", "ae_attendance"),
        ("Dnase test", "was_not_brought"),
        ("Naive explanation", "non_accidental"),
    ],
)
def test_short_vocabulary_abbreviations_do_not_match_longer_words(text, wrong):
    assert wrong not in tag_concerns(text, VOCAB)
    assert classify_contact_type("", text, VOCAB) != wrong


def _short_single_words(section):
    """(keyword, what it gives) for every one-word keyword of up to four letters in a vocab.yml section."""
    raw = package_data("vocab.yml")[section]
    out = []
    for name, words in raw.items():
        if section == "escalations":
            words = words.get("keywords") or []
        for word in words:
            norm = normalise_text(word)
            if " " not in norm and len(norm) <= 4:
                out.append((str(word), name))
    return out


@pytest.mark.parametrize("keyword, contact_type", _short_single_words("contact_types"))
def test_every_short_contact_type_keyword_is_a_whole_word(keyword, contact_type):
    # a word read in a type cell only ("Ward": a bare "ward" in a description is no admission) is read as a cell
    cell_only = normalise_text(keyword) in package_data("vocab.yml")["contact_type_cell_words"]
    def classify(text):
        return classify_contact_type(text, "", VOCAB) if cell_only else classify_contact_type("", text, VOCAB)
    assert classify(keyword) == contact_type
    assert classify(keyword + "xq") != contact_type
    assert classify("xq" + keyword) != contact_type


@pytest.mark.parametrize("keyword, tag", _short_single_words("concerns"))
def test_every_short_concern_keyword_is_a_whole_word(keyword, tag):
    assert tag in tag_concerns(keyword, VOCAB)
    assert tag not in tag_concerns(keyword + "xq", VOCAB)
    assert tag not in tag_concerns("xq" + keyword, VOCAB)


def test_an_nfant_is_no_closure_of_a_strategy_discussion(tmp_path):
    csc = "Children's Social Care"
    result = _case(tmp_path, [
        ("01/03/2023", csc, "Strategy discussion", "Strategy discussion held, section 47 enquiries to start", ""),
        ("03/03/2023", csc, "Home visit", "Nfant seen at home with mother", ""),  # a typo, not an NFA
        ("30/04/2023", csc, "Home visit", "Child seen", ""),
    ], dob="2022-12-01")
    assert "strategy_no_conference" in set(result.flags["rule_id"])


def test_an_nfad_case_ends_the_strategy_discussion_requirement(tmp_path):
    csc = "Children's Social Care"
    result = _case(tmp_path, [
        ("01/03/2023", csc, "Strategy discussion", "Strategy discussion held, section 47 enquiries to start", ""),
        ("03/03/2023", csc, "Home visit", "Concerns not substantiated, case NFA'd", ""),
        ("30/04/2023", csc, "Home visit", "Child seen", ""),
    ], dob="2022-12-01")
    assert "strategy_no_conference" not in set(result.flags["rule_id"])
