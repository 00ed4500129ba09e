"""Rule `repeated_injury_or_ae`: a pattern — 2+ injuries within 90 days, or 3+ A&E attendances within
365 days — with no escalation by any agency within 2 days of the latest one. Injuries are counted as
episodes (`injury_episodes`): one injury recorded by several agencies, or twice, counts once.

Source: NICE CG89 *When to suspect child maltreatment* (repeated injuries and frequent presentations);
Working Together to Safeguard Children 2023 (cumulative harm: look at the pattern, not single events).

With `receipts_answer`, social care's record of receiving a referral ("Referral from ED re cheek bruise",
`base.referral_receipts`) is no injury of its own (the injury is the referring agency's record), and it answers
the pattern as its referral where no escalation came earlier.

A meeting or escalation that did not take place ("Strategy discussion not held", "ICPC cancelled": a row of
that contact type whose text says so, `base.types_held`) is neither a response to the pattern nor a meeting
that discusses an injury (`injury_episodes`).
"""
from __future__ import annotations

import numpy as np
import pandas as pd

from ..timeline import connected_components
from .base import (
    DAY,
    Context,
    cap_response,
    death_bound,
    due_within,
    note_death_cut,
    review_end_bound,
    column_at,
    delay_from,
    first_per_group,
    first_response_or,
    fmt_date,
    held_escalations,
    joined,
    referral_receipts,
    register,
    rows_of,
    types_held,
    unlinked_outcome_text,
    window_pairs,
)
from .episodes import earlier_injury, same_injury

#: the timeline columns `_pattern` reads from its rows (selected before the rows are)
_COLUMNS = ["event_id", "case_id", "_case", "_agency", "_gcode", "_day", "_start", "_end", "_exact", "date_precision", "_shown"]


