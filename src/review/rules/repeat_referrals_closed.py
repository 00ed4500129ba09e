"""Rule `repeat_referrals_closed`: repeated referrals about a child to children's social care, each closed
(no further action) without a strategy discussion, a section 47 enquiry or the child seen alone.

Source: Working Together to Safeguard Children 2023, chapter 2 (cumulative harm: a referral is judged with
the child's history, including earlier referrals; a strategy discussion whenever there is reasonable cause to
suspect significant harm) and chapter 1 (the voice of the child: children seen and spoken to alone); the Child
Safeguarding Practice Review Panel's national review of Arthur Labinjo-Hughes and Star Hobson, "Child
Protection in England" (May 2022): relatives' repeated referrals were closed after announced home visits, each
judged alone, their concerns not given weight, the child never seen alone and no strategy discussion held.

A referral is a social care row (`agency_kinds`) of a `referral_contact_types` type that took place, or social
care's record of receiving one (`base.all_referral_receipts`: a relative's or the public's too), or one whose
text mentions `referral_keywords` ("Contact from maternal grandmother by phone"); one per event group. It is
closed when a closure by social care (`social_care_closures`: a `closure_contact_types` row, or a social care
row whose description or action mentions `closure_keywords`, not negated, not another agency's outcome: "Case
closed - NFA", "Closed - no further action") comes on its day or within `closure_within_days` days, before the
next referral; unprotected when no strategy discussion, section 47 enquiry or conference (`protective`) and no
sighting of the child alone (the child_seen_alone cell, or `seen_alone_keywords` not negated nor in a sentence
naming `seen_alone_not_with`: "Amara not seen alone" is none) came between the referral and its closure. Each closed, unprotected referral that is at least
the `min_referrals`th such within `window_days` (counting it) is flagged: expected, a strategy discussion (and
the child seen alone) by the closure's day. High severity for a child under `high_severity_below_age_months`.
"""
from __future__ import annotations

import numpy as np
import pandas as pd

from .repeated_injury_or_ae import _chains
from .base import (
    DAY,
    Context,
    action_when,
    all_referral_receipts,
    censor_at_death,
    deadline_rows,
    first_per_group,
    first_response,
    fmt_age,
    fmt_date,
    held_escalations,
    joined,
    outcome_text,
    public_referrers,
    register,
    rows_of,
    text_mentions,
    types_held,
    window_pairs,
)


#: the timeline columns the rule reads from its rows (selected before the rows are)
_COLUMNS = ["event_id", "case_id", "_case", "_gcode", "_day", "_start", "_end", "_dob", "_age_days", "age_display",
            "agency"]


def social_care_closures(ctx: Context, params: dict, mask) -> np.ndarray:
    """Per timeline row: of the rows of `mask` (social care's), does it record the case closed or ended with no
    further action? A `closure_contact_types` row that took place (`base.types_held`: not "case not closed"),
    or one whose description or action mentions `closure_keywords` ("Case closed - NFA", "Closed - no further
    action", "NFA."), not negated (the vocabulary's cues and `closure_negations`: "NFA not agreed") and not in
    a sentence naming `closure_other_agency_words` ("Police: no further action"): `base.text_mentions`, each
    distinct text read once.

    The one place this rule reads a closure: a closure reading of the action / outcome cell made at ingest (a
    `closed` reading of "Case closed - NFA", which closure_with_open_concerns will read too) joins here, OR-ed
    into this mask, and then reads the same rows as closed."""
    mask = np.asarray(mask, dtype=bool)
    out = types_held(ctx, params["closure_contact_types"]).to_numpy(dtype=bool) & mask
    if params.get("closure_keywords"):
        out |= text_mentions(ctx, mask & ~out, params["closure_keywords"], params.get("closure_negations") or (),
                             params.get("closure_other_agency_words") or ()).to_numpy(dtype=bool)
    return out


