"""P3, the audit chain: event-writing throughput with sealing as production runs it
against no sealing (target ≥ 0.9×), and verification speed (target ≥ 100,000 rows/s).

    uv run python tests/bench/bench_audit.py [EVENTS] [SECONDS] [--rounds R]
        [--engine sqlite|postgresql|both]                  # default 200000 10 8 both

Runs on a fresh SQLite file and on PostgreSQL: a throw-away database created next to
CONGVU_TEST_DATABASE_URL (default: the dev server, congvu@127.0.0.1:55432), dropped
afterwards. Each run is its own process, since settings and the engine are read once per
process.

Writing: 8 concurrent writers each commit one event per transaction, like requests do,
in R alternating rounds of SECONDS with sealing off and on. "On" is production: the web
process's one-second sealer in the writers' process and, on PostgreSQL, the worker's 5 s
cron in a process of its own (rounds of 10 s, so the cron fires twice in each). The
events left unsealed by an "off" round are sealed, untimed, before the next round; the
ratio is the median over the pairs of neighbouring rounds. Then the trail is filled to
EVENTS events with bulk inserts, sealed, and verified twice (the first read after sealing
also pays for PostgreSQL's hint bits and a cold cache). Timings only, no assertion on
them; exits non-zero only when a run fails or the chain does not verify. Why sealing is
built as it is, and the figures measured: tests/bench/README.md."""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import os
import signal
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

# The repository root, for tests.bench.table.
sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

from tests.bench import scratch

WRITERS = 8
ROUNDS = 8
CRON_SECONDS = 5


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


async def worker_sealer() -> None:
    """The worker's cron in production: ``seal`` every 5 s on the second (arq's
    ``second={0, 5, …}``), in a process of its own. Says "ready" once connected."""
    from congvu.inspect import db
    from congvu.inspect.audit.services import chain as audit_chain

    await db.prepare()
    print("ready", flush=True)
    try:
        while True:
            await asyncio.sleep(CRON_SECONDS - time.time() % CRON_SECONDS)
            await audit_chain.seal()
    finally:
        await db.close()


@contextlib.contextmanager
def production_sealers() -> Iterator[None]:
    """The worker's 5 s cron in its own process for the duration of the block (the web
    process's own one-second sealer runs beside it, in ``child``)."""
    argv = [sys.executable, __file__, "--worker-sealer"]
    process = subprocess.Popen(argv, stdout=subprocess.PIPE, text=True)
    try:
        assert process.stdout is not None
        if process.stdout.readline().strip() != "ready":
            raise RuntimeError("the worker's sealer did not start")
        yield
    finally:
        process.send_signal(signal.SIGINT)
        try:
            process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


