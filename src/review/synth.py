"""Synthetic cases at national scale: contacts, case tables and planted missed escalations.

`synth_contacts` generates the canonical contact table for many cases with vectorised numpy (a million
contacts in a few seconds), together with the case table (date of birth, mobility, review date) and the
ground truth: the missed escalation points it planted, one row per planted pattern, so that the rules
can be checked for recall. `write_case_folders` writes the same data as realistic case folders (case.yml
plus one spreadsheet per agency in the generic layout) for ingest tests and benchmarks.

Everything is synthetic: place, organisation and people names are invented.
"""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from .schema import CONTACT_COLUMNS, MULTI_SEP, conform, split_multi

GENERATOR_VERSION = "1"

# ---------------------------------------------------------------------------------------------------
# Organisations: invented place names combined into councils, police forces, trusts, practices, schools
# ---------------------------------------------------------------------------------------------------
_PREFIXES = ("Ash", "Brook", "Cal", "Dun", "Elm", "Fair", "Glen", "Hart", "Iron", "King", "Lang", "Mill",
             "Nor", "Oak", "Pen", "Quar", "Red", "Stan", "Thorn", "Up", "Wal", "Wes", "Whit", "Yar")
_SUFFIXES = ("ford", "ley", "ton", "bury", "field", "ham", "wick", "by", "mouth", "stead")
_PLACES = tuple(p + s for p in _PREFIXES for s in _SUFFIXES)  # 240 invented places
N_AREAS = 150  # local authority areas; each case lives in one
_GP_KINDS = ("Surgery", "Medical Centre", "Health Centre")
_VOLUNTARY = ("Safe Homes Domestic Abuse Service", "Family Lifeline", "Children First Charity", "Harbour Women's Aid")


@dataclass(frozen=True)
class Service:
    """An agency as it appears in a chronology: its name, kind, the practitioner role and its contact mix."""

    agency: str
    kind: str
    role: str
    slug: str
    mix: tuple[tuple[str, float], ...]  # background contact types and their weights


# Background contacts carry no escalation-type events: referrals, strategy discussions, conferences,
# WNBs and A&E attendances only come from scripted episodes, so the ground truth stays exact.
SERVICES: tuple[Service, ...] = (
    Service("GP", "health", "GP", "gp", (("clinic_appointment", 0.8), ("phone_call", 0.12), ("letter", 0.08))),
    Service("Health Visiting", "health", "Health Visitor", "health_visiting",
            (("home_visit", 0.7), ("clinic_appointment", 0.2), ("phone_call", 0.1))),
    Service("Emergency Department", "health", "ED Doctor", "emergency_department", (("phone_call", 1.0),)),
    Service("Paediatric Department", "health", "Paediatrician", "paediatrics", (("clinic_appointment", 0.8), ("letter", 0.2))),
    Service("Children's Social Care", "social care", "Social Worker", "childrens_social_care",
            (("home_visit", 0.5), ("phone_call", 0.3), ("letter", 0.2))),
    Service("Police", "police", "Police Officer", "police", (("police_callout", 0.7), ("phone_call", 0.3))),
    Service("School", "education", "Designated Safeguarding Lead", "school",
            (("other", 0.5), ("phone_call", 0.3), ("letter", 0.2))),
    Service("Housing", "housing", "Housing Officer", "housing", (("home_visit", 0.4), ("letter", 0.6))),
    Service("Domestic Abuse Charity", "voluntary", "Family Support Worker", "domestic_abuse_service",
            (("phone_call", 0.5), ("home_visit", 0.5))),
)
S = {s.slug: i for i, s in enumerate(SERVICES)}
# background share of each service's contacts
_SERVICE_WEIGHTS = np.array([0.24, 0.26, 0.02, 0.05, 0.17, 0.08, 0.09, 0.04, 0.05])

CONTACT_TYPE_IDS = (
    "home_visit", "clinic_appointment", "ae_attendance", "admission", "discharge", "referral",
    "referral_decision", "assessment", "strategy_discussion", "s47_enquiry", "cp_medical", "cp_conference",
    "core_group", "case_closure", "phone_call", "letter", "was_not_brought", "police_callout", "arrest", "other",
)
T = {t: i for i, t in enumerate(CONTACT_TYPE_IDS)}

# Wording a practitioner might use, chosen so that the package vocabularies recognise it on ingest.
TYPE_LABELS = {
    "home_visit": "Home visit", "clinic_appointment": "GP appointment", "ae_attendance": "A&E attendance",
    "admission": "Admission", "discharge": "Discharge", "referral": "Referral",
    "referral_decision": "Referral decision", "assessment": "Single assessment",
    "strategy_discussion": "Strategy discussion", "s47_enquiry": "Section 47 enquiry",
    "cp_medical": "Child protection medical", "cp_conference": "Initial child protection conference",
    "core_group": "Core group", "case_closure": "Case closure", "phone_call": "Telephone call",
    "letter": "Letter", "was_not_brought": "Was not brought", "police_callout": "Police call-out",
    "arrest": "Arrest", "other": "Pastoral check-in",
}
TYPE_TEXT = {
    "home_visit": "Home visit completed, child seen with mother.",
    "clinic_appointment": "Routine appointment, child seen and examined.",
    "ae_attendance": "Attended A&E with mother.",
    "admission": "Admitted to the children's ward with bronchiolitis.",
    "discharge": "Discharged home, GP and health visitor informed.",
    "referral": "Referred to children's social care.",
    "referral_decision": "Referral screened by MASH: single assessment to be completed.",
    "assessment": "Single assessment completed by allocated social worker.",
    "strategy_discussion": "Strategy discussion held with police and health.",
    "s47_enquiry": "Section 47 enquiry started.",
    "cp_medical": "Child protection medical completed by paediatrician.",
    "cp_conference": "Initial child protection conference held: threshold not met, not made subject to a plan; child in need support agreed.",
    "core_group": "Core group meeting held.",
    "case_closure": "Case closed to children's social care.",
    "phone_call": "Telephone call with mother to arrange follow up.",
    "letter": "Letter sent to family with appointment details.",
    "was_not_brought": "Child was not brought to the appointment.",
    "police_callout": "Police attended address following a call from a neighbour.",
    "arrest": "Father arrested at the address.",
    "other": "Pastoral check-in at school.",
}
CONCERN_TEXT = {
    "bruising": "bruising to the cheek",
    "head_injury": "bump on head",
    "fracture": "fractured arm on x-ray",
    "burn": "scald to the hand",
    "other_injury": "swelling to the leg",
    "non_accidental": "possible non-accidental injury",
    "inconsistent_explanation": "explanation inconsistent with the injury",
    "neglect": "poor home conditions, child unkempt",
    "weight_loss": "faltering growth",
    "was_not_brought": "missed appointment",
    "domestic_abuse": "domestic abuse disclosed",
    "substance_misuse": "mother appeared intoxicated with alcohol",
    "parental_mental_health": "mother low in mood, postnatal depression",
    "child_not_seen": "child not seen, reported to be asleep upstairs",
    "self_harm": "superficial cuts to forearms, self-inflicted",
    "exploitation": "high risk of child sexual exploitation (CSE)",
    "missing": "reported missing from home overnight",
}
ESCALATION_OF_TYPE = {
    "strategy_discussion": "strategy_discussion", "s47_enquiry": "s47_enquiry", "cp_medical": "cp_medical",
    "cp_conference": "cp_conference",
}

