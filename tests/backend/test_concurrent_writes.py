"""Twenty customers confirm the same write at the same instant: one effect, nineteen told so.

Each test releases 20 real threads through a barrier against the real test database (a
SQLite file by default, PostgreSQL with `make test-postgres`). Every thread has its own
session and connection, as 20 conversations on the action servers would.
"""

from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from datetime import datetime, timedelta
from pathlib import Path
from threading import Barrier, Event, Thread

import pytest
from sqlalchemy import select

from backend.clock import FixedClock
from backend.db import begin_write, unit_of_work
from backend.domain import OrderStatus, RequestKind, RequestStatus
from backend.fixtures import load_fixture_file
from backend.models import Order, OrderLine, ServiceRequest
from backend.policies import ReasonCode, WarrantyCause
from backend.repository import ShopRepository
from backend.services import RequestOutcome, ShopService

EXAMPLE = Path(__file__).resolve().parents[1] / "fixtures" / "example.yml"
NOW = datetime.fromisoformat("2026-11-25T14:12:30-05:00")
MARIE = "marie.tremblay@exemple.ca"
JULIEN = "jdupont@exemple.fr"
SOPHIE = "sophie.martin@exemple.com"
CUSTOMERS = 20

UseCase = Callable[[ShopService, int], RequestOutcome]

# Twenty threads racing on one database are a stress test: on SQLite most of their 1–2 s
# is spent waiting in the busy handler. `make test` runs them, `make test-fast` does not
# (the `slow` marker, pyproject.toml); the two-writer lock test stays fast.
stress = pytest.mark.slow


def all_at_once(use_case: UseCase, shop: ShopService) -> list[RequestOutcome]:
    """Run `use_case` in CUSTOMERS threads released together; thread i passes i."""
    barrier = Barrier(CUSTOMERS)

    def customer(index: int) -> RequestOutcome:
        barrier.wait()
        return use_case(shop, index)

    with ThreadPoolExecutor(max_workers=CUSTOMERS) as pool:
        return list(pool.map(customer, range(CUSTOMERS)))


def requests_of(session_factory, kind: RequestKind) -> list[ServiceRequest]:
    with unit_of_work(session_factory) as session:
        query = select(ServiceRequest).where(ServiceRequest.kind == kind)
        return list(session.execute(query.order_by(ServiceRequest.id)).scalars())


@pytest.fixture
def shop(session_factory, make_shop):
    load_fixture_file(EXAMPLE, session_factory, FixedClock(NOW))
    return make_shop(NOW)


def test_a_write_transaction_on_an_order_waits_until_the_one_holding_it_commits(
    shop, session_factory
):
    """The lock itself: FOR UPDATE on PostgreSQL, BEGIN IMMEDIATE on SQLite."""
    first = session_factory()
    begin_write(first)
    ShopRepository(first).lock_order("AZ104202")
    first.execute(
        Order.__table__.update().where(Order.number == "AZ104202").values(ship_city="Lévis")
    )
    second_locked = Event()
    seen_by_second = []

    def second_writer() -> None:
        with unit_of_work(session_factory) as session:
            begin_write(session)
            ShopRepository(session).lock_order("AZ104202")
            second_locked.set()
            seen_by_second.append(ShopRepository(session).order_by_number("AZ104202").ship_city)

    thread = Thread(target=second_writer)
    thread.start()
    waited = not second_locked.wait(timeout=0.5)
    first.commit()
    first.close()
    thread.join(timeout=10)

    assert waited, "the second writer got the lock while the first held it"
    assert seen_by_second == ["Lévis"]


# The write use cases whose request stays open: (use case, kind, reference).
OPEN_REQUESTS = {
    "return": (
        lambda shop, _: shop.request_return("AZ104204", SOPHIE),
        RequestKind.RETURN,
        "RA-104204-01",
    ),
    "exchange": (
        lambda shop, _: shop.request_exchange("AZ104204", SOPHIE),
        RequestKind.EXCHANGE,
        "EC-104204-01",
    ),
    "warranty claim": (
        lambda shop, _: shop.open_warranty_claim("AZ104205", JULIEN, WarrantyCause.DEFECT),
        RequestKind.WARRANTY_CLAIM,
        "GA-104205-01",
    ),
    "address change": (
        lambda shop, i: shop.request_address_change("AZ104202", JULIEN, f"{i} rue Saint-Louis"),
        RequestKind.ADDRESS_CHANGE,
        "AD-104202-01",
    ),
    "missing parcel case": (
        lambda shop, _: shop.open_missing_parcel_case("AZ104204", SOPHIE),
        RequestKind.MISSING_PARCEL,
        "CM-104204-01",
    ),
    "wrong item case": (
        lambda shop, _: shop.open_wrong_item_case("AZ104204", SOPHIE, "reçu un bracelet"),
        RequestKind.WRONG_ITEM,
        "AE-104204-01",
    ),
    "handoff of one conversation on a verified order": (
        lambda shop, i: shop.create_handoff(
            f"aide {i}", order_number="AZ104201", email=MARIE, conversation_id="conversation-1"
        ),
        RequestKind.HANDOFF,
        "AG-104201-01",
    ),
}


