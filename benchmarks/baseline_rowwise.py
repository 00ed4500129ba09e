"""A plain row-by-row Python reference of the timeline and the rules, for the benchmarks.

This is the implementation an analyst would write in a script without pandas: rows as dicts, one case
at a time, and for every trigger row a loop over the case's rows. It implements the SAME timeline and
rules as the package (review.timeline, review.rules.*) with the same rules.yml parameters:

* timeline: the same sort keys, seq, age, mobility (case.mobile_from, else 6 months of age, else not mobile
  from a row stating so until one states mobility: `review.mobility.row_statement`), gaps, last
  seen, open concerns (the case's concern_window_days, else 90 days), event linking (rapidfuzz token_set_ratio >= 85 per candidate pair, same
  LINK_GROUPS (or one of them untyped, "other", and the texts sharing LINK_UNTYPED_SHARED_WORDS words), different
  agencies, dates <= 1 day apart; or one agency's rows equal in every cell but
  the provenance; linked transitively, group = smallest event_id),
  child protection plan periods (each conference's outcome read by the package's `cp_plan_marker`, as
  ingest's vocabularies are the package's) and hospital periods (a discharge that did not happen, read by
  the package's `discharge_held`, ends none);
* rules: the same triggers (an assessment request, and social care's "no further action", read from each
  row's text by the package's own scalar `review.rules.base._mentioned`; a row of a contact type a rule
  reads (a strategy discussion, conference or assessment, a closure, one assessing a concern before it, a
  decision on a referral, a decision point) typed so but recorded as not having taken place by the
  package's `review.vocab.denies`; and an escalation cell naming the row's own type on such a row (a
  referral row's for referral_to_csc), or naming an escalation the row's text denies ("Referral to MASH not
  made"), is no escalation, as the package's `held_escalations`), windows,
  responses (the first response on or after the anchor), a concern by the child's age alone (settings.age_bound_tags:
  sexual_activity) counted by closure_with_open_concerns and information_not_shared only from age_bound_min_years and under
  age_bound_below_years, working days with England bank holidays (the
  `holidays` package, one day at a time), one flag per event group, the same delay_days and the same
  flag ids (rule, trigger contact's content anchor, variant).

What it leaves out (documented in benchmarks/RESULTS.md): partial dates (month / year / approximate
precision) are treated as their first day instead of as periods, undated rows are ignored by the rules,
and flags carry no explanation text, evidence lists or severity. The synthetic stores the benchmarks use
have day-precision dates only; tests/test_baseline_equivalence.py checks the flags equal the package's.

    rows = contacts.to_dict("records"); cases = {case_id: {"date_of_birth":..., "mobile_from":..., "review_date":...}}
    timeline, flags = run(rows, cases, rules)
"""
from __future__ import annotations

import calendar
import datetime as dt
import hashlib
import json
import re
from collections import defaultdict
from pathlib import Path

import holidays
from rapidfuzz import fuzz, utils

from review.config import package_data
from review.vocab import normalise_text  # a keyword's words as the vocabulary compares them
from review.rules.base import _mentioned  # a keyword mentioned and not negated, in one text
from review.rules.base import content_anchor, content_key, source_order_key  # a contact's anchor, one row
from review.rules.base import plans_as_records  # the vocabulary a planned decision is read with
from review.rules.base import referral_text_day  # the day one referral row's text dates its referral on
from review.ingest.dates import week_unit  # (s22) a date written as a week ("w/c 03/04/2023"): its period that week
from review.rules.base import keyword_referral_day  # the day one row's words date the (CAMHS) referral it records on
from review.rules.base import agency_declined_text  # a CAMHS record of the referral going nowhere (one text)
from review.rules.base import response_plans  # (s22) the plan words a response keyword is read with ("to be sent")
from review.rules.base import public_referrer_cell, public_referrer_text  # a receipt of a relative's or the public's referral (one text, one cell)
from review.rules.base import agency_named  # does one agency name name one of some words (CAMHS)
from review.rules.base import receipt_sender_kind, receipt_sender_kind_words  # the kind of agency a receipt names as its sender
from review.rules.neglect_not_escalated import findings_only  # a text read as neglect only through findings
from review.rules.base import informed_reach_kinds  # does one informed-agencies cell name an agency of some kinds
from review.rules.knowledge import SENDER_TEXT_WORDS, names_sender  # does one text record information sent by one agency
from review.rules.knowledge import promised  # one text's sentence saying its information is still to come
from review.rules.enquiry_incomplete import health_missing_from_list  # an attendee list without health (one text)
from review.rules.enquiry_incomplete import education_missing_from_list  # (s21) ... without a school (one text)
from review.rules.knowledge import decides  # one text's decision words not in a victim's-choice sentence
from review.rules.knowledge import other_subject_decision, subject_names  # (s21) a sibling's record
from review.rules.self_harm_not_referred import case_reporters, reported_child_self_harm  # "Mum says she self-harmed"
from review.rules.cp_file_not_transferred import file_sent_day  # the day one row's text dates the CP file's sending on
from review.rules.transfer_in_conference_late import local_authority  # the authority a social care name names
# (s21) the day a record books a conference for, and the sending authority's sentence, read as the package reads them
from review.rules.transfer_in_conference_late import _sends, booked_date
from review.rules.episodes import explained_text, reading_args, sentinel_regions, sentinel_sites_text, text_reading  # one text's injury-episode readings
from review.rules.domestic_abuse_not_escalated import dash_score  # a DASH score written in one text
from review.rules.domestic_abuse_not_escalated import high_risk, lives_elsewhere  # DA high risk, child's residence (one text)
from review.mobility import NOT_MOBILE, NO_STATEMENT, child_identity, row_statement  # what one row says of the child's mobility
from review.sightings import read_sighting, with_child_names  # a row with no Child seen cell read as a sighting or not
from review.schema import ADULT_ESCALATIONS, CONTACT_COLUMNS
from review.timeline import (APPROXIMATE_SPAN_DAYS, LINK_GROUPS, LINK_UNTYPED, LINK_UNTYPED_SHARED_WORDS,
                             LINKABLE_PRECISIONS, PROVENANCE_COLUMNS, cp_plan_marker, discharge_held,
                             LINK_RECEIPT_DAYS, LINK_RECEIPT_KINDS, receipt_names_sender, refers_to_social_care,
                             admission_text_words, admitted_in_text)
from review.vocab import compile_vocab, denies, informed_reaches, records_type, records_under_way
from review.vocab import stated_partner_age  # the oldest partner's age one text states
from review.vocab import shared_in_text  # the recipients a text says it was shared with / sent to
from review.rules.exploitation_not_referred import episode_named_day  # the missing episode's day one row names
from review.rules.exploitation_not_referred import _repeat_params  # a repeated episode's expected strategy discussion

PRECISION_RANK = {"day": 0, "approximate": 1, "month": 2, "season": 3, "year": 4}
LINK_THRESHOLD = 85.0
LINK_WINDOW_DAYS = 1
CONCERN_WINDOW_DAYS = 90
NONMOBILE_MONTHS = 6
GROUP_OF_TYPE = {t: name for name, types in LINK_GROUPS.items() for t in types}
RECORDED_COLUMNS = [c for c in CONTACT_COLUMNS if c != "case_id" and c not in PROVENANCE_COLUMNS]
BANK_HOLIDAYS = holidays.UK(subdiv="ENG")  # fills in the years it is asked about


# ---------------------------------------------------------------------------------------------------
# small helpers
# ---------------------------------------------------------------------------------------------------
def _text(value) -> str:
    if value is None or value != value:  # None or NaN
        return ""
    return str(value)


def _same(a, b) -> bool:
    """Two cells equal, missing values (None, NaN, NaT, pandas' NA) equal to each other."""
    missing_a, missing_b = _missing(a), _missing(b)
    return missing_a == missing_b and (missing_a or bool(a == b))


def _missing(value) -> bool:
    return value is None or type(value).__name__ == "NAType" or bool(value != value)


def _day(value):
    if value is None or value != value:
        return None
    return value.date() if hasattr(value, "date") else value


def _tags(value) -> list[str]:
    return [t.strip() for t in _text(value).split(";") if t.strip()]


def _approximate_period(r: dict) -> tuple:
    """(first day, last day) of an approximate date's period (review.rules.base._period_bounds): its day +/-
    APPROXIMATE_SPAN_DAYS; (s22, QA12 D6) a week written "w/c 03/04/2023" that week from its day, "w/e ..." the week
    to its day (review.ingest.dates.week_unit)."""
    day, unit = r["_day"], week_unit(r.get("date_text"))
    if unit == "commencing":
        return day, day + dt.timedelta(days=6)
    if unit == "ending":
        return day - dt.timedelta(days=6), day
    return day - dt.timedelta(days=APPROXIMATE_SPAN_DAYS), day + dt.timedelta(days=APPROXIMATE_SPAN_DAYS)


def _latest_day(r: dict) -> dt.date | None:
    """The latest day a row's date could be: a month's (season's, year's) last day, an approximate date's day
    plus the default span."""
    day, precision = r["_day"], _text(r.get("date_precision"))
    if day is None or precision in ("day", ""):
        return day
    if precision == "approximate":
        return _approximate_period(r)[1]
    first = dt.date(day.year, 1, 1) if precision == "year" else dt.date(day.year, day.month, 1)
    return _add_months(first, {"year": 12, "season": 3}.get(precision, 1)) - dt.timedelta(days=1)


def _unborn(r: dict, dob) -> bool:
    """(s21) the row certainly before the child's birth: its latest possible day before the date of birth."""
    latest = _latest_day(r)
    return dob is not None and latest is not None and latest < dob


#: (s21) concerns before the birth that are the adults' (review.timeline.UNBORN_CONCERNS)
_UNBORN_CONCERNS = {"sexual_activity": [], "non_accidental": ["domestic_abuse"], "child_not_seen": []}


def _adult_service(agency) -> bool:
    """(s21) an agency for adults: vocab.yml adult_service_words in its name (whole words)."""
    name = f" {normalise_text(_text(agency))} "
    return any(f" {w} " in name for w in _vocab_words("adult_service_words"))


def _parent_appointment(r) -> bool:
    """(s21, QA13) a parent's own appointment: vocab.yml parent_appointment_words in the description or action."""
    text = f" {normalise_text(_text(r.get('description')) + ' . ' + _text(r.get('action')))} "
    return any(f" {w} " in text for w in _vocab_words("parent_appointment_words"))


_WORDS: dict = {}


def _vocab_words(key: str) -> tuple:
    """The package vocabulary's list `key`, normalised, read once (not per row: a copy of vocab.yml costs ~10 ms)."""
    if key not in _WORDS:
        _WORDS[key] = tuple(w for w in (normalise_text(str(v)) for v in _package_vocab().get(key) or ()) if w)
    return _WORDS[key]


def _whose_tags(tags: list, unborn: bool, adult_service: bool) -> list:
    """(s21) before the birth the pregnancy, a blow to the mother, someone unseen are the adults'; an adult
    service's missed appointment is the parent's own (no was_not_brought)."""
    out = []
    for t in tags:
        if unborn and t in _UNBORN_CONCERNS:
            out.extend(_UNBORN_CONCERNS[t])
        elif not (adult_service and t == "was_not_brought"):
            out.append(t)
    return sorted(set(out))


def _add_months(day: dt.date, months: int) -> dt.date:
    """The same day of month `months` later, clamped to the month's last day (pandas DateOffset)."""
    total = day.year * 12 + day.month - 1 + months
    year, month = divmod(total, 12)
    return dt.date(year, month + 1, min(day.day, calendar.monthrange(year, month + 1)[1]))


def _add_working_days(day: dt.date, n: int) -> dt.date:
    """The n-th working day after `day` (weekends and England bank holidays skipped)."""
    while n > 0:
        day += dt.timedelta(days=1)
        if day.weekday() < 5 and day not in BANK_HOLIDAYS:
            n -= 1
    return day


def _held(r: dict, contact_types) -> bool:
    """The row is of one of `contact_types` and its text does not say it did not happen ("Strategy
    discussion not held", "ICPC postponed"): the package vocabulary's `denies`, as the rules' `types_held`."""
    kind = r.get("contact_type")
    return kind in contact_types and not denies(
        kind, _text(r.get("description")) + " . " + _text(r.get("action")), _package_vocab())


def _closed_in_action(r: dict, settings: dict) -> bool:
    """The row's action or outcome cell records its case closed ("Case closed - NFA." of a home visit): a row by
    one of the `closure_in_action_agency_kinds` setting whose action alone records a case_closure (`records_type`),
    as the rules' `closures_in_action`."""
    return (r.get("agency_kind") in (settings.get("closure_in_action_agency_kinds") or ())
            and records_type("case_closure", _text(r.get("action")), _package_vocab()))


def _esc_denied(r: dict, kind: str) -> bool:
    """The row's text names the escalation `kind` only to say it did not take place, or the row is of the
    kind's own type (`ESCALATION_OWN_TYPES`: referral for referral_to_csc) and says that did not."""
    text = _text(r.get("description")) + " . " + _text(r.get("action"))
    own = {kind} | set({"referral_to_csc": ("referral",)}.get(kind, ()))
    typ = r.get("contact_type")
    return denies(kind, text, _package_vocab()) or (typ in own and denies(typ, text, _package_vocab()))


_VOCAB: list = []


_PLANNED: dict = {}


def _planned_vocab(cues: tuple) -> dict:
    """The package vocabulary with `cues` out of its plan cues (review.rules.base.plans_as_records)."""
    if cues not in _PLANNED:
        _PLANNED[cues] = plans_as_records(_package_vocab(), cues)
    return _PLANNED[cues]


def _package_vocab() -> dict:
    if not _VOCAB:
        _VOCAB.append(package_data("vocab.yml"))
    return _VOCAB[0]


def _seen(r: dict) -> bool | None:
    """A sighting: the Child seen cell as recorded, else the row's own reading (`read_sighting`: A&E,
    admission, CP medical, "child seen", "seen and examined"; "child not seen", "DNA"); None unknown."""
    recorded = r.get("child_seen")
    return recorded if recorded is not None else r.get("child_seen_inferred")


def _has_word(text: str, word: str) -> bool:
    return re.search(r"\b" + re.escape(word) + r"\b", text, re.IGNORECASE) is not None


def _says(text: str, words: str) -> bool:
    """Does `text` name `words` as review.rules.base._keyword_regex finds them: lower-cased, apostrophes
    dropped, from the start of a word, any run of other characters than letters and digits between its
    words, the last possibly longer unless short (`_open_ended`)?"""
    from review.rules.base import _open_ended
    from review.vocab import normalise_text

    words = normalise_text(words)
    if not words:
        return False
    text = re.sub(r"['\u2019]", "", text.lower())
    pattern = r"[^\w]+".join(re.escape(w) for w in words.split()) + ("" if _open_ended(words) else r"(?![^\W_])")
    return re.search(r"(?<![^\W_])" + pattern, text) is not None


def _concern_window(case: dict) -> int:
    """The case's concern window (its case.yml `timeline: concern_window_days`), else the default."""
    window = case.get("concern_window_days")
    return CONCERN_WINDOW_DAYS if window is None else int(window)


def _residential(x: dict, case: dict, words) -> bool:
    """Whether a dated row's whole period lies in a case.yml looked_after period whose placement mentions one of
    `words` (whole words; review.rules.lac_visits_overdue.looked_after_rows)."""
    first, last = _row_period(x)
    for period in case.get("looked_after") or ():
        text = period.placement.lower()
        if not any(re.search(r"(?<!\w)" + re.escape(str(w).lower()) + r"(?!\w)", text) for w in words or ()):
            continue
        if first >= period.start and (period.end is None or last <= period.end):
            return True
    return False


def _looked_after_authority(x: dict, case: dict):
    """(s20, lacnoise) The placing authority of the case.yml looked_after period a dated row's whole period lies
    in ("the placing authority" when it names none), None when none
    (review.rules.lac_visits_overdue.looked_after_authority)."""
    first, last = _row_period(x)
    for period in case.get("looked_after") or ():
        if first >= period.start and (period.end is None or last <= period.end):
            return period.placing_authority or "the placing authority"
    return None


def _lac_share_params(q: dict, settings: dict, keywords=None) -> dict:
    """(s21) A looked-after child's concern: the parameters a referral is read with, and the record shared with the
    child's social worker answering too (its informed agencies, its text's recipient, its words: the rule's
    looked_after_share_keywords, null: the setting's; the placing authority's receipt)
    (review.rules.lac_visits_overdue.looked_after_share_params)."""
    kinds = list(q.get("looked_after_share_kinds") or [])
    words = q.get("looked_after_share_keywords")
    if words is None:
        words = settings.get("looked_after_share_keywords") or []
    base = q.get("response_keywords") if keywords is None else keywords
    informed = list(q.get("response_informed_kinds") or [])
    in_text = list(q.get("response_shared_in_text_kinds") or [])
    return dict(q, response_keywords=list(base or []) + list(words),
                response_informed_kinds=informed + [k for k in kinds if k not in informed],
                response_shared_in_text_kinds=in_text + [k for k in kinds if k not in in_text], receipts_answer=True)


def _end_of_review(case: dict):
    """The date of death or the review date, whichever is earlier (None when neither)."""
    known = [d for d in (case.get("date_of_death"), case.get("review_date")) if d is not None]
    return min(known) if known else None


def _file_ranks(rows: list[dict]) -> dict:
    """(s21) (date, source_file, source_sheet) -> the lowest precision rank of one case's rows so dated in that
    file: a file's rows on one date share it, so the file's own order orders them (`_sort_key`)."""
    best = {}
    for r in rows:
        if r["date"] is not None:
            key = (r["date"], _text(r.get("source_file")), _text(r.get("source_sheet")))
            best[key] = min(best.get(key, 5), PRECISION_RANK.get(_text(r.get("date_precision")), 5))
    return best


def _sort_key(r: dict, ranks: dict | None = None):
    day = r["date"]
    seq = r.get("sequence")
    seq = None if seq is None or seq != seq or _text(seq) == "" else int(seq)
    row = r.get("source_row")
    row = None if row is None or row != row or _text(row) == "" else int(row)
    rank = PRECISION_RANK.get(_text(r.get("date_precision")), 5)
    if ranks is not None and day is not None:
        rank = ranks[(day, _text(r.get("source_file")), _text(r.get("source_sheet")))]
    return (day is None, day or dt.datetime.min, rank,
            seq is None, seq or 0, _text(r.get("agency")), _text(r.get("source_file")), _text(r.get("source_sheet")),
            row is None, row or 0, _text(r.get("event_id")), _text(r.get("contact_type")),
            _text(r.get("description")), _text(r.get("action")), _text(r.get("analysis")))


# ---------------------------------------------------------------------------------------------------
# timeline
# ---------------------------------------------------------------------------------------------------
def build_timeline(rows: list[dict], case: dict) -> list[dict]:
    """One case's rows in chronology order with seq, age, mobility, gaps, open concerns, event groups and
    CP plan / hospital periods."""
    ranks = _file_ranks(rows)
    rows = sorted(rows, key=lambda r: _sort_key(r, ranks))
    dob = case["date_of_birth"]
    concern_window = _concern_window(case)
    mobile_from = case.get("mobile_from") or _add_months(dob, NONMOBILE_MONTHS)
    out = []
    last_seen = None
    previous = None
    recorded = NO_STATEMENT
    for i, row in enumerate(rows, start=1):
        r = dict(row)
        day = _day(r["date"])
        r["_day"] = day
        r["_exact"] = day is not None and _text(r.get("date_precision")) in ("day", "")
        r["seq"] = i
        r["age_days"] = None if day is None else (day - dob).days
        r["child_mobile"] = None if day is None else day >= mobile_from
        precision = _text(r.get("date_precision"))
        if day is not None and precision in ("month", "season", "year", "approximate"):
            # a month or year the child became mobile in, or an approximate date's period (its day +/- the
            # rules' default span) it became mobile in: unknown, not its recorded day's mobility
            if precision == "approximate":
                first = day - dt.timedelta(days=APPROXIMATE_SPAN_DAYS)
                last = day + dt.timedelta(days=APPROXIMATE_SPAN_DAYS)
            else:
                first = dt.date(day.year, 1, 1) if precision == "year" else dt.date(day.year, day.month, 1)
                last = _add_months(first, {"year": 12, "season": 3}.get(precision, 1)) - dt.timedelta(days=1)
            if first < mobile_from <= last:
                r["child_mobile"] = None
        # the records' own words: from a row stating the child is not (yet) mobile, not mobile until a row
        # states mobility (no case.yml mobile_from: it wins); a dated row only
        statement = row_statement(r.get("description"), r.get("action"),
                                  child_identity(case.get("child_name"), case.get("child_sex"), case.get("people")))
        if statement != NO_STATEMENT:
            recorded = statement
        if day is not None and not case.get("mobile_from") and recorded == NOT_MOBILE:
            r["child_mobile"] = False
        r["days_since_previous_contact"] = None if previous is None or day is None else (day - previous).days
        r["child_seen_inferred"] = None if r.get("child_seen") is not None else read_sighting(
            r.get("contact_type"), r.get("concerns"), r.get("description"), r.get("action"),
            vocab=with_child_names("", case.get("child_name")))  # "Maisie seen": the child's own name
        r["_unborn"] = _unborn(r, dob)
        if r["_unborn"]:  # (s21) before the birth nothing is read as the child seen or not seen
            r["child_seen_inferred"] = None
        r["days_since_child_seen"] = None if last_seen is None or day is None else (day - last_seen).days
        if _seen(r) and day is not None:
            last_seen = day
        if day is not None:
            previous = day
        # (s21, QA13) a parent's own service's record: an adult service's, or a parent's own appointment
        r["_adult_service"] = _adult_service(r.get("agency")) or _parent_appointment(r)
        r["_tags"] = _tags(r.get("concerns"))
        if (r["_unborn"] or r["_adult_service"]) and r["_tags"]:
            r["_tags"] = _whose_tags(r["_tags"], r["_unborn"], r["_adult_service"])
            r["concerns"] = "; ".join(r["_tags"])
        # open concerns: tags recorded at this row or earlier rows within the window
        open_tags = set()
        if day is not None:
            for earlier in out + [r]:
                if earlier["_day"] is not None and (day - earlier["_day"]).days <= concern_window:
                    open_tags.update(earlier["_tags"])
        r["open_concerns"] = "; ".join(sorted(open_tags))
        r["event_group"] = _text(r["event_id"])
        out.append(r)
    _link_events(out)
    _periods(out, case)
    return out


