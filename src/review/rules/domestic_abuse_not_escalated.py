"""Rule `domestic_abuse_not_escalated`: high-risk domestic abuse in the child's household with no referral to
children's social care and no MARAC referral within one working day; and (variant notification, `_not_notified`)
a domestic abuse incident the police attended, at any DASH level, with no notification to children's social care
(Domestic Abuse Act 2021 s.3: the child a victim in their own right; Operation Encompass and police child
notification practice), its severity by the DASH level (`risk_level`, `notification_severity`).

Source: SafeLives DASH risk identification checklist (DASH RIC) and MARAC guidance: a case is referred to
MARAC when the DASH scores 14 or more "yes" answers (visible high risk), on professional judgement, or on
"escalation" (three or more police call-outs in 12 months); Working Together to Safeguard Children 2023,
chapter 2: a child living with domestic abuse may be at risk of significant harm, and a referral to
children's social care is expected (a police domestic abuse notification is shared with children's social
care without delay).

A trigger is an exact-date row tagged with an abuse tag (`abuse_tags`: domestic_abuse; or, in a young person of
at least `relationship_abuse_min_age_years` = 16, `relationship_abuse_tags`: abuse in their own relationship,
"boyfriend hit her", teenage relationship abuse: `abuse_rows`) that records high risk, or that reaches the
repeat threshold:

* high risk: its description and action record a high domestic abuse risk (`high_risk`): one of
  `high_risk_keywords` ("meets MARAC threshold", "DASH high") not negated (the vocabulary's negation cues,
  and `high_risk_negations` after the words: "not high risk", "MARAC threshold not met"; "DASH: standard
  risk" names no high risk), or one of `high_risk_general_keywords` ("high risk") so not negated where it is
  a domestic abuse risk ("DASH completed - high risk", "high risk of harm from partner"; not "high risk of
  SIDS", "high risk pregnancy"), or it gives a DASH score of at least `dash_score_min` (`dash_score`: "DASH
  score 16", "DASH 15/27", "scored 14 on the DASH");
* repeat: it is an incident (`repeat_contact_types` of `repeat_agency_kinds`: a police call-out) and at least
  `repeat_min_incidents` incidents (event groups, itself included) fell within `repeat_window_days` days
  up to its day.

The child is taken to live in the household the chronology records (the chronology is the child's), unless
the row says explicitly that the child does not (`lives_elsewhere`: "Child lives with father", "child not
present, lives with grandmother", "Child not resident at the address"): such a row is no trigger, though it
still counts as an incident towards a later one's repeat threshold.

The response is, from the trigger's day on, by the `within_working_days`-th working day after it: a held
escalation of `escalations` (a referral to children's social care, a strategy discussion, a referral to
MARAC: the escalation marac, which no other rule reads as a referral, ...;
`base.held_escalations`), a row of `response_contact_types` by `response_agency_kinds` that took place
(social care screening the notification: `base.types_held`), or a row whose text mentions one of
`response_keywords` (a MARAC referral, a notification sent to MASH / children's social care) not negated
(`response_negations`: "MARAC referral not made", "notification to be sent"), and not in a sentence that only
plans or weighs it (`response_not_in_sentence_with`: "Consider MARAC referral", "Plan: refer to MARAC if
further incidents"). The trigger row itself may be
the response ("DASH high risk, referred to MARAC"). A late response is the next such referral by any agency,
which nothing links to the trigger: one more than `response_max_days` (90) after the trigger's day is not
reported ("none is recorded within 90 days of 1 Mar 2023"), nor one after the child's date of death ("none
is recorded before the child's death on 3 Jun 2023"), as the injury rules read theirs (`base.cap_response`).
With `receipts_answer`, social care's record of receiving the notification (`base.referral_receipts`) is a
referral: it answers the police's incident, and itself.

Variant nfa_decision (`_nfa_decisions`): social care deciding no further action or early help on a
notification its own row records as high risk, about a child younger than `nfa_max_age_months`, with no
strategy discussion, S47 enquiry, conference or assessment (`nfa_overturned_by`) within
`within_working_days` (Working Together 2023 ch. 2; the Domestic Abuse Statutory Guidance 2022).
"""
from __future__ import annotations

import functools
import re

import numpy as np
import pandas as pd

from ..vocab import normalise_text
from .base import (
    due_within,
    late_triggers,
    referral_dated_text,
    referral_response,
    Context,
    _first_of_each,
    _negating_vocab,
    _open_ended,
    _phrases,
    _rows_matching,
    _texts,
    action_when,
    day_numbers,
    deadline_rows,
    earlier_response,
    first_per_group,
    first_response,
    fmt_age,
    informed_kinds,
    fmt_date,
    joined,
    outcome_text,
    read_row_texts,
    register,
    rows_of,
    window_pairs,
)

#: the timeline columns the rule reads from its rows (selected before the rows are)
#: days in a year of age (as the timeline's ages in years: review.rules.base)
YEAR_DAYS = 365.25

