"""The rule engine's shared machinery: the rule registry, the prepared timeline every rule reads, and
the vectorised building blocks the rules are made of (windows, first responses, flag assembly).

Partial dates (month / year / approximate precision) are periods, never days: a partial-date row can be
evidence, but never a trigger or a deadline anchor (but for child_not_seen's flag at the end of the review
of a stretch recorded only with partial dates, and assessment_wait's request, anchored on their latest
possible days), and a flag is
raised only when it holds whatever day in its period each partial-date row fell on (docs/rules.md,
"Partial dates").
"""
from __future__ import annotations

import datetime as dt
import functools
import hashlib
import json
import re
import weakref
from dataclasses import dataclass, field
from typing import Callable

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from ..config import deep_merge, package_data
from ..ingest.dates import approximate_unit, season_label, week_unit
from ..schema import ADULT_ESCALATIONS, CONTACT_TYPES, FLAG_COLUMNS, MULTI_SEP, TIMELINE_COLUMNS, conform, empty_frame, split_multi
from ..sightings import inferred_sightings
from ..timeline import APPROXIMATE_SPAN_DAYS, CONCERN_WINDOW_DAYS, _codes
from ..vocab import Phrases, compile_vocab, normalise_text
from ..workdays import add_working_days

DAY = pd.Timedelta(days=1)
PARTIAL_PRECISIONS = ("month", "season", "year", "approximate")
PRECISION_RANK = {"day": 0, "": 0, "approximate": 1, "month": 2, "season": 3, "year": 4}


# ---------------------------------------------------------------------------------------------------
# Registry
# ---------------------------------------------------------------------------------------------------
@dataclass(frozen=True)
class Rule:
    rule_id: str
    function: Callable  # (ctx: Context, params: dict) -> DataFrame of flag rows (see `finish_flags`)
    doc: str = ""


REGISTRY: dict[str, Rule] = {}


def register(rule_id: str):
    """Decorator: add a rule function to the registry under its (stable) rule id."""

    def decorate(function):
        REGISTRY[rule_id] = Rule(rule_id, function, (function.__doc__ or "").strip())
        return function

    return decorate


# ---------------------------------------------------------------------------------------------------
# The prepared timeline
# ---------------------------------------------------------------------------------------------------
@dataclass
class Context:
    """The timeline sorted into a canonical order (independent of the input row order) plus helper
    columns the rules share:

    ``_case`` int code of case_id · ``_day`` the calendar day of `date` · ``_exact`` day precision ·
    ``_start`` / ``_end`` the period the row could fall in (equal to ``_day`` for exact rows) ·
    ``_age_days`` · ``_mobile`` · ``_review_end`` · ``_agency`` int code of (case, agency) ·
    ``_group`` the event group (own event id when alone) and ``_gcode`` its int code · ``_sd`` / ``_ed``
    ``_start`` / ``_end`` as day numbers.
    """

    timeline: pd.DataFrame
    settings: dict
    case_ids: pd.Index
    extra: dict = field(default_factory=dict)

    # -- masks ------------------------------------------------------------------------------------
    # Text columns are factorised once (a chronology repeats a few values many times): a mask is then
    # a lookup on the distinct values, not a string comparison over every row. The codes (read-only) are
    # those the timeline made of the same column when it still holds the same Arrow array
    # (`timeline._codes`); only equality of codes matters here, not their numbering.
    def _coded(self, column: str) -> tuple[np.ndarray, np.ndarray]:
        key = ("coded", column)
        if key not in self.extra:
            self.extra[key] = _codes(self.timeline[column], sort=False)
        return self.extra[key]

    def _isin(self, column: str, values) -> pd.Series:
        codes, uniques = self._coded(column)
        hit = np.append(np.isin(uniques, [str(v) for v in values]), False)  # code -1 (NA) -> False
        return pd.Series(hit[codes], index=self.timeline.index)

    def _tag_bits(self) -> tuple[np.ndarray, dict]:
        """One int64 bit set of concern tags per row, and tag -> bit."""
        if "tag_bits" not in self.extra:
            codes, uniques = self._coded("concerns")
            names = sorted({t.strip() for u in uniques for t in str(u).split(";") if t.strip()})
            bit = {name: np.int64(1) << np.int64(i) for i, name in enumerate(names[:63])}
            per_unique = np.array(
                [sum(int(bit.get(t.strip(), 0)) for t in set(str(u).split(";")) if t.strip()) for u in uniques] + [0],
                dtype="int64",
            )
            self.extra["tag_bits"] = (per_unique[codes], bit)
        return self.extra["tag_bits"]

    def tags(self, tags, frame: pd.DataFrame | None = None) -> pd.Series:
        """Rows (of the timeline, or of `frame`, a subset of its rows) whose concerns include any of `tags`."""
        bits, bit = self._tag_bits()
        wanted = np.int64(0)
        for tag in tags:
            wanted |= bit.get(tag, np.int64(0))
        hit = pd.Series((bits & wanted) != 0, index=self.timeline.index)
        return hit if frame is None else hit.loc[frame.index]

    def escalations(self, kinds=None) -> pd.Series:
        """Rows that were an escalation of any of `kinds` (any escalation when None). A cell may hold
        several ("cp_medical; referral_to_csc"); each distinct cell is split once."""
        codes, uniques = self._coded("escalation")
        if "escalation_parts" not in self.extra:
            self.extra["escalation_parts"] = [frozenset(split_multi(u)) for u in uniques]
        parts = self.extra["escalation_parts"]
        if kinds is None:
            hit = [bool(p) for p in parts]
        else:
            wanted = {str(k) for k in kinds}
            hit = [not wanted.isdisjoint(p) for p in parts]
        hit = np.append(np.array(hit, dtype=bool), False)  # code -1 (NA) -> False
        return pd.Series(hit[codes], index=self.timeline.index)

    def types(self, contact_types) -> pd.Series:
        return self._isin("contact_type", contact_types)

    def kinds(self, agency_kinds) -> pd.Series:
        return self._isin("agency_kind", agency_kinds)


_VOCABS: dict = {}  # (case vocabulary key, extra post-negation cues) -> (the vocabulary mapping, kept alive,
#                    and its compiled form)

#: vocab.yml keys the rules' reading of texts never uses (agency names and kinds: ingest's alone). A case
#: whose vocab.yml holds only these reads its texts with the package vocabulary, compiled once for all
RULES_IGNORE_VOCAB = ("agencies", "agency_kinds", "agency_kind_generic")


def _negating_vocab(negations: tuple, key: str = "", before: tuple = ()):
    """The package vocabulary (its negation cues, pseudo-negations, clause breaks, escalation negation
    cues and denial words), extended by a case's vocab.yml when `key` (`vocab_key`) is not empty, compiled
    with `negations` added to its post-negation cues and `before` (s22) to its negation cues (before the
    words, within `negation_window`). Compiled once per (key, negations, before) in a process."""
    cache = (key, negations) if not before else (key, negations, "before", before)
    if cache not in _VOCABS:
        if len(_VOCABS) > 256:  # distinct case vocabularies are few: a bound, never reached in practice
            _VOCABS.clear()
        raw = package_data("vocab.yml")
        if key:
            raw = deep_merge(raw, json.loads(key))  # as `review.config.load_vocab` merges a case's vocab.yml
        raw["negation_post_cues"] = list(raw.get("negation_post_cues") or []) + list(negations)
        if before:
            raw["negation_cues"] = list(raw.get("negation_cues") or []) + list(before)
        _VOCABS[cache] = (raw, compile_vocab(raw))
    return _VOCABS[cache][1]


_PLAN_KEYS = ("plan_cues", "plan_post_cues", "plan_next_cues", "plan_last_cues")


def plans_as_records(raw: dict, cues) -> dict:
    """The raw vocabulary `raw` with `cues` taken out of its plan cues (`plan_cues`, `plan_post_cues`,
    `plan_next_cues`, `plan_last_cues`): read with it, a text that arranges a meeting or an assessment with one of
    `cues` records it ("Strategy discussion to be arranged"), as a decision to hold it is recorded; the other plan
    cues ("awaiting", "pending") and the escalation negation cues ("cancelled", "not held") still deny it."""
    drop = {normalise_text(c) for c in cues}
    out = dict(raw)
    for key in _PLAN_KEYS:
        out[key] = [c for c in (raw.get(key) or []) if normalise_text(c) not in drop]
    return out


def _planning_vocab(cues: tuple, key: str = ""):
    """`_negating_vocab((), key)` with `cues` taken out of its plan cues (`plans_as_records`). Compiled once per
    (key, cues) in a process."""
    if (key, "planned", cues) not in _VOCABS:
        _negating_vocab((), key)
        raw = _VOCABS[(key, ())][0]
        _VOCABS[(key, "planned", cues)] = (None, compile_vocab(plans_as_records(raw, cues)))
    return _VOCABS[(key, "planned", cues)][1]


def vocab_key(own) -> str:
    """What of a case's own vocab.yml (`own`, as parsed; None or {} for none) the rules read, as a text
    (JSON, in the file's order): "" when nothing (no vocab.yml, or one naming only agencies), the package
    vocabulary."""
    if not own:
        return ""
    kept = {k: v for k, v in dict(own).items() if k not in RULES_IGNORE_VOCAB}
    return json.dumps(kept, default=str, ensure_ascii=False, separators=(",", ":")) if kept else ""


_OWN_KEYS: dict = {}  # the bytes of a case's vocab.yml -> its `vocab_key`


def case_vocab_key(case, case_id: str) -> str:
    """The `vocab_key` of one case's vocabulary (a CaseConfig, Case, or mapping of case_id -> either, as
    `prepare` takes it): the CaseConfig's ``vocab`` when it has one (a case store's), else the vocab.yml in
    its case folder, the one ingest read the case's chronologies with (`review.config.own_vocab`); ""
    (the package vocabulary) for a case `case` says nothing about. With the child's given name of case.yml's
    child_name added to its sighting_child_names (`review.sightings.with_child_names`: "Maisie seen" is the
    child seen), so every reading cached per key reads each case with its own child's name."""
    from ..sightings import with_child_names

    config = _case_config(case, case_id)
    if config is None:
        return ""
    return with_child_names(_own_vocab_key(config), getattr(config, "child_name", None))


def _own_vocab_key(config) -> str:
    """`case_vocab_key` of the case configuration `config`, its case's own vocab.yml only."""
    own = getattr(config, "vocab", None)
    if own is not None:
        return vocab_key(own)
    case_dir = getattr(config, "case_dir", None)
    if case_dir is None:
        return ""
    from ..config import case_file, own_vocab

    path = case_file(case_dir, "vocab.yml")
    try:
        content = path.read_bytes()
    except (FileNotFoundError, NotADirectoryError, IsADirectoryError):
        return ""
    if content not in _OWN_KEYS:
        if len(_OWN_KEYS) > 256:
            _OWN_KEYS.clear()
        _OWN_KEYS[content] = vocab_key(own_vocab(case_dir))
    return _OWN_KEYS[content]


def row_vocabs(ctx: Context) -> tuple[np.ndarray, list]:
    """(per timeline row the number of its case's vocabulary, the `vocab_key` of each number): number 0
    is the package vocabulary's ("") when any case reads with it. Every number 0 when every case does."""
    if "row_vocabs" not in ctx.extra:
        keys = ctx.extra.get("vocab_keys")
        if not keys or not any(keys):
            numbers, distinct = np.zeros(len(ctx.timeline), dtype="int64"), [""]
        else:
            codes, uniques = pd.factorize(pd.Series(keys, dtype=object), sort=True)  # "" first
            numbers, distinct = codes.astype("int64")[ctx.timeline["_case"].to_numpy()], list(uniques)
        ctx.extra["row_vocabs"] = (numbers, distinct)
    return ctx.extra["row_vocabs"]


#: a keyword's last word shorter than this, or holding a digit, is an abbreviation or a short word ("NFA",
#: "CP", "ED", "s47", "care") and matches only the whole word: "nfa" is not in "nfant" or "NFAT"
_OPEN_ENDED_MIN = 5


def _open_ended(words: str) -> bool:
    """May the last word of the normalised keyword `words` be the start of a longer word ("assessment" in
    "assessments")? Not an abbreviation or a short word (`_OPEN_ENDED_MIN`)."""
    last = words.rsplit(" ", 1)[-1]
    return len(last) >= _OPEN_ENDED_MIN and last.isalpha()


@functools.lru_cache(maxsize=256)
def _keyword_patterns(keywords: tuple, whole_words: bool) -> tuple[tuple, frozenset, frozenset]:
    """What `_mentioned` searches the joined tokens with for `keywords`: per keyword, the compiled pattern
    finding it (from the start of a word; its last word possibly longer, `_open_ended`, unless
    `whole_words`); with `whole_words`, the normalised keywords that are labels (ending in a colon) and
    those that are not."""
    patterns, labels, plain = [], set(), set()
    for keyword in keywords:
        words = normalise_text(keyword)
        if not words:
            continue
        if whole_words and keyword.rstrip().endswith(":"):
            labels.add(words)
        else:
            plain.add(words)
        patterns.append(re.compile(r"(?<!\S)" + re.escape(words) + (
            r"\S*" if _open_ended(words) and not whole_words else r"(?!\S)")))
    return tuple(patterns), frozenset(labels), frozenset(plain)


def _mentioned(text: str, keywords: list, negations: tuple, others: tuple = (), vocab: str = "",
               whole_words: bool = False, before: tuple = ()) -> bool:
    """Does `text` mention one of `keywords` (normalised: whole words, the last one from its start when it
    is at least five letters long, so "assessment" matches "assessments"; an abbreviation or a short word
    only whole: "NFA" is not "NFAT") at least once without a negation (review.vocab's rules: "no assessment
    required", "NFA not agreed") and without one of `others` in its sentence (words naming another agency's
    outcome: "Police: no further action on the criminal investigation" is not social care's)? A sentence
    ends at . ; ! ? a newline, brackets, a spaced dash or a break word ("but"), not at a colon or a comma.
    A mention the word lists cannot place is taken as a mention. `vocab`: the `vocab_key` of the case's
    vocabulary ("": the package's). With `whole_words`, every keyword matches only whole ("assessment
    complete" is not "assessment completion"), and a keyword ending in a colon is a label, found only with
    its colon ("assessment outcome:" is not "assessment outcome awaited"). `before` (s22): extra negation cues
    read before a keyword, as the vocabulary's own are ("to be", "will be": "RHI request to be sent to CSC" is
    no request sent)."""
    vocab = _negating_vocab(tuple(negations), vocab, tuple(before))
    tokens = vocab.tokens(text)
    joined = " ".join(tokens)
    patterns, labels, plain = _keyword_patterns(tuple(map(str, keywords)), whole_words)
    found = set()
    for pattern in patterns:
        found.update(pattern.findall(joined))
    if not found:
        return False
    spans = vocab.find_spans(tokens, Phrases(found))
    if labels:  # a label's words only where its colon follows them (the tokens keep a colon as "|:")
        spans = [k for k in spans if k[2] not in labels or k[2] in plain
                 or (k[1] < len(tokens) and tokens[k[1]] == "|:")]
    if spans and others:
        named = [start for start, _, _ in _phrases(others).find(tokens)]
        spans = [k for k in spans if not any(_same_sentence(tokens, i, k[0]) for i in named)]
    return bool(spans)


@functools.lru_cache(maxsize=64)
def _phrases(words: tuple) -> Phrases:
    return Phrases(words)


def _same_sentence(tokens: list, i: int, j: int) -> bool:
    """Is no sentence mark ("|", a spaced dash's "|-" or a break word's "|b"; not a colon's "|:") between
    tokens `i` and `j`?"""
    return not any(t == "|" or t == "|-" or t == "|b" for t in tokens[min(i, j) : max(i, j)])


def _keyword_regex(keywords) -> str:
    """An RE2 pattern finding, in lower-cased text with apostrophes dropped, every place where
    `_mentioned` can find one of `keywords`: its words from the start of a word, any run of characters
    other than letters and digits between them (the tokens of `review.vocab.tokenise` are the runs of
    letters and digits), the last one possibly longer ("assessment" in "assessments") unless it is an
    abbreviation or a short word (`_open_ended`: "nfa" ends its word). It may also match where `_mentioned`
    finds nothing (across a comma or a full stop): it only picks the texts to read."""
    sep = r"[^\pL\pN]+"
    alternatives = sorted({
        sep.join(re.escape(w) for w in words.split()) + ("" if _open_ended(words) else r"(?:[^\pL\pN]|$)")
        for words in map(normalise_text, keywords) if words
    })
    return r"(?:^|[^\pL\pN])(?:" + "|".join(alternatives) + ")"


#: an apostrophe, which `_texts_matching` drops from a text before `_keyword_regex` searches it
_APOSTROPHE = "['’‘]"


def _keyword_prefilter(keywords) -> str:
    """An RE2 pattern that finds something in the lower-cased text (apostrophes kept) of every text in
    which `_keyword_regex(keywords)` finds something, written without Unicode classes: RE2 runs a pattern
    with \\pL and \\pN, and a choice at its start, some 50 times slower (~13 microseconds a text: 30 s over
    the 2 million descriptions and actions of a million contacts with texts of their own). A letter or
    digit there is only a-z or 0-9, so "not a letter or digit" takes in more; an apostrophe may stand
    between any two characters of a word, as `_keyword_regex` reads the text without them ("children's"
    is "childrens")."""
    sep = "[^a-z0-9]+"
    alternatives = sorted({
        sep.join((_APOSTROPHE + "*").join(re.escape(c) for c in w) for w in words.split())
        + ("" if _open_ended(words) else "(?:[^a-z0-9]|$)")
        for words in map(normalise_text, keywords) if words
    })
    return "(?:^|[^a-z0-9])(?:" + "|".join(alternatives) + ")"


def _texts_matching(texts: np.ndarray, pattern: str, prefilter: str | None = None,
                    ascii_: np.ndarray | None = None) -> np.ndarray:
    """Which of `texts` (an object array of str, or an Arrow string array) `pattern` (`_keyword_regex`)
    finds something in, searched by Arrow's regex engine over the whole array at once; only among those
    `prefilter` (`_keyword_prefilter` of the same keywords) finds something in, when given.

    Both search the texts lower-cased. Many texts (`_CASELESS_FROM`) are pre-filtered without lower-casing
    them all first: an ASCII text is searched as it is, the pre-filter ignoring case (for ASCII text the
    same as searching it lower-cased: only A-Z change, and they match as a-z do), the others lower-cased."""
    if not len(texts):
        return np.zeros(0, dtype=bool)
    column = texts if isinstance(texts, pa.Array) else pa.array(texts, type=pa.large_string())
    if prefilter is not None and len(texts) >= _CASELESS_FROM:
        out = _prefiltered_caseless(column, prefilter, ascii_)
        if not out.any():
            return out
        column = pc.utf8_lower(column.filter(pa.array(out)))
    else:
        column = pc.utf8_lower(column)
        out = np.ones(len(texts), dtype=bool)
        if prefilter is not None:
            out = np.array(pc.fill_null(pc.match_substring_regex(column, prefilter), False), dtype=bool)
            if not out.any():
                return out
            column = column.filter(pa.array(out))
    column = pc.replace_substring_regex(column, _APOSTROPHE, "")
    out[out] = pc.fill_null(pc.match_substring_regex(column, pattern), False).to_numpy(zero_copy_only=False)
    return out


#: from this many texts on, `_texts_matching` pre-filters ASCII texts without lower-casing them
_CASELESS_FROM = 20_000


def _prefiltered_caseless(column: pa.Array, prefilter: str, ascii_: np.ndarray | None = None) -> np.ndarray:
    """`match_substring_regex(utf8_lower(column), prefilter)` (nulls False): the ASCII texts searched as
    they are with case ignored, the rest lower-cased first. `ascii_`: which texts are ASCII (a null as
    ASCII), when known (`_arrow_ascii`)."""
    if ascii_ is None:
        ascii_ = _ascii_mask(column)
    out = np.array(pc.fill_null(pc.match_substring_regex(column, prefilter, ignore_case=True), False), dtype=bool)
    other = np.flatnonzero(~ascii_)
    if len(other):
        lowered = pc.utf8_lower(column.take(pa.array(other)))
        out[other] = np.array(pc.fill_null(pc.match_substring_regex(lowered, prefilter), False), dtype=bool)
    return out


def _texts(ctx: Context, column: str) -> tuple[np.ndarray, np.ndarray]:
    """(codes, distinct texts) of the description or action column (`Context._coded`), the distinct texts
    followed by "" for code -1 (NA); kept in the context (read-only)."""
    key = ("texts", column)
    if key not in ctx.extra:
        codes, uniques = ctx._coded(column)
        ctx.extra[key] = (codes, np.append(uniques, ""))
    return ctx.extra[key]


def read_row_texts(ctx: Context, pos: np.ndarray, read, dtype=object) -> np.ndarray:
    """``read(text, vocabulary key)`` for each timeline row at `pos`, where text is its description and action
    read together ("description . action"): each distinct (case vocabulary, description, action) read once."""
    if not len(pos):
        return np.zeros(0, dtype=dtype)
    (d_codes, d_uniques), (a_codes, a_uniques) = _texts(ctx, "description"), _texts(ctx, "action")
    d, a = d_codes[pos].astype("int64"), a_codes[pos].astype("int64")
    numbers, keys = row_vocabs(ctx)
    vn = numbers[pos]
    inverse, _ = pd.factorize((vn * (len(d_uniques) + 1) + d) * (len(a_uniques) + 1) + a)
    found = np.array([read(str(d_uniques[d[i]]) + " . " + str(a_uniques[a[i]]), keys[vn[i]])
                      for i in _first_of_each(inverse)], dtype=dtype)
    return found[inverse]


def _first_of_each(inverse: np.ndarray) -> np.ndarray:
    """The position of the first occurrence of each code of `inverse` (codes numbered in order of first
    appearance, as `pd.factorize` numbers them), in code order: ``np.unique(inverse, return_index=True)[1]``
    without a sort."""
    if not len(inverse):
        return np.zeros(0, dtype="int64")
    return np.flatnonzero(inverse > np.maximum.accumulate(np.r_[-1, inverse[:-1]]))


#: from this many distinct texts on, `_rows_matching` searches them as the column's Arrow uniques
_ARROW_TEXTS_FROM = 50_000


def _arrow_texts(ctx: Context, column: str) -> pa.Array:
    """The distinct texts of `_texts(ctx, column)` but the "" after them, as an Arrow array in the same
    order (the column's factorisation's own, no copy); kept in the context."""
    key = ("arrow texts", column)
    if key not in ctx.extra:
        from ..timeline import _arrow_uniques

        ctx._coded(column)  # the codes the uniques belong to, made first
        arrow, texts = _arrow_uniques(ctx.timeline[column], sort=False), _texts(ctx, column)[1]
        if len(arrow) != len(texts) - 1:  # not the same factorisation: never seen, but never wrong
            arrow = pa.array(texts[:-1], type=pa.large_string())
        ctx.extra[key] = arrow
    return ctx.extra[key]


def _ascii_mask(column: pa.Array) -> np.ndarray:
    """Which texts of `column` are ASCII (a null counting as one)."""
    return np.asarray(pc.fill_null(pc.string_is_ascii(column), True), dtype=bool)


def _arrow_ascii(ctx: Context, column: str) -> np.ndarray:
    """`_ascii_mask` of `_arrow_texts(ctx, column)`, kept in the context: each search of many texts
    (`_prefiltered_caseless`) takes its texts' part of it rather than testing them again."""
    key = ("arrow ascii", column)
    if key not in ctx.extra:
        ctx.extra[key] = _ascii_mask(_arrow_texts(ctx, column))
        ctx.extra[key].flags.writeable = False
    return ctx.extra[key]


