"""Rule `strategy_no_conference`: a strategy discussion not followed by an initial child protection
conference within 15 working days.

Source: Working Together to Safeguard Children 2023, chapter 2: the initial child protection conference
"should take place within 15 working days of the strategy discussion, or the last strategy discussion if
more than one has been held". A recorded closure / no further action by social care before the deadline
ends the requirement (the enquiry concluded that no conference was needed): a row of type case_closure
(not one whose text says the case was not closed: "case not closed", "closure deferred", "NFA not agreed":
`base.types_held`), or a social care row whose text records social care's no further action (not negated:
"NFA not agreed" is not one; not another agency's: "Police: no further action on the criminal
investigation" is not one), or a decision against a section 47 enquiry, whoever its sentence names ("S47 not
agreed by police", "Police did not agree S47": `s47_outcome_keywords`, not negated).

A strategy discussion or a conference is a row of that contact type or escalation; a row of the type whose
text says it did not take place ("Strategy discussion not held", "strategy meeting cancelled", "ICPC
postponed": the vocabulary's escalation negation cues, `base.types_held`) is neither: it does not start
or restart the clock, and does not meet the requirement.

(s20) A strategy discussion tagged one of `allegation_tags` (an allegation against a person who works with
children: "LADO allegation re staff member") starts no clock: the LADO's allegation management meeting is the next
step (Working Together 2023 ch. 2; KCSIE 2024 Part four; rule lado_not_referred), not a conference about the child.
"""
from __future__ import annotations

import numpy as np
import pandas as pd

from .base import (
    Context,
    action_when,
    censor_at_death,
    deadline_rows,
    due_within,
    first_per_group,
    first_response,
    fmt_date,
    held_escalations,
    outcome_text,
    register,
    rows_of,
    text_mentions,
    types_held,
)


#: the timeline columns the rule reads from its rows (selected before the rows are)
_COLUMNS = ["event_id", "case_id", "_case", "_gcode", "_day", "agency"]


@register("strategy_no_conference")
def strategy_no_conference(ctx: Context, params: dict) -> pd.DataFrame:
    """Strategy discussion, no ICPC within 15 working days (Working Together 2023)."""
    tl = ctx.timeline
    # a row typed as the meeting whose text says it was not held ("Strategy discussion not held", "strategy
    # meeting cancelled") is no strategy discussion: it neither starts nor restarts the clock (`types_held`)
    # nor is a row of the type whose escalation cell says it was one (filled by hand, or by a profile):
    # `held_escalations` reads the cell of a row of the escalation's own type with its text
    strategy = held_escalations(ctx, ["strategy_discussion"]) | types_held(ctx, ["strategy_discussion"])
    # (s20, QA9 D4) a strategy discussion of an allegation against a person who works with children expects the
    # LADO's allegation management, not a conference about the child: no trigger (it still restarts the clock)
    about_staff = ctx.tags(params["allegation_tags"]).to_numpy(dtype=bool) if params.get("allegation_tags") \
        else np.zeros(len(tl), dtype=bool)
    # one strategy discussion per day: each attending agency may record the same meeting
    triggers = first_per_group(first_per_group(rows_of(ctx, strategy & tl["_exact"] & ~about_staff, _COLUMNS)),
                               ["_case", "_day"])
    if triggers.empty:
        return triggers
    n = int(params["within_working_days"])
    triggers = due_within(triggers, working_days=n)
    # not "ICPC postponed", whatever its escalation cell says
    conference = held_escalations(ctx, ["cp_conference"]) | types_held(ctx, ["cp_conference"])
    response = first_response(ctx, triggers, conference)
    missed = ~response["timely"]
    # "the last strategy discussion if more than one": a later strategy discussion restarts the clock
    later = first_response(ctx, triggers.assign(anchor=triggers["_day"] + pd.Timedelta(days=1)), strategy & tl["_exact"])
    missed &= ~later["timely"]
    if params["closure_ends_requirement"]:
        # a closure by type, or social care's record that the enquiry ended in no further action (an s47
        # outcome is typed as the enquiry, so its text says it: "concerns not substantiated, NFA")
        social_care = ctx.kinds(["social care"])
        # only the texts of cases with a trigger still missed can end a requirement: at scale the free
        # text is the costly part
        open_case = tl["_case"].isin(triggers.loc[missed.to_numpy(), "_case"].unique())
        readable = social_care & open_case & ~ctx.types(["case_closure"])
        nfa = text_mentions(ctx, readable, params["closure_keywords"],
                            params["closure_negations"], params["closure_other_agency_words"])
        if params.get("s47_outcome_keywords"):
            # a decision against a section 47 enquiry is the strategy discussion's whoever the sentence names
            # ("S47 not agreed by police", "Police did not agree S47"): read without the other agencies' words
            nfa |= text_mentions(ctx, readable & ~nfa, params["s47_outcome_keywords"], params["closure_negations"])
        # a row typed as the closure whose text says the case was not closed ("case not closed", "closure
        # deferred", "NFA not agreed") ends nothing (`types_held`)
        closed = first_response(ctx, triggers, social_care & (types_held(ctx, ["case_closure"]) | nfa))
        missed &= ~closed["timely"]
    t = triggers[missed.to_numpy()]
    # a conference after the child's death is not the one the strategy discussion needed: censored at the death
    r, none_text = censor_at_death(ctx, t, response[missed], "; none is recorded.", "no conference is recorded",
                                   "the strategy discussion")

    out = deadline_rows(t, r, "initial child protection conference")
    out["explanation"] = (
        "A strategy discussion was held on " + fmt_date(t["_day"]) + " (" + t["agency"]
        + ") and no initial child protection conference followed within " + str(n) + " working days (by "
        + fmt_date(t["deadline"]) + ")" + outcome_text(r["action_event_id"], r["action_date"], out["delay_days"], "the conference",
                                                 action_when(ctx, r["action_pos"], t.index), none_text)
    )
    return out
