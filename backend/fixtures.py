"""Fixture files (docs/design.md §4): validate a whole file, then upsert it in one transaction.

Validation collects every error of the file before anything is written; an invalid
file writes nothing. Errors read `file: path.in.document: reason`.

Relative dates resolve against the clock:
- `now`, `now-3h`, `now+22h`, `now-90m`, `now-2d`: the clock's instant, truncated to the
  minute (two loads within the same minute resolve identically), plus that much real
  time (across a DST change too);
- `today`, `today-12d`, `today+1w`: the local date in America/Toronto plus whole days.
  Where a date-time is expected, a date (relative or absolute, e.g. `2026-11-26`) means
  12:00 local time that day: noon never falls in a DST gap and stays on the same local
  date in every North American time zone.
Where a date is expected, a date-time means its local date.

Loading upserts by natural keys: customer email (case-insensitive), product SKU, order
number, tax rate (country, region, name), promotion code (title for a sale without a
code). Order lines and tracking events are matched by position. Loading the same file
twice changes nothing the second time.

`replace=True` makes the shop data mirror the file exactly: whatever the file does not
describe (customers, products, orders, tax rates, promotions) is deleted. Rows the file
describes are updated in place rather than deleted and re-created, so a second replace
of the same file is still a no-op. Service requests are not shop data: they are the
assistant's record of what it did and are kept (they refer to orders by number only).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Any

import yaml
from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from backend.clock import Clock
from backend.db import unit_of_work
from backend.domain import SHOP_TZ, OrderStatus, ProductCategory, PromotionKind, elapsed_since
from backend.identity import EMAIL_PATTERN, ORDER_NUMBER_PATTERN
from backend.models import (
    Customer,
    LoyaltyAccount,
    Order,
    OrderLine,
    Product,
    Promotion,
    Shipment,
    TaxRate,
    TrackingEvent,
)

NOON = time(12, 0)
_RELATIVE = re.compile(r"^(now|today)\s*(?:([+-])\s*(\d+)\s*([a-z]))?$")
_NOW_UNITS = {"m": "minutes", "h": "hours", "d": "days", "w": "weeks"}
_TODAY_UNITS = {"d": 1, "w": 7}
_COUNTRY = re.compile(r"^[A-Z]{2}$")
_CURRENCY = re.compile(r"^[A-Z]{3}$")
_INVALID = object()  # a value that failed validation (its error is already recorded)


# Errors


@dataclass(frozen=True)
class FixtureError:
    path: str
    reason: str

    def render(self, file: str) -> str:
        return f"{file}: {self.path}: {self.reason}"


class FixtureValidationError(Exception):
    def __init__(self, file: str, errors: list[FixtureError]) -> None:
        self.file = file
        self.errors = errors
        super().__init__("\n".join(self.lines()))

    def lines(self) -> list[str]:
        return [error.render(self.file) for error in self.errors]


# Validated content of a file


@dataclass(frozen=True)
class CustomerSpec:
    email: str
    first_name: str
    last_name: str
    loyalty: tuple[bool, int] | None  # (member, points)


@dataclass(frozen=True)
class ProductSpec:
    sku: str
    name: str
    category: ProductCategory
    price: Decimal
    personalized: bool
    gift_card: bool
    warranty_excluded: bool


@dataclass(frozen=True)
class LineSpec:
    sku: str
    quantity: int
    unit_price: Decimal
    engraving: str | None


@dataclass(frozen=True)
class EventSpec:
    at: datetime
    location: str
    description: str


@dataclass(frozen=True)
class ShipmentSpec:
    carrier: str
    tracking_number: str
    shipped_at: datetime
    estimated_delivery: date | None
    delivered_at: datetime | None
    events: tuple[EventSpec, ...]


@dataclass(frozen=True)
class OrderSpec:
    number: str
    customer: str
    placed_at: datetime
    status: OrderStatus
    currency: str
    shipping_fee: Decimal
    discount: Decimal
    promo_code: str | None
    address: dict[str, str | None]
    lines: tuple[LineSpec, ...]
    shipment: ShipmentSpec | None


@dataclass(frozen=True)
class TaxRateSpec:
    country: str
    region: str
    name: str
    rate: Decimal


@dataclass(frozen=True)
class PromotionSpec:
    code: str | None
    title: str
    kind: PromotionKind
    percent_off: Decimal
    starts_at: datetime
    ends_at: datetime
    min_subtotal: Decimal
    first_order_only: bool


@dataclass(frozen=True)
class FixtureData:
    customers: tuple[CustomerSpec, ...] = ()
    products: tuple[ProductSpec, ...] = ()
    orders: tuple[OrderSpec, ...] = ()
    tax_rates: tuple[TaxRateSpec, ...] = ()
    promotions: tuple[PromotionSpec, ...] = ()


# Reading and validating


def read_fixture_file(path: Path | str, clock: Clock) -> FixtureData:
    """Parse and validate a fixture file; raises FixtureValidationError with every error."""
    file = str(path)
    try:
        text = Path(path).read_text(encoding="utf-8")
    except OSError as error:
        raise FixtureValidationError(
            file, [FixtureError("(file)", f"cannot read: {error.strerror}")]
        ) from error
    return parse_fixture(text, file, clock)


def parse_fixture(text: str, file: str, clock: Clock) -> FixtureData:
    try:
        document = yaml.load(text, Loader=_FixtureLoader)  # a SafeLoader subclass
    except yaml.YAMLError as error:
        mark = getattr(error, "problem_mark", None)
        where = f"line {mark.line + 1}" if mark else "(document)"
        problem = getattr(error, "problem", None) or str(error)
        raise FixtureValidationError(
            file, [FixtureError(where, f"invalid YAML: {problem}")]
        ) from error
    validator = _Validator(clock)
    data = validator.document(document)
    if validator.errors:
        raise FixtureValidationError(file, validator.errors)
    return data


class _FixtureLoader(yaml.SafeLoader):
    """SafeLoader with YAML 1.2 scalars where 1.1 surprises.

    Dates stay text, so that the validator parses every date itself (and reports bad
    ones); only true/false are booleans, so that Ontario's `region: ON` (or NO, for
    Norway) stays a string instead of becoming True.
    """


_YAML_BOOL = "tag:yaml.org,2002:bool"
_YAML_TIMESTAMP = "tag:yaml.org,2002:timestamp"
_FixtureLoader.yaml_implicit_resolvers = {
    first: [(tag, regexp) for tag, regexp in resolvers if tag not in (_YAML_BOOL, _YAML_TIMESTAMP)]
    for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}
_FixtureLoader.add_implicit_resolver(
    _YAML_BOOL, re.compile(r"^(?:true|True|TRUE|false|False|FALSE)$"), list("tTfF")
)

_SECTIONS = ("customers", "products", "orders", "tax_rates", "promotions")
_ADDRESS_FIELDS = ("name", "line1", "line2", "city", "region", "postal_code", "country")


class _Validator:
    """Turns the YAML document into specs, recording an error for each bad value."""

    def __init__(self, clock: Clock) -> None:
        self.errors: list[FixtureError] = []
        self._now = clock.now().astimezone(SHOP_TZ).replace(second=0, microsecond=0)
        self._today = clock.today()

    def error(self, path: str, reason: str) -> object:
        self.errors.append(FixtureError(path, reason))
        return _INVALID

    # Document and sections

    def document(self, document: Any) -> FixtureData:
        if document is None:
            return FixtureData()
        if not isinstance(document, dict):
            self.error("(document)", f"expected a mapping with {', '.join(_SECTIONS)}")
            return FixtureData()
        self._unknown_keys(document, _SECTIONS, "")
        customers = self._section(document, "customers", self.customer)
        products = self._section(document, "products", self.product)
        emails = self._unique(customers, lambda c: c.email, "customers", "email", "duplicate email")
        skus = self._unique(products, lambda p: p.sku, "products", "sku", "duplicate sku")
        orders = self._section(
            document, "orders", lambda item, path: self.order(item, path, emails, skus)
        )
        self._unique(orders, lambda o: o.number, "orders", "number", "duplicate order number")
        tax_rates = self._section(document, "tax_rates", self.tax_rate)
        self._unique(
            tax_rates,
            lambda t: (t.country, t.region, t.name),
            "tax_rates",
            "name",
            "duplicate tax rate for this country and region",
        )
        promotions = self._section(document, "promotions", self.promotion)
        with_code = [p if p is not _INVALID and p.code else _INVALID for p in promotions]
        without_code = [p if p is not _INVALID and not p.code else _INVALID for p in promotions]
        self._unique(with_code, lambda p: p.code, "promotions", "code", "duplicate promotion code")
        self._unique(
            without_code,
            lambda p: p.title,
            "promotions",
            "title",
            "duplicate title of a sale without code (its title identifies it)",
        )
        return FixtureData(
            customers=tuple(c for c in customers if c is not _INVALID),
            products=tuple(p for p in products if p is not _INVALID),
            orders=tuple(o for o in orders if o is not _INVALID),
            tax_rates=tuple(t for t in tax_rates if t is not _INVALID),
            promotions=tuple(p for p in promotions if p is not _INVALID),
        )

    def _section(self, document: dict, name: str, item: Callable[[Any, str], Any]) -> list:
        """Every item of a section, in order; invalid ones stay as _INVALID to keep indexes."""
        value = document.get(name)
        if value is None:
            return []
        if not isinstance(value, list):
            self.error(name, "expected a list")
            return []
        return [item(entry, f"{name}[{index}]") for index, entry in enumerate(value)]

    def _unique(
        self, items: list, key: Callable[[Any], Any], section: str, field_name: str, reason: str
    ) -> set:
        seen: set = set()
        for index, item in enumerate(items):
            if item is _INVALID:
                continue
            value = key(item)
            if value in seen:
                self.error(f"{section}[{index}].{field_name}", f"{reason} {_show(value)}")
            seen.add(value)
        return seen

    # Items

    def customer(self, item: Any, path: str) -> Any:
        fields = self._mapping(item, path, ("email", "first_name", "last_name", "loyalty"))
        if fields is None:
            return _INVALID
        email = self._email(fields, "email", path)
        first_name = self._text(fields, "first_name", path)
        last_name = self._text(fields, "last_name", path)
        loyalty = self._loyalty(fields.get("loyalty"), f"{path}.loyalty")
        values = (email, first_name, last_name, loyalty)
        if _INVALID in values:
            return _INVALID
        return CustomerSpec(email, first_name, last_name, loyalty)

    def _loyalty(self, value: Any, path: str) -> Any:
        if value is None:
            return None
        fields = self._mapping(value, path, ("member", "points"))
        if fields is None:
            return _INVALID
        member = self._boolean(fields, "member", path)
        points = self._integer(fields, "points", path, minimum=0)
        return _INVALID if _INVALID in (member, points) else (member, points)

    def product(self, item: Any, path: str) -> Any:
        keys = (
            "sku",
            "name",
            "category",
            "price",
            "personalized",
            "gift_card",
            "warranty_excluded",
        )
        fields = self._mapping(item, path, keys)
        if fields is None:
            return _INVALID
        values = (
            self._text(fields, "sku", path),
            self._text(fields, "name", path),
            self._enum(fields, "category", path, ProductCategory),
            self._decimal(fields, "price", path, places=2),
            self._boolean(fields, "personalized", path, default=False),
            self._boolean(fields, "gift_card", path, default=False),
            self._boolean(fields, "warranty_excluded", path, default=False),
        )
        return _INVALID if _INVALID in values else ProductSpec(*values)

    def order(self, item: Any, path: str, emails: set, skus: set) -> Any:
        keys = (
            "number",
            "customer",
            "placed_at",
            "status",
            "currency",
            "shipping_fee",
            "discount",
            "promo_code",
            "shipping_address",
            "lines",
            "shipment",
        )
        fields = self._mapping(item, path, keys)
        if fields is None:
            return _INVALID
        number = self._order_number(fields, path)
        customer = self._email(fields, "customer", path)
        if customer is not _INVALID and customer not in emails:
            customer = self.error(f"{path}.customer", f"unknown customer {_show(customer)}")
        placed_at = self._datetime(fields, "placed_at", path)
        status = self._enum(fields, "status", path, OrderStatus)
        currency = self._pattern(fields, "currency", path, _CURRENCY, "a 3-letter currency code")
        shipping_fee = self._decimal(fields, "shipping_fee", path, places=2, default="0")
        discount = self._decimal(fields, "discount", path, places=2, default="0")
        promo_code = self._text(fields, "promo_code", path, optional=True)
        address = self._address(fields.get("shipping_address"), f"{path}.shipping_address")
        lines = self._lines(fields.get("lines"), f"{path}.lines", skus)
        shipment = self._shipment(fields.get("shipment"), f"{path}.shipment")
        values = (
            number,
            customer,
            placed_at,
            status,
            currency,
            shipping_fee,
            discount,
            promo_code,
            address,
            lines,
            shipment,
        )
        if _INVALID in values:
            return _INVALID
        subtotal = sum((line.unit_price * line.quantity for line in lines), Decimal("0"))
        if discount > subtotal:
            return self.error(f"{path}.discount", "discount exceeds the lines' total")
        if not self._shipment_matches_status(shipment, status, placed_at, path):
            return _INVALID
        return OrderSpec(
            number=number,
            customer=customer,
            placed_at=placed_at,
            status=status,
            currency=currency,
            shipping_fee=shipping_fee,
            discount=discount,
            promo_code=promo_code.upper() if promo_code else None,
            address=address,
            lines=lines,
            shipment=shipment,
        )

    def _shipment_matches_status(
        self, shipment: ShipmentSpec | None, status: OrderStatus, placed_at: datetime, path: str
    ) -> bool:
        errors_before = len(self.errors)
        if status in (OrderStatus.PROCESSING, OrderStatus.CANCELLED) and shipment is not None:
            self.error(f"{path}.shipment", f"a {status.value} order has no shipment")
        if status in (OrderStatus.SHIPPED, OrderStatus.DELIVERED) and shipment is None:
            self.error(f"{path}.shipment", f"a {status.value} order needs a shipment")
        if shipment is not None:
            if status is OrderStatus.DELIVERED and shipment.delivered_at is None:
                self.error(f"{path}.shipment.delivered_at", "a delivered order needs delivered_at")
            if status is OrderStatus.SHIPPED and shipment.delivered_at is not None:
                self.error(
                    f"{path}.shipment.delivered_at",
                    "a shipped order is not delivered yet (status delivered?)",
                )
            if shipment.shipped_at < placed_at:
                self.error(f"{path}.shipment.shipped_at", "before the order was placed")
            if shipment.delivered_at and shipment.delivered_at < shipment.shipped_at:
                self.error(f"{path}.shipment.delivered_at", "before the parcel was shipped")
        return len(self.errors) == errors_before

    def _address(self, value: Any, path: str) -> Any:
        if value is None:
            return self.error(path, "missing")
        fields = self._mapping(value, path, _ADDRESS_FIELDS)
        if fields is None:
            return _INVALID
        address = {
            "name": self._text(fields, "name", path),
            "line1": self._text(fields, "line1", path),
            "line2": self._text(fields, "line2", path, optional=True),
            "city": self._text(fields, "city", path),
            "region": self._text(fields, "region", path),
            "postal_code": self._text(fields, "postal_code", path, numbers=True),
            "country": self._pattern(fields, "country", path, _COUNTRY, "a 2-letter country code"),
        }
        if _INVALID in address.values():
            return _INVALID
        address["region"] = address["region"].upper()
        return address

    def _lines(self, value: Any, path: str, skus: set) -> Any:
        if not isinstance(value, list) or not value:
            return self.error(path, "expected a non-empty list of lines")
        lines = [self._line(entry, f"{path}[{index}]", skus) for index, entry in enumerate(value)]
        return _INVALID if _INVALID in lines else tuple(lines)

    def _line(self, item: Any, path: str, skus: set) -> Any:
        fields = self._mapping(item, path, ("sku", "quantity", "unit_price", "engraving"))
        if fields is None:
            return _INVALID
        sku = self._text(fields, "sku", path)
        if sku is not _INVALID and sku not in skus:
            sku = self.error(f"{path}.sku", f"unknown product {_show(sku)}")
        values = (
            sku,
            self._integer(fields, "quantity", path, minimum=1),
            self._decimal(fields, "unit_price", path, places=2),
            self._text(fields, "engraving", path, optional=True),
        )
        return _INVALID if _INVALID in values else LineSpec(*values)

    def _shipment(self, value: Any, path: str) -> Any:
        if value is None:
            return None
        keys = (
            "carrier",
            "tracking_number",
            "shipped_at",
            "estimated_delivery",
            "delivered_at",
            "events",
        )
        fields = self._mapping(value, path, keys)
        if fields is None:
            return _INVALID
        events_value = fields.get("events") or []
        if not isinstance(events_value, list):
            events: Any = self.error(f"{path}.events", "expected a list")
        else:
            events = [
                self._event(entry, f"{path}.events[{index}]")
                for index, entry in enumerate(events_value)
            ]
            events = _INVALID if _INVALID in events else tuple(events)
        values = (
            self._text(fields, "carrier", path),
            self._text(fields, "tracking_number", path, numbers=True),
            self._datetime(fields, "shipped_at", path),
            self._date(fields, "estimated_delivery", path, optional=True),
            self._datetime(fields, "delivered_at", path, optional=True),
            events,
        )
        return _INVALID if _INVALID in values else ShipmentSpec(*values)

    def _event(self, item: Any, path: str) -> Any:
        fields = self._mapping(item, path, ("at", "location", "description"))
        if fields is None:
            return _INVALID
        values = (
            self._datetime(fields, "at", path),
            self._text(fields, "location", path),
            self._text(fields, "description", path),
        )
        return _INVALID if _INVALID in values else EventSpec(*values)

    def tax_rate(self, item: Any, path: str) -> Any:
        fields = self._mapping(item, path, ("country", "region", "name", "rate"))
        if fields is None:
            return _INVALID
        country = self._pattern(fields, "country", path, _COUNTRY, "a 2-letter country code")
        region = self._text(fields, "region", path)
        name = self._text(fields, "name", path)
        rate = self._decimal(fields, "rate", path, places=5)
        if rate is not _INVALID and rate >= 1:
            rate = self.error(f"{path}.rate", "a rate is a fraction below 1 (0.05 for 5 %)")
        values = (country, region, name, rate)
        if _INVALID in values:
            return _INVALID
        return TaxRateSpec(country, region.upper(), name, rate)

    def promotion(self, item: Any, path: str) -> Any:
        keys = (
            "code",
            "title",
            "kind",
            "percent_off",
            "starts_at",
            "ends_at",
            "min_subtotal",
            "first_order_only",
        )
        fields = self._mapping(item, path, keys)
        if fields is None:
            return _INVALID
        code = self._text(fields, "code", path, optional=True)
        percent_off = self._decimal(fields, "percent_off", path, places=2)
        if percent_off is not _INVALID and not 0 < percent_off <= 100:
            percent_off = self.error(f"{path}.percent_off", "expected a percentage in ]0, 100]")
        starts_at = self._datetime(fields, "starts_at", path)
        ends_at = self._datetime(fields, "ends_at", path)
        if _INVALID not in (starts_at, ends_at) and ends_at < starts_at:
            ends_at = self.error(f"{path}.ends_at", "before starts_at")
        values = (
            code.upper() if isinstance(code, str) else code,
            self._text(fields, "title", path),
            self._enum(fields, "kind", path, PromotionKind),
            percent_off,
            starts_at,
            ends_at,
            self._decimal(fields, "min_subtotal", path, places=2, default="0"),
            self._boolean(fields, "first_order_only", path, default=False),
        )
        return _INVALID if _INVALID in values else PromotionSpec(*values)

    # Fields

    def _mapping(self, value: Any, path: str, keys: Iterable[str]) -> dict | None:
        if not isinstance(value, dict):
            self.error(path, "expected a mapping")
            return None
        self._unknown_keys(value, keys, f"{path}.")
        return value

    def _unknown_keys(self, mapping: dict, keys: Iterable[str], prefix: str) -> None:
        allowed = set(keys)
        for key in mapping:
            if key not in allowed:
                self.error(f"{prefix}{key}", "unknown field")

    def _text(
        self, fields: dict, key: str, path: str, *, optional: bool = False, numbers: bool = False
    ) -> Any:
        """A non-empty string; `numbers` also accepts an unquoted integer (postal codes…)."""
        value = fields.get(key)
        if value is None:
            return None if optional else self.error(f"{path}.{key}", "missing")
        if numbers and isinstance(value, int) and not isinstance(value, bool):
            value = str(value)
        if not isinstance(value, str) or not value.strip():
            return self.error(f"{path}.{key}", "expected a non-empty text")
        return value.strip()

    def _pattern(self, fields: dict, key: str, path: str, pattern: re.Pattern, what: str) -> Any:
        value = self._text(fields, key, path)
        if value is _INVALID:
            return value
        if not pattern.match(value.upper()):
            return self.error(f"{path}.{key}", f"expected {what}, got {_show(value)}")
        return value.upper()

    def _email(self, fields: dict, key: str, path: str) -> Any:
        value = self._text(fields, key, path)
        if value is _INVALID:
            return value
        if not EMAIL_PATTERN.match(value):
            return self.error(f"{path}.{key}", f"malformed email {_show(value)}")
        return value.lower()

    def _order_number(self, fields: dict, path: str) -> Any:
        value = self._text(fields, "number", path)
        if value is _INVALID:
            return value
        if not ORDER_NUMBER_PATTERN.match(value):
            return self.error(
                f"{path}.number", f"malformed order number {_show(value)} (AZ and 6 digits)"
            )
        return value

    def _boolean(self, fields: dict, key: str, path: str, *, default: bool | None = None) -> Any:
        value = fields.get(key, default)
        if value is None and default is not None:
            value = default
        if not isinstance(value, bool):
            return self.error(f"{path}.{key}", "expected true or false")
        return value

    def _integer(self, fields: dict, key: str, path: str, *, minimum: int) -> Any:
        value = fields.get(key)
        if isinstance(value, bool) or not isinstance(value, int):
            return self.error(f"{path}.{key}", "expected a whole number")
        if value < minimum:
            return self.error(f"{path}.{key}", f"must be at least {minimum}")
        return value

    def _decimal(
        self, fields: dict, key: str, path: str, *, places: int, default: str | None = None
    ) -> Any:
        value = fields.get(key, default)
        if value is None:
            value = default
        if value is None:
            return self.error(f"{path}.{key}", "missing")
        if isinstance(value, bool) or not isinstance(value, int | float | str):
            return self.error(f"{path}.{key}", "expected a number")
        try:
            number = Decimal(str(value).strip())
        except InvalidOperation:
            return self.error(f"{path}.{key}", f"expected a number, got {_show(value)}")
        if not number.is_finite():
            return self.error(f"{path}.{key}", f"expected a number, got {_show(value)}")
        if number < 0:
            return self.error(f"{path}.{key}", "must not be negative")
        if number != number.quantize(Decimal(1).scaleb(-places)):
            return self.error(f"{path}.{key}", f"more than {places} decimal places")
        return number

    def _enum(self, fields: dict, key: str, path: str, enum_class: type) -> Any:
        value = fields.get(key)
        try:
            return enum_class(value)
        except ValueError:
            allowed = " | ".join(member.value for member in enum_class)
            return self.error(f"{path}.{key}", f"expected one of {allowed}, got {_show(value)}")

    def _datetime(self, fields: dict, key: str, path: str, *, optional: bool = False) -> Any:
        value = fields.get(key)
        if value is None:
            return None if optional else self.error(f"{path}.{key}", "missing")
        moment = self._resolve(value)
        if isinstance(moment, date) and not isinstance(moment, datetime):
            moment = datetime.combine(moment, NOON, SHOP_TZ)
        if moment is None:
            return self.error(f"{path}.{key}", _bad_date(value))
        if moment.tzinfo is None:
            return self.error(f"{path}.{key}", f"date-time without UTC offset {_show(value)}")
        return moment

    def _date(self, fields: dict, key: str, path: str, *, optional: bool = False) -> Any:
        value = fields.get(key)
        if value is None:
            return None if optional else self.error(f"{path}.{key}", "missing")
        moment = self._resolve(value)
        if moment is None:
            return self.error(f"{path}.{key}", _bad_date(value))
        if isinstance(moment, datetime):
            if moment.tzinfo is None:
                return self.error(f"{path}.{key}", f"date-time without UTC offset {_show(value)}")
            return moment.astimezone(SHOP_TZ).date()
        return moment

    def _resolve(self, value: Any) -> date | datetime | None:
        """A relative or ISO-8601 value as a date or datetime; None when unparseable."""
        if not isinstance(value, str):
            return None
        text = value.strip()
        relative = _RELATIVE.match(text)
        if relative:
            return self._relative(*relative.groups())
        try:
            return date.fromisoformat(text) if len(text) == 10 else datetime.fromisoformat(text)
        except ValueError:
            return None

    def _relative(
        self, anchor: str, sign: str | None, amount: str | None, unit: str | None
    ) -> date | datetime | None:
        count = int(amount or 0) * (-1 if sign == "-" else 1)
        if anchor == "now":
            if unit is not None and unit not in _NOW_UNITS:
                return None
            return elapsed_since(self._now, timedelta(**{_NOW_UNITS[unit or "m"]: count}))
        if unit is not None and unit not in _TODAY_UNITS:
            return None
        return self._today + timedelta(days=count * _TODAY_UNITS[unit or "d"])


def _bad_date(value: Any) -> str:
    return (
        f"unparseable date {_show(value)} "
        "(ISO-8601 with offset, YYYY-MM-DD, now±N[m|h|d|w] or today±N[d|w])"
    )


def _show(value: Any) -> str:
    return repr(value) if isinstance(value, str) else str(value)


# Writing


@dataclass
class Counts:
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    deleted: int = 0

    def record(self, created: bool, changed: bool) -> None:
        if created:
            self.created += 1
        elif changed:
            self.updated += 1
        else:
            self.unchanged += 1


@dataclass
class LoadReport:
    file: str
    replace: bool
    counts: dict[str, Counts] = field(
        default_factory=lambda: {section: Counts() for section in _SECTIONS}
    )

    @property
    def changed(self) -> bool:
        return any(c.created or c.updated or c.deleted for c in self.counts.values())

    def summary(self) -> str:
        mode = " (replace)" if self.replace else ""
        lines = [f"{self.file}: loaded{mode}" + ("" if self.changed else ", nothing changed")]
        for section, c in self.counts.items():
            lines.append(
                f"  {section:<11} created {c.created}, updated {c.updated}, "
                f"unchanged {c.unchanged}, deleted {c.deleted}"
            )
        return "\n".join(lines)


def load_fixture_file(
    path: Path | str, session_factory: sessionmaker, clock: Clock, *, replace: bool = False
) -> LoadReport:
    """Validate the file (FixtureValidationError, nothing written), then apply it atomically."""
    data = read_fixture_file(path, clock)
    with unit_of_work(session_factory) as session:
        return apply_fixture(session, data, str(path), replace=replace)


def apply_fixture(session: Session, data: FixtureData, file: str, *, replace: bool) -> LoadReport:
    """Upsert everything first (orders then point at the file's customers and products),
    then, when replacing, delete what the file does not describe."""
    report = LoadReport(file, replace)
    with session.no_autoflush:  # half-built rows must not be flushed by the lookups
        customers = _upsert_customers(session, data.customers, report.counts["customers"])
        products = _upsert_products(session, data.products, report.counts["products"])
        _upsert_orders(session, data.orders, customers, products, report.counts["orders"])
        _upsert_tax_rates(session, data.tax_rates, report.counts["tax_rates"])
        _upsert_promotions(session, data.promotions, report.counts["promotions"])
    session.flush()
    if replace:
        _delete_missing(session, data, report)
    return report


def _assign(entity: Any, **values: Any) -> bool:
    """Set the attributes that differ; True if any did (unchanged rows get no UPDATE)."""
    changed = False
    for name, value in values.items():
        if getattr(entity, name) != value:
            setattr(entity, name, value)
            changed = True
    return changed


def _all(session: Session, model: type) -> list:
    return list(session.execute(select(model)).scalars())


def _delete_missing(session: Session, data: FixtureData, report: LoadReport) -> None:
    """Delete what the file does not describe; orders first, as they refer to the rest."""
    wanted = {
        "orders": (Order, lambda o: o.number, {o.number for o in data.orders}),
        "customers": (Customer, lambda c: c.email, {c.email for c in data.customers}),
        "products": (Product, lambda p: p.sku, {p.sku for p in data.products}),
        "tax_rates": (
            TaxRate,
            lambda t: (t.country, t.region, t.name),
            {(t.country, t.region, t.name) for t in data.tax_rates},
        ),
        "promotions": (Promotion, _promotion_key, {_promotion_key(p) for p in data.promotions}),
    }
    for section, (model, key, keep) in wanted.items():
        for entity in _all(session, model):
            if key(entity) not in keep:
                session.delete(entity)
                report.counts[section].deleted += 1
        session.flush()


def _upsert_customers(session: Session, specs: Iterable[CustomerSpec], counts: Counts) -> dict:
    existing = {customer.email.lower(): customer for customer in _all(session, Customer)}
    for spec in specs:
        customer = existing.get(spec.email)
        created = customer is None
        if created:
            customer = Customer(email=spec.email)
            session.add(customer)
            existing[spec.email] = customer
        changed = _assign(
            customer, email=spec.email, first_name=spec.first_name, last_name=spec.last_name
        )
        changed |= _sync_loyalty(session, customer, spec.loyalty)
        counts.record(created, changed)
    return existing


def _sync_loyalty(session: Session, customer: Customer, loyalty: tuple[bool, int] | None) -> bool:
    account = customer.loyalty_account
    if loyalty is None:
        if account is None:
            return False
        session.delete(account)
        customer.loyalty_account = None
        return True
    member, points = loyalty
    if account is None:
        customer.loyalty_account = LoyaltyAccount(member=member, points=points)
        return True
    return _assign(account, member=member, points=points)


def _upsert_products(session: Session, specs: Iterable[ProductSpec], counts: Counts) -> dict:
    existing = {product.sku: product for product in _all(session, Product)}
    for spec in specs:
        product = existing.get(spec.sku)
        created = product is None
        if created:
            product = existing[spec.sku] = Product(sku=spec.sku)
            session.add(product)
        changed = _assign(
            product,
            name=spec.name,
            category=spec.category,
            price=spec.price,
            personalized=spec.personalized,
            gift_card=spec.gift_card,
            warranty_excluded=spec.warranty_excluded,
        )
        counts.record(created, changed)
    return existing


def _upsert_orders(
    session: Session,
    specs: Iterable[OrderSpec],
    customers: dict[str, Customer],
    products: dict[str, Product],
    counts: Counts,
) -> None:
    existing = {order.number: order for order in _all(session, Order)}
    for spec in specs:
        order = existing.get(spec.number)
        created = order is None
        if created:
            order = Order(number=spec.number)
            session.add(order)
        address = spec.address
        changed = _assign(
            order,
            customer=customers[spec.customer],
            placed_at=spec.placed_at,
            status=spec.status,
            currency=spec.currency,
            shipping_fee=spec.shipping_fee,
            discount=spec.discount,
            promo_code=spec.promo_code,
            ship_name=address["name"],
            ship_line1=address["line1"],
            ship_line2=address["line2"],
            ship_city=address["city"],
            ship_region=address["region"],
            ship_postal_code=address["postal_code"],
            ship_country=address["country"],
        )
        changed |= _sync_lines(order, spec.lines, products)
        changed |= _sync_shipment(session, order, spec.shipment)
        counts.record(created, changed)


def _sync_lines(order: Order, specs: tuple[LineSpec, ...], products: dict[str, Product]) -> bool:
    changed = len(order.lines) != len(specs)
    del order.lines[len(specs) :]
    for position, spec in enumerate(specs):
        if position >= len(order.lines):
            order.lines.append(OrderLine(position=position))
        changed |= _assign(
            order.lines[position],
            position=position,
            product=products[spec.sku],
            quantity=spec.quantity,
            unit_price=spec.unit_price,
            engraving=spec.engraving,
            cancelled=False,
        )
    return changed


def _sync_shipment(session: Session, order: Order, spec: ShipmentSpec | None) -> bool:
    if spec is None:
        if order.shipment is None:
            return False
        session.delete(order.shipment)
        order.shipment = None
        return True
    changed = order.shipment is None
    if changed:
        order.shipment = Shipment()
    shipment = order.shipment
    changed |= _assign(
        shipment,
        carrier=spec.carrier,
        tracking_number=spec.tracking_number,
        shipped_at=spec.shipped_at,
        estimated_delivery=spec.estimated_delivery,
        delivered_at=spec.delivered_at,
    )
    changed |= len(shipment.events) != len(spec.events)
    del shipment.events[len(spec.events) :]
    for position, event in enumerate(spec.events):
        if position >= len(shipment.events):
            shipment.events.append(TrackingEvent(position=position))
        changed |= _assign(
            shipment.events[position],
            position=position,
            at=event.at,
            location=event.location,
            description=event.description,
        )
    return changed


def _upsert_tax_rates(session: Session, specs: Iterable[TaxRateSpec], counts: Counts) -> None:
    existing = {(t.country, t.region, t.name): t for t in _all(session, TaxRate)}
    for spec in specs:
        key = (spec.country, spec.region, spec.name)
        rate = existing.get(key)
        created = rate is None
        if created:
            rate = TaxRate(country=spec.country, region=spec.region, name=spec.name)
            session.add(rate)
        counts.record(created, _assign(rate, rate=spec.rate))


def _promotion_key(promotion: Promotion | PromotionSpec) -> tuple[str, str]:
    """Code when there is one, else the title (a sale without a code)."""
    return ("code", promotion.code) if promotion.code else ("title", promotion.title)


def _upsert_promotions(session: Session, specs: Iterable[PromotionSpec], counts: Counts) -> None:
    existing = {_promotion_key(p): p for p in _all(session, Promotion)}
    for spec in specs:
        promotion = existing.get(_promotion_key(spec))
        created = promotion is None
        if created:
            promotion = Promotion()
            session.add(promotion)
        changed = _assign(
            promotion,
            code=spec.code,
            title=spec.title,
            kind=spec.kind,
            percent_off=spec.percent_off,
            starts_at=spec.starts_at,
            ends_at=spec.ends_at,
            min_subtotal=spec.min_subtotal,
            first_order_only=spec.first_order_only,
        )
        counts.record(created, changed)
