"""Mobility (s16): another person's words are about that person ("Mum not mobile since her operation"), but
when the person reports and the child is the subject — the child's given name, or "he" / "she" of the child's
sex (case.yml child_sex) when the text does not mark it as the reporter's own — the words are the child's: "Mum
says he is crawling" in a boy, "staff report Jayden walking"; since s17 also "Mum says she is walking" in a girl
(not "Mum says she herself is walking again"); with no child_sex no pronoun is read. The timeline, nonmobile_injury's explanation and
the row-by-row baseline read alike."""
from __future__ import annotations

import textwrap

import pytest

from review.mobility import MOBILE, NO_STATEMENT, NOT_MOBILE, child_identity, mobility_statement, row_statement
from review.pipeline import analyse, load_case
from review.rules import load_rules

BOY, GIRL, NAMED_ONLY = child_identity("Jayden Price", "male"), child_identity("Amy Price", "female"), \
    child_identity("Jayden Price", None)


@pytest.mark.parametrize("text, child, expected", [
    ("Mum says he is crawling", BOY, MOBILE),
    ("Mum says that he's crawling now", BOY, MOBILE),
    ("Mum says he's not yet rolling or sitting", BOY, NOT_MOBILE),
    ("staff report Jayden walking", BOY, MOBILE),
    ("staff report Jayden walking", NAMED_ONLY, MOBILE),
    ("Mum says Amy is walking", GIRL, MOBILE),
    # not the child's: a pronoun of the other sex, the reporter's own, a pronoun with no sex given, another name
    ("Mum says he is crawling", GIRL, NO_STATEMENT),
    # s17: "she" of a girl is the child's whoever reports (was NO_STATEMENT: "may be mum's own"), unless the
    # text marks it as the reporter's own (tests/test_sightings_s17.py)
    ("Mum says she is walking", GIRL, MOBILE),
    ("Mum says she herself is walking again", GIRL, NO_STATEMENT),
    ("Dad says he is walking to work", BOY, NO_STATEMENT),
    ("Mum says he is crawling", NAMED_ONLY, NO_STATEMENT),
    ("staff report Kyle walking", BOY, NO_STATEMENT),
    ("Mum not mobile since her operation", BOY, NO_STATEMENT),
    # after the child's words, another person's are theirs again
    ("Mum says he is not yet crawling, dad walking the dog", BOY, NOT_MOBILE),
])
def test_a_report_whose_subject_is_the_child_is_the_childs(text, child, expected):
    assert mobility_statement(text, child) == expected
    assert row_statement(text, None, child) == expected


@pytest.mark.parametrize("text", ["Mum says he is crawling", "staff report Jayden walking"])
def test_without_the_child_nothing_after_another_person_is_read(text):
    assert mobility_statement(text) == NO_STATEMENT


def write_case(tmp_path, sex_line, report):
    (tmp_path / "case.yml").write_text(textwrap.dedent("""\
        case_id: M1
        child_name: Jayden Price
        date_of_birth: '2023-01-10'
        review_date: '2024-01-31'
        """) + sex_line + "files:\n- path: hv.csv\n  agency: Oakfield Health Visiting\n", encoding="utf-8")
    (tmp_path / "hv.csv").write_text(textwrap.dedent(f"""\
        Date,Details
        12/06/2023,"Developmental check: not yet rolling or sitting, not independently mobile."
        20/09/2023,"{report}"
        10/10/2023,"Bruise to left cheek noted at home visit."
        """), encoding="utf-8")
    return tmp_path


def test_the_timeline_reads_mums_report_of_the_boy_crawling(tmp_path):
    analysis = analyse(load_case(write_case(tmp_path, "child_sex: male\n", "Home visit. Mum says he is crawling.")))
    # was [False, False, False]: the bruising read as in a non-mobile child
    assert analysis.timeline["child_mobile"].tolist() == [False, True, True]
    assert analysis.flags[analysis.flags["rule_id"] == "nonmobile_injury"].empty


def test_with_no_child_sex_the_pronoun_is_not_read(tmp_path):
    analysis = analyse(load_case(write_case(tmp_path, "", "Home visit. Mum says he is crawling.")))
    assert analysis.timeline["child_mobile"].tolist() == [False, False, False]
    flags = analysis.flags[analysis.flags["rule_id"] == "nonmobile_injury"]
    assert len(flags) == 1 and "recorded by Oakfield Health Visiting on 12 Jun 2023" in flags["explanation"].iloc[0]


def test_the_childs_name_is_read_without_child_sex(tmp_path):
    analysis = analyse(load_case(write_case(tmp_path, "", "Home visit. Mum says Jayden is crawling.")))
    assert analysis.timeline["child_mobile"].tolist() == [False, True, True]


@pytest.mark.parametrize("sex_line, report", [("child_sex: male\n", "Mum says he is crawling."),
                                              ("", "Mum says he is crawling."),
                                              ("", "Mum says Jayden is crawling.")])
def test_the_baseline_reads_the_same(tmp_path, sex_line, report):
    import datetime as dt
    import sys
    from pathlib import Path

    import pandas as pd

    sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "benchmarks"))
    import baseline_rowwise

    timeline = analyse(load_case(write_case(tmp_path, sex_line, report))).timeline
    rows = []
    for r in timeline.astype(object).where(timeline.notna(), None).to_dict("records"):
        r["date"] = pd.Timestamp(r["date"]).to_pydatetime()
        rows.append(r)
    info = {"M1": {"date_of_birth": dt.date(2023, 1, 10), "review_date": dt.date(2024, 1, 31),
                   "child_name": "Jayden Price", "child_sex": "male" if sex_line else None}}
    base, _ = baseline_rowwise.run(rows, info, load_rules())
    assert [r["child_mobile"] for r in base] == [bool(v) for v in timeline["child_mobile"]]
