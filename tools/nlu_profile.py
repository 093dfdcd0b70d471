"""Where the parse time goes: each node of the served NLU graph, and each spaCy pipe.

    python -m tools.nlu_profile [--messages N] [--held-out]

Parses the held-out test set (tests/nlu/test_set.yml) and the detail set
(bot/details/details.yml) — or, with --held-out, the held-out messages only, those
`make eval-nlu` and `make bench` time over HTTP — in process with the trained model, timing
every graph node Rasa runs for a message (`GraphNode.__call__`), then runs spaCy's pipes one
by one on the same texts. Figures are CPU milliseconds of the parsing thread
(`time.thread_time`), which the other processes of a shared machine disturb far less than
wall-clock time; the whole parse is given in both. Each message is parsed once, as a server
meets it (spaCy's lemmatizer and the detail filter keep what they computed for a word).
Nothing is written: the figures are printed.
"""

from __future__ import annotations

import argparse
import asyncio
import logging
import statistics
import sys
import time
from collections import defaultdict
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from tools.model import BOT_DIR, DEFAULT_MODELS_DIR, PROJECT_ROOT, ensure_model
from tools.nlu_eval import TEST_SET, load_examples, percentile

DETAIL_SET = PROJECT_ROOT / "bot" / "details" / "details.yml"


def profile_texts(limit: int | None = None, held_out_only: bool = False) -> list[str]:
    """The held-out intent messages, then the detail messages: ordinary traffic and the
    messages that hold details."""
    import yaml

    texts = [example.text for example in load_examples(TEST_SET)]
    if not held_out_only:
        details = yaml.safe_load(DETAIL_SET.read_text())
        texts += [entry["text"] for entry in _detail_entries(details)]
    return texts[:limit] if limit else texts


def _detail_entries(data: Any) -> Iterator[dict]:
    if isinstance(data, dict):
        if "text" in data:
            yield data
        for value in data.values():
            yield from _detail_entries(value)
    elif isinstance(data, list):
        for value in data:
            yield from _detail_entries(value)


@contextmanager
def timed_graph_nodes(times: dict[str, list[float]]) -> Iterator[None]:
    """Records the CPU time of every graph node call, by node name, while inside."""
    from rasa.engine.graph import GraphNode

    original: Callable[..., Any] = GraphNode.__call__

    def timed(node: GraphNode, *inputs: Any) -> Any:
        started = time.thread_time()
        try:
            return original(node, *inputs)
        finally:
            times[node._node_name].append((time.thread_time() - started) * 1000)

    GraphNode.__call__ = timed  # type: ignore[method-assign]
    try:
        yield
    finally:
        GraphNode.__call__ = original  # type: ignore[method-assign]


def parse_all(
    model: Path, texts: list[str]
) -> tuple[dict[str, list[float]], dict[str, list[float]], Any]:
    """Node CPU times, and whole-parse CPU and wall times, of every text; also the loaded
    agent."""
    from rasa.core.agent import Agent
    from rasa.utils.log_utils import configure_structlog

    logging.getLogger("rasa").setLevel(logging.WARNING)
    configure_structlog(logging.WARNING)
    if str(BOT_DIR) not in sys.path:
        sys.path.insert(0, str(BOT_DIR))
    agent = Agent.load(str(model))
    nodes: dict[str, list[float]] = defaultdict(list)
    whole: dict[str, list[float]] = defaultdict(list)

    async def run() -> None:
        for text in texts[:20]:  # warm-up
            await agent.parse_message(text)
        with timed_graph_nodes(nodes):
            for text in texts:
                started, cpu_started = time.perf_counter(), time.thread_time()
                await agent.parse_message(text)
                whole["cpu"].append((time.thread_time() - cpu_started) * 1000)
                whole["wall clock"].append((time.perf_counter() - started) * 1000)

    asyncio.run(run())
    return nodes, whole, agent


def spacy_pipe_times(nlp: Any, texts: list[str]) -> dict[str, list[float]]:
    """CPU time of the tokenizer and of each spaCy pipe (enabled or not) on every text."""
    times: dict[str, list[float]] = defaultdict(list)
    pipes = [(name, nlp.get_pipe(name)) for name in nlp.component_names]
    for text in texts:
        started = time.thread_time()
        doc = nlp.make_doc(text)
        times["make_doc"].append((time.thread_time() - started) * 1000)
        for name, pipe in pipes:
            started = time.thread_time()
            doc = pipe(doc)
            times[name].append((time.thread_time() - started) * 1000)
    return times


def spacy_model_of(agent: Any) -> Any:
    """The spaCy Language the served graph loaded (its model-provider node)."""
    from rasa.nlu.utils.spacy_utils import SpacyNLP

    for node in agent.processor.graph_runner._instantiated_nodes.values():
        component = getattr(node, "_component", None)
        if isinstance(component, SpacyNLP):
            return component.provide().model
    raise SystemExit("the served pipeline has no spaCy component")


def print_table(title: str, times: dict[str, list[float]], messages: int) -> None:
    print(f"\n{title} (CPU ms per message: mean, p50, p95; share of the summed means)")
    total = sum(sum(values) for values in times.values()) / messages
    for name, values in sorted(times.items(), key=lambda item: -sum(item[1])):
        mean = sum(values) / messages
        print(
            f"  {name:55} {mean:7.3f} {percentile(values, 50):7.3f} "
            f"{percentile(values, 95):7.3f} {100 * mean / total if total else 0:5.1f} %"
        )
    print(f"  {'total':55} {total:7.3f}")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--messages", type=int, default=0, help="only the first N messages")
    parser.add_argument("--held-out", action="store_true", help="the held-out messages only")
    args = parser.parse_args(argv)
    model = ensure_model(DEFAULT_MODELS_DIR)
    texts = profile_texts(args.messages or None, held_out_only=args.held_out)
    nodes, whole, agent = parse_all(model, texts)
    print(f"{len(texts)} messages, model {model.name}")
    for clock, times in whole.items():
        print(
            f"whole parse, {clock}: p50 {percentile(times, 50)} ms, p95 {percentile(times, 95)} "
            f"ms, p99 {percentile(times, 99)} ms, mean {statistics.fmean(times):.2f} ms"
        )
    print_table("graph nodes", nodes, len(texts))
    print_table("spaCy pipes, all run", spacy_pipe_times(spacy_model_of(agent), texts), len(texts))
    return 0


if __name__ == "__main__":
    sys.exit(main())