CASE_COLUMNS = ("case_id", "date_of_birth", "mobile_from", "review_date", "window_start", "area",
                "local_authority", "police_force", "acute_trust", "community_trust", "gp_practice", "school",
                "contacts")
GROUND_TRUTH_COLUMNS = ("case_id", "rule_id", "trigger_event_id", "trigger_date", "evidence_event_ids",
                        "source_file", "source_row", "evidence_rows", "description")


def _organisations() -> dict[str, list[str]]:
    """Invented organisations, indexed by area: hundreds of councils, trusts, forces, practices, schools."""
    places = list(_PLACES)
    councils = [f"{places[a]} Council" for a in range(N_AREAS)]
    forces = [f"{places[N_AREAS + f]}shire Police" for f in range(40)]
    trusts = [f"{places[(7 * t) % len(places)]} Hospitals NHS Foundation Trust" for t in range(75)]
    community = [f"{places[(11 * t + 3) % len(places)]} Community Health NHS Trust" for t in range(50)]
    gps = [f"{places[(13 * g + 5) % len(places)]} {_GP_KINDS[g % 3]}" + (f" {g // len(places) + 1}" if g >= len(places) else "")
           for g in range(3 * N_AREAS)]
    schools = [f"{places[(17 * s + 1) % len(places)]} {'Primary School' if s % 2 else 'Nursery'}"
               + (f" {s // len(places) + 1}" if s >= len(places) else "") for s in range(2 * N_AREAS)]
    return {"council": councils, "police": forces, "trust": trusts, "community": community, "gp": gps,
            "school": schools, "voluntary": list(_VOLUNTARY)}


ORGANISATIONS = _organisations()


def _case_orgs(area: np.ndarray, rng: np.random.Generator) -> dict[str, np.ndarray]:
    n = len(area)
    return {
        "council": area,
        "police": area * 40 // N_AREAS,
        "trust": area // 2,
        "community": area // 3,
        "gp": area * 3 + rng.integers(0, 3, n),
        "school": area * 2 + rng.integers(0, 2, n),
        "voluntary": area % len(_VOLUNTARY),
    }


# which organisation table each service belongs to
_SERVICE_ORG = {"gp": "gp", "health_visiting": "community", "emergency_department": "trust", "paediatrics": "trust",
                "childrens_social_care": "council", "police": "police", "school": "school", "housing": "council",
                "domestic_abuse_service": "voluntary"}

