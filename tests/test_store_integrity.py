"""The many-cases path counts each case once: a folder holds one case (a changed case_id, a failure, a
rename), the reviewers' decision problems are reported, a store or report holds only what its last run
made, and bad counts are argument errors."""
from __future__ import annotations

import os
import subprocess
import sys
import time

import pandas as pd
import pytest

from review import store as store_mod
from review.cli import main
from review.config import load_case_config
from review.store import StoreError, build_all, complete_cases, read_store, read_stores, write_part

RULES_DECISIONS = "flag_id,decision,rationale,author,date,rule_id,trigger_event_id,evidence_event_ids\n"


def _case(root, folder, case_id, rows="01/02/2020,Seen\n"):
    path = root / folder
    path.mkdir(parents=True, exist_ok=True)
    (path / "case.yml").write_text(f"case_id: {case_id}\ndate_of_birth: 2019-06-01\n")
    (path / "gp.csv").write_text("Date,Details\n" + rows)
    return path


def _fake_process(case_dir):
    config = load_case_config(case_dir)
    if (case_dir / "broken").exists():
        raise ValueError("broken on purpose")
    cid = config.case_id
    contacts = pd.DataFrame({"case_id": [cid], "event_id": [f"{cid}-1"], "date": pd.to_datetime(["2020-02-01"]),
                             "contact_type": "home_visit", "agency": "GP", "agency_kind": "health",
                             "date_precision": "day"})
    cases = pd.DataFrame({"case_id": [cid], "date_of_birth": [pd.Timestamp(config.date_of_birth)]})
    return {"contacts": contacts, "cases": cases}


def _build(cases, store, **kw):
    return build_all(cases, store, progress=False, process_case=_fake_process, **kw)


# ---------------------------------------------------------------------------------------------------
# A folder holds one case
# ---------------------------------------------------------------------------------------------------
def test_a_changed_case_id_retires_the_old_id_instead_of_counting_the_case_twice(tmp_path):
    cases, store = tmp_path / "cases", tmp_path / "store"
    _case(cases, "a", "A1")
    _case(cases, "b", "B1")
    _build(cases, store)
    _case(cases, "b", "B2")  # the same folder now says another case id
    summary = _build(cases, store)
    assert sorted(complete_cases(store)) == ["A1", "B2"]
    assert summary.replaced == [("B1", "b", "B2")]
    assert "B1 (folder b now holds B2)" in str(summary)
    assert summary.to_dict()["replaced"] == [{"case_id": "B1", "case": "b", "now": "B2"}]
    assert sorted(read_store(store, "contacts")["case_id"]) == ["A1", "B2"]


def test_a_store_already_holding_two_ids_from_one_folder_is_repaired_on_the_next_run(tmp_path):
    cases, store = tmp_path / "cases", tmp_path / "store"
    folder = _case(cases, "b", "B2")
    _build(cases, store)
    # the state an older version left: the folder's previous id still complete beside the new one
    write_part(store, "case-B1", _fake_process(_case(tmp_path / "old", "b", "B1")), ["B1"],
               meta={"B1": {"case": "b", "input_hash": "old"}})
    assert sorted(complete_cases(store)) == ["B1", "B2"]
    summary = _build(cases, store)
    assert summary.skipped == ["B2"] and summary.replaced == [("B1", "b", "B2")]
    assert sorted(complete_cases(store)) == ["B2"] and folder.exists()


@pytest.mark.parametrize("folder", ["smith_family", "C7"])
def test_a_stored_case_that_fails_on_rebuild_is_no_longer_counted_whatever_its_folder_is_called(tmp_path, folder):
    cases, store = tmp_path / "cases", tmp_path / "store"
    path = _case(cases, folder, "C7")
    _build(cases, store)
    (path / "broken").write_text("x")
    summary = _build(cases, store)
    assert summary.failed["case_id"].tolist() == ["C7"] and summary.failed["case"].tolist() == [folder]
    assert summary.no_longer_counted == [("C7", folder)]
    assert complete_cases(store) == {}
    (path / "broken").unlink()
    again = _build(cases, store)
    assert again.built == ["C7"] and read_store(store, "failures").empty


def test_a_renamed_folder_takes_its_case_over_in_one_run(tmp_path):
    cases, store = tmp_path / "cases", tmp_path / "store"
    _case(cases, "C1", "C1")
    _case(cases, "C2", "C2")
    _build(cases, store)
    (cases / "C2").rename(cases / "renamed")
    summary = _build(cases, store, prune=True)
    assert summary.failed.empty and summary.removed == []
    assert summary.moved == [("C2", "C2", "renamed")]
    assert complete_cases(store)["C2"]["case"] == "renamed"
    assert _build(cases, store).skipped == ["C1", "C2"]


