"""Access to the shop backend from the action server, built on first use (never at import)."""

from __future__ import annotations

from functools import cache

from backend.config import load_settings
from backend.services import ShopService, build_shop_service


@cache
def shop_service() -> ShopService:
    """One service per action-server process, configured from the environment."""
    return build_shop_service(load_settings())
