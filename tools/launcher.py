"""Start the whole assistant — action server, Rasa server, web server — keep it up, and stop it
cleanly.

`make run` uses `main()`; the end-to-end tests use `Stack` directly with free ports, so both
start the product the same way. Every child runs in its own process group and receives SIGTERM
if the launcher dies, so Ctrl-C (or a crashed test run) leaves no orphan behind. While it runs,
a service that stops is restarted with back-off and the others keep serving
(tools/supervisor.py).
"""

from __future__ import annotations

import argparse
import ctypes
import json
import os
import secrets
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO

from backend.db import private_sqlite_file
from server.action_server import HOST_VARIABLE as ACTIONS_HOST_VARIABLE
from server.action_server import TOKEN_VARIABLE as ACTION_TOKEN_VARIABLE
from server.widget_sessions import SECRET_VARIABLE as SESSION_SECRET_VARIABLE
from tools.model import BOT_DIR, LOG_DIR, PROJECT_ROOT, ensure_model, rasa_environment
from tools.supervisor import Supervisor

VAR_DIR = PROJECT_ROOT / "var"
STARTUP_TIMEOUT_S = 300.0
STOP_TIMEOUT_S = 15.0
SUPERVISION_INTERVAL_S = 0.5
_PR_SET_PDEATHSIG = 1

# Messaging channels of bot/credentials.yml. Rasa refuses to start when a ${VAR} used there is
# unset, so each one gets a default that leaves the channel harmless: the callback channel
# posts to Rasa's documented local example receiver, Telegram stays disabled without a token.
CHANNEL_DEFAULTS = {
    "CALLBACK_URL": "http://localhost:5034/bot",
    "TELEGRAM_BOT_TOKEN": "",
    "TELEGRAM_SECRET_TOKEN": "",
    "TELEGRAM_API_URL": "https://api.telegram.org",
}


# Linux gives outgoing connections a local port from this range (by default): a port the
# kernel chose for a server that binds it seconds later can meanwhile become some client's
# (a Rasa server once found its port taken by a PostgreSQL connection of the same stack).
EPHEMERAL_RANGE_FILE = Path("/proc/sys/net/ipv4/ip_local_port_range")
LOWEST_LISTENING_PORT = 20000
_ports_handed_out: set[int] = set()


def free_port() -> int:
    """A free local TCP port, never one the kernel hands to outgoing connections, never one
    this process handed out before."""
    low, _ = _ephemeral_range()
    candidates = list(range(LOWEST_LISTENING_PORT, max(low, LOWEST_LISTENING_PORT + 1000)))
    for port in secrets.SystemRandom().sample(candidates, len(candidates)):
        if port in _ports_handed_out:
            continue
        with socket.socket() as sock:
            try:
                sock.bind(("127.0.0.1", port))
            except OSError:
                continue
        _ports_handed_out.add(port)
        return port
    raise RuntimeError("no free TCP port below the ephemeral range")


def _ephemeral_range() -> tuple[int, int]:
    try:
        low, high = EPHEMERAL_RANGE_FILE.read_text().split()
        return int(low), int(high)
    except (OSError, ValueError):
        return 32768, 60999


def _stop_with_parent() -> None:
    """SIGTERM to this process when its parent (make / uv) dies, so the stack is stopped."""
    ctypes.CDLL("libc.so.6", use_errno=True).prctl(_PR_SET_PDEATHSIG, signal.SIGTERM)


def _die_with_parent() -> None:
    """Runs in the child before exec: new process group, SIGTERM when the launcher dies."""
    os.setsid()
    _stop_with_parent()


