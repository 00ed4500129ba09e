"""Rule `neglect_not_escalated` (s19): neglect, faltering growth or weight loss recorded by an agency other than
children's social care, persistent or of a level to suspect neglect, with no referral to children's social care
(nor a strategy discussion, section 47 enquiry, conference or CP medical) by any agency within
`within_working_days` working days.

Source: NICE CG89 *When to suspect child maltreatment* (neglect: "consider" a single feature such as a child
persistently smelly and dirty or faltering growth, looking for others and reviewing; "suspect" it when it
persists or combines with others, or the child is deprived of food; suspecting maltreatment means referring
to children's social care); Working Together to Safeguard Children 2023, chapter 2 (a practitioner with
concerns about a child's welfare refers to the local authority's children's social care; cumulative harm:
look at the pattern, not single events).

A trigger is an exact-date row tagged with one of `neglect_tags` (vocab.yml neglect, weight_loss: "eating
food from bins", "mum locks the fridge", "dropped from 25th to below 2nd centile") by an agency not of
`trigger_not_agency_kinds` (social care's own record needs no referral to itself), not of
`trigger_not_contact_types` (a letter or discharge reports another record), not one whose text records
receiving the concern from another agency (`received_keywords`: "New referral from GP re weight loss": the
referrer's record is the trigger), not on a day the child is on a child protection plan (timeline
``on_cp_plan``: the plan's core group holds the neglect), and not in an event group that injury_not_escalated
reads (`injury_tags` in a child under `injury_below_age_months`, or `injury_any_age_tags` at any age: one
concern, one flag). One per event group, at its first such row, and only when

* it is *persistent*: at least `repeat_min_episodes` such episodes (event groups, itself included, by any
  agency but those set aside above) within `repeat_window_days` up to its day (a first "looks thin" is a
  "consider": the flag waits for a second record), or
* its text mentions one of `suspect_keywords`, not negated (food withheld or scavenged, malnourished, below
  the 2nd centile: a level to suspect neglect on its own).

The response, from the trigger's day to the `within_working_days`-th working day after it, is
exploitation_not_referred's (`base.referral_response`): a held escalation of `escalations`, a row of
`response_contact_types` by `response_agency_kinds` that took place, social care's record of receiving a
referral (`receipts_answer`), or a text mentioning `response_keywords` not negated and not only planned.
An enquiry already under way answers too: an exact-date held escalation of `open_enquiry_escalations` (a
strategy discussion, section 47 enquiry, conference) in the case from `open_enquiry_days` before the
trigger's day to it. (s20) While social care's assessment is open (`_assessment_open`: an
`open_assessment_contact_types` row or `open_assessment_keywords` text by social care in the `open_assessment_days`
before, no closure since), the expected action is to share the record with it: a row of the trigger's own agency
sharing it with social care answers too (`_shared_by_agency`), and the flag is worded so. A finding the agency
arranged the care for itself (`care_sought_*`: the dentist's caries, "Referred for GA list") is no record at all. A late response is the next such referral by any agency (`base.late_referral`: not
one more than `response_max_days` after the trigger, nor one after the child's death).

Severity high for a child under `high_severity_below_age_months`, for a text of `suspect_keywords`, or with
at least `high_severity_min_episodes` episodes within `repeat_window_days`; medium otherwise.
"""
from __future__ import annotations

import functools
import re

import numpy as np
import pandas as pd

from .base import (
    Context,
    action_when,
    closures_in_action,
    day_numbers,
    deadline_rows,
    due_within_period,
    first_per_group,
    fmt_age,
    fmt_date,
    fmt_tags,
    held_escalations,
    informed_kinds,
    late_referral,
    outcome_text,
    read_row_texts,
    referral_dated_text,
    referral_response,
    register,
    rows_of,
    text_mentions,
)
from .lac_visits_overdue import looked_after_authority