def _link_events(rows: list[dict]) -> None:
    """Union of the pairs that report the same event; each row's group is its component's smallest id."""
    parent = list(range(len(rows)))

    def root(i):
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    def text(r):
        d, a = _text(r.get("description")), _text(r.get("action"))
        return d if d.strip() else (a if a.strip() else "")

    for i, a in enumerate(rows):
        for j in range(i):
            b = rows[j]
            if (a["_day"] is None or b["_day"] is None or abs((a["_day"] - b["_day"]).days) > LINK_WINDOW_DAYS
                    or _text(a.get("date_precision")) not in LINKABLE_PRECISIONS
                    or _text(b.get("date_precision")) not in LINKABLE_PRECISIONS):
                continue
            ta, tb = text(a), text(b)
            if not ta or not tb:
                continue
            if _text(a.get("agency")) == _text(b.get("agency")):
                # one agency: linked only when the same record was entered twice (every cell equal)
                if all(_same(a.get(c), b.get(c)) for c in RECORDED_COLUMNS):
                    parent[root(i)] = root(j)
                continue
            type_a, type_b = _text(a.get("contact_type")), _text(b.get("contact_type"))
            group = GROUP_OF_TYPE.get(type_a)
            untyped = LINK_UNTYPED in (type_a, type_b) and all(
                t == LINK_UNTYPED or t in GROUP_OF_TYPE for t in (type_a, type_b))
            if not untyped and (group is None or group != GROUP_OF_TYPE.get(type_b)):
                continue
            if fuzz.token_set_ratio(tb, ta, processor=utils.default_process) >= LINK_THRESHOLD and (
                    not untyped or len(set(utils.default_process(ta).split()) & set(utils.default_process(tb).split()))
                    >= LINK_UNTYPED_SHARED_WORDS):
                parent[root(i)] = root(j)
    # (s21) a referral to social care and social care's receipt naming its sender (or, the only such referrer
    # of its kind, its kind) 0 to LINK_RECEIPT_DAYS days later are one event
    def linkable(r):
        return (r["_day"] is not None and _text(r.get("date_precision")) in LINKABLE_PRECISIONS
                and bool(text(r)))

    senders = [j for j, b in enumerate(rows) if linkable(b) and _text(b.get("agency_kind")) not in LINK_RECEIPT_KINDS
               and refers_to_social_care(b.get("contact_type"), b.get("escalation"), b.get("description"),
                                         b.get("action"))]
    for i, a in enumerate(rows):
        if not linkable(a) or _text(a.get("agency_kind")) not in LINK_RECEIPT_KINDS:
            continue
        near = [j for j in senders if rows[j].get("case_id") == a.get("case_id")
                and _text(rows[j].get("agency")) != _text(a.get("agency"))
                and 0 <= (a["_day"] - rows[j]["_day"]).days <= LINK_RECEIPT_DAYS]
        full = " . ".join(t for t in (_text(a.get("description")), _text(a.get("action"))) if t)
        for j in near:
            kind = _text(rows[j].get("agency_kind"))
            alone = sum(1 for o in near if _text(rows[o].get("agency_kind")) == kind) == 1
            if receipt_names_sender(full, _text(rows[j].get("agency")), kind, kind_alone=alone):
                parent[root(i)] = root(j)
    smallest = {}
    for i, r in enumerate(rows):
        k = root(i)
        smallest[k] = min(smallest.get(k, r["event_group"]), r["event_group"])
    for i, r in enumerate(rows):
        r["event_group"] = smallest[root(i)]
        r["_gcode"] = r["event_group"]


def _periods(rows: list[dict], case: dict) -> None:
    """on_cp_plan and in_hospital for every row."""
    review_end = _end_of_review(case)
    if review_end is None:
        dated = [r["_day"] for r in rows if r["_day"] is not None]
        review_end = max(dated) if dated else None
    spans = []
    start = None
    for r in rows:
        if r["_day"] is None or r.get("contact_type") != "cp_conference":
            continue
        marker = cp_plan_marker(f"{_text(r.get('description'))} . {_text(r.get('action'))}")
        if marker > 0 and start is None:
            start = r["_day"]
        elif marker < 0 and start is not None:
            spans.append((start, r["_day"]))
            start = None
    if start is not None:
        spans.append((start, review_end))
    hospital = []
    text_types, text_kinds, _ = admission_text_words("")
    for i, r in enumerate(rows):
        if r["_day"] is None:
            continue
        # s19: a hospital's, a paediatrician's or an ED's record whose text says the child was admitted is an
        # admission as a row typed so is ("Seen on the children's ward ... Admitted.")
        if r.get("contact_type") != "admission" and not (
                r.get("contact_type") in text_types and (not text_kinds or r.get("agency_kind") in text_kinds)
                and admitted_in_text(f"{_text(r.get('description'))} . {_text(r.get('action'))}")):
            continue
        place = _text(r.get("organisation")) or _text(r.get("agency"))
        end = _day(r.get("date_end"))
        if end is None:
            next_admission = min(((x["_day"], j) for j, x in enumerate(rows) if x["_day"] is not None
                                  and x.get("contact_type") == "admission"
                                  and (_text(x.get("organisation")) or _text(x.get("agency"))) == place
                                  and (x["_day"], j) > (r["_day"], i)), default=(None,))[0]
            # not a discharge that did not happen ("Discharge postponed", "discharge delayed")
            discharges = [x["_day"] for x in rows if x["_day"] is not None and x.get("contact_type") == "discharge"
                          and (_text(x.get("organisation")) or _text(x.get("agency"))) == place
                          and x["_day"] >= r["_day"]
                          and discharge_held(f"{_text(x.get('description'))} . {_text(x.get('action'))}")]
            if discharges and (next_admission is None or min(discharges) <= next_admission):
                end = min(discharges)
        if end is None:  # no discharge: the day before the child's next recorded whereabouts, else the review's end
            after = min((x["_day"] for x in rows if x["_day"] is not None and x["_day"] > r["_day"]
                         and _seen(x) is not None), default=None)
            end = after - dt.timedelta(days=1) if after is not None else review_end
            end = max(end or r["_day"], r["_day"])
        hospital.append((r["_day"], end or r["_day"]))
    for r in rows:
        r["_hospital"] = hospital  # child_not_seen: the days of a stay are no days unseen
    for r in rows:
        d = r["_day"]
        r["on_cp_plan"] = None if d is None else any(s <= d <= (e or s) for s, e in spans)
        r["in_hospital"] = None if d is None else any(s <= d <= e for s, e in hospital)


# ---------------------------------------------------------------------------------------------------
# rules
# ---------------------------------------------------------------------------------------------------
def _first(rows, anchor, predicate):
    """The first row (by day, then timeline order) on or after `anchor` that matches: a partial-date row's day
    is its period's first day, so it answers only when its whole period is on or after `anchor`
    (review.rules.base.first_response)."""
    best = None
    for r in rows:
        if r["_day"] is not None and r["_day"] >= anchor and predicate(r):
            if best is None or r["_day"] < best["_day"]:
                best = r
    return best


def _capped(action, day, max_days, death=None):
    """`action`, or None when it came more than `max_days` after `day`: an escalation by any agency that long
    after the injury is not reported as its late response (the injury rules' and domestic_abuse_not_escalated's
    `response_max_days`, review.rules.base.cap_response); nor when it came after the child's date of death
    `death`: a response after the child died is none."""
    if action is None:
        return None
    if death is not None and action["_day"] > death:
        return None
    if max_days is None or action["_day"] <= day + dt.timedelta(days=int(max_days)):
        return action
    return None


def _cut(death, day, max_days):
    """The child's date of death where it ended the search for a response (before `max_days` after `day`
    ran out; None: no cap), else None (review.rules.base.death_bound)."""
    if death is None or (max_days is not None and death >= day + dt.timedelta(days=int(max_days))):
        return None
    return death


def _flag(rule_id, row, deadline=None, action=None, variant="", exact_delay=True, cut=None) -> dict:
    delay = None
    if action is not None and deadline is not None and exact_delay and action["_exact"]:
        delay = float((action["_day"] - deadline).days)
    # none before the child's death (`cut`, `_cut`), which ended the search: at least the days to the death
    censored = action is None and cut is not None and deadline is not None
    if censored:
        delay = float((cut - deadline).days)
    # the id is anchored on the trigger's content (`_anchors`), as review.rules.base.flag_id
    digest = hashlib.sha1(f"{row['_anchor']}|{variant}".encode("utf-8")).hexdigest()[:12]
    return {"case_id": row["case_id"], "rule_id": rule_id, "flag_id": f"{rule_id}-{digest}",
            "trigger_event_id": row["event_id"], "trigger_date": row["_day"], "variant": variant,
            "expected_by": deadline, "actual_action_event_id": action["event_id"] if action else "",
            "delay_days": delay, "delay_censored": censored}


def _anchors(rows: list[dict]) -> None:
    """Each row's content anchor (``_anchor``), as review.rules.base.trigger_anchors: its content key
    (case, agency, date, precision, contact type, normalised description and action) and its occurrence
    number among the case's rows with the same key, in source order (file, sheet, row, event id)."""
    count = defaultdict(int)
    for r in sorted(rows, key=lambda x: source_order_key(x.get("source_file"), x.get("source_sheet"),
                                                          x.get("source_row"), x.get("event_id"))):
        key = content_key(r.get("case_id"), r.get("agency"), r.get("date"), r.get("date_precision"),
                          r.get("contact_type"), r.get("description"), r.get("action"))
        count[key] += 1
        r["_anchor"] = content_anchor(key, count[key])


def _first_per_group(rows):
    seen, out = set(), []
    for r in rows:
        if r["_gcode"] not in seen:
            seen.add(r["_gcode"])
            out.append(r)
    return out


def _row_period(x: dict) -> tuple:
    """(first day, last day) of a dated row's period (review.rules.base._period_bounds): its day, month, season,
    year, or day +/- APPROXIMATE_SPAN_DAYS."""
    day, precision = x["_day"], _text(x.get("date_precision"))
    if precision == "approximate":
        return _approximate_period(x)
    if precision in ("month", "season", "year"):
        first = dt.date(day.year, 1, 1) if precision == "year" else dt.date(day.year, day.month, 1)
        return first, _add_months(first, {"year": 12, "season": 3}.get(precision, 1)) - dt.timedelta(days=1)
    return day, day


def _injury_episodes(rows: list[dict], q: dict, earlier=None, settings: dict | None = None) -> dict:
    """The injury episode of each event group of `rows` (injury rows, timeline order), as
    review.rules.repeated_injury_or_ae.injury_episodes: groups joined when exact-dated on the same day
    with a shared injury tag (neither correspondence nor a meeting), a correspondence group joined to the
    latest injury report of another agency sharing a tag, 0..correspondence_window_days days before it, and
    a meeting (one that took place: `_held`) joined to the latest report of any agency sharing a tag,
    0..meeting_window_days before it; with `earlier` (a group's first row -> the first row of the earlier
    injury record it follows up, or None: `_earlier_injury`), a follow-up joined to it."""
    tags, letters, meetings = set(q["injury_tags"]), set(q["correspondence_types"]), set(q["meeting_types"])
    nodes = {}
    for r in rows:
        node = nodes.setdefault(r["_gcode"], {"first": r, "tags": set(), "written": True, "meeting": False,
                                              "n": len(nodes)})
        node["tags"] |= tags & set(r["_tags"])
        node.setdefault("rows", []).append(r)
        # a meeting that did not take place ("ICPC cancelled") is read as any other record
        held = _held(r, meetings)
        node["written"] = node["written"] and (r.get("contact_type") in letters or held)
        node["meeting"] = node["meeting"] or held
        # every row of it an escalation that took place (the referral about the bruise, the CP medical)
        node["escalated"] = node.get("escalated", True) and any(
            e in q["escalations"] and not _esc_denied(r, e) for e in r["_esc"])
    for node in nodes.values():
        node["meeting"] = node["meeting"] and node["written"]
    nodes = list(nodes.values())
    parent = {id(x): x for x in nodes}

    def root(x):
        while parent[id(x)] is not x:
            x = parent[id(x)]
        return x

    def union(a, b):
        ra, rb = root(a), root(b)
        if ra is not rb:
            parent[id(max(ra, rb, key=lambda x: x["n"]))] = min(ra, rb, key=lambda x: x["n"])

    for i, a in enumerate(nodes):
        for b in nodes[:i]:
            if (a["first"]["_exact"] and b["first"]["_exact"] and not a["written"] and not b["written"]
                    and a["first"]["_day"] == b["first"]["_day"] and a["tags"] & b["tags"]):
                union(a, b)
    for a in nodes:
        if not (a["written"] and a["first"]["_exact"]):
            continue
        day = a["first"]["_day"]
        window = dt.timedelta(days=q["meeting_window_days" if a["meeting"] else "correspondence_window_days"])
        best = None
        for b in nodes:
            if (b["first"]["_exact"] and not b["written"] and b["tags"] & a["tags"]
                    and (a["meeting"] or _text(b["first"].get("agency")) != _text(a["first"].get("agency")))
                    and day - window <= b["first"]["_day"] <= day
                    and (best is None or (b["first"]["_day"], b["n"]) > (best["first"]["_day"], best["n"]))):
                best = b
        if best is not None:
            union(a, best)
    # an escalation record joins the latest report before it sharing a tag, 0..escalation_window_days before
    window = q.get("escalation_window_days", 0)
    for a in nodes:
        if not (a["escalated"] and a["first"]["_exact"] and not a["written"]):
            continue
        day = a["first"]["_day"]
        best = None
        for b in nodes:
            if (b is not a and b["first"]["_exact"] and not b["written"] and b["tags"] & a["tags"]
                    and (b["first"]["_day"], b["n"]) < (day, a["n"])
                    and b["first"]["_day"] >= day - dt.timedelta(days=window)
                    and (best is None or (b["first"]["_day"], b["n"]) > (best["first"]["_day"], best["n"]))):
                best = b
        if best is not None:
            union(a, best)
    if earlier is not None:
        by_code = {x["first"]["_gcode"]: x for x in nodes}
        for a in nodes:
            found = earlier(a["first"])
            if found is not None and found["_gcode"] in by_code:
                union(a, by_code[found["_gcode"]])
    # (s20) one injury recorded again (review.rules.episodes.same_injury): a later group naming no new injury, its
    # tags among the earlier exact group's, both naming a body region and sharing one; exact and 0..
    # same_injury_window_days after it, or (partial_followups) a period wholly within followup_window_days after
    # it naming a follow-up. The latest such earlier group
    window, partial = q.get("same_injury_window_days"), bool(q.get("partial_followups"))
    if settings is not None and (window is not None or partial):
        s = settings.get("injury_episodes") or {}
        args = reading_args(s, _package_vocab())
        follow = dt.timedelta(days=int(s.get("followup_window_days", 0) or 0))
        for x in nodes:
            readings = [text_reading(f"{_text(r.get('description'))} . {_text(r.get('action'))}", *args) for r in x["rows"]]
            x["sites"] = 0
            for reading in readings:
                x["sites"] |= reading[2]
            x["new"] = any(reading[1] for reading in readings)
            x["followup"] = any(reading[0] or reading[4] for reading in readings)
        for a in nodes:
            f = a["first"]
            if not a["tags"] or not a["sites"] or a["new"]:
                continue
            if f["_exact"] and window is not None:
                lo, hi = f["_day"] - dt.timedelta(days=int(window)), f["_day"]
            elif not f["_exact"] and partial and a["followup"] and f["_day"] is not None:
                start, end = _row_period(f)
                lo, hi = end - follow, start
            else:
                continue
            best = None
            for b in nodes:
                g = b["first"]
                if (b is a or not g["_exact"] or not b["tags"] or not b["sites"] or not a["tags"] <= b["tags"]
                        or not (a["sites"] & b["sites"]) or not (lo <= g["_day"] <= hi)):
                    continue
                if f["_exact"] and not (g["_day"] < f["_day"] or (g["_day"] == f["_day"] and b["n"] < a["n"])):
                    continue
                if best is None or (g["_day"], b["n"]) > (best["first"]["_day"], best["n"]):
                    best = b
            if best is not None:
                union(a, best)
    return {x["first"]["_gcode"]: root(x)["n"] for x in nodes}


def _injury_nodes(tl: list[dict], tags, settings: dict, not_record=None, referral=None, receipt=None) -> dict:
    """Per event group with an exact-dated injury row (of `tags`), as review.rules.episodes reads it: its
    first such row, its injury tags, whether a row names a follow-up or a new injury, the body sites (bits)
    and the dates (day * 100 + month, the first four distinct) its rows name; with `not_record` (a row's
    predicate: social care's receipt of a referral), whether a row of it is no such row (`record`); with
    `referral` and `receipt` (a row's predicates: a referral to social care or its receipt, whoever made it; a
    receipt), whether an injury row of it is social care's and no receipt (`responder`) and whether a row of its
    event group records a referral (`referred`), as review.rules.episodes._referral_followups."""
    args = reading_args(settings.get("injury_episodes") or {}, _package_vocab())
    nodes = {}
    for r in tl:
        own = [t for t in tags if t in r["_tags"]]
        if not own or not r["_exact"]:
            continue
        cue, new, sites, dates, plain, swollen = text_reading(
            f"{_text(r.get('description'))} . {_text(r.get('action'))}", *args)
        node = nodes.setdefault(r["_gcode"], {"first": r, "tags": set(), "cue": False, "new": False, "sites": 0,
                                              "dates": set(), "plain": False, "record": False,
                                              "swollen": False, "not_swollen": False})
        # its swelling-tag rows naming swelling only, or another injury of the tag too
        if (settings.get("injury_episodes") or {}).get("swelling_tag") in own:
            node["swollen" if swollen else "not_swollen"] = True
        node["record"] |= not_record is None or not not_record(r)
        node["responder"] = node.get("responder", False) or (
            receipt is not None and r.get("agency_kind") in (settings.get("receipt_agency_kinds") or ()) and not receipt(r))
        node["tags"] |= set(own)
        node["cue"] |= cue
        node["plain"] |= plain
        node["new"] |= new
        node["sites"] |= sites
        node["dates"] |= set(dates)
    referred = {x["_gcode"] for x in tl if referral(x)} if referral is not None else set()
    for node in nodes.values():
        node["referred"] = node["first"]["_gcode"] in referred
        node["dates"] = set(sorted(node["dates"])[:4])
        node["swelling"] = node["swollen"] and not node["not_swollen"]
    # each group's episode so far: its tags and those of the latest earlier group it follows up, read against
    # that group's episode in turn (in (day, position) order, so each earlier episode is complete)
    s = settings.get("injury_episodes") or {}
    for node in sorted(nodes.values(), key=lambda x: (x["first"]["_day"], x["first"]["_pos"])):
        found = _followed_up(node, nodes, s)
        node["episode_tags"] = set(node["tags"]) | (found["episode_tags"] if found is not None else set())
    return nodes


def _same_event_joined(firsts: list[dict], q: dict, nodes: dict) -> set:
    """(s21) The event ids of the triggers `firsts` (an injury rule's, `q` its params) that are another agency's
    record of an event an earlier trigger recorded (review.rules.injury_not_escalated._same_event): dated
    0..same_event_window_days after it (by day, then position), of another agency, a tag of injury_tags or
    any_age_tags in common, not both naming body regions (`nodes`' sites) with none shared."""
    window = q.get("same_event_window_days")
    if window is None:
        return set()
    tags = set(q["injury_tags"]) | set(q.get("any_age_tags") or ())
    ordered = sorted(firsts, key=lambda x: (x["_day"], x["_pos"]))
    joined = set()
    for b, r in enumerate(ordered):
        for x in ordered[:b]:
            s_x = nodes[x["_gcode"]]["sites"] if x["_gcode"] in nodes else 0
            s_r = nodes[r["_gcode"]]["sites"] if r["_gcode"] in nodes else 0
            if ((r["_day"] - x["_day"]).days <= int(window) and x.get("agency") != r.get("agency")
                    and set(x["_tags"]) & set(r["_tags"]) & tags and not (s_x and s_r and not s_x & s_r)):
                joined.add(r["event_id"])
                break
    return joined


def _plain_followup(node: dict, other: dict, s: dict) -> bool:
    """Is group `node` a follow-up of the earlier group `other` (the same injury word family as its episode,
    `episode_tags`), by a follow-up cue or its date, or at the same body region in plainer words?"""
    follow = int(s.get("followup_window_days", 0) or 0)
    same_site = int(s.get("same_site_window_days", 0) or 0) if s.get("same_site_window_days") else -1
    first, p = node["first"], other["first"]
    gap = (first["_day"] - p["_day"]).days
    family = node["tags"] <= other["episode_tags"]
    ok = (gap <= follow and family and (node["cue"] or (p["_day"].day * 100 + p["_day"].month) in node["dates"]))
    # the same injury at the same body region (both name one, sharing a region), shortly after, in plainer words
    ok = ok or (gap <= same_site and family and node["sites"] & other["sites"] and node["plain"])
    # a fracture's swelling at the same body region within the same-site window, whichever came first
    fracture, swelling = set(s.get("fracture_tags") or ()), s.get("swelling_tag")
    if fracture and swelling and not ok and not family and gap <= same_site and node["sites"] & other["sites"]:
        allowed = (fracture if other["swelling"] else set()) | (
            {swelling} if node["swelling"] and other["episode_tags"] & fracture else set())
        ok = (node["tags"] - other["episode_tags"]) <= allowed
    return bool(ok)


def _may_follow(node: dict, other: dict) -> bool:
    """The conditions of every join of `node` to an earlier group `other`: before it, naming no new injury,
    no body region unless one `other` names, `other` a record."""
    first, p = node["first"], other["first"]
    if (p["_day"], p["_pos"]) >= (first["_day"], first["_pos"]) or node["new"] or not node["tags"] \
            or not other.get("record", True):
        return False
    gap = (first["_day"] - p["_day"]).days
    return gap >= 0 and bool(node["sites"] == 0 or other["sites"] == 0 or node["sites"] & other["sites"])


def _followed_up(node: dict, nodes: dict, s: dict):
    """The latest earlier group that `node` follows up (`_plain_followup`), or None."""
    best = None
    for other in nodes.values():
        if "episode_tags" not in other or not _may_follow(node, other) or not _plain_followup(node, other, s):
            continue
        if best is None or (other["first"]["_day"], other["first"]["_pos"]) > (best["first"]["_day"], best["first"]["_pos"]):
            best = other
    return best


def _earlier_injury(tl: list[dict], r: dict, tags, settings: dict, esc_held, *, escalation_kinds=(), record_kinds=(),
                    meeting_types=(), escalation_window_days=None, episode_window_days=None, nodes=None):
    """The first row of the earlier injury record that the group of trigger `r` is a record of (None: a new
    injury), as review.rules.episodes.earlier_injury: the latest earlier exact injury group (by day, then
    timeline order) that it follows up (0..followup_window_days, its injury tags among the earlier's, a
    follow-up cue or the earlier's date), or that it records as an escalation (0..escalation_window_days)
    or as a meeting or escalation of an injury already escalated (0..episode_window_days, an escalation
    that took place from the earlier record on, before it), or that it follows up at the same body region
    in plainer words (0..same_site_window_days, its tags among the earlier's, both naming a shared body
    region, a same-site cue: "seen re the burn"); never one naming a new injury or only other body regions."""
    nodes = _injury_nodes(tl, tags, settings) if nodes is None else nodes  # (`_injury_nodes`, made once)
    node = nodes.get(r["_gcode"])
    if node is None:
        return None
    s = settings.get("injury_episodes") or {}
    first = node["first"]
    key = (first["_day"], first["_pos"])
    best = None
    for other in nodes.values():
        p = other["first"]
        if not _may_follow(node, other):
            continue
        gap = (first["_day"] - p["_day"]).days
        # a follow-up, or the same injury at the same body region in plainer words, of the earlier record's
        # episode (a chain of follow-ups counts from its latest record)
        ok = _plain_followup(node, other, s)
        # social care's visit after a referral about the injury, of the same injury kind (referral_followup_window_days)
        ref_window = int(s.get("referral_followup_window_days") or 0) if s.get("referral_followup_window_days") else -1
        ok = ok or bool(gap <= ref_window and node.get("responder") and other.get("referred")
                        and node["tags"] <= other["episode_tags"])
        if escalation_kinds:
            ok = ok or (esc_held(r, escalation_kinds) and gap <= int(escalation_window_days or 0))
            if (record_kinds or meeting_types) and not ok and gap <= int(episode_window_days or 0) and (
                    (record_kinds and esc_held(r, record_kinds)) or (meeting_types and _held(r, meeting_types))):
                ok = any(x["_exact"] and esc_held(x, escalation_kinds)
                         and (p["_day"], p["_pos"]) <= (x["_day"], x["_pos"]) < key for x in tl)
        if ok and (best is None or (p["_day"], p["_pos"]) > (best["_day"], best["_pos"])):
            best = p
    return best


