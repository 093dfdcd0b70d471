"""What the assistant does with the customer's next message: a request already open is
pointed to, a refusal is followed by what can still be done, a follow-up keeps its topic."""

from __future__ import annotations

import pytest
from action_helpers import make_tracker, responses, run_action, slot_events
from actions import cues, faq, slots
from actions.base import OrderBoundAction, all_subclasses, decision_uttered, offers_a_write
from actions.cancellation import ActionCancelOrder
from actions.conversation import (
    ActionAnswerYesNo,
    ActionFallback,
    ActionGreet,
    ActionHumanHandoff,
)
from actions.exchange import ActionExchangeItem
from actions.general import ActionGeneralAnswer
from actions.returns import ActionReturnItem
from actions.shop_info import ActionPromotions, ActionTaxInfo
from actions.tracking import ActionMissingParcel, ActionTrackingIssue, ActionTrackOrder
from actions.values import day
from actions.warranty import ActionWarrantyClaim
from actions.wrong_item import ActionWrongItem
from components.entities import extract_entities
from rasa_sdk.events import SlotSet
from rasa_sdk.executor import CollectingDispatcher
from support import read_yaml

from backend.policies.warranty import WarrantyCause
from tools.model import BOT_DIR

SOPHIE = {slots.VERIFIED_ORDER: "AZ104204", slots.VERIFIED_EMAIL: "sophie.martin@exemple.com"}


@pytest.mark.parametrize(
    ("message", "words"),
    [
        ("Est-ce que vous livrez aux États-Unis ?", "est-ce que vous livrez aux etats-unis ?"),
        ("aidez-moi SVP", "aidez-moi s'il vous plait"),
        ("les cartes-cadeaux, c'est remboursé ?", "les cartes-cadeaux c'est rembourse ?"),
        ("bon - merci", "bon-merci"),
    ],
)
def test_hyphenated_words_stay_joined_for_the_cues(message, words):
    assert cues.words_of(message) == words


@pytest.mark.parametrize(
    ("message", "asks"),
    [
        ("Ben là, y'a rien que je peux faire d'abord ?", True),
        ("je fais quoi alors", True),
        ("c'est vraiment impossible ?", False),  # pushing back, not asking what to do
        ("quelles sont mes options", True),
        ("Qu'est-ce que je peux faire maintenant ?", True),
        ("il n'y a aucune autre solution ?", True),
        ("je veux retourner ma bague", False),
        ("merci beaucoup", False),
        ("combien de temps pour la livraison ?", False),
    ],
)
def test_asking_what_can_still_be_done_is_recognised(message, asks):
    assert cues.asks_what_now(message) is asks


def test_after_a_refused_return_the_customer_is_told_what_is_still_covered(shop):
    tracker = make_tracker(
        "y'a rien que je peux faire ?",
        intent="return_item",
        slots={**SOPHIE, slots.LAST_DECISION: "utter_return_no_returnable_line"},
    )

    messages, events = run_action(ActionReturnItem(), tracker)

    assert responses(messages) == ["utter_alternatives_non_returnable"]
    assert slot_events(events)[slots.PENDING_CONFIRMATION] == "personalise:action_warranty_claim"


def test_after_a_general_no_what_can_still_be_done_is_answered_too(shop):
    tracker = make_tracker(
        "Ben là, il n'y a rien que je peux faire ?",
        intent="nlu_fallback",
        slots={slots.LAST_DECISION: "utter_faq_return_item_non_returnable"},
    )

    messages, _ = run_action(ActionFallback(), tracker)

    assert responses(messages) == ["utter_alternatives_non_returnable"]


def test_a_follow_up_keeps_its_topic_when_it_names_a_refund(shop):
    tracker = make_tracker(
        "et au final je suis remboursé ou on me le remplace ?",
        intent="return_item",
        slots={slots.TOPIC: "warranty_claim"},
    )
    dispatcher = CollectingDispatcher()

    faq.follow_up_on_topic(dispatcher, tracker, shop, "return_item")

    assert responses(dispatcher.messages)[0] == "utter_faq_warranty_claim_remedy"


def test_a_refused_warranty_offers_a_human_when_the_customer_asks_what_now(shop):
    tracker = make_tracker(
        "c'est vraiment impossible ?",
        intent="nlu_fallback",
        slots={**SOPHIE, slots.LAST_DECISION: "utter_warranty_excluded_loss"},
    )

    messages, events = run_action(ActionFallback(), tracker)

    assert responses(messages) == ["utter_alternatives_warranty_refused"]
    assert slot_events(events)[slots.PENDING_CONFIRMATION] == "action_human_handoff"


def test_without_a_refusal_what_now_is_not_answered_with_alternatives(shop):
    tracker = make_tracker("je fais quoi alors ?", intent="return_item", slots=SOPHIE)

    messages, _ = run_action(ActionReturnItem(), tracker)

    assert "utter_alternatives_non_returnable" not in responses(messages)


def test_a_flow_remembers_its_decision(shop):
    tracker = make_tracker("je veux retourner ma commande", intent="return_item", slots=SOPHIE)

    messages, events = run_action(ActionReturnItem(), tracker)

    assert slot_events(events)[slots.LAST_DECISION] == responses(messages)[0]


@pytest.mark.parametrize(
    ("topic", "intent", "message", "response"),
    [
        ("wrong_item", "return_item", "Pis la carte-cadeau qui était dans le colis ?",
         "utter_faq_return_item_non_returnable"),
        ("warranty_claim", "track_order", "À partir de quand est-ce que ça commence à compter ?",
         "utter_faq_warranty_claim_start"),
        ("track_order", "nlu_fallback", "jai pas de compte", "utter_faq_track_order_no_account"),
    ],
)  # fmt: skip
def test_a_follow_up_is_answered_about_the_topic(shop, topic, intent, message, response):
    tracker = make_tracker(message, intent=intent, slots={slots.TOPIC: topic})
    dispatcher = CollectingDispatcher()

    answered = faq.follow_up_on_topic(dispatcher, tracker, shop, intent)

    assert answered is not None
    assert responses(dispatcher.messages)[0] == response


@pytest.mark.parametrize(
    ("intent", "message", "response"),
    [
        # the form says it follows up: a continuation, or too short for a subject of its own
        ("nlu_fallback", "et pour les États-Unis ?", "utter_faq_shipping_home"),
        ("out_of_scope", "et pour une bague ?", "utter_faq_shipping"),
        ("out_of_scope", "mais si c'est urgent ?", "utter_faq_shipping"),
        ("out_of_scope", "ça coûte combien ?", "utter_faq_shipping_cost"),
        # a pronoun stands for what was just answered
        ("out_of_scope", "comment faire pour pas les rater ?", "utter_faq_shipping"),
        ("out_of_scope", "c'est bizarre, comment ça se fait ?", "utter_faq_shipping"),
        ("track_order", "Et en combien de temps ?", "utter_faq_shipping_delay"),
        # a full question sure to be out of scope is a new subject, not the topic again
        ("out_of_scope", "est-ce que je peux payer avec paypal", "utter_payment_methods"),
        ("out_of_scope", "vous avez une boutique à Montréal ?", "utter_out_of_scope"),
        ("out_of_scope", "vous faites des bagues sur mesure ?", "utter_product_question"),
    ],
)
def test_a_question_not_placed_is_a_follow_up_only_when_its_form_says_so(
    shop, intent, message, response
):
    tracker = make_tracker(message, intent=intent, slots={slots.TOPIC: "shipping"})

    messages, _ = run_action(ActionFallback(), tracker)

    assert responses(messages) == [response]


def test_a_message_naming_another_topic_is_not_a_follow_up(shop):
    tracker = make_tracker(
        "et la garantie, elle dure combien de temps ?",
        intent="warranty_claim",
        slots={slots.TOPIC: "return_item"},
    )

    assert faq.follow_up_on_topic(CollectingDispatcher(), tracker, shop, "return_item") is None


