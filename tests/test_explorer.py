"""The explorer's pure filters and views over the sample case (the widgets call exactly these)."""
from pathlib import Path

import pytest

from review.explorer import DecisionForm, TimelineExplorer, chronology_view, filter_timeline, flag_evidence, flags_view
from review.pipeline import analyse, load_case

SAMPLE = Path(__file__).resolve().parents[1] / "data" / "cases" / "sample"


@pytest.fixture(scope="module")
def sample():
    case = load_case(SAMPLE)
    return case, analyse(case)


def test_no_filter_keeps_every_row(sample):
    _, analysis = sample
    assert filter_timeline(analysis.timeline).equals(analysis.timeline)


def test_date_range_includes_the_whole_end_day(sample):
    _, analysis = sample
    t = analysis.timeline
    day = t["date"].dt.normalize().iloc[len(t) // 2]
    rows = filter_timeline(t, start=day, end=day)
    assert len(rows) == (t["date"].dt.normalize() == day).sum() > 0


def test_agency_type_concern_and_search_filters_combine(sample):
    _, analysis = sample
    t = analysis.timeline
    police = filter_timeline(t, agencies=["Eastborough Police"])
    assert set(police["agency"]) == {"Eastborough Police"}
    bruises = filter_timeline(t, concerns=["bruising"])
    assert len(bruises) and bruises["concerns"].str.contains("bruising").all()
    both = filter_timeline(t, agencies=["Eastborough Police"], concerns=["bruising"])
    assert len(both) <= min(len(police), len(bruises))
    found = filter_timeline(t, search="STRATEGY DISCUSSION")
    assert len(found) and found["description"].str.lower().str.contains("strategy discussion").any()
    assert filter_timeline(t, search="no such words anywhere").empty


def test_flag_evidence_names_the_trigger_and_evidence_rows(sample):
    _, analysis = sample
    flag = analysis.flags.iloc[0]
    rows = flag_evidence(analysis.timeline, analysis.flags, flag["flag_id"])
    assert rows.loc[rows["role"] == "trigger", "event_id"].tolist() == [flag["trigger_event_id"]]
    with pytest.raises(KeyError):
        flag_evidence(analysis.timeline, analysis.flags, "no-such-flag")


def test_views_number_flags_as_the_swimlane_callouts(sample):
    _, analysis = sample
    view = flags_view(analysis.flags)
    assert view["flag_no"].tolist() == list(range(1, len(analysis.flags) + 1))
    assert list(chronology_view(analysis.timeline).columns[:4]) == ["seq", "date", "date_precision", "age_display"]


def test_widgets_build_headless_and_follow_their_controls(sample, tmp_path):
    case, analysis = sample
    explorer = TimelineExplorer(analysis, case.config)
    explorer.agencies.value = ("Eastborough Police",)
    assert set(explorer.filtered()["agency"]) == {"Eastborough Police"}
    explorer.search.value = "strategy"
    assert len(explorer.filtered()) >= 1
    import shutil

    # (a decision is checked against the case, as `review decide` checks it: the form writes into a case folder)
    case_dir = tmp_path / "case"
    shutil.copytree(SAMPLE, case_dir)
    form = DecisionForm(case_dir, analysis.flags, author="Reviewer")
    form.flag.value = analysis.flags["flag_id"].iloc[0]
    form.rationale.value = "Agreed: no referral was made."
    form._save(None)
    assert "Agreed: no referral was made." in (case_dir / "decisions.csv").read_text(encoding="utf-8")


def test_decision_form_adds_a_finding_with_its_rule_and_contact(sample, tmp_path, capsys):
    """The form's added finding names its rule and the contact it is about, and the next analysis
    shows it as a reviewer's flag on that contact."""
    import shutil

    from review.decisions import load_decisions

    case, analysis = sample
    case_dir = tmp_path / "case"
    shutil.copytree(SAMPLE, case_dir)
    form = DecisionForm(case_dir, analysis.flags, analysis.timeline, author="Reviewer")
    assert form.rule.layout.display == "none" and form.event.layout.display == "none"
    form.decision.value = "added"
    assert form.rule.layout.display == "" and form.event.layout.display == ""
    labels = [label for label, _ in form.event.options]
    assert len(labels) == analysis.timeline["event_id"].nunique() + 1 and len(set(labels)) == len(labels)

    form.rationale.value = "Strategy discussion never held after the second injury."
    form._save(None)  # no contact chosen yet
    assert not (case_dir / "decisions.csv").exists()
    assert "Not recorded: choose the contact" in capsys.readouterr().out  # headless: no kernel to capture it

    event = analysis.timeline["event_id"].iloc[10]
    form.event.value = event
    form.rule.value = "strategy_no_conference"
    form._save(None)
    decisions, _ = load_decisions(case_dir)
    row = decisions.iloc[-1]
    assert (row["decision"], row["rule_id"], row["trigger_event_id"], row["evidence_event_ids"]) == (
        "added", "strategy_no_conference", event, event)
    flags = analyse(load_case(case_dir)).flags
    finding = flags[flags["flag_id"] == row["flag_id"]].iloc[0]
    assert finding["source"] == "reviewer" and finding["trigger_date"] == analysis.timeline["date"].iloc[10]


def test_decision_form_refuses_what_it_cannot_record(sample, tmp_path):
    import shutil

    _, analysis = sample
    case_dir = tmp_path / "case"
    shutil.copytree(SAMPLE, case_dir)
    form = DecisionForm(case_dir, analysis.flags, author="Reviewer")  # no timeline: the event id is typed
    form.rationale.value = "why"
    form.decision.value = "rejected"
    assert form.problem() == "choose the flag to mark rejected"
    form.decision.value = "added"
    form.flag.value = analysis.flags["flag_id"].iloc[0]
    assert "new flag" in form.problem()
    form.flag.value = ""
    form.event.value = "  "
    assert form.problem() == "choose the contact the finding is about"
    form.event.value = analysis.timeline["event_id"].iloc[0]
    assert form.problem() is None
    form._save(None)
    assert (case_dir / "decisions.csv").exists()


def test_a_partial_date_is_shown_to_its_precision_and_kept_by_an_overlapping_range():
    """Session 13 QA: the explorer showed "2024-03-01 00:00:00" for "Mar 2024" and a range within March
    dropped it."""
    import pandas as pd

    t = pd.DataFrame({"seq": [1, 2, 3], "date": pd.to_datetime(["2024-03-01", "2024-03-12", "2023-01-01"]),
                      "date_precision": ["month", "day", "year"], "agency": ["A", "B", "C"],
                      "description": ["x", "y", "z"]})
    shown = chronology_view(t)["date"].tolist()
    assert shown == ["Mar 2024", "12/03/2024", "2023"]
    kept = filter_timeline(t, start="2024-03-10", end="2024-03-31")["seq"].tolist()
    assert kept == [1, 2]
    assert filter_timeline(t, start="2024-04-01")["seq"].tolist() == []
    assert filter_timeline(t, end="2023-06-30")["seq"].tolist() == [3]
