"""The review's charts: tables in, a matplotlib `Figure` out, in one house style.

Every chart reads in colour and in greyscale: colours come from the Okabe-Ito palette (safe for the
common colour-vision deficiencies) and every colour-coded distinction is doubled by a marker shape, a
hatch or a line style. Nothing here touches global state: figures are built with `matplotlib.figure.Figure`
(not pyplot, so nothing is registered or leaked) inside `house_style()`, a `plt.rc_context`. Artists carry
their meaning in `gid` (``lane:<agency>``, ``flag:<n>``, ``period:<kind>:<i>``, ...) so tests and the HTML
report can check a chart against the tables it was drawn from. Saving is `review.export.save_figure`.
"""
from __future__ import annotations

import contextlib
import math
import textwrap
from pathlib import Path
from collections.abc import Iterator

import matplotlib as mpl
import matplotlib.dates as mdates
import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
from matplotlib.figure import Figure
from matplotlib.lines import Line2D
from matplotlib.patches import Patch

from .ingest.dates import approximate_unit, season_label
from .sightings import NOT_SEEN, NOT_SEEN_READ, SEEN, SEEN_READ, SIGHTING_STATUSES, UNKNOWN, sighting_status
from .schema import (
    AGENCY_KINDS,
    CONTACT_TYPES,
    RESPONSE_LATENCY_COLUMNS,
    TIMELINE_COLUMNS,
    conform,
    escalated_mask,
    split_multi,
)

__all__ = [
    "OKABE_ITO",
    "KIND_COLOURS",
    "CONTACT_MARKERS",
    "HOLLOW_CONTACT_TYPES",
    "HOUSE_RC",
    "house_style",
    "alt_text",
    "plot_swimlane",
    "plot_response_latency",
    "plot_agency_knowledge",
    "plot_contact_density",
]

# ---------------------------------------------------------------------------------------------------
# The house style
# ---------------------------------------------------------------------------------------------------
#: Okabe & Ito (2008), "Color Universal Design": distinguishable with the common colour-vision deficiencies.
OKABE_ITO = {
    "black": "#000000",
    "orange": "#E69F00",
    "sky_blue": "#56B4E9",
    "bluish_green": "#009E73",
    "yellow": "#F0E442",
    "blue": "#0072B2",
    "vermillion": "#D55E00",
    "reddish_purple": "#CC79A7",
    "grey": "#999999",
}
#: concerns, flags and "not fast/smart enough" are always vermillion (and always doubled by shape/hatch)
ALERT = OKABE_ITO["vermillion"]
OK = OKABE_ITO["blue"]
#: a sighting read from a row with no Child seen recorded (`review.sightings`): lighter than a recorded one
_READ_SEEN = OKABE_ITO["sky_blue"]
_READ_NOT_SEEN = OKABE_ITO["orange"]
NEUTRAL = "#555555"
#: a flag the reviewers rejected: numbered, but grey and dashed
REJECTED_FLAG = "#999999"

KIND_COLOURS = {
    "health": OKABE_ITO["blue"],
    "social care": OKABE_ITO["orange"],
    "police": OKABE_ITO["black"],
    # the palette has no ninth colour readable as text on white (yellow is not): youth justice is drawn as the
    # police are, the other criminal-justice agency, its lane named apart
    "youth justice": OKABE_ITO["black"],
    # probation likewise (s19), the other criminal-justice agency of the adults
    "probation": OKABE_ITO["black"],
    "education": OKABE_ITO["bluish_green"],
    "housing": OKABE_ITO["reddish_purple"],
    "voluntary": OKABE_ITO["sky_blue"],
    # (s20) the LADO, a local authority function: drawn as social care is, its lane named apart
    "lado": OKABE_ITO["orange"],
    # (s20, lacnoise) a family member's own account (a parent's e-mails): no agency, drawn as the others are
    "family": OKABE_ITO["grey"],
    "other": OKABE_ITO["grey"],
}

#: one marker per contact type, its shape here and its fill (`HOLLOW_CONTACT_TYPES`), so the type reads without
#: colour. A child protection conference and a core group are a square and a diamond drawn hollow (white, with a
#: thick edge in the agency kind's colour): as a hexagon and an octagon they read as the clinic appointment's
#: circle at the swimlane's marker size.
CONTACT_MARKERS = dict(
    zip(
        CONTACT_TYPES,
        ["s", "o", "D", "P", "X", ">", "<", "h", "*", "p", "d", "s", "D", "v", "1", "2", "^", "|", "x", "P", "+"],
        strict=True,
    )
)
#: the contact types whose marker is drawn hollow (each a shape another type has filled)
#: (s20) a looked-after child's review: the admission's plus drawn hollow, a meeting as the conferences are
HOLLOW_CONTACT_TYPES = frozenset({"cp_conference", "core_group", "lac_review"})

FLAG_MARK = "\u2691 "  # the flag sign (in DejaVu Sans) before labels of flagged rows

PERIOD_STYLE = {
    # kind: (label, facecolor, hatch)
    "cp_plan": ("Child protection plan", OKABE_ITO["yellow"], "////"),
    "hospital": ("In hospital", OKABE_ITO["sky_blue"], "...."),
}

HOUSE_RC = {
    "font.family": "DejaVu Sans",
    "font.size": 8,
    "axes.titlesize": 10,
    "axes.titleweight": "bold",
    "axes.labelsize": 8,
    "axes.spines.top": False,
    "axes.spines.right": False,
    "axes.prop_cycle": mpl.cycler(color=[OKABE_ITO[k] for k in ("blue", "orange", "bluish_green", "vermillion", "reddish_purple", "sky_blue", "black")]),
    "legend.fontsize": 7,
    "legend.frameon": False,
    "xtick.labelsize": 7,
    "ytick.labelsize": 7,
    "hatch.linewidth": 0.6,
    "figure.dpi": 100,
    "savefig.dpi": 300,
    "svg.hashsalt": "review",  # fixed ids in SVG output: byte-identical across runs
    "svg.fonttype": "path",
    "pdf.fonttype": 42,
    "path.simplify": True,
}

A4_LANDSCAPE = (11.69, 8.27)


@contextlib.contextmanager
def house_style() -> Iterator[None]:
    """Apply the house rcParams for the duration of a block (never mutates the global rcParams)."""
    with plt.rc_context(HOUSE_RC):
        yield


def alt_text(fig: Figure) -> str:
    """The text alternative of a chart (for the HTML report's ``alt``); falls back to its title."""
    text = getattr(fig, "review_alt_text", None)
    if text:
        return text
    title = fig._suptitle.get_text() if fig._suptitle is not None else ""
    return " ".join(title.split()) or "Chart"  # a long title is wrapped over lines (`_suptitle`)


#: the average width of a character of the house font (DejaVu Sans) in ems, a little over, so that a wrapped
#: title fits whatever its letters
_CHAR_WIDTH_EM = 0.62


def _suptitle(fig: Figure, text: str) -> None:
    """Set the figure's title, wrapped at word boundaries to the figure's width: a long one (the response
    latency chart's counts) ran past both edges, centred, and was clipped. By character count, never by
    measuring the rendered text: the same title wraps the same way on every machine."""
    size = mpl.font_manager.FontProperties(size=mpl.rcParams["figure.titlesize"]).get_size_in_points()
    width = max(20, int(fig.get_figwidth() * 72 * 0.96 / (size * _CHAR_WIDTH_EM)))
    fig.suptitle(textwrap.fill(text, width=width, break_long_words=False, break_on_hyphens=False))


def _label(identifier: str) -> str:
    """'ae_attendance' -> 'A&E attendance' (display labels of vocabulary ids)."""
    special = {
        "ae_attendance": "A&E attendance",
        "s47_enquiry": "s47 enquiry",
        "cp_conference": "CP conference",
        "cp_medical": "CP medical",
        "referral_to_csc": "referral to children's social care",
        "marac": "MARAC referral",
        "was_not_brought": "was not brought",
    }
    return special.get(identifier, str(identifier).replace("_", " "))


def _case_config(case):
    """Accept a `CaseConfig` or a pipeline `Case` (which has `.config`)."""
    return getattr(case, "config", case)


def _dates_to_num(values) -> np.ndarray:
    arr = pd.to_datetime(pd.Series(values)).to_numpy(dtype="datetime64[ns]")
    out = np.full(len(arr), np.nan)
    ok = ~np.isnat(arr)
    if ok.any():
        out[ok] = mdates.date2num(arr[ok])
    return out


def _month_num(values) -> np.ndarray:
    """The first day of each date's month, as matplotlib date numbers (NaN for NaT)."""
    return _dates_to_num(pd.to_datetime(pd.Series(values)).dt.to_period("M").dt.start_time)


def _month_days(values) -> np.ndarray:
    """The number of days in each date's month (NaN for NaT)."""
    return pd.to_datetime(pd.Series(values)).dt.days_in_month.to_numpy(dtype="float64", na_value=np.nan)


def _spread_in_months(dates: pd.Series) -> np.ndarray:
    """x positions for contacts known to the month only (the anonymised view), in the order given: the
    contacts of a month spread evenly across it, so that their order reads but no day is shown."""
    start, days = _month_num(dates), _month_days(dates)
    x = np.full(len(dates), np.nan)
    key = pd.Series(start).fillna(-1).to_numpy()
    for month in np.unique(key[~np.isnan(start)]):
        rows = np.flatnonzero(key == month)
        x[rows] = start[rows] + (np.arange(len(rows)) + 0.5) / len(rows) * days[rows]
    return x


