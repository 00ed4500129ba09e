"""Rule `assessment_wait`: a requested assessment that took longer than 42 days, or never happened.

Source: Working Together to Safeguard Children 2023, chapter 2 (assessments completed within 45 working
days of the referral); local service standards for waits for specialist assessment. Failing category:
staffing/capacity.

The assessment is a row of a `done_contact_types` contact type or escalation; a row of such a type whose
text says it did not happen ("assessment not started", "assessment postponed": the vocabulary's escalation
negation cues, `base.types_held`) is not the assessment.
"""
from __future__ import annotations

import numpy as np
import pandas as pd

from .base import (
    DAY,
    Context,
    action_when,
    deadline_rows,
    first_per_group,
    first_response,
    fmt_date,
    outcome_text,
    register,
    rows_of,
    text_mentions,
    types_held,
)

#: the timeline columns the rule reads from its rows (selected before the rows are)
_COLUMNS = ["event_id", "case_id", "_case", "_gcode", "_day", "agency", "_review_end"]


@register("assessment_wait")
def assessment_wait(ctx: Context, params: dict) -> pd.DataFrame:
    """Assessment requested, not done within 42 days (WT 2023; local service standards)."""
    tl = ctx.timeline
    candidates = ctx.types(params["request_contact_types"]) & tl["_exact"]
    if params["request_keywords"]:
        # a mention that is negated is no request ("threshold for assessment not met, no assessment
        # required"); the text is searched only on candidate rows: free text is the costly part at scale
        candidates = text_mentions(ctx, candidates, params["request_keywords"], params["request_negations"])
    triggers = rows_of(ctx, candidates, _COLUMNS)
    if triggers.empty:
        return triggers
    triggers["anchor"] = triggers["_day"]
    triggers["deadline"] = triggers["_day"] + params["max_days"] * DAY
    # a request still inside its time when the review period ends is not (yet) a missed point
    triggers = triggers[triggers["deadline"] < triggers["_review_end"]]
    # a row of a done type whose text says it did not happen ("assessment not started", "CP medical
    # declined by mother") is no assessment (`types_held`)
    done = types_held(ctx, params["done_contact_types"]) | ctx.escalations(params["done_contact_types"])
    is_trigger = np.zeros(len(tl), dtype=bool)
    is_trigger[triggers.index.to_numpy()] = True  # the prepared timeline's index is its row positions
    done &= ~is_trigger
    # one flag per requested event: two agencies' records of one request are one event group
    triggers = first_per_group(triggers)
    response = first_response(ctx, triggers, done)
    t = triggers[~response["timely"].to_numpy()]
    r = response[~response["timely"]]

    out = deadline_rows(t, r, "assessment completed")
    out["explanation"] = (
        "An assessment was requested (" + t["agency"] + ", " + fmt_date(t["_day"]) + ") and none is recorded within "
        + str(params["max_days"]) + " days (by " + fmt_date(t["deadline"]) + ")"
        + outcome_text(r["action_event_id"], r["action_date"], out["delay_days"], "the assessment",
                       action_when(ctx, r["action_pos"], t.index))
    )
    return out
