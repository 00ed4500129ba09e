"""Rows of another child: one case is one child, and a sheet that names the child on each row (a family's
health visiting record with a "Child" and a "Date of birth" column, a GP's "Patient" column) may hold a
sibling's contacts too. Those rows are rejected, each with the cell that shows it, never merged into the
case's child's chronology (a sibling's bruise at 4 months is not the case's child's at 23 months).

Columns are recognised by their header (profiles.yml `child_identity`), whether or not the sheet's profile
maps anything else. Each distinct value is read once (a column of a million rows holds a few names) and
given a verdict; a row is rejected when one of its identifying cells names another child and none names the
case's child. A cell that is close to the child's but not the same (a misspelt name, a date of birth with
day and month swapped, a partial or unreadable date) is kept, with a warning: when in doubt, the row stays.
"""
from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field
from functools import lru_cache

import numpy as np
import pandas as pd

from ..config import package_data
from .dates import DateParseError, parse_date
from .headers import normalise_header

#: the verdicts on one identifying cell, as codes (the row's verdict combines its cells'): ADULT is a name of
#: one of the family's adults, whose row is no other child's whatever its date of birth
NEUTRAL, SAME, DOUBT, OTHER, ADULT = 0, 1, 2, 3, 4
#: a date of birth this many years or more before the child's is an adult's (a parent's), not a sibling's:
#: kept with a warning
ADULT_YEARS_OLDER = 16
#: which kind of column decides a rejection's column and reason first: the date of birth and the NHS
#: number are exact, a name less so
KINDS = ("date_of_birth", "nhs_number", "name")
#: bare headers that may name someone other than the child (a "Name" column of the worker): a column
#: under one of them where no row names the case's child is not read as the child's name (its differing
#: values are warned about, not rejected)
AMBIGUOUS_HEADERS = frozenset({"name", "subject"})
#: words of a name cell that name no one in particular ("Baby Grant", "Unborn Grant", "N/K")
NAME_FILLERS = frozenset({"baby", "unborn", "infant", "child", "master", "miss", "mr", "mrs", "ms", "mx",
                          "n", "a", "na", "nk", "k", "unknown", "not", "known", "none", "tbc", "yes", "no", "y"})
#: words of a case.yml `people` role that make the person a child ("Sibling", "Half-brother", "Baby"):
#: anyone else listed there is an adult of the family, whose named rows are no other child's
CHILD_ROLES = frozenset({"child", "sibling", "siblings", "brother", "sister", "half", "son", "daughter", "baby",
                         "twin", "infant", "stepbrother", "stepsister", "cousin", "pupil", "unborn"})
#: a cell of more words is a sentence, not a name, and not compared
MAX_NAME_WORDS = 5
#: distinct doubtful values warned about one by one per column; the others are counted in one warning
MAX_DOUBTS_WARNED = 10

_WORD = re.compile(r"[^\W\d_]+(?:['’\-][^\W\d_]+)*")
_BRACKETS = re.compile(r"\([^)]*\)|\[[^\]]*\]")


@lru_cache(maxsize=1)
def identity_headers() -> dict[str, str]:
    """{normalised header: kind} of the headers that identify the child a row is about (profiles.yml
    `child_identity`: name, date_of_birth, nhs_number)."""
    data = (package_data("profiles.yml") or {}).get("child_identity") or {}
    return {normalise_header(str(h)): kind for kind in KINDS for h in (data.get(kind) or ())
            if normalise_header(str(h))}


@lru_cache(maxsize=1)
def email_headers() -> tuple[frozenset[str], frozenset[str]]:
    """(profiles.yml `email_identity.subject_headers`, `email_identity.email_headers`), normalised."""
    data = (package_data("profiles.yml") or {}).get("email_identity") or {}
    return tuple(frozenset(filter(None, (normalise_header(str(h)) for h in data.get(key) or ())))
                 for key in ("subject_headers", "email_headers"))


def identity_columns(headers, used) -> dict[int, str]:
    """{column index: kind} of the sheet's columns whose header identifies the child, left to right; a
    column read as another field (`used`: a profile's `columns:` naming "Name" as the worker's role) is
    left to that field. (s20) An e-mail's "Subject" (a sheet with a "From", "To" or "Date sent" column too:
    profiles.yml `email_identity`) is its subject line ("Ollie's arms", "RE: Weight"), no person: not read."""
    known = identity_headers()
    keys = [normalise_header(h) for h in headers]
    subjects, mail = email_headers()
    emails = bool(mail) and any(k in mail for k in keys)
    return {i: known[key] for i, key in enumerate(keys)
            if i not in used and key in known and not (emails and key in subjects)}


