"""Reviewers' decisions (s17): one as-of day for future-dated decisions in `review flags`, `review validate`
and the store; decisions carried over by their trigger's row when the agency or date reading changes the
flag id; the explorer's flag list refreshed after a save; notebook 03's `record` checked before any notebook
runs."""
from __future__ import annotations

import shutil
from pathlib import Path

from review.cli import main

ROOT = Path(__file__).resolve().parents[1]
SAMPLE = ROOT / "data" / "cases" / "sample"


def _sample(tmp_path: Path, reviewer: bool = True) -> Path:
    case = tmp_path / "sample"
    shutil.copytree(SAMPLE, case)
    if reviewer:
        with (case / "case.yml").open("a", encoding="utf-8") as handle:
            handle.write("lead_reviewer: Jane Okafor\n")
    return case


# --- 4. notebook 03's `record` is checked before anything runs ------------------------------------------------
def test_a_bad_record_stops_the_run_before_notebook_01_runs(tmp_path, capsys, monkeypatch):
    case = _sample(tmp_path)
    out = tmp_path / "out"
    monkeypatch.chdir(ROOT)
    code = main(["notebooks", str(case), "--out", str(out), "--only", "01_ingest_and_validate",
                 "03_missed_escalations", "--no-html", "--no-progress", "--param",
                 "record={flag_no: 99, decision: accepted, rationale: Never referred, author: Jane Okafor}"])
    err = capsys.readouterr().err
    assert code == 2, err
    lines = [line for line in err.splitlines() if line.startswith("review:")]
    # the message notebook 03 gave when it ran, now before notebook 01 has run (before: 01 ran first)
    assert lines == [f"review: error: notebook 03_missed_escalations: no flag #99 in case sample: `review flags {case}` "
                     "numbers its 26 flags #1 to #26"]
    assert not list(out.rglob("*.ipynb")) and not (case / "decisions.csv").exists()


def test_an_unknown_author_in_record_is_found_up_front(tmp_path, capsys, monkeypatch):
    case = _sample(tmp_path)
    out = tmp_path / "out"
    monkeypatch.chdir(ROOT)
    code = main(["notebooks", str(case), "--out", str(out), "--no-html", "--no-progress", "--param",
                 "record={flag_no: 1, decision: accepted, rationale: Seen late, author: Someone Else}"])
    err = capsys.readouterr().err
    assert code != 0 and "notebook 03_missed_escalations:" in err and "Someone Else" in err
    assert not list(out.rglob("*.ipynb"))


# --- 3. the decision form's flag list after a save -------------------------------------------------------------
def _analysed(case):
    from review.pipeline import analyse, load_case

    return analyse(load_case(case))


def test_the_form_labels_show_the_decision_just_saved_and_keep_the_selection(tmp_path):
    from review.explorer import DecisionForm

    case = _sample(tmp_path)
    analysis = _analysed(case)
    form = DecisionForm(case, analysis.flags, analysis.timeline, author="Jane Okafor")
    third = analysis.flags["flag_id"].iloc[2]
    before = dict((value, label) for label, value in form.flag.options)
    assert before[third].endswith(" (pending)")
    form.flag.value = third
    form.decision.value = "rejected"
    form.rationale.value = "Covered by flag 2"
    form._save(None)
    after = dict((value, label) for label, value in form.flag.options)
    # before: the label stayed "3. rule - date - agency" until the form was built again
    assert after[third] == before[third].replace(" (pending)", " (rejected)")
    assert form.flag.value == third  # still chosen
    assert {v: lab for v, lab in after.items() if v != third} == {v: lab for v, lab in before.items() if v != third}


def test_a_finding_added_in_the_form_joins_the_flag_list(tmp_path):
    from review.explorer import DecisionForm

    case = _sample(tmp_path)
    analysis = _analysed(case)
    form = DecisionForm(case, analysis.flags, analysis.timeline, author="Jane Okafor")
    form.decision.value = "added"
    form.rule.value = "strategy_no_conference"
    form.event.value = analysis.timeline["event_id"].iloc[10]
    form.rationale.value = "Strategy discussion never held"
    form._save(None)
    labels = [label for label, _ in form.flag.options]
    assert len(labels) == 1 + 27 and sum(label.endswith("(added)") for label in labels) == 1
    assert form.flag.value == ""
    # the numbers are the report's: the same as a fresh analysis gives
    from review.explorer import flag_options

    fresh = _analysed(case)
    assert list(form.flag.options)[1:] == flag_options(fresh.flags, fresh.timeline)
