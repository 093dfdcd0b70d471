"""Server-issued conversation ids of the website widget, and the channels' id namespaces.

A conversation id decides which conversation — and which verified identity — a message
belongs to, so a customer channel must never let a client pick another person's id:

- the widget (socket.io, and its REST fallback) only uses ids this module issues:
  ``web-<32 random hex>-<HMAC-SHA256 of it, 32 hex>``, signed with the installation's
  secret (`ALLYZURE_SESSION_SECRET`, kept in ``var/session-secret`` by tools/launcher.py).
  Knowing someone's order number or Telegram id gives nothing; guessing a session id means
  guessing 128 random bits.
- Telegram conversations are ``telegram-<chat id>``, callback ones ``callback-<sender>``, agent
  previews ``preview-…``. The REST channel (the integration channel, whose sender ids are the
  integrator's responsibility: SECURITY.md) accepts any other sender id; it refuses an id in
  another channel's namespace, and a ``web-`` id that this server did not sign.
"""

from __future__ import annotations

import hashlib
import hmac
import os
import secrets
from collections.abc import Mapping

SECRET_VARIABLE = "ALLYZURE_SESSION_SECRET"
WIDGET_PREFIX = "web-"
TELEGRAM_PREFIX = "telegram-"
CALLBACK_PREFIX = "callback-"
PREVIEW_PREFIX = "preview-"
# Namespaces the REST channel may not name (a "web-" id is accepted when it is signed).
RESERVED_PREFIXES = (TELEGRAM_PREFIX, CALLBACK_PREFIX, PREVIEW_PREFIX)
_NONCE_HEX = 32
_SIGNATURE_HEX = 32

# Without a configured secret (a Rasa server started by hand), ids are signed with a secret
# of this process: they stay valid until it stops.
_process_secret = secrets.token_urlsafe(32)


def session_secret(environ: Mapping[str, str] = os.environ) -> bytes:
    return (environ.get(SECRET_VARIABLE) or _process_secret).encode()


def _signature(nonce: str, secret: bytes) -> str:
    return hmac.new(secret, f"{WIDGET_PREFIX}{nonce}".encode(), hashlib.sha256).hexdigest()[
        :_SIGNATURE_HEX
    ]


def new_session_id(secret: bytes | None = None) -> str:
    secret = secret or session_secret()
    nonce = secrets.token_hex(_NONCE_HEX // 2)
    return f"{WIDGET_PREFIX}{nonce}-{_signature(nonce, secret)}"


def is_signed_session_id(value: object, secret: bytes | None = None) -> bool:
    """True only for an id issued by `new_session_id` with this secret (constant-time check)."""
    if not isinstance(value, str) or not value.startswith(WIDGET_PREFIX):
        return False
    nonce, _, signature = value.removeprefix(WIDGET_PREFIX).partition("-")
    if len(nonce) != _NONCE_HEX or len(signature) != _SIGNATURE_HEX:
        return False
    expected = _signature(nonce, secret or session_secret())
    return hmac.compare_digest(expected.encode(), signature.encode())


def rest_sender_allowed(sender: str, secret: bytes | None = None) -> bool:
    """May a REST client name this conversation? Not another channel's namespace."""
    if sender.startswith(RESERVED_PREFIXES):
        return False
    if sender.startswith(WIDGET_PREFIX):
        return is_signed_session_id(sender, secret)
    return True