def name_words(value) -> tuple[str, ...]:
    """The words of a name as compared ("Leo GRANT (sibling)" -> ('leo', 'grant')); bracketed notes and
    the words that name no one ("Baby", "Miss", "N/K") are left out."""
    if value is None:
        return ()
    text = _BRACKETS.sub(" ", str(value)).casefold()
    return tuple(w for w in _WORD.findall(text) if w not in NAME_FILLERS)


def _one_edit(a: str, b: str) -> bool:
    """Whether `a` and `b` are one letter apart (a slip: "Mya" for "Mia", "Mila" for "Mia")."""
    if a == b or abs(len(a) - len(b)) > 1 or min(len(a), len(b)) < 3:
        return False
    if len(a) == len(b):
        return sum(x != y for x, y in zip(a, b)) == 1 or any(
            a[:i] + a[i + 1] + a[i] + a[i + 2:] == b for i in range(len(a) - 1))
    short, long = sorted((a, b), key=len)
    return any(long[:i] + long[i + 1:] == short for i in range(len(long)))


@dataclass(frozen=True)
class Verdict:
    code: int
    why: str = ""  # the reason, for OTHER and DOUBT ("DOB 15/10/2020 differs from the case's 01/03/2019")
    label: str = ""  # how the summary names the other child ("Leo", "DOB 15/10/2020")
    #: whom an OTHER (or an adult's DOUBT) cell shows the row is about: CHILD (a child's date of birth, a
    #: name noted "(sibling)" or in a "Child" column), ADULT (a date of birth an adult's) or PERSON (a name
    #: or an NHS number alone: someone not the case's child, whether a child or an adult)
    who: str = ""


#: whom a rejected row is about (`Verdict.who`), and how its rejection and the file's summary word it
CHILD, ADULT_BY_DOB, PERSON = "child", "adult", "person"
WHO_TEXT = {CHILD: "another child", ADULT_BY_DOB: "an adult, by date of birth, not the case's child",
            PERSON: "another person, not the case's child"}


def _noted_child(value) -> bool:
    """Whether a name cell's bracketed note names a child's role ("Leo Grant (sibling)")."""
    notes = " ".join(_BRACKETS.findall(str(value))).casefold()
    return bool(CHILD_ROLES & set(re.findall(r"[^\W\d_]+", notes)))


def name_verdict(value, reference: tuple[str, ...], shown: str, adults: tuple[tuple[str, ...], ...] = (),
                 child_column: bool = False) -> Verdict:
    """A name cell against the child's name words (`reference`, its given name first); `shown` is how
    messages write the child's name. A name of one of the family's adults (`adults`, the name words of
    case.yml `people` whose role is no child's: "Tara Grant: Mother") is no other child: a GP's family
    record lists the mother's consultations on purpose. Another name is a child's (`Verdict.who`) when
    the column names a child (`child_column`: "Child name") or its note does ("(sibling)"); otherwise,
    in a "Patient" column of a family's record, it may be an adult's ("Sian Jones (mother)"): another
    person."""
    words = name_words(value)
    if not words or not reference or len(words) > MAX_NAME_WORDS:
        return Verdict(NEUTRAL)  # nothing, or a sentence rather than a name
    given = reference[0]
    written = " ".join(str(value).split())
    if given in words:
        return Verdict(SAME)  # "Mia", "Mia Smith", "GRANT, Mia"
    if set(words) <= set(reference):
        return Verdict(NEUTRAL)  # the surname alone ("Grant"), or a middle name: no one else named
    if any(adult[0] in words for adult in adults if adult):
        return Verdict(ADULT)
    if any(_one_edit(w, given) for w in words):
        return Verdict(DOUBT, f"name {written!r} is close to the case's child's ({shown}) but not the same")
    first = next((w for w in _WORD.findall(_BRACKETS.sub(" ", str(value))) if w.casefold() not in NAME_FILLERS), written)
    who = CHILD if child_column or _noted_child(value) else PERSON
    return Verdict(OTHER, f"name {written!r} differs from the case's child's ({shown})", first, who)


def _day(value: dt.date) -> str:
    return value.strftime("%d/%m/%Y")


def _years_before(day: dt.date, dob: dt.date) -> int:
    return dob.year - day.year - ((dob.month, dob.day) < (day.month, day.day))


