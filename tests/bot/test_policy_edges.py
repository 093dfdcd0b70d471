"""The order flows tell each decision truly (issue 15), run against the demo shop and the
policy-edge orders (tests/fixtures/policy_edges.yml) at 25 November 2026, 12:00 Toronto."""

from __future__ import annotations

import copy
import json
import logging

import pytest
from action_helpers import make_tracker, nlu_details, responses, run_action, slot_events
from actions.cancellation import ActionCancelOrder
from actions.conversation import ActionAnswerYesNo
from actions.exchange import ActionExchangeItem
from actions.returns import ActionReturnItem
from actions.shop_info import ActionLoyaltyBalance, ActionPromoCode, ActionTaxInfo
from actions.tracking import ActionTrackOrder
from actions.values import day
from actions.warranty import (
    ActionDecideWarranty,
    ActionWarrantyClaim,
    ValidateWarrantyForm,
    problem_description,
    stated_cause,
)
from rasa.core.nlg.interpolator import interpolate
from support import read_yaml

from backend.policies.common import CustomerReason
from backend.policies.warranty import WarrantyCause
from tools.model import BOT_DIR

MARIE = "marie.tremblay@exemple.ca"
SOPHIE = "sophie.martin@exemple.com"
JULIEN = "jdupont@exemple.fr"
CLAIRE = "claire.roy@exemple.ca"
DOMAIN = read_yaml(BOT_DIR / "domain.yml")


def verified(order: str, email: str, **slots) -> dict:
    return {"verified_order": order, "verified_email": email, **slots}


def run(action, text: str, intent: str, order: str, email: str, **kwargs):
    tracker = make_tracker(
        text, intent, slots=verified(order, email, **kwargs.pop("slots", {})), **kwargs
    )
    return run_action(action, tracker)


def said(messages) -> list[tuple[str, dict]]:
    return [(m.get("response"), m) for m in messages]


def values_of(messages, response: str) -> dict:
    return next(m for m in messages if m.get("response") == response)


# Defect 1: warranty on a shipped, undelivered order
def test_warranty_on_an_undelivered_order_gives_the_dates_and_waits_for_the_piece(shop):
    messages, events = run(
        ActionWarrantyClaim(), "ma bague est cassée", "warranty_claim", "AZ104203", MARIE
    )

    answer = values_of(messages, "utter_warranty_not_delivered")
    assert answer["purchase_date"] == "21 novembre 2026"
    assert answer["deadline"] == "21 novembre 2028"
    assert "utter_warranty_expired" not in responses(messages)
    assert not any(e.get("name") == "warranty_form" for e in events)  # nothing to ask


# Defect 2: exchange on a shipped, undelivered order
def test_exchange_on_an_undelivered_order_says_it_is_not_delivered_yet(shop):
    messages, _ = run(ActionExchangeItem(), "je veux échanger", "exchange_item", "AZ104203", MARIE)

    answer = values_of(messages, "utter_exchange_not_delivered")
    assert answer["deadline"] == "21 décembre 2026"
    assert answer["exchange_days"] == "30"


@pytest.mark.parametrize(
    ("text", "payer_said"),
    [
        ("je veux retourner la bague", []),
        (
            "j'ai changé d'avis, je retourne la bague",
            ["utter_return_shipping_paid_by_customer"],
        ),
        (
            "la bague est arrivée abîmée, je la retourne",
            ["utter_return_shipping_paid_by_shop"],
        ),
    ],
    ids=["no reason", "changed mind", "damaged"],
)
def test_a_return_before_delivery_says_who_will_pay_it_when_the_reason_is_known(
    shop, text, payer_said
):
    messages, _ = run(ActionReturnItem(), text, "return_item", "AZ104203", MARIE)

    said = responses(messages)
    assert said[0].startswith("utter_return_not_delivered")
    assert [name for name in said if name.startswith("utter_return_shipping")] == payer_said


# Defect 3: the reason comes from the customer's words, or is asked
def test_a_broken_item_is_returned_at_the_shops_cost(shop):
    messages, _ = run(
        ActionReturnItem(),
        "ma bague est arrivée cassée, elle est défectueuse",
        "return_item",
        "AZ104305",
        CLAIRE,
    )

    assert "utter_return_shipping_paid_by_shop" in responses(messages)
    assert "utter_return_shipping_paid_by_customer" not in responses(messages)


