"""Queries on the shop database, given a session (the caller owns the transaction)."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import bindparam, delete, func, select
from sqlalchemy.orm import Session, joinedload

from backend.domain import OrderStatus, RequestKind, RequestStatus
from backend.models import (
    Customer,
    IdentityCheckFailure,
    Order,
    OrderLine,
    Product,
    Promotion,
    ServiceRequest,
    Shipment,
    TaxRate,
)

# Built once per process: the statement is the same for every order (only its parameter
# changes), and building it with its loader options was a good part of a look-up's time.
ORDER_WITH_EVERYTHING = (
    select(Order)
    .where(Order.number == bindparam("number"))
    .options(
        joinedload(Order.lines).joinedload(OrderLine.product),
        joinedload(Order.shipment).joinedload(Shipment.events),
        joinedload(Order.customer).joinedload(Customer.loyalty_account),
    )
)


class ShopRepository:
    def __init__(self, session: Session) -> None:
        self.session = session

    # Orders and customers

    def order_by_number(self, number: str) -> Order | None:
        """The order with its lines, products, shipment, events, customer and loyalty account.

        `number` must already be normalised ("AZ" + 6 digits). Everything comes in one query
        (`ORDER_WITH_EVERYTHING`): an order has a few lines and a few tracking events, so the
        joined rows stay few, and one query costs a third of the three it took with the
        collections loaded apart (the ORM's work per query outweighs SQLite's).
        """
        result = self.session.execute(ORDER_WITH_EVERYTHING, {"number": number})
        return result.unique().scalar_one_or_none()

    def order_owner_email(self, number: str) -> str | None:
        """The email of the order's customer: one indexed query, the same whether the order
        exists or not (the identity check takes the same work for both failure kinds)."""
        query = select(Customer.email).join(Order.customer).where(Order.number == number)
        return self.session.execute(query).scalar_one_or_none()

    def order_owner(self, number: str) -> tuple[str, str] | None:
        """(email, first name) of the order's customer, in one indexed query."""
        query = (
            select(Customer.email, Customer.first_name)
            .join(Order.customer)
            .where(Order.number == number)
        )
        row = self.session.execute(query).one_or_none()
        return (row.email, row.first_name) if row else None

    def lock_order(self, number: str) -> None:
        """Lock the order's row until the transaction ends (SELECT … FOR UPDATE).

        Every write use case takes this lock before reading the order, so that decisions on
        one order are taken one after the other, each on the state the previous one left.
        PostgreSQL locks the row (READ COMMITTED: the statements that follow see what the
        previous holder committed); SQLite ignores FOR UPDATE, and its write transactions
        are already serialised by BEGIN IMMEDIATE (backend.db.begin_write).
        """
        self.session.execute(select(Order.id).where(Order.number == number).with_for_update())

    def customer_by_email(self, email: str) -> Customer | None:
        query = select(Customer).where(func.lower(Customer.email) == email.strip().lower())
        return self.session.execute(query).scalar_one_or_none()

    def count_orders(self) -> int:
        return self.session.execute(select(func.count(Order.id))).scalar_one()

    def customer_has_orders(self, customer: Customer) -> bool:
        """Has the customer any order that was not cancelled? (first-order-only promotions)"""
        query = select(func.count(Order.id)).where(
            Order.customer_id == customer.id, Order.status != OrderStatus.CANCELLED
        )
        return self.session.execute(query).scalar_one() > 0

    def product_by_sku(self, sku: str) -> Product | None:
        return self.session.execute(select(Product).where(Product.sku == sku)).scalar_one_or_none()

    # Reference data

    def tax_rates_for(self, country: str, region: str) -> list[TaxRate]:
        query = (
            select(TaxRate)
            .where(TaxRate.country == country.upper(), TaxRate.region == region.upper())
            .order_by(TaxRate.id)
        )
        return list(self.session.execute(query).scalars())

    def promotions(self) -> list[Promotion]:
        return list(self.session.execute(select(Promotion).order_by(Promotion.id)).scalars())

    # Service requests

    def open_request(self, kind: RequestKind, order_number: str) -> ServiceRequest | None:
        query = select(ServiceRequest).where(
            ServiceRequest.kind == kind,
            ServiceRequest.order_number == order_number,
            ServiceRequest.status == RequestStatus.OPEN,
        )
        return self.session.execute(query).scalar_one_or_none()

    def first_open_request(self, kind: RequestKind, order_number: str) -> ServiceRequest | None:
        """The oldest open request of `kind` for the order (any kind, handoffs included)."""
        query = select(ServiceRequest).where(
            ServiceRequest.kind == kind,
            ServiceRequest.order_number == order_number,
            ServiceRequest.status == RequestStatus.OPEN,
        )
        return self.session.execute(query.order_by(ServiceRequest.id)).scalars().first()

    def open_handoff_for_conversation(self, conversation_id: str) -> ServiceRequest | None:
        query = select(ServiceRequest).where(
            ServiceRequest.kind == RequestKind.HANDOFF,
            ServiceRequest.conversation_id == conversation_id,
            ServiceRequest.status == RequestStatus.OPEN,
        )
        return self.session.execute(query.order_by(ServiceRequest.id)).scalars().first()

    def latest_request(self, kind: RequestKind, order_number: str) -> ServiceRequest | None:
        query = (
            select(ServiceRequest)
            .where(ServiceRequest.kind == kind, ServiceRequest.order_number == order_number)
            .order_by(ServiceRequest.id.desc())
        )
        return self.session.execute(query).scalars().first()

    def requests_for_order(self, order_number: str) -> list[ServiceRequest]:
        query = (
            select(ServiceRequest)
            .where(ServiceRequest.order_number == order_number)
            .order_by(ServiceRequest.id)
        )
        return list(self.session.execute(query).scalars())

    def request_by_reference(self, reference: str) -> ServiceRequest | None:
        query = select(ServiceRequest).where(ServiceRequest.reference == reference)
        return self.session.execute(query).scalar_one_or_none()

    def count_references_starting_with(self, prefix: str) -> int:
        query = select(func.count(ServiceRequest.id)).where(
            ServiceRequest.reference.startswith(prefix, autoescape=True)
        )
        return self.session.execute(query).scalar_one()

    def add(self, request: ServiceRequest) -> None:
        self.session.add(request)

    # Failed identity checks

    def count_identity_failures(self, order_number: str, since: datetime) -> int:
        return self._count_failures(IdentityCheckFailure.order_number == order_number, since)

    def count_identity_failures_of_email(self, email_digest: str, since: datetime) -> int:
        return self._count_failures(IdentityCheckFailure.email_digest == email_digest, since)

    def count_identity_failures_of_client(self, client_digest: str, since: datetime) -> int:
        return self._count_failures(IdentityCheckFailure.client_digest == client_digest, since)

    def _count_failures(self, condition: Any, since: datetime) -> int:
        query = select(func.count(IdentityCheckFailure.id)).where(
            condition, IdentityCheckFailure.failed_at >= since
        )
        return self.session.execute(query).scalar_one()

    def record_identity_failure(
        self,
        order_number: str,
        at: datetime,
        email_digest: str | None = None,
        client_digest: str | None = None,
    ) -> None:
        self.session.add(
            IdentityCheckFailure(
                order_number=order_number,
                failed_at=at,
                email_digest=email_digest,
                client_digest=client_digest,
            )
        )

    def forget_identity_failures_before(self, cutoff: datetime) -> None:
        self.session.execute(
            delete(IdentityCheckFailure).where(IdentityCheckFailure.failed_at < cutoff)
        )
