"""Pausing the checks of an order number that failed too often (docs/design.md §6, Identity).

Each conversation stops after three failed checks; this limit holds across conversations,
so opening new chats does not give a guesser new tries. The numbers are in policy.yml.
"""

from __future__ import annotations

from datetime import datetime

from backend.policies.config import PolicyConfig


def failure_window_start(now: datetime, policy: PolicyConfig) -> datetime:
    """Failed checks before this instant no longer count."""
    return now - policy.identity_window


def identity_checks_paused(recent_failures: int, policy: PolicyConfig) -> bool:
    """True once the order number had the allowed number of failures within the window."""
    return recent_failures >= policy.identity_failed_checks
