"""Where the milliseconds of one turn go.

Rasa's own message handling is run in this process, on the same model, against the profile's
running action server and shop database, with a wall-clock timer around each phase (NLU,
policy prediction, action-server calls, tracker store) and cProfile around the whole. The
REST turn measured from outside minus this in-process total is the HTTP/channel layer.
The action payloads Rasa sends are recorded and POSTed again directly to the action server,
and the shop lookup an action makes is timed on its own, to split an action call into
serialisation, HTTP, action code and database.
"""

from __future__ import annotations

import asyncio
import cProfile
import functools
import importlib
import inspect
import json
import logging
import pstats
import sys
import time
from collections import defaultdict
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

import aiohttp

from bench.conversation import answer_error, turns_for
from bench.fixture import BenchCustomer
from bench.stats import latency_summary
from server import patches
from server.action_server import TOKEN_HEADER
from tools.model import BOT_DIR

# phase → (module, class, method) of Rasa 3.6 (or of the project's store) whose wall time is
# that phase.
PHASES = {
    "handle_message_total": ("rasa.core.processor", "MessageProcessor", "handle_message"),
    "nlu_parse": ("rasa.core.processor", "MessageProcessor", "parse_message"),
    "policy_prediction": ("rasa.core.processor", "MessageProcessor", "_predict_next_with_tracker"),
    "action_server_calls": ("rasa.core.actions.action", "RemoteAction", "run"),
    "action_payload_build": ("rasa.core.actions.action", "RemoteAction", "_action_call_format"),
    "action_http_round_trip": ("rasa.utils.endpoints", "EndpointConfig", "request"),
    "action_result_validation": (
        "rasa.core.actions.action",
        "RemoteAction",
        "_validate_action_result",
    ),
    # The project's store (server/tracker_store.py), which reads and writes without Rasa's.
    "tracker_store_retrieve": ("server.tracker_store", "ConversationStore", "retrieve"),
    "tracker_store_save": ("server.tracker_store", "ConversationStore", "save"),
}
PROFILED_CONVERSATIONS = 12
DIRECT_POST_REPEATS = 20
TOP_FUNCTIONS = 25


class PhaseTimer:
    """Wall time per phase for the turn being played, and the recorded action payloads."""

    def __init__(self) -> None:
        self.turn: dict[str, float] = defaultdict(float)
        self.turns: list[dict[str, float]] = []
        self.payloads: dict[str, dict] = {}

    def add(self, phase: str, seconds: float) -> None:
        self.turn[phase] += seconds
        self.turn[f"calls:{phase}"] += 1

    def end_turn(self, step: str) -> None:
        self.turns.append({"step": step, **self.turn})
        self.turn = defaultdict(float)


def _timed(timer: PhaseTimer, phase: str, original: Callable) -> Callable:
    if inspect.iscoroutinefunction(original):

        @functools.wraps(original)
        async def timed_coroutine(*args, **kwargs):
            started = time.perf_counter()
            try:
                return await original(*args, **kwargs)
            finally:
                timer.add(phase, time.perf_counter() - started)

        return timed_coroutine

    @functools.wraps(original)
    def timed_function(*args, **kwargs):
        started = time.perf_counter()
        try:
            result = original(*args, **kwargs)
        finally:
            timer.add(phase, time.perf_counter() - started)
        if phase == "action_payload_build":
            timer.payloads.setdefault(result["next_action"], result)
        return result

    return timed_function


@contextmanager
def phases_timed(timer: PhaseTimer) -> Iterator[None]:
    """Wrap each phase's Rasa method with the timer; restore the originals afterwards."""
    originals = []
    for phase, (module_name, class_name, method) in PHASES.items():
        owner = getattr(importlib.import_module(module_name), class_name)
        original = owner.__dict__[method]
        originals.append((owner, method, original))
        setattr(owner, method, _timed(timer, phase, original))
    try:
        yield
    finally:
        for owner, method, original in originals:
            setattr(owner, method, original)


