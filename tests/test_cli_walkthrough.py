"""What a new user meets following the README (QA6): `review notebooks` checks before it runs,
a closed pipe, `dask-rules --out`, `review flags` headline / numbering / CSV, and the verify table."""
from __future__ import annotations

import csv
import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import nbformat
import pytest

from review.cli import main
from review.pipeline import analyse, load_case

ROOT = Path(__file__).resolve().parents[1]
SAMPLE = ROOT / "data" / "cases" / "sample"
NOTEBOOKS = ROOT / "notebooks"


@pytest.fixture
def no_notebook_runs(monkeypatch):
    """papermill must not be asked to run anything: the command refuses first."""
    import papermill

    def refuse(*args, **kwargs):
        raise AssertionError("a notebook was executed")

    monkeypatch.setattr(papermill, "execute_notebook", refuse)


@pytest.fixture
def recorded_runs(monkeypatch):
    """Record each notebook papermill is asked to run (name, parameters, options) and write an empty copy."""
    import papermill

    runs = []

    def fake_execute(source, target, **kwargs):
        runs.append((Path(source).stem, kwargs))
        nbformat.write(nbformat.v4.new_notebook(), target)

    monkeypatch.setattr(papermill, "execute_notebook", fake_execute)
    return runs


@pytest.fixture(scope="module")
def sample_report(tmp_path_factory):
    """The sample case's report, built once."""
    from review.build import build_report

    out = tmp_path_factory.mktemp("walkthrough") / "report"
    build_report(SAMPLE, out, progress=False)
    return out


# --------------------------------------------------------------------------------------------------
# review notebooks
# --------------------------------------------------------------------------------------------------
def test_notebooks_refuses_a_busy_out_folder_before_running_anything(tmp_path, capsys, no_notebook_runs):
    busy = tmp_path / "busy"
    busy.mkdir()
    (busy / "mynotes.txt").write_text("hi", encoding="utf-8")
    assert main(["notebooks", str(SAMPLE), "--out", str(busy), "--no-html"]) == 2
    err = capsys.readouterr().err
    assert err.startswith("review: error:") and "not empty and is not a review report" in err
    assert len(err.strip().splitlines()) == 1
    assert sorted(p.name for p in busy.iterdir()) == ["mynotes.txt"]


def test_notebooks_refuses_an_unreadable_case_as_validate_does(tmp_path, capsys, no_notebook_runs):
    case = tmp_path / "case"
    shutil.copytree(SAMPLE, case)
    (case / "child_development_centre.xls").write_text("<html><body><table><tr><td>x</td></tr></table></body></html>",
                                                       encoding="utf-8")
    assert main(["notebooks", str(case), "--out", str(tmp_path / "out")]) == 2
    err = capsys.readouterr().err
    assert "child_development_centre.xls" in err and "HTML page" in err and "Traceback" not in err
    assert not (tmp_path / "out").exists()


def test_notebooks_unknown_notebook_leaves_no_folder(tmp_path, capsys, no_notebook_runs):
    assert main(["notebooks", str(SAMPLE), "--out", str(tmp_path / "out"), "--only", "06_nope"]) == 2
    assert "notebook '06_nope' not found" in capsys.readouterr().err
    assert not (tmp_path / "out").exists()


def test_notebooks_refuses_a_parameter_no_notebook_in_the_run_takes(tmp_path, capsys, no_notebook_runs):
    out = str(tmp_path / "out")
    assert main(["notebooks", str(SAMPLE), "--out", out, "--only", "01_ingest_and_validate", "--param", "record=1"]) == 2
    assert "--param record: no notebook in this run takes it" in capsys.readouterr().err
    assert main(["notebooks", str(SAMPLE), "--out", out, "--param", "case_dir=x"]) == 2
    assert "give the case as CASE_DIR" in capsys.readouterr().err
    assert main(["notebooks", str(SAMPLE), "--out", out, "--param", "nonsense"]) == 2
    assert "expected NAME=VALUE" in capsys.readouterr().err


def test_notebooks_get_only_the_parameters_they_declare(tmp_path, monkeypatch, capsys, recorded_runs):
    monkeypatch.chdir(tmp_path)
    (tmp_path / "cases").mkdir()
    code = main(["notebooks", str(SAMPLE), "--out", str(tmp_path / "out"), "--notebooks", str(NOTEBOOKS), "--no-html",
                 "--only", "03_missed_escalations", "05_thematic_review",
                 "--param", "record={flag_no: 1, decision: accepted, rationale: Late, author: Me}",
                 "--param", "cases_dir=cases", "--param", "synth_cases=0"])
    assert code == 0
    captured = capsys.readouterr()
    params = {name: kwargs["parameters"] for name, kwargs in recorded_runs}
    assert params["03_missed_escalations"] == {
        "case_dir": str(SAMPLE.resolve()), "out_dir": str((tmp_path / "out").resolve()),
        "record": {"flag_no": 1, "decision": "accepted", "rationale": "Late", "author": "Me"}}
    # 05 takes a folder of cases, not the case: no case_dir, and a relative cases_dir made absolute
    assert params["05_thematic_review"] == {"out_dir": str((tmp_path / "out").resolve()),
                                            "cases_dir": str((tmp_path / "cases").resolve()), "synth_cases": 0}
    assert "05_thematic_review does not read CASE_DIR" in captured.err
    for _, kwargs in recorded_runs:
        assert kwargs["progress_bar"] is False  # stderr is not a terminal here
        assert "--IPKernelApp.log_level=ERROR" in kwargs["extra_arguments"]  # no TCP warning per notebook


