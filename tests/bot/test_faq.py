"""The FAQ router: which questions are general, which aspect they ask about, and that every
answer it can give exists in the domain with the policy numbers it quotes."""

from __future__ import annotations

import re
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal

import pytest
from action_helpers import make_tracker, responses, run_action, slot_events
from actions import cues, faq, slots
from actions.conversation import ActionAnswerYesNo, ActionFallback
from actions.general import ActionGeneralAnswer
from actions.shop import shop_clock, shop_service
from actions.shop_info import ActionPromotions, ActionTaxInfo
from support import read_yaml

from backend.domain import PromotionFacts, PromotionKind
from backend.formatting import policy_values
from backend.policies import load_policy
from tools.model import BOT_DIR

RESPONSES = read_yaml(BOT_DIR / "domain.yml")["responses"]


def test_every_topic_and_aspect_has_an_answer_in_the_domain():
    for topic, aspects in faq.ASPECTS.items():
        names = [
            faq.general_response(topic, None),
            *(faq.general_response(topic, a.name) for a in aspects),
        ]
        assert [name for name in names if name not in RESPONSES] == [], topic


def test_every_placeholder_of_an_faq_answer_is_filled_from_the_policy():
    values = policy_values(load_policy())
    extra = {
        "region",
        "components",
        "total",
        "example",
        "component",
        "rate",
        "price",
        "taxes",
        "age",
    }
    extra |= {"promotions"}  # the offers on now, listed by the action
    for name, variants in RESPONSES.items():
        if name.startswith("utter_faq_"):
            for placeholder in re.findall(r"\{(\w+)\}", variants[0]["text"]):
                assert placeholder in values or placeholder in extra, (name, placeholder)


def test_the_policy_numbers_come_from_the_policy_file():
    policy = load_policy()
    longer = type(policy)(
        **{**policy.__dict__, "return_days": 45, "cancellation_window": timedelta(hours=48)}
    )

    values = policy_values(longer)

    assert values["return_days"] == 45
    assert values["cancel_hours"] == 48


@pytest.mark.parametrize(
    ("message", "topic", "general"),
    [
        ("Quel est le délai pour renvoyer un bijou ?", "return_item", True),
        ("vous remboursez les frais de port ?", "return_item", True),
        ("Est-il possible d'annuler une commande passée hier ?", "cancel_order", True),
        ("jusqu a quand on peut echanger", "exchange_item", True),
        ("mon bracelet a un fermoir brisé, qu'est-ce que je fais ?", "warranty_claim", True),
        ("le suivi indique rien depuis lundi", "tracking_issue", True),
        ("en fait je veux juste savoir comment le suivre moi-même", "track_order", True),
        ("je voudrais savoir comment retourner un bijou", "return_item", True),
        ("je veux retourner le collier que j'ai reçu", "return_item", False),
        ("je voudrais annuler ma commande svp", "cancel_order", False),
        ("où en est ma commande ?", "track_order", False),
        ("annulation", "cancel_order", False),
    ],
)
def test_a_question_about_the_rules_is_general_and_a_request_is_personal(message, topic, general):
    assert faq.is_general_question(message, topic) is general


@pytest.mark.parametrize(
    ("topic", "message", "aspect"),
    [
        ("return_item", "et c'est qui qui paye l'envoi ?", "shipping"),
        ("return_item", "et pendant noël c'est pareil ?", "holiday"),
        ("return_item", "les bagues gravées aussi ?", "non_returnable"),
        ("return_item", "je serai remboursée comment ?", "refund"),
        ("exchange_item", "et si l'autre modèle coûte plus cher ?", "price"),
        ("warranty_claim", "ça couvre si je l'ai perdue ?", "exclusions"),
        ("warranty_claim", "et si je la fais réparer ailleurs ?", "third_party"),
        ("warranty_claim", "mon bijoutier peut l'agrandir sans perte de garantie ?", "third_party"),
        ("warranty_claim", "c'est couvert si c'est modifié ?", "exclusions"),
        ("warranty_claim", "elle dure combien d'années ?", "duration"),
        ("wrong_item", "qui paie le retour ?", "shipping"),
        ("wrong_item", "et je dois le renvoyer avant que vous m'envoyiez le bon ?", "delay"),
        ("promotions", "c'est quoi une vente flash ?", "flash"),
        ("loyalty_program", "comment devenir membre ?", "join"),
        ("shipping", "et en combien de temps ?", "delay"),
        ("shipping", "c'est gratuit ?", "cost"),
        ("shipping", "et pour les États-Unis ?", None),
        ("shipping", "c'est long ça en général? genre une semaine?", "delay"),
        ("loyalty_program", "et les points ça expire ?", "expiry"),
        ("loyalty_program", "est-ce que je vais perdre mes points ?", "expiry"),
        ("loyalty_program", "je vois mes points où ?", "balance"),
        ("tax_info", "et en Alberta ?", "region"),
        ("tax_info", "et la taxe de New York, elle est remboursée ?", "refunded"),
        (
            "tax_info",
            "UPS m'a fait payer 15 dollars de douane, vous me les remboursez ?",
            "customs_refund",
        ),
        ("return_item", "et si elles sont défectueuses ?", "defective"),
        ("return_item", "elle est arrivée cassée, je peux la renvoyer ?", "defective"),
        ("return_item", "si c'est défectueux, qui paie le retour ?", "shipping"),
        ("track_order", "ok et si jamais elle arrive pas ?", "late"),
        ("tracking_issue", "J'ai commandé avant-hier, c'est normal ?", "recent"),
        ("tracking_issue", "je viens de passer ma commande, le suivi marche pas", "recent"),
        ("tracking_issue", "le suivi bouge pas depuis hier, c'est normal ?", "delay"),
        ("track_order", "et si je la reçois jamais ?", "late"),
        ("track_order", "elle est en retard, je fais quoi ?", "late"),
        ("track_order", "ça veut dire quoi « expédié » ?", "statuses"),
        ("track_order", "et si elle est marquée livrée ?", "statuses"),
        ("return_item", "et si c'est vous qui vous trompez dans la gravure ?", "shop_error"),
        ("exchange_item", "même si c'est une erreur de votre part ?", "shop_error"),
        ("cancel_order", "et si c'est vous qui vous trompez dans la gravure?", "shop_error"),
        ("cancel_order", "donc si vous gravez le mauvais prénom je suis coincée??", "shop_error"),
        ("cancel_order", "je peux annuler un collier gravé ?", "personalised"),
        ("return_item", "merci", None),
    ],
)
def test_a_follow_up_is_read_as_an_aspect_of_the_topic(topic, message, aspect):
    assert faq.aspect_of(topic, message) == aspect