def test_an_unknown_reason_is_asked_with_the_confirmation(shop):
    messages, events = run(
        ActionReturnItem(), "je veux retourner ma commande", "return_item", "AZ104305", CLAIRE
    )

    assert "utter_return_shipping_unless_shop_fault" in responses(messages)
    assert "utter_confirm_return_with_reason" in responses(messages)
    assert {
        "event": "slot",
        "name": "pending_confirmation",
        "value": "action_return_item",
        "timestamp": None,
    } in events


def test_the_clicked_reason_decides_who_pays_in_the_request(shop):
    tracker = make_tracker(
        '/affirm{"return_reason":"damaged"}',
        "affirm",
        slots=verified("AZ104305", CLAIRE, pending_confirmation="action_return_item"),
        entities=[{"entity": "return_reason", "value": "damaged"}],
    )
    messages, _ = run_action(ActionAnswerYesNo(), tracker)

    assert "utter_return_created" in responses(messages)
    assert "utter_return_shipping_paid_by_shop" in responses(messages)
    request = next(
        r for r in shop.order_summary("AZ104305", CLAIRE).requests if r.kind.value == "return"
    )
    assert request.payload["reason"] == "damaged"
    assert request.payload["return_shipping_paid_by"] == "shop"


# Defect 4: « you can return it later » comes from the return policy of that order
def test_cancelling_a_shipped_engraved_only_order_promises_no_return(shop):
    messages, _ = run(ActionCancelOrder(), "annuler", "cancel_order", "AZ104301", CLAIRE)

    assert responses(messages)[:2] == ["utter_cancel_already_shipped", "utter_return_later_none"]
    assert "utter_return_later" not in responses(messages)


def test_cancelling_a_shipped_order_states_its_own_return_window(shop):
    messages, _ = run(ActionCancelOrder(), "annuler", "cancel_order", "AZ104203", MARIE)

    later = values_of(messages, "utter_return_later")
    assert later["return_days"] == "30"
    assert "Bague Éclat" in later["items"]


# Defect 5: an RA created on the last day asks for nothing impossible
def test_a_return_on_the_last_day_has_no_past_shipping_deadline(shop):
    tracker = make_tracker(
        "oui, j'ai changé d'avis",
        "affirm",
        slots=verified("AZ104302", CLAIRE, pending_confirmation="action_return_item"),
    )
    messages, _ = run_action(ActionAnswerYesNo(), tracker)

    created = values_of(messages, "utter_return_created")
    assert created["reference"].startswith("RA-104302")
    assert "deadline" not in created
    text = DOMAIN["responses"]["utter_return_created"][0]["text"]
    assert "avant le" not in text and "initié dans le délai" in text


# Defect 6: an engraved piece with a manufacturing defect can be exchanged
def test_an_engraved_piece_with_a_defect_is_offered_the_exchange_and_the_warranty(shop):
    messages, _ = run(
        ActionExchangeItem(),
        "mon collier gravé a un défaut de fabrication",
        "exchange_item",
        "AZ104303",
        CLAIRE,
    )

    assert "utter_exchange_eligible" in responses(messages)
    assert "utter_exchange_defect_way_forward" in responses(messages)
    assert "utter_exchange_conditions_shop_pays" in responses(messages)


def test_an_engraved_piece_without_a_stated_defect_is_asked_about_it(shop):
    messages, _ = run(
        ActionExchangeItem(), "je veux échanger mon collier", "exchange_item", "AZ104303", CLAIRE
    )

    assert responses(messages) == ["utter_exchange_personalised_ask_defect"]


def test_an_answer_naming_no_defect_gets_the_refusal_not_the_question_again(shop):
    asked = [
        {"event": "user", "text": "je veux échanger mon collier", "parse_data": {}},
        {"event": "bot", "metadata": {"utter_action": "utter_exchange_personalised_ask_defect"}},
    ]
    answer = "non, aucun défaut, c'est seulement la taille"
    latest = make_tracker(answer, "exchange_item").events
    messages, _ = run(
        ActionExchangeItem(), answer, "exchange_item", "AZ104303", CLAIRE, events=[*asked, *latest]
    )

    assert "utter_exchange_personalised_ask_defect" not in responses(messages)
    assert responses(messages)[0] == "utter_exchange_no_exchangeable_line"


