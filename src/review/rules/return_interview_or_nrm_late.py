"""Rule `return_interview_or_nrm_late` (s20, QA8): the missing-children and modern-slavery timescales.

Variant ``return_interview``. Source: *Statutory guidance on children who run away or go missing from home or
care* (DfE 2014): when a child is found, an independent return home interview is offered within 72 hours of
the child's return. A trigger is an exact-date row tagged with one of `missing_tags` whose description or
action mentions the child's return (`return_keywords`: "returned home", "located", "found by", not negated),
by an agency not of `trigger_not_agency_kinds` (social care's record of the police's notification — "Police
notification: missing 27-30/09, found in Hartsford" — is that return learned of, not another one), one per
event group. The response is a row mentioning a return home interview held or offered (`interview_keywords`,
not negated by `interview_negations` — "RHI requested", "RHI not offered", "RHI to be offered" are none — and
not in a sentence with `interview_not_in_sentence_with`: "request", "plan"), or any row by an agency named as
the return home service (exploitation_not_referred's `episode_response_agency_names`), from the trigger's day
to `within_days` calendar days after it (72 hours: 3 days). A late interview is reported with its delay when it
came before the next return (it is that episode's, not the next one's) and within `response_max_days`;
otherwise "none is recorded".

Variant ``nrm``. Source: Modern Slavery Act 2015 s.52 and the *Modern Slavery: statutory guidance for England
and Wales* (Home Office; National Referral Mechanism): a first responder organisation — the police, a local
authority's children's social care — that encounters a child who may be a victim of trafficking or
exploitation (child criminal or sexual exploitation, county lines) refers the child to the NRM; a child's
consent is not needed. A trigger is the child's first exact-date row by an agency of
`nrm_first_responder_kinds` (police, social care, youth justice: exploitation_not_referred's
`first_responder_agency_kinds`) tagged with one of `exploitation_tags` (not only ruling the risk out:
`not_risk_keywords`; not an agency's receipt of another's notification, `base.agency_referral_receipts`), unless
an NRM referral was already recorded for the child by then: one flag per case (s20, QA10), the first
responders' later exploitation records up to the referral its evidence. (s21) The first record strong enough
to be reasonable grounds (`_strong`: not one whose text names only `nrm_weak_keywords`, "seen with older males",
two phones, a knife), the weak ones before it named as its context; each list in the explanation capped at
`nrm_listed_max`, then "and N more". The response is a row by
any agency mentioning an NRM referral made (`nrm_referral_keywords`, not negated by `nrm_negations` —
"NRM referral to be considered", "NRM referral agreed" are none — and not in a sentence with
`nrm_not_in_sentence_with`: "ask CSC about an NRM referral") within `nrm_within_days` calendar days (the
guidance sets no number: a review's choice). The rows that mention the NRM without a referral
(`nrm_evidence_keywords`: "NRM referral to be considered", "NRM referral agreed", "no NRM decision") from the
trigger up to the referral (or the review's end) are the flag's evidence and are named in its explanation.
"""
from __future__ import annotations

import numpy as np
import pandas as pd

from .base import (
    Context,
    _aligned,
    _mentioned,
    action_when,
    agencies_named,
    agency_referral_receipts,
    deadline_rows,
    due_within,
    first_per_group,
    first_response,
    fmt_date,
    late_triggers,
    outcome_text,
    read_row_texts,
    register,
    rows_of,
    text_mentions,
)
from ..schema import MULTI_SEP

_COLUMNS = ["event_id", "case_id", "_case", "_gcode", "_day", "agency"]


def _days(values) -> np.ndarray:
    return pd.Series(values).to_numpy(dtype="datetime64[ns]").astype("datetime64[D]").astype("int64")


