"""Order cancellation (docs/design.md §6 "Cancellation")."""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal

from backend.domain import LineFacts, OrderFacts, OrderStatus, elapsed_since
from backend.policies.common import LineDecision, chosen_lines, line_decision, paid_amount
from backend.policies.config import PolicyConfig
from backend.policies.reasons import ReasonCode
from backend.policies.taxes import NO_REFUND, Refund, refund_for

OUTCOMES = frozenset(
    {
        ReasonCode.ALREADY_CANCELLED,
        ReasonCode.ALREADY_SHIPPED,
        ReasonCode.CANCELLATION_WINDOW_EXPIRED,
        ReasonCode.ALL_LINES_PERSONALISED,
        ReasonCode.CANCELLABLE,
        ReasonCode.PARTIALLY_CANCELLABLE,
    }
)
EXCLUDED_LINE_REASONS = frozenset({ReasonCode.PERSONALISED_LINE})


@dataclass(frozen=True)
class CancellationDecision:
    eligible: bool
    reason: ReasonCode
    deadline: datetime  # placed_at + the window; this instant is still inside
    lines: tuple[LineDecision, ...]
    currency: str
    refund_amount: Decimal  # the cancelled lines as paid, with their taxes (and shipping)
    whole_order: bool = False  # every remaining line goes, so the shipping fee is refunded too
    refund: Refund = NO_REFUND  # refund_amount, in parts
    window_hours: int = 24  # the policy's cancellation window


def check_cancellation(
    order: OrderFacts,
    now: datetime,
    policy: PolicyConfig,
    skus: Collection[str] | None = None,
) -> CancellationDecision:
    """Within the window (exact time, end included) and still processing; personalised lines stay.

    `skus`: only the lines the customer named (None: every remaining line); the shop cancels
    line by line, so the others simply ship. Checks in order: already cancelled, already
    shipped, window over, only personalised lines.
    """
    deadline = elapsed_since(order.placed_at, policy.cancellation_window)
    hours = int(policy.cancellation_window.total_seconds() // 3600)
    lines = tuple(_line_decision(line) for line in chosen_lines(order, skus))
    cancellable = [line for line in lines if line.eligible]

    def refuse(code: ReasonCode) -> CancellationDecision:
        return CancellationDecision(
            False, code, deadline, lines, order.currency, Decimal("0.00"), window_hours=hours
        )

    if order.status is OrderStatus.CANCELLED:
        return refuse(ReasonCode.ALREADY_CANCELLED)
    if order.status is not OrderStatus.PROCESSING:
        return refuse(ReasonCode.ALREADY_SHIPPED)
    if now > deadline:
        return refuse(ReasonCode.CANCELLATION_WINDOW_EXPIRED)
    if not cancellable:
        return refuse(ReasonCode.ALL_LINES_PERSONALISED)

    # Nothing ships when the whole order goes: its shipping fee and taxes are refunded too
    # (docs/policy-decisions.md); a partial cancellation still ships the rest.
    whole_order = len(cancellable) == len(order.active_lines)
    shipping = order.shipping_fee if whole_order else Decimal("0")
    refund = refund_for(order, paid_amount(cancellable, order), policy, shipping=shipping)
    return CancellationDecision(
        eligible=True,
        reason=ReasonCode.CANCELLABLE if whole_order else ReasonCode.PARTIALLY_CANCELLABLE,
        deadline=deadline,
        lines=lines,
        currency=order.currency,
        refund_amount=refund.total,
        whole_order=whole_order,
        refund=refund,
        window_hours=hours,
    )


def _line_decision(line: LineFacts) -> LineDecision:
    if line.personalised:
        return line_decision(line, False, ReasonCode.PERSONALISED_LINE)
    return line_decision(line, True, ReasonCode.CANCELLABLE)
