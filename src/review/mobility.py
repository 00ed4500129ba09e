"""What a record says about the child's mobility: "not yet rolling or sitting, not independently mobile"
(not mobile) or "now crawling" (mobile). The timeline lets these words, not age alone, say whether the
child was independently mobile (NICE CG89: bruising in a child who is not independently mobile), from the
record that states it until a record states otherwise (`review.timeline.child_mobile_recorded`).

Read conservatively, one distinct text at a time (`mobility_statement`, cached):

* not mobile: a negation ("not", "not yet", "unable to", "cannot", "nor", "non") before a list of
  milestones ("not yet rolling or sitting", "not independently mobile", "unable to sit or crawl"), the list
  naming at least one of `NONMOBILE_MILESTONES` (mobile, crawling, rolling, sitting): "not walking" alone is
  no statement (a crawler is mobile; a toddler "not walking on his leg since the fall" is injured, not
  non-mobile); or "non-mobile", "immobile";
* mobile: `MOBILE_WORDS` (crawling, cruising, walking, "mobile", bottom shuffling) outside such a negated
  list and not a "mobile phone" (`MOBILE_NOT_AFTER`). A text stating both ("crawling, not yet walking")
  states mobility;
* a clause (split at . ; : and newlines) naming another person before the words ("Mum not mobile since her
  operation", "dad walking the dog") says nothing about the child (`OTHER_PERSONS`).

The word lists are module constants (a case cannot change them): they are the reading the timeline, the
rules and the row-by-row baseline (benchmarks/baseline_rowwise.py) share.
"""
from __future__ import annotations

import re
from functools import lru_cache

#: milestones whose negation says the child is not independently mobile
NONMOBILE_MILESTONES = ("independently mobile", "mobile", "mobilising", "mobilizing", "crawling", "crawl",
                        "rolling", "roll", "rolling over", "sitting", "sitting up", "sit", "sit up")
#: milestones that may sit in a negated list with them ("not yet rolling, sitting or walking") but say
#: nothing alone ("not walking": a crawler is mobile)
OTHER_MILESTONES = ("walking", "walk", "cruising", "cruise", "standing", "stand", "weight bearing",
                    "weight-bearing", "bottom shuffling")
#: words stating that the child is mobile
MOBILE_WORDS = ("crawling", "crawls", "crawled", "cruising", "cruises", "walking", "walks", "walked",
                "mobile", "independently mobile", "mobilising", "mobilizing", "bottom shuffling",
                "bottom-shuffling", "pulling to stand", "pulls to stand")
#: a word after "mobile"/"walking" that makes it something else ("mobile phone", "walking distance")
MOBILE_NOT_AFTER = ("phone", "phones", "number", "no", "home", "unit", "units", "library", "app", "team",
                    "clinic", "service", "distance", "aid", "frame", "stick", "boots", "shoes")
#: other people: a clause naming one before the words is about them, not the child
OTHER_PERSONS = ("mum", "mums", "mother", "mothers", "mom", "mummy", "dad", "dads", "father", "fathers",
                 "daddy", "parent", "parents", "partner", "partners", "stepfather", "stepmother", "stepdad",
                 "stepmum", "grandmother", "grandfather", "grandparent", "grandparents", "gran", "grandma",
                 "grandad", "granddad", "nan", "nana", "carer", "carers", "sibling", "siblings", "brother",
                 "sister", "uncle", "aunt", "auntie", "boyfriend", "girlfriend", "husband", "wife", "adult",
                 "adults", "perpetrator", "patient")
NEGATIONS = ("not", "non", "nor", "never", "unable to", "not able to", "cannot", "can't", "cant", "can not",
             "isn't", "isnt", "is not", "not yet able to")

NOT_MOBILE, NO_STATEMENT, MOBILE = -1, 0, 1


def _alternation(words) -> str:
    return "|".join(re.escape(w).replace(r"\ ", r"\s+") for w in sorted(set(words), key=len, reverse=True))


_MILESTONE = _alternation(NONMOBILE_MILESTONES + OTHER_MILESTONES)
_NEGATED_LIST = re.compile(
    rf"\b(?:{_alternation(NEGATIONS)})\s+(?:yet\s+)?(?:(?:independently|fully|able\s+to)\s+)*"
    rf"(?P<list>(?:{_MILESTONE})\b(?:\s*(?:,|/|\bor\b|\band\b|\bnor\b)\s*(?:(?:yet|independently)\s+)?"
    rf"(?:{_MILESTONE})\b)*)")
_DECISIVE = re.compile(rf"\b(?:{_alternation(NONMOBILE_MILESTONES)})\b")
_NONMOBILE_WORD = re.compile(r"\b(?:non[\s-]?mobile|immobile)\b")
_MOBILE = re.compile(rf"\b(?:{_alternation(MOBILE_WORDS)})\b(?!\s+(?:{_alternation(MOBILE_NOT_AFTER)})\b)")
_OTHER = re.compile(rf"\b(?:{_alternation(OTHER_PERSONS)})(?:'s)?\b")
_CLAUSES = re.compile(r"[.;:\n]+")
#: the start of every word the readings look for ("visit" is no "sit", "understanding" no "standing"); also
#: the vectorised prefilter over a column's distinct texts (RE2, `review.timeline.recorded_mobility`)
ANY_WORD_PATTERN = (r"\b(?:mobil|immobil|non[\s-]?mobil|crawl|roll|sit|walk|cruis|bottom|pull|stand|weight[\s-]bearing)")
_ANY_WORD = re.compile(ANY_WORD_PATTERN)


def _clause_statement(clause: str) -> int:
    other = _OTHER.search(clause)
    limit = other.start() if other else len(clause)  # words after another person are about them
    clause = clause[:limit]
    not_mobile = False
    kept = []
    last = 0
    for match in _NEGATED_LIST.finditer(clause):
        not_mobile |= bool(_DECISIVE.search(match.group("list")))
        kept.append(clause[last:match.start()])
        last = match.end()
    kept.append(clause[last:])
    rest = " ".join(kept)
    not_mobile |= bool(_NONMOBILE_WORD.search(rest))
    rest = _NONMOBILE_WORD.sub(" ", rest)
    if _MOBILE.search(rest):
        return MOBILE
    return NOT_MOBILE if not_mobile else NO_STATEMENT


@lru_cache(maxsize=65536)
def mobility_statement(text: str) -> int:
    """MOBILE (1) when `text` states the child is mobile, NOT_MOBILE (-1) when it states the child is not
    (yet) independently mobile, NO_STATEMENT (0) otherwise; a text stating both states mobility."""
    if not text:
        return NO_STATEMENT
    lowered = str(text).lower().replace("\u2019", "'")
    if not _ANY_WORD.search(lowered):
        return NO_STATEMENT  # the usual text: no milestone word at all (one cheap search)
    found = [_clause_statement(clause) for clause in _CLAUSES.split(lowered) if _ANY_WORD.search(clause)]
    if MOBILE in found:
        return MOBILE
    return NOT_MOBILE if NOT_MOBILE in found else NO_STATEMENT


def row_statement(description, action) -> int:
    """A row's statement: its description's and action's, the mobile one winning (`mobility_statement`)."""
    found = {mobility_statement("" if d is None else str(d)) for d in (description, action)}
    if MOBILE in found:
        return MOBILE
    return NOT_MOBILE if NOT_MOBILE in found else NO_STATEMENT
