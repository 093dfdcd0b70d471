"""Types and arithmetic shared by the policies."""

from __future__ import annotations

import enum
from collections.abc import Collection, Iterable
from dataclasses import dataclass
from decimal import Decimal

from backend.domain import LineFacts, OrderFacts, ProductCategory
from backend.policies.reasons import ReasonCode


class CustomerReason(str, enum.Enum):
    """Why the customer sends an item back; decides who pays the return shipping."""

    CHANGED_MIND = "changed_mind"
    DEFECTIVE = "defective"  # a manufacturing defect
    DAMAGED = "damaged"  # arrived damaged: the item received is not as it should be
    WRONG_ITEM = "wrong_item"  # the shop's error
    WRONG_SIZE = "wrong_size"  # the size ordered does not fit: not the shop's error

    @property
    def shop_at_fault(self) -> bool:
        return self in {CustomerReason.DEFECTIVE, CustomerReason.DAMAGED, CustomerReason.WRONG_ITEM}


class Payer(str, enum.Enum):
    CUSTOMER = "customer"
    SHOP = "shop"


@dataclass(frozen=True)
class LineDecision:
    sku: str
    name: str
    quantity: int
    amount: Decimal  # the line's total before the order discount
    eligible: bool
    reason: ReasonCode
    category: ProductCategory = ProductCategory.OTHER  # what the bot's texts agree with


def chosen_lines(order: OrderFacts, skus: Collection[str] | None) -> tuple[LineFacts, ...]:
    """The order's active lines, or only those the customer named (by SKU): a request about
    « seulement les boucles » decides, refunds and ships back those lines alone."""
    if skus is None:
        return order.active_lines
    return tuple(line for line in order.active_lines if line.sku in skus)


def line_decision(line: LineFacts, eligible: bool, reason: ReasonCode) -> LineDecision:
    return LineDecision(
        line.sku, line.name, line.quantity, line.total, eligible, reason, line.category
    )


def return_shipping_payer(reason: CustomerReason) -> Payer:
    """FAQ: the customer pays the return unless the item received is defective (damaged on
    arrival included) or not what was ordered."""
    return Payer.SHOP if reason.shop_at_fault else Payer.CUSTOMER


def paid_amount(lines: Iterable[LineDecision], order: OrderFacts) -> Decimal:
    """What the customer paid for `lines`, their share of the discount deducted (before tax)."""
    return order.paid_for(sum((line.amount for line in lines), Decimal("0")))
