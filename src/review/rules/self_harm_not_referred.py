"""Rule `self_harm_not_referred`: a child under 18 who self-harmed with no CAMHS / mental health referral or
psychosocial assessment recorded within a few days (the same or next day after a hospital presentation), and,
for repeated self-harm, no referral to children's social care or early help.

Source: NICE NG225 *Self-harm: assessment, management and preventing recurrence* (2022): a child or young
person under 18 who has self-harmed is assessed by CAMHS or a professional with specialist training (a
psychosocial assessment), and one presenting to an emergency department or admitted is assessed while there;
Working Together to Safeguard Children 2023, chapter 1-2: repeated self-harm is among the needs that call for
early help or a referral to children's social care to be considered.

A trigger is an exact-date row tagged with one of `self_harm_tags` (ingest reads whose self-harm it is: a
parent's is parental_mental_health), in a child aged `min_age_years` (NICE NG225's scope: 8 and over; a
self-harm reading about a baby or young child is a parent's) to under `max_age_years` (or of unknown age), one
per event group at its first such row. In a child of those ages (known), a row of `parent_report_tags` whose
text has a parent report self-harm with a pronoun that may be the child's ("Mum says she self-harmed last
night": ingest reads "she" as the mother) is the child's self-harm too when the child's sex (case.yml
`child_sex`) agrees with the pronoun or is not known, and the clause names none of `parent_own_words` ("Mum
says she has self-harmed in the past herself" stays the mother's; `reported_child_self_harm`). Two expectations, each its own flag (its variant):

* ``mental_health``: a row whose text mentions one of `mental_health_keywords` (a referral to CAMHS, a
  psychosocial or mental health assessment, seen by liaison psychiatry or the crisis team), not negated
  (`response_negations`) and not in a sentence that only plans, weighs or signposts it
  (`response_not_in_sentence_with`), or any contact that took place (not a missed appointment) by an agency
  whose name names one of `mental_health_agencies` (CAMHS, child and adolescent mental health: its contact
  is the response whatever its text says, but for one recording the referral going nowhere, the child not
  assessed, `mental_health_agency_declines`: "Referral declined, does not meet threshold", which is no response
  and the flag's evidence), by any agency from the trigger's day to `within_days` calendar days after
  it, `presentation_within_days` when the trigger row is a hospital presentation (`presentation_contact_types`).
  A CAMHS referral its record's text dates ("Referral to CAMHS sent 20/03/2037") answers from that day
  (`mental_health_referrals_dated`, `base.keyword_referral_day`).
  High when a presentation or a repeated episode, else medium.
* ``repeated``: an episode with at least `repeat_min_episodes` episodes (event groups, itself included) within
  `repeat_window_days` up to its day (with `receipts_not_repeat_episodes`, s18, a record of receiving another
  agency's referral of it, "GP referral: superficial cutting ..." by CAMHS or a referral social care received,
  is that agency's episode again: not counted, nor itself repeated; `_received`), and no referral to children's social care or early help within
  `repeat_within_days`: a held escalation of `escalations`, a row of `response_contact_types` by
  `response_agency_kinds` that took place, or a text mentioning `social_care_keywords` (an early help referral)
  as above. Not of an agency of `repeated_not_agency_kinds` (s20: social care's own record needs no referral to
  itself; its episodes still count towards another agency's repeat). High.

The trigger row itself may be the response. A late response is the next such row by any agency: one more than
`response_max_days` after the trigger's day is not reported, nor one after the child's death (`late_referral`),
and a flag whose trigger or deadline falls after the child's death is not raised (`censor_after_death`), as the
other referral rules do.
"""
from __future__ import annotations

import functools
import json

import numpy as np
import pandas as pd

from ..schema import MULTI_SEP
from ..vocab import _AUXILIARIES, normalise_text, tokenise
from .base import (
    Context,
    _distinct_texts,
    action_when,
    agencies_named,
    agency_declined,
    column_at,
    day_numbers,
    deadline_rows,
    due_within,
    first_per_group,
    first_response,
    fmt_date,
    late_referral,
    outcome_text,
    referral_dated_text,
    referral_receipts,
    referral_response,
    register,
    rows_of,
    text_mentions,
)
from .lac_visits_overdue import looked_after_authority, looked_after_share_params

