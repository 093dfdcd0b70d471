"""`python -m bench --profiles default production --out reports/bench`."""

from __future__ import annotations

import argparse
import json
import os
import platform
import sys
import tempfile
from pathlib import Path

from bench.profiles import PROFILES
from bench.report import write_breakdown_json, write_chart, write_markdown, write_profile_json
from bench.runner import BenchPlan, run_profile
from tools.model import PROJECT_ROOT, ensure_model


def machine_state() -> dict:
    """How loaded the machine was: figures from a busy machine are not comparable."""
    one, five, fifteen = os.getloadavg()
    return {
        "cpus": os.cpu_count(),
        "load_average_1_5_15_min": [round(one, 2), round(five, 2), round(fifteen, 2)],
        "python": platform.python_version(),
        "platform": platform.platform(),
    }


def parse_arguments(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description="Load benchmark of the Allyzure assistant.")
    parser.add_argument("--profiles", nargs="+", default=["default"], choices=sorted(PROFILES))
    parser.add_argument("--out", type=Path, default=PROJECT_ROOT / "reports" / "bench")
    parser.add_argument(
        "--duration",
        type=float,
        default=BenchPlan.level_duration_s,
        help="seconds per load level (short for development runs)",
    )
    parser.add_argument("--model", type=Path, help="model file (default: train it if stale)")
    parser.add_argument(
        "--no-profiling",
        action="store_true",
        help="skip the in-process turn breakdown (profile.json)",
    )
    return parser.parse_args(argv)


def main(argv: list[str] | None = None) -> int:
    args = parse_arguments(argv)
    model = args.model or ensure_model()
    plan = BenchPlan(level_duration_s=args.duration)
    documents = []
    for name in args.profiles:
        print(f"Profile {name}:", flush=True)
        with tempfile.TemporaryDirectory(prefix=f"bench-{name}-") as workdir:
            try:
                result = run_profile(name, Path(workdir), model, plan, not args.no_profiling)
            except ImportError as missing:
                # A profile whose launcher is not in this checkout yet (tools/prod.py).
                print(f"Profile {name} skipped: {missing}", file=sys.stderr, flush=True)
                continue
            documents.append(write_profile_json(args.out, result, machine_state()))
    chart = write_chart(args.out, documents)
    write_markdown(args.out, documents, write_breakdown_json(args.out, documents))
    summary = {doc["profile"]: doc["targets"] for doc in documents}
    print(json.dumps(summary, indent=2, ensure_ascii=False))
    print(f"Reports in {args.out} (chart: {chart.name})")
    return 0


if __name__ == "__main__":
    sys.exit(main())