# ---------------------------------------------------------------------------------------------------
# Episodes: scripted sequences of contacts. Handled ones are timely; planted ones are missed escalations.
# A step: (day offset from the episode start, service, contact type, concerns, escalation, child seen,
# informed agencies). Offsets are calendar days.
# ---------------------------------------------------------------------------------------------------
CSC = "Children's Social Care"
ALL = "*"  # informed: every other agency of the case (concerns shared through the MASH)
_HANDLED = {
    # an injury presented at A&E, referred the same day, medical and strategy the next days, visits after
    "injury_chain": [
        (0, "emergency_department", "ae_attendance", "fracture; inconsistent_explanation", "", True, ALL),
        (0, "emergency_department", "referral", "", "referral_to_csc", True, CSC),
        (0, "paediatrics", "cp_medical", "", "cp_medical", True, ALL),
        (1, "childrens_social_care", "referral_decision", "", "", None, ALL),
        (1, "childrens_social_care", "strategy_discussion", "", "strategy_discussion", None, ALL),
        (2, "childrens_social_care", "s47_enquiry", "", "s47_enquiry", True, ALL),
        (6, "childrens_social_care", "assessment", "", "", True, ALL),
        (12, "childrens_social_care", "cp_conference", "", "cp_conference", None, ALL),
        (20, "childrens_social_care", "home_visit", "", "", True, ""),
        (50, "childrens_social_care", "home_visit", "", "", True, ""),
        (80, "childrens_social_care", "home_visit", "", "", True, ""),
    ],
    "single_wnb": [
        (0, "gp", "was_not_brought", "was_not_brought", "", None, ALL),
        (5, "gp", "clinic_appointment", "", "", True, ""),
        (35, "health_visiting", "home_visit", "", "", True, ""),
        (70, "health_visiting", "home_visit", "", "", True, ""),
    ],
    "admission": [
        (0, "paediatrics", "admission", "", "", True, ""),
        (3, "paediatrics", "discharge", "", "", True, "GP; Health Visiting"),
    ],
    "referral_assessed": [
        (0, "school", "referral", "neglect", "referral_to_csc", True, ALL),
        (1, "childrens_social_care", "referral_decision", "", "", None, ALL),
        (8, "childrens_social_care", "assessment", "", "", True, ALL),
        (30, "childrens_social_care", "home_visit", "", "", True, ""),
        (60, "childrens_social_care", "home_visit", "", "", True, ""),
        (88, "childrens_social_care", "home_visit", "", "", True, ""),
    ],
}
# Planted missed escalations; `trigger` is the step whose event is the trigger in the ground truth.
# Each pattern is followed by visits so that, as far as possible, only its own rule fires.
_PLANTED = {
    "nonmobile_injury": ([
        (0, "health_visiting", "home_visit", "bruising", "", True, ALL),
        (21, "health_visiting", "home_visit", "", "", True, ""),
        (55, "health_visiting", "home_visit", "", "", True, ""),
        (85, "health_visiting", "home_visit", "", "", True, ""),
    ], 0),
    "injury_not_escalated": ([
        (0, "gp", "clinic_appointment", "bruising; inconsistent_explanation", "", True, ALL),
        (14, "health_visiting", "home_visit", "", "", True, ""),
        (50, "health_visiting", "home_visit", "", "", True, ""),
        (85, "health_visiting", "home_visit", "", "", True, ""),
    ], 0),
    "repeated_injury_or_ae": ([
        (0, "emergency_department", "ae_attendance", "other_injury", "", True, ALL),
        (20, "emergency_department", "ae_attendance", "", "", True, ALL),
        (41, "emergency_department", "ae_attendance", "burn", "", True, ALL),
        (60, "health_visiting", "home_visit", "", "", True, ""),
        (95, "health_visiting", "home_visit", "", "", True, ""),
        (125, "health_visiting", "home_visit", "", "", True, ""),
    ], 2),
    "referral_no_decision": ([
        (0, "police", "referral", "", "referral_to_csc", True, ALL),
    ], 0),
    "strategy_no_conference": ([
        (0, "police", "referral", "", "referral_to_csc", True, ALL),
        (1, "childrens_social_care", "referral_decision", "", "", None, ALL),
        (2, "childrens_social_care", "strategy_discussion", "", "strategy_discussion", None, ALL),
        (3, "childrens_social_care", "s47_enquiry", "", "s47_enquiry", True, ALL),
        (10, "childrens_social_care", "assessment", "", "", True, ALL),
    ], 2),
    "was_not_brought": ([
        (0, "paediatrics", "was_not_brought", "was_not_brought", "", None, ALL),
        (21, "paediatrics", "was_not_brought", "was_not_brought", "", None, ALL),
        (42, "paediatrics", "was_not_brought", "was_not_brought", "", None, ALL),
        (70, "health_visiting", "home_visit", "", "", True, ""),
        (105, "health_visiting", "home_visit", "", "", True, ""),
        (130, "health_visiting", "home_visit", "", "", True, ""),
    ], 2),
    "child_not_seen": ([
        (0, "childrens_social_care", "home_visit", "neglect; child_not_seen", "", False, ALL),
        (14, "childrens_social_care", "home_visit", "child_not_seen", "", False, ALL),
        (28, "childrens_social_care", "home_visit", "child_not_seen", "", False, ALL),
        (45, "childrens_social_care", "home_visit", "child_not_seen", "", False, ALL),
    ], 0),
    "information_not_shared": ([
        # (s18: the police notify children's social care of the incident, as they must of every domestic abuse
        # incident where a child lives, at any risk level: domestic_abuse_not_escalated's variant notification;
        # the planted failure is the health services' decisions made without it)
        (0, "police", "police_callout", "domestic_abuse; substance_misuse", "", True, CSC),
        (10, "health_visiting", "home_visit", "", "", True, ""),
        (18, "paediatrics", "admission", "", "", True, ""),
        (21, "paediatrics", "discharge", "", "", True, "GP; Health Visiting"),
        (45, "health_visiting", "home_visit", "", "", True, ""),
        (80, "health_visiting", "home_visit", "", "", True, ""),
    ], 0),
    "closure_with_open_concerns": ([
        (0, "school", "referral", "", "referral_to_csc", True, ALL),
        (1, "childrens_social_care", "referral_decision", "", "", None, ALL),
        (7, "childrens_social_care", "assessment", "", "", True, ALL),
        (20, "health_visiting", "home_visit", "neglect; weight_loss", "", True, ALL),
        (24, "childrens_social_care", "case_closure", "", "", None, ALL),
        (50, "health_visiting", "home_visit", "", "", True, ""),
        (85, "health_visiting", "home_visit", "", "", True, ""),
    ], 4),
    "assessment_wait": ([
        (0, "school", "referral", "", "referral_to_csc", True, ALL),
        (1, "childrens_social_care", "referral_decision", "", "", None, ALL),
        (95, "childrens_social_care", "assessment", "", "", True, ALL),
    ], 1),
}
# Planted after the others, with a random stream of its own and only in cases holding no other planted
# pattern, so that every other pattern's cases, events and ground truth are those the generator made before it
# was added: three police call-outs for domestic abuse within 12 months (the third "DASH completed: high risk" in
# half the cases, "medium risk" in the others: the repeat threshold alone), none referred to children's social
# care or MARAC. Shared with every agency, so information_not_shared stays silent; the health visitor sees the
# child while the concern is open, so child_not_seen does too.
_PLANTED_LATE = {
    "domestic_abuse_not_escalated": ([
        (0, "police", "police_callout", "domestic_abuse", "", True, ALL),
        (10, "health_visiting", "home_visit", "", "", True, ""),
        (30, "police", "police_callout", "domestic_abuse", "", True, ALL),
        (45, "health_visiting", "home_visit", "", "", True, ""),
        (60, "police", "police_callout", "domestic_abuse", "", True, ALL),
        (80, "health_visiting", "home_visit", "", "", True, ""),
        (115, "health_visiting", "home_visit", "", "", True, ""),
    ], 4),
    # (s14) a child found after a missing episode at risk of sexual exploitation, shared with every agency but
    # not referred to children's social care; in cases with no other planted pattern, the domestic abuse
    # pattern's included
    "exploitation_not_referred": ([
        (0, "police", "police_callout", "exploitation; missing", "", True, ALL),
        (10, "health_visiting", "home_visit", "", "", True, ""),
        (45, "health_visiting", "home_visit", "", "", True, ""),
        (80, "health_visiting", "home_visit", "", "", True, ""),
    ], 0),
    # (s15) a child seen in the emergency department after self-harm, shared with every agency, with no CAMHS
    # referral or psychosocial assessment (NICE NG225); a single episode: no referral to social care is due
    "self_harm_not_referred": ([
        (0, "emergency_department", "ae_attendance", "self_harm", "", True, ALL),
        (10, "health_visiting", "home_visit", "", "", True, ""),
        (45, "health_visiting", "home_visit", "", "", True, ""),
        (80, "health_visiting", "home_visit", "", "", True, ""),
    ], 0),
    # (s16) a child on a child protection plan moves in: the receiving social care records the transfer-in
    # notification and holds the transfer-in conference about 45 days later (some 30 working days: late, past
    # twice the 15 working days). The conference's outcome makes no plan (the synthetic conferences' text), so
    # no plan period starts and no other rule reads it
    "transfer_in_conference_late": ([
        (0, "childrens_social_care", "letter", "", "", None, ALL),
        (10, "childrens_social_care", "home_visit", "", "", True, ""),
        (45, "childrens_social_care", "cp_conference", "", "cp_conference", None, ALL),
        (80, "childrens_social_care", "home_visit", "", "", True, ""),
    ], 0),
}
#: what the planted call-outs' descriptions say after the type's sentence and the concern phrase (step ->
#: ending); a pair is chosen per case (high risk, or medium risk: the repeat threshold alone)
_LATE_TEXT = {
    "domestic_abuse_not_escalated": {0: " DASH completed: standard risk.", 2: " DASH completed: standard risk.",
                                     4: (" DASH completed: high risk.", " DASH completed: medium risk.")},
    "transfer_in_conference_late": {0: " Transfer-in notification received from the previous local authority:"
                                       " child subject to a child protection plan."},
}
PLANTED_RULES = tuple(_PLANTED) + tuple(_PLANTED_LATE)
_HANDLED_P = {"injury_chain": 0.25, "single_wnb": 0.3, "admission": 0.15, "referral_assessed": 0.2}
_MAX_STEPS = max(len(steps) for steps, _ in _PLANTED.values())  # planted block length
_LATE_STEPS = max(len(steps) for steps, _ in _PLANTED_LATE.values())  # the late block, after the planted
MIN_CONTACTS_PER_CASE = sum(len(v) for v in _HANDLED.values()) + 2 * _MAX_STEPS + max(4, _LATE_STEPS)