_COLUMNS = ["event_id", "case_id", "_case", "_gcode", "_day", "_start", "_end", "agency", "contact_type",
            "_age_days", "_review_end"]
_YEAR_DAYS = 365.25
#: the subject pronoun of a parent's report and the sex of a child it may also name
_PRONOUN_SEX = {"she": "female", "he": "male"}


@functools.lru_cache(maxsize=64)
def _report_words(vocab_key: str = "") -> tuple:
    """(adult word -> "female" / "male", report words, self-harm keywords as word tuples, disclosure words) of the
    package vocabulary (vocab.yml injury_adults, injury_report_words, concerns.self_harm,
    injury_self_report_words), extended by a case's own vocab.yml (`vocab_key`, `base.vocab_key`: "" for none), as
    ingest read the case's texts."""
    vocab = _vocabulary(vocab_key)
    adults = {}
    for sex in ("female", "male"):
        for word in (vocab.get("injury_adults") or {}).get(sex) or ():
            adults[normalise_text(word)] = sex
    reports = frozenset(normalise_text(w) for w in vocab.get("injury_report_words") or ())
    keywords = tuple(sorted({tuple(normalise_text(w).split()) for w in (vocab.get("concerns") or {}).get("self_harm") or ()
                             if normalise_text(w)}, key=len, reverse=True))
    disclosures = frozenset(normalise_text(w) for w in vocab.get("injury_self_report_words") or ())
    return adults, reports, keywords, disclosures


@functools.lru_cache(maxsize=64)
def _vocabulary(vocab_key: str = "") -> dict:
    """The package vocabulary, merged with a case's own vocab.yml (`vocab_key`) as `review.config.load_vocab`
    merges it."""
    from ..config import deep_merge, package_data

    vocab = package_data("vocab.yml")
    return deep_merge(vocab, json.loads(vocab_key)) if vocab_key else vocab


def case_reporters(people, child_name=None, vocab_key: str = "") -> tuple[tuple, str]:
    """Who else in a case may report self-harm with a pronoun, as ingest reads the case: (the given names of
    its adults, case.yml `people` with an adult's role, as (name, "female" / "male" / "either") pairs sorted
    (`review.ingest.load.adult_given_names`: "Sian Wren: Mother" is ("sian", "female")), and the child's given
    name, case.yml `child_name`'s first word normalised, "" when not given)."""
    from ..ingest.load import adult_given_names

    adults = adult_given_names(_vocabulary(vocab_key), people, child_name) if people else {}
    child = normalise_text(str(child_name or "")).split()[:1]
    return tuple(sorted(adults.items())), child[0] if child else ""


