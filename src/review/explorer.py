"""Interactive exploration for reviewers in JupyterLab, built on pure filtering functions.

`filter_timeline` and `flag_evidence` are plain table-in/table-out functions (tested like the rest of
the library); `TimelineExplorer` and `DecisionForm` wrap them in ipywidgets. When the notebook runs
headless (papermill, nbconvert) the widgets still build, and every notebook shows its static tables
and charts before them, so an executed copy is complete without a live kernel.
"""
from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

import pandas as pd

from .schema import split_multi

#: the columns a reviewer reads first, in reading order
CHRONOLOGY_VIEW = [
    "seq",
    "date",
    "date_precision",
    "age_display",
    "agency",
    "contact_type",
    "child_seen",
    "child_seen_inferred",  # where no Child seen is recorded, the timeline's reading of the row (review.sightings)
    "concerns",
    "escalation",
    "description",
    "action",
    "event_group",
    "source_file",
    "source_sheet",
    "source_row",
    "event_id",
]

FLAG_VIEW = [
    "flag_no",
    "flag_id",
    "rule_id",
    "severity",
    "trigger_date",
    "agencies",
    "expected_action",
    "expected_by",
    "delay_days",
    "failing_category",
    "explanation",
]


def chronology_view(timeline: pd.DataFrame) -> pd.DataFrame:
    """The integrated chronology with the columns a reviewer reads, in reading order. Its date is shown to the
    precision the agency gave it, as the report and the workbook show it ("Mar 2024", "2023", "c. 22/05/2023",
    "c. May 2023"; an exact day 22/05/2023): never a day the agency did not give."""
    view = timeline[[c for c in CHRONOLOGY_VIEW if c in timeline.columns]].reset_index(drop=True)
    if "date" in view.columns:
        from .export import _event_date

        precision = (timeline["date_precision"] if "date_precision" in timeline.columns
                     else pd.Series("day", index=timeline.index))
        text = timeline["date_text"] if "date_text" in timeline.columns else pd.Series(None, index=timeline.index)
        view["date"] = pd.array([_event_date(d, p, text=t) for d, p, t in
                                 zip(timeline["date"].tolist(), precision.tolist(), text.tolist())], dtype="string")
    return view


def date_span(timeline: pd.DataFrame) -> str:
    """"first to last": the earliest and latest contacts' dates as the chronology shows them, to the precision
    the agency gave ("Spring 2023 to 15/07/2024"), "no dated contacts" when none is dated."""
    dated = timeline[pd.to_datetime(timeline["date"]).notna()] if "date" in timeline.columns else timeline.iloc[:0]
    if not len(dated):
        return "no dated contacts"
    days = pd.to_datetime(dated["date"])
    ends = chronology_view(dated.loc[[days.idxmin(), days.idxmax()]])["date"].tolist()
    return f"{ends[0]} to {ends[-1]}"


def flags_view(flags: pd.DataFrame) -> pd.DataFrame:
    """The flags numbered 1..n as on the swimlane callouts, with the columns a reviewer reads. Flags that
    carry their ``flag_no`` already (`shown_flags`: the flags of a filtered timeline) keep it: the number in
    the whole case's flags table."""
    numbered = flags.reset_index(drop=True).copy()
    if "flag_no" not in numbered.columns:
        numbered.insert(0, "flag_no", range(1, len(numbered) + 1))
    extra = [c for c in ("decision", "rationale", "decided_by") if c in numbered.columns]
    return numbered[[c for c in FLAG_VIEW if c in numbered.columns] + extra]


def flag_numbers(flags: pd.DataFrame) -> dict[str, int]:
    """{flag_id: its number}: the 1-based row of the whole case's flags, as the flags table, the report and
    `review flags` number them; a filtered view keeps these numbers."""
    return {str(fid): n for n, fid in enumerate(flags["flag_id"].tolist(), start=1)}


