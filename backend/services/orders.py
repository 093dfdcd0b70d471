"""The order a use case works on: found only when the customer's email owns it, and its facts.

Also what a policy check on that order is (`Check`): a function of the order's facts and the
current time returning a decision, typed so that each use case returns its policy's decision.
"""

from __future__ import annotations

import hmac
from collections.abc import Callable
from datetime import datetime
from typing import Protocol, TypeVar

from backend.domain import OrderFacts
from backend.identity import normalise_email, normalise_order_number
from backend.models import Order
from backend.repository import ShopRepository
from backend.services.views import IdentityNotVerified, order_facts


class Decision(Protocol):
    """What every policy decision says: may the customer have it?"""

    @property
    def eligible(self) -> bool: ...


DecisionT = TypeVar("DecisionT", bound=Decision)
# A decision check run on a verified order: (order facts, now) -> the policy's decision.
Check = Callable[[OrderFacts, datetime], DecisionT]


def verified_order(repository: ShopRepository, order_number: str, email: str) -> Order:
    """The order, when `email` owns it; IdentityNotVerified otherwise."""
    number = normalise_order_number(order_number)
    order = find_verified_order(repository, number, email) if number else None
    if order is None:
        raise IdentityNotVerified("order number and email do not match")
    return order


def verified_owner(repository: ShopRepository, order_number: str, email: str) -> tuple[str, str]:
    """(normalised order number, the customer's first name) when `email` owns the order, read
    without loading the order; IdentityNotVerified otherwise (the same match as
    `find_verified_order`)."""
    number = normalise_order_number(order_number)
    owner = repository.order_owner(number) if number else None
    wanted = normalise_email(email)
    if number is None or owner is None or wanted is None or owner[0].lower() != wanted:
        raise IdentityNotVerified("order number and email do not match")
    return number, owner[1]


def locked_verified_order(repository: ShopRepository, order_number: str, email: str) -> Order:
    """The verified order, read after its row is locked for this transaction."""
    number = normalise_order_number(order_number)
    if number:
        repository.lock_order(number)
    return verified_order(repository, order_number, email)


def find_verified_order(repository: ShopRepository, number: str, email: str) -> Order | None:
    order = repository.order_by_number(number)
    wanted = normalise_email(email)
    if order is None or wanted is None or order.customer.email.lower() != wanted:
        return None
    return order


def same_email(owner: str | None, typed: str) -> bool:
    """Does the typed email match the order's owner? Compared in constant time, and against a
    placeholder when the order does not exist, so that both failure kinds take the same work."""
    wanted = (normalise_email(typed) or "").encode()
    known = (owner or "").lower().encode()
    matches = hmac.compare_digest(known or b"\0", wanted)
    return owner is not None and bool(wanted) and matches


def facts_with_taxes(repository: ShopRepository, order: Order) -> OrderFacts:
    """The order's facts with its destination's tax rates (refunds give the taxes back)."""
    return order_facts(order, repository.tax_rates_for(order.ship_country, order.ship_region))
