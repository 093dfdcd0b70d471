"""A reason given in answer to « Souhaitez-vous que je crée la demande ? Dites-moi aussi
pourquoi » is a yes with that reason, whatever its words classify as."""

from __future__ import annotations

import pytest
from action_helpers import make_tracker, responses, run_action, slot_events
from actions import cues, slots
from actions.base import confirm_with_the_reason_given
from actions.cancellation import ActionCancelOrder
from actions.conversation import ActionFallback, ActionThank
from actions.exchange import ActionExchangeItem
from actions.outcomes import reason_in
from actions.returns import ActionReturnItem
from actions.tracking import ActionMissingParcel
from actions.warranty import ActionWarrantyClaim
from rasa_sdk.executor import CollectingDispatcher

from backend.policies.common import CustomerReason

SOPHIE = {slots.VERIFIED_ORDER: "AZ104204", slots.VERIFIED_EMAIL: "sophie.martin@exemple.com"}
RETURN_OFFERED = {
    **SOPHIE,
    slots.PENDING_CONFIRMATION: "action_return_item",
    slots.TOPIC: "return_item",
}


def answering_the_return_offer(
    text: str, intent: str, asked: str = "utter_confirm_return_with_reason"
):
    events = [
        {"event": "user", "text": "je veux retourner les boucles", "parse_data": {}},
        {"event": "bot", "metadata": {"utter_action": asked}},
    ]
    tracker = make_tracker(text, intent=intent, slots=RETURN_OFFERED)
    tracker.events = [*events, *tracker.events]
    return tracker


def written_returns(service) -> list[str]:
    summary = service.order_summary("AZ104204", "sophie.martin@exemple.com")
    return [request.reference for request in summary.requests if request.kind.value == "return"]


@pytest.mark.parametrize(
    ("action", "text", "intent"),
    [
        (ActionFallback(), "elles sont arrivées avec une perle décollée", "nlu_fallback"),
        (ActionWarrantyClaim(), "elles sont arrivées avec une perle décollée", "warranty_claim"),
        (ActionReturnItem(), "j'ai changé d'avis, elles ne me plaisent plus", "return_item"),
    ],
)
def test_the_reason_given_to_the_offer_writes_the_request(own_shop, action, text, intent):
    messages, _ = run_action(action, answering_the_return_offer(text, intent))

    assert len(written_returns(own_shop)) == 1
    assert "utter_confirm_return_with_reason" not in responses(messages)


@pytest.mark.parametrize(
    ("text", "intent", "asked"),
    [
        ("elles sont arrivées avec une perle décollée", "deny", "utter_confirm_return_with_reason"),
        ("c'est quoi le délai ?", "return_item", "utter_confirm_return_with_reason"),
        ("elles sont arrivées avec une perle décollée", "nlu_fallback", "utter_anything_else"),
        (
            "non, finalement je préfère un échange contre un autre modèle",
            "exchange_item",
            "utter_confirm_return_with_reason",
        ),
        ("finalement je préfère un échange", "exchange_item", "utter_confirm_return_with_reason"),
        ("annule", "cancel_order", "utter_confirm_return_with_reason"),
        ("laisse faire", "nlu_fallback", "utter_confirm_return_with_reason"),
    ],
    ids=[
        "a no",
        "no reason in the message",
        "no reason was asked",
        "a no then another request",
        "another request",
        "a bare « annule »",
        "a leave",
    ],
)
def test_nothing_is_written_without_a_reason_given_to_the_question(own_shop, text, intent, asked):
    dispatcher = CollectingDispatcher()

    answered = confirm_with_the_reason_given(
        dispatcher, answering_the_return_offer(text, intent, asked)
    )

    assert answered is None and dispatcher.messages == []
    assert written_returns(own_shop) == []


def test_a_reason_given_for_a_piece_the_order_lacks_writes_nothing_and_says_what_it_holds(
    own_shop,
):
    tracker = answering_the_return_offer("ma blonde aime pas le collier", "nlu_fallback")

    messages, _ = run_action(ActionFallback(), tracker)

    assert written_returns(own_shop) == []
    assert responses(messages) == ["utter_item_not_in_order"]


@pytest.mark.parametrize(
    ("message", "yes"),
    [
        ("oui j'ai regardé partout et chez les voisins", True),
        ("Ok, allez-y", True),
        ("ouais vas-y", True),
        ("d'accord, merci", True),
        ("ouin je sais pas", False),
        ("non merci", False),
        ("est-ce que ça prend longtemps ?", False),
        ("okapi", False),
    ],
)
def test_a_reply_opening_with_a_plain_yes_is_recognised(message, yes):
    assert cues.opens_with_yes(message) is yes


