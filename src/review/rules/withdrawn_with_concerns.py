"""Rule `withdrawn_with_concerns` (s19): a child withdrawn from, or leaving, an education or early-years setting
(a nursery's "Place ended. No forwarding nursery.", a school's "deregistered to home educate", "removed from
roll") while that setting held concerns about the child (a concern it recorded within `concern_window_days`),
and no notification to children's social care, nor to the health visitor or school nurse, within
`within_working_days` of the leaving.

Source: Children Missing Education, statutory guidance for local authorities (DfE 2016; 2024): a child who
leaves a setting with no known destination is at risk of going missing from education, and where a school or
setting has safeguarding concerns it informs the local authority and, where the child may be at risk of harm,
children's social care; Keeping Children Safe in Education 2024 (a child absent or missing from education,
especially repeatedly, is a potential indicator of abuse or neglect; the designated safeguarding lead shares
concerns when a child leaves); Elective home education, departmental guidance (DfE 2019); the early years
foundation stage statutory framework (a setting's safeguarding duties, sharing concerns with the local
children's social care). Repeated absence before the leaving (the setting's missed contacts: its register's
"Attended: No" weeks) is listed as evidence: it is the attendance drop before the withdrawal.

The leaving is a row of a setting (`setting_agency_kinds`) whose description or action mentions one of
`leaving_keywords`, not negated (`text_mentions`: "not withdrawn", and `leaving_negations`); the same leaving
recorded twice by the setting within the notification time is one. The setting is the same agency as a local
authority under another name is (`same_agency_codes`). The notification is what a referral answers in the
rules that expect one (`referral_response`: an escalation to children's social care held, social care's
receipt of a referral, a row whose informed agencies name one of `response_informed_kinds`, a row whose text
mentions one of `response_keywords`: "health visitor informed", "MASH notified"); a late one more than
`response_max_days` after the leaving is not reported as its response.
"""
from __future__ import annotations

import numpy as np
import pandas as pd

from .base import (
    DAY,
    Context,
    action_when,
    column_at,
    concerns_besides,
    counted_concerns,
    deadline_rows,
    due_within,
    first_per_group,
    fmt_date,
    fmt_tags,
    joined,
    late_triggers,
    missed_contacts,
    outcome_text,
    referral_receipts,
    referral_response,
    register,
    rows_of,
    text_mentions,
    window_pairs,
)
from .domestic_abuse_not_escalated import YEAR_DAYS
from .transfer_in_conference_late import same_agency_codes

#: the timeline columns the rule reads from its rows
_COLUMNS = ["event_id", "case_id", "_case", "_gcode", "_day", "_start", "_end", "_exact", "agency", "_shown"]


