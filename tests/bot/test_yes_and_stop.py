"""What a yes is, what a no turned into a yes is not, and « stop » with nothing to stop."""

from __future__ import annotations

from datetime import datetime

import pytest
from action_helpers import make_tracker, responses, run_action, slot_events
from actions import cues, slots
from actions.base import verified_identity
from actions.cancellation import ActionCancelOrder
from actions.conversation import (
    ActionAnswerYesNo,
    ActionFallback,
    ActionGoodbye,
    ActionHumanHandoff,
    ActionThank,
)
from actions.returns import ActionReturnItem
from actions.shop_info import ActionPromoCode
from actions.warranty import ActionDecideWarranty, ActionWarrantyClaim
from actions.wrong_item import ActionWrongItem
from actions.yes_no import HANDOFF_ACTION, ask_confirmation
from rasa_sdk.executor import CollectingDispatcher
from support import read_yaml

from backend.clock import SystemClock
from backend.domain import RequestKind
from tools.model import BOT_DIR

MARIE = {slots.VERIFIED_ORDER: "AZ104201", slots.VERIFIED_EMAIL: "marie.tremblay@exemple.ca"}


@pytest.mark.parametrize(
    ("message", "turned_around"),
    [
        ("ça marche pas", True),
        ("c'est pas correct", True),
        ("c'est poche", True),
        ("non c'est bon", True),
        ("ça marche", False),
        ("oui", False),
        ("pourquoi pas", False),
        ("pas de problème", False),
        ("oui, pas de souci", False),
    ],
)
def test_a_yes_turned_around_by_a_negation_is_recognised(message, turned_around):
    assert cues.says_it_is_not(message) is turned_around


@pytest.mark.parametrize(
    ("message", "yes"),
    [
        ("absolument", True),
        ("absolument pas", False),
        ("ok vas-y", True),
        ("ok, c'est tout pour moi, merci", False),
        ("parfait merci, bye", False),
        # a bare « ok » acknowledges what was said
        ("ok merci", False),
        ("Ok, merci beaucoup", False),
        ("ok d'accord", True),
        ("ok oui", True),
    ],
)
def test_a_yes_word_followed_by_pas_is_no_yes(message, yes):
    assert cues.opens_with_yes(message) is yes


@pytest.mark.parametrize(
    ("message", "stop"),
    [
        ("stop", True),
        ("STOP !", True),
        ("arrête", True),
        ("laisse faire merci", True),
        ("stop je veux annuler ma commande", False),
        ("annulez", False),  # with nothing pending, may well be about the order
    ],
)
def test_a_bare_stop_is_recognised(message, stop):
    assert cues.is_bare_stop(message) is stop


def test_it_does_not_work_to_a_write_offer_writes_nothing(own_shop):
    offered = {**MARIE, slots.PENDING_CONFIRMATION: ActionCancelOrder().name()}
    tracker = make_tracker("ça marche pas", intent="affirm", slots=offered)

    messages, _ = run_action(ActionAnswerYesNo(), tracker)

    assert responses(messages) == ["utter_confirmation_declined"]
    assert own_shop.order_summary("AZ104201", "marie.tremblay@exemple.ca").status.value != (
        "cancelled"
    )


def test_a_disappointed_word_read_as_yes_with_nothing_pending_gets_sympathy(shop):
    messages, _ = run_action(ActionAnswerYesNo(), make_tracker("c'est poche", intent="affirm"))

    assert responses(messages) == ["utter_sorry_frustrated"]


def test_stop_with_nothing_pending_ends_instead_of_starting_a_cancellation(shop):
    messages, events = run_action(ActionCancelOrder(), make_tracker("stop", intent="cancel_order"))

    assert responses(messages) == ["utter_stopped"]
    assert not any(event.get("event") == "followup" for event in events)


