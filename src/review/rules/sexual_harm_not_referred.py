"""Rule `sexual_harm_not_referred` (s19, QA6): an agency other than children's social care records a child's
sexualised behaviour, or an adult posing a risk to children in the child's life (a registered sex offender, a
conviction for indecent images), and no referral to children's social care (nor a strategy discussion, section 47
enquiry, conference or CP medical) by any agency follows within the tag's working days.

Source: NICE NG76 *Child abuse and neglect* and CG89 *When to suspect child maltreatment* (sexualised behaviour
beyond the child's age or development: an alerting feature of sexual abuse; suspecting maltreatment means
referring to children's social care); Working Together to Safeguard Children 2023, chapter 2, and the MAPPA
Guidance 2024 (a person posing a risk to children who lives with, or has contact with, a child: the information
is shared with children's social care).

neglect_not_escalated's machinery with its own settings (not a variant of it: a flag quotes its rule's source, and
NICE CG89's neglect is not the guidance for a registered sex offender in the household; rule ids are what
reviewers' decisions are recorded against, so neglect's stay as they are). A trigger is an exact-date row tagged
with one of the keys of `working_days_by_tag` (vocab.yml sexualised_behaviour, risk_to_children), set aside as
neglect_not_escalated sets them aside (`trigger_not_agency_kinds`, `trigger_not_contact_types`, `not_on_cp_plan`,
`received_keywords`, an event group injury_not_escalated reads: `injury_any_age_tags`, its sexual_abuse), one per
event group, at its first such row. Every record is one to suspect (no persistence test): its deadline is the
fewest working days of its group's tags (`working_days_by_tag`) after its day. A partial-date record (a week,
month, season) is a trigger too (an agency's "No referral made" is seldom dated to the day): the response is read
from the start of its period and its deadline runs from the end of it, so it is flagged only when no response
came in time whatever its day. The response and the late action are
neglect_not_escalated's (`base.referral_response`, an enquiry already open, `base.late_referral`).

(s21) A looked-after child (case.yml `looked_after` on the trigger's day, `looked_after_share`): its placing
authority already holds it, so the flag expects the record shared with the child's social worker there, not a
referral to children's social care; such sharing answers too (`lac_visits_overdue.looked_after_share_params`, as
self_harm_not_referred reads it).

(s20) A risk_to_children record whose adult denies that children live with him (`denial_keywords`: "Denies any
children live at the address") is flagged as a denial not verified with children's social care (`_denied`).

(s21, QA Leah) A "consider" record is a trigger only with a sexual concern on record (`_considered`): a young child's
genito-urinary symptoms (anogenital_symptoms, under settings.age_bound_below_by_tag's 13) or the child's words of fear
of an adult at home (emotional_abuse), any agency having recorded one of `consider_with_tags` (a registered sex
offender in the child's life, sexualised behaviour, sexual abuse) on or before its day. Its deadline is
`consider_working_days_by_tag`'s; a group of such records only is answered by the referral responses or by the
recording agency's own follow-up (`_followed_up`: "Discussed with safeguarding lead"), and its flag names the earlier
sexual concern. Alone (a UTI in a 3-year-old, no sexual concern on record) neither is a trigger.

Severity high for a group tagged one of `high_severity_tags` (an adult posing a risk to children), or a child
under `high_severity_below_age_months`; the rule's severity otherwise.
"""
from __future__ import annotations

import numpy as np
import pandas as pd

from .base import (
    Context,
    action_when,
    age_bounds,
    deadline_rows,
    due_within_period,
    first_per_group,
    fmt_age,
    fmt_date,
    late_referral,
    outcome_text,
    referral_dated_text,
    referral_response,
    register,
    rows_of,
    text_mentions,
)
from .lac_visits_overdue import looked_after_expected, looked_after_missing, looked_after_share_params, \
    looked_after_triggers
from .neglect_not_escalated import _COLUMNS, _enquiry_open, _recorded_here, under_months_at

#: the explanation's words per tag, in this order when a group has several
_WORDS = {
    "sexualised_behaviour": "sexualised behaviour",
    "risk_to_children": "that an adult posing a risk to children is in the child's life",
    # (s21) the "consider" records, triggers with a sexual concern on record
    "anogenital_symptoms": "genito-urinary symptoms NICE CG89 lists as \"consider\" sexual abuse (recurrent dysuria or"
                           " UTIs, genital discharge or soreness)",
    "emotional_abuse": "the child's words of fear of an adult at home or of being at home",
}


