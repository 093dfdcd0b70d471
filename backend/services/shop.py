"""`ShopService`: the use cases, each in one unit of work (backend.db.unit_of_work; see the
package docstring). The order a use case works on comes from backend/services/orders.py, the
requests it records from backend/services/requests.py.

Concurrency: every write use case runs in a write transaction (backend.db.begin_write)
that first locks the order's row (ShopRepository.lock_order), then reads the order, takes
the policy's decision and writes. Two conversations confirming the same thing at the same
instant are therefore served one after the other: the first decides and writes, the second
decides on what the first committed (the order already cancelled, the request already
open) and gets the existing request and its reference. A handoff belongs to its
conversation, not to the order (two customers may hand over the same order): a partial
unique index keeps one open per conversation.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Collection, Mapping, Sequence
from datetime import date, datetime
from decimal import Decimal
from typing import Any

from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import sessionmaker

from backend.clock import Clock, clock_from_settings
from backend.config import Settings
from backend.db import make_engine, make_session_factory, unit_of_work
from backend.domain import (
    OrderStatus,
    PromotionFacts,
    RequestKind,
    RequestStatus,
)
from backend.identity import failure_digest, normalise_email, normalise_order_number
from backend.models import Order
from backend.policies import (
    AddressChangeDecision,
    CancellationDecision,
    CustomerReason,
    ExchangeDecision,
    LoyaltyDecision,
    MissingParcelDecision,
    PolicyConfig,
    PromoCodeDecision,
    ReasonCode,
    RecentFailures,
    ReturnDecision,
    TaxBreakdown,
    WarrantyCause,
    WarrantyDecision,
    WrongItemDecision,
    active_promotions,
    check_address_change,
    check_cancellation,
    check_exchange,
    check_loyalty,
    check_missing_parcel,
    check_order_taxes,
    check_promo_code,
    check_return,
    check_warranty,
    check_wrong_item,
    failure_windows,
    identity_check_refused,
    load_policy,
    tax_breakdown,
)
from backend.repository import ShopRepository
from backend.services.orders import (
    Check,
    DecisionT,
    facts_with_taxes,
    find_verified_order,
    locked_verified_order,
    same_email,
    verified_order,
    verified_owner,
)
from backend.services.requests import RequestBook, previous_cancellation
from backend.services.views import (
    IdentityCheck,
    OrderSummary,
    RequestOutcome,
    RequestView,
    loyalty_facts,
    order_facts,
    order_summary,
    promotion_facts,
    request_view,
    tax_rate_facts,
)


class ShopService:
    def __init__(self, session_factory: sessionmaker, clock: Clock, policy: PolicyConfig) -> None:
        self._session_factory = session_factory
        self._clock = clock
        self._policy = policy
        self._requests = RequestBook(session_factory, clock)

    @property
    def policy(self) -> PolicyConfig:
        """The rules this service applies: the bot states them in its general answers."""
        return self._policy

    def holiday_extension_in_force(self) -> bool:
        """Is a holiday extension of the return window running or announced today?"""
        return self._policy.holiday_extension_in_force(self._clock.today())

    # Identity and order data

    def verify_identity(
        self, order_number: str, email: str, *, client: str | None = None, dry_run: bool = False
    ) -> IdentityCheck:
        """Does this email own this order? A wrong number and a wrong email answer alike.

        Every mismatch is recorded against the order number (existing or not), the email typed
        and the client (`client`: who sent the message, as the channel names it; None when it
        cannot), each as a digest. Once the policy's limit of recent failures is reached for
        any of them, checks are refused (IDENTITY_CHECKS_PAUSED) whatever the email, so that
        guessing — or sweeping order numbers with one known email — gets no answer and a
        refusal says nothing about the order. Successes reset nothing: a known pair must not
        buy new tries. A dry run honours the pause, records nothing.
        """
        number = normalise_order_number(order_number)
        if number is None:
            return IdentityCheck(False, ReasonCode.INVALID_ORDER_NUMBER)
        typed = normalise_email(email)
        if typed is None:
            return IdentityCheck(False, ReasonCode.INVALID_EMAIL, number)
        now = self._clock.now()
        windows = failure_windows(now, self._policy)
        email_digest = failure_digest("email", typed)
        client_digest = failure_digest("client", client) if client else None
        with unit_of_work(self._session_factory, dry_run=dry_run) as session:
            repository = ShopRepository(session)
            recent = RecentFailures(
                order_number=repository.count_identity_failures(number, windows.order_number),
                email=repository.count_identity_failures_of_email(email_digest, windows.email),
                client=repository.count_identity_failures_of_client(client_digest, windows.client)
                if client_digest
                else 0,
            )
            if identity_check_refused(recent, self._policy):
                return IdentityCheck(False, ReasonCode.IDENTITY_CHECKS_PAUSED, number)
            verified = same_email(repository.order_owner_email(number), email)
            if not verified:
                repository.forget_identity_failures_before(windows.oldest)
                repository.record_identity_failure(number, now, email_digest, client_digest)
        reason = ReasonCode.VERIFIED if verified else ReasonCode.IDENTITY_MISMATCH
        return IdentityCheck(verified, reason, number)

    def order_summary(self, order_number: str, email: str) -> OrderSummary:
        with unit_of_work(self._session_factory) as session:
            repository = ShopRepository(session)
            order = verified_order(repository, order_number, email)
            return order_summary(order, repository.requests_for_order(order.number))

    def customer_first_name(self, order_number: str, email: str) -> str:
        """The first name of the order's customer (the greeting once identified), without
        reading the order; IdentityNotVerified when the email does not own it."""
        with unit_of_work(self._session_factory) as session:
            return verified_owner(ShopRepository(session), order_number, email)[1]

    def open_request(self, order_number: str, email: str, kind: RequestKind) -> RequestView | None:
        """The order's oldest open request of `kind` (as in `order_summary(...).requests`),
        without reading the order; IdentityNotVerified when the email does not own it."""
        with unit_of_work(self._session_factory) as session:
            repository = ShopRepository(session)
            number, _ = verified_owner(repository, order_number, email)
            request = repository.first_open_request(kind, number)
            return request_view(request) if request is not None else None

    # Policy checks on a verified order (they raise IdentityNotVerified otherwise)

    def check_return(
        self,
        order_number: str,
        email: str,
        reason: CustomerReason = CustomerReason.CHANGED_MIND,
        skus: Collection[str] | None = None,
    ) -> ReturnDecision:
        """`skus`: only the lines the customer named (None: every active line)."""
        return self._check(order_number, email, self._return_check(reason, skus))

    def check_exchange(
        self,
        order_number: str,
        email: str,
        reason: CustomerReason = CustomerReason.CHANGED_MIND,
        skus: Collection[str] | None = None,
    ) -> ExchangeDecision:
        return self._check(order_number, email, self._exchange_check(reason, skus))

    def check_cancellation(
        self, order_number: str, email: str, skus: Collection[str] | None = None
    ) -> CancellationDecision:
        """`skus`: only the lines the customer named (None: every remaining line)."""
        return self._check(order_number, email, self._cancellation_check(skus))

    def check_address_change(self, order_number: str, email: str) -> AddressChangeDecision:
        return self._check(order_number, email, lambda order, _now: check_address_change(order))

    def check_warranty(
        self,
        order_number: str,
        email: str,
        cause: WarrantyCause | None = None,
        skus: Collection[str] | None = None,
    ) -> WarrantyDecision:
        return self._check(order_number, email, self._warranty_check(cause, skus))

    def check_missing_parcel(self, order_number: str, email: str) -> MissingParcelDecision:
        return self._check(order_number, email, check_missing_parcel)

    def check_wrong_item(
        self, order_number: str, email: str, skus: Collection[str] | None = None
    ) -> WrongItemDecision:
        """`skus`: the lines the customer says came wrong (None: the order as a whole)."""
        return self._check(order_number, email, lambda order, _now: check_wrong_item(order, skus))

    def check_taxes(self, order_number: str, email: str) -> TaxBreakdown:
        with unit_of_work(self._session_factory) as session:
            repository = ShopRepository(session)
            order = verified_order(repository, order_number, email)
            rates = repository.tax_rates_for(order.ship_country, order.ship_region)
            facts = order_facts(order)
        return check_order_taxes(facts, [tax_rate_facts(rate) for rate in rates], self._policy)

    def loyalty_balance(self, email: str, order_number: str) -> LoyaltyDecision:
        """The balance of the customer owning `email`, proven by any one of their orders."""
        with unit_of_work(self._session_factory) as session:
            repository = ShopRepository(session)
            order = verified_order(repository, order_number, email)
            return check_loyalty(loyalty_facts(order))

    # Reference data, no identity needed

    def tax_rates(
        self, country: str, region: str, taxable_amount: Decimal | None = None
    ) -> TaxBreakdown:
        """The tax components of a destination, with their amounts on `taxable_amount` (a
        price the customer named) when given."""
        with unit_of_work(self._session_factory) as session:
            repository = ShopRepository(session)
            rates = [tax_rate_facts(rate) for rate in repository.tax_rates_for(country, region)]
        return tax_breakdown(country, region, rates, self._policy, taxable_amount)

    def active_promotions(self) -> list[PromotionFacts]:
        with unit_of_work(self._session_factory) as session:
            repository = ShopRepository(session)
            promotions = [promotion_facts(p) for p in repository.promotions()]
        return active_promotions(promotions, self._clock.now())

    def check_promo_code(
        self,
        code: str,
        email: str | None = None,
        order_number: str | None = None,
        subtotal: Decimal | None = None,
        *,
        said_has_orders: bool | None = None,
        codes_in_order: Sequence[str] = (),
    ) -> PromoCodeDecision:
        """The state of a promo code now.

        The customer's order history (first-order-only codes) is read from the database only
        when `email` and `order_number` verify, so that a code check never reveals whether
        an email is a customer's; otherwise what the customer said (`said_has_orders`, e.g.
        « j'ai déjà commandé ») is used, and without either the condition is left to the
        promotion's flag. `codes_in_order`: every code the customer wants on one order.
        """
        with unit_of_work(self._session_factory) as session:
            repository = ShopRepository(session)
            promotions = [promotion_facts(p) for p in repository.promotions()]
            has_orders = said_has_orders
            if email and order_number:
                number = normalise_order_number(order_number)
                order = number and find_verified_order(repository, number, email)
                if order:
                    has_orders = repository.customer_has_orders(order.customer)
        return check_promo_code(
            code,
            promotions,
            self._clock.now(),
            subtotal=subtotal,
            customer_has_orders=has_orders,
            codes_in_order=codes_in_order,
        )

    # Writing use cases: idempotent, and `dry_run` writes nothing

    def request_return(
        self,
        order_number: str,
        email: str,
        reason: CustomerReason = CustomerReason.CHANGED_MIND,
        *,
        skus: Collection[str] | None = None,
        preference: str | None = None,
        dry_run: bool = False,
    ) -> RequestOutcome[ReturnDecision]:
        """An open return request with its RA number; asking again gives the same RA number.
        `skus`: only the lines the customer named; `preference`: the outcome they asked for
        (refund, store_credit…), for the team that decides the refund method."""

        def payload(decision: ReturnDecision) -> dict[str, Any]:
            return {
                "reason": reason.value,
                "skus": [line.sku for line in decision.lines if line.eligible],
                "preference": preference,
                "refund_amount": str(decision.refund_amount),
                "refund_taxes": str(decision.refund.taxes),
                "currency": decision.currency,
                "return_shipping_paid_by": decision.return_shipping_paid_by.value,
                "deadline": decision.deadline.isoformat() if decision.deadline else None,
            }

        return self._requests.open(
            RequestKind.RETURN,
            order_number,
            email,
            self._return_check(reason, skus),
            payload,
            dry_run=dry_run,
        )

    def request_exchange(
        self,
        order_number: str,
        email: str,
        reason: CustomerReason = CustomerReason.CHANGED_MIND,
        wanted_item: str | None = None,
        *,
        skus: Collection[str] | None = None,
        dry_run: bool = False,
    ) -> RequestOutcome[ExchangeDecision]:
        def payload(decision: ExchangeDecision) -> dict[str, Any]:
            return {
                "reason": reason.value,
                "skus": [line.sku for line in decision.lines if line.eligible],
                "wanted_item": wanted_item,
                "deadline": decision.deadline.isoformat(),
                "return_shipping_paid_by": decision.return_shipping_paid_by.value,
            }

        return self._requests.open(
            RequestKind.EXCHANGE,
            order_number,
            email,
            self._exchange_check(reason, skus),
            payload,
            dry_run=dry_run,
        )

    def request_address_change(
        self,
        order_number: str,
        email: str,
        new_address: str | Mapping[str, str],
        *,
        dry_run: bool = False,
    ) -> RequestOutcome[AddressChangeDecision]:
        """A best-effort request while processing; an open request gets the latest address."""
        address = new_address if isinstance(new_address, str) else dict(new_address)

        def payload(decision: AddressChangeDecision) -> dict[str, Any]:
            return {"new_address": address, "guaranteed": decision.guaranteed}

        return self._requests.open(
            RequestKind.ADDRESS_CHANGE,
            order_number,
            email,
            lambda order, _now: check_address_change(order),
            payload,
            dry_run=dry_run,
            refresh_payload=True,
        )

    def open_warranty_claim(
        self,
        order_number: str,
        email: str,
        cause: WarrantyCause = WarrantyCause.DEFECT,
        description: str = "",
        *,
        skus: Collection[str] | None = None,
        preference: str | None = None,
        dry_run: bool = False,
    ) -> RequestOutcome[WarrantyDecision]:
        def payload(decision: WarrantyDecision) -> dict[str, Any]:
            return {
                "cause": cause.value,
                "preference": preference,
                "description": description,
                "skus": [line.sku for line in decision.lines if line.eligible],
                "covered_until": decision.deadline.isoformat(),
            }

        return self._requests.open(
            RequestKind.WARRANTY_CLAIM,
            order_number,
            email,
            self._warranty_check(cause, skus),
            payload,
            dry_run=dry_run,
        )

    def open_missing_parcel_case(
        self,
        order_number: str,
        email: str,
        *,
        preference: str | None = None,
        dry_run: bool = False,
    ) -> RequestOutcome[MissingParcelDecision]:
        """`preference`: a refund or the parcel sent again, if the parcel stays lost, when the
        customer said which; the team decides once the carrier has answered."""

        def payload(decision: MissingParcelDecision) -> dict[str, Any]:
            return {
                "state": decision.reason.value,
                "preference": preference,
                "carrier": decision.carrier,
                "tracking_number": decision.tracking_number,
                "estimated_delivery": _iso(decision.estimated_delivery),
                "delivered_at": _iso(decision.delivered_at),
            }

        return self._requests.open(
            RequestKind.MISSING_PARCEL,
            order_number,
            email,
            check_missing_parcel,
            payload,
            dry_run=dry_run,
        )

    def open_wrong_item_case(
        self,
        order_number: str,
        email: str,
        description: str = "",
        *,
        skus: Collection[str] | None = None,
        preference: str | None = None,
        dry_run: bool = False,
    ) -> RequestOutcome[WrongItemDecision]:
        """`preference`: money back instead of the right piece, when the customer asked for
        it; the team decides (the FAQ promises the right piece, not a refund)."""

        def payload(decision: WrongItemDecision) -> dict[str, Any]:
            return {
                "description": description,
                "skus": [line.sku for line in decision.lines] if skus is not None else None,
                "preference": preference,
                "return_shipping_paid_by": decision.return_shipping_paid_by.value,
                "expedited_replacement": decision.expedited_replacement,
            }

        return self._requests.open(
            RequestKind.WRONG_ITEM,
            order_number,
            email,
            lambda order, _now: check_wrong_item(order, skus),
            payload,
            dry_run=dry_run,
        )

    def cancel_order(
        self,
        order_number: str,
        email: str,
        *,
        skus: Collection[str] | None = None,
        dry_run: bool = False,
    ) -> RequestOutcome[CancellationDecision]:
        """Cancel what the policy allows, now: the whole order, or its non-personalised lines
        (`skus`: only the lines the customer named).

        The cancellation is recorded as a completed request (AN-… reference). Asked again
        (or by a conversation that confirmed at the same instant and came second), the
        refusal is ALREADY_CANCELLED with that request: its reference and refund.
        """
        with unit_of_work(self._session_factory, write=True, dry_run=dry_run) as session:
            repository = ShopRepository(session)
            order = locked_verified_order(repository, order_number, email)
            decision = self._cancellation_check(skus)(
                facts_with_taxes(repository, order), self._clock.now()
            )
            if not decision.eligible:
                previous = previous_cancellation(repository, order)
                if previous is None:
                    return RequestOutcome(decision, None, created=False, dry_run=dry_run)
                if decision.reason is ReasonCode.ALL_LINES_PERSONALISED:
                    # Only personalised lines are left because the others were cancelled.
                    decision = dataclasses.replace(decision, reason=ReasonCode.ALREADY_CANCELLED)
                return RequestOutcome(decision, request_view(previous), False, dry_run)
            _apply_cancellation(order, decision)
            request = self._requests.new(
                repository,
                RequestKind.CANCELLATION,
                order.number,
                status=RequestStatus.COMPLETED,
                payload={
                    "whole_order": decision.whole_order,
                    "skus": [line.sku for line in decision.lines if line.eligible],
                    "refund_amount": str(decision.refund_amount),
                    "refund_taxes": str(decision.refund.taxes),
                    "currency": decision.currency,
                },
                dry_run=dry_run,
            )
            return RequestOutcome(
                decision, request_view(request, preview=dry_run), not dry_run, dry_run
            )

    def create_handoff(
        self,
        summary: str,
        *,
        conversation_id: str,
        order_number: str | None = None,
        email: str | None = None,
        dry_run: bool = False,
        channel: str | None = None,
        reason: str = "asked",
        queued_at: datetime | None = None,
    ) -> RequestOutcome[None]:
        """Hand the conversation to a human. No identity needed; idempotent per
        conversation (Rasa's sender id): another conversation about the same order gets a
        handoff of its own, so an agent's reply reaches the right chat. A verified order is
        linked to the request (its reference counts on: AG-104203-01, -02…); unverified
        details go to the payload
        for the agent, never onto the request's order number; the channel and the reason
        (asked, misunderstood, angry, identification) feed the agent workspace's queue, which
        counts the waiting time from `queued_at` (the real time, whatever the shop's clock)."""
        queued = queued_at.isoformat() if queued_at else None
        arguments = (summary, order_number, email, conversation_id, dry_run, channel, reason)
        try:
            return self._find_or_create_handoff(*arguments, queued)
        except IntegrityError:  # a simultaneous first handoff of the conversation won
            return self._find_or_create_handoff(*arguments, queued)

    def _find_or_create_handoff(
        self,
        summary: str,
        order_number: str | None,
        email: str | None,
        conversation_id: str,
        dry_run: bool,
        channel: str | None,
        reason: str,
        queued_at: str | None,
    ) -> RequestOutcome[None]:
        with unit_of_work(self._session_factory, write=True, dry_run=dry_run) as session:
            repository = ShopRepository(session)
            number = normalise_order_number(order_number) if order_number else None
            order = None
            if number and email:
                repository.lock_order(number)
                order = find_verified_order(repository, number, email)
            verified_number = order.number if order else None
            existing = repository.open_handoff_for_conversation(conversation_id)
            if existing is not None:
                return RequestOutcome(None, request_view(existing), created=False, dry_run=dry_run)
            request = self._requests.new(
                repository,
                RequestKind.HANDOFF,
                verified_number,
                status=RequestStatus.OPEN,
                payload={
                    "summary": summary,
                    "email": email,
                    "order_number_given": order_number,
                    "identity_verified": order is not None,
                    "channel": channel,
                    "reason": reason,
                    "queued_at": queued_at,
                },
                conversation_id=conversation_id,
                dry_run=dry_run,
            )
            return RequestOutcome(
                None, request_view(request, preview=dry_run), not dry_run, dry_run
            )

    # Policy checks bound to this shop's policy

    def _return_check(
        self, reason: CustomerReason, skus: Collection[str] | None = None
    ) -> Check[ReturnDecision]:
        return lambda order, now: check_return(order, now, self._policy, reason, skus)

    def _exchange_check(
        self, reason: CustomerReason, skus: Collection[str] | None = None
    ) -> Check[ExchangeDecision]:
        return lambda order, now: check_exchange(order, now, self._policy, reason, skus)

    def _warranty_check(
        self, cause: WarrantyCause | None, skus: Collection[str] | None = None
    ) -> Check[WarrantyDecision]:
        return lambda order, now: check_warranty(order, now, self._policy, cause, skus)

    def _cancellation_check(
        self, skus: Collection[str] | None = None
    ) -> Check[CancellationDecision]:
        return lambda order, now: check_cancellation(order, now, self._policy, skus)

    def _check(self, order_number: str, email: str, check: Check[DecisionT]) -> DecisionT:
        with unit_of_work(self._session_factory) as session:
            repository = ShopRepository(session)
            order = verified_order(repository, order_number, email)
            facts = facts_with_taxes(repository, order)
        return check(facts, self._clock.now())


def build_shop_service(settings: Settings, policy: PolicyConfig | None = None) -> ShopService:
    """The service wired to the configured database, clock and policy file."""
    engine = make_engine(settings.database_url)
    return ShopService(
        make_session_factory(engine),
        clock_from_settings(settings),
        policy or load_policy(),
    )


def _apply_cancellation(order: Order, decision: CancellationDecision) -> None:
    """Cancel the whole order, or flag the cancelled lines (named, or all but personalised)."""
    if decision.whole_order:
        order.status = OrderStatus.CANCELLED
        return
    # decision.lines are the lines asked for (all remaining ones, or those named).
    cancelled = {line.sku for line in decision.lines if line.eligible}
    for line in order.lines:
        if not line.cancelled and line.product.sku in cancelled:
            line.cancelled = True


def _iso(value: date | datetime | None) -> str | None:
    return value.isoformat() if value is not None else None
