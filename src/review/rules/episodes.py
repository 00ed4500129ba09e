"""Injury episodes shared by the three injury rules: is an injury record a record of an injury already
recorded (a fracture clinic review, a dressing, a discharge letter "re scald 13/10": `earlier_injury`), and
does a record say the explanation is consistent and there are no safeguarding concerns (`explained`)?

The text readings are made once per distinct (description, action) pair (`text_reading`, also read by
benchmarks/baseline_rowwise.py); the pairs of records are compared as arrays. docs/rules.md, "Injury episodes".
"""
from __future__ import annotations

import functools
import re

import numpy as np
import pandas as pd

from .base import Context, _texts

#: the most date references ("re scald 13/10") kept per event group
_MAX_DATES = 4
#: "13/10", "13/10/23", "13/10/2023", "13.10.23" (not "1.5cm", "5.1kg": a dotted date has its year)
_DATE_REF = re.compile(r"(?<![0-9/.])([0-9]{1,2})(?:/([0-9]{1,2})(?:/(?:[0-9]{4}|[0-9]{2}))?|\.([0-9]{1,2})\.(?:[0-9]{4}|[0-9]{2}))(?![0-9/]|\.[0-9])")
#: words straight before a phrase of `explained` that deny it ("not consistent with the history")
_DENIALS = frozenset({"not", "no", "nor", "never", "hardly", "barely", "isnt", "wasnt"})


@functools.lru_cache(maxsize=64)
def _phrase_regex(phrases: tuple, plural: bool = False) -> re.Pattern | None:
    """Whole-word, case-folded alternation of `phrases` (words joined by any run of non-letters), the last
    word optionally plural with `plural`."""
    words = [w for w in (re.findall(r"[a-z0-9&]+", str(p).lower()) for p in phrases) if w]
    if not words:
        return None
    alternatives = sorted({r"[^a-z0-9&]+".join(map(re.escape, w)) + ("s?" if plural else "") for w in words},
                          key=len, reverse=True)
    return re.compile(r"(?<![a-z0-9&])(?:" + "|".join(alternatives) + r")(?![a-z0-9&])")


def _found(pattern: re.Pattern | None, text: str, denials: bool = False) -> bool:
    """Does `pattern` find something in `text` (lower-cased, apostrophes dropped) — with `denials`, not
    straight after one of `_DENIALS`?"""
    if pattern is None:
        return False
    for match in pattern.finditer(text):
        if not denials:
            return True
        before = re.findall(r"[a-z0-9&]+", text[max(0, match.start() - 12):match.start()])
        if not before or before[-1] not in _DENIALS:
            return True
    return False


@functools.lru_cache(maxsize=64)
def _new_regex(cues: tuple, nouns: tuple) -> re.Pattern | None:
    """One of `cues` at most two words before one of `nouns` (a plural too) in its clause: "new bruise", "another
    small burn"."""
    first, last = _phrase_regex(cues), _phrase_regex(nouns, True)
    if first is None or last is None:
        return None
    # within a clause: spaces and hyphens only between the words ("new partner present, bruise to cheek" is none)
    return re.compile(first.pattern + r"(?:[ \t-]+[a-z0-9&]+){0,2}?[ \t-]+" + last.pattern)


@functools.lru_cache(maxsize=200_000)
def text_reading(text: str, cues: tuple, new_cues: tuple, sites: tuple) -> tuple[bool, bool, int, tuple]:
    """One record's text (description " . " action) read for `earlier_injury`: (does it name a follow-up of
    an injury, one of `cues` ("fracture clinic", "healing well", "discharge letter"); does it call an injury
    new, `new_cues` = (cues, nouns): one of the cues at most two words before one of the nouns ("new bruise",
    "another burn"); the bit set of the body sites of `sites` it names
    (bit i: sites[i], a plural too); the day-month numbers (day * 100 + month) of the dates it names, "13/10",
    "13.10.23", "13/10/2023", sorted)."""
    lowered = re.sub(r"['’‘]", "", str(text).lower())
    cue = _found(_phrase_regex(cues), lowered)
    new = _found(_new_regex(*new_cues), lowered)
    bits = 0
    for i, site in enumerate(sites[:62]):
        if _found(_phrase_regex((site,), True), lowered):
            bits |= 1 << i
    dates = sorted({int(d) * 100 + int(m or n) for d, m, n in _DATE_REF.findall(lowered)
                    if 1 <= int(d) <= 31 and 1 <= int(m or n) <= 12})
    return cue, new, bits, tuple(dates[:_MAX_DATES])


