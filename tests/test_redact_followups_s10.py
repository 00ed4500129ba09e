"""Follow-ups to the anonymised view's s10 gaps (tests/test_redact_gaps_s10.py):

1. two schools of one kind in a case are numbered ("[primary school 1]", "[primary school 2]") in the
   order the chronology first names them, the same in every output; one school of a kind keeps its plain
   label ("[primary school]");
2. a capitalised word just before a school's name ("Today", "Spoke", "Letter", a day, a month, "HV")
   stays outside it;
3. "day 5 of life", "NBV day 11", "at 2 weeks", "at 6 weeks check" are given in whole months (the month of
   life), while durations and the ages of things are left.
Each part also checks that ordinary text is left as it was.
"""
from __future__ import annotations

import csv
import re

import docx
import pandas as pd
import pytest

import review.build as build_module
from review.cli import main
from review.export import save_figure
from review.redact import Redactor, school_labels


def _redactor() -> Redactor:
    return Redactor(people={"Kerry Brook": "Mother", "Alfie Brook": "Child A"})


# -- 1. schools numbered within a case -------------------------------------------------------------------
def _timeline(rows) -> pd.DataFrame:
    return pd.DataFrame(rows, columns=["seq", "agency", "description"])


ROWS = [
    (3, "Health visiting", "Alfie started at Oakfield Primary School; Hillside Nursery sent his records"),
    (1, "St Mary's Primary School", "St Mary's Primary School DSL rang: bruise to cheek"),
    (2, "Health visiting", "HV spoke to ST MARYS PRIMARY SCHOOL"),
    (4, "Oakfield Primary School", "Oakfield Primary School noted Alfie had left Saint Mary's Primary School"),
]


def test_two_schools_of_a_kind_are_numbered_in_the_chronologys_order():
    redactor = _redactor().learn_schools(_timeline(ROWS))
    shown = redactor.frame(_timeline(ROWS))
    # St Mary's is named first in seq order (seq 1), though its row is second in the frame
    assert shown["description"].tolist() == [
        "Child A started at [primary school 2]; [nursery] sent his records",  # one nursery: no number
        "[primary school 1] DSL rang: bruise to cheek",
        "HV spoke to [primary school 1]",  # the same school in capitals and without its apostrophe
        "[primary school 2] noted Child A had left [primary school 1]",  # "Saint" is "St"
    ]
    assert shown["agency"].tolist() == ["Health visiting", "[primary school 1]", "Health visiting", "[primary school 2]"]


def test_the_labels_do_not_depend_on_the_frames_row_order_or_on_hashing():
    forward = _redactor().learn_schools(_timeline(ROWS))
    backward = _redactor().learn_schools(_timeline(ROWS[::-1]))
    text = "Oakfield Primary School and St Mary's Primary School"
    assert forward.text(text) == backward.text(text) == "[primary school 2] and [primary school 1]"
    # and in the order of the texts given, with no table
    assert school_labels(["Oakfield Primary School", "St Mary's Primary School"]) == school_labels(
        ["Oakfield Primary School", "St Mary's Primary School", "Oakfield Primary School"])


def test_one_school_of_a_kind_keeps_its_plain_label_and_others_are_told_apart():
    redactor = _redactor().learn_schools(_timeline([(1, "GP", "St Mary's Primary School rang"),
                                                   (2, "GP", "Hillside Nursery and Little Stars Nursery")]))
    assert redactor.text("St Mary's Primary School rang") == "[primary school] rang"
    assert redactor.text("Hillside Nursery and Little Stars Nursery") == "[nursery 1] and [nursery 2]"
    # a school the case's tables do not name must not take the label of the one they do
    assert redactor.text("Brookford Primary School rang") == "[another primary school] rang"
    assert redactor.text("Oakfield High School rang") == "[secondary school] rang"  # no such kind learned
    # without a case, as before
    assert _redactor().text("Brookford Primary School rang") == "[primary school] rang"


