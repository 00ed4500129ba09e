"""Rule `injury_not_escalated`: an injury in a child under 24 months, or a harm said to be inflicted
(`any_age_tags`: non_accidental, "said his dad hit him") at any age, with no escalation by any agency within
2 days.

Source: NICE CG89 *When to suspect child maltreatment* (injuries in young children, absent or
inconsistent explanations); Working Together to Safeguard Children 2023, chapter 2 (refer without delay).

A follow-up of an injury already recorded (a fracture clinic review, a dressing, a discharge letter "re scald
13/10": `episodes.earlier_injury`) is no new injury. In a mobile child, an injury whose record says the
explanation is consistent and there are no safeguarding concerns is not flagged (`explained_cues`,
`unconcerned_cues`, of each injury it names where it names several in different sentences or clauses; never
in a child not independently mobile, nor with an inconsistent explanation). The flag names the later records
read as follow-ups of its injury at the same body region (settings.injury_episodes.same_site_window_days).

A meeting or escalation that did not take place ("Strategy discussion not held", "CP medical declined by
mother": a row of that contact type whose text says so, even with its escalation cell filled by hand or by a
profile) is no escalation (`base.held_escalations`).

With `receipts_answer`, social care's record of receiving a referral ("Referral from ED re cheek bruise, 4-month-old",
`base.referral_receipts`) is the escalation of the injury the referring agency saw: it is no trigger of its own
nor an earlier record of the injury, and it answers the referring agency's record as its referral (where no
escalation came earlier). With `public_receipts_trigger` false, social care's receipt of a relative's or the
public's referral ("Referral from maternal aunt with photographs of bruises", `base.public_referral_receipts`) is
no trigger either: no agency failed to refer, and social care's response to it is what referral_no_decision,
repeat_referrals_closed and closure_with_open_concerns look at. It stays a record of the injury.
"""
from __future__ import annotations

import numpy as np
import pandas as pd

from .base import (
    DAY,
    Context,
    cap_response,
    death_bound,
    note_death_cut,
    review_end_bound,
    deadline_rows,
    first_per_group,
    first_response_or,
    fmt_age,
    fmt_date,
    fmt_tags,
    held_escalations,
    all_referral_receipts,
    public_referrers,
    referral_receipts,
    register,
    rows_of,
    text_mentions,
    unlinked_outcome_text,
)
from .episodes import earlier_injury, explained


#: the timeline columns the rule reads from its rows (selected before the rows are)
_COLUMNS = ["event_id", "case_id", "_case", "_gcode", "_day", "agency", "concerns", "age_display", "_age_days"]


def _outcome(ctx: Context, t: pd.DataFrame, r: pd.DataFrame, out: pd.DataFrame, params: dict, death, receipts):
    """The explanation's end: '... within 90 days of the injury.', or for a record of sexual abuse with no injury
    (an any_age_tags' sexual_abuse: "does things to me") '... of the concern of sexual abuse.'."""
    def text(about, since):
        return unlinked_outcome_text(
            ctx, r["action_event_id"], r["action_date"], out["delay_days"], r["action_pos"], params["escalations"],
            about=about, max_days=params.get("response_max_days"), since=since, death=death,
            review_end=review_end_bound(ctx, t, t["_day"], params.get("response_max_days"), death), receipts=receipts)

    injury = text("this injury", "the injury")
    if "sexual_abuse" not in (params.get("any_age_tags") or ()):
        return injury
    at = t.index.to_numpy()  # the triggers' timeline positions
    sexual = (ctx.tags(["sexual_abuse"]).to_numpy(dtype=bool)[at] & ~ctx.tags(params["injury_tags"]).to_numpy(dtype=bool)[at])
    if not sexual.any():
        return injury
    return injury.where(~sexual, text("this concern of sexual abuse", "the concern of sexual abuse"))


