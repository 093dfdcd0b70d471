"""Fresh end-to-end conversations on another shop, as a demanding customer-service lead tests
the product: customers from Québec, France, Belgium and Switzerland, formal or SMS style,
typos and missing accents, over the real REST channel.

Every expected amount is computed here from the fixture and the policy (price of the lines
concerned plus the destination's taxes, each tax rounded to the cent; the original shipping
is never refunded on a return nor on a partial cancellation): never copied from an answer.

Orders: tests/fixtures/fresh_scenarios.yml (ALLYZURE_NOW = 25 November 2026, 12:00 Toronto).
"""

from __future__ import annotations

import pytest
from support import mentions, plain, requests_of

CHLOE = "chloe.bergeron@exemple.org"  # Montréal, QC: TPS 5 % + TVQ 9,975 %
AMELIE = "amelie.dubois@exemple.org"  # Ottawa, ON: TVH 13 %
NATHALIE = "nathalie.peeters@exemple.org"  # Gatineau, QC
LUCIE = "lucie.favre@exemple.org"  # Toronto, ON

PENDANT = "Pendentif Étoile en argent"  # 119,00 $
GOLD_EARRINGS = "Boucles d’oreilles Goutte or 10 carats"  # 159,00 $
CHAIN = "Chaîne forçat plaquée or"  # 79,00 $
CUFF = "Manchette torsadée en argent"  # 139,00 $
OPAL_RING = "Bague Opale en argent"  # 149,00 $
PROMO_EARRINGS = "Boucles d’oreilles Cristal (promotion)"  # 29,00 $, no warranty
ENGRAVED_MEDALLION = "Médaillon gravé plaqué or"  # 99,00 $, personalised
GIFT_CARD = "Carte-cadeau électronique 75 $"  # 75,00 $


# --- Returns ---------------------------------------------------------------------------------


def test_returning_the_pendant_alone_refunds_the_pendant_alone(chat, shop):
    chat.say("Allo! j'voudrais retourner juste le pendentif de ma commande AZ306101")
    offer = chat.say(CHLOE)
    created = chat.say("oui svp, j'ai changé d'idée")

    assert mentions(offer, PENDANT)
    assert not mentions(offer, GOLD_EARRINGS)
    assert "136,82 $" in offer  # 119,00 + TPS 5,95 + TVQ 11,87, without the 9,95 $ shipping
    assert "21 décembre 2026" in offer  # delivered 21 November + 30 days
    assert "RA-" in created
    (request,) = requests_of(shop, "AZ306101", CHLOE)
    assert request.payload["skus"] == ["PD-ETOILE-AG"]
    assert request.payload["return_shipping_paid_by"] == "customer"


def test_a_correction_moves_the_return_from_the_pendant_to_the_earrings(chat, shop):
    chat.say("Bonjour, je voudrais retourner le collier de ma commande AZ306102, s'il vous plaît")
    chat.say(NATHALIE)
    corrected = chat.say("non, pas le collier, les boucles d'oreilles")
    chat.say("oui")

    assert mentions(corrected, GOLD_EARRINGS)
    assert not mentions(corrected, PENDANT)
    assert "182,81 $" in corrected  # 159,00 + TPS 7,95 + TVQ 15,86
    assert "pas bien compris" not in plain(corrected)
    (request,) = requests_of(shop, "AZ306102", NATHALIE)
    assert request.payload["skus"] == ["BO-GOUTTE-10K"]


def test_declining_the_return_offer_writes_nothing(chat, shop):
    chat.say("je veux retourner les boucles de ma commande AZ306114")
    offer = chat.say(CHLOE)
    declined = chat.say("non merci, finalement je les garde")

    assert "182,81 $" in offer
    assert "RA-" not in declined
    assert requests_of(shop, "AZ306114", CHLOE) == ()


def test_a_cuff_that_arrived_broken_comes_back_at_the_shops_expense(chat, shop):
    chat.say(
        "Bonjour, la manchette de ma commande AZ306103 est arrivée cassée en deux. "
        "Je souhaite la renvoyer."
    )
    offer = chat.say(AMELIE)
    chat.say("oui")

    assert mentions(offer, CUFF)
    assert not mentions(offer, CHAIN)
    assert "157,07 $" in offer  # 139,00 + TVH 13 % (18,07)
    assert "a votre charge" not in plain(offer)
    assert "prenons en charge" in plain(offer) or "a nos frais" in plain(offer)
    (request,) = requests_of(shop, "AZ306103", AMELIE)
    assert request.payload["skus"] == ["MC-TORSADE-AG"]
    assert request.payload["return_shipping_paid_by"] == "shop"