def injury_episodes(ctx: Context, rows: pd.DataFrame, params: dict) -> np.ndarray:
    """An int per row of `rows` (the timeline's injury rows, in timeline order): its injury episode.

    An episode is one or more event groups (the timeline already joins one event reported by two
    agencies, and a record entered twice). Two groups are one episode when both are exact-dated and
      * they fall on the same day and share an injury tag (and neither is correspondence): two hospitals'
        records of a transfer, an A&E attendance and the admission that followed, one bruise seen by the
        nursery and the GP that day; or
      * one is correspondence (every row of a `correspondence_types` contact: a letter, a discharge
        record) dated 0..`correspondence_window_days` days after the other, a report by another agency
        sharing an injury tag: the GP's record of a hospital's discharge letter. It joins only the latest
        such report (the last on the latest day), so a letter never makes two injuries one; or
      * one is a meeting (every row of it a `meeting_types` contact, or correspondence with at least one
        meeting row: a child protection conference, a core group, a strategy discussion) dated
        0..`meeting_window_days` days after the other, a report by any agency sharing an injury tag: the
        conference that discusses the burn the hospital treated five weeks before. Agencies bring what
        they recorded to a meeting, so an injury a meeting mentions is a new one only when no agency
        recorded that kind of injury in the window before it. It too joins only the latest such report.
        A row of a meeting type whose text says the meeting did not take place ("Strategy discussion not
        held", "ICPC cancelled": `types_held`) discussed nothing: it is read as any other record.
      * one is an escalation record (every row of it an escalation of `escalations` that took place,
        `held_escalations`, and neither correspondence nor a meeting: social care's record of the referral
        about the bruise, the CP medical that examined it) dated 0..`escalation_window_days` days after
        the other, a report by any agency sharing an injury tag: the report before it in (day, timeline)
        order, which may be another escalation record (the CP medical joins the referral, the referral the
        health visitor's report). An escalation record with no such report is an injury of its own.
      * one is a follow-up of the other (`episodes.earlier_injury`, settings.injury_episodes): dated
        0..`followup_window_days` after it, the same injury word family, naming a follow-up (fracture
        clinic, dressing, discharge letter, healing) or the other's date ("re scald 13/10"), and neither a
        new injury nor another body site. It joins the latest such record.
    Anything else is its own episode: an injury a day later, of another kind the same day, or a month- or
    year-dated one, counts again. Groups are numbered by their first rows, in timeline order.
    """
    group, codes = pd.factorize(rows["_gcode"].to_numpy())
    n = int(group.max()) + 1 if len(group) else 0
    first = np.flatnonzero(~pd.Series(group).duplicated().to_numpy())  # each group's first row
    case = rows["_case"].to_numpy(dtype="int64")[first]
    agency = rows["_agency"].to_numpy(dtype="int64")[first]
    exact = rows["_exact"].to_numpy(dtype=bool)[first]
    day = rows["_day"].to_numpy(dtype="datetime64[D]")[first].astype("int64")
    at_rows = rows.index.to_numpy()  # the prepared timeline's labels are its positions
    meeting_row = types_held(ctx, params["meeting_types"]).to_numpy(dtype=bool)[at_rows]  # not "ICPC cancelled"
    not_written = ~(ctx.types(params["correspondence_types"]).to_numpy(dtype=bool)[at_rows] | meeting_row)
    written = np.bincount(group, weights=not_written, minlength=n) == 0  # every row correspondence or a meeting
    meeting = written & (np.bincount(group, weights=meeting_row, minlength=n) > 0)
    windows = np.where(meeting, int(params["meeting_window_days"]), int(params["correspondence_window_days"]))
    # a record that is itself an escalation (every row of it: the referral about the bruise, the CP medical
    # that examined it) is a record of the injury reported shortly before it, not a new one (below)
    escalated = np.bincount(group, weights=~held_escalations(ctx, params["escalations"]).to_numpy(dtype=bool)[at_rows],
                            minlength=n) == 0
    escalation_window = int(params.get("escalation_window_days", 0))
    joins = np.full(n, -1)  # per escalation record: the report it joins (-1: none)
    lefts, rights = [], []
    latest = np.full(n, -1)  # per correspondence group: the report it joins (-1: none yet)
    span = int(day[exact].max() - day[exact].min()) + 1 if exact.any() else 1
    for tag in params["injury_tags"]:
        tagged = np.bincount(group, weights=ctx.tags([tag]).to_numpy(dtype=bool)[at_rows], minlength=n) > 0
        reports = np.flatnonzero(tagged & exact & ~written)
        if not len(reports):
            continue
        # same day, same tag: neighbours in (case, day) order
        key = case[reports] * span + (day[reports] - day[exact].min())
        order = np.lexsort((reports, key))
        same = key[order][1:] == key[order][:-1]
        lefts.append(reports[order][:-1][same])
        rights.append(reports[order][1:][same])
        # an escalation record joins the report before it in (case, day, group) order sharing this tag, dated
        # 0..escalation_window_days before it (of any agency: the referral social care records, the
        # hospital's CP medical); the latest over all tags
        ranked = reports[order]
        at = np.flatnonzero(escalated[ranked][1:]) + 1
        cur, prev = ranked[at], ranked[at - 1]
        ok = (case[prev] == case[cur]) & (day[prev] >= day[cur] - escalation_window)
        cur, prev = cur[ok], prev[ok]
        held = joins[cur]
        held_day = day[np.maximum(held, 0)]
        later = (held < 0) | (day[prev] > held_day) | ((day[prev] == held_day) & (prev > held))
        joins[cur[later]] = prev[later]
        # correspondence: the latest report on or before its day; when that is the letter's own agency's,
        # the one before that agency's run of reports
        letters = np.flatnonzero(tagged & exact & written)
        if not len(letters):
            continue
        key, reports = key[order], reports[order]
        at = np.searchsorted(key, case[letters] * span + (day[letters] - day[exact].min()), side="right") - 1
        own_run = np.r_[True, (agency[reports][1:] != agency[reports][:-1])]
        before_run = np.maximum.accumulate(np.where(own_run, np.arange(len(reports)), 0)) - 1
        # (a meeting joins the latest report of any agency: its agencies are the ones who recorded it)
        at = np.where((at >= 0) & ~meeting[letters] & (agency[reports][np.maximum(at, 0)] == agency[letters]),
                      before_run[np.maximum(at, 0)], at)
        found = reports[np.maximum(at, 0)]
        ok = (at >= 0) & (case[found] == case[letters]) & (day[found] >= day[letters] - windows[letters])
        # the latest over all tags: by day, then by position in the timeline
        held = latest[letters]
        held_day = day[np.maximum(held, 0)]
        later = (held < 0) | (day[found] > held_day) | ((day[found] == held_day) & (found > held))
        latest[letters[ok & later]] = found[ok & later]
    joined_letters = np.flatnonzero(latest >= 0)
    lefts.append(joined_letters)
    rights.append(latest[joined_letters])
    joined_escalations = np.flatnonzero(joins >= 0)
    lefts.append(joined_escalations)
    rights.append(joins[joined_escalations])
    # a follow-up joins the earlier record of its injury (the fracture clinic the A&E attendance)
    # (social care's receipt of the referral about an injury is no record of it: `base.referral_receipts`)
    receipts = referral_receipts(ctx) if params.get("receipts_answer") else None
    earlier = earlier_injury(ctx, pd.DataFrame(index=at_rows[first]), params["injury_tags"], not_records=receipts)
    followups = np.flatnonzero(earlier >= 0)
    if len(followups):
        target = pd.Index(codes).get_indexer(ctx.timeline["_gcode"].to_numpy()[earlier[followups]])
        ok = target >= 0
        lefts.append(followups[ok])
        rights.append(target[ok])
    # (s20) one injury recorded again by another agency a day or two on, or a follow-up dated to a month only
    # (`episodes.same_injury`: the black eye the health visitor saw and the grandmother photographed the next day)
    later, before = same_injury(ctx, rows, group, first, params["injury_tags"], params)
    lefts.append(later)
    rights.append(before)
    return connected_components(n, np.concatenate(lefts), np.concatenate(rights))[group]


