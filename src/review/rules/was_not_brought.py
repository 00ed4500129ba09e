"""Rule `was_not_brought`: two or more missed health appointments (was not brought / did not attend)
within 90 days with no follow-up by that agency — a contact at which the child was seen, or an
escalation — within 14 days of the latest. A follow-up, timely or late, ends a pattern: the missed contacts
counted at a trigger are those after the agency's latest follow-up before it. "That agency" is also the same local
authority under another name (s18, `same_agency_codes`: "Westshire CSC" for "Westshire Children's Services").

Source: local was-not-brought protocols (a child who is not brought is a child at risk: the service
follows up, reviews the pattern and escalates); NICE CG89 (failure to attend appointments as an alerting
feature of neglect); Working Together to Safeguard Children 2023.

A young person (s14): "was not brought" names a child who depends on an adult to be brought. From
`young_person_age_years` (13) the flag says the young person "did not attend", and is `young_person_severity`
(low) unless other concerns are open at the trigger (a concern tag other than was_not_brought in the
timeline's ``open_concerns``: self-harm, exploitation, neglect...), when it keeps the rule's severity. From
`no_flag_age_years` (16) a young person may consent to or refuse treatment themselves (Family Law Reform Act
1969 s.8; Mental Capacity Act 2005; under 16, Gillick competence), so missed appointments alone are no
missed escalation point: flagged only with other concerns open (Working Together 2023, ch. 2: young people
at risk of harm outside the home; was-not-brought protocols ask services to weigh a young person's
disengagement with what else is known). A child with no date of birth is read as a child.
"""
from __future__ import annotations

import re

import numpy as np
import pandas as pd

from ..sightings import seen_mask
from .transfer_in_conference_late import same_agency_codes
from .base import (
    DAY,
    Context,
    action_when,
    censor_at_death,
    column_at,
    delay_from,
    due_within,
    first_per_group,
    first_response,
    fmt_date,
    held_escalations,
    joined,
    missed_contacts,
    outcome_text,
    register,
    rows_of,
    text_mentions,
    unborn,
    _rows_matching,
    window_pairs,
)

#: the timeline columns the rule reads from its rows (selected before the rows are)
_COLUMNS = [
    "event_id", "case_id", "_case", "_agency", "_gcode", "_day", "_start", "_end", "_exact", "date_precision", "_shown", "agency",
    "_dob", "open_concerns",
]
#: `first_response`'s columns of a trigger's action, those `censor_at_death` may clear (`_censored`)
_ACTIONS = ["action_event_id", "action_date", "action_exact", "action_pos"]


@register("was_not_brought")
def was_not_brought(ctx: Context, params: dict) -> pd.DataFrame:
    """2+ WNB to health in 90 days, no follow-up by that agency in 14 days (local WNB protocols); and (variant
    across_agencies) 3+ across health agencies, 2+ for a child with additional needs, none collated."""
    tl = ctx.timeline
    seen = pd.Series(seen_mask(tl), index=tl.index)  # recorded, else read from the row (review.sightings)
    # a contact at which the child was seen is not a missed appointment, whatever its text mentions (an
    # earlier one it follows up, a "DNA test"): it can be the follow-up
    # (a row reporting earlier missed contacts, "Discharged following 3 WNB", a letter, is none: `missed_contacts`)
    # (s21, QA12 D3) a missed appointment before the birth is the mother's antenatal one: no child was not
    # brought (the concern stays on the timeline, worded "a missed antenatal appointment": `fmt_tags`)
    missed = missed_contacts(ctx) & ctx.kinds(params["agency_kinds"]) & ~seen & ~pd.Series(unborn(ctx), index=seen.index)
    events = first_per_group(rows_of(ctx, missed, _COLUMNS))
    own = _per_agency(ctx, params, events, seen)
    covered = _evidence_groups(ctx, own)
    frames = [own, _across_agencies(ctx, params, events, seen, missed, covered),
              _discharged(ctx, params, events, covered)]
    frames = [f for f in frames if f is not None and not f.empty]
    if len(frames) < 2:
        return frames[0] if frames else events.iloc[0:0]
    flags = pd.concat(frames)
    # an agency's own flag has no variant: its id stays the one it had before the variant was added
    return flags.assign(variant=flags["variant"].astype(object).where(flags["variant"].notna(), ""))