def test_two_present_folders_with_one_case_id_are_still_refused(tmp_path):
    cases, store = tmp_path / "cases", tmp_path / "store"
    _case(cases, "a", "X")
    _build(cases, store)
    _case(cases, "b", "X")
    summary = _build(cases, store)
    assert "already stored from folder 'a'" in summary.failed["error"].iloc[0]
    assert complete_cases(store)["X"]["case"] == "a"


# ---------------------------------------------------------------------------------------------------
# What build-all reports about the cases it built
# ---------------------------------------------------------------------------------------------------
@pytest.fixture(scope="module")
def synthetic_cases(tmp_path_factory):
    from review.synth import write_case_folders

    root = tmp_path_factory.mktemp("synth")
    write_case_folders(root / "cases", 2, seed=1, contacts_per_case=50)
    return root / "cases"


def test_decision_problems_are_stored_reported_and_an_unknown_contact_finding_is_not_counted(tmp_path, synthetic_cases):
    import shutil

    from review.thematic_report import write_thematic

    cases = tmp_path / "cases"
    shutil.copytree(synthetic_cases, cases)
    (cases / "ground_truth.csv").unlink()
    (cases / "C000001" / "decisions.csv").write_text(
        RULES_DECISIONS + "gone-1,rejected,not a concern,Ann,2024-01-02,,,\n"
        ",added,missed,Ann,2024-01-02,child_not_seen,Enonexistent00,\n")
    store = tmp_path / "store"
    summary = build_all(cases, store, progress=False)
    problems = summary.to_dict()["decision_problems"]
    assert [(p["case_id"], p["row"]) for p in problems] == [("C000001", 2), ("C000001", 3)]
    assert "2 problem(s) with the reviewers' decisions in 1 case(s)" in str(summary)
    assert len(read_store(store, "decision_problems")) == 2
    done = write_thematic(store, tmp_path / "th", formats=("png",))
    assert done["unknown_contact"] == 1
    by_kind = done["tables"]["flags_by_agency_kind"]
    assert "(unknown)" not in set(by_kind["agency_kind"])
    flags = read_store(store, "flags")
    assert done["flags"] == len(flags) - 1


def test_a_case_whose_every_row_was_rejected_is_counted_with_no_contacts(tmp_path):
    from review.thematic_report import write_thematic

    cases, store = tmp_path / "cases", tmp_path / "store"
    _case(cases, "ok", "OK1", rows="01/02/2020,Seen\n03/02/2020,Seen again\n")
    _case(cases, "empty", "EMPTY1", rows="31/02/2020,Not a date\n")
    summary = build_all(cases, store, progress=False)
    assert summary.no_contacts == ["EMPTY1"] and summary.rows_rejected == {"EMPTY1": 1}
    assert "1 case(s) built with no accepted contacts" in str(summary)
    done = write_thematic(store, tmp_path / "th", formats=("png",))
    assert done["cases"] == 2 == done["manifest"]["store"]["cases"] and done["no_contacts"] == ["EMPTY1"]
    ranked = done["tables"]["cases_ranked"].set_index("case_id")
    assert ranked.loc["EMPTY1", "contacts"] == 0 and len(ranked) == 2


# ---------------------------------------------------------------------------------------------------
# A thematic report holds only its last run's outputs (and the user's own files, listed once)
# ---------------------------------------------------------------------------------------------------
@pytest.fixture(scope="module")
def synthetic_store(tmp_path_factory):
    from review.store import write_store_from_synth

    root = tmp_path_factory.mktemp("thematic")
    write_store_from_synth(root / "store", 2, seed=5, contacts_per_case=45)
    return root / "store"


def test_thematic_rebuild_with_fewer_formats_keeps_no_figure_of_the_earlier_run(tmp_path, synthetic_store, capsys):
    from review.thematic_report import write_thematic

    out = tmp_path / "th"
    write_thematic(synthetic_store, out, formats=("png", "svg"))
    assert list(out.glob("*.svg"))
    (out / "cases_ranked.pdf").write_bytes(b"%PDF")  # no manifest lists it, but a name the report writes: its own
    (out / "old_layout.pdf").write_bytes(b"")  # a name it never writes: the user's
    (out / "my_notes.txt").write_text("the reviewers' notes")
    done = write_thematic(synthetic_store, out, formats=("png",))
    on_disk = sorted(p.name for p in out.iterdir())
    assert not list(out.glob("*.svg")) and not (out / "cases_ranked.pdf").exists()
    assert set(on_disk) == set(done["manifest"]["outputs"]) | {"manifest.json", "my_notes.txt", "old_layout.pdf"}
    assert (out / "my_notes.txt").read_text() == "the reviewers' notes"  # the user's files are never dropped
    assert done["kept"] == ["my_notes.txt", "old_layout.pdf"]

    capsys.readouterr()
    assert main(["verify", str(out)]) == 1
    said = capsys.readouterr().out
    assert "unexpected: 2 files" in said and said.count("my_notes.txt") == 3  # table, cause, summary line
    assert "move them out" in said
    (out / "my_notes.txt").unlink()
    (out / "old_layout.pdf").unlink()
    assert main(["verify", str(out)]) == 0


