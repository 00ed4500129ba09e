"""Rule `domestic_abuse_not_escalated`: high-risk domestic abuse in the child's household with no referral to
children's social care and no MARAC referral within one working day.

Source: SafeLives DASH risk identification checklist (DASH RIC) and MARAC guidance: a case is referred to
MARAC when the DASH scores 14 or more "yes" answers (visible high risk), on professional judgement, or on
"escalation" (three or more police call-outs in 12 months); Working Together to Safeguard Children 2023,
chapter 2: a child living with domestic abuse may be at risk of significant harm, and a referral to
children's social care is expected (a police domestic abuse notification is shared with children's social
care without delay).

A trigger is an exact-date row tagged with an abuse tag (`abuse_tags`: domestic_abuse) that records high
risk, or that reaches the repeat threshold:

* high risk: its description or action mentions one of `high_risk_keywords` ("DASH completed - high risk",
  "meets MARAC threshold") not negated (the vocabulary's negation cues, and `high_risk_negations` after the
  words: "not high risk", "MARAC threshold not met"; "DASH: standard risk" names no high risk), or it gives a
  DASH score of at least `dash_score_min` (`dash_score`: "DASH score 16", "DASH 15/27", "scored 14 on the
  DASH");
* repeat: it is an incident (`repeat_contact_types` of `repeat_agency_kinds`: a police call-out) and at least
  `repeat_min_incidents` incidents (event groups, itself included) fell within `repeat_window_days` days
  up to its day.

The child is taken to live in the household the chronology records (the chronology is the child's); a
text saying the child lives elsewhere is not read.

The response is, from the trigger's day on, by the `within_working_days`-th working day after it: a held
escalation of `escalations` (a referral to children's social care, a strategy discussion, ...;
`base.held_escalations`), a row of `response_contact_types` by `response_agency_kinds` that took place
(social care screening the notification: `base.types_held`), or a row whose text mentions one of
`response_keywords` (a MARAC referral, a notification sent to MASH / children's social care) not negated
(`response_negations`: "MARAC referral not made", "notification to be sent"), and not in a sentence that only
plans or weighs it (`response_not_in_sentence_with`: "Consider MARAC referral", "Plan: refer to MARAC if
further incidents"). The trigger row itself may be
the response ("DASH high risk, referred to MARAC").
"""
from __future__ import annotations

import re

import numpy as np
import pandas as pd

from ..workdays import add_working_days
from .base import (
    Context,
    _first_of_each,
    _texts,
    action_when,
    day_numbers,
    deadline_rows,
    first_per_group,
    first_response,
    fmt_date,
    held_escalations,
    joined,
    outcome_text,
    register,
    rows_of,
    text_mentions,
    types_held,
    window_pairs,
)

#: the timeline columns the rule reads from its rows (selected before the rows are)
_COLUMNS = ["event_id", "case_id", "_case", "_gcode", "_day", "_start", "_end", "agency"]

# A DASH score as chronologies write it, in one clause (no . ; ! ? or newline between): "DASH score 16",
# "DASH score: 15", "DASH scored 14", "DASH completed, score of 15", "DASH 15/27", "DASH - 16 out of 27",
# "scored 14 on the DASH", "15 ticks on DASH", "14 yes answers on the DASH". Lower-cased text.
_CLAUSE = r"[^.;!?\n]"
_SCORE_PATTERNS = tuple(re.compile(p) for p in (
    rf"\bdash\b{_CLAUSE}{{0,40}}?\bscor(?:e|es|ed|ing)\b\W{{0,3}}(?:of\W+)?(\d{{1,2}})(?![\d/])",
    rf"\bdash\b{_CLAUSE}{{0,40}}?\b(\d{{1,2}})\s*(?:/|out\s+of)\s*27\b",
    r"\bdash\b\W{1,5}(\d{1,2})\s*(?:yes|ticks?)\b",
    rf"\bscor(?:e|ed|ing)\W{{0,3}}(?:of\W+)?(\d{{1,2}})\b{_CLAUSE}{{0,25}}?\bdash\b",
    rf"\b(\d{{1,2}})\s*(?:/\s*27\s*)?(?:yes\s+answers|yes|ticks?)\b{_CLAUSE}{{0,25}}?\bdash\b",
))


def dash_score(text: str) -> int | None:
    """The highest DASH score (0..27) `text` gives (`_SCORE_PATTERNS`), None when it gives none."""
    lowered = str(text).lower()
    if "dash" not in lowered:
        return None
    scores = [int(m.group(1)) for p in _SCORE_PATTERNS for m in p.finditer(lowered)]
    scores = [s for s in scores if s <= 27]
    return max(scores) if scores else None


def _scored(ctx: Context, mask: np.ndarray, minimum: int) -> np.ndarray:
    """Rows of `mask` whose description or action (read together) gives a DASH score of at least `minimum`:
    each distinct (description, action) pair read once."""
    tl = ctx.timeline
    out = np.zeros(len(tl), dtype=bool)
    pos = np.flatnonzero(mask)
    if not len(pos):
        return out
    (d_codes, d_uniques), (a_codes, a_uniques) = _texts(ctx, "description"), _texts(ctx, "action")
    d, a = d_codes[pos].astype("int64"), a_codes[pos].astype("int64")
    inverse, _ = pd.factorize(d * (len(a_uniques) + 1) + a)
    first = _first_of_each(inverse)
    scores = [dash_score(str(d_uniques[d[i]]) + " . " + str(a_uniques[a[i]])) for i in first]
    hits = np.array([s is not None and s >= minimum for s in scores], dtype=bool)
    out[pos] = hits[inverse]
    return out


