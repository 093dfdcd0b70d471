"""Access to the shop backend from the action server, built on first use (never at import)."""

from __future__ import annotations

from functools import cache

from backend.clock import Clock, clock_from_settings
from backend.config import load_settings
from backend.db import make_engine, make_session_factory
from backend.handoff import (
    HelpDesk,
    WorkspaceDesk,
    mail_settings_from_environment,
    opening_hours_from_environment,
)
from backend.services import ShopService, build_shop_service


@cache
def shop_service() -> ShopService:
    """One service per action-server process, configured from the environment."""
    return build_shop_service(load_settings())


@cache
def shop_clock() -> Clock:
    """The shop's time (ALLYZURE_NOW when set): opening hours are read on it."""
    return clock_from_settings(load_settings())


@cache
def help_desk() -> HelpDesk:
    """Whoever answers handed-over conversations: the built-in agent workspace's queue."""
    engine = make_engine(load_settings().database_url)
    return WorkspaceDesk(
        make_session_factory(engine),
        opening_hours_from_environment(),
        mail_settings_from_environment(),
    )