def _per_agency(ctx: Context, params: dict, events: pd.DataFrame, seen: pd.Series) -> pd.DataFrame:
    """The rule's flags by one agency's pattern of missed contacts (`same_agency`), its follow-up by that agency."""
    triggers = events[events["_exact"]].copy()
    if triggers.empty:
        return triggers
    same = bool(params["same_agency"])
    triggers = due_within(triggers, days=params["follow_up_within_days"])
    triggers["lo"] = triggers["_day"] - params["window_days"] * DAY
    # an escalation that did not take place ("Strategy discussion cancelled", its escalation cell filled by
    # hand or by a profile) is no follow-up (`held_escalations`); nor an unplanned attendance that saw the child
    # (s21: an A&E visit for a blocked tube months later is no clinic's follow-up), but the discharge to the GP
    # under the was-not-brought policy is (`own_follow_ups`)
    follow_up = own_follow_ups(ctx, params, seen) | held_escalations(ctx)
    # the follow-up by the same agency, a local authority under another name the same ("Westshire CSC" for
    # "Westshire Children's Services": `same_agency_codes`)
    agency_codes = same_agency_codes(ctx)
    triggers = _unanswered(ctx, triggers, follow_up, groups=agency_codes)
    if triggers.empty:
        return triggers
    keys = ("_case", "_agency") if same else ("_case",)
    ev = events[["_case", "_agency", "_gcode", "_start", "_end", "_exact", "event_id", "_day", "_shown"]].assign(pos=events.index)
    pairs = window_pairs(ctx, triggers[list(keys) + ["lo", "_day"]], ev, "lo", "_day", keys=keys)
    pairs = pairs[~(pairs["e__exact"] & (pairs["e_pos"] > pairs["t_index"]))]
    # a follow-up by the trigger's agency (timely or late) ends the pattern before it: only the missed contacts
    # after the agency's latest follow-up before the trigger count, so two patterns never share a missed contact
    since = _last_follow_up(ctx, follow_up, pairs["t_index"].to_numpy(dtype="int64"), agency_codes)
    pairs = pairs[pairs["e_pos"].to_numpy(dtype="int64") > since]
    count = pairs.groupby("t_index")["e__gcode"].nunique()
    t = triggers[triggers.index.isin(count[count >= params["min_missed"]].index)].copy()
    # a young person: "did not attend"; from no_flag_age_years, flagged only with other concerns open
    years = age_in_years(t["_day"], t["_dob"])
    other = other_concerns_open(t["open_concerns"])
    adult_enough = (years >= params["no_flag_age_years"]).fillna(False).to_numpy(dtype=bool)
    keep = ~adult_enough | other
    t, years, other = t[keep], years[keep], other[keep]
    if t.empty:
        return t
    # one pattern of missed contacts, one flag: a flagged trigger whose window reaches back to the previous one's
    # (same case and agency), with no follow-up by the agency in between, continues that pattern; its missed
    # contacts join the first trigger's evidence (the flag is raised where the pattern first went unanswered)
    pairs = pairs[pairs["t_index"].isin(t.index)]
    leader = _patterns(t, keys, params["window_days"])
    follows = leader != t.index.to_numpy()
    if follows.any():
        pairs = pairs.assign(t_index=pd.Series(leader, index=t.index).reindex(pairs["t_index"]).to_numpy())
        pairs = pairs.drop_duplicates(["t_index", "e_pos"]).sort_values(["t_index", "e__start", "e_pos"],
                                                                         kind="mergesort")
        t, years, other = t[~follows], years[~follows], other[~follows]
    young = (years >= params["young_person_age_years"]).fillna(False).to_numpy(dtype=bool)
    evidence = joined(pairs["e_event_id"], pairs["t_index"]).reindex(t.index)
    dates = pairs.assign(d=fmt_date(pairs["e__day"], pairs["e__shown"]).to_numpy()).sort_values(["t_index", "e__start"])
    # ", ".join per trigger over numpy slices of the sorted pairs (a groupby agg calls back per group)
    keys, texts = dates["t_index"].to_numpy(), dates["d"].to_numpy(dtype=object)
    starts = np.r_[0, np.flatnonzero(keys[1:] != keys[:-1]) + 1] if len(keys) else np.array([], dtype="int64")
    ends = np.r_[starts[1:], len(keys)]
    date_list = pd.Series(
        [", ".join(texts[a:b]) for a, b in zip(starts, ends)], index=keys[starts], dtype=dates["d"].dtype
    ).reindex(t.index)
    agencies = joined(column_at(ctx, "agency", pairs["e_pos"], pairs.index), pairs["t_index"]).reindex(t.index)

    # a contact after the child's death is no follow-up: censored at the death
    t, delay, none_text = _censored(ctx, t, "no follow-up is recorded", "the missed appointment")
    age = years.astype("Int64").astype("string").fillna("")
    who = pd.Series("the child", index=t.index, dtype="string").mask(young, "the young person")
    # a pattern longer than the window (each missed contact within it of the one before): its whole span
    span = (pairs.groupby("t_index")["e__day"].max() - pairs.groupby("t_index")["e__day"].min()).reindex(t.index) / DAY
    over = pd.Series("within " + str(params["window_days"]) + " days", index=t.index, dtype="string").mask(
        (span > params["window_days"]).fillna(False), "over " + span.fillna(0).astype("int64").astype(str) + " days")
    explanation = (
        _missed_text(ctx, pairs, t.index, young, age, params.get("no_access_words") or ()) + " with " + agencies + " "
        + over + " (" + date_list + ") and " + t["agency"]
        + " did not see " + who + " or escalate within " + str(params["follow_up_within_days"]) + " days of "
        + fmt_date(t["_day"]) + outcome_text(t["action_event_id"], t["action_date"], delay, "follow-up",
                                       action_when(ctx, t["action_pos"], t.index), none_text)
    )
    severity = pd.Series(pd.NA, index=t.index, dtype="string").mask(young & ~other, params["young_person_severity"])
    return _flag_rows(t, delay, severity=severity, evidence=evidence,
                      expected="follow-up by " + t["agency"] + " (child seen, or escalation)", agencies=agencies,
                      explanation=explanation)


