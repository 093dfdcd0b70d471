"""Agents' accounts: argon2 hashes, sessions with a CSRF token, lockout after failures."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import select

from backend.agents import (
    IDLE_TIMEOUT,
    LOCKOUT,
    MAX_FAILED_LOGINS,
    AccountError,
    AgentAccounts,
    LoginRefused,
)
from backend.models import Agent, AgentSession

NOW = datetime(2026, 11, 25, 17, 0, tzinfo=UTC)
PASSWORD = "un-mot-de-passe-solide"


@pytest.fixture
def accounts(session_factory) -> AgentAccounts:
    accounts = AgentAccounts(session_factory)
    accounts.create("Sophie", "Sophie Tremblay", PASSWORD, "agent", NOW)
    return accounts


def test_only_an_argon2_hash_of_the_password_is_stored(accounts, session_factory):
    with session_factory() as session:
        stored = session.scalar(select(Agent)).password_hash

    assert stored.startswith("$argon2id$")
    assert PASSWORD not in stored


def test_the_right_password_opens_a_session_whose_token_is_stored_only_as_a_digest(
    accounts, session_factory
):
    token, signed_in = accounts.sign_in("sophie", PASSWORD, NOW)

    assert signed_in.agent.display_name == "Sophie Tremblay"
    assert accounts.session(token, NOW).csrf_token == signed_in.csrf_token
    with session_factory() as session:
        assert session.scalar(select(AgentSession)).token_hash != token


def test_a_wrong_password_and_an_unknown_name_get_the_same_refusal(accounts):
    with pytest.raises(LoginRefused) as wrong:
        accounts.sign_in("sophie", "pas le bon", NOW)
    with pytest.raises(LoginRefused) as unknown:
        accounts.sign_in("personne", "pas le bon", NOW)

    assert wrong.value.locked is unknown.value.locked is False


def test_repeated_failures_lock_the_account_even_against_the_right_password(accounts):
    for _ in range(MAX_FAILED_LOGINS):
        with pytest.raises(LoginRefused):
            accounts.sign_in("sophie", "pas le bon", NOW)

    with pytest.raises(LoginRefused) as refused:
        accounts.sign_in("sophie", PASSWORD, NOW + timedelta(minutes=1))
    assert refused.value.locked
    token, _ = accounts.sign_in("sophie", PASSWORD, NOW + LOCKOUT + timedelta(seconds=1))
    assert token


def test_logout_and_idleness_end_a_session(accounts):
    token, _ = accounts.sign_in("sophie", PASSWORD, NOW)
    other, _ = accounts.sign_in("sophie", PASSWORD, NOW)

    accounts.sign_out(token)

    assert accounts.session(token, NOW) is None
    assert accounts.session(other, NOW + IDLE_TIMEOUT + timedelta(seconds=1)) is None


@pytest.mark.parametrize(
    ("username", "password", "role"),
    [("sophie", PASSWORD, "agent"), ("marc", "court", "agent"), ("marc", PASSWORD, "boss")],
)
def test_duplicate_names_short_passwords_and_unknown_roles_are_refused(
    accounts, username, password, role
):
    with pytest.raises(AccountError):
        accounts.create(username, "Quelqu’un", password, role, NOW)
