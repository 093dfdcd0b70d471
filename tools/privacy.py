"""Retention and erasure of personal data, for operators (SECURITY.md, "Retention and erasure").

    python -m tools.privacy purge-expired      # conversations and free text older than retention
    python -m tools.privacy erase EMAIL        # everything about one customer, on request

Both work on the two stores the assistant keeps: the shop database (ALLYZURE_DATABASE_URL,
backend/services/privacy.py) and the conversations — Rasa's SQL tracker store, its `events`
table: `--tracker-url`, else the production profile's TRACKER_PG_* variables, else the
default profile's SQLite file (TRACKER_DB_PATH, default var/tracker.db). The retention is
policy.yml `retention.days`; "now" is ALLYZURE_NOW when set, as for the rest of the backend.

- `purge-expired` deletes every conversation whose latest event is older than the retention
  (a conversation still going on is kept whole), and blanks the free text of service requests
  unchanged for as long;
- `erase` deletes the customer, their orders and requests, their failed identity checks, and
  every conversation that mentions the email or that one of their requests came from, with
  what the agent workspace kept about those conversations (audit trail, ratings).

Deleted SQLite rows are overwritten (`secure_delete`), not just unlinked. Both commands can
run while the assistant serves: a purged conversation simply starts afresh.
"""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Iterable, Sequence
from datetime import datetime
from typing import Any

import sqlalchemy as sa
from sqlalchemy.engine import Engine, make_url

from backend.clock import clock_from_settings
from backend.config import load_settings
from backend.db import make_engine, make_session_factory
from backend.identity import normalise_email
from backend.migrate import migrate
from backend.policies import load_policy
from backend.services.privacy import (
    erase_customer,
    forget_conversations,
    free_text_cutoff,
    purge_expired_free_text,
)
from tools.model import PROJECT_ROOT

EXIT_OK = 0
EXIT_INVALID = 2
# Rasa's SQLTrackerStore table: one row per event, `timestamp` in seconds since the epoch.
EVENTS = sa.table(
    "events",
    sa.column("sender_id", sa.String),
    sa.column("timestamp", sa.Float),
    sa.column("data", sa.Text),
)
DELETE_CHUNK = 500


def tracker_store_url(environ: dict[str, str] | os._Environ = os.environ) -> str:
    """The tracker store as the Rasa server of either profile is configured with it."""
    if environ.get("TRACKER_PG_HOST"):
        user, host = environ.get("TRACKER_PG_USER", "allyzure"), environ["TRACKER_PG_HOST"]
        port, db = environ.get("TRACKER_PG_PORT", "5432"), environ.get("TRACKER_PG_DB", "")
        return f"postgresql://{user}@{host}:{port}/{db}"
    path = environ.get("TRACKER_DB_PATH") or str(PROJECT_ROOT / "var" / "tracker.db")
    return f"sqlite:///{path}"


def tracker_engine(url: str) -> Engine:
    """An engine on the tracker store; SQLite overwrites what it deletes."""
    engine = sa.create_engine(url, hide_parameters=True, future=True)
    if make_url(url).get_backend_name() == "sqlite":
        sa.event.listen(engine, "connect", _secure_delete)
    return engine


def _secure_delete(dbapi_connection: Any, _record: Any) -> None:
    dbapi_connection.execute("PRAGMA secure_delete = ON")


def _has_events_table(engine: Engine) -> bool:
    return sa.inspect(engine).has_table("events")


def _delete_conversations(connection: Any, senders: Iterable[str]) -> int:
    senders = sorted(set(senders))
    for start in range(0, len(senders), DELETE_CHUNK):
        chunk = senders[start : start + DELETE_CHUNK]
        connection.execute(sa.delete(EVENTS).where(EVENTS.c.sender_id.in_(chunk)))
    return len(senders)


