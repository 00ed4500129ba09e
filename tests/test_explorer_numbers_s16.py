"""The explorer keeps the whole case's flag numbers however filtered; its text filters read dates day first
and a single string as one value; its flag lists name each flag in the reviewer's words."""
from pathlib import Path

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
import pandas as pd  # noqa: E402
import pytest  # noqa: E402

from review import charts  # noqa: E402
from review.errors import ConfigError  # noqa: E402
from review.explorer import (TimelineExplorer, filter_timeline, flag_evidence, flag_numbers,  # noqa: E402
                             flag_options, flags_view, shown_flags)
from review.pipeline import analyse, load_case  # noqa: E402

SAMPLE = Path(__file__).resolve().parents[1] / "data" / "cases" / "sample"


@pytest.fixture(scope="module")
def sample():
    case = load_case(SAMPLE)
    return case, analyse(case)


def _callouts(fig) -> dict[str, str]:
    """{flag_id: the number its callout shows}."""
    return {t.get_label(): t.get_text() for t in fig.findobj(lambda o: (o.get_gid() or "").startswith("flag:"))}


def _police(analysis):
    agencies = analysis.timeline["agency"].value_counts()
    # the agency whose contacts trigger flags that are not the first ones
    numbers = flag_numbers(analysis.flags)
    for agency in agencies.index:
        rows = filter_timeline(analysis.timeline, agencies=agency)
        shown = shown_flags(rows, analysis.flags)
        if len(shown) and min(numbers[f] for f in shown["flag_id"]) > 1:
            return rows, shown
    raise AssertionError("no agency triggers only later flags")


def test_filtered_swimlane_keeps_the_flags_table_numbers(sample):
    case, analysis = sample
    rows, shown = _police(analysis)
    table = flags_view(analysis.flags).set_index("flag_id")["flag_no"]
    fig = charts.plot_swimlane(rows, shown, analysis.periods, case.config, escalations=analysis.held_escalations)
    try:
        got = _callouts(fig)
    finally:
        plt.close(fig)
    assert got == {fid: str(table[fid]) for fid in shown["flag_id"]}
    assert got != {fid: str(n) for n, fid in enumerate(shown["flag_id"], start=1)}


def test_plot_swimlane_takes_the_numbers_for_a_users_subset(sample):
    case, analysis = sample
    rows, shown = _police(analysis)
    subset = analysis.flags[analysis.flags["flag_id"].isin(shown["flag_id"])]  # no flag_no column
    numbers = flag_numbers(analysis.flags)
    fig = charts.plot_swimlane(rows, subset, analysis.periods, case.config, flag_numbers=numbers)
    by_row = charts.plot_swimlane(rows, subset, analysis.periods, case.config,
                                  flag_numbers=[numbers[f] for f in subset["flag_id"]])
    default = charts.plot_swimlane(rows, subset, analysis.periods, case.config)
    try:
        assert _callouts(fig) == _callouts(by_row) == {f: str(numbers[f]) for f in subset["flag_id"]}
        # without numbers: the row order, as before
        assert _callouts(default) == {f: str(n) for n, f in enumerate(subset["flag_id"], start=1)}
    finally:
        for f in (fig, by_row, default):
            plt.close(f)


def test_whole_case_swimlane_numbers_unchanged(sample):
    case, analysis = sample
    fig = charts.plot_swimlane(analysis.timeline, analysis.flags, analysis.periods, case.config)
    try:
        assert _callouts(fig) == {f: str(n) for n, f in enumerate(analysis.flags["flag_id"], start=1)}
    finally:
        plt.close(fig)


