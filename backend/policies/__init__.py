"""Pure policy functions: facts + now + policy configuration -> a frozen decision.

Nothing here reads the clock, the environment or the database. Every decision has
`eligible` and a stable `reason` (ReasonCode); see each module for its checks.
"""

from backend.policies.address_change import AddressChangeDecision, check_address_change
from backend.policies.cancellation import CancellationDecision, check_cancellation
from backend.policies.common import CustomerReason, LineDecision, Payer
from backend.policies.config import HolidayWindow, PolicyConfig, PolicyFileError, load_policy
from backend.policies.exchange import ExchangeDecision, check_exchange
from backend.policies.identity import (
    FailureWindows,
    RecentFailures,
    failure_window_start,
    failure_windows,
    identity_check_refused,
    identity_checks_paused,
)
from backend.policies.incidents import (
    MissingParcelDecision,
    WrongItemDecision,
    check_missing_parcel,
    check_wrong_item,
)
from backend.policies.loyalty import LoyaltyDecision, check_loyalty
from backend.policies.promotions import PromoCodeDecision, active_promotions, check_promo_code
from backend.policies.reasons import ReasonCode
from backend.policies.returns import ReturnDecision, check_return
from backend.policies.taxes import TaxBreakdown, TaxComponent, check_order_taxes, tax_breakdown
from backend.policies.warranty import WarrantyCause, WarrantyDecision, check_warranty

__all__ = [
    "AddressChangeDecision",
    "CancellationDecision",
    "CustomerReason",
    "ExchangeDecision",
    "FailureWindows",
    "HolidayWindow",
    "LineDecision",
    "LoyaltyDecision",
    "MissingParcelDecision",
    "Payer",
    "PolicyConfig",
    "PolicyFileError",
    "PromoCodeDecision",
    "ReasonCode",
    "RecentFailures",
    "ReturnDecision",
    "TaxBreakdown",
    "TaxComponent",
    "WarrantyCause",
    "WarrantyDecision",
    "WrongItemDecision",
    "active_promotions",
    "check_address_change",
    "check_cancellation",
    "check_exchange",
    "check_loyalty",
    "check_missing_parcel",
    "check_order_taxes",
    "check_promo_code",
    "check_return",
    "check_warranty",
    "check_wrong_item",
    "failure_window_start",
    "failure_windows",
    "identity_check_refused",
    "identity_checks_paused",
    "load_policy",
    "tax_breakdown",
]
