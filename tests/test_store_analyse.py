"""Many cases at once (`timeline_many`, `analyse_cases`) equal the case-by-case reference."""
from __future__ import annotations

import pandas as pd

from review.store import analyse_cases, read_store, write_store_from_synth
from review.synth import synth_contacts


def test_batched_analysis_equals_case_by_case():
    contacts, cases, _ = synth_contacts(8, seed=11)
    cases.loc[cases.index[:3], "mobile_from"] = pd.NaT  # falls back to the default age of mobility
    reference = analyse_cases(contacts, cases, per_case=True)
    batched = analyse_cases(contacts, cases)
    assert set(reference) == {"timeline", "flags", "response_latency"}
    for name in reference:
        pd.testing.assert_frame_equal(batched[name], reference[name], obj=name)
    assert len(reference["flags"]) > 0


def test_synthetic_store_is_resumable_and_holds_every_case_once(tmp_path):
    first = write_store_from_synth(tmp_path, 6, seed=2, cases_per_part=4)
    assert first["parts"] == 2 and first["parts_written"] == 2
    again = write_store_from_synth(tmp_path, 6, seed=2, cases_per_part=4)
    assert again["parts_written"] == 0 and again["parts_skipped"] == 2
    contacts = read_store(tmp_path, "contacts")
    assert len(contacts) == 600 and contacts["event_id"].is_unique
    flags = read_store(tmp_path, "flags")
    assert flags["flag_id"].is_unique and set(flags["case_id"]) <= set(contacts["case_id"])
    truth = read_store(tmp_path, "ground_truth")
    assert set(truth["rule_id"]) and truth["case_id"].isin(contacts["case_id"]).all()