@pytest.mark.parametrize(
    "text",
    [
        "mon collier prénom est arrivé cassé, je veux le retourner",
        "le collier gravé a un défaut de fabrication, je voudrais le renvoyer",
        "je veux retourner le collier, c'est pas le bon prénom gravé dessus",
    ],
)
def test_an_engraved_piece_at_our_fault_is_refused_as_a_return_and_offered_the_exchange(shop, text):
    messages, events = run(ActionReturnItem(), text, "return_item", "AZ104303", CLAIRE)

    assert responses(messages) == [
        "utter_return_no_returnable_line",
        "utter_return_exchange_instead",
    ]
    offer = values_of(messages, "utter_return_exchange_instead")
    assert "Collier prénom en argent" in offer["items"]
    window = shop.check_exchange("AZ104303", CLAIRE, CustomerReason.DAMAGED)
    assert offer["deadline"] == day(window.deadline)
    pending = [e["value"] for e in events if e.get("name") == "pending_confirmation"]
    assert pending[-1] == "personalise:action_exchange_item"


@pytest.mark.parametrize(
    "text", ["je veux retourner mon collier", "j'ai changé d'avis, je retourne le collier"]
)
def test_an_engraved_piece_returned_for_no_fault_of_ours_is_only_refused(shop, text):
    messages, events = run(ActionReturnItem(), text, "return_item", "AZ104303", CLAIRE)

    assert responses(messages) == ["utter_return_no_returnable_line"]
    assert not any(e.get("value") for e in events if e.get("name") == "pending_confirmation")


def test_the_exchange_offered_after_the_refusal_answers_for_the_damaged_piece(shop):
    asked = [
        {
            "event": "user",
            "text": "mon collier est arrivé cassé, je veux le retourner",
            "parse_data": {
                "intent": {"name": "return_item"},
                "entities": nlu_details("mon collier est arrivé cassé, je veux le retourner"),
            },
        },
        {"event": "bot", "metadata": {"utter_action": "utter_return_exchange_instead"}},
    ]
    latest = make_tracker("oui", "affirm").events
    messages, _ = run(
        ActionExchangeItem(), "oui", "affirm", "AZ104303", CLAIRE, events=[*asked, *latest]
    )

    assert "utter_exchange_eligible" in responses(messages)
    assert "utter_exchange_conditions_shop_pays" in responses(messages)
    assert "utter_exchange_personalised_ask_defect" not in responses(messages)


# Defect 7: one tax model
@pytest.mark.parametrize(
    ("order", "email", "response", "facts"),
    [
        (
            "AZ104204",
            SOPHIE,
            "utter_tax_breakdown",
            {"destination": "dans l’État de New York", "delivery": "livrée"},
        ),
        (
            "AZ104304",
            CLAIRE,
            "utter_tax_no_rates",
            {"destination": "dans l’État d’Oregon", "delivery": "à livrer"},
        ),
        ("AZ104206", JULIEN, "utter_tax_international", {"country": "France"}),
        (
            "AZ104201",
            MARIE,
            "utter_tax_breakdown",
            {"destination": "au Québec", "delivery": "à livrer"},
        ),
    ],
)
def test_taxes_follow_one_model_and_name_the_destination(shop, order, email, response, facts):
    messages, _ = run(ActionTaxInfo(), "mes taxes ?", "tax_info", order, email)

    answer = values_of(messages, response)
    assert {key: answer[key] for key in facts} == facts
    if order == "AZ104204":
        assert "utter_tax_international_duties" not in responses(messages)


# Defect 8: refunds include the taxes paid
def test_a_whole_cancellation_refunds_goods_shipping_and_taxes(shop):
    messages, _ = run(ActionCancelOrder(), "annuler", "cancel_order", "AZ104306", CLAIRE)

    assert values_of(messages, "utter_cancel_possible")["refund"] == "297,73\u00a0$"
    detail = values_of(messages, "utter_refund_taxes_cancel_whole")
    assert (detail["refund_taxes"], detail["shipping"]) == ("38,78\u00a0$", "9,95\u00a0$")


