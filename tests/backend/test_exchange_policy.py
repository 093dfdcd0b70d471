from datetime import date, timedelta

import pytest

from backend.domain import OrderStatus
from backend.policies import CustomerReason, Payer, ReasonCode, check_exchange, check_return
from backend.policies.exchange import refund_instead_of_exchange
from tests.backend.builders import make_line, make_order, toronto

PLACED = toronto(2025, 3, 3, 21, 30)


@pytest.mark.parametrize(
    ("days_after_purchase", "eligible", "reason"),
    [
        (30, True, ReasonCode.WITHIN_EXCHANGE_WINDOW),
        (31, False, ReasonCode.EXCHANGE_WINDOW_EXPIRED),
    ],
)
def test_exchange_window_is_thirty_days_from_the_purchase_date(
    policy, days_after_purchase, eligible, reason
):
    order = make_order(placed=PLACED, delivered=PLACED + timedelta(days=3))
    now = toronto(2025, 3, 3, 9) + timedelta(days=days_after_purchase)

    decision = check_exchange(order, now, policy)

    assert decision.deadline == date(2025, 4, 2)
    assert (decision.eligible, decision.reason) == (eligible, reason)
    assert decision.customer_pays_price_difference


@pytest.mark.parametrize(
    ("reason", "line_eligible", "line_reason"),
    [
        (CustomerReason.CHANGED_MIND, False, ReasonCode.PERSONALISED_LINE),
        (CustomerReason.DEFECTIVE, True, ReasonCode.DEFECT_OR_SHOP_ERROR),
        (CustomerReason.WRONG_ITEM, True, ReasonCode.DEFECT_OR_SHOP_ERROR),
    ],
)
def test_engraved_line_is_exchangeable_only_for_a_defect_or_a_shop_error(
    policy, reason, line_eligible, line_reason
):
    order = make_order(
        placed=PLACED,
        delivered=PLACED + timedelta(days=3),
        lines=(make_line("CL-PRENOM-AG", "89.00", engraving="Léa"),),
    )

    decision = check_exchange(order, PLACED + timedelta(days=5), policy, reason)

    assert (decision.lines[0].eligible, decision.lines[0].reason) == (line_eligible, line_reason)
    assert decision.eligible == line_eligible


def test_customer_ships_the_item_back_for_a_change_of_mind(policy):
    order = make_order(placed=PLACED, delivered=PLACED + timedelta(days=3))

    decision = check_exchange(order, PLACED + timedelta(days=5), policy)

    assert decision.return_shipping_paid_by is Payer.CUSTOMER


def test_gift_card_is_not_exchangeable(policy):
    order = make_order(
        placed=PLACED,
        delivered=PLACED + timedelta(days=1),
        lines=(make_line("CC-50", "50.00", gift_card=True),),
    )

    decision = check_exchange(order, PLACED + timedelta(days=2), policy)

    assert (decision.eligible, decision.reason) == (False, ReasonCode.NO_EXCHANGEABLE_LINE)
    assert decision.lines[0].reason is ReasonCode.GIFT_CARD


@pytest.mark.parametrize(
    ("order", "reason"),
    [
        (make_order(placed=PLACED), ReasonCode.NOT_DELIVERED_YET),
        (
            make_order(placed=PLACED, shipped=PLACED + timedelta(days=1)),
            ReasonCode.NOT_DELIVERED_YET,
        ),
        (make_order(placed=PLACED, status=OrderStatus.CANCELLED), ReasonCode.ORDER_CANCELLED),
    ],
)
def test_exchange_needs_a_delivered_order(policy, order, reason):
    decision = check_exchange(order, PLACED + timedelta(days=2), policy)

    assert (decision.eligible, decision.reason) == (False, reason)


@pytest.mark.parametrize(
    ("preference", "days_after_delivery", "refund_instead"),
    [
        ("refund", 5, True),  # the return accepts it: offered instead of another piece
        ("store_credit", 5, True),
        ("replacement", 5, False),  # the same piece again is what an exchange gives
        (None, 5, False),
        ("refund", 31, False),  # the return window is over: the exchange is what remains
    ],
)
def test_a_customer_wanting_money_back_is_offered_the_return_when_it_is_allowed(
    policy, preference, days_after_delivery, refund_instead
):
    delivered = toronto(2025, 3, 6, 15, 2)
    order = make_order(placed=PLACED, delivered=delivered)
    refund = check_return(order, delivered + timedelta(days=days_after_delivery), policy)

    assert refund_instead_of_exchange(preference, refund) is refund_instead


def test_an_engraved_piece_not_delivered_yet_is_said_not_exchangeable_not_later(policy):
    # « vous pourrez l'échanger après réception » must not be said of it
    order = make_order(placed=PLACED, lines=(make_line("CL-PRENOM-AG", "89.00", engraving="Léa"),))

    decision = check_exchange(order, PLACED + timedelta(days=1), policy)

    assert (decision.eligible, decision.reason) == (False, ReasonCode.NO_EXCHANGEABLE_LINE)
    assert decision.lines[0].reason is ReasonCode.PERSONALISED_LINE