def test_a_return_asked_for_a_refund_not_a_replacement_is_a_return_of_that_line(chat, shop):
    chat.say(
        "Bonjour, je souhaite renvoyer la chaîne de ma commande AZ306112. Je ne veux pas de "
        "remplacement, je veux être remboursée."
    )
    offer = chat.say(AMELIE)
    created = chat.say("oui")

    assert mentions(offer, CHAIN)
    assert not mentions(offer, GOLD_EARRINGS)
    assert "89,27 $" in offer  # 79,00 + TVH 10,27
    assert "rembours" in plain(offer)
    assert "RA-" in created
    (request,) = requests_of(shop, "AZ306112", AMELIE)
    assert request.payload["skus"] == ["CH-FORCAT-PL"]
    assert request.payload["preference"] == "refund"  # « votre préférence est transmise »


def test_the_gift_card_stays_and_the_promotional_earrings_are_refunded(chat, shop):
    chat.say("jveux retourner ma commande AZ306110 svp")
    offer = chat.say(CHLOE)
    chat.say("oui, j'ai changé d'avis")

    assert mentions(offer, PROMO_EARRINGS)
    assert mentions(offer, GIFT_CARD)  # named as excluded
    assert "33,34 $" in offer  # 29,00 + TPS 1,45 + TVQ 2,89; the 75 $ card is not refunded
    (request,) = requests_of(shop, "AZ306110", CHLOE)
    assert request.payload["skus"] == ["BO-CRISTAL-PROMO"]


def test_a_return_eight_months_late_gives_the_end_date_and_points_to_the_warranty(chat, shop):
    chat.say("bonjour je voudrais retourner ma manchette, commande AZ306105")
    answer = chat.say(CHLOE)

    assert "23 avril 2026" in answer  # delivered 24 March 2026 + 30 days
    assert "garantie" in plain(answer)
    assert "RA-" not in answer
    assert requests_of(shop, "AZ306105", CHLOE) == ()


# --- Warranty --------------------------------------------------------------------------------


def test_a_stone_that_came_off_is_covered_even_though_loss_is_mentioned(chat, shop):
    chat.say(
        "Bonjour, je ne l'ai pas perdue, ma bague : la pierre s'est décrochée toute seule. "
        "Commande AZ306104, est-ce couvert par la garantie ?"
    )
    answer = chat.say(LUCIE)
    opened = chat.say("oui, allez-y")

    assert mentions(answer, OPAL_RING)
    assert "couvert" in plain(answer)
    assert "25 mars 2028" in answer  # bought 25 March 2026, two years
    assert "perdus" not in plain(answer)
    assert "support@allyzure.com" in opened  # where the photos and the proof of purchase go
    (claim,) = requests_of(shop, "AZ306104", LUCIE)
    assert claim.kind.value == "warranty_claim"
    assert claim.payload["skus"] == ["BG-OPALE-AG"]


def test_a_scratched_cuff_is_not_covered_by_the_warranty(chat, shop):
    chat.say("ma manchette est toute egratignee, c couvert par la garantie? az306105")
    answer = chat.say(CHLOE)

    assert "rayure" in plain(answer)
    assert "ne couvre pas" in plain(answer)
    assert "bonne nouvelle" not in plain(answer)
    assert requests_of(shop, "AZ306105", CHLOE) == ()


def test_a_lost_cuff_is_not_covered_by_the_warranty(chat, shop):
    chat.say("J'ai perdu ma manchette en vacances, est-ce que la garantie la remplace? AZ306105")
    answer = chat.say(CHLOE)

    assert "perdu" in plain(answer)
    assert "ne couvre pas" in plain(answer)
    assert "bonne nouvelle" not in plain(answer)
    assert requests_of(shop, "AZ306105", CHLOE) == ()


def test_promotional_earrings_have_no_warranty_but_a_free_defective_return(chat, shop):
    chat.say(
        "Bonjour, le fermoir de mes boucles d'oreilles cristal a lâché après trois jours. "
        "Est-ce garanti ? Commande AZ306111"
    )
    answer = chat.say(LUCIE)

    assert "promotion" in plain(answer)
    assert "bonne nouvelle" not in plain(answer)
    assert "20 décembre 2026" in answer  # delivered 20 November: a defective return, free
    assert requests_of(shop, "AZ306111", LUCIE) == ()