def test_a_return_refund_includes_the_sales_tax_of_the_state(shop):
    messages, _ = run(ActionReturnItem(), "je change d'avis", "return_item", "AZ104204", SOPHIE)

    assert values_of(messages, "utter_return_eligible")["refund"] == "75,12\u00a0$\u00a0US"
    assert values_of(messages, "utter_refund_taxes_return")["refund_taxes"] == "6,12\u00a0$\u00a0US"


# Defect 9 and 12: each excluded line gets its own reason, with agreement
def test_the_gift_card_is_excluded_as_a_gift_card_with_feminine_agreement(shop):
    messages, _ = run(ActionReturnItem(), "je change d'avis", "return_item", "AZ104204", SOPHIE)

    gift_card = values_of(messages, "utter_return_line_gift_card")
    assert "Carte-cadeau" in gift_card["items"] and "Boucles" not in gift_card["items"]
    assert (gift_card["cannot"], gift_card["agreement"]) == ("ne peut", "e")
    assert "utter_return_line_personalised" not in responses(messages)


def test_warranty_lines_are_excluded_each_for_its_reason(shop):
    tracker = make_tracker("", slots=verified("AZ104204", SOPHIE, warranty_cause="defect"))
    messages, _ = run_action(ActionDecideWarranty(), tracker)

    assert responses(messages)[:3] == [
        "utter_warranty_no_covered_line",
        "utter_warranty_line_promotional",
        "utter_warranty_line_gift_card",
    ]
    promotional = values_of(messages, "utter_warranty_line_promotional")
    assert "Boucles" in promotional["items"] and promotional["is"] == "sont"


def test_a_defect_the_warranty_does_not_cover_is_offered_as_a_return_within_the_window(shop):
    tracker = make_tracker("", slots=verified("AZ104204", SOPHIE, warranty_cause="defect"))
    messages, events = run_action(ActionDecideWarranty(), tracker)

    assert responses(messages)[-1] == "utter_warranty_return_instead"
    offer = values_of(messages, "utter_warranty_return_instead")
    assert "Boucles" in offer["items"] and "Carte-cadeau" not in offer["items"]
    window = shop.check_return("AZ104204", SOPHIE, CustomerReason.DEFECTIVE)
    assert (offer["delivered_on"], offer["deadline"]) == (
        day(window.delivered_on),
        day(window.deadline),
    )
    pending = [e["value"] for e in events if e.get("name") == "pending_confirmation"]
    assert pending == ["personalise:action_return_item"]


@pytest.mark.parametrize("cause", ["normal_wear", "loss", "improper_use"])
def test_a_refusal_for_what_happened_to_the_piece_offers_no_return(shop, cause):
    tracker = make_tracker("", slots=verified("AZ104204", SOPHIE, warranty_cause=cause))
    messages, events = run_action(ActionDecideWarranty(), tracker)

    assert "utter_warranty_return_instead" not in responses(messages)
    assert not [e for e in events if e.get("name") == "pending_confirmation"]


def test_the_exchange_calls_the_gift_card_a_gift_card(shop):
    messages, _ = run(ActionExchangeItem(), "je change d'avis", "exchange_item", "AZ104204", SOPHIE)

    assert "utter_exchange_line_gift_card" in responses(messages)
    assert "utter_exchange_line_personalised" not in responses(messages)


# Defect 10: promo codes
def test_a_first_order_code_is_refused_to_a_customer_who_says_they_ordered_before(shop):
    tracker = make_tracker(
        "BIENVENUE10 fonctionne pas… j'ai déjà commandé chez vous",
        "promo_code",
        entities=[{"entity": "promo_code", "value": "BIENVENUE10"}],
    )
    messages, _ = run_action(ActionPromoCode(), tracker)

    assert responses(messages)[0] == "utter_promo_code_first_order_only"


