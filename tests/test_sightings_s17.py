"""Session 17, readings of who saw the child and of mobility.

(1) The child seen among others: a list of people before a group cue ("Tyler, Poppy and Jade seen", "Poppy, Tyler
seen together", "Tyler and baby Poppy seen") or answering a label ("Seen: Tyler, Poppy") is a sighting of the
child when it names the child (case.yml child_name); a list of other names without the child is not, and a word
describing a sibling ("baby Poppy") names the sibling, not the child. The table reading (vectorised) agrees with
the row reading. (2) "Jade has not seen a social worker since March" is child_not_visited, not child_not_seen.
(3) An Attended "Yes" at a face-to-face clinic appointment is the child seen. (4) "Mum says she is walking" is the
girl's mobility unless marked as the reporter's own."""
from __future__ import annotations

import pandas as pd
import pytest

from review.mobility import MOBILE, NO_STATEMENT, NOT_MOBILE, child_identity, mobility_statement, row_statement
from review.sightings import inferred_sightings, read_sighting, with_child_names

TYLER, POPPY, JADE = (with_child_names("", name) for name in ("Tyler Mason", "Poppy Mason", "Jade Mason"))

GROUPS = [
    # text, the children whose sighting it is (of Tyler, Poppy, Jade)
    ("Tyler and Poppy seen.", {TYLER, POPPY}),
    ("Statutory visit, children seen.", {TYLER, POPPY, JADE}),
    ("Domestic incident, Tyler present.", {TYLER}),
    ("Tyler and baby Poppy seen.", {TYLER, POPPY}),
    ("Tyler, Poppy and Jade seen.", {TYLER, POPPY, JADE}),
    ("Statutory visit, Tyler, Poppy and Jade seen.", {TYLER, POPPY, JADE}),
    ("Poppy, Tyler seen together.", {TYLER, POPPY}),
    ("Seen: Tyler, Poppy.", {TYLER, POPPY}),
    ("Seen - baby Poppy and Tyler", {TYLER, POPPY}),
    ("Poppy and baby Jade seen.", {POPPY, JADE}),
    # not the child's: a list of others, another clause's name, a label answered no
    ("Poppy, Jade seen.", {POPPY, JADE}),
    ("Seen: Poppy, Jade.", {POPPY, JADE}),
    ("Visited Tyler, Poppy seen.", {POPPY}),
    ("Seen: Poppy at home, Tyler at school.", {POPPY}),
    ("Children seen: no", set()),
    ("Seen: not Tyler", set()),
]
CASES = [(text, key, key in whose) for text, whose in GROUPS for key in (TYLER, POPPY, JADE)]


def _table(texts, contact_type="home_visit"):
    return pd.DataFrame({
        "child_seen": pd.array([pd.NA] * len(texts), dtype="boolean"),
        "contact_type": [contact_type] * len(texts),
        "concerns": [pd.NA] * len(texts),
        "description": texts,
        "action": [pd.NA] * len(texts),
    })


@pytest.mark.parametrize("text, key, seen", CASES)
def test_a_list_of_people_seen_is_the_childs_sighting_only_when_it_names_the_child(text, key, seen):
    assert read_sighting("home_visit", "", text, vocab=key) is (True if seen else None)
    got = inferred_sightings(_table([text]), key)[0]
    assert (got is pd.NA) if not seen else bool(got) is True


@pytest.mark.parametrize("key", [TYLER, POPPY, JADE])
def test_a_long_column_of_lists_reads_as_each_row_alone(key):
    """Past the vectorised searches' thresholds (hundreds of distinct texts) the table reading still agrees."""
    texts = [f"{text} Visit {i}." for i in range(40) for text, _ in GROUPS]
    got = inferred_sightings(_table(texts), key)
    expected = [read_sighting("home_visit", "", t, vocab=key) for t in texts]
    assert [None if v is pd.NA else bool(v) for v in got] == expected
    assert expected.count(True) == 40 * sum(key in whose for _, whose in GROUPS)


# (2) "Jade has not seen a social worker since March" in a school's record is a concern about the social worker's
# visits (child_not_visited), not a record that the child was unseen at this contact (child_not_seen): the school
# saw her that day. The information-sharing rule still reads it as a concern to share.

def write_school_case(tmp_path, text):
    import textwrap

    (tmp_path / "case.yml").write_text(textwrap.dedent("""\
        case_id: S1
        child_name: Jade Mason
        date_of_birth: '2015-01-10'
        review_date: '2024-01-31'
        files:
        - path: school.csv
          agency: Hillside Primary School
        """), encoding="utf-8")
    (tmp_path / "school.csv").write_text(
        f'Date,Type,Details\n12/06/2023,Other,"{text}"\n', encoding="utf-8")
    return tmp_path