def _rows_matching(ctx: Context, pos: np.ndarray, keywords) -> np.ndarray:
    """Which of the timeline rows at positions `pos` have a description or an action in which
    `_keyword_regex(keywords)` finds something: each distinct text of those rows searched once."""
    pattern, prefilter = _keyword_regex(keywords), _keyword_prefilter(keywords)
    maybe = np.zeros(len(pos), dtype=bool)
    for column in ("description", "action"):
        maybe |= _column_matching(ctx, column, pos, pattern, prefilter)
    return maybe


def _column_matching(ctx: Context, column: str, pos: np.ndarray, pattern: str, prefilter: str) -> np.ndarray:
    """Which of the timeline rows at positions `pos` have a text in `column` (description or action) in which
    `pattern` finds something: each distinct text of those rows searched once (`_rows_matching`)."""
    codes, uniques = _texts(ctx, column)
    codes = codes[pos]
    seen = np.zeros(len(uniques), dtype=bool)
    seen[codes] = True  # code -1 (NA): the last, ""
    used = np.flatnonzero(seen)  # the distinct texts of these rows only
    hit = np.zeros(len(uniques), dtype=bool)
    # many distinct texts (a rule reading every row of real chronologies) are taken from the column's
    # Arrow uniques, not turned from Python strings into Arrow again
    if len(used) >= _ARROW_TEXTS_FROM:
        used = used[used < len(uniques) - 1]  # not the "" for NA, in which no keyword is found
        texts, ascii_ = _arrow_texts(ctx, column), _arrow_ascii(ctx, column)
        if len(used) != len(texts):
            texts, ascii_ = texts.take(pa.array(used)), ascii_[used]  # used is sorted
        hit[used] = _texts_matching(texts, pattern, prefilter, ascii_)
    else:
        hit[used] = _texts_matching(uniques[used], pattern, prefilter)
    return hit[codes]


def types_held(ctx: Context, contact_types) -> pd.Series:
    """Rows of any of `contact_types` that record it taking place: not those whose description or action
    names it only to say it did not happen ("Strategy discussion not held", "strategy meeting cancelled",
    "ICPC postponed", "assessment not started", "case not closed"), as `review.vocab.denies` reads them with
    the escalation negation cues and denial words of the row's case's vocabulary (review/data/vocab.yml and
    the case's vocab.yml, `row_vocabs`). The contact type of such a row
    names the meeting, assessment, decision or closure it is about, not one that took place: it must neither
    satisfy a requirement nor start or end one, assess a concern, or be a decision point. Each distinct
    (description, action) pair of the typed rows is read once, and each type once per prepared timeline
    (several rules ask about the same types)."""
    tl = ctx.timeline
    out = np.zeros(len(tl), dtype=bool)
    for name in dict.fromkeys(str(t) for t in contact_types):
        out |= _type_held(ctx, name)
    return pd.Series(out, index=tl.index)


def types_recorded(ctx: Context, contact_types, mask, *, under_way: bool = False, planned=()) -> pd.Series:
    """Rows of `mask` whose description or action records one of `contact_types` taking place whatever the
    row's own type (`review.vocab.records_type` with the row's case's vocabulary: "Initial assessment started
    following GP referral", typed referral, records an assessment; not "Assessment not started"). With
    `under_way`, only where the type's words are followed straight by its affirmation
    (`review.vocab.records_under_way`: "Single assessment started"; not "Referral for assessment"). The
    candidates are picked by a vectorised whole-word search for the types' keywords (`_rows_matching`, which
    finds every place the tokens can hold one); each distinct (vocabulary, description, action) of them is
    read once. With `planned` (plan cues), a text that arranges the type with one of them records it too
    (`plans_as_records`: "Strategy discussion to be arranged"; still not "Awaiting strategy discussion")."""
    from ..vocab import denies, names_type, records_under_way

    tl = ctx.timeline
    out = np.zeros(len(tl), dtype=bool)
    names = list(dict.fromkeys(str(t) for t in contact_types))
    pos = np.flatnonzero(np.asarray(mask, dtype=bool))
    numbers, keys = row_vocabs(ctx)
    planned = tuple(sorted({str(c) for c in planned}))
    vocabs = [_planning_vocab(planned, key) if planned else _negating_vocab((), key) for key in keys]
    keywords = sorted({k for v in vocabs for k, rank in v.contact_type_rank.items() if v.contact_types[rank] in names})
    if not names or not keywords or not len(pos):
        return pd.Series(out, index=tl.index)
    pos = pos[_rows_matching(ctx, pos, keywords)]
    if not len(pos):
        return pd.Series(out, index=tl.index)
    inverse, first, v, row_text = _distinct_texts(ctx, pos, numbers)
    hits = np.zeros(len(first), dtype=bool)
    for number in np.unique(v[first]):  # the texts read with each vocabulary
        at = np.flatnonzero(v[first] == number)
        vocab = vocabs[number]
        texts = np.array([row_text(i) for i in first[at]], dtype=object)
        found = np.zeros(len(at), dtype=bool)
        for name in names:
            if under_way:  # the type's words and its affirmation, not denied: one reading per text
                found |= np.array([not f and records_under_way(name, t, vocab) for f, t in zip(found, texts)], dtype=bool)
                continue
            named = np.flatnonzero(~found & np.array([names_type(name, t, vocab) for t in texts], dtype=bool))
            # many texts: `denies` is read only where a negation cue may reach the words (`_may_deny`, as
            # `_texts_denying` reads them); elsewhere they record the type
            maybe = np.ones(len(named), dtype=bool)
            if len(named) >= _DENIAL_SEARCH_FROM:
                maybe = _may_deny(texts[named], _denial_prefilter(vocab.denial_words(name), _negation_phrases(vocab, name)))
            denied = np.zeros(len(named), dtype=bool)
            denied[maybe] = [denies(name, t, vocab) for t in texts[named[maybe]]]
            found[named[~denied]] = True
        hits[at] = found
    out[pos] = hits[inverse]
    return pd.Series(out, index=tl.index)


def closures_in_action(ctx: Context) -> np.ndarray:
    """Per timeline row (read-only; kept in the context): does its action or outcome cell record its case
    closed, whatever the row's own type? A row by one of the `closure_in_action_agency_kinds` setting
    (children's social care) whose action names a case closure and does not deny it (`review.vocab.records_type`
    of `case_closure` with the row's case's vocabulary: "No concerns. Mother's explanation plausible. Case closed
    - NFA." of a home visit, "Closed - no further action", "NFA"; not "Case not closed", "NFA not agreed"). Social
    care's outcome column records its decision on the contact it closes (a referral, a home visit): the closure
    rule, referral_no_decision and the decision points read such a row as a closure, while it keeps its own
    contact type. Only the action is read: a description's "asking why the case was closed" closes nothing, and
    another agency's "No further action by victim" or a GP's "Noted. NFA." closes no social care case. The
    candidates are picked by a vectorised whole-word search of the distinct actions for the type's keywords;
    each distinct (vocabulary, action) of them is read once."""
    key = "closures in action"
    if key in ctx.extra:
        return ctx.extra[key]
    tl = ctx.timeline
    out = np.zeros(len(tl), dtype=bool)
    kinds = ctx.settings.get("closure_in_action_agency_kinds") or ()
    codes, uniques = _texts(ctx, "action")
    pos = np.flatnonzero(ctx.kinds(kinds).to_numpy(dtype=bool) & (codes >= 0)) if kinds else np.zeros(0, dtype="int64")
    numbers, keys = row_vocabs(ctx)
    vocabs = [_negating_vocab((), k) for k in keys]
    keywords = sorted({k for v in vocabs for k, rank in v.contact_type_rank.items()
                       if v.contact_types[rank] == "case_closure"})
    if not keywords:
        pos = pos[:0]
    elif len(pos):
        # the rows whose action names a closure's keywords, by one search over their distinct actions
        pos = pos[_column_matching(ctx, "action", pos, _keyword_regex(keywords), _keyword_prefilter(keywords))]
    if len(pos):
        a, v = codes[pos].astype("int64"), numbers[pos]
        inverse, _ = pd.factorize(v * (len(uniques) + 1) + a)
        first = _first_of_each(inverse)
        read = np.zeros(len(first), dtype=bool)
        for number in np.unique(v[first]):  # the texts read with each vocabulary
            at = np.flatnonzero(v[first] == number)
            read[at] = _records_closure(uniques[a[first[at]]], vocabs[number])
        out[pos] = read[inverse]
    out.flags.writeable = False
    ctx.extra[key] = out
    return out


def _records_closure(texts: np.ndarray, vocab) -> np.ndarray:
    """`review.vocab.records_type("case_closure", text)` of each of `texts` (distinct actions): `denies` read only
    where a negation cue may reach the words when they are many (`_may_deny`, as `types_recorded` reads them)."""
    from ..vocab import denies, names_type

    texts = np.asarray(texts, dtype=object)
    named = np.flatnonzero(np.array([names_type("case_closure", str(t), vocab) for t in texts], dtype=bool))
    maybe = np.ones(len(named), dtype=bool)
    if len(named) >= _DENIAL_SEARCH_FROM:
        maybe = _may_deny(texts[named], _denial_prefilter(vocab.denial_words("case_closure"),
                                                          _negation_phrases(vocab, "case_closure")))
    denied = np.zeros(len(named), dtype=bool)
    denied[maybe] = [denies("case_closure", str(t), vocab) for t in texts[named[maybe]]]
    out = np.zeros(len(texts), dtype=bool)
    out[named[~denied]] = True
    return out


def _distinct_texts(ctx: Context, pos: np.ndarray, numbers: np.ndarray):
    """The rows `pos` by distinct (case vocabulary number, description, action): (inverse: each row's group,
    first: a row of each group in code order, v: the rows' vocabulary numbers, row_text(i): the description
    and action of row i of `pos` joined as the readings take them, "description . action")."""
    (d_codes, d_uniques), (a_codes, a_uniques) = _texts(ctx, "description"), _texts(ctx, "action")
    d, a, v = d_codes[pos].astype("int64"), a_codes[pos].astype("int64"), numbers[pos]
    inverse, _ = pd.factorize((v * (len(d_uniques) + 1) + d) * (len(a_uniques) + 1) + a)

    def row_text(i: int) -> str:
        return str(d_uniques[d[i]]) + " . " + str(a_uniques[a[i]])

    return inverse, _first_of_each(inverse), v, row_text


def referrals_declined(ctx: Context, mask) -> pd.Series:
    """Rows of `mask` whose description or action says that the social care service a referral went to
    declined it (`review.vocab.Vocabulary.declines_referral`: "Referral declined by CSC", "CSC declined the
    referral"): a decision on a referral made, whoever wrote the row. The candidates are picked by a
    vectorised whole-word search for `referral_decline_cues`, then `referral_recipients`, then a referral's
    words (the reading needs one of each); each distinct (vocabulary, description, action) of them is read
    once."""
    tl = ctx.timeline
    out = np.zeros(len(tl), dtype=bool)
    pos = np.flatnonzero(np.asarray(mask, dtype=bool))
    numbers, keys = row_vocabs(ctx)
    vocabs = [_negating_vocab((), key) for key in keys]
    cues = sorted({" ".join(w) for v in vocabs for candidates in v.referral_declines._by_first.values()
                   for w in candidates})
    if not cues or not len(pos):
        return pd.Series(out, index=tl.index)
    # a text the reading can take names a decline cue, a recipient ("CSC", "MASH") and a referral's words
    # ("referral", "referred"): rows naming all three, each by the vectorised whole-word search, are read
    # ("Mother declined a further appointment" is not)
    recipients = sorted({" ".join(w) for v in vocabs for candidates in v.referral_recipients._by_first.values()
                         for w in candidates})
    referral = sorted({" ".join(w) for v in vocabs for candidates in v.referral_words()._by_first.values()
                       for w in candidates})
    for words in (cues, recipients, referral):
        if not words:
            return pd.Series(out, index=tl.index)
        pos = pos[_rows_matching(ctx, pos, words)]
        if not len(pos):
            return pd.Series(out, index=tl.index)
    inverse, first, v, row_text = _distinct_texts(ctx, pos, numbers)
    hits = np.array([vocabs[v[i]].declines_referral(row_text(i)) for i in first], dtype=bool)
    out[pos] = hits[inverse]
    return pd.Series(out, index=tl.index)


#: contact types a row of which, its escalation cell naming an escalation that is no contact type, records
#: that escalation: a row of type referral whose text says the referral did not take place ("referral not
#: sent", "Referral not made") is no referral to social care, whatever its escalation cell says
#: (`held_escalations`)
#: a referral its record's text dates explicitly (lower-cased text): "Referral to MASH sent 22.02.21",
#: "referral made on 3 March 2021", "referred to children's social care on 24/02/2021", "referred on 1/3/21";
#: the words between "referral" and its verb, or "referred to" and "on", stay in one sentence; a full stop may
#: end the sentence straight after the date ("Referral to CAMHS sent 03/04/2021."; before s17 such a date was
#: not read), not go on into more digits ("22.02.21.5")
#: (s19) the means a referral was made by stands for its verb ("Referral to children's social care by phone 22/09"),
#: and a day and month without a year is the first such day on or after the record's own (`referral_text_dates`
#: with `on`: "by phone 22/09" on a record of 21 Sep 2022 is 22 Sep 2022)
_REFERRAL_TEXT_DATE = re.compile(
    r"\b(?:referral\b[^.;:!?\n]{0,60}?\b(?:sent|made|submitted|faxed|emailed|e-mailed"
    r"|by\s+(?:tele)?phone|by\s+e-?mail|by\s+fax|by\s+letter)\s+(?:on\s+)?"
    r"|referred\b(?:\s+to\b[^.;:!?\n]{0,60}?)?\s+on\s+)"
    r"(?:(?P<date>\d{1,2}[./-]\d{1,2}[./-](?:\d{4}|\d{2})(?![\d/-]|\.\d)|\d{1,2}(?:st|nd|rd|th)?\s+[a-z]{3,9}\.?,?\s+\d{4}(?!\d))"
    r"|(?P<day>\d{1,2})[./](?P<month>\d{1,2})(?![\d/-]|\.\d))")
#: the texts `referral_text_day` may find a date in (an RE2 pre-filter, lower-cased text)
_REFERRAL_TEXT_PREFILTER = r"referr(?:al|ed)[^\n]*\d"


#: what ends the clause a dated referral names its recipient in ("Seen by CAMHS, referral to MASH sent 25.02.21":
#: the referral is MASH's); not a colon ("CAMHS: referral sent 03/04/2021")
_CLAUSE_MARKS = ".;!?\n,"


def _referral_clauses(text: str, about) -> list[tuple[int, int, re.Match]]:
    """(start, end, match) of each dated referral of the lower-cased `text` (`_REFERRAL_TEXT_DATE`), the span from
    the start of its clause (`_CLAUSE_MARKS`) to the end of its date; with `about` (keywords), only those whose
    span names one of them (whole words from their start, as `_mentioned` reads a keyword: "CAMHS referral sent
    03/04/2021", "referred to CAMHS on 3/4/21")."""
    out = []
    patterns = _keyword_patterns(tuple(str(w) for w in about), False)[0] if about is not None else ()
    for m in _REFERRAL_TEXT_DATE.finditer(text):
        start = max(text.rfind(c, 0, m.start()) for c in _CLAUSE_MARKS) + 1
        if about is not None:
            span = normalise_text(text[start:m.end()])
            if not any(p.search(span) for p in patterns):
                continue
        out.append((start, m.end(), m))
    return out


def referral_text_dates(text, about=None, on: dt.date | None = None) -> list[dt.date]:
    """The days `text` dates a referral on, explicitly ("Referral to MASH sent 22.02.21", "referred to
    children's social care on 24/02/2021"), each read by ingest's UK day-first `parse_date` (a whole day only:
    not a month, nor a mistyped date it reads as approximate). With `about` (keywords), only a referral whose
    clause names one of them ("Referral to CAMHS sent 03/04/2021" with about=[camhs]; not "Seen by CAMHS,
    referral to MASH sent 25.02.21": `_referral_clauses`)."""
    from ..ingest.dates import DateParseError, parse_date

    out = []
    for _, _, m in _referral_clauses(str(text).lower(), about):
        if m.group("date") is None:  # a day and month: the first such day on or after `on` (none without it)
            when = _day_month_from(int(m.group("day")), int(m.group("month")), on)
            if when is not None:
                out.append(when)
            continue
        try:
            parsed = parse_date(m.group("date"))
        except DateParseError:
            continue
        if parsed.precision == "day":
            out.append(parsed.date.date())
    return out


def _day_month_from(day: int, month: int, on: dt.date | None) -> dt.date | None:
    """The first `day`/`month` on or after `on` (this year's, else next year's); None without `on` or for no such
    day ("31/02")."""
    if on is None:
        return None
    for year in (on.year, on.year + 1):
        try:
            when = dt.date(year, month, day)
        except ValueError:
            return None
        if when >= on:
            return when
    return None


def referral_text_day(description, action, day: dt.date, last: dt.date | None, about=None) -> dt.date | None:
    """The day a referral row's description or action dates its referral on (`referral_text_dates`; with
    `about`, a referral naming one of those keywords), when they name one day only from the row's own `day` to
    `last` (the end of the review): a date before the row or after the review is ignored, and two different
    days are ambiguous (None). One text at a time: the rules read it once per distinct text
    (`referral_text_days`)."""
    day, last = (v.date() if isinstance(v, dt.datetime) else v for v in (day, last))
    days = {d for text in (description, action) if isinstance(text, str) and text
            for d in referral_text_dates(text, about, on=day) if d >= day and (last is None or d <= last)}
    return days.pop() if len(days) == 1 else None


def keyword_referral_day(description, action, day: dt.date, last: dt.date | None, keywords, negations=(),
                         others=(), vocab: str = "") -> dt.date | None:
    """The day a row answering a concern by its words alone (one of `keywords`, read as `_mentioned` reads them
    with `negations` and `others`) dates the referral it records on: `referral_text_day` of the referrals
    naming one of `keywords` ("Referral to CAMHS sent 03/04/2021" on a GP's record of 28 Mar 2021 is a CAMHS
    referral of 3 Apr 2021), unless the rest of its text, without those referrals' clauses, mentions one of
    `keywords` too ("Seen by CAMHS liaison in ED; referral to CAMHS community team sent 03/04/2021": the
    assessment of the row's own day answers). None: the row answers from its own day. One text at a time: the
    rules read it once per distinct text (`keyword_referral_days`); the row-by-row baseline calls it per row."""
    when = referral_text_day(description, action, day, last, about=keywords)
    if when is None:
        return None
    rest = []
    for text in (description, action):
        text = str(text).lower() if isinstance(text, str) else ""
        kept, at = [], 0
        for start, end, _ in _referral_clauses(text, keywords):
            kept.append(text[at:start])
            at = end
        rest.append("".join(kept) + text[at:])
    if _mentioned(" . ".join(rest), list(keywords), tuple(negations), tuple(others), vocab):
        return None
    return when


def referral_text_days(ctx: Context, mask) -> np.ndarray:
    """For each timeline row (datetime64[ns], NaT where none): the day its text dates its referral on when the
    row is in `mask` and of a whole day (`referral_text_day`: "Referral to MASH sent 22.02.21" on a row of 19
    Feb 2021 is a referral on 22 Feb 2021). A vectorised search picks the distinct descriptions and actions
    that may name one; each distinct (description, action, day, end of review) among their rows is read once."""
    return _text_days(ctx, mask, lambda d, a, day, end, vocab: referral_text_day(d, a, day, end))


def keyword_referral_days(ctx: Context, mask, keywords, negations=(), others=()) -> np.ndarray:
    """`referral_text_days` of rows answering by their words alone (`keyword_referral_day` with `keywords`,
    `negations`, `others`, each row's case vocabulary): "Referral to CAMHS sent 03/04/2021" answers from 3 Apr
    2021. Each distinct (description, action, day, end of review, vocabulary) among the rows the vectorised
    search picks is read once."""
    keywords, negations, others = list(map(str, keywords)), tuple(negations), tuple(map(str, others))
    return _text_days(ctx, mask, lambda d, a, day, end, vocab: keyword_referral_day(
        d, a, day, end, keywords, negations, others, vocab), by_vocab=True)


def _text_days(ctx: Context, mask, read, *, by_vocab: bool = False) -> np.ndarray:
    """Per timeline row, `read(description, action, day, end of review, vocab key)` (a date or None) for the
    exact rows of `mask` whose description or action may date a referral (`_REFERRAL_TEXT_PREFILTER`), NaT
    elsewhere; each distinct (description, action, day, end[, vocabulary with `by_vocab`]) read once."""
    tl = ctx.timeline
    out = np.full(len(tl), np.datetime64("NaT"), dtype="datetime64[ns]")
    pos = np.flatnonzero(np.asarray(mask, dtype=bool) & tl["_exact"].to_numpy(dtype=bool))
    if not len(pos):
        return out
    maybe = np.zeros(len(pos), dtype=bool)
    for column in ("description", "action"):
        codes, uniques = _texts(ctx, column)
        used = np.unique(codes[pos])
        used = used[used >= 0]
        hit = np.zeros(len(uniques), dtype=bool)
        if len(used):
            hit[used] = _texts_matching(uniques[used], _REFERRAL_TEXT_PREFILTER)
        maybe |= hit[codes[pos]]
    pos = pos[maybe]
    if not len(pos):
        return out
    (d_codes, d_uniques), (a_codes, a_uniques) = _texts(ctx, "description"), _texts(ctx, "action")
    days = tl["_day"].to_numpy(dtype="datetime64[ns]")[pos]
    ends = tl["_review_end"].to_numpy(dtype="datetime64[ns]")[pos]
    numbers, vocab_keys = row_vocabs(ctx) if by_vocab else (np.zeros(len(tl), dtype="int64"), [""])
    keys = pd.MultiIndex.from_arrays([d_codes[pos], a_codes[pos], days, ends, numbers[pos]])
    inverse, distinct = pd.factorize(keys)
    found = np.full(len(distinct), np.datetime64("NaT"), dtype="datetime64[ns]")
    for i, (d, a, day, end, v) in enumerate(distinct):
        when = read(d_uniques[d], a_uniques[a], pd.Timestamp(day).date(),
                    None if pd.isna(end) else pd.Timestamp(end).date(), vocab_keys[v])
        if when is not None:
            found[i] = np.datetime64(when, "ns")
    out[pos] = found[inverse]
    return out


ESCALATION_OWN_TYPES = {"referral_to_csc": ("referral",)}


#: settings.missed_contact_types when a case's settings lack it: the types a row tagged was_not_brought is a
#: missed contact of
MISSED_CONTACT_TYPES = ("clinic_appointment", "home_visit", "other")


def missed_contacts(ctx: Context) -> pd.Series:
    """Rows that are a missed contact (the child not brought, no access): typed was_not_brought, or tagged it
    and of one of settings.missed_contact_types (an untyped `other` row "DNA", an appointment row "WNB"). A
    letter, a discharge or closure, a phone call, a referral tagged was_not_brought reports earlier missed
    contacts ("Discharged following 3 WNB", "Letter from dental: not brought twice"): it is not one itself."""
    types = ctx.settings.get("missed_contact_types", MISSED_CONTACT_TYPES)
    missed = ctx.types(["was_not_brought"]) | (ctx.tags(["was_not_brought"]) & ctx.types(list(types)))
    # (s21, QA12 D3) a service for adults' missed appointment ("Pathways Drug and Alcohol Service: Did not
    # attend") is the parent's own, never the child's missed contact, whatever its type
    # (s21, QA13) nor a parent's own appointment ("Mother's postnatal check: did not attend."): `parents_own`
    return missed & ~pd.Series(parents_own(ctx), index=missed.index)


