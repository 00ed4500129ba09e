"""The timeline's periods (`review.timeline.periods`, ``in_hospital``, ``on_cp_plan``):

1. a discharge that did not happen ("Discharge postponed", "discharge delayed", "discharge not agreed",
   "Not discharged") ends no hospital stay (`review.timeline.discharge_held`): before, every row typed
   discharge ended the stay, so the child was out of hospital on paper while still on the ward;
2. a conference's outcome is read with the case's own vocabulary (its vocab.yml: a case folder's, a
   CaseConfig's ``vocab`` as a store gives it, or the store's case table through `CaseDates`), as ingest
   read the case's chronologies and the rules read its texts: before, `cp_plan_marker` read the package's
   negation cues only, and "Child protection plan not taken forward" started a plan in a case whose
   vocab.yml makes "not taken forward" a negation cue. `child_not_seen`'s check of a plan ended on the last
   day reads it so too.

The row-by-row baseline (benchmarks/baseline_rowwise.py) finds the same hospital periods.
"""
from __future__ import annotations

import datetime as dt
import json
import sys
from pathlib import Path

import pandas as pd
import pytest

from review.config import CaseConfig
from review.rules import load_rules
from review.rules.testing import make_timeline
from review.timeline import CaseDates, build_timeline, cp_plan_marker, discharge_held, periods

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "benchmarks"))
import baseline_rowwise  # noqa: E402

HOSPITAL = {"agency": "Hospital", "agency_kind": "health"}
CSC = {"agency": "Children's Social Care", "agency_kind": "social care"}
NOT_TAKEN_FORWARD = {"negation_post_cues": ["not taken forward"]}


def config(case_dir="/nonexistent", case_id="C1", **kw):
    return CaseConfig(case_dir=Path(case_dir), case_id=case_id, date_of_birth=dt.date(2023, 1, 1), **kw)


def stay(discharge_text):
    return [
        {"date": "2023-03-01", "contact_type": "admission", "description": "Admitted to the ward", **HOSPITAL},
        {"date": "2023-03-03", "contact_type": "discharge", "description": discharge_text, **HOSPITAL},
        {"date": "2023-03-05", "contact_type": "clinic_appointment", "description": "Reviewed on the ward", **HOSPITAL},
        {"date": "2023-03-08", "contact_type": "discharge", "description": "Discharged home with mother", **HOSPITAL},
    ]


def baseline_in_hospital(rows):
    timeline = make_timeline(rows)
    base_rows = []
    for r in timeline.astype(object).where(timeline.notna(), None).to_dict("records"):
        r["date"] = pd.Timestamp(r["date"]).to_pydatetime()
        base_rows.append(r)
    out, _ = baseline_rowwise.run(base_rows, {"C1": {"date_of_birth": dt.date(2023, 1, 1), "review_date": None}},
                                  load_rules())
    return [r["in_hospital"] for r in out]


# --- 1. discharges that did not happen ------------------------------------------------------------------------
@pytest.mark.parametrize("text", ["Discharge postponed", "Discharge delayed due to social care concerns",
                                  "Discharge not agreed", "Not discharged: awaiting strategy discussion",
                                  "Discharge deferred pending s47", "Discharge on hold", "Discharge cancelled"])
def test_a_discharge_that_did_not_happen_ends_no_stay(text):
    assert not discharge_held(text + " . ")
    timeline = build_timeline(make_timeline(stay(text)), config())
    spans = periods(timeline, config())
    assert spans[["kind", "start", "end"]].values.tolist() == [
        ["hospital", pd.Timestamp("2023-03-01"), pd.Timestamp("2023-03-08")]]
    assert spans["evidence_event_ids"].tolist() == ["C1-e001; C1-e004"]
    assert timeline["in_hospital"].tolist() == [True, True, True, True]
    assert baseline_in_hospital(stay(text)) == [True, True, True, True]


