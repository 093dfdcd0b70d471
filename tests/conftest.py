"""Shared fixtures: a really trained model and the real servers, started once per test run.

The model is trained into var/models (the folder `make run` uses) only when the bot's data or
config changed, so a second test run — or `make run` after `make test` — reuses it.
"""

from __future__ import annotations

import secrets
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
import requests
from support import FROZEN_NOW, load_demo_data

from tools.launcher import Stack, StackConfig, free_port
from tools.model import DEFAULT_MODELS_DIR, ensure_model


@pytest.fixture(scope="session")
def trained_model() -> Path:
    return ensure_model(DEFAULT_MODELS_DIR)


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


@pytest.fixture(scope="session")
def assistant(trained_model: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator:
    """The action server, Rasa server and web server as real subprocesses on free ports."""
    workdir = tmp_path_factory.mktemp("stack")
    database_url = f"sqlite:///{workdir / 'shop.db'}"
    load_demo_data(database_url)
    config = StackConfig(
        model=trained_model,
        rasa_port=free_port(),
        actions_port=free_port(),
        web_port=free_port(),
        auth_token=secrets.token_urlsafe(16),
        agent_token=secrets.token_urlsafe(16),
        tracker_db=workdir / "tracker.db",
        extra_env={"ALLYZURE_DATABASE_URL": database_url, "ALLYZURE_NOW": FROZEN_NOW},
    )
    with Stack(config, log_dir=workdir / "logs") as stack:
        yield RunningAssistant(
            stack=stack,
            rasa_url=config.rasa_url,
            web_url=f"http://127.0.0.1:{config.web_port}",
            auth_token=config.auth_token,
            agent_token=config.agent_token,
            database_url=database_url,
        )


@pytest.fixture
def sender_id() -> str:
    """A fresh conversation for each test."""
    return f"test-{secrets.token_hex(6)}"