def test_asking_for_a_return_again_gives_the_open_request_instead_of_a_new_offer(own_shop):
    first = make_tracker("je veux retourner ma commande", intent="return_item", slots=SOPHIE)
    _, offer_events = run_action(ActionReturnItem(), first)
    assert slot_events(offer_events)[slots.PENDING_CONFIRMATION] == "action_return_item"
    created = own_shop.request_return("AZ104204", "sophie.martin@exemple.com")

    again = make_tracker("je voudrais faire un retour", intent="return_item", slots=SOPHIE)
    messages, events = run_action(ActionReturnItem(), again)

    assert responses(messages)[-1] == "utter_return_already_open"
    assert messages[-1]["reference"] == created.request.reference
    assert slot_events(events)[slots.PENDING_CONFIRMATION] is None


def test_only_a_closing_question_that_writes_counts_as_an_offer():
    assert offers_a_write(
        [SlotSet(slots.PENDING_CONFIRMATION, "action_return_item")], "action_return_item"
    )
    assert not offers_a_write([SlotSet(slots.PENDING_CONFIRMATION, None)], "action_return_item")
    assert not offers_a_write([SlotSet(slots.TOPIC, "action_return_item")], "action_return_item")


def test_the_decision_is_the_first_response_the_flow_gave():
    dispatcher = CollectingDispatcher()
    dispatcher.utter_message(text="plain text first")
    dispatcher.utter_message(response="utter_return_window_expired")
    dispatcher.utter_message(response="utter_anything_else")

    assert decision_uttered(dispatcher) == "utter_return_window_expired"


def test_a_still_covered_piece_is_told_its_warranty_end_before_the_cause_is_asked(shop):
    tracker = make_tracker(
        "est-ce que la garantie la couvre encore ?",
        intent="warranty_claim",
        slots={slots.VERIFIED_ORDER: "AZ098765", slots.VERIFIED_EMAIL: "sophie.martin@exemple.com"},
    )

    messages, _ = run_action(ActionWarrantyClaim(), tracker)

    assert responses(messages) == ["utter_warranty_covered_until"]
    assert messages[0]["deadline"]  # the last covered day, from the purchase date


@pytest.mark.parametrize(
    ("message", "product"),
    [
        ("ok et les bagues en or, vous en avez ?", True),
        ("Vendez-vous des colliers en argent ?", True),
        ("c'est disponible en taille 7 ?", True),
        ("ma bague en or est cassée", False),
        ("Vous livrez en Europe ?", False),
    ],
)
def test_questions_about_the_catalogue_are_recognised(message, product):
    assert cues.is_product_question(message) is product


def test_small_talk_answered_does_not_count_towards_a_human(shop):
    small_talk = {"intent": {"name": "out_of_scope"}}
    events = [
        {"event": "user", "text": "comment tu vas ?", "parse_data": small_talk},
        {"event": "bot", "text": "Très bien", "metadata": {"utter_action": "utter_small_talk"}},
        {"event": "user", "text": "zzz qwerty", "parse_data": {"intent": {"name": "nlu_fallback"}}},
    ]
    tracker = make_tracker("zzz qwerty", intent="nlu_fallback", events=events)

    messages, _ = run_action(ActionFallback(), tracker)

    assert responses(messages) == ["utter_please_rephrase"]


@pytest.mark.parametrize("mark", ["?", "??", " ❓ "])
def test_a_bare_question_mark_after_an_answer_asks_what_is_unclear(shop, mark):
    events = [
        {"event": "slot", "name": slots.TOPIC, "value": "promo_code"},
        {
            "event": "user",
            "text": "un code promo ?",
            "parse_data": {"intent": {"name": "promo_code"}},
        },
        {"event": "bot", "text": "…", "metadata": {"utter_action": "utter_faq_promo_code"}},
    ]
    tracker = make_tracker(mark, intent="out_of_scope", events=events)

    messages, _ = run_action(ActionFallback(), tracker)

    assert responses(messages) == ["utter_what_is_unclear"]


@pytest.mark.parametrize(
    ("message", "missed"),
    [
        ("euh c'est pas ce que j'ai demandé", True),
        ("quoi ? j'ai pas parlé d'ajustement de prix", True),
        ("ce n'est pas ma question", True),
        ("vous répondez à côté", True),
        # a wrong item: the piece, not the answer
        ("j'ai reçu un collier, c'est pas ce que j'ai demandé", False),
        ("c'est pas ce que j'ai commandé", False),
    ],
)
def test_a_complaint_that_the_answer_missed_the_question_is_recognised(message, missed):
    assert cues.says_the_answer_missed(message) is missed


def test_an_answer_that_missed_gets_an_apology_not_the_wrong_item_steps(shop):
    tracker = make_tracker("euh c'est pas ce que j'ai demandé", intent="wrong_item")

    messages, _ = run_action(ActionWrongItem(), tracker)

    assert responses(messages) == ["utter_sorry_question_missed"]


def test_a_bare_question_mark_opening_the_conversation_is_not_told_the_answer_was_unclear(shop):
    messages, _ = run_action(ActionFallback(), make_tracker("?", intent="out_of_scope"))

    assert "utter_what_is_unclear" not in responses(messages)


def test_every_order_flow_says_what_it_will_check_before_asking_for_the_order():
    responses_in_domain = read_yaml(BOT_DIR / "domain.yml")["responses"]
    flows = [cls() for cls in all_subclasses(OrderBoundAction) if not cls.__abstractmethods__]

    intros = {f.topic(): f"utter_before_identification_{f.topic()}" for f in flows}
    missing = [topic for topic, intro in intros.items() if intro not in responses_in_domain]
    assert flows and missing == []


@pytest.mark.parametrize(
    ("topic", "message", "answered"),
    [
        ("cancel_order", "le remboursement va prendre combien de temps ?", True),
        ("return_item", "et la garantie, elle dure combien de temps ?", False),
    ],
)
def test_a_shared_word_does_not_pull_a_follow_up_away_from_its_topic(
    shop, topic, message, answered
):
    tracker = make_tracker(message, intent="return_item", slots={slots.TOPIC: topic})

    result = faq.follow_up_on_topic(CollectingDispatcher(), tracker, shop, "warranty_claim")

    assert (result is not None) is answered


def test_stop_declines_the_pending_offer_even_when_it_reads_like_a_cancellation(shop):
    tracker = make_tracker(
        "stop",
        intent="cancel_order",
        slots={slots.PENDING_CONFIRMATION: "personalise:action_return_item"},
    )

    messages, events = run_action(ActionReturnItem(), tracker)

    assert responses(messages) == ["utter_offer_declined"]
    assert slot_events(events)[slots.PENDING_CONFIRMATION] is None


def test_asking_what_now_twice_offers_a_person(shop):
    tracker = make_tracker(
        "c'est vraiment impossible ?",
        intent="cancel_order",
        slots={**SOPHIE, slots.LAST_DECISION: "utter_alternatives_cancel_too_late"},
    )

    messages, events = run_action(ActionReturnItem(), tracker)

    assert responses(messages) == ["utter_alternatives_escalate"]
    assert slot_events(events)[slots.PENDING_CONFIRMATION] == "action_human_handoff"


def test_an_identified_customer_asking_who_pays_gets_what_was_decided_for_the_open_return(
    own_shop,
):
    own_shop.request_return("AZ104204", "sophie.martin@exemple.com")
    tracker = make_tracker("et qui paie l'envoi du retour ?", intent="return_item", slots=SOPHIE)

    messages, _ = run_action(ActionReturnItem(), tracker)

    assert responses(messages) == ["utter_return_shipping_paid_by_customer"]  # changed mind


def said(response: str) -> dict:
    return {"event": "bot", "text": "…", "metadata": {"utter_action": response}}


def verified(order_number: str) -> dict:
    return {"event": "slot", "name": slots.VERIFIED_ORDER, "value": order_number}


