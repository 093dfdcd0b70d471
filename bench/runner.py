"""One profile's measurements: cold start, load levels, /model/parse floor, memory."""

from __future__ import annotations

import asyncio
import time
from dataclasses import dataclass
from pathlib import Path

import yaml

from bench.conversation import turns_for
from bench.fixture import BENCH_NOW, BenchCustomer, bench_customers, load_fixture, write_fixture
from bench.load import (
    CustomerPool,
    RestTarget,
    client_session,
    closed_loop,
    open_loop,
    parse_sequentially,
    parse_throughput,
)
from bench.profiles import PROFILES, ProfileSetup, RunningProfile
from bench.profiling import profile_turns
from bench.resources import peak, service_rss_mib
from bench.stats import latency_summary
from tools.model import PROJECT_ROOT

NLU_TEST_SET = PROJECT_ROOT / "tests" / "nlu" / "test_set.yml"
FIRST_ANSWER_TIMEOUT_S = 120.0
SETTLE_TIMEOUT_S = 180.0
SETTLED_LATENCY_S = 1.0


@dataclass(frozen=True)
class BenchPlan:
    """The load levels and their durations (short ones for development runs)."""

    closed_loop_customers: tuple[int, ...] = (1, 10, 20, 50)
    open_loop_rates: tuple[float, ...] = (10.0, 20.0, 30.0)
    level_duration_s: float = 20.0
    parse_messages: int = 500
    parse_concurrency: int = 8
    customer_count: int = 60
    warmup_conversations: int = 3


def test_set_messages(limit: int, path: Path = NLU_TEST_SET) -> list[str]:
    """The held-out French test messages, in file order, repeated up to `limit`."""
    document = yaml.safe_load(path.read_text(encoding="utf-8"))
    messages = [
        line.removeprefix("- ").strip()
        for block in document["nlu"]
        for line in block["examples"].splitlines()
        if line.strip().startswith("- ")
    ]
    return [messages[index % len(messages)] for index in range(limit)]


def run_profile(
    name: str, workdir: Path, model: Path, plan: BenchPlan, turn_breakdown: bool
) -> dict:
    """Start the profile, measure everything, stop it; the result as a JSON-ready dict.
    `turn_breakdown` adds the in-process profile of a turn (bench/profiling.py)."""
    customers = bench_customers(plan.customer_count)
    fixture = write_fixture(workdir / "bench-fixture.yml", customers)
    setup = ProfileSetup(
        workdir=workdir,
        model=model,
        prepare_shop_database=lambda url: load_fixture(fixture, url),
        # Every virtual customer comes from this one address: no per-client rate limit.
        extra_env={"ALLYZURE_NOW": BENCH_NOW, "ALLYZURE_RATE_LIMIT_PER_MINUTE": "0"},
    )
    started = time.perf_counter()
    with PROFILES[name](setup) as running:
        processes_ready_s = time.perf_counter() - started
        first_answer_s = asyncio.run(first_answer(running)) + processes_ready_s
        idle_rss = service_rss_mib(running.pids())
        measurements = asyncio.run(measure(running, customers, plan))
        if turn_breakdown:
            print("  turn breakdown (in-process Rasa, cProfile)…", flush=True)
            measurements["turn_breakdown"] = profile_turns(
                model,
                running.actions_url,
                running.action_token,
                running.shop_database_url,
                customers,
                workdir,
            )
        return {
            "profile": name,
            "pids": running.pids(),
            "cold_start": {
                "processes_ready_s": round(processes_ready_s, 1),
                "first_answer_s": round(first_answer_s, 1),
            },
            "rss_mib": {"idle": idle_rss, "peak_under_load": measurements.pop("rss_peak")},
            **measurements,
        }


