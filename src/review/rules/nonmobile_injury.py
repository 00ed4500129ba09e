"""Rule `nonmobile_injury`: an injury in a child who is not independently mobile, without a referral to
children's social care AND a paediatric child protection assessment the same day.

Source: NICE CG89 *When to suspect child maltreatment* (bruising in any child not independently mobile
is an alerting feature); local bruising-in-non-mobile-babies protocols (same-day referral to children's
social care and a child protection medical).

A CP medical or meeting that did not take place ("CP medical cancelled", "Strategy discussion not held": a row
of that contact type whose text says so, even with its escalation cell filled by hand or by a profile) is
neither part (`base.held_escalations`).

A record that is itself one of those escalations, of an injury recorded up to `escalation_window_days`
before it (social care's record of the referral about the bruise, the CP medical that examined it), a
conference or S47 outcome of an injury already escalated, or a follow-up of an earlier injury, starts no
flag of its own: the first record's flag covers it (`_records_of_an_earlier_injury`, `episodes`).
"""
from __future__ import annotations

import numpy as np
import pandas as pd

from ..config import NEVER_MOBILE
from .base import (
    Context,
    action_when,
    cap_response,
    column_at,
    death_bound,
    due_within,
    note_death_cut,
    review_end_bound,
    delay_from,
    escalation_names,
    first_per_group,
    first_response,
    first_response_or,
    fmt_age,
    fmt_date,
    fmt_tags,
    held_escalations,
    referral_receipts,
    register,
    rows_of,
    unlinked_outcome_text,
)
from .episodes import earlier_injury


#: the timeline columns the rule reads from its rows (selected before the rows are)
_COLUMNS = ["event_id", "case_id", "_case", "_gcode", "_day", "agency", "concerns", "age_display", "_age_days"]


@register("nonmobile_injury")
def nonmobile_injury(ctx: Context, params: dict) -> pd.DataFrame:
    """Injury, child not independently mobile, no same-day referral and CP medical (NICE CG89)."""
    tl = ctx.timeline
    below_age = tl["_age_days"] < params["nonmobile_below_age_months"] * 30.4375
    not_mobile = (~tl["_mobile"]).fillna(below_age).fillna(False).astype(bool)
    mask = ctx.tags(params["injury_tags"]) & not_mobile & tl["_exact"] & (tl["_age_days"] >= 0).fillna(False)
    # social care's record of receiving the referral about an injury is the referral (by the agency that
    # saw the injury), no trigger of its own (`base.referral_receipts`)
    receipts = referral_receipts(ctx) if params.get("receipts_answer") else None
    if receipts is not None:
        mask &= ~receipts
    triggers = first_per_group(rows_of(ctx, mask, _COLUMNS))
    triggers = triggers[~_records_of_an_earlier_injury(ctx, triggers, params, receipts)]
    if triggers.empty:
        return triggers
    # (s21) another agency's record of the same injury (the GP's of the health visitor's bruise, the next day):
    # the first record's flag covers it, both records its evidence (`injury_not_escalated._same_event`)
    from .injury_not_escalated import _same_event, with_same_event

    triggers, also = _same_event(ctx, triggers, params)
    triggers = due_within(triggers, days=params["within_days"])
    # social care's receipt of the referral answers too, but a referral by the referring agency itself (any
    # agency's referral escalation) of the same day or earlier is the one named (`base.first_response_or`)
    referral = first_response_or(ctx, triggers, held_escalations(ctx, params["referral_escalations"]), receipts)
    medical = first_response(ctx, triggers, held_escalations(ctx, params["assessment_escalations"]))
    missed = ~(referral["timely"] & medical["timely"])
    t = triggers[missed.to_numpy()]
    referral, medical = referral[missed], medical[missed]
    # an escalation by any agency more than response_max_days after the injury is not its late response
    cap = params.get("response_max_days")
    # (nor one after the child's death: `death_bound`)
    death = death_bound(ctx, t, t["_day"], cap)
    referral, medical = cap_response(referral, t["_day"], cap, death), cap_response(medical, t["_day"], cap, death)
    # (and the records end at the review date: `review_end_bound`)
    review_end = review_end_bound(ctx, t, t["_day"], cap, death)

    # the requirement was met when the last missing part arrived (if it ever did)
    both_found = (referral["action_event_id"] != "") & (medical["action_event_id"] != "")
    later_is_medical = medical["action_date"] >= referral["action_date"]
    action_id = referral["action_event_id"].where(~later_is_medical, medical["action_event_id"]).where(both_found, "")
    action_date = referral["action_date"].where(~later_is_medical, medical["action_date"]).where(both_found)
    action_exact = (referral["action_exact"] & medical["action_exact"]) & both_found
    action_pos = referral["action_pos"].where(~later_is_medical, medical["action_pos"]).where(both_found, -1)
    note_death_cut(ctx, t, death, action_id)  # not both before the death: "at least N days" late
    missing = pd.Series("referral to children's social care and no child protection medical", index=t.index)
    missing = missing.mask(referral["timely"], "child protection medical")
    missing = missing.mask(medical["timely"], "referral to children's social care")

    delay = delay_from(t["deadline"], action_date, action_exact)
    outcome = unlinked_outcome_text(ctx, action_id, action_date, delay, action_pos,
                                    list(params["referral_escalations"]) + list(params["assessment_escalations"]),
                                    what="the later of the next referral and the next CP medical by any agency",
                                    none="neither a referral nor a CP medical by any agency is recorded",
                                    about="this injury", max_days=cap, since="the injury", death=death,
                                    review_end=review_end)
    # one part found and not the other: say which came and which is missing (not "no referral and CP
    # medical are both recorded", which reads as no referral when one was made)
    outcome = outcome.mask(~both_found & (referral["action_event_id"] != ""),
                           _one_part(ctx, referral, params["referral_escalations"], "referral", "CP medical", cap, death,
                                    review_end))
    outcome = outcome.mask(~both_found & (medical["action_event_id"] != ""),
                           _one_part(ctx, medical, params["assessment_escalations"], "CP medical", "referral", cap, death,
                                    review_end))
    explanation = (
        t["agency"] + " recorded " + fmt_tags(t["concerns"]) + " on " + fmt_date(t["_day"]) + " in a child aged "
        + fmt_age(t) + " who was not independently mobile (" + mobility_source(ctx, t, params) + "), with no same-day "
        + missing + outcome
    )
    # one frame from its columns (aligned on t's index, as setting them one by one would)
    return with_same_event(pd.DataFrame({
        "case_id": t["case_id"],
        "trigger_event_id": t["event_id"],
        "trigger_date": t["_day"],
        "evidence_event_ids": t["event_id"],
        "expected_action": "same-day referral to children's social care and child protection medical",
        "expected_by": t["deadline"],
        "actual_action_event_id": action_id,
        "actual_action_date": action_date,
        "delay_days": delay,
        "agencies": t["agency"],
        "explanation": explanation,
    }, index=t.index), also, params)


