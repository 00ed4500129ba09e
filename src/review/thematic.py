"""Thematic review across many cases: where, and in which agencies, escalation points are missed.

Tables over a case store (flags, timeline or contacts, response latency): flags per rule, failing
category, agency kind and organisation normalised per 100 contacts; response latency by agency kind;
cases ranked by unescalated concerns. And assurance against evidence: organisations' declared
compliance set beside what the flags show, with disagreements marked. Charts take these tables and
return a matplotlib `Figure` in the house style of `review.charts` (Okabe-Ito colours, shapes doubling
colours); nothing is shown or saved here.
"""
from __future__ import annotations

import re
from pathlib import Path

import numpy as np
import pandas as pd
from matplotlib.figure import Figure
from matplotlib.lines import Line2D

from .charts import (_READ_NOT_SEEN, _READ_SEEN, ALERT, KIND_COLOURS, NEUTRAL, OK, OKABE_ITO, _empty_figure, _label,
                     _suptitle, house_style)
from .errors import ReviewError
from .schema import FAILING_CATEGORIES, escalated_mask
from .sightings import SIGHTING_STATUSES, present_in_setting, sighting_status
from .synth import STANDARD_CATEGORIES

FLAG_GROUPINGS = ("rule_id", "failing_category", "agency_kind", "organisation")
DECLARED_STATUSES = ("compliant", "not compliant", "insufficient assurance")
DECLARATION_COLUMNS = ("organisation", "year", "standard", "declared_status")
#: how declared statuses are commonly written -> the canonical status
_STATUS_ALIASES = {
    "compliant": "compliant", "fully compliant": "compliant", "yes": "compliant", "met": "compliant",
    "fully met": "compliant", "full assurance": "compliant", "assured": "compliant",
    "not compliant": "not compliant", "non-compliant": "not compliant", "non compliant": "not compliant",
    "noncompliant": "not compliant", "no": "not compliant", "not met": "not compliant",
    "insufficient assurance": "insufficient assurance", "partial": "insufficient assurance",
    "partially compliant": "insufficient assurance", "partially met": "insufficient assurance",
    "limited assurance": "insufficient assurance", "not fully met": "insufficient assurance",
    "not fully compliant": "insufficient assurance",
}
#: header texts (normalised) of each column of a declarations spreadsheet
_HEADER_ALIASES = {
    "organisation": ("organisation", "organization", "org", "agency", "provider", "organisation name",
                     "organization name", "provider name", "trust", "trust name", "body"),
    "year": ("year", "assurance year", "period", "financial year", "declaration year", "assessment year"),
    "standard": ("standard", "section 11 standard", "requirement", "core standard", "standard name",
                 "safeguarding standard"),
    "declared_status": ("declared_status", "declared status", "status", "declaration", "compliance",
                        "rating", "self-assessment", "self assessment", "declared compliance",
                        "declared position", "board declaration", "declared"),
}
#: a declarations sheet's header row is looked for in its first rows (title rows above it are skipped)
HEADER_SEARCH_ROWS = 30
DECLARATION_SUFFIXES = (".xlsx", ".xlsm", ".xls", ".ods", ".csv")


class DeclarationsError(ReviewError):
    """A declarations spreadsheet is missing, unreadable or has invalid rows."""

    exit_code = 2


# ---------------------------------------------------------------------------------------------------
# Flags normalised per 100 contacts
# ---------------------------------------------------------------------------------------------------
def _attribute_flags(flags: pd.DataFrame, events: pd.DataFrame) -> pd.DataFrame:
    """Flags with the agency kind, organisation and date of their trigger event (a flag belongs to the
    agency whose contact triggered it)."""
    keys = ["case_id", "event_id"]
    lookup = events[keys + [c for c in ("agency_kind", "organisation", "agency", "date") if c in events]]
    lookup = lookup.drop_duplicates(keys).rename(columns={"event_id": "trigger_event_id", "date": "event_date"})
    out = flags.merge(lookup, on=["case_id", "trigger_event_id"], how="left", validate="many_to_one")
    for col in ("agency_kind", "organisation"):
        if col in out:
            out[col] = out[col].astype("string").fillna("(unknown)")
    return out


# ---------------------------------------------------------------------------------------------------
# Organisations named only by a generic agency word ("gp" of gp.xlsx): one per case, not one across cases
# ---------------------------------------------------------------------------------------------------
#: words an agency's name or a chronology's file name holds beside its kind's keywords (vocab.yml agency_kinds)
#: and still names no organisation: "health_visiting_log", "HV chronology", "Children's social care 2023"
GENERIC_AGENCY_WORDS = frozenset("""
    health social care police education housing voluntary youth justice probation children childrens child family families
    service services team teams department dept unit agency agencies provider local authority community public
    hv hvs csc cs sc ae nhs gps visitor visitors visiting nurse nurses nursing paeds paed
    log logs chronology chronologies chron records record notes note entries entry data export extract imr imrs
    report contacts contact timeline sheet copy final draft redacted version v and the of for by to in
    """.split())


def generic_organisation(name) -> bool:
    """Whether an organisation's name is only generic agency words ("gp", "health_visiting", "Social care",
    "Police", "hv_log"): every word is one of the package vocabulary's agency-kind keywords (vocab.yml
    agency_kinds: "gp", "health visiting", "school") or of `GENERIC_AGENCY_WORDS` ("log", "chronology", "team"),
    or a number. Such a name, most often taken from a chronology's file name in a case without `files:`
    (gp.xlsx -> "gp"), says what kind of agency it is, not which one: the "gp" of two cases are two practices.
    "Hartwick Council", "Ashcombe Medical Practice", "Westshire Police" name one organisation."""
    from .config import load_vocab
    from .vocab import compile_vocab, normalise_text

    key = normalise_text(name)
    if not key:
        return False
    found = _GENERIC_NAMES.get(key)
    if found is None:
        tokens = key.split()
        vocab = compile_vocab(_package_vocab(load_vocab))
        covered = [t.isdigit() or t in GENERIC_AGENCY_WORDS for t in tokens]
        for _kind, phrases in vocab.agency_kinds:
            for start, end, _phrase in phrases.find(tokens):
                covered[start:end] = [True] * (end - start)
        found = all(covered) and key not in vocab.agencies  # a vocabulary's own agency ("NMUH") is one
        if len(_GENERIC_NAMES) > 10_000:
            _GENERIC_NAMES.clear()
        _GENERIC_NAMES[key] = found
    return found


_GENERIC_NAMES: dict[str, bool] = {}
_VOCAB: list = []


def _package_vocab(load_vocab):
    if not _VOCAB:
        _VOCAB.append(load_vocab())
    return _VOCAB[0]


def organisations_apart(timeline: pd.DataFrame) -> tuple[pd.Series, list[dict]]:
    """(each contact's organisation as the thematic tables group it, the organisations kept apart per case).

    An organisation whose name is only a generic agency word (`generic_organisation`: "gp" from gp.xlsx in a
    case without `files:`) is not pooled across cases: it is named with its case, "gp (case C000001)", so the
    "gp" of one case and the "gp" of another stay two organisations in flags_by_organisation and the assurance
    comparison; the agency-kind tables count them as before. Every other name is as written (contacts without
    one: "(unknown)"). Each item of the list: organisation (as written), case_id, label, contacts, files (the
    chronologies it came from, `source_file`, when the table has it), from_file_name (whether the name is
    its file's name: "gp" of gp.xlsx). One look at each distinct name, the labels made on its rows only."""
    names = timeline["organisation"].astype("string").fillna("(unknown)") if "organisation" in timeline \
        else pd.Series("(unknown)", index=timeline.index, dtype="string")
    distinct = names.unique()
    generic = {str(n) for n in distinct if n != "(unknown)" and generic_organisation(n)}
    if not generic or not len(timeline):
        return names, []
    apart = names.isin(generic).to_numpy(dtype=bool)
    case_ids = timeline["case_id"].astype("string").fillna("")
    spelling = organisation_names(names[apart])  # "GP" and "gp" of one case are one, under its commoner spelling
    shown = names[apart].map(spelling).astype("string")
    labels = names.copy()
    # "gp (case C000001)"; a redacted review's ids are "case 03" already: "gp (case 03)"
    cases = case_ids[apart]
    labels[apart] = shown + " (" + cases.where(cases.str.startswith("case "), "case " + cases) + ")"
    items = []
    rows = pd.DataFrame({"organisation": shown, "case_id": case_ids[apart], "label": labels[apart],
                         "file": (timeline.loc[apart, "source_file"].astype("string").fillna("")
                                  if "source_file" in timeline else pd.Series("", index=shown.index, dtype="string"))})
    for (organisation, case_id, label), group in rows.groupby(["organisation", "case_id", "label"], sort=True):
        files = sorted({f for f in group["file"].astype(str) if f})
        items.append({"organisation": str(organisation), "case_id": str(case_id), "label": str(label),
                      "contacts": len(group), "files": files,
                      "from_file_name": bool(files) and all(
                          organisation_key(Path(f).stem) == organisation_key(str(organisation)) for f in files)})
    return labels, items


def organisations_apart_notes(items: list[dict], *, redact: bool = False, shown: int = 10) -> list[str]:
    """One warning per organisation name kept apart per case (`organisations_apart`), naming its cases and
    their files: "organisation 'gp' is only a generic agency word (taken from the file name), not one
    organisation across cases: counted apart per case in flags_by_organisation.csv and the assurance comparison,
    as 'gp (case C000001)' (C000001: gp.xlsx, 12 contacts; C000002: gp.xlsx, 9 contacts); the agency-kind tables
    count them as before. Name the organisation in case.yml (files: agency) or an Organisation column". With
    `redact` a file is named only when its name is the organisation's (gp.xlsx: it says no more than "gp")."""
    by_name: dict[str, list[dict]] = {}
    for item in items:
        by_name.setdefault(item["organisation"], []).append(item)
    lines = []
    for name, group in sorted(by_name.items()):
        cases = []
        for item in group[:shown]:
            files = [f for f in item["files"] if not redact or organisation_key(Path(f).stem) == organisation_key(name)]
            cases.append(f"{item['case_id']}: " + (", ".join(files) + ", " if files else "")
                         + f"{item['contacts']} contact{'s' if item['contacts'] != 1 else ''}")
        more = f"; and {len(group) - shown} more case(s)" if len(group) > shown else ""
        origin = " (taken from the file name)" if all(i["from_file_name"] for i in group) else ""
        lines.append(f"organisation {name!r} is only a generic agency word{origin}, not one organisation across "
                     f"cases: counted apart per case in flags_by_organisation.csv and the assurance comparison, as "
                     f"{group[0]['label']!r} ({'; '.join(cases)}{more}); the agency-kind tables count them as "
                     "before. Name the organisation in case.yml (files: agency) or an Organisation column")
    return lines


#: the group of flags without a rule or a failing category (findings reviewers added under no rule)
UNLABELLED = {"rule_id": "(no rule)", "failing_category": "(not categorised)"}


def rule_ids() -> list[str]:
    """The ids of every rule of the rule set (the package's rules.yml: a case's rules.yml can switch a
    rule off or change it, never add one)."""
    from .rules.settings import package_rules

    return list(package_rules()["rules"])


#: the fewest contacts a rate per 100 contacts is given over (`flag_rates`, `assurance_vs_evidence`): below it
#: the counts stay, the rate is left empty and the row says why (`TOO_FEW_CONTACTS`); 4 flags of 3 contacts is
#: not "133 per 100 contacts"
MIN_CONTACTS_FOR_RATE = 20
#: the note on a row whose contacts are too few for a rate
TOO_FEW_CONTACTS = "too few contacts for a rate"


def check_min_contacts(value) -> int:
    """`value` as a minimum number of contacts for a rate: a whole number, at least 1. ValueError otherwise."""
    try:
        number = int(value)
    except (TypeError, ValueError):
        raise ValueError(f"the minimum number of contacts for a rate must be a whole number, got {value!r}") from None
    if isinstance(value, bool) or number != float(value) or number < 1:
        raise ValueError(f"the minimum number of contacts for a rate must be a whole number of at least 1, "
                         f"got {value!r}")
    return number


def too_few_note(min_contacts: int) -> str:
    """ "too few contacts for a rate (fewer than 20)": the note on a row below `min_contacts`."""
    return f"{TOO_FEW_CONTACTS} (fewer than {min_contacts})"