def shown_flags(rows: pd.DataFrame, flags: pd.DataFrame) -> pd.DataFrame:
    """The flags (of the whole case, `flags`) whose trigger contact is among `rows` (a filtered timeline), each
    with its ``flag_no`` in the whole case's flags, so that `charts.plot_swimlane` numbers its callouts as the
    flags table does however the rows were filtered."""
    numbered = flags.reset_index(drop=True)
    numbered = numbered.assign(flag_no=range(1, len(numbered) + 1))
    return numbered[numbered["trigger_event_id"].isin(rows["event_id"])]


class Sentence:
    """A plain sentence shown where a table would be empty: a notebook shows its text (and a paragraph in
    HTML), never pandas' "Empty DataFrame / Columns: [...] / Index: []"."""

    def __init__(self, text: str):
        self.text = str(text)

    def __repr__(self) -> str:
        return self.text

    __str__ = __repr__

    def __eq__(self, other) -> bool:
        return isinstance(other, Sentence) and other.text == self.text

    def __hash__(self) -> int:
        return hash(self.text)

    def _repr_html_(self) -> str:
        import html

        return f"<p>{html.escape(self.text)}</p>"


def table_or_sentence(table, sentence: str):
    """`table` when it has rows, else `sentence` as a `Sentence`: in a notebook,
    ``display(table_or_sentence(flags_view(shown), "No flags in this range."))``. `table` may be a DataFrame
    or a pandas Styler (`wrapped`); None counts as empty."""
    data = getattr(table, "data", table)  # a Styler's table
    if data is None or not len(data):
        return Sentence(sentence)
    return table


def rejections_view(rejections: pd.DataFrame) -> pd.DataFrame:
    """The ingest report's rejected rows and warnings (`IngestReport.rejections_frame`) as a reviewer reads
    them: the row as a whole number (nullable Int64: a warning about the whole sheet has none, which made the
    others 4.0), every reason in full (`wrapped` shows it wrapped in a notebook)."""
    view = rejections.reset_index(drop=True).copy()
    if "row" in view.columns:
        view["row"] = pd.to_numeric(view["row"], errors="coerce").round().astype("Int64")
    return view


def wrapped(table: pd.DataFrame, columns=None, *, width_em: int = 60):
    """`table` as a pandas Styler for a notebook, its text `columns` (default: the object and string ones)
    shown in full and wrapped within their cells, left-aligned, at most `width_em` ems wide: the notebooks'
    display.max_colwidth cut a rejection's reason at 80 characters. Missing values are blank."""
    if columns is None:
        columns = [c for c in table.columns if table[c].dtype == object or pd.api.types.is_string_dtype(table[c])]
    import hashlib

    columns = [c for c in columns if c in table.columns]
    props = [("white-space", "pre-wrap"), ("text-align", "left"), ("max-width", f"{width_em}em"),
             ("overflow-wrap", "anywhere")]
    # one CSS rule per column (not one per cell), under an id made from the columns, not a random one: an
    # executed notebook's output is the same every run
    key = "\x1f".join(map(str, [*table.columns, "|", *columns, width_em]))
    styler = table.style.format(na_rep="").set_uuid("wrapped_" + hashlib.sha1(key.encode("utf-8")).hexdigest()[:10])
    if columns:
        styler = styler.set_table_styles({c: [{"selector": "td", "props": props}] for c in columns}, overwrite=False)
    return styler


def _as_values(value) -> list:
    """A filter's values: a single string is one value ("neglect"), not its characters."""
    if isinstance(value, str):
        return [value]
    return list(value)


_ISO_DAY = re.compile(r"\d{4}-\d{1,2}-\d{1,2}(?:[ T].*)?")
_UK_DAY = re.compile(r"(?P<d>\d{1,2})[/.-](?P<m>\d{1,2})[/.-](?P<y>\d{4})")


