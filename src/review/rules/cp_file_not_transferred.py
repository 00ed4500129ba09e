"""Rule `cp_file_not_transferred` (s20): a child leaving a school or nursery for another school ("Transferring to
Northfield Academy", "Year 7 transfer") while that setting held concerns about the child, or children's social
care was involved (an s47 enquiry, a strategy discussion, a conference, a child protection plan), and no record of
the child protection file being sent or received within `within_working_days` (a move in a school holiday: within
that many working days of the next term's start, `term_breaks`); and a receiving school's record that the file has
not arrived ("Child protection file not received", "CP file awaited").

Source: Keeping Children Safe in Education 2024, Part two, "Child protection files" / "Information sharing": where
children leave the school or college, the designated safeguarding lead ensures their child protection file is
transferred to the new school or college as soon as possible, within 5 days for an in-year transfer or within the
first 5 days of the start of a new term, ensuring secure transit, with confirmation of receipt, and for schools
separately from the main pupil file; receiving schools ensure key staff are aware (local safeguarding
partnerships' file transfer guidance: the receiving DSL asks for a file that has not arrived). "5 days" is read as
working days (weekends and bank holidays not counted; school closure days are not known). The
Education (Pupil Information) (England) Regulations 2005: the common transfer file (the pupil file) within 15
school days; a pupil file sent is not the child protection file ("Pupil records sent to Hillcrest Academy").

The leaving is a row of a setting (`setting_agency_kinds`) whose description or action mentions one of
`leaving_keywords` (not negated, `leaving_negations`) and none of `no_school_keywords` (a child withdrawn to home
education, or with no forwarding school, has no new school to send a file to: withdrawn_with_concerns expects the
local authority to be told). The file is recorded sent or received by a row of any agency mentioning one of
`file_sent_keywords` (not negated, `file_sent_negations`) from `sent_before_days` before the leaving on; a date
its text gives ("CP file sent 30/04/2021") is the day it was sent. A receiving setting's row mentioning one of
`not_received_keywords` within `pair_days` after a flagged leaving of another setting is that flag's evidence;
otherwise it is a flag of its own (`variant` "not_received").
"""
from __future__ import annotations

import datetime as dt
import re

import numpy as np
import pandas as pd

from ..workdays import add_working_days
from .base import (
    DAY,
    Context,
    _texts,
    action_when,
    concerns_besides,
    counted_concerns,
    deadline_rows,
    first_per_group,
    first_response,
    fmt_date,
    held_escalations,
    joined,
    late_referral,
    late_triggers,
    outcome_text,
    register,
    rows_of,
    text_mentions,
    window_pairs,
)
from .transfer_in_conference_late import same_agency_codes
from .withdrawn_with_concerns import _dates, _pairs, column_tags

#: the timeline columns the rule reads from its rows
_COLUMNS = ["event_id", "case_id", "_case", "_gcode", "_day", "_start", "_end", "_exact", "agency", "_shown"]

#: a date the text gives to the file's sending ("CP file sent 30/04/2021", "safeguarding records transferred on
#: 2.5.21"): a file or records word, then within the clause a sending word and the date
_FILE_DATE = re.compile(
    r"\b(?:file|files|records?)\b[^.;!?\n]{0,40}?\b(?:sent|transferred|forwarded|received|passed on|handed over)"
    r"\s+(?:on\s+)?(?P<date>\d{1,2}[./-]\d{1,2}[./-](?:\d{4}|\d{2}))(?![\d/-]|\.\d)")


def file_sent_day(description, action, day: dt.date, last: dt.date | None) -> dt.date | None:
    """The day a row's description or action dates the file's sending or receipt on ("CP file sent 30/04/2021"
    on the school's record of 15 Mar 2021 is 30 Apr 2021): one whole day from the row's `day` to `last` (the end
    of the review), else None (the row's own day). One text at a time: the rule reads each distinct text once;
    the row-by-row baseline calls it per row."""
    from ..ingest.dates import DateParseError, parse_date

    day, last = (v.date() if isinstance(v, dt.datetime) else v for v in (day, last))
    days = set()
    for text in (description, action):
        if not isinstance(text, str) or not text:
            continue
        for m in _FILE_DATE.finditer(text.lower()):
            try:
                parsed = parse_date(m.group("date"))
            except DateParseError:
                continue
            when = parsed.date.date()
            if parsed.precision == "day" and when >= day and (last is None or when <= last):
                days.add(when)
    return days.pop() if len(days) == 1 else None


