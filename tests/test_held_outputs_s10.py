"""Every output that draws or counts escalations reads the escalations that took place, as the rules do
(`review.rules.base.held_escalations`): a "Strategy discussion cancelled" row whose escalation cell says
strategy_discussion, or "Referral to MASH not made" with the cell referral_to_csc, is no escalation.

1. The swimlane chart's arrows (gid ``escalation:<event_id>``) and its alt text's count, with the reading
   given (`Analysis.held_escalations`, read once by `pipeline.analyse`; a subset of the rows with the whole
   case's reading, as the explorer draws) or read by the chart itself.
2. `export.headline_counts` without `escalations=`: counted the held way (before: the filled cells).
3. The report a build writes: headline and the swimlane's alt text agree with the agency summary.
The escalation cell in the chronology exports stays as recorded (the data as the agency gave it).
"""
from __future__ import annotations

import datetime as dt
import shutil
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from review import build
from review.charts import plot_swimlane
from review.config import CaseConfig
from review.export import headline_counts, write_html
from review.pipeline import Analysis, Case, analyse, load_case
from review.rules.base import held_escalation_column, held_escalation_mask
from review.rules.testing import make_timeline
from review.schema import CONTACT_COLUMNS, conform
from tests._baseline import RULES

CSC = {"agency": "Children's Social Care", "agency_kind": "social care"}
GP = {"agency": "GP", "agency_kind": "health"}
SAMPLE = Path(__file__).parents[1] / "data" / "cases" / "sample"
CONFIG = CaseConfig(case_dir=Path("."), case_id="c1", date_of_birth=dt.date(2023, 1, 1))


def row(date, kind, text, who=GP, escalation="referral_to_csc"):
    return {"date": date, "contact_type": kind, "description": text, "escalation": escalation, **who}


def rows():
    """Four filled escalation cells, two that took place (C1-e002, C1-e004)."""
    return [row("2023-09-02", "strategy_discussion", "Strategy discussion cancelled", CSC, "strategy_discussion"),
            row("2023-09-03", "strategy_discussion", "Strategy discussion held", CSC, "strategy_discussion"),
            row("2023-09-04", "phone_call", "Referral to MASH not made"),
            row("2023-09-05", "phone_call", "Referred to MASH"),
            row("2023-09-06", "home_visit", "Home visit", escalation="")]


def arrows(fig) -> list[str]:
    return sorted(t.get_gid()[len("escalation:"):] for t in fig.axes[0].texts
                  if str(t.get_gid() or "").startswith("escalation:"))


# -- 1. the swimlane ----------------------------------------------------------------------------------
def test_swimlane_draws_no_arrow_for_an_escalation_that_did_not_take_place():
    timeline = make_timeline(rows())
    fig = plot_swimlane(timeline, None, None, CONFIG)  # read by the chart itself
    assert arrows(fig) == ["C1-e002", "C1-e004"]  # before: C1-e001 .. C1-e004 (every filled cell)
    assert "2 were escalations" in fig.review_alt_text  # before: "4 were escalations"


def test_swimlane_takes_the_reading_given():
    timeline = make_timeline(rows())
    held = held_escalation_column(timeline, RULES)
    fig = plot_swimlane(timeline, None, None, CONFIG, escalations=held)
    assert arrows(fig) == ["C1-e002", "C1-e004"]
    # the reading is what is drawn: booleans in row order, too
    fig = plot_swimlane(timeline, None, None, CONFIG, escalations=np.array([True, False, False, False, True]))
    assert arrows(fig) == ["C1-e001", "C1-e005"]
    assert "2 were escalations" in fig.review_alt_text


def test_swimlane_of_a_subset_of_rows_with_the_whole_case_reading():
    """The explorer draws the filtered rows (the timeline's own index) with the case's reading."""
    timeline = make_timeline(rows())
    timeline.index = [10 * i for i in range(len(timeline))]
    held = held_escalation_column(timeline, RULES)
    subset = timeline.iloc[[4, 0, 3]]
    fig = plot_swimlane(subset, None, None, CONFIG, escalations=held)
    assert arrows(fig) == ["C1-e004"]
    assert "1 was an escalation" in fig.review_alt_text  # before: "1 were escalations"


def test_held_escalation_mask_reads_cells_booleans_and_gaps():
    timeline = pd.DataFrame({"x": range(3)}, index=[5, 6, 7])
    assert held_escalation_mask(timeline, pd.Series(["a", pd.NA, ""], index=[5, 6, 7])).tolist() == [True, False, False]
    assert held_escalation_mask(timeline, pd.Series(["a"], index=[6])).tolist() == [False, True, False]
    assert held_escalation_mask(timeline, pd.Series([True], index=[7])).tolist() == [False, False, True]
    assert held_escalation_mask(timeline, np.array(["", None, "b"], dtype=object)).tolist() == [False, False, True]
    with pytest.raises(ValueError):
        held_escalation_mask(timeline, np.array(["a", "b"], dtype=object))


