"""Taking back a request for a person (docs/handoff.md).

Two ways: « revenir à l’assistant » while the conversation waits for an agent, and « ah non
finalement, annulez » right after the assistant said the request was passed on outside opening
hours, or later on in so many words (« annulez la demande AG-… »). Either way the request
leaves the queue, unless an agent took it meanwhile (then the
agent answers).
"""

from __future__ import annotations

from components.handoff_state import HANDOFF_STATE_SLOT
from rasa_sdk import Tracker
from rasa_sdk.events import EventType, SlotSet
from rasa_sdk.executor import CollectingDispatcher

from actions import cues
from actions.faq import said_last_turn
from actions.preview import is_preview
from actions.shop import help_desk
from backend.clock import SystemClock
from backend.handoff import NotQueued

# The answers that say a request for a person was queued for later (by email).
QUEUED_FOR_LATER = {
    "utter_handoff_after_hours_by_email",
    "utter_handoff_after_hours_write_to_support",
    "utter_handoff_by_email",
    "utter_handoff_write_to_support",
}


def withdraw_the_request_for_a_person(
    dispatcher: CollectingDispatcher, tracker: Tracker
) -> list[EventType]:
    """Out of the queue, with its reference said; nothing to withdraw any more (an agent
    closed it) asks how to help."""
    try:
        reference = help_desk().withdraw(tracker.sender_id, SystemClock().now())
    except NotQueued:  # the handoff ended meanwhile: nothing to withdraw
        dispatcher.utter_message(response="utter_how_can_i_help")
        return [SlotSet(HANDOFF_STATE_SLOT, None)]
    if reference is None:
        return []  # an agent took the conversation meanwhile and answers
    dispatcher.utter_message(response="utter_handoff_withdrawn", reference=reference)
    return [SlotSet(HANDOFF_STATE_SLOT, None)]


def withdrawn_right_after_the_handoff(
    dispatcher: CollectingDispatcher, tracker: Tracker
) -> list[EventType] | None:
    """« ah non finalement annulez, j'ai trouvé ma réponse » to « C'est noté (référence
    AG-…) »: the request for a person is withdrawn. It used to start the order's
    cancellation, which nobody asked for. None when the message is not that."""
    text = tracker.latest_message.get("text") or ""
    if is_preview(tracker):
        return None
    just_made = bool(QUEUED_FOR_LATER.intersection(said_last_turn(tracker)))
    if just_made and cues.takes_back_the_request_for_a_person(text):
        return withdraw_the_request_for_a_person(dispatcher, tracker)
    # « annulez la demande AG-35D977DC » later on: the request for a person named as such
    if cues.names_the_request_for_a_person(text) and help_desk().open_handoff(tracker.sender_id):
        return withdraw_the_request_for_a_person(dispatcher, tracker)
    return None


def withdraw_an_open_handoff(
    dispatcher: CollectingDispatcher, tracker: Tracker
) -> list[EventType] | None:
    """The conversation's request for a person withdrawn, if one is open; else None."""
    if is_preview(tracker) or help_desk().open_handoff(tracker.sender_id) is None:
        return None
    return withdraw_the_request_for_a_person(dispatcher, tracker)
