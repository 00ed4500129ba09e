#!/usr/bin/env python3
"""Generate the bundled synthetic sample case `data/cases/sample/`.

Everything here is invented: the child, the family and every organisation. No real person's data.

The child's story is written once, below, as one list of canonical events (`EVENTS`). Each agency's
chronology is then rendered from the events it recorded, in that agency's own layout and file format:

    GP                       .xlsx  title rows above the header, merged date cells for same-day entries
    Health visiting          .csv   cp1252, its own column names (declared profile profiles/hv.yml)
    Northgate (hospital A)   .xlsx  one sheet per year, datetime cells, separate Time column, repeated header
    St Brendan's (hosp. B)   .ods   date-valued cells
    Child development centre .xls   "When / Clinician / Notes / Plan" (declared profile profiles/cdc.yml)
    Children's social care   .xlsx  text dates ("5th April 2023"), partial dates ("Mar 2024", "early May 2024")
    Police / CAIT            .csv   UTF-8 with BOM, semicolon-delimited, separate Date and Time columns
    Children's centre        .docx  Word table (chronology template) split across two tables

While rendering, every event's provenance (file, sheet, row as the spreadsheet shows it) is recorded, so
the ground truth (`ground_truth.yml`: planted missed escalation points and properly escalated concerns)
is right by construction. The output is deterministic: no randomness, fixed document metadata.

    python scripts/make_sample_case.py              # writes data/cases/sample/
    python scripts/make_sample_case.py --out DIR    # writes DIR/ (the tests regenerate into a tmp dir)
"""
from __future__ import annotations

import argparse
import csv
import datetime as dt
import io
import re
import sys
from dataclasses import dataclass
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parents[1]
DEFAULT_OUT = ROOT / "data" / "cases" / "sample"
FIXED_TIME = dt.datetime(2024, 9, 2, 9, 0, 0)  # document metadata timestamp (determinism)

# ---------------------------------------------------------------------------------------------------
# The case
# ---------------------------------------------------------------------------------------------------
CHILD = "Kai Ashdown"
DOB = dt.date(2023, 2, 14)
MOBILE_FROM = dt.date(2023, 10, 16)  # crawling at 8 months
DATE_OF_DEATH = dt.date(2024, 7, 15)
REVIEW_DATE = dt.date(2024, 7, 15)
PEOPLE = {
    "Kai Ashdown": "Child",
    "Chloe Ashdown": "Mother",
    "Dean Fowler": "Mother's partner",
    "Maureen Ashdown": "Maternal grandmother",
    "Ryan Keane": "Father",
}
#: the family's addresses as the chronologies write them: "[address]" in the anonymised view
ADDRESSES = ["Brontë Court"]

# agency key -> (canonical agency name, file, profile, aliases, kind, organisation)
AGENCIES = {
    "GP": ("Larkfield Medical Practice", "gp_larkfield_medical_practice.xlsx", None,
           ["Larkfield", "Larkfield Surgery", "GP", "GP practice"], "health", "Larkfield Medical Practice"),
    "HV": ("Eastborough Health Visiting", "health_visiting.csv", "hv",
           ["Health visiting", "Health visitor", "HV", "Eastborough Community Health",
            "Eastborough Community Health (health visiting)"], "health", "Eastborough Community Health NHS Trust"),
    "HA": ("Northgate University Hospital", "northgate_university_hospital.xlsx", None,
           ["Northgate", "Northgate University Hospital NHS Trust", "Northgate ED", "Northgate paediatrics"],
           "health", "Northgate University Hospital NHS Trust"),
    "HB": ("St Brendan's Hospital", "st_brendans_hospital.ods", None,
           ["St Brendan's", "St Brendans", "St Brendan's A&E"], "health", "St Brendan's Hospital NHS Trust"),
    "CDC": ("Eastborough Child Development Centre", "child_development_centre.xls", "cdc",
            ["Child development centre", "CDC", "Child development clinic"], "health",
            "Eastborough Community Health NHS Trust"),
    "CSC": ("Eastborough Children's Social Care", "childrens_social_care.xlsx", None,
            ["Children's Social Care", "Social care", "CSC", "MASH", "Eastborough MASH", "Social worker"],
            "social care", "Eastborough Borough Council"),
    "POL": ("Eastborough Police", "police_cait.csv", None,
            ["Police", "CAIT", "Eastborough Police / CAIT", "Police CAIT"], "police", "Eastborough Police"),
    "CC": ("Little Acorns Children's Centre", "little_acorns_childrens_centre.docx", None,
           ["Little Acorns", "Children's centre"], "education", "Eastborough Borough Council (early years)"),
}

# England bank holidays in the period (the working-day rules must not be confused by them)
BANK_HOLIDAYS = {
    dt.date(2023, 1, 2), dt.date(2023, 4, 7), dt.date(2023, 4, 10), dt.date(2023, 5, 1), dt.date(2023, 5, 8),
    dt.date(2023, 5, 29), dt.date(2023, 8, 28), dt.date(2023, 12, 25), dt.date(2023, 12, 26),
    dt.date(2024, 1, 1), dt.date(2024, 3, 29), dt.date(2024, 4, 1), dt.date(2024, 5, 6), dt.date(2024, 5, 27),
    dt.date(2024, 8, 26),
}


def working_days_between(start: dt.date, end: dt.date) -> int:
    """Working days after `start` up to and including `end`."""
    days, d = 0, start
    while d < end:
        d += dt.timedelta(days=1)
        if d.weekday() < 5 and d not in BANK_HOLIDAYS:
            days += 1
    return days


@dataclass
class Event:
    key: str  # stable id used by the ground truth
    agency: str  # AGENCIES key
    date: dt.date
    time: str = ""  # "HH:MM" or ""
    type: str = ""  # the agency's own "type of contact" wording
    role: str = ""
    desc: str = ""
    action: str = ""
    analysis: str = ""
    seen: bool | None = None
    alone: bool | None = None
    shared: str = ""
    date_text: str = ""  # override of the rendered date text (partial dates)
    end_time: str = ""


def D(text: str) -> dt.date:
    return dt.date.fromisoformat(text)


ICPC1 = (
    "Initial child protection conference: Kai made subject of a child protection plan under the category of "
    "physical abuse. Concerns: burn to right hand with an inconsistent explanation, domestic abuse, the "
    "partner's alcohol use and mother's depression."
)
ICPC2 = (
    "Initial child protection conference: Kai made subject of a child protection plan under the category of "
    "neglect. Concerns: faltering growth, neglect, unexplained bruising and scratches (non-accidental injury "
    "not excluded), domestic abuse, the partner's alcohol use and mother's depression."
)
ICPC2_WNB = ICPC2 + " Kai was not brought to health appointments."
RCPC = (
    "Review child protection conference: agencies reported progress and mother said the partner no longer "
    "lives at the home. Child protection plan ended; Kai to be supported under a child in need plan."
)