def reported_child_self_harm(text: str, own_words, sex: str | None = None, adults=(), child: str = "",
                             vocab_key: str = "") -> bool:
    """Does `text` tell of a parent reporting self-harm with a pronoun that may be the child's: "<adult> <report
    word> [that] she|he [auxiliary] <self-harm keyword>" ("Mum says she self-harmed last night", "Father said
    that he has self harmed"), the pronoun agreeing with the adult and with the child's `sex` ("female" /
    "male"; None: unknown, either), and its clause naming none of `own_words` (the parent's own: "herself",
    "her own")? Ingest reads these as the parent's (parental_mental_health); in a child of NICE NG225's ages
    (8 to 17) the parent is more likely reporting the child's self-harm. Words of the package vocabulary and
    the case's own (`vocab_key`); the adults also the case's (`adults`, `case_reporters`: "Sian says she
    self-harmed" with Sian the mother in case.yml people, "either" agreeing with both pronouns). The child's own
    given name (`child`) reporting it ("Jade says she self-harmed") is the child's too, whatever words follow.
    (s18) An adult's disclosure (a disclosure word, vocab.yml injury_self_report_words: "Mum disclosed she has been
    cutting her arms", "Sian admitted she self-harmed") tells of her own self-harm, as ingest reads it: no re-reading
    (the child named instead of the pronoun, "Mum disclosed Kayleigh has been cutting her arms", ingest reads as the
    child's)."""
    words, reports, keywords, disclosures = _report_words(vocab_key)
    people = dict(adults or ())
    tokens = tokenise(text)
    own = [tuple(normalise_text(w).split()) for w in own_words or () if normalise_text(w)]
    for i, token in enumerate(tokens):
        pronoun_sex = _PRONOUN_SEX.get(token)
        if pronoun_sex is None or (sex is not None and sex != pronoun_sex) or i < 2:
            continue
        j = i - 1
        if tokens[j] == "that" and j > 1:
            j -= 1
        if tokens[j] not in reports:
            continue
        reporter = tokens[j - 1]
        by_child = bool(child) and reporter == child
        if not by_child and words.get(reporter, people.get(reporter)) not in (pronoun_sex, "either"):
            continue
        if not by_child and tokens[j] in disclosures:
            continue  # "Mum disclosed she has been cutting her arms": the mother's own disclosure
        k = i + 1
        while k < len(tokens) and tokens[k] in _AUXILIARIES:
            k += 1
        if not any(tuple(tokens[k:k + len(w)]) == w for w in keywords):
            continue
        if by_child:
            return True
        end = k
        while end < len(tokens) and not tokens[end].startswith("|"):
            end += 1
        clause = tokens[j - 1:end]
        if any(tuple(clause[m:m + len(w)]) == w for w in own for m in range(len(clause))):
            continue
        return True
    return False


def _reported_by_parent(ctx: Context, mask: np.ndarray, params: dict) -> np.ndarray:
    """Per timeline row of `mask` (a parent's self-harm as ingest read it, in a child of the rule's ages):
    `reported_child_self_harm` of its description and action with its case's `child_sex`, adults and child's
    name (case.yml `people`, `child_name`: `case_reporters`) and vocabulary, each distinct (case reading,
    description, action) read once."""
    out = np.zeros(len(ctx.timeline), dtype=bool)
    pos = np.flatnonzero(mask)
    if not len(pos):
        return out
    n_cases = len(ctx.case_ids)
    sexes = list(ctx.extra.get("child_sexes") or []) or [None] * n_cases
    people = list(ctx.extra.get("people") or []) or [None] * n_cases
    names = list(ctx.extra.get("child_names") or []) or [None] * n_cases
    keys = list(ctx.extra.get("vocab_keys") or []) or [""] * n_cases
    # each case's reading: (sex, adults, child's name, vocabulary), numbered; most cases share the first
    readings = [({"female": "female", "male": "male"}.get(x), *case_reporters(p, c, k), k)
                for x, p, c, k in zip(sexes, people, names, keys)]
    numbered: dict = {}
    codes = np.array([numbered.setdefault(r, len(numbered)) for r in readings], dtype="int64")
    distinct = list(numbered)
    per_row = np.zeros(len(ctx.timeline), dtype="int64")
    if len(codes):
        per_row[pos] = codes[ctx.timeline["_case"].to_numpy(dtype="int64")[pos]]
    inverse, first, v, row_text = _distinct_texts(ctx, pos, per_row)
    own = tuple(params.get("parent_own_words") or ())
    hits = np.array([reported_child_self_harm(row_text(i), own, *distinct[int(v[i])][:3], vocab_key=distinct[int(v[i])][3])
                     for i in first], dtype=bool)
    out[pos] = hits[inverse]
    return out


def _received(ctx: Context, mask: np.ndarray, params: dict) -> np.ndarray:
    """Per timeline row of `mask`: a record of receiving another agency's referral or notification: social
    care's (`base.referral_receipts`), or one by an agency whose name names one of `mental_health_agencies`
    (CAMHS) whose description or action mentions one of the `receipt_keywords` setting, not negated (the
    vocabulary's cues and `receipt_negations` after the words: "GP referral: 14F, superficial cutting of
    forearms", "Re-referral from school DSL", "Referral received from GP"), as social care's is read."""
    settings = ctx.settings
    out = referral_receipts(ctx) & mask
    keywords = settings.get("receipt_keywords") or ()
    if keywords and params.get("mental_health_agencies") and mask.any():
        camhs = mask & agencies_named(ctx, params["mental_health_agencies"])
        if camhs.any():
            out = out | text_mentions(ctx, camhs, keywords,
                                      tuple(str(w) for w in settings.get("receipt_negations") or ())).to_numpy(dtype=bool)
    return out


