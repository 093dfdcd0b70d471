"""While a conversation waits for an agent, only action_while_handed_over answers
(bot/components/handed_over.py), and « revenir à l’assistant » is recognised in its variants."""

from __future__ import annotations

import pytest
from actions.conversation import wants_the_assistant_back
from components.handed_over import next_action
from rasa.shared.core.events import ActionExecuted, SlotSet, UserUttered
from rasa.shared.core.slots import TextSlot
from rasa.shared.core.trackers import DialogueStateTracker


def tracker(state: str | None, *events) -> DialogueStateTracker:
    slot = TextSlot("handoff_state", mappings=[{"type": "custom"}], influence_conversation=False)
    return DialogueStateTracker.from_events(
        "test", [SlotSet("handoff_state", state), *events], slots=[slot]
    )


LISTENED = (ActionExecuted("action_listen"), UserUttered("Vous êtes là ?"))

CASES = {
    "not handed over: the other policies decide": (None, LISTENED, None),
    "waiting, the customer wrote": ("waiting", LISTENED, "action_while_handed_over"),
    "acknowledged, the customer wrote": ("acknowledged", LISTENED, "action_while_handed_over"),
    "just handed over": ("waiting", (ActionExecuted("action_human_handoff"),), "action_listen"),
    "taken back to the assistant": (
        None,
        (*LISTENED, ActionExecuted("action_while_handed_over")),
        "action_listen",
    ),
}


@pytest.mark.parametrize(("state", "events", "expected"), CASES.values(), ids=CASES)
def test_the_next_action_while_handed_over(state, events, expected):
    assert next_action(tracker(state, *events)) == expected


@pytest.mark.parametrize(
    ("text", "back"),
    [
        ("revenir à l’assistant", True),
        ("Revenir à l'assistant", True),
        ("je préfère continuer avec l'assistant svp", True),
        ("retour au bot", True),
        ("où est mon colis ?", False),
        ("l'assistant m'a mal répondu", False),
        ("je veux revenir sur ma commande", False),
    ],
)
def test_going_back_to_the_assistant_is_recognised(text, back):
    assert wants_the_assistant_back(text) is back
