"""Use cases the bot and the agent console call (docs/design.md §6).

Build one `ShopService` per process with `build_shop_service(load_settings())`, or pass
your own session factory, clock and policy (tests). Order-bound use cases need the
order number and its email; they raise `IdentityNotVerified` when these do not match,
so call `verify_identity` first.

Reading
- verify_identity(order_number, email, dry_run=False) -> IdentityCheck (paused after too
  many failures for one order number, across conversations: policy.yml identity_checks)
- order_summary(order_number, email) -> OrderSummary (lines, shipment, last event, requests)
- check_return / check_exchange (reason) / check_cancellation / check_address_change /
  check_warranty (cause) / check_missing_parcel / check_wrong_item / check_taxes
  (order_number, email) -> the policy's decision
- loyalty_balance(email, order_number) -> LoyaltyDecision
- tax_rates(country, region) -> TaxBreakdown without amounts
- active_promotions() -> list[PromotionFacts]
- check_promo_code(code, email=None, order_number=None, subtotal=None) -> PromoCodeDecision

Writing (idempotent; `dry_run=True` returns the same outcome and writes nothing)
- request_return, request_exchange, request_address_change, open_warranty_claim,
  open_missing_parcel_case, open_wrong_item_case: an open request per order and kind;
  asking again returns it (same reference)
- cancel_order: cancels now what the policy allows, recorded as a completed request
- create_handoff(summary, conversation_id, order_number=None, email=None)
All return a RequestOutcome(decision, request, created, dry_run).
"""

from backend.identity import normalise_email, normalise_order_number
from backend.services.requests import REFERENCE_PREFIXES
from backend.services.shop import ShopService, build_shop_service
from backend.services.views import (
    IdentityCheck,
    IdentityNotVerified,
    OrderSummary,
    RequestOutcome,
    RequestView,
)

__all__ = [
    "REFERENCE_PREFIXES",
    "IdentityCheck",
    "IdentityNotVerified",
    "OrderSummary",
    "RequestOutcome",
    "RequestView",
    "ShopService",
    "build_shop_service",
    "normalise_email",
    "normalise_order_number",
]