@pytest.mark.parametrize(
    ("action", "intent", "message"),
    [
        (ActionCancelOrder, "cancel_order", "ok laisse faire l'annulation"),
        (ActionFallback, "nlu_fallback", "non finalement je la garde"),
        (ActionFallback, "nlu_fallback", "finalement je la garde"),
        (ActionAnswerYesNo, "deny", "non merci, je garde ma commande"),
        (ActionFallback, "nlu_fallback", "non attendez, je vais en parler à mon chum avant"),
        (ActionCancelOrder, "cancel_order", "je veux pas annuler tout de suite"),
        (ActionFallback, "nlu_fallback", "bon ben dans ce cas je garde tout, n'annulez rien"),
    ],
)
def test_a_reworded_no_to_a_cancellation_cancels_nothing(own_shop, action, intent, message):
    offered = {**MARIE, slots.PENDING_CONFIRMATION: ActionCancelOrder().name()}
    tracker = make_tracker(message, intent=intent, slots=offered)

    messages, _ = run_action(action(), tracker)

    assert responses(messages) == ["utter_confirmation_declined"]
    assert own_shop.order_summary("AZ104201", "marie.tremblay@exemple.ca").status.value != (
        "cancelled"
    )


@pytest.mark.parametrize(
    ("message", "leaves"),
    [
        ("ok laisse faire l'annulation", True),
        ("non finalement je la garde", True),
        ("je garde ma commande finalement", True),
        ("ah pis non, c'est correct finalement, je vais être là", True),
        ("pfff. bon laissez tomber, on garde la maison", True),
        ("annuler", True),
        # a question, or one piece kept and another asked for: not leaving
        ("je la garde ou je la retourne ?", False),
        ("je la garde mais retournez le collier", False),
        # a dropped piece is a warranty cause, not a customer leaving
        ("je l'ai laissé tomber dans la douche", False),
        ("ma bague, je l'ai jamais laissée tomber", False),
        ("c'est normal que ça dise stop au suivi ?", False),
    ],
)
def test_keeping_the_piece_leaves_the_question(message, leaves):
    assert cues.is_leaving_the_form(message) is leaves


def test_a_question_with_buttons_of_its_own_gets_no_second_yes_and_no():
    dispatcher = CollectingDispatcher()
    domain = read_yaml(BOT_DIR / "domain.yml")

    ask_confirmation(dispatcher, "utter_sorry_angry", HANDOFF_ACTION)

    assert dispatcher.messages[0]["buttons"] == []
    assert domain["responses"]["utter_sorry_angry"][0]["buttons"]  # its own are shown


def test_a_plain_question_gets_yes_and_no():
    dispatcher = CollectingDispatcher()

    ask_confirmation(dispatcher, "utter_offer_missing_parcel_case", "action_missing_parcel")

    assert [b["title"] for b in dispatcher.messages[0]["buttons"]] == ["Oui", "Non"]


def test_a_partial_cancellation_question_names_what_is_cancelled(shop):
    # the engraved necklace stays: the question names the bracelet, not « la commande »
    tracker = make_tracker("je veux annuler ma commande", intent="cancel_order", slots=MARIE)

    messages, _ = run_action(ActionCancelOrder(), tracker)

    assert messages[-1]["response"] == "utter_confirm_cancel_lines"
    assert messages[-1]["items"] == "«\u00a0Bracelet jonc plaqué or\u00a0»"


@pytest.mark.parametrize(
    ("message", "answer"),
    [
        ("ok laisse faire", "utter_offer_declined"),
        ("ok, laissez tomber", "utter_offer_declined"),
        ("bon ok. c'est tout", "utter_goodbye"),
        ("ok c'est tout merci", "utter_goodbye"),
    ],
)
def test_an_ok_that_leaves_declines_the_offer_to_check_the_order(shop, message, answer):
    offered = {slots.PENDING_CONFIRMATION: "personalise:action_return_item"}
    tracker = make_tracker(message, intent="affirm", slots=offered)

    messages, events = run_action(ActionAnswerYesNo(), tracker)

    assert responses(messages) == [answer]
    # no order check started (a goodbye is followed by the rating question only)
    followups = [event["name"] for event in events if event.get("event") == "followup"]
    assert followups == (["utter_ask_csat"] if answer == "utter_goodbye" else [])