def test_a_first_order_code_states_its_condition_when_history_is_unknown(shop):
    tracker = make_tracker(
        "BIENVENUE10 ne marche pas",
        "promo_code",
        entities=[{"entity": "promo_code", "value": "BIENVENUE10"}],
    )
    messages, _ = run_action(ActionPromoCode(), tracker)

    assert responses(messages)[:2] == [
        "utter_promo_code_valid",
        "utter_promo_condition_first_order",
    ]


def test_two_codes_on_one_order_are_refused(shop):
    tracker = make_tracker(
        "je veux utiliser BIENVENUE10 et ETE15",
        "promo_code",
        entities=[
            {"entity": "promo_code", "value": "BIENVENUE10"},
            {"entity": "promo_code", "value": "ETE15"},
        ],
    )
    messages, _ = run_action(ActionPromoCode(), tracker)

    assert responses(messages) == ["utter_promo_code_one_per_order"]


def test_a_cart_below_the_minimum_is_told_so(shop, monkeypatch):
    monkeypatch.setenv("ALLYZURE_NOW", "2026-12-05T12:00:00-05:00")  # FETES25 has started
    from actions.shop import shop_service

    shop_service.cache_clear()
    tracker = make_tracker(
        "FETES25 marche pas, mon panier est de 120 $",
        "promo_code",
        entities=[{"entity": "promo_code", "value": "FETES25"}],
    )
    messages, _ = run_action(ActionPromoCode(), tracker)

    assert responses(messages)[0] == "utter_promo_code_below_minimum"


# Defect 11 and 12: loyalty
def test_a_verified_non_member_is_told_this_email_is_not_a_member(shop):
    messages, _ = run(
        ActionLoyaltyBalance(), "j'ai des points ?", "loyalty_balance", "AZ104202", JULIEN
    )

    assert values_of(messages, "utter_loyalty_not_member")["email"] == JULIEN


def test_points_are_grouped_by_a_narrow_no_break_space(shop):
    messages, _ = run(ActionLoyaltyBalance(), "mes points", "loyalty_balance", "AZ104203", MARIE)

    assert values_of(messages, "utter_loyalty_balance")["points"] == "1\u202f250"


# Defect 12: smaller things
def test_cancellation_deadlines_say_eastern_time_and_the_window_comes_from_the_policy(shop):
    messages, _ = run(ActionCancelOrder(), "annuler", "cancel_order", "AZ104202", JULIEN)

    assert values_of(messages, "utter_cancel_window_expired")["cancel_hours"] == "24"
    text = DOMAIN["responses"]["utter_cancel_window_expired"][0]["text"]
    assert "(heure de l’Est)" in text


def test_no_invented_service_time_is_promised():
    import re

    texts = [v["text"] for variants in DOMAIN["responses"].values() for v in variants]
    invented = re.compile(r"jours? ouvrables?|\d+ à \d+\s?heures")

    assert [t for t in texts if invented.search(t)] == []


# What the actions pass to the responses that carry buttons.
BUTTON_VALUES = {
    "order_number": "AZ1",
    "items": "x",
    "deadline": "1 mai",
    "refund": "1,00 $",
    "return_items": "Bague",
}


def test_buttons_with_entities_render_without_interpolation_errors(caplog):
    with_buttons = {
        name: variants
        for name, variants in DOMAIN["responses"].items()
        if any("buttons" in v for v in variants)
    }
    with caplog.at_level(logging.ERROR):
        for variants in with_buttons.values():
            for variant in variants:
                rendered = interpolate(copy.deepcopy(variant), BUTTON_VALUES)
                for button in rendered.get("buttons", []):
                    payload = button["payload"]
                    assert "{{" not in payload
                    if payload.startswith("/") and "{" in payload:  # a command with entities
                        assert json.loads(payload[payload.index("{") :])
                    elif not payload.startswith("/"):  # words the customer says, all filled in
                        assert "{" not in payload

    assert [r for r in caplog.records if r.levelno >= logging.ERROR] == []
    rendered = interpolate(copy.deepcopy(DOMAIN["responses"]["utter_ask_warranty_cause"][0]), {})
    assert rendered["buttons"][0]["payload"] == '/inform{"warranty_cause":"defect"}'


