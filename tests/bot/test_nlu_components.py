"""The custom NLU pieces: blending two classifiers, and identifiers never out of scope."""

from __future__ import annotations

import pytest
from components.ensemble import blend
from components.guard import guarded_intent

ORDER = [{"entity": "order_number", "value": "AZ415092"}]


def test_blend_is_the_weighted_mean_of_both_distributions():
    ranking = blend({"a": 0.8, "b": 0.2}, {"a": 0.2, "b": 0.6, "c": 0.2}, ngram_weight=0.5)

    assert [r["name"] for r in ranking] == ["a", "b", "c"]
    assert ranking[0]["confidence"] == pytest.approx(0.5)
    assert ranking[2]["confidence"] == pytest.approx(0.1)


@pytest.mark.parametrize("not_understood", ["out_of_scope", "nlu_fallback"])
def test_a_message_with_an_order_number_takes_the_best_in_scope_intent(not_understood):
    ranking = [
        {"name": "out_of_scope", "confidence": 0.5},
        {"name": "track_order", "confidence": 0.3},
    ]
    intent = guarded_intent({"name": not_understood, "confidence": 0.5}, ranking, ORDER)

    assert intent["name"] == "track_order"


def test_an_identifier_alone_becomes_inform_when_nothing_else_is_ranked():
    intent = guarded_intent({"name": "nlu_fallback", "confidence": 0.4}, [], ORDER)

    assert intent["name"] == "inform"


def test_an_out_of_scope_message_without_identifier_stays_out_of_scope():
    intent = {"name": "out_of_scope", "confidence": 0.9}

    assert guarded_intent(intent, [intent], []) is intent


def test_an_in_scope_intent_is_left_alone():
    intent = {"name": "return_item", "confidence": 0.7}

    assert guarded_intent(intent, [intent], ORDER) is intent
