"""« Je l'ai reçue ce matin » while the carrier's tracking does not say delivered yet.

The return, exchange and warranty flows cannot start before delivery, and the order's
delivery is what the carrier reports. When the customer says the parcel is in their hands,
answering « vous pourrez le faire après l'avoir reçue » contradicts them: carriers' tracking
is sometimes updated late. The flow's rule stands (the assistant does not mark an order
delivered on a customer's word), and a person who can confirm the delivery is offered.
"""

from __future__ import annotations

from rasa_sdk import Tracker
from rasa_sdk.events import EventType
from rasa_sdk.executor import CollectingDispatcher

from actions import cues
from actions.details import flow_messages
from actions.other_request import asks_something
from actions.yes_no import HANDOFF_ACTION, ask_confirmation

# The flows' answers that the order is not delivered yet.
NOT_DELIVERED = {
    "utter_return_not_delivered",
    "utter_return_not_delivered_holiday",
    "utter_exchange_not_delivered",
    "utter_warranty_not_delivered",
}


def received_before_the_tracking(
    dispatcher: CollectingDispatcher,
    tracker: Tracker,
    events: list[EventType],
    decision: str | None,
    topic: str,
) -> list[EventType]:
    """`events`, and the offer of a person when the customer said the parcel arrived."""
    if decision not in NOT_DELIVERED or asks_something(events):
        return events
    said = (parse_data.get("text") or "" for parse_data in flow_messages(tracker, topic))
    if not any(cues.says_it_arrived(text) for text in said):
        return events
    return [
        *events,
        *ask_confirmation(dispatcher, "utter_received_before_the_tracking", HANDOFF_ACTION),
    ]
