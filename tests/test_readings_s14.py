"""How contact text is read (s14 QA): whose injury, the child's own name as a sighting's subject, injury words
and a child's disclosure of being hit, and contact types guessed from the bare word "home".

1. An injury the clause attributes to an adult is not the child's: "Domestic: mother assaulted by partner,
   injury to her lip. Baby asleep upstairs, not seen by officers." was other_injury and raised a high
   nonmobile_injury flag; "bruise to his/her cheek" in a child's record stays the child's.
2. The child's own given name (case.yml child_name) names the child in the sightings reading: "NBV day 12.
   Maisie seen." was no sighting and a false child_not_seen flag followed. A sibling's name is not the child's.
3. "black eye", "cut lip", "burn mark"... are injuries, and a child's disclosure of being hit ("said his dad hit
   him with a belt") is non_accidental, which injury_not_escalated reads at any age.
4. "did not want to go home" and "rang in; says Gary has left the home" were home visits.
"""
from __future__ import annotations

import datetime as dt
import json
import sys
from pathlib import Path

import pandas as pd
import pytest

from review.config import CaseConfig, load_vocab
from review.pipeline import analyse, load_case
from review.rules import base
from review.sightings import read_sighting, with_child_names
from review.vocab import classify_contact_type, tag_concerns

VOCAB = load_vocab()
INJURIES = {"bruising", "head_injury", "fracture", "burn", "other_injury"}


def injuries(text: str) -> set:
    return set(tag_concerns(text, VOCAB)) & INJURIES


def write_case(folder: Path, case_yml: str, files: dict[str, str]) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "case.yml").write_text(case_yml, encoding="utf-8")
    for name, text in files.items():
        (folder / name).write_text(text, encoding="utf-8")
    return folder


def flags_of(folder: Path) -> pd.DataFrame:
    return analyse(load_case(folder)).flags


# --- 1. whose injury ------------------------------------------------------------------------------------------
@pytest.mark.parametrize("text", [
    "Domestic: mother assaulted by partner, injury to her lip. Baby asleep upstairs, not seen by officers.",
    "Police attended: mother's injury photographed.",
    "Mother had a black eye.",
    "Police report: injuries to mum after an argument.",
    "partner's injuries were treated by the ambulance crew",
    "Neighbour saw bruising to mother's face",
    "Mum has a cut lip",
])
def test_an_adults_injury_is_not_the_childs(text):
    assert injuries(text) == set()


@pytest.mark.parametrize("text, tag", [
    ("Bruise to his cheek", "bruising"),
    ("Bruise to her cheek noted at weighing", "bruising"),
    ("Mother reports bruise to her cheek", "bruising"),  # the adult tells of the injury
    ("Mum brought him in with bruising", "bruising"),
    ("Baby hit by father, bruise to his cheek", "bruising"),  # the adult is the agent ("by")
    ("Father hit baby, bruise to cheek", "bruising"),
    ("Mother upset, bruise to cheek", "bruising"),  # across a comma, no pronoun: the child's
    ("Kai brought by mother's partner with bruising and swelling to the left forearm", "bruising"),
    ("Kai brought by mother and her partner with a bump on the head and swelling", "other_injury"),
    ("Bruising to mother's baby noted by neighbour", "bruising"),  # the mother's baby is the child
])
def test_the_childs_injury_stays_the_childs(text, tag):
    assert tag in injuries(text)


def test_an_adults_injury_beside_the_childs_keeps_the_childs():
    assert injuries("Mother had a black eye; baby has bruise to cheek") == {"bruising"}
    assert injuries("mother has bruising to arm") == set()


def test_the_elm_police_record_raises_no_injury_flag(tmp_path):
    """/tmp/s14/qa/elm: the mother's injury raised a high nonmobile_injury and an injury_not_escalated flag."""
    folder = write_case(tmp_path / "elm", "case_id: elm\ndate_of_birth: 2022-01-21\nchild_name: Maisie Quinlan\n", {
        "police.csv": 'Date,Details,Action taken\n10/06/2022,"Domestic: mother assaulted by partner, injury to her '
                      'lip. Baby asleep upstairs, not seen by officers.",DASH standard. Words of advice\n'})
    case = load_case(folder)
    assert "other_injury" not in case.contacts["concerns"].iloc[0]
    rules = set(flags_of(folder)["rule_id"])
    assert not rules & {"nonmobile_injury", "injury_not_escalated"}


