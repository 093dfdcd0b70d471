"""Request checks added to the Rasa server's Sanic app (see server/patches.py).

Two request middlewares, in this order:

1. **Per-client rate limit** (`limit_rate`): a token bucket per client IP, in this process.
   `ALLYZURE_RATE_LIMIT_PER_MINUTE` requests per minute on average (default 300, `0` turns the
   limit off — the benchmark does), with bursts up to `ALLYZURE_RATE_LIMIT_BURST` (default 60).
   A person chatting sends a few messages a minute; a shared office or mobile-carrier address
   carries many people, hence the generous average. The client is the TCP peer; when the peer
   is loopback (the local nginx of the production profile), it is the last address of
   `X-Forwarded-For` — the one our proxy appended, which a client cannot forge, whether nginx
   sets the header to `$remote_addr` or appends with `$proxy_add_x_forwarded_for`. A client
   that is itself loopback is a process of this machine (tests, `make bench`, an operator's
   curl), never limited; a proxy on this machine must therefore set `X-Forwarded-For`.
   Over the limit: 429 with `Retry-After`; the REST channel gets a French bot message.
2. **Body checks** (`check_body`): Rasa 3.6 answers 500, or silently nothing, to many malformed
   bodies (a missing message, a metadata list, a lone UTF-16 surrogate, a parse request
   without text…). Each JSON endpoint's fields are checked here and a client error gets a 4xx
   with a clear message before it reaches the dialogue engine. A message longer than
   `ALLYZURE_MAX_MESSAGE_CHARS` (default 2000, twice the widget's own limit) never reaches the
   NLU: the REST channel answers with a French request for a shorter message, the other
   endpoints with 413. A REST or callback message must name its conversation (`sender`):
   without one Rasa files every anonymous message in one shared "default" conversation, where
   a customer would see the previous one's order. A REST sender may not name another
   channel's conversation (`telegram-…`, `callback-…`, `preview-…`, or a `web-…` id this
   server did not sign: server/widget_sessions.py). JSON nested too deeply for Python's
   parser is a client error too, never a 500.

Every refusal is `{"error": <French text>, "code": <stable code>, "status": <HTTP status>}`
(server/refusals.py).

The Telegram webhook is left to its connector (server/channels/telegram.py), which must answer
200 to every genuine update and verifies the secret token first. Socket.io and Telegram
messages are not JSON bodies this guard can read: their connectors apply the same length
limit and answer (server/channels/message_limit.py).
"""

from __future__ import annotations

import dataclasses
import ipaddress
import json
import math
import os
import re
import time
from collections import OrderedDict
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

from sanic import Sanic
from sanic.request import Request
from sanic.response import HTTPResponse
from sanic.response import json as json_response

from server.customer_input import CLIENT_ADDRESS, RESERVED_METADATA
from server.refusals import refusal, refusal_text, status_of
from server.widget_sessions import rest_sender_allowed

RATE_LIMIT_VARIABLE = "ALLYZURE_RATE_LIMIT_PER_MINUTE"
BURST_VARIABLE = "ALLYZURE_RATE_LIMIT_BURST"
MAX_MESSAGE_VARIABLE = "ALLYZURE_MAX_MESSAGE_CHARS"
DEFAULT_RATE_PER_MINUTE = 300
DEFAULT_BURST = 60
DEFAULT_MAX_MESSAGE_CHARS = 2000
MAX_SENDER_CHARS = 200  # Rasa's SQL tracker store keeps sender ids in a VARCHAR(255)
MAX_BODY_BYTES = 2_000_000  # a 2000-character message of emoji, JSON-escaped, is ~24 kB
MAX_TRACKED_CLIENTS = 10_000
RATE_LIMITED_PREFIXES = ("/webhooks/", "/model/", "/conversations/", "/socket.io")

# The guard's two customer-facing sentences: it answers before the dialogue engine, so
# these cannot be domain responses. Same typography as bot/domain.yml.
RATE_LIMITED_TEXT = refusal_text("rate_limited")
TOO_LONG_TEXT = (
    "Votre message est trop long pour que je puisse le traiter. Pourriez-vous le résumer "
    "en moins de {limit} caractères\u202f?"
)

