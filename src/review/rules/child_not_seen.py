"""Rule `child_not_seen`: the child was not seen by any agency for more than 14 days while on a child
protection plan, or more than 42 days while concerns were open; and home visits at which the child was
not seen, with no return visit by that agency within 7 days.

Source: Working Together to Safeguard Children 2023, chapter 2 (children on a child protection plan are
seen, and seen alone, at the frequency the plan sets); local practice standards for open cases.
"""
from __future__ import annotations

import numpy as np
import pandas as pd

from .base import DAY, Context, delay_from, first_response, fmt_date, fmt_days, outcome_text, register, rows_of


def _last_seen(ctx: Context, rows: pd.DataFrame, seen: pd.Series) -> pd.Series:
    """The latest day before each row's day on which the child could have been seen (a partial-date
    sighting counts at the latest day of its period, so a gap is never longer than certain)."""
    tl = ctx.timeline
    s = tl.loc[seen.to_numpy(dtype=bool), ["_case", "_start", "_end"]].sort_values(["_case", "_start"], kind="mergesort")
    s["_latest"] = s.groupby("_case")["_end"].cummax()
    left = rows[["_case", "_day"]].assign(_i=np.arange(len(rows))).sort_values("_day", kind="mergesort")
    merged = pd.merge_asof(
        left, s.sort_values("_start", kind="mergesort")[["_case", "_start", "_latest"]],
        left_on="_day", right_on="_start", by="_case", direction="backward", allow_exact_matches=False,
    ).set_index("_i").sort_index()
    latest = pd.Series(merged["_latest"].to_numpy(), index=rows.index, dtype="datetime64[ns]")
    return latest.where(latest < rows["_day"], rows["_day"] - DAY)


def _run_start(ctx: Context, on: pd.Series) -> pd.Series:
    """For rows in a run of `on` rows (per case, in timeline order), the day the run began."""
    tl = ctx.timeline
    on = on.fillna(False).astype(bool)
    new_run = on & ~(on.shift(fill_value=False) & (tl["_case"] == tl["_case"].shift()))
    run_id = new_run.cumsum()
    start = tl["_day"].where(new_run).groupby(run_id).transform("first")
    return start.where(on)


def _gaps(ctx: Context, on: pd.Series, max_days: int, seen: pd.Series, variant: str, what: str) -> pd.DataFrame:
    tl = ctx.timeline
    since = _run_start(ctx, on)
    rows = rows_of(ctx, on.fillna(False).astype(bool) & tl["_exact"])
    if rows.empty:
        return rows
    rows["since"] = since[rows.index]
    rows["last_seen"] = _last_seen(ctx, rows, seen)
    rows["clock"] = rows[["last_seen", "since"]].max(axis=1)
    rows["gap"] = (rows["_day"] - rows["clock"]) / DAY
    t = rows[rows["gap"] > max_days]
    t = t[~t.duplicated(["_case", "clock"], keep="first")].copy()
    if t.empty:
        return t
    t["deadline"] = t["clock"] + max_days * DAY
    t["anchor"] = t["clock"] + DAY
    r = first_response(ctx, t, seen)
    out = pd.DataFrame(index=t.index)
    out["case_id"] = t["case_id"]
    out["variant"] = variant
    if variant == "open_concerns":
        out["severity"] = "medium"
    out["trigger_event_id"] = t["event_id"]
    out["trigger_date"] = t["_day"]
    out["evidence_event_ids"] = t["event_id"]
    out["expected_action"] = f"child seen at least every {max_days} days {what}"
    out["expected_by"] = t["deadline"]
    out["actual_action_event_id"] = r["action_event_id"]
    out["actual_action_date"] = r["action_date"]
    out["delay_days"] = delay_from(t["deadline"], r["action_date"], r["action_exact"])
    out["agencies"] = t["agency"]
    last = pd.Series("last seen " + fmt_date(t["last_seen"]), index=t.index)
    last = last.mask(t["last_seen"].isna() | (t["last_seen"] < t["since"]), "not seen since " + fmt_date(t["since"]))
    out["explanation"] = (
        "When " + t["agency"] + " had contact on " + fmt_date(t["_day"]) + ", the child " + what + " had not been"
        + " seen by any agency for " + fmt_days(t["gap"]) + " (" + last + "; standard " + str(max_days) + " days)"
        + outcome_text(r["action_event_id"], r["action_date"], out["delay_days"], "the next sighting")
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
    t = rows_of(ctx, visits)
    if not t.empty:
        t["anchor"] = t["_day"]
        t["deadline"] = t["_day"] + params["revisit_within_days"] * DAY
        r = first_response(ctx, t, seen, same_agency=True)
        t, r = t[~r["timely"].to_numpy()], r[~r["timely"]]
        status = pd.Series(np.where(on_plan[t.index], "on a child protection plan", "with concerns open"), index=t.index)
        out = pd.DataFrame(index=t.index)
        out["case_id"] = t["case_id"]
        out["variant"] = "visit_not_seen"
        out["severity"] = "medium"
        out["trigger_event_id"] = t["event_id"]
        out["trigger_date"] = t["_day"]
        out["evidence_event_ids"] = t["event_id"]
        out["expected_action"] = "return visit by " + t["agency"] + " at which the child is seen"
        out["expected_by"] = t["deadline"]
        out["actual_action_event_id"] = r["action_event_id"]
        out["actual_action_date"] = r["action_date"]
        out["delay_days"] = delay_from(t["deadline"], r["action_date"], r["action_exact"])
        out["agencies"] = t["agency"]
        out["explanation"] = (
            t["agency"] + " visited on " + fmt_date(t["_day"]) + " and did not see the child (" + status
            + ") and did not see the child within " + str(params["revisit_within_days"]) + " days"
            + outcome_text(r["action_event_id"], r["action_date"], out["delay_days"], "the next sighting by " + t["agency"])
        )
        parts.append(out)
    parts = [p for p in parts if not p.empty]
    return pd.concat(parts) if parts else pd.DataFrame()
