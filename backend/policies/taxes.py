"""Sales taxes by destination (docs/docs/design.md §6 "Taxes")."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal

from backend.domain import OrderFacts, TaxRateFacts, to_cents
from backend.policies.config import PolicyConfig
from backend.policies.reasons import ReasonCode


@dataclass(frozen=True)
class TaxComponent:
    name: str
    rate: Decimal
    amount: Decimal | None = None  # None when no amount was given


@dataclass(frozen=True)
class TaxBreakdown:
    """The taxes of a destination, and their amounts on `taxable_amount` when known.

    `international` is set for destinations outside the home country: customs duties
    set by that country may apply on top, separately from the price.
    """

    reason: ReasonCode
    country: str
    region: str
    components: tuple[TaxComponent, ...]
    total_rate: Decimal
    international: bool
    taxable_amount: Decimal | None = None
    total_amount: Decimal | None = None


def tax_breakdown(
    country: str,
    region: str,
    rates: Sequence[TaxRateFacts],
    policy: PolicyConfig,
    taxable_amount: Decimal | None = None,
) -> TaxBreakdown:
    """Each component is rounded to the cent; the total is the sum of the rounded components."""
    international = country.upper() != policy.home_country
    components = tuple(
        TaxComponent(
            rate.name,
            rate.rate,
            None if taxable_amount is None else to_cents(taxable_amount * rate.rate),
        )
        for rate in rates
    )
    if components:
        reason = ReasonCode.TAXES_APPLY
    else:
        reason = ReasonCode.INTERNATIONAL_DUTIES if international else ReasonCode.NO_TAX_RATES
    total_amount = None
    if taxable_amount is not None:
        total_amount = sum((c.amount for c in components), Decimal("0.00"))
    return TaxBreakdown(
        reason=reason,
        country=country.upper(),
        region=region.upper(),
        components=components,
        total_rate=sum((c.rate for c in components), Decimal("0")),
        international=international,
        taxable_amount=taxable_amount,
        total_amount=total_amount,
    )


def order_taxable_amount(order: OrderFacts) -> Decimal:
    """Goods after discount, plus shipping (shipping is taxable in Canada)."""
    return order.paid_for(order.subtotal) + order.shipping_fee


def check_order_taxes(
    order: OrderFacts, rates: Sequence[TaxRateFacts], policy: PolicyConfig
) -> TaxBreakdown:
    """The taxes of an order, by its shipping address."""
    return tax_breakdown(
        order.country, order.region, rates, policy, taxable_amount=order_taxable_amount(order)
    )