REST_WEBHOOK = re.compile(r"^/webhooks/rest/webhook/?$")
_CONTROL_CHARACTERS = re.compile(r"[\x00-\x1f\x7f]")


@dataclass(frozen=True)
class BodyRule:
    """What one endpoint's JSON body must hold; other fields are left to Rasa."""

    required_text: tuple[str, ...] = ()
    optional_text: tuple[str, ...] = ()
    optional_objects: tuple[str, ...] = ()
    message_field: str | None = None  # the customer's text, length-limited
    sender_field: str | None = None  # a conversation id: non-empty, short, printable
    list_allowed: bool = False  # a list of objects is accepted too (tracker events)
    namespaced_sender: bool = False  # the sender may not name another channel's conversation


_CHANNEL_MESSAGE = BodyRule(
    required_text=("sender", "message"),
    optional_text=("input_channel",),
    optional_objects=("metadata",),
    message_field="message",
    sender_field="sender",
)
BODY_RULES: tuple[tuple[re.Pattern[str], BodyRule], ...] = (
    (REST_WEBHOOK, dataclasses.replace(_CHANNEL_MESSAGE, namespaced_sender=True)),
    (re.compile(r"^/webhooks/callback/webhook/?$"), _CHANNEL_MESSAGE),
    (
        re.compile(r"^/webhooks/agent/preview/?$"),
        BodyRule(
            required_text=("message",), optional_text=("conversation_id",), message_field="message"
        ),
    ),
    (
        re.compile(r"^/webhooks/agent/suggestion/?$"),
        BodyRule(required_text=("conversation_id",)),
    ),
    (
        re.compile(r"^/model/parse/?$"),
        BodyRule(required_text=("text",), optional_text=("message_id",), message_field="text"),
    ),
    (
        re.compile(r"^/conversations/[^/]+/messages/?$"),
        BodyRule(
            required_text=("text", "sender"), optional_objects=("parse_data",), message_field="text"
        ),
    ),
    (
        re.compile(r"^/conversations/[^/]+/trigger_intent/?$"),
        BodyRule(required_text=("name",), optional_objects=("entities",)),
    ),
    (re.compile(r"^/conversations/[^/]+/execute/?$"), BodyRule(required_text=("name",))),
    (re.compile(r"^/conversations/[^/]+/tracker/events/?$"), BodyRule(list_allowed=True)),
)


class ClientError(Exception):
    """A request the server will not process: a code of server/refusals.py, its French text
    (formatted with `values`) and its status go to the client."""

    def __init__(self, code: str, **values: Any) -> None:
        super().__init__(code)
        self.code = code
        self.values = values
        self.status = status_of(code)
        self.message = refusal_text(code, **values)


class MessageTooLong(Exception):
    """A well-formed message over the length limit."""


# Rate limiting


class TokenBucketLimiter:
    """One token bucket per client: `burst` tokens, refilled at `per_minute` per minute.

    Only the most recently seen clients are remembered; a forgotten client starts again with a
    full bucket, which is what it would have after a minute of silence anyway.
    """

    def __init__(
        self,
        per_minute: float,
        burst: int,
        clock: Callable[[], float] = time.monotonic,
        max_clients: int = MAX_TRACKED_CLIENTS,
    ) -> None:
        self.rate_per_second = per_minute / 60.0
        self.burst = burst
        self._clock = clock
        self._max_clients = max_clients
        self._buckets: OrderedDict[str, tuple[float, float]] = OrderedDict()

    def retry_after(self, client: str) -> float | None:
        """Take a token for `client`: None when allowed, else the seconds until one is free."""
        now = self._clock()
        tokens, last = self._buckets.pop(client, (float(self.burst), now))
        tokens = min(float(self.burst), tokens + (now - last) * self.rate_per_second)
        allowed = tokens >= 1.0
        self._buckets[client] = (tokens - 1.0 if allowed else tokens, now)
        if len(self._buckets) > self._max_clients:
            self._buckets.popitem(last=False)
        return None if allowed else (1.0 - tokens) / self.rate_per_second


