"""Session 16, QA case c_teen_mother_frenulum: a young mother's injuries are not the baby's. case.yml lists
"Chantelle Clarke: Mother"; "Chantelle disclosed superficial cuts to her forearm last week" is her injury, and
"Chantelle (17) said he pushed her" is domestic abuse towards her (a concern about the household), not a
non-accidental injury of the baby (`Vocabulary._adults_injury`, `Vocabulary._disclosed_hit`)."""
from __future__ import annotations

import textwrap

import pytest

from review.config import load_case_config, package_data
from review.ingest import load_contacts
from review.pipeline import analyse, load_case
from review.vocab import tag_concerns

VOCAB = package_data("vocab.yml")
INJURIES = {"bruising", "other_injury", "head_injury", "fracture", "burn", "non_accidental"}
CASE = """\
case_id: C1
child_name: Ruby Clarke
date_of_birth: '2024-01-10'
review_date: '2024-04-30'
people: {Ruby Clarke: Child, Chantelle Clarke: Mother, Jordan Webb: Father}
files:
- {path: records.csv, agency: Westshire Children's Social Care}
"""


def concerns(tmp_path, texts, case=CASE):
    (tmp_path / "case.yml").write_text(case, encoding="utf-8")
    (tmp_path / "records.csv").write_text(
        "Date,Details\n" + "".join(f'{10 + i:02d}/03/2024,"{t}"\n' for i, t in enumerate(texts)), encoding="utf-8")
    contacts, _ = load_contacts(load_case_config(tmp_path))
    return [set(filter(None, str(c or "").split("; "))) for c in contacts["concerns"]]


def test_the_mothers_disclosed_cuts_are_hers(tmp_path):
    text = "Visit to Chantelle and baby Ruby. Ruby seen asleep. Chantelle disclosed superficial cuts to her forearm last week."
    assert not concerns(tmp_path, [text])[0] & INJURIES  # before: other_injury, the 8-day-old's
    # without the people the name says nothing: still read as the child's
    assert "other_injury" in concerns(tmp_path, [text], CASE.replace(
        "people: {Ruby Clarke: Child, Chantelle Clarke: Mother, Jordan Webb: Father}\n", ""))[0]


@pytest.mark.parametrize("text, tags", [
    ("Mum disclosed cuts to her arm.", set()),
    ("Mother admitted bruise on her arm.", set()),
    # still the child's: a report of the child's injury, or no pronoun saying whose
    ("Mother reports bruise to her cheek.", {"bruising"}),
    ("Mum disclosed bruising.", {"bruising"}),
    ("Mum disclosed that baby has a bruise to her cheek.", {"bruising"}),
])
def test_whose_disclosed_injury(text, tags):
    assert set(tag_concerns(text, VOCAB)) & INJURIES == tags


def test_the_mothers_account_of_a_push_is_domestic_abuse_not_the_babys_injury(tmp_path):
    police = ("Neighbour reported shouting, baby crying. Jordan Webb left prior to arrival. "
              "Chantelle (17) said he pushed her. DASH standard risk.")
    found = concerns(tmp_path, [police, "Chantelle said Jordan pushed her."])
    assert found[0] == {"domestic_abuse"}  # before: domestic_abuse; non_accidental
    assert found[1] == {"domestic_abuse"}  # before: no concern at all


@pytest.mark.parametrize("text, tags", [
    ("Mother said partner hit her.", {"domestic_abuse"}),
    ("Mother (aged 17) said partner hit her.", {"domestic_abuse"}),
    ("Mother said dad hit him.", {"non_accidental"}),  # the child struck: a disclosure, as before
    ("Tyler (6) said his dad hit him with a belt.", {"non_accidental"}),
    ("she said he pushed her", set()),  # who she is the words do not say
])
def test_accounts_of_blows(text, tags):
    assert set(tag_concerns(text, VOCAB)) & {"domestic_abuse", "non_accidental"} == tags


def test_no_injury_flag_on_the_mothers_injuries(tmp_path):
    (tmp_path / "case.yml").write_text(CASE, encoding="utf-8")
    (tmp_path / "records.csv").write_text(textwrap.dedent("""\
        Date,Details
        18/01/2024,"Visit to Chantelle and baby Ruby. Ruby seen asleep. Chantelle disclosed superficial cuts to her forearm last week."
        02/03/2024,"Chantelle (17) said he pushed her. DASH standard risk."
        """), encoding="utf-8")
    flags = analyse(load_case(tmp_path)).flags
    # before: injury_not_escalated and nonmobile_injury on 18 Jan, injury_not_escalated on 2 Mar
    assert not flags["rule_id"].isin(["nonmobile_injury", "injury_not_escalated", "repeated_injury_or_ae"]).any()
