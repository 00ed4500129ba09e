"""QA11 (perplexing presentations / FII case "Poppy", s21): D7 a tertiary hospital holding the case and procedures
as sightings, D9 health decisions written in an attendance's outcome, D12 was_not_brought's follow-up, D21 a
referral linked with social care's receipt of it."""
from __future__ import annotations

import datetime as dt
from pathlib import Path

import pandas as pd

from review.config import CaseConfig
from review.rules import agency_knowledge, detect, load_rules
from review.rules.testing import make_timeline
from review.schema import CONTACT_COLUMNS
from review.sightings import read_sighting
from review.timeline import build_timeline, receipt_names_sender, refers_to_social_care

from _baseline import baseline_flags, baseline_rowwise

RULES = load_rules()
CASE = CaseConfig(case_dir=Path("."), case_id="C1", date_of_birth=dt.date(2015, 11, 3),
                  review_date=dt.date(2024, 6, 30))


def _flags(rows, rule):
    flags = detect(make_timeline(rows), None, RULES, only=[rule])
    return flags


def _same_as_baseline(rows, rule):
    """The package's and the baseline's (trigger, action) pairs of `rule` are the same; returned."""
    flags = _flags(rows, rule)
    package = sorted(zip(flags["trigger_event_id"], flags["actual_action_event_id"].fillna(""))) if not flags.empty else []
    base = sorted((f["trigger_event_id"], f["actual_action_event_id"] or "") for f in baseline_flags(rows)
                  if f["rule_id"] == rule)
    assert package == base
    return package


# -- D7: a hospital by its name holds no case; procedures are sightings; the guidance fits ------------------------


def _hospital_rows(agency):
    """A GP's sighting, then a clinic's concern (typed referral: no A&E, admission or discharge) and its day case
    63 days later at which nothing says the child was seen, nor not seen."""
    return [
        {"date": "2024-01-02", "agency": "Brookfield Surgery", "contact_type": "clinic_appointment",
         "child_seen": True, "description": "Seen with mother.", "on_cp_plan": False},
        {"date": "2024-03-01", "agency": agency, "contact_type": "referral", "concerns": "weight_loss",
         "child_seen": True, "description": "Gastroenterology clinic. Mother reports weight loss.",
         "open_concerns": "weight_loss", "on_cp_plan": False},
        {"date": "2024-05-03", "agency": agency, "contact_type": "other", "open_concerns": "weight_loss",
         "description": "Results reviewed.", "action": "Letter to GP.", "on_cp_plan": False},
    ]


def test_a_hospital_by_its_name_holds_no_case_whatever_its_rows_types():
    # a community service with the same rows holds the case: the unseen stretch is flagged
    assert _same_as_baseline(_hospital_rows("Westvale Community Paediatrics"), "child_not_seen")
    for name in ("Thornbury Children's Hospital", "Kingsmere Royal Infirmary", "Ashworth Hospitals NHS Foundation Trust"):
        assert _same_as_baseline(_hospital_rows(name), "child_not_seen") == [], name


def test_a_community_service_of_a_foundation_trust_still_holds_the_case():
    rows = _hospital_rows("Westvale Community Health NHS Foundation Trust")
    assert _same_as_baseline(rows, "child_not_seen")


def test_an_open_case_flag_quotes_the_open_case_guidance_and_a_plan_flag_the_plans():
    flags = _flags(_hospital_rows("Westvale Community Paediatrics"), "child_not_seen")
    assert len(flags) == 1
    source = flags["source"].iloc[0]
    assert source.startswith("Local practice standards for open cases")
    assert "subject to a child protection plan" not in source
    plan = [
        {"date": "2024-01-02", "agency": "Westvale CSC", "agency_kind": "social care", "contact_type": "cp_conference",
         "child_seen": True, "escalation": "cp_conference", "on_cp_plan": True, "open_concerns": "neglect",
         "concerns": "neglect", "description": "ICPC: child made subject to a child protection plan."},
        {"date": "2024-02-20", "agency": "Westvale CSC", "agency_kind": "social care", "contact_type": "home_visit",
         "child_seen": False, "description": "Home visit, child at nursery.", "on_cp_plan": True,
         "open_concerns": "neglect"},
    ]
    flags = _flags(plan, "child_not_seen")
    assert not flags.empty
    assert all("child protection plan" in s for s in flags["source"])


