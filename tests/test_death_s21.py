"""QA12 (a synthetic SUDI case, s21): the child's death and the records after it, a transfer in, safe sleep.

- D9: the A&E record of a child brought in in cardiac arrest / pronounced dead (on the day of death) is no sighting
  that ends child_not_seen's unseen stretch: with a date_of_death it runs to the death ("no sighting is recorded
  before the child's death");
- D10: a records-transfer note ("Family moved. Records transfer requested") is no contact with the family: no
  unseen stretch's trigger;
- D20: records on or after the death (the death scene, the conference cancelled because the child died) are no
  concern awaiting an escalation (response_latency) nor a live decision (agency_knowledge);
- D1: transfer_in_conference_late: the sending authority's "Transfer-in notification sent to ...; case remains open
  until transfer-in conference" is no notification it received; a conference booked for a day past the deadline,
  the child dying before the deadline, is flagged (booked_after_deadline);
- D14/D15: police "Sudden death of a child" a police call-out; "mid October 2023" about the 15th; a partial date
  whose period runs past the death warned;
- unsafe_sleep (E7/E12): co-sleeping, a baby asleep on a sofa, no cot: a concern tag, counted by response latency
  and agency knowledge;
- D7: "Did not attend." - "Rebooked; no further action." is no decision about the child.
Each rule change is checked in the package and in the row-by-row baseline (benchmarks/baseline_rowwise.py)."""
from __future__ import annotations

import datetime as dt
import sys
from pathlib import Path

import pandas as pd
import pytest

from review.config import CaseConfig, load_vocab, package_data
from review.ingest.checks import check_rows
from review.ingest.dates import parse_date
from review.ingest.report import FileReport
from review.rules import agency_knowledge, detect, load_rules, response_latency
from review.rules.testing import make_timeline
from review.rules.transfer_in_conference_late import booked_date
from review.schema import CONTACT_COLUMNS, conform
from review.vocab import classify_contact_type, tag_concerns

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "benchmarks"))
import baseline_rowwise  # noqa: E402

RULES = load_rules()
DOB = "2023-06-12"
CSC = {"agency": "Westmoor Children's Social Care", "agency_kind": "social care"}
KELSHAM = {"agency": "Kelsham Children's Services", "agency_kind": "social care"}
HV = {"agency": "Westmoor Health Visiting", "agency_kind": "health"}
ED = {"agency": "Kelsham Royal Hospital", "agency_kind": "health"}
POLICE = {"agency": "Westmoor Police", "agency_kind": "police"}
ICPC = "Initial child protection conference: child made subject to a child protection plan (neglect)."


def day(d):
    return pd.Timestamp(d).date() if d else None


def _case(death=None, review="2023-12-31"):
    return CaseConfig(case_dir=".", case_id="C1", date_of_birth=day(DOB), date_of_death=day(death),
                      review_date=day(review))


def package(rows, rule, death=None, review="2023-12-31"):
    return detect(make_timeline(rows, dob=DOB), _case(death, review), RULES, only=[rule])


def baseline(rows, rule, death=None, review="2023-12-31"):
    timeline = make_timeline(rows, dob=DOB)
    base = []
    for r in timeline.astype(object).where(timeline.notna(), None).to_dict("records"):
        r["date"] = pd.Timestamp(r["date"]).to_pydatetime()
        base.append(r)
    info = {"C1": {"date_of_birth": day(DOB), "review_date": day(review), "date_of_death": day(death)}}
    _, flags = baseline_rowwise.run(base, info, RULES)
    return [f for f in flags if f["rule_id"] == rule]


def pairs(flags) -> list[tuple[str, str]]:
    if isinstance(flags, list):
        return sorted((f["trigger_event_id"], f["actual_action_event_id"] or "") for f in flags)
    return sorted(zip(flags["trigger_event_id"], flags["actual_action_event_id"].fillna("")))


# D9: the record of the death is no sighting -------------------------------------------------------------------