@pytest.mark.parametrize(
    ("message", "cue"),
    [
        ("merci beaucoup, bonne fin de journée", cues.is_closing),
        ("parfait c'est tout", cues.is_closing),
        ("j'ai égaré mon numéro de commande", cues.lacks_order_number),
        ("je le trouve où, le numéro de commande ?", cues.lacks_order_number),
        ("mon numéro de commande se trouve où ?", cues.lacks_order_number),
        ("et le médaillon aussi, c'est possible ?", cues.adds_to_the_request),
        ("pis la chaîne aussi svp", cues.adds_to_the_request),
        ("j'ai un souci avec ma commande", cues.is_vague_opener),
        ("laissez tomber", cues.is_leaving_the_form),
        ("franchement je suis vraiment déçue", cues.is_frustrated),
        ("c'est inadmissible, je veux être remboursé", cues.is_frustrated),
        ("bande d'incompétents", cues.is_angry),
        ("vous allez bien ?", cues.is_small_talk),
        ("vous livrez en Suisse ?", cues.is_shipping_question),
        ("je suis en Belgique. Vous livrez chez nous ?", cues.is_shipping_question),
        ("En Europe, vous expédiez ?", cues.is_shipping_question),
        ("Livrez-vous en Suisse et combien coûte la livraison ?", cues.is_shipping_question),
        ("la livraison aux États-Unis est gratuite ?", cues.is_shipping_question),
        ("vous acceptez PayPal ?", cues.is_payment_question),
        ("vous prenez les cartes de crédit ?", cues.is_payment_question),
        ("c'est quoi votre numéro de téléphone ?", cues.asks_for_contact),
        ("et votre courriel ?", cues.asks_for_contact),
        ("comment je peux vous joindre ?", cues.asks_for_contact),
        ("Bonjour, quelle est l'adresse courriel du service client ?", cues.asks_for_contact),
        ("quel est votre email de contact ?", cues.asks_for_contact),
        ("ma commande a été annulée, je peux la réactiver?", cues.asks_to_reactivate),
        ("vous pouvez annuler l'annulation ?", cues.asks_to_reactivate),
        ("I want to speak to a human please", cues.is_in_english),
        (
            "URGENT : un achat chez vous que je n'ai jamais fait ! Quelqu'un a utilisé ma carte",
            cues.reports_fraud,
        ),
        ("Non, c'est une FRAUDE, ce n'est pas moi qui ai passé cette commande", cues.reports_fraud),
        ("hello I want to return my order please", cues.is_in_english),
        (
            "est-ce que quelqu'un du service client est disponible maintenant ?",
            cues.asks_opening_hours,
        ),
        ("c'est quoi le numéro du service client", cues.asks_for_contact),
        (
            "si j'annule ma commande, les frais de livraison sont remboursés ?",
            cues.asks_about_a_cancellation_refund,
        ),
        (
            "Je parle d'une annulation, pas d'un retour : les frais de livraison sont perdus ?",
            cues.asks_about_a_cancellation_refund,
        ),
        ("est-ce que vous vendez des cartes cadeaux ?", cues.asks_about_gift_cards),
        ("comment fonctionne une carte-cadeau électronique ?", cues.asks_about_gift_cards),
        ("une carte cadeau, c'est remboursable ?", cues.asks_about_gift_cards),
        (
            "je peux commander une carte cadeau electronique pour ma belle-soeur?",
            cues.asks_about_gift_cards,
        ),
        ("la carte-cadeau, elle expire quand ?", cues.asks_about_gift_cards),
        (
            "c'tu vrai que vous faites des échanges sur les cartes cadeaux?",
            cues.asks_about_gift_cards,
        ),
        ("une carte-cadeau électronique, on peut l'échanger ?", cues.asks_about_gift_cards),
        ("je peux payer un bijou avec une carte cadeau ?", cues.asks_about_gift_cards),
        (
            "une carte cadeau virtuelle de 50$, est-ce que je peux l'échanger contre un bijou "
            "ou me la faire rembourser ?",
            cues.asks_about_gift_cards,
        ),
        ("ma commande avait une carte cadeau, elle a pas reçu le code", cues.misses_the_gift_card),
        (
            "j'ai acheté une carte-cadeau électronique de 50 $ pour ma soeur mais le courriel "
            "avec le code n'est jamais arrivé",
            cues.misses_the_gift_card,
        ),
        ("vous pouvez annuler l'échange ?", cues.request_to_cancel),
        ("Et en combien de temps répondez-vous aux courriels ?", cues.asks_when_the_team_answers),
        ("le conseiller va m'écrire quand ?", cues.asks_when_the_team_answers),
    ],
)
def test_each_conversation_cue_is_recognised(message, cue):
    assert cue(message)