def test_verify_without_the_store_lists_an_unexpected_file_once(tmp_path, synthetic_store):
    import shutil

    from review.thematic_report import verify_thematic, write_thematic

    store = tmp_path / "store"
    shutil.copytree(synthetic_store, store)
    out = tmp_path / "th"
    write_thematic(store, out, formats=("png",))
    (out / "stray.svg").write_text("<svg/>")
    shutil.rmtree(store)
    result = verify_thematic(out)
    assert [f for f, status, _, _ in result.files if status == "unexpected"] == ["stray.svg"]
    assert sum("stray.svg" in cause for cause in result.causes) == 1
    assert {status for _, status, _, _ in result.files} == {"not rebuilt", "unexpected"}


def test_every_file_a_thematic_report_writes_is_one_it_knows_as_its_own(tmp_path, synthetic_store):
    from review.synth import synth_declarations
    from review.thematic_report import thematic_file_names, write_thematic

    flags = read_store(synthetic_store, "contacts", columns=["organisation"])
    declarations = tmp_path / "declarations.csv"
    synth_declarations(flags["organisation"].unique()[:3], [2022], seed=1).to_csv(declarations, index=False)
    done = write_thematic(synthetic_store, tmp_path / "th", declarations=declarations, formats=("png", "svg", "pdf"))
    assert set(done["manifest"]["outputs"]) | {"manifest.json"} <= thematic_file_names()
    assert "assurance_vs_evidence.pdf" in done["manifest"]["outputs"]

# ---------------------------------------------------------------------------------------------------
# Worker processes and the store's lock
# ---------------------------------------------------------------------------------------------------
@pytest.mark.skipif(sys.platform == "win32", reason="fork and flock")
def test_a_forked_worker_lets_go_of_the_lock_and_ends_with_its_parent(tmp_path):
    script = f"""
import os, sys, time
sys.path.insert(0, {str(store_mod.__file__.rsplit('/review/', 1)[0])!r})
from review import store
with store.store_lock({str(tmp_path)!r}, "test"):
    pid = os.fork()
    if pid == 0:  # a worker whose parent is killed
        parent = os.getpid()
        if os.fork() == 0:
            print(os.getpid(), flush=True)
            store._worker_init(parent)  # as the pool passes it: the parent's id, taken before forking
            time.sleep(60)
            os._exit(0)
        os._exit(0)  # the parent dies at once: the worker is re-parented
    os.waitpid(pid, 0)
    time.sleep(60)
"""
    proc = subprocess.Popen([sys.executable, "-c", script], stdout=subprocess.PIPE, text=True)
    try:
        worker = int(proc.stdout.readline())
        deadline = time.time() + 5
        while time.time() < deadline and _alive(worker):
            time.sleep(0.1)
        if _alive(worker):
            os.kill(worker, 9)
            pytest.fail("the orphaned worker did not end")
    finally:
        proc.kill()
        proc.wait()
    with store_mod.store_lock(tmp_path, "after"):  # nothing holds it once the writer is gone
        pass


def _alive(pid: int) -> bool:
    """Whether `pid` runs (an ended process not yet reaped by whoever adopted it is a zombie: ended)."""
    try:
        with open(f"/proc/{pid}/stat") as fh:
            return fh.read().rsplit(")", 1)[1].split()[0] != "Z"
    except FileNotFoundError:
        return False
    except OSError:  # no /proc
        try:
            os.kill(pid, 0)
        except ProcessLookupError:
            return False
        return True


def test_worker_init_closes_the_lock_files_it_inherited(tmp_path, monkeypatch):
    inherited = open(tmp_path / ".lock", "a+")
    monkeypatch.setattr(store_mod, "_HELD", {str(tmp_path): [inherited, 1]})
    monkeypatch.setattr(store_mod, "PARENT_POLL", 3600)  # the watch thread sleeps through the test
    store_mod._worker_init(os.getppid())
    assert inherited.closed and store_mod._HELD == {}


