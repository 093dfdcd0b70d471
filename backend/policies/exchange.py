"""Exchange eligibility (docs/design.md §6 "Exchange")."""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from backend.domain import LineFacts, OrderFacts, OrderStatus, local_date
from backend.policies.common import (
    CustomerReason,
    LineDecision,
    Payer,
    chosen_lines,
    line_decision,
    return_shipping_payer,
)
from backend.policies.config import PolicyConfig
from backend.policies.reasons import ReasonCode
from backend.policies.returns import ReturnDecision

OUTCOMES = frozenset(
    {
        ReasonCode.ORDER_CANCELLED,
        ReasonCode.EXCHANGE_WINDOW_EXPIRED,
        ReasonCode.NOT_DELIVERED_YET,
        ReasonCode.NO_EXCHANGEABLE_LINE,
        ReasonCode.WITHIN_EXCHANGE_WINDOW,
    }
)
# Why a line is left out of an exchange (each gets its own customer text).
EXCLUDED_LINE_REASONS = frozenset({ReasonCode.GIFT_CARD, ReasonCode.PERSONALISED_LINE})


@dataclass(frozen=True)
class ExchangeDecision:
    eligible: bool
    reason: ReasonCode
    deadline: date  # last local day, counted from the order confirmation date
    lines: tuple[LineDecision, ...]
    return_shipping_paid_by: Payer
    customer_pays_price_difference: bool = True  # when the new item costs more
    exchange_days: int = 30  # the window, counted from the purchase date


def check_exchange(
    order: OrderFacts,
    now: datetime,
    policy: PolicyConfig,
    reason: CustomerReason = CustomerReason.CHANGED_MIND,
    skus: Collection[str] | None = None,
) -> ExchangeDecision:
    """Exchangeable lines within N days of purchase.

    Personalised or engraved lines only for a defect or a shop error; e-gift cards never
    (they have no packaging or tags to send back; docs/policy-decisions.md). An order not
    delivered yet has nothing to send back: NOT_DELIVERED_YET, with the deadline still given.
    Checks in order: cancelled, window over, nothing exchangeable, not delivered (as for
    returns: « vous pourrez l'échanger après réception » must not be said of an engraved piece).
    """
    deadline = order.purchase_date + timedelta(days=policy.exchange_days)
    lines = tuple(_line_decision(line, reason) for line in chosen_lines(order, skus))

    def decide(eligible: bool, code: ReasonCode) -> ExchangeDecision:
        return ExchangeDecision(
            eligible,
            code,
            deadline,
            lines,
            return_shipping_payer(reason),
            exchange_days=policy.exchange_days,
        )

    if order.status is OrderStatus.CANCELLED:
        return decide(False, ReasonCode.ORDER_CANCELLED)
    if local_date(now) > deadline:
        return decide(False, ReasonCode.EXCHANGE_WINDOW_EXPIRED)
    if not any(line.eligible for line in lines):
        return decide(False, ReasonCode.NO_EXCHANGEABLE_LINE)
    if order.delivered_at is None:
        return decide(False, ReasonCode.NOT_DELIVERED_YET)
    return decide(True, ReasonCode.WITHIN_EXCHANGE_WINDOW)


def _line_decision(line: LineFacts, reason: CustomerReason) -> LineDecision:
    if line.gift_card:
        return line_decision(line, False, ReasonCode.GIFT_CARD)
    if line.personalised:
        if reason.shop_at_fault:
            return line_decision(line, True, ReasonCode.DEFECT_OR_SHOP_ERROR)
        return line_decision(line, False, ReasonCode.PERSONALISED_LINE)
    return line_decision(line, True, ReasonCode.EXCHANGEABLE)


# Outcomes that give money back (the FAQ's refund « en fonction de plusieurs facteurs »).
MONEY_BACK = frozenset({"refund", "store_credit"})


def refund_instead_of_exchange(preference: str | None, refund: ReturnDecision) -> bool:
    """« je veux pas de remplacement, je veux être remboursée »: an exchange sends another
    piece, so a customer who asks for their money back is offered the return instead,
    whenever the return policy accepts the lines (`refund`: check_return on them)."""
    return preference in MONEY_BACK and refund.eligible
