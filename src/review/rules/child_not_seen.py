"""Rule `child_not_seen`: the child was not seen by any agency for more than 14 days while on a child
protection plan, or more than 42 days while concerns were open (at the first contact past the limit, or,
for a stretch still running at the end of the review with no contact past it, at the end: censored, also
for a stretch recorded only with partial dates when even their latest possible days leave the gap past the
limit); and home visits at which the child was not seen, with no return visit by that agency (or the same
local authority under another name: `same_agency_codes`) within 7 days.

The flag belongs to an agency that failed to see the child (s18, `_may_trigger`): an unseen stretch is flagged at
a contact at which the child was not seen, never at another agency's contact that saw the child (a late
sighting ends the stretch) nor at one on the day of the child's death (the arrival of a child who has died); on
a plan the plan's holder (`plan_holder_kinds`, social care) owes the child its visits, and its own contact,
seen or not, may be the trigger. A stretch with no such contact past the limit, ended by another agency's
sighting, is flagged at that sighting against the agencies that held the case when the limit passed (s19,
variants ``..._seen_late``: `_holders`), the sighting's own agency not blamed.

Source: Working Together to Safeguard Children 2023, chapter 2 (children on a child protection plan are
seen, and seen alone, at the frequency the plan sets); local practice standards for open cases.

"Concerns open" (`open_case_concerns`, s14): a concern recorded within the case's concern window (the one the
timeline's ``open_concerns`` uses) that an agency holding the child's case recorded: not a missed appointment
alone (`open_concerns_ignore_tags`: was_not_brought; an unseen child's missed appointments are
was_not_brought's to follow up, and would make every child who misses two appointments an "open case"), and
not a concern recorded only by a hospital (an agency at least half of whose rows in the case are
`hospital_contact_types`, A&E attendances, admissions, discharges, with its letters; or, s21, a hospital by its
kind or its name, `named_hospitals`: a tertiary hospital's clinics and day cases whose rows type as clinics or
referrals): a hospital sees the child when the child is brought and holds no case to visit; repeated attendances
are repeated_injury_or_ae's.
"""
from __future__ import annotations

import re

import numpy as np
import pandas as pd

from ..sightings import not_seen_mask, seen_mask
from ..timeline import CP_PLAN_CONTACT_TYPES, cp_plan_marker
from .transfer_in_conference_late import same_agency_codes
from .lac_visits_overdue import looked_after_rows
from .base import (
    _BIG,
    _NAT_DAY,
    _OFFSET,
    Context,
    action_when,
    censor_at_death,
    column_at,
    day_numbers,
    deadline_rows,
    death_bound,
    death_records,
    due_within,
    first_response,
    fmt_date,
    joined,
    window_pairs,
    fmt_days,
    missed_contacts,
    note_death_cut,
    outcome_text,
    parents_own,
    register,
    row_vocabs,
    rows_of,
    _rows_matching,
)


#: the timeline columns the rule reads from its rows (selected before the rows are)
_COLUMNS = ["event_id", "case_id", "_case", "_agency", "_day", "agency"]


def hospital_stays(ctx: Context) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """The child's hospital stays (`review.timeline.hospital_stays`, s19: an admission typed so or written in a
    hospital's record, to its discharge, else to the child's next recorded whereabouts, else to the end of the
    review), as (case code, first day number, last day number, timeline position of the admission): a child on
    a ward is seen every day, so the days of a stay are no days unseen. Made once per prepared timeline."""
    if "hospital_stays" not in ctx.extra:
        from ..timeline import hospital_stay_rows

        tl = ctx.timeline
        # the cases' vocabularies and ends of review as the timeline's periods read them, from the prepared
        # timeline (not made again per case): the date of death or the review date, whichever is earlier, else
        # the case's last dated contact
        ids = ctx.case_ids.astype(object)
        keys = ctx.extra.get("vocab_keys") or []
        vocab_keys = dict(zip(ids, keys)) if len(keys) == len(ids) else None
        fixed = np.fmin(ctx.extra["deaths"].to_numpy(dtype="datetime64[ns]"),
                        ctx.extra["review_dates"].to_numpy(dtype="datetime64[ns]")).astype("datetime64[D]")
        last = np.full(len(ids), np.datetime64("NaT"), dtype="datetime64[D]")
        day = tl["_day"].to_numpy(dtype="datetime64[ns]").astype("datetime64[D]")
        dated = ~np.isnat(day)
        if dated.any():
            codes = tl["_case"].to_numpy()[dated]
            latest = pd.Series(day[dated].astype("int64")).groupby(codes).max()
            last[latest.index.to_numpy()] = latest.to_numpy().astype("datetime64[D]")
        ends = dict(zip(ids, np.where(np.isnat(fixed), last, fixed)))
        stays = hospital_stay_rows(tl, ctx.extra.get("case"), vocab_keys=vocab_keys, review_ends=ends)
        if len(stays["row"]):
            pos = np.asarray(stays["row"], dtype="int64")
            codes = tl["_case"].to_numpy()[pos].astype("int64")
            start, end = day_numbers(stays["start"]), day_numbers(stays["end"])
            end = np.where(end == _NAT_DAY, start, end)
            ctx.extra["hospital_stays"] = (codes, start, end, pos)
        else:
            empty = np.zeros(0, dtype="int64")
            ctx.extra["hospital_stays"] = (empty, empty, empty, empty)
    return ctx.extra["hospital_stays"]


def _last_seen(ctx: Context, r_case: np.ndarray, r_day: np.ndarray, seen: pd.Series) -> tuple[np.ndarray, np.ndarray]:
    """For queries (case code `r_case`, day number `r_day`), the latest day number before the query day on
    which the child could have been seen (a partial-date sighting counts at the latest day of its period,
    so a gap is never longer than certain; a hospital stay, s19, at its last day: `hospital_stays`), the NaT
    sentinel when never seen before; and the timeline position of that sighting (the stay's admission; -1
    when none)."""
    tl = ctx.timeline
    m = np.flatnonzero(seen.to_numpy(dtype=bool))  # positions once, then integer gathers
    s_case = tl["_case"].to_numpy()[m]
    s_start = tl["_sd"].to_numpy()[m]
    s_end = tl["_ed"].to_numpy()[m]
    h_case, h_start, h_end, h_pos = hospital_stays(ctx)
    if len(h_case):
        m = np.r_[m, h_pos]
        s_case, s_start, s_end = np.r_[s_case, h_case], np.r_[s_start, h_start], np.r_[s_end, h_end]
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
    idx = np.searchsorted(keys, r_case * _BIG + r_day + _OFFSET, side="left") - 1  # start < day
    ok = (idx >= 0) & (s_case[np.maximum(idx, 0)] == r_case) if len(keys) else np.zeros(len(r_case), dtype=bool)
    out = np.where(ok, np.minimum(latest[np.maximum(idx, 0)] if len(keys) else 0, r_day - 1), _NAT_DAY)
    pos = np.where(ok, holder_pos[np.maximum(idx, 0)] if len(keys) else -1, -1)
    return out, pos


