"""Quality gate: the trained NLU must keep its level on the held-out French test set.

The gate is deliberately below the benchmark targets (reported by `make eval-nlu` with the
peer baseline beside it): it catches a regression in the data or the pipeline, not normal
noise between two trainings.
"""

from __future__ import annotations

import pytest

from tools.nlu_eval import evaluate, evaluate_realistic

MACRO_F1_GATE = 0.90
ENTITY_F1_GATE = 0.95


@pytest.fixture(scope="module")
def evaluation(trained_model):
    return evaluate(trained_model)


def test_macro_f1_on_the_held_out_set_stays_above_the_gate(evaluation):
    assert evaluation["assistant"]["macro_f1"] >= MACRO_F1_GATE


@pytest.mark.parametrize("entity", ["order_number", "email"])
def test_identifiers_are_extracted_with_their_normalised_value(evaluation, entity):
    assert evaluation["assistant"]["entities"][entity]["f1"] >= ENTITY_F1_GATE


# Measured 0.953 (fallbacks counted as errors) when the set landed; a gate below it.
REALISTIC_MACRO_F1_GATE = 0.92


def test_messages_as_customers_really_type_them_keep_their_level(trained_model):
    assert evaluate_realistic(trained_model)["macro_f1"] >= REALISTIC_MACRO_F1_GATE
