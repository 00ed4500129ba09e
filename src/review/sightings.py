"""Sightings of the child read from a row when its Child seen cell is empty.

Only some chronologies have a Child seen column, and a blank cell says nothing. An A&E attendance, a
hospital admission or a child protection medical cannot take place without the child, and a text such as
"Initial assessment completed. Child seen." or "seen and examined" records a sighting as plainly as a
"Yes" in the column. `inferred_sightings` reads such rows into the timeline's ``child_seen_inferred``
(True, False, or NA when the row says nothing either way), kept apart from ``child_seen``: that column
stays what the agency recorded (NA = blank), so no export claims the agency recorded an inferred value.
Where the cell is filled, ``child_seen_inferred`` is NA: a recorded Yes or No always wins over the text.
`seen_mask` / `not_seen_mask` give the reading the rules and the timeline use: the recorded value, else
the inferred one.

The reading of one row (`read_sighting`; vocab.yml, package vocabulary), first that applies:

1. tagged ``child_not_seen`` (ingest's reading of the text: "Child not seen", "child asleep, not seen",
   "unable to see child") -> False;
2. a `sighting_cues` phrase in the description or action, not negated ("child seen", "seen and
   examined", "examined", "child observed", "seen alone"; not "child not examined", "Child seen: no") and
   about the child (`_about_child`: not "Sibling seen and examined", "Mother seen alone", "Baby's brother
   observed playing", "Child at home and mother seen alone", where a cue not naming the child has someone
   else, `sighting_other_subjects`, for its nearest subject) -> True;
2a. the child seen among others: a `sighting_group_cues` phrase ("seen", "were seen"), not negated, whose
   people named just before it (or after it, answering it as a label) include the child (`_group_names_child`:
   "Tyler and Poppy seen", "Tyler, Poppy and Jade seen", "Poppy, Tyler seen together", "Seen: Tyler, Poppy",
   "All children seen"; not "Poppy seen", "Poppy seen, Tyler at school", "Tyler and baby Poppy seen" when the
   child is Jade) -> True;
2b. speaking to the child face to face: a `sighting_spoken_cues` phrase ("Spoke to Ellie about school"), not
   negated, on a row of a `sighting_in_person_types` type (home visit, clinic appointment...) or whose text
   says it was face to face (`sighting_in_person_words`: "at school", "in person", "alone in her room"), and
   neither of a `sighting_at_a_distance_types` type (phone call, letter) nor worded as one
   (`sighting_at_a_distance_words`: "telephone call, spoke to Ellie", "texted") -> True (a phone call says
   "spoke to Ellie" as well);
2c. what the child said (s17): a `sighting_said_cues` phrase ("Kayleigh said ..."), not negated, on a row neither
   typed nor worded at a distance ("Return home interview by phone. Kayleigh said ..." is none) -> True; read
   alike, what someone saw on or did for the child in person (s18, `sighting_observed_cues`: "Bruise to Amara's
   forehead at drop off", "noticed at nappy change", "12 month development review at home"; not "Mum said at
   drop off ...", nor "Mum phoned: bruise noticed at nappy change") -> True;
2d. the child at home at a police attendance (s17): a `sighting_presence_cues` phrase ("Attended, Kayleigh at
   home with mother"), not negated, on a row of a `sighting_presence_types` type, not worded at a distance -> True;
3. tagged or typed ``was_not_brought`` ("was not brought", "did not attend", "DNA") -> False;
4. of a `sighting_contact_types` type (A&E attendance, admission, child protection medical) whose text
   neither says someone else was seen and not the child (a cue about someone else, not negated, and none
   about the child: "Sibling seen and examined") nor says it did not take place ("CP medical cancelled": `review.vocab.denies`) nor says it is a record
   at a distance (`sighting_remote_words`: "Letter from A&E", "Notification of
   admission received"; not a communication the agency sent on, `sighting_sent_words`: an A&E attendance that
   ends "Letter to GP and HV" is still the attendance) nor that the child was not there (s18,
   `sighting_absent_cues`: "Mum attended without Kayleigh") -> True;
5. else unknown (NA), not a sighting.

The child's own names count as "child" does: case.yml's child_name gives its given name, a case's vocab.yml
may list known-as names (sighting_child_names; `with_child_names` puts them in the case's vocabulary key, so
every cache keyed by it reads each case with its own child): "NBV day 12. Maisie seen." is a sighting.
The word lists are the package vocab.yml's, extended by a case's own vocab.yml (as `review.config.load_vocab`
merges them; `inferred_sightings` reads each case with its own, one group of rows per distinct vocabulary).
The labels ingest writes before a further narrative column's text ("\nDischarge summary: ", `unlabelled`) are read
as if not there: a column's header is not the agency's words. A time written between "found" / "located" and its place is read as if not there (`untimed`: "Located 02:15 on
04/03 in a car" is "Located in a car"), in the row's reading and the table's alike.
The work is done once per distinct (contact type, concerns, description, action) of the rows with a blank
cell, with a vectorised whole-word search picking the texts that may hold a cue before any is read.
"""
from __future__ import annotations

import functools
import json
import re

import numpy as np
import pandas as pd
import pyarrow as pa

from .config import package_data

#: the concern tags that deny a sighting: rule 1 (before the cues) and rule 3 (after them)
NOT_SEEN_TAG = "child_not_seen"
NOT_BROUGHT = "was_not_brought"
#: the `subject` of `_names` asking for a cue about someone other than the child
OTHER = "other"
#: the `subject` of `_names` asking for a group cue ("seen") whose people named just before it include the child
GROUP = "group"


def _raw_vocab(key: str = "") -> dict:
    """The package vocab.yml, extended by a case's own (`key`: its `review.rules.base.vocab_key`, "" for
    none) as `review.config.load_vocab` merges them: a case's lists add to the package's."""
    from .config import deep_merge

    raw = package_data("vocab.yml")
    return deep_merge(raw, json.loads(key)) if key else raw


def given_name(child_name) -> str:
    """The child's given name as `with_child_names` reads it: the first word of case.yml's child_name,
    as written ("Maisie" of "Maisie Quinlan-Roe"); "" when there is none. What a case store keeps of the
    name (its case table's ``child_given_name``), so that a case read back from the store reads "Maisie
    seen" as the case's own build does, without the store holding the child's full name."""
    if child_name is None or (not isinstance(child_name, str) and pd.isna(child_name)):
        return ""
    words = str(child_name).split()
    return words[0] if words else ""


def with_child_names(key: str, child_name) -> str:
    """The vocabulary key `key` (`review.rules.base.vocab_key`) with the given name of `child_name` (case.yml:
    its first word, "Maisie" of "Maisie Quinlan-Roe") added to its sighting_child_names: the reading then takes
    "Maisie seen" as "child seen" (`sighting_words`, `_subjects`). Only the child's own name: a sibling's is
    never in case.yml's child_name. `key` as it is when the name is blank."""
    from .vocab import normalise_text

    given = normalise_text(given_name(child_name))
    if not given:
        return key
    own = json.loads(key) if key else {}
    names = list(own.get("sighting_child_names") or [])
    if given in map(normalise_text, map(str, names)):
        return key
    own["sighting_child_names"] = names + [given]
    return json.dumps(own, default=str, ensure_ascii=False, separators=(",", ":"))


def _child_names(raw: dict) -> tuple[str, ...]:
    """The child's own names (sighting_child_names, normalised: a name of two words, "Mary-Jane", is two)."""
    from .vocab import normalise_text

    return tuple(w for name in map(str, raw.get("sighting_child_names") or ()) for w in normalise_text(name).split())


@functools.lru_cache(maxsize=64)
def sighting_words(key: str = "") -> tuple[frozenset, tuple, tuple]:
    """(sighting_contact_types, sighting_cues, sighting_remote_words and sighting_absent_cues) of the package
    vocab.yml extended by the case vocabulary `key` (`review.rules.base.vocab_key`; "" the package's alone). A cue
    naming the child ("child seen", "observed the child") is also a cue with each of the child's names in its
    place (sighting_child_names: "maisie seen", "observed the maisie"), so the vectorised search finds it too. The
    child absent ("Mum attended without Kayleigh", `sighting_absent_cues`, named alike) keeps a contact type from
    reading a sighting as a record at a distance does, so it is read with the remote words."""
    raw = _raw_vocab(key)
    names = _child_names(raw)
    cues = _named_cues(tuple(str(w) for w in raw.get("sighting_cues") or ()), names)
    absent = _named_cues(tuple(str(w) for w in raw.get("sighting_absent_cues") or ()), names)
    remote = tuple(str(w) for w in raw.get("sighting_remote_words") or ())
    return (frozenset(str(t) for t in raw.get("sighting_contact_types") or ()),
            cues,
            remote + tuple(w for w in absent if w not in remote))


def _named_cues(cues: tuple, names: tuple) -> tuple:
    """`cues`, and each naming the child ("spoke to child") also with each of the child's `names` in its place."""
    from .vocab import normalise_text

    if not names:
        return cues
    named = [" ".join(name if t == "child" else t for t in normalise_text(cue).split())
             for cue in cues if "child" in normalise_text(cue).split() for name in names]
    return cues + tuple(w for w in dict.fromkeys(named) if w not in cues)


@functools.lru_cache(maxsize=64)
def spoken_words(key: str = "") -> tuple[tuple, frozenset, tuple, frozenset, tuple]:
    """(sighting_spoken_cues, sighting_in_person_types, sighting_in_person_words, sighting_at_a_distance_types,
    sighting_at_a_distance_words) of the vocabulary `key`: speaking to the child ("Spoke to Ellie", the child's
    names read as "child" is in the cues) is a sighting only face to face (`_spoken_in_person`)."""
    raw = _raw_vocab(key)

    def words(name):
        return tuple(str(w) for w in raw.get(name) or ())

    return (_named_cues(words("sighting_spoken_cues"), _child_names(raw)),
            frozenset(words("sighting_in_person_types")), words("sighting_in_person_words"),
            frozenset(words("sighting_at_a_distance_types")), words("sighting_at_a_distance_words"))