@pytest.mark.parametrize("message", ["ok laisse faire", "bon ok. c'est tout", "ah ok bon tant pis"])
def test_an_ok_that_leaves_hands_nothing_over(shop, message):
    offered = {**MARIE, slots.PENDING_CONFIRMATION: HANDOFF_ACTION}
    tracker = make_tracker(message, intent="affirm", slots=offered)

    messages, _ = run_action(ActionAnswerYesNo(), tracker)

    assert responses(messages) == ["utter_confirmation_declined"]


@pytest.mark.parametrize(
    ("message", "found"),
    [
        ("non c'est bon en fait je l'ai trouvé", True),
        ("je l'ai retrouvé chez le voisin", True),
        ("c'est bon, il est arrivé", True),
        ("je l'ai reçu ce matin finalement", True),
        ("je l'ai pas trouvé", False),
        ("toujours pas reçu", False),
        ("j'ai cherché partout", False),
    ],
)
def test_a_parcel_said_found_is_recognised(message, found):
    assert cues.says_it_was_found(message) is found


@pytest.mark.parametrize(
    ("action", "intent"),
    [(ActionFallback, "nlu_fallback"), (ActionAnswerYesNo, "deny"), (ActionAnswerYesNo, "affirm")],
)
def test_a_parcel_found_while_a_case_is_offered_opens_none(own_shop, action, intent):
    offered = {**MARIE, slots.PENDING_CONFIRMATION: "action_missing_parcel"}
    tracker = make_tracker("non c'est bon en fait je l'ai trouvé", intent=intent, slots=offered)

    messages, events = run_action(action(), tracker)

    assert responses(messages) == ["utter_parcel_found"]
    assert {"event": "slot", "timestamp": None, "name": slots.PENDING_CONFIRMATION,
            "value": None} in events  # fmt: skip


def test_asking_for_the_phone_number_answers_and_offers_a_person_without_handing_over(own_shop):
    tracker = make_tracker("c'est quoi votre numéro de téléphone ?", intent="human_handoff")

    messages, events = run_action(ActionHumanHandoff(), tracker)

    assert responses(messages) == ["utter_contact_details"]
    assert slot_events(events)[slots.PENDING_CONFIRMATION] == HANDOFF_ACTION


@pytest.mark.parametrize(
    ("message", "confidence", "general"),
    [
        ("Sinon, c'est quoi les étapes si un colis est perdu ?", 0.56, True),
        ("Sinon, c'est quoi les étapes si un colis est perdu ?", 0.3, False),  # no subject
        ("mon colis blabla", 0.56, False),  # no question
    ],
)
def test_a_general_question_just_below_the_threshold_gets_the_subjects_answer(
    shop, message, confidence, general
):
    tracker = make_tracker(message, intent="nlu_fallback")
    tracker.latest_message["intent_ranking"] = [
        {"name": "nlu_fallback", "confidence": 0.64},
        {"name": "missing_parcel", "confidence": confidence},
    ]

    messages, _ = run_action(ActionFallback(), tracker)

    said = responses(messages)
    assert (said[0].startswith("utter_faq_missing_parcel")) is general


def test_an_exchange_confirmed_for_earrings_already_returned_points_to_the_return(own_shop):
    sophie = {slots.VERIFIED_ORDER: "AZ104204", slots.VERIFIED_EMAIL: "sophie.martin@exemple.com"}
    returned = own_shop.request_return("AZ104204", "sophie.martin@exemple.com").request
    offered = {**sophie, slots.PENDING_CONFIRMATION: "action_exchange_item"}
    tracker = make_tracker("oui", intent="affirm", slots=offered)

    messages, events = run_action(ActionAnswerYesNo(), tracker)

    said = [m for m in messages if m.get("response") == "utter_request_for_the_same_pieces"]
    assert said and said[0]["reference"] == returned.reference
    assert "utter_exchange_created" not in responses(messages)
    assert slot_events(events)[slots.PENDING_CONFIRMATION] == HANDOFF_ACTION  # a person