def _run_since(ctx: Context, on: pd.Series) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """For rows in a run of `on` rows (per case, in timeline order), the day number from which the run
    had certainly begun: the earliest of the latest possible days of the run's rows so far (the row's own
    included). A run opened by a partial-date row ("March 2023") begins, for certain, only on the last
    day of its period or at the first exact row after it, never on a made-up first day; a row before
    that day is not certainly in the run at all (its gap is then 0). Other rows: the NaT sentinel.
    Also, per row, the timeline position of the row that day comes from (the first of the run to reach
    it) and of the run's first row (-1 off a run)."""
    tl = ctx.timeline
    on = on.fillna(False).to_numpy(dtype=bool)
    case = tl["_case"].to_numpy()
    continues = np.r_[False, on[:-1] & (case[1:] == case[:-1])] if len(on) else on
    new_run = on & ~continues
    run_id = np.cumsum(new_run)
    since = np.full(len(on), _NAT_DAY, dtype="int64")
    at = np.full(len(on), -1, dtype="int64")
    run_start = np.full(len(on), -1, dtype="int64")
    if on.any():
        ends = pd.Series(tl["_ed"].to_numpy()[on])
        since[on] = ends.groupby(run_id[on]).cummin().to_numpy()
        positions = np.arange(len(on))
        # the row holding the running minimum: the run's first row, or one that lowered it
        lowered = new_run | (on & np.r_[False, since[1:] < since[:-1]])
        holder = np.maximum.accumulate(np.where(lowered, positions, -1))
        at[on] = holder[on]
        run_start[on] = np.maximum.accumulate(np.where(new_run, positions, -1))[on]
    return since, at, run_start


def _case_bounds(case: np.ndarray) -> np.ndarray:
    """The first position of each case's rows (the prepared timeline is in case order)."""
    return np.flatnonzero(np.r_[True, case[1:] != case[:-1]]) if len(case) else np.zeros(0, dtype="int64")


def _last_where(mask: np.ndarray, starts: np.ndarray) -> np.ndarray:
    """Per case (`starts` from `_case_bounds`), the last timeline position where `mask` holds, -1 when none."""
    return np.maximum.reduceat(np.where(mask, np.arange(len(mask)), -1), starts) if len(starts) else starts


def _plan_ended_on(ctx: Context, pos: np.ndarray) -> np.ndarray:
    """For timeline positions `pos`, whether a conference recorded on the same day ended the child
    protection plan (the timeline keeps that day on the plan: `cp_plan_marker`). Only the conferences of
    those days are read (one per case at most, usually none)."""
    tl = ctx.timeline
    day = tl["_day"].to_numpy(dtype="datetime64[ns]")
    case = tl["_case"].to_numpy()
    conference = np.flatnonzero(ctx.types(CP_PLAN_CONTACT_TYPES).to_numpy(dtype=bool) & ~np.isnat(day))
    ended = np.zeros(len(pos), dtype=bool)
    if not len(conference) or not len(pos):
        return ended
    key = case[conference].astype("int64") * _BIG + day_numbers(day[conference]) + _OFFSET
    wanted = case[pos].astype("int64") * _BIG + day_numbers(day[pos]) + _OFFSET
    same_day = conference[np.isin(key, wanted)]
    if not len(same_day):
        return ended
    text = (tl["description"].iloc[same_day].astype(object).fillna("").astype(str) + " . "
            + tl["action"].iloc[same_day].astype(object).fillna("").astype(str))
    numbers, keys = row_vocabs(ctx)  # read with the case's vocabulary, as the timeline's plan periods are
    ends = same_day[np.array([cp_plan_marker(t, keys[k]) < 0 for t, k in zip(text, numbers[same_day])], dtype=bool)]
    ends_key = case[ends].astype("int64") * _BIG + day_numbers(day[ends]) + _OFFSET
    return np.isin(wanted, ends_key)


