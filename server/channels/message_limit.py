"""The HTTP guard's message-length limit, for channels whose messages it cannot see.

server/http_guard.py refuses an over-long message in the JSON body of the REST and callback
webhooks before the NLU runs. A socket.io message arrives inside socket.io's own framing and a
Telegram message inside a Telegram update: the connector is the first place that sees the
text, so it applies the same limit (`ALLYZURE_MAX_MESSAGE_CHARS`) with the same French answer.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Any

from rasa.core.channels.channel import UserMessage

from server.http_guard import max_message_chars, too_long_text

MessageHandler = Callable[[UserMessage], Awaitable[Any]]


def refusing_long_messages(
    on_new_message: MessageHandler, limit: int | None = None
) -> MessageHandler:
    """`on_new_message` for messages up to `limit` characters; a polite refusal above it."""
    limit = limit or max_message_chars()

    async def handle_within_limit(message: UserMessage) -> Any:
        if len(message.text or "") <= limit:
            return await on_new_message(message)
        await message.output_channel.send_text_message(message.sender_id, too_long_text(limit))
        return None

    return handle_within_limit
