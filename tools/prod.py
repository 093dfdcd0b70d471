"""The production profile: PostgreSQL, Redis, several Rasa and action processes behind nginx.

`make run-prod` uses `main()`; the reliability tests and the benchmark use `ProductionStack`
on free ports. Compared with the default profile (tools/launcher.py):

- conversations live in PostgreSQL (Rasa's SQLTrackerStore) and the shop data too
  (`ALLYZURE_DATABASE_URL`), in a cluster this profile owns under its data folder;
- a Redis lock store lets any Rasa process serve any conversation, one message at a time;
- `rasa_workers` Rasa servers and `action_workers` action servers listen on internal ports;
  nginx publishes them on the usual ports, spreading REST and API calls over the Rasa
  servers and action calls over the action servers, and retrying on another server only
  when a connection is refused (a request that reached a server is never sent twice).
  socket.io is sticky per client address: its sessions live in one Rasa process, and a
  message for a conversation sent by another Rasa process (an agent's reply, appended through
  whichever server nginx picked) reaches it through Redis pub/sub (server/channels/widget.py).

PostgreSQL, Redis and nginx come from Debian's packages (tools/ensure_infra.sh installs them
when missing) and run as children of this process: stopping the stack stops them too.
"""

from __future__ import annotations

import argparse
import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

from tools.launcher import (
    VAR_DIR,
    Service,
    Stack,
    StackConfig,
    config_from_environment,
    free_port,
    print_urls,
    run_until_interrupted,
)
from tools.model import BOT_DIR, LOG_DIR, PROJECT_ROOT, ensure_model, rasa_environment

DB_USER = "allyzure"
SHOP_DB = "allyzure_shop"
TRACKER_DB = "allyzure_conversations"
ENSURE_INFRA = PROJECT_ROOT / "tools" / "ensure_infra.sh"


def postgres_bin_dir() -> Path:
    """The newest PostgreSQL server installed from Debian's packages."""
    candidates = sorted(Path("/usr/lib/postgresql").glob("*/bin/postgres"))
    if not candidates:
        raise RuntimeError("PostgreSQL is not installed: run tools/ensure_infra.sh")
    return max(candidates, key=lambda path: int(path.parts[-3])).parent


def nginx_binary() -> str:
    return shutil.which("nginx") or "/usr/sbin/nginx"


def _postgres_user() -> str | None:
    """PostgreSQL refuses to run as root: as root, its processes run as the `postgres` user."""
    return "postgres" if os.geteuid() == 0 else None


def tcp_answers(port: int, probe: bytes = b"", expect: bytes = b"") -> bool:
    """Something listens on the loopback port (and answers `probe` with `expect`, if given)."""
    try:
        with socket.create_connection(("127.0.0.1", port), timeout=1) as sock:
            if probe:
                sock.sendall(probe)
                return sock.recv(64).startswith(expect)
            return True
    except OSError:
        return False


@dataclass(frozen=True)
class ProductionConfig:
    """`stack` holds the public ports (served by nginx), the tokens and the model."""

    stack: StackConfig
    data_dir: Path
    postgres_port: int = 5432
    redis_port: int = 6379
    rasa_workers: int = 2
    action_workers: int = 2
    rasa_worker_ports: tuple[int, ...] = ()
    action_worker_ports: tuple[int, ...] = ()
    prepare_shop_database: Callable[[str], None] | None = None
    extra_env: dict[str, str] = field(default_factory=dict)

    @property
    def shop_database_url(self) -> str:
        return f"postgresql://{DB_USER}@127.0.0.1:{self.postgres_port}/{SHOP_DB}"

    @property
    def tracker_database_url(self) -> str:
        return f"postgresql://{DB_USER}@127.0.0.1:{self.postgres_port}/{TRACKER_DB}"

    def worker_ports(self) -> tuple[tuple[int, ...], tuple[int, ...]]:
        """Internal ports of the Rasa and action servers (free ones unless given)."""
        rasa = self.rasa_worker_ports or tuple(free_port() for _ in range(self.rasa_workers))
        actions = self.action_worker_ports or tuple(free_port() for _ in range(self.action_workers))
        return rasa, actions


