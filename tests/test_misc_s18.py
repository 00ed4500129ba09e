"""s18 QA pass 3 (the Amara case): a practitioner's name in brackets after their role and a police officer's collar
number are redacted as other professionals' names are; adding a finding never renumbers the rules' flags; the
contact-density chart's legend sits above the bars, never over them."""
from __future__ import annotations

import shutil
from pathlib import Path

import pandas as pd
import pytest

from review.decisions import ADDED_SOURCE, order_decided, record_decision
from review.explorer import flag_numbers
from review.pipeline import analyse, load_case
from review.redact import Redactor

PEOPLE = {"Amara Hale": "Child", "Leanne Hale": "Mother", "Kyle Dunn": "Mother's partner"}
AGENCIES = ("Westbridge Police", "Little Stars Day Nursery", "Riverside Surgery")
SAMPLE = Path(__file__).resolve().parents[1] / "data" / "cases" / "sample"


def _redactor() -> Redactor:
    return Redactor(people=PEOPLE, agencies=AGENCIES)


@pytest.mark.parametrize("text, expected", [
    # was kept while "Dr A Mensah" -> "Dr [name]" in the same build
    ("Key worker (Chloe) noted a bruise", "Key worker ([name]) noted a bruise"),
    ("DSL (R Patel) informed", "DSL ([name]) informed"),
    ("Seen by DSL R Patel", "Seen by DSL [name]"),
    ("HV (S Grant) visited", "HV ([name]) visited"),
    ("SENCO Jones rang", "SENCO [name] rang"),
    ("Dr A Mensah examined Amara", "Dr [name] examined Child"),
    ("HV S Grant", "HV [name]"),
    # a collar number names the officer as surely as a name
    ("PC 2231 attended", "PC [collar number] attended"),
    ("PCSO 7781 Jones spoke to Leanne", "PCSO [collar number] [name] spoke to Mother"),
    ("PC 1234 Smith attended", "PC [collar number] [name] attended"),
    ("Sgt 120 attended", "Sgt [collar number] attended"),
])
def test_a_practitioners_name_in_brackets_and_a_collar_number_are_hidden(text, expected):
    assert _redactor().text(text) == expected


@pytest.mark.parametrize("text", [
    "GP (Riverside Surgery) informed",  # an agency in brackets
    "HV (Mum present) visit",  # a family member in brackets
    "DSL informed",  # a role with no name
    "DS 2 days later",  # one digit: no collar number
    "Key worker (absent today) covered",
    "IRO review held",
])
def test_text_that_names_no_practitioner_is_left(text):
    assert _redactor().text(text) == text


def test_a_listed_family_members_name_in_brackets_after_a_role_is_their_pseudonym():
    # (the names pass reads "Leanne" first: the case's own person, not a practitioner)
    assert _redactor().text("Key worker (Leanne) rang") == "Key worker (Mother) rang"


def test_order_decided_puts_added_findings_after_the_rules_flags():
    decided = pd.DataFrame({
        "flag_id": ["b", "added:x:1", "a", "c"],
        "rule_id": ["r2", "nonmobile_injury", "r1", "r1"],
        "trigger_date": pd.to_datetime(["2020-03-01", "2020-01-01", "2020-02-01", "2020-04-01"]),
        "source": ["rule", ADDED_SOURCE, "rule", "rule"],
    })
    assert order_decided(decided)["flag_id"].tolist() == ["a", "b", "c", "added:x:1"]
    two = pd.concat([decided.assign(case_id="k2"), decided.assign(case_id="k1")], ignore_index=True)
    ordered = order_decided(two, by=["case_id"])
    assert ordered["case_id"].tolist() == ["k1"] * 4 + ["k2"] * 4
    assert ordered["flag_id"].tolist()[:4] == ["a", "b", "c", "added:x:1"]


def test_adding_a_finding_renumbers_none_of_the_rules_flags(tmp_path):
    case_dir = tmp_path / "sample"
    shutil.copytree(SAMPLE, case_dir)
    before = analyse(load_case(case_dir))
    numbers_before = flag_numbers(before.flags)
    rules_before = before.flags[before.flags["source"] != ADDED_SOURCE]
    # a finding on the case's earliest contact: by date it would come first and push every flag down one
    first = before.timeline.sort_values("date").iloc[0]
    record_decision(case_dir, "", "added", "Missed: the first contact already showed the concern", "Jane Okafor",
                    "2024-08-01", rule_id="nonmobile_injury", trigger_event_id=str(first["event_id"]),
                    timeline=before.timeline)
    after = analyse(load_case(case_dir))
    numbers_after = flag_numbers(after.flags)
    assert len(after.flags) == len(before.flags) + 1
    for fid in rules_before["flag_id"]:
        assert numbers_after[fid] == numbers_before[fid]
    added = after.flags[after.flags["source"] == ADDED_SOURCE]
    assert len(added) == len(before.flags[before.flags["source"] == ADDED_SOURCE]) + 1
    assert after.flags["source"].iloc[-1] == ADDED_SOURCE  # numbered after the rules' flags


def test_the_contact_density_legend_is_above_the_bars(tmp_path):
    from matplotlib.backends.backend_agg import FigureCanvasAgg

    from review.charts import plot_contact_density

    fig = plot_contact_density(analyse(load_case(SAMPLE)).timeline)
    FigureCanvasAgg(fig).draw()
    renderer = fig.canvas.get_renderer()
    bars_ax = next(ax for ax in fig.axes if ax.get_legend() is not None)
    legend_box = bars_ax.get_legend().get_window_extent(renderer)
    axes_box = bars_ax.get_window_extent(renderer)
    assert legend_box.y0 >= axes_box.y1 - 1  # above the plotting area, so it covers no bar