def own_follow_ups(ctx: Context, params: dict, seen: pd.Series) -> pd.Series:
    """Per timeline row, a follow-up of an agency's own missed contacts (s21, QA11 D12) other than an escalation:
    a contact that saw the child, not of `follow_up_not_types` (an A&E attendance, an admission: the child
    brought in for something else, unless its text names the follow-up, `follow_up_words`: "seen in ED, DNA
    follow-up rebooked"); or a discharge shared with the child's GP (a row, not itself a missed contact, naming
    one of `discharge_words` that names one of `record_holder_words` in its text or its informed agencies:
    "Discharge letter: discharged to GP under the was-not-brought policy", shared with Brookfield Surgery): the
    was-not-brought policy's hand-over to the holder of the health record (whether it should have escalated
    instead is variant discharged's). A missed contact whose outcome discharges the child ("Was not brought.
    Discharged to GP") is the pattern's last missed appointment, no later follow-up of it."""
    tl = ctx.timeline
    out = seen.to_numpy(dtype=bool).copy()
    not_types = params.get("follow_up_not_types") or ()
    if not_types:
        unplanned = out & ctx.types(not_types).to_numpy(dtype=bool)
        words = params.get("follow_up_words") or ()
        named = text_mentions(ctx, unplanned, words).to_numpy(dtype=bool) if len(words) else unplanned & False
        out &= ~(unplanned & ~named)
    discharge, holders = params.get("discharge_words") or (), params.get("record_holder_words") or ()
    if len(discharge) and len(holders):
        # (not a missed contact discharging the child itself: "Not brought. Discharged to GP" is the pattern's
        # last missed appointment, no later follow-up of it)
        rows = text_mentions(ctx, ctx.kinds(params["agency_kinds"]).to_numpy(dtype=bool) & ~out
                             & ~missed_contacts(ctx).to_numpy(dtype=bool), discharge).to_numpy(dtype=bool)
        pos = np.flatnonzero(rows)
        if len(pos):
            pattern = r"\b(?:" + "|".join(re.escape(str(w).lower()) for w in holders) + r")\b"
            informed = tl["informed_agencies"].iloc[pos].astype(object).fillna("").astype(str).str.lower()
            to_gp = text_mentions(ctx, rows, holders).to_numpy(dtype=bool)[pos] | informed.str.contains(
                pattern, regex=True).to_numpy(dtype=bool)
            out[pos[to_gp]] = True
    return pd.Series(out, index=tl.index)


def _evidence_groups(ctx: Context, flags: pd.DataFrame) -> np.ndarray:
    """The event groups (``_gcode``) of the evidence of `flags` (an agency's own patterns), sorted."""
    if flags is None or flags.empty or "evidence_event_ids" not in flags:
        return np.array([], dtype="int64")
    ids = {e.strip() for value in flags["evidence_event_ids"].dropna().astype(str) for e in value.split(";")}
    tl = ctx.timeline
    return np.unique(tl["_gcode"].to_numpy()[tl["event_id"].isin(ids).to_numpy(dtype=bool)]).astype("int64")


