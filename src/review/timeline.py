"""The integrated chronology: every agency's contacts in one deterministic order, with what a reviewer reads
beside each row (the child's age and mobility, gaps since the last contact and since the child was last
seen, concerns still open, whether the child was on a child protection plan or in hospital) and links
between rows in which two agencies report the same event, or one agency's record was entered twice. No
row is ever dropped.

Public functions: `build_timeline`, `periods`, `agency_summary`, `health_summary`, `link_events`.
Everything works on numpy arrays of the table sorted by ``case_id``: one call can hold one case or many.
"""
from __future__ import annotations

import functools
import json
import re
import weakref
from pathlib import Path

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc
from rapidfuzz import fuzz, utils
from rapidfuzz.process import cpdist

from .config import CaseConfig
from .mobility import ANY_WORD_PATTERN, MOBILE, NO_CHILD, NO_STATEMENT, NOT_MOBILE, child_identity, mobility_statement
from .schema import CONTACT_COLUMNS, MULTI_SEP, TIMELINE_COLUMNS, conform, empty_frame
from .sightings import inferred_sightings, not_seen_mask, seen_mask

# ---------------------------------------------------------------------------------------------------
# Parameters (defaults; every function takes them as keyword arguments)
# ---------------------------------------------------------------------------------------------------
#: when case.yml gives no ``mobile_from``, a child is treated as not yet mobile before this many months
#: of age and mobile from then on (safeguarding protocols on bruising in non-mobile babies are most
#: often applied to children under six months). Override per case with ``mobile_from`` in case.yml.
DEFAULT_NONMOBILE_MONTHS = 6
#: an "approximate" date ("c. 12/03/2007", "mid March 2007") is the period [date - this, date + this] days:
#: the rules' default (rules.yml ``settings: approximate_span_days``), which `child_mobile` reads by
APPROXIMATE_SPAN_DAYS = 31

#: rapidfuzz token_set_ratio (0-100) at or above which two reports' texts describe the same event
LINK_THRESHOLD = 85.0
#: two reports are compared only when their dates are at most this many days apart
LINK_WINDOW_DAYS = 1
#: concern tags recorded within this many days before a contact are "open" at it
CONCERN_WINDOW_DAYS = 90

#: sort rank of a date's precision: a precise day sorts before a vague one starting the same day
PRECISION_RANK = {"day": 0, "approximate": 1, "month": 2, "season": 3, "year": 4}

#: contact types that may report the same event from two agencies; types in different groups never link
LINK_GROUPS: dict[str, tuple[str, ...]] = {
    "conference": ("cp_conference", "core_group"),
    "referral": ("referral", "referral_decision"),
    "home_visit": ("home_visit",),
    "strategy": ("strategy_discussion",),
    "s47": ("s47_enquiry",),
    "hospital": ("ae_attendance", "admission"),
    "discharge": ("discharge",),
    "cp_medical": ("cp_medical",),
    "assessment": ("assessment",),
    "clinic": ("clinic_appointment",),
    "police": ("police_callout", "arrest"),
    "phone_call": ("phone_call",),
    "letter": ("letter",),
}
#: the contact type of a row whose type cell and text named no type: it has no type family, so it may report the
#: same event as another agency's row of any family (social care's "Police welfare check completed by PC 2231:
#: Amara seen asleep in her cot", typed other, beside the police's own record of the welfare check) when their
#: texts are alike and, no type saying they are one kind of contact, share at least LINK_UNTYPED_SHARED_WORDS words
LINK_UNTYPED = "other"
#: the distinct words (rapidfuzz's default processing) an untyped row's text shares with the other's at least, to link
LINK_UNTYPED_SHARED_WORDS = 8
#: only rows dated to a day (or approximately to a day) are linked; month/year dates are too vague
LINKABLE_PRECISIONS = ("day", "approximate")
#: (s21, QA11 D21) a referral to children's social care and social care's record of receiving it are one event:
#: the receipt (a row of one of LINK_RECEIPT_KINDS) naming the sender (`receipt_names_sender`) 0 to
#: LINK_RECEIPT_DAYS days after the sender's referral (`refers_to_social_care`), whatever their types and words
LINK_RECEIPT_DAYS = 3
LINK_RECEIPT_KINDS = ("social care",)
#: the escalation a sender's row records its referral with
LINK_REFERRAL_ESCALATION = "referral_to_csc"
#: columns that say where a row was read from, not what the agency recorded: two rows of one agency equal
#: in every other column (date, type, texts, tags, ...) are one record entered twice, and are linked
PROVENANCE_COLUMNS = ("event_id", "source_file", "source_sheet", "source_row")

#: the words that start and end child protection plan periods in a conference's outcome (description and
#: action: never the analysis column, the review author's hindsight), matched like the vocabularies'
#: keywords (`review.vocab`: whole words, clauses, negation with the package vocab.yml's cues). See
#: `cp_plan_marker`:
#: ``start`` mentions of a plan start (or confirm) one, unless negated ("a child protection plan is not
#: required", "decision against a child protection plan", "Child protection plan: not made");
#: ``end`` phrases end a plan wherever they stand; ``end_before`` / ``end_after`` words end it only when
#: they stand next to a mention of the plan in its clause, before or after it ("discontinue the plan",
#: "the plan will cease"; not "remain subject to a plan. Father's contact has ceased");
#: ``negation_cues`` / ``negation_post_cues`` add to vocab.yml's negation cues for these mentions.
CP_PLAN_KEYWORDS: dict[str, tuple[str, ...]] = {
    "start": (
        "subject to a child protection plan", "subject to child protection plan", "subject to a cp plan",
        "subject to cp plan", "subject to a plan", "subject to plan", "child protection plan", "cp plan",
        "category of neglect", "category of physical abuse", "category of emotional abuse",
        "category of sexual abuse", "under the category", "plan",
    ),
    "end": (
        "no longer subject", "step down", "stepped down", "child in need plan", "de-registered", "deregistered",
    ),
    "end_before": (
        "end", "ending", "ends", "discontinue", "discontinuing", "cease", "ceasing", "remove", "removed from",
        "removal from", "no longer",
    ),
    "end_after": (
        "end", "ends", "ended", "ending", "cease", "ceases", "ceased", "discontinue", "discontinued", "removed",
        "closed",
    ),
    "negation_cues": (
        "against", "decision against", "consider", "considered", "considering", "if", "whether", "would", "could",
        "may", "might", "threshold not met", "did not meet threshold", "did not meet the threshold",
        "does not meet the threshold", "not meet the threshold",
    ),
    "negation_post_cues": (
        "not required", "not needed", "not necessary", "not made", "not agreed", "not met", "not indicated",
        "not appropriate", "not warranted", "not recommended", "considered",
    ),
}
#: an end word stands next to the mention of the plan: at most this many other words between
CP_PLAN_END_WINDOW = 3
#: contact types whose outcome can start or end a CP plan
CP_PLAN_CONTACT_TYPES = ("cp_conference",)
HOSPITAL_ADMISSION_TYPES = ("admission",)
HOSPITAL_DISCHARGE_TYPES = ("discharge",)
#: words after a discharge that say it did not happen that day, added for discharges to the vocabulary's
#: escalation negation post cues ("Discharge postponed", "discharge deferred", "discharge not agreed",
#: "discharge cancelled" are denied by those already): see `discharge_held`
DISCHARGE_NEGATION_POST_CUES = ("delayed", "on hold", "not yet agreed")

PERIOD_COLUMNS: dict[str, str] = {
    "case_id": "string",
    "kind": "string",  # cp_plan | hospital
    "start": "datetime64[ns]",
    "end": "datetime64[ns]",  # a stay with no discharge found: `_stay_default_ends`
    "agency": "string",
    "evidence_event_ids": "string",
}

AGENCY_SUMMARY_COLUMNS: dict[str, str] = {
    "agency": "string",
    "agency_kind": "string",
    "organisation": "string",
    "contacts": "Int64",
    "child_seen": "Int64",  # recorded, or read from a blank cell's row (`review.sightings.seen_mask`)
    "child_seen_read": "Int64",  # of those, read from the row (no Child seen recorded)
    "concerns_recorded": "Int64",
    "escalations_made": "Int64",
}

# ---------------------------------------------------------------------------------------------------
# Small numpy helpers. The timeline is built on numpy arrays of a table sorted by case: one call may
# hold one case of a hundred rows (called 10,000 times) or a million rows, and both must be quick.
# ---------------------------------------------------------------------------------------------------
_BIG = np.iinfo("int64").max


def _conform(frame: pd.DataFrame, columns: dict[str, str]) -> pd.DataFrame:
    """`schema.conform`, casting only the columns that need it (most already have the contract's dtype)."""
    dtypes = frame.dtypes.to_dict()
    needs = {
        name: dtype for name, dtype in columns.items()
        if name not in dtypes or str(dtypes[name]) != dtype or (dtype == "string" and _has_na(frame[name]))
    }
    if needs:
        frame = conform(frame, needs)
    ordered = list(columns) + [c for c in frame.columns if c not in columns]
    return frame if list(frame.columns) == ordered else frame[ordered]


def _has_na(series: pd.Series) -> bool:
    arrow = getattr(series.array, "_pa_array", None)  # Arrow-backed strings know their null count
    return bool(arrow.null_count) if arrow is not None else bool(series.hasnans)


def _days_of(dates: pd.Series) -> np.ndarray:
    """Calendar days (datetime64[D], NaT kept)."""
    return dates.to_numpy(dtype="datetime64[ns]").astype("datetime64[D]")


def _strings(frame: pd.DataFrame, name: str) -> np.ndarray:
    return frame[name].to_numpy(dtype=object, na_value="")


def _case_starts(case_ids: np.ndarray) -> np.ndarray:
    """For each row of a table sorted by case, the position of its case's first row."""
    n = len(case_ids)
    if n == 0:
        return np.zeros(0, dtype="int64")
    new = np.ones(n, dtype=bool)
    new[1:] = case_ids[1:] != case_ids[:-1]
    starts = np.flatnonzero(new)
    return np.repeat(starts, np.diff(np.append(starts, n)))


def _last_where(flag: np.ndarray, starts: np.ndarray, *, inclusive: bool) -> np.ndarray:
    """Position of the last row at (inclusive) or before each row, in the same case, where `flag`; -1 if none."""
    n = len(flag)
    pos = np.where(flag, np.arange(n), -1)
    if not inclusive:
        pos = np.concatenate([[-1], pos[:-1]]) if n else pos
    last = np.maximum.accumulate(pos) if n else pos
    return np.where(last >= starts, last, -1)


def _take_arrow(series: pd.Series, rows: np.ndarray) -> pa.Array:
    """The values of a text column at positions `rows` (ascending), NA as "", as one Arrow string array.

    An Arrow-backed column of several chunks (as read from a store of several part files) is taken chunk
    by chunk: Arrow's take on a chunked array first concatenates the chunks, a copy of the whole column,
    which dwarfs taking a few thousand rows."""
    arrow = getattr(series.array, "_pa_array", None)
    if not isinstance(arrow, pa.ChunkedArray) or not pa.types.is_large_string(arrow.type):
        return pa.array(series.iloc[rows].to_numpy(dtype=object, na_value=""), type=pa.large_string())
    bounds = np.cumsum([0] + [len(chunk) for chunk in arrow.chunks])
    cuts = np.searchsorted(rows, bounds)
    parts = [chunk.take(pa.array(rows[cuts[i]:cuts[i + 1]] - bounds[i]))
             for i, chunk in enumerate(arrow.chunks) if cuts[i + 1] > cuts[i]]
    taken = pa.concat_arrays(parts) if parts else pa.array([], type=arrow.type)
    return pc.fill_null(taken, "") if taken.null_count else taken


def _take_strings(series: pd.Series, rows: np.ndarray) -> np.ndarray:
    """`_take_arrow` as an object array of str (what ``series.iloc[rows].to_numpy(object, na_value="")`` gives)."""
    return np.asarray(_take_arrow(series, rows).to_numpy(zero_copy_only=False), dtype=object)


def _string_array(labels, codes: np.ndarray) -> pd.arrays.ArrowStringArray:
    """labels[codes] as a nullable string array, built by Arrow (no per-row Python objects)."""
    return pd.arrays.ArrowStringArray(pa.array(list(labels), type=pa.large_string()).take(pa.array(codes)))


def _float_days(later: np.ndarray, earlier: np.ndarray) -> pd.arrays.FloatingArray:
    diff = (later - earlier).astype("float64") if len(later) else np.zeros(0)
    missing = np.isnat(later) | np.isnat(earlier)
    return pd.arrays.FloatingArray(np.where(missing, 0.0, diff), missing)


_SMALL = 5000  # below this many rows, object arrays beat Arrow-backed string operations


def _codes(series: pd.Series, *, sort: bool = True) -> tuple[np.ndarray, np.ndarray]:
    """(codes, uniques) of a text column, blanks for NA; with `sort`, codes follow code-point order."""
    if len(series) < _SMALL:
        return pd.factorize(series.to_numpy(dtype=object, na_value=""), sort=sort)
    codes, uniques = _factorize(series, sort=sort)
    return codes, _derived(series, sort, "objects", _object_uniques, uniques)


def _object_uniques(uniques) -> np.ndarray:
    out = np.asarray(uniques, dtype=object)
    out.flags.writeable = False  # shared by every caller of `_codes` on the same column
    return out


def _arrow_uniques(series: pd.Series, *, sort: bool = False, uniques=None) -> pa.Array:
    """The uniques of `_codes(series, sort=sort)` as an Arrow large_string array, in the same order:
    straight from the factorisation's own Arrow array when it has one (no Python string made), so that a
    text search over every distinct text of a column (`review.rules.base._rows_matching`) does not turn a
    million Python strings back into Arrow."""
    if len(series) < _SMALL:
        return pa.array(_codes(series, sort=sort)[1], type=pa.large_string())
    return _derived(series, sort, "arrow", _uniques_as_arrow, uniques)


def _uniques_as_arrow(uniques) -> pa.Array:
    arrow = getattr(getattr(uniques, "array", None), "_pa_array", None)
    if isinstance(arrow, pa.ChunkedArray) and not arrow.null_count and pa.types.is_large_string(arrow.type):
        return arrow.chunk(0) if arrow.num_chunks == 1 else arrow.combine_chunks()
    return pa.array(np.asarray(uniques, dtype=object), type=pa.large_string())


def _derived(series: pd.Series, sort: bool, name: str, make, uniques=None):
    """`make(uniques)` of `_factorize(series, sort=sort)` (`uniques`, when the caller has them already: a
    column with no Arrow array is not factorised again), made once while the column's Arrow array lives
    (kept with its `_FACTORISED` entry; made afresh each call for a column with no Arrow array)."""
    if uniques is None:
        _, uniques = _factorize(series, sort=sort)
    arrow = getattr(series.array, "_pa_array", None)
    entry = _FACTORISED.get((id(arrow), sort)) if isinstance(arrow, pa.ChunkedArray) else None
    if entry is None or entry[0]() is not arrow:
        return make(uniques)
    if name not in entry[2]:
        entry[2][name] = make(uniques)
    return entry[2][name]


def _factorize(series: pd.Series, *, sort: bool = False) -> tuple[np.ndarray, pd.api.extensions.ExtensionArray]:
    """``series.fillna("").factorize(sort=sort)``. A column in long runs of one value (a sorted table's
    case ids, date precisions, mostly blank texts) is factorised by its run heads only: comparing
    neighbours is several times cheaper than hashing every string, every distinct value heads some run
    and in the same first-appearance order, so codes and uniques are the same.

    An Arrow-backed column is factorised once while its Arrow array lives (`_FACTORISED`): the timeline's
    text columns are the contact table's own arrays, and the rule engine factorises several of the same
    columns again. The codes are shared, so they are read-only."""
    arrow = getattr(series.array, "_pa_array", None)
    if isinstance(arrow, pa.ChunkedArray):
        entry = _FACTORISED.get((id(arrow), sort))
        if entry is not None and entry[0]() is arrow:
            return entry[1]
    starts = _run_starts(series)
    if starts is None and not sort and isinstance(arrow, pa.ChunkedArray) and pa.types.is_large_string(arrow.type) \
            and type(series.array) is pd.arrays.ArrowStringArray:
        codes, uniques = _encode(arrow)
    elif starts is None:
        codes, uniques = series.fillna("").factorize(sort=sort)
    else:
        heads = pd.Series(pd.arrays.ArrowStringArray(_take_arrow(series, starts)))
        head_codes, uniques = heads.factorize(sort=sort)
        codes = np.repeat(head_codes, np.diff(np.append(starts, len(series))))
    if isinstance(arrow, pa.ChunkedArray):
        codes.flags.writeable = False
        key = (id(arrow), sort)
        # the entry goes when the array does (before its id can be reused by another object)
        _FACTORISED[key] = (weakref.ref(arrow, lambda _, key=key: _FACTORISED.pop(key, None)), (codes, uniques), {})
    return codes, uniques