def next_term_start(days: pd.Series, breaks) -> pd.Series:
    """Per day, the start of the next term when the day falls in a school holiday (`breaks`: [first day of the
    holiday, first day of the next term] as "MM-DD", a holiday may run over the new year), else NaT."""
    day = pd.to_datetime(days)
    md = (day.dt.month * 100 + day.dt.day).to_numpy()
    year = day.dt.year.to_numpy()
    out = np.full(len(day), np.datetime64("NaT"), dtype="datetime64[ns]")
    for holiday, term in dict(breaks).items():
        h_month, h_day = (int(v) for v in str(holiday).split("-"))
        s_month, s_day = (int(v) for v in str(term).split("-"))
        h, s = h_month * 100 + h_day, s_month * 100 + s_day
        if h <= s:
            inside, start_year = (md >= h) & (md < s), year
        else:  # a holiday over the new year: December's days start next year's term
            inside = (md >= h) | (md < s)
            start_year = np.where(md >= h, year + 1, year)
        todo = inside & np.isnat(out)
        if todo.any():
            out[todo] = pd.to_datetime(pd.DataFrame({"year": start_year[todo], "month": s_month, "day": s_day})
                                       ).to_numpy(dtype="datetime64[ns]")
    return pd.Series(out, index=days.index)


def _sent_days(ctx: Context, mask: np.ndarray) -> np.ndarray:
    """Per timeline row (datetime64[ns], NaT where none): the day the text of a row of `mask` dates the file's
    sending on (`file_sent_day`), each distinct (description, action, day, end of review) read once."""
    tl = ctx.timeline
    out = np.full(len(tl), np.datetime64("NaT"), dtype="datetime64[ns]")
    pos = np.flatnonzero(mask & tl["_exact"].to_numpy(dtype=bool))
    if not len(pos):
        return out
    (d_codes, d_uniques), (a_codes, a_uniques) = _texts(ctx, "description"), _texts(ctx, "action")
    days = tl["_day"].to_numpy(dtype="datetime64[ns]")[pos]
    ends = tl["_review_end"].to_numpy(dtype="datetime64[ns]")[pos]
    keys = pd.MultiIndex.from_arrays([d_codes[pos], a_codes[pos], days, ends])
    inverse, distinct = pd.factorize(keys)
    read = np.full(len(distinct), np.datetime64("NaT"), dtype="datetime64[ns]")
    for i, (d, a, day, end) in enumerate(distinct):
        when = file_sent_day(str(d_uniques[d]) if d >= 0 else "", str(a_uniques[a]) if a >= 0 else "",
                             pd.Timestamp(day).date(), None if pd.isna(end) else pd.Timestamp(end).date())
        if when is not None:
            read[i] = np.datetime64(when, "ns")
    out[pos] = read[inverse]
    return out


