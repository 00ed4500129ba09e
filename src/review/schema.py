"""The canonical tables and their vocabularies: the contract every step of the pipeline keeps.

One place defines the columns of `contacts` (what ingest returns), `timeline` (what `build_timeline`
adds), `flags` (what the rules propose) and `response_latency`, with their dtypes. `validate_contacts`
checks a table lazily and returns every failure in one table, so ingest can report failures per row
instead of stopping at the first.

Multi-valued fields (`concerns`, `escalation`, `informed_agencies`, `evidence_event_ids`, `agencies`) are stored as
text joined with ``"; "`` in a fixed (sorted) order: that keeps them readable in Excel and Parquet and
makes tables byte-identical across runs. Use `split_multi` / `join_multi` to convert.
"""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

MULTI_SEP = "; "

DATE_PRECISIONS = ("day", "month", "year", "approximate", "season")

#: (s19) probation: the Probation Service (National Probation Service, community rehabilitation companies), a
#: statutory safeguarding partner and, with the police and prisons, a MAPPA responsible authority
#: (s20) lado: the local authority designated officer (LADO), who manages allegations against people who work
#: with children (Working Together 2023 ch. 2; KCSIE 2024 Part four): a local authority function, but not the
#: child's social worker, so no kind the rules read as children's social care
#: (s20, lacnoise) family: a family member's own account collected for the review (a parent's e-mails): no agency's
#: record, no rule's trigger (rules.yml settings.not_trigger_agency_kinds)
AGENCY_KINDS = ("health", "social care", "police", "youth justice", "probation", "education", "housing", "voluntary",
                "lado", "family", "other")

#: contact types (ids); labels for display are in vocab.yml
CONTACT_TYPES = (
    "home_visit",
    "clinic_appointment",
    "ae_attendance",
    "admission",
    "discharge",
    "referral",
    "referral_decision",
    "assessment",
    "strategy_discussion",
    "s47_enquiry",
    "cp_medical",
    "cp_conference",
    "core_group",
    "case_closure",
    "phone_call",
    "letter",
    "was_not_brought",
    "police_callout",
    "arrest",
    # (s20, QA9 D16) a looked-after child's review (Care Planning, Placement and Case Review (England)
    # Regulations 2010 reg 33: the IRO's "LAC review", "CLA review"): a meeting about the child's care plan, no
    # clinic appointment; no rule reads it yet
    "lac_review",
    "other",
)

#: concern tags (ids)
CONCERN_TAGS = (
    "bruising",
    "head_injury",
    "fracture",
    "burn",
    "other_injury",
    "non_accidental",
    "inconsistent_explanation",
    "neglect",
    "weight_loss",
    "was_not_brought",
    "domestic_abuse",
    "substance_misuse",
    "parental_mental_health",
    "child_not_seen",
    "self_harm",
    "exploitation",
    "missing",
    "relationship_abuse",
    "child_not_visited",
    # sexual activity, contraception, a sexually transmitted infection: a concern by the child's age (under 16:
    # exploitation_not_referred's underage_sexual_activity)
    "sexual_activity",
    # (s19) child sexual abuse disclosed, alleged or suspected; sexualised behaviour beyond the child's age; an
    # adult in the child's life who poses a risk to children (a registered sex offender, "Schedule 1 offender")
    "sexual_abuse",
    "sexualised_behaviour",
    "risk_to_children",
    # (s20) the child's own words of fear of an adult at home or of being punished or deprived by a carer
    # (Working Together 2023: emotional abuse); genito-urinary symptoms NICE CG89 lists as "consider" sexual
    # abuse in a young child (recurrent dysuria or UTIs, vaginal discharge or soreness), a concern by age
    "emotional_abuse",
    "anogenital_symptoms",
    # (s20) an allegation that an adult working with children (staff, a teacher, a carer, an agency worker) harmed
    # the child: rough handling, dragging, pushing, hitting, an inappropriate restraint (lado_not_referred)
    "allegation_against_staff",
    # (s21) perplexing presentations / fabricated or induced illness (RCPCH 2021): the concern named, symptoms a
    # parent reports that no clinician observes, the child's own account contradicting the parent's
    "fabricated_illness",
    # (s21, QA12) a baby's unsafe sleeping arrangement (co-sleeping, bed-sharing, asleep on a sofa, no safe sleeping
    # place): the SUDI risk of the Panel's "Out of routine" (2020)
    "unsafe_sleep",
)