@register("withdrawn_with_concerns")
def withdrawn_with_concerns(ctx: Context, params: dict) -> pd.DataFrame:
    """A child leaving an education / early-years setting that held concerns, no notification (CME 2016/2024)."""
    tl = ctx.timeline
    setting = ctx.kinds(params["setting_agency_kinds"]).to_numpy(dtype=bool)
    exact = tl["_exact"].to_numpy(dtype=bool)
    leaving = text_mentions(ctx, setting & exact, params["leaving_keywords"],
                            params.get("leaving_negations") or ()).to_numpy(dtype=bool, copy=True)
    if leaving.any() and params.get("known_destination_keywords"):
        # (s20) a move to a named school, PRU or alternative provision is no child missing education
        known = text_mentions(ctx, leaving, params["known_destination_keywords"]).to_numpy(dtype=bool, copy=True)
        if known.any() and params.get("unknown_destination_keywords"):
            known &= ~text_mentions(ctx, known, params["unknown_destination_keywords"]).to_numpy(dtype=bool)
        leaving &= ~known
    if not leaving.any():
        return pd.DataFrame()
    codes = np.asarray(same_agency_codes(ctx), dtype="int64")
    n = int(params["within_working_days"])
    triggers = first_per_group(rows_of(ctx, leaving, _COLUMNS))
    triggers = triggers.assign(_agency=codes[triggers.index.to_numpy(dtype="int64")])
    triggers = due_within(triggers, working_days=n)
    # the same leaving recorded twice by the setting (its concerns log and its register's "Withdrawn") within the
    # notification time of the first is one leaving
    order = triggers.sort_values(["_agency", "_day"], kind="mergesort")
    same = order["_agency"].to_numpy()[1:] == order["_agency"].to_numpy()[:-1]
    again = np.r_[False, same & (order["_day"].to_numpy()[1:] <= order["deadline"].to_numpy()[:-1])]
    triggers = triggers.loc[order.index[~again]].sort_index()
    triggers["lo"] = triggers["_day"] - int(params["concern_window_days"]) * DAY

    # the setting's concerns within the window: rows of a concern tag other than `ignore_tags`
    c_codes, uniques = counted_concerns(ctx)
    ignore = {str(t) for t in params.get("ignore_tags") or ()}
    pairs = _pairs(ctx, triggers, concerns_besides(ctx, setting, ignore), codes)
    count = pairs.groupby("t_index")["e__gcode"].nunique()
    t = triggers[triggers.index.isin(count[count >= int(params["min_concerns"])].index)]
    if t.empty:
        return pd.DataFrame()
    pairs = pairs[pairs["t_index"].isin(t.index)]

    found = referral_response(ctx, t, params)
    t, r, none_text = late_triggers(ctx, t, found, params)
    if t.empty:
        return pd.DataFrame()
    # (s20) a late notification is the setting's own (or social care's record of receiving one): another
    # agency's record informing social care weeks later (the police's welfare check "Result passed to MASH") is
    # no notification of the child's leaving, and is named as such
    late_pos = r["action_pos"].to_numpy(dtype="int64")
    has = late_pos >= 0
    safe = np.maximum(late_pos, 0)
    others = has & (codes[safe] != t["_agency"].to_numpy(dtype="int64")) & ~referral_receipts(ctx)[safe]
    if others.any():
        other_agency = column_at(ctx, "agency", late_pos[others], t.index[others]).astype(object).fillna("").astype(str)
        other_day = fmt_date(r["action_date"][others])
        r = r.copy()
        r.loc[others, "action_event_id"] = ""
        r.loc[others, "action_date"] = pd.NaT
        r.loc[others, "action_exact"] = False
        r.loc[others, "action_pos"] = -1
        none_text = pd.Series(none_text, index=t.index, dtype=object).to_numpy(dtype=object, copy=True)
        cap = params.get("response_max_days")
        none_text[others] = ("; none by " + t["agency"][others].astype(str) + " is recorded"
                             + ("" if cap is None else " within " + str(int(cap)) + " days of "
                                + fmt_date(t["_day"][others]))
                             + " (the next record informing children's social care, " + other_agency + "'s of "
                             + other_day.to_numpy(dtype=object) + ", is another agency's, not a notification of "
                             "the child's leaving).").to_numpy(dtype=object)
    pairs = pairs[pairs["t_index"].isin(t.index)]
    # the setting's absences before the leaving (its missed contacts in the window): the attendance drop
    # (by the day each gives: a register's week "c. 24 Feb" before a leaving on 2 Mar is one; (s20) not one
    # dated on the leaving's day or after it: the week of the withdrawal, "c. 2 Mar", is the leaving itself)
    absences = _pairs(ctx, t, missed_contacts(ctx).to_numpy(dtype=bool) & setting, codes, nominal=True)
    if len(absences):
        absences = absences[(absences["e__day"].to_numpy(dtype="datetime64[ns]")
                             < t["_day"].reindex(absences["t_index"].to_numpy()).to_numpy(dtype="datetime64[ns]"))]

    tags = column_tags(pairs, c_codes, uniques, ignore).reindex(t.index).fillna("concerns")
    concern_dates = _dates(pairs).reindex(t.index)
    n_concerns = pairs.groupby("t_index")["e__gcode"].nunique().reindex(t.index).fillna(0).astype(int)
    n_absent = absences.groupby("t_index")["e__gcode"].nunique().reindex(t.index).fillna(0).astype(int)
    absent_text = pd.Series("", index=t.index, dtype="string").mask(
        n_absent > 0, ", and " + n_absent.astype(str) + " absence" + np.where(n_absent == 1, "", "s").astype(object)
        + " recorded before it (" + _dates(absences).reindex(t.index).fillna("") + ")")
    evidence = joined(pd.concat([pairs["e_event_id"], absences["e_event_id"]]),
                      pd.concat([pairs["t_index"], absences["t_index"]]))
    # (s20) the health visitor for a child under health_visitor_below_age_years, the school nurse from it
    age = tl["_age_days"].astype("Float64").to_numpy(dtype="float64", na_value=np.nan)[t.index.to_numpy(dtype="int64")]
    below = float(params.get("health_visitor_below_age_years", 5)) * YEAR_DAYS
    health = pd.Series(np.where(np.isnan(age), "the health visitor / school nurse",
                                np.where(age < below, "the health visitor", "the school nurse")), index=t.index)
    out = deadline_rows(t, r, "notification to children's social care (or " + health + ") of the child's leaving "
                              "and the setting's concerns")
    out["evidence_event_ids"] = (t["event_id"] + "; " + evidence.reindex(t.index).fillna("")).str.rstrip("; ")
    out["explanation"] = (
        t["agency"] + " recorded the child leaving it on " + fmt_date(t["_day"]) + " (withdrawn or removed from its"
        " roll) while it held concerns: " + tags + " recorded by it in the previous "
        + str(int(params["concern_window_days"])) + " days (" + n_concerns.astype(str) + " record"
        + np.where(n_concerns == 1, "", "s").astype(object) + ": " + concern_dates + ")" + absent_text
        + "; no notification to children's social care or " + health.where(health != "the health visitor / school nurse",
                                                                           "the health visitor") + " is recorded within " + str(n)
        + " working day" + ("s" if n != 1 else "") + " (by " + fmt_date(t["deadline"]) + ")"
        + outcome_text(r["action_event_id"], r["action_date"], out["delay_days"], "the next such notification",
                       action_when(ctx, r["action_pos"], t.index), none_text)
    )
    return out


