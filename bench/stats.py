"""Latency statistics, computed the same way for every load level and profile."""

from __future__ import annotations

import math
from collections.abc import Sequence


def percentile(values: Sequence[float], fraction: float) -> float:
    """The `fraction` quantile (0–1) with linear interpolation between ranks, as NumPy's
    default: p50 of [1, 2, 3, 4] is 2.5. NaN for no values, so an empty level stays visible."""
    if not 0.0 <= fraction <= 1.0:
        raise ValueError(f"fraction must be within [0, 1], got {fraction}")
    if not values:
        return math.nan
    ordered = sorted(values)
    rank = fraction * (len(ordered) - 1)
    low = math.floor(rank)
    high = min(low + 1, len(ordered) - 1)
    return ordered[low] + (ordered[high] - ordered[low]) * (rank - low)


def latency_summary(latencies_s: Sequence[float]) -> dict[str, float]:
    """p50/p95/p99/mean/max in milliseconds, rounded to 0.1 ms."""
    summary = {
        "p50_ms": percentile(latencies_s, 0.50),
        "p95_ms": percentile(latencies_s, 0.95),
        "p99_ms": percentile(latencies_s, 0.99),
        "mean_ms": sum(latencies_s) / len(latencies_s) if latencies_s else math.nan,
        "max_ms": max(latencies_s, default=math.nan),
    }
    return {name: round(value * 1000, 1) for name, value in summary.items()}