@functools.lru_cache(maxsize=64)
def group_words(key: str = "") -> tuple[tuple, tuple]:
    """(sighting_group_cues, the words naming the child) of the vocabulary `key`: a group cue ("seen", "were
    seen") is a sighting only where the people named just before it include the child (`_group_names_child`:
    "Tyler and Poppy seen", "children seen"), so a text may hold one only where it names the child too (the
    vectorised search asks for both)."""
    raw = _raw_vocab(key)
    child, _ = _subjects(key)
    return tuple(str(w) for w in raw.get("sighting_group_cues") or ()), tuple(sorted(child))


#: words that, in the people named before a group cue, say the cue is denied ("Tyler and Poppy not seen")
_NOT = frozenset({"not", "no", "never", "nil", "none", "unable", "cannot", "cant", "without"})


def _group_names_child(tokens: list, start: int, end: int, key: str = "") -> bool:
    """Do the people named with the group cue at `start` include the child? Walking back from the cue within
    its clause: one person (a name, "children", "Poppy"), maybe with person words or determiners before it
    ("his sister", "baby Poppy": the person is Poppy, "baby" describes her), then, after a joining word (and, &,
    with, plus) or a comma, the next, and so on: "Tyler and Poppy seen", "Poppy and Tyler seen", "Tyler, Poppy
    and Jade seen", "Poppy, Tyler seen together", "all children seen" are when Tyler is the child; "Poppy seen"
    (a sibling alone), "Tyler and baby Poppy seen" when the child is Jade, "Poppy seen, Tyler at school" (the
    child in another part), "Visited Tyler, Poppy seen" (a person after a comma that does not start the list
    is the clause before's), "Tyler's sister seen" (a possessive) are not. A label ("Seen: Tyler, Poppy") is
    answered by the people after it, read alike forward (`_answer_names_child`); "Children seen: no" is
    not."""
    from .vocab import _LABEL_MARKS

    child, others = _subjects(key)
    names = _own_names(key)
    if end < len(tokens) and tokens[end] in _LABEL_MARKS:  # a label: the people after it answer it
        return _answer_names_child(tokens, end + 1, child, others, names)
    people = []
    member = True  # the next word back starts a member of the group
    via_comma = False  # the member being read was reached over a comma
    i = start - 1
    while i >= 0 and tokens[i][0] != "|":
        token = tokens[i]
        if token in _NOT:  # "children not seen" (the negation reads only "not" before "seen" as no denial)
            return False
        if member:
            if token in _JOINING or token == ",":
                break
            people.append(token)
            member = False
        elif token in _JOINING or token == ",":
            member, via_comma = True, token == ","
        elif _describes(token, child, others, names):
            pass  # "baby Poppy", "his sister": the person is the word after it
        else:
            if via_comma:  # "Visited Tyler, Poppy seen": "Tyler" ends the clause before, no member of the list
                people.pop()
            break
        i -= 1
    return any(t in child for t in people)


@functools.lru_cache(maxsize=64)
def _own_names(key: str = "") -> frozenset:
    """The child's own names (`_child_names`) of the vocabulary `key`, as a set."""
    return frozenset(_child_names(_raw_vocab(key)))


def _describes(token: str, child: frozenset, others: frozenset, names: frozenset) -> bool:
    """Is `token`, before a person of a group, a word describing that person ("baby Poppy", "his sister", "the
    children"), not a person of its own (a name)?"""
    return token in _DETERMINERS or ((token in child or token in others) and token not in names)


def _answer_names_child(tokens: list, i: int, child: frozenset, others: frozenset, names: frozenset) -> bool:
    """Do the people answering a label at `tokens[i:]` ("Seen: Tyler, Poppy", "Seen - baby Poppy and Tyler")
    include the child? Up to the end of the clause, each person (its describing words before it) after a
    comma or a joining word; the list ends at a person followed by any other word ("Seen: Poppy at home,
    Tyler at school" is Poppy alone); a negation ("Seen: no", "Seen: not Tyler") is no answer naming anyone."""
    people = []
    member = True
    while i < len(tokens) and tokens[i][0] != "|":
        token = tokens[i]
        if token in _NOT:
            return False
        if member:
            if token in _JOINING or token == ",":
                break
            nxt = tokens[i + 1] if i + 1 < len(tokens) else "|"
            if not (_describes(token, child, others, names) and nxt[0] != "|" and nxt != ","
                    and nxt not in _JOINING):
                people.append(token)
                member = False
        elif token in _JOINING or token == ",":
            member = True
        else:
            break
        i += 1
    return any(t in child for t in people)


@functools.lru_cache(maxsize=64)
def _subjects(key: str = "") -> tuple[frozenset, frozenset]:
    """(sighting_child_words, sighting_other_subjects) of the vocabulary `key`, normalised as tokens: the
    words naming the child, and the people other than the child a cue may be about (`_about_child`)."""
    from .vocab import normalise_text

    raw = _raw_vocab(key)
    return (frozenset(w for w in map(normalise_text, map(str, raw.get("sighting_child_words") or ())) if w)
            | frozenset(_child_names(raw)),
            frozenset(w for w in map(normalise_text, map(str, raw.get("sighting_other_subjects") or ())) if w))


#: the words `_about_child` passes over between a cue and the person it is about ("examined the sibling")
_DETERMINERS = frozenset({"the", "a", "an", "his", "her", "their", "its", "this"})


def _boundary(token: str) -> bool:
    return token[0] == "|" or token == ","


def _about_child(tokens: list, start: int, end: int, key: str = "") -> bool:
    """Is the cue `tokens[start:end]` about the child? One naming the child ("child seen", "observed the
    child") is; else, of the words of its part of the clause (up to a clause mark or a comma), the person
    named nearest before it is its subject, with the people joined to that one by "and", "&", "with" or
    "plus" (`_subject_group`): not about the child when that group names someone else
    (`sighting_other_subjects`: "Sibling seen and examined", "Mother seen alone", "Baby's brother observed
    playing", "Child at home and mother seen alone": the child's presence is not the child seen) and not
    the child (`sighting_child_words`: "Mother and baby seen and examined" is a sighting; a possessive
    "baby's" names the child's relative, not the child); nor, where none before it names a person, when the
    first word after it does ("examined the sibling"; not "examined mother and baby"). A cue with no one
    named around it ("Seen and examined", "Examined by GP") is."""
    child, others = _subjects(key)
    if not others or any(t in child for t in tokens[start:end]):
        return True
    lo = start
    while lo > 0 and not _boundary(tokens[lo - 1]):
        lo -= 1
    nearest = next((i for i in range(start - 1, lo - 1, -1) if tokens[i] in child or tokens[i] in others), None)
    if nearest is not None:
        return any(t in child for t in _subject_group(tokens, lo, nearest, child, others))
    hi = end
    while hi < len(tokens) and not _boundary(tokens[hi]):
        hi += 1
    after = [t for t in tokens[end:hi]]
    first = next((t for t in after if t not in _DETERMINERS), None)
    return not (first in others and not any(t in child for t in after))


#: the words that join people into one subject ("mother and baby", "baby with mother")
_JOINING = frozenset({"and", "&", "with", "plus"})


def _subject_group(tokens: list, lo: int, nearest: int, child: frozenset, others: frozenset) -> list:
    """The people named at `nearest` and before it back to `lo` joined to it ("mother and the baby"): the run
    of person words, determiners and joining words ending at `nearest`."""
    i = nearest
    while i > lo and (tokens[i - 1] in child or tokens[i - 1] in others or tokens[i - 1] in _DETERMINERS
                      or tokens[i - 1] in _JOINING):
        i -= 1
    return tokens[i:nearest + 1]


def _tags(concerns) -> set:
    if concerns is None or concerns is pd.NA or (isinstance(concerns, float) and concerns != concerns):
        return set()
    return {t.strip() for t in str(concerns).split(";") if t.strip()}


@functools.lru_cache(maxsize=64)
def _pattern(words: tuple):
    """One pattern finding every place (overlapping ones too) where `review.rules.base._mentioned` finds
    one of `words` in the joined tokens: a keyword from the start of a word, its last word possibly
    longer unless short (`_open_ended`), longer keywords first at the same place."""
    from .rules.base import _open_ended
    from .vocab import normalise_text

    alternatives = sorted({re.escape(w) + (r"\S*" if _open_ended(w) else r"(?!\S)")
                           for w in map(normalise_text, words) if w}, key=lambda a: (-len(a), a))
    return re.compile(r"(?<!\S)(?=(" + "|".join(alternatives) + "))") if alternatives else None


def _names(text: str, words: tuple, key: str = "", subject: bool = False) -> bool:
    """Does `text` mention one of `words`, not negated? `review.rules.base._mentioned(text, words, (),
    vocab=key)`, its keywords compiled once into one pattern; with `subject`, only a mention about the child
    (`_about_child`: the sighting cues)."""
    from .rules.base import _negating_vocab, _phrases

    pattern = _pattern(words)
    if pattern is None:
        return False
    vocab = _negating_vocab((), key)
    tokens = vocab.tokens(text)
    found = set(pattern.findall(" ".join(tokens)))
    if not found:
        return False
    found_key = tuple(sorted(found))
    if len(tokens) <= _WHOLE_TEXT_UP_TO:
        return _read_window(tuple(tokens), found_key, key, subject)
    return any(_read_window(tuple(tokens[lo:hi]), found_key, key, subject)
               for lo, hi in _windows(tokens, _phrases(found_key).find(tokens)))


@functools.lru_cache(maxsize=1 << 16)
def _read_window(tokens: tuple, found: tuple, key: str = "", subject: bool = False) -> bool:
    """Does `Vocabulary.find_spans` find one of the phrases `found` in `tokens` not negated (the vocabulary
    `key`), and, with `subject`, about the child (`_about_child`; a window is whole clauses, so each mention
    is read alike in it)? Kept per (clause, phrases): the clauses that hold a cue repeat ("Child was not seen
    alone") where the texts around them do not."""
    from .rules.base import _negating_vocab, _phrases

    part = list(tokens)
    spans = _negating_vocab((), key).find_spans(part, _phrases(found))
    return _subject_read(part, spans, key, subject)


def _subject_read(tokens: list, spans, key: str, subject) -> bool:
    """Whether the mentions `spans` (start, end, ...) of `tokens` give the reading `subject` asks for:
    False, any mention; True, one about the child (`_about_child`); "other", one about someone else (a cue
    whose subject is a sibling, a parent...: "Sibling seen and examined")."""
    if not subject:
        return bool(spans)
    if subject == OTHER:
        return any(not _about_child(tokens, s, e, key) for s, e, *_ in spans)
    if subject == GROUP:
        return any(_group_names_child(tokens, s, e, key) for s, e, *_ in spans)
    return any(_about_child(tokens, s, e, key) for s, e, *_ in spans)


