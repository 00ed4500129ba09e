"""s19 (QA6 defect 4): probation is an agency kind of its own and a sexual health service is health; an
agency's "No referral made." is a decision about the child (a decision point of agency knowledge and
information_not_shared), whichever agency records it.

probation_pdu.xls's "Probation Service" and westmere_sexual_health.xlsx's "Westmere Sexual Health" were read as
kind 'other' (and warned about); probation's "No referral made." about a registered sex offender living with an
11-year-old was read as nothing.
"""
from __future__ import annotations

import pytest

from review.config import load_vocab
from review.vocab import normalise_agency


@pytest.mark.parametrize("name, kind", [
    ("Probation Service", "probation"),
    ("National Probation Service - Westmere PDU", "probation"),
    ("Westmere Community Rehabilitation Company", "probation"),
    ("Westmere Sexual Health", "health"),
    ("Integrated Sexual Health Service", "health"),
    ("Westmere GUM Clinic", "health"),
    ("Eastborough YOT", "youth justice"),  # unchanged
    ("Westmere Police Public Protection", "police"),  # unchanged
])
def test_probation_and_sexual_health_are_known_kinds(name, kind):
    assert normalise_agency(name, load_vocab())[1] == kind  # was: 'other' for the first six


def _case(tmp_path, action):
    header = "Date,Agency,Type of contact,Details,Action / outcome,Child seen"
    rows = [
        "24/02/2020,Ashbrook Primary School,Other,\"Leah told her teacher: he comes in my room at night and does things "
        "to me.\",DSL informed. Monitor.,Yes",
        "01/04/2020,Westmere Probation Service,Home visit,\"Offender (RSO) discloses his partner's daughter aged 10 "
        f"lives at the address.\",{action},No",
    ]
    (tmp_path / "chronology.csv").write_text(header + "\n" + "\n".join(rows) + "\n", encoding="utf-8")
    (tmp_path / "case.yml").write_text("case_id: c19\ndate_of_birth: 2009-04-10\nreview_date: 2022-10-31\n",
                                       encoding="utf-8")
    from review.pipeline import analyse, load_case

    analysis = analyse(load_case(tmp_path))
    return analysis.timeline, analysis.flags


def test_no_referral_made_is_a_decision_made_without_the_schools_disclosure(tmp_path):
    timeline, flags = _case(tmp_path, "MAPPA review. No referral made.")
    probation = timeline[timeline["agency"] == "Westmere Probation Service"].iloc[0]
    assert probation["agency_kind"] == "probation"
    assert "risk_to_children" in probation["concerns"]
    shared = flags[flags["rule_id"] == "information_not_shared"]
    # the school's record of the child's disclosure had not reached probation when it decided not to refer
    assert len(shared) == 1 and "no referral made" in shared.iloc[0]["explanation"].replace("_", " ")


def test_without_a_decision_recorded_there_is_no_decision_point(tmp_path):
    _, flags = _case(tmp_path, "Continue supervision.")
    assert "information_not_shared" not in set(flags["rule_id"])
