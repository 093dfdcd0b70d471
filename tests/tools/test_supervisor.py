"""The supervision logic both launchers use (tools/supervisor.py), on real small processes:
a service that stops is started again after a back-off, the others are left running."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from tools.launcher import Service
from tools.supervisor import Backoff, Supervisor

SLEEPER = [sys.executable, "-c", "import time; time.sleep(600)"]
CRASHER = [sys.executable, "-c", "raise SystemExit(3)"]


@pytest.fixture
def services():
    started: list[Service] = []

    def make(name: str, command: list[str] = SLEEPER) -> Service:
        service = Service(name=name, command=command, ready=lambda: True)
        service.start()
        started.append(service)
        return service

    yield make
    for service in started:
        service.stop()


def kill(service: Service) -> int:
    pid = service.process.pid
    os.kill(pid, signal.SIGKILL)
    service.process.wait()
    return pid


def supervised(*services: Service, reports: list[str] | None = None) -> Supervisor:
    report = reports.append if reports is not None else lambda _line: None
    return Supervisor(list(services), backoff=Backoff(first_s=1, max_s=8), report=report)


def test_the_back_off_doubles_with_each_crash_in_a_row_up_to_its_ceiling():
    backoff = Backoff(first_s=1, max_s=30)

    assert [backoff.delay(crashes) for crashes in range(1, 8)] == [1, 2, 4, 8, 16, 30, 30]


def test_a_killed_service_is_started_again_after_its_back_off_and_the_others_keep_running(
    services,
):
    actions, rasa, web = services("actions"), services("rasa"), services("web")
    rasa_pid, web_pid = rasa.process.pid, web.process.pid
    reports: list[str] = []
    supervisor = supervised(actions, rasa, web, reports=reports)
    killed_pid = kill(actions)
    now = time.monotonic()

    supervisor.check(now)
    waiting = supervisor.restarts_pending()
    supervisor.check(now + 0.5)
    still_down = actions.is_running()
    supervisor.check(now + 1)  # the back-off is over: started again
    supervisor.check(now + 1.5)  # and ready

    assert waiting == ["actions"]
    assert still_down is False
    assert actions.is_running() and actions.process.pid != killed_pid
    assert supervisor.restarts_pending() == []
    assert (rasa.process.pid, web.process.pid) == (rasa_pid, web_pid)
    assert rasa.is_running() and web.is_running()
    assert reports[0].startswith("Le processus actions s’est arrêté (code -9)")
    assert "relance dans 1 s" in reports[0]
    assert reports[-1] == "Le processus actions est de nouveau prêt."


def test_a_service_that_keeps_crashing_waits_longer_each_time(services):
    crasher = services("crasher", CRASHER)
    crasher.process.wait()
    reports: list[str] = []
    supervisor = supervised(crasher, reports=reports)
    now = time.monotonic()

    supervisor.check(now)  # crash 1: 1 s
    for delay in (1, 2, 4):
        now += delay
        supervisor.check(now)  # started again…
        crasher.process.wait()
        supervisor.check(now)  # …and crashed at start

    delays = [line.split("relance dans ")[1].split(" s")[0] for line in reports]
    assert delays == ["1", "2", "4", "8"]
    assert "au démarrage (code 3)" in reports[-1]


def test_a_service_up_long_enough_starts_its_back_off_from_the_beginning_again(services):
    actions = services("actions")
    reports: list[str] = []
    supervisor = supervised(actions, reports=reports)
    now = time.monotonic()
    kill(actions)
    supervisor.check(now)
    supervisor.check(now + 1)
    supervisor.check(now + 1)  # ready again
    kill(actions)
    supervisor.check(now + 2)  # second crash in a row: 2 s
    supervisor.check(now + 4)
    supervisor.check(now + 4)
    supervisor.check(now + 4 + Backoff().stable_after_s)  # stable: the count starts again
    kill(actions)
    supervisor.check(now + 5 + Backoff().stable_after_s)

    crashes = [line for line in reports if "relance" in line]
    assert ["relance dans 1 s" in crashes[0], "relance dans 2 s" in crashes[1]] == [True, True]
    assert "relance dans 1 s" in crashes[2]


def test_a_service_stopped_on_purpose_is_not_restarted(services):
    actions = services("actions")
    supervisor = supervised(actions)
    now = time.monotonic()

    actions.stop()
    for second in range(0, 20):
        supervisor.check(now + second)

    assert actions.is_running() is False
    assert supervisor.restarts_pending() == []


def test_a_restart_that_never_gets_ready_is_stopped_and_retried(services):
    never_ready = Service(name="rasa", command=SLEEPER, ready=lambda: False)
    never_ready.start()
    try:
        reports: list[str] = []
        supervisor = Supervisor(
            [never_ready], backoff=Backoff(first_s=1, startup_timeout_s=5), report=reports.append
        )
        now = time.monotonic()
        kill(never_ready)
        supervisor.check(now)
        supervisor.check(now + 1)  # started again, not ready
        first_restart = never_ready.process.pid
        supervisor.check(now + 6)  # not ready in time: killed, retried after 2 s

        assert "n’est pas prêt à temps : relance dans 2 s" in reports[-1]
        assert never_ready.process.pid == first_restart
        assert never_ready.is_running() is False
    finally:
        never_ready.stop()


def test_the_background_supervisor_restarts_a_killed_service(services):
    actions = services("actions")
    supervisor = Supervisor([actions], backoff=Backoff(first_s=0.2), report=lambda _line: None)

    with supervisor.run_in_background(interval_s=0.1):
        killed_pid = kill(actions)
        deadline = time.monotonic() + 20
        while time.monotonic() < deadline and not (
            actions.is_running() and supervisor.restarts_pending() == []
        ):
            time.sleep(0.1)

    assert actions.is_running() and actions.process.pid != killed_pid


# The loop of both launchers: tools/launcher.py `run_until_interrupted`, which `make run` and
# `make run-prod` (tools/prod.py `main`) both call with their stack.
LAUNCH_LOOP = """
import sys
from tools.launcher import Service, Stack, StackConfig, run_until_interrupted

