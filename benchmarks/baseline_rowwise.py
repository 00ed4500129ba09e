"""A plain row-by-row Python reference of the timeline and the ten rules, for the benchmarks.

This is the "obvious" implementation a reviewer might write in a script: rows as dicts, a loop per
case, and for every trigger row a scan over the rows that follow. It reads the same parameters as the
package (`review.rules.load_rules`) and follows the rule definitions in docs/rules (module docstrings
of review.rules.*), in simplified form: working days skip weekends but not bank holidays, agency
linking is a token-set overlap instead of rapidfuzz, and CP plan periods are not derived. It exists
to measure how much the vectorised pipeline gains, not as a second source of truth for flags.

    rows = contacts.to_dict("records"); cases = {case_id: {"date_of_birth":..., "mobile_from":...}}
    timeline, flags = run(rows, cases, rules)
"""
from __future__ import annotations

import datetime as dt
from collections import defaultdict

INJURY = {"bruising", "head_injury", "fracture", "burn", "other_injury"}
ESCALATING = {"referral_to_csc", "strategy_discussion", "cp_medical", "s47_enquiry", "cp_conference",
              "legal_planning", "police_investigation"}


def _day(value) -> dt.date:
    return value.date() if hasattr(value, "date") else value


def _tags(value) -> set[str]:
    if not value or value != value:  # None, "" or NaN
        return set()
    return {t.strip() for t in str(value).split(";") if t.strip()}


def _add_working_days(day: dt.date, n: int) -> dt.date:
    while n > 0:
        day += dt.timedelta(days=1)
        if day.weekday() < 5:
            n -= 1
    return day


def _tokens(text) -> set[str]:
    return {w for w in str(text or "").lower().replace(",", " ").replace(".", " ").split() if len(w) > 2}


def build_timeline(rows: list[dict], case: dict, concern_window: int = 90) -> list[dict]:
    """One case's rows sorted, with seq, age, mobility, gaps, last seen, open concerns and links."""
    rows = sorted(rows, key=lambda r: (r["date"], str(r["agency"]), str(r["source_file"]), int(r["source_row"] or 0),
                                       str(r["event_id"])))
    dob = case["date_of_birth"]
    mobile_from = case.get("mobile_from") or (dob + dt.timedelta(days=183))
    out = []
    last_seen = None
    previous = None
    for i, row in enumerate(rows, start=1):
        r = dict(row)
        day = _day(r["date"])
        r["_day"] = day
        r["seq"] = i
        r["age_days"] = (day - dob).days
        r["child_mobile"] = day >= mobile_from
        r["days_since_previous_contact"] = None if previous is None else (day - previous).days
        r["days_since_child_seen"] = None if last_seen is None else (day - last_seen).days
        if r.get("child_seen") is True:
            last_seen = day
        previous = day
        r["_tags"] = _tags(r.get("concerns"))
        # open concerns: every tag recorded within the window up to this row (a scan back)
        open_tags = set()
        for earlier in reversed(out):
            if (day - earlier["_day"]).days > concern_window:
                break
            open_tags |= earlier["_tags"]
        r["open_concerns"] = "; ".join(sorted(open_tags | r["_tags"]))
        r["event_group"] = r["event_id"]
        # link the same event reported by another agency the same day (token overlap >= 0.85)
        for earlier in reversed(out):
            if earlier["_day"] != day:
                break
            if earlier["agency"] != r["agency"] and earlier["contact_type"] == r["contact_type"]:
                a, b = _tokens(earlier["description"]), _tokens(r["description"])
                if a and b and len(a & b) / min(len(a), len(b)) >= 0.85:
                    r["event_group"] = earlier["event_group"]
                    break
        out.append(r)
    return out


def _first_after(timeline, start_index, deadline, predicate):
    for later in timeline[start_index:]:
        if later["_day"] > deadline:
            return None
        if predicate(later):
            return later
    return None


def _flag(rule_id, row, **extra) -> dict:
    return {"case_id": row["case_id"], "rule_id": rule_id, "trigger_event_id": row["event_id"],
            "trigger_date": row["_day"], **extra}


