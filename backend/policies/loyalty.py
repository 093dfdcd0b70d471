"""Allyzure Loyalty Club balance (docs/design.md §6 "Loyalty")."""

from __future__ import annotations

from dataclasses import dataclass

from backend.domain import LoyaltyFacts
from backend.policies.reasons import ReasonCode


@dataclass(frozen=True)
class LoyaltyDecision:
    eligible: bool  # the customer is a member
    reason: ReasonCode
    points: int = 0


def check_loyalty(account: LoyaltyFacts | None) -> LoyaltyDecision:
    """A member's balance; no account or not a member: NOT_A_MEMBER (joining needs an account)."""
    if account is None or not account.member:
        return LoyaltyDecision(False, ReasonCode.NOT_A_MEMBER)
    return LoyaltyDecision(True, ReasonCode.LOYALTY_MEMBER, account.points)
