"""Talking to the session's running `assistant` as distinct clients.

Every request says which client it comes from (`X-Forwarded-For`, trusted from loopback), so
that the per-client rate limit of server/http_guard.py counts each test's traffic apart from
the rest of the suite, as it would count different customers.
"""

from __future__ import annotations

import secrets

import requests

REST_PATH = "/webhooks/rest/webhook"


def new_client() -> dict[str, str]:
    """Headers of a client never seen before (an address of the IPv6 documentation range)."""
    return {"X-Forwarded-For": f"2001:db8::{secrets.token_hex(2)}:{secrets.token_hex(2)}"}


def new_sender() -> str:
    return f"hardening-{secrets.token_hex(6)}"


def rest_send(assistant, sender: str, message: str, headers: dict[str, str]) -> list[dict]:
    response = requests.post(
        f"{assistant.rasa_url}{REST_PATH}",
        json={"sender": sender, "message": message},
        headers=headers,
        timeout=60,
    )
    assert response.status_code == 200, response.text[:300]
    return response.json()


def texts(replies: list[dict]) -> list[str]:
    return [reply["text"] for reply in replies if "text" in reply]


def greets_normally(assistant, sender: str, headers: dict[str, str]) -> bool:
    """The conversation still answers « Bonjour » with the assistant's greeting."""
    greeting = texts(rest_send(assistant, sender, "Bonjour", headers))
    return any(text.startswith("Bonjour") and "Allyzure" in text for text in greeting)
