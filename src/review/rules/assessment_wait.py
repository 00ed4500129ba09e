"""Rule `assessment_wait`: a requested assessment that took longer than 42 days, or never happened.

Source: Working Together to Safeguard Children 2023, chapter 2 (assessments completed within 45 working
days of the referral); local service standards for waits for specialist assessment. Failing category:
staffing/capacity.

The assessment is a row of a `done_contact_types` contact type or escalation; a row of such a type whose
text says it did not happen ("assessment not started", "assessment postponed": the vocabulary's escalation
negation cues, `base.types_held`) is not the assessment. A request is not its own assessment unless its own
text records one under way or done ("Single assessment started", "assessment commenced":
`base.types_recorded` under way, `review.vocab.records_under_way`).

A request recorded only with a partial date ("March 2023": month, year or approximate precision) is a
period, not a day: it is flagged only when even the most favourable reading leaves the wait past the limit —
the limit counted from the latest day the request could have been, any assessment from the first day it
could have been on answering it — and the explanation says the date is partial.
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
    held_escalations,
    outcome_text,
    register,
    rows_of,
    text_mentions,
    types_held,
    types_recorded,
)

#: the timeline columns the rule reads from its rows (selected before the rows are)
_COLUMNS = ["event_id", "case_id", "_case", "_gcode", "_day", "_start", "_end", "_exact", "date_precision", "_shown", "agency",
            "_review_end"]


@register("assessment_wait")
def assessment_wait(ctx: Context, params: dict) -> pd.DataFrame:
    """Assessment requested, not done within 42 days (WT 2023; local service standards)."""
    tl = ctx.timeline
    candidates = ctx.types(params["request_contact_types"]) & tl["_day"].notna()  # exact or partial dates
    if params["request_keywords"]:
        # a mention that is negated is no request ("threshold for assessment not met, no assessment
        # required"); the text is searched only on candidate rows: free text is the costly part at scale
        candidates = text_mentions(ctx, candidates, params["request_keywords"], params["request_negations"])
    triggers = rows_of(ctx, candidates, _COLUMNS)
    if triggers.empty:
        return triggers
    # a partial-date request ("March 2023") at its most favourable: the time counted from the latest day it
    # could have been (31 March), an assessment from its first possible day on answering it; an exact one:
    # both its day
    triggers["anchor"] = triggers["_start"]
    triggers["deadline"] = triggers["_end"] + params["max_days"] * DAY
    # a request still inside its time when the review period ends is not (yet) a missed point
    triggers = triggers[triggers["deadline"] < triggers["_review_end"]]
    # a row of a done type whose text says it did not happen ("assessment not started", "CP medical
    # declined by mother") is no assessment (`types_held`), whatever its escalation cell says (`held_escalations`)
    done = types_held(ctx, params["done_contact_types"]) | held_escalations(ctx, params["done_contact_types"])
    is_trigger = np.zeros(len(tl), dtype=bool)
    is_trigger[triggers.index.to_numpy()] = True  # the prepared timeline's index is its row positions
    done &= ~is_trigger
    # ...but a request whose own text records the assessment under way or done ("Referral from police;
    # Single assessment started") was answered there (`types_recorded` under way: the type's words and its
    # affirmation, not "Referral for assessment"), and so answers an earlier request it follows
    done |= types_recorded(ctx, params["done_contact_types"], is_trigger, under_way=True).to_numpy(dtype=bool)
    # one flag per requested event: two agencies' records of one request are one event group
    triggers = first_per_group(triggers)
    response = first_response(ctx, triggers, done)
    t = triggers[~response["timely"].to_numpy()]
    r = response[~response["timely"]]

    out = deadline_rows(t, r, "assessment started or completed")  # a row recording it under way counts
    partial = ~t["_exact"].astype(bool)
    requested = fmt_date(t["_day"], t["_shown"]).mask(
        partial, fmt_date(t["_day"], t["_shown"]) + ", a partial date: counted from its latest possible day, "
        + fmt_date(t["_end"]))
    latest = pd.Series(np.where(partial, " at the latest", ""), index=t.index)
    out["explanation"] = (
        "An assessment was requested (" + t["agency"] + ", " + requested + ") and none is recorded within "
        + str(params["max_days"]) + " days (by " + fmt_date(t["deadline"]) + latest + ")"
        + outcome_text(r["action_event_id"], r["action_date"], out["delay_days"], "the assessment",
                       action_when(ctx, r["action_pos"], t.index)).mask(
            # the head already says none came in time: not "none is recorded" twice
            (r["action_event_id"].to_numpy(dtype=object, na_value="") == ""), "; nor is one recorded later.")
    )
    return out
