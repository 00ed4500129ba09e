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
  operation", "dad walking the dog", "Class went walking to the park", "staff walked with J") says nothing
  about the child (`OTHER_PERSONS`), unless the person reports and the child is the subject (`REPORT_WORDS`,
  then the child's given name, or "he" / "she" agreeing with the child's sex when known, whoever reports,
  unless the words after it mark it as the reporter's own, `REPORTER_OWN_WORDS`: "Mum says he is crawling" in
  a boy, "Mum says she is walking", "nursery staff report she is cruising" in a girl, but not "Mum says she
  herself is walking again"; "walking by herself", "on her own" are the child unaided; "staff report Jayden
  walking"): the words after the subject are the child's (`child`, the case's (given name, sex); without it,
  nothing is the child's: with no child_sex no pronoun is read); the case's adults named by their given name
  (case.yml `people`, "Sian Wren: Mother", as ingest and the self-harm reading take them) are other persons too
  (s18: "Sian says she is walking" is read as "Mum says she is walking", "Sian not mobile since her operation"
  is hers);
* a mobile word moved by equipment or full support ("mobile in powered wheelchair", "mobilising in his
  wheelchair", "walks with full support": the word, at most five words, one of `AIDED_LINKS`, at most two
  words, one of `AIDED_WORDS`) is no independent mobility, nor a "mobile hoist" (`MOBILE_NOT_AFTER`).

A child who will never be independently mobile is best stated in case.yml (`mobile_from: never`,
`review.config.NEVER_MOBILE`): no record's words change that.

The word lists are the package vocab.yml's `mobility` section (documented there; a case's vocab.yml does not
change them), read once into this module's constants: they are the reading the timeline, the rules and the
row-by-row baseline (benchmarks/baseline_rowwise.py) share.
"""
from __future__ import annotations

import re
from functools import lru_cache

def _words(key: str) -> tuple[str, ...]:
    """The package vocab.yml's `mobility.<key>` word list (documented there)."""
    from .config import ConfigError, package_data

    words = (package_data("vocab.yml").get("mobility") or {}).get(key)
    if not isinstance(words, list) or any(isinstance(w, bool) for w in words):
        raise ConfigError(f"vocab.yml mobility.{key} must be a list of words (quote words like \"no\")")
    return tuple(str(w) for w in words if w is not None and str(w).strip())


#: milestones whose negation says the child is not independently mobile
NONMOBILE_MILESTONES = _words("nonmobile_milestones")
#: milestones that may sit in a negated list with them ("not yet rolling, sitting or walking") but say
#: nothing alone ("not walking": a crawler is mobile)
OTHER_MILESTONES = _words("other_milestones")
#: words stating that the child is mobile
MOBILE_WORDS = _words("mobile_words")
#: a word after "mobile"/"walking" that makes it something else ("mobile phone", "walking distance")
MOBILE_NOT_AFTER = _words("mobile_not_after")
#: other people: a clause naming one before the words is about them, not the child
OTHER_PERSONS = _words("other_persons")
NEGATIONS = _words("negations")
#: a mobile word followed by one of these, then one of AIDED_WORDS, is moved by equipment or support
AIDED_LINKS = _words("aided_links")
AIDED_WORDS = _words("aided_words")
#: a report by another person whose subject is the child ("Mum says he is crawling") is the child's statement
REPORT_WORDS = _words("report_words")

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
#: what follows a mobile word moved by equipment or full support ("mobile *in powered wheelchair*", "walks *with
#: full support*"): at most five words, a link, at most two words, the aid; no comma between
_AIDED_AFTER = re.compile(rf"(?:[^\w,]+\w+){{0,5}}?[^\w,]+(?:{_alternation(AIDED_LINKS)})"
                          rf"(?:[^\w,]+\w+){{0,2}}?[^\w,]+(?:{_alternation(AIDED_WORDS)})\b")
_OTHER = re.compile(rf"\b(?:{_alternation(OTHER_PERSONS)})(?:'s)?\b")
_CLAUSES = re.compile(r"[.;:\n]+")
#: at another person: "<person>['s] [a word] <report word> [that] <subject>", the subject in its group
_REPORTED = re.compile(rf"(?:{_alternation(OTHER_PERSONS)})(?:'s)?\s+(?:\w+\s+)?(?:{_alternation(REPORT_WORDS)})"
                       rf"\s+(?:that\s+)?(?P<subject>\w+)(?:'s)?\b")
_PRONOUN_SEX = {"he": "male", "she": "female"}
#: the vectorised prefilter (RE2, case ignored) of the texts `_REPORTED` may find something in: another person,
#: then a report word within two words (`review.timeline.recorded_mobility`)
REPORTED_PATTERN = (rf"\b(?:{_alternation(OTHER_PERSONS)})\b[^.;:\n]{{0,40}}?\b(?:{_alternation(REPORT_WORDS)})\b")


#: words after a reported pronoun making it the reporter's own ("Mum says she herself is walking again"), but not
#: straight after REPORTER_OWN_NOT_AFTER ("walking by herself", "on her own": the child walks unaided)
REPORTER_OWN_WORDS = _words("reporter_own_words")
REPORTER_OWN_NOT_AFTER = _words("reporter_own_not_after")
_REPORTERS_OWN = re.compile("".join(rf"(?<!\b{re.escape(w)}\s)" for w in REPORTER_OWN_NOT_AFTER)
                            + rf"\b(?:{_alternation(REPORTER_OWN_WORDS)})\b") if REPORTER_OWN_WORDS else None
#: the start of every word the readings look for ("visit" is no "sit", "understanding" no "standing"); also
#: the vectorised prefilter over a column's distinct texts (RE2, `review.timeline.recorded_mobility`)
ANY_WORD_PATTERN = (r"\b(?:" + _alternation(NONMOBILE_MILESTONES + OTHER_MILESTONES + MOBILE_WORDS)
                    + r"|immobil|non[\s-]?mobil)")
