"""Quality gate of the details read by the served model on the detail test set
(tests/nlu/details/details.yml, written by someone who did not see the components): the
targets of issue 16. `make eval-nlu` reports the same figures per slot in reports/nlu/.
"""

from __future__ import annotations

import pytest

from tools.details_eval import evaluate_details

F1_GATE = 0.95


@pytest.fixture(scope="module")
def figures(trained_model):
    return evaluate_details(trained_model)


@pytest.mark.parametrize("slot", ["item", "reason"])
def test_the_lines_named_and_the_reason_are_read_with_an_f1_of_at_least_095(figures, slot):
    assert figures["slots"][slot]["f1"] >= F1_GATE


def test_a_negated_cause_is_never_taken_as_the_cause(figures):
    assert figures["messages_with_negated_causes"] > 0
    assert figures["negated_causes_taken"] == 0


def test_no_message_that_is_not_an_address_is_accepted_as_one(figures):
    assert figures["non_addresses"] > 0
    assert figures["non_addresses_accepted"] == 0
