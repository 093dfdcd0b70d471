"""Backend test fixtures: a real database, migrated with Alembic, emptied after each test.

By default the database is a temporary SQLite file, created and migrated once per test
session. To run the same suite against PostgreSQL, point ALLYZURE_TEST_DATABASE_URL at
a throwaway database (its `public` schema is dropped and re-created at the start):

    ALLYZURE_TEST_DATABASE_URL=postgresql://allyzure@localhost:5432/allyzure_test \
        .venv/bin/python -m pytest tests/backend -q

Each test that uses `session_factory` (directly or through `shop`) finds empty tables
and leaves them empty: every table is emptied after the test. The CLI tests run
`python -m backend` on that same database (SQLite: a fresh file per test).
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterator
from datetime import datetime
from functools import cache

import pytest
from argon2 import PasswordHasher
from sqlalchemy import text
from sqlalchemy.engine import Engine, make_url
from sqlalchemy.orm import sessionmaker

from backend import agents
from backend.clock import FixedClock
from backend.db import make_engine, make_session_factory
from backend.migrate import migrate
from backend.models import Base
from backend.policies import PolicyConfig
from backend.services import ShopService
from tests.backend.builders import policy_config

TEST_DATABASE_VARIABLE = "ALLYZURE_TEST_DATABASE_URL"


def _postgres_url() -> str | None:
    return os.environ.get(TEST_DATABASE_VARIABLE) or None


@pytest.fixture(scope="session", autouse=True)
def cheap_password_hashing() -> Iterator[None]:
    """argon2id still, at its lowest cost: with the recommended parameters (64 MiB, three
    passes) every sign-in, refusal and account of these tests cost ~0.3 s of CPU, a third of
    the backend suite. What is checked (an argon2id hash, never the password; the same
    refusal for a wrong password and an unknown name) does not depend on the cost."""
    cheap = PasswordHasher(time_cost=1, memory_cost=8, parallelism=1)
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(agents, "password_hasher", cache(lambda: cheap))
        agents._decoy_hash.cache_clear()
        yield
    agents._decoy_hash.cache_clear()


@pytest.fixture(scope="session")
def database_url(tmp_path_factory: pytest.TempPathFactory) -> str:
    url = _postgres_url()
    if url:
        return url
    return f"sqlite:///{tmp_path_factory.mktemp('database') / 'shop.db'}"


@pytest.fixture(scope="session")
def engine(database_url: str) -> Iterator[Engine]:
    engine = make_engine(database_url)
    if make_url(database_url).get_backend_name() == "postgresql":
        with engine.begin() as connection:
            connection.execute(text("DROP SCHEMA public CASCADE"))
            connection.execute(text("CREATE SCHEMA public"))
    migrate(engine)
    yield engine
    engine.dispose()


def empty_all_tables(engine: Engine) -> None:
    with engine.begin() as connection:
        for table in reversed(Base.metadata.sorted_tables):
            connection.execute(table.delete())


@pytest.fixture
def session_factory(engine: Engine) -> Iterator[sessionmaker]:
    yield make_session_factory(engine)
    empty_all_tables(engine)


@pytest.fixture(scope="session")
def policy() -> PolicyConfig:
    """The tests' own policy (builders.policy_config), not the shipped file."""
    return policy_config()


@pytest.fixture
def make_shop(
    session_factory: sessionmaker, policy: PolicyConfig
) -> Callable[[datetime], ShopService]:
    """A ShopService on the test database whose clock is stopped at `now`."""

    def build(now: datetime) -> ShopService:
        return ShopService(session_factory, FixedClock(now), policy)

    return build
