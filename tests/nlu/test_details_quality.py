"""Quality gate of the details read by the served model on each detail test set
(tests/nlu/details/details*.yml, written by people who did not see the components).

Both sets gated here were read for their misses, and the components widened with general rules
(a lexical family, a construction, a negation scope; each with unit sentences of its own in
tests/bot/test_details.py): they are regression gates, not a measure of unseen French. On the
first set (details.yml) every slot F1 was 0.997–1.000 at the last measure, on the second
(details_second.yml) item 0.992, reason 0.989, warranty cause, preference and address 1.000,
no negated cause taken and no non-address accepted; the gates sit just below. The third set
(details_third.yml) is the blind measure and is deliberately not gated here.
"""

from __future__ import annotations

import pytest

from tools.details_eval import DETAILS_DIR, evaluate_details

F1_GATES = {
    "details.yml": {
        "item": 0.98, "reason": 0.98, "warranty_cause": 0.98, "preference": 0.98, "address": 0.98,
    },
    "details_second.yml": {
        "item": 0.98, "reason": 0.97, "warranty_cause": 0.98, "preference": 0.98, "address": 0.98,
    },
}  # fmt: skip
# Negated causes taken as the cause: never (issue 16).
NEGATED_TAKEN_AT_MOST = {"details.yml": 0, "details_second.yml": 0}
GATES = [(name, slot, gate) for name, slots in F1_GATES.items() for slot, gate in slots.items()]


@pytest.fixture(scope="module")
def figures(trained_model):
    cache: dict[str, dict] = {}

    def of(name: str) -> dict:
        path = DETAILS_DIR / name
        if not path.is_file():
            pytest.fail(f"detail test set {name} is missing")
        if name not in cache:
            cache[name] = evaluate_details(trained_model, path)
        return cache[name]

    return of


@pytest.mark.parametrize(("name", "slot", "gate"), GATES)
def test_each_detail_keeps_its_f1_on_each_set(figures, name, slot, gate):
    assert figures(name)["slots"][slot]["f1"] >= gate


@pytest.mark.parametrize("name", sorted(NEGATED_TAKEN_AT_MOST))
def test_a_negated_cause_is_not_taken_as_the_cause(figures, name):
    assert figures(name)["messages_with_negated_causes"] > 0
    assert figures(name)["negated_causes_taken"] <= NEGATED_TAKEN_AT_MOST[name]


@pytest.mark.parametrize("name", sorted(F1_GATES))
def test_no_message_that_is_not_an_address_is_accepted_as_one(figures, name):
    assert figures(name)["non_addresses"] > 0
    assert figures(name)["non_addresses_accepted"] == 0