def _encode(arrow: pa.ChunkedArray) -> tuple[np.ndarray, pd.Index]:
    """``Series(arrow).fillna("").factorize()`` (codes in first-appearance order, uniques as a string
    Index) through Arrow's dictionary encoding alone, about half pandas' time on a column of distinct
    texts (real chronologies'), where no run of equal values helps: the chunks of a chunked array share
    one dictionary, in first-appearance order across them."""
    if arrow.null_count:
        arrow = pc.fill_null(arrow, "")
    encoded = arrow.dictionary_encode()
    if encoded.num_chunks == 0:
        return np.zeros(0, dtype=np.intp), pd.Index(pd.arrays.ArrowStringArray(pa.array([], type=arrow.type)))
    codes = np.concatenate([chunk.indices.to_numpy(zero_copy_only=False) for chunk in encoded.chunks]).astype(np.intp)
    dictionary = encoded.chunk(encoded.num_chunks - 1).dictionary
    return codes, pd.Index(pd.arrays.ArrowStringArray(dictionary))


#: `_factorize` results by (id of the Arrow array factorised, sort), each with a weak reference to that
#: array: Arrow arrays are immutable, so the same array has the same codes
_FACTORISED: dict[tuple[int, bool], tuple[weakref.ref, tuple[np.ndarray, object], dict]] = {}


def _run_starts(series: pd.Series, *, probe: int = 4096, most: float = 1 / 8) -> np.ndarray | None:
    """Positions where an Arrow-backed text column's value differs from the previous row's (NA counting as
    ""), or None when the column is not Arrow-backed or more than `most` of its rows start a run (checked
    on its first `probe` rows first, so a column that does not run costs little)."""
    arrow = getattr(series.array, "_pa_array", None)
    if not isinstance(arrow, pa.ChunkedArray) or not pa.types.is_large_string(arrow.type) or len(arrow) < 2:
        return None

    def changes(values) -> pa.ChunkedArray:
        values = pc.fill_null(values, "") if values.null_count else values
        return pc.not_equal(values.slice(1), values.slice(0, len(values) - 1))

    head = arrow.slice(0, probe)
    if pc.sum(changes(head)).as_py() > most * len(head):
        return None
    different = changes(arrow).to_numpy()  # no nulls left
    starts = np.flatnonzero(np.concatenate([[True], different]))
    return starts if len(starts) <= most * len(arrow) else None


def _lookup(series: pd.Series, mapping: dict, default) -> np.ndarray:
    """mapping[value] for each value of a text column (default when absent), via its distinct values."""
    return _map_codes(*_codes(series, sort=False), mapping, default)


def _map_codes(codes: np.ndarray, uniques, mapping: dict, default) -> np.ndarray:
    """`_lookup` of a column already factorised by `_codes`."""
    table = np.array([mapping.get(u, default) for u in uniques] + [default])
    return table[codes]  # code -1 (none here: NA became "") would take the default


