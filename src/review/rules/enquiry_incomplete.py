"""Rule `enquiry_incomplete`: a child protection enquiry that lacks its core steps (s20, QA7 Leah item 2).

Source: Working Together to Safeguard Children 2023, chapter 2 (a strategy discussion involves children's
social care, the police and health, and the referring agency; section 47 enquiries; a retraction is not on
its own a reason to end an enquiry); Achieving Best Evidence in Criminal Proceedings (Ministry of Justice 2022:
a visually recorded interview of a child alleging sexual abuse is considered); RCPCH / CSA Centre guidance (a
child who may have been sexually abused is offered a paediatric medical assessment; the CSA Centre's key
messages on retraction).

Three expectations, each its own flag (its variant):

- ``no_health_at_strategy``: a strategy discussion (a held row of the type or escalation: `types_held`,
  `held_escalations`) whose text says health was absent ("Health not invited": `health_absent_keywords`, not
  negated), or lists its attendees ("Attendees: social worker, DS Khan": `attendee_list_cues`) without a health
  professional among them (`health_attendee_words`). One flag per case and day; none when a health agency
  (`health_agency_kinds`) recorded a strategy discussion that day itself (it was there).
- ``no_education_at_strategy`` (s21, QA "Tyrese"): a strategy discussion about extra-familial harm (tagged one
  of `education_harm_tags`, or a row of the case tagged so in the `education_harm_lookback_days` up to it) of a
  child of school or training age whose text says the school or education provider was absent
  (`education_absent_keywords`: "School/PRU not invited") or lists its attendees (after `attendee_list_cues`, or
  in brackets after its name naming one of `attendee_agency_words`: "(CSC Exploitation Team, police)") without
  one (`education_attendee_words`); Working Together 2023 ch. 2. One flag per case and day; none when an
  education agency recorded that day's strategy discussion itself.
- ``closed_without_medical_or_abe``: social care's closure (a held case_closure row, a closure in its action
  cell, or a social care row whose text records no further action: `closure_keywords`) that is the first after
  a strategy discussion or section 47 enquiry (within `enquiry_window_days`) about sexual abuse (a row tagged
  one of `abe_and_medical_tags`, any agency, from `concern_lookback_days` before the enquiry began to the
  closure), with no child protection medical (`medical_keywords`, or a held cp_medical type / escalation) or no
  ABE / joint interview (`abe_keywords`) recorded by any agency in that span. Rows tagged one of
  `medical_only_tags` expect the medical alone. The flag says when the closing row gives the child's retraction
  as its reason (`retraction_keywords`), and names the rows of the enquiry's agencies (`outstanding_agency_kinds`)
  in the span recording something still awaited ("Police checks awaited", "information to follow":
  `outstanding_keywords`).
"""
from __future__ import annotations

import re

import numpy as np
import pandas as pd

from .base import (
    Context,
    closures_in_action,
    day_numbers,
    first_per_group,
    first_response,
    fmt_date,
    held_escalations,
    read_row_texts,
    register,
    rows_of,
    text_mentions,
    types_held,
)

from .domestic_abuse_not_escalated import YEAR_DAYS

#: the timeline columns the rule reads from its rows
_COLUMNS = ["event_id", "case_id", "_case", "_gcode", "_day", "agency"]

#: a case code's stride in the (case, day) keys the windows are searched with
_SPAN = np.int64(1) << np.int64(40)


def health_missing_from_list(text: str, cues, health_words) -> bool:
    """Does `text` list the attendees of a meeting (a sentence with one of `cues`: "Attendees:", "attended
    by") without naming a health professional (one of `health_words`, whole words) in the rest of that
    sentence? Lower-cased; a sentence ends at . ; ! ? or a new line."""
    low = str(text).lower()
    for sentence in re.split(r"[.;!?\n]", low):
        for cue in cues:
            at = sentence.find(str(cue).lower())
            if at < 0:
                continue
            rest = sentence[at + len(str(cue)):]
            if not rest.strip(" :,-"):
                continue  # the cue with no list after it
            if not any(re.search(r"(?<![a-z0-9])" + re.escape(str(w).lower()) + r"(?![a-z0-9])", rest)
                       for w in health_words):
                return True
    return False


