"""s15 QA of text readings: no-access home visits are missed contacts ("no access" in the flag's words), and a
young person's missed appointment "did not attend" in every rule's words."""
from __future__ import annotations

import pandas as pd
import pytest

from review.config import load_vocab
from review.vocab import compile_vocab, tag_concerns

VOCAB = compile_vocab(load_vocab())


def case_flags(tmp_path, csv, dob, rule_id=None, review="2023-12-31"):
    """The flags (of `rule_id`, else all) of a case read from `csv` as `review flags` reads it."""
    from review.pipeline import analyse, load_case

    case = tmp_path / "case"
    case.mkdir(exist_ok=True)
    (case / "case.yml").write_text(f"case_id: C1\ndate_of_birth: {dob}\nreview_date: {review}\n", encoding="utf-8")
    (case / "chronology.csv").write_text("Date,Agency,Type of contact,Details,Action / outcome,Child seen\n" + csv,
                                         encoding="utf-8")
    flags = analyse(load_case(case)).flags
    return flags if rule_id is None else flags[flags["rule_id"] == rule_id]


# 1. no access ------------------------------------------------------------------------------------------------
@pytest.mark.parametrize("text", [
    "No access visit.", "Home visit, no access. Card left.", "HV visit - no reply at the door",
    "No one at home, card left", "Unable to gain access to the property", "nobody home",
])
def test_no_access_is_a_missed_contact(text):
    assert "was_not_brought" in tag_concerns(text, VOCAB)


@pytest.mark.parametrize("text", [
    "Father has no access to the children", "Dad had no access to the child since March",
    "Visit completed, access to the home gained, no concerns",
])
def test_contact_arrangements_are_no_missed_contact(text):
    assert "was_not_brought" not in tag_concerns(text, VOCAB)


BABY_HV = (
    "12/04/2022,Riverside Health Visiting,Home visit,No access visit. Card left.,Rebook,No\n"
    "26/04/2022,Riverside Health Visiting,Clinic,Noah not brought to clinic for weighing.,Rebook,No\n"
    "18/05/2022,Riverside Health Visiting,Home visit,No access visit.,Letter sent,No\n"
)


def test_repeated_no_access_raises_was_not_brought_in_its_own_words(tmp_path):
    flags = case_flags(tmp_path, BABY_HV, "2022-01-10", "was_not_brought")
    # one pattern, one flag (s16): raised where it first went unanswered (26 Apr), the 18 May visit its evidence
    assert flags["trigger_date"].tolist() == [pd.Timestamp("2022-04-26")]
    last = flags
    text = last["explanation"].iloc[0]
    assert text.startswith("The child was not brought to 1 appointment and no access was gained at 2 home visits "
                           "with Riverside Health Visiting within 90 days (12 Apr 2022, 26 Apr 2022, 18 May 2022)")


def test_no_access_only_says_no_access(tmp_path):
    csv = ("12/04/2022,Riverside Health Visiting,Home visit,No access visit. Card left.,Rebook,No\n"
           "18/05/2022,Riverside Health Visiting,Home visit,No reply at the door.,Letter sent,No\n")
    text = case_flags(tmp_path, csv, "2022-01-10", "was_not_brought")["explanation"].iloc[0]
    assert text.startswith("No access was gained to the child at 2 home visits with Riverside Health Visiting")
    assert "not brought" not in text


def test_missed_appointments_keep_their_words(tmp_path):
    csv = ("12/04/2022,Riverside GP Practice,Appointment,Child not brought to appointment,Rebook,No\n"
           "18/05/2022,Riverside GP Practice,Appointment,DNA,Letter sent,No\n")
    text = case_flags(tmp_path, csv, "2022-01-10", "was_not_brought")["explanation"].iloc[0]
    assert text.startswith("The child was not brought to 2 appointments with Riverside GP Practice")


# 7. a young person's missed appointment ----------------------------------------------------------------------
def test_information_not_shared_says_did_not_attend_for_a_young_person(tmp_path):
    csv = ("15/04/2023,Eastborough CAMHS,Appointment,Did not attend appointment,Letter sent,No\n"
           "28/04/2023,Eastborough Children's Social Care,Case closure,Case closed,NFA,\n")
    flags = case_flags(tmp_path, csv, "2008-01-01", "information_not_shared")
    assert len(flags)
    text = flags["explanation"].iloc[0]
    assert "a missed appointment (the young person did not attend)" in text
    assert "child not brought" not in text
    baby = case_flags(tmp_path, csv, "2022-06-01", "information_not_shared")["explanation"].iloc[0]
    assert "a missed appointment (child not brought)" in baby