def _int_factorize(values: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """(codes, distinct) of int64 values, values == distinct[codes]. Values within a range not much wider
    than their count (ages in months and days) are numbered through a table over that
    range, in ascending order, cheaper than hashing; otherwise pd.factorize (first-appearance order).
    Callers only use distinct[codes], so the numbering does not matter."""
    if len(values) == 0:
        return pd.factorize(values)
    lo, hi = int(values.min()), int(values.max())
    if hi - lo >= max(4 * len(values), 1 << 16):
        return pd.factorize(values)
    offset = values - lo
    seen = np.zeros(hi - lo + 1, dtype=bool)
    seen[offset] = True
    number = np.cumsum(seen) - 1
    return number[offset], np.flatnonzero(seen) + lo


def _int_key(values: np.ndarray, missing: np.ndarray) -> np.ndarray:
    """int64 sort key with missing values last."""
    return np.where(missing, _BIG, values)


# ---------------------------------------------------------------------------------------------------
# Sorting
# ---------------------------------------------------------------------------------------------------
SORT_KEYS = (
    "case_id", "date", "date_precision", "sequence", "agency", "source_file", "source_sheet", "source_row",
    "event_id", "contact_type", "description", "action", "analysis",
)


def chronology_order(contacts: pd.DataFrame) -> np.ndarray:
    """Positions that put `contacts` (CONTACT_COLUMNS) in chronology order.

    Keys: case_id, date (undated last), precision rank (day < approximate < month < year), sequence
    (blank last), agency, source_file, source_sheet, source_row, then event_id and the verbatim text as
    tie-breakers, so that even duplicated provenance sorts the same way whatever the input order.

    A partial date is placed at its period's start (its `date`), so the timeline stays in date order. (s21) Its
    precision rank is that of its file's (and sheet's) most precise row dated the same in its case
    (`_file_ranks`): a file's rows on one date keep the file's own order ("Mar 2007" above "01/03/2007" in the
    health visitor's file stays above it), while another file's exact rows of that day still come before a file
    with only partial ones.
    """
    return _chronology_order(contacts)[0]


def _chronology_order(contacts: pd.DataFrame) -> tuple[np.ndarray, dict]:
    """`chronology_order`, and the `_codes` factorisations of case_id, date_precision and agency it made
    (codes in the input's row order; case_id and agency codes in code-point order), for `build_timeline`
    to reuse."""
    n = len(contacts)
    factorised = {name: _codes(contacts[name], sort=name != "date_precision")
                  for name in ("case_id", "date_precision", "agency")}
    if n == 0:
        return np.zeros(0, dtype="int64"), factorised
    date = contacts["date"].to_numpy(dtype="datetime64[ns]")
    sequence = contacts["sequence"].astype("Int64")
    source_row = contacts["source_row"].astype("Int64")
    leading = [
        factorised["case_id"][0],
        _int_key(date.view("int64"), np.isnat(date)),
        _file_ranks(contacts, factorised["case_id"][0], date,
                    _map_codes(*factorised["date_precision"], PRECISION_RANK, len(PRECISION_RANK))),
        _int_key(sequence.to_numpy(dtype="int64", na_value=0), sequence.isna().to_numpy()),
        factorised["agency"][0],
    ]
    row_key = _int_key(source_row.to_numpy(dtype="int64", na_value=0), source_row.isna().to_numpy())
    same = _ordered_ties(contacts, leading, row_key)
    if same is not None:  # already in order (a store's contacts are): no sort, and no factorising of
        order = np.arange(n)  # the source columns (a stable sort of sorted keys is the identity)
        run = np.concatenate([[0], np.cumsum(~same)])  # rows equal on every key share a run number
        primary = [run]  # ascending with the keys: orders the tied rows as the keys themselves would
    else:
        primary = [*leading, _codes(contacts["source_file"])[0], _codes(contacts["source_sheet"])[0], row_key]
        words = _packed(primary)
        order = np.argsort(words[0], kind="stable") if len(words) == 1 else np.lexsort(words[::-1])
        # Tie-breakers (event_id, then the text) are only needed where the provenance keys tie: sort those
        # rows alone (the ties are contiguous runs, so the subset keeps its places).
        # Neighbours equal on every key are neighbours with equal packed words (the packing is one-to-one).
        # With one word (the usual case) that is one comparison; with several, narrow word by word.
        in_order = words[0][order]
        candidates = np.flatnonzero(in_order[1:] == in_order[:-1])
        for word in words[1:]:
            candidates = candidates[word[order[candidates + 1]] == word[order[candidates]]]
        same = np.zeros(n - 1, dtype=bool)
        same[candidates] = True
    tied = np.zeros(n, dtype=bool)
    tied[1:] |= same
    tied[:-1] |= same
    if tied.any():
        rows = order[tied]
        keys = [k[rows] for k in primary] + [_codes(contacts[name].iloc[rows])[0] for name in SORT_KEYS[8:]]
        order[tied] = rows[np.lexsort(keys[::-1])]
    return order, factorised


def _file_ranks(contacts: pd.DataFrame, case: np.ndarray, date: np.ndarray, rank: np.ndarray) -> np.ndarray:
    """(s21) Per row, the lowest precision `rank` among the rows of its case, date, source_file and source_sheet
    (NA read as ""): rows of one file on one date share a rank, so the file's own order (sequence, source_row)
    orders them, a partial date among the exact ones of its period's first day as the file has it. Only the rows
    dated as some partial-dated row are grouped (usually few: `rank` as it is otherwise)."""
    partial = (rank > 0) & ~np.isnat(date)
    if not partial.any():
        return rank
    stamp = date.view("int64")
    # the rows dated as a partial row (a binary search among those few dates: NaT's stamp is none of them)
    wanted = np.unique(stamp[partial])
    where = np.minimum(np.searchsorted(wanted, stamp), len(wanted) - 1)
    at = np.flatnonzero(wanted[where] == stamp)
    if (rank[at] == rank[at[0]]).all():  # one precision on those dates: nothing to share
        return rank
    codes = {name: pd.factorize(contacts[name].iloc[at].astype(object).fillna("").to_numpy(dtype=object))[0]
             for name in ("source_file", "source_sheet")}
    group = pd.DataFrame({"case": case[at], "date": stamp[at], **codes, "rank": rank[at]})
    out = rank.copy()
    out[at] = group.groupby(["case", "date", "source_file", "source_sheet"], sort=False)["rank"].transform(
        "min").to_numpy(dtype=rank.dtype)
    return out


def _ordered_ties(contacts: pd.DataFrame, leading: list[np.ndarray], row_key: np.ndarray) -> np.ndarray | None:
    """For contacts already in order on the sort keys (`leading`, then source_file, source_sheet in
    code-point order, NA as "", then `row_key`): whether each row equals the next on all of them; None
    when some row sorts before its predecessor.

    Neighbours are compared key by key, a later key only where the earlier ones tie (few rows): the
    source texts are compared as strings at those rows alone, never factorised over the whole table.
    """
    n = len(row_key)
    equal = np.ones(n - 1, dtype=bool)
    for key in leading:  # primary key first
        if (equal & (key[1:] < key[:-1])).any():
            return None
        equal &= key[1:] == key[:-1]
    at = np.flatnonzero(equal)  # ascending, and so is at + 1
    for name in ("source_file", "source_sheet"):
        if not len(at):
            break
        # binary (UTF-8) order of the texts is their code-point order, that of `_codes(sort=True)`
        before, after = _take_arrow(contacts[name], at), _take_arrow(contacts[name], at + 1)
        if pc.any(pc.less(after, before)).as_py():
            return None
        at = at[pc.equal(after, before).to_numpy(zero_copy_only=False)]
    if len(at) and (row_key[at + 1] < row_key[at]).any():
        return None
    same = np.zeros(n - 1, dtype=bool)
    same[at[row_key[at + 1] == row_key[at]]] = True
    return same


def _dense(key: np.ndarray) -> tuple[np.ndarray, int]:
    """An int64 sort key as non-negative values in the same order, and their bit width (64: left as is).

    Missing (_BIG) becomes one past the largest value. Timestamps that are all whole days, minutes or
    seconds are counted in that unit, so a date range of decades needs ~14-30 bits, not 60."""
    missing = key == _BIG
    any_missing = bool(missing.any())
    present = key[~missing] if any_missing else key
    if not len(present):
        return np.zeros(len(key), dtype="int64"), 1
    lo, hi = int(present.min()), int(present.max())
    if hi - lo >= 2**62:
        return key, 64
    for unit in (86_400 * 10**9, 60 * 10**9, 10**9):
        if hi - lo >= 2**40 and not ((present - lo) % unit).any():
            key, present = (key - lo) // unit, None
            lo, hi = 0, (hi - lo) // unit
            break
    values = key - lo
    if any_missing:
        values = np.where(missing, hi + 1 - lo, values)
    return values, (hi + 1 - lo).bit_length()


def _packed(keys: list[np.ndarray]) -> list[np.ndarray]:
    """Sort keys (most significant first) packed into as few int64 words as their value ranges allow:
    sorting the words orders the rows exactly as `np.lexsort(keys[::-1])`, with one stable argsort instead
    of one pass per key (case, date and the provenance keys usually fit in one word)."""
    words, word, used = [], None, 0
    for key in keys:
        values, bits = _dense(key)
        if word is not None and used + bits <= 62:
            word, used = (word << bits) | values, used + bits
        else:
            if word is not None:
                words.append(word)
            word, used = values, bits
    words.append(word)
    return words


def sort_contacts(contacts: pd.DataFrame) -> pd.DataFrame:
    """Contacts in chronology order (see `chronology_order`), index reset."""
    contacts = _conform(contacts, CONTACT_COLUMNS)
    return _in_order(contacts, chronology_order(contacts))


def _in_order(frame: pd.DataFrame, order: np.ndarray) -> pd.DataFrame:
    """frame.take(order) with the index reset; a table already in that order (the case store keeps its
    contacts in chronology order) is not copied."""
    if not _is_identity(order):
        frame = frame.take(order)
    return frame.reset_index(drop=True)


def _is_identity(order: np.ndarray) -> bool:
    return not (len(order) and (order[0] != 0 or (np.diff(order) != 1).any()))


# ---------------------------------------------------------------------------------------------------
# Age and mobility
# ---------------------------------------------------------------------------------------------------
def child_ages(days: np.ndarray, dob) -> tuple[pd.arrays.IntegerArray, np.ndarray]:
    """(age_days, age_display) for calendar days (datetime64[D], NaT allowed), from the date of birth
    (a date, or a datetime64[D] array with one date of birth per row).

    age_display is calendar months and days ("7m 12d", "0m 5d"); from 12 months it is "1y 2m 3d".
    A month is counted on the day-of-month of birth, clamped to the month's last day (a child born on
    31 January is a month old on 28/29 February). Dates before birth give negative age_days and a display
    of days before birth ("-45d"): antenatal contacts are kept. Partial dates (month, year) are aged
    from the first day of their period. Undated rows: <NA> and "".
    """
    dob = np.asarray(dob, dtype="datetime64[D]")
    if dob.ndim == 0:
        return _ages(days, dob.reshape(1), np.zeros(len(days), dtype="intp"))
    return _ages(days, dob, np.arange(len(days)))


def _ages(days: np.ndarray, birth: np.ndarray, which: np.ndarray) -> tuple[pd.arrays.IntegerArray, np.ndarray]:
    """`child_ages` with the dates of birth given once per case: row i is born on birth[which[i]].

    Works on int64 day numbers. The birth-side quantities are computed once per case; each row needs one
    datetime64 cast (its month) and a few gathers from a table of the first day of each month in range,
    instead of a dozen full-length datetime64 temporaries.
    """
    n = len(days)
    birth_nat = np.isnat(birth)
    b_day = np.where(birth_nat, np.datetime64("2000-01-01", "D"), birth)  # any date: those rows are invalid
    b_month = b_day.astype("datetime64[M]")
    b_dom = (b_day - b_month.astype("datetime64[D]")).astype("int64")  # 0-based day of month
    b_day, b_month = b_day.astype("int64"), b_month.astype("int64")
    valid = ~np.isnat(days)
    if birth_nat.any():
        valid &= ~birth_nat[which]
    all_valid = bool(valid.all())
    day = days.astype("int64") if all_valid else np.where(valid, days.astype("int64"), b_day[which])
    month = day.astype("datetime64[D]").astype("datetime64[M]").astype("int64")
    if n == 0:
        return pd.arrays.IntegerArray(np.zeros(0, dtype="int64"), np.zeros(0, dtype=bool)), _string_array([], month)
    # first day (day number) of each month from the earliest birth month to the month after the latest row
    lo = int(min(month.min(), b_month.min()))
    hi = int(max(month.max(), b_month.max())) + 1
    month_start = np.arange(lo, hi + 1).astype("datetime64[M]").astype("datetime64[D]").astype("int64")
    bm = b_month[which]
    # completed months: calendar months between the birth month and this month, less one when this
    # day of month is before the birth day of month clamped to this month's last day (all 0-based): born
    # on 31 January, a month old on 28 February
    months = month - bm
    this_start = month_start[month - lo]
    last_dom = month_start[month - lo + 1] - this_start - 1
    months -= (day - this_start) < np.minimum(b_dom[which], last_dom)
    np.maximum(months, 0, out=months)
    # the last monthly anniversary on or before the day: the birth day of month in month bm + months,
    # clamped to that month's last day
    ann = bm
    ann += months
    ann -= lo
    first = month_start[ann]
    length = month_start[ann + 1]
    length -= first
    length -= 1  # last 0-based day of that month
    np.minimum(length, b_dom[which], out=length)
    rest = day - first
    rest -= length
    age = day - b_day[which]
    # few distinct ages: format each once
    key = months
    key *= 1000
    key += rest
    np.copyto(key, age - 2, where=age < 0)
    if not all_valid:
        key[~valid] = -1
        age[~valid] = 0
    inverse, distinct = _int_factorize(key)
    labels = np.empty(len(distinct), dtype=object)
    for i, k in enumerate(distinct.tolist()):
        if k == -1:
            labels[i] = ""
        elif k < -1:
            labels[i] = f"{k + 2}d"
        else:
            total_months, d = divmod(k, 1000)
            y, m = divmod(total_months, 12)
            labels[i] = f"{y}y {m}m {d}d" if y else f"{m}m {d}d"
    return pd.arrays.IntegerArray(age, ~valid), _string_array(labels, inverse.reshape(-1))


#: precisions whose date is the first day of a period the contact lies somewhere in
_PERIOD_PRECISIONS = {"month": ("datetime64[M]", 1), "season": ("datetime64[M]", 3), "year": ("datetime64[Y]", 1)}


def _partial_date_ages(display, precision: pd.Series, days: np.ndarray, birth: np.ndarray, which: np.ndarray):
    """`age_display` with the age of a row dated only to its month or year given as the range over that
    period ("9m 18d–10m 17d" for "Mar 2023"; "9m 18d–1y 9m 17d" for "2023"), not as the age on its first
    day alone, which would read as exact. age_days stays the first day's (what the rules order by)."""
    out = None
    values = precision.to_numpy(dtype=object, na_value="")
    for name, (unit, count) in _PERIOD_PRECISIONS.items():
        rows = np.flatnonzero(values == name)
        if not len(rows):
            continue
        first = days[rows]
        last = ((first.astype(unit) + count).astype("datetime64[D]") - 1).astype("datetime64[D]")
        last = np.where(np.isnat(first), first, last)
        _, end = _ages(last, birth, which[rows])
        if out is None:
            out = np.asarray(display, dtype=object).copy()
        for k, (start, stop) in enumerate(zip(out[rows].tolist(), np.asarray(end, dtype=object).tolist())):
            if isinstance(start, str) and isinstance(stop, str) and start and stop and start != stop:
                out[rows[k]] = f"{start}–{stop}"
    if out is None:
        return display
    return pd.array(out, dtype=display.dtype)


#: how an approximate date's age is shown: "c. " before it, to the month for a date known about to its month
APPROXIMATE_AGE = "c. "


def _approximate_ages(display, precision: pd.Series, text: pd.Series | None):
    """`age_display` with the age of a row dated approximately shown as approximate: "c. 1y 2m" for a
    date known about to its month ("c. May 2024", "early May 2024": `review.ingest.dates.approximate_unit`
    of its date as written), "c. 1y 2m 17d" for an approximate day ("c. 17/05/2024", "w/c 13/5/24"), not
    an exact "1y 2m 17d" (as a month-only date shows a range). Under a month old the days stay
    ("c. 0m 17d"); before birth "c. -45d". age_days stays the date's (what the rules order by). One
    reading per distinct date as written."""
    values = precision.to_numpy(dtype=object, na_value="")
    rows = np.flatnonzero(values == "approximate")
    if not len(rows):
        return display
    from .ingest.dates import approximate_unit

    out = np.asarray(display, dtype=object).copy()
    written = (text.to_numpy(dtype=object, na_value="")[rows] if text is not None
               else np.full(len(rows), "", dtype=object))
    codes, uniques = pd.factorize(pd.Series(written, dtype=object).fillna("").astype(str))
    to_month = np.array([approximate_unit(t) in ("month", "year") for t in uniques], dtype=bool)[codes] \
        if len(uniques) else np.zeros(len(rows), dtype=bool)
    ages = pd.Series(out[rows], dtype=object).fillna("").astype(str)
    keys, distinct = pd.factorize(ages + np.where(to_month, "\x1fm", "\x1fd"))
    shown = []
    for key in distinct.tolist():  # one formatting per distinct (age, unit)
        age, unit = key.rsplit("\x1f", 1)
        if not age or age.startswith(APPROXIMATE_AGE):
            shown.append(age)
            continue
        if unit == "m" and "–" not in age:
            parts = age.split(" ")
            if len(parts) >= 2 and parts[-1].endswith("d") and not (parts[-2] == "0m" and len(parts) == 2):
                age = " ".join(parts[:-1])  # "1y 2m 17d" -> "1y 2m"; "0m 17d" kept
        shown.append(APPROXIMATE_AGE + age)
    out[rows] = np.array(shown, dtype=object)[keys]
    return pd.array(out, dtype=display.dtype)


def mobility_threshold(case) -> np.datetime64:
    """The first day the child counts as mobile: case.mobile_from, else DEFAULT_NONMOBILE_MONTHS of age."""
    if getattr(case, "mobile_from", None):
        return np.datetime64(pd.Timestamp(case.mobile_from).date(), "D")
    threshold = pd.Timestamp(case.date_of_birth) + pd.DateOffset(months=DEFAULT_NONMOBILE_MONTHS)
    return np.datetime64(threshold.date(), "D")


def _config(case):
    """A CaseConfig from a CaseConfig or a review.pipeline.Case."""
    return getattr(case, "config", case)


def _case_dates(case, case_uniques) -> dict[str, np.ndarray]:
    """Per distinct case_id (in `case_uniques` order): date_of_birth, mobile_from (the mobility threshold)
    and review_end (the date of death or the review date, whichever is earlier; NaT when neither) as
    datetime64[D] arrays.

    `case` is one CaseConfig (or Case) for every row, or a mapping case_id -> CaseConfig for a table of
    several cases; a case_id missing from the mapping raises KeyError.
    """
    nat = np.datetime64("NaT", "D")

    def day(value):
        return np.datetime64(value, "D") if value else nat

    def dates(config) -> tuple:
        ends = [d for d in (config.date_of_death, config.review_date) if d]
        return (day(config.date_of_birth), mobility_threshold(config), day(min(ends) if ends else None),
                bool(getattr(config, "mobile_from", None)),
                child_identity(getattr(config, "child_name", None), getattr(config, "child_sex", None),
                               getattr(config, "people", None)))

    if isinstance(case, CaseDates):
        return case.take(case_uniques)
    if isinstance(case, dict):
        rows = [dates(_config(case[c])) for c in case_uniques]
    else:
        rows = [dates(_config(case))] * len(case_uniques)
    columns = list(zip(*rows)) if rows else [(), (), (), (), ()]
    out = {name: np.array(values, dtype="datetime64[D]")
           for name, values in zip(("date_of_birth", "mobile_from", "review_end"), columns)}
    out["mobile_from_given"] = np.array(columns[3], dtype=bool)  # case.yml mobile_from (it wins over records)
    out["child"] = _identities(columns[4])  # (given name, sex, adults): whose report is the child's (`recorded_mobility`)
    return out


def _people_of(text) -> dict:
    from .store import people_of

    return people_of(text) if isinstance(text, str) else {}


def _identities(values) -> np.ndarray:
    """An object array of `review.mobility.child_identity` tuples (not split into a 2-d array)."""
    out = np.empty(len(values), dtype=object)
    for i, v in enumerate(values):
        out[i] = v
    return out


class CaseDates:
    """The per-case dates `build_timeline` needs, held as arrays: a vectorised stand-in for a mapping
    case_id -> CaseConfig when the cases come as a table (`review.store.timeline_many`), giving exactly
    what `_case_dates` computes from ``store.case_configs(cases)`` without building a CaseConfig and
    converting its dates one case at a time.
    """

    def __init__(self, cases: pd.DataFrame):
        # case_configs keys by str(case_id), a later row replacing an earlier one with the same id
        ids = pd.Index([str(c) for c in cases["case_id"]])
        keep = ~ids.duplicated(keep="last")
        self._ids = ids[keep]
        nat = np.full(int(keep.sum()), np.datetime64("NaT"), dtype="datetime64[D]")

        def day(column: str) -> np.ndarray:
            # case_configs: pd.to_datetime(...) then Timestamp.date() (the wall-clock date of a
            # tz-aware value), NaT -> None; a missing column -> None
            if column not in cases:
                return nat
            values = pd.to_datetime(cases[column])
            if getattr(values.dt, "tz", None) is not None:
                values = values.dt.tz_localize(None)
            return values.to_numpy()[keep].astype("datetime64[D]")  # datetime casts floor

        dob, mobile_from = day("date_of_birth"), day("mobile_from")
        death, review = day("date_of_death"), day("review_date")
        # mobility_threshold: mobile_from, else date of birth + DEFAULT_NONMOBILE_MONTHS calendar months,
        # the day of month clamped to the target month's last day (as pd.DateOffset(months=...))
        birth_month = dob.astype("datetime64[M]")
        day_of_month = (dob - birth_month.astype("datetime64[D]")).astype("int64")  # 0-based
        month = birth_month + np.timedelta64(DEFAULT_NONMOBILE_MONTHS, "M")
        first = month.astype("datetime64[D]")
        last = (month + np.timedelta64(1, "M")).astype("datetime64[D]") - np.timedelta64(1, "D")
        threshold = first + np.minimum(day_of_month, (last - first).astype("int64")).astype("timedelta64[D]")
        threshold[np.isnat(dob)] = np.datetime64("NaT")
        # cases without a date of birth or mobile_from: mobility_threshold fails on them (see `take`)
        self._no_threshold = np.isnat(dob) & np.isnat(mobile_from)
        # the case's own vocab.yml as the store keeps it (JSON, "" for none; no column in older stores)
        texts = cases["vocab"].to_numpy(dtype=object)[keep] if "vocab" in cases else np.full(len(self._ids), "")
        self._vocab_texts = texts
        # the child's given name (`review.sightings.given_name`; none in older stores): in the key, as
        # `review.rules.base.case_vocab_key` puts case.yml's child_name
        self._given_names = (cases["child_given_name"].to_numpy(dtype=object)[keep] if "child_given_name" in cases
                             else np.full(len(self._ids), None, dtype=object))
        self._vocab_keys: dict = {}
        self._dates = {
            "date_of_birth": dob,
            "mobile_from": np.where(np.isnat(mobile_from), threshold, mobile_from),
            # the earlier of the two when both are known (np.fmin ignores NaT, as min of the known dates)
            "review_end": np.fmin(death, review),
            "mobile_from_given": ~np.isnat(mobile_from),  # case.yml mobile_from (it wins over records)
            # (given name, sex, adults), as `_case_dates` reads case.yml child_name, child_sex and people (the
            # store's people: `review.store.people_of`)
            "child": _identities([child_identity(n, x if isinstance(x, str) else None, _people_of(w)) for n, x, w in zip(
                self._given_names, cases["child_sex"].to_numpy(dtype=object)[keep] if "child_sex" in cases
                else np.full(len(self._ids), None, dtype=object),
                cases["people"].to_numpy(dtype=object)[keep] if "people" in cases
                else np.full(len(self._ids), None, dtype=object))]),
        }

    def vocab_keys(self, case_uniques) -> np.ndarray:
        """Per case id, the `review.rules.base.vocab_key` of its vocab.yml (as `store.case_configs` gives its
        CaseConfig's ``vocab``); KeyError for one missing from the table."""
        from .rules.base import vocab_key
        from .sightings import with_child_names

        at = self._ids.get_indexer(pd.Index([str(c) for c in case_uniques], dtype=object))
        if (at < 0).any():
            raise KeyError(case_uniques[int(np.flatnonzero(at < 0)[0])])
        out = np.full(len(at), "", dtype=object)
        for i, (text, name) in enumerate(zip(self._vocab_texts[at], self._given_names[at])):
            text = "" if pd.isna(text) else str(text)  # NA / NaN: none
            name = name if isinstance(name, str) else ""
            if (text, name) not in self._vocab_keys:
                self._vocab_keys[(text, name)] = with_child_names(vocab_key(json.loads(text)) if text else "", name)
            out[i] = self._vocab_keys[(text, name)]
        return out

    def take(self, case_uniques) -> dict[str, np.ndarray]:
        """`_case_dates` for these case ids (KeyError for one missing from the table)."""
        at = self._ids.get_indexer(pd.Index([str(c) for c in case_uniques], dtype=object))
        if (at < 0).any():
            raise KeyError(case_uniques[int(np.flatnonzero(at < 0)[0])])
        if self._no_threshold[at].any():  # fail exactly as the CaseConfig path does
            mobility_threshold(CaseConfig(case_dir=Path("."), case_id="", date_of_birth=None))
        return {name: values[at] for name, values in self._dates.items()}


def child_mobile(days: np.ndarray, threshold, precision: pd.Series | None = None, *,
                 approximate_span_days: int = APPROXIMATE_SPAN_DAYS) -> pd.arrays.BooleanArray:
    """Was the child mobile (on or after `threshold`, `mobility_threshold`: one day, or one per row) on
    each row's day (`days`: datetime64, NaT for none): NA when the day is unknown, and when the row's date
    is a period the child became mobile in, not the mobility of its recorded day: a month or a year
    ("Jul 2023", mobile from 15 July: mobile on some of its days, not on others; False before), or an
    approximate date ("c. 12/07/2023", "mid July 2023": the period [day - `approximate_span_days`,
    day + `approximate_span_days`], as the rules read it, `review.rules.base` ``approximate_span_days``).
    `build_timeline` and `review.rules.testing.make_timeline` both call it."""
    days = np.asarray(days).astype("datetime64[D]")
    threshold = np.broadcast_to(np.asarray(threshold).astype("datetime64[D]"), days.shape)
    valid = ~np.isnat(days)
    unknown = ~valid
    if precision is not None:
        codes, uniques = _codes(precision, sort=False)  # the timeline's own factorisation (cached)
        uniques = list(uniques)
        for name in (*_PERIOD_PRECISIONS, "approximate"):
            if name not in uniques:
                continue
            rows = np.flatnonzero((codes == uniques.index(name)) & valid)
            if not len(rows):
                continue
            if name == "approximate":
                span = np.timedelta64(int(approximate_span_days), "D")
                first, last = days[rows] - span, days[rows] + span
            else:
                unit, count = _PERIOD_PRECISIONS[name]
                period = days[rows].astype(unit)
                first = period.astype("datetime64[D]")
                last = (period + count).astype("datetime64[D]") - np.timedelta64(1, "D")
            limit = threshold[rows]
            unknown[rows] |= (first < limit) & (limit <= last)  # (NaT threshold: never)
    return pd.arrays.BooleanArray(valid & (days >= threshold) & ~unknown, unknown)


def recorded_mobility(description: pd.Series, action: pd.Series, children=None) -> np.ndarray:
    """Per row, what its description and action state about the child's mobility
    (`review.mobility.row_statement`: 1 mobile, -1 not mobile, 0 nothing), read once per distinct
    (description, action) pair. `children`: per row, its case's `review.mobility.child_identity` (None: no
    child known), whose report after another person is the child's ("Mum says he is crawling"): a text with
    such a report is read again once per distinct (text, child)."""
    n = len(description)
    if not n:
        return np.zeros(0, dtype="int8")
    # per distinct text, and only those naming a milestone word at all (one RE2 search over the distinct
    # texts, as Arrow strings straight from the timeline's factorisation: no Python string but the
    # candidates'): a pair states what its texts state
    d_codes, _ = _factorize(description, sort=False) if len(description) >= _SMALL else _codes(description, sort=False)
    a_codes, _ = _factorize(action, sort=False) if len(action) >= _SMALL else _codes(action, sort=False)
    d_uniques, a_uniques = _arrow_uniques(description, sort=False), _arrow_uniques(action, sort=False)
    d = _statements(d_uniques)[d_codes]
    a = _statements(a_uniques)[a_codes]
    if children is not None:
        d = _child_statements(d, d_codes, d_uniques, children)
        a = _child_statements(a, a_codes, a_uniques, children)
    return np.where((d == MOBILE) | (a == MOBILE), MOBILE,
                    np.where((d == NOT_MOBILE) | (a == NOT_MOBILE), NOT_MOBILE, NO_STATEMENT)).astype("int8")


def _child_statements(statements: np.ndarray, codes: np.ndarray, uniques, children) -> np.ndarray:
    """`statements` (per row) with the rows whose text reports the words of another person (`review.mobility`
    ``REPORTED_PATTERN``) read again with their case's child (`children`, per row), each distinct (text,
    child) once."""
    from .mobility import REPORTED_PATTERN

    if not len(uniques):
        return statements
    texts = uniques if isinstance(uniques, (pa.Array, pa.ChunkedArray)) else \
        pa.array([str(t) for t in uniques], type=pa.large_string())
    if not (isinstance(children, np.ndarray) and children.ndim == 1):  # a list of tuples: not a 2-d array
        children = _identities(list(children))
    # another person's report; or (s18) a case's adult named by her given name ("Sian not mobile since her
    # operation", case.yml people), which the reading with the case's child takes as another person
    names = sorted({n for c in set(children.tolist()) if c is not None and len(c) > 2 for n in c[2]})  # per case
    # (the names as substrings: RE2's \\b is ASCII-only, and a wider search only reads a few more texts again)
    pattern = REPORTED_PATTERN if not names else \
        rf"(?:{REPORTED_PATTERN})|(?:{'|'.join(re.escape(n) for n in names)})"
    found = pc.match_substring_regex(texts, pattern, ignore_case=True)
    found = np.asarray(found.to_numpy(zero_copy_only=False) if isinstance(found, pa.Array)
                       else found.combine_chunks().to_numpy(zero_copy_only=False), dtype=object)
    hit = np.append(found == True, False)  # noqa: E712 (nulls are None); code -1 (NA): none
    rows = np.flatnonzero(hit[codes] & np.array([c is not None and c != NO_CHILD for c in children], dtype=bool)
                          ) if hit.any() else np.zeros(0, dtype="int64")
    if not len(rows):
        return statements
    out = statements.copy()
    keys = pd.Series(list(zip(codes[rows].tolist(), children[rows].tolist())))
    inverse, distinct = pd.factorize(keys)
    read = np.array([mobility_statement(str(texts[int(code)].as_py() or ""), child) for code, child in distinct],
                    dtype="int8")
    out[rows] = read[inverse]
    return out


def _statements(uniques) -> np.ndarray:
    """`mobility_statement` of each distinct text (an Arrow string array, or Python strings; plus a trailing 0
    for code -1, NA)."""
    out = np.zeros(len(uniques) + 1, dtype="int8")
    if not len(uniques):
        return out
    texts = uniques if isinstance(uniques, (pa.Array, pa.ChunkedArray)) else \
        pa.array([str(t) for t in uniques], type=pa.large_string())
    found = pc.match_substring_regex(texts, ANY_WORD_PATTERN, ignore_case=True)
    candidates = np.flatnonzero(found.to_numpy(zero_copy_only=False) if isinstance(found, pa.Array)
                                else np.asarray(found.combine_chunks().to_numpy(zero_copy_only=False)))
    if len(candidates):
        picked = texts.take(pa.array(candidates)).to_pylist()
        for i, text in zip(candidates.tolist(), picked):
            out[i] = mobility_statement(str(text or ""))
    return out


def recorded_mobility_source(statements: np.ndarray, starts: np.ndarray) -> np.ndarray:
    """Per row (timeline order, `starts`: each row's case's first position), the position of the latest
    row of its case up to and including it that states the child's mobility either way (-1 when none)."""
    n = len(statements)
    if not n:
        return np.zeros(0, dtype="int64")
    last = np.maximum.accumulate(np.where(statements != NO_STATEMENT, np.arange(n), -1))
    return np.where(last >= starts, last, -1)


def child_mobile_recorded(mobile: pd.arrays.BooleanArray, statements: np.ndarray, starts: np.ndarray,
                          days: np.ndarray, mobile_from_given: np.ndarray) -> pd.arrays.BooleanArray:
    """`child_mobile` (by age or case.yml mobile_from) with the records' own words: from a row stating the
    child is not (yet) independently mobile ("not yet rolling or sitting, not independently mobile":
    `recorded_mobility`) the child is not mobile on every dated row of its case until a row states
    mobility ("now crawling"), whatever the age. A statement of mobility only ends such a stretch: a baby
    under the age threshold stays non-mobile by age (bruising protocols apply to every baby that young). A
    case whose case.yml gives ``mobile_from`` keeps it (the reviewers' judgement wins over the records).
    `starts`: each row's case's first position; rows in timeline order."""
    source = recorded_mobility_source(statements, starts)
    recorded = np.zeros(len(statements), dtype=bool)
    has = source >= 0
    recorded[has] = statements[source[has]] == NOT_MOBILE
    recorded &= ~np.asarray(mobile_from_given, dtype=bool) & ~np.isnat(np.asarray(days).astype("datetime64[D]"))
    if not recorded.any():
        return mobile
    values = mobile.to_numpy(dtype=bool, na_value=False).copy()
    mask = mobile.isna().copy() if hasattr(mobile, "isna") else np.zeros(len(values), dtype=bool)
    mask = np.asarray(mask, dtype=bool)
    values[recorded] = False
    mask[recorded] = False
    return pd.arrays.BooleanArray(values, mask)


# ---------------------------------------------------------------------------------------------------
# Linking the same event reported by several agencies
# ---------------------------------------------------------------------------------------------------
def _text_for_linking(description: pd.Series, action: pd.Series, rows: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """For the rows at positions `rows`: the description, or the action where the description is blank
    ("" when both are), as (codes, table): row k's text is table[codes[k]]. Only the pairs compared need
    their strings, so no string array is built per row."""
    if len(rows) < _SMALL:
        d = description.iloc[rows].to_numpy(dtype=object, na_value="")
        a = action.iloc[rows].to_numpy(dtype=object, na_value="")
        texts = np.array([x if x.strip() else (y if y.strip() else "") for x, y in zip(d, a)], dtype=object)
        codes, table = pd.factorize(texts)
        return codes, np.asarray(table, dtype=object)
    # the same Arrow string operations, on the distinct values only (texts repeat a great deal); the whole
    # columns are factorised (cheaper than first gathering the rows' strings), then the rows' codes taken
    d_codes, d_uniques = _factorize(description)
    a_codes, a_uniques = _factorize(action)
    d_codes, a_codes = d_codes[rows], a_codes[rows]
    d_blank, a_blank = _blank_texts(description, d_uniques), _blank_texts(action, a_uniques)
    # table: every description, then every non-blank action, then "" (both blank)
    d_text = _derived(description, False, "objects", _object_uniques, d_uniques)  # the rules use the same
    a_text = np.append(_derived(action, False, "objects", _object_uniques, a_uniques)[~a_blank], "")
    a_code = np.where(a_blank, len(a_text) - 1, np.cumsum(~a_blank) - 1)[a_codes]  # blank -> ""
    return np.where(d_blank[d_codes], len(d_text) + a_code, d_codes), np.concatenate([d_text, a_text])


def _blank_texts(series: pd.Series, uniques) -> np.ndarray:
    """Which of a column's factorised `uniques` are blank (empty or whitespace only, as ``str.strip() ==
    ""`` reads them through Arrow): from the factorisation's own Arrow array, by length and
    `utf8_is_space` (the same whitespace as Arrow's trim, on every code point; no stripped copy made)."""
    arrow = _arrow_uniques(series, sort=False, uniques=uniques) if len(series) >= _SMALL else None
    if arrow is None or len(arrow) != len(uniques):
        return (pd.Series(uniques, dtype="string").str.strip() == "").to_numpy(dtype=bool, na_value=True)
    blank = pc.or_(pc.equal(pc.utf8_length(arrow), 0), pc.utf8_is_space(arrow))
    return np.asarray(pc.fill_null(blank, True), dtype=bool)


def connected_components(n: int, left: np.ndarray, right: np.ndarray) -> np.ndarray:
    """Connected components of an undirected graph on 0..n-1: the smallest node of each component.

    Label propagation with pointer jumping: each round takes the minimum label over every edge, hooks
    roots to smaller labels and compresses chains, so rounds grow with log(component size).
    """
    label = np.arange(n)
    if len(left) == 0:
        return label
    while True:
        before = label.copy()
        low = np.minimum(label[left], label[right])
        np.minimum.at(label, left, low)
        np.minimum.at(label, right, low)
        np.minimum.at(label, before, label)  # a root adopts its members' smaller label
        while True:
            jumped = label[label]
            if np.array_equal(jumped, label):
                break
            label = jumped
        if np.array_equal(label, before):
            return label


def _pairs_within(block: np.ndarray, day: np.ndarray, agency: np.ndarray,
                  window_days: int) -> tuple[np.ndarray, np.ndarray]:
    """Candidate pairs (i < j): same block (case and contact-type group), days at most `window_days` apart,
    different agencies. Rows are sorted by (block, day); each row is compared with the next one, the one
    after, ... while any row still has a partner that close — so the work grows with the block sizes."""
    n = len(day)
    words = _packed([block, day])
    order = np.argsort(words[0], kind="stable") if len(words) == 1 else np.lexsort(words[::-1])
    block, day, agency = block[order], day[order], agency[order]
    lefts, rights = [], []
    shift = 1
    while shift < n:
        near = (block[shift:] == block[:-shift]) & (day[shift:] - day[:-shift] <= window_days)
        if not near.any():
            break
        keep = near & (agency[shift:] != agency[:-shift])
        idx = np.flatnonzero(keep)
        lefts.append(order[idx])
        rights.append(order[idx + shift])
        shift += 1
    if not lefts:
        return np.zeros(0, dtype="int64"), np.zeros(0, dtype="int64")
    left, right = np.concatenate(lefts), np.concatenate(rights)
    return np.minimum(left, right), np.maximum(left, right)


def _value_codes(series: pd.Series, rows: np.ndarray) -> np.ndarray:
    """Codes of a column's values at positions `rows` (ascending): equal values, equal codes; missing
    values are one value (a missing text is a blank one)."""
    if pd.api.types.is_string_dtype(series.dtype):  # in Arrow: no Python string per row
        return np.asarray(_take_arrow(series, rows).dictionary_encode().indices, dtype="int64")
    return pd.factorize(series.iloc[rows], use_na_sentinel=False)[0]


def _identical_pairs(timeline: pd.DataFrame, rows: np.ndarray, text: np.ndarray, case_codes: np.ndarray,
                     agency_codes: np.ndarray, *, in_order: bool = False) -> tuple[np.ndarray, np.ndarray]:
    """Pairs (i < j, positions in `timeline`) among `rows` (ascending positions of dated rows with some
    text; `text`: their text codes, `case_codes` / `agency_codes`: theirs) of one case and one agency that
    are equal in every column but case_id and PROVENANCE_COLUMNS: the same record entered twice (ingest
    warns "duplicate of row N"). Each copy is paired with the next; linking is transitive.

    Rows are first matched on case, agency, timestamp and text by a hash of integer keys; only the rows
    that share those with another row, usually few, are compared on every other column. With `in_order`
    (the timeline in `chronology_order`, as `build_timeline` has it) copies of a record, equal in date,
    precision, sequence and agency, lie in one run of neighbouring rows of the same case, agency and
    timestamp, so only the rows of such runs are hashed."""
    empty = np.zeros(0, dtype="int64"), np.zeros(0, dtype="int64")
    if len(rows) < 2:
        return empty
    stamps = timeline["date"].to_numpy(dtype="datetime64[ns]")[rows].view("int64")
    if in_order:
        same = ((case_codes[1:] == case_codes[:-1]) & (agency_codes[1:] == agency_codes[:-1])
                & (stamps[1:] == stamps[:-1]))
        in_run = np.zeros(len(rows), dtype=bool)
        in_run[1:] |= same
        in_run[:-1] |= same
        sub = np.flatnonzero(in_run)
        run = np.cumsum(np.concatenate([[True], ~same]))
        words = [run[sub], text[sub].astype("int64")]
    else:
        sub = np.arange(len(rows))
        words = _packed([case_codes, agency_codes, stamps, text.astype("int64")])
    if not len(sub):
        return empty
    shared = pd.DataFrame(dict(enumerate(words))).duplicated(keep=False).to_numpy()
    if not shared.any():
        return empty
    candidates = rows[sub[shared]]
    content = [c for c in CONTACT_COLUMNS if c in timeline.columns and c != "case_id" and c not in PROVENANCE_COLUMNS]
    key = np.zeros(len(candidates), dtype="int64")
    for codes in [w[shared] for w in words] + [_value_codes(timeline[c], candidates) for c in content]:
        key = pd.factorize(key * (int(codes.max()) + 1) + codes)[0]  # one number per distinct combination
    by_key = np.lexsort((candidates, key))
    equal = key[by_key][1:] == key[by_key][:-1]
    left, right = candidates[by_key][:-1][equal], candidates[by_key][1:][equal]
    return left, right


def candidate_links(
    timeline: pd.DataFrame,
    *,
    threshold: float = LINK_THRESHOLD,
    window_days: int = LINK_WINDOW_DAYS,
    case_codes: np.ndarray | None = None,
    factorised: dict | None = None,
    in_order: bool = False,
) -> pd.DataFrame:
    """Pairs of rows (positions ``left`` < ``right`` in `timeline`) that report the same event, with score.

    Two rows of different agencies link when: same case; dates (day or approximate precision) at most
    `window_days` apart; contact types in the same LINK_GROUPS group; and rapidfuzz token_set_ratio of
    their texts (description, else action) >= `threshold`. A row of no type family (`LINK_UNTYPED`, "other")
    links so to another agency's row of any family or none when its text also shares at least
    `LINK_UNTYPED_SHARED_WORDS` distinct words with the other's (`_untyped_pairs`). Two rows of the same agency link (score 100)
    only when they are one record entered twice: same case, dates of day or approximate precision, and
    equal in every column but the provenance (`_identical_pairs`). Blank texts never link. Blocking on
    (case, group, day) keeps the comparison near-linear in the number of rows. `case_codes`: one integer
    per row identifying its case, when the caller has them already; `factorised`: `_codes` (codes,
    uniques) of any of case_id, contact_type, date_precision and agency the caller has already made;
    `in_order`: the rows are in `chronology_order` (a quicker search for identical rows).
    """
    factorised = factorised or {}

    def factorise(name: str) -> tuple[np.ndarray, np.ndarray]:
        return factorised[name] if name in factorised else _codes(timeline[name], sort=False)

    type_to_group = {t: i for i, types in enumerate(LINK_GROUPS.values()) for t in types}
    group = _map_codes(*factorise("contact_type"), type_to_group, -1)
    days = _days_of(timeline["date"])
    linkable = _map_codes(*factorise("date_precision"), {p: True for p in LINKABLE_PRECISIONS}, False)
    dated = np.flatnonzero(~np.isnat(days) & linkable)
    text, table = _text_for_linking(timeline["description"], timeline["action"], dated)
    has_text = (table != "")[text] if len(table) else np.zeros(len(dated), dtype=bool)
    dated, text = dated[has_text], text[has_text]
    if case_codes is None:
        case_codes = factorise("case_id")[0]
    case_codes = case_codes[dated]
    agency_codes = factorise("agency")[0][dated]
    same_left, same_right = _identical_pairs(timeline, dated, text, case_codes, agency_codes, in_order=in_order)

    untyped_left, untyped_right, untyped_scores = _untyped_pairs(
        factorise("contact_type"), group, days, dated, text, table, case_codes, agency_codes, threshold, window_days)
    # (s21) a referral to social care and social care's receipt naming its sender (`_receipt_pairs`)
    receipt_left, receipt_right = _receipt_pairs(timeline, dated, days, case_codes, agency_codes)

    in_group = group[dated] >= 0  # the rows another agency's report may link to
    pos, text = dated[in_group], text[in_group]
    case_codes, agency_codes = case_codes[in_group], agency_codes[in_group]
    block = case_codes * len(LINK_GROUPS) + group[pos]
    i, j = _pairs_within(block, days[pos].astype("int64"), agency_codes, window_days)
    left, right = pos[i], pos[j]
    if len(left):
        scores = np.asarray(cpdist(table[text[i]], table[text[j]], scorer=fuzz.token_set_ratio,
                                   processor=utils.default_process, workers=1), dtype="float64")
    else:
        scores = np.zeros(0)
    keep = scores >= threshold
    left = np.concatenate([left[keep], untyped_left, same_left, receipt_left])
    right = np.concatenate([right[keep], untyped_right, same_right, receipt_right])
    scores = np.concatenate([scores[keep], untyped_scores, np.full(len(same_left), 100.0),
                             np.full(len(receipt_left), 100.0)])
    order = np.lexsort((right, left))
    return pd.DataFrame({"left": left[order], "right": right[order], "score": scores[order]})


def _untyped_pairs(types: tuple[np.ndarray, np.ndarray], group: np.ndarray, days: np.ndarray, dated: np.ndarray,
                   text: np.ndarray, table: np.ndarray, case_codes: np.ndarray, agency_codes: np.ndarray,
                   threshold: float, window_days: int) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """`candidate_links`' pairs (left < right, positions in the timeline; scores) of which one row or both are of no
    type family (`LINK_UNTYPED`) and the other of a family or none: same case, other agencies, dates at most
    `window_days` apart, token_set_ratio >= `threshold` and `LINK_UNTYPED_SHARED_WORDS` distinct words shared.
    `dated`, `text`, `case_codes`, `agency_codes`: `candidate_links`' rows with a date and a text, and theirs."""
    empty = np.zeros(0, dtype="int64"), np.zeros(0, dtype="int64"), np.zeros(0)
    codes, uniques = types
    untyped_code = np.flatnonzero(np.asarray(uniques, dtype=object) == LINK_UNTYPED)
    if not len(untyped_code) or not len(dated):
        return empty
    untyped = codes[dated] == untyped_code[0]
    if not untyped.any():
        return empty
    near = untyped | (group[dated] >= 0)  # an untyped row, or one of a family
    pos = dated[near]
    i, j = _pairs_within(case_codes[near], days[pos].astype("int64"), agency_codes[near], window_days)
    keep = untyped[near][i] | untyped[near][j]  # the pairs of two families are `candidate_links`' own
    i, j = i[keep], j[keep]
    if not len(i):
        return empty
    a, b = table[text[near][i]], table[text[near][j]]
    scores = np.asarray(cpdist(a, b, scorer=fuzz.token_set_ratio, processor=utils.default_process, workers=1),
                        dtype="float64")
    alike = np.flatnonzero(scores >= threshold)
    shared = np.array([len(set(utils.default_process(a[k]).split()) & set(utils.default_process(b[k]).split()))
                       >= LINK_UNTYPED_SHARED_WORDS for k in alike], dtype=bool)
    alike = alike[shared] if len(alike) else alike
    left, right = pos[i[alike]], pos[j[alike]]
    return np.minimum(left, right), np.maximum(left, right), scores[alike]


@functools.lru_cache(maxsize=1)
def _receipt_words() -> tuple[tuple, tuple, tuple, tuple]:
    """(the receipt cues: rules.yml settings receipt_referrer_words; `receipt_sender_kind`'s alone and kind words;
    the words naming social care: vocab.yml agency_kinds' social care words without the generic ones), of the
    package's files: the timeline links with the package's reading, whatever a case's rules say."""
    from .config import package_data
    from .rules.base import receipt_sender_kind_words
    from .vocab import normalise_text

    settings = package_data("rules.yml").get("settings") or {}
    alone, kinds = receipt_sender_kind_words(settings)
    vocab = package_data("vocab.yml")
    generic = {normalise_text(w) for w in vocab.get("agency_kind_generic") or ()}
    csc = tuple(str(w) for k in LINK_RECEIPT_KINDS for w in (vocab.get("agency_kinds") or {}).get(k) or ()
                if normalise_text(str(w)) not in generic)
    return tuple(str(w) for w in settings.get("receipt_referrer_words") or ()), alone, kinds, csc


def refers_to_social_care(contact_type, escalation, description, action) -> bool:
    """Is a row (of an agency not of LINK_RECEIPT_KINDS) a referral to children's social care: its escalation
    names LINK_REFERRAL_ESCALATION ("Discussed with named doctor; referral to children's social care" of an A&E
    attendance), or it is typed referral and its text names social care ("Referral to Westvale Children's Social
    Care (MASH)."; not "Referral to CAMHS")?"""
    if LINK_REFERRAL_ESCALATION in {t.strip() for t in str(escalation or "").split(";")}:
        return True
    if str(contact_type or "") != "referral":
        return False
    from .rules.base import _mentioned

    return _mentioned(str(description or "") + " . " + str(action or ""), list(_receipt_words()[3]), ())


def receipt_names_sender(text, agency, kind, *, kind_alone: bool = True) -> bool:
    """Does a social care row's `text` record receiving a referral from `agency` (of `kind`): its "<cue> from
    <words>" names the agency ("Referral from Hazelmere Primary DSL": `review.rules.knowledge.names_sender`), or,
    with `kind_alone` (the only referrer of that kind in the days before it), its kind ("Referral from school",
    "Referral from Ashworth ED": the first "<cue> from|by <words>", as `review.rules.base.receipt_sender_kind`
    reads it). Only a "from|by" receipt: "MASH screening of the GP contact of 12/09 completed" is social care's
    decision on the referral, a contact of its own, and "GP contact of 30/04 not yet screened" a note about it."""
    from .rules.base import _sender_patterns
    from .rules.knowledge import names_sender
    from .vocab import normalise_text

    cues, _, kinds, _ = _receipt_words()
    if not text or not agency or not cues:
        return False
    if names_sender(str(text), str(agency), str(kind or ""), LINK_RECEIPT_KINDS[0], cues):
        return True
    if not (kind_alone and kind):
        return False
    phrase, any_kind, kind_of = _sender_patterns(cues, kinds)
    found = phrase.search(normalise_text(str(text)))
    named = any_kind.search(found.group(1)) if found is not None else None
    return named is not None and kind_of[named.group(1)] == str(kind)


def _receipt_pairs(timeline: pd.DataFrame, dated: np.ndarray, days: np.ndarray, case_codes: np.ndarray,
                   agency_codes: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """`candidate_links`' pairs (left < right) of a referral to social care and its receipt (LINK_RECEIPT_DAYS):
    same case, the receipt's day 0 to LINK_RECEIPT_DAYS days after the referral's, the receipt naming the
    sender, or its kind where the sender is the only referrer of that kind in those days. `dated`: the rows with
    a linkable date and a text, `case_codes` / `agency_codes` theirs. The candidates are picked by their kinds,
    types and words ("from" or "by" in a receipt), the pairs by one binary search over the referrals' (case, day)
    keys; each distinct referral text and each pair's receipt text is then read."""
    empty = np.zeros(0, dtype="int64"), np.zeros(0, dtype="int64")
    if not len(dated) or not {"agency_kind", "escalation"} <= set(timeline.columns):
        return empty
    def column(name: str) -> np.ndarray:
        # the dated rows' cells as str ("" for a blank), through the column's shared factorisation (s22: not
        # the whole column made a million Python strings)
        codes, uniques = _codes(timeline[name], sort=False)
        return np.asarray(uniques, dtype=object)[np.asarray(codes)[dated]]

    def where(name: str, test) -> np.ndarray:
        # per dated row, `test` of its cell, read once per distinct cell
        codes, uniques = _codes(timeline[name], sort=False)
        return np.array([bool(test(str(u))) for u in uniques], dtype=bool)[np.asarray(codes)[dated]] \
            if len(uniques) else np.zeros(len(dated), dtype=bool)

    kind = column("agency_kind")
    receiver = where("agency_kind", lambda k: k in LINK_RECEIPT_KINDS)
    maybe = ~receiver & (where("contact_type", lambda t: t == "referral")
                         | where("escalation", lambda e: LINK_REFERRAL_ESCALATION in e))
    if not receiver.any() or not maybe.any():
        return empty
    # a receipt says "from" or "by" its sender, in its description or its action: each distinct text read
    # once, those a vectorised search finds the letters in (s22)
    from_by = re.compile(r"(?i)\b(?:from|by)\b")
    said = np.zeros(len(dated), dtype=bool)
    for name in ("description", "action"):
        codes, uniques = _codes(timeline[name], sort=False)
        if not len(uniques):
            continue
        hit = np.asarray(pc.fill_null(pc.match_substring_regex(_arrow_uniques(timeline[name], sort=False),
                                                               "from|by", ignore_case=True), False), dtype=bool)
        hit[hit] = [from_by.search(str(t)) is not None for t in np.asarray(uniques, dtype=object)[hit]]
        said |= hit[np.asarray(codes)[dated]]
    receiver &= said
    if not receiver.any():
        return empty
    desc = column("description")
    act = column("action")
    joined = np.full(len(dated), "", dtype=object)  # the texts of the candidates only
    wanted = np.flatnonzero(receiver | maybe)
    joined[wanted] = [" . ".join(t for t in (desc[i], act[i]) if t) for i in wanted]
    # the referrals to social care: each distinct (type, escalation, description, action) read once
    read: dict = {}
    types, esc = column("contact_type"), column("escalation")
    senders = np.array([k for k in np.flatnonzero(maybe) if read.setdefault(
        (types[k], esc[k], desc[k], act[k]), refers_to_social_care(types[k], esc[k], desc[k], act[k]))],
        dtype="int64")
    if not len(senders):
        return empty
    day = days[dated].astype("datetime64[D]").astype("int64")
    big = int(day.max() - day.min()) + 2 * LINK_RECEIPT_DAYS + 2
    base = day - day.min() + LINK_RECEIPT_DAYS
    s_key = case_codes[senders].astype("int64") * big + base[senders]
    order = np.argsort(s_key, kind="stable")
    senders, s_key = senders[order], s_key[order]
    receipts = np.flatnonzero(receiver)
    r_key = case_codes[receipts].astype("int64") * big + base[receipts]
    lo = np.searchsorted(s_key, r_key - LINK_RECEIPT_DAYS, side="left")
    hi = np.searchsorted(s_key, r_key, side="right")
    count = hi - lo
    if not count.any():
        return empty
    r_of = np.repeat(receipts, count)
    s_of = senders[np.concatenate([np.arange(a, b) for a, b in zip(lo, hi) if b > a])]
    other = agency_codes[s_of] != agency_codes[r_of]
    r_of, s_of = r_of[other], s_of[other]
    agency = column("agency")
    # each pair's sender the only referrer of its kind among its receipt's candidates: the pairs counted per
    # (receipt, sender's kind) at once (s22: counting them per pair was quadratic in a receipt-heavy store)
    _, kind_codes = np.unique(kind[s_of], return_inverse=True)
    pair_key = r_of.astype("int64") * (int(kind_codes.max(initial=0)) + 1) + kind_codes
    _, key_of, key_count = np.unique(pair_key, return_inverse=True, return_counts=True)
    alone = key_count[key_of] == 1
    # each distinct (receipt text, sender, its kind, alone) read once
    read_pair: dict = {}
    left, right = [], []
    for r, k, one in zip(r_of.tolist(), s_of.tolist(), alone.tolist()):
        key = (joined[r], agency[k], kind[k], one)
        if key not in read_pair:
            read_pair[key] = receipt_names_sender(joined[r], agency[k], kind[k], kind_alone=one)
        if read_pair[key]:
            left.append(min(dated[k], dated[r]))
            right.append(max(dated[k], dated[r]))
    return np.asarray(left, dtype="int64"), np.asarray(right, dtype="int64")


def link_events(
    timeline: pd.DataFrame,
    *,
    threshold: float = LINK_THRESHOLD,
    window_days: int = LINK_WINDOW_DAYS,
) -> pd.Series:
    """event_group for each row: the smallest event_id among the rows linked to it (transitively).

    A row linked to nothing has its own event_id. See `candidate_links` for when two rows link.
    """
    links = candidate_links(timeline, threshold=threshold, window_days=window_days)
    return _groups(timeline["event_id"], links["left"].to_numpy(), links["right"].to_numpy())


def _groups(event_ids: pd.Series, left: np.ndarray, right: np.ndarray) -> pd.Series:
    """event_id, replaced on linked rows by the smallest event_id of their connected component."""
    groups = event_ids.astype("string").fillna("").reset_index(drop=True)
    if len(left) == 0:
        return groups.set_axis(event_ids.index)
    nodes, edges = np.unique(np.concatenate([left, right]), return_inverse=True)
    edges = edges.reshape(2, -1)
    # number the nodes in event_id order (equal ids: by position) so that "smallest node" is the smallest
    # event_id: Arrow ranks the ids (byte order of UTF-8 is code-point order, as Python compares str)
    ids = _take_arrow(groups, nodes)
    rank = pc.rank(ids, sort_keys="ascending", tiebreaker="first").to_numpy().astype("int64") - 1
    order = np.empty(len(rank), dtype="int64")
    order[rank] = np.arange(len(rank))
    labels = connected_components(len(rank), rank[edges[0]], rank[edges[1]])
    # each linked row takes the id of its component's smallest row: one Arrow take, no Python strings
    source = np.arange(len(groups))
    source[nodes] = nodes[order][labels[rank]]
    return pd.Series(groups.take(source).array, index=event_ids.index, dtype="string")


# ---------------------------------------------------------------------------------------------------
# Open concerns
# ---------------------------------------------------------------------------------------------------
def _open_concerns(concerns: pd.Series, days: np.ndarray, starts: np.ndarray, window_days: int) -> np.ndarray:
    """Concern tags recorded at this row or any earlier row of the case dated within `window_days`.

    Precisely: a tag is open at a row when the last row of the case up to and including it that carries
    the tag (undated rows carry none) is dated at most `window_days` before it; at an undated row, when
    any earlier row of the case carries it. Rows are in timeline order (by case, then dated rows by day,
    undated rows last: `chronology_order`); the result is joined sorted text.

    For each tag the rows where it is open form disjoint intervals: from each row carrying it to the
    first later row of its case dated beyond the window (or the next row carrying it), plus the case's
    undated rows after its last carrier. Each interval adds the tag's bit at its start and removes it at
    its end, so one cumulative sum gives every row's set of open tags as a bit mask (62 tags a word).
    """
    n = len(concerns)
    out = np.full(n, "", dtype=object)
    # few distinct concern strings: split each once
    row_codes, distinct = _codes(concerns, sort=False)
    split = [[t.strip() for t in str(v).split(MULTI_SEP.strip()) if t.strip()] for v in distinct]
    vocabulary = sorted({t for parts in split for t in parts})
    if not vocabulary or n == 0:
        return out
    tag_index = {t: i for i, t in enumerate(vocabulary)}
    membership = np.zeros((len(distinct), len(vocabulary)), dtype=bool)
    for i, parts in enumerate(split):
        membership[i, [tag_index[t] for t in parts]] = True

    dated = ~np.isnat(days)
    carriers = np.flatnonzero(membership.any(axis=1)[row_codes] & dated)  # rows carrying a tag
    if not len(carriers):
        return out
    # One nondecreasing int64 key over the rows: (case, day), an undated row after every dated day of its
    # case. The window is clipped to +-(date range + 1) days, which opens and closes the same rows.
    day_int = days.astype("int64")
    lo = int(day_int[dated].min())
    span = int(day_int[dated].max()) - lo
    window = min(max(int(window_days), -(span + 1)), span + 1)
    stride = span + max(window, 0) + 2  # keys of one case: 0..stride-1; undated rows: stride - 1
    case_rank = np.cumsum(starts == np.arange(n)) - 1
    if (int(case_rank[-1]) + 1) * stride >= 2**62:
        raise OverflowError("timeline: too many cases times days to key open concerns")
    key = case_rank * stride
    key += np.where(dated, day_int - lo, stride - 1)
    if (np.diff(key) < 0).any():
        raise ValueError("_open_concerns needs rows in timeline order (by case, then day, undated last)")

    carrier_case = case_rank[carriers]
    carrier_tags = membership[row_codes[carriers]]  # (carriers, tags) bool
    masks = []
    for chunk in range(0, len(vocabulary), 62):  # 62 tags per int64 word
        diff = np.zeros(n + 1, dtype="int64")
        for k in range(chunk, min(chunk + 62, len(vocabulary))):
            bit = np.int64(1) << np.int64(k - chunk)
            has = carrier_tags[:, k]
            rows, cases = carriers[has], carrier_case[has]
            if not len(rows):
                continue
            # dated rows within the window: up to the first row keyed beyond (case, day + window)...
            ends = np.searchsorted(key, key[rows] + window, side="right")
            # ...but no further than the next row carrying the tag (it takes over), and never before itself
            ends = np.maximum(np.minimum(ends, np.append(rows[1:], n)), rows)
            # undated rows at the end of a case: open after the case's last carrier
            last = np.append(cases[1:] != cases[:-1], True)
            undated_from = np.searchsorted(key, cases[last] * stride + (stride - 1), side="left")
            undated_to = np.searchsorted(key, (cases[last] + 1) * stride, side="left")
            np.add.at(diff, np.concatenate([rows, undated_from]), bit)
            np.subtract.at(diff, np.concatenate([ends, undated_to]), bit)
        masks.append(np.cumsum(diff[:n]))
    # format each distinct set once
    if len(masks) == 1:  # the usual case: one int per row; label each distinct set from its bits
        codes, distinct = pd.factorize(masks[0])
        labels = [MULTI_SEP.join(t for k, t in enumerate(vocabulary) if (int(m) >> k) & 1) for m in distinct]
        return _string_array(labels, codes)
    combined = pd.factorize(pd.MultiIndex.from_arrays(masks))[0]
    distinct_sets, first, inverse = np.unique(combined, return_index=True, return_inverse=True)
    labels = [MULTI_SEP.join(vocabulary[c * 62 + k] for c, mask in enumerate(masks) for k in range(62)
                             if (int(mask[f]) >> k) & 1) for f in first]
    return _string_array(labels, inverse.reshape(-1))


# ---------------------------------------------------------------------------------------------------
# Periods: child protection plans and hospital stays
# ---------------------------------------------------------------------------------------------------
def cp_plan_marker(text: str, vocab: str = "") -> int:
    """+1 when a conference outcome starts (or confirms) a CP plan, -1 when it ends one, 0 otherwise.

    An end (an ``end`` phrase, or an end word next to a mention of the plan, neither negated: "the plan
    will not end" ends nothing) wins; else a negated mention of a plan means no plan was made (0, whatever
    else the text says, as "not made subject to a plan; CIN plan agreed"); else a mention starts one.
    `vocab`: the `review.rules.base.vocab_key` of the case's own vocab.yml, whose negation cues (and
    tokenizer words) are read with the package's ("": the package vocabulary alone).
    """
    key = (vocab, text)
    cached = _CP_MARKERS.get(key)
    if cached is None:
        cached = _cp_plan_marker(str(text), vocab)
        if len(_CP_MARKERS) >= 20_000:
            _CP_MARKERS.clear()
        _CP_MARKERS[key] = cached
    return cached


_CP_MARKERS: dict[tuple[str, str], int] = {}


def _case_vocabulary(key: str):
    """The raw vocabulary (a mapping) of a case whose own vocab.yml has `vocab_key` `key`: the package's
    extended by it, as `review.config.load_vocab` merges them; the package's for ""."""
    from .config import deep_merge, package_data

    raw = package_data("vocab.yml")
    return deep_merge(raw, json.loads(key)) if key else raw


def _cp_plan_matcher(key: str = "") -> dict:
    """The compiled CP_PLAN_KEYWORDS, with the negation cues of the vocabulary `key` (`_case_vocabulary`;
    made once per vocabulary)."""
    if key not in _CP_MATCHER:
        from .vocab import Phrases, compile_vocab, normalise_text

        if len(_CP_MATCHER) > 64:  # distinct case vocabularies are few: a bound, never reached in practice
            _CP_MATCHER.clear()
        raw = _case_vocabulary(key)
        vocab = compile_vocab(raw)
        words = CP_PLAN_KEYWORDS
        _CP_MATCHER[key] = dict(
            raw=raw,  # kept alive: compile_vocab caches by identity
            vocab=vocab,
            mentions=Phrases(words["start"] + words["end"]),
            ends=frozenset(normalise_text(w) for w in words["end"]),
            end_words=Phrases(words["end_before"] + words["end_after"]),
            end_before=frozenset(normalise_text(w) for w in words["end_before"]),
            end_after=frozenset(normalise_text(w) for w in words["end_after"]),
            cues=Phrases([*(vocab.raw.get("negation_cues") or []), *words["negation_cues"]]),
            post_cues=Phrases([*(vocab.raw.get("negation_post_cues") or []), *words["negation_post_cues"]]),
        )
    return _CP_MATCHER[key]


_CP_MATCHER: dict = {}  # vocabulary key -> the compiled matcher


def _cp_plan_marker(text: str, key: str = "") -> int:
    from .vocab import Scope

    m = _cp_plan_matcher(key)
    vocab = m["vocab"]
    tokens = vocab.tokens(text)
    mentions = m["mentions"].find(tokens)
    if not mentions:
        return 0
    end_words = m["end_words"].find(tokens)
    scope = Scope(vocab, tokens, mentions + end_words)  # "no" in "no longer" negates nothing
    pre, post = scope.cues(m["cues"]), scope.cues(m["post_cues"])
    window = vocab.negation_window

    def negated(start: int, end: int) -> bool:
        return scope.reached(start, end, pre, post, window, 2)

    end_words = [w for w in end_words if not negated(w[0], w[1])]  # "the plan will not end"
    before = [w for w in end_words if w[2] in m["end_before"]]
    after = [w for w in end_words if w[2] in m["end_after"]]
    plans, refused = False, False
    for start, end, phrase in mentions:
        if negated(start, end):
            refused = refused or phrase not in m["ends"]
        elif phrase in m["ends"] or scope.reached(start, end, before, after, CP_PLAN_END_WINDOW, CP_PLAN_END_WINDOW):
            return -1
        else:
            plans = True
    return 0 if refused or not plans else 1


def discharge_held(text: str, vocab: str = "") -> bool:
    """Does the outcome `text` (description . action) of a discharge row record a discharge, not one that
    did not happen ("Discharge postponed", "discharge delayed", "discharge not agreed", "not discharged":
    `review.vocab.denies` of the discharge type, read with the escalation negation post cues of the case's
    vocabulary `vocab` (`review.rules.base.vocab_key`, "": the package's) and DISCHARGE_NEGATION_POST_CUES)?
    A text that does not name a discharge ("Letter to GP") is one: the row's type says so."""
    key = (vocab, text)
    held = _DISCHARGES.get(key)
    if held is None:
        from .vocab import denies

        held = not denies("discharge", str(text), _discharge_vocabulary(vocab))
        if len(_DISCHARGES) >= 20_000:
            _DISCHARGES.clear()
        _DISCHARGES[key] = held
    return held


_DISCHARGES: dict[tuple[str, str], bool] = {}

#: from this many discharge rows on, `_discharges_held` first leaves out the texts that cannot deny one
_DISCHARGE_SEARCH_FROM = 500


def _discharges_held(texts: list[str], keys) -> np.ndarray:
    """`discharge_held(text, key)` of each text and its case's vocabulary key. Many texts are first sifted by
    the rules' vectorised pre-filter (`review.rules.base._may_deny`): a text with no negation cue in reach
    of the discharge's words cannot deny it, and is held without being read."""
    pairs = list(zip(texts, keys))
    distinct = list(dict.fromkeys(pairs))  # each distinct (text, key) read once
    if len(distinct) < len(pairs):
        found = dict(zip(distinct, _discharges_held([t for t, _ in distinct], [k for _, k in distinct])))
        return np.fromiter((found[p] for p in pairs), dtype=bool, count=len(pairs))
    texts, keys = np.asarray(texts, dtype=object), np.asarray(keys, dtype=object)
    maybe = np.ones(len(texts), dtype=bool)
    if len(texts) >= _DISCHARGE_SEARCH_FROM:
        from .rules.base import _denial_prefilter, _may_deny, _negation_phrases

        for key in dict.fromkeys(keys.tolist()):
            rows = np.flatnonzero(keys == key)
            vocab = _discharge_vocabulary(key)
            words = vocab.denial_words("discharge")
            if words:
                maybe[rows] = _may_deny(texts[rows], _denial_prefilter(words, _negation_phrases(vocab, "discharge")))
    held = np.ones(len(texts), dtype=bool)
    held[maybe] = [discharge_held(t, k) for t, k in zip(texts[maybe], keys[maybe])]
    return held
@functools.lru_cache(maxsize=64)
def admission_text_words(vocab: str = "") -> tuple[frozenset, frozenset, tuple]:
    """(admission_text_types, admission_text_agency_kinds, admission_text_words) of the case vocabulary `vocab`
    (`review.rules.base.vocab_key`, "": the package's): the records whose text may record the child admitted
    (`admitted_in_text`)."""
    raw = _case_vocabulary(vocab)

    def words(name):
        return tuple(str(w) for w in raw.get(name) or ())

    return (frozenset(words("admission_text_types")), frozenset(words("admission_text_agency_kinds")),
            words("admission_text_words"))


#: words after an admission that say it did not happen ("Admission to ward not required"), added to the case's
#: vocabulary's negation post cues for `admitted_in_text`
ADMISSION_NEGATION_POST_CUES = ("not required", "not needed", "not necessary", "not indicated", "not warranted",
                                "declined", "refused", "not agreed")
#: an RE2 pattern finding (at least) every text `admitted_in_text` reads an admission in, for a vectorised search
ADMISSION_TEXT_PREFILTER = r"admi|kept"


def admitted_in_text(text: str, vocab: str = "") -> bool:
    """Does the text (description . action) of a hospital's, a paediatrician's or an ED's record (s19: vocab.yml
    `admission_text_types` of `admission_text_agency_kinds`) record the child admitted to a ward? One of
    `admission_text_words`, not negated ("Admitted to ward 4", "admitted for observation", "kept in overnight"; not
    "not admitted", "admission not required"), or a clause that is the word "admitted" alone (an outcome
    "Admitted."); not "admitted to the mother" nor "Mum admitted hitting him" (admitted to no ward: a
    confession). Read once per (text, vocabulary)."""
    key = (vocab, text)
    held = _ADMITTED.get(key)
    if held is None:
        held = _admitted_in_text(str(text), vocab)
        if len(_ADMITTED) >= 20_000:
            _ADMITTED.clear()
        _ADMITTED[key] = held
    return held


_ADMITTED: dict[tuple[str, str], bool] = {}


def _admitted_in_text(text: str, vocab: str) -> bool:
    from .rules.base import _mentioned, _negating_vocab

    _, _, words = admission_text_words(vocab)
    if words and _mentioned(text, list(words), ADMISSION_NEGATION_POST_CUES, vocab=vocab):
        return True
    clause: list = []
    for token in _negating_vocab((), vocab).tokens(text) + ["|"]:
        if token[0] == "|":
            if clause == ["admitted"]:
                return True
            clause = []
        else:
            clause.append(token)
    return False


def _text_admission_rows(timeline: pd.DataFrame, contact_types: tuple) -> np.ndarray:
    """Positions of the rows of `timeline` that may record an admission in their text (`admitted_in_text`): of
    one of the package's `admission_text_types` and `admission_text_agency_kinds`, whose description or action a
    vectorised search finds a word of one in (`ADMISSION_TEXT_PREFILTER`); each distinct text searched once."""
    from .rules.base import _prefiltered_caseless

    types, kinds, _ = admission_text_words("")
    if not types or not len(timeline):
        return np.zeros(0, dtype="int64")
    rows = np.flatnonzero(_map_codes(*contact_types, {t: True for t in types}, False))
    if len(rows) and kinds:
        rows = rows[_map_codes(*_codes(timeline["agency_kind"], sort=False), {k: True for k in kinds}, False)[rows]]
    if not len(rows):
        return rows
    hit = np.zeros(len(rows), dtype=bool)
    for name in ("description", "action"):
        codes, uniques = _codes(timeline[name], sort=False)
        used = np.unique(codes[rows])
        used = used[(used >= 0) & (used < len(uniques))]
        found = np.zeros(len(uniques) + 1, dtype=bool)
        if len(used):
            found[used] = _prefiltered_caseless(pa.array(uniques[used], type=pa.large_string()),
                                                ADMISSION_TEXT_PREFILTER)
        hit |= found[codes[rows]]
    return rows[hit]


_DISCHARGE_VOCABS: dict = {}  # vocabulary key -> (the raw mapping, kept alive, its compiled form)


def _discharge_vocabulary(key: str):
    if key not in _DISCHARGE_VOCABS:
        from .vocab import compile_vocab

        if len(_DISCHARGE_VOCABS) > 64:
            _DISCHARGE_VOCABS.clear()
        raw = dict(_case_vocabulary(key))
        raw["escalation_negation_post_cues"] = [*(raw.get("escalation_negation_post_cues") or []),
                                                *DISCHARGE_NEGATION_POST_CUES]
        _DISCHARGE_VOCABS[key] = (raw, compile_vocab(raw))
    return _DISCHARGE_VOCABS[key][1]


def _vocab_keys(case, case_uniques) -> np.ndarray:
    """Per distinct case id (in `case_uniques` order), the `review.rules.base.vocab_key` of the case's own
    vocab.yml, the one ingest read its chronologies with ("": the package vocabulary): from `case` (one
    CaseConfig or Case for every row, a mapping case_id -> either, or `CaseDates`); "" where it says none."""
    keys = np.full(len(case_uniques), "", dtype=object)
    if case is None or not len(case_uniques):
        return keys
    if isinstance(case, CaseDates):
        return case.vocab_keys(case_uniques)
    from .rules.base import case_vocab_key

    if isinstance(case, dict):
        keys[:] = [case_vocab_key(case, c) for c in case_uniques]
    else:  # one configuration for every row, as its dates are (`_case_dates`)
        config = _config(case)
        keys[:] = case_vocab_key(config, getattr(config, "case_id", None))
    return keys


PERIOD_FIELDS = ("case_id", "kind", "start", "end", "agency", "evidence_event_ids")


def _period_arrays(case_id, kind, start, end, agency, evidence) -> dict:
    return {
        "case_id": np.asarray(case_id, dtype=object),
        "kind": np.asarray(kind, dtype=object),
        "start": np.asarray(start, dtype="datetime64[D]"),
        "end": np.asarray(end, dtype="datetime64[D]"),
        "agency": np.asarray(agency, dtype=object),
        "evidence_event_ids": np.asarray(evidence, dtype=object),
    }


_NO_PERIODS = _period_arrays([], [], [], [], [], [])


def _period_table(parts: list[dict]) -> pd.DataFrame:
    """One PERIOD_COLUMNS table from period arrays, sorted by case_id, kind, start, agency, evidence."""
    arrays = {name: np.concatenate([p[name] for p in parts]) for name in PERIOD_FIELDS}
    if len(arrays["start"]) > 1:
        keys = [pd.factorize(arrays[name], sort=True)[0] for name in ("evidence_event_ids", "agency")]
        order = np.lexsort((*keys, arrays["start"].astype("int64"),
                            pd.factorize(arrays["kind"], sort=True)[0], pd.factorize(arrays["case_id"], sort=True)[0]))
        arrays = {name: values[order] for name, values in arrays.items()}
    return pd.DataFrame(
        {
            name: pd.array(values.astype("datetime64[ns]") if name in ("start", "end") else values,
                           dtype=PERIOD_COLUMNS[name])
            for name, values in arrays.items()
        }
    )


def _end_of_review(case_ids: pd.Series, days: np.ndarray, case=None) -> dict:
    """case_id -> the day that closes a still-open CP plan: the child's date of death or the review date,
    whichever is earlier (from `case`), else the case's last dated contact."""
    codes, uniques = _codes(case_ids, sort=False)
    nat = np.iinfo("int64").min
    last = np.full(len(uniques), nat, dtype="int64")
    np.maximum.at(last, codes, np.where(np.isnat(days), nat, days.astype("int64")))
    last = last.astype("datetime64[D]")
    if case is not None:
        fixed = _case_dates(case, uniques)["review_end"]
        last = np.where(np.isnat(fixed), last, fixed)
    return dict(zip(uniques, last))


def _cp_plan_periods(cols: dict, case=None) -> pd.DataFrame:
    days = cols["day"]
    idx = np.flatnonzero(np.isin(cols["contact_type"], CP_PLAN_CONTACT_TYPES) & ~np.isnat(days))
    if len(idx) == 0:
        return _NO_PERIODS
    # the outcome as recorded at the time: the analysis column's hindsight ("the plan should have ended
    # earlier") neither starts nor ends a plan
    texts = [f"{d} . {a}" for d, a in zip(cols["description"][idx], cols["action"][idx])]
    # read with the case's own vocabulary (its negation cues), as ingest read the case's chronologies
    keys = cols["vocab"][idx]
    marker = np.fromiter((cp_plan_marker(t, k) for t, k in zip(texts, keys)), dtype="int64",
                         count=len(idx))  # cached per text
    idx = idx[marker != 0]
    if len(idx) == 0:
        return _NO_PERIODS
    start = marker[marker != 0] > 0
    case_ids = cols["case_id"][idx]
    same_case = np.concatenate([[False], case_ids[1:] == case_ids[:-1]])
    on_before = np.concatenate([[False], start[:-1]]) & same_case
    eff_start, eff_end = start & ~on_before, ~start & on_before
    period = np.cumsum(eff_start)  # a global period number: markers are in case, date order
    n_periods = int(period[-1])
    if n_periods == 0:  # only ends of plans that never started in the records
        return _NO_PERIODS
    begins = idx[eff_start]
    ends = np.full(n_periods, np.datetime64("NaT"), dtype="datetime64[D]")
    ends[period[eff_end] - 1] = days[idx[eff_end]]
    if np.isnat(ends).any():
        close = _end_of_review(cols["all_case"], cols["all_day"], case)
        open_ = np.isnat(ends)
        ends[open_] = [close[c] for c in cols["case_id"][begins][open_]]
    member = eff_start | on_before  # the start, confirmations while on a plan, and the end
    ids, numbers = cols["event_id"][idx[member]], period[member]
    evidence = [MULTI_SEP.join(part) for part in np.split(ids, np.flatnonzero(np.diff(numbers)) + 1)]
    return _period_arrays(cols["case_id"][begins], ["cp_plan"] * n_periods, days[begins], ends,
                         cols["agency"][begins], evidence)


def _hospital_periods(cols: dict, case=None) -> pd.DataFrame:
    days = cols["day"]
    dated = ~np.isnat(days)
    admitted = np.isin(cols["contact_type"], HOSPITAL_ADMISSION_TYPES)
    # s19: a hospital's, a paediatrician's or an ED's record whose text says the child was admitted ("Seen on the
    # children's ward ... Admitted.") starts a stay as a row typed admission does (`_period_columns` took only
    # those whose text may say so; each distinct text read once, with its case's vocabulary)
    text_types, _, _ = admission_text_words("")  # (a discharge's "admitted for observation 2 days" starts none)
    by_text = np.flatnonzero(~admitted & dated & np.isin(cols["contact_type"], list(text_types)))
    if len(by_text):
        admitted[by_text] = [admitted_in_text(f"{d} . {a}", k) for d, a, k in
                             zip(cols["description"][by_text], cols["action"][by_text], cols["vocab"][by_text])]
    adm = np.flatnonzero(admitted & dated)
    if len(adm) == 0:
        return _NO_PERIODS
    dis = np.flatnonzero(np.isin(cols["contact_type"], HOSPITAL_DISCHARGE_TYPES) & dated)
    # a discharge that did not happen ("Discharge postponed", "discharge delayed") ends no stay
    if len(dis):
        dis = dis[_discharges_held([f"{d} . {a}" for d, a in zip(cols["description"][dis], cols["action"][dis])],
                                   cols["vocab"][dis])]
    organisation = np.where(cols["organisation"] == "", cols["agency"], cols["organisation"])
    place = cols["case_id"] + "\x1f" + organisation.astype(object)
    codes, _ = pd.factorize(place[np.concatenate([adm, dis])])
    adm_code, dis_code = codes[: len(adm)], codes[len(adm):]
    adm_day, dis_day = days[adm].astype("int64"), days[dis].astype("int64")
    # the next discharge by the same organisation on or after the admission day...
    order = np.lexsort((dis, dis_day, dis_code))
    dis_key = (dis_code[order] << 32) + dis_day[order]
    found_at = np.searchsorted(dis_key, (adm_code << 32) + adm_day, side="left")
    found = found_at < len(dis_key)
    found_at = np.minimum(found_at, max(len(dis_key) - 1, 0))
    if len(dis_key):
        found &= dis_code[order][found_at] == adm_code
    # ...and not after the same organisation's next admission
    a_order = np.lexsort((adm, adm_day, adm_code))
    next_day = np.full(len(adm), np.iinfo("int64").max)
    same = adm_code[a_order][1:] == adm_code[a_order][:-1]
    next_day[a_order[:-1][same]] = adm_day[a_order][1:][same]
    match_day = np.where(found, dis_day[order][found_at] if len(dis_key) else 0, 0)
    found &= match_day <= next_day
    own_end = cols["date_end"][adm]
    has_own = ~np.isnat(own_end)
    end = np.where(found, match_day, np.iinfo("int64").min).astype("datetime64[D]")  # int64 min is NaT
    end = np.where(has_own, own_end, end)
    open_ = np.flatnonzero(np.isnat(end))
    if len(open_):
        end[open_] = _stay_default_ends(cols, cols["case_id"][adm][open_], days[adm][open_], case,
                                        cols.get("review_ends"))
    discharge_ids = cols["event_id"][dis[order][found_at]] if len(dis_key) else np.full(len(adm), "", dtype=object)
    evidence = [a if own or not f else f"{a}{MULTI_SEP}{d}"
                for a, own, f, d in zip(cols["event_id"][adm], has_own, found, discharge_ids)]
    out = _period_arrays(cols["case_id"][adm], ["hospital"] * len(adm), days[adm], end, cols["agency"][adm],
                         evidence)
    if "row" in cols:  # the admissions' positions in the table read (`hospital_stay_rows`)
        out["row"] = cols["row"][adm]
    return out


def _stay_default_ends(cols: dict, case_ids: np.ndarray, days: np.ndarray, case=None,
                       review_ends: dict | None = None) -> np.ndarray:
    """The end of stays whose admission has neither its own end date nor a discharge recorded (s19): the day
    before the next day after the admission on which a row of the case records the child seen or not seen
    (``all_known``: the child's whereabouts recorded again, as a sighting at a visit, a school or a clinic, or a
    visit at which the child was not seen: the child had left the ward), else the end of the review
    (`_end_of_review`: the records never say the child left the ward). Never before the admission day."""
    codes, uniques = _codes(cols["all_case"], sort=False)
    index = {c: i for i, c in enumerate(uniques)}
    all_day = cols["all_day"]
    mask = cols["all_known"] & ~np.isnat(all_day)
    shift = np.int64(1) << np.int64(32)
    base = np.int64(1) << np.int64(31)
    keys = np.sort(codes[mask].astype("int64") * shift + all_day[mask].astype("int64") + base)
    stay_codes = np.array([index.get(c, -1) for c in case_ids], dtype="int64")
    wanted = stay_codes * shift + days.astype("int64") + 1 + base
    at = np.searchsorted(keys, wanted, side="left")
    found = (at < len(keys)) & (stay_codes >= 0)
    nxt = keys[np.minimum(at, max(len(keys) - 1, 0))] if len(keys) else np.zeros(len(wanted), dtype="int64")
    found &= (nxt // shift) == stay_codes
    close = review_ends if review_ends is not None else _end_of_review(cols["all_case"], all_day, case)
    review_end = np.array([close.get(c, np.datetime64("NaT")) for c in case_ids], dtype="datetime64[D]")
    out = np.where(found, (nxt - stay_codes * shift - base) - 1, review_end.astype("int64")).astype("datetime64[D]")
    return np.where(np.isnat(out) | (out < days), days, out)


def _period_columns(timeline: pd.DataFrame, factorised: dict | None = None, known: np.ndarray | None = None) -> dict:
    """The arrays the period finders need, for the rows that can start or end a period only (typed so, or a
    record whose text may say the child was admitted: `_text_admission_rows`), plus every row's case and day
    (for the end of review) and which rows record the child seen or not seen (`known`, per row of `timeline`;
    default: read from its child_seen and child_seen_inferred, `review.sightings`), where an admission with no
    discharge recorded ends. `timeline` is sorted by case then seq. `factorised`: `_codes` of contact_type
    already made by the caller, if any."""
    relevant = CP_PLAN_CONTACT_TYPES + HOSPITAL_ADMISSION_TYPES + HOSPITAL_DISCHARGE_TYPES
    contact_types = (factorised or {}).get("contact_type") or _codes(timeline["contact_type"], sort=False)
    typed = _map_codes(*contact_types, {t: True for t in relevant}, False)
    typed[_text_admission_rows(timeline, contact_types)] = True
    rows = np.flatnonzero(typed)
    names = ("case_id", "event_id", "contact_type", "agency", "organisation", "description", "action")
    if len(timeline) < _SMALL:
        cols = {name: timeline[name].to_numpy(dtype=object, na_value="")[rows] for name in names}
    else:
        cols = {name: _take_strings(timeline[name], rows) for name in names}
    cols["row"] = rows
    cols["day"] = _days_of(timeline["date"].iloc[rows])
    cols["date_end"] = _days_of(timeline["date_end"].iloc[rows])
    cols["all_case"] = timeline["case_id"]
    cols["all_day"] = _days_of(timeline["date"])
    if known is None:
        if "child_seen" in timeline.columns:
            known = seen_mask(timeline) | not_seen_mask(timeline)
        else:
            known = np.zeros(len(timeline), dtype=bool)
    cols["all_known"] = np.asarray(known, dtype=bool)
    return cols


def _with_vocab(cols: dict, case) -> dict:
    """`cols` with ``vocab``: per row, the `review.rules.base.vocab_key` of its case's vocabulary."""
    codes, uniques = pd.factorize(cols["case_id"])
    keys = _vocab_keys(case, uniques)
    return {**cols, "vocab": keys[codes] if len(codes) else np.zeros(0, dtype=object)}


def periods(timeline: pd.DataFrame, case=None) -> pd.DataFrame:
    """Child protection plan and hospital periods found in a timeline (or a contact table).

    Columns: case_id, kind ('cp_plan' | 'hospital'), start, end, agency, evidence_event_ids.

    * cp_plan: a child protection conference whose outcome text (description, action) says the
      child was made subject to a plan starts a period; one saying the plan ended / was discontinued /
      the child is no longer subject ends it (CP_PLAN_KEYWORDS, `cp_plan_marker`). A plan still open at
      the end closes at the child's date of death or the review date when `case` (a CaseConfig, or a
      mapping case_id -> CaseConfig) gives them, else the case's last dated contact. Evidence: the start, every conference confirming the plan, and the end.
    * hospital: an admission (a row typed admission, or s19 a hospital's, a paediatrician's or an ED's record
      whose text says the child was admitted: `admitted_in_text`) lasts until its own ``date_end``, else the
      next discharge recorded by the same organisation (agency when no organisation) on or after it and not
      after that organisation's next admission, else (no discharge recorded) the day before the next day a row
      of the case records the child seen or not seen, else the end of the review (`_stay_default_ends`).

    Dates are calendar days (time of day dropped). Sorted by case_id, kind, start, agency.
    """
    timeline = _conform(timeline, CONTACT_COLUMNS)
    if "seq" in timeline.columns and timeline["seq"].notna().all():
        order = np.lexsort((timeline["seq"].to_numpy(dtype="int64"), _codes(timeline["case_id"])[0]))
    else:
        order = chronology_order(timeline)
    return _periods_of_sorted(_period_columns(timeline.take(order)), case)


def hospital_stays(timeline: pd.DataFrame, case=None, *, vocab_keys: dict | None = None,
                   review_ends: dict | None = None) -> pd.DataFrame:
    """The hospital periods `periods` finds in `timeline` (kind hospital: PERIOD_COLUMNS), its rows in any order
    (a stay is found per organisation, by day: no row order is read). `case` as `periods` takes it; or, made
    already by the caller (the rules' prepared timeline has them), `vocab_keys` (case_id -> its
    `review.rules.base.vocab_key`) and `review_ends` (case_id -> `_end_of_review`'s day, datetime64[D])."""
    return _period_table([hospital_stay_rows(timeline, case, vocab_keys=vocab_keys, review_ends=review_ends)])


def hospital_stay_rows(timeline: pd.DataFrame, case=None, *, vocab_keys: dict | None = None,
                       review_ends: dict | None = None) -> dict:
    """`hospital_stays` as arrays (PERIOD_FIELDS, unsorted), with ``row``: each admission's position in
    `timeline`."""
    cols = _period_columns(timeline)
    if vocab_keys is None:
        cols = _with_vocab(cols, case)
    else:
        cols["vocab"] = np.array([vocab_keys.get(c, "") for c in cols["case_id"]], dtype=object)
    cols["review_ends"] = review_ends
    stays = _hospital_periods(cols, case)
    stays.setdefault("row", np.zeros(0, dtype="int64"))
    return stays


def _periods_of_sorted(cols: dict, case=None) -> pd.DataFrame:
    cols = _with_vocab(cols, case)
    return _period_table([_cp_plan_periods(cols, case), _hospital_periods(cols, case)])


def _within(case_codes: np.ndarray, case_uniques: np.ndarray, days: np.ndarray, spans: pd.DataFrame) -> pd.arrays.BooleanArray:
    """True for rows whose day falls in any span of the same case (a NaT end counts as the start day only).

    A few spans: compared directly. Many: a row is inside when more spans of its case start on or before
    its day than end (the day after their end) on or before it. Both counts come from binary searches of
    the rows' (case, day) keys among the sorted span boundaries: the rows may be in any order and are
    never sorted. (This is the sweep "+1 at each start, -1 the day after each end, read the running
    total", so a span given with its end before its start cancels coverage in between, as it always has.)
    """
    valid = ~np.isnat(days)
    values = np.zeros(len(days), dtype=bool)
    if len(spans):
        index = {c: i for i, c in enumerate(case_uniques)}
        span_code = np.array([index.get(c, -2) for c in _strings(spans, "case_id")], dtype="int64")
        start = _days_of(spans["start"])
        end = _days_of(spans["end"])
        end = np.where(np.isnat(end), start, end)
        if len(spans) <= 16:
            for c, s, e in zip(span_code, start, end):
                values |= (case_codes == c) & (days >= s) & (days <= e)
        else:
            known = span_code >= 0  # spans of cases without rows here change nothing
            span_code, start, end = span_code[known], start[known], end[known]
            day_int = days.astype("int64")
            row_days = day_int if valid.all() else day_int[valid]
            bounds = np.concatenate([[row_days.min(), row_days.max()] if len(row_days) else [],
                                     start[~np.isnat(start)].astype("int64"), end[~np.isnat(end)].astype("int64")])
            if len(bounds) and len(span_code) and len(row_days):
                # key = case * stride + day - lo + 1 (1..hi-lo+1); a NaT span date (before every row of
                # its case, as int64 min sorted in the sweep) counts as 0; the day after an end at most
                # hi-lo+2: the stride keeps every case's keys apart (datetime64[ns] days span < 2**18)
                lo, hi = int(bounds.min()), int(bounds.max())
                stride = hi - lo + 3

                def key(code, day):
                    return code * stride + np.where(np.isnat(day), 0, day.astype("int64") - lo + 1)

                starts_at = np.sort(key(span_code, start))
                ends_at = np.sort(key(span_code, end) + 1)
                rows = np.multiply(case_codes, stride, dtype="int64")  # undated rows: a meaningless key, masked
                rows += day_int
                rows -= lo - 1
                inside = np.searchsorted(starts_at, rows, side="right") - np.searchsorted(ends_at, rows, side="right")
                values = inside > 0
    return pd.arrays.BooleanArray(values & valid, ~valid)


# ---------------------------------------------------------------------------------------------------
# The timeline
# ---------------------------------------------------------------------------------------------------
def build_timeline(
    contacts: pd.DataFrame,
    case,
    *,
    link_threshold: float = LINK_THRESHOLD,
    link_window_days: int = LINK_WINDOW_DAYS,
    concern_window_days: int = CONCERN_WINDOW_DAYS,
) -> pd.DataFrame:
    """The integrated chronology (TIMELINE_COLUMNS) of a case's contacts (or several cases' contacts).

    Parameters
    ----------
    contacts : the canonical contact table (CONTACT_COLUMNS), any row order, all agencies.
    case : CaseConfig (or pipeline.Case) — uses date_of_birth, mobile_from, date_of_death and review_date;
        for a table of several cases, a mapping case_id -> CaseConfig (one call is much faster than one
        call per case).
    link_threshold : rapidfuzz token_set_ratio (0-100) at which two agencies' texts report the same event.
    link_window_days : maximum days between two agencies' reports of the same event (rows of one agency
        are linked only when equal in every column but the provenance: `candidate_links`).
    concern_window_days : concern tags recorded within this many days stay in ``open_concerns``.

    Returns
    -------
    One row per contact (none dropped), in `chronology_order`, with: seq (1..n per case); age_days and
    age_display (`child_ages`; a row dated only to its month or year shows the range of ages over that
    period, `_partial_date_ages`, and an approximate one "c. 1y 2m", `_approximate_ages`); child_mobile (`mobility_threshold`); event_group (`link_events`);
    days_since_previous_contact (calendar days since the previous row of the case; NA on the first);
    child_seen_inferred (`review.sightings.inferred_sightings`: a row with no Child seen recorded read as a
    sighting or not from its type and text, with its case's vocabulary, NA where the cell is filled or the
    row says nothing);
    days_since_child_seen (days since the last *earlier* sighting: child_seen True, or blank and
    child_seen_inferred True; NA before the first);
    open_concerns (`_open_concerns`); on_cp_plan and in_hospital (from `periods`).
    The result is identical whatever the input row order.
    """
    contacts = _conform(contacts, CONTACT_COLUMNS)
    order, factorised = _chronology_order(contacts)
    frame = _in_order(contacts, order)
    if not _is_identity(order):  # the sort's factorisations, in the frame's row order
        factorised = {name: (codes[order], uniques) for name, (codes, uniques) in factorised.items()}
    factorised["contact_type"] = _codes(frame["contact_type"], sort=False)  # for the links and the periods
    n = len(frame)
    case_codes, case_uniques = factorised["case_id"]
    starts = _case_starts(case_codes)
    days = _days_of(frame["date"])
    position = np.arange(n)

    new = {}
    new["seq"] = pd.arrays.IntegerArray(position - starts + 1, np.zeros(n, dtype=bool))
    per_case = _case_dates(case, case_uniques)
    new["age_days"], new["age_display"] = _ages(days, per_case["date_of_birth"], case_codes)
    new["age_display"] = _partial_date_ages(new["age_display"], frame["date_precision"], days,
                                            per_case["date_of_birth"], case_codes)
    new["age_display"] = _approximate_ages(new["age_display"], frame["date_precision"],
                                           frame["date_text"] if "date_text" in frame.columns else None)
    new["child_mobile"] = child_mobile_recorded(
        child_mobile(days, per_case["mobile_from"][case_codes], frame["date_precision"]),
        recorded_mobility(frame["description"], frame["action"], per_case["child"][case_codes]), starts, days,
        per_case["mobile_from_given"][case_codes])
    links = candidate_links(frame, threshold=link_threshold, window_days=link_window_days, factorised=factorised,
                            in_order=True)
    new["event_group"] = _groups(frame["event_id"], links["left"].to_numpy(), links["right"].to_numpy())

    previous = np.where(position > starts, position - 1, -1)
    new["days_since_previous_contact"] = _float_days(days, np.where(previous >= 0, days[np.maximum(previous, 0)],
                                                                    np.datetime64("NaT")))
    case_keys = _vocab_keys(case, case_uniques)  # a case's own vocab.yml may add to the sighting words
    new["child_seen_inferred"] = inferred_sightings(
        frame, case_keys[case_codes] if len(set(case_keys.tolist())) > 1 else (case_keys[0] if len(case_keys) else ""))
    new["child_seen_inferred"] = _unborn_unread(new["child_seen_inferred"], days, frame["date_precision"],
                                                per_case["date_of_birth"][case_codes])
    sighted = frame.assign(child_seen_inferred=new["child_seen_inferred"])
    seen = seen_mask(sighted)
    last_seen = _last_where(seen, starts, inclusive=False)
    new["days_since_child_seen"] = _float_days(days, np.where(last_seen >= 0, days[np.maximum(last_seen, 0)],
                                                              np.datetime64("NaT")))
    # (s21, QA12) concerns that cannot be the unborn child's, and an adult service's missed appointments
    unborn = before_birth(days, frame["date_precision"], per_case["date_of_birth"][case_codes])
    row_keys = case_keys[case_codes] if len(case_keys) else np.array([], dtype=object)
    frame = frame.assign(concerns=whose_concerns(frame["concerns"], unborn, adult_service_rows(
        frame["agency"], row_keys) | parent_appointment_rows(frame["description"], frame["action"], row_keys)))
    new["open_concerns"] = _open_concerns(frame["concerns"], days, starts, concern_window_days)

    spans = _periods_of_sorted(_period_columns(frame, factorised, seen | not_seen_mask(sighted)), case)
    kind = _strings(spans, "kind")
    new["on_cp_plan"] = _within(case_codes, case_uniques, days, spans[kind == "cp_plan"])
    new["in_hospital"] = _within(case_codes, case_uniques, days, spans[kind == "hospital"])

    columns = {name: frame[name] for name in frame.columns if name not in new}
    columns.update({name: pd.array(values, dtype=TIMELINE_COLUMNS[name]) for name, values in new.items()})
    ordered = list(TIMELINE_COLUMNS) + [c for c in frame.columns if c not in TIMELINE_COLUMNS]
    return pd.DataFrame({name: columns[name] for name in ordered}, index=frame.index, copy=False)


def before_birth(days: np.ndarray, precision: pd.Series, birth: np.ndarray) -> np.ndarray:
    """Per row, whether the contact certainly came before the child's birth (`birth`: one date of birth per
    row, NaT when unknown): its latest possible day (a month-only "May 2023" its last day, an approximate
    date `APPROXIMATE_SPAN_DAYS` later, `review.rules.base._period_bounds`) is before the date of birth. An
    antenatal record's "seen alone at 27 weeks" is the mother seen, never the child (s21, QA12 D2)."""
    from .rules.base import _period_bounds

    birth = np.asarray(birth, dtype="datetime64[D]")
    if not len(days) or np.isnat(birth).all():
        return np.zeros(len(days), dtype=bool)
    day = pd.Series(np.asarray(days, dtype="datetime64[D]").astype("datetime64[ns]"))
    prec = pd.Series(precision.to_numpy(dtype=object, na_value=""), dtype=object).astype(str)
    _, end = _period_bounds(day, prec, APPROXIMATE_SPAN_DAYS)
    latest = end.to_numpy(dtype="datetime64[ns]").astype("datetime64[D]")
    known = ~np.isnat(latest) & ~np.isnat(birth)
    return known & (latest < birth)  # NaT compares False


#: (s21, QA12 D4/D5/D11) concern tags read on a row before the child's birth (`before_birth`) that cannot be
#: the unborn child's, and what they are read as: the mother's pregnancy ("24 weeks pregnant", "positive
#: pregnancy test") is no sexual activity of the child's; a blow ("pushed her into a wall") is domestic abuse
#: against the mother, no injury of the child's; "not seen" is someone else (the father) unseen. A missed
#: antenatal appointment (was_not_brought) is kept: a concern of the pregnancy the rules word as "a missed
#: antenatal appointment" and was_not_brought does not flag (no child was not brought).
UNBORN_CONCERNS = {"sexual_activity": (), "non_accidental": ("domestic_abuse",), "child_not_seen": ()}


@functools.lru_cache(maxsize=64)
def _vocab_words(key: str, name: str) -> tuple[str, ...]:
    """The normalised words of vocab.yml list `name` in the vocabulary of `key` (a case's
    `review.rules.base.vocab_key`, "" for the package's): read once per vocabulary, not per distinct text
    (`sightings._raw_vocab` copies and merges the whole vocabulary)."""
    from .sightings import _raw_vocab
    from .vocab import normalise_text

    return tuple(w for w in (normalise_text(str(x)) for x in _raw_vocab(key).get(name) or ()) if w)


def _with_keys(codes: np.ndarray, keys, n: int) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """(codes, (value code, key code) pairs, key uniques) of the distinct (value, vocabulary key) of `n` rows whose values have
    the codes `codes`; `keys`: each row's vocabulary key ("" for the package's; not n of them: all "")."""
    keys = np.asarray(keys, dtype=object) if len(keys) == n else np.zeros(0, dtype=object)
    if not len(keys):
        key_codes, key_uniques = np.zeros(n, dtype="int64"), np.array([""], dtype=object)
    else:
        key_codes, key_uniques = pd.factorize(keys)
    pairs, inverse = np.unique(np.asarray(codes, dtype="int64") * len(key_uniques) + key_codes, return_inverse=True)
    return inverse.reshape(-1), np.stack([pairs // len(key_uniques), pairs % len(key_uniques)], axis=1), key_uniques


def adult_service_rows(agency: pd.Series, keys) -> np.ndarray:
    """Per row, whether its agency is a service for adults (vocab.yml `adult_service_words` in its name:
    "Pathways Drug and Alcohol Service", "Adult Mental Health", "Probation"): the appointments it records
    missed are a parent's own, never the child not brought (s21, QA12 D3). `keys`: each row's vocabulary key
    (`review.rules.base.vocab_key`, "" for the package's). One reading per distinct (agency, vocabulary); the
    names factorised as a column (s22: not a million-row object array and MultiIndex)."""
    from .vocab import normalise_text

    if not len(agency):
        return np.zeros(0, dtype=bool)
    codes, names = _codes(agency, sort=False)
    inverse, pairs, key_uniques = _with_keys(codes, keys, len(agency))
    out = np.zeros(len(pairs), dtype=bool)
    for i, (name, key) in enumerate(pairs.tolist()):
        words = _vocab_words(str(key_uniques[key]), "adult_service_words")
        text = f" {normalise_text(str(names[name]))} "
        out[i] = any(f" {w} " in text for w in words if w)
    return out[inverse]


def parent_appointment_rows(description: pd.Series, action: pd.Series, keys) -> np.ndarray:
    """Per row, whether its description or action names a parent's own appointment (vocab.yml
    `parent_appointment_words`: "Mother's postnatal check: did not attend."): missed, it is the parent's, never
    the child not brought (s21, QA13 / QA12 D3), as an adult service's are (`adult_service_rows`). `keys`: each
    row's vocabulary key ("" for the package's). One reading per distinct (text, vocabulary), of the rows a
    vectorised search over the distinct descriptions and actions finds a phrase in (s22: or a phrase's first
    word in the description and its last in the action, a phrase across the two), not of every row."""
    from .rules.base import _keyword_prefilter, _prefiltered_caseless
    from .vocab import normalise_text

    n = len(description)
    if not n:
        return np.zeros(0, dtype=bool)
    keys = np.asarray(keys, dtype=object) if len(keys) == n else np.full(n, "", dtype=object)
    words = sorted({w for key in pd.unique(keys) for w in _vocab_words(str(key), "parent_appointment_words")})
    if not words:
        return np.zeros(n, dtype=bool)
    d_codes, d_uniques = _codes(description, sort=False)
    a_codes, a_uniques = _codes(action, sort=False)

    def holds(uniques, phrases) -> np.ndarray:
        if not len(uniques) or not phrases:
            return np.zeros(len(uniques), dtype=bool)
        return _prefiltered_caseless(pa.array(np.asarray(uniques, dtype=object), type=pa.large_string()),
                                     _keyword_prefilter(phrases))

    firsts = sorted({w.split()[0] for w in words if len(w.split()) > 1})
    lasts = sorted({w.split()[-1] for w in words if len(w.split()) > 1})
    ask = (holds(d_uniques, words)[d_codes] | holds(a_uniques, words)[a_codes]
           | (holds(d_uniques, firsts)[d_codes] & holds(a_uniques, lasts)[a_codes]))
    out = np.zeros(n, dtype=bool)
    rows = np.flatnonzero(ask)
    read: dict = {}
    for r in rows.tolist():
        cell = f"{d_uniques[d_codes[r]]} . {a_uniques[a_codes[r]]}"
        key = (cell, keys[r])
        if key not in read:
            padded = f" {normalise_text(cell)} "
            read[key] = any(f" {w} " in padded for w in _vocab_words(str(keys[r]), "parent_appointment_words") if w)
        out[r] = read[key]
    return out


def whose_concerns(concerns: pd.Series, unborn: np.ndarray, adult_service: np.ndarray) -> pd.Series:
    """`concerns` with, on rows before the birth (`unborn`), `UNBORN_CONCERNS` read as the adults', and on an
    adult service's rows (`adult_service_rows`) or a parent's own appointment's (`parent_appointment_rows`, s21)
    no was_not_brought: the parent's own missed appointment."""
    change = np.asarray(unborn, dtype=bool) | np.asarray(adult_service, dtype=bool)
    if not change.any():
        return concerns
    out = concerns.astype(object).to_numpy(dtype=object, na_value=None).copy()
    for i in np.flatnonzero(change):
        if not isinstance(out[i], str) or not out[i]:
            continue
        tags = [t.strip() for t in out[i].split(";") if t.strip()]
        kept = []
        for tag in tags:
            if unborn[i] and tag in UNBORN_CONCERNS:
                kept.extend(UNBORN_CONCERNS[tag])
            elif not (adult_service[i] and tag == "was_not_brought"):
                kept.append(tag)
        out[i] = "; ".join(sorted(dict.fromkeys(kept)))
    return pd.Series(pd.array(out, dtype=concerns.dtype), index=concerns.index)


def _unborn_unread(inferred: pd.arrays.BooleanArray, days: np.ndarray, precision: pd.Series,
                   birth: np.ndarray) -> pd.arrays.BooleanArray:
    """``child_seen_inferred`` with nothing read on rows before the child's birth (`before_birth`): an
    unborn child is neither seen nor not seen ("seen alone", "not seen" there are the mother's or the
    father's), so its first sighting, and `days_since_child_seen`, start after the birth (s21, QA12 D2)."""
    unborn = before_birth(days, precision, birth)
    if not unborn.any():
        return inferred
    out = pd.array(inferred, dtype="boolean").copy()
    out[unborn] = pd.NA
    return out


# ---------------------------------------------------------------------------------------------------
# Summaries
# ---------------------------------------------------------------------------------------------------
def agency_summary(timeline: pd.DataFrame, rules: dict | None = None, case=None, *,
                   held: pd.Series | None = None) -> pd.DataFrame:
    """Per agency, agency_kind and organisation: contacts, contacts with the child seen (child_seen: as the
    rules read it, `review.sightings.seen_mask`: recorded, or read from the row where no Child seen is
    recorded; child_seen_read: how many of those were read, not recorded), contacts recording
    at least one concern, and contacts that were an escalation (escalations_made: one that took place, as
    the rules read it, `review.rules.base.held_escalations`: not a "Strategy discussion cancelled" row whose
    escalation cell says strategy_discussion, nor "Referral to MASH not made" with its cell filled by hand;
    `rules` and `case` as `review.rules.detect` takes them, for the case's vocabulary; `held`: that reading
    when the caller has it already, `review.rules.base.held_escalation_column` of `timeline`, in its row
    order, as `review.pipeline.Analysis.held_escalations`). Sorted by agency_kind, agency, organisation.
    """
    if timeline.empty:
        return empty_frame(AGENCY_SUMMARY_COLUMNS)
    if held is None or len(held) != len(timeline):
        from .rules.base import held_escalation_column

        held = held_escalation_column(timeline, rules, case)
    seen = seen_mask(timeline)
    frame = pd.DataFrame(
        {
            "agency": timeline["agency"].fillna("").astype("string"),
            "agency_kind": timeline["agency_kind"].fillna("").astype("string"),
            "organisation": timeline["organisation"].fillna("").astype("string"),
            "contacts": 1,
            "child_seen": seen.astype("int64"),
            "child_seen_read": (seen & timeline["child_seen"].isna().to_numpy()).astype("int64"),
            "concerns_recorded": (timeline["concerns"].fillna("").astype(str).str.strip() != "").astype("int64"),
            "escalations_made": (held.to_numpy(dtype=object) != "").astype("int64"),
        }
    )
    out = frame.groupby(["agency", "agency_kind", "organisation"], sort=False, dropna=False).sum().reset_index()
    out = out.sort_values(["agency_kind", "agency", "organisation"], kind="mergesort").reset_index(drop=True)
    return conform(out, AGENCY_SUMMARY_COLUMNS)[list(AGENCY_SUMMARY_COLUMNS)]


def health_summary(timeline: pd.DataFrame) -> str:
    """The headline "N contacts with health professionals across K health organisations"."""
    health = timeline[timeline["agency_kind"].fillna("") == "health"]
    org = health["organisation"].fillna("").astype(str)
    org = org.where(org.str.strip() != "", health["agency"].fillna("").astype(str))
    n, k = len(health), org[org.str.strip() != ""].nunique()
    contacts = "contact" if n == 1 else "contacts"
    organisations = "organisation" if k == 1 else "organisations"
    return f"{n} {contacts} with health professionals across {k} health {organisations}"
