"""Callback channel whose replies never turn a received message into a server error.

Rasa 3.6's callback channel catches only an HTTP error status from the receiver: when
``CALLBACK_URL`` is unreachable or times out, the exception escapes and the client that posted
the message gets a 500, although the message was received and the conversation moved on.
Here a reply that cannot be delivered is logged (the method and error type, never the text)
and the webhook answers "success" as usual, like the Telegram connector does with the Bot API.

Registered in ``credentials.yml`` as ``server.channels.callback.CallbackInput`` (same URL,
``/webhooks/callback/webhook``, and same ``url`` setting as Rasa's ``callback``).

The conversation of sender ``x`` is ``callback-x`` (server/widget_sessions.py): no other channel
can name it, and a callback sender can name no other channel's conversation. The receiver
still sees its own sender id as ``recipient_id``.
"""

from __future__ import annotations

import logging
from typing import Any

import aiohttp
from rasa.core.channels.callback import CallbackInput as RasaCallbackInput
from rasa.core.channels.callback import CallbackOutput as RasaCallbackOutput
from rasa.core.channels.channel import CollectingOutputChannel, InputChannel
from sanic import Blueprint
from sanic.request import Request

from server.channels.customer import MessageHandler, customer_blueprint, prepare_rasa_process
from server.widget_sessions import CALLBACK_PREFIX

logger = logging.getLogger(__name__)


class CallbackOutput(RasaCallbackOutput):
    async def _persist_message(self, message: dict[str, Any]) -> None:
        recipient = message.get("recipient_id")
        if isinstance(recipient, str):
            message = {**message, "recipient_id": recipient.removeprefix(CALLBACK_PREFIX)}
        try:
            await super()._persist_message(message)
        except (aiohttp.ClientError, TimeoutError) as error:
            logger.error("Callback reply not delivered: %s", type(error).__name__)


class CallbackInput(RasaCallbackInput):
    @classmethod
    def from_credentials(cls, credentials: dict[str, Any] | None) -> InputChannel:
        prepare_rasa_process()
        return super().from_credentials(credentials)

    def blueprint(self, on_new_message: MessageHandler) -> Blueprint:
        return customer_blueprint(self.name(), on_new_message, super().blueprint)

    async def _extract_sender(self, req: Request) -> str | None:
        sender = await super()._extract_sender(req)
        return f"{CALLBACK_PREFIX}{sender}" if isinstance(sender, str) else sender

    def get_output_channel(self) -> CollectingOutputChannel:
        return CallbackOutput(self.callback_endpoint)
