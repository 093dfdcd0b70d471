"""SQLAlchemy 1.4 ORM models of the shop database.

Natural keys (customer email, product SKU, order number, promotion code, request
reference) are unique: the fixture loader upserts by them. Money is `ExactDecimal`,
instants are `UTCDateTime` (aware in Python, UTC in the database).
"""

from __future__ import annotations

import enum
import json
from typing import Any

from sqlalchemy import (
    Boolean,
    CheckConstraint,
    Column,
    Date,
    Enum,
    ForeignKey,
    Index,
    Integer,
    MetaData,
    String,
    Text,
    UniqueConstraint,
    text,
)
from sqlalchemy.orm import declarative_base, relationship

from backend.domain import (
    Address,
    OrderStatus,
    ProductCategory,
    PromotionKind,
    RequestKind,
    RequestStatus,
)
from backend.sqltypes import ExactDecimal, UTCDateTime

# Deterministic constraint names, so that migrations can refer to them on every backend.
NAMING_CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}

# Any: SQLAlchemy 1.4 builds the base class at run time, which a type checker cannot follow.
Base: Any = declarative_base(metadata=MetaData(naming_convention=NAMING_CONVENTION))


def _enum_column(enum_class: type[enum.Enum], name: str) -> Enum:
    """An enum stored as its string value (VARCHAR + CHECK), portable across backends."""
    return Enum(
        enum_class,
        name=name,
        native_enum=False,
        create_constraint=True,
        length=20,
        values_callable=lambda members: [member.value for member in members],
    )


class Customer(Base):
    __tablename__ = "customers"

    id = Column(Integer, primary_key=True)
    email = Column(String(254), nullable=False, unique=True)  # always stored lower-case
    first_name = Column(String(100), nullable=False)
    last_name = Column(String(100), nullable=False)

    loyalty_account = relationship(
        "LoyaltyAccount", back_populates="customer", uselist=False, cascade="all, delete-orphan"
    )
    orders = relationship("Order", back_populates="customer")


class LoyaltyAccount(Base):
    __tablename__ = "loyalty_accounts"
    __table_args__ = (CheckConstraint("points >= 0", name="points_not_negative"),)

    id = Column(Integer, primary_key=True)
    customer_id = Column(
        Integer, ForeignKey("customers.id", ondelete="CASCADE"), nullable=False, unique=True
    )
    member = Column(Boolean, nullable=False, default=False)
    points = Column(Integer, nullable=False, default=0)

    customer = relationship("Customer", back_populates="loyalty_account")


class Product(Base):
    __tablename__ = "products"

    id = Column(Integer, primary_key=True)
    sku = Column(String(64), nullable=False, unique=True)
    name = Column(String(200), nullable=False)
    category = Column(_enum_column(ProductCategory, "product_category"), nullable=False)
    price = Column(ExactDecimal(10, 2), nullable=False)
    personalized = Column(Boolean, nullable=False, default=False)
    gift_card = Column(Boolean, nullable=False, default=False)
    warranty_excluded = Column(Boolean, nullable=False, default=False)


class Order(Base):
    __tablename__ = "orders"

    id = Column(Integer, primary_key=True)
    number = Column(String(8), nullable=False, unique=True)  # "AZ" + 6 digits
    customer_id = Column(Integer, ForeignKey("customers.id"), nullable=False, index=True)
    placed_at = Column(UTCDateTime(), nullable=False)
    status = Column(_enum_column(OrderStatus, "order_status"), nullable=False)
    currency = Column(String(3), nullable=False)
    shipping_fee = Column(ExactDecimal(10, 2), nullable=False)
    discount = Column(ExactDecimal(10, 2), nullable=False)
    promo_code = Column(String(40), nullable=True)
    ship_name = Column(String(200), nullable=False)
    ship_line1 = Column(String(200), nullable=False)
    ship_line2 = Column(String(200), nullable=True)
    ship_city = Column(String(100), nullable=False)
    ship_region = Column(String(40), nullable=False)
    ship_postal_code = Column(String(20), nullable=False)
    ship_country = Column(String(2), nullable=False)

    customer = relationship("Customer", back_populates="orders")
    lines = relationship(
        "OrderLine",
        back_populates="order",
        order_by="OrderLine.position",
        cascade="all, delete-orphan",
    )
    shipment = relationship(
        "Shipment", back_populates="order", uselist=False, cascade="all, delete-orphan"
    )

    @property
    def shipping_address(self) -> Address:
        return Address(
            name=self.ship_name,
            line1=self.ship_line1,
            line2=self.ship_line2,
            city=self.ship_city,
            region=self.ship_region,
            postal_code=self.ship_postal_code,
            country=self.ship_country,
        )


