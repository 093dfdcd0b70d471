from datetime import timedelta
from decimal import Decimal

import pytest

from backend.domain import PromotionFacts, PromotionKind
from backend.policies import ReasonCode, active_promotions, check_promo_code
from tests.backend.builders import toronto

NOW = toronto(2025, 6, 15, 12)


def promotion(code, starts_days, ends_days, *, min_subtotal="0", first_order_only=False):
    return PromotionFacts(
        code=code,
        title=f"Promotion {code}",
        kind=PromotionKind.CODE if code else PromotionKind.FLASH_SALE,
        percent_off=Decimal("10"),
        starts_at=NOW + timedelta(days=starts_days),
        ends_at=NOW + timedelta(days=ends_days),
        min_subtotal=Decimal(min_subtotal),
        first_order_only=first_order_only,
    )


PROMOTIONS = [
    promotion("BIENVENUE10", -300, 60, first_order_only=True),
    promotion("FETES25", 5, 40, min_subtotal="150"),
    promotion("ETE15", -200, -100),
    promotion("BIJOU20", -1, 1, min_subtotal="150"),
    promotion(None, -1, 1),
]


@pytest.mark.parametrize(
    ("code", "options", "eligible", "reason"),
    [
        ("INCONNU", {}, False, ReasonCode.PROMO_UNKNOWN),
        ("ETE15", {}, False, ReasonCode.PROMO_EXPIRED),
        ("FETES25", {}, False, ReasonCode.PROMO_NOT_STARTED),
        ("BIJOU20", {"subtotal": Decimal("149.99")}, False, ReasonCode.PROMO_BELOW_MINIMUM),
        ("BIJOU20", {"subtotal": Decimal("150.00")}, True, ReasonCode.PROMO_VALID),
        ("BIENVENUE10", {"customer_has_orders": True}, False, ReasonCode.PROMO_FIRST_ORDER_ONLY),
        ("BIENVENUE10", {"customer_has_orders": False}, True, ReasonCode.PROMO_VALID),
        ("BIENVENUE10", {}, True, ReasonCode.PROMO_VALID),
        ("bienvenue10 ", {}, True, ReasonCode.PROMO_VALID),
        ("BIJOU20", {"codes_in_order": ["BIENVENUE10"]}, False, ReasonCode.PROMO_ONE_PER_ORDER),
        ("BIJOU20", {"codes_in_order": ["bijou20"]}, True, ReasonCode.PROMO_VALID),
    ],
)
def test_promo_code_says_which_state_it_is_in(code, options, eligible, reason):
    decision = check_promo_code(code, PROMOTIONS, NOW, **options)

    assert (decision.eligible, decision.reason) == (eligible, reason)
    assert decision.code == code.strip().upper()


def test_valid_code_with_a_subtotal_gives_the_discount():
    decision = check_promo_code("BIJOU20", PROMOTIONS, NOW, subtotal=Decimal("249.00"))

    assert decision.discount_amount == Decimal("24.90")


@pytest.mark.parametrize(
    ("now", "reason"),
    [
        (NOW - timedelta(days=1), ReasonCode.PROMO_VALID),
        (NOW + timedelta(days=1), ReasonCode.PROMO_VALID),
        (NOW + timedelta(days=1, seconds=1), ReasonCode.PROMO_EXPIRED),
        (NOW - timedelta(days=1, seconds=1), ReasonCode.PROMO_NOT_STARTED),
    ],
)
def test_promotion_is_active_from_its_start_to_its_end_both_included(now, reason):
    assert check_promo_code("BIJOU20", PROMOTIONS, now).reason is reason


def test_active_promotions_include_sales_without_code_ending_soonest_first():
    active = active_promotions(PROMOTIONS, NOW)

    assert [p.code for p in active] == ["BIJOU20", None, "BIENVENUE10"]
