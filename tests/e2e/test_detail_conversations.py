"""Conversations where a detail of the customer's words changes the answer (issue 16), over the
real REST channel: one line of two returned (also when the other is named in passing), a return
of an item that arrived broken (shipping paid by the shop), a negated loss still covered by the
warranty, an address checked and confirmed before the request is written, one line of two
cancelled (and, when the words fit two lines, the one chosen from the question), and a refund
asked for in the exchange flow offered as the return that gives it.

Orders: tests/fixtures/details_orders.yml (ALLYZURE_NOW = 25 November 2026, 12:00 Toronto).
"""

from __future__ import annotations

from support import joined

LEA = "lea.gagnon@exemple.ca"


def requests_of(shop, order_number: str):
    return shop.order_summary(order_number, LEA).requests


def test_returning_one_line_of_two_returns_and_refunds_that_line_only(assistant, sender_id, shop):
    assistant.texts(sender_id, "Je veux retourner seulement le bracelet de ma commande AZ104401")
    answer = joined(assistant.texts(sender_id, LEA))
    created = joined(assistant.texts(sender_id, '/affirm{"return_reason":"changed_mind"}'))

    assert "Bracelet jonc plaqué or" in answer
    assert "Bague Éclat" not in answer
    assert "148,32 $" in answer  # 129,00 $ with Québec's GST and QST, not the ring's 249,00 $
    assert "RA-" in created
    (request,) = requests_of(shop, "AZ104401")
    assert request.payload["skus"] == ["BR-JONC-OR"]


def test_a_piece_named_only_in_passing_is_not_returned(assistant, sender_id, shop):
    # the ring is named, but as a present the customer's mother loves: the bracelet is meant
    assistant.texts(
        sender_id,
        "Je veux retourner le bracelet de ma commande AZ104408. "
        "La bague Éclat, c'était pour ma mère, elle l'adore.",
    )
    answer = joined(assistant.texts(sender_id, LEA))

    assert "Bracelet jonc plaqué or" in answer
    assert "Bague Éclat" not in answer
    assert "148,32 $" in answer


def test_an_item_that_arrived_broken_is_returned_at_the_shops_expense(assistant, sender_id, shop):
    assistant.texts(sender_id, "ma bague est arrivée cassée, je veux la renvoyer : AZ104402")
    answer = joined(assistant.texts(sender_id, LEA))
    assistant.texts(sender_id, "oui")

    assert "Bague Éclat or 14 carats" in answer
    assert "Bracelet jonc" not in answer
    assert "nous prenons en charge les frais de retour" in answer
    (request,) = requests_of(shop, "AZ104402")
    assert request.payload["return_shipping_paid_by"] == "shop"
    assert request.payload["reason"] == "damaged"


def test_a_reason_given_with_the_order_number_is_kept(assistant, sender_id):
    # the order number once made the reason classifier sure that no reason was given
    assistant.texts(
        sender_id, "je veux retourner le bracelet de ma commande AZ104402, il est arrivé brisé"
    )
    answer = joined(assistant.texts(sender_id, LEA))

    assert "nous prenons en charge les frais de retour" in answer


def test_who_pays_after_a_broken_arrival_is_the_shop_as_just_said_not_the_general_rule(
    assistant, sender_id
):
    assistant.texts(sender_id, "ma bague est arrivée cassée, je veux la renvoyer : AZ104402")
    assistant.texts(sender_id, LEA)
    who_pays = joined(assistant.texts(sender_id, "et qui paie le retour ?"))

    assert "nous prenons en charge les frais de retour" in who_pays
    assert "à votre charge" not in who_pays


def test_a_denied_loss_is_not_read_as_a_loss_and_the_defect_is_covered(assistant, sender_id):
    assistant.texts(
        sender_id,
        "Garantie : je ne l'ai pas perdue, la pierre de ma bague s'est décrochée. "
        "Commande AZ104403",
    )
    answer = joined(assistant.texts(sender_id, LEA))

    assert "couvert" in answer
    assert "perdus" not in answer


def test_an_address_is_explained_checked_and_confirmed_before_it_is_written(
    assistant, sender_id, shop
):
    assistant.texts(sender_id, "Je voudrais changer l'adresse de livraison de ma commande AZ104404")
    asked = joined(assistant.texts(sender_id, LEA))
    not_an_address = joined(assistant.texts(sender_id, "je vous l'ai déjà donnée"))
    incomplete = joined(assistant.texts(sender_id, "55 rue Laurier"))
    shown = joined(assistant.texts(sender_id, "55, rue Laurier Ouest, Montréal (Québec) H2T 2N6"))
    before_yes = requests_of(shop, "AZ104404")
    recorded = joined(assistant.texts(sender_id, "oui"))

    assert "nouvelle adresse" in asked
    assert "code postal" in not_an_address
    assert "Il manque le code postal" in incomplete
    assert "55 rue Laurier Ouest, Montréal (QC) H2T 2N6" in shown
    assert before_yes == ()
    assert "55 rue Laurier Ouest" in recorded
    (request,) = requests_of(shop, "AZ104404")
    assert request.payload["new_address"]["postal_code"] == "H2T 2N6"
    assert request.payload["new_address"]["city"] == "Montréal"


