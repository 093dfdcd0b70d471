"""Deployment profiles the benchmark can start: a registry of context-manager factories.

A factory receives a `ProfileSetup` and yields a `RunningProfile` once the profile answers;
leaving the context stops every process it started. Each profile owns its shop database
(SQLite file, PostgreSQL cluster, …): it creates it, then calls
`setup.prepare_shop_database(url)` before starting the action servers, so the bench loads its
own customers into whatever database the profile uses.
"""

from __future__ import annotations

import secrets
from collections.abc import Callable, Iterator
from contextlib import AbstractContextManager, contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Protocol

from tools.launcher import Stack, StackConfig, free_port


@dataclass(frozen=True)
class ProfileSetup:
    """What the bench gives a profile: a scratch folder, the trained model, the shop data
    loader and extra environment for every service (ALLYZURE_NOW)."""

    workdir: Path
    model: Path
    prepare_shop_database: Callable[[str], None]
    extra_env: dict[str, str] = field(default_factory=dict)


class RunningProfile(Protocol):
    """A started profile: where Rasa and the action servers answer (their public address),
    the shop database, and the processes to measure."""

    rasa_url: str
    actions_url: str
    auth_token: str
    shop_database_url: str
    # The shared secret the action servers require (server/action_server.py): the in-process
    # profile of a turn (bench/profiling.py) calls them as the Rasa server does.
    action_token: str

    def pids(self) -> dict[str, int]:
        """Service name → pid of each process the profile started (children are found)."""


ProfileFactory = Callable[[ProfileSetup], AbstractContextManager[RunningProfile]]


@dataclass(frozen=True)
class RunningStack:
    """A `tools.launcher.Stack` (or a subclass) seen as a running profile."""

    stack: Stack
    rasa_url: str
    actions_url: str
    auth_token: str
    shop_database_url: str
    action_token: str

    def pids(self) -> dict[str, int]:
        return {
            service.name: service.process.pid
            for service in self.stack.services
            if service.process is not None
        }


def stack_config(setup: ProfileSetup, tracker_db: Path, extra_env: dict[str, str]) -> StackConfig:
    """Free ports, fresh tokens, no web server (the bench talks to Rasa only)."""
    return StackConfig(
        model=setup.model,
        rasa_port=free_port(),
        actions_port=free_port(),
        web_port=None,
        auth_token=secrets.token_urlsafe(16),
        action_token=secrets.token_urlsafe(32),
        tracker_db=tracker_db,
        extra_env={**setup.extra_env, **extra_env},
    )


@contextmanager
def start_default(setup: ProfileSetup) -> Iterator[RunningProfile]:
    """The default profile (`make run`): one action server, one Rasa server, SQLite shop
    database and SQLite tracker store, all under the bench's scratch folder."""
    database_url = f"sqlite:///{setup.workdir / 'shop.db'}"
    setup.prepare_shop_database(database_url)
    config = stack_config(
        setup, setup.workdir / "tracker.db", {"ALLYZURE_DATABASE_URL": database_url}
    )
    with Stack(config, log_dir=setup.workdir / "logs") as stack:
        yield RunningStack(
            stack,
            config.rasa_url,
            config.actions_url,
            config.auth_token,
            database_url,
            config.action_token,
        )


# --- production profile ------------------------------------------------------------------
# PostgreSQL tracker store + Redis lock store + several Rasa and action processes behind
# nginx, started by tools/prod.py (`ProductionStack`). The bench needs nothing more than a
# factory with the same signature as `start_default`; it is imported only when the profile is
# asked for, so the default profile runs on a checkout without tools/prod.py.


@contextmanager
def start_production(setup: ProfileSetup) -> Iterator[RunningProfile]:
    """The production profile of tools/prod.py; its shop database is its PostgreSQL one."""
    from tools.prod import ProductionStack, scratch_production_config

    with (
        scratch_production_config(
            stack_config(setup, setup.workdir / "unused-tracker.db", {}),
            setup.prepare_shop_database,
            extra_env=dict(setup.extra_env),
        ) as config,
        ProductionStack(config, log_dir=setup.workdir / "logs") as stack,
    ):
        yield RunningStack(
            stack,
            config.stack.rasa_url,
            config.stack.actions_url,
            config.stack.auth_token,
            config.shop_database_url,
            config.stack.action_token,
        )


PROFILES: dict[str, ProfileFactory] = {
    "default": start_default,
    "production": start_production,
}
