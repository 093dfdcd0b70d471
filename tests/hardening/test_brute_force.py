"""Guessing the email of an order — or sweeping order numbers with one email, or trying many
pairs from one client — is stopped in a conversation and across conversations.

The order numbers and wrong emails tried here exist in no fixture and are new at each run, each
test is its own client, and the swept customer is this module's own: the suite's clock is
frozen, so failed checks never leave their window, and a demo order or email paused here would
stay paused for every later test.
"""

from __future__ import annotations

import os
import secrets
import subprocess
import sys
from pathlib import Path

import pytest
from hardening_client import new_client, new_sender, rest_send, texts
from support import FROZEN_NOW

from tools.model import PROJECT_ROOT

pytestmark = pytest.mark.slow

MARIE = "marie.tremblay@exemple.ca"
FAILED_CHECKS_LIMIT = 5  # backend/policy.yml identity_checks.failed_checks
CLIENT_FAILED_CHECKS_LIMIT = 20  # identity_checks.per_client.failed_checks
SWEEP_FIXTURE = Path(__file__).resolve().parents[1] / "fixtures" / "identity_sweep.yml"
SWEPT_EMAIL = "balthazar.sweep@exemple.ca"  # owns AZ770202 and AZ770206, nobody else uses it
PAUSED = "je ne peux pas faire cette vérification pour le moment"


def unknown_order_number() -> str:
    return f"AZ9{secrets.randbelow(100_000):05d}"


def unknown_email() -> str:
    """A new wrong email each time: an email that failed 5 times is paused for the run."""
    return f"devine-{secrets.token_hex(4)}@exemple.ca"


def guess(assistant, sender: str, client: dict, number: str, attempts: int) -> list[str]:
    """One conversation trying `attempts` wrong emails for `number`; the last answer."""
    answer = texts(rest_send(assistant, sender, f"où est ma commande {number} ?", client))
    for _attempt in range(attempts):
        message = f"{number} {unknown_email()}"
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

    assert joined(refused).startswith("Pour protéger les données de nos clients")
    assert PAUSED in joined(refused)
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


@pytest.fixture(scope="module")
def swept_customer(assistant) -> str:
    """A customer of its own in the running shop: the sweep pauses its email for the run."""
    env = {
        **os.environ,
        "ALLYZURE_DATABASE_URL": assistant.database_url,
        "ALLYZURE_NOW": FROZEN_NOW,
    }
    subprocess.run(
        [sys.executable, "-m", "backend", "load-fixtures", str(SWEEP_FIXTURE)],
        cwd=PROJECT_ROOT,
        env=env,
        check=True,
        capture_output=True,
    )
    return SWEPT_EMAIL


def test_sweeping_order_numbers_with_one_known_email_finds_none_of_its_orders(
    assistant, swept_customer
):
    """Issue 13, defect 6: « sweeping AZ104195–AZ104210 found both of that customer's orders
    in 32 requests ». The same sweep, each number in a new conversation from a new client."""
    answers = []
    for number in range(770195, 770211):
        sender, client = new_sender(), new_client()
        rest_send(assistant, sender, f"où est ma commande AZ{number} ?", client)
        answers.append(joined(texts(rest_send(assistant, sender, swept_customer, client))))

    assert not any("Balthazar" in answer for answer in answers)
    assert not any("AZ770202" in answer or "AZ770206" in answer for answer in answers)
    assert PAUSED in answers[-1]


def test_a_new_conversation_does_not_reset_the_email_limit(assistant, swept_customer):
    sender, client = new_sender(), new_client()
    for number in range(770180, 770180 + FAILED_CHECKS_LIMIT):  # paused, if not already
        rest_send(assistant, new_sender(), f"commande AZ{number} {swept_customer}", client)

    rest_send(assistant, sender, "où est ma commande AZ770206 ?", new_client())
    answer = joined(texts(rest_send(assistant, sender, swept_customer, new_client())))

    assert PAUSED in answer and "Balthazar" not in answer


def test_one_client_trying_many_pairs_in_new_conversations_is_paused(assistant):
    client, failures = new_client(), 0
    while failures < CLIENT_FAILED_CHECKS_LIMIT:  # 3 tries per conversation, new each time
        tries = min(3, CLIENT_FAILED_CHECKS_LIMIT - failures)
        guess(assistant, new_sender(), client, unknown_order_number(), tries)
        failures += tries

    same_client = joined(texts(rest_send(assistant, new_sender(), f"AZ104203 {MARIE}", client)))
    other_client = joined(
        texts(rest_send(assistant, new_sender(), f"AZ104203 {MARIE}", new_client()))
    )

    assert PAUSED in same_client and "Marie" not in same_client
    assert "Marie" in other_client
