"""Every reason code a policy declares in OUTCOMES is reachable, and no other is returned.

The bot's flows map each declared code to a customer text (tests/bot/test_reason_texts.py):
together, a code a flow can return without a text in that flow fails a test.
"""

from __future__ import annotations

import itertools
from datetime import timedelta

import pytest

from backend.domain import OrderStatus
from backend.policies import (
    CustomerReason,
    WarrantyCause,
    cancellation,
    check_cancellation,
    check_exchange,
    check_return,
    check_warranty,
    exchange,
    returns,
    warranty,
)
from tests.backend.builders import make_line, make_order, toronto

NOWS = (toronto(2025, 1, 20, 12), toronto(2026, 11, 25, 12))
AGES = (
    timedelta(hours=3),
    timedelta(hours=30),
    timedelta(days=20),
    timedelta(days=50),
    timedelta(days=3 * 365),
)
LINE_SETS = {
    "plain": (make_line("A"),),
    "engraved": (make_line("B", engraving="Léa"),),
    "gift card": (make_line("C", "50.00", gift_card=True),),
    "promotional": (make_line("D", warranty_excluded=True),),
    "mixed": (make_line("A"), make_line("B", engraving="Léa"), make_line("C", gift_card=True)),
}
STATES = ("processing", "shipped", "delivered today", "delivered long ago", "cancelled")


def orders():
    for now, age, lines, state in itertools.product(NOWS, AGES, LINE_SETS.values(), STATES):
        placed = now - age
        if state == "processing":
            yield now, make_order(placed=placed, lines=lines)
        elif state == "shipped":
            yield now, make_order(placed=placed, shipped=placed + timedelta(hours=1), lines=lines)
        elif state == "delivered today":
            yield now, make_order(placed=placed, delivered=now - timedelta(hours=1), lines=lines)
        elif state == "delivered long ago":
            delivered = placed + min(age / 2, timedelta(days=4))
            yield now, make_order(placed=placed, delivered=delivered, lines=lines)
        else:
            yield now, make_order(placed=placed, lines=lines, status=OrderStatus.CANCELLED)


def reached(check) -> tuple[set, set]:
    decisions = [decision for now, order in orders() for decision in check(now, order)]
    codes = {decision.reason for decision in decisions}
    line_codes = {line.reason for d in decisions for line in d.lines if not line.eligible}
    return codes, line_codes


@pytest.mark.parametrize(
    ("module", "check"),
    [
        (
            returns,
            lambda now, order, policy: [
                check_return(order, now, policy, reason) for reason in CustomerReason
            ],
        ),
        (
            exchange,
            lambda now, order, policy: [
                check_exchange(order, now, policy, reason) for reason in CustomerReason
            ],
        ),
        (cancellation, lambda now, order, policy: [check_cancellation(order, now, policy)]),
        (
            warranty,
            lambda now, order, policy: [
                check_warranty(order, now, policy, cause) for cause in (None, *WarrantyCause)
            ],
        ),
    ],
    ids=["returns", "exchange", "cancellation", "warranty"],
)
def test_the_declared_outcomes_are_exactly_the_reachable_ones(module, check, policy):
    codes, line_codes = reached(lambda now, order: check(now, order, policy))

    assert codes == module.OUTCOMES
    assert line_codes == module.EXCLUDED_LINE_REASONS


def test_an_engraved_piece_with_a_defect_can_be_exchanged(policy):
    order = make_order(
        placed=toronto(2026, 11, 10), delivered=toronto(2026, 11, 14), lines=LINE_SETS["engraved"]
    )
    now = toronto(2026, 11, 25)

    changed_mind = check_exchange(order, now, policy)
    defective = check_exchange(order, now, policy, CustomerReason.DEFECTIVE)

    assert changed_mind.reason.value == "no_exchangeable_line"
    assert defective.eligible and defective.lines[0].reason.value == "defect_or_shop_error"
    assert defective.return_shipping_paid_by.value == "shop"


@pytest.mark.parametrize(
    "reason", [CustomerReason.DEFECTIVE, CustomerReason.DAMAGED, CustomerReason.WRONG_ITEM]
)
def test_a_defective_damaged_or_wrong_item_is_returned_at_the_shops_cost(policy, reason):
    order = make_order(placed=toronto(2026, 11, 10), delivered=toronto(2026, 11, 14))

    decision = check_return(order, toronto(2026, 11, 25), policy, reason)

    assert decision.eligible and decision.return_shipping_paid_by.value == "shop"