def dob_verdict(value, dob: dt.date) -> Verdict:
    """A date-of-birth cell against the case's date of birth."""
    if value is None or (isinstance(value, str) and not value.strip()):
        return Verdict(NEUTRAL)
    written = " ".join(str(value).split()) if isinstance(value, str) else None
    try:
        parsed = parse_date(value)
    except (DateParseError, ValueError, TypeError, OverflowError):
        return Verdict(DOUBT, f"date of birth {written or value!r} cannot be read as a date")
    day = parsed.date.date()
    if parsed.precision == "day":
        if day == dob:
            return Verdict(SAME)
        shown = _day(day)
        if _years_before(day, dob) >= ADULT_YEARS_OLDER:
            return Verdict(DOUBT, f"DOB {shown} is {ADULT_YEARS_OLDER} years or more before the case's {_day(dob)}, "
                                  "an adult's (a parent's?) rather than another child's", f"DOB {shown}", ADULT_BY_DOB)
        if day.day <= 12 and (day.month, day.day) == (dob.day, dob.month) and day.year == dob.year:
            return Verdict(DOUBT, f"DOB {shown} is the case's {_day(dob)} with day and month swapped")
        return Verdict(OTHER, f"DOB {shown} differs from the case's {_day(dob)}", f"DOB {shown}", CHILD)
    # a month or a year: another child only when it cannot be the case's child's
    same = day.year == dob.year and (parsed.precision == "year" or day.month == dob.month)
    if same:
        return Verdict(NEUTRAL)
    shown = written or parsed.text
    return Verdict(OTHER, f"DOB {shown} differs from the case's {_day(dob)}", f"DOB {shown}",
                   ADULT_BY_DOB if dob.year - day.year > ADULT_YEARS_OLDER else CHILD)


def nhs_verdict(value, number: str) -> Verdict:
    """An NHS number cell against the case's (digits only; a cell that is no 10-digit number is doubtful)."""
    if value is None:
        return Verdict(NEUTRAL)
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    digits = re.sub(r"\D", "", str(value))
    if not digits:
        return Verdict(NEUTRAL)
    if digits == number:
        return Verdict(SAME)
    if len(digits) != 10:
        return Verdict(DOUBT, f"NHS number {str(value).strip()!r} is not a 10-digit number")
    return Verdict(OTHER, f"NHS number {digits[:3]} {digits[3:6]} {digits[6:]} differs from the case's",
                   f"NHS number {digits[:3]} {digits[3:6]} {digits[6:]}", PERSON)


@dataclass
class Identity:
    """The verdicts on one sheet's rows (`rows`, positions in the sheet's data rows)."""

    reject: np.ndarray  # bool per row: another child's
    reasons: list[tuple[int, str, str]] = field(default_factory=list)  # (row, column, reason) of each row rejected
    children: dict[str, int] = field(default_factory=dict)  # the other people's labels -> rows rejected
    who: dict[str, str] = field(default_factory=dict)  # the other people's labels -> CHILD, ADULT_BY_DOB or PERSON
    warnings: list[tuple[int, str, str]] = field(default_factory=list)  # (row, column, message)
    notes: list[str] = field(default_factory=list)
    names: list[str] = field(default_factory=list)  # the other children's names, as written (for redaction)
    #: each of `names` -> whom its rows are about (CHILD, ADULT_BY_DOB or PERSON, `combined_who` over its rows):
    #: the anonymised view names a child "Another child", anyone else "Another adult" / "Another person"
    name_who: dict[str, str] = field(default_factory=dict)
    skipped: set[int] = field(default_factory=set)  # identifying columns not compared (no reference to compare with)


def case_reference(case) -> tuple[tuple[str, ...], str, str, tuple[tuple[str, ...], ...]]:
    """(the child's name words, the name as written, the NHS number's digits, the name words of the
    family's adults: case.yml `people` whose role names no child) from case.yml."""
    name = getattr(case, "child_name", None)
    words = name_words(name) if name else ()
    raw = getattr(case, "raw", None) or {}
    number = re.sub(r"\D", "", str(raw.get("nhs_number") or ""))
    adults = tuple(name_words(person) for person, role in (getattr(case, "people", None) or {}).items()
                   if not CHILD_ROLES & set(re.findall(r"[^\W\d_]+", str(role).casefold())) and name_words(person))
    return words, (" ".join(str(name).split()) if name else ""), number, adults


def _column_reference(values: list) -> tuple[tuple[str, ...], str]:
    """The sheet's majority name (words, as written) when case.yml names no child: the name more than
    half of the named rows give; ((), "") when none does."""
    keys = [name_words(v) for v in values]
    counts = pd.Series([k for k in keys if k], dtype=object).value_counts()
    if not len(counts) or counts.iloc[0] * 2 <= counts.sum():
        return (), ""
    top = counts.index[0]
    written = next(v for v, k in zip(values, keys) if k == top)
    return top, " ".join(str(written).split())