def test_the_named_view_learns_nothing_and_changes_nothing():
    named = Redactor(people={"Kerry Brook": "Mother"}, active=False).learn_schools(_timeline(ROWS))
    assert named.text("St Mary's Primary School rang") == "St Mary's Primary School rang"


CASE_YML = """\
case_id: CSPR-Smith-2024
child_name: Amy Smith
date_of_birth: 2018-03-14
people: {Jo Smith: Mother}
"""
CHRONOLOGY = """\
Date,Agency,Practitioner,Type of contact,Details of contact,Outcome,Child seen
10/01/2023,St Mary's Primary School,DSL,phone call,Today St Mary's Primary School DSL rang: Amy has a bruise to her face,No referral made,yes
12/01/2023,St Mary's Primary School,Teacher,meeting,Amy upset in class again; bruise to arm,None,yes
20/03/2023,Oakfield Primary School,DSL,meeting,Amy started at Oakfield Primary School after leaving St Marys Primary School; new bruise noted,None,yes
"""


@pytest.fixture(scope="module")
def school_case(tmp_path_factory):
    root = tmp_path_factory.mktemp("schools")
    case = root / "case"
    case.mkdir()
    (case / "case.yml").write_text(CASE_YML, encoding="utf-8")
    (case / "school.csv").write_text(CHRONOLOGY, encoding="utf-8")
    with pytest.MonkeyPatch.context() as mp:
        mp.setattr(build_module, "save_figure", lambda fig, stem, d: save_figure(fig, stem, d, ("svg",)))
        build_module.build_report(case, root / "anonymised", redact=True, progress=False)
        build_module.build_report(case, root / "again", redact=True, progress=False)
    return root


def test_every_output_gives_one_school_one_label(school_case, capsys):
    out = school_case / "anonymised"
    rows = list(csv.DictReader((out / "chronology.csv").open(encoding="utf-8-sig")))
    assert [r["Agency"] for r in rows] == ["[primary school 1]", "[primary school 1]", "[primary school 2]"]
    assert rows[0]["Description"].startswith("Today [primary school 1] DSL rang")
    assert rows[2]["Description"] == "Child A started at [primary school 2] after leaving [primary school 1]; new bruise noted"
    flags = (out / "flags.csv").read_text(encoding="utf-8-sig")
    html = (out / "report.html").read_text(encoding="utf-8")
    document = docx.Document(out / "chronology.docx")
    word = " ".join(c.text for t in document.tables for r in t.rows for c in r.cells)
    assert main(["flags", str(school_case / "case"), "--redact"]) == 0
    listing = capsys.readouterr().out
    for text in (flags, html, word, listing):
        assert "[primary school 1]" in text and "[primary school 2]" in text
        assert "[primary school]" not in text and "[another" not in text
        assert not re.search(r"Mary|Oakfield|Amy|Smith", text)
    # the same case gives the same outputs (labels in the chronology's order, not a hash's)
    assert (out / "chronology.csv").read_bytes() == (school_case / "again" / "chronology.csv").read_bytes()
    assert flags == (school_case / "again" / "flags.csv").read_text(encoding="utf-8-sig")


# -- 2. a capitalised word before a school's name -------------------------------------------------------
@pytest.mark.parametrize("text, expected", [
    ("Today Hillside Nursery rang", "Today [nursery] rang"),
    ("Yesterday Hillside Nursery rang", "Yesterday [nursery] rang"),
    ("Spoke Hillside Nursery re attendance", "Spoke [nursery] re attendance"),
    ("Called St Mary's Primary School", "Called [primary school]"),
    ("Visited Oakfield High School", "Visited [secondary school]"),
    ("Letter Oakfield High School re exclusion", "Letter [secondary school] re exclusion"),
    ("Email Brookford Academy", "Email [school]"),
    ("Monday St Mary's Primary School called", "Monday [primary school] called"),
    ("March Hillside Nursery report", "March [nursery] report"),
    ("HV Hillside Nursery visit", "HV [nursery] visit"),
    ("TODAY HILLSIDE NURSERY RANG", "TODAY [nursery] RANG"),
])
def test_words_before_a_school_are_no_part_of_its_name(text, expected):
    assert _redactor().text(text) == expected


