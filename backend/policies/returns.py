"""Return eligibility (docs/docs/design.md §6 "Return window")."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta
from decimal import Decimal

from backend.domain import LineFacts, OrderFacts, OrderStatus, local_date
from backend.policies.cancellation import check_cancellation
from backend.policies.common import (
    CustomerReason,
    LineDecision,
    Payer,
    line_decision,
    paid_amount,
    return_shipping_payer,
)
from backend.policies.config import PolicyConfig
from backend.policies.reasons import ReasonCode


@dataclass(frozen=True)
class ReturnDecision:
    eligible: bool
    reason: ReasonCode
    lines: tuple[LineDecision, ...]
    currency: str
    refund_amount: Decimal  # returnable lines, discount share deducted; never the shipping fee
    return_shipping_paid_by: Payer
    deadline: date | None = None  # last local day to start the return
    delivered_on: date | None = None
    holiday_window: str | None = None  # name of the holiday window the order falls in
    cancellation_possible: bool = False  # not delivered yet, but still cancellable


def check_return(
    order: OrderFacts,
    now: datetime,
    policy: PolicyConfig,
    reason: CustomerReason = CustomerReason.CHANGED_MIND,
) -> ReturnDecision:
    """Can this order be returned on `now`'s local date, which lines, for how much?

    Checks in order: cancelled order, nothing returnable, not delivered yet, window over.
    """
    lines = tuple(_line_decision(line) for line in order.active_lines)
    returnable = [line for line in lines if line.eligible]
    window = policy.holiday_window_for(order.placed_at)

    def decide(eligible: bool, code: ReasonCode, **fields) -> ReturnDecision:
        return ReturnDecision(
            eligible=eligible,
            reason=code,
            lines=lines,
            currency=order.currency,
            refund_amount=paid_amount(returnable, order) if eligible else Decimal("0.00"),
            return_shipping_paid_by=return_shipping_payer(reason),
            holiday_window=window.name if window else None,
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