def test_a_code_named_in_a_message_read_as_a_yes_is_checked(shop):
    code = [{"entity": "promo_code", "value": "BIENVENUE10"}]
    tracker = make_tracker("ok et BIENVENUE10 ?", intent="affirm", entities=code)

    messages, _ = run_action(ActionAnswerYesNo(), tracker)

    said = responses(messages)
    assert said[:2] == ["utter_promo_code_valid", "utter_promo_condition_first_order"]


def test_not_a_first_order_after_a_first_order_code_is_checked_again(shop):
    after = {slots.TOPIC: "promotions", slots.PROMO_CODE: "BIENVENUE10"}
    tracker = make_tracker("c'est pas ma première commande", intent="nlu_fallback", slots=after)

    messages, _ = run_action(ActionFallback(), tracker)

    assert responses(messages)[0] == "utter_promo_code_first_order_only"


@pytest.mark.parametrize(
    ("message", "asked_again"),
    [
        ("non je l'ai pas fait modifier, c'est juste cassé tout seul", True),
        ("non, je l'ai jamais échappée", True),
        ("non merci", False),
        ("non laisse faire", False),
    ],
)
def test_a_no_that_rules_out_a_cause_keeps_the_claim_offered(own_shop, message, asked_again):
    sophie = {slots.VERIFIED_ORDER: "AZ098765", slots.VERIFIED_EMAIL: "sophie.martin@exemple.com"}
    offered = {**sophie, slots.PENDING_CONFIRMATION: "action_warranty_claim"}
    tracker = make_tracker(message, intent="deny", slots=offered)

    messages, _ = run_action(ActionAnswerYesNo(), tracker)

    assert ("utter_confirm_warranty_claim" in responses(messages)) is asked_again


def test_a_gift_card_code_never_received_is_no_promo_code_question(shop):
    text = "ma commande AZ104204 avait une carte cadeau, elle a pas reçu le code"
    tracker = make_tracker(text, intent="promo_code", entities=[])

    messages, events = run_action(ActionPromoCode(), tracker)

    assert responses(messages) == ["utter_e_gift_card_by_email"]
    assert slot_events(events)[slots.PENDING_CONFIRMATION] == HANDOFF_ACTION


def test_cancelling_an_exchange_asked_by_mistake_offers_a_person_not_the_orders_cancellation(
    own_shop,
):
    sophie = {slots.VERIFIED_ORDER: "AZ104204", slots.VERIFIED_EMAIL: "sophie.martin@exemple.com"}
    exchange = own_shop.request_exchange("AZ104204", "sophie.martin@exemple.com").request
    text = "j'ai demandé un échange par erreur, vous pouvez annuler l'échange ?"
    tracker = make_tracker(text, intent="cancel_order", slots=sophie)

    messages, events = run_action(ActionCancelOrder(), tracker)

    assert responses(messages) == ["utter_withdraw_request_by_a_person"]
    assert messages[0]["reference"] == exchange.reference
    assert slot_events(events)[slots.PENDING_CONFIRMATION] == HANDOFF_ACTION


def test_cancelling_a_request_there_is_none_of_says_so(shop):
    sophie = {slots.VERIFIED_ORDER: "AZ104204", slots.VERIFIED_EMAIL: "sophie.martin@exemple.com"}
    tracker = make_tracker("annulez ma réclamation", intent="cancel_order", slots=sophie)

    messages, _ = run_action(ActionCancelOrder(), tracker)

    assert responses(messages) == ["utter_no_request_to_withdraw"]