def _return_interview(ctx: Context, params: dict) -> pd.DataFrame:
    tl = ctx.timeline
    not_kinds = ctx.kinds(params.get("trigger_not_agency_kinds") or []).to_numpy(dtype=bool)
    candidate = ctx.tags(params["missing_tags"]).to_numpy(dtype=bool) & tl["_exact"].to_numpy(dtype=bool) & ~not_kinds
    returned = text_mentions(ctx, candidate, params["return_keywords"], params.get("return_negations") or ())
    triggers = first_per_group(rows_of(ctx, returned, _COLUMNS))
    if triggers.empty:
        return triggers
    n = int(params["within_days"])
    triggers = due_within(triggers, days=n)
    interview = text_mentions(ctx, np.ones(len(tl), dtype=bool), params["interview_keywords"],
                              params.get("interview_negations") or (), params.get("interview_not_in_sentence_with") or ())
    names = params.get("interview_agency_names") or ()
    if names:
        interview = interview | pd.Series(agencies_named(ctx, list(names)), index=tl.index)
    found = first_response(ctx, triggers, interview)
    # an interview after the child's next return is that return's: none for this one
    case = triggers["_case"].to_numpy()
    day = _days(triggers["_day"])
    order = np.lexsort((day, case))
    nxt = np.full(len(triggers), np.iinfo("int64").max, dtype="int64")
    same = case[order][1:] == case[order][:-1]
    nxt_sorted = np.where(same, day[order][1:], np.iinfo("int64").max)
    nxt[order[:-1]] = nxt_sorted
    later = found["action_event_id"].to_numpy(dtype=object, na_value="") != ""
    after_next = later & ~found["timely"].to_numpy(dtype=bool) & (
        found["action_date"].to_numpy(dtype="datetime64[ns]").astype("datetime64[D]").astype("int64") > nxt)
    if after_next.any():
        found = found.copy()
        found.loc[after_next, "action_event_id"] = ""
        found.loc[after_next, "action_date"] = pd.NaT
        found.loc[after_next, "action_exact"] = False
        found.loc[after_next, "action_pos"] = -1
    t, r, none_text = late_triggers(ctx, triggers, found, params)
    if t.empty:
        return t
    out = deadline_rows(t, r, "an independent return home interview within " + str(n * 24) + " hours of the return")
    out["variant"] = "return_interview"
    out["severity"] = str(params.get("return_interview_severity") or "medium")
    out["explanation"] = (
        t["agency"] + " recorded the child's return from a missing episode on " + fmt_date(t["_day"])
        + " and no return home interview is recorded within " + str(n) + " days (" + str(n * 24)
        + " hours, by " + fmt_date(t["deadline"]) + ")"
        + outcome_text(r["action_event_id"], r["action_date"], out["delay_days"], "the next return home interview",
                       action_when(ctx, r["action_pos"], t.index), none_text)
    )
    return out


def _between(ctx: Context, mask: np.ndarray, t: pd.DataFrame, start: np.ndarray, end: np.ndarray) -> pd.DataFrame:
    """The rows of `mask` of each trigger's case from its `start` day to its `end` day (day numbers, both
    included), one row per (trigger, row) pair in timeline order: key (the trigger's index), m_id, text, m_day,
    m_pos (its day number and timeline position)."""
    tl = ctx.timeline
    m_pos = np.flatnonzero(mask)
    if not len(m_pos):
        return pd.DataFrame(columns=["key", "m_id", "text", "m_day", "m_pos"])
    rows = pd.DataFrame({"_case": tl["_case"].to_numpy().astype("int64")[m_pos],
                         "m_day": _days(tl["_day"].to_numpy()[m_pos]),
                         "m_id": np.asarray(tl["event_id"].to_numpy()[m_pos], dtype=object),
                         "m_agency": np.asarray(tl["agency"].to_numpy()[m_pos], dtype=object),
                         "m_date": tl["_day"].to_numpy()[m_pos], "m_pos": m_pos})
    trig = pd.DataFrame({"key": t.index, "_case": t["_case"].to_numpy().astype("int64"), "t_day": start, "end": end})
    pairs = trig.merge(rows, on="_case")
    pairs = pairs[(pairs["m_day"] >= pairs["t_day"]) & (pairs["m_day"] <= pairs["end"])]
    pairs = pairs.sort_values(["key", "m_day", "m_pos"], kind="stable")
    pairs["text"] = pairs["m_agency"] + " on " + fmt_date(pd.Series(pairs["m_date"].to_numpy(), index=pairs.index))
    return pairs[["key", "m_id", "text", "m_day", "m_pos"]]


def _listed(rows: pd.DataFrame, cap) -> pd.Series:
    """Per key of `rows` (`_between`'s, in timeline order) its texts joined ("X on 1 Mar 2023; by Y on ..."):
    the first `cap` only, then "and N more" (s21: a case with forty later records is read, not listed; None
    lists all)."""
    rank = rows.groupby("key", sort=False).cumcount().to_numpy()
    shown = rows if cap is None else rows[rank < int(cap)]
    text = shown.groupby("key", sort=False)["text"].agg("; by ".join)
    if cap is not None:
        extra = rows.groupby("key", sort=False).size() - int(cap)
        extra = extra[extra > 0]
        if len(extra):
            text.loc[extra.index] = text.loc[extra.index] + " and " + extra.astype(str) + " more"
    return text


