"""The integrated chronology as a Word document, for reviewers who read and annotate in Word.

`write_chronology_docx` writes landscape A4 with narrow margins: a title and a case summary, the
chronology (one row per event, header row repeated on every page, a Flags column giving the flags each
event triggers or evidences, as the other exports mark them), then the flags table (candidate missed escalation points with their reviewer decision
where one is recorded). The bytes are deterministic: fixed document properties and a zip rewritten
with fixed timestamps and entry order, so `review verify` can compare runs byte for byte. The
anonymised view pseudonymises every text cell with the same `Redactor` the other exports use, and,
as they do, gives every date to the month (the tables are expected to come as `Redactor.table` gives
them: ages in whole months).
"""
from __future__ import annotations

import datetime as dt
import functools
import io
import os
import re
import tempfile
import zipfile
from pathlib import Path

import pandas as pd
from docx import Document
from docx.enum.section import WD_ORIENT
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.opc.constants import RELATIONSHIP_TYPE as RT
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Mm, Pt, RGBColor

from .config import CaseConfig
from .export import period_bound_text, plural
from .ingest.dates import approximate_unit, season_label
from .redact import Redactor
from .schema import split_multi

#: every date the document records about itself; fixed so two builds give the same bytes
FIXED_TIMESTAMP = dt.datetime(2000, 1, 1, 0, 0, 0)
ZIP_TIMESTAMP = (1980, 1, 1, 0, 0, 0)  # the earliest a zip entry can record

PAGE_WIDTH, PAGE_HEIGHT, MARGIN = Mm(297), Mm(210), Mm(12.7)

#: chronology columns: (header, width in mm); the widths fill the 271.6 mm between the margins
CHRONOLOGY_COLUMNS = (
    ("No.", 11),
    ("Date", 25),
    ("Age", 17),
    ("Agency", 32),
    ("Source of information", 38),
    ("Details", 132),
    ("Flags", 16),
)
FLAG_TABLE_COLUMNS = (
    ("No.", 11),
    ("Rule", 34),
    ("Date", 22),
    ("Events", 20),
    ("Agencies", 36),
    ("Delay", 22),
    ("Explanation", 82),
    ("Decision", 44),
)

_XML_ILLEGAL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff\ud800-\udfff]")


def write_chronology_docx(
    timeline: pd.DataFrame,
    flags: pd.DataFrame | None,
    path: str | Path,
    case: CaseConfig,
    names: bool | Redactor = True,
    orphaned: pd.DataFrame | None = None,
) -> Path:
    """Write the integrated chronology and its flags to a Word document at `path`.

    Parameters
    ----------
    timeline
        The integrated chronology (TIMELINE_COLUMNS), in `seq` order or any order (sorted by `seq`).
    flags
        The flags (FLAG_COLUMNS), optionally with the reviewer decision columns from
        `apply_decisions` (`decision`, and `rationale` / `decision_rationale` if present). Flag
        numbers are their 1-based row positions in this table, as given. None or empty: no flags.
    path
        Where to write; the file is replaced atomically.
    case
        The case configuration (id, child, dates for the summary; people for the anonymised view).
    names
        True for the named view, False for the anonymised view (`Redactor.from_case(case)`), or a
        `Redactor` to use as it is.
    orphaned
        The reviewers' decisions (rows of `review.decisions.load_decisions`) on flags the rules no longer
        raise (`review.decisions.orphaned_rows`): listed in full after the flags, as applying to no current
        flag and not in force. None or empty: no such section.

    Returns
    -------
    The path written. The same inputs always give the same bytes.
    """
    path = Path(path)
    data = chronology_docx_bytes(timeline, flags, case, names=names, orphaned=orphaned)
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", dir=path.parent)
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    return path


def chronology_docx_bytes(
    timeline: pd.DataFrame, flags: pd.DataFrame | None, case: CaseConfig, names: bool | Redactor = True,
    orphaned: pd.DataFrame | None = None,
) -> bytes:
    """The bytes of the chronology document (see `write_chronology_docx`)."""
    if isinstance(names, Redactor):
        redactor = names
    else:
        redactor = Redactor.from_case(case, active=not names)
        redactor.learn_schools(timeline, flags if flags is not None else pd.DataFrame())
    flags = flags if flags is not None else pd.DataFrame()
    timeline = timeline.sort_values("seq", kind="stable") if "seq" in timeline.columns else timeline
    timeline = timeline.reset_index(drop=True)
    flags = flags.reset_index(drop=True)

    document = Document()
    _drop_thumbnail(document)
    _set_properties(document, case)
    _set_page(document, f"Case {case.case_id} · {redactor.view} view")
    _set_styles(document)

    _title_and_summary(document, timeline, flags, case, redactor)
    document.add_heading("Integrated chronology", level=2)
    seq_of_event = _seq_of_event(timeline)
    _chronology_table(document, timeline, _flag_numbers_by_event(flags), redactor)
    document.add_heading("Flags: candidate missed escalation points", level=2)
    _flags_intro(document, flags)
    if len(flags):
        _flags_table(document, flags, seq_of_event, redactor, timeline)
    if orphaned is not None and len(orphaned):
        _orphaned_decisions(document, orphaned, redactor)

    buffer = io.BytesIO()
    document.save(buffer)
    return _normalise_zip(buffer.getvalue())