def limiter_from_environment(environ: Mapping[str, str] = os.environ) -> TokenBucketLimiter | None:
    """The configured limiter, or None when `ALLYZURE_RATE_LIMIT_PER_MINUTE` is 0."""
    per_minute = _non_negative_int(environ, RATE_LIMIT_VARIABLE, DEFAULT_RATE_PER_MINUTE)
    if per_minute == 0:
        return None
    burst = _non_negative_int(environ, BURST_VARIABLE, DEFAULT_BURST) or 1
    return TokenBucketLimiter(per_minute, burst)


def max_message_chars(environ: Mapping[str, str] = os.environ) -> int:
    return _non_negative_int(environ, MAX_MESSAGE_VARIABLE, DEFAULT_MAX_MESSAGE_CHARS) or 1


def _non_negative_int(environ: Mapping[str, str], variable: str, default: int) -> int:
    raw = (environ.get(variable) or "").strip()
    if not raw:
        return default
    if not raw.isdigit():
        raise ValueError(f"{variable}: expected a whole number ≥ 0, got {raw!r}")
    return int(raw)


def client_ip(peer: str, forwarded_for: str | None) -> str:
    """The client's address: the peer, or what the local proxy says when the peer is loopback."""
    if not forwarded_for or not _is_loopback(peer):
        return peer
    last = forwarded_for.split(",")[-1].strip()
    try:
        return str(ipaddress.ip_address(last))
    except ValueError:
        return peer


def public_client(peer: str, forwarded_for: str | None) -> str | None:
    """The client's address, or None for a process of this machine (never limited)."""
    client = client_ip(peer, forwarded_for)
    return None if _is_loopback(client) else client


def _is_loopback(address: str) -> bool:
    try:
        return ipaddress.ip_address(address).is_loopback
    except ValueError:
        return False


# Body checks


def rule_for(path: str) -> BodyRule | None:
    return next((rule for pattern, rule in BODY_RULES if pattern.match(path)), None)


def parse_body(raw: bytes, rule: BodyRule) -> Any:
    """The decoded JSON body, or ClientError when it is not what `rule` accepts."""
    if len(raw) > MAX_BODY_BYTES:
        raise ClientError("body_too_large", limit=MAX_BODY_BYTES)
    try:
        body = json.loads(raw.decode("utf-8"))
    except (UnicodeDecodeError, ValueError) as error:
        raise ClientError("invalid_json") from error
    except RecursionError as error:  # "[" * 100000: Python's parser gives up, not a 500
        raise ClientError("json_too_deep") from error
    if isinstance(body, list) and rule.list_allowed:
        if not body or not all(isinstance(item, dict) for item in body):
            # Rasa 3.6 answers an empty list of events with a 500 (ConversationError).
            raise ClientError("invalid_event_list")
        return body
    if not isinstance(body, dict):
        raise ClientError("not_an_object")
    return body


def check_fields(body: dict[str, Any], rule: BodyRule, max_message: int) -> None:
    """Raise ClientError for a malformed field, MessageTooLong for a long message."""
    for field in rule.required_text:
        if field not in body:
            raise ClientError("missing_field", field=field)
        _check_text(field, body[field])
    for field in rule.optional_text:
        if body.get(field) is not None:
            _check_text(field, body[field])
    for field in rule.optional_objects:
        if body.get(field) is not None and not isinstance(body[field], dict):
            raise ClientError("not_an_object_field", field=field)
    if rule.sender_field:
        _check_sender(rule.sender_field, body[rule.sender_field])
        if rule.namespaced_sender and not rest_sender_allowed(body[rule.sender_field]):
            raise ClientError("reserved_sender")
    if "metadata" in rule.optional_objects:
        _check_metadata(body.get("metadata") or {})
    if rule.message_field and len(body[rule.message_field]) > max_message:
        raise MessageTooLong


