"""A message that asks several questions gets an answer to each (bot/actions/faq.py
`answer_the_other_questions`), once each, and never one that needs the customer's order."""

from __future__ import annotations

import pytest
from action_helpers import make_tracker, responses, run_action
from actions.conversation import ActionFallback
from actions.general import ActionGeneralAnswer
from actions.returns import ActionReturnItem
from actions.tracking import ActionTrackOrder
from components.entities import extract_entities


def question(text: str, intent: str, confidence: float = 0.95) -> dict:
    return {"text": text, "name": intent, "confidence": confidence}


def test_a_return_question_and_a_shipping_question_both_get_their_answer(shop):
    tracker = make_tracker(
        "C'est quoi le délai de retour ? Et vous livrez en Belgique ?",
        intent="return_item",
        questions=[
            question("C'est quoi le délai de retour ?", "return_item"),
            question("Et vous livrez en Belgique ?", "track_order", 0.61),
        ],
    )

    messages, _ = run_action(ActionReturnItem(), tracker)

    said = responses(messages)
    assert said[:2] == ["utter_faq_return_item_window", "utter_faq_shipping"]
    assert said[-1] == "utter_faq_offer_personalised"  # the offer still closes the answer


def test_each_question_about_one_topic_gets_its_own_aspect(shop):
    tracker = make_tracker(
        "combien de temps pour un échange et qui paie les frais de retour ?",
        intent="exchange_item",
        questions=[
            question("combien de temps pour un échange", "exchange_item"),
            question("qui paie les frais de retour ?", "return_item"),
        ],
    )

    messages, _ = run_action(ActionGeneralAnswer(), tracker)

    # the window read from its own question, not « paie » from the whole message
    assert responses(messages)[:2] == [
        "utter_faq_exchange_item_window",
        "utter_faq_return_item_shipping",
    ]


def test_a_short_question_the_classifier_cannot_place_asks_about_the_same_topic(shop):
    tracker = make_tracker(
        "la garantie c'est combien de temps ? Elle couvre quoi ?",
        intent="warranty_claim",
        questions=[
            question("la garantie c'est combien de temps ?", "warranty_claim", 1.0),
            question("Elle couvre quoi ?", "out_of_scope", 0.86),
        ],
    )

    messages, _ = run_action(ActionGeneralAnswer(), tracker)

    assert responses(messages)[:2] == [
        "utter_faq_warranty_claim_duration",
        "utter_faq_warranty_claim_exclusions",
    ]


def test_two_questions_on_the_same_answer_get_it_once(shop):
    tracker = make_tracker(
        "les taxes pour le Québec c'est combien? et pour le Québec en tout ?",
        intent="tax_info",
        questions=[
            question("les taxes pour le Québec c'est combien?", "tax_info"),
            question("et pour le Québec en tout ?", "tax_info"),
        ],
    )

    messages, _ = run_action(ActionGeneralAnswer(), tracker)

    assert responses(messages).count("utter_faq_tax_info_region") == 1


def test_a_question_that_needs_the_order_is_left_to_its_flow(shop):
    tracker = make_tracker(
        "c'est quoi le délai de retour ? et où est ma commande ?",
        intent="return_item",
        questions=[
            question("c'est quoi le délai de retour ?", "return_item"),
            question("et où est ma commande ?", "track_order"),
        ],
    )

    messages, _ = run_action(ActionGeneralAnswer(), tracker)

    assert not any(r.startswith("utter_faq_track_order") for r in responses(messages))


@pytest.mark.parametrize(
    "tracking", ["où est ma commande ?", "où est ma commande AZ104203 ?", "ma bague arrive quand ?"]
)
def test_a_general_question_asked_with_a_flow_is_answered_before_the_order_is_asked(shop, tracking):
    tracker = make_tracker(
        f"{tracking} et c'est quoi votre délai de retour ?",
        intent="track_order",
        questions=[
            question(tracking, "track_order"),
            question("et c'est quoi votre délai de retour ?", "return_item"),
        ],
        entities=[{"entity": e.entity, "value": e.value} for e in extract_entities(tracking)],
    )

    messages, events = run_action(ActionTrackOrder(), tracker)

    assert responses(messages) == [
        "utter_before_identification_track_order",
        "utter_faq_return_item_window",
    ]
    assert {"event": "followup", "name": "identification_form"} in [
        {"event": e.get("event"), "name": e.get("name")} for e in events
    ]


def test_an_identified_customer_asking_two_things_of_the_flow_gets_the_answer_for_the_order(
    shop,
):
    tracker = make_tracker(
        "je peux retourner mon bracelet ? et comment je fais le retour ?",
        intent="return_item",
        questions=[
            question("je peux retourner mon bracelet ?", "return_item"),
            question("et comment je fais le retour ?", "return_item"),
        ],
        slots={"verified_order": "AZ104205", "verified_email": "jdupont@exemple.fr"},
    )

    messages, _ = run_action(ActionReturnItem(), tracker)

    # the order's own verdict, which says how to go on; not the general rule beside it
    assert responses(messages)[0].startswith("utter_return_")
    assert not any(r.startswith("utter_faq_return_item") for r in responses(messages))


def test_several_questions_the_whole_message_could_not_place_are_answered(shop):
    tracker = make_tracker(
        "euh alors plusieurs trucs : vous faites des échanges de taille ? "
        "vous avez des promos en ce moment ?",
        intent="nlu_fallback",
        questions=[
            question("vous faites des échanges de taille ?", "exchange_item"),
            question("vous avez des promos en ce moment ?", "promotions"),
        ],
    )

    messages, _ = run_action(ActionFallback(), tracker)

    said = responses(messages)
    assert said[0].startswith("utter_faq_exchange_item")
    assert "utter_faq_promotions_on_now" in said or "utter_no_active_promotions" in said


def test_a_practice_the_faq_does_not_state_and_another_question_both_get_their_answer(shop):
    text = "Bonjour, combien de temps pour faire graver une bague, et vous acceptez paypal ?"
    tracker = make_tracker(
        text,
        intent="out_of_scope",
        questions=[
            question("Bonjour, combien de temps pour faire graver une bague", "out_of_scope"),
            question("vous acceptez paypal ?", "out_of_scope", 0.99),
        ],
    )

    messages, _ = run_action(ActionFallback(), tracker)

    assert responses(messages) == ["utter_practice_engraving_time", "utter_payment_methods"]