# fmt: off
EVENTS: list[Event] = [
    # --- birth and the first weeks ------------------------------------------------------------------
    Event("hb_birth", "HB", D("2023-02-14"), "08:12", "Postnatal ward admission", "Midwife",
          "Kai born at 39+2 weeks by normal delivery, birth weight 3.2 kg. Mother has a history of depression and takes sertraline.",
          "Postnatal care on Willow ward. Midwife to inform health visitor.", "", True, None, "Health visiting; GP"),
    Event("hb_discharge", "HB", D("2023-02-16"), "11:00", "Discharge", "Midwife",
          "Mother and Kai discharged home. Feeding well.", "Community midwife and health visitor to follow up.", "",
          True, None, "Health visiting; GP"),
    Event("hv_new_birth", "HV", D("2023-02-27"), "", "New birth visit", "Health visitor",
          "Kai seen and weighed 3.30 kg, feeding well. Mum tearful and low in mood, EPDS 14; history of depression. "
          "Maternal grandmother Maureen Ashdown visiting daily.",
          "Advised GP appointment re mood. Listening visits offered – mum agreed.", "", True),
    Event("gp_mother_mood", "GP", D("2023-03-06"), "09:40", "Surgery consultation", "GP",
          "Mother seen with Kai: postnatal depression, PHQ-9 score 16. No thoughts of self-harm.",
          "Sertraline restarted; review in 2 weeks.", "", True, None, "Health visiting"),
    Event("gp_baby_check", "GP", D("2023-03-28"), "10:10", "6-8 week baby check", "GP",
          "Normal examination. Skin intact, no bruising. Hips stable. Weight on 50th centile.",
          "Routine follow-up.", "", True),
    Event("gp_imms_1", "GP", D("2023-03-28"), "10:30", "Immunisations", "Practice nurse",
          "First primary immunisations given. Mother well supported by her own mother.", "Next due in 4 weeks.", "", True),
    Event("pol_di_1", "POL", D("2023-04-08"), "23:40", "Domestic incident", "Response officer",
          "999 call from a neighbour reporting shouting at the flat on Brontë Court. Officers attended: mother said she "
          "and her partner Dean Fowler had an argument after he had been drinking alcohol; she said he pushed her. "
          "Kai asleep in his cot, seen by officers; no injuries.",
          "DASH completed: standard risk. Partner left the address voluntarily. Domestic abuse notification sent to MASH.",
          "", True, None, "Children's Social Care"),
    Event("csc_notif_1", "CSC", D("2023-04-11"), "", "Police notification", "MASH social worker",
          "Notification received from police of a domestic incident at the home on 08/04/2023: partner had been drinking "
          "alcohol and pushed mother.", "Passed to MASH team manager.", "", None, None, ""),
    Event("csc_decision_1", "CSC", D("2023-04-11"), "", "Referral decision", "MASH team manager",
          "MASH screening: threshold for statutory intervention not met. Mother has a history of depression and is "
          "seeing her GP; partner has moved out.",
          "Letter to mother with domestic abuse support details; early help offer from Little Acorns Children's Centre.",
          "Single domestic incident with alcohol; protective grandmother.", None, None,
          "Health visiting; Little Acorns Children's Centre"),
    Event("hv_visit_apr", "HV", D("2023-04-19"), "", "Home visit", "Health visitor",
          "Kai seen, weight 4.8 kg. Discussed the domestic incident notified by social care; mum says her partner has moved out and she’s changed the locks.",
          "Safety planning discussed; domestic abuse helpline number given.", "", True),
    Event("cc_first_visit", "CC", D("2023-04-26"), "10:00", "", "Family support worker",
          "Early help: first visit by family support worker to mother and Kai following the social care offer. "
          "Mother agreed to join the baby massage group.", "Baby massage group from 24/05/2023.", "", True, end_time="11:00"),
    Event("hv_bruise_3m", "HV", D("2023-05-17"), "", "3-month contact", "Health visitor",
          "Kai seen at home. Small bruise (approx 1 cm) on his left cheek. Mum said he must have knocked his face on "
          "the cot bars: vague explanation. Partner Dean has moved back in and smelt of alcohol.",
          "Safe sleeping advice given. Will review at the next contact.", "", True),
    Event("cc_massage", "CC", D("2023-05-24"), "10:00", "", "Baby massage group",
          "Mother and Kai attended baby massage group. Kai content and responsive.", "Continue group.", "", True,
          end_time="11:30"),
    Event("gp_imms_3", "GP", D("2023-06-06"), "09:30", "Immunisations", "Practice nurse",
          "Third primary immunisations given. Mother says she is feeling better on sertraline.", "", "", True),
    Event("hv_visit_4m", "HV", D("2023-06-14"), "", "Home visit", "Health visitor",
          "Kai seen. No bruising seen today. Weight 6.1 kg (50th centile). Head lag and poor visual fixing noted.",
          "Referral to child development centre (see next entry).", "", True),
    # PLANTED assessment_wait: referral for a developmental assessment, seen 70 days later
    Event("hv_referral_cdc", "HV", D("2023-06-14"), "", "Referral", "Health visitor",
          "Referral letter to Eastborough Child Development Centre: head lag and poor visual fixing at 4 months; "
          "developmental assessment requested.", "Await appointment.", "", None),
    Event("cdc_referral_received", "CDC", D("2023-06-15"), "", "", "Administrator",
          "Referral from the health visitor: head lag and poor visual fixing at 4 months; developmental assessment requested.",
          "Placed on the routine waiting list; new patient appointment to be offered.", "", None),
    Event("cc_stay_play_1", "CC", D("2023-06-28"), "10:00", "", "Stay and play staff",
          "Mother and Kai attended stay and play.", "", "", True, end_time="11:30"),
    Event("hb_ae_vomiting", "HB", D("2023-07-20"), "02:15", "A&E attendance", "ED registrar",
          "Kai (5 months) brought by mother with vomiting and irritability for 12 hours. Examined fully: no bruising, "
          "no injuries seen, fontanelle normal. Viral illness likely.",
          "Discharged home with advice. Letter to GP.", "", True, None, "GP"),
    Event("hv_clinic_aug", "HV", D("2023-08-09"), "", "Clinic contact", "Health visitor",
          "Kai seen at baby clinic, weight 7.0 kg. Mum says her depression is back and that her partner drinks alcohol at weekends.",
          "Encouraged GP review of mood.", "", True),
    Event("cdc_assessment", "CDC", D("2023-08-23"), "", "", "Community paediatrician",
          "Developmental assessment (new patient): Kai seen with mother. Mild head lag; visual fixing now present. "
          "Gross motor skills slightly delayed.", "Physiotherapy advice given. Follow-up in 3 months.", "", True),
    Event("gp_burn", "GP", D("2023-09-12"), "10:20", "Surgery consultation", "GP",
          "Mother brought Kai with a burn to the back of his right hand, approx 2 cm, blistered. Mother says he touched "
          "hair straighteners left on the floor. Kai is 7 months old and not yet crawling: explanation inconsistent with "
          "his development.",
          "Discussed with the Northgate on-call paediatrician: Kai to attend Northgate paediatrics this afternoon.",
          "", True, None, "Northgate University Hospital"),
    Event("gp_referral_1", "GP", D("2023-09-12"), "10:45", "Referral", "GP",
          "Telephone referral to children's social care (MASH): burn to the hand of a 7-month-old, explanation inconsistent.",
          "Written referral form sent to MASH the same day.", "", False, None, "Children's Social Care; Health visiting"),
    Event("ha_cp_medical_1", "HA", D("2023-09-12"), "14:30", "Child protection medical", "Consultant paediatrician",
          "Seen by child protection paediatrician with mother. Partial thickness burn 2 cm to the back of the right hand. "
          "Skeletal survey: no fracture. Kai is not yet mobile: explanation inconsistent.",
          "Findings shared with children's social care. Home with mother under a safety plan (grandmother to supervise).",
          "", True, None, "Children's Social Care; GP"),
    Event("csc_referral_1", "CSC", D("2023-09-12"), "", "Referral received", "MASH social worker",
          "Telephone referral from GP to MASH: burn to the hand of a 7-month-old, explanation inconsistent.", "For MASH screening.", "", None),
    Event("csc_decision_2", "CSC", D("2023-09-13"), "", "Referral decision", "MASH team manager",
          "MASH screening of the GP contact of 12/09/2023 completed: threshold met for a strategy discussion. Known history "
          "of domestic abuse, the partner's alcohol use and mother's depression.",
          "Allocated to a social worker in the child protection team.", "", None),
    Event("pol_strategy_1", "POL", D("2023-09-14"), "14:00", "Strategy discussion", "CAIT detective constable",
          "Strategy discussion held (social care, police CAIT, Northgate paediatrician, health visitor) re Kai Ashdown, "
          "7 months: section 47 enquiry agreed, joint visit tomorrow.", "Crime report raised; joint visit arranged.", "", None, None, "Children's Social Care"),
    # PLANTED strategy_no_conference: strategy discussion 14/09/2023, ICPC only on 19/10/2023 (25 working days)
    Event("csc_strategy_1", "CSC", D("2023-09-14"), "", "Strategy discussion", "Social worker",
          "Strategy discussion held (social care, police CAIT, Northgate paediatrician, health visitor). Agreed threshold "
          "met for a section 47 enquiry; joint visit with police tomorrow.",
          "Section 47 enquiry to start.", "", None, None, "Police; Health visiting; Northgate University Hospital; GP"),
    Event("pol_joint_visit", "POL", D("2023-09-15"), "11:00", "Joint home visit", "CAIT detective constable",
          "Joint home visit with the social worker as part of the section 47 enquiry. Kai seen. Mother and partner Dean "
          "Fowler spoken to; he says he was at work at the time.", "Enquiry continues.", "",
          True, None, "Children's Social Care"),
    Event("csc_joint_visit", "CSC", D("2023-09-15"), "", "Home visit (joint with police)", "Social worker",
          "Joint home visit with police CAIT as part of the section 47 enquiry. Kai seen; hand healing. Mother and "
          "partner present; partner Dean Fowler says he was at work at the time.",
          "Enquiry continues; safety plan with grandmother.", "", True, False, "Police"),
    Event("hv_visit_sep", "HV", D("2023-09-20"), "", "Home visit", "Health visitor",
          "Joint working with the social worker. Kai seen; right hand healing well, dressing off.", "Weekly contact.", "", True),
    Event("ha_dressing", "HA", D("2023-10-03"), "09:15", "Dressing clinic", "Nurse specialist",
          "Dressing clinic review: right hand wound fully healed.", "No further dressing clinic appointments needed.",
          "", True, None, "GP"),
    Event("hv_9m_review", "HV", D("2023-10-12"), "", "9-month review", "Health visitor",
          "9-month developmental review: Kai sitting unsupported and nearly crawling. Weight 8.1 kg (50th centile).",
          "Routine.", "", True),
    Event("pol_icpc_1", "POL", D("2023-10-19"), "10:00", "Case conference", "CAIT detective constable",
          "Attended. " + ICPC1, "Child protection plan noted on police systems.", "", False),
    Event("cc_icpc_1", "CC", D("2023-10-19"), "10:00", "", "Family support worker",
          "Family support worker attended the conference. " + ICPC1, "Little Acorns to offer weekly sessions.", "",
          None, end_time="12:00"),
    Event("csc_icpc_1", "CSC", D("2023-10-19"), "", "Initial child protection conference", "Conference chair",
          ICPC1, "Child protection plan; core group to meet within 10 working days.", "", False, None,
          "GP; Health visiting; Police; Little Acorns Children's Centre; Northgate University Hospital"),
    Event("gp_icpc_1", "GP", D("2023-10-19"), "", "Case conference", "GP",
          "GP report submitted to the conference. " + ICPC1, "Child protection plan alert added to the record.", "", False),
    Event("hv_icpc_1", "HV", D("2023-10-19"), "", "Case conference", "Health visitor",
          "Attended. " + ICPC1, "HV to visit fortnightly as part of the plan.", "", False),
    Event("csc_visit_oct", "CSC", D("2023-10-24"), "", "Home visit", "Social worker",
          "Statutory visit. Kai seen in the living room, no marks or bruising seen. Home conditions adequate.",
          "Next visit in 2 weeks.", "", True, False),
    Event("cc_stay_play_4", "CC", D("2023-11-01"), "10:00", "", "Stay and play staff",
          "Kai attended stay and play with mother; crawling and cruising.", "", "", True, end_time="11:30"),
    Event("csc_core_group_1", "CSC", D("2023-11-02"), "", "Core group", "Social worker",
          "First core group meeting at the family home (social worker, health visitor, Little Acorns, mother); Kai seen. "
          "Written agreement: partner not to be at the home after drinking alcohol.", "Core group every 6 weeks.", "",
          True, False,
          "Health visiting; Little Acorns Children's Centre"),
    Event("hv_core_group_1", "HV", D("2023-11-02"), "", "Core group", "Health visitor",
          "Attended the first core group at the family home; Kai seen. Written agreement about the partner's alcohol use.",
          "", "", True),
    Event("csc_visit_nov_1", "CSC", D("2023-11-09"), "", "Home visit", "Social worker",
          "Statutory visit. Kai seen, crawling and pulling to stand.", "Next visit in 2 weeks.", "", True, False),
    Event("gp_cough", "GP", D("2023-11-14"), "16:10", "Surgery consultation", "GP",
          "Kai seen with a cough and runny nose: viral upper respiratory infection. Chest clear.", "Fluids, paracetamol.",
          "", True),
    # concern for the planted information_not_shared: police domestic incident, shared with social care only
    Event("pol_di_2", "POL", D("2023-11-18"), "22:05", "Domestic incident", "Response officer",
          "Call from mother: partner Dean Fowler shouting and throwing things; he was drunk. Officers attended: mother said "
          "he pushed her against a wall. Poor home conditions: flat dirty and smelt of cannabis, Kai in his cot in a soiled "
          "nappy, seen by officers.",
          "Domestic abuse: partner arrested for assault, bailed with conditions not to attend the address. "
          "Notification sent to children's social care.", "", True, None, "Children's Social Care"),
    Event("csc_notif_2", "CSC", D("2023-11-20"), "", "Police notification", "Social worker",
          "Notification from police of a domestic incident on 18/11/2023; partner arrested, bail conditions not to "
          "attend the address.", "Discussed with team manager; to be raised at the next core group.", "", None),
    Event("csc_visit_nov_2", "CSC", D("2023-11-23"), "", "Home visit", "Social worker",
          "Statutory visit. Kai seen. Mother says the partner is staying with his brother.", "Next visit in 2 weeks.", "",
          True, False),
    # PLANTED injury_not_escalated: head injury at Northgate A&E, vague explanation, no referral
    Event("ha_ae_head", "HA", D("2023-11-29"), "19:40", "A&E attendance", "ED registrar",
          "Kai (9 months) brought by mother and her partner with a bump on the head and swelling over the left forehead. "
          "Partner said Kai fell from the sofa onto a laminate floor: vague explanation, the fall was not witnessed.",
          "Admitted to the children's ward for head injury observations.", "", True, None, "GP"),
    Event("ha_admission", "HA", D("2023-11-29"), "23:30", "Admission", "Paediatric nurse",
          "Admitted to Rowan ward for overnight neurological observations.", "", "", True),
    # decision for the planted information_not_shared: discharge with no knowledge of the police incident
    Event("ha_discharge", "HA", D("2023-11-30"), "11:00", "Discharge", "Paediatric registrar",
          "Observations stable overnight. Discharged home to mother and her partner with an advice sheet.",
          "Discharge letter to GP and health visitor.", "", True, None, "GP; Health visiting"),
    # PLANTED was_not_brought: two appointments missed at the CDC, no follow-up
    Event("cdc_wnb_1", "CDC", D("2023-12-06"), "", "", "Community paediatrician",
          "Was not brought to the follow-up appointment. No contact from the family.", "Second appointment to be sent.",
          "", False),
    Event("hv_visit_dec", "HV", D("2023-12-07"), "", "Home visit", "Health visitor",
          "Kai seen. Discharge letter from Northgate received: fall from the sofa. Small healing mark on the forehead.",
          "Next visit in 2 weeks.", "", True),
    # PLANTED child_not_seen (visit): "asleep upstairs", no return visit
    Event("csc_visit_asleep", "CSC", D("2023-12-14"), "", "Home visit", "Social worker",
          "Statutory visit. Mother said Kai was asleep upstairs and declined to wake him: child not seen.",
          "Next visit in 2 weeks.", "", False, False),
    # PLANTED child_not_seen (gap on a CP plan): last seen 07/12/2023, next seen 11/01/2024
    Event("csc_visit_grandmother", "CSC", D("2023-12-28"), "", "Unannounced home visit", "Social worker",
          "Unannounced visit. Mother said Kai was staying at his grandmother's over Christmas: child not seen. "
          "Grandmother not contacted.", "Visit again in the new year.", "", False, False),
    Event("cdc_wnb_2", "CDC", D("2024-01-03"), "", "", "Community paediatrician",
          "Was not brought to the rebooked follow-up appointment, the second in a row.", "Letter to GP and health visitor.",
          "", False),
    Event("csc_core_group_2", "CSC", D("2024-01-04"), "", "Core group", "Social worker",
          "Core group meeting held; mother attended alone.", "Review conference on 25/01/2024.", "", False),
    Event("cdc_letter", "CDC", D("2024-01-10"), "", "", "Community paediatrician",
          "Letter sent to GP and health visitor asking them to encourage attendance.", "New date to be offered.",
          "", False),
    Event("csc_visit_jan", "CSC", D("2024-01-11"), "", "Home visit", "Social worker",
          "Statutory visit. Kai seen, appeared well. Mother says the partner is no longer visiting.", "", "", True, False),
    Event("gp_letter_cdc", "GP", D("2024-01-12"), "", "Letter", "GP",
          "Letter from the child development centre: two follow-up appointments missed; asked to encourage attendance.",
          "Filed.", "", False),
    # PLANTED repeated_injury_or_ae: third A&E attendance in a year, second injury in 90 days, no referral
    Event("hb_ae_arm", "HB", D("2024-01-16"), "16:50", "A&E attendance", "ED registrar",
          "Kai (11 months) brought by mother's partner with bruising and swelling to the left forearm. Partner said Kai "
          "fell off the bed: vague explanation, which changed when mother arrived. X-ray: no fracture.",
          "Soft tissue injury. Discharged home with the partner. Letter to GP.", "", True, None, "GP"),
    Event("gp_letter_hb_arm", "GP", D("2024-01-22"), "", "Letter", "GP",
          "A&E attendance letter from St Brendan's (fall from bed on 16/01/2024). Filed.", "", "", False),
    # PLANTED information_not_shared: the review conference ended the plan without the A&E attendances
    Event("csc_rcpc", "CSC", D("2024-01-25"), "", "Review child protection conference", "Conference chair",
          RCPC, "Child in need plan; social worker to visit monthly.", "", False, None,
          "GP; Health visiting; Little Acorns Children's Centre"),
    Event("hv_12m_review", "HV", D("2024-02-07"), "", "12-month review", "Health visitor",
          "12-month review at clinic: Kai walking with support. Weight 9.0 kg (25th centile).", "Routine.", "", True),
    Event("csc_cin_visit", "CSC", D("2024-02-15"), "", "Child in need visit", "Social worker",
          "Child in need visit. Kai seen playing; mother coping.", "", "", True, False),
    # PLANTED injury_not_escalated: bruise to the ear seen at the children's centre, not referred
    Event("cc_bruise_ear", "CC", D("2024-02-27"), "10:00", "", "Stay and play staff",
          "Staff noticed a bruise to Kai's right ear and scratches on his neck. Mother said another child pushed him at "
          "soft play: explanation not consistent with the marks.",
          "Recorded on a body map; mother advised. Health visitor informed by phone.", "", True, end_time="11:30"),
    Event("csc_closure_note", "CSC", D("2024-03-01"), "", "Case note", "Team manager",
          "Closure summary written and signed off by the team manager.", "", "", None, date_text="Mar 2024"),
    # PLANTED closure_with_open_concerns: case closed 14 days after the bruise
    Event("csc_closure", "CSC", D("2024-03-12"), "", "Case closure", "Social worker",
          "Child in need plan ended: mother engaging and the partner not living at the home. Case closed and stepped "
          "down to early help with Little Acorns Children's Centre.", "", "Progress sustained for 6 weeks.", None, None,
          "GP; Health visiting; Little Acorns Children's Centre"),
    Event("cdc_followup", "CDC", D("2024-03-13"), "", "", "Community paediatrician",
          "Follow-up appointment: Kai seen with his grandmother. Walking with support; development now within the "
          "normal range.", "Review in 6 months.", "", True),
    Event("cc_early_help", "CC", D("2024-03-20"), "14:00", "", "Family support worker",
          "Early help visit by the family support worker. Mother says she is coping; Kai seen playing.",
          "Fortnightly early help sessions.", "", True, end_time="15:00"),
    # PROPERLY FOLLOWED UP was_not_brought: two missed GP appointments, child seen within 7 days
    Event("gp_wnb_1", "GP", D("2024-04-09"), "09:10", "Did not attend", "Practice nurse",
          "12-month immunisations: Kai was not brought.", "Rebooked; text reminder sent.", "", False),
    Event("hv_clinic_apr", "HV", D("2024-04-17"), "", "Clinic contact", "Health visitor",
          "Kai seen at clinic. Weight 8.7 kg: dropped centiles, now 9th. Mum says he is a fussy eater.",
          "Weekly weighing and a food diary; GP review advised.", "", True),
    Event("gp_wnb_2", "GP", D("2024-04-23"), "09:10", "Did not attend", "Practice nurse",
          "Rebooked immunisation appointment: Kai was not brought again.", "GP to contact mother.", "", False),
    # PLANTED referral_no_decision: GP referral 30/04/2024, decision only on 08/05/2024 (5 working days)
    Event("gp_neglect", "GP", D("2024-04-30"), "11:20", "Surgery consultation", "GP",
          "Kai seen by GP after two missed immunisation appointments. Weight 8.5 kg, dropped from the 50th to the 9th "
          "centile since birth: faltering growth. Severe nappy rash, clothes dirty, Kai appeared hungry. Mother says "
          "her depression has returned; the partner is back living at the home.",
          "Immunisations given. Discussed with the practice safeguarding lead.", "", True),
    Event("gp_referral_2", "GP", D("2024-04-30"), "12:15", "Referral", "GP",
          "Referral to children's social care (MASH): faltering growth, neglect and mother's depression; the partner "
          "is back at the home.", "Written referral form sent.", "", False, None,
          "Children's Social Care; Health visiting"),
    Event("csc_referral_2", "CSC", D("2024-04-30"), "", "Referral received", "MASH social worker",
          "Referral received from Larkfield Medical Practice (GP): faltering growth, neglect and mother's depression; the "
          "partner is back at the home.",
          "For MASH screening.", "", None),
    Event("hv_weigh_may", "HV", D("2024-05-01"), "", "Clinic contact", "Health visitor",
          "Kai weighed: 8.5 kg, weight falling. Food diary not completed.", "Weekly weighing.", "", True),
    Event("csc_oversight", "CSC", D("2024-05-01"), "", "Management oversight", "Duty team manager",
          "Duty manager note: GP contact of 30/04/2024 not yet screened owing to duty team capacity.", "", "", None,
          date_text="early May 2024"),
    Event("csc_decision_3", "CSC", D("2024-05-08"), "", "Referral decision", "MASH team manager",
          "MASH screening of the GP contact of 30/04/2024 completed: threshold met for a strategy discussion. Faltering "
          "growth, neglect and mother's depression noted.", "Case re-opened and allocated.", "", None),
    Event("pol_strategy_2", "POL", D("2024-05-09"), "15:00", "Strategy discussion", "CAIT detective sergeant",
          "Strategy discussion held with social care, GP, health visitor and Northgate paediatrician: section 47 enquiry "
          "and child protection medical agreed.",
          "CAIT investigation opened.", "", None, None, "Children's Social Care"),
    # PROPERLY ESCALATED: strategy discussion 09/05/2024 -> ICPC 23/05/2024 (10 working days)
    Event("csc_strategy_2", "CSC", D("2024-05-09"), "", "Strategy discussion", "Social worker",
          "Strategy discussion held with police CAIT, GP, health visitor and Northgate paediatrician. Agreed a section 47 "
          "enquiry and a child protection medical.", "Section 47 enquiry to start.", "", None, None,
          "Police; GP; Health visiting; Northgate University Hospital"),
    Event("ha_cp_medical_2", "HA", D("2024-05-10"), "10:00", "Child protection medical", "Consultant paediatrician",
          "Child protection medical: weight 8.4 kg (below the 2nd centile), faltering growth. Three small healing bruises "
          "on the lower back and bruising to the left ear, unexplained. Findings consistent with possible non-accidental "
          "injury and neglect.", "Report to children's social care and police. Home with mother under a safety plan.",
          "", True, None, "Children's Social Care; Police; GP"),
    Event("csc_s47_visit", "CSC", D("2024-05-10"), "", "Home visit", "Social worker",
          "Home visit as part of the section 47 enquiry. Kai seen with mother and grandmother.",
          "Safety plan agreed: grandmother to stay at the home.", "", True, False),
    Event("cc_stay_play_5", "CC", D("2024-05-15"), "10:00", "", "Stay and play staff",
          "Kai attended stay and play with his grandmother.", "", "", True, end_time="11:30"),
    Event("pol_icpc_2", "POL", D("2024-05-23"), "10:00", "Case conference", "CAIT detective sergeant",
          "Attended. " + ICPC2_WNB, "Investigation continues.", "", False),
    Event("cc_icpc_2", "CC", D("2024-05-23"), "10:00", "", "Family support worker",
          "Family support worker attended the conference. " + ICPC2, "Weekly sessions offered.", "", None,
          end_time="12:30"),
    Event("csc_icpc_2", "CSC", D("2024-05-23"), "", "Initial child protection conference", "Conference chair",
          ICPC2_WNB, "Child protection plan; core group within 10 working days.", "", False, None,
          "GP; Health visiting; Police; Little Acorns Children's Centre; Northgate University Hospital"),
    Event("gp_icpc_2", "GP", D("2024-05-23"), "", "Case conference", "GP",
          "GP attended. " + ICPC2_WNB, "Child protection plan alert added to the record.", "", False),
    Event("hv_icpc_2", "HV", D("2024-05-23"), "", "Case conference", "Health visitor",
          "Attended. " + ICPC2_WNB, "Weekly HV contact.", "", False),
    Event("hv_visit_may", "HV", D("2024-05-30"), "", "Home visit", "Health visitor",
          "Kai seen. Weight 8.6 kg.", "Weekly weighing.", "", True),
    Event("cc_stay_play_6", "CC", D("2024-06-05"), "10:00", "", "Stay and play staff",
          "Kai attended stay and play with his grandmother; quiet and clingy.", "", "", True, end_time="11:30"),
    # PLANTED child_not_seen (visit on a CP plan)
    Event("csc_visit_june", "CSC", D("2024-06-06"), "", "Home visit", "Social worker",
          "Statutory visit. Mother said Kai was asleep upstairs with a temperature: child not seen. A man's coat in the hallway.",
          "Visit again next week.", "", False, False),
    Event("csc_core_group_3", "CSC", D("2024-06-13"), "", "Core group", "Social worker",
          "Core group meeting held. Mother attended; Kai was with his grandmother.", "", "", False),
    # PLANTED child_not_seen (gap on the second CP plan): last seen 05/06/2024
    Event("csc_visit_noreply", "CSC", D("2024-06-25"), "", "Unannounced home visit", "Social worker",
          "Unannounced visit: no reply at the door; Kai not seen.", "Letter left asking mother to call.", "", False, False),
    Event("pol_di_3", "POL", D("2024-06-29"), "01:15", "Domestic incident", "Response officer",
          "Neighbour reported a loud argument. Officers attended: mother and partner both intoxicated. Mother said the "
          "child was asleep upstairs; child not seen by officers.",
          "Words of advice. Domestic abuse notification sent to children's social care.", "", False, None,
          "Children's Social Care"),
    Event("csc_notif_3", "CSC", D("2024-07-01"), "", "Police notification", "Social worker",
          "Police notification of a domestic incident on 29/06/2024: mother and partner both intoxicated.",
          "Social worker to visit.", "", None),
    Event("csc_visit_july", "CSC", D("2024-07-04"), "", "Home visit", "Social worker",
          "Statutory visit. Kai seen briefly in his buggy in the hallway, wrapped in a blanket, face and hands dirty; "
          "mother said he had a cold. Visit cut short by mother.", "Next visit in 2 weeks.", "", True, False),
    # PROPERLY ESCALATED (sadly too late): the fatal injuries
    Event("ha_ae_death", "HA", D("2024-07-15"), "09:05", "A&E attendance", "ED consultant",
          "Kai (17 months) brought in by ambulance in cardiac arrest. Resuscitation unsuccessful; pronounced dead at 09:48. "
          "Multiple bruises to the face and body and a suspected skull fracture: non-accidental injury suspected.",
          "Police informed; child abuse investigation team attended. Children's social care informed.", "", True, None,
          "Police; Children's Social Care; GP"),
    Event("pol_death", "POL", D("2024-07-15"), "09:30", "Sudden death of a child", "CAIT detective inspector",
          "Called by Northgate ED: death of a 17-month-old child with suspicious injuries. CAIT attended.",
          "Criminal investigation opened; mother and partner arrested.", "", None, None, "Children's Social Care"),
    Event("csc_death", "CSC", D("2024-07-15"), "", "Notification", "Team manager",
          "Notified by police of Kai's death at Northgate University Hospital.",
          "Serious incident notification sent to the national panel.", "", None),
]
# fmt: on