@register("injury_not_escalated")
def injury_not_escalated(ctx: Context, params: dict) -> pd.DataFrame:
    """Injury under 24 months, no escalation by any agency within 2 days (NICE CG89; WT 2023)."""
    tl = ctx.timeline
    # under N months: before the N-month birthday (the day itself is N months old). The calendar
    # offset is costly per row, so it is applied to the exact-date injury rows only.
    mask = (ctx.tags(params["injury_tags"]) & tl["_exact"]).to_numpy(dtype=bool, copy=True)
    rows = tl.loc[mask, ["_dob", "_day", "_age_days"]]
    birthday = rows["_dob"] + pd.DateOffset(months=int(params["max_age_months"]))
    young = (rows["_day"] < birthday).fillna(False) & (rows["_age_days"] >= 0).fillna(False)
    mask[mask] = young.astype(bool).to_numpy()
    if params.get("any_age_tags"):  # a harm said to be inflicted, at any age ("said his dad hit him")
        mask |= (ctx.tags(params["any_age_tags"]) & tl["_exact"] & (tl["_age_days"] >= 0).fillna(False)).to_numpy(
            dtype=bool)
    # social care's record of receiving the referral about an injury ("Referral from ED re cheek bruise") is the
    # escalation of the injury the referring agency saw: no trigger of its own, no record of another injury
    # (`base.referral_receipts`), and the referral that answers the referring agency's record
    receipts = referral_receipts(ctx) if params.get("receipts_answer") else None
    if receipts is not None:
        mask &= ~receipts
    if not params.get("public_receipts_trigger", True):
        # nor its receipt of a relative's or the public's referral: no agency failed to refer; what may be missing
        # is social care's response (referral_no_decision, repeat_referrals_closed, closure_with_open_concerns)
        mask &= ~_public_receipts(ctx, mask, params)
    mask = pd.Series(mask, index=tl.index)
    calm_groups = np.zeros(0, dtype=tl["_gcode"].to_numpy().dtype)
    if params.get("explained_cues") and params.get("unconcerned_cues"):
        # a mobile child's injury recorded as explained and of no safeguarding concern (NICE CG89: consider
        # maltreatment when the explanation is absent, unsuitable or inconsistent); never a non-mobile baby's
        below_age = tl["_age_days"] < params.get("nonmobile_below_age_months", 6) * 30.4375
        mobile = tl["_mobile"].fillna(~below_age).fillna(False).astype(bool).to_numpy()
        # each injury it names explained, where it names several in different sentences or clauses
        calm = explained(ctx, mask.to_numpy() & mobile, params["explained_cues"], params["unconcerned_cues"],
                         params["injury_tags"])
        calm_groups = np.unique(tl["_gcode"].to_numpy()[calm])
        worrying = np.unique(tl["_gcode"].to_numpy()[ctx.tags(params["high_severity_tags"]).to_numpy()])
        calm_groups = np.setdiff1d(calm_groups, worrying)
        if len(calm_groups):
            mask &= ~pd.Series(np.isin(tl["_gcode"].to_numpy(), calm_groups), index=tl.index)
    triggers = first_per_group(rows_of(ctx, mask, _COLUMNS))
    # a follow-up of an injury already recorded (fracture clinic, dressing, discharge letter) is that
    # injury's record: its first record's flag covers it (`episodes.earlier_injury`)
    earlier, same_site = earlier_injury(ctx, triggers, params["injury_tags"], detail=True, not_records=receipts)
    fracture_tags = list((ctx.settings.get("injury_episodes") or {}).get("fracture_tags") or ())
    if len(calm_groups) and fracture_tags and (earlier >= 0).any():
        # a fracture found after a swelling recorded as explained (a fracture's swelling: one episode) is no
        # follow-up of an explained injury: the explanation did not know of the fracture, its record is a trigger
        gcode = tl["_gcode"].to_numpy()
        fractured = np.unique(gcode[(ctx.tags(fracture_tags) & tl["_exact"]).to_numpy(dtype=bool)])
        joined = earlier >= 0
        before = gcode[np.where(joined, earlier, 0)]
        found = joined & np.isin(before, calm_groups) & ~np.isin(before, fractured) \
            & np.isin(triggers["_gcode"].to_numpy(), fractured)
        earlier = np.where(found, -1, earlier)
        same_site = same_site & ~found
    followed = _same_site_followups(triggers, earlier, same_site)
    triggers = triggers[earlier < 0]
    if triggers.empty:
        return triggers
    triggers["anchor"] = triggers["_day"]
    triggers["deadline"] = triggers["_day"] + params["within_days"] * DAY
    response = first_response_or(ctx, triggers, held_escalations(ctx, params["escalations"]), receipts)
    t = triggers[~response["timely"].to_numpy()]
    # an escalation by any agency more than response_max_days after the injury is not its late response, nor
    # one after the child's death (`death_bound`)
    death = death_bound(ctx, t, t["_day"], params.get("response_max_days"))
    r = cap_response(response[~response["timely"]], t["_day"], params.get("response_max_days"), death)
    note_death_cut(ctx, t, death, r["action_event_id"])  # none before the death: "at least N days" late

    # high severity when any record of the same event gives an inconsistent explanation / non-accidental
    high_rows = ctx.tags(params["high_severity_tags"]).to_numpy()
    high_groups = np.unique(tl["_gcode"].to_numpy()[high_rows])
    high = np.isin(t["_gcode"].to_numpy(), high_groups)

    out = deadline_rows(t, r, "escalation (referral to children's social care, CP medical or strategy discussion)")
    out["severity"] = pd.Series(high, index=t.index).map({True: "high", False: None})
    out["explanation"] = (
        t["agency"] + " recorded " + fmt_tags(t["concerns"]) + " on " + fmt_date(t["_day"]) + " in a child aged "
        + fmt_age(t) + " and no agency escalated within " + str(params["within_days"]) + " days (by "
        + fmt_date(t["deadline"]) + ")"
        + _outcome(ctx, t, r, out, params, death, receipts)
    )
    if len(followed):
        # the records read as this injury's because they name its body region within the same-site window
        window = int((ctx.settings.get("injury_episodes") or {}).get("same_site_window_days") or 0)
        dates = followed.reindex(t.index)
        has = dates.notna().to_numpy()
        text = out.loc[has, "explanation"].astype(str).str.rstrip()
        out.loc[has, "explanation"] = (
            text + np.where(text.str.endswith("."), "", ".") + " Read as follow-ups of this injury, not new"
            " injuries: " + dates[has].astype(str) + " (the same injury at the same body region within " + str(window)
            + " days, in words of a follow-up, or a fracture and its swelling: settings.injury_episodes."
            "same_site_window_days).")
    return out