_COLUMNS = ["event_id", "case_id", "_case", "_gcode", "_day", "_start", "_end", "agency", "concerns", "age_display",
            "_age_days", "_dob"]
_MONTH_DAYS = 30.4375


def _under_months(tl: pd.DataFrame, mask: np.ndarray, months) -> np.ndarray:
    """Per timeline row of `mask`: the child under `months` months at the contact (before that birthday, as
    injury_not_escalated reads its max_age_months; of unknown age: no)."""
    out = np.zeros(len(tl), dtype=bool)
    if months is None or not mask.any():
        return out
    rows = tl.loc[mask, ["_dob", "_day", "_age_days"]]
    birthday = rows["_dob"] + pd.DateOffset(months=int(months))
    young = (rows["_day"] < birthday).fillna(False) & (rows["_age_days"] >= 0).fillna(False)
    out[np.flatnonzero(mask)] = young.astype(bool).to_numpy()
    return out


def under_months_at(tl: pd.DataFrame, t: pd.DataFrame, months) -> np.ndarray:
    """Per trigger of `t`: `_under_months` at its row (rows_of keeps the timeline's positions as the index)."""
    at = np.zeros(len(tl), dtype=bool)
    at[t.index.to_numpy()] = True
    return _under_months(tl, at, months)[t.index.to_numpy()]


def _counts_in_window(episodes: pd.DataFrame, window) -> np.ndarray:
    """Per episode (first rows of event groups): the episodes of its case within `window` days (one number, or
    one per episode) up to its day, itself included."""
    if episodes.empty:
        return np.zeros(0, dtype="int64")
    big = np.int64(1) << np.int64(32)
    keys = episodes["_case"].to_numpy().astype("int64") * big + day_numbers(episodes["_day"])
    ordered = np.sort(keys, kind="stable")
    return np.searchsorted(ordered, keys, side="right") - np.searchsorted(
        ordered, keys - np.asarray(window, dtype="int64"), side="left")


def _when(t: pd.DataFrame) -> pd.Series:
    """' on 3 Feb 2020'; a partial date as sexual_harm_not_referred words it: ' in May 2022 (a partial date)'."""
    exact = t["_exact"].astype(bool)
    shown = fmt_date(t["_day"]).where(exact, fmt_date(t["_day"], t["_shown"]))
    on_day = exact | shown.str.match(r"^(c\. )?\d").fillna(False).astype(bool)
    return (pd.Series(np.where(on_day, " on ", " in "), index=t.index) + shown
            + pd.Series(np.where(exact, "", " (a partial date)"), index=t.index))


def _windows(ctx: Context, episodes: pd.DataFrame, params: dict) -> np.ndarray:
    """Per episode: `repeat_window_days`, or `additional_needs_repeat_window_days` (when longer) for a child whose
    case.yml states `additional_needs` (a disabled child's growth is weighed less often, and a fall in it is read
    against a longer record: Working Together 2023 ch. 1, disabled children)."""
    window = int(params["repeat_window_days"])
    out = np.full(len(episodes), window, dtype="int64")
    longer = params.get("additional_needs_repeat_window_days")
    needs = np.asarray(ctx.extra.get("additional_needs", ()), dtype=bool)
    if longer is None or not len(needs) or episodes.empty:
        return out
    need = needs[episodes["_case"].to_numpy(dtype="int64")]
    return np.where(need, max(window, int(longer)), window).astype("int64")


