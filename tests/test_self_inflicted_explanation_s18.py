"""A parent's explanation of an injury as self-inflicted is the parent's account, not the child's self-harm
(QA4 defect 10: "Mum says bruises self-inflicted during meltdowns" was tagged self_harm)."""
from __future__ import annotations

import pytest

from review.config import load_vocab
from review.vocab import tag_concerns

VOCAB = load_vocab()


@pytest.mark.parametrize("text, injury", [
    ("Assessment home visit. Home cluttered. Mum says bruises self-inflicted during meltdowns.", "bruising"),
    ("Mother explained the burn as self-inflicted.", "burn"),
    ("Dad said the fracture was self inflicted.", "fracture"),
])
def test_adults_explanation_is_no_self_harm(text, injury):
    tags = set(tag_concerns(text, VOCAB))
    assert "self_harm" not in tags
    assert injury in tags  # the injury itself is still recorded


@pytest.mark.parametrize("text", [
    "Mum says cuts self-inflicted.",  # cuts: a self-harm told of
    "Jordan says bruises self-inflicted.",  # the child's own account
    "Bruises self-inflicted.",
    "Mum reports Chloe self-harmed.",
    "Superficial cuts to forearms, self-inflicted.",
])
def test_self_harm_still_read(text):
    assert "self_harm" in tag_concerns(text, VOCAB)
