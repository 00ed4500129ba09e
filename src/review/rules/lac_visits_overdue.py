"""Rule `lac_visits_overdue` (s20, QA9 defects 10 and 17): a looked-after child (case.yml `looked_after`) is
visited by the placing authority's social worker within 1 week of a placement starting, then at intervals of no
more than 6 weeks in the first year of the placement, then of no more than 3 months.

Source: the Care Planning, Placement and Case Review (England) Regulations 2010, regulation 28 (frequency of
visits), and The Children Act 1989 Guidance and Regulations Volume 2: care planning, placement and case review.

A visit is a row of the placing authority (an agency of `authority_agency_kinds` whose name names the same local
authority as the period's `placing_authority`: `review.rules.transfer_in_conference_late.local_authority`, or the
same agency name) recording the child seen (`review.sightings`): a phone call, an e-mail or another agency's
sighting is no statutory visit. Each gap past its limit is flagged at its end: at the visit that ended it
(variants ``first_visit_late``, ``visit_overdue``), or at the end of the period or of the review (``..._at_end``:
no visit since; triggered by the placing authority's last row in the period, else the case's), against the
placing authority, with the days overdue. The limit of a gap is that of its start: the first visit's
(`first_visit_days`) from the placement's start, `first_year_max_days` from a visit in the first year,
`after_first_year_max_days` from a later one. A period that began before the case's first dated record is
counted from that record (the chronologies do not cover the placement's first week), with the interval limits.

(s21) After the first year, 3-monthly visits (`after_first_year_max_days`) are for a placement intended to last
until the child is 18 (reg. 28(3)(c)(i)); any other keeps six-weekly ones (`not_long_term_max_days`, (c)(ii)).
Whether it is: the period's case.yml `long_term` (yes / no), else its placement's words (`long_term_words`:
"long-term foster care", "permanent placement"), else `unstated_long_term` (false: six weeks). The explanation says
which was read.
"""
from __future__ import annotations

import datetime as dt
import re

import numpy as np
import pandas as pd

from ..sightings import seen_mask
from .base import _NAT_DAY, Context, day_numbers, fmt_date, register
from .settings import param_or_setting
from .transfer_in_conference_late import local_authority


def _day(value: dt.date | None) -> int | None:
    return None if value is None else int(np.datetime64(value, "D").astype("int64"))


def _date_text(day: int) -> str:
    return str(fmt_date(pd.Series([np.datetime64(int(day), "D")], dtype="datetime64[ns]")).iloc[0])


def looked_after_rows(ctx: Context, placement_words=None) -> np.ndarray:
    """Per timeline row, whether the child was looked after on its day (a case.yml `looked_after` period from
    its `from` to its `to`, or open-ended); with `placement_words` (a list, None: any placement), only in a period whose `placement` mentions
    one of them (as whole words, case-insensitive: "residential", "children's home"). A partial-date row
    counts only when its whole period lies in the placement."""
    tl = ctx.timeline
    periods = ctx.extra.get("looked_after") or []
    out = np.zeros(len(tl), dtype=bool)
    if not any(periods) or not len(tl):
        return out
    words = None if placement_words is None else [str(w).lower() for w in placement_words]
    case, sd, ed = tl["_case"].to_numpy(), tl["_sd"].to_numpy(), tl["_ed"].to_numpy()
    for code, spans in enumerate(periods):
        for period in spans:
            if words is not None:
                text = period.placement.lower()
                if not any(re.search(r"(?<!\w)" + re.escape(w) + r"(?!\w)", text) for w in words):
                    continue
            lo, hi = _day(period.start), _day(period.end)
            inside = (case == code) & (sd != _NAT_DAY) & (sd >= lo)
            if hi is not None:
                inside &= ed <= hi
            out |= inside
    return out


