"""Session 15, QA pass 2: whose self-harm. A parent's self-harm is not the child's: "<adult> seen, overdose ..."
and "<adult> says she self-harmed" are the parent's (parental_mental_health), so are the cuts it leaves, and
self_harm_not_referred reads no self-harm in a child under its minimum age (NICE NG225: 8 and over)."""
from __future__ import annotations

import textwrap

import pytest

from review.config import load_case_config, package_data
from review.ingest import load_contacts
from review.rules import detect, load_rules
from review.rules.testing import make_timeline
from review.vocab import tag_concerns

from _baseline import baseline_flags

VOCAB = package_data("vocab.yml")
RULES = load_rules()
RULE = "self_harm_not_referred"
GP = {"agency": "Riverside GP", "agency_kind": "health", "contact_type": "clinic_appointment"}


def tags(text):
    return set(tag_concerns(text, VOCAB))


@pytest.mark.parametrize("text, present, absent", [
    # "she"/"he" straight after the adult's report word is the adult
    ("Mum says she self-harmed last night", {"parental_mental_health"}, {"self_harm"}),
    ("Father said that he has self harmed", {"parental_mental_health"}, {"self_harm"}),
    ("Mother reports she took an overdose", {"parental_mental_health"}, {"self_harm"}),
    # the adult seen, the keyword opening the next comma part
    ("Mum seen, overdose last week, low mood", {"parental_mental_health"}, {"self_harm"}),
    # the cuts an adult's self-harm leaves are the adult's, not an injury of the child's
    ("Seen. Mum says she self-harmed last night, cuts to arms. Wrist splint off.", {"parental_mental_health"},
     {"self_harm", "other_injury"}),
    # still the child's
    ("Mum says he self-harmed", {"self_harm"}, {"parental_mental_health"}),  # "he" is no mother
    ("Mum reports Chloe self-harmed.", {"self_harm"}, {"parental_mental_health"}),
    ("Mum seen with baby, overdose", {"self_harm"}, set()),  # the baby named between
    ("Mum seen, low mood, overdose", {"self_harm"}, set()),  # not the part straight after the adult
    ("Mum self-harmed, baby has cuts to face", {"parental_mental_health", "other_injury"}, {"self_harm"}),
    ("Cuts to arms, self-harmed last night", {"self_harm", "other_injury"}, set()),
])
def test_whose_self_harm(text, present, absent):
    found = tags(text)
    assert present <= found and not (absent & found), found


def concerns(tmp_path, texts):
    (tmp_path / "case.yml").write_text(textwrap.dedent("""\
        case_id: T3
        child_name: Ruby Hale
        date_of_birth: '2022-01-05'
        people:
          Ruby Hale: Child
          Sian Hale: Mother
        files:
        - path: gp.csv
          agency: GP
        """), encoding="utf-8")
    lines = "".join(f'1{i}/06/2023,"{t}"\n' for i, t in enumerate(texts))
    (tmp_path / "gp.csv").write_text("Date,Details\n" + lines, encoding="utf-8")
    contacts, _ = load_contacts(load_case_config(tmp_path))
    return [set(filter(None, str(c or "").split("; "))) for c in contacts["concerns"]]


def test_a_named_adult_seen_is_the_adult(tmp_path):
    sian, ruby = concerns(tmp_path, ["Sian seen, overdose last week, low mood", "Ruby seen, overdose last week"])
    assert "parental_mental_health" in sian and "self_harm" not in sian
    assert "self_harm" in ruby



@pytest.mark.parametrize("dob, flagged", [
    ("2022-06-01", False),  # 9 months
    ("2015-03-02", False),  # a day short of 8
    ("2015-03-01", True),   # 8 years
    ("2010-01-01", True),   # 13
])
def test_self_harm_not_referred_reads_no_self_harm_under_8(dob, flagged):
    rows = [{"date": "2023-03-01", **GP, "concerns": "self_harm", "description": "Self-harmed last night.",
             "action": "Advice given."}]
    flags = detect(make_timeline(rows, dob=dob), None, RULES, only=[RULE])
    assert (not flags.empty) == flagged
    assert RULES["rules"][RULE]["params"]["min_age_years"] == 8


def test_the_minimum_age_is_a_parameter_and_the_baseline_reads_it_alike():
    # the baseline's case C1 is born 1 Jan 2023
    young = [{"date": "2030-12-30", **GP, "concerns": "self_harm", "description": "Self-harmed last night.",
              "action": "Advice given."}]
    older = [{**young[0], "date": "2031-01-02"}]
    for rows, expected in ((young, 0), (older, 1)):
        package = detect(make_timeline(rows), None, RULES, only=[RULE])
        base = [f for f in baseline_flags(rows) if f["rule_id"] == RULE]
        assert len(package) == len(base) == expected
        assert sorted(package["flag_id"]) == sorted(f["flag_id"] for f in base)
    rules = load_rules()
    rules["rules"][RULE]["params"]["min_age_years"] = 5
    assert len(detect(make_timeline(young), None, rules, only=[RULE])) == 1
    assert len([f for f in baseline_flags(young, rules) if f["rule_id"] == RULE]) == 1


def test_a_parent_telling_of_a_missing_child_is_still_the_childs():
    assert "missing" in tags("mother says she is missing since yesterday")
