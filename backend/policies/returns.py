"""Return eligibility (docs/design.md §6 "Return window")."""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from decimal import Decimal
from typing import Any

from backend.domain import LineFacts, OrderFacts, OrderStatus, local_date
from backend.policies.cancellation import check_cancellation
from backend.policies.common import (
    CustomerReason,
    LineDecision,
    Payer,
    chosen_lines,
    line_decision,
    paid_amount,
    return_shipping_payer,
)
from backend.policies.config import PolicyConfig
from backend.policies.reasons import ReasonCode
from backend.policies.taxes import NO_REFUND, Refund, refund_for

OUTCOMES = frozenset(
    {
        ReasonCode.ORDER_CANCELLED,
        ReasonCode.NO_RETURNABLE_LINE,
        ReasonCode.NOT_DELIVERED_YET,
        ReasonCode.RETURN_WINDOW_EXPIRED,
        ReasonCode.WITHIN_RETURN_WINDOW,
        ReasonCode.HOLIDAY_EXTENSION,
    }
)
# Why a line is left out of a return (each gets its own customer text).
EXCLUDED_LINE_REASONS = frozenset({ReasonCode.GIFT_CARD, ReasonCode.PERSONALISED_LINE})


@dataclass(frozen=True)
class ReturnDecision:
    eligible: bool
    reason: ReasonCode
    lines: tuple[LineDecision, ...]
    currency: str
    # Returnable lines as paid (discount share deducted) with their taxes; never the shipping.
    refund_amount: Decimal
    return_shipping_paid_by: Payer
    deadline: date | None = None  # last local day to start the return
    delivered_on: date | None = None
    holiday_window: str | None = None  # name of the holiday window the order falls in
    cancellation_possible: bool = False  # not delivered yet, but still cancellable
    refund: Refund = NO_REFUND  # refund_amount, in parts
    return_days: int = 30  # the standard window, counted from the delivery date
    # Holiday orders: returnable until this day, or `return_days` after delivery if later.
    holiday_return_until: date | None = None


def check_return(
    order: OrderFacts,
    now: datetime,
    policy: PolicyConfig,
    reason: CustomerReason = CustomerReason.CHANGED_MIND,
    skus: Collection[str] | None = None,
) -> ReturnDecision:
    """Can this order be returned on `now`'s local date, which lines, for how much?

    Checks in order: cancelled order, nothing returnable, not delivered yet, window over.
    """
    lines = tuple(_line_decision(line) for line in chosen_lines(order, skus))
    returnable = [line for line in lines if line.eligible]
    window = policy.holiday_window_for(order.placed_at)

    def decide(eligible: bool, code: ReasonCode, **fields: Any) -> ReturnDecision:
        refund = NO_REFUND
        if eligible:
            refund = refund_for(order, paid_amount(returnable, order), policy)
        return ReturnDecision(
            eligible=eligible,
            reason=code,
            lines=lines,
            currency=order.currency,
            refund_amount=refund.total,
            return_shipping_paid_by=return_shipping_payer(reason),
            holiday_window=window.name if window else None,
            refund=refund,
            return_days=policy.return_days,
            holiday_return_until=window.return_until if window else None,
            **fields,
        )

    if order.status is OrderStatus.CANCELLED:
        return decide(False, ReasonCode.ORDER_CANCELLED)
    if not returnable:
        return decide(False, ReasonCode.NO_RETURNABLE_LINE)
    delivered_at = order.delivered_at
    if delivered_at is None:
        cancellable = check_cancellation(order, now, policy).eligible
        return decide(False, ReasonCode.NOT_DELIVERED_YET, cancellation_possible=cancellable)

    delivered_on = local_date(delivered_at)
    standard_deadline = delivered_on + timedelta(days=policy.return_days)
    deadline = max(standard_deadline, window.return_until) if window else standard_deadline
    if local_date(now) > deadline:
        return decide(
            False, ReasonCode.RETURN_WINDOW_EXPIRED, deadline=deadline, delivered_on=delivered_on
        )
    code = (
        ReasonCode.HOLIDAY_EXTENSION
        if deadline > standard_deadline
        else ReasonCode.WITHIN_RETURN_WINDOW
    )
    return decide(True, code, deadline=deadline, delivered_on=delivered_on)


def _line_decision(line: LineFacts) -> LineDecision:
    if line.gift_card:
        return line_decision(line, False, ReasonCode.GIFT_CARD)
    if line.personalised:
        return line_decision(line, False, ReasonCode.PERSONALISED_LINE)
    return line_decision(line, True, ReasonCode.RETURNABLE)
