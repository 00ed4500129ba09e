"""Adversarial QA of the many-cases path (s9): build-all killed at a bad moment, thematic inputs."""
from __future__ import annotations

import json

import pandas as pd
import pytest

from review.cli import main
from review.store import LEDGER, build_all, compact_store, complete_cases, read_store, write_store_from_synth
from review.synth import write_case_folders
from review.thematic import (
    assurance_vs_evidence,
    flag_rates,
    organisation_names,
    plot_assurance,
    plot_flag_rates,
    read_declarations,
)


def test_a_run_killed_between_the_complete_lines_of_a_part_stores_no_case_twice(tmp_path):
    """A kill after a part's files are renamed into place but before every case's "complete" line is
    written (SIGKILL during a `build-all`) left the part's rows of the unmarked cases readable once the
    next run rebuilt them into another part: the resumed store had those cases twice (150 folders gave
    159 cases, 15,900 contacts)."""
    cases, store = tmp_path / "cases", tmp_path / "store"
    write_case_folders(cases, 4, 1, 44)
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


def _timeline_and_flags():
    timeline = pd.DataFrame({"case_id": "A", "event_id": [f"a{i}" for i in range(4)], "agency_kind": "social care",
                             "organisation": "Glenham Council", "date": pd.to_datetime(["2018-03-01"] * 4)})
    flags = pd.DataFrame({"case_id": ["A"], "rule_id": ["child_not_seen"], "trigger_event_id": ["a0"],
                          "trigger_date": pd.to_datetime(["2018-03-01"]), "failing_category": ["procedure"],
                          "severity": ["high"]})
    return timeline, flags


def test_a_standard_no_rule_evidences_has_no_rate_and_is_not_plotted_at_zero(tmp_path):
    """'Glenham Council 2018 · Early help offer' (no rule evidences it) was given 0.0 flags per 100
    contacts and drawn at 0 among the declared-compliant points, as if the evidence bore it out."""
    path = tmp_path / "declarations.csv"
    path.write_text("Organisation,Year,Standard,Status\n"
                    "Glenham Council,2018,Early help offer,Compliant\n"
                    "Glenham Council,2018,Information sharing,Compliant\n")
    timeline, flags = _timeline_and_flags()
    result = assurance_vs_evidence(read_declarations(path), flags, timeline, min_contacts=1).set_index("standard")
    early = result.loc["Early help offer"]
    assert early["assessment"] == "standard not evidenced by the rules"
    assert pd.isna(early["flags_per_100_contacts"])
    assert early["contacts"] == 4
    sharing = result.loc["Information sharing"]  # evidenced, no failings: a real 0
    assert sharing["assessment"] == "consistent" and sharing["flags_per_100_contacts"] == 0
    assert pd.isna(early["flags"])  # no rule evidences it: its 0 flags would be no evidence (s14: left empty)
    # s14: neither is drawn: the evidenced one has no flags (a zero the table keeps, which would only pad the
    # chart at 0), and the title says so
    fig = plot_assurance(result.reset_index())
    assert fig._suptitle.get_text().replace("\n", " ") == "Declared compliance against evidence of failings (1 with no flags not shown)"
    assert not fig.axes[0].axison and not fig.axes[0].lines  # the empty chart: nothing drawn
    assert fig.review_alt_text.endswith("No declaration has flags to set beside it.")


def test_thematic_names_the_cases_whose_last_build_failed(tmp_path, capsys):
    """A case folder that no longer ingests is taken out of the store (build-all says so), but `review
    thematic` then reported "2 cases" with no word of the third."""
    cases, store = tmp_path / "cases", tmp_path / "store"
    write_case_folders(cases, 3, 2, 44)
    build_all(cases, store, progress=False)
    next((cases / "C000002").glob("*.xlsx")).write_text("garbage")
    summary = build_all(cases, store, progress=False)
    assert summary.failed["case_id"].tolist() == ["C000002"]
    assert main(["thematic", "--store", str(store), "--out", str(tmp_path / "th"), "--formats", "svg"]) == 0
    out = capsys.readouterr().out
    assert out.startswith("2 cases,")
    assert "1 case(s) of the store failed on their last build and are not counted: C000002" in out