def test_procedures_on_the_child_are_sightings():
    seen = [
        ("other", "Day case: OGD and colonoscopy with biopsies under general anaesthetic: biopsies normal",
         "Letter to GP."),
        ("other", "Laparoscopic gastrostomy inserted.", "Discharged 08/02/2023 home with feeding plan."),
        ("other", "Day case: NG tube inserted; mother trained in feeding.", "Home feeding plan."),
        ("referral", "Gastroenterology clinic. Poppy examined: abdomen soft.", ""),
    ]
    for contact_type, description, action in seen:
        assert read_sighting(contact_type, "", description, action) is True, description
    unknown = [
        ("phone_call", "Letter from Thornbury: NG tube inserted 24/01/2022 for a home feeding trial.", ""),
        ("other", "Letter from Thornbury: NG tube inserted 24/01/2022.", ""),
        ("clinic_appointment", "Mother requests a gastrostomy.", "Listed for gastrostomy; surgical MDT."),
        ("other", "Sibling had NG tube inserted aged 3.", ""),
    ]
    for contact_type, description, action in unknown:
        assert read_sighting(contact_type, "", description, action) is None, description


# -- D9: decisions in a health outcome --------------------------------------------------------------------------


def _decision_rows():
    return [
        {"date": "2024-01-05", "agency": "Hazelmere Primary School", "agency_kind": "education", "contact_type": "other",
         "concerns": "neglect", "description": "Poppy hungry, eating from other children's lunch boxes."},
        {"date": "2024-01-10", "agency": "Kingsmere Royal Infirmary", "contact_type": "was_not_brought",
         "concerns": "was_not_brought", "child_seen": False, "description": "Was not brought.",
         "action": "Discharged to GP under the was-not-brought policy.", "informed_agencies": "Brookfield Surgery"},
        {"date": "2024-01-12", "agency": "Thornbury Children's Hospital", "contact_type": "clinic_appointment",
         "child_seen": True, "description": "Mother requests tube feeding.",
         "action": "Trial of nasogastric feeding at home agreed."},
        {"date": "2024-01-15", "agency": "Thornbury Children's Hospital", "contact_type": "other",
         "description": "Surgical MDT.", "action": "Proceed with gastrostomy."},
        {"date": "2024-01-16", "agency": "Thornbury Children's Hospital", "contact_type": "clinic_appointment",
         "child_seen": True, "description": "Clinic review.", "action": "Plan OGD and colonoscopy."},
        {"date": "2024-01-20", "agency": "Brookfield Surgery", "contact_type": "letter",
         "description": "Letter from Kingsmere: discharged to GP after 2 WNB.", "action": "Filed."},
        {"date": "2024-01-21", "agency": "Brookfield Surgery", "contact_type": "other",
         "description": "Discharge letter from Kingsmere: discharged.", "action": "Noted."},
        {"date": "2024-01-22", "agency": "Westvale Police", "agency_kind": "police", "contact_type": "other",
         "description": "Father discharged from custody.", "action": ""},
    ]


def test_a_discharge_and_a_treatment_decision_in_an_outcome_are_decision_points():
    knowledge = agency_knowledge(make_timeline(_decision_rows()), RULES)
    got = dict(zip(knowledge["decision_event_id"], knowledge["decision"]))
    assert got == {"C1-e002": "discharge", "C1-e003": "treatment_decision", "C1-e004": "treatment_decision"}


def test_information_not_shared_asks_a_treatment_decision_but_not_an_attendances_discharge():
    rows = _decision_rows()
    flags = _flags(rows, "information_not_shared")
    # the school's neglect had not reached Thornbury before its treatment decision: flagged at the concern
    decided = set(flags["explanation"].str.extract(r"reached (.+?) before")[0])
    assert decided == {"Thornbury Children's Hospital"}
    assert "treatment decision" in flags["explanation"].iloc[0]
    _same_as_baseline(rows, "information_not_shared")
    # asked about discharges too (outcome_decisions_asked), Kingsmere's discharge is asked as well
    rules = load_rules()
    rules["rules"]["information_not_shared"]["params"]["outcome_decisions_asked"] = ["discharge", "treatment_decision"]
    flags = detect(make_timeline(rows), None, rules, only=["information_not_shared"])
    assert "Kingsmere Royal Infirmary" in set(flags["explanation"].str.extract(r"reached (.+?) before")[0])