def test_a_review_error_in_a_notebook_cell_is_one_line_and_its_exit_code(tmp_path, monkeypatch, capsys):
    import papermill
    from papermill.exceptions import PapermillExecutionError

    def failing(source, target, **kwargs):
        raise PapermillExecutionError(3, 3, "build_all(...)", "StoreBusyError", "/tmp/store: the store is being "
                                      "written by another process", ["Traceback ..."])

    monkeypatch.setattr(papermill, "execute_notebook", failing)
    (tmp_path / "cases").mkdir()
    code = main(["notebooks", str(SAMPLE), "--out", str(tmp_path / "out"), "--only", "05_thematic_review",
                 "--param", f"cases_dir={tmp_path / 'cases'}"])
    assert code == 6
    err = capsys.readouterr().err.strip().splitlines()
    assert err[-1] == ("review: error: notebook 05_thematic_review: /tmp/store: the store is being written by "
                       "another process")


def test_any_other_notebook_error_is_still_papermills(tmp_path, monkeypatch):
    import papermill
    from papermill.exceptions import PapermillExecutionError

    from review.notebooks import run_notebooks

    def failing(source, target, **kwargs):
        raise PapermillExecutionError(1, 1, "1/0", "ZeroDivisionError", "division by zero", [])

    monkeypatch.setattr(papermill, "execute_notebook", failing)
    with pytest.raises(PapermillExecutionError):
        run_notebooks(SAMPLE, tmp_path / "out", names=["01_ingest_and_validate"], html=False)


# --------------------------------------------------------------------------------------------------
# a closed pipe
# --------------------------------------------------------------------------------------------------
def test_output_piped_into_a_reader_that_stops_ends_quietly():
    env = {**os.environ, "PYTHONPATH": str(ROOT / "src")}
    proc = subprocess.Popen([sys.executable, "-m", "review.cli", "flags", str(SAMPLE)], stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, env=env)
    proc.stdout.close()  # as `head` does once it has its lines: before review writes anything
    err = proc.stderr.read().decode()
    assert proc.wait(timeout=120) == 141
    assert err == ""


# --------------------------------------------------------------------------------------------------
# review dask-rules --out
# --------------------------------------------------------------------------------------------------
def test_dask_rules_refuses_a_folder_that_is_not_its_own(tmp_path, capsys, sample_report):
    busy = tmp_path / "busy"
    busy.mkdir()
    (busy / "mynotes.txt").write_text("hi", encoding="utf-8")
    for folder in (busy, sample_report):
        before = {p: p.read_bytes() for p in folder.rglob("*") if p.is_file()}
        assert main(["dask-rules", "--store", str(tmp_path / "no-store"), "--out", str(folder)]) == 2
        assert "refusing to write into it" in capsys.readouterr().err
        assert {p: p.read_bytes() for p in folder.rglob("*") if p.is_file()} == before


def test_dask_rules_accepts_a_new_empty_or_earlier_output_folder(tmp_path):
    from review.commands.dask_rules import check_out_dir

    check_out_dir(tmp_path / "new")
    (tmp_path / "empty").mkdir()
    check_out_dir(tmp_path / "empty")
    earlier = tmp_path / "earlier"
    earlier.mkdir()
    (earlier / "flags.csv").write_text("x", encoding="utf-8")
    (earlier / "response_latency.csv").write_text("x", encoding="utf-8")
    check_out_dir(earlier)


# --------------------------------------------------------------------------------------------------
# review flags
# --------------------------------------------------------------------------------------------------
@pytest.fixture(scope="module")
def decided_case(tmp_path_factory):
    """The sample with 2 accepted, 1 rejected, 1 added finding and 1 decision on an unknown flag id."""
    from review.decisions import record_decision
    from review.pipeline import analyse, load_case

    case = tmp_path_factory.mktemp("decided") / "case"
    shutil.copytree(SAMPLE, case)
    analysis = analyse(load_case(case))
    ids = analysis.flags["flag_id"].tolist()
    record_decision(case, ids[0], "accepted", "Never referred.", "QA")
    record_decision(case, ids[1], "accepted", "Never referred.", "QA")
    record_decision(case, ids[2], "rejected", "Referred by phone.", "QA")
    event = analysis.timeline["event_id"].iloc[4]
    record_decision(case, "", "added", "No strategy discussion.", "QA", rule_id="strategy_no_conference",
                    trigger_event_id=event, evidence_event_ids=event)
    with open(case / "decisions.csv", "a", encoding="utf-8", newline="") as fh:
        fh.write("F-unknown,accepted,x,QA,2024-01-01,,,\n")
    return case