@contextmanager
def scratch_production_config(
    stack: StackConfig,
    prepare_shop_database: Callable[[str], None],
    *,
    postgres_port: int | None = None,
    extra_env: dict[str, str] | None = None,
) -> Iterator[ProductionConfig]:
    """A production profile on free ports in a throw-away data folder (tests, benchmark).

    The folder is made where PostgreSQL can reach it: as root, PostgreSQL runs as the
    `postgres` user, who cannot enter private temporary folders (pytest's are 0700 root's).
    The Debian packages are installed first if missing.
    """
    subprocess.run(["bash", str(ENSURE_INFRA)], check=True)
    data_dir = Path(tempfile.mkdtemp(prefix="allyzure-prod-"))
    data_dir.chmod(0o755)
    try:
        yield ProductionConfig(
            stack=stack,
            data_dir=data_dir,
            postgres_port=postgres_port or free_port(),
            redis_port=free_port(),
            prepare_shop_database=prepare_shop_database,
            extra_env=extra_env or {},
        )
    finally:
        shutil.rmtree(data_dir, ignore_errors=True)


class ProductionStack(Stack):
    """PostgreSQL and Redis first, then the databases, then actions, Rasa, nginx and web."""

    def __init__(self, config: ProductionConfig, log_dir: Path | None = None) -> None:
        super().__init__(config.stack, log_dir)
        self.production = config
        self.rasa_ports, self.action_ports = config.worker_ports()

    def environment(self) -> dict[str, str]:
        env = super().environment()
        cfg = self.production
        env.update(
            {
                "ALLYZURE_DATABASE_URL": cfg.shop_database_url,
                "TRACKER_PG_HOST": "127.0.0.1",
                "TRACKER_PG_PORT": str(cfg.postgres_port),
                "TRACKER_PG_DB": TRACKER_DB,
                "TRACKER_PG_USER": DB_USER,
                "REDIS_HOST": "127.0.0.1",
                "REDIS_PORT": str(cfg.redis_port),
                # The widget's socket.io rooms shared by the Rasa servers (widget.py).
                "ALLYZURE_SOCKETIO_REDIS_URL": f"redis://127.0.0.1:{cfg.redis_port}/0",
            }
        )
        env.update(cfg.extra_env)
        return env

    def start(self) -> None:
        try:
            self._start_all(self._infrastructure())
            self._create_databases()
            self._prepare_shop_database()
            for group in self._application():
                self._start_together(group)
        except BaseException:
            self.stop()
            raise

    def service(self, name: str) -> Service:
        return next(service for service in self.services if service.name == name)

    def stop_services(self, *names: str) -> None:
        for name in names:
            self.service(name).stop()

    def start_services(self, *names: str) -> None:
        """Start stopped services again (together), on the same ports with the same data."""
        services = [self.service(name) for name in names]
        for service in services:
            service.start()
        for service in services:
            service.wait_until_ready()

    def restart(self, *names: str) -> None:
        self.stop_services(*names)
        self.start_services(*names)

    # --- infrastructure ------------------------------------------------------------------
    def _infrastructure(self) -> list[Service]:
        return [self._postgres_service(), self._redis_service()]

    def _postgres_service(self) -> Service:
        data = self._initialised_postgres_cluster()
        bin_dir = postgres_bin_dir()
        port = self.production.postgres_port
        return Service(
            name="postgres",
            command=[
                str(bin_dir / "postgres"),
                "-D",
                str(data),
                "-p",
                str(port),
                "-k",
                str(data),
                "-c",
                "listen_addresses=127.0.0.1",
                "-c",
                "max_connections=200",
                "-c",
                "fsync=on",
            ],
            ready=lambda: _pg_ready(bin_dir, port),
            user=_postgres_user(),
            stop_signal=signal.SIGINT,  # "fast" shutdown: no waiting for idle clients
            log=self._log("postgres"),
        )

    def _initialised_postgres_cluster(self) -> Path:
        data = self.production.data_dir / "postgres"
        if (data / "PG_VERSION").is_file():
            return data
        data.mkdir(parents=True, exist_ok=True)
        user = _postgres_user()
        if user:
            shutil.chown(data, user)
            data.chmod(0o700)
        subprocess.run(
            [
                str(postgres_bin_dir() / "initdb"),
                "-D",
                str(data),
                "-U",
                DB_USER,
                "--auth=trust",
                "-E",
                "UTF8",
                "--locale=C.UTF-8",
            ],
            check=True,
            user=user,
            stdout=subprocess.DEVNULL,
        )
        return data

    def _redis_service(self) -> Service:
        port = self.production.redis_port
        return Service(
            name="redis",
            command=[
                "redis-server",
                "--port",
                str(port),
                "--bind",
                "127.0.0.1",
                "--save",
                "",
                "--appendonly",
                "no",
                "--daemonize",
                "no",
                "--dir",
                str(self.production.data_dir),
            ],
            ready=lambda: tcp_answers(port, probe=b"PING\r\n", expect=b"+PONG"),
            log=self._log("redis"),
        )

    def _create_databases(self) -> None:
        import psycopg2

        admin = f"postgresql://{DB_USER}@127.0.0.1:{self.production.postgres_port}/postgres"
        connection = psycopg2.connect(admin)
        connection.autocommit = True  # CREATE DATABASE cannot run in a transaction
        try:
            with connection.cursor() as cursor:
                for name in (SHOP_DB, TRACKER_DB):
                    cursor.execute("SELECT 1 FROM pg_database WHERE datname = %s", (name,))
                    if cursor.fetchone() is None:
                        cursor.execute(f'CREATE DATABASE "{name}"')
        finally:
            connection.close()

    def _prepare_shop_database(self) -> None:
        """Migrate and load the demo data when empty, unless the caller prepares it itself."""
        url = self.production.shop_database_url
        if self.production.prepare_shop_database is not None:
            self.production.prepare_shop_database(url)
            return
        env = {**rasa_environment(), **self.production.extra_env, "ALLYZURE_DATABASE_URL": url}
        subprocess.run([sys.executable, "-m", "backend", "init-demo"], env=env, check=True)

    # --- application ---------------------------------------------------------------------
    def _application(self) -> list[list[Service]]:
        """Groups started one after the other; the servers of a group start together."""
        env = self.environment()
        endpoints = BOT_DIR / "endpoints.prod.yml"
        actions = [
            self._actions_service(f"actions-{index}", port, env)
            for index, port in enumerate(self.action_ports, start=1)
        ]
        rasa = [
            self._rasa_service(f"rasa-{index}", port, endpoints, env)
            for index, port in enumerate(self.rasa_ports, start=1)
        ]
        front = [self._nginx_service()]
        if self.config.web_port is not None:
            front.append(self._web_service(env))
        return [actions, rasa, front]

    def _nginx_service(self) -> Service:
        prefix = self.production.data_dir / "nginx"
        (prefix / "tmp").mkdir(parents=True, exist_ok=True)
        conf = prefix / "nginx.conf"
        conf.write_text(nginx_configuration(self.config, self.rasa_ports, self.action_ports))
        return Service(
            name="nginx",
            command=[nginx_binary(), "-p", str(prefix), "-c", str(conf), "-e", "stderr"],
            ready=lambda: tcp_answers(self.config.rasa_port)
            and tcp_answers(self.config.actions_port),
            log=self._log("nginx"),
        )


