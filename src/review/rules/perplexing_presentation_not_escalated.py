"""Rule `perplexing_presentation_not_escalated` (s21, QA11 D1): a health agency records a perplexing presentation /
possible fabricated or induced illness (FII), or a pattern of the RCPCH's alerting signs, and no response follows
within `within_days` (28).

Source: RCPCH (2021) "Perplexing Presentations (PP) / Fabricated or Induced Illness (FII) in children"; Working
Together to Safeguard Children 2023; NICE CG89 (1.2, FII alerting features). The alerting signs: symptoms a parent
reports that no clinician observes, investigations found normal, presentations to several providers, a parent
seeking invasive procedures (tube feeding, a gastrostomy), the child's own account contradicting the parent's. The
RCPCH expects a responsible paediatrician, a health chronology across providers, discussion with the named or
designated doctor, the concern shared with the GP, and a referral to children's social care where there is likely
or actual significant harm. A trust's named doctor consulted and a plan "to obtain records and write to the GP"
that never happens keeps the concern inside one trust: the failure QA11 found (Kingsmere's concern reached no GP,
no other trust and no social care for 16 months while another trust fitted a gastrostomy).

An alerting sign is an exact-date row of any agency tagged one of `concern_tags` (vocab.yml fabricated_illness:
the concern named, "symptoms reported but not observed", the child saying she is well at school), or one whose
words record a parent's report of a symptom (`reported_words`) and staff observing it absent or the child well
(`not_observed_words`), or an invasive procedure sought or agreed on the parent's account (`invasive_words`). A
trigger is an exact-date row of an agency of `trigger_agency_kinds` (health) whose name has none of
`trigger_not_agency_words` (an ambulance crew's signs count, a paediatrician is not theirs to name), not of a
`trigger_not_contact_types` type (a letter: the concern received), that is tagged one of `concern_tags` (variant ``concern``), or is an alerting sign at which at least
`pattern_min_signs` signs from at least `pattern_min_providers` health agencies lie in the `pattern_window_days` up
to its day (variant ``alerting_signs``).

The response, from the trigger's day on (a partial-date row only when its whole period is): one of
`response_escalations` held by the trigger agency itself, or by another agency's row that carries the trigger
agency's concern (s22, QA11 N2): a meeting of `response_attended_escalations` naming the trigger agency among its
informed agencies (a strategy discussion it attended), or social care's record of a referral received from it
(`review.timeline.receipt_names_sender`); another agency's referral about the child does not carry this agency's
knowledge (RCPCH 2021: each trust holding the concern shares it), and the explanation names the first such one
that fell before the response; a record of the concern by the child's GP that is no escalation (a row tagged
one of `concern_tags` by an agency whose name has one of `gp_words`, for another agency's trigger; a GP's record
of a strategy discussion is read as that discussion) or the trigger agency's record of it naming the GP among its
informed agencies; a health agency's row recording a health
chronology compiled or a professionals' meeting held (`response_words`). One after `response_max_days` is none.
Per case, agency and variant, the first trigger with no response in time is flagged; its later triggers up to its
response (all of them, with none) are its evidence; a later unanswered one after that response is flagged again.
"""
from __future__ import annotations

import numpy as np
import pandas as pd

from .base import (
    DAY,
    Context,
    action_when,
    agencies_named,
    agency_named,
    deadline_rows,
    escalation_names,
    fmt_date,
    held_escalations,
    outcome_text,
    register,
    rows_of,
    text_mentions,
)

#: the timeline columns the rule reads from its rows
_COLUMNS = ["event_id", "case_id", "_case", "_agency", "_day", "agency"]


def alerting_signs(ctx: Context, params: dict) -> tuple[np.ndarray, np.ndarray]:
    """Per timeline row: (is it an alerting sign, is it tagged one of `concern_tags`)? A sign is an exact-date row
    tagged one of them, or whose words record a parent's report (`reported_words`) and, in the same text, the
    symptom not observed or the child well (`not_observed_words`), or an invasive procedure sought or agreed on the
    parent's account (`invasive_words`: "requests tube feeding", "listed for gastrostomy")."""
    tl = ctx.timeline
    exact = tl["_exact"].to_numpy(dtype=bool)
    tags = list(params.get("concern_tags") or ())
    concern = (ctx.tags(tags).to_numpy(dtype=bool) if tags else np.zeros(len(tl), dtype=bool)) & exact
    reported = text_mentions(ctx, exact, params.get("reported_words") or ()).to_numpy(dtype=bool)
    unseen = text_mentions(ctx, reported, params.get("not_observed_words") or ()).to_numpy(dtype=bool)
    invasive = text_mentions(ctx, exact, params.get("invasive_words") or ()).to_numpy(dtype=bool)
    return concern | unseen | invasive, concern