def test_flags_headline_counts_rejected_apart_and_lists_decision_problems(decided_case, capsys):
    assert main(["flags", str(decided_case)]) == 0
    out = capsys.readouterr().out
    n = len(analyse(load_case(decided_case)).flags)  # the rules' flags and the added finding
    assert out.startswith(f"Case sample: {n} candidate missed escalation points flagged: 1 rejected by the "
                          f"reviewers, {n - 1} not rejected (2 accepted, 1 added by the reviewers, {n - 4} pending;")
    assert "1 problem with the reviewers' decisions" in out and "F-unknown" in out


def test_flags_rule_filter_keeps_the_reports_numbers(tmp_path, capsys):
    from review.pipeline import analyse, load_case

    flags = analyse(load_case(SAMPLE)).flags.reset_index(drop=True)
    numbers = [n for n, rule in enumerate(flags["rule_id"], start=1) if rule == "child_not_seen"]
    assert main(["flags", str(SAMPLE), "--rule", "child_not_seen", "--csv", str(tmp_path / "f.csv")]) == 0
    out = capsys.readouterr().out
    assert out.startswith(f"Case sample, rule child_not_seen only (numbered as in the report's {len(flags)} flags): "
                          f"{len(numbers)} candidate")
    shown = [int(line.split()[0]) for line in out.splitlines() if " child_not_seen " in f" {line} "
             and line.split()[0].isdigit()]
    assert shown == numbers
    rows = list(csv.DictReader((tmp_path / "f.csv").open(encoding="utf-8-sig")))
    assert [int(r["#"]) for r in rows] == numbers


def test_flags_csv_is_the_builds_flags_csv(tmp_path, sample_report, capsys):
    assert main(["flags", str(SAMPLE), "--csv", str(tmp_path / "flags.csv")]) == 0
    assert (tmp_path / "flags.csv").read_bytes() == (sample_report / "flags.csv").read_bytes()


# --------------------------------------------------------------------------------------------------
# review verify
# --------------------------------------------------------------------------------------------------
def test_verify_shows_the_hash_in_the_folder_and_advises_moving_unexpected_files_out(tmp_path, sample_report,
                                                                                      capsys):
    from review.config import file_sha256

    report = tmp_path / "report"
    shutil.copytree(sample_report, report)
    with open(report / "flags.csv", "a", encoding="utf-8") as fh:
        fh.write("edited\n")
    (report / "my_notes.txt").write_text("note", encoding="utf-8")
    assert main(["verify", str(report)]) == 1
    out = capsys.readouterr().out
    header = out.splitlines()[0].split()
    assert header == ["file", "status", "recorded", "rebuilt", "in", "folder"]
    [row] = [line.split() for line in out.splitlines() if line.startswith("flags.csv ")]
    assert row[1] == "DIFFERENT" and row[2] == row[3] and row[4] == file_sha256(report / "flags.csv")[:12]
    assert "(move it out of the folder): my_notes.txt" in out and "rebuild" not in out.split("unexpected:")[-1]


def test_verify_table_has_no_folder_column_when_nothing_was_edited():
    from review.build import VerifyResult

    result = VerifyResult(files=[("a.csv", "identical", "1" * 64, "1" * 64)])
    assert result.table().splitlines()[0].split() == ["file", "status", "recorded", "rebuilt"]


# --------------------------------------------------------------------------------------------------
# notebooks 02 and 04 as the README runs them
# --------------------------------------------------------------------------------------------------
def test_manifest_tables_show_every_rule_and_package(sample_report):
    from review.build import manifest_tables

    manifest = json.loads((sample_report / "manifest.json").read_text(encoding="utf-8"))
    tables = manifest_tables(manifest)
    assert set(tables["rules"]["rule"]) == set(manifest["rules"]["values"]["rules"])
    assert set(tables["packages"]["package"]) == set(manifest["packages"])
    assert set(tables["inputs"]["file"]) == set(manifest["inputs"])


@pytest.mark.slow
def test_notebooks_02_and_04_show_every_chronology_row_and_rule(tmp_path, capsys):
    out = tmp_path / "report"
    assert main(["notebooks", str(SAMPLE), "--out", str(out), "--no-html", "--no-progress",
                 "--only", "02_timeline_explorer", "04_export_report"]) == 0
    explorer = nbformat.read(out / "notebooks" / "02_timeline_explorer.ipynb", as_version=4)
    tables = [o["data"]["text/html"] for c in explorer.cells if c.cell_type == "code" for o in c.get("outputs", [])
              if "text/html" in o.get("data", {}) and "age_display" in o["data"]["text/html"]]
    body = tables[0].split("<tbody>")[1] if tables else ""
    assert body.count("<tr>") == 99 and "<td>...</td>" not in body  # every contact, no elided middle
    export = nbformat.read(out / "notebooks" / "04_export_report.ipynb", as_version=4)
    text = json.dumps([c.get("outputs", []) for c in export.cells if c.cell_type == "code"])
    manifest = json.loads((out / "manifest.json").read_text(encoding="utf-8"))
    assert all(rule_id in text for rule_id in manifest["rules"]["values"]["rules"])
    assert "pandas" in text and "response_latency" in text
