"""A local authority's education services are education, not children's social care (s18, QA4 defect 1): the
generic words "local authority" and "council" (vocab.yml agency_kind_generic) give a name its kind only when no
other agency_kinds keyword is in it. Before, "Local Authority Elective Home Education Team" was social care, so
its notification of a pupil's removal from roll was read as children's social care receiving a referral
(a false referral_no_decision flag) and its home visits as social care's."""
from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

from review.config import CaseConfig, load_vocab
from review.pipeline import analyse, load_case
from review.rules import detect, load_rules
from review.rules.testing import make_timeline
from review.vocab import compile_vocab, normalise_agency

VOCAB = load_vocab()


@pytest.mark.parametrize("name, kind", [
    ("Local Authority Elective Home Education Team", "education"),  # before: social care
    ("LA EHE Team", "education"),  # before: other
    ("Westshire County Council Children Missing Education Officer", "education"),  # before: social care
    ("Council CME Officer", "education"),  # before: social care
    ("Local Authority SEND Team", "education"),  # before: social care
    ("Westshire Council SEN Team", "education"),
    ("Local Authority Education Welfare Service", "education"),
    ("Westshire Council Attendance Service", "education"),  # before: social care
    ("Council Housing Team", "housing"),  # before: social care (a tie, the kind listed first)
    ("Local Authority Youth Offending Service", "youth justice"),
    # the generic words alone, or with a social care keyword, still give social care
    ("Westshire Council", "social care"),
    ("Local Authority Designated Officer", "lado"),  # (s20) the LADO a kind of its own
    ("Westshire Council Children's Services", "social care"),
    ("Local Authority Early Help", "social care"),
    ("Birmingham Children's Trust", "social care"),  # a council's children's services trust, not a health trust
    ("Westbridge NHS Trust", "health"),
    ("Oakfield Primary School", "education"),
])
def test_agency_kind_of_local_authority_services(name, kind):
    assert normalise_agency(name, VOCAB)[1] == kind


def test_a_case_can_make_another_word_generic():
    own = {**VOCAB, "agency_kind_generic": [*VOCAB["agency_kind_generic"], "hospital"]}
    # "hospital" (health) is longer than "school" (education): generic, it gives way to it
    assert normalise_agency("Westshire Hospital School", compile_vocab(VOCAB))[1] == "health"
    assert normalise_agency("Westshire Hospital School", compile_vocab(own))[1] == "education"
    assert normalise_agency("Westshire Hospital", compile_vocab(own))[1] == "health"  # alone, still its kind


EHE_CSV = (
    "Date,Officer,Contact type,Notes,Outcome\n"
    "12th Jan 2022,EHE officer R Dale,Notification,Deregistration notice received from Oakfield Primary. "
    "No concerns recorded by school on notification.,Initial letter to parent\n"
    "21st Apr 2022,EHE officer R Dale,Report,Written report received from mother.,Next review 6 months.\n"
)


def _ehe_case(folder: Path) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "ehe_team.csv").write_text(EHE_CSV, encoding="utf-8")
    (folder / "case.yml").write_text(
        "case_id: ehe\ndate_of_birth: 2013-03-04\nreview_date: 2022-09-30\nfiles:\n"
        "  - {path: ehe_team.csv, agency: Local Authority Elective Home Education Team}\n", encoding="utf-8")
    return folder


def test_an_ehe_teams_notification_is_not_a_referral_to_social_care(tmp_path):
    analysis = analyse(load_case(_ehe_case(tmp_path / "case")))
    assert set(analysis.timeline["agency_kind"]) == {"education"}
    # before: two referral_no_decision flags ("recorded receiving a referral or notification about the child ...
    # and no decision by children's social care is recorded within 1 working day")
    assert not (analysis.flags["rule_id"] == "referral_no_decision").any()


def test_an_education_agencys_home_visit_not_seeing_the_child_is_flagged():
    """visit_agency_kinds has education (s18): with the EHE team read as education, its refused home visit
    ("Mother refused visit at door ... Child not seen") stays a child_not_seen flag, as it was when it was read
    as social care."""
    case = CaseConfig(case_dir=".", case_id="C1", date_of_birth=pd.Timestamp("2013-03-04").date(),
                      review_date=pd.Timestamp("2022-09-30").date())
    ehe = {"agency": "Local Authority Elective Home Education Team", "agency_kind": "education"}
    rows = [{"date": "2022-01-05", "contact_type": "assessment", "description": "Neglect concerns. Child seen.",
             "concerns": "neglect", "child_seen": True, "agency": "CSC", "agency_kind": "social care"},
            {"date": "2022-03-15", "contact_type": "home_visit", "child_seen": False,
             "description": "Mother refused visit at door. Child not seen.", **ehe}]
    rows = [{**r, "open_concerns": "neglect"} for r in rows]
    flags = detect(make_timeline(rows, dob="2013-03-04"), case, load_rules(), only=["child_not_seen"])
    visits = flags[flags["expected_action"].str.startswith("return visit")]
    assert list(visits["trigger_event_id"]) == ["C1-e002"]
    assert "Local Authority Elective Home Education Team visited on 15 Mar 2022 and did not see the child" in \
        visits.iloc[0]["explanation"]
