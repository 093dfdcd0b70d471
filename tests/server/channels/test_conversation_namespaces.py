"""A conversation cannot be read from another channel (issue 13, defect 2).

A Telegram conversation used to be named after the chat id — the user's numeric Telegram id,
which is not secret — so a REST client naming that id read the verified customer's loyalty
points. Each channel now has its own namespace (server/widget_sessions.py): Telegram
``telegram-<chat id>``, callback ``callback-<sender>``; the REST channel refuses a sender in
another channel's namespace with a French 400 and a stable code.
"""

from __future__ import annotations

import pytest
import requests
from test_telegram_webhook import _chat_id, post_update, sent_to, text_update

pytestmark = pytest.mark.slow

MARIE = "marie.tremblay@exemple.ca"
LOYALTY_QUESTION = "je voudrais mes points fidélité"


def rest(stack, sender: str, message: str) -> requests.Response:
    return requests.post(
        f"{stack.rasa_url}/webhooks/rest/webhook",
        json={"sender": sender, "message": message},
        timeout=60,
    )


def rest_texts(stack, sender: str, message: str) -> str:
    response = rest(stack, sender, message)
    assert response.status_code == 200, response.text
    return " ".join(reply.get("text", "") for reply in response.json())


@pytest.fixture
def verified_telegram_chat(channel_stack, fake_telegram) -> int:
    """A Telegram user who identified as Marie (AZ104203, 1250 loyalty points)."""
    chat_id = _chat_id()
    for number, text in enumerate(["où est ma commande AZ104203 ?", MARIE], start=1):
        post_update(channel_stack, text_update(chat_id, text), channel_stack.telegram_secret)
        fake_telegram.wait_for(sent_to(channel_stack, chat_id), count=number)
    tracker = requests.get(
        f"{channel_stack.rasa_url}/conversations/telegram-{chat_id}/tracker",
        params={"token": channel_stack.auth_token},
        timeout=30,
    ).json()
    assert tracker["slots"]["verified_order"] == "AZ104203"
    return chat_id


def test_a_rest_client_naming_a_telegram_chat_id_reads_nothing_of_it(
    channel_stack, verified_telegram_chat
):
    answer = rest_texts(channel_stack, str(verified_telegram_chat), LOYALTY_QUESTION)

    assert "1250" not in answer and "1 250" not in answer.replace("\u202f", " ")


@pytest.mark.parametrize("prefix", ["telegram-", "callback-", "preview-"])
def test_a_rest_sender_in_another_channels_namespace_is_refused_in_french(
    channel_stack, verified_telegram_chat, prefix
):
    response = rest(channel_stack, f"{prefix}{verified_telegram_chat}", LOYALTY_QUESTION)

    assert response.status_code == 400
    assert response.json()["code"] == "reserved_sender"
    assert "autre canal" in response.json()["error"]


def test_a_rest_sender_shaped_like_a_widget_session_must_be_signed(channel_stack):
    forged = "web-" + "ab" * 16 + "-" + "cd" * 16

    response = rest(channel_stack, forged, "Bonjour")

    assert response.status_code == 400
    assert response.json()["code"] == "reserved_sender"


def test_a_callback_sender_naming_a_telegram_conversation_stays_in_its_own(
    channel_stack, verified_telegram_chat, callback_receiver
):
    sender = f"telegram-{verified_telegram_chat}"
    response = requests.post(
        f"{channel_stack.rasa_url}/webhooks/callback/webhook",
        json={"sender": sender, "message": LOYALTY_QUESTION},
        timeout=60,
    )

    assert response.status_code == 200
    replies = callback_receiver.wait_for(
        lambda r: isinstance(r.body, dict) and r.body.get("recipient_id") == sender
    )
    assert all("1250" not in reply.body.get("text", "") for reply in replies)
    assert channel_stack.user_texts(f"callback-{sender}") == [LOYALTY_QUESTION]


def test_any_other_rest_sender_is_still_accepted(channel_stack):
    """REST is the integration channel: its sender ids are the integrator's (SECURITY.md)."""
    for sender in ("client-42", "424242", "web", "Telegram 1", "ü-ñ"):
        assert rest_texts(channel_stack, sender, "Bonjour").startswith("Bonjour")