def parents_own(ctx: Context) -> np.ndarray:
    """Per timeline row, a record of a parent's own service (s21): an adult service's (`adult_service`) or one
    naming a parent's own appointment (`review.timeline.parent_appointment_rows`, vocab.yml
    parent_appointment_words: "Mother's postnatal check: did not attend."). Its missed appointment is no child
    not brought, and it is no contact with the child (child_not_seen). Read once per prepared timeline."""
    if "parents_own" not in ctx.extra:
        from ..timeline import parent_appointment_rows

        numbers, keys = row_vocabs(ctx)
        tl = ctx.timeline
        ctx.extra["parents_own"] = adult_service(ctx) | parent_appointment_rows(
            tl["description"], tl["action"], np.asarray(keys, dtype=object)[numbers])
    return ctx.extra["parents_own"]


def adult_service(ctx: Context) -> np.ndarray:
    """Per timeline row, whether its agency is a service for adults (`review.timeline.adult_service_rows`:
    vocab.yml adult_service_words in its name, with its case's vocabulary). Read once per prepared timeline."""
    if "adult_service" not in ctx.extra:
        from ..timeline import adult_service_rows

        numbers, keys = row_vocabs(ctx)
        ctx.extra["adult_service"] = adult_service_rows(ctx.timeline["agency"], np.asarray(keys, dtype=object)[numbers])
    return ctx.extra["adult_service"]


def unborn(ctx: Context) -> np.ndarray:
    """Per timeline row, whether it certainly came before the child's birth (its latest possible day before the
    date of birth; unknown date of birth: no). A missed appointment then is the mother's antenatal one (s21)."""
    dob = day_numbers(ctx.timeline["_dob"])
    return (dob != _NAT_DAY) & (ctx.timeline["_ed"].to_numpy() < dob)


def held_escalations(ctx: Context, kinds=None) -> pd.Series:
    """Rows that were an escalation of any of `kinds` (`Context.escalations`; when None, any escalation for the
    child: not one of `review.schema.ADULT_ESCALATIONS`, a MARAC referral, about the adult victim), not
    counting an escalation the row's text names only to say it did not take place (`review.vocab.denies`
    of the escalation: its keywords and those of its contact types, "Referral to MASH not made", "CP
    medical declined by mother"), nor the escalation of a row's own contact type when its text says that
    did not take place (`types_held`; and `ESCALATION_OWN_TYPES`: a row of type referral for
    referral_to_csc). A "Strategy discussion not held" or "ICPC cancelled" row of type strategy_discussion /
    cp_conference, a "referral not sent" row of type referral, is no such escalation even when its
    escalation cell says it is (filled by hand, or by a profile's column; ingest's `detect_escalations`
    names none of them); its other escalations stay ("ICPC cancelled; referred to MASH": the referral).
    The escalations every rule reads (repeated_injury_or_ae, injury_not_escalated, nonmobile_injury,
    strategy_no_conference, closure_with_open_concerns, assessment_wait, was_not_brought,
    information_not_shared / agency_knowledge's referrals, referral_no_decision's referrals,
    response_latency), and the agency summary's and thematic counts (`held_escalation_cells`): each kind is
    a look-up on the distinct escalation cells and each kind's and type's texts are read once per prepared
    timeline (`_escalation_held`, `_type_held`)."""
    if kinds is None:
        if "held_any" not in ctx.extra:  # (response_latency and was_not_brought both ask)
            # any escalation for the child: not one about an adult (`ADULT_ESCALATIONS`: a MARAC referral)
            child_kinds = [k for k in escalation_kinds(ctx) if k not in ADULT_ESCALATIONS]
            ctx.extra["held_any"] = held_escalations(ctx, child_kinds).to_numpy(dtype=bool)
            ctx.extra["held_any"].flags.writeable = False
        return pd.Series(ctx.extra["held_any"].copy(), index=ctx.timeline.index)
    out = np.zeros(len(ctx.timeline), dtype=bool)
    for kind in dict.fromkeys(str(k) for k in kinds):
        out |= _escalation_held(ctx, kind)
    return pd.Series(out, index=ctx.timeline.index)


def escalation_kinds(ctx: Context) -> list[str]:
    """Every escalation kind an escalation cell of the timeline names, sorted."""
    _, uniques = ctx._coded("escalation")
    return sorted({part for u in uniques for part in split_multi(u)})


def _escalation_held(ctx: Context, kind: str) -> np.ndarray:
    """`held_escalations` of the one kind `kind` (read-only; kept in the context)."""
    key = ("held_escalation", kind)
    if key not in ctx.extra:
        hit = ctx.escalations([kind]).to_numpy(dtype=bool, copy=True)
        own = ((kind,) if kind in CONTACT_TYPES else ()) + tuple(ESCALATION_OWN_TYPES.get(kind, ()))
        for name in own:  # a row of the escalation's own type that did not take place (`types_held`)
            typed = ctx.types([name]).to_numpy(dtype=bool) & hit
            if typed.any():
                hit &= ~(typed & ~_type_held(ctx, name))
        # any other row naming the escalation only to deny it ("Referral to MASH not made" with its cell
        # filled by hand); a row of the kind's own type was read so just now (`denies` of the same words)
        rest = hit & ~ctx.types([kind]).to_numpy(dtype=bool) if kind in CONTACT_TYPES else hit
        pos = np.flatnonzero(rest)
        if len(pos):
            hit[pos[_rows_denying(ctx, pos, kind)]] = False
        hit.flags.writeable = False
        ctx.extra[key] = hit
    return ctx.extra[key]


def held_escalation_cells(ctx: Context) -> pd.Series:
    """Per row, its escalation cell with only the kinds that took place (`held_escalations`), in the cell's
    order and joined with "; " ("" when none): the cell "referral_to_csc; strategy_discussion" of a
    "Referred to MASH. Strategy discussion cancelled" row of type strategy_discussion is "referral_to_csc".
    One pass per kind over the rows, and one join per distinct (cell, kinds held) pair."""
    tl = ctx.timeline
    codes, uniques = ctx._coded("escalation")
    kinds = escalation_kinds(ctx)
    out = np.full(len(tl), "", dtype=object)
    if not kinds:
        return pd.Series(out, index=tl.index)
    held = np.zeros((len(tl), len(kinds)), dtype=bool)
    for i, kind in enumerate(kinds):
        held[:, i] = _escalation_held(ctx, kind)
    rows = np.flatnonzero(held.any(axis=1))
    if len(rows):
        # rows with some held kind: the distinct (cell code, held kinds) pairs
        key = np.column_stack([codes[rows].astype("int64"), np.packbits(held[rows], axis=1).astype("int64")])
        pairs, inverse = np.unique(key, axis=0, return_inverse=True)
        index = {k: i for i, k in enumerate(kinds)}
        joined = []
        for code, first in zip(pairs[:, 0], np.unique(inverse.ravel(), return_index=True)[1]):
            on = held[rows[first]]
            joined.append(MULTI_SEP.join(dict.fromkeys(p for p in split_multi(uniques[code]) if on[index[p]])))
        out[rows] = np.array(joined, dtype=object)[inverse.ravel()]
    return pd.Series(out, index=tl.index)


def held_escalation_column(timeline: pd.DataFrame, rules: dict | None = None, case=None) -> pd.Series:
    """`held_escalation_cells` of `timeline`, in its own row order and index: each row's escalation cell
    with only the escalations that took place (the rules' reading, `held_escalations`; `case` and `rules`
    as `review.rules.detect` takes them). The agency summary's and the case headline's counts read it."""
    if timeline.empty:
        return pd.Series("", index=timeline.index, dtype=object)
    if rules is None:
        from .settings import load_rules

        rules = load_rules()
    ctx = prepare(timeline, case, rules["settings"], any_case=case is None)
    cells = held_escalation_cells(ctx).to_numpy()
    out = np.empty(len(timeline), dtype=object)
    out[ctx.extra["order"]] = cells  # the prepared row i is the input's row order[i]
    return pd.Series(out, index=timeline.index)


def held_values(timeline: pd.DataFrame, held) -> tuple[np.ndarray, bool]:
    """(the reading `held` as an array in `timeline`'s row order, whether it is booleans): `held` as
    `held_escalation_mask` takes it, a Series aligned on `timeline`'s index (a whole case's reading serving
    a subset of its rows; a row it lacks is no escalation) or an array in its row order."""
    if isinstance(held, pd.Series):
        boolean = pd.api.types.is_bool_dtype(held.dtype)
        if not held.index.equals(timeline.index):
            held = held.reindex(timeline.index, fill_value=False if boolean else "")
        values = held.to_numpy()
    else:
        values = np.asarray(held)
        boolean = values.dtype == bool
    if len(values) != len(timeline):
        raise ValueError(f"held escalations for {len(values)} rows, the timeline has {len(timeline)}")
    return values, boolean


def held_escalation_mask(timeline: pd.DataFrame, held=None, rules: dict | None = None, case=None) -> np.ndarray:
    """Per row of `timeline` (in its order), whether it was an escalation that took place (a bool array).
    `held`: the reading when the caller has it (`review.pipeline.Analysis.held_escalations`): the held
    escalation cells ("" when none) or booleans, a Series aligned on `timeline`'s index (a whole
    case's reading serves a subset of its rows) or an array in its row order; when None,
    `held_escalation_column(timeline, rules, case)` is read here. The charts' arrows and counts and the
    headline's count read it, so no output counts a "Strategy discussion cancelled" row as an escalation."""
    if held is None:
        held = held_escalation_column(timeline, rules, case)
    values, boolean = held_values(timeline, held)
    if boolean:
        return values.astype(bool)
    values = values.astype(object)  # (a copy: the caller's array is left as it is)
    values[pd.isna(values)] = ""
    return np.asarray(values != "", dtype=bool)


def _rows_denying(ctx: Context, pos: np.ndarray, name: str) -> np.ndarray:
    """`review.vocab.denies(name, ...)` of the rows at `pos` with their cases' vocabularies."""
    denied = np.zeros(len(pos), dtype=bool)
    numbers, keys = row_vocabs(ctx)
    for number, words in enumerate(keys):  # the rows of the cases reading with each vocabulary
        at = np.arange(len(pos)) if len(keys) == 1 else np.flatnonzero(numbers[pos] == number)
        if len(at):
            denied[at] = _texts_denying(ctx, pos[at], name, _negating_vocab((), words))
    return denied


def _type_held(ctx: Context, name: str) -> np.ndarray:
    """`types_held` of the one contact type `name` (read-only; kept in the context)."""
    key = ("held", name)
    if key not in ctx.extra:
        held = ctx.types([name]).to_numpy(dtype=bool, copy=True)
        pos = np.flatnonzero(held)
        if len(pos):
            held[pos[_rows_denying(ctx, pos, name)]] = False
        held.flags.writeable = False
        ctx.extra[key] = held
    return ctx.extra[key]


#: from this many distinct texts on, `_texts_denying` first picks those naming the type, and of these those
#: with a negation cue in the same clause, by a vectorised search (a regex costs milliseconds to compile, a
#: text ~20 microseconds to read: ~150 with a case note's length)
_DENIAL_SEARCH_FROM = 1000


def _texts_denying(ctx: Context, pos: np.ndarray, name: str, vocab) -> np.ndarray:
    """`review.vocab.denies(name, description . action)` of the rows at `pos`, each distinct pair read once."""
    from ..vocab import denies

    (d_codes, d_uniques), (a_codes, a_uniques) = _texts(ctx, "description"), _texts(ctx, "action")
    d, a = d_codes[pos].astype("int64"), a_codes[pos].astype("int64")
    inverse, _ = pd.factorize(d * (len(a_uniques) + 1) + a)
    first = _first_of_each(inverse)  # a row of each distinct pair, in code order
    words = vocab.denial_words(name)
    named = np.full(len(first), bool(words))
    search = words and len(first) >= _DENIAL_SEARCH_FROM
    if search:
        named = _rows_matching(ctx, pos[first], words)
    denied = np.zeros(len(first), dtype=bool)
    texts = np.array([str(d_uniques[d[i]]) + " . " + str(a_uniques[a[i]]) for i in first[named]], dtype=object)
    if search and len(texts):
        # a text can deny the type only where a negation cue shares a clause with its words ("Strategy
        # discussion held. Father not present" cannot): read only those texts
        maybe = _may_deny(texts, _denial_prefilter(words, _negation_phrases(vocab, name)))
        named[named] = maybe
        texts = texts[maybe]
    denied[named] = [denies(name, t, vocab) for t in texts]
    return denied[inverse]


def _negation_phrases(vocab, name: str | None = None) -> tuple:
    """Every phrase (normalised) by which `review.vocab.denies` can read a mention as negated: the
    escalation negation cues before, after, straight after and ending the clause, and a label's denying
    answers (`Scope.reached`; escalation_label_negations, and label_negations too), and the plan cues
    (`Vocabulary._denial_cues`: "ICPC booked", "awaiting strategy discussion"), and a referral's cues saying it
    was not sent (`referral_unmade_cues`: "awaiting sign off", "withdrawn"); a plan label governing a referral
    across its colon or dash ("Plan: referral to MASH", `referral_plan_labels`; "HV plan: ...",
    `referral_plan_owned_labels`) is given with a leading "|"
    (`_denial_prefilter` reads it before the words across a label mark), and a referral's withdrawal
(`referral_withdrawn_cues`, read anywhere after its words: `Vocabulary._withdrawn`) with a leading ">". What `denies` leaves out (a
    participant's absence, a decision's outcome, a later affirmation) only makes fewer denials. `name` given:
    the plan labels only for a referral's name (`Vocabulary._plan_named`), the only words they govern."""
    phrases = set()
    for cues in (vocab.escalation_cues, vocab.escalation_post_cues, vocab.escalation_next_cues,
                 vocab.escalation_last_cues, vocab.label_negations, vocab.escalation_label_negations,
                 vocab.plan_cues, vocab.plan_post_cues, vocab.plan_next_cues, vocab.plan_last_cues,
                 vocab.hindsight_next, vocab.absence_cues, vocab.consent_refusals, vocab.referral_unmade,
                 vocab.referral_withdrawn):
        phrases.update(" ".join(w) for candidates in cues._by_first.values() for w in candidates)
    if name is None or vocab._plan_named(name):
        for labels in (vocab.referral_plan_labels, vocab.referral_plan_owned):  # "Plan:", "HV plan:"
            phrases.update("|" + " ".join(w) for candidates in labels._by_first.values() for w in candidates)
        # a referral withdrawn anywhere after its words ("Referral to MASH sent 14/3. Withdrawn 15/3",
        # `Vocabulary._withdrawn`): given with a leading ">"
        phrases.update(">" + " ".join(w) for candidates in vocab.referral_withdrawn._by_first.values()
                       for w in candidates)
    return tuple(sorted(phrases))


@functools.lru_cache(maxsize=64)
def _denial_prefilter(words: tuple, cues: tuple, open_ended: bool = False) -> tuple[str, ...]:
    """RE2 patterns (any of them) finding, in a text as `_may_deny` rewrites it, one of `words` and one of `cues`
    (normalised phrases) where `Scope.reached` could read the cue as negating the words: in the same clause
    (no "|" or ":" between), or the cue after the words and a label mark (and auxiliaries: "did", "was"),
    as a label's answer ("Strategy discussion: not held", "ICPC - did not go ahead"); and, for the cues given
    with a leading "|" (plan labels), the cue before the words in their clause, a label mark between allowed
    ("Plan: referral to MASH"). Only the letters a-z and the digits 0-9 are word characters there,
    so that every token of `review.vocab.tokenise` is a run of them.

    Four to six patterns, searched one after the other (`_may_deny`), not one alternation of them: RE2's
    automaton for the alternation is several times larger than theirs together, and a search through it
    about ten times slower (33 against 4 microseconds a text). `open_ended`: the last word of one of
    `words` may also be the start of a longer word where `_open_ended` says so, as `_mentioned` reads it
    ("examined" in "examinedx")."""
    def alternation(phrases, open_words=False):
        return "(?:" + "|".join(sorted(
            "[^a-z0-9]+".join(re.escape(w) for w in p.split()) + ("[a-z0-9]*" if open_words and _open_ended(p) else "")
            for p in phrases)) + ")"

    labels = [c[1:] for c in cues if c.startswith("|")]  # plan labels (`_negation_phrases`)
    later = [c[1:] for c in cues if c.startswith(">")]  # a referral's withdrawal, anywhere after its words
    keyword, cue = alternation(words, open_ended), alternation([c for c in cues if c[:1] not in "|>"])
    between = "[^a-z0-9|:](?:[^|:]*[^a-z0-9|:])?"  # at least one character, no clause mark
    from ..vocab import _AUXILIARIES

    # the next word, a colon or a dash between, or auxiliaries ("ICPC - did not go ahead"), and one word more
    # (the child named before an absence cue: "CP medical - child did not attend", `absence_subjects`)
    label = "[^a-z0-9|]+(?:(?:" + "|".join(sorted(_AUXILIARIES)) + ")[^a-z0-9|]+)*(?:[a-z0-9]+[^a-z0-9|]+)?"
    # and a cue after a label's mark, a participant's absence and a comma ("Strategy discussion - police
    # unable to attend, rearranged": `Vocabulary._comma_answers`)
    across = ":[^|]*,[^a-z0-9|]*(?:(?:" + "|".join(sorted(_AUXILIARIES)) + ")[^a-z0-9|]+)*"
    parts = [f"{keyword}{between}{cue}", f"{cue}{between}{keyword}", f"{keyword}{label}{cue}",
             f"{keyword}[^|:]*{across}{cue}"]
    if labels:
        # a plan label before the words in their clause, a label mark between allowed ("Plan: referral to MASH")
        parts.append(f"{alternation(labels)}[^a-z0-9|](?:[^|]*[^a-z0-9|])?{keyword}")
    if later:
        # a withdrawal after the words, across clause marks ("Referral to MASH sent 14/3. Withdrawn 15/3")
        parts.append(f"{keyword}[^a-z0-9](?:.*[^a-z0-9])?{alternation(later)}")
    return tuple(f"(?:^|[^a-z0-9])(?:{part})(?:[^a-z0-9]|$)" for part in parts)


#: in a text `_may_deny` reads: what `review.vocab.tokenise` always makes a clause mark "|" (". ", ".\t",
#: ; ? ! brackets, newlines)
_HARD_MARKS = r"\.[ \t]|[;?!()\[\]{}\n\r]"


def _may_deny(texts: np.ndarray, pattern: str | tuple[str, ...]) -> np.ndarray:
    """Which of `texts` may `review.vocab.denies` read as denying a type (`pattern`: `_denial_prefilter`'s
    patterns, or one pattern)? True for every text but those in ASCII (besides ’ ‘ – — •, which tokenise
    drops or reads as marks) in which none of the patterns finds anything. The text is rewritten as `Vocabulary.tokens` reads it: lower case, "'"
    dropped, a spaced dash after a full stop made ":" (the dash is split off first: "Strategy discussion. -
    not held" is a label and its answer), then each clause mark made "|" (and "•"), a spaced dash, "–" and
    "—" made ":" (with a colon, the marks between a label and its answer), and then ’ ‘ dropped (" -’ " is
    no dash)."""
    column = pa.array(texts, type=pa.large_string())
    ascii_ = np.array(pc.string_is_ascii(pc.replace_substring_regex(column, "[’‘–—•]", "")), dtype=bool)
    if not ascii_.any():
        return np.ones(len(texts), dtype=bool)
    column = pc.replace_substring(pc.utf8_lower(column.filter(pa.array(ascii_))), "'", "")
    column = pc.replace_substring(column, ". - ", ":")  # a dash's space is no ". " ("N.F.A.. - none")
    column = pc.replace_substring_regex(column, _HARD_MARKS + "|•", "|")
    column = pc.replace_substring_regex(pc.replace_substring_regex(column, " - |[–—]", ":"), "[’‘]", "")
    found = np.zeros(len(column), dtype=bool)
    for part in (pattern,) if isinstance(pattern, str) else pattern:
        left = np.flatnonzero(~found)  # each text searched until a pattern finds something
        if not len(left):
            break
        subset = column if len(left) == len(column) else column.take(pa.array(left))
        found[left] = np.array(pc.fill_null(pc.match_substring_regex(subset, part), True), dtype=bool)
    out = np.ones(len(texts), dtype=bool)
    out[ascii_] = found
    return out


def text_mentions(ctx: Context, mask, keywords, negations=(), others=(), *, whole_words: bool = False,
                  before=()) -> pd.Series:
    """Rows of `mask` whose description or action mentions one of `keywords`, not negated and not in a
    sentence naming one of `others` (`_mentioned`; `negations` are extra post-negation cues such as "not
    required", `before` extra negation cues before the words such as "to be"; `whole_words`: each keyword only
    whole, a label ending in a colon only with it). A vectorised whole-word search (`_keyword_regex`) over the distinct descriptions and
    actions of the rows picks the candidates; each distinct (description, action) pair among them is then
    read once by `_mentioned`."""
    tl = ctx.timeline
    out = np.zeros(len(tl), dtype=bool)
    keywords = [str(k) for k in keywords if normalise_text(k)]
    pos = np.flatnonzero(np.asarray(mask, dtype=bool))
    if not keywords or not len(pos):
        return pd.Series(out, index=tl.index)
    pos = pos[_rows_matching(ctx, pos, keywords)]
    if not len(pos):
        return pd.Series(out, index=tl.index)
    (d_codes, d_uniques), (a_codes, a_uniques) = _texts(ctx, "description"), _texts(ctx, "action")
    d, a = d_codes[pos].astype("int64"), a_codes[pos].astype("int64")
    # each distinct (vocabulary, description, action) is read once, with its case's vocabulary
    numbers, keys = row_vocabs(ctx)
    v = numbers[pos]
    inverse, distinct = pd.factorize((v * (len(d_uniques) + 1) + d) * (len(a_uniques) + 1) + a)
    first = _first_of_each(inverse)  # a row of each distinct triple, in code order
    negations, others, before = tuple(negations), tuple(str(w) for w in others), tuple(str(w) for w in before)
    hits = np.array([
        _mentioned(str(d_uniques[d[i]]) + " . " + str(a_uniques[a[i]]), keywords, negations, others, keys[v[i]],
                   whole_words, before)
        for i in first
    ], dtype=bool)
    out[pos] = hits[inverse]
    return pd.Series(out, index=tl.index)


def _period_bounds(day: pd.Series, precision: pd.Series, span_days: int, shown=None) -> tuple[pd.Series, pd.Series]:
    """(first day, last day) of each row's period: its day, month, season, year, or an approximate day +- `span_days`
    (a week written "w/c" / "w/e", with `shown`, the rows' `shown_precisions`: that week)."""
    start = day.copy()
    end = day.copy()
    month = precision == "month"
    season = precision == "season"
    year = precision == "year"
    approx = precision == "approximate"
    if month.any():
        first = day[month].dt.to_period("M").dt.start_time.astype("datetime64[ns]")
        start[month] = first
        end[month] = (first + pd.offsets.MonthEnd(0)).astype("datetime64[ns]")
    if season.any():  # its three months (`review.ingest.dates`: the date is the season's first day)
        first = day[season].dt.to_period("M").dt.start_time.astype("datetime64[ns]")
        start[season] = first
        end[season] = (first + pd.offsets.MonthEnd(3)).astype("datetime64[ns]")
    if year.any():
        first = day[year].dt.to_period("Y").dt.start_time.astype("datetime64[ns]")
        start[year] = first
        end[year] = (first + pd.offsets.YearEnd(0)).astype("datetime64[ns]")
    if approx.any():
        start[approx] = day[approx] - pd.Timedelta(days=span_days)
        end[approx] = day[approx] + pd.Timedelta(days=span_days)
    if shown is not None and approx.any():
        # (s22, QA12 D6) a week written so ("w/c 03/04/2023": `shown_precisions`' WEEK_COMMENCING) is that week,
        # its day the first (the last for "w/e"), not the day +- span_days: social care's "w/c 06/03/2023" referral
        # decision was read as possibly 3 Feb, so it could not be placed after a referral of 21 Feb
        shown = pd.Series(np.asarray(shown, dtype=object), index=day.index)
        commencing, ending = approx & (shown == WEEK_COMMENCING), approx & (shown == WEEK_ENDING)
        if commencing.any():
            start[commencing] = day[commencing]
            end[commencing] = day[commencing] + pd.Timedelta(days=6)
        if ending.any():
            start[ending] = day[ending] - pd.Timedelta(days=6)
            end[ending] = day[ending]
    return start, end


