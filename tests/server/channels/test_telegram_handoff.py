"""A handed-over Telegram conversation: the agent's words reach the customer through the Bot API
(the local fake), and the assistant stays silent while the agent owns the conversation.

The workspace (web/workspace.py) runs in the test process, on the channel stack's real Rasa
server and shop database; the browser side of the workspace is tests/web/."""

from __future__ import annotations

import time
from datetime import UTC, datetime

import pytest
from test_telegram_webhook import _chat_id, post_update, sent_to, text_update

from backend.agents import AgentAccounts
from backend.config import load_settings
from backend.db import make_engine, make_session_factory
from backend.handoff import MailSettings, WorkspaceDesk, parse_opening_hours
from backend.services import build_shop_service
from web.rasa_client import RasaConversations
from web.workspace import COOKIE_NAME, Workspace

pytestmark = pytest.mark.slow

QUIET_S = 2.5


@pytest.fixture
def workspace(channel_stack, monkeypatch) -> Workspace:
    monkeypatch.setenv("ALLYZURE_DATABASE_URL", channel_stack.database_url)
    session_factory = make_session_factory(make_engine(channel_stack.database_url))
    return Workspace(
        accounts=AgentAccounts(session_factory),
        desk=WorkspaceDesk(
            session_factory,
            parse_opening_hours("mon-sun 00:00-23:59"),
            MailSettings("127.0.0.1", 1, "assistant@allyzure.com", "support@allyzure.com"),
        ),
        shop=build_shop_service(load_settings()),
        rasa=RasaConversations(channel_stack.rasa_url, channel_stack.auth_token, ""),
    )


def signed_in(workspace: Workspace) -> tuple[str, str]:
    """(session cookie, CSRF token) of a new agent, logged in through the API."""
    username = f"agent-{time.monotonic_ns()}"
    workspace.accounts.create(username, "Sophie", "mot-de-passe-long", "agent", datetime.now(UTC))
    credentials = {"username": username, "password": "mot-de-passe-long"}
    reply = workspace.post("/agent/api/login", credentials, None, None, True)
    cookie = reply.headers["Set-Cookie"].split(";")[0].removeprefix(f"{COOKIE_NAME}=")
    return cookie, reply.body["csrf"]


def test_an_agent_answers_a_telegram_customer_through_the_bot_api(
    channel_stack, fake_telegram, workspace
):
    chat_id = _chat_id()
    conversation = f"telegram-{chat_id}"
    secret = channel_stack.telegram_secret
    post_update(channel_stack, text_update(chat_id, "Je veux parler à un conseiller"), secret)
    [queued] = fake_telegram.wait_for(sent_to(channel_stack, chat_id))
    assert "prendre le relais" in queued.body["text"]
    cookie, csrf = signed_in(workspace)

    def act(path: str, **body) -> int:
        body["conversation_id"] = conversation
        return workspace.post(f"/agent/api/{path}", body, cookie, csrf, True).status

    assert act("take") == 200
    joined = fake_telegram.wait_for(sent_to(channel_stack, chat_id), count=2)[-1]
    assert "ici Sophie, de l’équipe Allyzure" in joined.body["text"]

    post_update(channel_stack, text_update(chat_id, "Où est mon colis ?"), secret)
    time.sleep(QUIET_S)
    assert len(fake_telegram.matching(sent_to(channel_stack, chat_id))) == 2

    assert act("send", text="Votre colis arrive demain.", suggestion="") == 200
    answer = fake_telegram.wait_for(sent_to(channel_stack, chat_id), count=3)[-1]
    assert answer.body["text"] == "Votre colis arrive demain."

    assert act("handback") == 200
    back = fake_telegram.wait_for(sent_to(channel_stack, chat_id), count=4)[-1]
    assert "vous redonne la parole" in back.body["text"]
