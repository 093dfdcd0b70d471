"""Quality gate of the details read by the served model on the detail test set
(tests/nlu/details/details.yml, written by someone who did not see the components).

Negated causes and non-addresses are held to issue 16's targets (never). The F1 gates are
regression gates below the measured level (item 0.88, reason 0.82 at the last
`make eval-nlu`): the issue's target of 0.95 is not reached yet, and reports/nlu/details.json
says by how much.
"""

from __future__ import annotations

import pytest

from tools.details_eval import evaluate_details

F1_GATES = {"item": 0.85, "reason": 0.78}


@pytest.fixture(scope="module")
def figures(trained_model):
    return evaluate_details(trained_model)


@pytest.mark.parametrize("slot", sorted(F1_GATES))
def test_the_lines_named_and_the_reason_keep_their_f1(figures, slot):
    assert figures["slots"][slot]["f1"] >= F1_GATES[slot]


def test_a_negated_cause_is_never_taken_as_the_cause(figures):
    assert figures["messages_with_negated_causes"] > 0
    assert figures["negated_causes_taken"] == 0


def test_no_message_that_is_not_an_address_is_accepted_as_one(figures):
    assert figures["non_addresses"] > 0
    assert figures["non_addresses_accepted"] == 0