def read_identity(cells: np.ndarray, rows: np.ndarray, columns: dict[int, str], headers, case,
                  row_numbers: list[int], rows_named) -> Identity:
    """The rows of another child among `rows` (positions in `cells`) by the identifying `columns`
    ({index: kind}); each distinct value read once, then the rows combined column by column."""
    n = len(rows)
    words, shown, number, adults = case_reference(case)
    dob = case.date_of_birth
    codes: dict[int, np.ndarray] = {}
    verdicts: dict[int, list[Verdict]] = {}
    inverse: dict[int, np.ndarray] = {}
    uniques_of: dict[int, list] = {}
    notes, warnings, skipped = [], [], set()
    for column, kind in columns.items():
        values = cells[rows, column].tolist()
        index, uniques = pd.factorize(pd.Series(values, dtype=object), use_na_sentinel=True)
        uniques = list(uniques)
        if kind == "name":
            reference, said = (words, shown) if words else _column_reference(values)
            if not reference:
                notes.append(f"column {headers[column]!r} names the child on each row, but case.yml has no "
                             "`child_name` and no name is on most rows: not compared")
                skipped.add(column)
                continue
            child_column = "child" in normalise_header(headers[column]).split()
            found = [name_verdict(v, reference, said, adults, child_column) for v in uniques]
            if not any(v.code == SAME for v in found):
                # no row names the case's child: a name sharing the child's surname is a sibling's, but any other may
                # be the worker's ("Name") or a misread column, and is not rejected on
                surname = reference[-1] if len(reference) > 1 else None
                sibling = [v.code == OTHER and surname in name_words(u) for v, u in zip(found, uniques)]
                if normalise_header(headers[column]) in AMBIGUOUS_HEADERS or not any(sibling):
                    table = np.fromiter((v.code == OTHER for v in found), dtype=bool, count=len(found))
                    differ = np.flatnonzero(table[np.maximum(index, 0)] & (index >= 0)) if len(found) else []
                    skipped.add(column)
                    if len(differ):
                        warnings.append((None, headers[column], (
                            f"column {headers[column]!r} names no row of the case's child ({said}), so it is not "
                            "read as the child's name (it may name a worker or an adult): no row rejected on it; if "
                            f"it does name the child of each row, {rows_named([row_numbers[k] for k in differ])} "
                            "are another child's")))
                    continue
                found = [Verdict(DOUBT, v.why) if v.code == OTHER and not is_sibling else v
                         for v, is_sibling in zip(found, sibling)]
            elif normalise_header(headers[column]) in AMBIGUOUS_HEADERS and len(reference) > 1:
                # "Subject" or "Name" may hold a topic or a worker beside the child's name: only a name
                # sharing the child's surname is read as a sibling's; the others are not compared
                loose = [k for k, (v, u) in enumerate(zip(found, uniques))
                         if v.code in (OTHER, DOUBT) and reference[-1] not in name_words(u)]
                for k in loose:
                    found[k] = Verdict(NEUTRAL)
                if loose:
                    notes.append(f"column {headers[column]!r}: {len(loose)} value(s) that name neither the case's "
                                 "child nor anyone with the child's surname not compared (it may also name workers or topics)")
        elif kind == "date_of_birth":
            found = [dob_verdict(v, dob) for v in uniques]
        else:
            if not number:
                skipped.add(column)
                continue
            found = [nhs_verdict(v, number) for v in uniques]
        table = np.fromiter((v.code for v in found), dtype=np.int8, count=len(found))
        codes[column] = np.where(index >= 0, table[np.maximum(index, 0)] if len(table) else 0, NEUTRAL)
        verdicts[column], inverse[column], uniques_of[column] = found, index, uniques
    identity = Identity(reject=np.zeros(n, dtype=bool), notes=notes, warnings=warnings, skipped=skipped)
    if not codes:
        return identity
    stacked = np.vstack(list(codes.values()))
    other = (stacked == OTHER).any(axis=0)
    same = (stacked == SAME).any(axis=0)
    adult = (stacked == ADULT).any(axis=0)
    identity.reject = other & ~same & ~adult
    other &= ~adult  # an adult's row, with the adult's date of birth: neither rejected nor in conflict
    ordered = sorted(codes, key=lambda c: (KINDS.index(columns[c]), c))
    by_name = sorted(codes, key=lambda c: (("name",) + KINDS).index(columns[c]))
    marked = np.flatnonzero(other)
    if len(marked):
        # the rows of another child (or in conflict) read per distinct combination of their cells' values
        combos, which = np.unique(np.vstack([inverse[c][marked] for c in ordered]).T, axis=0, return_inverse=True)
        which = which.reshape(-1)
        reasons, conflicts = {}, {}
        for u, combo in enumerate(combos.tolist()):
            cell = dict(zip(ordered, combo))
            found = {c: verdicts[c][cell[c]] for c in ordered if cell[c] >= 0}
            column = next(c for c in ordered if c in found and found[c].code == OTHER)
            if any(v.code == SAME for v in found.values()):
                conflicts[u] = column
                continue
            labels = [found[c].label for c in by_name if c in found and found[c].code == OTHER and found[c].label]
            who = _who(found.values())
            why = found[column].why
            if who == ADULT_BY_DOB and found[column].who != ADULT_BY_DOB:  # the date of birth that says so
                why += "; " + next(v.why for v in found.values() if v.who == ADULT_BY_DOB)
            reasons[u] = (headers[column], f"record of {WHO_TEXT[who]}: {why}", ", ".join(labels), who)
            for c in by_name:
                if columns[c] == "name" and c in found and found[c].code == OTHER:
                    name = " ".join(_BRACKETS.sub(" ", str(uniques_of[c][cell[c]])).split())
                    if name and name not in identity.names:
                        identity.names.append(name)
                    if name:
                        identity.name_who[name] = combined_who(identity.name_who.get(name), who)
        counts = np.bincount(which, minlength=len(combos))
        for u, (_, _, label, who) in reasons.items():
            identity.children[label] = identity.children.get(label, 0) + int(counts[u])
            identity.who[label] = combined_who(identity.who.get(label), who)
        rows_of: dict[int, list[int]] = {}
        for k, u in zip(marked.tolist(), which.tolist()):
            if u in reasons:
                column, reason, _, _ = reasons[u]
                identity.reasons.append((row_numbers[k], column, reason))
            else:
                rows_of.setdefault(u, []).append(row_numbers[k])
        for u, numbers in rows_of.items():
            column = conflicts[u]
            cell = dict(zip(ordered, combos[u].tolist()))
            agree = next(c for c in ordered if cell[c] >= 0 and verdicts[c][cell[c]].code == SAME)
            identity.warnings.append((numbers[0], headers[column], (
                f"{verdicts[column][cell[column]].why}, but column {headers[agree]!r} names the case's child: kept "
                f"as the case's child's ({rows_named(numbers)}); check which child the record is about")))
    for column in ordered:
        doubtful = np.flatnonzero((codes[column] == DOUBT) & ~identity.reject & ~adult)
        if not len(doubtful):
            continue
        by_value: dict[int, list[int]] = {}
        for k in doubtful.tolist():
            by_value.setdefault(int(inverse[column][k]), []).append(row_numbers[k])
        for shown_values, (u, numbers) in enumerate(by_value.items()):
            if shown_values == MAX_DOUBTS_WARNED:
                more = sum(len(r) for r in list(by_value.values())[MAX_DOUBTS_WARNED:])
                identity.warnings.append((numbers[0], headers[column], (
                    f"{len(by_value) - MAX_DOUBTS_WARNED} more value(s) of the column ({more} row(s)) may "
                    "not be the case's child's: kept")))
                break
            identity.warnings.append((numbers[0], headers[column], (
                f"{verdicts[column][u].why}: kept as the case's child's ({rows_named(numbers)}); if the "
                "record is about another child, remove it or build a case for that child")))
    return identity


