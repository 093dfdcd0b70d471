"""Shipping address change (docs/design.md §6 "Address change")."""

from __future__ import annotations

from dataclasses import dataclass

from backend.domain import OrderFacts, OrderStatus
from backend.policies.reasons import ReasonCode


@dataclass(frozen=True)
class AddressChangeDecision:
    eligible: bool  # a request can be recorded
    reason: ReasonCode
    guaranteed: bool = False  # never: the FAQ promises best effort only
    carrier: str | None = None  # once shipped, whom the customer should contact
    tracking_number: str | None = None


def check_address_change(order: OrderFacts) -> AddressChangeDecision:
    """Processing: a best-effort request. Shipped or delivered: only the carrier can help."""
    if order.status is OrderStatus.CANCELLED:
        return AddressChangeDecision(False, ReasonCode.ORDER_CANCELLED)
    if order.status is OrderStatus.PROCESSING:
        return AddressChangeDecision(True, ReasonCode.ADDRESS_CHANGE_BEST_EFFORT)
    shipment = order.shipment
    return AddressChangeDecision(
        False,
        ReasonCode.ALREADY_SHIPPED,
        carrier=shipment.carrier if shipment else None,
        tracking_number=shipment.tracking_number if shipment else None,
    )