def detect(timeline: list[dict], case: dict, rules: dict) -> list[dict]:
    """The ten rules, each a loop over the rows with a forward or backward scan."""
    p = {rule_id: spec.get("params", {}) for rule_id, spec in rules["rules"].items()}
    flags = []
    n = len(timeline)
    review_end = case.get("review_date") or (timeline[-1]["_day"] if timeline else None)
    for i, row in enumerate(timeline):
        day, tags = row["_day"], row["_tags"]
        # nonmobile_injury: injury before mobility needs same-day referral and CP medical
        if tags & set(p["nonmobile_injury"]["injury_tags"]) and not row["child_mobile"]:
            same_day = [r for r in timeline if r["_day"] == day]
            referral = any(r["escalation"] in p["nonmobile_injury"]["referral_escalations"] for r in same_day)
            medical = any(r["escalation"] in p["nonmobile_injury"]["assessment_escalations"] for r in same_day)
            if not (referral and medical):
                flags.append(_flag("nonmobile_injury", row))
        # injury_not_escalated: injury under 24 months, no escalation within 2 days
        q = p["injury_not_escalated"]
        if tags & set(q["injury_tags"]) and row["age_days"] < q["max_age_months"] * 30.44:
            deadline = day + dt.timedelta(days=q["within_days"])
            if _first_after(timeline, i, deadline, lambda r: r["escalation"] in q["escalations"]) is None:
                flags.append(_flag("injury_not_escalated", row))
        # repeated_injury_or_ae: 2+ injuries in 90 days or 3+ A&E in 365 days, unescalated
        q = p["repeated_injury_or_ae"]
        is_injury = bool(tags & set(q["injury_tags"]))
        is_ae = row["contact_type"] == "ae_attendance"
        if is_injury or is_ae:
            injuries = sum(1 for r in timeline[:i + 1] if (day - r["_day"]).days <= q["injury_window_days"]
                           and r["_tags"] & set(q["injury_tags"]))
            attendances = sum(1 for r in timeline[:i + 1] if (day - r["_day"]).days <= q["ae_window_days"]
                              and r["contact_type"] == "ae_attendance")
            if (is_injury and injuries >= q["min_injuries"]) or (is_ae and attendances >= q["min_ae_attendances"]):
                deadline = day + dt.timedelta(days=q["within_days"])
                if _first_after(timeline, i, deadline, lambda r: r["escalation"] in q["escalations"]) is None:
                    flags.append(_flag("repeated_injury_or_ae", row))
        # referral_no_decision: a referral to CSC with no social care decision within 1 working day
        q = p["referral_no_decision"]
        if row["escalation"] == "referral_to_csc":
            deadline = _add_working_days(day, q["within_working_days"])
            if _first_after(timeline, i + 1, deadline, lambda r: r["agency_kind"] in q["decision_agency_kinds"]
                            and r["contact_type"] in q["decision_contact_types"]) is None:
                flags.append(_flag("referral_no_decision", row))
        # strategy_no_conference: no ICPC within 15 working days of the last strategy discussion
        q = p["strategy_no_conference"]
        if row["contact_type"] == "strategy_discussion":
            deadline = _add_working_days(day, q["within_working_days"])
            later_strategy = _first_after(timeline, i + 1, deadline, lambda r: r["contact_type"] == "strategy_discussion")
            if later_strategy is None and _first_after(
                    timeline, i + 1, deadline,
                    lambda r: r["contact_type"] in ("cp_conference", "case_closure")) is None and (
                    review_end is None or deadline <= review_end):
                flags.append(_flag("strategy_no_conference", row))
        # was_not_brought: 2+ missed health appointments (same agency) in 90 days without follow-up
        q = p["was_not_brought"]
        if row["contact_type"] == "was_not_brought" and row["agency_kind"] in q["agency_kinds"]:
            missed = sum(1 for r in timeline[:i + 1] if r["contact_type"] == "was_not_brought"
                         and r["agency"] == row["agency"] and (day - r["_day"]).days <= q["window_days"])
            if missed >= q["min_missed"]:
                deadline = day + dt.timedelta(days=q["follow_up_within_days"])
                follow = _first_after(timeline, i + 1, deadline, lambda r: r["agency"] == row["agency"]
                                      and (r.get("child_seen") is True or r["escalation"]))
                if follow is None:
                    flags.append(_flag("was_not_brought", row))
        # child_not_seen: not seen for > 42 days with open concerns; visits not seen, no revisit in 7 days
        q = p["child_not_seen"]
        gap = row["days_since_child_seen"]
        if gap is not None and row["open_concerns"] and gap > q["open_concerns_max_days"]:
            flags.append(_flag("child_not_seen", row))
        if (row["contact_type"] in q["visit_contact_types"] and row["agency_kind"] in q["visit_agency_kinds"]
                and row.get("child_seen") is False):
            deadline = day + dt.timedelta(days=q["revisit_within_days"])
            if _first_after(timeline, i + 1, deadline, lambda r: r["agency"] == row["agency"]
                            and r["contact_type"] in q["visit_contact_types"] and r.get("child_seen") is True) is None:
                flags.append(_flag("child_not_seen", row))
        # information_not_shared: a concern of A unknown to B when B decides within 90 days
        q = p["information_not_shared"]
        decision_types = set(rules["settings"]["decision_contact_types"])
        if tags & set(q["concern_tags"]):
            informed = _tags(row.get("informed_agencies"))
            seen_by = set()
            for later in timeline[i + 1:]:
                if (later["_day"] - day).days > q["window_days"]:
                    break
                b = later["agency"]
                if later["contact_type"] in decision_types and b != row["agency"] and b not in informed \
                        and b not in seen_by and not (later["_tags"] & tags) and later["event_group"] != row["event_group"]:
                    flags.append(_flag("information_not_shared", row, decision_agency=b))
                    seen_by.add(b)
        # closure_with_open_concerns: a closure with unassessed concerns in the last 30 days
        q = p["closure_with_open_concerns"]
        if row["contact_type"] in q["closure_contact_types"]:
            concern_rows = [r for r in timeline[:i] if (day - r["_day"]).days <= q["window_days"] and r["_tags"]]
            for c in concern_rows:
                assessed = any(r["_day"] >= c["_day"] and (r["escalation"] in q["assessed_by"]
                                                         or r["contact_type"] in q["assessed_by"])
                               for r in timeline[:i])
                if not assessed:
                    flags.append(_flag("closure_with_open_concerns", row))
                    break
        # assessment_wait: a requested assessment not done within 42 days
        q = p["assessment_wait"]
        text = str(row.get("description") or "").lower()
        if row["contact_type"] in q["request_contact_types"] and any(k in text for k in q["request_keywords"]):
            deadline = day + dt.timedelta(days=q["max_days"])
            if _first_after(timeline, i + 1, deadline, lambda r: r["contact_type"] in q["done_contact_types"]) is None:
                flags.append(_flag("assessment_wait", row))
    del n
    return flags