# ---------------------------------------------------------------------------------------------------
# Document set-up
# ---------------------------------------------------------------------------------------------------
def _drop_thumbnail(document) -> None:
    # the template's thumbnail is a picture of python-docx's sample page, not of this document
    package = document.part.package
    for rel_id, rel in list(package.rels.items()):
        if rel.reltype == RT.THUMBNAIL:
            del package.rels[rel_id]


def _set_properties(document, case: CaseConfig) -> None:
    props = document.core_properties
    props.author = "review"
    props.last_modified_by = "review"
    props.title = f"Integrated chronology: case {case.case_id}"
    props.subject = "Integrated multi-agency chronology"
    props.comments = ""
    props.keywords = ""
    props.category = ""
    props.revision = 1
    props.created = FIXED_TIMESTAMP
    props.modified = FIXED_TIMESTAMP
    props.last_printed = FIXED_TIMESTAMP


def _set_page(document, footer_text: str) -> None:
    section = document.sections[0]
    section.orientation = WD_ORIENT.LANDSCAPE
    section.page_width, section.page_height = PAGE_WIDTH, PAGE_HEIGHT
    for side in ("left_margin", "right_margin", "top_margin", "bottom_margin"):
        setattr(section, side, MARGIN)
    section.header_distance = section.footer_distance = Mm(6)
    footer = section.footer.paragraphs[0]
    footer.text = f"{footer_text} · Page "
    _append_field(footer, "PAGE")
    footer.add_run(" of ")
    _append_field(footer, "NUMPAGES")


def _append_field(paragraph, instruction: str) -> None:
    field = OxmlElement("w:fldSimple")
    field.set(qn("w:instr"), instruction)
    run = OxmlElement("w:r")
    text = OxmlElement("w:t")
    text.text = "1"
    run.append(text)
    field.append(run)
    paragraph._p.append(field)


def _set_styles(document) -> None:
    normal = document.styles["Normal"]
    normal.font.name = "Arial"
    normal.font.size = Pt(9)
    normal.paragraph_format.space_after = Pt(2)


def _title_and_summary(document, timeline, flags, case: CaseConfig, redactor: Redactor) -> None:
    document.add_heading(f"Integrated chronology: case {case.case_id}", level=1)
    if redactor.active:
        child = redactor.child_pseudonym
    else:
        child = case.child_name or "(not named in case.yml)"
    day = functools.partial(_fmt_day, months=redactor.months)
    lines = [("Child", child)]
    if not redactor.active:
        lines.append(("Date of birth", _fmt_day(case.date_of_birth)))
        if case.date_of_death:
            lines.append(("Date of death", _fmt_day(case.date_of_death)))
    dates = timeline["date"].dropna() if "date" in timeline.columns else pd.Series(dtype="datetime64[ns]")
    if len(dates):
        last = day(case.review_date) if case.review_date else period_bound_text(timeline, "last", redactor.months)
        lines.append(("Period covered", f"{period_bound_text(timeline, 'first', redactor.months)} to {last}"))
    agencies = timeline["agency"].dropna().astype(str) if "agency" in timeline.columns else pd.Series(dtype=str)
    agencies = sorted({a for a in agencies if a})
    lines.append(("Events", f"{len(timeline)} from {plural(len(agencies), 'agency', 'agencies')} ({', '.join(agencies)})"
                            if agencies else str(len(timeline))))
    lines.append(("Flags", _flag_summary(flags)))
    lines.append(
        ("View", ("anonymised: people's names pseudonymised, dates of birth redacted"
                  + (", dates given to the month and the child's age in whole months" if redactor.months else ""))
         if redactor.active else "named")
    )
    for label, value in lines:
        paragraph = document.add_paragraph()
        paragraph.add_run(f"{label}: ").bold = True
        paragraph.add_run(_clean(redactor.text(value)))


