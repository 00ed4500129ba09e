"""Session 16, self-harm readings. (1) "Mum says she self-harmed last night" (ingest: the mother's,
parental_mental_health) is the child's self-harm in a girl of 8 to 17, or a child of that age whose sex
case.yml does not give; the mother's in a boy, in a younger child, and where the words say it is her own.
(2) A contact by CAMHS itself (agency "CAMHS", "Child and Adolescent Mental Health Service") answers the
self-harm whatever its text names; a missed CAMHS appointment does not. The package and the row-by-row
baseline agree."""
from __future__ import annotations

import textwrap

import pytest

from review.config import load_case_config
from review.errors import ConfigError
from review.pipeline import analyse, load_case
from review.rules import detect, load_rules
from review.rules.self_harm_not_referred import reported_child_self_harm
from review.rules.testing import make_timeline
from review.vocab import tag_concerns
from review.config import package_data

from _baseline import baseline_flags

RULES = load_rules()
RULE = "self_harm_not_referred"
OWN = tuple(RULES["rules"][RULE]["params"]["parent_own_words"])
GP = {"agency": "Riverside GP", "agency_kind": "health", "contact_type": "clinic_appointment"}
CAMHS = {"agency": "Eastborough CAMHS", "agency_kind": "health", "contact_type": "clinic_appointment"}
CAMHS_LONG = {"agency": "Child and Adolescent Mental Health Service", "agency_kind": "health",
              "contact_type": "clinic_appointment"}


# 1. whose self-harm a parent reports --------------------------------------------------------------------------
@pytest.mark.parametrize("text, sex, childs", [
    ("Mum says she self-harmed last night", "female", True),
    ("Mum says she self-harmed last night", None, True),      # sex not given: the child of 8-17's
    ("Mum says she self-harmed last night", "male", False),   # a boy: "she" is the mother
    ("Mother reports that she has self harmed, cuts to arms", "female", True),
    ("Father said that he has self harmed", "male", True),
    ("Father said that he has self harmed", "female", False),
    ("Mum says she has self-harmed in the past herself", "female", False),
    ("Mum says she self-harmed as a teenager", None, False),
    ("Mum disclosed her own history of self-harm", "female", False),  # no pronoun read: the mother's
    ("Mum says she is low in mood", "female", False),  # no self-harm
])
def test_whose_self_harm_a_parent_reports(text, sex, childs):
    assert reported_child_self_harm(text + " . ", OWN, sex) is childs


def test_ingest_still_reads_the_words_as_the_mothers():
    # the reading that depends on the child's age and sex is the rule's: ingest knows neither
    assert "parental_mental_health" in tag_concerns("Mum says she self-harmed last night", package_data("vocab.yml"))


def case_flags(tmp_path, texts, dob, sex=None):
    """The self_harm_not_referred flags of a case whose GP chronology holds `texts` (ingest reads them)."""
    case = tmp_path / "case"
    case.mkdir(exist_ok=True)
    (case / "case.yml").write_text(textwrap.dedent(f"""\
        case_id: C1
        date_of_birth: '{dob}'
        review_date: '2023-12-31'
        """) + (f"child_sex: {sex}\n" if sex else ""), encoding="utf-8")
    lines = "".join(f'1{i}/06/2023,Riverside GP,Appointment,"{t}",Advice given.,Yes\n' for i, t in enumerate(texts))
    (case / "chronology.csv").write_text("Date,Agency,Type of contact,Details,Action / outcome,Child seen\n" + lines,
                                         encoding="utf-8")
    flags = analyse(load_case(case)).flags
    return flags[flags["rule_id"] == RULE]


@pytest.mark.parametrize("text, dob, sex, flagged", [
    ("Mum says she self-harmed last night", "2009-03-01", "female", True),   # a 14-year-old girl
    ("Mum says she self-harmed last night", "2009-03-01", None, True),
    ("Mum says she self-harmed last night", "2009-03-01", "male", False),    # a boy: the mother's
    ("Mum says she self-harmed last night", "2019-03-01", "female", False),  # a 4-year-old: the mother's
    ("Mum says she has self-harmed in the past herself", "2009-03-01", "female", False),
    ("Mum disclosed her own history of self-harm", "2009-03-01", "female", False),
])
def test_a_mothers_report_of_self_harm_in_a_case(tmp_path, text, dob, sex, flagged):
    flags = case_flags(tmp_path, [text], dob, sex)
    assert (len(flags) == 1) == flagged
    if flagged:
        assert flags["flag_id"].iloc[0].startswith(RULE)


def test_child_sex_in_case_yml_is_checked(tmp_path):
    (tmp_path / "case.yml").write_text("case_id: C1\ndate_of_birth: '2009-03-01'\nchild_sex: girl\n", encoding="utf-8")
    assert load_case_config(tmp_path).child_sex == "female"
    (tmp_path / "case.yml").write_text("case_id: C1\ndate_of_birth: '2009-03-01'\nchild_sex: x\n", encoding="utf-8")
    with pytest.raises(ConfigError, match="child_sex"):
        load_case_config(tmp_path)


