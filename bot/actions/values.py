"""Turn backend facts into the French values the responses in domain.yml expect."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date, datetime
from decimal import Decimal

from backend.formatting import format_date_fr, format_money, format_time_fr, status_label

NBSP = "\u00a0"
# Shown in an agent-assist preview, where no reference is reserved.
PREVIEW_REFERENCE = "(aperçu)"


def day(value: date | datetime | None) -> str:
    return format_date_fr(value) if value else ""


def time_of_day(value: datetime | None) -> str:
    return format_time_fr(value) if value else ""


def money(amount: Decimal, currency: str) -> str:
    return format_money(amount, currency)


def status(value: str) -> str:
    return status_label(value)


def typographic(text: str) -> str:
    """Shop data is typed with straight apostrophes; customers read typographic ones."""
    return text.replace("'", "’")


def quoted(name: str) -> str:
    return f"«{NBSP}{typographic(name)}{NBSP}»"


def enumeration(items: Iterable[str]) -> str:
    """« a », « b » et « c »."""
    names = [quoted(item) for item in items]
    if len(names) <= 1:
        return "".join(names)
    return f"{', '.join(names[:-1])} et {names[-1]}"
