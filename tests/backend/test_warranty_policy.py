from datetime import date, timedelta

import pytest

from backend.policies import ReasonCode, WarrantyCause, check_warranty
from backend.policies.warranty import add_years
from tests.backend.builders import make_line, make_order, toronto


def order_placed_on(day: date, **options):
    placed = toronto(day.year, day.month, day.day, 10)
    return make_order(placed=placed, delivered=placed + timedelta(days=2), **options)


def at_day(purchase: date, days: int):
    moment = purchase + timedelta(days=days)
    return toronto(moment.year, moment.month, moment.day, 18)


@pytest.mark.parametrize(
    ("day_after_purchase", "eligible"),
    [(729, True), (730, True), (731, False)],
)
def test_warranty_runs_through_day_730_when_the_two_years_hold_no_february_29(
    policy, day_after_purchase, eligible
):
    purchase = date(2025, 1, 15)

    decision = check_warranty(
        order_placed_on(purchase), at_day(purchase, day_after_purchase), policy
    )

    assert decision.deadline == date(2027, 1, 15)
    assert decision.eligible == eligible
    assert decision.reason is (
        ReasonCode.WITHIN_WARRANTY if eligible else ReasonCode.WARRANTY_EXPIRED
    )


@pytest.mark.parametrize(
    ("day_after_purchase", "eligible"),
    [(730, True), (731, True), (732, False)],
)
def test_warranty_runs_through_day_731_when_the_two_years_hold_a_february_29(
    policy, day_after_purchase, eligible
):
    purchase = date(2023, 6, 1)  # the span holds 29 February 2024

    decision = check_warranty(
        order_placed_on(purchase), at_day(purchase, day_after_purchase), policy
    )

    assert decision.deadline == date(2025, 6, 1)
    assert decision.eligible == eligible


@pytest.mark.parametrize(
    ("now", "eligible"),
    [(toronto(2026, 2, 28, 23, 59), True), (toronto(2026, 3, 1, 0, 0), False)],
)
def test_purchase_on_february_29_is_covered_through_february_28_two_years_later(
    policy, now, eligible
):
    decision = check_warranty(order_placed_on(date(2024, 2, 29)), now, policy)

    assert decision.deadline == date(2026, 2, 28)
    assert decision.eligible == eligible


@pytest.mark.parametrize(
    ("day", "years", "expected"),
    [
        (date(2025, 1, 15), 2, date(2027, 1, 15)),
        (date(2024, 2, 29), 2, date(2026, 2, 28)),
        (date(2024, 2, 29), 4, date(2028, 2, 29)),
        (date(2023, 12, 31), 2, date(2025, 12, 31)),
    ],
)
def test_add_years_keeps_the_calendar_date_or_the_last_day_of_february(day, years, expected):
    assert add_years(day, years) == expected


@pytest.mark.parametrize(
    ("cause", "eligible", "reason"),
    [
        (None, True, ReasonCode.WITHIN_WARRANTY),
        (WarrantyCause.DEFECT, True, ReasonCode.COVERED_DEFECT),
        (WarrantyCause.LOSS, False, ReasonCode.EXCLUDED_LOSS),
        (WarrantyCause.NORMAL_WEAR, False, ReasonCode.EXCLUDED_NORMAL_WEAR),
        (WarrantyCause.IMPROPER_USE, False, ReasonCode.EXCLUDED_IMPROPER_USE),
        (WarrantyCause.MODIFICATION, False, ReasonCode.EXCLUDED_MODIFICATION),
        (WarrantyCause.NON_ALLYZURE_ITEM, False, ReasonCode.EXCLUDED_NON_ALLYZURE_ITEM),
    ],
)
def test_warranty_covers_defects_and_excludes_the_faq_exclusions(policy, cause, eligible, reason):
    purchase = date(2025, 1, 15)

    decision = check_warranty(order_placed_on(purchase), at_day(purchase, 100), policy, cause)

    assert (decision.eligible, decision.reason) == (eligible, reason)


def test_product_sold_without_warranty_is_not_covered(policy):
    purchase = date(2025, 1, 15)
    order = order_placed_on(
        purchase,
        lines=(make_line("BO-PERLE", "69.00", warranty_excluded=True), make_line("BG", "249.00")),
    )
    only_excluded = order_placed_on(
        purchase, lines=(make_line("BO-PERLE", "69.00", warranty_excluded=True),)
    )

    mixed = check_warranty(order, at_day(purchase, 10), policy, WarrantyCause.DEFECT)
    excluded = check_warranty(only_excluded, at_day(purchase, 10), policy, WarrantyCause.DEFECT)

    assert mixed.eligible
    assert [line.reason for line in mixed.lines] == [
        ReasonCode.WARRANTY_EXCLUDED_PRODUCT,
        ReasonCode.COVERED,
    ]
    assert (excluded.eligible, excluded.reason) == (False, ReasonCode.NO_COVERED_LINE)


def test_warranty_claim_needs_a_delivered_order(policy):
    placed = toronto(2025, 1, 15)

    decision = check_warranty(make_order(placed=placed), placed + timedelta(days=1), policy)

    assert decision.reason is ReasonCode.NOT_DELIVERED_YET