def test_a_piece_named_after_its_cancellation_is_said_cancelled_not_missing(own_shop):
    marie = {slots.VERIFIED_ORDER: "AZ104201", slots.VERIFIED_EMAIL: "marie.tremblay@exemple.ca"}
    cancelled = own_shop.check_cancellation("AZ104201", "marie.tremblay@exemple.ca")
    bracelet = next(line.sku for line in cancelled.lines if "Bracelet" in line.name)
    own_shop.cancel_order("AZ104201", "marie.tremblay@exemple.ca", skus=[bracelet])
    tracker = make_tracker("ben remettez le bracelet alors", intent="cancel_order", slots=marie)

    messages, events = run_action(ActionCancelOrder(), tracker)

    assert responses(messages) == ["utter_item_already_cancelled"]
    assert "Bracelet" in messages[0]["items"]
    assert slot_events(events)[slots.PENDING_CONFIRMATION] == HANDOFF_ACTION


def test_an_ok_that_closes_while_the_order_number_is_asked_ends_the_questions(shop):
    tracker = make_tracker("bon ok c'est tout, je vais appeler à la place", intent="affirm")
    tracker.active_loop = {"name": "identification_form"}

    messages, events = run_action(ActionAnswerYesNo(), tracker)

    assert responses(messages) == ["utter_goodbye"]
    assert {"event": "active_loop", "timestamp": None, "name": None} in events


def test_withdrawing_a_request_before_identification_offers_a_person(shop):
    text = "allo j'ai fait une demande d'échange par erreur tantôt, pouvez-vous l'annuler?"
    tracker = make_tracker(text, intent="cancel_order")

    messages, events = run_action(ActionCancelOrder(), tracker)

    assert responses(messages) == ["utter_withdraw_a_request"]
    assert slot_events(events)[slots.PENDING_CONFIRMATION] == HANDOFF_ACTION


@pytest.mark.parametrize(
    ("action", "intent"),
    [(ActionWarrantyClaim, "warranty_claim"), (ActionAnswerYesNo, "deny"),
     (ActionFallback, "nlu_fallback")],
)  # fmt: skip
def test_a_preference_stated_while_the_claim_is_offered_is_noted_and_asked_again(
    own_shop, action, intent
):
    sophie = {slots.VERIFIED_ORDER: "AZ098765", slots.VERIFIED_EMAIL: "sophie.martin@exemple.com"}
    offered = {**sophie, slots.PENDING_CONFIRMATION: "action_warranty_claim"}
    text = "pourquoi vous dites que je veux un remplacement? je préférerais un remboursement"
    wish = [{"entity": "preference", "value": "refund"}]
    tracker = make_tracker(text, intent=intent, slots=offered, entities=wish)

    messages, events = run_action(action(), tracker)

    said = responses(messages)
    assert said == ["utter_warranty_preference_refund", "utter_confirm_warranty_claim"]
    assert slot_events(events)[slots.PENDING_CONFIRMATION] == "action_warranty_claim"


@pytest.mark.parametrize(
    ("message", "asks_the_cause"),
    [
        ("Bonjour, jusqu'à quand ma bague est-elle garantie ? Commande AZ098765.", False),
        ("ma bague est encore couverte ?", False),
        ("ma bague est tordue, c'est encore couvert ?", True),  # a problem: its cause is asked
    ],
)
def test_asking_until_when_the_warranty_runs_gets_the_date_and_no_question_about_a_problem(
    shop, message, asks_the_cause
):
    sophie = {slots.VERIFIED_ORDER: "AZ098765", slots.VERIFIED_EMAIL: "sophie.martin@exemple.com"}
    tracker = make_tracker(message, intent="warranty_claim", slots=sophie)

    messages, events = run_action(ActionWarrantyClaim(), tracker)

    assert responses(messages)[0] in {"utter_warranty_covered_until", "utter_warranty_covered"}
    opens_the_form = any(e.get("name") == "warranty_form" for e in events)
    assert opens_the_form is asks_the_cause