def load_agent(model: Path, actions_url: str, action_token: str, tracker_db: Path):
    """Rasa's Agent as `rasa run` builds it with the project's configuration: the model (its
    custom components are imported from bot/, as when Rasa runs there), the server's patches,
    the project's SQLite tracker store, the actions (the domain sent only to the actions that
    ask for it, as bot/endpoints.yml says), and Rasa's default INFO logging (imported
    as a library, Rasa would log at DEBUG and the timings would measure the logging)."""
    if str(BOT_DIR) not in sys.path:
        sys.path.insert(0, str(BOT_DIR))
    patches.install()
    from rasa.core.agent import Agent
    from rasa.utils.common import configure_logging_and_warnings
    from rasa.utils.endpoints import EndpointConfig
    from rasa.utils.log_utils import configure_structlog

    from server.tracker_store import ConversationStore

    configure_logging_and_warnings(logging.INFO)
    configure_structlog(logging.INFO)
    return Agent.load(
        str(model),
        tracker_store=ConversationStore(dialect="sqlite", db=str(tracker_db)),
        action_endpoint=action_endpoint(actions_url, action_token),
        generator=EndpointConfig(type="server.nlg.PolicyResponses"),
    )


def action_endpoint(actions_url: str, action_token: str):
    """The action endpoint of bot/endpoints.yml: the shared secret, and the domain sent only
    to the actions marked send_domain (enable_selective_domain)."""
    from rasa.utils.endpoints import EndpointConfig

    return EndpointConfig(
        url=f"{actions_url}/webhook",
        headers={TOKEN_HEADER: action_token},
        enable_selective_domain=True,
    )


async def play_in_process(agent, customers: list[BenchCustomer], timer: PhaseTimer) -> int:
    """Each customer's whole conversation through the agent; returns the wrong answers."""
    from rasa.core.channels.channel import CollectingOutputChannel, UserMessage

    errors = 0
    for index, customer in enumerate(customers):
        sender = f"profile-{index}-{time.time_ns()}"
        for turn in turns_for(customer):
            channel = CollectingOutputChannel()
            await agent.handle_message(UserMessage(turn.message, channel, sender))
            texts = [message["text"] for message in channel.messages if message.get("text")]
            errors += answer_error(texts, turn, customer) is not None
            timer.end_turn(turn.step)
    return errors


def phase_breakdown(turns: list[dict[str, float]]) -> dict:
    """Mean and p50 milliseconds per turn of each phase; "other" is the unexplained rest."""
    total = [turn.get("handle_message_total", 0.0) for turn in turns]
    explained = [
        sum(turn.get(phase, 0.0) for phase in PHASES if phase in _DISJOINT) for turn in turns
    ]
    per_phase = {phase: _mean_p50([turn.get(phase, 0.0) for turn in turns]) for phase in PHASES}
    per_phase["other_rasa_code"] = _mean_p50([t - e for t, e in zip(total, explained, strict=True)])
    return per_phase


# Phases that do not contain one another (payload build, HTTP and validation are parts of
# the action calls).
_DISJOINT = (
    "nlu_parse",
    "policy_prediction",
    "action_server_calls",
    "tracker_store_retrieve",
    "tracker_store_save",
)


def _mean_p50(seconds: list[float]) -> dict[str, float]:
    summary = latency_summary(seconds)
    return {"mean_ms": summary["mean_ms"], "p50_ms": summary["p50_ms"]}


def per_step_breakdown(turns: list[dict[str, float]]) -> dict[str, dict]:
    by_step: dict[str, list[dict[str, float]]] = defaultdict(list)
    for turn in turns:
        by_step[turn["step"]].append(turn)
    return {
        step: {phase: values["mean_ms"] for phase, values in phase_breakdown(group).items()}
        for step, group in by_step.items()
    }


def function_rows(profile: cProfile.Profile, turns: int) -> list[dict]:
    """Every profiled function, in milliseconds (own and cumulative) per turn."""
    return [
        {
            "function": f"{_short(file)}:{line}({name})",
            "calls_per_turn": round(count / turns, 1),
            "own_ms_per_turn": round(own * 1000 / turns, 2),
            "cumulative_ms_per_turn": round(cumulative * 1000 / turns, 2),
        }
        for (file, line, name), (_calls, count, own, cumulative, _callers) in pstats.Stats(
            profile
        ).stats.items()
    ]


def cprofiled_rows(agent, customers: list[BenchCustomer]) -> list[dict]:
    """A second pass under cProfile only: its overhead must not inflate the phase timings."""
    profiler = cProfile.Profile()
    profiler.enable()
    asyncio.run(play_in_process(agent, customers, PhaseTimer()))
    profiler.disable()
    return function_rows(profiler, len(customers) * len(turns_for(customers[0])))