# -- 2. the headline ------------------------------------------------------------------------------------
def test_headline_counts_held_escalations_by_default():
    timeline = make_timeline(rows())
    assert any(" and 2 were escalations (counted apart" in line for line in headline_counts(timeline))  # before: 4
    held = held_escalation_column(timeline, RULES)
    assert any(" and 2 were escalations (counted apart" in line for line in headline_counts(timeline, held=held))
    assert any(" and 2 were escalations (counted apart" in line for line in headline_counts(timeline, rules=RULES, case=CONFIG))
    # a count given is the count shown
    assert any(" and 1 was an escalation (counted apart" in line for line in headline_counts(timeline, escalations=1))


def test_html_headline_without_an_agency_summary_counts_held(tmp_path):
    timeline = make_timeline(rows())
    analysis = Analysis(timeline=timeline, periods=None, flags=None, response_latency=None, knowledge=None,
                        agency_summary=None, decisions=None, decision_problems=None)
    html = write_html(tmp_path / "r.html", CONFIG, analysis).read_text(encoding="utf-8")
    assert "2 were escalations" in html and "4 were escalations" not in html


# -- 3. the pipeline and the build ------------------------------------------------------------------------
def _case(tmp_path, contacts: list | None = None) -> Case:
    frame = make_timeline(rows() if contacts is None else contacts)
    frame = conform(frame[[c for c in CONTACT_COLUMNS if c in frame.columns]], CONTACT_COLUMNS)
    frame["case_id"] = "c1"
    (tmp_path / "case.yml").write_text("case_id: c1\ndate_of_birth: '2023-01-01'\nreview_date: '2023-12-31'\n"
                                       "files: []\n", encoding="utf-8")
    config = CaseConfig(case_dir=tmp_path, case_id="c1", date_of_birth=dt.date(2023, 1, 1),
                        review_date=dt.date(2023, 12, 31))
    return Case(config=config, vocab={}, contacts=frame, report=None)


def test_analyse_reads_held_escalations_once_for_every_output(tmp_path):
    case = _case(tmp_path)
    analysis = analyse(case, RULES)
    held = dict(zip(analysis.timeline["event_id"], analysis.held_escalations))
    assert held == {"C1-e001": "", "C1-e002": "strategy_discussion", "C1-e003": "",
                    "C1-e004": "referral_to_csc", "C1-e005": ""}
    assert analysis.held_escalations.index.equals(analysis.timeline.index)
    assert int(analysis.agency_summary["escalations_made"].sum()) == 2
    # the chronology keeps the cells as recorded
    assert int((analysis.timeline["escalation"] != "").sum()) == 4


@pytest.mark.parametrize("redact", [False, True])
def test_build_report_headline_and_swimlane_count_held_escalations(tmp_path, monkeypatch, redact):
    (tmp_path / "case").mkdir()  # the report folder beside it: one inside the case folder is refused (s15)
    case = _case(tmp_path / "case")
    analysis = analyse(case, RULES)
    monkeypatch.setattr(build, "_load_and_analyse", lambda case_dir: (case, analysis))
    monkeypatch.delenv("SOURCE_DATE_EPOCH", raising=False)
    drawn = []
    real = plot_swimlane

    def spy(*args, **kwargs):
        fig = real(*args, **kwargs)
        drawn.append((arrows(fig), fig.review_alt_text))
        return fig

    monkeypatch.setattr("review.charts.plot_swimlane", spy)
    build.build_report(tmp_path / "case", tmp_path / "out", progress=False, redact=redact)
    html = (tmp_path / "out" / "report.html").read_text(encoding="utf-8")
    assert "2 were escalations" in html and "4 were escalations" not in html
    (ids, alt), = drawn
    assert len(ids) == 2 and "2 were escalations" in alt
    if not redact:
        assert ids == ["C1-e002", "C1-e004"]
    # the chronology export keeps the recorded cell of the cancelled strategy discussion
    csv = (tmp_path / "out" / "chronology.csv").read_text(encoding="utf-8-sig")
    assert "Strategy discussion cancelled" in csv


# -- the sample: nothing in it is a not-held escalation, so its charts are as before --------------------------
@pytest.mark.skipif(not (SAMPLE / "case.yml").is_file(), reason="no sample case")
def test_sample_escalations_all_held(tmp_path):
    case_dir = tmp_path / "sample"
    shutil.copytree(SAMPLE, case_dir)
    case = load_case(case_dir)
    analysis = analyse(case)
    assert len(analysis.timeline) == 99 and len(analysis.flags) == 22
    cells = analysis.timeline["escalation"].astype(str).to_numpy()
    assert (analysis.held_escalations.to_numpy(dtype=object) == cells).all()
    fig = plot_swimlane(analysis.timeline, analysis.flags, analysis.periods, case.config,
                        escalations=analysis.held_escalations)
    assert len(arrows(fig)) == int((cells != "").sum()) == 24