def _open_at_end(ctx: Context, on: np.ndarray, variant: str, run_start: np.ndarray,
                 concern_rows: np.ndarray | None = None, may_trigger: np.ndarray | None = None,
                 seen: np.ndarray | None = None) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """The stretches still running at the end of the review, one per case at most: the timeline position
    of the case's last dated row on or before the end (in the stretch), of the flag's trigger, and the end
    of the review as a day number. The trigger is the stretch's last exact-date row on or before the end
    of `may_trigger` (a contact at which the child was not seen, before the day of death: `_may_trigger`)
    after the case's last sighting (`seen`) up to the end; a stretch with no such exact-date row has its
    last such row of any precision ("March 2023": the flag holds whatever day it fell on, the gap counted
    from the latest day each partial row could have been) for its trigger, and one with none is not flagged:
    no agency had a contact in it at which it did not see the child. `run_start`: `_run_since`'s first row
    of each row's run.

    The end is `_review_end` (the date of death or the review date, whichever is earlier); a case with
    neither ends at its last contact, taken at the earliest day it could have been (a partial-date last
    row "June 2024" ends the records on 1 June for certain, not on the 30th). A plan runs at the end when
    no conference on that last row's day ended it; concerns are open at the end when a concern was
    recorded within the case's concern window before it: the window its timeline's ``open_concerns`` were
    built with (case.yml ``timeline: concern_window_days``, default `review.timeline.CONCERN_WINDOW_DAYS`; `prepare`),
    by a row of `concern_rows` (`open_case_concerns`' carriers; default: any row recording a concern).
    """
    tl = ctx.timeline
    case = tl["_case"].to_numpy()
    starts = _case_bounds(case)
    if not len(starts):
        empty = np.zeros(0, dtype="int64")
        return empty, empty, empty
    sd, ed = tl["_sd"].to_numpy(), tl["_ed"].to_numpy()
    day = day_numbers(tl["_day"])
    dated = day != _NAT_DAY
    review_end = day_numbers(tl["_review_end"].iloc[starts])
    latest, earliest = np.maximum.reduceat(ed, starts), np.maximum.reduceat(sd, starts)
    end = np.where(review_end == latest, earliest, review_end)  # no fixed end: the last contact, for certain
    end_row = np.repeat(end, np.diff(np.r_[starts, len(case)]))
    within = dated & (day <= end_row)
    last = _last_where(within, starts)
    # a trigger: a contact at which the child was not seen, before the death, after the last sighting
    eligible = within.copy()
    if may_trigger is not None:
        eligible &= may_trigger
    if seen is not None:
        sighted = np.maximum.reduceat(np.where(within & seen, sd, _NAT_DAY), starts)
        eligible &= sd >= np.repeat(sighted, np.diff(np.r_[starts, len(case)]))
    trigger = _last_where(eligible & tl["_exact"].to_numpy(dtype=bool), starts)
    running = (last >= 0) & (end != _NAT_DAY)
    running[running] = on[last[running]]
    # the trigger is a row of the stretch: its last exact-date row, else (partial dates only) its last row
    in_stretch = running.copy()
    in_stretch[running] = trigger[running] >= run_start[last[running]]
    trigger = np.where(in_stretch, trigger, _last_where(eligible, starts))
    running[running] = trigger[running] >= run_start[last[running]]  # none in it: no agency missed the child
    if variant == "cp_plan":
        running[running] = ~_plan_ended_on(ctx, last[running])
    else:
        if concern_rows is None:
            concern_rows = (tl["concerns"].fillna("") != "").to_numpy(dtype=bool)
        carriers = within & concern_rows
        recent = np.maximum.reduceat(np.where(carriers, sd, _NAT_DAY), starts)
        # the case's own concern window (case.yml `timeline:`), the one its `open_concerns` were built with
        window = ctx.extra["concern_windows"][case[starts]]
        running &= recent >= end - window
    return last[running], trigger[running], end[running]


def _no_contacts(ctx: Context, params: dict) -> np.ndarray:
    """(s21, QA12) Per timeline row, a record that is no contact with the child or the family: a row of
    `no_contact_types` (letters, other records) whose description or action names one of `no_contact_words`
    ("Family moved to Kelsham. Records transfer requested"): an agency passing its records on had no contact at
    which it failed to see the child, so it is no unseen stretch's trigger."""
    tl = ctx.timeline
    out = np.zeros(len(tl), dtype=bool)
    words, kinds = params.get("no_contact_words") or (), params.get("no_contact_types") or ()
    if not len(words) or not len(kinds):
        return out
    pos = np.flatnonzero(ctx.types(kinds).to_numpy(dtype=bool))
    if len(pos):
        out[pos] = _rows_matching(ctx, pos, words)
    return out


def _may_trigger(ctx: Context, seen: pd.Series, holders: np.ndarray | None = None,
                 no_contact: np.ndarray | None = None) -> np.ndarray:
    """Per timeline row, whether it may trigger an unseen-stretch flag: a contact at which the child was not
    seen (the flag belongs to an agency that had contact and did not see the child; another agency's contact
    that saw the child, late, ends the stretch and is no failing of that agency's), or one of `holders` (the
    plan's holder, `plan_holder_kinds`: children's social care, whose statutory visits a child on a plan is
    owed: its own late visit, or the conference it made the plan at and then did not visit under, is its
    failing), that came before the day of the child's death (the ambulance's or the hospital's arrival with a
    child who has died, the police's attendance, the day's records of the death: no agency failing to see a
    living child); never a record that is no contact with the family (`no_contact`: `_no_contacts`)."""
    tl = ctx.timeline
    death = day_numbers(tl["_death"])
    alive = (death == _NAT_DAY) | (tl["_sd"].to_numpy() < death)
    unseen = ~seen.to_numpy(dtype=bool)
    if holders is not None:
        unseen = unseen | holders
    if no_contact is not None:
        unseen = unseen & ~no_contact
    return unseen & alive & _born(ctx)


def _born(ctx: Context) -> np.ndarray:
    """Per timeline row, whether the child could have been born by then (its earliest possible day on or
    after the date of birth; no date of birth known: yes). Before the birth no agency can see the child
    (s21, QA12 D2: an antenatal contact is not a failure to see an unborn child): no pre-birth row triggers
    and an unseen stretch is counted from the birth at the earliest (`_birth_days`)."""
    tl = ctx.timeline
    birth = _birth_days(ctx)
    return (birth == _NAT_DAY) | (tl["_ed"].to_numpy() >= birth)


def _birth_days(ctx: Context) -> np.ndarray:
    """Per timeline row, the child's date of birth as a day number (the NaT sentinel, far in the past, when
    unknown): an unborn child's "last sighting" is its birth."""
    return day_numbers(ctx.timeline["_dob"])