@pytest.mark.parametrize(
    "message",
    ["je veux retourner ma bague", "où est ma commande AZ104203", "annule ma commande",
     "les frais de livraison sont remboursés ?", "je trouve où mes bijoux ?",
     "pourriez-vous annuler uniquement la chaîne ?",
     "mon colis doit être livré chez nous demain, il est où ?",
     "je serai remboursée sur ma carte visa ?", "mon courriel c'est jdupont@exemple.fr",
     "ma carte-cadeau n'est jamais arrivée", "je veux retourner la carte-cadeau",
     "vous avez un numéro de suivi ?", "quelle est l'adresse de livraison de ma commande ?",
     "je veux un refund", "Hello, c'est pour ma commande",
     "Je ne l'ai pas. Y a-t-il une autre façon?", "je n'ai pas passé de commande encore",
     "mon colis a été volé devant ma porte",
     "je veux changer l'adresse de livraison",
     # a cancellation asked for, silver named or money wanted back: the flow checks the order
     "je voudrais annuler le collier en argent de ma commande AZ104201",
     "pouvez-vous annuler la chaîne argentée dans ma commande AZ104201",
     "Je veux annuler ma commande AZ104202 et récupérer mon argent."],
)  # fmt: skip
def test_order_requests_are_no_conversation_cue(message):
    found = [
        cue.__name__
        for cue in (
            cues.is_closing,
            cues.lacks_order_number,
            cues.is_vague_opener,
            cues.is_leaving_the_form,
            cues.is_angry,
            cues.is_small_talk,
            cues.is_shipping_question,
            cues.is_payment_question,
            cues.is_frustrated,
            cues.adds_to_the_request,
            cues.asks_for_contact,
            cues.asks_about_gift_cards,
            cues.asks_when_the_team_answers,
            cues.is_in_english,
            cues.asks_to_reactivate,
            cues.reports_fraud,
            cues.asks_about_a_cancellation_refund,
        )
        if cue(message)
    ]
    assert found == []


@pytest.mark.parametrize(
    ("message", "response", "values"),
    [
        # one tax: its name and rate, no « soit … au total » repeating the same figure
        ("c'est quoi les taxes pour New York ?", "utter_faq_tax_info_region_single",
         {"component": "taxe de vente", "rate": "8,875\u00a0%"}),
        ("c'est quoi les taxes au Québec ?", "utter_faq_tax_info_region",
         {"total": "14,975\u00a0%"}),
    ],
)  # fmt: skip
def test_the_taxes_of_a_region_are_named_in_french_with_their_rates(
    shop, message, response, values
):
    messages, _ = run_action(ActionGeneralAnswer(), make_tracker(message, intent="tax_info"))

    (answer,) = (m for m in messages if m.get("response", "").startswith("utter_faq_tax"))
    assert answer["response"] == response
    assert {key: answer[key] for key in values} == values


@pytest.mark.parametrize(
    ("now", "response"),
    [
        # the FAQ's extension: purchases of November–December 2024, returns until 31 January 2025
        ("2024-12-15T12:00:00-05:00", "utter_faq_return_item_holiday"),
        ("2025-01-31T23:00:00-05:00", "utter_faq_return_item_holiday"),
        ("2025-02-01T09:00:00-05:00", "utter_faq_return_item_holiday_past"),
        ("2026-12-06T09:00:00-05:00", "utter_faq_return_item_holiday_past"),
    ],
)
def test_the_holiday_extension_is_promised_only_while_it_runs(shop, monkeypatch, now, response):
    monkeypatch.setenv("ALLYZURE_NOW", now)
    shop_service.cache_clear()
    shop_clock.cache_clear()
    question = "vous prolongez le délai de retour pour les fêtes ?"
    tracker = make_tracker(question, intent="return_item")

    messages, _ = run_action(ActionGeneralAnswer(), tracker)

    assert response in [message.get("response") for message in messages]


