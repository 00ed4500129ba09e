"""Rule `child_not_seen`: the child was not seen by any agency for more than 14 days while on a child
protection plan, or more than 42 days while concerns were open; and home visits at which the child was
not seen, with no return visit by that agency within 7 days.

Source: Working Together to Safeguard Children 2023, chapter 2 (children on a child protection plan are
seen, and seen alone, at the frequency the plan sets); local practice standards for open cases.
"""
from __future__ import annotations

import numpy as np
import pandas as pd

from .base import (
    _BIG,
    _NAT_DAY,
    _OFFSET,
    DAY,
    Context,
    action_when,
    column_at,
    deadline_rows,
    first_response,
    fmt_date,
    fmt_days,
    outcome_text,
    register,
    rows_of,
)


#: the timeline columns the rule reads from its rows (selected before the rows are)
_COLUMNS = ["event_id", "case_id", "_case", "_agency", "_day", "agency"]


def _last_seen(ctx: Context, rows: np.ndarray, seen: pd.Series) -> tuple[np.ndarray, np.ndarray]:
    """For the timeline rows `rows` (positions), the latest day number before the row's day on which the
    child could have been seen (a partial-date sighting counts at the latest day of its period, so a
    gap is never longer than certain), the NaT sentinel when never seen before; and the timeline position
    of that sighting (-1 when none)."""
    tl = ctx.timeline
    m = np.flatnonzero(seen.to_numpy(dtype=bool))  # positions once, then integer gathers
    s_case = tl["_case"].to_numpy()[m]
    s_start = tl["_sd"].to_numpy()[m]
    s_end = tl["_ed"].to_numpy()[m]
    keys = s_case * _BIG + s_start + _OFFSET
    if len(keys) < 2 or bool((keys[1:] >= keys[:-1]).all()):
        order = np.arange(len(keys))  # already in (case, start) order: the stable sort would not move a row
    else:
        order = np.argsort(keys, kind="stable")
    keys, s_case = keys[order], s_case[order]
    # running latest end within a case: cases are sorted, so a global running max of case-offset ends;
    # and the sighting that holds it (the last to reach the running max)
    ends = s_case * _BIG + s_end[order] + _OFFSET
    running = np.maximum.accumulate(ends) if len(ends) else ends
    latest = running - s_case * _BIG - _OFFSET
    holder = np.maximum.accumulate(np.where(ends == running, np.arange(len(ends)), 0)) if len(ends) else ends
    holder_pos = m[order][holder] if len(ends) else ends
    r_case = tl["_case"].to_numpy()[rows]
    r_day = tl["_sd"].to_numpy()[rows]
    idx = np.searchsorted(keys, r_case * _BIG + r_day + _OFFSET, side="left") - 1  # start < day
    ok = (idx >= 0) & (s_case[np.maximum(idx, 0)] == r_case) if len(keys) else np.zeros(len(rows), dtype=bool)
    out = np.where(ok, np.minimum(latest[np.maximum(idx, 0)] if len(keys) else 0, r_day - 1), _NAT_DAY)
    pos = np.where(ok, holder_pos[np.maximum(idx, 0)] if len(keys) else -1, -1)
    return out, pos


def _run_since(ctx: Context, on: pd.Series) -> np.ndarray:
    """For rows in a run of `on` rows (per case, in timeline order), the day number from which the run
    had certainly begun: the earliest of the latest possible days of the run's rows so far (the row's own
    included). A run opened by a partial-date row ("March 2023") begins, for certain, only on the last
    day of its period or at the first exact row after it, never on a made-up first day; a row before
    that day is not certainly in the run at all (its gap is then 0). Other rows: the NaT sentinel."""
    tl = ctx.timeline
    on = on.fillna(False).to_numpy(dtype=bool)
    case = tl["_case"].to_numpy()
    continues = np.r_[False, on[:-1] & (case[1:] == case[:-1])] if len(on) else on
    new_run = on & ~continues
    run_id = np.cumsum(new_run)
    since = np.full(len(on), _NAT_DAY, dtype="int64")
    if on.any():
        ends = pd.Series(tl["_ed"].to_numpy()[on])
        since[on] = ends.groupby(run_id[on]).cummin().to_numpy()
    return since


