"""What each deciding agency knew: at every decision point (conference, discharge, case closure, no
further action, return home, referral decision), the concerns known to the deciding agency against all
the concerns recorded by any agency in the window before it.

A concern recorded by agency A is taken to have reached agency B when B recorded the same concern tag
itself, A's row lists B among its informed agencies, A's row is linked (same event_group) to a row of
B's, or A's row was a referral / strategy discussion / conference and B is children's social care.

A decision point is an exact-date row of a decision contact type or whose text mentions a decision keyword
(a return home's words not on a police row nor one recording a missing episode: `_return_home_rows`)
without a negation ("return home not agreed", "No further action not supported": `base.text_mentions` with
the `decision_negations` setting after the keyword), and not in a sentence naming the victim's choice not to
support a prosecution or the prosecution's outcome (`decision_not_in_sentence_with`: "No further action by
victim" is a criminal justice disposal about the adults, no decision about the child); a health visitor's
level of service ("Universal service", "Universal plus") is one of the keywords; a row of a decision type whose text says it did not take place ("ICPC postponed", "case not closed", "discharge
postponed": the vocabulary's escalation negation cues, `base.types_held`) is none by its type.
"""
from __future__ import annotations

import functools
import re

import numpy as np
import pandas as pd

from ..schema import split_multi
from ..vocab import informed_reaches, normalise_text
from .base import (
    DAY,
    Context,
    _mentioned,
    _negating_vocab,
    _open_ended,
    _phrases,
    _first_of_each,
    _rows_matching,
    _texts,
    closures_in_action,
    counted_concerns,
    first_response,
    held_escalations,
    joined,
    prepare,
    read_row_texts,
    row_vocabs,
    rows_of,
    text_mentions,
    types_held,
    window_pairs,
)


def decision_mask(ctx: Context) -> pd.Series:
    """Exact-date rows that are a decision about the child (computed once per prepared timeline)."""
    if "decisions" not in ctx.extra:
        ctx.extra["decisions"] = _decision_mask(ctx)
    return ctx.extra["decisions"]


def _decision_mask(ctx: Context) -> pd.Series:
    settings = ctx.settings
    tl = ctx.timeline
    # a row typed as the conference / closure / discharge whose text says it did not take place ("ICPC
    # postponed", "case not closed") is no decision by its type (`types_held`)
    by_type = types_held(ctx, settings["decision_contact_types"])
    # a decision keyword mentioned without a negation ("return home not agreed" is none), each distinct
    # (description, action) of the exact-date rows read once, with its case's vocabulary (`text_mentions`)
    exact = tl["_exact"].to_numpy(dtype=bool)
    keywords = [str(w) for w in settings.get("decision_keywords", []) if normalise_text(w)]
    home = [str(w) for w in settings.get("return_home_keywords") or [] if normalise_text(w)]
    # the rows naming any of the words, by one vectorised search over the distinct texts (`_rows_matching`);
    # each word list's own search then runs over those few rows only
    pos = np.flatnonzero(exact)
    candidates = np.zeros(len(tl), dtype=bool)
    if len(pos) and (keywords or home):
        candidates[pos[_rows_matching(ctx, pos, keywords + home)]] = True
    by_words = text_mentions(ctx, candidates, keywords, _decision_negations(settings))
    # not in a sentence naming a criminal justice disposal about the adults ("No further action by victim":
    # `decision_not_in_sentence_with`, `decides`): only the rows naming one of those words are read again
    others = _decision_others(settings)
    if others and by_words.any():
        by_words &= _decided(ctx, by_words.to_numpy(dtype=bool), keywords, _decision_negations(settings), others)
    filing_kinds, filing_words = settings.get("decision_filing_agency_kinds"), settings.get("decision_filing_words")
    if filing_kinds and filing_words and by_words.any():
        # a health row filing correspondence ("Noted. No further action.") decides nothing about the child
        filing = by_words.to_numpy(dtype=bool) & ctx.kinds(filing_kinds).to_numpy(dtype=bool)
        by_words &= ~text_mentions(ctx, filing, filing_words)
    # a return home only where it can be a decision about the child's care (`_return_home_rows`): not a
    # missing child found and returned home, nor the police's record of one
    by_words |= text_mentions(ctx, _return_home_rows(ctx) & candidates, home, _decision_negations(settings))
    # an elective home education team's judgement that the education at home is suitable ("Provision deemed
    # 'suitable' provisionally"): a decision about the child, by an education agency only (`_suitability`)
    suit_rows, suit_words = _suitability(ctx)
    if suit_words:
        by_words |= text_mentions(ctx, suit_rows & exact, suit_words, _decision_negations(settings))
    # a social care row whose action or outcome records the case closed ("No concerns. Case closed." of a home
    # visit), whatever its own type (`closures_in_action`)
    return (by_type | by_words | closures_in_action(ctx)) & tl["_exact"]


