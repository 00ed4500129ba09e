"""Response latency: for every concern recorded by any agency (flagged or not), the time to the first
escalation by any agency, against the time expected for that kind of concern (rules.yml settings
`response_latency`).
"""
from __future__ import annotations

import numpy as np
import pandas as pd

from ..schema import RESPONSE_LATENCY_COLUMNS, conform, split_multi
from .base import DAY, first_response, held_escalations, prepare


def response_latency(timeline: pd.DataFrame, flags: pd.DataFrame | None = None, rules: dict | None = None, case=None) -> pd.DataFrame:
    """One row per timeline row that records a concern (RESPONSE_LATENCY_COLUMNS + case_id).

    expected_days: the smallest expected time among the row's concern tags (an injury in a child who is
    not independently mobile: `nonmobile_injury_days`). latency_days: days from the concern to the first
    escalation by any agency on or after its day; NA when there was none, or when either date is only
    known to the month/year. within_expected: NA when a partial date makes it undecidable, or when the
    expected time had not run out at the end of the review. flagged: the row is the trigger or evidence
    of a flag.
    """
    from .settings import load_rules

    rules = rules or load_rules()
    ctx = prepare(timeline, case, rules["settings"])
    settings = rules["settings"]["response_latency"]
    tl = ctx.timeline
    has = (tl["concerns"].fillna("") != "").to_numpy()
    rows = tl.loc[has].copy()
    columns = {**RESPONSE_LATENCY_COLUMNS, "case_id": "string"}
    if rows.empty:
        return conform(pd.DataFrame(columns=list(columns)), columns)

    expected = pd.Series(np.inf, index=rows.index)
    known = pd.Series(False, index=rows.index)
    for tag, days in settings.get("by_tag", {}).items():
        hit = ctx.tags([tag], rows)
        expected = expected.mask(hit, np.minimum(expected, float(days)))
        known |= hit
    expected = expected.mask(~known | np.isinf(expected), float(settings["default_days"]))
    injury_rule = rules["rules"]["nonmobile_injury"]["params"]
    below = rows["_age_days"] < injury_rule["nonmobile_below_age_months"] * 30.4375
    not_mobile = (~rows["_mobile"]).fillna(below).fillna(False).astype(bool)
    nonmobile_injury = ctx.tags(injury_rule["injury_tags"], rows) & not_mobile
    expected = expected.mask(nonmobile_injury, np.minimum(expected, float(settings["nonmobile_injury_days"])))

    probe = rows[["_case"]].copy()
    probe["anchor"] = rows["_start"]
    probe["deadline"] = rows["_end"] + pd.to_timedelta(expected, unit="D")
    # an escalation that did not take place ("ICPC cancelled", its escalation cell filled anyway) is none
    first = first_response(ctx, probe, held_escalations(ctx))
    certain_deadline = rows["_start"] + pd.to_timedelta(expected, unit="D")
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

    flagged_ids: set[str] = set()
    if flags is not None and len(flags):
        flagged_ids.update(flags["trigger_event_id"].astype(str))
        for value in flags["evidence_event_ids"].astype(str):
            flagged_ids.update(split_multi(value))

    escalation_of = tl.set_index("event_id")["escalation"]
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
            "first_escalation": escalation_of.reindex(first["action_event_id"]).fillna("").to_numpy(),
            "latency_days": latency,
            "within_expected": within,
            "flagged": rows["event_id"].isin(flagged_ids),
            "case_id": rows["case_id"],
        }
    )
    out = out.sort_values(["date", "case_id", "event_id"], kind="mergesort").reset_index(drop=True)
    return conform(out, columns)