#: `_names` reads a text of at most this many tokens whole, a longer one only in the clauses of its mentions
_WHOLE_TEXT_UP_TO = 12


def _windows(tokens: list, spans: list) -> list[tuple[int, int]]:
    """The token ranges [lo, hi) in which `Vocabulary.find_spans` reads the mentions `spans` of `tokens` as it
    reads them in the whole text: each mention's clause (from the clause mark before it to the one after
    it, a comma not being one) and, where a colon or a dash follows it, the clause after that too (a
    label's answer: "Child seen: no"), and so on while the answer is itself a label ("Child seen: child
    seen: nil": a window ending at a label's mark would read that label unanswered). No negation cue reaches across a clause mark ("|", "|:", "|-", "|b":
    `Scope.reaches`), a label's answer ends at the next, the shields (`Scope`) are phrases found in one
    clause, and a clause mark starts no phrase, so `Phrases.find` is aligned at each mark in both readings."""
    from bisect import bisect_left
    from .vocab import _EXCEPTED, _LABEL_MARKS

    marks = [i for i, token in enumerate(tokens) if token[0] == "|" and token != _EXCEPTED]
    out = []
    for start, end, _ in spans:
        k = bisect_left(marks, start)  # the first mark at or after the mention (none is inside it)
        lo = marks[k - 1] + 1 if k else 0
        hi = marks[k] if k < len(marks) else len(tokens)
        while hi < len(tokens) and tokens[hi] in _LABEL_MARKS:  # a label's answer, maybe itself a label
            k += 1
            hi = marks[k] if k < len(marks) else len(tokens)
        if (lo, hi) not in out:
            out.append((lo, hi))
    return out


def _decide(contact_type: str, tags: set, text: str, may_cue: bool = True, may_remote: bool = True,
            key: str = "") -> bool | None:
    """`read_sighting`, told whether the text may hold a cue / a remote word at all (a vectorised search
    found one of their words: when not, `_names` would find none)."""
    types, cues, remote = sighting_words(key)
    if NOT_SEEN_TAG in tags and not _not_seen_reported(text, key):  # not "neighbour: not seen for months"
        return False
    full, text = text, _own_account(text, key)  # not "Police notification: missing 12-14/04, found in Hartsford"
    if may_cue and _names(text, cues, key, subject=True):
        return True
    if _group_seen(text, key):
        return True
    if _spoken_in_person(contact_type, text, key):
        return True
    if _said_in_person(contact_type, text, key):
        return True
    if _present_at_attendance(contact_type, text, key):
        return True
    text = full
    if NOT_BROUGHT in tags or contact_type == NOT_BROUGHT:
        return False
    if _examined_at_clinic(contact_type, text, key):
        return True
    if contact_type in types:
        if may_cue and _names(text, cues, key, subject=OTHER):  # "Sibling seen and examined": not the child
            return None
        if may_remote and _remote(text, key):
            return None
        return None if _denied(contact_type, text, key) else True
    return None


@functools.lru_cache(maxsize=64)
def not_seen_report_words(key: str = "") -> tuple[tuple, tuple, tuple]:
    """(the child_not_seen concern keywords, sighting_not_seen_reporters, sighting_not_seen_durations) of the
    vocabulary `key`, normalised: `_not_seen_reported` reads a "not seen" with them."""
    from .vocab import normalise_text

    raw = _raw_vocab(key)

    def words(values):
        return tuple(w for w in dict.fromkeys(normalise_text(str(v)) for v in values or ()) if w)

    return (words((raw.get("concerns") or {}).get(NOT_SEEN_TAG)),
            words(raw.get("sighting_not_seen_reporters")), words(raw.get("sighting_not_seen_durations")))


def _not_seen_reported(text: str, key: str = "") -> bool:
    """Is every "not seen" the text holds (the child_not_seen concern keywords) someone else's report or a past
    time, not this contact's own failure to see the child (s19)? A mention followed by a time
    (`sighting_not_seen_durations`: "not seen for months", "not seen since March", "not seen for 3 weeks") or
    after a reporter in its sentence (`sighting_not_seen_reporters`, the people whose report it is: "Call from
    neighbour: boy not seen", "Caller reports child not seen"; a label's colon does not end the sentence; no verb
    of speech, s20: "Mother said Kai was asleep upstairs: child not seen" is the visit's own). Then the row's
    child_not_seen tag says nothing of this contact: its own words are read ("Officers attended. Jordan found in
    bedroom" is a sighting). A text with no such mention: False. The decision `review.vocab.tag_concerns` takes
    too (`review.vocab.not_seen_mentions_reported`): ingest tags no such row child_not_seen."""
    from .rules.base import _negating_vocab, _phrases

    from .vocab import not_seen_mentions_elsewhere, not_seen_mentions_reported

    keywords, reporters, durations = not_seen_report_words(key)
    if not keywords:
        return False
    tokens = _negating_vocab((), key).tokens(text)
    mentions = _phrases(keywords).find(tokens)
    # (s21) or every one an elliptical "not seen" about someone or something else ("Father's risk not assessed
    # (not seen)", "moses basket at Nan's. Not seen." beside "Mason seen"): `not_seen_mentions_elsewhere`
    return (not_seen_mentions_reported(tokens, mentions, reporters, durations)
            or not_seen_mentions_elsewhere(tokens, mentions, *_subjects(key)))


@functools.lru_cache(maxsize=64)
def examination_words(key: str = "") -> tuple[frozenset, tuple, tuple]:
    """(sighting_examination_types, sighting_examination_words, the words of a contact at a distance or without
    the child: sighting_at_a_distance_words, attended_at_a_distance_words and sighting_absent_cues with the
    child's names) of the vocabulary `key`: `_examined_at_clinic` reads a clinic's observation with them."""
    raw = _raw_vocab(key)

    def words(name):
        return tuple(str(w) for w in raw.get(name) or ())

    _, far = attended_words(key)
    return frozenset(words("sighting_examination_types")), words("sighting_examination_words"), far


@functools.lru_cache(maxsize=64)
def clinic_subject_words(key: str = "") -> tuple[tuple, tuple]:
    """(sighting_clinic_subject_links, normalised, as token lists; the words naming the child: sighting_child_words
    and the child's names) of the vocabulary `key`: `_clinic_subject` reads a clinic record opening with the child."""
    from .vocab import normalise_text

    links = tuple(tuple(w.split()) for w in dict.fromkeys(
        normalise_text(str(x)) for x in _raw_vocab(key).get("sighting_clinic_subject_links") or ()) if w)
    child, _ = _subjects(key)
    return links, tuple(sorted(child))


def _clinic_subject(text: str, key: str = "") -> bool:
    """(s20) Does a clause of the text open with the child (its word or one of its names, after determiners) and go
    on with one of `sighting_clinic_subject_links` ("Leah (11) with vaginal discharge", "Leah presents with a rash",
    "Leah attended drop-in alone": an age in brackets is read as if not there)? Read only on a face-to-face clinic
    appointment (`_examined_at_clinic`): the patient the record opens with is the one in the room. Not "Discussed
    Leah with mother" (the child is no clause's first word), "Leah's mum attended" (a possessive), "Leah not
    brought" (no link straight after the name), "Leah attended: no" (negated, as a cue is)."""
    from .rules.base import _negating_vocab

    links, child = clinic_subject_words(key)
    if not links or not child:
        return False
    child = frozenset(child)
    tokens = _negating_vocab((), key).tokens(text)
    opening = True
    found = []  # the phrases (the child's word or name and a link) opening a clause
    for i, token in enumerate(tokens):
        if token[0] == "|":
            opening = True
            continue
        if opening and token in _DETERMINERS:
            continue
        if opening and token in child:
            found += [" ".join((token,) + w) for w in links if tuple(tokens[i + 1:i + 1 + len(w)]) == w]
        opening = False
    # not negated, as every cue is read ("Leah attended: no")
    return bool(found) and _names(text, tuple(dict.fromkeys(found)), key)


def _examined_at_clinic(contact_type: str, text: str, key: str = "") -> bool:
    """Does a face-to-face clinic appointment (s19: `sighting_examination_types`, a GP's, a dentist's or a
    clinic's appointment or check-up, a phone consultation being typed phone_call) record an examination or an
    observation of the child (`sighting_examination_words`, not negated: "Looks thin", "Check-up. Multiple
    caries", "O/E chest clear", "weighed", s20: "Swab taken", "Dipstick positive"), or open a clause with the child
    as its patient (s20, `_clinic_subject`: "Leah (11) with vaginal discharge", "Leah attended drop-in alone")? Not
    one worded at a distance or without the child ("Telephone consultation", "Mum attended without Kai":
    `attended_words`), nor one about someone else ("Mum attended re low mood. Looks tired": `_about_someone_else`;
    a parent present with the child, "Mum and mum's partner present", is no such opening: `sighting_companion_words`)."""
    types, _, _ = examination_words(key)
    return contact_type in types and _examination_read(text, key)


def _examination_read(text: str, key: str = "") -> bool:
    """`_examined_at_clinic` of the text of a row of one of `sighting_examination_types`."""
    _, words, far = examination_words(key)
    if not ((words and _names(text, words, key)) or _clinic_subject(text, key)):
        return False
    if far and _names(text, far, key):
        return False
    return not _about_someone_else(text, key)


def _group_seen(text: str, key: str = "") -> bool:
    """Does the row say the child was seen among others ("Tyler and Poppy seen", "children seen": a
    `sighting_group_cues` phrase, not negated, `_group_names_child`)?"""
    group, _ = group_words(key)
    return bool(group) and _names(text, group, key, subject=GROUP)


@functools.lru_cache(maxsize=64)
def sent_words(key: str = "") -> tuple:
    """`sighting_sent_words` of the vocabulary `key`: a communication the recording agency sent on ("Letter to GP
    and HV", "Discharge summary sent to GP"), which says nothing of the row being a record at a distance."""
    return tuple(str(w) for w in _raw_vocab(key).get("sighting_sent_words") or ())


