"""Promotions and promo codes (docs/design.md §6 "Promotions")."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal

from backend.domain import PromotionFacts, to_cents
from backend.policies.reasons import ReasonCode


@dataclass(frozen=True)
class PromoCodeDecision:
    eligible: bool
    reason: ReasonCode
    code: str
    promotion: PromotionFacts | None = None
    discount_amount: Decimal | None = None  # when a subtotal was given and the code is valid


def normalise_code(code: str) -> str:
    return code.strip().upper()


def active_promotions(promotions: Iterable[PromotionFacts], now: datetime) -> list[PromotionFacts]:
    """Running at `now` (start and end included), ending soonest first."""
    running = [promotion for promotion in promotions if promotion.is_active(now)]
    return sorted(running, key=lambda promotion: (promotion.ends_at, promotion.title))


def check_promo_code(
    code: str,
    promotions: Iterable[PromotionFacts],
    now: datetime,
    *,
    subtotal: Decimal | None = None,
    customer_has_orders: bool | None = None,
    codes_in_order: Sequence[str] = (),
) -> PromoCodeDecision:
    """The state of a code at `now`.

    Unknown facts are not held against the customer: without `subtotal` the minimum is
    not checked, without `customer_has_orders` the first-order condition is not checked
    (the promotion's `first_order_only` tells the bot to mention it).
    Checks in order: unknown, another code already in the order, not started, expired,
    first order only, below minimum.
    """
    wanted = normalise_code(code)
    promotion = next((p for p in promotions if p.code and normalise_code(p.code) == wanted), None)

    def decide(
        eligible: bool, reason: ReasonCode, discount: Decimal | None = None
    ) -> PromoCodeDecision:
        return PromoCodeDecision(eligible, reason, wanted, promotion, discount)

    if promotion is None:
        return decide(False, ReasonCode.PROMO_UNKNOWN)
    if any(normalise_code(other) != wanted for other in codes_in_order):
        return decide(False, ReasonCode.PROMO_ONE_PER_ORDER)
    if now < promotion.starts_at:
        return decide(False, ReasonCode.PROMO_NOT_STARTED)
    if now > promotion.ends_at:
        return decide(False, ReasonCode.PROMO_EXPIRED)
    if promotion.first_order_only and customer_has_orders:
        return decide(False, ReasonCode.PROMO_FIRST_ORDER_ONLY)
    if subtotal is None:
        return decide(True, ReasonCode.PROMO_VALID)
    if subtotal < promotion.min_subtotal:
        return decide(False, ReasonCode.PROMO_BELOW_MINIMUM)
    discount = to_cents(subtotal * promotion.percent_off / Decimal(100))
    return decide(True, ReasonCode.PROMO_VALID, discount)