# ---------------------------------------------------------------------------------------------------
# Ground truth: planted missed escalation points and properly escalated concerns (event keys)
# ---------------------------------------------------------------------------------------------------
MISSED = [
    dict(id="M01", rule_id="nonmobile_injury", trigger="hv_bruise_3m", also=["injury_not_escalated"],
         expected_action="same-day referral to children's social care and a child protection medical",
         note="Bruise on the cheek of a 3-month-old (not mobile) with a vague explanation; the health visitor gave "
              "safe-sleeping advice and did not refer. No agency escalated."),
    dict(id="M02", rule_id="injury_not_escalated", trigger="ha_ae_head", also=["repeated_injury_or_ae"],
         expected_action="referral to children's social care / child protection medical within 2 days",
         note="Head injury at 9 months, unwitnessed fall with a vague explanation, child on a child protection plan; "
              "observed overnight and discharged with no referral. Second injury within 90 days of the burn."),
    dict(id="M03", rule_id="repeated_injury_or_ae", trigger="hb_ae_arm", also=["injury_not_escalated"],
         expected_action="referral to children's social care within 2 days (pattern of injuries / A&E attendances)",
         note="Third A&E attendance in a year (St Brendan's 20/07/2023, Northgate 29/11/2023, St Brendan's 16/01/2024) "
              "and second injury in 90 days, across two trusts; discharged with the partner, no referral."),
    dict(id="M04", rule_id="referral_no_decision", trigger="gp_referral_2",
         expected_action="social care decision on the referral within 1 working day",
         note="GP referral on Tue 30/04/2024; MASH decision only on Wed 08/05/2024, 5 working days later "
              "(Mon 06/05/2024 was a bank holiday)."),
    dict(id="M05", rule_id="strategy_no_conference", trigger="csc_strategy_1", duplicates=["pol_strategy_1"],
         expected_action="initial child protection conference within 15 working days",
         note="Strategy discussion on 14/09/2023 started a section 47 enquiry; the ICPC was on 19/10/2023, "
              "25 working days later. The police record the same strategy discussion (duplicate row)."),
    dict(id="M06", rule_id="was_not_brought", trigger="cdc_wnb_2",
         expected_action="follow-up within 14 days: child seen by the CDC, or escalation (child on a CP plan)",
         note="Second missed child development centre appointment in 28 days (06/12/2023 and 03/01/2024) for a child on "
              "a child protection plan; only a letter to the GP, next seen by the CDC on 13/03/2024."),
    dict(id="M07", rule_id="child_not_seen", trigger="csc_visit_asleep",
         expected_action="return visit within 7 days at which the child is seen",
         note="On a child protection plan: 'asleep upstairs', not seen, no return visit until 11/01/2024."),
    dict(id="M08", rule_id="child_not_seen", trigger="csc_visit_grandmother",
         expected_action="child seen at least every 14 days while on a child protection plan",
         note="On a child protection plan, not seen by any agency from 07/12/2023 to 11/01/2024 (35 days); "
              "the 28/12/2023 visit ('at his grandmother's', not seen) is the first contact past 14 days.",
         window=["2023-12-07", "2024-01-11"]),
    dict(id="M09", rule_id="child_not_seen", trigger="csc_visit_june",
         expected_action="return visit within 7 days at which the child is seen",
         note="Second child protection plan: 'asleep upstairs with a temperature', not seen; next seen 04/07/2024."),
    dict(id="M10", rule_id="child_not_seen", trigger="csc_visit_noreply",
         expected_action="child seen at least every 14 days while on a child protection plan",
         note="On a child protection plan, not seen by any agency from 30/05/2024 to 04/07/2024 (35 days; the "
              "children's centre saw him on 05/06 but records no 'child seen' column); the 25/06/2024 no-reply visit is "
              "the first visit past 14 days.",
         window=["2024-05-30", "2024-07-04"]),
    dict(id="M11", rule_id="information_not_shared", trigger="pol_di_2", decision="ha_discharge",
         expected_action="police concerns (poor home conditions, neglect) shared with health before Northgate's discharge",
         note="Police domestic incident on 18/11/2023 (partner drunk and arrested; flat dirty, smelt of cannabis) was "
              "shared with social care only; 12 days later Northgate discharged Kai home to mother and that partner "
              "without knowing of it."),
    # M12, M13 and M14 had not reached the same decision (the review conference): one flag lists them all,
    # triggered by the earliest of them (M13's head injury)
    dict(id="M12", rule_id="information_not_shared", trigger="hb_ae_arm", decision="csc_rcpc",
         also_triggers=["ha_ae_head"],
         expected_action="St Brendan's A&E attendance (bruising, vague explanation) shared with social care before the "
                         "review conference",
         note="St Brendan's told only the GP (who filed the letter); the review conference 9 days later ended the child "
              "protection plan without knowing of the bruised forearm."),
    dict(id="M13", rule_id="information_not_shared", trigger="ha_ae_head", decision="csc_rcpc",
         expected_action="Northgate head injury (vague explanation) shared with social care before the review conference",
         note="Northgate sent its letters to the GP and health visitor only; social care ended the plan without knowing "
              "of the head injury."),
    dict(id="M14", rule_id="information_not_shared", trigger="cdc_wnb_2", decision="csc_rcpc",
         also_triggers=["cdc_wnb_1", "ha_ae_head"],
         expected_action="missed CDC appointments of a child on a CP plan shared with social care before the review "
                         "conference",
         note="The child development centre wrote only to the GP and health visitor about two missed appointments "
              "(06/12/2023 and 03/01/2024); both are listed in the review conference's one flag."),
    dict(id="M15", rule_id="injury_not_escalated", trigger="cc_bruise_ear", also=["repeated_injury_or_ae"],
         expected_action="referral to children's social care within 2 days",
         note="Bruise to the ear and neck scratches in a 1-year-old with an explanation not consistent with the marks; "
              "recorded on a body map and the health visitor phoned, no referral."),
    dict(id="M16", rule_id="information_not_shared", trigger="cc_bruise_ear", decision="csc_closure",
         expected_action="the children's centre's bruising concern shared with social care before case closure",
         note="Little Acorns told the health visitor only; social care closed the case 14 days later."),
    dict(id="M17", rule_id="closure_with_open_concerns", trigger="csc_closure",
         expected_action="no closure/step-down while a recent injury concern is unassessed",
         note="Children's social care closed the case on 12/03/2024, 14 days after Little Acorns recorded a bruise to "
              "the ear (never shared with social care)."),
    dict(id="M18", rule_id="assessment_wait", trigger="hv_referral_cdc", duplicates=["cdc_referral_received"],
         expected_action="developmental assessment within 42 days of the request",
         note="Health visitor requested a developmental assessment on 14/06/2023; the CDC saw Kai on 23/08/2023, "
              "70 days (10 weeks) later. The CDC records the same request the next day (duplicate row)."),
]

