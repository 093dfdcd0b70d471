"""Who sent a customer message, for the identity check's per-client limit (issue 13, defect 6):
the Rasa server names the client address in the message's metadata, as a keyed digest, on the
channels where the address is a customer's; a customer cannot name it."""

from __future__ import annotations

import contextvars

import pytest
from rasa.core.channels.channel import UserMessage

from server.customer_input import CLIENT_ADDRESS, CLIENT_METADATA, as_customer_message
from server.http_guard import public_client

SECRET = "session-secret-for-the-test"


@pytest.fixture(autouse=True)
def session_secret(monkeypatch):
    monkeypatch.setenv("ALLYZURE_SESSION_SECRET", SECRET)


def sent_from(address: str | None, channel: str, metadata: dict | None = None) -> dict:
    """The metadata the dialogue engine gets for a message from `address` on `channel`."""

    def handle() -> dict:
        CLIENT_ADDRESS.set(address)
        message = UserMessage("AZ104203 marie@exemple.ca", metadata=metadata or {})
        return as_customer_message(message, channel, frozenset()).metadata

    return contextvars.copy_context().run(handle)


def test_a_widget_or_rest_message_names_its_client_by_a_digest_never_the_address():
    widget = sent_from("203.0.113.7", "socketio")[CLIENT_METADATA]
    rest = sent_from("203.0.113.7", "rest")[CLIENT_METADATA]
    other = sent_from("203.0.113.8", "rest")[CLIENT_METADATA]

    assert widget == rest != other
    assert "203.0.113" not in widget and len(widget) == 32


def test_telegram_and_callback_messages_name_no_client():
    """Their requests come from Telegram's or the integrator's servers, one for all users."""
    assert CLIENT_METADATA not in sent_from("149.154.167.220", "telegram")
    assert CLIENT_METADATA not in sent_from("198.51.100.4", "callback")


def test_a_customer_cannot_name_a_client_of_its_choosing():
    claimed = {CLIENT_METADATA: "someone-else", "language": "fr"}

    from_loopback = sent_from(None, "rest", dict(claimed))
    from_outside = sent_from("203.0.113.7", "rest", dict(claimed))

    assert from_loopback == {"language": "fr"}
    assert from_outside[CLIENT_METADATA] != "someone-else"


@pytest.mark.parametrize(
    ("peer", "forwarded_for", "client"),
    [
        ("203.0.113.7", None, "203.0.113.7"),
        ("203.0.113.7", "198.51.100.1", "203.0.113.7"),  # only a local proxy is believed
        ("127.0.0.1", "198.51.100.1, 203.0.113.9", "203.0.113.9"),  # nginx appended it
        ("127.0.0.1", None, None),  # a process of this machine: not counted
    ],
)
def test_the_client_is_the_peer_or_what_the_local_proxy_says(peer, forwarded_for, client):
    assert public_client(peer, forwarded_for) == client