@dataclass
class Service:
    """One child process; ready once `health_url` answers, or `ready()` is true if given."""

    name: str
    command: list[str]
    health_url: str = ""
    cwd: Path = PROJECT_ROOT
    env: dict[str, str] = field(default_factory=dict)
    log: IO[bytes] | None = None
    process: subprocess.Popen | None = None
    ready: Callable[[], bool] | None = None
    user: str | None = None
    stop_signal: int = signal.SIGTERM
    # False once stopped on purpose: the supervisor (tools/supervisor.py) restarts only
    # services that are wanted.
    wanted: bool = False

    def start(self) -> None:
        self.wanted = True
        self.process = subprocess.Popen(
            self.command,
            cwd=self.cwd,
            env=self.env,
            stdout=self.log,
            stderr=subprocess.STDOUT if self.log else None,
            preexec_fn=_die_with_parent,
            user=self.user,
        )

    def wait_until_ready(self, timeout: float = STARTUP_TIMEOUT_S) -> None:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.process is not None and self.process.poll() is not None:
                raise RuntimeError(f"{self.name} exited with code {self.process.returncode}")
            if self.is_ready():
                return
            time.sleep(0.5)
        raise TimeoutError(f"{self.name} not ready after {timeout:.0f} s ({self.health_url})")

    def is_ready(self) -> bool:
        """One probe: the health URL answers (or `ready()` is true)."""
        return self.ready() if self.ready else _answers(self.health_url)

    def is_running(self) -> bool:
        return self.process is not None and self.process.poll() is None

    def exit_code(self) -> int | None:
        return None if self.process is None else self.process.poll()

    def kill_leftovers(self) -> None:
        """Kill what is left of the service's process group (a killed leader's children)."""
        if self.process is None:
            return
        try:
            os.killpg(self.process.pid, signal.SIGKILL)  # the group id is the leader's pid
        except (ProcessLookupError, PermissionError):
            return
        if self.process.poll() is None:
            self.process.wait()

    def stop(self) -> None:
        self.wanted = False
        if not self.is_running():
            self.kill_leftovers()
            return
        pgid = os.getpgid(self.process.pid)
        os.killpg(pgid, self.stop_signal)
        try:
            self.process.wait(timeout=STOP_TIMEOUT_S)
        except subprocess.TimeoutExpired:
            os.killpg(pgid, signal.SIGKILL)
            self.process.wait()


def _answers(url: str) -> bool:
    """The URL answers 200 — and, for Rasa's /status, a model is loaded (it answers earlier)."""
    try:
        with urllib.request.urlopen(url, timeout=2) as response:
            if response.status != 200:
                return False
            if "/status" in url:
                return bool(json.loads(response.read() or b"{}").get("model_id"))
            return True
    except (urllib.error.URLError, ConnectionError, TimeoutError, OSError, ValueError):
        return False


@dataclass(frozen=True)
class StackConfig:
    model: Path
    rasa_port: int = 5005
    actions_port: int = 5055
    web_port: int | None = 8000
    host: str = "127.0.0.1"
    auth_token: str = ""
    agent_token: str = ""
    # Signs the widget's session ids (server/widget_sessions.py); empty: one per Stack.
    session_secret: str = ""
    # Shared secret the Rasa server sends on every action call (server/action_server.py);
    # empty: one per Stack.
    action_token: str = ""
    # The action servers listen here (loopback: only the Rasa server calls them).
    actions_host: str = "127.0.0.1"
    tracker_db: Path = VAR_DIR / "tracker.db"
    extra_env: dict[str, str] = field(default_factory=dict)

    @property
    def rasa_url(self) -> str:
        return f"http://{self.host}:{self.rasa_port}"

    @property
    def actions_url(self) -> str:
        return f"http://{self.actions_host}:{self.actions_port}"

    @property
    def web_url(self) -> str | None:
        return None if self.web_port is None else f"http://localhost:{self.web_port}"

    def web_origins(self) -> list[str]:
        if self.web_port is None:
            return []
        return [f"http://localhost:{self.web_port}", f"http://127.0.0.1:{self.web_port}"]