# --- Cancellation, address, tracking -------------------------------------------------------


def test_cancelling_the_chain_alone_refunds_the_chain_and_the_cuff_ships(chat, shop):
    chat.say("slt, peux tu annuler juste la chaine sur ma cmd AZ306106 stp")
    offer = chat.say(CHLOE)
    chat.say("oui")

    assert mentions(offer, CHAIN)
    assert not mentions(offer, CUFF)
    assert "90,83 $" in offer  # 79,00 + TPS 3,95 + TVQ 7,88; the shipping pays the cuff
    assert "26 novembre 2026" in offer  # placed at 9:00 today, 24 hours
    (request,) = requests_of(shop, "AZ306106", CHLOE)
    assert request.payload["skus"] == ["CH-FORCAT-PL"]
    assert request.payload["whole_order"] is False


def test_cancelling_an_order_keeps_the_engraved_medallion_and_refunds_the_earrings(chat, shop):
    chat.say("Bonjour, je souhaite annuler ma commande AZ306113, s'il vous plaît.")
    offer = chat.say(NATHALIE)
    chat.say("oui, je confirme")

    assert mentions(offer, ENGRAVED_MEDALLION)  # named as staying: personalised
    assert "182,81 $" in offer  # the earrings with taxes, the shipping still due
    assert "211,81 $" not in offer and "296,63 $" not in offer
    (request,) = requests_of(shop, "AZ306113", NATHALIE)
    assert request.payload["skus"] == ["BO-GOUTTE-10K"]


def test_an_address_given_in_the_first_message_is_confirmed_before_it_is_written(chat, shop):
    chat.say(
        "Bonjour, pourriez-vous livrer ma commande AZ306107 à ma nouvelle adresse : "
        "2250, boulevard Saint-Laurent, Ottawa (Ontario) K1G 6C5 ?"
    )
    shown = chat.say(AMELIE)
    before_yes = requests_of(shop, "AZ306107", AMELIE)
    chat.say("oui, c'est bien ça")

    assert "2250 boulevard Saint-Laurent" in shown or "2250, boulevard Saint-Laurent" in shown
    assert "K1G 6C5" in shown
    assert before_yes == ()
    (request,) = requests_of(shop, "AZ306107", AMELIE)
    assert request.payload["new_address"]["postal_code"] == "K1G 6C5"
    assert request.payload["new_address"]["city"] == "Ottawa"


def test_stop_ends_the_identification_and_the_next_question_is_answered(chat):
    asked = chat.say("Bonsoir, je voudrais faire un retour svp")
    loop_when_asked = chat.active_loop()
    stopped = chat.say("stop")
    loop_after_stop = chat.active_loop()
    then = chat.say("c'est quoi la garantie sur vos bijoux ?")

    assert "numero de commande" in plain(asked)
    assert loop_when_asked == "identification_form"
    assert loop_after_stop is None
    assert "numero de commande" not in plain(stopped)
    assert "2 ans" in then or "deux ans" in plain(then)
    assert chat.active_loop() is None


@pytest.mark.parametrize("farewell", ["bye", "merci c'est tout", "ok merci, bonne journée"])
def test_a_farewell_while_asked_for_the_order_number_ends_the_questions(chat, farewell):
    chat.say("je voudrais suivre ma commande")
    loop_when_asked = chat.active_loop()
    answer = chat.say(farewell)

    assert loop_when_asked == "identification_form"
    assert chat.active_loop() is None
    assert "numero de commande" not in plain(answer)


def test_a_shipped_parcel_is_tracked_with_its_carrier_and_number(chat):
    chat.say(
        "Bonjour, je me permets de vous écrire pour savoir où en est mon colis, "
        "commande AZ306109. Merci d'avance et meilleures salutations."
    )
    answer = chat.say(LUCIE)

    assert "Purolator" in answer
    assert "PUR306109009" in answer
    assert "27 novembre 2026" in answer  # estimated delivery


def test_an_address_change_after_shipping_is_refused_and_writes_nothing(chat, shop):
    chat.say("Salut, je déménage, vous pouvez changer l'adresse de ma commande AZ306109 ?")
    answer = chat.say(LUCIE)

    assert "Purolator" in answer
    assert "PUR306109009" in answer
    assert chat.active_loop() is None  # no new address asked for
    assert requests_of(shop, "AZ306109", LUCIE) == ()