def _case_config(case, case_id: str):
    """The CaseConfig of one case from a CaseConfig (or Case, or mapping of case_id -> either); None when
    `case` says nothing about that case."""
    if case is None:
        return None
    if isinstance(case, dict):
        case = case.get(case_id)
        if case is None:
            return None
    config = getattr(case, "config", case)  # review.pipeline.Case -> its CaseConfig
    if getattr(config, "case_id", case_id) not in (case_id, None):
        return None
    return config


def _case_attr(case, case_id: str, name: str):
    """An attribute of the CaseConfig (or Case, or mapping of case_id -> either) for one case."""
    config = _case_config(case, case_id)
    return None if config is None else getattr(config, name, None)


def _child_name(case, case_id: str):
    """case.yml child_name of one case (a mapping's "child_name", else its "child_given_name"), or None."""
    config = _case_config(case, case_id)
    if isinstance(config, dict):
        return next((v for v in (config.get("child_name"), config.get("child_given_name"))
                     if isinstance(v, str) and v.strip()), None)
    return getattr(config, "child_name", None)


def child_sex(case, case_id: str) -> str | None:
    """The child's sex of one case, "female" or "male" (case.yml `child_sex`, or a mapping's "child_sex"), else
    None (not known)."""
    config = _case_config(case, case_id)
    value = config.get("child_sex") if isinstance(config, dict) else getattr(config, "child_sex", None)
    return {"female": "female", "male": "male"}.get(str(value).strip().lower()) if value is not None else None


def concern_window_days(case, case_id: str) -> int:
    """The concern window the timeline of one case was built with: its case.yml ``timeline:
    concern_window_days`` (as `review.pipeline.timeline_options` reads it), else the timeline's default
    (`review.timeline.CONCERN_WINDOW_DAYS`). The rules that ask whether concerns were still open at a day
    no contact marks (the end of the review) must use the window the timeline's ``open_concerns`` used."""
    config = _case_config(case, case_id)
    raw = getattr(config, "raw", None)
    if not isinstance(raw, dict) or raw.get("timeline") is None:
        return CONCERN_WINDOW_DAYS
    from ..pipeline import timeline_options  # the same validation (a ConfigError naming case.yml)

    return int(timeline_options(config).get("concern_window_days", CONCERN_WINDOW_DAYS))


#: the timeline columns the rules read (the others are not copied into the prepared table)
USED_COLUMNS = (
    "case_id", "event_id", "date", "date_precision", "agency", "agency_kind", "contact_type", "child_seen",
    "child_seen_inferred", "description", "action", "concerns", "escalation", "informed_agencies", "source_file", "source_sheet",
    "source_row", "seq", "age_days", "age_display", "child_mobile", "event_group", "open_concerns", "on_cp_plan",
    "extra",  # an agency's other columns (JSON): exploitation_not_referred's Episode date
    "source_of_information",  # who made a referral social care received (`public_referral_receipts`)
    "child_seen_alone",  # repeat_referrals_closed: a referral closed after the child was seen alone is not counted
    "organisation", "date_end",  # child_not_seen: the hospital stays (`review.timeline.hospital_stays`)
)

_LAST: dict = {}


def prepare(timeline: pd.DataFrame, case, settings: dict, *, any_case: bool = False) -> Context:
    """Sort the timeline canonically and add the helper columns the rules read.

    The result for the most recent (timeline, case, settings) is kept, so detect, response_latency and
    agency_knowledge over the same timeline prepare it once.
    """
    key = (id(timeline), len(timeline), repr(sorted(settings.items())))
    cached = (
        _LAST.get("key") == key and _LAST.get("ref") is not None and _LAST["ref"]() is timeline
        and (any_case or _LAST.get("case") is case)  # `any_case`: the caller reads nothing case-specific
    )
    if cached:
        return _LAST["ctx"]
    ctx = _prepare(timeline, case, settings)
    _LAST.update(key=key, ref=weakref.ref(timeline), case=case, ctx=ctx)
    return ctx


def _sorted_order(keys: list[np.ndarray]) -> np.ndarray:
    """np.lexsort(keys), skipping the sort when the rows are already in order (the timeline's own order
    usually is)."""
    n = len(keys[0])
    if n > 1:
        decreasing = np.zeros(n - 1, dtype=bool)
        equal = np.ones(n - 1, dtype=bool)
        for k in reversed(keys):  # primary key first
            decreasing |= equal & (k[1:] < k[:-1])
            equal &= k[1:] == k[:-1]
        if not decreasing.any():
            return np.arange(n)
    return np.lexsort(keys)


def _group_codes(tl: pd.DataFrame, case_codes: np.ndarray) -> np.ndarray:
    """An int key per (case, event group). Most rows are alone in their group, so only the rows of
    shared groups are factorised (factorising a million distinct ids is the costly part)."""
    n = len(tl)
    group = tl["event_group"].fillna("")
    shared = ((group != "") & (group != tl["event_id"])).to_numpy(dtype=bool)
    out = np.arange(n, dtype="int64")
    if shared.any():
        # rows whose group value is a shared group's (its members, the row named by it included): a hash
        # look-up in arrow (pandas' isin on an arrow string column builds a Python list of the values)
        values = pa.array(group.array)
        shared_groups = pc.unique(values.filter(pa.array(shared)))
        in_shared = pc.is_in(values, value_set=shared_groups).to_numpy(zero_copy_only=False)
        members = np.asarray(in_shared, dtype=bool) | shared
        # number the (case, group) pairs in sorted order: factorize(sort=True) ranks the group values,
        # np.unique ranks the combined integer key (as groupby(sort=True).ngroup() would)
        g_codes, g_uniques = pd.factorize(group[members], sort=True)
        key = case_codes[members].astype("int64") * len(g_uniques) + g_codes
        out[members] = n + np.unique(key, return_inverse=True)[1].reshape(-1)
    return out


def _minus_days(day: pd.Series, age: pd.Series) -> pd.Series:
    """``day - pd.to_timedelta(age.astype("float64"), unit="D")`` (the date of birth from a row's day and
    the child's age then). Ages in whole days (as the timeline gives them) are subtracted as int64
    nanoseconds, exactly what pandas computes for whole days, without its float conversion; fractional
    ages, or values that could leave the datetime64[ns] range, take pandas' own path."""
    days = age.to_numpy(dtype="float64", na_value=np.nan)
    stamps = day.to_numpy(dtype="datetime64[ns]")
    missing = np.isnan(days)
    present = days[~missing]
    whole = present.size == 0 or bool((np.abs(present) <= 50_000).all() and (present == np.trunc(present)).all())
    ints = stamps.view("int64")
    dated = ints[ints != np.iinfo("int64").min]
    # within ~1824..2116 and at most ~137 years of age: no int64 overflow, nor a result pandas would reject
    in_range = dated.size == 0 or bool(dated.min() > -(2**62) and dated.max() < 2**62)
    if not (whole and in_range):
        return day - pd.to_timedelta(age.astype("float64"), unit="D")
    nanos = np.where(missing, 0, days).astype("int64") * np.int64(86_400 * 10**9)
    out = stamps - nanos.view("timedelta64[ns]")
    out[missing] = np.datetime64("NaT")
    return pd.Series(out, index=day.index)


def _prepare(timeline: pd.DataFrame, case, settings: dict) -> Context:
    columns = {name: TIMELINE_COLUMNS[name] for name in USED_COLUMNS}
    if "child_seen_inferred" not in timeline.columns and "child_seen" in timeline.columns:
        # a table made before the timeline read sightings from the rows: read them as it does (each case with
        # its own vocabulary)
        keys = ""
        if case is not None and "case_id" in timeline.columns:
            ids = timeline["case_id"].astype(object).where(timeline["case_id"].notna(), "")
            codes, uniques = pd.factorize(ids, sort=False)
            per_case = np.array([case_vocab_key(case, str(c)) for c in uniques] + [""], dtype=object)
            keys = per_case[codes]
        timeline = timeline.assign(child_seen_inferred=inferred_sightings(conform(
            timeline[["child_seen", "contact_type", "concerns", "description", "action"]],
            {name: TIMELINE_COLUMNS[name] for name in ("child_seen", "contact_type", "concerns", "description",
                                                        "action")}), keys))
    tl = conform(timeline[[c for c in timeline.columns if c in columns]], columns)
    # (the factorisations the timeline made of these columns, when the arrays are the same: `_codes`)
    codes, case_ids = _codes(tl["case_id"], sort=True)
    pcodes, puniques = _codes(tl["date_precision"], sort=False)
    # the precision each date is shown to in the explanations (an approximate month as "c. Jun 2007"):
    # read from the date as written, for the approximate dates' distinct texts only
    tl["_shown"] = shown_precisions(None, timeline["date_text"].array if "date_text" in timeline.columns else None,
                                    codes=pcodes, uniques=puniques)
    prec = np.array([PRECISION_RANK.get(str(u), 1) for u in puniques] + [1], dtype="int64")[pcodes]
    day = tl["date"].dt.normalize()
    day_i = day.to_numpy().astype("datetime64[ns]").astype("int64")
    date_i = tl["date"].to_numpy().astype("datetime64[ns]").astype("int64")
    seq = tl["seq"].astype("Float64").fillna(np.inf).to_numpy(dtype="float64")
    keys = [date_i, seq, prec, day_i, codes]  # np.lexsort: last key is the primary one
    order = _sorted_order(keys)
    identity = np.array_equal(order, np.arange(len(order)))
    ties = np.ones(max(len(order) - 1, 0), dtype=bool)
    for k in keys:
        k = k if identity else k[order]
        ties &= k[1:] == k[:-1]
    if ties.any():  # rows indistinguishable but for their id: the id decides, never the input order
        ecodes = pd.factorize(tl["event_id"], sort=True)[0]
        order = np.lexsort([ecodes] + keys)
        identity = np.array_equal(order, np.arange(len(order)))
    if not identity:  # the timeline's own order is usually canonical
        tl = tl.take(order).reset_index(drop=True)
    else:
        tl = tl.reset_index(drop=True)
    codes, prec = codes[order], prec[order]
    tl["_prec"] = prec
    tl["_day"] = day.to_numpy()[order]
    precision = tl["date_precision"].fillna("").astype(str)
    tl["_exact"] = (prec == 0) & tl["_day"].notna().to_numpy()
    tl["_start"], tl["_end"] = _period_bounds(tl["_day"], precision, int(settings.get("approximate_span_days", APPROXIMATE_SPAN_DAYS)),
                                              shown=tl["_shown"].astype(object).to_numpy())
    tl["_case"] = codes.astype("int64")
    tl["_sd"] = day_numbers(tl["_start"])
    tl["_ed"] = day_numbers(tl["_end"])
    acodes, auniques = _codes(tl["agency"], sort=True)  # an int per (case, agency): equality is what counts
    tl["_agency"] = codes.astype("int64") * (len(auniques) + 1) + acodes
    tl["_group"] = tl["event_group"].where(tl["event_group"] != "", tl["event_id"])
    tl["_gcode"] = _group_codes(tl, codes)

    # review end per case: the child's date of death or the review date, whichever is earlier (as the
    # timeline closes a plan), else the case's last contact; the date of death also bounds every flag
    # (`censor_after_death`)
    last = tl.groupby("_case")["_end"].max().reindex(range(len(case_ids)))
    deaths = np.full(len(case_ids), np.datetime64("NaT"), dtype="datetime64[ns]")
    reviews = np.full(len(case_ids), np.datetime64("NaT"), dtype="datetime64[ns]")  # case.yml review_date
    if case is not None:
        ends = []
        last_days = last.to_numpy(dtype="datetime64[ns]")  # positional reads, not one .iloc per case
        stamps: dict = {}  # many cases share a review date: each distinct date / text converted once

        def stamp(value):
            if not value:
                return None
            if isinstance(value, (str, dt.date)):
                if value not in stamps:
                    stamps[value] = pd.Timestamp(value).normalize()
                return stamps[value]
            return pd.Timestamp(value).normalize()

        for code, case_id in enumerate(case_ids):
            review = stamp(_case_attr(case, case_id, "review_date"))
            death = stamp(_case_attr(case, case_id, "date_of_death"))
            if death is not None:
                deaths[code] = death.to_datetime64()
            if review is not None:
                reviews[code] = review.to_datetime64()
            fixed = [d for d in (review, death) if d is not None]
            ends.append(min(fixed) if fixed else last_days[code])
        last = pd.Series(ends, dtype="datetime64[ns]")
    tl["_review_end"] = last.to_numpy(dtype="datetime64[ns]")[codes] if len(tl) else tl["_day"]
    tl["_death"] = deaths[codes]
    # each case's concern window (case.yml `timeline: concern_window_days`), by case code
    windows = np.array([concern_window_days(case, cid) for cid in case_ids] if case is not None
                       else [CONCERN_WINDOW_DAYS] * len(case_ids), dtype="int64")

    # age and mobility: from the timeline, else from case.yml
    age = tl["age_days"].astype("Float64")
    mobile = tl["child_mobile"].astype("boolean")
    if age.isna().any() or mobile.isna().any():
        dobs = [_case_attr(case, cid, "date_of_birth") for cid in case_ids]
        if any(dobs):
            dob = pd.Series([pd.Timestamp(d) if d else pd.NaT for d in dobs], dtype="datetime64[ns]").to_numpy()[codes]
            dob = pd.Series(dob, index=tl.index)
            age = age.fillna(((tl["_day"] - dob) / DAY).astype("Float64"))
            mob_from = [_case_attr(case, cid, "mobile_from") for cid in case_ids]
            if any(mob_from):
                mf = pd.Series([pd.Timestamp(d) if d else pd.NaT for d in mob_from], dtype="datetime64[ns]")
                mf = pd.Series(mf.to_numpy()[codes], index=tl.index)
                mobile = mobile.fillna((tl["_day"] >= mf).astype("boolean").mask(mf.isna()))
    tl["_age_days"] = age
    tl["_dob"] = _minus_days(tl["_day"], age)
    tl["_mobile"] = mobile
    ids = pd.Index(case_ids, dtype=tl["case_id"].dtype)
    # each case's vocabulary as the rules read its texts (`case_vocab_key`: "" for the package's), by case
    # code; the rows' numbers are made when a rule first reads a text (`row_vocabs`)
    vocab_keys = [case_vocab_key(case, cid) for cid in case_ids] if case is not None else []
    # each case's case.yml mobile_from (None when not given), by case code: it wins over the records' words
    # about the child's mobility (`review.timeline.child_mobile_recorded`); explanations name it
    mobile_froms = [_case_attr(case, cid, "mobile_from") for cid in case_ids] if case is not None else []
    # each case's case.yml child_sex ("female", "male", None), by case code (self_harm_not_referred)
    child_sexes = [child_sex(case, cid) for cid in case_ids] if case is not None else []
    # each case's child as the timeline's mobility reading takes it (`review.mobility.child_identity`), by case
    # code: nonmobile_injury names the row the timeline read the child as not mobile from
    from ..mobility import child_identity

    # each case's case.yml people ({name: role}) and child_name, by case code: whose report of self-harm a
    # parent's words are (self_harm_not_referred, as ingest read them: `review.ingest.load._with_people`)
    people = [_case_attr(case, cid, "people") or None for cid in case_ids] if case is not None else []
    children = [child_identity(_child_name(case, cid), sex, who) for cid, sex, who in zip(case_ids, child_sexes, people)] \
        if case is not None else []
    child_names = [_child_name(case, cid) for cid in case_ids] if case is not None else []
    # each case's case.yml additional_needs stated (a disabled child, or one with additional health needs), by
    # case code: was_not_brought's lower threshold across health agencies
    needs = np.array([bool(_case_attr(case, cid, "additional_needs")) for cid in case_ids] if case is not None
                     else [False] * len(case_ids), dtype=bool)
    # (s20) each case's case.yml looked_after periods (review.config.LookedAfterPeriod), by case code:
    # lac_visits_overdue's statutory visits, child_not_seen's residential placements
    looked_after = [tuple(_case_attr(case, cid, "looked_after") or ()) for cid in case_ids] if case is not None \
        else [()] * len(case_ids)
    return Context(timeline=tl, settings=settings, case_ids=ids,
                   extra={"deaths": pd.Series(deaths, index=ids), "review_dates": pd.Series(reviews, index=ids),
                          "concern_windows": windows,
                          "vocab_keys": vocab_keys, "order": order, "mobile_froms": mobile_froms,
                          "child_sexes": child_sexes, "children": children, "people": people,
                          "child_names": child_names, "additional_needs": needs, "case": case,
                          "looked_after": looked_after})


# ---------------------------------------------------------------------------------------------------
# Building blocks
# ---------------------------------------------------------------------------------------------------
_BIG = np.int64(1 << 20)  # composite search keys: group * _BIG + day number (+ _OFFSET)
_OFFSET = np.int64(1 << 19)
_NAT_DAY = np.int64(-(1 << 18))


def day_numbers(values) -> np.ndarray:
    """Days since 1970-01-01 as int64 (NaT -> a sentinel far in the past)."""
    arr = pd.Series(values).to_numpy(dtype="datetime64[ns]").astype("datetime64[D]")
    out = arr.astype("int64")
    out[np.isnat(arr)] = _NAT_DAY
    return out


def late_referral(ctx: Context, t: pd.DataFrame, found: pd.DataFrame, params: dict) -> tuple[pd.DataFrame, object]:
    """(the late responses of the untimely triggers `t` — `found` is `referral_response`'s table of all the
    triggers — and the end of the explanation where none came): the next such referral by any agency need not
    be about this concern, so one more than `response_max_days` after the trigger is not reported as its late
    response, nor one after the child's death (`cap_response`, `death_bound`): '; none is recorded within 90
    days of 1 Mar 2023.' or '; none is recorded before the child's death on 3 Jun 2023.'."""
    cap = params.get("response_max_days")
    death = death_bound(ctx, t, t["_day"], cap)
    r = cap_response(found[~found["timely"]], t["_day"], cap, death)
    note_death_cut(ctx, t, death, r["action_event_id"])
    none_text = ("; none is recorded within " + str(int(cap)) + " days of " + fmt_date(t["_day"]) + "."
                 ).to_numpy(dtype=object) if cap is not None else "; none is recorded."
    none_text = review_end_outcome_text(none_text, review_end_bound(ctx, t, t["_day"], cap, death), "none is recorded")
    return r, death_outcome_text(none_text, death, "none is recorded")


def late_triggers(ctx: Context, triggers: pd.DataFrame, found: pd.DataFrame, params: dict
                  ) -> tuple[pd.DataFrame, pd.DataFrame | None, object]:
    """(the `triggers` no response answered in time — `found` is `first_response`'s or `referral_response`'s
    table of them all — their late responses, and the end of the explanation where none came): `late_referral`
    of the untimely ones, the steps a rule takes before `deadline_rows`. (An empty frame, None, None) when every
    trigger was answered in time: the rule has no flag to build."""
    t = triggers[~found["timely"].to_numpy(dtype=bool)]
    if t.empty:
        return t, None, None
    r, none_text = late_referral(ctx, t, found, params)
    return t, r, none_text


def all_referral_receipts(ctx: Context) -> np.ndarray:
    """Per timeline row (read-only; kept in the context): does it record children's social care (or MASH)
    receiving a referral or notification, whoever made it? A row by one of the `receipt_agency_kinds` setting
    whose description or action mentions one of `receipt_keywords` ("Referral from Hillcrest Academy re CSE",
    "Police notification of DA incident 10/05", "Police referral re missing episode received", "Referral from
    maternal aunt") not negated (the vocabulary's cues, and `receipt_negations` after the words: "No referral
    received", "referral from school awaited": `text_mentions`, each distinct text read once). Every such row is
    a referral awaiting social care's decision (referral_no_decision's `receipts_trigger`); only an agency's
    answers another agency's concern (`referral_receipts`). Not a row whose text mentions one of
    `receipt_not_documents` (not negated; s20): an inspection's letter, minutes, received from an agency are no
    referral or notification about the child."""
    if "all_referral_receipts" not in ctx.extra:
        settings = ctx.settings
        kinds, keywords = settings.get("receipt_agency_kinds") or (), settings.get("receipt_keywords") or ()
        out = np.zeros(len(ctx.timeline), dtype=bool)
        if kinds and keywords:
            mask = ctx.kinds(kinds).to_numpy(dtype=bool)
            if mask.any():
                out = text_mentions(ctx, mask, keywords, tuple(str(w) for w in settings.get("receipt_negations") or ())
                                    ).to_numpy(dtype=bool, copy=True)
                if settings.get("receipt_not_documents") and out.any():
                    # (s20, QA9 D5) what came in is no referral about the child: "Ofsted monitoring visit letter
                    # received from school", "Minutes received from the conference chair"
                    out &= ~text_mentions(ctx, out, settings["receipt_not_documents"]).to_numpy(dtype=bool)
        out.flags.writeable = False
        ctx.extra["all_referral_receipts"] = out
    return ctx.extra["all_referral_receipts"]


def referral_receipts(ctx: Context) -> np.ndarray:
    """Per timeline row (read-only; kept in the context): does it record children's social care (or MASH)
    receiving a referral or notification from an agency (`all_referral_receipts` but those from a member of the
    public or the family: `public_referral_receipts`)? Such a row proves the referral was made no later than
    its day: it answers the referring agency's concern, and it is no concern of social care's needing a
    referral to itself (the rules' `receipts_answer`). A grandmother's or a neighbour's referral answers no
    agency's duty to escalate what it saw: it is social care's own record of the concern, which social care
    must act on (a strategy discussion, the child seen alone) like any other."""
    if "referral_receipts" not in ctx.extra:
        out = all_referral_receipts(ctx) & ~public_referral_receipts(ctx)
        out.flags.writeable = False
        ctx.extra["referral_receipts"] = out
    return ctx.extra["referral_receipts"]


def agency_referral_receipts(ctx: Context) -> np.ndarray:
    """Per timeline row (read-only; kept in the context; s20, QA10): does it record an agency receiving another
    agency's referral or notification, whichever agency received it? Social care's (`referral_receipts`) and a
    row by any other agency whose description or action mentions one of the `receipt_any_agency_keywords`
    setting ("Referral received from police: out of court disposal consideration" by the youth justice service),
    not negated (`receipt_negations`) and no document (`receipt_not_documents`). Such a row is what another
    agency already knew and passed on: no concern of its own needing a referral (exploitation_not_referred,
    return_interview_or_nrm_late's nrm variant)."""
    if "agency_referral_receipts" not in ctx.extra:
        settings = ctx.settings
        out = referral_receipts(ctx).copy()
        keywords = settings.get("receipt_any_agency_keywords") or ()
        if keywords:
            mask = ~ctx.kinds(settings.get("receipt_agency_kinds") or ()).to_numpy(dtype=bool)
            if mask.any():
                got = text_mentions(ctx, mask, keywords, tuple(str(w) for w in settings.get("receipt_negations") or ())
                                    ).to_numpy(dtype=bool, copy=True)
                if settings.get("receipt_not_documents") and got.any():
                    got &= ~text_mentions(ctx, got, settings["receipt_not_documents"]).to_numpy(dtype=bool)
                out |= got
        out.flags.writeable = False
        ctx.extra["agency_referral_receipts"] = out
    return ctx.extra["agency_referral_receipts"]