#: each share column of the thematic tables -> the count it is a share of: the small-number rule for rates
#: (`min_contacts`) applies to shares too, over that count (`small_number_shares`)
SHARE_DENOMINATORS = {
    "latency_by_agency_kind": {"within_expected_share": "concerns"},
    "sightings_by_agency_kind": {"seen_share": "contacts", "recorded_share": "contacts",
                                 "face_to_face_seen_share": "face_to_face"},
    "sightings_by_case": {"seen_share": "contacts"},
}
#: the note on a row whose share(s) are left empty: their count is below the minimum
TOO_FEW_FOR_SHARE = "too few for a share"


def small_number_shares(table: pd.DataFrame, shares: dict[str, str], *,
                        min_contacts: int = MIN_CONTACTS_FOR_RATE) -> pd.DataFrame:
    """`table` with each share of `shares` ({share column: the count column it is a share of}) left empty where
    that count is above 0 but below `min_contacts`, as `flag_rates` leaves a rate over too few contacts: 1 seen of
    2 contacts is not "50% seen". The counts stay; a ``note`` column (added, or extended) names the shares left
    empty: "too few for a share (fewer than 20): seen_share, recorded_share". A count of 0 leaves the share
    empty already (no note)."""
    min_contacts = check_min_contacts(min_contacts)
    out = table.copy()
    blanked = []
    for share, count in shares.items():
        if share not in out.columns or count not in out.columns:
            continue
        n = pd.to_numeric(out[count], errors="coerce").fillna(0).to_numpy(dtype="float64")
        few = (n > 0) & (n < min_contacts)
        out[share] = out[share].astype("Float64").mask(few)
        blanked.append((share, few))
    said = [", ".join(share for share, few in blanked if few[k]) for k in range(len(out))]
    note = [f"{TOO_FEW_FOR_SHARE} (fewer than {min_contacts}): {cols}" if cols else "" for cols in said]
    if "note" in out.columns:
        earlier = out["note"].astype("string").fillna("").tolist()
        note = ["; ".join(t for t in (e, n) if t) for e, n in zip(earlier, note)]
    out["note"] = pd.array(note, dtype="string")
    return out


#: decimal places of the thematic csvs' rates per 100 contacts and latencies in days, and of their shares (a share
#: is a fraction: 3 places are a percentage to 1 place, 0.427 = 42.7%), rounded half up (`rounded_for_csv`)
RATE_DECIMALS = 1
SHARE_DECIMALS = 3


def rounded_for_csv(table: pd.DataFrame) -> pd.DataFrame:
    """`table` with its rates (flags_per_100_contacts) and latencies in days (`LATENCY_QUANTILE_COLUMNS`) to
    `RATE_DECIMALS` places and its shares (…_share) to `SHARE_DECIMALS` (a percentage to 1 place), rounded half
    up from the number as Python writes it, so that 33.333333333333336 is 33.3 and 0.125 is 0.13 on every
    machine (a threshold the user gave is left as given). What `review thematic` writes; the tables in memory
    (and the charts) keep every digit."""
    from decimal import ROUND_HALF_UP, Decimal

    out = table.copy()
    for column in out.columns:
        places = (RATE_DECIMALS if column == "flags_per_100_contacts" or column in LATENCY_QUANTILE_COLUMNS
                  else SHARE_DECIMALS if str(column).endswith("_share") else None)
        if places is None or not (pd.api.types.is_float_dtype(out[column]) or str(out[column].dtype) == "Float64"):
            continue
        step = Decimal(1).scaleb(-places)
        values = out[column].astype("Float64")
        distinct = {v: float(Decimal(repr(float(v))).quantize(step, rounding=ROUND_HALF_UP))
                    for v in pd.unique(values.dropna().astype("float64")) if np.isfinite(v)}
        out[column] = values.map(lambda v: distinct.get(float(v), v) if pd.notna(v) else v,
                                 na_action="ignore").astype("Float64")
    return out


def flag_rates(flags: pd.DataFrame, timeline: pd.DataFrame, by: str, *,
               min_contacts: int = MIN_CONTACTS_FOR_RATE) -> pd.DataFrame:
    """Flags per 100 contacts, grouped by `by` (rule_id, failing_category, agency_kind or organisation).

    `timeline` is the timeline or contact table of the same cases (case_id, event_id, agency_kind,
    organisation). For agency kind and organisation a flag counts against the agency whose contact
    triggered it and the denominator is that group's own contacts; for rule and failing category the
    denominator is every contact. Organisations whose names differ only in case, spacing, punctuation
    or "&" / "and" are one, under their most frequent spelling (`organisation_names`); a name that is only a
    generic agency word ("gp" of gp.xlsx) is one organisation per case, "gp (case C000001)"
    (`organisations_apart`, listed in ``attrs["organisations_apart"]``).

    Which zeros are listed: a row is listed only where its zero is evidence. Every agency kind and
    organisation with contacts is listed, 0 flags included (its contacts were read by the rules and
    raised none); one without contacts never is. Every failing category and every rule of the rule set
    (`rule_ids`) is listed, with 0 flags where none fired (each rule ran over every contact, and every
    category is evidenced by a rule). The charts (`plot_flag_rates`) draw only the rows with flags.

    A rate over fewer than `min_contacts` contacts (`MIN_CONTACTS_FOR_RATE`) is not given: the row keeps its
    counts, flags_per_100_contacts is empty and ``note`` says "too few contacts for a rate (fewer than N)".

    Columns: `by`, flags, cases (with at least one such flag), contacts, flags_per_100_contacts, note;
    sorted by rate, highest first (the rows without a rate last, by name).
    """
    if by not in FLAG_GROUPINGS:
        raise ValueError(f"by must be one of {FLAG_GROUPINGS}, got {by!r}")
    min_contacts = check_min_contacts(min_contacts)
    apart: list[dict] = []
    if by == "organisation":  # a generic name ("gp" of gp.xlsx) one organisation per case, not across cases
        labels, apart = organisations_apart(timeline)
        if apart:
            timeline = timeline.assign(organisation=labels)
    if by in ("agency_kind", "organisation"):
        attributed = _attribute_flags(flags, timeline)
        # contacts with no agency kind / organisation are counted in "(unknown)", as their flags are
        groups = timeline[by].astype("string").fillna("(unknown)")
        if by == "organisation":  # one organisation however its name is spelt, as assurance_vs_evidence matches
            spelling = organisation_names(groups)
            groups = groups.map(spelling).astype("string")
            attributed[by] = attributed[by].map(spelling).fillna(attributed[by]).astype("string")
        counts = attributed.groupby(by, dropna=False).agg(flags=("rule_id", "size"), cases=("case_id", "nunique"))
        contacts = groups.groupby(groups).size().rename("contacts")
        table = contacts.to_frame().join(counts, how="outer")
    else:
        # a finding reviewers added under no rule has no category: named, not shown as a blank row
        labels = flags[by].astype("string").fillna("").replace("", UNLABELLED[by])
        table = flags.assign(**{by: labels}).groupby(by).agg(flags=("case_id", "size"), cases=("case_id", "nunique"))
        if by == "failing_category":  # every category is shown, failing or not
            table = table.reindex(sorted(set(FAILING_CATEGORIES) | set(table.index)))
        else:  # every rule of the rule set too: a rule that never fired is shown at 0, not left out
            table = table.reindex(sorted(set(rule_ids()) | set(table.index)))
        table["contacts"] = len(timeline)
    table = table.fillna({"flags": 0, "cases": 0, "contacts": 0}).astype({"flags": "int64", "cases": "int64",
                                                                          "contacts": "int64"})
    enough = table["contacts"] >= min_contacts
    rate = 100.0 * table["flags"] / table["contacts"].where(enough & (table["contacts"] > 0))
    table["flags_per_100_contacts"] = rate.astype("Float64")
    table["note"] = pd.array(np.where(enough, "", too_few_note(min_contacts)), dtype="string")
    table.index.name = by
    table = table.reset_index()[[by, "flags", "cases", "contacts", "flags_per_100_contacts", "note"]]
    table[by] = table[by].astype("string")
    table = table.sort_values(["flags_per_100_contacts", by], ascending=[False, True], kind="stable",
                              na_position="last").reset_index(drop=True)
    if by == "organisation":
        table.attrs["organisations_apart"] = apart
    return table


#: `latency_by_agency_kind`'s latency columns: quantiles over the escalated concerns only (named so in the csv)
LATENCY_QUANTILE_COLUMNS = ("escalated_median_days", "escalated_p75_days", "escalated_p90_days", "escalated_max_days")


def latency_by_agency_kind(response_latency: pd.DataFrame) -> pd.DataFrame:
    """Concern-to-escalation latency (days) by agency kind, saying what its quantiles are over.

    Columns: agency_kind; concerns (every concern the kind's contacts recorded); escalated (with a first
    escalation, `review.schema.escalated_mask`); escalated_with_days (of those, the ones with a latency in
    days: a concern or escalation dated only to the month, "Jul 2023", was escalated but has none);
    never_escalated (no escalation by any agency within the rules' response window: censored, their
    latency is unknown and at least the window, so they are counted here and are in no quantile);
    died_before_window (no escalation before the child's death, which came before the window ended:
    censored at the death, not "no escalation within 90 days", so not in never_escalated either: the chart's
    "child died first"); concerns = escalated + never_escalated + died_before_window;
    within_expected_share (of every concern); escalated_median_days, escalated_p75_days,
    escalated_p90_days, escalated_max_days (`LATENCY_QUANTILE_COLUMNS`: over the escalated_with_days
    concerns only, never over the never-escalated ones; empty when there are none). A kind where most
    concerns were never escalated can thus show a short median: read it beside never_escalated.
    """
    frame = response_latency.copy()
    frame["latency_days"] = pd.to_numeric(frame["latency_days"]).astype("float64")
    frame["_escalated"] = escalated_mask(frame)
    frame["_died"] = _died_before_window(frame)
    rows = []
    for kind, group in frame.groupby("agency_kind", sort=True):
        days = group.loc[group["_escalated"].to_numpy(dtype=bool), "latency_days"].dropna()
        within = group["within_expected"].astype("boolean")
        rows.append({
            "agency_kind": kind, "concerns": len(group), "escalated": int(group["_escalated"].sum()),
            "escalated_with_days": len(days),
            # the concerns the child's death censored are counted apart, as the chart labels them
            "never_escalated": int((~group["_escalated"] & ~group["_died"]).sum()),
            "died_before_window": int((~group["_escalated"] & group["_died"]).sum()),
            "within_expected_share": float(within.fillna(False).mean()) if len(group) else np.nan,
            "escalated_median_days": days.median() if len(days) else np.nan,
            "escalated_p75_days": days.quantile(0.75) if len(days) else np.nan,
            "escalated_p90_days": days.quantile(0.9) if len(days) else np.nan,
            "escalated_max_days": days.max() if len(days) else np.nan,
        })
    columns = ["agency_kind", "concerns", "escalated", "escalated_with_days", "never_escalated",
               "died_before_window", "within_expected_share", *LATENCY_QUANTILE_COLUMNS]
    table = pd.DataFrame(rows, columns=columns)
    return table.astype({c: "int64" for c in ("concerns", "escalated", "escalated_with_days", "never_escalated",
                                              "died_before_window")})


def _died_before_window(response_latency: pd.DataFrame) -> pd.Series:
    """Per row, whether no escalation came before the child's death within the window (the table's
    ``died_before_window``; False for a table written before it had the column)."""
    if "died_before_window" not in response_latency:
        return pd.Series(False, index=response_latency.index)
    return response_latency["died_before_window"].astype("boolean").fillna(False).astype(bool)