class Stack:
    """The running product: start() starts every service and waits for all, stop() stops
    them in reverse."""

    def __init__(self, config: StackConfig, log_dir: Path | None = None) -> None:
        self.config = config
        self.log_dir = log_dir
        self.services: list[Service] = []
        self._session_secret = config.session_secret or secrets.token_urlsafe(32)
        self._action_token = config.action_token or secrets.token_urlsafe(32)

    def __enter__(self) -> Stack:
        self.start()
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.stop()

    def environment(self) -> dict[str, str]:
        env = rasa_environment()
        env.update(self.config.extra_env)
        for variable, default in CHANNEL_DEFAULTS.items():
            env.setdefault(variable, default)
        env["ACTION_SERVER_URL"] = f"{self.config.actions_url}/webhook"
        env["TRACKER_DB_PATH"] = str(self.config.tracker_db)
        env["RASA_AUTH_TOKEN"] = self.config.auth_token
        env["AGENT_API_TOKEN"] = self.config.agent_token
        env[SESSION_SECRET_VARIABLE] = self._session_secret
        env[ACTION_TOKEN_VARIABLE] = self._action_token
        env[ACTIONS_HOST_VARIABLE] = self.config.actions_host
        env["RASA_URL"] = self.config.rasa_url
        return env

    def start(self) -> None:
        self.config.tracker_db.parent.mkdir(parents=True, exist_ok=True)
        private_sqlite_file(self.config.tracker_db)  # the conversations: owner only (0600)
        try:
            # No service needs another to start: Rasa calls the action server and the web
            # server calls Rasa only when a message comes, so the cold start is the slowest
            # service, not the sum of all three.
            self._start_together(self._build_services())
        except BaseException:
            self.stop()
            raise

    def _start_all(self, services: list[Service]) -> None:
        """Start in order, each one ready before the next (stop() undoes what started)."""
        for service in services:
            self._start_together([service])

    def _start_together(self, services: list[Service]) -> None:
        """Start independent services at once, then wait until every one is ready."""
        for service in services:
            self.services.append(service)
            service.start()
        for service in services:
            service.wait_until_ready()

    def stop(self) -> None:
        for service in reversed(self.services):
            service.stop()
        self.services.clear()

    def supervisor(self, report: Callable[[str], None] = print) -> Supervisor:
        """A supervisor of every service started (tools/supervisor.py)."""
        return Supervisor(list(self.services), report=report)

    def _log(self, name: str) -> IO[bytes] | None:
        if self.log_dir is None:
            return None
        self.log_dir.mkdir(parents=True, exist_ok=True)
        return open(self.log_dir / f"{name}.log", "ab")  # noqa: SIM115 - owned by the child

    def _build_services(self) -> list[Service]:
        cfg, env = self.config, self.environment()
        services = [
            self._actions_service("actions", cfg.actions_port, env),
            self._rasa_service("rasa", cfg.rasa_port, BOT_DIR / "endpoints.yml", env),
        ]
        if cfg.web_port is not None:
            services.append(self._web_service(env))
        return services

    def _actions_service(self, name: str, port: int, env: dict[str, str]) -> Service:
        return Service(
            name=name,
            command=[
                sys.executable,
                "-m",
                "server.action_server",
                "--actions",
                "actions",
                "--port",
                str(port),
            ],
            health_url=f"http://{self.config.actions_host}:{port}/health",
            cwd=BOT_DIR,
            env=env,
            log=self._log(name),
        )

    def _rasa_service(self, name: str, port: int, endpoints: Path, env: dict[str, str]) -> Service:
        cfg = self.config
        return Service(
            name=name,
            # Rasa's own command: the project's channels and tracker store bring the rest.
            command=[
                sys.executable,
                "-m",
                "rasa",
                "run",
                "--model",
                str(cfg.model.resolve()),
                "--endpoints",
                str(endpoints),
                "--credentials",
                str(BOT_DIR / "credentials.yml"),
                "--interface",
                cfg.host,
                "--port",
                str(port),
                # The API token goes by the environment (RASA_AUTH_TOKEN), never on
                # the command line, where `ps` shows it (server/patches.py).
                "--enable-api",
                "--cors",
                *cfg.web_origins(),
            ],
            health_url=f"http://{cfg.host}:{port}/status?token={cfg.auth_token}",
            cwd=BOT_DIR,
            env=env,
            log=self._log(name),
        )

    def _web_service(self, env: dict[str, str]) -> Service:
        cfg = self.config
        return Service(
            name="web",
            command=[
                sys.executable,
                "-m",
                "web.server",
                "--host",
                cfg.host,
                "--port",
                str(cfg.web_port),
                "--rasa-url",
                cfg.rasa_url,
            ],
            health_url=f"http://{cfg.host}:{cfg.web_port}/",
            env=env,
            log=self._log("web"),
        )


