"""The worker killed (kill -9) in the middle of a dossier import: in production mode
`congvu worker` (apart from the web process), in embedded mode the web process the worker
runs in. The job's heartbeat stops, the sweeper releases arq's lock, a worker runs the
job again, and the dossier table ends as an uninterrupted import of the same file leaves
it (row checksum over code, status, working_days_late and flags, by code). Each backend
of CI runs the variant of its mode.

The heartbeat's two-minute life is not waited for: its key is deleted as its expiry
would. The sweeper is the worker's own cron task, enqueued by its name so that it runs
now rather than at the next minute's 30th second.
"""

from __future__ import annotations

import hashlib
import time as wall
from datetime import datetime
from pathlib import Path

import anyio
import pytest
from arq import create_pool
from arq.connections import RedisSettings
from congvu.inspect.actor import Actor
from congvu.inspect.background import api as background
from congvu.inspect.background.services import records
from congvu.inspect.background.tables import JobRecord
from congvu.inspect.dossiers.services.importing import ImportRequest, import_dossiers
from congvu.inspect.dossiers.tables import Dossier, DueSnapshot, ImportBatch, RejectedRow
from congvu.inspect.embedded_redis import EmbeddedRedis
from congvu.inspect.settings import get_settings

from tests import builders
from tests.conftest import requires_server
from tests.dossiers.generator import ExportSpec, generate, write_csv
from tests.ops.processes import processes, serve, worker
from tests.worlds import World

pytestmark = [pytest.mark.anyio, pytest.mark.slow, pytest.mark.timing]

EXPORTED_AT = datetime(2026, 4, 1, 8, 0)
ROWS = 30_000


async def checksum() -> str:
    """sha256 over (code, status, working_days_late, flags) of every dossier, by code."""
    digest = hashlib.sha256()
    rows = await Dossier.select(
        Dossier.code, Dossier.status, Dossier.working_days_late, Dossier.flags
    ).order_by(Dossier.code)
    for row in rows:
        line = f"{row['code']}|{row['status']}|{row['working_days_late']}|{row['flags']}\n"
        digest.update(line.encode())
    return digest.hexdigest()


async def _record(job_id: object) -> dict:
    row = await JobRecord.select().where(JobRecord.id == job_id).first()
    assert row is not None
    return row


@requires_server("redis")
async def test_a_worker_killed_mid_import_is_swept_and_converges(
    world: World, tmp_path: Path
) -> None:
    admin = await builders.actor(world.users["admin"])
    export = generate(ExportSpec(rows=ROWS, units=["P-A", "P-A-PVHCC", "P-B"], seed=11))
    path = write_csv(export, tmp_path / "hoso.csv")
    queue = await create_pool(RedisSettings.from_dsn(get_settings().redis_url or ""))
    var_dir = tmp_path / "var"
    try:
        await queue.flushdb()
        job_id = await background.start_dossier_import(
            queue,
            admin,
            path=str(path),
            file_name=path.name,
            exported_at=EXPORTED_AT.isoformat(),
            chunk_rows=2_000,
        )
        with processes(tmp_path) as started:
            first = worker(tmp_path, "worker-1", var_dir)
            started.append(first)
            first.start()
            with anyio.fail_after(90):
                while (await _record(job_id))["progress"] == 0:  # noqa: ASYNC110
                    await anyio.sleep(0.02)
            first.kill()
            killed = await _record(job_id)
            assert killed["status"] == "running"
            assert 0 < killed["progress"] < ROWS

            # What two minutes without a beat leave: no heartbeat, arq's lock still held.
            await queue.delete(records.heartbeat_key(str(job_id)))
            assert await queue.exists(records.arq_lock_key(str(job_id)))

            second = worker(tmp_path, "worker-2", var_dir)
            started.append(second)
            second.start()
            await queue.enqueue_job("sweep_lost_jobs")
            begun = wall.monotonic()
            with anyio.fail_after(150):
                while (await _record(job_id))["status"] not in ("done", "failed"):  # noqa: ASYNC110
                    await anyio.sleep(0.1)
            print(f"\nswept and re-run to the end in {wall.monotonic() - begun:.1f} s")
            assert "released for a rerun" in second.output(), second.output()[-3000:]
    finally:
        await queue.aclose()
    await _converged(job_id, admin, path, len(export.bad_rows))


async def _converged(job_id: object, admin: Actor, path: Path, bad_rows: int) -> None:
    """The rerun finished, and left what an uninterrupted import of the file leaves."""
    done = await _record(job_id)
    assert done["status"] == "done", done
    assert done["attempts"] == 2
    resumed = await checksum()
    assert await Dossier.count() == ROWS - bad_rows

    for table in (DueSnapshot, RejectedRow, Dossier, ImportBatch):
        await table.delete(force=True)
    await import_dossiers(
        admin, ImportRequest(path=path, file_name=path.name, exported_at=EXPORTED_AT)
    )
    assert await checksum() == resumed


@pytest.mark.skipif(
    get_settings().redis_url is not None, reason="embedded mode: the run without a Redis URL"
)
async def test_a_web_process_killed_mid_import_in_embedded_mode_converges(
    world: World, tmp_path: Path
) -> None:
    admin = await builders.actor(world.users["admin"])
    export = generate(ExportSpec(rows=ROWS, units=["P-A", "P-A-PVHCC", "P-B"], seed=11))
    path = write_csv(export, tmp_path / "hoso.csv")
    var_dir = tmp_path / "var"
    redis_url = EmbeddedRedis(var_dir).url
    with processes(tmp_path) as started:
        web = serve(tmp_path, "web", var_dir)
        started.append(web)
        web.start().wait_ready()
        queue = await create_pool(RedisSettings.from_dsn(redis_url))
        try:
            job_id = await background.start_dossier_import(
                queue,
                admin,
                path=str(path),
                file_name=path.name,
                exported_at=EXPORTED_AT.isoformat(),
                chunk_rows=2_000,
            )
            with anyio.fail_after(90):
                while (await _record(job_id))["progress"] == 0:  # noqa: ASYNC110
                    await anyio.sleep(0.02)
            web.kill()
            killed = await _record(job_id)
            assert killed["status"] == "running"
            assert 0 < killed["progress"] < ROWS
            # The killed process's redis-server lives on until the next start ends it
            # (saving its snapshot): age the heartbeat out meanwhile.
            await queue.delete(records.heartbeat_key(str(job_id)))
        finally:
            await queue.aclose()

        web.start().wait_ready()
        queue = await create_pool(RedisSettings.from_dsn(redis_url))
        try:
            assert await queue.exists(records.arq_lock_key(str(job_id))), (
                "the embedded Redis lost arq's lock across the restart"
            )
            await queue.enqueue_job("sweep_lost_jobs")
            with anyio.fail_after(150):
                while (await _record(job_id))["status"] not in ("done", "failed"):  # noqa: ASYNC110
                    await anyio.sleep(0.1)
        finally:
            await queue.aclose()
        assert "released for a rerun" in web.output(), web.output()[-3000:]
    await _converged(job_id, admin, path, len(export.bad_rows))