async def first_answer(running: RunningProfile) -> float:
    """Seconds until the REST channel first answers a greeting (after the processes are up)."""
    started = time.perf_counter()
    customer = bench_customers(1)[0]
    async with client_session(1) as session:
        target = RestTarget(running.rasa_url, running.auth_token, session)
        last_error = None
        while time.perf_counter() - started < FIRST_ANSWER_TIMEOUT_S:
            pool = CustomerPool([customer])
            last_error = (await target.send(pool.new_conversation())).error
            if last_error is None:
                return time.perf_counter() - started
            await asyncio.sleep(0.2)
    raise TimeoutError(f"the assistant never answered the first greeting: {last_error}")


async def measure(running: RunningProfile, customers: list[BenchCustomer], plan: BenchPlan):
    """Warm up, then every level in turn, sampling the stack's memory after each."""
    rss_samples = []
    connections = max(plan.closed_loop_customers) * 2
    async with client_session(connections) as session:
        target = RestTarget(running.rasa_url, running.auth_token, session)
        pool = CustomerPool(customers)
        await warm_up(target, pool, plan.warmup_conversations)
        floor = await conversation_parse_floor(target, customers[0])
        closed = {}
        per_step_at_one = {}
        for count in plan.closed_loop_customers:
            level = await closed_loop(target, pool, count, plan.level_duration_s)
            rss_samples.append(service_rss_mib(running.pids()))
            await settle(target)
            closed[str(count)] = level.summary()
            if count == 1:
                per_step_at_one = {
                    step: latency_summary(values) for step, values in level.step_latencies().items()
                }
            print(f"  closed loop, {count} customers: {_brief(closed[str(count)])}", flush=True)
        opened = {}
        for rate in plan.open_loop_rates:
            level = await open_loop(target, pool, rate, plan.level_duration_s)
            rss_samples.append(service_rss_mib(running.pids()))
            await settle(target)
            opened[f"{rate:g}"] = {"offered_turns_per_s": rate, **level.summary()}
            print(f"  open loop, {rate:g} turns/s: {_brief(opened[f'{rate:g}'])}", flush=True)
        parse = await parse_measurements(target, plan)
    return {
        "closed_loop": closed,
        "closed_loop_one_customer_per_step": per_step_at_one,
        "open_loop": opened,
        "model_parse": {**parse, "conversation_messages": floor},
        "rss_peak": peak(rss_samples),
    }


async def settle(target: RestTarget) -> None:
    """Wait until the server has worked off an overloaded level's backlog (Rasa goes on
    with requests whose client gave up), so that it does not slow down the next level."""
    started = time.perf_counter()
    while time.perf_counter() - started < SETTLE_TIMEOUT_S:
        if (await target.parse("bonjour")).latency_s < SETTLED_LATENCY_S:
            return
        await asyncio.sleep(1.0)


async def warm_up(target: RestTarget, pool: CustomerPool, conversations: int) -> None:
    """A few whole conversations first: lazy imports, caches and connection pools warm."""
    for _ in range(conversations):
        conversation = pool.new_conversation()
        while not conversation.finished:
            await target.send(conversation)


async def conversation_parse_floor(target: RestTarget, customer: BenchCustomer) -> dict:
    """The script's own messages through /model/parse, 20 rounds: the NLU part of a turn."""
    texts = [turn.message for turn in turns_for(customer)] * 20
    return (await parse_sequentially(target, texts)).summary()


async def parse_measurements(target: RestTarget, plan: BenchPlan) -> dict:
    texts = test_set_messages(plan.parse_messages)
    sequential = await parse_sequentially(target, texts)
    saturated = await parse_throughput(
        target, texts, plan.parse_concurrency, min(plan.level_duration_s, 20.0)
    )
    return {
        "test_set_sequential": sequential.summary(),
        "max_throughput": {"concurrency": plan.parse_concurrency, **saturated.summary()},
    }


def _brief(summary: dict) -> str:
    return (
        f"{summary['turns_per_s']} turns/s, p50 {summary['p50_ms']} ms, "
        f"p95 {summary['p95_ms']} ms, {summary['errors']} errors"
    )