def test_a_yes_followed_by_words_the_assistant_cannot_place_still_answers_the_offer(own_shop):
    offered = {**SOPHIE, slots.PENDING_CONFIRMATION: ActionMissingParcel().name()}
    tracker = make_tracker(
        "oui j'ai regardé partout et chez les voisins", intent="nlu_fallback", slots=offered
    )

    messages, _ = run_action(ActionFallback(), tracker)

    summary = own_shop.order_summary("AZ104204", "sophie.martin@exemple.com")
    assert [request.kind.value for request in summary.requests] == ["missing_parcel"]
    assert responses(messages) == ["utter_missing_parcel_case_opened"]


def test_a_yes_with_thanks_to_the_offer_is_a_yes(own_shop):
    offered = {**SOPHIE, slots.PENDING_CONFIRMATION: ActionMissingParcel().name()}
    tracker = make_tracker("oui, merci", intent="thank", slots=offered)

    messages, _ = run_action(ActionThank(), tracker)

    summary = own_shop.order_summary("AZ104204", "sophie.martin@exemple.com")
    assert [request.kind.value for request in summary.requests] == ["missing_parcel"]
    assert "utter_you_are_welcome" not in responses(messages)


def test_ok_merci_to_an_offer_thanks_for_the_answer_and_starts_nothing(own_shop):
    offered = {slots.PENDING_CONFIRMATION: "personalise:action_return_item"}
    tracker = make_tracker("ok merci", intent="thank", slots=offered)

    messages, events = run_action(ActionThank(), tracker)

    assert responses(messages) == ["utter_you_are_welcome"]
    assert slot_events(events)[slots.PENDING_CONFIRMATION] is None
    assert not any(event.get("event") == "followup" for event in events)


def entity(name: str, value: str) -> dict:
    return {"entity": name, "value": value}


@pytest.mark.parametrize(
    ("entities", "reason"),
    [
        # a defect said beside a size or a change of mind: the shop's fault
        ([entity("reason", "wrong_size"), entity("warranty_cause", "defect")], "defective"),
        ([entity("reason", "changed_mind"), entity("warranty_cause", "defect")], "defective"),
        # a defect the customer denies is none
        (
            [
                entity("reason", "changed_mind"),
                entity("warranty_cause", "defect"),
                entity("denied_cause", "defect"),
            ],
            "changed_mind",
        ),
        # the classifier's guess of a defect, no word of one: the reason read stands
        (
            [
                entity("reason", "wrong_size"),
                {**entity("warranty_cause", "defect"), "extractor": "DetailClassifier"},
            ],
            "wrong_size",
        ),
        # the shop's fault already: kept as read
        ([entity("reason", "damaged_on_arrival"), entity("warranty_cause", "defect")], "damaged"),
        ([entity("reason", "wrong_size")], "wrong_size"),
    ],
)
def test_a_defect_said_beside_another_reason_makes_the_return_the_shops_fault(entities, reason):
    assert reason_in({"entities": entities}).value == reason


def written_exchanges(service) -> list[str]:
    summary = service.order_summary("AZ104204", "sophie.martin@exemple.com")
    return [r.reference for r in summary.requests if r.kind.value == "exchange"]


@pytest.mark.parametrize(
    ("text", "intent", "writes_the_exchange"),
    [
        ("Oui, il est arrivé endommagé", "return_item", True),  # the button's title, typed
        ("oui elles sont arrivées cassées", "return_item", True),
        ("oui mais je préfère être remboursée, elles sont arrivées cassées", "return_item", False),
    ],
)
def test_a_yes_with_its_reason_to_the_exchange_writes_the_exchange_whatever_its_intent(
    own_shop, text, intent, writes_the_exchange
):
    offered = {**SOPHIE, slots.PENDING_CONFIRMATION: "action_exchange_item",
               slots.TOPIC: "exchange_item"}  # fmt: skip
    tracker = make_tracker(text, intent=intent, slots=offered)
    asked = {"event": "bot", "metadata": {"utter_action": "utter_confirm_exchange_with_reason"}}
    tracker.events = [asked, *tracker.events]

    messages, _ = run_action(ActionReturnItem(), tracker)

    assert bool(written_exchanges(own_shop)) is writes_the_exchange
    assert written_returns(own_shop) == []  # never the return the customer did not ask for


