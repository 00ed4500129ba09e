"""Session 16, QA case c_teen_mother_frenulum: a torn frenulum in a baby (a sentinel injury: NICE CG89, an oral
injury in a child not independently mobile) is read as an injury in its usual wordings, so the flags land on the
emergency department's row, not on the GP's filed letter about it three days later."""
from __future__ import annotations

import textwrap

import pytest

from review.config import package_data
from review.pipeline import analyse, load_case
from review.vocab import tag_concerns

VOCAB = package_data("vocab.yml")


@pytest.mark.parametrize("text", [
    "Torn upper labial frenulum. Mother (17) states she caught it with the bottle during a feed. Baby settled.",
    "Torn frenulum.",
    "Upper labial frenulum tear noted on examination.",
    "Frenulum tear",
    "Torn frenum, mother says bottle.",
    "Frenulum injury, explanation bottle feed.",
    "Baby brought in bleeding from the mouth.",
    "Tear to the frenulum.",
])
def test_frenulum_injuries_are_other_injury(text):
    assert "other_injury" in tag_concerns(text, VOCAB)  # before: only the exact "torn frenulum"


@pytest.mark.parametrize("text", ["Frenulum intact, no injury.", "No bleeding from the mouth.", "Mouth: NAD"])
def test_an_intact_mouth_is_no_injury(text):
    assert "other_injury" not in tag_concerns(text, VOCAB)


def test_flags_land_on_the_emergency_department_row(tmp_path):
    (tmp_path / "case.yml").write_text(textwrap.dedent("""\
        case_id: F1
        child_name: Ruby Clarke
        date_of_birth: '2024-01-10'
        review_date: '2024-04-30'
        files:
        - {path: ed.csv, agency: Westshire General Hospital}
        - {path: gp.csv, agency: Orchard Medical Centre}
        """), encoding="utf-8")
    (tmp_path / "ed.csv").write_text(
        "Date,Type,Details\n08/03/2024,ED attendance,\"Torn upper labial frenulum. Mother states she caught it "
        "with the bottle during a feed. Baby settled.\"\n", encoding="utf-8")
    (tmp_path / "gp.csv").write_text(
        "Date,Type,Details\n11/03/2024,Letter,ED discharge letter re torn frenulum 08/03 filed.\n", encoding="utf-8")
    flags = analyse(load_case(tmp_path)).flags
    nonmobile = flags[flags["rule_id"] == "nonmobile_injury"]
    assert nonmobile["trigger_date"].astype(str).str[:10].tolist() == ["2024-03-08"]  # before: 2024-03-11, GP
    assert nonmobile["agencies"].tolist() == ["Westshire General Hospital"]