def _who(verdicts) -> str:
    """Whom a rejected row is about, from its cells' verdicts: an adult when a date of birth says so,
    else a child when a cell says so (a child's date of birth, a sibling's name), else another person."""
    whos = {v.who for v in verdicts if v.code in (OTHER, DOUBT)}
    return ADULT_BY_DOB if ADULT_BY_DOB in whos else CHILD if CHILD in whos else PERSON


def combined_who(before: str | None, now: str) -> str:
    """One label's `who` over several rows: a child only when every row says so."""
    return now if before in (None, now) else PERSON


def summary(file: str, rows: int, children: dict[str, int], who: dict[str, str] | None = None) -> str:
    """The per-file warning: "3 rows are of another child (Leo, DOB 15/10/2020): rejected; build a case for
    that child" (the warning's location names `file` and its sheet, so the text does not repeat it). Rows
    whose cells do not show a child (`who`: a "Patient" named "Sian Jones (mother)", an adult's date of
    birth) are "of another person, not the case's child", with no case to build."""
    who = who or {}
    named = "; ".join(label for label in children if label)
    many = len(children) > 1
    kinds = {who.get(label, CHILD) for label in children} or {CHILD}
    rows_are = f"{rows} row{'s are' if rows != 1 else ' is'}"
    shown = f" ({named})" if named else ""
    if kinds == {CHILD}:
        whose = "other children" if many else "another child"
        return f"{rows_are} of {whose}{shown}: rejected; build a case for {'each' if many else 'that'} child"
    if kinds == {ADULT_BY_DOB}:
        whose = "other adults" if many else "an adult"
        return f"{rows_are} of {whose} (by date of birth), not the case's child{shown}: rejected"
    whose = "other people" if many else "another person"
    return (f"{rows_are} of {whose}, not the case's child{shown}: rejected (build a case for any other child "
            "among them)")