def _across_agencies(ctx: Context, params: dict, events: pd.DataFrame, seen: pd.Series,
                     missed: pd.Series, covered: np.ndarray) -> pd.DataFrame | None:
    """Variant across_agencies: at least `across_agencies_min_missed` missed health contacts (event groups;
    `additional_needs_min_missed` for a child whose case.yml states `additional_needs`) within `window_days`,
    by at least `across_agencies_min_agencies` agencies, one of them at least not evidence of an agency's own
    flag (`covered`: the event groups of those; when each agency's own count flagged all its missed contacts,
    each agency's flag has them), with no follow-up within `follow_up_within_days` of
    the latest: no agency escalated and no health agency (`agency_kinds`) saw the child. A follow-up, timely
    or late, ends a pattern (the missed contacts counted are those after the case's latest follow-up); one
    pattern is one flag, raised where it first went unanswered, whose evidence is every missed contact of the
    pattern and every report of missed contacts a health agency filed over its span (a discharge letter
    after the third WNB: evidence, never a missed contact itself, `missed_contacts`). Expected: the child's
    GP, as the holder of the health record (an agency of the case named by `record_holder_words`), collates
    them and considers neglect and a referral to children's social care (NICE CG89; RCPCH / NSPCC "was not
    brought" guidance). None when switched off (`across_agencies_min_missed` 0 or not given, or `same_agency`
    false: the rule's own count is then across agencies)."""
    least = int(params.get("across_agencies_min_missed") or 0)
    if least <= 0 or not params["same_agency"]:  # (same_agency false: the rule itself counts across agencies)
        return None
    tl = ctx.timeline
    triggers = events[events["_exact"]].copy()
    if triggers.empty:
        return None
    health = ctx.kinds(params["agency_kinds"])
    # the pattern is answered by an escalation for the child by any agency, or a health contact at which the
    # child was seen (the missed care caught up)
    follow_up = (seen & health) | held_escalations(ctx)
    triggers = due_within(triggers, days=params["follow_up_within_days"])
    triggers["lo"] = triggers["_day"] - params["window_days"] * DAY
    triggers = _unanswered(ctx, triggers, follow_up)
    if triggers.empty:
        return None
    agency_codes = np.asarray(same_agency_codes(ctx), dtype="int64")
    ev = events[["_case", "_agency", "_gcode", "_start", "_end", "_exact", "event_id", "_day", "_shown"]].assign(
        pos=events.index)
    pairs = window_pairs(ctx, triggers[["_case", "lo", "_day"]], ev, "lo", "_day", keys=("_case",))
    pairs = pairs[~(pairs["e__exact"] & (pairs["e_pos"] > pairs["t_index"]))]
    since = _last_follow_up(ctx, follow_up, pairs["t_index"].to_numpy(dtype="int64"), tl["_case"].to_numpy())
    pairs = pairs[pairs["e_pos"].to_numpy(dtype="int64") > since]
    pairs = pairs.assign(e_who=agency_codes[pairs["e_pos"].to_numpy(dtype="int64")])
    count = pairs.groupby("t_index")["e__gcode"].nunique()
    agencies_n = pairs.groupby("t_index")["e_who"].nunique()
    needs = np.asarray(ctx.extra.get("additional_needs", np.zeros(len(ctx.case_ids), dtype=bool)), dtype=bool)
    need = needs[triggers["_case"].to_numpy(dtype="int64")] if len(needs) else np.zeros(len(triggers), dtype=bool)
    threshold = pd.Series(np.where(need, int(params.get("additional_needs_min_missed") or least), least),
                          index=triggers.index)
    # a missed contact no agency's own flag has: the pattern across the agencies shows more than each agency's
    fresh = pairs.assign(fresh=~np.isin(pairs["e__gcode"].to_numpy(dtype="int64"), covered)).groupby(
        "t_index")["fresh"].any()
    ok = (count.reindex(triggers.index).fillna(0) >= threshold) & (
        agencies_n.reindex(triggers.index).fillna(0) >= int(params.get("across_agencies_min_agencies") or 2)) & (
        fresh.reindex(triggers.index).fillna(False).astype(bool))
    t = triggers[ok.to_numpy(dtype=bool)].copy()
    years = age_in_years(t["_day"], t["_dob"])
    other = other_concerns_open(t["open_concerns"])
    keep = ~(years >= params["no_flag_age_years"]).fillna(False).to_numpy(dtype=bool) | other
    t, years, other = t[keep], years[keep], other[keep]
    if t.empty:
        return None
    # one pattern, one flag (`_patterns`, by case)
    pairs = pairs[pairs["t_index"].isin(t.index)]
    leader = _patterns(t, ("_case",), params["window_days"])
    follows = leader != t.index.to_numpy()
    if follows.any():
        pairs = pairs.assign(t_index=pd.Series(leader, index=t.index).reindex(pairs["t_index"]).to_numpy())
        pairs = pairs.drop_duplicates(["t_index", "e_pos"])
        t, years, other = t[~follows], years[~follows], other[~follows]
    pairs = pairs.sort_values(["t_index", "e__start", "e_pos"], kind="mergesort")
    young = (years >= params["young_person_age_years"]).fillna(False).to_numpy(dtype=bool)
    need = needs[t["_case"].to_numpy(dtype="int64")] if len(needs) else np.zeros(len(t), dtype=bool)
    # the reports of missed contacts a health agency filed over the pattern's span (letters, discharges)
    first_day = pairs.groupby("t_index")["e__day"].min().reindex(t.index)
    last_day = pairs.groupby("t_index")["e__day"].max().reindex(t.index)
    reported = ctx.tags(["was_not_brought"]) & health & ~missed & ~pd.Series(unborn(ctx), index=missed.index)
    reports = rows_of(ctx, reported, ["_case", "_start", "_end", "_day", "_shown", "event_id", "agency"])
    reports = reports.assign(pos=reports.index)
    span = t[["_case"]].assign(first=first_day, last=last_day)
    report_pairs = window_pairs(ctx, span, reports, "first", "last") if len(reports) else None
    counted = pairs.groupby("t_index")["e__gcode"].nunique().reindex(t.index).fillna(0).astype(int)
    evidence_ids = pd.concat([pairs[["t_index", "e_event_id"]]] + (
        [report_pairs[["t_index", "e_event_id"]]] if report_pairs is not None else []))
    evidence = joined(evidence_ids["e_event_id"], evidence_ids["t_index"]).reindex(t.index)
    dates = fmt_date(pairs["e__day"], pairs["e__shown"]).to_numpy(dtype=object)
    who = column_at(ctx, "agency", pairs["e_pos"], pairs.index).astype(str).to_numpy(dtype=object)
    listed = pd.Series([f"{d} {w}" for d, w in zip(dates, who)], index=pairs.index)
    date_list = listed.groupby(pairs["t_index"].to_numpy(), sort=False).agg(", ".join).reindex(t.index)
    agencies = joined(column_at(ctx, "agency", pairs["e_pos"], pairs.index), pairs["t_index"]).reindex(t.index)
    n_agencies = pairs.groupby("t_index")["e_who"].nunique().reindex(t.index).fillna(0).astype(int)
    if report_pairs is not None and len(report_pairs):
        # "; reports of missed appointments were filed by Brookside Surgery (24 Nov 2021, 17 Mar 2022)"
        rp = report_pairs.sort_values(["t_index", "e__start", "e_pos"], kind="mergesort").assign(
            d=fmt_date(report_pairs["e__day"], report_pairs["e__shown"]).to_numpy(dtype=object))
        rp["e_agency"] = rp["e_agency"].astype(str)
        pieces = rp.groupby(["t_index", "e_agency"], sort=True)["d"].agg(", ".join)
        text = pd.Series(pieces.index.get_level_values(1) + " (" + pieces.to_numpy() + ")",
                         index=pieces.index.get_level_values(0))
        report_text = ("; reports of missed appointments were filed by " + text.groupby(level=0).agg(", ".join)
                       ).reindex(t.index).fillna("")
    else:
        report_text = pd.Series("", index=t.index)
    holder = _record_holders(ctx, t, health, params.get("record_holder_words") or ())
    t, delay, none_text = _censored(ctx, t, "no follow-up is recorded", "the missed appointment")
    age = years.astype("Int64").astype("string").fillna("")
    brought = pd.Series("The child was not brought to ", index=t.index, dtype="string").mask(
        young, "The young person (aged " + age + ") did not attend ")
    needs_text = pd.Series("", index=t.index, dtype="string").mask(
        need, " (a child with additional needs, case.yml additional_needs: threshold "
        + str(int(params.get("additional_needs_min_missed") or least)) + ")")
    days = ((last_day - first_day) / DAY).fillna(0).astype("int64")
    over = pd.Series("within " + str(params["window_days"]) + " days", index=t.index, dtype="string").mask(
        days > params["window_days"], "over " + days.astype(str) + " days")
    explanation = (
        brought + _plural(counted, "health appointment") + " with " + n_agencies.astype(str) + " agencies " + over
        + " (" + date_list + ")" + needs_text + report_text + "; no agency escalated and no health agency saw "
        + pd.Series("the child", index=t.index, dtype="string").mask(young, "the young person") + " within "
        + str(params["follow_up_within_days"]) + " days of " + fmt_date(t["_day"]) + outcome_text(t["action_event_id"], t["action_date"], delay, "follow-up",
                                                      action_when(ctx, t["action_pos"], t.index), none_text)
    )
    severity = pd.Series(pd.NA, index=t.index, dtype="string").mask(young & ~other, params["young_person_severity"])
    return _flag_rows(t, delay, severity=severity, evidence=evidence,
                      expected="the missed health appointments collated by " + holder
                      + " (holder of the health record) and neglect and a referral to children's social care considered",
                      agencies=agencies, explanation=explanation, variant="across_agencies")


