"""Smaller defects a QA reviewer's case (Kayleigh, 14, CSE and missing episodes) showed (s17): `--only` given
twice, a weekday that disagrees with its date, sexual activity of a young person of 16 or 17, a parent's own
disclosure of cutting herself, the agency-knowledge chart's height, and the day future-dated decisions are
judged against in notebooks 02/03 and the decision form."""
from __future__ import annotations

import pytest

from review.cli import build_parser
from review.ingest.dates import parse_date, weekday_note


# --- 1. --only given twice runs both ------------------------------------------------------------------------

def test_only_given_twice_keeps_both_notebooks_in_order():
    args = build_parser().parse_args(["notebooks", "CASE", "--only", "02_timeline_explorer",
                                      "--only", "03_missed_escalations"])
    assert args.only == ["02_timeline_explorer", "03_missed_escalations"]
    args = build_parser().parse_args(["notebooks", "CASE", "--only", "01_ingest_and_validate", "02_timeline_explorer",
                                      "--only", "03_missed_escalations"])
    assert args.only == ["01_ingest_and_validate", "02_timeline_explorer", "03_missed_escalations"]


def test_only_naming_a_notebook_twice_runs_it_once(monkeypatch, tmp_path):
    from review.commands import notebooks as command

    seen = {}

    def stop(name, notebooks_dir):  # what run() asks of each notebook it will run
        seen.setdefault("names", []).append(name)
        return []

    def done(items):
        raise RuntimeError("stop")

    monkeypatch.setattr("review.notebooks.declared_parameters", stop)
    monkeypatch.setattr(command, "parse_params", done)  # run() reads the parameters next: stop there
    args = build_parser().parse_args(["notebooks", str(tmp_path), "--only", "03_missed_escalations",
                                      "02_timeline_explorer", "--only", "03_missed_escalations"])
    with pytest.raises(RuntimeError, match="stop"):
        command.run(args)
    assert seen["names"] == ["03_missed_escalations", "02_timeline_explorer"]


# --- 2. a written weekday that disagrees with the date ------------------------------------------------------

@pytest.mark.parametrize("text, note, kept", [
    ("Tues 4th March 2020", "04/03/2020 was a Wednesday, not a Tuesday", "2020-03-04"),
    ("Tue 05/04/2007", "05/04/2007 was a Thursday, not a Tuesday", "2007-04-05"),
    ("w/c Tuesday 2/3/2020", "02/03/2020 was a Monday, not a Tuesday", "2020-03-02"),
    ("Fri 3/4/07 - Sun 5/4/07", "03/04/2007 was a Tuesday, not a Friday", "2007-04-03"),
])
def test_a_weekday_disagreeing_with_the_date_is_noted_and_the_date_kept(text, note, kept):
    assert note in weekday_note(text)
    assert "the date is kept" in weekday_note(text)
    assert f"{parse_date(text).date:%Y-%m-%d}" == kept


@pytest.mark.parametrize("text", ["Wed 4th March 2020", "Thursday 05/04/2007", "Sat, 7 March 2020 14:30",
                                  "Mon March 2020", "Easter Monday 2020", "4/3/2020", "Sun 2020-03-08", "Tuesday"])
def test_a_weekday_that_agrees_or_no_day_to_check_is_no_note(text):
    assert weekday_note(text) == ""


def test_ingest_warns_naming_file_sheet_row_and_column_and_keeps_the_date(tmp_path):
    from review.pipeline import load_case

    (tmp_path / "case.yml").write_text("case_id: WD1\ndate_of_birth: 2006-01-01\n", encoding="utf-8")
    (tmp_path / "school.csv").write_text(
        "Date,Agency,Details\nTues 4th March 2020,Westmoor Academy,Attended school\n"
        "Wed 4th March 2020,Westmoor Academy,Attended again\n", encoding="utf-8")
    case = load_case(tmp_path)
    dates = case.contacts.sort_values("source_row")["date"].dt.strftime("%Y-%m-%d").tolist()
    assert dates == ["2020-03-04", "2020-03-04"]  # both kept
    warnings = [w for f in case.report.files for w in f.warnings if "was a Wednesday" in w.message]
    assert len(warnings) == 1
    w = warnings[0]
    assert (w.row, w.column) == (2, "Date")
    assert "'Tues 4th March 2020'" in w.message


