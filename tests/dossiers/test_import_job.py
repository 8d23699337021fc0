"""An import job on a real arq worker (``congvu worker``) on real Redis, killed with
SIGKILL in the middle: nothing is half-imported, and the rerun on another worker ends in
the same state as an import that was never interrupted."""

from __future__ import annotations

import hashlib
import os
import signal
import subprocess
from datetime import datetime
from pathlib import Path

import anyio
import pytest
from arq import create_pool
from arq.connections import RedisSettings
from congvu.inspect import db
from congvu.inspect.actor import Actor
from congvu.inspect.background.services import records as jobs
from congvu.inspect.background.tables import JobRecord
from congvu.inspect.dossiers.services.importing import ImportRequest, import_dossiers
from congvu.inspect.dossiers.tables import Dossier, DueSnapshot, ImportBatch, RejectedRow
from congvu.inspect.settings import get_settings

from tests.conftest import requires_server
from tests.dossiers.conftest import CONGVU
from tests.dossiers.generator import ExportSpec, generate, write_csv
from tests.worlds import World

pytestmark = pytest.mark.anyio

EXPORTED_AT = datetime(2026, 4, 1, 8, 0)


async def _state() -> str:
    """The dossiers as imported, without what differs between two runs by design (row
    ids, the batch that wrote them, the wall-clock time of the write)."""
    digest = hashlib.sha256()
    skip = {"id", "batch", "updated_at"}
    for row in await Dossier.select().order_by(Dossier.code):
        digest.update(repr([(k, v) for k, v in sorted(row.items()) if k not in skip]).encode())
    return digest.hexdigest()


def _worker(log: Path) -> subprocess.Popen[bytes]:
    handle = log.open("ab")
    return subprocess.Popen([CONGVU, "worker"], env=dict(os.environ), stdout=handle, stderr=handle)


async def _record(job_id: object) -> dict:
    row = await JobRecord.select().where(JobRecord.id == job_id).first()
    assert row is not None
    return row


@requires_server("redis")
async def test_a_worker_killed_mid_import_reruns_to_the_same_state(
    world: World, admin: Actor, tmp_path: Path
) -> None:
    export = generate(ExportSpec(rows=120_000, units=["P-A", "P-A-PVHCC", "P-B"], seed=7))
    path = write_csv(export, tmp_path / "hoso-120k.csv")
    settings = get_settings()
    queue = await create_pool(RedisSettings.from_dsn(settings.redis_url or ""))
    log = tmp_path / "worker.log"
    try:
        await queue.flushdb()
        job_id = await jobs.start_dossier_import(
            queue,
            admin,
            path=str(path),
            file_name=path.name,
            exported_at=EXPORTED_AT.isoformat(),
            chunk_rows=4_000,
        )
        first = _worker(log)
        try:
            with anyio.fail_after(90):
                while (await _record(job_id))["progress"] == 0:  # noqa: ASYNC110
                    await anyio.sleep(0.02)
        finally:
            os.kill(first.pid, signal.SIGKILL)
            first.wait()
        killed = await _record(job_id)
        assert killed["status"] == "running"
        assert 0 < killed["progress"] < 120_000
        assert await Dossier.count() == 0, "a killed import must not leave half a batch"

        # arq keeps a job "in progress" until its lock expires (job_timeout + 10 s) and
        # then runs it again; expire the lock as that time would.
        await queue.delete(f"arq:in-progress:{job_id}")
        second = _worker(log)
        try:
            with anyio.fail_after(180):
                while (await _record(job_id))["status"] not in ("done", "failed"):  # noqa: ASYNC110
                    await anyio.sleep(0.1)
        finally:
            second.send_signal(signal.SIGTERM)
            second.wait(timeout=30)
    finally:
        await queue.aclose()
    done = await _record(job_id)
    assert done["status"] == "done", log.read_text()[-3000:]
    assert done["attempts"] == 2
    assert await ImportBatch.count() == 1  # the rerun reused the killed run's batch
    rerun_state = await _state()
    rerun_count = await Dossier.count()
    assert rerun_count == 120_000 - len(export.bad_rows)

    # The same file imported without interruption, from an empty table.
    for table in (DueSnapshot, RejectedRow, Dossier, ImportBatch):
        await table.delete(force=True)
    # The job evaluates at today's date; so does this import.
    await import_dossiers(
        admin, ImportRequest(path=path, file_name=path.name, exported_at=EXPORTED_AT)
    )
    assert await _state() == rerun_state
    if db.is_sqlite():
        tables = await db.engine().run_ddl(
            "SELECT name FROM sqlite_master WHERE name LIKE 'dossier_stage_%'"
        )
        assert tables == []