@pytest.mark.parametrize(
    ("question", "answer"),
    [
        ("j'ai perdu une boucle d'oreille, c'est couvert ?",
         "utter_faq_warranty_claim_not_covered_loss"),
        ("si je l'échappe et qu'elle se brise, c'est couvert ?",
         "utter_faq_warranty_claim_not_covered_improper_use"),
        ("les rayures avec le temps, c'est couvert ?",
         "utter_faq_warranty_claim_not_covered_normal_wear"),
        ("le fermoir qui casse tout seul, c'est couvert par la garantie ?",
         "utter_faq_warranty_claim_defect"),
        # a stone lost from its setting is the piece's defect, not a lost piece
        ("est-ce que ça couvre si je perds une pierre ?", "utter_faq_warranty_claim_defect"),
        ("votre garantie marche pour une chaîne achetée chez un autre bijoutier ?",
         "utter_faq_warranty_claim_not_covered_non_allyzure_item"),
        # the steps asked for, or no cause named: the rule
        ("cmt je fais jouer la garantie svp mon collier sest cassé",
         "utter_faq_warranty_claim_claim"),
        ("qu'est-ce qui est pas couvert par la garantie ?", "utter_faq_warranty_claim_exclusions"),
    ],
)  # fmt: skip
def test_a_warranty_question_naming_a_cause_gets_a_yes_or_a_no(shop, question, answer):
    tracker = make_tracker(question, intent="warranty_claim")

    messages, _ = run_action(ActionGeneralAnswer(), tracker)

    assert [message.get("response") for message in messages][0] == answer


@pytest.mark.parametrize(
    "question", ["c'est quoi la vente éclair ?", "la vente flash finit quand ?"]
)
def test_a_flash_sale_question_names_the_one_on_now_and_its_end(shop, question):
    messages, _ = run_action(ActionPromotions(), make_tracker(question, intent="promotions"))

    (now,) = (m for m in messages if m.get("response") == "utter_flash_sale_now")
    assert "bracelets" in now["title"] and now["ends_on"] and now["ends_at"]


@pytest.mark.parametrize(
    ("question", "answer"),
    [
        ("Et qu'en est-il des frais de douane ?", "utter_faq_tax_info_international"),
        ("je suis aux USA (New York), est-ce que je vais payer des droits de douane?",
         "utter_faq_tax_info_customs_united_states"),
        ("Je vis au Texas. Vais-je devoir payer des frais de douane à la livraison ?",
         "utter_faq_tax_info_customs_united_states"),
        ("la taxe pour New York c'est combien ?", "utter_faq_tax_info_region_single"),
    ],
)  # fmt: skip
def test_a_customs_question_gets_the_customs_answer_not_a_sales_tax(shop, question, answer):
    tracker = make_tracker(question, intent="tax_info")

    messages, _ = run_action(ActionGeneralAnswer(), tracker)

    assert messages[0].get("response") == answer


@pytest.mark.parametrize(
    ("said_before", "offered"),
    [
        ([], True),
        (["utter_faq_return_item", "utter_faq_offer_personalised"], False),  # just offered
        (["utter_offer_declined"], False),  # turned down
    ],
)
def test_the_order_check_is_offered_once_not_after_every_general_answer(shop, said_before, offered):
    question = "et la garantie, elle dure combien de temps ?"
    events = [{"event": "user", "text": "c'est quoi le délai de retour ?"}]
    events += [
        {"event": "bot", "text": "…", "metadata": {"utter_action": response}}
        for response in said_before
    ]
    events += [{"event": "user", "text": question}]
    tracker = make_tracker(question, intent="warranty_claim", events=events)

    messages, _ = run_action(ActionGeneralAnswer(), tracker)

    assert ("utter_faq_offer_personalised" in [m.get("response") for m in messages]) is offered


def test_another_cause_asked_right_after_a_verdict_gets_its_own_verdict(shop):
    after = {slots.LAST_DECISION: "utter_faq_warranty_claim_not_covered_loss",
             slots.TOPIC: "warranty_claim"}  # fmt: skip
    tracker = make_tracker("et si je l'échappe ?", intent="warranty_claim", slots=after)

    messages, _ = run_action(ActionGeneralAnswer(), tracker)

    assert messages[0].get("response") == "utter_faq_warranty_claim_not_covered_improper_use"


