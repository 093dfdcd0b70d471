"""Order numbers, emails and promo codes come out normalised, whatever their shape."""

from __future__ import annotations

import pytest
from components.entities import extract_entities


def values(text: str, entity: str) -> list[str]:
    return [found.value for found in extract_entities(text) if found.entity == entity]


@pytest.mark.parametrize(
    "text",
    [
        "où est ma commande AZ104233 ?",
        "ma cmd az104233 svp",
        "c'est la AZ-104233",
        "commande #104233",
        "commande # 104233",
        "commande 104233 pas reçue",
        "numéro de commande : 104233",
        "104233",
        "AZ 104233 merci",
        "c'est la AZ-104-233",
        "az 104 233 svp",
        "AZ1O4233",  # a letter O typed for a zero
    ],
)
def test_order_number_is_normalised_to_az_and_six_digits(text):
    assert values(text, "order_number") == ["AZ104233"]


@pytest.mark.parametrize(
    "text",
    [
        "mon code postal est 10118",
        "suivi 7023456789012345 bloqué",
        "appelez le 514-555-1234",
        "AZ1042331 est faux",
        "commande 1042",
        "AZ14233",  # five digits
        "la référence RA-104233-01",
        "l'azote 104 233",
    ],
)
def test_numbers_that_are_not_order_numbers_are_ignored(text):
    assert values(text, "order_number") == []


def test_email_inside_a_sentence_is_found_in_lower_case():
    text = "mon courriel est Marie.Tremblay@Exemple.CA, merci"

    assert values(text, "email") == ["marie.tremblay@exemple.ca"]


def test_order_number_and_email_in_one_message_are_both_found_in_order():
    found = extract_entities("c'est la az-104233 et jdupont@exemple.fr")

    assert [(e.entity, e.value) for e in found] == [
        ("order_number", "AZ104233"),
        ("email", "jdupont@exemple.fr"),
    ]


def test_digits_inside_an_email_are_not_an_order_number():
    assert values("ecrivez a client104233@exemple.com", "order_number") == []


@pytest.mark.parametrize(
    ("text", "code"),
    [
        ("le code bienvenue10 marche pas", "BIENVENUE10"),
        ("FETES25 ne fonctionne pas", "FETES25"),
        ("code promo : noel2026", "NOEL2026"),
        ("j'ai un code rabais VIP15", "VIP15"),
    ],
)
def test_promo_code_is_found_in_upper_case(text, code):
    assert values(text, "promo_code") == [code]


def test_the_span_points_at_the_text_the_customer_wrote():
    text = "bonjour, commande az-104233"
    (found,) = extract_entities(text)

    assert text[found.start : found.end] == "az-104233"


@pytest.mark.parametrize("text", ["", "   ", "😀😀", "<script>alert(1)</script>", "' OR 1=1 --"])
def test_messages_without_identifiers_give_no_entity(text):
    assert extract_entities(text) == []


@pytest.mark.parametrize(
    ("text", "roles"),
    [
        ("j'ai 2 commandes, AZ104201 et AZ104203, annulez la première",
         [("AZ104201", None), ("AZ104203", "also")]),
        ("non, c'est la AZ104201 que je veux annuler, pas la AZ104203!",
         [("AZ104201", None), ("AZ104203", "excluded")]),
        ("pas la AZ104203, la AZ104201", [("AZ104203", "excluded"), ("AZ104201", None)]),
        ("AZ104201, je répète AZ104201", [("AZ104201", None), ("AZ104201", None)]),
        ("mon numéro de suivi marche pas AZ104202", [("AZ104202", None)]),
        # the one a request is asked for, wherever it stands
        ("je voudrais suivre AZ104203 et aussi savoir si je peux annuler AZ104201",
         [("AZ104203", "also"), ("AZ104201", None)]),
        ("où est rendue AZ104203, pas l'annuler! c'est AZ104201 que je veux annuler",
         [("AZ104203", "also"), ("AZ104201", None)]),
        ("AZ104201 et AZ104203. Je voudrais annuler la première",
         [("AZ104201", None), ("AZ104203", "also")]),
        ("c'est AZ104201 et non AZ104203", [("AZ104201", None), ("AZ104203", "excluded")]),
    ],
)  # fmt: skip
def test_of_several_order_numbers_the_first_not_turned_down_is_the_one(text, roles):
    found = [(e.value, e.role) for e in extract_entities(text) if e.entity == "order_number"]

    assert found == roles


def test_the_shops_own_address_in_a_pasted_email_is_not_the_customers():
    pasted = (
        "De : commandes@allyzure.com À : sophie.martin@exemple.com Objet : votre commande "
        "AZ104204 — écrivez à support@allyzure.com"
    )

    emails = [e.value for e in extract_entities(pasted) if e.entity == "email"]

    assert emails == ["sophie.martin@exemple.com"]
