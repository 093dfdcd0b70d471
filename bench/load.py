"""The load generator: virtual customers playing full conversations over the REST channel.

Closed loop: N customers, each sending its next turn as soon as the previous answer arrives
(throughput at a given concurrency). Open loop: turns are sent on a fixed schedule whatever
the answers' latency, a new conversation being started whenever no conversation is waiting
for its next turn (latency at a given arrival rate, queueing included).
"""

from __future__ import annotations

import asyncio
import itertools
import time
import uuid
from collections import deque
from collections.abc import Iterator
from dataclasses import dataclass, field

import aiohttp

from bench.conversation import Turn, answer_error, reply_texts, turns_for
from bench.fixture import BenchCustomer
from bench.stats import latency_summary

REQUEST_TIMEOUT_S = 30.0


@dataclass(frozen=True)
class TurnResult:
    step: str
    latency_s: float
    error: str | None


@dataclass
class Conversation:
    """One conversation of one customer, with a fresh id: the script's next turn to send."""

    customer: BenchCustomer
    sender: str
    turns: list[Turn]
    position: int = 0

    @classmethod
    def start(cls, customer: BenchCustomer) -> Conversation:
        return cls(customer, f"bench-{uuid.uuid4().hex[:12]}", turns_for(customer))

    @property
    def finished(self) -> bool:
        return self.position >= len(self.turns)

    def next_turn(self) -> Turn:
        turn = self.turns[self.position]
        self.position += 1
        return turn


class CustomerPool:
    """Hands out the bench customers in turn, so concurrent conversations use different ones."""

    def __init__(self, customers: list[BenchCustomer]) -> None:
        self._cycle: Iterator[BenchCustomer] = itertools.cycle(customers)

    def new_conversation(self) -> Conversation:
        return Conversation.start(next(self._cycle))


@dataclass
class LevelResult:
    """Every turn of one load level, and the wall-clock time it took."""

    turns: list[TurnResult] = field(default_factory=list)
    elapsed_s: float = 0.0

    def summary(self) -> dict:
        latencies = [turn.latency_s for turn in self.turns]
        errors = [turn for turn in self.turns if turn.error]
        return {
            "turns": len(self.turns),
            "elapsed_s": round(self.elapsed_s, 2),
            "turns_per_s": round(len(self.turns) / self.elapsed_s, 2) if self.elapsed_s else 0.0,
            **latency_summary(latencies),
            "errors": len(errors),
            "error_examples": sorted({turn.error for turn in errors})[:5],
        }

    def step_latencies(self) -> dict[str, list[float]]:
        by_step: dict[str, list[float]] = {}
        for turn in self.turns:
            by_step.setdefault(turn.step, []).append(turn.latency_s)
        return by_step


class RestTarget:
    """The Rasa server's REST channel and /model/parse, over one keep-alive connection pool."""

    def __init__(self, rasa_url: str, auth_token: str, session: aiohttp.ClientSession) -> None:
        self.webhook_url = f"{rasa_url}/webhooks/rest/webhook"
        self.parse_url = f"{rasa_url}/model/parse"
        self.auth_token = auth_token
        self.session = session

    async def send(self, conversation: Conversation) -> TurnResult:
        """Send the conversation's next turn; time it and check the answer."""
        turn = conversation.next_turn()
        started = time.perf_counter()
        try:
            async with self.session.post(
                self.webhook_url, json={"sender": conversation.sender, "message": turn.message}
            ) as response:
                status = response.status
                body = await response.json(content_type=None) if status == 200 else None
        except (TimeoutError, aiohttp.ClientError, ValueError) as error:
            return TurnResult(turn.step, time.perf_counter() - started, f"HTTP: {error!r}")
        latency = time.perf_counter() - started
        if status != 200:
            return TurnResult(turn.step, latency, f"HTTP status {status}")
        return TurnResult(
            turn.step, latency, answer_error(reply_texts(body), turn, conversation.customer)
        )

    async def parse(self, text: str) -> TurnResult:
        """One /model/parse call: NLU only, no tracker, no policy, no action."""
        started = time.perf_counter()
        try:
            async with self.session.post(
                self.parse_url, params={"token": self.auth_token}, json={"text": text}
            ) as response:
                status = response.status
                body = await response.json(content_type=None) if status == 200 else None
        except (TimeoutError, aiohttp.ClientError, ValueError) as error:
            return TurnResult("parse", time.perf_counter() - started, f"HTTP: {error!r}")
        latency = time.perf_counter() - started
        if status != 200:
            return TurnResult("parse", latency, f"HTTP status {status}")
        intent = (body or {}).get("intent") or {}
        return TurnResult("parse", latency, None if intent.get("name") else "no intent")


