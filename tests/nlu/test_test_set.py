"""The held-out test set is a fair exam: complete, and no copy of a training line."""

from __future__ import annotations

from collections import Counter

import pytest
from actions.intents import CONTRACT_INTENTS
from rapidfuzz.distance import Levenshtein

from tools.nlu_eval import (
    OUT_OF_SCOPE,
    TEST_SET,
    TRAINING_DATA,
    load_examples,
)

INTENTS = CONTRACT_INTENTS


def normalised(text: str) -> str:
    return " ".join(text.lower().split())


def too_close(test_text: str, train_text: str) -> bool:
    """Near copy: within 3 edits, or 10 % of the length for long messages.

    One- and two-word formulas ("merci", "bonjour", "oui svp") are exempt: they are the
    whole vocabulary of those intents, and a test set without them would not be realistic.
    """
    if len(test_text.split()) < 3:
        return False
    allowed = max(3, len(test_text) // 10)
    return Levenshtein.distance(test_text, train_text, score_cutoff=allowed) <= allowed


@pytest.fixture(scope="module")
def test_examples():
    return load_examples(TEST_SET)


@pytest.fixture(scope="module")
def training_examples():
    return load_examples(TRAINING_DATA)


def test_every_intent_has_at_least_fifteen_test_messages(test_examples):
    counts = Counter(example.intent for example in test_examples)

    assert set(counts) == set(INTENTS)
    assert all(counts[intent] >= 15 for intent in INTENTS)
    assert counts[OUT_OF_SCOPE] >= 60


def test_training_data_covers_exactly_the_contract_intents(training_examples):
    assert {example.intent for example in training_examples} == set(INTENTS)


@pytest.mark.slow  # a separate process or a spaCy model: make test only
def test_no_test_message_is_a_near_copy_of_a_training_message(test_examples, training_examples):
    train = [normalised(example.text) for example in training_examples]
    copies = [
        (example.text, match)
        for example in test_examples
        for text in [normalised(example.text)]
        for match in train
        if too_close(text, match)
    ]

    assert copies == []