# 4. a strategy discussion that decided against S47 expects no conference -----------------------------------
@pytest.mark.parametrize("outcome, flagged", [
    ("S47 not agreed; CSE panel referral", False),
    ("No S47 - single assessment instead", False),
    ("Threshold for S47 not met", False),
    ("NFA", False),
    ("S47 agreed", True),
])
def test_strategy_discussion_outcome(tmp_path, outcome, flagged):
    csv = f"15/03/2023,Eastborough Children's Social Care,Strategy discussion,Strategy discussion re CSE.,{outcome},\n"
    flags = case_flags(tmp_path, csv, "2008-01-01", "strategy_no_conference")
    assert (len(flags) == 1) == flagged


def test_s47_not_substantiated_expects_no_conference(tmp_path):
    csv = ("15/03/2023,Eastborough Children's Social Care,Strategy discussion,Strategy discussion held.,S47 agreed,\n"
           "22/03/2023,Eastborough Children's Social Care,S47 enquiry,S47 concluded,Concerns not substantiated,\n")
    assert case_flags(tmp_path, csv, "2015-01-01", "strategy_no_conference").empty


# 3. a thing that hit the child is an account of an accident, a person's blow an allegation --------------------
@pytest.mark.parametrize("text, tagged", [
    ("Small bruise noted on left cheek, mother says sibling's toy hit him.", False),
    ("Tyler said the door hit him", False),
    ("mum says the ball hit her in the face", False),
    ("Tyler said dad hit him with a belt", True),
    ("mother said partner hit him", True),
])
def test_a_blow_by_a_thing_is_no_disclosure(text, tagged):
    assert ("non_accidental" in tag_concerns(text, VOCAB)) == tagged


# 5. missing ----------------------------------------------------------------------------------------------------
@pytest.mark.parametrize("text, tagged", [
    ("mother says she is missing since yesterday", True),
    ("Mum reported him missing at 11pm", True),
    ("Ellie still missing", True),
    ("Has been missing for 2 days", True),
    ("went missing overnight", True),
    ("Not reported missing", False),
    ("Consent form missing from file", False),
])
def test_missing_episode_words(text, tagged):
    assert ("missing" in tag_concerns(text, VOCAB)) == tagged


# 6. agency kinds -----------------------------------------------------------------------------------------------
@pytest.mark.parametrize("name, kind", [
    ("Hillcrest Academy", "education"),
    ("Northgate Sixth Form College", "education"),
    ("Eastborough Pupil Referral Unit", "education"),
    ("Eastborough Youth Offending Service", "youth justice"),
    ("Eastborough YOT", "youth justice"),
    ("Westshire Youth Justice Service", "youth justice"),
    ("Eastborough Police", "police"),
    ("Riverside GP Practice", "health"),
])
def test_agency_kinds(name, kind):
    from review.vocab import normalise_agency

    assert normalise_agency(name, load_vocab())[1] == kind


def test_every_kind_has_a_colour_and_a_noun():
    from review import charts
    from review.schema import AGENCY_KINDS

    assert set(charts.KIND_COLOURS) == set(AGENCY_KINDS)
    assert AGENCY_KINDS.index("youth justice") == AGENCY_KINDS.index("police") + 1


# 2. sightings by the police and a youth offending service ----------------------------------------------------
@pytest.mark.parametrize("text, seen", [
    ("Ellie missing from home 2 nights. Found in Brighton with older male.", True),
    ("Ellie reported missing again. Located at address of Jayden Cole (22).", True),
    ("Ellie arrested for possession with intent to supply", True),
    ("AssetPlus assessment started after arrest. Ellie describes debts to older males.", True),
    ("Ellie still missing, not found", None),
    ("Ellie not located at address", None),
    ("Unable to locate Ellie", None),
    ("Ellie has not been found", None),
    ("Father arrested for assault", None),
    ("Ellie not seen, mother says she is missing since yesterday.", False),
])
def test_police_and_youth_justice_sightings(text, seen):
    from review.sightings import read_sighting, with_child_names

    concerns = "; ".join(tag_concerns(text, VOCAB))
    assert read_sighting("other", concerns, text, "", with_child_names("", "Ellie Marsh")) == seen