def _return_home_rows(ctx: Context) -> np.ndarray:
    """Per timeline row: may its return_home_keywords be a decision? Not a row by one of the
    `return_home_not_agency_kinds` setting (the police, who decide no child's care), nor one tagged one of
    `return_home_not_with_tags` (a missing episode: the child found and brought home is no decision about
    the child's care)."""
    settings = ctx.settings
    tl = ctx.timeline
    kinds = settings.get("return_home_not_agency_kinds") or ()
    out = ~ctx.kinds(kinds).to_numpy(dtype=bool) if kinds else np.ones(len(tl), dtype=bool)
    if settings.get("return_home_not_with_tags"):
        out &= ~ctx.tags(settings["return_home_not_with_tags"]).to_numpy(dtype=bool)
    return out


def _suitability(ctx: Context) -> tuple[np.ndarray, list]:
    """(the rows whose `suitability_decision_keywords` are a decision: those by one of the
    `suitability_decision_agency_kinds` setting, the keywords). An elective home education team deciding the
    education a parent provides is suitable decides about the child; a health agency's "considered suitable"
    (equipment, a room) does not."""
    settings = ctx.settings
    kinds = settings.get("suitability_decision_agency_kinds") or ()
    words = [str(w) for w in settings.get("suitability_decision_keywords") or [] if normalise_text(w)]
    if not kinds or not words:
        return np.zeros(len(ctx.timeline), dtype=bool), []
    return ctx.kinds(kinds).to_numpy(dtype=bool), words


#: the label of a decision by one of the `suitability_decision_keywords` (`decision_label`)
SUITABILITY_LABEL = "education_deemed_suitable"


#: a spaced dash ("NFA - victim declined to support a prosecution"), read as a comma by `decides`
_SPACED_DASH = re.compile(r"\s+[-\u2013\u2014]+\s+")


def decides(text: str, keywords, negations: tuple, others: tuple, vocab: str = "") -> bool:
    """Does `text` mention one of the decision `keywords`, not negated (`negations` after it), and not in a
    sentence naming one of `others` (`base._mentioned`)? For `others`, a spaced dash joins the keyword's clause
    to what follows: "NFA - victim declined to support a prosecution" is the victim's choice, as "No further
    action by victim" is. `vocab`: the `vocab_key` of the case's vocabulary ("": the package's)."""
    keywords = list(keywords)
    if not _mentioned(text, keywords, negations, (), vocab):
        return False
    if not others:
        return True
    text = _SPACED_DASH.sub(", ", text)
    if not _phrases(tuple(others)).find(_negating_vocab(negations, vocab).tokens(text)):
        return True  # none of them named: the reading above stands (a dash read as it is)
    return _mentioned(text, keywords, negations, others, vocab)


def _decided(ctx: Context, mask: np.ndarray, keywords, negations: tuple, others: tuple) -> np.ndarray:
    """Per timeline row: True, but for a row of `mask` naming one of `others` (`base._rows_matching`) whose
    text `decides` nothing; each distinct (case vocabulary, description, action) of those read once."""
    tl = ctx.timeline
    out = np.ones(len(tl), dtype=bool)
    pos = np.flatnonzero(mask)
    pos = pos[_rows_matching(ctx, pos, list(others))] if len(pos) else pos
    if not len(pos):
        return out
    out[pos] = read_row_texts(ctx, pos, lambda text, vocab: decides(text, keywords, negations, others, vocab),
                              dtype=bool)
    return out


def _decision_negations(settings: dict) -> tuple:
    return tuple(str(w) for w in settings.get("decision_negations", []))


def _decision_others(settings: dict) -> tuple:
    """The `decision_not_in_sentence_with` setting: words whose sentence's decision keywords are no decision about
    the child (the victim's choice not to support a prosecution: "No further action by victim")."""
    return tuple(str(w) for w in settings.get("decision_not_in_sentence_with") or ())


