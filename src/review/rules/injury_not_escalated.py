"""Rule `injury_not_escalated`: an injury in a child under 24 months, or a harm said to be inflicted
(`any_age_tags`: non_accidental, "said his dad hit him") at any age, with no escalation by any agency within
2 days.

Source: NICE CG89 *When to suspect child maltreatment* (injuries in young children, absent or
inconsistent explanations); Working Together to Safeguard Children 2023, chapter 2 (refer without delay).

A follow-up of an injury already recorded (a fracture clinic review, a dressing, a discharge letter "re scald
13/10": `episodes.earlier_injury`) is no new injury. In a mobile child, an injury whose record says the
explanation is consistent and there are no safeguarding concerns is not flagged (`explained_cues`,
`unconcerned_cues`, of each injury it names where it names several in different sentences or clauses; never
in a child not independently mobile, nor with an inconsistent explanation; nor (s20) for a bruise at a TEN-4-FACESp
site in a child under 4, `sentinel_*`, nor for an injury after earlier injuries within 90 days,
`earlier_injury_*`: the flag then says why the explanation did not set it aside). The flag names the later records
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

(s21) A looked-after child (case.yml `looked_after` on the injury's day, `looked_after_share`): its placing
authority already holds it, so the flag expects the record shared with the child's social worker there (or a CP
medical or strategy discussion), not a referral to children's social care; such sharing by any agency answers too
(`lac_visits_overdue.looked_after_share_params`, as self_harm_not_referred reads it).
"""
from __future__ import annotations

import numpy as np
import pandas as pd

