"""The questions of a message that asks several (bot/components/questions.py)."""

from __future__ import annotations

import pytest
from components.questions import after_the_opener, folded, question_segments


@pytest.mark.parametrize(
    ("message", "questions"),
    [
        (
            "C'est quoi le délai de retour ? Et vous livrez en Belgique ?",
            ["C'est quoi le délai de retour ?", "Et vous livrez en Belgique ?"],
        ),
        (
            "combien de temps pour un échange et qui paie les frais de retour ?",
            ["combien de temps pour un échange", "qui paie les frais de retour ?"],
        ),
        (
            "slt c koi le delai de livraison pr la belgique? et les frais de douane?",
            ["slt c koi le delai de livraison pr la belgique?", "et les frais de douane?"],
        ),
        (
            "quel est le délai de retour\nvous avez des promos en ce moment ?",
            ["quel est le délai de retour", "vous avez des promos en ce moment ?"],
        ),
        (
            "bonjour c'est quoi le délai de retour, est-ce que la livraison est gratuite et "
            "vous acceptez paypal ?",
            [
                "bonjour c'est quoi le délai de retour",
                "est-ce que la livraison est gratuite",
                "vous acceptez paypal ?",
            ],
        ),
        (
            "Quel est le délai pour un échange, combien coûte le retour, vous livrez en Suisse ?",
            [
                "Quel est le délai pour un échange",
                "combien coûte le retour",
                "vous livrez en Suisse ?",
            ],
        ),
        (
            "La garantie dure combien de temps ? Est-ce qu’elle couvre les pierres ?",
            ["La garantie dure combien de temps ?", "Est-ce qu’elle couvre les pierres ?"],
        ),
    ],
)
def test_a_message_asking_several_things_is_cut_into_its_questions(message, questions):
    assert question_segments(message) == questions


@pytest.mark.parametrize(
    "message",
    [
        "Bonjour, j'ai commandé une bague. Vous livrez en Suisse ?",  # context, one question
        "Où est ma commande ? Elle devait arriver hier.",
        "je veux retourner la bague et le collier",  # one request, no question
        "bonjour ? merci ?",  # too short to be questions
        "C'est quoi le délai de retour ?",
        "Je peux retourner ma bague ? et échanger ?",  # the second is a follow-up of the first
        "Je préfère une bague, ou un collier ?",  # a choice, not a second question
        "si elle fait pas, je peux la retourner ?",  # a condition, not a question
        "Bonjour, quand arrive ma commande ?",  # a greeting, not a question
        "",
    ],
)
def test_a_message_asking_one_thing_has_no_questions_list(message):
    assert question_segments(message) == []


def test_folding_keeps_one_character_for_one():
    text = "Où ÊTES-vous ? L’été"

    assert folded(text) == "ou etes-vous ? l'ete"
    assert len(folded(text)) == len(text)


@pytest.mark.parametrize(
    ("message", "rest"),
    [
        ("Merci beaucoup ! Et vous livrez au Yukon ?", "Et vous livrez au Yukon ?"),
        ("Bonjour, livrez-vous en Belgique ?", "livrez-vous en Belgique ?"),
        ("ok merci. et la carte cadeau, elle expire?", "et la carte cadeau, elle expire?"),
        ("Non je veux que vous ouvriez une demande", "je veux que vous ouvriez une demande"),
        ("Allô! Où est ma commande ?", "Où est ma commande ?"),
        ("bonjour", None),
        ("merci beaucoup !", None),
        ("non merci bonne journée", None),  # what follows is too short to ask anything
        ("Bonne journée à vous", None),  # « bonne » opens no thanks nor greeting
        ("Où est ma commande ?", None),  # no opener
    ],
)
def test_what_follows_a_message_s_opening_thanks_greeting_yes_or_no(message, rest):
    assert after_the_opener(message) == rest