def _informs_gp(ctx: Context, mask: np.ndarray, gp_words) -> np.ndarray:
    """Rows of `mask` whose informed agencies cell names an agency with one of `gp_words` ("Brookfield Surgery")."""
    tl = ctx.timeline
    out = np.zeros(len(tl), dtype=bool)
    pos = np.flatnonzero(mask)
    if not len(pos) or not gp_words:
        return out
    cells = tl["informed_agencies"].to_numpy(dtype=object, na_value="")[pos]
    out[pos] = [any(agency_named(a.strip(), gp_words) for a in str(c).split(";") if a.strip()) for c in cells]
    return out


def _pattern_met(ctx: Context, sign: np.ndarray, provider: np.ndarray, candidates: np.ndarray,
                 params: dict) -> np.ndarray:
    """Per candidate row position: do at least `pattern_min_signs` signs of its case, from at least
    `pattern_min_providers` agencies of the providers' kinds, lie in the `pattern_window_days` up to its day (its
    own day's signs included)? Candidates are few (the signs of health agencies): one look-up each."""
    tl = ctx.timeline
    cases, days, agencies = (tl["_case"].to_numpy(), tl["_day"].to_numpy(dtype="datetime64[ns]"),
                             tl["_agency"].to_numpy())
    window = np.timedelta64(int(params["pattern_window_days"]), "D")
    least, providers = int(params["pattern_min_signs"]), int(params["pattern_min_providers"])
    by_case = _by_case(cases, days, np.flatnonzero(sign))
    out = np.zeros(len(candidates), dtype=bool)
    for k, i in enumerate(candidates):
        near = _between(by_case, cases[i], days[i] - window, days[i])
        out[k] = len(near) >= least and len(set(agencies[near[provider[near]]].tolist())) >= providers
    return out


def _by_case(cases: np.ndarray, days: np.ndarray, pos: np.ndarray) -> dict:
    """{case code: (its rows of `pos` sorted by day, their days)}: each trigger then looks up its own case's rows
    by day (`_between`), not the whole store's."""
    order = pos[np.lexsort((pos, days[pos], cases[pos]))]
    out = {}
    for case in np.unique(cases[order]):
        rows = order[cases[order] == case]
        out[case] = (rows, days[rows])
    return out


def _between(by_case: dict, case, lo, hi) -> np.ndarray:
    """The rows of `case` in `by_case` dated from `lo` to `hi` (inclusive), by day then timeline order."""
    rows, days = by_case.get(case, (np.zeros(0, dtype="int64"), np.zeros(0, dtype="datetime64[ns]")))
    return rows[np.searchsorted(days, lo, side="left"):np.searchsorted(days, hi, side="right")]