# --- 7. notebooks 02/03 and the decision form judge decisions on the build's day, as `review flags` ----------

def _cells(name: str) -> list[str]:
    """The code cells of a py:percent notebook, in order (markdown cells left out)."""
    from pathlib import Path

    text = (Path(__file__).resolve().parents[1] / "notebooks" / f"{name}.py").read_text(encoding="utf-8")
    cells = text.split("\n# %%")[1:]
    return [cell.split("\n", 1)[1] for cell in cells if not cell.startswith(" [markdown]")]


@pytest.fixture(scope="module")
def judged_case(tmp_path_factory):
    """A copy of the sample whose build (its manifest) judged the decisions on 2025-01-01, with a decision dated
    2025-06-01: after the build's day, before today."""
    import json
    import shutil
    from pathlib import Path

    from review.pipeline import analyse, load_case

    root = tmp_path_factory.mktemp("judged")
    case = root / "sample"
    shutil.copytree(Path(__file__).resolve().parents[1] / "data" / "cases" / "sample", case)
    flag = analyse(load_case(case)).flags["flag_id"].iloc[0]
    (case / "decisions.csv").write_text(
        f"flag_id,decision,rationale,author,date\n{flag},rejected,Covered by another flag,Jane Okafor,2025-06-01\n",
        encoding="utf-8")
    out = root / "out"
    out.mkdir()
    (out / "manifest.json").write_text(json.dumps({"case_dir": str(case), "decisions_as_of": "2025-01-01"}),
                                       encoding="utf-8")
    return case, out, flag


def test_notebook_03_lists_a_decision_dated_after_the_builds_day(judged_case, capsys):
    from review.decisions import FUTURE_DATE_PROBLEM

    case, out, _ = judged_case
    scope = {"__name__": "nb03"}
    cells = _cells("03_missed_escalations")
    exec(cells[0], scope)  # the parameters
    scope.update(case_dir=str(case), out_dir=str(out))
    exec(cells[1].replace("# %matplotlib inline", ""), scope)  # load and analyse
    problems = scope["analysis"].decision_problems
    assert problems["problem"].astype(str).str.startswith(FUTURE_DATE_PROBLEM[:30]).any()
    assert "decisions dated after 2025-01-01" in capsys.readouterr().out
    assert scope["as_of"].day.isoformat() == "2025-01-01" and scope["as_of"].source == "manifest"


def test_notebook_02_judges_on_the_builds_day_too(judged_case):
    from review.decisions import FUTURE_DATE_PROBLEM

    case, out, _ = judged_case
    scope = {"__name__": "nb02"}
    cells = _cells("02_timeline_explorer")
    exec(cells[0], scope)
    scope.update(case_dir=str(case), out_dir=str(out))
    exec(cells[1].replace("# %matplotlib inline", ""), scope)
    assert scope["analysis"].decision_problems["problem"].astype(str).str.startswith(FUTURE_DATE_PROBLEM[:30]).any()


def test_the_decision_form_reads_decisions_as_of_its_day(judged_case, monkeypatch):
    import datetime as dt

    import review.decisions as decisions
    from review.explorer import DecisionForm
    from review.pipeline import analyse, load_case

    case, _, flag = judged_case
    analysis = analyse(load_case(case), decisions_as_of=dt.date(2025, 1, 1))
    days = []
    real = decisions.load_decisions

    def spy(*args, **kwargs):
        days.append(kwargs.get("as_of"))
        return real(*args, **kwargs)

    monkeypatch.setattr(decisions, "load_decisions", spy)
    form = DecisionForm(case, analysis.flags, analysis.timeline, as_of=dt.date(2025, 1, 1))
    form.refresh()
    form._analysis()
    assert days == [dt.date(2025, 1, 1)] * 2
    assert dict(zip(form._flags["flag_id"], form._flags["decision"]))[flag] == "rejected"
