"""Rasa's generic callback channel end to end: a webhook in, every reply POSTed to CALLBACK_URL."""

from __future__ import annotations

import secrets

import pytest
import requests

pytestmark = pytest.mark.slow


def _sender() -> str:
    return f"callback-{secrets.token_hex(6)}"


def _post(channel_stack, sender: str, message: str) -> requests.Response:
    return requests.post(
        f"{channel_stack.rasa_url}/webhooks/callback/webhook",
        json={"sender": sender, "message": message},
        timeout=60,
    )


def test_greeting_reply_is_posted_to_the_callback_url_with_its_buttons(
    channel_stack, callback_receiver
):
    sender = _sender()

    response = _post(channel_stack, sender, "Bonjour")

    assert response.status_code == 200
    assert response.text == "success"
    [reply] = callback_receiver.wait_for(
        lambda r: isinstance(r.body, dict) and r.body.get("recipient_id") == sender
    )
    assert reply.path == "/callback"
    assert reply.headers.get("Content-Type", "").startswith("application/json")
    assert reply.body["text"].startswith("Bonjour")
    assert [button["title"] for button in reply.body["buttons"]] == [
        "Suivre ma commande",
        "Faire un retour",
        "Parler à un conseiller",
    ]


def test_each_reply_goes_to_its_own_conversation(channel_stack, callback_receiver):
    first, second = _sender(), _sender()

    _post(channel_stack, first, "Bonjour")
    _post(channel_stack, second, "est-ce que je parle à un robot ?")

    [to_second] = callback_receiver.wait_for(
        lambda r: isinstance(r.body, dict) and r.body.get("recipient_id") == second
    )
    assert "assistant virtuel" in to_second.body["text"]
    to_first = callback_receiver.matching(
        lambda r: isinstance(r.body, dict) and r.body.get("recipient_id") == first
    )
    assert [reply.body["text"][:7] for reply in to_first] == ["Bonjour"]
    assert channel_stack.user_texts(f"callback-{second}") == ["est-ce que je parle à un robot ?"]