INJURY_TAGS = ("bruising", "head_injury", "fracture", "burn", "other_injury")

#: escalation kinds (ids) a contact can *be*
ESCALATIONS = (
    "referral_to_csc",
    "strategy_discussion",
    "cp_medical",
    "s47_enquiry",
    "cp_conference",
    "legal_planning",
    "police_investigation",
    # a referral to MARAC (the multi-agency risk assessment conference for a high-risk adult victim of domestic
    # abuse): no referral to children's social care; rule domestic_abuse_not_escalated reads it as a response
    "marac",
    # (s20) a referral to the LADO, an allegation management (position of trust) meeting: the allegation against
    # the adult managed; rule lado_not_referred reads it as the response
    "lado_referral",
)

#: escalations about an adult, not the child: no rule reading "any escalation" for the child (was_not_brought's
#: follow-up, response_latency) counts them (`review.rules.base.held_escalations` with no kinds)
#: (s20) and a LADO referral, about the adult who works with children (no referral of the child)
ADULT_ESCALATIONS = ("marac", "lado_referral")

FAILING_CATEGORIES = ("communication", "procedure", "staffing/capacity", "governance", "assessment")
SEVERITIES = ("high", "medium", "low")

# ---------------------------------------------------------------------------------------------------
# Column contracts: name -> pandas dtype. Order is the canonical column order.
# ---------------------------------------------------------------------------------------------------
CONTACT_COLUMNS: dict[str, str] = {
    "case_id": "string",
    "event_id": "string",  # stable: derived from case_id + source_file + source_sheet + source_row
    "date": "datetime64[ns]",  # start of the period for partial dates
    "date_end": "datetime64[ns]",  # end of an event with a duration (admission), else NaT
    "date_precision": "string",  # day | month | season | year | approximate
    "time_known": "boolean",  # a time of day was given
    "date_text": "string",  # the original date cell as text, kept verbatim
    "sequence": "Int64",  # order within a day from a Sequence column, where given
    "agency": "string",  # normalised agency name (alias table)
    "agency_kind": "string",  # AGENCY_KINDS
    "organisation": "string",  # the trust / council / force / practice
    "role": "string",  # practitioner role as written
    "contact_type": "string",  # CONTACT_TYPES
    "child_seen": "boolean",  # NA = unknown
    "child_seen_alone": "boolean",
    "description": "string",  # verbatim
    "action": "string",  # verbatim outcome / action taken
    "analysis": "string",  # verbatim analysis / comment column
    "concerns": "string",  # CONCERN_TAGS joined by MULTI_SEP, sorted; "" when none
    "escalation": "string",  # ESCALATIONS ids joined by MULTI_SEP, sorted; "" when the contact was not an escalation
    "informed_agencies": "string",  # normalised agency names joined by MULTI_SEP; "" when none recorded
    "source_of_information": "string",
    "source_file": "string",  # path relative to the case folder
    "source_sheet": "string",  # sheet name, or "table N" for a Word table, "" for csv
    "source_row": "Int64",  # row number as the spreadsheet shows it (1-based)
    "extra": "string",  # JSON object of unmapped columns {header: value}, "" when none
}

TIMELINE_COLUMNS: dict[str, str] = {
    **CONTACT_COLUMNS,
    "seq": "Int64",  # position in the integrated chronology, 1-based
    "age_days": "Int64",
    "age_display": "string",  # "7m 12d"
    "child_mobile": "boolean",
    "event_group": "string",  # shared by rows that report the same event; own event_id when alone
    "days_since_previous_contact": "Float64",
    "child_seen_inferred": "boolean",  # read from the row when child_seen is NA (review.sightings); NA when recorded
    "days_since_child_seen": "Float64",
    "open_concerns": "string",  # concern tags open at this contact, joined
    "on_cp_plan": "boolean",
    "in_hospital": "boolean",
}

