"""s18 thematic tables: the assurance headline's denominator, organisations named only by a generic agency word,
censored concerns, small numbers and rounding, stable redacted case numbers."""
from __future__ import annotations

import pandas as pd

from review.thematic import TOO_FEW_CONTACTS, assurance_summary


def _declarations(assessments: list[str], disagreement: list) -> pd.DataFrame:
    return pd.DataFrame({"disagreement": pd.array(disagreement, dtype="boolean"),
                         "assessment": assessments, "min_contacts": 20})


def test_the_assurance_headline_counts_only_the_assessable_declarations():
    too_few = f"{TOO_FEW_CONTACTS} (fewer than 20)"
    # before: "0 of 37 declarations disagree with the evidence (0 could be set beside evidence; ...)"
    none = _declarations(["organisation not in the cases"] + [too_few] * 33 + ["standard not evidenced by the rules"] * 3,
                         [None] * 37)
    assert assurance_summary(none)[0] == (
        "0 of 0 assessable declarations disagree with the evidence: none could be assessed (37 declared; not "
        "assessable: 1 organisation not in the cases, 33 fewer than 20 contacts that year (no rate), 3 standard no "
        "rule evidences)")
    some = _declarations(["disagree: declared compliant, failings found", "consistent", too_few],
                         [True, False, None])
    assert assurance_summary(some)[0] == (
        "1 of 2 assessable declarations disagree with the evidence (3 declared; not assessable: 1 fewer than 20 "
        "contacts that year (no rate))")
    every = _declarations(["consistent", "consistent"], [False, False])
    assert assurance_summary(every)[0] == "0 of 2 assessable declarations disagree with the evidence"


def _latency_with_a_death() -> pd.DataFrame:
    """Case D (the child died): 4 concerns, 1 escalated in 3 days, 1 never escalated, 2 the death censored; case L:
    2 concerns, 1 never escalated."""
    return pd.DataFrame({
        "case_id": ["D", "D", "D", "D", "L", "L"],
        "event_id": ["d1", "d2", "d3", "d4", "l1", "l2"],
        "agency_kind": ["health", "health", "health", "social care", "health", "social care"],
        "latency_days": [3.0, None, None, None, 10.0, None],
        "within_expected": [True, False, False, False, True, False],
        "first_escalation_event_id": ["d9", "", "", "", "l9", ""],
        "died_before_window": [False, False, True, True, False, False],
    })


def test_cases_ranked_counts_the_concerns_the_death_censored_apart():
    from review.thematic import rank_cases

    latency = _latency_with_a_death()
    timeline = pd.DataFrame({"case_id": ["D"] * 18 + ["L"] * 13, "event_id": [f"e{i}" for i in range(31)]})
    flags = pd.DataFrame({"case_id": ["L", "L"], "rule_id": ["r", "r"], "severity": ["high", "low"]})
    ranked = rank_cases(latency, flags, timeline).set_index("case_id")
    assert ranked.columns.tolist() == ["rank", "contacts", "concerns", "escalated_concerns", "unescalated_concerns",
                                       "died_before_window", "flags", "high_severity_flags"]
    # before: D had 3 unescalated concerns (the 2 the death censored among them) and ranked first
    assert ranked.loc["D", ["contacts", "concerns", "escalated_concerns", "unescalated_concerns",
                            "died_before_window"]].tolist() == [18, 4, 1, 1, 2]
    assert ranked.loc["L", ["contacts", "concerns", "escalated_concerns", "unescalated_concerns",
                            "died_before_window", "flags"]].tolist() == [13, 2, 1, 1, 0, 2]
    assert ranked["rank"].to_dict() == {"L": 1, "D": 2}  # tied on unescalated: L has more flags
    from review.thematic import plot_case_ranking

    fig = plot_case_ranking(ranked.reset_index())
    labels = [t.get_text() for t in fig.axes[0].get_yticklabels()]
    assert labels == ["L\n1/2 concerns unescalated · 13 contacts", "D\n1/4 concerns unescalated · 18 contacts, "
                      "2 child died first"]
    assert [c.get_label() for c in fig.axes[0].containers] == [
        "unescalated concerns", "not escalated before the child died (censored)"]


def test_latency_csv_and_chart_agree_on_the_concerns_the_death_censored():
    from review.thematic import latency_by_agency_kind, plot_latency_by_agency_kind

    latency = _latency_with_a_death()
    table = latency_by_agency_kind(latency).set_index("agency_kind")
    # before: health never_escalated 2 (the death-censored one in it) while the chart said "1/4 never escalated"
    assert table.loc["health", ["concerns", "escalated", "never_escalated", "died_before_window"]].tolist() == [4, 2, 1, 1]
    assert table.loc["social care", ["concerns", "escalated", "never_escalated", "died_before_window"]].tolist() == [2, 0, 1, 1]
    assert (table["concerns"] == table["escalated"] + table["never_escalated"] + table["died_before_window"]).all()
    labels = [t.get_text() for t in plot_latency_by_agency_kind(latency).axes[0].get_yticklabels()]
    assert labels == ["health\n1/4 never escalated, 1 child died first",
                      "social care\n1/2 never escalated, 1 child died first"]