def _public_receipts(ctx: Context, mask: np.ndarray, params: dict) -> np.ndarray:
    """Per timeline row (of `mask`): is it social care's record of a referral or contact coming in from a relative
    or a member of the public? A receipt (`base.all_referral_receipts`), or a row by an agency of
    settings.receipt_agency_kinds of `public_receipt_contact_types` or whose text mentions `public_receipt_keywords`
    ("Contact from maternal grandmother by phone"), whose text names such a referrer first, or whose source of
    information cell does (`base.public_referrers`). Each distinct text read once."""
    mask = np.asarray(mask, dtype=bool)
    kinds = list(ctx.settings.get("receipt_agency_kinds") or ())
    incoming = all_referral_receipts(ctx) & mask
    if kinds:
        own = ctx.kinds(kinds).to_numpy(dtype=bool) & mask & ~incoming
        if params.get("public_receipt_contact_types"):
            incoming = incoming | (own & ctx.types(params["public_receipt_contact_types"]).to_numpy(dtype=bool))
        if params.get("public_receipt_keywords") and own.any():
            incoming = incoming | text_mentions(ctx, own, params["public_receipt_keywords"]).to_numpy(dtype=bool)
    return public_referrers(ctx, incoming)


def _same_site_followups(candidates: pd.DataFrame, earlier: np.ndarray, same_site: np.ndarray) -> pd.Series:
    """Per first record of an injury (the index of `candidates`, a row whose `earlier` is -1): the dates of the
    later records joined to it (through any chain of follow-ups) of which one was a same-site follow-up only
    (`same_site`), joined by ", "; only the injuries with one."""
    pos = candidates.index.to_numpy(dtype="int64")
    parent = dict(zip(pos[earlier >= 0].tolist(), earlier[earlier >= 0].tolist()))
    near = set(pos[same_site].tolist())
    if not near:
        return pd.Series(dtype=object)
    roots, kept = [], []
    for p in pos[earlier >= 0].tolist():
        root, via, seen = p, p in near, set()
        while root in parent and root not in seen:
            seen.add(root)
            root = parent[root]
            via = via or root in near
        if via:
            roots.append(root)
            kept.append(p)
    if not kept:
        return pd.Series(dtype=object)
    days = fmt_date(candidates.loc[kept, "_day"]).to_numpy()
    return pd.Series(days, index=roots).groupby(level=0).agg(lambda d: ", ".join(dict.fromkeys(d)))
