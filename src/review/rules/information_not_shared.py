"""Rule `information_not_shared`: agency A recorded a concern and, within 90 days, agency B made a
decision about the child (conference, discharge, closure, no further action, return home, referral
decision) with no record that the concern had reached B — B had not recorded it itself, A's row does not
list B among the agencies informed, no linked record (event_group) joins them, and A's row does not record
the information coming from B (`sender_cues`: "Transfer-in notification from Eastshire received" by Westshire's
social care means Eastshire's social care held it; `knowledge.names_sender`). Tags of one concern family
(`same_concern`: relationship abuse and domestic abuse) are one concern: a police record of a young person's
relationship abuse had reached social care when social care recorded the domestic abuse notification. A concern
that is an event (`event_tags`: an injury, a missed appointment) is known per record, not by its tag: social care's
own record of one bruise is no record of the nursery's (`knowledge.knowledge_pairs`). Each concern counts once per
deciding agency, at its first decision without it (the rows of one agency in one event group, the same entry
recorded twice, are one concern), and one flag per decision lists them all, triggered by the earliest.
(s20) A record in words to suspect neglect is an event too; a record saying its information is still to come
("PNC/ViSOR information to follow") reached no one until a later record sent it, and the flag names the promise;
a strategy discussion shares its participants' records; a police decision by its words on the police's first
day with the child is not asked (`first_record_not_asked_kinds`).

Source: Working Together to Safeguard Children 2023, chapter 1, and *Information sharing: advice for
practitioners providing safeguarding services* (HM Government): share information in a timely way with
the agencies making decisions about the child.
"""
from __future__ import annotations

import numpy as np
import pandas as pd

from .base import (Context, fmt_date, fmt_tags, joined, missed_contacts, register, take_rows, types_held,
                   unborn, young_people)
from .knowledge import decision_label, event_knowledge, knowledge_pairs, outcome_decisions, promised_text


def _first_day_decisions(ctx: Context, kinds) -> np.ndarray:
    """Per timeline row: is it by an agency of one of `kinds`, dated its agency's first day with the child (its
    earliest day in the case), and a decision by its words only, not by its contact type (a conference the
    police attend is a decision they take with what was brought to it)?"""
    tl = ctx.timeline
    if not kinds:
        return np.zeros(len(tl), dtype=bool)
    first = tl.groupby("_agency", sort=False)["_day"].transform("min")
    by_type = types_held(ctx, ctx.settings["decision_contact_types"]).to_numpy(dtype=bool)
    return (ctx.kinds(list(kinds)).to_numpy(dtype=bool) & (tl["_day"] == first).fillna(False).to_numpy(dtype=bool)
            & ~by_type)


def _pairs_by_window(ctx: Context, params: dict) -> pd.DataFrame:
    """`knowledge_pairs` of the rule's concern tags, each asked over its own look-back: `window_days`, or the
    tag's `window_days_by_tag` (s21, QA11 D8: a standing perplexing presentation / FII concern stays relevant to
    a decision a year on, where 90 days hid the paediatrician's concern from social care's closure 116 days
    later). Each window is read apart, so a longer window for one tag changes nothing of the others'."""
    by_tag = {str(t): int(d) for t, d in (params.get("window_days_by_tag") or {}).items()}
    tags = list(params["concern_tags"])
    windows: dict = {}
    for tag in tags:
        windows.setdefault(by_tag.get(tag, int(params["window_days"])), []).append(tag)
    frames = [knowledge_pairs(
        ctx, days, group, params["referral_escalations"], params["referral_reaches_kinds"],
        params.get("same_concern"), params.get("sender_cues") or (), **event_knowledge(params),
    ) for days, group in sorted(windows.items())]
    if len(frames) == 1:
        return frames[0]
    # each look-back keeps the pairs of its own tags (a family's tag, same_concern, is read as its own)
    kept = [f[f["tag"].isin(group)] if len(f) else f for f, (_, group) in zip(frames, sorted(windows.items()))]
    return pd.concat([f for f in kept if len(f)] or [frames[0]], ignore_index=True)


