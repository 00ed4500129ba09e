"""review.vocab: agency aliases, contact types, negation-aware concern tags, escalations, yes/no cells."""
from __future__ import annotations

import pandas as pd
import pytest
from hypothesis import given
from hypothesis import strategies as st

from review.config import deep_merge, load_vocab
from review.errors import ConfigError
from review.schema import CONCERN_TAGS, CONTACT_TYPES, ESCALATIONS
from review.vocab import (
    Vocabulary,
    classify_contact_type,
    compile_vocab,
    detect_escalation,
    normalise_agency,
    normalise_text,
    parse_informed_agencies,
    parse_yes_no,
    tag_concerns,
    tokenise,
)


VOCAB = load_vocab()


@pytest.fixture(scope="module")
def vocab():
    return VOCAB


# ---------------------------------------------------------------------------------------------------
# Text normalisation
# ---------------------------------------------------------------------------------------------------
def test_normalise_text_lowercases_drops_punctuation_and_collapses_spaces():
    assert normalise_text("  Children's  Services (MASH)/A&E ") == "childrens services mash a e"
    assert normalise_text("North-Mid.") == "north mid"
    assert normalise_text(None) == ""
    assert normalise_text(float("nan")) == ""


def test_tokenise_marks_clause_breaks_and_commas():
    assert tokenise("No bruising. Burn: hand, arm") == ["no", "bruising", "|", "burn", "|", "hand", ",", "arm"]
    assert tokenise("s.47 - done") == ["s", "47", "|", "done"]


@given(st.text())
def test_tokenise_agrees_with_normalise_text_apart_from_markers(text):
    words = [t for t in tokenise(text) if t not in ("|", ",")]
    assert words == normalise_text(text).split()


# ---------------------------------------------------------------------------------------------------
# The package vocabulary itself
# ---------------------------------------------------------------------------------------------------
def test_package_vocab_ids_are_the_schema_ids(vocab):
    assert set(vocab["concerns"]) <= set(CONCERN_TAGS)
    assert set(vocab["contact_types"]) <= set(CONTACT_TYPES)
    assert set(vocab["escalations"]) <= set(ESCALATIONS)
    compile_vocab(vocab)


def test_negation_cue_no_is_a_word_not_a_yaml_boolean(vocab):
    assert "no" in vocab["negation_cues"]


def test_a_bare_yaml_boolean_in_a_word_list_is_a_config_error():
    with pytest.raises(ConfigError, match="quote"):
        Vocabulary.from_dict({"negation_cues": [False, "not"]})


@pytest.mark.parametrize(
    "broken",
    [{"concerns": {"bruses": ["bruise"]}}, {"contact_types": {"visit": ["visit"]}},
     {"escalations": {"referral": {"keywords": ["x"]}}}, {"agency_kinds": {"church": ["church"]}},
     {"negation_window": -1}],
)
def test_unknown_ids_in_a_case_vocab_are_config_errors(vocab, broken):
    with pytest.raises(ConfigError):
        compile_vocab(deep_merge(vocab, broken))


def test_compiled_vocab_is_cached_per_mapping(vocab):
    assert compile_vocab(vocab) is compile_vocab(vocab)
    assert compile_vocab(compile_vocab(vocab)) is compile_vocab(vocab)


# ---------------------------------------------------------------------------------------------------
# Agencies
# ---------------------------------------------------------------------------------------------------
NMUH = ("North Middlesex University Hospital", "health", "North Middlesex University Hospital NHS Trust")


@pytest.mark.parametrize("written", ["NMUH", "nmuh", "North Mid", " north-mid ", "North Middlesex Hospital.",
                                      "North Middlesex University Hospital"])
def test_aliases_normalise_to_the_canonical_agency(vocab, written):
    assert normalise_agency(written, vocab) == NMUH


def test_unknown_agency_keeps_its_trimmed_name_and_gets_a_kind_from_keywords(vocab):
    assert normalise_agency("  Enfield  Police ", vocab) == ("Enfield Police", "police", "Enfield Police")
    assert normalise_agency("Oak Primary School", vocab)[1] == "education"
    assert normalise_agency("Riverside GP Surgery", vocab)[1] == "health"
    assert normalise_agency("Enfield Children's Services", vocab)[1] == "social care"
    assert normalise_agency("Bob's Cafe", vocab) == ("Bob's Cafe", "other", "Bob's Cafe")


def test_agency_kind_prefers_the_longest_keyword(vocab):
    assert normalise_agency("Enfield School Nursing Team", vocab)[1] == "health"


def test_blank_agency_falls_back_to_the_default(vocab):
    assert normalise_agency("", vocab, default="NMUH") == NMUH
    assert normalise_agency(None, vocab) == ("", "other", "")
    assert normalise_agency(" - ", vocab, default="NMUH") == NMUH