def _pg_ready(bin_dir: Path, port: int) -> bool:
    result = subprocess.run(
        [str(bin_dir / "pg_isready"), "-h", "127.0.0.1", "-p", str(port), "-U", DB_USER, "-q"],
        check=False,
    )
    return result.returncode == 0


def _upstream(name: str, ports: tuple[int, ...], balance: str) -> str:
    servers = "\n".join(f"        server 127.0.0.1:{port} max_fails=0;" for port in ports)
    # Idle upstream connections close before the servers' own keep-alive timeout (Sanic: 5 s),
    # so nginx never reuses a connection the server is closing (a reset request).
    return (
        f"    upstream {name} {{\n        {balance};\n{servers}\n"
        "        keepalive 32;\n        keepalive_timeout 3s;\n    }\n"
    )


def nginx_configuration(
    stack: StackConfig, rasa_ports: tuple[int, ...], action_ports: tuple[int, ...]
) -> str:
    """nginx in the foreground, no files outside its prefix, least-connections balancing."""
    proxy = """
            proxy_http_version 1.1;
            proxy_set_header Connection "";
            proxy_set_header Host $host;
            proxy_set_header X-Forwarded-For $proxy_add_x_forwarded_for;
            proxy_read_timeout 120s;
            proxy_next_upstream error;"""
    return f"""daemon off;
master_process on;
worker_processes 1;
pid nginx.pid;
error_log stderr warn;
events {{ worker_connections 1024; }}
http {{
    access_log off;
    client_max_body_size 1m;
    client_body_buffer_size 1m;
    client_body_temp_path tmp/body;
    proxy_temp_path tmp/proxy;
    fastcgi_temp_path tmp/fastcgi;
    uwsgi_temp_path tmp/uwsgi;
    scgi_temp_path tmp/scgi;
    proxy_max_temp_file_size 0;
{_upstream("rasa", rasa_ports, "least_conn")}\
{_upstream("rasa_sticky", rasa_ports, "hash $remote_addr consistent")}\
{_upstream("actions", action_ports, "least_conn")}
    server {{
        listen {stack.host}:{stack.rasa_port};
        location /socket.io/ {{
            proxy_pass http://rasa_sticky;{proxy}
            proxy_set_header Upgrade $http_upgrade;
        }}
        location / {{
            proxy_pass http://rasa;{proxy}
        }}
    }}
    server {{
        listen {stack.actions_host}:{stack.actions_port};
        location / {{
            proxy_pass http://actions;{proxy}
        }}
    }}
}}
"""