def _concern_codes(values: list[str]) -> tuple[list[str], dict[str, int]]:
    uniq = sorted(set(values) | {""})
    return uniq, {v: i for i, v in enumerate(uniq)}


def synth_contacts(n_cases: int, seed: int, contacts_per_case: int = 100, *, missed_rate: float = 0.35,
                   first_case: int = 0) -> tuple[pd.DataFrame, pd.DataFrame, pd.DataFrame]:
    """Generate `n_cases` cases of `contacts_per_case` contacts each.

    Parameters
    ----------
    n_cases, seed
        How many cases, and the seed: the same seed gives byte-identical tables.
    contacts_per_case
        Contacts per case (at least ``MIN_CONTACTS_PER_CASE``); the total is exactly
        ``n_cases * contacts_per_case``.
    missed_rate
        Probability that a case holds a planted missed escalation (a second one is planted with half
        that probability).
    first_case
        Number of the first case id (``C000001`` for 0), so that chunks of a large set can be generated
        separately with distinct ids.

    Returns
    -------
    contacts
        The canonical contact table (``CONTACT_COLUMNS``), sorted by case and date.
    cases
        One row per case: ``case_id, date_of_birth, mobile_from, review_date, window_start, area``, the
        organisations serving it and its number of contacts.
    ground_truth
        One row per planted missed escalation: ``case_id, rule_id, trigger_event_id, trigger_date,
        evidence_event_ids`` (all events of the planted pattern), ``source_file, source_row`` and a
        description. A rule may legitimately name another event of the pattern as its trigger: match
        on ``(case_id, rule_id)`` and membership in ``evidence_event_ids`` (see `match_ground_truth`).
    """
    K = int(contacts_per_case)
    if K < MIN_CONTACTS_PER_CASE:
        raise ValueError(f"contacts_per_case must be at least {MIN_CONTACTS_PER_CASE}")
    n = int(n_cases)
    rng = np.random.default_rng(seed)
    N = n * K

    # --- cases -------------------------------------------------------------------------------------
    case_no = np.arange(first_case + 1, first_case + n + 1)
    case_ids = np.array([f"C{i:06d}" for i in case_no], dtype=object)
    # review periods end between 2019 and 2025; babies are seen from birth, older children later
    window_end = np.datetime64("2019-01-01") + rng.integers(0, 365 * 7, n).astype("timedelta64[D]")
    window_len = rng.integers(365, 365 * 4, n)
    window_start = window_end - window_len.astype("timedelta64[D]")
    infant = rng.random(n) < 0.6  # most reviews concern babies and toddlers
    start_age = np.where(infant, rng.integers(0, 45, n), rng.integers(365, 365 * 9, n))
    dob = window_start - start_age.astype("timedelta64[D]")
    mobile_age = np.clip(rng.normal(270, 40, n), 180, 400).astype(int)
    mobile_from = dob + mobile_age.astype("timedelta64[D]")
    review_date = window_end + np.timedelta64(30, "D")
    area = rng.integers(0, N_AREAS, n)
    orgs = _case_orgs(area, rng)

    # --- background contacts: service, type, date --------------------------------------------------
    case_of_row = np.repeat(np.arange(n), K)
    service = rng.choice(len(SERVICES), size=N, p=_SERVICE_WEIGHTS / _SERVICE_WEIGHTS.sum())
    ctype = np.empty(N, dtype=np.int16)
    u = rng.random(N)
    for si, svc in enumerate(SERVICES):
        rows = service == si
        types = np.array([T[t] for t, _ in svc.mix])
        cum = np.cumsum([w for _, w in svc.mix])
        cum = cum / cum[-1]
        ctype[rows] = types[np.minimum(np.searchsorted(cum, u[rows], side="right"), len(types) - 1)]
    offset = (rng.random(N) * np.repeat(window_len, K)).astype("timedelta64[D]")
    date = np.repeat(window_start, K) + offset
    # health visitors see children under five; school takes over their contacts after that
    older = (service == S["health_visiting"]) & ((date - np.repeat(dob, K)).astype(int) > 5 * 365)
    service[older] = S["school"]
    ctype[older] = T["other"]

    concern_values = [""] + [c for c in CONCERN_TEXT] + [
        "domestic_abuse; substance_misuse"]
    for steps in list(_HANDLED.values()) + [p[0] for p in _PLANTED.values()] + [p[0] for p in _PLANTED_LATE.values()]:
        concern_values += [st[3] for st in steps]
    concern_list, concern_code = _concern_codes(concern_values)
    concerns = np.zeros(N, dtype=np.int16)
    escalation = np.zeros(N, dtype=np.int8)  # index into ESC_VALUES
    esc_values = ("", "referral_to_csc", "strategy_discussion", "cp_medical", "s47_enquiry", "cp_conference",
                  "legal_planning", "police_investigation")
    esc_code = {e: i for i, e in enumerate(esc_values)}
    all_but = [MULTI_SEP.join(sorted(o.agency for o in SERVICES if o is not svc_)) for svc_ in SERVICES]
    informed_values = ["", CSC] + all_but
    for steps in list(_HANDLED.values()) + [p[0] for p in _PLANTED.values()] + [p[0] for p in _PLANTED_LATE.values()]:
        informed_values += [st[6] for st in steps if st[6] != ALL]
    informed_list = sorted(set(informed_values))
    informed_code = {v: i for i, v in enumerate(informed_list)}
    informed = np.zeros(N, dtype=np.int16)
    # background concerns: low-level worries, always shared with social care and the health visitor
    # Background contacts record no concerns: every concern in the data belongs to a scripted episode,
    # so that the flags the rules raise can be checked against the ground truth.
    # child seen: 1 true, 0 false, -1 unknown
    seen = np.full(N, -1, dtype=np.int8)
    seen[np.isin(ctype, [T["home_visit"], T["clinic_appointment"], T["police_callout"], T["other"]])] = 1

    # --- episodes ------------------------------------------------------------------------------------
    truth_rows: list[tuple[np.ndarray, str, np.ndarray, np.ndarray]] = []  # (cases, rule, trigger rows, all rows)

    def place(steps, cases_idx, block_start, base, gen=None):
        gen = rng if gen is None else gen
        rows_all = []
        jitter_scale = 1
        for s, (off, svc, typ, conc, esc, ch_seen, inf) in enumerate(steps):
            rows = cases_idx * K + block_start + s
            jitter = gen.integers(0, jitter_scale + 1, len(rows)) if off > 3 else 0
            date[rows] = base + (np.timedelta64(off, "D") + np.asarray(jitter).astype("timedelta64[D]"))
            service[rows] = S[svc]
            ctype[rows] = T[typ]
            concerns[rows] = concern_code[conc]
            escalation[rows] = esc_code[esc or ESCALATION_OF_TYPE.get(typ, "")]
            seen[rows] = -1 if ch_seen is None else int(ch_seen)
            informed[rows] = informed_code[all_but[S[svc]] if inf == ALL else inf]
            rows_all.append(rows)
        return np.stack(rows_all, axis=1)  # (m, steps)

    block = 0
    for name, steps in _HANDLED.items():
        chosen = np.flatnonzero(rng.random(n) < _HANDLED_P[name])
        span = steps[-1][0] + 2
        latest = np.maximum(window_len[chosen] - span - 30, 1)
        base = window_start[chosen] + (rng.random(len(chosen)) * latest).astype("timedelta64[D]")
        place(steps, chosen, block, base)
        block += len(steps)

    rule_ids = np.array(tuple(_PLANTED))
    first_pick = np.full(n, -1)
    planted = np.zeros(n, dtype=bool)
    for slot, prob in enumerate((missed_rate, missed_rate / 2)):
        chosen = np.flatnonzero(rng.random(n) < prob)
        picks = rng.integers(0, len(rule_ids), len(chosen))
        # a second planted pattern in a case is always of another rule than the first
        picks = np.where(picks == first_pick[chosen], (picks + 1) % len(rule_ids), picks)
        first_pick[chosen] = picks
        for ri, rule in enumerate(rule_ids):
            steps, trig = _PLANTED[rule]
            sel = chosen[picks == ri]
            span = steps[-1][0] + 2
            start_day = (window_start[sel] - dob[sel]).astype(int)
            # planted early enough that any deadline has passed before the review date
            lo = start_day.copy()
            hi = start_day + (window_len[sel] * 0.7).astype(int) - span
            if rule == "nonmobile_injury":  # a baby seen before it could move about
                lo = np.maximum(lo, 14)
                hi = np.minimum(hi, (mobile_from[sel] - dob[sel]).astype(int) - 30)
            elif rule == "injury_not_escalated":  # a mobile child, so the non-mobile rule is not the one
                lo = np.maximum(lo, (mobile_from[sel] - dob[sel]).astype(int) + 60)
                hi = np.minimum(hi, 700)  # the rule looks at children under two
            ok = hi > lo
            sel, lo, hi = sel[ok], lo[ok], hi[ok]
            if not len(sel):
                continue
            base = dob[sel] + (lo + rng.random(len(sel)) * (hi - lo)).astype(int).astype("timedelta64[D]")
            rows = place(steps, sel, block, base)
            truth_rows.append((sel, rule, rows[:, trig], rows))
            planted[sel] = True
        block += _MAX_STEPS

    # the late patterns: their own random stream (the one above is left as it was), cases with no other
    # (a seed may be a list: the store's chunks are seeded [seed, part])
    words = [int(w) for w in (seed if isinstance(seed, (list, tuple, np.ndarray)) else [seed])]
    late_rng = np.random.default_rng([*words, 12])
    # the rows as they were before: "seen alone" is drawn for them, so that the other cases keep their values
    before = (service.copy(), seen.copy(), date.copy())
    texts_of_rows: list[tuple[np.ndarray, np.ndarray]] = []  # (rows, their descriptions' endings)
    for rule, (steps, trig) in _PLANTED_LATE.items():
        draw = late_rng.random(n)
        span = steps[-1][0] + 2
        if rule == "self_harm_not_referred":
            # a child who is 8 or over (NICE NG225's scope, the rule's min_age_years) early enough in the review
            # window: fewer cases can hold the pattern, so each that can is chosen more often
            older = (window_start - dob).astype(int) + (window_len * 0.7).astype(int) - span > 8 * 366
            sel = np.flatnonzero(~planted & older & (draw < missed_rate * 2))
        else:
            sel = np.flatnonzero(~planted & (draw < missed_rate / 2))
        lo = (window_start[sel] - dob[sel]).astype(int)
        hi = lo + (window_len[sel] * 0.7).astype(int) - span
        if rule == "self_harm_not_referred":  # a child of 8 or over (NICE NG225's scope, the rule's min_age_years)
            lo = np.maximum(lo, 8 * 366)
        ok = hi > lo
        sel, lo, hi = sel[ok], lo[ok], hi[ok]
        if not len(sel):
            continue
        base = dob[sel] + (lo + late_rng.random(len(sel)) * (hi - lo)).astype(int).astype("timedelta64[D]")
        rows = place(steps, sel, block, base, late_rng)
        truth_rows.append((sel, rule, rows[:, trig], rows))
        planted = planted.copy()
        planted[sel] = True  # the next late pattern goes to other cases
        if rule not in _LATE_TEXT:
            continue
        high = late_rng.random(len(sel)) < 0.5
        for s_, ending in _LATE_TEXT[rule].items():
            if isinstance(ending, tuple):
                texts_of_rows.append((rows[:, s_], np.where(high, ending[0], ending[1])))
            else:
                texts_of_rows.append((rows[:, s_], np.full(len(sel), ending, dtype=object)))

    # --- assemble, sorted by case and date ------------------------------------------------------------
    order = np.lexsort((np.arange(N), date, case_of_row))
    rank = np.empty(N, dtype=np.int64)
    rank[order] = np.arange(N)
    c = case_of_row[order]
    svc = service[order]
    typ = ctype[order]
    conc = concerns[order]
    d = date[order].astype("datetime64[ns]")
    # the household's children under 5 with the health visitor; older children stay with school
    age_days = (date[order] - dob[c]).astype(int)
    n_services = len(SERVICES)
    org_names = []
    for svc_i, s in enumerate(SERVICES):
        org_names.append(np.array(ORGANISATIONS[_SERVICE_ORG[s.slug]], dtype=object)[orgs[_SERVICE_ORG[s.slug]]])
    org_table = np.stack(org_names, axis=1)  # (n, services)
    org_values, org_inv = np.unique(org_table.astype(str), return_inverse=True)
    org_inv = org_inv.reshape(org_table.shape)[c, svc]
    # source rows: position within the (case, agency) file in date order, after a header row
    key = c.astype(np.int64) * n_services + svc
    pos = _cumcount(key)
    source_row = pos + 2
    ids = _take(case_ids, c)
    agency_names = np.array([s.agency for s in SERVICES], dtype=object)
    slugs = np.array([s.slug for s in SERVICES], dtype=object)
    # a third of the agencies send csv, the rest xlsx
    file_values = [f"{s.slug}{'.csv' if i % 3 == 2 else '.xlsx'}" for i, s in enumerate(SERVICES)]
    sheet_values = ["" if i % 3 == 2 else "Chronology" for i in range(len(SERVICES))]
    event_id = pc.binary_join_element_wise(
        pa.array(case_ids, pa.string()).take(c), pa.array(slugs, pa.string()).take(svc),
        pc.cast(pa.array(source_row), pa.string()), "-")
    seen_o = seen[order]
    child_seen = pd.array(np.where(seen_o == 1, True, False), dtype="boolean")
    child_seen[seen_o == -1] = pd.NA
    # seen alone: only asked of older children seen by social care
    def seen_alone(svc_, seen_, age_):
        return (svc_ == S["childrens_social_care"]) & (seen_ == 1) & (age_ > 4 * 365)

    alone = seen_alone(svc, seen_o, age_days)
    # drawn for the rows as they were before the late patterns (in their order then), then read by row
    svc0, seen0, date0 = before
    order0 = np.lexsort((np.arange(N), date0, case_of_row))
    alone0 = seen_alone(svc0[order0], seen0[order0], (date0[order0] - dob[case_of_row[order0]]).astype(int))
    drawn = np.zeros(N, dtype=bool)
    drawn[order0[alone0]] = rng.random(int(alone0.sum())) < 0.6
    child_seen_alone = pd.array(np.full(N, pd.NA), dtype="boolean")
    child_seen_alone[alone] = drawn[order][alone]
    # descriptions: the type's sentence plus the concern phrase, built once per combination
    combo = typ.astype(np.int64) * len(concern_list) + conc
    uniq, inv = np.unique(combo, return_inverse=True)
    texts = []
    for cmb in uniq:
        t, cc = divmod(int(cmb), len(concern_list))
        phrase = "; ".join(CONCERN_TEXT[x] for x in concern_list[cc].split("; ") if x)
        texts.append(TYPE_TEXT[CONTACT_TYPE_IDS[t]] + (f" Noted: {phrase}." if phrase else ""))
    description = _take(texts, inv)
    if texts_of_rows:  # the late patterns' own endings ("DASH completed: high risk.")
        values = np.asarray(description.to_numpy(dtype=object), dtype=object)
        for rows_, endings in texts_of_rows:
            at = rank[rows_]
            values[at] = values[at] + endings
        description = pd.array(values, dtype=description.dtype)
    day_values, day_inv = np.unique(d, return_inverse=True)
    date_text = _take([str(x) for x in pd.DatetimeIndex(day_values).strftime("%d/%m/%Y")], day_inv)
    action_text = _take(["Plan: continue routine support.", "Escalated as recorded."], (escalation[order] > 0).astype(int))
    roles = np.array([s.role for s in SERVICES], dtype=object)
    contacts = pd.DataFrame({
        "case_id": ids,
        "event_id": pd.array(event_id, dtype="string"),
        "date": d,
        "date_end": pd.NaT,
        "date_precision": _take(["day"], np.zeros(N, dtype=np.int8)),
        "time_known": pd.array(np.zeros(N, dtype=bool), dtype="boolean"),
        "date_text": date_text,
        "sequence": pd.array(np.full(N, pd.NA), dtype="Int64"),
        "agency": _take(agency_names, svc),
        "agency_kind": _take([s.kind for s in SERVICES], svc),
        "organisation": _take(org_values, org_inv),
        "role": _take(roles, svc),
        "contact_type": _take(CONTACT_TYPE_IDS, typ),
        "child_seen": child_seen,
        "child_seen_alone": child_seen_alone,
        "description": description,
        "action": action_text,
        "analysis": _take([""], np.zeros(N, dtype=np.int8)),
        "concerns": _take(concern_list, conc),
        "escalation": _take(esc_values, escalation[order]),
        "informed_agencies": _take(informed_list, informed[order]),
        "source_of_information": _take([""], np.zeros(N, dtype=np.int8)),
        "source_file": _take(file_values, svc),
        "source_sheet": _take(sheet_values, svc),
        "source_row": pd.array(source_row, dtype="Int64"),
        "extra": _take([""], np.zeros(N, dtype=np.int8)),
    })
    contacts = conform(contacts, CONTACT_COLUMNS)

    cases = pd.DataFrame({
        "case_id": case_ids,
        "date_of_birth": dob.astype("datetime64[ns]"),
        "mobile_from": mobile_from.astype("datetime64[ns]"),
        "review_date": review_date.astype("datetime64[ns]"),
        "window_start": window_start.astype("datetime64[ns]"),
        "area": area,
        "local_authority": np.array(ORGANISATIONS["council"], dtype=object)[orgs["council"]],
        "police_force": np.array(ORGANISATIONS["police"], dtype=object)[orgs["police"]],
        "acute_trust": np.array(ORGANISATIONS["trust"], dtype=object)[orgs["trust"]],
        "community_trust": np.array(ORGANISATIONS["community"], dtype=object)[orgs["community"]],
        "gp_practice": np.array(ORGANISATIONS["gp"], dtype=object)[orgs["gp"]],
        "school": np.array(ORGANISATIONS["school"], dtype=object)[orgs["school"]],
        "contacts": K,
    })
    for col in ("case_id", "local_authority", "police_force", "acute_trust", "community_trust", "gp_practice", "school"):
        cases[col] = cases[col].astype("string")

    truth = []
    ev = np.asarray(event_id.to_pylist(), dtype=object)
    source_file = np.asarray(file_values, dtype=object)[svc]
    for sel, rule, trig_rows, all_rows in truth_rows:
        trig = rank[trig_rows]
        evidence = [MULTI_SEP.join(sorted(ev[rank[r]])) for r in all_rows]
        # the same events located by file and row, which survive writing and re-reading the spreadsheets
        located = [MULTI_SEP.join(sorted(f"{source_file[k]}:{source_row[k]}" for k in rank[r])) for r in all_rows]
        truth.append(pd.DataFrame({
            "case_id": case_ids[sel], "rule_id": rule, "trigger_event_id": ev[trig],
            "trigger_date": d[trig], "evidence_event_ids": evidence,
            "source_file": source_file[trig], "source_row": source_row[trig], "evidence_rows": located,
            "description": f"planted: {rule}",
        }))
    ground_truth = (pd.concat(truth, ignore_index=True) if truth
                    else pd.DataFrame({c: [] for c in GROUND_TRUTH_COLUMNS}))
    ground_truth = ground_truth.sort_values(["case_id", "rule_id"], kind="stable").reset_index(drop=True)
    for col in ("case_id", "rule_id", "trigger_event_id", "evidence_event_ids", "source_file", "evidence_rows",
                "description"):
        ground_truth[col] = ground_truth[col].astype("string")
    ground_truth["trigger_date"] = pd.to_datetime(ground_truth["trigger_date"]).astype("datetime64[ns]")
    ground_truth["source_row"] = ground_truth["source_row"].astype("Int64")
    return contacts, cases, ground_truth