def test_the_taxes_of_an_ontario_order_include_its_shipping(chat):
    chat.say("combien de taxes j'ai payé sur ma commande AZ306109 ?")
    answer = chat.say(LUCIE)

    assert "148,95 $" in answer  # the cuff 139,00 $ + shipping 9,95 $
    assert "19,36 $" in answer  # TVH 13 %
    assert "Ontario" in answer


# --- General questions -----------------------------------------------------------------------


def test_a_general_return_question_then_who_pays_then_no_thanks(chat):
    window = chat.say("Bonjour, combien de temps ai-je pour retourner un bijou ?")
    loop_after_window = chat.active_loop()
    who_pays = chat.say("et qui paie le retour ?")
    loop_after_who_pays = chat.active_loop()
    closing = chat.say("non merci")

    assert "30 jours" in window
    assert loop_after_window is None  # no order number asked for a general question
    assert "a votre charge" in plain(who_pays)
    assert "defectueux" in plain(who_pays)
    assert loop_after_who_pays is None
    assert chat.active_loop() is None
    assert "pas bien compris" not in plain(closing)
    assert "numero de commande" not in plain(closing)


# Written as failing scenarios (the product answered wrongly), fixed in the product since.


def test_a_confirmation_with_a_reason_returns_the_pendant_alone_as_offered(chat, shop):
    chat.say("je veux retourner juste le pendentif de ma commande AZ306115")
    offer = chat.say(CHLOE)
    chat.say("oui, elle ne me plaît pas")

    assert mentions(offer, PENDANT) and not mentions(offer, GOLD_EARRINGS)
    assert "136,82 $" in offer  # 119,00 + TPS 5,95 + TVQ 11,87
    (request,) = requests_of(shop, "AZ306115", CHLOE)
    assert request.payload["skus"] == ["PD-ETOILE-AG"]  # the earrings were never offered


def test_no_or_stop_leaves_the_address_form_and_writes_nothing(chat, shop):
    chat.say("Bonjour, je voudrais changer l'adresse de livraison de ma commande AZ306108")
    chat.say(NATHALIE)
    stopped = chat.say("stop")

    assert chat.active_loop() is None
    assert "code postal" not in plain(stopped)
    assert requests_of(shop, "AZ306108", NATHALIE) == ()


def test_a_polite_renvoyer_is_a_return_and_the_correction_is_understood(chat, shop):
    asked = chat.say(
        "Bonjour, je souhaiterais renvoyer le collier de ma commande AZ306116, s'il vous plaît"
    )
    chat.say(NATHALIE)
    corrected = chat.say("non, pas le collier, les boucles d'oreilles")

    assert "retourn" in plain(asked)  # « Je vérifie ce qui peut être retourné », not tracking
    assert mentions(corrected, GOLD_EARRINGS) and not mentions(corrected, PENDANT)
    assert "182,81 $" in corrected
    assert requests_of(shop, "AZ306116", NATHALIE) == ()


def test_i_do_not_want_to_cancel_just_change_the_address_is_no_cancellation(chat, shop):
    chat.say("je ne veux pas annuler ma commande AZ306107, je veux juste changer l'adresse")
    answer = chat.say(AMELIE)

    assert "234,98 $" not in answer  # the whole order's cancellation refund: not asked for
    assert "annulation" not in plain(answer)
    assert "adresse" in plain(answer)


def test_a_gift_card_and_a_promotional_piece_are_not_said_to_be_under_warranty(chat, shop):
    chat.say("ma carte cadeau est-elle couverte par la garantie ? AZ306110")
    answer = chat.say(CHLOE)

    assert "19 novembre 2028" not in answer  # no line of AZ306110 has the 2-year warranty
    assert mentions(answer, GIFT_CARD) or "carte-cadeau" in plain(answer)
    assert chat.active_loop() != "warranty_form"


def test_oui_merci_to_the_return_question_creates_the_return(chat, shop):
    chat.say("Bonjour, je voudrais retourner les boucles d'oreilles de ma commande AZ306117")
    offer = chat.say(NATHALIE)
    created = chat.say("oui, merci")

    assert "182,81 $" in offer
    assert "RA-" in created
    (request,) = requests_of(shop, "AZ306117", NATHALIE)
    assert request.payload["skus"] == ["BO-GOUTTE-10K"]
