"""Agent-assist preview: the suggested reply and its facts, with no side effect at all."""

from __future__ import annotations

import pytest
import requests
import sqlalchemy

MARIE = "marie.tremblay@exemple.ca"


def preview(assistant, message: str, conversation_id: str | None = None, token=None):
    return requests.post(
        f"{assistant.rasa_url}/webhooks/agent/preview",
        json={"message": message, "conversation_id": conversation_id},
        headers={"Authorization": f"Bearer {token or assistant.agent_token}"},
        timeout=60,
    )


def customer_events(assistant, conversation_id: str) -> list[dict]:
    response = requests.get(
        f"{assistant.rasa_url}/conversations/{conversation_id}/tracker",
        params={"token": assistant.auth_token},
        timeout=30,
    )
    response.raise_for_status()
    return response.json()["events"]


@pytest.mark.parametrize("token", [None, "wrong-token"])
def test_preview_needs_the_agent_token(assistant, token):
    headers = {} if token is None else {"Authorization": f"Bearer {token}"}
    response = requests.post(
        f"{assistant.rasa_url}/webhooks/agent/preview",
        json={"message": "Bonjour"},
        headers=headers,
        timeout=30,
    )

    assert response.status_code == 401


def test_preview_of_a_new_message_suggests_the_reply_with_intent_and_entities(assistant):
    body = preview(assistant, "où est ma commande AZ104203 ?").json()

    assert body["intent"]["name"] == "track_order"
    order_numbers = [e["value"] for e in body["entities"] if e["entity"] == "order_number"]
    assert order_numbers == ["AZ104203"]
    assert any("courriel" in reply.get("text", "") for reply in body["suggested_replies"])


def test_preview_of_a_cancellation_confirmation_writes_nothing_and_leaves_the_conversation(
    assistant, sender_id, shop
):
    assistant.texts(sender_id, "je veux annuler ma commande AZ104299")
    assistant.texts(sender_id, MARIE)
    before = customer_events(assistant, sender_id)

    body = preview(assistant, "oui", conversation_id=sender_id).json()

    assert any("annulée" in reply.get("text", "") for reply in body["suggested_replies"])
    assert customer_events(assistant, sender_id) == before
    summary = shop.order_summary("AZ104299", MARIE)
    assert summary.status.value == "processing"
    assert summary.requests == ()


def test_preview_shows_the_facts_behind_the_answer(assistant, sender_id):
    assistant.texts(sender_id, "retour de ma commande AZ104204")
    assistant.texts(sender_id, "sophie.martin@exemple.com")

    body = preview(assistant, "je veux retourner ma commande", conversation_id=sender_id).json()

    facts = body["facts"][0]
    assert facts["order_number"] == "AZ104204"
    assert facts["reason"] == "within_return_window"
    assert facts["deadline"] == "2026-12-13"


def test_preview_refuses_an_empty_message(assistant):
    assert preview(assistant, "   ").status_code == 400


def test_a_preview_leaves_no_copy_of_the_conversation_in_the_tracker_store(assistant, sender_id):
    """Issue 13, defect 9: each preview stored a full `preview-…` copy of the customer's
    conversation in the tracker store, forever. The copy now lives in memory for the request."""
    assistant.texts(sender_id, "où est ma commande AZ104203 ?")
    assistant.texts(sender_id, MARIE)

    body = preview(assistant, "et mes points fidélité ?", conversation_id=sender_id).json()

    assert body["suggested_replies"]
    engine = sqlalchemy.create_engine(tracker_store_url(assistant))
    with engine.connect() as connection:
        stored = connection.execute(sqlalchemy.text("SELECT sender_id FROM events")).scalars()
        senders = set(stored)
    engine.dispose()
    assert sender_id in senders  # the store read is the conversations' own
    assert not any(sender.startswith("preview-") for sender in senders)


def tracker_store_url(assistant) -> str:
    """The conversations' store of the profile under test: SQLite by default, PostgreSQL in
    the production profile."""
    production = getattr(assistant.stack, "production", None)
    if production is not None:
        return production.tracker_database_url
    return f"sqlite:///{assistant.stack.config.tracker_db}"


def suggestion(assistant, conversation_id: str, token=None):
    return requests.post(
        f"{assistant.rasa_url}/webhooks/agent/suggestion",
        json={"conversation_id": conversation_id},
        headers={"Authorization": f"Bearer {token or assistant.agent_token}"},
        timeout=60,
    )


def test_the_suggestion_needs_the_agent_token(assistant, sender_id):
    assert suggestion(assistant, sender_id, token="wrong-token").status_code == 401


def test_a_paused_conversation_gets_a_suggestion_for_its_latest_message_and_stays_paused(
    assistant, sender_id
):
    assistant.texts(sender_id, "où est ma commande AZ104203")
    assistant.texts(sender_id, MARIE)
    requests.post(
        f"{assistant.rasa_url}/conversations/{sender_id}/tracker/events",
        params={"token": assistant.auth_token},
        json=[{"event": "pause"}],
        timeout=30,
    ).raise_for_status()
    assert assistant.texts(sender_id, "Et où est mon colis maintenant ?") == []
    before = customer_events(assistant, sender_id)

    body = suggestion(assistant, sender_id).json()

    assert body["message"] == "Et où est mon colis maintenant ?"
    assert body["intent"]["name"] == "track_order"
    assert "Postes Canada" in body["suggested_replies"][0]["text"]
    assert customer_events(assistant, sender_id) == before
