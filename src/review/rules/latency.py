"""Response latency: for every concern recorded by any agency (flagged or not), the time to the next
escalation by any agency, against the time expected for that kind of concern (rules.yml settings
`response_latency`). With `receipts_answer`, social care's record of receiving a referral is the escalation
it records (`base.referral_receipts`), and so is a row answering one of the `response_keywords_of` rules by its
words ("PPN submitted to MASH"), as the rules read them. Nothing links that escalation to the concern (it may be about another injury, or the
review conference that ended a plan); one more than `response_max_days` after the concern is not counted.
"""
from __future__ import annotations

import numpy as np
import pandas as pd

from ..schema import RESPONSE_LATENCY_COLUMNS, conform, split_multi
from .base import (DAY, cap_response, counted_concerns, counted_tag_names, first_response_or, held_escalation_cells, held_escalations,
                   death_records,
                   prepare, referral_receipts, text_mentions)


def response_latency(timeline: pd.DataFrame, flags: pd.DataFrame | None = None, rules: dict | None = None, case=None) -> pd.DataFrame:
    """One row per timeline row that records a concern (RESPONSE_LATENCY_COLUMNS + case_id).

    expected_days: the smallest expected time among the row's concern tags (an injury in a child who is
    not independently mobile: `nonmobile_injury_days`). latency_days: days from the concern to the next
    escalation by any agency on or after its day (none counted more than `response_max_days` after the
    concern's latest possible day); NA when there was none, or when either date is only known to the
    month/year. within_expected: NA when a partial date makes it undecidable (an injury in a
    period the child became mobile in: the expected time of either end, `_mobile_on`), or when the
    expected time had not run out at the end of the review. flagged: the row is the trigger or evidence
    of a flag. died_before_window: no escalation is recorded before the child's date of death, which came
    before the response window (`response_max_days` after the concern's latest possible day; none: any
    death) ended: the concern is censored at the death, not "no escalation within 90 days"; its
    latency_at_least_days is then the lower bound, the days from the concern's latest possible day to the
    death ("at least N days"; NA elsewhere). The escalations: `held_escalations` (not "ICPC cancelled", whatever its escalation cell says;
    not a MARAC referral, about the adult victim: `review.schema.ADULT_ESCALATIONS`);
    first_escalation: the responding row's escalations that took place (`held_escalation_cells`:
    "referral_to_csc" of a "Referred to MASH; strategy discussion cancelled" row of type strategy_discussion
    whose cell says "referral_to_csc; strategy_discussion").
    """
    from .settings import load_rules

    rules = rules or load_rules()
    ctx = prepare(timeline, case, rules["settings"])
    settings = rules["settings"]["response_latency"]
    tl = ctx.timeline
    # a concern by the child's age alone (settings.age_bound_tags: sexual_activity) only at those ages (under 16):
    # a 17-year-old's contraception visit awaits no escalation (`counted_concerns`)
    codes, uniques = counted_concerns(ctx)
    has = np.append(uniques != "", False)[codes]
    rows = tl.loc[has].copy()
    # the rows a tag was left out of (their code is one `counted_concerns` added), shown with the concerns counted
    dropped = np.flatnonzero(has & (codes != ctx._coded("concerns")[0]))
    if len(dropped):
        rows["concerns"] = rows["concerns"].astype("string")
        rows.loc[tl.index[dropped], "concerns"] = uniques[codes[dropped]]
    columns = {**RESPONSE_LATENCY_COLUMNS, "case_id": "string"}
    if rows.empty:
        return conform(pd.DataFrame(columns=list(columns)), columns)

    expected = pd.Series(np.inf, index=rows.index)
    known = pd.Series(False, index=rows.index)
    left_out = counted_tag_names(rules["settings"])
    if len(dropped):  # the concerns counted, split once per distinct value
        row_codes = codes[has]
        parts = {c: frozenset(split_multi(uniques[c])) for c in np.unique(row_codes).tolist()}
    for tag, days in settings.get("by_tag", {}).items():
        hit = ctx.tags([tag], rows)
        if tag in left_out and len(dropped):  # not where the child's age (or a self-harm) left it out
            hit &= np.array([tag in parts[c] for c in row_codes.tolist()], dtype=bool)
        expected = expected.mask(hit, np.minimum(expected, float(days)))
        known |= hit
    expected = expected.mask(~known | np.isinf(expected), float(settings["default_days"]))
    injury_rule = rules["rules"]["nonmobile_injury"]["params"]
    below_days = injury_rule["nonmobile_below_age_months"] * 30.4375
    below = rows["_age_days"] < below_days
    not_mobile = (~rows["_mobile"]).fillna(below).fillna(False).astype(bool)
    injury = ctx.tags(injury_rule["injury_tags"], rows)
    nonmobile_days = float(settings["nonmobile_injury_days"])
    expected_any = expected  # whatever the child's mobility
    expected = expected.mask(injury & not_mobile, np.minimum(expected, nonmobile_days))

    # a partial-date injury ("Jul 2023") whose period the child became mobile in: not mobile on one day of
    # it, mobile on another. Its expected time is the row's day's (expected_days); it is certainly in time
    # only by the shorter one (not mobile on its first day) and certainly late only past the longer one
    # (mobile on its last day), whatever day it fell on (`_mobile_on`)
    shortest, longest = expected.copy(), expected.copy()
    partial = (injury & ~rows["_exact"].astype(bool)).to_numpy(dtype=bool)
    if partial.any():
        part = rows.loc[partial]
        first_day = _mobile_on(ctx, part, "_start", below_days, case)
        last_day = _mobile_on(ctx, part, "_end", below_days, case)
        shortest[partial] = expected_any[partial].mask(~first_day, np.minimum(expected_any[partial], nonmobile_days))
        longest[partial] = expected_any[partial].mask(~last_day, np.minimum(expected_any[partial], nonmobile_days))

    probe = rows[["_case"]].copy()
    probe["anchor"] = rows["_start"]
    probe["deadline"] = rows["_end"] + pd.to_timedelta(longest, unit="D")
    # an escalation that did not take place ("ICPC cancelled", its escalation cell filled anyway) is none
    escalated = held_escalations(ctx)
    worded = np.zeros(len(tl), dtype=bool)
    for rule_id in settings.get("response_keywords_of") or ():
        spec = rules["rules"].get(rule_id) or {}
        params = spec.get("params") or {}
        if not spec.get("enabled", True) or not params.get("response_keywords"):
            continue
        # a row answering that rule by its words alone ("PPN submitted to MASH"): a referral, as the rule reads it
        worded |= text_mentions(ctx, ~escalated.to_numpy(dtype=bool) & ~worded, params["response_keywords"],
                                params.get("response_negations", ()),
                                params.get("response_not_in_sentence_with", ())).to_numpy(dtype=bool)
    escalated = escalated | pd.Series(worded, index=escalated.index)
    receipts = None
    if settings.get("receipts_answer"):
        # social care's record of receiving the referral proves it was made by then: the rules' response reading
        # (`referral_receipts`, their receipts_answer), so the sheet and the flags agree on the day it came; as
        # the rules take it (`first_response_or`), only when it came on a day before any escalation, so that the
        # referring agency's own referral, not its receipt recorded the same day, is the escalation named
        receipts = referral_receipts(ctx) & ~escalated.to_numpy(dtype=bool)
    first = first_response_or(ctx, probe, escalated, receipts)
    # the next escalation by any agency need not be about this concern: one more than response_max_days after
    # the concern (its latest possible day) is not counted as its response (`cap_response`): "never escalated"
    # nor one after the child's death: a response after the child died is none (the concern is then unescalated,
    # censored at the death: within_expected NA unless its deadline had passed while the child was alive)
    first = cap_response(first, rows["_end"], settings.get("response_max_days"), rows["_death"])
    certain_deadline = rows["_start"] + pd.to_timedelta(shortest, unit="D")
    found = first["action_event_id"] != ""
    exact_both = rows["_exact"] & first["action_exact"]
    latency = ((first["action_date"] - rows["_day"]) / DAY).astype("Float64").where(found & exact_both)

    within = pd.Series(pd.NA, index=rows.index, dtype="boolean")
    # certainly in time: the escalation's latest possible day is no later than the earliest deadline
    action_end = pd.Series(pd.NaT, index=rows.index, dtype="datetime64[ns]")
    if found.any():
        ids = tl.set_index("event_id")["_end"]
        action_end[found] = ids.reindex(first.loc[found, "action_event_id"]).to_numpy()
    within = within.mask(found & (action_end <= certain_deadline), True)
    within = within.mask(found & (first["action_date"] > probe["deadline"]), False)
    within = within.mask(~found & (probe["deadline"] < rows["_review_end"]), False)

    # no escalation before the child died, the death before the window ended: censored at the death
    death = rows["_death"].astype("datetime64[ns]")
    window_end = rows["_end"] + pd.Timedelta(days=int(settings["response_max_days"])) \
        if settings.get("response_max_days") is not None else None
    died = ~found & death.notna() & ((death < window_end) if window_end is not None else True)
    died = died.fillna(False).astype(bool)
    # its latency is a lower bound: at least the days from the concern's latest possible day to the death
    at_least = ((death - rows["_end"]) / DAY).astype("Float64").where(died)

    flagged_ids: set[str] = set()
    if flags is not None and len(flags):
        flagged_ids.update(flags["trigger_event_id"].astype(str))
        for value in flags["evidence_event_ids"].astype(str):
            flagged_ids.update(split_multi(value))

    # the responding row's escalations that took place ("referral_to_csc", not the strategy discussion its
    # text says was cancelled: `held_escalation_cells`)
    pos = first["action_pos"].to_numpy(dtype="int64")
    cells = held_escalation_cells(ctx).to_numpy(dtype=object, copy=True)
    # a referral in words, or a receipt: the referral it records
    cells[worded | (receipts if receipts is not None else False)] = "referral_to_csc"
    first_escalation = np.where(pos >= 0, np.append(cells, "")[pos], "")
    out = pd.DataFrame(
        {
            "event_id": rows["event_id"],
            "date": rows["date"],
            "agency": rows["agency"],
            "agency_kind": rows["agency_kind"],
            "concerns": rows["concerns"],
            "expected_days": expected.astype("Float64"),
            "first_escalation_event_id": first["action_event_id"],
            "first_escalation_date": first["action_date"],
            "first_escalation": first_escalation.astype(object),
            "latency_days": latency,
            "within_expected": within,
            "flagged": rows["event_id"].isin(flagged_ids),
            "died_before_window": died,
            "latency_at_least_days": at_least,
            "case_id": rows["case_id"],
        }
    )
    # (s21, QA12 D20) a concern in a record of the child's death or after it (`death_records`) that no escalation
    # answered that day (the death scene: "found unresponsive ... cannabis and cocaine found") awaited no child protection
    # response: left out, not shown as "child died, no escalation before (at least 0 days)". One answered that day
    # (injuries found at the death, a police investigation opened at once) is the response recorded, and kept
    out = out[~(death_records(ctx)[has] & ~found.to_numpy(dtype=bool))]
    out = out.sort_values(["date", "case_id", "event_id"], kind="mergesort").reset_index(drop=True)
    return conform(out, columns)