def _filter_day(value, name: str) -> pd.Timestamp | None:
    """`start`/`end` as a day: a date, a Timestamp, or text written YYYY-MM-DD or day first as in the UK
    (01/03/2023 is 1 March 2023, never 3 January); other text is refused rather than guessed."""
    from .errors import ConfigError

    if value is None or (not isinstance(value, str) and pd.isna(value)):
        return None
    if not isinstance(value, str):
        return pd.Timestamp(value)
    text = value.strip()
    uk = _UK_DAY.fullmatch(text)
    try:
        if uk:
            return pd.Timestamp(dt.date(int(uk["y"]), int(uk["m"]), int(uk["d"])))
        if _ISO_DAY.fullmatch(text):
            return pd.Timestamp(text)
    except ValueError:
        raise ConfigError(f"filter_timeline: {name}={value!r} is not a date (day {text})") from None
    raise ConfigError(f"filter_timeline: {name}={value!r}: give a date, or text as YYYY-MM-DD or DD/MM/YYYY "
                      "(day first)")


def flags_headline(flags: pd.DataFrame, decisions=None) -> str:
    """The flags counted as `review build` counts them: "23 flags (1 rejected by the reviewers); 1 finding
    added" (every flag, the findings the reviewers added among them; the parts in brackets and after the
    semicolon only when there are any)."""
    from .decisions import ADDED_SOURCE
    from .export import decision_counts, plural

    rejected = decision_counts(flags, decisions).get("rejected", 0) if len(flags) else 0
    added = int((flags["source"].astype("string").fillna("") == ADDED_SOURCE).sum()) if "source" in flags else 0
    return (plural(len(flags), "flag") + (f" ({rejected} rejected by the reviewers)" if rejected else "")
            + (f"; {plural(added, 'finding')} added" if added else ""))


def filter_timeline(
    timeline: pd.DataFrame,
    *,
    start=None,
    end=None,
    agencies=None,
    contact_types=None,
    concerns=None,
    search: str | None = None,
    flagged_event_ids=None,
    child_seen: bool | None = None,
) -> pd.DataFrame:
    """Rows of the timeline that match every given filter (None or empty means no filter).

    `start` / `end` (inclusive days: dates, or text as YYYY-MM-DD or DD/MM/YYYY, day first) keep a row whose date could fall in the range: a row dated only to its
    month or year is kept when that period overlaps the range.

    `agencies`, `contact_types` and `concerns` take a list of values or one value as a string; `concerns`
    keeps rows carrying any of the tags; `search` is a case-insensitive substring over the
    description, action and analysis; `flagged_event_ids` keeps only those events; `child_seen` True keeps
    the rows where the child was seen, False those where not, as the rules read it (`review.sightings.
    seen_mask` / `not_seen_mask`: recorded, or read from the row where no Child seen is recorded).
    """
    keep = pd.Series(True, index=timeline.index)
    start, end = _filter_day(start, "start"), _filter_day(end, "end")
    if start is not None or end is not None:
        # a row dated only to its month or year ("Mar 2024"; "approximate": a month either side) is kept when its
        # period overlaps the range: it may fall inside it
        from .rules.base import _period_bounds
        from .timeline import APPROXIMATE_SPAN_DAYS

        day = pd.Series(pd.to_datetime(timeline["date"]).to_numpy(dtype="datetime64[ns]"), index=timeline.index)
        precision = (timeline["date_precision"].astype("string").fillna("day")
                     if "date_precision" in timeline.columns else pd.Series("day", index=timeline.index))
        first, last = _period_bounds(day, precision, APPROXIMATE_SPAN_DAYS)
        if start is not None:
            keep &= last >= start
        if end is not None:
            # an end date includes the whole of that day
            keep &= first < end + pd.Timedelta(days=1)
    if agencies:
        keep &= timeline["agency"].isin(_as_values(agencies))
    if contact_types:
        keep &= timeline["contact_type"].isin(_as_values(contact_types))
    if concerns:
        wanted = set(_as_values(concerns))
        keep &= timeline["concerns"].map(lambda value: bool(wanted & set(split_multi(value))))
    if search:
        needle = search.strip().lower()
        if needle:
            text = (
                timeline["description"].fillna("").astype(str)
                + " "
                + timeline["action"].fillna("").astype(str)
                + " "
                + timeline.get("analysis", pd.Series("", index=timeline.index)).fillna("").astype(str)
            ).str.lower()
            keep &= text.str.contains(needle, regex=False)
    if flagged_event_ids is not None:
        keep &= timeline["event_id"].isin(_as_values(flagged_event_ids))
    if child_seen is not None:
        from .sightings import not_seen_mask, seen_mask

        keep &= (seen_mask if child_seen else not_seen_mask)(timeline)
    return timeline[keep.astype(bool)]


