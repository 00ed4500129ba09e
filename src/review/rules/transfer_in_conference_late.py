"""Rule `transfer_in_conference_late`: a child subject to a child protection plan moves into another local
authority, and the receiving authority holds no transfer-in child protection conference within 15 working
days of being notified.

Source: Working Together to Safeguard Children 2023, chapter 4 (children subject to a plan moving between
local authorities) and the inter-authority transfer procedures (e.g. the London Safeguarding Children
Procedures, "Children subject to a child protection plan moving between authorities"): the receiving
authority holds a transfer-in conference within 15 working days of the notification; until then the sending
authority keeps the plan (its closing the case first is closure_with_open_concerns' to flag).

The trigger is the receiving social care's record of the notification: a row of `agency_kinds` whose text
mentions `transfer_keywords` ("Transfer-in notification from Eastshire received", "notification of
transfer"), not negated ("transfer-in request declined") and not in a sentence saying it was sent
(`sending_words`: the sending authority's "Transfer-in notification sent to Westshire" is no notification
received) nor one refusing or calling it off (`refusal_words`, anywhere in the sentence: "Transfer-in request
from Eastshire declined", "family did not move"), for a child on a plan: a plan is open on its day (`on_cp_plan`), or its text says so
(`plan_keywords`, not negated). A conference row is no notification. The requirement: a child protection
conference (a row of the type or escalation that took place, `types_held` / `held_escalations`; "transfer-in
conference" is read as one) recorded by the same local authority: the notification's agency, or an agency of
`agency_kinds` whose name names the same authority once the words naming its service are set aside
(`authority_words`, `local_authority`: "Westshire Children's Services", "Westshire Children's Social Care" and
"Westshire CSC" are Westshire; Eastshire's are not). A later notification by the same authority before that
authority's next conference is the same transfer: one flag, from the first.
"""
from __future__ import annotations

import datetime as dt
import functools
import re

import numpy as np
import pandas as pd

from ..ingest.dates import DateParseError, parse_date
from ..vocab import Phrases, normalise_text

from ..workdays import working_days_between
from .settings import param_or_setting
from .base import (
    Context,
    _day_texts,
    _keyword_patterns,
    _negating_vocab,
    _phrases,
    _rows_matching,
    _same_sentence,
    _texts,
    row_vocabs,
    action_when,
    censor_at_death,
    deadline_rows,
    due_within,
    first_per_group,
    first_response,
    fmt_date,
    held_escalations,
    outcome_text,
    register,
    rows_of,
    text_mentions,
    types_held,
)

#: the timeline columns the rule reads from its rows (selected before the rows are)
_COLUMNS = ["event_id", "case_id", "_case", "_agency", "_gcode", "_day", "_review_end", "agency", "on_cp_plan"]
#: words of an agency's name that are no part of its authority's name ("the", "of": "London Borough of Westshire")
_FILLERS = frozenset({"the", "of", "and", "for"})


@functools.lru_cache(maxsize=4096)
def _authority(agency: str, words: tuple) -> str:
    tokens = normalise_text(agency).split()
    phrases = sorted({tuple(normalise_text(w).split()) for w in words if normalise_text(w)}, key=len, reverse=True)
    kept, i = [], 0
    while i < len(tokens):
        phrase = next((p for p in phrases if tuple(tokens[i:i + len(p)]) == p), None)
        if phrase is not None:
            i += len(phrase)
            continue
        if tokens[i] not in _FILLERS:
            kept.append(tokens[i])
        i += 1
    return " ".join(kept) if kept else " ".join(tokens)


def local_authority(agency, words) -> str:
    """The local authority a social care agency's name names: the name normalised (`review.vocab.normalise_text`)
    without the phrases of `words` (those naming the service: "children's services", "social care", "CSC",
    "county council") nor "the", "of", "and", "for": "Westshire Children's Social Care", "Westshire CSC" and
    "Westshire County Council Children's Services" are all "westshire". A name of nothing but such words
    ("Children's Social Care") is its whole normalised name: it matches only itself. "" for no name."""
    if agency is None or agency is pd.NA or (isinstance(agency, float) and agency != agency):
        return ""
    return _authority(str(agency), tuple(str(w) for w in words or ()))