def _gaps(ctx: Context, on: pd.Series, max_days: int, seen: pd.Series, variant: str, what: str,
          concern_rows: np.ndarray | None = None, holders: np.ndarray | None = None,
          case_holders: np.ndarray | None = None, no_contact: np.ndarray | None = None) -> pd.DataFrame:
    """The unseen stretches longer than `max_days`: a flag at the first contact past the limit at which the
    child was not seen (`_may_trigger`), and one for a stretch still running at the end of the review with no
    sighting since the limit passed (censored at the end; triggered by the stretch's last exact-date contact
    before the end at which the child was not seen, else its last such contact). A stretch ended by a sighting
    with no such contact past the limit, or running to the end with none in it, is not flagged at a contact:
    no agency had one at which it did not see the child. `holders` (per timeline row; the plan's stretches:
    children's social care's rows) may trigger where the child was seen (`_may_trigger`). A stretch past the limit
    ended by another agency's sighting with no such contact past the limit is flagged at that sighting (s19),
    against the agencies of `case_holders` holding the case when the limit passed (`_holders`); with none holding
    it, not at all (s20: no agency failed to see the child, and the one that saw it is never blamed)."""
    tl = ctx.timeline
    on = on.fillna(False).astype(bool)
    may_trigger = _may_trigger(ctx, seen, holders, no_contact)
    # every contact of the stretches before the day of death: one at which the child was not seen triggers; a
    # stretch past the limit with none such past it, ended by another agency's sighting, is flagged at that
    # sighting against the agencies holding the case (`_holders`, s19)
    rows = np.flatnonzero((on & tl["_exact"]).to_numpy(dtype=bool) & _may_trigger(ctx, pd.Series(False, index=tl.index),
                                                                                        no_contact=no_contact))
    run_since, since_at, run_start = _run_since(ctx, on)
    last, trigger, end = _open_at_end(ctx, on.to_numpy(dtype=bool), variant, run_start, concern_rows, may_trigger,
                                      seen.to_numpy(dtype=bool))
    if not len(rows) and not len(last):
        return pd.DataFrame()
    case = tl["_case"].to_numpy()
    day = tl["_sd"].to_numpy()
    # one search for the sightings before each contact and before the day after each end of review
    n = len(rows)
    seen_day, seen_at = _last_seen(ctx, np.r_[case[rows], case[last]], np.r_[day[rows], end + 1], seen)
    # (s21) never counted from before the birth: the unborn child's "last sighting" is its birth
    since = np.maximum(np.r_[run_since[rows], run_since[last]], _birth_days(ctx)[np.r_[rows, last]])
    clock = np.maximum(seen_day, since)
    gap = np.r_[day[rows], end] - clock
    over = gap > max_days
    first = over.copy()
    late = np.zeros(n, dtype=bool)  # a stretch's first contact past the limit is a sighting that ended it
    if over[:n].any():  # one flag per unseen stretch: the first contact past the limit at which the child was
        # not seen; none such: the first contact past it (another agency's sighting, which ended the stretch)
        at = np.flatnonzero(over[:n])
        trig = may_trigger[rows[at]]
        keys = pd.DataFrame({"case": case[rows][at], "clock": clock[:n][at]})
        has_trig = pd.Series(trig).groupby([keys["case"], keys["clock"]]).transform("any").to_numpy(dtype=bool)
        pick = np.where(has_trig, trig, True)
        chosen = np.zeros(len(at), dtype=bool)
        chosen[pick] = ~keys[pick].duplicated().to_numpy()
        first[:n][at] = chosen
        late[at] = chosen & ~trig
    if over[n:].any():  # a stretch already flagged at a contact (one the child's death leaves) is not flagged again
        death = day_numbers(tl["_death"].iloc[rows])
        flagged = first[:n] & ((death == _NAT_DAY) | (day[rows] <= death))
        flagged_keys = case[rows][flagged].astype("int64") * _BIG + clock[:n][flagged]
        first[n:] &= ~np.isin(case[last].astype("int64") * _BIG + clock[n:], flagged_keys)
    parts = []
    for sel, kind in ((first[:n] & ~late, variant), (late, variant + "_seen_late")):
        held = None
        if sel.any() and kind != variant:
            held = _holders(ctx, rows[sel], clock[:n][sel] + max_days, since[:n][sel], variant, case_holders)
            # (s20) no agency holding the case when the limit passed: no one failed to see the child, and the
            # agency that then saw it is never blamed (QA7 Leah: the GP's consultation of 15 Sep 2020)
            kept = held != ""
            sel = sel.copy()
            sel[np.flatnonzero(sel)[~kept]] = False
            held = held[kept]
        if sel.any():
            parts.append(_gap_rows(ctx, rows[sel], max_days, seen, kind, what, since[:n][sel], seen_day[:n][sel],
                                   seen_at[:n][sel], clock[:n][sel], gap[:n][sel], since_at[rows][sel], held))
    if first[n:].any():
        parts.append(_open_rows(ctx, trigger[first[n:]], end[first[n:]], max_days, variant, what,
                                since[n:][first[n:]], seen_day[n:][first[n:]], seen_at[n:][first[n:]],
                                clock[n:][first[n:]], gap[n:][first[n:]], since_at[last][first[n:]]))
    return pd.concat(parts) if parts else pd.DataFrame()


def _dates(days: np.ndarray, index: pd.Index) -> pd.Series:
    """Day numbers as a datetime64[ns] column on `index`."""
    return pd.Series(days.astype("datetime64[D]").astype("datetime64[ns]"), index=index)


def _last_text(ctx: Context, t: pd.DataFrame, since, seen_day, seen_at, variant: str) -> pd.Series:
    """'last recorded sighting 7 Dec 2023' (the sighting as the chronology dates it: 'January 2023' for a
    month-precision one), or, when the child was not seen since the stretch began, 'no sighting recorded
    since the plan started, counted from ...': the start of the stretch is no sighting."""
    at = np.maximum(seen_at, 0)
    seen_text = fmt_date(column_at(ctx, "_day", at, t.index), column_at(ctx, "_shown", at, t.index))
    opened = "the plan started" if variant == "cp_plan" else "concerns were open"
    last = pd.Series("last recorded sighting " + seen_text, index=t.index) + _stay_text(ctx, seen_day, seen_at, t.index)
    never = (seen_at < 0) | (seen_day == _NAT_DAY) | (seen_day < since)
    return last.mask(pd.Series(never, index=t.index), "no sighting recorded since " + opened + ", counted from "
                     + fmt_date(_dates(since, t.index)))


def _stay_text(ctx: Context, seen_day: np.ndarray, seen_at: np.ndarray, index: pd.Index) -> pd.Series:
    """" (admitted; in hospital until 2 Aug 2022)" where the last sighting is a hospital stay's (`hospital_stays`:
    the gap counted from the stay's last day, after the admission's own day), else ""."""
    at = np.maximum(seen_at, 0)
    own_end = ctx.timeline["_ed"].to_numpy()[at] if len(at) else np.zeros(0, dtype="int64")
    stay = (seen_at >= 0) & (seen_day != _NAT_DAY) & (seen_day > own_end)
    out = pd.Series("", index=index, dtype=object)
    if stay.any():
        out[stay] = (" (admitted; in hospital until " + fmt_date(_dates(seen_day, index))[stay] + ")").to_numpy()
    return out