def repeated_episodes(episodes: pd.DataFrame, minimum: int, window: int) -> np.ndarray:
    """Per episode (first rows of event groups, in timeline order): at least `minimum` episodes of its case
    (itself included) within `window` days up to its day."""
    if episodes.empty:
        return np.zeros(0, dtype=bool)
    big = np.int64(1) << np.int64(32)
    keys = episodes["_case"].to_numpy().astype("int64") * big + day_numbers(episodes["_day"])
    sorted_keys = np.sort(keys, kind="stable")
    count = np.searchsorted(sorted_keys, keys, side="right") - np.searchsorted(sorted_keys, keys - window, side="left")
    return count >= int(minimum)


def self_harm_episodes(ctx: Context, episodes: pd.DataFrame, counted: np.ndarray, params: dict) -> np.ndarray:
    """Per record of `episodes` (first rows of event groups, in timeline order): the position in `episodes` of
    the first record of its self-harm episode (s20). A counted record (`counted`: not a receipt of another
    agency's referral) is a later record of the episode of the latest earlier counted record of its case dated
    at most `episode_link_days` before it whose method agrees (the methods each names, `episode_methods` words
    in its description or action, not negated: both name one in common, or either names none) and that names
    no new act (`episode_new_words`: "cut her arms again last night"): the school's "cuts seen on her forearms"
    and the GP's "cutting forearms for 3 months" six days later are one episode; an overdose three days after
    cutting is another. Chains join: each record to the latest such one."""
    n = len(episodes)
    out = np.arange(n)
    link_days = params.get("episode_link_days")
    if n < 2 or link_days is None or int(link_days) < 0:
        return out
    pos = episodes.index.to_numpy(dtype="int64")
    mask = np.zeros(len(ctx.timeline), dtype=bool)
    mask[pos] = True
    methods = np.zeros(n, dtype="int64")
    for i, words in enumerate((params.get("episode_methods") or {}).values()):
        if words:
            methods |= text_mentions(ctx, mask, list(words)).to_numpy(dtype=bool)[pos].astype("int64") << i
    # a record of a new act ("cut her arms again last night") begins an episode of its own
    fresh = text_mentions(ctx, mask, list(params.get("episode_new_words") or ())).to_numpy(dtype=bool)[pos] \
        if params.get("episode_new_words") else np.zeros(n, dtype=bool)
    case = episodes["_case"].to_numpy().astype("int64")
    day = day_numbers(episodes["_day"])
    keep = np.flatnonzero(np.asarray(counted, dtype=bool))
    # candidate earlier records: the counted ones of the same case within the link window (few per record)
    order = keep[np.lexsort((keep, day[keep], case[keep]))]
    key = case[order] * (np.int64(1) << np.int64(32)) + day[order]
    t_key = case[keep] * (np.int64(1) << np.int64(32)) + day[keep]
    rank = np.empty(n, dtype="int64")
    rank[order] = np.arange(len(order))
    lo = np.searchsorted(key, t_key - int(link_days), side="left")
    hi = rank[keep]  # strictly before it in (case, day, timeline) order
    counts = np.maximum(hi - lo, 0)
    r = np.repeat(keep, counts)
    e = order[np.repeat(lo, counts) + (np.arange(counts.sum()) - np.repeat(np.cumsum(counts) - counts, counts))]
    agree = (((methods[r] & methods[e]) != 0) | (methods[r] == 0) | (methods[e] == 0)) & ~fresh[r]
    r, e = r[agree], e[agree]
    if not len(r):
        return out
    # the latest earlier record per record: pairs come in (record, earlier order) order
    last = np.r_[r[1:] != r[:-1], True]
    from ..timeline import connected_components

    label = connected_components(n, r[last], e[last])
    # the component's smallest position is its first record (timeline order within a case)
    return label


