"""The Telegram connector end to end: updates posted to the real Rasa server's webhook, replies
captured by a local server standing in for the Bot API (tests/server/channels/conftest.py)."""

from __future__ import annotations

import itertools
import secrets

import pytest
import requests

pytestmark = pytest.mark.slow

SECRET_HEADER = "X-Telegram-Bot-Api-Secret-Token"
_update_ids = itertools.count(10_000 + secrets.randbelow(1_000_000))


def _chat_id() -> int:
    return 100_000_000 + secrets.randbelow(800_000_000)


def text_update(chat_id: int, text: str, update_id: int | None = None) -> dict:
    return {
        "update_id": next(_update_ids) if update_id is None else update_id,
        "message": {
            "message_id": 7,
            "date": 1_764_000_000,
            "from": {"id": chat_id, "is_bot": False, "first_name": "Marie", "language_code": "fr"},
            "chat": {"id": chat_id, "type": "private", "first_name": "Marie"},
            "text": text,
        },
    }


def button_update(chat_id: int, data: str) -> dict:
    return {
        "update_id": next(_update_ids),
        "callback_query": {
            "id": f"cbq-{secrets.token_hex(4)}",
            "from": {"id": chat_id, "is_bot": False, "first_name": "Marie"},
            "message": {"message_id": 8, "date": 1_764_000_000, "chat": {"id": chat_id}},
            "chat_instance": "42",
            "data": data,
        },
    }


def post_update(stack, update: dict, secret: str | None) -> requests.Response:
    headers = {} if secret is None else {SECRET_HEADER: secret}
    return requests.post(
        f"{stack.rasa_url}/webhooks/telegram/webhook", json=update, headers=headers, timeout=60
    )


def sent_to(stack, chat_id: int, method: str = "sendMessage"):
    return lambda r: (
        r.path == f"/bot{stack.telegram_token}/{method}"
        and isinstance(r.body, dict)
        and str(r.body.get("chat_id")) == str(chat_id)
    )


def test_update_with_the_right_secret_is_answered_with_an_inline_keyboard(
    channel_stack, fake_telegram
):
    chat_id = _chat_id()

    response = post_update(
        channel_stack, text_update(chat_id, "Bonjour"), channel_stack.telegram_secret
    )

    assert response.status_code == 200
    [reply] = fake_telegram.wait_for(sent_to(channel_stack, chat_id))
    assert reply.body["text"].startswith("Bonjour")
    assert "parse_mode" not in reply.body  # plain text: nothing is interpreted as markup
    keyboard = reply.body["reply_markup"]["inline_keyboard"]
    assert [[(b["text"], b["callback_data"]) for b in row] for row in keyboard] == [
        [("Suivre ma commande", "/track_order")],
        [("Faire un retour", "/return_item")],
        [("Parler à un conseiller", "/human_handoff")],
    ]


FORGERIES = {
    "missing": lambda secret: None,
    "empty": lambda secret: "",
    "wrong": lambda secret: "wrong-secret",
    "prefix": lambda secret: secret[:-1],
    "longer": lambda secret: secret + "x",
    "other-case": lambda secret: secret.swapcase(),
}


@pytest.mark.parametrize("forge", FORGERIES.values(), ids=FORGERIES.keys())
def test_update_without_the_right_secret_is_refused_and_never_reaches_the_assistant(
    channel_stack, fake_telegram, forge
):
    chat_id = _chat_id()

    response = post_update(
        channel_stack, text_update(chat_id, "Bonjour"), forge(channel_stack.telegram_secret)
    )

    assert response.status_code == 403
    assert channel_stack.user_texts(f"telegram-{chat_id}") == []
    assert fake_telegram.matching(sent_to(channel_stack, chat_id)) == []


def test_button_tap_is_handled_as_its_payload_and_acknowledged(channel_stack, fake_telegram):
    chat_id = _chat_id()
    update = button_update(chat_id, "/track_order")

    response = post_update(channel_stack, update, channel_stack.telegram_secret)

    assert response.status_code == 200
    [acknowledged] = fake_telegram.wait_for(
        lambda r: r.path.endswith("/answerCallbackQuery")
        and r.body.get("callback_query_id") == update["callback_query"]["id"]
    )
    assert acknowledged.path == f"/bot{channel_stack.telegram_token}/answerCallbackQuery"
    assert fake_telegram.wait_for(sent_to(channel_stack, chat_id))
    assert channel_stack.latest_intent(f"telegram-{chat_id}") == "track_order"


def test_a_redelivered_update_is_answered_once(channel_stack, fake_telegram):
    chat_id = _chat_id()
    update = text_update(chat_id, "Bonjour")

    first = post_update(channel_stack, update, channel_stack.telegram_secret)
    second = post_update(channel_stack, update, channel_stack.telegram_secret)

    assert (first.status_code, second.status_code) == (200, 200)
    assert channel_stack.user_texts(f"telegram-{chat_id}") == ["Bonjour"]
    assert len(fake_telegram.matching(sent_to(channel_stack, chat_id))) == 1


def test_an_update_without_text_is_acknowledged_and_ignored(channel_stack, fake_telegram):
    chat_id = _chat_id()
    sticker = text_update(chat_id, "")
    del sticker["message"]["text"]
    sticker["message"]["sticker"] = {"file_id": "abc", "emoji": "💍"}

    response = post_update(channel_stack, sticker, channel_stack.telegram_secret)

    assert response.status_code == 200
    assert channel_stack.user_texts(f"telegram-{chat_id}") == []
    assert fake_telegram.matching(sent_to(channel_stack, chat_id)) == []


def test_the_conversation_goes_on_after_the_bot_api_was_down(channel_stack, fake_telegram):
    down_chat, later_chat = _chat_id(), _chat_id()

    fake_telegram.stop()
    try:
        during_outage = post_update(
            channel_stack, text_update(down_chat, "Bonjour"), channel_stack.telegram_secret
        )
    finally:
        fake_telegram.start()
    after_outage = post_update(
        channel_stack, text_update(later_chat, "Bonjour"), channel_stack.telegram_secret
    )

    assert during_outage.status_code == 200
    assert channel_stack.user_texts(f"telegram-{down_chat}") == ["Bonjour"]
    assert after_outage.status_code == 200
    assert fake_telegram.wait_for(sent_to(channel_stack, later_chat))
