"""Rule configuration: the package defaults (review/data/rules.yml) merged with a case's rules.yml.

A case can switch a rule off (`enabled: false`), override its severity, failing category and
parameters (directly under the rule id or under `params:`), and override `settings`. Unknown rule ids,
parameter names or settings are a `ConfigError` naming the file, so a typo never silently keeps a default;
so are values a rule could not use: numbers that are not finite, absurdly large or (for counts and days)
not whole, and names outside their vocabulary (concern tags, escalations, contact types, agency kinds, a
rule's choices such as `trigger`).
"""
from __future__ import annotations

import copy
import datetime as dt
import math
from pathlib import Path

from ..config import case_file, load_yaml, package_data
from ..errors import ConfigError
from ..schema import AGENCY_KINDS, CONCERN_TAGS, CONTACT_TYPES, ESCALATIONS, FAILING_CATEGORIES, SEVERITIES

RULES_FILE = "rules.yml"
RULE_KEYS = ("enabled", "severity", "failing_category", "source", "params")

#: the largest number a setting may have: a century of days (a deadline must stay a date pandas can hold)
MAX_NUMBER = 36_500
#: numbers of months are at most a century too (calendar months are added to dates of birth)
MAX_MONTHS = 1_200
#: numeric settings that may be fractional; every other number counts days, working days or events
FRACTIONAL = frozenset({"nonmobile_below_age_months"})

#: settings and parameters whose values (or list items) come from a closed vocabulary: a typo would
#: silently match nothing
CHOICES = {
    "trigger": ("concern", "decision"),
    "outcome_decisions_asked": ("discharge", "treatment_decision"),  # information_not_shared (s21)
    "young_person_severity": SEVERITIES,
    "injury_tags": CONCERN_TAGS,
    "any_age_tags": CONCERN_TAGS,
    "high_severity_tags": CONCERN_TAGS,
    "consider_with_tags": CONCERN_TAGS,  # sexual_harm_not_referred (s21)
    "concern_tags": CONCERN_TAGS,
    "open_concerns_ignore_tags": CONCERN_TAGS,
    "exploitation_tags": CONCERN_TAGS,
    "missing_tags": CONCERN_TAGS,
    "self_harm_tags": CONCERN_TAGS,
    "neglect_tags": CONCERN_TAGS,  # neglect_not_escalated (s19)
    "suspect_tags": CONCERN_TAGS,  # information_not_shared (s20)
    "meeting_escalations": ESCALATIONS,  # information_not_shared (s20)
    "first_record_not_asked_kinds": AGENCY_KINDS,  # information_not_shared (s20)
    "injury_any_age_tags": CONCERN_TAGS,
    "allegation_tags": CONCERN_TAGS,  # lado_not_referred (s20)
    "response_escalations": ESCALATIONS,
    "abe_and_medical_tags": CONCERN_TAGS,  # enquiry_incomplete (s20)
    "medical_only_tags": CONCERN_TAGS,
    "no_health_severity": SEVERITIES,
    "closure_severity": SEVERITIES,
    "health_agency_kinds": AGENCY_KINDS,
    "closure_agency_kinds": AGENCY_KINDS,
    "outstanding_agency_kinds": AGENCY_KINDS,
    "trigger_not_contact_types": CONTACT_TYPES,
    "open_enquiry_escalations": ESCALATIONS,
    "open_assessment_contact_types": CONTACT_TYPES,  # neglect_not_escalated (s20)
    "open_assessment_agency_kinds": AGENCY_KINDS,
    "sentinel_tags": CONCERN_TAGS,  # injury_not_escalated (s20)
    "response_informed_kinds": AGENCY_KINDS,
    "relationship_abuse_tags": CONCERN_TAGS,
    "sexual_activity_tags": CONCERN_TAGS,
    "age_bound_tags": CONCERN_TAGS,
    "age_bound_below_by_tag": CONCERN_TAGS,  # its keys (s20)
    "self_harm_over_injury_tags": CONCERN_TAGS,
    "self_harm_over_injury_by": CONCERN_TAGS,
    "trigger_not_agency_kinds": AGENCY_KINDS,
    "repeated_not_agency_kinds": AGENCY_KINDS,  # self_harm_not_referred (s20)
    "presentation_contact_types": CONTACT_TYPES,
    "by_tag": CONCERN_TAGS,  # its keys
    "escalations": ESCALATIONS,
    "referral_escalations": ESCALATIONS,
    "assessment_escalations": ESCALATIONS,
    "decision_contact_types": CONTACT_TYPES,
    "missed_contact_types": CONTACT_TYPES,
    "request_contact_types": CONTACT_TYPES,
    "closure_contact_types": CONTACT_TYPES,
    "visit_contact_types": CONTACT_TYPES,
    "hospital_contact_types": CONTACT_TYPES,
    "follow_up_not_types": CONTACT_TYPES,  # was_not_brought (s21)
    "correspondence_types": CONTACT_TYPES,
    "meeting_types": CONTACT_TYPES,
    # rows of these contact types or escalations count (assessment_wait, closure_with_open_concerns)
    "done_contact_types": CONTACT_TYPES + ESCALATIONS,
    "assessed_by": CONTACT_TYPES + ESCALATIONS,
    "protective": CONTACT_TYPES + ESCALATIONS,  # repeat_referrals_closed
    "setting_agency_kinds": AGENCY_KINDS,  # withdrawn_with_concerns
    "ignore_tags": CONCERN_TAGS,  # withdrawn_with_concerns
    "involvement_escalations": ESCALATIONS,  # cp_file_not_transferred (s20)
    "referral_contact_types": CONTACT_TYPES,
    "agency_kinds": AGENCY_KINDS,
    "receipt_agency_kinds": AGENCY_KINDS,
    "decision_filing_agency_kinds": AGENCY_KINDS,
    "suitability_decision_agency_kinds": AGENCY_KINDS,
    "health_decision_agency_kinds": AGENCY_KINDS,  # (s21) decisions in a health outcome
    "health_decision_not_types": CONTACT_TYPES,
    "hospital_name_agency_kinds": AGENCY_KINDS,  # child_not_seen (s21)
    "closure_in_action_agency_kinds": AGENCY_KINDS,
    "return_home_not_agency_kinds": AGENCY_KINDS,
    "return_home_not_with_tags": CONCERN_TAGS,
    "nfa_agency_kinds": AGENCY_KINDS,
    "notification_agency_kinds": AGENCY_KINDS,
    "notification_contact_types": CONTACT_TYPES,
    "notification_informed_kinds": AGENCY_KINDS,
    "nfa_overturned_by": CONTACT_TYPES + ESCALATIONS,
    "decision_agency_kinds": AGENCY_KINDS,
    "visit_agency_kinds": AGENCY_KINDS,
    "authority_agency_kinds": AGENCY_KINDS,
    "plan_holder_kinds": AGENCY_KINDS,
    "social_care_agency_kinds": AGENCY_KINDS,
    "social_care_escalations": ESCALATIONS,
    "referral_reaches_kinds": AGENCY_KINDS,
}


