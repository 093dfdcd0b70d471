"""« Je l'ai reçue ce matin » while the carrier's tracking does not say delivered
(actions/arrived.py): the flow's rule stands, and a person who can confirm is offered."""

from __future__ import annotations

import pytest
from action_helpers import make_tracker, responses, run_action, slot_events
from actions import cues, slots
from actions.exchange import ActionExchangeItem
from actions.returns import ActionReturnItem

MARIE_SHIPPED = {
    slots.VERIFIED_ORDER: "AZ104203",
    slots.VERIFIED_EMAIL: "marie.tremblay@exemple.ca",
}


@pytest.mark.parametrize(
    ("message", "arrived"),
    [
        ("ma bague est arrivée aujourd'hui mais elle est trop grande", True),
        ("Mais je l'ai reçue ce matin, je l'ai dans les mains !", True),
        ("ma bague est arrivée brisée", True),
        ("le facteur vient de me livrer le colis complètement écrasé", True),
        ("je viens de le recevoir", True),
        ("je viens de commander", False),
        ("je l'ai pas reçue", False),
        ("mon colis n'est toujours pas arrivé", False),
        ("quand est-ce que je vais la recevoir ?", False),
    ],
)
def test_saying_the_parcel_arrived_is_recognised(message, arrived):
    assert cues.says_it_arrived(message) is arrived


@pytest.mark.parametrize(
    ("action", "intent", "decision"),
    [
        (ActionExchangeItem, "exchange_item", "utter_exchange_not_delivered"),
        (ActionReturnItem, "return_item", "utter_return_not_delivered"),
    ],
)
def test_a_parcel_said_received_before_the_tracking_gets_a_person_offered(
    shop, action, intent, decision
):
    tracker = make_tracker(
        "ma bague est arrivée aujourd'hui mais elle est trop grande",
        intent=intent,
        slots=MARIE_SHIPPED,
    )

    messages, events = run_action(action(), tracker)

    assert responses(messages)[0] == decision
    assert responses(messages)[-1] == "utter_received_before_the_tracking"
    assert slot_events(events)[slots.PENDING_CONFIRMATION] == "action_human_handoff"


def test_a_parcel_not_said_received_gets_the_rule_alone(shop):
    tracker = make_tracker("je veux l'échanger", intent="exchange_item", slots=MARIE_SHIPPED)

    messages, _ = run_action(ActionExchangeItem(), tracker)

    assert "utter_received_before_the_tracking" not in responses(messages)
