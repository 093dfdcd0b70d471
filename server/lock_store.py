"""The production lock store: one message of a conversation at a time, in arrival order, fast.

Named in bot/endpoints.prod.yml (`type: server.lock_store.RedisQueueLockStore`). Several Rasa
processes serve the same conversations, so a message must wait until the previous one of its
conversation has been handled. Rasa 3.6's RedisLockStore loses messages under a burst:

- its ticket queue is read, changed in Python and written back (GET then SET): two processes
  issuing a ticket at once overwrite each other's, so a ticket vanishes ("Could not acquire
  lock", an empty HTTP 200) or two messages get the same number and run at once;
- a waiting message looks again only every second, so a burst of 20 takes 20 s or more, and
  every ticket expires 60 s after it was *issued*, waiting included: the end of a long queue
  expires before its turn and is dropped;
- its Redis calls are synchronous and block the Rasa process's event loop.

Here every step is one atomic Redis script (tickets from INCR, a sorted queue), a waiting
message polls more often the closer it is to the front, a waiting ticket stays alive as long
as its process keeps asking (a crashed process's tickets expire within `WAITING_TTL_S`), and
the holder's ticket lives `lock_lifetime` seconds from the moment it got its turn. A message
that waits longer than `wait_timeout` seconds is refused (`ConversationBusy`: the customer is
asked to send it again, server/patches.py), and a Redis that cannot be reached raises
`LockStoreUnavailable` (the customer gets the apology): nothing is handled without the lock.
"""

from __future__ import annotations

import asyncio
import logging
import time
from collections import deque
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any

from rasa.core.lock import Ticket, TicketLock
from rasa.core.lock_store import LOCK_LIFETIME, LockError, LockStore
from redis import asyncio as redis
from redis.asyncio.retry import Retry
from redis.backoff import NoBackoff
from redis.exceptions import ConnectionError as RedisConnectionError
from redis.exceptions import RedisError

logger = logging.getLogger(__name__)

# A waiting message renews its ticket at every poll; one nobody renews for this long belongs
# to a process that died, and leaves the queue. Longer than the socket timeout: a Redis frozen
# for a few seconds delays the polls, it does not make their tickets expire.
WAITING_TTL_S = 20.0
# How long a message may wait for its turn before it is refused (the customer resends it).
DEFAULT_WAIT_TIMEOUT_S = 60.0
# Sleep between two looks at the queue: this much per message ahead, within these bounds.
POLL_PER_MESSAGE_AHEAD_S = 0.01
MAX_POLL_S = 0.25
DEFAULT_SOCKET_TIMEOUT_S = 15.0
CONNECT_TIMEOUT_S = 5.0
KEY_PREFIX = "allyzure"

# KEYS: counter, queue (sorted set of ticket numbers), expiries (hash ticket → ms)
# ARGV: now ms, ticket ttl ms, keys ttl ms → the new ticket's number
_ISSUE = """
local ticket = redis.call('INCR', KEYS[1])
redis.call('ZADD', KEYS[2], ticket, ticket)
redis.call('HSET', KEYS[3], ticket, tonumber(ARGV[1]) + tonumber(ARGV[2]))
for _, key in ipairs(KEYS) do redis.call('PEXPIRE', key, ARGV[3]) end
return ticket
"""

# ARGV: ticket, now ms, ttl ms while waiting, ttl ms once served, keys ttl ms
# → -1 the ticket has expired, 0 its turn (renewed for the served ttl), n messages ahead
_TURN = """
local now = tonumber(ARGV[2])
local mine = redis.call('HGET', KEYS[3], ARGV[1])
if not mine or tonumber(mine) < now then
  redis.call('ZREM', KEYS[2], ARGV[1])
  redis.call('HDEL', KEYS[3], ARGV[1])
  return -1
end
local ahead = 0
for _, ticket in ipairs(redis.call('ZRANGE', KEYS[2], 0, -1)) do
  if ticket == ARGV[1] then break end
  local expires = redis.call('HGET', KEYS[3], ticket)
  if not expires or tonumber(expires) < now then
    redis.call('ZREM', KEYS[2], ticket)
    redis.call('HDEL', KEYS[3], ticket)
  else
    ahead = ahead + 1
  end
end
local ttl = ahead == 0 and ARGV[4] or ARGV[3]
redis.call('HSET', KEYS[3], ARGV[1], now + tonumber(ttl))
for _, key in ipairs(KEYS) do redis.call('PEXPIRE', key, ARGV[5]) end
return ahead
"""

# ARGV: ticket → the queue's remaining length (its keys go once it is empty)
_RELEASE = """
redis.call('ZREM', KEYS[2], ARGV[1])
redis.call('HDEL', KEYS[3], ARGV[1])
local left = redis.call('ZCARD', KEYS[2])
if left == 0 then redis.call('DEL', KEYS[1], KEYS[2], KEYS[3]) end
return left
"""


