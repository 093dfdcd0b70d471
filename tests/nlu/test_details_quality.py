"""Quality gate of the details read by the served model on the detail test set
(tests/nlu/details/details_fourth.yml: 406 messages written by hand, blind to the components
and to the three earlier sets, which are now the detail classifiers' training examples in
bot/details/).

Its figures when first scored with the classifiers (item 0.892, reason 0.925, warranty cause
0.867, preference 0.948, address 0.876; 2 negated causes taken of 52; 0 non-addresses
accepted of 40) set the gates just below them: they are what unseen French gets, and they do
not reach issue 16's 0.95 for item and reason nor its « never » for negated causes
(reports/nlu/details_fourth.json says by how much). A gate may only rise.
"""

from __future__ import annotations

import pytest

from tools.details_eval import DETAILS_DIR, evaluate_details

F1_GATES = {
    "details_fourth.yml": {
        "item": 0.87, "reason": 0.91, "warranty_cause": 0.85, "preference": 0.93, "address": 0.85,
    },
}  # fmt: skip
# Negated causes taken as the cause: the measured count is a ceiling until its misses are
# understood (issue 16 wants none).
NEGATED_TAKEN_AT_MOST = {"details_fourth.yml": 2}
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
