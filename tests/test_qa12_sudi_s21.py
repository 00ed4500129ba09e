"""QA12 (s21): the synthetic sudden-unexpected-death-in-infancy case "Mason Reid" (tests/_qa12_sudi_case.py, every
name invented; modelled on the Child Safeguarding Practice Review Panel's "Out of routine", 2020) end to end: the
unborn child is never seen or unseen, adults' records are not the child's, the death ends the sightings, the
receiving authority's conference booked past its deadline is flagged though the child died first."""
from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pandas as pd
import pytest

from review.pipeline import analyse, load_case

BIRTH, DEATH = pd.Timestamp("2023-06-12"), pd.Timestamp("2023-10-14")


@pytest.fixture(scope="module")
def qa12(tmp_path_factory):
    folder = tmp_path_factory.mktemp("qa12") / "case"
    generator = Path(__file__).with_name("_qa12_sudi_case.py")
    subprocess.run([sys.executable, str(generator), str(folder)], check=True, capture_output=True)
    case = load_case(folder)
    return case, analyse(case)


def test_every_row_of_the_nine_files_is_read(qa12):
    case, a = qa12
    assert len(a.timeline) == 61
    assert case.report.rows_read == case.report.rows_accepted == 61 and case.report.rows_rejected == 0
    assert a.timeline["source_file"].nunique() == 9


def test_nothing_is_seen_or_unseen_before_the_birth(qa12):
    _, a = qa12
    tl = a.timeline
    before = tl[tl["date"] < BIRTH]
    assert len(before) > 10
    assert before["child_seen"].isna().all()
    assert not before["concerns"].fillna("").str.contains("sexual_activity|non_accidental|child_not_seen").any()
    seen_flags = a.flags[a.flags["rule_id"] == "child_not_seen"]
    assert (seen_flags["trigger_date"] >= BIRTH).all()


def test_no_flag_after_the_death_and_no_adult_service_missed_appointment_is_the_childs(qa12):
    _, a = qa12
    assert (a.flags["trigger_date"] <= DEATH).all()
    wnb = a.flags[a.flags["rule_id"] == "was_not_brought"]
    assert not wnb["agencies"].str.contains("Pathways").any()  # the father's drug service


def test_the_strategy_discussion_without_a_conference_is_flagged(qa12):
    _, a = qa12
    f = a.flags[a.flags["rule_id"] == "strategy_no_conference"]
    assert list(f["trigger_date"].dt.strftime("%Y-%m-%d")) == ["2023-05-26"]


def test_the_conference_booked_past_the_deadline_is_flagged_though_the_child_died_first(qa12):
    _, a = qa12
    f = a.flags[a.flags["rule_id"] == "transfer_in_conference_late"]
    assert len(f) == 1 and f.iloc[0]["agencies"] == "Kelsham Children's Services"
    text = f.iloc[0]["explanation"]
    assert "booked the transfer-in child protection conference for 19 Oct 2023" in text
    assert "the child died on 14 Oct 2023" in text


def test_the_sleeping_arrangements_are_a_concern(qa12):
    _, a = qa12
    tl = a.timeline
    tagged = tl[tl["concerns"].fillna("").str.contains("unsafe_sleep")]
    assert len(tagged) >= 2 and (tagged["date"] >= BIRTH).any()


def test_the_record_of_the_death_is_no_sighting(qa12):
    _, a = qa12
    f = a.flags[a.flags["rule_id"] == "child_not_seen"]
    last = f[f["trigger_date"] == f["trigger_date"].max()].iloc[0]["explanation"]
    assert "before the child's death" in last and "next recorded sighting came on 14 Oct" not in last
