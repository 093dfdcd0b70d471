"""Service requests: the assistant's record of what it did (returns, claims, cancellations,
handoffs), their references, and the find-or-create that makes each writing use case
idempotent.

Concurrency: a request is created in a write transaction that first locks the order's row
(ShopRepository.lock_order), then reads the order, takes the policy's decision and writes. Two
conversations confirming the same thing at the same instant are therefore served one after
the other: the second decides on what the first committed and gets the existing request and
its reference.
"""

from __future__ import annotations

import secrets
from collections.abc import Callable
from typing import Any

from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import sessionmaker

from backend.clock import Clock
from backend.db import unit_of_work
from backend.domain import OrderStatus, RequestKind, RequestStatus
from backend.models import Order, ServiceRequest
from backend.repository import ShopRepository
from backend.services.orders import Check, DecisionT, facts_with_taxes, locked_verified_order
from backend.services.views import RequestOutcome, request_view

# Reference prefixes, shown to customers: RA is the FAQ's return authorisation; the
# others are French initials (annulation, adresse, échange, garantie, colis manquant,
# article erroné, agent).
REFERENCE_PREFIXES = {
    RequestKind.RETURN: "RA",
    RequestKind.CANCELLATION: "AN",
    RequestKind.ADDRESS_CHANGE: "AD",
    RequestKind.EXCHANGE: "EC",
    RequestKind.WARRANTY_CLAIM: "GA",
    RequestKind.MISSING_PARCEL: "CM",
    RequestKind.WRONG_ITEM: "AE",
    RequestKind.HANDOFF: "AG",
}

# What a request records, from the decision.
PayloadBuilder = Callable[[DecisionT], dict[str, Any]]


class RequestBook:
    """Opens and records service requests in the shop database."""

    def __init__(self, session_factory: sessionmaker, clock: Clock) -> None:
        self._session_factory = session_factory
        self._clock = clock

    def open(
        self,
        kind: RequestKind,
        order_number: str,
        email: str,
        check: Check[DecisionT],
        payload: PayloadBuilder[DecisionT],
        *,
        dry_run: bool,
        refresh_payload: bool = False,
    ) -> RequestOutcome[DecisionT]:
        """Find the open request of `kind` for the order, or create it if the check allows.

        Concurrent calls for one order take its row lock in turn, so the second finds the
        first's request. The partial unique index stays as the last guard: should two
        creations still collide, the loser's retry finds the winner's request.
        """
        try:
            return self._find_or_create(
                kind, order_number, email, check, payload, dry_run, refresh_payload
            )
        except IntegrityError:  # now finds the winner's request
            return self._find_or_create(
                kind, order_number, email, check, payload, dry_run, refresh_payload
            )

    def _find_or_create(
        self,
        kind: RequestKind,
        order_number: str,
        email: str,
        check: Check[DecisionT],
        payload: PayloadBuilder[DecisionT],
        dry_run: bool,
        refresh_payload: bool,
    ) -> RequestOutcome[DecisionT]:
        with unit_of_work(self._session_factory, write=True, dry_run=dry_run) as session:
            repository = ShopRepository(session)
            order = locked_verified_order(repository, order_number, email)
            now = self._clock.now()
            decision = check(facts_with_taxes(repository, order), now)
            existing = repository.open_request(kind, order.number)
            if existing is not None:
                if refresh_payload and decision.eligible and existing.payload != payload(decision):
                    existing.payload = payload(decision)
                    existing.updated_at = now
                return RequestOutcome(decision, request_view(existing), False, dry_run)
            if not decision.eligible:
                return RequestOutcome(decision, None, False, dry_run)
            conflicting = conflicting_request(repository, kind, order.number, payload(decision))
            if conflicting is not None:
                return RequestOutcome(
                    decision, request_view(conflicting), False, dry_run, conflicting=True
                )
            request = self.new(
                repository,
                kind,
                order.number,
                status=RequestStatus.OPEN,
                payload=payload(decision),
                dry_run=dry_run,
            )
            return RequestOutcome(
                decision, request_view(request, preview=dry_run), not dry_run, dry_run
            )

    def new(
        self,
        repository: ShopRepository,
        kind: RequestKind,
        order_number: str | None,
        *,
        status: RequestStatus,
        payload: dict[str, Any],
        dry_run: bool,
        conversation_id: str | None = None,
    ) -> ServiceRequest:
        """A new request, added to the session unless this is a dry run."""
        now = self._clock.now()
        request = ServiceRequest(
            reference="" if dry_run else next_reference(repository, kind, order_number),
            kind=kind,
            order_number=order_number,
            conversation_id=conversation_id,
            status=status,
            created_at=now,
            updated_at=now,
        )
        request.payload = payload
        if not dry_run:
            repository.add(request)
            repository.session.flush()
        return request


# Requests that decide what becomes of the same pieces: one piece cannot be refunded,
# exchanged and replaced at once.
ONE_OUTCOME_PER_PIECE = {RequestKind.RETURN, RequestKind.EXCHANGE, RequestKind.WRONG_ITEM}


# Requests made about a piece the customer has in hand: none of them goes with a case saying
# the parcel never came (a tester had a missing-parcel case opened on a ring with an open
# warranty claim, and on earrings being returned).
IN_HAND = {RequestKind.RETURN, RequestKind.EXCHANGE, RequestKind.WRONG_ITEM,
           RequestKind.WARRANTY_CLAIM}  # fmt: skip


def conflicting_request(
    repository: ShopRepository, kind: RequestKind, order_number: str, payload: dict[str, Any]
) -> ServiceRequest | None:
    """An open request of another kind that already decides the fate of a piece this one
    would (a return of the earrings when their exchange is asked), or that says the opposite
    of it (the parcel never came, the piece is in hand); skus None: every line."""
    for other_kind in sorted(kinds_in_conflict_with(kind), key=lambda k: k.value):
        other = repository.open_request(other_kind, order_number)
        if other is not None and same_pieces(payload.get("skus"), other.payload.get("skus")):
            return other
    return None


def kinds_in_conflict_with(kind: RequestKind) -> set[RequestKind]:
    conflicts = ONE_OUTCOME_PER_PIECE - {kind} if kind in ONE_OUTCOME_PER_PIECE else set()
    if kind is RequestKind.MISSING_PARCEL:
        conflicts |= IN_HAND
    elif kind in IN_HAND:
        conflicts.add(RequestKind.MISSING_PARCEL)
    return conflicts


def same_pieces(skus: list[str] | None, other_skus: list[str] | None) -> bool:
    """Do two requests' pieces overlap? No list means the whole order."""
    if skus is None or other_skus is None:
        return True
    return bool(set(skus) & set(other_skus))


def next_reference(repository: ShopRepository, kind: RequestKind, order_number: str | None) -> str:
    """RA-104233-01, RA-104233-02… per order; AG-7F3A9C21 (random) without an order."""
    prefix = REFERENCE_PREFIXES[kind]
    if order_number is None:
        return f"{prefix}-{secrets.token_hex(4).upper()}"
    stem = f"{prefix}-{order_number.removeprefix('AZ')}-"
    return f"{stem}{repository.count_references_starting_with(stem) + 1:02d}"


def previous_cancellation(repository: ShopRepository, order: Order) -> ServiceRequest | None:
    """The completed cancellation behind an order's current state, if it has one."""
    was_cancelled = order.status == OrderStatus.CANCELLED or any(
        line.cancelled for line in order.lines
    )
    if not was_cancelled:
        return None
    request = repository.latest_request(RequestKind.CANCELLATION, order.number)
    return request if request and request.status == RequestStatus.COMPLETED else None
