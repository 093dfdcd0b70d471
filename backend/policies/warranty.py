"""Warranty coverage (docs/design.md §6 "Warranty").

"Two years from the purchase date" means: covered through the same calendar date two
years later, that day included (the same last-day-included rule as returns). A 2-year
span holds 730 days, or 731 when it contains a 29 February, so the last covered day
is day 730 or 731 after the purchase (purchase day = day 0). A purchase made on
29 February is covered through 28 February of the anniversary year, which has no
29 February (the usual "last day of that month" rule).
"""

from __future__ import annotations

import calendar
import enum
from collections.abc import Collection
from dataclasses import dataclass
from datetime import date, datetime

from backend.domain import LineFacts, OrderFacts, OrderStatus, local_date
from backend.policies.common import LineDecision, chosen_lines, line_decision
from backend.policies.config import PolicyConfig
from backend.policies.reasons import ReasonCode


class WarrantyCause(str, enum.Enum):
    """What happened to the item, as the customer describes it."""

    DEFECT = "defect"  # materials or workmanship: the only covered cause
    LOSS = "loss"
    NORMAL_WEAR = "normal_wear"  # including scratches
    IMPROPER_USE = "improper_use"  # handling or care
    MODIFICATION = "modification"  # personal or third-party modification or repair
    NON_ALLYZURE_ITEM = "non_allyzure_item"


_EXCLUDED_CAUSES = {
    WarrantyCause.LOSS: ReasonCode.EXCLUDED_LOSS,
    WarrantyCause.NORMAL_WEAR: ReasonCode.EXCLUDED_NORMAL_WEAR,
    WarrantyCause.IMPROPER_USE: ReasonCode.EXCLUDED_IMPROPER_USE,
    WarrantyCause.MODIFICATION: ReasonCode.EXCLUDED_MODIFICATION,
    WarrantyCause.NON_ALLYZURE_ITEM: ReasonCode.EXCLUDED_NON_ALLYZURE_ITEM,
}


OUTCOMES = frozenset(
    {
        ReasonCode.ORDER_CANCELLED,
        ReasonCode.NOT_DELIVERED_YET,
        *_EXCLUDED_CAUSES.values(),
        ReasonCode.WARRANTY_EXPIRED,
        ReasonCode.NO_COVERED_LINE,
        ReasonCode.COVERED_DEFECT,
        ReasonCode.WITHIN_WARRANTY,
    }
)
# Why a line is not covered (each gets its own customer text).
EXCLUDED_LINE_REASONS = frozenset({ReasonCode.GIFT_CARD, ReasonCode.WARRANTY_EXCLUDED_PRODUCT})


@dataclass(frozen=True)
class WarrantyDecision:
    eligible: bool
    reason: ReasonCode
    purchase_date: date
    deadline: date  # last covered day
    lines: tuple[LineDecision, ...]
    cause: WarrantyCause | None = None


def add_years(day: date, years: int) -> date:
    """The same calendar date `years` later; 29 February becomes 28 February if needed."""
    target_year = day.year + years
    last_day = calendar.monthrange(target_year, day.month)[1]
    return day.replace(year=target_year, day=min(day.day, last_day))


def warranty_deadline(purchase_date: date, policy: PolicyConfig) -> date:
    return add_years(purchase_date, policy.warranty_years)


def check_warranty(
    order: OrderFacts,
    now: datetime,
    policy: PolicyConfig,
    cause: WarrantyCause | None = None,
    skus: Collection[str] | None = None,
) -> WarrantyDecision:
    """Is a claim receivable? Without a cause, only the dates and the products are checked
    (WITHIN_WARRANTY); with DEFECT, COVERED_DEFECT; any other cause is an exclusion.

    Checks in order: cancelled, not delivered, excluded cause, expired, no covered line.
    A claim needs the piece in hand: before delivery, NOT_DELIVERED_YET, with the coverage
    dates (which run from the purchase date) still given (docs/policy-decisions.md).
    """
    purchase_date = order.purchase_date
    deadline = warranty_deadline(purchase_date, policy)
    lines = tuple(_line_decision(line) for line in chosen_lines(order, skus))

    def decide(eligible: bool, code: ReasonCode) -> WarrantyDecision:
        return WarrantyDecision(eligible, code, purchase_date, deadline, lines, cause)

    if order.status is OrderStatus.CANCELLED:
        return decide(False, ReasonCode.ORDER_CANCELLED)
    if order.delivered_at is None:
        return decide(False, ReasonCode.NOT_DELIVERED_YET)
    if cause in _EXCLUDED_CAUSES:
        return decide(False, _EXCLUDED_CAUSES[cause])
    if local_date(now) > deadline:
        return decide(False, ReasonCode.WARRANTY_EXPIRED)
    if not any(line.eligible for line in lines):
        return decide(False, ReasonCode.NO_COVERED_LINE)
    if cause is WarrantyCause.DEFECT:
        return decide(True, ReasonCode.COVERED_DEFECT)
    return decide(True, ReasonCode.WITHIN_WARRANTY)


def _line_decision(line: LineFacts) -> LineDecision:
    """E-gift cards are not jewellery: the FAQ's warranty covers jewellery products only."""
    if line.gift_card:
        return line_decision(line, False, ReasonCode.GIFT_CARD)
    if line.warranty_excluded:
        return line_decision(line, False, ReasonCode.WARRANTY_EXCLUDED_PRODUCT)
    return line_decision(line, True, ReasonCode.COVERED)
