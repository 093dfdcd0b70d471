"""A message naming only a line of the order (« les boucles », « celle en or ») continues the
conversation's flow about lines, whatever intent its words classify as: after the return
answer, « les boucles » says which line to return, it does not start a warranty claim."""

from __future__ import annotations

import pytest
from action_helpers import make_tracker, responses, run_action
from actions import slots
from actions.base import flow_an_item_continues
from actions.cancellation import ActionCancelOrder
from actions.conversation import ActionAnswerYesNo, ActionFallback
from actions.details import item_mentions, names_only_an_item
from actions.exchange import ActionExchangeItem
from actions.returns import ActionReturnItem
from actions.warranty import ActionWarrantyClaim
from actions.wrong_item import ActionWrongItem

SOPHIE = {slots.VERIFIED_ORDER: "AZ104204", slots.VERIFIED_EMAIL: "sophie.martin@exemple.com"}


def item(value: str, role: str | None = None) -> dict:
    return {"entity": "item", "value": value, **({"role": role} if role else {})}


@pytest.mark.parametrize(
    ("text", "found", "only_an_item"),
    [
        ("les boucles", [item("boucle")], True),
        ("juste les boucles d'oreilles svp", [item("boucle oreille")], True),
        ("celle en perles", [item("perle")], True),
        ("les boucles sont arrivées cassées", [item("boucle"), {"entity": "reason"}], False),
        ("les boucles, c'est couvert ?", [item("boucle")], False),
        ("merci beaucoup", [item("merci", "words")], False),
        ("AZ104204", [{"entity": "order_number", "value": "AZ104204"}], False),
        (
            "je voudrais savoir si les boucles d'oreilles en perles sont encore garanties",
            [item("boucle oreille perle")],
            False,
        ),
    ],
)
def test_a_message_names_only_an_item_when_it_says_nothing_else(text, found, only_an_item):
    assert names_only_an_item({"text": text, "entities": found}) is only_an_item


def test_a_line_named_after_the_return_answer_continues_the_return(shop):
    assert ActionReturnItem().name() == "action_return_item"  # the flow registry knows it
    tracker = make_tracker(
        "les boucles", intent="warranty_claim", slots={**SOPHIE, slots.TOPIC: "return_item"}
    )

    messages, events = run_action(ActionWarrantyClaim(), tracker)

    assert "utter_return_eligible" in responses(messages)
    assert not any(name.startswith("utter_warranty") for name in responses(messages))
    assert {"event": "slot", "name": slots.TOPIC, "value": "return_item", "timestamp": None} in (
        events
    )


@pytest.mark.parametrize(
    "topic", [None, "track_order", "warranty_claim"], ids=["no topic", "tracking", "same flow"]
)
def test_a_line_named_outside_a_flow_about_lines_is_read_as_classified(shop, topic):
    tracker = make_tracker(
        "les boucles", intent="warranty_claim", slots={**SOPHIE, slots.TOPIC: topic}
    )

    messages, _ = run_action(ActionWarrantyClaim(), tracker)

    assert any(name.startswith("utter_warranty") for name in responses(messages))
    assert "utter_return_eligible" not in responses(messages)


def test_a_line_named_in_words_the_classifier_cannot_place_still_continues_the_return(shop):
    tracker = make_tracker(
        "les boucles", intent="nlu_fallback", slots={**SOPHIE, slots.TOPIC: "return_item"}
    )

    messages, _ = run_action(ActionFallback(), tracker)

    assert "utter_return_eligible" in responses(messages)
    assert "utter_please_rephrase" not in responses(messages)


JULIEN = {slots.VERIFIED_ORDER: "AZ104205", slots.VERIFIED_EMAIL: "jdupont@exemple.fr"}


