"""What the services return: frozen values, safe to use after the session is closed."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal
from typing import Any, Generic, TypeVar

from backend.domain import (
    Address,
    LineFacts,
    LoyaltyFacts,
    OrderFacts,
    OrderStatus,
    ProductCategory,
    PromotionFacts,
    RequestKind,
    RequestStatus,
    ShipmentFacts,
    TaxRateFacts,
    TrackingEventFacts,
)
from backend.models import Order, Promotion, ServiceRequest, TaxRate
from backend.policies.reasons import ReasonCode


class IdentityNotVerified(Exception):
    """An order-bound use case was called with an order number and email that do not match."""


@dataclass(frozen=True)
class IdentityCheck:
    verified: bool
    # VERIFIED, IDENTITY_MISMATCH, INVALID_ORDER_NUMBER, INVALID_EMAIL or IDENTITY_CHECKS_PAUSED
    reason: ReasonCode
    order_number: str | None = None  # normalised, when the input had the right shape


@dataclass(frozen=True)
class RequestView:
    reference: str | None  # None in a dry run: no reference is reserved
    kind: RequestKind
    status: RequestStatus
    order_number: str | None
    payload: dict[str, Any]
    created_at: datetime | None


Decided = TypeVar("Decided")


@dataclass(frozen=True)
class RequestOutcome(Generic[Decided]):
    """The decision behind a writing use case and the request it created or found.

    `request` is the existing open request when one was found (`created` False: asking
    twice gives the same reference), the new one when `created`, a preview in a dry
    run, and None when the decision refused. `Decided`: the policy's decision type (None
    for a handoff, which needs no decision).
    """

    decision: Decided
    request: RequestView | None
    created: bool
    dry_run: bool = False
    # `request` is an open request of another kind for the same pieces (a return when an
    # exchange was asked): nothing was created (requests.conflicting_request)
    conflicting: bool = False


@dataclass(frozen=True)
class OrderSummary:
    number: str
    status: OrderStatus
    placed_at: datetime
    currency: str
    customer_first_name: str
    lines: tuple[LineFacts, ...]  # cancelled lines included, flagged
    subtotal: Decimal  # remaining lines, before the discount
    discount: Decimal
    shipping_fee: Decimal
    total: Decimal  # what the remaining lines and shipping cost, before taxes
    promo_code: str | None
    shipping_address: Address
    shipment: ShipmentFacts | None
    requests: tuple[RequestView, ...]

    @property
    def last_event(self) -> TrackingEventFacts | None:
        return self.shipment.last_event if self.shipment else None


def order_facts(order: Order, tax_rates: Sequence[TaxRate] = ()) -> OrderFacts:
    """The order's facts; `tax_rates` are those of its shipping destination."""
    return OrderFacts(
        number=order.number,
        status=OrderStatus(order.status),
        placed_at=order.placed_at,
        currency=order.currency,
        lines=tuple(
            LineFacts(
                sku=line.product.sku,
                name=line.product.name,
                quantity=line.quantity,
                unit_price=line.unit_price,
                engraving=line.engraving,
                personalized=line.product.personalized,
                gift_card=line.product.gift_card,
                warranty_excluded=line.product.warranty_excluded,
                cancelled=line.cancelled,
                category=ProductCategory(line.product.category),
            )
            for line in order.lines
        ),
        shipping_fee=order.shipping_fee,
        discount=order.discount,
        promo_code=order.promo_code,
        country=order.ship_country,
        region=order.ship_region,
        shipment=_shipment_facts(order),
        tax_rates=tuple(tax_rate_facts(rate) for rate in tax_rates),
    )


def _shipment_facts(order: Order) -> ShipmentFacts | None:
    shipment = order.shipment
    if shipment is None:
        return None
    return ShipmentFacts(
        carrier=shipment.carrier,
        tracking_number=shipment.tracking_number,
        shipped_at=shipment.shipped_at,
        estimated_delivery=shipment.estimated_delivery,
        delivered_at=shipment.delivered_at,
        events=tuple(
            TrackingEventFacts(event.at, event.location, event.description)
            for event in shipment.events
        ),
    )


def order_summary(order: Order, requests: list[ServiceRequest]) -> OrderSummary:
    facts = order_facts(order)
    return OrderSummary(
        number=facts.number,
        status=facts.status,
        placed_at=facts.placed_at,
        currency=facts.currency,
        customer_first_name=order.customer.first_name,
        lines=facts.lines,
        subtotal=facts.subtotal,
        discount=facts.discount,
        shipping_fee=facts.shipping_fee,
        total=facts.paid_for(facts.subtotal) + facts.shipping_fee,
        promo_code=facts.promo_code,
        shipping_address=order.shipping_address,
        shipment=facts.shipment,
        requests=tuple(request_view(request) for request in requests),
    )


def loyalty_facts(order: Order) -> LoyaltyFacts | None:
    account = order.customer.loyalty_account
    return LoyaltyFacts(account.member, account.points) if account else None


def promotion_facts(promotion: Promotion) -> PromotionFacts:
    return PromotionFacts(
        code=promotion.code,
        title=promotion.title,
        kind=promotion.kind,
        percent_off=promotion.percent_off,
        starts_at=promotion.starts_at,
        ends_at=promotion.ends_at,
        min_subtotal=promotion.min_subtotal,
        first_order_only=promotion.first_order_only,
    )


def tax_rate_facts(rate: TaxRate) -> TaxRateFacts:
    return TaxRateFacts(rate.name, rate.rate)


def request_view(request: ServiceRequest, *, preview: bool = False) -> RequestView:
    return RequestView(
        reference=None if preview else request.reference,
        kind=RequestKind(request.kind),
        status=RequestStatus(request.status),
        order_number=request.order_number,
        payload=request.payload,
        created_at=request.created_at,
    )
