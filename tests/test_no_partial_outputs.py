"""No partial outputs: a build that fails at any step leaves the previous report exactly as it was (and
no half-built folder beside it); an interrupted `build-all` resumes without storing any case twice.

test_build.py checks one failing chart against the stand-in pipeline; here every writing step fails in
turn (and the final swap itself), with the real pipeline's tables, through the library and the CLI.
"""
from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest
import yaml

import review.build as build
import review.store as store
from review.cli import main
from review.errors import ConfigError, ReviewError
from review.export import save_figure
from review.store import read_ledger, read_store

CSV = "Date,Type of contact,Details of contact,Outcome\n01/03/2023,Home visit,Seen at home,Seen\n" \
      "15/04/2023,A&E attendance,Bruising to face,No action\n20/05/2023,Clinic,Weight check,Seen\n" \
      "05/06/2023,Referral,Referral received about bruising; decision: no further action,NFA\n"
#: contacts per case
N = 4


def write_case(folder: Path, case_id: str) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "case.yml").write_text(yaml.safe_dump({"case_id": case_id, "date_of_birth": "2023-02-14",
                                                     "mobile_from": "2023-10-20", "review_date": "2024-03-31"}))
    (folder / "gp.csv").write_text(CSV, encoding="utf-8")
    return folder


def snapshot(folder: Path) -> dict[str, bytes]:
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


@pytest.fixture(scope="module")
def analysed(tmp_path_factory):
    """The real pipeline's (case, analysis), computed once and replayed into every build below."""
    case_dir = write_case(tmp_path_factory.mktemp("np") / "case", "NP1")
    return case_dir, build._load_and_analyse(case_dir)


CHARTS = ("plot_swimlane", "plot_response_latency", "plot_agency_knowledge", "plot_contact_density")


def _tiny_figure(*args, **kwargs):
    from matplotlib.figure import Figure

    fig = Figure(figsize=(1, 1))
    fig.add_subplot().plot([0, 1])
    return fig


@pytest.fixture
def fast_build(analysed, monkeypatch):
    """The build with the real tables, minus the slow parts that are not under test (tiny SVG charts)."""
    import review.charts as charts

    case_dir, result = analysed
    monkeypatch.setattr(build, "_load_and_analyse", lambda _: result)
    monkeypatch.setattr(build, "save_figure", lambda fig, stem, d: save_figure(fig, stem, d, ("svg",)))
    for name in CHARTS:
        monkeypatch.setattr(charts, name, _tiny_figure)
    return case_dir


@pytest.fixture(scope="module")
def first_report(analysed, tmp_path_factory):
    case_dir, result = analysed
    out = tmp_path_factory.mktemp("first") / "NP1"
    with pytest.MonkeyPatch.context() as mp:
        mp.setattr(build, "_load_and_analyse", lambda _: result)
        mp.setattr(build, "save_figure", lambda fig, stem, d: save_figure(fig, stem, d, ("svg",)))
        import review.charts as charts

        for name in CHARTS:
            mp.setattr(charts, name, _tiny_figure)
        build.build_report(case_dir, out, progress=False)
    (out / "reviewer-notes.txt").write_text("a file the reviewer put here")  # must survive too
    return out


@pytest.fixture
def previous(first_report, fast_build, tmp_path):
    """A copy of a real earlier report, per test."""
    import shutil

    out = tmp_path / "reports" / "NP1"
    shutil.copytree(first_report, out)
    return out, snapshot(out)


def _boom(*args, **kwargs):
    raise OSError(28, "No space left on device")


STEPS = {
    "analysis": ("_load_and_analyse", ReviewError("the case cannot be read")),
    "workbook": ("write_workbook", None),
    "csv": ("write_csv", None),
    "charts": ("save_figure", None),
    "html": ("write_html", None),
    "manifest": ("write_manifest", None),
    "interrupted": ("write_html", KeyboardInterrupt()),
}


@pytest.mark.parametrize("step", list(STEPS))
def test_a_build_failing_at_any_step_leaves_the_previous_report_intact(previous, fast_build, monkeypatch, step):
    out, before = previous
    attribute, error = STEPS[step]

    def fail(*args, **kwargs):
        if error is None:
            _boom()
        raise error

    monkeypatch.setattr(build, attribute, fail)
    with pytest.raises((OSError, ReviewError, KeyboardInterrupt)):
        build.build_report(fast_build, out, progress=False)
    assert snapshot(out) == before
    assert sorted(p.name for p in out.parent.iterdir()) == ["NP1"]  # no staging or backup folder left


def test_a_failure_while_swapping_in_the_new_report_puts_the_previous_one_back(previous, fast_build, monkeypatch):
    out, before = previous
    real_replace = build.os.replace
    calls = []

    def second_replace_fails(src, dst):
        calls.append((src, dst))
        if len(calls) == 2:  # the previous report is moved aside; moving the new one in fails
            raise OSError(18, "Invalid cross-device link")
        return real_replace(src, dst)

    monkeypatch.setattr(build.os, "replace", second_replace_fails)
    # a clean error naming the folder (exit 2), not an internal error
    with pytest.raises(ConfigError, match="cannot write the report there"):
        build.build_report(fast_build, out, progress=False)
    monkeypatch.setattr(build.os, "replace", real_replace)
    assert snapshot(out) == before
    assert sorted(p.name for p in out.parent.iterdir()) == ["NP1"]