def _discharged(ctx: Context, params: dict, events: pd.DataFrame, covered: np.ndarray) -> pd.DataFrame | None:
    """Variant discharged: a health agency discharges (or closes the case of) a child after at least
    `min_missed` missed contacts with it within `window_days` (whatever was attended in between: the
    appointment seen between two missed ones does not answer the discharge), while concerns other than the
    missed appointments are open (self-harm, sexual abuse, neglect...: ``open_concerns``), and does not escalate
    (an escalation that took place: a referral to children's social care, a strategy discussion...) within
    `follow_up_within_days` of the discharge. The discharge: a row of the agency tagged was_not_brought (the
    missed appointment itself, or a letter reporting missed ones) whose description or action names one of
    `discharge_words`. Not raised where the missed contacts' latest is evidence of the agency's own flag
    (`covered`): that pattern is flagged already. One discharge of a pattern, one flag (the first). NICE CG89;
    RCPCH / NSPCC "was not brought": a child is not discharged for missed appointments without the reasons
    considered and the referrer, the GP and, with safeguarding concerns, children's social care told.
    None when `discharge_words` is empty."""
    words = tuple(params.get("discharge_words") or ())
    if not words:
        return None
    tl = ctx.timeline
    health = ctx.kinds(params["agency_kinds"])
    candidate = (ctx.tags(["was_not_brought"]) & health).to_numpy(dtype=bool) & tl["_exact"].to_numpy(dtype=bool)
    pos = np.flatnonzero(candidate)
    if not len(pos) or events.empty:
        return None
    pos = pos[_rows_matching(ctx, pos, words)]
    if not len(pos):
        return None
    triggers = rows_of(ctx, pd.Series(np.isin(np.arange(len(tl)), pos), index=tl.index), _COLUMNS)
    other = other_concerns_open(triggers["open_concerns"])
    triggers = triggers[other].copy()
    if triggers.empty:
        return None
    triggers = due_within(triggers, days=params["follow_up_within_days"])
    # (s20, QA9 D7) a disabled child's discharge looks back further (additional_needs_discharge_window_days)
    window = int(params["window_days"])
    days = np.full(len(triggers), window, dtype="int64")
    needs = np.asarray(ctx.extra.get("additional_needs", ()), dtype=bool)
    if params.get("additional_needs_discharge_window_days") is not None and len(needs):
        days = np.where(needs[triggers["_case"].to_numpy(dtype="int64")],
                        max(window, int(params["additional_needs_discharge_window_days"])), window).astype("int64")
    triggers["_window"] = days
    triggers["lo"] = triggers["_day"] - pd.to_timedelta(days, unit="D")
    agency_codes = same_agency_codes(ctx)
    triggers = _unanswered(ctx, triggers, held_escalations(ctx), groups=agency_codes)
    if triggers.empty:
        return None
    keys = ("_case", "_agency")
    ev = events[["_case", "_agency", "_gcode", "_start", "_end", "_exact", "event_id", "_day", "_shown"]].assign(
        pos=events.index)
    pairs = window_pairs(ctx, triggers[list(keys) + ["lo", "_day"]], ev, "lo", "_day", keys=keys)
    pairs = pairs[~(pairs["e__exact"] & (pairs["e_pos"] > pairs["t_index"]))]
    if pairs.empty:
        return None
    count = pairs.groupby("t_index")["e__gcode"].nunique()
    # the latest missed contact of the pattern (by position) evidence of the agency's own flag: flagged already
    latest = pairs.sort_values(["t_index", "e_pos"], kind="mergesort").drop_duplicates("t_index", keep="last")
    flagged = latest.loc[np.isin(latest["e__gcode"].to_numpy(dtype="int64"), covered), "t_index"]
    first = pairs.groupby("t_index")["e_pos"].min()
    ok = (count.reindex(triggers.index).fillna(0) >= params["min_missed"]) & ~triggers.index.isin(flagged)
    t = triggers[ok.to_numpy(dtype=bool)]
    if t.empty:
        return None
    # one pattern, one flag: a later discharge of the agency whose missed contacts reach back to an earlier
    # flagged one's is the same pattern (a discharge letter after the discharge recorded at the appointment)
    t = t.assign(_first=first.reindex(t.index).to_numpy(), _pos=t.index.to_numpy()).sort_values(
        ["_case", "_agency", "_day", "event_id"], kind="mergesort")
    keep, last = [], {}
    for index, case, agency, lo_pos in zip(t.index, t["_case"], t["_agency"], t["_first"]):
        if (case, agency) in last and lo_pos <= last[(case, agency)]:
            continue
        keep.append(index)
        last[(case, agency)] = index
    t = t.loc[sorted(keep)]
    pairs = pairs[pairs["t_index"].isin(t.index)].sort_values(["t_index", "e__start", "e_pos"], kind="mergesort")
    years = age_in_years(t["_day"], t["_dob"])
    young = (years >= params["young_person_age_years"]).fillna(False).to_numpy(dtype=bool)
    age = years.astype("Int64").astype("string").fillna("")
    evidence = joined(pairs["e_event_id"], pairs["t_index"]).reindex(t.index)
    listed = pd.Series(fmt_date(pairs["e__day"], pairs["e__shown"]).to_numpy(dtype=object), index=pairs.index)
    date_list = listed.groupby(pairs["t_index"].to_numpy(), sort=False).agg(", ".join).reindex(t.index)
    counted = count.reindex(t.index).fillna(0).astype(int)
    concerns = t["open_concerns"].astype(object).fillna("").map(
        lambda c: ", ".join(x.strip().replace("_", " ") for x in str(c).split(";")
                            if x.strip() and x.strip() != "was_not_brought"))
    t, delay, none_text = _censored(ctx, t, "no escalation is recorded", "the discharge")
    brought = pd.Series("the child was not brought to ", index=t.index, dtype="string").mask(
        young, "the young person (aged " + age + ") did not attend ")
    explanation = (
        t["agency"] + " discharged the child (or closed the case) on " + fmt_date(t["_day"]) + " after "
        + brought + _plural(counted, "appointment") + " within " + t["_window"].astype(str) + " days"
        + pd.Series(np.where(t["_window"].to_numpy() > int(params["window_days"]), " (a child with additional needs)",
                             ""), index=t.index) + " ("
        + date_list + "), with concerns open (" + concerns.astype("string") + "), and did not escalate (children's"
        " social care told) within " + str(params["follow_up_within_days"]) + " days"
        + outcome_text(t["action_event_id"], t["action_date"], delay, "escalation",
                       action_when(ctx, t["action_pos"], t.index), none_text)
    )
    return _flag_rows(t, delay, severity=pd.Series(pd.NA, index=t.index, dtype="string"), evidence=evidence,
                      expected="before discharge after missed appointments, the reasons considered and, with concerns "
                      "open, children's social care informed by " + t["agency"],
                      agencies=t["agency"].astype("string"), explanation=explanation, variant="discharged")


