"""Shared fixtures: a really trained model and the real servers, started once per test run.

The model is trained into var/models (the folder `make run` uses) only when the bot's data or
config changed, so a second test run — or `make run` after `make test` — reuses it.
"""

from __future__ import annotations

import os
import secrets
from collections.abc import Iterator
from pathlib import Path

import pytest
from stacks import default_assistant, production_assistant

from tools.model import DEFAULT_MODELS_DIR, ensure_model


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
def sender_id() -> str:
    """A fresh conversation for each test."""
    return f"test-{secrets.token_hex(6)}"
