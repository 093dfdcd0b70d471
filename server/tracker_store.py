"""The conversation store: Rasa's SQLTrackerStore that survives dropped connections, never
falls back to memory, hides SQL parameters, and saves a turn without recounting.

Named in bot/endpoints.yml (SQLite) and bot/endpoints.prod.yml (PostgreSQL) as
`type: server.tracker_store.ConversationStore`, Rasa's own extension point for a custom
tracker store: a plain `rasa run` with the project's endpoints gets all of it.

- **Dropped connections.** Rasa 3.6's SQL store keeps pooled connections without checking
  them: once PostgreSQL has closed them (restart, failover, pg_terminate_backend) the next read
  fails, Rasa's FailSafeTrackerStore swallows the error and the message is handled with an
  empty tracker (a `session_started` in the middle of the conversation, the identification
  gone), then saved to an in-memory store. Here PostgreSQL connections are checked before use
  (SQLAlchemy `pool_pre_ping`), and a read or write that still meets a dropped connection is
  retried on a fresh one (`ATTEMPTS`, short pauses).
- **No in-memory fallback.** A store that stays unreachable raises `TrackerStoreUnavailable`
  instead of answering with nothing; `replaces_fail_safe` keeps Rasa from wrapping this store
  in its fail-safe (server/patches.py) and the customer gets the French apology.
- **No customer data in errors.** A failed statement's exception (and any log of it) would
  otherwise carry its bound values: the conversation's events, with emails and addresses.
- **SQLite (the default profile) in WAL mode over pooled connections.** SQLAlchemy 1.4 gives a
  file-based SQLite database no pool, so each read and write of a turn opened and closed a
  connection, and closing the last connection of a WAL database checkpoints it: ~6 ms per turn
  (reports/bench). Reads never wait for a writer. Connections are used by one session at a
  time; they may change threads. Commits do not wait for the disk (`synchronous=NORMAL`, the
  setting SQLite advises for WAL): the sync of the log at each commit held Rasa's event loop
  ~8 ms per turn, every conversation waiting (a save 8.0 → 0.5 ms, wall p50). A committed turn
  survives any crash or restart of the process; only a power cut or a crash of the machine
  itself may lose the last turns written, which the WAL then rolls back cleanly (the
  production profile's PostgreSQL keeps its own durable commits).
- **Saving a turn does not count the stored events again.** To save a turn, Rasa 3.6 first
  counts the conversation's stored events with a query (about half of the save, reports/bench)
  to know which events are new. A tracker this store has just read holds exactly the stored
  events of its session, and the lock store keeps any other process from writing that
  conversation until it is saved (the in-memory lock of the one Rasa process of `make run`,
  Redis in the production profile); so the count is taken when the tracker is read and kept
  up to date on each save. A tracker the store did not read (a new conversation) is still
  counted by Rasa's query, and so is one whose save is retried (the failed commit may have
  landed): a retried save never stores an event twice.
- **Events read and written as rows, not ORM objects.** Rasa's query of a conversation builds
  an ORM object per stored event to read its one JSON column, and its save adds one ORM object
  per new event to the session: the same query now selects the JSON column alone, and the new
  events go in one multi-row INSERT of the same columns (in process, about 2 of the 5.5 ms
  of CPU a 64-event conversation took to read back).
"""

from __future__ import annotations

import asyncio
import itertools
import json
import logging
import sqlite3
from collections.abc import Awaitable, Callable, Iterator
from typing import Any, TypeVar

import rasa.core.tracker_store
import sqlalchemy as sa
from rasa.core.tracker_store import SQLTrackerStore
from rasa.shared.core.events import Event
from rasa.shared.core.trackers import DialogueStateTracker
from sqlalchemy.exc import DBAPIError, OperationalError, SQLAlchemyError
from sqlalchemy.pool import QueuePool

logger = logging.getLogger(__name__)

# Three tries, the last one 1.5 s after the first: enough for a dropped connection or a
# PostgreSQL restart's first seconds, short enough for a customer waiting for an answer.
ATTEMPTS = 3
PAUSES_S = (0.5, 1.0)
# How many of a tracker's events are stored, kept on the tracker between its read and its save.
STORED_EVENTS_ATTRIBUTE = "_allyzure_stored_events"
SQLITE_POOL_SIZE = 2

Result = TypeVar("Result")


class TrackerStoreUnavailable(Exception):
    """The conversation store could not be read or written (lost connections: even on fresh
    ones)."""


def _connection_lost(error: Exception) -> bool:
    if isinstance(error, DBAPIError) and error.connection_invalidated:
        return True
    return isinstance(error, OperationalError)  # refused, timed out, server shutting down


def engine_kwargs(url: sa.engine.URL) -> dict[str, Any]:
    """Rasa's engine settings for `url`, plus ours (module doc)."""
    kwargs: dict[str, Any] = {**rasa.core.tracker_store.create_engine_kwargs(url)}
    kwargs["hide_parameters"] = True
    if url.get_backend_name() == "sqlite":
        kwargs.update(
            poolclass=QueuePool,
            pool_size=SQLITE_POOL_SIZE,
            connect_args={"check_same_thread": False},
        )
    else:
        kwargs["pool_pre_ping"] = True
    return kwargs