@register("repeat_referrals_closed")
def repeat_referrals_closed(ctx: Context, params: dict) -> pd.DataFrame:
    """Repeated referrals closed without a strategy discussion or the child seen alone (WT 2023; national
    review 2022)."""
    tl = ctx.timeline
    social_care = ctx.kinds(params["agency_kinds"]).to_numpy(dtype=bool) & tl["_exact"].to_numpy(dtype=bool)
    if not social_care.any():
        return pd.DataFrame()
    referral = social_care & (types_held(ctx, params["referral_contact_types"]).to_numpy(dtype=bool)
                              | all_referral_receipts(ctx))
    if params.get("referral_keywords"):
        referral |= text_mentions(ctx, social_care & ~referral, params["referral_keywords"]).to_numpy(dtype=bool)
    referrals = first_per_group(rows_of(ctx, referral, _COLUMNS))
    minimum = int(params["min_referrals"])
    counts = referrals.groupby("_case", sort=False)["_day"].transform("size")
    referrals = referrals[(counts >= minimum).to_numpy()]
    if referrals.empty:
        return pd.DataFrame()
    in_cases = np.isin(tl["_case"].to_numpy(), np.unique(referrals["_case"].to_numpy()))
    closures = social_care_closures(ctx, params, social_care & in_cases)
    pos = referrals.index.to_numpy(dtype="int64")
    case = referrals["_case"].to_numpy()
    # the next referral of the same case (timeline order): a closure must come before it
    following = np.append(pos[1:], -1)
    following = np.where(np.append(case[1:] == case[:-1], False), following, np.iinfo("int64").max)
    probe = referrals.assign(anchor=referrals["_day"], deadline=referrals["_day"] + int(params["closure_within_days"]) * DAY)
    closed = first_response(ctx, probe, pd.Series(closures, index=tl.index))
    closure_pos = closed["action_pos"].to_numpy(dtype="int64")
    is_closed = closed["timely"].to_numpy(dtype=bool) & (closure_pos >= pos) & (closure_pos < following)
    if not is_closed.any():
        return pd.DataFrame()
    # a strategy discussion, s47 enquiry or conference, or the child seen alone, between the referral and its
    # closure: the referral was not closed on the words of a visit alone
    escalated = (held_escalations(ctx, params["protective"]) | types_held(ctx, params["protective"])).to_numpy(dtype=bool, copy=True)
    escalated &= in_cases
    protective = escalated | (tl["child_seen_alone"].astype("boolean").fillna(False).to_numpy(dtype=bool) & in_cases)
    if params.get("seen_alone_keywords"):
        # "Amara not seen alone" is none: not in a sentence naming seen_alone_not_with
        protective |= text_mentions(ctx, in_cases & ~protective, params["seen_alone_keywords"], (),
                                    params.get("seen_alone_not_with") or ()).to_numpy(dtype=bool)
    closure_day = closed["action_date"]
    protected = first_response(ctx, probe.assign(deadline=closure_day), pd.Series(protective, index=tl.index))
    kept = is_closed & ~protected["timely"].to_numpy(dtype=bool)
    q = referrals[kept].assign(_closure_day=closure_day[kept], _closure_id=closed["action_event_id"][kept],
                               pos=pos[kept])
    chosen = np.zeros(len(tl), dtype=bool)
    chosen[q["pos"].to_numpy()] = True
    q = q.assign(public=public_referrers(ctx, chosen)[chosen])  # from a relative or the public (for the text)
    if len(q) < minimum:
        return pd.DataFrame()
    # the closed, unprotected referrals within window_days up to each (itself included)
    window = int(params["window_days"])
    pairs = window_pairs(ctx, q[["_case", "_day"]].assign(lo=q["_day"] - window * DAY),
                         q[["_case", "_start", "_end", "pos", "event_id", "_day", "_closure_id", "public"]], "lo", "_day")
    pairs = pairs[(pairs["e_pos"].to_numpy() <= pairs["t_index"].to_numpy())]
    n = pairs.groupby("t_index").size()
    t = q.loc[n.index[n.to_numpy() >= minimum]]
    first_n = n.reindex(t.index)  # each flagged referral's count when it was closed
    if t.empty:
        return pd.DataFrame()
    pairs = pairs[pairs["t_index"].isin(t.index).to_numpy()]

    t = t.assign(anchor=t["_day"], deadline=t["_closure_day"], lo=t["_day"] - window * DAY)
    # the strategy discussion (or enquiry, or conference) that came after the closure, if any
    response = first_response(ctx, t, pd.Series(escalated, index=tl.index))
    # (s20) one flag per unanswered pattern, as repeated_injury_or_ae raises (`_chains`): a closed referral that
    # continues the pattern of the case's previous flagged one (in its window, no strategy discussion or enquiry
    # between them) is one more of it, not a flag of its own. The flag is the pattern's first flagged referral
    # (its id, its closure's deadline and its response: none came before the later ones), listing every
    # referral and closure of the pattern, with one count
    chain = _chains(t.assign(_next_day=response["action_date"].to_numpy(dtype="datetime64[ns]")))
    head_mask = ~chain.duplicated(keep="first").to_numpy(dtype=bool)
    by = chain[head_mask]
    last = t.assign(_chain=chain.to_numpy())[~chain.duplicated(keep="last").to_numpy(dtype=bool)].set_index("_chain")
    members = chain.value_counts().reindex(by.to_numpy()).to_numpy()
    p_chain = pd.Series(chain.reindex(pairs["t_index"]).to_numpy(), index=pairs.index)
    pairs = pairs.assign(_chain=p_chain.to_numpy()).drop_duplicates(["_chain", "e_pos"])
    t, response = t[head_mask], response[head_mask]
    heads = pd.Series(t.index, index=by.to_numpy())  # chain -> its flag's trigger
    pairs = pairs.assign(t_index=heads.reindex(pairs["_chain"].to_numpy()).to_numpy())
    n = pairs.groupby("t_index").size().reindex(t.index).astype(int)
    # the referrals' days in date order (few rows: the flagged referrals' windows)
    ordered = pairs.sort_values(["t_index", "e_pos"], kind="mergesort")
    days = pd.Series(fmt_date(ordered["e__day"]).to_numpy(dtype=object), index=ordered["t_index"].to_numpy()
                     ).groupby(level=0).agg(", ".join).reindex(t.index)
    evidence = joined(pd.concat([pairs["e_event_id"], pairs["e__closure_id"]]),
                      pd.concat([pairs["t_index"], pairs["t_index"]])).reindex(t.index)
    public = pairs.groupby("t_index")["e_public"].sum().reindex(t.index).astype(int)
    n_first = pd.Series(first_n.reindex(t.index).to_numpy(), index=t.index).astype(int)
    latest_day = pd.Series(last["_day"].reindex(by.to_numpy()).to_numpy(), index=t.index)
    latest_closure = pd.Series(last["_closure_day"].reindex(by.to_numpy()).to_numpy(), index=t.index)
    members = pd.Series(members, index=t.index).astype(int)

    r, none_text = censor_at_death(ctx, t, response, "; none is recorded.", "no strategy discussion is recorded",
                                   "the closure")
    out = deadline_rows(t, r, "strategy discussion (and the child seen alone) before closing a repeat referral")
    out["evidence_event_ids"] = evidence
    months = params.get("high_severity_below_age_months")
    if months is not None:
        young = (t["_day"] < t["_dob"] + pd.DateOffset(months=int(months))).fillna(False).to_numpy(dtype=bool)
        out["severity"] = np.where(young, "high", None)
    from_public = np.where(public > 0, "; " + public.astype(str) + " from family or the public", "")
    merged = (members > 1).to_numpy(dtype=bool)
    more = members - 1
    continued = pd.Series(np.where(
        merged,
        ": " + n_first.astype(str) + " by this closure, when the pattern was complete, and " + more.astype(str)
        + " more since with none in between (the latest, the referral of " + fmt_date(latest_day)
        + ", closed on " + fmt_date(latest_closure) + ")",
        ""), index=t.index)
    out["explanation"] = (
        t["agency"] + " closed the referral of " + fmt_date(t["_day"]) + " on " + fmt_date(t["_closure_day"])
        + " (child aged " + fmt_age(t) + ") with no strategy discussion, section 47 enquiry or the child seen alone: "
        + n.astype(str) + " referrals about the child" + pd.Series(np.where(
            merged, ", each within " + str(window) + " days of one before it,", " within " + str(window) + " days"),
            index=t.index)
        + " were each so closed (" + days + from_public + ")" + continued
        + outcome_text(r["action_event_id"], r["action_date"], out["delay_days"], "a strategy discussion",
                       action_when(ctx, r["action_pos"], t.index), none_text)
    )
    return out