# ---------------------------------------------------------------------------------------------------
# A row whose description opens with another child as its subject (s17): a chronology without identifying
# columns (a police log) may still hold a sibling's incident, "Tyler Marsh (aged 7, brother) found home alone".
# ---------------------------------------------------------------------------------------------------
#: words of a bracketed note that only qualify the role ("(aged 7, half brother)", "(younger sibling)")
_NOTE_FILLERS = frozenset({"aged", "age", "years", "year", "yrs", "yr", "y", "yo", "old", "months", "month",
                           "younger", "older", "elder", "eldest", "youngest", "little", "big", "baby", "the",
                           "her", "his", "their", "of"})
#: the roles of a bracketed note that make its person another child ("(aged 7, brother)")
_NOTE_ROLES = CHILD_ROLES - {"child", "pupil", "baby", "unborn"}
#: words after the subject that make the row the other child's account ("Tyler said mum hit Kayleigh"): such a
#: row may be about the case's child, and is kept, with a warning
REPORT_VERBS = frozenset({"said", "says", "told", "tells", "disclosed", "discloses", "reported", "reports", "alleged",
                          "alleges", "stated", "states", "described", "describes", "explained", "explains",
                          "witnessed", "called", "rang", "phoned", "asked", "asks"})
#: words joining another person to the subject ("Tyler and Kayleigh found ...")
_JOINS = frozenset({"and", "&", "with", "plus"})
#: given names that are everyday words opening a sentence ("May be at risk", "Will attend"): a sibling of such
#: a name is read as the subject only with a further word of the name or a bracketed note after it
EVERYDAY_NAMES = frozenset({"may", "june", "april", "august", "will", "hope", "grace", "joy", "faith", "mark",
                            "bill", "rose", "dawn", "pat", "sunny", "amber", "violet", "iris", "hazel", "penny",
                            "miles", "max", "sue", "don", "ward", "dale", "glen", "cliff", "robin", "angel",
                            "christian", "noel", "india", "mason", "chase", "ash", "star", "sky", "honey",
                            "precious", "blessing", "summer", "autumn", "river", "brook", "ruby", "jack"})
_LEAD = re.compile(r"\s*(?P<words>[^\W\d_]+(?:['’\-][^\W\d_]+)*(?:[ \t]+[^\W\d_]+(?:['’\-][^\W\d_]+)*){0,3})"
                   r"(?P<rest>.*)", re.S)
_LEAD_WORD = re.compile(r"[^\W\d_]+(?:['’\-][^\W\d_]+)*")
_NOTE = re.compile(r"\s*\((?P<note>[^()]{1,60})\)")
#: words that say whom a row is about before naming them ("Contact re Jayden Hale (aged 6, ...)", "Referral
#: regarding Tyler", "Re: Tyler Marsh"): `subject_other_child` reads the name after them as the row's subject
_ABOUT = re.compile(r"\s*(?:(?:(?:telephone|phone|email|e-mail)\s+)?(?:contact|referral|call|enquiry|notification|"
                    r"information|concerns?|letter)\s+)?(?:re|regarding|concerning)\b(?:\s*[:\-]\s*|\s+)", re.I)
#: an RE2 pattern finding (at least) every description `subject_other_child` reads as another child's: one
#: that opens with a word and has a bracket, or opens with a listed child's given name (`_subject_prefilter`)
_BRACKET_PREFILTER = r"^\s*[^\s(]+(?:[ \t]+[^\s(]+){0,3}\s*\("
#: (the same for a description opening with `_ABOUT`'s words: "Telephone contact re Jayden Hale (")
_ABOUT_PREFILTER = (r"^\s*(?:(?:(?:telephone|phone|email|e-mail)\s+)?(?:contact|referral|call|enquiry|notification|"
                    r"information|concerns?|letter)\s+)?(?:re|regarding|concerning)(?:\s*[:\-]\s*|\s+)")


