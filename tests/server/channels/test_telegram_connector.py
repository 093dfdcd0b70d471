"""The Telegram connector's pieces without a Rasa server: secret check, update parsing, the
messages it builds, and what it does when the Bot API is down."""

from __future__ import annotations

import asyncio
import logging
from concurrent.futures import ThreadPoolExecutor

import pytest

from server.channels.telegram import (
    MAX_CALLBACK_DATA_BYTES,
    MAX_TEXT_LENGTH,
    TelegramBotApi,
    TelegramInput,
    TelegramOutput,
    inline_keyboard,
    parse_update,
    secret_matches,
    split_text,
)
from tools.launcher import free_port


def run(coroutine):
    """Run a coroutine on its own loop: the browser tests' Playwright may already run one
    in this thread when the whole suite runs in a single process."""
    with ThreadPoolExecutor(max_workers=1) as pool:
        return pool.submit(asyncio.run, coroutine).result()


@pytest.mark.parametrize(
    ("expected", "received", "accepted"),
    [
        ("s3cret-Token_1", "s3cret-Token_1", True),
        ("s3cret-Token_1", "s3cret-Token_2", False),
        ("s3cret-Token_1", "s3cret-Token_", False),
        ("s3cret-Token_1", None, False),
        ("s3cret-Token_1", "", False),
        ("", "", False),
        ("", None, False),
    ],
)
def test_secret_is_accepted_only_when_configured_and_identical(expected, received, accepted):
    assert secret_matches(expected, received) is accepted


def test_a_text_message_becomes_a_user_message_of_its_chat():
    update = {
        "update_id": 5,
        "message": {
            "chat": {"id": 42, "type": "private"},
            "from": {"id": 42, "language_code": "fr"},
            "text": "Où est ma commande AZ104233 ?",
        },
    }

    inbound = parse_update(update)

    assert inbound.chat_id == "42"
    assert inbound.text == "Où est ma commande AZ104233 ?"
    assert inbound.update_id == 5
    assert inbound.callback_query_id is None
    assert inbound.metadata["telegram"]["language_code"] == "fr"


def test_a_button_tap_becomes_a_user_message_carrying_the_payload():
    update = {
        "update_id": 6,
        "callback_query": {
            "id": "cbq-1",
            "from": {"id": 42},
            "message": {"chat": {"id": 42}},
            "data": "/return_item",
        },
    }

    inbound = parse_update(update)

    assert (inbound.chat_id, inbound.text, inbound.callback_query_id) == (
        "42",
        "/return_item",
        "cbq-1",
    )


@pytest.mark.parametrize("command", ["/start", "/start@AllyzureBot", "/start promo-noel"])
def test_opening_the_bot_is_a_greeting(command):
    update = {"update_id": 9, "message": {"chat": {"id": 42}, "text": command}}

    assert parse_update(update).text == "Bonjour"


def test_a_message_merely_starting_with_start_is_kept():
    update = {"update_id": 9, "message": {"chat": {"id": 42}, "text": "/started"}}

    assert parse_update(update).text == "/started"


@pytest.mark.parametrize(
    "update",
    [
        None,
        [],
        "Bonjour",
        {"update_id": 1},
        {"update_id": 1, "message": {"chat": {"id": 42}, "sticker": {"file_id": "x"}}},
        {"update_id": 1, "message": {"chat": {"id": 42}, "text": "   "}},
        {"update_id": 1, "message": {"text": "Bonjour"}},
        {"update_id": 1, "edited_message": {"chat": {"id": 42}, "text": "Bonjour"}},
        {"update_id": 1, "callback_query": {"id": "c", "message": {"chat": {"id": 42}}}},
    ],
    ids=[
        "null",
        "list",
        "string",
        "no-content",
        "sticker",
        "blank-text",
        "no-chat",
        "edited",
        "tap-without-data",
    ],
)
def test_updates_the_assistant_cannot_answer_are_ignored(update):
    assert parse_update(update) is None


def test_buttons_become_one_inline_button_per_row():
    keyboard = inline_keyboard(
        [{"title": "Faire un retour", "payload": "/return_item"}, {"title": "Oui", "payload": ""}]
    )

    assert keyboard == {
        "inline_keyboard": [
            [{"text": "Faire un retour", "callback_data": "/return_item"}],
            [{"text": "Oui", "callback_data": "Oui"}],
        ]
    }


def test_a_payload_over_the_callback_data_limit_is_replaced_by_the_title():
    payload = '/inform{"order_number": "AZ104233", "email": "marie.tremblay@exemple.ca"}'
    [[button]] = inline_keyboard([{"title": "Commande AZ104233", "payload": payload}])[
        "inline_keyboard"
    ]

    assert len(payload.encode()) > MAX_CALLBACK_DATA_BYTES
    assert button["callback_data"] == "Commande AZ104233"


def test_long_text_is_split_under_the_bot_api_limit_on_paragraphs():
    paragraphs = ["a" * 3000, "b" * 3000, "c" * 5000]

    chunks = split_text("\n\n".join(paragraphs))

    assert all(len(chunk) <= MAX_TEXT_LENGTH for chunk in chunks)
    assert "".join(chunks) == "".join(paragraphs)
    assert chunks[0] == "a" * 3000


def test_without_a_bot_token_the_channel_is_disabled():
    channel = TelegramInput.from_credentials({"bot_token": "", "secret_token": "x"})

    assert channel.enabled is False
    assert TelegramInput.from_credentials({"bot_token": "1:abc"}).enabled is True


def test_an_unreachable_bot_api_is_logged_without_raising_or_leaking_the_token(caplog):
    token = "987654:SECRET-token-value"
    api = TelegramBotApi(token, f"http://127.0.0.1:{free_port()}")  # nothing listens there
    output = TelegramOutput(api)

    with caplog.at_level(logging.ERROR, logger="channels.telegram"):
        run(
            output.send_text_with_buttons("42", "Bonjour", [{"title": "Oui", "payload": "/affirm"}])
        )

    assert "sendMessage failed" in caplog.text
    assert token not in caplog.text


def test_a_refusal_from_the_bot_api_is_logged(caplog, fake_telegram):
    api = TelegramBotApi("000:not-the-fake-apis-token", fake_telegram.url)

    with caplog.at_level(logging.ERROR, logger="channels.telegram"):
        result = run(api.call("sendMessage", {"chat_id": 42, "text": "Bonjour"}))

    assert result is None
    assert "sendMessage refused (HTTP 401): Unauthorized" in caplog.text


def test_replies_are_sent_as_plain_text_to_the_chat(fake_telegram):
    token = "123456789:TEST-allyzure-token"
    output = TelegramOutput(TelegramBotApi(token, fake_telegram.url))
    product = "<b>Bague</b> Éclat & <script>alert(1)</script>"

    run(output.send_text_message("4242", product))

    [sent] = fake_telegram.wait_for(
        lambda r: isinstance(r.body, dict) and r.body.get("chat_id") == "4242"
    )
    assert sent.path == f"/bot{token}/sendMessage"
    assert sent.body == {"chat_id": "4242", "text": product}