def _pattern(ctx: Context, mask: pd.Series, min_count: int, window_days: int, params: dict, variant: str,
             episodes=None, receipts=None):
    """Exact-date rows of `mask` that complete a pattern of `min_count` distinct events in the window
    and were not escalated in time. An event is an event group, or with `episodes` (a function of the
    rows, `injury_episodes`) an episode of several; the trigger is each episode's first row."""
    rows = rows_of(ctx, mask, _COLUMNS)
    rows["_episode"] = rows["_gcode"].to_numpy() if episodes is None else episodes(ctx, rows, params)
    events = first_per_group(rows)  # one row per event group: the evidence
    # an episode is counted where it began (its first event): a conference in the window that discusses
    # an injury from before it brings no injury into the window
    events = events.assign(_opens=~events.duplicated(["_case", "_episode"], keep="first"))
    triggers = events[events["_opens"]]
    triggers = triggers[triggers["_exact"]].copy()
    if triggers.empty:
        return None
    triggers = due_within(triggers, days=params["within_days"])
    triggers["lo"] = triggers["_day"] - window_days * DAY
    # (with `receipts`: social care's record of receiving a referral answers too, `base.first_response_or`)
    response = first_response_or(ctx, triggers, held_escalations(ctx, params["escalations"]), receipts)
    # an escalation by any agency more than response_max_days after the trigger is not its late response, nor
    # one after the child's death (`death_bound`)
    triggers["_death_bound"] = death_bound(ctx, triggers, triggers["_day"], params.get("response_max_days"))
    # the first response however late: a later trigger before it continues this trigger's pattern (`_chains`)
    triggers["_next_day"] = response["action_date"].to_numpy(dtype="datetime64[ns]")
    response = cap_response(response, triggers["_day"], params.get("response_max_days"), triggers["_death_bound"])
    triggers["_review_end_bound"] = review_end_bound(ctx, triggers, triggers["_day"], params.get("response_max_days"),
                                                     triggers["_death_bound"])
    triggers = triggers.join(response)
    triggers = triggers[~triggers["timely"]]
    if triggers.empty:
        return None
    note_death_cut(ctx, triggers, triggers["_death_bound"], triggers["action_event_id"])  # "at least N days" late
    ev = events[["_case", "_episode", "_opens", "_start", "_end", "_exact", "event_id", "_day", "date_precision", "_shown"]]
    ev = ev.assign(pos=events.index)
    pairs = window_pairs(ctx, triggers[["_case", "lo", "_day"]], ev, "lo", "_day")
    # an exact event later the same day is not part of the pattern the trigger completes
    pairs = pairs[~(pairs["e__exact"] & (pairs["e_pos"] > pairs["t_index"]))]
    counted = pairs[pairs["e__opens"].to_numpy(dtype=bool)]
    count = counted.groupby("t_index")["e__episode"].nunique()
    t = triggers[triggers.index.isin(count[count >= min_count].index)].copy()
    if t.empty:
        return None
    counted = counted[counted["t_index"].isin(t.index)]
    # the evidence: every record in the window of the episodes counted (a record of an episode that
    # began before the window is not evidence of this pattern)
    keys = pd.MultiIndex.from_arrays([counted["t_index"], counted["e__episode"]])
    pairs = pairs[pd.MultiIndex.from_arrays([pairs["t_index"], pairs["e__episode"]]).isin(keys)]
    t["_n_first"] = count.reindex(t.index)
    # one flag per unanswered pattern: the triggers that continue one are read as its later events
    chain = _chains(t)
    t["_chain"] = chain
    head = t[~chain.duplicated(keep="first")].copy()
    last = t[~chain.duplicated(keep="last")].set_index("_chain")
    by = head["_chain"]
    # the response, its bounds and the latest event: the pattern's last trigger's (no response came before it)
    for column in ("action_event_id", "action_date", "action_exact", "action_pos", "_death_bound", "_review_end_bound"):
        head[column] = last[column].reindex(by).to_numpy()
    head["_latest"] = last["_day"].reindex(by).to_numpy()
    head["_members"] = chain.value_counts().reindex(by).to_numpy()
    merged = head["_members"].to_numpy() > 1
    if merged.any():  # the death may cut the search short from the latest trigger on ("at least N days")
        note_death_cut(ctx, head[merged], head.loc[merged, "_death_bound"], head.loc[merged, "action_event_id"])
    c_chain = pd.Series(chain.reindex(counted["t_index"]).to_numpy(), index=counted.index)
    p_chain = pd.Series(chain.reindex(pairs["t_index"]).to_numpy(), index=pairs.index)
    head["n"] = counted.groupby(c_chain)["e__episode"].nunique().reindex(by).to_numpy()
    head["evidence"] = joined(pairs["e_event_id"], p_chain).reindex(by).to_numpy()
    first = counted.assign(_chain=c_chain).sort_values(["_chain", "e__start"]).drop_duplicates("_chain").set_index("_chain")
    head["first_date"] = fmt_date(first["e__day"], first["e__shown"]).reindex(by).to_numpy()
    all_agencies = joined(column_at(ctx, "agency", pairs["e_pos"], pairs.index), p_chain)
    head["all_agencies"] = all_agencies.reindex(by).to_numpy()
    head["variant"] = variant
    return head