def _gaps(ctx: Context, on: pd.Series, max_days: int, seen: pd.Series, variant: str, what: str) -> pd.DataFrame:
    tl = ctx.timeline
    on = on.fillna(False).astype(bool)
    rows = np.flatnonzero((on & tl["_exact"]).to_numpy(dtype=bool))
    if not len(rows):
        return pd.DataFrame()
    since = _run_since(ctx, on)[rows]
    last_seen, seen_pos = _last_seen(ctx, rows, seen)
    clock = np.maximum(last_seen, since)
    day = tl["_sd"].to_numpy()[rows]
    gap = day - clock
    over = gap > max_days
    first = over.copy()
    if over.any():  # one flag per unseen stretch: the first contact past the limit
        keys = pd.DataFrame({"case": tl["_case"].to_numpy()[rows][over], "clock": clock[over]})
        first[over] = ~keys.duplicated().to_numpy()
    pick = rows[first]
    if not len(pick):
        return pd.DataFrame()
    picked = np.zeros(len(tl), dtype=bool)
    picked[pick] = True
    t = rows_of(ctx, pd.Series(picked, index=tl.index), _COLUMNS)
    to_date = lambda d: pd.Series(d.astype("datetime64[D]").astype("datetime64[ns]"), index=t.index)  # noqa: E731
    t["since"] = to_date(since[first])
    t["last_seen"] = to_date(last_seen[first]).mask(last_seen[first] == _NAT_DAY)
    # the sighting as the chronology dates it ("January 2023" for a month-precision one)
    sighting = seen_pos[first]
    at = np.maximum(sighting, 0)
    seen_text = fmt_date(column_at(ctx, "_day", at, t.index), column_at(ctx, "date_precision", at, t.index))
    t["seen_text"] = seen_text.mask(pd.Series(sighting < 0, index=t.index), "")
    t["clock"] = to_date(clock[first])
    t["gap"] = gap[first].astype("float64")
    t["deadline"] = t["clock"] + max_days * DAY
    t["anchor"] = t["clock"] + DAY
    r = first_response(ctx, t, seen)
    out = deadline_rows(t, r, f"child seen at least every {max_days} days {what}")
    out["variant"] = variant
    if variant == "open_concerns":
        out["severity"] = "medium"
    # the clock runs from the last sighting, or from the start of the plan / open concerns when the child
    # was not seen since (that start is no sighting)
    opened = "the plan started" if variant == "cp_plan" else "concerns were open"
    last = pd.Series("last seen " + t["seen_text"], index=t.index)
    last = last.mask(t["last_seen"].isna() | (t["last_seen"] < t["since"]),
                     "no sighting recorded since " + opened + ", counted from " + fmt_date(t["since"]))
    out["explanation"] = (
        "When " + t["agency"] + " had contact on " + fmt_date(t["_day"]) + ", the child " + what + " had not been"
        + " seen by any agency for " + fmt_days(t["gap"]) + " (" + last + "; standard " + str(max_days) + " days)"
        + outcome_text(r["action_event_id"], r["action_date"], out["delay_days"], "the next sighting",
                       action_when(ctx, r["action_pos"], t.index))
    )
    return out


@register("child_not_seen")
def child_not_seen(ctx: Context, params: dict) -> pd.DataFrame:
    """Child not seen > 14 days on a CP plan / > 42 days with concerns open; visits not seeing the child."""
    tl = ctx.timeline
    seen = (tl["child_seen"] == True).fillna(False).astype(bool)  # noqa: E712
    on_plan = tl["on_cp_plan"].fillna(False).astype(bool)
    open_concerns = (tl["open_concerns"].fillna("") != "") & ~on_plan
    parts = [
        _gaps(ctx, on_plan, params["cp_plan_max_days"], seen, "cp_plan", "on a child protection plan"),
        _gaps(ctx, open_concerns, params["open_concerns_max_days"], seen, "open_concerns", "with concerns open"),
    ]

    visits = (
        ctx.types(params["visit_contact_types"]) & ctx.kinds(params["visit_agency_kinds"])
        & (tl["child_seen"] == False).fillna(False).astype(bool)  # noqa: E712
        & (on_plan | (tl["open_concerns"].fillna("") != "")) & tl["_exact"]
    )
    t = rows_of(ctx, visits, _COLUMNS)
    if not t.empty:
        t["anchor"] = t["_day"]
        t["deadline"] = t["_day"] + params["revisit_within_days"] * DAY
        r = first_response(ctx, t, seen, same_agency=True)
        t, r = t[~r["timely"].to_numpy()], r[~r["timely"]]
        status = pd.Series(np.where(on_plan[t.index], "on a child protection plan", "with concerns open"), index=t.index)
        out = deadline_rows(t, r, "return visit by " + t["agency"] + " at which the child is seen")
        out["variant"] = "visit_not_seen"
        out["severity"] = "medium"
        out["explanation"] = (
            t["agency"] + " visited on " + fmt_date(t["_day"]) + " and did not see the child (" + status
            + ") and did not see the child within " + str(params["revisit_within_days"]) + " days"
            + outcome_text(r["action_event_id"], r["action_date"], out["delay_days"], "the next sighting by " + t["agency"],
                           action_when(ctx, r["action_pos"], t.index))
        )
        parts.append(out)
    parts = [p for p in parts if not p.empty]
    return pd.concat(parts) if parts else pd.DataFrame()
