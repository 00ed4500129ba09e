"""Rule `assessment_wait`: a requested assessment not completed within 45 working days (children's social
care), or not done within 42 days (any other, specialist, assessment), or never.

Source: Working Together to Safeguard Children 2023, chapter 2: "the maximum timeframe for the assessment
to conclude ... should be within 45 working days from the point of referral"; local service standards for
waits for specialist assessment (42 calendar days). Failing category: staffing/capacity.

A children's social care request (recorded by social care, `social_care_agency_kinds`, or a referral to
children's social care, `social_care_escalations`) is due `max_working_days` working days after it
(`review.workdays.add_working_days`: weekends and England's bank holidays excluded), and only a record of
the assessment *completed* answers it: a row of a done type, or a request's own text recording it, whose
text records it only started ("Single assessment started", "assessment allocated", "in progress":
`started_words`, with no `completed_words` outside a sentence that only plans the completion, "to be
completed by 5/4") does not; the explanation names the start when one is recorded in time. A row of any
other type whose text records the assessment completed ("Case closure: Single assessment completed.":
`completion_phrases`, whole phrases, not negated, `completion_recorded`) completes it too, late or not. Why: Working
Together's timescale is to completion, and a chronology that records the start only shows that the
assessment began. Any other request keeps the local standard: `max_days` calendar days to the assessment,
started or completed.

A record that adds to an assessment already open ("Added to open single assessment": a mention of the
request keyword in a sentence with `request_existing_words`) is no new request.

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

from ..workdays import add_working_days
from .base import (
    _rows_matching,
    DAY,
    Context,
    action_when,
    censor_at_death,
    column_at,
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
            "_review_end", "agency_kind"]


@register("assessment_wait")
def assessment_wait(ctx: Context, params: dict) -> pd.DataFrame:
    """Assessment requested, not completed within 45 working days (social care: WT 2023) or not done within
    42 days (other assessments: local service standards)."""
    tl = ctx.timeline
    candidates = ctx.types(params["request_contact_types"]) & tl["_day"].notna()  # exact or partial dates
    if params["request_keywords"]:
        # a mention that is negated is no request ("threshold for assessment not met, no assessment
        # required"), nor one adding to an assessment already open ("Added to open single assessment"); the
        # text is searched only on candidate rows: free text is the costly part at scale
        candidates = text_mentions(ctx, candidates, params["request_keywords"], params["request_negations"],
                                   params.get("request_existing_words") or ())
    triggers = rows_of(ctx, candidates, _COLUMNS)
    if triggers.empty:
        return triggers
    # children's social care's assessments: Working Together's 45 working days to completion
    social = (ctx.kinds(params["social_care_agency_kinds"])
              | held_escalations(ctx, params["social_care_escalations"])).to_numpy(dtype=bool)
    triggers["_social"] = social[triggers.index.to_numpy()]  # the prepared timeline's index is its positions
    # a partial-date request ("March 2023") at its most favourable: the time counted from the latest day it
    # could have been (31 March), an assessment from its first possible day on answering it; an exact one:
    # both its day
    triggers["anchor"] = triggers["_start"]
    working = int(params["max_working_days"])
    triggers["deadline"] = (triggers["_end"] + params["max_days"] * DAY).mask(
        triggers["_social"], add_working_days(triggers["_end"], working))
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
    # completed: not a record of the assessment only started ("Single assessment started")
    completed = done & ~started_only(ctx, done, params)
    # a row of any type whose text records the assessment completed ("Case closure: Single assessment
    # completed."), in the cases with a request: the assessment, done and completed
    recorded = completion_recorded(ctx, triggers, params)
    done |= recorded
    completed |= recorded
    # one flag per requested event: two agencies' records of one request are one event group
    triggers = first_per_group(triggers)
    social_t = triggers["_social"].to_numpy(dtype=bool)
    response = first_response(ctx, triggers, done)
    if social_t.any():
        finished = first_response(ctx, triggers[social_t], completed)
        response.loc[finished.index, finished.columns] = finished
    keep = ~response["timely"].to_numpy(dtype=bool)
    t = triggers[keep]
    # an assessment after the child's death is not the one requested: censored at the death (the head already
    # says none came in time: not "none is recorded" twice)
    r, none_text = censor_at_death(ctx, t, response[keep], "; nor is one recorded later.", "nor is one recorded",
                                   "the request")
    social_t = t["_social"].to_numpy(dtype=bool)
    social = pd.Series(social_t, index=t.index)

    expected = pd.Series(f"assessment completed within {working} working days of the referral "
                         "(Working Together 2023)", index=t.index, dtype="string").mask(
        ~social, f"assessment started or completed within {params['max_days']} days of the request")
    out = deadline_rows(t, r, expected)
    partial = ~t["_exact"].astype(bool)
    requested = fmt_date(t["_day"], t["_shown"]).mask(
        partial, fmt_date(t["_day"], t["_shown"]) + ", a partial date: counted from its latest possible day, "
        + fmt_date(t["_end"]))
    latest = pd.Series(np.where(partial, " at the latest", ""), index=t.index)
    limit = pd.Series(np.where(social_t, f" no completed assessment is recorded within {working} working days",
                               f" none is recorded within {params['max_days']} days"), index=t.index)
    # a social care assessment recorded as started in time, not as completed: say so
    started = pd.Series("", index=t.index, dtype="string")
    if social_t.any():
        began = first_response(ctx, t[social_t], done)
        began = began[began["timely"] & (began["action_event_id"] != "")]
        if not began.empty:
            agency = column_at(ctx, "agency", began["action_pos"].to_numpy(), began.index).astype(object).fillna("")
            started[began.index] = ("; it was recorded as started (" + agency.astype(str) + ", "
                                    + action_when(ctx, began["action_pos"], began.index).astype(str)
                                    + ") but not as completed")
    out["explanation"] = (
        "An assessment was requested (" + t["agency"] + ", " + requested + ") and" + limit
        + " (by " + fmt_date(t["deadline"]) + latest + ")" + started
        + outcome_text(r["action_event_id"], r["action_date"], out["delay_days"], "the assessment",
                       action_when(ctx, r["action_pos"], t.index), none_text)
    )
    return out


def completion_recorded(ctx: Context, triggers: pd.DataFrame, params: dict) -> np.ndarray:
    """Rows of the cases of `triggers` whose description or action records an assessment completed, whatever
    the row's contact type: one of `completion_phrases` ("Single assessment completed", "SA completed",
    "Assessment outcome: NFA"), each a whole phrase ("assessment complete" is not "assessment completion"; a
    phrase ending in a colon is a label, only with its colon), not negated ("no assessment completed") and not
    in a sentence with `completion_not_in_sentence_with` ("Assessment outcome: to be confirmed", "once the
    assessment is complete"). A whole-word search over the distinct texts of those cases picks the
    candidates; each distinct text among them is read once (`text_mentions`)."""
    tl = ctx.timeline
    phrases = params.get("completion_phrases") or ()
    if not phrases or triggers.empty:
        return np.zeros(len(tl), dtype=bool)
    in_cases = np.isin(tl["_case"].to_numpy(), np.unique(triggers["_case"].to_numpy()))
    return text_mentions(ctx, in_cases, phrases, (), params.get("completion_not_in_sentence_with") or (),
                         whole_words=True).to_numpy(dtype=bool)


def started_only(ctx: Context, mask, params: dict) -> np.ndarray:
    """Rows of `mask` whose text records the assessment only started: it mentions `started_words` (not
    negated: "not started" is `types_held`'s) and no `completed_words` outside a sentence with
    `completed_not_in_sentence_with` ("Assessment started, to be completed by 5/4": only started;
    "Assessment started 5/3. Completed 20/4.": completed). Each distinct text naming both is read once
    (`text_mentions`)."""
    mask = np.asarray(mask, dtype=bool)
    words = params.get("started_words") or ()
    if not words or not mask.any():
        return np.zeros(len(mask), dtype=bool)
    # a started word anywhere (a whole-word search over the distinct texts, no reading of each: a record that
    # says the assessment did not start is no done row at all, `types_held`, and a completed word decides)
    pos = np.flatnonzero(mask)
    began = np.zeros(len(mask), dtype=bool)
    began[pos[_rows_matching(ctx, pos, words)]] = True
    finished = text_mentions(ctx, began, params.get("completed_words") or (), (),
                             params.get("completed_not_in_sentence_with") or ()).to_numpy(dtype=bool)
    return began & ~finished
