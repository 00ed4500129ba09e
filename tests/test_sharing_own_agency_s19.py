"""The informed agencies read from a narrative leave out the row's own agency and advice to see another (s19)."""
import pytest

from review.config import load_vocab
from review.vocab import shared_in_text

SCHOOL = ("Ashbrook Primary School", "education")


@pytest.mark.parametrize("text, own, expected", [
    ("DSL informed. Logged. Monitor.", SCHOOL, []),  # was ['School']: the school's own DSL
    ("DSL informed. Logged. Monitor.", None, ["School"]),  # without the row's agency: as before
    ("Mother informed, advised to see GP.", SCHOOL, []),  # was ['GP']: advice to the parent
    ("DSL informed mother and contacted MASH.", SCHOOL, ["Children's social care"]),  # was + 'School'
    ("Information passed to social worker.", SCHOOL, ["Children's social care"]),
    ("CP file sent to new school.", SCHOOL, ["School"]),  # another school
    ("OIC updated.", ("Westshire Police", "police"), []),
    ("DSL informed.", ("Westshire Police", "police"), ["School"]),  # the police informing a school's DSL
    ("Copy sent to GP.", SCHOOL, ["GP"]),
])
def test_shared_in_text(text, own, expected):
    assert shared_in_text(text, load_vocab(), own=own) == expected


def test_ingested_rows(tmp_path):
    header = "Date,Agency,Type of contact,Details,Action / outcome"
    rows = [
        "07/02/2020,Ashbrook Primary School,Other,Child used sexual language in class.,DSL informed. Logged. Monitor.",
        "11/03/2020,Ashbrook Primary School,Other,Child wet herself in class.,\"Mother informed, advised to see GP.\"",
        "12/03/2020,Ashbrook Primary School,Other,Disclosure.,Information passed to social worker.",
    ]
    (tmp_path / "chronology.csv").write_text(header + "\n" + "\n".join(rows) + "\n", encoding="utf-8")
    (tmp_path / "case.yml").write_text("case_id: c19\ndate_of_birth: 2009-04-10\nreview_date: 2022-10-31\n",
                                       encoding="utf-8")
    from review.pipeline import analyse, load_case

    timeline = analyse(load_case(tmp_path)).timeline.sort_values("date")
    assert timeline["informed_agencies"].fillna("").tolist() == ["", "", "Children's social care"]