class SmallStack(Stack):
    def _build_services(self):
        command = [sys.executable, "-c", "import time; time.sleep(600)"]
        return [Service(name=name, command=command, ready=lambda: True)
                for name in ("postgres", "actions-1", "rasa-1", "nginx")]

stack = SmallStack(StackConfig(model=None))
def ready():
    print(" ".join(f"{s.name}={s.process.pid}" for s in stack.services), flush=True)
sys.exit(run_until_interrupted(stack, ready))
"""


@pytest.mark.slow  # a launcher process and its four services, ~4 s mostly waiting: make test only
def test_the_launchers_loop_restarts_a_killed_service_and_ctrl_c_still_stops_everything():
    from tools.model import PROJECT_ROOT

    launcher = subprocess.Popen(
        [sys.executable, "-c", LAUNCH_LOOP],
        cwd=PROJECT_ROOT,
        text=True,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    )
    try:
        pids = dict(item.split("=") for item in launcher.stdout.readline().split())
        os.kill(int(pids["actions-1"]), signal.SIGKILL)
        stopped = launcher.stderr.readline()
        restarted = launcher.stderr.readline()
        launcher.send_signal(signal.SIGINT)
        launcher.wait(timeout=60)
    finally:
        if launcher.poll() is None:
            launcher.kill()
    survivors = [pid for name, pid in pids.items() if Path(f"/proc/{pid}").exists()]

    assert stopped.startswith("Le processus actions-1 s’est arrêté (code -9)")
    assert restarted.strip() == "Le processus actions-1 est de nouveau prêt."
    assert launcher.returncode == 0
    assert survivors == []
