"""A MARAC referral made that awaits its meeting is a referral made (fifteenth session): "Referred to MARAC,
awaiting MARAC date", "MARAC referral made, awaiting date", "Referred to MARAC, awaiting next MARAC" are the
escalation `marac` at ingest and held by the rules (`denies` no longer reads the awaited meeting as the
referral awaited); "Awaiting MARAC referral", "MARAC referral to be made" are still no referral. The
row-by-row baseline reads them as the rules do."""
from __future__ import annotations

import datetime as dt
import sys
from pathlib import Path

import pandas as pd
import pytest

from review.config import CaseConfig, load_vocab
from review.rules import detect, load_rules
from review.rules.testing import make_timeline
from review.vocab import compile_vocab, denies, detect_escalation, detect_escalations

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "benchmarks"))
import baseline_rowwise  # noqa: E402

RULES = load_rules()
VOCAB = compile_vocab(load_vocab())
POLICE = {"agency": "Police", "agency_kind": "police"}
DA = "domestic_abuse_not_escalated"

MADE = ["Referred to MARAC, awaiting MARAC date", "MARAC referral made, awaiting date",
        "Referral to MARAC made; awaiting MARAC meeting", "Referred to MARAC; awaiting date of MARAC meeting",
        "MARAC referral awaiting date", "Referred to MARAC - awaiting next MARAC", "Referred to MARAC, awaiting MARAC",
        "Referral sent to MARAC, awaiting meeting date"]
NOT_MADE = ["Awaiting MARAC referral", "MARAC referral to be made", "MARAC referral pending",
            "Awaiting referral to MARAC", "Referral to MARAC awaiting manager sign off", "Plan: MARAC referral, awaiting date"]


@pytest.mark.parametrize("text", MADE)
def test_a_referral_awaiting_its_meeting_is_made(text):
    # before: "Referred to MARAC, awaiting MARAC date" was `marac` at ingest but denied by the rules;
    # "MARAC referral awaiting date" no escalation at all
    assert detect_escalations("police_callout", text, VOCAB) == ["marac"]
    assert not denies("marac", text, VOCAB)


@pytest.mark.parametrize("text", NOT_MADE)
def test_a_referral_awaited_or_to_be_made_is_not(text):
    assert detect_escalations("police_callout", text, VOCAB) == []
    assert denies("marac", text, VOCAB)


def rows_for(text):
    incident = {"date": "2023-05-01", **POLICE, "contact_type": "police_callout", "concerns": "domestic_abuse",
                "description": "Domestic incident, child present. DASH completed - high risk."}
    response = {"date": "2023-05-01", **POLICE, "contact_type": "police_callout", "description": text}
    # the escalation cell as ingest fills it from the text
    response["escalation"] = detect_escalation(response["contact_type"], text, VOCAB)
    return [incident, response]


def baseline_pairs(rows):
    timeline = make_timeline(rows)
    base_rows = []
    for r in timeline.astype(object).where(timeline.notna(), None).to_dict("records"):
        r["date"] = pd.Timestamp(r["date"]).to_pydatetime()
        base_rows.append(r)
    info = {"C1": {"date_of_birth": dt.date(2023, 1, 1), "review_date": None, "date_of_death": None}}
    return sorted(f["trigger_event_id"] for f in baseline_rowwise.run(base_rows, info, RULES)[1] if f["rule_id"] == DA)


@pytest.mark.parametrize("text,flagged", [("Referred to MARAC, awaiting MARAC date", False),
                                          ("MARAC referral made, awaiting date", False),
                                          ("Awaiting MARAC referral", True),
                                          ("MARAC referral to be made", True)])
def test_domestic_abuse_answered_by_a_referral_awaiting_its_meeting(text, flagged):
    rows = rows_for(text)
    case = CaseConfig(case_dir=Path("."), case_id="C1", date_of_birth=dt.date(2023, 1, 1))
    got = detect(make_timeline(rows), case, RULES, only=[DA])
    assert sorted(got["trigger_event_id"]) == (["C1-e001"] if flagged else [])
    assert baseline_pairs(rows) == sorted(got["trigger_event_id"])
