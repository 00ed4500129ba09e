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
    ("Tues 4th March 2020", "(Wednesday 04/03/2020)", "2020-03-04"),
    ("Tue 05/04/2007", "(Thursday 05/04/2007)", "2007-04-05"),
    ("w/c Tuesday 2/3/2020", "(Monday 02/03/2020)", "2020-03-02"),
    ("Fri 3/4/07 - Sun 5/4/07", "(Tuesday 03/04/2007)", "2007-04-03"),
])
def test_a_weekday_disagreeing_with_the_date_is_noted_and_the_date_kept(text, note, kept):
    assert note in weekday_note(text)
    assert "the date is kept" in weekday_note(text)
    assert f"{parse_date(text).date:%Y-%m-%d}" == kept


def test_the_anonymised_view_of_the_warning_names_no_weekday():
    from review.redact import Redactor

    shown = Redactor()._message(weekday_note("Tues 4th March 2020"))
    assert "March 2020" in shown and not any(day in shown for day in ("Tue", "Wednesday", "04/03"))


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
    warnings = [w for f in case.report.files for w in f.warnings if "(Wednesday 04/03/2020)" in w.message]
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


# --- 4. a young person's sexual activity from 16 is no concern to the closure rule or response latency --------
# (the test case's child is born 1 January 2023: 17 in 2040, 14 in 2037)

def _rows_closed_after(date, description, closed):
    from review.pipeline import load_vocab
    from review.vocab import tag_concerns

    vocab = load_vocab()
    clinic = {"agency": "Westmoor Integrated Sexual Health Service", "agency_kind": "health"}
    csc = {"agency": "Westmoor Children's Social Care", "agency_kind": "social care"}
    return [
        {"date": date, **clinic, "contact_type": "clinic_appointment", "description": description, "action": "",
         "concerns": "; ".join(sorted(tag_concerns(description, vocab))), "escalation": ""},
        {"date": closed, **csc, "contact_type": "case_closure", "description": "Case closed.", "action": "",
         "concerns": "", "escalation": ""},
    ]


@pytest.mark.parametrize("date, closed, flagged", [
    ("2040-03-02", "2040-03-12", False),  # 17: contraception is no concern left open
    ("2039-03-02", "2039-03-12", False),  # 16
    ("2037-03-02", "2037-03-12", True),  # 14: it is
])
def test_closure_counts_sexual_activity_only_under_16(date, closed, flagged):
    from _baseline import baseline_pairs, package_pairs

    rows = _rows_closed_after(date, "Attended for contraception. Pill started.", closed)
    assert "sexual_activity" in rows[0]["concerns"]
    got = package_pairs(rows, "closure_with_open_concerns")
    assert got == ([("C1-e002", "")] if flagged else [])
    assert baseline_pairs(rows, "closure_with_open_concerns") == got


def test_closure_at_17_still_counts_the_other_concerns_and_names_only_them():
    from _baseline import baseline_pairs, package_pairs
    from review.rules import detect, load_rules
    from review.rules.testing import make_timeline

    rows = _rows_closed_after("2040-03-02", "Attended for contraception. Disclosed self-harm, cutting her arms.",
                              "2040-03-12")
    assert {"sexual_activity", "self_harm"} <= set(rows[0]["concerns"].split("; "))
    assert package_pairs(rows, "closure_with_open_concerns") == [("C1-e002", "")]
    assert baseline_pairs(rows, "closure_with_open_concerns") == [("C1-e002", "")]
    explanation = detect(make_timeline(rows), None, load_rules(), only=["closure_with_open_concerns"])["explanation"][0]
    assert "self harm" in explanation and "sexual activity" not in explanation


def test_response_latency_counts_sexual_activity_only_under_16():
    from review.rules import load_rules, response_latency
    from review.rules.testing import make_timeline

    rules = load_rules()
    at_17 = _rows_closed_after("2040-03-02", "Attended for contraception. Pill started.", "2040-03-12")
    assert response_latency(make_timeline(at_17), None, rules).empty
    at_14 = _rows_closed_after("2037-03-02", "Attended for contraception. Pill started.", "2037-03-12")
    latency = response_latency(make_timeline(at_14), None, rules)
    assert latency["event_id"].tolist() == ["C1-e001"] and latency["concerns"].tolist() == ["sexual_activity"]
    both = _rows_closed_after("2040-03-02", "Attended for contraception. Disclosed self-harm, cutting her arms.",
                              "2040-03-12")
    latency = response_latency(make_timeline(both), None, rules)
    assert latency["concerns"].tolist() == ["self_harm"]  # the concerns counted, shown
    assert latency["expected_days"].tolist() == [14]


def test_the_ages_are_settings_a_case_may_change(tmp_path):
    from review.errors import ConfigError
    from review.rules import load_rules, response_latency
    from review.rules.settings import merge_rules
    from review.rules.testing import make_timeline

    rules = merge_rules(load_rules(), {"settings": {"age_bound_below_years": 18}}, tmp_path / "rules.yml")
    at_17 = _rows_closed_after("2040-03-02", "Attended for contraception. Pill started.", "2040-03-12")
    assert response_latency(make_timeline(at_17), None, rules)["event_id"].tolist() == ["C1-e001"]
    with pytest.raises(ConfigError, match="age_bound_tags"):
        merge_rules(load_rules(), {"settings": {"age_bound_tags": ["sex"]}}, tmp_path / "rules.yml")