@pytest.mark.parametrize(
    "payer", ["utter_return_shipping_paid_by_shop", "utter_return_shipping_paid_by_customer"]
)
def test_asking_who_pays_after_the_return_answer_gets_what_that_answer_said(shop, payer):
    question = {"event": "user", "text": "et qui paie ?"}
    tracker = make_tracker(
        "et qui paie ?",
        intent="return_item",
        slots={**SOPHIE, slots.TOPIC: "return_item"},
        events=[verified("AZ104204"), said("utter_return_eligible"), said(payer), question],
    )

    messages, events = run_action(ActionReturnItem(), tracker)

    assert responses(messages) == [payer]
    assert slot_events(events)[slots.LAST_DECISION] == payer


def test_who_pays_said_for_another_order_is_not_this_orders_answer(shop):
    tracker = make_tracker(
        "et qui paie le retour ?",
        intent="return_item",
        slots={**SOPHIE, slots.TOPIC: "return_item"},
        events=[
            said("utter_return_shipping_paid_by_shop"),
            verified("AZ104204"),
            {"event": "user", "text": "et qui paie le retour ?"},
        ],
    )

    messages, _ = run_action(ActionReturnItem(), tracker)

    assert responses(messages) == ["utter_faq_return_item_shipping"]


def test_where_to_send_an_open_return_names_its_number_and_the_emailed_address(own_shop):
    opened = own_shop.request_return("AZ104204", "sophie.martin@exemple.com")
    tracker = make_tracker("je l'envoie où ?", intent="return_item", slots=SOPHIE)

    messages, _ = run_action(ActionReturnItem(), tracker)

    assert responses(messages) == ["utter_return_send_to_open"]
    assert messages[0]["reference"] == opened.request.reference


def test_an_identified_customer_asking_a_rule_gets_the_rule_not_the_flow_again(shop):
    tracker = make_tracker(
        "et le retour, c'est moi qui le paie ?",
        intent="return_item",
        slots={**SOPHIE, slots.TOPIC: "cancel_order"},
    )

    messages, _ = run_action(ActionReturnItem(), tracker)

    assert responses(messages) == ["utter_faq_return_item_shipping"]


@pytest.mark.parametrize(
    ("decision", "response"),
    [
        ("utter_cancel_window_expired", "utter_contest_cancel_window"),
        ("utter_return_window_expired", "utter_alternatives_escalate"),
        ("utter_warranty_excluded_wear", "utter_alternatives_warranty_refused"),
    ],
)
def test_pushing_back_on_a_refusal_offers_a_person(shop, decision, response):
    pushing_back = "c'est vraiment impossible ? elle est même pas encore partie"
    slots_now = {**SOPHIE, slots.LAST_DECISION: decision}
    tracker = make_tracker(pushing_back, intent="nlu_fallback", slots=slots_now)

    messages, events = run_action(ActionFallback(), tracker)

    assert responses(messages) == [response]
    assert slot_events(events)[slots.PENDING_CONFIRMATION] == "action_human_handoff"


def answering_yes_to_the_offer_to_check_the_return(identity: dict):
    tracker = make_tracker(
        "oui",
        intent="affirm",
        slots={**identity, slots.PENDING_CONFIRMATION: "personalise:action_return_item"},
    )
    messages, events = run_action(ActionAnswerYesNo(), tracker)
    followups = [e["name"] for e in events if e.get("event") == "followup"]
    return followups, slot_events(events), responses(messages)


def test_a_yes_to_an_offer_on_a_verified_order_runs_the_flow_without_asking_again(shop):
    # answered in place: a follow-up action left the next turn to the policies, which fell
    # back to « reformulez » after the flow's answer
    followups, slots_set, said = answering_yes_to_the_offer_to_check_the_return(SOPHIE)

    assert followups == []
    assert slots_set[slots.TOPIC] == "return_item"
    assert said[0].startswith("utter_return")
    assert slots.PENDING_FLOW not in slots_set


def test_a_yes_to_an_offer_without_a_verified_order_identifies_the_customer_first(shop):
    followups, slots_set, _ = answering_yes_to_the_offer_to_check_the_return({})

    assert followups == ["identification_form"]
    assert slots_set[slots.PENDING_FLOW] == "action_return_item"


def test_c_est_tout_to_the_offer_to_check_the_order_says_goodbye(shop):
    tracker = make_tracker(
        "c'est tout",
        intent="affirm",
        slots={slots.PENDING_CONFIRMATION: "personalise:action_warranty_claim"},
    )

    messages, events = run_action(ActionAnswerYesNo(), tracker)

    assert responses(messages) == ["utter_goodbye"]
    # no order check started: the only thing that follows is the rating question
    assert [e["name"] for e in events if e.get("event") == "followup"] == ["utter_ask_csat"]


@pytest.mark.parametrize(
    ("message", "why"),
    [
        ("pourquoi ?", True),
        ("Pourquoi ça ?", True),
        ("ah bon, pourquoi?", True),
        ("pk", True),
        ("pour quelle raison ?", True),
        ("mais pourquoi donc", True),
        ("pourquoi vous livrez pas en Europe ?", False),  # a question of its own
        ("pourquoi pas", False),
        ("je sais pas pourquoi", False),
        # why of the answer just given, in more words
        ("Pourquoi je ne peux pas ?", True),
        ("pourquoi seulement 24h ?", True),
        ("ben pourquoi? c'était fait automatiquement tantôt", True),
        ("pourquoi ma commande a été annulée ?", False),
    ],
)
def test_a_bare_why_is_recognised(message, why):
    assert cues.asks_why(message) is why


def why_after(*said_before: str, text: str = "pourquoi ?") -> object:
    return make_tracker(
        text,
        intent="out_of_scope",
        slots={slots.TOPIC: "return_item"},
        events=[
            {"event": "user", "text": "une question"},
            *(said(response) for response in said_before),
            {"event": "user", "text": text},
        ],
    )


@pytest.mark.parametrize(
    ("decision", "why"),
    [
        ("utter_faq_return_item_shipping", "utter_why_return_shipping"),
        ("utter_return_shipping_paid_by_shop", "utter_why_return_shipping_paid_by_shop"),
        ("utter_return_line_personalised", "utter_why_personalised"),
        ("utter_cancel_window_expired", "utter_why_cancel_window"),
        ("utter_exchange_not_delivered", "utter_why_not_delivered"),
        ("utter_address_change_too_late", "utter_why_address"),
        ("utter_warranty_excluded_wear", "utter_why_warranty_exclusions"),
    ],
)
def test_why_after_a_rule_gets_the_reason_for_it_not_the_whole_policy(shop, decision, why):
    messages, events = run_action(
        ActionFallback(), why_after(decision, "utter_faq_offer_personalised")
    )

    assert responses(messages) == [why]
    assert slots.PENDING_CONFIRMATION not in slot_events(events)  # the offer stays open


def test_why_is_about_the_last_thing_explained_in_the_answer(shop):
    tracker = why_after("utter_return_line_personalised", "utter_return_shipping_paid_by_customer")

    messages, _ = run_action(ActionReturnItem(), tracker)

    assert responses(messages) == ["utter_why_return_shipping"]


def test_why_about_an_answer_given_two_turns_ago_is_not_explained(shop):
    tracker = make_tracker(
        "pourquoi ?",
        intent="out_of_scope",
        events=[
            said("utter_faq_return_item_shipping"),
            {"event": "user", "text": "d'accord"},
            said("utter_you_are_welcome"),
            {"event": "user", "text": "pourquoi ?"},
        ],
    )

    messages, _ = run_action(ActionFallback(), tracker)

    assert not any(response.startswith("utter_why_") for response in responses(messages))


@pytest.mark.parametrize(
    ("message", "done"),
    [
        ("j'ai vérifié chez les voisins, rien", True),
        ("On a tout fouillé, rien", True),
        ("jai deja regarder partout", True),
        ("toujours rien", True),
        ("les voisins l'ont pas", True),
        ("J'ai appelé UPS, ils disent qu'il est livré", True),
        ("mon colis est marqué livré mais j'ai rien reçu", False),
        ("je vais vérifier chez les voisins", False),
        ("oui", False),
    ],
)
def test_checks_already_done_for_a_missing_parcel_are_recognised(message, done):
    assert cues.reports_checks_done(message) is done


