"""Sales taxes by destination (docs/design.md §6 "Taxes", docs/policy-decisions.md).

One model everywhere: the shop sells in the policy's `sales_countries` (Canada and the
US), where the sales tax of the province or state is charged when its rates are
configured; a province or state without configured rates gets NO_TAX_RATES (we do not
know them, and say so). Every other country is international: no sales tax is charged
unless rates are configured for it, and the destination's customs duties and taxes may
be charged on arrival. Shipping is taxed with the goods wherever rates apply.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal

from backend.domain import OrderFacts, TaxRateFacts, to_cents
from backend.policies.config import PolicyConfig
from backend.policies.reasons import ReasonCode

OUTCOMES = frozenset(
    {ReasonCode.TAXES_APPLY, ReasonCode.INTERNATIONAL_DUTIES, ReasonCode.NO_TAX_RATES}
)


@dataclass(frozen=True)
class TaxComponent:
    name: str
    rate: Decimal
    amount: Decimal | None = None  # None when no amount was given


@dataclass(frozen=True)
class TaxBreakdown:
    """The taxes of a destination, and their amounts on `taxable_amount` when known.

    `international` is set for destinations outside the countries the shop sells in:
    customs duties set by that country may apply on top, separately from the price.
    """

    reason: ReasonCode
    country: str
    region: str
    components: tuple[TaxComponent, ...]
    total_rate: Decimal
    international: bool
    taxable_amount: Decimal | None = None
    total_amount: Decimal | None = None

    @property
    def known(self) -> bool:
        """False when the destination is charged sales tax at rates we do not have."""
        return self.reason is not ReasonCode.NO_TAX_RATES


def tax_breakdown(
    country: str,
    region: str,
    rates: Sequence[TaxRateFacts],
    policy: PolicyConfig,
    taxable_amount: Decimal | None = None,
) -> TaxBreakdown:
    """Each component is rounded to the cent; the total is the sum of the rounded components."""
    international = not policy.sells_in(country)
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
        amounts = (c.amount for c in components if c.amount is not None)
        total_amount = sum(amounts, Decimal("0.00"))
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
    """Goods after discount, plus shipping (shipping is taxed with the goods)."""
    return order.paid_for(order.subtotal) + order.shipping_fee


def check_order_taxes(
    order: OrderFacts, rates: Sequence[TaxRateFacts], policy: PolicyConfig
) -> TaxBreakdown:
    """The taxes of an order, by its shipping address."""
    return tax_breakdown(
        order.country, order.region, rates, policy, taxable_amount=order_taxable_amount(order)
    )


@dataclass(frozen=True)
class Refund:
    """What a refund gives back: the goods as paid, the shipping when refunded, their taxes.

    `taxes_known` is False for a destination charged sales tax at rates we do not have:
    `taxes` is then 0 and the taxes actually paid come back on top of `total`.
    """

    goods: Decimal
    shipping: Decimal
    taxes: Decimal
    taxes_known: bool

    @property
    def total(self) -> Decimal:
        return self.goods + self.shipping + self.taxes


NO_REFUND = Refund(Decimal("0.00"), Decimal("0.00"), Decimal("0.00"), True)


def refund_for(
    order: OrderFacts, goods: Decimal, policy: PolicyConfig, *, shipping: Decimal = Decimal("0")
) -> Refund:
    """`goods` (already paid amounts, discount deducted) and `shipping`, with their taxes at
    the order's destination rates, computed as the order's own taxes are."""
    breakdown = tax_breakdown(
        order.country, order.region, order.tax_rates, policy, taxable_amount=goods + shipping
    )
    return Refund(
        goods=to_cents(goods),
        shipping=to_cents(shipping),
        taxes=breakdown.total_amount or Decimal("0.00"),
        taxes_known=breakdown.known,
    )
