"""`python -m backend …` run as a subprocess, the way `make run` and people run it."""

import hashlib
import os
import subprocess
import sys
from pathlib import Path

import pytest
from sqlalchemy.engine import make_url

from backend.db import make_engine
from tests.backend.builders import database_snapshot

PROJECT_ROOT = Path(__file__).resolve().parents[2]
EXAMPLE = Path(__file__).resolve().parents[1] / "fixtures" / "example.yml"
NOW = "2026-11-25T14:12:30-05:00"
# Each test starts the command in a separate process: `make test` runs them, not test-fast.
pytestmark = pytest.mark.slow


@pytest.fixture
def cli_database_url(database_url, session_factory, tmp_path) -> str:
    """PostgreSQL: the test database (emptied after the test); SQLite: a fresh file."""
    if make_url(database_url).get_backend_name() == "postgresql":
        return database_url
    return f"sqlite:///{tmp_path / 'cli.db'}"


def run_backend(database_url: str, *arguments: str) -> subprocess.CompletedProcess:
    environment = dict(os.environ, ALLYZURE_DATABASE_URL=database_url, ALLYZURE_NOW=NOW)
    return subprocess.run(
        [sys.executable, "-m", "backend", *arguments],
        cwd=PROJECT_ROOT,
        env=environment,
        capture_output=True,
        text=True,
        timeout=120,
    )


def file_digest(database_url: str) -> str | None:
    url = make_url(database_url)
    if url.get_backend_name() != "sqlite":
        return None
    return hashlib.sha256(Path(url.database).read_bytes()).hexdigest()


def test_loading_the_example_twice_with_replace_changes_nothing_the_second_time(cli_database_url):
    first = run_backend(cli_database_url, "load-fixtures", str(EXAMPLE), "--replace")
    engine = make_engine(cli_database_url)
    snapshot, digest = database_snapshot(engine), file_digest(cli_database_url)

    second = run_backend(cli_database_url, "load-fixtures", str(EXAMPLE), "--replace")

    assert (first.returncode, second.returncode) == (0, 0), first.stderr + second.stderr
    assert "orders      created 8" in first.stdout
    assert "nothing changed" in second.stdout
    assert "orders      created 0, updated 0, unchanged 8, deleted 0" in second.stdout
    assert database_snapshot(engine) == snapshot
    assert file_digest(cli_database_url) == digest  # not a single byte written
    engine.dispose()


def test_invalid_file_exits_2_with_located_errors_and_writes_nothing(cli_database_url, tmp_path):
    broken = tmp_path / "demo.yml"
    text = EXAMPLE.read_text(encoding="utf-8")
    broken.write_text(text.replace("sku: BR-JONC-OR, quantity", "sku: XX, quantity", 1))

    result = run_backend(cli_database_url, "load-fixtures", str(broken))

    assert result.returncode == 2
    assert f"{broken}: orders[0].lines[0].sku: unknown product 'XX'" in result.stderr.splitlines()
    engine = make_engine(cli_database_url)
    assert not any(database_snapshot(engine).values())
    engine.dispose()


def test_init_demo_loads_the_demo_only_into_an_empty_database(cli_database_url):
    first = run_backend(cli_database_url, "init-demo")
    second = run_backend(cli_database_url, "init-demo")

    assert first.returncode == second.returncode == 0
    assert "orders      created 8" in first.stdout
    assert "already holds 8 order(s)" in second.stdout


def test_migrate_and_show_order(cli_database_url):
    assert run_backend(cli_database_url, "migrate").returncode == 0
    run_backend(cli_database_url, "init-demo")

    shown = run_backend(cli_database_url, "show-order", "#104201")
    missing = run_backend(cli_database_url, "show-order", "AZ999999")

    assert shown.returncode == 0
    assert shown.stdout.startswith("AZ104201  Traitement")
    assert "CL-PRENOM-AG" in shown.stdout
    assert missing.returncode == 2


def test_malformed_now_is_reported(cli_database_url):
    environment = dict(os.environ, ALLYZURE_DATABASE_URL=cli_database_url, ALLYZURE_NOW="hier")
    result = subprocess.run(
        [sys.executable, "-m", "backend", "migrate"],
        cwd=PROJECT_ROOT,
        env=environment,
        capture_output=True,
        text=True,
        timeout=120,
    )

    assert result.returncode == 2
    assert "ALLYZURE_NOW" in result.stderr