def _enquiry_open(ctx: Context, t: pd.DataFrame, params: dict) -> np.ndarray:
    """Per trigger: an exact-date held escalation of `open_enquiry_escalations` in its case from
    `open_enquiry_days` before its day to its day (social care already enquiring)."""
    kinds = params.get("open_enquiry_escalations") or ()
    days = params.get("open_enquiry_days")
    if not kinds or days is None or t.empty:
        return np.zeros(len(t), dtype=bool)
    tl = ctx.timeline
    held = held_escalations(ctx, kinds).to_numpy(dtype=bool) & tl["_exact"].to_numpy(dtype=bool)
    if not held.any():
        return np.zeros(len(t), dtype=bool)
    big = np.int64(1) << np.int64(32)
    keys = np.sort(tl["_case"].to_numpy().astype("int64")[held] * big + day_numbers(tl["_day"].to_numpy()[held]))
    mine = t["_case"].to_numpy().astype("int64") * big + day_numbers(t["_day"])
    return np.searchsorted(keys, mine, side="right") > np.searchsorted(keys, mine - int(days), side="left")


def _assessment_open(ctx: Context, t: pd.DataFrame, params: dict) -> np.ndarray:
    """Per trigger: the day children's social care's open assessment was opened, its first opening row after the
    last closure before it (NaT: none open). Open from the
    last exact-date row by an agency of `open_assessment_agency_kinds` of `open_assessment_contact_types`, or whose
    text mentions `open_assessment_keywords`, in its case from `open_assessment_days` before the trigger's day to
    it, with no closure by such an agency (a `case_closure` row or an action recording the case closed:
    `base.closures_in_action`) on or after that row's day up to the trigger's day."""
    out = np.full(len(t), np.datetime64("NaT", "ns"))
    kinds, days = params.get("open_assessment_agency_kinds"), params.get("open_assessment_days")
    types, keywords = params.get("open_assessment_contact_types"), params.get("open_assessment_keywords")
    if not kinds or days is None or not (types or keywords) or t.empty:
        return out
    tl = ctx.timeline
    own = ctx.kinds(kinds).to_numpy(dtype=bool) & tl["_exact"].to_numpy(dtype=bool) \
        & np.isin(tl["_case"].to_numpy(), np.unique(t["_case"].to_numpy()))
    if not own.any():
        return out
    closed = own & (ctx.types(["case_closure"]).to_numpy(dtype=bool) | closures_in_action(ctx))
    opened = own & ~closed & (ctx.types(list(types)).to_numpy(dtype=bool) if types else False)
    if keywords and (own & ~closed & ~opened).any():
        opened |= text_mentions(ctx, own & ~closed & ~opened, keywords).to_numpy(dtype=bool)
    if not opened.any():
        return out
    big = np.int64(1) << np.int64(32)
    cases, daynum = tl["_case"].to_numpy().astype("int64"), day_numbers(tl["_day"].to_numpy())
    open_keys = np.sort(cases[opened] * big + daynum[opened])
    mine = t["_case"].to_numpy().astype("int64") * big + day_numbers(t["_day"])
    at = np.searchsorted(open_keys, mine, side="right") - 1  # the last opening up to the trigger's day
    last = np.where(at >= 0, open_keys[np.maximum(at, 0)], np.int64(-1))
    has = (at >= 0) & (last >= mine - int(days)) & (last >> np.int64(32) == mine >> np.int64(32))
    case_start = mine >> np.int64(32) << np.int64(32)
    before = case_start - 1  # the last closure before the opening, in its case (none: the case's start)
    if closed.any():
        close_keys = np.sort(cases[closed] * big + daynum[closed])
        # a closure from the opening's day to the trigger's day closes it
        has &= np.searchsorted(close_keys, mine, side="right") == np.searchsorted(close_keys, last, side="left")
        at_close = np.searchsorted(close_keys, last, side="left") - 1
        prior = close_keys[np.maximum(at_close, 0)]
        before = np.where((at_close >= 0) & (prior >= case_start), prior, before)
    # open since its first opening after the last closure before it
    first = open_keys[np.minimum(np.searchsorted(open_keys, before, side="right"), len(open_keys) - 1)]
    out[has] = ((first[has] - case_start[has]) * 86_400_000_000_000).astype("datetime64[ns]")
    return out