# --- 2. the child's own name -----------------------------------------------------------------------------------
def test_the_childs_given_name_makes_a_sighting():
    key = with_child_names("", "Maisie Quinlan-Roe")
    assert json.loads(key) == {"sighting_child_names": ["maisie"]}
    assert read_sighting("home_visit", "", "NBV day 12. Maisie seen.", "", vocab=key) is True
    assert read_sighting("home_visit", "bruising", "Maisie seen; bruise to left ear", "", vocab=key) is True
    assert read_sighting("home_visit", "", "Maisie was seen with mum", "", vocab=key) is True
    # without the name the texts say nothing either way; a sibling's name is never the child's
    assert read_sighting("home_visit", "", "NBV day 12. Maisie seen.", "") is None
    assert read_sighting("home_visit", "", "Alfie seen; Maisie at nursery", "", vocab=key) is None


def test_known_as_names_from_the_case_vocabulary_add_to_the_given_name():
    key = with_child_names(json.dumps({"sighting_child_names": ["Mo"]}), "Maisie Quinlan-Roe")
    assert json.loads(key)["sighting_child_names"] == ["Mo", "maisie"]
    assert read_sighting("other", "", "Mo seen at nursery", "", vocab=key) is True
    assert with_child_names("", None) == with_child_names("", "  ") == ""


def test_the_case_key_carries_the_childs_name(tmp_path):
    """The reading is cached per text and vocabulary key: the child's name is in the key, so two cases with
    the same text and different children read it each with its own child."""
    config = CaseConfig(case_dir=tmp_path, case_id="C1", date_of_birth=dt.date(2022, 1, 21), child_name="Maisie Roe")
    other = CaseConfig(case_dir=tmp_path, case_id="C2", date_of_birth=dt.date(2022, 1, 21), child_name="Alfie Roe")
    key, other_key = base.case_vocab_key(config, "C1"), base.case_vocab_key(other, "C2")
    assert key != other_key
    assert read_sighting("other", "", "Maisie seen", "", vocab=key) is True
    assert read_sighting("other", "", "Maisie seen", "", vocab=other_key) is None


CEDAR_HV = ("Date,Type,Details,Action\n"
            "02/02/2022,Home visit,NBV day 12. Maisie seen.,Routine\n"
            "16/03/2022,Home visit,Maisie seen; bruise to left ear. Explanation: caught on cot,Discuss with GP\n"
            "18/03/2022,Strategy discussion,Strategy discussion held,S47 agreed\n"
            "20/04/2022,Home visit,Maisie seen in her cot,Weekly visits\n"
            "10/05/2022,Home visit,Maisie seen,Weekly visits\n")


def cedar(folder: Path, child_name: str) -> Path:
    return write_case(folder, f"case_id: cedar\ndate_of_birth: 2022-01-21\nchild_name: {child_name}\nfiles:\n"
                      "  - {path: hv.csv, agency: Hollybank Health Visiting}\n", {"hv.csv": CEDAR_HV})


def test_the_childs_name_reaches_the_timeline_and_the_rules(tmp_path):
    analysis = analyse(load_case(cedar(tmp_path / "cedar", "Maisie Quinlan-Roe")))
    visits = analysis.timeline[analysis.timeline["description"].str.contains("Maisie seen")]
    assert visits["child_seen_inferred"].tolist() == [True] * 4
    assert "child_not_seen" not in set(analysis.flags["rule_id"])
    # the same records of a case whose child is Alfie (Maisie a sibling): no sighting of Alfie since 16 Mar
    analysis = analyse(load_case(cedar(tmp_path / "alfie", "Alfie Quinlan-Roe")))
    timeline = analysis.timeline
    named_only = timeline["description"].str.contains("Maisie seen")
    assert named_only.sum() == 4 and timeline.loc[named_only, "child_seen_inferred"].isna().all()
    assert "child_not_seen" in set(analysis.flags["rule_id"])