def _flag_summary(flags) -> str:
    """"27 candidates: 2 rejected by the reviewers, 25 not rejected (1 accepted, 24 pending)"."""
    if not len(flags):
        return "0"
    decided = flags["decision"].fillna("").astype(str).replace("", "pending") if "decision" in flags.columns else None
    if decided is None or (decided == "pending").all():
        return f"{len(flags)}, none decided by the reviewers yet"
    counts = decided.value_counts()
    standing = ", ".join(f"{int(counts[d])} {'added by the reviewers' if d == 'added' else d}"
                         for d in ("accepted", "added", "pending") if d in counts)
    rejected = int(counts.get("rejected", 0))
    return (f"{len(flags)} candidates: {rejected} rejected by the reviewers, {len(flags) - rejected} not rejected"
            + (f" ({standing})" if standing else ""))


def _flags_intro(document, flags) -> None:
    if not len(flags):
        document.add_paragraph("No rule proposed a missed escalation point.")
        return
    document.add_paragraph(
        "Each flag is a point a rule proposes for the reviewers to consider; it is not a finding. "
        "The Flags column of the chronology gives the numbers of the flags each event triggers or is "
        "evidence for (the same rows chronology.xlsx, chronology.csv and report.html mark); the Events column "
        "here gives the chronology numbers (No.) of those events and, after \"action:\", the event of the "
        "first action taken, which the Flags column does not mark."
    )


# ---------------------------------------------------------------------------------------------------
# Tables
# ---------------------------------------------------------------------------------------------------
def _new_table(document, columns):
    table = document.add_table(rows=1, cols=len(columns))
    table.style = document.styles["Table Grid"]
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    table.autofit = False  # fixed layout: Word does not re-measure thousands of rows
    widths = [Mm(w) for _, w in columns]
    grid = table._tbl.tblGrid
    for col, width in zip(grid.findall(qn("w:gridCol")), widths):
        col.set(qn("w:w"), str(int(width.twips)))
    header = table.rows[0]
    tr_pr = header._tr.get_or_add_trPr()
    tr_pr.append(OxmlElement("w:tblHeader"))  # repeat on every page
    for cell, (label, _), width in zip(header.cells, columns, widths):
        cell.width = width
        _shade(cell, "D9D9D9")
        run = cell.paragraphs[0].add_run(label)
        run.bold = True
    return table, widths


def _add_row(table, widths, values) -> None:
    row = table.add_row()  # cell widths come from the table grid set in _new_table
    for cell, value in zip(row.cells, values):
        _set_cell_text(cell, value)


def _set_cell_text(cell, value) -> None:
    """Lines of `value` as paragraphs; a (text, "grey") tuple in a list is a smaller grey line."""
    parts = value if isinstance(value, list) else [value]
    paragraph = cell.paragraphs[0]
    first = True
    for part in parts:
        style = None
        if isinstance(part, tuple):
            part, style = part
        if part is None or part == "":
            continue
        if not first:
            paragraph = cell.add_paragraph()
        first = False
        run = paragraph.add_run(_clean(str(part)))
        if style == "grey":
            run.font.size = Pt(7)
            run.font.color.rgb = RGBColor(0x59, 0x59, 0x59)
        elif style == "bold":
            run.bold = True


def _shade(cell, fill: str) -> None:
    shading = OxmlElement("w:shd")
    shading.set(qn("w:val"), "clear")
    shading.set(qn("w:color"), "auto")
    shading.set(qn("w:fill"), fill)
    cell._tc.get_or_add_tcPr().append(shading)


def _chronology_table(document, timeline, flag_numbers: dict[str, list[int]], redactor: Redactor) -> None:
    from .export import other_columns_text

    table, widths = _new_table(document, CHRONOLOGY_COLUMNS)
    t = redactor.text
    for position, row in enumerate(timeline.itertuples(index=False), start=1):
        get = row._asdict().get
        seq = _value(get("seq"))
        number = str(int(seq)) if seq is not None else str(position)
        precision = _text(get("date_precision"))  # a year and a season are coarser than the anonymised month
        date = t(_fmt_event_date(get("date"), "month" if redactor.months and precision not in ("year", "season")
                                 else get("date_precision"), get("time_known"), get("date_text")))
        agency = [t(_text(get("agency"))), (t(_text(get("role"))), "grey")]
        provenance = _provenance(get("source_file"), get("source_sheet"), get("source_row"))
        source = [t(_text(get("source_of_information"))), (t(provenance), "grey")]
        details = [t(_text(get("description")))]
        action = _text(get("action"))
        if action:
            details.append(t(f"Action: {action}"))
        other = other_columns_text(get("extra"))
        if other:  # the agency's columns no field maps: shown, as no rule reads them
            details.append((t(f"Other columns: {other}"), "grey"))
        cited = flag_numbers.get(_text(get("event_id")), [])
        _add_row(
            table,
            widths,
            [number, date, _text(get("age_display")), agency, source, details, ", ".join(map(str, cited))],
        )