def test_a_protest_read_as_a_yes_after_a_refusal_is_no_welcome(shop):
    after = {slots.LAST_DECISION: "utter_cancel_window_expired"}
    tracker = make_tracker("c'est injuste ça", intent="affirm", slots=after)

    messages, _ = run_action(ActionAnswerYesNo(), tracker)

    assert "utter_how_can_i_help" not in responses(messages)
    assert responses(messages) == ["utter_contest_cancel_window"]


@pytest.mark.parametrize(
    ("decision", "message", "answer"),
    [
        ("utter_order_cancelled", "Quoi?? Je n'ai jamais demandé d'annulation !",
         "utter_alternatives_escalate"),
        ("utter_faq_warranty_claim_not_covered_loss", "c'est pas normal ça",
         "utter_alternatives_warranty_refused"),
    ],
)  # fmt: skip
def test_pushing_back_on_a_state_or_a_no_offers_a_person(shop, decision, message, answer):
    tracker = make_tracker(message, intent="nlu_fallback", slots={slots.LAST_DECISION: decision})

    messages, events = run_action(ActionFallback(), tracker)

    assert responses(messages) == [answer]
    assert slot_events(events)[slots.PENDING_CONFIRMATION] == HANDOFF_ACTION


def test_never_mind_after_a_refusal_with_nothing_pending_is_no_misunderstanding(shop):
    after = {slots.LAST_DECISION: "utter_exchange_window_expired"}
    tracker = make_tracker("ok bon tant pis", intent="affirm", slots=after)

    messages, _ = run_action(ActionAnswerYesNo(), tracker)

    assert responses(messages) == ["utter_anything_else"]


@pytest.mark.parametrize(
    ("message", "noted"),
    [
        ("la chaîne de ma bague s'est cassée toute seule, je l'ai jamais échappée", False),
        ("Défaut (fermoir, pierre, soudure…)", False),
        ("la pierre s'est décrochée, je voudrais qu'on me la remplace", True),
        ("elle est cassée, envoyez-moi une nouvelle svp", True),
    ],
)
def test_a_preference_is_noted_only_when_the_customer_words_a_wish(shop, message, noted):
    sophie = {slots.VERIFIED_ORDER: "AZ098765", slots.VERIFIED_EMAIL: "sophie.martin@exemple.com"}
    decided = {**sophie, slots.WARRANTY_CAUSE: "defect"}
    guessed = [
        {"entity": "warranty_cause", "value": "defect"},
        {"entity": "preference", "value": "replacement"},
    ]
    tracker = make_tracker(message, intent="warranty_claim", slots=decided, entities=guessed)

    messages, _ = run_action(ActionDecideWarranty(), tracker)

    assert ("utter_warranty_preference_replacement" in responses(messages)) is noted


@pytest.mark.parametrize(
    ("message", "hours", "contact"),
    [
        ("Bonjour, quelles sont vos heures d'ouverture ?", True, False),
        ("êtes-vous ouverts le dimanche ?", True, False),
        ("vous répondez jusqu'à quelle heure ?", True, False),
        ("jusqu'à quelle heure je peux annuler ?", False, False),
        ("à quelle heure vous fermez ?", True, False),
        ("vous écrivez à quelle adresse courriel pour le service client ?", False, True),
        ("Bonjour, comment on fait pour parler à quelqu'un ?", False, True),
        ("je veux parler à un humain", False, False),  # a request for a person, not a question
        ("la boutique est-elle ouverte aux États-Unis ?", False, False),
        ("À quelle heure votre service client est-il disponible ?", True, False),
        ("votre équipe est joignable le samedi ?", True, False),
        ("le support est en ligne jusqu'à quand ?", True, False),
        ("Est-ce qu'il y a quelqu'un de chez vous en ligne en ce moment?", True, False),
        ("euh? je demande si un humain est disponible maintenant", True, False),
        ("Le service client, il travaille la fin de semaine?", True, False),
        ("y répond-tu les fins de semaine?", True, False),
        ("est ce que je peux vous joindre le samedi?", True, True),
        ("Est-ce que le support répond le dimanche ?", True, False),
        ("Et le téléphone ?", False, True),
    ],
)
def test_questions_on_reaching_the_team_are_recognised(message, hours, contact):
    assert (cues.asks_opening_hours(message), cues.asks_for_contact(message)) == (hours, contact)


