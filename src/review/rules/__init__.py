"""The rule engine: candidate missed escalation points in an integrated chronology.

Each rule is one small vectorised function in its own module, registered under its stable rule id,
parameterised from rules.yml (package defaults + the case's overrides) and citing its guidance source.
A rule proposes a flag; the reviewer decides (review.decisions).

    rules = load_rules(case_dir)
    flags = detect(timeline, case, rules)                    # FLAG_COLUMNS
    latency = response_latency(timeline, flags, rules)       # RESPONSE_LATENCY_COLUMNS
    knowledge = agency_knowledge(timeline, rules)            # what each deciding agency knew
"""
from __future__ import annotations

import numpy as np
import pandas as pd

from ..schema import FLAG_COLUMNS, conform, empty_frame, split_multi
from . import (  # noqa: F401  (importing a rule module registers it)
    assessment_wait,
    child_not_seen,
    closure_with_open_concerns,
    cp_file_not_transferred,
    domestic_abuse_not_escalated,
    enquiry_incomplete,
    exploitation_not_referred,
    information_not_shared,
    injury_not_escalated,
    lac_visits_overdue,
    lado_not_referred,
    neglect_not_escalated,
    nonmobile_injury,
    perplexing_presentation_not_escalated,
    referral_no_decision,
    repeat_referrals_closed,
    repeated_injury_or_ae,
    return_interview_or_nrm_late,
    self_harm_not_referred,
    sexual_harm_not_referred,
    strategy_no_conference,
    transfer_in_conference_late,
    was_not_brought,
    withdrawn_with_concerns,
)
from .base import REGISTRY, Context, prepare
from .knowledge import agency_knowledge
from .latency import response_latency
from .settings import load_rules, merge_rules, package_rules

RULE_IDS = (
    "nonmobile_injury",
    "injury_not_escalated",
    "repeated_injury_or_ae",
    "referral_no_decision",
    "strategy_no_conference",
    "was_not_brought",
    "child_not_seen",
    "information_not_shared",
    "closure_with_open_concerns",
    "assessment_wait",
    "domestic_abuse_not_escalated",
    "exploitation_not_referred",
    "self_harm_not_referred",
    "transfer_in_conference_late",
    "repeat_referrals_closed",
    "neglect_not_escalated",
    "withdrawn_with_concerns",
    "sexual_harm_not_referred",
    "cp_file_not_transferred",
    "enquiry_incomplete",
    "return_interview_or_nrm_late",
    "lac_visits_overdue",
    "lado_not_referred",
    "perplexing_presentation_not_escalated",
)

FLAG_TABLE_COLUMNS = {**FLAG_COLUMNS, "case_id": "string"}


def sort_flags(flags: pd.DataFrame) -> pd.DataFrame:
    """The canonical flag order: trigger date, rule id, flag id."""
    return flags.sort_values(["trigger_date", "rule_id", "flag_id"], kind="mergesort").reset_index(drop=True)


#: the rules whose flags' evidence a later rule reads (`Context.extra["evidence"]`): child_not_seen leaves the
#: missed contacts of a was_not_brought flag (no-access home visits) to it, one pattern being one flag
_EVIDENCE_READ_LATER = frozenset({"was_not_brought"})


