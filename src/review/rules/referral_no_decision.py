"""Rule `referral_no_decision`: a referral to children's social care with no recorded decision by
children's social care (referral decision, assessment, strategy discussion, s47, closure) within one
working day.

Source: Working Together to Safeguard Children 2023, chapter 2: "Within one working day of a referral
being received, a local authority social worker should acknowledge receipt to the referrer and make a
decision about next steps and the type of response required."

The decision is a social care row of a `decision_contact_types` contact type; a row of such a type whose
text says it did not take place ("strategy meeting cancelled", "assessment not started", "ICPC postponed":
the vocabulary's escalation negation cues, `base.types_held`) is no decision. With `decision_in_text` (the
default), so is a social care row of another type whose text records one of those types taking place (its
keywords, not denied: `base.types_recorded`), and a social care row whose action records the case closed
(`base.closures_in_action`: "Case closed - NFA." of a home visit, whatever `decision_in_text` says): "Initial assessment started following GP referral" (typed
referral, the first contact type in order), "Initial assessment" of a phone call. Starting an assessment is
a decision on the type of response the referral needs (Working Together 2023, chapter 2). A row whose text says the
referral was not made ("Referral to MASH not made", "referral not sent" of type referral) is no referral,
whatever its escalation cell says (`base.held_escalations`), nor one whose text says it was withdrawn after it
was sent ("Referral to MASH sent 14/3, withdrawn 15/3"). A social care row that arranges one of
`decision_planned_types` with one of `decision_plan_cues` ("Strategy discussion to be arranged", "Section 47
enquiry to be held") records the decision on next steps too, with `decision_in_text` (`base.types_recorded` with
`planned`); one that only awaits it ("Awaiting strategy discussion") or cancels it does not. A row whose text
says children's social care declined
the referral ("Referral declined by CSC", "CSC declined the referral", `base.referrals_declined`) records a
referral made and, whoever wrote it, social care's decision on it (no further action), with `decision_in_text`.
A referral its record's text dates explicitly on a later day than the record ("Referral to MASH sent
22.02.21" on the police's record of 19 Feb 2021; "referred to children's social care on 24/02/2021": one day
only, from the record's day to the end of the review, `base.referral_text_days`) is counted from that day,
and the explanation says so ("referral dated 22 Feb 2021 in the record's text of 19 Feb 2021"); a day and
month with no year is the first such day from the record's ("Referral to children's social care by phone 22/09"
of 21 Sep 2022: 22 Sep 2022). With `one_referral_per_agency_day` (the default), an agency's rows counted from
the same day are one referral, one flag (the assessment that says the referral goes by phone tomorrow and the
phone referral's own record).

A social care row whose text records the referral accepted or the response planned (`decision_keywords`, not
negated: "Contact accepted as a referral. Announced home visit to be arranged", "Referral - announced home visit
arranged") is a decision too (s19), whatever `decision_in_text` says: often the receipt's own outcome, the same day.
"""
from __future__ import annotations

import numpy as np
import pandas as pd

from ..workdays import add_working_days
from .lac_visits_overdue import looked_after_rows
from .neglect_not_escalated import _assessment_open
from .base import (
    Context,
    action_when,
    censor_at_death,
    closures_in_action,
    day_numbers,
    deadline_rows,
    due_within,
    first_per_group,
    first_response,
    fmt_date,
    held_escalations,
    outcome_text,
    all_referral_receipts,
    referral_text_days,
    referrals_declined,
    register,
    rows_of,
    text_mentions,
    types_held,
    types_recorded,
)


#: the timeline columns the rule reads from its rows (selected before the rows are)
_COLUMNS = ["event_id", "case_id", "_case", "_gcode", "_day", "agency"]


