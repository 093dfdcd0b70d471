"""The NLU evaluation counts a fallback as out of scope: an error for an in-scope message."""

from __future__ import annotations

from tools.nlu_eval import Example, Prediction, misclassified


def test_a_fallback_is_an_error_only_for_a_message_in_scope():
    gold = [
        Example("où est ma commande", "track_order"),
        Example("météo ?", "out_of_scope"),
        Example("je regrette", "return_item"),
    ]
    predicted = [
        Prediction("track_order", 0.9),
        Prediction("nlu_fallback", 0.6),
        Prediction("nlu_fallback", 0.64),
    ]

    errors = misclassified(gold, predicted)

    assert [(e["text"], e["predicted"]) for e in errors] == [("je regrette", "nlu_fallback")]