def test_a_first_build_that_fails_leaves_no_folder(fast_build, tmp_path, monkeypatch):
    monkeypatch.setattr(build, "write_html", _boom)
    out = tmp_path / "reports" / "new"
    with pytest.raises(OSError):
        build.build_report(fast_build, out, progress=False)
    assert not out.exists() and list(out.parent.iterdir()) == []


def test_the_cli_reports_a_failed_build_in_one_line_and_keeps_the_previous_report(previous, fast_build, monkeypatch, capsys):
    out, before = previous
    monkeypatch.setattr(build, "write_workbook", _boom)
    code = main(["build", str(fast_build), "--out", str(out), "--no-progress"])
    captured = capsys.readouterr()
    assert code == 70 and "Traceback" not in captured.err + captured.out
    assert captured.err.count("\n") == 1 and "No space left on device" in captured.err
    assert snapshot(out) == before


# ---------------------------------------------------------------------------------------------------
# build-all: interrupted after k cases, resumed
# ---------------------------------------------------------------------------------------------------
def _cases(root: Path, n: int) -> Path:
    for i in range(n):
        write_case(root / f"case{i}", f"K{i}")
    return root


def _counts(store_dir: Path) -> dict:
    return read_store(store_dir, "contacts")["case_id"].value_counts().sort_index().to_dict()


@pytest.mark.parametrize("batch_cases, stored", [(1, {"K0": N}), (32, {})])
def test_an_interrupted_build_all_resumes_without_duplicating_cases(tmp_path, monkeypatch, capsys, batch_cases,
                                                                    stored):
    """Ctrl-C while a part is being stored: with one case per part, while the second case is; with
    the three cases in one part, while that part is (nothing is stored, not part of it)."""
    monkeypatch.setattr(store, "BATCH_CASES", batch_cases)
    cases = _cases(tmp_path / "cases", 3)
    store_dir = tmp_path / "store"
    real_commit = store.commit_part
    written = []

    def interrupted(*args, **kwargs):
        if len(written) == len(stored):
            raise KeyboardInterrupt
        written.append(args[1])
        return real_commit(*args, **kwargs)

    monkeypatch.setattr(store, "commit_part", interrupted)
    assert main(["build-all", str(cases), "--store", str(store_dir), "--no-progress"]) == 130
    assert "review: interrupted" in capsys.readouterr().err
    assert (_counts(store_dir) if stored else read_ledger(store_dir)) == stored
    assert not (store_dir / ".staging").exists()  # the cases staged but not committed are gone

    monkeypatch.setattr(store, "commit_part", real_commit)
    assert main(["build-all", str(cases), "--store", str(store_dir), "--no-progress"]) == 0
    capsys.readouterr()
    assert _counts(store_dir) == {f"K{i}": N for i in range(3)}
    assert read_store(store_dir, "cases")["case_id"].value_counts().max() == 1
    assert read_store(store_dir, "contacts")["event_id"].is_unique
    ledger = read_ledger(store_dir)
    assert sorted(ledger) == [f"K{i}" for i in range(3)] and {e["status"] for e in ledger.values()} == {"complete"}

    # a third run changes nothing
    assert main(["build-all", str(cases), "--store", str(store_dir), "--no-progress", "--json"]) == 0
    capsys.readouterr()
    assert _counts(store_dir) == {f"K{i}": N for i in range(3)}


def test_a_case_failing_midway_is_reported_and_rebuilt_once_on_the_next_run(tmp_path, monkeypatch, capsys):
    cases = _cases(tmp_path / "cases", 2)
    store_dir = tmp_path / "store"
    import review.pipeline as pipeline

    real_load = pipeline.load_case

    def second_case_breaks(folder):
        if Path(folder).name == "case1":
            raise RuntimeError("disk hiccup")
        return real_load(folder)

    monkeypatch.setattr(pipeline, "load_case", second_case_breaks)
    assert main(["build-all", str(cases), "--store", str(store_dir), "--no-progress"]) == 1
    output = capsys.readouterr()
    assert "FAILED case1" in output.out and "Traceback" not in output.out + output.err
    assert _counts(store_dir) == {"K0": N}

    monkeypatch.setattr(pipeline, "load_case", real_load)
    assert main(["build-all", str(cases), "--store", str(store_dir), "--no-progress"]) == 0
    capsys.readouterr()
    assert _counts(store_dir) == {"K0": N, "K1": N}
    assert pd.read_csv(store_dir / "failures.csv").empty


def test_a_case_without_any_decision_event_builds(tmp_path):
    """Found by this file: agency_knowledge raised KeyError on a case with no decision (fixed in a9d3a73)."""
    folder = tmp_path / "case"
    folder.mkdir()
    (folder / "case.yml").write_text("case_id: ND\ndate_of_birth: 2023-02-14\n")
    (folder / "gp.csv").write_text("Date,Details\n01/03/2023,Seen at home\n")
    from review.pipeline import analyse, load_case

    analysis = analyse(load_case(folder))
    assert len(analysis.timeline) == 1