@register("cp_file_not_transferred")
def cp_file_not_transferred(ctx: Context, params: dict) -> pd.DataFrame:
    """A child leaving a school that held concerns, no child protection file sent in 5 days (KCSIE 2024)."""
    tl = ctx.timeline
    setting = ctx.kinds(params["setting_agency_kinds"]).to_numpy(dtype=bool)
    exact = tl["_exact"].to_numpy(dtype=bool)
    no_school = text_mentions(ctx, setting, params.get("no_school_keywords") or ()).to_numpy(dtype=bool)
    arriving = text_mentions(ctx, setting, params.get("arrival_keywords") or ()).to_numpy(dtype=bool)
    leaving = text_mentions(ctx, setting & exact & ~no_school & ~arriving, params["leaving_keywords"],
                            params.get("leaving_negations") or ()).to_numpy(dtype=bool)
    not_received = text_mentions(ctx, setting & exact, params["not_received_keywords"]).to_numpy(dtype=bool)
    if not (leaving.any() or not_received.any()):
        return pd.DataFrame()
    sent = text_mentions(ctx, np.ones(len(tl), dtype=bool), params["file_sent_keywords"],
                         params.get("file_sent_negations") or ()).to_numpy(dtype=bool)
    starts = _sent_days(ctx, sent)
    codes = np.asarray(same_agency_codes(ctx), dtype="int64")
    n = int(params["within_working_days"])

    leavers = _leavers(ctx, first_per_group(rows_of(ctx, leaving, _COLUMNS)), codes, params)
    flags = []
    pairs_by = None
    if not leavers.empty:
        t = leavers
        found = first_response(ctx, t, pd.Series(sent), starts=starts)
        t, r, none_text = late_triggers(ctx, t, found, params)
        if not t.empty:
            pairs_by = _received_pairs(ctx, t, not_received, codes, int(params["pair_days"]))
            out = deadline_rows(t, r, "the child protection file transferred to the new school, separately from the "
                                      "pupil file, with confirmation of its receipt")
            term = t["term_start"].notna()
            when = ("within " + str(n) + " working day" + ("s" if n != 1 else "") + " of the start of the next term ("
                    + fmt_date(t["term_start"].fillna(t["_day"])) + "), by " + fmt_date(t["deadline"])).where(
                term, "within " + str(n) + " working day" + ("s" if n != 1 else "") + " of the move (an in-year "
                "transfer), by " + fmt_date(t["deadline"]))
            held = t["held_text"]
            missing = pairs_by.groupby("t_index").agg(
                ids=("e_event_id", "; ".join),
                text=("e_text", "; ".join)).reindex(t.index) if not pairs_by.empty else None
            out["evidence_event_ids"] = (t["event_id"] + "; " + t["evidence"]).str.rstrip("; ")
            received_text = pd.Series("", index=t.index, dtype="string")
            if missing is not None:
                has = missing["ids"].notna()
                out["evidence_event_ids"] = out["evidence_event_ids"].where(
                    ~has, out["evidence_event_ids"] + "; " + missing["ids"].fillna(""))
                received_text = received_text.where(~has, ". " + missing["text"].fillna(""))
            out["explanation"] = (
                t["agency"] + " recorded the child leaving it for another school on " + fmt_date(t["_day"])
                + " while " + held + "; no record of the child's child protection file being sent to the new "
                "school (separately from the pupil file) or received by it is made " + when
                + received_text + outcome_text(r["action_event_id"], r["action_date"], out["delay_days"],
                                               "the file's transfer", action_when(ctx, r["action_pos"], t.index),
                                               none_text)
            )
            out["variant"] = ""
            flags.append(out)

    # a receiving school's record of the file not received, no flagged leaving before it: a flag of its own
    own = not_received.copy()
    if pairs_by is not None and not pairs_by.empty:
        own[pairs_by["e_pos"].to_numpy(dtype="int64")] = False
    if own.any():
        t = first_per_group(rows_of(ctx, own, _COLUMNS))
        t = t.assign(anchor=t["_day"], deadline=t["_day"])
        found = first_response(ctx, t, pd.Series(sent), starts=starts)
        found["timely"] = False  # the record says the file had not come: flagged whatever followed
        r, none_text = late_referral(ctx, t, found, params)
        out = deadline_rows(t, r, "the child protection file received from the previous school (requested by the "
                                  "receiving designated safeguarding lead)")
        out["explanation"] = (
            t["agency"] + " recorded on " + fmt_date(t["_day"]) + " that the child's child protection file from the "
            "previous school or nursery had not been received; the file should arrive within "
            + str(n) + " working day" + ("s" if n != 1 else "") + " of a move, or of the start of a new term"
            + outcome_text(r["action_event_id"], r["action_date"], out["delay_days"], "a record of its receipt",
                           action_when(ctx, r["action_pos"], t.index), none_text)
        )
        out["variant"] = "not_received"
        flags.append(out)
    if not flags:
        return pd.DataFrame()
    return pd.concat(flags)


