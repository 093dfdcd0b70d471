"""The website widget's socket.io channel: Rasa's `socketio` events, with server-issued sessions
and checked input.

Same channel name, events and URL as Rasa's SocketIOInput (credentials.yml), except that:

- **the conversation id is issued by the server** (server/widget_sessions.py): a
  ``session_request`` naming an id this server signed resumes that conversation (a page
  reload); any other id — made up, or someone else's Telegram id or REST sender — gets a new
  session. A socket's messages always go to the session the server confirmed to it, whatever
  ``session_id`` they carry, so a client can neither write to nor listen to a conversation
  whose signed id it does not hold;
- **input is checked** before the dialogue engine: a message that is not a non-empty text,
  metadata that is not a JSON object (or a JSON string of one), or the reserved ``dry_run``
  key gets a French refusal with a stable code (server/refusals.py), never a traceback; an
  over-long message gets the polite request for a shorter one (server/channels/message_limit.py);
- every message sent to the session's room carries an ``id`` (one per message, the same for
  every socket of the session), so a browser with two tabs keeps it once;
- custom JSON messages are sent as ``{"custom": …}`` instead of being spread into socket.io's
  ``emit`` arguments (Rasa's version raised TypeError on any custom payload);
- **with several Rasa processes** (the production profile), a message for a conversation
  reaches its sockets whichever process sends it: an agent's message appended through the
  Rasa server the customer's socket is not connected to still reaches the widget. When
  ``ALLYZURE_SOCKETIO_REDIS_URL`` is set, each process delivers to its own sockets at once and
  publishes the message on a Redis channel, from which the other processes deliver it to
  theirs (`SharedRooms`, python-socketio's Redis manager).
"""

from __future__ import annotations

import json
import logging
import os
from typing import Any
from uuid import uuid4

from rasa.core.channels.channel import InputChannel, UserMessage
from rasa.core.channels.socketio import SocketBlueprint, SocketIOInput, SocketIOOutput
from sanic import Blueprint, response
from sanic.request import Request
from sanic.response import HTTPResponse
from socketio import AsyncManager, AsyncRedisManager, AsyncServer

from server.channels.customer import customer_blueprint, prepare_rasa_process
from server.channels.message_limit import MessageHandler, refusing_long_messages
from server.customer_input import CLIENT_ADDRESS, RESERVED_METADATA
from server.http_guard import public_client
from server.refusals import refusal_text
from server.widget_sessions import is_signed_session_id, new_session_id, session_secret

logger = logging.getLogger(__name__)

SHARED_ROOMS_VARIABLE = "ALLYZURE_SOCKETIO_REDIS_URL"
SHARED_ROOMS_CHANNEL = "allyzure-widget"


class SharedRooms(AsyncRedisManager):
    """Socket.io rooms shared by the Rasa processes through Redis pub/sub.

    An emit is delivered to this process's sockets at once — never waiting on Redis, nor lost
    before this process's subscription is up — and published for the other processes, which
    deliver it to theirs; a process skips what it published itself. Should Redis be down,
    this process's own sockets still get every message (the publish is only logged).
    """

    async def emit(
        self,
        event: str,
        data: Any,
        namespace: str | None = None,
        room: str | None = None,
        skip_sid: Any = None,
        callback: Any = None,
        **kwargs: Any,
    ) -> None:
        namespace = namespace or "/"
        await AsyncManager.emit(
            self, event, data, namespace, room=room, skip_sid=skip_sid, callback=callback
        )
        if callback is None and not kwargs.get("ignore_queue"):
            await super().emit(event, data, namespace=namespace, room=room, skip_sid=skip_sid)

    async def _handle_emit(self, message: dict[str, Any]) -> None:
        if message.get("host_id") != self.host_id:
            await super()._handle_emit(message)


def socket_manager(environ: Any = os.environ) -> AsyncManager | None:
    """Shared rooms when several Rasa processes serve the widget, else socket.io's default."""
    url = environ.get(SHARED_ROOMS_VARIABLE)
    return SharedRooms(url, channel=SHARED_ROOMS_CHANNEL) if url else None


class WidgetOutput(SocketIOOutput):
    async def _send_message(self, socket_id: str, response: Any) -> None:
        """Every message gets an id of its own: it goes to the session's room, so a customer
        with the conversation open in two tabs receives it in both, and each tab keeps it once."""
        await super()._send_message(socket_id, {**response, "id": uuid4().hex})

    async def send_custom_json(
        self, recipient_id: str, json_message: dict[str, Any], **kwargs: Any
    ) -> None:
        await self._send_message(recipient_id, {"custom": json_message})