@pytest.mark.parametrize(
    ("hours", "now", "response"),
    [
        ("mon-fri 09:00-17:00", "2026-12-07T10:00:00-05:00", "utter_opening_hours_open"),
        ("mon-fri 09:00-17:00", "2026-12-06T10:00:00-05:00", "utter_opening_hours_closed"),
    ],
)
def test_the_opening_hours_are_told_with_the_next_opening_when_closed(
    monkeypatch, hours, now, response
):
    monkeypatch.setenv("ALLYZURE_SUPPORT_HOURS", hours)
    monkeypatch.setattr(SystemClock, "now", lambda self: datetime.fromisoformat(now))
    tracker = make_tracker("quelles sont vos heures d'ouverture ?", intent="out_of_scope")

    messages, _ = run_action(ActionFallback(), tracker)

    assert responses(messages) == [response]
    assert messages[0]["hours"] == "du lundi au vendredi de 9\u00a0h à 17\u00a0h"
    if response == "utter_opening_hours_closed":
        assert messages[0]["next_opening"] == "lundi 7 décembre 2026 à 9\u00a0h\u00a000"


@pytest.mark.parametrize(
    ("action", "intent"),
    [
        (ActionReturnItem, "return_item"),
        (ActionAnswerYesNo, "deny"),
        (ActionWrongItem, "wrong_item"),
    ],
)
def test_a_refund_wished_while_the_wrong_item_case_is_offered_is_noted_and_asked_again(
    own_shop, action, intent
):
    julien = {slots.VERIFIED_ORDER: "AZ104205", slots.VERIFIED_EMAIL: "jdupont@exemple.fr"}
    offered = {**julien, slots.PENDING_CONFIRMATION: "action_wrong_item"}
    text = "je préfère être remboursé plutôt que de recevoir un autre bracelet"
    wish = [{"entity": "preference", "value": "refund"}]
    tracker = make_tracker(text, intent=intent, slots=offered, entities=wish)

    messages, events = run_action(action(), tracker)

    assert responses(messages) == [
        "utter_wrong_item_preference_refund",
        "utter_confirm_wrong_item_case",
    ]
    assert slot_events(events)[slots.PENDING_CONFIRMATION] == "action_wrong_item"


def test_the_wrong_item_case_records_the_refund_wished(own_shop):
    julien = {slots.VERIFIED_ORDER: "AZ104205", slots.VERIFIED_EMAIL: "jdupont@exemple.fr"}
    text = "j'ai reçu le mauvais bracelet, je voudrais être remboursé"
    wish = [{"entity": "preference", "value": "refund"}]
    tracker = make_tracker(text, intent="wrong_item", slots=julien, entities=wish)

    run_action(ActionWrongItem(), tracker)  # the case is offered, the wish said back
    ActionWrongItem().confirm(CollectingDispatcher(), tracker, own_shop, verified_identity(tracker))

    case = own_shop.open_request("AZ104205", "jdupont@exemple.fr", RequestKind.WRONG_ITEM)
    assert case.payload["preference"] == "refund"


@pytest.mark.parametrize(
    ("message", "topic", "response"),
    [
        ("êtes-vous ouverts le dimanche ?", None, "utter_closed_that_day"),
        ("et le samedi ?", "opening_hours", "utter_closed_that_day"),
        ("pis le mardi ?", "opening_hours", "utter_opening_hours_that_day"),
        ("Le service est-il joignable le 25 décembre ?", "opening_hours",
         "utter_opening_hours_holidays"),
    ],
)  # fmt: skip
def test_a_day_asked_about_gets_whether_the_team_answers_that_day(
    monkeypatch, message, topic, response
):
    monkeypatch.setenv("ALLYZURE_SUPPORT_HOURS", "mon-fri 09:00-17:00")
    tracker = make_tracker(message, intent="out_of_scope", slots={slots.TOPIC: topic})

    messages, events = run_action(ActionFallback(), tracker)

    assert responses(messages) == [response]
    assert slot_events(events)[slots.TOPIC] == "opening_hours"