def test_flags_by_organisation_counts_one_organisation_however_its_name_is_spelt():
    """One case's housing file wrote "GLENHAM  COUNCIL": flags_by_organisation showed Glenham Council
    4 flags / 21 contacts (19.0 per 100) and GLENHAM  COUNCIL 0 / 5, while assurance_vs_evidence
    matched the two spellings as one organisation (4 / 26)."""
    timeline, flags = _timeline_and_flags()
    extra = pd.DataFrame({"case_id": "B", "event_id": ["b0", "b1"], "agency_kind": ["housing", None],
                          "organisation": ["GLENHAM  COUNCIL", None], "date": pd.to_datetime(["2018-05-01"] * 2)})
    timeline = pd.concat([timeline, extra], ignore_index=True)
    flags = pd.concat([flags, flags.assign(case_id="B", trigger_event_id="b1")], ignore_index=True)
    rates = flag_rates(flags, timeline, "organisation", min_contacts=1).set_index("organisation")
    assert rates.index.tolist() == ["(unknown)", "Glenham Council"]
    assert rates.loc["Glenham Council", ["flags", "contacts"]].tolist() == [1, 5]
    # a contact with no organisation (or agency kind) is counted with its flag, not left out of the denominator
    assert rates.loc["(unknown)", ["flags", "contacts"]].tolist() == [1, 1]
    kinds = flag_rates(flags, timeline, "agency_kind", min_contacts=1).set_index("agency_kind")
    assert kinds.loc["(unknown)", ["flags", "contacts", "flags_per_100_contacts"]].tolist() == [1, 1, 100.0]
    assert organisation_names(pd.Series(["B & Co", "b and co", "b and co", "X"])) == {
        "B & Co": "b and co", "b and co": "b and co", "X": "X"}


def test_a_flag_rate_chart_showing_only_the_top_groups_says_so():
    """40 organisations of 30+ contacts each: the chart drew 25 under the title "Flags per 100 contacts by
    organisation", as if that were all of them (the title only said "top 25" when some small ones were
    left out too)."""
    rates = pd.DataFrame({"organisation": [f"Org {i:02d}" for i in range(40)], "flags": 1, "cases": 1,
                          "contacts": 50, "flags_per_100_contacts": 2.0})
    fig = plot_flag_rates(rates, "organisation")
    assert fig._suptitle.get_text().replace("\n", " ") == "Flags per 100 contacts by organisation (top 25 of 40)"
    assert len(fig.axes[0].get_yticklabels()) == 25
    small = pd.concat([rates.head(3), rates.tail(2).assign(contacts=5)], ignore_index=True)
    assert plot_flag_rates(small, "organisation")._suptitle.get_text().replace("\n", " ") == (
        "Flags per 100 contacts by organisation (2 with fewer than 20 contacts not shown)")
    assert plot_flag_rates(rates.head(3), "organisation")._suptitle.get_text().replace("\n", " ") == (
        "Flags per 100 contacts by organisation")
    # the assurance chart draws 30 declarations of thousands: its title says which
    assurance = pd.DataFrame({"organisation": [f"Org {i:02d}" for i in range(40)], "year": 2020,
                              "standard": "Information sharing", "declared_status": "compliant",
                              "flags": 1, "flags_per_100_contacts": 0.5, "disagreement": False,
                              "threshold_per_100": 1.0})
    fig = plot_assurance(assurance)
    assert fig._suptitle.get_text().replace("\n", " ") == ("Declared compliance against evidence of failings (30 of 40 with flags: "
                                        "disagreements first, then highest rate)")
    assert plot_assurance(assurance.head(5))._suptitle.get_text().replace("\n", " ") == "Declared compliance against evidence of failings"


def test_dask_response_latency_rows_do_not_depend_on_which_cases_share_a_partition(tmp_path):
    """`review dask-rules --partition-rows 2000` and `--workers 1` (the default partition) wrote the same
    response_latency rows in different orders: one partition's concerns came in date order across its
    cases. Now each partition gives them in case order (as a store built from case folders holds them)."""
    from review.distributed import CASE_COLUMNS, _latency_partition

    store = tmp_path / "store"
    write_store_from_synth(store, 6, 3, 60)
    timeline, flags = read_store(store, "timeline"), read_store(store, "flags")
    cases = read_store(store, "cases")[CASE_COLUMNS]
    stored = read_store(store, "response_latency")
    together = _latency_partition(timeline, flags, cases, None)
    assert together["case_id"].is_monotonic_increasing
    assert sorted(together["event_id"]) == sorted(stored["event_id"])
    halves = [_latency_partition(timeline[timeline["case_id"].isin(ids)].reset_index(drop=True),
                                 flags[flags["case_id"].isin(ids)], cases, None)
              for ids in (["C000001", "C000002", "C000003"], ["C000004", "C000005", "C000006"])]
    assert pd.concat(halves)["event_id"].tolist() == together["event_id"].tolist()


def _one_row_case(case_dir):
    from review.config import load_case_config

    cid = load_case_config(case_dir).case_id
    contacts = pd.DataFrame({"case_id": [cid], "event_id": [f"{cid}-1"], "date": pd.to_datetime(["2020-02-01"]),
                             "contact_type": "home_visit", "agency": "GP", "agency_kind": "health",
                             "date_precision": "day"})
    return {"contacts": contacts, "cases": pd.DataFrame({"case_id": [cid], "date_of_birth": [pd.Timestamp("2019-06-01")]})}


