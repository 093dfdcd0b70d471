"""Customers ask in French and get the facts of *their* order, over the real REST channel.

The stack runs with ALLYZURE_NOW = 25 November 2026, 12:00 (Toronto) and the demo shop
(backend/fixture_data/demo.yml), so every date below follows from the fixture's relative dates.
"""

from __future__ import annotations

import pytest
from support import joined

MARIE = "marie.tremblay@exemple.ca"
SOPHIE = "sophie.martin@exemple.com"
JULIEN = "jdupont@exemple.fr"


def conversation(assistant, sender: str, *messages: str) -> list[str]:
    """Send the messages in order; return the texts of the last answer."""
    texts: list[str] = []
    for message in messages:
        texts = assistant.texts(sender, message)
    return texts


def test_identification_asks_for_the_email_then_tracks_the_shipped_order(assistant, sender_id):
    first = joined(assistant.texts(sender_id, "bonjour, où en est ma commande AZ104203 ?"))
    answer = joined(assistant.texts(sender_id, MARIE))

    assert "courriel" in first
    assert "Marie" in answer
    assert "Expédié" in answer
    assert "Postes Canada" in answer
    assert "7023456789012345" in answer
    assert "26 novembre 2026" in answer  # estimated delivery: today + 1 day


def test_order_number_and_email_in_one_message_are_enough(assistant, sender_id):
    answer = joined(assistant.texts(sender_id, f"ma cmd az-104201 svp, mon courriel {MARIE}"))

    assert "AZ104201" in answer
    assert "Traitement" in answer


def test_a_wrong_email_reveals_nothing_about_the_order(assistant, sender_id):
    assistant.texts(sender_id, "où est ma commande AZ104203")
    answer = joined(assistant.texts(sender_id, SOPHIE))

    assert "aucune commande" in answer
    assert "Postes Canada" not in answer
    assert "Marie" not in answer


def test_three_failed_lookups_stop_the_lookups_and_offer_a_human(assistant, sender_id):
    assistant.texts(sender_id, "où est ma commande AZ104203")
    for wrong in ("a@exemple.ca", "b@exemple.ca"):
        assistant.texts(sender_id, wrong)
        assistant.texts(sender_id, "AZ104203")
    locked = joined(assistant.texts(sender_id, "c@exemple.ca"))
    after = joined(assistant.texts(sender_id, f"où est ma commande AZ104203 ? {MARIE}"))

    assert "trois tentatives" in locked
    assert "Postes Canada" not in after
    assert "trois tentatives" in after


def test_return_lists_the_deadline_and_excludes_the_gift_card_then_gives_one_ra(
    assistant, sender_id, shop
):
    eligibility = joined(
        conversation(assistant, sender_id, "je voudrais retourner ma commande AZ104204", SOPHIE)
    )
    created = joined(assistant.texts(sender_id, "oui"))
    asked_again = joined(assistant.texts(sender_id, "je veux faire un retour"))

    assert "13 décembre 2026" in eligibility  # delivered 13 November + 30 days
    assert "Boucles d’oreilles perles d’eau douce" in eligibility
    assert "Carte-cadeau électronique" in eligibility  # named as excluded
    assert "75,12 $ US" in eligibility  # 69,00 $ US and New York's sales tax on it
    assert "RA-104204" in created
    reference = next(word for word in created.split() if word.startswith("RA-104204"))
    assert reference.rstrip(".,") in asked_again  # the RA already open, not a new offer
    assert "Souhaitez-vous que je crée" not in asked_again
    requests = shop.order_summary("AZ104204", SOPHIE).requests
    assert [r.kind.value for r in requests].count("return") == 1


def test_holiday_order_return_window_ended_on_january_31(assistant, sender_id):
    answer = joined(conversation(assistant, sender_id, "retour commande AZ098765", SOPHIE))

    assert "31 janvier 2025" in answer


def test_cancellation_within_24_hours_cancels_but_keeps_the_engraved_line(
    assistant, sender_id, shop
):
    offer = joined(
        conversation(assistant, sender_id, "je veux annuler ma commande AZ104201", MARIE)
    )
    done = joined(assistant.texts(sender_id, "oui"))

    assert "Bracelet jonc plaqué or" in offer
    assert "Collier prénom en argent" in offer  # personalised: stays
    assert "« Bracelet jonc plaqué or » est annulé" in done
    assert "personnalisés suivent leur cours" in done
    lines = shop.order_summary("AZ104201", MARIE).lines
    assert {line.name: line.cancelled for line in lines} == {
        "Bracelet jonc plaqué or": True,
        "Collier prénom en argent": False,
    }


def test_cancellation_after_24_hours_says_when_the_window_closed(assistant, sender_id, shop):
    answer = joined(conversation(assistant, sender_id, "annuler la commande AZ104202", JULIEN))

    assert "24 heures" in answer
    assert "25 novembre 2026" in answer  # placed 30 hours ago: closed 6 hours ago
    assert shop.order_summary("AZ104202", JULIEN).status.value == "processing"


