"""The product started for tests, in either profile (importable as `stacks`: tests/ is on
sys.path). Real subprocesses on free ports, a throw-away data folder, the demo shop."""

from __future__ import annotations

import secrets
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import requests
from support import FROZEN_NOW, load_demo_data

from tools.launcher import Stack, StackConfig, free_port
from tools.prod import ProductionStack, scratch_production_config


@dataclass(frozen=True)
class RunningAssistant:
    """What a test needs to talk to the running product over HTTP."""

    stack: Stack
    rasa_url: str
    web_url: str
    auth_token: str
    agent_token: str
    database_url: str

    def send(self, sender: str, message: str) -> list[dict]:
        response = requests.post(
            f"{self.rasa_url}/webhooks/rest/webhook",
            json={"sender": sender, "message": message},
            timeout=60,
        )
        response.raise_for_status()
        return response.json()

    def texts(self, sender: str, message: str) -> list[str]:
        return [reply["text"] for reply in self.send(sender, message) if "text" in reply]

    def tracker(self, sender: str) -> dict:
        response = requests.get(
            f"{self.rasa_url}/conversations/{sender}/tracker",
            params={"token": self.auth_token},
            timeout=60,
        )
        response.raise_for_status()
        return response.json()


def stack_config(
    model: Path, workdir: Path, extra_env: dict[str, str], *, web: bool = True
) -> StackConfig:
    """Free ports, fresh tokens, the suite's frozen "now"; `web=False`: no web server."""
    return StackConfig(
        model=model,
        rasa_port=free_port(),
        actions_port=free_port(),
        web_port=free_port() if web else None,
        auth_token=secrets.token_urlsafe(16),
        agent_token=secrets.token_urlsafe(16),
        tracker_db=workdir / "tracker.db",
        extra_env={"ALLYZURE_NOW": FROZEN_NOW, **extra_env},
    )


def running(stack: Stack, database_url: str) -> RunningAssistant:
    config = stack.config
    return RunningAssistant(
        stack=stack,
        rasa_url=config.rasa_url,
        web_url=f"http://127.0.0.1:{config.web_port}",
        auth_token=config.auth_token,
        agent_token=config.agent_token,
        database_url=database_url,
    )


def demo_shop(workdir: Path) -> str:
    """The URL of a new SQLite shop in `workdir` holding the demo data."""
    database_url = f"sqlite:///{workdir / 'shop.db'}"
    load_demo_data(database_url)
    return database_url


@contextmanager
def default_assistant(model: Path, workdir: Path) -> Iterator[RunningAssistant]:
    """The default profile: one action server, one Rasa server, SQLite everywhere."""
    database_url = demo_shop(workdir)
    config = stack_config(model, workdir, {"ALLYZURE_DATABASE_URL": database_url})
    with Stack(config, log_dir=workdir / "logs") as stack:
        yield running(stack, database_url)


@contextmanager
def production_assistant(model: Path, workdir: Path) -> Iterator[RunningAssistant]:
    """The production profile (tools/prod.py): PostgreSQL, Redis, 2 Rasa + 2 action servers
    behind nginx, on free ports, in a throw-away data folder."""
    with (
        scratch_production_config(stack_config(model, workdir, {}), load_demo_data) as config,
        ProductionStack(config, log_dir=workdir / "logs") as stack,
    ):
        yield running(stack, config.shop_database_url)