def _mobile_on(ctx, rows: pd.DataFrame, column: str, below_days: float, case) -> pd.Series:
    """Was the child mobile on the day in `column` ("_start" or "_end") of each of `rows`, partial-date rows
    whose own day's mobility (``_mobile``, the timeline's child_mobile of the row's day: the first day of a
    month or year, the middle of an approximate period) says nothing about that day? By the case's
    mobility threshold (`review.timeline.mobility_threshold`: case.yml mobile_from, else the default age)
    when `case` gives it; else by the timeline: mobile when a row of the case on or before that day records
    the child mobile, not when one on or after it records the child not mobile (mobility only begins);
    else by age, as the rule reads a row whose mobility is unknown (`below_days`)."""
    from ..timeline import mobility_threshold
    from .base import _case_config

    tl = ctx.timeline
    day = rows[column].to_numpy(dtype="datetime64[ns]")
    codes = rows["_case"].to_numpy()
    known = tl["_mobile"].notna().to_numpy() & tl["_day"].notna().to_numpy()
    mobile = tl["_mobile"].fillna(False).to_numpy(dtype=bool) & known
    days = tl["_day"].to_numpy(dtype="datetime64[ns]")
    case_of = tl["_case"].to_numpy()

    def per_case(where, how) -> np.ndarray:  # the earliest / latest day of the rows `where`, per row's case
        found = getattr(pd.Series(days[where]).groupby(case_of[where]), how)().reindex(range(len(ctx.case_ids)))
        return found.to_numpy(dtype="datetime64[ns]")[codes]

    first_mobile, last_still = per_case(mobile, "min"), per_case(known & ~mobile, "max")
    shift = (day - rows["_day"].to_numpy(dtype="datetime64[ns]")) / np.timedelta64(1, "D")
    age = rows["_age_days"].astype("Float64") + pd.Series(shift, index=rows.index)
    out = (age >= below_days).fillna(False).to_numpy(dtype=bool)
    out = np.where(~np.isnat(last_still) & (last_still >= day), False, out)
    out = np.where(~np.isnat(first_mobile) & (first_mobile <= day), True, out)
    if case is not None:
        limits = np.full(len(ctx.case_ids), np.datetime64("NaT", "ns"), dtype="datetime64[ns]")
        for code in np.unique(codes):  # the cases of these rows only
            config = _case_config(case, str(ctx.case_ids[code]))
            try:  # a case without a date of birth or mobile_from has no threshold
                limits[code] = np.datetime64(mobility_threshold(config), "ns") if config is not None else limits[code]
            except (TypeError, ValueError, AttributeError):
                pass
        limit = limits[codes]
        out = np.where(np.isnat(limit), out, day >= limit)
    return pd.Series(out, index=rows.index)