ESCALATED = [
    dict(id="P01", rule_id="nonmobile_injury", trigger="gp_burn", escalation="gp_referral_1",
         also_escalation=["ha_cp_medical_1"],
         note="Burn in a 7-month-old (not mobile) with an inconsistent explanation: GP referred to children's social care "
              "and arranged a child protection medical at Northgate, both the same day."),
    dict(id="P02", rule_id="referral_no_decision", trigger="gp_referral_1", escalation="csc_decision_2",
         note="GP referral on Tue 12/09/2023 decided by MASH on Wed 13/09/2023 (next working day)."),
    dict(id="P03", rule_id="strategy_no_conference", trigger="csc_strategy_2", escalation="csc_icpc_2",
         note="Strategy discussion on Thu 09/05/2024, ICPC on Thu 23/05/2024: 10 working days."),
    dict(id="P04", rule_id="was_not_brought", trigger="gp_wnb_2", escalation="gp_neglect",
         note="Two missed GP immunisation appointments (09/04 and 23/04/2024); GP saw Kai 7 days later and referred."),
    dict(id="P05", rule_id="injury_not_escalated", trigger="ha_cp_medical_2", escalation="ha_cp_medical_2",
         note="Bruising found at the child protection medical itself (an escalation) on 10/05/2024."),
    dict(id="P06", rule_id="injury_not_escalated", trigger="ha_ae_death", escalation="ha_ae_death",
         also_escalation=["pol_death"],
         note="Fatal injuries: police child abuse investigation team called the same day."),
]