@pytest.mark.parametrize(
    ("action", "intent"), [(ActionReturnItem, "return_item"), (ActionAnswerYesNo, "deny")]
)
def test_a_refund_wished_while_a_missing_parcel_case_is_offered_is_no_return(
    own_shop, action, intent
):
    offered = {**MARIE, slots.PENDING_CONFIRMATION: "action_missing_parcel"}
    wish = [{"entity": "preference", "value": "refund"}]
    tracker = make_tracker("je veux être remboursée", intent=intent, slots=offered, entities=wish)

    messages, events = run_action(action(), tracker)

    assert responses(messages) == [
        "utter_missing_parcel_preference_refund",
        "utter_offer_missing_parcel_case",
    ]
    assert slot_events(events)[slots.PENDING_CONFIRMATION] == "action_missing_parcel"


@pytest.mark.parametrize(
    ("message", "farewell"),
    [
        ("bye", True),
        ("merci, bonne journée !", True),
        ("bonne fin de semaine à vous", True),
        ("et la fin de semaine ?", False),  # read as a goodbye by the classifier
        ("pourquoi pas ?", False),
    ],
)
def test_a_goodbye_that_asks_something_is_answered_not_closed(monkeypatch, message, farewell):
    monkeypatch.setenv("ALLYZURE_SUPPORT_HOURS", "mon-fri 09:00-17:00")
    tracker = make_tracker(message, intent="goodbye", slots={slots.TOPIC: "opening_hours"})

    messages, events = run_action(ActionGoodbye(), tracker)

    assert (responses(messages) == ["utter_goodbye"]) is farewell
    assert (
        {"event": "followup", "timestamp": None, "name": "utter_ask_csat"} in events
    ) is farewell


@pytest.mark.parametrize(
    ("action", "intent", "message"),
    [
        (ActionThank, "thank", "merci, bonne soirée"),
        (ActionAnswerYesNo, "deny", "non merci"),
    ],
)
def test_a_goodbye_however_worded_asks_the_rating_once(shop, action, intent, message):
    asked_before = {"event": "bot", "text": "…", "metadata": {"utter_action": "utter_ask_csat"}}

    _, first = run_action(action(), make_tracker(message, intent=intent))
    _, again = run_action(action(), make_tracker(message, intent=intent, events=[asked_before]))

    assert {"event": "followup", "timestamp": None, "name": "utter_ask_csat"} in first
    assert not any(event.get("event") == "followup" for event in again)


def test_the_wrong_item_case_records_what_the_customer_said_came(own_shop):
    julien = {slots.VERIFIED_ORDER: "AZ104205", slots.VERIFIED_EMAIL: "jdupont@exemple.fr"}
    described = "j'ai reçu un jonc en argent au lieu du jonc en or"
    events = [
        {"event": "user", "text": described,
         "parse_data": {"text": described, "intent": {"name": "wrong_item"}}},
        {"event": "bot", "metadata": {"utter_action": "utter_confirm_wrong_item_case"}},
    ]  # fmt: skip
    offered = {**julien, slots.PENDING_CONFIRMATION: "action_wrong_item"}
    tracker = make_tracker("oui", intent="affirm", slots=offered, events=events)
    tracker.events.append({"event": "user", "text": "oui", "parse_data": tracker.latest_message})

    run_action(ActionAnswerYesNo(), tracker)

    [case] = [
        r
        for r in own_shop.order_summary("AZ104205", "jdupont@exemple.fr").requests
        if r.kind is RequestKind.WRONG_ITEM
    ]
    assert case.payload["description"] == described