def test_the_baseline_reads_the_childs_name():
    sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "benchmarks"))
    import baseline_rowwise

    row = {"case_id": "C1", "date": dt.datetime(2022, 2, 2), "date_precision": "day", "contact_type": "home_visit",
           "concerns": "", "description": "NBV day 12. Maisie seen.", "action": "", "child_seen": None,
           "event_id": "e1", "agency": "HV", "escalation": ""}
    case = {"date_of_birth": dt.date(2022, 1, 21), "child_name": "Maisie Quinlan-Roe"}
    assert baseline_rowwise.build_timeline([row], case)[0]["child_seen_inferred"] is True
    assert baseline_rowwise.build_timeline([row], {**case, "child_name": None})[0]["child_seen_inferred"] is None


# --- 3. injury words and a child's disclosure of being hit -------------------------------------------------------
@pytest.mark.parametrize("text, tag", [
    ("came in with a black eye", "bruising"),
    ("fingertip bruising to both upper arms", "bruising"),
    ("grip marks on his arms", "bruising"),
    ("cut lip", "other_injury"),
    ("split lip and a bloody nose", "other_injury"),
    ("burn mark on his hand", "burn"),
    ("bite marks on her arm", "other_injury"),
    ("swollen wrist", "other_injury"),
])
def test_injury_words(text, tag):
    assert tag in injuries(text)
    assert not injuries("no " + text)


@pytest.mark.parametrize("text", [
    "Tyler came in with a black eye, said his dad (Gary Wren) hit him with a belt",
    "Tyler disclosed that Gary hit him again last night",
    "Child said mum slapped her",
    "Mother said dad punched him",
    "Maisie told staff 'daddy hit me'",
])
def test_a_childs_disclosure_of_being_hit_is_non_accidental(text):
    assert "non_accidental" in tag_concerns(text, VOCAB)


@pytest.mark.parametrize("text", [
    "Mother said partner hit her",  # the adult's own account
    "mother said she and her partner had an argument; she said he pushed her",
    "Mother said another child pushed him at soft play",  # a blow by another child
    "partner hit her",  # no disclosure: whom it struck the words do not say
    "Tyler said dad did not hit him",  # negated
])
def test_no_disclosure(text):
    assert "non_accidental" not in tag_concerns(text, VOCAB)


BIRCH = ("Date,Details,Action\n"
         '01/03/2021,"Tyler came in with a black eye, said his dad hit him with a belt",DSL informed; no referral made\n'
         "08/03/2021,Tyler crying,Spoke to mum\n")


def test_a_disclosure_at_seven_needs_a_referral(tmp_path):
    """injury_not_escalated reads non_accidental (any_age_tags) at any age: Tyler is 7."""
    folder = write_case(tmp_path / "birch", "case_id: birch\ndate_of_birth: 2014-01-09\nchild_name: Tyler Wren\n"
                        "files:\n  - {path: school.csv, agency: Oakfield Primary School}\n", {"school.csv": BIRCH})
    flags = flags_of(folder)
    flagged = flags[flags["rule_id"] == "injury_not_escalated"]
    assert len(flagged) == 1 and flagged["severity"].iloc[0] == "high"
    assert "non accidental" in flagged["explanation"].iloc[0]
    # a bruise at 7 without a disclosure is no trigger (max_age_months: 24)
    folder = write_case(tmp_path / "birch2", (folder / "case.yml").read_text(), {
        "school.csv": "Date,Details,Action\n01/03/2021,Tyler came in with a black eye from football,Noted\n"})
    assert "injury_not_escalated" not in set(flags_of(folder)["rule_id"])


# --- 4. contact types --------------------------------------------------------------------------------------------
@pytest.mark.parametrize("text, expected", [
    ("Maisie crying, did not want to go home", "other"),
    ("rang in; says Gary has left the home", "phone_call"),
    ("Mother telephoned to cancel", "phone_call"),
    ("Home visit, mother and baby seen", "home_visit"),
    ("Visited at home with SW", "home_visit"),
    ("HV at home: weight 6kg", "home_visit"),
    ("NBV completed", "home_visit"),
])
def test_contact_types_from_the_description(text, expected):
    assert classify_contact_type("", text, VOCAB) == expected