def test_a_typed_discharge_is_still_asked():
    rows = [_decision_rows()[0], {"date": "2024-01-10", "agency": "Kingsmere Royal Infirmary",
                                  "contact_type": "discharge", "child_seen": True, "description": "Discharged home."}]
    flags = _flags(rows, "information_not_shared")
    assert len(flags) == 1
    _same_as_baseline(rows, "information_not_shared")


# -- D12: was_not_brought's follow-up ---------------------------------------------------------------------------


def _wnb(action_two="Rebooked."):
    return [
        {"date": "2024-02-05", "agency": "Kingsmere Royal Infirmary", "contact_type": "was_not_brought",
         "concerns": "was_not_brought", "child_seen": False, "description": "Not brought.", "action": "Rebooked."},
        {"date": "2024-03-04", "agency": "Kingsmere Royal Infirmary", "contact_type": "was_not_brought",
         "concerns": "was_not_brought", "child_seen": False, "description": "Not brought.", "action": action_two},
    ]


def test_an_unrelated_emergency_attendance_is_no_follow_up_of_a_clinics_missed_appointments():
    rows = _wnb() + [{"date": "2024-06-01", "agency": "Kingsmere Royal Infirmary", "contact_type": "ae_attendance",
                      "child_seen": True, "description": "NG tube blocked, flushed.", "action": "Discharged."}]
    assert _same_as_baseline(rows, "was_not_brought") == [("C1-e002", "")]
    flags = _flags(rows, "was_not_brought")
    assert "follow-up came on" not in flags["explanation"].iloc[0]
    assert flags["explanation"].iloc[0].endswith("none is recorded.")


def test_the_clinics_own_later_appointment_or_an_attendance_naming_the_follow_up_is_one():
    clinic = _wnb() + [{"date": "2024-06-01", "agency": "Kingsmere Royal Infirmary", "contact_type": "clinic_appointment",
                        "child_seen": True, "description": "Clinic review. Weight 23 kg."}]
    assert _same_as_baseline(clinic, "was_not_brought") == [("C1-e002", "C1-e003")]
    named = _wnb() + [{"date": "2024-06-01", "agency": "Kingsmere Royal Infirmary", "contact_type": "ae_attendance",
                       "child_seen": True, "description": "Seen in ED; missed appointments reviewed, follow-up booked."}]
    assert _same_as_baseline(named, "was_not_brought") == [("C1-e002", "C1-e003")]


def test_a_discharge_shared_with_the_gp_is_the_follow_up():
    # a discharge letter of the clinic's, in its text or shared with the GP (informed agencies)
    letter = {"date": "2024-03-06", "agency": "Kingsmere Royal Infirmary", "contact_type": "letter",
              "description": "Discharge letter: discharged to GP under the was-not-brought policy."}
    assert _same_as_baseline(_wnb() + [letter], "was_not_brought") == []
    shared = {**letter, "description": "Discharged from clinic.", "informed_agencies": "Brookfield Surgery"}
    assert _same_as_baseline(_wnb() + [shared], "was_not_brought") == []
    # a discharge the GP is not told of is none
    alone = {**letter, "description": "Discharged from clinic."}
    assert _same_as_baseline(_wnb() + [alone], "was_not_brought") == [("C1-e002", "")]
    # the missed appointment discharging the child is the pattern's last, no follow-up of it (QA11: Kingsmere's
    # "Was not brought. Discharged to GP under the was-not-brought policy")
    assert _same_as_baseline(_wnb("Discharged to GP under the was-not-brought policy."), "was_not_brought") == [
        ("C1-e002", "")]


# -- D21: a referral and its receipt are one event ------------------------------------------------------------


def _contacts(rows):
    records = []
    for i, row in enumerate(rows):
        record = {c: pd.NA for c in CONTACT_COLUMNS}
        record.update({"case_id": "C1", "event_id": f"E{i}", "date_precision": "day", "source_file": "a.csv",
                       "source_row": i + 2, "agency_kind": "health", "contact_type": "other"})
        record.update(row)
        record["date"] = pd.Timestamp(record["date"])
        records.append(record)
    return pd.DataFrame(records)


