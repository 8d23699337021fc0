"""Every benchmark, each path against its baseline, printed as one table.

    uv run python -m tests.bench [--only NAME …] [--rounds N] [--scale quick|full]

On the servers of CONGVU_TEST_DATABASE_URL and CONGVU_TEST_REDIS_URL when they are set
(each benchmark in a throw-away database it creates and drops; the role needs CREATEDB),
else on the embedded SQLite and Redis; each row says which engine ran it. Every script of
tests/bench runs in its own process, measures its path and its baseline in alternating
rounds, and hands its rows back (tests/bench/table.py). The table: name, what is
measured, the baseline's median, the path's median (and p99 where it matters), the
ratio, the target, met or not.

Exit status 0 unless a benchmark crashed (or a correctness check inside one failed, such
as a replay that wrote rows): a missed timing target is reported, never a failure. What
each row measures and why its baseline is the right one: tests/bench/README.md.
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from contextlib import ExitStack
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit

from tests.bench import scratch
from tests.bench.table import ROWS_FILE, load, render

HERE = Path(__file__).resolve().parent
ROOT = HERE.parents[1]


@dataclass(frozen=True)
class Servers:
    """Where a benchmark runs: PostgreSQL + Redis, or (both None) the embedded pair."""

    database: str | None
    redis: str | None

    @property
    def engine(self) -> str:
        return "PostgreSQL" if self.database else "SQLite"


@dataclass(frozen=True)
class Scale:
    rows: int  # P1 export rows
    clients: int  # P2 connections
    seconds: int  # P2 and P3 seconds per side and round
    events: int  # P3 trail filled for verification
    records: int  # sync replay
    items: int  # review queue flagged dossiers (findings: a tenth)
    officials: int  # rating proposals
    dossiers: int  # report dossiers (findings: a tenth)


SCALES = {
    "quick": Scale(2_000, 4, 1, 2_000, 40, 300, 100, 2_000),
    "full": Scale(200_000, 16, 2, 200_000, 1_000, 100_000, 5_000, 30_000),
}
# P3's rounds: its "on" rounds run the worker's cron, a process sealing every 5 s, so a
# full round lasts two of its periods; a quick round only checks that the code runs.
SEAL_ROUND_SECONDS = {"quick": 2, "full": 10}


@dataclass(frozen=True)
class Bench:
    name: str
    # argv after the interpreter, and whether it needs a scratch PostgreSQL database of its
    # own named in CONGVU_DATABASE_URL (the others create theirs).
    command: Callable[[Scale, int, Servers, str], list[str]]
    scratch_database: bool = False


def _p1(scale: Scale, rounds: int, servers: Servers, size: str) -> list[str]:
    engine = "--skip-sqlite" if servers.database else "--skip-postgres"
    return ["bench_dossier_import.py", "--rows", str(scale.rows), "--rounds", str(rounds), engine]


def _p2(scale: Scale, rounds: int, servers: Servers, size: str) -> list[str]:
    argv = ["bench_finding_write.py", "--rounds", str(rounds), "--seconds", str(scale.seconds)]
    argv += ["--clients", str(scale.clients)]
    if servers.database:
        argv += ["--postgres", servers.database]
        if servers.redis:
            argv += ["--redis", servers.redis]
    return argv


def _p3(scale: Scale, rounds: int, servers: Servers, size: str) -> list[str]:
    argv = ["bench_audit.py", str(scale.events), str(SEAL_ROUND_SECONDS[size])]
    return [*argv, "--rounds", str(rounds), "--engine", servers.engine.lower()]


def _replay(scale: Scale, rounds: int, servers: Servers, size: str) -> list[str]:
    return ["bench_sync_replay.py", str(scale.records), "1", "--rounds", str(rounds)]


def _queue(scale: Scale, rounds: int, servers: Servers, size: str) -> list[str]:
    skip = "--skip-sqlite" if servers.database else "--skip-postgres"
    return ["bench_review_queue.py", "--items", str(scale.items), "--rounds", str(rounds), skip]


def _rating(scale: Scale, rounds: int, servers: Servers, size: str) -> list[str]:
    # At full scale one round: a load of 5,000 officials' facts takes minutes here.
    rounds = rounds if size == "quick" else 1
    argv = ["bench_rating.py", "--officials", str(scale.officials), "--rounds", str(rounds)]
    return argv if size == "quick" else [*argv, "--skip-year"]


def _report(scale: Scale, rounds: int, servers: Servers, size: str) -> list[str]:
    argv = ["bench_report.py", "--dossiers", str(scale.dossiers)]
    return [*argv, "--findings", str(scale.dossiers // 10), "--rounds", str(rounds)]


BENCHES = [
    Bench("p1", _p1),
    Bench("p2", _p2),
    Bench("p3", _p3),
    Bench("replay", _replay, scratch_database=True),
    Bench("queue", _queue),
    Bench("rating", _rating, scratch_database=True),
    Bench("report", _report),
]


MIGRATE = "import asyncio; from congvu.inspect import db; asyncio.run(db.migrate())"


def _migrate(url: str, var: Path) -> None:
    """Migrate the template database once, in a process of its own (settings are read
    once per process), with nothing connected to it afterwards (a template must be idle)."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("CONGVU_")}
    env.update(CONGVU_DATABASE_URL=url, CONGVU_VAR_DIR=str(var / "template"))
    subprocess.run([sys.executable, "-c", MIGRATE], env=env, cwd=ROOT, check=True)