async def child(events: int, seconds: float, rounds: int) -> int:
    from congvu.inspect import db
    from congvu.inspect.audit.services import chain as audit_chain

    from tests.bench.table import Row, at_least, emit

    await db.prepare()
    await db.migrate()
    label = "SQLite" if db.is_sqlite() else "PostgreSQL"
    try:
        off: list[float] = []
        on: list[float] = []
        await _write(1)  # warm-up: pool, statement caches
        await audit_chain.seal(wait=True)
        for _ in range(rounds):
            off.append(await _write(seconds))
            await audit_chain.seal(wait=True)
            # Production: the web process seals every second (app.py) and the worker's
            # cron every 5 s; on SQLite (embedded) the worker runs inside the web process
            # and its cron seals under the same lock, so the web sealer alone stands in.
            with production_sealers() if label == "PostgreSQL" else contextlib.nullcontext():
                async with audit_chain.sealing(interval=1.0):
                    on.append(await _write(seconds))
        # Each "on" round against the "off" round just before it: the machine's speed
        # drifts (writers here wait on fsync, whose latency on this VM moved single
        # rounds by ±20%), and a ratio of neighbours cancels most of a drift.
        ratios = [b / a for a, b in zip(off, on, strict=True)]
        ratio = statistics.median(ratios)
        print(
            f"{label}: writing ({rounds} pairs of {seconds:g}s rounds), sealer off "
            f"{statistics.median(off):,.0f} events/s, on {statistics.median(on):,.0f} events/s"
            f" → median ratio of the pairs {ratio:.2f} (target ≥ 0.9); pairs "
            f"{', '.join(f'{r:.2f}' for r in ratios)}"
        )

        await _fill(events)
        started = time.perf_counter()
        sealed = await audit_chain.seal(wait=True)
        seconds = time.perf_counter() - started
        print(f"{label}: sealing {sealed:,} events took {seconds:.1f}s ({sealed / seconds:,.0f}/s)")

        speeds = []
        cpu_started = 0.0
        for attempt in ("first", "second"):
            cpu_started = time.process_time()
            result = await audit_chain.verify()
            speeds.append(result.rows_per_second)
            print(
                f"{label}: verification ({attempt}) of {result.rows:,} events in "
                f"{result.seconds:.2f}s → {result.rows_per_second:,.0f} rows/s "
                "(target ≥ 100,000)"
            )
            if not result.ok:
                print(f"{label}: chain broken at seq {result.first_bad_seq}: {result.problem}")
                return 1
        # Verification is pure CPU with no baseline beside it: on a shared machine its wall
        # clock is the figure most moved by other work, its CPU time the least.
        cpu = max(time.process_time() - cpu_started, 1e-9)
        emit(
            [
                Row("P3 sealing", "events/s, 8 writers, sealers on vs off", label,
                    f"{statistics.median(off):,.0f}/s", f"{statistics.median(on):,.0f}/s",
                    *at_least(ratio, 0.9),
                    note=f"pairs {', '.join(f'{r:.2f}' for r in ratios)}"
                    + (f"; sealing {sealed / seconds:,.0f} events/s" if sealed else "")),
                Row("P3 verification", f"rows/s over {result.rows:,} events (second pass)",
                    label, "–", f"{result.seconds:.2f} s", speeds[-1], "≥ 100,000 rows/s",
                    speeds[-1] >= 100_000, ratio_unit="rows/s",
                    note=f"first pass {speeds[0]:,.0f} rows/s; second pass"
                    f" {result.rows / cpu:,.0f} rows per CPU second of this process"),
            ]
        )  # fmt: skip
        return 0
    finally:
        await db.close()


def _run_child(database_url: str, run_dir: Path, events: int, seconds: float, rounds: int) -> int:
    env = {k: v for k, v in os.environ.items() if not k.startswith("CONGVU_")}
    env["CONGVU_DATABASE_URL"] = database_url
    env["CONGVU_VAR_DIR"] = str(run_dir / "var")
    argv = [sys.executable, __file__, "--child", str(events), str(seconds), str(rounds)]
    return subprocess.run(argv, env=env, check=False).returncode


def main(events: int, seconds: float, rounds: int, engine: str) -> int:
    failed = 0
    with tempfile.TemporaryDirectory(prefix="congvu-bench-audit-") as tmp:
        run_dir = Path(tmp)
        if engine in ("sqlite", "both"):
            sqlite = f"sqlite:///{run_dir / 'bench.sqlite3'}"
            failed |= _run_child(sqlite, run_dir, events, seconds, rounds)
        if engine == "sqlite":
            return failed
        base = os.environ.get("CONGVU_TEST_DATABASE_URL", scratch.DEFAULT_URL)
        try:
            with scratch.database(base, "audit") as url:
                failed |= _run_child(url, run_dir, events, seconds, rounds)
        except OSError as error:  # no server: the SQLite numbers still stand
            print(f"PostgreSQL: not run ({base.split('@')[-1]}: {error})")
            return failed if engine == "both" else 1
    return failed


if __name__ == "__main__":
    if sys.argv[1:2] == ["--child"]:
        sys.exit(asyncio.run(child(int(sys.argv[2]), float(sys.argv[3]), int(sys.argv[4]))))
    if sys.argv[1:2] == ["--worker-sealer"]:
        with contextlib.suppress(KeyboardInterrupt):
            asyncio.run(worker_sealer())
        sys.exit(0)
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("events", type=int, nargs="?", default=200_000)
    parser.add_argument("seconds", type=float, nargs="?", default=10.0)
    parser.add_argument("--rounds", type=int, default=ROUNDS)
    parser.add_argument("--engine", choices=("sqlite", "postgresql", "both"), default="both")
    options = parser.parse_args()
    sys.exit(main(options.events, options.seconds, options.rounds, options.engine))
