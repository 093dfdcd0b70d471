"""Domain vocabulary shared by the models, the policies and the services.

Nothing here knows about SQLAlchemy: the policies work on the plain, frozen
"facts" below, so they can be tested and reused without a database.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from decimal import ROUND_HALF_UP, Decimal
from zoneinfo import ZoneInfo

SHOP_TZ = ZoneInfo("America/Toronto")
"""The shop's time zone (the FAQ's "HNE"): local dates and policy windows use it."""

CENT = Decimal("0.01")


def to_cents(amount: Decimal) -> Decimal:
    """Round an amount to the cent, half up (the usual rounding for invoices)."""
    return amount.quantize(CENT, rounding=ROUND_HALF_UP)


def elapsed_since(moment: datetime, duration: timedelta) -> datetime:
    """`moment` plus a real duration, in shop time.

    Python adds a timedelta to an aware datetime on the wall clock (24 h after noon is
    noon, even across a DST change, which is 23 or 25 real hours); going through UTC
    adds real time.
    """
    return (moment.astimezone(UTC) + duration).astimezone(SHOP_TZ)


def local_date(moment: datetime) -> date:
    """The calendar date of an aware datetime in the shop's time zone."""
    return moment.astimezone(SHOP_TZ).date()


class OrderStatus(str, enum.Enum):
    PROCESSING = "processing"
    SHIPPED = "shipped"
    DELIVERED = "delivered"
    CANCELLED = "cancelled"


class ProductCategory(str, enum.Enum):
    RING = "bague"
    NECKLACE = "collier"
    BRACELET = "bracelet"
    EARRINGS = "boucles"
    WATCH = "montre"
    GIFT_CARD = "carte-cadeau"
    OTHER = "autre"


class PromotionKind(str, enum.Enum):
    CODE = "code"
    FLASH_SALE = "flash_sale"
    SEASONAL = "seasonal"
    EVENT = "event"


class RequestKind(str, enum.Enum):
    RETURN = "return"
    CANCELLATION = "cancellation"
    ADDRESS_CHANGE = "address_change"
    EXCHANGE = "exchange"
    WARRANTY_CLAIM = "warranty_claim"
    MISSING_PARCEL = "missing_parcel"
    WRONG_ITEM = "wrong_item"
    HANDOFF = "handoff"


class RequestStatus(str, enum.Enum):
    OPEN = "open"
    COMPLETED = "completed"
    REJECTED = "rejected"


@dataclass(frozen=True)
class LineFacts:
    sku: str
    name: str
    quantity: int
    unit_price: Decimal
    engraving: str | None = None
    personalized: bool = False
    gift_card: bool = False
    warranty_excluded: bool = False
    cancelled: bool = False
    category: ProductCategory = ProductCategory.OTHER

    @property
    def personalised(self) -> bool:
        """Made to order or engraved: the FAQ treats both as personalised."""
        return self.personalized or bool(self.engraving)

    @property
    def total(self) -> Decimal:
        return self.unit_price * self.quantity


@dataclass(frozen=True)
class TrackingEventFacts:
    at: datetime
    location: str
    description: str


@dataclass(frozen=True)
class ShipmentFacts:
    carrier: str
    tracking_number: str
    shipped_at: datetime
    estimated_delivery: date | None = None
    delivered_at: datetime | None = None
    events: tuple[TrackingEventFacts, ...] = ()

    @property
    def last_event(self) -> TrackingEventFacts | None:
        return max(self.events, key=lambda event: event.at, default=None)


@dataclass(frozen=True)
class OrderFacts:
    number: str
    status: OrderStatus
    placed_at: datetime
    currency: str
    lines: tuple[LineFacts, ...]
    shipping_fee: Decimal = Decimal("0")
    discount: Decimal = Decimal("0")
    promo_code: str | None = None
    country: str = "CA"
    region: str = ""
    shipment: ShipmentFacts | None = None
    # The sales-tax rates of the shipping destination (empty when none are configured).
    tax_rates: tuple[TaxRateFacts, ...] = ()

    @property
    def active_lines(self) -> tuple[LineFacts, ...]:
        """Lines still part of the order (a partial cancellation removes some)."""
        return tuple(line for line in self.lines if not line.cancelled)

    @property
    def subtotal(self) -> Decimal:
        """Total of the remaining lines, before the discount."""
        return sum((line.total for line in self.active_lines), Decimal("0"))

    def discount_share(self, amount: Decimal) -> Decimal:
        """The part of the order discount that belongs to `amount` worth of lines.

        The discount is spread over all the lines ordered (cancelled ones included) in
        proportion to their totals, so a partial cancellation or return takes its own
        share of the discount and leaves the rest to the other lines.
        """
        ordered = sum((line.total for line in self.lines), Decimal("0"))
        if not ordered:
            return Decimal("0")
        return self.discount * amount / ordered

    def paid_for(self, amount: Decimal) -> Decimal:
        """What the customer paid for `amount` worth of lines, to the cent (no tax, no shipping)."""
        return to_cents(amount - self.discount_share(amount))

    @property
    def purchase_date(self) -> date:
        """The order confirmation date, in shop time."""
        return local_date(self.placed_at)

    @property
    def delivered_at(self) -> datetime | None:
        if self.status is not OrderStatus.DELIVERED or self.shipment is None:
            return None
        return self.shipment.delivered_at


@dataclass(frozen=True)
class LoyaltyFacts:
    member: bool
    points: int


@dataclass(frozen=True)
class PromotionFacts:
    code: str | None
    title: str
    kind: PromotionKind
    percent_off: Decimal
    starts_at: datetime
    ends_at: datetime
    min_subtotal: Decimal = Decimal("0")
    first_order_only: bool = False

    def is_active(self, now: datetime) -> bool:
        return self.starts_at <= now <= self.ends_at


@dataclass(frozen=True)
class TaxRateFacts:
    name: str
    rate: Decimal


@dataclass(frozen=True)
class Address:
    name: str
    line1: str
    city: str
    region: str
    postal_code: str
    country: str
    line2: str | None = None

    def as_dict(self) -> dict[str, str | None]:
        return {
            "name": self.name,
            "line1": self.line1,
            "line2": self.line2,
            "city": self.city,
            "region": self.region,
            "postal_code": self.postal_code,
            "country": self.country,
        }
