"""Test support shared by the suites (importable as `support`: tests/ is on sys.path)."""

from __future__ import annotations

import atexit
import io
import os
import secrets
import shutil
import subprocess
import sys
import tempfile
import unicodedata
from contextlib import redirect_stderr, redirect_stdout
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any
from unittest import mock

import yaml
from sqlalchemy.engine import make_url

from backend.__main__ import main as backend_cli
from backend.config import load_settings
from backend.services import ShopService, build_shop_service
from tools.model import PROJECT_ROOT

# Every end-to-end answer is computed as if it were this moment (docs/design.md: ALLYZURE_NOW).
FROZEN_NOW = "2026-11-25T12:00:00-05:00"
DEMO_FIXTURE = PROJECT_ROOT / "backend" / "fixture_data" / "demo.yml"


PREVIEW_FIXTURE = PROJECT_ROOT / "tests" / "fixtures" / "preview_orders.yml"
# Orders on the policy edges of issue 15 (engraved-only, last return day, Oregon…).
EDGES_FIXTURE = PROJECT_ROOT / "tests" / "fixtures" / "policy_edges.yml"
# Orders for the detail conversations of issue 16 (one item of two, defective return…).
DETAILS_FIXTURE = PROJECT_ROOT / "tests" / "fixtures" / "details_orders.yml"
# A second shop (customers @exemple.net, orders AZ2051xx) for the second FAQ conversation set.
SECOND_SHOP_FIXTURE = PROJECT_ROOT / "tests" / "fixtures" / "faq_second_shop.yml"
# Another shop (customers @exemple.org, orders AZ3061xx) for the fresh end-to-end scenarios.
FRESH_FIXTURE = PROJECT_ROOT / "tests" / "fixtures" / "fresh_scenarios.yml"


def read_yaml(path: Path) -> Any:
    """What yaml.safe_load reads from `path`, parsed by libyaml (~10× faster: several test
    modules read the domain when they are collected, in each test process)."""
    return yaml.load(path.read_text(encoding="utf-8"), Loader=yaml.CSafeLoader)


def load_demo_data(database_url: str) -> None:
    """Migrate and load the demo shop (and the orders reserved for the agent-assist tests)
    through the real CLI's `main`, as `make run` does — in this process, which has imported
    the backend already (tests/backend/test_backend_cli.py runs the CLI as a command).

    A new SQLite file gets a copy of the shop loaded so once per test process: the same
    bytes, without migrating and loading five fixture files again (~1.5 s each time).
    """
    target = sqlite_file(database_url)
    if target is not None and (not target.exists() or target.stat().st_size == 0):
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copy2(_demo_shop_file(), target)  # copy2: the owner-only mode too
    else:
        _load_demo_fixtures(database_url)


def sqlite_file(database_url: str) -> Path | None:
    url = make_url(database_url)
    if url.get_backend_name() != "sqlite" or url.database in (None, "", ":memory:"):
        return None
    return Path(url.database)


@cache
def _demo_shop_file() -> Path:
    folder = Path(tempfile.mkdtemp(prefix="allyzure-demo-shop-"))
    atexit.register(shutil.rmtree, folder, ignore_errors=True)
    _load_demo_fixtures(f"sqlite:///{folder / 'shop.db'}")
    return folder / "shop.db"


def _load_demo_fixtures(database_url: str) -> None:
    env = {"ALLYZURE_DATABASE_URL": database_url, "ALLYZURE_NOW": FROZEN_NOW}
    fixtures = (
        (DEMO_FIXTURE, ["--replace"]),
        (PREVIEW_FIXTURE, []),
        (EDGES_FIXTURE, []),
        (DETAILS_FIXTURE, []),
        (SECOND_SHOP_FIXTURE, []),
        (FRESH_FIXTURE, []),
    )
    output = io.StringIO()
    with mock.patch.dict(os.environ, env), redirect_stdout(output), redirect_stderr(output):
        for fixture, options in fixtures:
            status = backend_cli(["load-fixtures", str(fixture), *options])
            if status != 0:
                raise RuntimeError(f"loading {fixture} failed ({status}): {output.getvalue()}")


def joined(texts: list[str]) -> str:
    """The bot's answers as one text, no-break spaces as plain ones (easier to assert on)."""
    return "\n".join(texts).replace("\u00a0", " ").replace("\u202f", " ")


def plain(text: str) -> str:
    """Lower case, no accents, straight apostrophes, plain spaces: to look for a fact in an
    answer, not for its typography."""
    text = text.replace("\u00a0", " ").replace("\u202f", " ").replace("’", "'").lower()
    return "".join(c for c in unicodedata.normalize("NFKD", text) if not unicodedata.combining(c))


def mentions(answer: str, name: str) -> bool:
    return plain(name) in plain(answer)


def not_understood(answer: str) -> bool:
    return "pas bien compris" in plain(answer) or "reformuler" in plain(answer)


class Conversation:
    """One customer's conversation with a running stack; every turn is printed, so a failure
    shows the transcript."""

    def __init__(self, assistant, sender: str) -> None:
        self.assistant = assistant
        self.sender = sender

    def say(self, message: str) -> str:
        replies = self.assistant.send(self.sender, message)
        answer = joined([reply["text"] for reply in replies if "text" in reply])
        buttons = [b["title"] for reply in replies for b in reply.get("buttons", [])]
        print(
            f"\nCLIENT: {message}\nBOT: {answer}" + (f"\n  [boutons: {buttons}]" if buttons else "")
        )
        return answer

    def active_loop(self) -> str | None:
        loop = self.assistant.tracker(self.sender).get("active_loop") or {}
        return loop.get("name")


def requests_of(shop: ShopService, order_number: str, email: str):
    return shop.order_summary(order_number, email).requests


def shop_service_on(database_url: str, monkeypatch) -> ShopService:
    """The backend service on a running stack's database, to check what a conversation wrote."""
    monkeypatch.setenv("ALLYZURE_DATABASE_URL", database_url)
    monkeypatch.setenv("ALLYZURE_NOW", FROZEN_NOW)
    return build_shop_service(load_settings())


@dataclass(frozen=True)
class Account:
    """An agent's account of the workspace (/agent/)."""

    username: str
    name: str
    password: str


def create_agent(database_url: str, name: str, role: str = "agent") -> Account:
    """A fresh account through `python -m backend create-agent` (unique per call)."""
    username = f"{name.split()[0].lower()}-{secrets.token_hex(3)}"
    password = secrets.token_urlsafe(12)
    subprocess.run(
        [sys.executable, "-m", "backend", "create-agent", username, "--name", name,
         "--role", role, "--password-stdin"],
        input=password + "\n", text=True, cwd=PROJECT_ROOT, check=True, capture_output=True,
        env={**os.environ, "ALLYZURE_DATABASE_URL": database_url},
    )  # fmt: skip
    return Account(username, name, password)