def public_referral_receipts(ctx: Context) -> np.ndarray:
    """Per timeline row (read-only; kept in the context): is it a receipt (`all_referral_receipts`) of a
    referral made by a member of the public or the family? Its text names such a referrer first
    (`public_referrer_text`: "Referral from maternal aunt with photographs of bruises", "Third referral from
    maternal grandmother", "referred by neighbour"; not "Referral from police following a call from a
    neighbour"), or its source of information cell does ("Maternal grandmother (Patricia Lowe)":
    `public_referrer_cell`). Each distinct text and cell read once."""
    if "public_referral_receipts" not in ctx.extra:
        out = public_referrers(ctx, all_referral_receipts(ctx))
        out.flags.writeable = False
        ctx.extra["public_referral_receipts"] = out
    return ctx.extra["public_referral_receipts"]


def public_referrers(ctx: Context, mask) -> np.ndarray:
    """Per timeline row: of the rows of `mask`, does its text name a member of the public or the family as the
    one who made the referral or contact it records (`public_referrer_text`, settings.receipt_public_referrers
    and receipt_referrer_words), or its source of information cell name one first (`public_referrer_cell`)?
    Each distinct text and cell read once."""
    out = np.zeros(len(ctx.timeline), dtype=bool)
    settings = ctx.settings
    referrers, cues = settings.get("receipt_public_referrers") or (), settings.get("receipt_referrer_words") or ()
    pos = np.flatnonzero(np.asarray(mask, dtype=bool))
    if not len(pos) or not referrers:
        return out
    numbers = np.zeros(len(ctx.timeline), dtype="int64")  # the words are the settings', not a vocabulary's
    inverse, first, _, row_text = _distinct_texts(ctx, pos, numbers)
    hits = np.array([public_referrer_text(row_text(i), referrers, cues) for i in first], dtype=bool)
    out[pos] = hits[inverse]
    if "source_of_information" in ctx.timeline.columns:
        cells = ctx.timeline["source_of_information"].to_numpy(dtype=object)[pos]
        codes, uniques = pd.factorize(pd.Series(cells, dtype=object).fillna(""))
        if len(uniques):
            out[pos] |= np.array([public_referrer_cell(u, referrers) for u in uniques], dtype=bool)[codes]
    return out


#: words that may stand between "from"/"by" and the referrer it names ("from the maternal aunt")
_REFERRER_MODIFIERS = ("the", "a", "an", "her", "his", "their", "childs", "maternal", "paternal", "great",
                       "concerned", "worried", "local", "anonymous", "another", "elderly", "older")


#: words after a referrer word that make it a service's name ("parent support worker", "Public Protection Unit")
_REFERRER_SERVICES = ("support", "worker", "workers", "liaison", "practitioner", "advocate", "service", "services",
                      "health", "protection", "unit", "team", "officer", "nurse", "partnership", "hub", "centre")


@functools.lru_cache(maxsize=16)
def _referrer_patterns(referrers: tuple, cues: tuple) -> tuple[re.Pattern, re.Pattern]:
    """(the pattern finding each "<cue> from|by <words>" in a normalised text, its group 1 the words after;
    the pattern matching a referrer at the start of such words, modifiers before it or not)."""
    cue_words = sorted({normalise_text(c) for c in cues if normalise_text(c)}, key=len, reverse=True)
    names = sorted({normalise_text(r) for r in referrers if normalise_text(r)}, key=len, reverse=True)
    phrase = re.compile(r"(?<![a-z0-9])(?:" + "|".join(map(re.escape, cue_words)) + r")(?: received| made)?"
                        r" (?:from|by) ((?:\S+ ?){1,6})") if cue_words else re.compile(r"(?!x)x")
    public = re.compile(r"(?:(?:" + "|".join(_REFERRER_MODIFIERS) + r") ){0,3}(?:"
                        + "|".join(map(re.escape, names)) + r")(?![a-z0-9])(?! (?:" + "|".join(_REFERRER_SERVICES) + r")(?![a-z0-9]))")
    return phrase, public


def public_referrer_text(text: str, referrers, cues) -> bool:
    """Does `text` (a receipt's description " . " action) name a member of the public or the family as the
    referrer: the first "<cue> from|by <referrer>" it holds (a cue of `cues`: "referral", "call", "contact",
    "referred"; normalised text) names one of `referrers` ("maternal aunt", "grandmother", "neighbour", "member of
    the public"), "the"/"maternal" and the like between or not? The first referrer named decides: "Referral from
    police following a call from a neighbour" is the police's."""
    phrase, public = _referrer_patterns(tuple(map(str, referrers)), tuple(map(str, cues)))
    text = normalise_text(text)
    found = phrase.search(text)
    if found is None:  # "Anonymous referral received re neglect": no referrer named after it
        return _ANONYMOUS.search(text) is not None
    return public.match(found.group(1)) is not None


_ANONYMOUS = re.compile(r"(?<![a-z0-9])anonymous (?:referral|referrer|call|caller|contact|report|concern)")


def public_referrer_cell(cell, referrers) -> bool:
    """Does a source of information cell ("Maternal grandmother (Patricia Lowe)", "Neighbour") name a member of
    the public or the family first (one of `referrers`, "maternal" and the like before it or not)?"""
    text = normalise_text(cell)
    if not text:
        return False
    _, public = _referrer_patterns(tuple(map(str, referrers)), ())
    return public.match(text) is not None


def agency_named(agency, words) -> bool:
    """Does the agency name `agency` name one of `words` (whole words, case-insensitive, any run of characters
    other than letters and digits between them): "Eastborough CAMHS" and "Child and Adolescent Mental Health
    Service" name [camhs, child and adolescent mental health]."""
    words = [w for w in (normalise_text(w) for w in words or ()) if w]
    if not words or agency is None:
        return False
    return bool(_agency_regex(tuple(words)).search(normalise_text(str(agency))))


@functools.lru_cache(maxsize=64)
def _agency_regex(words: tuple) -> re.Pattern:
    return re.compile(r"(?<!\S)(?:" + "|".join(sorted((re.escape(w) for w in words), key=len, reverse=True))
                      + r")(?!\S)")


def agencies_named(ctx: Context, words) -> np.ndarray:
    """Per timeline row: is it by an agency whose name names one of `words` (`agency_named`)? Each distinct
    agency name read once."""
    codes, uniques = ctx._coded("agency")
    hit = np.append(np.array([agency_named(u, words) for u in uniques], dtype=bool), False)  # NA: none
    return hit[codes]


def informed_reach_kinds(listed, kinds, vocab) -> bool:
    """Does a row's informed agencies cell `listed` (its ";"-separated names) name an agency of one of `kinds`:
    a name whose kind is one of them ("Children's Social Care", "Westbridge MASH": `normalise_agency`), or a
    `sharing_recipients` label reaching that kind ("Children's social care", read from "Result passed to
    MASH"), or (s21) a person named with such a role ("Kerry Holt (social worker)", "Kerry Holt, SW":
    `review.vocab.recipient_role`)? `vocab`: a vocabulary mapping or compiled."""
    from ..vocab import normalise_agency, recipient_reach

    if listed is None or not isinstance(listed, str) or not listed.strip():
        return False
    v = compile_vocab(vocab)
    wanted = frozenset(str(k) for k in kinds)
    for name in listed.split(MULTI_SEP.strip() or ";"):
        name = name.strip()
        if not name:
            continue
        reach = recipient_reach(name, v)  # a label, or a person named with its role (s21: "K Holt (social worker)")
        if (reach is not None and not wanted.isdisjoint(reach[0])) or normalise_agency(name, v)[1] in wanted:
            return True
    return False


def informed_kinds(ctx: Context, kinds) -> np.ndarray:
    """Per timeline row: do its informed agencies name an agency of one of `kinds` (`informed_reach_kinds`,
    the package vocabulary)? Each distinct informed_agencies value read once."""
    codes, uniques = ctx._coded("informed_agencies")
    vocab = _negating_vocab((), "")
    hit = np.append(np.array([informed_reach_kinds(u, kinds, vocab) for u in uniques], dtype=bool), False)
    return hit[codes]


def shared_in_text_kinds(ctx: Context, mask, kinds) -> np.ndarray:
    """Per timeline row: of the rows of `mask` by an agency of none of `kinds`, does its text ("description .
    action") say the information was sent to an agency of one of `kinds` (`review.vocab.shared_in_text`, as
    ingest reads the narrative: "RHI request sent to Brackmoor CSC", "Referral sent to Westshire MASH": the
    council's name between the verb and the service; not "to be sent", "not sent")? Not an "Information shared
    with" cell: a record shared with every agency of the case is no referral. Each distinct (case vocabulary,
    description, action) read once (`read_row_texts`)."""
    from ..vocab import shared_in_text

    out = np.zeros(len(ctx.timeline), dtype=bool)
    pos = np.flatnonzero(np.asarray(mask, dtype=bool) & ~ctx.kinds(kinds).to_numpy(dtype=bool))
    if not len(pos):
        return out

    def read(text: str, key: str) -> bool:
        vocab = _negating_vocab((), key)
        return informed_reach_kinds("; ".join(shared_in_text(text, vocab)), kinds, vocab)

    out[pos] = read_row_texts(ctx, pos, read, dtype=bool)
    return out


@functools.lru_cache(maxsize=16)
def _sender_patterns(cues: tuple, kind_words: tuple) -> tuple[re.Pattern, re.Pattern, dict]:
    """(the "<cue> from|by <words>" pattern, a pattern of every kind word, each normalised kind word's kind)."""
    phrase, _ = _referrer_patterns(("x",), cues)
    kinds = {}
    for kind, words in kind_words:
        for w in words:
            kinds.setdefault(normalise_text(w), kind)
    kinds.pop("", None)
    words = sorted(kinds, key=len, reverse=True)
    any_kind = re.compile(r"(?<![a-z0-9])(" + "|".join(map(re.escape, words)) + r")(?![a-z0-9])") if words \
        else re.compile(r"(?!x)x")
    return phrase, any_kind, kinds


def receipt_sender_kind(text: str, cues, kind_words, alone_words=()) -> str:
    """The agency kind a receipt's text names as the sender, "" when it names none (s21): the first "<cue>
    from|by <words>" it holds (a cue of `cues`, settings' receipt_referrer_words: "Letter received from YJS re
    court outcome", "Referral from Brackmoor PRU") names the kind of the first of `kind_words` (kind -> words:
    vocab.yml agency_kinds without the generic words, and settings' receipt_sender_kind_words: "ppn" is the
    police's) in its words; else the first kind word just before "referral", "notification", "letter" and the
    like ("Police notification: ...", "School referral re ..."); else the first of `alone_words` (kind -> words,
    settings' receipt_sender_kind_words: "PPN: third missing episode" is the police's) anywhere."""
    phrase, any_kind, kinds = _sender_patterns(tuple(map(str, cues)),
                                               tuple((str(k), tuple(map(str, w))) for k, w in kind_words))
    text = normalise_text(text)
    found = phrase.search(text)
    if found is not None:
        named = any_kind.search(found.group(1))
        if named is not None:
            return kinds[named.group(1)]
    before = re.search(any_kind.pattern + r" (?:referral|referrals|notification|notifications|letter|email|report|"
                       r"information|intelligence|contact|concern|concerns)(?![a-z0-9])", text)
    if before is not None:
        return kinds[before.group(1)]
    if alone_words:
        _, alone, alone_kinds = _sender_patterns(tuple(map(str, cues)),
                                                 tuple((str(k), tuple(map(str, w))) for k, w in alone_words))
        named = alone.search(text)
        if named is not None:
            return alone_kinds[named.group(1)]
    return ""


def receipt_sender_kind_words(settings: dict) -> tuple[tuple, tuple]:
    """(`receipt_sender_kind`'s alone_words: settings' receipt_sender_kind_words as (kind, words) pairs; its
    kind_words: those, then the package vocabulary's agency_kinds without its generic words, agency_kind_generic:
    "council", "local authority")."""
    from ..config import package_data

    vocab = package_data("vocab.yml")
    generic = {normalise_text(w) for w in vocab.get("agency_kind_generic") or ()}
    own = tuple((str(k), tuple(map(str, v or ()))) for k, v in (settings.get("receipt_sender_kind_words") or {}).items())
    return own, own + tuple((str(k), tuple(str(w) for w in v or () if normalise_text(str(w)) not in generic))
                              for k, v in (vocab.get("agency_kinds") or {}).items())


def receipt_sender_kinds(ctx: Context, mask) -> np.ndarray:
    """Per timeline row of `mask` (receipts): `receipt_sender_kind` of its text ("" elsewhere); each distinct
    text read once (`read_row_texts`)."""
    out = np.full(len(ctx.timeline), "", dtype=object)
    pos = np.flatnonzero(np.asarray(mask, dtype=bool))
    if len(pos):
        cues = ctx.settings.get("receipt_referrer_words") or ()
        alone, words = receipt_sender_kind_words(ctx.settings)
        out[pos] = read_row_texts(ctx, pos, lambda text, _key: receipt_sender_kind(text, cues, words, alone))
    return out


def referral_response(ctx: Context, triggers: pd.DataFrame, params: dict) -> pd.DataFrame:
    """`referral_response_of` the triggers; with `receipts_sender_kind_only` (s21), a receipt naming another kind
    of agency as its sender (`receipt_sender_kind`: social care's "Letter received from YJS re court outcome"
    the day after the PRU's record of a disclosure) answers no trigger of another kind: each trigger agency
    kind's triggers are answered by the receipts naming no sender or their own kind."""
    if not (params.get("receipts_answer") and params.get("receipts_sender_kind_only")) or triggers.empty:
        return referral_response_of(ctx, triggers, params)
    receipts = referral_receipts(ctx)
    sender = receipt_sender_kinds(ctx, receipts)
    named = sender != ""
    if not named.any():
        return referral_response_of(ctx, triggers, params)
    kinds = ctx.timeline["agency_kind"].astype("string").fillna("").to_numpy(dtype=object)[
        ctx.timeline.index.get_indexer(triggers.index)]
    parts = []
    for kind in sorted(set(kinds.tolist())):
        own = kinds == kind
        parts.append(referral_response_of(ctx, triggers[own], params, not_receipts=named & (sender != kind)))
    return pd.concat(parts).reindex(triggers.index)


def response_plans(settings: dict, params: dict) -> tuple[tuple, tuple]:
    """(s22) (the negations after a response keyword, the negation cues before it) with which
    `referral_response_of` reads `response_keywords`: the rule's `response_negations` and the settings'
    `response_plan_after` ("to be made", "to be completed", "will be sent"); the settings'
    `response_plan_before` ("to be", "will be", "will"). A referral or sharing only planned ("RHI request to be
    sent to CSC", "Referral to MASH will be made") is no response; a past one ("RHI request sent to CSC",
    "Referral made to MASH") still is. The row-by-row baseline reads them alike."""
    negations = tuple(dict.fromkeys([*map(str, params.get("response_negations") or ()),
                                     *map(str, settings.get("response_plan_after") or ())]))
    return negations, tuple(map(str, settings.get("response_plan_before") or ()))


def referral_response_of(ctx: Context, triggers: pd.DataFrame, params: dict, not_receipts=None) -> pd.DataFrame:
    """`first_response` of `triggers` among the rows that answer a concern by referral, read in the cases with a
    trigger only (domestic_abuse_not_escalated, exploitation_not_referred): an escalation of
    `params["escalations"]` that took place (`held_escalations`), a row of `response_contact_types` that took
    place (by an agency of `response_agency_kinds`, when given), or a row whose text mentions one of
    `response_keywords` (not negated by `response_negations`, not in a sentence with
    `response_not_in_sentence_with`: `text_mentions`); with `response_informed_kinds`, a row whose informed
    agencies name an agency of those kinds (`informed_kinds`: a notification sent); with
    `response_shared_in_text_kinds`, a row whose text says it was sent to an agency of those kinds
    (`shared_in_text_kinds`); with `receipts_answer`, social care's record of
    receiving a referral or notification (`referral_receipts`: the referral was made no later than its day,
    so a receipt that is itself a trigger answers itself); with `response_agency_names`, any contact that took
    place (not a missed one: of type or tag was_not_brought) by an agency whose name names one of them
    (`agencies_named`: a CAMHS appointment is CAMHS's response, whatever its text says), but for one whose text
    records the referral going nowhere, with `response_agency_declines` (`agency_declined`, with
    `response_agency_assessed` and `response_agency_not_assessed`: "Referral declined, does not meet
    threshold"), which is no response by its words either.

    A referral to children's social care (a held `referral_to_csc` of `escalations`) whose record's text dates
    it on a later day ("Referral to MASH sent 22.02.21" on the police's record of 19 Feb 2021: `referral_text_days`,
    as referral_no_decision reads it) answers from that day, unless the row answers otherwise too (another
    escalation held, a response contact type, a receipt, a contact by a named agency): the response's
    ``action_date`` is then that day and `referral_dated_text` words it for the explanation. With
    `keyword_referrals_dated`, a row answering by its words alone (`response_keywords`) that dates the
    referral it records answers from that day too (`keyword_referral_days`: "Referral to CAMHS sent 03/04/2021")."""
    tl = ctx.timeline
    in_cases = np.isin(tl["_case"].to_numpy(), np.unique(triggers["_case"].to_numpy()))
    kinds = [str(k) for k in params["escalations"]]
    referral = held_escalations(ctx, ["referral_to_csc"]).to_numpy(dtype=bool) & in_cases \
        if "referral_to_csc" in kinds else np.zeros(len(tl), dtype=bool)
    other = held_escalations(ctx, [k for k in kinds if k != "referral_to_csc"]).to_numpy(dtype=bool, copy=True) & in_cases
    declined = np.zeros(len(tl), dtype=bool)
    if params.get("response_agency_names"):
        missed = missed_contacts(ctx).to_numpy(dtype=bool)
        named = agencies_named(ctx, params["response_agency_names"]) & in_cases
        if params.get("response_agency_declines"):
            # the named agency's record of the referral going nowhere ("Referral declined", "does not meet
            # threshold, signposted back to GP": the child not assessed) is no response, nor by its words
            declined = agency_declined(ctx, named, params["response_agency_declines"],
                                       params.get("response_agency_assessed") or (),
                                       params.get("response_agency_not_assessed") or ())
        other |= named & ~missed & ~declined
    if params.get("receipts_answer"):
        # (s21) but those of `not_receipts` (`referral_response`: a receipt from another kind of agency)
        other |= referral_receipts(ctx) & in_cases & (True if not_receipts is None else ~np.asarray(not_receipts, dtype=bool))
    if params.get("response_informed_kinds"):
        # a row whose informed agencies name an agency of these kinds (the police's "Shared with: Children's
        # Social Care", "Result passed to MASH": the notification sent; `informed_kinds`)
        other |= informed_kinds(ctx, params["response_informed_kinds"]) & in_cases
    if params.get("response_shared_in_text_kinds"):
        # (s20) a row whose text says it was sent to social care ("RHI request sent to Brackmoor CSC"), the
        # council's name between, which response_keywords' fixed words cannot allow (`shared_in_text_kinds`);
        # not a held referral's own row (s22): its words "Referral to MASH sent 25.02.21" are the referral, which
        # answers below from the day its text dates it
        other |= shared_in_text_kinds(ctx, in_cases & ~other & ~referral, params["response_shared_in_text_kinds"])
    if params.get("response_contact_types"):
        typed = types_held(ctx, params["response_contact_types"]).to_numpy(dtype=bool, copy=True)
        if params.get("response_agency_kinds"):
            typed &= ctx.kinds(params["response_agency_kinds"]).to_numpy(dtype=bool)
        other |= typed & in_cases
    response = referral | other
    worded = np.zeros(len(tl), dtype=bool)
    if params.get("response_keywords"):
        # (s22, QA "to be sent": the police's "RHI request to be sent to CSC" after a missing 15-year-old's record)
        # a referral or a sharing only planned is none: the rule's negations and the settings' plan words after
        # the words ("Referral to MASH to be completed", "... will be made") and before them ("to be sent to
        # CSC", "will be shared with CSC"; `response_plans`), as ingest reads no referral in them
        negations, before = response_plans(ctx.settings, params)
        worded = text_mentions(ctx, in_cases & ~response & ~declined, params["response_keywords"], negations,
                               params.get("response_not_in_sentence_with", ()), before=before).to_numpy(dtype=bool)
        response |= worded
    exact = tl["_exact"].to_numpy(dtype=bool)
    dated = referral & ~other & exact
    starts = None
    if dated.any():
        # every held referral's text day, read once per prepared timeline (the rules ask up to four times)
        if "referral_text_days" not in ctx.extra:
            every = held_escalations(ctx, ["referral_to_csc"]).to_numpy(dtype=bool) & exact
            ctx.extra["referral_text_days"] = referral_text_days(ctx, every)
        starts = np.where(dated, ctx.extra["referral_text_days"], np.datetime64("NaT", "ns"))
    if params.get("keyword_referrals_dated") and (worded & exact).any():
        # a row answering by its words alone that dates the referral it records ("Referral to CAMHS sent
        # 03/04/2021"): from that day (`keyword_referral_days`), as a referral to social care above
        days = keyword_referral_days(ctx, worded & exact, params["response_keywords"],
                                     params.get("response_negations", ()),
                                     params.get("response_not_in_sentence_with", ()))
        starts = days if starts is None else np.where(np.isnat(starts), days, starts)
    return first_response(ctx, triggers, pd.Series(response, index=tl.index), starts=starts)


def agency_declined(ctx: Context, mask, declines, assessed=(), not_assessed=()) -> np.ndarray:
    """Per timeline row: does the row of `mask` (a contact by an agency that answers by itself: CAMHS) record
    the referral going nowhere, the child not assessed? Its description or action mentions one of `declines`
    ("Referral declined", "not accepted", "does not meet threshold", "signposted back to GP"; not negated), and
    none of `assessed` ("assessed", "seen by", "assessment completed") outside a sentence naming one of
    `not_assessed` ("not seen", "without assessment"): "Seen by CAMHS: does not meet threshold for ongoing
    input, signposted to school counsellor" was an assessment. `text_mentions`, each distinct text read once;
    `agency_declined_text` reads one text alike."""
    out = text_mentions(ctx, mask, declines).to_numpy(dtype=bool, copy=True)
    if out.any() and assessed:
        out &= ~text_mentions(ctx, out, assessed, (), not_assessed).to_numpy(dtype=bool)
    return out


def agency_declined_text(text: str, declines, assessed=(), not_assessed=(), vocab: str = "") -> bool:
    """`agency_declined` of one text (description " . " action): the row-by-row baseline's reading."""
    return _mentioned(text, list(map(str, declines)), ()) and not (
        bool(assessed) and _mentioned(text, list(map(str, assessed)), (), tuple(map(str, not_assessed)), vocab))


def referral_dated_text(ctx: Context, response: pd.DataFrame, index: pd.Index) -> np.ndarray:
    """Per response (`first_response`'s table, aligned with `index`): ' (referral dated 22 Feb 2021 in the
    record's text of 19 Feb 2021)' where the response is an exact-dated row answering from a later day than its
    own (its text dates the referral: `referral_response`), '' elsewhere; an explanation puts it after the
    response's date."""
    pos = response["action_pos"].to_numpy(dtype="int64")
    out = np.full(len(pos), "", dtype=object)
    if not len(pos):
        return out
    own = column_at(ctx, "_day", np.maximum(pos, 0), index).to_numpy(dtype="datetime64[ns]").astype("datetime64[D]")
    when = response["action_date"].to_numpy(dtype="datetime64[ns]").astype("datetime64[D]")
    dated = (pos >= 0) & response["action_exact"].to_numpy(dtype=bool) & ~np.isnat(when) & (when != own)
    if dated.any():
        out[dated] = (" (referral dated " + fmt_date(pd.Series(response["action_date"].to_numpy()[dated])).astype(str)
                      + " in the record's text of "
                      + fmt_date(pd.Series(own[dated].astype("datetime64[ns]"))).astype(str) + ")").to_numpy(dtype=object)
    return out


