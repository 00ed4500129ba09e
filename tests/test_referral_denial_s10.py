"""`denies` reads a referral made and awaiting its answer, or logged by MASH, as made, as ingest's
`detect_escalations` does (`Vocabulary._made_awaiting`): the rules (held_escalations, which now read a
hand-filled referral cell with `denies`) and ingest agree."""
import pytest

from review.config import load_vocab
from review.vocab import compile_vocab, denies, detect_escalation

VOCAB = compile_vocab(load_vocab())

MADE = ["Referral to MASH pending outcome", "Referral to MASH awaiting response", "MASH referral awaiting MASH decision",
        "Safeguarding referral booked in with MASH", "Referral to MASH made, outcome pending"]
NOT_MADE = ["Referral to MASH pending", "Referral to MASH booked", "Referral to MASH not made",
            "Referral to MASH drafted, not yet sent"]


@pytest.mark.parametrize("text", MADE)
def test_made_and_awaiting_is_made_everywhere(text):
    assert detect_escalation("referral", text, VOCAB) == "referral_to_csc"
    assert not denies("referral_to_csc", text, VOCAB)
    assert not denies("referral", text, VOCAB)


@pytest.mark.parametrize("text", NOT_MADE)
def test_not_made_is_denied(text):
    assert detect_escalation("referral", text, VOCAB) == ""
    assert denies("referral_to_csc", text, VOCAB)