#: rule parameters whose package default is null: the setting named here is their value, the one source of a
#: number several rules read; a case's rules.yml may still give the rule its own
FROM_SETTINGS = {
    "sexual_activity_min_age_years": "age_bound_min_years",
    "sexual_activity_below_age_years": "age_bound_below_years",
    "authority_words": "authority_words",
    # (s21) the words of a looked-after child's record shared with its social worker (self-harm, injury,
    # exploitation, sexual harm)
    "looked_after_share_keywords": "looked_after_share_keywords",
}
#: the parameters of FROM_SETTINGS whose value is a list of words (the others are numbers)
WORDS_FROM_SETTINGS = frozenset({"authority_words", "looked_after_share_keywords"})


def param_or_setting(params: dict, settings: dict, name: str):
    """`params[name]`, or when it is null (absent) the setting FROM_SETTINGS names for it."""
    value = params.get(name)
    return settings[FROM_SETTINGS[name]] if value is None else value


def _key(what: str) -> str:
    return what.rsplit(".", 1)[-1]


def _check_number(value, what: str, origin) -> object:
    """A finite number, not negative, within MAX_NUMBER (MAX_MONTHS for months), whole unless FRACTIONAL."""
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        raise ConfigError(f"{what} must be a number, got {value!r}", file=origin)
    if not math.isfinite(value):
        raise ConfigError(f"{what} must be a finite number, got {value!r}", file=origin)
    if value < 0:
        raise ConfigError(f"{what} must not be negative, got {value!r}", file=origin)
    key = _key(what)
    limit = MAX_MONTHS if key.endswith("_months") else MAX_NUMBER
    if value > limit:
        raise ConfigError(f"{what} must be at most {limit}, got {value!r}", file=origin)
    if key not in FRACTIONAL:
        if value != int(value):
            raise ConfigError(f"{what} must be a whole number, got {value!r}", file=origin)
        value = int(value)
    return value