def _chains(t: pd.DataFrame) -> pd.Series:
    """Per flagged trigger of `t` (a pattern complete with no timely response): the number of the unanswered
    pattern it belongs to. A trigger continues the pattern of the case's previous flagged trigger when that one
    is in its window (`lo`: its event is among this one's) and no response came between them (`_next_day`, the
    first response to the previous one however late, is after this one's day, or none came): the later injury
    is one more of a pattern no agency has answered yet, not a new one. A pattern starts again after a response
    answered the last one, or when a window holds no event of it."""
    order = np.lexsort((t.index.to_numpy(), t["_day"].to_numpy(dtype="datetime64[ns]"), t["_case"].to_numpy()))
    s = t.iloc[order]
    case = s["_case"].to_numpy()
    day = s["_day"].to_numpy(dtype="datetime64[ns]")
    lo = s["lo"].to_numpy(dtype="datetime64[ns]")
    nxt = s["_next_day"].to_numpy(dtype="datetime64[ns]")
    cont = np.zeros(len(s), dtype=bool)
    if len(s) > 1:
        cont[1:] = (case[1:] == case[:-1]) & (lo[1:] <= day[:-1]) & (np.isnat(nxt[:-1]) | (nxt[:-1] > day[1:]))
    return pd.Series(np.cumsum(~cont), index=s.index).reindex(t.index)


#: the expected action of a pattern with an injury (NICE CG89: a referral or a CP medical)
_INJURY_ACTION = "escalation of the pattern (referral to children's social care or CP medical)"
#: (s21, QA11 D13) ...and of A&E attendances none of which records an injury: repeated presentations of symptoms
#: (RCPCH 2021, perplexing presentations): a paediatrician looks across the providers before anything else
_ATTENDANCE_ACTION = ("review of the repeated attendances across providers (a responsible paediatrician, a health "
                      "chronology from every trust and the GP, discussion with the named doctor; a referral to "
                      "children's social care where they point to harm)")


