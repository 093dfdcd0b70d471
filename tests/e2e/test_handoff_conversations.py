"""Handed-over conversations over the widget's real socket.io channel and the agent workspace's
HTTP API (issue 18): each conversation is handed over on its own, even about the same order;
nothing the assistant would answer is sent while the conversation waits for an agent; the
customer can go back to the assistant; and an agent's message reaches the widget whichever
Rasa server handles the agent's call (the production profile runs two: `make test-prod`).
"""

from __future__ import annotations

import queue
import re
import time
from collections.abc import Callable, Iterator
from urllib.parse import quote

import pytest
import requests
import socketio
from support import Account, create_agent, joined

pytestmark = pytest.mark.slow

MARIE = "marie.tremblay@exemple.ca"
REFERENCE = re.compile(r"AG-\d{6}-\d{2}|AG-[0-9A-F]{8}")
REPLY_TIMEOUT_S = 60
QUIET_S = 2.5  # how long the widget must stay silent for "nothing was sent"
HANDED_OVER = "prendre le relais"
ACKNOWLEDGED = "transmis au conseiller"


class Widget:
    """A customer's widget: socket.io over long-polling, one server-issued session."""

    def __init__(self, rasa_url: str) -> None:
        self.replies: queue.Queue[dict] = queue.Queue()
        confirmed: queue.Queue[str] = queue.Queue()
        self.client = socketio.Client()
        self.client.on("bot_uttered", self.replies.put)
        self.client.on("session_confirm", confirmed.put)
        self.client.connect(rasa_url, socketio_path="/socket.io", transports=["polling"])
        self.client.emit("session_request", {"session_id": None})
        self.session_id = confirmed.get(timeout=REPLY_TIMEOUT_S)

    def say(self, text: str) -> None:
        self.client.emit("user_uttered", {"message": text, "session_id": self.session_id})

    def until(self, wanted: Callable[[str], bool]) -> str:
        """Every text received until one is `wanted` (joined, no-break spaces as spaces)."""
        texts: list[str] = []
        deadline = time.monotonic() + REPLY_TIMEOUT_S
        while not texts or not wanted(texts[-1]):
            try:
                reply = self.replies.get(timeout=max(0.1, deadline - time.monotonic()))
            except queue.Empty:
                raise AssertionError(f"not the awaited message, only: {texts}") from None
            texts.append(joined([reply.get("text") or ""]))
        return "\n".join(texts)

    def silent_for(self, seconds: float) -> list[str]:
        """What arrives during `seconds` (nothing, for a silent assistant)."""
        received: list[str] = []
        deadline = time.monotonic() + seconds
        while (left := deadline - time.monotonic()) > 0:
            try:
                received.append(self.replies.get(timeout=left).get("text") or "")
            except queue.Empty:
                break
        return received

    def close(self) -> None:
        self.client.disconnect()


class Desk:
    """An agent signed in to the workspace's HTTP API (what /agent/ calls)."""

    def __init__(self, web_url: str, account: Account) -> None:
        self.api = f"{web_url}/agent/api"
        self.session = requests.Session()
        response = self.session.post(
            f"{self.api}/login",
            json={"username": account.username, "password": account.password},
            timeout=30,
        )
        response.raise_for_status()
        self.csrf = response.json()["csrf"]

    def queued(self) -> list[str]:
        response = self.session.get(f"{self.api}/queue", timeout=30)
        response.raise_for_status()
        return [item["conversation_id"] for item in response.json()["queue"]]

    def post(self, action: str, conversation_id: str, **body: str) -> None:
        response = self.session.post(
            f"{self.api}/{action}",
            json={"conversation_id": conversation_id, **body},
            headers={"X-CSRF-Token": self.csrf},
            timeout=60,
        )
        assert response.status_code == 200, response.text


@pytest.fixture
def widgets(assistant) -> Iterator[Callable[[], Widget]]:
    opened: list[Widget] = []

    def open_widget() -> Widget:
        opened.append(Widget(assistant.rasa_url))
        return opened[-1]

    yield open_widget
    for widget in opened:
        widget.close()


