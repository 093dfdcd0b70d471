"""`make run`'s launcher: starts the whole stack, and Ctrl-C stops every process it started."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
import requests
from support import FROZEN_NOW, load_demo_data

from tools.launcher import free_port
from tools.model import LOG_DIR, PROJECT_ROOT, rasa_environment


def processes_using(port: int) -> list[int]:
    """Pids of live processes whose command line names `port` (every process of the stack does)."""
    found = []
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            cmdline = (entry / "cmdline").read_bytes().replace(b"\0", b" ").decode()
            state = (entry / "stat").read_text().split()[2]
        except OSError:
            continue
        if f" {port}" in cmdline and "pytest" not in cmdline and state != "Z":
            found.append(int(entry.name))
    return found


def test_ctrl_c_stops_every_process_the_launcher_started(trained_model, tmp_path):
    rasa_port, actions_port, web_port = free_port(), free_port(), free_port()
    database_url = f"sqlite:///{tmp_path / 'shop.db'}"
    load_demo_data(database_url)
    env = {
        **rasa_environment(),
        "RASA_PORT": str(rasa_port),
        "ACTIONS_PORT": str(actions_port),
        "WEB_PORT": str(web_port),
        "ALLYZURE_DATABASE_URL": database_url,
        "ALLYZURE_NOW": FROZEN_NOW,
        "RASA_AUTH_TOKEN": "launcher-test",
        "AGENT_API_TOKEN": "launcher-test",
    }
    launcher = subprocess.Popen(
        [sys.executable, "-m", "tools.launcher", "--model", str(trained_model)],
        cwd=PROJECT_ROOT,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    try:
        ready = ""
        while "Ctrl-C" not in ready and launcher.poll() is None:
            ready += launcher.stdout.readline()
        answer = requests.post(
            f"http://127.0.0.1:{rasa_port}/webhooks/rest/webhook",
            json={"sender": "launcher", "message": "Bonjour"},
            timeout=60,
        ).json()
        started = processes_using(rasa_port) + processes_using(web_port)

        launcher.send_signal(signal.SIGINT)
        launcher.wait(timeout=60)
    finally:
        if launcher.poll() is None:
            os.kill(launcher.pid, signal.SIGKILL)
    deadline = time.monotonic() + 20
    while time.monotonic() < deadline and (processes_using(rasa_port) or processes_using(web_port)):
        time.sleep(0.5)

    assert answer[0]["text"].startswith("Bonjour")
    # Issue 19, defect 9: the servers' output (warnings included) goes to var/log, not here.
    assert len(ready.splitlines()) < 20, ready
    assert "Warning" not in ready
    assert (LOG_DIR / "rasa.log").stat().st_size > 0
    assert len(started) >= 2  # the Rasa server and the web server at least
    assert launcher.returncode == 0
    assert processes_using(rasa_port) == []
    assert processes_using(web_port) == []
    assert processes_using(actions_port) == []


def test_no_secret_is_on_a_command_line(tmp_path):
    """Issue 13, defect 9: `--auth-token=…` showed the Rasa token to every user in `ps`."""
    from tools.launcher import Stack, StackConfig

    config = StackConfig(
        model=tmp_path / "model.tar.gz",
        auth_token="-kL9x-secret",
        agent_token="agent-secret",
        session_secret="session-secret",
        action_token="action-secret",
    )
    stack = Stack(config, log_dir=tmp_path)
    services = stack._build_services()
    environment = stack.environment()

    for service in services:
        command = " ".join(service.command)
        for secret in ("-kL9x-secret", "agent-secret", "session-secret", "action-secret"):
            assert secret not in command, service.name
    assert environment["RASA_AUTH_TOKEN"] == "-kL9x-secret"
    assert environment["ACTION_SERVER_TOKEN"] == "action-secret"
    assert environment["ALLYZURE_SESSION_SECRET"] == "session-secret"


def test_the_rasa_server_takes_its_token_from_the_environment(monkeypatch):
    from server.patches import with_auth_token_from_environment

    received = {}

    def configure_app(input_channels=None, cors=None, auth_token=None, enable_api=True, **kw):
        received["token"] = auth_token

    monkeypatch.setenv("RASA_AUTH_TOKEN", "-kL9x")
    with_auth_token_from_environment(configure_app)([], None, None, True)
    assert received["token"] == "-kL9x"

    monkeypatch.setenv("RASA_AUTH_TOKEN", "")
    with pytest.raises(SystemExit):  # an API without a token would be open to anyone
        with_auth_token_from_environment(configure_app)([], None, None, True)


KNOWN = {
    DeprecationWarning: "module 'sre_constants' is deprecated",
    UserWarning: "The utterance 'utter_greet' is not used in any story or rule.",
}


@pytest.mark.parametrize(("category", "message"), KNOWN.items(), ids=lambda x: str(x)[:30])
def test_the_known_warnings_of_rasa_and_its_dependencies_are_quiet(category, message):
    """Issue 19, defect 9: the first start printed ~100 warnings before the ready banner."""
    script = f"import warnings; warnings.warn({message!r}, {category.__name__})"
    result = subprocess.run(
        [sys.executable, "-c", script], env=rasa_environment(), capture_output=True, text=True
    )

    assert result.stderr == ""


def test_a_warning_nobody_has_looked_at_is_still_shown():
    script = "import warnings; warnings.warn('slot filled twice', UserWarning)"
    result = subprocess.run(
        [sys.executable, "-c", script], env=rasa_environment(), capture_output=True, text=True
    )

    assert "slot filled twice" in result.stderr
