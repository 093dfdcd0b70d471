"""Column types that behave the same on SQLite and PostgreSQL.

Migrations import them by name: keep their constructor signatures stable.
"""

from __future__ import annotations

from datetime import UTC, datetime
from decimal import Decimal

from sqlalchemy.types import DateTime, Numeric, String, TypeDecorator


class UTCDateTime(TypeDecorator):
    """An aware datetime stored as naive UTC, returned aware (UTC) on every backend.

    SQLite has no time zones and PostgreSQL's `timestamptz` returns the session's zone:
    storing naive UTC makes both round-trip the same instant. Naive input is refused,
    because its meaning would depend on the machine.
    """

    impl = DateTime
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError(f"naive datetime {value!r}: a UTC offset is required")
        return value.astimezone(UTC).replace(tzinfo=None)

    def process_result_value(self, value: datetime | None, dialect) -> datetime | None:
        if value is None:
            return None
        return value.replace(tzinfo=UTC)


class ExactDecimal(TypeDecorator):
    """A fixed-point decimal: NUMERIC on PostgreSQL, text on SQLite.

    SQLite stores NUMERIC as floating point (SQLAlchemy warns about it); money and tax
    rates must stay exact, so SQLite gets the decimal's text. Never compare these
    columns in SQL on SQLite: compare in Python.
    """

    impl = Numeric
    cache_ok = True

    def __init__(self, precision: int = 10, scale: int = 2) -> None:
        super().__init__(precision=precision, scale=scale, asdecimal=True)
        self.precision = precision
        self.scale = scale

    def load_dialect_impl(self, dialect):
        if dialect.name == "sqlite":
            return dialect.type_descriptor(String(self.precision + 2))
        return dialect.type_descriptor(Numeric(self.precision, self.scale))

    def process_bind_param(self, value: Decimal | None, dialect):
        if value is None:
            return None
        exact = Decimal(value).quantize(Decimal(1).scaleb(-self.scale))
        return str(exact) if dialect.name == "sqlite" else exact

    def process_result_value(self, value, dialect) -> Decimal | None:
        if value is None:
            return None
        return Decimal(value).quantize(Decimal(1).scaleb(-self.scale))
