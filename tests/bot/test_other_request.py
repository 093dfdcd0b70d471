"""A second request in the customer's message (actions/other_request.py): offered once the
first one is answered, never lost, never offered twice."""

from __future__ import annotations

import pytest
from action_helpers import make_tracker, responses, run_action, slot_events
from actions import slots
from actions.address import ActionChangeAddress, ActionRecordAddressChange
from actions.conversation import ActionAnswerYesNo
from actions.other_request import other_request, then_the_other_request
from actions.shop_info import ActionLoyaltyBalance
from actions.tracking import ActionTrackOrder
from rasa_sdk.events import SlotSet
from rasa_sdk.executor import CollectingDispatcher

SOPHIE = {slots.VERIFIED_ORDER: "AZ104204", slots.VERIFIED_EMAIL: "sophie.martin@exemple.com"}


@pytest.mark.parametrize(
    ("message", "handled", "other"),
    [
        ("je veux retourner les boucles et aussi savoir mon solde de points", "loyalty_balance",
         "return_item"),
        ("où est ma commande ? et je voudrais aussi changer l'adresse", "track_order",
         "change_address"),
        ("je veux retourner la bague et échanger le collier", "return_item", "exchange_item"),
        ("pis tant qu'à y être, annulez l'autre commande", "track_order", "cancel_order"),
        # one request only, or the same one said twice
        ("je veux retourner la bague", "return_item", None),
        ("où est mon colis, je l'ai jamais reçu et je veux savoir où il est", "missing_parcel",
         None),
        ("la bague est pas la bonne, je veux la retourner", "wrong_item", None),
        # alternatives, not a second request
        ("je veux retourner ou échanger la bague", "return_item", None),
        # a request word nothing joins to the first
        ("la garantie, elle couvre quoi ?", "return_item", None),
    ],
)  # fmt: skip
def test_the_other_request_is_one_joined_to_the_first(message, handled, other):
    assert other_request(message, handled) == other


def two_requests_then(latest: str, intent: str, events: list[dict] | None = None):
    first = "je veux retourner les boucles d'oreilles et aussi savoir mon solde de points"
    return make_tracker(
        latest,
        intent=intent,
        slots=SOPHIE,
        events=[
            {"event": "user", "text": first, "parse_data": {"intent": {"name": "loyalty_program"}}},
            {"event": "bot", "metadata": {"utter_action": "utter_faq_loyalty_balance"}},
            *(events or []),
            {"event": "user", "text": latest, "parse_data": {"intent": {"name": intent}}},
        ],
    )


def test_once_the_first_request_is_answered_the_other_is_offered(shop):
    tracker = two_requests_then("AZ104204 sophie.martin@exemple.com", "inform")

    messages, events = run_action(ActionLoyaltyBalance(), tracker)

    assert responses(messages)[-1] == "utter_offer_also_return_item"
    assert slot_events(events)[slots.PENDING_CONFIRMATION] == "personalise:action_return_item"


def test_a_yes_to_the_offer_runs_the_other_flow_for_the_verified_order(shop):
    tracker = make_tracker(
        "oui",
        intent="affirm",
        slots={**SOPHIE, slots.PENDING_CONFIRMATION: "personalise:action_return_item"},
    )

    messages, events = run_action(ActionAnswerYesNo(), tracker)

    assert responses(messages)[0].startswith("utter_return")
    assert slot_events(events)[slots.TOPIC] == "return_item"


def test_the_other_request_is_offered_once(shop):
    tracker = two_requests_then(
        "AZ104204 sophie.martin@exemple.com",
        "inform",
        events=[{"event": "bot", "metadata": {"utter_action": "utter_offer_also_return_item"}}],
    )

    messages, _ = run_action(ActionLoyaltyBalance(), tracker)

    assert "utter_offer_also_return_item" not in responses(messages)


def test_a_message_with_one_request_gets_no_offer(shop):
    tracker = make_tracker("où est ma commande ?", intent="track_order", slots=SOPHIE)

    messages, _ = run_action(ActionTrackOrder(), tracker)

    assert not any(r.startswith("utter_offer_also_") for r in responses(messages) if r)


def test_no_offer_is_stacked_on_a_question_the_answer_asks():
    tracker = two_requests_then("AZ104204 sophie.martin@exemple.com", "inform")
    asked = [SlotSet(slots.PENDING_CONFIRMATION, "action_return_item")]
    dispatcher = CollectingDispatcher()

    assert then_the_other_request(dispatcher, tracker, asked, "loyalty_balance") == asked
    assert dispatcher.messages == []


def test_a_general_question_joined_to_the_request_is_answered_at_once(shop):
    text = "où en est ma commande AZ104204 et est-ce que la garantie couvre la perte d'une bague ?"
    tracker = make_tracker(text, intent="track_order", slots=SOPHIE)

    messages, events = run_action(ActionTrackOrder(), tracker)

    said = responses(messages)
    assert said[-2:] == ["utter_also_asked", "utter_faq_warranty_claim_not_covered_loss"]
    assert not any(response.startswith("utter_offer_also_") for response in said)


MARIE_PROCESSING = {
    slots.VERIFIED_ORDER: "AZ104201",
    slots.VERIFIED_EMAIL: "marie.tremblay@exemple.ca",
}


def test_a_cancellation_asked_beside_an_address_change_goes_first(shop):
    tracker = make_tracker(
        "je veux annuler ma commande et aussi changer l'adresse de livraison",
        intent="change_address",
        slots=MARIE_PROCESSING,
    )

    messages, events = run_action(ActionChangeAddress(), tracker)

    assert responses(messages)[0].startswith("utter_cancel")
    assert slot_events(events)[slots.TOPIC] == "cancel_order"


def test_leaving_the_address_to_cancel_answers_the_cancellation(shop):
    tracker = make_tracker(
        "non laisse faire l'adresse, je veux juste annuler",
        intent="deny",
        slots={**MARIE_PROCESSING, slots.NEW_ADDRESS: None},
    )

    messages, _ = run_action(ActionRecordAddressChange(), tracker)

    assert responses(messages)[0].startswith("utter_cancel")
    assert "utter_anything_else" not in responses(messages)
