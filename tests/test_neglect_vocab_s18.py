"""Neglect and malnutrition read as concerns (QA4 defect 3: the case "Jordan", malnourished, 9): the words of
food, hygiene, dental neglect and a weight falling or well below the centiles, negated as ever."""
from __future__ import annotations

import pytest

from review.config import load_vocab
from review.vocab import tag_concerns

VOCAB = load_vocab()


@pytest.mark.parametrize("text, tags", [
    # community paediatrics' child protection medical
    ("Jordan malnourished: weight 19.8kg (well below 0.4th centile), BMI 12.1, dental caries, healed linear marks "
     "on both arms.", {"neglect", "weight_loss"}),
    # the police's welfare check
    ("Jordan (9) found in bedroom, extremely thin, soiled bedding, no food in kitchen.", {"neglect", "weight_loss"}),
    # the school's weight check: a centile fall written as numbers, food from bins
    ("Weight check: weight 22.1kg, was 26.4kg in March 2021 (dropped from 25th to below 2nd centile). Jordan eating "
     "food from bins at lunchtime.", {"neglect", "weight_loss"}),
    ("Jordan said 'mum locks the fridge' and 'I am a bad boy so I don't get tea'.", {"neglect"}),
    ("Strong odour, same clothes all week, hair matted.", {"neglect"}),
    ("Check-up. Multiple caries, poor oral hygiene. Needs treatment under GA (ASD).", {"neglect"}),
    # a weight stated as dropped (weight_drop)
    ("Weight check in school at DSL request. 22.1kg, drop from 26.4kg. Jordan seen, quiet, said he is hungry.",
     {"neglect", "weight_loss"}),
    ("Lost 3 kg since March.", {"weight_loss"}),
    ("Jordan returned after summer looking much thinner. Uniform very loose.", {"weight_loss"}),
    ("Home cluttered, little food in cupboards.", {"neglect"}),
])
def test_neglect_and_malnutrition_are_concerns(text, tags):
    assert tags <= set(tag_concerns(text, VOCAB))


@pytest.mark.parametrize("text", [
    "No weight loss. Not malnourished.",
    "Not underweight, no concerns re weight.",
    "No evidence of malnutrition.",
    "Teeth: no caries.",
    "Nil concerns re neglect, no tooth decay.",
    "No drop from 26kg.",
    # a centile or a count that is no weight
    "Reading age dropped from 25th to 9th percentile band.",
    "Lost 2 teeth this term.",
    "Thin hair noted.",
    "Referred to under weight management service.",
])
def test_negated_or_unrelated_mentions_are_not_neglect(text):
    assert not {"neglect", "weight_loss"} & set(tag_concerns(text, VOCAB))