def _days(n: int) -> str:
    return str(n) + " day" + ("s" if n != 1 else "")


def _declined_rows(ctx: Context, response: dict, cases) -> np.ndarray:
    """Per timeline row: a contact dated to the day by one of the agencies that answer by themselves
    (`response_agency_names`: CAMHS) in `cases` (case codes) whose text records the referral going nowhere, the
    child not assessed (`base.agency_declined`): no response, but the evidence of why none came."""
    tl = ctx.timeline
    if not (response.get("response_agency_names") and response.get("response_agency_declines")):
        return np.zeros(len(tl), dtype=bool)
    named = agencies_named(ctx, response["response_agency_names"]) & tl["_exact"].to_numpy(dtype=bool) \
        & np.isin(tl["_case"].to_numpy(), np.unique(np.asarray(cases)))
    return agency_declined(ctx, named, response["response_agency_declines"],
                           response.get("response_agency_assessed") or (),
                           response.get("response_agency_not_assessed") or ())


def _declined_text(ctx: Context, late_t: pd.DataFrame, r: pd.DataFrame, declined: np.ndarray,
                   max_days) -> tuple[np.ndarray, np.ndarray]:
    """(per late trigger, the event id of the first record by CAMHS of the referral going nowhere (`declined`)
    from the trigger's day to `max_days` after it (the end of the review at the latest), not after the late
    response named in `r`, "" for none; and the words the explanation ends with: ' Eastborough CAMHS recorded
    on 4 Mar 2037 that the referral was not taken up, with no assessment: no response.')."""
    n = len(late_t)
    ids, text = np.full(n, "", dtype=object), np.full(n, "", dtype=object)
    if not n or not declined.any():
        return ids, text
    until = late_t["_day"] + pd.to_timedelta(int(max_days) if max_days is not None else 36525, unit="D")
    until = until.where(until <= late_t["_review_end"], late_t["_review_end"]) if "_review_end" in late_t else until
    found = first_response(ctx, late_t.assign(anchor=late_t["_day"], deadline=until),
                           pd.Series(declined, index=ctx.timeline.index))
    has = found["timely"].to_numpy(dtype=bool, copy=True)
    response_date = r["action_date"].to_numpy(dtype="datetime64[ns]")
    has &= np.isnat(response_date) | (found["action_date"].to_numpy(dtype="datetime64[ns]") <= response_date)
    if has.any():
        pos = found["action_pos"].to_numpy(dtype="int64")[has]
        index = late_t.index[has]
        ids[has] = found["action_event_id"].to_numpy(dtype=object)[has]
        agency = column_at(ctx, "agency", pos, index).astype(object).fillna("").astype(str)
        text[has] = (" " + agency + " recorded on " + fmt_date(column_at(ctx, "_day", pos, index))
                     + " that the referral was not taken up, with no assessment: no response.").to_numpy(dtype=object)
    return ids, text


