"""Eighteenth session (QA3 defect 3): a relative who reports, sends photographs of, or refers the child's
injury is no injured adult: the bruises are the child's (`Vocabulary._adults_injury`, vocab.yml
`injury_evidence_words`, `injury_source_words`), unless the words make them the adult's own."""
import pytest

from review.config import load_vocab
from review.vocab import tag_concerns

VOCAB = load_vocab()


@pytest.mark.parametrize("text", [
    "Referral from maternal aunt with photographs of bruises to both upper arms and a bruise behind the right ear.",
    "Referral from aunt with photographs of bruises to both upper arms.",
    "Grandmother sent photos of bruising to left cheek.",
    "Grandmother sent photos of bruising to her cheek.",
    "Referral from maternal aunt with bruises to both upper arms.",
    "Call from grandmother with bruising to left cheek.",
    "Referral from mother's GP with bruising to cheek.",
    "Grandmother sent photos, bruising to left cheek.",
])
def test_a_relative_passing_on_the_childs_bruising_is_the_childs(text):
    assert tag_concerns(text, VOCAB) == ["bruising"]


@pytest.mark.parametrize("text", [
    "Aunt has bruising to her face.",
    "Mother had a black eye.",
    "Mother assaulted by partner, photos of injuries to her face taken by police.",
    "Mother fled from partner with bruising to her face.",
    "Referral from school: mother has bruising to her face.",
])
def test_the_adults_own_injury_stays_the_adults(text):
    assert tag_concerns(text, VOCAB) == []


def test_the_report_word_reading_is_unchanged():
    assert tag_concerns("Mother reports bruise to her cheek.", VOCAB) == ["bruising"]
    assert tag_concerns("Mum admitted bruise on her arm.", VOCAB) == []