def test_tax_breakdown_of_a_quebec_order_shows_tps_and_tvq(assistant, sender_id):
    answer = joined(
        conversation(assistant, sender_id, "les taxes de ma commande AZ104201 ?", MARIE)
    )

    assert "TPS 5 %" in answer
    assert "TVQ 9,975 %" in answer


def test_general_tax_question_needs_no_identification(assistant, sender_id):
    answer = joined(assistant.texts(sender_id, "comment sont calculées les taxes ?"))

    assert "TPS" in answer
    assert "courriel" not in answer


@pytest.mark.parametrize(
    ("code", "expected"),
    [("FETES25", "pas encore actif"), ("ETE15", "expiré"), ("ZZZ99", "aucun code")],
)
def test_promo_code_problems_are_explained(assistant, sender_id, code, expected):
    answer = joined(assistant.texts(sender_id, f"le code {code} ne fonctionne pas"))

    assert code in answer
    assert expected in answer


def test_loyalty_balance_of_the_verified_customer(assistant, sender_id):
    answer = joined(
        conversation(assistant, sender_id, "combien de points fidélité j'ai ?", "AZ104203", MARIE)
    )

    assert "1250" in answer.replace(" ", "")


def test_two_misunderstandings_in_a_row_offer_a_human(assistant, sender_id):
    first = assistant.send(sender_id, "blorf zgrunt kwax")
    second = assistant.send(sender_id, "xqzv plimb drox")

    assert "désolé" in joined([m.get("text", "") for m in first])
    assert not any(m.get("buttons") for m in first)
    assert any(m.get("buttons") for m in second)
    assert "équipe" in joined([m.get("text", "") for m in second])


@pytest.mark.parametrize(
    "message",
    ["", "   ", "😀🙏💍", "<script>alert('x')</script>", "'; DROP TABLE orders; --", "a" * 20_000],
)
def test_bad_input_gets_a_polite_french_answer(assistant, sender_id, message):
    replies = assistant.send(sender_id, message)

    assert replies, "the assistant stayed silent"
    assert all("text" in reply for reply in replies)


def test_a_general_question_during_identification_is_answered_then_the_number_resumes_the_flow(
    assistant, sender_id
):
    assistant.texts(sender_id, "où est ma commande ?")
    digression = joined(assistant.texts(sender_id, "au fait, que veut dire le statut Expédié ?"))
    resumed = joined(assistant.texts(sender_id, "AZ104203"))
    answer = joined(assistant.texts(sender_id, MARIE))

    assert "Expédié" in digression
    assert "j’ai besoin de son numéro" not in digression  # answered, not asked again at once
    assert "courriel" in resumed
    assert "Postes Canada" in answer


def test_saying_no_during_identification_leaves_the_form(assistant, sender_id):
    assistant.texts(sender_id, "je veux suivre ma commande")
    stopped = joined(assistant.texts(sender_id, "non laisse tomber"))
    after = joined(assistant.texts(sender_id, "merci"))

    assert "j’arrête" in stopped
    assert "Avec plaisir" in after


def test_a_verified_customer_can_switch_to_another_of_their_orders(assistant, sender_id):
    conversation(assistant, sender_id, "où est ma commande AZ104203", MARIE)
    other = joined(assistant.texts(sender_id, "et la commande AZ104201 ?"))

    assert "AZ104201" in other
    assert "Traitement" in other
    assert "adresse courriel utilisée" not in other  # same customer: the email is reused


def test_a_handoff_stores_a_summary_for_the_agents(assistant, sender_id, shop):
    conversation(assistant, sender_id, "où est ma commande AZ104203", MARIE)
    answer = joined(assistant.texts(sender_id, "je veux parler à un humain"))

    assert "AG-" in answer
    handoffs = [
        r for r in shop.order_summary("AZ104203", MARIE).requests if r.kind.value == "handoff"
    ]
    assert handoffs
    assert "track_order" in str(handoffs[-1].payload)


def test_two_concurrent_conversations_never_mix_customers(assistant):
    from concurrent.futures import ThreadPoolExecutor

    def track(sender: str, order_number: str, email: str) -> str:
        return joined(conversation(assistant, sender, f"où est ma commande {order_number}", email))

    with ThreadPoolExecutor(max_workers=2) as pool:
        marie = pool.submit(track, "concurrent-marie", "AZ104203", MARIE)
        sophie = pool.submit(track, "concurrent-sophie", "AZ104204", SOPHIE)
        marie_answer, sophie_answer = marie.result(), sophie.result()

    assert "Marie" in marie_answer and "Postes Canada" in marie_answer
    assert "Sophie" in sophie_answer and "UPS" in sophie_answer
    assert "Sophie" not in marie_answer and "UPS" not in marie_answer
    assert "Marie" not in sophie_answer and "Postes Canada" not in sophie_answer


def test_exchange_after_thirty_days_gives_the_date_the_window_closed(assistant, sender_id):
    answer = joined(
        conversation(assistant, sender_id, "je voudrais échanger ma commande AZ104205", JULIEN)
    )

    assert "délai d’échange" in answer
    assert "9 novembre 2026" in answer  # placed on 10 October: the 30th day is 9 November