# ---------------------------------------------------------------------------------------------------
# Synthetic stores and folders hold only the last run
# ---------------------------------------------------------------------------------------------------
def test_synth_store_run_again_with_fewer_cases_holds_exactly_those(tmp_path):
    from review.store import write_store_from_synth

    store = tmp_path / "store"
    write_store_from_synth(store, 6, seed=1, contacts_per_case=45, cases_per_part=4, analyse=False)
    summary = write_store_from_synth(store, 3, seed=1, contacts_per_case=45, cases_per_part=4, analyse=False)
    assert summary["removed"] == 3
    assert sorted(complete_cases(store)) == ["C000001", "C000002", "C000003"]
    assert sorted(read_store(store, "cases")["case_id"]) == ["C000001", "C000002", "C000003"]
    assert sorted(p.stem for p in (store / "contacts").glob("*.parquet")) == ["part-00000"]


def test_synth_store_refuses_a_store_of_folder_built_cases(tmp_path):
    from review.store import write_store_from_synth

    _case(tmp_path / "cases", "a", "A1")
    _build(tmp_path / "cases", tmp_path / "store")
    with pytest.raises(StoreError, match="built from case folders"):
        write_store_from_synth(tmp_path / "store", 2, seed=1, contacts_per_case=45, analyse=False)


def test_synth_out_replaces_an_earlier_run_and_refuses_other_files(tmp_path):
    from review.errors import ConfigError
    from review.synth import write_case_folders

    out = tmp_path / "out"
    write_case_folders(out, 4, seed=3, contacts_per_case=45)
    truth = write_case_folders(out, 2, seed=9, contacts_per_case=45)
    assert sorted(p.name for p in out.iterdir()) == ["C000001", "C000002", "ground_truth.csv"]
    assert set(pd.read_csv(out / "ground_truth.csv")["case_id"]) == set(truth["case_id"])
    (out / "notes.txt").write_text("mine")
    with pytest.raises(ConfigError, match="notes.txt"):
        write_case_folders(out, 2, seed=9, contacts_per_case=45)
    assert (out / "C000001").is_dir()



def test_synth_out_run_again_refuses_a_case_folder_holding_the_reviewers_files_and_removes_nothing(tmp_path):
    from review.errors import ConfigError
    from review.synth import write_case_folders

    out = tmp_path / "out"
    write_case_folders(out, 2, seed=1, contacts_per_case=45)
    before = sorted(p.relative_to(out).as_posix() for p in out.rglob("*"))
    (out / "C000001" / "decisions.csv").write_text(RULES_DECISIONS)
    (out / "C000002" / "my_notes").mkdir()
    (out / "C000002" / "my_notes" / "interview.txt").write_text("notes")
    with pytest.raises(ConfigError, match=r"C000001/decisions\.csv, C000002/my_notes/") as err:
        write_case_folders(out, 2, seed=1, contacts_per_case=45)
    assert "nothing was removed" in err.value.message
    assert (out / "C000001" / "decisions.csv").read_text() == RULES_DECISIONS
    assert (out / "C000002" / "my_notes" / "interview.txt").read_text() == "notes"
    after = sorted(p.relative_to(out).as_posix() for p in out.rglob("*"))
    assert set(before) <= set(after)  # no generated file removed either


def test_synth_out_run_again_removes_only_the_files_it_wrote(tmp_path):
    from review.errors import ConfigError
    from review.synth import write_case_folders

    out = tmp_path / "out"
    write_case_folders(out, 3, seed=1, contacts_per_case=45)
    write_case_folders(out, 1, seed=2, contacts_per_case=45)  # only its own files: replaced
    assert sorted(p.name for p in out.iterdir()) == ["C000001", "ground_truth.csv"]
    # a case.yml that declares a file outside its folder is not synth's: refused, the file kept
    outside = tmp_path / "keep.csv"
    outside.write_text("mine")
    case_yml = out / "C000001" / "case.yml"
    case_yml.write_text(case_yml.read_text() + "- path: ../../keep.csv\n  agency: GP\n")
    with pytest.raises(ConfigError, match="C000001/"):
        write_case_folders(out, 1, seed=2, contacts_per_case=45)
    assert outside.read_text() == "mine" and case_yml.is_file()


def test_read_stores_keeps_cases_of_two_sources_apart(tmp_path):
    for name, case_id in (("real", "C000006"), ("synthetic", "C000006"), ("odd", "synthetic:C000006")):
        write_part(tmp_path / name, "p", {"cases": pd.DataFrame({"case_id": [case_id]})}, [case_id])
    both = read_stores({"": tmp_path / "real", "synthetic": tmp_path / "synthetic"}, "cases")
    assert both["case_id"].tolist() == ["C000006", "synthetic:C000006"]
    with pytest.raises(StoreError, match="in two stores"):
        read_stores({"": tmp_path / "odd", "synthetic": tmp_path / "synthetic"}, "cases")
