"""A row reporting another agency's event is not the recording agency's own contact of that type (s18, QA4
defect 6): a school's "Told by social care that assessment closed and stepped down to early help" was typed
the school's own case_closure, so information_not_shared said the other agencies' concerns "did not reach
Oakfield Primary School before its decision (case closure)". vocab.yml contact_type_reported_cues: every type
keyword after one, to the end of its clause, is the event the row was told of."""
from __future__ import annotations

from pathlib import Path

import pytest

from review.config import load_vocab
from review.pipeline import analyse, load_case
from review.vocab import description_contact_type, names_type

VOCAB = load_vocab()


@pytest.mark.parametrize("text, expected", [
    # before: case_closure (the school's own closure)
    ("Told by social care that assessment closed and stepped down to early help. Concerns about hunger continuing.",
     ""),
    ("Informed by CSC that case closed to them and no further action", ""),  # before: case_closure
    # the cue reaches to the end of its clause: "Informed by phone, referral made to MASH" is a referral
    ("Informed by phone, referral made to MASH", "referral"),
    ("Advised by social worker that referral accepted", ""),  # before: referral
    # the row's own contact stays: before the cue, in another sentence, or with no cue
    ("Case closed. Told by mum that she went to A&E.", "case_closure"),
    ("Told by mum he is eating. Case closed to school nursing.", "case_closure"),
    ("Assessment completed. Stepped down to early help.", "case_closure"),
    ("Home visit. Child seen.", "home_visit"),
])
def test_reported_events_are_not_the_rows_own_type(text, expected):
    assert description_contact_type(text, VOCAB) == expected


def test_names_type_reads_alike():
    # the rules' reading of a text's types is the same reading
    assert not names_type("case_closure", "Told by social care that case closed", VOCAB)
    assert names_type("case_closure", "Case closed", VOCAB)


SCHOOL = ("Date,Details,Action taken\n"
          "04/10/2021,Unexplained bruises to upper arm. Referral to children's social care (MASH) made by DSL.,"
          "Body map completed\n"
          "25/11/2021,Told by social care that assessment closed and stepped down to early help.,"
          "Early help plan - school to lead\n")
GP = "Date,Type,Details,Outcome\n25/10/2021,DNA,Did not attend weight review.,Rebook\n"


def test_the_school_is_not_blamed_for_social_cares_closure(tmp_path):
    folder = tmp_path / "case"
    folder.mkdir()
    (folder / "school.csv").write_text(SCHOOL, encoding="utf-8")
    (folder / "gp.csv").write_text(GP, encoding="utf-8")
    (folder / "case.yml").write_text(
        "case_id: jp\ndate_of_birth: 2013-03-04\nreview_date: 2022-09-30\nfiles:\n"
        "  - {path: school.csv, agency: Oakfield Primary School}\n"
        "  - {path: gp.csv, agency: Brookside Surgery}\n", encoding="utf-8")
    analysis = analyse(load_case(Path(folder)))
    told = analysis.timeline[analysis.timeline["description"].str.startswith("Told by social care")]
    assert list(told["contact_type"]) == ["other"]  # before: case_closure
    shared = analysis.flags[analysis.flags["rule_id"] == "information_not_shared"]
    # before: "Brookside Surgery recorded a missed appointment ... no record it reached Oakfield Primary School
    # before its decision (case closure) on 25 Nov 2021"
    assert not shared["explanation"].str.contains("Oakfield Primary School before its decision").any()
