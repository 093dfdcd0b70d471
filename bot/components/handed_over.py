"""While a conversation waits in the agents' queue, the assistant does not answer it.

Once `action_human_handoff` has queued a conversation for a live agent, it sets the
`handoff_state` slot to "waiting" (bot/actions/conversation.py). From then on every customer
message is handled by `action_while_handed_over` alone — it keeps the message for the agent's
transcript, acknowledges the first one once, or takes the customer back to the assistant when
they ask for it — and no other policy's answer is sent (docs/handoff.md). When an agent takes
the conversation, the workspace clears the slot and pauses the conversation (Rasa's
`ConversationPaused`): then the dialogue engine predicts nothing at all.

A policy rather than rules: rules would need one per intent, and the intent of a message
written to a human does not matter. Its prediction is a "no user" prediction with the highest
priority, so it wins over the rule policy's, forms included.
"""

from __future__ import annotations

from typing import Any

from rasa.core.policies.policy import Policy, PolicyPrediction, SupportedData
from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.engine.storage.resource import Resource
from rasa.shared.core.constants import ACTION_LISTEN_NAME
from rasa.shared.core.domain import Domain
from rasa.shared.core.generator import TrackerWithCachedStates
from rasa.shared.core.trackers import DialogueStateTracker

from components.handoff_state import HANDOFF_STATE_SLOT, WAITING_STATES, WHILE_HANDED_OVER_ACTION

# Above the rule policy's 6: the queue's silence wins over any rule or form.
PRIORITY = 7


def next_action(tracker: DialogueStateTracker) -> str | None:
    """The only action allowed while the conversation waits for an agent (None: not waiting).
    After `action_while_handed_over`, listen — also when it has just taken the customer back
    to the assistant: no other policy answers that message."""
    if tracker.latest_action_name == WHILE_HANDED_OVER_ACTION:
        return ACTION_LISTEN_NAME
    if tracker.get_slot(HANDOFF_STATE_SLOT) not in WAITING_STATES:
        return None
    if tracker.latest_action_name == ACTION_LISTEN_NAME:
        return WHILE_HANDED_OVER_ACTION  # the customer just wrote
    return ACTION_LISTEN_NAME


@DefaultV1Recipe.register(
    DefaultV1Recipe.ComponentType.POLICY_WITHOUT_END_TO_END_SUPPORT, is_trainable=True
)
class HandedOverPolicy(Policy):
    @staticmethod
    def get_default_config() -> dict[str, Any]:
        return {"priority": PRIORITY}

    @staticmethod
    def supported_data() -> SupportedData:
        return SupportedData.ML_AND_RULE_DATA

    def train(
        self,
        training_trackers: list[TrackerWithCachedStates],
        domain: Domain,
        **kwargs: Any,
    ) -> Resource:
        """Nothing to learn: an empty resource, so that the model loads it like any policy's."""
        with self._model_storage.write_to(self._resource):
            pass
        return self._resource

    def predict_action_probabilities(
        self,
        tracker: DialogueStateTracker,
        domain: Domain,
        rule_only_data: dict[str, Any] | None = None,
        **kwargs: Any,
    ) -> PolicyPrediction:
        probabilities = self._default_predictions(domain)
        action = next_action(tracker)
        if action is None:
            return self._prediction(probabilities)
        probabilities[domain.index_for_action(action)] = 1.0
        return self._prediction(probabilities, is_no_user_prediction=True)