def flag_evidence(timeline: pd.DataFrame, flags: pd.DataFrame, flag_id) -> pd.DataFrame:
    """The timeline rows a flag cites: its trigger, its evidence and the late action if any. `flag_id` is the
    flag's id, or its number as `review decide` takes it (``3``, ``"3"`` or ``"#3"``: its 1-based row in
    `flags`, the whole case's flags table)."""
    flag_id = resolve_flag(flags, flag_id)
    match = flags[flags["flag_id"] == flag_id]
    flag = match.iloc[0]
    ids = [flag["trigger_event_id"], *split_multi(flag["evidence_event_ids"])]
    if flag.get("actual_action_event_id"):
        ids.append(flag["actual_action_event_id"])
    rows = timeline[timeline["event_id"].isin(ids)]
    role = {eid: "evidence" for eid in ids}
    role[flag["trigger_event_id"]] = "trigger"
    if flag.get("actual_action_event_id"):
        role[flag["actual_action_event_id"]] = "late action"
    view = chronology_view(rows)
    view.insert(0, "role", rows["event_id"].map(role).to_numpy())
    return view


_FLAG_NUMBER = re.compile(r"#?\s*[0-9]+")


def resolve_flag(flags: pd.DataFrame, flag) -> str:
    """The id of the flag given by its id or by its number (``3``, ``"3"``, ``"#3"``: its 1-based row in
    `flags`, as `review flags` and the flags table number it). Raises KeyError for no such flag."""
    ids = flags["flag_id"].astype(str).tolist()
    text = str(flag).strip() if flag is not None else ""
    if not isinstance(flag, bool) and (isinstance(flag, int) or _FLAG_NUMBER.fullmatch(text)) and text not in ids:
        number = int(text.lstrip("#").strip())
        if not 1 <= number <= len(ids):
            raise KeyError(f"no flag #{number}: the case's flags are numbered "
                           + (f"#1 to #{len(ids)}" if ids else "(it has none)"))
        return ids[number - 1]
    if text not in ids:
        raise KeyError(f"no flag {flag!r}")
    return text


def _contact_dates(timeline: pd.DataFrame) -> dict[str, str]:
    """{event_id: its date as the chronology shows it}, to the precision the agency gave ("Mar 2023",
    "Spring 2023", "c. May 2023", 22/05/2023)."""
    if timeline is None or not len(timeline) or "event_id" not in timeline.columns:
        return {}
    view = chronology_view(timeline)
    return dict(zip(timeline["event_id"].astype(str), view["date"].fillna("no date").astype(str)))


def flag_options(flags: pd.DataFrame, timeline: pd.DataFrame | None = None, rows: pd.DataFrame | None = None
                 ) -> list[tuple[str, str]]:
    """(label, flag_id) per flag, "N. rule - date - agency (decision)": N its number in the whole case's
    flags (`flags`), the date its trigger contact's as the chronology shows it (to its precision), the
    agency the trigger contact's, and the reviewers' decision when there is one. With `rows` (a filtered
    timeline), only the flags whose trigger contact is among them."""
    if timeline is not None and len(timeline):  # only the trigger contacts' dates are shown
        timeline = timeline[timeline["event_id"].astype(str).isin(set(flags["trigger_event_id"].astype(str)))]
    dates = _contact_dates(timeline)
    agency_of = ({} if timeline is None or "agency" not in getattr(timeline, "columns", ()) else
                 dict(zip(timeline["event_id"].astype(str), timeline["agency"].astype("string").fillna("").astype(str))))
    wanted = None if rows is None else set(rows["event_id"].astype(str))
    out = []
    for number, flag in enumerate(flags.to_dict("records"), start=1):
        trigger = str(flag.get("trigger_event_id") or "")
        if wanted is not None and trigger not in wanted:
            continue
        when = dates.get(trigger)
        if when is None:
            day = flag.get("trigger_date")
            when = "no date" if day is None or pd.isna(day) else f"{pd.Timestamp(day):%d/%m/%Y}"
        agencies = split_multi(flag.get("agencies"))
        agency = agency_of.get(trigger) or (agencies[0] if agencies else "")
        decision = flag.get("decision")
        decided = f" ({decision})" if isinstance(decision, str) and decision.strip() else ""
        label = " - ".join(part for part in (f"{number}. {flag.get('rule_id', '')}", when, agency) if part)
        out.append((label + decided, str(flag["flag_id"])))
    return out