PLAN = {"date": "2023-09-01", "contact_type": "cp_conference", "description": ICPC, "child_seen": True,
        "on_cp_plan": True, "escalation": "cp_conference", "event_id": "E1", **CSC}
UNSEEN = {"date": "2023-09-20", "contact_type": "home_visit", "description": "No reply at the door.",
          "child_seen": False, "on_cp_plan": True, "event_id": "E2", **CSC}
ARREST = {"date": "2023-09-25 08:20", "contact_type": "ae_attendance", "child_seen": True, "on_cp_plan": True,
          "event_id": "E3", **ED,
          "description": "Brought in by ambulance in cardiac arrest after being found unresponsive. Resuscitation "
                         "unsuccessful; pronounced dead 08:52.", "action": "SUDI protocol started."}


def test_the_ae_record_of_a_child_brought_in_dead_is_no_sighting():
    rows = [PLAN, UNSEEN, ARREST]
    flags = package(rows, "child_not_seen", death="2023-09-25")
    gap = flags[flags["trigger_event_id"] == "E2"]
    assert len(gap) >= 1
    text = " ".join(gap["explanation"])
    assert "no sighting is recorded before the child's death on 25 Sep 2023" in text
    assert "next recorded sighting came on 25 Sep" not in text
    assert set(gap["actual_action_event_id"].fillna("")) == {""}
    assert pairs(flags) == pairs(baseline(rows, "child_not_seen", death="2023-09-25"))


def test_without_a_death_the_same_attendance_is_still_a_sighting():
    # (no date of death: the rows describe a resuscitation the child survived; the attendance saw the child)
    rows = [PLAN, UNSEEN, ARREST]
    flags = package(rows, "child_not_seen")
    gap = flags[(flags["trigger_event_id"] == "E2") & (flags["actual_action_event_id"] == "E3")]
    assert len(gap) == 1
    assert pairs(flags) == pairs(baseline(rows, "child_not_seen"))


def test_a_sighting_on_the_day_of_death_without_death_words_still_counts():
    seen = {**ARREST, "contact_type": "home_visit", "description": "Child seen and weighed.", "action": "",
            "date": "2023-09-25 09:00", **CSC}
    rows = [PLAN, UNSEEN, seen]
    flags = package(rows, "child_not_seen", death="2023-09-25")
    assert "E3" in set(flags["actual_action_event_id"].fillna(""))
    assert pairs(flags) == pairs(baseline(rows, "child_not_seen", death="2023-09-25"))


# D10: a records transfer is no contact --------------------------------------------------------------------------

TRANSFER = {"date": "2023-09-20", "contact_type": "other", "on_cp_plan": True, "event_id": "E2", **HV,
            "description": "Family moved to Kelsham. Records transfer requested by Kelsham 0-19 service.",
            "action": "Electronic records sent to Kelsham 0-19."}
VISIT = {"date": "2023-09-27", "contact_type": "home_visit", "description": "Home visit, no reply.",
         "child_seen": False, "on_cp_plan": True, "event_id": "E3", **CSC}


def test_a_records_transfer_is_no_contact_that_triggers_child_not_seen():
    rows = [{**PLAN, "agency": "Westmoor Children's Social Care"}, TRANSFER, VISIT]
    flags = package(rows, "child_not_seen")
    gaps = flags[flags["variant"].astype(str).str.startswith("cp_plan")] if "variant" in flags else flags
    assert "E2" not in set(flags["trigger_event_id"])
    assert "E3" in set(gaps["trigger_event_id"])
    assert pairs(flags) == pairs(baseline(rows, "child_not_seen"))


def test_a_contact_of_type_other_that_is_no_records_transfer_still_triggers():
    note = {**TRANSFER, "description": "Phoned mother: child asleep, not seen.", "action": "", "child_seen": False}
    rows = [PLAN, note]
    flags = package(rows, "child_not_seen")
    assert "E2" in set(flags["trigger_event_id"])
    assert pairs(flags) == pairs(baseline(rows, "child_not_seen"))