def _holders(ctx: Context, pos: np.ndarray, deadline: np.ndarray, since: np.ndarray, variant: str,
             rows: np.ndarray | None) -> np.ndarray:
    """For stretches flagged at the rows `pos` (timeline positions, in order) whose limit passed on day number
    `deadline`, the agencies that held the child's case that day ("; "-joined, sorted; "" when none), by their
    rows `rows`: on a plan, the plan's holder (plan_holder_kinds, children's social care) with a record from the
    start of the stretch (`since`) to that day; with concerns open, the agencies whose concerns made the case
    open (`open_case_concerns`' carriers: not a hospital, not a missed appointment alone) among those that see
    children and hold a case to see them in (`open_case_holder_kinds`: social care, health; not the police, not a
    school, s21 QA13 N1), recorded within the case's concern window up to that day. Each is an agency expected to have seen the child."""
    tl = ctx.timeline
    out = np.full(len(pos), "", dtype=object)
    if rows is None or not len(pos):
        return out
    case = tl["_case"].to_numpy()
    if variant == "open_concerns":
        lo = deadline - ctx.extra["concern_windows"][case[pos]]
    else:
        lo = since
    dated = np.asarray(rows, dtype=bool) & (day_numbers(tl["_day"]) != _NAT_DAY)
    events = rows_of(ctx, dated, ["_case", "_start", "_end", "agency"])
    if events.empty:
        return out
    index = pd.RangeIndex(len(pos))
    triggers = pd.DataFrame({"_case": case[pos], "lo": _dates(np.asarray(lo, dtype="int64"), index),
                             "hi": _dates(np.asarray(deadline, dtype="int64"), index)})
    pairs = window_pairs(ctx, triggers, events, "lo", "hi")
    if pairs.empty:
        return out
    named = joined(pairs["e_agency"].astype("string"), pairs["t_index"]).reindex(triggers.index).fillna("")
    return named.to_numpy(dtype=object)


def _gap_rows(ctx, pick, max_days, seen, variant, what, since, seen_day, seen_at, clock, gap,
              since_at, holders=None) -> pd.DataFrame:
    """Flags at the first contact past the limit; late action: the next sighting. When the gap is counted
    from a partial date (a sighting, or the row that opened the stretch, known only to the month: its
    latest possible day, `_last_seen` / `_run_since`), the explanation says so and the gap is a minimum
    ("at least 61 days"), as `_open_rows` says it. `holders` (per flag, the agencies holding the case:
    `_holders`): a stretch ended by another agency's sighting (variant ``..._seen_late``), flagged at that
    sighting, named against the agencies expected to see the child."""
    picked = np.zeros(len(ctx.timeline), dtype=bool)
    picked[pick] = True
    t = rows_of(ctx, picked, _COLUMNS)
    t["gap"] = gap.astype("float64")
    t["deadline"] = _dates(clock + max_days, t.index)
    t["anchor"] = _dates(clock + 1, t.index)
    # a sighting recorded after the child's death is none: censored at the death
    r, none_text = censor_at_death(ctx, t, first_response(ctx, t, seen), "; none is recorded.",
                                   "no sighting is recorded", "that contact")
    expected = f"child seen at least every {max_days} days {what}"
    if holders is not None:  # the agencies holding the case, expected to see the child
        held = pd.Series(holders, index=t.index, dtype=object)
        expected = (expected + " by the agencies holding the case (" + held + ")").mask(held == "", expected)
    out = deadline_rows(t, r, expected)
    out["variant"] = variant
    base_variant = variant.removesuffix("_seen_late")
    if base_variant == "open_concerns":
        out["severity"] = "medium"
    last = _last_text(ctx, t, since, seen_day, seen_at, base_variant)
    # the row the gap is counted from (the last sighting, or the row the stretch is counted from): a partial
    # date is counted from its latest possible day, and the explanation says so
    never = (seen_at < 0) | (seen_day == _NAT_DAY) | (seen_day < since)
    source = np.maximum(np.where(never, since_at, seen_at), 0)
    partial = pd.Series(~column_at(ctx, "_exact", source, t.index).to_numpy(dtype=bool), index=t.index)
    if partial.any():
        source_text = fmt_date(column_at(ctx, "_day", source, t.index),
                               column_at(ctx, "_shown", source, t.index))
        counted = ", a partial date: counted from its latest possible day, " + fmt_date(_dates(clock, t.index))
        opened = "the plan started" if base_variant == "cp_plan" else "concerns were open"
        from_partial = ("last recorded sighting " + source_text + counted).mask(
            pd.Series(never, index=t.index), "no sighting recorded since " + opened + ", recorded for " + source_text
            + counted)
        last = last.mask(partial, from_partial)
    at_least = pd.Series(np.where(partial, "at least ", ""), index=t.index)
    if holders is not None:
        # the stretch ended at another agency's sighting: the failing is the case holders', named
        held = pd.Series(holders, index=t.index, dtype=object)
        by = ("; the agencies holding the case (" + held + ") were expected to see the child by "
              + fmt_date(t["deadline"]) + ".").mask(held == "", "; a sighting was due by " + fmt_date(t["deadline"]) + ".")
        out["agencies"] = held.mask(held == "", t["agency"]).astype("string")
        out["explanation"] = (
            "No agency had recorded seeing the child " + what + " for " + at_least + fmt_days(t["gap"]) + " ("
            + last + "; standard " + str(max_days) + " days) when " + t["agency"] + " saw the child on "
            + fmt_date(t["_day"]) + by
        )
        return out
    out["explanation"] = (
        # what is known is what was recorded: a contact that does not record a sighting (a nursery's "attended
        # with grandmother") may still have been one
        "When " + t["agency"] + " had contact on " + fmt_date(t["_day"]) + ", no agency had recorded seeing the child "
        + what + " for " + at_least + fmt_days(t["gap"]) + " (" + last + "; standard " + str(max_days)
        + " days)"
        + outcome_text(r["action_event_id"], r["action_date"], out["delay_days"], "the next recorded sighting",
                       action_when(ctx, r["action_pos"], t.index), none_text)
    )
    return out