# ---------------------------------------------------------------------------------------------------
# Renderers: each returns {event key: (sheet, row)} for the rows it wrote
# ---------------------------------------------------------------------------------------------------
def yn(value, yes="Yes", no="No", unknown=""):
    return unknown if value is None else (yes if value else no)


def dmy(d: dt.date) -> str:
    return d.strftime("%d/%m/%Y")


def ordinal_date(d: dt.date) -> str:
    n = d.day
    suffix = "th" if 11 <= n % 100 <= 13 else {1: "st", 2: "nd", 3: "rd"}.get(n % 10, "th")
    return f"{n}{suffix} {d.strftime('%B %Y')}"


def events_of(agency: str) -> list[Event]:
    rows = [e for e in EVENTS if e.agency == agency]
    return sorted(rows, key=lambda e: (e.date, e.time or "99:99"))


def _fix_workbook_metadata(wb) -> None:
    wb.properties.creator = "review sample case generator"
    wb.properties.created = FIXED_TIME
    wb.properties.modified = FIXED_TIME
    wb.properties.lastModifiedBy = "review sample case generator"


def render_gp(path: Path) -> dict:
    """GP .xlsx: two title rows and a blank row above the header; same-day entries share a merged date cell."""
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font

    wb = Workbook()
    ws = wb.active
    ws.title = "GP chronology"
    ws["A1"] = "Larkfield Medical Practice - chronology for Kai ASHDOWN (DOB 14/02/2023)"
    ws["A1"].font = Font(bold=True, size=13)
    ws["A2"] = "Entries extracted from the GP clinical record for the child safeguarding practice review. Times are consultation start times."
    header = ["Date", "Time", "Practitioner", "Type of contact", "Details of contact", "Action taken", "Child seen", "Shared with"]
    ws.append([])  # row 3 blank
    ws.append(header)  # row 4
    for cell in ws[4]:
        cell.font = Font(bold=True)
    where = {}
    events = events_of("GP")
    row = 5
    i = 0
    while i < len(events):
        same_day = [e for e in events[i:] if e.date == events[i].date]
        first = row
        for e in same_day:
            ws.cell(row, 1, dt.datetime.combine(e.date, dt.time()) if e is same_day[0] else None)
            ws.cell(row, 1).number_format = "dd/mm/yyyy"
            values = [e.time, e.role, e.type, e.desc, e.action, yn(e.seen), e.shared]
            for col, value in enumerate(values, start=2):
                ws.cell(row, col, value if value != "" else None)
            where[e.key] = ("GP chronology", row)
            row += 1
        if len(same_day) > 1:
            ws.merge_cells(start_row=first, start_column=1, end_row=row - 1, end_column=1)
            ws.cell(first, 1).alignment = Alignment(vertical="top")
        i += len(same_day)
    for col, width in zip("ABCDEFGH", (12, 7, 14, 22, 70, 45, 10, 30)):
        ws.column_dimensions[col].width = width
    _fix_workbook_metadata(wb)
    wb.save(path)
    return where