@register("referral_no_decision")
def referral_no_decision(ctx: Context, params: dict) -> pd.DataFrame:
    """Referral to CSC, no CSC decision within 1 working day (Working Together 2023)."""
    tl = ctx.timeline
    # not a referral the row's text says was not made ("Referral to MASH not made", "referral not sent" of a
    # referral row), whatever its escalation cell says (`held_escalations`)
    mask = held_escalations(ctx, ["referral_to_csc"]) & tl["_exact"]
    triggers = first_per_group(rows_of(ctx, mask, _COLUMNS))
    if triggers.empty and not (params.get("receipts_trigger") and all_referral_receipts(ctx).any()):
        return triggers
    n = int(params["within_working_days"])
    # a referral its record's text dates on a later day ("Referral to MASH sent 22.02.21" on the police's
    # record of 19 Feb) is counted from that day (`referral_text_days`)
    text_day = pd.Series(referral_text_days(ctx, mask)[triggers.index.to_numpy()], index=triggers.index)
    triggers["_referred"] = text_day.fillna(triggers["_day"])
    if params.get("one_referral_per_agency_day", True):
        # (s19) an agency's records of one referral are one referral: rows of the same agency counted from the same
        # day ("Referral to children's social care by phone 22/09" of 21 Sep, and the phone referral of 22 Sep)
        # raise one flag, the first's
        triggers = triggers[~triggers.duplicated(["_case", "agency", "_referred"], keep="first")]
    triggers = due_within(triggers, working_days=n, start="_referred")
    # a row typed as the meeting / assessment whose text says it did not take place ("strategy meeting
    # cancelled", "assessment not started") is no decision (`types_held`)
    social_care = ctx.kinds(params["decision_agency_kinds"])
    decisions = social_care & types_held(ctx, params["decision_contact_types"])
    # a social care row whose action or outcome records the case closed ("Case closed - NFA." of a home visit):
    # a decision (no further action), whatever its own type (`closures_in_action`)
    decisions |= social_care & closures_in_action(ctx)
    if params.get("decision_in_text", True):
        # a row of another type whose text records one ("Initial assessment started following GP referral",
        # typed referral; "Initial assessment" of a phone call): `types_recorded`
        decisions |= types_recorded(ctx, params["decision_contact_types"], (social_care & ~decisions).to_numpy())
        # a row whose text says social care declined the referral ("Referral declined by CSC", "CSC declined
        # the referral"), whoever wrote it: a decision (no further action) on a referral made
        decisions |= referrals_declined(ctx, (~decisions).to_numpy())
        if params.get("decision_plan_cues") and params.get("decision_planned_types"):
            # (s19) a social care row that arranges the response ("Strategy discussion to be arranged", "s47 to be
            # convened", "Single assessment to be completed"): the decision on next steps, whatever its own type
            decisions |= types_recorded(ctx, params["decision_planned_types"], (social_care & ~decisions).to_numpy(),
                                        planned=params["decision_plan_cues"])
    if params.get("decision_keywords"):
        # a social care row whose text records the referral accepted or the response planned ("Contact accepted as
        # a referral. Announced home visit to be arranged", "Referral - announced home visit arranged"): the
        # decision on next steps, often the receipt's own outcome
        decisions |= text_mentions(ctx, (social_care & ~decisions).to_numpy(), params["decision_keywords"])
    response = first_response(ctx, triggers, decisions)
    if params.get("receipts_trigger"):
        # social care's record of receiving a referral or notification ("Police notification of DA incident",
        # "Referral from Hillcrest Academy re CSE"): the referral received, counted from its day
        triggers, response = _with_receipts(ctx, params, mask.to_numpy(dtype=bool), triggers, response, decisions)
        if triggers.empty:
            return triggers
    else:
        triggers["_receipt"] = False
    open_case = np.zeros(len(triggers), dtype=bool)
    if params.get("open_case_response") and params.get("open_case_within_working_days") is not None and len(triggers):
        # (s20, openref) social care already holding the case (a child protection plan, a looked-after period, a
        # child in need plan or open assessment: `open_case_rows`): the referral or notification goes to the
        # allocated team, whose next record about it (any social care row: a visit, "RHI to be offered",
        # "discussed with key worker") within open_case_within_working_days answers it
        open_case = open_case_rows(ctx, triggers, params)
        if open_case.any():
            at = triggers.index[open_case]
            sub = triggers.loc[at].assign(
                deadline=add_working_days(triggers.loc[at, "_referred"], int(params["open_case_within_working_days"])))
            triggers.loc[at, "deadline"] = sub["deadline"]
            found = first_response(ctx, sub, decisions | social_care)
            response = response.copy()
            rows = np.flatnonzero(open_case)
            for column in response.columns:
                values = response[column].to_numpy().copy()
                values[rows] = found[column].to_numpy()
                response[column] = values
    late_mask = ~response["timely"].to_numpy(dtype=bool)
    open_case = open_case[late_mask]
    t = triggers[late_mask]
    # a decision after the child's death is not the decision on the referral: censored at the death
    r, none_text = censor_at_death(ctx, t, response[~response["timely"]], "; none is recorded.",
                                   "no decision is recorded", "the referral")

    out = deadline_rows(t, r, "decision on the referral by children's social care")
    received = t["_receipt"].to_numpy(dtype=bool)
    out["variant"] = np.where(received, "receipt", "")
    dated = (t["_referred"] != t["_day"]).to_numpy(dtype=bool)
    in_text = pd.Series(np.where(dated, " (referral dated " + fmt_date(t["_referred"]).astype(str)
                                 + " in the record's text of " + fmt_date(t["_day"]).astype(str) + ")", ""),
                        index=t.index)
    referred = pd.Series(np.where(received, " recorded receiving a referral or notification about the child on ",
                                  " referred the child to children's social care on "), index=t.index)
    m = params.get("open_case_within_working_days")
    closed_text = (" and no decision by children's social care is recorded within " + str(n) + " working day"
                   + ("s" if n != 1 else ""))
    open_text = "" if m is None else (
        "; the case was open to children's social care (a plan, a looked-after period or an open assessment) and no"
        " record of the allocated team acting on it is recorded within " + str(int(m)) + " working day"
        + ("s" if int(m) != 1 else ""))
    if open_case.any():
        out["expected_action"] = out["expected_action"].where(
            ~open_case, "response by children's social care's allocated team (the case was open)")
    out["explanation"] = (
        t["agency"] + referred + fmt_date(t["_referred"]) + in_text
        + pd.Series(np.where(open_case, open_text, closed_text), index=t.index)
        + " (by " + fmt_date(t["deadline"]) + ")"
        + outcome_text(r["action_event_id"], r["action_date"], out["delay_days"], "a decision",
                       action_when(ctx, r["action_pos"], t.index), none_text)
    )
    return out