def _period_in_months(row, pos_x: dict[str, float]) -> tuple[float, float]:
    """(start, end) x of a period known to the month (the anonymised view): from its first evidence
    contact in its first month (else the month's first day) to its last evidence contact in its last
    month (else the month's end); NaN end for a period still open."""
    start_date, end_date = getattr(row, "start", pd.NaT), getattr(row, "end", pd.NaT)
    first, last = _month_num([start_date])[0], _month_num([end_date])[0]
    xs = [pos_x[e] for e in split_multi(getattr(row, "evidence_event_ids", "")) if e in pos_x]
    days = _month_days([start_date, end_date])
    in_first = [v for v in xs if first <= v < first + days[0]]
    in_last = [v for v in xs if not np.isnan(last) and last <= v < last + days[1]]
    start = min(in_first) if in_first else first
    end = max(in_last) if in_last else last + days[1]
    return start, end


def _plain_text(text) -> str:
    """Agency text shown literally: a "$" would otherwise start matplotlib mathtext."""
    return str(text).replace("$", r"\$")


def _plural(n: int, noun: str, nouns: str | None = None) -> str:
    """"1 contact", "2 contacts"."""
    return f"{n} {noun if n == 1 else (nouns or noun + 's')}"


def _month_ticks(months) -> list[int]:
    """Positions of the months to label: at most ~24, every 1, 2, 3, 6, 12, 24, 60 or 120 months, on
    calendar boundaries (Jan/Apr/Jul/Oct, each January, ...), so labels do not drift across a long span."""
    need = max(1, math.ceil(len(months) / 24))
    step = next((k for k in (1, 2, 3, 6, 12, 24, 60, 120) if k >= need), need)
    if step <= 12:
        picked = [i for i, m in enumerate(months) if (m.month - 1) % step == 0]
    else:
        picked = [i for i, m in enumerate(months) if m.month == 1 and m.year % (step // 12) == 0]
    return picked or [0]


#: the most date ticks the swimlane's axis labels (A4 landscape, labels two lines of ~8 characters)
_MAX_DATE_TICKS = 14


def _date_axis(span_days: float, *, by_month: bool = False) -> tuple[mdates.DateLocator, mdates.DateFormatter]:
    """The swimlane's date ticks and their labels, never the same label twice: for a span over 150 days (or
    `by_month`, the anonymised view: a tick on a day would suggest the contacts' days) the first day of every
    1, 2, 3 or 6 months on calendar boundaries ("Jan 2023", "Apr 2023", ...), or of every 1, 2, 5, 10, ... years
    for a long span ("2010"); for a shorter span (too few month starts to read it by) days labelled with the
    day and the month ("15 Mar 2023").
    (`AutoDateLocator` put ticks on the 1st and the 15th of each month over 3 to 7 months, which the month
    labels showed as the same month twice.)"""
    months = span_days / 30.44
    if by_month or span_days > 150:
        step = next((k for k in (1, 2, 3, 6) if months / k <= _MAX_DATE_TICKS), None)
        if step is not None:
            return (mdates.MonthLocator(bymonth=range(1, 13, step), bymonthday=1),
                    mdates.DateFormatter("%b\n%Y"))
        years = months / 12
        base = next((k for k in (1, 2, 5, 10, 20, 50, 100) if years / k <= _MAX_DATE_TICKS), 100)
        return mdates.YearLocator(base=base, month=1, day=1), mdates.DateFormatter("%Y")
    return mdates.AutoDateLocator(minticks=6, maxticks=_MAX_DATE_TICKS), mdates.DateFormatter("%d %b\n%Y")


def _precision_of(timeline: pd.DataFrame | None) -> dict[str, str]:
    """{event id: the precision its date is shown to} ("day", "month", "year", "approximate", and
    "approximate month" for an approximate date written as a month: "c. June 2007", "mid June 2007")."""
    if timeline is None or "event_id" not in timeline.columns or "date_precision" not in timeline.columns:
        return {}
    texts = timeline["date_text"] if "date_text" in timeline.columns else [None] * len(timeline)
    out = {}
    for e, p, t in zip(timeline["event_id"], timeline["date_precision"], texts):
        if isinstance(p, str):
            out[str(e)] = "approximate month" if p == "approximate" and approximate_unit(t) == "month" else p
    return out


def _event_groups(ids, timeline: pd.DataFrame | None) -> np.ndarray:
    """The event (``event_group``, from `timeline`) of each contact id in `ids`: the same event recorded by
    several agencies (a conference five agencies attended) is one event, so that a chart counts events,
    not rows. Without a timeline, or for an id it does not hold, the id itself (each row its own event)."""
    ids = np.array(["" if v is None or (not isinstance(v, str) and pd.isna(v)) else str(v) for v in ids], dtype=object)
    ids = np.where(ids == "", np.array([f"\x00row{i}" for i in range(len(ids))], dtype=object), ids)
    if timeline is None or "event_id" not in timeline.columns or "event_group" not in timeline.columns:
        return ids
    known = dict(zip(timeline["event_id"].astype("string").fillna("").tolist(),
                     timeline["event_group"].astype("string").fillna("").tolist()))
    return np.array([known.get(i) or i for i in ids.tolist()], dtype=object)


def _date_label(date, precision, shown: str) -> str:
    """A contact's date in a chart's label, to its precision: "2023" when known to the year, "Mar 2023" to
    the month, "c. Mar 2023" for an approximate month, "c. " and the day for an approximate day, else as
    `shown` ("%d %b %Y", or "%b %Y" in the anonymised view)."""
    if date is None or pd.isna(date):
        return ""
    if precision == "year":
        return date.strftime("%Y")
    if precision == "season":
        return season_label(date)
    if precision == "approximate month":
        return "c. " + date.strftime("%b %Y")
    if precision == "approximate":
        return "c. " + date.strftime(shown)
    return date.strftime("%b %Y" if precision == "month" else shown)


#: date precisions from the most to the least exact: of several contacts on a chart's first (or last) date, the
#: most exact one's is shown (`_bound_label`)
_PRECISION_RANK = {"day": 0, "approximate": 1, "month": 2, "approximate month": 3, "season": 4, "year": 5}


def _bound_label(order: pd.DataFrame, which: str, shown: str) -> str:
    """The first (`which` "first") or last contact date of `order` as the tables show it, to its precision
    ("Spring 2023", "2023", "Mar 2023", "c. Mar 2023", else as `shown`): never a day the data does not give
    (a season's first day, "01 Mar 2023"); of several contacts on that date, the most exact one's."""
    dates = order["date"]
    at = dates.min() if which == "first" else dates.max()
    rows = order[dates == at]
    precision = _precision_of(rows)
    best = min((precision.get(str(e), "day") for e in rows["event_id"]), key=lambda p: _PRECISION_RANK.get(p, 0),
               default="day")
    return _date_label(at, best, shown)


def _truncate(text: str, width: int) -> str:
    text = " ".join(str(text).split())
    text = text if len(text) <= width else text[: width - 1] + "…"
    return _plain_text(text)


def _empty_figure(title: str, message: str, figsize=(8, 3)) -> Figure:
    fig = Figure(figsize=figsize, layout="constrained")
    ax = fig.add_subplot()
    ax.set_axis_off()
    ax.text(0.5, 0.5, message, ha="center", va="center", transform=ax.transAxes)
    _suptitle(fig, title)
    fig.review_alt_text = f"{title}: {message}"
    return fig


def _named_lanes(timeline: pd.DataFrame) -> pd.DataFrame:
    """Blank agency / agency kind shown as such rather than as an unlabelled lane."""
    out = timeline.copy()
    out["agency"] = out["agency"].replace("", "(agency not recorded)")
    out["agency_kind"] = out["agency_kind"].replace("", "other")
    return out


def _agency_order(timeline: pd.DataFrame) -> list[tuple[str, str]]:
    """(agency_kind, agency) lanes: grouped by kind in vocabulary order, agencies alphabetically."""
    kinds = {k: i for i, k in enumerate(AGENCY_KINDS)}
    pairs = (
        timeline[["agency_kind", "agency"]]
        .astype(str)
        .drop_duplicates(subset="agency")
        .itertuples(index=False, name=None)
    )
    return sorted(pairs, key=lambda p: (kinds.get(p[0], len(kinds)), p[0], p[1].casefold(), p[1]))


def _stack_offsets(x: np.ndarray, lanes: np.ndarray, bin_width: float, step: float, max_offset: float) -> np.ndarray:
    """Vertical offsets that stack markers sharing a lane and (almost) the same date.

    Markers closer than `bin_width` days in one lane would print on top of each other, so within each
    (lane, bin) the k-th marker moves ``step`` further from the lane centre, alternating above and below
    (0, +1, -1, +2, ...), compressed to fit within ``max_offset``.
    """
    offsets = np.zeros(len(x))
    if not len(x):
        return offsets
    bins = np.floor((x - np.nanmin(x)) / bin_width).astype(int)
    frame = pd.DataFrame({"lane": lanes, "bin": bins, "i": np.arange(len(x))})
    for _, group in frame.groupby(["lane", "bin"], sort=False):
        n = len(group)
        if n == 1:
            continue
        this_step = min(step, 2 * max_offset / max(n - 1, 1))
        ranks = np.arange(n)
        signed = np.where(ranks % 2 == 1, (ranks + 1) // 2, -(ranks // 2))
        offsets[group["i"].to_numpy()] = signed * this_step
    return offsets


def _stagger_callouts(xs: list[float], min_gap: float, max_levels: int) -> list[tuple[int, float]]:
    """Place callouts (sorted by x) on rows so none is closer than `min_gap` to another on its row.

    Each callout takes the lowest row where it fits at its own x (or nudged right by at most two gaps,
    its leader line then slants to the contact); when every row is crowded it goes where the nudge is
    smallest. Returns (row, text x) per callout.
    """
    last = [-math.inf] * max_levels
    placed = []
    for x in xs:
        candidates = [(lvl, max(x, last[lvl] + min_gap)) for lvl in range(max_levels)]
        near = [c for c in candidates if c[1] - x <= 2 * min_gap]
        lvl, tx = near[0] if near else min(candidates, key=lambda c: (c[1], c[0]))
        last[lvl] = tx
        placed.append((lvl, tx))
    return placed


def _held_escalations(timeline: pd.DataFrame, escalations, config) -> np.ndarray:
    """Per row of `timeline`, whether it was an escalation that took place (`plot_swimlane`'s
    `escalations`; read with the rules' reading when not given)."""
    from .rules.base import held_escalation_mask

    rules = None
    if escalations is None:
        from .rules.settings import load_rules

        case_dir = getattr(config, "case_dir", None)
        rules = load_rules(case_dir if case_dir is not None and Path(case_dir).is_dir() else None)
    return held_escalation_mask(timeline, escalations, rules, config)


# ---------------------------------------------------------------------------------------------------
# 1. Swimlane
# ---------------------------------------------------------------------------------------------------
def _callout_numbers(flags: pd.DataFrame, flag_numbers=None, all_flags: pd.DataFrame | None = None) -> list[int]:
    """The number each row of `flags` shows on the swimlane: `flag_numbers` (one per row, or {flag_id:
    number}), else the position of its ``flag_id`` in `all_flags` (the whole case's flags, numbered 1..n as
    the flags table), else its ``flag_no`` column, else its 1-based row."""
    from .errors import ReviewError

    if flag_numbers is None and all_flags is not None:
        if "flag_id" not in all_flags.columns:
            raise ReviewError("plot_swimlane: all_flags has no flag_id column")
        flag_numbers = {str(fid): n for n, fid in enumerate(all_flags["flag_id"].tolist(), start=1)}
    if flag_numbers is None and "flag_no" in flags.columns:
        flag_numbers = flags["flag_no"].tolist()
    if flag_numbers is None:
        return list(range(1, len(flags) + 1))
    if isinstance(flag_numbers, dict):
        ids = flags["flag_id"].astype(str).tolist() if "flag_id" in flags.columns else []
        missing = [fid for fid in ids if fid not in flag_numbers]
        if missing or len(ids) != len(flags):
            which = ", ".join(missing[:3]) or "(no flag_id)"
            raise ReviewError(f"plot_swimlane: all_flags does not hold flag {which}" if all_flags is not None
                              else f"plot_swimlane: flag_numbers gives no number for flag {which}")
        return [int(flag_numbers[fid]) for fid in ids]
    numbers = [int(n) for n in list(flag_numbers)]
    if len(numbers) != len(flags):
        raise ReviewError(f"plot_swimlane: flag_numbers has {len(numbers)} numbers for {len(flags)} flags")
    return numbers


def plot_swimlane(timeline: pd.DataFrame, flags: pd.DataFrame, periods: pd.DataFrame, case, *,
                  date_resolution: str = "day", escalations=None, flag_numbers=None,
                  all_flags: pd.DataFrame | None = None) -> Figure:
    """Draw the integrated chronology as one lane per agency, grouped by agency kind.

    Time runs left to right with the child's age (in months) on a secondary axis at the top. Each contact
    is a marker whose shape is its contact type and whose colour is its agency kind; same-day (and
    near-same-day) contacts in a lane are stacked so none is hidden. Contacts that recorded a concern
    get a vermillion ring; escalations get an upward arrow. Child-protection-plan and hospital periods
    are shaded with distinct hatches. Every flag is a numbered callout pointing at its trigger contact;
    the number is the flag's number in the whole case's flags table (`flag_numbers`, else its flag id's
    position in `all_flags`, else a ``flag_no`` column of `flags`, else its 1-based row in `flags` in the
    order given), so the chart and the flags table read together however the flags drawn were chosen. A
    bare subset of the flags (no ``flag_no``, no `flag_numbers`, no `all_flags`) cannot know the numbers
    of the flags left out: it is numbered 1..n in its own order, which the flags table does not show; give
    `all_flags` (or `flag_numbers`) with a subset. Callouts that would overlap are staggered over several
    heights. Only the flags drawn are numbered and counted in the title: a flag whose trigger contact is
    not in `timeline` is placed at its trigger date on its agency's lane, and left out when that date is
    outside the chart's dates or none of its agencies has a lane (the timeline was filtered).

    Parameters
    ----------
    timeline : pandas.DataFrame
        The integrated chronology (``schema.TIMELINE_COLUMNS``).
    flags : pandas.DataFrame
        Candidate missed escalation points (``schema.FLAG_COLUMNS``), in the order of the flags table.
    periods : pandas.DataFrame
        Columns ``kind`` ('cp_plan' | 'hospital'), ``start``, ``end`` (NaT = still open), ``agency``.
    case : CaseConfig or Case
        The case (``date_of_birth``, ``case_id``, ``review_date``).
    date_resolution : "day", or "month" for the anonymised view (dates known to the month): the contacts
        of a month are spread evenly across it in their order, periods shade whole months, the date axis
        is labelled by month and the age axis counts from the middle of the month of birth, so that no
        position on the chart gives a day or the date of birth.
    escalations : the escalations that took place, as the rules read them (an arrow and the count only for
        those: not a "Strategy discussion cancelled" row whose escalation cell says strategy_discussion):
        ``Analysis.held_escalations`` (a Series on the timeline's index, so a subset of the rows may be
        drawn with the whole case's reading), or per row of `timeline` in its order, held cells or booleans
        (`review.rules.base.held_escalation_mask`). When None they are read here from `timeline` with the
        package rules and the case's vocabulary.
    flag_numbers : the number each flag's callout shows, when `flags` is a subset of the case's flags (a
        filtered view): a sequence with one number per row of `flags`, or a mapping {flag_id: number}
        (`review.explorer.flag_numbers(analysis.flags)`). When None, `all_flags`, else a ``flag_no`` column of
        `flags` (as `review.explorer.flags_view` and `shown_flags` give it) is used, else the row order.
    all_flags : the whole case's flags table (``analysis.flags``), in the flags table's order: each flag of
        `flags` is numbered by its ``flag_id``'s position in it (a ReviewError names a flag it does not hold).

    Returns
    -------
    matplotlib.figure.Figure
        A4 landscape. Artists carry gids: ``lane:<agency>`` (lane band), ``contacts:<contact_type>``
        (markers), ``concerns``, ``escalation:<event_id>``, ``period:<kind>:<i>`` (i = row in
        `periods`), ``flag:<n>`` (callout text; its label is the flag_id).

    Examples
    --------
    >>> fig = plot_swimlane(analysis.timeline, analysis.flags, analysis.periods, case.config)
    >>> review.export.save_figure(fig, "swimlane", out_dir)
    """
    config = _case_config(case)
    case_id = getattr(config, "case_id", "")
    title = f"Case {_plain_text(case_id)}: contacts by agency over time" if case_id else "Contacts by agency over time"
    timeline = _named_lanes(conform(timeline, TIMELINE_COLUMNS))
    timeline = timeline[timeline["date"].notna()]
    if not timeline.empty:
        timeline = timeline.assign(_escalation_held=_held_escalations(timeline, escalations, config))
    if flags is None:
        flags = pd.DataFrame(columns=["flag_id", "trigger_event_id", "trigger_date", "agencies", "severity"])
    if periods is None:
        periods = pd.DataFrame(columns=["kind", "start", "end", "agency"])
    with house_style():
        if timeline.empty:
            return _empty_figure(title, "no dated contacts", figsize=A4_LANDSCAPE)
        lanes = _agency_order(timeline)
        lane_of = {agency: i for i, (_, agency) in enumerate(lanes)}
        kind_of = {agency: kind for kind, agency in lanes}

        months = date_resolution == "month"
        order = timeline.sort_values(["date", "seq", "event_id"], kind="mergesort", na_position="last")
        x = _spread_in_months(order["date"]) if months else _dates_to_num(order["date"])
        lane_idx = order["agency"].astype(str).map(lane_of).to_numpy()
        pos_x = dict(zip(order["event_id"].astype(str), x))
        x_min, x_max = float(np.nanmin(x)), float(np.nanmax(x))
        if months:
            x_min = float(np.nanmin(_month_num(order["date"])))
        review_end = getattr(config, "review_date", None)
        if review_end is not None:
            end = pd.Timestamp(review_end)
            if months:  # the end of the month under review, not its day
                end = end.to_period("M").end_time.normalize()
            x_max = max(x_max, float(mdates.date2num(end.to_datetime64())))
        span = max(x_max - x_min, 30.0)
        pad = span * 0.02

        fig = Figure(figsize=A4_LANDSCAPE, layout="constrained")
        ax = fig.add_subplot()
        axes_width_in = A4_LANDSCAPE[0] * 0.8
        days_per_inch = (span + 2 * pad) / axes_width_in
        # markers ~0.09 in wide at this size: contacts nearer than that in one lane are stacked
        y = lane_idx + _stack_offsets(x, lane_idx, bin_width=max(days_per_inch * 0.09, 0.5), step=0.16, max_offset=0.4)

        # lane bands, alternating shade per agency kind group, with the kind written at the group's side
        kinds_in_order: list[str] = []
        for kind, _ in lanes:
            if kind not in kinds_in_order:
                kinds_in_order.append(kind)
        for i, (kind, agency) in enumerate(lanes):
            shade = "#F2F2F2" if kinds_in_order.index(kind) % 2 == 0 else "white"
            band = ax.axhspan(i - 0.5, i + 0.5, facecolor=shade, edgecolor="none", zorder=0)
            band.set_gid(f"lane:{agency}")
            band.set_label(f"_lane {agency}")
            ax.axhline(i + 0.5, color="#CCCCCC", lw=0.4, zorder=0.5)
        for kind in kinds_in_order:
            members = [i for i, (k, _) in enumerate(lanes) if k == kind]
            ax.text(
                1.005, (min(members) + max(members)) / 2, kind.upper().replace(" ", "\n"),
                transform=ax.get_yaxis_transform(), rotation=270, ha="left", va="center",
                fontsize=6.5, fontweight="bold", linespacing=1.0, color=KIND_COLOURS.get(kind, NEUTRAL), gid=f"kind:{kind}",
            )

        # shaded periods (CP plan, hospital): across all lanes, hatched so they read in greyscale
        for i, row in enumerate(periods.itertuples(index=False)):
            kind = str(getattr(row, "kind", ""))
            label, colour, hatch = PERIOD_STYLE.get(kind, (_label(kind), OKABE_ITO["grey"], "xx"))
            start = _dates_to_num([getattr(row, "start", pd.NaT)])[0]
            end = _dates_to_num([getattr(row, "end", pd.NaT)])[0]
            if np.isnan(start):
                continue
            if months:  # known to the month: from the contact that opens it to the one that closes it
                start, end = _period_in_months(row, pos_x)
            if np.isnan(end):
                end = x_max  # still open at the end of the period under review
            span_artist = ax.axvspan(start, max(end, start + 1.0), facecolor=mpl.colors.to_rgba(colour, 0.22),
                                     hatch=hatch, edgecolor=mpl.colors.to_rgba(NEUTRAL, 0.45), linewidth=0, zorder=0.6)
            span_artist.set_gid(f"period:{kind}:{i}")
            span_artist.set_label(f"_{label}")

        # contacts: one scatter per contact type (shape), coloured by agency kind
        colours = np.array([KIND_COLOURS.get(kind_of.get(a, "other"), NEUTRAL) for a in order["agency"].astype(str)])
        ctypes = order["contact_type"].astype(str).to_numpy()
        size = 26 if len(order) <= 200 else 16
        has_concern = order["concerns"].astype(str).str.len().to_numpy() > 0
        if has_concern.any():
            rings = ax.scatter(x[has_concern], y[has_concern], s=size * 3.2, facecolors="none", edgecolors=ALERT,
                               linewidths=1.2, zorder=3)
            rings.set_gid("concerns")
            rings.set_label("_concerns")
        for ctype in [c for c in CONTACT_TYPES if c in set(ctypes)] + sorted(set(ctypes) - set(CONTACT_TYPES)):
            sel = ctypes == ctype
            marker = CONTACT_MARKERS.get(ctype, "o")
            filled = marker not in ("1", "2", "3", "4", "|", "x", "+")
            if ctype in HOLLOW_CONTACT_TYPES:  # white inside a thick edge in the agency kind's colour
                sc = ax.scatter(x[sel], y[sel], s=size, marker=marker, facecolors="white", edgecolors=colours[sel],
                                linewidths=1.1, zorder=4)
            else:
                sc = ax.scatter(
                    x[sel], y[sel], s=size, marker=marker,
                    c=colours[sel] if filled else None,
                    color=None if filled else colours[sel],
                    edgecolors="white" if filled else None, linewidths=0.4 if filled else 1.0, zorder=4,
                )
            sc.set_gid(f"contacts:{ctype}")
            sc.set_label(_label(ctype))

        # escalations that took place (not a cancelled strategy discussion's cell): an upward arrow from the contact
        escalated = order["_escalation_held"].to_numpy(dtype=bool)
        for xi, yi, eid in zip(x[escalated], y[escalated], order["event_id"].astype(str).to_numpy()[escalated]):
            arrow = ax.annotate("", xy=(xi, yi - 0.42), xytext=(xi, yi - 0.08), zorder=5,
                                arrowprops=dict(arrowstyle="-|>", color="black", lw=0.8, mutation_scale=7))
            arrow.set_gid(f"escalation:{eid}")

        # flag callouts: numbered as the flags table's rows, staggered above the lanes
        pos = {eid: (xi, yi) for eid, xi, yi in zip(order["event_id"].astype(str), x, y)}
        flag_rows = []
        for n, row in zip(_callout_numbers(flags, flag_numbers, all_flags), flags.itertuples(index=False)):
            eid = str(getattr(row, "trigger_event_id", "") or "")
            if eid in pos:
                fx, fy = pos[eid]
            else:
                fx = _dates_to_num([getattr(row, "trigger_date", pd.NaT)])[0]
                if months:
                    fx += _month_days([getattr(row, "trigger_date", pd.NaT)])[0] / 2
                named = split_multi(getattr(row, "agencies", ""))
                agencies = [a for a in named if a in lane_of]
                # not drawn (nor counted): outside the chart's dates, or on no lane shown (a filtered timeline)
                if np.isnan(fx) or not x_min - pad <= fx <= x_max + pad or (named and not agencies):
                    continue
                fy = lane_of[agencies[0]] if agencies else 0
            rejected = str(getattr(row, "decision", "") or "") == "rejected"
            flag_rows.append((n, fx, fy, str(getattr(row, "flag_id", n)), str(getattr(row, "severity", "")), rejected))
        max_levels = 4
        callout_gap = days_per_inch * 0.2  # a callout circle is ~0.16 in wide
        # (placed by position in flag_rows: the numbers shown need not be 1..n)
        by_x = sorted(range(len(flag_rows)), key=lambda i: (flag_rows[i][1], flag_rows[i][0]))
        placement = dict(zip(by_x, _stagger_callouts([flag_rows[i][1] for i in by_x], callout_gap, max_levels)))
        used_levels = max(lvl for lvl, _ in placement.values()) + 1 if placement else 0
        for i, (n, fx, fy, flag_id, severity, rejected) in enumerate(flag_rows):
            level, tx = placement[i]
            ty = -0.95 - level * 0.6
            high = severity == "high" and not rejected
            edge = REJECTED_FLAG if rejected else ALERT  # a flag the reviewers rejected is greyed, not alarming
            text = ax.annotate(
                str(n), xy=(fx, fy), xytext=(tx, ty), textcoords="data", ha="center", va="center",
                fontsize=6.5, fontweight="bold" if high else "normal", color=REJECTED_FLAG if rejected else "black",
                zorder=6, bbox=dict(boxstyle="circle,pad=0.25", fc="white", ec=edge, lw=1.2 if high else 0.7,
                                    linestyle="--" if rejected else "-"),
                arrowprops=dict(arrowstyle="-", color=edge, lw=0.5, shrinkA=0, shrinkB=3),
            )
            text.set_gid(f"flag:{n}")
            text.set_label(flag_id)

        # axes
        top = -0.95 - max(used_levels - 1, 0) * 0.6 - 0.55 if used_levels else -0.6
        ax.set_ylim(len(lanes) - 0.5, top)
        ax.set_yticks(range(len(lanes)), [_truncate(agency, 34) for _, agency in lanes])
        for tick, (kind, _) in zip(ax.get_yticklabels(), lanes):
            tick.set_color(KIND_COLOURS.get(kind, NEUTRAL) if kind != "other" else NEUTRAL)
        ax.tick_params(axis="y", length=0)
        ax.set_xlim(x_min - pad, x_max + pad)
        locator, formatter = _date_axis(span + 2 * pad, by_month=months)
        ax.xaxis.set_major_locator(locator)
        ax.xaxis.set_major_formatter(formatter)
        ax.set_xlabel("Date of contact")
        ax.grid(axis="x", color="#DDDDDD", lw=0.4, zorder=0.1)
        ax.spines["left"].set_visible(False)

        dob = getattr(config, "date_of_birth", None)
        if dob is not None:
            dob_num = float(mdates.date2num(pd.Timestamp(dob).to_datetime64()))
            if months:  # the middle of the month of birth: the axis gives the month of birth, not its day
                dob_num = float(_month_num([dob])[0] + _month_days([dob])[0] / 2)
            month = 365.25 / 12
            age_axis = ax.secondary_xaxis("top", functions=(lambda v: (v - dob_num) / month, lambda m: m * month + dob_num))
            age_axis.set_xlabel("Child's age (months, approximate)" if months else "Child's age (months)")
            age_axis.xaxis.set_major_locator(mpl.ticker.MaxNLocator(steps=[1, 2, 3, 6], integer=True))
            age_axis.set_gid("age_axis")

        n_contacts, n_agencies = len(order), len(lanes)
        n_rejected = sum(1 for *_, rejected in flag_rows if rejected)
        flag_count = _plural(len(flag_rows), "flag") + (f", {n_rejected} rejected by the reviewers" if n_rejected else "")
        _suptitle(fig, f"{title} ({_plural(n_contacts, 'contact')}, {_plural(n_agencies, 'agency', 'agencies')}, "
                     f"{flag_count})")

        handles = [Line2D([], [], marker=CONTACT_MARKERS.get(c, "o"), linestyle="", color=NEUTRAL, markersize=5, label=_label(c),
                          **({"markerfacecolor": "white", "markeredgewidth": 1.1} if c in HOLLOW_CONTACT_TYPES else {}))
                   for c in [c for c in CONTACT_TYPES if c in set(ctypes)] + sorted(set(ctypes) - set(CONTACT_TYPES))]
        handles += [Patch(facecolor=KIND_COLOURS.get(k, NEUTRAL), label=k) for k in kinds_in_order]
        handles += [
            Line2D([], [], marker="o", linestyle="", markerfacecolor="none", markeredgecolor=ALERT, markersize=8, label="concern recorded"),
            Line2D([], [], marker=r"$\uparrow$", linestyle="", color="black", markersize=7, label="escalation"),
        ]
        if flag_rows:
            handles.append(Line2D([], [], marker="o", linestyle="", markerfacecolor="white", markeredgecolor=ALERT, markersize=8,
                                  label="flag (number = row in flags table)"))
        if n_rejected:
            handles.append(Line2D([], [], marker="o", linestyle="", markerfacecolor="white", markeredgecolor=REJECTED_FLAG,
                                  markersize=8, label="flag rejected by the reviewers"))
        for kind in [k for k in PERIOD_STYLE if k in set(periods.get("kind", pd.Series(dtype=str)).astype(str))]:
            label, colour, hatch = PERIOD_STYLE[kind]
            handles.append(Patch(facecolor=mpl.colors.to_rgba(colour, 0.22), hatch=hatch, edgecolor=mpl.colors.to_rgba(NEUTRAL, 0.45), linewidth=0, label=label))
        fig.legend(handles=handles, loc="outside lower center", ncol=min(8, len(handles)), handlelength=1.2, columnspacing=1.0)

        concern_count = int(has_concern.sum())
        escalation_count = int(escalated.sum())
        shown = "%b %Y" if months else "%d %b %Y"
        fig.review_alt_text = (
            f"Swimlane chart of {n_contacts} contacts by {n_agencies} agencies "
            f"({', '.join(f'{sum(1 for k, _ in lanes if k == kind)} {kind}' for kind in kinds_in_order)}) "
            f"from {_bound_label(order, 'first', shown)} to {_bound_label(order, 'last', shown)}; "
            f"of the contacts, {concern_count} recorded a concern and "
            f"{escalation_count} {'was an escalation' if escalation_count == 1 else 'were escalations'} "
            f"(counted apart: a contact may be both), "
            f"{_plural(len(periods), 'child protection plan or hospital period')} "
            f"{'is' if len(periods) == 1 else 'are'} shaded and {_plural(len(flag_rows), 'flag')} "
            f"{'is' if len(flag_rows) == 1 else 'are'} numbered"
            + (f" ({n_rejected} rejected by the reviewers)." if n_rejected else ".")
        )
    return fig


# ---------------------------------------------------------------------------------------------------
# 2. Response latency ("not fast enough")
# ---------------------------------------------------------------------------------------------------
def _bound_column(table: pd.DataFrame, column: str) -> pd.Series:
    """`table`'s lower bounds `column` as floats (NaN where none, or a table written before it had the column)."""
    if column not in table.columns:
        return pd.Series(np.nan, index=table.index, dtype="float64")
    return pd.to_numeric(table[column], errors="coerce").astype("float64")


def _at_least(value, in_months: bool) -> str:
    """' (at least 38 days)' / ' (at least 1 month)' of a latency's lower bound; '' when there is none."""
    if value is None or pd.isna(value):
        return ""
    n = int(value)
    unit = ("month" if n == 1 else "months") if in_months else ("day" if n == 1 else "days")
    return f" (at least {n} {unit})"


def _open_bar_label(ax, x_max: float, row: int, text: str, colour: str, *, bold: bool = False) -> None:
    """The label of a bar that runs to the right edge (no escalation; the child died first): right-aligned a
    fixed 12 pt inside the bar's end, on a padded white box, so that it never touches the bar's end however
    long the time axis (at 1% of the axis, "child died within 90 days, no escalation before" sat on it)."""
    ax.annotate(text, xy=(x_max, row), xytext=(-12, 0), textcoords="offset points", ha="right", va="center",
                fontsize=6.5, color=colour, fontweight="bold" if bold else "normal", annotation_clip=False,
                bbox=dict(boxstyle="square,pad=0.4", fc="white", ec="none"))


#: the response latency chart's rows: 0.24 in each when they fit, shrinking to fit an A4 landscape page down to
#: 0.12 in (8.6 pt, for labels of 7 pt); a case with more concerns than fit shows `_LATENCY_MAX_ROWS_NOTED` of
#: them, with a note of those left out (the note's line inside the page: before s20 a limited chart was 8.52 in
#: tall, past the page's 8.27)
_LATENCY_ROW_IN = 0.24
_LATENCY_MIN_ROW_IN = 0.12
#: the title, the axis label and the legend (inches)
_LATENCY_OVERHEAD_IN = 1.8
#: the note's line saying how many concerns a limited chart leaves out (inches)
_LATENCY_NOTE_IN = 0.25
_LATENCY_MAX_ROWS = int((A4_LANDSCAPE[1] - _LATENCY_OVERHEAD_IN) / _LATENCY_MIN_ROW_IN)
_LATENCY_MAX_ROWS_NOTED = int((A4_LANDSCAPE[1] - _LATENCY_OVERHEAD_IN - _LATENCY_NOTE_IN) / _LATENCY_MIN_ROW_IN)


def _latency_rows_shown(wanted: np.ndarray, most: int) -> np.ndarray:
    """The rows (positions, in the table's order) the response latency chart draws: every row when there are
    at most `most`, else the `wanted` rows (not escalated in time, or flagged) first by date, then the others
    first by date, up to `most`, in the table's order."""
    wanted = np.asarray(wanted, dtype=bool)
    if len(wanted) <= most:
        return np.arange(len(wanted))
    first = np.flatnonzero(wanted)[:most]
    rest = np.flatnonzero(~wanted)[: most - len(first)]
    return np.sort(np.concatenate([first, rest]))


def _latency_note(shown: int, total: int, wanted: int) -> str:
    """The response latency chart's note when it leaves concerns out (its title counts them all)."""
    if wanted >= shown:
        which = f"the first {shown} by date of the {wanted} not escalated in time or flagged"
    else:
        which = (f"every one not escalated in time or flagged ({wanted}) and the first {shown - wanted} by date of "
                 f"those escalated in time")
    return f"{shown} of {total} concerns drawn ({which}); the title counts them all, the response latency table lists them"


def plot_response_latency(response_latency: pd.DataFrame, *, date_resolution: str = "day",
                          timeline: pd.DataFrame | None = None, max_days: int | None = None) -> Figure:
    """For each recorded concern, the days until the next escalation by any agency against the expected time.

    Nothing links that escalation to the concern (it may be about another injury, or a review conference
    that ended a plan): the chart says so, and each bar names the escalation. With `max_days` (rules.yml
    ``settings.response_latency.response_max_days``, which `response_latency` applied: no escalation counted
    more than that after a concern), a concern with none is labelled "no escalation within N days"; one
    with none before the child's death, which came before those N days had passed (``died_before_window``),
    is labelled "child died within N days, no escalation before" instead, with its lower bound
    (``latency_at_least_days``, months in the anonymised view: "(at least 38 days)"): censored at the death, it
    is not counted with those never escalated.

    One row per concern contact (oldest at the top). The bar is the time to the next escalation; the
    black tick is the expected time. Bars later than expected — the "not fast enough" ones — are
    vermillion and hatched with a vermillion label; concerns never escalated are drawn as an open,
    cross-hatched bar running to the right edge and labelled "never escalated". A concern escalated when
    a date is known only to the month or year (no latency in days, ``first_escalation_event_id`` given)
    is not "never escalated": it has a stub bar labelled with its escalation's date and "time not known",
    late (vermillion) when ``within_expected`` is False, in time when True, else grey. Concerns that are the
    trigger or evidence of a flag (``flagged``) have a bold label marked with a flag sign.

    Parameters
    ----------
    response_latency : pandas.DataFrame
        ``schema.RESPONSE_LATENCY_COLUMNS``: one row per concern with ``expected_days``,
        ``latency_days`` (NA: never escalated, or a partial date), ``first_escalation_event_id``,
        ``within_expected`` and ``flagged``; the anonymised
        view gives ``latency_months`` (whole months of 30.4 days) instead of ``latency_days``, and the
        chart is then in months.
    date_resolution : "month" for the anonymised view: the concerns' dates are labelled by month.

    Returns
    -------
    matplotlib.figure.Figure
        Bars carry gids ``latency:<event_id>:<status>`` with status ``ok`` | ``late`` | ``never`` |
        ``died`` (none before the child's death, within the window) | ``unknown`` (escalated; whether in
        time the dates cannot tell);
        expected ticks ``expected:<event_id>``.
    """
    title = "Time from concern to the next escalation by any agency"
    in_months = response_latency is not None and "latency_months" in response_latency.columns
    never_text = "never escalated" if max_days is None else f"no escalation within {int(max_days)} days"
    never_count = "never escalated" if max_days is None else f"with {never_text}"  # "8 with no escalation ..."
    # the child died before the window ended, no escalation before: censored at the death
    died_text = "child died, no escalation before" if max_days is None else \
        f"child died within {int(max_days)} days, no escalation before"
    died_count = "not escalated before the child's death" + ("" if max_days is None else f" (within {int(max_days)} days)")
    table = conform(response_latency if response_latency is not None else pd.DataFrame(), RESPONSE_LATENCY_COLUMNS)
    if in_months:  # the bars' unit is then the month
        table["latency_days"] = table["latency_months"].astype("Float64")
        table["expected_days"] = table["expected_days"].astype("Float64") / 30.4375
    shown = "%b %Y" if date_resolution == "month" or in_months else "%d %b %Y"
    with house_style():
        if table.empty:
            return _empty_figure(title, "no concerns recorded")
        # dates to the month (the anonymised view): the table's own order (the chronology's) within a month
        by = ["date"] if shown == "%b %Y" else ["date", "event_id"]
        table = table.sort_values(by, kind="mergesort").reset_index(drop=True)
        latency = table["latency_days"].astype("Float64")
        expected = table["expected_days"].astype("Float64")
        # never escalated: no first escalation (a latency of NA with one is a month/year date: escalated)
        never = ~escalated_mask(table)
        died = never & table["died_before_window"].fillna(False).astype(bool).to_numpy(dtype=bool)
        # its lower bound ("at least 38 days"): the days (the anonymised view: months) from the concern to the death
        bound = "latency_at_least_months" if in_months else "latency_at_least_days"
        at_least = _bound_column(table, bound)
        never = never & ~died
        unknown_time = (~never) & (~died) & latency.isna().to_numpy()
        within_given = table["within_expected"].astype("boolean")
        # "not fast enough": escalated after the expected time (the rules' within_expected, else the numbers)
        late = (~never) & (~died) & (
            ((~table["within_expected"].fillna(True).astype(bool)).to_numpy())
            | (latency.fillna(0).to_numpy(dtype=float) > expected.fillna(np.inf).to_numpy(dtype=float))
        )
        unknown = unknown_time & ~late & ~within_given.fillna(False).to_numpy(dtype=bool)  # neither late nor in time
        flagged = table["flagged"].fillna(False).astype(bool).to_numpy()
        finite = pd.concat([latency.dropna(), expected.dropna()]).to_numpy(dtype=float)
        x_max = float(finite.max()) * 1.4 if len(finite) else 10.0
        x_max = max(x_max, 5.0)

        n = len(table)
        # at most a page's rows, each at least _LATENCY_MIN_ROW_IN tall: a long case keeps the concerns that
        # were not escalated in time or are flagged, and says how many it leaves out
        most = _LATENCY_MAX_ROWS if n <= _LATENCY_MAX_ROWS else _LATENCY_MAX_ROWS_NOTED
        drawn = _latency_rows_shown(late | never | died | unknown | flagged, most)
        m = len(drawn)
        note_in = _LATENCY_NOTE_IN if m < n else 0.0
        room = A4_LANDSCAPE[1] - _LATENCY_OVERHEAD_IN - note_in
        row_in = min(_LATENCY_ROW_IN, max(_LATENCY_MIN_ROW_IN, room / max(m, 1)))
        height = max(3.0, row_in * m + _LATENCY_OVERHEAD_IN) + note_in
        fig = Figure(figsize=(A4_LANDSCAPE[0], height), layout="constrained")
        ax = fig.add_subplot()
        labels = []
        precision = _precision_of(timeline)
        for y, i in enumerate(drawn):
            row = table.iloc[i]
            date = _date_label(row["date"], precision.get(str(row["event_id"])), shown)
            concerns = ", ".join(_label(c) for c in split_multi(row["concerns"]))
            mark = FLAG_MARK if flagged[i] else ""
            labels.append(mark + _truncate(f"{date} · {row['agency']} · {concerns}", 70))
            eid = str(row["event_id"])
            if never[i]:
                bar = ax.barh(y, x_max, height=0.6, facecolor="white", edgecolor=ALERT, hatch="xxx", linewidth=0.8)
                _open_bar_label(ax, x_max, y, never_text, ALERT, bold=True)
                status = "never"
            elif died[i]:
                # censored at the death: late only when its expected time had passed while the child was alive
                colour = NEUTRAL if within_given.fillna(True).iloc[i] else ALERT
                bar = ax.barh(y, x_max, height=0.6, facecolor="white", edgecolor=colour, hatch="...", linewidth=0.8)
                _open_bar_label(ax, x_max, y, died_text + _at_least(at_least.iloc[i], in_months), colour)
                status = "died"
            elif unknown_time[i]:
                status = "late" if late[i] else ("unknown" if unknown[i] else "ok")
                colour = {"late": ALERT, "ok": OK, "unknown": NEUTRAL}[status]
                bar = ax.barh(y, x_max * 0.004, height=0.6, facecolor=colour, edgecolor=colour, linewidth=0.4)
                what = ", ".join(_label(e) for e in split_multi(row["first_escalation"])) or "escalated"
                when = row.get("first_escalation_date")
                on = (f" {_date_label(pd.Timestamp(when), precision.get(str(row.get('first_escalation_event_id', ''))), shown)}"
                      if not pd.isna(when) else "")
                ax.text(x_max * 0.01, y, f"{what}{on}: time not known (date to the month or year)", ha="left",
                        va="center", fontsize=6.5, color=ALERT if late[i] else NEUTRAL,
                        fontweight="bold" if late[i] else "normal")
            else:
                value = float(latency.iloc[i])
                status = "late" if late[i] else "ok"
                bar = ax.barh(y, max(value, x_max * 0.004), height=0.6,
                              facecolor=ALERT if late[i] else OK, hatch="////" if late[i] else None,
                              edgecolor="white" if not late[i] else "black", linewidth=0.4)
                what = ", ".join(_label(e) for e in split_multi(row["first_escalation"])) or "escalated"
                if in_months:
                    amount = "under 1 month" if value == 0 else f"{value:g} month{'s' if value != 1 else ''}"
                else:
                    amount = f"{value:g} d"
                ax.text(value + x_max * 0.01, y, f"{amount} ({what})", ha="left", va="center", fontsize=6.5,
                        fontweight="bold" if late[i] else "normal")
            bar.patches[0].set_gid(f"latency:{eid}:{status}")
            if not pd.isna(expected.iloc[i]):
                tick = ax.plot([float(expected.iloc[i])] * 2, [y - 0.42, y + 0.42], color="black", lw=1.6,
                               solid_capstyle="butt", zorder=5)[0]
                tick.set_gid(f"expected:{eid}")
        ax.set_yticks(range(m), labels)
        for tick, is_late, is_never, is_flagged in zip(ax.get_yticklabels(), late[drawn], never[drawn], flagged[drawn]):
            if is_late or is_never:
                tick.set_color(ALERT)
            if is_flagged:
                tick.set_fontweight("bold")
        ax.set_ylim(m - 0.5, -0.5)
        ax.set_xlim(0, x_max)
        left_out = n - m
        if left_out:
            ax.set_title(textwrap.fill(_latency_note(m, n, int((late | never | died | unknown | flagged).sum())), 150),
                         loc="left", fontsize=7, fontweight="normal", color=NEUTRAL)
        ax.set_xlabel(("Whole months" if in_months else "Days") + " from the concern to the next escalation by any "
                      "agency, not necessarily about it (black tick: expected within)")
        ax.grid(axis="x", color="#DDDDDD", lw=0.4)
        ax.set_axisbelow(True)
        # counted by event, not row: a concern several agencies recorded (a conference five attended) is one
        # concern, never escalated when none of its records was, else late when one of them was, else
        # unplaceable when one was, else in time
        groups = pd.Series(_event_groups(table["event_id"].tolist(), timeline))
        by_event = pd.DataFrame({"g": groups, "late": late, "never": never | died, "died": died,
                                 "unknown": unknown}).groupby("g", sort=False)
        all_none = by_event["never"].all()
        all_died = all_none & by_event["died"].any()  # none escalated, the child died first
        all_never = all_none & ~all_died
        any_late = by_event["late"].any() & ~all_none
        any_unknown = by_event["unknown"].any() & ~all_none & ~any_late
        n_late, n_never, n_unknown = int(any_late.sum()), int(all_never.sum()), int(any_unknown.sum())
        n_died = int(all_died.sum())
        n_events = int(len(all_never))
        unsure = f", {n_unknown} escalated at a time the dates cannot place" if n_unknown else ""
        unsure += f", {n_died} {died_count}" if n_died else ""
        of = f"(of {n})" if n_events == n else f"(of {_plural(n_events, 'concern')}; {n} records)"
        _suptitle(fig, f"{title}: {n_late} later than expected, {n_never} {never_count}{unsure} {of}")
        fig.legend(
            handles=[
                Patch(facecolor=OK, label="escalated within the expected time"),
                Patch(facecolor=ALERT, hatch="////", edgecolor="black", label="escalated later than expected"),
                Patch(facecolor="white", hatch="xxx", edgecolor=ALERT, label=never_text),
                *([Patch(facecolor="white", hatch="...", edgecolor=NEUTRAL, label=died_text)] if n_died else []),
                *([Patch(facecolor=NEUTRAL, label="escalated, time not known (partial date)")]
                  if n_unknown else []),
                Line2D([], [], color="black", lw=1.6, marker="|", linestyle="", markersize=9, label="expected time"),
                Line2D([], [], linestyle="", label=f"{FLAG_MARK}bold label: the concern is part of a flag"),
            ],
            loc="outside lower center",
            ncol=3 if n_unknown or n_died else 5,
        )
        recorded = (f"{n} recorded concerns" if n_events == n else
                    f"{n_events} recorded concerns ({n} records: a concern several agencies recorded is counted once)")
        fig.review_alt_text = (
            f"Bar chart of {recorded} and the {'months' if in_months else 'days'} until the next escalation "
            f"by any agency (not necessarily about the concern), against the "
            f"expected time: {n_events - n_late - n_never - n_unknown - n_died} in time, {n_late} later than expected"
            + (f", {n_never} {never_count} and {n_unknown} escalated at a time the month or year dates cannot "
               f"place against it." if n_unknown else f" and {n_never} {never_count}.")
            + (f" {n_died} {died_count}." if n_died else "")
            + (f" {_latency_note(m, n, int((late | never | died | unknown | flagged).sum()))}" if left_out else "")
        )
    return fig


# ---------------------------------------------------------------------------------------------------
# 3. Agency knowledge ("not smart enough")
# ---------------------------------------------------------------------------------------------------
def _count(value) -> int:
    if value is None or value is pd.NA or (isinstance(value, float) and math.isnan(value)):
        return 0
    if isinstance(value, (int, np.integer)):
        return int(value)
    if isinstance(value, (list, tuple, set)):
        return len(value)
    return len(split_multi(value))


def _tags(value) -> list[str]:
    if isinstance(value, (list, tuple, set)):
        return sorted(str(v) for v in value)
    if isinstance(value, (int, np.integer, float)):
        return []
    return split_multi(value)


#: the agency-knowledge chart's rows: 0.28 in each when they fit, shrinking to fit an A4 landscape page down to
#: 0.18 in (two lines of the 6.5 pt list of concerns known elsewhere); a case with more decisions than fit shows
#: `_KNOWLEDGE_MAX_ROWS` of them, those made without concerns known elsewhere first (`_latency_rows_shown`)
_KNOWLEDGE_ROW_IN = 0.28
_KNOWLEDGE_MIN_ROW_IN = 0.18
_KNOWLEDGE_OVERHEAD_IN = 1.8
_KNOWLEDGE_MAX_ROWS = int((A4_LANDSCAPE[1] - _KNOWLEDGE_OVERHEAD_IN) / _KNOWLEDGE_MIN_ROW_IN)


def _knowledge_note(shown: int, total: int, wanted: int) -> str:
    """The agency-knowledge chart's note when it leaves decisions out (its title counts them all)."""
    if wanted >= shown:
        which = f"the first {shown} by date of the {wanted} made without concerns known elsewhere"
    else:
        which = (f"every one made without concerns known elsewhere ({wanted}) and the first {shown - wanted} by date "
                 "of the others")
    return (f"{shown} of {total} decisions drawn ({which}); the title counts them all, the agency knowledge table "
            "lists them")


def plot_agency_knowledge(knowledge: pd.DataFrame, *, date_resolution: str = "day",
                          timeline: pd.DataFrame | None = None) -> Figure:
    """At each decision point, the concerns the deciding agency knew against those known anywhere.

    One row per decision (oldest at the top): a filled blue circle for the concerns known to the deciding
    agency, an open vermillion square for the concerns known to any agency by that date, and a line
    between them. A gap — information that existed but did not reach the decision — is the "not smart
    enough" pattern; the missing concern tags are written beside the row. The chart fits an A4 landscape page:
    with more decisions than `_KNOWLEDGE_MAX_ROWS` rows of at least 0.18 in, it draws those made without
    concerns known elsewhere first (the earliest first), then the others by date, and a note above the rows says
    how many it drew; the title counts every decision.

    Parameters
    ----------
    knowledge : pandas.DataFrame
        Columns ``decision_event_id``, ``date``, ``deciding_agency``, ``decision``,
        ``concerns_known_to_agency``, ``concerns_known_anywhere``, ``missing_concerns`` (joined tags
        or counts).
    date_resolution : "month" for the anonymised view: the decisions' dates are labelled by month.

    Returns
    -------
    matplotlib.figure.Figure
        Rows carry gids ``knowledge:<decision_event_id>:<known>:<anywhere>``.
    """
    title = "What the deciding agency knew at each decision"
    with house_style():
        if knowledge is None or knowledge.empty:
            return _empty_figure(title, "no decision points")
        table = knowledge.copy()
        table["date"] = pd.to_datetime(table.get("date"))
        # dates to the month (the anonymised view): the table's own order (the chronology's) within a month
        by = ["date"] if date_resolution == "month" else ["date", "decision_event_id"]
        table = table.sort_values(by, kind="mergesort").reset_index(drop=True)
        n_all = len(table)
        known = np.array([_count(v) for v in table.get("concerns_known_to_agency", [0] * n_all)], dtype="int64")
        anywhere = np.array([_count(v) for v in table.get("concerns_known_anywhere", [0] * n_all)], dtype="int64")
        anywhere = np.maximum(anywhere, known)
        gap_all = anywhere > known
        # counted by event, not row: one conference five agencies attended is one decision (made without
        # concerns known elsewhere when one of its agencies lacked them); every decision, drawn or not
        groups = pd.Series(_event_groups(table.get("decision_event_id", pd.Series([None] * n_all)).tolist(), timeline))
        n_events = int(groups.nunique())
        n_gap = int(groups[gap_all].nunique())
        # at most a page's rows, each at least _KNOWLEDGE_MIN_ROW_IN tall: a long case keeps the decisions made
        # without concerns known elsewhere (the earliest first), and says how many it leaves out
        drawn = _latency_rows_shown(gap_all, _KNOWLEDGE_MAX_ROWS)
        table = table.iloc[drawn].reset_index(drop=True)
        known, anywhere, gap = known[drawn], anywhere[drawn], gap_all[drawn]
        n = len(table)
        missing_col = table.get("missing_concerns", pd.Series([""] * n))
        missing = [_tags(v) for v in missing_col]

        row_in = min(_KNOWLEDGE_ROW_IN, max(_KNOWLEDGE_MIN_ROW_IN, (A4_LANDSCAPE[1] - _KNOWLEDGE_OVERHEAD_IN) / max(n, 1)))
        height = max(3.0, row_in * n + _KNOWLEDGE_OVERHEAD_IN) + (0.25 if n < n_all else 0.0)
        fig = Figure(figsize=(A4_LANDSCAPE[0], height), layout="constrained")
        ax, ax_missing = fig.subplots(1, 2, sharey=True, gridspec_kw={"width_ratios": [3, 2], "wspace": 0.01})
        ax_missing.set_axis_off()
        ax_missing.set_title("Known elsewhere, not to the deciding agency", loc="left", fontsize=7.5, color=ALERT)
        labels = []
        precision = _precision_of(timeline)
        for i, row in table.iterrows():
            date = _date_label(row["date"], precision.get(str(row.get("decision_event_id", ""))),
                               "%b %Y" if date_resolution == "month" else "%d %b %Y")
            labels.append(_truncate(f"{date} · {row.get('deciding_agency', '')} · {_label(str(row.get('decision', '')))}", 70))
            line = ax.plot([known[i], anywhere[i]], [i, i], color=ALERT if gap[i] else "#BBBBBB",
                           lw=2.0 if gap[i] else 1.0, linestyle="-" if gap[i] else ":", zorder=2)[0]
            line.set_gid(f"knowledge:{row.get('decision_event_id', i)}:{known[i]}:{anywhere[i]}")
            if missing[i]:
                ax_missing.text(0.0, i, textwrap.fill(_truncate(", ".join(_label(t) for t in missing[i]), 110), 58),
                                va="center", ha="left", fontsize=6.5, linespacing=1.0, color=ALERT,
                                transform=ax_missing.get_yaxis_transform())
        ax.scatter(anywhere, range(n), marker="s", s=40, facecolors="white", edgecolors=ALERT, linewidths=1.3, zorder=3,
                   label="concerns known to any agency").set_gid("known_anywhere")
        ax.scatter(known, range(n), marker="o", s=34, color=OK, edgecolors="white", linewidths=0.5, zorder=4,
                   label="concerns known to the deciding agency").set_gid("known_to_agency")
        ax.set_yticks(range(n), labels)
        for tick, g in zip(ax.get_yticklabels(), gap):
            if g:
                tick.set_fontweight("bold")
                tick.set_color(ALERT)
        ax.set_ylim(n - 0.5, -0.5)
        ax.set_xlim(-0.5, max(int(anywhere.max()) if n else 1, 1) + 0.5)
        ax.xaxis.set_major_locator(mpl.ticker.MaxNLocator(integer=True))
        ax.set_xlabel("Number of distinct concerns")
        ax.grid(axis="x", color="#DDDDDD", lw=0.4)
        ax.set_axisbelow(True)
        fig.legend(loc="outside lower center", ncol=2)
        note = _knowledge_note(n, n_all, int(gap_all.sum())) if n < n_all else ""
        if note:
            ax.set_title(textwrap.fill(note, 110), loc="left", fontsize=7, fontweight="normal", color=NEUTRAL)
        records = "" if n_events == n_all else f" ({n_all} agency records)"
        _suptitle(fig, f"{title}: {n_gap} of {n_events} decisions{records} made without concerns known elsewhere")
        fig.review_alt_text = (
            f"Dot plot of {n_events} decision points{records} comparing the concerns known to the deciding agency with "
            f"those known to any agency; {n_gap} decision{'s were' if n_gap != 1 else ' was'} made without concerns "
            "another agency held." + (f" {note}" if note else "")
        )
    return fig


# ---------------------------------------------------------------------------------------------------
# 4. Contact density
# ---------------------------------------------------------------------------------------------------
#: the most blocks the density chart's colour bar has (a month's counts are binned beyond it)
_MAX_COUNT_BLOCKS = 40


def _count_scale(most: int) -> tuple[mpl.colors.ListedColormap, mpl.colors.BoundaryNorm]:
    """The density heatmap's colours: a count of k contacts is the light-to-dark blue ramp at k / `most` (0 is
    not drawn), one colour per whole count up to `_MAX_COUNT_BLOCKS` counts, else per bin of counts (the
    bin's top count's colour), so that its colour bar is a few blocks, not a gradient."""
    import seaborn as sns

    most = max(int(most), 1)
    tops = np.unique(np.round(np.linspace(0, most, min(most, _MAX_COUNT_BLOCKS) + 1)))[1:]
    ramp = sns.light_palette(OKABE_ITO["blue"], as_cmap=True)
    cmap = mpl.colors.ListedColormap(ramp(tops / most), name="contacts")
    return cmap, mpl.colors.BoundaryNorm(np.concatenate([[0.5], tops + 0.5]), cmap.N)


def plot_contact_density(timeline: pd.DataFrame) -> Figure:
    """Contacts per agency per month (heatmap), and per month whether the child was seen (bars).

    Parameters
    ----------
    timeline : pandas.DataFrame
        The integrated chronology (``schema.TIMELINE_COLUMNS``).

    Returns
    -------
    matplotlib.figure.Figure
        Two panels sharing the month axis. The heatmap uses a single-hue light-to-dark ramp (reads in
        greyscale) with the count written in every non-empty cell, and a colour bar of a block per whole
        count (`_count_scale`), all vector shapes; its ``gid`` is ``density``. The bars
        are stacked seen / seen read / not seen / not seen read / unknown (`review.sightings.sighting_status`:
        "read" where no Child seen is recorded and the timeline read the row, child_seen_inferred; a read
        status no row has is left out) with gids ``seen:<status>:<YYYY-MM>``.
    """
    import seaborn as sns

    title = "Contacts per agency per month"
    timeline = _named_lanes(conform(timeline, TIMELINE_COLUMNS))
    timeline = timeline[timeline["date"].notna()]
    with house_style():
        if timeline.empty:
            return _empty_figure(title, "no dated contacts")
        lanes = _agency_order(timeline)
        months = pd.period_range(timeline["date"].min().to_period("M"), timeline["date"].max().to_period("M"), freq="M")
        month_of = timeline["date"].dt.to_period("M")
        counts = (
            pd.crosstab(timeline["agency"].astype(str), month_of)
            .reindex(index=[a for _, a in lanes], columns=months, fill_value=0)
            .astype(int)
        )
        counts.columns = [str(m) for m in months]  # plain labels: seaborn reads .values of the index
        # the Child seen cell as recorded, and apart from it the timeline's reading of a blank cell's row
        status = sighting_status(timeline)
        by_status = pd.crosstab(pd.Series(status, index=timeline.index, name="status"), month_of).reindex(
            index=list(SIGHTING_STATUSES), columns=months, fill_value=0
        )

        n_rows, n_months = len(lanes), len(months)
        fig = Figure(figsize=(A4_LANDSCAPE[0], min(max(4.5, 0.32 * n_rows + 3.2), 20)), layout="constrained")
        grid = fig.add_gridspec(2, 2, height_ratios=[max(n_rows, 2), 3], width_ratios=[1, 0.015])
        ax_heat = fig.add_subplot(grid[0, 0])
        ax_cbar = fig.add_subplot(grid[0, 1])
        ax_bars = fig.add_subplot(grid[1, 0], sharex=ax_heat)
        cmap, norm = _count_scale(int(counts.to_numpy().max()))
        annot = counts.where(counts > 0).map(lambda v: "" if pd.isna(v) else f"{int(v)}").to_numpy()
        sns.heatmap(
            counts, ax=ax_heat, cbar_ax=ax_cbar, cmap=cmap, norm=norm, mask=counts.to_numpy() == 0, linewidths=0.4,
            linecolor="white", annot=annot if n_months * n_rows <= 600 else False, fmt="", annot_kws={"fontsize": 6},
            cbar_kws={"label": "contacts", "spacing": "proportional"},
        )
        # a block per whole contact (a month never has 0.4 of a contact), drawn as vector shapes: matplotlib
        # makes a colour bar of 50 colours or more a PNG inside the SVG, which the report's
        # Content-Security-Policy would have to allow as a data: image
        ax_heat.collections[0].colorbar.solids.set_rasterized(False)
        ax_cbar.yaxis.set_major_locator(mpl.ticker.MaxNLocator(integer=True, min_n_ticks=1))
        ax_heat.collections[0].set_gid("density")
        ax_heat.set_ylabel("")
        ax_heat.set_xlabel("")
        ax_heat.set_yticks(np.arange(n_rows) + 0.5, [_truncate(a, 34) for _, a in lanes], rotation=0)
        ax_heat.tick_params(axis="x", labelbottom=False, length=0)
        ax_heat.set_title("Contacts per agency per month", loc="left", fontsize=8)

        positions = np.arange(n_months) + 0.5
        bottom = np.zeros(n_months)
        # (status, gid name, colour, hatch): a read sighting in a lighter shade of the recorded one, hatched
        # differently, so that the bars tell recorded from read in greyscale too
        styles = [(SEEN, "seen", OK, None), (SEEN_READ, "seen read", _READ_SEEN, "\\\\"),
                  (NOT_SEEN, "not seen", ALERT, "////"), (NOT_SEEN_READ, "not seen read", _READ_NOT_SEEN, "xx"),
                  (UNKNOWN, "unknown", "#BBBBBB", "....")]
        for name, gid, colour, hatch in styles:
            values = by_status.loc[name].to_numpy(dtype=float)
            if name in (SEEN_READ, NOT_SEEN_READ) and not values.any():
                continue  # no bar nor legend entry for a reading the case never needed
            bars = ax_bars.bar(positions, values, bottom=bottom, width=0.8, color=colour, hatch=hatch,
                               edgecolor="white" if hatch is None else "black", linewidth=0.3, label=f"child {name}")
            for patch, month in zip(bars.patches, months):
                patch.set_gid(f"seen:{gid}:{month}")
            bottom += values
        ax_bars.set_xlim(0, n_months)
        ticks = _month_ticks(months)
        ax_bars.set_xticks(positions[ticks], [f"{months[i]:%b}\n{months[i]:%Y}" for i in ticks], rotation=0)
        ax_bars.set_ylabel("contacts")
        ax_bars.set_title("Was the child seen?", loc="left", fontsize=8)
        # above the bars, right-aligned opposite the title: inside the axes it covered the tallest bars
        ax_bars.legend(loc="lower right", bbox_to_anchor=(1.0, 1.0), ncol=5, frameon=False, borderaxespad=0.2)
        ax_bars.yaxis.set_major_locator(mpl.ticker.MaxNLocator(integer=True))
        _suptitle(fig, f"{title} and whether the child was seen ({_plural(len(timeline), 'contact')}, "
                     f"{_plural(n_months, 'month')})")
        total_seen = int(by_status.loc[SEEN].sum())
        total_not = int(by_status.loc[NOT_SEEN].sum())
        read_seen = int(by_status.loc[SEEN_READ].sum())
        read_not = int(by_status.loc[NOT_SEEN_READ].sum())
        busiest = months[int(counts.sum(axis=0).to_numpy().argmax())]
        fig.review_alt_text = (
            f"Heatmap of contacts per month for {n_rows} agencies over {n_months} months (busiest month "
            f"{busiest:%B %Y} with {int(counts.sum(axis=0).max())} contacts), and bars of whether the child was "
            f"seen: seen at {total_seen} contacts, not seen at {total_not}"
            + (f", seen as read from the text (no Child seen recorded) at {read_seen}" if read_seen else "")
            + (f", not seen as read from the text at {read_not}" if read_not else "")
            + f", unknown at {len(timeline) - total_seen - total_not - read_seen - read_not}."
        )
    return fig