def test_cancelling_one_named_line_cancels_it_alone_and_the_rest_ships(assistant, sender_id, shop):
    assistant.texts(sender_id, "J'aimerais annuler juste le bracelet de ma commande AZ104405")
    answer = joined(assistant.texts(sender_id, LEA))
    done = joined(assistant.texts(sender_id, "oui"))

    assert "Bracelet jonc plaqué or" in answer
    assert "Bague Éclat" not in answer
    assert "148,32 $" in answer  # 129,00 $ with Québec's taxes; the shipping still pays the ring
    assert "autres articles de la commande vous seront expédiés" in answer
    assert "« Bracelet jonc plaqué or » est annulé" in done
    assert "le reste de la commande vous sera expédié" in done
    (request,) = requests_of(shop, "AZ104405")
    assert request.payload["skus"] == ["BR-JONC-OR"]
    assert request.payload["whole_order"] is False


def test_a_refund_asked_for_in_the_exchange_flow_is_offered_as_the_return_that_gives_it(
    assistant, sender_id, shop
):
    assistant.texts(
        sender_id,
        "Je voudrais échanger le bracelet de ma commande AZ104406, mais je veux pas de "
        "remplacement, je veux être remboursée",
    )
    replies = assistant.send(sender_id, LEA)
    answer = joined(reply.get("text", "") for reply in replies)
    (button,) = (button for reply in replies for button in reply.get("buttons", []))
    return_offer = joined(assistant.texts(sender_id, button["payload"]))

    assert "c’est donc un retour qu’il vous faut, pas un échange" in answer
    assert "Le retour de « Bracelet jonc plaqué or » est possible" in answer
    assert "148,32 $" in answer
    assert "Bague Éclat" not in answer
    assert "demande d’échange" not in answer
    assert requests_of(shop, "AZ104406") == ()
    # The button opens the return of that line, the preference carried along.
    assert button["title"] == "Faire ce retour"
    assert "vous pouvez retourner « Bracelet jonc plaqué or »" in return_offer
    assert "Bague Éclat" not in return_offer
    assert "vous souhaitez un remboursement" in return_offer


def test_a_piece_that_fits_two_lines_is_asked_about_and_the_chosen_one_cancelled(
    assistant, sender_id, shop
):
    assistant.texts(sender_id, "Je voudrais annuler la bague de ma commande AZ104407")
    replies = assistant.send(sender_id, LEA)
    question = joined(reply.get("text", "") for reply in replies)
    buttons = {b["title"]: b["payload"] for reply in replies for b in reply.get("buttons", [])}
    offer = joined(assistant.texts(sender_id, buttons["Bague solitaire argent"]))
    assistant.texts(sender_id, "oui")

    assert "« Bague Éclat or 14 carats » ou « Bague solitaire argent »" in question
    assert "L’annulation concerne « Bague solitaire argent »" in offer
    assert "Bague Éclat" not in offer
    (request,) = requests_of(shop, "AZ104407")
    assert request.payload["skus"] == ["BG-SOLITAIRE-AG"]


def test_a_piece_the_order_lacks_writes_nothing_and_the_correction_continues_the_return(
    assistant, sender_id, shop
):
    assistant.texts(sender_id, "je veux retourner un article de ma commande AZ104406")
    assistant.texts(sender_id, LEA)
    lacking = joined(assistant.texts(sender_id, "ma blonde aime pas le collier"))
    corrected = joined(assistant.texts(sender_id, "ah non le bracelet, elle l'aime pas"))

    assert "je n’y vois pas l’article" in lacking
    assert requests_of(shop, "AZ104406") == ()
    assert "Bracelet jonc plaqué or" in corrected
    assert "Bague Éclat" not in corrected
    assert "Au plaisir" not in corrected  # the « non » did not end the conversation


def test_a_second_request_of_the_same_message_is_offered_once_the_first_is_done(
    assistant, sender_id, shop
):
    assistant.texts(
        sender_id,
        "Je veux retourner le bracelet de ma commande AZ104409 et aussi savoir où en est "
        "mon solde de points",
    )
    first = joined(assistant.texts(sender_id, LEA))
    second = joined(assistant.texts(sender_id, "oui"))
    created = joined(assistant.texts(sender_id, '/affirm{"return_reason":"changed_mind"}'))

    # one request answered, the other offered rather than lost
    assert "points" in first
    assert "retourner un article" in first
    assert "Bracelet jonc plaqué or" in second
    assert "Bague Éclat" not in second
    assert "RA-" in created
    assert "Vous vouliez aussi" not in second + created  # offered once
    assert len(requests_of(shop, "AZ104409")) == 1
