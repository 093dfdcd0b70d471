"""Killing a service of the default stack (`make run`) stops nothing else: the supervisor
starts it again and the conversation goes on (issue 13, defect 4).

Each service is really killed (SIGKILL to its process); the stack is this module's own,
supervised as `make run` supervises it (tools/launcher.py `run_until_interrupted`).
"""

from __future__ import annotations

import os
import secrets
import signal
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
import requests
from stacks import RunningAssistant, default_assistant
from support import joined

from tools.launcher import Service
from tools.supervisor import Backoff, Supervisor

pytestmark = pytest.mark.slow

APOLOGY = "un problème technique m’empêche de traiter votre demande"
MARIE = "marie.tremblay@exemple.ca"
RESTART_TIMEOUT_S = 300


@pytest.fixture(scope="module")
def supervised(trained_model: Path, tmp_path_factory) -> Iterator[RunningAssistant]:
    workdir = tmp_path_factory.mktemp("self-healing")
    with default_assistant(trained_model, workdir) as assistant:
        supervisor = Supervisor(
            list(assistant.stack.services), backoff=Backoff(first_s=1), report=print
        )
        with supervisor.run_in_background():
            yield assistant


def service(assistant: RunningAssistant, name: str) -> Service:
    return next(service for service in assistant.stack.services if service.name == name)


def pids(assistant: RunningAssistant) -> dict[str, int]:
    return {service.name: service.process.pid for service in assistant.stack.services}


def kill(assistant: RunningAssistant, name: str) -> int:
    process = service(assistant, name).process
    os.kill(process.pid, signal.SIGKILL)
    process.wait()  # the supervisor sees it stopped at its next round
    return process.pid


def wait_until_restarted(assistant: RunningAssistant, name: str, killed_pid: int) -> bool:
    restarted = service(assistant, name)
    deadline = time.monotonic() + RESTART_TIMEOUT_S
    while time.monotonic() < deadline:
        if restarted.process.pid != killed_pid and restarted.is_ready():
            return True
        time.sleep(0.5)
    return False


def conversation() -> str:
    return f"healing-{secrets.token_hex(6)}"


def test_killing_the_action_server_gets_one_apology_and_the_conversation_goes_on(supervised):
    sender, before = conversation(), pids(supervised)
    asked = joined(supervised.texts(sender, "où en est ma commande AZ104203 ?"))
    killed = kill(supervised, "actions")

    during = supervised.texts(sender, MARIE)
    restarted = wait_until_restarted(supervised, "actions", killed)
    after = joined(supervised.texts(sender, f"AZ104203 {MARIE}"))

    assert "courriel" in asked
    assert [APOLOGY in text for text in during] == [True]  # once, and nothing else
    assert restarted
    assert "AZ104203" in after and "Marie" in after
    assert {name: pid for name, pid in pids(supervised).items() if name != "actions"} == {
        name: pid for name, pid in before.items() if name != "actions"
    }


def test_killing_the_rasa_server_keeps_the_web_server_up_and_the_conversation_is_kept(
    supervised,
):
    sender, before = conversation(), pids(supervised)
    asked = joined(supervised.texts(sender, "où en est ma commande AZ104203 ?"))
    killed = kill(supervised, "rasa")

    page_while_down = requests.get(f"{supervised.web_url}/", timeout=10).status_code
    restarted = wait_until_restarted(supervised, "rasa", killed)
    after = joined(supervised.texts(sender, MARIE))

    assert "courriel" in asked
    assert page_while_down == 200
    assert restarted
    assert "AZ104203" in after and "Marie" in after  # the same conversation, resumed
    assert pids(supervised)["web"] == before["web"]
    assert pids(supervised)["actions"] == before["actions"]


def test_killing_the_web_server_leaves_the_chat_up_and_the_shop_page_comes_back(supervised):
    sender, before = conversation(), pids(supervised)
    killed = kill(supervised, "web")

    greeting_while_down = joined(supervised.texts(sender, "Bonjour"))
    restarted = wait_until_restarted(supervised, "web", killed)
    page = requests.get(f"{supervised.web_url}/", timeout=10)

    assert greeting_while_down.startswith("Bonjour")
    assert restarted
    assert page.status_code == 200 and "widget" in page.text
    assert pids(supervised)["rasa"] == before["rasa"]