# D20: records on or after the death are no live concern or decision ----------------------------------------------

def _knowledge_rows():
    return [
        {"date": "2023-09-10", "contact_type": "home_visit", "concerns": "neglect", "event_id": "E1",
         "description": "Home conditions poor.", **HV},
        {"date": "2023-09-14 07:55", "contact_type": "police_callout", "concerns": "substance_misuse", "event_id": "E2",
         "description": "Attended: child found unresponsive; cannabis and cocaine found.", **POLICE},
        {"date": "2023-09-19", "contact_type": "case_closure", "event_id": "E3",
         "description": "Transfer-in conference cancelled following the child's death.", "action": "Case closed.",
         **KELSHAM},
    ]


def test_latency_and_knowledge_leave_out_the_records_on_or_after_the_death():
    timeline = make_timeline(_knowledge_rows(), dob=DOB)
    latency = response_latency(timeline, None, RULES, _case("2023-09-14"))
    assert set(latency["event_id"]) == {"E1"}
    knowledge = agency_knowledge(timeline, RULES, _case("2023-09-14"))
    assert "E3" not in set(knowledge["decision_event_id"])


def test_a_concern_at_the_death_answered_that_day_stays_in_latency():
    # (the bundled sample: injuries found at the death, a police investigation opened at once)
    rows = [{"date": "2023-09-14 09:05", "contact_type": "ae_attendance", "concerns": "non_accidental", "event_id": "E1",
             "description": "Brought in in cardiac arrest; pronounced dead. Non-accidental injury suspected.", **ED},
            {"date": "2023-09-14 09:30", "contact_type": "police_callout", "concerns": "non_accidental",
             "escalation": "police_investigation", "event_id": "E2", "description": "Criminal investigation opened.",
             **POLICE}]
    latency = response_latency(make_timeline(rows, dob=DOB), None, RULES, _case("2023-09-14"))
    assert set(latency["event_id"]) == {"E1", "E2"}
    assert set(latency["first_escalation_event_id"]) == {"E2"}


def test_a_concern_of_the_living_child_on_the_day_of_death_stays_in_latency():
    # a bruise seen at a morning visit, the child dying later that day: the living child's concern (censored)
    rows = [{"date": "2023-09-14 09:00", "contact_type": "home_visit", "concerns": "bruising", "event_id": "E1",
             "description": "Bruise to the cheek.", **HV}]
    latency = response_latency(make_timeline(rows, dob=DOB), None, RULES, _case("2023-09-14"))
    assert list(latency["event_id"]) == ["E1"]


def test_without_a_death_latency_and_knowledge_keep_them():
    timeline = make_timeline(_knowledge_rows(), dob=DOB)
    latency = response_latency(timeline, None, RULES, _case(None))
    assert {"E1", "E2"} <= set(latency["event_id"])
    knowledge = agency_knowledge(timeline, RULES, _case(None))
    assert "E3" in set(knowledge["decision_event_id"])


# D1: transfer_in_conference_late ---------------------------------------------------------------------------------

SENT = {"date": "2023-09-25", "contact_type": "letter", "on_cp_plan": True, "event_id": "S1", **CSC,
        "description": "Transfer-in notification sent to Kelsham Children's Services (CP plan, neglect).",
        "action": "Case remains open to Westmoor until transfer-in conference."}
RECEIVED = {"date": "2023-09-26", "contact_type": "letter", "on_cp_plan": True, "event_id": "R1", **KELSHAM,
            "description": "Notification of transfer received from Westmoor: child subject to a CP plan (neglect).",
            "action": "Passed to the child protection conference unit."}
BOOKED = {"date": "2023-10-05", "contact_type": "cp_conference", "on_cp_plan": True, "event_id": "B1", **KELSHAM,
          "description": "Transfer-in conference booked for 19/10/2023 (first chair availability).",
          "action": "Invitations sent."}