def _remote(text: str, key: str = "") -> bool:
    """Is the row a record at a distance of its type: a `sighting_remote_words` mention, not negated, that is no
    part of a `sighting_sent_words` mention ("Letter from A&E received" is; "Seen in ED ... Letter to GP and HV"
    is not: the attending agency's letter sent after the attendance, examination or treatment)?"""
    from .rules.base import _negating_vocab, _phrases

    _, _, remote = sighting_words(key)
    if not _names(text, remote, key):
        return False
    sent = sent_words(key)
    tokens = _negating_vocab((), key).tokens(text)
    sent_found = _found_keys(tokens, sent)
    if not sent_found:
        return True
    onward = _phrases(sent_found).find(tokens)
    spans = _negating_vocab((), key).find_spans(tokens, _phrases(_found_keys(tokens, remote)))
    return any(not any(s <= start and end <= e for s, e, _ in onward) for start, end, _ in spans)


def _found_keys(tokens: list, words: tuple) -> tuple:
    """The keywords of `words` (as `_pattern` finds them: a long last word possibly longer) in `tokens`."""
    pattern = _pattern(words)
    return tuple(sorted(set(pattern.findall(" ".join(tokens))))) if pattern is not None else ()


def _spoken_in_person(contact_type: str, text: str, key: str = "") -> bool:
    """Does the row record speaking to the child face to face? One of `sighting_spoken_cues` ("Spoke to Ellie
    about school"), not negated, on a row of a type held in person (`sighting_in_person_types`: a home visit)
    or whose text says it was (`sighting_in_person_words`: "at school", "in person", "alone in her room"), and
    neither typed nor worded as a contact at a distance (`sighting_at_a_distance_types` / `_words`: "telephone
    call, spoke to Ellie"): a phone call says the same words."""
    spoken, in_types, in_words, far_types, far_words = spoken_words(key)
    if not spoken or contact_type in far_types or not _names(text, spoken, key):
        return False
    if _names(text, far_words, key):
        return False
    return contact_type in in_types or _names(text, in_words, key)


@functools.lru_cache(maxsize=64)
def said_words(key: str = "") -> tuple[tuple, tuple, frozenset]:
    """(sighting_said_cues and sighting_observed_cues, sighting_presence_cues, sighting_presence_types) of the
    vocabulary `key`, the cues naming the child also with each of the child's names in its place ("kayleigh said",
    "kayleigh at home"). What someone saw on or did for the child in person ("noticed at nappy change", "12 month
    development review at home") is read as what the child said is: about the child, not at a distance."""
    raw = _raw_vocab(key)

    def words(name):
        return tuple(str(w) for w in raw.get(name) or ())

    names = _child_names(raw)
    said = words("sighting_said_cues") + tuple(w for w in words("sighting_observed_cues")
                                               if w not in words("sighting_said_cues"))
    return (_named_cues(said, names), _named_cues(words("sighting_presence_cues"), names),
            frozenset(words("sighting_presence_types")))


def _said_in_person(contact_type: str, text: str, key: str = "") -> bool:
    """Does the row record what the child said or described ("Ellie describes debts": `sighting_said_cues`, not
    negated), neither typed nor worded as a contact at a distance (`sighting_at_a_distance_types` / `_words`:
    "Return home interview by phone. Kayleigh said ...")? A phone call hears the child without seeing her. A
    sentence passing the record on (s20, `sighting_onward_openers`: "Shared with CSC exploitation team by email")
    says nothing of how the child was heard."""
    said, _, _ = said_words(key)
    _, _, _, far_types, far_words = spoken_words(key)
    if not said or contact_type in far_types or not _names(text, said, key, subject=True):
        return False
    return not _names(_sentences_without(text, onward_words(key)[1]), far_words, key)


#: a sentence's end: a full stop, "!" or "?" and a space, or a line break (the " . " `_row_text` joins with too)
_SENTENCE_END = re.compile(r"((?<=[.!?])\s+|\n+)")


@functools.lru_cache(maxsize=64)
def onward_words(key: str = "") -> tuple[tuple, tuple]:
    """(sighting_reported_markers, sighting_onward_openers) of the vocabulary `key`, normalised."""
    from .vocab import normalise_text

    raw = _raw_vocab(key)

    def words(name):
        return tuple(w for w in dict.fromkeys(normalise_text(str(x)) for x in raw.get(name) or ()) if w)

    return words("sighting_reported_markers"), words("sighting_onward_openers")


def _sentences_without(text: str, openers: tuple, anywhere: bool = False) -> str:
    """`text` without its sentences opening with one of `openers` (normalised words; `anywhere`: holding one)."""
    from .vocab import normalise_text

    if not openers:
        return text
    parts = _SENTENCE_END.split(text)  # sentences, each followed by the break after it
    kept, dropped = [], False
    for k in range(0, len(parts), 2):
        words = " " + normalise_text(parts[k]) + " "
        if any((" " + w + " ") in words if anywhere else words.startswith(" " + w + " ") for w in openers):
            dropped = True
            continue
        kept.append(parts[k] + (parts[k + 1] if k + 1 < len(parts) else ""))
    return "".join(kept) if dropped else text


def _own_uniques(uniques: np.ndarray, used: np.ndarray, markers: tuple, anywhere: bool = True) -> np.ndarray:
    """`uniques` without the sentences holding one of `markers` (`_own_account`), at the positions `used` in which
    a vectorised search finds one (a copy when one changes; the others as they are, and `uniques` itself when none
    does)."""
    if not markers:
        return uniques
    out = uniques
    for i in np.flatnonzero(_may_hold(uniques, markers, used)).tolist():
        text = _sentences_without(str(uniques[i]), markers, anywhere=anywhere)
        if text != uniques[i]:
            if out is uniques:
                out = uniques.copy()
            out[i] = text
    return out


def _own_account(text: str, key: str = "") -> str:
    """`text` without the sentences reporting another agency's record (s20, `sighting_reported_markers`: "Police
    notification: missing 12-14/04, found in Hartsford", "PPN received: ... located with older males"): what the
    police saw is not this agency's sighting. The rest is read ("Notification from police. Home visit: Tyrese
    seen")."""
    markers, _ = onward_words(key)
    return _sentences_without(text, markers, anywhere=True)


def _present_at_attendance(contact_type, text: str, key: str = "") -> bool:
    """Does a police attendance (`sighting_presence_types`) record the child at home or at the address
    ("Attended, Kayleigh at home with mother": `sighting_presence_cues`, not negated), not worded as a contact
    at a distance?"""
    _, presence, types = said_words(key)
    _, _, _, _, far_words = spoken_words(key)
    if not presence or contact_type not in types or not _names(text, presence, key, subject=True):
        return False
    return not _names(text, far_words, key)


#: a time, and a date after it (or, s20, before it: "Located 14/04 02:10 at a flat"), written between a
#: found/located cue and its place ("Located 02:15 on 04/03 in a car", "Found at 03:30 in REED's car", "Located 2350hrs near the station"): `untimed` leaves the verb alone
_TIMED = re.compile(
    r"\b(found|located|traced)\s+(?:at\s+|approx(?:imately|\.)?\s+|about\s+|around\s+)?"
    r"(?:\d{1,2}[/.\-]\d{1,2}(?:[/.\-]\d{2,4})?\s+)?(?:\d{1,2}[:.]\d{2}(?:\s*(?:hrs|hours|am|pm))?|\d{3,4}\s*(?:hrs|hours)|\d{1,2}\s*(?:am|pm))"
    r"(?:\s+(?:on\s+)?\d{1,2}(?:st|nd|rd|th)?[/.\-]\d{1,2}(?:[/.\-]\d{2,4})?)?(?=[\s,;]|$)",
    re.IGNORECASE | re.ASCII)
#: an RE2 pattern finding (at least) every text `_TIMED` finds something in, for a vectorised search
_TIMED_PREFILTER = (r"(?:^|[^a-z0-9])(?:found|located|traced)[^a-z0-9]+"
                    r"(?:(?:at|approx|approximately|about|around)[^a-z0-9]+)?[0-9]")


def untimed(text) -> str:
    """`text` with a time (and a date after it) between "found" / "located" and the place it names left out
    ("Located 02:15 on 04/03 in a car" -> "Located in a car"), so that the sighting cues ("located in") read
    it; a blank cell ""."""
    if text is None or text is pd.NA or (isinstance(text, float) and text != text):
        return ""
    return _TIMED.sub(r"\1", str(text))


#: (s21) the police finding, collecting or bringing the child home, a force's name (or "the") between "by" and
#: "police" / "officers" ("Found by Eastshire Police in Hartsford", "Collected by the police", "Brought home by
#: British Transport Police officers"): `by_police` leaves the name out. Capitalised words only, at most four, in
#: one sentence ("Found by Dad. Police informed" is not the police's): "found by police" is read as ever, "found by
#: a member of the public" is no police sighting
_BY_FORCE = re.compile(
    r"\b(?i:(found|located|collected|picked\s+up|brought\s+home|brought\s+back|taken\s+home|returned\s+home|"
    r"returned|conveyed\s+home)\s+by)\s+(?:(?i:the)\s+)?(?:[A-Z][A-Za-z'&-]*\s+){0,4}"
    r"(?i:(police|officers|police\s+officers|constabulary|pcs|pc))\b")
#: ... and a clause opening with one (the record's subject, the child: "Collected by officers from Hartsford",
#: "Returned home by police"), which `by_police` reads as the child's ("child collected by police"): the
#: sighting cues name the child ("child collected by police"); "Mum collected by police" stays the mother's
_OPENING_BY_POLICE = re.compile(
    r"(^|[.;!?\n]\s*)(?i:(collected|picked\s+up|brought\s+home|brought\s+back|taken\s+home|returned\s+home|"
    r"returned|conveyed\s+home)\s+by\s+(police|officers|constabulary))\b")
#: an RE2 pattern finding (at least) every text `_BY_FORCE` or `_OPENING_BY_POLICE` rewrites, for a vectorised search
_BY_POLICE_PREFILTER = r"(?:found|located|collected|picked|brought|taken|returned|conveyed)[^.;!?\n]{0,60}?(?:police|officers|constabulary|pcs|pc)"