def _responses(ctx: Context, params: dict,
               concern: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """(an escalation of `response_escalations` held, by whichever agency; of those, a meeting of
    `response_attended_escalations`; a health agency's health chronology or professionals' meeting, any agency's
    response; a GP's record of the concern; a concern record naming the GP among its informed agencies) per
    timeline row: see the module docstring. Whose escalation answers which trigger is `_carries`'."""
    tl = ctx.timeline
    escalated = held_escalations(ctx, list(params.get("response_escalations") or ())).to_numpy(dtype=bool)
    attended = list(params.get("response_attended_escalations") or ())
    meeting = (held_escalations(ctx, attended).to_numpy(dtype=bool) if attended
               else np.zeros(len(tl), dtype=bool)) & escalated
    health = ctx.kinds(list(params.get("trigger_agency_kinds") or ())).to_numpy(dtype=bool)
    words = text_mentions(ctx, health, params.get("response_words") or ()).to_numpy(dtype=bool)
    gp_words = list(params.get("gp_words") or ())
    # (s22) a GP's row of an escalation (its record of a strategy discussion) is read as that escalation
    # (`_carries`), not as the concern reaching the GP: the GP's record of the 18 Apr 2023 strategy discussion on
    # Ashworth's referral did not carry the concern of Westvale Community Paediatrics, which was not there
    gp = (agencies_named(ctx, gp_words) if gp_words else np.zeros(len(tl), dtype=bool)) & concern & ~escalated
    return escalated, meeting, words, gp, _informs_gp(ctx, concern, gp_words)


def _carries(ctx: Context, rows: np.ndarray, trigger: int, meeting: np.ndarray, seen: dict) -> np.ndarray:
    """(s22, QA11 N2) Of the escalation rows `rows` (timeline positions, from the trigger's day on), those that
    carry the trigger agency's concern: its own rows; another agency's meeting (`meeting`: a strategy discussion,
    a conference) naming it among its informed agencies, the meeting it attended; another agency's (social care's)
    record of a referral received from it ("Referral from Ashworth General Hospital: suspected FII",
    `review.timeline.receipt_names_sender`, the agency named, not its kind). Not another agency's referral about
    the child: the school's referral of 8 Mar 2022 carried the school's concern, not Kingsmere's of 25 Nov 2021.
    `seen`: each (row, agency) read once per rule run."""
    from ..timeline import receipt_names_sender

    tl = ctx.timeline
    agency = tl["agency"].iat[trigger]
    own = tl["_agency"].to_numpy()[rows] == tl["_agency"].iat[trigger]
    out = own.copy()
    if out.all():
        return out
    name = str(agency).strip().casefold()
    kind = _cell(tl["agency_kind"].iat[trigger])
    for k in np.flatnonzero(~own):
        j = int(rows[k])
        key = (j, name)
        if key not in seen:
            informed = {a.strip().casefold() for a in _cell(tl["informed_agencies"].iat[j]).split(";")}
            text = _cell(tl["description"].iat[j]) + " . " + _cell(tl["action"].iat[j])
            seen[key] = bool((meeting[j] and name in informed)
                             or receipt_names_sender(text, str(agency), kind, kind_alone=False))
        out[k] = seen[key]
    return out


@register("perplexing_presentation_not_escalated")
def perplexing_presentation_not_escalated(ctx: Context, params: dict) -> pd.DataFrame:
    """A perplexing presentation / FII concern, or a pattern of alerting signs, recorded by a health agency and no
    response within 28 days (RCPCH 2021)."""
    tl = ctx.timeline
    sign, concern = alerting_signs(ctx, params)
    health = ctx.kinds(list(params.get("trigger_agency_kinds") or ())).to_numpy(dtype=bool)
    not_words = list(params.get("trigger_not_agency_words") or ())
    eligible = health & ~(agencies_named(ctx, not_words) if not_words else np.zeros(len(tl), dtype=bool))
    if params.get("trigger_not_contact_types"):
        eligible &= ~ctx.types(list(params["trigger_not_contact_types"])).to_numpy(dtype=bool)
    candidates = np.flatnonzero(eligible & sign)
    if not len(candidates):
        return pd.DataFrame()
    met = _pattern_met(ctx, sign, health, candidates, params)
    is_concern = concern[candidates]
    keep = is_concern | met
    pos, variant = candidates[keep], np.where(is_concern[keep], "concern", "alerting_signs")
    if not len(pos):
        return pd.DataFrame()
    t = rows_of(ctx, np.isin(np.arange(len(tl)), pos), _COLUMNS).assign(variant=variant)
    escalated, meeting, words, gp_record, told_gp = _responses(ctx, params, concern)
    cases, days, agencies = (tl["_case"].to_numpy(), tl["_day"].to_numpy(dtype="datetime64[ns]"),
                             tl["_agency"].to_numpy())
    within = np.timedelta64(int(params["within_days"]), "D")
    most = params.get("response_max_days")
    most = None if most is None else np.timedelta64(int(most), "D")
    found_pos = np.full(len(t), -1, dtype="int64")
    # (s22, QA11 N2) the first escalation of another agency's that did not carry the trigger agency's concern, when
    # it came before the response (or there is none): the explanation names it
    other_pos = np.full(len(t), -1, dtype="int64")
    dated = ~np.isnat(days)
    by_case = _by_case(cases, days, np.flatnonzero((escalated | words | gp_record | told_gp) & dated))
    last = np.datetime64("2262-04-11")
    seen: dict = {}
    for k, i in enumerate(t.index.to_numpy()):
        # the first response of its case from the trigger's day (by day, then timeline order): an escalation
        # carrying the trigger agency's concern (`_carries`), a health chronology or professionals' meeting, a GP's
        # record of another agency's concern, the trigger agency's own record naming the GP
        rows = _between(by_case, cases[i], days[i], days[i] + most if most is not None else last)
        carried = np.zeros(len(rows), dtype=bool)
        on = escalated[rows]
        if on.any():
            carried[on] = _carries(ctx, rows[on], int(i), meeting, seen)
        answer = carried | words[rows] | (gp_record[rows] & (agencies[rows] != agencies[i])) \
            | (told_gp[rows] & (agencies[rows] == agencies[i]))
        if answer.any():
            found_pos[k] = rows[np.argmax(answer)]
        uncarried = on & ~carried
        if uncarried.any() and (not answer.any() or np.argmax(uncarried) < np.argmax(answer)):
            other_pos[k] = rows[np.argmax(uncarried)]
    t["deadline"] = t["_day"] + int(params["within_days"]) * DAY
    answered = np.where(found_pos >= 0, days[np.maximum(found_pos, 0)], np.datetime64("NaT"))
    timely = (found_pos >= 0) & (answered <= t["_day"].to_numpy(dtype="datetime64[ns]") + within)
    # per case, agency and variant: the first unanswered trigger; its later triggers up to its response its evidence
    flagged = np.zeros(len(t), dtype=bool)
    evidence = [[e] for e in t["event_id"].tolist()]
    open_until: dict = {}
    keys = list(zip(t["_case"].tolist(), t["_agency"].tolist(), t["variant"].tolist()))
    tday = t["_day"].to_numpy(dtype="datetime64[ns]")
    for k in range(len(t)):
        if timely[k]:
            continue
        held = open_until.get(keys[k])
        if held is not None and (np.isnat(held[1]) or tday[k] <= held[1]):
            evidence[held[0]].append(t["event_id"].iat[k])
            continue
        flagged[k] = True
        open_until[keys[k]] = (k, answered[k])
    if not flagged.any():
        return pd.DataFrame()
    # the alerting signs of the pattern window (variant alerting_signs) are evidence too
    ids = tl["event_id"].to_numpy(dtype=object)
    pattern = np.timedelta64(int(params["pattern_window_days"]), "D")
    signs = _by_case(cases, days, np.flatnonzero(sign))
    extra = {}
    for k in np.flatnonzero(flagged):
        i = t.index[k]
        near = _between(signs, cases[i], days[i] - pattern, days[i])
        extra[k] = near
        if t["variant"].iat[k] == "alerting_signs":
            evidence[k] = [ids[j] for j in near] + evidence[k]
    found = pd.DataFrame({
        "action_pos": found_pos,
        "action_event_id": pd.array([ids[p] if p >= 0 else None for p in found_pos], dtype="string"),
        "action_date": pd.to_datetime(answered),
        "action_exact": [bool(tl["_exact"].iat[p]) if p >= 0 else False for p in found_pos],
    }, index=t.index)
    rows, r = t[flagged], found[flagged]
    n = int(params["within_days"])
    out = deadline_rows(rows, r, "a response to the perplexing presentation within " + str(n) + " days: a "
                        "responsible paediatrician, a health chronology across providers, discussion with the named "
                        "or designated doctor and the concern shared with the GP (a referral to children's social "
                        "care where there is likely or actual significant harm)")
    out["variant"] = rows["variant"].to_numpy()
    out["evidence_event_ids"] = pd.Series(["; ".join(dict.fromkeys(evidence[k])) for k in np.flatnonzero(flagged)],
                                          index=out.index, dtype="string")
    what = pd.Series(np.where(
        rows["variant"].to_numpy() == "concern",
        " recorded a perplexing presentation / possible fabricated or induced illness (the concern named, symptoms"
        " reported but not observed, or the child's own account contradicting the parent's)",
        " recorded symptoms a parent reported that staff did not observe, completing a pattern of RCPCH alerting"
        " signs"), index=rows.index, dtype="string")
    pattern_text = pd.Series([_pattern_text(ctx, extra[k], params) for k in np.flatnonzero(flagged)],
                             index=rows.index, dtype="string")
    none_text = ("; none is recorded within " + str(int(params["response_max_days"])) + " days of "
                 + fmt_date(rows["_day"]) + ".") if most is not None else "; none is recorded."
    out["explanation"] = (
        rows["agency"] + what + " on " + fmt_date(rows["_day"]) + pattern_text
        + ", and no response is recorded within " + str(n) + " days (by " + fmt_date(rows["deadline"]) + "): no"
          " referral to children's social care or strategy discussion, no record of the concern reaching the GP, no"
          " health chronology or professionals' meeting"
        + outcome_text(r["action_event_id"], r["action_date"], out["delay_days"], "the first such response",
                       action_when(ctx, r["action_pos"], rows.index), none_text)
        + _uncarried_text(ctx, other_pos[flagged], rows, params)
    )
    return out


def _cell(value) -> str:
    """A timeline cell as text ('' for a missing one)."""
    return "" if value is None or (not isinstance(value, str) and pd.isna(value)) else str(value)


def _uncarried_text(ctx: Context, pos: np.ndarray, rows: pd.DataFrame, params: dict) -> pd.Series:
    """(s22, QA11 N2) ' Another agency's referral to children's social care on 8 Mar 2022 (Hazelmere Primary
    School's) did not carry Kingsmere Royal Infirmary's concern.' per flagged trigger whose search met another
    agency's escalation before its response (`pos`: its timeline position, -1: none); '' for the others."""
    tl = ctx.timeline
    names = escalation_names(ctx, pos, list(params.get("response_escalations") or ()), rows.index)
    at = np.maximum(pos, 0)
    by = tl["agency"].to_numpy(dtype=object)[at]
    when = fmt_date(tl["_day"].iloc[at]).to_numpy(dtype=object)
    text = [" Another agency's " + n + " on " + w + " (" + _of(b) + ") did not carry " + _of(a) + " concern."
            if p >= 0 else "" for p, n, w, b, a in zip(pos, names.to_numpy(dtype=object), when, by,
                                                       rows["agency"].to_numpy(dtype=object))]
    return pd.Series(text, index=rows.index, dtype="string")


def _of(name) -> str:
    """'Hazelmere Primary School's', 'Westvale Community Paediatrics''."""
    name = str(name).rstrip()
    return name + ("'" if name.endswith("s") else "'s")


def _pattern_text(ctx: Context, near: np.ndarray, params: dict) -> str:
    """' (4 alerting signs in the 365 days to then, from Ashworth General Hospital and Kingsmere Royal Infirmary;
    investigations normal on 11 Jan 2021; an invasive procedure sought on 10 Jan 2022)': the pattern's signs
    and, beside them, the normal investigations and invasive procedures its window records."""
    tl = ctx.timeline
    if not len(near):
        return ""
    agencies = list(dict.fromkeys(tl["agency"].to_numpy(dtype=object)[near].tolist()))
    text = (f" ({len(near)} alerting sign" + ("s" if len(near) != 1 else "") + " in the "
            + str(int(params["pattern_window_days"])) + " days to then, from " + _and(agencies))
    day, first = tl["_day"].iat[int(near[-1])], tl["_day"].iat[int(near[0])]
    window = (tl["_case"].to_numpy() == tl["_case"].iat[int(near[-1])]) \
        & (tl["_day"] >= first).to_numpy(dtype=bool) & (tl["_day"] <= day).to_numpy(dtype=bool)
    for key, label in (("normal_words", "investigations normal on "), ("invasive_words", "an invasive procedure sought on ")):
        words = params.get(key) or ()
        if not words:
            continue
        hit = np.flatnonzero(text_mentions(ctx, window, words).to_numpy(dtype=bool))
        if len(hit):
            text += "; " + label + _and(list(dict.fromkeys(fmt_date(tl["_day"].iloc[hit]).tolist())))
    return text + ")"


def _and(items: list) -> str:
    """'a', 'a and b', 'a, b and c'."""
    items = [str(i) for i in items]
    return items[0] if len(items) == 1 else ", ".join(items[:-1]) + " and " + items[-1]
