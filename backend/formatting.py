"""French (fr_CA) rendering of dates, times, amounts and statuses, through Babel.

Spaces: Babel's fr_CA output separates thousands and puts the currency or percent sign
after a no-break space; depending on the CLDR version, some of these are the narrow
no-break space U+202F, which several fonts lack. Every space inside an amount, a
percentage or a time is normalised to the no-break space U+00A0 (`NBSP`): it renders
as a normal space and never lets "$" or "h 02" wrap onto the next line. Dates keep
ordinary spaces. Compare with `NBSP` in tests, or `.replace(NBSP, " ")`.
"""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal

from babel.dates import format_date, format_time
from babel.numbers import format_currency, format_decimal
from babel.numbers import format_percent as babel_format_percent

from backend.domain import SHOP_TZ, OrderStatus
from backend.policies.config import PolicyConfig

LOCALE = "fr_CA"
NBSP = "\u00a0"
_NARROW_NBSP = "\u202f"

STATUS_LABELS = {
    OrderStatus.PROCESSING: "Traitement",
    OrderStatus.SHIPPED: "Expédié",
    OrderStatus.DELIVERED: "Livré",
    OrderStatus.CANCELLED: "Annulée",
}


def format_date_fr(value: date | datetime) -> str:
    """« 31 janvier 2025 », « 1er mars 2025 » (French ordinal for the first); no weekday.

    A datetime is first converted to its local date in the shop's time zone.
    """
    day = value.astimezone(SHOP_TZ).date() if isinstance(value, datetime) else value
    text = format_date(day, format="d MMMM y", locale=LOCALE)
    return "1er" + text[1:] if day.day == 1 else text


def format_time_fr(moment: datetime) -> str:
    """« 15 h 02 », « 9 h 05 », in the shop's time zone."""
    text = format_time(moment, format="H 'h' mm", tzinfo=SHOP_TZ, locale=LOCALE)
    return _no_break(text.replace(" ", NBSP))


def format_money(amount: Decimal, currency: str) -> str:
    """« 249,00 $ » for CAD, « 69,00 $ US » for USD, « 1 249,00 € »."""
    return _no_break(format_currency(amount, currency, locale=LOCALE))


def format_count(value: int) -> str:
    """A whole number, thousands grouped by a narrow no-break space: « 1 250 » (French usage)."""
    text = format_decimal(value, locale=LOCALE)
    return text.replace(NBSP, _NARROW_NBSP).replace(" ", _NARROW_NBSP)


def format_percent(fraction: Decimal) -> str:
    """A fraction as a percentage, up to 3 decimals: 0.09975 → « 9,975 % », 0.05 → « 5 % »."""
    return _no_break(babel_format_percent(fraction, format="#,##0.###\u00a0%", locale=LOCALE))


def status_label(status: OrderStatus | str) -> str:
    """The FAQ's name of an order status: Traitement, Expédié, Livré, Annulée."""
    return STATUS_LABELS[OrderStatus(status)]


def _no_break(text: str) -> str:
    return text.replace(_NARROW_NBSP, NBSP).replace(" ", NBSP)


def policy_values(policy: PolicyConfig) -> dict[str, str | int]:
    """The policy numbers and dates as the customer reads them: the variables every response
    of bot/domain.yml and the demo page may quote ({return_days}, {cancel_hours}…)."""
    holiday = policy.holiday_windows[-1] if policy.holiday_windows else None
    return {
        "return_days": policy.return_days,
        "exchange_days": policy.exchange_days,
        "cancel_hours": policy.cancel_hours,
        "warranty_years": policy.warranty_years,
        "holiday_from": format_date_fr(holiday.placed_from) if holiday else "",
        "holiday_until": format_date_fr(holiday.placed_until) if holiday else "",
        "holiday_return_until": format_date_fr(holiday.return_until) if holiday else "",
    }