#: the words of a risk_to_children record whose adult denies that children live with him or are in his life
_DENIED = ("an adult posing a risk to children who denied that any children live at the address or are in contact"
           " with him (rules.yml denial_keywords)")


def _what(tags: list, denied: bool = False) -> str:
    said = [_DENIED if denied and tag == "risk_to_children" else _WORDS.get(tag, str(tag).replace("_", " "))
            for tag in tags]
    return said[0] if len(said) == 1 else ", ".join(said[:-1]) + " and " + said[-1]


def _denied(ctx: Context, t: pd.DataFrame, risk: np.ndarray, params: dict) -> np.ndarray:
    """Per trigger: does a risk_to_children row of its event group (`risk`) record the adult denying that
    children live with him or are in contact with him (its text mentions `denial_keywords`, not negated: "Denies
    any children live at the address")? A denial is what the adult says, no verification: the flag stands, and
    says the denial was not checked with children's social care. Each distinct text read once."""
    if not params.get("denial_keywords") or t.empty or not risk.any():
        return np.zeros(len(t), dtype=bool)
    said = text_mentions(ctx, risk, params["denial_keywords"]).to_numpy(dtype=bool)
    if not said.any():
        return np.zeros(len(t), dtype=bool)
    return np.isin(t["_gcode"].to_numpy(), np.unique(ctx.timeline["_gcode"].to_numpy()[said]))


def _considered(ctx: Context, params: dict) -> tuple[dict, np.ndarray]:
    """({tag: rows} of `consider_working_days_by_tag`'s tags that are triggers, the row position of the sexual
    concern each case had on record first, -1 for none): a row of such a tag (an age-bound one, anogenital_symptoms,
    only where the child's age in whole years is known and within settings' bounds) dated on or after the day of a
    row of `consider_with_tags` of its case (any agency, any date precision with a day). NICE CG89's "consider"
    alone is no referral; with a registered sex offender in the household it is to be acted on."""
    tl = ctx.timeline
    consider = {str(k): int(v) for k, v in (params.get("consider_working_days_by_tag") or {}).items()}
    first = np.full(len(tl), -1, dtype="int64")
    if not consider or not params.get("consider_with_tags") or tl.empty:
        return {}, first
    day = tl["_day"]
    known = day.notna().to_numpy(dtype=bool)
    with_rows = ctx.tags(params["consider_with_tags"]).to_numpy(dtype=bool) & known
    if not with_rows.any():
        return {}, first
    cases = tl["case_id"].astype("string").fillna("").to_numpy(dtype=object)
    on = pd.DataFrame({"case": cases[with_rows], "day": day.to_numpy()[with_rows],
                       "pos": np.flatnonzero(with_rows)}).sort_values(["case", "day", "pos"], kind="stable")
    earliest = on.drop_duplicates("case").set_index("case")  # the case's first sexual concern on record
    by_case = pd.Series(cases, index=tl.index)
    since_day = pd.to_datetime(by_case.map(earliest["day"]))
    after = known & (day >= since_day).fillna(False).to_numpy(dtype=bool)
    first = by_case.map(earliest["pos"]).fillna(-1).to_numpy(dtype="int64")
    bounds = age_bounds(ctx.settings)
    years = np.floor(tl["_age_days"].astype("Float64").to_numpy(dtype="float64", na_value=np.nan) / 365.25)
    out = {}
    for tag in consider:
        mask = ctx.tags([tag]).to_numpy(dtype=bool) & after
        if tag in bounds:
            low, below = bounds[tag]
            with np.errstate(invalid="ignore"):
                mask &= (years >= low) & (years < below)  # NaN (unknown age): none
        out[tag] = mask
    return out, np.where(after, first, -1)


