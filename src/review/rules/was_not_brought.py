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
    first_per_group,
    first_response,
    fmt_date,
    held_escalations,
    joined,
    missed_contacts,
    outcome_text,
    register,
    rows_of,
    _rows_matching,
    window_pairs,
)

#: the timeline columns the rule reads from its rows (selected before the rows are)
_COLUMNS = [
    "event_id", "case_id", "_case", "_agency", "_gcode", "_day", "_start", "_end", "_exact", "date_precision", "_shown", "agency",
    "_dob", "open_concerns",
]


@register("was_not_brought")
def was_not_brought(ctx: Context, params: dict) -> pd.DataFrame:
    """2+ WNB to health in 90 days, no follow-up by that agency in 14 days (local WNB protocols)."""
    tl = ctx.timeline
    seen = pd.Series(seen_mask(tl), index=tl.index)  # recorded, else read from the row (review.sightings)
    # a contact at which the child was seen is not a missed appointment, whatever its text mentions (an
    # earlier one it follows up, a "DNA test"): it can be the follow-up
    # (a row reporting earlier missed contacts, "Discharged following 3 WNB", a letter, is none: `missed_contacts`)
    missed = missed_contacts(ctx) & ctx.kinds(params["agency_kinds"]) & ~seen
    events = first_per_group(rows_of(ctx, missed, _COLUMNS))
    triggers = events[events["_exact"]].copy()
    if triggers.empty:
        return triggers
    same = bool(params["same_agency"])
    triggers["anchor"] = triggers["_day"]
    triggers["deadline"] = triggers["_day"] + params["follow_up_within_days"] * DAY
    triggers["lo"] = triggers["_day"] - params["window_days"] * DAY
    # an escalation that did not take place ("Strategy discussion cancelled", its escalation cell filled by
    # hand or by a profile) is no follow-up (`held_escalations`)
    follow_up = seen | held_escalations(ctx)
    # the follow-up by the same agency, a local authority under another name the same ("Westshire CSC" for
    # "Westshire Children's Services": `same_agency_codes`)
    agency_codes = same_agency_codes(ctx)
    response = first_response(ctx, triggers, follow_up, groups=agency_codes)
    triggers = triggers.join(response)
    triggers = triggers[~triggers["timely"]]
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
    response, none_text = censor_at_death(ctx, t, t[list(response.columns)], "; none is recorded.",
                                          "no follow-up is recorded", "the missed appointment")
    t = t.assign(**{c: response[c] for c in response.columns})
    delay = delay_from(t["deadline"], t["action_date"], t["action_exact"])
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
    # one frame from its columns (aligned on t's index, as setting them one by one would)
    return pd.DataFrame({
        "severity": severity,
        "case_id": t["case_id"],
        "trigger_event_id": t["event_id"],
        "trigger_date": t["_day"],
        "evidence_event_ids": evidence,
        "expected_action": "follow-up by " + t["agency"] + " (child seen, or escalation)",
        "expected_by": t["deadline"],
        "actual_action_event_id": t["action_event_id"],
        "actual_action_date": t["action_date"],
        "delay_days": delay,
        "agencies": agencies,
        "explanation": explanation,
    }, index=t.index)


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