#: (s21) a parenthesised list after a strategy discussion's name ("Strategy discussion (CSC Exploitation Team,
#: police)", "Strategy meeting held (SW, DS Khan, YJS)"): group 1 the list
_PARENTHESISED = re.compile(r"strategy(?: discussion| meeting| discussions| meetings)?(?: held| took place| convened)?"
                            r"\s*\(([^()\n]{1,200})\)")


def parenthesised_attendees(text: str, agency_words) -> list[str]:
    """The parenthesised lists after a strategy discussion's name in `text` that name one of `agency_words`
    (whole words: "police", "CSC", "YJS"; not "Strategy discussion (virtual)"), lower-cased (s21)."""
    low = str(text).lower()
    return [m.group(1) for m in _PARENTHESISED.finditer(low)
            if any(re.search(r"(?<![a-z0-9])" + re.escape(str(w).lower()) + r"(?![a-z0-9])", m.group(1))
                   for w in agency_words)]


def education_missing_from_list(text: str, cues, agency_words, education_words) -> bool:
    """Does `text` list a strategy discussion's attendees (after one of `cues`, as `health_missing_from_list`
    reads them, or in a parenthesised list after its name naming one of `agency_words`) without a school or
    other education provider (one of `education_words`, whole words)? (s21)"""
    if cues and health_missing_from_list(text, cues, education_words):
        return True
    return any(not any(re.search(r"(?<![a-z0-9])" + re.escape(str(w).lower()) + r"(?![a-z0-9])", listed)
                       for w in education_words)
               for listed in parenthesised_attendees(text, agency_words))


def _key(case: np.ndarray, day: np.ndarray) -> np.ndarray:
    return np.asarray(case, dtype="int64") * _SPAN + np.asarray(day, dtype="int64")


def _sorted_rows(ctx: Context, mask) -> tuple[np.ndarray, np.ndarray]:
    """The positions of the rows of `mask` and their (case, day) keys, sorted by key (then position)."""
    tl = ctx.timeline
    pos = np.flatnonzero(np.asarray(mask, dtype=bool))
    key = _key(tl["_case"].to_numpy(dtype="int64")[pos], day_numbers(tl["_day"])[pos])
    order = np.lexsort((pos, key))
    return pos[order], key[order]


def _between(rows, case, lo, hi) -> tuple[np.ndarray, np.ndarray]:
    """Per window [lo, hi] (day numbers) of `case`: the [first, last) slice of `rows` (`_sorted_rows`) in it."""
    _, key = rows
    return (np.searchsorted(key, _key(case, lo), "left"), np.searchsorted(key, _key(case, hi), "right"))


@register("enquiry_incomplete")
def enquiry_incomplete(ctx: Context, params: dict) -> pd.DataFrame:
    """A strategy discussion without health; a sexual-abuse enquiry closed without a medical or ABE (WT 2023)."""
    tl = ctx.timeline
    exact = tl["_exact"].to_numpy(dtype=bool)
    strategy = (held_escalations(ctx, ["strategy_discussion"])
                | types_held(ctx, ["strategy_discussion"])).to_numpy(dtype=bool) & exact
    frames = [f for f in (_no_health(ctx, params, strategy), _no_education(ctx, params, strategy, exact),
                          _closed_incomplete(ctx, params, strategy, exact))
              if f is not None and not f.empty]
    return pd.concat(frames, ignore_index=True) if frames else pd.DataFrame()


def _no_health(ctx: Context, params: dict, strategy: np.ndarray) -> pd.DataFrame | None:
    tl = ctx.timeline
    if not strategy.any():
        return None
    absent = text_mentions(ctx, strategy, params.get("health_absent_keywords") or ()).to_numpy(dtype=bool)
    cues, words = tuple(params.get("attendee_list_cues") or ()), tuple(params.get("health_attendee_words") or ())
    unlisted = np.zeros(len(tl), dtype=bool)
    if cues and words:
        pos = np.flatnonzero(strategy & ~absent)
        unlisted[pos] = read_row_texts(ctx, pos, lambda text, _key: health_missing_from_list(text, cues, words), dtype=bool)
    # a health agency's own record of the day's strategy discussion: health was there
    health = strategy & ctx.kinds(params.get("health_agency_kinds") or ()).to_numpy(dtype=bool)
    there = _sorted_rows(ctx, health)
    t = _absent_from(ctx, strategy & (absent | unlisted), there)
    if t is None:
        return None
    how = np.where(absent[t.index.to_numpy()], " records health as absent or not invited",
                   " lists its attendees with no health professional among them")
    return _absent_flags(t, params["no_health_expected_action"], "no_health_at_strategy",
                         params.get("no_health_severity") or "medium",
                         "The strategy discussion of " + fmt_date(t["_day"]) + " (" + t["agency"] + ")" + how
                         + ": no health agency recorded taking part. Health (the child's GP, a paediatrician"
                           " or the named nurse) is one of the agencies a strategy discussion involves.")