def production_config_from_environment(model: Path) -> ProductionConfig:
    return ProductionConfig(
        stack=config_from_environment(model),
        data_dir=VAR_DIR / "prod",
        postgres_port=int(os.environ.get("POSTGRES_PORT") or 5433),
        redis_port=int(os.environ.get("REDIS_PORT") or 6380),
        rasa_workers=int(os.environ.get("RASA_WORKERS") or 2),
        action_workers=int(os.environ.get("ACTION_WORKERS") or 2),
    )


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Start the Allyzure assistant (production).")
    parser.add_argument("--model", type=Path, help="model file (default: train it if stale)")
    args = parser.parse_args(argv)
    subprocess.run(["bash", str(ENSURE_INFRA)], check=True)
    config = production_config_from_environment(args.model or ensure_model())
    config.data_dir.mkdir(parents=True, exist_ok=True)
    stack = ProductionStack(config, log_dir=LOG_DIR / "prod")
    started = time.monotonic()
    return run_until_interrupted(stack, lambda: _announce(stack, started))


def _announce(stack: ProductionStack, started: float) -> None:
    print_urls(stack.config)
    print(
        f"Profil de production prêt en {time.monotonic() - started:.0f} s : "
        f"{len(stack.rasa_ports)} serveurs Rasa, {len(stack.action_ports)} serveurs d’actions "
        f"derrière nginx ; PostgreSQL sur le port {stack.production.postgres_port}, "
        f"Redis sur le port {stack.production.redis_port} ; "
        f"journaux dans {stack.log_dir}.",
        flush=True,
    )


if __name__ == "__main__":
    sys.exit(main())