def _check_text(field: str, value: Any) -> None:
    if not isinstance(value, str):
        raise ClientError("not_a_string", field=field)
    try:
        value.encode("utf-8")
    except UnicodeEncodeError as error:  # a lone UTF-16 surrogate such as "\ud800"
        raise ClientError("invalid_text", field=field) from error


def _check_sender(field: str, sender: str) -> None:
    if not sender.strip():
        raise ClientError("missing_sender", field=field)
    if len(sender) > MAX_SENDER_CHARS or _CONTROL_CHARACTERS.search(sender):
        raise ClientError("invalid_sender", field=field, limit=MAX_SENDER_CHARS)


def _check_metadata(metadata: dict[str, Any]) -> None:
    for key in RESERVED_METADATA:
        if key in metadata:
            raise ClientError("reserved_metadata", key=key)


# Responses


def _error(code: str, headers: dict[str, str] | None = None, **values: Any) -> HTTPResponse:
    """{"error": French text, "code": stable code, "status": HTTP status} (server/refusals.py)."""
    body = refusal(code, **values)
    return json_response(body, status=body["status"], headers=headers)


def _bot_reply(request: Request, text: str, status: int = 200, **headers: str) -> HTTPResponse:
    """An answer shaped like the REST channel's: a list of bot messages."""
    try:
        sender = json.loads(request.body.decode("utf-8")).get("sender")
    except (UnicodeDecodeError, ValueError, AttributeError, RecursionError):
        sender = None
    recipient = sender if isinstance(sender, str) else ""
    return json_response(
        [{"recipient_id": recipient, "text": text}], status=status, headers=headers
    )


def too_long_text(limit: int) -> str:
    """The French request for a shorter message (also used by the socket.io and Telegram
    channels, whose messages do not arrive as a body checked here)."""
    return TOO_LONG_TEXT.format(limit=f"{limit:,}".replace(",", "\u202f"))


# Middlewares


def rate_limiter(limiter: TokenBucketLimiter) -> Callable:
    async def limit_rate(request: Request) -> HTTPResponse | None:
        """429 once the client has used its tokens on the conversation endpoints."""
        if not request.path.startswith(RATE_LIMITED_PREFIXES):
            return None
        client = public_client(request.ip, request.headers.get("X-Forwarded-For"))
        if client is None:
            return None
        wait = limiter.retry_after(client)
        if wait is None:
            return None
        retry_after = str(max(1, math.ceil(wait)))
        if request.method == "POST" and REST_WEBHOOK.match(request.path):
            return _bot_reply(request, RATE_LIMITED_TEXT, 429, **{"Retry-After": retry_after})
        return _error("rate_limited", {"Retry-After": retry_after})

    return limit_rate


def body_checker(max_message: int) -> Callable:
    async def check_body(request: Request) -> HTTPResponse | None:
        """4xx for a malformed body; a polite answer or 413 for an over-long message."""
        rule = rule_for(request.path) if request.method == "POST" else None
        if rule is None:
            return None
        try:
            body = parse_body(request.body or b"", rule)
            if isinstance(body, dict):
                check_fields(body, rule, max_message)
        except ClientError as error:
            return _error(error.code, **error.values)
        except MessageTooLong:
            if REST_WEBHOOK.match(request.path):
                return _bot_reply(request, too_long_text(max_message))
            return _error("message_too_long", limit=max_message)
        return None

    return check_body


async def remember_client(request: Request) -> None:
    """The request's client address, for the message it carries (server/customer_input.py)."""
    CLIENT_ADDRESS.set(public_client(request.ip, request.headers.get("X-Forwarded-For")))


def register(app: Sanic, environ: Mapping[str, str] = os.environ) -> None:
    app.register_middleware(remember_client, "request")
    limiter = limiter_from_environment(environ)
    if limiter is not None:
        app.register_middleware(rate_limiter(limiter), "request")
    app.register_middleware(body_checker(max_message_chars(environ)), "request")