def looked_after_authority(ctx: Context) -> np.ndarray:
    """(s20, lacnoise) Per timeline row, the placing authority of the case.yml `looked_after` period the row's
    whole period lies in (as `looked_after_rows` reads it: "Westmere Children's Social Care"; "the placing
    authority" when the period names none), '' when the child was not looked after on its day."""
    tl = ctx.timeline
    periods = ctx.extra.get("looked_after") or []
    out = np.full(len(tl), "", dtype=object)
    if not any(periods) or not len(tl):
        return out
    case, sd, ed = tl["_case"].to_numpy(), tl["_sd"].to_numpy(), tl["_ed"].to_numpy()
    for code, spans in enumerate(periods):
        for period in spans:
            lo, hi = _day(period.start), _day(period.end)
            inside = (case == code) & (sd != _NAT_DAY) & (sd >= lo) & (out == "")
            if hi is not None:
                inside &= ed <= hi
            out[inside] = period.placing_authority or "the placing authority"
    return out


def looked_after_triggers(ctx: Context, t: pd.DataFrame, params: dict) -> np.ndarray:
    """(s21) Per trigger of `t` (rows of the timeline, its positions as the index): the placing authority of the
    case.yml `looked_after` period it lies in (`looked_after_authority`), '' when the child was not looked after on
    its day or the rule's `looked_after_share` is off: a looked-after child's concern expects its record shared
    with the child's social worker there, not a referral to children's social care, which already holds the
    child (neglect_not_escalated, self_harm_not_referred, injury_not_escalated, exploitation_not_referred,
    sexual_harm_not_referred)."""
    if not params.get("looked_after_share") or t.empty:
        return np.full(len(t), "", dtype=object)
    return looked_after_authority(ctx)[t.index.to_numpy()]


def looked_after_share_params(params: dict, settings: dict, keywords=None) -> dict:
    """(s20 lacnoise; s21 shared) `referral_response`'s parameters for a looked-after child's concern: what
    answers a referral still answers (`keywords`, None: the rule's `response_keywords`), and so does the agency
    sharing its record with the child's social worker at the placing authority: a row whose informed agencies
    name an agency of `looked_after_share_kinds`, whose text says it was sent there ("Incident report e-mailed to
    Westmere CSC") or names the social worker told (`looked_after_share_keywords`, null: the setting's: "Social
    worker informed"), or the placing authority's own record of receiving it (`receipts_answer`)."""
    kinds = list(params.get("looked_after_share_kinds") or [])
    words = params.get("looked_after_share_keywords")
    words = (settings or {}).get("looked_after_share_keywords") if words is None else words
    base = params.get("response_keywords") if keywords is None else keywords
    return dict(params, response_keywords=list(base or []) + list(words or []),
                response_informed_kinds=list(dict.fromkeys([*(params.get("response_informed_kinds") or []), *kinds])),
                response_shared_in_text_kinds=list(dict.fromkeys(
                    [*(params.get("response_shared_in_text_kinds") or []), *kinds])),
                receipts_answer=True)


def looked_after_expected(authority) -> object:
    """(s21) The expected action of a looked-after child's concern, `authority` its placing authority (a text or
    a Series of them): "record shared with the child's social worker at Westmere CSC (the placing authority; the
    child is looked after)", as neglect_not_escalated words it."""
    return "record shared with the child's social worker at " + authority + " (the placing authority; the child is " \
        "looked after)"


def looked_after_missing(authority) -> object:
    """(s21) The explanation's words of a looked-after child's concern not shared: ", and it was not shared with
    the child's social worker at Westmere CSC (the child is looked after by it: no referral to children's social
    care is asked)"."""
    return ", and it was not shared with the child's social worker at " + authority + " (the child is looked " \
        "after by it: no referral to children's social care is asked)"