# --- 5. a parent's own disclosure of cutting herself is the parent's ----------------------------------------

@pytest.mark.parametrize("text", [
    "Mum disclosed cutting her arms.",
    "Mum disclosed cutting herself.",
    "Mum disclosed she has been cutting her arms.",
    "Mother disclosed a history of cutting her wrists.",
    "Dad admitted cutting himself last year.",
])
def test_a_parents_own_disclosure_of_cutting_is_the_parents(text):
    from review.pipeline import load_vocab
    from review.vocab import tag_concerns

    tags = tag_concerns(text, load_vocab())
    assert "self_harm" not in tags and "parental_mental_health" in tags


@pytest.mark.parametrize("text", [
    "Mum disclosed Kayleigh has been cutting her arms.",  # the child named
    "Mum disclosed that Kayleigh has been cutting her arms.",
    "Mum disclosed self-harm.",  # whose, the words do not say
    "Mum reports cutting her arms.",  # a report, not a disclosure of her own
    "Dad disclosed cutting her arms.",  # "her" is not the father
    "Kayleigh disclosed cutting her arms.",
])
def test_a_disclosure_naming_the_child_or_not_the_parents_stays_the_childs(text):
    from review.pipeline import load_vocab
    from review.vocab import tag_concerns

    assert "self_harm" in tag_concerns(text, load_vocab())


def test_a_parent_named_in_case_yml_disclosing_her_own_cutting_is_hers(tmp_path):
    from review.pipeline import load_case

    (tmp_path / "case.yml").write_text(
        "case_id: SH1\ndate_of_birth: 2006-01-01\nchild_name: Kayleigh Marsh\n"
        "people:\n  - {name: Donna Marsh, role: Mother}\n", encoding="utf-8")
    (tmp_path / "gp.csv").write_text(
        "Date,Agency,Details\n04/03/2020,Harbourside GP,Donna disclosed cutting her arms. Low mood.\n"
        "05/03/2020,Harbourside GP,Mum disclosed Kayleigh has been cutting her arms.\n", encoding="utf-8")
    contacts = load_case(tmp_path).contacts.sort_values("source_row")
    concerns = [set(c.split("; ")) for c in contacts["concerns"].fillna("")]
    assert "self_harm" not in concerns[0] and "parental_mental_health" in concerns[0]
    assert "self_harm" in concerns[1]


# --- 6. the agency-knowledge chart fits a page ---------------------------------------------------------------

def _knowledge(n: int):
    import pandas as pd

    return pd.DataFrame([{
        "decision_event_id": f"E{i:03d}", "date": pd.Timestamp("2020-01-01") + pd.Timedelta(days=7 * i),
        "deciding_agency": "Westmoor Children's Social Care", "decision": "case_closure",
        "concerns_known_to_agency": "missing",
        "concerns_known_anywhere": "missing; exploitation" if i % 3 == 0 else "missing",
        "missing_concerns": "exploitation" if i % 3 == 0 else ""} for i in range(n)])


def test_a_long_knowledge_table_is_capped_to_a_page_the_gaps_first():
    import matplotlib.pyplot as plt

    from review import charts

    big = _knowledge(200)  # before: 0.28 in a row, a chart 40 in tall
    fig = charts.plot_agency_knowledge(big)
    try:
        height = fig.get_size_inches()[1]
        drawn = {line.get_gid().split(":")[1] for line in fig.axes[0].lines if (line.get_gid() or "").startswith("knowledge:")}
        note = fig.axes[0].get_title(loc="left")
        title = fig._suptitle.get_text()
    finally:
        plt.close(fig)
    assert height < 9.0
    assert len(drawn) == charts._KNOWLEDGE_MAX_ROWS < len(big)
    gaps = big.loc[big["missing_concerns"] != "", "decision_event_id"].tolist()
    assert drawn == set(gaps[: charts._KNOWLEDGE_MAX_ROWS])  # more gaps than fit: only they, the earliest first
    assert f"{charts._KNOWLEDGE_MAX_ROWS} of 200 decisions drawn" in " ".join(note.split())
    assert "67 of 200 decisions" in title  # the title still counts every decision


def test_a_short_knowledge_table_draws_every_row_with_no_note():
    import matplotlib.pyplot as plt

    from review import charts

    fig = charts.plot_agency_knowledge(_knowledge(10))
    try:
        drawn = [line for line in fig.axes[0].lines if (line.get_gid() or "").startswith("knowledge:")]
        assert len(drawn) == 10 and fig.axes[0].get_title(loc="left") == ""
        assert abs(fig.get_size_inches()[1] - (0.28 * 10 + 1.8)) < 1e-9
    finally:
        plt.close(fig)
