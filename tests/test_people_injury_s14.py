"""Whose injury, with the case's people: case.yml `people` names the adults ("Sian Quinlan-Roe: Mother"), so an
injury the clause gives to an adult named only by her name is hers, not the child's
(`review.ingest.load._with_people`, `Vocabulary._adults_injury`)."""
from __future__ import annotations

import textwrap

import pytest

from review.config import load_case_config
from review.ingest import load_contacts
from review.ingest.load import _load_vocab, _with_people

PEOPLE = """\
people:
  Maisie Quinlan-Roe: Child
  Sian Quinlan-Roe: Mother
  Connor Roe: Mother's partner
  Alfie Roe: Sibling
"""


def concerns(tmp_path, text, people=PEOPLE):
    (tmp_path / "case.yml").write_text(textwrap.dedent("""\
        case_id: T1
        child_name: Maisie Quinlan-Roe
        date_of_birth: '2022-01-21'
        """) + people + "files:\n- path: police.csv\n  agency: Police\n", encoding="utf-8")
    (tmp_path / "police.csv").write_text('Date,Details\n10/06/2022,"' + text + '"\n', encoding="utf-8")
    contacts, _ = load_contacts(load_case_config(tmp_path))
    return set(filter(None, str(contacts["concerns"].iloc[0] or "").split("; ")))


@pytest.mark.parametrize("text", [
    "Domestic: Sian Quinlan-Roe assaulted by partner Connor Roe, injury to her lip. Baby asleep upstairs.",
    "Sian has a black eye, says she walked into a door.",
    "Sian's facial injuries photographed by officers.",
])
def test_an_injury_of_a_named_adult_is_not_the_childs(tmp_path, text):
    assert not concerns(tmp_path, text) & {"bruising", "other_injury", "head_injury", "fracture", "burn"}
    # without the people the name says nothing: the injury is read as the child's, as before
    assert concerns(tmp_path, text, people="") & {"bruising", "other_injury"}


@pytest.mark.parametrize("text", [
    "Maisie seen; bruise to left ear, Sian says caught on cot.",
    "Alfie has a bruise to his cheek.",  # a sibling is no adult: the reading stays as it was
    "Sian reports bruise to baby's cheek.",
])
def test_the_child_and_siblings_names_and_reports_by_an_adult_keep_the_injury(tmp_path, text):
    assert concerns(tmp_path, text) & {"bruising"}


def test_the_extended_vocabulary_is_one_mapping_per_names_and_only_given_names(tmp_path):
    (tmp_path / "case.yml").write_text("case_id: T1\nchild_name: Maisie Roe\ndate_of_birth: '2022-01-21'\n"
                                       + PEOPLE, encoding="utf-8")
    case = load_case_config(tmp_path)
    vocab = _load_vocab(None)
    a, b = _with_people(vocab, case), _with_people(vocab, case)
    assert a is b and a is not vocab  # compile_vocab caches by identity
    adults = a["injury_adults"]
    assert "sian" in adults["female"] and "connor" in adults["either"]
    every = {w for words in adults.values() for w in words}
    assert not every & {"maisie", "alfie", "roe", "quinlan"}  # the child, the sibling, surnames
    from dataclasses import replace

    assert _with_people(vocab, replace(case, people={})) is vocab  # no people: the vocabulary as it was
