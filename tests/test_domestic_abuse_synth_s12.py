"""The synthetic generator plants domestic_abuse_not_escalated (with its ground truth) without changing the
other planted patterns, the rules find it, and the Dask path raises the same flags."""
from __future__ import annotations

import hashlib

import pandas as pd
import pytest

from review.synth import PLANTED_RULES, match_ground_truth, synth_contacts

RULE = "domestic_abuse_not_escalated"


@pytest.fixture(scope="module")
def synth():
    return synth_contacts(80, seed=3)


def test_planted_with_ground_truth_in_cases_of_no_other_pattern(synth):
    contacts, _, truth = synth
    assert RULE in PLANTED_RULES
    planted = truth[truth["rule_id"] == RULE]
    assert len(planted) >= 3
    assert not planted["case_id"].isin(truth.loc[truth["rule_id"] != RULE, "case_id"]).any()
    by_id = contacts.set_index("event_id")
    for row in planted.itertuples():
        trigger = by_id.loc[row.trigger_event_id]
        assert trigger["contact_type"] == "police_callout" and "domestic_abuse" in trigger["concerns"]
        assert "DASH completed" in trigger["description"]
        evidence = row.evidence_event_ids.split("; ")
        assert len(evidence) == 7 and row.trigger_event_id in evidence
        assert (by_id.loc[evidence, "contact_type"] == "police_callout").sum() == 3
    # both the high-risk wording and the repeat threshold alone are planted somewhere
    texts = contacts.loc[contacts["event_id"].isin(planted["trigger_event_id"]), "description"]
    assert texts.str.contains("high risk").any() and texts.str.contains("medium risk").any()


def test_other_patterns_and_cases_are_as_before(synth):
    """The other rules' ground truth, and every contact of the cases holding no planted domestic abuse, are
    what the generator made before this pattern was added (digests computed with the main branch's
    generator for this seed: its ground truth, and its contacts of the same cases)."""
    contacts, _, truth = synth
    # (s14: the exploitation_not_referred pattern, planted after this one in cases with no other planted
    # pattern, is left out as this one is; the digests of the rest are the main branch's generator's too)
    # (s15: so is the self_harm_not_referred pattern, planted after both in cases of its own)
    # (s16: so is the transfer_in_conference_late pattern, planted last)
    late_rules = [RULE, "exploitation_not_referred", "self_harm_not_referred", "transfer_in_conference_late"]
    other = truth[~truth["rule_id"].isin(late_rules)]
    late = set(truth.loc[truth["rule_id"] == RULE, "case_id"])
    assert sorted(late) == ["C000016", "C000023", "C000031", "C000042", "C000059", "C000061"]
    text = "\n".join("|".join(map(str, r)) for r in other[
        ["case_id", "rule_id", "trigger_event_id", "trigger_date", "evidence_event_ids", "source_row"]].itertuples(index=False))
    assert len(other) == 33 and hashlib.sha1(text.encode()).hexdigest() == "921186c9b6fcdc835edbd1b05eb4265751de4839"
    exploited = set(truth.loc[truth["rule_id"] == "exploitation_not_referred", "case_id"])
    assert sorted(exploited) == ["C000034", "C000043", "C000046", "C000047", "C000057"] and not exploited & late
    harmed = set(truth.loc[truth["rule_id"] == "self_harm_not_referred", "case_id"])
    assert sorted(harmed) == ["C000041"] and not harmed & (late | exploited)
    # (s15b: self_harm_not_referred is planted in children of 8 or over only, its min_age_years; the cases
    # that held it before, babies and young children, are left out of the digest as theirs was; the digest
    # of the other 59 cases is the main branch's generator's for the same cases)
    harmed_before = {"C000007", "C000011", "C000012", "C000017", "C000018", "C000036", "C000048", "C000049",
                     "C000072"}
    # (s16: the transfer_in_conference_late pattern rewrites a few rows of its cases: they are left out too; the
    # digest of the other 54 cases is the s15 generator's (d948244) for the same cases)
    transferred = set(truth.loc[truth["rule_id"] == "transfer_in_conference_late", "case_id"])
    rest = contacts[~contacts["case_id"].isin(late | exploited | harmed | harmed_before | transferred)]
    text = "\n".join("|".join(map(str, r)) for r in rest[
        ["event_id", "date", "contact_type", "concerns", "escalation", "description", "child_seen",
         "child_seen_alone"]].itertuples(index=False))
    # the fourteenth session's generator records an assessment completed (Working Together's 45 working days run
    # to completion), where it had said "started": with that one sentence as it was, the digest is as before
    text = text.replace("Single assessment completed by allocated social worker.",
                        "Single assessment started by allocated social worker.")
    assert len(rest) == 5400 and hashlib.sha1(text.encode()).hexdigest() == "349060e42c1dd965dbbe11672147bf183416fb02"


def test_rules_find_the_planted_pattern_and_only_there(synth):
    from review.store import analyse_cases

    contacts, cases, truth = synth
    flags = analyse_cases(contacts, cases, tables=("flags",))["flags"]
    found = match_ground_truth(flags, truth)
    assert found.loc[found["rule_id"] == RULE, "found"].all()
    planted_cases = set(truth.loc[truth["rule_id"] == RULE, "case_id"])
    ours = flags[flags["rule_id"] == RULE]
    assert set(ours["case_id"]) == planted_cases and len(ours) == len(planted_cases)  # one per planted case
    # and no other rule fires in those cases
    assert set(flags.loc[flags["case_id"].isin(planted_cases), "rule_id"]) == {RULE}


def test_dask_gives_the_pandas_flags_of_the_rule(tmp_path):
    pytest.importorskip("distributed")
    from review.distributed import analyse_store, dask_client
    from review.store import read_store, write_store_from_synth

    write_store_from_synth(tmp_path, 30, seed=3, cases_per_part=10)
    expected = read_store(tmp_path, "flags").sort_values("flag_id").reset_index(drop=True)
    assert (expected["rule_id"] == RULE).any()
    with dask_client(n_workers=2, processes=False) as client:
        result = analyse_store(tmp_path, client=client, tables=("flags",), partition_rows=1)
    pd.testing.assert_frame_equal(result["flags"].sort_values("flag_id").reset_index(drop=True), expected)
