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
from .base import REGISTRY, Context, fmt_date, prepare
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
    owned = _owned_triggers(rules)
    for rule_id in RULE_IDS:
        spec = rules["rules"].get(rule_id)
        if not spec or not spec.get("enabled", True) or (only is not None and rule_id not in only):
            continue
        frames.append(quiet_on_owned(run_rule(ctx, rule_id, spec, legacy_ids=legacy_ids), spec, ctx))
        if rule_id in owned:  # a later rule stays quiet on the records this rule's flags are triggered by
            ctx.extra.setdefault("triggers", {})[rule_id] = frozenset(frames[-1]["trigger_event_id"].astype(str))
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
    return see_also(sort_flags(flags))


def _owned_triggers(rules: dict) -> frozenset:
    """(s21) The rules some enabled rule's `quiet_on_triggers_of` names: their flags' trigger records are theirs."""
    return frozenset(r for spec in rules["rules"].values() if spec and spec.get("enabled", True)
                     for r in ((spec.get("params") or {}).get("quiet_on_triggers_of") or ()))


def quiet_on_owned(flags: pd.DataFrame, spec: dict, ctx: Context) -> pd.DataFrame:
    """(s21) `flags` but those triggered by a record a rule of the rule's `quiet_on_triggers_of` (run before it, in
    RULE_IDS order) flags: that rule owns the point, being the more specific (closure_with_open_concerns leaves a
    CAMHS discharge after missed appointments to was_not_brought's discharged variant: one record, one point)."""
    quiet = (spec.get("params") or {}).get("quiet_on_triggers_of") or ()
    if not quiet or flags is None or flags.empty:
        return flags
    taken = set().union(*((ctx.extra.get("triggers") or {}).get(r, frozenset()) for r in quiet))
    if not taken:
        return flags
    keep = ~flags["trigger_event_id"].astype(str).isin(taken).to_numpy(dtype=bool)
    return flags if keep.all() else flags[keep]


#: (s21) rules whose flag is a pattern of records that another rule's flags each flag alone: repeated_injury_or_ae's
#: "3 A&E attendances" beside injury_not_escalated's flag of one of them. Both are kept (two expectations: escalate
#: the injury; see the pattern), and the later of two such flags names the earlier (`see_also`). (s22, QA11 N7)
#: perplexing_presentation_not_escalated's pattern of FII alerting signs, whose evidence holds the same hospital
#: attendances as a repeated_injury_or_ae flag (`RELATED_BY_EVIDENCE`)
RELATED_RULES: dict[str, tuple[str, ...]] = {
    "repeated_injury_or_ae": ("injury_not_escalated", "nonmobile_injury", "perplexing_presentation_not_escalated"),
}

#: (s22, QA11 N7) pairs of RELATED_RULES (pattern, related rule) whose flags are both patterns: related when their
#: evidence shares a record (Poppy's A&E attendances at Ashworth and Kingsmere are the "3 A&E attendances" and
#: signs of the perplexing presentation), not when the related flag's trigger is among the pattern's evidence
RELATED_BY_EVIDENCE: frozenset[tuple[str, str]] = frozenset({
    ("repeated_injury_or_ae", "perplexing_presentation_not_escalated"),
})

#: what "See also" says the related flags share, by how they are related (`see_also`)
_SEE_ALSO_REASONS = {
    "trigger": "the same records, flagged by another rule (an injury on its own and the pattern of injuries or"
               " attendances it is part of).",
    "evidence": "the same hospital attendances, flagged by another rule (the pattern of attendances and the"
                " perplexing presentation / fabricated or induced illness alerting signs they are part of).",
}