def _cumcount(key: np.ndarray) -> np.ndarray:
    """Position of each element among the earlier elements with the same key (keys need not be sorted)."""
    order = np.argsort(key, kind="stable")
    k = key[order]
    starts = np.r_[0, np.flatnonzero(k[1:] != k[:-1]) + 1]
    group_start = np.repeat(starts, np.diff(np.r_[starts, len(k)]))
    out = np.empty(len(key), dtype=np.int64)
    out[order] = np.arange(len(k)) - group_start
    return out


def _take(values, codes) -> pd.arrays.ArrowStringArray:
    """A string array of ``values[codes]`` built in Arrow (no Python object per row)."""
    return pd.array(pa.array(list(values), pa.string()).take(pa.array(np.asarray(codes))), dtype="string")


def case_config(row, case_dir: str | Path = ".") :
    """A `CaseConfig` for one row of the case table (what the pandas timeline and rules need)."""
    from .config import CaseConfig

    def as_date(v):
        return None if pd.isna(v) else pd.Timestamp(v).date()

    return CaseConfig(case_dir=Path(case_dir), case_id=str(row["case_id"]), date_of_birth=as_date(row["date_of_birth"]),
                      mobile_from=as_date(row["mobile_from"]), review_date=as_date(row["review_date"]))


def relocate_ground_truth(ground_truth: pd.DataFrame, contacts: pd.DataFrame) -> pd.DataFrame:
    """The ground truth with event ids taken from `contacts` read back from the case folders.

    Ingest derives its own event ids from provenance, so the generator's ids do not survive
    `write_case_folders` + `load_contacts`; the planted events are found again by (case_id,
    source_file, source_row) — ``source_file``/``source_row`` for the trigger and ``evidence_rows``
    for the whole pattern. Rows that cannot be located keep an empty id.
    """
    where = {(str(c), str(f), int(r)): str(e) for c, f, r, e in
             zip(contacts["case_id"], contacts["source_file"], contacts["source_row"], contacts["event_id"])
             if pd.notna(r)}
    out = ground_truth.copy()
    out["trigger_event_id"] = [where.get((str(c), str(f), int(r)), "") for c, f, r in
                               zip(out["case_id"], out["source_file"], out["source_row"])]

    def locate(case_id, rows):
        ids = []
        for item in str(rows).split(MULTI_SEP):
            file, _, row = item.strip().rpartition(":")
            if file and row.isdigit() and (str(case_id), file, int(row)) in where:
                ids.append(where[(str(case_id), file, int(row))])
        return MULTI_SEP.join(sorted(ids))

    out["evidence_event_ids"] = [locate(c, rows) for c, rows in zip(out["case_id"], out["evidence_rows"])]
    for col in ("trigger_event_id", "evidence_event_ids"):
        out[col] = out[col].astype("string")
    return out


