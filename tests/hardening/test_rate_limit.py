"""Per-client rate limit of the Rasa server (server/http_guard.py), over real HTTP.

The suite's stack runs with the defaults: bursts of 60 requests, then 300 a minute, for
remote clients (each test poses as one through X-Forwarded-For); local processes are exempt.
"""

from __future__ import annotations

import pytest
import requests
from hardening_client import new_client, new_sender

from server.http_guard import RATE_LIMITED_TEXT

pytestmark = pytest.mark.slow

DEFAULT_BURST = 60


def exhaust(assistant, client: dict[str, str]) -> requests.Response:
    """Cheap requests until the server says 429 (or clearly never will)."""
    with requests.Session() as session:
        for _ in range(DEFAULT_BURST * 3):
            response = session.get(
                f"{assistant.rasa_url}/webhooks/rest/", headers=client, timeout=10
            )
            if response.status_code == 429:
                return response
    return response


def test_a_client_over_its_burst_gets_429_with_retry_after(assistant):
    refused = exhaust(assistant, new_client())

    assert refused.status_code == 429
    assert int(refused.headers["Retry-After"]) >= 1
    assert refused.json()["code"] == "rate_limited"
    assert refused.json()["error"].startswith("Vous m’envoyez beaucoup de messages")


def test_the_rest_channel_says_it_in_french(assistant):
    client = new_client()
    exhaust(assistant, client)

    response = requests.post(
        f"{assistant.rasa_url}/webhooks/rest/webhook",
        json={"sender": new_sender(), "message": "Bonjour"},
        headers=client,
        timeout=10,
    )

    assert response.status_code == 429
    assert [reply["text"] for reply in response.json()] == [RATE_LIMITED_TEXT]


def test_other_clients_are_still_served(assistant):
    exhaust(assistant, new_client())

    response = requests.get(f"{assistant.rasa_url}/webhooks/rest/", headers=new_client())

    assert response.status_code == 200


def test_processes_of_this_machine_are_not_limited(assistant):
    assert exhaust(assistant, {}).status_code == 200