@register("lac_visits_overdue")
def lac_visits_overdue(ctx: Context, params: dict) -> pd.DataFrame:
    """A looked-after child's statutory visits by the placing authority overdue (1 week, 6 weeks, 3 months)."""
    tl = ctx.timeline
    periods = ctx.extra.get("looked_after") or []
    if not any(periods) or not len(tl):
        return pd.DataFrame()
    kinds = ctx.kinds(params["authority_agency_kinds"]).to_numpy(dtype=bool)
    words = param_or_setting(params, ctx.settings, "authority_words") or ()
    codes, uniques = ctx._coded("agency")
    names = [None if u is None else str(u) for u in uniques]
    authority_of = np.array([local_authority(u, words) if u is not None else "" for u in names] + [""], dtype=object)
    agency_names = np.array([(u or "").strip().lower() for u in names] + [""], dtype=object)
    case, sd, ed = tl["_case"].to_numpy(), tl["_sd"].to_numpy(), tl["_ed"].to_numpy()
    exact = tl["_exact"].to_numpy(dtype=bool)
    # a visit's day: an exact date's own; a partial date's latest possible day (a gap is never longer than certain)
    visit_day = np.where(exact, sd, ed)
    seen = seen_mask(tl)
    dated = sd != _NAT_DAY
    review_end = day_numbers(tl["_review_end"])
    ids, agency = tl["event_id"].astype(str).to_numpy(), tl["agency"].astype(object).to_numpy()
    first_days, year_days = int(params["first_visit_days"]), int(params["first_year_max_days"])
    later_days, year = int(params["after_first_year_max_days"]), int(params["first_year_days"])
    # (s21) after the first year, a placement not intended to last until the child is 18 (reg. 28(3)(c)(ii))
    other_days = int(params.get("not_long_term_max_days") if params.get("not_long_term_max_days") is not None
                     else later_days)
    rows = []
    for code, spans in enumerate(periods):
        if not spans:
            continue
        in_case = np.flatnonzero((case == code) & dated)
        if not len(in_case):
            continue
        first_record = int(sd[in_case].min())
        end_of_review = int(review_end[in_case[0]])
        for period in spans:
            start = _day(period.start)
            end = min(_day(period.end) if period.end is not None else end_of_review, end_of_review)
            if end < start:
                continue
            own = in_case[(kinds[in_case]) & (
                (authority_of[codes[in_case]] == local_authority(period.placing_authority, words))
                | (agency_names[codes[in_case]] == period.placing_authority.strip().lower()))]
            visits = own[seen[own] & (visit_day[own] >= start) & (visit_day[own] <= end)]
            visits = visits[np.lexsort((visits, visit_day[visits]))]
            clock, clock_row, first = start, -1, True
            if start < first_record:  # the records begin after the placement: counted from the first record
                clock, first = max(start, first_record), False
            placement = " ".join(p for p in (period.placement, ("at " + period.placed_at) if period.placed_at else "")
                                 if p)
            long_term, why = _long_term(period, params)
            about = (f"looked after by {period.placing_authority} (the placing authority) since {_date_text(start)}"
                     + (f"; placement: {placement}" if placement else ""))

            def limit(since: int, is_first: bool) -> tuple[int, str]:
                if is_first:
                    return first_days, f"within {first_days} days of the placement starting"
                if since < start + year:
                    return year_days, f"at least every {year_days} days in the first year of the placement"
                if long_term:
                    return later_days, (f"at least every {later_days} days after the first year of the placement, "
                                        f"which is intended to last until the child is 18 ({why})")
                return other_days, (f"at least every {other_days} days after the first year of the placement, "
                                    f"which is not intended to last until the child is 18 ({why})")

            def add(trigger: int, deadline: int, limit_text: str, variant: str, action: int, overdue: int,
                    gap_end: int):
                since_text = (f"the placement started on {_date_text(start)}" if clock_row < 0 and first
                              else f"the records begin on {_date_text(clock)}" if clock_row < 0
                              else f"it saw the child on {_date_text(clock)}")
                if action >= 0:
                    ended = (f"next saw the child on {_date_text(gap_end)}, {gap_end - clock} days later: "
                             f"{overdue} days overdue")
                else:
                    ended = (f"recorded no visit at which the child was seen by the end of the "
                             f"{'placement' if gap_end < end_of_review else 'review'} on {_date_text(gap_end)}, "
                             f"{gap_end - clock} days later: {overdue} days overdue then")
                evidence = [ids[trigger]] + [ids[p] for p in (clock_row, action) if p >= 0 and p != trigger]
                rows.append({
                    "case_id": str(tl["case_id"].iloc[trigger]),
                    "trigger_event_id": ids[trigger],
                    "trigger_date": tl["_day"].iloc[trigger],
                    "evidence_event_ids": "; ".join(dict.fromkeys(evidence)),
                    "expected_action": params["expected_action"],
                    "expected_by": pd.Timestamp(np.datetime64(int(deadline), "D")),
                    "actual_action_event_id": ids[action] if action >= 0 else "",
                    "actual_action_date": tl["_day"].iloc[action] if action >= 0 else pd.NaT,
                    "delay_days": float(overdue) if action >= 0 else pd.NA,
                    "agencies": str(agency[action]) if action >= 0 else period.placing_authority,
                    "variant": variant,
                    "explanation": (
                        f"The child was {about}. A looked-after child is visited by the placing authority's social "
                        f"worker {limit_text} (due by {_date_text(deadline)}): after {since_text}, it {ended}."),
                })

            for v in visits:
                day = int(visit_day[v])
                days, text = limit(clock, first)
                if day - clock > days:
                    add(int(v), clock + days, text, "first_visit_late" if first else "visit_overdue", int(v),
                        day - clock - days, day)
                clock, clock_row, first = day, int(v), False
            days, text = limit(clock, first)
            if end - clock > days:
                # no visit since: at the placing authority's last row in the period, else the case's
                span = in_case[(sd[in_case] >= start) & (sd[in_case] <= end)]
                pick = np.intersect1d(own, span)
                pick = pick if len(pick) else span
                if not len(pick):
                    continue
                trigger = int(pick[np.lexsort((pick, sd[pick]))][-1])
                add(trigger, clock + days, text, ("first_visit_late" if first else "visit_overdue") + "_at_end",
                    -1, end - clock - days, end)
    return pd.DataFrame(rows)