def _shared_by_agency(ctx: Context, t: pd.DataFrame, params: dict) -> np.ndarray:
    """Per trigger: a row of its own agency in its case from its day to its deadline that shares the record with
    children's social care: its informed agencies name an agency of `response_informed_kinds` (`informed_kinds`),
    or its text mentions `open_assessment_share_keywords`, not negated by `response_negations`."""
    out = np.zeros(len(t), dtype=bool)
    if t.empty:
        return out
    tl = ctx.timeline
    in_cases = np.isin(tl["_case"].to_numpy(), np.unique(t["_case"].to_numpy()))
    shares = np.zeros(len(tl), dtype=bool)
    if params.get("response_informed_kinds"):
        shares |= informed_kinds(ctx, params["response_informed_kinds"]) & in_cases
    if params.get("open_assessment_share_keywords"):
        shares |= text_mentions(ctx, in_cases & ~shares, params["open_assessment_share_keywords"],
                                tuple(params.get("response_negations") or ())).to_numpy(dtype=bool)
    if not shares.any():
        return out
    rows = tl.loc[shares, ["_case", "agency", "_day"]]
    mine = t[["_case", "agency", "_day", "deadline"]].reset_index(drop=True)
    mine["_t"] = np.arange(len(mine))
    pairs = mine.merge(rows, on=["_case", "agency"], suffixes=("", "_share"))
    hit = (pairs["_day_share"] >= pairs["_day"]) & (pairs["_day_share"] <= pairs["deadline"])
    out[pairs.loc[hit, "_t"].to_numpy(dtype="int64")] = True
    return out


@functools.lru_cache(maxsize=100_000)
def findings_only(text: str, findings: tuple, tags: tuple, key: str = "") -> bool:
    """Does `text` read a concern of `tags` only through `findings` ("Multiple caries, poor oral hygiene"): with
    their words taken out (whole words, case-insensitive) it reads none (`review.vocab.tag_concerns`, the
    vocabulary of `key`)?"""
    from ..vocab import tag_concerns
    from .base import _negating_vocab

    words = sorted({" ".join(re.findall(r"[a-z0-9&']+", str(f).lower())) for f in findings} - {""}, key=len,
                   reverse=True)
    if not words:
        return False
    pattern = r"(?<![a-z0-9&])(?:" + "|".join(r"\s+".join(map(re.escape, w.split())) for w in words) + r")(?![a-z0-9&])"
    rest = re.sub(pattern, " ", str(text).lower())
    return not set(tags).intersection(tag_concerns(rest, _negating_vocab((), key)))


def _care_sought(ctx: Context, mask: np.ndarray, params: dict) -> np.ndarray:
    """Per timeline row of `mask`: an agency's finding for which it arranged the care itself (NICE CG89: dental
    neglect is a carer failing to obtain treatment for the child's caries; caries treated or treatment arranged
    by the dentist who found them is care obtained): its text mentions `care_sought_keywords` (not negated by
    `care_sought_negations`: "Referred for GA list"), and its `neglect_tags` come only from
    `care_sought_findings` ("Multiple caries, poor oral hygiene": `findings_only`). Each distinct text read once."""
    findings, keywords = params.get("care_sought_findings"), params.get("care_sought_keywords")
    mask = np.asarray(mask, dtype=bool)
    if not findings or not keywords or not mask.any():
        return np.zeros(len(mask), dtype=bool)
    said = text_mentions(ctx, mask, keywords, tuple(params.get("care_sought_negations") or ())).to_numpy(
        dtype=bool, copy=True)
    pos = np.flatnonzero(said)
    if len(pos):
        findings, tags = tuple(map(str, findings)), tuple(map(str, params["neglect_tags"]))
        said[pos] = read_row_texts(ctx, pos, lambda text, key: findings_only(text, findings, tags, key), dtype=bool)
    return said