@pytest.mark.parametrize(
    ("question", "practice"),
    [
        ("est-ce que le livreur demande une signature ?", "utter_practice_at_delivery"),
        ("et si je suis pas là pour la livraison ?", "utter_practice_at_delivery"),
        ("et si jsuis pas la qd le livreur passe ?", "utter_practice_at_delivery"),
        ("je peux aller le chercher en magasin ?", "utter_practice_pickup"),
        ("vous livrez en point relais ?", "utter_practice_pickup"),
        ("Quel transporteur utilisez-vous ?", "utter_practice_carrier"),
        ("comment savoir ma taille de bague ?", "utter_practice_size_guide"),
        ("vous avez un guide des tailles ?", "utter_practice_size_guide"),
        ("il est en solde aujourd'hui, pouvez-vous me rembourser la différence ?",
         "utter_practice_price_adjustment"),
        # the FAQ answers these: no practice
        ("et si le nouveau bijou coûte plus cher ?", None),
        ("Si j'échange contre un bijou moins cher, vous me remboursez la différence ?", None),
        ("mon colis est marqué livré mais je l'ai pas", None),
        ("la bague est trop petite, je peux l'échanger ?", None),
        ("il faut signer quelque chose pour le retour ?", None),
        ("je voudrais la retourner et avoir un crédit en magasin plutôt", None),
        ("et un crédit en magasin alors?", None),
        ("je voudrais la renvoyer et avoir un crédit en magasin au lieu d'être remboursée",
         None),
        ("vous avez un magasin à Montréal ?", "utter_practice_pickup"),
        ("ok, et pour une cliente de Seattle c'est en USD?", "utter_practice_currency"),
        ("je paie en francs suisses ou en dollars ?", "utter_practice_currency"),
        ("une bague à 249 $ CAD en Ontario, ça fait combien de taxes ?", None),
        ("Bonjour, combien de temps pour faire graver une bague ?",
         "utter_practice_engraving_time"),
        ("c quoi le delai de gravure svp", "utter_practice_engraving_time"),
        ("est-ce que la gravure rallonge la livraison ?", "utter_practice_engraving_time"),
        ("si je la fais graver ça prend combien de jours de plus ?",
         "utter_practice_engraving_time"),
        ("c'est plus long si c'est personnalisé ?", "utter_practice_engraving_time"),
        ("quel est le délai de retour pour un article gravé ?", None),
        ("la gravure est fausse, il y a une faute dans le prénom", None),
        ("est-ce que je peux utiliser une carte-cadeau sur un article en solde ?",
         "utter_practice_gift_card_on_sale"),
        ("la carte cadeau marche avec un code promo ?", "utter_practice_gift_card_on_sale"),
        ("on peut payer avec une carte-cadeau pendant les soldes?",
         "utter_practice_gift_card_on_sale"),
        ("une carte-cadeau achetée en promo, c'est remboursable ?", None),
        ("vous vendez des cartes-cadeaux ?", None),
        # the promotion and the refund are in two questions, not a price adjustment
        ("la garantie couvre les bijoux en promotion ? Aussi, les frais de port sont remboursés ?",
         None),
    ],
)  # fmt: skip
def test_a_practice_the_faq_does_not_state_is_recognised(question, practice):
    assert faq.unstated_practice_asked(question) == practice


@pytest.mark.parametrize(
    ("action", "intent"),
    [(ActionGeneralAnswer, "missing_parcel"), (ActionGeneralAnswer, "track_order")],
)
def test_a_practice_question_gets_its_answer_not_the_topics_block(shop, action, intent):
    tracker = make_tracker("est-ce que le livreur demande une signature ?", intent=intent)

    messages, _ = run_action(action(), tracker)

    assert [m.get("response") for m in messages] == ["utter_practice_at_delivery"]


def test_the_worth_of_a_loyalty_point_is_said_unstated(shop):
    tracker = make_tracker("1 point ça vaut combien ?", intent="loyalty_program")

    messages, _ = run_action(ActionGeneralAnswer(), tracker)

    assert messages[0].get("response") == "utter_faq_loyalty_program_value"


@pytest.mark.parametrize(
    ("action", "intent", "question", "answer"),
    [
        (ActionFallback, "nlu_fallback", "c'tu gratuit la livraison?", "utter_faq_shipping_cost"),
        (ActionGeneralAnswer, "track_order", "c combien la livraison express",
         "utter_faq_shipping_cost"),
        (ActionFallback, "nlu_fallback", "vous livrez au Nunavut?", "utter_faq_shipping_home"),
        (ActionFallback, "nlu_fallback", "vous expédiez aux États-Unis ?",
         "utter_faq_shipping_home"),
        (ActionFallback, "nlu_fallback", "vous livrez en Belgique ?", "utter_faq_shipping"),
        (ActionFallback, "out_of_scope",
         "Expédiez-vous vers la Suisse, et le cas échéant, quels sont les délais ?",
         "utter_faq_shipping_delay"),
        # before ordering: no order to track
        (ActionGeneralAnswer, "track_order",
         "si je passe commande demain, combien de jours pour recevoir à Sherbrooke ?",
         "utter_faq_shipping_delay"),
    ],
)  # fmt: skip
def test_a_shipping_question_however_worded_gets_the_shipping_answer(
    shop, action, intent, question, answer
):
    messages, _ = run_action(action(), make_tracker(question, intent=intent))

    assert [m.get("response") for m in messages] == [answer]


@pytest.mark.parametrize(
    ("last", "question", "intent", "answer"),
    [
        ("utter_faq_return_item_non_returnable", "et échangés ?", "exchange_item",
         "utter_faq_exchange_item_personalised"),
        ("utter_faq_return_item_window", "et pour un échange ?", "exchange_item",
         "utter_faq_exchange_item_window"),
        ("utter_faq_return_item_shipping", "et pour un échange ?", "exchange_item",
         "utter_faq_exchange_item_shipping"),
        # a full question of its own is read on its own
        ("utter_faq_return_item_window", "comment est-ce que je fais un échange chez vous ?",
         "exchange_item", "utter_faq_exchange_item_how"),
        # an aspect the new topic does not have: its general answer
        ("utter_faq_return_item_holiday", "et un échange ?", "exchange_item",
         "utter_faq_exchange_item"),
    ],
)  # fmt: skip
def test_a_short_question_on_another_topic_asks_the_aspect_just_answered(
    shop, last, question, intent, answer
):
    answered = {slots.TOPIC: "return_item", slots.LAST_DECISION: last}
    tracker = make_tracker(question, intent=intent, slots=answered)

    messages, _ = run_action(ActionGeneralAnswer(), tracker)

    assert messages[0].get("response") == answer