def same_agency_codes(ctx: Context) -> np.ndarray:
    """Per timeline row, an int64 code equal for the rows of one case by the same agency, a local authority under
    another name being the same (settings.authority_agency_kinds, settings.authority_words: "Westshire CSC" is
    "Westshire Children's Services"): the follow-up "by the same agency" was_not_brought and child_not_seen's
    visits look for, as transfer_in_conference_late's conference by the same authority (`_authority_codes`).
    Kept in the context (read-only)."""
    if "same_agency_codes" not in ctx.extra:
        codes = _authority_codes(ctx, ctx.settings.get("authority_agency_kinds") or (),
                                 ctx.settings.get("authority_words") or ())
        codes.flags.writeable = False
        ctx.extra["same_agency_codes"] = codes
    return ctx.extra["same_agency_codes"]


def _authority_codes(ctx: Context, kinds, words) -> np.ndarray:
    """Per timeline row, an int64 code equal for the rows of one case whose agency is the same local authority:
    an agency of `kinds` by `local_authority` of its name, any other by its name alone. Each distinct agency
    name is read once."""
    tl = ctx.timeline
    codes, uniques = ctx._coded("agency")
    of_kind = ctx.kinds(kinds).to_numpy(dtype=bool)
    names = np.append(np.asarray(uniques, dtype=object), None)  # code -1 (no agency): None
    authorities = np.array(["la:" + local_authority(u, words) if u is not None else "" for u in names], dtype=object)
    own = np.array(["ag:" + str(u) if u is not None else "" for u in names], dtype=object)
    keys = np.where(of_kind, authorities[codes], own[codes])
    key_codes, distinct = pd.factorize(keys)
    return tl["_case"].to_numpy(dtype="int64") * np.int64(len(distinct) + 1) + key_codes.astype("int64")


def _sends(text: str, keywords: tuple, sending: tuple, vocab: str = "") -> bool:
    """Does `text` mention one of `keywords` (a transfer) in a sentence naming one of `sending` ("Transfer-in
    notification sent to Kelsham Children's Services"): the sending authority's record of its notification?"""
    v = _negating_vocab((), vocab)
    tokens = v.tokens(text)
    joined = " ".join(tokens)
    patterns, _, _ = _keyword_patterns(keywords, False)
    found = set()
    for pattern in patterns:
        found.update(pattern.findall(joined))
    if not found:
        return False
    spans = v.find_spans(tokens, Phrases(found))
    named = [start for start, _, _ in _phrases(sending).find(tokens)]
    return any(_same_sentence(tokens, i, k[0]) for k in spans for i in named)


def _senders(ctx: Context, candidates: np.ndarray, authority: np.ndarray, keywords, sending) -> np.ndarray:
    """(s21, QA12 D1) Per timeline row of `candidates`, a record of the sending authority: its authority
    (`authority`, `_authority_codes`) recorded, on that day or before, that it sent the transfer notification
    (`_sends`: "Transfer-in notification sent to Kelsham ...; Case remains open to Westmoor until transfer-in
    conference"): the rest of that record, and its later records of the transfer, are no notification it
    received. The rows' texts are read once per distinct (vocabulary, description, action)."""
    tl = ctx.timeline
    out = np.zeros(len(tl), dtype=bool)
    every = np.flatnonzero(candidates)
    if not len(every) or not len(sending):
        return out
    # only the rows naming a sending word and a transfer keyword are read (one vectorised search each)
    pos = every[_rows_matching(ctx, every, sending)]
    if len(pos):
        pos = pos[_rows_matching(ctx, pos, keywords)]
    if not len(pos):
        return out
    (d_codes, d_uniques), (a_codes, a_uniques) = _texts(ctx, "description"), _texts(ctx, "action")
    numbers, keys = row_vocabs(ctx)
    keywords, sending = tuple(map(str, keywords)), tuple(map(str, sending))
    read = {}
    sends = np.zeros(len(pos), dtype=bool)
    for n, i in enumerate(pos.tolist()):
        key = (int(numbers[i]), int(d_codes[i]), int(a_codes[i]))
        if key not in read:
            read[key] = _sends(str(d_uniques[key[1]]) + " . " + str(a_uniques[key[2]]), keywords, sending,
                               keys[key[0]])
        sends[n] = read[key]
    if not sends.any():
        return out
    day = tl["_day"].to_numpy(dtype="datetime64[ns]")
    first = pd.Series(day[pos[sends]]).groupby(authority[pos[sends]]).min()
    since = pd.Series(authority[every]).map(first).to_numpy(dtype="datetime64[ns]")
    out[every] = ~np.isnat(since) & (day[every] >= since)
    return out


