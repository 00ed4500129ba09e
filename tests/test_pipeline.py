"""load_case + analyse on a small case folder written in tmp_path (two agencies' CSV chronologies)."""
from __future__ import annotations

import csv

import pandas as pd
import pytest
import yaml

from review.decisions import record_decision
from review.errors import ConfigError, DecisionError
from review.schema import FLAG_COLUMNS, TIMELINE_COLUMNS

pytest.importorskip("review.ingest.load", reason="review.ingest.load_contacts has not landed yet")
pytest.importorskip("review.vocab", reason="review.vocab (used by ingest) has not landed yet")
pytest.importorskip("review.rules", reason="review.rules has not landed yet")

from review.pipeline import Analysis, Case, analyse, load_case  # noqa: E402

HEADER = ["Date", "Type of contact", "Details", "Outcome/Action", "Seen"]
HEALTH_VISITING = [
    ["01/03/2023", "Home visit", "Joint home visit with social worker. Bruise to left cheek seen.", "Advice given", "Yes"],
    ["20/03/2023", "Clinic appointment", "Weighed at clinic, weight dropped centiles", "Review in 2 weeks", "Yes"],
]
SOCIAL_CARE = [
    ["01/03/2023", "Home visit", "Joint home visit with health visitor, bruise to left cheek seen.", "Discussed with manager", "Yes"],
    ["03/04/2023", "Initial child protection conference", "ICPC held",
     "Child made subject to a child protection plan under the category of neglect", ""],
]


def _write_case(case_dir, **extra):
    case_dir.mkdir(exist_ok=True)
    for name, rows in (("health_visiting.csv", HEALTH_VISITING), ("social_care.csv", SOCIAL_CARE)):
        with open(case_dir / name, "w", newline="", encoding="utf-8") as fh:
            csv.writer(fh).writerows([HEADER, *rows])
    config = {
        "case_id": "T1",
        "date_of_birth": "2022-12-10",
        "review_date": "2023-06-30",
        "files": [
            {"path": "health_visiting.csv", "agency": "Health Visiting"},
            {"path": "social_care.csv", "agency": "Children's Social Care"},
        ],
        **extra,
    }
    (case_dir / "case.yml").write_text(yaml.safe_dump(config), encoding="utf-8")
    return case_dir


def test_load_case_reads_every_file(tmp_path):
    case = load_case(_write_case(tmp_path / "case"))
    assert isinstance(case, Case)
    assert case.case_id == "T1" and case.case_dir == tmp_path / "case"
    assert len(case.contacts) == 4
    assert sorted(case.contacts["source_file"].unique()) == ["health_visiting.csv", "social_care.csv"]


def test_analyse_builds_every_table(tmp_path):
    case = load_case(_write_case(tmp_path / "case"))
    analysis = analyse(case)
    assert isinstance(analysis, Analysis)
    timeline = analysis.timeline
    assert list(timeline.columns[: len(TIMELINE_COLUMNS)]) == list(TIMELINE_COLUMNS)
    assert timeline["seq"].tolist() == [1, 2, 3, 4]
    # the joint visit reported by both agencies is one event
    joint = timeline[timeline["date"] == pd.Timestamp("2023-03-01")]
    assert joint["event_group"].nunique() == 1 and joint["agency"].nunique() == 2
    assert analysis.periods["kind"].tolist() == ["cp_plan"]
    assert analysis.periods["end"].tolist() == [pd.Timestamp("2023-06-30")]  # open at the review date
    assert list(analysis.flags.columns[: len(FLAG_COLUMNS)]) == list(FLAG_COLUMNS)
    assert set(analysis.flags["decision"]) <= {"pending"}
    assert analysis.agency_summary["contacts"].sum() == 4
    assert analysis.health_summary.startswith("2 contacts with health professionals")
    assert analysis.decisions.empty and analysis.decision_problems.empty


def test_decisions_are_carried_into_the_flags(tmp_path):
    case_dir = _write_case(tmp_path / "case")
    first = analyse(load_case(case_dir))
    if first.flags.empty:
        pytest.skip("the rules raised no flag on this small case")
    flag_id = first.flags["flag_id"].iloc[0]
    record_decision(case_dir, flag_id, "accepted", "agreed: bruise in a non-mobile baby", "Reviewer A",
                    date="2024-01-15")
    record_decision(case_dir, "gone-123", "rejected", "from an earlier run", "Reviewer A", date="2024-01-15")
    again = analyse(load_case(case_dir))
    assert again.flags["flag_id"].tolist() == first.flags["flag_id"].tolist()  # stable across re-runs
    decided = again.flags.set_index("flag_id").loc[flag_id]
    assert (decided["decision"], decided["decided_by"]) == ("accepted", "Reviewer A")
    assert again.decision_problems["flag_id"].tolist() == ["gone-123"]


def test_invalid_decisions_file_stops_the_analysis(tmp_path):
    case_dir = _write_case(tmp_path / "case")
    (case_dir / "decisions.csv").write_text("flag_id,decision,rationale,author,date\nx,maybe,why,A,2024-01-01\n",
                                            encoding="utf-8")
    with pytest.raises(DecisionError):
        analyse(load_case(case_dir))


def test_timeline_options_from_case_yml(tmp_path):
    strict = analyse(load_case(_write_case(tmp_path / "strict", timeline={"link_threshold": 101})))
    assert strict.timeline["event_group"].nunique() == 4
    with pytest.raises(ConfigError, match="unknown timeline option"):
        analyse(load_case(_write_case(tmp_path / "bad", timeline={"link_treshold": 90})))