def _same_injury_episodes(tl: list[dict], q: dict, settings: dict, esc_held) -> dict:
    """{event group: its injury episode} for the injury records (information_not_shared's injury_tags) joined
    to another as the same injury, as review.rules.knowledge.same_injury_episodes: one a record of the other
    (`_earlier_injury`), or both at most same_injury_days apart with an injury tag in common and a body region
    in common (or one naming none); chains of them one episode."""
    tags = q["injury_tags"]
    nodes = _injury_nodes(tl, tags, settings)
    parent = {}

    def root(x):
        while parent.setdefault(x, x) != x:
            x = parent[x]
        return x

    def union(a, b):
        ra, rb = root(a), root(b)
        if ra != rb:
            parent[max(ra, rb)] = min(ra, rb)

    within = q.get("same_injury_days")
    kinds = list(q.get("episode_escalations") or ())
    window = q.get("episode_escalation_window_days")
    for code, node in nodes.items():
        # an escalation (a referral's receipt, a CP medical) or a meeting (the conference) recording the injury
        earlier = _earlier_injury(tl, node["first"], tags, settings, esc_held,
                                  escalation_kinds=kinds if window is not None else (), record_kinds=kinds,
                                  meeting_types=list(q.get("episode_meeting_types") or ()),
                                  escalation_window_days=window, episode_window_days=q.get("episode_window_days"),
                                  nodes=nodes)
        if earlier is not None:
            union(code, earlier["_gcode"])
        for other_code, other in nodes.items():
            a, b = node["first"], other["first"]
            if (within is not None and other_code != code and a["case_id"] == b["case_id"]
                    and abs((a["_day"] - b["_day"]).days) <= int(within) and node["tags"] & other["tags"]
                    and (not node["sites"] or not other["sites"] or node["sites"] & other["sites"])):
                union(code, other_code)
    return {code: root(code) for code in parent}