@pytest.mark.parametrize("action", [ActionMissingParcel, ActionTrackingIssue])
def test_checks_done_after_the_case_was_offered_get_the_offer_without_the_advice(shop, action):
    tracker = make_tracker(
        "j'ai vérifié chez les voisins, rien",
        intent="missing_parcel",
        slots={**SOPHIE, slots.PENDING_CONFIRMATION: "action_missing_parcel"},
        events=[
            said("utter_missing_parcel_marked_delivered"),
            said("utter_offer_missing_parcel_case"),
            {"event": "user", "text": "j'ai vérifié chez les voisins, rien"},
        ],
    )

    messages, events = run_action(action(), tracker)

    assert responses(messages) == ["utter_offer_missing_parcel_case_after_checks"]
    assert slot_events(events)[slots.PENDING_CONFIRMATION] == "action_missing_parcel"


def test_checks_done_said_first_get_the_whole_answer(shop):
    tracker = make_tracker(
        "j'ai vérifié chez les voisins, rien, mon colis est introuvable",
        intent="missing_parcel",
        slots=SOPHIE,
    )

    messages, _ = run_action(ActionMissingParcel(), tracker)

    assert responses(messages) == [
        "utter_missing_parcel_marked_delivered",
        "utter_offer_missing_parcel_case",
    ]


def test_a_general_question_naming_the_order_looks_at_that_order(shop):
    text = "Bonjour, c'est quoi le statut de AZ104207 ? sophie.martin@exemple.com"
    entities = [
        {"entity": "order_number", "value": "AZ104207"},
        {"entity": "email", "value": "sophie.martin@exemple.com"},
    ]
    tracker = make_tracker(text, intent="order_status_info", entities=entities)

    messages, events = run_action(ActionGeneralAnswer(), tracker)

    assert "utter_faq_order_status_info" not in responses(messages)
    assert slot_events(events)[slots.PENDING_FLOW] == "action_track_order"
    assert [e["name"] for e in events if e.get("event") == "followup"] == ["identification_form"]


def test_a_general_question_without_an_order_gets_the_general_answer(shop):
    tracker = make_tracker("c'est quoi les statuts de commande ?", intent="order_status_info")

    messages, _ = run_action(ActionGeneralAnswer(), tracker)

    assert responses(messages)[0].startswith("utter_faq_order_status_info")


@pytest.mark.parametrize(
    "message",
    [
        "ben voyons c'est pas normal qu'une pierre tombe de même",
        "c'est inacceptable",
        "n'importe quoi, elle est neuve",
    ],
)
def test_pushing_back_on_a_refused_warranty_is_not_a_new_claim(shop, message):
    # the refusal stands and a person is offered, instead of « bonne nouvelle : couverte »
    # when the protest describes the damage as a defect
    tracker = make_tracker(
        message,
        intent="warranty_claim",
        slots={
            slots.VERIFIED_ORDER: "AZ098765",
            slots.VERIFIED_EMAIL: "sophie.martin@exemple.com",
            slots.LAST_DECISION: "utter_warranty_excluded_improper_use",
        },
    )

    messages, events = run_action(ActionWarrantyClaim(), tracker)

    assert not any(r.startswith("utter_warranty_covered") for r in responses(messages))
    assert slot_events(events)[slots.PENDING_CONFIRMATION] == "action_human_handoff"


def the_return_answer_then(own_shop, message: str):
    """The return flow's answer to `message`, said right after its first answer."""
    first = make_tracker(
        "elle est arrivée cassée, je la retourne", intent="return_item", slots=SOPHIE
    )
    first_messages, _ = run_action(ActionReturnItem(), first)
    tracker = make_tracker(message, intent="return_item", slots=SOPHIE)
    tracker.events = [
        *first.events,
        *(said(response) for response in responses(first_messages)),
        *tracker.events,
    ]
    messages, _ = run_action(ActionReturnItem(), tracker)
    return responses(first_messages), responses(messages)


def test_an_answer_the_same_as_the_last_one_is_not_said_again_word_for_word(own_shop):
    # the customer says it again: the answer would be the same
    first, again = the_return_answer_then(own_shop, "elle est arrivée cassée, je la retourne")

    assert len(first) > 2, first
    assert again == ["utter_same_answer", first[-1]], (first, again)


def test_a_message_naming_a_piece_gets_the_whole_answer(own_shop):
    first, again = the_return_answer_then(own_shop, "les boucles d'oreilles, celles-là")

    assert "utter_same_answer" not in again


@pytest.mark.parametrize("action", [ActionMissingParcel, ActionTrackingIssue])
def test_a_missing_e_gift_card_is_no_missing_parcel(shop, action):
    tracker = make_tracker(
        "je n'ai jamais reçu ma carte-cadeau électronique",
        intent="missing_parcel",
        slots=SOPHIE,
    )

    messages, events = run_action(action(), tracker)

    assert responses(messages) == ["utter_e_gift_card_by_email"]
    assert slot_events(events)[slots.PENDING_CONFIRMATION] == "action_human_handoff"


def test_a_missing_parcel_of_an_order_without_a_gift_card_is_a_missing_parcel(shop):
    julien = {slots.VERIFIED_ORDER: "AZ104205", slots.VERIFIED_EMAIL: "jdupont@exemple.fr"}
    tracker = make_tracker(
        "j'ai pas reçu mon colis, ni la carte-cadeau promise", intent="missing_parcel", slots=julien
    )

    messages, _ = run_action(ActionMissingParcel(), tracker)

    assert "utter_e_gift_card_by_email" not in responses(messages)


def test_what_to_do_while_a_request_waits_for_a_yes_is_to_answer_it(shop):
    tracker = make_tracker(
        "Qu'est-ce que je dois faire ?",
        intent="out_of_scope",
        slots={**SOPHIE, slots.PENDING_CONFIRMATION: "action_wrong_item"},
    )

    messages, events = run_action(ActionFallback(), tracker)

    assert responses(messages) == ["utter_what_now_pending"]
    assert slot_events(events)[slots.PENDING_CONFIRMATION] == "action_wrong_item"


def test_what_to_do_with_an_offer_to_look_at_the_order_is_not_that_answer(shop):
    tracker = make_tracker(
        "Qu'est-ce que je dois faire ?",
        intent="out_of_scope",
        slots={slots.PENDING_CONFIRMATION: "personalise:action_return_item"},
    )

    messages, _ = run_action(ActionFallback(), tracker)

    assert "utter_what_now_pending" not in responses(messages)


def test_a_missing_e_gift_card_is_recognised_once_the_customer_is_identified(shop):
    asked = make_tracker(
        "je n'ai jamais reçu ma carte-cadeau électronique", intent="missing_parcel"
    )
    tracker = make_tracker("sophie.martin@exemple.com", intent="inform", slots=SOPHIE)
    tracker.events = [*asked.events, *tracker.events]

    messages, _ = run_action(ActionMissingParcel(), tracker)

    assert responses(messages) == ["utter_e_gift_card_by_email"]


def test_checks_done_not_placed_by_the_classifier_get_the_verified_orders_answer(shop):
    tracker = make_tracker(
        "j'ai regardé partout, rien",
        intent="out_of_scope",
        slots={**SOPHIE, slots.TOPIC: "missing_parcel"},
        events=[
            said("utter_offer_missing_parcel_case"),
            {"event": "user", "text": "j'ai regardé partout, rien"},
        ],
    )

    messages, _ = run_action(ActionFallback(), tracker)

    assert "utter_faq_missing_parcel_done_checks" not in responses(messages)
    assert responses(messages)[-1] == "utter_offer_missing_parcel_case_after_checks"


