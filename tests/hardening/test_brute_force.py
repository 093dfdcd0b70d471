"""Guessing the email of an order is stopped in a conversation and across conversations.

The order numbers tried here exist in no fixture and are new at each run: the suite's clock
is frozen, so failed checks never leave the window, and a demo order paused here would stay
paused for every later test.
"""

from __future__ import annotations

import secrets

import pytest
from hardening_client import new_client, new_sender, rest_send, texts

pytestmark = pytest.mark.slow

MARIE = "marie.tremblay@exemple.ca"
FAILED_CHECKS_LIMIT = 5  # backend/policy.yml identity_checks.failed_checks


def unknown_order_number() -> str:
    return f"AZ9{secrets.randbelow(100_000):05d}"


def guess(assistant, sender: str, client: dict, number: str, attempts: int) -> list[str]:
    """One conversation trying `attempts` wrong emails for `number`; the last answer."""
    answer = texts(rest_send(assistant, sender, f"où est ma commande {number} ?", client))
    for attempt in range(attempts):
        message = f"{number} devine{attempt}@exemple.ca"
        answer = texts(rest_send(assistant, sender, message, client))
    return answer


def joined(answer: list[str]) -> str:
    return " ".join(answer)


def test_a_conversation_stops_looking_up_after_three_failures(assistant):
    sender, client = new_sender(), new_client()

    locked = joined(guess(assistant, sender, client, unknown_order_number(), 3))
    after = joined(texts(rest_send(assistant, sender, f"commande AZ104203 {MARIE}", client)))

    assert "trois tentatives" in locked
    assert "Postes Canada" not in after and "Marie" not in after
    assert "trois tentatives" in after


def test_new_conversations_get_no_new_tries_once_the_order_number_failed_five_times(
    assistant,
):
    number, client = unknown_order_number(), new_client()
    guess(assistant, new_sender(), client, number, 3)
    guess(assistant, new_sender(), client, number, FAILED_CHECKS_LIMIT - 3)

    refused = guess(assistant, new_sender(), client, number, 1)

    assert joined(refused).startswith("Je suis désolé, un problème technique")
    assert "réessayer dans quelques minutes" in joined(refused)
    assert "aucune commande" not in joined(refused)


def test_a_paused_order_number_answers_exactly_like_any_other_paused_number(assistant):
    answers = []
    for number in (unknown_order_number(), unknown_order_number()):
        guess(assistant, new_sender(), new_client(), number, FAILED_CHECKS_LIMIT - 2)
        guess(assistant, new_sender(), new_client(), number, 2)
        answers.append(guess(assistant, new_sender(), new_client(), number, 1))

    assert answers[0] == answers[1]


def test_a_paused_check_offers_a_human_and_the_conversation_goes_on(assistant):
    number = unknown_order_number()
    for _ in range(FAILED_CHECKS_LIMIT):
        guess(assistant, new_sender(), new_client(), number, 1)
    sender, client = new_sender(), new_client()
    guess(assistant, sender, client, number, 1)

    handoff = joined(texts(rest_send(assistant, sender, "oui", client)))
    greeting = joined(texts(rest_send(assistant, sender, "Bonjour", client)))

    assert "équipe" in handoff
    assert greeting.startswith("Bonjour")