def _absent_from(ctx: Context, mask: np.ndarray, there: tuple) -> pd.DataFrame | None:
    """The first row of `mask` per case and day (a strategy discussion recorded without an agency) that no row
    of `there` (the absent agency's own record of a strategy discussion, `_sorted_rows`) of its case and day
    answers; None when there is none."""
    t = first_per_group(rows_of(ctx, mask, _COLUMNS), ["_case", "_day"])
    if t.empty:
        return None
    days = day_numbers(t["_day"])
    a, b = _between(there, t["_case"].to_numpy(dtype="int64"), days, days)
    t = t[b <= a]
    return None if t.empty else t


def _absent_flags(t: pd.DataFrame, expected: str, variant: str, severity: str, explanation: pd.Series) -> pd.DataFrame:
    """The flag rows of `_absent_from`'s strategy discussions: due the day they were held, no action to wait for."""
    return pd.DataFrame({
        "case_id": t["case_id"].to_numpy(),
        "trigger_event_id": t["event_id"].to_numpy(),
        "trigger_date": t["_day"].to_numpy(),
        "evidence_event_ids": t["event_id"].to_numpy(),
        "expected_action": expected,
        "expected_by": t["_day"].to_numpy(),
        "actual_action_event_id": "",
        "actual_action_date": pd.NaT,
        "delay_days": pd.NA,
        "agencies": t["agency"].to_numpy(),
        "variant": variant,
        "severity": severity,
        "explanation": explanation.to_numpy(),
    })


def _extra_familial(ctx: Context, params: dict, strategy: np.ndarray, exact: np.ndarray) -> np.ndarray:
    """The strategy discussions of `strategy` about extra-familial harm: tagged one of `education_harm_tags`
    themselves, or a row of their case (exact, any agency) tagged so from `education_harm_lookback_days`
    before their day to it."""
    tl = ctx.timeline
    tagged = ctx.tags(params.get("education_harm_tags") or ()).to_numpy(dtype=bool)
    out = strategy & tagged
    pos = np.flatnonzero(strategy & ~out)
    if len(pos) and (tagged & exact).any():
        rows = _sorted_rows(ctx, tagged & exact)
        day = day_numbers(tl["_day"])[pos]
        a, b = _between(rows, tl["_case"].to_numpy(dtype="int64")[pos],
                        day - int(params.get("education_harm_lookback_days") or 0), day)
        out[pos] = b > a
    return out


