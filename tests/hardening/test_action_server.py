"""The action server answers only the Rasa server (issue 13, defect 3).

It listened on 0.0.0.0 without authentication: a forged `POST /webhook` with a hand-made
tracker (`validate_identification_form`, `dry_run` metadata) checked any email against any
order, with no limit and nothing recorded. It now listens on loopback and refuses every call
without the shared secret the Rasa server sends (server/action_server.py).
"""

from __future__ import annotations

import socket

import pytest
import requests

from server.action_server import TOKEN_HEADER

pytestmark = pytest.mark.slow


def forged_call(order_number: str, email: str) -> dict:
    text = f"{order_number} {email}"
    latest = {
        "text": text,
        "intent": {"name": "inform", "confidence": 1.0},
        "entities": [],
        "metadata": {"dry_run": True},
    }
    return {
        "next_action": "validate_identification_form",
        "sender_id": "forged",
        "version": "3.6.0",
        "domain": {"slots": {}, "forms": {}},
        "tracker": {
            "sender_id": "forged",
            "slots": {"order_number": order_number, "email": email, "requested_slot": "email"},
            "latest_message": latest,
            "events": [
                {
                    "event": "user",
                    "text": text,
                    "parse_data": latest,
                    "input_channel": "agent",
                    "metadata": {"dry_run": True},
                }
            ],
            "paused": False,
            "followup_action": None,
            "active_loop": {"name": "identification_form"},
            "latest_action_name": "action_listen",
        },
    }


@pytest.mark.parametrize("headers", [{}, {TOKEN_HEADER: ""}, {TOKEN_HEADER: "not-the-token"}])
def test_a_forged_action_call_without_the_shared_secret_is_refused(assistant, headers):
    response = requests.post(
        f"{assistant.stack.config.actions_url}/webhook",
        json=forged_call("AZ104203", "marie.tremblay@exemple.ca"),
        headers=headers,
        timeout=30,
    )

    assert response.status_code == 401
    assert response.json()["code"] == "unauthorized"
    assert "events" not in response.json()


def test_the_list_of_actions_is_not_public_either(assistant):
    response = requests.get(f"{assistant.stack.config.actions_url}/actions", timeout=30)

    assert response.status_code == 401


def test_the_health_check_stays_open_and_conversations_still_run_actions(assistant):
    health = requests.get(f"{assistant.stack.config.actions_url}/health", timeout=30)
    replies = assistant.texts("action-server-check", "le code FETES25 marche pas")

    assert health.status_code == 200
    assert any("FETES25" in text for text in replies)  # a custom action answered


def outward_address() -> str | None:
    """This machine's address on its network (not loopback), if it has one."""
    with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as probe:
        try:
            probe.connect(("192.0.2.1", 9))  # TEST-NET-1: nothing is sent
        except OSError:
            return None
        address = probe.getsockname()[0]
    return None if address.startswith("127.") else address


def test_the_action_server_listens_on_loopback_only(assistant):
    address = outward_address()
    if address is None:
        pytest.skip("no non-loopback address on this machine")
    with socket.socket() as client:
        client.settimeout(5)
        assert client.connect_ex((address, assistant.stack.config.actions_port)) != 0
