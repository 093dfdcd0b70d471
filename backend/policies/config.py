"""The policy file (backend/policy.yml) as a frozen, validated `PolicyConfig`."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import Any

import yaml

from backend.domain import SHOP_TZ

DEFAULT_POLICY_PATH = Path(__file__).resolve().parent.parent / "policy.yml"


class PolicyFileError(ValueError):
    """The policy file is missing a value or holds one of the wrong type."""


@dataclass(frozen=True)
class HolidayWindow:
    """Orders placed in [placed_from, placed_until] may be returned until `return_until`."""

    name: str
    placed_from: datetime
    placed_until: datetime
    return_until: date

    def contains(self, placed_at: datetime) -> bool:
        """Minute precision, both ends included: 00:00:30 is still "00:00", before 00:01."""
        minute = placed_at.astimezone(SHOP_TZ).replace(second=0, microsecond=0)
        return self.placed_from <= minute <= self.placed_until


@dataclass(frozen=True)
class PolicyConfig:
    """The shop's rules. The numbers live in backend/policy.yml only (`load_policy`): no
    defaults here, so that a number is never written twice; tests build their own."""

    return_days: int
    exchange_days: int
    cancellation_window: timedelta
    warranty_years: int
    sales_countries: tuple[str, ...]
    holiday_windows: tuple[HolidayWindow, ...]
    identity_failed_checks: int
    identity_window: timedelta
    identity_email_failed_checks: int
    identity_email_window: timedelta
    identity_client_failed_checks: int
    identity_client_window: timedelta
    retention: timedelta

    @property
    def cancel_hours(self) -> int:
        return int(self.cancellation_window.total_seconds() // 3600)

    def sells_in(self, country: str) -> bool:
        """Canada and the US: sales tax by region; anywhere else is international."""
        return country.upper() in self.sales_countries

    def holiday_window_for(self, placed_at: datetime) -> HolidayWindow | None:
        return next((w for w in self.holiday_windows if w.contains(placed_at)), None)

    def holiday_extension_in_force(self, today: date) -> bool:
        """Does a holiday extension still run on `today`, or lie ahead? Once the last one's
        returns are over, the FAQ's « Oui, prolongé » would quote a past season."""
        return any(window.return_until >= today for window in self.holiday_windows)


def load_policy(path: Path = DEFAULT_POLICY_PATH) -> PolicyConfig:
    """Read and validate the policy file; raises PolicyFileError naming the bad entry."""
    with open(path, encoding="utf-8") as stream:
        document = yaml.load(stream, Loader=yaml.CSafeLoader)  # safe_load, parsed by libyaml
    if not isinstance(document, dict):
        raise PolicyFileError(f"{path}: expected a mapping")
    reader = _Reader(document, str(path))
    return PolicyConfig(
        return_days=reader.positive_int("returns", "days_after_delivery"),
        exchange_days=reader.positive_int("exchange", "days_after_purchase"),
        cancellation_window=timedelta(
            hours=reader.positive_int("cancellation", "hours_after_placing")
        ),
        warranty_years=reader.positive_int("warranty", "years_after_purchase"),
        sales_countries=reader.countries("sales_countries"),
        holiday_windows=tuple(
            _holiday_window(entry, f"{path}: holiday_windows[{index}]")
            for index, entry in enumerate(document.get("holiday_windows") or [])
        ),
        identity_failed_checks=reader.positive_int("identity_checks", "failed_checks"),
        identity_window=timedelta(minutes=reader.positive_int("identity_checks", "window_minutes")),
        identity_email_failed_checks=reader.positive_int(
            "identity_checks", "per_email", "failed_checks"
        ),
        identity_email_window=timedelta(
            minutes=reader.positive_int("identity_checks", "per_email", "window_minutes")
        ),
        identity_client_failed_checks=reader.positive_int(
            "identity_checks", "per_client", "failed_checks"
        ),
        identity_client_window=timedelta(
            minutes=reader.positive_int("identity_checks", "per_client", "window_minutes")
        ),
        retention=timedelta(days=reader.positive_int("retention", "days")),
    )


class _Reader:
    def __init__(self, document: dict[str, Any], where: str) -> None:
        self._document = document
        self._where = where

    def value(self, *keys: str) -> Any:
        node: Any = self._document
        for key in keys:
            if not isinstance(node, dict) or key not in node:
                raise PolicyFileError(f"{self._where}: {'.'.join(keys)}: missing")
            node = node[key]
        return node

    def countries(self, *keys: str) -> tuple[str, ...]:
        value = self.value(*keys)
        if (
            not isinstance(value, list)
            or not value
            or not all(isinstance(code, str) and len(code) == 2 for code in value)
        ):
            raise PolicyFileError(
                f"{self._where}: {'.'.join(keys)}: expected a list of two-letter country codes"
            )
        return tuple(code.upper() for code in value)

    def positive_int(self, *keys: str) -> int:
        value = self.value(*keys)
        if isinstance(value, bool) or not isinstance(value, int) or value <= 0:
            raise PolicyFileError(f"{self._where}: {'.'.join(keys)}: expected a positive integer")
        return int(value)


def _holiday_window(entry: Any, where: str) -> HolidayWindow:
    if not isinstance(entry, dict):
        raise PolicyFileError(f"{where}: expected a mapping")
    try:
        window = HolidayWindow(
            name=str(entry["name"]),
            placed_from=_local_datetime(entry["placed_from"]),
            placed_until=_local_datetime(entry["placed_until"]),
            return_until=date.fromisoformat(str(entry["return_until"])),
        )
    except KeyError as error:
        raise PolicyFileError(f"{where}.{error.args[0]}: missing") from error
    except ValueError as error:
        raise PolicyFileError(f"{where}: {error}") from error
    if window.placed_until < window.placed_from:
        raise PolicyFileError(f"{where}: placed_until is before placed_from")
    return window


def _local_datetime(raw: Any) -> datetime:
    """A naive value is a local shop time; one with an offset is taken as given."""
    moment = datetime.fromisoformat(str(raw))
    if moment.tzinfo is None:
        return moment.replace(tzinfo=SHOP_TZ)
    return moment.astimezone(SHOP_TZ)