def first_response_or(ctx: Context, triggers: pd.DataFrame, mask, other, **kwargs) -> pd.DataFrame:
    """`first_response` of `mask`, where a row of `other` (per timeline row; None: none) answers too, but is
    taken as the response only when it came strictly before the first of `mask` (or none of `mask` came): the
    injury rules' escalations, then social care's receipt of a referral (`referral_receipts`), so that the
    referring agency's own referral, not its receipt recorded the same day, is the response named."""
    found = first_response(ctx, triggers, mask, **kwargs)
    if other is None:
        return found
    other = np.asarray(other, dtype=bool) & ~np.asarray(mask, dtype=bool)
    if not other.any():
        return found
    alt = first_response(ctx, triggers, pd.Series(other, index=ctx.timeline.index), **kwargs)
    return earlier_response(found, alt)


def earlier_response(found: pd.DataFrame, alt: pd.DataFrame) -> pd.DataFrame:
    """Two `first_response` tables of the same triggers as one: `alt`'s response where it came strictly before
    `found`'s (or `found` has none), timely when either is."""
    pos, alt_pos = found["action_pos"].to_numpy(), alt["action_pos"].to_numpy()
    use = (alt_pos >= 0) & ((pos < 0) | (alt["action_date"].to_numpy() < found["action_date"].to_numpy()))
    out = found.copy()
    for column in ("action_event_id", "action_date", "action_exact", "action_pos"):
        out[column] = out[column].where(~use, alt[column])
    out["timely"] = found["timely"].to_numpy() | alt["timely"].to_numpy()
    unplaced = np.where(found["unplaced_pos"].to_numpy() >= 0, found["unplaced_pos"].to_numpy(),
                        alt["unplaced_pos"].to_numpy())
    out["unplaced_pos"] = np.where(out["timely"].to_numpy(), -1, unplaced)
    return out