@pytest.mark.parametrize("text", [
    "Jade has not seen a social worker since March.",
    "Jade says she has not seen her social worker since March.",
    "DSL note: Jade has not seen her SW since Easter.",
    "Jade has not yet seen a social worker.",
])
def test_not_seen_a_social_worker_is_a_concern_about_visits_not_the_child_unseen(tmp_path, text):
    from review.config import package_data
    from review.pipeline import analyse, load_case
    from review.vocab import tag_concerns

    assert tag_concerns(text, package_data("vocab.yml")) == ["child_not_visited"]  # was ["child_not_seen"]
    assert read_sighting("other", "child_not_visited", text, vocab=JADE) is not False
    row = analyse(load_case(write_school_case(tmp_path, text))).timeline.iloc[0]
    assert row["concerns"] == "child_not_visited"
    # was False, "not seen (read from the text)"; now unknown ("Jade says ...": the school spoke to her, seen)
    seen = row["child_seen_inferred"]
    assert (seen is pd.NA) if "says" not in text else bool(seen) is True


@pytest.mark.parametrize("text", ["Home visit. Child not seen, asleep upstairs.",
                                  "Jade has not seen her social worker since March. Jade not seen today."])
def test_the_child_not_seen_at_the_contact_is_still_child_not_seen(text):
    from review.config import package_data
    from review.vocab import tag_concerns

    assert "child_not_seen" in tag_concerns(text, package_data("vocab.yml"))


def test_the_visits_concern_is_still_one_the_information_sharing_rule_reads():
    from review.rules import load_rules

    rules = load_rules()["rules"]
    assert "child_not_visited" in rules["information_not_shared"]["params"]["concern_tags"]


# (3) A generic profile's "Attended" column: "Yes" at a face-to-face health or clinic appointment is the child
# brought and seen (child_seen True where the row has no Child seen cell); not beside a phone call or a letter,
# nor at an appointment about a parent; "No" / "DNA" stays a missed appointment.

CLINIC_ROWS = [
    # date, type, details, attended, child seen cell, expected child_seen
    ("12/06/2023", "Clinic appointment", "Orthopaedic fracture clinic review.", "Yes", "", True),
    ("13/06/2023", "Clinic appointment", "Telephone consultation with mum re results.", "Yes", "", None),
    ("14/06/2023", "Clinic appointment", "Mum attended re her low mood.", "Yes", "", None),
    ("15/06/2023", "Clinic appointment", "Follow-up appointment.", "No", "", None),
    ("16/06/2023", "Phone call", "Phoned mum re appointment.", "Yes", "", None),
    ("17/06/2023", "Clinic appointment", "Follow-up appointment.", "DNA", "", None),
    ("18/06/2023", "Letter", "Letter re appointment sent.", "Yes", "", None),
    ("19/06/2023", "Clinic appointment", "Mum brought Kai to clinic, weight checked.", "Attended", "", True),
    ("20/06/2023", "Clinic appointment", "Review appointment.", "Yes", "No", False),  # the recorded cell wins
    ("21/06/2023", "Clinic appointment", "Virtual clinic review.", "Yes", "", None),
]


def write_clinic_case(tmp_path, with_seen_column=True):
    import textwrap

    (tmp_path / "case.yml").write_text(textwrap.dedent("""\
        case_id: A1
        child_name: Kai Ashdown
        date_of_birth: '2023-01-10'
        review_date: '2024-01-31'
        files:
        - path: clinic.csv
          agency: Northgate Paediatric Clinic
        """), encoding="utf-8")
    header = "Date,Type,Details,Attended" + (",Child seen" if with_seen_column else "")
    lines = [header] + [f'{d},{t},"{text}",{a}' + (f",{seen}" if with_seen_column else "")
                        for d, t, text, a, seen, _ in CLINIC_ROWS if with_seen_column or not seen]
    (tmp_path / "clinic.csv").write_text("\n".join(lines) + "\n", encoding="utf-8")
    return tmp_path


@pytest.mark.parametrize("with_seen_column", [True, False])
def test_attended_yes_at_a_clinic_appointment_is_the_child_seen(tmp_path, with_seen_column):
    from review.pipeline import load_case

    case = load_case(write_clinic_case(tmp_path, with_seen_column))
    contacts = case.contacts.sort_values("date")
    expected = [e for *_, seen, e in CLINIC_ROWS if with_seen_column or not seen]
    got = [None if v is pd.NA else bool(v) for v in contacts["child_seen"]]
    assert got == expected  # before: only the recorded "No" was read, every Attended "Yes" left blank
    types = contacts["contact_type"].tolist()
    assert types[3] == types[5] == "was_not_brought"  # "No", "DNA": still missed appointments
    notes = [n for f in case.report.files for n in f.notes if "Attended" in n]
    assert notes == ["2 row(s) say in column 'Attended' that the child attended a clinic appointment in person and "
                     "have no Child seen cell (rows 2, 9): read as the child seen"]


@pytest.mark.parametrize("contact_type, description, expected", [
    ("clinic_appointment", "Orthopaedic fracture clinic review.", True),
    ("clinic_appointment", "Developmental review, seen with mother.", True),
    ("clinic_appointment", "Mother's postnatal check.", False),
    ("clinic_appointment", "Appointment for dad re back pain.", False),
    ("clinic_appointment", "Telephone consultation.", False),
    ("phone_call", "Clinic follow-up.", False),
    ("letter", "Clinic appointment letter.", False),
    ("home_visit", "Visit.", False),
])
def test_the_attended_seen_rule(contact_type, description, expected):
    from review.sightings import attended_seen

    assert attended_seen(contact_type, "", description, "", with_child_names("", "Kai Ashdown")) is expected