def rank_cases(response_latency: pd.DataFrame, flags: pd.DataFrame, timeline: pd.DataFrame | None = None, *,
               cases: pd.Series | list | None = None) -> pd.DataFrame:
    """Cases ranked by unescalated concerns (then by flags, then high-severity flags).

    unescalated_concerns: concerns with no first escalation (`review.schema.escalated_mask`; a concern
    dated "Jul 2023" and escalated on 3 Jul 2023 has no latency in days but was escalated), but those the
    child's death censored; died_before_window: the concerns with no escalation before the child died, the
    death coming before the expected action was due (`latency_by_agency_kind`'s column): no missed
    escalation that can be shown, so counted apart and not ranked on. concerns = escalated_concerns +
    unescalated_concerns + died_before_window: the denominator beside the counts, as contacts is for flags.

    Columns: rank, case_id, contacts (when `timeline` is given), concerns, escalated_concerns,
    unescalated_concerns, died_before_window, flags, high_severity_flags. `cases`: every case id to rank, those without contacts too (0 contacts);
    by default the cases of `timeline`.
    """
    escalated = np.asarray(escalated_mask(response_latency), dtype=bool)
    died = _died_before_window(response_latency).to_numpy(dtype=bool)
    latency = response_latency.assign(_escalated=escalated, _unescalated=~escalated & ~died,
                                      _died=~escalated & died).groupby("case_id").agg(
        concerns=("event_id", "size"),
        escalated_concerns=("_escalated", "sum"),
        unescalated_concerns=("_unescalated", "sum"),
        died_before_window=("_died", "sum"))
    flagged = flags.groupby("case_id").agg(
        flags=("rule_id", "size"),
        high_severity_flags=("severity", lambda s: int((s == "high").sum())))
    table = latency.join(flagged, how="outer")
    if timeline is not None:
        contacts = timeline.groupby("case_id").size().rename("contacts")
        if cases is not None:
            ids = pd.Index(pd.Series(cases, dtype="string").dropna().unique(), name="case_id")
            contacts = contacts.reindex(contacts.index.union(ids), fill_value=0)
        table = contacts.to_frame().join(table, how="left")
    # counts (an empty aggregation can come back as text columns)
    table = table.apply(pd.to_numeric, errors="coerce").fillna(0).astype("int64")
    table.index.name = "case_id"
    table = table.reset_index()
    table = table.sort_values(["unescalated_concerns", "flags", "high_severity_flags", "case_id"],
                              ascending=[False, False, False, True], kind="stable").reset_index(drop=True)
    table.insert(0, "rank", np.arange(1, len(table) + 1))
    table["case_id"] = table["case_id"].astype("string")
    return table


# ---------------------------------------------------------------------------------------------------
# Who saw the child
# ---------------------------------------------------------------------------------------------------
#: `sightings_by_agency_kind`'s count columns, one per `review.sightings.SIGHTING_STATUSES` (same order)
SIGHTING_COUNTS = ("seen_recorded", "seen_read", "not_seen_recorded", "not_seen_read", "unknown")
_COUNT_OF_STATUS = dict(zip(SIGHTING_STATUSES, SIGHTING_COUNTS))


#: contact types at which the child is there to be seen: a visit, an appointment, an attendance or admission,
#: an assessment or enquiry, a medical, a police call-out or arrest at the home (not a phone call, a letter,
#: a referral or a meeting of professionals, where no sighting is expected)
FACE_TO_FACE_TYPES = ("home_visit", "clinic_appointment", "ae_attendance", "admission", "assessment", "s47_enquiry",
                      "cp_medical", "police_callout", "arrest")


def missed_face_to_face(timeline: pd.DataFrame, missed_types=None) -> np.ndarray:
    """Per row of a timeline (contact_type; concerns when there), whether it is a planned face-to-face contact
    that did not take place: the child not brought, no access at a visit. As the rules read a missed contact
    (`review.rules.base.missed_contacts`): typed was_not_brought ("Attended: No" types a no-access visit so),
    or tagged was_not_brought and of one of `missed_types` (settings.missed_contact_types, default
    `review.rules.base.MISSED_CONTACT_TYPES`: an appointment "DNA", a home visit "no access", an untyped
    `other` row); not a letter, a phone call, a discharge reporting earlier missed contacts. Each distinct
    concerns cell is read once."""
    from .rules.base import MISSED_CONTACT_TYPES

    if "contact_type" not in timeline.columns or not len(timeline):
        return np.zeros(len(timeline), dtype=bool)
    types = timeline["contact_type"].astype("string")
    out = (types == "was_not_brought").fillna(False).to_numpy(dtype=bool)
    if "concerns" in timeline.columns:
        codes, uniques = pd.factorize(timeline["concerns"].astype(object).fillna("").to_numpy(dtype=object))
        tagged = np.array(["was_not_brought" in {t.strip() for t in str(u).split(";")} for u in uniques]
                          + [False], dtype=bool)[codes]
        of_type = types.isin(list(MISSED_CONTACT_TYPES if missed_types is None else missed_types)).fillna(False)
        out |= tagged & of_type.to_numpy(dtype=bool)
    return out


def has_sightings(timeline: pd.DataFrame) -> bool:
    """Whether `timeline` holds what the sighting tables need: case_id, agency_kind, date and child_seen
    (child_seen_inferred, the timeline's reading of a blank cell, is used when it is there)."""
    return {"case_id", "agency_kind", "date", "child_seen"} <= set(timeline.columns)


def sightings_by_agency_kind(timeline: pd.DataFrame) -> pd.DataFrame:
    """Who saw the child, by agency kind: how many of each kind's contacts recorded the child seen.

    Each contact counts once, under its status (`review.sightings.sighting_status`): the Child seen cell as
    recorded (seen_recorded, not_seen_recorded), else the timeline's reading of the row's type and text
    where the cell is blank (seen_read, not_seen_read: child_seen_inferred; a timeline or contact table
    without it has none), else unknown.

    Columns: agency_kind, contacts, the five counts (`SIGHTING_COUNTS`), seen_share (seen, recorded or
    read, per contact), recorded_share (contacts with a Child seen cell filled, yes or no, per contact:
    how often the agency wrote down whether it saw the child at all), face_to_face (contacts of a type at
    which the child is there to be seen, `FACE_TO_FACE_TYPES`: not a phone call or a letter; a school's
    or a nursery's record of the child in its setting, `review.sightings.present_in_setting`; and a planned
    face-to-face contact that did not take place, `missed_face_to_face`), face_to_face_missed (of those, the
    missed ones: the child not brought, no access at a visit; counted as contacts at which the child was not
    seen, whether an "Attended: No" typed the row was_not_brought or a "Child seen: No" left it a home
    visit), face_to_face_seen_share (of the face-to-face contacts, missed ones included, the share with the
    child seen; NA without a contact_type column or such contacts), cases. Every kind with a contact is listed, sorted by face_to_face_seen_share, then
    seen_share, lowest first (the kinds that least often saw the child when it was there to be seen at the
    top; a kind's phone calls and letters do not pull it up the list); contacts with no agency kind count
    under "(unknown)".
    """
    columns = ["agency_kind", "contacts", *SIGHTING_COUNTS, "seen_share", "recorded_share", "face_to_face",
               "face_to_face_missed", "face_to_face_seen_share", "cases"]
    if timeline.empty:
        return pd.DataFrame({c: pd.Series(dtype="string" if c == "agency_kind" else
                                          "Float64" if c.endswith("share") else "int64") for c in columns})
    status = pd.Series(sighting_status(timeline), index=timeline.index).map(_COUNT_OF_STATUS)
    kind = timeline["agency_kind"].astype("string").fillna("(unknown)").replace("", "(unknown)")
    counts = pd.crosstab(kind, status).reindex(columns=list(SIGHTING_COUNTS), fill_value=0).astype("int64")
    counts.columns.name = None
    table = counts.assign(contacts=counts.sum(axis=1),
                          cases=timeline["case_id"].astype("string").groupby(kind).nunique().astype("int64"))
    seen = table["seen_recorded"] + table["seen_read"]
    table["seen_share"] = (seen / table["contacts"]).astype("Float64")
    table["recorded_share"] = ((table["seen_recorded"] + table["not_seen_recorded"]) / table["contacts"]).astype("Float64")
    if "contact_type" in timeline.columns:
        in_person = timeline["contact_type"].astype("string").isin(FACE_TO_FACE_TYPES).fillna(False).to_numpy(dtype=bool)
        # a school's or a nursery's record of the child in its setting, typed `other` ("Tyler arrived hungry",
        # "bruise noticed in class"), not its phone calls or letters (`review.sightings.present_in_setting`)
        in_person = in_person | present_in_setting(timeline)
        seen_at = status.isin(["seen_recorded", "seen_read"]).to_numpy()
        # a visit or an appointment that did not take place (not brought, no access) is a face-to-face contact
        # at which the child was not seen: left out, an agency whose babies went unseen read as seeing them
        missed = missed_face_to_face(timeline) & ~seen_at
        in_person = in_person | missed
        seen_there = in_person & seen_at
        by_kind = pd.DataFrame({"face_to_face": in_person.astype("int64"), "missed": missed.astype("int64"),
                                "there": seen_there.astype("int64")}, index=timeline.index).groupby(kind).sum()
        table["face_to_face"] = by_kind["face_to_face"]
        table["face_to_face_missed"] = by_kind["missed"].astype("Int64")
        table["face_to_face_seen_share"] = (by_kind["there"] / table["face_to_face"].where(table["face_to_face"] > 0)
                                            ).astype("Float64")
        table["face_to_face"] = table["face_to_face"].astype("Int64")
    else:
        table["face_to_face"] = pd.array([pd.NA] * len(table), dtype="Int64")
        table["face_to_face_missed"] = pd.array([pd.NA] * len(table), dtype="Int64")
        table["face_to_face_seen_share"] = pd.array([pd.NA] * len(table), dtype="Float64")
    table.index.name = "agency_kind"
    table = table.reset_index()[columns]
    table["agency_kind"] = table["agency_kind"].astype("string")
    return table.sort_values(["face_to_face_seen_share", "seen_share", "agency_kind"], kind="stable",
                             na_position="last").reset_index(drop=True)


def sightings_by_case(timeline: pd.DataFrame, *, cases: pd.Series | list | None = None,
                      deaths=None) -> pd.DataFrame:
    """Per case: how often, and how long apart, any agency saw the child.

    Columns: case_id, contacts, seen (contacts with the child seen, recorded or read: `review.sightings.
    seen_mask`), seen_share, first_contact, last_contact, longest_unseen_days, longest_unseen_from,
    longest_unseen_to. longest_unseen_days is the most days in the case's span of contacts during which no
    agency recorded seeing the child: from the first contact, or from a sighting, to the next sighting, or to
    the last contact (all of it when the child was never seen); its from / to are that period's ends. A date
    known only to its month or year (date_precision; "approximate": a month either side) is read as the
    rules read a sighting (`review.rules.child_not_seen`): a gap runs from the latest day the period before
    it could end on to the earliest day the next could start on, so it is never longer than certain.
    first_contact / last_contact are the case's earliest and latest dates as recorded. `cases`: every case id
    to list, those without dated contacts too (0 contacts, the rest empty). `deaths`: each case's date of
    death (case.yml `date_of_death`; a mapping or Series by case id, NaT / missing for none): no period in which
    the child could have been seen runs past it, so the span of contacts closes there (a contact after the
    death, a GP letter, a post-mortem report, is no time unseen); last_contact stays as recorded. Sorted by
    longest_unseen_days, longest first.
    """
    from .rules.base import _period_bounds
    from .sightings import seen_mask
    from .timeline import APPROXIMATE_SPAN_DAYS

    columns = ["case_id", "contacts", "seen", "seen_share", "first_contact", "last_contact", "longest_unseen_days",
               "longest_unseen_from", "longest_unseen_to"]
    day = pd.Series(pd.to_datetime(timeline["date"]).to_numpy(dtype="datetime64[ns]"))
    precision = (timeline["date_precision"].astype("string").fillna("day").reset_index(drop=True)
                 if "date_precision" in timeline.columns else pd.Series("day", index=day.index, dtype="string"))
    first_day, last_day = _period_bounds(day, precision, APPROXIMATE_SPAN_DAYS)
    # first_contact / last_contact are days (a contact's time of day is dropped), as the other date columns
    # of the thematic tables: not "2020-09-07" beside "2021-10-24 01:30:00"
    frame = pd.DataFrame({"case_id": timeline["case_id"].astype("string").to_numpy(), "date": day.dt.normalize().to_numpy(),
                          # whole days: a period's days are counted between dates, a contact's time of day dropped
                          "start": first_day.dt.normalize().to_numpy(), "end": last_day.dt.normalize().to_numpy(),
                          "seen": seen_mask(timeline) if len(timeline) else np.zeros(0, dtype=bool)})
    contacts = frame.groupby("case_id").size()
    seen = frame.groupby("case_id")["seen"].sum()
    dated = frame[frame["date"].notna()]
    ends = dated.groupby("case_id").agg(first_contact=("date", "min"), last_contact=("date", "max"),
                                        opens=("end", "min"), closes=("start", "max"))
    if deaths is not None and len(ends):
        deaths = pd.Series(deaths, dtype=object).rename(index=str)
        death = pd.to_datetime(deaths[~deaths.index.duplicated()].reindex(ends.index.astype(str))
                               ).to_numpy(dtype="datetime64[ns]")
        closes = ends["closes"].to_numpy(dtype="datetime64[ns]")
        # (a case whose every contact came after the death: no span, closed where it opens)
        bound = np.maximum(np.minimum(closes, death), ends["opens"].to_numpy(dtype="datetime64[ns]"))
        ends["closes"] = np.where(np.isnat(death), closes, bound)
    # the anchors of a case, as (earliest, latest day): its contacts' span opening on the first day a contact
    # is certain and closing on the last day one could start, and every sighting; a gap runs from the latest
    # day of every anchor before it (a running maximum) to the earliest day of the next
    anchors = pd.concat([
        pd.DataFrame({"case_id": ends.index, "start": ends["opens"].to_numpy(), "end": ends["opens"].to_numpy()}),
        pd.DataFrame({"case_id": ends.index, "start": ends["closes"].to_numpy(), "end": ends["closes"].to_numpy()}),
        dated.loc[dated["seen"], ["case_id", "start", "end"]],
    ], ignore_index=True).sort_values(["case_id", "start", "end"], kind="stable").reset_index(drop=True)
    anchors = anchors[anchors["start"] <= anchors["case_id"].map(ends["closes"])]  # a sighting past the span's close
    anchors = anchors.reset_index(drop=True)
    before = anchors.groupby("case_id")["end"].cummax().groupby(anchors["case_id"]).shift()
    anchors["from"] = before
    anchors["days"] = (anchors["start"] - anchors["from"]).dt.days.clip(lower=0)
    gaps = anchors.dropna(subset=["from"]).sort_values(["case_id", "days", "from"], ascending=[True, False, True],
                                                       kind="stable").drop_duplicates("case_id").set_index("case_id")
    table = pd.DataFrame({"contacts": contacts, "seen": seen})
    if cases is not None:
        ids = pd.Index(pd.Series(cases, dtype="string").dropna().unique(), name="case_id")
        table = table.reindex(table.index.union(ids))
    table = table.join(ends[["first_contact", "last_contact"]])
    table["longest_unseen_days"] = gaps["days"]
    # days, as first_contact and last_contact (a contact's time of day dropped: not "2023-07-20 02:15:00")
    table["longest_unseen_from"] = pd.to_datetime(gaps["from"]).dt.normalize()
    table["longest_unseen_to"] = pd.to_datetime(gaps["start"]).dt.normalize()
    measured = table.index.isin(ends.index) & table["longest_unseen_days"].isna().to_numpy()
    table.loc[measured, "longest_unseen_days"] = 0  # one day only (or every day seen): no period
    table["contacts"] = table["contacts"].fillna(0).astype("int64")
    table["seen"] = table["seen"].fillna(0).astype("int64")
    table["seen_share"] = (table["seen"] / table["contacts"].where(table["contacts"] > 0)).astype("Float64")
    table["longest_unseen_days"] = table["longest_unseen_days"].astype("Int64")
    table.index.name = "case_id"
    table = table.reset_index()[columns]
    table["case_id"] = table["case_id"].astype("string")
    return table.sort_values(["longest_unseen_days", "case_id"], ascending=[False, True], kind="stable",
                             na_position="last").reset_index(drop=True)


