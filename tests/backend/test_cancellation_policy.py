from datetime import datetime, timedelta
from decimal import Decimal

import pytest

from backend.domain import OrderStatus
from backend.policies import ReasonCode, check_cancellation
from tests.backend.builders import make_line, make_order, toronto

PLACED = toronto(2025, 3, 3, 14, 5)


@pytest.mark.parametrize(
    ("elapsed", "eligible", "reason"),
    [
        (timedelta(minutes=1), True, ReasonCode.CANCELLABLE),
        (timedelta(hours=23, minutes=59), True, ReasonCode.CANCELLABLE),
        (timedelta(hours=24), True, ReasonCode.CANCELLABLE),
        (timedelta(hours=24, minutes=1), False, ReasonCode.CANCELLATION_WINDOW_EXPIRED),
    ],
)
def test_cancellation_window_is_exactly_twenty_four_hours_after_placing(
    policy, elapsed, eligible, reason
):
    decision = check_cancellation(make_order(placed=PLACED), PLACED + elapsed, policy)

    assert (decision.eligible, decision.reason) == (eligible, reason)
    assert decision.deadline == PLACED + timedelta(hours=24)


def test_window_is_twenty_four_real_hours_across_a_daylight_saving_change(policy):
    placed = toronto(2025, 3, 8, 12, 0)  # clocks jump forward on 9 March at 2:00

    decision = check_cancellation(make_order(placed=placed), toronto(2025, 3, 9, 12, 30), policy)

    assert decision.deadline == datetime.fromisoformat("2025-03-09T13:00:00-04:00")
    assert decision.eligible


def test_shipped_order_is_not_cancellable_even_inside_twenty_four_hours(policy):
    order = make_order(placed=PLACED, shipped=PLACED + timedelta(hours=2))

    decision = check_cancellation(order, PLACED + timedelta(hours=3), policy)

    assert (decision.eligible, decision.reason) == (False, ReasonCode.ALREADY_SHIPPED)


def test_cancelled_order_is_already_cancelled(policy):
    order = make_order(placed=PLACED, status=OrderStatus.CANCELLED)

    decision = check_cancellation(order, PLACED + timedelta(hours=1), policy)

    assert decision.reason is ReasonCode.ALREADY_CANCELLED


def test_whole_order_cancellation_refunds_lines_and_shipping(policy):
    order = make_order(placed=PLACED, shipping_fee="9.95")

    decision = check_cancellation(order, PLACED + timedelta(hours=1), policy)

    assert decision.whole_order
    assert decision.refund_amount == Decimal("258.95")


def test_mixed_order_cancels_every_line_but_the_engraved_one(policy):
    order = make_order(
        placed=PLACED,
        lines=(
            make_line("BR-JONC-OR", "129.00"),
            make_line("CL-PRENOM-AG", "89.00", engraving="Léa"),
        ),
    )

    decision = check_cancellation(order, PLACED + timedelta(hours=3), policy)

    assert (decision.eligible, decision.reason) == (True, ReasonCode.PARTIALLY_CANCELLABLE)
    assert [line.reason for line in decision.lines] == [
        ReasonCode.CANCELLABLE,
        ReasonCode.PERSONALISED_LINE,
    ]
    assert not decision.whole_order
    assert decision.refund_amount == Decimal("129.00")  # shipping still needed for the necklace


def test_order_of_personalised_lines_only_cannot_be_cancelled(policy):
    order = make_order(
        placed=PLACED, lines=(make_line("CL-PRENOM-AG", "89.00", personalized=True),)
    )

    decision = check_cancellation(order, PLACED + timedelta(hours=1), policy)

    assert (decision.eligible, decision.reason) == (False, ReasonCode.ALL_LINES_PERSONALISED)


def two_line_order():
    return make_order(
        placed=PLACED,
        shipping_fee="9.95",
        lines=(make_line("BG-ECLAT-14K", "249.00"), make_line("BR-JONC-OR", "129.00")),
    )


def test_a_named_line_is_cancelled_alone_and_the_rest_ships(policy):
    decision = check_cancellation(
        two_line_order(), PLACED + timedelta(hours=1), policy, skus=["BR-JONC-OR"]
    )

    assert (decision.eligible, decision.reason) == (True, ReasonCode.PARTIALLY_CANCELLABLE)
    assert [line.sku for line in decision.lines] == ["BR-JONC-OR"]
    assert not decision.whole_order
    assert decision.refund_amount == Decimal("129.00")  # the shipping fee still pays the ring


def test_naming_every_line_cancels_the_whole_order_with_its_shipping(policy):
    decision = check_cancellation(
        two_line_order(), PLACED + timedelta(hours=1), policy, skus=["BR-JONC-OR", "BG-ECLAT-14K"]
    )

    assert decision.whole_order
    assert decision.refund_amount == Decimal("387.95")
