from decimal import Decimal

from backend.domain import TaxRateFacts
from backend.policies import ReasonCode, check_order_taxes, tax_breakdown
from tests.backend.builders import make_line, make_order

QC = [TaxRateFacts("TPS", Decimal("0.05")), TaxRateFacts("TVQ", Decimal("0.09975"))]


def test_quebec_tax_is_tps_five_percent_plus_tvq_nine_point_nine_seven_five(policy):
    breakdown = tax_breakdown("CA", "qc", QC, policy, taxable_amount=Decimal("100.00"))

    assert breakdown.reason is ReasonCode.TAXES_APPLY
    assert [(c.name, c.rate, c.amount) for c in breakdown.components] == [
        ("TPS", Decimal("0.05"), Decimal("5.00")),
        ("TVQ", Decimal("0.09975"), Decimal("9.98")),
    ]
    assert breakdown.total_rate == Decimal("0.14975")
    assert breakdown.total_amount == Decimal("14.98")
    assert not breakdown.international


def test_order_tax_applies_to_goods_after_discount_plus_shipping(policy):
    order = make_order(lines=(make_line("A", "249.00"),), discount="24.90", shipping_fee="9.95")

    breakdown = check_order_taxes(order, QC, policy)

    assert breakdown.taxable_amount == Decimal("234.05")
    assert [c.amount for c in breakdown.components] == [Decimal("11.70"), Decimal("23.35")]
    assert breakdown.total_amount == Decimal("35.05")


def test_destination_abroad_without_rates_gets_the_customs_duties_notice(policy):
    breakdown = tax_breakdown("FR", "IDF", [], policy)

    assert breakdown.reason is ReasonCode.INTERNATIONAL_DUTIES
    assert breakdown.international
    assert breakdown.components == ()
    assert breakdown.total_amount is None


def test_domestic_region_without_rates_is_reported_as_unknown_not_as_duties(policy):
    assert tax_breakdown("CA", "MB", [], policy).reason is ReasonCode.NO_TAX_RATES


def test_foreign_region_with_rates_applies_them_and_flags_international(policy):
    ny = [TaxRateFacts("Sales tax", Decimal("0.08875"))]

    breakdown = tax_breakdown("US", "NY", ny, policy, taxable_amount=Decimal("131.00"))

    assert breakdown.reason is ReasonCode.TAXES_APPLY
    assert breakdown.international
    assert breakdown.total_amount == Decimal("11.63")