@pytest.mark.parametrize(
    ("reason", "answer"),
    [
        ("DAMAGED", "utter_exchange_shipping_paid_by_shop"),
        ("CHANGED_MIND", "utter_faq_exchange_item_shipping"),
    ],
)
def test_who_pays_the_exchange_s_shipping_is_what_was_decided_for_it(own_shop, reason, answer):
    own_shop.request_exchange(
        "AZ104204", "sophie.martin@exemple.com", getattr(CustomerReason, reason)
    )
    tracker = make_tracker(
        "Comment je vous renvoie la paire abîmée ? c'est à mes frais ?",
        intent="exchange_item",
        slots={**SOPHIE, slots.TOPIC: "exchange_item"},
    )

    messages, _ = run_action(ActionExchangeItem(), tracker)

    assert responses(messages) == [answer]


def test_a_bare_annule_to_the_return_offer_declines_it_and_writes_nothing(own_shop):
    messages, events = run_action(
        ActionCancelOrder(), answering_the_return_offer("annule", "cancel_order")
    )

    assert written_returns(own_shop) == []
    assert not any(r.startswith("utter_return_created") for r in responses(messages))
    assert slot_events(events)[slots.PENDING_CONFIRMATION] is None


@pytest.mark.parametrize(
    ("text", "reason"),
    [
        ("j'ai jamais dit qu'elle était défectueuse, j'ai juste changé d'idée",
         CustomerReason.CHANGED_MIND),
        ("elle me plaît plus, et en plus le fermoir est défectueux", CustomerReason.DEFECTIVE),
    ],
)  # fmt: skip
def test_a_defect_beside_a_change_of_mind_counts_unless_the_customer_denies_saying_it(text, reason):
    parse_data = {"text": text, "entities": [
        {"entity": "reason", "value": "changed_mind"},
        {"entity": "warranty_cause", "value": "defect"},
    ]}  # fmt: skip

    assert reason_in(parse_data) is reason


def test_a_replacement_wished_while_the_return_is_offered_writes_nothing_and_is_answered(own_shop):
    text = (
        "je vous l'ai dit, elles sont arrivées abîmées. Et je préférerais un remplacement "
        "plutôt qu'un remboursement, c'est possible?"
    )
    tracker = answering_the_return_offer(text, "return_item")
    tracker.latest_message["entities"] = [
        {"entity": "reason", "value": "damaged_on_arrival"},
        {"entity": "preference", "value": "replacement"},
    ]

    messages, events = run_action(ActionReturnItem(), tracker)

    assert written_returns(own_shop) == []
    said = responses(messages)
    assert said[0] == "utter_exchange_instead_of_the_return"  # the same pair, by an exchange
    assert said[-1] == "utter_confirm_exchange"  # the damage already said: no reason asked
    assert slot_events(events)[slots.PENDING_CONFIRMATION] == "action_exchange_item"


def test_a_wish_for_a_return_already_open_is_not_said_noted_with_it(own_shop):
    own_shop.request_return("AZ104204", "sophie.martin@exemple.com")
    tracker = make_tracker(
        "je préférerais un crédit en magasin plutôt qu'un remboursement, je veux retourner les "
        "boucles",
        intent="return_item",
        slots=SOPHIE,
        entities=[{"entity": "preference", "value": "store_credit"}],
    )

    messages, _ = run_action(ActionReturnItem(), tracker)

    said = responses(messages)
    assert "utter_preference_store_credit_noted" not in said
    assert said[-2:] == ["utter_return_already_open", "utter_preference_for_the_open_request"]


@pytest.mark.parametrize(
    "text", ["hmm laisse faire finalement", "bof laissez tomber", "ben oubliez ça"]
)
def test_leaving_words_the_assistant_cannot_place_decline_the_write_offered(own_shop, text):
    messages, events = run_action(
        ActionFallback(), answering_the_return_offer(text, "out_of_scope")
    )

    assert responses(messages) == ["utter_confirmation_declined"]
    assert slot_events(events)[slots.PENDING_CONFIRMATION] is None
    assert written_returns(own_shop) == []


def test_words_the_assistant_cannot_place_ask_the_yes_or_no_of_the_write_again(own_shop):
    messages, events = run_action(
        ActionFallback(), answering_the_return_offer("c'est quoi la météo à Laval", "out_of_scope")
    )

    assert responses(messages) == ["utter_confirm_yes_or_no"]
    assert slot_events(events)[slots.PENDING_CONFIRMATION] == "action_return_item"
    assert written_returns(own_shop) == []


def test_a_question_not_understood_after_a_person_was_offered_is_not_asked_as_yes_or_no(shop):
    tracker = make_tracker(
        "Je fais quoi maintenant ?",
        intent="nlu_fallback",
        slots={slots.PENDING_CONFIRMATION: "action_human_handoff"},
    )

    messages, _ = run_action(ActionFallback(), tracker)

    assert "utter_confirm_yes_or_no" not in responses(messages)
