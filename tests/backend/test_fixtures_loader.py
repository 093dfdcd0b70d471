import copy
from datetime import date, datetime
from decimal import Decimal
from pathlib import Path

import pytest
import yaml

from backend.clock import FixedClock
from backend.db import unit_of_work
from backend.domain import SHOP_TZ
from backend.fixtures import FixtureValidationError, load_fixture_file
from backend.repository import ShopRepository
from backend.services import ShopService
from tests.backend.builders import database_snapshot

EXAMPLE = Path(__file__).resolve().parents[1] / "fixtures" / "example.yml"
DEMO = Path(__file__).resolve().parents[2] / "backend" / "fixture_data" / "demo.yml"
CLOCK = FixedClock(datetime.fromisoformat("2026-11-25T14:12:30-05:00"))

BASE = {
    "customers": [
        {
            "email": "marie@exemple.ca",
            "first_name": "Marie",
            "last_name": "Tremblay",
            "loyalty": {"member": True, "points": 1250},
        },
        {"email": "julien@exemple.fr", "first_name": "Julien", "last_name": "Dupont"},
    ],
    "products": [
        {"sku": "BG", "name": "Bague", "category": "bague", "price": 249.0},
        {
            "sku": "CC-50",
            "name": "Carte",
            "category": "carte-cadeau",
            "price": 50,
            "gift_card": True,
        },
    ],
    "orders": [
        {
            "number": "AZ104201",
            "customer": "marie@exemple.ca",
            "placed_at": "now-3h",
            "status": "processing",
            "currency": "CAD",
            "shipping_fee": 9.95,
            "discount": 0,
            "shipping_address": {
                "name": "Marie",
                "line1": "1 rue",
                "city": "Montréal",
                "region": "QC",
                "postal_code": "H3B 1K9",
                "country": "CA",
            },
            "lines": [{"sku": "BG", "quantity": 1, "unit_price": 249.0, "engraving": None}],
        },
        {
            "number": "AZ104202",
            "customer": "JULIEN@exemple.fr",
            "placed_at": "2026-11-01T10:00:00-05:00",
            "status": "delivered",
            "currency": "CAD",
            "shipping_fee": 0,
            "discount": 0,
            "shipping_address": {
                "name": "Julien",
                "line1": "45 rue",
                "city": "Toronto",
                "region": "ON",
                "postal_code": "M5C 1C3",
                "country": "CA",
            },
            "lines": [{"sku": "CC-50", "quantity": 2, "unit_price": 50}],
            "shipment": {
                "carrier": "Purolator",
                "tracking_number": 335812345678,
                "shipped_at": "today-20d",
                "estimated_delivery": "today-16d",
                "delivered_at": "today-16d",
                "events": [{"at": "today-16d", "location": "Toronto", "description": "Livré"}],
            },
        },
    ],
    "tax_rates": [{"country": "CA", "region": "QC", "name": "TPS", "rate": 0.05}],
    "promotions": [
        {
            "code": "bienvenue10",
            "title": "10 %",
            "kind": "code",
            "percent_off": 10,
            "starts_at": "today-300d",
            "ends_at": "today+60d",
            "min_subtotal": 0,
            "first_order_only": True,
        },
    ],
}


def write(tmp_path: Path, document, name: str = "demo.yml") -> Path:
    path = tmp_path / name
    text = document if isinstance(document, str) else yaml.safe_dump(document, allow_unicode=True)
    path.write_text(text, encoding="utf-8")
    return path


def load(path, session_factory, *, replace=False):
    return load_fixture_file(path, session_factory, CLOCK, replace=replace)


def test_example_file_loads_and_a_second_load_changes_nothing(session_factory, engine):
    first = load(EXAMPLE, session_factory, replace=True)
    snapshot = database_snapshot(engine)
    second = load(EXAMPLE, session_factory, replace=True)

    assert {name: c.created for name, c in first.counts.items()} == {
        "customers": 3,
        "products": 5,
        "orders": 8,
        "tax_rates": 7,
        "promotions": 4,
    }
    assert first.changed and not second.changed
    assert "nothing changed" in second.summary()
    assert database_snapshot(engine) == snapshot


def test_demo_fixture_is_the_example_file():
    assert DEMO.read_text(encoding="utf-8") == EXAMPLE.read_text(encoding="utf-8")