@register("information_not_shared")
def information_not_shared(ctx: Context, params: dict) -> pd.DataFrame:
    """A concern of agency A had not reached agency B when B made a decision (WT 2023; info sharing)."""
    tl = ctx.timeline
    long = _pairs_by_window(ctx, params)
    unknown = long[~long["known"].astype(bool) & (long["c_agency"] != long["d_agency"])]
    # a row reporting earlier missed contacts (a letter, a discharge "following 3 WNB") is no missed appointment
    # of its own to share: its agency's knowledge of them (`known` above), not a concern recorded on its day
    missed = missed_contacts(ctx).to_numpy(dtype=bool)
    unknown = unknown[~((unknown["tag"] == "was_not_brought").to_numpy(dtype=bool)
                        & ~missed[unknown["c_index"].to_numpy(dtype="int64")])]
    unknown = unknown[tl.loc[unknown["c_index"], "_exact"].to_numpy(dtype=bool)] if params["trigger"] == "concern" else unknown
    # a decision by its words of an agency of first_record_not_asked_kinds (the police) on its first day with the
    # child (a call-out's "no referral made") is not asked: no agency had any record of its involvement to send it anything; its
    # not referring is the escalation rules' (domestic_abuse_not_escalated)
    unknown = unknown[~_first_day_decisions(ctx, params.get("first_record_not_asked_kinds") or ())[
        unknown["d_index"].to_numpy(dtype="int64")]]
    # (s21, QA11 D9) a health outcome's decision by its words alone is asked only for the labels of
    # outcome_decisions_asked (an invasive treatment decided without the other providers' records); an attendance's
    # "Discharged." is a decision point of agency_knowledge's chart, not a flag of its own here
    unknown = unknown[~outcome_decisions(ctx, params.get("outcome_decisions_asked") or ())[
        unknown["d_index"].to_numpy(dtype="int64")]]
    if unknown.empty:
        return pd.DataFrame()
    by_decision = params["trigger"] == "decision"
    # a concern is an event group's rows of one agency (the same entry recorded twice is one concern)
    group = tl["_gcode"].to_numpy()[unknown["c_index"].to_numpy(dtype="int64")]
    concern = pd.Series(group, index=unknown.index).astype(str) + "|" + unknown["c_agency"].astype(str)
    if not by_decision:
        # each concern once per deciding agency, at the first decision that agency made without it
        first = unknown.groupby([concern, unknown["d_agency"]])["d_index"].transform("min")
        keep = (unknown["d_index"] == first).to_numpy()
        unknown, concern = unknown[keep], concern[keep]
    # one flag per decision (and so per deciding agency), listing the concerns that had not reached it
    key = unknown["d_index"].astype("int64")
    unknown = unknown.assign(key=key.to_numpy(), concern=concern.to_numpy())
    g = unknown.groupby("key", sort=True)
    flags = g.agg(c_index=("c_index", "min"), d_index=("d_index", "min"))
    flags["tags"] = joined(unknown["tag"], unknown["key"])
    flags["from_agencies"] = joined(unknown["c_agency"], unknown["key"])
    ids = tl["event_id"]
    flags["evidence"] = joined(
        pd.concat([ids[unknown["c_index"]].set_axis(unknown.index), ids[unknown["d_index"]].set_axis(unknown.index)]),
        pd.concat([unknown["key"], unknown["key"]]),
    )
    # only the columns read below (and by decision_label), not every timeline column
    cols = ["case_id", "event_id", "_day", "_dob", "agency", "contact_type", "description", "action"]
    # (by position: the prepared timeline's index is 0..n-1; `take_rows` spares a copy of each column)
    c = pd.DataFrame({name: take_rows(tl[name], flags["c_index"].to_numpy()) for name in cols}, index=flags.index)
    d = pd.DataFrame({name: take_rows(tl[name], flags["d_index"].to_numpy()) for name in cols}, index=flags.index)
    decision = decision_label(ctx, d, flags["d_index"].to_numpy()).str.replace("_", " ")
    trig = d if by_decision else c
    # each concern as "<agency> recorded <tags> on <date>" (a missed appointment of a young person "did not
    # attend", as was_not_brought says), in the order they were recorded
    per = unknown.assign(first=unknown.groupby(["key", "concern"])["c_index"].transform("min"))
    items = per.groupby(["key", "first"], sort=True).agg(tags=("tag", lambda t: "; ".join(sorted(set(t)))),
                                                          agency=("c_agency", "first"),
                                                          pending=("pending", "any")).reset_index()
    at = items["first"].to_numpy(dtype="int64")
    day = pd.Series(take_rows(tl["_day"], at), index=items.index)
    young = young_people(ctx, day, pd.Series(take_rows(tl["_dob"], at), index=items.index))
    items["text"] = (items["agency"].astype(str) + " recorded " + fmt_tags(items["tags"], young, unborn(ctx)[at]) + " on "
                     + fmt_date(day))
    # a record whose information was still to come: the promise in its words, and how long it had been
    # outstanding at the decision
    promise = items["pending"].to_numpy(dtype=bool)
    if promise.any():
        words = promised_text(ctx, at[promise], params.get("pending_cues") or (),
                              params.get("pending_information_words") or ())
        decided = pd.Series(take_rows(tl["_day"], items["key"].to_numpy(dtype="int64")), index=items.index)
        waited = (decided - day).dt.days.astype("Int64").astype(str)
        items["promise"] = (" with the information still to come (\"" + pd.Series(
            words, index=items.index[promise], dtype=object).reindex(items.index).fillna("") + "\")")
        items["waited"] = waited
        items.loc[promise, "text"] = (items["text"] + items["promise"] + ", not recorded as sent in the "
                                      + waited + " days to the decision")[promise]
    listed = items.groupby("key", sort=True)["text"].agg(list)
    several = listed.str.len().reindex(flags.index).fillna(1).to_numpy() > 1
    concerns_text = pd.Series(["; ".join(x) for x in listed.reindex(flags.index)], index=flags.index, dtype="string")
    young = young_people(ctx, c["_day"], c["_dob"])
    # (s21) a concern recorded before the birth: a missed appointment then is the mother's antenatal one
    before = unborn(ctx)[flags["c_index"].to_numpy(dtype="int64")]

    if by_decision:
        explanation = (
            d["agency"] + " made a decision (" + decision + ") on " + fmt_date(d["_day"]) + " with no record that it knew of "
            + fmt_tags(flags["tags"], young, before) + " recorded by " + flags["from_agencies"] + " in the previous "
            + str(params["window_days"]) + " days."
        )
    else:
        explanation = (
            c["agency"] + " recorded " + fmt_tags(flags["tags"], young, before) + " on " + fmt_date(c["_day"])
            + " and there is no record it reached " + d["agency"] + " before its decision (" + decision + ") on "
            + fmt_date(d["_day"]) + "."
        )
        # a single promise that had not been kept: its words and how long it had been outstanding
        pending_one = (items.groupby("key", sort=True)["pending"].any().reindex(flags.index).fillna(False)
                       .to_numpy(dtype=bool) & ~several)
        if pending_one.any():
            one = items.groupby("key", sort=True)[["promise", "waited"]].first().reindex(flags.index).fillna("")
            explanation = explanation.mask(pd.Series(pending_one, index=flags.index), (
                c["agency"] + " recorded " + fmt_tags(flags["tags"], young, before) + " on " + fmt_date(c["_day"])
                + one["promise"].astype("string") + "; there is no record that it reached " + d["agency"] + " in the "
                + one["waited"].astype("string") + " days before its decision (" + decision + ") on "
                + fmt_date(d["_day"]) + "."))
        # several concerns that had not reached the same decision: one flag, each named
        explanation = explanation.mask(pd.Series(several, index=flags.index), (
            "There is no record that these concerns reached " + d["agency"] + " before its decision (" + decision
            + ") on " + fmt_date(d["_day"]) + ": " + concerns_text + "."))
    # one frame from its columns (aligned on the flags' index, as setting them one by one would)
    return pd.DataFrame({
        "case_id": trig["case_id"],
        "variant": d["agency"] if not by_decision else "",
        "trigger_event_id": trig["event_id"],
        "trigger_date": trig["_day"],
        "evidence_event_ids": flags["evidence"],
        "expected_action": "concern shared with " + d["agency"] + " before its decision",
        "expected_by": d["_day"],
        "actual_action_event_id": "",
        "actual_action_date": pd.NaT,
        "delay_days": pd.NA,
        "agencies": [
            "; ".join(sorted({*a.split("; "), b})) for a, b in zip(flags["from_agencies"], d["agency"].astype(str))
        ],
        "explanation": explanation,
    }, index=flags.index)