def _groups(rows):
    tl = build_timeline(_contacts(rows), CASE)
    return dict(zip(tl["event_id"], tl["event_group"]))


def _baseline_groups(rows):
    base = []
    for r in _contacts(rows).astype(object).where(_contacts(rows).notna(), None).to_dict("records"):
        r["date"] = pd.Timestamp(r["date"]).to_pydatetime()
        base.append(r)
    timeline, _ = baseline_rowwise.run(base, {"C1": {"date_of_birth": dt.date(2015, 11, 3), "review_date": None}},
                                       RULES)
    return {r["event_id"]: r["event_group"] for r in timeline}


_SCHOOL = {"date": "2022-03-08", "agency": "Hazelmere Primary School", "agency_kind": "education",
           "contact_type": "referral", "description": "Attendance 62%; absences for illnesses staff never see.",
           "action": "Referral to Westvale Children's Social Care (MASH)."}
_CSC = {"date": "2022-03-09", "agency": "Westvale Children's Social Care", "agency_kind": "social care",
        "contact_type": "referral", "description": "Referral from Hazelmere Primary DSL: attendance 62%.",
        "action": "MASH screening: checks with GP."}


def test_a_referral_and_its_receipt_naming_the_sender_are_one_event():
    rows = [_SCHOOL, _CSC]
    groups = _groups(rows)
    assert groups["E0"] == groups["E1"]
    assert _baseline_groups(rows) == groups


def test_an_attendance_recording_a_referral_and_a_receipt_naming_its_kind_are_one_event():
    rows = [{"date": "2023-04-12", "agency": "Ashworth General Hospital", "contact_type": "ae_attendance",
             "escalation": "referral_to_csc", "description": "Gastrostomy site redness. Poppy ate a sandwich.",
             "action": "Discussed with named doctor; referral to children's social care."},
            {"date": "2023-04-12", "agency": "Westvale Children's Social Care", "agency_kind": "social care",
             "contact_type": "referral", "description": "Referral from the hospital: suspected fabricated illness.",
             "action": "Strategy discussion arranged."}]
    groups = _groups(rows)
    assert groups["E0"] == groups["E1"]
    assert _baseline_groups(rows) == groups


def test_no_link_too_late_to_another_sender_or_for_a_referral_elsewhere():
    late = [_SCHOOL, {**_CSC, "date": "2022-03-14"}]
    other = [_SCHOOL, {**_CSC, "description": "Referral from Brookfield Surgery: weight loss."}]
    camhs = [{**_SCHOOL, "action": "Referral to CAMHS."}, _CSC]
    screening = [{**_SCHOOL, "agency": "Brookfield Surgery", "agency_kind": "health"},
                 {**_CSC, "contact_type": "referral_decision",
                  "description": "MASH screening of the GP contact of 08/03/2022 completed."}]
    for rows in (late, other, camhs, screening):
        groups = _groups(rows)
        assert groups["E0"] != groups["E1"], rows[1]["description"]
        assert _baseline_groups(rows) == groups


def test_the_readings_of_one_referral_and_one_receipt():
    assert refers_to_social_care("referral", "", "Concerns about attendance.", "Referral to Westvale MASH.")
    assert refers_to_social_care("ae_attendance", "referral_to_csc", "Injury.", "")
    assert not refers_to_social_care("referral", "", "Low mood.", "Referral to CAMHS.")
    assert receipt_names_sender("Referral from Hazelmere Primary DSL", "Hazelmere Primary School", "education")
    assert receipt_names_sender("Referral received from school re attendance", "Kingsway Academy", "education")
    # a kind alone names the sender only where it is the only referrer of that kind (a name holding the kind's word,
    # "Hazelmere Primary School", is named by "from school" itself: `names_sender`, s21)
    assert not receipt_names_sender("Referral received from school re attendance", "Kingsway Academy",
                                    "education", kind_alone=False)
    assert receipt_names_sender("Referral received from school re attendance", "Hazelmere Primary School",
                                "education", kind_alone=False)
    assert not receipt_names_sender("School referral re attendance", "Hazelmere Primary School", "education")
