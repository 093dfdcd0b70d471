"""The bench fixture gives every virtual customer their own valid, returnable order."""

from datetime import datetime

from backend.clock import FixedClock
from backend.fixtures import parse_fixture
from bench.fixture import BENCH_NOW, bench_customers, fixture_document, write_fixture


def test_sixty_customers_have_distinct_emails_and_order_numbers():
    customers = bench_customers(60)

    assert len({c.email for c in customers}) == 60
    assert len({c.order_number for c in customers}) == 60
    assert all(len(c.order_number) == 8 and c.order_number.startswith("AZ") for c in customers)


def test_the_fixture_is_valid_for_the_shop_loader(tmp_path):
    path = write_fixture(tmp_path / "bench.yml", bench_customers(5))

    data = parse_fixture(path.read_text(), str(path), FixedClock(datetime.fromisoformat(BENCH_NOW)))

    assert len(data.customers) == 5
    assert len(data.orders) == 5


def test_every_order_was_delivered_five_days_ago_inside_the_return_window():
    orders = fixture_document(bench_customers(3))["orders"]

    assert {order["status"] for order in orders} == {"delivered"}
    assert {order["shipment"]["delivered_at"] for order in orders} == {"today-5d"}