def _followed_up(ctx: Context, t: pd.DataFrame, params: dict) -> np.ndarray:
    """Per trigger: a row of the trigger's own agency from its day to its deadline whose text mentions
    `consider_followup_keywords`, not negated (`response_negations`): the agency discussed the "consider" with its
    safeguarding lead (NICE CG89: discuss with a named or designated professional), as NICE asks of it."""
    keywords = params.get("consider_followup_keywords") or ()
    if not keywords or t.empty:
        return np.zeros(len(t), dtype=bool)
    tl = ctx.timeline
    said = text_mentions(ctx, np.isin(tl["agency"].astype("string").fillna("").to_numpy(dtype=object),
                                      t["agency"].astype("string").fillna("").to_numpy(dtype=object)),
                         keywords, tuple(params.get("response_negations") or ())).to_numpy(dtype=bool)
    if not said.any():
        return np.zeros(len(t), dtype=bool)
    rows = pd.DataFrame({"agency": tl["agency"].astype("string").fillna("").to_numpy(dtype=object)[said],
                         "day": tl["_day"].to_numpy()[said],
                         "case": tl["case_id"].astype("string").fillna("").to_numpy(dtype=object)[said]})
    asked = pd.DataFrame({"agency": t["agency"].astype("string").fillna("").to_numpy(dtype=object),
                          "case": t["case_id"].astype("string").fillna("").to_numpy(dtype=object),
                          "start": t["anchor"].to_numpy(), "end": t["deadline"].to_numpy(),
                          "k": np.arange(len(t))})
    both = asked.merge(rows, on=["case", "agency"])
    hit = both[(both["day"] >= both["start"]) & (both["day"] <= both["end"])]["k"].unique()
    out = np.zeros(len(t), dtype=bool)
    out[hit] = True
    return out


def _on_record(ctx: Context, t: pd.DataFrame, on_record: np.ndarray, only_consider: np.ndarray) -> pd.Series:
    """(s21) ', a sexual concern on record since 6 Jan 2020 (Westmere Probation Service: risk to children)' for a
    trigger of "consider" records only: the case's first record of `consider_with_tags` (`_considered`); ''
    otherwise."""
    out = pd.Series("", index=t.index, dtype=object)
    pos = on_record[t.index.to_numpy()]
    use = only_consider & (pos >= 0)
    if not use.any():
        return out
    tl = ctx.timeline
    rows = tl.iloc[pos[use]]
    out[use] = (", with a sexual concern on record since " + fmt_date(rows["_day"]).to_numpy(dtype=object) + " ("
                + rows["agency"].astype("string").fillna("").to_numpy(dtype=object) + ": "
                + rows["concerns"].astype("string").fillna("").str.replace("; ", ", ", regex=False)
                .str.replace("_", " ", regex=False).to_numpy(dtype=object) + ")")
    return out


def _when(t: pd.DataFrame) -> pd.Series:
    """' on 3 Feb 2020', ' on c. 13 Jul 2020 (a partial date)', ' in Mar 2021 (a partial date)'."""
    shown = fmt_date(t["_day"], t["_shown"])
    exact = t["_exact"].astype(bool)
    on_day = shown.str.match(r"^(c\. )?\d")
    return (pd.Series(np.where(on_day, " on ", " in "), index=t.index) + shown
            + pd.Series(np.where(exact, "", " (a partial date)"), index=t.index))