# (4) Mobility: "she" of a girl (case.yml child_sex: female) after a reporter's report word is the child, whoever
# reports (Mum, Dad, carer, nursery staff), unless the text marks it as the reporter's own ("herself", "her own",
# "she herself"; not "walking by herself" / "on her own", the child unaided); "he" of a boy alike.

GIRL, BOY, NO_SEX = child_identity("Amy Price", "female"), child_identity("Jayden Price", "male"), \
    child_identity("Amy Price", None)


@pytest.mark.parametrize("text, child, expected", [
    ("Mum says she is walking", GIRL, MOBILE),  # was NO_STATEMENT
    ("Mum reports that she is crawling now", GIRL, MOBILE),
    ("Dad says she is cruising", GIRL, MOBILE),
    ("Carer reports she is walking", GIRL, MOBILE),
    ("Nursery staff report she is walking", GIRL, MOBILE),
    ("Mum says she is not yet rolling or sitting", GIRL, NOT_MOBILE),
    ("Mum says she is walking by herself", GIRL, MOBILE),
    ("Mum says she is walking on her own now", GIRL, MOBILE),
    ("Dad says he is walking", BOY, MOBILE),  # mirrored: was NO_STATEMENT (Dad's own sex)
    # the reporter's own
    ("Mum says she herself is walking again", GIRL, NO_STATEMENT),
    ("Mum says she has her own walking frame", GIRL, NO_STATEMENT),
    ("Mum says she is walking herself to the clinic", GIRL, NO_STATEMENT),
    ("Dad says he himself is walking again", BOY, NO_STATEMENT),
    ("Dad says he is walking to work", BOY, NO_STATEMENT),
    # not the child's: the other sex's pronoun, or no child_sex
    ("Mum says he is crawling", GIRL, NO_STATEMENT),
    ("Mum says she is walking", NO_SEX, NO_STATEMENT),
    ("Mum says she is walking", BOY, NO_STATEMENT),
])
def test_she_after_a_report_word_is_the_girl_unless_marked_the_reporters_own(text, child, expected):
    assert mobility_statement(text, child) == expected
    assert row_statement(text, None, child) == expected


def test_the_timeline_and_the_baseline_read_mums_report_of_the_girl_walking(tmp_path):
    import datetime as dt
    import sys
    import textwrap
    from pathlib import Path

    from review.pipeline import analyse, load_case
    from review.rules import load_rules

    (tmp_path / "case.yml").write_text(textwrap.dedent("""\
        case_id: M2
        child_name: Amy Price
        child_sex: female
        date_of_birth: '2023-01-10'
        review_date: '2024-01-31'
        files:
        - path: hv.csv
          agency: Oakfield Health Visiting
        """), encoding="utf-8")
    (tmp_path / "hv.csv").write_text(textwrap.dedent("""\
        Date,Details
        12/06/2023,"Developmental check: not yet rolling or sitting, not independently mobile."
        20/12/2023,"Home visit. Mum says she is walking."
        10/01/2024,"Bruise to left cheek noted at home visit."
        """), encoding="utf-8")
    analysis = analyse(load_case(tmp_path))
    # was [False, False, False]: the bruise read as in a non-mobile child
    assert analysis.timeline["child_mobile"].tolist() == [False, True, True]
    assert analysis.flags[analysis.flags["rule_id"] == "nonmobile_injury"].empty

    sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "benchmarks"))
    import baseline_rowwise

    timeline = analysis.timeline
    rows = []
    for r in timeline.astype(object).where(timeline.notna(), None).to_dict("records"):
        r["date"] = pd.Timestamp(r["date"]).to_pydatetime()
        rows.append(r)
    info = {"M2": {"date_of_birth": dt.date(2023, 1, 10), "review_date": dt.date(2024, 1, 31),
                   "child_name": "Amy Price", "child_sex": "female"}}
    base, _ = baseline_rowwise.run(rows, info, load_rules())
    assert [r["child_mobile"] for r in base] == [False, True, True]


def test_an_appointment_of_a_parent_named_in_case_yml_is_not_the_childs(tmp_path):
    from review.pipeline import load_case

    write_clinic_case(tmp_path)
    (tmp_path / "case.yml").write_text((tmp_path / "case.yml").read_text(encoding="utf-8")
                                       + "people:\n  Sian Ashdown: Mother\n", encoding="utf-8")
    (tmp_path / "clinic.csv").write_text(
        'Date,Type,Details,Attended\n12/06/2023,Clinic appointment,"Sian attended re low mood.",Yes\n'
        '13/06/2023,Clinic appointment,"Sian brought Kai, weighed.",Yes\n', encoding="utf-8")
    seen = load_case(tmp_path).contacts.sort_values("date")["child_seen"].tolist()
    assert seen[0] is pd.NA and seen[1] is True
