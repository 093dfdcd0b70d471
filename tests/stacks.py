"""The product started for tests, in either profile (importable as `stacks`: tests/ is on
sys.path). Real subprocesses on free ports, a throw-away data folder, the demo shop."""

from __future__ import annotations

import secrets
import shutil
import subprocess
import tempfile
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import requests
from support import FROZEN_NOW, load_demo_data

from tools.launcher import Stack, StackConfig, free_port
from tools.prod import ENSURE_INFRA, ProductionConfig, ProductionStack


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


def stack_config(model: Path, workdir: Path, extra_env: dict[str, str]) -> StackConfig:
    return StackConfig(
        model=model,
        rasa_port=free_port(),
        actions_port=free_port(),
        web_port=free_port(),
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


@contextmanager
def default_assistant(model: Path, workdir: Path) -> Iterator[RunningAssistant]:
    """The default profile: one action server, one Rasa server, SQLite everywhere."""
    database_url = f"sqlite:///{workdir / 'shop.db'}"
    load_demo_data(database_url)
    config = stack_config(model, workdir, {"ALLYZURE_DATABASE_URL": database_url})
    with Stack(config, log_dir=workdir / "logs") as stack:
        yield running(stack, database_url)


@contextmanager
def postgres_reachable_directory() -> Iterator[Path]:
    """A throw-away folder the `postgres` user can enter (pytest's tmp folders are 0700 root's
    when the tests run as root, and PostgreSQL then runs as `postgres`)."""
    folder = Path(tempfile.mkdtemp(prefix="allyzure-prod-"))
    folder.chmod(0o755)
    try:
        yield folder
    finally:
        shutil.rmtree(folder, ignore_errors=True)


def production_config(
    model: Path,
    workdir: Path,
    data_dir: Path,
    *,
    postgres_port: int | None = None,
    prepare: Callable[[str], None] = load_demo_data,
    extra_env: dict[str, str] | None = None,
) -> ProductionConfig:
    subprocess.run(["bash", str(ENSURE_INFRA)], check=True)
    return ProductionConfig(
        stack=stack_config(model, workdir, {}),
        data_dir=data_dir,
        postgres_port=postgres_port or free_port(),
        redis_port=free_port(),
        prepare_shop_database=prepare,
        extra_env=extra_env or {},
    )


@contextmanager
def production_assistant(model: Path, workdir: Path) -> Iterator[RunningAssistant]:
    """The production profile (tools/prod.py): PostgreSQL, Redis, 2 Rasa + 2 action servers
    behind nginx, on free ports, in a throw-away data folder."""
    with postgres_reachable_directory() as data_dir:
        config = production_config(model, workdir, data_dir)
        with ProductionStack(config, log_dir=workdir / "logs") as stack:
            yield running(stack, config.shop_database_url)