@pytest.mark.parametrize("killed", ["before the rename", "between the complete lines"])
def test_a_compaction_killed_at_any_moment_loses_no_case(tmp_path, monkeypatch, killed):
    """`review compact` killed (SIGKILL) after its "writing" lines left the cases it was moving
    incomplete: 150 cases read back as 145, `review thematic` counted 145 without a word, and a
    generated store had lost them for good (their rows were still in the old parts)."""
    from review import store as store_mod

    cases, store = tmp_path / "cases", tmp_path / "store"
    for i in range(1, 7):
        (cases / f"c{i}").mkdir(parents=True)
        (cases / f"c{i}" / "case.yml").write_text(f"case_id: C{i}\ndate_of_birth: 2019-06-01\n")
    build_all(cases, store, progress=False, process_case=_one_row_case)  # one part per case
    before = sorted(read_store(store, "contacts")["case_id"])
    assert before == [f"C{i}" for i in range(1, 7)]

    class Killed(BaseException):
        pass

    if killed == "before the rename":
        def replace(*args):
            raise Killed
        monkeypatch.setattr(store_mod.os, "replace", replace)
    else:
        append, calls = store_mod._append_ledger, []

        def _append(store_dir, entry):
            if entry.get("status") == "complete":
                calls.append(entry)
                if len(calls) == 3:
                    raise Killed
            append(store_dir, entry)
        monkeypatch.setattr(store_mod, "_append_ledger", _append)
    with pytest.raises(Killed):
        compact_store(store, cases_per_part=4)
    monkeypatch.undo()
    assert sorted(complete_cases(store)) == before
    for table in ("contacts", "cases"):
        assert sorted(read_store(store, table)["case_id"]) == before, table
    assert str(compact_store(store, cases_per_part=4)).startswith("6 cases moved into 2 part(s)")
    assert sorted(read_store(store, "contacts")["case_id"]) == before
    assert len(list((store / "contacts").glob("*.parquet"))) == 2  # what the killed run left is removed


def test_thematic_names_the_cases_a_killed_run_was_writing(tmp_path, capsys):
    """A build-all killed after its "writing" lines: those cases are not counted, and `review thematic`
    gave its totals without a word of them."""
    cases, store = tmp_path / "cases", tmp_path / "store"
    write_case_folders(cases, 3, 2, 44)
    build_all(cases, store, progress=False)
    with open(store / LEDGER, "a") as fh:  # as a run killed after marking C000003 "writing" leaves it
        fh.write(json.dumps({"case_id": "C000003", "status": "writing", "part": "batch-x", "time": "t"}) + "\n")
    assert main(["thematic", "--store", str(store), "--out", str(tmp_path / "th"), "--formats", "svg"]) == 0
    out = capsys.readouterr().out
    assert out.startswith("2 cases,")
    assert ("1 case(s) were being written when a run of the store stopped and are not counted: C000003 "
            "(`review build-all` again stores them)") in out


def test_build_all_given_one_case_folder_says_so_instead_of_pruning_the_store(tmp_path, capsys):
    """`review build-all CASE_DIR` (a case's own folder, not the folder of cases) built nothing and exited 0
    ("0 case folders"); with --prune it took every stored case out of the store."""
    cases, store = tmp_path / "cases", tmp_path / "store"
    for i in (1, 2):
        (cases / f"c{i}").mkdir(parents=True)
        (cases / f"c{i}" / "case.yml").write_text(f"case_id: C{i}\ndate_of_birth: 2019-06-01\n")
    build_all(cases, store, progress=False, process_case=_one_row_case)
    assert main(["build-all", str(cases / "c1"), "--store", str(store), "--prune", "--no-progress"]) == 2
    err = capsys.readouterr().err
    assert "c1: this is a case folder (it holds case.yml), not a folder of case folders" in err
    assert sorted(complete_cases(store)) == ["C1", "C2"]


def test_the_case_ranking_chart_says_top_20_only_when_it_leaves_cases_out():
    """Two cases were drawn under "Cases with most unescalated concerns (top 20)"."""
    from review.thematic import plot_case_ranking

    ranking = pd.DataFrame({"rank": range(1, 26), "case_id": [f"C{i:02d}" for i in range(25)],
                            "unescalated_concerns": 1, "flags": 1})
    assert plot_case_ranking(ranking)._suptitle.get_text().replace("\n", " ") == "Cases with most unescalated concerns (top 20 of 25)"
    assert plot_case_ranking(ranking.head(2))._suptitle.get_text().replace("\n", " ") == "Cases with most unescalated concerns"