def decision_label(ctx: Context, rows: pd.DataFrame, positions=None) -> pd.Series:
    """What each decision row of `rows` (timeline rows at `positions`, by default their index) decided: its
    contact type when it is a decision by its type, else the first decision keyword its text mentions without
    a negation ("Return home not agreed; no further action" decided no further action)."""
    settings = ctx.settings
    label = rows["contact_type"].astype("string")
    keywords = [str(w) for w in settings.get("decision_keywords", []) if normalise_text(w)]
    home = [str(w) for w in settings.get("return_home_keywords") or [] if normalise_text(w)]
    suit_rows, suit_words = _suitability(ctx)
    if keywords or home or suit_words:
        text = (rows["description"].fillna("").astype(str) + " . " + rows["action"].fillna("").astype(str))
        where = rows.index if positions is None else positions
        numbers, keys = row_vocabs(ctx)
        vocab = [keys[v] for v in numbers[np.asarray(where, dtype="int64")]]
        negations, others = _decision_negations(settings), _decision_others(settings)
        # a return home's words only where they can be a decision (`_return_home_rows`)
        homely = _return_home_rows(ctx)[np.asarray(where, dtype="int64")] if home else np.zeros(len(rows), dtype=bool)
        suited = suit_rows[np.asarray(where, dtype="int64")] if suit_words else np.zeros(len(rows), dtype=bool)
        # (a home education team's judgement is read as the mask reads it: not filtered by `others`)
        found = pd.Series([_first_decision_word(t, (keywords + home if h else keywords) + (suit_words if s else []),
                                                negations, v, others, frozenset(home) | frozenset(suit_words))
                           for t, v, h, s in zip(text, vocab, homely, suited)], index=rows.index, dtype=object)
        # a home education team's judgement is labelled as one, whichever of its words it used
        found = found.where(~found.isin([w.lower() for w in suit_words]), SUITABILITY_LABEL)
        # a decision by its words only: not of a decision type, or of one whose text says it did not take
        # place ("ICPC postponed; child returned home" decided the return home)
        by_type = types_held(ctx, settings["decision_contact_types"]).to_numpy(dtype=bool)
        keyword_only = pd.Series(~by_type[np.asarray(where, dtype="int64")], index=rows.index)
        # an abbreviation decided what its words say: "NFA" is no further action
        found = found.replace({"nfa": "no further action", "nfad": "no further action", "n.f.a.": "no further action"})
        label = label.mask(keyword_only & found.notna(), found.str.lower().str.replace(" ", "_"))
    # a row that is a decision by its action recording the case closed, and by no type or keyword: a closure
    # ("No concerns. Case closed." of a home visit decided the case's closure, not a home visit)
    at = np.asarray(rows.index if positions is None else positions, dtype="int64")
    closed = closures_in_action(ctx)[at]
    if closed.any():
        by_type = types_held(ctx, settings["decision_contact_types"]).to_numpy(dtype=bool)[at]
        plain = closed & ~by_type & (label == rows["contact_type"].astype("string")).fillna(True).to_numpy(dtype=bool)
        label = label.mask(pd.Series(plain, index=rows.index), "case_closure")
    return label


def _first_decision_word(text: str, keywords: list, negations: tuple, vocab: str, others: tuple = (),
                         home: frozenset = frozenset()):
    """The decision keyword (lower-cased) that `text` mentions first among those it mentions without a
    negation and, but for a return home's words (`home`), not in a sentence naming one of `others`
    (`base._mentioned`, with the case's vocabulary `vocab`), else None."""
    best = None
    for keyword in keywords:
        match = _word_pattern(keyword).search(text)
        if match and (best is None or match.start() < best[0]) and decides(
                text, [keyword], negations, () if keyword in home else others, vocab):
            best = (match.start(), keyword.lower())
    return None if best is None else best[1]


@functools.lru_cache(maxsize=64)
def _word_pattern(keyword: str):
    """`keyword` as `base._mentioned` finds it: whole words, the last one from its start when it is
    open-ended (`base._open_ended`: "no further actions")."""
    words = normalise_text(keyword)
    tail = r"\w*" if words and _open_ended(words) else ""
    return re.compile(r"(?<!\w)" + r"\W+".join(re.escape(w) for w in keyword.split()) + tail + r"(?!\w)", re.I)