#: "booked for 19/10/2023", "arranged for 19 October 2023": the booking words then the date (up to three words)
_BOOKED = re.compile(r"\b(?:booked|arranged|scheduled|listed|planned|fixed|set)\s+(?:for|on)\s+(?:the\s+)?"
                     r"([^\s;,()]+(?:\s+[^\s;,()]+){0,2})", re.IGNORECASE)
#: the words of a row that make a booking one of a conference
_CONFERENCE = re.compile(r"\b(?:conference|icpc|ticpc|rcpc|cp conf|cpc)\b", re.IGNORECASE)


def booked_date(text) -> dt.date | None:
    """(s21, QA12 D1) The day a record books a child protection conference for: "Transfer-in conference booked for
    19/10/2023 (first chair availability)" -> 19 October 2023; None when it books none, or no conference, or the
    date is not a day (`review.ingest.dates.parse_date`, day precision: "booked for October" is none). The
    longest reading of up to three words after the booking words that is a day wins ("19 October 2023")."""
    if not isinstance(text, str) or not _CONFERENCE.search(text):
        return None
    for match in _BOOKED.finditer(text):
        words = match.group(1).split()
        for n in range(len(words), 0, -1):
            candidate = " ".join(words[:n]).rstrip(".:")
            try:
                parsed = parse_date(candidate)
            except (DateParseError, ValueError, TypeError):
                continue
            if parsed.precision == "day":
                return parsed.date.date()
    return None


def _booked_late(ctx: Context, t: pd.DataFrame, authority: np.ndarray, kinds) -> pd.DataFrame:
    """(s21, QA12 D1) For notifications `t` (with ``deadline`` and ``_review_end``), the first record by the same
    local authority (`authority`, of `kinds`), dated to the day from the notification's day up to its deadline and
    the end of the review (the date of death or the review date), that books the conference for a day after the
    deadline (`booked_date`): the conference was known to be late while the child was alive, though the deadline
    fell after the death or the review. Columns ``booking_pos`` (timeline position) and ``booked`` (the day booked
    for), on `t`'s index; only the notifications with one."""
    tl = ctx.timeline
    empty = pd.DataFrame({"booking_pos": pd.Series(dtype="int64"), "booked": pd.Series(dtype="datetime64[ns]")})
    rows = ctx.kinds(kinds).to_numpy(dtype=bool) & tl["_exact"].to_numpy(dtype=bool)
    pos = np.flatnonzero(rows)
    if not len(t) or not len(pos):
        return empty
    pos = pos[_rows_matching(ctx, pos, ["booked for", "arranged for", "scheduled for", "listed for", "planned for",
                                        "fixed for", "set for", "booked on", "arranged on", "scheduled on"])]
    if not len(pos):
        return empty
    text = (tl["description"].iloc[pos].astype(object).fillna("").astype(str) + " . "
            + tl["action"].iloc[pos].astype(object).fillna("").astype(str))
    days = {u: booked_date(u) for u in pd.unique(text.to_numpy(dtype=object))}  # each distinct text read once
    booked = pd.to_datetime(pd.Series([days[u] for u in text.to_numpy(dtype=object)], dtype=object))
    keep = booked.notna().to_numpy()
    if not keep.any():
        return empty
    bookings = pd.DataFrame({"code": authority[pos[keep]], "b_day": tl["_day"].to_numpy(dtype="datetime64[ns]")[pos[keep]],
                             "booking_pos": pos[keep], "booked": booked[keep].to_numpy(dtype="datetime64[ns]")})
    probe = pd.DataFrame({"t_index": t.index.to_numpy(), "code": authority[t.index.to_numpy()],
                          "day": t["_day"].to_numpy(dtype="datetime64[ns]"),
                          "deadline": t["deadline"].to_numpy(dtype="datetime64[ns]"),
                          "end": t["_review_end"].to_numpy(dtype="datetime64[ns]")})
    pairs = probe.merge(bookings, on="code")
    limit = np.minimum(pairs["deadline"].to_numpy(dtype="datetime64[ns]"),
                       pairs["end"].fillna(pairs["deadline"]).to_numpy(dtype="datetime64[ns]") + np.timedelta64(1, "D"))
    late = ((pairs["b_day"] >= pairs["day"].dt.normalize()) & (pairs["b_day"].to_numpy() < limit)
            & (pairs["booked"] > pairs["deadline"].dt.normalize()))
    pairs = pairs[late.to_numpy(dtype=bool)].sort_values(["t_index", "booking_pos"], kind="mergesort")
    pairs = pairs.drop_duplicates("t_index")
    return pairs.set_index("t_index")[["booking_pos", "booked"]].rename_axis(None)