def test_the_rendered_reason_buttons_are_accepted_as_commands_on_customer_channels():
    from server.customer_input import domain_button_payloads

    allowed = domain_button_payloads(DOMAIN["responses"])

    assert '/inform{"warranty_cause":"defect"}' in allowed
    assert '/affirm{"return_reason":"damaged"}' in allowed
    assert '/exchange_item{"return_reason":"defective"}' in allowed


def test_asking_whether_an_order_without_covered_pieces_is_covered_gets_no_promise(shop):
    messages, events = run(
        ActionWarrantyClaim(),
        "ma carte cadeau est-elle couverte par la garantie ?",
        "warranty_claim",
        "AZ104204",
        SOPHIE,
    )

    assert responses(messages)[:1] == ["utter_warranty_no_covered_line"]
    assert "utter_warranty_covered_until" not in responses(messages)
    assert not [e for e in events if e.get("event") == "followup"]  # nothing more to ask


def test_the_claim_describes_the_problem_in_the_customers_words_not_the_yes():
    described = make_tracker("la pierre s'est décrochée de ma bague", intent="warranty_claim")
    email = make_tracker(JULIEN, intent="inform")
    tracker = make_tracker(
        "oui",
        intent="affirm",
        events=[*described.events, *email.events, *make_tracker("oui").events],
    )

    assert problem_description(tracker) == "la pierre s'est décrochée de ma bague"


def test_a_named_personalised_line_is_refused_alone_not_the_whole_order(shop):
    # AZ104201: a plated bangle and an engraved name necklace
    messages, _ = run(
        ActionReturnItem(), "je veux retourner le collier", "return_item", "AZ104201", MARIE
    )

    refusal = values_of(messages, "utter_return_named_lines_not_returnable")
    assert "Collier prénom en argent" in refusal["items"]
    assert "Bracelet" not in refusal["items"]
    assert refusal["cannot"] == "ne peut"
    assert "utter_return_no_returnable_line" not in responses(messages)


def test_a_named_gift_card_is_refused_alone_beside_returnable_earrings(shop):
    # AZ104204: pearl earrings and an e-gift card, the card named
    messages, _ = run(
        ActionReturnItem(), "je veux retourner la carte-cadeau", "return_item", "AZ104204", SOPHIE
    )

    refusal = values_of(messages, "utter_return_named_lines_not_returnable")
    assert "Carte-cadeau" in refusal["items"] and "Boucles" not in refusal["items"]


def test_a_cause_given_just_before_the_warranty_question_is_not_asked_again(shop):
    cause = "En fait il y a un défaut, le fermoir ne ferme plus. Je ne l'ai pas fait tomber."
    earlier = {"event": "user", "text": cause,
               "parse_data": {"text": cause, "intent": {"name": "return_item"},
                              "entities": nlu_details(cause)}}  # fmt: skip
    question = "Donc je fais comment pour la garantie sur ce bracelet ?"
    tracker = make_tracker(
        question, "warranty_claim", slots=verified("AZ104205", JULIEN), events=[earlier]
    )
    tracker.events.append({"event": "user", "text": question, "parse_data": tracker.latest_message})

    messages, events = run_action(ActionWarrantyClaim(), tracker)

    # the form opens with the cause already filled: it is decided, not asked again
    assert slot_events(events)["warranty_cause"] == "defect"
    assert "utter_ask_warranty_cause" not in responses(messages)
    assert problem_description(tracker) == cause


@pytest.mark.parametrize(
    ("message", "answer"),
    [
        ("j'ai annulé le bracelet tantôt, quand est-ce que je vais voir le remboursement? "
         "et combien exactement?", "utter_cancel_refund_of"),
        ("remettez le bracelet, je le veux finalement", "utter_item_already_cancelled"),
        # cancelled again: said done, no person offered to undo what nobody wants undone
        ("annulez le bracelet svp", "utter_item_cancelled_before"),
    ],
)  # fmt: skip
def test_a_cancelled_piece_named_again_gets_its_refund_or_a_person_to_undo(
    own_shop, message, answer
):
    own_shop.cancel_order("AZ104201", MARIE, skus=["BR-JONC-OR"])

    messages, _ = run(ActionReturnItem(), message, "return_item", "AZ104201", MARIE)

    assert responses(messages) == [answer]
    if answer == "utter_cancel_refund_of":
        assert messages[0]["reference"].startswith("AN-104201")
        assert messages[0]["refund"].endswith("$")