def detect(timeline: pd.DataFrame, case=None, rules: dict | None = None, *, only=None,
           legacy_ids: bool = False) -> pd.DataFrame:
    """Run every enabled rule over `timeline` (one case or many) and return the flags.

    `case`: the CaseConfig (or review.pipeline.Case, or {case_id: CaseConfig}, or None) — used for the
    review end date and, where the timeline lacks them, the child's age and mobility. `rules`: from
    `load_rules` (default: the package rules). `only`: restrict to these rule ids.
    Returns FLAG_COLUMNS (+ case_id), sorted by (trigger_date, rule_id, flag_id); identical across runs
    and whatever the input row order.
    """
    rules = rules or load_rules()
    ctx = prepare(timeline, case, rules["settings"])
    frames = []
    for rule_id in RULE_IDS:
        spec = rules["rules"].get(rule_id)
        if not spec or not spec.get("enabled", True) or (only is not None and rule_id not in only):
            continue
        frames.append(run_rule(ctx, rule_id, spec, legacy_ids=legacy_ids))
        if rule_id in _EVIDENCE_READ_LATER:  # for a later rule that must not flag the same pattern again
            ctx.extra.setdefault("evidence", {})[rule_id] = frozenset(
                e for value in frames[-1]["evidence_event_ids"].astype(str) for e in split_multi(value))
    frames = [f for f in frames if not f.empty]
    if not frames:
        empty = empty_frame(FLAG_TABLE_COLUMNS)
        return empty.assign(legacy_flag_id=pd.Series([], dtype="string"),
                            flag_variant=pd.Series([], dtype="string")) if legacy_ids else empty
    # every rule's flags already conform (finish_flags): conform skips the no-op casts
    flags = conform(pd.concat(frames, ignore_index=True), FLAG_TABLE_COLUMNS)
    return sort_flags(flags)


def run_rule(ctx: Context, rule_id: str, spec: dict, *, legacy_ids: bool = False) -> pd.DataFrame:
    """One rule's flags (FLAG_COLUMNS + case_id; + legacy_flag_id and flag_variant with `legacy_ids`)."""
    from .base import censor_after_death, censor_delays, finish_flags, unplaced_text

    ctx.extra["unplaced"] = {}  # trigger event id -> a response `first_response` could not place after it
    ctx.extra["censored"] = {}  # (trigger event id, deadline) -> the death that cut its search short
    rows = REGISTRY[rule_id].function(ctx, spec["params"])
    rows = censor_delays(rows, ctx.extra.pop("censored"))  # "at least N days" where the death cut it short
    noted = ctx.extra.pop("unplaced")
    if noted and rows is not None and not rows.empty and "explanation" in rows.columns:
        # the explanation says which partial-date response could not be placed after the concern
        triggers = rows["trigger_event_id"].astype(str).to_numpy()
        at = np.array([noted.get(t, -1) for t in triggers], dtype="int64")
        if (at >= 0).any():
            rows = rows.copy()
            text = rows["explanation"].astype(object).to_numpy(copy=True)
            notes = unplaced_text(ctx, at[at >= 0])
            for i, note in zip(np.flatnonzero(at >= 0), notes):
                body = str(text[i]).rstrip()
                text[i] = (body[:-1] if body.endswith(".") else body) + " (" + note + ")."
            rows["explanation"] = pd.Series(text, index=rows.index, dtype="string")
    return not_family_triggered(ctx, censor_after_death(ctx, finish_flags(rule_id, spec, rows, ctx, legacy=legacy_ids)))


def not_family_triggered(ctx: Context, flags: pd.DataFrame) -> pd.DataFrame:
    """(s20, lacnoise) `flags` but those triggered by a row of an agency of settings `not_trigger_agency_kinds`
    (`family`: a parent's e-mails, a family member's own account, no agency's record)."""
    kinds = ctx.settings.get("not_trigger_agency_kinds") or ()
    if not kinds or flags is None or flags.empty or "trigger_event_id" not in flags.columns:
        return flags
    own = ctx.kinds(kinds).to_numpy(dtype=bool)
    if not own.any():
        return flags
    ids = ctx.timeline["event_id"].to_numpy()[own]
    keep = ~flags["trigger_event_id"].astype(str).isin(pd.Index(ids).astype(str)).to_numpy(dtype=bool)
    return flags if keep.all() else flags[keep]


__all__ = [
    "REGISTRY",
    "RULE_IDS",
    "agency_knowledge",
    "detect",
    "load_rules",
    "merge_rules",
    "package_rules",
    "response_latency",
    "sort_flags",
]