# the baseline's case C1 is born 1 Jan 2023: a teenager's rows are dated 14 years on, sex not given
def told(date="2037-03-01", text="Mum says she self-harmed last night", concerns="parental_mental_health"):
    return {"date": date, **GP, "concerns": concerns, "description": text, "action": "Advice given."}


@pytest.mark.parametrize("rows, expected", [
    ([told()], 1),
    ([told(text="Mum says she has self-harmed in the past herself")], 0),
    ([told(date="2027-03-01")], 0),  # aged 4
    ([told(), {**told(date="2037-03-02"), **CAMHS, "concerns": "", "description": "Seen with mum"}], 0),
])
def test_the_baseline_reads_a_mothers_report_alike(rows, expected):
    package = detect(make_timeline(rows), None, RULES, only=[RULE])
    base = [f for f in baseline_flags(rows) if f["rule_id"] == RULE]
    assert len(package) == len(base) == expected
    assert sorted(package["flag_id"]) == sorted(f["flag_id"] for f in base)


# 2. a contact by CAMHS is the response ----------------------------------------------------------------------
def self_harm(date="2037-03-01"):
    return {"date": date, **GP, "concerns": "self_harm", "description": "Self-harmed last night, cuts to forearm.",
            "action": "Advice given."}


def appointment(who, date="2037-03-04", text="Seen with mum, low mood, safety plan agreed", **kw):
    return {"date": date, **who, "concerns": "", "description": text, "action": "", **kw}


@pytest.mark.parametrize("rows, answered", [
    ([self_harm(), appointment(CAMHS)], True),
    ([self_harm(), appointment(CAMHS_LONG)], True),
    ([self_harm(), appointment({**CAMHS, "agency": "Child & Adolescent Mental Health Services"})], True),
    # not CAMHS: the words name neither CAMHS nor an assessment
    ([self_harm(), appointment(GP)], False),
    # a missed CAMHS appointment is no response
    ([self_harm(), appointment({**CAMHS, "contact_type": "was_not_brought"}, text="Did not attend")], False),
    ([self_harm(), appointment(CAMHS, concerns="was_not_brought", text="Not brought to appointment")], False),
    # before the self-harm, or after the 7 days: no response
    ([appointment(CAMHS, date="2037-02-20"), self_harm()], False),
    ([self_harm(), appointment(CAMHS, date="2037-03-12")], False),
])
def test_a_contact_by_camhs_answers_the_self_harm(rows, answered):
    package = detect(make_timeline(rows), None, RULES, only=[RULE])
    base = [f for f in baseline_flags(rows) if f["rule_id"] == RULE]
    assert package.empty == answered
    assert sorted(package["flag_id"]) == sorted(f["flag_id"] for f in base)


def test_a_late_camhs_contact_is_named_as_the_late_response():
    rows = [self_harm(), appointment(CAMHS, date="2037-03-12")]
    flags = detect(make_timeline(rows), None, RULES, only=[RULE])
    assert flags["actual_action_event_id"].tolist() == ["C1-e002"]


@pytest.mark.parametrize("text, tag", [
    ("Mum disclosed her own history of self-harm", "parental_mental_health"),  # was self_harm: "her" the child
    ("Dad spoke of his own overdose last year", "parental_mental_health"),
    ("Chloe told of her own self-harm", "self_harm"),   # the child named
    ("Mum worried about her self-harm", "self_harm"),  # "her" alone may be the child
    ("Mother talked about his own self-harm", "self_harm"),  # "his" is no mother
])
def test_her_own_after_the_adult_is_the_adults(text, tag):
    found = tag_concerns(text, package_data("vocab.yml"))
    assert tag in found and not ({"self_harm", "parental_mental_health"} - {tag}) & set(found)


def test_the_store_keeps_child_sex(tmp_path):
    """A case analysed again from the store reads "Mum says she self-harmed" with its case.yml child_sex."""
    from review.store import case_configs, process_case_folder

    case = tmp_path / "case"
    case_flags(tmp_path, ["Mum says she self-harmed last night"], "2009-03-01", "male")  # writes the folder
    tables = process_case_folder(case)
    assert tables["cases"]["child_sex"].tolist() == ["male"]
    configs = case_configs(tables["cases"])
    assert configs["C1"].child_sex == "male"
    flags = detect(tables["timeline"], configs, RULES, only=[RULE])
    assert flags.empty  # a boy: the mother's, as the case's own build reads it
    configs = case_configs(tables["cases"].assign(child_sex=None))  # an older store: not given
    assert len(detect(tables["timeline"], configs, RULES, only=[RULE])) == 1