def open_case_rows(ctx: Context, t: pd.DataFrame, params: dict) -> np.ndarray:
    """(s20, openref) Per trigger (labels: timeline positions), whether children's social care held the case open
    on its day: the child on a child protection plan (timeline ``on_cp_plan``), looked after (case.yml
    `looked_after`, `looked_after_rows`), or a plan or assessment open as neglect_not_escalated reads an open
    assessment (`_assessment_open`), with this rule's `open_case_agency_kinds`, `open_case_contact_types`,
    `open_case_keywords` and `open_case_days`."""
    pos = t.index.to_numpy()
    tl = ctx.timeline
    out = tl["on_cp_plan"].astype("boolean").fillna(False).to_numpy(dtype=bool)[pos]
    out |= looked_after_rows(ctx)[pos]
    mapped = {"open_assessment_agency_kinds": params.get("open_case_agency_kinds"),
              "open_assessment_contact_types": params.get("open_case_contact_types"),
              "open_assessment_keywords": params.get("open_case_keywords"),
              "open_assessment_days": params.get("open_case_days")}
    out |= ~np.isnat(_assessment_open(ctx, t, mapped))
    return out


def _with_receipts(ctx: Context, params: dict, referrals: np.ndarray, triggers: pd.DataFrame, response: pd.DataFrame,
                   decisions: pd.Series) -> tuple[pd.DataFrame, pd.DataFrame]:
    """(`triggers`, `response`) with social care's exact-dated records of receiving a referral or notification
    (`base.all_referral_receipts`, one per event group, whoever made the referral) added, in timeline order, each flagged ``_receipt`` and
    counted from its own day (Working Together 2023: "within one working day of a referral being received"); with
    `receipts_not_on_cp_plan`, none of a day the child was on a child protection plan (timeline ``on_cp_plan``).
    Not a receipt in an event group with a referral trigger, nor the receipt of a referral already a trigger:
    one made (its counted day, `_referred`) in the same case 0..`receipt_referral_window_days` days before the
    receipt, the latest such, whose first decision did not come before the receipt's day (that referral's flag,
    dated from when it was made, covers it)."""
    tl = ctx.timeline
    triggers = triggers.assign(_receipt=False)
    # every receipt, a family's or the public's referral too: each awaits social care's decision
    received = all_referral_receipts(ctx) & tl["_exact"].to_numpy(dtype=bool) & ~referrals
    if params.get("receipts_not_on_cp_plan"):
        # a notification about a child on a child protection plan goes to the lead social worker and the core
        # group: no referral awaiting a decision on next steps
        received &= ~tl["on_cp_plan"].astype("boolean").fillna(False).to_numpy(dtype=bool)
    if params.get("receipts_not_tags") and received.any():
        # (s20, lacnoise) a notification of an allegation against someone who works with children (tagged
        # allegation_against_staff: "Informed by LADO of allegation against staff member") is the LADO's process
        # (lado_not_referred), no referral awaiting social care's decision in one working day
        received &= ~ctx.tags(params["receipts_not_tags"]).to_numpy(dtype=bool)
    if params.get("receipts_not_words") and received.any():
        # ... nor one whose text names the LADO ("Notification from LADO")
        received &= ~text_mentions(ctx, received, params["receipts_not_words"]).to_numpy(dtype=bool)
    if not received.any():
        return triggers, response
    extra = first_per_group(rows_of(ctx, received, _COLUMNS))
    taken = pd.MultiIndex.from_frame(triggers[["_case", "_gcode"]])
    extra = extra[~pd.MultiIndex.from_frame(extra[["_case", "_gcode"]]).isin(taken)]
    window = params.get("receipt_referral_window_days")
    if len(extra) and len(triggers) and window is not None:
        # the latest referral trigger of the case made on or before the receipt's day (key order: case, day)
        big = np.int64(1) << np.int64(32)
        made = triggers["_case"].to_numpy().astype("int64") * big + day_numbers(triggers["_referred"])
        order = np.argsort(made, kind="stable")
        day = day_numbers(extra["_day"])
        keys = extra["_case"].to_numpy().astype("int64") * big + day
        at = np.searchsorted(made[order], keys, side="right") - 1
        found = order[np.maximum(at, 0)]
        near = (at >= 0) & (made[found] // big == keys // big) & (keys - made[found] <= int(window))
        decided = day_numbers(response["action_date"])[found]
        pending = (response["action_pos"].to_numpy()[found] < 0) | (decided >= day)
        extra = extra[~(near & pending)]
    if extra.empty:
        return triggers, response
    n = int(params["within_working_days"])
    extra = extra.assign(_referred=extra["_day"], anchor=extra["_day"], deadline=add_working_days(extra["_day"], n),
                         _receipt=True)
    triggers = pd.concat([triggers, extra]).sort_index()
    response = pd.concat([response, first_response(ctx, extra, decisions)]).loc[triggers.index]
    return triggers, response