@register("sexual_harm_not_referred")
def sexual_harm_not_referred(ctx: Context, params: dict) -> pd.DataFrame:
    """Sexualised behaviour, or an adult posing a risk to children, recorded by an agency, no referral to
    children's social care within the tag's working days (NICE NG76/CG89; WT 2023 ch. 2; MAPPA Guidance 2024)."""
    tl = ctx.timeline
    by_tag = {str(k): int(v) for k, v in (params.get("working_days_by_tag") or {}).items()}
    if not by_tag:
        return rows_of(ctx, np.zeros(len(tl), dtype=bool), _COLUMNS).iloc[0:0]
    exact = tl["_exact"].to_numpy(dtype=bool)
    # a partial-date record too ("w/c 13/07/2020 ... No referral made", police intelligence of "Mar 2021"): its
    # deadline runs from the end of its period, so it is flagged only when no response came in time whatever its day
    tagged = {tag: ctx.tags([tag]).to_numpy(dtype=bool) for tag in by_tag}
    # (s21) the "consider" records with a sexual concern on record before them (`_considered`)
    considered, on_record = _considered(ctx, params)
    consider_days = {str(k): int(v) for k, v in (params.get("consider_working_days_by_tag") or {}).items()}
    for tag, mask in considered.items():
        if tag not in by_tag:
            by_tag[tag] = consider_days[tag]
            tagged[tag] = mask
    hit = np.zeros(len(tl), dtype=bool)
    for mask in tagged.values():
        hit |= mask
    hit = _recorded_here(ctx, params, hit)
    gcode = tl["_gcode"].to_numpy()
    if hit.any() and params.get("injury_any_age_tags"):
        # a disclosure of sexual abuse in the group: injury_not_escalated's flag covers it (one concern, one flag)
        injured = ctx.tags(params["injury_any_age_tags"]).to_numpy(dtype=bool) & exact \
            & (tl["_age_days"] >= 0).fillna(False).to_numpy(dtype=bool)
        if injured.any():
            hit &= ~np.isin(gcode, np.unique(gcode[injured]))
    t = first_per_group(rows_of(ctx, hit, _COLUMNS + ["_exact", "_shown"]))
    if t.empty:
        return t
    t = t.copy()
    groups = t["_gcode"].to_numpy()
    # the group's tags (on any of its trigger rows), in `working_days_by_tag`'s order; its deadline the fewest days
    has = {tag: np.isin(groups, np.unique(gcode[mask & hit])) for tag, mask in tagged.items()}
    days = np.full(len(t), np.iinfo("int64").max, dtype="int64")
    for tag, yes in has.items():
        days = np.where(yes, np.minimum(days, by_tag[tag]), days)
    names = [[tag for tag in by_tag if has[tag][i]] for i in range(len(t))]
    t = due_within_period(t, days)
    found = referral_response(ctx, t, params)
    # (s21) a looked-after child (case.yml looked_after on the trigger's day): its placing authority holds it; the
    # record shared with the child's social worker there answers as a referral does (`looked_after_share_params`)
    authority = looked_after_triggers(ctx, t, params)
    looked_after = authority != ""
    if looked_after.any():
        found = found.copy()
        found.loc[t.index[looked_after]] = referral_response(ctx, t[looked_after],
                                                             looked_after_share_params(params, ctx.settings))
    late = ~found["timely"].to_numpy(dtype=bool) & ~_enquiry_open(ctx, t, params)
    # (s21) a group of "consider" records only: the recording agency's own follow-up answers too
    only_consider = np.array([bool(n) and all(tag in considered and tag not in params.get("working_days_by_tag", {})
                                              for tag in n) for n in names], dtype=bool)
    if only_consider.any():
        late &= ~(only_consider & _followed_up(ctx, t, params))
    t, days, authority, looked_after = t[late], days[late], authority[late], looked_after[late]
    only_consider = only_consider[late]
    names = [n for n, keep in zip(names, late) if keep]
    if t.empty:
        return t
    r, none_text = late_referral(ctx, t, found[late], params)
    high = under_months_at(tl, t, params.get("high_severity_below_age_months"))
    high_tags = {str(x) for x in params.get("high_severity_tags") or ()}
    high |= np.array([bool(high_tags.intersection(n)) for n in names], dtype=bool)

    # an adult posing a risk who denies that children live with him: a denial is no verification (`_denied`)
    denied = _denied(ctx, t, hit & tagged.get("risk_to_children", np.zeros(len(tl), dtype=bool)), params)
    expected = pd.Series(np.where(
        denied, "the denial checked with children's social care (a referral or the information shared with it), or a"
        " strategy discussion, section 47 enquiry or CP medical",
        np.where(only_consider, "the record discussed with the agency's safeguarding lead, or shared with children's"
                 " social care (a referral, strategy discussion, section 47 enquiry or CP medical)",
                 "referral to children's social care (or a strategy discussion, section 47 enquiry or CP medical)")),
        index=t.index)
    lac_text = pd.Series(authority, index=t.index).astype(object)
    expected = expected.where(~looked_after, looked_after_expected(lac_text))
    out = deadline_rows(t, r, expected)
    out["severity"] = pd.Series(np.where(high, "high", None), index=out.index, dtype=object)  # else the rule's
    within = pd.Series([f"{d} working day" + ("s" if d != 1 else "") for d in days], index=t.index)
    out["explanation"] = (
        t["agency"] + " recorded " + pd.Series([_what(n, d) for n, d in zip(names, denied)], index=t.index) + _when(t)
        + " in a child aged " + fmt_age(t) + _on_record(ctx, t, on_record, only_consider)
        + pd.Series(np.where(
            looked_after, looked_after_missing(lac_text) + ", nor any referral or enquiry recorded,", np.where(
                only_consider, ", and neither a discussion with its safeguarding lead nor a referral to children's"
                " social care (nor a strategy discussion, section 47 enquiry or CP medical) is recorded", np.where(
                    denied, ", and the denial was not verified: not checked with children's social care (no referral, "
                    "strategy discussion, section 47 enquiry or CP medical is recorded)",
                    ", and no referral to children's social care (nor a strategy discussion, section 47 enquiry or CP "
                    "medical) is recorded"))), index=t.index)
        + " within " + within + " (by " + fmt_date(t["deadline"]) + ")"
        + outcome_text(r["action_event_id"], r["action_date"], out["delay_days"], "the next such referral by any agency",
                       action_when(ctx, r["action_pos"], t.index), none_text,
                       dated=referral_dated_text(ctx, r, t.index))
    )
    return out
