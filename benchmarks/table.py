"""The result table every benchmark contributes rows to."""

from __future__ import annotations

import statistics
import time
from collections.abc import Callable
from dataclasses import dataclass


@dataclass(frozen=True)
class Row:
    """One figure beside its baseline.

    Attributes:
        name: what was measured.
        value: the figure (seconds, bytes, …, per ``unit``).
        baseline_name: what it is compared with.
        baseline: the baseline figure, measured in the same run.
        unit: ``s`` for seconds (shown in ms), ``B`` for bytes.
        target: the ratio or absolute bound the issue sets, as text.
        ok: whether the target is met (``None`` when there is none).
    """

    name: str
    value: float
    baseline_name: str
    baseline: float
    unit: str = "s"
    target: str = ""
    ok: bool | None = None

    @property
    def ratio(self) -> float:
        """value ÷ baseline."""
        return self.value / self.baseline if self.baseline else float("inf")


def fmt(value: float, unit: str) -> str:
    """Human form of a figure."""
    if unit == "s":
        return f"{value * 1000:.2f} ms"
    if unit == "B":
        return f"{value / 1024:.1f} KiB"
    return f"{value:.3g} {unit}"


def render(rows: list[Row]) -> str:
    """The table as text."""
    headers = ("benchmark", "value", "baseline", "baseline value", "ratio", "target", "met")
    body = [
        (
            r.name,
            fmt(r.value, r.unit),
            r.baseline_name,
            fmt(r.baseline, r.unit),
            f"{r.ratio:.2f}×",
            r.target,
            "" if r.ok is None else ("yes" if r.ok else "NO"),
        )
        for r in rows
    ]
    widths = [max(len(str(x)) for x in col) for col in zip(headers, *body, strict=False)]
    lines = ["  ".join(h.ljust(w) for h, w in zip(headers, widths, strict=True))]
    lines.append("  ".join("-" * w for w in widths))
    lines += ["  ".join(c.ljust(w) for c, w in zip(row, widths, strict=True)) for row in body]
    return "\n".join(lines)


def median_time(func: Callable[[], object], *, repeat: int, warmup: int = 3) -> float:
    """Median wall time of ``func`` over ``repeat`` calls, after ``warmup`` calls."""
    for _ in range(warmup):
        func()
    samples = []
    for _ in range(repeat):
        start = time.perf_counter()
        func()
        samples.append(time.perf_counter() - start)
    return statistics.median(samples)
