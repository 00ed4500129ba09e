"""The integrated chronology: every agency's contacts in one deterministic order, with what a reviewer reads
beside each row (the child's age and mobility, gaps since the last contact and since the child was last
seen, concerns still open, whether the child was on a child protection plan or in hospital) and links
between rows in which two agencies report the same event. No row is ever dropped.

Public functions: `build_timeline`, `periods`, `agency_summary`, `health_summary`, `link_events`.
Everything is vectorised over the whole table and grouped by ``case_id``, so one call can hold many cases.
"""
from __future__ import annotations

import datetime as dt
import re

import numpy as np
import pandas as pd
from rapidfuzz import fuzz, utils
from rapidfuzz.process import cpdist

from .schema import CONTACT_COLUMNS, MULTI_SEP, TIMELINE_COLUMNS, conform, empty_frame

# ---------------------------------------------------------------------------------------------------
# Parameters (defaults; every function takes them as keyword arguments)
# ---------------------------------------------------------------------------------------------------
#: when case.yml gives no ``mobile_from``, a child is treated as not yet mobile before this many months
#: of age and mobile from then on (safeguarding protocols on bruising in non-mobile babies are most
#: often applied to children under six months). Override per case with ``mobile_from`` in case.yml.
DEFAULT_NONMOBILE_MONTHS = 6

#: rapidfuzz token_set_ratio (0-100) at or above which two reports' texts describe the same event
LINK_THRESHOLD = 85.0
#: two reports are compared only when their dates are at most this many days apart
LINK_WINDOW_DAYS = 1
#: concern tags recorded within this many days before a contact are "open" at it
CONCERN_WINDOW_DAYS = 90

#: sort rank of a date's precision: a precise day sorts before a vague one starting the same day
PRECISION_RANK = {"day": 0, "approximate": 1, "month": 2, "year": 3}

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
#: only rows dated to a day (or approximately to a day) are linked; month/year dates are too vague
LINKABLE_PRECISIONS = ("day", "approximate")

#: the words that start and end periods. Matching is case-insensitive on whole words/phrases over
#: description, action and analysis. Checked in order: ``none`` (a conference that decided against a plan)
#: wins over ``end``, which wins over ``start`` ("no longer subject to a child protection plan" ends).
CP_PLAN_KEYWORDS: dict[str, tuple[str, ...]] = {
    "none": (
        "not made subject", "not to be made subject", "no child protection plan", "no cp plan", "no plan",
        "threshold not met", "did not meet threshold", "did not meet the threshold", "not meet the threshold",
        "not subject to a child protection plan", "not subject to a cp plan",
    ),
    "end": (
        "plan ended", "plan ends", "plan discontinued", "discontinued", "no longer subject", "no longer on",
        "removed from plan", "removed from the plan", "plan removed", "plan ceased", "ceased",
        "step down", "stepped down", "child in need plan", "de-registered", "deregistered",
    ),
    "start": (
        "subject to a child protection plan", "subject to child protection plan", "subject to a cp plan",
        "child protection plan", "cp plan", "category of neglect", "category of physical abuse",
        "category of emotional abuse", "category of sexual abuse", "under the category", "plan",
    ),
}
#: contact types whose outcome can start or end a CP plan
CP_PLAN_CONTACT_TYPES = ("cp_conference",)
HOSPITAL_ADMISSION_TYPES = ("admission",)
HOSPITAL_DISCHARGE_TYPES = ("discharge",)

PERIOD_COLUMNS: dict[str, str] = {
    "case_id": "string",
    "kind": "string",  # cp_plan | hospital
    "start": "datetime64[ns]",
    "end": "datetime64[ns]",  # NaT: end unknown (a hospital admission with no discharge found)
    "agency": "string",
    "evidence_event_ids": "string",
}

AGENCY_SUMMARY_COLUMNS: dict[str, str] = {
    "agency": "string",
    "agency_kind": "string",
    "organisation": "string",
    "contacts": "Int64",
    "child_seen": "Int64",
    "concerns_recorded": "Int64",
    "escalations_made": "Int64",
}

DAY = np.timedelta64(1, "D")