_COLUMNS = ["event_id", "case_id", "_case", "_agency", "_gcode", "_day", "_start", "_end", "agency"]

# A DASH score as chronologies write it, in one clause (no . ; ! ? or newline between): "DASH score 16",
# "DASH score: 15", "DASH scored 14", "DASH completed, score of 15", "DASH 15/27", "DASH - 16 out of 27",
# "scored 14 on the DASH", "15 ticks on DASH", "14 yes answers on the DASH". Lower-cased text.
_CLAUSE = r"[^.;!?\n]"
_SCORE_PATTERNS = tuple(re.compile(p) for p in (
    rf"\bdash\b{_CLAUSE}{{0,40}}?\bscor(?:e|es|ed|ing)\b\W{{0,3}}(?:of\W+)?(\d{{1,2}})(?![\d/])",
    rf"\bdash\b{_CLAUSE}{{0,40}}?\b(\d{{1,2}})\s*(?:/|out\s+of)\s*27\b",
    r"\bdash\b\W{1,5}(\d{1,2})\s*(?:yes|ticks?)\b",
    rf"\bscor(?:e|ed|ing)\W{{0,3}}(?:of\W+)?(\d{{1,2}})\b{_CLAUSE}{{0,25}}?\bdash\b",
    rf"\b(\d{{1,2}})\s*(?:/\s*27\s*)?(?:yes\s+answers|yes|ticks?)\b{_CLAUSE}{{0,25}}?\bdash\b",
))


def dash_score(text: str) -> int | None:
    """The highest DASH score (0..27) `text` gives (`_SCORE_PATTERNS`), None when it gives none."""
    lowered = str(text).lower()
    if "dash" not in lowered:
        return None
    scores = [int(m.group(1)) for p in _SCORE_PATTERNS for m in p.finditer(lowered)]
    scores = [s for s in scores if s <= 27]
    return max(scores) if scores else None


@functools.lru_cache(maxsize=64)
def _keyword_patterns(keywords: tuple) -> tuple:
    """One compiled pattern per normalised keyword of `keywords`, finding it in a text's joined tokens as
    `base._mentioned` does: whole words, the last one from its start when at least five letters long."""
    return tuple(re.compile(r"(?<!\S)" + re.escape(w) + (r"\S*" if _open_ended(w) else r"(?!\S)"))
                 for w in dict.fromkeys(map(normalise_text, keywords)) if w)


def _spans(tokens: list, vocab, keywords: tuple) -> list:
    """The mentions of `keywords` in `tokens` not negated (`Vocabulary.find_spans`), each keyword's last word
    from its start when at least five letters long, as `base._mentioned` reads them."""
    joined = " ".join(tokens)
    found = set()
    for pattern in _keyword_patterns(keywords):
        found.update(pattern.findall(joined))
    return vocab.find_spans(tokens, _phrases(tuple(sorted(found)))) if found else []


_LISTS = ("high_risk_keywords", "high_risk_negations", "high_risk_general_keywords", "high_risk_label_heads",
          "high_risk_earlier_words", "high_risk_object_links",
          "high_risk_objects", "high_risk_object_exceptions", "high_risk_other_heads", "high_risk_context",
          "residence_verbs", "residence_child_words", "residence_other_persons", "residence_negations",
          "residence_adverbs", "residence_modifiers", "residence_away", "residence_household", "residence_places")


@functools.lru_cache(maxsize=64)
def _reading(key: tuple) -> dict:
    """The word lists of `high_risk` and `lives_elsewhere` (`_LISTS`; `key`: their values as tuples),
    normalised: keywords as tuples, words as sets, phrases as `Phrases`."""
    raw = dict(key)
    words = {k: frozenset(w for w in map(normalise_text, v) if w) for k, v in raw.items()}
    return {
        **raw, **{k + "_set": v for k, v in words.items()},
        "objects": _phrases(tuple(sorted(words["high_risk_objects"]))),
        "exceptions": _phrases(tuple(sorted(words["high_risk_object_exceptions"]))),
        "context": _phrases(tuple(sorted(words["high_risk_context"]))),
        "away": _phrases(tuple(sorted(words["residence_away"]))),
    }


def _read(params: dict) -> dict:
    return _reading(tuple((k, tuple(str(w) for w in params.get(k) or ())) for k in _LISTS))


#: auxiliaries between a negation and the verb it negates ("does not live")
_AUXILIARIES = frozenset({"does", "do", "did", "is", "are", "was", "were", "has", "have", "had", "been", "be"})


def _is_mark(token: str) -> bool:
    return token == "," or token.startswith("|")


#: a bracketed DASH after a risk level ("Risk level: High (DASH)"): read as in the same clause (", DASH")
_BRACKETED_DASH = re.compile(r"\s*\(\s*(dash\b[^()]{0,40}?)\s*\)", re.IGNORECASE)