def match_ground_truth(flags: pd.DataFrame, ground_truth: pd.DataFrame) -> pd.DataFrame:
    """The ground truth with a `found` column: a flag of the same rule and case names one of its events.

    `flags` needs `case_id, rule_id, trigger_event_id` (and optionally `evidence_event_ids`).
    """
    events_of = {}
    for f in flags[["case_id", "rule_id", "trigger_event_id"] + (["evidence_event_ids"] if "evidence_event_ids" in flags else [])].itertuples(index=False):
        ids = {f.trigger_event_id}
        if len(f) > 3 and isinstance(f[3], str):
            ids |= {x.strip() for x in f[3].split(";") if x.strip()}
        events_of.setdefault((f.case_id, f.rule_id), set()).update(ids)
    found = []
    for g in ground_truth.itertuples(index=False):
        planted = {x.strip() for x in str(g.evidence_event_ids).split(";") if x.strip()}
        found.append(bool(events_of.get((g.case_id, g.rule_id), set()) & planted))
    out = ground_truth.copy()
    out["found"] = found
    return out


# ---------------------------------------------------------------------------------------------------
# Case folders: case.yml + one spreadsheet per agency, in the generic layout
# ---------------------------------------------------------------------------------------------------
GENERIC_HEADERS = ("Date", "Agency", "Organisation", "Practitioner role", "Type of contact", "Child seen",
                   "Child seen alone", "Details", "Action / outcome", "Analysis", "Information shared with")


