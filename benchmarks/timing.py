"""Speed figures as the project reports them: p50 and p99 per round, the median over rounds, ratios in the same round.

One round of a speed benchmark times every step once (many drawings, frames or launches); a
benchmark runs several rounds (``--rounds``, default 3) in one go and reports, for each step, each
round's p50 and p99 and their medians over the rounds.  A ratio against the slow way is taken
within each round (the same minutes, the same load), then its median over the rounds.
"""

from __future__ import annotations

import statistics
from collections.abc import Sequence
from typing import Any

import numpy as np

ROUNDS = 3  # the default --rounds of every speed benchmark


def percentiles_ms(times_s: Sequence[float]) -> tuple[float, float]:
    """(p50, p99) in milliseconds of times in seconds."""
    ms = np.asarray(times_s, dtype=float) * 1e3
    return float(np.percentile(ms, 50)), float(np.percentile(ms, 99))


def over_rounds(rounds: Sequence[Sequence[float]]) -> dict[str, Any]:
    """Each round's p50 and p99 (ms) of times in seconds, and their medians over the rounds."""
    per_round = [percentiles_ms(times) for times in rounds]
    return {
        "p50_ms": round(statistics.median(p50 for p50, _ in per_round), 4),
        "p99_ms": round(statistics.median(p99 for _, p99 in per_round), 4),
        "rounds": [{"p50_ms": round(p50, 4), "p99_ms": round(p99, 4)} for p50, p99 in per_round],
        "samples_per_round": len(rounds[0]) if rounds else 0,
    }


def ratio_over_rounds(slow: Sequence[Sequence[float]], fast: Sequence[Sequence[float]]) -> dict[str, Any]:
    """p50(slow) / p50(fast) within each round, and its median over the rounds."""
    ratios = [percentiles_ms(s)[0] / percentiles_ms(f)[0] for s, f in zip(slow, fast, strict=True)]
    return {"median": round(statistics.median(ratios), 2), "rounds": [round(r, 2) for r in ratios]}


def launches_over_rounds(rounds: Sequence[Sequence[float]]) -> dict[str, Any]:
    """Each round's median, fastest and slowest launch (s), and the median of the rounds' medians."""
    per_round = [
        {"median_s": round(statistics.median(r), 4), "min_s": round(min(r), 4), "max_s": round(max(r), 4)}
        for r in rounds
    ]
    return {
        "median_s": round(statistics.median(r["median_s"] for r in per_round), 4),
        "rounds": per_round,
        "launches_per_round": len(rounds[0]) if rounds else 0,
    }