def test_relative_dates_resolve_against_the_clock(session_factory):
    load(EXAMPLE, session_factory)

    with unit_of_work(session_factory) as session:
        repository = ShopRepository(session)
        recent = repository.order_by_number("AZ104201")
        in_transit = repository.order_by_number("AZ104203")
        flash_sale = next(p for p in repository.promotions() if p.code is None)

    # now-3h: the clock's minute (14:12) minus three hours.
    assert recent.placed_at == datetime(2026, 11, 25, 11, 12, tzinfo=SHOP_TZ)
    # today-4d where a date-time is expected: noon, local time, that day.
    assert in_transit.placed_at == datetime(2026, 11, 21, 12, 0, tzinfo=SHOP_TZ)
    # today+1d where a date is expected: the local date.
    assert in_transit.shipment.estimated_delivery == date(2026, 11, 26)
    assert flash_sale.ends_at == datetime(2026, 11, 26, 12, 12, tzinfo=SHOP_TZ)


def test_loaded_values_are_normalised(session_factory, tmp_path):
    load(write(tmp_path, BASE), session_factory)

    with unit_of_work(session_factory) as session:
        repository = ShopRepository(session)
        order = repository.order_by_number("AZ104202")
        [promotion] = repository.promotions()
        facts = (
            order.customer.email,
            order.ship_region,
            order.shipment.tracking_number,
            promotion.code,
            order.customer.loyalty_account,
        )

    assert facts == ("julien@exemple.fr", "ON", "335812345678", "BIENVENUE10", None)


def test_loading_updates_changed_rows_in_place(session_factory, tmp_path):
    load(write(tmp_path, BASE), session_factory)
    changed = copy.deepcopy(BASE)
    changed["products"][0]["price"] = 259.0
    changed["orders"][1]["lines"] = [{"sku": "BG", "quantity": 1, "unit_price": 249.0}]

    report = load(write(tmp_path, changed), session_factory)

    assert report.counts["products"].updated == 1
    assert report.counts["orders"].updated == 1
    with unit_of_work(session_factory) as session:
        order = ShopRepository(session).order_by_number("AZ104202")
        assert [(line.product.sku, line.quantity) for line in order.lines] == [("BG", 1)]
        assert ShopRepository(session).product_by_sku("BG").price == Decimal("259.00")


def test_replace_deletes_what_the_file_does_not_describe_but_keeps_service_requests(
    session_factory, tmp_path, make_shop
):
    load(EXAMPLE, session_factory)
    shop: ShopService = make_shop(CLOCK.now())
    outcome = shop.request_return("AZ104204", "sophie.martin@exemple.com")

    report = load(write(tmp_path, BASE), session_factory, replace=True)

    assert report.counts["orders"].deleted == 6  # AZ104201 and AZ104202 stay, updated
    assert report.counts["customers"].deleted == 3
    with unit_of_work(session_factory) as session:
        repository = ShopRepository(session)
        assert repository.count_orders() == 2
        assert repository.request_by_reference(outcome.request.reference) is not None


def test_loading_without_replace_keeps_other_rows(session_factory, tmp_path):
    load(EXAMPLE, session_factory)

    load(write(tmp_path, BASE), session_factory)

    with unit_of_work(session_factory) as session:
        repository = ShopRepository(session)
        assert repository.count_orders() == 8  # AZ104201 and AZ104202 were updated
        assert repository.customer_by_email("sophie.martin@exemple.com") is not None
        assert repository.order_by_number("AZ104201").customer.email == "marie@exemple.ca"


def broken(mutate):
    document = copy.deepcopy(BASE)
    mutate(document)
    return document


