"""Assurance against evidence (s15): a declaration with no rate to judge by (too few contacts, none, a
standard no rule evidences) has no disagreement either way: missing, not False; the csv, the summary, the
chart and notebook 05's selection cope with it."""
from __future__ import annotations

import io
from pathlib import Path

import pandas as pd

from review.thematic import assurance_summary, assurance_vs_evidence, plot_assurance
from review.thematic_report import _inert


def _timeline():
    rows = [("A", f"t{i}", "health", "Tiny Clinic", "2022-03-01") for i in range(3)]
    rows += [("A", f"b{i}", "health", "Big Trust", "2022-04-01") for i in range(40)]
    frame = pd.DataFrame(rows, columns=["case_id", "event_id", "agency_kind", "organisation", "date"])
    frame["date"] = pd.to_datetime(frame["date"])
    return frame


def _flags():
    events = ["t0", "t1", "t2", "b0", "b1"]
    return pd.DataFrame({"case_id": "A", "rule_id": "child_not_seen", "trigger_event_id": events,
                         "trigger_date": pd.Timestamp("2022-03-01"), "failing_category": "procedure",
                         "severity": "high"})


def _declarations():
    return pd.DataFrame({
        "organisation": ["Tiny Clinic", "Big Trust", "Big Trust", "Nowhere Trust", "Big Trust"],
        "year": ["2022", "2022", "2021", "2022", "2022"],
        "standard": ["Escalation and child protection procedures"] * 4 + ["Recording of the weather"],
        "declared_status": "compliant", "source_sheet": "d", "source_row": [2, 3, 4, 5, 6]})


def _assurance():
    return assurance_vs_evidence(_declarations(), _flags(), _timeline())


def test_a_declaration_without_a_rate_has_no_disagreement_either_way():
    result = _assurance()
    assert str(result["disagreement"].dtype) == "boolean"
    by = result.set_index(["organisation", "year", "standard"])["disagreement"]
    # before: False for all four, read as "declared compliant, and the evidence agrees"
    assert pd.isna(by[("Tiny Clinic", "2022", "Escalation and child protection procedures")])  # 3 contacts
    assert pd.isna(by[("Big Trust", "2021", "Escalation and child protection procedures")])  # no contacts
    assert pd.isna(by[("Nowhere Trust", "2022", "Escalation and child protection procedures")])  # not in the cases
    assert pd.isna(by[("Big Trust", "2022", "Recording of the weather")])  # no rule evidences it
    assert by[("Big Trust", "2022", "Escalation and child protection procedures")] == True  # noqa: E712  5 per 100 > 1
    # judged first, then the rest; a lower minimum gives the tiny clinic a rate and a verdict
    assert result["disagreement"].iloc[0] == True and result["disagreement"].iloc[1:].isna().all()  # noqa: E712
    two = assurance_vs_evidence(_declarations(), _flags(), _timeline(), min_contacts=2)
    tiny = two.set_index("organisation").loc["Tiny Clinic", "disagreement"]
    assert tiny == True  # noqa: E712


def test_the_csv_leaves_the_missing_disagreement_blank():
    result = _assurance()
    text = io.StringIO()
    _inert(result).to_csv(text, index=False)
    read = pd.read_csv(io.StringIO(text.getvalue()), keep_default_na=False, dtype=str)
    tiny = read[read["organisation"] == "Tiny Clinic"].iloc[0]
    big = read[(read["organisation"] == "Big Trust") & (read["year"] == "2022")
               & read["standard"].str.startswith("Escalation")].iloc[0]
    assert tiny["disagreement"] == "" and big["disagreement"] == "True"


def test_the_summary_chart_and_notebook_selection_cope_with_a_missing_disagreement():
    result = _assurance()
    assert assurance_summary(result)[0].startswith("1 of ")
    assert "assessable declarations disagree with the evidence (5 declared" in assurance_summary(result)[0]
    fig = plot_assurance(result)
    assert [t.get_text() for t in fig.axes[0].get_yticklabels()] == [
        "Big Trust 2022 · Escalation and child protection procedures"]
    assert fig.review_alt_text.endswith("1 of 1 declarations shown disagree with the evidence")
    # notebook 05 shows the disagreements with the selection below: the missing ones are not shown
    notebook = (Path(__file__).resolve().parents[1] / "notebooks" / "05_thematic_review.py").read_text()
    selection = 'assurance[assurance["disagreement"].fillna(False)]'
    assert selection in notebook
    assurance = result  # noqa: F841  (read by the notebook expression `selection`)
    shown = eval(selection)
    assert shown["organisation"].tolist() == ["Big Trust"]
