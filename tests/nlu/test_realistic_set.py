"""The realistic test set is a well-formed exam: its shape only, no trained model needed.

tests/nlu/realistic_set.yml holds long, situational, misspelt and regional messages written
blind to the training data; it complements the short typical messages of test_set.yml. These
tests make sure it scores every contract intent, with the annotations the extractors know, and
repeats no message of the first set.
"""

from __future__ import annotations

from collections import Counter
from pathlib import Path

import pytest
from actions.intents import CONTRACT_INTENTS

from tools.nlu_eval import ENTITY_TYPES, OUT_OF_SCOPE, TEST_SET, load_examples

REALISTIC_SET = Path(__file__).parent / "realistic_set.yml"

MIN_PER_INTENT = 12
MIN_OUT_OF_SCOPE = 50
MIN_TOTAL = 350
# The intents customers reach most often get a deeper sample.
FREQUENT_INTENTS = (
    "track_order",
    "missing_parcel",
    "tracking_issue",
    "return_item",
    "exchange_item",
    "cancel_order",
    "change_address",
    "wrong_item",
    "warranty_claim",
    "order_status_info",
)
MIN_PER_FREQUENT_INTENT = 16


def normalised(text: str) -> str:
    return " ".join(text.lower().split())


@pytest.fixture(scope="module")
def realistic_examples():
    return load_examples(REALISTIC_SET)


@pytest.fixture(scope="module")
def intent_counts(realistic_examples):
    return Counter(example.intent for example in realistic_examples)


def test_the_set_scores_exactly_the_contract_intents(intent_counts):
    assert set(intent_counts) == set(CONTRACT_INTENTS)


def test_every_intent_has_at_least_twelve_messages(intent_counts):
    short = {intent: count for intent, count in intent_counts.items() if count < MIN_PER_INTENT}

    assert short == {}


def test_frequent_intents_have_a_deeper_sample(intent_counts):
    short = {
        intent: intent_counts[intent]
        for intent in FREQUENT_INTENTS
        if intent_counts[intent] < MIN_PER_FREQUENT_INTENT
    }

    assert short == {}


def test_out_of_scope_and_the_total_are_large_enough(intent_counts):
    assert intent_counts[OUT_OF_SCOPE] >= MIN_OUT_OF_SCOPE
    assert sum(intent_counts.values()) >= MIN_TOTAL


def test_annotations_use_only_the_entity_types_the_extractors_know(realistic_examples):
    unknown = {
        (example.text, entity_type)
        for example in realistic_examples
        for entity_type, _ in example.entities
        if entity_type not in ENTITY_TYPES
    }

    assert unknown == set()


def test_no_message_appears_twice(realistic_examples):
    counts = Counter(normalised(example.text) for example in realistic_examples)

    assert [text for text, count in counts.items() if count > 1] == []


def test_no_message_repeats_one_of_the_first_test_set(realistic_examples):
    first_set = {normalised(example.text) for example in load_examples(TEST_SET)}

    assert [ex.text for ex in realistic_examples if normalised(ex.text) in first_set] == []