def purge_conversations_before(engine: Engine, cutoff: datetime) -> int:
    """Delete the conversations whose latest event is before `cutoff`; how many."""
    if not _has_events_table(engine):
        return 0
    stale = (
        sa.select(EVENTS.c.sender_id)
        .group_by(EVENTS.c.sender_id)
        .having(sa.func.max(EVENTS.c.timestamp) < cutoff.timestamp())
    )
    with engine.begin() as connection:
        senders = connection.execute(stale).scalars().all()
        return _delete_conversations(connection, senders)


def conversations_mentioning(engine: Engine, email: str) -> list[str]:
    """The conversations in which `email` appears (any case)."""
    if not _has_events_table(engine):
        return []
    mentioning = (
        sa.select(EVENTS.c.sender_id)
        .where(sa.func.lower(EVENTS.c.data).contains(email.lower(), autoescape=True))
        .distinct()
    )
    with engine.connect() as connection:
        return list(connection.execute(mentioning).scalars().all())


def delete_conversations(engine: Engine, conversation_ids: Iterable[str]) -> int:
    """Delete these conversations' events; how many conversations were named."""
    if not _has_events_table(engine):
        return 0
    with engine.begin() as connection:
        return _delete_conversations(connection, conversation_ids)


def _shop_session_factory(database_url: str):
    engine = make_engine(database_url)
    if make_url(database_url).get_backend_name() == "sqlite":
        sa.event.listen(engine, "connect", _secure_delete)
    migrate(engine)
    return make_session_factory(engine)


def _purge_expired(arguments: argparse.Namespace) -> int:
    settings = load_settings()
    retention = load_policy().retention
    cutoff = free_text_cutoff(clock_from_settings(settings).now(), retention)
    requests = purge_expired_free_text(_shop_session_factory(settings.database_url), cutoff)
    conversations = purge_conversations_before(tracker_engine(arguments.tracker_url), cutoff)
    print(
        f"retention {retention.days} days (before {cutoff.isoformat()}): "
        f"{conversations} conversation(s) deleted, free text removed from {requests} "
        "service request(s)"
    )
    return EXIT_OK


def _erase(arguments: argparse.Namespace) -> int:
    email = normalise_email(arguments.email)
    if email is None:
        print(f"error: not an email address: {arguments.email!r}", file=sys.stderr)
        return EXIT_INVALID
    settings = load_settings()
    tracker = tracker_engine(arguments.tracker_url)
    shop = _shop_session_factory(settings.database_url)
    mentioning = conversations_mentioning(tracker, email)
    erased = erase_customer(shop, email)
    conversation_ids = sorted({*mentioning, *erased.conversation_ids})
    workspace_rows = forget_conversations(shop, conversation_ids)
    conversations = delete_conversations(tracker, conversation_ids)
    print(
        f"erased: {erased.customers} customer, {erased.orders} order(s), "
        f"{erased.service_requests} service request(s), {erased.identity_failures} failed "
        f"identity check(s), {conversations} conversation(s), {workspace_rows} agent-workspace "
        "record(s)"
    )
    return EXIT_OK


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="python -m tools.privacy", description=__doc__.splitlines()[0]
    )
    parser.add_argument(
        "--tracker-url",
        default=tracker_store_url(),
        help="the conversations' database (default: as the Rasa server is configured)",
    )
    commands = parser.add_subparsers(required=True, metavar="COMMAND")
    command = commands.add_parser(
        "purge-expired", help="delete conversations and free text older than the retention"
    )
    command.set_defaults(command=_purge_expired)
    command = commands.add_parser("erase", help="delete everything about one customer")
    command.add_argument("email")
    command.set_defaults(command=_erase)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    arguments = _parser().parse_args(argv)
    try:
        return arguments.command(arguments)
    except ValueError as error:  # a malformed ALLYZURE_NOW or policy value
        print(f"error: {error}", file=sys.stderr)
        return EXIT_INVALID


if __name__ == "__main__":
    sys.exit(main())