def _yes_no(value) -> str:
    if value is pd.NA or value is None or pd.isna(value):
        return ""
    return "Yes" if bool(value) else "No"


def agency_rows(contacts: pd.DataFrame, *, dates_as_text: bool = False) -> list[list[object]]:
    """One agency's contacts as spreadsheet rows in the generic layout (without the header)."""
    rows = []
    for r in contacts.itertuples(index=False):
        text = r.description
        if "referral_to_csc" in split_multi(r.escalation) and "social care" not in text:
            text += " Referred to children's social care."
        rows.append([
            r.date.strftime("%d/%m/%Y") if dates_as_text else r.date.to_pydatetime(),
            r.agency, r.organisation, r.role, TYPE_LABELS[r.contact_type], _yes_no(r.child_seen),
            _yes_no(r.child_seen_alone), text, r.action, r.analysis, r.informed_agencies,
        ])
    return rows


#: the date stamped in every xlsx synth writes (its document properties and zip entries), never the
#: clock: the same seed gives byte-identical files, so `build-all` does not rebuild regenerated cases
SYNTH_FILE_DATE = dt.datetime(2000, 1, 1)


def write_agency_file(path: Path, rows: list[list[object]], *, title: str | None = None) -> None:
    """Write one agency chronology (xlsx via openpyxl write-only, or csv), header row first.

    The same rows give the same bytes: an xlsx carries SYNTH_FILE_DATE as its created and modified
    dates and on every zip entry (`review.export.normalised_zip_bytes`)."""
    import io

    from .export import normalised_zip_bytes

    path = Path(path)
    if path.suffix == ".csv":
        frame = pd.DataFrame(rows, columns=list(GENERIC_HEADERS))
        frame.to_csv(path, index=False, encoding="utf-8")
        return
    from openpyxl import Workbook

    wb = Workbook(write_only=True)
    ws = wb.create_sheet("Chronology")
    if title:
        ws.append([title])
        ws.append([])
    ws.append(list(GENERIC_HEADERS))
    for row in rows:
        ws.append(row)
    wb.properties.created = wb.properties.modified = SYNTH_FILE_DATE
    buffer = io.BytesIO()
    wb.save(buffer)
    path.write_bytes(normalised_zip_bytes(buffer.getvalue(), SYNTH_FILE_DATE))


