"""What the benches share: median and 99th percentile of timed runs."""

from __future__ import annotations

import statistics


def ms(seconds: list[float]) -> tuple[float, float]:
    """(median, 99th percentile) in milliseconds."""
    values = sorted(s * 1000 for s in seconds)
    return statistics.median(values), values[min(len(values) - 1, round(0.99 * len(values)))]
