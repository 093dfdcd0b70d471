"""Targets, pass/fail verdicts, the JSON files, the latency chart and the README tables."""

from __future__ import annotations

import json
import math
from pathlib import Path

# Issue #8. Each target: (name, profile it applies to, how to read the value, comparison, limit)
TARGETS = {
    "default": {
        "full_conversation_turns_per_s": (">=", 35.0),
        "errors_total": ("==", 0),
        "open_loop_20_p95_ms": ("<=", 150.0),
        "one_customer_p50_over_parse_p50": ("<=", 2.5),
        "cold_start_s": ("<=", 30.0),
        "total_rss_mib": ("<=", 2.5 * 1024),
    },
    "production": {
        "full_conversation_turns_per_s": (">=", 60.0),
        "errors_total": ("==", 0),
        "one_customer_p50_over_parse_p50": ("<=", 2.5),
        "cold_start_s": ("<=", 30.0),
    },
}
REFERENCE = {
    "bare_french_rasa_init_turns_per_s_one_customer": 42.0,
    "bare_french_rasa_init_p50_ms_one_customer": 23.0,
    "bare_french_rasa_init_model_parse_req_per_s": 85.0,
}


def headline(result: dict) -> dict[str, float]:
    """The figures the targets are about, from one profile's measurements."""
    closed = result["closed_loop"].values()
    opened = result["open_loop"]
    parse_p50 = result["model_parse"]["conversation_messages"]["p50_ms"]
    one = result["closed_loop"].get("1", {})
    return {
        "full_conversation_turns_per_s": max(
            (level["turns_per_s"] for level in closed if level["errors"] == 0), default=0.0
        ),
        "errors_total": sum(level["errors"] for level in [*closed, *opened.values()]),
        "open_loop_20_p95_ms": opened.get("20", {}).get("p95_ms", math.nan),
        "one_customer_p50_over_parse_p50": round(one.get("p50_ms", math.nan) / parse_p50, 2),
        "cold_start_s": result["cold_start"]["first_answer_s"],
        "total_rss_mib": result["rss_mib"]["peak_under_load"].get("total", math.nan),
    }


def verdicts(profile: str, figures: dict[str, float]) -> dict[str, dict]:
    checks = {">=": lambda v, t: v >= t, "<=": lambda v, t: v <= t, "==": lambda v, t: v == t}
    return {
        name: {
            "target": f"{comparison} {limit:g}",
            "measured": figures[name],
            "pass": bool(checks[comparison](figures[name], limit)),
        }
        for name, (comparison, limit) in TARGETS.get(profile, {}).items()
    }


def write_profile_json(out: Path, result: dict, machine: dict) -> dict:
    figures = headline(result)
    document = {
        "machine": machine,
        "targets": verdicts(result["profile"], figures),
        "reference": REFERENCE,
        **result,
    }
    out.mkdir(parents=True, exist_ok=True)
    text = json.dumps(document, indent=2, ensure_ascii=False)
    (out / f"{result['profile']}.json").write_text(text, encoding="utf-8")
    return document