class ConversationBusy(LockError):
    """The message waited `wait_timeout` seconds behind its conversation's earlier ones."""


class LockStoreUnavailable(LockError):
    """Redis could not be reached: the message cannot be handled safely."""


def _milliseconds(seconds: float) -> int:
    return int(seconds * 1000)


class RedisQueueLockStore(LockStore):
    """A per-conversation FIFO queue in Redis (see the module doc)."""

    def __init__(self, endpoint_config: Any = None, **settings: Any) -> None:
        options = {**(getattr(endpoint_config, "kwargs", None) or {}), **settings}
        self.key_prefix = f"{options.get('key_prefix') or KEY_PREFIX}:queue:"
        self.wait_timeout_s = float(options.get("wait_timeout") or DEFAULT_WAIT_TIMEOUT_S)
        self.red = redis.Redis(
            host=getattr(endpoint_config, "url", None) or options.get("host") or "localhost",
            port=int(options.get("port") or 6379),
            db=int(options.get("db") or 0),
            password=options.get("password"),
            socket_timeout=float(options.get("socket_timeout") or DEFAULT_SOCKET_TIMEOUT_S),
            socket_connect_timeout=CONNECT_TIMEOUT_S,
            # A pooled connection Redis closed (a restart) is replaced once, at once; a
            # timeout is not retried: the script may have run.
            retry=Retry(NoBackoff(), 1),
            retry_on_error=[RedisConnectionError],
        )
        self._issue = self.red.register_script(_ISSUE)
        self._turn = self.red.register_script(_TURN)
        self._release = self.red.register_script(_RELEASE)
        super().__init__()

    def _keys(self, conversation_id: str) -> list[str]:
        base = self.key_prefix + conversation_id
        return [f"{base}:next", f"{base}:tickets", f"{base}:expires"]

    @asynccontextmanager
    async def lock(
        self,
        conversation_id: str,
        lock_lifetime: float = LOCK_LIFETIME,
        wait_time_in_seconds: float = MAX_POLL_S,
    ) -> AsyncIterator[TicketLock]:
        """Wait for this message's turn in its conversation, hold it, then pass it on."""
        keys = self._keys(conversation_id)
        keys_ttl = _milliseconds(max(lock_lifetime, self.wait_timeout_s) * 2)
        try:
            ticket = await self._issue(
                keys, [_milliseconds(time.time()), _milliseconds(WAITING_TTL_S), keys_ttl]
            )
        except RedisError as error:
            raise LockStoreUnavailable(f"lock store unreachable: {error}") from error
        try:
            await self._wait_for_turn(conversation_id, keys, ticket, lock_lifetime, keys_ttl)
            served = Ticket(ticket, time.time() + lock_lifetime)
            yield TicketLock(conversation_id, deque([served]))
        finally:
            await self._pass_on(conversation_id, keys, ticket)

    async def _wait_for_turn(
        self, conversation_id: str, keys: list[str], ticket: int, lifetime: float, keys_ttl: int
    ) -> None:
        deadline = time.monotonic() + self.wait_timeout_s
        while True:
            arguments = [
                ticket,
                _milliseconds(time.time()),
                _milliseconds(WAITING_TTL_S),
                _milliseconds(lifetime),
                keys_ttl,
            ]
            try:
                ahead = await self._turn(keys, arguments)
            except RedisError as error:
                raise LockStoreUnavailable(f"lock store unreachable: {error}") from error
            if ahead == 0:
                return
            if ahead < 0 or time.monotonic() > deadline:
                logger.warning("Conversation lock not obtained in time (%d ahead)", ahead)
                raise ConversationBusy(f"conversation {conversation_id!r} is busy")
            await asyncio.sleep(min(POLL_PER_MESSAGE_AHEAD_S * ahead, MAX_POLL_S))

    async def _pass_on(self, conversation_id: str, keys: list[str], ticket: int) -> None:
        """Leave the queue (the next message's turn); if Redis is gone, the ticket expires."""
        try:
            await self._release(keys, [ticket])
        except RedisError as error:
            logger.warning("Conversation lock not released (%s): it will expire", error)

    # Rasa's synchronous ticket API is not used by this store: lock() above replaces it.
    def get_lock(self, conversation_id: str) -> TicketLock | None:
        raise NotImplementedError("RedisQueueLockStore is used through lock() only")

    def delete_lock(self, conversation_id: str) -> None:
        raise NotImplementedError("RedisQueueLockStore is used through lock() only")

    def save_lock(self, lock: TicketLock) -> None:
        raise NotImplementedError("RedisQueueLockStore is used through lock() only")