def _label_tokens(tokens: list, heads: frozenset) -> list:
    """`tokens` without the colon or spaced dash of a label ("DASH risk: HIGH", "DASH - H", "Risk level: High"):
    a "|:" or "|-" straight after one of `heads` is dropped, so the label and its value read as one phrase
    ("dash risk high")."""
    if not heads:
        return tokens
    out = []
    for t in tokens:
        if t in ("|:", "|-") and out and out[-1] in heads:
            continue
        out.append(t)
    return out


def _own_risk(spans: list, tokens: list, earlier: frozenset, exceptions) -> list:
    """The `spans` that grade the risk now and to someone else: not straight after (one word between at most)
    one of `earlier` ("previously high risk", "DASH previously graded as high": a past grading), nor straight
    followed (a bracket or a comma between) by one of `exceptions` ("Risk: High (to self)", "DASH risk: high,
    suicidal": a risk to the person themselves)."""
    kept = []
    for start, end, word in spans:
        if earlier and any(tokens[k] in earlier for k in range(max(start - 2, 0), start)):
            continue
        k = end
        while k < len(tokens) and tokens[k] in ("|", ","):
            k += 1
        if k < len(tokens) and any(s_ == 0 for s_, _, _ in exceptions.find(tokens[k:k + 4])):
            continue
        kept.append((start, end, word))
    return kept


def high_risk(text: str, params: dict, vocab: str = "") -> bool:
    """Does `text` (a domestic abuse row's description and action) record a high domestic abuse risk?

    * one of `high_risk_keywords` (DA's own words: "meets MARAC threshold", "DASH high") not negated: the
      vocabulary's negation cues, and `high_risk_negations` after the words ("MARAC threshold not met");
    * or one of `high_risk_general_keywords` ("high risk", "risk level high") not so negated, that is a domestic
      abuse risk:
      - followed by one of `high_risk_object_links` ("of", "for"): the rest of its clause (up to a comma or a
        clause mark) names one of `high_risk_objects` ("high risk of serious harm", "high risk of further DA",
        "high risk of harm from partner"; not "high risk of SIDS", "high risk of falls", "high risk of
        self-harm": `high_risk_object_exceptions` are blanked first);
      - else not followed straight by one of `high_risk_other_heads` ("high risk pregnancy", "high risk
        behaviours"), and one of `high_risk_context` (DASH, MARAC, domestic, DV, partner, ...), not negated,
        is named in its sentence (up to . ; ! ? or a newline; across a colon or a spaced dash: "DASH completed -
        high risk") or before it in the text ("Police attended domestic incident. Assessed as high risk.");
        not after it in another sentence ("High risk. DV disclosed at booking" has no context for it).
    A label reads with its value: the colon or spaced dash after one of `high_risk_label_heads` is dropped
    ("DASH risk: HIGH" is "dash risk high", "Risk: High" is "risk high"), and a bracketed DASH is in its
    clause ("Risk level: High (DASH)"). Neither is a mention straight after one of `high_risk_earlier_words`
    ("previously high risk") nor one straight followed by a risk to the person themselves ("Risk: High (to
    self)": `high_risk_object_exceptions`).
    `vocab`: the `vocab_key` of the case's vocabulary ("": the package's)."""
    r = _read(params)
    v = _negating_vocab(r["high_risk_negations"], vocab)
    if "(" in text:
        text = _BRACKETED_DASH.sub(r", \1", text)
    tokens = _label_tokens(v.tokens(text), r["high_risk_label_heads_set"])
    if not tokens:
        return False
    earlier = r["high_risk_earlier_words_set"]
    if r["high_risk_keywords"] and _own_risk(_spans(tokens, v, r["high_risk_keywords"]), tokens, earlier, r["exceptions"]):
        return True
    spans = _own_risk(_spans(tokens, v, r["high_risk_general_keywords"]), tokens, earlier, r["exceptions"])
    if not spans:
        return False
    links, heads = r["high_risk_object_links_set"], r["high_risk_other_heads_set"]
    context = None  # the start tokens of the context words' mentions, read once when needed
    for start, end, _ in spans:
        after = tokens[end] if end < len(tokens) else ""
        if after in links:
            stop = end + 1
            while stop < len(tokens) and not _is_mark(tokens[stop]):
                stop += 1
            phrase = list(tokens[end + 1 : stop])
            for s_, e_, _ in r["exceptions"].find(phrase):
                phrase[s_:e_] = ["|x"] * (e_ - s_)
            if r["objects"].find(phrase):
                return True
            continue
        if after in heads:
            continue
        if context is None:
            context = [s_ for s_, _, _ in v.find_spans(tokens, r["context"])] if r["context"] else []
        # its sentence's end: the next "|" (a colon's "|:", a dash's "|-" do not end it)
        stop = end
        while stop < len(tokens) and tokens[stop] != "|":
            stop += 1
        if any(i < stop for i in context):
            return True
    return False


#: the DASH levels below high `risk_level` reads, highest first: (level, its keywords' parameter)
_LEVELS = (("medium", "medium_risk_keywords"), ("standard", "standard_risk_keywords"))