@pytest.mark.parametrize(
    ("order", "email", "where_left"), [("AZ104204", SOPHIE, True), ("AZ104205", JULIEN, False)]
)
def test_a_delivered_order_gives_its_tracking_number_and_where_it_was_left(
    shop, order, email, where_left
):
    messages, _ = run(ActionTrackOrder(), "c'est livré ?", "track_order", order, email)

    delivered = values_of(messages, "utter_order_delivered")
    assert delivered["tracking_number"]
    assert ("utter_last_tracking_event" in responses(messages)) is where_left


def modification_then_a_defect_argued(order: str, email: str):
    """A tracker where a modification elsewhere was said, then a defect argued."""
    first = "Je l'avais fait raccourcir chez un bijoutier du coin l'an dernier. Garantie?"
    earlier = {"event": "user", "text": first,
               "parse_data": {"text": first, "intent": {"name": "warranty_claim"},
                              "entities": [{"entity": "warranty_cause",
                                            "value": "modification"}]}}  # fmt: skip
    argued = "mais la fissure n'a rien à voir, c'est un défaut du métal!"
    tracker = make_tracker(
        argued,
        "warranty_claim",
        slots=verified(order, email),
        entities=[{"entity": "warranty_cause", "value": "defect"}],
        events=[earlier],
    )
    tracker.events.append({"event": "user", "text": argued, "parse_data": tracker.latest_message})
    return tracker


def test_a_modification_said_earlier_stays_the_cause_when_the_customer_argues_a_defect(shop):
    tracker = modification_then_a_defect_argued("AZ098765", SOPHIE)

    assert stated_cause(tracker) is WarrantyCause.MODIFICATION


def test_tracking_an_order_described_by_a_piece_it_lacks_asks_which_order(shop):
    messages, _ = run(
        ActionTrackOrder(),
        "et ma commande de la semaine passée avec les boucles d'oreilles, elle est rendue où?",
        "track_order",
        "AZ104202",
        JULIEN,
    )

    assert responses(messages) == ["utter_item_not_in_order"]  # not AZ104202's status


def test_cancelling_again_after_a_partial_cancellation_says_what_was_cancelled_and_what_stays(
    own_shop,
):
    own_shop.cancel_order("AZ104201", MARIE, skus=["BR-JONC-OR"])

    messages, _ = run(
        ActionCancelOrder(), "je voudrais annuler la commande AZ104201", "cancel_order",
        "AZ104201", MARIE,
    )  # fmt: skip

    told = values_of(messages, "utter_cancel_rest_is_personalised")
    assert "Bracelet" in told["cancelled"]
    assert "Bracelet" not in told["items"] and told["items"]  # the necklace that stays


def test_the_warranty_form_keeps_a_modification_said_before_a_defect_is_argued(shop):
    tracker = modification_then_a_defect_argued("AZ104205", JULIEN)

    filled = ValidateWarrantyForm().validate_warranty_cause("defect", None, tracker, {})

    assert filled == {"warranty_cause": "modification"}


def test_another_piece_wished_in_an_exchange_is_no_request_to_undo_its_cancellation(own_shop):
    own_shop.cancel_order("AZ104201", MARIE, skus=["BR-JONC-OR"])
    message = "non il n'a aucun défaut, c'est juste que je préfère un bracelet. c'est possible ?"

    messages, events = run(ActionExchangeItem(), message, "exchange_item", "AZ104201", MARIE)

    assert "utter_item_already_cancelled" not in responses(messages)
    assert slot_events(events).get("pending_confirmation") != "action_human_handoff"


@pytest.mark.parametrize(
    "message",
    [
        "Et si je refuse le colis quand le livreur arrive, vous me remboursez?",
        "Donc si je refuse la livraison, je récupère tout, même les frais de port?",
    ],
)
def test_refusing_the_parcel_is_answered_as_such_not_as_a_cancellation_s_refund(own_shop, message):
    messages, _ = run(
        ActionCancelOrder(), message, "cancel_order", "AZ104202", "jdupont@exemple.fr"
    )

    assert responses(messages) == ["utter_practice_refuse_delivery"]