def see_also(flags: pd.DataFrame) -> pd.DataFrame:
    """(s21) `flags` (in `sort_flags` order) with each flag of a pattern (RELATED_RULES' keys) and each flag of a
    related rule whose trigger contact is among the pattern flag's evidence (the same case) related: the later of
    the two in that order ends its explanation with "See also flag <id> (<rule>, <date>): ...", naming every such
    earlier flag in order. (s22) For a pair of RELATED_BY_EVIDENCE the two flags are related when their evidence
    shares a contact (both are patterns), and the sentence says they share hospital attendances; a flag related
    both ways names each kind in a sentence of its own. Not a merge: the rules' flags are of different rules, each
    its own expected action and decision (review.decisions carries decisions over only between flags of one rule),
    so a reviewer sees the relation and decides each. Deterministic: the order and the ids are the flags' own."""
    if flags.empty or not flags["rule_id"].isin(list(RELATED_RULES)).any():
        return flags
    rule = flags["rule_id"].astype(str).to_numpy(dtype=object)
    order = np.arange(len(flags))

    def _evidence(rows: pd.DataFrame) -> pd.DataFrame:
        long = rows.assign(_event=rows["evidence_event_ids"].astype(str).str.split(";")).explode("_event")
        long["_event"] = long["_event"].str.strip()
        return long

    pattern = flags.assign(_at=order)[np.isin(rule, list(RELATED_RULES))]
    long = _evidence(pattern)
    single = flags.assign(_at=order)[np.isin(rule, sorted({r for rs in RELATED_RULES.values() for r in rs}))]
    # a related flag's trigger contact (`trigger`), and for the rules of RELATED_BY_EVIDENCE its evidence (`evidence`)
    by_trigger = single.assign(_event=single["trigger_event_id"].astype(str), _by="trigger")
    by_evidence = _evidence(single[single["rule_id"].isin(sorted({s for _, s in RELATED_BY_EVIDENCE}))])
    contacts = pd.concat([by_trigger, by_evidence.assign(_by="evidence")], ignore_index=True)
    pairs = long[["case_id", "rule_id", "_event", "_at"]].merge(
        contacts[["case_id", "rule_id", "_event", "_at", "_by"]], on=["case_id", "_event"], suffixes=("_p", "_s"))
    if pairs.empty:
        return flags
    related = np.array([s in RELATED_RULES.get(p, ()) and by == ("evidence" if (p, s) in RELATED_BY_EVIDENCE
                                                                 else "trigger")
                        for p, s, by in zip(pairs["rule_id_p"], pairs["rule_id_s"], pairs["_by"])], dtype=bool)
    pairs = pairs[related & (pairs["_at_p"] != pairs["_at_s"]).to_numpy(dtype=bool)]
    if pairs.empty:
        return flags
    later = np.maximum(pairs["_at_p"].to_numpy(), pairs["_at_s"].to_numpy())
    earlier = np.minimum(pairs["_at_p"].to_numpy(), pairs["_at_s"].to_numpy())
    links = pd.DataFrame({"later": later, "earlier": earlier, "by": pairs["_by"].to_numpy(dtype=object)}) \
        .drop_duplicates().sort_values(["later", "earlier", "by"])
    ids = flags["flag_id"].astype(str).to_numpy(dtype=object)
    dates = fmt_date(flags["trigger_date"]).astype(str).to_numpy(dtype=object)
    links["text"] = ["flag " + ids[e] + " (" + rule[e] + ", " + dates[e] + ")" for e in links["earlier"]]
    # one sentence per kind of relation, in the order of each kind's first named flag
    groups = links.groupby(["later", "by"], sort=False).agg(first=("earlier", "min"), text=("text", "; ".join))
    groups = groups.reset_index().sort_values(["later", "first"])
    groups["sentence"] = " See also " + groups["text"] + ": " + groups["by"].map(_SEE_ALSO_REASONS)
    named = groups.groupby("later", sort=True)["sentence"].agg("".join)
    out = flags.copy()
    at = named.index.to_numpy()
    text = out["explanation"].astype(str).to_numpy(dtype=object)[at]
    ends = np.array([t.rstrip().endswith(".") for t in text], dtype=bool)
    out.loc[at, "explanation"] = [t.rstrip() + ("" if e else ".") + n for t, e, n in zip(text, ends, named)]
    return out


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
    if rows is not None and not rows.empty and "variant" in rows.columns:
        # (s21) a flag kept though due after the death (`censor_after_death`: its variant says so) is read by its
        # variant, which finish_flags folds into the flag id
        kept = (rows["variant"].astype("string").fillna("") == "booked_after_deadline").to_numpy(dtype=bool)
        if kept.any():
            ctx.extra["kept_after_death"] = set(rows["trigger_event_id"].astype(str).to_numpy()[kept])
    try:
        return not_family_triggered(ctx, censor_after_death(ctx, finish_flags(rule_id, spec, rows, ctx,
                                                                               legacy=legacy_ids)))
    finally:
        ctx.extra.pop("kept_after_death", None)


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