def render_hv(path: Path) -> dict:
    """Health visiting .csv in cp1252 with its own column names and day-first text dates."""
    header = ["Visit date", "Visit type", "Practitioner", "HV notes", "Outcome/plan", "Seen?"]
    buf = io.StringIO()
    writer = csv.writer(buf, lineterminator="\r\n")
    writer.writerow(header)
    where = {}
    for row, e in enumerate(events_of("HV"), start=2):
        writer.writerow([dmy(e.date), e.type, e.role, e.desc, e.action, yn(e.seen, "Y", "N")])
        where[e.key] = ("", row)
    path.write_bytes(buf.getvalue().encode("cp1252"))
    return where


def render_northgate(path: Path) -> dict:
    """Hospital A .xlsx: one sheet per year, datetime date cells, a separate Time column, a repeated header."""
    from openpyxl import Workbook
    from openpyxl.styles import Font

    header = ["Date", "Time", "Department", "Clinician", "Type of contact", "Summary", "Outcome", "Child seen", "Shared with"]
    departments = {"A&E attendance": "Emergency department", "Dressing clinic": "Plastics dressing clinic"}
    wb = Workbook()
    wb.remove(wb.active)
    where = {}
    for year in (2023, 2024):
        ws = wb.create_sheet(str(year))
        ws.append(header)
        for cell in ws[1]:
            cell.font = Font(bold=True)
        events = [e for e in events_of("HA") if e.date.year == year]
        for n, e in enumerate(events):
            if year == 2023 and n == 3:  # page break in the original print: the header repeats
                ws.append(header)
            h, m = (int(x) for x in e.time.split(":"))
            ws.append([dt.datetime.combine(e.date, dt.time()), dt.time(h, m), departments.get(e.type, "Paediatrics"),
                       e.role, e.type, e.desc, e.action, yn(e.seen, "Y", "N"), e.shared or None])
            r = ws.max_row
            ws.cell(r, 1).number_format = "yyyy-mm-dd"
            ws.cell(r, 2).number_format = "hh:mm"
            where[e.key] = (str(year), r)
        for col, width in zip("ABCDEFGHI", (12, 7, 22, 24, 22, 70, 50, 10, 30)):
            ws.column_dimensions[col].width = width
    _fix_workbook_metadata(wb)
    wb.save(path)
    return where


def render_st_brendans(path: Path) -> dict:
    """Hospital B .ods (OpenDocument) with date-valued cells."""
    from odf.opendocument import OpenDocumentSpreadsheet
    from odf.style import Style, TableColumnProperties
    from odf.table import Table, TableCell, TableColumn, TableRow
    from odf.text import P

    header = ["Date of contact", "Time", "Role", "Type of contact", "Event", "Action taken", "Comment", "Child seen",
              "Information shared with"]
    doc = OpenDocumentSpreadsheet()
    doc.meta.childNodes[:] = []  # no generator/creation-date metadata: deterministic content
    widths = ("2.5cm", "1.5cm", "3.5cm", "4cm", "12cm", "8cm", "5cm", "2cm", "5cm")
    table = Table(name="Chronology")
    for n, width in enumerate(widths):
        style = Style(name=f"co{n}", family="table-column")
        style.addElement(TableColumnProperties(columnwidth=width))
        doc.automaticstyles.addElement(style)
        table.addElement(TableColumn(stylename=style))

    def add_row(values):
        tr = TableRow()
        for value in values:
            if isinstance(value, dt.date):
                cell = TableCell(valuetype="date", datevalue=value.isoformat())
                cell.addElement(P(text=dmy(value)))
            elif value in (None, ""):
                cell = TableCell()
            else:
                cell = TableCell(valuetype="string")
                cell.addElement(P(text=str(value)))
            tr.addElement(cell)
        table.addElement(tr)

    add_row(header)
    where = {}
    for row, e in enumerate(events_of("HB"), start=2):
        add_row([e.date, e.time, e.role, e.type, e.desc, e.action, e.analysis, yn(e.seen), e.shared])
        where[e.key] = ("Chronology", row)
    doc.spreadsheet.addElement(table)
    doc.save(str(path))
    return where


def render_cdc(path: Path) -> dict:
    """Child development centre .xls (BIFF8 via xlwt) with an unusual header: When / Clinician / Notes / Plan."""
    import xlwt

    wb = xlwt.Workbook(encoding="utf-8")
    ws = wb.add_sheet("CDC contacts")
    bold = xlwt.easyxf("font: bold on")
    date_style = xlwt.easyxf(num_format_str="dd/mm/yyyy")
    for col, text in enumerate(["When", "Clinician", "Notes", "Plan", "Attended"]):
        ws.write(0, col, text, bold)
    where = {}
    for n, e in enumerate(events_of("CDC"), start=1):
        ws.write(n, 0, dt.datetime.combine(e.date, dt.time()), date_style)
        ws.write(n, 1, e.role)
        ws.write(n, 2, e.desc)
        ws.write(n, 3, e.action)
        ws.write(n, 4, yn(e.seen, "Yes", "No", "n/a"))
        where[e.key] = ("CDC contacts", n + 1)
    for col, width in enumerate((12, 24, 80, 40, 10)):
        ws.col(col).width = 256 * width
    buf = io.BytesIO()
    wb.save(buf)
    path.write_bytes(buf.getvalue())
    return where


def render_csc(path: Path) -> dict:
    """Children's social care .xlsx with text dates ("5th April 2023") and two partial dates."""
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font

    header = ["Date", "Worker", "Type of contact", "Details of contact", "Outcome", "Analysis", "Child seen",
              "Seen alone", "Shared with"]
    wb = Workbook()
    ws = wb.active
    ws.title = "Chronology"
    ws.append(header)
    for cell in ws[1]:
        cell.font = Font(bold=True)
    ws.freeze_panes = "A2"
    where = {}
    for e in events_of("CSC"):
        ws.append([e.date_text or ordinal_date(e.date), e.role, e.type, e.desc, e.action or None, e.analysis or None,
                   yn(e.seen, "Yes", "No", None), yn(e.alone, "Yes", "No", None), e.shared or None])
        r = ws.max_row
        for cell in ws[r]:
            cell.alignment = Alignment(wrap_text=True, vertical="top")
        where[e.key] = ("Chronology", r)
    for col, width in zip("ABCDEFGHI", (20, 20, 26, 70, 45, 35, 10, 10, 35)):
        ws.column_dimensions[col].width = width
    _fix_workbook_metadata(wb)
    wb.save(path)
    return where


def render_police(path: Path) -> dict:
    """Police .csv: UTF-8 with BOM, semicolon-delimited, separate Date and Time columns."""
    header = ["Date", "Time", "Role", "Type of contact", "Details", "Action taken", "Child seen", "Shared with"]
    buf = io.StringIO()
    writer = csv.writer(buf, delimiter=";", lineterminator="\r\n")
    writer.writerow(header)
    where = {}
    for row, e in enumerate(events_of("POL"), start=2):
        writer.writerow([dmy(e.date), e.time, e.role, e.type, e.desc, e.action, yn(e.seen), e.shared])
        where[e.key] = ("", row)
    path.write_bytes(buf.getvalue().encode("utf-8-sig"))
    return where


