"""Sync replay: resending 1,000 already-accepted records against the first send.

    uv run python tests/bench/bench_sync_replay.py [RECORDS] [BATCH]   # default 1000 100

Runs the real app in-process (httpx ASGITransport, like the tests' ``client``) on a fresh
SQLite file with the embedded Redis, or on CONGVU_DATABASE_URL / CONGVU_REDIS_URL when they
are set. Sends attendance and finding records in batches, then replays exactly the same
batches, and prints both times, the ratio (target ≤ 0.5) and the rows the replay created
(must be 0). With ``--rounds R``, R rounds of a first send of fresh records and their
replay; the ratio is the median of the rounds'. Exits 1 when a replay created rows or
answered other than "duplicate" (a ratio above target is reported, not an error). Figures
measured: tests/bench/README.md.
"""

from __future__ import annotations

import asyncio
import os
import statistics
import sys
import tempfile
import time
import uuid
from datetime import datetime, timedelta
from datetime import time as clock
from pathlib import Path
from typing import Any

# The sync's rate limits stay on (their counting is part of each request) but far above
# what one bench account sends: 1,000 records one at a time pass 120 a minute at once.
os.environ.setdefault("CONGVU_SYNC_PER_MINUTE_ADDRESS", "10000000")
os.environ.setdefault("CONGVU_SYNC_PER_MINUTE_ACCOUNT", "10000000")
if "CONGVU_DATABASE_URL" not in os.environ:
    # Settings are read once per process: choose a throw-away run directory first.
    _RUN = Path(tempfile.mkdtemp(prefix="congvu-bench-"))
    os.environ["CONGVU_VAR_DIR"] = str(_RUN / "var")
    os.environ["CONGVU_DATABASE_URL"] = f"sqlite:///{_RUN / 'bench.sqlite3'}"
# The repository root: the world is built with tests/builders.py, like the tests' own.
sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

import httpx
from congvu.inspect import db
from congvu.inspect.app import create_app
from congvu.inspect.inspections.tables import (
    AttendanceCheck,
    Finding,
    SyncConflict,
    SyncReceipt,
)
from congvu.inspect.settings import get_settings

from tests import builders

PASSWORD = "mat-khau-do-hieu-nang"
TARGET_RATIO = 0.5


async def world(officials: int) -> tuple[int, list[int]]:
    await builders.unit("BP", "Tỉnh Đo Hiệu Năng", kind="province")
    unit = await builders.unit("BP-X", "Xã Đo Hiệu Năng", parent="BP", commune_type="xa")
    ids = []
    for n in range(officials):
        official = await builders.official(unit, f"BX{n:04d}", f"Nguyễn Văn Số{n}")
        ids.append(int(official.id))
    user = await builders.account("bench", role="inspector", unit="BP", password=PASSWORD)
    zone = get_settings().zone
    inspection = await builders.inspection(
        unit,
        datetime.now(zone).date() - timedelta(days=1),
        members=[user],
        created_at=datetime.now(zone),
    )
    return int(inspection.id), ids


def records(inspection_id: int, officials: list[int], count: int) -> list[dict[str, Any]]:
    zone = get_settings().zone
    day = datetime.now(zone).date() - timedelta(days=1)
    out = []
    for n in range(count):
        observed = datetime.combine(day, clock(8, 0), tzinfo=zone) + timedelta(seconds=n)
        official = officials[n % len(officials)]
        if n % 5 == 4:
            kind = "finding"
            payload: dict[str, Any] = {
                "official_id": official,
                "violation_code": "NO_CARD",
                "facts": f"Không đeo thẻ (lần {n})",
                "observed_at": observed.isoformat(),
            }
        else:
            kind = "attendance"
            payload = {
                "official_id": official,
                "status": "late" if n % 2 else "present",
                "arrival_time": "08:21" if n % 2 else "07:20",
                "observed_at": observed.isoformat(),
            }
        out.append(
            {
                "uuid": str(uuid.uuid4()),
                "type": kind,
                "inspection_id": inspection_id,
                "replaces": None,
                "device_time": observed.isoformat(),
                "payload": payload,
            }
        )
    return out