def _flags_table(document, flags, seq_of_event: dict[str, int], redactor: Redactor, timeline=None) -> None:
    from .export import _event_date, deadline_precisions, flag_date_precisions, flag_date_texts

    table, widths = _new_table(document, FLAG_TABLE_COLUMNS)
    t = redactor.text
    day = functools.partial(_fmt_day, months=redactor.months)
    # a flag on a contact known only to its month or year shows that month or year, as the chronology does
    trigger_precision = flag_date_precisions(flags, timeline).get("trigger_date", [None] * len(flags))
    trigger_text = flag_date_texts(flags, timeline)
    # a deadline counted from such a trigger shown approximately to its unit ("c. Jul 2007", "c. Spring 2021"), as
    # report.html and the workbook show it, never as a day the trigger does not give
    deadline_shown = deadline_precisions(trigger_precision, trigger_text)
    rationale_column = next((c for c in ("rationale", "decision_rationale") if c in flags.columns), None)
    for number, row in enumerate(flags.itertuples(index=False), start=1):
        get = row._asdict().get
        rule = [_text(get("rule_id")), (_text(get("severity")), "grey")]
        events = [seq_of_event[e] for e in _cited_events(get) if e in seq_of_event]
        action = seq_of_event.get(_text(get("actual_action_event_id")))
        cited = [", ".join(str(s) for s in sorted(set(events)))]
        if action is not None:  # the first action taken: cited here, not marked in the chronology's Flags column
            cited.append((f"action: {action}", "grey"))
        decision = [_text(get("decision")) or "not yet decided"]
        if rationale_column:
            decision.append((t(_text(get(rationale_column))), "grey"))
        decided = ", ".join(p for p in (t(_text(get("decided_by"))), day(get("decided_on"))) if p)
        if decided:
            decision.append((f"({decided})", "grey"))
        explanation = [t(_text(get("explanation")))]
        expected = _text(get("expected_action"))
        if expected:
            expected_by = _value(get("expected_by"))
            shown_by = (_event_date(expected_by, deadline_shown[number - 1], redactor.months)
                        if expected_by is not None and deadline_shown[number - 1] else day(expected_by))
            by = f" by {shown_by}" if expected_by is not None else ""
            explanation.append((t(f"Expected: {expected}{by}"), "grey"))
        _add_row(
            table,
            widths,
            [
                str(number),
                rule,
                _fmt_event_date(get("trigger_date"), "approximate", False, trigger_text[number - 1])
                if trigger_precision[number - 1] == "approximate" and not redactor.months and _value(get("trigger_date"))
                is not None else _fmt_day(_value(get("trigger_date")), redactor.months, trigger_precision[number - 1]),
                cited,
                t(_text(get("agencies"))),
                _fmt_delay(get("delay_days"), get("delay_censored")),
                explanation,
                decision,
            ],
        )


ORPHANED_TABLE_COLUMNS = (
    ("Row", 14),
    ("Flag id", 62),
    ("Decision", 24),
    ("Decided by", 36),
    ("Date", 24),
    ("Rationale", 111.6),
)


def _orphaned_decisions(document, decisions, redactor: Redactor) -> None:
    """The reviewers' decisions on flags the rules no longer raise, in full: they apply to no current flag."""
    document.add_heading("Decisions on flags the rules no longer raise", level=2)
    document.add_paragraph(
        f"{len(decisions)} decision{'' if len(decisions) == 1 else 's'} in decisions.csv "
        f"{'decides' if len(decisions) == 1 else 'decide'} a flag the rules no longer raise (the trigger contact's "
        "text was changed on resubmission, or the rules changed). Each is kept as recorded, applies to no current "
        "flag and is not in force: a flag raised again under a new id is pending until the reviewers decide it."
    )
    table, widths = _new_table(document, ORPHANED_TABLE_COLUMNS)
    t = redactor.text
    for row in decisions.itertuples(index=False):
        get = row._asdict().get
        _add_row(table, widths, [_text(get("row")), _text(get("flag_id")), _text(get("decision")),
                                 t(_text(get("author"))), _fmt_day(get("date"), redactor.months),
                                 t(_text(get("rationale")))])


def _cited_events(get) -> list[str]:
    """The events a flag marks in the chronology: its trigger and its evidence, as
    `review.export.flag_numbers` marks them in the other exports (not the first action taken)."""
    ids = [_text(get("trigger_event_id"))] + split_multi(get("evidence_event_ids"))
    return [i for i in ids if i]