def _open_rows(ctx, pick, end, max_days, variant, what, since, seen_day, seen_at, clock, gap,
               since_at) -> pd.DataFrame:
    """Flags for stretches still running at the end of the review, unseen past the limit: censored at the
    end (no action, delay NA; where the end is the child's death, at least the days from the deadline to it,
    `delay_censored`); the trigger is the stretch's last exact-date contact before the end, or its
    last contact when it has only partial dates (`_open_at_end`).

    A partial date is never shown as a made-up day: the last sighting, the start of the stretch and the last
    contact are given as the chronology dates them ("March 2023"), and when the gap is counted from a
    partial date (its latest possible day, `_last_seen` / `_run_since`) the explanation says so, the gap is
    a minimum ("at least 90 days") and the deadline the latest it could have been."""
    picked = np.zeros(len(ctx.timeline), dtype=bool)
    picked[pick] = True
    t = rows_of(ctx, picked, _COLUMNS + ["_shown", "_exact"])  # `pick`: case order, one per case
    t["deadline"] = _dates(clock + max_days, t.index)
    none = pd.DataFrame({"action_event_id": pd.array([""] * len(t), dtype="string"),
                         "action_date": pd.Series(pd.NaT, index=t.index, dtype="datetime64[ns]"),
                         "action_exact": np.zeros(len(t), dtype=bool)}, index=t.index)
    out = deadline_rows(t, none, f"child seen at least every {max_days} days {what}")
    out["variant"] = variant + "_at_review_end"
    # where the review ends at the child's death, the death ended the search for a sighting: the delay is at
    # least the days from the deadline to the death (`censor_delays`), as the other rules' searches it cut
    death = death_bound(ctx, t, t["_day"], None)
    note_death_cut(ctx, t, death.where(death == _dates(end, t.index)), none["action_event_id"])
    if variant == "open_concerns":
        out["severity"] = "medium"
    index = t.index
    never = (seen_at < 0) | (seen_day == _NAT_DAY) | (seen_day < since)
    # the row the gap is counted from: the last sighting, or the row the stretch is counted from
    source = np.maximum(np.where(never, since_at, seen_at), 0)
    source_text = fmt_date(column_at(ctx, "_day", source, index), column_at(ctx, "_shown", source, index))
    partial = pd.Series(~column_at(ctx, "_exact", source, index).to_numpy(dtype=bool), index=index)
    counted = (" (a partial date: counted from its latest possible day, " + fmt_date(_dates(clock, index))
               + ")")
    opened = "the start of the plan" if variant == "cp_plan" else "the start of the open concerns"
    sighting = ("the last sighting on " + source_text).mask(partial, "the last sighting, recorded for " + source_text + counted)
    sighting = sighting + _stay_text(ctx, seen_day, seen_at, index).where(~pd.Series(never, index=index), "")
    opening = (opened + " (counted from " + fmt_date(_dates(since, index)) + ")").mask(
        partial, opened + " (recorded for " + source_text + ", a partial date: counted from its latest possible day, "
        + fmt_date(_dates(since, index)) + ")")
    start = sighting.mask(pd.Series(never, index=index), opening)
    at_least = pd.Series(np.where(partial, "at least ", ""), index=index)
    latest = pd.Series(np.where(partial, " at the latest", ""), index=index)
    last_contact = fmt_date(t["_day"], t["_shown"]).mask(
        ~t["_exact"].astype(bool), fmt_date(t["_day"], t["_shown"]) + " (a partial date)")
    out["explanation"] = (
        "No sighting of the child " + what + " is recorded between " + start + " and the end of the review on "
        + fmt_date(_dates(end, index)) + ": " + at_least + fmt_days(pd.Series(gap.astype("float64"), index=index))
        + " without a sighting recorded by any agency (standard " + str(max_days) + " days, so one was due by "
        + fmt_date(t["deadline"]) + latest + "; last contact recorded: " + t["agency"] + ", " + last_contact + ")."
    )
    return out


def hospital_name(name, words) -> bool:
    """Whether the agency name `name` names one of the hospital words `words` (whole words, case and the
    apostrophe's form set aside: "Thornbury Children's Hospital", "Kingsmere Royal Infirmary", "Westshire
    Hospitals NHS Foundation Trust"; not "Hospitality Team")."""
    text = " " + re.sub(r"[^a-z0-9&']+", " ", str(name or "").lower().replace("\u2019", "'")) + " "
    return any(" " + " ".join(str(w).lower().replace("\u2019", "'").split()) + " " in text for w in words)


def named_hospitals(ctx: Context, params: dict) -> np.ndarray:
    """Per timeline row, whether its agency is a hospital by its name (s21, QA11 D7; no agency kind is a
    hospital's alone): an agency of `hospital_name_agency_kinds` (health) whose name names one of
    `hospital_agency_words` ("Thornbury Children's Hospital", "Kingsmere Royal Infirmary") and none of
    `hospital_not_words` (a community service's: "... NHS Foundation Trust Health Visiting"). A tertiary
    hospital's outpatient clinics and day cases type as clinics, referrals or letters, never as A&E or
    admissions, yet it holds no case to visit: it sees the child when the child is brought. Each distinct
    agency name is read once."""
    tl = ctx.timeline
    out = np.zeros(len(tl), dtype=bool)
    words = params.get("hospital_agency_words") or ()
    named_kinds = ctx.kinds(params.get("hospital_name_agency_kinds") or ()).to_numpy(dtype=bool)
    if len(words) and named_kinds.any():
        codes, uniques = ctx._coded("agency")
        not_words = params.get("hospital_not_words") or ()
        hit = np.append(np.array([hospital_name(u, words) and not hospital_name(u, not_words) for u in uniques],
                                 dtype=bool), False)
        out |= hit[codes] & named_kinds
    return out