def message_problem(data: Any, metadata_key: str) -> tuple[str | None, str, dict[str, Any]]:
    """(refusal code or None, the message's text, its metadata — or the refusal's values) of
    a `user_uttered` event."""
    if not isinstance(data, dict):
        return "invalid_message", "", {}
    text = data.get("message")
    if not isinstance(text, str) or not text.strip():
        return "invalid_message", "", {}
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:  # a lone UTF-16 surrogate
        return "invalid_message", "", {}
    metadata = data.get(metadata_key)
    if isinstance(metadata, str):
        try:
            metadata = json.loads(metadata)
        except (ValueError, RecursionError):
            return "invalid_metadata", text, {}
    if metadata is None:
        metadata = {}
    if not isinstance(metadata, dict):
        return "invalid_metadata", text, {}
    if reserved := [key for key in RESERVED_METADATA if key in metadata]:
        return "reserved_metadata", text, {"key": reserved[0]}
    return None, text, metadata


class LimitedSocketIOInput(SocketIOInput):
    """Rasa's socket.io channel with server-issued sessions and checked input (module doc)."""

    def get_output_channel(self) -> WidgetOutput | None:
        return None if self.sio is None else WidgetOutput(self.sio, self.bot_message_evt)

    @classmethod
    def from_credentials(cls, credentials: dict[str, Any] | None) -> InputChannel:
        prepare_rasa_process()
        return super().from_credentials(credentials)

    def blueprint(self, on_new_message: MessageHandler) -> Blueprint:
        return customer_blueprint(self.name(), on_new_message, self._socket_blueprint)

    def _socket_blueprint(self, on_new_message: MessageHandler) -> Blueprint:
        on_new_message = refusing_long_messages(on_new_message)
        sio = AsyncServer(
            async_mode="sanic", cors_allowed_origins=[], client_manager=socket_manager()
        )
        socketio_webhook = SocketBlueprint(sio, self.socketio_path, "socketio_webhook", __name__)
        self.sio = sio
        secret = session_secret()
        sessions: dict[str, str] = {}  # socket id → the conversation the server confirmed
        clients: dict[str, str | None] = {}  # socket id → its client address (None: loopback)

        @socketio_webhook.route("/", methods=["GET"])
        async def health(_: Request) -> HTTPResponse:
            return response.json({"status": "ok"})

        @sio.on("connect", namespace=self.namespace)
        async def connect(sid: str, environ: dict, auth: dict | None = None) -> bool:
            request = environ.get("sanic.request")
            if request is not None:
                forwarded_for = request.headers.get("X-Forwarded-For")
                clients[sid] = public_client(request.ip, forwarded_for)
            return True

        @sio.on("disconnect", namespace=self.namespace)
        async def disconnect(sid: str) -> None:
            sessions.pop(sid, None)
            clients.pop(sid, None)

        async def start_session(sid: str, requested: Any) -> str:
            session_id = (
                requested if is_signed_session_id(requested, secret) else new_session_id(secret)
            )
            previous = sessions.get(sid)
            if previous and previous != session_id:
                sio.leave_room(sid, previous, namespace=self.namespace)
            sessions[sid] = session_id
            sio.enter_room(sid, session_id, namespace=self.namespace)
            await sio.emit("session_confirm", session_id, room=sid, namespace=self.namespace)
            return session_id

        @sio.on("session_request", namespace=self.namespace)
        async def session_request(sid: str, data: Any = None) -> None:
            await start_session(sid, data.get("session_id") if isinstance(data, dict) else None)

        async def refuse(sid: str, code: str, **values: Any) -> None:
            text = refusal_text(code, **values)
            await sio.emit(
                self.bot_message_evt,
                {"text": text, "error": text, "code": code},
                room=sid,
                namespace=self.namespace,
            )

        @sio.on(self.user_message_evt, namespace=self.namespace)
        async def handle_message(sid: str, data: Any = None) -> None:
            session_id = sessions.get(sid)
            if session_id is None:  # no session_request first: confirm one as it would
                requested = data.get("session_id") if isinstance(data, dict) else None
                session_id = await start_session(sid, requested)
            problem, text, metadata = message_problem(data, self.metadata_key or "metadata")
            if problem:
                await refuse(sid, problem, **metadata)
                return
            output = WidgetOutput(sio, self.bot_message_evt)
            CLIENT_ADDRESS.set(clients.get(sid))  # this task's: the identity check's client
            try:
                await on_new_message(
                    UserMessage(
                        text, output, session_id, input_channel=self.name(), metadata=metadata
                    )
                )
            except Exception as error:  # noqa: BLE001 - the socket must answer, not crash
                logger.error("Widget message not handled: %s", type(error).__name__)
                await refuse(sid, "internal_error")

        return socketio_webhook
