"""Channels whose messages the HTTP guard cannot see (socket.io, Telegram) refuse over-long
ones themselves, with the guard's French answer, before the NLU runs."""

from __future__ import annotations

import asyncio

from rasa.core.channels.channel import CollectingOutputChannel, UserMessage

from server.channels.message_limit import refusing_long_messages
from server.http_guard import too_long_text


def deliver(text: str, limit: int) -> tuple[list[str], list[dict]]:
    """Pass one message through the limit; return (texts reaching the bot, replies sent)."""
    reached: list[str] = []

    async def on_new_message(message: UserMessage) -> None:
        reached.append(message.text)

    output = CollectingOutputChannel()
    handler = refusing_long_messages(on_new_message, limit)
    asyncio.run(handler(UserMessage(text, output, "customer-1")))
    return reached, output.messages


def test_a_message_within_the_limit_reaches_the_assistant_unchanged():
    reached, replies = deliver("é" * 20, limit=20)

    assert reached == ["é" * 20]
    assert replies == []


def test_an_over_long_message_gets_the_french_request_for_a_shorter_one_and_goes_no_further():
    reached, replies = deliver("bonjour " * 300, limit=2000)

    assert reached == []
    assert [(reply["recipient_id"], reply["text"]) for reply in replies] == [
        ("customer-1", too_long_text(2000))
    ]
    assert "2\u202f000 caractères" in replies[0]["text"]
