"""Questions that never need an order: loyalty programme, order statuses, shipping, small talk.

One action answers every general intent from the FAQ (bot/actions/faq.py): the aspect asked
about, or a follow-up about the conversation's topic.
"""

from __future__ import annotations

from typing import Any

from rasa_sdk import Tracker
from rasa_sdk.events import EventType
from rasa_sdk.executor import CollectingDispatcher

from actions.base import AssistantAction, order_flow
from actions.faq import (
    PERSONALISABLE,
    answer_generally,
    answer_in_context,
    aspect_of,
    latest_mentions_an_order,
)
from actions.shop import shop_service


class ActionGeneralAnswer(AssistantAction):
    """The FAQ's answer for the message's intent, in the context of the conversation."""

    def name(self) -> str:
        return "action_general_answer"

    def act(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]
    ) -> list[EventType]:
        intent = tracker.latest_message.get("intent", {}).get("name") or ""
        service = shop_service()
        answered = answer_in_context(dispatcher, tracker, service, intent)
        if answered is not None:
            return answered
        if latest_mentions_an_order(tracker) and (
            flow := order_flow(PERSONALISABLE.get(intent, ""))
        ):
            # « c'est quoi le statut de AZ104207 ? sophie@… »: the customer gave the order to
            # be looked at, the general meaning of the statuses would ignore it
            return flow.act(dispatcher, tracker, domain)
        text = tracker.latest_message.get("text") or ""
        return answer_generally(dispatcher, tracker, service, intent, aspect_of(intent, text))
