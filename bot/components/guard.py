"""A message with an order number or an email is never out of scope.

"AZ415092" or "statut de ma commande AZ-118930, courriel …" can score low on every intent
(they are mostly identifiers); answering "je ne peux pas vous aider sur ce sujet" to a
customer who just gave their order number would be wrong. Placed after FallbackClassifier,
this component replaces out_of_scope / nlu_fallback by the best in-scope intent of the
ranking when the message carries an identifier, and by `inform` when there is none.
"""

from __future__ import annotations

from typing import Any

from rasa.engine.graph import ExecutionContext, GraphComponent
from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.engine.storage.resource import Resource
from rasa.engine.storage.storage import ModelStorage
from rasa.shared.nlu.constants import ENTITIES, INTENT, INTENT_RANKING_KEY
from rasa.shared.nlu.training_data.message import Message

IDENTIFIERS = {"order_number", "email"}
NOT_UNDERSTOOD = {"out_of_scope", "nlu_fallback"}
DEFAULT_INTENT = "inform"


def guarded_intent(intent: dict, ranking: list[dict], entities: list[dict]) -> dict:
    if intent.get("name") not in NOT_UNDERSTOOD:
        return intent
    if not any(entity.get("entity") in IDENTIFIERS for entity in entities):
        return intent
    in_scope = [item for item in ranking if item.get("name") not in NOT_UNDERSTOOD]
    return in_scope[0] if in_scope else {"name": DEFAULT_INTENT, "confidence": 1.0}


@DefaultV1Recipe.register(DefaultV1Recipe.ComponentType.INTENT_CLASSIFIER, is_trainable=False)
class IdentifierIntentGuard(GraphComponent):
    @classmethod
    def create(
        cls,
        config: dict[str, Any],
        model_storage: ModelStorage,
        resource: Resource,
        execution_context: ExecutionContext,
    ) -> IdentifierIntentGuard:
        return cls()

    def process(self, messages: list[Message]) -> list[Message]:
        for message in messages:
            intent = message.get(INTENT) or {}
            ranking = message.get(INTENT_RANKING_KEY) or []
            guarded = guarded_intent(intent, ranking, message.get(ENTITIES) or [])
            if guarded is not intent:
                message.set(INTENT, guarded, add_to_output=True)
        return messages