@register("transfer_in_conference_late")
def transfer_in_conference_late(ctx: Context, params: dict) -> pd.DataFrame:
    """Transfer-in notification of a child on a CP plan, no transfer-in conference within 15 working days."""
    tl = ctx.timeline
    conference = held_escalations(ctx, ["cp_conference"]) | types_held(ctx, ["cp_conference"])
    # the receiving social care's record of the notification; the text is read only on its rows, dated to
    # the day (a deadline is anchored on a day), that are no conference: free text is the costly part at scale
    candidates = ctx.kinds(params["agency_kinds"]) & tl["_exact"] & ~conference & ~ctx.types(["cp_conference"])
    # not in a sentence saying it was sent, or that the transfer was refused or called off: a refusal is
    # often written further along ("Transfer-in request from Eastshire declined")
    notified = text_mentions(ctx, candidates, params["transfer_keywords"], params["transfer_negations"],
                             [*params["sending_words"], *(params.get("refusal_words") or ())])
    authority = _authority_codes(ctx, params["agency_kinds"], param_or_setting(params, ctx.settings, "authority_words")
                                 or ())
    # (s21, QA12 D1) the sending authority's records of the transfer are no notification it received
    notified &= ~_senders(ctx, candidates.to_numpy(dtype=bool), authority, params["transfer_keywords"],
                          params["sending_words"])
    if not notified.any():
        return rows_of(ctx, notified, _COLUMNS)
    # a child on a plan: one open on the day, or the notification says so ("CP plans (neglect)")
    on_plan = tl["on_cp_plan"].fillna(False).to_numpy(dtype=bool)
    says_plan = text_mentions(ctx, notified & ~on_plan, params["plan_keywords"]).to_numpy(dtype=bool)
    triggers = first_per_group(rows_of(ctx, notified.to_numpy(dtype=bool) & (on_plan | says_plan), _COLUMNS))
    if triggers.empty:
        return triggers
    n = int(params["working_days"])
    triggers = due_within(triggers, working_days=n)
    # the conference by the same local authority: the notification's agency or another of its social care
    # agencies by the authority's name ("Westshire Children's Services" notified, "Westshire CSC" conference)
    response = first_response(ctx, triggers, conference, groups=authority)
    # a later notification by the same authority with no conference of its own between is the same transfer
    # (the sending authority's reminder, one per sibling, the request then its acceptance): the first counts
    trigger_authority = authority[triggers.index.to_numpy()]  # the prepared timeline's labels are its positions
    order = np.argsort(trigger_authority, kind="stable")  # each authority's, in timeline order
    agency = trigger_authority[order]
    pos = response["action_pos"].to_numpy()[order]
    repeat = np.zeros(len(triggers), dtype=bool)
    repeat[order[1:]] = (agency[1:] == agency[:-1]) & (pos[1:] == pos[:-1])
    # a notification still inside its time when the review period ends is not (yet) a missed point
    ended = (triggers["deadline"] < triggers["_review_end"]).to_numpy(dtype=bool)
    missed = ~response["timely"].to_numpy(dtype=bool) & ~repeat & ended
    # (s21, QA12 D1) a notification whose deadline the review's end (the child's death) came before, but for which
    # the authority had already booked the conference for a day past the deadline: late, known while the child
    # was alive
    open_ = ~response["timely"].to_numpy(dtype=bool) & ~repeat & ~ended
    booked = _booked_late(ctx, triggers[open_], authority, params["agency_kinds"]) if open_.any() else None
    t = triggers[missed]
    end = t["_review_end"]
    review_end_text = "; none is recorded by the end of the review period on " + fmt_date(end) + "."
    # a conference after the child's death is not the one the transfer needed: censored at the death
    r, none_text = censor_at_death(ctx, t, response[missed], review_end_text.to_numpy(dtype=object),
                                   "no conference is recorded", "the notification")
    out = deadline_rows(t, r, "transfer-in child protection conference by the receiving authority")
    # the gap in working days: to the conference, else to the end of the search (the review end: the review
    # date or the child's death, whichever is earlier)
    found = r["action_event_id"].fillna("").to_numpy(dtype=object) != ""
    until = pd.Series(np.where(found, r["action_date"].to_numpy(dtype="datetime64[ns]"),
                               end.to_numpy(dtype="datetime64[ns]")), index=t.index)
    gap = working_days_between(t["_day"], until)
    # high when the gap is more than twice the window; else the rule's severity (rules.yml)
    out["severity"] = pd.Series(np.where(gap.fillna(0).to_numpy(dtype="int64") > 2 * n, "high", None),
                                index=t.index, dtype="string")
    after = " (" + pd.Series(_day_texts(gap.astype("Float64")), index=t.index).str.replace(
        "day", "working day", regex=False) + " after the notification)"
    outcome = outcome_text(r["action_event_id"], r["action_date"], out["delay_days"], "the conference",
                           action_when(ctx, r["action_pos"], t.index), none_text)
    outcome = outcome.where(~pd.Series(found, index=t.index),
                            outcome.str.replace(r"\.$", "", regex=True) + after + ".")
    out["explanation"] = (
        t["agency"] + " recorded the notification of the transfer in of a child subject to a child protection plan on "
        + fmt_date(t["_day"]) + " and held no transfer-in child protection conference within " + str(n)
        + " working days (by " + fmt_date(t["deadline"]) + ")" + outcome
    )
    if booked is not None and len(booked):
        return pd.concat([out, _booked_rows(ctx, triggers.loc[booked.index], booked, n)])
    return out


