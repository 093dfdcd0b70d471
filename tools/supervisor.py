"""Keep every service of a running stack up: a service that stops is started again, the others
are left alone (issue 13, defect 4).

Both launchers (`make run`, tools/launcher.py, and `make run-prod`, tools/prod.py) watch their
services with `Supervisor.check()`, called every half second by `run_until_interrupted`; the
tests call it the same way from a background thread (`Supervisor.run_in_background`).

A stopped service is started again after a back-off that doubles with each crash in a row
(1 s, 2 s, 4 s … at most 30 s), so a service that cannot start does not spin; once it has
stayed up for a minute its next crash counts as the first again. A restart is waited for
without blocking: while one service loads its model the others are still watched. A service
stopped on purpose (`Service.stop()`, as the reliability tests do) is not restarted.

Why not a library: supervisord and circus are daemons configured by files (and circus needs
ZeroMQ); they would replace the launchers' process handling (process groups that die with the
launcher, readiness probes, free ports chosen by the tests) rather than add to it, and honcho
stops everything when one process exits — the behaviour being replaced. The policy here is
small and fully tested (tests/tools/test_supervisor.py).
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Protocol


class SupervisedProcess(Protocol):
    """What the supervisor needs of a service (tools/launcher.py `Service`)."""

    name: str
    wanted: bool

    def start(self) -> None: ...

    def is_running(self) -> bool: ...

    def is_ready(self) -> bool: ...

    def exit_code(self) -> int | None: ...

    def kill_leftovers(self) -> None: ...


@dataclass(frozen=True)
class Backoff:
    """Seconds to wait before restarting a service, from its number of crashes in a row."""

    first_s: float = 1.0
    max_s: float = 30.0
    # Up (and ready) this long, a service's next crash counts as its first again.
    stable_after_s: float = 60.0
    # A restarted service not ready after this long is stopped and counted as a crash.
    startup_timeout_s: float = 300.0

    def delay(self, crashes_in_a_row: int) -> float:
        return min(self.max_s, self.first_s * 2 ** max(0, crashes_in_a_row - 1))


@dataclass
class _Watch:
    service: SupervisedProcess
    crashes_in_a_row: int = 0
    restart_at: float | None = None  # waiting for the back-off
    starting_since: float | None = None  # started again, not ready yet
    up_since: float | None = None


@dataclass
class Supervisor:
    """Watches `services`; `check(now)` does one round of restarts (see the module doc)."""

    services: Sequence[SupervisedProcess]
    backoff: Backoff = field(default_factory=Backoff)
    report: Callable[[str], None] = print
    _watches: list[_Watch] = field(init=False)

    def __post_init__(self) -> None:
        now = time.monotonic()
        self._watches = [_Watch(service, up_since=now) for service in self.services]

    def check(self, now: float) -> None:
        for watch in self._watches:
            if not watch.service.wanted:  # stopped on purpose: forget any pending restart
                watch.restart_at = watch.starting_since = None
                continue
            if watch.starting_since is not None:
                self._check_starting(watch, now)
            elif watch.restart_at is not None:
                self._restart_when_due(watch, now)
            else:
                self._check_running(watch, now)

    def restarts_pending(self) -> list[str]:
        """Services waiting for their back-off or for their restart to be ready."""
        return [
            watch.service.name
            for watch in self._watches
            if watch.restart_at is not None or watch.starting_since is not None
        ]

    def _check_running(self, watch: _Watch, now: float) -> None:
        service = watch.service
        if service.is_running():
            if watch.up_since is not None and now - watch.up_since >= self.backoff.stable_after_s:
                watch.crashes_in_a_row = 0
            return
        self._crashed(watch, now, f"s’est arrêté (code {service.exit_code()})")

    def _check_starting(self, watch: _Watch, now: float) -> None:
        service = watch.service
        if not service.is_running():
            self._crashed(watch, now, f"s’est arrêté au démarrage (code {service.exit_code()})")
        elif service.is_ready():
            watch.starting_since, watch.up_since = None, now
            self.report(f"Le processus {service.name} est de nouveau prêt.")
        elif now - watch.starting_since >= self.backoff.startup_timeout_s:
            service.kill_leftovers()
            self._crashed(watch, now, "n’est pas prêt à temps")

    def _restart_when_due(self, watch: _Watch, now: float) -> None:
        if now < watch.restart_at:
            return
        watch.restart_at = None
        watch.starting_since = now
        if not watch.service.is_running():  # someone else may have started it meanwhile
            watch.service.start()

    def _crashed(self, watch: _Watch, now: float, what: str) -> None:
        watch.service.kill_leftovers()  # children of a killed leader would hold its port
        watch.crashes_in_a_row += 1
        watch.starting_since = watch.up_since = None
        delay = self.backoff.delay(watch.crashes_in_a_row)
        watch.restart_at = now + delay
        self.report(
            f"Le processus {watch.service.name} {what} : relance dans {delay:.0f} s, "
            "les autres continuent."
        )

    @contextmanager
    def run_in_background(self, interval_s: float = 0.5) -> Iterator[Supervisor]:
        """Check every `interval_s` in a thread until the block ends (tests)."""
        stopping = threading.Event()

        def loop() -> None:
            while not stopping.wait(interval_s):
                self.check(time.monotonic())

        thread = threading.Thread(target=loop, name="supervisor", daemon=True)
        thread.start()
        try:
            yield self
        finally:
            stopping.set()
            thread.join()