def test_case_vocab_adds_local_agencies(vocab):
    case_vocab = deep_merge(vocab, {"agencies": {"Enfield Health Visiting": {
        "aliases": ["HV", "Health Visitor"], "kind": "health", "organisation": "Whittington Health NHS Trust"}}})
    assert normalise_agency("health visitor", case_vocab) == ("Enfield Health Visiting", "health", "Whittington Health NHS Trust")


def test_an_alias_naming_two_agencies_is_a_config_error(vocab):
    with pytest.raises(ConfigError, match="two agencies"):
        compile_vocab(deep_merge(vocab, {"agencies": {"Other Hospital": {"aliases": ["NMUH"]}}}))


def test_parse_informed_agencies_splits_and_normalises(vocab):
    text = "Shared with GP, HV and NMUH; Police & CSC / A&E"
    assert parse_informed_agencies(text, vocab) == sorted(["A&E", "CSC", "GP", "HV", NMUH[0], "Police"])
    assert parse_informed_agencies("North Mid and north middlesex", vocab) == [NMUH[0]]
    assert parse_informed_agencies("none", vocab) == []
    assert parse_informed_agencies("N/A", vocab) == []
    assert parse_informed_agencies(None, vocab) == []


def test_parse_informed_agencies_keeps_a_known_name_containing_and(vocab):
    case_vocab = deep_merge(vocab, {"agencies": {"Children and Families Service": {"kind": "social care"}}})
    assert parse_informed_agencies("Children and Families Service, GP", case_vocab) == [
        "Children and Families Service", "GP"]


# ---------------------------------------------------------------------------------------------------
# Contact types
# ---------------------------------------------------------------------------------------------------
@pytest.mark.parametrize(
    "type_text, description, expected",
    [
        ("Home visit", "", "home_visit"),
        ("HOME VISIT (unannounced)", "", "home_visit"),
        ("A&E", "", "ae_attendance"),
        ("A & E attendance", "", "ae_attendance"),
        ("GP appointment", "", "clinic_appointment"),
        ("DNA", "", "was_not_brought"),
        ("Telephone", "", "phone_call"),
        ("ICPC", "", "cp_conference"),
        ("Strategy meeting", "", "strategy_discussion"),
        ("S.47", "", "s47_enquiry"),
        ("", "Child was not brought to clinic", "was_not_brought"),
        (None, "Attended emergency department with mother", "ae_attendance"),
        ("Misc", "Telephone call from mother", "phone_call"),
        ("", "", "other"),
        ("Misc", "Nothing recognisable here", "other"),
    ],
)
def test_classify_contact_type(vocab, type_text, description, expected):
    assert classify_contact_type(type_text, description, vocab) == expected


def test_type_column_wins_over_description(vocab):
    assert classify_contact_type("Letter", "letter about a home visit", vocab) == "letter"
    assert classify_contact_type("Phone call", "discussed the A&E attendance", vocab) == "phone_call"


def test_first_contact_type_in_vocab_order_wins(vocab):
    # was_not_brought is listed before clinic_appointment
    assert classify_contact_type("DNA GP appointment", "", vocab) == "was_not_brought"


# ---------------------------------------------------------------------------------------------------
# Concern tags and negation
# ---------------------------------------------------------------------------------------------------
@pytest.mark.parametrize(
    "text, expected",
    [
        ("Bruise to left cheek", ["bruising"]),
        ("Head injury after fall from sofa", ["head_injury"]),
        ("Scald to hand, explanation inconsistent", ["burn", "inconsistent_explanation"]),
        ("Mother drunk; domestic abuse reported", ["domestic_abuse", "substance_misuse"]),
        ("Visit to Burnley office", []),
        ("", []),
        (None, []),
        (pd.NA, []),
        (float("nan"), []),
    ],
)
def test_tag_concerns_finds_whole_word_keywords(vocab, text, expected):
    assert tag_concerns(text, vocab) == expected


@pytest.mark.parametrize(
    "text, expected",
    [
        ("no bruising seen", []),
        ("No evidence of injury", []),
        ("denies drug use", []),
        ("nil concerns re neglect", []),
        ("no bruising but a burn to the hand", ["burn"]),
        ("No bruising; burn to the hand", ["burn"]),
        ("No bruising. Burn to the hand", ["burn"]),
        ("no bruising - burn to the hand", ["burn"]),
        ("No bruising however scald noted", ["burn"]),
        ("no bruising, burns or fractures", []),
        ("no obvious marks or bruising on the face", []),
        ("Mother not engaging, bruise to cheek", ["bruising"]),
        ("Mother not engaging with services and child has a bruise", ["bruising"]),
        ("no bruising, child has a burn", ["burn"]),
        ("NAI ruled out", []),
        ("NAI not ruled out", ["non_accidental"]),
        ("Fracture excluded on x-ray", []),
        ("No further action. Bruising to arm", ["bruising"]),
        ("No explanation given for the bruising", ["bruising", "inconsistent_explanation"]),
        ("Bruise to cheek. No other injuries", ["bruising"]),
        ("No concerns.\nMother intoxicated", ["substance_misuse"]),
        ("no head injury apart from a bruise", ["bruising"]),
        ("Mum denies alcohol but smelt of cannabis", ["substance_misuse"]),
    ],
)
def test_negated_mentions_are_not_concerns(vocab, text, expected):
    assert tag_concerns(text, vocab) == expected


