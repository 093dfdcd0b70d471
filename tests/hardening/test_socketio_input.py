"""The widget's socket.io channel, over a real socket.io connection to the running assistant:
an over-long message gets the polite French refusal, bad input gets a French refusal with a
stable code (never a traceback), `dry_run` metadata is refused (issue 13, defect 1), and the
session id is the server's, never the client's (defect 2)."""

from __future__ import annotations

import queue
import secrets

import pytest
import requests
import socketio

from server.http_guard import too_long_text

pytestmark = pytest.mark.slow
REPLY_TIMEOUT_S = 60


class WidgetClient:
    """A socket.io client like the widget: long-polling, one persistent session."""

    def __init__(self, rasa_url: str, requested_session: str | None = None) -> None:
        self.replies: queue.Queue[dict] = queue.Queue()
        self.confirmed: queue.Queue[str] = queue.Queue()
        self.client = socketio.Client()
        self.client.on("bot_uttered", self.replies.put)
        self.client.on("session_confirm", self.confirmed.put)
        self.client.connect(rasa_url, socketio_path="/socket.io", transports=["polling"])
        self.client.emit("session_request", {"session_id": requested_session})
        self.session_id = self.confirmed.get(timeout=REPLY_TIMEOUT_S)

    def emit(self, data: object) -> dict:
        self.client.emit("user_uttered", data)
        return self.replies.get(timeout=REPLY_TIMEOUT_S)

    def say(self, message: str, **extra: object) -> dict:
        return self.emit({"message": message, "session_id": self.session_id, **extra})

    def close(self) -> None:
        self.client.disconnect()


@pytest.fixture
def widget(assistant):
    client = WidgetClient(assistant.rasa_url)
    try:
        yield client
    finally:
        client.close()


def rasa_log(assistant) -> str:
    return (assistant.stack.log_dir / "rasa.log").read_text(errors="replace")


def user_texts(assistant, conversation: str) -> list[str]:
    tracker = requests.get(
        f"{assistant.rasa_url}/conversations/{conversation}/tracker",
        params={"token": assistant.auth_token},
        timeout=30,
    ).json()
    return [event.get("text") for event in tracker.get("events", []) if event["event"] == "user"]


def test_an_over_long_widget_message_is_refused_politely_then_the_chat_goes_on(widget):
    refusal = widget.say("ma commande " * 1000)
    greeting = widget.say("Bonjour")

    assert refusal["text"] == too_long_text(2000)
    assert "Bonjour" in greeting["text"]


@pytest.mark.parametrize("metadata", [{"dry_run": True}, '{"dry_run": true}'])
def test_dry_run_metadata_from_the_widget_is_refused_and_never_reaches_the_assistant(
    assistant, widget, metadata
):
    reply = widget.say("où est ma commande AZ104203 ? marie.tremblay@exemple.ca", metadata=metadata)

    assert reply["code"] == "reserved_metadata"
    assert reply["text"] == "La métadonnée «\u00a0dry_run\u00a0» est réservée à l’usage interne."
    assert user_texts(assistant, widget.session_id) == []


@pytest.mark.parametrize(
    ("data", "code"),
    [
        ({"message": 42}, "invalid_message"),
        ({"message": ["Bonjour"]}, "invalid_message"),
        ({"message": ""}, "invalid_message"),
        ({}, "invalid_message"),
        ("Bonjour", "invalid_message"),
        ({"message": "Bonjour", "metadata": "{bad"}, "invalid_metadata"),
        ({"message": "Bonjour", "metadata": "[1]"}, "invalid_metadata"),
        ({"message": "Bonjour", "metadata": ["dry_run"]}, "invalid_metadata"),
        ({"message": "Bonjour", "metadata": "[" * 100_000 + "]" * 100_000}, "invalid_metadata"),
    ],
)
def test_bad_widget_input_gets_a_french_refusal_with_a_code_and_no_traceback(
    assistant, widget, data, code
):
    logged_before = len(rasa_log(assistant))

    reply = widget.emit(data)
    greeting = widget.say("Bonjour")

    assert reply["code"] == code
    assert reply["text"].endswith(".") and reply["error"] == reply["text"]
    assert "Bonjour" in greeting["text"]
    assert "Traceback" not in rasa_log(assistant)[logged_before:]


@pytest.mark.parametrize(
    "requested",
    ["424242", "client-42", "web-" + "0" * 32 + "-" + "0" * 32, "", None, 7, ["x"]],
)
def test_a_session_id_the_server_did_not_sign_gets_a_new_session(assistant, requested):
    client = WidgetClient(assistant.rasa_url, requested)
    try:
        assert client.session_id != requested
        assert client.session_id.startswith("web-") and len(client.session_id) > 60
    finally:
        client.close()


def test_a_reloaded_page_resumes_its_own_signed_session(assistant, widget):
    widget.say("Bonjour")

    again = WidgetClient(assistant.rasa_url, widget.session_id)
    try:
        assert again.session_id == widget.session_id
        assert "assistant virtuel" in again.say("est-ce que je parle à un robot ?")["text"]
    finally:
        again.close()
    said = ["Bonjour", "est-ce que je parle à un robot ?"]
    assert user_texts(assistant, widget.session_id) == said


def test_a_widget_cannot_read_or_write_another_conversation_by_naming_it(assistant, widget):
    """A REST conversation that verified an identity is out of the widget's reach: naming its id
    (in session_request or in each message) gives a new, empty session."""
    victim = f"client-{secrets.token_hex(4)}"
    assistant.send(victim, "où est ma commande AZ104203 ?")
    assistant.send(victim, "marie.tremblay@exemple.ca")

    intruder = WidgetClient(assistant.rasa_url, victim)
    try:
        answer = intruder.emit({"message": "combien de points j'ai ?", "session_id": victim})
        assert intruder.session_id != victim
        assert "1250" not in answer["text"] and "1 250" not in answer["text"]
    finally:
        intruder.close()
    assert user_texts(assistant, victim) == [
        "où est ma commande AZ104203 ?",
        "marie.tremblay@exemple.ca",
    ]


def test_both_tabs_of_one_session_receive_each_reply_with_the_same_id(assistant, widget):
    """Issue 19, defect 7: a second tab (socket) of the session gets the replies too; the id
    lets the widget keep each one once."""
    other_tab = WidgetClient(assistant.rasa_url, widget.session_id)
    try:
        first = widget.say("est-ce que je parle à un robot ?")
        seen_by_other = other_tab.replies.get(timeout=REPLY_TIMEOUT_S)
    finally:
        other_tab.close()

    assert "assistant virtuel" in first["text"]
    assert seen_by_other == first
    assert isinstance(first["id"], str) and len(first["id"]) == 32


def test_the_server_acknowledges_a_message_once_it_is_handled(widget):
    """Issue 19, defect 6: the widget marks a message without this acknowledgement as
    unanswered."""
    acknowledged: queue.Queue[bool] = queue.Queue()
    message = {"message": "Bonjour", "session_id": widget.session_id}

    widget.client.emit("user_uttered", message, callback=lambda *_: acknowledged.put(True))

    assert acknowledged.get(timeout=REPLY_TIMEOUT_S) is True
    assert widget.replies.get(timeout=REPLY_TIMEOUT_S)["text"].startswith("Bonjour")