MARIE_SHIPPED = {
    slots.VERIFIED_ORDER: "AZ104203",
    slots.VERIFIED_EMAIL: "marie.tremblay@exemple.ca",
    slots.TOPIC: "track_order",
}
ON_ITS_WAY = {"utter_missing_parcel_in_transit", "utter_missing_parcel_late"}


@pytest.mark.parametrize(
    ("action", "intent"), [(ActionTrackOrder, "track_order"), (ActionFallback, "out_of_scope")]
)
def test_is_it_normal_about_a_verified_parcel_is_answered_from_its_dates(shop, action, intent):
    tracker = make_tracker(
        "ça fait 3 jours que c'est au centre de distribution, c'est normal ?",
        intent=intent,
        slots=MARIE_SHIPPED,
    )

    messages, _ = run_action(action(), tracker)

    assert ON_ITS_WAY & set(responses(messages))
    assert "utter_faq_track_order" not in responses(messages)


@pytest.mark.parametrize(
    ("message", "normal"),
    [
        ("ça fait 3 jours que c'est au centre de distribution, c'est normal ?", True),
        ("est-ce normal que ça bouge pas ?", True),
        ("c'est tu normal ça", True),
        ("mon colis est bloqué à Laval", True),
        ("où est ma commande ?", False),
        ("la bague est normale", False),
    ],
)
def test_asking_whether_the_progress_is_normal_is_recognised(message, normal):
    assert cues.asks_if_normal(message) is normal


def test_is_it_normal_right_after_the_state_does_not_say_the_state_again(shop):
    tracker = make_tracker(
        "c'est normal que ça bouge pas ?",
        intent="track_order",
        slots=MARIE_SHIPPED,
        events=[
            said("utter_order_shipped"),
            {"event": "user", "text": "c'est normal que ça bouge pas ?"},
        ],
    )

    messages, _ = run_action(ActionTrackOrder(), tracker)

    assert "utter_order_shipped" not in responses(messages)
    assert ON_ITS_WAY & set(responses(messages))


@pytest.mark.parametrize(
    ("message", "same"),
    [
        ("et pour les États-Unis ?", True),
        ("et en Ontario, c'est pareil ?", True),
        ("même chose au Québec ?", True),
        # no place named: the aspect or the rule, as before
        ("et qui paie le retour ?", False),
        # a place and another question: never « oui, la même règle »
        ("Et le renvoi depuis la Belgique, c'est à mes frais ?", False),
        ("ma fille aux États-Unis peut l'utiliser ?", False),
    ],
)
def test_a_rule_asked_again_for_another_place_is_said_to_be_the_same(shop, message, same):
    tracker = make_tracker(
        message,
        intent="out_of_scope",
        slots={slots.TOPIC: "return_item"},
        events=[said("utter_faq_return_item"), {"event": "user", "text": message}],
    )

    messages, _ = run_action(ActionFallback(), tracker)

    assert (responses(messages) == ["utter_same_rule_everywhere"]) is same


@pytest.mark.parametrize(
    ("customer_turns_since_the_rule", "same"),
    [
        (1, True),  # « pourquoi ? » in between
        (2, True),
        (3, False),  # long ago: the rule in full again
    ],
)
def test_a_rule_asked_for_another_place_after_its_why_is_still_the_same(
    shop, customer_turns_since_the_rule, same
):
    message = "et pour les États-Unis ?"
    in_between = []
    for _ in range(customer_turns_since_the_rule):
        in_between += [{"event": "user", "text": "pourquoi ?"}, said("utter_why_return_shipping")]
    tracker = make_tracker(
        message,
        intent="out_of_scope",
        slots={slots.TOPIC: "return_item"},
        events=[
            said("utter_faq_return_item"),
            *in_between,
            {"event": "user", "text": message},
        ],
    )

    messages, _ = run_action(ActionFallback(), tracker)

    assert (responses(messages) == ["utter_same_rule_everywhere"]) is same


def test_is_it_normal_right_after_a_processing_state_gets_an_answer(shop):
    julien = {slots.VERIFIED_ORDER: "AZ104202", slots.VERIFIED_EMAIL: "jdupont@exemple.fr",
              slots.TOPIC: "track_order"}  # fmt: skip
    text = "c'est normal que ça prenne plus d'une journée ?"
    tracker = make_tracker(
        text,
        intent="track_order",
        slots=julien,
        events=[said("utter_order_processing"), {"event": "user", "text": text}],
    )

    messages, _ = run_action(ActionTrackOrder(), tracker)

    assert responses(messages) == ["utter_missing_parcel_not_shipped_yet"]


def test_a_place_asked_after_an_aspect_of_the_rule_and_its_why_is_the_same_rule(shop):
    message = "et pour les États-Unis ?"
    tracker = make_tracker(
        message,
        intent="out_of_scope",
        slots={slots.TOPIC: "return_item"},
        events=[
            said("utter_faq_return_item_window"),
            {"event": "user", "text": "et qui paie ?"},
            said("utter_faq_return_item_shipping"),
            {"event": "user", "text": "pourquoi ?"},
            said("utter_why_return_shipping"),
            {"event": "user", "text": message},
        ],
    )

    messages, _ = run_action(ActionFallback(), tracker)

    assert responses(messages) == ["utter_same_rule_everywhere"]


@pytest.mark.parametrize(
    ("action", "intent", "message"),
    [
        (ActionFallback, "nlu_fallback", "ça finit quand?"),
        (ActionPromotions, "promotions", "la promo dure jusqu'à quand?"),
    ],
)
def test_a_follow_up_on_an_offer_lists_the_offers_on_now_with_their_end(
    shop, action, intent, message
):
    tracker = make_tracker(message, intent=intent, slots={slots.TOPIC: "promotions"})

    messages, _ = run_action(action(), tracker)

    on_now = shop.active_promotions()
    assert on_now, "the demo data has offers on now"
    assert responses(messages) == ["utter_faq_promotions_on_now"]
    for promotion in on_now:
        assert promotion.title in messages[0]["promotions"]
        assert day(promotion.ends_at) in messages[0]["promotions"]


@pytest.mark.parametrize(
    ("message", "taxes"),
    [
        ("combien de taxes sur une bague à 249 $ en Ontario ?",
         ("249,00 $", "32,37 $", "281,37 $")),
        ("les taxes au Québec sur un collier de 100$ ?", ("100,00 $", "14,98 $", "114,98 $")),
    ],
)  # fmt: skip
def test_a_price_named_with_a_region_gets_its_taxes(shop, message, taxes):
    tracker = make_tracker(message, intent="tax_info")

    messages, _ = run_action(ActionTaxInfo(), tracker)

    [on_price] = [m for m in messages if m["response"] == "utter_faq_tax_info_on_price"]
    assert (on_price["price"], on_price["taxes"], on_price["total"]) == tuple(
        amount.replace(" ", "\u00a0") for amount in taxes
    )


@pytest.mark.parametrize(
    ("action", "intent", "message", "response"),
    [
        (ActionFallback, "nlu_fallback", "elles sont valides combien de temps?",
         "utter_faq_gift_cards_validity"),
        (ActionReturnItem, "return_item",
         "et si la personne en veut pas, je peux me faire rembourser?",
         "utter_faq_gift_cards_refund"),
        (ActionMissingParcel, "missing_parcel", "et si elle a jamais reçu le code?",
         "utter_faq_gift_cards_missing"),
    ],
)  # fmt: skip
def test_a_follow_up_on_gift_cards_stays_about_gift_cards(shop, action, intent, message, response):
    tracker = make_tracker(message, intent=intent, slots={slots.TOPIC: "gift_cards"})

    messages, _ = run_action(action(), tracker)

    assert responses(messages)[0] == response


@pytest.mark.parametrize(
    "message",
    [
        "peut-on échanger une carte-cadeau électronique contre un bijou ?",
        "c'tu vrai que vous faites des échanges sur les cartes cadeaux?",
    ],
)
def test_a_gift_card_exchange_is_answered_for_gift_cards_not_engraved_pieces(shop, message):
    tracker = make_tracker(message, intent="exchange_item")

    messages, _ = run_action(ActionExchangeItem(), tracker)

    assert responses(messages)[0] == "utter_faq_gift_cards_exchange"


