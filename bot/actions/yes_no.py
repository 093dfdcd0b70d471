"""Yes/no questions: the two quick replies, and which action a « oui » runs.

The `pending_confirmation` slot names that action; action_answer_yes_no
(bot/actions/conversation.py) runs it on « oui ». The flows (actions.base) and the general
answers (actions.faq, which base imports) both ask such questions, so they live here.
"""

from __future__ import annotations

from typing import Any

from rasa_sdk.events import EventType, SlotSet
from rasa_sdk.executor import CollectingDispatcher

from actions import slots

HANDOFF_ACTION = "action_human_handoff"
# Their payloads are let through the customer-input filter (server/customer_input.py).
YES_NO_BUTTONS = [
    {"title": "Oui", "payload": "/affirm"},
    {"title": "Non", "payload": "/deny"},
]


# Questions whose response in bot/domain.yml carries buttons of its own (« Oui, un
# conseiller »): the plain « Oui » / « Non » would be shown beside them a second time.
WITH_THEIR_OWN_BUTTONS = {"utter_sorry_angry"}


def ask_confirmation(
    dispatcher: CollectingDispatcher, response: str, action_name: str, **values: Any
) -> list[EventType]:
    """Ask a yes/no question; the answer is routed back to `action_name`."""
    buttons = [] if response in WITH_THEIR_OWN_BUTTONS else YES_NO_BUTTONS
    dispatcher.utter_message(response=response, buttons=buttons, **values)
    return [SlotSet(slots.PENDING_CONFIRMATION, action_name)]