FLAG_COLUMNS: dict[str, str] = {
    "flag_id": "string",  # stable across re-runs, row order and rows inserted: rule_id + hash of the trigger's content
    "rule_id": "string",
    "severity": "string",
    "trigger_event_id": "string",
    "trigger_date": "datetime64[ns]",
    "evidence_event_ids": "string",
    "expected_action": "string",
    "expected_by": "datetime64[ns]",
    "actual_action_event_id": "string",  # "" when none
    "actual_action_date": "datetime64[ns]",
    "delay_days": "Float64",  # NA when no action at all (censored at review end: see rules docs)
    # the delay is a lower bound: no action is recorded before the child's death, which ended the search for
    # one (delay_days: the days from the deadline to the death, "at least N days"; docs/rules.md)
    "delay_censored": "boolean",
    "agencies": "string",
    "failing_category": "string",
    "explanation": "string",
    "source": "string",
}

RESPONSE_LATENCY_COLUMNS: dict[str, str] = {
    "event_id": "string",
    "date": "datetime64[ns]",
    "agency": "string",
    "agency_kind": "string",
    "concerns": "string",
    "expected_days": "Float64",
    "first_escalation_event_id": "string",
    "first_escalation_date": "datetime64[ns]",
    "first_escalation": "string",  # the escalation cell of that row (ESCALATIONS joined by MULTI_SEP)
    "latency_days": "Float64",  # NA when never escalated, or when a date is only known to the month/year (see escalated_mask)
    "within_expected": "boolean",
    "flagged": "boolean",
    # no escalation is recorded before the child's death, which came before the response window
    # (response_max_days after the concern) ended: censored at the death, not "no escalation within 90 days"
    "died_before_window": "boolean",
    # of those (died_before_window), a lower bound on the latency: the days from the concern (its latest possible
    # day) to the child's death, "at least N days" (NA elsewhere; latency_days stays NA: none was measured)
    "latency_at_least_days": "Float64",
}


def empty_frame(columns: dict[str, str]) -> pd.DataFrame:
    """An empty table with the given column contract (a copy of one made once per contract: making it
    costs ~2 ms, and every rule that finds nothing returns one)."""
    key = tuple(columns.items())
    template = _EMPTY_FRAMES.get(key)
    if template is None:
        if len(_EMPTY_FRAMES) > 64:
            _EMPTY_FRAMES.clear()
        template = _EMPTY_FRAMES[key] = pd.DataFrame({name: pd.Series(dtype=dtype) for name, dtype in columns.items()})
    return template.copy()


_EMPTY_FRAMES: dict[tuple, pd.DataFrame] = {}


def conform(frame: pd.DataFrame, columns: dict[str, str]) -> pd.DataFrame:
    """Return `frame` with exactly the contract's columns, in order, cast to their dtypes.

    Missing columns are added empty; extra columns are kept after the contract's ones. A column that
    already has its dtype (and, for text, no missing values) is kept as it is, not cast again: with
    pandas' copy-on-write (pandas 3) the result never shares changes with `frame`; before it, `frame` is
    copied first.
    """
    out = frame.copy(deep=not _COPY_ON_WRITE)
    for name, dtype in columns.items():
        if name not in out.columns:
            out[name] = pd.Series(pd.NA if dtype != "datetime64[ns]" else pd.NaT, index=out.index)
        column = out[name]
        if column.dtype == _pandas_dtype(dtype):
            if dtype == "string" and column.hasnans:
                out[name] = column.fillna("")
        elif dtype == "datetime64[ns]":
            out[name] = pd.to_datetime(column).astype("datetime64[ns]")
        elif dtype == "string":
            out[name] = column.astype("string").fillna("")
        else:
            out[name] = column.astype(dtype)
    ordered = list(columns) + [c for c in out.columns if c not in columns]
    return out if list(out.columns) == ordered else out[ordered]