@pytest.fixture(scope="module")
def agent(assistant) -> Account:
    return create_agent(assistant.database_url, "Sophie Tremblay")


def hand_over_order_az104203(widget: Widget) -> str:
    """Marie identifies her order, then asks for a human: the handoff's reference."""
    widget.say("Où en est ma commande AZ104203 ?")
    widget.until(lambda text: "courriel" in text)
    widget.say(MARIE)
    widget.until(lambda text: "Postes Canada" in text)
    widget.say("Je veux parler à un conseiller")
    return REFERENCE.search(widget.until(lambda text: HANDED_OVER in text)).group(0)


def test_two_conversations_about_one_order_are_two_handoffs_and_each_reply_reaches_its_chat(
    assistant, widgets, agent
):
    first, second = widgets(), widgets()
    references = [hand_over_order_az104203(first), hand_over_order_az104203(second)]
    desk = Desk(assistant.web_url, agent)

    queued = desk.queued()
    for widget in (first, second):
        desk.post("take", widget.session_id)
        widget.until(lambda text: "ici Sophie Tremblay" in text)
    desk.post("send", first.session_id, text="Réponse pour la première conversation.")
    desk.post("send", second.session_id, text="Réponse pour la deuxième conversation.")

    assert references[0] != references[1]
    assert {first.session_id, second.session_id} <= set(queued)
    assert "première" in first.until(lambda text: "conversation." in text)
    assert "deuxième" in second.until(lambda text: "conversation." in text)
    assert first.silent_for(QUIET_S) == [] and second.silent_for(0.1) == []


def test_while_waiting_for_an_agent_the_assistant_only_acknowledges_once_until_asked_back(
    assistant, widgets, agent
):
    widget = widgets()
    hand_over_order_az104203(widget)
    desk = Desk(assistant.web_url, agent)

    widget.say("Vous êtes là ?")
    acknowledgment = widget.until(lambda text: ACKNOWLEDGED in text)
    widget.say("Où est mon colis exactement ?")
    said_while_waiting = widget.silent_for(QUIET_S)
    still_queued = widget.session_id in desk.queued()
    widget.say("revenir à l’assistant")
    back = widget.until(lambda text: "je reprends la conversation" in text)
    widget.say("Quels sont vos délais de livraison ?")
    answer = widget.until(lambda text: "livraison" in text)

    assert "revenir à l’assistant" in acknowledgment
    assert said_while_waiting == []
    assert still_queued
    assert "j’annule la demande de conseiller" in back
    assert widget.session_id not in desk.queued()
    assert "pas bien compris" not in answer
    customer_lines = [
        event.get("text")
        for event in assistant.tracker(widget.session_id)["events"]
        if event.get("event") == "user"
    ]
    assert "Où est mon colis exactement ?" in customer_lines  # kept for the agent's transcript


def rasa_servers(assistant) -> list[str]:
    """Every Rasa server of the profile: the production profile's workers behind nginx, or the
    default profile's one server."""
    ports = getattr(assistant.stack, "rasa_ports", None) or [assistant.stack.config.rasa_port]
    return [f"http://127.0.0.1:{port}" for port in ports]


def test_an_agents_message_reaches_the_widget_through_every_rasa_server(assistant, widgets):
    widget = widgets()
    widget.say("Bonjour")
    widget.until(lambda text: bool(text))

    for index, server in enumerate(rasa_servers(assistant), start=1):
        text = f"Message de l’agent par le serveur {index}."
        response = requests.post(
            f"{server}/conversations/{quote(widget.session_id, safe='')}/tracker/events",
            params={
                "token": assistant.auth_token,
                "output_channel": "latest",
                "execute_side_effects": "true",
            },
            json=[{"event": "bot", "text": text, "metadata": {"agent": {"name": "Test"}}}],
            timeout=60,
        )
        response.raise_for_status()

        assert widget.until(lambda received: "Message de l’agent" in received).endswith(text)