def mobility_source(ctx: Context, t: pd.DataFrame, params: dict) -> pd.Series:
    """Per trigger, whose judgement it is that the child was not independently mobile: 'recorded by Oakfield
    Health Visiting on 8 Aug 2023' (the latest row of the case up to the trigger stating it:
    `review.timeline.recorded_mobility`, the timeline's reading), 'before the mobile_from date in case.yml,
    1 Sep 2023', 'case.yml mobile_from: never', or 'by age: under 6 months'. Only the rows of the triggers' cases are read."""
    from ..timeline import recorded_mobility, recorded_mobility_source

    out = pd.Series("by age: under " + f"{params['nonmobile_below_age_months']:g}" + " months", index=t.index,
                    dtype="string")
    if t.empty:
        return out
    tl = ctx.timeline
    froms = ctx.extra.get("mobile_froms") or []
    case_codes = t["_case"].to_numpy(dtype="int64")
    given = np.array([bool(froms[c]) if c < len(froms) else False for c in case_codes], dtype=bool)
    if given.any():
        dates = pd.Series([pd.Timestamp(froms[c]) if g else pd.NaT for c, g in zip(case_codes, given)],
                          index=t.index, dtype="datetime64[ns]")
        out = out.mask(given, "before the mobile_from date in case.yml, " + fmt_date(dates))
        never = given & (dates >= pd.Timestamp(NEVER_MOBILE)).to_numpy(dtype=bool)
        if never.any():  # case.yml `mobile_from: never`
            out = out.mask(never, "case.yml mobile_from: never")
    all_case = tl["_case"].to_numpy(dtype="int64")
    rows = np.flatnonzero(np.isin(all_case, case_codes[~given]))
    if not len(rows):
        return out
    children = ctx.extra.get("children") or []
    statements = recorded_mobility(tl["description"].iloc[rows], tl["action"].iloc[rows],
                                   [children[c] for c in all_case[rows]] if children else None)
    sub_case = all_case[rows]
    first = np.r_[True, sub_case[1:] != sub_case[:-1]]
    starts = np.maximum.accumulate(np.where(first, np.arange(len(rows)), 0))
    source = recorded_mobility_source(statements, starts)
    at = np.searchsorted(rows, t.index.to_numpy())  # the prepared timeline's labels are its positions
    found = ~given & (at < len(rows))
    found[found] = rows[at[found]] == t.index.to_numpy()[found]
    src = np.full(len(t), -1, dtype="int64")
    src[found] = source[at[found]]
    recorded = src >= 0
    recorded[recorded] = statements[src[recorded]] == -1
    if recorded.any():
        pos = rows[src[recorded]]
        index = t.index[recorded]
        agency = column_at(ctx, "agency", pos, index).astype(object).fillna("").astype(str)
        when = fmt_date(column_at(ctx, "_day", pos, index), column_at(ctx, "_shown", pos, index))
        out[recorded] = ("recorded by " + agency + " on " + when).to_numpy(dtype=object)
    return out


