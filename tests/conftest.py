"""Shared fixtures: a really trained model and the real servers, started once per test run;
a demo shop of one's own and a real SMTP mailbox for a test.

The model is trained into var/models (the folder `make run` uses) only when the bot's data or
config changed, so a second test run — or `make run` after `make test` — reuses it.
"""

from __future__ import annotations

import os
import secrets
from collections.abc import Iterator
from pathlib import Path

import pytest
from actions.shop import help_desk, shop_service
from smtp_mailbox import Mailbox, running_mailbox
from stacks import default_assistant, production_assistant
from support import FROZEN_NOW, load_demo_data

from tools.model import DEFAULT_MODELS_DIR, ensure_model

# Fixtures that train a model, start servers or a browser: a test using one is `slow`, and
# `make test-fast` (-m "not slow") leaves it to `make test`. Stress tests whose time is mostly
# waiting (twenty threads racing on one database, a launcher restarting its processes) are
# marked `slow` where they are written.
SLOW_FIXTURES = frozenset(
    {"trained_model", "assistant", "production", "browser", "channel_stack", "plain_rasa"}
)


# `make test-fast` runs in two processes (pytest-xdist, --dist loadgroup): the bot tests run
# their actions on spaCy's French analysis of the message (tests/bot/action_helpers.py), and
# one process loading that model (~12 s of CPU) is enough.
SPACY_TESTS = Path(__file__).parent / "bot"


# tryfirst: xdist reads the groups in its own pytest_collection_modifyitems, which pytest
# would otherwise call before this one (a group added later is silently ignored).
@pytest.hookimpl(tryfirst=True)
def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    for item in items:
        if SLOW_FIXTURES & set(getattr(item, "fixturenames", ())):
            item.add_marker(pytest.mark.slow)
        if item.path.is_relative_to(SPACY_TESTS):
            item.add_marker(pytest.mark.xdist_group("spacy"))


@pytest.fixture(scope="session")
def trained_model() -> Path:
    return ensure_model(DEFAULT_MODELS_DIR)


@pytest.fixture(scope="session")
def assistant(trained_model: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator:
    """The product as real subprocesses on free ports, in the profile ALLYZURE_TEST_PROFILE
    names (`default`, or `production` for `make test-prod`)."""
    workdir = tmp_path_factory.mktemp("stack")
    if os.environ.get("ALLYZURE_TEST_PROFILE", "default") == "production":
        with production_assistant(trained_model, workdir) as running:
            yield running
    else:
        with default_assistant(trained_model, workdir) as running:
            yield running


@pytest.fixture
def own_shop(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator:
    """The action server's service on a demo shop nobody else writes to, at the suite's
    frozen "now": for tests that create requests, cancel orders or pause checks."""
    url = f"sqlite:///{tmp_path / 'shop.db'}"
    load_demo_data(url)
    monkeypatch.setenv("ALLYZURE_DATABASE_URL", url)
    monkeypatch.setenv("ALLYZURE_NOW", FROZEN_NOW)
    shop_service.cache_clear()
    help_desk.cache_clear()
    yield shop_service()
    shop_service.cache_clear()
    help_desk.cache_clear()


@pytest.fixture
def mailbox() -> Iterator[Mailbox]:
    """A real SMTP server on a free port; `.messages` holds what it received."""
    with running_mailbox() as mailbox:
        yield mailbox


@pytest.fixture
def sender_id() -> str:
    """A fresh conversation for each test."""
    return f"test-{secrets.token_hex(6)}"