def risk_level(text: str, params: dict, vocab: str = "") -> str:
    """The DASH risk level below high that `text` (a domestic abuse row's description and action) records:
    "medium" when it names one of `medium_risk_keywords` ("DASH completed: medium risk", "DASH - M"), else
    "standard" for one of `standard_risk_keywords` ("DASH: standard risk", "low risk"), else "" (no level
    recorded). Read as `high_risk` reads its own words: not negated (the vocabulary's cues and
    `high_risk_negations`), a label read with its value ("Risk level: Medium" is "risk level medium"), not a
    past grading ("previously medium risk": `high_risk_earlier_words`) nor a risk to the person themselves
    ("Risk: medium (to self)"). `vocab`: the `vocab_key` of the case's vocabulary ("": the package's)."""
    keywords = {key: tuple(str(w) for w in params.get(key) or ()) for _, key in _LEVELS}
    if not any(keywords.values()):
        return ""
    r = _read(params)
    v = _negating_vocab(r["high_risk_negations"], vocab)
    tokens = _label_tokens(v.tokens(text), r["high_risk_label_heads_set"])
    if not tokens:
        return ""
    for name, key in _LEVELS:
        if keywords[key] and _own_risk(_spans(tokens, v, keywords[key]), tokens, r["high_risk_earlier_words_set"],
                                       r["exceptions"]):
            return name
    return ""


def lives_elsewhere(text: str, params: dict, vocab: str = "") -> bool:
    """Does `text` say, explicitly, that the child does not live in the household (where the abuse happened)?

    Read in one sentence (up to . ; ! ? a newline or a break word; a colon, a spaced dash or a comma between
    allowed), with a verb of `residence_verbs` ("lives", "living", "resides", "resident") whose subject, the
    nearest person named before it within eight words, is one of `residence_child_words` ("child", "baby"; not
    one of `residence_other_persons`: "Mother lives with partner", "Sibling lives with father" say nothing of
    the child; a verb with no subject is not read):

    * the child lives with someone away from the household: the verb (not negated), `residence_adverbs`
      between ("full time"), "with", `residence_modifiers` ("paternal", "his") and one of `residence_away`
      (father, grandmother, foster carers, ...), with none of `residence_household` (mother, parents) in the
      rest of its clause: "Child lives with father", "child not present, lives with maternal grandmother"; not
      "Child lives with mother and grandmother", "Child does not live with father";
    * or lives elsewhere: "Child lives elsewhere", "child living elsewhere with aunt";
    * or does not live at the address: the verb straight after one of `residence_negations` (or an auxiliary
      after it: "does not live"), or the subject straight after one ("No children resident"), followed by the
      end of its clause, "there", "here", or "at" / "in", an article and one of `residence_places`: "Child not
      resident at the address", "Child does not live there", "child not resident", "Children not living at
      the property". Not "Child not resident with mother" (whose household the words do not say).
    `vocab`: the `vocab_key` of the case's vocabulary ("": the package's)."""
    r = _read(params)
    verbs = r["residence_verbs_set"]
    if not verbs:
        return False
    v = _negating_vocab((), vocab)
    tokens = v.tokens(text)
    if not tokens or verbs.isdisjoint(tokens):
        return False
    child, others = r["residence_child_words_set"], r["residence_other_persons_set"]
    negations, adverbs = r["residence_negations_set"], r["residence_adverbs_set"]
    modifiers, household = r["residence_modifiers_set"], r["residence_household_set"]
    away, places = r["away"], r["residence_places_set"]
    n = len(tokens)
    for i, token in enumerate(tokens):
        if token not in verbs:
            continue
        # the subject: the nearest person named before the verb in its sentence
        subject = None
        for k in range(i - 1, max(i - 9, -1), -1):
            if tokens[k] in ("|", "|b"):
                break
            if tokens[k] in child or tokens[k] in others:
                subject = k
                break
        if subject is None or tokens[subject] not in child:
            continue
        # negated: a negation straight before the verb (auxiliaries between), or straight before the subject
        k = i - 1
        while k > subject and tokens[k] in _AUXILIARIES:
            k -= 1
        negated = (k > subject and tokens[k] in negations) or (subject > 0 and tokens[subject - 1] in negations)
        j = i + 1
        if negated:
            follow = tokens[j] if j < n else ""
            if j >= n or _is_mark(follow) or follow in ("there", "here"):
                return True
            if follow in ("at", "in"):
                j += 1
                while j < n and tokens[j] in ("the", "this", "that", "a"):
                    j += 1
                if j < n and tokens[j] in places:
                    return True
            continue
        while j < n and tokens[j] in adverbs:
            j += 1
        if j < n and tokens[j] == "elsewhere":
            return True
        if j >= n or tokens[j] != "with":
            continue
        stop = j + 1
        while stop < n and not _is_mark(tokens[stop]):
            stop += 1
        j += 1
        while j < stop and tokens[j] in modifiers:
            j += 1
        if j < stop and away.at(tokens, j) and household.isdisjoint(tokens[j:stop]):
            return True
    return False