@functools.lru_cache(maxsize=200_000)
def explained_text(text: str, consistent: tuple, unconcerned: tuple) -> bool:
    """Does the text say both that the explanation is consistent (one of `consistent`, not straight after
    "not": "Explanation consistent with injury & developmental stage") and that there are no safeguarding
    concerns (one of `unconcerned`: "No safeguarding concerns")?"""
    lowered = re.sub(r"['’‘]", "", str(text).lower())
    return _found(_phrase_regex(consistent), lowered, denials=True) and _found(_phrase_regex(unconcerned), lowered)


def _settings(ctx: Context) -> dict:
    return dict(ctx.settings.get("injury_episodes") or {})


def reading_args(settings: dict) -> tuple:
    """`text_reading`'s word lists from the `injury_episodes` settings."""
    words = (lambda key: tuple(map(str, settings.get(key) or ())))
    return words("followup_cues"), (words("new_injury_cues"), words("new_injury_nouns")), words("body_sites")


def _pair_codes(ctx: Context, pos: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """(inverse, first, d, a): the distinct (description, action) pairs of the rows at `pos`, each row's
    pair number, a row of each pair, and the rows' description and action codes."""
    (d_codes, _), (a_codes, a_uniques) = _texts(ctx, "description"), _texts(ctx, "action")
    d, a = d_codes[pos].astype("int64"), a_codes[pos].astype("int64")
    inverse, _ = pd.factorize(d * (len(a_uniques) + 1) + a)
    first = np.zeros(int(inverse.max()) + 1 if len(inverse) else 0, dtype="int64")
    first[inverse[::-1]] = np.arange(len(inverse))[::-1]
    return inverse, first, d, a


def _row_texts(ctx: Context, d: np.ndarray, a: np.ndarray, rows: np.ndarray) -> list[str]:
    (_, d_uniques), (_, a_uniques) = _texts(ctx, "description"), _texts(ctx, "action")
    return [str(d_uniques[d[i]]) + " . " + str(a_uniques[a[i]]) for i in rows]


def explained(ctx: Context, mask, consistent, unconcerned) -> np.ndarray:
    """Per timeline row of `mask`: does its description or action say the explanation is consistent and
    there are no safeguarding concerns (`explained_text`)? Each distinct text pair read once."""
    out = np.zeros(len(ctx.timeline), dtype=bool)
    pos = np.flatnonzero(np.asarray(mask, dtype=bool))
    consistent, unconcerned = tuple(map(str, consistent or ())), tuple(map(str, unconcerned or ()))
    if not len(pos) or not consistent or not unconcerned:
        return out
    inverse, first, d, a = _pair_codes(ctx, pos)
    hits = np.array([explained_text(t, consistent, unconcerned) for t in _row_texts(ctx, d, a, first)], dtype=bool)
    out[pos] = hits[inverse]
    return out


def _group_readings(ctx: Context, injury_tags) -> dict:
    """Per event group with an exact-dated injury row (of `injury_tags`): its first row's position, case and
    day, the bit set of its injury tags, whether any of its injury rows names a follow-up or a new injury,
    the body sites and the dates they name (`text_reading`). Kept in the context."""
    settings = _settings(ctx)
    key = ("injury groups", tuple(injury_tags), repr(sorted(settings.items())))
    if key in ctx.extra:
        return ctx.extra[key]
    tl = ctx.timeline
    args = reading_args(settings)
    mask = (ctx.tags(injury_tags) & tl["_exact"]).to_numpy(dtype=bool)
    pos = np.flatnonzero(mask)
    gcode = tl["_gcode"].to_numpy()[pos]
    group, _ = pd.factorize(gcode)
    n = int(group.max()) + 1 if len(group) else 0
    tags = np.zeros(len(pos), dtype="int64")
    for i, tag in enumerate(injury_tags):
        tags |= ctx.tags([tag]).to_numpy(dtype=bool)[pos].astype("int64") << i
    inverse, first_of_pair, d, a = _pair_codes(ctx, pos)
    readings = [text_reading(t, *args) for t in _row_texts(ctx, d, a, first_of_pair)]
    cue = np.array([r[0] for r in readings], dtype=bool)[inverse] if readings else np.zeros(0, dtype=bool)
    new = np.array([r[1] for r in readings], dtype=bool)[inverse] if readings else np.zeros(0, dtype=bool)
    sites = np.array([r[2] for r in readings], dtype="int64")[inverse] if readings else np.zeros(0, dtype="int64")
    dates = np.full((len(readings), _MAX_DATES), -1, dtype="int64")
    for i, r in enumerate(readings):
        dates[i, :len(r[3])] = r[3]
    dates = dates[inverse] if readings else np.zeros((0, _MAX_DATES), dtype="int64")
    out = {
        "first": pos[np.unique(group, return_index=True)[1]] if n else np.zeros(0, dtype="int64"),
        "tags": np.zeros(n, dtype="int64"), "sites": np.zeros(n, dtype="int64"),
        "cue": np.bincount(group, weights=cue, minlength=n) > 0, "new": np.bincount(group, weights=new, minlength=n) > 0,
    }
    np.bitwise_or.at(out["tags"], group, tags)
    np.bitwise_or.at(out["sites"], group, sites)
    # the group's distinct dates, the first _MAX_DATES of them in (group, date) order
    g_rows, k_rows = np.repeat(group, _MAX_DATES), dates.reshape(-1)
    keep = k_rows >= 0
    pairs = np.unique(np.stack([g_rows[keep], k_rows[keep]], axis=1), axis=0) if keep.any() else np.zeros((0, 2), "int64")
    group_dates = np.full((n, _MAX_DATES), -1, dtype="int64")
    if len(pairs):
        starts = np.r_[0, np.flatnonzero(np.diff(pairs[:, 0])) + 1]
        rank = np.arange(len(pairs)) - np.repeat(starts, np.diff(np.r_[starts, len(pairs)]))
        ok = rank < _MAX_DATES
        group_dates[pairs[ok, 0], rank[ok]] = pairs[ok, 1]
    out["dates"] = group_dates
    first = out["first"]
    out["case"] = tl["_case"].to_numpy(dtype="int64")[first]
    out["day"] = tl["_day"].to_numpy(dtype="datetime64[D]")[first].astype("int64")
    out["gcode"] = tl["_gcode"].to_numpy()[first]
    days = out["day"].astype("datetime64[D]")
    months = days.astype("datetime64[M]")
    out["ddmm"] = ((days - months).astype("int64") + 1) * 100 + months.astype("int64") % 12 + 1  # 13 Oct: 1310
    ctx.extra[key] = out
    return out


def _order_keys(ctx: Context, case: np.ndarray, day: np.ndarray, pos: np.ndarray) -> np.ndarray:
    """An int64 key ordering records by (case, day, timeline position)."""
    n = len(ctx.timeline) + 1
    lo = ctx.extra.get("injury day origin")
    if lo is None:
        days = ctx.timeline["_day"].to_numpy(dtype="datetime64[D]")
        valid = ~np.isnat(days)
        lo = (int(days[valid].astype("int64").min()) - 400) if valid.any() else 0
        ctx.extra["injury day origin"] = lo
    return (case * 200_000 + (day - lo)) * n + pos


def earlier_injury(ctx: Context, triggers: pd.DataFrame, injury_tags, *, escalation_kinds=(), record_kinds=(),
                   meeting_types=(), escalation_window_days=None, episode_window_days=None,
                   not_records=None) -> np.ndarray:
    """Per row of `triggers` (first rows of event groups, the prepared timeline's positions as index): the
    position of the first row of the earlier injury record it is a record of (-1: a new injury).

    Candidates are the exact-dated event groups with an injury row (`injury_tags`) before it in (case, day,
    timeline) order. A trigger with an injury row is a record of such a group when it names no new injury
    (`new_injury_cues`: "new bruise") and no body site unless one the earlier group names (`body_sites`:
    "bruise to R cheek" after "bruise to L arm" is another injury), and
      * it is a **follow-up**: dated 0..`followup_window_days` after it, every injury tag of it one of the
        earlier group's (the same injury word family: "Fracture clinic. Healing well" after a buckle
        fracture with bruising and swelling), naming a follow-up (`followup_cues`: fracture clinic, dressing,
        discharge letter, healing) or the earlier group's date ("Discharge letter re scald 13/10"); or
      * (with `escalation_kinds`) it is itself one of `escalation_kinds` that took place, dated
        0..`escalation_window_days` after it (any injury tag: the CP medical that examined the bruise); or
      * (with `record_kinds`/`meeting_types`) it is one of `record_kinds` or `meeting_types` that took
        place (a conference, an S47 outcome, a core group), dated 0..`episode_window_days` after an injury
        already escalated: one of `escalation_kinds` took place between them (from the earlier record on).
    The latest such earlier group is returned. With `not_records` (per timeline row), an earlier group whose
    every exact-dated injury row is one of them is no earlier record (social care's receipt of the referral
    about the injury: the referring agency's own record of it is no record of the receipt's injury).
    """
    from .base import held_escalations, types_held

    out = np.full(len(triggers), -1, dtype="int64")
    if not len(triggers):
        return out
    settings = _settings(ctx)
    g = _group_readings(ctx, list(injury_tags))
    n = len(g["first"])
    if n == 0:
        return out
    tl = ctx.timeline
    t_pos = triggers.index.to_numpy(dtype="int64")
    # the trigger's own group among the injury groups (-1: none, e.g. a disclosure of being hit)
    by_code = pd.Index(g["gcode"])
    own = by_code.get_indexer(tl["_gcode"].to_numpy()[t_pos])
    known = own >= 0
    if not known.any():
        return out
    t_pos, rows_at = t_pos[known], np.flatnonzero(known)
    own = own[known]
    case, day = g["case"][own], g["day"][own]
    t_key = _order_keys(ctx, case, day, g["first"][own])
    p_key = _order_keys(ctx, g["case"], g["day"], g["first"])
    order = np.argsort(p_key, kind="stable")
    sorted_keys = p_key[order]
    follow_window = int(settings.get("followup_window_days", 0) or 0)
    esc_window = int(escalation_window_days or 0) if escalation_kinds else -1
    ep_window = int(episode_window_days or 0) if (record_kinds or meeting_types) else -1
    window = max(follow_window, esc_window, ep_window)
    if window < 0:
        return out
    hi = np.searchsorted(sorted_keys, t_key, side="left")  # strictly before the trigger
    lo = np.searchsorted(sorted_keys, _order_keys(ctx, case, day - window, np.zeros(len(case), "int64")), side="left")
    counts = np.maximum(hi - lo, 0)
    if not counts.any():
        return out
    r = np.repeat(np.arange(len(t_pos)), counts)
    p = order[np.repeat(lo, counts) + (np.arange(counts.sum()) - np.repeat(np.cumsum(counts) - counts, counts))]
    rg = own[r]
    gap = g["day"][rg] - g["day"][p]
    same_case = g["case"][p] == g["case"][rg]
    sites_ok = (g["sites"][rg] == 0) | (g["sites"][p] == 0) | ((g["sites"][rg] & g["sites"][p]) != 0)
    base = same_case & (gap >= 0) & ~g["new"][rg] & sites_ok & (g["tags"][rg] != 0)
    if not_records is not None:
        excluded = np.asarray(not_records, dtype=bool)
        records = (ctx.tags(list(injury_tags)) & tl["_exact"]).to_numpy(dtype=bool) & ~excluded
        base &= np.isin(g["gcode"][p], tl["_gcode"].to_numpy()[records])
    # a follow-up of the same injury
    p_ddmm = g["ddmm"][p]
    dated = (g["dates"][rg] == p_ddmm[:, None]).any(axis=1)
    family = (g["tags"][rg] & ~g["tags"][p]) == 0
    joined = base & (gap <= follow_window) & family & (g["cue"][rg] | dated)
    if escalation_kinds:
        kinds = list(escalation_kinds)
        held = held_escalations(ctx, kinds).to_numpy(dtype=bool)
        t_esc = held[t_pos][r]
        joined |= base & t_esc & (gap <= esc_window)
        if record_kinds or meeting_types:
            record = held_escalations(ctx, list(record_kinds)).to_numpy(dtype=bool)[t_pos] if record_kinds \
                else np.zeros(len(t_pos), dtype=bool)
            if meeting_types:
                record |= types_held(ctx, list(meeting_types)).to_numpy(dtype=bool)[t_pos]
            # an escalation (exact-dated, that took place) from the earlier record on, before the trigger
            e_pos = np.flatnonzero(held & tl["_exact"].to_numpy(dtype=bool))
            e_key = np.sort(_order_keys(ctx, tl["_case"].to_numpy(dtype="int64")[e_pos],
                                        tl["_day"].to_numpy(dtype="datetime64[D]")[e_pos].astype("int64"), e_pos))
            between = np.searchsorted(e_key, t_key[r], side="left") - np.searchsorted(e_key, p_key[p], side="left")
            joined |= base & record[r] & (gap <= ep_window) & (between > 0)
    if not joined.any():
        return out
    r, p = r[joined], p[joined]
    # the latest earlier group per trigger: pairs are in (trigger, earlier key) order
    last = np.r_[r[1:] != r[:-1], True]
    out[rows_at[r[last]]] = g["first"][p[last]]
    return out