def counted_flags(flags: pd.DataFrame, include_rejected: bool = False,
                  timeline: pd.DataFrame | None = None) -> pd.DataFrame:
    """The flags a thematic review counts: the rules' flags and the findings reviewers added, without
    the flags the reviewers rejected (decision "rejected", kept in the case's decisions.csv), which
    they judged not to be a missed escalation. ``attrs["rejected"]``: how many were left out.

    With `timeline` (or the contacts: case_id, event_id), the findings reviewers added on a contact the
    case does not have (a typo, or data changed since: `review build` lists it as a problem with the
    decisions) are not counted either: they have no date and no agency. ``attrs["unknown_contact"]``:
    how many were left out."""
    keep = np.ones(len(flags), dtype=bool)
    rejected = unknown = 0
    if not include_rejected and "decision" in flags.columns:
        is_rejected = (flags["decision"].astype("string").fillna("") == "rejected").to_numpy()
        keep &= ~is_rejected
        rejected = int(is_rejected.sum())
    if timeline is not None and len(flags) and "trigger_event_id" in flags.columns:
        if "source" in flags.columns:
            added = (flags["source"].astype("string").fillna("") == "reviewer").to_numpy()
        else:
            added = (flags.get("decision", pd.Series("", index=flags.index)).astype("string") == "added").to_numpy()
        if added.any():
            known = pd.MultiIndex.from_arrays([timeline["case_id"].astype(str), timeline["event_id"].astype(str)])
            candidates = flags[added]
            found = pd.MultiIndex.from_arrays([candidates["case_id"].astype(str),
                                               candidates["trigger_event_id"].astype("string").fillna("").astype(str)]
                                              ).isin(known)
            missing = np.zeros(len(flags), dtype=bool)
            missing[np.flatnonzero(added)[~found]] = True
            unknown = int((missing & keep).sum())
            keep &= ~missing
    out = flags.copy() if keep.all() else flags[keep].reset_index(drop=True)
    out.attrs["rejected"] = rejected
    out.attrs["unknown_contact"] = unknown
    return out


def thematic_tables(flags: pd.DataFrame, timeline: pd.DataFrame, response_latency: pd.DataFrame, *,
                    include_rejected: bool = False, cases: pd.Series | list | None = None,
                    min_contacts: int = MIN_CONTACTS_FOR_RATE, deaths=None) -> dict[str, pd.DataFrame]:
    """Every thematic table, keyed by the name `review thematic` writes it under. Flags the reviewers
    rejected, and findings they added on contacts the case does not have, are not counted (the rejected
    ones are with `include_rejected`; `counted_flags`). `cases`: every case id of the review (the store's
    case table), so that a case without an accepted contact is ranked too, with 0 contacts. `min_contacts`:
    the fewest contacts a rate is given over (`flag_rates`), and the fewest contacts (face-to-face contacts,
    concerns) a share is given over (`small_number_shares`, `SHARE_DENOMINATORS`: the row keeps its counts and
    its ``note`` says which shares are left empty). `deaths`: each case's date of death, by case id
    (`sightings_by_case`).

    With a timeline that says whether the child was seen (`has_sightings`: child_seen, and the timeline's
    reading of a blank cell, child_seen_inferred, when present), also who saw the child:
    ``sightings_by_agency_kind`` and ``sightings_by_case``."""
    flags = counted_flags(flags, include_rejected, timeline)
    tables = {f"flags_by_{by}": flag_rates(flags, timeline, by, min_contacts=min_contacts) for by in FLAG_GROUPINGS}
    tables["latency_by_agency_kind"] = latency_by_agency_kind(response_latency)
    tables["cases_ranked"] = rank_cases(response_latency, flags, timeline, cases=cases)
    if has_sightings(timeline):
        tables["sightings_by_agency_kind"] = sightings_by_agency_kind(timeline)
        tables["sightings_by_case"] = sightings_by_case(timeline, cases=cases, deaths=deaths)
    # the small-number rule of the rates applies to the shares too (`small_number_shares`)
    for name, shares in SHARE_DENOMINATORS.items():
        if name in tables:
            tables[name] = small_number_shares(tables[name], shares, min_contacts=min_contacts)
    if "sightings_by_agency_kind" in tables:  # its order, by the shares as shown: those left empty last
        tables["sightings_by_agency_kind"] = tables["sightings_by_agency_kind"].sort_values(
            ["face_to_face_seen_share", "seen_share", "agency_kind"], kind="stable", na_position="last"
        ).reset_index(drop=True)
    return tables


# ---------------------------------------------------------------------------------------------------
# Assurance against evidence
# ---------------------------------------------------------------------------------------------------
def _normalise_header(text) -> str:
    return " ".join(str(text or "").replace("_", " ").strip().rstrip(":*").strip().lower().split())


