"""review.charts: each chart shows what its tables say (lanes, callouts, periods, counts), in one style."""
from __future__ import annotations

import matplotlib as mpl
import matplotlib.dates as mdates
import numpy as np
import pandas as pd
import pytest
from matplotlib.figure import Figure

from review import charts
from review.schema import split_multi

from test_build_helpers import synthetic_analysis, synthetic_config


@pytest.fixture(scope="module")
def analysis():
    return synthetic_analysis(100)


@pytest.fixture(scope="module")
def swimlane(analysis):
    return charts.plot_swimlane(analysis.timeline, analysis.flags, analysis.periods, synthetic_config())


def _artists(fig: Figure, prefix: str) -> list:
    return [a for a in fig.findobj(lambda a: (a.get_gid() or "").startswith(prefix))]


def _num(value) -> float:
    return float(mdates.date2num(pd.Timestamp(value).to_datetime64()))


def test_every_chart_returns_a_figure_without_touching_global_state(analysis):
    before = dict(mpl.rcParams)
    import matplotlib.pyplot as plt

    open_before = plt.get_fignums()
    figs = [
        charts.plot_swimlane(analysis.timeline, analysis.flags, analysis.periods, synthetic_config()),
        charts.plot_response_latency(analysis.response_latency),
        charts.plot_agency_knowledge(analysis.knowledge),
        charts.plot_contact_density(analysis.timeline),
    ]
    assert all(isinstance(f, Figure) for f in figs)
    assert plt.get_fignums() == open_before  # nothing registered with pyplot
    assert dict(mpl.rcParams) == before
    for fig in figs:
        assert fig._suptitle is not None and fig._suptitle.get_text()
        assert len(charts.alt_text(fig)) > 40


def test_swimlane_has_one_lane_per_agency_grouped_by_kind(swimlane, analysis):
    lanes = [a.get_gid().split(":", 1)[1] for a in _artists(swimlane, "lane:")]
    assert sorted(lanes) == sorted(analysis.timeline["agency"].unique())
    kinds = analysis.timeline.drop_duplicates("agency").set_index("agency")["agency_kind"]
    order = [charts.AGENCY_KINDS.index(kinds[a]) for a in lanes]
    assert order == sorted(order)  # grouped by agency kind, in vocabulary order
    ax = swimlane.axes[0]
    assert [t.get_text() for t in ax.get_yticklabels()] == [charts._truncate(a, 34) for a in lanes]


def test_swimlane_plots_every_contact_once_with_a_marker_per_type(swimlane, analysis):
    scatters = _artists(swimlane, "contacts:")
    assert sum(len(s.get_offsets()) for s in scatters) == len(analysis.timeline)
    types = {s.get_gid().split(":", 1)[1] for s in scatters}
    assert types == set(analysis.timeline["contact_type"])
    concerns = _artists(swimlane, "concerns")[0]
    assert len(concerns.get_offsets()) == int((analysis.timeline["concerns"] != "").sum())
    escalations = _artists(swimlane, "escalation:")
    assert len(escalations) == int((analysis.timeline["escalation"] != "").sum())


def test_same_day_contacts_in_a_lane_are_stacked_not_hidden(swimlane, analysis):
    points = np.concatenate([s.get_offsets() for s in _artists(swimlane, "contacts:")])
    assert len({(round(x, 6), round(y, 6)) for x, y in points}) == len(points)


def test_swimlane_callout_numbers_are_the_flag_rows(swimlane, analysis):
    callouts = sorted(_artists(swimlane, "flag:"), key=lambda t: int(t.get_gid().split(":")[1]))
    flags = analysis.flags.reset_index(drop=True)
    assert [int(t.get_text()) for t in callouts] == list(range(1, len(flags) + 1))
    for text in callouts:
        n = int(text.get_text())
        row = flags.iloc[n - 1]
        assert text.get_label() == row["flag_id"]
        assert text.xy[0] == pytest.approx(_num(row["trigger_date"]))
    # staggered: no two callouts on one row closer than their size
    ax = swimlane.axes[0]
    swimlane.canvas.draw() if hasattr(swimlane.canvas, "draw") else None
    positions = [ax.transData.transform(t.xyann) for t in callouts]
    for i, p in enumerate(positions):
        for q in positions[i + 1:]:
            assert abs(p[0] - q[0]) > 5 or abs(p[1] - q[1]) > 5


def test_swimlane_shades_exactly_the_periods(swimlane, analysis):
    spans = sorted(_artists(swimlane, "period:"), key=lambda a: int(a.get_gid().split(":")[2]))
    periods = analysis.periods.reset_index(drop=True)
    assert [a.get_gid().split(":")[1] for a in spans] == list(periods["kind"])
    review_end = _num(synthetic_config().review_date)
    for span, (_, period) in zip(spans, periods.iterrows()):
        xs = [span.get_x(), span.get_x() + span.get_width()]
        assert min(xs) == pytest.approx(_num(period["start"]))
        end = review_end if pd.isna(period["end"]) else _num(period["end"])
        end = max(end, _num(period["start"]) + 1.0)  # a same-day stay is shown one day wide
        assert max(xs) == pytest.approx(end)
        assert span.get_hatch()  # reads in greyscale