def _pandas_dtype(dtype: str):
    """The dtype object of a contract's dtype name ("string" is pandas' default string dtype)."""
    if dtype not in _DTYPES:
        _DTYPES[dtype] = pd.api.types.pandas_dtype(dtype)
    return _DTYPES[dtype]


_DTYPES: dict = {}
#: pandas 3 always copies on write: a shallow copy then behaves as a copy
_COPY_ON_WRITE = int(pd.__version__.split(".")[0]) >= 3


def split_multi(value) -> list[str]:
    """'a; b' -> ['a', 'b']; '' / NA -> []."""
    if value is None or value is pd.NA or (isinstance(value, float) and pd.isna(value)):
        return []
    return [part.strip() for part in str(value).split(MULTI_SEP.strip()) if part.strip()]


def escalated_mask(response_latency: pd.DataFrame) -> np.ndarray:
    """Per row of a response-latency table, whether the concern was escalated (a bool array).

    A concern was escalated when it has a first escalation (``first_escalation_event_id``), whether or
    not its latency is known: ``latency_days`` is NA also for a concern or an escalation dated only to the
    month or year ("Jul 2023" bruising, referral on 3 Jul 2023), which was escalated all the same. A table
    without ``first_escalation_event_id`` falls back to a known latency.
    """
    known = pd.to_numeric(response_latency["latency_days"], errors="coerce").notna().to_numpy(dtype=bool) \
        if "latency_days" in response_latency else np.zeros(len(response_latency), dtype=bool)
    if "first_escalation_event_id" in response_latency:
        ids = response_latency["first_escalation_event_id"].astype("string").fillna("").str.strip()
        return (ids != "").to_numpy(dtype=bool) | known
    return known


def join_multi(values) -> str:
    """['b', 'a', 'a'] -> 'a; b' (sorted, unique)."""
    return MULTI_SEP.join(sorted({str(v).strip() for v in values if str(v).strip()}))


@dataclass(frozen=True)
class SchemaFailure:
    index: object
    column: str
    check: str
    value: object


def validate(frame: pd.DataFrame, columns: dict[str, str] = CONTACT_COLUMNS) -> pd.DataFrame:
    """Check a table against a contract lazily; return every failure as a table.

    Columns: index, column, check, failure_value. An empty table means the frame is valid.
    """
    failures: list[SchemaFailure] = []
    for name in columns:
        if name not in frame.columns:
            failures.append(SchemaFailure(None, name, "column_present", None))
    vocab_checks = {
        "date_precision": DATE_PRECISIONS,
        "agency_kind": AGENCY_KINDS,
        "contact_type": CONTACT_TYPES,
        "severity": SEVERITIES,
        "failing_category": FAILING_CATEGORIES,
    }
    for name, allowed in vocab_checks.items():
        if name in frame.columns and name in columns:
            bad = frame[name].notna() & ~frame[name].isin(allowed)
            for idx, value in frame.loc[bad, name].items():
                failures.append(SchemaFailure(idx, name, f"isin{tuple(allowed)}", value))
    for name, allowed, check in (("concerns", CONCERN_TAGS, "concern_tag"), ("escalation", ESCALATIONS, "escalation")):
        if name in frame.columns and name in columns:
            # each distinct cell once: a chronology repeats a few values many times
            bad = {value: parts for value in frame[name].dropna().unique()
                   if (parts := [p for p in split_multi(value) if p not in allowed])}
            if bad:
                for idx, value in frame.loc[frame[name].isin(list(bad)), name].items():
                    failures.extend(SchemaFailure(idx, name, check, part) for part in bad[value])
    for name in ("event_id", "flag_id"):
        if name in frame.columns and name in columns:
            dup = frame[name].duplicated(keep=False) & frame[name].notna()
            for idx, value in frame.loc[dup, name].items():
                failures.append(SchemaFailure(idx, name, "unique", value))
    if "date" in frame.columns and "date" in columns:
        for idx in frame.index[frame["date"].isna()]:
            failures.append(SchemaFailure(idx, "date", "not_null", None))
    return pd.DataFrame(
        [(f.index, f.column, f.check, f.value) for f in failures],
        columns=["index", "column", "check", "failure_value"],
    )