@dataclass(frozen=True)
class OtherChild:
    """A child of the family other than the case's child (case.yml `people` with a child's role)."""

    words: tuple[str, ...]  # the name's words, as compared (`name_words`)
    written: str  # the name as case.yml writes it
    role: str  # the role case.yml gives ("Brother")


def other_children(case) -> tuple[OtherChild, ...]:
    """The family's other children listed in case.yml `people` ("Tyler Marsh: Brother"): a role naming a child
    (`CHILD_ROLES`), a name that is not the case's child's (its given name not among the child's name's words)."""
    words, _, _, _ = case_reference(case)
    given = words[0] if words else None
    out = []
    for person, role in (getattr(case, "people", None) or {}).items():
        person_words = name_words(person)
        if not person_words or not CHILD_ROLES & set(re.findall(r"[^\W\d_]+", str(role).casefold())):
            continue
        if given is not None and given in person_words:
            continue
        if given is None and str(role).strip().casefold() == "child":
            continue  # the case's child, unnamed in child_name
        out.append(OtherChild(person_words, " ".join(str(person).split()), " ".join(str(role).split())))
    return tuple(out)


def subject_prefilter(children: tuple[OtherChild, ...]) -> str:
    """An RE2 pattern (to search the texts with case ignored) finding every description `subject_other_child`
    may read as another child's."""
    names = sorted({re.escape(c.words[0]) for c in children})
    alternatives = [_BRACKET_PREFILTER, _ABOUT_PREFILTER] + (
        [r"^[^a-z0-9]*(?:" + "|".join(names) + r")(?:[^a-z0-9]|$)"] if names else [])
    return "|".join(f"(?:{a})" for a in alternatives)


def _note_role(note: str) -> str | None:
    """The child's role a bracketed note gives ("aged 7, brother" -> "brother"; "brother present" -> None): the
    note's words are only ages, role qualifiers and at least one child's role."""
    words = [w for w in re.findall(r"[^\W\d_]+", note.casefold())]
    roles = [w for w in words if w in _NOTE_ROLES or (w.startswith("half") and w[4:] in _NOTE_ROLES)
             or (w.startswith("step") and w[4:] in _NOTE_ROLES)]
    if not roles or any(w not in _NOTE_FILLERS and w not in roles and w != "half" and w != "step" for w in words):
        return None
    return roles[-1]


def subject_other_child(text, children: tuple[OtherChild, ...], child_words: tuple[str, ...]) -> tuple | None:
    """Whether a description opens with another child as its subject: (how the row names that child, as written,
    the reason, whether the row is kept: the child's own account, "Tyler said ...") or None.

    Another child is a listed child of the family (`other_children`: its given name first, with a capital
    unless its full name follows; an everyday word's name, "Will", only with its surname or a note; its given
    name alone, "Tyler found home alone", is kept, with a warning: when in doubt, the row stays), or a name
    of capitalised words followed by a note giving a child's role ("Jayden (aged 4, half-brother)"), neither
    naming the case's child (`child_words`). Not when the name is a possessive ("Tyler's school"), is joined
    to the case's child ("Tyler and Kayleigh found ..."), or the note says nothing of a child. Words saying whom
    the row is about come first at times ("Contact re Jayden Hale (aged 6, ...)", "Referral regarding Tyler
    Marsh", "Re: Tyler"): the name after them is read as the subject (`_ABOUT`)."""
    if text is None or not isinstance(text, str):
        return None
    about = _ABOUT.match(text)
    if about is not None and about.end() < len(text):
        # "Contact re Jayden Hale (aged 6, partner's son)": the row is about the child named after the words
        return subject_other_child(text[about.end():], children, child_words)
    match = _LEAD.match(text)
    if match is None:
        return None
    lead = _LEAD_WORD.findall(match.group("words"))
    folded = [w.casefold() for w in lead]
    given = child_words[0] if child_words else None
    found = None
    for other in children:
        if not folded or folded[0] != other.words[0]:
            continue
        size = 1
        while size < len(folded) and folded[size] in other.words[1:]:
            size += 1
        found = (other, size)
        break
    taken = found[1] if found else 0
    # the rest of the text after the name's words
    rest_start = match.start("words")
    for word in lead[:taken] if found else ():
        rest_start = text.index(word, rest_start) + len(word)
    if found is None:
        # an unlisted child: capitalised words (up to 3) and a note giving a child's role
        if given is None:
            return None
        size = 0
        for word in lead[:3]:
            if not word[0].isupper():
                break
            size += 1
        if not size:
            return None
        pos = match.start("words")
        for word in lead[:size]:
            pos = text.index(word, pos) + len(word)
        note = _NOTE.match(text, pos)
        if note is None or any(w.casefold() in child_words for w in lead[:size]) or not _note_role(note.group("note")):
            return None
        if any(w.casefold() in CHILD_ROLES | NAME_FILLERS for w in lead[:size]):
            return None  # "Sibling (brother)": no name
        written = " ".join(lead[:size])
        role = _note_role(note.group("note"))
        after = text[note.end():]
        if _stated_adult(note.group("note"), after):
            return None  # "(19, brother)": an adult
        why = f"the description opens with {written!r} ({note.group('note').strip()}), a {role} by its note"
        return _subject_reading(written, why, after, given)
    other, size = found
    written = " ".join(lead[:size])
    note = _NOTE.match(text, rest_start)
    if size == 1 and not note:
        if not lead[0][0].isupper() or other.words[0] in EVERYDAY_NAMES:
            return None
    after = text[note.end():] if note else text[rest_start:]
    if after[:1] in ("'", "’"):
        return None  # a possessive: "Tyler's school"
    if _stated_adult(note.group("note") if note else None, after):
        return None  # "Kyle Hollins (19, brother)": an adult is no other child, whatever case.yml's role word
    shown = f"{written!r}" + (f" ({note.group('note').strip()})" if note else "")
    why = f"the description opens with {shown}, listed in case.yml as {other.role} ({other.written})"
    reading = _subject_reading(written, why, after, given)
    if reading is not None and size == 1 and not note and len(other.words) > 1:
        # the given name alone ("Poppy seen at home with Donna"): when in doubt, the row stays (with a warning)
        return written, why, True
    return reading