async def rows() -> int:
    return sum(
        [
            await AttendanceCheck.count(),
            await Finding.count(),
            await SyncReceipt.count(),
            await SyncConflict.count(),
        ]
    )


async def send_all(client: httpx.AsyncClient, batches: list[list[dict[str, Any]]]) -> list[str]:
    statuses = []
    token = client.cookies.get("csrftoken", "")
    for batch in batches:
        response = await client.post(
            "/api/v1/sync", json={"records": batch}, headers={"x-csrftoken": token}
        )
        response.raise_for_status()
        statuses.extend(r["status"] for r in response.json()["results"])
    return statuses


async def main(count: int, batch_size: int, rounds: int) -> int:
    from tests.bench.table import Row, at_most, emit, seconds

    await db.prepare()
    await db.migrate()
    inspection_id, officials = await world(50)
    app = create_app(get_settings())
    first_cpu: list[float] = []
    replay_cpu: list[float] = []
    first_wall: list[float] = []
    replay_wall: list[float] = []
    created_by_replay = 0
    wrong_answers = 0
    async with app.lifespan():
        transport = httpx.ASGITransport(app=app)
        async with httpx.AsyncClient(transport=transport, base_url="http://bench.local") as client:
            await client.get("/login")
            await client.post(
                "/login",
                data={
                    "username": "bench",
                    "password": PASSWORD,
                    "_csrf_token": client.cookies.get("csrftoken"),
                },
            )
            # Each round: a first send of fresh records (the baseline), then their replay.
            for _ in range(max(1, rounds)):
                sent = records(inspection_id, officials, count)
                batches = [sent[i : i + batch_size] for i in range(0, len(sent), batch_size)]

                started, cpu = time.perf_counter(), time.process_time()
                first = await send_all(client, batches)
                first_wall.append(time.perf_counter() - started)
                first_cpu.append(time.process_time() - cpu)
                before = await rows()

                started, cpu = time.perf_counter(), time.process_time()
                replay = await send_all(client, batches)
                replay_wall.append(time.perf_counter() - started)
                replay_cpu.append(time.process_time() - cpu)
                created_by_replay += await rows() - before
                wrong_answers += count - first.count("created")
                wrong_answers += count - replay.count("duplicate")

    # The target is on CPU (the server's cost; a wall clock on a shared machine also
    # counts waiting); the wall-clock ratio is printed beside it.
    ratios = [r / f for r, f in zip(replay_cpu, first_cpu, strict=True)]
    ratio = statistics.median(ratios)
    wall = statistics.median(r / f for r, f in zip(replay_wall, first_wall, strict=True))
    database = get_settings().database_url.split("@")[-1].split("?")[0]
    print(f"database            {database}")
    print(f"records             {count} in batches of {batch_size}, {len(ratios)} round(s)")
    print(f"first send          {statistics.median(first_cpu):8.3f} s CPU (median)")
    print(f"replay              {statistics.median(replay_cpu):8.3f} s CPU (median)")
    print(f"ratio (wall)        {wall:8.3f}")
    print(f"ratio (CPU)         {ratio:8.3f}   (target ≤ {TARGET_RATIO})")
    print(f"rows created by replay: {created_by_replay}; wrong answers: {wrong_answers}")
    engine = "SQLite" if db.is_sqlite() else "PostgreSQL"
    emit(
        [
            Row("sync replay", f"CPU of resending {count} records (batches of {batch_size})"
                " vs their first send", engine, seconds(statistics.median(first_cpu)),
                seconds(statistics.median(replay_cpu)), *at_most(ratio, TARGET_RATIO),
                note=f"wall-clock ratio {wall:.2f}; rows created by the replays"
                f" {created_by_replay} (must be 0)"),
        ]
    )  # fmt: skip
    # A missed ratio is reported; a replay that wrote or answered wrongly is an error.
    return 0 if created_by_replay == 0 and wrong_answers == 0 else 1


if __name__ == "__main__":
    import argparse

    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("records", type=int, nargs="?", default=1000)
    parser.add_argument("batch", type=int, nargs="?", default=100)
    parser.add_argument("--rounds", type=int, default=1)
    options = parser.parse_args()
    sys.exit(asyncio.run(main(options.records, options.batch, options.rounds)))