#: words of an agency's name that say nothing of which agency it is
_NAME_FILLERS = frozenset({"the", "of", "and", "for"})


def names_sender(text, agency, kind, receiver_kind, cues, vocab=None) -> bool:
    """Does `text`, a row of an agency of `receiver_kind`, record information sent to it by `agency` (of
    `kind`)? One of `cues` (a message or its receipt: "notification", "email", "referral", "received"), at
    most three words before "from" in its sentence, then, from the word after "from" ("the" skipped), a run of
    words of the agency's name: "Email from Kingsway Academy re hunger" names Kingsway Academy. A run that is
    not the whole name ("Transfer-in notification from Eastshire received") names the agency when a
    `sharing_recipients` word straight after it reaches the agency ("from Eastshire CSC": Eastshire
    Children's Social Care), or, with none, when the agency is of the receiving agency's kind (an authority
    naming its counterpart: Westshire social care's "from Eastshire" is Eastshire's social care, not its
    police). A run with no word of the name names nothing: a bare "from school" or "from police" is not read as
    one particular agency. `vocab`: compiled, or None for the package vocabulary."""
    if not text or not agency:
        return False
    v = _negating_vocab((), "") if vocab is None else vocab
    tokens = v.tokens(str(text))
    if "from" not in tokens:
        return False
    name = set(normalise_text(str(agency)).split()) - _NAME_FILLERS
    cues = {normalise_text(str(c)) for c in cues} - {""}
    if not name or not cues:
        return False
    for i, token in enumerate(tokens):
        if token != "from":
            continue
        before = tokens[max(i - 3, 0):i]
        marks = [k for k, w in enumerate(before) if w.startswith("|")]
        if marks:  # the cue in the same sentence as "from"
            before = before[marks[-1] + 1:]
        if cues.isdisjoint(before):
            continue
        j = i + 1
        if j < len(tokens) and tokens[j] == "the":
            j += 1
        start = j
        while j < len(tokens) and tokens[j] in name:
            j += 1
        run = set(tokens[start:j])
        if not run:
            continue
        if name <= run:
            return True
        words = [(a, word) for a, _, word in v._sharing_words.find(tokens[j:j + 4]) if a == 0]
        if words:
            if any(informed_reaches(v.sharing_recipients[w], str(agency), str(kind or ""), v) for _, w in words):
                return True
            continue
        if kind and kind == receiver_kind:
            return True
    return False