def _subject_reading(written: str, why: str, after: str, given: str | None) -> tuple | None:
    """(written, reason, kept) of a description opening with another child `written`, from the words `after`
    the name (and its note): joined to the case's child ("and Kayleigh") -> None; the child's account ("said")
    -> kept; (s20) the case's child named as present or seen later in the row ("Warrant executed at the family
    home; Tyrese present") -> kept: the row records the child there too."""
    following = [w.casefold() for w in _LEAD_WORD.findall(after)[:4]]
    symbols = after.lstrip()[:1]
    if following and (following[0] in _JOINS or symbols == "&"):
        if given is not None and given in following[:3]:
            return None
    if following and following[0] in REPORT_VERBS:
        return written, why, True
    if given is not None and _child_present(after, given):
        return written, why, True
    return written, why, False


#: (s20) an age of 18 or more in a person's note or right after their name ("Kyle Hollins (19, brother)", "Kyle,
#: aged 19,"): an adult, whatever case.yml's role word ("Brother"), so no other child
ADULT_AGE = 18
_AGE = re.compile(r"(?<![\d/.:])(\d{1,2})(?![\d/.:])(?!\s*(?:m\b|mths?\b|months?\b|weeks?\b|wks?\b|days?\b))", re.I)
_AGE_AFTER_NAME = re.compile(r"\s*,\s*(?:aged\s+|age\s+)?(\d{1,2})(?:\s*(?:years?(?:\s+old)?|yrs?|yo)\b|\s*[,;)])",
                             re.I)
#: (s20) words after the case's child's given name saying the child was there ("Tyrese present", "Tyrese was
#: also present", "Tyrese seen")
_PRESENT = re.compile(r"\s*(?:(?:was|were|is|also|too|himself|herself|themselves)\s+){0,2}(?:present|seen|there|"
                      r"spoken\s+to|at\s+(?:home|the\s+(?:house|property|address|home)))\b", re.I)


def _stated_adult(note: str | None, after: str) -> bool:
    """Does the person's bracketed `note` ("19, brother") or the words right after their name (", aged 19,")
    state an age of 18 or more?"""
    ages = [int(a) for a in _AGE.findall(note)] if note else []
    if not ages:
        match = _AGE_AFTER_NAME.match(after)
        ages = [int(match.group(1))] if match else []
    return any(age >= ADULT_AGE for age in ages)


def _child_present(after: str, given: str) -> bool:
    """Is the case's child (given name `given`, casefolded) named later in the text as present or seen?"""
    for match in re.finditer(r"\b" + re.escape(given) + r"\b", after, re.I):
        if _PRESENT.match(after, match.end()):
            return True
    return False