# ---------------------------------------------------------------------------------------------------
# Sorting
# ---------------------------------------------------------------------------------------------------
def sort_contacts(contacts: pd.DataFrame) -> pd.DataFrame:
    """Contacts in chronology order; the result does not depend on the input row order.

    Keys: case_id, date, precision rank (day < approximate < month < year), sequence (blank last),
    agency, source_file, source_sheet, source_row, then event_id and the verbatim text as tie-breakers so
    that even duplicated provenance sorts the same way every time.
    """
    frame = contacts.copy()
    frame["_prec"] = frame["date_precision"].map(PRECISION_RANK).fillna(len(PRECISION_RANK)).astype("int64")
    keys = [
        "case_id", "date", "_prec", "sequence", "agency", "source_file", "source_sheet", "source_row",
        "event_id", "contact_type", "description", "action", "analysis",
    ]
    frame = frame.sort_values(keys, kind="mergesort", na_position="last")
    return frame.drop(columns="_prec").reset_index(drop=True)


# ---------------------------------------------------------------------------------------------------
# Age
# ---------------------------------------------------------------------------------------------------
def _ages(dates: pd.Series, dob: dt.date) -> tuple[pd.Series, pd.Series]:
    """(age_days Int64, age_display) for each date, from the date of birth.

    age_display is calendar months and days ("7m 12d", "0m 5d"); from 12 months it is "1y 2m 3d".
    A month is counted on the day-of-month of birth (clamped to the month's last day, so a child born on
    31 January is a month old on 28/29 February). Dates before birth give negative age_days and a display
    of days before birth ("-45d") — antenatal contacts are kept, not dropped.
    """
    birth = pd.Timestamp(dob)
    day = dates.dt.normalize()
    age_days = ((day - birth) / pd.Timedelta(days=1)).round().astype("Int64")

    valid = day.notna()
    y = day.dt.year.to_numpy(dtype="float64", na_value=np.nan)
    m = day.dt.month.to_numpy(dtype="float64", na_value=np.nan)
    d = day.dt.day.to_numpy(dtype="float64", na_value=np.nan)
    months = (y - birth.year) * 12 + (m - birth.month)
    months = np.where(d < birth.day, months - 1, months)
    months = np.where(np.isnan(months), 0, months).astype("int64")
    months = np.maximum(months, 0)
    total = birth.year * 12 + (birth.month - 1) + months
    ann_year, ann_month = total // 12, total % 12 + 1
    first = pd.to_datetime(pd.DataFrame({"year": ann_year, "month": ann_month, "day": 1}))
    dim = first.dt.days_in_month.to_numpy()
    anniversary = first + pd.to_timedelta(np.minimum(birth.day, dim) - 1, unit="D")
    days = ((day.to_numpy() - anniversary.to_numpy()) / DAY)
    days = np.where(valid.to_numpy(), days, 0).astype("int64")

    years, rem_months = months // 12, months % 12
    # Few distinct (years, months, days, before-birth) combinations: format those, then take.
    before_birth = (age_days < 0).fillna(False).to_numpy(dtype=bool)
    raw_days = np.where(before_birth, age_days.fillna(0).to_numpy(dtype="int64"), days)
    key = pd.MultiIndex.from_arrays([years, rem_months, raw_days, before_birth, ~valid.to_numpy()])
    codes, uniques = pd.factorize(key)
    labels = np.array([
        "" if invalid else f"{d}d" if antenatal else f"{y}y {mo}m {d}d" if y > 0 else f"{mo}m {d}d"
        for y, mo, d, antenatal, invalid in uniques
    ], dtype=object)
    display = pd.Series(labels[codes] if len(codes) else [], index=dates.index, dtype="string")
    return age_days, display


def _child_mobile(dates: pd.Series, case) -> pd.Series:
    """Mobile from case.mobile_from; without it, not mobile before DEFAULT_NONMOBILE_MONTHS of age."""
    if getattr(case, "mobile_from", None):
        threshold = pd.Timestamp(case.mobile_from)
    else:
        threshold = pd.Timestamp(case.date_of_birth) + pd.DateOffset(months=DEFAULT_NONMOBILE_MONTHS)
    return (dates.dt.normalize() >= threshold).astype("boolean").mask(dates.isna())