def _unanswered(ctx: Context, triggers: pd.DataFrame, follow_up: pd.Series, **kwargs) -> pd.DataFrame:
    """`triggers` joined with their `first_response` to `follow_up` (`kwargs`: its options), those with no
    follow-up in time: each variant's missed contacts or discharges left unanswered."""
    triggers = triggers.join(first_response(ctx, triggers, follow_up, **kwargs))
    return triggers[~triggers["timely"]]


def _censored(ctx: Context, t: pd.DataFrame, none: str, since: str) -> tuple[pd.DataFrame, pd.Series, object]:
    """(`t`, joined with its responses, without an action after the child's death (`censor_at_death`: a contact
    after the death is no follow-up), the delay from each deadline to its late action (`delay_from`), and the end
    of the explanation where none came, `none` and the days after `since` where the child died)."""
    response, none_text = censor_at_death(ctx, t, t[_ACTIONS], "; none is recorded.", none, since)
    t = t.assign(**{c: response[c] for c in response.columns})
    return t, delay_from(t["deadline"], t["action_date"], t["action_exact"]), none_text


def _flag_rows(t: pd.DataFrame, delay: pd.Series, *, severity, evidence, expected, agencies, explanation,
               variant: str | None = None) -> pd.DataFrame:
    """The flag rows of the unanswered triggers `t` (joined with their responses): one frame from its columns,
    aligned on t's index as setting them one by one would; a `variant` column only where the variant has a name
    (the per-agency flags have none)."""
    columns = {
        "severity": severity,
        "case_id": t["case_id"],
        "trigger_event_id": t["event_id"],
        "trigger_date": t["_day"],
        "evidence_event_ids": evidence,
        "expected_action": expected,
        "expected_by": t["deadline"],
        "actual_action_event_id": t["action_event_id"],
        "actual_action_date": t["action_date"],
        "delay_days": delay,
        "agencies": agencies,
        "explanation": explanation,
    }
    if variant is not None:
        columns["variant"] = variant
    return pd.DataFrame(columns, index=t.index)