def _long_term(period, params: dict) -> tuple[bool, str]:
    """(s21) Whether a looked_after period's placement is intended to last until the child is 18, and where that
    was read: the period's case.yml `long_term`, else its placement's words (`long_term_words`, whole,
    case-insensitive), else the rule's `unstated_long_term`."""
    if period.long_term is not None:
        return bool(period.long_term), f"case.yml looked_after long_term: {'yes' if period.long_term else 'no'}"
    text = " ".join((period.placement or "", period.placed_at or "")).lower()
    for word in params.get("long_term_words") or ():
        if re.search(r"(?<!\w)" + re.escape(str(word).lower()) + r"(?!\w)", text):
            return True, f"its placement: {period.placement}"
    unstated = bool(params.get("unstated_long_term"))
    return unstated, ("case.yml looked_after does not say whether it is (long_term), read as "
                      + ("intended to" if unstated else "not") + ": rules.yml unstated_long_term")


def looked_after_evidence(contacts: pd.DataFrame, cues, supporting=()) -> list[str]:
    """Where the records say the child is looked after (`record_cues`, whole words, case-insensitive: "looked
    after", "LAC", "CLA", "s20", "placed at"), for a case whose case.yml states no `looked_after` periods: up to
    three "file row N: 'text'" places (the first in file and row order), for `review validate` to advise the
    periods. `supporting` (`record_supporting_cues`: "statutory visit") are words a looked-after child's records
    hold but not only theirs (a child protection plan's visits are statutory visits too, s21 QA12 D13): cited
    with the others only where a `record_cues` word is found, never alone. Each distinct text is read once."""
    words = [str(c).strip() for c in cues or () if str(c).strip()]
    weak = [str(c).strip() for c in supporting or () if str(c).strip()]
    if contacts.empty or not words:
        return []

    def regex(values):
        return re.compile(r"(?<!\w)(?:" + "|".join(re.escape(w) for w in sorted(values, key=len, reverse=True))
                          + r")(?!\w)", re.IGNORECASE)

    texts = (contacts["description"].astype(object).fillna("").astype(str) + " "
             + contacts["action"].astype(object).fillna("").astype(str)) if "action" in contacts else \
        contacts["description"].astype(object).fillna("").astype(str)
    distinct = pd.unique(texts.to_numpy(dtype=object))
    pattern = regex(words)
    said = {t for t in distinct if pattern.search(t)}
    if said and weak:
        pattern = regex(weak)
        said |= {t for t in distinct if pattern.search(t)}
    hits = contacts[texts.isin(said).to_numpy()]
    if hits.empty:
        return []
    hits = hits.sort_values(["source_file", "source_row"], kind="mergesort").head(3)
    return [f"{f} row {r}: {str(d).strip()[:80]!r}" for f, r, d in
            zip(hits["source_file"], hits["source_row"], hits["description"].astype(object).fillna(""))]