def _involved(ctx: Context, t: pd.DataFrame, params: dict) -> np.ndarray:
    """(s20, QA9 D11) Per trigger of `t`: is a mental health service (`mental_health_agencies`: CAMHS, its learning
    disability team) already involved with the child - a record by it of an open involvement (any date precision,
    its text mentioning `open_involvement_words`: "w/c 15/11/2021 Referral received ... Waiting list", "March 2022
    Choice appointment ... PBS plan") that did not record the referral going nowhere (`base.agency_declined`),
    starting on or before the trigger's day and at most `open_involvement_days` before it, and no record by it
    since of the referral declined or the child discharged (`open_involvement_closed_words`)? A single past
    appointment ("Seen with mum, low mood") is no open involvement.
    Later self-injury then is for that service to hear, not a new referral (NICE NG225). Off when
    `open_involvement_days` is not set."""
    out = np.zeros(len(t), dtype=bool)
    days, names = params.get("open_involvement_days"), params.get("mental_health_agencies")
    if days is None or not names or t.empty:
        return out
    tl = ctx.timeline
    named = agencies_named(ctx, names) & tl["_start"].notna().to_numpy(dtype=bool) \
        & np.isin(tl["_case"].to_numpy(), np.unique(t["_case"].to_numpy()))
    if not named.any():
        return out
    ended = agency_declined(ctx, named, params.get("mental_health_agency_declines") or (),
                            params.get("mental_health_agency_assessed") or (),
                            params.get("mental_health_agency_not_assessed") or ())
    if params.get("open_involvement_closed_words"):
        ended = ended | text_mentions(ctx, named & ~ended, params["open_involvement_closed_words"]).to_numpy(dtype=bool)
    opened = text_mentions(ctx, named & ~ended, params.get("open_involvement_words") or ()).to_numpy(dtype=bool) \
        if params.get("open_involvement_words") else named & ~ended
    named = opened | ended
    if not named.any():
        return out
    big = np.int64(1) << np.int64(32)
    keys = tl["_case"].to_numpy().astype("int64")[named] * big + day_numbers(tl["_start"].to_numpy()[named])
    closed = ended[named]
    order = np.lexsort((closed, keys))  # on one day a closure after the contact: closed
    keys, closed = keys[order], closed[order]
    mine = t["_case"].to_numpy().astype("int64") * big + day_numbers(t["_day"])
    at = np.searchsorted(keys, mine, side="right") - 1
    last = keys[np.maximum(at, 0)]
    return (at >= 0) & ~closed[np.maximum(at, 0)] & (last >= mine - int(days)) \
        & (last >> np.int64(32) == mine >> np.int64(32))


def _unanswered(ctx: Context, episodes: pd.DataFrame, days: np.ndarray, response: dict, params: dict, *,
                variant: str, severity: np.ndarray, what: np.ndarray, expected: str, missing: str,
                next_record: str, anchors=None) -> pd.DataFrame | None:
    """The flags of `variant`: the `episodes` (aligned with `days`, `severity` and `what`, the episode's words in
    the explanation) with no response (`referral_response` with the `response` parameters) within their
    `days`; None when every episode was answered. A late response is `late_referral`'s (not one after the
    child's death, nor one beyond `response_max_days`)."""
    t = due_within(episodes, days=np.asarray(days))
    if anchors is not None:
        t["anchor"] = anchors
    found = referral_response(ctx, t, response)
    late = ~found["timely"].to_numpy(dtype=bool)
    if not late.any():
        return None
    late_t = t[late]
    r, none_text = late_referral(ctx, late_t, found, params)
    out = deadline_rows(late_t, r, expected)
    out["variant"] = variant
    out["severity"] = np.asarray(severity, dtype=object)[late]
    # CAMHS's record that the referral went nowhere, the child not assessed, is no response but the evidence
    # of why none came: in the flag's evidence and its explanation
    declined_ids, declined_text = _declined_text(ctx, late_t, r, _declined_rows(ctx, response, late_t["_case"]),
                                                 params.get("response_max_days"))
    out["evidence_event_ids"] = pd.Series(
        [e if not d else MULTI_SEP.join(sorted({e, d})) for e, d in zip(late_t["event_id"].astype(str), declined_ids)],
        index=late_t.index, dtype="string")
    out["explanation"] = (
        late_t["agency"] + " recorded " + pd.Series(np.asarray(what, dtype=object)[late], index=late_t.index)
        + " on " + fmt_date(late_t["_day"]) + " and " + missing + " is recorded within "
        + pd.Series([_days(int(d)) for d in np.asarray(days)[late]], index=late_t.index)
        + " (by " + fmt_date(late_t["deadline"]) + ")"
        + outcome_text(r["action_event_id"], r["action_date"], out["delay_days"], next_record,
                       action_when(ctx, r["action_pos"], late_t.index), none_text,
                       dated=referral_dated_text(ctx, r, late_t.index))
        + pd.Series(declined_text, index=late_t.index)
    )
    return out


