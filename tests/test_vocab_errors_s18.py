"""s18 (QA4 17): a mistake in a case's vocab.yml ("appointment" for "clinic_appointment") stopped the build with
`review: error: vocabulary contact_types: unknown contact type 'appointment'`, raised deep in ingest: it named
neither the file nor the valid contact types. Now the case's vocab.yml is checked when it is read: one error
naming the file, the line, the key, the closest name and every valid one.
"""
from __future__ import annotations

import copy

import pytest

from review.config import load_vocab, own_vocab, package_data
from review.errors import ConfigError
from review.schema import CONTACT_TYPES
from review.vocab import Vocabulary


def _case(tmp_path, text: str):
    (tmp_path / "vocab.yml").write_text(text, encoding="utf-8")
    return tmp_path


def test_an_unknown_contact_type_names_the_file_the_line_and_the_valid_types(tmp_path):
    case = _case(tmp_path, "agencies:\n  EHE team:\n    kind: education\ncontact_types:\n  appointment: [F2F, Check-up]\n")
    with pytest.raises(ConfigError) as caught:
        load_vocab(case)
    err = caught.value
    assert err.file == str(case / "vocab.yml")
    assert err.row == 5
    text = str(err)
    assert text.startswith(f"{case / 'vocab.yml'}, row 5: contact_types.appointment: unknown contact type 'appointment'")
    assert "did you mean 'clinic_appointment'?" in text
    assert all(name in text for name in CONTACT_TYPES)


@pytest.mark.parametrize("text, key, name", [
    ("missed_attendance_types: [was_not_brought, dna]\n", "missed_attendance_types", "dna"),
    ("concerns:\n  neglectt: [malnourished]\n", "concerns.neglectt", "neglectt"),
    ("agency_contact_types:\n  home_visit:\n    within: [visit]\n", "agency_contact_types.home_visit.within", "visit"),
])
def test_other_unknown_names_in_the_case_vocabulary_name_the_file_and_key(tmp_path, text, key, name):
    with pytest.raises(ConfigError) as caught:
        own_vocab(_case(tmp_path, text))
    assert caught.value.file == str(tmp_path / "vocab.yml")
    assert f"{key}: unknown " in str(caught.value) and repr(name) in str(caught.value)


def test_a_valid_case_vocabulary_is_read_as_before(tmp_path):
    case = _case(tmp_path, "contact_types:\n  clinic_appointment: [F2F, Face to face]\nconcerns:\n  neglect: [malnourished]\n")
    assert own_vocab(case) == {"contact_types": {"clinic_appointment": ["F2F", "Face to face"]},
                               "concerns": {"neglect": ["malnourished"]}}


def test_compiling_a_vocabulary_lists_the_contact_types_too():
    vocab = copy.deepcopy(package_data("vocab.yml"))
    vocab["contact_types"]["visit"] = ["call round"]
    with pytest.raises(ConfigError, match=r"unknown contact type 'visit' \(did you mean 'home_visit'\?\); "
                                          r"the contact types are home_visit, clinic_appointment, "):
        Vocabulary.from_dict(vocab)
