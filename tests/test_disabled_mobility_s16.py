"""Session 16, QA case a_cp_wheelchair: a permanently non-mobile disabled child (cerebral palsy, GMFCS V) read as
mobile from incidental words. Other people walking ("Class went walking to the park, Jayden in his wheelchair
pushed by his 1:1 TA", "staff walked with J"), equipment ("mobile hoist", "mobile in powered wheelchair") state
no independent mobility, and case.yml may say `mobile_from: never` (NICE CG89: bruising in a child not
independently mobile, disabled children of any age)."""
from __future__ import annotations

import textwrap

import pytest

from review.config import NEVER_MOBILE, load_case_config
from review.errors import ConfigError
from review.mobility import MOBILE, NO_STATEMENT, NOT_MOBILE, mobility_statement, row_statement
from review.pipeline import analyse, load_case


@pytest.mark.parametrize("text", [
    "Class went walking to the park for sports week, Jayden in his wheelchair pushed by his 1:1 TA. Enjoyed it.",
    "Weekend stay. Staff walked with Jayden to the park in his wheelchair. Settled well, ate well.",
    "staff walked with J to the park in wheelchair",
    "We walked to the shops together.",
    "Reviewed. Transferred using mobile hoist on clinic bed.",
    "mobile in powered wheelchair",
    "Mobilising in his wheelchair around the unit.",
    "Walks with full support of two adults.",
])
def test_others_walking_and_equipment_state_no_mobility(text):
    assert mobility_statement(text) == NO_STATEMENT
    assert row_statement(text, None) == NO_STATEMENT  # the baseline's reading (benchmarks/baseline_rowwise.py)


@pytest.mark.parametrize("text, expected", [
    ("Now crawling and pulling to stand.", MOBILE),
    ("crawling and mobile in wheelchair", MOBILE),  # crawling is still stated
    ("Walking well, uses wheelchair for long distances.", MOBILE),  # the aid is for distances only
    ("walks with a frame", MOBILE),  # moves himself, with an aid
    ("Non-mobile, full-time wheelchair user, PEG fed.", NOT_MOBILE),
    ("CP GMFCS V, not able to sit or roll independently, non-mobile.", NOT_MOBILE),
])
def test_the_childs_own_mobility_is_still_read(text, expected):
    assert mobility_statement(text) == expected


def write_case(tmp_path, extra=""):
    (tmp_path / "case.yml").write_text(textwrap.dedent("""\
        case_id: CP1
        child_name: Jayden Price
        date_of_birth: '2017-05-02'
        review_date: '2024-01-31'
        """) + extra + "files:\n- path: school.csv\n  agency: Brookfield Primary School\n", encoding="utf-8")
    (tmp_path / "school.csv").write_text(textwrap.dedent("""\
        Date,Details
        09/01/2023,"Jayden has cerebral palsy (GMFCS V). Non-mobile, full-time wheelchair user."
        05/06/2023,"Class went walking to the park for sports week, Jayden in his wheelchair pushed by his 1:1 TA."
        11/09/2023,"Bruising to both wrists noticed when coat removed. Mum says it is the straps of his wheelchair."
        """), encoding="utf-8")
    return tmp_path


def nonmobile_flags(case_dir):
    flags = analyse(load_case(case_dir)).flags
    return flags[flags["rule_id"] == "nonmobile_injury"]


def test_bruising_after_a_class_walk_is_in_a_non_mobile_child(tmp_path):
    case_dir = write_case(tmp_path)
    analysis = analyse(load_case(case_dir))
    assert analysis.timeline["child_mobile"].tolist() == [False, False, False]  # was [False, True, True]
    flags = analysis.flags[analysis.flags["rule_id"] == "nonmobile_injury"]
    assert len(flags) == 1 and "not independently mobile" in flags["explanation"].iloc[0]


def test_mobile_from_never(tmp_path):
    case_dir = write_case(tmp_path, "mobile_from: never\n")
    assert load_case_config(case_dir).mobile_from == NEVER_MOBILE
    # the records' words do not change it: a later "now walking" leaves the child non-mobile
    with open(case_dir / "school.csv", "a", encoding="utf-8") as fh:
        fh.write('12/09/2023,"Walking to class independently now."\n13/09/2023,"Bruise to left cheek."\n')
    flags = nonmobile_flags(case_dir)
    assert len(flags) == 2
    assert flags["explanation"].str.contains(r"\(case\.yml mobile_from: never\)").all()


@pytest.mark.parametrize("value", ["'sometimes'", "'2023-13-01'", "'no'"])
def test_mobile_from_other_words_are_refused(tmp_path, value):
    case_dir = write_case(tmp_path, f"mobile_from: {value}\n")
    with pytest.raises(ConfigError, match="mobile_from must be an ISO date .* or never"):
        load_case_config(case_dir)