def test_explorer_filtered_chart_and_dropdown_keep_numbers(sample, monkeypatch):
    case, analysis = sample
    drawn = []
    real = charts.plot_swimlane

    def spy(timeline, flags, *args, **kwargs):
        drawn.append(flags)
        return real(timeline, flags, *args, **kwargs)

    monkeypatch.setattr(charts, "plot_swimlane", spy)
    explorer = TimelineExplorer(analysis, case.config)
    rows, shown = _police(analysis)
    explorer.agencies.value = (rows["agency"].iloc[0],)
    numbers = flag_numbers(analysis.flags)
    assert drawn[-1]["flag_no"].tolist() == [numbers[f] for f in drawn[-1]["flag_id"]]
    assert set(drawn[-1]["flag_id"]) == set(shown["flag_id"])
    listed = [value for _, value in explorer.flag.options if value]
    assert listed == shown["flag_id"].tolist()
    first_label = explorer.flag.options[1][0]
    assert first_label.startswith(f"{numbers[listed[0]]}. {shown['rule_id'].iloc[0]} - ")


def test_flag_options_show_the_contact_date_to_its_precision(sample):
    _, analysis = sample
    flags = analysis.flags.head(1).drop(columns=["decision"], errors="ignore")
    timeline = analysis.timeline.copy()
    trigger = timeline["event_id"] == flags["trigger_event_id"].iloc[0]
    timeline.loc[trigger, "date_precision"] = "month"
    label, value = flag_options(flags, timeline)[0]
    day = pd.Timestamp(timeline.loc[trigger, "date"].iloc[0])
    agency = timeline.loc[trigger, "agency"].iloc[0]
    assert value == flags["flag_id"].iloc[0]
    assert label == f"1. {flags['rule_id'].iloc[0]} - {day:%b %Y} - {agency}"
    flags["decision"] = "rejected"
    assert flag_options(flags, timeline)[0][0].endswith(f"{agency} (rejected)")


def test_string_dates_are_read_day_first(sample):
    _, analysis = sample
    t = analysis.timeline
    days = t["date"].dropna().dt.normalize().drop_duplicates().sort_values()
    day = next(d for d in days if d.day <= 12 and d.day != d.month)
    by_date = filter_timeline(t, start=day, end=day)
    assert len(by_date)
    assert filter_timeline(t, start=f"{day:%d/%m/%Y}", end=f"{day:%d/%m/%Y}").equals(by_date)
    assert filter_timeline(t, start=f"{day:%Y-%m-%d}", end=f"{day:%Y-%m-%d}").equals(by_date)
    with pytest.raises(ConfigError, match="day first"):
        filter_timeline(t, start="March the first")
    with pytest.raises(ConfigError, match="31/02/2023"):
        filter_timeline(t, end="31/02/2023")


def test_a_single_string_is_one_value(sample):
    _, analysis = sample
    t = analysis.timeline
    agency = t["agency"].iloc[0]
    assert filter_timeline(t, agencies=agency).equals(filter_timeline(t, agencies=[agency]))
    assert len(filter_timeline(t, concerns="bruising")) == len(filter_timeline(t, concerns=["bruising"])) > 0
    kind = t["contact_type"].iloc[0]
    assert filter_timeline(t, contact_types=kind).equals(filter_timeline(t, contact_types=[kind]))


def test_flag_evidence_takes_a_flag_number(sample):
    _, analysis = sample
    second = analysis.flags["flag_id"].iloc[1]
    expected = flag_evidence(analysis.timeline, analysis.flags, second)
    for given in (2, "2", "#2"):
        assert flag_evidence(analysis.timeline, analysis.flags, given).equals(expected)
    with pytest.raises(KeyError, match="#1 to #"):
        flag_evidence(analysis.timeline, analysis.flags, len(analysis.flags) + 1)


def test_date_span_follows_the_contacts_precision():
    from review.explorer import date_span

    t = pd.DataFrame({"seq": [1, 2, 3], "date": pd.to_datetime(["2023-03-01", "2024-07-15", "2023-06-02"]),
                      "date_precision": ["season", "day", "day"], "agency": ["A", "B", "C"],
                      "description": ["x", "y", "z"]})
    assert date_span(t) == "Spring 2023 to 15/07/2024"
    assert date_span(t.assign(date=pd.NaT)) == "no dated contacts"