@pytest.mark.parametrize("text", ["Discharged home", "Discharge home with mother, GP informed",
                                  "Discharge summary: discharged after observation", "Medically fit, discharged"])
def test_a_discharge_ends_the_stay(text):
    assert discharge_held(text + " . ")
    timeline = build_timeline(make_timeline(stay(text)), config())
    assert periods(timeline, config())["end"].tolist() == [pd.Timestamp("2023-03-03")]
    assert timeline["in_hospital"].tolist() == [True, True, False, False]
    assert baseline_in_hospital(stay(text)) == [True, True, False, False]


# --- 2. the case's own vocabulary -----------------------------------------------------------------------------
PLAN = [
    {"date": "2023-04-01", "contact_type": "cp_conference", "description": "Child protection plan not taken forward",
     **CSC},
    {"date": "2023-04-05", "contact_type": "home_visit", "description": "Home visit", **CSC},
]


def test_cp_plan_marker_reads_a_vocabulary():
    key = json.dumps(NOT_TAKEN_FORWARD)
    assert cp_plan_marker("Child protection plan not taken forward") == 1
    assert cp_plan_marker("Child protection plan not taken forward", key) == 0
    assert cp_plan_marker("Child made subject to a child protection plan", key) == 1


def test_a_case_config_s_vocab_reaches_the_plan_periods():
    for case, on_plan in ((config(), True), (config(vocab=NOT_TAKEN_FORWARD), False),
                          (config(vocab={}), True)):
        timeline = build_timeline(make_timeline(PLAN), case)
        assert timeline["on_cp_plan"].tolist() == [on_plan, on_plan]
        assert (periods(timeline, case)["kind"] == "cp_plan").any() == on_plan


def test_a_case_folder_s_vocab_yml_reaches_the_plan_periods(tmp_path):
    (tmp_path / "vocab.yml").write_text("negation_post_cues: [not taken forward]\n", encoding="utf-8")
    timeline = build_timeline(make_timeline(PLAN), config(tmp_path))
    assert timeline["on_cp_plan"].tolist() == [False, False]


def test_each_case_of_a_batch_reads_its_own_vocabulary():
    rows = [{**r, "case_id": c} for c in ("C1", "C2") for r in PLAN]
    for i, r in enumerate(rows):
        r["event_id"] = f"e{i}"
    contacts = make_timeline(rows)
    mapping = {"C1": config(case_id="C1", vocab=NOT_TAKEN_FORWARD), "C2": config(case_id="C2")}
    table = pd.DataFrame({"case_id": ["C1", "C2"], "date_of_birth": ["2023-01-01"] * 2,
                          "vocab": [json.dumps(NOT_TAKEN_FORWARD), ""]})
    for case in (mapping, CaseDates(table)):
        timeline = build_timeline(contacts, case)
        assert dict(zip(timeline["case_id"], timeline["on_cp_plan"])) == {"C1": False, "C2": True}


def test_child_not_seen_reads_the_plan_s_end_with_the_case_s_vocabulary():
    """`child_not_seen` asks whether a conference on the last day ended the plan (`_plan_ended_on`): "Child
    protection plan nae ended" ends it with the package vocabulary, not in a case whose cue "nae" negates."""
    from review.rules import base
    from review.rules.child_not_seen import _plan_ended_on

    rows = [
        {"date": "2023-04-01", "contact_type": "cp_conference", "child_seen": True,
         "description": "Child made subject to a child protection plan", **CSC},
        {"date": "2023-06-01", "contact_type": "cp_conference", "description": "Child protection plan nae ended", **CSC},
    ]
    ended = {}
    for name, case in (("package", config()), ("nae", config(vocab={"negation_cues": ["nae"]}))):
        ctx = base.prepare(build_timeline(make_timeline(rows), case), case, load_rules()["settings"])
        ended[name] = _plan_ended_on(ctx, base.np.array([1])).tolist()
    assert ended == {"package": [True], "nae": [False]}