def test_the_sending_authoritys_record_is_no_notification_received():
    rows = [SENT, RECEIVED]
    flags = package(rows, "transfer_in_conference_late", review="2023-10-31")
    assert list(flags["trigger_event_id"]) == ["R1"]
    assert pairs(flags) == pairs(baseline(rows, "transfer_in_conference_late", review="2023-10-31"))


def test_the_sending_authoritys_later_record_of_the_transfer_is_none_either():
    later = {**SENT, "date": "2023-09-27", "event_id": "S2", "description": "Awaiting transfer-in conference.",
             "action": ""}
    rows = [SENT, later, RECEIVED]
    flags = package(rows, "transfer_in_conference_late", review="2023-10-31")
    assert list(flags["trigger_event_id"]) == ["R1"]
    assert pairs(flags) == pairs(baseline(rows, "transfer_in_conference_late", review="2023-10-31"))


def test_a_conference_booked_past_the_deadline_is_flagged_though_the_child_died_before_it():
    rows = [SENT, RECEIVED, BOOKED]
    flags = package(rows, "transfer_in_conference_late", death="2023-10-14")
    assert len(flags) == 1
    f = flags.iloc[0]
    assert f["trigger_event_id"] == "R1" and f["expected_by"] == pd.Timestamp("2023-10-17")
    assert f["delay_days"] == 2 and (f["actual_action_event_id"] or "") == ""
    assert "B1" in f["evidence_event_ids"]
    assert ("on 5 Oct 2023 booked the transfer-in child protection conference for 19 Oct 2023, after the 15 working "
            "day deadline of 17 Oct 2023; the child died on 14 Oct 2023, before the deadline.") in f["explanation"]
    base = baseline(rows, "transfer_in_conference_late", death="2023-10-14")
    assert [(b["trigger_event_id"], b["variant"], b["delay_days"]) for b in base] == \
        [("R1", "booked_after_deadline", 2.0)]
    assert flags.iloc[0]["flag_id"] == base[0]["flag_id"]


@pytest.mark.parametrize("booked", [None, "Transfer-in conference booked for 16/10/2023.",
                                    "Transfer-in conference to be booked."])
def test_no_booking_past_the_deadline_leaves_the_death_case_unflagged(booked):
    rows = [SENT, RECEIVED] + ([{**BOOKED, "description": booked}] if booked else [])
    assert package(rows, "transfer_in_conference_late", death="2023-10-14").empty
    assert baseline(rows, "transfer_in_conference_late", death="2023-10-14") == []


def test_booked_date_reads_the_day_a_conference_is_booked_for():
    assert booked_date("Transfer-in conference booked for 19/10/2023 (first chair availability).") == dt.date(2023, 10, 19)
    assert booked_date("RCPC arranged for 3 November 2023.") == dt.date(2023, 11, 3)
    assert booked_date("Home visit booked for 19/10/2023.") is None  # no conference
    assert booked_date("Conference booked for October.") is None  # no day


# D14 / D15 ---------------------------------------------------------------------------------------------------------

def test_a_police_sudden_death_of_a_child_is_a_police_callout():
    vocab = load_vocab()
    assert classify_contact_type("Sudden death of a child", "Attended the address: infant found unresponsive.", vocab,
                                 agency=("Westmoor Police",)) == "police_callout"


def test_mid_month_is_about_the_15th():
    parsed = parse_date("mid October 2023")
    assert parsed.date == pd.Timestamp("2023-10-15") and parsed.precision == "approximate"
    assert parse_date("early October 2023").date == pd.Timestamp("2023-10-01")
    assert parse_date("late October 2023").date == pd.Timestamp("2023-10-21")