@pytest.mark.parametrize(
    ("action", "text", "intent", "identity"),
    [
        (ActionWarrantyClaim(), "la pierre de ma bague s'est décrochée", "warranty_claim", JULIEN),
        (ActionReturnItem(), "je veux retourner ma bague", "return_item", SOPHIE),
        (ActionExchangeItem(), "je voudrais échanger le collier", "exchange_item", SOPHIE),
    ],
    ids=["warranty of a ring, order of a bracelet", "return of a ring", "exchange of a necklace"],
)
def test_jewellery_the_order_lacks_gets_what_the_order_holds_and_no_decision(
    shop, action, text, intent, identity
):
    messages, _ = run_action(action, make_tracker(text, intent=intent, slots=identity))

    assert responses(messages) == ["utter_item_not_in_order"]
    assert messages[0]["order_number"] == identity[slots.VERIFIED_ORDER]


@pytest.mark.parametrize(
    ("action", "text", "intent"),
    [
        (ActionReturnItem(), "je veux retourner les boucles", "return_item"),
        (ActionReturnItem(), "je veux retourner un article", "return_item"),
        (ActionReturnItem(), "je veux retourner mon bijou", "return_item"),
        (ActionWrongItem(), "j'ai reçu une bague au lieu de mes boucles", "wrong_item"),
        (ActionWrongItem(), "j'ai reçu une bague qui n'est pas à moi", "wrong_item"),
    ],
)
def test_jewellery_of_the_order_or_none_named_is_decided_as_usual(shop, action, text, intent):
    messages, _ = run_action(action, make_tracker(text, intent=intent, slots=SOPHIE))

    assert "utter_item_not_in_order" not in responses(messages)
    assert messages


@pytest.mark.parametrize(
    ("action", "text", "intent"),
    [
        (ActionFallback(), "ma blonde aime pas les boucles", "nlu_fallback"),
        (ActionFallback(), "les boucles me plaisent pas finalement", "out_of_scope"),
        (ActionAnswerYesNo(), "ah non les boucles, elle les aime pas", "deny"),
        (ActionAnswerYesNo(), "non, les boucles", "deny"),
    ],
)
def test_a_piece_named_with_why_or_as_a_correction_continues_the_return(shop, action, text, intent):
    tracker = make_tracker(text, intent=intent, slots={**SOPHIE, slots.TOPIC: "return_item"})

    messages, _ = run_action(action, tracker)

    assert "utter_return_eligible" in responses(messages)
    assert "utter_goodbye" not in responses(messages)


@pytest.mark.parametrize(
    ("text", "pending", "expected"),
    [
        ("non merci", None, "utter_goodbye"),
        ("non, j'ai changé d'avis", "action_return_item", "utter_confirmation_declined"),
    ],
    ids=["a no thanks", "a no with its reason"],
)
def test_a_no_that_names_no_piece_keeps_its_meaning_in_a_return(shop, text, pending, expected):
    state = {**SOPHIE, slots.TOPIC: "return_item", slots.PENDING_CONFIRMATION: pending}
    tracker = make_tracker(text, intent="deny", slots=state)

    messages, _ = run_action(ActionAnswerYesNo(), tracker)

    assert responses(messages) == [expected]


def test_a_yes_classified_as_the_flow_itself_keeps_the_piece_named_when_it_started():
    started = make_tracker("je veux retourner juste le pendentif AZ104204", intent="return_item")
    email = make_tracker("sophie.martin@exemple.com", intent="inform")
    agreed = make_tracker("oui, elle ne me plaît pas", intent="return_item")
    tracker = make_tracker(
        "oui, elle ne me plaît pas",
        intent="return_item",
        events=[*started.events, *email.events, *agreed.events],
    )

    assert ("pendentif", "only") in item_mentions(tracker, "return_item")


def test_one_more_piece_added_to_a_cancellation_continues_the_cancellation(shop):
    tracker = make_tracker(
        "et le bracelet aussi, finalement, c'est possible ?",
        intent="return_item",
        slots={**SOPHIE, slots.TOPIC: "cancel_order"},
    )

    assert isinstance(flow_an_item_continues(tracker, "return_item"), ActionCancelOrder)
