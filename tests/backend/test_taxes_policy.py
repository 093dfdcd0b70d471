from dataclasses import replace
from decimal import Decimal

from backend.domain import TaxRateFacts
from backend.policies import ReasonCode, check_order_taxes, tax_breakdown
from backend.policies.taxes import refund_for
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


def test_a_us_state_with_rates_pays_its_sales_tax_and_is_not_international(policy):
    ny = [TaxRateFacts("taxe de vente", Decimal("0.08875"))]

    breakdown = tax_breakdown("US", "NY", ny, policy, taxable_amount=Decimal("131.00"))

    assert breakdown.reason is ReasonCode.TAXES_APPLY
    assert not breakdown.international  # the shop sells in the US: no customs notice
    assert breakdown.total_amount == Decimal("11.63")


def test_a_us_state_without_rates_is_unknown_not_international(policy):
    breakdown = tax_breakdown("US", "OR", [], policy)

    assert breakdown.reason is ReasonCode.NO_TAX_RATES
    assert not breakdown.international
    assert not breakdown.known


def test_a_country_the_shop_does_not_sell_in_with_rates_is_still_international(policy):
    vat = [TaxRateFacts("TVA", Decimal("0.20"))]

    breakdown = tax_breakdown("FR", "IDF", vat, policy, taxable_amount=Decimal("10.00"))

    assert breakdown.reason is ReasonCode.TAXES_APPLY
    assert breakdown.international


def test_sales_countries_come_from_the_policy_file():
    from backend.policies import load_policy

    assert load_policy().sales_countries == ("CA", "US")


def test_a_refund_gives_back_the_taxes_of_the_refunded_amount_as_the_order_was_taxed(policy):
    order = make_order(lines=(make_line("A", "249.00"),), shipping_fee="9.95")
    order = replace(order, region="QC", tax_rates=tuple(QC))

    refund = refund_for(order, Decimal("249.00"), policy, shipping=Decimal("9.95"))

    assert refund.taxes == check_order_taxes(order, QC, policy).total_amount == Decimal("38.78")
    assert refund.total == Decimal("297.73")
    assert refund.taxes_known


def test_a_refund_to_a_destination_without_known_rates_says_the_taxes_are_unknown(policy):
    order = replace(make_order(lines=(make_line("A", "100.00"),)), country="US", region="OR")

    refund = refund_for(order, Decimal("100.00"), policy)

    assert (refund.total, refund.taxes_known) == (Decimal("100.00"), False)


def test_an_international_refund_has_no_sales_tax_to_give_back(policy):
    order = replace(make_order(lines=(make_line("A", "100.00"),)), country="FR", region="IDF")

    refund = refund_for(order, Decimal("100.00"), policy)

    assert (refund.total, refund.taxes, refund.taxes_known) == (
        Decimal("100.00"),
        Decimal("0.00"),
        True,
    )