def by_police(text) -> str:
    """`text` with a force's name between "by" and "police" left out ("Found by Eastshire Police in Hartsford"
    -> "Found by police in Hartsford") and a clause that opens with the police collecting or bringing someone
    home given its subject, the child ("Collected by officers" -> "child collected by officers"), so that the
    sighting cues ("found by police", "child collected by police") read them; a blank cell ""."""
    if text is None or text is pd.NA or (isinstance(text, float) and text != text):
        return ""
    text = _BY_FORCE.sub(lambda m: m.group(1) + " by " + m.group(2), str(text))
    return _OPENING_BY_POLICE.sub(lambda m: m.group(1) + "child " + m.group(2) + " by " + m.group(3), text)


def _by_police_uniques(uniques: np.ndarray, used: np.ndarray) -> np.ndarray:
    """`uniques` with `by_police` applied to those at the positions `used` in which a vectorised search finds a
    police cue (a copy when one changes; the others as they are)."""
    return _rewritten_uniques(uniques, used, _BY_POLICE_PREFILTER, by_police)


def _rewritten_uniques(uniques: np.ndarray, used: np.ndarray, prefilter: str, rewrite) -> np.ndarray:
    """`uniques` with `rewrite` applied to those at the positions `used` in which a vectorised search finds
    `prefilter` (an RE2 pattern, case ignored): a copy when one changes, the others as they are."""
    from .rules.base import _prefiltered_caseless

    used = used[(used >= 0) & (used < len(uniques))]
    if not len(used):
        return uniques
    hit = _prefiltered_caseless(pa.array(uniques[used], type=pa.large_string()), prefilter)
    out = uniques
    for i in used[hit].tolist():
        text = rewrite(uniques[i])
        if text != uniques[i]:
            if out is uniques:
                out = uniques.copy()
            out[i] = text
    return out


def _untimed_uniques(uniques: np.ndarray, used: np.ndarray) -> np.ndarray:
    """`uniques` with `untimed` applied to those at the positions `used` in which a vectorised search finds a
    found/located cue followed by a time (a copy when one changes; the others as they are)."""
    return _rewritten_uniques(uniques, used, _TIMED_PREFILTER, untimed)


#: a label at the start of the text or of a line ("\nDischarge summary: "): what ingest writes before a further
#: narrative column's text, under its header (`review.ingest.load`); read as one only when its words are a
#: narrative header (`review.ingest.headers.is_narrative_label`); a sentence's end is no part of one ("Burn.
#: Discharge summary: ..." is the agency's own words)
_LABEL = re.compile(r"(^|\n)[ \t]*([^\n:.;!?]{1,80}?)[ \t]*:[ \t]*")
#: an RE2 pattern finding (at least) every text `_LABEL` finds a label in, for a vectorised search
_LABEL_PREFILTER = r"(?:^|\n)[^\n:.;!?]{1,80}:"


def unlabelled(text) -> str:
    """`text` with the labels ingest writes before a further narrative column's text left out ("Burn to right
    hand\nDischarge summary: Dressing applied" -> "Burn to right hand\nDressing applied": the line break stays,
    a clause mark), so that no reading takes a column's header for the agency's words ("discharge summary" is a
    record at a distance); an agency's own label ("Child seen: no") stays. A blank cell ""."""
    if text is None or text is pd.NA or (isinstance(text, float) and text != text):
        return ""
    text = str(text)
    if ":" not in text:
        return text
    from .ingest.headers import is_narrative_label

    return _LABEL.sub(lambda m: m.group(1) if is_narrative_label(m.group(2)) else m.group(0), text)


def _unlabelled_uniques(uniques: np.ndarray, used: np.ndarray) -> np.ndarray:
    """`uniques` with `unlabelled` applied to those at the positions `used` in which a vectorised search finds
    a label at a line's start (a copy when one changes; the others as they are)."""
    return _rewritten_uniques(uniques, used, _LABEL_PREFILTER, unlabelled)


def _denied(contact_type: str, text: str, key: str = "") -> bool:
    """Does the row's text say its own type did not take place ("CP medical cancelled", "Admission
    postponed": `review.vocab.denies`, as the rules read a type held)? Then the type is no sighting."""
    from .rules.base import _negating_vocab
    from .vocab import denies

    return denies(contact_type, text, _negating_vocab((), key))


def _row_text(description, action) -> str:
    def text(value):
        return "" if value is None or value is pd.NA or (isinstance(value, float) and value != value) else str(value)

    return text(description) + " . " + text(action)


def read_sighting(contact_type, concerns, description, action="", vocab: str = "") -> bool | None:
    """The sighting one row records when its Child seen cell is empty: True, False or None (unknown); see
    the module's docstring. `vocab`: the `review.rules.base.vocab_key` of the case's own vocab.yml ("": the
    package vocabulary). The row-by-row reading (benchmarks/baseline_rowwise.py reads every row with it);
    `inferred_sightings` gives the same for a table."""
    ct = "" if contact_type is None or contact_type is pd.NA else str(contact_type)
    return _decide(ct, _tags(concerns), _row_text(unlabelled(by_police(untimed(description))),
                                                  unlabelled(by_police(untimed(action)))),
                   key=vocab)


def _found(text: str, words: tuple, key: str = "", subject: bool = False) -> bool:
    """Does `text` mention one of `words` at all, negated or not (`_names` without the negation)?"""
    from .rules.base import _negating_vocab, _phrases

    pattern = _pattern(words)
    if pattern is None:
        return False
    tokens = _negating_vocab((), key).tokens(text)
    found = set(pattern.findall(" ".join(tokens)))
    if not found or not subject:
        return bool(found)
    return _subject_read(tokens, _phrases(tuple(sorted(found))).find(tokens), key, subject)


@functools.lru_cache(maxsize=16)
def _negation_prefilter(words: tuple, key: str = "") -> tuple[str, ...]:
    """`review.rules.base._denial_prefilter`'s patterns finding, in a text as `_may_deny` rewrites it, one of
    `words` (their last word possibly longer, as `_pattern` reads it) and a negation cue where
    `Vocabulary.find_spans` could read the cue as negating it: a negation cue before or after it in its
    clause, or one of `label_negations` or a post cue answering it as a label ("Child seen: no")."""
    from .rules.base import _denial_prefilter, _negating_vocab
    from .vocab import normalise_text

    vocab = _negating_vocab((), key)
    cues = {" ".join(w) for phrases in (vocab.cues, vocab.post_cues, vocab.label_negations)
            for candidates in phrases._by_first.values() for w in candidates}
    keywords = tuple(sorted({normalise_text(w) for w in words} - {""}))
    return _denial_prefilter(keywords, tuple(sorted(cues)), open_ended=True)


#: from this many texts on, `_read` searches them all at once for a negation cue that may reach a cue's words
#: and reads in full (`_names`, ~100 microseconds a case note) only those where one may
_NEGATION_SEARCH_FROM = 200


def _may_hold(uniques: np.ndarray, words: tuple, used: np.ndarray | None = None,
              arrow: dict | None = None) -> np.ndarray:
    """Which of the distinct texts `uniques` a whole-word search finds one of `words` in (a superset of
    those `_names` finds one in: `review.rules.base._keyword_prefilter`, which takes any character but a-z
    and 0-9 for a word's end); only those at the positions `used` are searched, when given (the rest
    False). `arrow`: a dict kept by the caller for these `uniques`, in which their Arrow array and which of
    them are ASCII are kept for the next search (made once, not per search)."""
    from .rules.base import _ascii_mask, _keyword_prefilter, _prefiltered_caseless

    out = np.zeros(len(uniques), dtype=bool)
    if used is None:
        used = np.arange(len(uniques))
    used = used[(used >= 0) & (used < len(uniques))]
    if not words or not len(used):
        return out
    if arrow is None:
        column = pa.array(uniques[used], type=pa.large_string())
        out[used] = _prefiltered_caseless(column, _keyword_prefilter(words))
        return out
    if "texts" not in arrow:
        arrow["texts"] = pa.array(uniques, type=pa.large_string())
        arrow["ascii"] = _ascii_mask(arrow["texts"])
    column, ascii_ = arrow["texts"], arrow["ascii"]
    if len(used) != len(uniques):
        column, ascii_ = column.take(pa.array(used)), ascii_[used]
    out[used] = _prefiltered_caseless(column, _keyword_prefilter(words), ascii_)
    return out


def _factorised(values: pd.Series) -> tuple[np.ndarray, np.ndarray]:
    """(codes, distinct values as str) of a column, a blank (NA) cell read as "" (its own code, last)."""
    codes, uniques = pd.factorize(values, sort=False, use_na_sentinel=True)
    codes = codes.astype("int64")
    codes[codes < 0] = len(uniques)
    return codes, np.append(np.asarray(uniques, dtype=object), "").astype(object)