def write_case_folders(out_dir: str | Path, n_cases: int, seed: int, contacts_per_case: int = 100, *,
                       first_case: int = 0, progress: bool = False) -> pd.DataFrame:
    """Write `n_cases` case folders under `out_dir` and return the ground truth.

    Each folder ``<case_id>/`` holds ``case.yml`` (date of birth, mobility, review date, and the declared
    files with their agency) and one chronology per agency: xlsx for most, csv for some, dates as real
    Excel dates in xlsx and as dd/mm/yyyy text in csv. The ground truth is also written to
    ``out_dir/ground_truth.csv``; its ``source_file``/``source_row`` locate the trigger row.

    `out_dir` must be missing, empty or the output of an earlier run (ground_truth.csv and case folders
    holding only the case.yml and agency files synth wrote), whose files are removed by name first, so
    that no case or agency file of that run is left beside this one's. Anything else there (a reviewer's
    decisions.csv in a case folder, notes) is refused with ConfigError naming it, and nothing is removed.
    """
    import yaml

    out_dir = Path(out_dir)
    contacts, cases, truth = synth_contacts(n_cases, seed, contacts_per_case, first_case=first_case)
    _clear_earlier_output(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    by_case = dict(tuple(contacts.groupby("case_id", sort=True)))
    iterator = cases.itertuples(index=False)
    if progress:
        from tqdm import tqdm

        iterator = tqdm(iterator, total=len(cases), desc="case folders", unit="case", disable=None)  # none off a terminal
    for case in iterator:
        folder = out_dir / case.case_id
        folder.mkdir(exist_ok=True)
        files = []
        for source_file, rows in by_case[case.case_id].groupby("source_file", sort=True):
            rows = rows.sort_values("source_row")
            write_agency_file(folder / source_file, agency_rows(rows, dates_as_text=source_file.endswith(".csv")))
            files.append({"path": source_file, "agency": str(rows["agency"].iloc[0])})
        config = {
            "case_id": case.case_id,
            "date_of_birth": case.date_of_birth.date().isoformat(),
            "mobile_from": case.mobile_from.date().isoformat(),
            "review_date": case.review_date.date().isoformat(),
            "files": files,
        }
        (folder / "case.yml").write_text(
            f"{SYNTH_MARK} (seed {seed})\n" + yaml.safe_dump(config, sort_keys=False),
            encoding="utf-8")
    truth.to_csv(out_dir / "ground_truth.csv", index=False)
    return truth


SYNTH_MARK = "# synthetic case generated by review.synth"


def _clear_earlier_output(out_dir: Path) -> None:
    """Remove what an earlier `write_case_folders` run wrote in `out_dir`, and nothing else.

    A run writes ground_truth.csv and, per case, a folder holding case.yml (starting with SYNTH_MARK)
    and the agency files that case.yml declares. Only those files are removed, by name, and then their
    emptied folders. Anything else (a reviewer's decisions.csv or notes in a case folder, another file
    or folder beside them) is the user's: ConfigError naming it, and nothing is removed. A folder is
    generated only by its marked case.yml, so a real case that began as a copy of one is refused too
    once anything is added to it."""
    from .errors import ConfigError

    if not out_dir.exists():
        return
    if not out_dir.is_dir() or out_dir.is_symlink():
        raise ConfigError("the output path exists and is not a folder", file=out_dir)
    generated: list[Path] = []
    folders: list[Path] = []
    foreign: list[str] = []
    for entry in sorted(out_dir.iterdir()):
        if entry.name == "ground_truth.csv" and entry.is_file() and not entry.is_symlink():
            generated.append(entry)
            continue
        written = _synth_case_files(entry)
        if written is None:
            foreign.append(entry.name + ("/" if entry.is_dir() and not entry.is_symlink() else ""))
            continue
        for path in sorted(entry.iterdir()):
            if path.name in written and path.is_file() and not path.is_symlink():
                generated.append(path)
            else:
                foreign.append(f"{entry.name}/{path.name}" + ("/" if path.is_dir() and not path.is_symlink() else ""))
        folders.append(entry)
    if foreign:
        shown = ", ".join(foreign[:5]) + (f" and {len(foreign) - 5} more" if len(foreign) > 5 else "")
        raise ConfigError(f"the output folder holds files an earlier synth run did not write ({shown}); "
                          "nothing was removed: move them out, or give an empty or new folder", file=out_dir)
    for path in generated:
        path.unlink()
    for folder in folders:
        try:
            folder.rmdir()  # empty now; rmdir never removes a file that appeared since the check
        except OSError:
            raise ConfigError("a file appeared in this folder while synth was clearing it; it was kept: move it "
                              "out and run again", file=folder) from None


def _synth_case_files(folder: Path) -> set[str] | None:
    """The names of the files `write_case_folders` wrote in `folder` (case.yml and the agency files it
    declares), or None when `folder` is not a synthetic case folder (no case.yml starting with
    SYNTH_MARK, or one that does not read as synth writes it)."""
    import yaml

    if not folder.is_dir() or folder.is_symlink():
        return None
    try:
        text = (folder / "case.yml").read_text(encoding="utf-8")
        if not text.startswith(SYNTH_MARK):
            return None
        config = yaml.safe_load(text)
        declared = [item["path"] for item in config["files"]]
    except (OSError, UnicodeDecodeError, yaml.YAMLError, KeyError, TypeError):
        return None
    # synth writes plain names in the folder itself: anything else was not written by it
    if not all(isinstance(name, str) and name and Path(name).name == name and name not in (".", "..")
               for name in declared):
        return None
    return {"case.yml", *declared}


# ---------------------------------------------------------------------------------------------------
# Declarations of compliance (for the assurance-against-evidence view)
# ---------------------------------------------------------------------------------------------------
#: the standards organisations declare against, and the failing category each is evidenced by
STANDARD_CATEGORIES = {
    "Information sharing": "communication",
    "Escalation and child protection procedures": "procedure",
    "Workforce capacity and supervision": "staffing/capacity",
    "Safeguarding governance and audit": "governance",
    "Assessment of risk": "assessment",
}


def synth_declarations(organisations, years, seed: int, *, compliant_share: float = 0.8) -> pd.DataFrame:
    """Declared compliance: one row per organisation, year and standard.

    Most organisations declare themselves compliant (``compliant_share``); the rest declare "not
    compliant" or "insufficient assurance".
    """
    rng = np.random.default_rng(seed)
    orgs = sorted({str(o) for o in organisations})
    grid = pd.MultiIndex.from_product([orgs, sorted({int(y) for y in years}), list(STANDARD_CATEGORIES)],
                                      names=["organisation", "year", "standard"]).to_frame(index=False)
    r = rng.random(len(grid))
    grid["declared_status"] = np.where(r < compliant_share, "compliant",
                                       np.where(r < compliant_share + (1 - compliant_share) / 2, "not compliant",
                                                "insufficient assurance"))
    return grid
