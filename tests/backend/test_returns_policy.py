from datetime import date, timedelta
from decimal import Decimal

import pytest

from backend.domain import OrderStatus
from backend.policies import CustomerReason, Payer, ReasonCode, check_return
from tests.backend.builders import make_line, make_order, toronto

DELIVERED = toronto(2025, 3, 3, 15, 2)


@pytest.mark.parametrize(
    ("days_after_delivery", "eligible", "reason"),
    [
        (0, True, ReasonCode.WITHIN_RETURN_WINDOW),
        (29, True, ReasonCode.WITHIN_RETURN_WINDOW),
        (30, True, ReasonCode.WITHIN_RETURN_WINDOW),
        (31, False, ReasonCode.RETURN_WINDOW_EXPIRED),
    ],
)
def test_return_window_is_thirty_days_from_delivery_last_day_included(
    policy, days_after_delivery, eligible, reason
):
    order = make_order(placed=toronto(2025, 2, 27), delivered=DELIVERED)
    now = toronto(2025, 3, 3, 23, 59) + timedelta(days=days_after_delivery)

    decision = check_return(order, now, policy)

    assert (decision.eligible, decision.reason) == (eligible, reason)
    assert decision.deadline == date(2025, 4, 2)
    assert decision.delivered_on == date(2025, 3, 3)


def test_delivery_date_is_the_local_date_not_the_utc_one(policy):
    # 23:30 in Toronto is already the next day in UTC.
    order = make_order(placed=toronto(2025, 2, 27), delivered=toronto(2025, 3, 3, 23, 30))

    decision = check_return(order, toronto(2025, 4, 2, 20), policy)

    assert decision.delivered_on == date(2025, 3, 3)
    assert decision.deadline == date(2025, 4, 2)
    assert decision.eligible


@pytest.mark.parametrize(
    ("placed", "in_holiday_window"),
    [
        (toronto(2024, 11, 1, 0, 0), False),
        (toronto(2024, 11, 1, 0, 1), True),
        (toronto(2024, 12, 31, 23, 59), True),
        (toronto(2025, 1, 1, 0, 0), False),
    ],
)
def test_holiday_window_covers_orders_placed_from_nov_1_0001_to_dec_31_2359_local_time(
    policy, placed, in_holiday_window
):
    order = make_order(placed=placed, delivered=placed + timedelta(days=2))

    decision = check_return(order, placed + timedelta(days=3), policy)

    assert (decision.holiday_window is not None) == in_holiday_window
    assert (policy.holiday_window_for(placed) is not None) == in_holiday_window


@pytest.mark.parametrize(
    ("today", "eligible", "reason"),
    [
        (toronto(2025, 1, 12), True, ReasonCode.HOLIDAY_EXTENSION),
        (toronto(2025, 1, 31, 23, 59), True, ReasonCode.HOLIDAY_EXTENSION),
        (toronto(2025, 2, 1, 0, 0), False, ReasonCode.RETURN_WINDOW_EXPIRED),
    ],
)
def test_holiday_order_delivered_in_december_is_returnable_until_january_31(
    policy, today, eligible, reason
):
    order = make_order(placed=toronto(2024, 12, 10, 20, 15), delivered=toronto(2024, 12, 13, 15, 2))

    decision = check_return(order, today, policy)

    assert decision.deadline == date(2025, 1, 31)
    assert (decision.eligible, decision.reason) == (eligible, reason)


def test_holiday_order_delivered_in_january_gets_thirty_days_from_delivery(policy):
    order = make_order(placed=toronto(2024, 12, 30), delivered=toronto(2025, 1, 10))

    on_last_day = check_return(order, toronto(2025, 2, 9, 23), policy)
    day_after = check_return(order, toronto(2025, 2, 10), policy)

    assert on_last_day.deadline == date(2025, 2, 9)
    assert on_last_day.eligible
    assert on_last_day.reason is ReasonCode.WITHIN_RETURN_WINDOW
    assert on_last_day.holiday_window == "fetes-2024"
    assert day_after.reason is ReasonCode.RETURN_WINDOW_EXPIRED


def test_order_outside_the_holiday_window_keeps_thirty_days(policy):
    order = make_order(placed=toronto(2024, 11, 1, 0, 0), delivered=toronto(2024, 11, 5))

    decision = check_return(order, toronto(2024, 12, 6), policy)

    assert decision.deadline == date(2024, 12, 5)
    assert decision.reason is ReasonCode.RETURN_WINDOW_EXPIRED