@dataclass
class ExplorerState:
    start: dt.date | None = None
    end: dt.date | None = None
    agencies: tuple[str, ...] = ()
    contact_types: tuple[str, ...] = ()
    concerns: tuple[str, ...] = ()
    search: str = ""


class TimelineExplorer:
    """ipywidgets controls over the timeline, linked to the swimlane chart and the flags.

    Build with ``TimelineExplorer(analysis, case_config)`` and display ``.widget``. The chart is
    redrawn for the filtered rows; selecting a flag shows its evidence rows.
    """

    def __init__(self, analysis, case_config, *, max_rows: int = 200):
        import ipywidgets as w

        self.analysis = analysis
        self.case = case_config
        self.max_rows = max_rows
        timeline = analysis.timeline
        dates = timeline["date"].dropna()
        self.start = w.DatePicker(description="From", value=dates.min().date() if len(dates) else None)
        self.end = w.DatePicker(description="To", value=dates.max().date() if len(dates) else None)
        self.agencies = w.SelectMultiple(
            options=sorted(timeline["agency"].dropna().unique()), description="Agency", rows=6
        )
        self.contact_types = w.SelectMultiple(
            options=sorted(timeline["contact_type"].dropna().unique()), description="Type", rows=6
        )
        tags = sorted({tag for value in timeline["concerns"] for tag in split_multi(value)})
        self.concerns = w.SelectMultiple(options=tags, description="Concern", rows=6)
        self.search = w.Text(description="Search", placeholder="words in the description")
        self.flag = w.Dropdown(options=[("(no flag selected)", "")] + flag_options(analysis.flags, timeline),
                               description="Flag", layout=w.Layout(width="60%"))
        self.table_out = w.Output()
        self.chart_out = w.Output()
        self.evidence_out = w.Output()
        for control in (self.start, self.end, self.agencies, self.contact_types, self.concerns, self.search):
            control.observe(self._refresh, names="value")
        self.flag.observe(self._show_flag, names="value")
        filters = w.VBox([w.HBox([self.start, self.end]), w.HBox([self.agencies, self.contact_types, self.concerns]), self.search])
        self.widget = w.VBox([filters, self.chart_out, self.table_out, self.flag, self.evidence_out])
        self._refresh()

    @property
    def state(self) -> ExplorerState:
        return ExplorerState(
            start=self.start.value,
            end=self.end.value,
            agencies=tuple(self.agencies.value),
            contact_types=tuple(self.contact_types.value),
            concerns=tuple(self.concerns.value),
            search=self.search.value,
        )

    def filtered(self) -> pd.DataFrame:
        s = self.state
        return filter_timeline(
            self.analysis.timeline,
            start=s.start,
            end=s.end,
            agencies=s.agencies,
            contact_types=s.contact_types,
            concerns=s.concerns,
            search=s.search,
        )

    def _refresh(self, _change=None) -> None:
        import matplotlib.pyplot as plt
        from IPython.display import display

        from .charts import plot_swimlane

        rows = self.filtered()
        # numbered as the whole case's flags table, however filtered
        shown = shown_flags(rows, self.analysis.flags)
        # the flag dropdown lists the flags of the rows shown (a flag chosen stays chosen while it is among them)
        options = [("(no flag selected)", "")] + flag_options(self.analysis.flags, self.analysis.timeline, rows)
        if list(self.flag.options) != options:
            chosen = self.flag.value
            self.flag.options = options
            self.flag.value = chosen if chosen in {value for _, value in options} else ""
        self.table_out.clear_output(wait=True)
        with self.table_out:
            print(f"{len(rows)} of {len(self.analysis.timeline)} contacts")
            display(table_or_sentence(chronology_view(rows).head(self.max_rows), "No contacts in this range."))
            # the flags of the contacts shown, numbered as in the whole case's flags table
            display(table_or_sentence(flags_view(shown), "No flags in this range."))
        self.chart_out.clear_output(wait=True)
        with self.chart_out:
            if len(rows):
                fig = plot_swimlane(rows, shown, self.analysis.periods, self.case,
                                    escalations=getattr(self.analysis, "held_escalations", None))
                display(fig)
                plt.close(fig)

    def _show_flag(self, change) -> None:
        from IPython.display import display

        self.evidence_out.clear_output(wait=True)
        if not change["new"]:
            return
        with self.evidence_out:
            flag = self.analysis.flags[self.analysis.flags["flag_id"] == change["new"]].iloc[0]
            print(flag["explanation"])
            display(flag_evidence(self.analysis.timeline, self.analysis.flags, change["new"]))