def _strong(ctx: Context, exploited: np.ndarray, params: dict) -> np.ndarray:
    """The rows of `exploited` strong enough to be reasonable grounds to believe the child a victim (the NRM
    statutory guidance's test for a first responder's referral): all but those whose text names only weak
    signs, one of `nrm_weak_keywords` ("seen with older males", "gets lifts", two phones, a knife) and none of
    the other words of the tags' vocabulary (vocab.yml concerns, the package's: "county lines", "trap house",
    "PWITS", "debt bondage", "exploitation" named). A row tagged by its concerns cell alone, no sign in its
    text, is the agency's own judgement: strong."""
    weak_words = [str(w) for w in params.get("nrm_weak_keywords") or ()]
    if not weak_words or not exploited.any():
        return exploited
    from ..config import package_data
    from ..vocab import normalise_text

    concerns = package_data("vocab.yml").get("concerns") or {}
    weak_set = {normalise_text(w) for w in weak_words}
    other = sorted({str(w) for tag in params["exploitation_tags"] for w in concerns.get(tag) or ()
                    if normalise_text(str(w)) not in weak_set})
    named_weak = text_mentions(ctx, exploited, weak_words).to_numpy(dtype=bool)
    if not named_weak.any():
        return exploited
    # the weak rows are few and the other words many (too many for one vectorised search): each distinct text
    # of the weak rows read once
    pos = np.flatnonzero(named_weak)
    named_other = np.zeros(len(exploited), dtype=bool)
    named_other[pos] = read_row_texts(ctx, pos, lambda text, key: _mentioned(text, other, (), (), key), dtype=bool)
    return exploited & ~(named_weak & ~named_other)


