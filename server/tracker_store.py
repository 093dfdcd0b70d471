"""The production tracker store: Rasa's SQLTrackerStore that survives dropped connections.

Named in bot/endpoints.prod.yml (`type: conversation_store.ReconnectingSQLTrackerStore`).
Rasa 3.6's SQL store keeps pooled connections without checking them: once PostgreSQL has
closed them (restart, failover, pg_terminate_backend) the next read fails, Rasa's
FailSafeTrackerStore swallows the error and the message is handled with an empty tracker
(a `session_started` in the middle of the conversation, the identification gone), then
saved to an in-memory store. Here:

- connections are checked before use (SQLAlchemy `pool_pre_ping`), and a read or write that
  still meets a dropped connection is retried on a fresh one (`ATTEMPTS`, short pauses);
- a store that stays unreachable raises `TrackerStoreUnavailable` instead of answering with
  nothing. tools/rasa_server.py keeps Rasa from wrapping this store in its fail-safe
  (in-memory fallback) and answers such a message with the French apology, writing nothing.

A retried save never stores an event twice: Rasa counts the stored events again before
writing, so a write whose commit did land before the connection dropped is not repeated.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable
from typing import Any, TypeVar

import rasa.core.tracker_store
import sqlalchemy as sa
from rasa.core.tracker_store import SQLTrackerStore
from sqlalchemy.exc import DBAPIError, OperationalError, SQLAlchemyError

logger = logging.getLogger(__name__)

# Three tries, the last one 1.5 s after the first: enough for a dropped connection or a
# PostgreSQL restart's first seconds, short enough for a customer waiting for an answer.
ATTEMPTS = 3
PAUSES_S = (0.5, 1.0)
# tools/rasa_server.py caches how many of a tracker's events are stored under this attribute.
STORED_EVENTS_ATTRIBUTE = "_allyzure_stored_events"

Result = TypeVar("Result")


class TrackerStoreUnavailable(Exception):
    """The conversation store could not be read or written (lost connections: even on fresh
    ones)."""


def _connection_lost(error: Exception) -> bool:
    if isinstance(error, DBAPIError) and error.connection_invalidated:
        return True
    return isinstance(error, OperationalError)  # refused, timed out, server shutting down


class ReconnectingSQLTrackerStore(SQLTrackerStore):
    """SQLTrackerStore with connection checks, retries and no silent empty tracker."""

    # tools/rasa_server.py: Rasa must not put its in-memory fallback in front of this store.
    replaces_fail_safe = True

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        url = self.engine.url
        self.engine.dispose()
        # create_engine_kwargs is looked up now: tools/rasa_server.py may have wrapped it.
        engine_kwargs = rasa.core.tracker_store.create_engine_kwargs(url)
        self.engine = sa.create_engine(url, pool_pre_ping=True, **engine_kwargs)
        self.sessionmaker = sa.orm.session.sessionmaker(bind=self.engine)

    async def retrieve(self, sender_id: str):
        return await self._reconnecting(lambda _: SQLTrackerStore.retrieve(self, sender_id))

    async def retrieve_full_tracker(self, conversation_id: str):
        return await self._reconnecting(
            lambda _: SQLTrackerStore.retrieve_full_tracker(self, conversation_id)
        )

    async def keys(self):
        return await self._reconnecting(lambda _: SQLTrackerStore.keys(self))

    async def save(self, tracker: Any) -> None:
        def attempt(number: int) -> Awaitable[None]:
            if number and hasattr(tracker, STORED_EVENTS_ATTRIBUTE):
                # Let Rasa count the stored events again: the failed commit may have landed.
                delattr(tracker, STORED_EVENTS_ATTRIBUTE)
            return SQLTrackerStore.save(self, tracker)

        await self._reconnecting(attempt)

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
