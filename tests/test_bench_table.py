"""The benchmark table's own logic (tests/bench/table.py, tests/bench/__main__.py): the
rounds alternate, a ratio is the median of the rounds' own ratios, rows travel from a
script to the entry point and print as one table. Timings themselves are never tested."""

from __future__ import annotations

import asyncio
from pathlib import Path

import pytest

from tests.bench import __main__ as entry
from tests.bench.table import ROWS_FILE, Rounds, Row, alternate, at_least, at_most, emit, load
from tests.bench.table import render as render_table


def test_sides_alternate_round_by_round() -> None:
    order: list[str] = []

    def side(name: str) -> object:
        async def run() -> None:
            order.append(name)

        return run

    async def reset() -> None:
        order.append("reset")

    timed = asyncio.run(alternate(2, {"base": side("base"), "path": side("path")}, reset))
    assert order == ["reset", "base", "reset", "path"] * 2
    assert [len(t) for t in timed.times.values()] == [2, 2]


def test_ratio_is_the_median_of_the_rounds_ratios() -> None:
    # A machine that slows down between rounds: each round's ratio is 2, whatever the drift.
    rounds = Rounds({"base": [1.0, 3.0, 10.0], "path": [2.0, 6.0, 20.0]})
    assert rounds.ratio("path", "base") == 2.0
    assert rounds.median("path") == 6.0


def test_targets_both_ways() -> None:
    assert at_most(1.4, 1.5) == (1.4, "≤ 1.5×", True)
    assert at_most(1.0001, 1.0) == (1.0001, "≤ 1.0×", False)
    assert at_least(0.74, 0.75) == (0.74, "≥ 0.75×", False)


def test_rows_travel_to_the_entry_point_and_print_as_one_table(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    rows_file = tmp_path / "rows.jsonl"
    monkeypatch.setenv(ROWS_FILE, str(rows_file))
    emit([Row("P1 import", "vs COPY", "PostgreSQL", "1.00 s", "1.40 s", 1.4, "≤ 1.5×", True)])
    emit(
        [
            Row("P3 verification", "rows/s", "SQLite", "–", "0.50 s", 90_000.0,
                "≥ 100,000 rows/s", False, ratio_unit="rows/s", note="first pass 80,000"),
        ]
    )  # fmt: skip
    rows = load(rows_file)
    assert [r.name for r in rows] == ["P1 import", "P3 verification"]
    text = render_table(rows)
    lines = text.splitlines()
    assert len({len(line) for line in lines[:4]}) == 1  # aligned columns
    assert "| 1.40× " in text and "| met " in text
    assert "90,000 rows/s" in text and "NOT MET" in text
    assert "P3 verification: first pass 80,000" in text


def test_every_benchmark_has_a_command_at_both_scales() -> None:
    servers = entry.Servers("postgresql://u@127.0.0.1:1/db", "redis://127.0.0.1:2/0")
    for size, scale in entry.SCALES.items():
        for bench in entry.BENCHES:
            for where in (servers, entry.Servers(None, None)):
                argv = bench.command(scale, 1, where, size)
                assert (entry.HERE / argv[0]).is_file(), argv
