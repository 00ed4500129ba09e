"""An injury straight followed by "not seen" (no colon or dash) is a negated finding, not the child unseen
("Bruising not seen"); "Marks" is read as a finding label ("Marks: not seen"); a label answered "not yet
seen" is denied ("Bruising: not yet seen"). The child not seen is still the child not seen."""
from __future__ import annotations

import pytest

from review.config import load_vocab
from review.errors import ConfigError
from review.pipeline import analyse, load_case
from review.vocab import Vocabulary, tag_concerns

VOCAB = load_vocab()


@pytest.mark.parametrize(
    "text",
    [
        "Bruising not seen",
        "Bruising not seen.",
        "bruises not seen",
        "Bruising not observed",
        "Bruising none seen",
        "Bruising nil seen",
        "Bruising not yet seen",
        "Bruising not seen on examination",
        "New bruising not seen today",
        "Head injury not seen",
        "Injury not seen",
        "Injuries none seen on examination",
        "Burns not seen",
        "Fracture not seen on X-ray",
        "Skin check. Bruising not seen. Burns none seen",
        # the forms fixed before, still neither
        "Bruising: not seen",
        "Bruises - not seen",
        "No bruising seen",
        "Bruising - none",
        "Bruising: nil",
        "marks nil seen",
    ],
)
def test_an_injury_straight_followed_by_not_seen_is_neither_the_injury_nor_the_child_unseen(text):
    assert tag_concerns(text, VOCAB) == []


@pytest.mark.parametrize(
    "text",
    [
        "Marks: not seen",
        "Marks - not seen",
        "Marks: none seen",
        "Marks not seen",
        "Marks: not seen on examination",
        "Bruising: not yet seen",
        "Injuries: not yet seen",
        "Bruising - not yet seen",
        "Bruising: not yet seen on examination",
    ],
)
def test_marks_and_a_label_answered_not_yet_seen_are_no_finding_and_not_the_child_unseen(text):
    assert tag_concerns(text, VOCAB) == []


@pytest.mark.parametrize(
    "text, expected",
    [
        ("Child not seen", ["child_not_seen"]),
        ("Child not yet seen", ["child_not_seen"]),
        ("bruise seen, child not seen by GP", ["bruising", "child_not_seen"]),
        ("Bruising not seen, child not seen", ["child_not_seen"]),
        ("Child not seen. Bruising not seen.", ["child_not_seen"]),
        ("Bruising not seen; child not seen, asleep upstairs", ["child_not_seen"]),
        ("Marks not seen. Child not seen", ["child_not_seen"]),
        ("Home visit: not yet seen", ["child_not_seen"]),  # not a finding label
        ("Visit - not seen", ["child_not_seen"]),
        ("Mark not seen", ["child_not_seen"]),  # "Mark" may be the child's name
        ("Neglect not seen", ["child_not_seen", "neglect"]),  # not a finding on the body: unchanged
        ("Marks, not seen", ["child_not_seen"]),  # a comma: not the answer to "Marks"
    ],
)
def test_the_child_not_seen_is_still_the_child_not_seen(text, expected):
    assert tag_concerns(text, VOCAB) == expected


@pytest.mark.parametrize(
    "text, expected",
    [
        # the answer goes on: the finding may have been seen by someone else, or earlier; when unsure, tagged
        ("Bruising not seen by GP", ["bruising", "child_not_seen"]),
        # about an earlier occasion (finding_earlier_words): the injury's answer, not the child unseen
        ("bruise not seen before", ["bruising"]),
        ("Bruising not seen previously", ["bruising"]),
        ("Bruising: not yet seen by GP", ["bruising", "child_not_seen"]),
        # not straight after the injury word
        ("Bruising to arm not seen", ["bruising", "child_not_seen"]),
        # a qualifier, not a denial
        ("Bruising not accidental", ["bruising"]),
        ("Bruising: not accidental", ["bruising"]),
        ("Marks: bruise to cheek", ["bruising"]),
    ],
)
def test_an_answer_that_does_not_deny_the_finding_leaves_it_tagged(text, expected):
    assert tag_concerns(text, VOCAB) == expected


def test_the_findings_come_from_the_vocabulary_and_a_case_can_extend_them():
    # without finding_negations the unpunctuated form is read as before
    plain = {k: v for k, v in VOCAB.items() if k not in ("finding_concerns", "finding_words", "finding_negations")}
    assert tag_concerns("Bruising not seen", plain) == ["bruising", "child_not_seen"]
    assert tag_concerns("Marks: not seen", plain) == ["child_not_seen"]
    # a case's own finding word
    extended = dict(VOCAB, finding_words=[*VOCAB["finding_words"], "skin"])
    assert tag_concerns("Skin: not seen", VOCAB) == ["child_not_seen"]
    assert tag_concerns("Skin: not seen", extended) == []
    with pytest.raises(ConfigError, match="finding_concerns"):
        Vocabulary.from_dict(dict(VOCAB, finding_concerns=["bruises"]))


HEADER = "Date,Agency,Type of contact,Details of contact,Outcome\n"


def test_ingest_tags_the_unpunctuated_body_check_as_nothing_found(tmp_path):
    (tmp_path / "case.yml").write_text("case_id: t1\ndate_of_birth: '2023-01-01'\nreview_date: '2024-06-30'\n")
    rows = [
        ("01/03/2023", "Health Visiting", "Home visit", "Weight checked. Bruising not seen", ""),
        ("08/03/2023", "Health Visiting", "Home visit", "Skin check. Marks: not seen", ""),
        ("15/03/2023", "Health Visiting", "Home visit", "Bruising: not yet seen", ""),
        ("22/03/2023", "Health Visiting", "Home visit", "Mother refused access, child not seen", ""),
        ("29/03/2023", "GP", "Appointment", "bruise seen, child not seen by GP", ""),
    ]
    lines = [HEADER] + [",".join('"' + c + '"' for c in row) + "\n" for row in rows]
    (tmp_path / "chronology.csv").write_text("".join(lines))
    result = analyse(load_case(tmp_path))
    assert result.timeline["concerns"].tolist() == ["", "", "", "child_not_seen", "bruising; child_not_seen"]
