"""The whole analysis of one case folder, as notebooks, the CLI and the build call it.

    case = load_case("data/cases/sample")      # case.yml, vocabularies, every agency's contacts
    analysis = analyse(case)                    # timeline, periods, flags (+ decisions), latency, ...

Timeline parameters can be set per case in case.yml under ``timeline:`` (``link_threshold``,
``link_window_days``, ``concern_window_days``); rule parameters come from rules.yml (`review.rules`).
"""
from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from .config import CaseConfig, load_case_config, load_vocab
from .errors import ConfigError

#: case.yml ``timeline:`` keys -> build_timeline keyword and type
TIMELINE_OPTIONS = {"link_threshold": float, "link_window_days": int, "concern_window_days": int}


@dataclass
class Case:
    """A loaded case: its configuration, vocabularies, canonical contacts and the ingest report."""

    config: CaseConfig
    vocab: dict
    contacts: pd.DataFrame
    report: object  # review.ingest.IngestReport

    @property
    def case_dir(self) -> Path:
        return self.config.case_dir

    @property
    def case_id(self) -> str:
        return self.config.case_id


@dataclass
class Analysis:
    """Every table the reports, charts and notebooks show for one case."""

    timeline: pd.DataFrame
    periods: pd.DataFrame
    flags: pd.DataFrame  # FLAG_COLUMNS + decision, rationale, decided_by, decided_on (+ added findings)
    response_latency: pd.DataFrame
    knowledge: pd.DataFrame
    agency_summary: pd.DataFrame
    decisions: pd.DataFrame  # every decision row (history), `current` marks the one in force
    decision_problems: pd.DataFrame
    health_summary: str = ""
    rules: dict = field(default_factory=dict, repr=False)
    #: per row of `timeline` (same index and order), its escalation cell with only the escalations that took
    #: place, as the rules read them (`review.rules.base.held_escalation_column`: not a "Strategy discussion
    #: cancelled" row's strategy_discussion): read once, for the agency summary, the headline and the charts
    held_escalations: pd.Series | None = field(default=None, repr=False)


def load_case(case_dir: str | Path) -> Case:
    """Read case.yml, the vocabularies and every agency chronology of `case_dir`."""
    from .ingest import load_contacts  # imported here: ingest pulls in the spreadsheet readers

    from .decisions import load_decisions

    config = load_case_config(case_dir)
    # the reviewers' decisions as far as they can be checked without the flags (no decisions.yml beside
    # decisions.csv, every row valid), before the chronologies are read: a DecisionError in seconds, not
    # after ingest and the rules (`review flags`, `review build-all`, the notebooks); the decisions on
    # flags the rules no longer raise are known only after them
    load_decisions(config.case_dir)
    # ingest loads the same vocabulary itself, parsed and compiled once per content of the YAML files
    # (its word caches then serve every case of a process); the case keeps its own copy, which callers
    # may change
    contacts, report = load_contacts(config)
    vocab = load_vocab(config.case_dir)
    return Case(config=config, vocab=vocab, contacts=contacts, report=report)


def timeline_options(config: CaseConfig) -> dict:
    """build_timeline keyword arguments from case.yml's ``timeline:`` mapping (validated)."""
    raw = (config.raw or {}).get("timeline") or {}
    if not isinstance(raw, dict):
        raise ConfigError("timeline must be a mapping", file=config.case_file)
    options = {}
    for key, value in raw.items():
        if key not in TIMELINE_OPTIONS:
            raise ConfigError(f"unknown timeline option {key!r} (known: {', '.join(TIMELINE_OPTIONS)})",
                              file=config.case_file)
        if isinstance(value, bool) or not isinstance(value, (int, float)) or value < 0:
            raise ConfigError(f"timeline.{key} must be a non-negative number, got {value!r}", file=config.case_file)
        options[key] = TIMELINE_OPTIONS[key](value)
    return options


def analyse(case: Case, rules: dict | None = None, *, decisions_as_of=None) -> Analysis:
    """Timeline, periods, flags with the reviewers' decisions, response latency, agency knowledge and
    the agency summary of a loaded case. `rules`: from `review.rules.load_rules` (default: the package
    rules merged with the case's rules.yml).

    Raises DecisionError when the case's decisions.csv is invalid; decisions on flags the rules no
    longer produce are kept and listed in `decision_problems`. `decisions_as_of`: the date a decision
    dated after it is listed as future-dated against (default today; `review.build` passes the one its
    manifest records).
    """
    from .rules import agency_knowledge, detect, load_rules, response_latency
    from .rules.base import held_escalation_column
    from .timeline import agency_summary, build_timeline, health_summary, periods

    config = case.config
    rules = load_rules(config.case_dir) if rules is None else rules
    timeline = build_timeline(case.contacts, config, **timeline_options(config))
    spans = periods(timeline, config)
    flags = detect(timeline, config, rules, legacy_ids=True)  # (the earlier ids: for old decisions)
    latency = response_latency(timeline, flags, rules, config)
    knowledge = agency_knowledge(timeline, rules, config)
    decided, decisions, problems = decide(flags, timeline, config.case_dir, rules, as_of=decisions_as_of)
    held = held_escalation_column(timeline, rules, config)  # the escalations that took place, read once
    return Analysis(
        timeline=timeline,
        periods=spans,
        flags=decided,
        response_latency=latency,
        knowledge=knowledge,
        agency_summary=agency_summary(timeline, rules, config, held=held),
        decisions=decisions,
        decision_problems=problems,
        health_summary=health_summary(timeline),
        rules=rules,
        held_escalations=held,
    )


def decide(flags: pd.DataFrame, timeline: pd.DataFrame, case_dir,
           rules: dict | None = None, *, as_of=None) -> tuple[pd.DataFrame, pd.DataFrame, pd.DataFrame]:
    """(the flags with the reviewers' decisions from the case's decisions.csv, the rules' flags in (trigger
    date, rule, flag id) order then the findings reviewers added (`decisions.order_decided`); every decision row; the problems found with them), as `analyse` gives them. `rules`:
    those the flags were raised with (an added finding under a rule takes its severity and category);
    `as_of`: `load_decisions`' (default today)."""
    from .decisions import apply_decisions, load_decisions, order_decided

    decisions, problems = load_decisions(case_dir, flags, timeline, as_of=as_of)
    decided = order_decided(apply_decisions(flags, decisions, timeline, rules))
    return decided, decisions, problems
