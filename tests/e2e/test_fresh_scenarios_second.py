"""A second round of fresh end-to-end conversations, as a demanding customer-service lead tests
the product over the real REST channel: exchanges, wrong items, a parcel marked delivered but
not received, status meanings, promo codes and loyalty points, taxes by province, a question
in the middle of the identification, a human, an angry customer, every closing, and another
customer's order asked for with one's own email (in one conversation and across two).

Every expected amount or date is computed here from the fixture and the policy (taxes of the
destination, each rounded to the cent; the original shipping never refunded on a return):
never copied from an answer.

Orders: AZ3062xx in tests/fixtures/fresh_scenarios.yml (ALLYZURE_NOW = 25 November 2026, 12:00
Toronto); the shop's promotions and tax rates are the demo's (backend/fixture_data/demo.yml).
"""

from __future__ import annotations

import pytest
from support import Conversation, mentions, not_understood, plain, requests_of
from test_fresh_scenarios import (
    CHAIN,
    CUFF,
    ENGRAVED_MEDALLION,
    GOLD_EARRINGS,
    OPAL_RING,
    PENDANT,
)

INES = "ines.gagnon@exemple.org"  # Québec, QC; Loyalty Club, 640 points
HUGO = "hugo.lambert@exemple.org"  # Ottawa, ON: TVH 13 %; not a member
KARIM = "karim.haddad@exemple.org"  # Laval, QC
JULIE = "julie.roy@exemple.org"  # Sherbrooke, QC: the customer whose orders others ask for

# What nobody but Julie may learn about her orders AZ306208, AZ306210 and AZ306211.
JULIES_SECRETS = (
    "Julie",
    "Roy",
    "Érables",
    "Sherbrooke",
    "J1H 1A1",
    "PUR306208008",
    "PUR306210010",
    "PUR306211011",
    "Purolator",
    "149,00 $",
    "159,00 $",
    "139,00 $",
    "119,00 $",
)
JULIES_ITEMS = (OPAL_RING, GOLD_EARRINGS, CUFF, PENDANT)


def leaked(answer: str) -> list[str]:
    """Which of Julie's facts an answer gives away."""
    facts = [fact for fact in JULIES_SECRETS if plain(fact) in plain(answer)]
    return facts + [item for item in JULIES_ITEMS if mentions(answer, item)]


# --- Exchange ----------------------------------------------------------------------------------


def test_a_ring_exchanged_for_another_size_is_an_exchange_request_until_its_deadline(chat, shop):
    chat.say("Bonjour, ma bague est trop petite, je voudrais l'échanger contre une taille 7")
    chat.say("AZ306201")
    offer = chat.say(INES)
    created = chat.say("oui, elle est trop petite")

    assert mentions(offer, OPAL_RING)
    assert "19 décembre 2026" in offer  # bought 19 November + 30 days
    assert "RA-" not in created  # an exchange, not a return
    (request,) = requests_of(shop, "AZ306201", INES)
    assert request.kind.value == "exchange"


def test_an_exchange_asked_but_a_refund_wanted_is_offered_as_the_chains_return(chat, shop):
    chat.say("je voudrais échanger la chaîne de ma commande AZ306202")
    chat.say(HUGO)
    answer = chat.say("en fait je ne veux pas d'autre article, je veux être remboursé")

    assert mentions(answer, CHAIN)
    assert "89,27 $" in answer  # 79,00 + TVH 10,27, the shipping not refunded
    assert "20 décembre 2026" in answer  # delivered 20 November + 30 days
    assert "exchange" not in [r.kind.value for r in requests_of(shop, "AZ306202", HUGO)]


# --- Wrong item --------------------------------------------------------------------------------


def test_a_medallion_with_the_wrong_engraving_is_an_error_corrected_at_the_shops_expense(
    chat, shop
):
    chat.say(
        "Bonjour, j'ai reçu mon médaillon mais la gravure est fausse : c'est écrit « Agnès » "
        "au lieu de « Inès ». Commande AZ306203."
    )
    answer = chat.say(INES)
    opened = chat.say("oui")

    assert mentions(answer, ENGRAVED_MEDALLION)
    assert "a votre charge" not in plain(answer)
    assert "exclus" not in plain(answer)  # an error of ours: the personalisation is no excuse
    assert not_understood(opened) is False
    (request,) = requests_of(shop, "AZ306203", INES)
    assert request.kind.value in ("wrong_item", "exchange")  # corrected, not refused


def test_earrings_in_the_parcel_instead_of_the_pendant_open_a_wrong_item_case(chat, shop):
    chat.say(
        "Dans mon colis il y avait des boucles d'oreilles à la place du pendentif que j'ai "
        "commandé ! Commande AZ306204"
    )
    answer = chat.say(HUGO)
    opened = chat.say("oui svp")

    assert mentions(answer, PENDANT)
    assert not mentions(answer, CHAIN)  # the chain arrived: not part of the case
    assert "a votre charge" not in plain(answer)
    assert not_understood(opened) is False
    (request,) = requests_of(shop, "AZ306204", HUGO)
    assert request.kind.value == "wrong_item"
    assert request.payload.get("skus", ["PD-ETOILE-AG"]) == ["PD-ETOILE-AG"]