def _no_education(ctx: Context, params: dict, strategy: np.ndarray, exact: np.ndarray) -> pd.DataFrame | None:
    """(s21, QA "Tyrese") variant no_education_at_strategy: a strategy discussion about extra-familial harm
    recording the child's school or education provider as absent or not invited, or listing its attendees
    without one, of a child of school or training age; none when an education agency recorded that day's
    strategy discussion itself."""
    tl = ctx.timeline
    if not params.get("education_enabled", True) or not strategy.any():
        return None
    strategy = strategy.copy()
    age = tl["_age_days"].astype("Float64").to_numpy(dtype="float64", na_value=np.nan)
    lo, hi = params.get("education_min_age_years"), params.get("education_below_age_years")
    if lo is not None:
        strategy &= ~(age < float(lo) * YEAR_DAYS)
    if hi is not None:
        strategy &= ~(age >= float(hi) * YEAR_DAYS)
    strategy &= _extra_familial(ctx, params, strategy, exact)
    if not strategy.any():
        return None
    absent = text_mentions(ctx, strategy, params.get("education_absent_keywords") or ()).to_numpy(dtype=bool)
    cues = tuple(params.get("attendee_list_cues") or ())
    agencies = tuple(params.get("attendee_agency_words") or ())
    words = tuple(params.get("education_attendee_words") or ())
    unlisted = np.zeros(len(tl), dtype=bool)
    if words:
        pos = np.flatnonzero(strategy & ~absent)
        unlisted[pos] = read_row_texts(ctx, pos, lambda text, _key: education_missing_from_list(text, cues, agencies, words),
                                       dtype=bool)
    # an education agency's own record of the day's strategy discussion: education was there
    education = ctx.kinds(params.get("education_agency_kinds") or ()).to_numpy(dtype=bool)
    there = _sorted_rows(ctx, (held_escalations(ctx, ["strategy_discussion"]) | types_held(ctx, ["strategy_discussion"])
                               ).to_numpy(dtype=bool) & exact & education)
    t = _absent_from(ctx, strategy & (absent | unlisted), there)
    if t is None:
        return None
    how = np.where(absent[t.index.to_numpy()], " records the child's school or education provider as absent or not"
                   " invited", " lists its attendees with no school or education provider among them")
    return _absent_flags(t, params["no_education_expected_action"], "no_education_at_strategy",
                         params.get("no_education_severity") or "medium",
                         "The strategy discussion of " + fmt_date(t["_day"]) + " (" + t["agency"] + ") about"
                         " extra-familial harm (a risk of exploitation recorded)" + how
                         + ": no education agency recorded taking part. The child's school or education provider"
                           " is one of the agencies a strategy discussion involves, for extra-familial harm"
                           " especially (Working Together 2023).")


