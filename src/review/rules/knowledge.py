"""What each deciding agency knew: at every decision point (conference, discharge, case closure, no
further action, return home, referral decision), the concerns known to the deciding agency against all
the concerns recorded by any agency in the window before it.

A concern recorded by agency A is taken to have reached agency B when A's record did: B made it, A's row
lists B among its informed agencies, A's row is linked (same event_group) to a row of B's, A's row was
followed by a referral / strategy discussion / conference and B is children's social care, or B recorded
receiving it or (an injury) the same injury. A concern that is an event (an injury, a missed appointment)
is known per record; a condition (neglect, domestic abuse) when any record of it reached B, B's own
included (`knowledge_pairs`), but a record in words to suspect neglect, or one whose information is still to
come ("to follow", "awaited": reaching B only when a later record sends it), is known per record too; a
strategy discussion shares what had reached its participants (s20).

A decision point is an exact-date row of a decision contact type or whose text mentions a decision keyword
(a return home's words not on a police row nor one recording a missing episode: `_return_home_rows`)
without a negation ("return home not agreed", "No further action not supported": `base.text_mentions` with
the `decision_negations` setting after the keyword), and not in a sentence naming the victim's choice not to
support a prosecution or the prosecution's outcome (`decision_not_in_sentence_with`: "No further action by
victim" is a criminal justice disposal about the adults, no decision about the child); a health visitor's
level of service ("Universal service", "Universal plus") is one of the keywords; a row of a decision type whose text says it did not take place ("ICPC postponed", "case not closed", "discharge
postponed": the vocabulary's escalation negation cues, `base.types_held`) is none by its type. (s21) Nor are the
decision words of a record about another person of the family (case.yml `people`: "Kyle Hollins (19, brother)
arrested on warrant ... NFA re Tyrese") unless they name the child's safeguarding (`other_subject_decision`).
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
    missed_contacts,
    death_records,
    _phrases,
    _first_of_each,
    _rows_matching,
    _texts,
    closures_in_action,
    counted_concerns,
    counted_tag_names,
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
    rebooking = settings.get("decision_rebooking_words")
    if rebooking and by_words.any():
        # (s21, QA12 D7) a missed appointment rebooked ("Did not attend." - "Rebooked; no further action."): the
        # action taken on the appointment, no decision about the child by its words
        missed = by_words.to_numpy(dtype=bool) & missed_contacts(ctx).to_numpy(dtype=bool)
        by_words &= ~text_mentions(ctx, missed, rebooking)
    # a return home only where it can be a decision about the child's care (`_return_home_rows`): not a
    # missing child found and returned home, nor the police's record of one
    by_words |= text_mentions(ctx, _return_home_rows(ctx) & candidates, home, _decision_negations(settings))
    # an elective home education team's judgement that the education at home is suitable ("Provision deemed
    # 'suitable' provisionally"): a decision about the child, by an education agency only (`_suitability`)
    suit_rows, suit_words = _suitability(ctx)
    if suit_words:
        by_words |= text_mentions(ctx, suit_rows & exact, suit_words, _decision_negations(settings))
    # (s21) a record about another person of the family (a sibling's warrant, a parent's arrest): its decision
    # words are no decision about the child unless they name the child and the child's safeguarding
    # (`other_subject_decision`): the police's "NFA re Tyrese" on his brother's warrant record
    if by_words.any():
        by_words &= ~_other_subject_rows(ctx, by_words.to_numpy(dtype=bool), keywords + home)
    # a social care row whose action or outcome records the case closed ("No concerns. Case closed." of a home
    # visit), whatever its own type (`closures_in_action`)
    base = (by_type | by_words | closures_in_action(ctx)).to_numpy(dtype=bool) & exact
    # a health agency's discharge or decision to carry out an invasive treatment written in an attendance's
    # outcome ("Discharged to GP under the was-not-brought policy", "Proceed with gastrostomy": `_health_decisions`);
    # those that are decisions by these words alone are kept per label (`outcome_decisions`)
    health_rows, _ = _health_decisions(ctx)
    outcome = {}
    for label, words in health_decision_words(settings).items():
        found = text_mentions(ctx, health_rows & exact, words, _decision_negations(settings)).to_numpy(dtype=bool)
        outcome[label] = found & ~base
    ctx.extra["outcome_decisions"] = outcome
    health = np.logical_or.reduce(list(outcome.values())) if outcome else np.zeros(len(tl), dtype=bool)
    return pd.Series(base | health, index=tl.index)


def outcome_decisions(ctx: Context, labels) -> np.ndarray:
    """Per timeline row: a decision point by a health outcome's words alone (`_health_decisions`: no decision
    type, keyword or closure) none of whose words is of one of `labels` ("discharge", "treatment_decision")."""
    decision_mask(ctx)
    outcome = ctx.extra.get("outcome_decisions") or {}
    n = len(ctx.timeline)
    other = [m for label, m in outcome.items() if label not in set(labels)]
    asked = [m for label, m in outcome.items() if label in set(labels)]
    out = np.logical_or.reduce(other) if other else np.zeros(n, dtype=bool)
    return out & ~np.logical_or.reduce(asked) if asked else out


def health_decision_words(settings: dict) -> dict:
    """{label: keywords} of the health outcome decisions: "discharge" (`discharge_decision_keywords`),
    "treatment_decision" (`treatment_decision_keywords`)."""
    out = {}
    for label, name in (("discharge", "discharge_decision_keywords"),
                        ("treatment_decision", "treatment_decision_keywords")):
        words = [str(w) for w in settings.get(name) or [] if normalise_text(w)]
        if words:
            out[label] = words
    return out


def _health_decisions(ctx: Context) -> tuple[np.ndarray, list]:
    """(the rows whose `discharge_decision_keywords` / `treatment_decision_keywords` are a decision, the keywords):
    rows by one of the `health_decision_agency_kinds` setting (health), not of `health_decision_not_types` (a
    letter received: "Letter from community paediatrics: discharged to GP" reports another's decision), nor
    filing correspondence (`decision_filing_words`: "Filed."). s21, QA11 D9: a hospital writes its discharge or
    its decision to tube-feed in the attendance's outcome as often as in a row typed discharge; either decided
    the child's care on what the hospital knew."""
    settings = ctx.settings
    kinds = settings.get("health_decision_agency_kinds") or ()
    words = [str(w) for w in (settings.get("discharge_decision_keywords") or [])
             + (settings.get("treatment_decision_keywords") or []) if normalise_text(w)]
    if not kinds or not words:
        return np.zeros(len(ctx.timeline), dtype=bool), []
    rows = ctx.kinds(kinds).to_numpy(dtype=bool).copy()
    not_types = settings.get("health_decision_not_types") or ()
    if not_types:
        rows &= ~ctx.types(not_types).to_numpy(dtype=bool)
    filing = settings.get("decision_filing_words")
    if filing and rows.any():
        rows &= ~text_mentions(ctx, rows, filing).to_numpy(dtype=bool)
    return rows, words


def health_decision_labels(settings: dict) -> dict:
    """{keyword (lower case): its label}: "discharge" for `discharge_decision_keywords`, "treatment_decision"
    for `treatment_decision_keywords` (what `decision_label` names such a decision)."""
    out = {str(w).lower(): "discharge" for w in settings.get("discharge_decision_keywords") or []}
    out.update({str(w).lower(): "treatment_decision" for w in settings.get("treatment_decision_keywords") or []})
    return out


#: a sentence of a row's text ("description . action"), for `other_subject_decision`
_SUBJECT_SENTENCE = re.compile(r"(?<=[.!?])\s+|\n+")
#: a word of a text as `other_subject_decision` compares names (capitals kept)
_NAME_WORD = re.compile(r"[^\W\d_]+(?:['\u2019\-][^\W\d_]+)*")


def subject_names(people, child_name) -> tuple[tuple[str, ...], str]:
    """(the given names, lower-cased, of case.yml `people` other than the child; the child's given name,
    lower-cased, "" when unknown) for `other_subject_decision`. A person whose given name is the child's is the
    child (case.yml lists the child too: "Tyrese Hollins: Child")."""
    child = (normalise_text(str(child_name or "")).split() or [""])[0]
    others = set()
    for name in (people or {}) if isinstance(people, dict) else ():
        words = normalise_text(str(name)).split()
        if words and words[0] != child and len(words[0]) > 1:
            others.add(words[0])
    return tuple(sorted(others)), child


def other_subject_decision(text: str, others, child: str, safeguarding, keywords) -> bool:
    """Is `text` ("description . action") a record about another person whose decision words (`keywords`) are
    no decision about the child? Its first sentence names one of `others` (case.yml people's given names, written
    with a capital: "Kyle Hollins (19, brother) arrested for supply of Class A.", "Warrant for Kyle Hollins
    (brother)") and not the child (`child`, any case) but as present there (`_only_present`: "..., Tyrese
    present"), and no sentence with a decision keyword names the child
    together with one of `safeguarding` ("referral", "CSC", "welfare": the child's safeguarding). "NFA re Tyrese"
    on his brother's warrant is the police's disposal of the child as a suspect or witness there, not a
    safeguarding decision about him; "No referral to CSC re Tyrese required" on the same record still is."""
    if not text or not others:
        return False
    sentences = [s for s in _SUBJECT_SENTENCE.split(str(text)) if s.strip(" .;!?")]
    if not sentences:
        return False
    first = _NAME_WORD.findall(sentences[0])
    folded = [w.casefold() for w in first]
    if child and child in folded and not _only_present(sentences[0], child):
        return False
    wanted = set(others)
    if not any(w[:1].isupper() and f in wanted for w, f in zip(first, folded)):
        return False
    deciding = [s for s in sentences if any(_word_pattern(k).search(s) for k in keywords)]
    if not deciding:
        return False
    for sentence in deciding:
        words = [w.casefold() for w in _NAME_WORD.findall(sentence)]
        if child and child in words and any(_word_pattern(w).search(sentence) for w in safeguarding):
            return False
    return True


#: words after the child's name saying the child was there ("Tyrese present", "Tyrese was also present")
_PRESENT_AFTER = re.compile(r"\s*(?:(?:was|were|is|also|too)\s+){0,2}(?:present|there)\b", re.I)


def _only_present(sentence: str, child: str) -> bool:
    """Is every mention of the child (given name `child`) in `sentence` one saying the child was there ("Warrant
    executed for Kyle Hollins (brother) at the family home, Tyrese present", "Tyrese was also present when Kyle
    Hollins was arrested": `_PRESENT_AFTER`)? The record is still the other person's. Not "at home" (as
    `ingest.identity` reads presence): "assaulted Tyrese at home" harmed the child."""
    found = False
    for match in re.finditer(r"(?<!\w)" + re.escape(child) + r"(?!\w)", sentence, re.I):
        if not _PRESENT_AFTER.match(sentence, match.end()):
            return False
        found = True
    return found


def _other_subject_rows(ctx: Context, mask: np.ndarray, keywords) -> np.ndarray:
    """Per timeline row: is a row of `mask` (decisions by their words) one of `other_subject_decision`, with its
    case's people and child (`subject_names`) and the `decision_other_subject_safeguarding_words` setting? Each
    distinct (case, description, action) read once, only of the cases naming other people."""
    tl = ctx.timeline
    out = np.zeros(len(tl), dtype=bool)
    people, names = ctx.extra.get("people") or [], ctx.extra.get("child_names") or []
    safeguarding = tuple(str(w) for w in ctx.settings.get("decision_other_subject_safeguarding_words") or ())
    named = [subject_names(p, names[i] if i < len(names) else None) for i, p in enumerate(people)]
    with_others = np.array([bool(n[0]) for n in named] + [False], dtype=bool)
    if not with_others.any() or not keywords:
        return out
    case = tl["_case"].to_numpy(dtype="int64")
    pos = np.flatnonzero(mask & with_others[np.where(case < 0, len(named), case)])
    if len(pos):
        pos = pos[_rows_matching(ctx, pos, sorted({w for n in named for w in n[0]}))]
    if not len(pos):
        return out
    (d_codes, d_uniques), (a_codes, a_uniques) = _texts(ctx, "description"), _texts(ctx, "action")
    d, a = d_codes[pos].astype("int64"), a_codes[pos].astype("int64")
    inverse, _ = pd.factorize((case[pos] * (len(d_uniques) + 1) + d) * (len(a_uniques) + 1) + a)
    found = np.array([other_subject_decision(str(d_uniques[d[i]]) + " . " + str(a_uniques[a[i]]),
                                             *named[case[pos[i]]], safeguarding, keywords)
                      for i in _first_of_each(inverse)], dtype=bool)
    out[pos] = found[inverse]
    return out


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
    health_rows, health_words = _health_decisions(ctx)
    if keywords or home or suit_words or health_words:
        text = (rows["description"].fillna("").astype(str) + " . " + rows["action"].fillna("").astype(str))
        where = rows.index if positions is None else positions
        numbers, keys = row_vocabs(ctx)
        vocab = [keys[v] for v in numbers[np.asarray(where, dtype="int64")]]
        negations, others = _decision_negations(settings), _decision_others(settings)
        # a return home's words only where they can be a decision (`_return_home_rows`)
        homely = _return_home_rows(ctx)[np.asarray(where, dtype="int64")] if home else np.zeros(len(rows), dtype=bool)
        suited = suit_rows[np.asarray(where, dtype="int64")] if suit_words else np.zeros(len(rows), dtype=bool)
        healthy = health_rows[np.asarray(where, dtype="int64")] if health_words else np.zeros(len(rows), dtype=bool)
        # (a home education team's judgement, a health decision, are read as the mask reads them: not filtered by
        # `others`)
        found = pd.Series([_first_decision_word(t, (keywords + home if h else keywords) + (suit_words if s else [])
                                                + (health_words if hd else []), negations, v, others,
                                                frozenset(home) | frozenset(suit_words) | frozenset(health_words))
                           for t, v, h, s, hd in zip(text, vocab, homely, suited, healthy)],
                          index=rows.index, dtype=object)
        # a home education team's judgement is labelled as one, whichever of its words it used; a health
        # decision as a discharge or a treatment decision
        found = found.where(~found.isin([w.lower() for w in suit_words]), SUITABILITY_LABEL)
        found = found.map(lambda w: health_decision_labels(settings).get(w, w) if isinstance(w, str) else w)
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


@functools.lru_cache(maxsize=4096)  # (s22) more than 64 decision keywords now: a smaller cache thrashed
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
    police). A run with no word of the name names nothing: a bare "from school" is not read as Kingsway Academy;
    (s21) a run of the name's words that is itself a `sharing_recipients` word reaching the agency names it ("from
    police": Westshire Police; before s21 "from police" named none). (s21) A receipt without "from" (`_receipt_names`: "Police notification received re DA
    incident" in social care's record) names its sender too when the agency is named in its clause.
    `vocab`: compiled, or None for the package vocabulary."""
    if not text or not agency:
        return False
    v = _negating_vocab((), "") if vocab is None else vocab
    tokens = v.tokens(str(text))
    if "from" not in tokens and RECEIPT_WORDS.isdisjoint(tokens):
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
        # a recipient word straight after the run, or (s21) one the run's own words start ("from police":
        # Westshire Police, as "Police notification received" names it, `_receipt_names`)
        words = [(a, word) for a, _, word in v._sharing_words.find(tokens[start:j + 4]) if a <= j - start]
        if words:
            if any(informed_reaches(v.sharing_recipients[w], str(agency), str(kind or ""), v) for _, w in words):
                return True
            continue
        if kind and kind == receiver_kind:
            return True
    return _receipt_names(tokens, name, cues, agency, kind, receiver_kind, v)


#: (s21) words recording a message's receipt: with one, a clause naming the sender without "from" records what
#: the sender sent ("Police notification received re DA incident": `_receipt_names`); the rows the sender
#: readings look at say "from" or one of these
RECEIPT_WORDS = frozenset({"received", "receipt", "recd"})
#: the words a row's text must hold for `names_sender` to read it (a prefilter)
SENDER_TEXT_WORDS = ("from", "received", "receipt", "recd")
#: a name straight after one of these, or followed within three words by one of the `_RECIPIENT_AFTER`, is a
#: recipient, not the sender ("..., police informed", "copy to police")
_RECIPIENT_BEFORE = frozenset({"to", "with", "cc", "ccd", "copied", "informed", "notified", "updated", "emailed",
                               "phoned", "rang", "telephoned", "faxed", "contacted", "advised", "told"})
_RECIPIENT_AFTER = frozenset({"informed", "notified", "updated", "aware", "copied", "advised", "told", "contacted"})


def _receipt_names(tokens, name: set, cues: set, agency, kind, receiver_kind, v) -> bool:
    """(s21) Does a clause of `tokens` (a row of an agency of `receiver_kind`) with no "from" record receiving
    what `agency` (of `kind`, its name's words `name`) sent? The clause holds one of `RECEIPT_WORDS` and another
    of `cues` (notification, referral, email, PPN) and names the agency where a sender stands, not as a recipient
    (`_RECIPIENT_BEFORE`, `_RECIPIENT_AFTER`: "..., police informed"), as `names_sender` reads the words after
    "from": a run of its name's words that is the whole name, or that starts or is followed by a
    `sharing_recipients` word reaching it ("Police notification received re DA incident" in social care's record
    is the police's notification), or, with no such word, a run naming an agency of the receiving agency's kind
    ("Eastshire transfer-in notification received"). A run with no word of the name names nothing ("School email
    received" names no Kingsway Academy)."""
    bounds = [-1] + [i for i, t in enumerate(tokens) if t.startswith("|")] + [len(tokens)]
    for lo, hi in zip(bounds, bounds[1:]):
        clause = tokens[lo + 1:hi]
        if "from" in clause or RECEIPT_WORDS.isdisjoint(clause) or not any(t in cues and t not in RECEIPT_WORDS for t in clause):
            continue
        labels = {a: w for a, _, w in v._sharing_words.find(clause)}
        i = 0
        while i < len(clause):
            j = i
            while j < len(clause) and clause[j] in name:
                j += 1
            if j == i:  # no word of the agency's name here ("School email received" names no Kingsway Academy)
                i += 1
                continue
            # a recipient word the run starts or straight after it ("Police", "Eastshire CSC")
            found = [w for a, w in labels.items() if i <= a <= j]
            end = max([j] + [a + len(w.split()) for a, w in labels.items() if i <= a <= j])
            recipient = (i and clause[i - 1] in _RECIPIENT_BEFORE) or not _RECIPIENT_AFTER.isdisjoint(
                clause[end:end + 3])
            # a recipient word alone naming an agency of the receiving agency's own kind names the receiver as
            # well ("Social care referral received" in social care's record): not one particular other agency
            covered = {k for a, w in labels.items() if i <= a <= j for k in range(a, a + len(w.split()))}
            if kind and kind == receiver_kind and all(k in covered for k in range(i, j)):
                recipient = True
            if not recipient and (
                    name <= set(clause[i:j])
                    or any(informed_reaches(v.sharing_recipients[w], str(agency), str(kind or ""), v) for w in found)
                    or (not found and kind and kind == receiver_kind)):
                return True
            i = end
    return False


def knowledge_pairs(ctx: Context, window_days: int, tags, referral_escalations, referral_reaches_kinds,
                    families: dict | None = None, sender_cues=(), event_tags=(), injury_tags=(),
                    same_injury_days=None, injury_episode=None, new_agency_days=None, suspect=None,
                    pending=None, meeting_escalations=(), own_episode=None) -> pd.DataFrame:
    """One row per (decision, earlier concern row, concern tag): d_index and c_index (timeline index),
    tag, known (the concern had reached the deciding agency), c_agency, d_agency. `families` ({tag: tag}):
    tags read as the one they map to when asking what reached the agency (relationship_abuse: domestic_abuse,
    the same concern whichever of the two each agency's words gave it). `sender_cues`: a concern row whose
    text records the information coming from the deciding agency (`names_sender`: "Transfer-in notification
    from Eastshire received") reached it: the agency held it.

    `event_tags`: concerns that are events (an injury, a missed appointment, a missing episode): one is known
    to the deciding agency only when that record reached it (its own record, a linked record of the same
    event, its informed agencies, a referral, a sender) or, a record of one of `injury_tags`, when the agency
    recorded the same injury itself (`same_injury_rows`): not when it recorded another injury with the same
    tag. The other tags are conditions (neglect, domestic abuse, a parent's mental health): known when any
    record of the tag (or of its family) reached the agency, its own included. `injury_episode`: the
    escalations and meetings that are records of an injury already recorded (`same_injury_links`).

    A decision recorded by several agencies (the conference each attending agency recorded, linked in one
    event group) is made with what any of them held: a concern that had reached one of them had reached it.

    `new_agency_days`: a decision made at most this many days after the deciding agency's first record of the
    child (a new referral, a transfer in, a child withdrawn to home education) is asked about the `window_days`
    before that first record too: what was known when the agency took the child on is what it had to be told.

    `suspect` ({"tags", "keywords", "negations"}): a record of one of those tags whose words reach the level to
    suspect neglect (neglect_not_escalated's `suspect_keywords`: "eating food from bins", "below the 2nd
    centile") is an event for those tags: known only when that record reached the agency, not because the
    agency had recorded the tag before ("weight loss, hunger" in its referral a month earlier).

    `pending` ({"cues", "words"}, `pending_rows`): a record saying its information is still to come ("PNC/ViSOR
    information to follow to CSC", "checks awaited") is an event (each of its tags), and it did not reach
    another agency by itself, its link, its informed agencies or its own escalation (the strategy discussion it
    records): only by a later record sending it (its agency's later row informing the agency, or a referral
    escalation of it reaching social care) or the agency's record of receiving it (`names_sender`), by the
    decision (`_delivered`). Column ``pending``: the concern row is such a record.

    `meeting_escalations` (strategy_discussion): a meeting shares its participants' records among them. A
    deciding agency that held one of these (held, exact-dated) from its window's start to the decision knew
    what had reached any other agency holding one the same day, by the meeting's day: that agency's own
    records and those sent to it (linked, informed, sent, received, an escalation on the record itself; not an
    earlier record of a referrer that its later referral did not carry, `_with_meetings`).

    `own_episode` ({"words", "tags", "days"}, s20 openref): a concern row whose text mentions one of the words
    (a return home interview) reached a deciding agency that itself recorded an episode of one of the tags
    (missing) on an exact day in the `days` up to the row's day: it is the record of that agency's own episode
    (`_own_episode`)."""
    tl = ctx.timeline
    decisions = rows_of(ctx, decision_mask(ctx), ["_case", "_day", "_agency", "agency", "agency_kind", "_gcode"])
    cols = ["d_index", "c_index", "tag", "known", "c_agency", "d_agency", "pending"]
    if decisions.empty:
        return pd.DataFrame(columns=cols)
    # a decision several agencies recorded (a conference, each agency's record of it in one event group): what
    # any of them held was before the meeting. Each of the others is asked as a decider too (`_own` False)
    decisions["lo"] = decisions["_day"] - window_days * DAY
    decisions["hi"] = decisions["_day"]
    if new_agency_days is not None:
        decisions = _with_first_record_windows(ctx, decisions, window_days, int(new_agency_days))
    decisions = _with_co_deciders(ctx, decisions)
    decisions = _with_meetings(ctx, decisions, meeting_escalations)
    # a concern by the child's age alone (settings.age_bound_tags: sexual_activity) only at those ages
    # (`counted_concerns`): a 17-year-old's contraception visit is no concern an agency deciding had to know
    has, counted = _counted_tag_rows(ctx, tags)
    concerns = rows_of(ctx, has, ["_case", "_start", "_end", "_exact", "_gcode", "_agency", "agency", "escalation", "informed_agencies", "concerns"])
    concerns = concerns.assign(pos=concerns.index)
    if counted is not None:
        concerns["concerns"] = pd.array(counted[np.flatnonzero(has)], dtype="string")
    pairs = window_pairs(ctx, decisions, concerns, "lo", "hi")
    before = np.where(pairs["e__exact"], pairs["e_pos"] <= pairs["t_index"], pairs["e__end"] < pairs["_day"])
    pairs = pairs[before]
    if pairs.empty:
        return pd.DataFrame(columns=cols)
    # a record whose information is still to come ("PNC/ViSOR information to follow"): see `pending` above
    promising = pending_rows(ctx, **(pending or {}))
    pend = promising[pairs["e_pos"].to_numpy(dtype="int64")]
    own = pairs["_own"].to_numpy(dtype=bool)
    meeting = pairs["_meeting"].to_numpy(dtype=bool)
    # 1. the deciding agency's own record (any of its rows in the window carrying the tag: see below); a
    # promise of its own is no information it gave another agency deciding with it (a conference, a meeting)
    same = (pairs["e__agency"] == pairs["_agency"]) & ~pd.Series(pend & ~own, index=pairs.index)
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
        # (a participant of a meeting holds, of a referrer's records, the one its referral was made on: the
        # referral on the record's own day, `_with_meetings`)
        deadline = pairs["_day"].where(~meeting, pairs["e__start"])
        probe = pd.DataFrame(
            {"_case": pairs["_case"], "_agency": pairs["e__agency"], "anchor": pairs["e__start"], "deadline": deadline}
        )[to_kind]
        # a strategy discussion / conference that did not take place ("Strategy discussion cancelled", its
        # escalation cell filled anyway) took nothing to social care (`held_escalations`)
        hit = first_response(ctx, probe, held_escalations(ctx, referral_escalations), same_agency=True)["timely"]
        referred[to_kind] = hit.to_numpy()
    # a promise is not the information: its own link, informed agencies and escalation did not carry it
    reached = same.to_numpy() | (~pend & (linked | told.to_numpy() | referred.to_numpy()))
    # 5. A's row records the information sent to it by the deciding agency (a receipt, a notification from it)
    if len(sender_cues) and (~reached).any():
        reached |= _sent_by_decider(ctx, pairs, ~reached, tuple(str(c) for c in sender_cues))

    # 5b. (s20, openref) A's record of the deciding agency's own episode: social care's return home interview
    # after the police's own missing report (`_own_episode`)
    if own_episode and (~reached).any():
        reached |= _own_episode(ctx, pairs, ~reached, **own_episode)

    # 6. an injury the deciding agency recorded itself: the same injury in other words (`same_injury_rows`)
    if len(event_tags) and len(injury_tags) and (~reached).any():
        reached |= _same_injury(ctx, pairs, ~reached, injury_tags, same_injury_days, injury_episode)
    # 7. the deciding agency recorded receiving it: a row of its own, from the concern's day to the decision,
    # naming the concern's agency as its sender and a concern of the same kind ("Letter from community dental
    # service: was not brought"; `names_sender`)
    if len(event_tags) and len(sender_cues) and (~reached).any():
        reached |= _received_from(ctx, pairs, ~reached, tags, families, tuple(str(c) for c in sender_cues))
    # 8. a promise is met by a later record sending it or the agency's record of receiving it (`_delivered`)
    if pend.any() and (pend & ~reached).any():
        reached |= _delivered(ctx, pairs, pend & ~reached, promising, referral_escalations, referral_reaches_kinds,
                              tuple(str(c) for c in sender_cues))
    # what reached any agency at the decision reached the decision; then one row per (decision, concern row)
    if not own.all():
        key = pairs["t_index"].to_numpy(dtype="int64") * (len(tl) + 1) + pairs["e_pos"].to_numpy(dtype="int64")
        codes, _ = pd.factorize(key)
        reached = (np.bincount(codes, weights=reached, minlength=int(codes.max()) + 1) > 0)[codes]
        pairs, reached, pend = pairs[own], reached[own], pend[own]

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
            "pending": pend,
        }
    )
    long = _explode_tags(long, tags)
    # a condition is known to the deciding agency when any record of it had reached the agency (its own
    # included); an event (`event_tags`) when that record had
    long["family"] = long["tag"].map(families).fillna(long["tag"]) if families else long["tag"]
    known = long.loc[long["reached"], ["d_index", "family"]].drop_duplicates().assign(tag_known=True)
    long = long.merge(known, on=["d_index", "family"], how="left")
    long["known"] = long["tag_known"].fillna(False).astype(bool)
    # a record of its own (`suspect`: words to suspect neglect; `pending`: information still to come) is an
    # event too: known when that record had reached the agency
    event = long["tag"].isin([str(t) for t in event_tags]).to_numpy(dtype=bool) | long["pending"].to_numpy(dtype=bool)
    if suspect and suspect.get("keywords") and suspect.get("tags"):
        said = suspect_rows(ctx, **suspect)[long["c_index"].to_numpy(dtype="int64")]
        event |= said & long["tag"].isin([str(t) for t in suspect["tags"]]).to_numpy(dtype=bool)
    if event.any():
        long["known"] = np.where(event, long["reached"].to_numpy(dtype=bool), long["known"].to_numpy(dtype=bool))
    return long[cols].reset_index(drop=True)


#: where a sentence of a row's text ends, for `promised` (its description and action are read as
#: "description . action")
_SENTENCE_END = re.compile(r"(?<=[.;!?])\s+|\n+|\s+[-\u2013\u2014]+\s+")


def promised(text: str, cues, words, vocab=None) -> str:
    """The first sentence of `text` saying information is still to come: one of `cues` ("to follow",
    "awaited", "will be sent") and one of `words` (information, checks, report) in one sentence ("PNC/ViSOR
    information to follow to CSC"; not "Return home interview requested", "ABE interview to be arranged"),
    stripped of its closing stop, else "". `vocab`: compiled, or None for the package vocabulary."""
    cues, words = tuple(str(c) for c in cues or ()), tuple(str(w) for w in words or ())
    if not text or not cues or not words:
        return ""
    v = _negating_vocab((), "") if vocab is None else vocab
    for sentence in _SENTENCE_END.split(str(text)):
        tokens = v.tokens(sentence)
        if _phrases(cues).find(tokens) and _phrases(words).find(tokens):
            return sentence.strip().rstrip(" .;").strip()
    return ""


def pending_rows(ctx: Context, cues=(), words=()) -> np.ndarray:
    """Per timeline row: does its text say its information is still to come (`promised`)? Only rows with a
    concern are read, each distinct (case vocabulary, description, action) once; kept in the context."""
    key = ("pending rows", tuple(map(str, cues or ())), tuple(map(str, words or ())))
    if key not in ctx.extra:
        out = np.zeros(len(ctx.timeline), dtype=bool)
        if cues and words:
            pos = np.flatnonzero(ctx.timeline["concerns"].notna().to_numpy(dtype=bool))
            pos = pos[_rows_matching(ctx, pos, list(map(str, cues)))] if len(pos) else pos
            if len(pos):
                out[pos] = read_row_texts(ctx, pos, lambda text, v: bool(promised(text, cues, words,
                                                                                 _negating_vocab((), v))),
                                          dtype=bool)
        ctx.extra[key] = out
    return ctx.extra[key]


def promised_text(ctx: Context, positions, cues=(), words=()) -> list[str]:
    """`promised` of the timeline rows at `positions` (their description and action, their case's vocabulary)."""
    pos = np.asarray(positions, dtype="int64")
    if not len(pos):
        return []
    return list(read_row_texts(ctx, pos, lambda text, v: promised(text, cues, words, _negating_vocab((), v))))


def suspect_rows(ctx: Context, tags=(), keywords=(), negations=()) -> np.ndarray:
    """Per timeline row: is it tagged one of `tags` and does its text mention one of `keywords` (not negated,
    `negations` after them), as neglect_not_escalated reads its `suspect_keywords`? Kept in the context."""
    key = ("suspect rows", tuple(map(str, tags or ())), tuple(map(str, keywords or ())),
           tuple(map(str, negations or ())))
    if key not in ctx.extra:
        out = np.zeros(len(ctx.timeline), dtype=bool)
        if tags and keywords:
            out = text_mentions(ctx, ctx.tags(list(tags)).to_numpy(dtype=bool), list(keywords),
                                tuple(map(str, negations or ()))).to_numpy(dtype=bool)
        ctx.extra[key] = out
    return ctx.extra[key]


def _delivered(ctx: Context, pairs: pd.DataFrame, open_: np.ndarray, promising: np.ndarray, referral_escalations,
               referral_reaches_kinds, cues: tuple) -> np.ndarray:
    """Per pair of `pairs` (among `open_`, their concern row a promise: `pending_rows`): was the promised
    information sent to the pair's agency, from the promise's day to the decision (its row; a meeting's day
    for a meeting's participant), by a record that is no promise itself? A later row of the promising agency
    whose informed agencies reach the agency, or (the agency of `referral_reaches_kinds`) that is a held
    escalation of `referral_escalations`; or a row of the agency naming the promising agency as the sender
    of what it records (`names_sender`, `cues`)."""
    tl = ctx.timeline
    out = np.zeros(len(pairs), dtype=bool)
    at = np.flatnonzero(open_)
    if not len(at):
        return out
    days = tl["_day"].to_numpy(dtype="datetime64[D]")
    dated = ~np.isnat(days) & ~promising
    c_pos = pairs["e_pos"].to_numpy(dtype="int64")[at]
    probe = pd.DataFrame({"i": at, "_case": pairs["_case"].to_numpy()[at], "c_pos": c_pos,
                          "c_gcode": tl["_gcode"].to_numpy()[c_pos],
                          "d_pos": pairs["t_index"].to_numpy(dtype="int64")[at],
                          "deadline": pairs["_day"].to_numpy(dtype="datetime64[D]")[at],
                          "from_agency": pairs["e__agency"].to_numpy()[at], "to_agency": pairs["_agency"].to_numpy()[at],
                          "to_name": pairs["agency"].astype(object).fillna("").to_numpy(dtype=object)[at],
                          "to_kind": pairs["agency_kind"].astype(object).fillna("").to_numpy(dtype=object)[at]})

    def candidates(mask, on):
        rows = np.flatnonzero(mask & dated)
        found = probe.merge(pd.DataFrame({"_case": tl["_case"].to_numpy()[rows], on: tl["_agency"].to_numpy()[rows],
                                          "x_pos": rows}), on=["_case", on])
        x = found["x_pos"].to_numpy(dtype="int64")
        keep = ((days[x] >= days[found["c_pos"].to_numpy(dtype="int64")]) & (days[x] <= found["deadline"].to_numpy())
                & (x <= found["d_pos"].to_numpy(dtype="int64"))
                & (tl["_gcode"].to_numpy()[x] != found["c_gcode"].to_numpy()))
        return found[keep]

    # a later record of the promising agency sending it: informed agencies, or a referral reaching social care
    informed = tl["informed_agencies"].notna().to_numpy(dtype=bool)
    escalated = held_escalations(ctx, referral_escalations).to_numpy(dtype=bool)
    sent = candidates(informed | escalated, "from_agency")
    if not sent.empty:
        x = sent["x_pos"].to_numpy(dtype="int64")
        hit = _informed(pd.Series(tl["informed_agencies"].to_numpy()[x], dtype=object),
                        pd.Series(sent["to_name"].to_numpy(), dtype=object),
                        pd.Series(sent["to_kind"].to_numpy(), dtype=object))
        hit |= escalated[x] & np.isin(sent["to_kind"].to_numpy(), list(map(str, referral_reaches_kinds or ())))
        out[np.unique(sent["i"].to_numpy()[hit])] = True
    # the agency's record of receiving it from the promising agency ("PNC information received from Westmere
    # Police")
    if cues and (open_ & ~out).any():
        said_from = np.zeros(len(tl), dtype=bool)
        rows = np.flatnonzero(dated)
        said_from[rows[_rows_matching(ctx, rows, list(SENDER_TEXT_WORDS))]] = True
        got = candidates(said_from, "to_agency")
        got = got[~out[got["i"].to_numpy()]]
        if not got.empty:
            x = got["x_pos"].to_numpy(dtype="int64")
            c = got["c_pos"].to_numpy(dtype="int64")
            agency = tl["agency"].astype(object).fillna("").to_numpy(dtype=object)
            kinds = tl["agency_kind"].astype(object).fillna("").to_numpy(dtype=object)
            vocab = _negating_vocab((), "")
            texts = read_row_texts(ctx, x, lambda text, v: text)
            hit = np.array([names_sender(t, a, k, r, cues, vocab)
                            for t, a, k, r in zip(texts, agency[c], kinds[c], kinds[x])], dtype=bool)
            out[np.unique(got["i"].to_numpy()[hit])] = True
    return out


def _with_meetings(ctx: Context, decisions: pd.DataFrame, kinds) -> pd.DataFrame:
    """`decisions` and, for each decision whose agency held a meeting (a held, exact-dated escalation of
    `kinds`: a strategy discussion) from its window's start to the decision's row, a row per other agency
    holding one in the same case the same day (its ``_agency``, agency and agency_kind; window up to the
    meeting's day, ``_day`` the meeting's day) with ``_own`` False and ``_meeting`` True: what had reached a
    participant by the meeting reached the deciding agency."""
    tl = ctx.timeline
    kinds = [str(k) for k in kinds or ()]
    if not kinds:
        return decisions
    held = held_escalations(ctx, kinds).to_numpy(dtype=bool) & tl["_exact"].to_numpy(dtype=bool)
    rows = np.flatnonzero(held)
    if not len(rows):
        return decisions
    meetings = pd.DataFrame({"_case": tl["_case"].to_numpy()[rows], "m_day": tl["_day"].to_numpy()[rows],
                             "_agency": tl["_agency"].to_numpy()[rows], "m_pos": rows})
    own = decisions[decisions["_own"].to_numpy(dtype=bool)]
    mine = pd.DataFrame({"t": own.index.to_numpy(), "_case": own["_case"].to_numpy(), "_agency": own["_agency"].to_numpy(),
                         "lo": own["lo"].to_numpy(), "hi": own["hi"].to_numpy()}).merge(meetings, on=["_case", "_agency"])
    mine = mine[(mine["m_day"] >= mine["lo"]) & (mine["m_day"] <= mine["hi"])
                & (mine["m_pos"].to_numpy() <= mine["t"].to_numpy())]
    if mine.empty:
        return decisions
    others = meetings.assign(agency=tl["agency"].to_numpy()[rows], agency_kind=tl["agency_kind"].to_numpy()[rows])
    others = others.drop(columns="m_pos").drop_duplicates(["_case", "m_day", "_agency"])
    ext = mine.drop(columns=["m_pos", "_agency"]).drop_duplicates(["t", "m_day"]).merge(
        others, on=["_case", "m_day"])
    deciding = own["_agency"][~own.index.duplicated()]
    ext = ext[ext["_agency"].to_numpy() != deciding.reindex(ext["t"].to_numpy()).to_numpy()]
    if ext.empty:
        return decisions
    base = decisions.loc[ext["t"].to_numpy()]
    base = base[base["_own"].to_numpy(dtype=bool)]
    base = base[~base.index.duplicated()].reindex(ext["t"].to_numpy())
    extra = base.assign(_agency=ext["_agency"].to_numpy(), agency=ext["agency"].to_numpy(),
                        agency_kind=ext["agency_kind"].to_numpy(), hi=ext["m_day"].to_numpy(),
                        _day=ext["m_day"].to_numpy(), _own=False, _meeting=True)
    for c in decisions.columns:
        extra[c] = extra[c].astype(decisions[c].dtype)
    return pd.concat([decisions, extra])


def _with_first_record_windows(ctx: Context, decisions: pd.DataFrame, window_days: int,
                               new_agency_days: int) -> pd.DataFrame:
    """`decisions` (window ``lo``..``hi``) and, for each decision made at most `new_agency_days` after the
    deciding agency's first record of the child (its earliest day in the case), a second row (the same index)
    whose window is the `window_days` before that first record, up to the day before it or before the
    decision's own window: the concerns known when the agency took the child on."""
    tl = ctx.timeline
    first = pd.DataFrame({"_case": tl["_case"].to_numpy(), "_agency": tl["_agency"].to_numpy(),
                          "first": tl["_day"].to_numpy()}).groupby(["_case", "_agency"], sort=False)["first"].min()
    at = pd.MultiIndex.from_arrays([decisions["_case"].to_numpy(), decisions["_agency"].to_numpy()])
    start = pd.Series(first.reindex(at).to_numpy(), index=decisions.index).astype(decisions["_day"].dtype)
    new = ((decisions["_day"] - start) <= new_agency_days * DAY).fillna(False).to_numpy(dtype=bool, copy=True)
    lo = start - window_days * DAY
    hi = pd.concat([start, decisions["lo"]], axis=1).min(axis=1) - DAY
    new &= (hi >= lo).fillna(False).to_numpy(dtype=bool)
    if not new.any():
        return decisions
    extra = decisions[new].assign(lo=lo[new].to_numpy(), hi=hi[new].to_numpy())
    return pd.concat([decisions, extra])


def _with_co_deciders(ctx: Context, decisions: pd.DataFrame) -> pd.DataFrame:
    """`decisions` with ``_own`` True, then, for each decision in an event group with rows of other agencies, a
    row per other agency (its ``_agency``, agency and agency_kind; the decision's index and other columns, its
    window included) with ``_own`` False."""
    tl = ctx.timeline
    decisions = decisions.assign(_own=True, _meeting=False)
    several = group_sizes(ctx)[decisions["_gcode"].to_numpy()] > 1
    if not several.any():
        return decisions
    gcode = tl["_gcode"].to_numpy()
    at = np.flatnonzero(np.isin(gcode, decisions["_gcode"].to_numpy()[several]))
    members = pd.DataFrame({"_gcode": gcode[at], "_agency": tl["_agency"].to_numpy()[at],
                            "agency": tl["agency"].to_numpy()[at], "agency_kind": tl["agency_kind"].to_numpy()[at]}
                           ).drop_duplicates(["_gcode", "_agency"])
    d = decisions[several]
    ext = pd.DataFrame({"t": d.index.to_numpy(), "own_agency": d["_agency"].to_numpy(),
                        **{c: d[c].to_numpy() for c in d.columns
                           if c not in ("_agency", "agency", "agency_kind", "_own", "_meeting")}}
                       ).merge(members, on="_gcode")
    ext = ext[ext["_agency"].to_numpy() != ext["own_agency"].to_numpy()]
    if ext.empty:
        return decisions
    others = pd.DataFrame({c: ext[c].to_numpy() for c in decisions.columns if c not in ("_own", "_meeting")},
                          index=pd.Index(ext["t"].to_numpy(), name=decisions.index.name)).assign(_own=False,
                                                                                                _meeting=False)
    for c in decisions.columns:
        others[c] = others[c].astype(decisions[c].dtype)
    return pd.concat([decisions, others])


def same_injury_links(ctx: Context, injury_tags, within_days, injury_episode=None) -> np.ndarray:
    """(k, 2) event group codes of the pairs of injury records (exact-dated event groups with a row of
    `injury_tags`, `episodes._group_readings`) that record the same injury: one a record of the other as the
    injury rules read it (`episodes.earlier_injury`: a follow-up, "fading", its date, the same body region in
    plainer words), or both dated at most `within_days` apart with an injury tag in common and a body region
    in common, or one naming none ("small bruise to left cheek" and "bruising L cheek" by two agencies on the
    same day). Each pair once, (earlier, later); kept in the context."""
    from .episodes import _group_readings, earlier_injury

    episode = dict(injury_episode or {})
    key = ("same injury links", tuple(map(str, injury_tags)), within_days, repr(sorted(episode.items())))
    if key in ctx.extra:
        return ctx.extra[key]
    g = _group_readings(ctx, [str(t) for t in injury_tags])
    n = len(g["first"])
    links = [np.zeros((0, 2), dtype="int64")]
    if n:
        kinds = list(episode.get("escalations") or ())
        window = episode.get("escalation_window_days")
        earlier = earlier_injury(ctx, pd.DataFrame(index=g["first"]), [str(t) for t in injury_tags],
                                 escalation_kinds=kinds if window is not None else (), record_kinds=kinds,
                                 meeting_types=list(episode.get("meeting_types") or ()),
                                 escalation_window_days=window, episode_window_days=episode.get("window_days"))
        has = earlier >= 0
        gcode = ctx.timeline["_gcode"].to_numpy()
        links.append(np.stack([gcode[earlier[has]], g["gcode"][has]], axis=1).astype("int64"))
    if n and within_days is not None and int(within_days) >= 0:
        w = int(within_days)
        span = int(g["day"].max() - g["day"].min()) + w + 1 if n else 1
        key_day = g["case"].astype("int64") * span + (g["day"] - g["day"].min())
        order = np.argsort(key_day, kind="stable")
        sorted_key = key_day[order]
        hi = np.searchsorted(sorted_key, sorted_key + w, side="right")
        counts = hi - np.arange(n) - 1
        i = np.repeat(np.arange(n), counts)
        j = i + 1 + (np.arange(counts.sum()) - np.repeat(np.cumsum(counts) - counts, counts))
        a, b = order[i], order[j]
        sites_a, sites_b = g["sites"][a], g["sites"][b]
        same = (((g["tags"][a] & g["tags"][b]) != 0)
                & ((sites_a == 0) | (sites_b == 0) | ((sites_a & sites_b) != 0)))
        a, b = a[same], b[same]
        # (earlier, later) by (day, first row)
        swap = (g["day"][b] < g["day"][a]) | ((g["day"][b] == g["day"][a]) & (g["first"][b] < g["first"][a]))
        first, second = np.where(swap, b, a), np.where(swap, a, b)
        links.append(np.stack([g["gcode"][first], g["gcode"][second]], axis=1).astype("int64"))
    out = np.unique(np.concatenate(links), axis=0)
    out = out[out[:, 0] != out[:, 1]]
    ctx.extra[key] = out
    return out


def same_injury_episodes(ctx: Context, injury_tags, within_days, injury_episode=None) -> tuple[np.ndarray, np.ndarray]:
    """(event group codes, their episode): the injury records joined by `same_injury_links`, a chain of them
    one injury (connected components: the grandmother's photos of a black eye, social care's visit seeing
    "bruising to eye fading", the nursery's "fading black eye" three days on). Sorted by group code; only
    the groups joined to another."""
    from ..timeline import connected_components

    key = ("same injury episodes", tuple(map(str, injury_tags)), within_days, repr(sorted((injury_episode or {}).items())))
    if key not in ctx.extra:
        links = same_injury_links(ctx, injury_tags, within_days, injury_episode)
        groups, inverse = np.unique(links.reshape(-1), return_inverse=True)
        inverse = inverse.reshape(-1, 2)
        labels = connected_components(len(groups), inverse[:, 0], inverse[:, 1]) if len(groups) else inverse[:0, 0]
        ctx.extra[key] = (groups.astype("int64"), np.asarray(labels, dtype="int64"))
    return ctx.extra[key]


def _same_injury(ctx: Context, pairs: pd.DataFrame, open_: np.ndarray, injury_tags, within_days,
                 injury_episode=None) -> np.ndarray:
    """Per pair of `pairs` (among `open_`): had the deciding agency recorded the concern row's injury itself
    by the decision (`same_injury_episodes`)? Its earliest row in a group of the concern's episode at or
    before the decision's row."""
    tl = ctx.timeline
    out = np.zeros(len(pairs), dtype=bool)
    groups, episode = same_injury_episodes(ctx, injury_tags, within_days, injury_episode)
    if not len(groups):
        return out
    gcode = tl["_gcode"].to_numpy().astype("int64")
    at = np.flatnonzero(np.isin(gcode, groups))
    rows = pd.DataFrame({"episode": episode[np.searchsorted(groups, gcode[at])],
                         "_agency": tl["_agency"].to_numpy()[at], "x_pos": at})
    rows = rows.groupby(["episode", "_agency"], sort=False, as_index=False)["x_pos"].min()
    c_group = pairs["e__gcode"].to_numpy().astype("int64")
    where = np.minimum(np.searchsorted(groups, c_group), len(groups) - 1)
    joined = open_ & (groups[where] == c_group)
    if not joined.any():
        return out
    probe = pd.DataFrame({"episode": episode[where[joined]], "_agency": pairs["_agency"].to_numpy()[joined]})
    found = probe.merge(rows, on=["episode", "_agency"], how="left")["x_pos"].to_numpy(dtype="float64")
    d_pos = pairs["t_index"].to_numpy(dtype="float64")[joined]
    out[joined] = ~np.isnan(found) & (found <= d_pos)
    return out


def event_knowledge(params: dict) -> dict:
    """`knowledge_pairs`' keyword arguments for the concerns that are events, from information_not_shared's
    params (`event_tags`, `injury_tags`, `same_injury_days`, the `suspect_*` words, the `pending_*` words),
    and the meetings that share what their participants held (`meeting_escalations`)."""
    return {"event_tags": tuple(map(str, params.get("event_tags") or ())),
            "injury_tags": tuple(map(str, params.get("injury_tags") or ())),
            "same_injury_days": params.get("same_injury_days"),
            "new_agency_days": params.get("new_agency_days"),
            "injury_episode": {"escalations": tuple(map(str, params.get("episode_escalations") or ())),
                               "escalation_window_days": params.get("episode_escalation_window_days"),
                               "meeting_types": tuple(map(str, params.get("episode_meeting_types") or ())),
                               "window_days": params.get("episode_window_days")},
            "suspect": {"tags": tuple(map(str, params.get("suspect_tags") or ())),
                        "keywords": tuple(map(str, params.get("suspect_keywords") or ())),
                        "negations": tuple(map(str, params.get("suspect_negations") or ()))},
            "pending": {"cues": tuple(map(str, params.get("pending_cues") or ())),
                        "words": tuple(map(str, params.get("pending_information_words") or ()))},
            "meeting_escalations": tuple(map(str, params.get("meeting_escalations") or ())),
            "own_episode": {"words": tuple(map(str, params.get("own_episode_words") or ())),
                            "tags": tuple(map(str, params.get("own_episode_tags") or ())),
                            "days": params.get("own_episode_days")}}


def _received_from(ctx: Context, pairs: pd.DataFrame, open_: np.ndarray, tags, families, cues: tuple) -> np.ndarray:
    """Per pair of `pairs` (among `open_`): has the deciding agency a row, from the concern row's day to the
    decision's row, naming the concern's agency as the sender of what it records (`names_sender`, its text
    saying "from") and one of the concern row's `tags` (read as their `families`)? Each distinct (text,
    sender, its kind, the receiving row's kind) read once."""
    tl = ctx.timeline
    out = np.zeros(len(pairs), dtype=bool)
    family = {str(t): str((families or {}).get(t, t)) for t in tags}
    names = sorted(set(family.values()))
    bits = np.zeros(len(tl), dtype="int64")
    for t in tags:
        bits |= ctx.tags([t]).to_numpy(dtype=bool).astype("int64") << names.index(family[str(t)])
    days = tl["_day"].to_numpy(dtype="datetime64[D]")
    cand = np.flatnonzero((bits != 0) & ~np.isnat(days))
    cand = cand[_rows_matching(ctx, cand, list(SENDER_TEXT_WORDS))] if len(cand) else cand
    c_pos = pairs["e_pos"].to_numpy(dtype="int64")
    at = np.flatnonzero(open_ & (bits[c_pos] != 0))
    if not len(cand) or not len(at):
        return out
    received = pd.DataFrame({"_case": tl["_case"].to_numpy()[cand], "_agency": tl["_agency"].to_numpy()[cand],
                             "x_pos": cand})
    probe = pd.DataFrame({"i": at, "_case": pairs["_case"].to_numpy()[at], "_agency": pairs["_agency"].to_numpy()[at],
                          "c_pos": c_pos[at], "d_pos": pairs["t_index"].to_numpy(dtype="int64")[at]})
    m = probe.merge(received, on=["_case", "_agency"])
    x, c = m["x_pos"].to_numpy(dtype="int64"), m["c_pos"].to_numpy(dtype="int64")
    m = m[(days[x] >= days[c]) & (x <= m["d_pos"].to_numpy(dtype="int64")) & (x != c) & ((bits[x] & bits[c]) != 0)]
    if m.empty:
        return out
    x, c = m["x_pos"].to_numpy(dtype="int64"), m["c_pos"].to_numpy(dtype="int64")
    (d_codes, d_uniques), (a_codes, a_uniques) = _texts(ctx, "description"), _texts(ctx, "action")
    agency = tl["agency"].astype(object).fillna("").to_numpy(dtype=object)
    kinds = tl["agency_kind"].astype(object).fillna("").to_numpy(dtype=object)
    keys = pd.DataFrame({"d": d_codes[x], "a": a_codes[x], "agency": agency[c], "kind": kinds[c], "receiver": kinds[x]})
    group = keys.groupby(["d", "a", "agency", "kind", "receiver"], sort=False).ngroup().to_numpy()
    vocab = _negating_vocab((), "")
    hits = np.array([
        names_sender(str(d_uniques[keys["d"].iat[i]]) + " . " + str(a_uniques[keys["a"].iat[i]]),
                     keys["agency"].iat[i], keys["kind"].iat[i], keys["receiver"].iat[i], cues, vocab)
        for i in _first_of_each(group)
    ], dtype=bool)
    out[m["i"].to_numpy()[hits[group]]] = True
    return out


def _counted_tag_rows(ctx: Context, tags) -> tuple[np.ndarray, np.ndarray | None]:
    """(per timeline row: do its concerns, as `base.counted_concerns` counts them, include any of `tags`; per
    timeline row those concerns, or None when no tag of `tags` is age-bound and the rows' own concerns serve).
    Each distinct concerns value is split once."""
    bound = counted_tag_names(ctx.settings)
    if bound.isdisjoint(str(t) for t in tags):
        return ctx.tags(tags).to_numpy(dtype=bool), None
    codes, uniques = counted_concerns(ctx)
    wanted = {str(t) for t in tags}
    hit = np.array([not wanted.isdisjoint(split_multi(u)) for u in uniques] + [False], dtype=bool)
    return hit[codes], np.append(np.asarray(uniques, dtype=object), "")[codes]


def _own_episode(ctx: Context, pairs: pd.DataFrame, open_: np.ndarray, words=(), tags=(), days=None) -> np.ndarray:
    """Per pair of `pairs` (among `open_`): is the concern row's text one of `words` (a return home interview:
    `text_mentions`, each distinct text once) and did the deciding agency record an episode of one of `tags`
    (missing) on an exact day from `days` before the concern row's day to it? Then the row is another
    agency's record of the deciding agency's own episode, known to it."""
    out = np.zeros(len(pairs), dtype=bool)
    words, tags = [str(w) for w in words or ()], [str(t) for t in tags or ()]
    if not words or not tags or days is None or not open_.any():
        return out
    tl = ctx.timeline
    c_pos = pairs["e_pos"].to_numpy(dtype="int64")
    where = np.zeros(len(tl), dtype=bool)
    where[np.unique(c_pos[open_])] = True
    about = text_mentions(ctx, where, words).to_numpy(dtype=bool)
    maybe = open_ & about[c_pos]
    episodes = ctx.tags(tags).to_numpy(dtype=bool) & tl["_exact"].to_numpy(dtype=bool)
    if not maybe.any() or not episodes.any():
        return out
    rows = pd.DataFrame({"_case": tl["_case"].to_numpy()[episodes], "_agency": tl["_agency"].to_numpy()[episodes],
                         "_ep": tl["_day"].to_numpy()[episodes]})
    mine = pd.DataFrame({"_case": pairs["_case"].to_numpy()[maybe], "_agency": pairs["_agency"].to_numpy()[maybe],
                         "_c": pairs["e__start"].to_numpy()[maybe], "_t": np.flatnonzero(maybe)})
    both = mine.merge(rows, on=["_case", "_agency"])
    hit = (both["_ep"] <= both["_c"]) & (both["_ep"] >= both["_c"] - int(days) * DAY)
    out[both.loc[hit, "_t"].to_numpy(dtype="int64")] = True
    return out


def _sent_by_decider(ctx: Context, pairs: pd.DataFrame, open_: np.ndarray, cues: tuple) -> np.ndarray:
    """Per pair of `pairs` (among `open_`): does the concern row's text record its information sent by the
    deciding agency (`names_sender`)? Only the rows whose text says "from" or a receipt word (`SENDER_TEXT_WORDS`) are read, each distinct
    (description, action, deciding agency and kind, the concern row's kind) once."""
    tl = ctx.timeline
    out = np.zeros(len(pairs), dtype=bool)
    c_pos = pairs["e_pos"].to_numpy(dtype="int64")
    rows = np.unique(c_pos[open_])
    rows = rows[_rows_matching(ctx, rows, list(SENDER_TEXT_WORDS))]
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
    # (s21, QA12) a record of the child's death or after it (`death_records`: the conference cancelled because the
    # child died) is no live decision
    mask = decision_mask(ctx) & ~death_records(ctx)
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
        **event_knowledge(params),
    )
    if long.empty:  # no concern before any decision: the pairs table has no columns
        long = pd.DataFrame({"d_index": pd.Series(dtype="int64"), "c_index": pd.Series(dtype="int64"),
                             "tag": pd.Series(dtype="string"), "c_agency": pd.Series(dtype="string"),
                             "known": pd.Series(dtype=bool)})
    known = long.loc[long["known"].astype(bool)]
    # the records that had not reached the agency: a condition (neglect) none of whose records had, an event
    # (an injury) whose own record had not, though the agency knew of another of its kind
    missing_tags = long.loc[~long["known"].astype(bool)]
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
