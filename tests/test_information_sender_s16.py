"""information_not_shared (s16): a receiving agency's record of information sent by another agency (a
notification, an email, a referral from it) means the sender held that information: no flag that it had not
reached the sender (QA case B: Westshire's "Transfer-in notification from Eastshire received ... CP plans
(neglect)" flagged as not reaching Eastshire Children's Social Care). A name that is only part of the
agency's ("from Eastshire") names the receiving agency's counterpart of the same kind, not Eastshire's police;
the package, `agency_knowledge` and the row-by-row baseline read it alike."""
from __future__ import annotations

import datetime as dt
import sys
from pathlib import Path

import pandas as pd
import pytest

from review.config import CaseConfig
from review.rules import agency_knowledge, detect, load_rules
from review.rules.knowledge import names_sender
from review.rules.testing import make_timeline

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "benchmarks"))
import baseline_rowwise  # noqa: E402

RULES = load_rules()
CUES = RULES["rules"]["information_not_shared"]["params"]["sender_cues"]
EAST = {"agency": "Eastshire Children's Social Care", "agency_kind": "social care"}
WEST = {"agency": "Westshire Children's Social Care", "agency_kind": "social care"}
POLICE = {"agency": "Eastshire Police", "agency_kind": "police"}
NOTIFIED = "Transfer-in notification from Eastshire received: Tyler and Poppy Mason, CP plans (neglect)."


def rows(concern_text, decider=EAST, decision="case_closure"):
    return [
        {"date": "2023-10-10", "contact_type": "letter", "description": concern_text, "concerns": "neglect", **WEST},
        {"date": "2023-10-27", "contact_type": decision, "description": "Case closed, transferred to Westshire.",
         **decider},
    ]


def case():
    return CaseConfig(case_dir=".", case_id="C1", date_of_birth=dt.date(2014, 9, 15), review_date=dt.date(2024, 2, 29))


def package(concern_text, **kw):
    flags = detect(make_timeline(rows(concern_text, **kw), dob="2014-09-15"), case(), RULES,
                   only=["information_not_shared"])
    return list(flags["explanation"])


def baseline(concern_text, **kw):
    timeline = make_timeline(rows(concern_text, **kw), dob="2014-09-15")
    plain = []
    for r in timeline.astype(object).where(timeline.notna(), None).to_dict("records"):
        r["date"] = pd.Timestamp(r["date"]).to_pydatetime()
        plain.append(r)
    info = {"C1": {"date_of_birth": dt.date(2014, 9, 15), "review_date": dt.date(2024, 2, 29)}}
    _, flags = baseline_rowwise.run(plain, info, RULES)
    return [f["trigger_event_id"] for f in flags if f["rule_id"] == "information_not_shared"]


def test_the_senders_own_notification_is_not_flagged_as_not_reaching_it():
    assert package(NOTIFIED) == []
    assert baseline(NOTIFIED) == []
    knowledge = agency_knowledge(make_timeline(rows(NOTIFIED), dob="2014-09-15"), RULES, case())
    closure = knowledge.set_index("decision_event_id").loc["C1-e002"]
    assert closure["concerns_known_to_agency"] == "neglect" and closure["missing_concerns"] == ""


def test_the_same_concern_with_no_sender_named_is_still_flagged():
    text = "Transfer-in notification received: Tyler and Poppy Mason, CP plans (neglect)."
    assert package(text) == [
        "Westshire Children's Social Care recorded neglect on 10 Oct 2023 and there is no record it reached "
        "Eastshire Children's Social Care before its decision (case closure) on 27 Oct 2023."]
    assert baseline(text) == ["C1-e001"]


def test_a_place_name_alone_does_not_name_another_kind_of_agency_of_that_place():
    # Eastshire Police decided: "from Eastshire" in social care's record is Eastshire's social care, not its police
    assert package(NOTIFIED, decider=POLICE) == [
        "Westshire Children's Social Care recorded neglect on 10 Oct 2023 and there is no record it reached "
        "Eastshire Police before its decision (case closure) on 27 Oct 2023."]
    assert baseline(NOTIFIED, decider=POLICE) == ["C1-e001"]


@pytest.mark.parametrize("text, agency, kind, receiver, expected", [
    (NOTIFIED, "Eastshire Children's Social Care", "social care", "social care", True),
    (NOTIFIED, "Eastshire Police", "police", "social care", False),
    ("Email from Kingsway Academy re hunger and head lice.", "Kingsway Academy", "education", "social care", True),
    ("Email from Eastshire CSC re hunger.", "Eastshire Children's Social Care", "social care", "health", True),
    ("Email from Eastshire CSC re hunger.", "Eastshire Police", "police", "health", False),
    ("Family moved from Eastshire last month.", "Eastshire Children's Social Care", "social care", "social care",
     False),  # no message or receipt before "from"
    ("Email from school re hunger.", "Kingsway Academy", "education", "social care", False),  # no name word
    ("Email sent. From Eastshire, Tyler's file.", "Eastshire Children's Social Care", "social care", "social care",
     False),  # the cue is in another sentence
])
def test_names_sender(text, agency, kind, receiver, expected):
    assert names_sender(text, agency, kind, receiver, CUES) is expected
