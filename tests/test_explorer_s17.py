"""The explorer's charts and tables as a reviewer reads them: swimlane callouts numbered as the flags table
and counted as drawn, date labels that never repeat, a response latency chart that fits a page, contact
markers that differ in shape and fill, and plain sentences (not "Empty DataFrame") for empty results."""
import datetime as dt
from pathlib import Path

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
import pandas as pd  # noqa: E402
import pytest  # noqa: E402

from review import charts  # noqa: E402
from review.config import CaseConfig  # noqa: E402
from review.errors import ReviewError  # noqa: E402
from review.explorer import (Sentence, filter_timeline, flag_numbers, flags_view, rejections_view,  # noqa: E402
                             shown_flags, table_or_sentence, wrapped)
from review.pipeline import analyse, load_case  # noqa: E402

from test_build_helpers import synthetic_timeline  # noqa: E402

SAMPLE = Path(__file__).resolve().parents[1] / "data" / "cases" / "sample"
NOTEBOOKS = Path(__file__).resolve().parents[1] / "notebooks"


@pytest.fixture(scope="module")
def sample():
    case = load_case(SAMPLE)
    return case, analyse(case)


def _callouts(fig) -> dict[str, str]:
    """{flag_id: the number its callout shows}."""
    return {t.get_label(): t.get_text() for t in fig.findobj(lambda o: (o.get_gid() or "").startswith("flag:"))}


# ---------------------------------------------------------------------------------------------------
# 1. Swimlane callouts: the flags table's numbers, and only the flags drawn counted
# ---------------------------------------------------------------------------------------------------
def test_a_bare_subset_is_numbered_by_its_place_in_all_flags(sample):
    case, analysis = sample
    flags = analysis.flags
    subset = flags[flags["rule_id"] == flags["rule_id"].iloc[-1]].sort_values("trigger_date", ascending=False)
    assert "flag_no" not in subset.columns and len(subset) >= 1
    position = {fid: str(n) for n, fid in enumerate(flags["flag_id"], start=1)}
    fig = charts.plot_swimlane(analysis.timeline, subset, analysis.periods, case.config,
                               escalations=analysis.held_escalations, all_flags=flags)
    try:
        assert _callouts(fig) == {fid: position[fid] for fid in subset["flag_id"]}
        assert min(int(n) for n in _callouts(fig).values()) > 1  # the last rule's flags are not the first ones
    finally:
        plt.close(fig)


def test_a_bare_subset_without_all_flags_is_numbered_in_its_own_order(sample):
    """The documented fallback: nothing says where the flags stand in the case's table."""
    case, analysis = sample
    subset = analysis.flags.tail(3)
    fig = charts.plot_swimlane(analysis.timeline, subset, analysis.periods, case.config,
                               escalations=analysis.held_escalations)
    try:
        assert _callouts(fig) == {fid: str(n) for n, fid in enumerate(subset["flag_id"], start=1)}
    finally:
        plt.close(fig)
    assert "all_flags" in charts.plot_swimlane.__doc__ and "1..n" in charts.plot_swimlane.__doc__


def test_all_flags_that_lack_a_flag_is_refused_naming_it(sample):
    case, analysis = sample
    flags = analysis.flags
    with pytest.raises(ReviewError, match=flags["flag_id"].iloc[0]):
        charts.plot_swimlane(analysis.timeline, flags.head(2), analysis.periods, case.config,
                             escalations=analysis.held_escalations, all_flags=flags.iloc[1:])


def test_a_date_range_counts_and_draws_only_its_flags(sample):
    case, analysis = sample
    timeline, flags = analysis.timeline, analysis.flags
    start, end = pd.Timestamp("2023-09-01"), pd.Timestamp("2023-12-31")
    rows = filter_timeline(timeline, start=start, end=end)
    in_range = shown_flags(rows, flags)
    assert 0 < len(in_range) < len(flags)
    config = CaseConfig(case_dir=SAMPLE, case_id=case.config.case_id, date_of_birth=case.config.date_of_birth)
    # the whole case's flags given with a filtered timeline: those outside the dates are neither drawn nor counted
    fig = charts.plot_swimlane(rows, flags, analysis.periods, config, escalations=analysis.held_escalations,
                               all_flags=flags)
    try:
        drawn = _callouts(fig)
        title = fig._suptitle.get_text()
        alt = charts.alt_text(fig)
    finally:
        plt.close(fig)
    assert set(drawn) == set(in_range["flag_id"])
    assert drawn == {fid: str(n) for fid, n in zip(in_range["flag_id"], in_range["flag_no"])}
    assert f"{len(in_range)} flags" in " ".join(title.split())
    assert f"{len(flags)} flags" not in " ".join(title.split())
    assert f"{len(in_range)} flags are numbered" in alt


