"""The widget's socket.io channel, over a real socket.io connection to the running assistant:
an over-long message gets the polite French refusal, and the conversation goes on."""

from __future__ import annotations

import queue
import secrets

import pytest
import socketio

from tools.http_guard import too_long_text

pytestmark = pytest.mark.slow
REPLY_TIMEOUT_S = 60


@pytest.fixture
def widget_client(assistant):
    """A socket.io client like the widget: long-polling, one persistent session."""
    replies: queue.Queue[dict] = queue.Queue()
    client = socketio.Client()
    client.on("bot_uttered", replies.put)
    client.connect(assistant.rasa_url, socketio_path="/socket.io", transports=["polling"])
    session_id = f"socketio-{secrets.token_hex(6)}"
    client.emit("session_request", {"session_id": session_id})
    try:
        yield client, session_id, replies
    finally:
        client.disconnect()


def say(client, session_id: str, replies: queue.Queue, message: str) -> str:
    client.emit("user_uttered", {"message": message, "session_id": session_id})
    return replies.get(timeout=REPLY_TIMEOUT_S).get("text", "")


def test_an_over_long_widget_message_is_refused_politely_then_the_chat_goes_on(widget_client):
    client, session_id, replies = widget_client

    refusal = say(client, session_id, replies, "ma commande " * 1000)
    greeting = say(client, session_id, replies, "Bonjour")

    assert refusal == too_long_text(2000)
    assert "Bonjour" in greeting