def open_case_concerns(ctx: Context, params: dict) -> tuple[np.ndarray, np.ndarray]:
    """Per timeline row, are concerns open in the sense of an open case (the module's docstring), and the rows
    that carry such a concern. A row carries one when it is dated, records a concern tag other than
    `open_concerns_ignore_tags`, and its agency is not a hospital in the case (at least half of the agency's
    rows of the case of `hospital_contact_types`, or a hospital by its kind or name: `named_hospitals`). Concerns are open at a row when the timeline's
    ``open_concerns`` there name a tag not ignored, and, when rows of the case open them, a carrier's: the
    latest carrier of its case up to and including it (timeline order) is dated at most the case's concern
    window before it (at an undated row: any earlier carrier), as the timeline's ``open_concerns`` are built.
    With nothing ignored and no hospital, exactly ``open_concerns != ""``."""
    tl = ctx.timeline
    n = len(tl)
    codes, uniques = ctx._coded("concerns")  # NA: code -1, the appended False
    ignore = {str(t) for t in (params.get("open_concerns_ignore_tags") or ())}
    keeps = np.array([any(t.strip() and t.strip() not in ignore for t in str(u).split(";")) for u in uniques]
                     + [False], dtype=bool)
    day = day_numbers(tl["_day"])
    dated = day != _NAT_DAY
    carriers = keeps[codes] & dated
    any_carrier = carriers.copy()
    kinds = params.get("hospital_contact_types") or ()
    if kinds and carriers.any():
        agency = tl["_agency"].to_numpy(dtype="int64")
        _, inverse = np.unique(agency, return_inverse=True)
        rows = np.bincount(inverse)
        hospital = np.bincount(inverse, weights=ctx.types(kinds).to_numpy(dtype=bool).astype("float64"))
        carriers &= ~(2 * hospital >= rows)[inverse]
    if carriers.any():
        carriers &= ~named_hospitals(ctx, params)
    case = tl["_case"].to_numpy()
    starts = _case_bounds(case)
    first = np.repeat(starts, np.diff(np.r_[starts, n])) if n else np.zeros(0, dtype="int64")
    window = ctx.extra["concern_windows"][case] if n else np.zeros(0, dtype="int64")

    def open_from(rows: np.ndarray) -> np.ndarray:
        last = np.maximum.accumulate(np.where(rows, np.arange(n), -1)) if n else np.zeros(0, dtype="int64")
        return (last >= first) & (~dated | (day - day[np.maximum(last, 0)] <= window))

    # the timeline's open_concerns, its ignored tags left out (the column a hand-made timeline may give
    # without the concerns that open it)...
    o_codes, o_uniques = ctx._coded("open_concerns")
    listed = np.array([any(t.strip() and t.strip() not in ignore for t in str(u).split(";")) for u in o_uniques]
                      + [False], dtype=bool)[o_codes]
    # ...unless the concerns that open it were all a hospital's
    open_ = listed & (open_from(carriers) | ~open_from(any_carrier))
    return open_, carriers


def _no_access_visits(ctx: Context, params: dict, where: np.ndarray) -> np.ndarray:
    """Per timeline row, a visit at which no one answered ("No access visit - no reply at the door"): a missed
    contact (was_not_brought, its type or tag) whose description or action names one of `no_access_words`, of
    the rows `where`. Ingest types such a row was_not_brought, not home_visit: it is a visit all the same."""
    out = np.zeros(len(ctx.timeline), dtype=bool)
    words = params.get("no_access_words") or ()
    missed = missed_contacts(ctx).to_numpy(dtype=bool) & where
    pos = np.flatnonzero(missed)
    if len(words) and len(pos):
        out[pos] = _rows_matching(ctx, pos, words)
    return out


def _left_to_was_not_brought(ctx: Context) -> np.ndarray:
    """Per timeline row, a record of an event that is evidence of a was_not_brought flag of this run
    (`review.rules.detect` keeps its flags' evidence): a pattern of missed contacts, no-access visits among
    them, is was_not_brought's one flag, not also a visit_not_seen flag per visit."""
    tl = ctx.timeline
    ids = (ctx.extra.get("evidence") or {}).get("was_not_brought")
    if not ids:
        return np.zeros(len(tl), dtype=bool)
    groups = tl["_gcode"].to_numpy()
    return np.isin(groups, groups[tl["event_id"].isin(ids).to_numpy(dtype=bool)])


def _visit_patterns(t: pd.DataFrame, r: pd.DataFrame, within_days) -> tuple[pd.DataFrame, pd.DataFrame, pd.DataFrame]:
    """The flagged visits `t` (and their responses `r`) without those continuing an earlier one's pattern: an
    unseen visit by the same agency at most `within_days` after the previous flagged one (its failed return
    visit: had the agency seen the child in between, the previous one would not be flagged). Also, per first
    visit of a pattern of several, its ``evidence`` (every visit's event id) and ``text`` (", nor at the return
    visits on 3 Feb 2023 and 9 Feb 2023")."""
    none = pd.DataFrame({"evidence": pd.Series(dtype=object), "text": pd.Series(dtype=object)})
    if len(t) < 2:
        return t, r, none
    order = t.sort_values(["_case", "_agency", "_day", "event_id"], kind="mergesort")
    day = order["_day"].to_numpy(dtype="datetime64[ns]")
    same = (order["_case"].to_numpy()[1:] == order["_case"].to_numpy()[:-1]) & (
        order["_agency"].to_numpy()[1:] == order["_agency"].to_numpy()[:-1])
    starts = np.r_[True, ~(same & ((day[1:] - day[:-1]) <= np.timedelta64(int(within_days), "D")))]
    if starts.all():
        return t, r, none
    index = order.index.to_numpy()
    leader = index[np.maximum.accumulate(np.where(starts, np.arange(len(order)), 0))]
    follows = ~starts
    later = order[follows]
    dates = fmt_date(later["_day"]).astype(str).to_numpy(dtype=object)
    rows = {}
    for lead, event, date in zip(leader[follows], later["event_id"].astype(str), dates):
        rows.setdefault(lead, ([str(order.at[lead, "event_id"])], []))
        rows[lead][0].append(event)
        rows[lead][1].append(date)
    extra = pd.DataFrame({
        "evidence": pd.Series({k: "; ".join(v[0]) for k, v in rows.items()}, dtype=object),
        "text": pd.Series({k: ", nor at the return visit" + ("s" if len(v[1]) > 1 else "") + " on "
                           + (" and ".join([", ".join(v[1][:-1]), v[1][-1]]) if len(v[1]) > 1 else v[1][0])
                           for k, v in rows.items()}, dtype=object),
    })
    keep = ~t.index.isin(later.index)
    return t[keep], r[keep], extra