def _repeat_incidents(ctx: Context, params: dict) -> tuple[np.ndarray, pd.DataFrame]:
    """(per timeline row: an incident reaching the repeat threshold, the incidents: one row per event group)."""
    tl = ctx.timeline
    mask = (ctx.tags(params["abuse_tags"]) & ctx.types(params["repeat_contact_types"])
            & tl["_exact"]).to_numpy(dtype=bool, copy=True)
    if params.get("repeat_agency_kinds"):
        mask &= ctx.kinds(params["repeat_agency_kinds"]).to_numpy(dtype=bool)
    incidents = first_per_group(rows_of(ctx, mask, _COLUMNS))
    out = np.zeros(len(tl), dtype=bool)
    if incidents.empty:
        return out, incidents
    big = np.int64(1) << np.int64(32)
    keys = incidents["_case"].to_numpy().astype("int64") * big + day_numbers(incidents["_day"])
    order = np.argsort(keys, kind="stable")
    sorted_keys = keys[order]
    window = int(params["repeat_window_days"])
    count = (np.searchsorted(sorted_keys, keys, side="right") - np.searchsorted(sorted_keys, keys - window, side="left"))
    out[incidents.index.to_numpy()[count >= int(params["repeat_min_incidents"])]] = True
    return out, incidents


@register("domestic_abuse_not_escalated")
def domestic_abuse_not_escalated(ctx: Context, params: dict) -> pd.DataFrame:
    """High-risk domestic abuse (DASH >= 14, high risk, repeat call-outs), no referral to CSC / MARAC within
    1 working day (SafeLives DASH / MARAC; WT 2023)."""
    tl = ctx.timeline
    abuse = (ctx.tags(params["abuse_tags"]) & tl["_exact"]).to_numpy(dtype=bool, copy=True)
    if not abuse.any():
        return rows_of(ctx, abuse, _COLUMNS).iloc[:0]
    high = text_mentions(ctx, abuse, params["high_risk_keywords"], params.get("high_risk_negations", ())).to_numpy()
    scored = _scored(ctx, abuse & ~high, int(params["dash_score_min"]))
    repeat, incidents = _repeat_incidents(ctx, params)
    is_trigger = high | scored | repeat
    triggers = first_per_group(rows_of(ctx, is_trigger, _COLUMNS))
    if triggers.empty:
        return triggers
    n = int(params["within_working_days"])
    triggers["anchor"] = triggers["_day"]
    triggers["deadline"] = add_working_days(triggers["_day"], n)

    # the responses, read in the cases with a trigger only
    in_cases = np.isin(tl["_case"].to_numpy(), np.unique(triggers["_case"].to_numpy()))
    response = held_escalations(ctx, params["escalations"]).to_numpy(dtype=bool, copy=True) & in_cases
    if params.get("response_contact_types"):
        typed = types_held(ctx, params["response_contact_types"]).to_numpy(dtype=bool, copy=True)
        if params.get("response_agency_kinds"):
            typed &= ctx.kinds(params["response_agency_kinds"]).to_numpy(dtype=bool)
        response |= typed & in_cases
    if params.get("response_keywords"):
        response |= text_mentions(ctx, in_cases & ~response, params["response_keywords"],
                                  params.get("response_negations", ()),
                                  params.get("response_not_in_sentence_with", ())).to_numpy(dtype=bool)
    found = first_response(ctx, triggers, pd.Series(response, index=tl.index))
    t = triggers[~found["timely"].to_numpy()]
    r = found[~found["timely"]]
    if t.empty:
        return t

    # why each trigger is high risk
    pos = t.index.to_numpy()
    reasons = np.full(len(t), "", dtype=object)
    reasons[high[pos]] = "high risk recorded (DASH / MARAC threshold)"
    reasons[~high[pos] & scored[pos]] = "a DASH score of " + str(int(params["dash_score_min"])) + " or more"
    # a repeat trigger's evidence: the incidents within the window up to it
    evidence = t["event_id"].astype("string")
    rep = t[repeat[pos]]
    if len(rep):
        window = int(params["repeat_window_days"])
        frame = rep.assign(lo=rep["_day"] - pd.Timedelta(days=window), hi=rep["_day"])
        pairs = window_pairs(ctx, frame[["_case", "lo", "hi"]], incidents[["_case", "_start", "_end", "event_id"]],
                             "lo", "hi")
        ids = joined(pairs["e_event_id"], pairs["t_index"])
        counts = pairs.groupby("t_index").size()
        evidence.loc[rep.index] = ids.reindex(rep.index).fillna("").astype("string") + "; " + rep["event_id"].astype("string")
        text = (counts.reindex(rep.index).fillna(0).astype(int).astype(str) + " domestic abuse incidents ("
                + ", ".join(map(str, params["repeat_contact_types"])) + ") within " + str(window) + " days").to_numpy(dtype=object)
        at = np.flatnonzero(repeat[pos])
        reasons[at] = np.where(reasons[at] == "", text, reasons[at] + "; " + text)

    out = deadline_rows(t, r, "referral to children's social care or to MARAC (police domestic abuse notification shared)")
    out["evidence_event_ids"] = evidence.array
    out["explanation"] = (
        t["agency"] + " recorded domestic abuse in the child's household on " + fmt_date(t["_day"]) + " ("
        + pd.Series(reasons, index=t.index) + ") and no referral to children's social care or to MARAC is recorded within "
        + str(n) + " working day" + ("s" if n != 1 else "") + " (by " + fmt_date(t["deadline"]) + ")"
        + outcome_text(r["action_event_id"], r["action_date"], out["delay_days"], "the first referral",
                       action_when(ctx, r["action_pos"], t.index))
    )
    return out