def write_chart(out: Path, documents: list[dict]) -> Path:
    """p50/p95/p99 turn latency against concurrent customers, and the open-loop p95."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    figure, (closed_axis, open_axis) = plt.subplots(1, 2, figsize=(11, 4.2))
    for document in documents:
        name = document["profile"]
        levels = sorted(document["closed_loop"].items(), key=lambda item: int(item[0]))
        counts = [int(count) for count, _ in levels]
        for quantile, style in (("p50_ms", "-o"), ("p95_ms", "--s"), ("p99_ms", ":^")):
            closed_axis.plot(
                counts,
                [level[quantile] for _, level in levels],
                style,
                label=f"{name} {quantile[:3]}",
            )
        rates = sorted(document["open_loop"].items(), key=lambda item: float(item[0]))
        offered = [float(rate) for rate, _ in rates]
        open_axis.plot(offered, [level["p95_ms"] for _, level in rates], "-o", label=f"{name} p95")
    closed_axis.set(
        xlabel="concurrent customers (closed loop)",
        ylabel="turn latency (ms)",
        title="Full conversations, closed loop",
        yscale="log",
    )
    open_axis.set(
        xlabel="offered turns/s (open loop)",
        ylabel="p95 turn latency (ms)",
        title="Open loop",
        yscale="log",
    )
    open_axis.axhline(150, color="grey", linewidth=0.8, linestyle="--", label="target 150 ms")
    for axis in (closed_axis, open_axis):
        axis.grid(True, which="both", alpha=0.3)
        axis.legend(fontsize=7)
    figure.tight_layout()
    path = out / "latency.png"
    figure.savefig(path, dpi=110)
    plt.close(figure)
    return path


def turn_breakdown_document(document: dict) -> dict:
    """The in-process phases next to the REST turn and /model/parse measured from outside:
    their difference is the HTTP server and REST channel layer."""
    breakdown = document["turn_breakdown"]
    rest_p50 = document["closed_loop"]["1"]["p50_ms"]
    handled_p50 = breakdown["phases_per_turn"]["handle_message_total"]["p50_ms"]
    return {
        "rest_turn_one_customer_p50_ms": rest_p50,
        "model_parse_conversation_messages_p50_ms": document["model_parse"][
            "conversation_messages"
        ]["p50_ms"],
        "http_server_and_rest_channel_p50_ms": round(rest_p50 - handled_p50, 1),
        **breakdown,
    }


def write_breakdown_json(out: Path, documents: list[dict]) -> dict:
    breakdowns = {
        document["profile"]: turn_breakdown_document(document)
        for document in documents
        if "turn_breakdown" in document
    }
    text = json.dumps(breakdowns, indent=2, ensure_ascii=False)
    (out / "profile.json").write_text(text, encoding="utf-8")
    return breakdowns


def _table(header: list[str], rows: list[list]) -> str:
    lines = ["| " + " | ".join(header) + " |", "|" + "---|" * len(header)]
    lines += ["| " + " | ".join(str(cell) for cell in row) + " |" for row in rows]
    return "\n".join(lines)


def _level_rows(levels: dict) -> list[list]:
    return [
        [key, level["turns"], level["turns_per_s"], level["p50_ms"], level["p95_ms"],
         level["p99_ms"], level["errors"]]
        for key, level in levels.items()
    ]  # fmt: skip


def profile_section(document: dict) -> str:
    name, machine = document["profile"], document["machine"]
    targets = [
        [target, verdict["target"], verdict["measured"], "pass" if verdict["pass"] else "FAIL"]
        for target, verdict in document["targets"].items()
    ]
    level_header = ["level", "turns", "turns/s", "p50 ms", "p95 ms", "p99 ms", "errors"]
    parse = document["model_parse"]
    parse_rows = [
        [what, parse[key]["turns"], parse[key]["turns_per_s"], parse[key]["p50_ms"],
         parse[key]["p95_ms"], parse[key]["errors"]]
        for what, key in (("script messages, sequential", "conversation_messages"),
                          ("500 test-set messages, sequential", "test_set_sequential"),
                          (f"saturated, {parse['max_throughput']['concurrency']} clients",
                           "max_throughput"))
    ]  # fmt: skip
    rss = document["rss_mib"]
    rss_rows = [
        [service, rss["idle"].get(service), peak]
        for service, peak in rss["peak_under_load"].items()
    ]
    return "\n\n".join(
        [
            f"## Profile `{name}`",
            f"Load average during the run (1/5/15 min): {machine['load_average_1_5_15_min']} "
            f"on {machine['cpus']} CPUs. Cold start (processes started → first answer): "
            f"{document['cold_start']['first_answer_s']} s.",
            _table(["target", "wanted", "measured", "verdict"], targets),
            "Closed loop (N customers, full conversations back to back):",
            _table(level_header, _level_rows(document["closed_loop"])),
            "Open loop (turns sent on a fixed schedule):",
            _table(level_header, _level_rows(document["open_loop"])),
            "`/model/parse` alone (the NLU floor):",
            _table(["what", "requests", "req/s", "p50 ms", "p95 ms", "errors"], parse_rows),
            "Resident memory (MiB, each service with its children):",
            _table(["service", "idle", "peak under load"], rss_rows),
        ]
    )


def breakdown_section(name: str, breakdown: dict) -> str:
    phases = [
        [phase, values["mean_ms"], values["p50_ms"]]
        for phase, values in breakdown["phases_per_turn"].items()
    ]
    posts = [
        [action, post["p50_ms"], post["p95_ms"], post["payload_kib"], post["domain_kib"]]
        for action, post in breakdown["direct_action_posts"].items()
    ]
    functions = [
        [row["function"], row["calls_per_turn"], row["own_ms_per_turn"],
         row["cumulative_ms_per_turn"]]
        for row in breakdown["cprofile_top_own"][:12]
    ]  # fmt: skip
    return "\n\n".join(
        [
            f"## Where a turn's milliseconds go (`{name}`)",
            f"REST turn p50 at one customer: {breakdown['rest_turn_one_customer_p50_ms']} ms; "
            f"`/model/parse` p50 of the same messages: "
            f"{breakdown['model_parse_conversation_messages_p50_ms']} ms; HTTP server + REST "
            f"channel (REST p50 − in-process p50): "
            f"{breakdown['http_server_and_rest_channel_p50_ms']} ms. "
            f"Action-server calls per turn: {breakdown['action_server_calls_per_turn']}; "
            f"domain `as_dict()` + JSON per call: {breakdown['domain_as_dict_and_json_ms']} ms; "
            f"shop database per look-up (ms): {breakdown['shop_database_ms']}.",
            "Phases of Rasa's message handling, in process, one customer "
            f"({breakdown['turns']} turns):",
            _table(["phase", "mean ms/turn", "p50 ms/turn"], phases),
            "Recorded action payloads POSTed again directly to the action server:",
            _table(["action", "p50 ms", "p95 ms", "payload KiB", "of which domain KiB"], posts),
            "cProfile, own time (cProfile slows Python code: compare rows, not totals):",
            _table(["function", "calls/turn", "own ms/turn", "cumulative ms/turn"], functions),
        ]
    )


def write_markdown(out: Path, documents: list[dict], breakdowns: dict) -> Path:
    sections = [
        "# Load benchmark\n\nWritten by `make bench` (`python -m bench`): full scripted French "
        "conversations (greet → order number → email → tracking → return eligibility → "
        "goodbye, 8 turns, a new conversation id and a different customer each time) over "
        "the REST channel. Figures: `default.json` (and one file per profile), "
        "`profile.json` (turn breakdown), `latency.png`.\n\n![latency](latency.png)",
        *(profile_section(document) for document in documents),
        *(breakdown_section(name, breakdown) for name, breakdown in breakdowns.items()),
    ]
    path = out / "README.md"
    path.write_text("\n\n".join(sections) + "\n", encoding="utf-8")
    return path
