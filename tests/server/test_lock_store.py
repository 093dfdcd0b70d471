"""The production lock store against a real Redis: a conversation's messages one at a time, in
arrival order, none lost; other conversations never wait; a refusal instead of an endless wait
or a silent loss. Two store objects stand for two Rasa processes sharing the Redis."""

from __future__ import annotations

import asyncio
import subprocess
import time
from collections.abc import Iterator

import pytest

from server.lock_store import ConversationBusy, LockStoreUnavailable, RedisQueueLockStore
from tools.launcher import free_port
from tools.prod import tcp_answers

BURST = 20


class RedisServer:
    """A throw-away redis-server (Debian's package, as the production profile uses)."""

    def __init__(self) -> None:
        self.port = free_port()
        self.process: subprocess.Popen | None = None

    def start(self) -> None:
        self.process = subprocess.Popen(
            [
                "redis-server",
                "--port",
                str(self.port),
                "--bind",
                "127.0.0.1",
                "--save",
                "",
                "--appendonly",
                "no",
            ],
            stdout=subprocess.DEVNULL,
        )
        deadline = time.monotonic() + 10
        while not tcp_answers(self.port, probe=b"PING\r\n", expect=b"+PONG"):
            assert time.monotonic() < deadline, "redis-server did not start"
            time.sleep(0.05)

    def stop(self) -> None:
        self.process.terminate()
        self.process.wait(timeout=10)


@pytest.fixture
def redis_server() -> Iterator[RedisServer]:
    server = RedisServer()
    server.start()
    yield server
    server.stop()


@pytest.fixture
def redis_port(redis_server) -> int:
    return redis_server.port


def two_processes(port: int, **settings) -> list[RedisQueueLockStore]:
    return [RedisQueueLockStore(host="127.0.0.1", port=port, **settings) for _ in range(2)]


async def handle(store, conversation: str, journal: list, hold_s: float = 0.005) -> int:
    """One message: wait for the turn, note when it starts and ends, return its ticket."""
    async with store.lock(conversation) as lock:
        ticket = lock.now_serving
        journal.append(("start", ticket))
        await asyncio.sleep(hold_s)
        journal.append(("end", ticket))
        return ticket


def test_a_burst_into_one_conversation_is_served_one_at_a_time_in_arrival_order(redis_port):
    async def burst() -> tuple[list[int], list]:
        stores, journal = two_processes(redis_port), []
        messages = [handle(stores[index % 2], "burst", journal) for index in range(BURST)]
        return await asyncio.gather(*messages), journal

    tickets, journal = asyncio.run(burst())

    assert sorted(tickets) == list(range(1, BURST + 1))  # every message got its turn once
    starts = [ticket for kind, ticket in journal if kind == "start"]
    assert starts == sorted(starts)  # in the order the tickets were issued
    assert journal == [(kind, ticket) for ticket in starts for kind in ("start", "end")]


def test_another_conversation_does_not_wait_for_a_busy_one(redis_port):
    async def scenario() -> list[str]:
        first, second = two_processes(redis_port)
        order = []
        async with first.lock("busy"), second.lock("other"):
            order.append("other served while busy is held")
        order.append("busy released")
        return order

    assert asyncio.run(scenario()) == ["other served while busy is held", "busy released"]


def test_a_message_waiting_too_long_is_refused_and_the_next_one_still_gets_its_turn(redis_port):
    async def scenario() -> tuple[BaseException | None, int]:
        holder, waiter = two_processes(redis_port, wait_timeout=0.3)
        journal = []
        async with holder.lock("slow"):
            refused = await asyncio.gather(handle(waiter, "slow", journal), return_exceptions=True)
        after = await handle(waiter, "slow", journal)
        return refused[0], after

    refused, after = asyncio.run(scenario())

    assert isinstance(refused, ConversationBusy)
    assert after >= 1


def test_a_turn_held_by_a_crashed_process_expires_after_its_lifetime(redis_port):
    async def scenario() -> int:
        crashed, alive = two_processes(redis_port)
        never_released = crashed.lock("crash", lock_lifetime=0.3)
        await never_released.__aenter__()  # the process dies while handling the message
        async with alive.lock("crash") as lock:
            return lock.now_serving

    assert asyncio.run(scenario()) == 2


def test_an_unreachable_redis_is_reported_not_skipped():
    store = RedisQueueLockStore(host="127.0.0.1", port=free_port())

    async def scenario() -> None:
        async with store.lock("anyone"):
            pytest.fail("a message was handled without the lock")

    with pytest.raises(LockStoreUnavailable):
        asyncio.run(scenario())


def test_a_restarted_redis_serves_the_next_message_on_a_fresh_connection(redis_server):
    async def scenario() -> list[int]:
        store, journal = RedisQueueLockStore(host="127.0.0.1", port=redis_server.port), []
        first = await handle(store, "restart", journal)
        redis_server.stop()
        redis_server.start()  # the store's pooled connection is now closed by the server
        return [first, await handle(store, "restart", journal)]

    assert asyncio.run(scenario()) == [1, 1]