BROKEN_FILES = {
    "unknown customer": (
        lambda d: d["orders"][0].update(customer="inconnu@exemple.ca"),
        "orders[0].customer: unknown customer 'inconnu@exemple.ca'",
    ),
    "unknown sku": (
        lambda d: d["orders"][1]["lines"][0].update(sku="XX"),
        "orders[1].lines[0].sku: unknown product 'XX'",
    ),
    "unparseable date": (
        lambda d: d["orders"][1].update(placed_at="2026-13-45T10:00:00-05:00"),
        "orders[1].placed_at: unparseable date '2026-13-45T10:00:00-05:00'",
    ),
    "unparseable relative date": (
        lambda d: d["orders"][0].update(placed_at="now-3x"),
        "orders[0].placed_at: unparseable date 'now-3x'",
    ),
    "date-time without offset": (
        lambda d: d["orders"][1].update(placed_at="2026-11-01T10:00:00"),
        "orders[1].placed_at: date-time without UTC offset '2026-11-01T10:00:00'",
    ),
    "bad status": (
        lambda d: d["orders"][0].update(status="lost"),
        "orders[0].status: expected one of processing | shipped | delivered | cancelled, "
        "got 'lost'",
    ),
    "bad category": (
        lambda d: d["products"][0].update(category="tiare"),
        "products[0].category: expected one of bague | collier | bracelet | boucles | montre"
        " | carte-cadeau | autre, got 'tiare'",
    ),
    "bad promotion kind": (
        lambda d: d["promotions"][0].update(kind="solde"),
        "promotions[0].kind: expected one of code | flash_sale | seasonal | event, got 'solde'",
    ),
    "duplicate order number": (
        lambda d: d["orders"][1].update(number="AZ104201"),
        "orders[1].number: duplicate order number 'AZ104201'",
    ),
    "duplicate email in another case": (
        lambda d: d["customers"][1].update(email="Marie@Exemple.ca"),
        "customers[1].email: duplicate email 'marie@exemple.ca'",
    ),
    "duplicate sku": (
        lambda d: d["products"][1].update(sku="BG"),
        "products[1].sku: duplicate sku 'BG'",
    ),
    "duplicate promotion code": (
        lambda d: d["promotions"].append(dict(d["promotions"][0], code="BIENVENUE10")),
        "promotions[1].code: duplicate promotion code 'BIENVENUE10'",
    ),
    "malformed order number": (
        lambda d: d["orders"][0].update(number="AZ12345"),
        "orders[0].number: malformed order number 'AZ12345' (AZ and 6 digits)",
    ),
    "malformed email": (
        lambda d: d["customers"][0].update(email="marie-at-exemple.ca"),
        "customers[0].email: malformed email 'marie-at-exemple.ca'",
    ),
    "negative amount": (
        lambda d: d["orders"][0].update(shipping_fee=-9.95),
        "orders[0].shipping_fee: must not be negative",
    ),
    "negative loyalty points": (
        lambda d: d["customers"][0]["loyalty"].update(points=-5),
        "customers[0].loyalty.points: must be at least 0",
    ),
    "shipment on a processing order": (
        lambda d: d["orders"][0].update(shipment=d["orders"][1]["shipment"]),
        "orders[0].shipment: a processing order has no shipment",
    ),
    "delivered order without delivery date": (
        lambda d: d["orders"][1]["shipment"].update(delivered_at=None),
        "orders[1].shipment.delivered_at: a delivered order needs delivered_at",
    ),
    "order without lines": (
        lambda d: d["orders"][0].update(lines=[]),
        "orders[0].lines: expected a non-empty list of lines",
    ),
    "unknown field": (
        lambda d: d["customers"][0].update(nickname="Mimi"),
        "customers[0].nickname: unknown field",
    ),
    "bad currency": (
        lambda d: d["orders"][0].update(currency="dollars"),
        "orders[0].currency: expected a 3-letter currency code, got 'dollars'",
    ),
}


@pytest.mark.parametrize(("mutate", "error"), list(BROKEN_FILES.values()), ids=list(BROKEN_FILES))
def test_broken_file_is_refused_with_its_path_and_nothing_is_written(
    session_factory, engine, tmp_path, mutate, error
):
    load(write(tmp_path, BASE, "valid.yml"), session_factory)
    before = database_snapshot(engine)
    document = broken(mutate)
    document["customers"][0]["first_name"] = "Marie-Ève"  # a change that must not land
    path = write(tmp_path, document)

    with pytest.raises(FixtureValidationError) as refused:
        load(path, session_factory, replace=True)

    assert any(line.startswith(f"{path}: {error}") for line in refused.value.lines())
    assert database_snapshot(engine) == before


def test_every_error_of_the_file_is_reported_at_once(session_factory, engine, tmp_path):
    document = broken(lambda d: d["orders"][0].update(customer="x@y.z", status="lost"))
    path = write(tmp_path, document)

    with pytest.raises(FixtureValidationError) as refused:
        load(path, session_factory)

    assert refused.value.lines() == [
        f"{path}: orders[0].customer: unknown customer 'x@y.z'",
        f"{path}: orders[0].status: expected one of processing | shipped | delivered | "
        "cancelled, got 'lost'",
    ]
    assert not any(database_snapshot(engine).values())


@pytest.mark.parametrize(
    ("text", "error"),
    [
        ("customers: [\n  {email: a@b.c\n", ": line "),
        ("- just\n- a list\n", ": (document): expected a mapping"),
        ("orders: {}\n", ": orders: expected a list"),
    ],
    ids=["invalid YAML", "not a mapping", "section not a list"],
)
def test_unreadable_documents_are_refused(session_factory, tmp_path, text, error):
    with pytest.raises(FixtureValidationError) as refused:
        load(write(tmp_path, text), session_factory)

    assert error in refused.value.lines()[0]


def test_missing_file_is_refused(session_factory, tmp_path):
    with pytest.raises(FixtureValidationError, match="cannot read"):
        load(tmp_path / "absent.yml", session_factory)