class DecisionForm:
    """A small form to accept or reject a flag, or add a finding no rule raised, written through
    review.decisions.

    An added finding names the rule it is a missed escalation under (or "reviewer_finding" for one no
    rule covers) and the contact it is about: a dropdown of the timeline's contacts when `timeline` is
    given, else the event id typed in. Those controls show only while "added" is chosen."""

    #: the rule of an added finding that no rule covers
    OTHER_RULE = "reviewer_finding"

    def __init__(self, case_dir, flags: pd.DataFrame, timeline: pd.DataFrame | None = None, *, author: str = "",
                 as_of=None):
        import ipywidgets as w

        from .rules import RULE_IDS

        self.case_dir = case_dir
        # the day decisions.csv's rows are judged against (`review.decisions.decisions_as_of`, as `review flags`
        # judges them): None, today
        self.as_of = as_of
        self._flags = flags
        self._timeline = timeline  # an added finding records its contact's content too (`record_decision`)
        self.flag = w.Dropdown(options=[("(new finding)", "")] + flag_options(flags, timeline), description="Flag",
                               layout=w.Layout(width="90%"))
        self.decision = w.ToggleButtons(options=["accepted", "rejected", "added"], description="Decision")
        self.rule = w.Dropdown(options=list(RULE_IDS) + [self.OTHER_RULE], value=self.OTHER_RULE, description="Rule")
        if timeline is not None and len(timeline):
            self.event = w.Dropdown(options=[("(choose the contact)", "")] + _event_options(timeline),
                                    description="Contact", layout=w.Layout(width="90%"))
        else:
            self.event = w.Text(description="Event id", placeholder="the contact's event_id")
        self.rationale = w.Textarea(description="Rationale", placeholder="why (required)")
        self.author = w.Text(description="Author", value=author, placeholder="one of the reviewers case.yml names")
        # a flag that already has a decision keeps it unless this is ticked (as `review decide --replace`)
        self.replace = w.Checkbox(description="Replace the flag's decision in force", value=False)
        self.save = w.Button(description="Record decision", button_style="primary")
        self.out = w.Output()
        self.save.on_click(self._save)
        self.decision.observe(self._show_finding_controls, names="value")
        self._show_finding_controls()
        self.widget = w.VBox([self.flag, self.decision, self.rule, self.event, self.rationale, self.author,
                              self.replace, self.save, self.out])

    def _show_finding_controls(self, _change=None) -> None:
        display = "" if self.decision.value == "added" else "none"
        self.rule.layout.display = display
        self.event.layout.display = display

    def problem(self) -> str | None:
        """Why the form's entries cannot be recorded as they stand (None when they can); the rest
        (rationale, author) is checked by `record_decision`."""
        if self.decision.value == "added":
            if self.flag.value:
                return "an added finding is a new flag: choose (new finding), not a flag the rules raised"
            if not str(self.event.value or "").strip():
                return "choose the contact the finding is about"
        elif not self.flag.value:
            return f"choose the flag to mark {self.decision.value}"
        return None

    def _save(self, _button) -> None:
        """Record the form's decision with the checks `review decide` makes (`review.decisions.decide`): the
        author one of case.yml's reviewers (recorded as case.yml spells it), a flag's decision in force kept
        unless "Replace" is ticked, an added finding not added twice."""
        from .decisions import decide
        from .errors import ReviewError

        self.out.clear_output()
        with self.out:
            problem = self.problem()
            if problem:
                print(f"Not recorded: {problem}")
                return
            added = self.decision.value == "added"
            event = str(self.event.value or "").strip() if added else ""
            try:
                checked = decide(
                    self.case_dir,
                    self.flag.value,
                    self.decision.value,
                    self.rationale.value,
                    self.author.value,
                    replace=bool(self.replace.value),
                    analysis=self._analysis(),
                    replace_hint='tick "Replace" to record this one in its place',
                    ask_author="give the author",
                    **({"rule_id": self.rule.value, "trigger_event_id": event, "evidence_event_ids": event}
                       if added else {}),
                )
            except ReviewError as exc:
                print(f"Not recorded: {exc}")
                return
            if checked.unchanged:
                print(f"Unchanged: flag #{checked.number} {checked.flag_id} already has this decision")
            else:
                number = f"#{checked.number} " if checked.number else ""
                print(f"Recorded: {self.decision.value} {number}{checked.flag_id} by {checked.author}")
                self.refresh()

    def refresh(self) -> None:
        """The flags with the decisions decisions.csv holds now (`review.pipeline.decide`: numbered and ordered
        as the report numbers them, a finding just added among them), and the flag list's labels with them,
        the flag chosen kept chosen: after a save the flag just decided shows its decision."""
        from .decisions import ADDED_SOURCE
        from .errors import ReviewError
        from .pipeline import decide
        from .rules import load_rules

        flags = self._flags
        if "source" in flags.columns:  # the reviewers' added findings: appended again from decisions.csv
            flags = flags[(flags["source"].astype("string").fillna("") != ADDED_SOURCE).to_numpy(dtype=bool)]
        try:
            rules = load_rules(self.case_dir)
        except ReviewError:  # (an added finding's severity and category only: the labels do not show them)
            rules = None
        self._flags, _, _ = decide(flags.reset_index(drop=True), self._timeline, self.case_dir, rules, as_of=self.as_of)
        chosen = self.flag.value
        options = [("(new finding)", "")] + flag_options(self._flags, self._timeline)
        self.flag.options = options
        self.flag.value = chosen if chosen in {value for _, value in options} else ""

    def _analysis(self):
        """The case as the checks need it: the form's flags and timeline with the decisions as decisions.csv
        holds them now (a decision recorded since the form was built counts); None without a timeline (the
        case is then read and analysed)."""
        from types import SimpleNamespace

        from .decisions import load_decisions

        if self._timeline is None:
            return None
        decisions, _ = load_decisions(self.case_dir, self._flags, self._timeline, as_of=self.as_of)
        return SimpleNamespace(flags=self._flags, timeline=self._timeline, decisions=decisions)


def _event_options(timeline: pd.DataFrame, width: int = 70) -> list[tuple[str, str]]:
    """(label, event_id) per contact, in timeline order: "seq. date - agency - description", the date as the
    chronology shows it (to the precision the agency gave: "Mar 2023", "Spring 2023")."""
    out = []
    rows = timeline.drop_duplicates("event_id")
    dates = _contact_dates(rows)
    seqs = rows["seq"].tolist() if "seq" in rows else range(1, len(rows) + 1)
    for seq, date, agency, description, event_id in zip(
        seqs, rows["date"], rows["agency"], rows["description"], rows["event_id"]
    ):
        when = dates.get(str(event_id)) or (f"{date:%d/%m/%Y}" if pd.notna(date) else "no date")
        text = "" if pd.isna(description) else " ".join(str(description).split())
        text = text if len(text) <= width else text[: width - 1] + "…"
        out.append((f"{seq}. {when} - {'' if pd.isna(agency) else agency} - {text}", str(event_id)))
    return out