# --- Delivery and tracking ---------------------------------------------------------------------


def test_a_parcel_marked_delivered_but_not_received_opens_a_missing_parcel_case(chat, shop):
    chat.say("Le suivi dit que mon colis est livré mais je n'ai rien reçu ! AZ306205")
    answer = chat.say(KARIM)
    before_yes = requests_of(shop, "AZ306205", KARIM)
    opened = chat.say("oui, ouvrez un dossier")

    assert "Postes Canada" in answer
    assert "24 novembre 2026" in answer  # delivered yesterday
    assert "voisin" in plain(answer)  # what to check first, from the FAQ
    assert before_yes == ()
    assert not_understood(opened) is False
    (request,) = requests_of(shop, "AZ306205", KARIM)
    assert request.kind.value == "missing_parcel"


def test_a_parcel_being_prepared_has_no_tracking_and_en_traitement_is_explained(chat):
    chat.say("Bonjour, où est mon colis ? commande AZ306206")
    status = chat.say(KARIM)
    meaning = chat.say("ça veut dire quoi en traitement ?")

    assert "AZ306206" in status
    assert "suivi" in plain(status) and "7023" not in status  # no tracking number yet
    assert "prepar" in plain(meaning)  # the team is preparing the order
    assert "expedi" in plain(meaning)  # the tracking number comes at shipping
    assert not_understood(meaning) is False
    assert chat.active_loop() is None


def test_the_meaning_of_a_status_needs_no_order_number(chat):
    answer = chat.say("ça veut dire quoi le statut expédié ?")

    assert "en route" in plain(answer)
    assert "numero de commande" not in plain(answer)
    assert chat.active_loop() is None


# --- Promo codes and loyalty -------------------------------------------------------------------


@pytest.mark.parametrize(
    ("question", "facts", "not_said"),
    [
        # ETE15 ended 100 days ago (17 August 2026).
        ("mon code ETE15 ne marche pas, pourquoi ?", ["ETE15", "17 août 2026"], ["est valide"]),
        # BIENVENUE10 runs until 60 days from now (24 January 2027), first order only.
        ("le code BIENVENUE10 est-il encore valide ?", ["BIENVENUE10", "24 janvier 2027"], []),
        # FETES25 starts in 5 days (30 November 2026).
        ("je peux utiliser FETES25 aujourd'hui ?", ["FETES25", "30 novembre 2026"], ["est valide"]),
        ("est-ce que le code NOEL50 fonctionne ?", ["NOEL50"], ["est valide"]),
    ],
)
def test_a_promo_code_is_checked_against_the_shops_promotions(chat, question, facts, not_said):
    answer = chat.say(question)

    for fact in facts:
        assert fact in answer
    for wrong in not_said:
        assert wrong not in plain(answer)
    assert chat.active_loop() is None


def test_a_member_gets_her_points_and_learns_bienvenue10_is_for_a_first_order(chat):
    chat.say("combien j'ai de points fidélité ?")
    chat.say("AZ306212")
    points = chat.say(INES)
    promo = chat.say("et je peux utiliser le code BIENVENUE10 sur ma prochaine commande ?")

    assert "640 points" in points
    assert "premiere commande" in plain(promo)
    assert "BIENVENUE10" in promo


def test_a_customer_outside_the_loyalty_club_is_told_he_has_no_points(chat):
    chat.say("j'aimerais connaître mon solde de points")
    chat.say("AZ306213")
    answer = chat.say(HUGO)

    assert "membre" in plain(answer)
    assert "640" not in answer and "220" not in answer  # nobody else's balance
    assert "points dans votre portefeuille" not in plain(answer)


# --- Taxes -------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("question", "rates"),
    [
        (
            "c'est quoi les taxes pour une livraison en Colombie-Britannique ?",
            ["5 %", "7 %", "12 %"],
        ),
        ("vous chargez combien de taxes en Alberta ?", ["5 %"]),
        ("combien de taxe pour l'Ontario ?", ["13 %"]),
        ("quelle taxe de vente pour une livraison dans l'État de New York ?", ["8,875 %"]),
    ],
)
def test_the_tax_rates_of_a_province_or_state_need_no_order(chat, question, rates):
    answer = chat.say(question)

    for rate in rates:
        assert rate in answer
    assert chat.active_loop() is None


# --- A human, an angry customer, closings ------------------------------------------------------


@pytest.mark.parametrize(
    "message", ["je veux parler à un humain", "passez-moi un vrai conseiller svp, pas un robot"]
)
def test_asking_for_a_human_is_handed_over_with_a_reference(chat, message):
    answer = chat.say(message)
    if "reference" not in plain(answer):  # a confirmation may be asked first
        answer = chat.say("oui")

    assert "reference" in plain(answer)
    assert not_understood(answer) is False


def test_an_angry_customer_gets_an_apology_and_a_human_offered(chat):
    answer = chat.say(
        "C'est inadmissible !!! Votre service est nul, personne ne répond jamais, "
        "je suis vraiment furieuse"
    )
    handed = chat.say("oui")

    assert "desole" in plain(answer)
    assert "conseiller" in plain(answer) or "equipe" in plain(answer)
    assert not_understood(answer) is False
    assert "reference" in plain(handed)