def test_a_gift_card_never_received_is_no_parcel_to_look_for(shop):
    message = "j'ai acheté une carte cadeau hier pis mon chum a jamais reçu le courriel"
    tracker = make_tracker(message, intent="missing_parcel")

    messages, events = run_action(ActionMissingParcel(), tracker)

    assert responses(messages) == ["utter_e_gift_card_by_email"]
    assert slot_events(events)[slots.PENDING_CONFIRMATION] == "action_human_handoff"


@pytest.mark.parametrize(
    ("message", "no_order"),
    [
        ("Bonjour, je n'ai pas encore de commande. J'ai juste quelques questions.", True),
        ("je n'ai pas de commande, je me renseigne avant d'acheter une bague", True),
        ("j'ai pas encore commandé, c'est juste pour savoir", True),
        ("j'ai pas commandé ça", False),  # a wrong item
        ("je n'ai pas reçu ma commande", False),
        ("ce n'est pas ce que j'ai commandé", False),
        ("je n'ai pas de numéro de commande", False),
    ],
)
def test_having_no_order_yet_is_recognised(message, no_order):
    assert cues.has_no_order_yet(message) is no_order


def test_a_prospect_is_invited_to_ask_without_an_order(shop):
    message = "Bonjour, je n'ai pas encore de commande. J'ai juste quelques questions."

    messages, _ = run_action(ActionFallback(), make_tracker(message, intent="nlu_fallback"))

    assert responses(messages) == ["utter_no_order_needed"]


def test_no_order_said_while_the_number_is_asked_gets_the_question_answered_generally(shop):
    tracker = make_tracker(
        "j'ai pas encore commandé, c'est juste pour savoir",
        intent="nlu_fallback",
        slots={slots.PENDING_FLOW: "action_track_order"},
    )
    tracker.active_loop = {"name": "identification_form"}

    messages, events = run_action(ActionFallback(), tracker)

    assert responses(messages) == ["utter_faq_track_order"]  # no offer to check an order
    assert {"event": "active_loop", "timestamp": None, "name": None} in events


def test_after_saying_there_is_no_order_the_order_check_is_not_offered(shop):
    events = [
        {"event": "user", "text": "je me renseigne avant d'acheter"},
        {"event": "bot", "text": "…", "metadata": {"utter_action": "utter_no_order_needed"}},
        {"event": "user", "text": "c'est quoi le délai de retour ?"},
    ]
    tracker = make_tracker("c'est quoi le délai de retour ?", intent="return_item", events=events)

    messages, _ = run_action(ActionGeneralAnswer(), tracker)

    assert "utter_faq_offer_personalised" not in responses(messages)


def test_asking_about_a_warranty_claim_already_open_names_it_instead_of_a_new_claim(own_shop):
    sophie = {slots.VERIFIED_ORDER: "AZ098765", slots.VERIFIED_EMAIL: "sophie.martin@exemple.com"}
    opened = own_shop.open_warranty_claim(
        "AZ098765", "sophie.martin@exemple.com", cause=WarrantyCause.DEFECT
    )
    message = "j'ai déposé une réclamation de garantie, où en est-elle ?"
    tracker = make_tracker(message, intent="warranty_claim", slots=sophie)

    messages, events = run_action(ActionWarrantyClaim(), tracker)

    assert responses(messages) == ["utter_warranty_claim_already_open"]
    assert messages[0]["reference"] == opened.request.reference
    assert not any(e.get("event") == "active_loop" and e.get("name") for e in events)


def test_a_second_order_named_in_the_message_is_said_seen_after_the_first_is_answered(shop):
    marie = {slots.VERIFIED_ORDER: "AZ104203", slots.VERIFIED_EMAIL: "marie.tremblay@exemple.ca"}
    text = "où en sont mes commandes AZ104203 et AZ104201 ?"
    numbers = [
        {"entity": e.entity, "value": e.value, **({"role": e.role} if e.role else {})}
        for e in extract_entities(text)
    ]
    tracker = make_tracker(text, intent="track_order", slots=marie, entities=numbers)

    messages, _ = run_action(ActionTrackOrder(), tracker)

    [other] = [m for m in messages if m.get("response") == "utter_other_order_mentioned"]
    assert other["order_number"] == "AZ104201"


def test_a_region_asked_after_a_price_gets_the_taxes_on_that_price(shop):
    events = [
        {"event": "user", "text": "combien de taxes sur une bague à 250 $ au Québec ?"},
        {"event": "bot", "text": "…", "metadata": {"utter_action": "utter_faq_tax_info_on_price"}},
        {"event": "user", "text": "et en Ontario ?"},
    ]
    tracker = make_tracker("et en Ontario ?", intent="tax_info", events=events,
                           slots={slots.TOPIC: "tax_info"})  # fmt: skip

    messages, _ = run_action(ActionTaxInfo(), tracker)

    [on_price] = [m for m in messages if m["response"] == "utter_faq_tax_info_on_price"]
    assert on_price["taxes"] == "32,50\u00a0$"


def test_an_order_found_cancelled_makes_the_cancellation_the_topic(shop):
    sophie = {slots.VERIFIED_ORDER: "AZ104207", slots.VERIFIED_EMAIL: "sophie.martin@exemple.com"}
    tracker = make_tracker("mon colis est jamais arrivé", intent="missing_parcel", slots=sophie)

    messages, events = run_action(ActionMissingParcel(), tracker)

    assert "utter_order_cancelled" in responses(messages)
    assert slot_events(events)[slots.TOPIC] == "cancel_order"


@pytest.mark.parametrize(
    ("message", "response", "listed", "left_out"),
    [
        # the flash sale names bracelets; the welcome code names no piece, so covers any
        ("ça s'applique sur les bagues aussi?", "utter_promotions_cover_it",
         "première commande", "bracelets"),
        ("pis sur les bracelets?", "utter_promotions_cover_it", "bracelets", None),
        ("il faut un minimum d'achat?", "utter_promotions_no_minimum", "bracelets", None),
    ],
)  # fmt: skip
def test_a_follow_up_on_an_offer_answers_its_scope_or_minimum(
    shop, message, response, listed, left_out
):
    tracker = make_tracker(message, intent="nlu_fallback", slots={slots.TOPIC: "promotions"})

    messages, _ = run_action(ActionFallback(), tracker)

    assert responses(messages) == [response]
    assert listed in messages[0]["promotions"]
    assert left_out is None or left_out not in messages[0]["promotions"]


@pytest.mark.parametrize(
    ("action", "intent"),
    [(ActionFallback, "nlu_fallback"), (ActionMissingParcel, "missing_parcel")],
)
def test_a_gift_card_still_missing_after_the_checks_offers_a_person(shop, action, intent):
    tracker = make_tracker("j'ai regardé dans mes spams, rien", intent=intent,
                           slots={slots.TOPIC: "gift_cards"})  # fmt: skip

    messages, events = run_action(action(), tracker)

    assert responses(messages) == ["utter_gift_card_still_missing"]
    assert slot_events(events)[slots.PENDING_CONFIRMATION] == "action_human_handoff"


def test_a_prospects_question_in_the_same_message_is_answered(shop):
    message = "Bonjour, je n'ai pas de commande, je me renseigne : vos bagues sont garanties ?"

    messages, _ = run_action(ActionFallback(), make_tracker(message, intent="nlu_fallback"))

    assert responses(messages) == ["utter_faq_warranty_claim"]


def test_a_gift_card_question_under_another_topic_is_about_gift_cards(shop):
    tracker = make_tracker("la carte-cadeau de 50$, elle expire quand?", intent="warranty_claim",
                           slots={slots.TOPIC: "warranty_claim"})  # fmt: skip

    messages, events = run_action(ActionWarrantyClaim(), tracker)

    assert responses(messages)[0] == "utter_faq_gift_cards_validity"
    assert slot_events(events)[slots.TOPIC] == "gift_cards"


