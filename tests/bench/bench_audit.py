"""P3, the audit chain: event-writing throughput with the sealer running against not
running (target ≥ 0.9×), and verification speed (target ≥ 100,000 rows/s).

    uv run python tests/bench/bench_audit.py [EVENTS] [SECONDS]   # default 200000 2

Runs once on a fresh SQLite file and once on PostgreSQL: a throw-away database created
next to CONGVU_TEST_DATABASE_URL (default: the dev server, congvu@127.0.0.1:55432),
dropped afterwards. Each run is its own process, since settings and the engine are read
once per process.

Writing: 8 concurrent writers each commit one event per transaction, like requests
do, in alternating rounds of SECONDS with the sealer off and on (the events left
unsealed by an "off" round are sealed, untimed, before the next round); the ratio is
the median over the pairs of neighbouring rounds. Then the
trail is filled to EVENTS events with bulk inserts, sealed, and verified twice (the
first read after sealing also pays for PostgreSQL's hint bits and a cold cache). Timings
only, no assertion on them; exits non-zero only when a run fails or the chain does not
verify. Why sealing is built as it is, and the figures measured: tests/bench/README.md.
"""

from __future__ import annotations

import asyncio
import os
import statistics
import subprocess
import sys
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

WRITERS = 8
ROUNDS = 8
DEFAULT_POSTGRES = "postgresql://congvu@127.0.0.1:55432/congvu_test"


async def _write(seconds: float) -> float:
    """Events per second committed by WRITERS request-like writers for ``seconds``."""
    from congvu.inspect import db
    from congvu.inspect.audit.services import events as audit

    deadline = time.perf_counter() + seconds
    written = 0

    async def writer() -> None:
        nonlocal written
        while time.perf_counter() < deadline:
            async with db.atomic():
                await audit.record(
                    "finding.update",
                    "finding",
                    written,
                    actor_username="thanhtra.bench",
                    before={"status": "under_review"},
                    after={"status": "confirmed", "rule": "working_hours", "version": 3},
                    reason="Đến muộn 51 phút so với giờ làm việc",
                    request_id=f"req-{written}",
                    ip="127.0.0.1",
                )
            written += 1

    started = time.perf_counter()
    await asyncio.gather(*(writer() for _ in range(WRITERS)))
    return written / (time.perf_counter() - started)


async def _fill(total: int) -> None:
    from congvu.inspect.audit.tables import AuditEvent

    missing = total - await AuditEvent.count()
    while missing > 0:
        size = min(missing, 2000)
        await AuditEvent.insert(
            *[
                AuditEvent(
                    occurred_at=datetime.now(UTC),
                    actor_username="nhap.lieu",
                    actor_role="reporter",
                    action="dossier.import",
                    object_type="dossier",
                    object_id=str(n),
                    after={"code": f"H{n:08d}", "late": n % 7 == 0},
                )
                for n in range(size)
            ]
        )
        missing -= size


async def child(events: int, seconds: float) -> int:
    from congvu.inspect import db
    from congvu.inspect.audit.services import chain as audit_chain

    await db.prepare()
    await db.migrate()
    label = "SQLite" if db.is_sqlite() else "PostgreSQL"
    try:
        off: list[float] = []
        on: list[float] = []
        await _write(1)  # warm-up: pool, statement caches
        await audit_chain.seal(wait=True)
        for _ in range(ROUNDS):
            off.append(await _write(seconds))
            await audit_chain.seal(wait=True)
            async with audit_chain.sealing(interval=1.0):
                on.append(await _write(seconds))
        # Each "on" round against the "off" round just before it: the machine's speed
        # drifts (writers here wait on fsync, whose latency on this VM moved single
        # rounds by ±20%), and a ratio of neighbours cancels most of a drift.
        ratios = [b / a for a, b in zip(off, on, strict=True)]
        ratio = statistics.median(ratios)
        print(
            f"{label}: writing ({ROUNDS} pairs of {seconds:g}s rounds), sealer off "
            f"{statistics.median(off):,.0f} events/s, on {statistics.median(on):,.0f} events/s"
            f" → median ratio of the pairs {ratio:.2f} (target ≥ 0.9); pairs "
            f"{', '.join(f'{r:.2f}' for r in ratios)}"
        )

        await _fill(events)
        started = time.perf_counter()
        sealed = await audit_chain.seal(wait=True)
        seconds = time.perf_counter() - started
        print(f"{label}: sealing {sealed:,} events took {seconds:.1f}s ({sealed / seconds:,.0f}/s)")

        for attempt in ("first", "second"):
            result = await audit_chain.verify()
            print(
                f"{label}: verification ({attempt}) of {result.rows:,} events in "
                f"{result.seconds:.2f}s → {result.rows_per_second:,.0f} rows/s "
                "(target ≥ 100,000)"
            )
            if not result.ok:
                print(f"{label}: chain broken at seq {result.first_bad_seq}: {result.problem}")
                return 1
        return 0
    finally:
        await db.close()


def _run_child(database_url: str, run_dir: Path, events: int, seconds: float) -> int:
    env = {k: v for k, v in os.environ.items() if not k.startswith("CONGVU_")}
    env["CONGVU_DATABASE_URL"] = database_url
    env["CONGVU_VAR_DIR"] = str(run_dir / "var")
    argv = [sys.executable, __file__, "--child", str(events), str(seconds)]
    return subprocess.run(argv, env=env, check=False).returncode


async def _admin(url: str, statement: str) -> None:
    import asyncpg

    connection = await asyncpg.connect(url)
    try:
        await connection.execute(statement)
    finally:
        await connection.close()


def main(events: int, seconds: float) -> int:
    failed = 0
    with tempfile.TemporaryDirectory(prefix="congvu-bench-audit-") as tmp:
        run_dir = Path(tmp)
        failed |= _run_child(f"sqlite:///{run_dir / 'bench.sqlite3'}", run_dir, events, seconds)

        base = os.environ.get("CONGVU_TEST_DATABASE_URL", DEFAULT_POSTGRES)
        name = f"congvu_bench_audit_{os.getpid()}"
        parts = urlsplit(base)
        url = urlunsplit(parts._replace(path=f"/{name}"))
        try:
            asyncio.run(_admin(base, f"CREATE DATABASE {name}"))
        except Exception as error:  # no server, no CREATEDB: the SQLite numbers still stand
            print(f"PostgreSQL: not run ({base.split('@')[-1]}: {error})")
            return failed
        try:
            failed |= _run_child(url, run_dir, events, seconds)
        finally:
            asyncio.run(_admin(base, f"DROP DATABASE IF EXISTS {name}"))
    return failed


if __name__ == "__main__":
    if sys.argv[1:2] == ["--child"]:
        sys.exit(asyncio.run(child(int(sys.argv[2]), float(sys.argv[3]))))
    events = int(sys.argv[1]) if len(sys.argv) > 1 else 200_000
    sys.exit(main(events, float(sys.argv[2]) if len(sys.argv) > 2 else 2.0))
