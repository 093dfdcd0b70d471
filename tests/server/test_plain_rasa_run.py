"""Rasa started by hand with the project's configuration is served like `make run`: the
protections come with the project's channels and tracker store (server/channels/customer.py),
not with a launcher of ours. `make run` starts the same `rasa run` (tools/launcher.py)."""

from __future__ import annotations

import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
import requests

from server.http_guard import too_long_text
from tools.launcher import CHANNEL_DEFAULTS, Service, free_port
from tools.model import BOT_DIR, rasa_environment

pytestmark = pytest.mark.slow

OVER_LONG = "bonjour " * 300  # 2,400 characters, over the 2,000 allowed


def plain_environment(tracker_db: Path) -> dict[str, str]:
    """What bot/endpoints.yml and credentials.yml read, and nothing of the launcher's."""
    env = {
        **rasa_environment(),
        **CHANNEL_DEFAULTS,
        "ACTION_SERVER_URL": "http://127.0.0.1:9/webhook",
        "ACTION_SERVER_TOKEN": "not-used-by-these-tests",
        "TRACKER_DB_PATH": str(tracker_db),
        "AGENT_API_TOKEN": "",
    }
    env.pop("RASA_AUTH_TOKEN", None)
    return env


def rasa_run(*options: str) -> list[str]:
    return [
        sys.executable,
        "-m",
        "rasa",
        "run",
        "--endpoints",
        "endpoints.yml",
        "--credentials",
        "credentials.yml",
        *options,
    ]


@pytest.fixture(scope="module")
def plain_rasa(trained_model: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """`rasa run` in bot/, as its documentation says to start it: no API, no launcher."""
    port = free_port()
    workdir = tmp_path_factory.mktemp("plain-rasa")
    service = Service(
        name="plain rasa",
        command=rasa_run("--model", str(trained_model), "--port", str(port)),
        # Rasa loads the model before it serves (a before_server_start listener): once the
        # REST channel answers, the assistant is ready.
        health_url=f"http://127.0.0.1:{port}/webhooks/rest/",
        cwd=BOT_DIR,
        env=plain_environment(workdir / "tracker.db"),
        log=(workdir / "rasa.log").open("wb"),
    )
    service.start()
    try:
        service.wait_until_ready()
        yield f"http://127.0.0.1:{port}"
    finally:
        service.stop()


def test_a_plain_rasa_run_refuses_an_over_long_message_with_the_french_answer(plain_rasa):
    response = requests.post(
        f"{plain_rasa}/webhooks/rest/webhook",
        json={"sender": "plain-1", "message": OVER_LONG},
        timeout=60,
    )

    assert response.status_code == 200
    assert [reply["text"] for reply in response.json()] == [too_long_text(2000)]


def test_make_run_refuses_an_over_long_message_with_the_same_answer(assistant):
    replies = assistant.send("make-run-1", OVER_LONG)

    assert [reply["text"] for reply in replies] == [too_long_text(2000)]


def test_a_plain_rasa_run_refuses_to_open_its_http_api_without_a_token(tmp_path):
    result = subprocess.run(
        rasa_run("--enable-api", "--port", str(free_port())),
        cwd=BOT_DIR,
        env=plain_environment(tmp_path / "tracker.db"),
        capture_output=True,
        text=True,
        timeout=600,
    )

    assert result.returncode != 0
    assert "The HTTP API needs a token" in result.stdout + result.stderr