def _record_holders(ctx: Context, t: pd.DataFrame, health: pd.Series, words) -> pd.Series:
    """Per flagged trigger of `t`, who holds the child's health record: the case's health agency whose name says
    it is a general practice (`words`: "Brookside Surgery", "Northgate Medical Centre"; the first by name when
    several), else "the child's GP". Each distinct agency name is read once."""
    tl = ctx.timeline
    default = pd.Series("the child's GP", index=t.index, dtype="string")
    if not len(words):
        return default
    names = tl.loc[health.to_numpy(dtype=bool), ["_case", "agency"]].dropna().drop_duplicates()
    if names.empty:
        return default
    import re

    pattern = re.compile(r"\b(?:" + "|".join(re.escape(str(w).lower()) for w in words) + r")\b")
    distinct = pd.unique(names["agency"].astype(str).to_numpy(dtype=object))
    is_gp = {name: bool(pattern.search(name.lower())) for name in distinct}
    gp = names[names["agency"].astype(str).map(is_gp).to_numpy(dtype=bool)].sort_values(["_case", "agency"])
    first = gp.drop_duplicates("_case").set_index("_case")["agency"].astype("string")
    return pd.Series(first.reindex(t["_case"].to_numpy()).to_numpy(), index=t.index, dtype="string").fillna(
        "the child's GP")