def persisted_secret(variable: str, token_file: Path) -> str:
    """The environment variable if set, else a random token kept in var/ across runs."""
    if os.environ.get(variable):
        return os.environ[variable]
    if not token_file.is_file():
        token_file.parent.mkdir(parents=True, exist_ok=True)
        # Created readable by the owner only: never a moment with the default mode.
        descriptor = os.open(token_file, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(descriptor, "w") as file:
            file.write(secrets.token_urlsafe(24))
    return token_file.read_text().strip()


def _port(variable: str, default: int) -> int:
    return int(os.environ.get(variable) or default)


def config_from_environment(model: Path) -> StackConfig:
    return StackConfig(
        model=model,
        rasa_port=_port("RASA_PORT", 5005),
        actions_port=_port("ACTIONS_PORT", 5055),
        web_port=_port("WEB_PORT", 8000),
        host=os.environ.get("ALLYZURE_BIND_HOST", "127.0.0.1"),
        auth_token=persisted_secret("RASA_AUTH_TOKEN", VAR_DIR / "rasa-auth-token"),
        agent_token=persisted_secret("AGENT_API_TOKEN", VAR_DIR / "agent-api-token"),
        session_secret=persisted_secret(SESSION_SECRET_VARIABLE, VAR_DIR / "session-secret"),
        action_token=persisted_secret(ACTION_TOKEN_VARIABLE, VAR_DIR / "action-server-token"),
        actions_host=os.environ.get(ACTIONS_HOST_VARIABLE) or "127.0.0.1",
    )


def print_urls(config: StackConfig) -> None:
    print(
        "\nL’assistant Allyzure est prêt :\n"
        f"  Boutique de démonstration et widget : {config.web_url}/\n"
        f"  Serveur Rasa (REST) : {config.rasa_url}/webhooks/rest/webhook\n"
        f"  Canal callback : {config.rasa_url}/webhooks/callback/webhook\n"
        f"  Canal Telegram : {config.rasa_url}/webhooks/telegram/webhook\n"
        f"  Serveur d’actions : {config.actions_url}\n"
        f"  Jeton de l’API HTTP Rasa : RASA_AUTH_TOKEN ou {VAR_DIR / 'rasa-auth-token'}\n"
        f"  Espace agent : {config.web_url}/agent/ (comptes : python -m backend create-agent)\n"
        f"  Jeton de l’API agent (outils) : AGENT_API_TOKEN ou {VAR_DIR / 'agent-api-token'}\n"
        "Ctrl-C pour tout arrêter.\n",
        flush=True,
    )


def _raise_keyboard_interrupt(signum: int, _frame: object) -> None:
    raise KeyboardInterrupt


def _to_stderr(line: str) -> None:
    print(line, file=sys.stderr, flush=True)


def run_until_interrupted(stack: Stack, on_ready: Callable[[], None]) -> int:
    """Start the stack, then keep every service up until Ctrl-C (0); always stop it.

    A service that stops is restarted by the supervisor (tools/supervisor.py), the others
    keep serving."""
    # Explicit handlers: a shell that starts us in the background ignores SIGINT by default.
    signal.signal(signal.SIGINT, _raise_keyboard_interrupt)
    signal.signal(signal.SIGTERM, _raise_keyboard_interrupt)
    _stop_with_parent()
    try:
        stack.start()
        on_ready()
        supervisor = stack.supervisor(report=_to_stderr)
        while True:
            supervisor.check(time.monotonic())
            time.sleep(SUPERVISION_INTERVAL_S)
    except KeyboardInterrupt:
        return 0
    finally:
        # A second Ctrl-C must not interrupt the clean-up and leave orphans behind.
        signal.signal(signal.SIGINT, signal.SIG_IGN)
        signal.signal(signal.SIGTERM, signal.SIG_IGN)
        print("Arrêt de tous les processus…", flush=True)
        stack.stop()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Start the Allyzure assistant.")
    parser.add_argument("--model", type=Path, help="model file (default: train it if stale)")
    args = parser.parse_args(argv)
    # Every server's output goes to its own file (issue 19: ~765 lines before the banner).
    stack = Stack(config_from_environment(args.model or ensure_model()), log_dir=LOG_DIR)

    def announce() -> None:
        print(f"Journaux complets : {LOG_DIR}", flush=True)
        print_urls(stack.config)

    return run_until_interrupted(stack, announce)


if __name__ == "__main__":
    sys.exit(main())
