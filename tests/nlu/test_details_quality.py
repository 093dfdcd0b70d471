"""Quality gate of the details read by the served model on the two detail test sets
(tests/nlu/details/details_fifth.yml, 333 messages, and details_sixth.yml, 275: each written by
hand by a different author, blind to the components and to the four earlier sets, which are the
detail classifiers' training examples in bot/details/).

Their figures when first scored, blind (fifth / sixth: item 0.942 / 0.940, reason 0.909 /
0.823, warranty cause 0.929 / 0.918, preference 0.922 / 0.833, address 0.976 / 0.987; negated
causes taken 1 of 47 / 0 of 40; non-addresses accepted 0 of 41 / 0 of 35), set the gates
just below what the model scores now (reports/nlu/details_fifth.json, details_sixth.json).
A gate may only rise.
"""

from __future__ import annotations

import pytest

from tools.details_eval import DETAILS_DIR, evaluate_details

F1_GATES = {
    "details_fifth.yml": {
        "item": 0.93, "reason": 0.94, "warranty_cause": 0.96, "preference": 0.95, "address": 0.96,
    },
    "details_sixth.yml": {
        "item": 0.94, "reason": 0.90, "warranty_cause": 0.97, "preference": 0.92, "address": 0.97,
    },
}  # fmt: skip
# Negated causes taken as the cause: issue 16 wants none.
NEGATED_TAKEN_AT_MOST = {"details_fifth.yml": 0, "details_sixth.yml": 0}
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