@pytest.mark.parametrize(
    ("action", "intent", "question", "answer"),
    [
        (ActionPromotions, "promotions",
         "Comment puis-je désinscrire mon adresse de votre infolettre ?",
         "utter_practice_unsubscribe"),
        (ActionPromotions, "promotions",
         "il est en rabais depuis hier, vous me remboursez la différence ?",
         "utter_practice_price_adjustment"),
        (ActionFallback, "nlu_fallback", "et supprimer mon compte ?", "utter_practice_unsubscribe"),
        (ActionGeneralAnswer, "track_order",
         "pis je peux tu changer le prenom dessus? jai fait une faute",
         "utter_personalisation_change"),
    ],
)  # fmt: skip
def test_what_the_faq_does_not_state_is_answered_whatever_the_intent(
    shop, action, intent, question, answer
):
    messages, _ = run_action(action(), make_tracker(question, intent=intent))

    assert [m.get("response") for m in messages] == [answer]


@pytest.mark.parametrize(
    ("message", "changes"),
    [
        ("pis je peux tu changer le prenom dessus? jai fait une faute", True),
        ("je me suis trompée dans le prénom, c'est Léo pas Léa", True),
        ("pouvez-vous modifier la gravure de ma commande ?", True),
        ("jveu changer pour un autre prenom cé possible??", True),
        ("j'ai mal écrit le prénom à graver sur le collier : Léna au lieu de Léa", True),
        ("la gravure est fausse, c'est votre erreur", False),  # a wrong item
        ("je veux changer mon adresse", False),
    ],
)
def test_changing_the_text_of_a_personalised_piece_is_recognised(message, changes):
    assert cues.changes_the_personalisation(message) is changes


@pytest.mark.parametrize(
    ("title", "kind", "covers"),
    [
        ("Vente éclair — 30 % sur les bracelets", "bracelet", True),
        ("Vente éclair — 30 % sur les bracelets", "collier", False),
        ("25 % sur les bijoux des fêtes dès 150 $", "bague", True),
        ("10 % sur votre première commande", "boucle", True),
    ],
)
def test_an_offer_covers_the_pieces_its_title_names_or_all_jewellery(title, kind, covers):
    moment = datetime(2026, 12, 1, tzinfo=UTC)
    offer = PromotionFacts(None, title, PromotionKind.FLASH_SALE, Decimal(30), moment, moment)

    assert faq.offer_covers(offer, kind) is covers


@pytest.mark.parametrize(
    ("question", "practice"),
    [
        ("et si je la refuse au facteur ?", "utter_practice_refuse_delivery"),
        ("je peux refuser le colis à la livraison ?", "utter_practice_refuse_delivery"),
        ("vous pouvez l'appliquer après coup ?", "utter_practice_code_after_purchase"),
        ("j'ai oublié de mettre mon code promo", "utter_practice_code_after_purchase"),
        ("mon colis a été refusé par la douane", None),
    ],
)
def test_more_practices_the_faq_does_not_state_are_recognised(question, practice):
    assert faq.unstated_practice_asked(question) == practice


def test_who_pays_the_taxes_is_the_customer(shop):
    tracker = make_tracker("et qui paie ces frais, moi ou vous ?", intent="tax_info",
                           slots={slots.TOPIC: "tax_info"})  # fmt: skip

    messages, _ = run_action(ActionGeneralAnswer(), tracker)

    assert messages[0].get("response") == "utter_faq_tax_info_who_pays"


@pytest.mark.parametrize("intent", ["track_order", "order_status_info"])
def test_a_delivery_question_to_a_country_is_no_status_question(shop, intent):
    question = "vous livrez en Belgique ? et ça prend combien de temps ?"
    tracker = make_tracker(question, intent=intent)

    messages, _ = run_action(ActionGeneralAnswer(), tracker)

    assert [m.get("response") for m in messages] == ["utter_faq_shipping_delay"]


@pytest.mark.parametrize(
    ("topic", "aspect", "offered"),
    [
        ("return_item", None, True),
        ("return_item", "window", True),  # counted from their delivery
        ("cancel_order", "too_late", True),
        ("warranty_claim", "duration", True),  # counted from their purchase
        ("tax_info", None, True),  # their destination's rates
        ("return_item", "shipping", False),  # who pays: the same rule for every order
        ("exchange_item", "how", False),
        ("return_item", "conditions", False),
        ("tax_info", "region", False),  # the region's rates are already the answer
        ("loyalty_program", None, False),
        ("order_status_info", None, False),
        ("return_item", "holiday", False),
    ],
)
def test_checking_the_order_is_offered_only_when_the_order_would_change_the_answer(
    topic, aspect, offered
):
    assert faq.order_would_change_the_answer(topic, aspect) is offered


