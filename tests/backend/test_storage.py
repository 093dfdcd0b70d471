"""Models, column types, repository queries and migrations on the real test database."""

from datetime import UTC, datetime
from decimal import Decimal

import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import event
from sqlalchemy.exc import IntegrityError, StatementError

from backend.db import make_engine, make_session_factory, unit_of_work
from backend.domain import OrderStatus, RequestKind, RequestStatus
from backend.migrate import downgrade, migrate
from backend.models import Agent, Base, HandoffAssignment, Product, ServiceRequest, TaxRate
from backend.repository import ShopRepository
from tests.backend.builders import make_line, make_order, store_order, toronto


def test_migrated_schema_matches_the_models(engine):
    with engine.connect() as connection:
        context = MigrationContext.configure(connection, opts={"compare_type": True})
        assert compare_metadata(context, Base.metadata) == []


def test_migrations_go_down_to_nothing_and_up_again(tmp_path):
    engine = make_engine(f"sqlite:///{tmp_path / 'migrations.db'}")

    migrate(engine)
    downgrade(engine, "base")
    migrate(engine)
    migrate(engine)  # idempotent

    with engine.connect() as connection:
        assert MigrationContext.configure(connection).get_current_revision() == "0006"


def test_datetimes_round_trip_as_the_same_aware_instant(session_factory):
    placed = toronto(2024, 12, 10, 20, 15)
    with unit_of_work(session_factory) as session:
        store_order(session, make_order(placed=placed, delivered=toronto(2024, 12, 13, 15, 2)))

    with unit_of_work(session_factory) as session:
        order = ShopRepository(session).order_by_number("AZ104233")

    assert order.placed_at == placed
    assert order.placed_at.tzinfo is not None
    assert order.placed_at.utcoffset().total_seconds() == 0
    assert order.shipment.delivered_at == toronto(2024, 12, 13, 15, 2)


def test_naive_datetimes_are_refused(session_factory):
    with (
        pytest.raises(StatementError, match="UTC offset"),
        unit_of_work(session_factory) as session,
    ):
        order = store_order(session, make_order())
        order.placed_at = datetime(2025, 1, 1, 12, 0)
        session.flush()


def test_money_and_rates_stay_exact_decimals(session_factory):
    with unit_of_work(session_factory) as session:
        session.add(TaxRate(country="CA", region="QC", name="TVQ", rate=Decimal("0.09975")))
        store_order(session, make_order(lines=(make_line("A", "0.10", quantity=3),)))

    with unit_of_work(session_factory) as session:
        repository = ShopRepository(session)
        [rate] = repository.tax_rates_for("ca", "qc")
        line = repository.order_by_number("AZ104233").lines[0]

    assert rate.rate == Decimal("0.09975")
    assert line.unit_price * line.quantity == Decimal("0.30")


def test_order_is_found_with_everything_and_customer_by_email_in_any_case(session_factory):
    with unit_of_work(session_factory) as session:
        store_order(session, make_order(delivered=toronto(2025, 3, 6)))

    with unit_of_work(session_factory) as session:
        repository = ShopRepository(session)
        order = repository.order_by_number("AZ104233")
        customer = repository.customer_by_email("  MARIE.Tremblay@exemple.CA")
        facts = (order.lines[0].product.sku, len(order.shipment.events), customer.id)

    assert facts == ("BG-ECLAT-14K", 2, order.customer_id)


def test_an_order_is_read_in_one_statement_with_its_lines_and_events_in_order(
    session_factory, engine
):
    lines = (make_line("C"), make_line("A"), make_line("B"))
    with unit_of_work(session_factory) as session:
        store_order(session, make_order(lines=lines, delivered=toronto(2025, 3, 6)))
        store_order(session, make_order(number="AZ000002", lines=(make_line("A"),)))
    statements = []

    def record(_connection, _cursor, statement, *_args):
        statements.append(statement)

    event.listen(engine, "before_cursor_execute", record)

    with unit_of_work(session_factory) as session:
        repository = ShopRepository(session)
        order = repository.order_by_number("AZ104233")
        read = ([line.product.sku for line in order.lines], order.shipment.events, order.customer)
        other = [line.product.sku for line in repository.order_by_number("AZ000002").lines]
    event.remove(engine, "before_cursor_execute", record)

    assert len(statements) == 2  # one per order
    assert read[0] == ["C", "A", "B"]  # the order's own line order
    assert [event.description for event in read[1]] == ["Colis pris en charge", "Livré"]
    assert read[2].email == "marie.tremblay@exemple.ca"
    assert other == ["A"]