def test_address_change_while_processing_is_recorded_as_best_effort(assistant, sender_id, shop):
    asked = joined(
        conversation(
            assistant, sender_id, "je dois changer l'adresse de la commande AZ104201", MARIE
        )
    )
    shown = joined(assistant.texts(sender_id, "4500 rue Saint-Denis, Montréal QC H2J 2L3"))
    recorded = joined(assistant.texts(sender_id, "oui"))  # confirmed first (issue 16)

    assert "sans pouvoir garantir" in asked
    assert "4500 rue Saint-Denis, Montréal (QC) H2J 2L3" in shown
    assert "AD-104201" in recorded
    kinds = [r.kind.value for r in shop.order_summary("AZ104201", MARIE).requests]
    assert "address_change" in kinds


def test_address_change_after_shipping_points_to_the_carrier(assistant, sender_id):
    answer = joined(conversation(assistant, sender_id, "changer l'adresse AZ104206", JULIEN))

    assert "Postes Canada" in answer
    assert "CP123456789CA" in answer


def test_a_broken_clasp_is_covered_by_the_warranty_and_a_claim_is_opened(assistant, sender_id):
    conversation(assistant, sender_id, "le fermoir de mon bracelet est cassé, commande AZ104205")
    covered = joined(assistant.texts(sender_id, JULIEN))
    opened = joined(assistant.texts(sender_id, "oui"))

    assert "garantie de 2 ans" in covered
    assert "GA-104205" in opened
    assert "photos" in opened


def test_a_defect_on_a_promotional_piece_is_offered_as_a_free_defective_return(
    assistant, sender_id
):
    assistant.texts(sender_id, "une perle de mes boucles d'oreilles s'est décollée, AZ104204")
    refused = joined(assistant.texts(sender_id, SOPHIE))
    offered = joined(assistant.texts(sender_id, "oui"))

    assert "article promotionnel" in refused
    assert "comme article défectueux" in refused
    assert "nous prenons en charge les frais de retour" in offered


def test_scratches_are_not_covered_by_the_warranty(assistant, sender_id):
    answer = joined(
        assistant.texts(
            sender_id,
            f"mon bracelet est tout rayé, c'est couvert par la garantie ? AZ104205 {JULIEN}",
        )
    )

    assert "ne couvre pas les rayures" in answer  # the cause is read from the message itself
    assert "Que s’est-il passé" not in answer


def test_the_warranty_asks_what_happened_when_the_message_does_not_say(assistant, sender_id):
    # AZ098765: AZ104205 has a claim open from another test, which is named instead
    asked = joined(
        conversation(assistant, sender_id, "problème de garantie sur la commande AZ098765", SOPHIE)
    )
    answer = joined(assistant.texts(sender_id, '/inform{"warranty_cause":"loss"}'))

    assert "Que s’est-il passé" in asked
    assert "perdus" in answer


def test_wrong_item_opens_a_shop_paid_return_case(assistant, sender_id):
    # AZ104205: the earrings of AZ104204 have a return open from another test, and one piece
    # gets one outcome (docs/policy-decisions.md)
    apology = joined(
        conversation(assistant, sender_id, f"j'ai reçu le mauvais article AZ104205 {JULIEN}")
    )
    opened = joined(assistant.texts(sender_id, "oui"))

    assert "frais de retour" in apology
    assert "accéléré" in apology
    assert "AE-104205" in opened


def test_a_parcel_marked_delivered_gives_the_carrier_date_and_opens_a_case(
    assistant, sender_id, shop
):
    # Another test of this stack may have opened a return of AZ104204's earrings: a parcel
    # said never received is then no case of its own, the open request is named instead
    # (docs/policy-decisions.md, one outcome per piece).
    in_hand = [
        r.reference
        for r in shop.order_summary("AZ104204", SOPHIE).requests
        if r.status.value == "open" and r.kind.value in {"return", "exchange", "wrong_item"}
    ]
    facts = joined(
        conversation(
            assistant, sender_id, "mon colis est marqué livré mais rien reçu AZ104204", SOPHIE
        )
    )
    opened = joined(assistant.texts(sender_id, "oui"))

    assert "UPS" in facts
    assert "13 novembre 2026" in facts
    if in_hand:
        assert in_hand[0] in opened and "CM-104204" not in opened
    else:
        assert "CM-104204" in opened


def test_tracking_problem_on_a_processing_order_explains_there_is_no_tracking_yet(
    assistant, sender_id
):
    answer = joined(
        conversation(assistant, sender_id, "mon numéro de suivi marche pas AZ104202", JULIEN)
    )

    assert "suivi n’existe pas encore" in answer


def test_active_promotions_come_from_the_database(assistant, sender_id):
    answer = joined(assistant.texts(sender_id, "vous avez des promos en ce moment ?"))

    assert "BIENVENUE10" in answer
    assert "Vente éclair" in answer
    assert "ETE15" not in answer  # expired