def read_declarations(path: str | Path) -> pd.DataFrame:
    """Read organisations' declared compliance from a spreadsheet: xlsx, xlsm, xls, ods or csv.

    Columns (common spellings accepted): organisation, year, standard, declared status (compliant /
    not compliant / insufficient assurance, with common variants such as "non-compliant" or "partially
    compliant"). The file goes through the same readers, and the same safety checks, as agency
    chronologies. Every visible sheet whose first rows hold such a header is read, so a workbook with
    a sheet per year reads whole (a sheet without a year column whose name is a year, "2023" or
    "2023-24", declares that year; failing that, a file whose name gives one year does,
    "declarations_2008.csv", and a note says so); title rows above the header, blank rows and repeated
    headers are skipped, and a cell merged over several rows (one organisation over its standards) counts
    for each of them. A year may be 2023, or a financial year (1 April - 31 March: NHS and council returns)
    written "2023/24", "2023-24", "2023/2024", "FY2023/24" or "FY23/24". A date (a date cell, or text
    "31/03/2024" or "2024-03-31") follows the file's own convention: when every other year of the file
    (its year cells that are not dates, and the names of the sheets that declare a year) is a financial
    year ("2007/08", "FY07/08"), the date is the financial year it falls in (31/03/2024 is 2023/24,
    01/04/2024 2024/25); when every one is a calendar year ("2007"), the date is its calendar year
    (31/03/2024 is 2024); when the file has no other year, or writes them both ways, the financial year it
    falls in (the default: declarations are most often made for financial years). A note says which
    reading was used, and for which cells ("31/03/2008 as 2008"). An empty year cell is an error naming its
    row and column.

    Returns one row per declaration (organisation, year (text: "2023", or "2023/24" for a financial
    year however it was written), standard, declared_status, source_sheet,
    source_row); ``frame.attrs["notes"]`` says what was not read and why (hidden sheets, sheets
    without such a header, declarations repeated word for word) and how dates in the year column were read. Every problem in the rows (an empty
    or unreadable field, one declaration made twice with different statuses) is reported at once in a
    `DeclarationsError` naming the file, and each offending sheet, row (as the spreadsheet numbers it)
    and column. A file that cannot be read at all gives the readers' error (`review.ingest`), naming it.
    """
    import datetime as dt

    from .config import CaseConfig, FileSpec
    from .ingest.readers import read_tables

    path = Path(path)
    if not path.exists():
        raise DeclarationsError("declarations file not found", file=path)
    if path.suffix.lower() not in DECLARATION_SUFFIXES:
        raise DeclarationsError("declarations must be an .xlsx, .xls, .ods or .csv file", file=path)
    holder = CaseConfig(case_dir=path.parent, case_id="declarations", date_of_birth=dt.date(2000, 1, 1))
    tables = read_tables(path, FileSpec(path=str(path)), holder)
    file_years = _file_name_years(path.name)
    file_year = file_years[0] if len(file_years) == 1 else None  # used only for a sheet with no year column

    notes: list[str] = []
    problems: list[tuple[str, int, str, str]] = []  # (sheet, row, column header, message)
    rows: list[tuple] = []
    first_seen: dict[tuple, tuple[str, str, int]] = {}  # key -> (status, sheet, row)
    repeated = 0
    closest = None  # (columns found, sheet, row number, header cells) of the best header-like row
    read_any = False
    # a date in the year column follows the file's own convention: its other years (the year cells that
    # are not dates, and the names of the sheets that declare a year) all financial ("2007/08") -> the
    # financial year the date falls in, all calendar ("2007") -> its calendar year; no evidence, or both
    # ways -> the financial year (the default, declarations being most often made for financial years)
    dates_financial, convention = _dates_convention(_year_evidence(tables))
    dates_financial = dates_financial is not False
    dates_read: list[str] = []  # "31/03/2008 as 2007/08", for the note
    for table in tables:
        label = f"sheet {table.sheet!r}" if table.sheet else "the file"
        if table.hidden:
            notes.append(f"{label}: hidden, not read")
            continue
        if not any(v is not None for row in table.rows for v in row):
            continue
        found, index, columns, names = _declarations_header(table)
        sheet_year = None  # a sheet per year without a year column: the year its name gives
        year_from_file = False  # ... or, failing that, the one year the file's name gives
        if not found and set(DECLARATION_COLUMNS) - set(columns) == {"year"}:
            sheet_year = _declared_year(table.sheet) if table.sheet else None
            if sheet_year is None and file_year is not None:
                sheet_year, year_from_file = file_year, True
            found = sheet_year is not None
        if not found:  # no header: its closest row is kept for the error when no sheet has one
            if closest is None or len(columns) > len(closest[0]):
                closest = (columns, table.sheet, table.row_numbers[index], table.rows[index])
            if table.sheet and set(DECLARATION_COLUMNS) - set(columns) == {"year"}:
                notes.append(f"{label}: no year column, and its name is not a year (e.g. 2023 or 2023-24), "
                             "not read")
            else:
                notes.append(f"{label}: no header row naming organisation, year, standard and declared status "
                             f"in its first {HEADER_SEARCH_ROWS} rows, not read")
            continue
        read_any = True
        if year_from_file:
            notes.append(f"{label}: no year column, the year {sheet_year} taken from the file's name "
                         f"{path.name!r}")
        elif sheet_year is not None:
            notes.append(f"{label}: no year column, the year {sheet_year} taken from the sheet's name")
        if index:
            notes.append(f"{label}: {index} row(s) above the header (row {table.row_numbers[index]}) skipped")
        header_keys = [_normalise_header(v) for v in table.rows[index]]
        for cells, number in zip(table.rows[index + 1:], table.row_numbers[index + 1:]):
            values = {key: cells[c] if c < len(cells) else None for key, c in columns.items()}
            texts = {key: _cell_text(v) for key, v in values.items()}
            if not any(texts.values()):
                continue  # a blank row
            if [_normalise_header(v) for v in cells] == header_keys:
                continue  # the header repeated (a printed page, a block per year)
            organisation, standard = texts["organisation"], texts["standard"]
            if not organisation:
                problems.append((table.sheet, number, names["organisation"],
                                 "organisation is empty (write it on every row, or merge its cells over its rows)"))
            year = sheet_year if sheet_year is not None else _declared_year(values["year"], dates_financial)
            if sheet_year is None and year is not None and _is_date_cell(values["year"]):
                written = values["year"]
                dates_read.append(f"{written:%d/%m/%Y} as {year}" if isinstance(written, dt.date)
                                  else f"{texts['year']} as {year}")
            if year is None and not texts["year"]:
                problems.append((table.sheet, number, names["year"],
                                 "year is empty (write it on every row, e.g. 2023, or 2023/24 for a financial "
                                 "year)"))
            elif year is None:
                problems.append((table.sheet, number, names["year"],
                                 f"year {texts['year']!r} is not a year (e.g. 2023, or 2023/24 for a "
                                 "financial year; a date, 31/03/2024, is the financial year it falls in)"))
            if not standard:
                problems.append((table.sheet, number, names["standard"], "standard is empty"))
            status = _STATUS_ALIASES.get(_normalise_header(texts["declared_status"]))
            if status is None:
                problems.append((table.sheet, number, names["declared_status"],
                                 f"declared status {texts['declared_status']!r} is not one of "
                                 f"{', '.join(DECLARED_STATUSES)}"))
            if not (organisation and year is not None and standard and status):
                continue
            # matched as assurance_vs_evidence matches them: spelling variants of one organisation or
            # standard are one declaration, and contradicting it is an error
            key = (organisation_key(organisation), year, standard_key(standard))
            if key in first_seen:
                earlier_status, earlier_sheet, earlier_row = first_seen[key]
                if earlier_status == status:
                    repeated += 1
                    continue
                where = f"sheet {earlier_sheet!r} row {earlier_row}" if earlier_sheet else f"row {earlier_row}"
                problems.append((table.sheet, number, names["declared_status"],
                                 f"{organisation}, {year}, {standard!r} is declared {status} here but "
                                 f"{earlier_status} in {where}"))
                continue
            first_seen[key] = (status, table.sheet, number)
            rows.append((organisation, year, standard, status, table.sheet, number))
    if not read_any:
        found, sheet, row, cells = closest if closest is not None else ({}, tables[0].sheet if tables else "", 1, [])
        missing = [c for c in DECLARATION_COLUMNS if c not in found]
        shown = ", ".join(str(c) for c in cells if c not in (None, "")) or "none"
        hint = ""
        if missing == ["year"]:
            hint = (" (or name each sheet by the year it declares, e.g. 2023 or 2023-24)" if sheet else
                    " (or name the file by the one year it declares, e.g. declarations_2023-24.csv)")
            if file_years:
                hint += (f"; the file's name {path.name!r} gives more than one year: "
                         + ", ".join(file_years) if len(file_years) > 1 else "")
        raise DeclarationsError(f"missing column(s) {', '.join(missing)}; found {shown}{hint}",
                                file=path, sheet=sheet or None, row=row)
    if problems:
        sheet, row, column, message = problems[0]

        def where(p):
            return (f"sheet {p[0]!r} " if p[0] else "") + f"row {p[1]} {p[2]!r}: {p[3]}"

        more = (f" (and {len(problems) - 1} more: " + "; ".join(map(where, problems[1:6]))
                + (", ..." if len(problems) > 6 else "") + ")") if len(problems) > 1 else ""
        error = DeclarationsError(message + more, file=path, sheet=sheet or None, row=row, column=column)
        error.problems = problems
        raise error
    if dates_read:
        notes.append(_dates_note(dates_read, convention))
    if repeated:
        notes.append(f"{repeated} declaration(s) repeated word for word (same organisation, year, standard "
                     "and status) counted once")
    frame = pd.DataFrame(rows, columns=[*DECLARATION_COLUMNS, "source_sheet", "source_row"])
    for col in ("organisation", "year", "standard", "declared_status", "source_sheet"):
        frame[col] = frame[col].astype("string")
    frame["source_row"] = frame["source_row"].astype("int64")
    frame.attrs["notes"] = notes
    return frame


def _year_evidence(tables) -> list:
    """The year cells of the sheets `read_declarations` reads (those below a declarations header), and the
    names of the sheets without a year column that it reads as their year: what `_dates_convention` reads
    a file's convention from."""
    evidence = []
    for table in tables:
        if table.hidden:
            continue
        found, index, columns, _ = _declarations_header(table)
        if found:
            at = columns["year"]
            evidence += [cells[at] for cells in table.rows[index + 1:] if at < len(cells)]
        elif table.sheet and set(DECLARATION_COLUMNS) - set(columns) == {"year"}:
            evidence.append(table.sheet)
    return evidence


def _declarations_header(table) -> tuple[bool, int, dict[str, int], dict[str, str]]:
    """(found, row index, {column: cell index}, {column: header text}) of the sheet's declarations
    header; when the sheet has none (found False), of its row naming the most columns (the first row
    when none names any)."""
    best: tuple[bool, int, dict, dict] = (False, 0, {}, {})
    for index, cells in enumerate(table.rows[:HEADER_SEARCH_ROWS]):
        columns, names = {}, {}
        for position, cell in enumerate(cells):
            key = _normalise_header(cell) if isinstance(cell, str) else ""
            for canonical, aliases in _HEADER_ALIASES.items():
                if key and key in aliases and canonical not in columns:
                    columns[canonical], names[canonical] = position, str(cell).strip()
        if len(columns) == len(DECLARATION_COLUMNS):
            return True, index, columns, names
        if len(columns) > len(best[2]):
            best = (False, index, columns, names)
    return best


def _cell_text(value) -> str:
    if value is None or (isinstance(value, (float, np.floating)) and np.isnan(value)) or value is pd.NA \
            or value is pd.NaT:
        return ""  # an empty cell, however a reader gives it (never 'nan')
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).strip()


#: a year as written: 2023, a span of two years (2023/24, 2023-24, 2023/2024: a financial year), or
#: FY2023/24 (the span is required after "FY")
_YEAR_TEXT = re.compile(r"(FY\s*)?(\d{4}|(?<=FY)\d{2}|(?<=FY )\d{2})(?:\s*[/-]\s*(\d{4}|\d{2}))?", re.IGNORECASE)
#: a date written as text in a year cell: 31/03/2024, 31-03-2024, 31.03.2024, 2024-03-31 (an ISO date, with
#: or without a time): the financial year it falls in
_DATE_TEXT = re.compile(
    r"(?P<d>\d{1,2})\s*(?P<s>[/.\-])\s*(?P<m>\d{1,2})\s*(?P=s)\s*(?P<y>\d{4})"
    r"|(?P<iy>\d{4})-(?P<im>\d{1,2})-(?P<id>\d{1,2})(?:[T ]\d{1,2}:\d{2}(?::\d{2}(?:\.\d+)?)?)?")
#: a year in a file's name ("declarations_2008.csv", "returns-2023-24.xlsx", "s11_FY2018-19.csv")
_FILE_YEAR = re.compile(r"(?<![A-Za-z0-9])((?:FY\s*)?(?:19|20)\d{2}(?:[-_]\d{2}(?:\d{2})?)?)(?![0-9])", re.IGNORECASE)
#: the month a financial year starts (1 April: NHS annual returns, councils' and police returns)
FINANCIAL_YEAR_START_MONTH = 4


