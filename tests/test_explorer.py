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
    form = DecisionForm(tmp_path, analysis.flags, author="Reviewer")
    form.flag.value = analysis.flags["flag_id"].iloc[0]
    form.rationale.value = "Agreed: no referral was made."
    form._save(None)
    assert "Agreed: no referral was made." in (tmp_path / "decisions.csv").read_text(encoding="utf-8")
