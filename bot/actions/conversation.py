"""Yes/no answers, fallbacks and the handoff to a human."""

from __future__ import annotations

from typing import Any

from rasa_sdk import Tracker
from rasa_sdk.events import EventType, SlotSet
from rasa_sdk.executor import CollectingDispatcher

from actions import slots
from actions.base import (
    HANDOFF_ACTION,
    AssistantAction,
    announce_request,
    ask_confirmation,
    is_preview,
    order_flow,
    verified_identity,
)
from actions.shop import shop_service

MISUNDERSTOOD = {"nlu_fallback", "out_of_scope"}


def conversation_summary(tracker: Tracker) -> str:
    """What an agent needs to pick the conversation up: intents, order, last messages."""
    user_turns = [e for e in tracker.events if e.get("event") == "user"]
    intents = [turn.get("parse_data", {}).get("intent", {}).get("name") for turn in user_turns]
    identity = verified_identity(tracker)
    lines = [
        f"Intentions : {', '.join(i for i in intents if i) or 'aucune'}",
        f"Commande vérifiée : {identity.order_number if identity else 'aucune'}",
        "Derniers messages du client :",
        *[f"- {turn.get('text') or ''}"[:300] for turn in user_turns[-5:]],
    ]
    return "\n".join(lines)


def hand_off(dispatcher: CollectingDispatcher, tracker: Tracker) -> list[EventType]:
    identity = verified_identity(tracker)
    outcome = shop_service().create_handoff(
        conversation_summary(tracker),
        order_number=identity.order_number if identity else None,
        email=identity.email if identity else None,
        conversation_id=tracker.sender_id,
        dry_run=is_preview(tracker),
    )
    response = "utter_handoff_by_email" if identity else "utter_handoff_write_to_support"
    return [*announce_request(dispatcher, outcome, response),
            SlotSet(slots.PENDING_CONFIRMATION, None)]  # fmt: skip


class ActionHumanHandoff(AssistantAction):
    def name(self) -> str:
        return HANDOFF_ACTION

    def act(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]
    ) -> list[EventType]:
        return hand_off(dispatcher, tracker)


class ActionAnswerYesNo(AssistantAction):
    """Routes « oui » / « non » to the question the assistant asked last, if any."""

    def name(self) -> str:
        return "action_answer_yes_no"

    def act(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]
    ) -> list[EventType]:
        pending = tracker.get_slot(slots.PENDING_CONFIRMATION)
        agreed = tracker.latest_message.get("intent", {}).get("name") == "affirm"
        cleared: list[EventType] = [SlotSet(slots.PENDING_CONFIRMATION, None)]
        if not pending:
            dispatcher.utter_message(response="utter_anything_else")
            return cleared
        if not agreed:
            dispatcher.utter_message(response="utter_confirmation_declined")
            return cleared
        if pending == HANDOFF_ACTION:
            return hand_off(dispatcher, tracker)
        flow, identity = order_flow(pending), verified_identity(tracker)
        if flow is None or identity is None:
            dispatcher.utter_message(response="utter_anything_else")
            return cleared
        return [*cleared, *flow.confirm(dispatcher, tracker, shop_service(), identity)]


def consecutive_fallbacks(tracker: Tracker) -> int:
    """Messages in a row, up to the latest, that were out of scope or not understood."""
    count = 0
    for event in reversed(tracker.events):
        if event.get("event") != "user":
            continue
        if event.get("parse_data", {}).get("intent", {}).get("name") not in MISUNDERSTOOD:
            break
        count += 1
    return count


class ActionFallback(AssistantAction):
    """A first message out of scope or not understood gets its answer; two in a row, a human."""

    def name(self) -> str:
        return "action_fallback"

    def act(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]
    ) -> list[EventType]:
        if consecutive_fallbacks(tracker) >= 2:
            return ask_confirmation(dispatcher, "utter_offer_handoff", HANDOFF_ACTION)
        intent = tracker.latest_message.get("intent", {}).get("name")
        out_of_scope = intent == "out_of_scope"
        dispatcher.utter_message(
            response="utter_out_of_scope" if out_of_scope else "utter_please_rephrase"
        )
        return []