def _read_pairs(ctx: Context, mask: np.ndarray, keywords, reader, params: dict) -> np.ndarray:
    """Rows of `mask` whose description and action (read together, " . " between) `reader(text, params,
    vocab_key)` reads as True: only the rows whose texts name one of `keywords` (`base._rows_matching`), each
    distinct (case vocabulary, description, action) read once."""
    tl = ctx.timeline
    out = np.zeros(len(tl), dtype=bool)
    keywords = [str(k) for k in keywords if normalise_text(k)]
    pos = np.flatnonzero(mask)
    if not keywords or not len(pos):
        return out
    pos = pos[_rows_matching(ctx, pos, keywords)]
    if not len(pos):
        return out
    out[pos] = read_row_texts(ctx, pos, lambda text, vocab: reader(text, params, vocab), dtype=bool)
    return out


def _levels(ctx: Context, pos: np.ndarray, params: dict) -> np.ndarray:
    """The DASH level (`risk_level`: "medium", "standard" or "") of the timeline rows at `pos`, each distinct
    (case vocabulary, description, action) read once."""
    return read_row_texts(ctx, pos, lambda text, vocab: risk_level(text, params, vocab))


def _scored(ctx: Context, mask: np.ndarray, minimum: int) -> np.ndarray:
    """Rows of `mask` whose description or action (read together) gives a DASH score of at least `minimum`:
    each distinct (description, action) pair read once."""
    tl = ctx.timeline
    out = np.zeros(len(tl), dtype=bool)
    pos = np.flatnonzero(mask)
    if not len(pos):
        return out
    (d_codes, d_uniques), (a_codes, a_uniques) = _texts(ctx, "description"), _texts(ctx, "action")
    d, a = d_codes[pos].astype("int64"), a_codes[pos].astype("int64")
    inverse, _ = pd.factorize(d * (len(a_uniques) + 1) + a)
    first = _first_of_each(inverse)
    scores = [dash_score(str(d_uniques[d[i]]) + " . " + str(a_uniques[a[i]])) for i in first]
    hits = np.array([s is not None and s >= minimum for s in scores], dtype=bool)
    out[pos] = hits[inverse]
    return out


def abuse_rows(ctx: Context, params: dict) -> np.ndarray:
    """Per timeline row: tagged with one of `abuse_tags`, or with one of `relationship_abuse_tags` (abuse in the
    young person's own relationship: "boyfriend hit her", "controlling boyfriend") at an age of at least
    `relationship_abuse_min_age_years` (16: domestic abuse as the Domestic Abuse Act 2021 defines it; younger, it
    is child abuse or exploitation, exploitation_not_referred's; an unknown age is not known to be 16)."""
    out = ctx.tags(params["abuse_tags"]).to_numpy(dtype=bool, copy=True)
    if params.get("relationship_abuse_tags"):
        own = ctx.tags(params["relationship_abuse_tags"]).to_numpy(dtype=bool)
        if own.any():
            age = ctx.timeline["_age_days"].astype("Float64").to_numpy(dtype="float64", na_value=np.nan)
            out |= own & (age >= float(params["relationship_abuse_min_age_years"]) * YEAR_DAYS)
    return out


def _repeat_incidents(ctx: Context, params: dict) -> tuple[np.ndarray, pd.DataFrame]:
    """(per timeline row: an incident reaching the repeat threshold, the incidents: one row per event group)."""
    tl = ctx.timeline
    mask = (abuse_rows(ctx, params) & ctx.types(params["repeat_contact_types"]).to_numpy(dtype=bool)
            & tl["_exact"].to_numpy(dtype=bool))
    if params.get("repeat_agency_kinds"):
        mask &= ctx.kinds(params["repeat_agency_kinds"]).to_numpy(dtype=bool)
    incidents = first_per_group(rows_of(ctx, mask, _COLUMNS))
    out = np.zeros(len(tl), dtype=bool)
    if incidents.empty:
        return out, incidents
    big = np.int64(1) << np.int64(32)
    keys = incidents["_case"].to_numpy().astype("int64") * big + day_numbers(incidents["_day"])
    order = np.argsort(keys, kind="stable")
    sorted_keys = keys[order]
    window = int(params["repeat_window_days"])
    count = (np.searchsorted(sorted_keys, keys, side="right") - np.searchsorted(sorted_keys, keys - window, side="left"))
    out[incidents.index.to_numpy()[count >= int(params["repeat_min_incidents"])]] = True
    return out, incidents


