"""Fixtures of the end-to-end conversations."""

from __future__ import annotations

import pytest
from support import Conversation, shop_service_on


@pytest.fixture
def shop(assistant, monkeypatch):
    """The backend service on the running stack's database: what a conversation wrote."""
    return shop_service_on(assistant.database_url, monkeypatch)


@pytest.fixture
def chat(assistant, sender_id) -> Conversation:
    return Conversation(assistant, sender_id)