# ---------------------------------------------------------------------------------------------------
# 2. Date labels never repeat
# ---------------------------------------------------------------------------------------------------
def _date_labels(fig) -> list[str]:
    fig.draw_without_rendering()
    ax = fig.axes[0]
    lo, hi = ax.get_xlim()
    formatter = ax.xaxis.get_major_formatter()
    return [formatter(v) for v in ax.get_xticks() if lo <= v <= hi]


@pytest.mark.parametrize("months", [3, 5, 7])
@pytest.mark.parametrize("resolution", ["day", "month"])
def test_date_labels_are_unique_over_a_few_months(months, resolution):
    timeline = synthetic_timeline(60)
    first = pd.Timestamp("2023-03-17")
    days = np.linspace(0, months * 30.44, len(timeline)).round()
    timeline["date"] = first + pd.to_timedelta(days, unit="D")
    config = CaseConfig(case_dir=Path("."), case_id="span", date_of_birth=dt.date(2023, 1, 10))
    fig = charts.plot_swimlane(timeline, None, None, config, date_resolution=resolution,
                               escalations=[False] * len(timeline))
    try:
        labels = _date_labels(fig)
    finally:
        plt.close(fig)
    assert len(labels) >= 3, labels
    assert len(set(labels)) == len(labels), labels


def test_long_spans_are_labelled_by_calendar_months_or_years():
    for days, expected in ((500, "%b\n%Y"), (4000, "%Y")):
        locator, formatter = charts._date_axis(days)
        assert formatter.fmt == expected
    locator, formatter = charts._date_axis(60)
    assert formatter.fmt == "%d %b\n%Y"  # a short span: its days


# ---------------------------------------------------------------------------------------------------
# 3. The response latency chart fits a page
# ---------------------------------------------------------------------------------------------------
def test_the_samples_latency_chart_fits_an_a4_page_with_readable_rows(sample):
    _, analysis = sample
    latency = analysis.response_latency
    fig = charts.plot_response_latency(latency, timeline=analysis.timeline)
    try:
        width, height = fig.get_size_inches()
        bars = [p for p in fig.axes[0].patches if (p.get_gid() or "").startswith("latency:")]
        labels = fig.axes[0].get_yticklabels()
    finally:
        plt.close(fig)
    assert height <= charts.A4_LANDSCAPE[1] + 1e-9  # was 14 inches
    assert len(bars) == len(latency)  # every concern still drawn
    assert (height - charts._LATENCY_OVERHEAD_IN) / len(latency) >= charts._LATENCY_MIN_ROW_IN - 1e-9
    assert min(t.get_fontsize() for t in labels) >= 6.5


def test_a_long_latency_table_is_limited_with_a_note_keeping_the_late_ones(sample):
    _, analysis = sample
    big = pd.concat([analysis.response_latency] * 4, ignore_index=True)
    big["event_id"] = [f"x{i}" for i in range(len(big))]
    fig = charts.plot_response_latency(big)
    try:
        height = fig.get_size_inches()[1]
        statuses = {p.get_gid().split(":")[1]: p.get_gid().split(":")[2]
                    for p in fig.axes[0].patches if (p.get_gid() or "").startswith("latency:")}
        note = fig.axes[0].get_title(loc="left")
        title = fig._suptitle.get_text()
    finally:
        plt.close(fig)
    assert height <= charts.A4_LANDSCAPE[1] + 1e-9  # the note inside the page (8.52 in before s20)
    assert len(statuses) == charts._LATENCY_MAX_ROWS_NOTED < len(big)
    assert f"{charts._LATENCY_MAX_ROWS_NOTED} of {len(big)} concerns drawn" in " ".join(note.split())
    # more concerns not escalated in time or flagged than fit: only those are drawn, the earliest first
    flagged = set(big.loc[big["flagged"].fillna(False).astype(bool), "event_id"])
    assert all(status != "ok" or eid in flagged for eid, status in statuses.items())
    never = big.loc[big["first_escalation_event_id"].astype("string").fillna("") == "", "event_id"]
    assert set(never[: charts._LATENCY_MAX_ROWS_NOTED]) <= set(statuses)
    assert f"of {len(big)}" in " ".join(title.split())  # the title still counts every concern


def test_rows_shown_keep_the_wanted_first_in_table_order():
    wanted = np.array([False, True, False, True, False, False])
    assert charts._latency_rows_shown(wanted, 10).tolist() == [0, 1, 2, 3, 4, 5]
    assert charts._latency_rows_shown(wanted, 3).tolist() == [0, 1, 3]
    assert charts._latency_rows_shown(wanted, 1).tolist() == [1]