def _recorded_here(ctx: Context, params: dict, mask: np.ndarray) -> np.ndarray:
    """`mask` less the rows a "not referred" rule does not trigger on: an agency of `trigger_not_agency_kinds`
    (social care's own record), a row of `trigger_not_contact_types` (a letter reports another agency's record), a
    day on a child protection plan (`not_on_cp_plan`), a record of another agency's concern received
    (`received_keywords`, not negated by `received_negations`: "New referral from GP re weight loss": the
    referrer's to refer). Shared with sexual_harm_not_referred."""
    tl = ctx.timeline
    mask = mask.copy()
    if params.get("trigger_not_agency_kinds"):
        mask &= ~ctx.kinds(params["trigger_not_agency_kinds"]).to_numpy(dtype=bool)
    if params.get("trigger_not_contact_types"):
        mask &= ~tl["contact_type"].astype("string").fillna("").isin(
            [str(c) for c in params["trigger_not_contact_types"]]).to_numpy(dtype=bool)
    if params.get("not_on_cp_plan"):
        mask &= ~tl["on_cp_plan"].astype("boolean").fillna(False).to_numpy(dtype=bool)
    if params.get("received_keywords") and mask.any():
        mask &= ~text_mentions(ctx, mask, params["received_keywords"],
                               tuple(params.get("received_negations") or ())).to_numpy(dtype=bool)
    return mask


