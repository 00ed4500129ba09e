"""Deterministic synthetic tables that keep the schema contracts, for chart/export/build tests.

Used until (and alongside) the sample case: `synthetic_analysis(n)` returns the tables `review.pipeline.analyse`
returns, built from a seeded generator so every call gives identical frames.
"""
from __future__ import annotations

import datetime as dt
from pathlib import Path
from types import SimpleNamespace

import numpy as np
import pandas as pd

from review.config import CaseConfig
from review.schema import FLAG_COLUMNS, RESPONSE_LATENCY_COLUMNS, TIMELINE_COLUMNS, conform, join_multi

AGENCIES = [
    ("GP Practice", "health", "Riverside Surgery"),
    ("Health Visiting", "health", "Community Health Trust"),
    ("North Middlesex University Hospital", "health", "North Middlesex University Hospital NHS Trust"),
    ("Children's Social Care", "social care", "Borough Council"),
    ("Police", "police", "Metropolitan Police"),
    ("Nursery", "education", "Little Steps Nursery"),
]
TYPES = ["home_visit", "clinic_appointment", "ae_attendance", "phone_call", "letter", "was_not_brought", "referral", "police_callout"]
CONCERNS = ["", "", "", "", "bruising", "neglect", "domestic_abuse", "head_injury; inconsistent_explanation"]


def synthetic_config(case_dir: Path | str = ".", case_id: str = "synthetic") -> CaseConfig:
    return CaseConfig(case_dir=Path(case_dir), case_id=case_id, date_of_birth=dt.date(2023, 1, 10),
                      mobile_from=dt.date(2023, 9, 1), review_date=dt.date(2024, 7, 31))


def synthetic_timeline(n: int = 100, seed: int = 4, case_id: str = "synthetic") -> pd.DataFrame:
    rng = np.random.default_rng(seed)
    start = pd.Timestamp("2023-01-20")
    days = np.sort(rng.integers(0, 540, n))
    rows = []
    for i, d in enumerate(days):
        agency, kind, org = AGENCIES[int(rng.integers(0, len(AGENCIES)))]
        ctype = TYPES[int(rng.integers(0, len(TYPES)))]
        concerns = CONCERNS[int(rng.integers(0, len(CONCERNS)))]
        seen = [True, False, None][int(rng.integers(0, 3))]
        rows.append(
            dict(
                case_id=case_id, event_id=f"e{i:04d}", date=start + pd.Timedelta(days=int(d)), date_precision="day",
                agency=agency, agency_kind=kind, organisation=org, role="practitioner", contact_type=ctype,
                child_seen=seen, description=f"Contact {i} by {agency}", action="", concerns=concerns,
                escalation="referral_to_csc" if ctype == "referral" else "",
                source_file=f"{kind.replace(' ', '_')}.xlsx", source_sheet="Chronology", source_row=i + 2, seq=i + 1,
            )
        )
    # same-day cluster and hostile text, so stacking and escaping are exercised
    for j in range(5):
        rows.append(dict(rows[10], event_id=f"s{j}", seq=n + j + 1, source_row=200 + j,
                         description=f"=HYPERLINK(\"http://x\",\"{j}\")" if j == 0 else "<script>alert(1)</script>" if j == 1 else "-2+3"))
    frame = pd.DataFrame(rows)
    frame["child_seen"] = frame["child_seen"].astype("boolean")
    frame = frame.sort_values(["date", "seq"], kind="mergesort").reset_index(drop=True)
    frame["seq"] = np.arange(1, len(frame) + 1)
    frame["age_days"] = (frame["date"] - pd.Timestamp("2023-01-10")).dt.days
    return conform(frame, TIMELINE_COLUMNS)


def synthetic_flags(timeline: pd.DataFrame) -> pd.DataFrame:
    concern_rows = timeline[timeline["concerns"] != ""].head(12)
    rows = []
    for i, row in enumerate(concern_rows.itertuples(index=False)):
        rows.append(
            dict(flag_id=f"injury_not_escalated-{row.event_id}", rule_id="injury_not_escalated",
                 severity=["high", "medium", "low"][i % 3], trigger_event_id=row.event_id, trigger_date=row.date,
                 evidence_event_ids=row.event_id, expected_action="referral_to_csc",
                 expected_by=row.date + pd.Timedelta(days=1), actual_action_event_id="", delay_days=pd.NA,
                 agencies=row.agency, failing_category="procedure",
                 explanation=f"Concern ({row.concerns}) recorded by {row.agency} was not referred <b>in time</b>.",
                 source="Working Together 2023, ch. 2"))
    flags = conform(pd.DataFrame(rows), FLAG_COLUMNS)
    return flags.sort_values(["trigger_date", "rule_id", "flag_id"], kind="mergesort").reset_index(drop=True)


def synthetic_periods() -> pd.DataFrame:
    return pd.DataFrame(
        {
            "kind": ["hospital", "cp_plan"],
            "start": pd.to_datetime(["2023-05-02", "2024-01-15"]),
            "end": pd.to_datetime(["2023-05-09", pd.NaT]),
            "agency": ["North Middlesex University Hospital", "Children's Social Care"],
            "evidence_event_ids": ["e0010", "e0050"],
        }
    )