@pytest.mark.parametrize(
    ("follow_up", "taxes"),
    [("pis si c'était livré à Toronto?", "39,00"), ("et à Vancouver ?", "36,00")],
)
def test_a_city_asked_after_a_price_gets_its_provinces_taxes(shop, follow_up, taxes):
    events = [
        {"event": "user", "text": "combien de taxes sur une bague de 300 $ au Québec ?"},
        {"event": "bot", "text": "…", "metadata": {"utter_action": "utter_faq_tax_info_on_price"}},
        {"event": "user", "text": follow_up},
    ]
    tracker = make_tracker(follow_up, intent="missing_parcel", events=events,
                           slots={slots.TOPIC: "tax_info"})  # fmt: skip

    messages, _ = run_action(ActionMissingParcel(), tracker)

    [on_price] = [m for m in messages if m.get("response") == "utter_faq_tax_info_on_price"]
    assert on_price["taxes"] == f"{taxes}\u00a0$"


def test_a_return_asked_before_delivery_says_where_the_parcel_is(shop):
    marie = {slots.VERIFIED_ORDER: "AZ104203", slots.VERIFIED_EMAIL: "marie.tremblay@exemple.ca"}
    text = "j'ai toujours rien reçu, je veux être remboursée !"
    tracker = make_tracker(text, intent="return_item", slots=marie)

    messages, _ = run_action(ActionReturnItem(), tracker)

    said = responses(messages)
    assert said[0] == "utter_return_not_delivered"
    assert "utter_order_shipped" in said


@pytest.mark.parametrize(
    ("opened", "next_steps"),
    [
        ("utter_missing_parcel_case_opened", "utter_next_missing_parcel"),
        ("utter_warranty_claim_opened", "utter_next_warranty_claim"),
        ("utter_return_created", "utter_next_return"),
        ("utter_handoff_after_hours_by_email", "utter_next_handoff_by_email"),
        ("utter_handoff_write_to_support", "utter_next_handoff_write_to_support"),
    ],
)
@pytest.mark.parametrize(
    "question",
    [
        "il va se passer quoi maintenant?",
        "c'est quoi la suite ?",
        "ok et il va me contacter comment ?",
        "je dois faire quelque chose de mon côté?",
    ],
)
def test_what_happens_next_right_after_a_request_is_opened(shop, opened, next_steps, question):
    events = [
        {"event": "user", "text": "oui"},
        {"event": "bot", "text": "…", "metadata": {"utter_action": opened}},
        {"event": "user", "text": question},
    ]
    tracker = make_tracker(question, intent="out_of_scope", events=events)

    messages, _ = run_action(ActionFallback(), tracker)

    assert responses(messages) == [next_steps]


@pytest.mark.parametrize(
    ("action", "intent"), [(ActionReturnItem, "return_item"), (ActionGeneralAnswer, "return_item")]
)
def test_a_person_asked_for_in_so_many_words_is_handed_the_conversation(shop, action, intent):
    tracker = make_tracker("Je veux un conseiller pour renvoyer la carte-cadeau", intent=intent)

    messages, events = run_action(action(), tracker)

    assert messages == []
    assert {"event": "followup", "timestamp": None, "name": "action_human_handoff"} in events


@pytest.mark.parametrize(
    "message", ["ok pis ça va arriver quand ça?", "la date exacte, c'est quoi?",
                "Super, elle devrait arriver quand environ ?"]
)  # fmt: skip
def test_when_a_verified_parcel_arrives_is_asked_of_its_tracking(message):
    assert cues.asks_when_it_arrives(message)


def test_the_other_order_is_said_before_the_question_the_answer_ends_with(own_shop):
    marie = {slots.VERIFIED_ORDER: "AZ104201", slots.VERIFIED_EMAIL: "marie.tremblay@exemple.ca"}
    text = "je voudrais suivre AZ104203 et aussi savoir si je peux annuler AZ104201"
    numbers = [
        {"entity": e.entity, "value": e.value, **({"role": e.role} if e.role else {})}
        for e in extract_entities(text)
    ]
    tracker = make_tracker(text, intent="cancel_order", slots=marie, entities=numbers)

    messages, _ = run_action(ActionCancelOrder(), tracker)

    said = responses(messages)
    assert said[-1] == "utter_confirm_cancel_lines"
    assert said[-2] == "utter_other_order_mentioned"


def test_a_prospects_question_gets_the_aspect_it_asks(shop):
    message = "je me renseigne avant d'acheter, vos bijoux sont garantis combien de temps ?"

    messages, _ = run_action(ActionFallback(), make_tracker(message, intent="nlu_fallback"))

    assert responses(messages) == ["utter_faq_warranty_claim_duration"]


@pytest.mark.parametrize(
    ("last", "verdict"),
    [
        ("utter_faq_warranty_claim", "utter_faq_warranty_claim_not_covered_loss"),
        ("utter_faq_warranty_claim_duration", "utter_faq_warranty_claim_not_covered_loss"),
        ("utter_faq_return_item", None),  # another topic's rule: no warranty verdict
    ],
)
def test_supposing_a_cause_after_the_warranty_rule_gets_its_verdict(shop, last, verdict):
    answered = {slots.TOPIC: "warranty_claim", slots.LAST_DECISION: last}
    cause = [{"entity": "warranty_cause", "value": "loss"}]
    tracker = make_tracker("et si je la perds ?", intent="warranty_claim", slots=answered,
                           entities=cause)  # fmt: skip

    messages, _ = run_action(ActionGeneralAnswer(), tracker)

    assert (
        (responses(messages)[0] == verdict)
        if verdict
        else ("utter_faq_warranty_claim_not_covered_loss" not in responses(messages))
    )


def test_asking_whether_someone_is_available_gets_the_hours_and_an_offer_not_a_request(shop):
    tracker = make_tracker(
        "Bonjour, est-ce que quelqu'un du service client est disponible maintenant ?",
        intent="human_handoff",
    )

    messages, events = run_action(ActionHumanHandoff(), tracker)

    said = responses(messages)
    assert said[0].startswith("utter_opening_hours")
    assert said[-1] == "utter_offer_a_person"
    assert slot_events(events)[slots.PENDING_CONFIRMATION] == "action_human_handoff"


def test_a_cancelled_order_to_reactivate_gets_a_person_offered_not_the_24_hour_rule(shop):
    tracker = make_tracker(
        "ma commande AZ104207 a été annulée, je peux la réactiver?",
        intent="cancel_order",
        slots={slots.VERIFIED_ORDER: "AZ104207", slots.VERIFIED_EMAIL: "sophie.martin@exemple.com"},
    )

    messages, events = run_action(ActionCancelOrder(), tracker)

    assert responses(messages) == ["utter_reactivate_cancelled_order"]
    assert slot_events(events)[slots.PENDING_CONFIRMATION] == "action_human_handoff"


@pytest.mark.parametrize(
    ("action", "intent", "message"),
    [
        (ActionFallback, "out_of_scope", "I want to speak to a human please"),
        (ActionFallback, "out_of_scope", "English please"),
        (ActionGreet, "greet", "hello I want to return my order please"),
    ],
)
def test_a_message_in_english_is_told_the_assistant_answers_in_french(
    shop, action, intent, message
):
    messages, events = run_action(action(), make_tracker(message, intent=intent))

    assert responses(messages) == ["utter_french_only"]
    assert slot_events(events)[slots.PENDING_CONFIRMATION] == "action_human_handoff"