@register("domestic_abuse_not_escalated")
def domestic_abuse_not_escalated(ctx: Context, params: dict) -> pd.DataFrame:
    """High-risk domestic abuse (DASH >= 14, high risk, repeat call-outs), no referral to CSC / MARAC within
    1 working day (SafeLives DASH / MARAC; WT 2023)."""
    tl = ctx.timeline
    abuse = abuse_rows(ctx, params) & tl["_exact"].to_numpy(dtype=bool)
    if not abuse.any():
        return rows_of(ctx, abuse, _COLUMNS).iloc[:0]
    high = _read_pairs(ctx, abuse, list(params.get("high_risk_keywords") or ())
                       + list(params.get("high_risk_general_keywords") or ()), high_risk, params)
    scored = _scored(ctx, abuse & ~high, int(params["dash_score_min"]))
    repeat, incidents = _repeat_incidents(ctx, params)
    is_trigger = high | scored | repeat
    # no trigger where its own text says the child does not live in the household (`lives_elsewhere`); the
    # incident still counts towards a later one's repeat threshold
    if params.get("residence_verbs") and is_trigger.any():
        is_trigger &= ~_read_pairs(ctx, is_trigger, params["residence_verbs"], lives_elsewhere, params)
    nfa = _nfa_decisions(ctx, params, is_trigger & (high | scored), high)
    notification = _not_notified(ctx, params, abuse, is_trigger)
    triggers = first_per_group(rows_of(ctx, is_trigger, _COLUMNS))
    parts = [] if triggers.empty else [_not_escalated(ctx, params, triggers, high, scored, repeat, incidents)]
    parts += [f for f in (nfa, notification) if f is not None and not f.empty]
    if not parts:
        return rows_of(ctx, is_trigger, _COLUMNS).iloc[:0]
    return parts[0] if len(parts) == 1 else pd.concat(parts)


#: how the notification variant's explanation names each DASH level (`risk_level`)
_LEVEL_TEXT = {"medium": "DASH: medium risk", "standard": "DASH: standard risk", "": "no DASH risk level recorded"}


def _not_notified(ctx: Context, params: dict, abuse: np.ndarray, is_trigger: np.ndarray) -> pd.DataFrame | None:
    """Variant notification: a domestic abuse incident the police attended (an exact-date row of `abuse` of
    `notification_contact_types` by `notification_agency_kinds`), at any DASH level, in an event group with no
    trigger of the rule's other readings (high risk, a DASH score, repeat incidents: flagged as those), the
    child not said to live elsewhere (`lives_elsewhere`), with no notification to children's social care from
    its day to the `within_working_days`-th working day after: the rule's responses (`referral_response`: a
    referral, a MARAC referral, social care's receipt of the notification, "notification sent to MASH") or a
    row whose informed agencies name an agency of `notification_informed_kinds` ("Shared with: Children's
    Social Care", "Result passed to MASH") that is the incident's own agency's (the police's) or about domestic
    abuse (a row of `abuse`), not another agency's call to MASH about another matter (s19). A child who sees, hears or experiences the effects of domestic
    abuse is a victim of it in their own right (Domestic Abuse Act 2021, s.3), and the police notify
    children's social care (and the school: Operation Encompass) of every incident where a child is present
    or lives, whatever its risk level (Working Together 2023 ch. 2). The flag's severity is
    `notification_severity`'s for the level the row records (`risk_level`: medium, standard, not_recorded).
    One flag per event group; None when the variant is switched off (no `notification_agency_kinds`)."""
    kinds = list(params.get("notification_agency_kinds") or ())
    types = list(params.get("notification_contact_types") or ())
    if not kinds or not types:
        return None
    tl = ctx.timeline
    mask = abuse & ctx.kinds(kinds).to_numpy(dtype=bool) & ctx.types(types).to_numpy(dtype=bool)
    if not mask.any():
        return None
    # an event group with a trigger of the other readings is flagged (or answered) as that
    gcode = tl["_gcode"].to_numpy()
    mask &= ~np.isin(gcode, np.unique(gcode[is_trigger]))
    if params.get("residence_verbs") and mask.any():
        mask &= ~_read_pairs(ctx, mask, params["residence_verbs"], lives_elsewhere, params)
    t = first_per_group(rows_of(ctx, mask, _COLUMNS))
    if t.empty:
        return None
    n = int(params["within_working_days"])
    t = due_within(t, working_days=n)
    found = referral_response(ctx, t, params)
    informed_of = list(params.get("notification_informed_kinds") or ())
    if informed_of:
        # a row whose informed agencies name social care ("Result passed to MASH", "Shared with: Children's Social
        # Care") is the notification of this incident when it is the incident's own agency's (the police's PPN),
        # or any agency's about domestic abuse: not another agency's call to MASH about another matter (the
        # nursery's "DSL rang MASH for advice" about a black eye)
        in_cases = np.isin(tl["_case"].to_numpy(), np.unique(t["_case"].to_numpy()))
        informed = informed_kinds(ctx, informed_of) & in_cases
        if informed.any():
            found = earlier_response(found, first_response(ctx, t, pd.Series(informed & abuse, index=tl.index)))
            found = earlier_response(found, first_response(ctx, t, pd.Series(informed, index=tl.index),
                                                           same_agency=True))
    t, r, none_text = late_triggers(ctx, t, found, params)
    if t.empty:
        return None
    pos = t.index.to_numpy()
    levels = _levels(ctx, pos, params)
    severity = params.get("notification_severity") or {}
    out = deadline_rows(t, r, "notification to children's social care of the domestic abuse incident (police child "
                              "notification; Operation Encompass)")
    out["variant"] = "notification"
    out["severity"] = pd.array([severity.get(v or "not_recorded") for v in levels], dtype="string")
    household = ctx.tags(params["abuse_tags"]).to_numpy(dtype=bool, copy=True)
    if params.get("relationship_abuse_tags"):
        household &= ~ctx.tags(params["relationship_abuse_tags"]).to_numpy(dtype=bool)
    in_household = np.zeros(int(gcode.max()) + 1 if len(gcode) else 1, dtype=bool)
    in_household[gcode[household]] = True
    where = np.where(in_household[gcode[pos]], "a domestic abuse incident in the child's household",
                     "abuse in the young person's own relationship (teenage relationship abuse)")
    level_text = np.array([_LEVEL_TEXT[v] for v in levels], dtype=object)
    out["explanation"] = (
        t["agency"] + " recorded " + pd.Series(where, index=t.index) + " on " + fmt_date(t["_day"]) + " ("
        + pd.Series(level_text, index=t.index) + ") and no notification to children's social care is recorded within " + str(n) + " working day"
        + ("s" if n != 1 else "") + " (by " + fmt_date(t["deadline"]) + ")"
        + outcome_text(r["action_event_id"], r["action_date"], out["delay_days"], "the next referral or notification by any agency",
                       action_when(ctx, r["action_pos"], t.index), none_text,
                       dated=referral_dated_text(ctx, r, t.index))
    )
    return out


