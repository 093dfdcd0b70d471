"""A new conversation session: what the assistant still knows of the customer.

Rasa starts a new session after `session_expiration_time` minutes of silence
(bot/domain.yml). Carrying every slot over kept a verified order: whoever used the same chat
hours later — a shared computer's widget, a family tablet — was answered about it without
giving the email. The new session keeps only what protects the customer or hands them over.
"""

from __future__ import annotations

from typing import Any

from components.handoff_state import HANDOFF_STATE_SLOT
from rasa_sdk import Action, Tracker
from rasa_sdk.events import ActionExecuted, EventType, SessionStarted, SlotSet
from rasa_sdk.executor import CollectingDispatcher

from actions import slots

# The failed identifications count against guessing; a conversation handed to a person stays
# with that person.
KEPT_ACROSS_SESSIONS = (slots.IDENTITY_FAILURES, HANDOFF_STATE_SLOT, slots.AGENT_NAME)


class ActionSessionStart(Action):
    def name(self) -> str:
        return "action_session_start"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]
    ) -> list[EventType]:
        kept = [
            SlotSet(name, tracker.get_slot(name))
            for name in KEPT_ACROSS_SESSIONS
            if tracker.get_slot(name) is not None
        ]
        return [SessionStarted(), *kept, ActionExecuted("action_listen")]
