"""Rule `lado_not_referred` (s20, QA9 D1): an agency records an allegation that an adult who works with children
harmed the child (a staff member seen to drag or push the child, rough handling, an inappropriate restraint, "an
allegation against a member of staff": vocab.yml allegation_against_staff), and no referral to the local authority
designated officer (LADO) follows within `within_working_days` (1).

Source: Working Together to Safeguard Children 2023, chapter 2 ("Allegations against people who work with
children"), and Keeping Children Safe in Education 2024, Part four: an allegation that a person who works with
children has behaved in a way that has harmed, or may have harmed, a child is reported to the LADO within one
working day; the LADO's initial consideration decides whether an allegation management (strategy) meeting is
needed. Dealing with it internally first ("Staff member spoken to") is not a referral.

A trigger is an exact-date row tagged one of `allegation_tags`, not of an agency of `trigger_not_agency_kinds` (the
LADO's own record is the referral received), one per event group. The response is a row of any agency, from the
trigger's day on, that is one of `response_escalations` held ("Referral to LADO made", "Position of trust meeting
held") or of an agency of `response_agency_kinds` (the LADO's own record shows the allegation reached it; the referral is named over it on the same day); one
after `response_max_days` is none ("none within 90 days"). A trigger with a response in the `known_lookback_days`
before it is an allegation already with the LADO (social care "Informed by LADO of allegation against staff
member", the police's strategy discussion of the LADO's allegation): no trigger. A trigger on or before the
response of an earlier flagged trigger of its case is the same allegation recorded again: that flag's evidence.
"""
from __future__ import annotations

import numpy as np
import pandas as pd

from .base import (
    DAY,
    Context,
    action_when,
    deadline_rows,
    due_within,
    first_per_group,
    first_response,
    first_response_or,
    fmt_date,
    held_escalations,
    outcome_text,
    register,
    rows_of,
)

#: the timeline columns the rule reads from its rows
_COLUMNS = ["event_id", "case_id", "_case", "_gcode", "_day", "agency"]


@register("lado_not_referred")
def lado_not_referred(ctx: Context, params: dict) -> pd.DataFrame:
    """An allegation against a person working with children, no LADO referral within 1 working day (WT 2023 ch. 2;
    KCSIE 2024 Part four)."""
    tl = ctx.timeline
    tags = list(params.get("allegation_tags") or ())
    hit = ctx.tags(tags).to_numpy(dtype=bool) if tags else np.zeros(len(tl), dtype=bool)
    hit = hit & tl["_exact"].to_numpy(dtype=bool)  # (the cached masks are read-only)
    if params.get("trigger_not_agency_kinds"):
        hit = hit & ~ctx.kinds(params["trigger_not_agency_kinds"]).to_numpy(dtype=bool)
    t = first_per_group(rows_of(ctx, hit, _COLUMNS))
    if t.empty:
        return t
    t = t.copy()
    referral = held_escalations(ctx, list(params.get("response_escalations") or ())).to_numpy(dtype=bool)
    own = ctx.kinds(params["response_agency_kinds"]).to_numpy(dtype=bool) if params.get("response_agency_kinds") \
        else np.zeros(len(tl), dtype=bool)
    response = pd.Series(referral | own, index=tl.index)
    # an allegation the LADO already had (a response in the days before): no trigger
    lookback = int(params.get("known_lookback_days") or 0)
    if lookback:
        before = first_response(ctx, t.assign(anchor=t["_day"] - lookback * DAY, deadline=t["_day"] - DAY), response)
        t = t[~before["timely"].to_numpy(dtype=bool)]
        if t.empty:
            return t
    n = int(params["within_working_days"])
    t = due_within(t, working_days=n)
    # the referral is named over the LADO's own record of the same day (`first_response_or`)
    found = first_response_or(ctx, t, pd.Series(referral, index=tl.index), own)
    # none after response_max_days: "none within 90 days"
    most = params.get("response_max_days")
    if most is not None:
        far = (found["action_pos"].to_numpy() >= 0) & (
            found["action_date"].to_numpy(dtype="datetime64[ns]")
            > (t["_day"] + int(most) * DAY).to_numpy(dtype="datetime64[ns]"))
        if far.any():
            found = found.copy()
            found.loc[far, "action_event_id"] = None
            found.loc[far, "action_date"] = pd.NaT
            found.loc[far, "action_pos"] = -1
    late = ~found["timely"].to_numpy(dtype=bool)
    # a later record of its case on or before an earlier flagged trigger's response (or with none) is the same
    # allegation recorded again: the earlier flag's evidence (triggers are few: one pass over them)
    keep = np.zeros(len(t), dtype=bool)
    evidence = [[e] for e in t["event_id"].tolist()]
    open_until: dict = {}  # case -> (position in t of its open flag, the day its response came, NaT: none)
    cases, days = t["_case"].to_numpy(), t["_day"].to_numpy(dtype="datetime64[ns]")
    answered = found["action_date"].to_numpy(dtype="datetime64[ns]")
    for i in range(len(t)):
        if not late[i]:
            continue
        held = open_until.get(cases[i])
        if held is not None and (np.isnat(held[1]) or days[i] <= held[1]):
            evidence[held[0]].append(t["event_id"].iat[i])
            continue
        keep[i] = True
        open_until[cases[i]] = (i, answered[i])
    t, r = t[keep], found[keep]
    if t.empty:
        return t
    out = deadline_rows(t, r, "referral to the local authority designated officer (LADO) within "
                        + f"{n} working day" + ("s" if n != 1 else ""))
    out["evidence_event_ids"] = pd.Series(["; ".join(dict.fromkeys(e)) for e, k in zip(evidence, keep) if k],
                                          index=out.index, dtype="string")
    none_text = ("; none is recorded within " + str(int(most)) + " days of " + fmt_date(t["_day"]) + ".") \
        if most is not None else "; none is recorded."
    out["explanation"] = (
        t["agency"] + " recorded on " + fmt_date(t["_day"])
        + " an allegation that an adult who works with children harmed the child, and no referral to the local"
          " authority designated officer (LADO) is recorded within " + f"{n} working day" + ("s" if n != 1 else "")
        + " (by " + fmt_date(t["deadline"]) + ")"
        + outcome_text(r["action_event_id"], r["action_date"], out["delay_days"],
                       "the referral to the LADO (or the LADO's own record)",
                       action_when(ctx, r["action_pos"], t.index), none_text)
    )
    return out