@register("child_not_seen")
def child_not_seen(ctx: Context, params: dict) -> pd.DataFrame:
    """Child not seen > 14 days on a CP plan / > 42 days with concerns open; visits not seeing the child."""
    tl = ctx.timeline
    # a sighting: child_seen recorded True, or no cell recorded and the row read as one (review.sightings);
    # (s21, QA12) not the record of the child's death (`death_records`: the A&E record of a child brought in in
    # cardiac arrest, pronounced dead): no sighting of a living child; the stretch runs to the death
    seen = pd.Series(seen_mask(tl) & ~death_records(ctx), index=tl.index)
    on_plan = tl["on_cp_plan"].fillna(False).astype(bool)
    case_open, carriers = open_case_concerns(ctx, params)
    # (s20, QA9) a child living in a residential placement (case.yml looked_after) is seen daily by its care
    # staff: no unseen stretch there, nor an unseen visit there; the placing authority's statutory visits are
    # lac_visits_overdue's. A plan's visits are still owed
    residential = looked_after_rows(ctx, params.get("residential_placement_words") or ())
    case_open = pd.Series(case_open & ~residential, index=tl.index)
    open_concerns = case_open & ~on_plan
    plan_holders = ctx.kinds(params.get("plan_holder_kinds") or ()).to_numpy(dtype=bool)
    # (s21, QA13) a parent's own service's record (an adult service's, a parent's own appointment: `parents_own`)
    # is no contact with the child: no trigger, no unseen visit
    own = parents_own(ctx)
    no_contact = _no_contacts(ctx, params) | own
    parts = [
        # the plan's holder (children's social care) owes the child its visits: its own contact may be the
        # trigger where the child was seen at it (its late visit, the conference it then did not visit under)
        _gaps(ctx, on_plan, params["cp_plan_max_days"], seen, "cp_plan", "on a child protection plan",
              holders=plan_holders, case_holders=plan_holders, no_contact=no_contact),
        # a stretch ended by another agency's sighting: against the agencies whose concerns kept the case open,
        # of those that hold a case to see the child in (s21, QA13 N1: `open_case_holder_kinds`, social care and
        # health; not a school, whose concern log is no case it holds)
        _gaps(ctx, open_concerns, params["open_concerns_max_days"], seen, "open_concerns", "with concerns open",
              carriers, case_holders=carriers & ctx.kinds(_open_case_holder_kinds(params)).to_numpy(dtype=bool),
              no_contact=no_contact),
    ]

    kinds = ctx.kinds(params["visit_agency_kinds"]).to_numpy(dtype=bool)
    exact = tl["_exact"].to_numpy(dtype=bool)
    visits = (ctx.types(params["visit_contact_types"]).to_numpy(dtype=bool) | _no_access_visits(ctx, params, kinds & exact))
    visits &= kinds & not_seen_mask(tl) & (on_plan | case_open).to_numpy(dtype=bool) & exact
    visits &= ~_left_to_was_not_brought(ctx) & _born(ctx) & ~own
    t = rows_of(ctx, pd.Series(visits, index=tl.index), _COLUMNS)
    if not t.empty:
        t = due_within(t, days=params["revisit_within_days"])
        # the return visit by the same agency, a local authority under another name the same ("Westshire CSC"
        # for "Westshire Children's Services": `same_agency_codes`)
        agency_codes = same_agency_codes(ctx)
        r = first_response(ctx, t, seen, groups=agency_codes)
        t, r = t[~r["timely"].to_numpy()], r[~r["timely"]]
        # one pattern, one flag: an unseen visit by the agency within the return-visit time of one flagged
        # (no sighting by it in between) is that visit's failed return visit, evidence of its flag
        grouped, r, later = _visit_patterns(t.assign(_agency=agency_codes[t.index.to_numpy()]), r,
                                            params["revisit_within_days"])
        t = t.loc[grouped.index]
        r, none_text = censor_at_death(ctx, t, r, "; none is recorded.", "no sighting is recorded", "the visit")
        status = pd.Series(np.where(on_plan[t.index], "on a child protection plan", "with concerns open"), index=t.index)
        out = deadline_rows(t, r, "return visit by " + t["agency"] + " at which the child is seen")
        out["evidence_event_ids"] = later["evidence"].reindex(t.index).fillna(t["event_id"]).astype("string")
        out["variant"] = "visit_not_seen"
        out["_off_plan"] = ~on_plan[t.index].to_numpy(dtype=bool)
        out["severity"] = "medium"
        out["explanation"] = (
            t["agency"] + " visited on " + fmt_date(t["_day"]) + " and did not see the child (" + status
            + ")" + later["text"].reindex(t.index).fillna("").astype("string")
            + ", and recorded no sighting of the child within " + str(params["revisit_within_days"]) + " days"
            + outcome_text(r["action_event_id"], r["action_date"], out["delay_days"], "the next sighting recorded by " + t["agency"],
                           action_when(ctx, r["action_pos"], t.index), none_text)
        )
        parts.append(out)
    parts = [p for p in parts if not p.empty]
    return _open_case_sources(pd.concat(parts), params) if parts else pd.DataFrame()


def _open_case_holder_kinds(params: dict) -> list:
    """The agency kinds that hold a case with concerns open (s21, QA13 N1): `open_case_holder_kinds` (social care,
    health), else `visit_agency_kinds`. A school (education) sees a child at school every day without recording
    it; its own safeguarding log is no open case it holds, and the school holidays no unseen stretch of its
    making (QA11's Hazelmere Primary School was named as "holding the case" over Christmas on its own FII log)."""
    kinds = params.get("open_case_holder_kinds")
    return list(kinds) if kinds is not None else list(params.get("visit_agency_kinds") or ())


def _open_case_sources(out: pd.DataFrame, params: dict) -> pd.DataFrame:
    """The flags' guidance fitting their situation (s21, QA11 D7): the rule's source quotes the child protection
    plan's visiting standard (Working Together 2023 ch. 2), which a child with concerns open but no plan is not
    under; such a flag (variants ``open_concerns...``, a visit not seeing a child off a plan) quotes
    `open_case_source` instead. A flag of a child on a plan keeps the rule's source (empty here: the rule's)."""
    text = " ".join(str(params.get("open_case_source") or "").split())
    if not text:
        return out
    variant = out["variant"].astype(str)
    off_plan = variant.str.startswith("open_concerns")
    if "_off_plan" in out.columns:
        off_plan |= out["_off_plan"].fillna(False).astype(bool)
        out = out.drop(columns="_off_plan")
    return out.assign(source=np.where(off_plan.to_numpy(dtype=bool), text, ""))