class OrderLine(Base):
    __tablename__ = "order_lines"
    __table_args__ = (
        UniqueConstraint("order_id", "position", name="uq_order_lines_order_id_position"),
        CheckConstraint("quantity > 0", name="quantity_positive"),
    )

    id = Column(Integer, primary_key=True)
    order_id = Column(Integer, ForeignKey("orders.id", ondelete="CASCADE"), nullable=False)
    position = Column(Integer, nullable=False)
    product_id = Column(Integer, ForeignKey("products.id"), nullable=False, index=True)
    quantity = Column(Integer, nullable=False)
    unit_price = Column(ExactDecimal(10, 2), nullable=False)
    engraving = Column(String(200), nullable=True)
    cancelled = Column(Boolean, nullable=False, default=False)

    order = relationship("Order", back_populates="lines")
    product = relationship("Product")


class Shipment(Base):
    __tablename__ = "shipments"

    id = Column(Integer, primary_key=True)
    order_id = Column(
        Integer, ForeignKey("orders.id", ondelete="CASCADE"), nullable=False, unique=True
    )
    carrier = Column(String(100), nullable=False)
    tracking_number = Column(String(100), nullable=False)
    shipped_at = Column(UTCDateTime(), nullable=False)
    estimated_delivery = Column(Date, nullable=True)
    delivered_at = Column(UTCDateTime(), nullable=True)

    order = relationship("Order", back_populates="shipment")
    events = relationship(
        "TrackingEvent",
        back_populates="shipment",
        order_by="TrackingEvent.position",
        cascade="all, delete-orphan",
    )


class TrackingEvent(Base):
    __tablename__ = "tracking_events"
    __table_args__ = (
        UniqueConstraint("shipment_id", "position", name="uq_tracking_events_shipment_id_position"),
    )

    id = Column(Integer, primary_key=True)
    shipment_id = Column(Integer, ForeignKey("shipments.id", ondelete="CASCADE"), nullable=False)
    position = Column(Integer, nullable=False)
    at = Column(UTCDateTime(), nullable=False)
    location = Column(String(200), nullable=False)
    description = Column(String(500), nullable=False)

    shipment = relationship("Shipment", back_populates="events")


class TaxRate(Base):
    __tablename__ = "tax_rates"
    __table_args__ = (
        UniqueConstraint("country", "region", "name", name="uq_tax_rates_country_region_name"),
    )

    id = Column(Integer, primary_key=True)
    country = Column(String(2), nullable=False)
    region = Column(String(40), nullable=False)
    name = Column(String(60), nullable=False)
    rate = Column(ExactDecimal(8, 5), nullable=False)


class Promotion(Base):
    __tablename__ = "promotions"

    id = Column(Integer, primary_key=True)
    code = Column(String(40), nullable=True, unique=True)  # upper-case; NULL for a sale
    title = Column(String(200), nullable=False)
    kind = Column(_enum_column(PromotionKind, "promotion_kind"), nullable=False)
    percent_off = Column(ExactDecimal(5, 2), nullable=False)
    starts_at = Column(UTCDateTime(), nullable=False)
    ends_at = Column(UTCDateTime(), nullable=False)
    min_subtotal = Column(ExactDecimal(10, 2), nullable=False)
    first_order_only = Column(Boolean, nullable=False, default=False)


# A handoff belongs to one conversation (migration 0006): open requests are unique per order
# for every other kind, per conversation for handoffs.
OPEN_REQUEST_OF_AN_ORDER = "status = 'open' AND kind <> 'handoff'"
OPEN_HANDOFF = "kind = 'handoff' AND status = 'open'"


class ServiceRequest(Base):
    """Something the assistant asked the shop to do: a return (RA number), a case...

    `order_number` is a plain column, not a foreign key: requests are the assistant's
    record of what it did and survive a fixture `--replace`. At most one request of a
    kind is open per order, and one handoff per conversation — two customers may hand over
    conversations about the same order (partial unique indexes): the last guard of
    idempotent creation, behind the order's row lock.
    """

    __tablename__ = "service_requests"
    __table_args__ = (
        Index(
            "uq_service_requests_open_kind_order",
            "kind",
            "order_number",
            unique=True,
            sqlite_where=text(OPEN_REQUEST_OF_AN_ORDER),
            postgresql_where=text(OPEN_REQUEST_OF_AN_ORDER),
        ),
        Index(
            "uq_service_requests_open_handoff_conversation",
            "conversation_id",
            unique=True,
            sqlite_where=text(OPEN_HANDOFF),
            postgresql_where=text(OPEN_HANDOFF),
        ),
    )

    id = Column(Integer, primary_key=True)
    reference = Column(String(40), nullable=False, unique=True)
    kind = Column(_enum_column(RequestKind, "request_kind"), nullable=False)
    order_number = Column(String(8), nullable=True, index=True)
    conversation_id = Column(String(200), nullable=True, index=True)
    status = Column(_enum_column(RequestStatus, "request_status"), nullable=False)
    payload_json = Column("payload", Text, nullable=False, default="{}")
    created_at = Column(UTCDateTime(), nullable=False)
    updated_at = Column(UTCDateTime(), nullable=False)

    @property
    def payload(self) -> dict[str, Any]:
        return json.loads(self.payload_json or "{}")

    @payload.setter
    def payload(self, value: dict[str, Any]) -> None:
        self.payload_json = json.dumps(value, ensure_ascii=False, sort_keys=True, default=str)