def test_cancelled_orders_do_not_count_as_previous_orders(session_factory):
    with unit_of_work(session_factory) as session:
        store_order(session, make_order(number="AZ000001", status=OrderStatus.CANCELLED))
        repository = ShopRepository(session)
        customer = repository.customer_by_email("marie.tremblay@exemple.ca")
        before = repository.customer_has_orders(customer)
        store_order(session, make_order(number="AZ000002"))
        after = repository.customer_has_orders(customer)

    assert (before, after) == (False, True)


def test_only_one_open_request_per_kind_and_order(session_factory):
    now = datetime(2025, 1, 1, tzinfo=UTC)

    def request(reference, status=RequestStatus.OPEN):
        return ServiceRequest(
            reference=reference,
            kind=RequestKind.RETURN,
            order_number="AZ104233",
            status=status,
            created_at=now,
            updated_at=now,
        )

    with unit_of_work(session_factory) as session:
        session.add_all([request("RA-1", RequestStatus.COMPLETED), request("RA-2")])

    with pytest.raises(IntegrityError), unit_of_work(session_factory) as session:
        session.add(request("RA-3"))


def _request(reference, kind, conversation=None, order=None, status=RequestStatus.OPEN):
    now = datetime(2025, 1, 1, tzinfo=UTC)
    return ServiceRequest(
        reference=reference,
        kind=kind,
        order_number=order,
        conversation_id=conversation,
        status=status,
        created_at=now,
        updated_at=now,
    )


def test_migration_0006_keeps_every_row_and_one_open_handoff_per_conversation(
    engine, session_factory
):
    """Handoffs were unique per order; now per conversation (issue 18, defect 1). A
    conversation with two open handoffs keeps the one an agent took."""
    downgrade(engine, "0005")
    now = datetime(2025, 1, 1, tzinfo=UTC)
    with unit_of_work(session_factory) as session:
        session.add_all(
            [
                _request("AG-1", RequestKind.HANDOFF, conversation="c-1"),
                _request("AG-104201-01", RequestKind.HANDOFF, "c-1", "AZ104201"),
                _request("AG-104203-01", RequestKind.HANDOFF, "c-2", "AZ104203"),
                _request("RA-104201-01", RequestKind.RETURN, order="AZ104201"),
                Agent(username="lea", display_name="Léa", password_hash="x", role="agent",
                      failed_logins=0, created_at=now),
            ]
        )  # fmt: skip
        session.flush()
        taken = session.query(ServiceRequest).filter_by(reference="AG-104201-01").one()
        agent = session.query(Agent).one()
        session.add(
            HandoffAssignment(
                request_id=taken.id, conversation_id="c-1", agent_id=agent.id,
                state="taken", taken_at=now,
            )
        )  # fmt: skip

    migrate(engine)

    with unit_of_work(session_factory) as session:
        statuses = dict(session.query(ServiceRequest.reference, ServiceRequest.status).all())
        assert statuses == {
            "AG-1": RequestStatus.REJECTED,
            "AG-104201-01": RequestStatus.OPEN,
            "AG-104203-01": RequestStatus.OPEN,
            "RA-104201-01": RequestStatus.OPEN,
        }
        session.add(_request("AG-104203-02", RequestKind.HANDOFF, "c-3", "AZ104203"))
    with pytest.raises(IntegrityError), unit_of_work(session_factory) as session:
        session.add(_request("AG-104203-03", RequestKind.HANDOFF, "c-3", "AZ104203"))
    with pytest.raises(IntegrityError), unit_of_work(session_factory) as session:
        session.add(_request("RA-104201-02", RequestKind.RETURN, order="AZ104201"))


def test_sku_is_unique(session_factory):
    def product():
        return Product(sku="X", name="X", category="bague", price=Decimal("1"))

    with pytest.raises(IntegrityError), unit_of_work(session_factory) as session:
        session.add_all([product(), product()])


def test_a_sqlite_file_keeps_its_connection_and_reads_what_others_wrote(tmp_path):
    """Pooled connections (backend.db): one connection for every unit of work, each of which
    still reads what another engine committed meanwhile."""
    url = f"sqlite:///{tmp_path / 'shop.db'}"
    engine, other = make_engine(url), make_engine(url)
    connections = []
    event.listen(engine, "connect", lambda connection, _record: connections.append(connection))
    migrate(engine)
    reader = make_session_factory(engine)

    seen = []
    for sku in ("A", "B"):
        with unit_of_work(make_session_factory(other)) as session:
            store_order(
                session, make_order(number=f"AZ00000{len(seen) + 1}", lines=(make_line(sku),))
            )
        with unit_of_work(reader) as session:
            seen.append(ShopRepository(session).count_orders())

    assert seen == [1, 2]
    assert len(connections) == 1
    engine.dispose()
    other.dispose()
