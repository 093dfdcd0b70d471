"""Address change, missing parcel, wrong item and loyalty: decisions from the order's state."""

from datetime import date, timedelta

import pytest

from backend.domain import LoyaltyFacts, OrderStatus
from backend.policies import (
    Payer,
    ReasonCode,
    check_address_change,
    check_loyalty,
    check_missing_parcel,
    check_wrong_item,
)
from tests.backend.builders import make_line, make_order, toronto

PLACED = toronto(2025, 3, 3, 10)
PROCESSING = make_order(placed=PLACED)
IN_TRANSIT = make_order(
    placed=PLACED, shipped=PLACED + timedelta(days=1), estimated_delivery=date(2025, 3, 7)
)
DELIVERED = make_order(placed=PLACED, delivered=toronto(2025, 3, 6, 15, 2))
CANCELLED = make_order(placed=PLACED, status=OrderStatus.CANCELLED)


@pytest.mark.parametrize(
    ("order", "eligible", "reason"),
    [
        (PROCESSING, True, ReasonCode.ADDRESS_CHANGE_BEST_EFFORT),
        (IN_TRANSIT, False, ReasonCode.ALREADY_SHIPPED),
        (DELIVERED, False, ReasonCode.ALREADY_SHIPPED),
        (CANCELLED, False, ReasonCode.ORDER_CANCELLED),
    ],
)
def test_address_change_is_a_best_effort_request_only_while_processing(order, eligible, reason):
    decision = check_address_change(order)

    assert (decision.eligible, decision.reason) == (eligible, reason)
    assert not decision.guaranteed


def test_shipped_order_address_change_points_to_the_carrier():
    decision = check_address_change(IN_TRANSIT)

    assert (decision.carrier, decision.tracking_number) == ("Postes Canada", "7023456789012345")


@pytest.mark.parametrize(
    ("order", "now", "eligible", "reason"),
    [
        (PROCESSING, toronto(2025, 3, 4), False, ReasonCode.NOT_SHIPPED_YET),
        (IN_TRANSIT, toronto(2025, 3, 7, 23, 59), False, ReasonCode.IN_TRANSIT),
        (IN_TRANSIT, toronto(2025, 3, 8), True, ReasonCode.DELIVERY_LATE),
        (DELIVERED, toronto(2025, 3, 8), True, ReasonCode.MARKED_DELIVERED),
        (CANCELLED, toronto(2025, 3, 8), False, ReasonCode.ORDER_CANCELLED),
    ],
)
def test_missing_parcel_case_opens_once_delivered_or_past_the_estimated_date(
    order, now, eligible, reason
):
    decision = check_missing_parcel(order, now)

    assert (decision.eligible, decision.reason) == (eligible, reason)


def test_missing_parcel_decision_carries_the_carrier_facts():
    decision = check_missing_parcel(DELIVERED, toronto(2025, 3, 8))

    assert decision.delivered_at == toronto(2025, 3, 6, 15, 2)
    assert decision.last_event.description == "Livré"


@pytest.mark.parametrize(
    ("order", "eligible", "reason"),
    [
        (DELIVERED, True, ReasonCode.WRONG_ITEM_CASE),
        (IN_TRANSIT, True, ReasonCode.WRONG_ITEM_CASE),
        (PROCESSING, False, ReasonCode.NOT_SHIPPED_YET),
        (CANCELLED, False, ReasonCode.ORDER_CANCELLED),
    ],
)
def test_wrong_item_case_needs_a_shipped_order_and_the_shop_pays_the_return(
    order, eligible, reason
):
    decision = check_wrong_item(order)

    assert (decision.eligible, decision.reason) == (eligible, reason)
    assert decision.return_shipping_paid_by is Payer.SHOP
    assert decision.expedited_replacement


@pytest.mark.parametrize(
    ("account", "eligible", "reason", "points"),
    [
        (LoyaltyFacts(member=True, points=1250), True, ReasonCode.LOYALTY_MEMBER, 1250),
        (LoyaltyFacts(member=False, points=0), False, ReasonCode.NOT_A_MEMBER, 0),
        (None, False, ReasonCode.NOT_A_MEMBER, 0),
    ],
)
def test_loyalty_balance_is_given_to_members_only(account, eligible, reason, points):
    decision = check_loyalty(account)

    assert (decision.eligible, decision.reason, decision.points) == (eligible, reason, points)


def test_a_wrong_item_case_is_about_the_lines_named_else_the_whole_order():
    order = make_order(
        placed=PLACED,
        delivered=toronto(2025, 3, 6, 15, 2),
        lines=(make_line("BG-ECLAT-14K", "249.00"), make_line("CL-PRENOM-AG", "89.00")),
    )

    named = check_wrong_item(order, skus=["CL-PRENOM-AG"])
    whole = check_wrong_item(order)

    assert [line.sku for line in named.lines] == ["CL-PRENOM-AG"]
    assert [line.sku for line in whole.lines] == ["BG-ECLAT-14K", "CL-PRENOM-AG"]