@pytest.mark.parametrize(
    ("question", "reason", "payer"),
    [
        # the served NLU's reading (its classifier: the cue tables alone read « défectueuse »)
        ("j'ai jamais dit qu'elle était défectueuse, j'ai juste changé d'idée. qui paie le "
         "retour alors?", ("reason", "changed_mind"), "utter_return_shipping_paid_by_customer"),
        ("donc si j'ai changé d'avis, c'est à mes frais ?", ("supposed_reason", "changed_mind"),
         "utter_return_shipping_paid_by_customer"),
        ("et si elle est arrivée cassée, qui paie le retour ?",
         ("supposed_reason", "damaged_on_arrival"), "utter_return_shipping_paid_by_shop"),
    ],
)  # fmt: skip
def test_the_reason_a_who_pays_question_gives_decides_over_what_was_said_before(
    shop, question, reason, payer
):
    other = {
        "utter_return_shipping_paid_by_shop": "utter_return_shipping_paid_by_customer",
        "utter_return_shipping_paid_by_customer": "utter_return_shipping_paid_by_shop",
    }
    entity, value = reason
    tracker = make_tracker(
        question,
        intent="return_item",
        slots={**SOPHIE, slots.TOPIC: "return_item"},
        entities=[{"entity": entity, "value": value}],
        events=[verified("AZ104204"), said("utter_return_eligible"), said(other[payer]),
                {"event": "user", "text": question}],
    )  # fmt: skip

    messages, _ = run_action(ActionReturnItem(), tracker)

    assert responses(messages) == [payer]


def test_asking_whether_someone_is_online_now_is_no_question_on_the_promotions(shop):
    tracker = make_tracker(
        "Est-ce qu'il y a quelqu'un de chez vous en ligne en ce moment?", intent="promotions"
    )

    messages, events = run_action(ActionPromotions(), tracker)

    said = responses(messages)
    assert said[0].startswith("utter_opening_hours")
    assert said[-1] == "utter_offer_a_person"
    assert slot_events(events)[slots.PENDING_CONFIRMATION] == "action_human_handoff"


def test_a_question_taking_back_an_ok_to_the_offer_is_answered_not_declined(shop):
    text = "ok mais c'est pas de l'usure normale ça? je la porte tous les jours"
    tracker = make_tracker(
        text,
        intent="affirm",
        slots={
            slots.PENDING_CONFIRMATION: "personalise:action_warranty_claim",
            slots.TOPIC: "warranty_claim",
        },
        events=[said("utter_faq_warranty_claim"), {"event": "user", "text": text}],
    )

    messages, _ = run_action(ActionAnswerYesNo(), tracker)

    said_now = responses(messages)
    assert "utter_offer_declined" not in said_now
    assert any(response.startswith("utter_faq_warranty_claim") for response in said_now)


def test_money_wished_instead_of_an_exchange_before_delivery_is_said_possible_later(shop):
    marie = {slots.VERIFIED_ORDER: "AZ104203", slots.VERIFIED_EMAIL: "marie.tremblay@exemple.ca"}
    tracker = make_tracker(
        "je pourrais avoir mon argent plutôt qu'une autre bague ?",
        intent="exchange_item",
        slots=marie,
        entities=[{"entity": "preference", "value": "refund"}],
    )

    messages, _ = run_action(ActionExchangeItem(), tracker)

    said = responses(messages)
    assert "utter_exchange_refund_after_delivery" in said
    assert "utter_exchange_refund_not_possible" not in said


def test_a_question_read_as_a_yes_to_the_offer_of_a_person_is_answered_not_agreed(shop):
    tracker = make_tracker(
        "ok, et pour une cliente de Seattle c'est en USD?",
        intent="affirm",
        slots={slots.PENDING_CONFIRMATION: "action_human_handoff", slots.TOPIC: "opening_hours"},
    )

    messages, _ = run_action(ActionAnswerYesNo(), tracker)

    assert responses(messages) == ["utter_practice_currency"]


@pytest.mark.parametrize(
    "message",
    [
        "Je préférerais le retourner et être remboursée. Le port du retour, c'est pour moi ?",
        "Non, pas la garantie : un RETOUR. Il est défectueux, qui paie l'envoi ?",
    ],
)
def test_a_return_wished_after_the_warranty_s_answer_is_no_follow_up_on_the_warranty(shop, message):
    tracker = make_tracker(message, intent="return_item", slots={slots.TOPIC: "warranty_claim"})

    result = faq.follow_up_on_topic(CollectingDispatcher(), tracker, shop, "return_item")

    assert result is None


@pytest.mark.parametrize(
    ("message", "intent", "topic"),
    [
        ("ah zut. et un retour alors? il est pas porté, encore dans sa boite", "return_item",
         "exchange_item"),
        ("sinon, un échange c'est possible ?", "exchange_item", "return_item"),
    ],
)  # fmt: skip
def test_the_other_request_named_after_an_answer_is_no_follow_up_on_it(
    shop, message, intent, topic
):
    tracker = make_tracker(message, intent=intent, slots={slots.TOPIC: topic})

    assert faq.follow_up_on_topic(CollectingDispatcher(), tracker, shop, intent) is None


@pytest.mark.parametrize(
    "message", ["Non, pardon, je voulais dire en Alberta.", "Non, c'est livré en Alberta."]
)
def test_a_no_that_corrects_the_place_just_answered_gets_the_corrected_answer(shop, message):
    tracker = make_tracker(
        message,
        intent="deny",
        slots={slots.TOPIC: "tax_info"},
        events=[said("utter_faq_tax_info_region_single"), {"event": "user", "text": message}],
    )

    messages, _ = run_action(ActionAnswerYesNo(), tracker)

    said_now = responses(messages)
    assert "utter_goodbye" not in said_now
    assert said_now[0].startswith("utter_faq_tax_info_region")
    assert "Alberta" in messages[0]["region"]


def test_an_exchange_asked_after_an_engraving_change_gets_the_engraved_pieces_rule(shop):
    text = "Et si c'est trop tard et que le collier arrive avec « Jullie », je pourrai l'échanger?"
    tracker = make_tracker(
        text,
        intent="exchange_item",
        slots={slots.TOPIC: "cancel_order"},
        events=[said("utter_personalisation_change"), {"event": "user", "text": text}],
    )

    messages, _ = run_action(ActionExchangeItem(), tracker)

    assert responses(messages)[0] == "utter_faq_exchange_item_personalised"


@pytest.mark.parametrize(
    ("message", "intent"),
    [
        ("Si Postes Canada perd mon colis, vous me remboursez ou vous me renvoyez?", "return_item"),
        ("Et si je ne le reçois jamais, vous me remboursez en argent ?", "return_item"),
    ],
)
def test_what_a_lost_parcel_gets_is_no_return_s_refund(shop, message, intent):
    messages, _ = run_action(ActionReturnItem(), make_tracker(message, intent=intent))

    assert responses(messages)[0] == "utter_faq_missing_parcel_resolution"


def test_asking_how_long_a_person_takes_to_answer_opens_no_request(shop):
    tracker = make_tracker(
        "combien de temps ça prend pour qu'un conseiller me réponde ?", intent="human_handoff"
    )

    messages, events = run_action(ActionHumanHandoff(), tracker)

    assert responses(messages) == ["utter_response_time", "utter_offer_a_person"]
    assert slot_events(events)[slots.PENDING_CONFIRMATION] == "action_human_handoff"


@pytest.mark.parametrize("text", ["Non", "Non, il n'y a pas de défaut."])
def test_a_typed_no_to_the_engraved_piece_s_defect_question_gets_the_refusal(shop, text):
    marie = {slots.VERIFIED_ORDER: "AZ104201", slots.VERIFIED_EMAIL: "marie.tremblay@exemple.ca"}
    events = [
        {"event": "user", "text": "je veux échanger le collier",
         "parse_data": {"text": "je veux échanger le collier",
                        "intent": {"name": "exchange_item"}}},
        said("utter_exchange_personalised_ask_defect"),
        {"event": "user", "text": text, "parse_data": {"text": text, "intent": {"name": "deny"}}},
    ]  # fmt: skip
    tracker = make_tracker(
        text, intent="deny", slots={**marie, slots.TOPIC: "exchange_item"}, events=events
    )

    messages, _ = run_action(ActionAnswerYesNo(), tracker)

    said_now = responses(messages)
    assert "utter_goodbye" not in said_now
    assert "utter_exchange_no_exchangeable_line" in said_now, said_now
