"""Missing parcels, tracking problems and wrong items (docs/design.md §6)."""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass
from datetime import date, datetime

from backend.domain import OrderFacts, OrderStatus, TrackingEventFacts, local_date
from backend.policies.common import LineDecision, Payer, chosen_lines, line_decision
from backend.policies.reasons import ReasonCode


@dataclass(frozen=True)
class MissingParcelDecision:
    """Where the parcel stands, and whether a missing-parcel case can be opened now."""

    eligible: bool
    reason: ReasonCode
    carrier: str | None = None
    tracking_number: str | None = None
    estimated_delivery: date | None = None
    delivered_at: datetime | None = None
    last_event: TrackingEventFacts | None = None


def check_missing_parcel(order: OrderFacts, now: datetime) -> MissingParcelDecision:
    """A case is opened once the carrier says delivered, or the estimated date has passed.

    Before that the FAQ's advice applies: processing orders have no tracking yet, and a
    parcel in transit before its estimated date is simply on its way.
    """
    shipment = order.shipment
    if order.status is OrderStatus.CANCELLED:
        return MissingParcelDecision(False, ReasonCode.ORDER_CANCELLED)
    if order.status is OrderStatus.PROCESSING or shipment is None:
        return MissingParcelDecision(False, ReasonCode.NOT_SHIPPED_YET)

    if order.delivered_at is not None:
        eligible, code = True, ReasonCode.MARKED_DELIVERED
    elif shipment.estimated_delivery and local_date(now) > shipment.estimated_delivery:
        eligible, code = True, ReasonCode.DELIVERY_LATE
    else:
        eligible, code = False, ReasonCode.IN_TRANSIT
    return MissingParcelDecision(
        eligible,
        code,
        carrier=shipment.carrier,
        tracking_number=shipment.tracking_number,
        estimated_delivery=shipment.estimated_delivery,
        delivered_at=order.delivered_at,
        last_event=shipment.last_event,
    )


@dataclass(frozen=True)
class WrongItemDecision:
    eligible: bool
    reason: ReasonCode
    return_shipping_paid_by: Payer = Payer.SHOP
    expedited_replacement: bool = True  # ships once the wrong item is back
    lines: tuple[LineDecision, ...] = ()  # the lines the case is about (named, else all)


def check_wrong_item(order: OrderFacts, skus: Collection[str] | None = None) -> WrongItemDecision:
    """A shipped or delivered order can have a wrong-item case (tracking may lag delivery).
    `skus`: the lines the customer says came wrong (None: the order as a whole)."""
    lines = tuple(
        line_decision(line, True, ReasonCode.WRONG_ITEM_CASE) for line in chosen_lines(order, skus)
    )
    if order.status is OrderStatus.CANCELLED:
        return WrongItemDecision(False, ReasonCode.ORDER_CANCELLED, lines=lines)
    if order.status is OrderStatus.PROCESSING:
        return WrongItemDecision(False, ReasonCode.NOT_SHIPPED_YET, lines=lines)
    return WrongItemDecision(True, ReasonCode.WRONG_ITEM_CASE, lines=lines)