def first_response(
    ctx: Context,
    triggers: pd.DataFrame,
    mask: pd.Series,
    *,
    anchor: str = "anchor",
    deadline: str = "deadline",
    same_agency: bool = False,
    starts=None,
    groups=None,
) -> pd.DataFrame:
    """For each trigger, whether a response (a timeline row in `mask`) came in the window [anchor,
    deadline] (calendar days, inclusive), and the first response from `anchor` on.

    A partial-date response (month, season, year, approximate) answers the trigger only when its whole
    period lies on or after `anchor` (it certainly came after the concern), and is in time when its period
    starts by the deadline. One whose period begins before `anchor` and runs on past it cannot be placed
    after the concern: it is not the response; the first such row of each trigger without a timely
    response is noted (``unplaced_pos``, and `unplaced_text` for the explanation, added by `run_rule`).
    `triggers` needs ``_case`` (and ``_agency`` when `same_agency`). `starts` (per timeline row, datetime64, NaT
    for the row's own day; None: every row's own) moves an exact-dated response to another day: a referral its
    record's text dates later than the record (`referral_response`). `groups` (per timeline row, int64; None:
    the case, or the agency with `same_agency`): a response answers the triggers of its own group only, a
    trigger's group being its row's (`triggers`' labels are timeline positions: transfer_in_conference_late's
    local authorities).
    Returns, aligned with `triggers`: timely (bool), action_event_id, action_date, action_exact, action_pos,
    unplaced_pos. Vectorised with binary searches per precision level over (case or agency, day) keys.
    """
    n = len(triggers)
    group_col = "_agency" if same_agency else "_case"
    tl = ctx.timeline
    timely = np.zeros(n, dtype=bool)
    best_start = np.full(n, np.iinfo("int64").max, dtype="int64")
    best_pos = np.full(n, -1, dtype="int64")
    best_exact = np.zeros(n, dtype=bool)
    unplaced = np.full(n, -1, dtype="int64")
    if n:
        # positions once, then integer gathers: cheaper than a boolean pass over every row per column
        r_pos = np.flatnonzero(np.asarray(mask, dtype=bool))
        if groups is not None:
            groups = np.asarray(groups, dtype="int64")
        r_group = (tl[group_col].to_numpy() if groups is None else groups)[r_pos].astype("int64")
        r_start = tl["_sd"].to_numpy()[r_pos]
        r_end = tl["_ed"].to_numpy()[r_pos]
        r_prec = tl["_prec"].to_numpy()[r_pos]
        if starts is not None:  # a response dated on another day than its row's (exact rows only)
            moved = np.asarray(starts, dtype="datetime64[ns]")[r_pos]
            at = ~np.isnat(moved) & (r_prec == 0)
            if at.any():
                r_start = r_start.copy()
                r_start[at] = day_numbers(moved[at])
        t_group = (triggers[group_col].to_numpy() if groups is None
                   else groups[triggers.index.to_numpy()]).astype("int64")
        t_anchor = day_numbers(triggers[anchor])
        t_deadline = day_numbers(triggers[deadline])
        valid = t_anchor != _NAT_DAY
        query = t_group * _BIG + t_anchor + _OFFSET
        for level in range(max(PRECISION_RANK.values()) + 1):  # equal-length periods within a level
            sel = r_prec == level
            if not sel.any():
                continue
            for on in ((r_start,) if level == 0 else (r_start, r_end)):
                keys = r_group[sel] * _BIG + on[sel] + _OFFSET
                if len(keys) < 2 or bool((keys[1:] >= keys[:-1]).all()):
                    order = np.arange(len(keys))  # timeline order is (case, day): the keys are usually sorted
                else:
                    order = np.argsort(keys, kind="stable")
                keys = keys[order]
                idx = np.searchsorted(keys, query, side="left")
                inside = idx < len(keys)
                idx_c = np.minimum(idx, len(keys) - 1)
                found = valid & inside & (keys[idx_c] // _BIG == t_group)
                start = r_start[sel][order][idx_c]
                pos = r_pos[sel][order][idx_c]
                if on is r_end:  # the first period (by its end) running on past the anchor: begun before it?
                    unplaced = np.where((unplaced < 0) & found & (start < t_anchor), pos, unplaced)
                    continue
                timely |= found & (start <= t_deadline)
                better = found & (start < best_start)
                best_start = np.where(better, start, best_start)
                best_pos = np.where(better, pos, best_pos)
                best_exact = np.where(better, level == 0, best_exact)
        unplaced[timely] = -1
    has = best_pos >= 0
    # only the responses' ids leave the arrow column (not the whole column as Python objects)
    ids = np.full(n, "", dtype=object)
    if has.any():
        ids[has] = np.asarray(take_rows(tl["event_id"], best_pos[has]), dtype=object)
    dates = np.where(has, best_start, 0).astype("datetime64[D]").astype("datetime64[ns]")
    dates[~has] = np.datetime64("NaT")
    if (unplaced >= 0).any() and "event_id" in triggers.columns:
        noted = ctx.extra.setdefault("unplaced", {})
        for event_id, pos in zip(triggers["event_id"].astype(str).to_numpy()[unplaced >= 0], unplaced[unplaced >= 0]):
            noted.setdefault(event_id, int(pos))
    return pd.DataFrame(
        {
            "timely": timely,
            "action_event_id": pd.array(ids, dtype="string"),
            "action_date": dates,
            "action_exact": best_exact & has,
            "action_pos": best_pos,  # the response's timeline position (-1: none), for `action_when`
            "unplaced_pos": unplaced,  # a partial-date response that cannot be placed after the trigger (-1: none)
        },
        index=triggers.index,
    )


def unplaced_text(ctx: Context, pos) -> np.ndarray:
    """What the explanation says of each row at timeline position `pos` (a partial-date response that
    `first_response` could not place after its concern): "a strategy discussion dated only 'Spring 2021'
    cannot be placed after this concern"."""
    pos = np.asarray(pos, dtype="int64")
    tl = ctx.timeline
    types = np.asarray(take_rows(tl["contact_type"], pos), dtype=object)
    shown = _date_texts(tl["_day"].iloc[pos].reset_index(drop=True),
                        pd.Series(np.asarray(tl["_shown"].astype(object))[pos]))
    agencies = np.asarray(take_rows(tl["agency"], pos), dtype=object)
    out = []
    for kind, day, agency in zip(types, shown, agencies):
        what = str(kind).replace("_", " ") if isinstance(kind, str) and kind and kind != "other" else "response"
        article = "an" if what[:1] in "aeiou" else "a"
        by = f" by {agency}" if isinstance(agency, str) and agency else ""
        out.append(f"{article} {what}{by} dated only '{day}' cannot be placed after this concern")
    return np.array(out, dtype=object)


def window_pairs(
    ctx: Context,
    triggers: pd.DataFrame,
    events: pd.DataFrame,
    lo: str,
    hi: str,
    *,
    keys=("_case",),
) -> pd.DataFrame:
    """Pairs (trigger, event) where the event certainly lies in [trigger[lo], trigger[hi]]: its whole
    period (``_start``..``_end``) inside the window, in the same case (or the same agency of the case,
    with ``keys=("_case", "_agency")``). Trigger columns keep their names, event columns are prefixed
    ``e_``; the trigger's index is in ``t_index``.

    Only the events whose start falls in each trigger's window are paired (two binary searches over
    (group, start day) keys), never the whole case's cross product: memory stays proportional to the
    pairs that matter.
    """
    group = "_agency" if "_agency" in keys else "_case"
    e_group = events[group].to_numpy().astype("int64")
    e_start = day_numbers(events["_start"])
    e_end = day_numbers(events["_end"])
    e_keys = e_group * _BIG + e_start + _OFFSET
    order = np.argsort(e_keys, kind="stable")
    e_keys = e_keys[order]
    t_group = triggers[group].to_numpy().astype("int64")
    t_lo, t_hi = day_numbers(triggers[lo]), day_numbers(triggers[hi])
    first = np.searchsorted(e_keys, t_group * _BIG + t_lo + _OFFSET, side="left")
    last = np.searchsorted(e_keys, t_group * _BIG + t_hi + _OFFSET, side="right")
    counts = np.maximum(last - first, 0)
    t_rep = np.repeat(np.arange(len(triggers)), counts)
    within = np.arange(counts.sum()) - np.repeat(np.cumsum(counts) - counts, counts)
    e_pos = order[np.repeat(first, counts) + within]
    keep = e_end[e_pos] <= t_hi[t_rep]  # the whole period inside the window
    t_rep, e_pos = t_rep[keep], e_pos[keep]
    names = [*triggers.columns, "t_index", *("e_" + str(c) for c in events.columns)]
    if len(set(names)) < len(names) or "t_index" in triggers.columns:  # clashing names: concat keeps both
        left = triggers.assign(t_index=triggers.index).iloc[t_rep].reset_index(drop=True)
        right = events.add_prefix("e_").iloc[e_pos].reset_index(drop=True)
        return pd.concat([left, right], axis=1)
    # the pair table built once from its columns, each taken by position (the frame the concat of the
    # two reset-index takes gives, without the intermediate frames)
    columns = {c: triggers[c].array.take(t_rep) for c in triggers.columns}
    columns["t_index"] = triggers.index.take(t_rep).array
    columns.update({"e_" + str(c): events[c].array.take(e_pos) for c in events.columns})
    return pd.DataFrame(columns, index=pd.RangeIndex(len(t_rep)))


def joined(values: pd.Series, by) -> pd.Series:
    """Group `values` by `by` and join each group's distinct values (sorted) with the multi separator."""
    if not (isinstance(by, pd.Series) and by.index.equals(values.index)):
        return _joined_frame(values, by)  # aligned on the index, as a DataFrame of the two would be
    # on numpy arrays: the same steps as `_joined_frame`, without building and filtering a DataFrame
    v = np.asarray(_text_array(values).to_numpy(dtype=object))
    keep = np.flatnonzero(v != "")
    keys, v = by.iloc[keep].to_numpy(), v[keep]  # filtered first: a nullable column's NA would make it float
    by_codes, _ = pd.factorize(keys, sort=True)
    if (by_codes < 0).any():  # a missing group key: pandas' own (slower) path and NA ordering
        return _joined_frame(values, by)
    v_codes, v_uniques = pd.factorize(v, sort=True)
    if not len(v):
        return pd.Series([], dtype="string")
    _, first = np.unique(by_codes.astype("int64") * max(len(v_uniques), 1) + v_codes, return_index=True)
    keys, vals = keys[first], v[first]
    starts = np.r_[0, np.flatnonzero(keys[1:] != keys[:-1]) + 1]
    ends = np.r_[starts[1:], len(keys)]
    return pd.Series([MULTI_SEP.join(vals[a:b]) for a, b in zip(starts, ends)], index=keys[starts], dtype="string")


def _joined_frame(values: pd.Series, by) -> pd.Series:
    """`joined` over a DataFrame of the two (aligned on the index when `by` is a Series)."""
    frame = pd.DataFrame({"by": by, "v": values.astype("string").fillna("")})
    frame = frame[frame["v"] != ""]
    # the distinct (by, v) pairs in (by, v) order: factorize with sort=True numbers each column's
    # distinct values in sorted order, so one sort of an integer key orders (and dedupes) the pairs
    by_codes, _ = pd.factorize(frame["by"], sort=True)
    v_codes, v_uniques = pd.factorize(frame["v"], sort=True)
    if (by_codes < 0).any():  # a missing group key: pandas' own (slower) path and NA ordering
        frame = frame.drop_duplicates().sort_values(["by", "v"], kind="mergesort")
    else:
        _, first = np.unique(by_codes.astype("int64") * max(len(v_uniques), 1) + v_codes, return_index=True)
        frame = frame.iloc[first]
    if frame.empty:
        return pd.Series([], dtype="string")
    keys = frame["by"].to_numpy()
    vals = frame["v"].to_numpy(dtype=object)
    starts = np.r_[0, np.flatnonzero(keys[1:] != keys[:-1]) + 1]
    ends = np.r_[starts[1:], len(keys)]
    # one str.join per group over numpy slices: far cheaper than a pandas groupby with a Python lambda
    return pd.Series([MULTI_SEP.join(vals[a:b]) for a, b in zip(starts, ends)], index=keys[starts], dtype="string")


def join_columns(*columns: pd.Series) -> pd.Series:
    """Row-wise sorted distinct join of several multi-valued text columns."""
    parts = pd.concat([c.astype("string").fillna("") for c in columns], axis=1)
    return parts.apply(lambda row: MULTI_SEP.join(sorted({p.strip() for v in row for p in str(v).split(";") if p.strip()})), axis=1)


_STRFTIME: dict = {}  # (format, datetime64[ns] as int) -> text: the same days recur call after call


def _strftime(values: np.ndarray, fmt: str) -> np.ndarray:
    """strftime of datetime64[ns] values as an object array ('' for NaT), on the distinct dates only
    (chronologies repeat the same days a great deal), each formatted once per process."""
    codes, uniques = pd.factorize(values)
    keys = np.asarray(uniques, dtype="datetime64[ns]").view("int64").tolist()
    text = [_STRFTIME.get((fmt, k)) for k in keys]
    todo = [i for i, t in enumerate(text) if t is None]
    if todo:
        if len(_STRFTIME) > 100_000:
            _STRFTIME.clear()
        new = pd.DatetimeIndex(np.asarray(uniques, dtype="datetime64[ns]")[todo]).strftime(fmt)
        for i, t in zip(todo, new):
            text[i] = _STRFTIME[(fmt, keys[i])] = t
    return np.array(text + [""], dtype=object)[codes]


#: the precision a date is shown to (`shown_precisions`): an approximate date written as a month ("c. June
#: 2007", "early June 2007", "Xmas 2007") is shown as that month, "c. Jun 2007", never as the day it is
#: stored as (its period's first day, or the start of its third of the month)
APPROXIMATE_MONTH = "approximate month"
#: (s22, QA12 D6) ...and a week written so, "w/c 03/04/2023" / "w/e 09/04/2023" (`review.ingest.dates.week_unit`),
#: shown as written, "w/c 3 Apr 2023", never "c. 3 Apr 2023"; its period is that week (`_period_bounds`)
WEEK_COMMENCING = "week commencing"
WEEK_ENDING = "week ending"


def shown_precisions(precision, texts=None, *, codes=None, uniques=None) -> pd.Categorical:
    """The precision each date is shown to: its `precision` ("day", "month", "year", "approximate"), but
    `APPROXIMATE_MONTH` for an approximate date whose text (``date_text``) names a month, not a day
    (`review.ingest.dates.approximate_unit`); each distinct text of an approximate date read once.
    `codes` / `uniques`: the factorisation of `precision` when already made (-1 for a missing one)."""
    if codes is None:
        codes, uniques = pd.factorize(pd.Series(precision).to_numpy(dtype=object))
    codes = np.asarray(codes, dtype="int64").copy()
    names = ["" if u is None or u is pd.NA else str(u) for u in uniques]
    if (codes < 0).any():  # a missing precision: shown as a day, as `fmt_date` shows it
        names.append("")
        codes[codes < 0] = len(names) - 1
    if texts is not None and "approximate" in names:
        approx = codes == names.index("approximate")
        at = np.flatnonzero(approx)
        texts = texts.take(at) if hasattr(texts, "take") else np.asarray(texts, dtype=object)[at]
        tcodes, tuniques = pd.factorize(np.asarray(texts, dtype=object))
        month = np.array([approximate_unit(t) == "month" for t in tuniques] + [False], dtype=bool)[tcodes]
        if month.any():
            names.append(APPROXIMATE_MONTH)
            sub = codes[approx]
            sub[month] = len(names) - 1
            codes[approx] = sub
        # (s22) a week written "w/c ..." / "w/e ...": shown so, read as that week (`_period_bounds`)
        weeks = np.array([week_unit(t) for t in tuniques] + [""], dtype=object)[tcodes]
        for unit, name in (("commencing", WEEK_COMMENCING), ("ending", WEEK_ENDING)):
            week = weeks == unit
            if week.any():
                names.append(name)
                sub = codes[approx]
                sub[week] = len(names) - 1
                codes[approx] = sub
    # the categories must be distinct: map each code to its name's first position
    first = {n: i for i, n in reversed(list(enumerate(names)))}
    distinct = list(first)
    remap = np.array([distinct.index(n) for n in names], dtype="int64")
    return pd.Categorical.from_codes(remap[codes], categories=distinct)


def _date_texts(dates: pd.Series, precision=None) -> np.ndarray:
    """`fmt_date`'s texts as an object array (the string building on numpy, not on pandas Series)."""
    values = dates.to_numpy(dtype="datetime64[ns]")
    text = _strftime(values, "%-d %b %Y")
    if precision is not None:
        precision = pd.Series(precision, index=dates.index).astype(object).fillna("").astype(str).to_numpy(dtype=object)
        month, year = precision == "month", precision == "year"
        approx, approx_month = precision == "approximate", precision == APPROXIMATE_MONTH
        if month.any() or approx_month.any():
            text = np.where(month, _strftime(values, "%b %Y"), text)
            text = np.where(approx_month, "c. " + _strftime(values, "%b %Y"), text)
        if year.any():
            text = np.where(year, _strftime(values, "%Y"), text)
        season = precision == "season"
        if season.any():  # "Spring 2021", "Winter 2020/21" (`review.ingest.dates.season_label`)
            text = np.where(season, _season_texts(values), text)
        if approx.any():
            text = np.where(approx & (text != ""), "c. " + text, text)
        for name, prefix in ((WEEK_COMMENCING, "w/c "), (WEEK_ENDING, "w/e ")):  # (s22) as written
            week = precision == name
            if week.any():
                text = np.where(week & (text != ""), prefix + text, text)
    return text


def _season_texts(values: np.ndarray) -> np.ndarray:
    """`season_label` of each datetime64 value ('' for NaT), once per distinct value."""
    codes, uniques = pd.factorize(values)
    labels = [season_label(u) for u in pd.DatetimeIndex(np.asarray(uniques, dtype="datetime64[ns]"))]
    return np.array(labels + [""], dtype=object)[codes]


def fmt_date(dates: pd.Series, precision: pd.Series | None = None) -> pd.Series:
    """'3 Mar 2023'; as the chronology shows a partial date: 'Mar 2023', '2023', 'c. 3 Mar 2023' (an
    approximate day) and 'c. Mar 2023' (`APPROXIMATE_MONTH`, `shown_precisions`); '' for NaT. Never a
    day the chronology does not give."""
    dates = pd.Series(dates).astype("datetime64[ns]")
    return pd.Series(_date_texts(dates, precision), index=dates.index, dtype="string")


def fmt_age(rows: pd.DataFrame) -> pd.Series:
    """The child's age at each row as the timeline shows it ('7m 12d'), else from age in days."""
    display = rows["age_display"].astype("string").fillna("")
    days = rows["_age_days"].astype("Float64")
    fallback = days.round().astype("Int64").astype("string").fillna("?") + " days"
    return display.mask(display == "", fallback)


def fmt_tags(concerns: pd.Series, young=None, unborn=None) -> pd.Series:
    """'bruising; inconsistent_explanation' -> 'bruising, inconsistent explanation'; a tag that is no noun
    phrase reads as one ("X recorded a missed appointment (child not brought) on ...", not "X recorded was not
    brought on ..."). Where `young` (a boolean per row: the child a young person then, `young_people`), as
    the rule was_not_brought words it, "a missed appointment (the young person did not attend)"; where
    `unborn` (a boolean per row: before the child's birth), "a missed antenatal appointment" (s21, QA12 D3)."""
    text = concerns.astype("string").fillna("").str.replace("; ", ", ", regex=False)
    missed = text.str.replace("was_not_brought", "a missed appointment (child not brought)", regex=False)
    if young is not None:
        missed = missed.mask(np.asarray(young, dtype=bool), text.str.replace(
            "was_not_brought", "a missed appointment (the young person did not attend)", regex=False))
    if unborn is not None:  # (s21) before the birth: the mother's antenatal appointment (`unborn`)
        missed = missed.mask(np.asarray(unborn, dtype=bool), text.str.replace(
            "was_not_brought", "a missed antenatal appointment", regex=False))
    return missed.str.replace("_", " ", regex=False)


def age_bounds(settings: dict) -> dict:
    """{tag: (min years, below years)} of the concerns counted by the child's age alone: settings.age_bound_tags
    (sexual_activity: from age_bound_min_years, under age_bound_below_years) and, with their own ages,
    settings.age_bound_below_by_tag (s20, anogenital_symptoms: under 13, from 0)."""
    bounds = {str(t): (float(settings.get("age_bound_min_years", 0)),
                       float(settings.get("age_bound_below_years", np.inf)))
              for t in (settings.get("age_bound_tags") or ())}
    for tag, below in (settings.get("age_bound_below_by_tag") or {}).items():
        bounds[str(tag)] = (0.0, float(below))
    return bounds


def self_harm_over_injury(settings: dict) -> tuple[frozenset, frozenset, float]:
    """(injury tags, self-harm tags, from age in years) of settings.self_harm_over_injury_*: (s20) a row tagged
    one of the self-harm tags in a child aged at least that many whole years (known) counts none of the injury
    tags ("Leah (12) has cuts to her forearms, low mood": the cuts are her self-harm, not an injury to explain;
    in a baby "cuts to her forearm" stays an injury)."""
    injury = frozenset(str(t) for t in (settings.get("self_harm_over_injury_tags") or ()))
    over = frozenset(str(t) for t in (settings.get("self_harm_over_injury_by") or ()))
    return injury, over, float(settings.get("self_harm_over_injury_from_age_years", np.inf))


def counted_tag_names(settings: dict) -> frozenset:
    """The tags `counted_concerns` may leave out of a row (the age-bound ones and the injuries self-harm wins
    over): where none of a rule's tags is one, the rows' own concerns serve."""
    injury, over, _ = self_harm_over_injury(settings)
    return frozenset(age_bounds(settings)) | (injury if over else frozenset())


def counted_concerns(ctx: Context) -> tuple[np.ndarray, np.ndarray]:
    """(codes, uniques) of each timeline row's concerns as closure_with_open_concerns and response latency count
    them: a tag of settings.age_bound_tags (sexual_activity) left out where the child's age at the contact (whole
    years) is not from settings.age_bound_min_years and under age_bound_below_years, or is not known ("Pill
    check" at 17 is no concern; at 14 it is); a tag of settings.age_bound_below_by_tag (s20, anogenital_symptoms)
    left out where the age is not under its own limit, or is not known; and an injury tag of
    settings.self_harm_over_injury_tags (other_injury) left out of a row tagged self-harm in a child old enough
    (`self_harm_over_injury`). Code -1 is no concern. Each distinct concerns value is split once; the rows are
    a look-up."""
    if "counted concerns" in ctx.extra:
        return ctx.extra["counted concerns"]
    codes, uniques = ctx._coded("concerns")
    uniques = np.asarray(uniques, dtype=object)
    bounds = age_bounds(ctx.settings)
    injury, over, from_age = self_harm_over_injury(ctx.settings)
    candidates = sorted(set(bounds) | (injury if over else set()))
    drop = np.zeros(len(codes), dtype="int64")  # per row, a bit per candidate tag left out
    if candidates and ctx.tags(candidates).to_numpy(dtype=bool).any():
        age = ctx.timeline["_age_days"].astype("Float64").to_numpy(dtype="float64", na_value=np.nan)
        years = np.floor(age / 365.25)
        for k, tag in enumerate(candidates):
            has = ctx.tags([tag]).to_numpy(dtype=bool)
            if not has.any():
                continue
            out = np.zeros(len(codes), dtype=bool)
            if tag in bounds:
                low, below = bounds[tag]
                with np.errstate(invalid="ignore"):
                    out |= ~((years >= low) & (years < below))  # NaN (unknown age): out
            if tag in injury and over:
                with np.errstate(invalid="ignore"):
                    out |= ctx.tags(sorted(over)).to_numpy(dtype=bool) & (years >= from_age)
            drop[has & out] |= np.int64(1) << k
    dropped = (drop != 0) & (codes >= 0)
    if dropped.any():
        keys = codes[dropped].astype("int64") * (np.int64(1) << len(candidates)) + drop[dropped]
        wanted, inverse = np.unique(keys, return_inverse=True)
        stripped = []
        for key in wanted.tolist():
            code, bits = divmod(key, 1 << len(candidates))
            left_out = {t for k, t in enumerate(candidates) if bits >> k & 1}
            stripped.append("; ".join(t for t in split_multi(uniques[code]) if t not in left_out))
        base = len(uniques)
        uniques = np.append(uniques, np.array(stripped, dtype=object))
        codes = codes.astype("int64", copy=True)
        codes[dropped] = base + inverse.reshape(-1)
    ctx.extra["counted concerns"] = (codes, uniques)
    return codes, uniques


def concerns_besides(ctx: Context, mask, ignore) -> np.ndarray:
    """Rows of `mask` with a concern, as `counted_concerns` counts them, of a tag other than those of `ignore`
    (strings, as `withdrawn_with_concerns.column_tags` reads them): a setting's own record of a tag it may not
    count (a rule's `ignore_tags`) is no concern it held. Each distinct concerns value is read once; the rows
    are a look-up."""
    codes, uniques = counted_concerns(ctx)
    kept = np.array([any(x.strip() and x.strip() not in ignore for x in str(u).split(";")) for u in uniques],
                    dtype=bool)
    return np.append(kept, False)[codes] & mask  # code -1 (no concern): the appended False


def young_people(ctx: Context, day: pd.Series, dob: pd.Series) -> np.ndarray:
    """Was the child a young person on `day` (aged settings.young_person_age_years, 13, or more: a child
    who attends, or not, rather than one who is brought), per row; False without a date of birth."""
    from .was_not_brought import age_in_years

    years = age_in_years(day, dob)
    limit = float(ctx.settings.get("young_person_age_years", 13))
    return (years >= limit).fillna(False).to_numpy(dtype=bool)


def _day_texts(days: pd.Series) -> np.ndarray:
    """`fmt_days`'s texts as an object array: '1 day', '3 days', '? days' for NA (rounded half to even,
    as Float64.round)."""
    rounded = np.round(days.astype("Float64").to_numpy(dtype="float64", na_value=np.nan))
    missing = np.isnan(rounded)
    if np.isinf(rounded).any():  # not an integer count: Int64's own conversion (and its error)
        rounded = days.astype("Float64").round().astype("Int64").to_numpy(dtype="float64", na_value=np.nan)
    ints = np.where(missing, 0, rounded).astype("int64")
    distinct, inverse = np.unique(ints, return_inverse=True)
    text = np.array([str(i) for i in distinct.tolist()], dtype=object)[inverse.reshape(-1)]
    text[missing] = "?"
    return text + np.where((ints == 1) & ~missing, " day", " days").astype(object)


def fmt_days(days) -> pd.Series:
    days = pd.Series(days)
    return pd.Series(_day_texts(days), index=days.index, dtype="string")


def take_rows(values, pos: np.ndarray):
    """``values.take(pos)`` of a column (a Series or its array): the same array, but an Arrow-backed column of
    several chunks (a store read from several part files) is taken chunk by chunk. Arrow's take on a
    chunked array first concatenates the chunks, a copy of the whole column for every selection, however
    few rows it takes."""
    array = getattr(values, "array", values)
    arrow = getattr(array, "_pa_array", None)
    if not isinstance(arrow, pa.ChunkedArray) or arrow.num_chunks < 2 or not len(pos):
        return array.take(pos)
    pos = np.asarray(pos, dtype="int64")
    if pos.min() < 0 or pos.max() >= len(arrow):  # negative or out-of-bounds positions: pandas' own rules
        return array.take(pos)
    ascending = len(pos) < 2 or bool((pos[1:] >= pos[:-1]).all())
    order = None if ascending else np.argsort(pos, kind="stable")
    rows = pos if ascending else pos[order]
    bounds = np.cumsum([0] + [len(chunk) for chunk in arrow.chunks])
    cuts = np.searchsorted(rows, bounds)
    parts = [chunk.take(pa.array(rows[cuts[i]:cuts[i + 1]] - bounds[i]))
             for i, chunk in enumerate(arrow.chunks) if cuts[i + 1] > cuts[i]]
    taken = pa.concat_arrays(parts)
    if order is not None:  # back to the requested order: a take of the (small) result
        back = np.empty(len(order), dtype="int64")
        back[order] = np.arange(len(order))
        taken = taken.take(pa.array(back))
    return array._from_pyarrow_array(taken)


def rows_of(ctx: Context, mask, columns=None) -> pd.DataFrame:
    """``ctx.timeline.loc[mask, columns].copy()`` for a boolean mask (Series or array) over the timeline's
    rows: `columns` (default: those most rules read), each taken by `take_rows`."""
    cols = columns or [
        "event_id", "case_id", "_case", "_agency", "_day", "_start", "_end", "_exact", "date_precision",
        "agency", "agency_kind", "contact_type", "concerns", "escalation", "_group", "_gcode", "_age_days",
        "age_display", "_mobile", "_review_end", "seq", "informed_agencies", "date", "_shown",
    ]
    # the rows by position, column by column: the same frame as .loc[mask, cols].copy() (index
    # included), without the DataFrame-level boolean indexing and copy
    tl = ctx.timeline
    pos = np.flatnonzero(np.asarray(mask, dtype=bool))
    return pd.DataFrame({c: take_rows(tl[c], pos) for c in cols}, index=tl.index[pos])


def column_at(ctx: Context, name: str, pos, index: pd.Index) -> pd.Series:
    """``ctx.timeline.loc[pos, name].set_axis(index)``: a column's values at row positions `pos` (the
    prepared timeline's labels are its positions), by `take_rows`."""
    return pd.Series(take_rows(ctx.timeline[name], np.asarray(pos, dtype="int64")), index=index, name=name)


def first_per_group(frame: pd.DataFrame, keys=("_case", "_gcode")) -> pd.DataFrame:
    """Keep the first row (canonical timeline order) of each event group: one flag per reported event."""
    return frame[~frame.duplicated(list(keys), keep="first")]


def due_within(triggers: pd.DataFrame, *, days=None, working_days=None, start: str = "_day") -> pd.DataFrame:
    """`triggers` with the window `first_response` reads: ``anchor``, their `start` column (a response counts
    from that day on), and ``deadline``, `days` calendar days or `working_days` working days (`add_working_days`)
    after it. One of `days` and `working_days` is given: the guidance's timescale is counted one way or the
    other."""
    if (days is None) == (working_days is None):
        raise ValueError("due_within: give one of days and working_days")
    day = triggers[start]
    deadline = day + days * DAY if working_days is None else add_working_days(day, working_days)
    return triggers.assign(anchor=day, deadline=deadline)


def due_within_period(triggers: pd.DataFrame, working_days) -> pd.DataFrame:
    """`due_within` in working days (one number, or one per trigger) for triggers that may have a partial date
    ("March 2023"), each at its most favourable: the window opens on the first day its period could be
    (``_start``) and the deadline counts from its last (``_end``); an exact-dated trigger's both its day."""
    exact = triggers["_exact"].astype(bool)
    return triggers.assign(anchor=triggers["_start"].where(~exact, triggers["_day"]),
                           deadline=add_working_days(triggers["_end"].where(~exact, triggers["_day"]), working_days))


def _aligned(values: pd.Series, index: pd.Index):
    """`values` as an array aligned with `index`, as setting it as a column of a frame on `index` aligns it."""
    return values.array if values.index.equals(index) else values.reindex(index).array


def delay_from(expected_by: pd.Series, action_date: pd.Series, action_exact: pd.Series) -> pd.Series:
    """Calendar days from the deadline to the (late) action; NA when there was none or its date is partial."""
    if not (isinstance(action_date, pd.Series) and isinstance(expected_by, pd.Series)
            and action_date.index.equals(expected_by.index)):
        delay = ((action_date.astype("datetime64[ns]") - expected_by.astype("datetime64[ns]")) / DAY).astype("Float64")
        return delay.mask(~pd.Series(action_exact, index=delay.index).astype(bool))
    # the same arithmetic on the numpy arrays (the indexes are equal: nothing to align)
    days = (action_date.to_numpy(dtype="datetime64[ns]") - expected_by.to_numpy(dtype="datetime64[ns]")) / DAY.to_timedelta64()
    exact = pd.Series(action_exact, index=action_date.index).astype(bool).to_numpy()
    delay = pd.array(days, dtype="Float64")
    delay[~exact] = pd.NA
    return pd.Series(delay, index=action_date.index)


def deadline_rows(triggers: pd.DataFrame, response: pd.DataFrame, expected_action) -> pd.DataFrame:
    """The flag rows of triggers that missed their deadline, before the rule adds its explanation.

    `triggers` has case_id, event_id, _day, deadline and agency; `response` is `first_response`'s
    table for those triggers (action_event_id, action_date, action_exact). Each trigger is its own
    evidence; a rule adds more evidence, variant, severity and the explanation itself.
    """
    index = triggers.index
    event_id = triggers["event_id"].array
    columns = {
        "case_id": triggers["case_id"].array,
        "trigger_event_id": event_id,
        "trigger_date": triggers["_day"].array,
        "evidence_event_ids": event_id,
        "expected_action": _aligned(expected_action, index) if isinstance(expected_action, pd.Series) else expected_action,
        "expected_by": triggers["deadline"].array,
        "actual_action_event_id": _aligned(response["action_event_id"], index),
        "actual_action_date": _aligned(response["action_date"], index),
        "delay_days": _aligned(delay_from(triggers["deadline"], response["action_date"], response["action_exact"]), index),
        "agencies": triggers["agency"].array,
    }
    # one frame from its columns (setting them one by one on an empty frame copied the block each time)
    return pd.DataFrame(columns, index=index)


def death_records(ctx: Context) -> np.ndarray:
    """(s21, QA12) Per timeline row, a record of the child's death or after it: a row after the date of death
    (case.yml `date_of_death`; a partial date whose period begins after it), or one on that day whose description
    or action names one of `settings.death_record_words` ("brought in by ambulance in cardiac arrest", "pronounced
    dead", "found unresponsive"). No sighting of a living child (child_not_seen), no live decision
    (`agency_knowledge`: the conference cancelled because the child died), no concern awaiting a child protection
    escalation unless one answered it that day (`response_latency`: the death scene), as the flags are censored
    at the death (`censor_after_death`). A row of that day naming none of the words (a morning visit's bruise)
    is the living child's. Computed once per prepared timeline."""
    if "death_records" not in ctx.extra:
        tl = ctx.timeline
        out = np.zeros(len(tl), dtype=bool)
        death = day_numbers(tl["_death"])
        has = death != _NAT_DAY
        if has.any():
            sd = tl["_sd"].to_numpy()
            out |= has & (sd > death)
            words = ctx.settings.get("death_record_words") or ()
            on_day = np.flatnonzero(has & (sd == death))
            if len(words) and len(on_day):
                out[on_day] = _rows_matching(ctx, on_day, words)
        out.flags.writeable = False
        ctx.extra["death_records"] = out
    return ctx.extra["death_records"]


def censor_after_death(ctx: Context, flags: pd.DataFrame) -> pd.DataFrame:
    """`flags` without those a child's death makes meaningless: a flag whose trigger came after the date of
    death (the child-death response is not a child protection expectation), or whose deadline fell after
    it (the time to act had not run out while the child was alive), unless its failing was recorded while the
    child was alive (s21: variant ``booked_after_deadline``, a conference booked for a day past its deadline)."""
    deaths = ctx.extra.get("deaths")
    if flags.empty or deaths is None or not deaths.notna().any():
        return flags
    death = flags["case_id"].map(deaths).astype("datetime64[ns]")
    due_after = flags["expected_by"] > death
    kept = ctx.extra.get("kept_after_death")
    if kept:
        # (s21, QA12 D1) a failing recorded while the child was alive (a conference booked for a day past its
        # deadline, transfer_in_conference_late's booked_after_deadline: `run_rule` notes their triggers) is kept,
        # though due after the death
        due_after &= ~flags["trigger_event_id"].astype(str).isin(kept).to_numpy(dtype=bool)
    after = (flags["trigger_date"] > death) | due_after
    return flags[~after.fillna(False).to_numpy(dtype=bool)]


def flag_id(rule_id: str, anchor: str, variant: str = "") -> str:
    """A flag's id: ``<rule_id>-<12 hex>``, the hash of its trigger contact's `anchor` (`content_anchor`)
    and the rule's `variant` (one trigger may raise a rule in several ways).

    The anchor is the contact's content, not its row: an agency that resubmits its chronology with a row
    inserted above keeps every other contact's anchor, so the flags keep their ids and the reviewers'
    decisions (decisions.csv, keyed by flag id) still apply. Editing the trigger's own text changes the
    id: the evidence changed, and a decision on the earlier text is then reported as on a flag the rules
    no longer raise. (`legacy_flag_id` is the earlier, row-based id.)"""
    digest = hashlib.sha1(f"{anchor}|{variant}".encode("utf-8")).hexdigest()[:12]
    return f"{rule_id}-{digest}"


def legacy_flag_id(rule_id: str, trigger_event_id: str, variant: str = "") -> str:
    """The id flags had before ids were anchored on the trigger's content: the hash of the trigger's event
    id (its provenance: case, file, sheet and row), which changes when a row is inserted above it.
    `review.decisions.load_decisions` still applies a decision recorded against it."""
    return flag_id(rule_id, trigger_event_id, variant)


#: separates the parts of a content anchor (never in a normalised text: whitespace is collapsed to spaces)
ANCHOR_SEP = "\x1f"


def anchor_text(value) -> str:
    """A text cell as the anchor reads it: whitespace runs collapsed to one space, trimmed, case folded
    ("" for a missing value)."""
    if value is None or value is pd.NA or (isinstance(value, float) and value != value):
        return ""
    return " ".join(str(value).split()).casefold()


def anchor_date(value) -> str:
    """A contact's date as the anchor reads it: ISO 8601 with its time ("" when there is none)."""
    if value is None or value is pd.NaT or (not isinstance(value, (str, dt.date)) and pd.isna(value)):
        return ""
    return pd.Timestamp(value).isoformat()


def content_key(case_id, agency, date, date_precision, contact_type, description, action) -> str:
    """What identifies a contact by its content: the case, the (normalised) agency, the date (with its
    time) and its precision, the contact type — as the timeline has them — and the description and action
    as `anchor_text` reads them (so that re-typed spacing or letter case does not change it)."""
    return ANCHOR_SEP.join([
        "" if case_id is None or case_id is pd.NA else str(case_id),
        "" if agency is None or agency is pd.NA else str(agency),
        anchor_date(date),
        "" if date_precision is None or date_precision is pd.NA else str(date_precision),
        "" if contact_type is None or contact_type is pd.NA else str(contact_type),
        anchor_text(description), anchor_text(action),
    ])


def content_anchor(key: str, occurrence: int) -> str:
    """A contact's anchor: its `content_key` and its occurrence number (1, 2, ...) among the contacts of
    the case with the same key, in source order (file, sheet, row): identical contacts get distinct
    anchors, so flag ids stay unique per case."""
    return f"{key}{ANCHOR_SEP}{int(occurrence)}"


def source_order_key(source_file, source_sheet, source_row, event_id) -> tuple:
    """The order in which a case's contacts with the same content key are numbered: file, sheet, row (a row
    without a number last), then event id."""
    row = None if source_row is None or source_row is pd.NA or source_row != source_row else int(source_row)
    return ("" if source_file is None or source_file is pd.NA else str(source_file),
            "" if source_sheet is None or source_sheet is pd.NA else str(source_sheet),
            row is None, row or 0, "" if event_id is None or event_id is pd.NA else str(event_id))


#: the prepared timeline's columns `trigger_anchors` reads
_ANCHOR_COLUMNS = ("case_id", "agency", "date", "date_precision", "contact_type", "description", "action",
                   "source_file", "source_sheet", "source_row", "event_id")


def trigger_anchors(ctx: Context, event_ids, days=None, case_ids=None) -> np.ndarray:
    """The content anchor (`content_anchor`) of each of `event_ids` (the triggers of a rule's flags), as an
    object array aligned with them; an id the timeline does not hold keeps itself as its anchor.

    Flags are few and contacts many: only the contacts that could share a trigger's content key are read
    — those of the trigger's case and agency on the trigger's day — and each trigger's anchor is computed
    once per prepared timeline (kept in ``ctx.extra``), whichever rules it triggers. `days` and `case_ids`
    (aligned with `event_ids`: the flags' trigger_date and case_id) narrow the search for the triggers'
    rows to the rows of their case and day (integer look-ups over the prepared timeline); a trigger not
    found there (its trigger date is not its row's day) is looked up among all event ids."""
    ids = np.asarray(event_ids, dtype=object)
    cache: dict = ctx.extra.setdefault("anchors", {})
    first = {}
    for i, e in enumerate(ids.tolist()):
        if e not in cache and e not in first:
            first[e] = i
    if first:
        _anchor_rows(ctx, cache, first, days, case_ids)
    return np.array([cache[e] for e in ids.tolist()], dtype=object)


def _day_keys(ctx: Context) -> tuple[np.ndarray, np.ndarray]:
    """(case, day) and (case and agency, day) of every row of the prepared timeline, each as one int64 (a
    key equal for equal pairs; unequal pairs may rarely share one, which only widens a selection)."""
    if "anchor_keys" not in ctx.extra:
        tl = ctx.timeline
        day = day_numbers(tl["_day"]) & np.int64((1 << 24) - 1)
        ctx.extra["anchor_keys"] = ((tl["_case"].to_numpy(dtype="int64") << np.int64(24)) | day,
                                    (tl["_agency"].to_numpy(dtype="int64") << np.int64(24)) | day)
    return ctx.extra["anchor_keys"]


def _rows_with(ctx: Context, name: str, keys: np.ndarray, wanted: np.ndarray) -> np.ndarray:
    """The rows (ascending) whose `keys` (int64, one per row of the prepared timeline; `name` their name in
    ``ctx.extra``) are among `wanted`: binary searches of the few wanted keys in the keys sorted once per
    prepared timeline (np.isin sorts the million keys again for each rule's flags, ~70 ms each)."""
    if name not in ctx.extra:
        order = np.argsort(keys, kind="stable")
        ctx.extra[name] = (keys[order], order)
    ordered, order = ctx.extra[name]
    wanted = np.unique(np.asarray(wanted, dtype="int64"))
    lo, hi = np.searchsorted(ordered, wanted, "left"), np.searchsorted(ordered, wanted, "right")
    counts = hi - lo
    total = int(counts.sum())
    if not total:
        return np.zeros(0, dtype="int64")
    starts = np.repeat(lo - (np.cumsum(counts) - counts), counts)  # each run's first sorted position, less its offset
    return np.sort(order[starts + np.arange(total)])


def _anchor_rows(ctx: Context, cache: dict, first: dict, days, case_ids) -> None:
    """Fill `cache` (event id -> anchor) for the event ids `first` (event id -> its position in the flags'
    `days` and `case_ids`, when given)."""
    tl = ctx.timeline
    case_day, agency_day = _day_keys(ctx)
    wanted = list(first)
    where: dict = {}
    if days is not None:  # the rows of the triggers' (case, day): where their rows usually are
        at = np.fromiter(first.values(), dtype="int64", count=len(first))
        day = day_numbers(pd.Series(np.asarray(days, dtype="datetime64[ns]")[at])) & np.int64((1 << 24) - 1)
        if case_ids is not None:
            case = ctx.case_ids.get_indexer(pd.Index(np.asarray(case_ids, dtype=object)[at]))
            rows = _rows_with(ctx, "case_day_sorted", case_day, (case.astype("int64") << np.int64(24)) | day)
        else:
            rows = np.flatnonzero(np.isin(case_day & np.int64((1 << 24) - 1), day))
        found = take_rows(tl["event_id"], rows).to_numpy(dtype=object, na_value="")
        where = {e: int(p) for e, p in zip(found.tolist(), rows.tolist()) if e in first}
    rest = [e for e in wanted if e not in where]
    if rest:  # looked up among every event id (an index of the column, made once)
        if "event_index" not in ctx.extra:
            ctx.extra["event_index"] = pd.Index(tl["event_id"].to_numpy(dtype=object, na_value=""))
        for e, p in zip(rest, ctx.extra["event_index"].get_indexer(pd.Index(rest, dtype=object)).tolist()):
            if p >= 0:
                where[e] = p
            else:
                cache[e] = str(e)
    if not where:
        return
    pos = np.fromiter(where.values(), dtype="int64", count=len(where))
    near = _rows_with(ctx, "agency_day_sorted", agency_day, agency_day[pos])  # every row that could share a trigger's key
    columns = [take_rows(tl[c], near) for c in _ANCHOR_COLUMNS]
    columns = [np.asarray(c.to_numpy(dtype=object) if hasattr(c, "to_numpy") else c, dtype=object) for c in columns]
    keys = [content_key(*row[:7]) for row in zip(*columns)]
    order = sorted(range(len(near)), key=lambda i: source_order_key(*(c[i] for c in columns[7:])))
    seen: dict = {}
    anchors = [""] * len(near)
    for i in order:
        seen[keys[i]] = seen.get(keys[i], 0) + 1
        anchors[i] = content_anchor(keys[i], seen[keys[i]])
    anchor_of = dict(zip(near.tolist(), anchors))
    for e, p in where.items():
        cache[e] = anchor_of[p]


def _row_sources(rows: pd.DataFrame, source: str, n: int):
    """The flags' guidance: the rule's `source` (its rules.yml text, one string for all), or, where the rule's rows
    carry a non-empty ``source`` of their own, that (whitespace collapsed)."""
    if "source" not in rows.columns:
        return _constant_text(source, n, rows.index)
    own = rows["source"].astype(object).where(rows["source"].notna(), "").astype(str).map(lambda t: " ".join(t.split()))
    return pd.Series(np.where(own.to_numpy(dtype=object) != "", own.to_numpy(dtype=object), source),
                     index=rows.index, dtype=_STRING)


def finish_flags(rule_id: str, spec: dict, rows: pd.DataFrame, ctx: Context | None = None, *,
                 legacy: bool = False) -> pd.DataFrame:
    """Turn a rule's rows into flags: fill the rule's severity, category and source, stable flag ids.

    The flag ids (`flag_id`) are anchored on the trigger contacts' content (`trigger_anchors`, read from
    `ctx`'s timeline); without `ctx`, on the trigger's event id (the earlier, row-based `legacy_flag_id`).
    `legacy`: also a ``legacy_flag_id`` column (the row-based id each flag had before), which
    `review.decisions.load_decisions` matches decisions recorded against it with, and ``flag_variant`` (the
    variant the id was made with).

    `rows` needs trigger_event_id, trigger_date, expected_action, expected_by, explanation, and may have
    variant, case_id, evidence_event_ids, actual_action_event_id, actual_action_date, delay_days, agencies,
    severity, failing_category.

    The flag table is built once from its columns (each read from `rows` once and cast only when not
    already of the contract's dtype, as `schema.conform` would; the rule's own values built directly as
    string arrays), not by setting and re-reading columns of a copy.
    """
    if rows is None or rows.empty:
        return empty_frame(_FLAG_TABLE)
    n = len(rows)
    present = set(rows.columns)
    variant = rows["variant"].astype(str) if "variant" in present else [""] * n
    triggers = rows["trigger_event_id"].astype(str).to_numpy(dtype=object)
    anchors = triggers if ctx is None else trigger_anchors(
        ctx, triggers, rows["trigger_date"] if "trigger_date" in present else None,
        rows["case_id"].astype(object) if "case_id" in present else None)
    ids = [flag_id(rule_id, a, v) for a, v in zip(anchors, variant)]
    # drop_duplicates("flag_id", keep="first"): a row whose flag id an earlier row has is dropped
    keep = None
    if len(set(ids)) < n:
        seen: set = set()
        keep = np.array([not (i in seen or seen.add(i)) for i in ids], dtype=bool)
    severity = spec["severity"]
    columns: dict[str, object] = {  # a Series is cast below; an array already is of the contract's dtype
        "flag_id": pd.array(ids, dtype=_STRING),
        "rule_id": _constant_text(rule_id, n, rows.index),
        "severity": (
            _constant_text(severity, n, rows.index) if "severity" not in present and isinstance(severity, str)
            else (rows["severity"] if "severity" in present else pd.Series(severity, index=rows.index)).fillna(severity)
        ),
        "failing_category": (
            rows["failing_category"] if "failing_category" in present
            else _constant_text(spec["failing_category"], n, rows.index)
        ),
        # a rule may give a flag the guidance of its own situation (s21: child_not_seen's open case, not the child
        # protection plan's visiting standard): a row's non-empty ``source``, else the rule's
        "source": _row_sources(rows, " ".join(str(spec.get("source", "")).split()), n),
    }
    for name in ("evidence_event_ids", "actual_action_event_id", "agencies"):
        columns[name] = rows[name] if name in present else _constant_text("", n, rows.index)
    # multi-valued cells are sorted and distinct, like every multi-valued column of the schema
    for name in ("evidence_event_ids", "agencies"):
        values = columns[name]
        values = _text_array(values) if isinstance(values, pd.Series) else values
        text = values.to_numpy(dtype=object)
        if any(";" in v for v in text):
            values = pd.array(
                [MULTI_SEP.join(sorted({p.strip() for p in v.split(";") if p.strip()})) for v in text], dtype=_STRING
            )
        columns[name] = values
    index = rows.index if keep is None else rows.index[keep]
    out = {}
    for name, dtype in _FLAG_TABLE.items():
        values = columns[name] if name in columns else rows[name] if name in present else None
        if values is None:  # an absent column: empty, as `schema.conform` adds it
            values = pd.Series(pd.NA if dtype != "datetime64[ns]" else pd.NaT, index=index)
        elif keep is not None:
            values = values[keep]
        out[name] = _cast(values, dtype).array if isinstance(values, pd.Series) else values
    if legacy:
        earlier = [legacy_flag_id(rule_id, t, v) for t, v in zip(triggers, variant)]
        out["legacy_flag_id"] = pd.array(earlier if keep is None else [e for e, k in zip(earlier, keep) if k],
                                         dtype=_STRING)
        # the variant the id was made with: `review.decisions` recomputes a flag's id with another reading of
        # its trigger's contact type, to carry a decision recorded on that earlier id over to the flag
        variants = list(variant)
        out["flag_variant"] = pd.array(variants if keep is None else [v for v, k in zip(variants, keep) if k],
                                       dtype=_STRING)
    return pd.DataFrame(out, index=index)


_FLAG_TABLE = {**FLAG_COLUMNS, "case_id": "string"}
_STRING = pd.api.types.pandas_dtype("string")
_DTYPES = {dtype: pd.api.types.pandas_dtype(dtype) for dtype in set(_FLAG_TABLE.values())}


def _text_array(values: pd.Series):
    """`values.astype("string").fillna("")` (the contract's cast of a text column) as an array."""
    if values.dtype == _STRING:
        return values.fillna("").array if values.hasnans else values.array
    if isinstance(values.dtype, pd.StringDtype):  # the default 'str' dtype: str values and NaN
        return pd.array(values.to_numpy(dtype=object, na_value=""), dtype=_STRING)
    return values.astype(_STRING).fillna("").array


def _constant_text(value, n: int, index: pd.Index):
    """A column of `value` as the contract's string array."""
    if isinstance(value, str):
        return pd.array(np.full(n, value, dtype=object), dtype=_STRING)
    return _text_array(pd.Series(value, index=index))


def _cast(values: pd.Series, dtype: str) -> pd.Series:
    """One column cast to its contract dtype exactly as `schema.conform` casts it."""
    if dtype == "string":
        return pd.Series(_text_array(values), index=values.index, copy=False)
    if values.dtype == _DTYPES[dtype]:
        return values
    if dtype == "datetime64[ns]":
        return pd.to_datetime(values).astype("datetime64[ns]")
    return values.astype(dtype)


def action_when(ctx: Context, pos, index: pd.Index) -> pd.Series:
    """The dates of the action rows at timeline positions `pos` (-1: none) as the chronology gives them:
    '9 Mar 2023', 'Apr 2023', '2023', 'c. 3 Apr 2023', 'c. Apr 2023'; '' for none."""
    pos = np.asarray(pos, dtype="int64")
    at = np.maximum(pos, 0)
    text = fmt_date(column_at(ctx, "_day", at, index), column_at(ctx, "_shown", at, index))
    return text.mask(pd.Series(pos < 0, index=index), "")


def outcome_text(action_id: pd.Series, action_date: pd.Series, delay: pd.Series, what: str = "it",
                 when: pd.Series | None = None, none_text="; none is recorded.", dated=None) -> pd.Series:
    """'; it came on 9 Mar 2023, 3 calendar days late.' or '; none is recorded.' (the end of an explanation;
    the delay is in calendar days whatever the deadline's unit, as `delay_days` is). A late
    action whose date is not exact (delay NA) is shown as `when` gives it (`action_when`: '; it is
    recorded for Apr 2023, after the deadline (date not exact).'), else at its period's first day. With no
    action: `none_text` (one text, or one per row: '; none is recorded within 90 days of 1 Mar 2023.'). `dated`
    (one text per row, or None: `referral_dated_text`) follows the action's date."""
    index = action_id.index
    delay = pd.Series(delay, index=index).astype("Float64")
    inexact = delay.isna().to_numpy(dtype=bool)
    late = np.where(inexact, " (date not exact).", ", " + calendar_day_texts(delay) + " late.")
    came = " came on " + _date_texts(pd.Series(action_date, index=index).astype("datetime64[ns]")) + late
    if dated is not None:
        came = " came on " + _date_texts(pd.Series(action_date, index=index).astype("datetime64[ns]")) \
            + np.asarray(dated, dtype=object) + late
    if when is not None and inexact.any():
        partial = " is recorded for " + pd.Series(when, index=index).astype(str).to_numpy(dtype=object) \
            + ", after the deadline (date not exact)."
        came = np.where(inexact, partial, came)
    none = action_id.to_numpy(dtype=object, na_value="") == ""
    if not isinstance(none_text, str):
        none_text = pd.Series(np.asarray(none_text, dtype=object), index=index, dtype="string")
    if isinstance(what, str):
        return pd.Series(np.where(none, none_text, "; " + what + came), index=index, dtype="string")
    # a per-row `what` (a Series): pandas' own alignment and NA propagation
    text = "; " + what + pd.Series(came, index=index, dtype="string")
    return text.mask(pd.Series(none, index=index), none_text)


def calendar_day_texts(days: pd.Series) -> np.ndarray:
    """`_day_texts` with the unit named: '1 calendar day', '3 calendar days' (a delay is counted in calendar
    days, also against a deadline in working days)."""
    text = _day_texts(pd.Series(days))
    # the unit is one of two suffixes: '1 day' / 'N days'
    one = np.array([t.endswith(" day") for t in text], dtype=bool) if len(text) else np.zeros(0, dtype=bool)
    stem = np.array([t.rsplit(" ", 1)[0] for t in text], dtype=object) if len(text) else text
    return stem + np.where(one, " calendar day", " calendar days").astype(object)


#: escalation kinds as an explanation names them
ESCALATION_NAMES = {
    "referral_to_csc": "referral to children's social care",
    "strategy_discussion": "strategy discussion",
    "cp_medical": "CP medical",
    "s47_enquiry": "section 47 enquiry",
    "cp_conference": "CP conference",
    "legal_planning": "legal planning",
    "police_investigation": "police investigation",
    "marac": "MARAC referral",
}


def escalation_names(ctx: Context, pos, kinds, index: pd.Index) -> pd.Series:
    """The escalations of `kinds` that the rows at timeline positions `pos` (-1: none) held
    (`held_escalations`), as an explanation names them: 'CP conference', 'section 47 enquiry, strategy
    discussion'; '' for none. One look-up per kind (each kind's reading is kept in the context)."""
    pos = np.asarray(pos, dtype="int64")
    at = np.maximum(pos, 0)
    names = np.full(len(pos), "", dtype=object)
    if len(ctx.timeline):
        for kind in dict.fromkeys(str(k) for k in kinds):
            on = _escalation_held(ctx, kind)[at] & (pos >= 0)
            if on.any():
                name = ESCALATION_NAMES.get(kind, kind.replace("_", " "))
                names = np.where(on, np.where(names == "", name, names + (", " + name)), names).astype(object)
    return pd.Series(names, index=index)


def death_bound(ctx: Context, frame: pd.DataFrame, days: pd.Series, max_days) -> pd.Series:
    """The child's date of death (case.yml `date_of_death`) of each row of `frame` (its ``_case``) where it
    ends the search for a response before `max_days` after the trigger's day (`days`) does (None: no cap):
    NaT where the case gives no date of death or the cap comes first. A response after the child died is
    none (`cap_response`), and the explanation then says none is recorded before the child's death
    (`unlinked_outcome_text`, `death_outcome_text`)."""
    index = frame.index
    deaths = ctx.extra.get("deaths")
    out = np.full(len(frame), np.datetime64("NaT"), dtype="datetime64[ns]")
    if deaths is not None and len(frame) and deaths.notna().any():
        out = deaths.to_numpy(dtype="datetime64[ns]")[frame["_case"].to_numpy(dtype="int64")]
        if max_days is not None:
            limit = pd.Series(days, index=index).to_numpy(dtype="datetime64[ns]") + np.timedelta64(int(max_days), "D")
            out = np.where(out < limit, out, np.datetime64("NaT"))
    return pd.Series(out, index=index, dtype="datetime64[ns]")


def review_end_bound(ctx: Context, frame: pd.DataFrame, days: pd.Series, max_days,
                     death: pd.Series | None = None) -> pd.Series:
    """The case's review date (case.yml `review_date`, the end of the period under review) of each row of
    `frame` (its ``_case``) where it comes before `max_days` after the trigger's day (`days`) ran out and
    before the child's death (`death`, `death_bound`): NaT elsewhere, and for every row with no cap. The
    records end there, so the explanation says none is recorded before the end of the review period, not
    within `max_days` of the trigger (`review_end_outcome_text`)."""
    index = frame.index
    reviews = ctx.extra.get("review_dates")
    out = np.full(len(frame), np.datetime64("NaT"), dtype="datetime64[ns]")
    if max_days is None or reviews is None or not len(frame) or not reviews.notna().any():
        return pd.Series(out, index=index, dtype="datetime64[ns]")
    review = reviews.to_numpy(dtype="datetime64[ns]")[frame["_case"].to_numpy(dtype="int64")]
    limit = pd.Series(days, index=index).to_numpy(dtype="datetime64[ns]") + np.timedelta64(int(max_days), "D")
    early = review < limit  # (NaT compares False)
    if death is not None:
        died = pd.Series(death, index=index).to_numpy(dtype="datetime64[ns]")
        early &= ~(died <= review)  # the death came first: its own text (`death_outcome_text`)
    out = np.where(early, review, np.datetime64("NaT"))
    return pd.Series(out, index=index, dtype="datetime64[ns]")


def review_end_outcome_text(none_text, end: pd.Series | None, none: str) -> np.ndarray:
    """`none_text` (the end of an explanation with no response), or where the review period ended before the
    cap ran out (`end`, NaT elsewhere: `review_end_bound`) '; <none> before the end of the review period on
    31 Dec 2021.'"""
    if end is None or not len(end):
        return none_text
    out = np.broadcast_to(np.asarray(none_text, dtype=object), (len(end),)).copy()
    ended = end.notna().to_numpy(dtype=bool)
    if ended.any():
        out[ended] = "; " + none + " before the end of the review period on " \
            + _date_texts(pd.Series(end.to_numpy(dtype="datetime64[ns]")[ended])) + "."
    return out


def cap_response(response: pd.DataFrame, days: pd.Series, max_days, death: pd.Series | None = None) -> pd.DataFrame:
    """`first_response`'s table without the late actions that began more than `max_days` calendar days after
    the trigger's day (`days`, aligned with it): an escalation by any agency that long after a concern is
    not reported as its (late) response, nothing linking it to the concern (the rules' `response_max_days`,
    `settings.response_latency.response_max_days`); nor those that began after the child's date of death
    (`death`, aligned with it, NaT for none: `death_bound`): a response after the child died is none.
    `timely` is kept; None: no cap. A partial-date action whose period begins within the cap, or on or
    before the day of death, is kept (it may have been within it: a period is [first day, last day] as
    `_period_bounds` reads it, and `first_response` gives its first day)."""
    if (max_days is None and death is None) or response.empty:
        return response
    action = response["action_date"].to_numpy(dtype="datetime64[ns]")
    found = response["action_event_id"].to_numpy(dtype=object, na_value="") != ""
    beyond = np.zeros(len(response), dtype=bool)
    if max_days is not None:
        limit = pd.Series(days, index=response.index).to_numpy(dtype="datetime64[ns]") + np.timedelta64(int(max_days), "D")
        beyond |= found & (action > limit)
    if death is not None:
        beyond |= found & (action > pd.Series(death, index=response.index).to_numpy(dtype="datetime64[ns]"))
    if not beyond.any():
        return response
    out = response.copy()
    out.loc[beyond, "action_event_id"] = ""
    out.loc[beyond, "action_date"] = pd.NaT
    out.loc[beyond, "action_exact"] = False
    out.loc[beyond, "action_pos"] = -1
    return out


def death_outcome_text(none_text, death: pd.Series | None, none: str, day: pd.Series | None = None,
                       since: str = "") -> np.ndarray:
    """`none_text` (the end of an explanation with no response), or where the child's death ended the search
    for one (`death`, NaT elsewhere: `death_bound`) '; <none> before the child's death on 3 Jun 2023.'; with
    the triggers' days `day` (aligned with `death`) and `since` naming the trigger, how long after it the child
    died: '; <none> before the child's death on 3 Jun 2023, 12 days after the referral.'"""
    n = len(death) if death is not None else 0
    out = np.broadcast_to(np.asarray(none_text, dtype=object), (n,)).copy() if death is not None else none_text
    if death is None or not len(death):
        return out
    died = death.notna().to_numpy(dtype=bool)
    if died.any():
        dead = death.to_numpy(dtype="datetime64[ns]")[died]
        days = _date_texts(pd.Series(dead))
        after = ""
        if day is not None:
            lived = (dead - pd.Series(day).to_numpy(dtype="datetime64[ns]")[died]) / np.timedelta64(1, "D")
            after = ", " + _day_texts(pd.Series(lived)) + " after " + since
        out[died] = "; " + none + " before the child's death on " + days + after + "."
    return out


def censor_at_death(ctx: Context, t: pd.DataFrame, response: pd.DataFrame, none_text, none: str,
                    since: str | None = None) -> tuple[pd.DataFrame, object]:
    """(`response` — `first_response`'s table of the untimely triggers `t`, aligned with it — without an
    action after the child's date of death, and the end of the explanation where none came): the rules whose
    response is an agency's own next step (a decision on a referral, a conference after a strategy
    discussion, a completed assessment, a follow-up, a sighting) read it with no `response_max_days`, but an
    action after the child died is not the response (`death_bound`, `cap_response`). Where the case gives a
    date of death `none_text` becomes '; <none> before the child's death on 3 Jun 2023, 12 days after <since>.'
    (`death_outcome_text`; without `since`, no days); elsewhere it stays as it is."""
    death = death_bound(ctx, t, t["_day"], None)
    capped = cap_response(response, t["_day"], None, death)
    note_death_cut(ctx, t, death, capped["action_event_id"])
    return (capped, death_outcome_text(none_text, death, none, t["_day"] if since else None, since or ""))


def note_death_cut(ctx: Context, t: pd.DataFrame, death: pd.Series, action_id) -> None:
    """Note, for `run_rule` (`censor_delays`), the triggers `t` (with ``event_id`` and ``deadline``) whose search
    for a response the child's death ended with none found (`death`: `death_bound`, aligned, NaT elsewhere;
    `action_id`: the response's event id, "" for none): their delay is a lower bound, "at least" the days from
    the deadline to the death. Keyed by (trigger event id, deadline)."""
    if not len(t) or "deadline" not in t.columns:
        return
    ids = pd.Series(action_id, index=t.index) if not isinstance(action_id, pd.Series) else action_id.reindex(t.index)
    cut = pd.Series(death, index=t.index).notna().to_numpy(dtype=bool) & (
        ids.astype(object).fillna("").to_numpy(dtype=object) == "")
    if not cut.any():
        return
    noted = ctx.extra.setdefault("censored", {})
    for event, deadline, day in zip(t["event_id"].astype(str).to_numpy()[cut],
                                    t["deadline"].to_numpy(dtype="datetime64[ns]")[cut],
                                    pd.Series(death, index=t.index).to_numpy(dtype="datetime64[ns]")[cut]):
        noted[(event, pd.Timestamp(deadline))] = pd.Timestamp(day)


def censor_delays(rows: pd.DataFrame, noted: dict) -> pd.DataFrame:
    """A rule's flag rows with the delays the child's death cut short (`noted` by `censor_at_death`: (trigger
    event id, deadline) -> date of death) as lower bounds: ``delay_days`` the calendar days from the deadline
    to the death ("at least N days"; a flag due after the death is none, `censor_after_death`), and
    ``delay_censored`` True; False elsewhere."""
    if rows is None or rows.empty:
        return rows
    rows = rows.copy()
    censored = np.zeros(len(rows), dtype=bool)
    if noted:
        none = rows["actual_action_event_id"].astype(object).fillna("").to_numpy(dtype=object) == "" \
            if "actual_action_event_id" in rows.columns else np.ones(len(rows), dtype=bool)
        deaths = pd.to_datetime(pd.Series([noted.get((str(e), pd.Timestamp(d)) if not pd.isna(d) else None)
                                           for e, d in zip(rows["trigger_event_id"], rows["expected_by"])],
                                          dtype=object)).to_numpy(dtype="datetime64[ns]")
        censored = none & ~np.isnat(deaths)
        if censored.any():
            expected = rows["expected_by"].to_numpy(dtype="datetime64[ns]")
            delay = rows["delay_days"].astype("Float64").to_numpy(dtype=object, na_value=pd.NA) \
                if "delay_days" in rows.columns else np.full(len(rows), pd.NA, dtype=object)
            days = (deaths - expected) / np.timedelta64(1, "D")
            delay[censored] = days[censored]
            rows["delay_days"] = pd.array(delay, dtype="Float64")
    rows["delay_censored"] = pd.array(censored, dtype="boolean")
    return rows


def unlinked_outcome_text(ctx: Context, action_id: pd.Series, action_date: pd.Series, delay: pd.Series,
                          action_pos, kinds, *, what: str = "the next escalation by any agency",
                          about: str = "this concern", max_days=None, since: str = "it",
                          none: str = "none by any agency is recorded", death: pd.Series | None = None,
                          review_end: pd.Series | None = None, receipts=None) -> pd.Series:
    """The end of an explanation whose late action is the next escalation by any agency, which nothing in
    the records links to the trigger: '; the next escalation by any agency came on 25 Jan 2024 (CP
    conference, Eastborough Children's Social Care), 7 calendar days after the deadline; nothing in the
    records links it to this injury.'; for a partial date '... is recorded for Apr 2023 (...), after the
    deadline (date not exact); ...'; with none (within `max_days` of the trigger, `cap_response`) '; none by
    any agency is recorded within 90 days of the injury.' (`since`; `none`), else '; none by any agency is
    recorded.'; where the child's death came first (`death`, aligned, NaT elsewhere: `death_bound`) '; none
    by any agency is recorded before the child's death on 3 Jun 2023.'; where the review period ended before
    `max_days` ran out (`review_end`, aligned, NaT elsewhere: `review_end_bound`) '; none by any agency is
    recorded before the end of the review period on 31 Dec 2021.'. With `receipts` (per timeline row: social
    care's record of receiving a referral, `referral_receipts`), such a row holding none of `kinds` is named
    '(referral received, Eastborough Children's Social Care)'."""
    index = action_id.index
    pos = np.asarray(action_pos, dtype="int64")
    delay = pd.Series(delay, index=index).astype("Float64")
    inexact = delay.isna().to_numpy(dtype=bool)
    names = escalation_names(ctx, pos, kinds, index).to_numpy(dtype=object)
    if receipts is not None and len(pos):  # social care's record of receiving the referral (`referral_receipts`)
        received = np.asarray(receipts, dtype=bool)[np.maximum(pos, 0)] & (pos >= 0) & (names == "")
        names = np.where(received, "referral received", names).astype(object)
    agency = column_at(ctx, "agency", np.maximum(pos, 0), index).astype(object).fillna("").to_numpy(dtype=object)
    detail = np.where(names == "", "", " (" + names + ", " + agency + ")")
    detail = np.where((names == "") & (agency != ""), " (" + agency + ")", detail)
    when = action_when(ctx, pos, index).astype(str).to_numpy(dtype=object)
    exact_text = (" came on " + _date_texts(pd.Series(action_date, index=index).astype("datetime64[ns]")) + detail
                  + ", " + calendar_day_texts(delay) + " after the deadline")
    partial_text = " is recorded for " + when + detail + ", after the deadline (date not exact)"
    came = np.where(inexact, partial_text, exact_text)
    text = "; " + what + came + "; nothing in the records links it to " + about + "."
    missing = action_id.to_numpy(dtype=object, na_value="") == ""
    none_text = ("; " + none + " within " + str(int(max_days)) + " days of " + since + "."
                 if max_days is not None else "; " + none + ".")
    if review_end is not None:
        none_text = review_end_outcome_text(none_text, pd.Series(review_end, index=index), none)
    if death is not None:
        none_text = death_outcome_text(none_text, pd.Series(death, index=index), none)
    return pd.Series(np.where(missing, none_text, text), index=index, dtype="string")