_ANY_WORD = re.compile(ANY_WORD_PATTERN)


@lru_cache(maxsize=256)
def _person_patterns(adults: tuple) -> tuple:
    """(`_OTHER`, `_REPORTED`) with the given names of a case's adults (`adults`, case.yml `people`:
    `child_identity`) among the other persons: "Sian says she is walking", "Sian not mobile since her
    operation" with Sian the mother are read as "Mum says ...", "Mum not mobile ..." are."""
    if not adults:
        return _OTHER, _REPORTED
    persons = _alternation(OTHER_PERSONS + tuple(adults))
    return (re.compile(rf"\b(?:{persons})(?:'s)?\b"),
            re.compile(rf"(?:{persons})(?:'s)?\s+(?:\w+\s+)?(?:{_alternation(REPORT_WORDS)})"
                       rf"\s+(?:that\s+)?(?P<subject>\w+)(?:'s)?\b"))


def _is_child(subject: str, rest: str, child: tuple) -> bool:
    """Is `subject` (lower-cased), after another person's report word, the child of `child` (given name
    lower-cased or "", sex or None)? The given name; or "he" / "she" of the child's sex (known), whoever reports
    ("Mum says he is crawling" in a boy, "Mum says she is walking", "nursery staff report she is cruising" in a
    girl), unless the words after it, `rest`, mark it as the reporter's own (REPORTER_OWN_WORDS: "Mum says she
    herself is walking again"; not "walking by herself", "on her own")."""
    name, sex = child[:2]
    if name and subject == name:
        return True
    if sex is None or _PRONOUN_SEX.get(subject) != sex:
        return False
    return _REPORTERS_OWN is None or _REPORTERS_OWN.search(rest) is None


def _combine(found) -> int:
    found = set(found)
    return MOBILE if MOBILE in found else NOT_MOBILE if NOT_MOBILE in found else NO_STATEMENT


def _clause_statement(clause: str, child: tuple = ("", None, ())) -> int:
    other_pattern, reported_pattern = _person_patterns(tuple(child[2]) if len(child) > 2 else ())
    other = other_pattern.search(clause)
    if other is not None and tuple(child[:2]) != ("", None):
        reported = reported_pattern.match(clause, other.start())
        if reported is not None and _is_child(reported.group("subject"), clause[reported.end():], child):
            # "Mum says he is crawling": the words after the subject are the child's (another person after
            # them is read as any clause's)
            return _combine((_clause_statement(clause[:other.start()]),
                             _clause_statement(clause[reported.end():], child)))
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
    found = list(_MOBILE.finditer(rest))
    for i, match in enumerate(found):
        # each mobile word up to the next one: moved by equipment or full support, it states no mobility
        if not _AIDED_AFTER.match(rest, match.end(), found[i + 1].start() if i + 1 < len(found) else len(rest)):
            return MOBILE
    return NOT_MOBILE if not_mobile else NO_STATEMENT


def child_identity(name, sex, people=None) -> tuple:
    """The child as the readings take it: (the given name, the first word of case.yml child_name, lower-cased,
    or ""; case.yml child_sex "female" / "male", or None; the given names of the case's adults, case.yml
    `people` whose role is an adult's as the self-harm reading takes them, `adult_names`, sorted: "Sian says she
    is walking" is a report by the mother, "Sian not mobile since her operation" about her)."""
    given = str(name).strip().split()[0].lower().replace("\u2019", "'") if isinstance(name, str) and name.strip() else ""
    return (given, sex if sex in ("female", "male") else None, adult_names(people, name))


@lru_cache(maxsize=1024)
def _adult_names(people: tuple, name) -> tuple:
    from .config import package_data
    from .ingest.load import adult_given_names

    return tuple(sorted(adult_given_names(package_data("vocab.yml"), dict(people), name)))


def adult_names(people, name=None) -> tuple:
    """The given names of the adults of case.yml `people` ({name: role}; a role naming an adult of the package
    vocab.yml injury_adults: "Sian Wren: Mother"), never the child's own (`name`, case.yml child_name), sorted:
    `review.ingest.load.adult_given_names`, as ingest and the self-harm reading take them. () for none."""
    if not people or not isinstance(people, dict):
        return ()
    return _adult_names(tuple((str(k), str(v)) for k, v in people.items()),
                        name if isinstance(name, str) else None)


#: no child named nor sex given, no adult named: the words after another person are never the child's
NO_CHILD = ("", None, ())


@lru_cache(maxsize=65536)
def mobility_statement(text: str, child: tuple = NO_CHILD) -> int:
    """MOBILE (1) when `text` states the child is mobile, NOT_MOBILE (-1) when it states the child is not
    (yet) independently mobile, NO_STATEMENT (0) otherwise; a text stating both states mobility. `child`
    (`child_identity`): whose report, after another person, is the child's ("Mum says he is crawling"), and the
    case's adults by name, other persons ("Sian says she is walking" as "Mum says she is walking")."""
    if not text:
        return NO_STATEMENT
    lowered = str(text).lower().replace("\u2019", "'")
    if not _ANY_WORD.search(lowered):
        return NO_STATEMENT  # the usual text: no milestone word at all (one cheap search)
    return _combine(_clause_statement(clause, child) for clause in _CLAUSES.split(lowered) if _ANY_WORD.search(clause))


def row_statement(description, action, child: tuple = NO_CHILD) -> int:
    """A row's statement: its description's and action's, the mobile one winning (`mobility_statement`)."""
    return _combine(mobility_statement("" if d is None else str(d), child) for d in (description, action))
