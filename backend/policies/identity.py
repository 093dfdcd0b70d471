"""Pausing identity checks that failed too often (docs/design.md §6, Identity).

Each conversation stops after three failed checks; these limits hold across conversations,
so opening new chats does not give a guesser new tries. Failures are counted three ways
(issue 13, defect 6), each with its limit and window in policy.yml `identity_checks`:

- per **order number** — guessing the email of one order;
- per **email** typed — sweeping order numbers with one known email;
- per **client** (the address the message came from, when the channel has one) — trying
  many pairs, each new, from one place.

A check is refused as soon as any of the three is at its limit; the refusal is the same
whichever it is, and the same whether the order exists.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from backend.policies.config import PolicyConfig


@dataclass(frozen=True)
class FailureWindows:
    """Failed checks before these instants no longer count, per way of counting."""

    order_number: datetime
    email: datetime
    client: datetime

    @property
    def oldest(self) -> datetime:
        """Failures older than every window count nowhere: they can be deleted."""
        return min(self.order_number, self.email, self.client)


@dataclass(frozen=True)
class RecentFailures:
    """Failed checks within their windows: for the order number, the email, the client
    (0 for a client the channel cannot name)."""

    order_number: int
    email: int = 0
    client: int = 0


def failure_window_start(now: datetime, policy: PolicyConfig) -> datetime:
    """Failed checks of an order number before this instant no longer count."""
    return now - policy.identity_window


def failure_windows(now: datetime, policy: PolicyConfig) -> FailureWindows:
    return FailureWindows(
        order_number=failure_window_start(now, policy),
        email=now - policy.identity_email_window,
        client=now - policy.identity_client_window,
    )


def identity_checks_paused(recent_failures: int, policy: PolicyConfig) -> bool:
    """True once the order number had the allowed number of failures within the window."""
    return recent_failures >= policy.identity_failed_checks


def identity_check_refused(recent: RecentFailures, policy: PolicyConfig) -> bool:
    """True once the order number, the email or the client reached its limit."""
    return (
        identity_checks_paused(recent.order_number, policy)
        or recent.email >= policy.identity_email_failed_checks
        or recent.client >= policy.identity_client_failed_checks
    )