def _one_part(ctx: Context, response: pd.DataFrame, kinds, found: str, other: str, cap,
              death: pd.Series | None = None, review_end: pd.Series | None = None) -> pd.Series:
    """'; the next referral by any agency came on 12 Sep 2019 (strategy discussion, Westmere Children's
    Social Care), but no CP medical by any agency is recorded within 90 days of the injury.': the end of
    the explanation when only one of the two parts (`response`, `first_response`'s table after
    `cap_response`) was found; where the child's death ended the search (`death`, NaT elsewhere:
    `death_bound`) '..., but no CP medical by any agency is recorded before the child's death on 3 Jun 2023.'"""
    index = response.index
    pos = response["action_pos"].to_numpy(dtype="int64")
    names = escalation_names(ctx, pos, kinds, index).to_numpy(dtype=object)
    if "referral_receipts" in ctx.extra and len(pos):  # social care's record of receiving the referral
        received = referral_receipts(ctx)[np.maximum(pos, 0)] & (pos >= 0) & (names == "")
        names = np.where(received, "referral received", names).astype(object)
    agency = column_at(ctx, "agency", np.maximum(pos, 0), index).astype(object).fillna("").to_numpy(dtype=object)
    detail = np.where(names == "", " (" + agency + ")", " (" + names + ", " + agency + ")")
    when = action_when(ctx, pos, index).astype(str).to_numpy(dtype=object)
    came = np.where(response["action_exact"].to_numpy(dtype=bool), " came on " + when, " is recorded for " + when)
    within = np.full(len(index), f" within {int(cap)} days of the injury" if cap is not None else "", dtype=object)
    if review_end is not None:  # the review period ended first (`review_end_bound`)
        ended = pd.Series(review_end, index=index).notna().to_numpy(dtype=bool)
        if ended.any():
            within[ended] = " before the end of the review period on " \
                + fmt_date(pd.Series(review_end, index=index)[ended]).to_numpy(dtype=object)
    if death is not None:
        died = pd.Series(death, index=index).notna().to_numpy(dtype=bool)
        if died.any():
            within[died] = " before the child's death on " + fmt_date(pd.Series(death, index=index)[died]).to_numpy(dtype=object)
    text = "; the next " + found + " by any agency" + came + detail + ", but no " + other \
        + " by any agency is recorded" + within + "."
    return pd.Series(text, index=index, dtype="string")


def _records_of_an_earlier_injury(ctx: Context, triggers: pd.DataFrame, params: dict, receipts=None) -> np.ndarray:
    """Per trigger (one row per event group, exact dates): is it a record of an injury of the child already
    recorded (`episodes.earlier_injury`), whose flag, if any, covers it? Itself one of the expected
    escalations (`referral_escalations`, `assessment_escalations`, that took place: `held_escalations`)
    dated 0..`escalation_window_days` after an injury record (any injury tag: social care's record of the
    GP's referral about the bruise, the CP medical that examined it); a conference, S47 enquiry, core group
    or strategy discussion (`episode_meeting_types`) dated 0..`episode_window_days` after an injury record
    with a referral or CP medical between them (the ICPC three weeks after the bruise, the S47 outcome
    "injury accidental"); or a follow-up of an earlier injury (settings.injury_episodes). Not one that
    names a new injury or another body site. An escalation with no earlier record of the injury (a GP who
    saw the bruise and referred) is a trigger; social care's receipt of its referral (`receipts`, per
    timeline row, with `receipts_answer`) is no earlier record of the injury that would set it aside."""
    window = params.get("escalation_window_days")
    kinds = list(params["referral_escalations"]) + list(params["assessment_escalations"])
    earlier = earlier_injury(ctx, triggers, params["injury_tags"],
                             escalation_kinds=kinds if window is not None else (),
                             record_kinds=kinds, meeting_types=params.get("episode_meeting_types") or (),
                             escalation_window_days=window, episode_window_days=params.get("episode_window_days"),
                             not_records=receipts)
    return earlier >= 0
