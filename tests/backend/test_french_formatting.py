from datetime import date, datetime
from decimal import Decimal

import pytest

from backend.domain import OrderStatus
from backend.formatting import (
    NBSP,
    format_date_fr,
    format_money,
    format_percent,
    format_time_fr,
    status_label,
)


@pytest.mark.parametrize(
    ("value", "text"),
    [
        (date(2025, 1, 31), "31 janvier 2025"),
        (date(2024, 12, 13), "13 décembre 2024"),
        (date(2025, 3, 1), "1er mars 2025"),
        (datetime.fromisoformat("2025-02-01T03:00:00+00:00"), "31 janvier 2025"),
    ],
)
def test_dates_are_long_french_dates_in_shop_time(value, text):
    assert format_date_fr(value) == text


@pytest.mark.parametrize(
    ("moment", "text"),
    [
        ("2024-12-13T15:02:00-05:00", "15 h 02"),
        ("2024-12-13T14:05:00+00:00", "9 h 05"),
        ("2024-07-01T04:00:00+00:00", "0 h 00"),
    ],
)
def test_times_are_french_hours_in_toronto(moment, text):
    assert format_time_fr(datetime.fromisoformat(moment)) == text.replace(" ", NBSP)


@pytest.mark.parametrize(
    ("amount", "currency", "text"),
    [
        ("249.00", "CAD", "249,00 $"),
        ("69", "USD", "69,00 $ US"),
        ("1249.5", "CAD", "1 249,50 $"),
        ("35.05", "EUR", "35,05 €"),
    ],
)
def test_money_uses_fr_ca_with_no_break_spaces(amount, currency, text):
    formatted = format_money(Decimal(amount), currency)

    assert formatted == text.replace(" ", NBSP)
    assert "\u202f" not in formatted


@pytest.mark.parametrize(
    ("fraction", "text"),
    [("0.09975", "9,975 %"), ("0.05", "5 %"), ("0.14975", "14,975 %"), ("0.13", "13 %")],
)
def test_percentages_keep_up_to_three_decimals(fraction, text):
    assert format_percent(Decimal(fraction)) == text.replace(" ", NBSP)


def test_status_labels_are_the_faq_names():
    assert [status_label(status) for status in OrderStatus] == [
        "Traitement",
        "Expédié",
        "Livré",
        "Annulée",
    ]
    assert status_label("delivered") == "Livré"