def _nrm(ctx: Context, params: dict) -> pd.DataFrame:
    tl = ctx.timeline
    exact = tl["_exact"].to_numpy(dtype=bool)
    responders = ctx.kinds(params["nrm_first_responder_kinds"]).to_numpy(dtype=bool)
    exploited = ctx.tags(params["exploitation_tags"]).to_numpy(dtype=bool) & exact & responders
    if params.get("nrm_trigger_not_receipts", True) and exploited.any():
        # (s20, QA10) an agency's record of receiving another agency's notification ("PPN received: missing
        # episode 28/01, located with older males" by social care) is that agency's encounter, no new one
        exploited &= ~agency_referral_receipts(ctx)
    if params.get("not_risk_keywords") and exploited.any():
        exploited &= ~text_mentions(ctx, exploited, params["not_risk_keywords"]).to_numpy(dtype=bool)
    if not exploited.any():
        return rows_of(ctx, exploited, _COLUMNS).iloc[:0]
    # (s21) the NRM clock starts at the first record giving reasonable grounds, not at a weak sign alone
    strong = _strong(ctx, exploited, params)
    weak = exploited & ~strong
    exploited = strong
    if not exploited.any():
        return rows_of(ctx, exploited, _COLUMNS).iloc[:0]
    everywhere = np.ones(len(tl), dtype=bool)
    referral = text_mentions(ctx, everywhere, params["nrm_referral_keywords"], params.get("nrm_negations") or (),
                             params.get("nrm_not_in_sentence_with") or ()).to_numpy(dtype=bool)
    # (s20, QA10) one flag per case: the child's first exploitation record by a first responder (whichever),
    # unless the child was already referred; the later ones up to the referral are its evidence
    triggers = first_per_group(rows_of(ctx, exploited, _COLUMNS), ["_case"])
    case_codes = tl["_case"].to_numpy().astype("int64")
    first_ref = np.full(int(case_codes.max()) + 1 if len(case_codes) else 1, np.iinfo("int64").max, dtype="int64")
    ref_pos = np.flatnonzero(referral & exact)
    if len(ref_pos):
        np.minimum.at(first_ref, case_codes[ref_pos], _days(tl["_day"].to_numpy()[ref_pos]))
    t_case = triggers["_case"].to_numpy().astype("int64")
    triggers = triggers[_days(triggers["_day"]) <= first_ref[t_case]]
    if triggers.empty:
        return triggers
    n = int(params["nrm_within_days"])
    triggers = due_within(triggers, days=n)
    found = first_response(ctx, triggers, pd.Series(referral, index=tl.index))
    t, r, none_text = late_triggers(ctx, triggers, found, {"response_max_days": params.get("nrm_response_max_days")})
    if t.empty:
        return t
    out = deadline_rows(t, r, "a National Referral Mechanism (NRM) referral by a first responder")
    out["variant"] = "nrm"
    out["severity"] = str(params.get("nrm_severity") or "high")
    # the evidence, from the trigger's day to the referral (or the review's end): the first responders' later
    # records of exploitation, and the rows that mention the NRM without a referral made ("to be considered")
    t_day = _days(t["_day"])
    end = np.where(r["action_event_id"].to_numpy(dtype=object, na_value="") != "",
                   _days(r["action_date"].fillna(pd.Timestamp("2262-01-01"))), np.iinfo("int64").max)
    trig_pos = np.zeros(len(tl), dtype=bool)
    trig_pos[tl.index.get_indexer(t.index)] = True
    later = _between(ctx, exploited & ~trig_pos, t, t_day, end)
    mention = text_mentions(ctx, exact & ~referral, params["nrm_evidence_keywords"]).to_numpy(dtype=bool)
    said_rows = _between(ctx, mention, t, t_day, end)
    evidence = pd.Series("", index=t.index, dtype=object)
    said = pd.Series("", index=t.index, dtype=object)
    if len(later) or len(said_rows):
        both = pd.concat([later, said_rows]) if len(later) and len(said_rows) else (later if len(later) else said_rows)
        both = both.drop_duplicates(["key", "m_pos"]).sort_values(["key", "m_day", "m_pos"], kind="stable")
        evidence = evidence.add(both.groupby("key", sort=False)["m_id"].agg(MULTI_SEP.join).reindex(t.index).fillna(""),
                                fill_value="")
    # (s21) the weak signs before the trigger (no reasonable grounds alone) are its context: named, evidence too
    earlier = _between(ctx, weak, t, np.full(len(t), np.iinfo("int64").min), t_day - 1)
    cap = params.get("nrm_listed_max")
    context = pd.Series("", index=t.index, dtype=object)
    before = pd.Series("", index=t.index, dtype=object)
    if len(earlier):
        context = ("; earlier, weaker signs of exploitation (no reasonable grounds alone) recorded by "
                   + _listed(earlier, cap)).reindex(t.index).fillna("")
        before = earlier.groupby("key", sort=False)["m_id"].agg(MULTI_SEP.join).reindex(t.index).fillna("")
    if len(later):
        said = said.add(("; later records of a risk of exploitation by " + _listed(later, cap)
                         ).reindex(t.index).fillna(""), fill_value="")
    if len(said_rows):
        said = said.add(("; the NRM is mentioned with no referral made by " + _listed(said_rows, cap)
                         ).reindex(t.index).fillna(""), fill_value="")
    ids = t["event_id"].astype(object).to_numpy()
    for part in (before.to_numpy(dtype=object), evidence.to_numpy(dtype=object)):
        ids = np.where(part != "", ids + MULTI_SEP + part, ids)
    out["evidence_event_ids"] = ids
    out["explanation"] = (
        t["agency"] + ", a first responder, recorded a risk of child exploitation on " + fmt_date(t["_day"])
        + " and no National Referral Mechanism referral is recorded within " + str(n) + " days (by "
        + fmt_date(t["deadline"]) + ")" + pd.Series(_aligned(context, t.index), index=t.index)
        + pd.Series(_aligned(said, t.index), index=t.index)
        + outcome_text(r["action_event_id"], r["action_date"], out["delay_days"], "the NRM referral",
                       action_when(ctx, r["action_pos"], t.index), none_text)
    )
    return out


@register("return_interview_or_nrm_late")
def return_interview_or_nrm_late(ctx: Context, params: dict) -> pd.DataFrame:
    """A return home interview not within 72 hours of a missing child's return (DfE 2014); a first
    responder's record of exploitation with no NRM referral (Modern Slavery Act 2015 s.52)."""
    frames = []
    if params.get("return_interview_enabled", True):
        frames.append(_return_interview(ctx, params))
    if params.get("nrm_enabled", True):
        frames.append(_nrm(ctx, params))
    frames = [f for f in frames if len(f)]
    if not frames:
        return rows_of(ctx, np.zeros(len(ctx.timeline), dtype=bool), _COLUMNS)
    return pd.concat(frames) if len(frames) > 1 else frames[0]
