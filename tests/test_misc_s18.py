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


# -- a row about another child, named after "Contact re" (QA pass 3, CSC row 14) ---------------------------------
def _jayden_case(case_dir: Path) -> Path:
    import yaml

    case_dir.mkdir(parents=True)
    raw = {"case_id": "amara", "child_name": "Amara Hale", "date_of_birth": "2019-01-10", "review_date": "2020-06-30",
           "people": {"Amara Hale": "Child", "Leanne Hale": "Mother", "Jayden Hale": "Partner's son"}}
    (case_dir / "case.yml").write_text(yaml.safe_dump(raw), encoding="utf-8")
    lines = ["Date,Agency,Type,Details,Outcome",
             '28/01/2020,Westbridge CSC,Contact,"Grandmother rang: bruise to Amara\'s cheek.","Home visit booked"',
             '03/02/2020,Westbridge CSC,Contact,"Contact re Jayden Hale (aged 6, partner\'s son from a previous '
             'relationship) - his school reports poor attendance.","Passed to Eastvale. NFA here."',
             '04/02/2020,Westbridge CSC,Contact,"Referral regarding Jayden Hale: frightened at dad\'s house.","NFA"',
             '05/02/2020,Westbridge CSC,Contact,"Contact re Amara - aunt sent photos of bruising.","Visit booked"',
             '06/02/2020,Westbridge CSC,Contact,"Contact regarding Jayden and Amara: both seen at home.","Noted"']
    (case_dir / "csc.csv").write_text("\n".join(lines) + "\n", encoding="utf-8")
    return case_dir


def test_a_row_about_a_listed_child_after_contact_re_is_rejected_naming_file_row_and_column(tmp_path):
    from review.config import load_case_config
    from review.ingest import load_contacts

    contacts, report = load_contacts(load_case_config(_jayden_case(tmp_path / "a")))
    sheet = report.files[0]
    assert contacts["source_row"].tolist() == [2, 5, 6]  # Amara's, and the row about both children, are kept
    assert [(r.row, r.column) for r in sheet.rejections] == [(3, "Details"), (4, "Details")]
    assert all(r.reason.startswith("record of another child: the description opens with 'Jayden Hale'")
               for r in sheet.rejections)
    assert sheet.file.endswith("csc.csv")


# -- information_not_shared: one flag per concern, not per duplicate row (QA pass 3, nursery 'Concerns log') --------
def _nursery_rows(grouped: bool):
    import datetime as dt  # noqa: F401

    nursery = {"agency": "Little Stars Day Nursery", "agency_kind": "education", "contact_type": "other"}
    text = "Bruise to Amara's forehead noticed at drop off. Mum said she fell."
    rows = [
        {"date": "2019-11-18", "description": text, "concerns": "bruising", "event_id": "C1-e001", **nursery},
        {"date": "2019-11-18", "description": text, "concerns": "bruising", "event_id": "C1-e002", **nursery},
        {"date": "2019-12-02", "contact_type": "case_closure", "description": "Case closed. NFA.",
         "agency": "Westbridge Children's Social Care", "agency_kind": "social care", "event_id": "C1-e003"},
    ]
    if grouped:
        rows[0]["event_group"] = rows[1]["event_group"] = "C1-e001"
    return rows


# (s19: one flag per decision, so the two rows not linked are one flag too, both its evidence)
@pytest.mark.parametrize("grouped, expected", [(True, ["C1-e001"]), (False, ["C1-e001"])])
def test_the_same_entry_recorded_twice_is_one_concern_not_shared(grouped, expected):
    import datetime as dt
    import sys

    from review.config import CaseConfig
    from review.rules import detect, load_rules
    from review.rules.testing import make_timeline

    sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "benchmarks"))
    import baseline_rowwise

    rules = load_rules()
    timeline = make_timeline(_nursery_rows(grouped), dob="2019-01-10")
    case = CaseConfig(case_dir=".", case_id="C1", date_of_birth=dt.date(2019, 1, 10), review_date=dt.date(2020, 6, 30))
    flags = detect(timeline, case, rules, only=["information_not_shared"])
    assert flags["trigger_event_id"].tolist() == expected
    # both rows are the flag's evidence (one flag per decision)
    assert set(flags["evidence_event_ids"].iloc[0].split("; ")) >= {"C1-e001", "C1-e002"}
    if not grouped:
        return  # (the baseline links the two identical rows itself, as the timeline would)
    plain = []
    for r in timeline.astype(object).where(timeline.notna(), None).to_dict("records"):
        r["date"] = pd.Timestamp(r["date"]).to_pydatetime()
        plain.append(r)
    _, base = baseline_rowwise.run(plain, {"C1": {"date_of_birth": dt.date(2019, 1, 10),
                                                  "review_date": dt.date(2020, 6, 30)}}, rules)
    assert [f["trigger_event_id"] for f in base if f["rule_id"] == "information_not_shared"] == expected
