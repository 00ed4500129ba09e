"""Rule `closure_with_open_concerns`: a case closed, stepped down or ended with no further action while
concerns had been recorded by any agency in the preceding 30 days and not assessed since.

Source: Working Together to Safeguard Children 2023, chapter 2 (decisions to close or step down rest on
an assessment of all the information held, with management oversight); local step-down procedures; for a
health service, the intercollegiate roles and competences for health care staff (2019).

s19 (QA5): the closing row is the decision checked, no assessment of the concerns it closes on (but a
multi-agency meeting held on it: `assessed_at_closure`); the closing event's own concerns count when it records
the referral it closes (`closing_referral_types`, social care's receipts: a referral closed the day it came in);
a health service holding the child's case (school nursing, health visiting, CAMHS: `service_closure_*`) closing
it ("Case closed") is a closure too, with its own expected action (`service_expected_action`).

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
    _column_matching,
    _first_of_each,
    _keyword_prefilter,
    _keyword_regex,
    _mentioned,
    _texts,
    agencies_named,
    all_referral_receipts,
    closures_in_action,
    counted_concerns,
    first_response,
    fmt_age,
    fmt_date,
    fmt_tags,
    held_escalations,
    joined,
    register,
    row_vocabs,
    rows_of,
    types_held,
    young_people,
    window_pairs,
)


#: the timeline columns the rule reads from its rows (selected before the rows are)
_COLUMNS = ["event_id", "case_id", "_case", "_agency", "_gcode", "_day", "_dob", "agency", "age_display", "_age_days"]


@register("closure_with_open_concerns")
def closure_with_open_concerns(ctx: Context, params: dict) -> pd.DataFrame:
    """Closure / step-down / NFA with unassessed concerns from the last 30 days (WT 2023)."""
    tl = ctx.timeline
    # a row typed as the closure whose text says the case was not closed ("closure deferred") closed nothing
    closed = types_held(ctx, params["closure_contact_types"]).to_numpy(dtype=bool, copy=True)
    if params.get("closure_in_action", True):
        # a row whose action or outcome records the case closed ("Case closed - NFA." of social care's home
        # visit), whatever its own type (`closures_in_action`)
        closed |= closures_in_action(ctx)
    # a health service holding the child's case that closed it ("Case closed" of school nursing)
    by_service = service_agencies(ctx, params)
    closed |= service_closures(ctx, params, by_service)
    closing = closed & tl["_exact"].to_numpy(dtype=bool)
    closures = rows_of(ctx, closing, _COLUMNS)
    if closures.empty:
        return closures
    closures["lo"] = closures["_day"] - params["window_days"] * DAY
    # a health service closing its own case weighs the concerns it recorded itself over a longer window (s20,
    # QA7: school nursing's "Case closed" 84 days after its own weight-loss / hunger record)
    own_days = params.get("service_own_window_days")
    service_rows = by_service[closures.index.to_numpy()]
    own_window = own_days is not None and int(own_days) > int(params["window_days"]) and service_rows.any()
    # rows with any concern: a look-up on the distinct values; a young person's sexual activity from 16 is none
    # (settings.age_bound_tags: `counted_concerns`)
    codes, uniques = counted_concerns(ctx)
    any_concern = np.append(uniques != "", False)[codes]
    concerns = rows_of(ctx, any_concern, ["_case", "_agency", "_start", "_end", "_exact", "_gcode", "agency", "event_id",
                                          "date_precision"])
    concerns = concerns.assign(pos=concerns.index,
                               concerns=pd.array(uniques[codes[np.flatnonzero(any_concern)]], dtype="string"))
    pairs = window_pairs(ctx, closures[["_case", "lo", "_day", "_gcode"]], concerns, "lo", "_day")
    pairs["older"] = False
    if own_window:
        # the service's own records in its longer window (same agency of the case), beyond the common window
        by = closures.loc[service_rows, ["_case", "_agency", "_day", "_gcode"]]
        by["lo"] = by["_day"] - int(own_days) * DAY
        own_pairs = window_pairs(ctx, by[["_case", "_agency", "lo", "_day", "_gcode"]], concerns, "lo", "_day",
                                 keys=("_case", "_agency")).drop(columns=["_agency"])
        own_pairs["lo"] = closures.loc[own_pairs["t_index"].to_numpy(), "lo"].to_numpy()
        own_pairs["older"] = True
        pairs = pd.concat([pairs, own_pairs[pairs.columns]], ignore_index=True)
        # a record in both windows is the common window's
        pairs = pairs[~pairs.duplicated(["t_index", "e_pos"], keep="first")].reset_index(drop=True)
    before = np.where(pairs["e__exact"], pairs["e_pos"] < pairs["t_index"], pairs["e__end"] < pairs["_day"])
    # the closing event's own concerns count when it records the referral it closes (a referral closed the day
    # it came in: `referral_events`); another closure's words are its account of what it closes on
    own = (pairs["e__gcode"] == pairs["_gcode"]).to_numpy(dtype=bool)
    gcode = tl["_gcode"].to_numpy()
    referral = referral_events(ctx, params, gcode)
    pairs = pairs[(before & ~own) | (own & referral[pairs["_gcode"].to_numpy(dtype="int64")])]
    own = (pairs["e__gcode"] == pairs["_gcode"]).to_numpy(dtype=bool)
    if pairs.empty:
        return pd.DataFrame()
    # a concern assessed between its recording and the closure is not "open"; a row typed as the meeting or
    # assessment whose text says it did not take place ("Strategy discussion not held") assessed nothing
    # ("Strategy discussion not held" with its escalation cell filled by hand: `held_escalations`)
    assessing = (held_escalations(ctx, params["assessed_by"]) | types_held(ctx, params["assessed_by"])).to_numpy(dtype=bool)
    # ... and a closing row is the decision the rule checks, not an assessment of the concerns it closes on
    # ("Child and Family assessment completed ... Closed - step down to early help"), unless it records a
    # multi-agency meeting held (`assessed_at_closure`: a strategy discussion or conference deciding the
    # closure rests on the agencies' information); the concerns a row records itself it assessed when it
    # records an assessment, closing or not
    meeting = (held_escalations(ctx, params.get("assessed_at_closure") or ())
               | types_held(ctx, params.get("assessed_at_closure") or ())).to_numpy(dtype=bool)
    other = assessing & ~(closing & ~meeting)
    probe = pd.DataFrame({"_case": pairs["_case"], "anchor": pairs["e__start"], "deadline": pairs["_day"]})
    assessed = assessing[pairs["e_pos"].to_numpy(dtype="int64")]
    assessed |= first_response(ctx, probe, pd.Series(other, index=tl.index))["timely"].to_numpy(dtype=bool)
    if own.any():  # the closing event's own concerns: its own assessment too
        assessed[own] |= first_response(ctx, probe[own], pd.Series(assessing, index=tl.index))["timely"].to_numpy(dtype=bool)
    pairs = pairs[~assessed]
    if pairs.empty:
        return pd.DataFrame()
    t = closures.loc[pairs["t_index"].unique()]
    all_agencies = joined(pairs["e_agency"], pairs["t_index"]).reindex(t.index)
    evidence = joined(pairs["e_event_id"], pairs["t_index"]).reindex(t.index)
    n = pairs.groupby("t_index")["e_event_id"].nunique().reindex(t.index)
    # a health service's closure: its own wording and expected action
    service = by_service[t.index.to_numpy()]
    closed_text = np.where(service, " closed its case on ", " closed the case / stepped down on ")

    # one frame from its columns (aligned on t's index, as setting them one by one would)
    return pd.DataFrame({
        "case_id": t["case_id"],
        "trigger_event_id": t["event_id"],
        "trigger_date": t["_day"],
        "evidence_event_ids": t["event_id"] + "; " + evidence,
        "expected_action": np.where(service, params.get("service_expected_action") or _EXPECTED, _EXPECTED),
        "expected_by": t["_day"],
        "actual_action_event_id": "",
        "actual_action_date": pd.NaT,
        "delay_days": pd.NA,
        "agencies": ["; ".join(sorted({*a.split("; "), b})) for a, b in zip(all_agencies, t["agency"].astype(str))],
        "explanation": (
            t["agency"] + closed_text + fmt_date(t["_day"]) + " (child aged " + fmt_age(t)
            + ") although " + _recorded_by(ctx, t, pairs, params) + " (" + n.astype(int).astype(str) + " record"
            + np.where(n == 1, "", "s") + ") with no assessment since."
        ),
    }, index=t.index)


def _recorded_by(ctx: Context, t: pd.DataFrame, pairs: pd.DataFrame, params: dict) -> pd.Series:
    """What was recorded before each closure of `t`, by whom and when: "<concerns> had been recorded by <agencies>
    in the previous 30 days"; for a service's closure with its own records older than that
    (`service_own_window_days`), "..., and <concerns> by <the service> itself in the previous 180 days" (or that
    alone when no other record falls in the 30 days)."""
    young = young_people(ctx, t["_day"], t["_dob"])
    # (s21) a closure before the child's birth: the missed appointments before it were the mother's antenatal ones
    before = (t["_day"] < t["_dob"]).fillna(False).to_numpy(dtype=bool)

    def said(rows):  # (concerns, agencies) per closure of t, "" where it has none of `rows`
        tags = rows["e_concerns"].str.split("; ").explode()
        tags = joined(tags, rows.loc[tags.index, "t_index"]).reindex(t.index)
        return (fmt_tags(tags.fillna(""), young, before).where(tags.notna(), ""),
                joined(rows["e_agency"], rows["t_index"]).reindex(t.index))

    older = pairs["older"].to_numpy(dtype=bool)
    tags, agencies = said(pairs[~older])
    common = tags + " had been recorded by " + agencies.fillna("") + " in the previous " + str(params["window_days"]) + " days"
    if not older.any():
        return common
    own_tags, _ = said(pairs[older])
    by_itself = (" by " + t["agency"].astype(str) + " itself in the previous " + str(params.get("service_own_window_days"))
                 + " days")
    has_common, has_own = agencies.notna().to_numpy(), (own_tags != "").to_numpy()
    text = np.where(has_own, np.where(has_common, common + ", and " + own_tags + by_itself,
                                      own_tags + " had been recorded" + by_itself), common)
    return pd.Series(text, index=t.index)


#: the expected action of a closure (a health service's: rules.yml's service_expected_action)
_EXPECTED = "case kept open (or concerns assessed) before closure / step-down"


def referral_events(ctx: Context, params: dict, gcode: np.ndarray) -> np.ndarray:
    """Per event group code: does the event record a referral or notification (a row of one of
    `closing_referral_types`, or social care's receipt of one: `all_referral_receipts`)? A closure in such an
    event closes the referral the day it came in, on the concerns it brought."""
    rows = ctx.types(params.get("closing_referral_types") or ()).to_numpy(dtype=bool) | all_referral_receipts(ctx)
    out = np.zeros(int(gcode.max()) + 1 if len(gcode) else 0, dtype=bool)
    out[gcode[rows]] = True
    return out


def service_agencies(ctx: Context, params: dict) -> np.ndarray:
    """Per timeline row: is it by a health service that holds a child's case (a caseload: school nursing,
    health visiting, CAMHS, community paediatrics): an agency of `service_closure_agency_kinds` whose name names
    one of `service_closure_agencies` (`agencies_named`)?"""
    names, kinds = params.get("service_closure_agencies") or (), params.get("service_closure_agency_kinds") or ()
    if not names or not kinds:
        return np.zeros(len(ctx.timeline), dtype=bool)
    return ctx.kinds(kinds).to_numpy(dtype=bool) & agencies_named(ctx, names)


def service_closures(ctx: Context, params: dict, by_service: np.ndarray) -> np.ndarray:
    """Per timeline row: of the rows `by_service` (`service_agencies`), does its action / outcome cell record the
    service closing its case: one of `service_closure_keywords` ("Case closed", "Discharged from caseload"), not
    negated (the vocabulary's cues and `service_closure_negations` after the words: "Case closure deferred")?
    Not the no-further-action words of social care's closures: a health visitor's "No further action" on a
    notification is a decision about it, no closure of the child's case. Only the action is read, as
    `closures_in_action` reads social care's; each distinct (vocabulary, action) of the candidates once."""
    out = np.zeros(len(ctx.timeline), dtype=bool)
    keywords = [str(k) for k in params.get("service_closure_keywords") or () if str(k).strip()]
    codes, uniques = _texts(ctx, "action")
    pos = np.flatnonzero(by_service & (codes >= 0))
    if not keywords or not len(pos):
        return out
    pos = pos[_column_matching(ctx, "action", pos, _keyword_regex(keywords), _keyword_prefilter(keywords))]
    if not len(pos):
        return out
    numbers, keys = row_vocabs(ctx)
    a, v = codes[pos].astype("int64"), numbers[pos]
    inverse, _ = pd.factorize(v * (len(uniques) + 1) + a)
    first = _first_of_each(inverse)
    negations = tuple(str(w) for w in params.get("service_closure_negations") or ())
    read = np.array([_mentioned(str(uniques[a[i]]), keywords, negations, (), keys[v[i]]) for i in first], dtype=bool)
    out[pos] = read[inverse]
    return out