class IdentityCheckFailure(Base):
    """A failed order-number + email check, from any conversation (policies/identity.py).

    The order number tried, the time, and digests of the email typed and of the client: the
    table exists to count recent failures per order number, per email and per client, and old
    rows are deleted as new ones arrive. The email itself is never kept (a guess may be
    anyone's address): only its SHA-256 (backend/identity.py `failure_digest`). The number is
    not a foreign key: numbers of orders that do not exist count too, so that pausing them
    reveals nothing.
    """

    __tablename__ = "identity_check_failures"
    __table_args__ = (
        Index("ix_identity_check_failures_order_number_failed_at", "order_number", "failed_at"),
        Index("ix_identity_check_failures_email_digest_failed_at", "email_digest", "failed_at"),
        Index("ix_identity_check_failures_client_digest_failed_at", "client_digest", "failed_at"),
    )

    id = Column(Integer, primary_key=True)
    order_number = Column(String(8), nullable=False)
    failed_at = Column(UTCDateTime(), nullable=False, index=True)
    email_digest = Column(String(64), nullable=True)
    client_digest = Column(String(64), nullable=True)


class Agent(Base):
    """A support agent's named account (backend/agents.py): an argon2 hash, never a password.

    `role` is "agent" or "lead" (support leads also see /agent/stats). Failed logins are
    counted here so that a lockout holds across web-server restarts and processes.
    """

    __tablename__ = "agents"

    id = Column(Integer, primary_key=True)
    username = Column(String(60), nullable=False, unique=True)
    display_name = Column(String(100), nullable=False)
    password_hash = Column(String(200), nullable=False)
    role = Column(String(10), nullable=False, default="agent")
    failed_logins = Column(Integer, nullable=False, default=0)
    locked_until = Column(UTCDateTime(), nullable=True)
    created_at = Column(UTCDateTime(), nullable=False)


class AgentSession(Base):
    """A signed-in browser: only the SHA-256 of its cookie is stored, with its CSRF token."""

    __tablename__ = "agent_sessions"

    id = Column(Integer, primary_key=True)
    token_hash = Column(String(64), nullable=False, unique=True)
    csrf_token = Column(String(64), nullable=False)
    agent_id = Column(Integer, ForeignKey("agents.id", ondelete="CASCADE"), nullable=False)
    created_at = Column(UTCDateTime(), nullable=False)
    last_seen_at = Column(UTCDateTime(), nullable=False)

    agent = relationship("Agent")


class HandoffAssignment(Base):
    """Who owns a handed-over conversation (one row per handoff request, made at takeover).

    `state` is "taken" while the agent owns it, then "returned" (handed back to the
    assistant) or "closed"; the handoff request is completed at that moment.
    """

    __tablename__ = "handoff_assignments"

    id = Column(Integer, primary_key=True)
    request_id = Column(Integer, ForeignKey("service_requests.id"), nullable=False, unique=True)
    conversation_id = Column(String(200), nullable=False, index=True)
    agent_id = Column(Integer, ForeignKey("agents.id"), nullable=False)
    state = Column(String(10), nullable=False, default="taken")
    taken_at = Column(UTCDateTime(), nullable=False)
    ended_at = Column(UTCDateTime(), nullable=True)

    agent = relationship("Agent")
    request = relationship("ServiceRequest")


class AuditEntry(Base):
    """What an agent did in a conversation, with the agent's name as it was then.

    `action`: takeover, message, handback, close. A message keeps its text and how the
    assistant's suggestion was used (as_is, edited, rejected, none).
    """

    __tablename__ = "audit_entries"

    id = Column(Integer, primary_key=True)
    at = Column(UTCDateTime(), nullable=False, index=True)
    agent_id = Column(Integer, ForeignKey("agents.id"), nullable=True)
    agent_name = Column(String(100), nullable=False)
    conversation_id = Column(String(200), nullable=False, index=True)
    channel = Column(String(40), nullable=True)
    action = Column(String(20), nullable=False)
    text = Column(Text, nullable=True)
    suggestion_use = Column(String(10), nullable=True)


class CsatRating(Base):
    """A customer's optional 1–5 answer to « Cette conversation vous a-t-elle aidé ? »."""

    __tablename__ = "csat_ratings"
    __table_args__ = (CheckConstraint("rating BETWEEN 1 AND 5", name="rating_range"),)

    id = Column(Integer, primary_key=True)
    conversation_id = Column(String(200), nullable=False, index=True)
    channel = Column(String(40), nullable=True)
    rating = Column(Integer, nullable=False)
    at = Column(UTCDateTime(), nullable=False, index=True)