def _flag_numbers_by_event(flags) -> dict[str, list[int]]:
    numbers: dict[str, list[int]] = {}
    for number, row in enumerate(flags.itertuples(index=False), start=1):
        for event_id in dict.fromkeys(_cited_events(row._asdict().get)):
            numbers.setdefault(event_id, []).append(number)
    return numbers


def _seq_of_event(timeline) -> dict[str, int]:
    if "event_id" not in timeline.columns:
        return {}
    seqs = timeline["seq"] if "seq" in timeline.columns else pd.Series(range(1, len(timeline) + 1))
    return {str(e): int(s) for e, s in zip(timeline["event_id"], seqs) if _value(e) is not None and _value(s) is not None}


# ---------------------------------------------------------------------------------------------------
# Formatting
# ---------------------------------------------------------------------------------------------------
def _value(value):
    """None for any missing value (None, NA, NaT, NaN)."""
    if value is None:
        return None
    try:
        if pd.isna(value):
            return None
    except (TypeError, ValueError):
        pass
    return value


def _text(value) -> str:
    value = _value(value)
    return "" if value is None else str(value).strip()


def _clean(text: str) -> str:
    return _XML_ILLEGAL.sub("", text)


def _fmt_day(value, months: bool = False, precision=None) -> str:
    """22/05/2016; May 2016 with `months` (the anonymised view) or a `precision` of "month"; 2016 with a
    `precision` of "year". Months are abbreviated ("Apr 2016"), as report.html and the workbook show them."""
    value = _value(value)
    if value is None:
        return ""
    try:
        if precision == "year":
            return pd.Timestamp(value).strftime("%Y")
        if precision == "season":
            return season_label(value)
        return pd.Timestamp(value).strftime("%b %Y" if months or precision == "month" else "%d/%m/%Y")
    except (TypeError, ValueError):  # a date typed by hand in a decisions file, kept as written
        return str(value)


def _fmt_event_date(date, precision, time_known, text=None) -> str:
    """22/05/2016 (with the time when known); Apr 2016, 2016 and c. 22/05/2016 for partial dates, and
    c. Apr 2016 for an approximate month (its date as written, `text`: "c. April 2016", "early April 2016")."""
    date = _value(date)
    if date is None:
        return ""
    ts = pd.Timestamp(date)
    precision = _text(precision) or "day"
    if precision == "season":
        return season_label(ts)  # "Spring 2021"
    if precision == "month":
        return ts.strftime("%b %Y")  # "Apr 2016", as report.html and the workbook
    if precision == "year":
        return ts.strftime("%Y")
    if precision == "approximate":
        return "c. " + ts.strftime("%b %Y" if approximate_unit(text) == "month" else "%d/%m/%Y")
    text = ts.strftime("%d/%m/%Y")
    if _value(time_known) is not None and bool(time_known):
        text += ts.strftime(" %H:%M")
    return text


def _fmt_delay(delay, censored=None) -> str:
    """'3 calendar days'; 'at least 24 calendar days (no action before the child's death)' for a delay the
    child's death cut short (``delay_censored``: "yes"); 'no action recorded' for none."""
    delay = _value(delay)
    if delay is None:
        return "no action recorded"
    days = int(round(float(delay)))
    text = f"{days} calendar day" if days == 1 else f"{days} calendar days"
    if _value(censored) in (True, "yes"):
        return f"at least {text} (no action before the child's death)"
    return text


def _provenance(file, sheet, row) -> str:
    parts = [p for p in (_text(file), _text(sheet)) if p]
    row = _value(row)
    if row is not None:
        parts.append(f"row {int(row)}")
    return " › ".join(parts)


# ---------------------------------------------------------------------------------------------------
# Deterministic zip
# ---------------------------------------------------------------------------------------------------
def _normalise_zip(data: bytes) -> bytes:
    """Rewrite the package: [Content_Types].xml first, other parts sorted, fixed timestamps and modes."""
    with zipfile.ZipFile(io.BytesIO(data)) as source:
        parts = {info.filename: source.read(info) for info in source.infolist()}
    order = sorted(parts, key=lambda name: (name != "[Content_Types].xml", name))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as target:
        for name in order:
            info = zipfile.ZipInfo(name, date_time=ZIP_TIMESTAMP)
            info.compress_type = zipfile.ZIP_DEFLATED
            info.create_system = 0
            info.external_attr = 0
            target.writestr(info, parts[name], compress_type=zipfile.ZIP_DEFLATED, compresslevel=6)
    return out.getvalue()