def synthetic_latency(timeline: pd.DataFrame) -> pd.DataFrame:
    concern_rows = timeline[timeline["concerns"] != ""].head(15)
    rows = []
    for i, row in enumerate(concern_rows.itertuples(index=False)):
        latency = [0.0, 3.0, 12.0, None, 40.0][i % 5]
        rows.append(dict(event_id=row.event_id, date=row.date, agency=row.agency, agency_kind=row.agency_kind,
                         concerns=row.concerns, expected_days=2.0,
                         first_escalation_event_id="" if latency is None else "e0001",
                         first_escalation_date=pd.NaT if latency is None else row.date + pd.Timedelta(days=latency),
                         first_escalation="" if latency is None else "referral_to_csc",
                         latency_days=latency, within_expected=None if latency is None else latency <= 2,
                         flagged=latency is None or latency > 2))
    return conform(pd.DataFrame(rows), RESPONSE_LATENCY_COLUMNS)


def synthetic_knowledge(timeline: pd.DataFrame) -> pd.DataFrame:
    rows = []
    for i, row in enumerate(timeline.iloc[::25].itertuples(index=False)):
        anywhere = ["bruising", "domestic_abuse", "neglect"][: 1 + i % 3]
        known = anywhere[: i % 2 + 0]
        rows.append(dict(decision_event_id=row.event_id, date=row.date, deciding_agency="Children's Social Care",
                         decision=["referral_decision", "case_closure", "assessment"][i % 3],
                         concerns_known_to_agency=join_multi(known), concerns_known_anywhere=join_multi(anywhere),
                         missing_concerns=join_multi(set(anywhere) - set(known))))
    return pd.DataFrame(rows)


def synthetic_analysis(n: int = 100, seed: int = 4):
    timeline = synthetic_timeline(n, seed)
    flags = synthetic_flags(timeline)
    decisions = pd.DataFrame({"flag_id": [flags["flag_id"].iloc[0]], "decision": ["accept"],
                              "rationale": ["Agreed: no referral was made =1+1"], "author": ["Reviewer A"],
                              "date": [pd.Timestamp("2024-09-01")]})
    return SimpleNamespace(
        timeline=timeline, periods=synthetic_periods(), flags=flags, response_latency=synthetic_latency(timeline),
        knowledge=synthetic_knowledge(timeline), agency_summary=None, decisions=decisions, decision_problems=[],
    )


# ---------------------------------------------------------------------------------------------------
# A synthetic case folder and a stand-in for review.pipeline whose outputs depend on the inputs
# ---------------------------------------------------------------------------------------------------
CASE_YML = """case_id: synth-01
date_of_birth: 2023-01-10
mobile_from: 2023-09-01
review_date: 2024-07-31
child_name: Ava Stone
people:
  Kerry Stone: Mother
files:
  - path: health.csv
    agency: Health Visiting
"""


def make_case_dir(root: Path, threshold: int = 2) -> Path:
    """case.yml, one chronology (health.csv) and rules.yml (injury_not_escalated.within_days)."""
    case_dir = Path(root) / "synth-01"
    case_dir.mkdir(parents=True, exist_ok=True)
    (case_dir / "case.yml").write_text(CASE_YML, encoding="utf-8")
    lines = ["Date,Description"] + [f"{(dt.date(2023, 2, 1) + dt.timedelta(days=5 * i)):%d/%m/%Y},Visit {i}: Kerry Stone seen with Ava" for i in range(40)]
    (case_dir / "health.csv").write_text("\n".join(lines) + "\n", encoding="utf-8")
    set_threshold(case_dir, threshold)
    return case_dir


def set_threshold(case_dir: Path, days: int) -> None:
    (Path(case_dir) / "rules.yml").write_text(f"rules:\n  injury_not_escalated:\n    within_days: {days}\n", encoding="utf-8")


def fake_load_and_analyse(case_dir):
    """What review.pipeline will return, computed from the case folder so that inputs change outputs."""
    import yaml

    from review.config import load_case_config
    from review.ingest.report import FileReport, IngestReport

    config = load_case_config(case_dir)
    rows = pd.read_csv(Path(case_dir) / "health.csv")
    analysis = synthetic_analysis(100)
    timeline = analysis.timeline.copy()
    texts = rows["Description"].astype(str).tolist()
    timeline["description"] = [texts[i % len(texts)] if not str(d).startswith(("=", "<", "-")) else d
                               for i, d in enumerate(timeline["description"])]
    timeline["case_id"] = config.case_id
    analysis.timeline = timeline
    within = (yaml.safe_load((Path(case_dir) / "rules.yml").read_text()) or {})["rules"]["injury_not_escalated"]["within_days"]
    latency = analysis.response_latency.copy()
    latency["expected_days"] = pd.array([float(within)] * len(latency), dtype="Float64")
    analysis.response_latency = latency
    report = IngestReport(case_id=config.case_id)
    file_report = FileReport(file="health.csv", rows_read=len(rows) + 1, rows_accepted=len(rows), header_row=1)
    file_report.reject(len(rows) + 2, "Date", "date '31/02/2024' does not exist; =cmd|' /C calc'!A0")
    report.files.append(file_report)
    return SimpleNamespace(config=config, vocab={}, contacts=None, report=report), analysis
