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
