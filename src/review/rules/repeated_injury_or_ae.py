"""Rule `repeated_injury_or_ae`: a pattern — 2+ injuries within 90 days, or 3+ A&E attendances within
365 days — with no escalation by any agency within 2 days of the latest one.

Source: NICE CG89 *When to suspect child maltreatment* (repeated injuries and frequent presentations);
Working Together to Safeguard Children 2023 (cumulative harm: look at the pattern, not single events).
"""
from __future__ import annotations

import pandas as pd

from .base import (
    DAY,
    Context,
    action_when,
    column_at,
    delay_from,
    first_per_group,
    first_response,
    fmt_date,
    joined,
    outcome_text,
    register,
    rows_of,
    window_pairs,
)

#: the timeline columns `_pattern` reads from its rows (selected before the rows are)
_COLUMNS = ["event_id", "case_id", "_case", "_gcode", "_day", "_start", "_end", "_exact", "date_precision"]


def _pattern(ctx: Context, mask: pd.Series, min_count: int, window_days: int, params: dict, variant: str):
    """Exact-date rows of `mask` that complete a pattern of `min_count` distinct events in the window
    and were not escalated in time."""
    events = first_per_group(rows_of(ctx, mask, _COLUMNS))
    triggers = events[events["_exact"]].copy()
    if triggers.empty:
        return None
    triggers["anchor"] = triggers["_day"]
    triggers["deadline"] = triggers["_day"] + params["within_days"] * DAY
    triggers["lo"] = triggers["_day"] - window_days * DAY
    response = first_response(ctx, triggers, ctx.escalations(params["escalations"]))
    triggers = triggers.join(response)
    triggers = triggers[~triggers["timely"]]
    if triggers.empty:
        return None
    ev = events[["_case", "_gcode", "_start", "_end", "_exact", "event_id", "_day", "date_precision"]].assign(pos=events.index)
    pairs = window_pairs(ctx, triggers[["_case", "lo", "_day"]], ev, "lo", "_day")
    # an exact event later the same day is not part of the pattern the trigger completes
    pairs = pairs[~(pairs["e__exact"] & (pairs["e_pos"] > pairs["t_index"]))]
    count = pairs.groupby("t_index")["e__gcode"].nunique()
    t = triggers[triggers.index.isin(count[count >= min_count].index)].copy()
    if t.empty:
        return None
    pairs = pairs[pairs["t_index"].isin(t.index)]
    t["n"] = count.reindex(t.index)
    t["evidence"] = joined(pairs["e_event_id"], pairs["t_index"]).reindex(t.index)
    first = pairs.sort_values(["t_index", "e__start"]).drop_duplicates("t_index").set_index("t_index")
    t["first_date"] = fmt_date(first["e__start"], first["e_date_precision"]).reindex(t.index)
    all_agencies = joined(column_at(ctx, "agency", pairs["e_pos"], pairs.index), pairs["t_index"])
    t["all_agencies"] = all_agencies.reindex(t.index)
    t["variant"] = variant
    return t


@register("repeated_injury_or_ae")
def repeated_injury_or_ae(ctx: Context, params: dict) -> pd.DataFrame:
    """2+ injuries in 90 days or 3+ A&E attendances in 365 days, no escalation in 2 days (NICE CG89)."""
    injuries = _pattern(
        ctx, ctx.tags(params["injury_tags"]), params["min_injuries"], params["injury_window_days"], params, "injury"
    )
    attendances = _pattern(
        ctx, ctx.types(["ae_attendance"]), params["min_ae_attendances"], params["ae_window_days"], params, "ae"
    )
    parts = []
    for t, noun, window in (
        (injuries, "injuries", params["injury_window_days"]),
        (attendances, "A&E attendances", params["ae_window_days"]),
    ):
        if t is None:
            continue
        delay = delay_from(t["deadline"], t["action_date"], t["action_exact"])
        explanation = (
            t["n"].astype(int).astype(str) + " " + noun + " within " + str(window) + " days ("
            + t["first_date"] + " to " + fmt_date(t["_day"]) + ", recorded by " + t["all_agencies"]
            + ") and no agency escalated within " + str(params["within_days"]) + " days of the latest"
            + outcome_text(t["action_event_id"], t["action_date"], delay, "the first escalation",
                           action_when(ctx, t["action_pos"], t.index))
        )
        # one frame from its columns (aligned on t's index, as setting them one by one on an empty
        # frame would, at a fraction of the cost)
        parts.append(pd.DataFrame({
            "case_id": t["case_id"],
            "variant": t["variant"],
            "trigger_event_id": t["event_id"],
            "trigger_date": t["_day"],
            "evidence_event_ids": t["evidence"],
            "expected_action": "escalation of the pattern (referral to children's social care or CP medical)",
            "expected_by": t["deadline"],
            "actual_action_event_id": t["action_event_id"],
            "actual_action_date": t["action_date"],
            "delay_days": delay,
            "agencies": t["all_agencies"],
            "explanation": explanation,
        }, index=t.index))
    return pd.concat(parts) if parts else pd.DataFrame()
