"""`make run`'s launcher: starts the whole stack, and Ctrl-C stops every process it started."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import requests
from support import FROZEN_NOW, load_demo_data

from tools.launcher import free_port
from tools.model import PROJECT_ROOT, rasa_environment


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
    env = {**rasa_environment(), "RASA_PORT": str(rasa_port), "ACTIONS_PORT": str(actions_port),
           "WEB_PORT": str(web_port), "ALLYZURE_DATABASE_URL": database_url,
           "ALLYZURE_NOW": FROZEN_NOW, "RASA_AUTH_TOKEN": "launcher-test",
           "AGENT_API_TOKEN": "launcher-test"}  # fmt: skip
    launcher = subprocess.Popen(
        [sys.executable, "-m", "tools.launcher", "--model", str(trained_model)],
        cwd=PROJECT_ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
    )  # fmt: skip
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
    assert len(started) >= 2  # the Rasa server and the web server at least
    assert launcher.returncode == 0
    assert processes_using(rasa_port) == []
    assert processes_using(web_port) == []
    assert processes_using(actions_port) == []


def test_an_auth_token_starting_with_a_dash_reaches_rasa_as_the_token(tmp_path):
    """token_urlsafe() may start with « - »: Rasa's CLI must not read it as an option."""
    from rasa.__main__ import create_argument_parser

    from tools.launcher import Stack, StackConfig

    config = StackConfig(model=tmp_path / "model.tar.gz", auth_token="-kL9x", web_port=None)
    rasa = next(s for s in Stack(config, log_dir=tmp_path)._build_services() if s.name == "rasa")
    rasa_arguments = rasa.command[rasa.command.index("tools.rasa_server") + 1 :]

    assert create_argument_parser().parse_args(rasa_arguments).auth_token == "-kL9x"
