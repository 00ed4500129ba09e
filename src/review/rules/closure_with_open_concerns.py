"""Rule `closure_with_open_concerns`: a case closed, stepped down or ended with no further action while
concerns had been recorded by any agency in the preceding 30 days and not assessed since.

Source: Working Together to Safeguard Children 2023, chapter 2 (decisions to close or step down rest on
an assessment of all the information held, with management oversight); local step-down procedures.

The closure is a row of a `closure_contact_types` contact type, or (`closure_in_action`) a row of social care
(settings.closure_in_action_agency_kinds) whose action or outcome cell records the case closed ("No concerns.
Mother's explanation plausible. Case closed - NFA." of a home visit; not "Case not closed": `base.closures_in_action`), and a concern is assessed by a row of an
`assessed_by` escalation or contact type; a row of such a type whose text says it did not take place ("Case
not closed", "closure deferred", "Strategy discussion not held", "ICPC postponed", "assessment not started":
the vocabulary's escalation negation cues, `base.types_held`) closed nothing and assessed nothing. A concern
by the child's age alone (settings.age_bound_tags: sexual_activity) is counted only at those ages (under 16):
a 17-year-old's contraception visit leaves no concern open (`base.counted_concerns`).
"""
from __future__ import annotations

import numpy as np
import pandas as pd

from .base import (
    DAY,
    Context,
    closures_in_action,
    counted_concerns,
    first_response,
    fmt_age,
    fmt_date,
    fmt_tags,
    held_escalations,
    joined,
    register,
    rows_of,
    types_held,
    young_people,
    window_pairs,
)


#: the timeline columns the rule reads from its rows (selected before the rows are)
_COLUMNS = ["event_id", "case_id", "_case", "_gcode", "_day", "_dob", "agency", "age_display", "_age_days"]


@register("closure_with_open_concerns")
def closure_with_open_concerns(ctx: Context, params: dict) -> pd.DataFrame:
    """Closure / step-down / NFA with unassessed concerns from the last 30 days (WT 2023)."""
    tl = ctx.timeline
    # a row typed as the closure whose text says the case was not closed ("closure deferred") closed nothing
    closed = types_held(ctx, params["closure_contact_types"])
    if params.get("closure_in_action", True):
        # a row whose action or outcome records the case closed ("Case closed - NFA." of social care's home
        # visit), whatever its own type (`closures_in_action`)
        closed |= closures_in_action(ctx)
    closures = rows_of(ctx, closed & tl["_exact"], _COLUMNS)
    if closures.empty:
        return closures
    closures["lo"] = closures["_day"] - params["window_days"] * DAY
    # rows with any concern: a look-up on the distinct values; a young person's sexual activity from 16 is none
    # (settings.age_bound_tags: `counted_concerns`)
    codes, uniques = counted_concerns(ctx)
    any_concern = np.append(uniques != "", False)[codes]
    concerns = rows_of(ctx, any_concern, ["_case", "_start", "_end", "_exact", "_gcode", "agency", "event_id", "date_precision"])
    concerns = concerns.assign(pos=concerns.index,
                               concerns=pd.array(uniques[codes[np.flatnonzero(any_concern)]], dtype="string"))
    pairs = window_pairs(ctx, closures[["_case", "lo", "_day", "_gcode"]], concerns, "lo", "_day")
    before = np.where(pairs["e__exact"], pairs["e_pos"] < pairs["t_index"], pairs["e__end"] < pairs["_day"])
    pairs = pairs[before & (pairs["e__gcode"] != pairs["_gcode"]).to_numpy()]
    if pairs.empty:
        return pd.DataFrame()
    # a concern assessed between its recording and the closure is not "open"; a row typed as the meeting or
    # assessment whose text says it did not take place ("Strategy discussion not held") assessed nothing
    # assessment ("Strategy discussion not held" with its escalation cell filled by hand: `held_escalations`)
    assessed_mask = held_escalations(ctx, params["assessed_by"]) | types_held(ctx, params["assessed_by"])
    probe = pd.DataFrame({"_case": pairs["_case"], "anchor": pairs["e__start"], "deadline": pairs["_day"]})
    assessed = first_response(ctx, probe, assessed_mask)
    pairs = pairs[~assessed["timely"].to_numpy()]
    if pairs.empty:
        return pd.DataFrame()
    t = closures.loc[pairs["t_index"].unique()]
    tags = pairs["e_concerns"].str.split("; ").explode()
    tags = joined(tags, pairs.loc[tags.index, "t_index"]).reindex(t.index)
    agencies = joined(pairs["e_agency"], pairs["t_index"]).reindex(t.index)
    evidence = joined(pairs["e_event_id"], pairs["t_index"]).reindex(t.index)
    n = pairs.groupby("t_index")["e_event_id"].nunique().reindex(t.index)

    # one frame from its columns (aligned on t's index, as setting them one by one would)
    return pd.DataFrame({
        "case_id": t["case_id"],
        "trigger_event_id": t["event_id"],
        "trigger_date": t["_day"],
        "evidence_event_ids": t["event_id"] + "; " + evidence,
        "expected_action": "case kept open (or concerns assessed) before closure / step-down",
        "expected_by": t["_day"],
        "actual_action_event_id": "",
        "actual_action_date": pd.NaT,
        "delay_days": pd.NA,
        "agencies": ["; ".join(sorted({*a.split("; "), b})) for a, b in zip(agencies, t["agency"].astype(str))],
        "explanation": (
            t["agency"] + " closed the case / stepped down on " + fmt_date(t["_day"]) + " (child aged " + fmt_age(t)
            + ") although " + fmt_tags(tags, young_people(ctx, t["_day"], t["_dob"])) + " had been recorded by " + agencies + " in the previous "
            + str(params["window_days"]) + " days (" + n.astype(int).astype(str) + " record"
            + np.where(n == 1, "", "s") + ") with no assessment since."
        ),
    }, index=t.index)