def _not_escalated(ctx: Context, params: dict, triggers: pd.DataFrame, high: np.ndarray, scored: np.ndarray,
                   repeat: np.ndarray, incidents: pd.DataFrame) -> pd.DataFrame:
    """The flags of `triggers` (one row per event group) with no referral to children's social care or MARAC
    within `within_working_days`."""
    n = int(params["within_working_days"])
    triggers = due_within(triggers, working_days=n)

    found = referral_response(ctx, triggers, params)
    # the next such referral by any agency need not be about this abuse: one more than response_max_days after
    # it is not reported as its late response, nor one after the child's death (`cap_response`, `death_bound`)
    t, r, none_text = late_triggers(ctx, triggers, found, params)
    if t.empty:
        return t

    # why each trigger is high risk
    pos = t.index.to_numpy()
    reasons = np.full(len(t), "", dtype=object)
    reasons[high[pos]] = "high risk recorded (DASH / MARAC threshold)"
    reasons[~high[pos] & scored[pos]] = "a DASH score of " + str(int(params["dash_score_min"])) + " or more"
    # a repeat trigger's evidence: the incidents within the window up to it
    evidence = t["event_id"].astype("string")
    rep = t[repeat[pos]]
    if len(rep):
        window = int(params["repeat_window_days"])
        frame = rep.assign(lo=rep["_day"] - pd.Timedelta(days=window), hi=rep["_day"])
        pairs = window_pairs(ctx, frame[["_case", "lo", "hi"]], incidents[["_case", "_start", "_end", "event_id"]],
                             "lo", "hi")
        ids = joined(pairs["e_event_id"], pairs["t_index"])
        counts = pairs.groupby("t_index").size()
        evidence.loc[rep.index] = ids.reindex(rep.index).fillna("").astype("string") + "; " + rep["event_id"].astype("string")
        text = (counts.reindex(rep.index).fillna(0).astype(int).astype(str) + " domestic abuse incidents ("
                + ", ".join(map(str, params["repeat_contact_types"])) + ") within " + str(window) + " days").to_numpy(dtype=object)
        at = np.flatnonzero(repeat[pos])
        reasons[at] = np.where(reasons[at] == "", text, reasons[at] + "; " + text)

    out = deadline_rows(t, r, "referral to children's social care or to MARAC (police domestic abuse notification shared)")
    # a trigger group recording only abuse in the young person's own relationship (16 or 17) is no abuse in the
    # household ("boyfriend hit her"), nor a row of it whose domestic abuse words only name the risk assessment
    # of that relationship ("girlfriend hit him. DASH: High": relationship_abuse, and domestic_abuse for the DASH)
    gcode = ctx.timeline["_gcode"].to_numpy()
    household = np.zeros(int(gcode.max()) + 1 if len(gcode) else 1, dtype=bool)
    in_household = ctx.tags(params["abuse_tags"]).to_numpy(dtype=bool, copy=True)
    if params.get("relationship_abuse_tags"):
        in_household &= ~ctx.tags(params["relationship_abuse_tags"]).to_numpy(dtype=bool)
    household[gcode[in_household]] = True
    where = np.where(household[gcode[pos]], "domestic abuse in the child's household",
                     "abuse in the young person's own relationship (teenage relationship abuse)")
    out["evidence_event_ids"] = evidence.array
    out["explanation"] = (
        t["agency"] + " recorded " + pd.Series(where, index=t.index) + " on " + fmt_date(t["_day"]) + " ("
        + pd.Series(reasons, index=t.index) + ") and no referral to children's social care or to MARAC is recorded within "
        + str(n) + " working day" + ("s" if n != 1 else "") + " (by " + fmt_date(t["deadline"]) + ")"
        + outcome_text(r["action_event_id"], r["action_date"], out["delay_days"], "the next such referral by any agency",
                       action_when(ctx, r["action_pos"], t.index), none_text,
                       dated=referral_dated_text(ctx, r, t.index))
    )
    return out


