"""Bench customers: one delivered order each, inside the return window, in their own database.

Every virtual customer plays a different customer and order, so a wrong answer (another
customer's order) is visible, and the database sees as many distinct rows as in real life.
Dates are relative to the frozen `BENCH_NOW`, so every answer is the same on any day.
"""

from __future__ import annotations

import os
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

import yaml

from tools.model import PROJECT_ROOT

BENCH_NOW = "2026-11-25T12:00:00-05:00"
DEFAULT_CUSTOMER_COUNT = 60
FIRST_ORDER_NUMBER = 900001
PRODUCT_SKU = "BENCH-BAGUE"
FIRST_NAMES = (
    "Camille",
    "Léa",
    "Chloé",
    "Manon",
    "Emma",
    "Julie",
    "Élodie",
    "Sarah",
    "Inès",
    "Zoé",
    "Louis",
    "Gabriel",
    "Hugo",
    "Arthur",
    "Jules",
    "Nathan",
    "Théo",
    "Raphaël",
    "Noé",
    "Adam",
)


@dataclass(frozen=True)
class BenchCustomer:
    """What a virtual customer knows and what the assistant must answer about them."""

    first_name: str
    email: str
    order_number: str


def bench_customers(count: int = DEFAULT_CUSTOMER_COUNT) -> list[BenchCustomer]:
    """`count` distinct customers, each with a distinct order number ("AZ" + 6 digits)."""
    return [
        BenchCustomer(
            first_name=FIRST_NAMES[index % len(FIRST_NAMES)],
            email=f"client.banc{index + 1:03d}@exemple.ca",
            order_number=f"AZ{FIRST_ORDER_NUMBER + index}",
        )
        for index in range(count)
    ]


def fixture_document(customers: list[BenchCustomer]) -> dict:
    """The fixture (docs/design.md §4): a ring, and per customer one order delivered 5 days ago."""
    return {
        "customers": [_customer(customer) for customer in customers],
        "products": [
            {
                "sku": PRODUCT_SKU,
                "name": "Bague Solstice argent",
                "category": "bague",
                "price": 119.0,
                "personalized": False,
                "gift_card": False,
                "warranty_excluded": False,
            },
        ],
        "orders": [_order(customer) for customer in customers],
        "tax_rates": [
            {"country": "CA", "region": "QC", "name": "TPS", "rate": 0.05},
            {"country": "CA", "region": "QC", "name": "TVQ", "rate": 0.09975},
        ],
    }


def _customer(customer: BenchCustomer) -> dict:
    return {
        "email": customer.email,
        "first_name": customer.first_name,
        "last_name": "Banc",
        "loyalty": {"member": False, "points": 0},
    }


def _order(customer: BenchCustomer) -> dict:
    return {
        "number": customer.order_number,
        "customer": customer.email,
        "placed_at": "today-9d",
        "status": "delivered",
        "currency": "CAD",
        "shipping_fee": 9.95,
        "discount": 0.0,
        "promo_code": None,
        "shipping_address": {
            "name": f"{customer.first_name} Banc",
            "line1": "1200 rue Sainte-Catherine O",
            "city": "Montréal",
            "region": "QC",
            "postal_code": "H3B 1K9",
            "country": "CA",
        },
        "lines": [{"sku": PRODUCT_SKU, "quantity": 1, "unit_price": 119.0, "engraving": None}],
        "shipment": {
            "carrier": "Postes Canada",
            "tracking_number": f"70239{customer.order_number[2:]}00",
            "shipped_at": "today-8d",
            "estimated_delivery": "today-5d",
            "delivered_at": "today-5d",
            "events": [
                {"at": "today-8d", "location": "Montréal, QC", "description": "Colis expédié"},
                {"at": "today-5d", "location": "Montréal, QC", "description": "Livré"},
            ],
        },
    }


def write_fixture(path: Path, customers: list[BenchCustomer]) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    text = yaml.safe_dump(fixture_document(customers), allow_unicode=True, sort_keys=False)
    path.write_text(text, encoding="utf-8")
    return path


def load_fixture(path: Path, database_url: str) -> None:
    """Migrate the database and load the fixture through the real CLI, as `make db` does."""
    env = {**os.environ, "ALLYZURE_DATABASE_URL": database_url, "ALLYZURE_NOW": BENCH_NOW}
    subprocess.run(
        [sys.executable, "-m", "backend", "load-fixtures", str(path), "--replace"],
        cwd=PROJECT_ROOT,
        env=env,
        check=True,
        capture_output=True,
    )


def prepare_database(workdir: Path, count: int = DEFAULT_CUSTOMER_COUNT) -> tuple[str, list]:
    """A fresh SQLite shop database under `workdir` holding `count` bench customers."""
    customers = bench_customers(count)
    database_url = f"sqlite:///{workdir / 'shop.db'}"
    load_fixture(write_fixture(workdir / "bench-fixture.yml", customers), database_url)
    return database_url, customers
