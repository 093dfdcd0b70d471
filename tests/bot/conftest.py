"""Actions run against a real SQLite shop loaded with the demo fixture, at a fixed "now"."""

from __future__ import annotations

import pytest
from actions.shop import help_desk, shop_clock, shop_service
from support import FROZEN_NOW, load_demo_data


@pytest.fixture(scope="session")
def demo_database(tmp_path_factory) -> str:
    url = f"sqlite:///{tmp_path_factory.mktemp('shop') / 'shop.db'}"
    load_demo_data(url)
    return url


@pytest.fixture
def shop(demo_database, monkeypatch):
    """The action server's service, pointed at the demo database."""
    monkeypatch.setenv("ALLYZURE_DATABASE_URL", demo_database)
    monkeypatch.setenv("ALLYZURE_NOW", FROZEN_NOW)
    caches = (shop_service, help_desk, shop_clock)  # each read the environment once
    for cached in caches:
        cached.cache_clear()
    yield shop_service()
    for cached in caches:
        cached.cache_clear()