def client_session(connections: int) -> aiohttp.ClientSession:
    timeout = aiohttp.ClientTimeout(total=REQUEST_TIMEOUT_S)
    return aiohttp.ClientSession(timeout=timeout, connector=aiohttp.TCPConnector(limit=connections))


async def closed_loop(
    target: RestTarget, pool: CustomerPool, customers: int, duration_s: float
) -> LevelResult:
    """`customers` virtual customers back to back for `duration_s`; a turn started before the
    deadline is waited for, none is started after it."""
    result = LevelResult()
    started = time.perf_counter()
    deadline = started + duration_s

    async def customer() -> None:
        conversation = pool.new_conversation()
        while time.perf_counter() < deadline:
            if conversation.finished:
                conversation = pool.new_conversation()
            result.turns.append(await target.send(conversation))

    await asyncio.gather(*(customer() for _ in range(customers)))
    result.elapsed_s = time.perf_counter() - started
    return result


def turn_offsets(turns_per_s: float, duration_s: float) -> list[float]:
    """When each turn of an open-loop level is due, in seconds from its start: evenly spaced."""
    if turns_per_s <= 0 or duration_s <= 0:
        raise ValueError("the rate and the duration must be positive")
    return [index / turns_per_s for index in range(round(turns_per_s * duration_s))]


def conversation_for_slot(waiting: deque[Conversation], pool: CustomerPool) -> Conversation:
    """The conversation waiting longest for its next turn, or a new one if none is waiting."""
    return waiting.popleft() if waiting else pool.new_conversation()


async def open_loop(
    target: RestTarget, pool: CustomerPool, turns_per_s: float, duration_s: float
) -> LevelResult:
    """Send turns at exactly `turns_per_s`, however long the answers take."""
    result = LevelResult()
    waiting: deque[Conversation] = deque()
    in_flight: set[asyncio.Task] = set()

    async def play(conversation: Conversation) -> None:
        result.turns.append(await target.send(conversation))
        if not conversation.finished:
            waiting.append(conversation)

    started = time.perf_counter()
    for offset in turn_offsets(turns_per_s, duration_s):
        await asyncio.sleep(max(0.0, started + offset - time.perf_counter()))
        task = asyncio.create_task(play(conversation_for_slot(waiting, pool)))
        in_flight.add(task)
        task.add_done_callback(in_flight.discard)
    await asyncio.gather(*in_flight)
    result.elapsed_s = time.perf_counter() - started
    return result


async def parse_sequentially(target: RestTarget, texts: list[str]) -> LevelResult:
    """Each text through /model/parse, one at a time: the NLU floor of a turn."""
    result = LevelResult()
    started = time.perf_counter()
    for text in texts:
        result.turns.append(await target.parse(text))
    result.elapsed_s = time.perf_counter() - started
    return result


async def parse_throughput(
    target: RestTarget, texts: list[str], concurrency: int, duration_s: float
) -> LevelResult:
    """/model/parse with `concurrency` clients back to back: the NLU's maximum rate."""
    result = LevelResult()
    messages = itertools.cycle(texts)
    started = time.perf_counter()
    deadline = started + duration_s

    async def client() -> None:
        while time.perf_counter() < deadline:
            result.turns.append(await target.parse(next(messages)))

    await asyncio.gather(*(client() for _ in range(concurrency)))
    result.elapsed_s = time.perf_counter() - started
    return result