# ---------------------------------------------------------------------------------------------------
# Linking the same event reported by several agencies
# ---------------------------------------------------------------------------------------------------
def _text_for_linking(frame: pd.DataFrame) -> pd.Series:
    text = frame["description"].fillna("").astype(str)
    return text.where(text.str.strip() != "", frame["action"].fillna("").astype(str))


def _components(n: int, left: np.ndarray, right: np.ndarray) -> np.ndarray:
    """Connected components of an undirected graph on 0..n-1: the smallest node of each component.

    Pointer-jumping label propagation: each round takes the minimum label over every edge and then
    compresses chains, so the number of rounds grows with log(component size) — near-linear overall.
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
        label = label[label]
        while True:
            jumped = label[label]
            if np.array_equal(jumped, label):
                break
            label = jumped
        if np.array_equal(label, before):
            return label


def candidate_links(
    timeline: pd.DataFrame,
    *,
    threshold: float = LINK_THRESHOLD,
    window_days: int = LINK_WINDOW_DAYS,
) -> pd.DataFrame:
    """Pairs of rows (positions ``left`` < ``right`` in `timeline`) that report the same event, with score.

    Two rows link when: same case; dates (day or approximate precision) at most `window_days` apart;
    contact types in the same LINK_GROUPS group; different agencies; and rapidfuzz token_set_ratio of
    their texts (description, else action) >= `threshold`. Blank texts never link. Blocking on
    (case, group, day) keeps the comparison near-linear in the number of rows.
    """
    type_to_group = {t: g for g, types in LINK_GROUPS.items() for t in types}
    group = timeline["contact_type"].map(type_to_group)
    text = _text_for_linking(timeline)
    ok = (
        group.notna()
        & timeline["date"].notna()
        & timeline["date_precision"].isin(LINKABLE_PRECISIONS)
        & (text.str.strip() != "")
    )
    rows = pd.DataFrame(
        {
            "pos": np.arange(len(timeline))[ok.to_numpy()],
            "case_id": timeline.loc[ok, "case_id"].to_numpy(),
            "group": group[ok].to_numpy(),
            "day": (timeline.loc[ok, "date"].dt.normalize() - pd.Timestamp("1970-01-01")).dt.days.to_numpy(),
            "agency": timeline.loc[ok, "agency"].to_numpy(),
        }
    )
    empty = pd.DataFrame({"left": pd.Series(dtype="int64"), "right": pd.Series(dtype="int64"),
                          "score": pd.Series(dtype="float64")})
    if rows.empty:
        return empty
    pairs = []
    for offset in range(window_days + 1):
        shifted = rows.assign(day=rows["day"] - offset)  # right.day - offset == left.day
        merged = rows.merge(shifted, on=["case_id", "group", "day"], suffixes=("_l", "_r"))
        if offset == 0:
            merged = merged[merged["pos_l"] < merged["pos_r"]]
        pairs.append(merged[merged["agency_l"] != merged["agency_r"]][["pos_l", "pos_r"]])
    pairs = pd.concat(pairs, ignore_index=True)
    if pairs.empty:
        return empty
    left = np.minimum(pairs["pos_l"].to_numpy(), pairs["pos_r"].to_numpy())
    right = np.maximum(pairs["pos_l"].to_numpy(), pairs["pos_r"].to_numpy())
    text_values = text.to_numpy(dtype=object)
    scores = cpdist(
        text_values[left], text_values[right], scorer=fuzz.token_set_ratio, processor=utils.default_process,
        workers=1,
    )
    out = pd.DataFrame({"left": left, "right": right, "score": np.asarray(scores, dtype="float64")})
    out = out[out["score"] >= threshold].sort_values(["left", "right"], kind="mergesort")
    return out.drop_duplicates(["left", "right"]).reset_index(drop=True)


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
    event_ids = timeline["event_id"].astype("string").fillna("").to_numpy(dtype=object)
    n = len(timeline)
    # Work in event_id order so that "smallest node" is the smallest event_id.
    order = np.argsort(event_ids, kind="stable")
    rank = np.empty(n, dtype="int64")
    rank[order] = np.arange(n)
    labels = _components(n, rank[links["left"].to_numpy()], rank[links["right"].to_numpy()])
    return pd.Series(event_ids[order][labels[rank]], index=timeline.index, dtype="string")


# ---------------------------------------------------------------------------------------------------
# Gaps and open concerns
# ---------------------------------------------------------------------------------------------------
def _days_between(later: pd.Series, earlier: pd.Series) -> pd.Series:
    return ((later.dt.normalize() - earlier.dt.normalize()) / pd.Timedelta(days=1)).astype("Float64")


def _open_concerns(timeline: pd.DataFrame, window_days: int) -> pd.Series:
    """Concern tags recorded at this row or any earlier row of the case dated within `window_days`.

    Rows are taken in timeline order (the frame must be sorted by case then seq); joined sorted text.
    """
    n = len(timeline)
    # few distinct concern strings: split each once, then expand to (row, tag) pairs
    row_codes, distinct = pd.factorize(timeline["concerns"].fillna("").astype(str).to_numpy())
    split = [[t.strip() for t in str(v).split(MULTI_SEP.strip()) if t.strip()] for v in distinct]
    vocabulary = np.array(sorted({t for parts in split for t in parts}), dtype=object)
    if len(vocabulary) == 0:
        return pd.Series("", index=timeline.index, dtype="string")
    tag_index = {t: i for i, t in enumerate(vocabulary)}
    membership = np.zeros((len(distinct), len(vocabulary)), dtype=bool)
    for i, parts in enumerate(split):
        membership[i, [tag_index[t] for t in parts]] = True
    positions, codes = np.nonzero(membership[row_codes])
    day = (timeline["date"].dt.normalize() - pd.Timestamp("1970-01-01")).dt.days.to_numpy(
        dtype="float64", na_value=np.nan
    )
    recorded = np.full((n, len(vocabulary)), np.nan)
    recorded[positions, codes] = day[positions]
    last = pd.DataFrame(recorded, index=timeline.index).groupby(timeline["case_id"].to_numpy(), sort=False).ffill()
    is_open = (last.to_numpy() >= (day - window_days)[:, None])
    # encode each row's open set as a bit mask and format each distinct set once
    chunks = [is_open[:, i : i + 62] for i in range(0, len(vocabulary), 62)]
    masks = [chunk.astype("int64") @ (np.int64(1) << np.arange(chunk.shape[1], dtype="int64")) for chunk in chunks]
    if len(masks) == 1:
        row_sets, uniques = pd.factorize(masks[0])
        uniques = [(u,) for u in uniques]
    else:
        row_sets, uniques = pd.factorize(pd.MultiIndex.from_arrays(masks))
    labels = np.array([
        MULTI_SEP.join(
            vocabulary[i * 62 + bit]
            for i, mask in enumerate(combo)
            for bit in range(62)
            if int(mask) >> bit & 1
        )
        for combo in uniques
    ], dtype=object)
    return pd.Series(labels[row_sets], index=timeline.index, dtype="string")


# ---------------------------------------------------------------------------------------------------
# Periods: child protection plans and hospital stays
# ---------------------------------------------------------------------------------------------------
def _keyword_pattern(words) -> re.Pattern:
    alternatives = sorted((re.escape(w) for w in words), key=len, reverse=True)
    return re.compile(r"(?<!\w)(?:" + "|".join(alternatives) + r")(?!\w)", re.IGNORECASE)


_CP_PATTERNS = {kind: _keyword_pattern(words) for kind, words in CP_PLAN_KEYWORDS.items()}


def _period_text(frame: pd.DataFrame) -> pd.Series:
    return (
        frame["description"].fillna("").astype(str) + " . " + frame["action"].fillna("").astype(str)
        + " . " + frame["analysis"].fillna("").astype(str)
    )


def _end_of_review(timeline: pd.DataFrame, case=None) -> pd.Series:
    """Per case_id: the date that closes a still-open CP plan (date of death, review date, last contact)."""
    last = timeline.groupby("case_id", sort=True)["date"].max().dt.normalize()
    if case is not None:
        fixed = case.date_of_death or case.review_date
        if fixed:
            last = pd.Series(pd.Timestamp(fixed), index=last.index)
    return last


def _cp_plan_periods(timeline: pd.DataFrame, case=None) -> pd.DataFrame:
    rows = timeline[timeline["contact_type"].isin(CP_PLAN_CONTACT_TYPES) & timeline["date"].notna()]
    if rows.empty:
        return empty_frame(PERIOD_COLUMNS)
    text = _period_text(rows)
    is_none = text.str.contains(_CP_PATTERNS["none"])
    is_end = ~is_none & text.str.contains(_CP_PATTERNS["end"])
    is_start = ~is_none & ~is_end & text.str.contains(_CP_PATTERNS["start"])
    markers = rows.loc[is_start | is_end, ["case_id", "date", "agency", "event_id"]].copy()
    if markers.empty:
        return empty_frame(PERIOD_COLUMNS)
    markers["start"] = is_start[markers.index].to_numpy()
    # timeline is already sorted by case then date, so markers are too.
    on_before = markers.groupby("case_id", sort=False)["start"].shift(1).fillna(False).astype(bool)
    eff_start = markers["start"] & ~on_before
    eff_end = ~markers["start"] & on_before
    markers["period"] = eff_start.groupby(markers["case_id"], sort=False).cumsum()
    in_period = eff_start | on_before  # starts, confirmations while on a plan, and the end
    evidence = markers[in_period]
    grouped = evidence.groupby(["case_id", "period"], sort=True)
    first = markers[eff_start].set_index(["case_id", "period"])
    ends = markers[eff_end].set_index(["case_id", "period"])["date"]
    out = pd.DataFrame(
        {
            "kind": "cp_plan",
            "start": first["date"].dt.normalize(),
            "agency": first["agency"],
            "evidence_event_ids": grouped["event_id"].agg(lambda ids: MULTI_SEP.join(ids)),
        }
    )
    out["end"] = ends.dt.normalize().reindex(out.index)
    close = _end_of_review(timeline, case)
    open_end = pd.Series(close.reindex(out.index.get_level_values("case_id")).to_numpy(), index=out.index)
    out["end"] = out["end"].where(out["end"].notna(), open_end.astype("datetime64[ns]"))
    return conform(out.reset_index().drop(columns="period"), PERIOD_COLUMNS)[list(PERIOD_COLUMNS)]


def _hospital_periods(timeline: pd.DataFrame) -> pd.DataFrame:
    org = timeline["organisation"].fillna("").astype(str)
    org = org.where(org != "", timeline["agency"].fillna("").astype(str))
    frame = timeline.assign(_org=org, _day=timeline["date"].dt.normalize())
    frame = frame[frame["date"].notna()]
    admissions = frame[frame["contact_type"].isin(HOSPITAL_ADMISSION_TYPES)]
    if admissions.empty:
        return empty_frame(PERIOD_COLUMNS)
    discharges = frame[frame["contact_type"].isin(HOSPITAL_DISCHARGE_TYPES)]
    adm = admissions[["case_id", "_org", "_day", "date_end", "agency", "event_id"]].copy()
    adm["_pos"] = np.arange(len(adm))
    # the discharge must come before this organisation's next admission
    adm = adm.sort_values(["case_id", "_org", "_day", "_pos"], kind="mergesort")
    adm["_next"] = adm.groupby(["case_id", "_org"], sort=False)["_day"].shift(-1)
    dis = discharges[["case_id", "_org", "_day", "event_id"]].rename(
        columns={"_day": "_dis_day", "event_id": "_dis_id"}
    )
    if len(dis):
        adm = adm.sort_values("_day", kind="mergesort")
        dis = dis.sort_values(["_dis_day", "_dis_id"], kind="mergesort")
        matched = pd.merge_asof(
            adm, dis, left_on="_day", right_on="_dis_day", by=["case_id", "_org"], direction="forward",
        )
        too_late = matched["_next"].notna() & (matched["_dis_day"] > matched["_next"])
        matched.loc[too_late, ["_dis_day", "_dis_id"]] = [pd.NaT, pd.NA]
    else:
        matched = adm.assign(_dis_day=pd.NaT, _dis_id=pd.NA)
    own_end = matched["date_end"].dt.normalize()
    end = own_end.where(own_end.notna(), matched["_dis_day"])
    evidence = matched["event_id"].astype("string")
    evidence = evidence.where(
        own_end.notna() | matched["_dis_id"].isna(),
        evidence + MULTI_SEP + matched["_dis_id"].astype("string"),
    )
    out = pd.DataFrame(
        {
            "case_id": matched["case_id"],
            "kind": "hospital",
            "start": matched["_day"],
            "end": end,
            "agency": matched["agency"],
            "evidence_event_ids": evidence,
            "_pos": matched["_pos"],
        }
    ).sort_values("_pos", kind="mergesort")
    return conform(out.drop(columns="_pos"), PERIOD_COLUMNS)[list(PERIOD_COLUMNS)]


def periods(timeline: pd.DataFrame, case=None) -> pd.DataFrame:
    """Child protection plan and hospital periods found in a timeline.

    Columns: case_id, kind ('cp_plan' | 'hospital'), start, end, agency, evidence_event_ids.

    * cp_plan: a child protection conference whose outcome text (description, action, analysis) says the
      child was made subject to a plan starts a period; one saying the plan ended / was discontinued /
      the child is no longer subject ends it (CP_PLAN_KEYWORDS). A plan still open at the end closes at
      the child's date of death or the review date when `case` gives them, else the case's last contact.
      Evidence: the start, every conference confirming the plan, and the end.
    * hospital: an admission lasts until its own ``date_end``, else the next discharge recorded by the same
      organisation (agency when no organisation) before that organisation's next admission; ``end`` is
      NaT when no discharge is found.

    Dates are calendar days (time of day dropped). Sorted by case_id, kind, start, agency.
    """
    return _periods_of_sorted(_ensure_sorted(timeline), case)


def _periods_of_sorted(timeline: pd.DataFrame, case=None) -> pd.DataFrame:
    out = pd.concat([_cp_plan_periods(timeline, case), _hospital_periods(timeline)], ignore_index=True)
    out = conform(out, PERIOD_COLUMNS)[list(PERIOD_COLUMNS)]
    out = out.sort_values(["case_id", "kind", "start", "agency", "evidence_event_ids"], kind="mergesort")
    return out.reset_index(drop=True)


def _ensure_sorted(timeline: pd.DataFrame) -> pd.DataFrame:
    if "seq" in timeline.columns and timeline["seq"].notna().all():
        return timeline.sort_values(["case_id", "seq"], kind="mergesort").reset_index(drop=True)
    return sort_contacts(conform(timeline, CONTACT_COLUMNS))


def _within_periods(timeline: pd.DataFrame, spans: pd.DataFrame) -> pd.Series:
    """True for rows whose day falls in any span of the same case (a NaT end counts as the start day only).

    A sweep: +1 at each span's start, -1 the day after its end, rows read the running total; boundaries
    sort before rows on the same day. Every case's spans balance, so one global cumulative sum serves all.
    """
    valid = timeline["date"].notna().to_numpy()
    if spans.empty:
        return pd.Series(False, index=timeline.index, dtype="boolean").mask(~valid)
    start = spans["start"]
    end = spans["end"].fillna(start) + pd.Timedelta(days=1)
    events = pd.DataFrame(
        {
            "case_id": np.concatenate([spans["case_id"].to_numpy(), spans["case_id"].to_numpy(),
                                       timeline["case_id"].to_numpy()]),
            "day": np.concatenate([start.to_numpy(), end.to_numpy(), timeline["date"].dt.normalize().to_numpy()]),
            "kind": np.concatenate([np.zeros(2 * len(spans), "int8"), np.ones(len(timeline), "int8")]),
            "delta": np.concatenate([np.ones(len(spans), "int64"), -np.ones(len(spans), "int64"),
                                     np.zeros(len(timeline), "int64")]),
            "row": np.concatenate([np.full(2 * len(spans), -1), np.arange(len(timeline))]),
        }
    )
    events = events[events["day"].notna()].sort_values(["case_id", "day", "kind"], kind="mergesort")
    running = events["delta"].cumsum().to_numpy()
    rows = events["row"].to_numpy()
    values = np.zeros(len(timeline), dtype=bool)
    is_row = rows >= 0
    values[rows[is_row]] = running[is_row] > 0
    return pd.Series(values, index=timeline.index, dtype="boolean").mask(~valid)


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
    """The integrated chronology (TIMELINE_COLUMNS) of one case's contacts.

    Parameters
    ----------
    contacts : the canonical contact table (CONTACT_COLUMNS), any row order, all agencies.
    case : CaseConfig — uses date_of_birth, mobile_from, date_of_death and review_date.
    link_threshold : rapidfuzz token_set_ratio (0-100) at which two agencies' texts report the same event.
    link_window_days : maximum days between two reports of the same event.
    concern_window_days : concern tags recorded within this many days stay in ``open_concerns``.

    Returns
    -------
    One row per contact (none dropped), sorted by `sort_contacts`, with:
    seq (1..n per case), age_days / age_display (see `_ages`), child_mobile, event_group (`link_events`),
    days_since_previous_contact (calendar days since the previous row of the case; NA on the first),
    days_since_child_seen (days since the last *earlier* row with child_seen True; NA before the first),
    open_concerns (`_open_concerns`), on_cp_plan and in_hospital (from `periods`).
    The result is identical whatever the input row order.
    """
    frame = conform(contacts, CONTACT_COLUMNS)
    frame = sort_contacts(frame)
    by_case = frame.groupby("case_id", sort=False)

    frame["seq"] = (by_case.cumcount() + 1).astype("Int64")
    frame["age_days"], frame["age_display"] = _ages(frame["date"], case.date_of_birth)
    frame["child_mobile"] = _child_mobile(frame["date"], case)
    frame["event_group"] = link_events(frame, threshold=link_threshold, window_days=link_window_days)

    frame["days_since_previous_contact"] = _days_between(frame["date"], by_case["date"].shift(1))
    seen_date = frame["date"].where(frame["child_seen"].fillna(False).astype(bool))
    last_seen_before = seen_date.groupby(frame["case_id"], sort=False).shift(1)
    last_seen_before = last_seen_before.groupby(frame["case_id"], sort=False).ffill()
    frame["days_since_child_seen"] = _days_between(frame["date"], last_seen_before)
    frame["open_concerns"] = _open_concerns(frame, concern_window_days)

    spans = _periods_of_sorted(frame, case)
    frame["on_cp_plan"] = _within_periods(frame, spans[spans["kind"] == "cp_plan"])
    frame["in_hospital"] = _within_periods(frame, spans[spans["kind"] == "hospital"])
    return conform(frame, TIMELINE_COLUMNS)


# ---------------------------------------------------------------------------------------------------
# Summaries
# ---------------------------------------------------------------------------------------------------
def agency_summary(timeline: pd.DataFrame) -> pd.DataFrame:
    """Per agency, agency_kind and organisation: contacts, contacts with the child seen, contacts recording
    at least one concern, and contacts that were an escalation. Sorted by agency_kind, agency, organisation.
    """
    if timeline.empty:
        return empty_frame(AGENCY_SUMMARY_COLUMNS)
    frame = pd.DataFrame(
        {
            "agency": timeline["agency"].fillna("").astype("string"),
            "agency_kind": timeline["agency_kind"].fillna("").astype("string"),
            "organisation": timeline["organisation"].fillna("").astype("string"),
            "contacts": 1,
            "child_seen": timeline["child_seen"].fillna(False).astype(bool).astype("int64"),
            "concerns_recorded": (timeline["concerns"].fillna("").astype(str).str.strip() != "").astype("int64"),
            "escalations_made": (timeline["escalation"].fillna("").astype(str).str.strip() != "").astype("int64"),
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
