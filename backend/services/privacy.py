"""Retention and erasure of customers' personal data in the shop database (SECURITY.md,
"Retention and erasure"; the conversations are tools/privacy.py's part).

- **Retention** (`purge_expired_free_text`): what a customer typed into a service request — a
  description, the item wanted, a new address, a handoff's summary and unverified email — is
  blanked once the request has not changed for `retention` (policy.yml `retention.days`),
  and so is the text of what agents wrote in conversations (the audit trail keeps who did
  what, when). The request itself stays (its reference, kind, status, amounts): the shop's
  record of what the assistant did.
- **Erasure** (`erase_customer`): on a customer's request, everything the assistant's database
  holds about one email — the customer, the loyalty account, the orders with their lines and
  shipments, the service requests of those orders and the handoffs naming the email, and
  the failed identity checks made with it. The conversations those requests came from are
  returned, so the caller erases them from the tracker store too, and `forget_conversations`
  deletes what the agent workspace kept about those conversations (audit trail, ratings,
  assignments).
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import delete, func, or_, select, update
from sqlalchemy.orm import Session, sessionmaker

from backend.db import unit_of_work
from backend.identity import failure_digest, normalise_email
from backend.models import (
    AuditEntry,
    CsatRating,
    Customer,
    HandoffAssignment,
    IdentityCheckFailure,
    ServiceRequest,
)

# Payload fields holding what the customer typed (backend/services/shop.py builds them).
FREE_TEXT_FIELDS = ("description", "wanted_item", "new_address", "summary", "email")
PURGED_MARK = "free_text_purged"


@dataclass(frozen=True)
class Erasure:
    """What `erase_customer` deleted, and the conversations the caller must delete too."""

    customers: int
    orders: int
    service_requests: int
    identity_failures: int
    conversation_ids: tuple[str, ...]


def free_text_cutoff(now: datetime, retention: timedelta) -> datetime:
    """Requests unchanged since before this instant lose their free text."""
    return now - retention


def without_free_text(payload: dict) -> dict:
    """The payload with every free-text field emptied, marked as purged."""
    kept = {key: (None if key in FREE_TEXT_FIELDS else value) for key, value in payload.items()}
    return {**kept, PURGED_MARK: True}


def purge_expired_free_text(session_factory: sessionmaker, cutoff: datetime) -> int:
    """Blank the free text of requests last updated before `cutoff`, and of agents' messages
    written before it; how many requests were changed."""
    changed = 0
    with unit_of_work(session_factory, write=True) as session:
        session.execute(
            update(AuditEntry)
            .where(AuditEntry.at < cutoff, AuditEntry.text.is_not(None))
            .values(text=None)
        )
        query = select(ServiceRequest).where(ServiceRequest.updated_at < cutoff)
        for request in session.execute(query).scalars():
            payload = request.payload
            if payload.get(PURGED_MARK) or not any(payload.get(f) for f in FREE_TEXT_FIELDS):
                continue
            request.payload = without_free_text(payload)
            changed += 1
    return changed


def erase_customer(session_factory: sessionmaker, email: str) -> Erasure:
    """Delete everything held about `email` (see the module doc); raises ValueError when it is
    not an email address."""
    address = normalise_email(email)
    if address is None:
        raise ValueError("not an email address")
    with unit_of_work(session_factory, write=True) as session:
        customer = session.execute(
            select(Customer).where(Customer.email == address)
        ).scalar_one_or_none()
        orders = list(customer.orders) if customer else []
        requests = _requests_about(session, address, [order.number for order in orders])
        conversations = sorted({r.conversation_id for r in requests if r.conversation_id})
        session.execute(
            delete(HandoffAssignment).where(
                HandoffAssignment.request_id.in_([request.id for request in requests])
            )
        )
        for request in requests:
            session.delete(request)
        for order in orders:
            session.delete(order)  # its lines, shipment and tracking events with it
        if customer is not None:
            session.delete(customer)  # and the loyalty account
        failures = session.execute(
            delete(IdentityCheckFailure).where(
                IdentityCheckFailure.email_digest == failure_digest("email", address)
            )
        ).rowcount
    return Erasure(
        customers=int(customer is not None),
        orders=len(orders),
        service_requests=len(requests),
        identity_failures=failures,
        conversation_ids=tuple(conversations),
    )


def forget_conversations(session_factory: sessionmaker, conversation_ids: list[str]) -> int:
    """Delete what the agent workspace kept about these conversations; how many rows."""
    deleted = 0
    with unit_of_work(session_factory, write=True) as session:
        for model in (AuditEntry, CsatRating, HandoffAssignment):
            deleted += session.execute(
                delete(model).where(model.conversation_id.in_(conversation_ids))
            ).rowcount
    return deleted


def _requests_about(session: Session, email: str, order_numbers: list[str]) -> list:
    """The requests of these orders, and the handoffs whose unverified details name `email`."""
    candidates = session.execute(
        select(ServiceRequest).where(
            or_(
                ServiceRequest.order_number.in_(order_numbers),
                func.lower(ServiceRequest.payload_json).contains(json.dumps(email)[1:-1]),
            )
        )
    ).scalars()
    return [
        request
        for request in candidates
        if request.order_number in order_numbers
        or (normalise_email(str(request.payload.get("email") or "")) == email)
    ]