def knowledge_pairs(ctx: Context, window_days: int, tags, referral_escalations, referral_reaches_kinds,
                    families: dict | None = None, sender_cues=()) -> pd.DataFrame:
    """One row per (decision, earlier concern row, concern tag): d_index and c_index (timeline index),
    tag, known (the concern had reached the deciding agency), c_agency, d_agency. `families` ({tag: tag}):
    tags read as the one they map to when asking what reached the agency (relationship_abuse: domestic_abuse,
    the same concern whichever of the two each agency's words gave it). `sender_cues`: a concern row whose
    text records the information coming from the deciding agency (`names_sender`: "Transfer-in notification
    from Eastshire received") reached it: the agency held it."""
    tl = ctx.timeline
    decisions = rows_of(ctx, decision_mask(ctx), ["_case", "_day", "_agency", "agency", "agency_kind"])
    cols = ["d_index", "c_index", "tag", "known", "c_agency", "d_agency"]
    if decisions.empty:
        return pd.DataFrame(columns=cols)
    decisions["lo"] = decisions["_day"] - window_days * DAY
    # a concern by the child's age alone (settings.age_bound_tags: sexual_activity) only at those ages
    # (`counted_concerns`): a 17-year-old's contraception visit is no concern an agency deciding had to know
    has, counted = _counted_tag_rows(ctx, tags)
    concerns = rows_of(ctx, has, ["_case", "_start", "_end", "_exact", "_gcode", "_agency", "agency", "escalation", "informed_agencies", "concerns"])
    concerns = concerns.assign(pos=concerns.index)
    if counted is not None:
        concerns["concerns"] = pd.array(counted[np.flatnonzero(has)], dtype="string")
    pairs = window_pairs(ctx, decisions, concerns, "lo", "_day")
    before = np.where(pairs["e__exact"], pairs["e_pos"] <= pairs["t_index"], pairs["e__end"] < pairs["_day"])
    pairs = pairs[before]
    if pairs.empty:
        return pd.DataFrame(columns=cols)
    # 1. the deciding agency's own record (any of its rows in the window carrying the tag: see below)
    same = pairs["e__agency"] == pairs["_agency"]
    # 2. linked event: A's row's event group has a row of the deciding agency's. A group with one row
    # holds only A's row itself (linked exactly when A is the deciding agency); only the rows of groups
    # with several members need the (case, group, agency) look-up.
    linked = (pairs["e__agency"] == pairs["_agency"]).to_numpy(dtype=bool, copy=True)
    members = group_sizes(ctx)
    several = members[pairs["e__gcode"].to_numpy()] > 1
    if several.any():
        in_several = members[tl["_gcode"].to_numpy()] > 1
        group_agencies = tl.loc[in_several, ["_case", "_gcode", "_agency"]].drop_duplicates()
        linked[several] = pairs.loc[several, ["_case", "e__gcode", "_agency"]].merge(
            group_agencies.rename(columns={"_gcode": "e__gcode"}), how="left", indicator=True
        )["_merge"].eq("both").to_numpy()
    # 3. A's row says it informed the deciding agency
    told = pd.Series(_informed(pairs["e_informed_agencies"], pairs["agency"], pairs["agency_kind"]), index=pairs.index)
    # 4. a referral to social care (by A, from the concern until the decision) reaches social care
    to_kind = pairs["agency_kind"].isin(list(referral_reaches_kinds)).to_numpy()
    referred = pd.Series(False, index=pairs.index)
    if to_kind.any():
        probe = pd.DataFrame(
            {"_case": pairs["_case"], "_agency": pairs["e__agency"], "anchor": pairs["e__start"], "deadline": pairs["_day"]}
        )[to_kind]
        # a strategy discussion / conference that did not take place ("Strategy discussion cancelled", its
        # escalation cell filled anyway) took nothing to social care (`held_escalations`)
        hit = first_response(ctx, probe, held_escalations(ctx, referral_escalations), same_agency=True)["timely"]
        referred[to_kind] = hit.to_numpy()
    reached = same.to_numpy() | linked | told.to_numpy() | referred.to_numpy()
    # 5. A's row records the information sent to it by the deciding agency (a receipt, a notification from it)
    if len(sender_cues) and (~reached).any():
        reached |= _sent_by_decider(ctx, pairs, ~reached, tuple(str(c) for c in sender_cues))

    long = pd.DataFrame(
        {
            "d_index": pairs["t_index"].to_numpy(),
            "c_index": pairs["e_pos"].to_numpy(),
            "reached": reached,
            "concerns": pairs["e_concerns"].to_numpy(),
            "d_agency_code": pairs["_agency"].to_numpy(),
            "c_agency": pairs["e_agency"].to_numpy(),
            "d_agency": pairs["agency"].to_numpy(),
            "_case": pairs["_case"].to_numpy(),
        }
    )
    long = _explode_tags(long, tags)
    # a tag is known to the deciding agency when any record of it had reached the agency (its own included)
    long["family"] = long["tag"].map(families).fillna(long["tag"]) if families else long["tag"]
    known = long.loc[long["reached"], ["d_index", "family"]].drop_duplicates().assign(tag_known=True)
    long = long.merge(known, on=["d_index", "family"], how="left")
    long["known"] = long["tag_known"].fillna(False).astype(bool)
    return long[cols].reset_index(drop=True)


def _counted_tag_rows(ctx: Context, tags) -> tuple[np.ndarray, np.ndarray | None]:
    """(per timeline row: do its concerns, as `base.counted_concerns` counts them, include any of `tags`; per
    timeline row those concerns, or None when no tag of `tags` is age-bound and the rows' own concerns serve).
    Each distinct concerns value is split once."""
    bound = {str(t) for t in (ctx.settings.get("age_bound_tags") or ())}
    if bound.isdisjoint(str(t) for t in tags):
        return ctx.tags(tags).to_numpy(dtype=bool), None
    codes, uniques = counted_concerns(ctx)
    wanted = {str(t) for t in tags}
    hit = np.array([not wanted.isdisjoint(split_multi(u)) for u in uniques] + [False], dtype=bool)
    return hit[codes], np.append(np.asarray(uniques, dtype=object), "")[codes]