# ---------------------------------------------------------------------------------------------------
# 6. Clinic, conference and core group markers differ in shape and fill
# ---------------------------------------------------------------------------------------------------
def test_clinic_conference_and_core_group_markers_differ_in_shape_and_fill(sample):
    styles = {t: (charts.CONTACT_MARKERS[t], t in charts.HOLLOW_CONTACT_TYPES)
              for t in ("clinic_appointment", "cp_conference", "core_group")}
    assert len({m for m, _ in styles.values()}) == 3  # three shapes
    assert styles["clinic_appointment"][1] is False and styles["cp_conference"][1] and styles["core_group"][1]
    circle_like = {"o", "h", "H", "8", "p"}
    assert sum(m in circle_like for m, _ in styles.values()) == 1  # only the clinic's is round
    case, analysis = sample
    fig = charts.plot_swimlane(analysis.timeline, analysis.flags, analysis.periods, case.config,
                               escalations=analysis.held_escalations)
    try:
        by_gid = {a.get_gid(): a for a in fig.axes[0].collections if a.get_gid()}
        conference, clinic = by_gid["contacts:cp_conference"], by_gid["contacts:clinic_appointment"]
        assert np.allclose(conference.get_facecolor()[:, :3], 1.0)  # hollow: white inside
        assert not np.allclose(conference.get_edgecolor()[:, :3], 1.0)  # a coloured edge
        assert not np.allclose(clinic.get_facecolor()[:, :3], 1.0)  # filled
        legend = {h.get_label(): h for h in fig.legends[0].legend_handles}
        assert legend["CP conference"].get_markerfacecolor() == "white"
        assert legend["clinic appointment"].get_markerfacecolor() != "white"
    finally:
        plt.close(fig)


# ---------------------------------------------------------------------------------------------------
# 4. Empty results as a sentence; 5. rejection reasons in full, rows as whole numbers
# ---------------------------------------------------------------------------------------------------
def test_an_empty_table_is_shown_as_a_sentence(sample):
    _, analysis = sample
    none = analysis.flags.iloc[:0]
    shown = table_or_sentence(flags_view(none), "No flags in this range.")
    assert isinstance(shown, Sentence)
    assert repr(shown) == str(shown) == "No flags in this range."
    assert shown._repr_html_() == "<p>No flags in this range.</p>"
    assert "Empty DataFrame" not in repr(shown)
    assert table_or_sentence(None, "Nothing.") == Sentence("Nothing.")
    assert table_or_sentence(pd.DataFrame({"a": [1]}).style, "x").data.shape == (1, 1)
    full = flags_view(analysis.flags)
    assert table_or_sentence(full, "No flags in this range.") is full
    assert Sentence("a <b>")._repr_html_() == "<p>a &lt;b&gt;</p>"


def test_flags_view_keeps_the_whole_case_numbers_of_shown_flags(sample):
    _, analysis = sample
    rows = filter_timeline(analysis.timeline, start="2023-09-01", end="2023-12-31")
    view = flags_view(shown_flags(rows, analysis.flags))
    numbers = flag_numbers(analysis.flags)
    assert view["flag_no"].tolist() == [numbers[f] for f in view["flag_id"]]
    assert view["flag_no"].iloc[0] > 1


def test_rejections_view_rows_are_whole_numbers_and_reasons_in_full():
    reason = ("date '31/02/2023' is not a date: February has 28 days in 2023; correct the cell in the agency's "
              "file or ask the agency for the contact's date")
    assert len(reason) > 80
    frame = pd.DataFrame([["gp.xlsx", "Chronology", 4, "Date", "rejected", reason],
                          ["gp.xlsx", "Chronology", None, None, "warning", "1 row(s) above the header skipped"]],
                         columns=["file", "sheet", "row", "column", "kind", "reason"])
    assert frame["row"].dtype == "float64"  # as a frame of float rows gives it (`rejections_frame` did before s17): 4.0
    view = rejections_view(frame)
    assert str(view["row"].dtype) == "Int64"
    assert view["row"].iloc[0] == 4 and pd.isna(view["row"].iloc[1])
    assert "4.0" not in view.to_string()
    html = wrapped(view, ["reason"]).to_html()
    assert reason.replace("'", "&#x27;") in html or reason in html  # in full, not cut at 80 characters
    assert "pre-wrap" in html and ">4<" in html and "4.0" not in html
    assert wrapped(view, ["reason"]).to_html() == html  # no random id: an executed notebook is the same every run


def test_the_notebooks_use_the_helpers():
    first = (NOTEBOOKS / "01_ingest_and_validate.py").read_text(encoding="utf-8")
    assert "rejections_view(" in first and "wrapped(" in first
    for name in ("02_timeline_explorer", "03_missed_escalations"):
        text = (NOTEBOOKS / f"{name}.py").read_text(encoding="utf-8")
        assert "table_or_sentence(" in text