def use_write_ahead_log(dbapi_connection: Any, _record: Any) -> None:
    """WAL, and commits that do not wait for the disk (module doc)."""
    if isinstance(dbapi_connection, sqlite3.Connection):
        dbapi_connection.execute("PRAGMA journal_mode=WAL")
        dbapi_connection.execute("PRAGMA synchronous=NORMAL")


def event_row(sender_id: str, event: Event) -> dict[str, Any]:
    """The stored row of `event`, with the columns Rasa's save fills."""
    data = event.as_dict()
    return {
        "sender_id": sender_id,
        "type_name": event.type_name,
        "timestamp": data.get("timestamp"),
        "intent_name": data.get("parse_data", {}).get("intent", {}).get("name"),
        "action_name": data.get("name"),
        "data": json.dumps(data),
    }


class ConversationStore(SQLTrackerStore):
    """SQLTrackerStore with connection checks, retries, no silent empty tracker, hidden SQL
    parameters, pooled WAL SQLite and counted saves (module doc)."""

    # server/patches.py: Rasa must not put its in-memory fallback in front of this store.
    replaces_fail_safe = True
    engine: sa.engine.Engine

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        url = self.engine.url
        self.engine.dispose()
        self.engine = sa.create_engine(url, **engine_kwargs(url))
        if url.get_backend_name() == "sqlite":
            sa.event.listen(self.engine, "connect", use_write_ahead_log)
        self.sessionmaker = sa.orm.session.sessionmaker(bind=self.engine)

    async def retrieve(self, sender_id: str) -> DialogueStateTracker | None:
        return await self._reconnecting(lambda _: SQLTrackerStore.retrieve(self, sender_id))

    async def retrieve_full_tracker(self, conversation_id: str) -> DialogueStateTracker | None:
        return await self._reconnecting(
            lambda _: SQLTrackerStore.retrieve_full_tracker(self, conversation_id)
        )

    async def keys(self) -> Any:
        return await self._reconnecting(lambda _: SQLTrackerStore.keys(self))

    async def save(self, tracker: DialogueStateTracker) -> None:
        def attempt(number: int) -> Awaitable[None]:
            if number and hasattr(tracker, STORED_EVENTS_ATTRIBUTE):
                # Let Rasa count the stored events again: the failed commit may have landed.
                delattr(tracker, STORED_EVENTS_ATTRIBUTE)
            return self._save_new_events(tracker)

        await self._reconnecting(attempt)
        setattr(tracker, STORED_EVENTS_ATTRIBUTE, len(tracker.events))

    async def _retrieve(
        self, sender_id: str, fetch_events_from_all_sessions: bool
    ) -> DialogueStateTracker | None:
        """Rasa's `SQLTrackerStore._retrieve`, reading the events' JSON column alone."""
        with self.session_scope() as session:
            query = self._event_query(session, sender_id, fetch_events_from_all_sessions)
            rows = query.with_entities(self.SQLEvent.data).all()
        events = [json.loads(data) for (data,) in rows]
        if not self.domain or not events:
            return None
        tracker = DialogueStateTracker.from_dict(sender_id, events, self.domain.slots)
        if not fetch_events_from_all_sessions:
            setattr(tracker, STORED_EVENTS_ATTRIBUTE, len(tracker.events))
        return tracker

    async def _save_new_events(self, tracker: DialogueStateTracker) -> None:
        """Rasa's `SQLTrackerStore.save`, the new events written in one multi-row INSERT."""
        await self.stream_events(tracker)
        with self.session_scope() as session:
            rows = [
                event_row(tracker.sender_id, event)
                for event in self._additional_events(session, tracker)
            ]
            if rows:
                session.execute(self.SQLEvent.__table__.insert(), rows)
            session.commit()

    def _additional_events(self, session: Any, tracker: DialogueStateTracker) -> Iterator:
        stored = getattr(tracker, STORED_EVENTS_ATTRIBUTE, None)
        if stored is None:
            return super()._additional_events(session, tracker)
        return itertools.islice(tracker.events, stored, None)

    async def _reconnecting(self, call: Callable[[int], Awaitable[Result]]) -> Result:
        """`call(attempt number)`, again on a fresh connection when the connection was lost."""
        for attempt in range(ATTEMPTS):
            try:
                return await call(attempt)
            except SQLAlchemyError as error:
                if not _connection_lost(error) or attempt == ATTEMPTS - 1:
                    raise TrackerStoreUnavailable("conversation store failed") from error
                logger.warning(
                    "Conversation store connection lost (%s), retrying on a fresh one",
                    type(getattr(error, "orig", None) or error).__name__,
                )
                await asyncio.sleep(PAUSES_S[attempt])
        raise AssertionError("unreachable")
