"""Telegram connector: Bot API webhook in, sendMessage out.

Registered in ``credentials.yml`` as ``server.channels.telegram.TelegramInput``. Rasa serves the
webhook at ``POST /webhooks/telegram/webhook``. Telegram proves an update is genuine by echoing,
in the ``X-Telegram-Bot-Api-Secret-Token`` header, the ``secret_token`` given once to
``setWebhook``; anything without the right secret is refused with 403 before it reaches the
assistant. Nothing here calls the network at start-up: registering the webhook is a one-time
command (docs/telegram.md), and the channel is simply disabled while no bot token is configured.

Replies go through ``sendMessage`` as plain text (no ``parse_mode``, so nothing a customer or a
product name contains is ever interpreted as markup); buttons become an inline keyboard whose
taps come back as ``callback_query`` updates, handled like a message carrying the payload.
An unreachable or failing Bot API is logged, never raised: the conversation goes on.
"""

from __future__ import annotations

import hmac
import logging
from collections import OrderedDict
from collections.abc import Awaitable, Callable, Iterable
from dataclasses import dataclass
from typing import Any

import aiohttp
from rasa.core.channels.channel import InputChannel, OutputChannel, UserMessage
from sanic import Blueprint, response
from sanic.request import Request
from sanic.response import HTTPResponse

from server.channels.customer import customer_blueprint, prepare_rasa_process
from server.channels.message_limit import refusing_long_messages
from server.refusals import refusal
from server.widget_sessions import TELEGRAM_PREFIX

logger = logging.getLogger(__name__)

DEFAULT_API_URL = "https://api.telegram.org"
SECRET_HEADER = "X-Telegram-Bot-Api-Secret-Token"
MAX_TEXT_LENGTH = 4096  # Bot API limit for one message
MAX_CALLBACK_DATA_BYTES = 64  # Bot API limit for an inline button's callback_data
REQUEST_TIMEOUT_S = 10.0
_REMEMBERED_UPDATES = 1024
# What opening the bot in Telegram ("/start") means to the assistant: a greeting.
START_GREETING = "Bonjour"


def secret_matches(expected: str, received: str | None) -> bool:
    """Constant-time comparison; an unset expected secret refuses everything."""
    if not expected or received is None:
        return False
    return hmac.compare_digest(expected.encode(), received.encode())


@dataclass(frozen=True)
class InboundMessage:
    """What the assistant needs from one Telegram update."""

    update_id: int | None
    chat_id: str
    text: str
    metadata: dict[str, Any]
    callback_query_id: str | None = None


def parse_update(update: Any) -> InboundMessage | None:
    """A text message or a button tap, or None for updates the assistant ignores
    (stickers, photos, edited messages, channel posts, malformed JSON…)."""
    if not isinstance(update, dict):
        return None
    update_id = update.get("update_id") if isinstance(update.get("update_id"), int) else None

    query = update.get("callback_query")
    if isinstance(query, dict):
        message = _mapping(query.get("message"))
        chat = _mapping(message.get("chat"))
        sender = _mapping(query.get("from"))
        chat_id = chat.get("id", sender.get("id"))
        data = query.get("data")
        if chat_id is None or not isinstance(data, str) or not data:
            return None
        return InboundMessage(
            update_id=update_id,
            chat_id=str(chat_id),
            text=data,
            metadata=_metadata(sender, chat),
            callback_query_id=str(query.get("id")) if query.get("id") is not None else None,
        )

    posted = update.get("message")
    if isinstance(posted, dict):
        chat = _mapping(posted.get("chat"))
        text = posted.get("text")
        if chat.get("id") is None or not isinstance(text, str) or not text.strip():
            return None
        sender = _mapping(posted.get("from"))
        return InboundMessage(
            update_id=update_id,
            chat_id=str(chat["id"]),
            text=START_GREETING if _is_start_command(text) else text,
            metadata=_metadata(sender, chat),
        )
    return None


def _mapping(value: Any) -> dict[str, Any]:
    """`value` when it is a JSON object, else an empty one (updates come from outside)."""
    return value if isinstance(value, dict) else {}


def _is_start_command(text: str) -> bool:
    """Telegram sends "/start" (or "/start@BotName …") when a customer opens the bot."""
    words = text.strip().split()
    return bool(words) and words[0].split("@", 1)[0] == "/start"


