"""When a part of the production profile fails, the customer gets a polite French answer,
never silence or an error page, and the conversation works again once the part is back."""

from __future__ import annotations

import time

import pytest
from support import joined, shop_service_on

from .conftest import ACTION_TIMEOUT_S, crowd_order

TECHNICAL_PROBLEM = "problème technique"


@pytest.fixture
def shop(production, monkeypatch):
    """The backend service on the shop database (directly, not through the fault proxy)."""
    return shop_service_on(production.running.database_url, monkeypatch)


def test_every_action_server_down_gets_an_apology_and_the_next_message_works_again(
    production, conversation_id
):
    assistant, stack = production.running, production.stack
    number, email = crowd_order(2)
    stack.stop_services("actions-1", "actions-2")
    try:
        during = joined(assistant.texts(conversation_id, f"où en est ma commande {number} ?"))
    finally:
        stack.start_services("actions-1", "actions-2")
    after = joined(assistant.texts(conversation_id, f"où en est ma commande {number} ? {email}"))

    assert TECHNICAL_PROBLEM in during
    assert number in after
    assert "Livré" in after


def test_unreachable_shop_database_gets_an_apology_and_the_action_recovers(
    production, conversation_id
):
    assistant, database = production.running, production.shop_database
    number, email = crowd_order(3)
    question = f"où en est ma commande {number} ? mon courriel : {email}"
    database.cut()
    try:
        during = joined(assistant.texts(conversation_id, question))
    finally:
        database.restore()
    after = joined(assistant.texts(conversation_id, question))

    assert TECHNICAL_PROBLEM in during
    assert number in after
    assert "Livré" in after


def _wait_for_requests(shop, number: str, email: str, kind: str, timeout_s: float) -> int:
    """The number of `kind` requests once the slow write has landed (or the timeout)."""
    deadline = time.monotonic() + timeout_s
    while True:
        requests = shop.order_summary(number, email).requests
        count = [request.kind.value for request in requests].count(kind)
        if count or time.monotonic() > deadline:
            return count
        time.sleep(1)


def test_an_action_slower_than_its_timeout_apologises_and_the_retry_duplicates_nothing(
    production, conversation_id, shop
):
    assistant, database = production.running, production.shop_database
    number, email = crowd_order(4)
    request = f"je veux retourner ma commande {number} {email}"
    offer = joined(assistant.texts(conversation_id, request))
    database.slow(ACTION_TIMEOUT_S + 1)
    try:
        slow = joined(assistant.texts(conversation_id, "oui"))
    finally:
        database.restore()
    landed = _wait_for_requests(shop, number, email, "return", timeout_s=120)
    retried = joined(assistant.texts(conversation_id, "oui"))
    requests = shop.order_summary(number, email).requests

    assert "Souhaitez-vous" in offer
    assert TECHNICAL_PROBLEM in slow
    assert landed == 1
    assert f"RA-{number[2:]}" in retried
    assert [request.kind.value for request in requests].count("return") == 1


def test_after_a_timeout_the_message_sent_again_continues_the_pending_flow(
    production, conversation_id
):
    """Issue 19, defect 5: the apology said « Votre message est bien enregistré », but what the
    message belonged to (a return waiting for the identification) was dropped. The apology now
    asks for the message again, and the message sent again continues the return."""
    assistant, database = production.running, production.shop_database
    number, email = crowd_order(6)
    asked = joined(assistant.texts(conversation_id, f"je veux retourner ma commande {number}"))
    database.slow(ACTION_TIMEOUT_S + 1)
    try:
        apology = joined(assistant.texts(conversation_id, email))
    finally:
        database.restore()
    resent = joined(assistant.texts(conversation_id, email))
    created = joined(assistant.texts(conversation_id, "oui"))

    assert "courriel" in asked
    assert TECHNICAL_PROBLEM in apology
    assert "enregistré" not in apology
    assert "Renvoyez votre message" in apology
    assert number in resent
    assert "Souhaitez-vous" in resent  # the return offer: the pending flow went on
    assert f"RA-{number[2:]}" in created
