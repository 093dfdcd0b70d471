"""Fixtures for the messaging channels: local HTTP servers standing in for the outside world
(the callback receiver, the Telegram Bot API) and a Rasa stack whose channels point at them.

The session `assistant` stack is started with the default channel settings, so these tests
start their own stack (without the web server) with CALLBACK_URL and TELEGRAM_* set; it lives
for this package only.
"""

from __future__ import annotations

import json
import secrets
import threading
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest
import requests
from stacks import demo_shop, stack_config

from tools.launcher import Stack, free_port

TELEGRAM_BOT_TOKEN = "123456789:TEST-allyzure-token"


@dataclass(frozen=True)
class Recorded:
    method: str
    path: str
    headers: dict[str, str]
    body: object


Responder = Callable[[Recorded], tuple[int, object]]


def _ok(_: Recorded) -> tuple[int, object]:
    return 200, {"status": "received"}


@dataclass
class RecordingServer:
    """A local HTTP server that records every request (JSON bodies decoded) and answers with
    `responder`. stop() then start() again simulates an outage on the same port."""

    responder: Responder = _ok
    port: int = field(default_factory=free_port)
    requests: list[Recorded] = field(default_factory=list)

    def __post_init__(self) -> None:
        self._changed = threading.Condition()
        self._server: ThreadingHTTPServer | None = None

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def start(self) -> None:
        recorder = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:  # noqa: N802 - name fixed by http.server
                length = int(self.headers.get("Content-Length") or 0)
                raw = self.rfile.read(length)
                try:
                    body = json.loads(raw) if raw else None
                except ValueError:
                    body = raw.decode(errors="replace")
                record = Recorded("POST", self.path, dict(self.headers), body)
                status, payload = recorder.responder(record)
                with recorder._changed:
                    recorder.requests.append(record)
                    recorder._changed.notify_all()
                reply = json.dumps(payload).encode()
                self.send_response(status)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(reply)))
                self.end_headers()
                self.wfile.write(reply)

            def log_message(self, format: str, *args: object) -> None:  # noqa: A002
                pass

        self._server = ThreadingHTTPServer(("127.0.0.1", self.port), Handler)
        threading.Thread(target=self._server.serve_forever, daemon=True).start()

    def stop(self) -> None:
        if self._server is not None:
            self._server.shutdown()
            self._server.server_close()
            self._server = None

    def wait_for(
        self, predicate: Callable[[Recorded], bool], count: int = 1, timeout: float = 30.0
    ) -> list[Recorded]:
        """The matching requests, once at least `count` arrived (fails after `timeout`)."""
        deadline = time.monotonic() + timeout
        with self._changed:
            while True:
                matching = [request for request in self.requests if predicate(request)]
                remaining = deadline - time.monotonic()
                if len(matching) >= count or remaining <= 0:
                    break
                self._changed.wait(remaining)
        assert len(matching) >= count, (
            f"expected {count} matching request(s) within {timeout:.0f} s, got {len(matching)}; "
            f"all requests: {self.requests}"
        )
        return matching

    def matching(self, predicate: Callable[[Recorded], bool]) -> list[Recorded]:
        with self._changed:
            return [request for request in self.requests if predicate(request)]


def telegram_bot_api(record: Recorded) -> tuple[int, object]:
    """Answers like the Bot API: {"ok": true, "result": …}, 401 for another bot's token."""
    prefix = f"/bot{TELEGRAM_BOT_TOKEN}/"
    if not record.path.startswith(prefix):
        return 401, {"ok": False, "error_code": 401, "description": "Unauthorized"}
    method = record.path.removeprefix(prefix)
    body = record.body if isinstance(record.body, dict) else {}
    if method == "sendMessage":
        result = {
            "message_id": int(time.time() * 1000) % 1_000_000,
            "date": int(time.time()),
            "chat": {"id": body.get("chat_id"), "type": "private"},
            "text": body.get("text"),
        }
        return 200, {"ok": True, "result": result}
    return 200, {"ok": True, "result": True}


@pytest.fixture(scope="package")
def callback_receiver() -> Iterator[RecordingServer]:
    server = RecordingServer()
    server.start()
    yield server
    server.stop()


@pytest.fixture(scope="package")
def fake_telegram() -> Iterator[RecordingServer]:
    server = RecordingServer(responder=telegram_bot_api)
    server.start()
    yield server
    server.stop()


@dataclass(frozen=True)
class ChannelStack:
    rasa_url: str
    auth_token: str
    telegram_secret: str
    telegram_token: str = TELEGRAM_BOT_TOKEN
    database_url: str = ""  # the shop database (handoff queue, agents)

    def user_texts(self, sender_id: str) -> list[str]:
        """What the assistant received from this conversation, read from its tracker."""
        response = requests.get(
            f"{self.rasa_url}/conversations/{sender_id}/tracker",
            params={"token": self.auth_token},
            timeout=30,
        )
        response.raise_for_status()
        return [event["text"] for event in response.json()["events"] if event["event"] == "user"]

    def latest_intent(self, sender_id: str) -> str | None:
        response = requests.get(
            f"{self.rasa_url}/conversations/{sender_id}/tracker",
            params={"token": self.auth_token},
            timeout=30,
        )
        response.raise_for_status()
        return (response.json().get("latest_message") or {}).get("intent", {}).get("name")


@pytest.fixture(scope="package")
def channel_stack(
    trained_model: Path,
    tmp_path_factory: pytest.TempPathFactory,
    callback_receiver: RecordingServer,
    fake_telegram: RecordingServer,
) -> Iterator[ChannelStack]:
    workdir = tmp_path_factory.mktemp("channels-stack")
    database_url = demo_shop(workdir)  # cross-channel tests identify demo customers
    secret = secrets.token_urlsafe(24)
    environment = {
        "ALLYZURE_DATABASE_URL": database_url,
        "CALLBACK_URL": f"{callback_receiver.url}/callback",
        "TELEGRAM_BOT_TOKEN": TELEGRAM_BOT_TOKEN,
        "TELEGRAM_SECRET_TOKEN": secret,
        "TELEGRAM_API_URL": fake_telegram.url,
    }
    config = stack_config(trained_model, workdir, environment, web=False)
    with Stack(config, log_dir=workdir / "logs"):
        yield ChannelStack(
            rasa_url=config.rasa_url,
            auth_token=config.auth_token,
            telegram_secret=secret,
            database_url=database_url,
        )