def test_mixed_order_returns_every_line_but_the_engraved_one(policy):
    order = make_order(
        delivered=toronto(2025, 3, 6),
        lines=(
            make_line("BR-JONC-OR", "129.00"),
            make_line("CL-PRENOM-AG", "89.00", engraving="Léa"),
        ),
    )

    decision = check_return(order, toronto(2025, 3, 10), policy)

    assert decision.eligible
    assert [(line.sku, line.eligible, line.reason) for line in decision.lines] == [
        ("BR-JONC-OR", True, ReasonCode.RETURNABLE),
        ("CL-PRENOM-AG", False, ReasonCode.PERSONALISED_LINE),
    ]
    assert decision.refund_amount == Decimal("129.00")  # shipping fee 9.95 never refunded


def test_made_to_order_product_is_personalised_even_without_engraving(policy):
    order = make_order(
        delivered=toronto(2025, 3, 6), lines=(make_line("CL-PRENOM-AG", personalized=True),)
    )

    decision = check_return(order, toronto(2025, 3, 10), policy)

    assert (decision.eligible, decision.reason) == (False, ReasonCode.NO_RETURNABLE_LINE)
    assert decision.lines[0].reason is ReasonCode.PERSONALISED_LINE


def test_gift_card_return_is_refused(policy):
    order = make_order(
        delivered=toronto(2025, 3, 6), lines=(make_line("CC-50", "50.00", gift_card=True),)
    )

    decision = check_return(order, toronto(2025, 3, 10), policy)

    assert (decision.eligible, decision.reason) == (False, ReasonCode.NO_RETURNABLE_LINE)
    assert decision.lines[0].reason is ReasonCode.GIFT_CARD
    assert decision.refund_amount == Decimal("0.00")


def test_gift_card_line_is_left_out_of_an_otherwise_returnable_order(policy):
    order = make_order(
        delivered=toronto(2025, 3, 6),
        lines=(make_line("BO-PERLE", "69.00"), make_line("CC-50", "50.00", gift_card=True)),
    )

    decision = check_return(order, toronto(2025, 3, 10), policy)

    assert decision.eligible
    assert decision.refund_amount == Decimal("69.00")


def test_refund_takes_off_the_returned_lines_share_of_the_discount(policy):
    order = make_order(
        delivered=toronto(2025, 3, 6),
        discount="30.00",
        lines=(make_line("A", "200.00"), make_line("B", "100.00", engraving="M")),
    )

    decision = check_return(order, toronto(2025, 3, 10), policy)

    assert decision.refund_amount == Decimal("180.00")  # 200 - 30 x 200/300


@pytest.mark.parametrize(
    ("reason", "payer"),
    [
        (CustomerReason.CHANGED_MIND, Payer.CUSTOMER),
        (CustomerReason.DEFECTIVE, Payer.SHOP),
        (CustomerReason.WRONG_ITEM, Payer.SHOP),
    ],
)
def test_customer_pays_return_shipping_unless_the_item_is_defective_or_wrong(policy, reason, payer):
    order = make_order(delivered=toronto(2025, 3, 6))

    decision = check_return(order, toronto(2025, 3, 10), policy, reason)

    assert decision.return_shipping_paid_by is payer


def test_order_not_delivered_yet_suggests_cancellation_while_still_possible(policy):
    placed = toronto(2025, 3, 3, 10)
    processing = make_order(placed=placed)
    shipped = make_order(placed=placed, shipped=placed + timedelta(hours=5))

    early = check_return(processing, placed + timedelta(hours=3), policy)
    in_transit = check_return(shipped, placed + timedelta(hours=6), policy)

    assert (early.eligible, early.reason) == (False, ReasonCode.NOT_DELIVERED_YET)
    assert early.cancellation_possible
    assert in_transit.reason is ReasonCode.NOT_DELIVERED_YET
    assert not in_transit.cancellation_possible
    assert early.deadline is None


def test_cancelled_order_cannot_be_returned(policy):
    order = make_order(status=OrderStatus.CANCELLED)

    decision = check_return(order, toronto(2025, 3, 4), policy)

    assert decision.reason is ReasonCode.ORDER_CANCELLED