def _metadata(sender: dict, chat: dict) -> dict[str, Any]:
    return {
        "telegram": {
            "chat_id": chat.get("id", sender.get("id")),
            "chat_type": chat.get("type"),
            "language_code": sender.get("language_code"),
        }
    }


def inline_keyboard(buttons: Iterable[dict[str, Any]]) -> dict[str, Any]:
    """One button per row (long French titles stay readable on a phone).

    callback_data is limited to 64 bytes: a longer payload is replaced by the button's
    title, which the NLU understands as the same request.
    """
    rows = []
    for button in buttons:
        title = str(button.get("title", ""))
        payload = str(button.get("payload") or title)
        if len(payload.encode()) > MAX_CALLBACK_DATA_BYTES:
            payload = title.encode()[:MAX_CALLBACK_DATA_BYTES].decode(errors="ignore")
        rows.append([{"text": title, "callback_data": payload}])
    return {"inline_keyboard": rows}


def split_text(text: str, limit: int = MAX_TEXT_LENGTH) -> list[str]:
    """Telegram refuses messages over 4096 characters: cut on paragraph breaks, then hard."""
    chunks: list[str] = []
    current = ""
    for paragraph in text.split("\n\n"):
        candidate = f"{current}\n\n{paragraph}" if current else paragraph
        if len(candidate) <= limit:
            current = candidate
            continue
        if current:
            chunks.append(current)
        while len(paragraph) > limit:
            chunks.append(paragraph[:limit])
            paragraph = paragraph[limit:]
        current = paragraph
    if current:
        chunks.append(current)
    return chunks or [text]


class TelegramBotApi:
    """The few Bot API methods the assistant uses. Failures are logged and reported as None."""

    def __init__(self, token: str, api_url: str = DEFAULT_API_URL) -> None:
        self.token = token
        self.api_url = (api_url or DEFAULT_API_URL).rstrip("/")

    async def call(self, method: str, payload: dict[str, Any]) -> dict[str, Any] | None:
        url = f"{self.api_url}/bot{self.token}/{method}"
        try:
            timeout = aiohttp.ClientTimeout(total=REQUEST_TIMEOUT_S)
            async with (
                aiohttp.ClientSession(timeout=timeout) as session,
                session.post(url, json=payload) as reply,
            ):
                body = await reply.json(content_type=None)
        except (aiohttp.ClientError, TimeoutError, ValueError) as error:
            # The URL holds the bot token: log the method, never the URL.
            logger.error("Telegram %s failed: %s", method, type(error).__name__)
            return None
        if not isinstance(body, dict) or not body.get("ok"):
            description = body.get("description") if isinstance(body, dict) else body
            logger.error("Telegram %s refused (HTTP %s): %s", method, reply.status, description)
            return None
        return body


def conversation_id(chat_id: str) -> str:
    """A chat's conversation: ``telegram-<chat id>``. A chat id is the user's Telegram id,
    which is not secret; in its own namespace no other channel can name it."""
    return f"{TELEGRAM_PREFIX}{chat_id}"


def chat_id_of(recipient_id: str) -> str:
    return recipient_id.removeprefix(TELEGRAM_PREFIX)


class TelegramOutput(OutputChannel):
    """Sends the assistant's replies to one Telegram chat (recipient id = the conversation,
    ``telegram-<chat id>``)."""

    @classmethod
    def name(cls) -> str:
        return "telegram"

    def __init__(self, api: TelegramBotApi) -> None:
        self.api = api

    async def send_text_message(self, recipient_id: str, text: str, **kwargs: Any) -> None:
        recipient_id = chat_id_of(recipient_id)
        for chunk in split_text(text):
            await self.api.call("sendMessage", {"chat_id": recipient_id, "text": chunk})

    async def send_text_with_buttons(
        self, recipient_id: str, text: str, buttons: list[dict[str, Any]], **kwargs: Any
    ) -> None:
        recipient_id = chat_id_of(recipient_id)
        *first, last = split_text(text)
        for chunk in first:
            await self.api.call("sendMessage", {"chat_id": recipient_id, "text": chunk})
        await self.api.call(
            "sendMessage",
            {"chat_id": recipient_id, "text": last, "reply_markup": inline_keyboard(buttons)},
        )

    async def send_image_url(self, recipient_id: str, image: str, **kwargs: Any) -> None:
        await self.api.call("sendPhoto", {"chat_id": chat_id_of(recipient_id), "photo": image})

    async def send_custom_json(
        self, recipient_id: str, json_message: dict[str, Any], **kwargs: Any
    ) -> None:
        """A custom payload is a sendMessage body (text, reply_markup…) for this chat."""
        payload = dict(json_message)
        payload["chat_id"] = chat_id_of(recipient_id)
        await self.api.call("sendMessage", payload)