def test_swimlane_has_the_childs_age_as_a_secondary_axis(swimlane):
    ax = swimlane.axes[0]
    secondary = [c for c in ax.child_axes if c.get_gid() == "age_axis"]
    assert secondary and "age" in secondary[0].get_xlabel().lower()


def test_swimlane_is_legible_at_500_contacts(tmp_path):
    big = synthetic_analysis(500, seed=7)
    fig = charts.plot_swimlane(big.timeline, big.flags, big.periods, synthetic_config())
    assert sum(len(s.get_offsets()) for s in _artists(fig, "contacts:")) == len(big.timeline)
    assert tuple(fig.get_size_inches()) == pytest.approx(charts.A4_LANDSCAPE)


def test_swimlane_with_no_contacts_is_an_explained_empty_chart():
    empty = synthetic_analysis(20).timeline.iloc[0:0]
    fig = charts.plot_swimlane(empty, None, None, synthetic_config())
    assert "no dated contacts" in charts.alt_text(fig)


def test_response_latency_marks_late_and_never_escalated(analysis):
    latency = analysis.response_latency
    fig = charts.plot_response_latency(latency)
    bars = {a.get_gid().split(":")[1]: a.get_gid().split(":")[2] for a in _artists(fig, "latency:")}
    assert set(bars) == set(latency["event_id"])
    for row in latency.itertuples():
        if pd.isna(row.latency_days):
            assert bars[row.event_id] == "never"
        elif row.latency_days > row.expected_days or row.within_expected is False:
            assert bars[row.event_id] == "late"
        else:
            assert bars[row.event_id] == "ok"
    assert len(_artists(fig, "expected:")) == int(latency["expected_days"].notna().sum())
    never = [a for a in _artists(fig, "latency:") if a.get_gid().endswith(":never")]
    assert all(a.get_hatch() for a in never)
    assert "never escalated" in [t.get_text() for t in fig.axes[0].texts]
    flagged = set(latency.loc[latency["flagged"].fillna(False).astype(bool), "event_id"])
    labels = [t for t in fig.axes[0].get_yticklabels()]
    order = latency.sort_values(["date", "event_id"], kind="mergesort")["event_id"].tolist()
    for eid, label in zip(order, labels):
        assert (label.get_fontweight() == "bold") == (eid in flagged)
        assert label.get_text().startswith(charts.FLAG_MARK) == (eid in flagged)


def test_agency_knowledge_compares_known_to_agency_with_known_anywhere(analysis):
    knowledge = analysis.knowledge
    fig = charts.plot_agency_knowledge(knowledge)
    rows = {a.get_gid().split(":")[1]: a.get_gid().split(":")[2:] for a in _artists(fig, "knowledge:")}
    assert set(rows) == set(knowledge["decision_event_id"])
    for row in knowledge.itertuples():
        known, anywhere = rows[row.decision_event_id]
        assert int(known) == len(split_multi(row.concerns_known_to_agency))
        assert int(anywhere) == len(split_multi(row.concerns_known_anywhere))


def test_contact_density_counts_every_contact(analysis):
    timeline = analysis.timeline
    fig = charts.plot_contact_density(timeline)
    heat = _artists(fig, "density")[0]
    assert np.nansum(heat.get_array()) == len(timeline)
    bars = _artists(fig, "seen:")
    assert sum(b.get_height() for b in bars) == len(timeline)
    seen = sum(b.get_height() for b in bars if b.get_gid().startswith("seen:seen:"))
    assert seen == int(timeline["child_seen"].fillna(False).sum())
    not_seen = sum(b.get_height() for b in bars if b.get_gid().startswith("seen:not seen:"))
    assert all(b.get_hatch() for b in bars if b.get_gid().startswith("seen:not seen:"))
    assert not_seen == int((timeline["child_seen"] == False).sum())  # noqa: E712


def test_palette_is_okabe_ito_and_markers_are_distinct():
    assert set(charts.KIND_COLOURS.values()) <= set(charts.OKABE_ITO.values())
    # a marker is its shape and its fill: a conference is the home visit's square drawn hollow
    styles = {(m, t in charts.HOLLOW_CONTACT_TYPES) for t, m in charts.CONTACT_MARKERS.items()}
    assert len(styles) == len(charts.CONTACT_MARKERS)


def test_dollar_signs_in_agency_text_are_shown_literally(analysis):
    timeline = analysis.timeline.copy()
    timeline["agency"] = timeline["agency"].replace({"Police": "Police $5 unit $x$"})
    fig = charts.plot_swimlane(timeline, analysis.flags, analysis.periods, synthetic_config())
    from matplotlib.backends.backend_agg import FigureCanvasAgg

    FigureCanvasAgg(fig).draw()  # an unescaped "$5 unit $x$" would be read as mathtext
    assert any("Police \\$5" in t.get_text() for t in fig.axes[0].get_yticklabels())