def _pairs(ctx: Context, triggers: pd.DataFrame, mask: np.ndarray, codes: np.ndarray,
           nominal: bool = False) -> pd.DataFrame:
    """(trigger, row of `mask` by the trigger's setting within [lo, the trigger's day]) pairs, not a row of a
    later position on the trigger's day; `window_pairs` by case and setting (`codes`): a partial date's whole
    period within the window, or (`nominal`) the day it gives."""
    rows = rows_of(ctx, mask, ["_case", "_start", "_end", "_exact", "_gcode", "_day", "_shown", "event_id"])
    if nominal:
        rows = rows.assign(_start=rows["_day"], _end=rows["_day"])
    if rows.empty:
        return pd.DataFrame({"t_index": pd.Series(dtype="int64"), "e__gcode": pd.Series(dtype="int64"),
                             "e_event_id": pd.Series(dtype="string"), "e_pos": pd.Series(dtype="int64"),
                             "e__day": pd.Series(dtype="datetime64[ns]"), "e__shown": pd.Series(dtype="string"),
                             "e__start": pd.Series(dtype="datetime64[ns]")})
    rows = rows.assign(_agency=codes[rows.index.to_numpy(dtype="int64")], pos=rows.index)
    pairs = window_pairs(ctx, triggers[["_case", "_agency", "lo", "_day"]], rows, "lo", "_day",
                         keys=("_case", "_agency"))
    return pairs[~(pairs["e__exact"] & (pairs["e_pos"] > pairs["t_index"]))]


def _dates(pairs: pd.DataFrame) -> pd.Series:
    """Per trigger (``t_index``), its paired rows' dates in date order, one per event group: '7 Oct 2019, ...'."""
    if pairs.empty:
        return pd.Series(dtype="string")
    rows = pairs.drop_duplicates(["t_index", "e__gcode"]).sort_values(["t_index", "e__start", "e_pos"],
                                                                       kind="mergesort")
    text = pd.Series(fmt_date(rows["e__day"], rows["e__shown"]).to_numpy(dtype=object), index=rows.index)
    return text.groupby(rows["t_index"].to_numpy(), sort=False).agg(", ".join)


def column_tags(pairs: pd.DataFrame, c_codes: np.ndarray, uniques, ignore) -> pd.Series:
    """Per trigger, the concern tags of its paired rows (not one of `ignore`) as the explanations name them
    ('bruising, neglect')."""
    values = np.asarray(uniques, dtype=object)[c_codes[pairs["e_pos"].to_numpy(dtype="int64")]]
    tags = pd.Series(values, index=pairs.index, dtype="string").str.split(";").explode().str.strip()
    tags = tags[(tags.fillna("") != "") & ~tags.isin(list(ignore))]
    joined_tags = joined(tags, pairs.loc[tags.index, "t_index"])
    return fmt_tags(joined_tags).reindex(pairs["t_index"].unique())