def render_childrens_centre(path: Path) -> dict:
    """Children's centre .docx: preamble, then the chronology template table split in two (header repeated)."""
    import docx
    from docx.shared import Pt

    document = docx.Document()
    props = document.core_properties
    props.author = "Little Acorns Children's Centre"
    props.created = FIXED_TIME
    props.modified = FIXED_TIME
    props.last_modified_by = "review sample case generator"
    props.revision = 1
    props.title = "Little Acorns Children's Centre chronology"
    document.add_heading("Little Acorns Children's Centre - chronology of involvement", level=1)
    document.add_paragraph(
        "Child: Kai Ashdown (DOB 14/02/2023). Prepared by the centre manager for the child safeguarding practice "
        "review from the centre's session registers, family support records and body maps. Entries are in date "
        "order; the sequence number orders entries on the same day."
    )
    header = ["Start Date", "Start Time", "End Date", "End Time", "Sequence", "Source of Information", "Details", "Outcome"]
    events = events_of("CC")
    parts = [[e for e in events if e.date.year == 2023], [e for e in events if e.date.year == 2024]]
    where = {}
    seq = 0
    for t_index, part in enumerate(parts, start=1):
        if t_index == 2:
            document.add_paragraph("Chronology continued (2024).")
        table = document.add_table(rows=1, cols=len(header))
        table.style = "Table Grid"
        for cell, text in zip(table.rows[0].cells, header):
            cell.text = text
            for run in cell.paragraphs[0].runs:
                run.font.bold = True
                run.font.size = Pt(9)
        for r, e in enumerate(part, start=2):
            seq += 1
            values = [dmy(e.date), e.time, dmy(e.date) if e.end_time else "", e.end_time, str(seq), e.role, e.desc,
                      e.action]
            cells = table.add_row().cells
            for cell, text in zip(cells, values):
                cell.text = text
            where[e.key] = (f"table {t_index}", r)
    document.save(str(path))
    return where


RENDERERS = {
    "GP": render_gp,
    "HV": render_hv,
    "HA": render_northgate,
    "HB": render_st_brendans,
    "CDC": render_cdc,
    "CSC": render_csc,
    "POL": render_police,
    "CC": render_childrens_centre,
}

PROFILES = {
    "hv": {
        "description": "Eastborough Community Health health-visiting extract (csv, cp1252)",
        "columns": {"date": "Visit date", "contact_type": "Visit type", "role": "Practitioner",
                    "description": "HV notes", "action": "Outcome/plan", "child_seen": "Seen?"},
    },
    "cdc": {
        "description": "Eastborough Child Development Centre appointment log (xls)",
        "columns": {"date": "When", "role": "Clinician", "description": "Notes", "action": "Plan",
                    "child_seen": "Attended"},
    },
}


# ---------------------------------------------------------------------------------------------------
# Checks on the story itself (so the planted margins are what the README says)
# ---------------------------------------------------------------------------------------------------
def check_story() -> None:
    keys = [e.key for e in EVENTS]
    assert len(keys) == len(set(keys)), "duplicate event keys"
    by_key = {e.key: e for e in EVENTS}
    office = {"GP", "HV", "CDC", "CSC", "CC"}
    for e in EVENTS:
        assert DOB <= e.date <= REVIEW_DATE, e.key
        if e.agency in office and not e.date_text:
            assert e.date.weekday() < 5 and e.date not in BANK_HOLIDAYS, f"{e.key} on a non-working day"
    for gt in MISSED + ESCALATED:
        for k in ("trigger", "escalation", "decision"):
            if k in gt:
                assert gt[k] in by_key, gt[k]
    # the working-day margins the README promises
    assert working_days_between(D("2024-04-30"), D("2024-05-08")) == 5
    assert working_days_between(D("2023-09-12"), D("2023-09-13")) == 1
    assert working_days_between(D("2023-09-14"), D("2023-10-19")) == 25
    assert working_days_between(D("2024-05-09"), D("2024-05-23")) == 10
    assert (D("2023-08-23") - D("2023-06-14")).days == 70
    assert by_key["hv_bruise_3m"].date < MOBILE_FROM and by_key["gp_burn"].date < MOBILE_FROM


# ---------------------------------------------------------------------------------------------------
# Writing the case folder
# ---------------------------------------------------------------------------------------------------
def dump_yaml(data, path: Path, comment: str = "") -> None:
    text = yaml.safe_dump(data, sort_keys=False, allow_unicode=True, width=110)
    path.write_text((comment + text) if comment else text, encoding="utf-8")


def provenance(where: dict, key: str) -> dict:
    agency = next(e.agency for e in EVENTS if e.key == key)
    sheet, row = where[key]
    return {"file": AGENCIES[agency][1], "sheet": sheet, "row": row}


def event_summary(key: str) -> dict:
    e = next(e for e in EVENTS if e.key == key)
    return {"date": e.date.isoformat(), "agency": AGENCIES[e.agency][0], "text": e.desc[:60]}


def build_ground_truth(where: dict) -> dict:
    missed = []
    for m in MISSED:
        entry = {"id": m["id"], "rule_id": m["rule_id"], "trigger": provenance(where, m["trigger"]),
                 "trigger_event": event_summary(m["trigger"])}
        if m.get("also"):
            entry["also_flagged_by"] = list(m["also"])
        if m.get("decision"):
            entry["decision"] = provenance(where, m["decision"])
            entry["decision_event"] = event_summary(m["decision"])
        if m.get("also_triggers"):  # other rows that trigger the same rule for the same failure
            entry["also_triggers"] = [provenance(where, k) for k in m["also_triggers"]]
        if m.get("duplicates"):  # the same event recorded by another agency
            entry["duplicate_triggers"] = [provenance(where, k) for k in m["duplicates"]]
        if m.get("window"):
            entry["window"] = list(m["window"])
        entry["expected_action"] = m["expected_action"]
        entry["note"] = m["note"]
        missed.append(entry)
    escalated = []
    for p in ESCALATED:
        entry = {"id": p["id"], "rule_id": p["rule_id"], "trigger": provenance(where, p["trigger"]),
                 "trigger_event": event_summary(p["trigger"]), "escalation": provenance(where, p["escalation"]),
                 "escalation_event": event_summary(p["escalation"])}
        if p.get("also_escalation"):
            entry["also_escalation"] = [provenance(where, k) for k in p["also_escalation"]]
        entry["note"] = p["note"]
        escalated.append(entry)
    duplicates = [
        {"event": "initial child protection conference 19/10/2023",
         "rows": [provenance(where, k) for k in ("csc_icpc_1", "gp_icpc_1", "hv_icpc_1", "pol_icpc_1", "cc_icpc_1")]},
        {"event": "referral to the child development centre 14/06/2023",
         "rows": [provenance(where, k) for k in ("hv_referral_cdc", "cdc_referral_received")]},
        {"event": "strategy discussion 14/09/2023", "rows": [provenance(where, k) for k in ("csc_strategy_1", "pol_strategy_1")]},
        {"event": "joint home visit 15/09/2023", "rows": [provenance(where, k) for k in ("csc_joint_visit", "pol_joint_visit")]},
        {"event": "GP referral 12/09/2023", "rows": [provenance(where, k) for k in ("gp_referral_1", "csc_referral_1")]},
        {"event": "core group 02/11/2023", "rows": [provenance(where, k) for k in ("csc_core_group_1", "hv_core_group_1")]},
        {"event": "GP referral 30/04/2024", "rows": [provenance(where, k) for k in ("gp_referral_2", "csc_referral_2")]},
        {"event": "strategy discussion 09/05/2024", "rows": [provenance(where, k) for k in ("csc_strategy_2", "pol_strategy_2")]},
        {"event": "initial child protection conference 23/05/2024",
         "rows": [provenance(where, k) for k in ("csc_icpc_2", "gp_icpc_2", "hv_icpc_2", "pol_icpc_2", "cc_icpc_2")]},
    ]
    return {
        "case_id": "sample",
        "synthetic": True,
        "row_numbering": "1-based as the spreadsheet shows it, title and header rows included; sheet '' for csv, "
                         "'table N' (1-based) for Word tables, whose row 1 is the header",
        "contacts": len(EVENTS),
        "agencies": len(AGENCIES),
        "missed": missed,
        "escalated": escalated,
        "duplicates": duplicates,
    }


README_STORY = """\
# Sample case: "Kai Ashdown" (synthetic)

**Everything in this folder is invented.** The child, his family, the practitioners and every organisation
(Larkfield Medical Practice, Eastborough Community Health, Northgate University Hospital, St Brendan's
Hospital, Eastborough Child Development Centre, Eastborough Children's Social Care, Eastborough Police / CAIT,
Little Acorns Children's Centre) are fictional. No real person's data is used. The pattern of the story is
modelled on what published serious case reviews describe (many contacts with health professionals across
several trusts, injuries explained away, a child not seen), not on any real case record.

Generated by `scripts/make_sample_case.py` (deterministic): edit the story there and regenerate with
`python scripts/make_sample_case.py`; never edit the files here by hand.

## The story

Kai was born on 14/02/2023 at St Brendan's Hospital to Chloe Ashdown ("Mother"), who has a history of
depression. Her partner Dean Fowler ("Mother's partner") drinks; the police attended a domestic incident in
April 2023, and social care screened the notification out to early help (Little Acorns Children's Centre).
At 3 months the health visitor saw a bruise on Kai's cheek with a vague explanation and gave safe-sleeping
advice. In June she asked for a developmental assessment, which took 10 weeks.

At 7 months Kai had a burn to his hand; the GP referred him to social care and to a child protection medical
the same day, and a strategy discussion started a section 47 enquiry, but the initial child protection
conference took 25 working days. On the plan (physical abuse) Kai missed two child development centre
appointments, was seen at Northgate A&E with a head injury (not referred; the hospital discharged him
without knowing of a second police domestic incident a week and a half earlier), was not seen by anyone for
five weeks over Christmas ("asleep upstairs", "at his grandmother's"), and was seen at St Brendan's A&E with a
bruised forearm. Neither hospital told social care, and the review conference ended the plan. A bruise to
his ear at the children's centre was not referred, and social care closed the case two weeks later.

In April 2024 the GP found faltering growth and neglect after two missed appointments and referred; social care
took 5 working days to decide. A strategy discussion, a child protection medical (unexplained bruising) and an
initial conference within 10 working days followed and Kai was again on a plan (neglect). He was then hardly
seen for five weeks ("asleep upstairs", no reply; a police call-out where he was "asleep upstairs" again), and
died on 15/07/2024, aged 17 months, with injuries that suggested non-accidental injury.
"""