from .base import (
    Context,
    earlier_response,
    referral_response,
    cap_response,
    day_numbers,
    death_bound,
    due_within,
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
from .lac_visits_overdue import looked_after_expected, looked_after_share_params, looked_after_triggers


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
    reasons: dict = {}
    if params.get("explained_cues") and params.get("unconcerned_cues"):
        # a mobile child's injury recorded as explained and of no safeguarding concern (NICE CG89: consider
        # maltreatment when the explanation is absent, unsuitable or inconsistent); never a non-mobile baby's
        below_age = tl["_age_days"] < params.get("nonmobile_below_age_months", 6) * 30.4375
        mobile = tl["_mobile"].fillna(~below_age).fillna(False).astype(bool).to_numpy()
        # each injury it names explained, where it names several in different sentences or clauses
        calm = explained(ctx, mask.to_numpy() & mobile, params["explained_cues"], params["unconcerned_cues"],
                         params["injury_tags"])
        # ...but not a bruise at a TEN-4-FACESp site in a young child, nor an injury after earlier ones: the
        # explanation does not set those aside (`_not_set_aside`); the flag says why
        unset, reasons = _not_set_aside(ctx, calm, params)
        calm_groups = np.setdiff1d(np.unique(tl["_gcode"].to_numpy()[calm]), np.unique(tl["_gcode"].to_numpy()[unset]))
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
    # (s21) another agency's record of the same injury a day later (the police's of the ED's stab wound) is
    # that injury's: one flag, both records its evidence (`_same_event`)
    triggers, also = _same_event(ctx, triggers, params)
    triggers = due_within(triggers, days=params["within_days"])
    response = first_response_or(ctx, triggers, held_escalations(ctx, params["escalations"]), receipts)
    # (s21) a looked-after child (case.yml looked_after on the injury's day): its placing authority holds it; the
    # record shared with the child's social worker there answers too (`looked_after_share_params`, its sharing
    # alone: the escalations answer as above)
    authority = looked_after_triggers(ctx, triggers, params)
    looked_after = authority != ""
    if looked_after.any():
        share = looked_after_share_params(dict(params, escalations=[], response_keywords=[], response_informed_kinds=[],
                                               response_shared_in_text_kinds=[], receipts_answer=False), ctx.settings)
        share["receipts_answer"] = False  # social care's receipt answers as above (first_response_or's `receipts`)
        lac = triggers[looked_after]
        response = response.copy()
        response.loc[lac.index] = earlier_response(response.loc[lac.index], referral_response(ctx, lac, share))
    late = ~response["timely"].to_numpy()
    t = triggers[late]
    authority, looked_after = authority[late], looked_after[late]
    # an escalation by any agency more than response_max_days after the injury is not its late response, nor
    # one after the child's death (`death_bound`)
    death = death_bound(ctx, t, t["_day"], params.get("response_max_days"))
    r = cap_response(response[~response["timely"]], t["_day"], params.get("response_max_days"), death)
    note_death_cut(ctx, t, death, r["action_event_id"])  # none before the death: "at least N days" late

    # high severity when any record of the same event gives an inconsistent explanation / non-accidental
    high_rows = ctx.tags(params["high_severity_tags"]).to_numpy()
    high_groups = np.unique(tl["_gcode"].to_numpy()[high_rows])
    high = np.isin(t["_gcode"].to_numpy(), high_groups)
    if also is not None:  # a record of the same event by another agency may say it was inflicted
        high |= also["high"].reindex(t.index, fill_value=False).to_numpy(dtype=bool)

    lac_text = pd.Series(authority, index=t.index).astype(object)
    out = deadline_rows(t, r, pd.Series("escalation (referral to children's social care, CP medical or strategy "
                                        "discussion)", index=t.index).where(
        ~looked_after, looked_after_expected(lac_text) + ", or a CP medical or strategy discussion"))
    out["severity"] = pd.Series(high, index=t.index).map({True: "high", False: None})
    out["explanation"] = (
        t["agency"] + " recorded " + fmt_tags(t["concerns"]) + " on " + fmt_date(t["_day"]) + " in a child aged "
        + fmt_age(t) + pd.Series(np.where(
            looked_after, " (looked after by " + lac_text + ", the placing authority: no referral to children's"
            " social care is asked)", ""), index=t.index)
        + pd.Series(np.where(looked_after, " and no agency shared it with the child's social worker there nor"
                             " escalated", " and no agency escalated"), index=t.index)
        + " within " + str(params["within_days"]) + " days (by "
        + fmt_date(t["deadline"]) + ")"
        + _outcome(ctx, t, r, out, params, death, receipts)
    )
    if reasons:
        # an injury recorded as explained that the explanation did not set aside: why
        why = pd.Series([reasons.get(g, "") for g in t["_gcode"].to_numpy()], index=t.index, dtype=object)
        has = (why != "").to_numpy()
        if has.any():
            text = out.loc[has, "explanation"].astype(str).str.rstrip()
            out.loc[has, "explanation"] = text + np.where(text.str.endswith("."), "", ".") + why[has]
    out = with_same_event(out, also, params)
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


def with_same_event(out: pd.DataFrame, also: pd.DataFrame | None, params: dict) -> pd.DataFrame:
    """(s21) The flag rows `out` (indexed as their triggers) with the other agencies' records of the same event
    (`_same_event`'s table) added to their evidence and agencies and said in their explanation."""
    if also is None or out.empty:
        return out
    at = also.reindex(out.index)
    has = at["ids"].notna().to_numpy()
    if not has.any():
        return out
    out = out.copy()
    out.loc[has, "evidence_event_ids"] = out.loc[has, "evidence_event_ids"].astype(str) + "; " + at.loc[has, "ids"]
    out.loc[has, "agencies"] = out.loc[has, "agencies"].astype(str) + "; " + at.loc[has, "agencies"]
    text = out.loc[has, "explanation"].astype(str).str.rstrip()
    window = int(params["same_event_window_days"])
    out.loc[has, "explanation"] = (
        text + np.where(text.str.endswith("."), "", ".") + " The same injury was recorded by "
        + at.loc[has, "text"] + ": one event recorded by two agencies, one flag (records of another agency"
        " within " + str(window) + " day" + ("s" if window != 1 else "") + " sharing the injury,"
        " rules.yml same_event_window_days).")
    return out


def _same_event(ctx: Context, triggers: pd.DataFrame, params: dict) -> tuple[pd.DataFrame, pd.DataFrame | None]:
    """(s21) (`triggers` but the records of an event another agency recorded first, per trigger kept that has
    such records: their event ids and agencies joined by "; ", "<agency> on <date>" joined by ", ", and whether
    one is of `high_severity_tags`'s event groups; None when there is none).

    The timeline links two agencies' reports of one event only within one contact-type family (review.timeline
    LINK_GROUPS): the ED's attendance with a stab wound and the police's call-out to it stay two event groups, and
    each was a trigger. A trigger is the same event as an earlier one (by (day, timeline position)) of the same
    case when it is another agency's, dated 0..`same_event_window_days` days after it, both name a tag of
    `injury_tags` or `any_age_tags` in common, and they do not name different body regions (both naming some,
    none shared: `episodes._group_readings`). It joins the earliest such trigger, and that one's in turn: the
    first record's flag covers the event, whichever agency failed to escalate it."""
    window = params.get("same_event_window_days")
    if window is None or len(triggers) < 2:
        return triggers, None
    from ..timeline import _pairs_within
    from .episodes import _group_readings

    tl = ctx.timeline
    pos = triggers.index.to_numpy(dtype="int64")
    tags = list(dict.fromkeys(list(params["injury_tags"]) + list(params.get("any_age_tags") or ())))
    bits = np.zeros(len(pos), dtype="int64")
    for i, tag in enumerate(tags[:62]):
        bits |= ctx.tags([tag]).to_numpy(dtype=bool)[pos].astype("int64") << i
    g = _group_readings(ctx, list(params["injury_tags"]))
    at = pd.Index(g["gcode"]).get_indexer(triggers["_gcode"].to_numpy()) if len(g["gcode"]) else np.full(len(pos), -1)
    sites = np.where(at >= 0, g["sites"][np.maximum(at, 0)] if len(g["gcode"]) else 0, 0).astype("int64")
    # in (case, day, timeline position) order, the candidate pairs (earlier, later) of other agencies within the
    # window: each row compared with the next ones while any is that close (`timeline._pairs_within`)
    case, day = triggers["_case"].to_numpy(dtype="int64"), day_numbers(triggers["_day"].to_numpy())
    order = np.lexsort((pos, day, case))
    agency = pd.factorize(triggers["agency"].astype("string").fillna(""))[0]
    a, b = _pairs_within(case[order], day[order], agency[order], int(window))
    i, j = order[a], order[b]  # a < b: i before j
    apart = (sites[i] != 0) & (sites[j] != 0) & ((sites[i] & sites[j]) == 0)
    keep = ((bits[i] & bits[j]) != 0) & ~apart
    if not keep.any():
        return triggers, None
    # the earliest earlier record per later one
    first = pd.DataFrame({"j": j[keep], "a": a[keep]}).sort_values(["j", "a"], kind="mergesort").drop_duplicates("j")
    parent = np.arange(len(pos))
    parent[first["j"].to_numpy()] = order[first["a"].to_numpy()]
    while True:  # each joins its chain's first record
        up = parent[parent]
        if np.array_equal(up, parent):
            break
        parent = up
    joined = np.flatnonzero(parent != np.arange(len(pos)))
    high_tags = list(params.get("high_severity_tags") or ())
    high_groups = np.unique(tl["_gcode"].to_numpy()[ctx.tags(high_tags).to_numpy()]) if high_tags else []
    rows = triggers.iloc[joined]
    info = pd.DataFrame({
        "root": pos[parent[joined]], "id": rows["event_id"].astype(str).to_numpy(dtype=object),
        "agency": rows["agency"].astype("string").fillna("").to_numpy(dtype=object),
        "text": (rows["agency"].astype("string").fillna("") + " on " + fmt_date(rows["_day"])).to_numpy(dtype=object),
        "high": np.isin(rows["_gcode"].to_numpy(), high_groups)})
    by = info.groupby("root", sort=True)
    also = pd.DataFrame({"ids": by["id"].agg("; ".join), "agencies": by["agency"].agg("; ".join),
                         "text": by["text"].agg(", ".join), "high": by["high"].any()})
    return triggers[parent == np.arange(len(pos))], also


def _years_or_months(months: int) -> str:
    return (str(months // 12) + " year" + ("s" if months != 12 else "")) if months % 12 == 0 else (
        str(months) + " months")


def _not_set_aside(ctx: Context, calm: np.ndarray, params: dict) -> tuple[np.ndarray, dict]:
    """(per timeline row of `calm` — an injury recorded as explained and of no safeguarding concern — is it one
    the explanation does not set aside; per event group of such a row, the sentence saying why). Such a row is

    * a bruise at a TEN-4-FACESp site (Pierce et al. 2010, 2021: torso, ears, neck, frenulum, angle of jaw,
      cheeks, eyelids, subconjunctival) in a child under `sentinel_below_age_months`: a sentence of its text naming
      a concern of `sentinel_tags` and a body region of `sentinel_regions` (vocab.yml body_regions) or one of
      `sentinel_words` (`episodes.sentinel_sites_text`, each distinct text read once), or
    * an injury after earlier ones: exact-date records of `injury_tags` in the case on at least
      `earlier_injury_min_days` distinct days in the `earlier_injury_window_days` days before its day."""
    tl = ctx.timeline
    calm = np.asarray(calm, dtype=bool)
    unset = np.zeros(len(tl), dtype=bool)
    pos = np.flatnonzero(calm)
    if not len(pos):
        return unset, {}
    site_text = np.full(len(pos), "", dtype=object)
    names, words = tuple(params.get("sentinel_regions") or ()), tuple(params.get("sentinel_words") or ())
    tags = tuple(map(str, params.get("sentinel_tags") or ()))
    months = params.get("sentinel_below_age_months")
    if (names or words) and tags and months is not None:
        from ..sightings import _raw_vocab
        from .episodes import _row_texts, _vocab_pairs, region_names, sentinel_regions, sentinel_sites_text

        dob = pd.Series(tl["_dob"].to_numpy()[pos])
        day = pd.Series(tl["_day"].to_numpy()[pos])
        young = ((day < dob + pd.DateOffset(months=int(months))).fillna(False)
                 & (pd.Series(tl["_age_days"].to_numpy()[pos]) >= 0).fillna(False)).to_numpy(dtype=bool)
        at = np.flatnonzero(young)
        if len(at):
            inverse, first, d, a, vn, keys = _vocab_pairs(ctx, pos[at])
            args = [sentinel_regions(_raw_vocab(str(k)).get("body_regions"), names, words) for k in keys]
            named = [region_names(sentinel_sites_text(text, tags, args[vn[i]][0]), args[vn[i]][1])
                     for text, i in zip(_row_texts(ctx, d, a, first), first)]
            sites = np.array(named, dtype=object)[inverse]
            site_text[at] = np.where(sites != "", "a bruise at a TEN-4-FACESp site (" + sites.astype(str)
                                     + ") in a child under " + _years_or_months(int(months)), "")
    earlier_text = np.full(len(pos), "", dtype=object)
    window = params.get("earlier_injury_window_days")
    if window is not None:
        injured = (ctx.tags(params["injury_tags"]) & tl["_exact"]).to_numpy(dtype=bool)
        big = np.int64(1) << np.int64(32)
        cases = tl["_case"].to_numpy().astype("int64")
        days = day_numbers(tl["_day"].to_numpy())
        keys = np.unique(cases[injured] * big + days[injured])
        mine = cases[pos] * big + days[pos]
        hi = np.searchsorted(keys, mine, side="left")  # the days before its own
        count = hi - np.searchsorted(keys, mine - int(window), side="left")
        hit = count >= max(1, int(params.get("earlier_injury_min_days") or 1))
        if hit.any():
            last = pd.Series(pd.to_datetime((keys[hi[hit] - 1] - cases[pos[hit]] * big), unit="D"))
            earlier_text[hit] = ("injuries recorded on " + pd.Series(count[hit]).astype(str).to_numpy(dtype=object)
                                 + " earlier day" + np.where(count[hit] != 1, "s", "") + " within " + str(int(window))
                                 + " days, the last on " + fmt_date(last).to_numpy(dtype=object))
    both = np.where((site_text != "") & (earlier_text != ""), " and ", "")
    why = site_text + both + earlier_text
    found = why != ""
    unset[pos[found]] = True
    if not found.any():
        return unset, {}
    groups = tl["_gcode"].to_numpy()[pos[found]]
    sentences = (" The record gives an explanation and no safeguarding concerns, but that does not set the injury"
                 " aside: " + why[found].astype(str) + " (rules.yml sentinel_regions, earlier_injury_window_days).")
    reasons: dict = {}
    for g, sentence in zip(groups.tolist(), sentences.tolist()):
        reasons.setdefault(g, sentence)
    return unset, reasons


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
