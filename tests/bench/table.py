"""The rows of the benchmark table, and the rounds that produce them.

Every benchmark script reports what it measured as ``Row`` values through ``emit``: when
``BENCH_ROWS_FILE`` names a file (``python -m tests.bench`` sets it), each row is appended
to it as one JSON line, and the entry point prints them all as one table. Run on its own,
a script prints its usual lines and its rows as a small table of their own. The variable
is not a ``CONGVU_*`` one on purpose: the scripts clear those from their children's
environment, and this one must reach every child that measures something.
"""

from __future__ import annotations

import json
import os
import statistics
import time
from collections.abc import Awaitable, Callable, Iterable
from dataclasses import asdict, dataclass, field
from pathlib import Path

ROWS_FILE = "BENCH_ROWS_FILE"


@dataclass(frozen=True)
class Row:
    """One line of the table: a path against its baseline, measured in the same run."""

    name: str
    measures: str
    engine: str
    baseline: str
    median: str
    ratio: float | None
    target: str
    # None: no target (a figure printed for reading, not judged).
    met: bool | None
    p99: str = ""
    note: str = ""
    ratio_unit: str = "×"

    @property
    def ratio_text(self) -> str:
        if self.ratio is None:
            return "–"
        if self.ratio_unit == "×":
            return f"{self.ratio:.2f}×"
        return f"{self.ratio:,.0f} {self.ratio_unit}"

    @property
    def verdict(self) -> str:
        return {True: "met", False: "NOT MET", None: "–"}[self.met]


def emit(rows: Iterable[Row]) -> None:
    """Hand the rows to the entry point, or print them when run alone."""
    rows = list(rows)
    target = os.environ.get(ROWS_FILE)
    if target:
        with Path(target).open("a", encoding="utf-8") as file:
            for row in rows:
                file.write(json.dumps(asdict(row), ensure_ascii=False) + "\n")
        return
    print(render(rows))


def load(path: Path) -> list[Row]:
    if not path.exists():
        return []
    return [Row(**json.loads(line)) for line in path.read_text("utf-8").splitlines() if line]


COLUMNS = ("name", "measured", "engine", "baseline", "median", "p99", "ratio", "target", "")


def render(rows: list[Row]) -> str:
    cells = [
        (
            r.name,
            r.measures,
            r.engine,
            r.baseline,
            r.median,
            r.p99,
            r.ratio_text,
            r.target,
            r.verdict,
        )
        for r in rows
    ]
    widths = [max([len(c), *(len(row[i]) for row in cells)]) for i, c in enumerate(COLUMNS)]

    def line(values: tuple[str, ...]) -> str:
        return "| " + " | ".join(v.ljust(w) for v, w in zip(values, widths, strict=True)) + " |"

    out = [line(COLUMNS), "|" + "|".join("-" * (w + 2) for w in widths) + "|"]
    out += [line(c) for c in cells]
    notes = [f"  {r.name}: {r.note}" for r in rows if r.note]
    return "\n".join(out + (["", "notes:", *notes] if notes else []))


def seconds(value: float) -> str:
    """A duration as the table shows it: ms below a second."""
    return f"{value * 1000:,.1f} ms" if value < 1 else f"{value:,.2f} s"


def _limit(limit: float) -> str:
    return f"{limit:.1f}" if limit == int(limit) else f"{limit:g}"


def at_most(ratio: float, limit: float) -> tuple[float, str, bool]:
    """The ratio, its target and whether it is met, for a path that must not be slower."""
    return ratio, f"≤ {_limit(limit)}×", ratio <= limit


def at_least(ratio: float, limit: float) -> tuple[float, str, bool]:
    """The same for a ratio that must reach ``limit``."""
    return ratio, f"≥ {_limit(limit)}×", ratio >= limit


@dataclass
class Rounds:
    """Times of several sides measured in alternating rounds (baseline, path, baseline,
    path…), so that a drift of the machine's speed falls on every side alike."""

    times: dict[str, list[float]] = field(default_factory=dict)

    def median(self, name: str) -> float:
        return statistics.median(self.times[name])

    def ratio(self, name: str, baseline: str) -> float:
        """The median of the rounds' own ratios: each round's path against the baseline
        measured just before it."""
        pairs = zip(self.times[name], self.times[baseline], strict=True)
        return statistics.median(a / b for a, b in pairs)


async def alternate(
    rounds: int,
    sides: dict[str, Callable[[], Awaitable[object]]],
    between: Callable[[], Awaitable[object]] | None = None,
) -> Rounds:
    """Run each side once per round, in order, ``rounds`` times; ``between`` (untimed)
    runs before every side, to put back the state a side expects."""
    result = Rounds({name: [] for name in sides})
    for _ in range(max(1, rounds)):
        for name, side in sides.items():
            if between is not None:
                await between()
            started = time.perf_counter()
            await side()
            result.times[name].append(time.perf_counter() - started)
    return result