README_NOTES = """\
## Notes for the ingest and rules code

* Two files need a declared profile (`profiles/hv.yml`, `profiles/cdc.yml`): their headers ("Visit date",
  "HV notes", "Outcome/plan", "Seen?"; "When", "Clinician", "Notes", "Plan", "Attended") are not generic
  synonyms. Every other file is read with the generic profile.
* Child seen is recorded as Yes/No (GP, St Brendan's, social care, police), Y/N (health visiting, Northgate),
  Yes/No/n/a (CDC "Attended"); the children's centre template has no child-seen column, so its sightings are
  unknown (this is why the June 2024 gap runs from the health visitor's visit on 30/05/2024).
* Negations that must not be concerns: "skin intact, no bruising", "no bruising seen today", "no marks or bruising
  seen", "no injuries", "X-ray: no fracture", "No thoughts of self-harm", "no bruising, no injuries seen".
* Decisions (for `information_not_shared`): discharges, referral decisions, conferences and the case closure.
  Each conference is recorded by every agency with the same wording (so all attendees know the same concerns);
  the review conference is recorded by social care only.
* The generator checks its own margins (weekends and England bank holidays counted): see `check_story()`.
"""


def render_readme(gt: dict) -> str:
    lines = [README_STORY, "## Files\n", "| agency | file | format / layout |", "|---|---|---|"]
    layouts = {
        "GP": ".xlsx; title rows above the header; merged date cells for same-day entries",
        "HV": ".csv in cp1252; own column names (profile `profiles/hv.yml`); dd/mm/yyyy text dates",
        "HA": ".xlsx; sheets 2023 and 2024; datetime date cells, separate Time column; repeated header row",
        "HB": ".ods; date-valued cells",
        "CDC": ".xls (BIFF8); headers When / Clinician / Notes / Plan / Attended (profile `profiles/cdc.yml`)",
        "CSC": ".xlsx; text dates ('5th April 2023'), partial dates ('Mar 2024', 'early May 2024')",
        "POL": ".csv UTF-8 with BOM; ';'-delimited; separate Date and Time columns",
        "CC": ".docx; preamble paragraphs; chronology template table split into two tables (header repeated)",
    }
    for key, (name, file, *_rest) in AGENCIES.items():
        count = sum(1 for e in EVENTS if e.agency == key)
        lines.append(f"| {name} ({count} rows) | `{file}` | {layouts[key]} |")
    lines += [
        "",
        f"{gt['contacts']} contacts from {gt['agencies']} agencies. `vocab.yml` adds the fictional agencies to the "
        "alias table (names used in the files and in the 'Shared with' columns).",
        "",
        "## Planted missed escalation points (`ground_truth.yml`: missed)\n",
        "| id | rule | trigger (file, sheet, row) | what happened |",
        "|---|---|---|---|",
    ]
    for m in gt["missed"]:
        t = m["trigger"]
        also = f" (also {', '.join(m['also_flagged_by'])})" if m.get("also_flagged_by") else ""
        lines.append(f"| {m['id']} | `{m['rule_id']}`{also} | `{t['file']}` {t['sheet']!r} row {t['row']} | {m['note']} |")
    lines += ["", "## Properly escalated concerns (must not be flagged; `ground_truth.yml`: escalated)\n",
              "| id | rule it satisfies | trigger | escalation | what happened |", "|---|---|---|---|---|"]
    for p in gt["escalated"]:
        t, e = p["trigger"], p["escalation"]
        lines.append(
            f"| {p['id']} | `{p['rule_id']}` | `{t['file']}` {t['sheet']!r} row {t['row']} | "
            f"`{e['file']}` {e['sheet']!r} row {e['row']} | {p['note']} |"
        )
    lines += [
        "",
        "Duplicated events (the same event reported by several agencies, for the timeline to link) are listed under "
        "`duplicates` in `ground_truth.yml`: both initial conferences (every agency), both strategy discussions, the "
        "joint home visit, the GP referrals and the health visitor's referral to the CDC (sender and receiver) and a core group.",
        "",
        "For `information_not_shared` the trigger is the concern row (agency A) and `decision` the row of the "
        "agency that decided without it (agency B); for `child_not_seen` gaps, `window` gives the last and next "
        "sighting; `also_triggers` are further rows that raise the same flag for the same failure and "
        "`duplicate_triggers` the same event recorded by another agency.",
        "",
        README_NOTES,
    ]
    return "\n".join(lines)


def case_yaml() -> dict:
    files = []
    for key, (name, file, profile, *_rest) in AGENCIES.items():
        entry = {"path": file, "agency": name}
        if profile:
            entry["profile"] = profile
        files.append(entry)
    return {
        "case_id": "sample",
        "child_name": CHILD,
        "date_of_birth": DOB.isoformat(),
        "mobile_from": MOBILE_FROM.isoformat(),
        "date_of_death": DATE_OF_DEATH.isoformat(),
        "review_date": REVIEW_DATE.isoformat(),
        "people": dict(PEOPLE),
        "addresses": list(ADDRESSES),
        "files": files,
    }


def vocab_yaml() -> dict:
    agencies = {}
    for name, _file, _profile, aliases, kind, organisation in AGENCIES.values():
        agencies[name] = {"aliases": list(aliases), "kind": kind, "organisation": organisation}
    # the type cells of the sample's chronologies that name no type the package vocabulary knows (ingest
    # warns of such a cell and reads the row's description instead): what this case's agencies mean by them
    contact_types = {"home_visit": ["3-month contact"], "police_callout": ["sudden death of a child"],
                     "other": ["case note", "management oversight"]}
    return {"agencies": agencies, "contact_types": contact_types}


def normalise_zip(path: Path) -> None:
    """Rewrite a zip-based document (xlsx, ods, docx) with fixed entry timestamps, so that regenerating
    the case gives byte-identical files (the writers stamp every zip entry with the current time)."""
    import zipfile

    with zipfile.ZipFile(path) as zin:
        entries = [(info, zin.read(info.filename)) for info in zin.infolist()]
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as zout:
        for info, data in entries:
            if info.filename == "docProps/core.xml":  # openpyxl stamps "modified" with the time of saving
                stamp = FIXED_TIME.strftime("%Y-%m-%dT%H:%M:%SZ").encode()
                data = re.sub(rb"(<dcterms:modified[^>]*>)[^<]*(</dcterms:modified>)", rb"\g<1>" + stamp + rb"\g<2>", data)
            fixed = zipfile.ZipInfo(info.filename, date_time=FIXED_TIME.timetuple()[:6])
            # the OpenDocument "mimetype" entry must stay first and uncompressed
            fixed.compress_type = zipfile.ZIP_STORED if info.filename == "mimetype" else zipfile.ZIP_DEFLATED
            fixed.external_attr = 0o644 << 16
            zout.writestr(fixed, data)
    path.write_bytes(buf.getvalue())


def generate(out: Path) -> dict:
    """Write the whole case folder into `out`; return the ground truth."""
    check_story()
    out = Path(out)
    out.mkdir(parents=True, exist_ok=True)
    (out / "profiles").mkdir(exist_ok=True)
    where: dict = {}
    for key, render in RENDERERS.items():
        file = AGENCIES[key][1]
        rendered = render(out / file)
        if (out / file).suffix in (".xlsx", ".ods", ".docx"):
            normalise_zip(out / file)
        assert set(rendered) == {e.key for e in EVENTS if e.agency == key}
        where.update(rendered)
    header = "# Generated by scripts/make_sample_case.py - do not edit by hand. Synthetic data only.\n"
    dump_yaml(case_yaml(), out / "case.yml", header)
    dump_yaml(vocab_yaml(), out / "vocab.yml",
              header + "# The sample case's fictional agencies (extends the package alias table), and what its agencies mean by\n"
              "# the type cells the package vocabulary does not know.\n")
    for name, profile in PROFILES.items():
        dump_yaml(profile, out / "profiles" / f"{name}.yml", header)
    gt = build_ground_truth(where)
    dump_yaml(gt, out / "ground_truth.yml", header)
    (out / "README.md").write_text(render_readme(gt), encoding="utf-8")
    return gt


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=DEFAULT_OUT, help="case folder to write (default: %(default)s)")
    args = parser.parse_args(argv)
    gt = generate(args.out)
    print(f"wrote {args.out}: {gt['contacts']} contacts, {gt['agencies']} agencies, "
          f"{len(gt['missed'])} planted missed escalation points, {len(gt['escalated'])} properly escalated")
    return 0


if __name__ == "__main__":
    sys.exit(main())