def detect(timeline: list[dict], case: dict, rules: dict) -> list[dict]:
    """The rules over one case's timeline, each a loop over the rows with a scan per trigger."""
    p = {rule_id: spec.get("params", {}) for rule_id, spec in rules["rules"].items() if spec.get("enabled", True)}
    settings = rules["settings"]
    tl = timeline
    for pos, r in enumerate(tl):
        r["_pos"] = pos
        r["_esc"] = _tags(r.get("escalation"))  # the escalations a row was: a cell may hold several
    _anchors(tl)
    review_end = _end_of_review(case)
    death = case.get("date_of_death")  # a response after it is none (`_capped`)
    if review_end is None:
        review_end = max((r["_day"] for r in tl if r["_day"] is not None), default=None)
    flags = []

    def tag_in(r, tags):
        return any(t in tags for t in r["_tags"])

    bound_tags = set(settings.get("age_bound_tags") or ())

    bounds = {t: (settings.get("age_bound_min_years", 0), settings.get("age_bound_below_years", float("inf")))
              for t in bound_tags}
    bounds.update({t: (0, below) for t, below in (settings.get("age_bound_below_by_tag") or {}).items()})
    over_injury = set(settings.get("self_harm_over_injury_tags") or ())
    over_by = set(settings.get("self_harm_over_injury_by") or ())
    over_age = settings.get("self_harm_over_injury_from_age_years", float("inf"))

    def counted_tags(x) -> list:  # a concern by the child's age alone (sexual_activity) only at those ages
        years = None if x["age_days"] is None else (x["age_days"] // 365.25)
        # (s20) anogenital_symptoms under its own age; the cuts of a child old enough tagged self-harm no injury
        self_harm = years is not None and years >= over_age and any(t in over_by for t in x["_tags"])
        return [t for t in x["_tags"]
                if (t not in bounds or (years is not None and bounds[t][0] <= years < bounds[t][1]))
                and not (self_harm and t in over_injury)]

    def esc(r):
        return r["_esc"]

    def esc_held(r, kinds):
        # not an escalation the row's text denies ("Referral to MASH not made"), nor that of a row's own type
        # (a referral row's for referral_to_csc) that did not take place ("ICPC cancelled", "referral not
        # sent"), as the rules' held_escalations
        return any(e in kinds and not _esc_denied(r, e) for e in esc(r))

    def same_agency(x, r):
        # the same agency, a local authority under another name the same (settings.authority_agency_kinds,
        # authority_words: "Westshire CSC" is "Westshire Children's Services"; the package's `same_agency_codes`)
        def key(y):
            if y.get("agency_kind") in (settings.get("authority_agency_kinds") or ()):
                return ("la", local_authority(y.get("agency"), settings.get("authority_words") or ()))
            return ("agency", y.get("agency"))

        return key(x) == key(r)

    def missed_contact(x):
        # a missed contact (review.rules.base.missed_contacts): typed was_not_brought, or tagged it and of one of
        # settings.missed_contact_types (not a letter or a discharge reporting earlier ones)
        return not x.get("_adult_service") and (x.get("contact_type") == "was_not_brought" or (
            "was_not_brought" in x["_tags"]
            and x.get("contact_type") in (settings.get("missed_contact_types") or ())))

    def any_receipt(x):
        # social care's record of receiving a referral or notification (settings.receipt_*), whoever made it (the
        # package's `all_referral_receipts`): a referral awaiting social care's decision
        return (bool(settings.get("receipt_keywords")) and x.get("agency_kind") in (settings.get("receipt_agency_kinds") or [])
                and _mentioned(_text(x.get("description")) + " . " + _text(x.get("action")), settings["receipt_keywords"],
                               tuple(settings.get("receipt_negations") or ()))
                # (s20) an inspection's letter, minutes: no referral about the child
                and not (bool(settings.get("receipt_not_documents")) and _mentioned(
                    _text(x.get("description")) + " . " + _text(x.get("action")), settings["receipt_not_documents"], ())))

    def public_receipt(x):
        # ... made by a member of the public or the family (the package's `public_referral_receipts`)
        referrers = settings.get("receipt_public_referrers") or ()
        return bool(referrers) and any_receipt(x) and (
            public_referrer_text(_text(x.get("description")) + " . " + _text(x.get("action")), referrers,
                                 settings.get("receipt_referrer_words") or ())
            or public_referrer_cell(x.get("source_of_information"), referrers))

    def referral(x):
        # a referral to children's social care that took place, or its receipt, whoever made it (the referral an
        # injury's follow-up by social care answers: review.rules.episodes._referral_followups)
        return esc_held(x, ["referral_to_csc"]) or any_receipt(x)

    def public_incoming(x, q):
        # a receipt, or a social care row of q's public_receipt_contact_types or mentioning its
        # public_receipt_keywords, naming a relative or the public as the referrer (injury_not_escalated's
        # `_public_receipts`)
        text = _text(x.get("description")) + " . " + _text(x.get("action"))
        incoming = any_receipt(x) or (x.get("agency_kind") in (settings.get("receipt_agency_kinds") or ()) and (
            x.get("contact_type") in (q.get("public_receipt_contact_types") or ())
            or (bool(q.get("public_receipt_keywords")) and _mentioned(text, q["public_receipt_keywords"], ()))))
        referrers = settings.get("receipt_public_referrers") or ()
        return bool(incoming and referrers) and (
            public_referrer_text(text, referrers, settings.get("receipt_referrer_words") or ())
            or public_referrer_cell(x.get("source_of_information"), referrers))

    def agency_receipt(x):
        # (s20, QA10) any agency's record of receiving another agency's referral or notification: social care's
        # (receipt), or another agency's mentioning settings.receipt_any_agency_keywords (the package's
        # `agency_referral_receipts`)
        if receipt(x):
            return True
        words = settings.get("receipt_any_agency_keywords") or ()
        text = _text(x.get("description")) + " . " + _text(x.get("action"))
        return (bool(words) and x.get("agency_kind") not in (settings.get("receipt_agency_kinds") or ())
                and _mentioned(text, words, tuple(settings.get("receipt_negations") or ()))
                and not (bool(settings.get("receipt_not_documents")) and _mentioned(text, settings["receipt_not_documents"], ())))

    def receipt(x):
        # an agency's referral received: the referral was made no later than its day (the package's
        # `referral_receipts`); a relative's or the public's answers no agency's duty to escalate
        return any_receipt(x) and not public_receipt(x)

    def agency_answers(x, q):
        # (None, declined) for a row by no agency of q's response_agency_names; else (answers, declined): a
        # contact by the named agency (CAMHS) that took place answers, unless its text records the referral
        # going nowhere (`base.agency_declined`), which then answers by its words neither
        if not (q.get("response_agency_names") and agency_named(x.get("agency"), q["response_agency_names"])):
            return None, False
        declined = bool(q.get("response_agency_declines")) and agency_declined_text(
            _text(x.get("description")) + " . " + _text(x.get("action")), q["response_agency_declines"],
            q.get("response_agency_assessed") or (), q.get("response_agency_not_assessed") or ())
        return not declined and not missed_contact(x), declined

    sender_alone, sender_words = receipt_sender_kind_words(settings)

    def sender_ok(x, q):
        # (s21) with receipts_sender_kind_only, a receipt naming another kind of agency as its sender ("Letter
        # received from YJS") answers no trigger of another kind (q's _trigger_kind: the trigger row's kind)
        if not q.get("receipts_sender_kind_only") or "_trigger_kind" not in q:
            return True
        sender = receipt_sender_kind(_text(x.get("description")) + " . " + _text(x.get("action")),
                                     settings.get("receipt_referrer_words") or (), sender_words, sender_alone)
        return sender == "" or sender == (q["_trigger_kind"] or "")

    def answers_otherwise(x, q, kinds):
        # a row answering by one of `kinds` of escalation held, a receipt, a contact by a named agency, or a row
        # of q's response types by its agency kinds
        return (esc_held(x, kinds) or (bool(q.get("receipts_answer")) and receipt(x) and sender_ok(x, q))
                or bool(agency_answers(x, q)[0])
                or (x.get("agency_kind") in (q.get("response_agency_kinds") or [x.get("agency_kind")])
                    and _held(x, q.get("response_contact_types") or []))
                # informed agencies naming an agency of response_informed_kinds (the DA notification variant's)
                or (bool(q.get("response_informed_kinds")) and informed_reach_kinds(
                    _text(x.get("informed_agencies")), q["response_informed_kinds"], _package_vocab()))
                # (s20) a row, not of those kinds, whose text says it was sent to an agency of
                # response_shared_in_text_kinds ("RHI request sent to Brackmoor CSC")
                # (s22) not a held referral to social care's own row: its words are the referral
                or (bool(q.get("response_shared_in_text_kinds"))
                    and x.get("agency_kind") not in q["response_shared_in_text_kinds"]
                    and not ("referral_to_csc" in (q.get("escalations") or [])
                             and esc_held(x, ["referral_to_csc"]))
                    and informed_reach_kinds("; ".join(shared_in_text(
                        _text(x.get("description")) + " . " + _text(x.get("action")), _package_vocab())),
                        q["response_shared_in_text_kinds"], _package_vocab())))

    def worded(x, q):
        # a row answering by its words alone (q's response_keywords), not a named agency's record of the
        # referral going nowhere
        # (s22) nor one only planned: the rule's negations and the settings' plan words after the words, and
        # theirs before them ("RHI request to be sent to CSC", `base.response_plans`)
        text = _text(x.get("description")) + " . " + _text(x.get("action"))
        negations, before = response_plans(settings, q)
        return (bool(q.get("response_keywords")) and not agency_answers(x, q)[1]
                and _mentioned(text, q["response_keywords"], negations,
                               tuple(q.get("response_not_in_sentence_with") or ()), before=before))

    def referral_answers(x, q):
        # a row answering a concern by referral (domestic_abuse_not_escalated, exploitation_not_referred,
        # self_harm_not_referred): an escalation of q's that took place, a row of its response types by its agency
        # kinds, a contact by one of its named agencies, or its keywords; with receipts_answer, social care's
        # record of receiving a referral
        return answers_otherwise(x, q, q["escalations"]) or worded(x, q)

    def answered_from(x, q):
        # the day a row answering by referral answers from (review.rules.base.referral_response): a referral to
        # children's social care its text dates later ("Referral to MASH sent 22.02.21", as referral_no_decision
        # reads it) from that day, unless the row answers otherwise too; with keyword_referrals_dated, a row
        # answering by its words alone that dates the referral it records ("Referral to CAMHS sent 03/04/2021")
        kinds = list(q.get("escalations") or [])
        if not x["_exact"]:
            return x["_day"]
        if "referral_to_csc" in kinds and esc_held(x, ["referral_to_csc"]):
            if answers_otherwise(x, q, [k for k in kinds if k != "referral_to_csc"]):
                return x["_day"]
            return referral_text_day(x.get("description"), x.get("action"), x["_day"], review_end) or x["_day"]
        if q.get("keyword_referrals_dated") and not answers_otherwise(x, q, kinds):
            return keyword_referral_day(x.get("description"), x.get("action"), x["_day"], review_end,
                                        q["response_keywords"], tuple(q.get("response_negations") or ()),
                                        tuple(q.get("response_not_in_sentence_with") or ())) or x["_day"]
        return x["_day"]

    def first_answer(anchor, q):
        # `_first` of the rows answering by referral, each from the day it answers from (`answered_from`): a row
        # before the anchor may answer from a day its text dates on or after it
        best = None
        for x in tl:
            if x["_day"] is None or (x["_day"] < anchor and not (x["_exact"] and (
                    esc_held(x, ["referral_to_csc"]) or q.get("keyword_referrals_dated")))):
                continue
            if not referral_answers(x, q):
                continue
            day = answered_from(x, q)
            if day >= anchor and (best is None or day < best["_day"]):
                best = x if day == x["_day"] else dict(x, _day=day)
        return best

    # nonmobile_injury -------------------------------------------------------------------------------
    if "nonmobile_injury" in p:
        q = p["nonmobile_injury"]
        receipts = bool(q.get("receipts_answer"))  # social care's receipt of the referral: no trigger, no record
        trig = [r for r in tl if tag_in(r, q["injury_tags"]) and r["_exact"] and r["age_days"] is not None
                and r["age_days"] >= 0 and (r["child_mobile"] is False or (
                    r["child_mobile"] is None and r["age_days"] < q["nonmobile_below_age_months"] * 30.4375))
                and not (receipts and receipt(r))]
        trig = _first_per_group(trig)
        kinds = list(q["referral_escalations"]) + list(q["assessment_escalations"])
        window = q.get("escalation_window_days")
        nodes = _injury_nodes(tl, q["injury_tags"], settings, receipt if receipts else None, referral, any_receipt)
        # a record of an injury already recorded (an escalation of it, a conference of an injury already
        # escalated, a follow-up): the first record's flag covers it
        firsts = [r for r in trig if _earlier_injury(
            tl, r, q["injury_tags"], settings, esc_held, nodes=nodes,
            escalation_kinds=kinds if window is not None else (), record_kinds=kinds,
            meeting_types=q.get("episode_meeting_types") or (), escalation_window_days=window,
            episode_window_days=q.get("episode_window_days")) is None]
        # (s21) another agency's record of the same injury: the first record's flag covers it
        joined = _same_event_joined(firsts, q, nodes)
        for r in firsts:
            if r["event_id"] in joined:
                continue
            deadline = r["_day"] + dt.timedelta(days=q["within_days"])
            # a receipt answers only when it came strictly before the first referral escalation (first_response_or)
            ref = _first(tl, r["_day"], lambda x: esc_held(x, q["referral_escalations"]))
            if receipts:
                got = _first(tl, r["_day"], lambda x: receipt(x) and not esc_held(x, q["referral_escalations"]))
                if got is not None and (ref is None or got["_day"] < ref["_day"]):
                    ref = got
            med = _first(tl, r["_day"], lambda x: esc_held(x, q["assessment_escalations"]))
            ref_ok = ref is not None and ref["_day"] <= deadline
            med_ok = med is not None and med["_day"] <= deadline
            if not (ref_ok and med_ok):
                ref = _capped(ref, r["_day"], q.get("response_max_days"), death)
                med = _capped(med, r["_day"], q.get("response_max_days"), death)
                action = None
                if ref is not None and med is not None:
                    action = med if med["_day"] >= ref["_day"] else ref
                flags.append(_flag("nonmobile_injury", r, deadline, action,
                                   cut=_cut(death, r["_day"], q.get("response_max_days"))))

    # injury_not_escalated ---------------------------------------------------------------------------
    def answer(rows, anchor, kinds, receipts):
        # the first escalation of `kinds` from `anchor`; with receipts, social care's record of receiving a
        # referral when it came strictly earlier (review.rules.base.first_response_or)
        action = _first(rows, anchor, lambda x: esc_held(x, kinds))
        if receipts:
            got = _first(rows, anchor, lambda x: receipt(x) and not esc_held(x, kinds))
            if got is not None and (action is None or got["_day"] < action["_day"]):
                action = got
        return action

    if "injury_not_escalated" in p:
        q = p["injury_not_escalated"]
        receipts = bool(q.get("receipts_answer"))  # social care's receipt of the referral: no trigger, no record
        trig = []
        for r in tl:
            if not (r["_exact"] and r["age_days"] is not None and r["age_days"] >= 0):
                continue
            if receipts and receipt(r):
                continue
            if not q.get("public_receipts_trigger", True) and public_incoming(r, q):
                continue  # a relative's referral: no agency failed to refer
            if tag_in(r, q.get("any_age_tags") or []):  # a harm said to be inflicted, at any age
                trig.append(r)
                continue
            if not tag_in(r, q["injury_tags"]):
                continue
            dob = r["_day"] - dt.timedelta(days=r["age_days"])
            if r["_day"] < _add_months(dob, int(q["max_age_months"])):
                trig.append(r)
        if q.get("explained_cues") and q.get("unconcerned_cues"):
            # a mobile child's injury recorded as explained and of no safeguarding concern: not its group's
            # rows, unless a row of the group has a high-severity tag
            months = q.get("nonmobile_below_age_months", 6) * 30.4375
            calm_rows = [r for r in trig if (r["child_mobile"] is True or (
                r["child_mobile"] is None and not r["age_days"] < months)) and explained_text(
                f"{_text(r.get('description'))} . {_text(r.get('action'))}",
                tuple(map(str, q["explained_cues"])), tuple(map(str, q["unconcerned_cues"])),
                tuple(map(str, q["injury_tags"])),
                reading_args(settings.get("injury_episodes") or {}, _package_vocab())[2])]
            # ...but not a bruise at a TEN-4-FACESp site in a young child, nor an injury after earlier injuries
            sentinel = sentinel_regions(_package_vocab().get("body_regions"), q.get("sentinel_regions") or (),
                                        q.get("sentinel_words") or ())[0]
            injury_days = defaultdict(set)
            for x in tl:
                if x["_exact"] and tag_in(x, q["injury_tags"]):
                    injury_days[x["case_id"]].add(x["_day"])

            def not_set_aside(r):
                if q.get("sentinel_below_age_months") is not None and q.get("sentinel_tags") and sentinel and (
                        r["_day"] < _add_months(r["_day"] - dt.timedelta(days=r["age_days"]),
                                                int(q["sentinel_below_age_months"]))) and sentinel_sites_text(
                        f"{_text(r.get('description'))} . {_text(r.get('action'))}",
                        tuple(map(str, q["sentinel_tags"])), sentinel):
                    return True
                window = q.get("earlier_injury_window_days")
                return window is not None and sum(
                    1 for d in injury_days[r["case_id"]] if r["_day"] - dt.timedelta(days=int(window)) <= d < r["_day"]
                ) >= max(1, int(q.get("earlier_injury_min_days") or 1))

            calm = {r["_gcode"] for r in calm_rows} - {r["_gcode"] for r in calm_rows if not_set_aside(r)}
            calm -= {r["_gcode"] for r in tl if tag_in(r, q["high_severity_tags"])}
            trig = [r for r in trig if r["_gcode"] not in calm]
        else:
            calm = set()
        nodes = _injury_nodes(tl, q["injury_tags"], settings, receipt if receipts else None, referral, any_receipt)
        fracture = set((settings.get("injury_episodes") or {}).get("fracture_tags") or ())
        firsts = []
        for r in _first_per_group(trig):
            found = _earlier_injury(tl, r, q["injury_tags"], settings, esc_held, nodes=nodes)
            if found is not None and not (
                    # a fracture found after a swelling recorded as explained is a trigger
                    found["_gcode"] in calm and fracture & nodes[r["_gcode"]]["tags"]
                    and not fracture & nodes[found["_gcode"]]["tags"]):
                continue  # a follow-up of an injury already recorded
            firsts.append(r)
        # (s21) another agency's record of the same injury: the first record's flag covers it
        joined = _same_event_joined(firsts, q, nodes)
        for r in firsts:
            if r["event_id"] in joined:
                continue
            deadline = r["_day"] + dt.timedelta(days=q["within_days"])
            action = answer(tl, r["_day"], q["escalations"], receipts)
            if q.get("looked_after_share") and _looked_after_authority(r, case) is not None:
                # (s21) a looked-after child: the record shared with its social worker answers too (strictly earlier)
                shared = first_answer(r["_day"], dict(_lac_share_params(dict(
                    q, escalations=[], response_keywords=[], response_informed_kinds=[],
                    response_shared_in_text_kinds=[]), settings), receipts_answer=False))
                if shared is not None and (action is None or shared["_day"] < action["_day"]):
                    action = shared
            if action is None or action["_day"] > deadline:
                action = _capped(action, r["_day"], q.get("response_max_days"), death)
                flags.append(_flag("injury_not_escalated", r, deadline, action,
                                   cut=_cut(death, r["_day"], q.get("response_max_days"))))

    # repeated_injury_or_ae --------------------------------------------------------------------------
    if "repeated_injury_or_ae" in p:
        q = p["repeated_injury_or_ae"]
        receipts = bool(q.get("receipts_answer"))  # social care's receipt of the referral: no injury of its own
        for variant, is_event, min_count, window in (
            ("injury", lambda x: tag_in(x, q["injury_tags"]) and not (receipts and receipt(x)), q["min_injuries"],
             q["injury_window_days"]),
            ("ae", lambda x: x.get("contact_type") == "ae_attendance", q["min_ae_attendances"], q["ae_window_days"]),
        ):
            rows = [r for r in tl if is_event(r)]
            events = _first_per_group(rows)
            nodes = _injury_nodes(tl, q["injury_tags"], settings, receipt if receipts else None, referral, any_receipt)
            episode = _injury_episodes(rows, q, lambda r: _earlier_injury(tl, r, q["injury_tags"], settings, esc_held,
                                                                          nodes=nodes), settings) \
                if variant == "injury" else {e["_gcode"]: e["_gcode"] for e in events}
            opening, seen_episodes = set(), set()  # each episode's first event: where the episode is counted
            for e in events:
                if episode[e["_gcode"]] not in seen_episodes:
                    seen_episodes.add(episode[e["_gcode"]])
                    opening.add(id(e))
            started, found = set(), []  # found: (trigger, its deadline, its first response however late, window start)
            for r in events:
                if episode[r["_gcode"]] in started:  # one trigger per episode: its first row
                    continue
                started.add(episode[r["_gcode"]])
                if not r["_exact"]:
                    continue
                deadline = r["_day"] + dt.timedelta(days=q["within_days"])
                # not the escalation of a row's own type that did not take place ("ICPC cancelled")
                action = answer(tl, r["_day"], q["escalations"], receipts)
                if action is not None and action["_day"] <= deadline:
                    continue
                lo = r["_day"] - dt.timedelta(days=window)
                groups = {episode[e["_gcode"]] for e in events if id(e) in opening and e["_day"] is not None
                          and lo <= e["_day"] and _latest_day(e) <= r["_day"]  # (s21) a partial date: its whole period
                          and not (e["_exact"] and e["_pos"] > r["_pos"])}
                if len(groups) >= min_count:
                    found.append((r, deadline, action, lo))
            # one flag per unanswered pattern: a trigger continues the previous one's when that one is in its
            # window and no response came between them (review.rules.repeated_injury_or_ae._chains); the flag is
            # the pattern's first trigger's, with its last trigger's response
            chains = []
            for r, deadline, action, lo in sorted(found, key=lambda f: (f[0]["_day"], f[0]["_pos"])):
                if chains:
                    prev, prev_action = chains[-1][-1][0], chains[-1][-1][2]
                    if lo <= prev["_day"] and (prev_action is None or prev_action["_day"] > r["_day"]):
                        chains[-1].append((r, deadline, action, lo))
                        continue
                chains.append([(r, deadline, action, lo)])
            for chain in chains:
                (r, deadline, _, _), (last, _, action, _) = chain[0], chain[-1]
                action = _capped(action, last["_day"], q.get("response_max_days"), death)
                flags.append(_flag("repeated_injury_or_ae", r, deadline, action, variant,
                                   cut=_cut(death, last["_day"], q.get("response_max_days"))))

    # referral_no_decision ---------------------------------------------------------------------------
    if "referral_no_decision" in p:
        q = p["referral_no_decision"]

        def decision(x):
            return (x.get("agency_kind") in q["decision_agency_kinds"]
                    and (_held(x, q["decision_contact_types"]) or _closed_in_action(x, settings)
                         # the referral accepted or the response planned (decision_keywords)
                         or (bool(q.get("decision_keywords")) and _mentioned(
                             _text(x.get("description")) + " . " + _text(x.get("action")), q["decision_keywords"], ()))
                         or (
                        q.get("decision_in_text", True) and any(records_type(t, _text(x.get("description")) + " . " + _text(x.get("action")),
                                                                 _package_vocab()) for t in q["decision_contact_types"])))
                    or q.get("decision_in_text", True) and compile_vocab(_package_vocab()).declines_referral(
                        _text(x.get("description")) + " . " + _text(x.get("action")))
                    # a social care row arranging the response ("Strategy discussion to be arranged")
                    or x.get("agency_kind") in q["decision_agency_kinds"] and q.get("decision_in_text", True)
                    and q.get("decision_plan_cues") and any(records_type(
                        t, _text(x.get("description")) + " . " + _text(x.get("action")), _planned_vocab(
                            tuple(q["decision_plan_cues"]))) for t in q.get("decision_planned_types") or ()))

        referrals = _first_per_group([r for r in tl if esc_held(r, ["referral_to_csc"]) and r["_exact"]])
        made = []  # (case, the day a referral trigger counts from, its first decision or None)
        for r in referrals:
            # a referral its text dates on a later day ("Referral to MASH sent 22.02.21"): counted from that day
            r["_referred"] = referral_text_day(r.get("description"), r.get("action"), r["_day"], review_end) or r["_day"]
            r["_decision"] = _first(tl, r["_referred"], decision)
            made.append(r)
        if q.get("one_referral_per_agency_day", True):
            # an agency's rows counted from the same day are one referral (the first row's)
            kept, seen_days = [], set()
            for r in referrals:
                if (r.get("agency"), r["_referred"]) not in seen_days:
                    seen_days.add((r.get("agency"), r["_referred"]))
                    kept.append(r)
            referrals, made = kept, list(kept)
        if q.get("receipts_trigger"):
            # social care's record of receiving a referral: a trigger of its own (variant receipt), from its day,
            # unless in a referral's group, or the receipt of the latest referral made up to
            # receipt_referral_window_days before it and not decided before its day
            groups = {r["_gcode"] for r in referrals}
            window = q.get("receipt_referral_window_days")
            def lado_notice(r):
                # (s20, lacnoise) a notification of an allegation against staff: the LADO's process, no referral
                return tag_in(r, q.get("receipts_not_tags") or []) or bool(q.get("receipts_not_words")) and _mentioned(
                    _text(r.get("description")) + " . " + _text(r.get("action")), list(q["receipts_not_words"]), ())

            for r in _first_per_group([r for r in tl if r["_exact"] and any_receipt(r)
                                       and not esc_held(r, ["referral_to_csc"]) and not lado_notice(r)]):
                if r["_gcode"] in groups or (q.get("receipts_not_on_cp_plan") and r.get("on_cp_plan") is True):
                    continue  # (a notification about a child on a plan goes to the lead social worker)
                before = [m for m in made if m["_referred"] <= r["_day"]]
                latest = max(before, key=lambda m: (m["_referred"], m["_pos"]), default=None)
                if (window is not None and latest is not None and (r["_day"] - latest["_referred"]).days <= int(window)
                        and (latest["_decision"] is None or latest["_decision"]["_day"] >= r["_day"])):
                    continue
                r["_referred"], r["_variant"] = r["_day"], "receipt"
                r["_decision"] = _first(tl, r["_day"], decision)
                referrals.append(r)
        def case_open(r):
            # (s20, openref) social care holding the case: a CP plan, a looked-after period, or a plan or
            # assessment opened by social care (open_case_contact_types / _keywords) in the open_case_days up to
            # the trigger's day with no closure by it since the last opening (as neglect_not_escalated's)
            if r.get("on_cp_plan") is True or _looked_after_authority(r, case) is not None:
                return True
            kinds, days_ = q.get("open_case_agency_kinds") or (), q.get("open_case_days")
            types, keywords = q.get("open_case_contact_types") or (), q.get("open_case_keywords") or ()
            if days_ is None or not kinds or not (types or keywords):
                return False

            def own(x):
                return x["_exact"] and x["case_id"] == r["case_id"] and x.get("agency_kind") in kinds

            def closes(x):
                return x.get("contact_type") == "case_closure" or _closed_in_action(x, settings)

            start = r["_day"] - dt.timedelta(days=int(days_))
            days = [x["_day"] for x in tl if own(x) and start <= x["_day"] <= r["_day"] and not closes(x)
                    and (x.get("contact_type") in types or (bool(keywords) and _mentioned(
                        _text(x.get("description")) + " . " + _text(x.get("action")), keywords, ())))]
            if not days:
                return False
            return not any(own(x) and closes(x) and max(days) <= x["_day"] <= r["_day"] for x in tl)

        for r in sorted(referrals, key=lambda x: x["_pos"]):
            deadline = _add_working_days(r["_referred"], int(q["within_working_days"]))
            action = r["_decision"]
            if (q.get("open_case_response") and q.get("open_case_within_working_days") is not None
                    and case_open(r)):
                # the allocated team's next record about the child answers it (any social care row)
                deadline = _add_working_days(r["_referred"], int(q["open_case_within_working_days"]))
                action = _first(tl, r["_referred"],
                                lambda x: decision(x) or x.get("agency_kind") in q["decision_agency_kinds"])
            if action is None or action["_day"] > deadline:
                # a decision after the child's death is none (review.rules.base.censor_at_death)
                flags.append(_flag("referral_no_decision", r, deadline, _capped(action, r["_referred"], None, death),
                                   r.get("_variant", ""), cut=death))

    # strategy_no_conference -------------------------------------------------------------------------
    if "strategy_no_conference" in p:
        q = p["strategy_no_conference"]

        def is_strategy(x):
            # not a row of the type that did not take place, whatever its escalation cell says (held_escalations)
            return esc_held(x, ["strategy_discussion"]) or _held(x, ["strategy_discussion"])

        # (s20) a strategy discussion of an allegation against staff: the LADO's meeting, no conference, expected
        about_staff = list(q.get("allegation_tags") or ())
        trig, days_done = [], set()
        for r in _first_per_group([r for r in tl if is_strategy(r) and r["_exact"] and not tag_in(r, about_staff)]):
            if r["_day"] not in days_done:
                days_done.add(r["_day"])
                trig.append(r)
        for r in trig:
            deadline = _add_working_days(r["_day"], int(q["within_working_days"]))
            action = _first(tl, r["_day"], lambda x: esc_held(x, ["cp_conference"]) or _held(x, ["cp_conference"]))
            if action is not None and action["_day"] <= deadline:
                continue
            later = _first(tl, r["_day"] + dt.timedelta(days=1), lambda x: is_strategy(x) and x["_exact"])
            if later is not None and later["_day"] <= deadline:
                continue
            if q["closure_ends_requirement"]:
                closed = _first(tl, r["_day"], lambda x: x.get("agency_kind") == "social care" and (
                    _held(x, ["case_closure"]) or x.get("contact_type") != "case_closure" and (_mentioned(
                        _text(x.get("description")) + " . " + _text(x.get("action")),
                        q["closure_keywords"], tuple(q["closure_negations"]), tuple(q["closure_other_agency_words"]))
                        # a decision against S47, whoever its sentence names ("S47 not agreed by police")
                        or bool(q.get("s47_outcome_keywords")) and _mentioned(
                            _text(x.get("description")) + " . " + _text(x.get("action")),
                            q["s47_outcome_keywords"], tuple(q["closure_negations"])))))
                if closed is not None and closed["_day"] <= deadline:
                    continue
            flags.append(_flag("strategy_no_conference", r, deadline, _capped(action, r["_day"], None, death), cut=death))

    # was_not_brought --------------------------------------------------------------------------------
    wnb_groups = set()  # the event groups of its flags' missed contacts (child_not_seen leaves them to it)
    if "was_not_brought" in p:
        q = p["was_not_brought"]

        def is_missed(x):
            return (missed_contact(x) and x.get("agency_kind") in q["agency_kinds"] and not _seen(x)
                    and not x.get("_unborn"))  # (s21) an antenatal appointment: no child not brought

        def is_follow_up(x):  # the child seen, or an escalation that took place (not a MARAC referral)
            text = _text(x.get("description")) + " . " + _text(x.get("action"))
            # (s21) not an A&E attendance or admission that saw the child, unless it names the follow-up
            seen = bool(_seen(x)) and not (x.get("contact_type") in (q.get("follow_up_not_types") or ())
                                           and not (q.get("follow_up_words")
                                                    and _mentioned(text, q["follow_up_words"], ())))
            # (s21) a discharge shared with the GP (text or informed agencies naming the record holder)
            to_gp = (not seen and not missed_contact(x) and x.get("agency_kind") in q["agency_kinds"]
                     and bool(q.get("discharge_words"))
                     and bool(q.get("record_holder_words")) and _mentioned(text, q["discharge_words"], ())
                     and (_mentioned(text, q["record_holder_words"], ()) or any(
                         re.search(r"\b" + re.escape(w.lower()) + r"\b", _text(x.get("informed_agencies")).lower())
                         for w in q["record_holder_words"])))
            return seen or to_gp or esc_held(x, [e for e in esc(x) if e not in ADULT_ESCALATIONS])

        events = _first_per_group([r for r in tl if is_missed(r)])
        flagged = []  # (trigger, deadline, action) of each missed contact past the threshold, unanswered
        for r in events:
            if not r["_exact"]:
                continue
            deadline = r["_day"] + dt.timedelta(days=q["follow_up_within_days"])
            action = _first(tl, r["_day"], lambda x: same_agency(x, r) and is_follow_up(x))
            if action is not None and action["_day"] <= deadline:
                continue
            lo = r["_day"] - dt.timedelta(days=q["window_days"])
            # a follow-up by the agency (timely or late) before the trigger ends the pattern: only the missed
            # contacts after the latest one count
            since = max((x["_pos"] for x in tl[:r["_pos"]] if x["_exact"] and same_agency(x, r)
                         and is_follow_up(x)), default=-1)
            groups = {e["_gcode"] for e in events if e["_day"] is not None and lo <= e["_day"] <= r["_day"]
                      and (not q["same_agency"] or e.get("agency") == r.get("agency"))
                      and not (e["_exact"] and e["_pos"] > r["_pos"]) and e["_pos"] > since}
            # a young person from no_flag_age_years (16) who may consent or refuse: only with other concerns open
            dob = case.get("date_of_birth")
            years = None if dob is None else r["_day"].year - dob.year - (
                (r["_day"].month, r["_day"].day) < (dob.month, dob.day))
            other = any(t.strip() and t.strip() != "was_not_brought" for t in _text(r.get("open_concerns")).split(";"))
            if years is not None and years >= q["no_flag_age_years"] and not other:
                continue
            if len(groups) >= q["min_missed"]:
                flagged.append((r, deadline, action, groups))
        # one pattern, one flag: a trigger at most window_days after the previous one of its agency, which had
        # no follow-up before it, continues that one's pattern (its missed contacts are that flag's evidence)
        previous, pattern, patterns = {}, {}, []
        for r, deadline, action, groups in sorted(flagged, key=lambda f: (f[0]["_day"], f[0]["event_id"])):
            who = r.get("agency") if q["same_agency"] else None
            last = previous.get(who)
            previous[who] = (r, action)
            if last is not None and (r["_day"] - last[0]["_day"]).days <= q["window_days"] and (
                    last[1] is None or last[1]["_day"] >= r["_day"]):
                pattern[who][1].update(groups)
                continue
            flags.append(_flag("was_not_brought", r, deadline, _capped(action, r["_day"], None, death), cut=death))
            pattern[who] = (flags[-1], set(groups))
            patterns.append(pattern[who])
        # variant across_agencies: missed health contacts across agencies (3, 2 for a child with additional
        # needs, by 2+ agencies) within window_days, no escalation by any agency nor a health agency seeing the child
        least = q.get("across_agencies_min_missed") or 0
        if least > 0 and q["same_agency"]:
            if case.get("additional_needs"):
                least = q.get("additional_needs_min_missed") or least

            def answers(x):  # a health contact that saw the child, or an escalation for the child by any agency
                return (_seen(x) and x.get("agency_kind") in q["agency_kinds"]) or esc_held(
                    x, [e for e in esc(x) if e not in ADULT_ESCALATIONS])

            def who(x):  # the agency, a local authority under another name the same (as same_agency)
                if x.get("agency_kind") in (settings.get("authority_agency_kinds") or ()):
                    return ("la", local_authority(x.get("agency"), settings.get("authority_words") or ()))
                return ("agency", x.get("agency"))

            # the missed contacts of the agencies' own flags: a pattern across agencies has one more at least
            own_groups = {g for f, groups in patterns for g in groups}
            across = []
            for r in events:
                if not r["_exact"]:
                    continue
                deadline = r["_day"] + dt.timedelta(days=q["follow_up_within_days"])
                action = _first(tl, r["_day"], answers)
                if action is not None and action["_day"] <= deadline:
                    continue
                lo = r["_day"] - dt.timedelta(days=q["window_days"])
                since = max((x["_pos"] for x in tl[:r["_pos"]] if x["_exact"] and answers(x)), default=-1)
                within = [e for e in events if e["_day"] is not None and lo <= e["_day"] <= r["_day"]
                          and not (e["_exact"] and e["_pos"] > r["_pos"]) and e["_pos"] > since]
                dob = case.get("date_of_birth")
                years = None if dob is None else r["_day"].year - dob.year - (
                    (r["_day"].month, r["_day"].day) < (dob.month, dob.day))
                other = any(t.strip() and t.strip() != "was_not_brought"
                            for t in _text(r.get("open_concerns")).split(";"))
                if years is not None and years >= q["no_flag_age_years"] and not other:
                    continue
                if (len({e["_gcode"] for e in within}) >= least and {e["_gcode"] for e in within} - own_groups
                        and len({who(e) for e in within}) >= (q.get("across_agencies_min_agencies") or 2)):
                    across.append((r, deadline, action, {e["_gcode"] for e in within}))
            last = current = None
            for r, deadline, action, groups in sorted(across, key=lambda f: (f[0]["_day"], f[0]["event_id"])):
                if last is not None and (r["_day"] - last[0]["_day"]).days <= q["window_days"] and (
                        last[1] is None or last[1]["_day"] >= r["_day"]):
                    current[1].update(groups)
                    last = (r, action)
                    continue
                last = (r, action)
                flags.append(_flag("was_not_brought", r, deadline, _capped(action, r["_day"], None, death),
                                   "across_agencies", cut=death))
                current = (flags[-1], set(groups))
                patterns.append(current)
        # variant discharged: a discharge by a health agency (its row tagged was_not_brought naming discharge_words)
        # after min_missed missed contacts with it within window_days, whatever was attended in between, other
        # concerns open, no escalation by the agency within follow_up_within_days; not where the latest missed
        # contact is an own flag's; one flag per pattern (a later discharge sharing missed contacts: none)
        words = q.get("discharge_words") or ()
        if words:
            own_groups = {g for f, groups in patterns if f["variant"] == "" for g in groups}
            kept = {}
            for r in tl:
                if not (r["_exact"] and "was_not_brought" in r["_tags"] and r.get("agency_kind") in q["agency_kinds"]
                        and any(_says(_text(r.get(c)), w) for c in ("description", "action") for w in words)):
                    continue
                if not any(t.strip() and t.strip() != "was_not_brought"
                           for t in _text(r.get("open_concerns")).split(";")):
                    continue
                deadline = r["_day"] + dt.timedelta(days=q["follow_up_within_days"])
                action = _first(tl, r["_day"], lambda x: same_agency(x, r) and esc_held(
                    x, [e for e in esc(x) if e not in ADULT_ESCALATIONS]))
                if action is not None and action["_day"] <= deadline:
                    continue
                lo = r["_day"] - dt.timedelta(days=q["window_days"])
                if case.get("additional_needs") and q.get("additional_needs_discharge_window_days") is not None:
                    # (s20, QA9 D7) a disabled child's discharge looks back further
                    lo = r["_day"] - dt.timedelta(days=max(q["window_days"], q["additional_needs_discharge_window_days"]))
                within = [e for e in events if e["_day"] is not None and lo <= e["_day"] <= r["_day"]
                          and e.get("agency") == r.get("agency") and not (e["_exact"] and e["_pos"] > r["_pos"])]
                if len({e["_gcode"] for e in within}) < q["min_missed"]:
                    continue
                if max(within, key=lambda e: e["_pos"])["_gcode"] in own_groups:
                    continue
                first = min(e["_pos"] for e in within)
                last = kept.get(r.get("agency"))
                if last is not None and first <= last["_pos"]:
                    continue
                kept[r.get("agency")] = r
                flags.append(_flag("was_not_brought", r, deadline, _capped(action, r["_day"], None, death),
                                   "discharged", cut=death))
                patterns.append((flags[-1], {e["_gcode"] for e in within}))
        # the missed contacts of a flag (not one censored at the death) are its, not child_not_seen's visits'
        wnb_groups = {g for f, groups in patterns if death is None or (
            f["trigger_date"] <= death and f["expected_by"] <= death) for g in groups}

    # child_not_seen ---------------------------------------------------------------------------------
    if "child_not_seen" in p:
        q = p["child_not_seen"]
        # concerns open in the sense of an open case: a concern other than a missed appointment alone, recorded
        # by an agency that is not a hospital in the case (at least half its rows A&E / admission / discharge)
        ignore = set(q.get("open_concerns_ignore_tags") or ())
        rows_of_agency, hospital_rows = defaultdict(int), defaultdict(int)
        for x in tl:
            rows_of_agency[x.get("agency")] += 1
            hospital_rows[x.get("agency")] += x.get("contact_type") in (q.get("hospital_contact_types") or ())

        def hospital_named(x):  # (s21) a hospital by its name (health agencies)
            if x.get("agency_kind") not in (q.get("hospital_name_agency_kinds") or ()):
                return False
            name = " " + re.sub(r"[^a-z0-9&']+", " ", _text(x.get("agency")).lower().replace("\u2019", "'")) + " "

            def names(words):
                return any(" " + " ".join(w.lower().replace("\u2019", "'").split()) + " " in name for w in words)

            return names(q.get("hospital_agency_words") or ()) and not names(q.get("hospital_not_words") or ())

        def carrier(x):
            return x["_day"] is not None and any(t not in ignore for t in x["_tags"]) and not (
                q.get("hospital_contact_types") and 2 * hospital_rows[x.get("agency")] >= rows_of_agency[x.get("agency")]
            ) and not hospital_named(x)

        def holder(x, variant):  # on a plan, the plan's holder (social care) may trigger where it saw the child
            return variant == "cp_plan" and x.get("agency_kind") in (q.get("plan_holder_kinds") or ())

        def death_record(x):  # (s21) after the death, or on its day naming it: no sighting of a living child
            return death is not None and x["_day"] is not None and (x["_day"] > death or (
                x["_day"] == death and any(_says(_text(x.get(c)), w) for c in ("description", "action")
                                           for w in settings.get("death_record_words") or ())))

        def _seen_alive(x):
            return _seen(x) and not death_record(x)

        def no_contact(x):  # (s21) a records transfer: no contact with the family, no trigger; (s21, QA13) a
            # parent's own service's record (an adult service's, a parent's own appointment): no contact with the child
            if x.get("_adult_service"):
                return True
            return x.get("contact_type") in (q.get("no_contact_types") or ()) and any(
                _says(_text(x.get(c)), w) for c in ("description", "action") for w in q.get("no_contact_words") or ())

        stays = tl[0].get("_hospital", []) if tl else []  # the case's hospital stays (`_periods`)
        born = [case["date_of_birth"]] if case.get("date_of_birth") else []
        last_carrier = None
        for x in tl:
            if carrier(x):
                last_carrier = x
            x["_case_open"] = last_carrier is not None and (x["_day"] is None or (
                x["_day"] - last_carrier["_day"]).days <= _concern_window(case))
            # (s20) a child living in a residential placement (case.yml looked_after) is seen daily by its staff
            if x["_case_open"] and x["_day"] is not None and _residential(x, case, q.get("residential_placement_words")):
                x["_case_open"] = False
        for variant, max_days, on in (
            ("cp_plan", q["cp_plan_max_days"], lambda x: x["on_cp_plan"] is True),
            ("open_concerns", q["open_concerns_max_days"], lambda x: x["_case_open"] and x["on_cp_plan"] is not True),
        ):
            run_start = None
            clocks = set()
            alive_clocks = set()  # clocks of gaps past the limit at a contact the child's death leaves
            starts = {}
            late = {}  # clock -> the first contact past the limit when it is a sighting by a non-holder
            late_starts = {}  # clock -> the start of that contact's stretch
            for i, r in enumerate(tl):
                if not on(r):
                    run_start = None
                    continue
                # (s21) the day the run had certainly begun: the earliest of the latest possible days of its rows so
                # far (a partial-date row "March 2023" opens it, for certain, only on the 31st), as the package's
                if r["_day"] is not None:
                    run_start = _latest_day(r) if run_start is None else min(run_start, _latest_day(r))
                starts[i] = run_start
                if not r["_exact"]:
                    continue
                # one on the day of its death triggers no flag: the arrival of a child who has died
                if death is not None and r["_day"] >= death:
                    continue
                if r.get("_unborn"):  # (s21) before the birth no agency can see the child
                    continue
                if no_contact(r):
                    continue
                # (s21) a partial-date sighting counts at its latest possible day (docs/rules.md "Partial dates" 4),
                # before this contact's day at the latest
                seen_days = [min(_latest_day(x), r["_day"] - dt.timedelta(days=1)) for x in tl if _seen_alive(x)
                             and x["_day"] is not None and x["_day"] < r["_day"]]
                # a hospital stay (s19): the child seen every day of it, up to the day before the contact
                seen_days += [min(e, r["_day"] - dt.timedelta(days=1)) for s_, e in stays if s_ < r["_day"]]
                clock = max(seen_days) if seen_days else run_start
                clock = max(clock, run_start, *born)  # (s21) the unborn child's "last sighting" is its birth
                # a contact that saw the child triggers no flag (the flag belongs to an agency that had contact
                # and did not see the child), but the first past the limit of a stretch with no such contact past
                # it, ended by that sighting, is flagged against the case's holders below
                if _seen_alive(r) and not holder(r, variant):
                    if (r["_day"] - clock).days > max_days:
                        late.setdefault(clock, r)
                        late_starts.setdefault(clock, run_start)
                    continue
                if (r["_day"] - clock).days > max_days:
                    if case.get("date_of_death") is None or r["_day"] <= case["date_of_death"]:
                        alive_clocks.add(clock)
                    if clock not in clocks:
                        clocks.add(clock)
                        deadline = clock + dt.timedelta(days=max_days)
                        action = _capped(_first(tl, clock + dt.timedelta(days=1), lambda x: _seen_alive(x)), r["_day"], None, death)
                        flags.append(_flag("child_not_seen", r, deadline, action, variant, cut=death))
            # a stretch past the limit with no unseen contact past it, ended by another agency's sighting: at the
            # sighting (the package's variant ..._seen_late), the agencies holding the case named in its text
            for clock, r in late.items():
                # (s20) only against an agency holding the case when the limit passed: on a plan the plan's holder
                # with a record from the stretch's start; with concerns open an agency that sees children whose
                # concern kept the case open, within the concern window; none: no flag
                deadline = clock + dt.timedelta(days=max_days)
                if variant == "cp_plan":
                    lo = late_starts[clock]
                    holds = [x for x in tl if x["_day"] is not None and lo <= x["_day"] <= deadline
                             and x.get("agency_kind") in (q.get("plan_holder_kinds") or ())]
                else:
                    lo = deadline - dt.timedelta(days=_concern_window(case))
                    # (s21, QA13 N1) of the kinds that hold a case (social care, health): not a school
                    holder_kinds = q.get("open_case_holder_kinds")
                    holder_kinds = q.get("visit_agency_kinds") or () if holder_kinds is None else holder_kinds
                    holds = [x for x in tl if x["_day"] is not None and lo <= x["_day"] <= deadline and carrier(x)
                             and x.get("agency_kind") in holder_kinds]
                if not holds:
                    continue
                if clock not in clocks:
                    action = _capped(_first(tl, clock + dt.timedelta(days=1), lambda x: _seen_alive(x)), r["_day"], None, death)
                    flags.append(_flag("child_not_seen", r, clock + dt.timedelta(days=max_days), action,
                                       variant + "_seen_late", cut=death))
            # a stretch still running at the end of the review, unseen past the limit: censored at the end,
            # triggered by the stretch's last exact-date contact before the end, or its last contact when it
            # has only partial dates (unless a contact already flagged it)
            within = [i for i, x in enumerate(tl) if x["_day"] is not None and review_end is not None
                      and x["_day"] <= review_end]
            if within and on(tl[within[-1]]):
                last = tl[within[-1]]
                stretch = within[-1]
                while stretch > 0 and on(tl[stretch - 1]):
                    stretch -= 1
                # the trigger: a contact of the stretch after the last sighting, before the death, at which the
                # child was not seen (exact-date ones first); none: no agency had a contact in it, no flag
                last_seen = max((x["_day"] for x in tl if _seen_alive(x) and x["_day"] is not None
                                 and x["_day"] <= review_end), default=None)
                candidates = [i for i in range(stretch, within[-1] + 1) if tl[i]["_day"] is not None
                              and (not _seen_alive(tl[i]) or holder(tl[i], variant)) and not no_contact(tl[i])
                              and (death is None or tl[i]["_day"] < death) and not tl[i].get("_unborn")
                              and (last_seen is None or tl[i]["_day"] >= last_seen)]
                exact = [i for i in candidates if tl[i]["_exact"]] or candidates
                if variant == "cp_plan":
                    running = not any(
                        x["_day"] == last["_day"] and x.get("contact_type") == "cp_conference" and cp_plan_marker(
                            f"{_text(x.get('description'))} . {_text(x.get('action'))}") < 0 for x in tl)
                else:
                    running = any(carrier(x) and review_end - dt.timedelta(
                        days=_concern_window(case)) <= x["_day"] <= review_end for x in tl)
                seen_days = [min(_latest_day(x), review_end) for x in tl if _seen_alive(x) and x["_day"] is not None
                             and x["_day"] <= review_end]
                seen_days += [min(e, review_end) for s_, e in stays if s_ <= review_end]
                clock = max([starts[within[-1]], *seen_days, *born])
                if running and exact and (review_end - clock).days > max_days and clock not in alive_clocks:
                    # a review ending at the child's death: the death cut the search short ("at least")
                    flags.append(_flag("child_not_seen", tl[exact[-1]], clock + dt.timedelta(days=max_days), None,
                                       variant + "_at_review_end",
                                       cut=death if death is not None and review_end == death else None))
        def no_access(x):  # a missed contact whose text says no one answered: a visit, whatever its type
            return missed_contact(x) and any(
                _says(_text(x.get(c)), w) for c in ("description", "action") for w in q.get("no_access_words") or ())

        unseen = []
        for r in tl:
            if ((r.get("contact_type") in q["visit_contact_types"] or no_access(r))
                    and r.get("agency_kind") in q["visit_agency_kinds"]
                    and _seen(r) is False and (r["on_cp_plan"] is True or r["_case_open"])
                    and r["_exact"] and not r.get("_unborn") and not r.get("_adult_service")
                    and r["_gcode"] not in wnb_groups):  # a was_not_brought flag's: its own
                deadline = r["_day"] + dt.timedelta(days=q["revisit_within_days"])
                action = _first(tl, r["_day"], lambda x: _seen_alive(x) and same_agency(x, r))
                if action is None or action["_day"] > deadline:
                    unseen.append((r, deadline, action))
        # one pattern, one flag: an unseen visit within the return-visit time of the agency's previous one flagged
        last_visit = {}
        for r, deadline, action in sorted(unseen, key=lambda f: (f[0]["_day"], f[0]["event_id"])):
            who = next((k for k in last_visit if same_agency(last_visit[k], r)), r.get("agency"))
            last = last_visit.get(who)
            last_visit[who] = r
            if last is not None and (r["_day"] - last["_day"]).days <= q["revisit_within_days"]:
                continue
            flags.append(_flag("child_not_seen", r, deadline, _capped(action, r["_day"], None, death),
                               "visit_not_seen", cut=death))

    # information_not_shared -------------------------------------------------------------------------
    if "information_not_shared" in p:
        q = p["information_not_shared"]
        decision_types = settings["decision_contact_types"]
        keywords = settings.get("decision_keywords", [])
        home_words = settings.get("return_home_keywords") or []
        home_not_kinds = settings.get("return_home_not_agency_kinds") or []
        home_not_tags = settings.get("return_home_not_with_tags") or []
        group_agencies = {(x["_gcode"], _text(x.get("agency"))) for x in tl}
        first_record = {}  # agency -> the day of its first record of the child
        for x in tl:
            if x["_day"] is not None:
                a = _text(x.get("agency"))
                first_record[a] = min(first_record.get(a, x["_day"]), x["_day"])
        from_rows = {}  # agency -> its rows whose text says "from" or (s21) a receipt word: a receipt may name its sender
        for x in tl:
            if any(_has_word(_text(x.get("description")) + " . " + _text(x.get("action")), w) for w in SENDER_TEXT_WORDS):
                from_rows.setdefault(_text(x.get("agency")), []).append(x)
        deciders = {}  # event group -> its agencies and their kinds, first row of each agency
        for x in tl:
            if all(a != _text(x.get("agency")) for a, _ in deciders.get(x["_gcode"], [])):
                deciders.setdefault(x["_gcode"], []).append((_text(x.get("agency")), _text(x.get("agency_kind"))))
        event_tags = set(q.get("event_tags") or ())
        sender_cues = tuple(q.get("sender_cues") or ())
        by_window = {}
        for t in q["concern_tags"]:
            by_window.setdefault(int((q.get("window_days_by_tag") or {}).get(t, q["window_days"])), []).append(t)
        windows = sorted(by_window.items())

        def row_text(x):
            return _text(x.get("description")) + " . " + _text(x.get("action"))

        # a record whose information is still to come ("PNC/ViSOR information to follow"): a row with a concern
        pending = {x["_pos"] for x in tl if _text(x.get("concerns")) and promised(
            row_text(x), q.get("pending_cues") or (), q.get("pending_information_words") or ())}
        # a record of suspect_tags in words to suspect neglect (neglect_not_escalated's suspect_keywords)
        suspect_tags = set(q.get("suspect_tags") or ())
        suspect = {x["_pos"] for x in tl if suspect_tags and q.get("suspect_keywords") and tag_in(x, suspect_tags)
                   and _mentioned(row_text(x), q["suspect_keywords"], tuple(q.get("suspect_negations") or ()))}
        meeting_kinds = list(q.get("meeting_escalations") or ())
        meetings = [x for x in tl if meeting_kinds and x["_exact"] and esc_held(x, meeting_kinds)]
        first_not_asked = set(q.get("first_record_not_asked_kinds") or ())
        episode_of = _same_injury_episodes(tl, q, settings, esc_held) if event_tags and q.get("injury_tags") else {}
        # (injury episode, agency) -> the position of the agency's first row in it
        episode_rows = {}
        for x in tl:
            if x["_gcode"] in episode_of:
                episode_rows.setdefault((episode_of[x["_gcode"]], _text(x.get("agency"))), x["_pos"])
        # (concern's event group, its agency, deciding agency) -> (first concern row pos, first decision without
        # it): the same entry recorded twice by one agency is one concern
        first_decision = {}
        for d in tl:
            text = _text(d.get("description")) + " . " + _text(d.get("action"))
            negations = tuple(settings.get("decision_negations", []))
            # a return home: no decision by those agency kinds (the police), nor on a missing episode's row
            home = (bool(home_words) and d.get("agency_kind") not in home_not_kinds
                    and not tag_in(d, home_not_tags) and _mentioned(text, home_words, negations))
            # a health row filing correspondence ("Noted. No further action.") is no decision by its words
            filing = (d.get("agency_kind") in (settings.get("decision_filing_agency_kinds") or ())
                      and bool(settings.get("decision_filing_words"))
                      and _mentioned(text, settings["decision_filing_words"], ()))
            # (s21) a missed appointment rebooked ("Rebooked; no further action."): no decision by its words
            filing = filing or (missed_contact(d) and bool(settings.get("decision_rebooking_words"))
                                and _mentioned(text, settings["decision_rebooking_words"], ()))
            # an elective home education team's judgement that the education at home is suitable
            suitable = (d.get("agency_kind") in (settings.get("suitability_decision_agency_kinds") or ())
                        and bool(settings.get("suitability_decision_keywords"))
                        and _mentioned(text, settings["suitability_decision_keywords"], negations))
            # (s21) a health agency's discharge or invasive treatment decision written in its outcome ("Discharged to
            # GP", "Proceed with gastrostomy"): not on a letter received, nor filing correspondence; one by these words
            # alone is asked only for the labels of outcome_decisions_asked (a treatment decision; not "Discharged.")
            health_row = (d.get("agency_kind") in (settings.get("health_decision_agency_kinds") or ())
                          and d.get("contact_type") not in (settings.get("health_decision_not_types") or ())
                          and not (bool(settings.get("decision_filing_words"))
                                   and _mentioned(text, settings["decision_filing_words"], ())))
            health_labels = {label for label, name in (("discharge", "discharge_decision_keywords"),
                                                       ("treatment_decision", "treatment_decision_keywords"))
                             if health_row and settings.get(name) and _mentioned(text, settings[name], negations)}
            # (nor a decision keyword in a sentence naming the victim's choice: "No further action by victim")
            others = tuple(settings.get("decision_not_in_sentence_with") or ())
            by_words = home or suitable or (bool(keywords) and not filing and _mentioned(text, keywords, negations)
                                            and decides(text, keywords, negations, others))
            # (s21) decision words on a record about another person of the family (a sibling's warrant) that do
            # not name the child's safeguarding are no decision about the child
            by_words = by_words and not other_subject_decision(
                text, *subject_names(case.get("people"), case.get("child_name")),
                tuple(settings.get("decision_other_subject_safeguarding_words") or ()), list(keywords) + list(home_words))
            if not d["_exact"] or not (_held(d, decision_types) or _closed_in_action(d, settings) or by_words
                                       or health_labels & set(q.get("outcome_decisions_asked") or ())):
                continue
            d_agency = _text(d.get("agency"))
            # a police decision on its first day with the child: not asked (first_record_not_asked_kinds)
            if (d.get("agency_kind") in first_not_asked and first_record.get(d_agency) == d["_day"]
                    and not _held(d, decision_types)):
                continue
            # (s21, QA11 D8) each tag over its own look-back (window_days_by_tag, else window_days), read apart
            for w_days, w_tags in windows:
                lo = d["_day"] - dt.timedelta(days=w_days)
                # the meetings the deciding agency held in its window: the other agencies holding one the same day
                met = {}
                for m in meetings:
                    if _text(m.get("agency")) == d_agency and lo <= m["_day"] <= d["_day"] and m["_pos"] <= d["_pos"]:
                        for y in meetings:
                            if y["_day"] == m["_day"] and _text(y.get("agency")) != d_agency:
                                met.setdefault((_text(y.get("agency")), _text(y.get("agency_kind"))), set()).add(m["_day"])
                # a decision soon after the agency's first record of the child: also the window before that record
                before_first = None
                if q.get("new_agency_days") is not None:
                    first = first_record.get(d_agency)
                    if first is not None and (d["_day"] - first).days <= int(q["new_agency_days"]):
                        before_first = (first - dt.timedelta(days=w_days), first)
                pairs = []
                for c in tl:
                    if c["_day"] is None or c["_pos"] > d["_pos"] or not (
                            lo <= c["_day"] <= d["_day"]
                            or (before_first is not None and before_first[0] <= c["_day"] < before_first[1])):
                        continue
                    tags = [t for t in counted_tags(c) if t in w_tags]  # sexual_activity only at its ages
                    if not tags:
                        continue
                    # a row reporting earlier missed contacts is knowledge of them, not a concern of its own
                    own = [t for t in tags if t != "was_not_brought" or missed_contact(c)]
                    c_agency = _text(c.get("agency"))

                    promise = c["_pos"] in pending

                    def delivered(agency, kind, deadline):
                        # a promise met: a later record (no promise itself, not of c's event group) of c's agency
                        # informing the agency or (social care) a referral escalation, or the agency's receipt of it
                        for x in tl:
                            if (x["_day"] is None or x["_pos"] in pending or x["_gcode"] == c["_gcode"]
                                    or not c["_day"] <= x["_day"] <= deadline or x["_pos"] > d["_pos"]):
                                continue
                            if _text(x.get("agency")) == c_agency and (
                                    any(informed_reaches(a.strip(), agency, kind, _package_vocab())
                                        for a in _text(x.get("informed_agencies")).split(";") if _text(x.get("informed_agencies")))
                                    or (kind in q["referral_reaches_kinds"] and esc_held(x, q["referral_escalations"]))):
                                return True
                            if (_text(x.get("agency")) == agency and sender_cues and any(_has_word(row_text(x), w) for w in SENDER_TEXT_WORDS)
                                    and names_sender(row_text(x), c_agency, _text(c.get("agency_kind")),
                                                     _text(x.get("agency_kind")), sender_cues)):
                                return True
                        return False

                    def reached_by(agency, kind, own=True, deadline=None, meeting=False):
                        deadline = d["_day"] if deadline is None else deadline
                        # (a meeting's participant holds, of a referrer's records, the one its referral was made on)
                        referral_until = c["_day"] if meeting else deadline
                        return ((c_agency == agency and (own or not promise))
                                or (not promise and (
                                    (c["_gcode"], agency) in group_agencies
                                    or any(informed_reaches(a.strip(), agency, kind, _package_vocab())
                                           for a in _text(c.get("informed_agencies")).split(";"))
                                    or (kind in q["referral_reaches_kinds"] and any(
                                        x["_day"] is not None and c["_day"] <= x["_day"] <= referral_until
                                        and _text(x.get("agency")) == c_agency and esc_held(x, q["referral_escalations"])
                                        for x in tl))))
                                or (promise and delivered(agency, kind, deadline))
                                # c's row records the information sent by the deciding agency ("notification from")
                                or names_sender(_text(c.get("description")) + " . " + _text(c.get("action")), agency,
                                                kind, _text(c.get("agency_kind")), tuple(q.get("sender_cues") or ()))
                                # (s20, openref) c records the deciding agency's own episode: a return home interview
                                # after its own missing report (own_episode_days up to c's day)
                                or (bool(q.get("own_episode_words")) and bool(q.get("own_episode_tags"))
                                    and q.get("own_episode_days") is not None
                                    and _mentioned(_text(c.get("description")) + " . " + _text(c.get("action")),
                                                   list(q["own_episode_words"]), ())
                                    and any(x["_exact"] and _text(x.get("agency")) == agency
                                            and tag_in(x, set(q["own_episode_tags"]))
                                            and c["_day"] - dt.timedelta(days=int(q["own_episode_days"]))
                                            <= x["_day"] <= c["_day"] for x in tl))
                                # the deciding agency recorded the same injury itself (an injury episode of its own)
                                or episode_rows.get((episode_of.get(c["_gcode"]), agency), len(tl)) <= d["_pos"]
                                # or recorded receiving it: a row naming c's agency as its sender, a concern in common
                                or (bool(event_tags) and bool(q.get("sender_cues")) and any(
                                    x["_day"] is not None
                                    and c["_day"] <= x["_day"] and x["_pos"] <= d["_pos"] and x is not c
                                    and {same.get(t, t) for t in x["_tags"] if t in q["concern_tags"]}
                                    & {same.get(t, t) for t in c["_tags"] if t in q["concern_tags"]}
                                    and names_sender(_text(x.get("description")) + " . " + _text(x.get("action")),
                                                     c_agency, _text(c.get("agency_kind")), _text(x.get("agency_kind")),
                                                     tuple(q.get("sender_cues") or ()))
                                    for x in from_rows.get(agency, ()))))

                    same = q.get("same_concern") or {}
                    # a decision several agencies recorded (one event group: a conference): what any of them held
                    reached = any(reached_by(agency, kind, agency == d_agency) for agency, kind in deciders[d["_gcode"]])
                    # a meeting the deciding agency held: what had reached another participant by its day
                    reached = reached or any(
                        reached_by(agency, kind, False, day, True)
                        for (agency, kind), days in met.items() for day in days if lo <= c["_day"] <= day)
                    pairs.append((c, tags, own, reached))
                same = q.get("same_concern") or {}
                known = {same.get(t, t) for c, tags, own, reached in pairs if reached for t in tags}
                for c, tags, own, reached in pairs:
                    # an event (event_tags) is known when its own record reached the agency; a condition when any did
                    # (a promise, and a record of words to suspect neglect for its suspect tags, are events too)
                    if c["_exact"] and _text(c.get("agency")) != d_agency and any(
                            (not reached) if (t in event_tags or c["_pos"] in pending
                                              or (t in suspect_tags and c["_pos"] in suspect))
                            else same.get(t, t) not in known for t in own):
                        first_decision.setdefault((c["_gcode"], _text(c.get("agency")), d_agency), (c["_pos"], d))
        # one flag per decision: its trigger the earliest concern that had not reached it
        per_decision = {}
        for (_, _, d_agency), (pos, d) in first_decision.items():
            per_decision[d["_pos"]] = min(per_decision.get(d["_pos"], (pos, d_agency, d)), (pos, d_agency, d),
                                          key=lambda x: x[0])
        for pos, d_agency, d in sorted(per_decision.values(), key=lambda x: x[0]):
            flags.append(_flag("information_not_shared", tl[pos], d["_day"], None, d_agency))

    # closure_with_open_concerns ---------------------------------------------------------------------
    if "closure_with_open_concerns" in p:
        q = p["closure_with_open_concerns"]

        def by_service(x):
            # a health service holding the child's case (school nursing, health visiting, CAMHS): the package's
            # `service_agencies`
            return (bool(q.get("service_closure_agencies")) and x.get("agency_kind") in (q.get("service_closure_agency_kinds") or ())
                    and agency_named(x.get("agency"), q["service_closure_agencies"]))

        def is_closure(x):
            # the row's type, or its action recording the case closed (a home visit's "Case closed - NFA."), or a
            # health service's action closing its case ("Case closed": the package's `service_closures`)
            return x["_exact"] and (
                _held(x, q["closure_contact_types"])
                or (q.get("closure_in_action", True) and _closed_in_action(x, settings))
                or (by_service(x) and bool(q.get("service_closure_keywords")) and _mentioned(
                    _text(x.get("action")), q["service_closure_keywords"], tuple(q.get("service_closure_negations") or ()))))

        def assesses(x):
            return esc_held(x, q["assessed_by"]) or _held(x, q["assessed_by"])

        def meeting(x):  # a multi-agency meeting held on a closing row (`assessed_at_closure`)
            kinds = q.get("assessed_at_closure") or ()
            return esc_held(x, kinds) or _held(x, kinds)

        closing = [is_closure(x) for x in tl]
        # the events recording a referral (a row of closing_referral_types, or social care's receipt of one)
        referral_events = {x["_gcode"] for x in tl
                           if x.get("contact_type") in (q.get("closing_referral_types") or ()) or any_receipt(x)}
        for r in tl:
            if not closing[r["_pos"]]:
                continue
            lo = r["_day"] - dt.timedelta(days=q["window_days"])
            # a health service's closure weighs its own records over service_own_window_days (s20)
            own_days = q.get("service_own_window_days")
            own_lo = (r["_day"] - dt.timedelta(days=int(own_days))
                      if own_days is not None and int(own_days) > int(q["window_days"]) and by_service(r) else lo)
            for c in tl:
                own = c["_gcode"] == r["_gcode"]
                start = own_lo if c.get("agency") == r.get("agency") else lo
                # (s21) a partial-date concern only when its whole period lies in the window (docs "Partial dates" 3)
                if (c["_day"] is None or not counted_tags(c) or not (start <= c["_day"] and _latest_day(c) <= r["_day"])
                        or (own and r["_gcode"] not in referral_events) or (not own and c["_pos"] >= r["_pos"])):
                    continue
                # a closing row assesses only its own concerns, unless it records a multi-agency meeting held
                assessed = assesses(c) or any(
                    x["_day"] is not None and c["_day"] <= x["_day"] <= r["_day"] and assesses(x)
                    and (own or not closing[x["_pos"]] or meeting(x)) for x in tl)
                if not assessed:
                    # (s21) not on a record a rule of quiet_on_triggers_of flags (was_not_brought's discharge)
                    # (a flag the child's death censors, as the package's, owns nothing)
                    owners = set(q.get("quiet_on_triggers_of") or ())
                    if not any(f["rule_id"] in owners and f["trigger_event_id"] == r["event_id"] and not (
                            death is not None and (f["trigger_date"] > death or (
                                f["expected_by"] is not None and f["expected_by"] > death))) for f in flags):
                        flags.append(_flag("closure_with_open_concerns", r, r["_day"]))
                    break

    # repeat_referrals_closed ------------------------------------------------------------------------
    if "repeat_referrals_closed" in p:
        q = p["repeat_referrals_closed"]

        def social(x):
            return x.get("agency_kind") in q["agency_kinds"] and x["_exact"]

        def row_text(x):
            return _text(x.get("description")) + " . " + _text(x.get("action"))

        def is_referral(x):
            # a referral row that took place, social care's receipt of one (the family's too), or its words
            return social(x) and (_held(x, q["referral_contact_types"]) or any_receipt(x) or (
                bool(q.get("referral_keywords")) and _mentioned(row_text(x), q["referral_keywords"], ())))

        def is_closure(x):
            # the package's `social_care_closures`
            return social(x) and (_held(x, q["closure_contact_types"]) or (
                bool(q.get("closure_keywords")) and _mentioned(row_text(x), q["closure_keywords"],
                                                               tuple(q.get("closure_negations") or ()),
                                                               tuple(q.get("closure_other_agency_words") or ()))))

        def is_escalated(x):
            return esc_held(x, q["protective"]) or _held(x, q["protective"])

        def is_protective(x):
            # a strategy discussion, s47 enquiry or conference, or the child seen alone (the cell or the words)
            return is_escalated(x) or x.get("child_seen_alone") is True or (
                bool(q.get("seen_alone_keywords")) and _mentioned(row_text(x), q["seen_alone_keywords"], (),
                                                                  tuple(q.get("seen_alone_not_with") or ())))

        referrals = _first_per_group([r for r in tl if is_referral(r)])
        kept = []
        for i, r in enumerate(referrals):
            nxt = referrals[i + 1]["_pos"] if i + 1 < len(referrals) else None
            closure = _first(tl, r["_day"], is_closure)
            if (closure is None or closure["_pos"] < r["_pos"] or (nxt is not None and closure["_pos"] >= nxt)
                    or closure["_day"] > r["_day"] + dt.timedelta(days=int(q["closure_within_days"]))):
                continue
            guard = _first(tl, r["_day"], is_protective)
            if guard is not None and guard["_day"] <= closure["_day"]:
                continue
            kept.append((r, closure))
        previous = None  # the previous flagged referral and its first response (however late)
        for r, closure in kept:
            lo = r["_day"] - dt.timedelta(days=int(q["window_days"]))
            n = sum(1 for k, _ in kept if lo <= k["_day"] <= r["_day"] and k["_pos"] <= r["_pos"])
            if n < int(q["min_referrals"]):
                continue
            action = _first(tl, r["_day"], is_escalated)
            # (s20) one flag per unanswered pattern: a referral continuing the previous flagged one's (in its
            # window, no response before its day) is one more of that flag's (review.rules.repeated_injury_or_ae._chains)
            continues = previous is not None and lo <= previous[0]["_day"] and (
                previous[1] is None or previous[1]["_day"] > r["_day"])
            previous = (r, action)
            if continues:
                continue
            flags.append(_flag("repeat_referrals_closed", r, closure["_day"], _capped(action, r["_day"], None, death),
                               cut=death))

    # withdrawn_with_concerns (s19) ------------------------------------------------------------------
    if "withdrawn_with_concerns" in p:
        q = p["withdrawn_with_concerns"]
        ignored = set(q.get("ignore_tags") or ())

        def setting_key(x):  # the setting, a local authority under another name the same (`same_agency_codes`)
            if x.get("agency_kind") in (settings.get("authority_agency_kinds") or ()):
                return ("la", local_authority(x.get("agency"), settings.get("authority_words") or ()))
            return ("agency", x.get("agency"))

        def leaves(x):  # a setting's row recording the child leaving it (its words, not negated)
            text = _text(x.get("description")) + " . " + _text(x.get("action"))
            if not (x.get("agency_kind") in q["setting_agency_kinds"] and x["_exact"] and _mentioned(
                    text, q["leaving_keywords"], tuple(q.get("leaving_negations") or ()))):
                return False
            # (s20) a move to a known destination (another school, a PRU) is no child missing education
            return not (bool(q.get("known_destination_keywords")) and _mentioned(text, q["known_destination_keywords"], ())
                        and not (bool(q.get("unknown_destination_keywords"))
                                 and _mentioned(text, q["unknown_destination_keywords"], ())))

        leavings = _first_per_group([r for r in tl if leaves(r)])
        n_days = int(q["within_working_days"])
        kept, previous = [], None
        # the same leaving recorded twice by the setting within the notification time of the first is one
        for r in sorted(leavings, key=lambda x: (setting_key(x), x["_day"], x["_pos"])):
            deadline = _add_working_days(r["_day"], n_days)
            again = previous is not None and setting_key(previous[0]) == setting_key(r) and r["_day"] <= previous[1]
            previous = (r, deadline)
            if not again:
                kept.append((r, deadline))
        for r, deadline in sorted(kept, key=lambda f: f[0]["_pos"]):
            lo = r["_day"] - dt.timedelta(days=int(q["concern_window_days"]))
            held = {c["_gcode"] for c in tl if c["_day"] is not None and lo <= c["_day"] <= r["_day"]
                    and not (c["_exact"] and c["_pos"] > r["_pos"])
                    and c.get("agency_kind") in q["setting_agency_kinds"] and setting_key(c) == setting_key(r)
                    and [t for t in counted_tags(c) if t not in ignored]}
            if len(held) < int(q["min_concerns"]):
                continue
            action = first_answer(r["_day"], q)
            if action is None or action["_day"] > deadline:
                action = _capped(action, r["_day"], q.get("response_max_days"), death)
                # (s20) a late notification is the setting's own or social care's receipt of one: another
                # agency's record informing social care is none
                if action is not None and setting_key(action) != setting_key(r) and not receipt(action):
                    action = None
                flags.append(_flag("withdrawn_with_concerns", r, deadline, action,
                                   cut=_cut(death, r["_day"], q.get("response_max_days"))))

    # assessment_wait --------------------------------------------------------------------------------
    if "assessment_wait" in p:
        q = p["assessment_wait"]
        words = q["request_keywords"]
        existing = tuple(q.get("request_existing_words") or ())

        def social_care(x):  # children's social care's assessment: 45 working days to completion (WT 2023)
            return x.get("agency_kind") in q["social_care_agency_kinds"] or esc_held(x, q["social_care_escalations"])

        def started_only(x):  # "Single assessment started": not completed
            text = _text(x.get("description")) + " . " + _text(x.get("action"))
            return _mentioned(text, q["started_words"], ()) and not _mentioned(
                text, q["completed_words"], (), tuple(q["completed_not_in_sentence_with"]))

        def completion_recorded(x):  # any row's text recording the assessment completed (`completion_recorded`)
            text = _text(x.get("description")) + " . " + _text(x.get("action"))
            return bool(q.get("completion_phrases")) and _mentioned(
                text, q["completion_phrases"], (), tuple(q.get("completion_not_in_sentence_with") or ()),
                whole_words=True)

        trig = []
        for r in tl:
            text = _text(r.get("description")) + " . " + _text(r.get("action"))
            if (r.get("contact_type") in q["request_contact_types"] and r["_exact"]
                    and _mentioned(text, words, tuple(q["request_negations"]), existing)):
                if social_care(r):
                    deadline = _add_working_days(r["_day"], q["max_working_days"])
                else:
                    deadline = r["_day"] + dt.timedelta(days=q["max_days"])
                if review_end is not None and deadline < review_end:
                    trig.append((r, deadline))
        trigger_ids = {id(r) for r, _ in trig}
        deadline_of = {id(r): deadline for r, deadline in trig}
        for r in _first_per_group([r for r, _ in trig]):  # one flag per requested event
            deadline = deadline_of[id(r)]
            completion = social_care(r)
            # a request is no assessment, unless its own text records one under way ("Single assessment
            # started": the package's `records_under_way`, as assessment_wait's `types_recorded` under way);
            # for social care's, only a record of it completed
            action = _first(tl, r["_day"], lambda x: ((id(x) not in trigger_ids and (
                _held(x, q["done_contact_types"]) or esc_held(x, q["done_contact_types"]))) or (
                id(x) in trigger_ids and any(records_under_way(
                    t, _text(x.get("description")) + " . " + _text(x.get("action")), _package_vocab())
                    for t in q["done_contact_types"]))) and not (completion and started_only(x))
                or completion_recorded(x))
            if action is None or action["_day"] > deadline:
                flags.append(_flag("assessment_wait", r, deadline, _capped(action, r["_day"], None, death), cut=death))

    # domestic_abuse_not_escalated -------------------------------------------------------------------
    if "domestic_abuse_not_escalated" in p:
        q = p["domestic_abuse_not_escalated"]

        def abused(r):
            # domestic abuse, or abuse in the young person's own relationship from 16 (an unknown age is not 16)
            return tag_in(r, q["abuse_tags"]) or (
                bool(q.get("relationship_abuse_tags")) and tag_in(r, q["relationship_abuse_tags"])
                and r["age_days"] is not None and r["age_days"] >= float(q["relationship_abuse_min_age_years"]) * 365.25)

        # incidents: one per event group of an abuse-tagged call-out by the agency kinds, exact dates
        incidents = _first_per_group([
            r for r in tl if r["_exact"] and abused(r)
            and r.get("contact_type") in q["repeat_contact_types"]
            and (not q.get("repeat_agency_kinds") or r.get("agency_kind") in q["repeat_agency_kinds"])])
        window = dt.timedelta(days=q["repeat_window_days"])
        repeat = {id(x) for x in incidents
                  if sum(1 for y in incidents if x["_day"] - window <= y["_day"] <= x["_day"]) >= q["repeat_min_incidents"]}
        trig = []
        for r in tl:
            if not (r["_exact"] and abused(r)):
                continue
            text = _text(r.get("description")) + " . " + _text(r.get("action"))
            score = dash_score(text)
            if (high_risk(text, q) or (score is not None and score >= q["dash_score_min"]) or id(r) in repeat) \
                    and not (q.get("residence_verbs") and lives_elsewhere(text, q)):  # the child lives elsewhere
                trig.append(r)

        for r in _first_per_group(trig):
            deadline = _add_working_days(r["_day"], int(q["within_working_days"]))
            action = first_answer(r["_day"], q)
            if action is None or action["_day"] > deadline:
                action = _capped(action, r["_day"], q.get("response_max_days"), death)
                flags.append(_flag("domestic_abuse_not_escalated", r, deadline, action,
                                   cut=_cut(death, r["_day"], q.get("response_max_days"))))

        # variant notification: a police domestic abuse incident at any DASH level (no trigger above in its event
        # group, the child not living elsewhere) with no notification to children's social care: the responses
        # above, or a row whose informed agencies name an agency of notification_informed_kinds
        if q.get("notification_agency_kinds") and q.get("notification_contact_types"):
            trigger_groups = {r["_gcode"] for r in trig}
            informed_of = list(q.get("notification_informed_kinds") or [])

            def informed_answer(r):
                # a row whose informed agencies name an agency of notification_informed_kinds, the incident's own
                # agency's or about domestic abuse (review.rules.domestic_abuse_not_escalated._not_notified); it
                # is the response only when strictly before the others
                return _first(tl, r["_day"], lambda x: bool(informed_of) and informed_reach_kinds(
                    _text(x.get("informed_agencies")), informed_of, _package_vocab())
                    and (_text(x.get("agency")) == _text(r.get("agency")) or abused(x)))
            incidents_n = [
                r for r in tl if r["_exact"] and abused(r) and r.get("agency_kind") in q["notification_agency_kinds"]
                and r.get("contact_type") in q["notification_contact_types"] and r["_gcode"] not in trigger_groups
                and not (q.get("residence_verbs") and lives_elsewhere(
                    _text(r.get("description")) + " . " + _text(r.get("action")), q))]
            for r in _first_per_group(incidents_n):
                deadline = _add_working_days(r["_day"], int(q["within_working_days"]))
                action = first_answer(r["_day"], q)
                told = informed_answer(r)
                if told is not None and (action is None or told["_day"] < action["_day"]):
                    action = told
                if action is None or action["_day"] > deadline:
                    action = _capped(action, r["_day"], q.get("response_max_days"), death)
                    flags.append(_flag("domestic_abuse_not_escalated", r, deadline, action, "notification",
                                       cut=_cut(death, r["_day"], q.get("response_max_days"))))

        # variant nfa_decision: social care's NFA / early help on a high-risk notification, child under nfa_max_age_months
        nfa_kinds = q.get("nfa_agency_kinds") or []
        if q.get("nfa_keywords") and nfa_kinds:
            overturned = q.get("nfa_overturned_by") or []
            months = float(q["nfa_max_age_months"]) * 30.4375
            nfa = []
            for r in trig:
                text = _text(r.get("description")) + " . " + _text(r.get("action"))
                score = dash_score(text)
                if (r.get("agency_kind") in nfa_kinds and r["age_days"] is not None and 0 <= r["age_days"] < months
                        and (high_risk(text, q) or (score is not None and score >= q["dash_score_min"]))
                        and _mentioned(text, q["nfa_keywords"], tuple(q.get("nfa_negations") or ()))):
                    nfa.append(r)
            for r in _first_per_group(nfa):
                deadline = _add_working_days(r["_day"], int(q["within_working_days"]))
                action = _first(tl, r["_day"], lambda x: x.get("agency_kind") in nfa_kinds and (
                    _held(x, overturned) or esc_held(x, overturned)))
                if action is None or action["_day"] > deadline:
                    action = _capped(action, r["_day"], q.get("response_max_days"), death)
                    flags.append(_flag("domestic_abuse_not_escalated", r, deadline, action, "nfa_decision",
                                       cut=_cut(death, r["_day"], q.get("response_max_days"))))

    # exploitation_not_referred ----------------------------------------------------------------------
    if "exploitation_not_referred" in p:
        q = p["exploitation_not_referred"]

        def not_risk(x):
            return bool(q.get("not_risk_keywords")) and _mentioned(
                _text(x.get("description")) + " . " + _text(x.get("action")), q["not_risk_keywords"], ())

        exploited = [r for r in tl if r["_exact"] and tag_in(r, q["exploitation_tags"]) and not not_risk(r)]
        # (s20) a risk of exploitation on record by any agency: a missing episode within the days after it is high
        on_record = [r["_day"] for r in exploited]
        known_days = q.get("missing_high_exploitation_known_days")
        # abuse in the child's own relationship under 16 (or of unknown age): variant relationship_abuse
        below = q.get("relationship_abuse_below_age_years")
        own = [r for r in tl if r["_exact"] and bool(q.get("relationship_abuse_tags"))
               and tag_in(r, q["relationship_abuse_tags"])
               and not (r["age_days"] is not None and r["age_days"] >= float(below) * 365.25)]
        # a child's sexual activity by age at the contact: under 13 always, from 13 under 16 with a partner at
        # least older_partner_min_gap_years older (variant underage_sexual_activity)
        sexual, partner_of = [], {}
        # the ages: the rule's own in a case's rules.yml, else (null) settings.age_bound_min_years / below_years
        sexual_min = settings["age_bound_min_years"] if q.get("sexual_activity_min_age_years") is None \
            else q["sexual_activity_min_age_years"]
        sexual_below = settings["age_bound_below_years"] if q.get("sexual_activity_below_age_years") is None \
            else q["sexual_activity_below_age_years"]
        for r in tl:
            years = None if r["age_days"] is None else (r["age_days"] // 365.25)
            if not (r["_exact"] and bool(q.get("sexual_activity_tags")) and tag_in(r, q["sexual_activity_tags"])
                    and years is not None and sexual_min <= years < sexual_below):
                continue
            partner = stated_partner_age(_text(r.get("description")) + " . " + _text(r.get("action")))
            if partner is not None:
                partner_of[id(r)] = partner
            if years < q["sexual_activity_always_below_age_years"] or (
                    partner is not None and partner - years >= q["older_partner_min_gap_years"]):
                sexual.append(r)
        # social care's own record is no concern needing a referral to itself
        not_kinds = set(q.get("trigger_not_agency_kinds") or ())
        # (s20, QA10) nor any agency's record of receiving another agency's referral
        not_receipt = (lambda x: not agency_receipt(x)) if q.get("trigger_not_receipts", True) else (lambda x: True)
        exploited = [r for r in exploited if r.get("agency_kind") not in not_kinds and not_receipt(r)]
        own = [r for r in own if r.get("agency_kind") not in not_kinds and not_receipt(r)]
        sexual = [r for r in sexual if r.get("agency_kind") not in not_kinds and not_receipt(r)]
        sexual_groups = {r["_gcode"] for r in sexual} - {r["_gcode"] for r in exploited}
        own_groups = {r["_gcode"] for r in own} - {r["_gcode"] for r in exploited} - sexual_groups
        exploited = exploited + own + sexual
        missing = [r for r in tl if r["_exact"] and tag_in(r, q["missing_tags"])
                   and r.get("agency_kind") not in not_kinds and not_receipt(r)]
        # count episodes, not records (the package's missing_episodes): learning of past episodes is none; a row
        # naming the episode's day is that episode, no new one when an earlier row is dated from that day to
        # episode_link_days after it or names the same day; the return-home-interview service's is no trigger
        cues = q.get("not_new_episode_keywords") or ()

        def learned(x):
            text = _text(x.get("description")) + " . " + _text(x.get("action"))
            return bool(cues) and _mentioned(text, cues, ()) and not _mentioned(text, q.get("episode_words") or (), (), tuple(cues))

        missing = [r for r in missing if not learned(r)]
        for r in missing:
            named = (episode_named_day(_text(r.get("description")), _text(r.get("action")), _text(r.get("extra")), r["_day"],
                                       q["episode_named_max_days"], q.get("episode_words") or (),
                                       q.get("episode_date_columns") or ()) if q.get("episode_named_max_days") else None)
            r["_named"], r["_episode"] = named, named or r["_day"]
        firsts = sorted(_first_per_group(missing), key=lambda x: x["_day"])  # stable: chronology order within a day
        link = dt.timedelta(days=int(q.get("episode_link_days") or 0))
        linked = {id(r) for i, r in enumerate(firsts) if r["_named"] is not None and any(
            r["_episode"] <= x["_day"] <= r["_episode"] + link or x["_episode"] == r["_episode"] for x in firsts[:i])}
        missing = [r for r in missing if not any(id(x) in linked for x in firsts if x["_gcode"] == r["_gcode"])]
        episodes = _first_per_group(missing)
        window = dt.timedelta(days=q["repeat_window_days"])
        repeat_groups = {x["_gcode"] for x in episodes
                         if sum(1 for y in episodes if x["_episode"] - window <= y["_episode"] <= x["_episode"]) >= q["repeat_missing_min"]}
        service = set(q.get("episode_response_keywords") or ())
        # (s18) the service also by its agency's name ("Compass Return Home Service", "RHI team")
        service_names = list(q.get("episode_response_agency_names") or ())
        missing = [r for r in missing if not (service and _mentioned(_text(r.get("description")), list(service), ()))
                   and not (service_names and agency_named(r.get("agency"), service_names))]
        q_repeat = _repeat_params(q)
        exploited_groups = {r["_gcode"] for r in exploited}
        trigger_ids = {id(r) for r in exploited + missing}

        for r in _first_per_group([r for r in tl if id(r) in trigger_ids]):
            variant = ("underage_sexual_activity" if r["_gcode"] in sexual_groups
                       else "relationship_abuse" if r["_gcode"] in own_groups
                       else "exploitation" if r["_gcode"] in exploited_groups else "missing")
            # a repeated missing episode: a strategy discussion expected (repeat_expected_escalations), a referral no answer
            sd = variant == "missing" and r["_gcode"] in repeat_groups and q_repeat is not None
            answer_q = q_repeat if sd else q
            if not sd and q.get("looked_after_share") and _looked_after_authority(r, case) is not None:
                answer_q = _lac_share_params(q, settings)  # (s21) a looked-after child: shared with its social worker
            deadline = _add_working_days(r["_day"], int(answer_q["within_working_days"]))
            action = first_answer(r["_day"], dict(answer_q, _trigger_kind=r.get("agency_kind") or ""))
            if action is None or action["_day"] > deadline:
                action = _capped(action, r["_day"], q.get("response_max_days"), death)
                flag = _flag("exploitation_not_referred", r, deadline, action, variant,
                             cut=_cut(death, r["_day"], q.get("response_max_days")))
                known = known_days is not None and any(
                    r["_day"] - dt.timedelta(days=int(known_days)) <= d <= r["_day"] for d in on_record)
                flag["severity"] = ("high" if variant in ("exploitation", "underage_sexual_activity") or r["_gcode"] in repeat_groups
                                    or (variant == "missing" and known) else "medium")
                flags.append(flag)

    # return_interview_or_nrm_late (s20) -----------------------------------------------------------------
    if "return_interview_or_nrm_late" in p:
        q = p["return_interview_or_nrm_late"]

        def says(x, keywords, negations=(), others=()):
            return bool(keywords) and _mentioned(_text(x.get("description")) + " . " + _text(x.get("action")),
                                                 list(keywords), tuple(negations), tuple(others))

        if q.get("return_interview_enabled", True):
            # a missing child's return, no return home interview within 72 hours (DfE 2014)
            not_kinds = set(q.get("trigger_not_agency_kinds") or ())
            names = list(q.get("interview_agency_names") or ())

            def interviewed(x):
                return says(x, q["interview_keywords"], q.get("interview_negations") or (),
                            q.get("interview_not_in_sentence_with") or ()) or bool(names) and agency_named(x.get("agency"), names)

            trig = sorted(_first_per_group([r for r in tl if r["_exact"] and tag_in(r, q["missing_tags"])
                                            and r.get("agency_kind") not in not_kinds
                                            and says(r, q["return_keywords"], q.get("return_negations") or ())]),
                          key=lambda x: x["_day"])
            for i, r in enumerate(trig):
                deadline = r["_day"] + dt.timedelta(days=int(q["within_days"]))
                action = _first(tl, r["_day"], interviewed)
                if action is not None and action["_day"] <= deadline:
                    continue
                # an interview after the child's next return is that return's
                if action is not None and i + 1 < len(trig) and action["_day"] > trig[i + 1]["_day"]:
                    action = None
                flags.append(_flag("return_interview_or_nrm_late", r, deadline,
                                   _capped(action, r["_day"], q.get("response_max_days"), death), "return_interview",
                                   cut=_cut(death, r["_day"], q.get("response_max_days"))))
        if q.get("nrm_enabled", True):
            # a first responder's record of exploitation, no NRM referral (Modern Slavery Act 2015 s.52)
            def referred(x):
                return says(x, q["nrm_referral_keywords"], q.get("nrm_negations") or (), q.get("nrm_not_in_sentence_with") or ())

            first_ref = min((x["_day"] for x in tl if x["_exact"] and referred(x)), default=None)
            # (s20, QA10) one per case: the first first responder's record, not a receipt of another's notification
            # (s21) the first strong one: not a record naming weak signs only ("seen with older males")
            weak_words = [str(w) for w in q.get("nrm_weak_keywords") or ()]
            weak_set = {normalise_text(w) for w in weak_words}
            vocab_concerns = _package_vocab().get("concerns") or {}
            other_words = sorted({str(w) for tag in q["exploitation_tags"] for w in vocab_concerns.get(tag) or ()
                                  if normalise_text(str(w)) not in weak_set})

            def weak_only(x):
                return bool(weak_words) and says(x, weak_words) and not says(x, other_words)

            trig = [r for r in tl if r["_exact"] and tag_in(r, q["exploitation_tags"])
                    and r.get("agency_kind") in q["nrm_first_responder_kinds"]
                    and not (q.get("nrm_trigger_not_receipts", True) and agency_receipt(r))
                    and not says(r, q.get("not_risk_keywords") or ()) and not weak_only(r)][:1]
            for r in trig:
                if first_ref is not None and r["_day"] > first_ref:
                    continue
                deadline = r["_day"] + dt.timedelta(days=int(q["nrm_within_days"]))
                action = _first(tl, r["_day"], referred)
                if action is not None and action["_day"] <= deadline:
                    continue
                flags.append(_flag("return_interview_or_nrm_late", r, deadline,
                                   _capped(action, r["_day"], q.get("nrm_response_max_days"), death), "nrm",
                                   cut=_cut(death, r["_day"], q.get("nrm_response_max_days"))))

    # self_harm_not_referred -------------------------------------------------------------------------
    if "self_harm_not_referred" in p:
        q = p["self_harm_not_referred"]
        limit, least = q.get("max_age_years"), q.get("min_age_years")
        sex = {"female": "female", "male": "male"}.get(str(case.get("child_sex") or "").strip().lower())
        # the case's adults (case.yml people: "Sian Wren: Mother") and the child's name, as ingest read them
        adults, child = case_reporters(case.get("people"), case.get("child_name"))

        def told(r):
            # "Mum says she self-harmed last night" in a child of 8 to 17 (known) whose sex agrees or is not known
            return (bool(q.get("parent_report_tags")) and limit is not None and least is not None
                    and tag_in(r, q["parent_report_tags"]) and r["age_days"] is not None
                    and float(least) * 365.25 <= r["age_days"] < float(limit) * 365.25
                    and reported_child_self_harm(_text(r.get("description")) + " . " + _text(r.get("action")),
                                                 tuple(q.get("parent_own_words") or ()), sex, adults, child))

        episodes = _first_per_group([r for r in tl if r["_exact"] and (tag_in(r, q["self_harm_tags"]) and not (
            limit is not None and r["age_days"] is not None and r["age_days"] >= float(limit) * 365.25) and not (
            least is not None and r["age_days"] is not None and r["age_days"] < float(least) * 365.25) or told(r))])
        window = dt.timedelta(days=q["repeat_window_days"])

        def received(x):
            # (s18) a record of receiving another agency's referral of the self-harm (social care's receipt, or
            # CAMHS's: "GP referral: 14F, superficial cutting ..."): that agency's episode again, not counted
            return bool(q.get("receipts_not_repeat_episodes")) and (receipt(x) or (
                bool(settings.get("receipt_keywords")) and bool(q.get("mental_health_agencies"))
                and agency_named(x.get("agency"), q["mental_health_agencies"])
                and _mentioned(_text(x.get("description")) + " . " + _text(x.get("action")), settings["receipt_keywords"],
                               tuple(settings.get("receipt_negations") or ()))))

        counted = [x for x in episodes if not received(x)]
        # (s20) one self-harm episode's records: each counted record joins the latest earlier counted one of the
        # case within episode_link_days whose method agrees (both name one in common, or either none);
        # review.rules.self_harm_not_referred.self_harm_episodes
        methods = {id(x): frozenset(
            k for k, words in (q.get("episode_methods") or {}).items()
            if words and _mentioned(_text(x.get("description")) + " . " + _text(x.get("action")), list(words), ()))
            for x in counted}
        fresh = {id(x) for x in counted if q.get("episode_new_words") and _mentioned(
            _text(x.get("description")) + " . " + _text(x.get("action")), list(q["episode_new_words"]), ())}
        start = {id(x): x for x in episodes}  # each record's episode's first record
        link = q.get("episode_link_days")
        for i, x in enumerate(counted):
            if link is None or int(link) < 0:
                break
            if id(x) in fresh:  # a new act ("cut her arms again last night"): an episode of its own
                continue
            for y in reversed(counted[:i]):
                if y["_day"] < x["_day"] - dt.timedelta(days=int(link)):
                    break
                if y["_day"] <= x["_day"] and (methods[id(x)] & methods[id(y)] or not methods[id(x)]
                                               or not methods[id(y)]):
                    start[id(x)] = start[id(y)]
                    break
        opening = [x for x in counted if start[id(x)] is x]
        repeated = {id(x) for x in opening
                    if sum(1 for y in opening if x["_day"] - window <= y["_day"] <= x["_day"]) >= q["repeat_min_episodes"]}
        mental = dict(q, escalations=[], response_contact_types=[], response_keywords=q["mental_health_keywords"],
                      response_agency_names=q.get("mental_health_agencies") or [],
                      response_agency_declines=q.get("mental_health_agency_declines") or [],
                      response_agency_assessed=q.get("mental_health_agency_assessed") or [],
                      response_agency_not_assessed=q.get("mental_health_agency_not_assessed") or [],
                      keyword_referrals_dated=bool(q.get("mental_health_referrals_dated")))
        social = dict(q, response_keywords=q["social_care_keywords"])

        def involved(r):
            # (s20, QA9 D11) CAMHS already involved: its latest record starting on or before the trigger's day
            # (any precision), at most open_involvement_days before it, neither declining nor closing (on one day
            # a closure wins)
            if q.get("open_involvement_days") is None or not q.get("mental_health_agencies"):
                return False
            mine = [(_row_period(x)[0], ended(x)) for x in tl if x["_day"] is not None
                    and agency_named(x.get("agency"), q["mental_health_agencies"]) and _row_period(x)[0] <= r["_day"]
                    and (ended(x) or not q.get("open_involvement_words") or _mentioned(
                        _text(x.get("description")) + " . " + _text(x.get("action")), q["open_involvement_words"], ()))]
            if not mine:
                return False
            day, closed = max(mine)
            return not closed and day >= r["_day"] - dt.timedelta(days=int(q["open_involvement_days"]))

        def ended(x):
            text = _text(x.get("description")) + " . " + _text(x.get("action"))
            return bool(q.get("mental_health_agency_declines")) and agency_declined_text(
                text, q["mental_health_agency_declines"], q.get("mental_health_agency_assessed") or (),
                q.get("mental_health_agency_not_assessed") or ()) or bool(
                q.get("open_involvement_closed_words")) and _mentioned(text, q["open_involvement_closed_words"], ())

        for r in episodes:
            presentation = r.get("contact_type") in (q.get("presentation_contact_types") or [])
            days = q["presentation_within_days"] if presentation else q["within_days"]
            deadline = r["_day"] + dt.timedelta(days=int(days))
            began = start[id(r)]["_day"]  # a response from the episode's first record on answers
            action = first_answer(began, mental)
            if (action is None or action["_day"] > deadline) and not involved(r):
                action = _capped(action, r["_day"], q.get("response_max_days"), death)
                flag = _flag("self_harm_not_referred", r, deadline, action, "mental_health",
                             cut=_cut(death, r["_day"], q.get("response_max_days")))
                flag["severity"] = "high" if presentation or id(start[id(r)]) in repeated else "medium"
                flags.append(flag)
            # (s20) social care's own record is no trigger for a referral to itself
            if id(r) in repeated and r.get("agency_kind") not in (q.get("repeated_not_agency_kinds") or []):
                deadline = r["_day"] + dt.timedelta(days=int(q["repeat_within_days"]))
                # (s20, lacnoise) a looked-after child: the record shared with its social worker answers too
                lac = bool(q.get("looked_after_share")) and _looked_after_authority(r, case) is not None
                action = first_answer(began, _lac_share_params(
                    dict(q, response_informed_kinds=None, response_shared_in_text_kinds=None), settings,
                    q["social_care_keywords"]) if lac else social)
                if action is None or action["_day"] > deadline:
                    action = _capped(action, r["_day"], q.get("response_max_days"), death)
                    flag = _flag("self_harm_not_referred", r, deadline, action, "repeated",
                                 cut=_cut(death, r["_day"], q.get("response_max_days")))
                    flag["severity"] = "high"
                    flags.append(flag)

    # transfer_in_conference_late --------------------------------------------------------------------
    if "transfer_in_conference_late" in p:
        q = p["transfer_in_conference_late"]

        def is_conference(x):
            return esc_held(x, ["cp_conference"]) or _held(x, ["cp_conference"])

        def notified(x):
            # the receiving social care's record of a transfer-in notification (not the sending one's "sent
            # to"), of a child on a plan: one open on its day, or its text says so
            if not (x.get("agency_kind") in q["agency_kinds"] and x["_exact"] and not is_conference(x)
                    and x.get("contact_type") != "cp_conference"):
                return False
            text = _text(x.get("description")) + " . " + _text(x.get("action"))
            return _mentioned(text, q["transfer_keywords"], tuple(q["transfer_negations"]),
                              tuple(q["sending_words"]) + tuple(q.get("refusal_words") or ())) \
                and (bool(x.get("on_cp_plan")) or _mentioned(text, q["plan_keywords"], ()))

        def authority(x):
            # the receiving local authority: an agency of agency_kinds by the authority its name names ("Westshire
            # Children's Services", "Westshire CSC"), any other by its name (the package's `local_authority`)
            if x.get("agency_kind") in q["agency_kinds"]:
                # (null: settings.authority_words, as the package's `param_or_setting`)
                words = settings.get("authority_words") if q.get("authority_words") is None else q["authority_words"]
                return ("la", local_authority(x.get("agency"), words or ()))
            return ("agency", x.get("agency"))

        # (s21) the sending authority: the first day each authority recorded that it sent the notification (a
        # transfer word in a sentence with a sending word); its records of the transfer from then on are none received
        sent_from = {}
        for x in tl:
            if (x.get("agency_kind") in q["agency_kinds"] and x["_exact"] and not is_conference(x)
                    and x.get("contact_type") != "cp_conference"
                    and _sends(_text(x.get("description")) + " . " + _text(x.get("action")),
                               tuple(q["transfer_keywords"]), tuple(q["sending_words"]))):
                a = authority(x)
                sent_from[a] = min(sent_from.get(a, x["_day"]), x["_day"])

        def received(x):
            return notified(x) and not (authority(x) in sent_from and x["_day"] >= sent_from[authority(x)])

        last_response = {}  # authority -> the first conference after its previous notification (None: none)
        for r in _first_per_group([r for r in tl if received(r)]):
            deadline = _add_working_days(r["_day"], int(q["working_days"]))
            agency = authority(r)
            action = _first(tl, r["_day"], lambda x: is_conference(x) and authority(x) == agency)
            # a later notification with no conference of its authority's between is the same transfer
            repeat = agency in last_response and last_response[agency] is action
            last_response[agency] = action
            if repeat or (action is not None and action["_day"] <= deadline):
                continue
            if review_end is None or not deadline < review_end:
                # (s21) the deadline after the end of the review (the death), but a record by the authority before
                # both booked the conference for a day past it: flagged, kept though due after the death
                limit = deadline if review_end is None else min(deadline, review_end + dt.timedelta(days=1))

                def booked_for(x):
                    return booked_date(_text(x.get("description")) + " . " + _text(x.get("action")))

                booking = next((x for x in tl if x.get("agency_kind") in q["agency_kinds"] and x["_exact"]
                                and authority(x) == agency and r["_day"] <= x["_day"] < limit
                                and booked_for(x) is not None and booked_for(x) > deadline), None)
                if booking is not None:
                    f = _flag("transfer_in_conference_late", r, deadline, None, "booked_after_deadline")
                    f["delay_days"] = float((booked_for(booking) - deadline).days)
                    f["_kept_after_death"] = True
                    flags.append(f)
                continue
            flags.append(_flag("transfer_in_conference_late", r, deadline, _capped(action, r["_day"], None, death)))

    # neglect_not_escalated (s19) --------------------------------------------------------------------
    if "neglect_not_escalated" in p:
        q = p["neglect_not_escalated"]

        def text_of(x):
            return _text(x.get("description")) + " . " + _text(x.get("action"))

        def under(x, months):
            # the child under `months` months at the contact (before that birthday; unknown age: no)
            if months is None or x["age_days"] is None or x["age_days"] < 0:
                return False
            return x["_day"] < _add_months(x["_day"] - dt.timedelta(days=x["age_days"]), int(months))

        def neglect_row(x):
            # an agency's record of neglect or weight loss (not social care's, not a letter, not on a plan, not a
            # record of receiving another agency's concern)
            # (s20, QA9) a partial-date record too (partial_dates), its deadline from the end of its period
            return ((x["_exact"] or (bool(q.get("partial_dates")) and x["_day"] is not None))
                    and tag_in(x, q["neglect_tags"])
                    and x.get("agency_kind") not in (q.get("trigger_not_agency_kinds") or ())
                    and x.get("contact_type") not in (q.get("trigger_not_contact_types") or ())
                    and not (q.get("not_on_cp_plan") and x.get("on_cp_plan") is True)
                    and not (q.get("received_keywords") and _mentioned(
                        text_of(x), q["received_keywords"], tuple(q.get("received_negations") or ())))
                    and not care_sought(x))

        def care_sought(x):
            # a finding the agency arranged the care for itself (s20: the dentist's caries, "Referred for GA list")
            return (bool(q.get("care_sought_findings")) and bool(q.get("care_sought_keywords"))
                    and _mentioned(text_of(x), q["care_sought_keywords"], tuple(q.get("care_sought_negations") or ()))
                    and findings_only(text_of(x), tuple(map(str, q["care_sought_findings"])),
                                      tuple(map(str, q["neglect_tags"])), ""))

        # an event group injury_not_escalated reads (an injury under 2, a harm said to be inflicted) is its
        injured = {x["_gcode"] for x in tl if x["_exact"] and (
            (tag_in(x, q.get("injury_any_age_tags") or ()) and x["age_days"] is not None and x["age_days"] >= 0)
            or (tag_in(x, q.get("injury_tags") or ()) and under(x, q.get("injury_below_age_months"))))}
        rows = [x for x in tl if neglect_row(x) and x["_gcode"] not in injured]
        episodes = _first_per_group(rows)
        suspect_groups = {x["_gcode"] for x in rows if q.get("suspect_keywords") and _mentioned(
            text_of(x), q["suspect_keywords"], tuple(q.get("suspect_negations") or ()))}
        window_days = int(q["repeat_window_days"])
        if case.get("additional_needs") and q.get("additional_needs_repeat_window_days") is not None:
            window_days = max(window_days, int(q["additional_needs_repeat_window_days"]))  # (s20, QA9)
        window = dt.timedelta(days=window_days)
        open_kinds = list(q.get("open_enquiry_escalations") or ())

        def social_care_row(x, r):
            return (x["_exact"] and x["case_id"] == r["case_id"]
                    and x.get("agency_kind") in (q.get("open_assessment_agency_kinds") or ()))

        def closes(x):
            return x.get("contact_type") == "case_closure" or _closed_in_action(x, settings)

        def assessment_open(r):
            # an opening row (open_assessment_contact_types or _keywords) by social care in the open_assessment_days
            # up to the trigger's day, and no closure by it from the last one's day to the trigger's day
            if q.get("open_assessment_days") is None or not q.get("open_assessment_agency_kinds"):
                return False
            types, keywords = q.get("open_assessment_contact_types") or (), q.get("open_assessment_keywords") or ()
            start = r["_day"] - dt.timedelta(days=int(q["open_assessment_days"]))
            days = [x["_day"] for x in tl if social_care_row(x, r) and start <= x["_day"] <= r["_day"] and not closes(x)
                    and (x.get("contact_type") in types or (bool(keywords) and _mentioned(text_of(x), keywords, ())))]
            if not days:
                return False
            return not any(social_care_row(x, r) and closes(x) and max(days) <= x["_day"] <= r["_day"] for x in tl)

        for r in episodes:
            count = sum(1 for y in episodes if r["_day"] - window <= y["_day"] <= r["_day"])
            suspect = r["_gcode"] in suspect_groups
            if not (suspect or count >= int(q["repeat_min_episodes"])):
                continue
            start, end = _row_period(r) if not r["_exact"] else (r["_day"], r["_day"])
            deadline = _add_working_days(end, int(q["within_working_days"]))
            action = first_answer(start, q)
            if action is not None and action["_day"] <= deadline:
                continue
            # an enquiry already under way: a held strategy discussion, s47 enquiry or conference in the days before
            if open_kinds and q.get("open_enquiry_days") is not None and any(
                    x["_exact"] and r["_day"] - dt.timedelta(days=int(q["open_enquiry_days"])) <= x["_day"] <= r["_day"]
                    and esc_held(x, open_kinds) for x in tl):
                continue
            # social care's assessment open (s20): the agency's own record shared with social care answers; so for a
            # looked-after child (s20, lacnoise): shared with its social worker at the placing authority
            if (assessment_open(r) or (bool(q.get("looked_after_share"))
                                       and _looked_after_authority(r, case) is not None)) and any(
                    x["case_id"] == r["case_id"] and x.get("agency") == r.get("agency") and x["_day"] is not None
                    and r["_day"] <= x["_day"] <= deadline and (
                        (bool(q.get("response_informed_kinds")) and informed_reach_kinds(
                            _text(x.get("informed_agencies")), q["response_informed_kinds"], _package_vocab()))
                        or (bool(q.get("open_assessment_share_keywords")) and _mentioned(
                            text_of(x), q["open_assessment_share_keywords"], tuple(q.get("response_negations") or ()))))
                    for x in tl):
                continue
            flag = _flag("neglect_not_escalated", r, deadline, _capped(action, r["_day"], q.get("response_max_days"), death),
                         cut=_cut(death, r["_day"], q.get("response_max_days")))
            flag["severity"] = ("high" if suspect or count >= int(q["high_severity_min_episodes"])
                                or under(r, q.get("high_severity_below_age_months")) else "medium")
            flags.append(flag)

    # sexual_harm_not_referred (s19, QA6) --------------------------------------------------------------
    if "sexual_harm_not_referred" in p:
        q = p["sexual_harm_not_referred"]
        by_tag = {str(k): int(v) for k, v in (q.get("working_days_by_tag") or {}).items()}
        # (s21) the "consider" tags: a row of one counted by the child's age (anogenital_symptoms under 13) dated on
        # or after the case's first row of consider_with_tags (any agency) is a trigger too
        consider = {str(k): int(v) for k, v in (q.get("consider_working_days_by_tag") or {}).items()
                    if str(k) not in by_tag}
        with_days = [x["_day"] for x in tl if x["_day"] is not None and tag_in(x, q.get("consider_with_tags") or ())]
        since = min(with_days) if with_days and consider else None

        def sh_tags(x):  # the row's trigger tags
            own = [t for t in by_tag if tag_in(x, [t])]
            if since is not None and x["_day"] is not None and x["_day"] >= since:
                counted = counted_tags(x)
                own += [t for t in consider if t in counted]
            return own

        def sh_text(x):
            return _text(x.get("description")) + " . " + _text(x.get("action"))

        def sh_period(x):
            # the row's period (review.rules.base._period_bounds): its day, month, season, year or day +/- span
            day, precision = x["_day"], _text(x.get("date_precision"))
            if precision == "approximate":
                return _approximate_period(x)
            if precision in ("month", "season", "year"):
                first = dt.date(day.year, 1, 1) if precision == "year" else dt.date(day.year, day.month, 1)
                return first, _add_months(first, {"year": 12, "season": 3}.get(precision, 1)) - dt.timedelta(days=1)
            return day, day

        def sh_row(x):
            # an agency's record of a tag of working_days_by_tag, any date precision (not social care's, not a
            # letter, not on a plan, not a record of receiving another agency's concern)
            return (x["_day"] is not None and bool(sh_tags(x))
                    and x.get("agency_kind") not in (q.get("trigger_not_agency_kinds") or ())
                    and x.get("contact_type") not in (q.get("trigger_not_contact_types") or ())
                    and not (q.get("not_on_cp_plan") and x.get("on_cp_plan") is True)
                    and not (q.get("received_keywords") and _mentioned(
                        sh_text(x), q["received_keywords"], tuple(q.get("received_negations") or ()))))

        # an event group injury_not_escalated reads at any age (a disclosure of sexual abuse) is its
        injured = {x["_gcode"] for x in tl if x["_exact"] and tag_in(x, q.get("injury_any_age_tags") or ())
                   and x["age_days"] is not None and x["age_days"] >= 0}
        rows = [x for x in tl if sh_row(x) and x["_gcode"] not in injured]
        open_kinds = list(q.get("open_enquiry_escalations") or ())
        for r in _first_per_group(rows):
            tags = {t for x in rows if x["_gcode"] == r["_gcode"] for t in sh_tags(x)}
            start, end = sh_period(r) if not r["_exact"] else (r["_day"], r["_day"])
            deadline = _add_working_days(end, min({**by_tag, **consider}[t] for t in tags))
            lac = bool(q.get("looked_after_share")) and _looked_after_authority(r, case) is not None
            action = first_answer(start, _lac_share_params(q, settings) if lac else q)  # (s21) shared with its SW
            if action is not None and action["_day"] <= deadline:
                continue
            # (s21) "consider" records only: the recording agency's own follow-up (its safeguarding lead) answers
            if not tags & set(by_tag) and q.get("consider_followup_keywords") and any(
                    x.get("agency") == r.get("agency") and x["_day"] is not None and start <= x["_day"] <= deadline
                    and _mentioned(sh_text(x), q["consider_followup_keywords"], tuple(q.get("response_negations") or ()))
                    for x in tl):
                continue
            if open_kinds and q.get("open_enquiry_days") is not None and any(
                    x["_exact"] and r["_day"] - dt.timedelta(days=int(q["open_enquiry_days"])) <= x["_day"] <= r["_day"]
                    and esc_held(x, open_kinds) for x in tl):
                continue
            flag = _flag("sexual_harm_not_referred", r, deadline,
                         _capped(action, r["_day"], q.get("response_max_days"), death),
                         cut=_cut(death, r["_day"], q.get("response_max_days")))
            young = (q.get("high_severity_below_age_months") is not None and r["age_days"] is not None
                     and r["age_days"] >= 0 and r["_day"] < _add_months(r["_day"] - dt.timedelta(days=r["age_days"]),
                                                                       int(q["high_severity_below_age_months"])))
            flag["severity"] = "high" if young or tags & set(q.get("high_severity_tags") or ()) else rules["rules"]["sexual_harm_not_referred"].get("severity", "medium")
            flags.append(flag)

    # cp_file_not_transferred (s20, QA7) ------------------------------------------------------------
    if "cp_file_not_transferred" in p:
        q = p["cp_file_not_transferred"]
        ignored = set(q.get("ignore_tags") or ())
        n_days = int(q["within_working_days"])

        def cp_text(x):
            return _text(x.get("description")) + " . " + _text(x.get("action"))

        def cp_setting(x):
            return x.get("agency_kind") in q["setting_agency_kinds"]

        def cp_period(x):  # the row's period (review.rules.base._period_bounds)
            day, precision = x["_day"], _text(x.get("date_precision"))
            if precision == "approximate":
                return _approximate_period(x)
            if precision in ("month", "season", "year"):
                first = dt.date(day.year, 1, 1) if precision == "year" else dt.date(day.year, day.month, 1)
                return first, _add_months(first, {"year": 12, "season": 3}.get(precision, 1)) - dt.timedelta(days=1)
            return day, day

        def cp_leaves(x):  # a setting's row recording the child leaving it for another school
            return (cp_setting(x) and x["_exact"]
                    and not _mentioned(cp_text(x), q.get("no_school_keywords") or [], ())
                    and not _mentioned(cp_text(x), q.get("arrival_keywords") or [], ())
                    and _mentioned(cp_text(x), q["leaving_keywords"], tuple(q.get("leaving_negations") or ())))

        def cp_not_received(x):  # a setting's record of the file not arrived
            return cp_setting(x) and x["_exact"] and _mentioned(cp_text(x), q["not_received_keywords"], ())

        def cp_sent_from(x):  # the day a row records the file sent or received from (its text's date), or None
            if x["_day"] is None or not _mentioned(cp_text(x), q["file_sent_keywords"],
                                                   tuple(q.get("file_sent_negations") or ())):
                return None
            if x["_exact"]:
                when = file_sent_day(x.get("description"), x.get("action"), x["_day"], review_end)
                if when is not None:
                    return when
            return cp_period(x)[0]

        def cp_first_sent(anchor):
            best, best_day = None, None
            for x in tl:
                day = cp_sent_from(x)
                if day is not None and day >= anchor and (best is None or day < best_day):
                    best, best_day = x, day
            return None if best is None else dict(best, _day=best_day)

        def cp_term_start(day):  # the next term's start when `day` falls in a school holiday (term_breaks)
            md = day.month * 100 + day.day
            for holiday, term in (q.get("term_breaks") or {}).items():
                h = int(holiday[:2]) * 100 + int(holiday[3:])
                sm, sd = int(term[:2]), int(term[3:])
                s_ = sm * 100 + sd
                if h <= s_ and h <= md < s_:
                    return dt.date(day.year, sm, sd)
                if h > s_ and (md >= h or md < s_):
                    return dt.date(day.year + 1 if md >= h else day.year, sm, sd)
            return None

        covered = set()
        for r in _first_per_group([x for x in tl if cp_leaves(x)]):
            lo = r["_day"] - dt.timedelta(days=int(q["concern_window_days"]))

            def in_window(c):
                first, last = cp_period(c)
                return lo <= first and last <= r["_day"] and not (c["_exact"] and c["_pos"] > r["_pos"])

            held = {c["_gcode"] for c in tl if c["_day"] is not None and in_window(c) and cp_setting(c)
                    and same_agency(c, r) and [t for t in counted_tags(c) if t not in ignored]}
            involved = [c for c in tl if c["_day"] is not None and in_window(c)
                        and esc_held(c, q.get("involvement_escalations") or ())]
            if len(held) < int(q["min_concerns"]) and not involved and r.get("on_cp_plan") is not True:
                continue
            term = cp_term_start(r["_day"])
            deadline = _add_working_days(term or r["_day"], n_days)
            action = cp_first_sent(r["_day"] - dt.timedelta(days=int(q.get("sent_before_days") or 0)))
            if action is not None and action["_day"] <= deadline:
                continue
            for x in tl:
                if (cp_not_received(x) and r["_day"] <= x["_day"] <= r["_day"] + dt.timedelta(days=int(q["pair_days"]))
                        and not same_agency(x, r)):
                    covered.add(x["_pos"])
            flags.append(_flag("cp_file_not_transferred", r, deadline,
                               _capped(action, r["_day"], q.get("response_max_days"), death),
                               cut=_cut(death, r["_day"], q.get("response_max_days"))))
        for r in _first_per_group([x for x in tl if cp_not_received(x) and x["_pos"] not in covered]):
            action = cp_first_sent(r["_day"])
            flags.append(_flag("cp_file_not_transferred", r, r["_day"],
                               _capped(action, r["_day"], q.get("response_max_days"), death), variant="not_received",
                               cut=_cut(death, r["_day"], q.get("response_max_days"))))

    # enquiry_incomplete (s20) -------------------------------------------------------------------------------
    if "enquiry_incomplete" in p:
        q = p["enquiry_incomplete"]

        def text_of(x):
            return _text(x.get("description")) + " . " + _text(x.get("action"))

        def is_held_strategy(x):
            return x["_exact"] and (esc_held(x, ["strategy_discussion"]) or _held(x, ["strategy_discussion"]))

        # a strategy discussion recorded with health absent, or an attendee list without health, unless a health
        # agency recorded the day's strategy discussion itself
        health_days = {x["_day"] for x in tl if is_held_strategy(x)
                       and x.get("agency_kind") in (q.get("health_agency_kinds") or ())}
        days_done = set()
        for r in tl:
            if not is_held_strategy(r) or r["_day"] in days_done:
                continue
            text = text_of(r)
            if not (_mentioned(text, q.get("health_absent_keywords") or (), ())
                    or health_missing_from_list(text, q.get("attendee_list_cues") or (), q.get("health_attendee_words") or ())):
                continue
            days_done.add(r["_day"])
            if r["_day"] not in health_days:
                flags.append(_flag("enquiry_incomplete", r, r["_day"], None, variant="no_health_at_strategy"))

        # (s21) a strategy discussion about extra-familial harm with the school or education provider absent, or
        # an attendee list (after a cue, or in brackets after its name) without one, of a child of school or
        # training age, unless an education agency recorded the day's strategy discussion itself
        if q.get("education_enabled", True):
            lo_years, hi_years = q.get("education_min_age_years"), q.get("education_below_age_years")
            harm_tags = list(q.get("education_harm_tags") or ())
            lookback = dt.timedelta(days=int(q.get("education_harm_lookback_days") or 0))
            harm_days = [x["_day"] for x in tl if x["_exact"] and tag_in(x, harm_tags)]
            education_days = {x["_day"] for x in tl if is_held_strategy(x)
                              and x.get("agency_kind") in (q.get("education_agency_kinds") or ())}
            days_done = set()
            for r in tl:
                if not is_held_strategy(r) or r["_day"] in days_done:
                    continue
                age = r["age_days"]
                if age is not None and ((lo_years is not None and age < float(lo_years) * 365.25)
                                        or (hi_years is not None and age >= float(hi_years) * 365.25)):
                    continue
                if not (tag_in(r, harm_tags) or any(r["_day"] - lookback <= d <= r["_day"] for d in harm_days)):
                    continue
                text = text_of(r)
                if not (_mentioned(text, q.get("education_absent_keywords") or (), ())
                        or education_missing_from_list(text, q.get("attendee_list_cues") or (),
                                                       q.get("attendee_agency_words") or (),
                                                       q.get("education_attendee_words") or ())):
                    continue
                days_done.add(r["_day"])
                if r["_day"] not in education_days:
                    flags.append(_flag("enquiry_incomplete", r, r["_day"], None, variant="no_education_at_strategy"))

        # social care's first closure after a strategy discussion / s47 enquiry about sexual abuse (or an injury),
        # with no CP medical or ABE interview recorded by any agency since the concern
        abe_tags, med_tags = list(q.get("abe_and_medical_tags") or ()), list(q.get("medical_only_tags") or ())
        done_neg = tuple(q.get("done_negations") or ())

        def closes(x):
            if not x["_exact"] or x.get("agency_kind") not in (q.get("closure_agency_kinds") or ["social care"]):
                return False
            return (_held(x, ["case_closure"]) or _closed_in_action(x, settings) or _mentioned(
                text_of(x), q["closure_keywords"], tuple(q.get("closure_negations") or ()),
                tuple(q.get("closure_other_agency_words") or ())))

        starts, start_days = [], set()
        for r in tl:
            if r["_exact"] and r["_day"] not in start_days and (
                    is_held_strategy(r) or esc_held(r, ["s47_enquiry"]) or _held(r, ["s47_enquiry"])):
                start_days.add(r["_day"])
                starts.append(r)
        ended = {}  # closure event id -> (closure row, the earliest enquiry start it ends)
        for r in starts:
            closure = _first(tl, r["_day"], closes)
            if closure is None or closure["_day"] > r["_day"] + dt.timedelta(days=int(q["enquiry_window_days"])):
                continue
            if closure["event_id"] not in ended or r["_day"] < ended[closure["event_id"]][1]["_day"]:
                ended[closure["event_id"]] = (closure, r)
        for closure, r in ended.values():
            lo = r["_day"] - dt.timedelta(days=int(q["concern_lookback_days"]))
            span = [x for x in tl if x["_day"] is not None and lo <= x["_day"] <= closure["_day"]]
            wants_abe = any(tag_in(x, abe_tags) for x in span)
            wants_medical = wants_abe or any(tag_in(x, med_tags) for x in span)
            medical = any(esc_held(x, ["cp_medical"]) or _held(x, ["cp_medical"])
                          or _mentioned(text_of(x), q["medical_keywords"], done_neg) for x in span)
            abe = any(_mentioned(text_of(x), q["abe_keywords"], done_neg) for x in span)
            if (wants_medical and not medical) or (wants_abe and not abe):
                flags.append(_flag("enquiry_incomplete", closure, closure["_day"], None,
                                   variant="closed_without_medical_or_abe"))

    # lac_visits_overdue (s20) ---------------------------------------------------------------------------------
    if "lac_visits_overdue" in p and case.get("looked_after"):
        q = p["lac_visits_overdue"]
        words = settings.get("authority_words") if q.get("authority_words") is None else q["authority_words"]
        dated_rows = [x for x in tl if x["_day"] is not None]
        first_record = min((_row_period(x)[0] for x in dated_rows), default=None)
        for period in case["looked_after"]:
            if first_record is None:
                break
            start = period.start
            end = min(period.end or review_end, review_end)
            if end < start:
                continue

            def own(x):  # a row of the placing authority: the same local authority, or the same agency name
                return x.get("agency_kind") in q["authority_agency_kinds"] and (
                    local_authority(x.get("agency"), words or ()) == local_authority(period.placing_authority, words or ())
                    or _text(x.get("agency")).strip().lower() == period.placing_authority.strip().lower())

            def visit_day(x):  # an exact date's own day; a partial date's latest possible day
                return x["_day"] if x["_exact"] else _row_period(x)[1]

            visits = sorted(((visit_day(x), x["_pos"], x) for x in dated_rows
                             if own(x) and _seen(x) is True and start <= visit_day(x) <= end), key=lambda v: v[:2])
            clock, first = start, True
            if start < first_record:
                clock, first = first_record, False

            # (s21) after the first year: 3-monthly for a placement intended to last until the child is 18 (its
            # case.yml long_term, else its placement's long_term_words, else unstated_long_term), else six-weekly
            if period.long_term is not None:
                long_term = bool(period.long_term)
            else:
                placed = f"{period.placement or ''} {period.placed_at or ''}".lower()
                long_term = any(re.search(r"(?<!\w)" + re.escape(str(w).lower()) + r"(?!\w)", placed)
                                for w in q.get("long_term_words") or ()) or bool(q.get("unstated_long_term"))
            later = int(q["after_first_year_max_days"]) if long_term or q.get("not_long_term_max_days") is None \
                else int(q["not_long_term_max_days"])

            def limit(since, is_first):
                if is_first:
                    return int(q["first_visit_days"])
                if since < start + dt.timedelta(days=int(q["first_year_days"])):
                    return int(q["first_year_max_days"])
                return later

            for day, _, x in visits:
                days = limit(clock, first)
                if (day - clock).days > days:
                    f = _flag("lac_visits_overdue", x, clock + dt.timedelta(days=days), None,
                              variant="first_visit_late" if first else "visit_overdue")
                    f["actual_action_event_id"] = x["event_id"]
                    f["delay_days"] = float((day - clock).days - days)
                    flags.append(f)
                clock, first = day, False
            days = limit(clock, first)
            if (end - clock).days > days:
                span = [x for x in dated_rows if start <= _row_period(x)[0] <= end]
                pick = [x for x in span if own(x)] or span
                if pick:
                    trigger = max(pick, key=lambda x: (_row_period(x)[0], x["_pos"]))
                    flags.append(_flag("lac_visits_overdue", trigger, clock + dt.timedelta(days=days), None,
                                       variant=("first_visit_late" if first else "visit_overdue") + "_at_end"))
    # lado_not_referred (s20) ------------------------------------------------------------------------------
    if "lado_not_referred" in p:
        q = p["lado_not_referred"]
        allegation = list(q.get("allegation_tags") or ())
        not_kinds = set(q.get("trigger_not_agency_kinds") or ())
        resp_esc, resp_kinds = list(q.get("response_escalations") or ()), set(q.get("response_agency_kinds") or ())
        lookback, most = int(q.get("known_lookback_days") or 0), q.get("response_max_days")
        n_days = int(q["within_working_days"])

        def lado_answers(x):  # a LADO referral or meeting held, or the LADO's own record
            return esc_held(x, resp_esc) or x.get("agency_kind") in resp_kinds

        open_until = {}  # case -> the day the open flag's allegation reached the LADO (None: never)
        for r in _first_per_group([x for x in tl if x["_exact"] and tag_in(x, allegation)
                                   and x.get("agency_kind") not in not_kinds]):
            if lookback:
                known = _first(tl, r["_day"] - dt.timedelta(days=lookback), lado_answers)
                if known is not None and known["_day"] < r["_day"]:
                    continue  # already with the LADO
            deadline = _add_working_days(r["_day"], n_days)
            # the referral named over the LADO's own record of the same day (first_response_or)
            action = _first(tl, r["_day"], lambda x: esc_held(x, resp_esc))
            own = _first(tl, r["_day"], lambda x: x.get("agency_kind") in resp_kinds)
            if own is not None and (action is None or own["_day"] < action["_day"]):
                action = own
            action = _capped(action, r["_day"], most)
            if action is not None and action["_day"] <= deadline:
                continue
            case = r["case_id"]
            if case in open_until and (open_until[case] is None or r["_day"] <= open_until[case]):
                continue  # the same allegation recorded again: the open flag's evidence
            open_until[case] = None if action is None else action["_day"]
            flags.append(_flag("lado_not_referred", r, deadline, action))

    # perplexing_presentation_not_escalated (s21) ---------------------------------------------------------------
    if "perplexing_presentation_not_escalated" in p:
        q = p["perplexing_presentation_not_escalated"]
        fii = list(q.get("concern_tags") or ())
        health_kinds = set(q.get("trigger_agency_kinds") or ())
        gp_words = list(q.get("gp_words") or ())

        def says(x, key):
            words = q.get(key) or ()
            return bool(words) and _mentioned(_text(x.get("description")) + " . " + _text(x.get("action")), words, ())

        def fii_concern(x):
            return x["_exact"] and tag_in(x, fii)

        def fii_sign(x):  # the concern, or a parent's report and the symptom not observed
            return fii_concern(x) or (x["_exact"] and ((says(x, "reported_words") and says(x, "not_observed_words"))
                                                       or says(x, "invasive_words")))

        def informs_gp(x):
            return any(agency_named(a.strip(), gp_words) for a in _text(x.get("informed_agencies")).split(";")
                       if a.strip())

        window = dt.timedelta(days=int(q["pattern_window_days"]))
        signs = [x for x in tl if fii_sign(x)]
        triggers = []
        for r in tl:
            if (r.get("agency_kind") not in health_kinds or r.get("contact_type") in (q.get("trigger_not_contact_types") or ())
                    or agency_named(r.get("agency"), q.get("trigger_not_agency_words") or ())):
                continue
            if fii_concern(r):
                triggers.append((r, "concern"))
            elif fii_sign(r):
                near = [x for x in signs if r["_day"] - window <= x["_day"] <= r["_day"]]
                providers = {x.get("agency") for x in near if x.get("agency_kind") in health_kinds}
                if len(near) >= int(q["pattern_min_signs"]) and len(providers) >= int(q["pattern_min_providers"]):
                    triggers.append((r, "alerting_signs"))
        responses = list(q.get("response_escalations") or ())
        attended = list(q.get("response_attended_escalations") or ())

        def carries(x, r):  # (s22, QA11 N2) an escalation carrying r's agency's concern: its own; a meeting naming it
            # among its informed agencies; social care's record of a referral from it. Not another agency's referral
            if x.get("agency") == r.get("agency"):
                return True
            name = str(r.get("agency")).strip().casefold()
            informed = {a.strip().casefold() for a in _text(x.get("informed_agencies")).split(";")}
            if esc_held(x, attended) and name in informed:
                return True
            return receipt_names_sender(_text(x.get("description")) + " . " + _text(x.get("action")),
                                        str(r.get("agency")), str(r.get("agency_kind") or ""), kind_alone=False)

        open_until = {}  # (agency, variant) -> the day its open flag's trigger was answered (None: never)
        for r, variant in triggers:
            def answers(x, r=r):  # an escalation carrying the concern, the concern reaching the GP (not a GP's row
                # of an escalation: that is read as the escalation), a health chronology / meeting
                held = esc_held(x, responses)
                return ((held and carries(x, r))
                        or (x.get("agency_kind") in health_kinds and says(x, "response_words"))
                        or (fii_concern(x) and not held and x.get("agency") != r.get("agency")
                            and agency_named(x.get("agency"), gp_words))
                        or (fii_concern(x) and x.get("agency") == r.get("agency") and informs_gp(x)))
            deadline = r["_day"] + dt.timedelta(days=int(q["within_days"]))
            action = _capped(_first(tl, r["_day"], answers), r["_day"], q.get("response_max_days"))
            if action is not None and action["_day"] <= deadline:
                continue
            key = (r.get("agency"), variant)
            if key in open_until and (open_until[key] is None or r["_day"] <= open_until[key]):
                continue  # the open flag's evidence
            open_until[key] = None if action is None else action["_day"]
            flags.append(_flag("perplexing_presentation_not_escalated", r, deadline, action, variant))

    # one flag per flag id, like the package; none triggered, or due, after the child's death
    out, ids = [], set()
    for f in flags:
        if death is not None and (f["trigger_date"] > death or (f["expected_by"] is not None and f["expected_by"] > death
                                                                and not f.pop("_kept_after_death", False))):
            continue
        f.pop("_kept_after_death", None)
        if f["flag_id"] not in ids:
            ids.add(f["flag_id"])
            out.append(f)
    return out


def run(rows: list[dict], cases: dict[str, dict], rules: dict) -> tuple[list[dict], list[dict]]:
    """Timeline and flags of every case: group the rows by case, then one case at a time."""
    by_case = defaultdict(list)
    for row in rows:
        by_case[row["case_id"]].append(row)
    timeline, flags = [], []
    for case_id in sorted(by_case):
        case_timeline = build_timeline(by_case[case_id], cases[case_id])
        timeline += case_timeline
        found = detect(case_timeline, cases[case_id], rules)
        # (s20, lacnoise) a family member's own account (agency kind family: a parent's e-mails) triggers no rule
        own = {r["event_id"] for r in case_timeline
               if r.get("agency_kind") in (rules["settings"].get("not_trigger_agency_kinds") or ())}
        flags += [f for f in found if f["trigger_event_id"] not in own]
    return timeline, flags


def rows_and_cases(contacts, cases) -> tuple[list[dict], dict[str, dict]]:
    """Plain Python rows (None for missing values, datetimes) and case dicts from the store's tables."""
    import pandas as pd

    from review.store import looked_after_of  # the store's JSON of case.yml looked_after periods (s21)

    rows = contacts.astype(object).where(contacts.notna(), None).to_dict("records")
    for r in rows:
        r["date"] = None if r["date"] is None else pd.Timestamp(r["date"]).to_pydatetime()
        r["date_end"] = None if r.get("date_end") is None else pd.Timestamp(r["date_end"]).to_pydatetime()
        r["child_seen"] = None if r["child_seen"] is None else bool(r["child_seen"])

    def day(v):
        return None if v is None or pd.isna(v) else pd.Timestamp(v).date()

    def window(options):
        return json.loads(options).get("concern_window_days") if isinstance(options, str) and options else None

    info = {}
    for r in cases.to_dict("records"):
        info[r["case_id"]] = {"date_of_birth": day(r.get("date_of_birth")), "mobile_from": day(r.get("mobile_from")),
                              "review_date": day(r.get("review_date")), "date_of_death": day(r.get("date_of_death")),
                              "concern_window_days": window(r.get("timeline_options")),
                              "child_sex": r.get("child_sex") if isinstance(r.get("child_sex"), str) else None,
                              # whether case.yml stated the child's additional needs (the store's boolean, s19)
                              "additional_needs": r.get("additional_needs") is True,
                              # case.yml looked_after periods (s20; the store's JSON since s21)
                              "looked_after": looked_after_of(r.get("looked_after")),
                              # the case's adults by given name and role (the store's people, s18)
                              "people": json.loads(r["people"]) if isinstance(r.get("people"), str) and r["people"] else None,
                              # a store's case table keeps the given name alone (child_given_name)
                              "child_name": next((v for v in (r.get("child_name"), r.get("child_given_name"))
                                                  if isinstance(v, str) and v.strip()), None)}
    return rows, info


# ---------------------------------------------------------------------------------------------------
# Ingest baseline: openpyxl, cell by cell
# ---------------------------------------------------------------------------------------------------
def read_chronology_rowwise(path, vocab: dict) -> list[dict]:
    """Read one generic-layout xlsx chronology row by row with openpyxl: header search, column mapping,
    and per row the package's own scalar functions, cell by cell — `parse_date` on the date cell,
    `normalise_agency`, `classify_contact_type`, `tag_concerns`, `detect_escalation`, `parse_yes_no`,
    `parse_informed_agencies` — with no caching of repeated values."""
    from openpyxl import load_workbook

    from review.ingest.dates import DateParseError, parse_date, school_term
    from review.schema import CONTACT_TYPES, join_multi
    from review.vocab import (
        classify_contact_type, detect_escalation, file_name_agency, informed_reaches, missed_appointment_type,
        normalise_agency, parse_informed_agencies, parse_yes_no, shared_in_text, tag_concerns,
    )

    def cell(record, name) -> str:
        value = record.get(name)
        if value is None:
            return ""
        if isinstance(value, float) and value.is_integer():
            return str(int(value))
        return value if isinstance(value, str) else str(value)

    from review.ingest.headers import narrative_like_words, normalise_header

    # the layout's own headers (review.synth.GENERIC_HEADERS, lowered); a column of another header ending with a
    # narrative word ("Triage notes", "DSL action": profiles.yml `narrative_like_words`) follows the description
    # or the action, under its header, as ingest reads a narrative-like column
    known = {"date", "time", "agency", "organisation", "practitioner role", "type of contact", "child seen",
             "child seen alone", "details", "action / outcome", "analysis", "information shared with"}
    words = narrative_like_words()
    wb = load_workbook(path, read_only=True, data_only=True)
    stem = Path(path).stem
    rows = []
    for ws in wb.worksheets:
        header = None
        for number, cells in enumerate(ws.iter_rows(values_only=True), start=1):
            if header is None:
                lowered = [str(v).strip().lower() if v is not None else "" for v in cells]
                if "date" in lowered:
                    header = lowered
                    written = [" ".join(str(v).split()) if v is not None else "" for v in cells]
                    further = {name: [(c, written[c]) for c, h in enumerate(lowered) if h and h not in known
                                      and normalise_header(h).rsplit(" ", 1)[-1] in words.get(name, ())]
                               for name in ("description", "action")}
                continue
            if not any(v is not None and str(v).strip() for v in cells):
                continue
            record = dict(zip(header, cells))
            if record.get("date") is None:
                continue
            try:
                parsed = parse_date(record.get("date"), record.get("time"))
            except DateParseError:
                continue
            description, action = (cell(record, k) for k in ("details", "action / outcome"))
            for name, columns in further.items():
                for column, written_header in columns:
                    value = cells[column] if column < len(cells) else None
                    more = "" if value is None else str(value).strip()
                    if more:
                        text = description if name == "description" else action
                        text = f"{text}\n{written_header}: {more}" if text else f"{written_header}: {more}"
                        description, action = (text, action) if name == "description" else (description, text)
            # concerns and escalations from what was recorded at the time: never the analysis column
            narrative = "\n".join(t for t in (description, action) if t)
            written = cell(record, "organisation")
            agency, kind, organisation = normalise_agency(cell(record, "agency") or written or stem, vocab)
            type_text = cell(record, "type of contact")
            # typed by the type cell, else (blank, or naming no type the vocabulary knows) by the description; a
            # blank cell of an agency whose name says what its contacts are (an emergency department's) by that,
            # unless the description or outcome says otherwise
            # (the file's name too, for a row with no Agency cell: "ed_redvale_general.xlsx" is an emergency
            # department's chronology)
            named = cell(record, "agency") or written or stem
            names = (named, written, normalise_agency(named, vocab)[0])
            if not cell(record, "agency"):
                names += (file_name_agency(stem, vocab),)
            contact_type = type_text if type_text in CONTACT_TYPES else classify_contact_type(
                type_text, description, vocab, action=action, agency=names)
            concerns = join_multi(tag_concerns(narrative, vocab) if narrative else [])
            seen = parse_yes_no(record.get("child seen"))
            # an appointment (or no type) whose text says the child was not brought is the missed appointment,
            # unless its Child seen cell says the child was seen (s21)
            contact_type = missed_appointment_type(contact_type, concerns, vocab, seen=seen)
            informed = cell(record, "information shared with")
            listed = parse_informed_agencies(informed, vocab) if informed else []
            # a season in a school's own chronology is its term ("Spring 2021": January to Easter), as ingest reads it
            date = school_term(parsed.date) if parsed.precision == "season" and kind == "education" else parsed.date
            rows.append({"date": date, "date_precision": parsed.precision, "agency": agency,
                         "agency_kind": kind, "organisation": written or organisation or "",
                         "contact_type": contact_type, "child_seen": seen,
                         "concerns": concerns,
                         "escalation": detect_escalation(contact_type, narrative, vocab) or "",
                         "informed_agencies": join_multi(listed + [
                             label for label in shared_in_text(narrative, vocab) if not any(
                                 informed_reaches(label, name, normalise_agency(name, vocab)[1], vocab) for name in listed)]),
                         "source_file": Path(path).name, "source_row": number, "description": description})
    wb.close()
    return rows