@pytest.mark.parametrize("text, expected", [
    ("Hillside Nursery rang", "[nursery] rang"),  # a name that begins the sentence is the name
    ("St Mary's Primary School reported", "[primary school] reported"),
    ("ST MARY'S PRIMARY SCHOOL", "[primary school]"),  # "ST" is Saint, not a role
    ("Sacred Heart Primary School", "[primary school]"),
    ("Little Stars Day Nursery", "[nursery]"),
])
def test_a_schools_own_words_stay_in_its_name(text, expected):
    assert _redactor().text(text) == expected


# -- 3. a day of life, "at 2 weeks" -------------------------------------------------------------------
@pytest.mark.parametrize("text, expected", [
    ("Baby seen on day 5 of life by MW", "Baby seen in month 1 of life by MW"),
    ("Day 5 of life: heel prick done", "Month 1 of life: heel prick done"),
    ("day 40 of life", "month 2 of life"),
    ("NBV day 11", "NBV in month 1"),
    ("NBV day 11 completed by HV", "NBV in month 1 completed by HV"),
    ("NBV on day 14, no concerns", "NBV in month 1, no concerns"),
    ("NBV (day 11)", "NBV (month 1)"),
    ("HV new birth visit on day 12", "HV new birth visit in month 1"),
    ("day 5 postnatal check", "month 1 postnatal check"),
    ("the 5th day of life", "the 1st month of life"),
    ("ON DAY 5 OF LIFE", "IN MONTH 1 OF LIFE"),
    ("seen at 2 weeks", "seen at under 1 month"),
    ("at 6 weeks check", "at 1 month check"),
    ("At 10 days baby was feeding well", "At under 1 month baby was feeding well"),
    ("at 6 weeks and 3 days baby seen", "at 1 month baby seen"),
    ("GP saw Kerry and Alfie at 8 weeks", "GP saw Mother and Child A at 1 month"),
    ("seen at 2 weeks of age", "seen at under 1 month of age"),
    ("Born at 38 weeks gestation. Seen at 2 weeks by HV", "Born at 38 weeks gestation. Seen at under 1 month by HV"),
])
def test_a_day_of_life_and_an_age_at_n_weeks_are_given_in_whole_months(text, expected):
    assert _redactor().text(text) == expected


ORDINARY = [
    "review in 2 weeks; for 2 weeks; within 2 weeks; after 2 weeks; every 2 weeks; 2 weeks ago.",
    "Bruise 2 weeks old on the shin; fracture 2-3 weeks old.",
    "born at 34 weeks; delivered at 36 weeks; booking at 12 weeks; scan at 20 weeks.",
    "Seen by midwife at 12 weeks pregnant. Antenatal clinic: seen at 28 weeks.",
    "at 34 weeks gestation; at 2 weeks of treatment.",
    "review at 2 weeks; repeat bloods at 2 weeks; follow up at 6 weeks; appt at 2 weeks.",
    "at 2 weeks post op; at 2 weeks' notice; at 2 weeks intervals.",
    "day 3 of admission; day 5 of antibiotics; day 2 post-op; Day 1 of the course.",
    "6 week check done; 6/52 check done; the 6-8 week check.",
    "Today the Nursery rang; Spoke to the Primary School; School Nurse visited.",
    "Sunday School; Forest School; Royal College of Nursing.",
    "Mother aged 23; child aged 7 months; seen at 10:30 on the ward.",
]


@pytest.mark.parametrize("text", ORDINARY)
def test_ordinary_text_is_left(text):
    assert _redactor().text(text) == text


def test_a_day_of_life_is_kept_in_the_view_that_keeps_days():
    assert Redactor(people={}, date_resolution="day").text("NBV day 11; seen at 2 weeks") == "NBV day 11; seen at 2 weeks"