@stress
@pytest.mark.parametrize(
    ("use_case", "kind", "reference"), OPEN_REQUESTS.values(), ids=OPEN_REQUESTS
)
def test_twenty_simultaneous_confirmations_open_one_request_and_all_get_its_reference(
    shop, session_factory, use_case, kind, reference
):
    outcomes = all_at_once(use_case, shop)

    assert [outcome.created for outcome in outcomes].count(True) == 1
    assert {outcome.request.reference for outcome in outcomes} == {reference}
    assert [request.reference for request in requests_of(session_factory, kind)] == [reference]


@stress
def test_twenty_simultaneous_handoffs_of_one_conversation_open_one_request(shop, session_factory):
    outcomes = all_at_once(
        lambda shop, i: shop.create_handoff(f"aide {i}", conversation_id="conversation-1"), shop
    )

    stored = requests_of(session_factory, RequestKind.HANDOFF)
    assert [outcome.created for outcome in outcomes].count(True) == 1
    assert {outcome.request.reference for outcome in outcomes} == {stored[0].reference}
    assert len(stored) == 1


@stress
def test_twenty_simultaneous_handoffs_of_twenty_conversations_open_twenty_requests(
    shop, session_factory
):
    outcomes = all_at_once(
        lambda shop, i: shop.create_handoff("aide", conversation_id=f"conversation-{i}"), shop
    )

    assert all(outcome.created for outcome in outcomes)
    assert len(requests_of(session_factory, RequestKind.HANDOFF)) == CUSTOMERS


@stress
def test_twenty_conversations_handing_over_one_order_at_once_get_twenty_references(
    shop, session_factory
):
    outcomes = all_at_once(
        lambda shop, i: shop.create_handoff(
            "aide", order_number="AZ104201", email=MARIE, conversation_id=f"conversation-{i}"
        ),
        shop,
    )

    expected = {f"AG-104201-{n:02d}" for n in range(1, CUSTOMERS + 1)}
    assert all(outcome.created for outcome in outcomes)
    assert {outcome.request.reference for outcome in outcomes} == expected


# Cancellation: (order, email, hours before NOW for the clock, reason the losers get).
CANCELLATIONS = {
    "of the cancellable lines of a mixed order": (
        "AZ104201",
        MARIE,
        0,
        ReasonCode.ALREADY_CANCELLED,
    ),
    "of a whole order": ("AZ104202", JULIEN, 29, ReasonCode.ALREADY_CANCELLED),
}


@stress
@pytest.mark.parametrize(
    ("number", "email", "hours_earlier", "losers_reason"),
    CANCELLATIONS.values(),
    ids=CANCELLATIONS,
)
def test_twenty_simultaneous_cancellations_cancel_and_refund_once(
    session_factory, make_shop, number, email, hours_earlier, losers_reason
):
    load_fixture_file(EXAMPLE, session_factory, FixedClock(NOW))
    shop = make_shop(NOW - timedelta(hours=hours_earlier))

    outcomes = all_at_once(lambda shop, _: shop.cancel_order(number, email), shop)

    winners = [outcome for outcome in outcomes if outcome.created]
    losers = [outcome for outcome in outcomes if not outcome.created]
    cancellations = requests_of(session_factory, RequestKind.CANCELLATION)
    assert len(winners) == 1 and len(cancellations) == 1
    assert cancellations[0].status is RequestStatus.COMPLETED
    assert winners[0].request.reference == cancellations[0].reference
    assert {loser.decision.reason for loser in losers} == {losers_reason}
    assert {loser.request.reference for loser in losers} == {cancellations[0].reference}
    assert {loser.request.payload["refund_amount"] for loser in losers} == {
        str(winners[0].decision.refund_amount)
    }


@stress
def test_cancellation_racing_an_address_change_leaves_one_consistent_story(
    session_factory, make_shop
):
    """Half cancel AZ104202 while half change its address: the cancellation happens once,
    and an address change is recorded only if it was decided before the cancellation."""
    load_fixture_file(EXAMPLE, session_factory, FixedClock(NOW))
    shop = make_shop(NOW - timedelta(hours=29))

    def cancel_or_move(shop: ShopService, index: int) -> RequestOutcome:
        if index % 2:
            return shop.cancel_order("AZ104202", JULIEN)
        return shop.request_address_change("AZ104202", JULIEN, f"{index} rue Saint-Louis")

    outcomes = all_at_once(cancel_or_move, shop)

    cancellation = requests_of(session_factory, RequestKind.CANCELLATION)
    address_changes = requests_of(session_factory, RequestKind.ADDRESS_CHANGE)
    assert len(cancellation) == 1 and len(address_changes) <= 1
    moves = outcomes[0::2]
    refused = [move for move in moves if move.request is None]
    assert {move.decision.reason for move in refused} <= {ReasonCode.ORDER_CANCELLED}
    if address_changes:
        assert address_changes[0].id < cancellation[0].id
    with unit_of_work(session_factory) as session:
        order = session.execute(select(Order).where(Order.number == "AZ104202")).scalar_one()
        assert order.status is OrderStatus.CANCELLED
        cancelled_lines = session.execute(
            select(OrderLine).where(OrderLine.order_id == order.id, OrderLine.cancelled)
        ).all()
        assert cancelled_lines == []
