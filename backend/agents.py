"""Support agents' named accounts and browser sessions (issue 18).

Passwords are hashed with argon2id (argon2-cffi, its recommended parameters); only the hash
is stored. After `MAX_FAILED_LOGINS` wrong passwords in a row an account is locked for
`LOCKOUT`, whether the next password is right or not, so a guesser gets a handful of tries
per quarter hour. An unknown user name costs the same hash verification as a known one, and
gets the same refusal: the answer never tells which names exist.

A session is a random token kept in an HttpOnly cookie; the database keeps only its SHA-256
and the session's CSRF token, which every state-changing request must echo in a header
(web/workspace.py). Sessions end at logout, after `IDLE_TIMEOUT` without a request, or when
the account is deleted. Times come from the caller (`now`): the wall clock in the web server.
"""

from __future__ import annotations

import hashlib
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta
from functools import cache

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from sqlalchemy import delete, select
from sqlalchemy.orm import sessionmaker

from backend.db import unit_of_work
from backend.models import Agent, AgentSession

MAX_FAILED_LOGINS = 5
LOCKOUT = timedelta(minutes=15)
IDLE_TIMEOUT = timedelta(hours=8)
ROLES = ("agent", "lead")
MIN_PASSWORD_LENGTH = 10


class AccountError(ValueError):
    """An account cannot be created as asked (duplicate name, weak password, bad role)."""


class LoginRefused(Exception):
    """Wrong name or password (`locked` False), or an account locked for now (`locked`)."""

    def __init__(self, locked: bool = False) -> None:
        super().__init__("locked" if locked else "invalid")
        self.locked = locked


@dataclass(frozen=True)
class AgentView:
    id: int
    username: str
    display_name: str
    role: str

    @property
    def is_lead(self) -> bool:
        return self.role == "lead"


@dataclass(frozen=True)
class SignedIn:
    agent: AgentView
    csrf_token: str


@cache
def password_hasher() -> PasswordHasher:
    return PasswordHasher()


@cache
def _decoy_hash() -> str:
    """Verified against when the name is unknown, so both refusals cost the same."""
    return password_hasher().hash(secrets.token_urlsafe(16))


def token_digest(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def _view(agent: Agent) -> AgentView:
    return AgentView(agent.id, agent.username, agent.display_name, agent.role)


class AgentAccounts:
    def __init__(self, session_factory: sessionmaker) -> None:
        self._session_factory = session_factory

    def create(
        self, username: str, display_name: str, password: str, role: str, now: datetime
    ) -> AgentView:
        username = username.strip().lower()
        if not username or not display_name.strip():
            raise AccountError("a user name and a display name are needed")
        if role not in ROLES:
            raise AccountError(f"role must be one of {', '.join(ROLES)}")
        if len(password) < MIN_PASSWORD_LENGTH:
            raise AccountError(f"the password needs at least {MIN_PASSWORD_LENGTH} characters")
        with unit_of_work(self._session_factory) as session:
            if session.scalar(select(Agent).where(Agent.username == username)):
                raise AccountError(f"an agent named {username!r} already exists")
            agent = Agent(
                username=username,
                display_name=display_name.strip(),
                password_hash=password_hasher().hash(password),
                role=role,
                failed_logins=0,
                created_at=now,
            )
            session.add(agent)
            session.flush()
            return _view(agent)

    def sign_in(self, username: str, password: str, now: datetime) -> tuple[str, SignedIn]:
        """(the session token for the cookie, the signed-in agent); raises LoginRefused."""
        with unit_of_work(self._session_factory) as session:
            agent = session.scalar(
                select(Agent).where(Agent.username == (username or "").strip().lower())
            )
            if agent is None:
                _verify(_decoy_hash(), password)
                raise LoginRefused()
            if agent.locked_until is not None and agent.locked_until > now:
                _verify(_decoy_hash(), password)
                raise LoginRefused(locked=True)
            if not _verify(agent.password_hash, password):
                agent.failed_logins += 1
                if agent.failed_logins >= MAX_FAILED_LOGINS:
                    agent.locked_until, agent.failed_logins = now + LOCKOUT, 0
                session.commit()
                raise LoginRefused(
                    locked=agent.locked_until is not None and agent.locked_until > now
                )
            agent.failed_logins, agent.locked_until = 0, None
            if password_hasher().check_needs_rehash(agent.password_hash):
                agent.password_hash = password_hasher().hash(password)
            token, csrf = secrets.token_urlsafe(32), secrets.token_urlsafe(32)
            session.add(
                AgentSession(
                    token_hash=token_digest(token),
                    csrf_token=csrf,
                    agent_id=agent.id,
                    created_at=now,
                    last_seen_at=now,
                )
            )
            return token, SignedIn(_view(agent), csrf)

    def session(self, token: str | None, now: datetime) -> SignedIn | None:
        """The agent behind a session cookie, or None (unknown, expired); refreshes it."""
        if not token:
            return None
        with unit_of_work(self._session_factory) as session:
            row = session.scalar(
                select(AgentSession).where(AgentSession.token_hash == token_digest(token))
            )
            if row is None:
                return None
            if row.last_seen_at + IDLE_TIMEOUT < now:
                session.delete(row)
                return None
            row.last_seen_at = now
            return SignedIn(_view(row.agent), row.csrf_token)

    def sign_out(self, token: str | None) -> None:
        if not token:
            return
        with unit_of_work(self._session_factory) as session:
            session.execute(
                delete(AgentSession).where(AgentSession.token_hash == token_digest(token))
            )

    def by_id(self, agent_id: int) -> AgentView | None:
        with unit_of_work(self._session_factory) as session:
            agent = session.get(Agent, agent_id)
            return _view(agent) if agent else None


def _verify(password_hash: str, password: str) -> bool:
    try:
        return password_hasher().verify(password_hash, password or "")
    except (VerificationError, InvalidHashError):
        return False