@pytest.mark.parametrize(
    "text, expected",
    [
        ("Child was not brought to appointment", ["was_not_brought"]),
        ("not brought to clinic", ["was_not_brought"]),
        ("Child not seen - asleep upstairs", ["child_not_seen"]),
        ("HV visit, child not yet seen", ["child_not_seen"]),
        ("Mother did not attend", ["was_not_brought"]),
        ("no bruising; child not seen", ["child_not_seen"]),
    ],
)
def test_keywords_containing_not_still_match(vocab, text, expected):
    assert tag_concerns(text, vocab) == expected


def test_tags_are_sorted_and_unique(vocab):
    assert tag_concerns("bruise, bruising and more bruises; burn", vocab) == ["bruising", "burn"]


def test_negation_window_is_configurable(vocab):
    text = "no report from the school about bruising"  # 5 words between the cue and the keyword
    assert tag_concerns(text, vocab) == ["bruising"]
    assert tag_concerns(text, deep_merge(vocab, {"negation_window": 6})) == []


def test_case_vocab_keywords_extend_a_tag(vocab):
    case_vocab = deep_merge(vocab, {"concerns": {"bruising": ["blue mark"]}})
    assert tag_concerns("Blue mark on back", case_vocab) == ["bruising"]


# ---------------------------------------------------------------------------------------------------
# Escalations
# ---------------------------------------------------------------------------------------------------
@pytest.mark.parametrize(
    "contact_type, text, expected",
    [
        ("strategy_discussion", "", "strategy_discussion"),
        ("cp_conference", "ICPC held", "cp_conference"),
        ("s47_enquiry", "", "s47_enquiry"),
        ("cp_medical", "", "cp_medical"),
        ("phone_call", "Referred to children's social care", "referral_to_csc"),
        ("home_visit", "MASH referral made by HV", "referral_to_csc"),
        ("letter", "Legal planning meeting arranged", "legal_planning"),
        ("police_callout", "Crime report raised, CAIT investigation", "police_investigation"),
        ("ae_attendance", "Seen by child protection paediatrician", "cp_medical"),
        ("home_visit", "Routine visit, baby well", ""),
        ("referral", "GP referral to paediatrics", ""),
        ("phone_call", "Decision not to refer: not referred to social care", ""),
        ("phone_call", "no safeguarding referral made", ""),
        ("home_visit", "", ""),
        ("home_visit", pd.NA, ""),
    ],
)
def test_detect_escalation(vocab, contact_type, text, expected):
    assert detect_escalation(contact_type, text, vocab) == expected


def test_a_contact_is_every_escalation_it_records(vocab):
    # was "first in vocab order wins" (cp_conference only): a contact can be several escalations at once
    assert detect_escalation("cp_conference", "referred to social care", vocab) == "cp_conference; referral_to_csc"


# ---------------------------------------------------------------------------------------------------
# Yes / no cells
# ---------------------------------------------------------------------------------------------------
@pytest.mark.parametrize(
    "value, expected",
    [
        ("Y", True), ("yes", True), ("TRUE", True), ("seen", True), ("1", True), (1, True), (True, True),
        ("Yes - in cot", True), ("N", False), ("no", False), ("false", False), ("Not seen", False),
        ("0", False), (0, False), (False, False), ("No, asleep", False), ("unknown", None), ("N/K", None),
        ("n/a", None), ("Not known", None), ("", None), ("  ", None), (None, None), (float("nan"), None),
        ("maybe", None), (2, None),
    ],
)
def test_parse_yes_no(value, expected):
    assert parse_yes_no(value) is expected


# ---------------------------------------------------------------------------------------------------
# Properties of tagging
# ---------------------------------------------------------------------------------------------------
@given(st.text())
def test_tag_concerns_returns_sorted_unique_schema_tags_for_any_text(text):
    tags = tag_concerns(text, VOCAB)
    assert tags == sorted(set(tags))
    assert set(tags) <= set(CONCERN_TAGS)


@given(st.text())
def test_a_negated_clause_before_the_text_changes_nothing(text):
    assert tag_concerns("No concerns, nil bruising. " + text, VOCAB) == tag_concerns(text, VOCAB)


@given(st.text())
def test_a_break_word_ends_any_negation(text):
    assert "bruising" in tag_concerns(text + " but bruising", VOCAB)