def _last_follow_up(ctx: Context, follow_up: pd.Series, rows: np.ndarray, agency_codes=None) -> np.ndarray:
    """Per timeline position of `rows`, the position of the latest exact-date row of `follow_up` by the same
    agency of the same case before it in the timeline (-1: none). `agency_codes` (per timeline row; None: the
    agency's own, ``_agency``): which rows are one agency's (`same_agency_codes`). One binary search over the
    follow-ups' (agency, position) keys."""
    tl = ctx.timeline
    agency = (tl["_agency"].to_numpy() if agency_codes is None else np.asarray(agency_codes)).astype("int64")
    n = len(tl) + 1
    fu = np.flatnonzero(np.asarray(follow_up, dtype=bool) & tl["_exact"].to_numpy(dtype=bool))
    fu_keys = np.sort(agency[fu] * n + fu)
    wanted = agency[rows] * n + rows
    at = np.searchsorted(fu_keys, wanted, side="left") - 1
    found = fu_keys[np.maximum(at, 0)] if len(fu_keys) else np.zeros(len(rows), dtype="int64")
    ok = (at >= 0) & (found // n == agency[rows]) if len(fu_keys) else np.zeros(len(rows), dtype=bool)
    return np.where(ok, found % n, -1)


def _patterns(t: pd.DataFrame, keys, window_days) -> np.ndarray:
    """Per flagged trigger of `t` (aligned), the index of the first trigger of its pattern: triggers of the same
    `keys` (case, agency) in date order continue the previous one's pattern when they are at most `window_days`
    after it (the later window holds the earlier missed contact) and the earlier had no follow-up before the
    later (``action_date``: none, or on or after the later's day). The first of a pattern is its own."""
    if len(t) < 2:
        return t.index.to_numpy()
    order = t.sort_values([*keys, "_day", "event_id"], kind="mergesort")
    day = order["_day"].to_numpy(dtype="datetime64[ns]")
    action = order["action_date"].to_numpy(dtype="datetime64[ns]")
    same = np.ones(len(order) - 1, dtype=bool)
    for key in keys:
        column = order[key].to_numpy()
        same &= column[1:] == column[:-1]
    near = (day[1:] - day[:-1]) <= np.timedelta64(int(window_days), "D")
    unanswered = np.isnat(action[:-1]) | (action[:-1] >= day[1:])
    starts = np.r_[True, ~(same & near & unanswered)]
    index = order.index.to_numpy()
    first = index[np.maximum.accumulate(np.where(starts, np.arange(len(order)), 0))]
    return pd.Series(first, index=index).reindex(t.index).to_numpy()


def _plural(count: pd.Series, noun: str) -> pd.Series:
    """'1 appointment', '2 appointments'."""
    return count.astype(str) + " " + noun + np.where(count == 1, "", "s")


def _missed_text(ctx: Context, pairs: pd.DataFrame, index: pd.Index, young: np.ndarray, age: pd.Series,
                 no_access_words) -> pd.Series:
    """What was missed, per trigger: "The child was not brought to 3 appointments", or, where some of the
    missed contacts are home visits at which no one answered (`no_access_words` in their description or
    action: "No access visit", "no reply at the door"), "The child was not brought to 1 appointment and no
    access was gained at 2 home visits", "No access was gained to the child at 2 home visits"; a young person
    "did not attend". Each distinct text of the missed rows is read once (`_rows_matching`)."""
    no_access = (_rows_matching(ctx, pairs["e_pos"].to_numpy(), no_access_words) if len(no_access_words)
                 else np.zeros(len(pairs), dtype=bool))
    # an event (its group) is a no-access visit when one of its records says so
    groups = pairs.assign(no_access=no_access).groupby(["t_index", "e__gcode"])["no_access"].any()
    k = groups.groupby(level=0).sum().reindex(index).fillna(0).astype(int)
    n = groups.groupby(level=0).size().reindex(index).fillna(0).astype(int)
    m = n - k
    person = pd.Series("the child", index=index, dtype="string").mask(young, "the young person (aged " + age + ")")
    brought = pd.Series("The child was not brought to ", index=index, dtype="string").mask(
        young, "The young person (aged " + age + ") did not attend ")
    visits = _plural(k, "home visit")
    return (brought + _plural(m, "appointment")).mask(
        (k > 0) & (m > 0), brought + _plural(m, "appointment") + " and no access was gained at " + visits).mask(
        (k > 0) & (m == 0), "No access was gained to " + person + " at " + visits)


def age_in_years(day: pd.Series, dob: pd.Series) -> pd.Series:
    """Whole years of age on `day` (birthdays by calendar: 29 Feb's on 1 Mar in other years); NA without a
    date of birth."""
    day, dob = pd.Series(day).astype("datetime64[ns]"), pd.Series(dob, index=day.index).astype("datetime64[ns]")
    before = (day.dt.month < dob.dt.month) | ((day.dt.month == dob.dt.month) & (day.dt.day < dob.dt.day))
    return (day.dt.year - dob.dt.year - before.astype("float64")).astype("Float64")


def other_concerns_open(open_concerns: pd.Series) -> np.ndarray:
    """Is a concern other than was_not_brought open (the timeline's ``open_concerns``), per row?"""
    codes, uniques = pd.factorize(open_concerns.astype(object).fillna("").to_numpy(dtype=object))
    other = np.array([any(t.strip() and t.strip() != "was_not_brought" for t in str(u).split(";")) for u in uniques],
                     dtype=bool)
    return other[codes] if len(uniques) else np.zeros(len(codes), dtype=bool)