@pytest.mark.parametrize(
    ("message", "months"),
    [
        ("acheté il y a 3 ans, la pierre s'est détachée", 36),
        ("ça fait deux ans que je l'ai", 24),
        ("je l'ai depuis 18 mois", 18),
        ("il y a un an", 12),
        ("la pierre s'est détachée", None),
        ("il y a 3 jours", None),
    ],
)
def test_the_age_of_a_piece_is_read_in_months(message, months):
    assert faq.age_in_months(message) == months


@pytest.mark.parametrize(
    ("message", "ages"),
    [
        ("J'ai acheté un bracelet chez vous en février 2024, le fermoir a cassé", (33, 33)),
        ("bague achetée sur votre site en mars 2024", (32, 32)),
        ("commandé le 3 novembre 2024", (24, 24)),
        ("acheté en 2023", (35, 46)),
        ("je l'ai depuis janvier 2026", (10, 10)),
        ("il y a 3 ans", (36, 36)),
        ("offerte pour Noël l'an passé", (11, 11)),
        ("achetée l'an dernier", (11, 22)),
        ("une bague à 2024 $", None),
        ("acheté en décembre 2026", None),  # a month still to come
    ],
)
def test_a_piece_s_age_is_read_from_its_purchase_date(message, ages):
    assert faq.age_range(message, date(2026, 11, 25)) == ages


@pytest.mark.parametrize(
    ("message", "response"),
    [
        ("acheté il y a 3 ans, la pierre s'est détachée. Est-ce encore sous garantie ?",
         "utter_faq_warranty_claim_too_old"),
        ("il y a 2 ans, c'est encore garanti ?", "utter_faq_warranty_claim_at_the_limit"),
        ("je l'ai depuis 18 mois et le fermoir a cassé, c'est couvert ?",
         "utter_faq_warranty_claim_in_time"),
        ("J'ai acheté un bracelet chez vous en février 2024, le fermoir vient de casser. "
         "Encore garanti?", "utter_faq_warranty_claim_too_old"),
        ("Bague achetée sur votre site en mars 2024, une pierre est tombée toute seule",
         "utter_faq_warranty_claim_too_old"),
        ("acheté en novembre 2024, la maille a lâché, c'est couvert ?",
         "utter_faq_warranty_claim_at_the_limit"),
        ("acheté en mai 2025, le fermoir a lâché, c'est couvert ?",
         "utter_faq_warranty_claim_in_time"),
    ],
)  # fmt: skip
def test_a_piece_s_age_decides_before_its_cause(shop, message, response):
    tracker = make_tracker(message, intent="warranty_claim")

    messages, _ = run_action(ActionGeneralAnswer(), tracker)

    assert responses(messages) == [response]


@pytest.mark.parametrize(
    ("message", "region"),
    [
        ("c'est long ça en général? genre une semaine?", None),  # « semaine » holds « maine »
        ("et en Ontario ?", "ON"),
        ("livraison à Ottawa", "ON"),
        ("une bague à 250 $ livrée dans le Maine", "ME"),
        ("au Québec ou en Ontario ?", "QC"),  # the first one named
    ],
)
def test_a_region_is_a_whole_word_of_the_message(message, region):
    found = faq.region_in(message)
    assert (found[1] if found else None) == region


def test_a_home_country_is_a_whole_word_of_the_message():
    assert faq.home_destination("vous livrez aux USA ?") == "aux États-Unis"
    assert faq.home_destination("c'est quoi l'usage de la carte ?") is None


@pytest.mark.parametrize(
    ("message", "answer"),
    [
        ("la douane ca coute combien environ", "utter_faq_tax_info_international"),
        ("et la taxe, elle est remboursée si je retourne ?", "utter_faq_tax_info_refunded"),
        ("Et vous, vous facturez une taxe sur la commande pour la France ?",
         "utter_faq_tax_info_international"),
        ("c'est combien de taxes pour une livraison à Bruxelles ?",
         "utter_faq_tax_info_international"),
    ],
)  # fmt: skip
def test_a_tax_question_without_an_order_gets_its_aspect_and_no_offer(shop, message, answer):
    tracker = make_tracker(message, intent="tax_info")

    messages, _ = run_action(ActionTaxInfo(), tracker)

    assert responses(messages) == [answer]


@pytest.mark.parametrize(
    "verified", [{}, {"verified_order": "AZ104204", "verified_email": "sophie.martin@exemple.com"}]
)
def test_customs_charged_at_the_door_are_not_said_refunded(shop, verified):
    tracker = make_tracker(
        "UPS m'a fait payer 15 dollars de douane à la livraison, est-ce que vous me les "
        "remboursez ?",
        intent="tax_info",
        slots=verified,
    )

    messages, _ = run_action(ActionTaxInfo(), tracker)

    assert responses(messages)[0] == "utter_faq_tax_info_customs_refund"