def _expected_action(ctx: Context, t: pd.DataFrame, params: dict, noun: str) -> pd.Series:
    """The flag's expected action: an injury's (referral or CP medical) unless the pattern is of A&E attendances
    none of which (its evidence rows) records an injury, when "repeated injuries" is not what happened (QA11 D13:
    a child brought to three trusts' EDs with symptoms a parent reports and no one sees): the attendances'
    review across providers."""
    if noun != "A&E attendances" or t.empty:
        return pd.Series(_INJURY_ACTION, index=t.index, dtype="string")
    tl = ctx.timeline
    hurt = ctx.tags(list(params["injury_tags"])).to_numpy(dtype=bool)
    injured = set(tl["event_id"].to_numpy(dtype=object)[hurt].tolist())
    evidence = t["evidence"].astype(str).str.split(";")
    any_injury = np.array([any(e.strip() in injured for e in ids) for ids in evidence], dtype=bool)
    return pd.Series(np.where(any_injury, _INJURY_ACTION, _ATTENDANCE_ACTION), index=t.index, dtype="string")


@register("repeated_injury_or_ae")
def repeated_injury_or_ae(ctx: Context, params: dict) -> pd.DataFrame:
    """2+ injuries in 90 days or 3+ A&E attendances in 365 days, no escalation in 2 days (NICE CG89)."""
    # social care's record of receiving the referral about an injury ("Referral from ED re cheek bruise") is the
    # escalation of the injury another agency saw, not another injury (`base.referral_receipts`); it answers
    # the pattern as a referral
    receipts = referral_receipts(ctx) if params.get("receipts_answer") else None
    injured = ctx.tags(params["injury_tags"])
    if receipts is not None:
        injured = injured & ~pd.Series(receipts, index=injured.index)
    injuries = _pattern(
        ctx, injured, params["min_injuries"], params["injury_window_days"], params, "injury",
        episodes=injury_episodes, receipts=receipts,
    )
    attendances = _pattern(
        ctx, ctx.types(["ae_attendance"]), params["min_ae_attendances"], params["ae_window_days"], params, "ae",
        receipts=receipts,
    )
    parts = []
    for t, noun, one, window in (
        (injuries, "injuries", "injury", params["injury_window_days"]),
        (attendances, "A&E attendances", "A&E attendance", params["ae_window_days"]),
    ):
        if t is None:
            continue
        delay = delay_from(t["deadline"], t["action_date"], t["action_exact"])
        # a pattern the later triggers continued (`_chains`): all its events, from the day it was complete
        merged = t["_members"].to_numpy() > 1
        latest = fmt_date(t["_latest"])
        opening = pd.Series(np.where(
            merged,
            t["n"].astype(int).astype(str) + " " + noun + ", each within " + str(window) + " days of one before it ("
            + t["first_date"] + " to " + latest + ", recorded by " + t["all_agencies"] + "): "
            + t["_n_first"].astype(int).astype(str) + " by " + fmt_date(t["_day"]) + ", when the pattern was complete,"
            " and no agency escalated within " + str(params["within_days"]) + " days of then or of "
            + pd.Series(np.where(t["_members"].to_numpy() == 2, "the one later " + one,
                                 "any of the " + (t["_members"].astype(int) - 1).astype(str) + " later " + noun),
                        index=t.index)
            + " that continued it (the latest on " + latest + ")",
            t["n"].astype(int).astype(str) + " " + noun + " within " + str(window) + " days ("
            + t["first_date"] + " to " + fmt_date(t["_day"]) + ", recorded by " + t["all_agencies"]
            + ") and no agency escalated within " + str(params["within_days"]) + " days of the latest"), index=t.index)
        explanation = (
            opening
            + unlinked_outcome_text(ctx, t["action_event_id"], t["action_date"], delay, t["action_pos"],
                                    params["escalations"], about="this pattern",
                                    max_days=params.get("response_max_days"), since="the latest",
                                    death=t["_death_bound"], review_end=t["_review_end_bound"], receipts=receipts)
        )
        # one frame from its columns (aligned on t's index, as setting them one by one on an empty
        # frame would, at a fraction of the cost)
        parts.append(pd.DataFrame({
            "case_id": t["case_id"],
            "variant": t["variant"],
            "trigger_event_id": t["event_id"],
            "trigger_date": t["_day"],
            "evidence_event_ids": t["evidence"],
            "expected_action": _expected_action(ctx, t, params, noun),
            "expected_by": t["deadline"],
            "actual_action_event_id": t["action_event_id"],
            "actual_action_date": t["action_date"],
            "delay_days": delay,
            "agencies": t["all_agencies"],
            "explanation": explanation,
        }, index=t.index))
    return pd.concat(parts) if parts else pd.DataFrame()