def _year_period(value, dates_financial: bool = True) -> tuple[int, bool] | None:
    """(first year, financial) of the year a cell gives, None when it gives none. 2023, 2023.0 and
    "2023" are the calendar year 2023; "2023/24", "2023-24", "2023/2024", "2023-2024" and "FY2023/24"
    are the financial year 1 April 2023 - 31 March 2024 (the second year must be the next one: "2023/25"
    is no year). A date (a date cell, or text "31/03/2024", "2024-03-31") is the financial year it falls
    in (31/03/2024 is 2023/24), or with `dates_financial` False its calendar year (2024): the reading
    follows the file's own convention (`_dates_convention`)."""
    import datetime as dt

    financial = False
    if isinstance(value, (dt.date, dt.datetime)):
        return _date_period(value.year, value.month, dates_financial)
    elif isinstance(value, bool) or value is None:
        return None
    elif isinstance(value, (int, float, np.integer, np.floating)):
        if not np.isfinite(value) or not float(value).is_integer():
            return None
        year = int(value)
    else:
        text = str(value).strip()
        date = _DATE_TEXT.fullmatch(text)
        if date is not None:
            day, month, year = ((date["d"], date["m"], date["y"]) if date["d"] is not None
                                else (date["id"], date["im"], date["iy"]))
            try:
                dt.date(int(year), int(month), int(day))
            except ValueError:
                return None  # "31/02/2024": no date
            return _date_period(int(year), int(month), dates_financial)
        match = _YEAR_TEXT.fullmatch(text)
        if match is None:
            return None
        fy, first, second = match.groups()
        if len(first) == 2:  # "FY18/19": a two-digit year only after "FY", and only with its span
            if second is None or len(second) != 2:
                return None
            first = str(2000 + int(first))
        year = int(first)
        if second is not None:
            following = int(second) if len(second) == 4 else (year // 100) * 100 + int(second)
            if len(second) == 2 and following < year:  # 1999/00
                following += 100
            if following != year + 1:
                return None
            financial = True
        elif fy:
            return None  # "FY2023": which financial year is ambiguous
    return (year, financial) if 1990 <= year <= 2100 else None


def _date_period(year: int, month: int, financial: bool = True) -> tuple[int, bool] | None:
    """The financial year (1 April - 31 March) a date falls in: declarations are made for financial years,
    and a date in a year column is most often the year's end (31/03/2008 is 2007/08) or its start; with
    `financial` False (a file that writes its other years as calendar years) its calendar year."""
    if not financial:
        return (year, False) if 1990 <= year <= 2100 else None
    first = year if month >= FINANCIAL_YEAR_START_MONTH else year - 1
    return (first, True) if 1990 <= first <= 2100 else None


def _is_date_cell(value) -> bool:
    """Whether a year cell is written as a date (a date cell, or text "31/03/2024", "2024-03-31")."""
    import datetime as dt

    if isinstance(value, (dt.date, dt.datetime)):
        return True
    return isinstance(value, str) and _DATE_TEXT.fullmatch(value.strip()) is not None


def _dates_convention(values) -> tuple[bool | None, str]:
    """How a file writes its years, read from its year cells that are not dates (`values`: the cells,
    and the sheet names that give a year): (True, "financial (e.g. FY07/08)", with the
    file's first such year) when every such year is a financial year
    ("2007/08", "FY07/08"), (False, "calendar (e.g. 2007)") when every one is a calendar year ("2007"),
    and (None, "none") when there is none or (None, "mixed") when it writes both. A date in the year column
    is read by it: True, the financial year it falls in; False, its calendar year; None, the financial
    year (the default: declarations are most often made for financial years)."""
    kinds: dict[bool, str] = {}  # financial -> the first year written so
    for value in values:
        if _is_date_cell(value):
            continue
        period = _year_period(value)
        if period is not None and period[1] not in kinds:
            kinds[period[1]] = _cell_text(value)
    if len(kinds) == 1:
        (financial, example), = kinds.items()
        return financial, f"{'financial' if financial else 'calendar'} (e.g. {example})"
    return None, "mixed" if kinds else "none"


def _dates_note(dates: list[str], convention: str) -> str:
    """The note `read_declarations` gives when year cells are dates: which reading was used and why."""
    shown = ", ".join(dates[:3]) + (f" and {len(dates) - 3} more" if len(dates) > 3 else "")
    count = f"{len(dates)} year cell(s) written as a date ({shown})"
    if convention.startswith(("financial", "calendar")):
        kind, example = convention.split(" ", 1)
        return f"{count} read as the {kind} year each falls in, as the file's other years are {kind} years {example}"
    why = ("the file writes its other years both as calendar and as financial years" if convention == "mixed"
           else "the file has no other year to show whether it uses calendar or financial years")
    return f"{count} read as the financial year each falls in (1 April - 31 March, the default): {why}"


def _file_name_years(name: str) -> list[str]:
    """The years (as shown: "2008", "2008/09") a file's name gives ("declarations_2008.csv" -> ["2008"]),
    each once; a name that holds a date or anything else that is not a year gives none for that part."""
    stem = Path(name).stem
    years = []
    for match in _FILE_YEAR.finditer(stem):
        written = match.group(1).replace("_", "-")
        year = _declared_year(written)
        if year is not None and year not in years:
            years.append(year)
    return years


def year_label(period: tuple[int, bool]) -> str:
    """How a year is shown: "2023" (calendar) or "2023/24" (financial)."""
    year, financial = period
    return f"{year}/{(year + 1) % 100:02d}" if financial else str(year)


def _declared_year(value, dates_financial: bool = True) -> str | None:
    """The year a cell gives as it is shown ("2023", or "2023/24" for a financial year written any of
    the ways `_year_period` reads, a date as `dates_financial` says); None when it gives none."""
    period = _year_period(value, dates_financial)
    return None if period is None else year_label(period)


def evidence_years(dates: pd.Series, financial: bool) -> pd.Series:
    """The year (Int64; <NA> for no date) each date falls in: its calendar year, or with `financial`
    the first year of its financial year (1 April - 31 March: 2019-03-31 is in 2018/19)."""
    dates = pd.to_datetime(dates)
    years = dates.dt.year.astype("Int64")
    if financial:
        years = years - (dates.dt.month < FINANCIAL_YEAR_START_MONTH).astype("int64").to_numpy()
    return years


def standard_key(standard: str) -> str:
    """A standard's name for matching: regardless of case, spacing, punctuation and "&" / "and"
    ("Escalation & child  protection procedures." is "Escalation and child protection procedures")."""
    text = str(standard).casefold().replace("&", " and ")
    return " ".join(_NOT_NAME.sub(" ", text).split())


def standard_category(standard: str, mapping: dict[str, str] | None = None) -> str | None:
    """The failing category that evidences a declared standard (a category name is its own standard),
    matched by `standard_key`."""
    mapping = {standard_key(k): v for k, v in (mapping or STANDARD_CATEGORIES).items()}
    key = standard_key(standard)
    if key in mapping:
        return mapping[key]
    categories = {standard_key(c): c for c in FAILING_CATEGORIES}
    return categories.get(key)


def check_threshold(value) -> float:
    """`value` as a threshold of flags per 100 contacts: a finite number, not negative (NaN compares
    false with every rate, so it would quietly find no disagreement; so would infinity). ValueError
    otherwise."""
    try:
        number = float(value)
    except (TypeError, ValueError):
        raise ValueError(f"the threshold must be a number of flags per 100 contacts, got {value!r}") from None
    if isinstance(value, bool) or not np.isfinite(number):
        raise ValueError(f"the threshold must be a finite number of flags per 100 contacts, got {value!r}")
    if number < 0:
        raise ValueError(f"the threshold must not be negative, got {value!r}")
    return number


def assurance_vs_evidence(declarations: pd.DataFrame, flags: pd.DataFrame, timeline: pd.DataFrame, *,
                          threshold_per_100: float = 1.0, min_flags: int = 1,
                          standards: dict[str, str] | None = None, include_rejected: bool = False,
                          min_contacts: int = MIN_CONTACTS_FOR_RATE) -> pd.DataFrame:
    """Declarations beside the evidence: flags per organisation, year and failing category.

    For each declaration the standard is mapped to a failing category (`standards`, default
    `STANDARD_CATEGORIES`; a failing category name is accepted as a standard) and the flags of that
    category triggered by the organisation's contacts in that year are counted, per 100 of its
    contacts that year. A year is a calendar year (2023, 1 January - 31 December) or a financial year
    ("2023/24" and the other spellings `read_declarations` reads: 1 April 2023 - 31 March 2024), and
    ``year`` is kept as declared. ``disagreement`` is true where the organisation declared itself compliant but
    the evidence shows failings: at least `min_flags` flags and more than `threshold_per_100` per 100
    contacts; it is missing (pd.NA, blank in the csv) where there is no rate to judge by (too few
    contacts, none, organisation not in the cases, standard no rule evidences): no evidence either way. ``assessment`` says it in words: "disagree: declared compliant, failings found",
    "consistent", "failings found (not declared compliant)", "no evidence (no contacts)" (none that
    year), "too few contacts for a rate (fewer than N)" (fewer than `min_contacts` that year,
    `MIN_CONTACTS_FOR_RATE`: the counts stay, no rate, not judged a disagreement), "organisation not in
    the cases" or "standard not evidenced by the rules" (these last two, "no evidence" and "too few
    contacts" have no ``flags_per_100_contacts``, and `plot_assurance` does not draw them).

    Every declaration keeps its row (each is accounted for), but a zero is shown only where it is
    evidence: ``flags`` is 0 for an organisation with contacts that year and a standard a rule evidences
    (its contacts were read and raised no such flag: a declared compliance borne out), and empty where
    there was nothing to count (no contacts that year, organisation not in the cases, standard no rule
    evidences).

    Organisations are matched by name regardless of case, spacing, punctuation and "&" / "and"
    (`organisation_key`); ``organisation_in_cases`` gives the name as the cases write it. The declared
    organisations no case names are in ``attrs["unmatched"]``: {name: the closest names in the cases}.
    Flags the reviewers rejected are not evidence unless `include_rejected` (`counted_flags`).
    """
    threshold_per_100 = check_threshold(threshold_per_100)
    min_contacts = check_min_contacts(min_contacts)
    periods = {}  # each year as declared -> (first year, financial)
    declared_years = pd.unique(declarations["year"].astype(object))
    # a date given as a year (a table built by hand: `read_declarations` gives years as text) follows the
    # table's own convention, as `read_declarations` reads one (`_dates_convention`)
    dates_financial = _dates_convention([v for v in declared_years if isinstance(v, str) or not pd.isna(v)])[0]
    for value in declared_years:
        empty = value is None or (not isinstance(value, str) and pd.isna(value)) or not str(value).strip()
        period = None if empty else _year_period(value, dates_financial is not False)
        if period is None:
            at = declarations["year"].isna() if empty and not isinstance(value, str) else (
                declarations["year"].astype(object) == value)
            rows = [str(r) for r in declarations.loc[at.to_numpy(), "source_row"].tolist()[:5]] \
                if "source_row" in declarations.columns else []
            where = f" (row {', '.join(rows)})" if rows else ""
            what = "has no year" if empty else f"year {value!r} is not a year"
            raise DeclarationsError(f"a declaration{where} {what} (e.g. 2023, or 2023/24 for a financial year)")
        periods[value] = period

    labels, apart = organisations_apart(timeline)  # "gp" of two cases: two organisations, "gp (case ...)"
    if apart:
        timeline = timeline.assign(organisation=labels)
    evidence = _attribute_flags(counted_flags(flags, include_rejected, timeline), timeline)
    evidence["org_key"] = [organisation_key(o) for o in evidence["organisation"].astype(str)]
    flag_dates = evidence.get("trigger_date", evidence.get("event_date"))
    names = timeline["organisation"].astype("string").fillna("(unknown)").astype(str)
    spelling = organisation_names(names)
    known = {organisation_key(name): name for name in spelling.values()}  # key -> the name as the cases write it
    org_keys = names.map({name: organisation_key(name) for name in names.unique()})

    def counted(keys: pd.DataFrame, dates, name: str) -> pd.Series:
        """Counts by (*keys, financial, year): each row once in its calendar year, once in its financial year."""
        parts = [keys.assign(financial=financial, year=evidence_years(dates, financial).to_numpy())
                 for financial in (False, True)]
        return pd.concat(parts, ignore_index=True).groupby([*keys.columns, "financial", "year"]).size().rename(name)

    flag_counts = counted(evidence[["org_key", "failing_category"]].reset_index(drop=True), flag_dates, "flags")
    contact_counts = counted(pd.DataFrame({"org_key": org_keys.to_numpy()}), timeline["date"], "contacts")

    out = declarations.copy()
    out["failing_category"] = [standard_category(s, standards) for s in out["standard"]]
    out["failing_category"] = out["failing_category"].astype("string")
    declared_keys = [organisation_key(o) for o in out["organisation"].astype(str)]
    out["organisation_in_cases"] = pd.array([known.get(k, "") for k in declared_keys], dtype="string")
    declared = [periods[v] for v in out["year"].astype(object)]
    first_years = [p[0] for p in declared]
    financial = [p[1] for p in declared]
    key = pd.MultiIndex.from_arrays([declared_keys, financial, first_years])
    out["contacts"] = contact_counts.reindex(key).fillna(0).astype("int64").to_numpy()
    flag_key = pd.MultiIndex.from_arrays([declared_keys, out["failing_category"].fillna("").astype(str).tolist(),
                                          financial, first_years])
    flag_count = flag_counts.reindex(flag_key).fillna(0).astype("int64")
    # a zero only where it is evidence: contacts that year, and a standard a rule evidences (a standard no
    # rule evidences has 0 flags that are not "no failings": plotted at 0 it read as compliance borne out)
    evidenced = ((out["contacts"] > 0) & out["failing_category"].notna()).to_numpy(dtype=bool)
    out["flags"] = pd.array(np.where(evidenced, flag_count.to_numpy(), 0), dtype="Int64")
    out.loc[~evidenced, "flags"] = pd.NA
    enough = evidenced & (out["contacts"] >= min_contacts).to_numpy(dtype=bool)
    rate = 100.0 * out["flags"].astype("float64") / out["contacts"].where(enough)
    out["flags_per_100_contacts"] = rate.astype("Float64")
    failings = (out["flags"].fillna(0) >= min_flags) & (rate.fillna(0) > threshold_per_100)
    compliant = out["declared_status"] == "compliant"
    # judged only where there is a rate to judge by: with too few contacts (or none, or a standard no rule
    # evidences) there is no evidence either way, so missing (blank in the csv), not "no disagreement"
    out["disagreement"] = (compliant & failings).astype("boolean").where(pd.Series(enough, index=out.index))
    unknown = out["organisation_in_cases"] == ""
    assessment = np.select(
        [out["failing_category"].isna(), unknown.to_numpy(), out["contacts"] == 0, ~enough,
         compliant & failings, failings],
        ["standard not evidenced by the rules", "organisation not in the cases", "no evidence (no contacts)",
         too_few_note(min_contacts), "disagree: declared compliant, failings found",
         "failings found (not declared compliant)"],
        default="consistent")
    out["assessment"] = pd.array(assessment, dtype="string")
    out["threshold_per_100"] = threshold_per_100
    out["min_contacts"] = min_contacts
    # years sorted as years (a calendar year before the financial year it starts), whatever their type
    out["_first_year"], out["_financial"] = first_years, financial
    out = out.sort_values(["disagreement", "flags_per_100_contacts", "organisation", "_first_year", "_financial",
                           "standard"], ascending=[False, False, True, True, True, True], kind="stable",
                          na_position="last").drop(columns=["_first_year", "_financial"]).reset_index(drop=True)
    import difflib

    out.attrs["organisations_apart"] = apart
    out.attrs["unmapped_standards"] = sorted(set(out.loc[out["failing_category"].isna(), "standard"].astype(str)))
    out.attrs["unmatched"] = {
        name: [known[k] for k in difflib.get_close_matches(organisation_key(name), list(known), n=2, cutoff=0.6)]
        for name in sorted(set(out.loc[out["organisation_in_cases"] == "", "organisation"].astype(str)))}
    # a declared name that is a generic agency word the cases use too ("gp"): the cases' are kept apart per case
    # ("gp (case C000001)"), none of them is the declared one
    out.attrs["unmatched_generic"] = {
        name: sorted({i["label"] for i in apart if organisation_key(i["organisation"]) == organisation_key(name)})
        for name in out.attrs["unmatched"]
        if any(organisation_key(i["organisation"]) == organisation_key(name) for i in apart)}
    return out


def assurance_summary(assurance: pd.DataFrame, *, shown: int = 10) -> list[str]:
    """What `review thematic` says of an `assurance_vs_evidence` table, one line each (notebook 05 shows
    the same): how many declarations disagree of those that could be assessed (a rate to judge by: "0 of 0
    assessable ... (37 declared; not assessable: 37 fewer than 20 contacts that year (no rate))"), the declared
    standards no rule evidences (not assessed)
    and the declared organisations no case names, with the closest names the cases use (the first
    `shown`, then how many more)."""

    def first(names: list[str]) -> str:
        return ", ".join(names[:shown]) + (f" and {len(names) - shown} more" if len(names) > shown else "")

    declared = len(assurance)
    disagree = int(assurance["disagreement"].astype("boolean").fillna(False).sum())
    apart: list[tuple[int, str]] = []
    if "assessment" in assurance.columns and declared:
        # the declarations with nothing to set beside them, so that "0 of 200" is not read as 200 assessed
        said = assurance["assessment"].astype("string").fillna("")
        too_few = said.str.startswith(TOO_FEW_CONTACTS)
        said = said.value_counts()
        fewest = (f"fewer than {int(assurance['min_contacts'].iloc[0])} contacts that year (no rate)"
                  if "min_contacts" in assurance.columns else "too few contacts that year for a rate")
        apart = [(int(said.get(k, 0)), words) for k, words in (
            ("organisation not in the cases", "organisation not in the cases"),
            ("no evidence (no contacts)", "no contacts that year"),
            ("standard not evidenced by the rules", "standard no rule evidences"))]
        apart.insert(2, (int(too_few.sum()), fewest))
        apart = [(n, words) for n, words in apart if n]
        assessable = declared - sum(n for n, _ in apart)
    else:  # a table without assessments: those judged either way
        assessable = int(assurance["disagreement"].notna().sum())
    # the denominator is what could be assessed (a rate to judge by), not every declaration: "0 of 37 disagree"
    # read as 37 borne out when none of the 37 had enough contacts for a rate
    line = f"{disagree} of {assessable} assessable declarations disagree with the evidence"
    if not assessable and declared:
        line += ": none could be assessed"
    if apart:
        line += (f" ({declared} declared; not assessable: " + ", ".join(f"{n} {words}" for n, words in apart) + ")")
    lines = [line]
    unmapped = assurance.attrs.get("unmapped_standards", [])
    if unmapped:
        lines.append(f"{len(unmapped)} declared standard(s) no rule evidences (not assessed): "
                     f"{first([repr(s) for s in unmapped])}")
    unmatched = assurance.attrs.get("unmatched", {})
    generic = assurance.attrs.get("unmatched_generic", {})
    for name, closest in list(unmatched.items())[:shown]:
        if generic.get(name):
            lines.append(f"declared organisation {name!r} is only a generic agency word: the cases' {name!r} are "
                         f"kept apart per case ({first(generic[name])}), none of them is the one declared")
            continue
        hint = f" (closest in the cases: {', '.join(closest)})" if closest else ""
        lines.append(f"declared organisation {name!r} is not in the cases{hint}")
    if len(unmatched) > shown:
        lines.append(f"and {len(unmatched) - shown} more declared organisation(s) not in the cases "
                     "(assurance_vs_evidence.csv: 'organisation not in the cases')")
    return lines


_NOT_NAME = re.compile(r"[^\w\s]")


def organisation_names(names: pd.Series) -> dict[str, str]:
    """{name as written: the name its organisation is shown under}: the most frequent of the spellings
    `organisation_key` makes one ("Glenham Council" for "GLENHAM  COUNCIL" too), ties by name."""
    counts = names.astype("string").dropna().value_counts(sort=False)
    best: dict[str, tuple[int, str]] = {}
    for name, count in counts.items():
        key = organisation_key(name)
        if key not in best or (-count, name) < (-best[key][0], best[key][1]):
            best[key] = (int(count), name)
    return {name: best[organisation_key(name)][1] for name in counts.index}


def organisation_key(name: str) -> str:
    """An organisation's name for matching: "Brookford Hospitals NHS Trust", "brookford hospitals nhs
    trust" and "Brookford  Hospitals N.H.S. Trust" are one; "A & B" and "A and B" too."""
    text = str(name).casefold().replace("&", " and ")
    return " ".join(_NOT_NAME.sub("", text).split())


# ---------------------------------------------------------------------------------------------------
# Charts
# ---------------------------------------------------------------------------------------------------
_GROUP_TITLES = {"rule_id": "rule", "failing_category": "failing category", "agency_kind": "agency kind",
                 "organisation": "organisation"}


def plot_flag_rates(rates: pd.DataFrame, by: str, *, top: int = 25,
                    min_contacts: int | None = None) -> Figure:
    """Horizontal bars of flags per 100 contacts for the `top` groups of a `flag_rates` table.

    Only what carries information is drawn: a group with no flags (a bar of zero length; the table lists
    it) and a group with too few contacts for a rate (fewer than `min_contacts`, by default the table's
    own minimum, `MIN_CONTACTS_FOR_RATE`: no rate in the table) are left out, and the title says how many.
    The table itself keeps every group."""
    title = f"Flags per 100 contacts by {_GROUP_TITLES.get(by, by)}"
    if min_contacts is None:
        min_contacts = MIN_CONTACTS_FOR_RATE
    rated = rates["flags_per_100_contacts"].notna() & (rates["contacts"] >= min_contacts)
    no_flags = rated & (rates["flags"] == 0)
    data = rates[rated & ~no_flags]
    too_few = int((~rated & (rates["contacts"] > 0)).sum())
    # the title says when not every group is drawn (more than `top` of them, no flags, or too few contacts)
    notes = [f"top {top} of {len(data)}"] if len(data) > top else []
    if too_few:
        notes.append(f"{too_few} with fewer than {min_contacts} contacts not shown")
    if int(no_flags.sum()):
        notes.append(f"{int(no_flags.sum())} with no flags not shown")
    if notes:
        title += f" ({'; '.join(notes)})"
    data = data.head(top)
    if data.empty:
        return _empty_figure(title, "No flags over enough contacts for a rate." if len(rates) else "No contacts.")
    with house_style():
        fig = Figure(figsize=(8, 1.2 + 0.28 * len(data)), layout="constrained")
        ax = fig.add_subplot()
        labels = [_label(v) if by == "rule_id" else str(v) for v in data[by]]
        y = np.arange(len(data))[::-1]
        colours = [KIND_COLOURS.get(str(v), OK) for v in data[by]] if by == "agency_kind" else OK
        bars = ax.barh(y, data["flags_per_100_contacts"].astype(float), color=colours, edgecolor="black", linewidth=0.4)
        for bar, (_, row) in zip(bars, data.iterrows()):
            bar.set_gid(f"bar:{row[by]}")
            ax.text(bar.get_width(), bar.get_y() + bar.get_height() / 2, f" {row['flags']:,} / {row['contacts']:,}",
                    va="center", fontsize=6, color=NEUTRAL)
        ax.set_yticks(y, labels)
        ax.set_xlabel("flags per 100 contacts (label: flags / contacts)")
        ax.margins(x=0.15)
        _suptitle(fig, title)
    fig.review_alt_text = f"{title}: " + "; ".join(
        f"{label} {rate:.2f}" for label, rate in zip(labels, data["flags_per_100_contacts"].astype(float)))
    return fig


def plot_latency_by_agency_kind(response_latency: pd.DataFrame) -> Figure:
    """Box plots of concern-to-escalation latency (days) per agency kind, with the never-escalated share."""
    title = "Concern to escalation: days, by agency kind"
    frame = response_latency.assign(latency_days=pd.to_numeric(response_latency["latency_days"]).astype(float),
                                    _escalated=escalated_mask(response_latency),
                                    _died=_died_before_window(response_latency).to_numpy(dtype=bool))
    kinds = sorted(frame["agency_kind"].dropna().unique())
    if not kinds:
        return _empty_figure(title, "No concerns recorded.")
    with house_style():
        fig = Figure(figsize=(8, 1.2 + 0.45 * len(kinds)), layout="constrained")
        ax = fig.add_subplot()
        data = [frame.loc[frame["agency_kind"] == k, "latency_days"].dropna().to_numpy() for k in kinds]
        y = np.arange(len(kinds))[::-1]
        box = ax.boxplot([d if len(d) else [np.nan] for d in data], positions=y, orientation="horizontal",
                         widths=0.6, patch_artist=True, showfliers=True,
                         flierprops={"marker": "d", "markersize": 3, "markerfacecolor": NEUTRAL, "markeredgewidth": 0})
        for patch, kind in zip(box["boxes"], kinds):
            patch.set_facecolor(KIND_COLOURS.get(kind, OKABE_ITO["grey"]))
            patch.set_alpha(0.8)
            patch.set_gid(f"box:{kind}")
        for median in box["medians"]:
            median.set_color("white")
            median.set_linewidth(1.5)
        # the median also as a marker: a box of zero width (every concern escalated the same day) stays visible
        medians = [np.median(d) if len(d) else np.nan for d in data]
        ax.plot(medians, y, linestyle="none", marker="D", markersize=5, markerfacecolor="white",
                markeredgecolor="black", label="median", gid="medians")
        ax.legend(loc="lower right")
        labels = []
        for k, d in zip(kinds, data):
            total = int((frame["agency_kind"] == k).sum())
            of_kind = frame.loc[frame["agency_kind"] == k]
            never = int((~of_kind["_escalated"]).sum())  # escalated: a latency or not
            # none before the child's death, within the window: censored at the death, not never escalated
            died = int((~of_kind["_escalated"] & of_kind["_died"]).sum())
            labels.append(f"{k}\n{never - died}/{total} never escalated"
                          + (f", {died} child died first" if died else ""))
        ax.set_yticks(y, labels)
        ax.set_xlabel("days from concern to first escalation (escalated concerns only; the never escalated are "
                      "counted in the labels)")
        _suptitle(fig, title)
    fig.review_alt_text = title + ": " + "; ".join(
        f"{k} median {np.median(d):.0f} days" if len(d)
        else (f"{k} no latency in days (dates to the month or year)"
              if frame.loc[frame["agency_kind"] == k, "_escalated"].any() else f"{k} none escalated")
        for k, d in zip(kinds, data))
    return fig


def plot_case_ranking(ranking: pd.DataFrame, *, top: int = 20) -> Figure:
    """The `top` cases by unescalated concerns (bars) with their flags (diamonds); the concerns the child's death
    censored (died_before_window) stacked after them in grey, apart; each case's label gives the denominators:
    "3/11 concerns unescalated · 13 contacts" (and "1 child died first")."""
    title = "Cases with most unescalated concerns"
    if len(ranking) > top:  # "top 20" only when some are not drawn, and of how many
        title += f" (top {top} of {len(ranking)})"
    data = ranking.head(top)
    if data.empty:
        return _empty_figure(title, "No cases.")
    died = (data["died_before_window"] if "died_before_window" in data
            else pd.Series(0, index=data.index)).astype("int64")
    with house_style():
        fig = Figure(figsize=(8, 1.2 + 0.42 * len(data)), layout="constrained")
        ax = fig.add_subplot()
        y = np.arange(len(data))[::-1]
        ax.barh(y, data["unescalated_concerns"], color=ALERT, hatch="///", edgecolor="black", linewidth=0.4,
                label="unescalated concerns", gid="bars:unescalated")
        if died.any():
            ax.barh(y, died, left=data["unescalated_concerns"], color="#BBBBBB", hatch="....", edgecolor="black",
                    linewidth=0.4, label="not escalated before the child died (censored)", gid="bars:died")
        ax.plot(data["flags"], y, linestyle="none", marker="D", color=OK, markersize=5, label="flags", gid="points:flags")
        labels = []
        for row, d in zip(data.itertuples(), died):
            of = f"/{row.concerns}" if "concerns" in data else ""
            label = f"{row.case_id}\n{row.unescalated_concerns}{of} concerns unescalated"
            if "contacts" in data:
                label += f" · {row.contacts:,} contacts"
            labels.append(label + (f", {d} child died first" if d else ""))
        ax.set_yticks(y, labels)
        ax.set_xlabel("count (label: unescalated / concerns · contacts)")
        ax.legend(loc="lower right")
        _suptitle(fig, title)
    fig.review_alt_text = title + ": " + "; ".join(
        f"{r.case_id} {r.unescalated_concerns}" + (f" of {r.concerns}" if "concerns" in data else "") + " concerns unescalated"
        + (f" ({d} not escalated before the child died)" if d else "") + f", {r.flags} flags"
        for r, d in zip(data.itertuples(), died))
    return fig


#: (count column, legend label, colour, hatch) of each sighting status, as the case report's density chart draws
#: them: a read status in a lighter shade of the recorded one and hatched differently (reads in greyscale)
_SIGHTING_STYLES = (
    ("seen_recorded", "seen (recorded)", OK, None),
    ("seen_read", "seen (read from the text)", _READ_SEEN, "\\\\"),
    ("not_seen_recorded", "not seen (recorded)", ALERT, "////"),
    ("not_seen_read", "not seen (read from the text)", _READ_NOT_SEEN, "xx"),
    ("unknown", "not recorded either way", "#BBBBBB", "...."),
)


def plot_sightings_by_agency_kind(table: pd.DataFrame, *, min_contacts: int | None = None) -> Figure:
    """Stacked horizontal bars: each agency kind's contacts by whether the child was seen (a
    `sightings_by_agency_kind` table), as shares of its contacts, the kinds that least often saw the child
    at the top; the label gives seen / contacts, and the face-to-face share's seen / face-to-face contacts.

    The small-number rule of the rates (`small_number_shares`), with `min_contacts` (`thematic_figures` gives the
    run's, `review thematic --min-contacts`): a kind with fewer contacts is not drawn (the title says how many),
    and its face-to-face share only over at least as many face-to-face contacts (a table from `thematic_tables`
    has such a share left empty already). None: every kind is drawn."""
    title = "Was the child seen? Contacts by agency kind"  # the table's order: least seen face to face first
    if min_contacts is None:
        min_contacts = 1
    present = table[table["contacts"] > 0]
    data = present[present["contacts"] >= min_contacts]
    if len(data) < len(present):
        title += f" ({len(present) - len(data)} with fewer than {min_contacts} contacts not shown)"
    if data.empty:
        return _empty_figure(title, "No agency kind with enough contacts for a share." if len(present)
                             else "No contacts.")
    with house_style():
        fig = Figure(figsize=(8, 1.6 + 0.4 * len(data)), layout="constrained")
        ax = fig.add_subplot()
        y = np.arange(len(data))[::-1]
        left = np.zeros(len(data))
        total = data["contacts"].to_numpy(dtype=float)
        for column, label, colour, hatch in _SIGHTING_STYLES:
            share = data[column].to_numpy(dtype=float) / total
            if column in ("seen_read", "not_seen_read") and not share.any():
                continue  # no bar nor legend entry for a reading no contact needed
            bars = ax.barh(y, share, left=left, color=colour, hatch=hatch, label=label,
                           edgecolor="white" if hatch is None else "black", linewidth=0.3)
            for bar, kind in zip(bars.patches, data["agency_kind"]):
                bar.set_gid(f"sighting:{column}:{kind}")
            left += share
        face = _face_share(data, min_contacts)
        if face.notna().any():
            # where the child was there to be seen: the sort's key, a diamond on the bar
            ax.plot(face.astype("float64").to_numpy(), y, linestyle="none", marker="D",
                    markersize=6, markerfacecolor="white", markeredgecolor="black",
                    label="seen at its face-to-face contacts (missed ones, not brought or no access, as not seen; "
                          "not calls or letters)", gid="points:face_to_face",
                    clip_on=False, zorder=5)
        seen = (data["seen_recorded"] + data["seen_read"]).to_numpy()
        there = _face_counts(data)
        for yi, s, n, f, (fs, fn) in zip(y, seen, data["contacts"], face, there):
            label = f"{s:,} / {n:,}" + (f"; ◆ {fs:,} / {fn:,}" if pd.notna(f) else "")
            ax.text(1.01, yi, label, va="center", fontsize=6, color=NEUTRAL)
        ax.set_yticks(y, data["agency_kind"].astype(str))
        ax.set_xlim(0, 1)
        ax.xaxis.set_major_formatter(lambda v, _: f"{v:.0%}")
        ax.set_xlabel("share of the agency kind's contacts (label: child seen / contacts; ◆ seen / face-to-face)")
        fig.legend(loc="outside lower center", ncols=3, frameon=False)
        _suptitle(fig, title)
    missed = data["face_to_face_missed"] if "face_to_face_missed" in data else pd.Series(pd.NA, index=data.index)
    fig.review_alt_text = f"{title}: " + "; ".join(
        f"{k} saw the child at {s:,} of {n:,} contacts ({s / n:.0%})"
        + (f", {f:.0%} of its face-to-face contacts" if pd.notna(f) else "")
        + (f" ({int(m):,} of them missed: not brought, no access)" if pd.notna(f) and pd.notna(m) and m else "")
        for k, s, n, f, m in zip(data["agency_kind"], seen, data["contacts"], face, missed))
    return fig


def _face_share(data: pd.DataFrame, min_contacts: int) -> pd.Series:
    """The face-to-face seen share of each row of a sightings table, left empty over fewer than `min_contacts`
    face-to-face contacts."""
    if "face_to_face_seen_share" not in data:
        return pd.Series(pd.NA, index=data.index, dtype="Float64")
    share = data["face_to_face_seen_share"].astype("Float64")
    if "face_to_face" in data:
        share = share.mask(pd.to_numeric(data["face_to_face"], errors="coerce").fillna(0) < min_contacts)
    return share


def _face_counts(data: pd.DataFrame) -> list[tuple[int, int]]:
    """(seen face to face, face-to-face contacts) of each row, from its share (the table has no count of the
    first): the n beside the chart's face-to-face diamond."""
    if "face_to_face" not in data or "face_to_face_seen_share" not in data:
        return [(0, 0)] * len(data)
    out = []
    for share, n in zip(data["face_to_face_seen_share"], data["face_to_face"]):
        n = 0 if pd.isna(n) else int(n)
        out.append((0 if pd.isna(share) else int(round(float(share) * n)), n))
    return out


def plot_longest_unseen(table: pd.DataFrame, *, top: int = 20) -> Figure:
    """The `top` cases by their longest period without any agency seeing the child (a `sightings_by_case`
    table): bars of days, the never-seen cases hatched in vermillion."""
    title = "Longest period without the child seen, by case"
    data = table.dropna(subset=["longest_unseen_days"])
    if len(data) > top:
        title += f" (top {top} of {len(data)})"
    data = data.head(top)
    if data.empty:
        return _empty_figure(title, "No dated contacts.")
    with house_style():
        fig = Figure(figsize=(8, 1.4 + 0.28 * len(data)), layout="constrained")
        ax = fig.add_subplot()
        y = np.arange(len(data))[::-1]
        days = data["longest_unseen_days"].to_numpy(dtype=float)
        never = (data["seen"] == 0).to_numpy()
        ax.barh(y[~never], days[~never], color=OK, edgecolor="black", linewidth=0.4,
                label="a case where the child was seen at some contact", gid="bars:seen")
        if never.any():
            ax.barh(y[never], days[never], color=ALERT, hatch="///", edgecolor="black", linewidth=0.4,
                    label="a case where no contact recorded the child seen", gid="bars:never_seen")
        ax.set_yticks(y, data["case_id"].astype(str))
        ax.set_xlabel("days without any agency seeing the child (between its first and last contacts)")
        ax.legend(loc="lower right")
        _suptitle(fig, title)
    fig.review_alt_text = title + ": " + "; ".join(
        f"{r.case_id} {int(r.longest_unseen_days)} days" + (" (never seen)" if r.seen == 0 else "")
        for r in data.itertuples())
    return fig


_STATUS_STYLE = {  # colour and marker: the status reads without colour
    "compliant": (OKABE_ITO["blue"], "o"),
    "not compliant": (OKABE_ITO["orange"], "s"),
    "insufficient assurance": (OKABE_ITO["reddish_purple"], "^"),
}


def plot_assurance(assurance: pd.DataFrame, *, top: int = 30) -> Figure:
    """Declared status against evidence: flags per 100 contacts for each declaration with flags (the `top`
    by rate), marker and colour by declared status, disagreements ringed in vermillion, the threshold
    dashed.

    Only what carries information is drawn: a declaration with a rate and at least one flag. One with no
    flags (a zero the table keeps: compliance borne out) would only pad the chart at 0, and one without a
    rate (no contacts, too few for a rate, standard no rule evidences) has nothing to draw; the title says
    how many are not shown."""
    title = "Declared compliance against evidence of failings"
    rated = assurance.dropna(subset=["flags_per_100_contacts"])
    no_flags = int((rated["flags"].fillna(0) == 0).sum()) if "flags" in rated else 0
    data = rated[rated["flags"].fillna(0) > 0] if "flags" in rated else rated
    notes = []
    if len(data) > top:  # the table's order: disagreements first, then by rate
        notes.append(f"{top} of {len(data)} with flags: disagreements first, then highest rate")
    if no_flags:
        notes.append(f"{no_flags} with no flags not shown")
    if notes:
        title += f" ({'; '.join(notes)})"
    data = data.head(top)
    if data.empty:
        return _empty_figure(title, "No declaration has flags to set beside it." if no_flags
                             else "No declaration has evidence to set beside it.")
    with house_style():
        fig = Figure(figsize=(9, 1.4 + 0.26 * len(data)), layout="constrained")
        ax = fig.add_subplot()
        y = np.arange(len(data))[::-1]
        x = data["flags_per_100_contacts"].astype(float).to_numpy()
        for status, (colour, marker) in _STATUS_STYLE.items():
            sel = (data["declared_status"] == status).to_numpy()
            if sel.any():
                ax.plot(x[sel], y[sel], linestyle="none", marker=marker, color=colour, markersize=6,
                        label=f"declared {status}", gid=f"status:{status}")
        dis = data["disagreement"].fillna(False).to_numpy(dtype=bool)
        if dis.any():
            ax.plot(x[dis], y[dis], linestyle="none", marker="o", markersize=12, markerfacecolor="none",
                    markeredgecolor=ALERT, markeredgewidth=1.5, label="disagreement", gid="disagreement")
        if {"flags", "contacts"} <= set(data.columns):  # n beside every rate
            for xi, yi, flagged, contacts in zip(x, y, data["flags"], data["contacts"]):
                ax.annotate(f"{int(flagged):,} / {int(contacts):,}", (xi, yi), xytext=(9, 0), textcoords="offset points",
                            va="center", fontsize=6, color=NEUTRAL)  # clear of the disagreement's ring
        ax.margins(x=0.15)
        threshold = float(data["threshold_per_100"].iloc[0]) if "threshold_per_100" in data else 1.0
        ax.axvline(threshold, color=NEUTRAL, linestyle="--", linewidth=0.8)
        labels = [f"{r.organisation} {r.year} · {r.standard}" for r in data.itertuples()]
        ax.set_yticks(y, [lab if len(lab) < 70 else lab[:69] + "…" for lab in labels])
        ax.set_xlabel("flags of the standard's failing category per 100 of the organisation's contacts that year\n"
                      "(label: flags / contacts)")
        handles, names = ax.get_legend_handles_labels()
        handles.append(Line2D([], [], color=NEUTRAL, linestyle="--"))
        names.append(f"threshold ({threshold:g})")
        fig.legend(handles, names, loc="outside lower center", ncols=len(names))
        _suptitle(fig, title)
    fig.review_alt_text = f"{title}: {int(dis.sum())} of {len(data)} declarations shown disagree with the evidence"
    return fig


def thematic_figures(tables: dict[str, pd.DataFrame], response_latency: pd.DataFrame,
                     assurance: pd.DataFrame | None = None, *,
                     min_contacts: int = MIN_CONTACTS_FOR_RATE) -> dict[str, Figure]:
    """One figure per thematic table, keyed by file stem. `min_contacts`: as the tables were made with
    (`thematic_tables`): the rate charts leave out the groups with fewer contacts."""
    figures = {f"flags_by_{by}": plot_flag_rates(tables[f"flags_by_{by}"], by, min_contacts=min_contacts)
               for by in FLAG_GROUPINGS}
    figures["latency_by_agency_kind"] = plot_latency_by_agency_kind(response_latency)
    figures["cases_ranked"] = plot_case_ranking(tables["cases_ranked"])
    if "sightings_by_agency_kind" in tables:
        figures["sightings_by_agency_kind"] = plot_sightings_by_agency_kind(tables["sightings_by_agency_kind"],
                                                                            min_contacts=min_contacts)
    if "sightings_by_case" in tables:
        figures["sightings_by_case"] = plot_longest_unseen(tables["sightings_by_case"])
    if assurance is not None:
        figures["assurance_vs_evidence"] = plot_assurance(assurance)
    return figures