def _leavers(ctx: Context, triggers: pd.DataFrame, codes: np.ndarray, params: dict) -> pd.DataFrame:
    """The leavings with a child protection file to send: the setting held concerns in the window (at least
    `min_concerns` records of a concern tag other than `ignore_tags`), or social care was involved (an
    escalation of `involvement_escalations` by any agency in the window, or the child on a child protection plan
    at the leaving). Adds anchor, deadline, term_start, held_text and evidence."""
    if triggers.empty:
        return triggers
    tl = ctx.timeline
    n = int(params["within_working_days"])
    t = triggers.assign(_agency=codes[triggers.index.to_numpy(dtype="int64")])
    window = int(params["concern_window_days"])
    t["lo"] = t["_day"] - window * DAY
    t["term_start"] = next_term_start(t["_day"], params.get("term_breaks") or {})
    t["deadline"] = add_working_days(t["term_start"].fillna(t["_day"]), n)
    t["anchor"] = t["_day"] - int(params.get("sent_before_days") or 0) * DAY

    setting = ctx.kinds(params["setting_agency_kinds"]).to_numpy(dtype=bool)
    c_codes, uniques = counted_concerns(ctx)
    ignore = {str(v) for v in params.get("ignore_tags") or ()}
    concerns = _pairs(ctx, t, concerns_besides(ctx, setting, ignore), codes)
    case_codes = tl["_case"].to_numpy().astype("int64")
    involved = _pairs(ctx, t.assign(_agency=t["_case"].astype("int64")),
                      held_escalations(ctx, params.get("involvement_escalations") or ()).to_numpy(dtype=bool), case_codes)
    on_plan = tl["on_cp_plan"].fillna(False).astype(bool).to_numpy()[t.index.to_numpy(dtype="int64")]

    n_concerns = concerns.groupby("t_index")["e__gcode"].nunique().reindex(t.index).fillna(0).astype(int)
    n_involved = involved.groupby("t_index")["e__gcode"].nunique().reindex(t.index).fillna(0).astype(int)
    keep = (n_concerns >= int(params["min_concerns"])).to_numpy() | (n_involved > 0).to_numpy() | on_plan
    t = t[keep]
    if t.empty:
        return t
    concerns = concerns[concerns["t_index"].isin(t.index)]
    involved = involved[involved["t_index"].isin(t.index)]
    tags = column_tags(concerns, c_codes, uniques, ignore).reindex(t.index).fillna("concerns")
    n_concerns, n_involved = n_concerns.reindex(t.index), n_involved.reindex(t.index)
    plural = np.where(n_concerns == 1, "", "s").astype(object)
    held = ("it held concerns: " + tags + " recorded by it in the previous " + str(window) + " days ("
            + n_concerns.astype(str) + " record" + plural + ": " + _dates(concerns).reindex(t.index).fillna("") + ")")
    # one date once ("25 Feb 2020": social care's and the police's strategy discussion of that day)
    inv_dates = _dates(involved.drop_duplicates(["t_index", "e__day"])).reindex(t.index).fillna("")
    inv = ("children's social care was involved (" + inv_dates + ")").where(n_involved > 0, "")
    plan = pd.Series("the child was on a child protection plan", index=t.index).where(
        pd.Series(on_plan[keep], index=t.index), "")
    text = held.where(n_concerns > 0, "")
    for part in (inv, plan):  # "; " between the parts there are
        text = text + pd.Series(np.where((text != "") & (part != ""), "; ", ""), index=t.index) + part
    t["held_text"] = text
    evidence = joined(pd.concat([concerns["e_event_id"], involved["e_event_id"]]),
                      pd.concat([concerns["t_index"], involved["t_index"]]))
    t["evidence"] = evidence.reindex(t.index).fillna("")
    return t


def _received_pairs(ctx: Context, t: pd.DataFrame, not_received: np.ndarray, codes: np.ndarray,
                    pair_days: int) -> pd.DataFrame:
    """(flagged leaving, another setting's record of the file not received within `pair_days` after it): the
    receiving school waiting for the file the leaving school did not send. Columns t_index, e_pos, e_event_id,
    e_text ('Hillcrest Academy recorded on 21 Sep 2020 that the child protection file had not been received')."""
    rows = rows_of(ctx, not_received, ["_case", "_start", "_end", "_exact", "_gcode", "_day", "_shown", "event_id",
                                       "agency"])
    if rows.empty:
        return pd.DataFrame()
    rows = rows.assign(_agency=codes[rows.index.to_numpy(dtype="int64")], pos=rows.index)
    window = t[["_case", "_agency", "_day"]].assign(hi=t["_day"] + pair_days * DAY)
    pairs = window_pairs(ctx, window, rows, "_day", "hi")
    pairs = pairs[pairs["e__agency"].to_numpy() != pairs["_agency"].to_numpy()]
    if pairs.empty:
        return pd.DataFrame()
    pairs = pairs.sort_values(["t_index", "e__day", "e_pos"], kind="mergesort")
    text = (pairs["e_agency"].astype(str) + " recorded on " + fmt_date(pairs["e__day"], pairs["e__shown"]).to_numpy(
        dtype=object) + " that the child protection file had not been received")
    return pd.DataFrame({"t_index": pairs["t_index"].to_numpy(), "e_pos": pairs["e_pos"].to_numpy(dtype="int64"),
                         "e_event_id": pairs["e_event_id"].astype(str).to_numpy(), "e_text": text.to_numpy()})