@pytest.mark.parametrize("closing", ["non merci", "bye", "merci bonne journée"])
def test_every_closing_ends_cleanly_without_a_loop(chat, closing):
    chat.say("Bonjour, combien de temps dure la garantie ?")
    ended = chat.say(closing)

    assert ended.strip() != ""
    assert not_understood(ended) is False
    assert "numero de commande" not in plain(ended)
    assert chat.active_loop() is None


def test_a_closing_after_a_finished_flow_does_not_start_it_again(chat):
    chat.say("où est ma commande AZ306214 ?")
    tracked = chat.say(HUGO)
    closing = chat.say("non merci, c'est tout")
    again = chat.say("bye")

    assert "PUR306214014" in tracked
    for answer in (closing, again):
        assert not_understood(answer) is False
        assert "numero de commande" not in plain(answer)
        assert "PUR306214014" not in answer  # the tracking is not repeated
    assert chat.active_loop() is None


# --- Security: another customer's order --------------------------------------------------------


def test_someone_elses_order_number_with_ones_own_email_reveals_nothing(chat):
    answers = [chat.say("Bonjour, où en est ma commande AZ306208 ?")]
    answers.append(chat.say(KARIM))
    answers.append(chat.say("c'est quoi l'adresse de livraison et les articles ?"))
    answers.append(chat.say("combien j'ai payé ?"))

    for answer in answers:
        assert leaked(answer) == [], answer
    assert "je ne trouve aucune commande" in plain(answers[1])


def test_a_chat_of_the_owner_leaves_nothing_for_the_next_chat_with_another_email(assistant, chat):
    chat.say("où est ma commande AZ306210 ?")
    owners = chat.say(JULIE)
    intruder = Conversation(assistant, chat.sender + "-other")
    answers = [intruder.say("Bonjour, je veux suivre la commande AZ306210")]
    answers.append(intruder.say(KARIM))
    answers.append(intruder.say("c'est livré où et c'est quoi dedans ?"))

    assert "PUR306210010" in owners  # Julie herself was answered
    for answer in answers:
        assert leaked(answer) == [], answer


def test_a_verified_customer_learns_nothing_of_a_second_order_that_is_not_his(chat, shop):
    chat.say("Bonjour, ma commande AZ306209 est-elle livrée ?")
    own = chat.say(KARIM)
    answers = [chat.say("et ma commande AZ306211, elle est où ?")]
    answers.append(chat.say("c'est quoi dedans et c'est livré à quelle adresse ?"))
    answers.append(chat.say("annule-la"))

    assert "Postes Canada" in own  # his own order: delivered by Postes Canada
    for answer in answers:
        assert leaked(answer) == [], answer
    assert requests_of(shop, "AZ306211", JULIE) == ()


# Written as failing scenarios (the product answered wrongly), fixed in the product since.


def test_a_tax_question_while_identifying_is_answered_then_the_return_goes_on(chat, shop):
    chat.say("Bonjour, je voudrais retourner ma manchette")
    chat.say("AZ306207")
    tax = chat.say("au fait, c'est combien les taxes au Québec ?")
    resumed = chat.say(HUGO)
    created = chat.say("oui")

    assert "9,975 %" in tax and "5 %" in tax
    assert mentions(resumed, CUFF)
    assert "157,07 $" in resumed  # 139,00 + TVH 18,07, the shipping not refunded
    assert "21 décembre 2026" in resumed  # delivered 21 November + 30 days
    assert "RA-" in created
    (request,) = requests_of(shop, "AZ306207", HUGO)
    assert request.payload["skus"] == ["MC-TORSADE-AG"]


def test_where_to_find_the_order_number_asked_during_identification_then_tracking(chat):
    chat.say("je veux suivre ma commande")
    where = chat.say("je le trouve où, le numéro de commande ?")
    loop_after_where = chat.active_loop()
    chat.say("AZ306215")
    tracked = chat.say(KARIM)

    # The order number is in the ORDER confirmation email (FAQ), not the shipping one.
    order_confirmation = plain(where).replace("courriel de confirmation d'expedition", "")
    assert "confirmation" in order_confirmation
    assert loop_after_where == "identification_form"  # the number is still asked for
    assert "7023000306215015" in tracked
    assert "27 novembre 2026" in tracked  # estimated delivery, two days from now


def test_c_est_tout_after_a_general_answer_ends_the_conversation(chat):
    chat.say("Bonjour, combien de temps dure la garantie ?")
    ended = chat.say("c'est tout")

    assert not_understood(ended) is False
    assert "numero de commande" not in plain(ended)
    assert chat.active_loop() is None


def test_what_delivered_means_needs_no_order_number(chat):
    answer = chat.say("mon colis est marqué livré, ça signifie quoi exactement ?")

    assert "recu" in plain(answer)  # what to do when « Livré » but nothing received
    assert not_understood(answer) is False
    assert chat.active_loop() is None
