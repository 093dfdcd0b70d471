"""The only place that reads the real time.

Policies and services receive a `Clock` (or the `now` it gives): `ALLYZURE_NOW`
replaces the real time with a fixed instant for tests and demos.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Protocol

from backend.config import Settings
from backend.domain import SHOP_TZ


class Clock(Protocol):
    def now(self) -> datetime:
        """The current instant, timezone-aware."""

    def today(self) -> date:
        """The current date in the shop's time zone."""


class SystemClock:
    def now(self) -> datetime:
        return datetime.now(SHOP_TZ)

    def today(self) -> date:
        return self.now().date()


class FixedClock:
    """A clock stopped at one instant (ALLYZURE_NOW, tests)."""

    def __init__(self, at: datetime) -> None:
        if at.tzinfo is None:
            raise ValueError("FixedClock needs a timezone-aware datetime")
        self._at = at.astimezone(SHOP_TZ)

    def now(self) -> datetime:
        return self._at

    def today(self) -> date:
        return self._at.date()

    def __repr__(self) -> str:
        return f"FixedClock({self._at.isoformat()})"


def clock_from_settings(settings: Settings) -> Clock:
    if settings.now_override is not None:
        return FixedClock(settings.now_override)
    return SystemClock()
