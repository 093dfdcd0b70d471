"""Normalising what customers type: order numbers and email addresses."""

from __future__ import annotations

import hashlib
import re

ORDER_NUMBER_PATTERN = re.compile(r"^AZ\d{6}$")
EMAIL_PATTERN = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")

# "AZ104233", "az-104233", "AZ 104233", "#104233", "commande 104233", "104233"
_LOOSE_ORDER_NUMBER = re.compile(r"^(?:.*?\b)?(?:AZ)?[\s#-]*(\d{6})$", re.IGNORECASE)


def normalise_order_number(raw: str) -> str | None:
    """ "AZ" + 6 digits, or None when `raw` cannot be an Allyzure order number."""
    match = _LOOSE_ORDER_NUMBER.match(raw.strip())
    return f"AZ{match.group(1)}" if match else None


def normalise_email(raw: str) -> str | None:
    """Lower-case email, or None when `raw` is not shaped like an address."""
    email = raw.strip().lower()
    return email if EMAIL_PATTERN.match(email) else None


def failure_digest(kind: str, value: str) -> str:
    """What the failed-checks table keeps of an email or a client: a SHA-256, never the value.

    Enough to count failures per email and per client; the rows live one window (an hour).
    """
    return hashlib.sha256(f"{kind}:{value}".encode()).hexdigest()
