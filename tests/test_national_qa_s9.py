"""Adversarial QA of the many-cases path (s9): build-all killed at a bad moment, thematic inputs."""
from __future__ import annotations

import json

from review.store import LEDGER, build_all, compact_store, complete_cases, read_store
from review.synth import write_case_folders


def test_a_run_killed_between_the_complete_lines_of_a_part_stores_no_case_twice(tmp_path):
    """A kill after a part's files are renamed into place but before every case's "complete" line is
    written (SIGKILL during a `build-all`) left the part's rows of the unmarked cases readable once the
    next run rebuilt them into another part: the resumed store had those cases twice (150 folders gave
    159 cases, 15,900 contacts)."""
    cases, store = tmp_path / "cases", tmp_path / "store"
    write_case_folders(cases, 4, 1, 41)
    build_all(cases, store, progress=False)  # one batch part of the 4 cases
    clean = {t: read_store(store, t) for t in ("cases", "contacts", "flags")}
    lines = (store / LEDGER).read_text().splitlines(keepends=True)
    complete = [i for i, line in enumerate(lines) if json.loads(line).get("status") == "complete"]
    assert len(complete) == 4
    # killed after the part was moved into place and 2 cases were marked complete: the other 2 are not
    (store / LEDGER).write_text("".join(lines[:complete[2]]))
    assert sorted(complete_cases(store)) == ["C000001", "C000002"]
    summary = build_all(cases, store, progress=False)
    assert len(summary.failed) == 0 and sorted(summary.built) == ["C000003", "C000004"]
    for table, frame in clean.items():
        again = read_store(store, table)
        assert len(again) == len(frame), table
        assert sorted(again["case_id"]) == sorted(frame["case_id"]), table
    compact_store(store)  # and compacting keeps each case once
    for table, frame in clean.items():
        assert len(read_store(store, table)) == len(frame), table