def _sent_by_decider(ctx: Context, pairs: pd.DataFrame, open_: np.ndarray, cues: tuple) -> np.ndarray:
    """Per pair of `pairs` (among `open_`): does the concern row's text record its information sent by the
    deciding agency (`names_sender`)? Only the rows whose text says "from" are read, each distinct
    (description, action, deciding agency and kind, the concern row's kind) once."""
    tl = ctx.timeline
    out = np.zeros(len(pairs), dtype=bool)
    c_pos = pairs["e_pos"].to_numpy(dtype="int64")
    rows = np.unique(c_pos[open_])
    rows = rows[_rows_matching(ctx, rows, ["from"])]
    maybe = open_ & np.isin(c_pos, rows)
    if not maybe.any():
        return out
    (d_codes, d_uniques), (a_codes, a_uniques) = _texts(ctx, "description"), _texts(ctx, "action")
    kinds = tl["agency_kind"].astype(object).fillna("").to_numpy(dtype=object)
    at = c_pos[maybe]
    keys = pd.DataFrame({"d": d_codes[at], "a": a_codes[at],
                         "agency": pairs["agency"].astype(object).fillna("").to_numpy(dtype=object)[maybe],
                         "kind": pairs["agency_kind"].astype(object).fillna("").to_numpy(dtype=object)[maybe],
                         "receiver": kinds[at]})
    group = keys.groupby(["d", "a", "agency", "kind", "receiver"], sort=False).ngroup().to_numpy()
    first = _first_of_each(group)
    vocab = _negating_vocab((), "")
    hits = np.array([
        names_sender(str(d_uniques[keys["d"].iat[i]]) + " . " + str(a_uniques[keys["a"].iat[i]]),
                     keys["agency"].iat[i], keys["kind"].iat[i], keys["receiver"].iat[i], cues, vocab)
        for i in first
    ], dtype=bool)
    out[maybe] = hits[group]
    return out