def _run(bench: Bench, argv: list[str], servers: Servers, rows_file: Path, var: Path) -> int:
    env = {k: v for k, v in os.environ.items() if not k.startswith("CONGVU_")}
    env[ROWS_FILE] = str(rows_file)
    env["PYTHONPATH"] = str(ROOT)
    command = [sys.executable, str(HERE / argv[0]), *argv[1:]]
    if not bench.scratch_database:
        # These create their own throw-away databases on the server they are given.
        if servers.database:
            env["CONGVU_TEST_DATABASE_URL"] = servers.database
        if servers.redis:
            env["CONGVU_TEST_REDIS_URL"] = servers.redis
        return subprocess.run(command, env=env, cwd=ROOT, check=False).returncode
    env["CONGVU_VAR_DIR"] = str(var / bench.name)
    if not servers.database:
        return subprocess.run(command, env=env, cwd=ROOT, check=False).returncode
    with scratch.database(servers.database, bench.name) as url:
        env["CONGVU_DATABASE_URL"] = url
        if servers.redis:
            env["CONGVU_REDIS_URL"] = servers.redis
            # Settings require a secret key with a Redis (sessions are shared).
            env["CONGVU_SECRET_KEY"] = "bench-secret-key-that-is-long-enough-0123456789"
            env["CONGVU_CHECKPOINT_KEY"] = "bench-checkpoint-key-that-is-long-enough-0123"
        return subprocess.run(command, env=env, cwd=ROOT, check=False).returncode


def main() -> int:
    parser = argparse.ArgumentParser(
        prog="python -m tests.bench",
        description=__doc__,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    names = [b.name for b in BENCHES]
    parser.add_argument("--only", action="append", choices=names, help="repeatable")
    parser.add_argument("--scale", choices=sorted(SCALES), default="full")
    parser.add_argument("--rounds", type=int, help="alternating rounds (default 3; quick: 1)")
    options = parser.parse_args()
    scale = SCALES[options.scale]
    rounds = options.rounds or (1 if options.scale == "quick" else 3)
    servers = Servers(
        os.environ.get("CONGVU_TEST_DATABASE_URL"), os.environ.get("CONGVU_TEST_REDIS_URL")
    )
    chosen = [b for b in BENCHES if not options.only or b.name in options.only]
    crashed: list[str] = []
    with tempfile.TemporaryDirectory(prefix="congvu-bench-") as folder, ExitStack() as stack:
        rows_file = Path(folder) / "rows.jsonl"
        if servers.database:
            template = stack.enter_context(scratch.database(servers.database, "template"))
            _migrate(template, Path(folder))
            os.environ[scratch.TEMPLATE] = urlsplit(template).path.lstrip("/")
        for bench in chosen:
            argv = bench.command(scale, rounds, servers, options.scale)
            print(f"==> {bench.name}: {' '.join(argv)}", flush=True)
            started = time.monotonic()
            code = _run(bench, argv, servers, rows_file, Path(folder))
            print(f"==> {bench.name}: exit {code} in {time.monotonic() - started:.0f} s")
            if code != 0:
                crashed.append(bench.name)
        rows = load(rows_file)
    where = servers.database.split("@")[-1] if servers.database else "embedded SQLite + Redis"
    print(f"\nBenchmarks, {options.scale} scale, {rounds} alternating round(s), {where}:\n")
    print(render(rows))
    if crashed:
        print(f"\nfailed (crash or correctness check): {', '.join(crashed)}")
    return 1 if crashed else 0


if __name__ == "__main__":
    sys.exit(main())