def _booked_rows(ctx: Context, t: pd.DataFrame, booked: pd.DataFrame, n: int) -> pd.DataFrame:
    """(s21, QA12 D1) Flags (variant ``booked_after_deadline``) for notifications whose conference was booked for a
    day after the deadline (`_booked_late`) while the deadline fell after the end of the review (the child's death,
    or the review date): no conference held (no action); the delay the days from the deadline to the day booked for
    (a lower bound: the conference was not held then either). Kept though due after the death
    (`censor_after_death`): the booking, made while the child was alive, already recorded the failing."""
    none = pd.DataFrame({"action_event_id": pd.array([""] * len(t), dtype="string"),
                         "action_date": pd.Series(pd.NaT, index=t.index, dtype="datetime64[ns]"),
                         "action_exact": np.zeros(len(t), dtype=bool)}, index=t.index)
    out = deadline_rows(t, none, "transfer-in child protection conference by the receiving authority")
    day = booked["booked"].astype("datetime64[ns]")
    out["delay_days"] = ((day - t["deadline"].dt.normalize()).dt.days).astype("float64")
    pos = booked["booking_pos"].to_numpy(dtype="int64")
    tl = ctx.timeline
    out["evidence_event_ids"] = (t["event_id"].astype(str) + "; " + pd.Series(tl["event_id"].to_numpy()[pos],
                                                                              index=t.index).astype(str)).astype("string")
    out["variant"] = "booked_after_deadline"
    end = t["_review_end"]
    death = pd.Series(tl["_death"].to_numpy(dtype="datetime64[ns]")[t.index.to_numpy()], index=t.index)
    died = death.notna() & (death == end)
    closing = ("; the child died on " + fmt_date(death.where(died, end)) + ", before the deadline.").where(
        died, "; the review period ends on " + fmt_date(end) + ", before the deadline.")
    booking_day = pd.Series(tl["_day"].to_numpy(dtype="datetime64[ns]")[pos], index=t.index)
    out["explanation"] = (
        t["agency"] + " recorded the notification of the transfer in of a child subject to a child protection plan on "
        + fmt_date(t["_day"]) + " and on " + fmt_date(booking_day) + " booked the transfer-in child protection "
        "conference for " + fmt_date(day) + ", after the " + str(n) + " working day deadline of "
        + fmt_date(t["deadline"]) + closing
    )
    return out