def _text_codes(values: pd.Series, rows: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """(codes of the rows `rows`, distinct texts) of a text column, NA read as "": a long column through
    `review.timeline._codes`, whose factorisation of the whole column is made once and shared with the
    timeline's links and the rules (the same Arrow array), else `_factorised` of those rows."""
    from .timeline import _SMALL, _codes

    if len(values) < _SMALL:
        return _factorised(values.iloc[rows])
    codes, uniques = _codes(values, sort=False)
    return np.asarray(codes[rows], dtype="int64"), uniques


def _combine(a: np.ndarray, b: np.ndarray, nb: int) -> np.ndarray:
    return pd.factorize(a * (nb + 1) + b, sort=False)[0].astype("int64")


def inferred_sightings(frame: pd.DataFrame, vocab=None) -> pd.arrays.BooleanArray:
    """``child_seen_inferred`` of a table with child_seen, contact_type, concerns, description and action:
    NA where child_seen is recorded, else `read_sighting` of the row (NA for unknown). Each distinct
    (contact type, concerns, description, action) of the blank rows is read once. `vocab`: the
    `review.rules.base.vocab_key` of the case vocabulary the rows are read with: one for every row (None or
    "": the package's), or one per row (a case's own vocab.yml may add sighting cues, contact types and
    remote words): the rows are read in one group per distinct vocabulary."""
    if vocab is None or isinstance(vocab, str):
        return _inferred(frame, vocab or "")
    keys = np.asarray(vocab, dtype=object)
    if len(keys) != len(frame):
        raise ValueError(f"{len(keys)} vocabulary keys for {len(frame)} rows")
    codes, uniques = pd.factorize(pd.Series(keys, dtype=object).fillna(""), sort=False)
    if len(uniques) <= 1:
        return _inferred(frame, str(uniques[0]) if len(uniques) else "")
    data = np.zeros(len(frame), dtype=bool)
    mask = np.ones(len(frame), dtype=bool)
    for i, key in enumerate(uniques):
        rows = np.flatnonzero(codes == i)
        part = _inferred(frame.iloc[rows], str(key))
        data[rows] = part.to_numpy(dtype=bool, na_value=False)
        mask[rows] = part.isna()
    return pd.arrays.BooleanArray(data, mask)


def _inferred(frame: pd.DataFrame, key: str) -> pd.arrays.BooleanArray:
    """`inferred_sightings` of rows all read with the vocabulary `key`."""
    n = len(frame)
    out = pd.array(np.full(n, pd.NA), dtype="boolean")
    if not n:
        return out
    blank = np.flatnonzero(frame["child_seen"].isna().to_numpy())
    if not len(blank):
        return out
    part = frame[["contact_type", "concerns"]].iloc[blank]  # the columns read only
    ct_codes, ct_uniques = _factorised(part["contact_type"])
    tag_codes, tag_uniques = _factorised(part["concerns"])
    d_codes, d_uniques = _text_codes(frame["description"], blank)
    a_codes, a_uniques = _text_codes(frame["action"], blank)
    combined = _combine(_combine(_combine(ct_codes, tag_codes, len(tag_uniques)), d_codes, len(d_uniques)),
                        a_codes, len(a_uniques))
    inverse, _ = pd.factorize(combined, sort=False)
    first = np.unique(inverse, return_index=True)[1]  # a row of each distinct combination, in code order
    # "Located 02:15 on 04/03 in a car" read as "Located in a car", as `read_sighting` reads it
    d_uniques = _untimed_uniques(d_uniques, np.unique(d_codes[first]))
    a_uniques = _untimed_uniques(a_uniques, np.unique(a_codes[first]))
    # "Found by Eastshire Police" read as "Found by police", "Collected by officers" as the child's (s21)
    d_uniques = _by_police_uniques(d_uniques, np.unique(d_codes[first]))
    a_uniques = _by_police_uniques(a_uniques, np.unique(a_codes[first]))
    # ingest's labels before a further column's text ("Discharge summary: ...") left out, as `read_sighting` does
    d_uniques = _unlabelled_uniques(d_uniques, np.unique(d_codes[first]))
    a_uniques = _unlabelled_uniques(a_uniques, np.unique(a_codes[first]))
    # the positive readings leave out the sentences reporting another agency's record ("Police notification: ...
    # found in Hartsford"), as `_decide` does (`_own_account`); the type's reading after them reads the whole text
    full_d, full_a = d_uniques, a_uniques
    markers, openers = onward_words(key)
    d_uniques = _own_uniques(d_uniques, np.unique(d_codes[first]), markers)
    a_uniques = _own_uniques(a_uniques, np.unique(a_codes[first]), markers)
    types, cues, remote = sighting_words(key)
    tag_sets = [_tags(t) for t in tag_uniques]
    not_seen_tag = np.array([NOT_SEEN_TAG in t for t in tag_sets] + [False], dtype=bool)
    not_brought_tag = np.array([NOT_BROUGHT in t for t in tag_sets] + [False], dtype=bool)
    present_type = np.array([str(t) in types for t in ct_uniques] + [False], dtype=bool)
    brought_type = np.array([str(t) == NOT_BROUGHT for t in ct_uniques] + [False], dtype=bool)
    # per distinct combination (its first row `first`): the same steps as `_decide`, the texts read only
    # where a vectorised search found a cue or a remote word (each distinct description + action once)
    c_ct, c_tag, c_d, c_a = ct_codes[first], tag_codes[first], d_codes[first], a_codes[first]
    value = np.full(len(first), -1, dtype="int8")  # -1 unknown, 0 not seen, 1 seen
    denied = not_seen_tag[c_tag]
    # a "not seen" that is someone else's report or a past time ("Call from neighbour: boy not seen for months") is
    # no denial: read only where a vectorised search finds a reporter or a time word (`_not_seen_reported`)
    # (s22) or an elliptical "not seen" in a text naming the child seen (`not_seen_mentions_elsewhere`): where
    # the child's words are found too
    _, reporters, durations = not_seen_report_words(key)
    child_words = tuple(sorted(_subjects(key)[0]))
    if denied.any() and (reporters or durations or child_words):
        report_words = tuple(reporters) + durations + ("for",) + child_words
        ask = denied & (_may_hold(d_uniques, report_words, np.unique(c_d[denied]))[c_d]
                        | _may_hold(a_uniques, report_words, np.unique(c_a[denied]))[c_a])
        if ask.any():
            denied = denied & ~_read_each(c_d, c_a, ask, d_uniques, a_uniques, lambda t: _not_seen_reported(t, key))
    value[denied] = 0
    # the texts searched for a cue: those of the combinations not denied by their tag; for a remote word:
    # those of the combinations of a present type (code -1, a blank text, is no position: nothing to find)
    d_arrow, a_arrow = {}, {}  # each column's texts made an Arrow array once, for both searches
    cue_d = _may_hold(d_uniques, cues, np.unique(c_d[~denied]), d_arrow)
    cue_a = _may_hold(a_uniques, cues, np.unique(c_a[~denied]), a_arrow)
    typed = ~denied & present_type[c_ct]
    ask = ~denied & (cue_d[c_d] | cue_a[c_a])
    value[ask & _read(c_d, c_a, ask, d_uniques, a_uniques, cues, key, subject=True)] = 1
    # the child seen among others ("Tyler and Poppy seen", "children seen"): only texts naming the child as well
    group, child_words = group_words(key)
    if group:
        ask = (value == -1) & ~denied
        group_d = _may_hold(d_uniques, group, np.unique(c_d[ask]), d_arrow)
        group_a = _may_hold(a_uniques, group, np.unique(c_a[ask]), a_arrow)
        ask &= group_d[c_d] | group_a[c_a]
        named_d = _may_hold(d_uniques, child_words, np.unique(c_d[ask]), d_arrow)
        named_a = _may_hold(a_uniques, child_words, np.unique(c_a[ask]), a_arrow)
        ask &= named_d[c_d] | named_a[c_a]
        value[ask & _read(c_d, c_a, ask, d_uniques, a_uniques, group, key, subject=GROUP)] = 1
    # speaking to the child face to face ("Spoke to Ellie at school"; not "telephone call, spoke to Ellie")
    spoken, in_types, in_words, far_types, far_words = spoken_words(key)
    if spoken:
        far_type = np.array([str(t) in far_types for t in ct_uniques] + [False], dtype=bool)
        near_type = np.array([str(t) in in_types for t in ct_uniques] + [False], dtype=bool)
        ask = (value == -1) & ~denied & ~far_type[c_ct]
        spoken_d = _may_hold(d_uniques, spoken, np.unique(c_d[ask]))
        spoken_a = _may_hold(a_uniques, spoken, np.unique(c_a[ask]))
        ask &= spoken_d[c_d] | spoken_a[c_a]
        ask &= _read(c_d, c_a, ask, d_uniques, a_uniques, spoken, key)
        if ask.any():
            far = _may_hold(d_uniques, far_words, np.unique(c_d[ask]))[c_d] | _may_hold(
                a_uniques, far_words, np.unique(c_a[ask]))[c_a]
            ask &= ~(far & ask & _read(c_d, c_a, ask & far, d_uniques, a_uniques, far_words, key))
            near = _may_hold(d_uniques, in_words, np.unique(c_d[ask]))[c_d] | _may_hold(
                a_uniques, in_words, np.unique(c_a[ask]))[c_a]
            in_person = near_type[c_ct] | (near & _read(c_d, c_a, ask & near & ~near_type[c_ct], d_uniques,
                                                          a_uniques, in_words, key))
            value[ask & in_person] = 1
    # what the child said ("Kayleigh said ..."), not at a distance; the child at home when the police attend
    said, presence, presence_types = said_words(key)
    _, _, _, far_types, far_words = spoken_words(key)
    far_type = np.array([str(t) in far_types for t in ct_uniques] + [False], dtype=bool)
    presence_type = np.array([str(t) in presence_types for t in ct_uniques] + [False], dtype=bool)
    for words, allowed in ((said, ~far_type[c_ct]), (presence, presence_type[c_ct])):
        if not words:
            continue
        ask = (value == -1) & ~denied & allowed
        hold_d = _may_hold(d_uniques, words, np.unique(c_d[ask]), d_arrow)
        hold_a = _may_hold(a_uniques, words, np.unique(c_a[ask]), a_arrow)
        ask &= hold_d[c_d] | hold_a[c_a]
        ask &= _read(c_d, c_a, ask, d_uniques, a_uniques, words, key, subject=True)
        if ask.any():
            far_d, far_a, arrows = d_uniques, a_uniques, (d_arrow, a_arrow)
            if words is said:  # "Shared with CSC by email" passes the record on: no contact at a distance
                far_d = _own_uniques(d_uniques, np.unique(c_d[ask]), openers, anywhere=False)
                far_a = _own_uniques(a_uniques, np.unique(c_a[ask]), openers, anywhere=False)
                if far_d is not d_uniques or far_a is not a_uniques:
                    arrows = ({}, {})
            far = _may_hold(far_d, far_words, np.unique(c_d[ask]), arrows[0])[c_d] | _may_hold(
                far_a, far_words, np.unique(c_a[ask]), arrows[1])[c_a]
            ask &= ~(far & ask & _read(c_d, c_a, ask & far, far_d, far_a, far_words, key))
            value[ask] = 1
    if d_uniques is not full_d or a_uniques is not full_a:  # the whole texts again, for the type's reading
        d_uniques, a_uniques = full_d, full_a
        d_arrow, a_arrow = {}, {}
        cue_d = _may_hold(d_uniques, cues, np.unique(c_d[~denied]), d_arrow)
        cue_a = _may_hold(a_uniques, cues, np.unique(c_a[~denied]), a_arrow)
    remote_d = _may_hold(d_uniques, remote, np.unique(c_d[typed]), d_arrow)
    remote_a = _may_hold(a_uniques, remote, np.unique(c_a[typed]), a_arrow)
    open_ = value == -1
    value[open_ & ~denied & (not_brought_tag[c_tag] | brought_type[c_ct])] = 0
    # an examination or an observation of the child at a face-to-face clinic appointment ("Looks thin", "Check-up.
    # Multiple caries"): only texts of such a type a vectorised search finds one of the words in
    exam_types, exam_words, _ = examination_words(key)
    links, child_words = clinic_subject_words(key)
    if (exam_words or (links and child_words)) and exam_types:
        exam_type = np.array([str(t) in exam_types for t in ct_uniques] + [False], dtype=bool)
        ask = (value == -1) & ~denied & exam_type[c_ct]
        if ask.any():
            hold = np.zeros(len(ask), dtype=bool)
            if exam_words:
                hold |= (_may_hold(d_uniques, exam_words, np.unique(c_d[ask]), d_arrow)[c_d]
                         | _may_hold(a_uniques, exam_words, np.unique(c_a[ask]), a_arrow)[c_a])
            if links and child_words:  # a clause opening with the child and a link (`_clinic_subject`)
                link_words = tuple(" ".join(w) for w in links)
                named = ask & ~hold & (_may_hold(d_uniques, child_words, np.unique(c_d[ask & ~hold]), d_arrow)[c_d]
                                       | _may_hold(a_uniques, child_words, np.unique(c_a[ask & ~hold]), a_arrow)[c_a])
                hold |= named & (_may_hold(d_uniques, link_words, np.unique(c_d[named]), d_arrow)[c_d]
                                 | _may_hold(a_uniques, link_words, np.unique(c_a[named]), a_arrow)[c_a])
            ask &= hold
            if ask.any():
                ask &= _read_each(c_d, c_a, ask, d_uniques, a_uniques, lambda t: _examination_read(t, key))
                value[ask] = 1
    open_ = (value == -1) & ~denied & present_type[c_ct]
    value[open_] = 1
    ask = open_ & (cue_d[c_d] | cue_a[c_a])  # someone else seen, the child not: the type implies no sighting
    value[ask & _read(c_d, c_a, ask, d_uniques, a_uniques, cues, key, subject=OTHER)] = -1
    ask = open_ & (value == 1) & (remote_d[c_d] | remote_a[c_a])
    ask &= _read(c_d, c_a, ask, d_uniques, a_uniques, remote, key)
    sent = sent_words(key)
    if sent and ask.any():  # "Letter to GP and HV": only where a sent phrase may hold the remote word is it read again
        onward = ask & (_may_hold(d_uniques, sent, np.unique(c_d[ask]), d_arrow)[c_d]
                        | _may_hold(a_uniques, sent, np.unique(c_a[ask]), a_arrow)[c_a])
        if onward.any():
            ask[onward] = _read_each(c_d, c_a, onward, d_uniques, a_uniques, lambda t: _remote(t, key))[onward]
    value[ask] = -1
    value[_type_denied(value == 1, open_, c_ct, c_d, c_a, ct_uniques, d_uniques, a_uniques, key)] = -1
    read = value[inverse]
    known = read >= 0
    data = np.zeros(n, dtype=bool)
    mask = np.ones(n, dtype=bool)
    data[blank[known]] = read[known] == 1
    mask[blank[known]] = False
    return pd.arrays.BooleanArray(data, mask)


def _read(d: np.ndarray, a: np.ndarray, ask: np.ndarray, d_uniques, a_uniques, words: tuple, key: str = "",
          subject: bool = False) -> np.ndarray:
    """`_names` of the description + action of the combinations `ask`, each distinct pair read once."""
    out = np.zeros(len(d), dtype=bool)
    pos = np.flatnonzero(ask)
    if not len(pos):
        return out
    inverse, _ = pd.factorize(d[pos] * (len(a_uniques) + 1) + a[pos], sort=False)
    first = np.unique(inverse, return_index=True)[1]
    texts = np.array([_row_text(d_uniques[d[pos[i]]], a_uniques[a[pos[i]]]) for i in first], dtype=object)
    hits = np.zeros(len(first), dtype=bool)
    maybe = np.ones(len(first), dtype=bool)
    if len(first) >= _NEGATION_SEARCH_FROM:
        from .rules.base import _may_deny

        # where no negation cue can reach the words, `_names` is whether they are there at all
        maybe = _may_deny(texts, _negation_prefilter(words, key))
        hits[~maybe] = [_found(t, words, key, subject) for t in texts[~maybe]]
    hits[maybe] = [_names(t, words, key, subject) for t in texts[maybe]]
    out[pos] = hits[inverse]
    return out


def _read_each(d: np.ndarray, a: np.ndarray, ask: np.ndarray, d_uniques, a_uniques, reading) -> np.ndarray:
    """`reading(text)` of the description + action of the combinations `ask`, each distinct pair read once."""
    out = np.zeros(len(d), dtype=bool)
    pos = np.flatnonzero(ask)
    if not len(pos):
        return out
    inverse, _ = pd.factorize(d[pos] * (len(a_uniques) + 1) + a[pos], sort=False)
    first = np.unique(inverse, return_index=True)[1]
    hits = np.array([reading(_row_text(d_uniques[d[pos[i]]], a_uniques[a[pos[i]]])) for i in first], dtype=bool)
    out[pos] = hits[inverse]
    return out


def _type_denied(seen: np.ndarray, by_type: np.ndarray, ct: np.ndarray, d: np.ndarray, a: np.ndarray,
                 ct_uniques, d_uniques, a_uniques, key: str = "") -> np.ndarray:
    """Of the combinations `seen` only by their type (`by_type`), those whose text says the type did not
    take place (`_denied`), each distinct (type, description, action) read once; many texts are read only
    where a negation cue may reach the type's words (`review.rules.base._may_deny`)."""
    from .rules.base import _DENIAL_SEARCH_FROM, _denial_prefilter, _may_deny, _negating_vocab, _negation_phrases

    out = np.zeros(len(seen), dtype=bool)
    pos = np.flatnonzero(seen & by_type)
    if not len(pos):
        return out
    inverse, _ = pd.factorize((ct[pos] * (len(d_uniques) + 1) + d[pos]) * (len(a_uniques) + 1) + a[pos], sort=False)
    first = np.unique(inverse, return_index=True)[1]
    names = np.array([str(ct_uniques[ct[pos[i]]]) for i in first], dtype=object)
    texts = np.array([_row_text(d_uniques[d[pos[i]]], a_uniques[a[pos[i]]]) for i in first], dtype=object)
    vocab = _negating_vocab((), key)
    hits = np.zeros(len(first), dtype=bool)
    for name in np.unique(names):
        at = np.flatnonzero(names == name)
        maybe = np.ones(len(at), dtype=bool)
        if len(at) >= _DENIAL_SEARCH_FROM:
            maybe = _may_deny(texts[at], _denial_prefilter(vocab.denial_words(name), _negation_phrases(vocab, name)))
        hits[at[maybe]] = [_denied(name, t, key) for t in texts[at[maybe]]]
    out[pos] = hits[inverse]
    return out


@functools.lru_cache(maxsize=64)
def attended_words(key: str = "") -> tuple[frozenset, tuple]:
    """(attended_seen_types, the words of a contact at a distance: sighting_at_a_distance_words and
    attended_at_a_distance_words, and of the child absent: sighting_absent_cues with the child's names, "Mum
    attended without Kayleigh") of the vocabulary `key`: `attended_seen` reads an Attended "Yes" with them."""
    raw = _raw_vocab(key)

    def words(name):
        return tuple(str(w) for w in raw.get(name) or ())

    absent = _named_cues(words("sighting_absent_cues"), _child_names(raw))
    return (frozenset(words("attended_seen_types")),
            tuple(dict.fromkeys(words("sighting_at_a_distance_words") + words("attended_at_a_distance_words")
                                + absent)))


@functools.lru_cache(maxsize=64)
def attended_setting_words(key: str = "") -> tuple[frozenset, frozenset]:
    """(attended_seen_agency_kinds, sighting_at_a_distance_types) of the vocabulary `key`: an Attended "Yes" in
    a nursery's or a school's register is the child in its setting (`attended_seen`, s19)."""
    raw = _raw_vocab(key)
    return (frozenset(str(w) for w in raw.get("attended_seen_agency_kinds") or ()),
            frozenset(str(w) for w in raw.get("sighting_at_a_distance_types") or ()))


def attended_seen(contact_type, concerns, description, action="", key: str = "", adults: frozenset = frozenset(),
                  agency_kind: str = "") -> bool:
    """Does an Attended cell saying Yes on this row say the child was brought and seen? Only at a face-to-face
    health or clinic appointment (vocab.yml `attended_seen_types`), or (s19) on a row of a nursery's or a school's
    (`attended_seen_agency_kinds`: an attendance register's week or day, "Attended: Yes", "Present") of any type
    but one at a distance (`sighting_at_a_distance_types`: a phone call, a letter): not tagged child_not_seen or
    was_not_brought,
    its description not worded as a contact at a distance ("Telephone consultation", "Virtual clinic": not
    negated, `attended_words`), and not about someone else (`_about_someone_else`: "Mum attended re low mood",
    "Mother's postnatal check"). Ingest sets such a row's child_seen True when its Child seen cell is blank
    (`review.ingest.load`); a "No" or "DNA" is a missed appointment there. `key`: the case's vocabulary key
    (`review.rules.base.case_vocab_key`, with the child's name); `adults`: the given names of the case's adults
    (case.yml `people`: "Sian attended re low mood", Sian the mother, is hers), normalised."""
    types, far = attended_words(key)
    ct = "" if contact_type is None or contact_type is pd.NA else str(contact_type)
    kinds, far_types = attended_setting_words(key)
    in_setting = bool(agency_kind) and str(agency_kind) in kinds and ct not in far_types
    if ct not in types and not in_setting:
        return False
    tags = _tags(concerns)
    if NOT_SEEN_TAG in tags or NOT_BROUGHT in tags:
        return False
    if far and _names(_row_text(description, ""), far, key):
        return False
    return not _about_someone_else(_row_text(description, action), key, adults)


@functools.lru_cache(maxsize=64)
def companion_words(key: str = "") -> tuple:
    """`sighting_companion_words` of the vocabulary `key`, normalised, as token tuples: what says the people a
    clause opens with were there with the child ("Mother present", "Mum and partner in attendance")."""
    from .vocab import normalise_text

    return tuple(tuple(w.split()) for w in dict.fromkeys(
        normalise_text(str(x)) for x in _raw_vocab(key).get("sighting_companion_words") or ()) if w)


def _about_someone_else(text: str, key: str = "", adults: frozenset = frozenset()) -> bool:
    """Is the row about someone other than the child? It names neither the child's word nor its name
    (`sighting_child_words`, the child's names: "Mum brought Kai", "Mum attended with baby" are the child's), and
    a clause opens with another person (`sighting_other_subjects`, or their possessive: "Mum attended re low
    mood", "Mother's postnatal check"), not one saying they were there with the child (s20,
    `sighting_companion_words`: "Mum and mum's partner present"), or the text says the appointment is for one
    ("Appointment for dad")."""
    from .rules.base import _negating_vocab

    child, others = _subjects(key)
    others = others | adults
    tokens = _negating_vocab((), key).tokens(text)
    if any(t in child for t in tokens):
        return False

    def other(token):
        return token in others or (token.endswith("s") and token[:-1] in others)

    companions = companion_words(key)

    def accompanying(i: int) -> bool:
        """Does the group of people opening a clause at `i` go on with a companion word ("Mum and mum's partner
        present": there with the child, not the appointment's subject)?"""
        j = i
        while j < len(tokens) and (other(tokens[j]) or tokens[j] in _DETERMINERS or tokens[j] in _JOINING):
            j += 1
        return any(tuple(tokens[j:j + len(w)]) == w for w in companions)

    opening = True  # the next word opens a clause
    for i, token in enumerate(tokens):
        if token[0] == "|":
            opening = True
            continue
        if opening and token in _DETERMINERS:
            continue
        if opening and other(token) and not (companions and accompanying(i)):
            return True
        if token == "for":
            after = next((t for t in tokens[i + 1:] if t not in _DETERMINERS), "")
            if other(after):
                return True
        opening = False
    return False


def seen_mask(frame: pd.DataFrame) -> np.ndarray:
    """Rows recording the child seen: child_seen True, or blank and child_seen_inferred True."""
    return _reading(frame).to_numpy(dtype=bool, na_value=False)


def not_seen_mask(frame: pd.DataFrame) -> np.ndarray:
    """Rows recording the child not seen: child_seen False, or blank and child_seen_inferred False."""
    return (~_reading(frame)).to_numpy(dtype=bool, na_value=False)


def _reading(frame: pd.DataFrame) -> pd.Series:
    recorded = frame["child_seen"].astype("boolean")
    if "child_seen_inferred" not in frame.columns:
        return recorded
    return recorded.fillna(frame["child_seen_inferred"].astype("boolean"))


#: `sighting_status`'s categories, in the order the outputs show them: what the agency recorded, and apart
#: from it what the timeline read from a row whose Child seen cell is blank
SEEN, SEEN_READ, NOT_SEEN, NOT_SEEN_READ, UNKNOWN = (
    "seen", "seen (read from the text)", "not seen", "not seen (read from the text)", "unknown")
SIGHTING_STATUSES = (SEEN, SEEN_READ, NOT_SEEN, NOT_SEEN_READ, UNKNOWN)


def sighting_status(frame: pd.DataFrame) -> np.ndarray:
    """Per row, one of `SIGHTING_STATUSES`: the Child seen cell as recorded ("seen", "not seen"), else the
    timeline's reading of the row (child_seen_inferred: "seen (read from the text)", "not seen (read from
    the text)"), else "unknown". Seen at all = `seen_mask` (the first two), not seen = `not_seen_mask`. A
    table without child_seen_inferred (a timeline stored before it) has no read sightings."""
    recorded = frame["child_seen"].astype("boolean")
    out = np.full(len(frame), UNKNOWN, dtype=object)
    known = recorded.notna().to_numpy()
    value = recorded.to_numpy(dtype=bool, na_value=False)
    out[known & value] = SEEN
    out[known & ~value] = NOT_SEEN
    if "child_seen_inferred" in frame.columns:
        read = frame["child_seen_inferred"].astype("boolean")
        has = ~known & read.notna().to_numpy()
        r = read.to_numpy(dtype=bool, na_value=False)
        out[has & r] = SEEN_READ
        out[has & ~r] = NOT_SEEN_READ
    return out


@functools.lru_cache(maxsize=8)
def setting_presence_words(key: str = "") -> tuple[frozenset, frozenset, tuple, frozenset, tuple]:
    """(setting_presence_agency_kinds, setting_presence_types, setting_presence_words, setting_presence_tags,
    sighting_at_a_distance_words) of the vocabulary `key`: `present_in_setting` reads a school's or a nursery's
    own record of the child in its setting with them."""
    raw = _raw_vocab(key)

    def words(name):
        return tuple(str(w) for w in raw.get(name) or ())

    return (frozenset(words("setting_presence_agency_kinds")), frozenset(words("setting_presence_types")),
            words("setting_presence_words"), frozenset(words("setting_presence_tags")),
            words("sighting_at_a_distance_words"))


def present_in_setting(frame: pd.DataFrame, key: str = "") -> np.ndarray:
    """Per row of a table with agency_kind, contact_type, description (and action, concerns, child_seen,
    child_seen_inferred when there), whether it is a school's or a nursery's record of the child in its setting
    (vocab.yml setting_presence_*): a row of one of `setting_presence_agency_kinds` and `setting_presence_types`
    (a school's `other`) whose description is no contact at a distance (`sighting_at_a_distance_words`: "Phone
    call to mum re attendance", "Letter home re head lice") and that records or reads the child seen
    (`seen_mask`: "Tyler arrived hungry", "Ellie said ..."), names one of `setting_presence_words` in its
    description or action, not negated ("in class", "seen in school", "bruise noticed by TA", "Body map"), or
    logs a concern seen on the child (`setting_presence_tags`: bruising, neglect). Each distinct description
    (and action) is read once, those a vectorised search finds no word in not at all."""
    kinds, types, words, tags, far_words = setting_presence_words(key)
    out = np.zeros(len(frame), dtype=bool)
    if not len(frame) or not kinds or not {"agency_kind", "contact_type", "description"} <= set(frame.columns):
        return out
    rows = np.flatnonzero((frame["agency_kind"].astype("string").isin(list(kinds))
                           & frame["contact_type"].astype("string").isin(list(types))).fillna(False).to_numpy(dtype=bool))
    if not len(rows):
        return out
    part = frame.iloc[rows]
    d_codes, d_uniques = _factorised(part["description"])
    arrow: dict = {}
    far = _may_hold(d_uniques, far_words, np.unique(d_codes), arrow)
    far[far] = [_names(str(t), far_words, key) for t in d_uniques[far]]
    present = _may_hold(d_uniques, words, np.unique(d_codes), arrow)
    if "action" in part.columns:
        a_codes, a_uniques = _factorised(part["action"])
        in_action = _may_hold(a_uniques, words, np.unique(a_codes))[a_codes]
    else:
        a_codes, a_uniques, in_action = np.zeros(len(rows), dtype="int64"), np.array([""], dtype=object), \
            np.zeros(len(rows), dtype=bool)
    ask = ~far[d_codes] & (present[d_codes] | in_action)
    said = _read(d_codes, a_codes, ask, d_uniques, a_uniques, words, key)
    if "concerns" in part.columns and tags:
        t_codes, t_uniques = _factorised(part["concerns"])
        logged = np.array([bool(_tags(t) & tags) for t in t_uniques], dtype=bool)[t_codes]
    else:
        logged = np.zeros(len(rows), dtype=bool)
    seen = seen_mask(part) if "child_seen" in part.columns else np.zeros(len(rows), dtype=bool)
    out[rows] = ~far[d_codes] & (seen | said | logged)
    return out


def sighting_conflicts(timeline: pd.DataFrame) -> pd.DataFrame:
    """Data-quality warnings on the events several rows report (one ``event_group``, as `review.timeline` links
    them) whose rows disagree on whether the child was seen: one recording or reading the child seen
    (`seen_mask`), another not seen (`not_seen_mask`). Both records are kept as each agency made them (neither
    overwrites the other, and each row's own reading is what the rules use): each such row gets a warning naming
    the other rows of its event with what each says (file, sheet, row, agency), for the reviewer to check which is
    right. Columns as `review.ingest.report.IngestReport.rejections_frame`'s: file, sheet, row, column, kind
    ("warning"), reason; in the timeline's order. Only the few conflicting groups are read row by row."""
    columns = ["file", "sheet", "row", "column", "kind", "reason"]
    empty = pd.DataFrame({c: pd.Series(dtype="Int64" if c == "row" else object) for c in columns})
    if not len(timeline) or "event_group" not in timeline.columns or "child_seen" not in timeline.columns:
        return empty
    groups = timeline["event_group"].astype("string").fillna("").to_numpy(dtype=object)
    codes, uniques = pd.factorize(groups, sort=False)
    seen = np.bincount(codes, weights=seen_mask(timeline), minlength=len(uniques)) > 0
    unseen = np.bincount(codes, weights=not_seen_mask(timeline), minlength=len(uniques)) > 0
    conflicting = seen & unseen
    if not conflicting.any():
        return empty
    rows = np.flatnonzero(conflicting[codes])
    status = sighting_status(timeline.iloc[rows])

    def cell(name, i):
        value = timeline[name].iloc[i] if name in timeline.columns else None
        return "" if value is None or value is pd.NA or (isinstance(value, float) and value != value) else str(value)

    def where(i):
        sheet = cell("source_sheet", i)
        return (f"{cell('source_file', i)}" + (f", sheet {sheet!r}" if sheet else "")
                + f", row {cell('source_row', i)} ({cell('agency', i)})")

    out = []
    for k, i in enumerate(rows):
        others = [(j, status[m]) for m, j in enumerate(rows) if j != i and codes[j] == codes[i]]
        told = "; ".join(f"{where(j)} says {said!r}" for j, said in others)
        row = cell("source_row", i)
        out.append([cell("source_file", i), cell("source_sheet", i), int(row) if row.isdigit() else None, "Child seen",
                    "warning",
                    f"reports the same event as another agency's record (event group {groups[i]}), but they disagree "
                    f"whether the child was seen: this row says {status[k]!r}, {told}. Both records are kept as each "
                    "agency made them; check which is right"])
    frame = pd.DataFrame(out, columns=columns)
    frame["row"] = pd.array([r[2] for r in out], dtype="Int64")
    return frame
