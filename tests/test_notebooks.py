"""The notebook suite: paired with its py:percent files, committed without outputs, and executing
cleanly on the sample case with the expected tables and figures in its outputs."""
from __future__ import annotations

import json
import shutil
from pathlib import Path

import jupytext
import nbformat
import pytest

from review.notebooks import SUITE, run_notebooks

ROOT = Path(__file__).resolve().parents[1]
NOTEBOOKS = ROOT / "notebooks"
SAMPLE = ROOT / "data" / "cases" / "sample"
#: the package the kernel imports, given explicitly: the kernel runs in notebooks/, where a relative
#: PYTHONPATH ("src") names nothing, and it would import another checkout's editable install instead
SRC = ROOT / "src"
ALL = sorted(p.stem for p in NOTEBOOKS.glob("*.ipynb"))


def test_the_suite_is_all_there():
    assert set(SUITE) <= set(ALL)
    assert "05_thematic_review" in ALL


@pytest.mark.parametrize("name", ALL)
def test_paired_py_file_is_in_sync(name):
    from_ipynb = jupytext.read(NOTEBOOKS / f"{name}.ipynb")
    from_py = jupytext.read(NOTEBOOKS / f"{name}.py")
    as_cells = lambda nb: [(c.cell_type, c.source.strip()) for c in nb.cells]  # noqa: E731
    assert as_cells(from_ipynb) == as_cells(from_py), f"run: jupytext --sync notebooks/{name}.py"


@pytest.mark.parametrize("name", ALL)
def test_committed_without_outputs(name):
    nb = json.loads((NOTEBOOKS / f"{name}.ipynb").read_text(encoding="utf-8"))
    for cell in nb["cells"]:
        if cell["cell_type"] == "code":
            assert not cell.get("outputs"), f"{name} has outputs: strip them"
            assert cell.get("execution_count") is None


@pytest.mark.parametrize("name", ALL)
def test_has_a_parameters_cell_with_case_and_out_dir(name):
    nb = nbformat.read(NOTEBOOKS / f"{name}.ipynb", as_version=4)
    tagged = [c for c in nb.cells if "parameters" in c.metadata.get("tags", [])]
    assert len(tagged) == 1
    assert "out_dir" in tagged[0].source
    assert "case_dir" in tagged[0].source or "cases_dir" in tagged[0].source


def _outputs(nb, mime):
    return [o for c in nb.cells if c.cell_type == "code" for o in c.get("outputs", []) if mime in o.get("data", {})]


@pytest.fixture(scope="module")
def executed(tmp_path_factory):
    """The suite executed headless on a copy of the sample case (the copy receives a decision)."""
    work = tmp_path_factory.mktemp("notebooks")
    case_dir = work / "case"
    shutil.copytree(SAMPLE, case_dir)
    out_dir = work / "report"
    record = {"flag_no": 1, "decision": "accepted", "rationale": "Bruise at 3 months never referred.", "author": "Test reviewer"}
    paths = run_notebooks(
        case_dir,
        out_dir,
        notebooks_dir=NOTEBOOKS,
        parameters={"03_missed_escalations": {"record": record}},
        progress=False,
        cell_timeout=300,  # a hung kernel fails the test instead of the CI run's time limit
        package_dir=SRC,
    )
    return {p.stem: nbformat.read(p, as_version=4) for p in paths}, case_dir, out_dir


@pytest.mark.slow
def test_suite_executes_and_writes_html(executed):
    notebooks, _, out_dir = executed
    assert set(notebooks) == set(SUITE)
    for name in SUITE:
        assert (out_dir / "notebooks" / f"{name}.html").stat().st_size > 10_000


@pytest.mark.slow
def test_ingest_notebook_shows_the_report_table(executed):
    nb = executed[0]["01_ingest_and_validate"]
    html = "".join(o["data"]["text/html"] for o in _outputs(nb, "text/html"))
    assert "rows_read" in html and "rows_accepted" in html and "source_row" in html


@pytest.mark.slow
def test_explorer_notebook_shows_chronology_flags_and_swimlane(executed):
    nb = executed[0]["02_timeline_explorer"]
    html = "".join(o["data"]["text/html"] for o in _outputs(nb, "text/html"))
    assert "age_display" in html and "event_group" in html and "explanation" in html
    assert len(_outputs(nb, "image/png")) >= 1