def _closed_incomplete(ctx: Context, params: dict, strategy: np.ndarray, exact: np.ndarray) -> pd.DataFrame | None:
    tl = ctx.timeline
    abe_tags, medical_tags = params.get("abe_and_medical_tags") or (), params.get("medical_only_tags") or ()
    concern = ctx.tags([*abe_tags, *medical_tags]).to_numpy(dtype=bool)
    start = (strategy | ((held_escalations(ctx, ["s47_enquiry"]) | types_held(ctx, ["s47_enquiry"])).to_numpy(dtype=bool)
                         & exact))
    if not concern.any() or not start.any():
        return None
    # only the cases with an enquiry and a concern are read further (the free text is the costly part)
    case = tl["_case"].to_numpy(dtype="int64")
    open_case = np.isin(case, np.intersect1d(case[start], case[concern]))
    social = ctx.kinds(params.get("closure_agency_kinds") or ["social care"]).to_numpy(dtype=bool) & open_case
    closing = types_held(ctx, ["case_closure"]).to_numpy(dtype=bool) | closures_in_action(ctx)
    closing |= text_mentions(ctx, social & ~closing, params["closure_keywords"], params.get("closure_negations") or (),
                             params.get("closure_other_agency_words") or ()).to_numpy(dtype=bool)
    closing &= social & exact
    if not closing.any():
        return None
    starts = first_per_group(rows_of(ctx, start & open_case, _COLUMNS), ["_case", "_day"])
    window = int(params["enquiry_window_days"])
    probe = pd.DataFrame({"_case": starts["_case"], "anchor": starts["_day"],
                          "deadline": starts["_day"] + pd.Timedelta(days=window)}, index=starts.index)
    found = first_response(ctx, probe, pd.Series(closing, index=tl.index))
    hit = found["timely"].to_numpy(dtype=bool)
    if not hit.any():
        return None
    # each closure ends the enquiries begun before it: the earliest of them starts the span read
    pairs = pd.DataFrame({"closure": found["action_pos"].to_numpy(dtype="int64")[hit],
                          "start": starts.index.to_numpy(dtype="int64")[hit]})
    pairs = pairs.groupby("closure", sort=True)["start"].min()
    t = rows_of(ctx, np.isin(np.arange(len(tl)), pairs.index.to_numpy()), _COLUMNS)
    first = tl["_day"].to_numpy()[pairs.loc[t.index.to_numpy()].to_numpy()]
    lo = day_numbers(pd.Series(first)) - int(params["concern_lookback_days"])
    hi = day_numbers(t["_day"])
    tcase = t["_case"].to_numpy(dtype="int64")

    def span(mask):
        return _between(_sorted_rows(ctx, mask), tcase, lo, hi)

    abe_rows = _sorted_rows(ctx, ctx.tags(abe_tags).to_numpy(dtype=bool) & open_case)
    abe_a, abe_b = _between(abe_rows, tcase, lo, hi)
    med_rows = _sorted_rows(ctx, ctx.tags(medical_tags).to_numpy(dtype=bool) & open_case)
    med_a, med_b = _between(med_rows, tcase, lo, hi)
    wants_abe = abe_b > abe_a
    wants_medical = wants_abe | (med_b > med_a)
    done_neg = params.get("done_negations") or ()
    medical = (held_escalations(ctx, ["cp_medical"]) | types_held(ctx, ["cp_medical"])).to_numpy(dtype=bool) & open_case
    medical |= text_mentions(ctx, open_case & ~medical, params["medical_keywords"], done_neg).to_numpy(dtype=bool)
    a, b = span(medical)
    no_medical = wants_medical & (b <= a)
    abe = text_mentions(ctx, open_case, params["abe_keywords"], done_neg).to_numpy(dtype=bool)
    a, b = span(abe)
    no_abe = wants_abe & (b <= a)
    flagged = no_medical | no_abe
    if not flagged.any():
        return None
    retracted = text_mentions(ctx, closing, params.get("retraction_keywords") or ()).to_numpy(dtype=bool)
    # what the enquiry's agencies recorded as still to come ("Police checks awaited", "information to follow")
    outstanding = text_mentions(ctx, open_case & ctx.kinds(params.get("outstanding_agency_kinds") or ()).to_numpy(dtype=bool),
                                params.get("outstanding_keywords") or ()).to_numpy(dtype=bool)
    pending = _sorted_rows(ctx, outstanding)
    pend_a, pend_b = _between(pending, tcase, lo, hi)
    dates = fmt_date(tl["_day"]).to_numpy()
    ids = tl["event_id"].astype(str).to_numpy()
    agency = tl["agency"].astype(str).to_numpy()
    rows = []
    for i in np.flatnonzero(flagged):
        pos = int(t.index[i])
        begun = int(pairs.loc[pos])
        concern_pos = np.concatenate([abe_rows[0][abe_a[i]:abe_b[i]], med_rows[0][med_a[i]:med_b[i]]])
        concern_pos = np.unique(concern_pos)
        waiting = [int(p) for p in pending[0][pend_a[i]:pend_b[i]] if p != pos]
        evidence = [ids[pos]] + [ids[p] for p in sorted({begun, *concern_pos.tolist(), *waiting}) if p != pos]
        what = ("sexual abuse" if wants_abe[i] else "a physical injury")
        missing = " and ".join(m for m, on in (("no child protection medical", no_medical[i]),
                                                 ("no Achieving Best Evidence (visually recorded) or joint interview",
                                                  no_abe[i])) if on)
        closed_on, begun_on = tl["_day"].iloc[pos], tl["_day"].iloc[begun]
        text = (f"{agency[pos]} closed on {fmt_date(pd.Series([closed_on])).iloc[0]} the enquiry about {what} begun "
                f"on {fmt_date(pd.Series([begun_on])).iloc[0]} ({agency[begun]}, {(closed_on - begun_on).days} days "
                f"before) with {missing} recorded by any agency since the concern.")
        if waiting:
            text += (" Recorded as still awaited or to follow before the closure: "
                     + "; ".join(f"{dates[p]} ({agency[p]})" for p in waiting) + ".")
        if retracted[pos]:
            text += (" The closing record gives the child's retraction as its reason; a retraction is not on its"
                     " own a reason to end an enquiry.")
        rows.append({
            "case_id": str(tl["case_id"].iloc[pos]),
            "trigger_event_id": ids[pos],
            "trigger_date": tl["_day"].iloc[pos],
            "evidence_event_ids": "; ".join(evidence),
            "expected_action": params["closure_expected_action"] if wants_abe[i] else params["medical_expected_action"],
            "expected_by": tl["_day"].iloc[pos],
            "actual_action_event_id": "",
            "actual_action_date": pd.NaT,
            "delay_days": pd.NA,
            "agencies": "; ".join(sorted({agency[p] for p in [pos, begun, *concern_pos.tolist(), *waiting]})),
            "variant": "closed_without_medical_or_abe",
            "severity": params.get("closure_severity") or "high",
            "explanation": text,
        })
    return pd.DataFrame(rows)