def _check_choices(values, what: str, origin, key: str | None = None) -> None:
    allowed = CHOICES.get(key or _key(what))
    if allowed is None:
        return
    for value in values:
        if value not in allowed:
            raise ConfigError(f"{what}: unknown value {value!r} (one of {', '.join(allowed)})", file=origin)


def _check_type(default, value, what: str, origin) -> object:
    """Overrides keep the type of the default (lists stay lists; numbers see `_check_number`) and, for the
    settings in CHOICES, stay within their vocabulary. A parameter of FROM_SETTINGS (default null: the setting)
    is null or a number."""
    if default is None and _key(what) in FROM_SETTINGS:
        if value is None:
            return None
        if _key(what) in WORDS_FROM_SETTINGS:
            if isinstance(value, str):
                value = [value]
            if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
                raise ConfigError(f"{what} must be a list of words, got {value!r}", file=origin)
            return copy.deepcopy(value)
        return _check_number(value, what, origin)
    if isinstance(default, bool):
        if not isinstance(value, bool):
            raise ConfigError(f"{what} must be true or false, got {value!r}", file=origin)
    elif isinstance(default, (int, float)):
        value = _check_number(value, what, origin)
    elif isinstance(default, list):
        if isinstance(value, str):
            value = [value]
        if not isinstance(value, list):
            raise ConfigError(f"{what} must be a list, got {value!r}", file=origin)
        if _key(what) in CHOICES and not all(isinstance(v, str) for v in value):
            raise ConfigError(f"{what} must be a list of names, got {value!r}", file=origin)
        _check_choices(value, what, origin)
    elif isinstance(default, dict):
        if not isinstance(value, dict):
            raise ConfigError(f"{what} must be a mapping, got {value!r}", file=origin)
        if _key(what) == "same_concern":  # concern tag: the concern tag it is read as
            _check_choices([*value, *value.values()], what, origin, "concern_tags")
        # sexual_harm_not_referred (s19; s21 its "consider" tags): concern tag -> working days
        if _key(what) in ("working_days_by_tag", "consider_working_days_by_tag"):
            _check_choices(list(value), what, origin, "concern_tags")
            value = {str(k): _check_number(v, f"{what}.{k}", origin) for k, v in value.items()}
        if _key(what) == "term_breaks":  # cp_file_not_transferred (s20): holiday's first day -> next term's, MM-DD
            value = {_month_day(k, f"{what}", origin): _month_day(v, f"{what}.{k}", origin) for k, v in value.items()}
        if _key(what) == "notification_severity":  # a DASH level below high: the flag's severity
            levels = tuple(default)
            for level, severity in value.items():
                if level not in levels:
                    raise ConfigError(f"{what}: unknown level {level!r} (one of {', '.join(levels)})", file=origin)
                if severity not in SEVERITIES:
                    raise ConfigError(f"{what}.{level}: unknown severity {severity!r} (one of {', '.join(SEVERITIES)})",
                                      file=origin)
            value = {**default, **value}  # a level not given keeps its default
    elif isinstance(default, str):
        if not isinstance(value, str):
            raise ConfigError(f"{what} must be text, got {value!r}", file=origin)
        _check_choices([value], what, origin)
    return copy.deepcopy(value)


def _month_day(value, what: str, origin) -> str:
    """A month and day "MM-DD" (cp_file_not_transferred's term_breaks), checked to be a day of the year."""
    text = str(value).strip()
    try:
        month, day = (int(v) for v in text.split("-"))
        dt.date(2000, month, day)
    except (ValueError, TypeError):
        raise ConfigError(f"{what}: {value!r} is not a month and day (MM-DD)", file=origin) from None
    return f"{month:02d}-{day:02d}"


def _merge_settings(base: dict, override: dict, origin, prefix: str = "settings") -> dict:
    out = copy.deepcopy(base)
    for key, value in override.items():
        what = f"{prefix}.{key}"
        if key not in base:
            raise ConfigError(f"unknown setting {what!r}", file=origin)
        if isinstance(base[key], dict) and isinstance(value, dict) and key != "by_tag":
            out[key] = _merge_settings(base[key], value, origin, what)
        elif key == "by_tag" and isinstance(value, dict):
            _check_choices([str(k) for k in value], what, origin)
            out[key] = {**base[key], **{str(k): _check_type(1, v, f"{what}.{k}", origin) for k, v in value.items()}}
        else:
            out[key] = _check_type(base[key], value, what, origin)
    return out