@pytest.mark.slow
def test_missed_escalations_notebook_records_a_decision(executed):
    notebooks, case_dir, _ = executed
    nb = notebooks["03_missed_escalations"]
    assert len(_outputs(nb, "image/png")) >= 2
    decisions = (case_dir / "decisions.csv").read_text(encoding="utf-8")
    assert "Test reviewer" in decisions and "accepted" in decisions


@pytest.mark.slow
def test_missed_escalations_notebook_records_an_added_finding(tmp_path):
    """A finding no rule raised, given as the `record` parameter with its rule and contact, is recorded
    and shown among the flags."""
    from review.decisions import load_decisions
    from review.pipeline import load_case

    case_dir = tmp_path / "case"
    shutil.copytree(SAMPLE, case_dir)
    event = load_case(case_dir).contacts["event_id"].iloc[4]
    record = {"decision": "added", "rule_id": "strategy_no_conference", "trigger_event_id": event,
              "rationale": "No strategy discussion after the second injury.", "author": "Test reviewer"}
    paths = run_notebooks(case_dir, tmp_path / "report", notebooks_dir=NOTEBOOKS, names=["03_missed_escalations"],
                          parameters={"03_missed_escalations": {"record": record}}, progress=False, html=False,
                          cell_timeout=300, package_dir=SRC)
    decisions, problems = load_decisions(case_dir)
    row = decisions.iloc[-1]
    assert (row["decision"], row["rule_id"], row["trigger_event_id"], row["evidence_event_ids"]) == (
        "added", "strategy_no_conference", event, event)
    shown = json.dumps(nbformat.read(paths[0], as_version=4).cells[-2].get("outputs", []))
    assert row["flag_id"] in shown


@pytest.mark.slow
def test_export_notebook_builds_the_report(executed):
    _, _, out_dir = executed
    assert (out_dir / "manifest.json").exists()
    assert (out_dir / "chronology.xlsx").exists()
    assert (out_dir / "report.html").exists()


@pytest.mark.slow
def test_thematic_notebook_compares_cases_and_declarations(tmp_path):
    cases_dir = tmp_path / "cases"
    shutil.copytree(SAMPLE, cases_dir / "sample")
    out_dir = tmp_path / "thematic"
    declarations = tmp_path / "declarations.csv"  # a title row above the header, and one declaration twice
    declarations.write_text("Declarations 2023\nOrganisation,Year,Standard,Status\n"
                            "Trust X,2023/24,Information sharing,Compliant\n"
                            "Trust X,2023/24,Information sharing,compliant\n", encoding="utf-8")
    [path] = run_notebooks(
        cases_dir / "sample",
        out_dir,
        notebooks_dir=NOTEBOOKS,
        names=["05_thematic_review"],
        parameters={"05_thematic_review": {"cases_dir": str(cases_dir), "synth_cases": 12, "seed": 3,
                                           "declarations": str(declarations)}},
        progress=False,
        package_dir=SRC,
    )
    nb = nbformat.read(path, as_version=4)
    text = "".join(o.get("text", "") for c in nb.cells if c.cell_type == "code" for o in c.outputs)
    assert "1 found, 1 built" in text
    assert "13 cases" in text
    assert "note: the file: 1 row(s) above the header (row 2) skipped" in text
    assert "1 declaration(s) repeated word for word" in text and "0 of 0 assessable declarations disagree with the evidence: none could be assessed (1 declared; " in text
    html = "".join(o["data"]["text/html"] for o in _outputs(nb, "text/html"))
    assert "per_100_contacts" in html or "per 100" in html
    assert len(_outputs(nb, "image/png")) >= 5


@pytest.mark.slow
def test_review_notebooks_command_writes_executed_copies(tmp_path, capsys):
    from review.cli import main

    out_dir = tmp_path / "report"
    code = main(["notebooks", str(SAMPLE), "--out", str(out_dir), "--notebooks", str(NOTEBOOKS),
                 "--only", "01_ingest_and_validate"])
    assert code == 0
    assert (out_dir / "notebooks" / "01_ingest_and_validate.ipynb").exists()
    assert (out_dir / "notebooks" / "01_ingest_and_validate.html").exists()
    assert "executed" in capsys.readouterr().out