class TelegramInput(InputChannel):
    """Webhook for Telegram updates, verified with the secret token of setWebhook."""

    @classmethod
    def name(cls) -> str:
        return "telegram"

    @classmethod
    def from_credentials(cls, credentials: dict[str, Any] | None) -> InputChannel:
        prepare_rasa_process()
        credentials = credentials or {}
        return cls(
            bot_token=str(credentials.get("bot_token") or ""),
            secret_token=str(credentials.get("secret_token") or ""),
            api_url=str(credentials.get("api_url") or DEFAULT_API_URL),
        )

    def __init__(self, bot_token: str, secret_token: str, api_url: str = DEFAULT_API_URL):
        self.bot_token = bot_token
        self.secret_token = secret_token
        self.api_url = api_url
        self._seen_updates: OrderedDict[int, None] = OrderedDict()
        if not bot_token:
            logger.info("Telegram channel disabled: TELEGRAM_BOT_TOKEN is not set.")
        elif not secret_token:
            logger.warning(
                "TELEGRAM_SECRET_TOKEN is not set: every Telegram update will be refused."
            )

    @property
    def enabled(self) -> bool:
        return bool(self.bot_token)

    def get_output_channel(self) -> OutputChannel:
        return TelegramOutput(TelegramBotApi(self.bot_token, self.api_url))

    def _already_seen(self, update_id: int | None) -> bool:
        """Telegram redelivers an update it thinks failed: answer each one once."""
        if update_id is None:
            return False
        if update_id in self._seen_updates:
            return True
        self._seen_updates[update_id] = None
        if len(self._seen_updates) > _REMEMBERED_UPDATES:
            self._seen_updates.popitem(last=False)
        return False

    def blueprint(self, on_new_message: Callable[[UserMessage], Awaitable[Any]]) -> Blueprint:
        return customer_blueprint(self.name(), on_new_message, self._webhook_blueprint)

    def _webhook_blueprint(
        self, on_new_message: Callable[[UserMessage], Awaitable[Any]]
    ) -> Blueprint:
        telegram_webhook = Blueprint("telegram_webhook", __name__)
        on_new_message = refusing_long_messages(on_new_message)

        @telegram_webhook.route("/", methods=["GET"])
        async def health(_: Request) -> HTTPResponse:
            return response.json({"status": "ok", "enabled": self.enabled})

        @telegram_webhook.route("/webhook", methods=["POST"])
        async def webhook(request: Request) -> HTTPResponse:
            if not secret_matches(self.secret_token, request.headers.get(SECRET_HEADER)):
                logger.warning("Telegram update refused: missing or wrong secret token.")
                return response.json(refusal("forbidden"), status=403)
            if not self.enabled:
                return response.json(refusal("channel_disabled"), status=503)
            try:
                update = request.json
            except Exception:  # Sanic raises its own error type on invalid JSON
                update = None
            inbound = parse_update(update)
            # Always 200 for a genuine update, even an ignored one: any other status makes
            # Telegram retry the same update again and again.
            if inbound is None or self._already_seen(inbound.update_id):
                return response.json({"status": "ignored"})

            output = self.get_output_channel()
            if inbound.callback_query_id is not None:
                # Stops the spinner on the tapped button.
                await output.api.call(
                    "answerCallbackQuery", {"callback_query_id": inbound.callback_query_id}
                )
            try:
                await on_new_message(
                    UserMessage(
                        inbound.text,
                        output,
                        conversation_id(inbound.chat_id),
                        input_channel=self.name(),
                        metadata=inbound.metadata,
                    )
                )
            except Exception:
                logger.exception("Telegram update %s could not be handled.", inbound.update_id)
            return response.json({"status": "ok"})

        return telegram_webhook