def run(rows: list[dict], cases: dict[str, dict], rules: dict) -> tuple[list[dict], list[dict]]:
    """Timeline and flags of every case: group the rows by case, then one case at a time."""
    by_case = defaultdict(list)
    for row in rows:
        by_case[row["case_id"]].append(row)
    timeline, flags = [], []
    for case_id in sorted(by_case):
        case_timeline = build_timeline(by_case[case_id], cases[case_id])
        timeline += case_timeline
        flags += detect(case_timeline, cases[case_id], rules)
    return timeline, flags


# ---------------------------------------------------------------------------------------------------
# Ingest baseline: openpyxl, cell by cell
# ---------------------------------------------------------------------------------------------------
def read_chronology_rowwise(path, vocab: dict) -> list[dict]:
    """Read one generic-layout xlsx chronology row by row with openpyxl: header search, column mapping,
    day-first dates, contact type / concern / agency keywords by substring loops."""
    from openpyxl import load_workbook

    wb = load_workbook(path, read_only=True, data_only=True)
    rows = []
    for ws in wb.worksheets:
        header = None
        for number, cells in enumerate(ws.iter_rows(values_only=True), start=1):
            values = ["" if c is None else c for c in cells]
            if header is None:
                lowered = [str(v).strip().lower() for v in values]
                if "date" in lowered:
                    header = lowered
                continue
            if not any(str(v).strip() for v in values):
                continue
            record = dict(zip(header, values))
            date = record.get("date")
            if isinstance(date, str):
                date = dt.datetime.strptime(date.strip(), "%d/%m/%Y")
            text = " ".join(str(record.get(k, "")) for k in ("details", "action / outcome", "analysis")).lower()
            type_text = str(record.get("type of contact", "")).lower()
            contact_type = "other"
            for ctype, words in vocab["contact_types"].items():
                if any(w in type_text for w in words):
                    contact_type = ctype
                    break
            concerns = set()
            for tag, words in vocab["concerns"].items():
                for w in words:
                    at = text.find(w)
                    if at >= 0 and not any(cue + " " in text[max(0, at - 30):at] for cue in vocab["negation_cues"]
                                           if isinstance(cue, str)):
                        concerns.add(tag)
                        break
            agency = str(record.get("agency", ""))
            kind = "other"
            for k, words in vocab["agency_kinds"].items():
                if any(w in agency.lower() for w in words):
                    kind = k
                    break
            rows.append({"date": date, "agency": agency, "agency_kind": kind, "contact_type": contact_type,
                         "concerns": "; ".join(sorted(concerns)), "source_file": str(path), "source_row": number,
                         "description": record.get("details", "")})
    wb.close()
    return rows
