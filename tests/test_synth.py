"""Synthetic cases: deterministic, in the contract, recognised by ingest and the rules."""
from __future__ import annotations

import pandas as pd

from review.schema import CONTACT_COLUMNS, validate
from review.synth import (
    PLANTED_RULES,
    STANDARD_CATEGORIES,
    match_ground_truth,
    synth_contacts,
    synth_declarations,
    write_case_folders,
)


def test_same_seed_same_tables_other_seed_other_tables():
    first = synth_contacts(40, seed=7)
    second = synth_contacts(40, seed=7)
    for a, b in zip(first, second):
        pd.testing.assert_frame_equal(a, b)
    other = synth_contacts(40, seed=8)[0]
    assert not other["date"].equals(first[0]["date"])


def test_contacts_keep_the_contract_and_the_vocabularies():
    contacts, cases, truth = synth_contacts(60, seed=1, contacts_per_case=80)
    assert len(contacts) == 60 * 80 and list(contacts.columns) == list(CONTACT_COLUMNS)
    assert {str(t) for t in contacts.dtypes} <= {"string", "datetime64[ns]", "boolean", "Int64"}
    assert validate(contacts).empty  # vocab ids, unique event ids, dates present
    assert contacts["organisation"].nunique() > 100  # hundreds of organisations nationally
    assert (contacts["date"] <= contacts["case_id"].map(cases.set_index("case_id")["review_date"])).all()
    assert set(truth["rule_id"]) <= set(PLANTED_RULES) and len(truth) > 10
    assert truth["trigger_event_id"].isin(contacts["event_id"]).all()


def test_rules_find_the_planted_missed_escalations():
    from review.store import analyse_cases

    contacts, cases, truth = synth_contacts(60, seed=3)
    flags = analyse_cases(contacts, cases, tables=("flags",))["flags"]
    found = match_ground_truth(flags, truth)
    assert found["found"].mean() >= 0.9, found.groupby("rule_id")["found"].mean()


def test_case_folders_ingest_back_to_the_same_contacts(tmp_path):
    from review.config import load_case_config
    from review.ingest import load_contacts

    truth = write_case_folders(tmp_path, 2, seed=5)
    assert (tmp_path / "ground_truth.csv").exists() and len(truth) == len(pd.read_csv(tmp_path / "ground_truth.csv"))
    generated = synth_contacts(2, seed=5)[0]
    config = load_case_config(tmp_path / "C000001")
    contacts, report = load_contacts(config)
    assert report.rows_rejected == 0 and len(contacts) == 100
    expected = generated[generated["case_id"] == "C000001"]
    merged = expected.merge(contacts, on=["source_file", "source_row"], suffixes=("", "_read"))
    assert len(merged) == 100
    for column in ("date", "agency", "agency_kind", "organisation", "contact_type", "concerns", "escalation",
                   "informed_agencies"):
        assert (merged[column] == merged[f"{column}_read"]).all(), column


def test_declarations_cover_every_organisation_year_and_standard():
    frame = synth_declarations(["Trust X", "Force Y"], [2021, 2022], seed=1)
    assert len(frame) == 2 * 2 * len(STANDARD_CATEGORIES)
    assert set(frame["declared_status"]) <= {"compliant", "not compliant", "insufficient assurance"}


def test_ground_truth_is_found_again_after_writing_and_ingesting_the_folders(tmp_path):
    from review.config import load_case_config
    from review.ingest import load_contacts
    from review.synth import relocate_ground_truth

    truth = write_case_folders(tmp_path, 6, seed=21)
    assert len(truth) > 0
    contacts = pd.concat([load_contacts(load_case_config(tmp_path / cid))[0] for cid in truth["case_id"].unique()])
    located = relocate_ground_truth(truth, contacts)
    assert located["trigger_event_id"].isin(contacts["event_id"]).all()
    assert (located["evidence_event_ids"].str.count(";") == truth["evidence_event_ids"].str.count(";")).all()