_NFA_COLUMNS = _COLUMNS + ["age_display", "_age_days"]
#: how the explanation names `nfa_overturned_by`
_NFA_NAMES = {"strategy_discussion": "strategy discussion", "s47_enquiry": "section 47 enquiry",
              "cp_conference": "child protection conference", "assessment": "assessment"}


def _nfa_decisions(ctx: Context, params: dict, high_risk_rows: np.ndarray, high: np.ndarray) -> pd.DataFrame | None:
    """Variant nfa_decision: social care (`nfa_agency_kinds`) deciding no further action or early help
    (`nfa_keywords`, not negated: the vocabulary's cues plus `nfa_negations`) on a notification its own row
    records as high risk (`high_risk_rows`: the triggers that are high risk or scored, child living in the
    household), with a child younger than `nfa_max_age_months`: "Police notification of DA incident 10/05,
    DASH high. NFA - passed to Early Help" about a baby of 4 months (Working Together 2023 ch. 2; the Domestic
    Abuse Statutory Guidance 2022). Not flagged when social care held one of `nfa_overturned_by` (a contact
    type or an escalation that took place) from its day to the `within_working_days`-th working day after.
    One flag per event group; None when the variant is switched off (no `nfa_keywords`)."""
    from ..schema import CONTACT_TYPES, ESCALATIONS
    from .base import held_escalations, text_mentions, types_held

    keywords = [str(k) for k in params.get("nfa_keywords") or () if normalise_text(k)]
    kinds = list(params.get("nfa_agency_kinds") or ())
    if not keywords or not kinds:
        return None
    tl = ctx.timeline
    months = float(params["nfa_max_age_months"])
    young = ((tl["_age_days"] >= 0) & (tl["_age_days"] < months * 30.4375)).fillna(False).to_numpy(dtype=bool)
    mask = high_risk_rows & young & ctx.kinds(kinds).to_numpy(dtype=bool)
    if not mask.any():
        return None
    mask &= text_mentions(ctx, mask, keywords, tuple(str(w) for w in params.get("nfa_negations") or ())).to_numpy(dtype=bool)
    t = first_per_group(rows_of(ctx, mask, _NFA_COLUMNS))
    if t.empty:
        return None
    n = int(params["within_working_days"])
    t = due_within(t, working_days=n)
    overturned = list(params.get("nfa_overturned_by") or ())
    answer = np.zeros(len(tl), dtype=bool)
    types = [x for x in overturned if x in CONTACT_TYPES]
    escalations = [x for x in overturned if x in ESCALATIONS]
    if types:
        answer |= types_held(ctx, types).to_numpy(dtype=bool)
    if escalations:
        answer |= held_escalations(ctx, escalations).to_numpy(dtype=bool)
    answer &= ctx.kinds(kinds).to_numpy(dtype=bool)
    found = first_response(ctx, t, pd.Series(answer, index=tl.index))
    t, r, none_text = late_triggers(ctx, t, found, params)
    if t.empty:
        return None
    names = [_NFA_NAMES.get(x, x.replace("_", " ")) for x in overturned] or ["strategy discussion"]
    what = names[0] if len(names) == 1 else ", ".join(names[:-1]) + " or " + names[-1]
    out = deadline_rows(t, r, "a strategy discussion or assessment, not no further action or early help, on a "
                              "high-risk domestic abuse notification about a child under "
                        + f"{months:g}" + " months")
    out["variant"] = "nfa_decision"
    reason = np.where(high[t.index.to_numpy()], "high risk recorded (DASH / MARAC threshold)", "a DASH score of "
                      + str(int(params["dash_score_min"])) + " or more")
    out["explanation"] = (
        t["agency"] + " decided no further action or early help on " + fmt_date(t["_day"])
        + " on a domestic abuse notification (" + pd.Series(reason, index=t.index) + ") about a child aged "
        + fmt_age(t) + " (under " + f"{months:g}" + " months), and no " + what
        + " by children's social care is recorded within " + str(n) + " working day" + ("s" if n != 1 else "")
        + " (by " + fmt_date(t["deadline"]) + ")"
        + outcome_text(r["action_event_id"], r["action_date"], out["delay_days"], "the next one by children's social care",
                       action_when(ctx, r["action_pos"], t.index), none_text)
    )
    return out
