"""backend/policy.yml says what the shop's FAQ says (docs/faq-allyzure-fr.txt): the one test
that reads the shipped policy file's numbers. Every other test builds its own PolicyConfig, so
a change of policy.yml fails here and in the end-to-end answers that quote the number, nowhere
else."""

from __future__ import annotations

import re
from datetime import date, timedelta

import pytest

from backend.config import PROJECT_ROOT
from backend.domain import SHOP_TZ
from backend.policies import load_policy

FAQ = (PROJECT_ROOT / "docs" / "faq-allyzure-fr.txt").read_text(encoding="utf-8")
WRITTEN = {"deux": 2, "trois": 3}


def faq_number(pattern: str) -> int:
    """The number the FAQ gives where `pattern` (one group) matches; it must say it once."""
    found = {
        int(value) if value.isdigit() else WRITTEN[value] for value in re.findall(pattern, FAQ)
    }
    assert len(found) == 1, (pattern, found)
    return found.pop()


def test_the_return_window_is_the_faqs():
    expected = faq_number(r"délai de retour standard est de (\d+) jours")

    assert load_policy().return_days == expected


def test_the_exchange_window_is_the_faqs():
    expected = faq_number(r"échange dans les (\d+) jours suivant la date d'achat")

    assert load_policy().exchange_days == expected


def test_the_cancellation_window_is_the_faqs():
    expected = faq_number(r"annulation de commande dans les (\d+) heures")

    assert load_policy().cancellation_window == timedelta(hours=expected)


def test_the_warranty_is_the_faqs():
    expected = faq_number(r"durée de (\w+) \(\d\) ans")

    assert load_policy().warranty_years == expected


def test_the_holiday_window_is_the_faqs():
    window = load_policy().holiday_windows[-1]

    assert "entre le 1er novembre 2024 à 00 h 01 HNE et le 31 décembre 2024 à 23 h 59" in FAQ
    assert (window.placed_from.tzinfo, window.placed_until.tzinfo) == (SHOP_TZ, SHOP_TZ)
    assert window.placed_from.isoformat().startswith("2024-11-01T00:01")
    assert window.placed_until.isoformat().startswith("2024-12-31T23:59")
    assert "prolongeons notre politique de retour jusqu'au 31 janvier" in FAQ
    assert window.return_until == date(2025, 1, 31)


def test_the_shop_sells_in_canada_and_the_united_states():
    assert load_policy().sales_countries == ("CA", "US")


def test_the_shipped_policy_pauses_identity_checks_after_five_failures_in_fifteen_minutes():
    """Not in the FAQ: the shop's own choice, explained in policy.yml."""
    policy = load_policy()

    assert (policy.identity_failed_checks, policy.identity_window) == (5, timedelta(minutes=15))


def test_the_shipped_policy_also_limits_emails_and_clients_per_hour():
    """Not in the FAQ: the security limits of issue 13 (SECURITY.md, "The identity check")."""
    policy = load_policy()

    assert (policy.identity_email_failed_checks, policy.identity_email_window) == (
        5,
        timedelta(minutes=60),
    )
    assert (policy.identity_client_failed_checks, policy.identity_client_window) == (
        20,
        timedelta(minutes=60),
    )


def test_the_shipped_retention_is_ninety_days():
    assert load_policy().retention == timedelta(days=90)


@pytest.mark.parametrize(
    ("today", "in_force"),
    [
        (date(2024, 10, 31), True),  # announced, ahead
        (date(2025, 1, 31), True),  # its last day of returns
        (date(2025, 2, 1), False),
    ],
)
def test_the_holiday_extension_is_in_force_until_its_returns_end(today, in_force):
    assert load_policy().holiday_extension_in_force(today) is in_force
