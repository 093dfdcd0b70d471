"""The Rasa HTTP API and the agent-assist API refuse requests without their token."""

from __future__ import annotations

import pytest
import requests
from hardening_client import new_client

pytestmark = pytest.mark.slow

MISSING_OR_WRONG = [{}, {"token": "not-the-token"}, {"token": ""}]


@pytest.mark.parametrize("query", MISSING_OR_WRONG)
def test_model_parse_refuses_a_missing_or_wrong_token(assistant, query):
    response = requests.post(
        f"{assistant.rasa_url}/model/parse",
        params=query,
        json={"text": "Bonjour"},
        headers=new_client(),
        timeout=30,
    )

    assert response.status_code in (401, 403)
    assert "intent" not in response.json()


@pytest.mark.parametrize("query", MISSING_OR_WRONG)
def test_a_conversation_tracker_is_not_readable_without_the_token(assistant, query):
    assistant.send("token-check", "Bonjour")

    response = requests.get(
        f"{assistant.rasa_url}/conversations/token-check/tracker",
        params=query,
        headers=new_client(),
        timeout=30,
    )

    assert response.status_code in (401, 403)
    assert "events" not in response.json()


def test_the_tracker_is_readable_with_the_token(assistant):
    assistant.send("token-check", "Bonjour")

    response = requests.get(
        f"{assistant.rasa_url}/conversations/token-check/tracker",
        params={"token": assistant.auth_token},
        headers=new_client(),
        timeout=30,
    )

    assert response.status_code == 200
    assert response.json()["sender_id"] == "token-check"


@pytest.mark.parametrize(
    "authorization",
    [None, "", "Bearer", "Bearer wrong", "Basic abc", "bearer {token}", "Bearer {token}x"],
)
def test_agent_preview_refuses_without_the_bearer_token(assistant, authorization):
    headers = new_client()
    if authorization is not None:
        headers["Authorization"] = authorization.format(token=assistant.agent_token)

    response = requests.post(
        f"{assistant.rasa_url}/webhooks/agent/preview",
        json={"message": "Bonjour"},
        headers=headers,
        timeout=30,
    )

    assert response.status_code == 401
    assert "suggested_replies" not in response.json()