def top(rows: list[dict], key: str) -> list[dict]:
    return sorted(rows, key=lambda row: row[key], reverse=True)[:TOP_FUNCTIONS]


REPOSITORY_ROOT = str(Path(__file__).resolve().parents[1]) + "/"


def _short(file: str) -> str:
    """A profiled file's path as a reader finds it: within the installed packages or the repo."""
    return file.split("site-packages/")[-1].removeprefix(REPOSITORY_ROOT)


async def direct_action_posts(
    actions_url: str, action_token: str, payloads: dict[str, dict]
) -> dict[str, dict]:
    """Each recorded payload POSTed again to the action server, with the shared secret the
    Rasa server sends: its own round trip, payload size, and the part that is the domain."""
    results = {}
    async with aiohttp.ClientSession() as session:
        for action, payload in payloads.items():
            body = json.dumps(payload).encode()
            latencies = []
            for _ in range(DIRECT_POST_REPEATS):
                started = time.perf_counter()
                async with session.post(
                    f"{actions_url}/webhook",
                    data=body,
                    headers={"Content-Type": "application/json", TOKEN_HEADER: action_token},
                ) as response:
                    await response.read()
                latencies.append(time.perf_counter() - started)
            results[action] = {
                "p50_ms": latency_summary(latencies)["p50_ms"],
                "p95_ms": latency_summary(latencies)["p95_ms"],
                "payload_kib": round(len(body) / 1024, 1),
                "domain_kib": round(len(json.dumps(payload.get("domain", {}))) / 1024, 1),
            }
    return results


def domain_serialisation_ms(agent, repeats: int = 50) -> float:
    """What Rasa pays per action call to turn the domain into the payload (as_dict + JSON)."""
    started = time.perf_counter()
    for _ in range(repeats):
        json.dumps(agent.domain.as_dict())
    return round((time.perf_counter() - started) * 1000 / repeats, 2)


def shop_lookup_ms(database_url: str, customer: BenchCustomer, repeats: int = 50) -> dict:
    """The backend calls of the identification and tracking actions, timed on their own (a
    service built per process, as the action server does)."""
    from backend.config import Settings
    from backend.services import build_shop_service

    service = build_shop_service(Settings(database_url=database_url))
    timings = {}
    for name, call in (
        ("verify_identity", lambda: service.verify_identity(customer.order_number, customer.email)),
        ("order_summary", lambda: service.order_summary(customer.order_number, customer.email)),
        ("check_return", lambda: service.check_return(customer.order_number, customer.email)),
    ):
        call()
        started = time.perf_counter()
        for _ in range(repeats):
            call()
        timings[name] = round((time.perf_counter() - started) * 1000 / repeats, 2)
    return timings


def profile_turns(
    model: Path,
    actions_url: str,
    action_token: str,
    database_url: str,
    customers: list[BenchCustomer],
    workdir: Path,
) -> dict:
    """The whole in-process breakdown, written as a JSON-ready dict."""
    agent = load_agent(model, actions_url, action_token, workdir / "profiling-tracker.db")
    warm = PhaseTimer()
    with phases_timed(warm):
        asyncio.run(play_in_process(agent, customers[:2], warm))
    timer = PhaseTimer()
    with phases_timed(timer):
        errors = asyncio.run(play_in_process(agent, customers[:PROFILED_CONVERSATIONS], timer))
    turns = len(timer.turns)
    rows = cprofiled_rows(agent, customers[:PROFILED_CONVERSATIONS])
    return {
        "turns": turns,
        "wrong_answers": errors,
        "phases_per_turn": phase_breakdown(timer.turns),
        "phases_by_step_mean_ms": per_step_breakdown(timer.turns),
        "action_server_calls_per_turn": round(
            sum(turn.get("calls:action_server_calls", 0) for turn in timer.turns) / turns, 2
        ),
        "direct_action_posts": asyncio.run(
            direct_action_posts(actions_url, action_token, warm.payloads)
        ),
        "domain_as_dict_and_json_ms": domain_serialisation_ms(agent),
        "shop_database_ms": shop_lookup_ms(database_url, customers[0]),
        "cprofile_top_cumulative": top(rows, "cumulative_ms_per_turn"),
        "cprofile_top_own": top(rows, "own_ms_per_turn"),
    }