@register("neglect_not_escalated")
def neglect_not_escalated(ctx: Context, params: dict) -> pd.DataFrame:
    """Persistent or suspected neglect / weight loss recorded by an agency, no referral to children's social
    care within `within_working_days` working days (NICE CG89; WT 2023 ch. 2)."""
    tl = ctx.timeline
    exact = tl["_exact"].to_numpy(dtype=bool)
    # (s20, QA9) a partial-date record too (partial_dates: the GP's "May 2022 ... Weight 38kg, down from 42.5kg"),
    # as sexual_harm_not_referred reads one: its deadline runs from the end of its period
    dated = tl["_day"].notna().to_numpy(dtype=bool) if params.get("partial_dates") else exact
    neglect = _recorded_here(ctx, params, ctx.tags(params["neglect_tags"]).to_numpy(dtype=bool) & dated)
    # a finding the agency arranged the care for itself (the dentist's caries, treatment arranged): no neglect
    # record, neither a trigger nor counted in another's pattern
    neglect &= ~_care_sought(ctx, neglect, params)
    gcode = tl["_gcode"].to_numpy()
    if neglect.any() and (params.get("injury_tags") or params.get("injury_any_age_tags")):
        # injury_not_escalated's rows (an injury under 2, a harm said to be inflicted): its flag covers the group
        injured = np.zeros(len(tl), dtype=bool)
        if params.get("injury_any_age_tags"):
            injured |= ctx.tags(params["injury_any_age_tags"]).to_numpy(dtype=bool) & exact \
                & (tl["_age_days"] >= 0).fillna(False).to_numpy(dtype=bool)
        if params.get("injury_tags"):
            injured |= _under_months(tl, ctx.tags(params["injury_tags"]).to_numpy(dtype=bool) & exact,
                                     params.get("injury_below_age_months"))
        if injured.any():
            neglect &= ~np.isin(gcode, np.unique(gcode[injured]))
    episodes = first_per_group(rows_of(ctx, neglect, _COLUMNS + ["_exact", "_shown"]))
    if episodes.empty:
        return episodes
    windows = _windows(ctx, episodes, params)
    count = _counts_in_window(episodes, windows)
    suspect = np.zeros(len(episodes), dtype=bool)
    if params.get("suspect_keywords"):
        # a group's words to suspect neglect on any of its trigger rows
        said = text_mentions(ctx, neglect, params["suspect_keywords"],
                             tuple(params.get("suspect_negations") or ())).to_numpy(dtype=bool)
        if said.any():
            suspect = np.isin(episodes["_gcode"].to_numpy(), np.unique(gcode[said]))
    keep = suspect | (count >= int(params["repeat_min_episodes"]))
    t = episodes[keep].copy()
    count, suspect, windows = count[keep], suspect[keep], windows[keep]
    if t.empty:
        return t
    n = int(params["within_working_days"])
    t = due_within_period(t, n)
    found = referral_response(ctx, t, params)
    # social care's assessment already open: the record shared with it by the agency answers (`_shared_by_agency`)
    opened = _assessment_open(ctx, t, params)
    assessing = ~np.isnat(opened)
    # (s20, lacnoise) a looked-after child (case.yml looked_after on the trigger's day): its placing authority
    # already looks after it, the record shared with the child's social worker there answers as above
    authority = looked_after_authority(ctx)[t.index.to_numpy()] if params.get("looked_after_share") \
        else np.full(len(t), "", dtype=object)
    looked_after = authority != ""
    shared = _shared_by_agency(ctx, t, params) if (assessing | looked_after).any() else np.zeros(len(t), dtype=bool)
    late = ~found["timely"].to_numpy(dtype=bool) & ~_enquiry_open(ctx, t, params) & ~((assessing | looked_after) & shared)
    t, count, suspect, opened, assessing = t[late], count[late], suspect[late], opened[late], assessing[late]
    authority, looked_after = authority[late], looked_after[late]
    windows = windows[late]
    if t.empty:
        return t
    r, none_text = late_referral(ctx, t, found[late], params)
    young = under_months_at(tl, t, params.get("high_severity_below_age_months"))
    high = young | suspect | (count >= int(params["high_severity_min_episodes"]))

    expected = pd.Series(np.where(
        assessing, "record shared with children's social care's open assessment (the allocated social worker)",
        "referral to children's social care (or a strategy discussion, section 47 enquiry or CP medical)"),
        index=t.index)
    lac_text = pd.Series(authority, index=t.index).astype(object)
    expected = expected.where(~looked_after, "record shared with the child's social worker at " + lac_text
                              + " (the placing authority; the child is looked after)")
    out = deadline_rows(t, r, expected)
    out["severity"] = np.where(high, "high", "medium")
    why = np.where(suspect, ", in words enough to suspect neglect (rules.yml suspect_keywords)", "")
    pattern = np.where(count >= 2, pd.Series(", one of " + pd.Series(count, index=t.index).astype(str)
                                             + " records of neglect or weight loss by agencies within "
                                             + pd.Series(windows, index=t.index).astype(str) + " days up to it"
                                             + pd.Series(np.where(windows > int(params["repeat_window_days"]),
                                                                  " (a child with additional needs)", ""),
                                                         index=t.index), index=t.index), "")
    out["explanation"] = (
        t["agency"] + " recorded " + fmt_tags(t["concerns"]) + _when(t) + " in a child aged "
        + fmt_age(t) + pd.Series(pattern, index=t.index) + pd.Series(why, index=t.index)
        + pd.Series(np.where(
            looked_after,
            ", and it was not shared with the child's social worker at " + lac_text + " (the child is looked after"
            " by it: no referral to children's social care is asked), nor any referral or enquiry recorded,",
            np.where(
                assessing,
                pd.Series(", while children's social care's assessment was open (since ", index=t.index)
                + fmt_date(pd.Series(opened, index=t.index)) + "), and it was not shared with children's social care's"
                " open assessment (the allocated social worker), nor any referral or enquiry recorded,",
                ", and no referral to children's social care (nor a strategy discussion, section 47 enquiry or CP medical)"
                " is recorded")), index=t.index)
        + " within " + str(n) + " working day" + ("s" if n != 1 else "") + " (by " + fmt_date(t["deadline"])
        + ")"
        + outcome_text(r["action_event_id"], r["action_date"], out["delay_days"], "the next such referral by any agency",
                       action_when(ctx, r["action_pos"], t.index), none_text,
                       dated=referral_dated_text(ctx, r, t.index))
    )
    return out