def _merge_rule(base: dict, override, rule_id: str, origin) -> dict:
    if override is None:
        return base
    if isinstance(override, bool):  # `child_not_seen: false` as a shorthand
        override = {"enabled": override}
    if not isinstance(override, dict):
        raise ConfigError(f"rules.{rule_id} must be a mapping", file=origin)
    out = copy.deepcopy(base)
    params = dict(override.get("params") or {})
    for key, value in override.items():
        if key == "params":
            continue
        if key in RULE_KEYS:
            out[key] = _check_type(base[key], value, f"rules.{rule_id}.{key}", origin)
        else:
            params[key] = value
    if out["severity"] not in SEVERITIES:
        raise ConfigError(f"rules.{rule_id}.severity must be one of {SEVERITIES}", file=origin)
    if out["failing_category"] not in FAILING_CATEGORIES:
        raise ConfigError(f"rules.{rule_id}.failing_category must be one of {FAILING_CATEGORIES}", file=origin)
    for name, value in params.items():
        if name not in base["params"]:
            known = ", ".join(sorted(base["params"]))
            raise ConfigError(f"unknown parameter {name!r} for rule {rule_id!r} (known: {known})", file=origin)
        out["params"][name] = _check_type(base["params"][name], value, f"rules.{rule_id}.{name}", origin)
    return out


def merge_rules(base: dict, override: dict, origin) -> dict:
    """`base` (a loaded rule set) with `override` (parsed rules.yml content) applied."""
    if override is None:
        return copy.deepcopy(base)
    if not isinstance(override, dict):
        raise ConfigError("rules.yml must be a mapping with 'rules' and/or 'settings'", file=origin)
    unknown = set(override) - {"rules", "settings"}
    if unknown:
        raise ConfigError(f"unknown top-level key(s) {sorted(unknown)} (expected 'rules', 'settings')", file=origin)
    out = copy.deepcopy(base)
    out["settings"] = _merge_settings(base["settings"], override.get("settings") or {}, origin)
    rules_override = override.get("rules") or {}
    if not isinstance(rules_override, dict):
        raise ConfigError("'rules' must be a mapping of rule id to settings", file=origin)
    for rule_id, rule_override in rules_override.items():
        if rule_id not in base["rules"]:
            known = ", ".join(sorted(base["rules"]))
            raise ConfigError(f"unknown rule id {rule_id!r} (known: {known})", file=origin)
        out["rules"][rule_id] = _merge_rule(base["rules"][rule_id], rule_override, rule_id, origin)
    out["files"] = list(base.get("files", [])) + [str(origin)]
    return _shared_params(out)


def package_rules() -> dict:
    """The built-in rule set as a plain dict: {'settings', 'rules', 'files'}."""
    raw = package_data(RULES_FILE)
    rules = {}
    for rule_id, spec in raw["rules"].items():
        spec = dict(spec)
        spec.setdefault("enabled", True)
        spec.setdefault("params", {})
        rules[rule_id] = spec
    return _shared_params({"settings": raw["settings"], "rules": rules, "files": ["review/data/rules.yml"]})


def _shared_params(rules: dict) -> dict:
    """`rules` with each rule's `suspect_keywords_of` resolved: its suspect_keywords and suspect_negations are
    those of the rule it names (information_not_shared reads neglect_not_escalated's words to suspect neglect:
    one list, a case's override of it read by both). A name that is no rule is a `ConfigError`."""
    for rule_id, spec in rules["rules"].items():
        source = (spec.get("params") or {}).get("suspect_keywords_of")
        if not source:
            continue
        params = spec["params"] = dict(spec["params"])
        if source not in rules["rules"]:
            raise ConfigError(f"rule {rule_id}: suspect_keywords_of names no rule ({source!r})",
                              file=(rules.get("files") or ["rules.yml"])[-1])
        other = rules["rules"][source].get("params") or {}
        params["suspect_keywords"] = list(other.get("suspect_keywords") or [])
        params["suspect_negations"] = list(other.get("suspect_negations") or [])
    return rules


def load_rules(case_dir: str | Path | None = None) -> dict:
    """The package rule set merged with `case_dir`/rules.yml when there is one.

    Returns ``{"settings": {...}, "rules": {rule_id: {"enabled", "severity", "failing_category",
    "source", "params"}}, "files": [the files read, in order]}``.
    """
    rules = package_rules()
    if case_dir is not None:
        path = case_file(case_dir, RULES_FILE)
        if path.exists():
            rules = merge_rules(rules, load_yaml(path), path)
    return rules