@pytest.mark.parametrize(
    ("message", "answer"),
    [
        ("un échange pour une autre taille alors ?", "utter_faq_exchange_item_personalised"),
        ("et si c'est vous qui vous trompez, je peux échanger ?",
         "utter_faq_exchange_item_shop_error"),
    ],
)  # fmt: skip
def test_an_engraved_piece_stays_engraved_when_the_question_moves_to_the_exchange(
    shop, message, answer
):
    after = {slots.TOPIC: "return_item",
             slots.LAST_DECISION: "utter_faq_return_item_non_returnable"}  # fmt: skip
    tracker = make_tracker(message, intent="exchange_item", slots=after)

    messages, _ = run_action(ActionGeneralAnswer(), tracker)

    assert responses(messages)[0] == answer


@pytest.mark.parametrize(
    ("intent", "message"),
    [
        ("track_order", "si j'annule l'entier de ma commande dans les 24 heures, est-ce que les "
                        "frais de port me sont rendus ?"),
        ("cancel_order", "Je parle bien d'une annulation de toute la commande, pas d'un retour. "
                         "Donc les frais de port sont perdus ?"),
        ("return_item", "si j'annule ma commande, je récupère ce que j'ai payé pour la livraison?"),
    ],
)  # fmt: skip
def test_the_refund_of_a_cancellation_says_the_shipping_comes_back_for_a_whole_order(
    shop, intent, message
):
    messages, _ = run_action(ActionGeneralAnswer(), make_tracker(message, intent=intent))

    assert responses(messages)[0] == "utter_faq_cancel_order_refund"


@pytest.mark.parametrize(
    ("action", "intent", "pending"),
    [
        (ActionGeneralAnswer, "missing_parcel", None),
        (ActionAnswerYesNo, "deny", "action_missing_parcel"),
    ],
)
def test_a_fraud_report_gets_the_bank_and_a_person_not_a_parcel_case(shop, action, intent, pending):
    tracker = make_tracker(
        "Non, c'est une FRAUDE, ce n'est pas moi qui ai passé cette commande",
        intent=intent,
        slots={slots.PENDING_CONFIRMATION: pending},
    )

    messages, events = run_action(action(), tracker)

    assert responses(messages) == ["utter_fraud_reported"]
    assert slot_events(events)[slots.PENDING_CONFIRMATION] == "action_human_handoff"


@pytest.mark.parametrize(
    ("message", "answer"),
    [
        ("donc oui ou non, la dorure qui part c'est couvert ?", "utter_faq_warranty_claim_plating"),
        ("mon bracelet plaqué or s'use, c'est garanti ?", "utter_faq_warranty_claim_plating"),
        ("le fermoir a cassé, c'est couvert ?", "utter_faq_warranty_claim_defect"),
        ("et est ce que la garantie couvre ca le noircissement ?",
         "utter_faq_warranty_claim_tarnish"),
        ("ma chaîne en argent a terni, c'est garanti ?", "utter_faq_warranty_claim_tarnish"),
        ("ma chaîne en argent est devenue toute noire, la garantie couvre ?",
         "utter_faq_warranty_claim_tarnish"),
        ("il avait deja des rayures quand je l'ai deballé, c'est couvert ?",
         "utter_faq_warranty_claim_marked_on_arrival"),
        ("il est tout rayé après un an, c'est couvert ?",
         "utter_faq_warranty_claim_not_covered_normal_wear"),
    ],
)  # fmt: skip
def test_plating_wearing_off_is_wear_not_a_covered_defect(shop, message, answer):
    tracker = make_tracker(message, intent="warranty_claim")

    messages, _ = run_action(ActionGeneralAnswer(), tracker)

    assert responses(messages)[0] == answer


@pytest.mark.parametrize(
    ("message", "intent", "response"),
    [
        ("Ma petite-fille m'a offert une bague pour Noël l'an passé, elle est trop grande. "
         "Est-ce qu'on peut la changer ?", "exchange_item", "utter_faq_exchange_item_past"),
        ("je l'ai reçue il y a 3 mois, je peux encore la retourner ?", "return_item",
         "utter_faq_return_item_past"),
    ],
)  # fmt: skip
def test_a_piece_said_bought_months_ago_is_told_past_the_window(shop, message, intent, response):
    tracker = make_tracker(message, intent=intent)

    messages, _ = run_action(ActionGeneralAnswer(), tracker)

    assert responses(messages) == [response]


@pytest.mark.parametrize(
    ("message", "intent"),
    [
        ("je l'ai reçue il y a 2 semaines, je peux la retourner ?", "return_item"),
        ("acheté il y a un mois, je peux l'échanger ?", "exchange_item"),
    ],
)
def test_a_piece_bought_recently_gets_the_rule(shop, message, intent):
    tracker = make_tracker(message, intent=intent)

    messages, _ = run_action(ActionGeneralAnswer(), tracker)

    assert not any(r.endswith("_past") for r in responses(messages))


@pytest.mark.parametrize(
    ("message", "region"),
    [
        ("j'habite à Toronto, je fais livrer à Québec, ça fait combien de taxes ?", "QC"),
        ("livraison en Floride pour une cliente de Toronto", "FL"),
        ("je suis en Ontario, c'est combien de taxes ?", "ON"),
    ],
)
def test_the_taxes_follow_the_place_the_parcel_is_delivered_to(message, region):
    assert faq.region_in(message)[1] == region
