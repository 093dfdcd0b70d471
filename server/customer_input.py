"""What a customer channel's message may carry into the dialogue engine.

Every customer channel of credentials.yml (REST, callback, socket.io, Telegram; server/channels)
wraps the handler Rasa gives it in `customer_handler`, which passes each message through
`as_customer_message` before the dialogue engine:

- its input channel is the channel's own name: a REST body's ``input_channel`` field cannot
  claim to be the agent preview;
- the reserved metadata keys (``dry_run``: only the agent preview may ask for a dry run,
  bot/actions/base.py `is_preview`) are dropped, and metadata that is not an object is ignored;
- on the widget and REST channels, ``allyzure_client`` names who sent it — a keyed digest of
  the client address — so that the identity check counts failures per client across
  conversations (issue 13, defect 6);
- Rasa's slash commands (``/restart``, ``/intent{"slot": …}``) would let a customer change the
  dialogue state directly (reset the failed-identification stop, fill a slot unchecked). A
  message starting with "/" goes through as a command only when it is exactly the payload of
  one of the assistant's own buttons (the domain's responses and the actions' yes/no
  buttons), or the actions' « which one? » button: an offered flow command with the chosen
  order line's plain key words as its `item` (nothing a customer could not type); any other
  is handed to the NLU as the plain words it contains.

The agent preview (server/channels/agent_assist.py) calls the agent itself, not this handler.
"""

from __future__ import annotations

import hashlib
import hmac
import re
from collections.abc import Awaitable, Callable, Iterable
from contextvars import ContextVar
from typing import Any

from server.widget_sessions import session_secret

# Set by the server, never by a client: the agent-assist channel sets `dry_run`, this module
# sets `allyzure_client` (bot/actions/identification.py reads it).
CLIENT_METADATA = "allyzure_client"
RESERVED_METADATA = ("dry_run", CLIENT_METADATA)
# The address a message came from, set for each request by server/http_guard.py and for each
# socket.io message by server/channels/widget.py; None for loopback (a process of this machine).
CLIENT_ADDRESS: ContextVar[str | None] = ContextVar("allyzure_client_address", default=None)
# Channels whose client address is a customer's: the widget (socket.io) and REST. Telegram's
# and the callback's requests come from Telegram's or the integrator's servers, one address
# for all their users; those conversations cannot be renewed by the user anyway.
ADDRESSED_CHANNELS = frozenset({"rest", "socketio"})
# Quick replies the actions send themselves (bot/actions/yes_no.py, YES_NO_BUTTONS).
ACTION_BUTTON_PAYLOADS = frozenset({"/affirm", "/deny"})
COMMAND_PREFIX = "/"
# The actions' « which one? » buttons (bot/actions/details.py, which_line_buttons).
LINE_CHOICE = re.compile(r'(?P<command>/[a-z_]+)\{"item":"[a-z0-9 ]{1,160}"\}')


def domain_button_payloads(responses: dict[str, Iterable[dict[str, Any]]]) -> frozenset[str]:
    """Every button payload of the domain's responses."""
    payloads = set()
    for variations in responses.values():
        for variation in variations or ():
            for button in variation.get("buttons") or ():
                payload = button.get("payload") if isinstance(button, dict) else None
                if isinstance(payload, str):
                    # As Rasa renders it: a payload carrying entities is written with doubled
                    # braces in domain.yml so that its interpolation leaves it intact.
                    payloads.add(payload.strip().replace("{{", "{").replace("}}", "}"))
    return frozenset(payloads)


def plain_text(text: str, allowed_commands: frozenset[str]) -> str:
    """The text itself, or — for a slash command the assistant never offered — its words."""
    stripped = text.strip()
    if not stripped.startswith(COMMAND_PREFIX) or stripped in allowed_commands:
        return text
    choice = LINE_CHOICE.fullmatch(stripped)
    if choice and choice["command"] in allowed_commands:
        return text
    words = stripped.lstrip(COMMAND_PREFIX).strip()
    # A lone "/" has no words: a message the NLU does not understand, never a command.
    return words or "?"


def customer_metadata(metadata: Any) -> dict[str, Any]:
    if not isinstance(metadata, dict):
        return {}
    return {key: value for key, value in metadata.items() if key not in RESERVED_METADATA}


def client_key(address: str | None, secret: bytes) -> str | None:
    """Who sent the message, for the identity check's per-client limit (issue 13, defect 6):
    a keyed digest of the address — the metadata is stored with the conversation, the address
    itself is not; None when the address is unknown."""
    if not address:
        return None
    return hmac.new(secret, address.encode(), hashlib.sha256).hexdigest()[:32]


def as_customer_message(message: Any, channel_name: str, allowed_commands: frozenset[str]) -> Any:
    """The same UserMessage, made safe to hand to the dialogue engine (see the module doc)."""
    message.input_channel = channel_name
    message.metadata = customer_metadata(message.metadata)
    client = client_key(CLIENT_ADDRESS.get(), session_secret())
    if client and channel_name in ADDRESSED_CHANNELS:
        message.metadata[CLIENT_METADATA] = client
    if isinstance(message.text, str):
        message.text = plain_text(message.text, allowed_commands)
    return message


def customer_handler(
    on_new_message: Callable[[Any], Awaitable[Any]],
    channel_name: str,
    agent_of: Callable[[], Any],
) -> Callable[[Any], Awaitable[Any]]:
    """`on_new_message` for a customer channel: each message made safe first (module doc).
    `agent_of()` is the Rasa agent serving, whose domain lists the assistant's buttons."""
    known: dict[int, frozenset[str]] = {}

    def allowed_commands(domain: Any) -> frozenset[str]:
        if id(domain) not in known:  # a new model brings a new domain
            known.clear()
            known[id(domain)] = ACTION_BUTTON_PAYLOADS | domain_button_payloads(domain.responses)
        return known[id(domain)]

    async def handler(message: Any) -> Any:
        agent = agent_of()
        domain = getattr(agent, "domain", None)
        allowed = allowed_commands(domain) if domain else ACTION_BUTTON_PAYLOADS
        return await on_new_message(as_customer_message(message, channel_name, allowed))

    return handler