def _informed(informed: pd.Series, agency: pd.Series, kind: pd.Series | None = None) -> np.ndarray:
    """Per row, whether `agency` (of `kind`) is reached by one of the ";"-separated names of `informed`
    (stripped, non-empty): its own name, or a recipient label read from the narrative that reaches it
    ("Children's social care": any social care agency; `review.vocab.informed_reaches`, the package
    vocabulary's `sharing_recipients`).

    Decided once per distinct (informed, agency, kind): a few lists of agencies repeat over many rows.
    """
    kind = pd.Series("", index=agency.index) if kind is None else kind
    a_codes, a_uniques = pd.factorize(agency.astype(str) + "\x1f" + kind.astype(str))
    i_codes, i_uniques = pd.factorize(informed.fillna(""))
    pair_codes, pairs = pd.factorize(i_codes.astype("int64") * (len(a_uniques) + 1) + a_codes)
    i_values = np.append(np.asarray(i_uniques, dtype=object), "")  # code -1: nothing listed
    a_values = np.append(np.asarray(a_uniques, dtype=object), None)  # code -1: no agency, never told
    vocab = _negating_vocab((), "")  # the package vocabulary, compiled once in a process
    hit = np.array(
        [
            isinstance(both, str) and any(informed_reaches(p.strip(), *both.split("\x1f", 1), vocab)
                                          for p in str(listed).split(";"))
            for listed, both in zip(i_values[pairs // (len(a_uniques) + 1)], a_values[pairs % (len(a_uniques) + 1)])
        ],
        dtype=bool,
    )
    return hit[pair_codes] if len(pair_codes) else np.zeros(0, dtype=bool)


def group_sizes(ctx: Context) -> np.ndarray:
    """Number of timeline rows per event group code (``_gcode``), computed once per prepared timeline."""
    if "group_sizes" not in ctx.extra:
        ctx.extra["group_sizes"] = np.bincount(ctx.timeline["_gcode"].to_numpy(), minlength=1)
    return ctx.extra["group_sizes"]


def _explode_tags(long: pd.DataFrame, tags) -> pd.DataFrame:
    """One row per (row of `long`, tag of its ``concerns`` that is in `tags`), in row order and the tags'
    order in the cell, with the tag in ``tag`` (split on ";", stripped).

    The same as `explode` of the split cells filtered on `tags`, but the cells are split once per
    distinct value (a few tag combinations repeat over many rows) and the rows repeated with numpy.
    """
    wanted = list(tags)
    codes, uniques = pd.factorize(long["concerns"].astype(str))
    per_value = [[p.strip() for p in str(u).split(";") if p.strip() in wanted] for u in uniques]
    counts = np.array([len(t) for t in per_value] + [0], dtype="int64")  # code -1 (NA): no tag
    offsets = np.cumsum(counts) - counts
    flat = np.array([t for ts in per_value for t in ts], dtype=object)
    repeat = counts[codes]
    rows = np.repeat(np.arange(len(long)), repeat)
    within = np.arange(len(rows)) - np.repeat(np.cumsum(repeat) - repeat, repeat)
    out = long.iloc[rows].copy()
    out["tag"] = pd.Series(flat[offsets[codes][rows] + within] if len(rows) else flat[:0], index=out.index)
    return out


def agency_knowledge(timeline: pd.DataFrame, rules: dict | None = None, case=None) -> pd.DataFrame:
    """At each decision point: concerns known to the deciding agency vs concerns known anywhere.

    Columns: decision_event_id, date, deciding_agency, decision, concerns_known_to_agency,
    concerns_known_anywhere, missing_concerns, then case_id, missing_from (agencies holding the missing
    concerns) and missing_event_ids. Concerns are those recorded in the `knowledge_window_days` (rules.yml settings)
    before the decision, on exact dates or on partial dates whose whole period lies in the window.
    `case`: as `review.rules.detect` takes it; its vocabulary reads the texts of the rows of a decision
    type (`types_held`). Without it, the rules' last preparation of the same timeline is used (that of
    `detect`, with its cases), else the package vocabulary.
    """
    from .settings import load_rules

    rules = rules or load_rules()
    ctx = prepare(timeline, case, rules["settings"], any_case=case is None)
    params = rules["rules"]["information_not_shared"]["params"]
    tl = ctx.timeline
    mask = decision_mask(ctx)
    d = tl.loc[mask]
    out = pd.DataFrame(
        {
            "case_id": d["case_id"],
            "decision_event_id": d["event_id"],
            "date": d["date"],
            "deciding_agency": d["agency"],
            "decision": decision_label(ctx, d),
        }
    )
    long = knowledge_pairs(
        ctx, int(rules["settings"]["knowledge_window_days"]), params["concern_tags"],
        params["referral_escalations"], params["referral_reaches_kinds"], sender_cues=params.get("sender_cues") or (),
    )
    if long.empty:  # no concern before any decision: the pairs table has no columns
        long = pd.DataFrame({"d_index": pd.Series(dtype="int64"), "c_index": pd.Series(dtype="int64"),
                             "tag": pd.Series(dtype="string"), "c_agency": pd.Series(dtype="string"),
                             "known": pd.Series(dtype=bool)})
    known = long.loc[long["known"].astype(bool)]
    known_tags = known[["d_index", "tag"]].drop_duplicates().assign(k=True)
    missing_tags = long.merge(known_tags, on=["d_index", "tag"], how="left")
    missing_tags = missing_tags[missing_tags["k"].isna()]
    out["concerns_known_to_agency"] = joined(known["tag"], known["d_index"]).reindex(out.index).fillna("")
    out["concerns_known_anywhere"] = joined(long["tag"], long["d_index"]).reindex(out.index).fillna("")
    out["missing_concerns"] = joined(missing_tags["tag"], missing_tags["d_index"]).reindex(out.index).fillna("")
    out["missing_from"] = joined(missing_tags["c_agency"], missing_tags["d_index"]).reindex(out.index).fillna("")
    ids = tl["event_id"].to_numpy()
    out["missing_event_ids"] = joined(pd.Series(ids[missing_tags["c_index"].to_numpy(dtype=int)], index=missing_tags.index), missing_tags["d_index"]).reindex(out.index).fillna("")
    out = out.sort_values(["date", "case_id", "decision_event_id"], kind="mergesort").reset_index(drop=True)
    # the interface's columns first (docs/design.md), then case_id and the details
    first = ["decision_event_id", "date", "deciding_agency", "decision", "concerns_known_to_agency",
             "concerns_known_anywhere", "missing_concerns"]
    out = out[first + [c for c in out.columns if c not in first]]
    for col in out.columns:
        if col != "date":
            out[col] = out[col].astype("string").fillna("")
    out["date"] = out["date"].astype("datetime64[ns]")
    return out
