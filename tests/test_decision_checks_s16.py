"""A decision recorded from the notebook (its `record` parameter) or the decision form passes the checks
`review decide` makes: a flag's decision in force is kept unless replaced, the author must be one of case.yml's
reviewers and is recorded as case.yml spells it, the same added finding is not written twice."""
from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from review.decisions import DECISIONS_FILE, load_decisions, read_decisions_file, record_parameter
from review.errors import DecisionError, ReviewError
from review.explorer import DecisionForm
from review.pipeline import analyse, load_case

SAMPLE = Path(__file__).resolve().parents[1] / "data" / "cases" / "sample"


@pytest.fixture(scope="module")
def sample_analysis():
    return analyse(load_case(SAMPLE))


@pytest.fixture
def case(tmp_path) -> Path:
    copy = tmp_path / "sample"
    shutil.copytree(SAMPLE, copy)
    with (copy / "case.yml").open("a", encoding="utf-8") as handle:
        handle.write("lead_reviewer: Jane Okafor\nreviewers:\n  - Tom Ellery\n")
    return copy


def _rows(case):
    path = case / DECISIONS_FILE
    return read_decisions_file(path) if path.exists() else None


def _form(case, analysis, **values):
    form = DecisionForm(case, analysis.flags, analysis.timeline)
    for name, value in values.items():
        getattr(form, name).value = value
    return form


def _said(form, capsys) -> str:
    form._save(None)
    return capsys.readouterr().out  # headless: no kernel captures the form's output


def test_form_refuses_a_second_decision_unless_replace(case, sample_analysis, capsys):
    flag = sample_analysis.flags["flag_id"].iloc[1]
    form = _form(case, sample_analysis, flag=flag, decision="rejected", rationale="Seen by the GP the next day",
                 author="jane  OKAFOR")
    assert f"Recorded: rejected #2 {flag} by Jane Okafor" in _said(form, capsys)
    assert _rows(case)["author"].tolist() == ["Jane Okafor"]  # as case.yml spells it
    form.decision.value = "accepted"
    form.rationale.value = "changed my mind"
    out = _said(form, capsys)
    assert f"Not recorded: flag {flag} already has a decision: rejected by Jane Okafor" in out and "Replace" in out
    assert len(_rows(case)) == 1
    form.replace.value = True
    assert "Recorded: accepted" in _said(form, capsys)
    assert _rows(case)["decision"].tolist() == ["rejected", "accepted"]


def test_form_refuses_an_author_case_yml_does_not_name(case, sample_analysis, capsys):
    form = _form(case, sample_analysis, flag=sample_analysis.flags["flag_id"].iloc[0], decision="accepted",
                 rationale="Never referred", author="Somebody Else")
    assert ("Not recorded: reviewer 'Somebody Else' is not one of the reviewers case.yml names (Jane Okafor, "
            "Tom Ellery)") in _said(form, capsys)
    assert _rows(case) is None


def test_form_does_not_add_the_same_finding_twice(case, sample_analysis, capsys):
    event = sample_analysis.timeline["event_id"].iloc[10]
    form = _form(case, sample_analysis, decision="added", rule="strategy_no_conference", event=event,
                 rationale="Strategy discussion never held", author="Tom Ellery")
    assert "Recorded: added added:strategy_no_conference:" in _said(form, capsys)
    out = _said(form, capsys)
    assert "Not recorded: the reviewers already added this finding" in out
    assert len(_rows(case)) == 1
    # the next analysis lists it as a flag: a new form refuses it from there too
    again = analyse(load_case(case))
    form2 = _form(case, again, decision="added", rule="strategy_no_conference", event=event,
                  rationale="the same, in other words", author="Tom Ellery")
    assert "already added this finding: flag #" in _said(form2, capsys)
    assert len(_rows(case)) == 1


def test_record_parameter_checks_as_review_decide(case):
    analysis = analyse(load_case(case))
    flag = analysis.flags["flag_id"].iloc[0]
    checked = record_parameter(case, {"flag_no": 1, "decision": "accepted", "rationale": "Never referred",
                                      "author": "tom ellery"}, analysis)
    assert (checked.flag_id, checked.author) == (flag, "Tom Ellery")
    analysis = analyse(load_case(case))
    with pytest.raises(ReviewError, match="already has a decision: accepted by Tom Ellery.*replace: true"):
        record_parameter(case, {"flag_no": 1, "decision": "rejected", "rationale": "x", "author": "Tom Ellery"},
                         analysis)
    record_parameter(case, {"flag_no": "#1", "decision": "rejected", "rationale": "x", "author": "Jane Okafor",
                            "replace": True}, analysis)
    decisions, _ = load_decisions(case)
    assert decisions["decision"].tolist() == ["accepted", "rejected"]
    with pytest.raises(ReviewError, match=f"no flag #99 in case sample: .* #1 to #{len(analysis.flags)}"):
        record_parameter(case, {"flag_no": 99, "decision": "accepted", "rationale": "x", "author": "Tom Ellery"},
                         analysis)
    with pytest.raises(ReviewError, match=r"record: give the author: case.yml names 2 reviewers"):
        record_parameter(case, {"flag_no": 2, "decision": "accepted", "rationale": "x"}, analysis)
    with pytest.raises(DecisionError, match="unknown key"):
        record_parameter(case, {"flag": 2, "decision": "accepted", "rationale": "x", "author": "Tom Ellery"},
                         analysis)
    assert len(_rows(case)) == 2


def test_flags_headline_counts_as_the_build_does(case):
    from review.explorer import flags_headline

    analysis = analyse(load_case(case))
    assert flags_headline(analysis.flags, analysis.decisions) == f"{len(analysis.flags)} flags"
    record_parameter(case, {"flag_no": 2, "decision": "rejected", "rationale": "Seen next day", "author": "Tom Ellery"},
                     analysis)
    record_parameter(case, {"decision": "added", "rule_id": "strategy_no_conference",
                            "trigger_event_id": analysis.timeline["event_id"].iloc[10],
                            "rationale": "Never held", "author": "Tom Ellery"}, analysis)
    after = analyse(load_case(case))
    assert flags_headline(after.flags, after.decisions) == (
        f"{len(analysis.flags) + 1} flags (1 rejected by the reviewers); 1 finding added")