def looked_after_share_response(params: dict, settings: dict | None = None) -> dict:
    """(s20, lacnoise) `referral_response`'s parameters for a looked-after child's repeated self-harm: the
    referral to children's social care answers still (`social_care_keywords`), and so does the agency sharing its
    record with the child's social worker at the placing authority (`lac_visits_overdue.looked_after_share_params`,
    which injury_not_escalated, exploitation_not_referred and sexual_harm_not_referred read too, s21)."""
    return looked_after_share_params(dict(params, response_informed_kinds=None, response_shared_in_text_kinds=None),
                                     settings or {}, params["social_care_keywords"])


@register("self_harm_not_referred")
def self_harm_not_referred(ctx: Context, params: dict) -> pd.DataFrame:
    """A child's self-harm with no CAMHS / mental health referral or assessment within `within_days` (a
    hospital presentation: `presentation_within_days`), or repeated self-harm with no referral to children's
    social care or early help (NICE NG225; WT 2023)."""
    tl = ctx.timeline
    harmed = ctx.tags(params["self_harm_tags"]).to_numpy(dtype=bool) & tl["_exact"].to_numpy(dtype=bool)
    if params.get("max_age_years") is not None and harmed.any():
        age = tl["_age_days"].astype("Float64").to_numpy(dtype="float64", na_value=np.nan)
        harmed &= ~(age >= float(params["max_age_years"]) * _YEAR_DAYS)  # unknown age: still a child
    if params.get("min_age_years") is not None and harmed.any():
        # NICE NG225 covers people aged 8 and over: a self-harm reading in a baby or young child is a parent's
        # the words did not name (ingest reads "Mum says she self-harmed" as parental_mental_health)
        age = tl["_age_days"].astype("Float64").to_numpy(dtype="float64", na_value=np.nan)
        harmed &= ~(age < float(params["min_age_years"]) * _YEAR_DAYS)  # unknown age: still a trigger
    if params.get("parent_report_tags") and params.get("min_age_years") is not None \
            and params.get("max_age_years") is not None:
        # "Mum says she self-harmed last night" (ingest: the mother's, parental_mental_health) in a child of 8 to
        # 17 whose sex agrees with the pronoun (or is not known) is read as the mother reporting the child's
        # self-harm; not "Mum says she has self-harmed in the past herself" (`parent_own_words`), not of a boy
        age = tl["_age_days"].astype("Float64").to_numpy(dtype="float64", na_value=np.nan)
        of_age = (age >= float(params["min_age_years"]) * _YEAR_DAYS) & (age < float(params["max_age_years"]) * _YEAR_DAYS)
        told = ctx.tags(params["parent_report_tags"]).to_numpy(dtype=bool) & tl["_exact"].to_numpy(dtype=bool) \
            & of_age & ~harmed
        if told.any():
            harmed = harmed | _reported_by_parent(ctx, told, params)
    episodes = first_per_group(rows_of(ctx, harmed, _COLUMNS))
    if episodes.empty:
        return episodes.iloc[:0]
    repeat = np.zeros(len(episodes), dtype=bool)
    counted = ~_received(ctx, harmed, params)[episodes.index.to_numpy()] \
        if params.get("receipts_not_repeat_episodes") else np.ones(len(episodes), dtype=bool)
    # (s18) a record of receiving another agency's referral of the self-harm ("GP referral: 14F, superficial
    # cutting ..." by CAMHS) is that agency's episode again, not one more: not counted, nor itself repeated
    # (s20) records of one self-harm episode (`self_harm_episodes`: the school's and the GP's records of the same
    # cutting days apart) count once, where the episode began; its later records are no repeat of it, and a
    # response to it by any agency from its first record on answers each of its records
    first = self_harm_episodes(ctx, episodes, counted, params)
    opens = counted & (first == np.arange(len(episodes)))
    repeat[opens] = repeated_episodes(episodes[opens], params["repeat_min_episodes"],
                                      int(params["repeat_window_days"]))
    episode_start = episodes["_day"].to_numpy()[first]
    presentation = episodes["contact_type"].isin(list(params.get("presentation_contact_types") or [])).to_numpy(dtype=bool)
    frames = []

    # 1. the mental health response (NICE NG225), every episode
    days = np.where(presentation, int(params["presentation_within_days"]), int(params["within_days"]))
    # a contact by CAMHS itself answers too, whatever its text names ("Appointment: seen with mum, low mood,
    # safety plan agreed" by "Child and Adolescent Mental Health Service")
    # (not one recording the referral going nowhere: "Referral declined, does not meet threshold", the child not
    # assessed, `base.agency_declined`); a CAMHS referral its record's text dates answers from that day
    mental = dict(params, escalations=[], response_contact_types=[],
                  response_keywords=params["mental_health_keywords"],
                  response_agency_names=params.get("mental_health_agencies") or [],
                  response_agency_declines=params.get("mental_health_agency_declines") or [],
                  response_agency_assessed=params.get("mental_health_agency_assessed") or [],
                  response_agency_not_assessed=params.get("mental_health_agency_not_assessed") or [],
                  keyword_referrals_dated=bool(params.get("mental_health_referrals_dated")))
    what = np.where(presentation, "a self-harm presentation to hospital", "self-harm")
    in_repeat = repeat[first]  # a later record of a repeated episode is of a repeated self-harm too
    what = np.where(in_repeat, pd.Series(what, index=episodes.index) + ", repeated ("
                    + str(int(params["repeat_min_episodes"])) + " or more episodes within "
                    + str(int(params["repeat_window_days"])) + " days)", what)
    # (s20, QA9 D11) a child CAMHS (its learning disability team) is already involved with: no new referral asked
    known = _involved(ctx, episodes, params)
    frames.append(None if known.all() else _unanswered(
        ctx, episodes[~known], days[~known], mental, params, variant="mental_health",
        severity=np.where(presentation | in_repeat, "high", "medium")[~known], what=what[~known],
        expected="a referral to CAMHS or a psychosocial (mental health) assessment",
        missing="no referral to CAMHS nor a psychosocial or mental health assessment",
        next_record="the next such record by any agency", anchors=episode_start[~known]))

    # 2. repeated self-harm: a referral to children's social care or early help (Working Together 2023)
    if params.get("repeated_not_agency_kinds") and repeat.any():
        # (s20, QA9 D3) social care's own record of a repeated self-harm is no trigger for a referral to
        # social care: the child is known to it (a looked-after child's own authority); still an episode counted
        repeat &= ~ctx.kinds(params["repeated_not_agency_kinds"]).to_numpy(dtype=bool)[episodes.index.to_numpy()]
    # (s20, lacnoise) a looked-after child (case.yml `looked_after` on the episode's day) is already looked after
    # by its placing authority: no referral to children's social care is asked, but the record shared with the
    # child's social worker there (`looked_after_share`)
    authority = looked_after_authority(ctx)[episodes.index.to_numpy()] if params.get("looked_after_share") \
        else np.full(len(episodes), "", dtype=object)
    repeated_what = "repeated self-harm (" + str(int(params["repeat_min_episodes"])) + " or more episodes within " \
        + str(int(params["repeat_window_days"])) + " days)"
    for name in sorted(set(authority[repeat])):
        these = repeat & (authority == name)
        n = int(these.sum())
        if not name:
            response = dict(params, response_keywords=params["social_care_keywords"])
            expected = "a referral to children's social care or early help (repeated self-harm)"
            missing = "no referral to children's social care or early help"
            next_record = "the next such referral by any agency"
        else:
            response = looked_after_share_response(params, ctx.settings)
            expected = ("the record shared with the child's social worker at " + name + " (the placing authority; "
                        "the child is looked after): repeated self-harm")
            missing = ("no record of it shared with the child's social worker at " + name
                       + " (the child is looked after by it: no referral to children's social care is asked)")
            next_record = "the next record shared with the social worker"
        frames.append(_unanswered(
            ctx, episodes[these], np.full(n, int(params["repeat_within_days"])), response, params,
            variant="repeated", severity=np.full(n, "high", dtype=object),
            what=np.full(n, repeated_what, dtype=object), expected=expected, missing=missing,
            next_record=next_record, anchors=episode_start[these]))
    frames = [f for f in frames if f is not None]
    if not frames:
        return episodes.iloc[:0]
    return pd.concat(frames) if len(frames) > 1 else frames[0]