def test_a_period_running_past_the_death_is_warned():
    case = CaseConfig(case_dir=Path("."), case_id="c1", date_of_birth=dt.date(2023, 6, 12),
                      date_of_death=dt.date(2023, 10, 14), review_date=dt.date(2023, 10, 31))
    rows = [{"date": pd.Timestamp("2023-09-01"), "date_precision": "day"},
            {"date": pd.Timestamp("2023-10-01"), "date_precision": "month", "date_text": "October 2023"},
            {"date": pd.Timestamp("2023-10-15"), "date_precision": "approximate", "date_text": "mid October 2023"}]
    table = conform(pd.DataFrame([{**r, "date_end": pd.NaT, "time_known": False, "source_of_information": "GP",
                                   "source_row": i} for i, r in enumerate(rows, start=2)]), CONTACT_COLUMNS)
    rep = FileReport(file="gp.docx", sheet="table 1", columns={"date": "Date"})
    check_rows(table, rep, case)
    death = [(w.row, w.message) for w in rep.warnings if "death" in w.message]
    assert [r for r, _ in death] == [3, 4]
    assert "runs past the child's date of death" in death[0][1]
    assert "after the child's date of death" in death[1][1]


# unsafe_sleep ------------------------------------------------------------------------------------------------------

VOCAB = package_data("vocab.yml")


@pytest.mark.parametrize("text", [
    "Safe sleep advice given: moses basket 'at Nan's', baby sleeping in bed with mum.",
    "Mason seen, 5.1 kg. Room smelt of cannabis. Baby asleep on the sofa cushion.",
    "Mother reports co-sleeping most nights.",
    "Bed-sharing discussed; mother smokes.",
    "Temporary accommodation, one room. No cot in the room.",
    "No safe sleeping place for the baby.",
])
def test_unsafe_sleeping_arrangements_are_tagged(text):
    assert "unsafe_sleep" in set(tag_concerns(text, VOCAB))


@pytest.mark.parametrize("text", [
    "Safe sleeping advice given. Will review at the next contact.",
    "Kai asleep in his cot, seen by officers.",
    "Not co-sleeping; baby sleeps in own cot.",
    "Discharge letter: fall from the sofa.",
])
def test_safe_sleep_advice_and_a_cot_are_no_concern(text):
    assert "unsafe_sleep" not in set(tag_concerns(text, VOCAB))


def test_unsafe_sleep_is_counted_by_latency_and_knowledge():
    rows = [{"date": "2023-07-05", "contact_type": "home_visit", "event_id": "E1", **HV,
             "description": "Baby sleeping in bed with mum.", "concerns": "unsafe_sleep"},
            {"date": "2023-07-20", "contact_type": "case_closure", "event_id": "E2", **CSC,
             "description": "No further action. Case closed."}]
    timeline = make_timeline(rows, dob=DOB)
    latency = response_latency(timeline, None, RULES, _case(None))
    row = latency[latency["event_id"] == "E1"].iloc[0]
    assert row["concerns"] == "unsafe_sleep" and row["expected_days"] == 14
    knowledge = agency_knowledge(timeline, RULES, _case(None))
    assert "unsafe_sleep" in knowledge.set_index("decision_event_id").loc["E2", "missing_concerns"]


# D7: a rebooked missed appointment is no decision ------------------------------------------------------------------

def test_a_rebooked_missed_appointment_is_no_decision():
    maternity = {"agency": "Westmoor Hospitals Maternity", "agency_kind": "health"}
    rows = [{"date": "2023-03-10", "contact_type": "police_callout", "concerns": "domestic_abuse", "event_id": "E1",
             "description": "Domestic incident.", **POLICE},
            {"date": "2023-03-14", "contact_type": "was_not_brought", "event_id": "E2", "description": "Did not attend.",
             "action": "Rebooked; no further action.", **maternity},
            {"date": "2023-03-15", "contact_type": "clinic_appointment", "event_id": "E3", "description": "Seen.",
             "action": "No further action.", **maternity}]
    timeline = make_timeline(rows, dob=DOB)
    decisions = set(agency_knowledge(timeline, RULES, _case(None))["decision_event_id"])
    assert "E2" not in decisions and "E3" in decisions
    flags = package(rows, "information_not_shared")
    assert "E2" not in set(flags.get("actual_action_event_id", pd.Series(dtype=str)).fillna(""))
    assert pairs(flags) == pairs(baseline(rows, "information_not_shared"))
