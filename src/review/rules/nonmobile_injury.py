"""Rule `nonmobile_injury`: an injury in a child who is not independently mobile, without a referral to
children's social care AND a paediatric child protection assessment the same day.

Source: NICE CG89 *When to suspect child maltreatment* (bruising in any child not independently mobile
is an alerting feature); local bruising-in-non-mobile-babies protocols (same-day referral to children's
social care and a child protection medical).

A CP medical or meeting that did not take place ("CP medical cancelled", "Strategy discussion not held": a row
of that contact type whose text says so, even with its escalation cell filled by hand or by a profile) is
neither part (`base.held_escalations`).
"""
from __future__ import annotations

import pandas as pd

from .base import (
    DAY,
    Context,
    cap_response,
    death_bound,
    delay_from,
    first_per_group,
    first_response,
    fmt_age,
    fmt_date,
    fmt_tags,
    held_escalations,
    register,
    rows_of,
    unlinked_outcome_text,
)


#: the timeline columns the rule reads from its rows (selected before the rows are)
_COLUMNS = ["event_id", "case_id", "_case", "_gcode", "_day", "agency", "concerns", "age_display", "_age_days"]


@register("nonmobile_injury")
def nonmobile_injury(ctx: Context, params: dict) -> pd.DataFrame:
    """Injury, child not independently mobile, no same-day referral and CP medical (NICE CG89)."""
    tl = ctx.timeline
    below_age = tl["_age_days"] < params["nonmobile_below_age_months"] * 30.4375
    not_mobile = (~tl["_mobile"]).fillna(below_age).fillna(False).astype(bool)
    mask = ctx.tags(params["injury_tags"]) & not_mobile & tl["_exact"] & (tl["_age_days"] >= 0).fillna(False)
    triggers = first_per_group(rows_of(ctx, mask, _COLUMNS))
    if triggers.empty:
        return triggers
    triggers["anchor"] = triggers["_day"]
    triggers["deadline"] = triggers["_day"] + params["within_days"] * DAY
    referral = first_response(ctx, triggers, held_escalations(ctx, params["referral_escalations"]))
    medical = first_response(ctx, triggers, held_escalations(ctx, params["assessment_escalations"]))
    missed = ~(referral["timely"] & medical["timely"])
    t = triggers[missed.to_numpy()]
    referral, medical = referral[missed], medical[missed]
    # an escalation by any agency more than response_max_days after the injury is not its late response
    cap = params.get("response_max_days")
    # (nor one after the child's death: `death_bound`)
    death = death_bound(ctx, t, t["_day"], cap)
    referral, medical = cap_response(referral, t["_day"], cap, death), cap_response(medical, t["_day"], cap, death)

    # the requirement was met when the last missing part arrived (if it ever did)
    both_found = (referral["action_event_id"] != "") & (medical["action_event_id"] != "")
    later_is_medical = medical["action_date"] >= referral["action_date"]
    action_id = referral["action_event_id"].where(~later_is_medical, medical["action_event_id"]).where(both_found, "")
    action_date = referral["action_date"].where(~later_is_medical, medical["action_date"]).where(both_found)
    action_exact = (referral["action_exact"] & medical["action_exact"]) & both_found
    action_pos = referral["action_pos"].where(~later_is_medical, medical["action_pos"]).where(both_found, -1)
    missing = pd.Series("referral to children's social care and no child protection medical", index=t.index)
    missing = missing.mask(referral["timely"], "child protection medical")
    missing = missing.mask(medical["timely"], "referral to children's social care")

    delay = delay_from(t["deadline"], action_date, action_exact)
    explanation = (
        t["agency"] + " recorded " + fmt_tags(t["concerns"]) + " on " + fmt_date(t["_day"]) + " in a child aged "
        + fmt_age(t) + " who was not independently mobile, with no same-day " + missing
        + unlinked_outcome_text(ctx, action_id, action_date, delay, action_pos,
                                list(params["referral_escalations"]) + list(params["assessment_escalations"]),
                                what="the later of the next referral and the next CP medical by any agency",
                                none="no referral and CP medical by any agency are both recorded",
                                about="this injury", max_days=cap, since="the injury", death=death)
    )
    # one frame from its columns (aligned on t's index, as setting them one by one would)
    return pd.DataFrame({
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
    }, index=t.index)
