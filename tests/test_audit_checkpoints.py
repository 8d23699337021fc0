"""Automatic signed checkpoints: taken by the hourly cron and at every shutdown, kept in
CONGVU_CHECKPOINT_DIR, and used by ``verify-audit`` by default. Against them, a rewrite
that recomputed every later hash and a cut-off tail both fail; an honest chain that
grew passes; a tampered checkpoint file is refused."""

from __future__ import annotations

import dataclasses
import json
import os
import sqlite3
import subprocess
import sys
from datetime import UTC, datetime
from pathlib import Path

import pytest
from congvu.inspect.audit import api as audit_api
from congvu.inspect.audit.services import chain as audit_chain
from congvu.inspect.audit.services import checkpoints
from congvu.inspect.audit.tables import AuditEvent
from congvu.inspect.settings import get_settings
from congvu.jobs import tasks
from congvu.jobs.worker import WorkerSettings

from tests.test_audit_chain import as_superuser, write_events

pytestmark = pytest.mark.anyio

KEY = "checkpoint-test-key-that-is-long-enough-0123456789"
CONGVU = str(Path(sys.executable).parent / "congvu")


async def take(directory: Path, keep: int = 10) -> audit_api.CheckpointFile:
    return await checkpoints.take_checkpoint(directory, KEY, keep)


def latest(directory: Path) -> audit_chain.Checkpoint:
    path = checkpoints.latest_file(directory)
    assert path is not None
    return checkpoints.read_checkpoint(path, KEY)


async def rewrite_event_and_rehash_after(seq: int) -> None:
    """The strongest insider: changes an event and recomputes every later hash, so the
    chain alone is valid again."""
    async with as_superuser():
        await AuditEvent.update({AuditEvent.reason: "sửa lén"}).where(AuditEvent.seq == seq)
        await AuditEvent.update(
            {AuditEvent.seq: None, AuditEvent.prev_hash: None, AuditEvent.hash: None}
        ).where(AuditEvent.seq >= seq)
    await audit_chain.seal()


async def test_a_rehashed_rewrite_fails_against_the_automatic_checkpoint(
    clean_db, tmp_path: Path
) -> None:
    await write_events(5)
    await take(tmp_path)

    await rewrite_event_and_rehash_after(2)

    assert (await audit_chain.verify()).ok  # the chain alone cannot tell
    result = await audit_chain.verify(latest(tmp_path))
    assert not result.ok
    assert result.first_bad_seq == 5
    assert "the chain differs from the checkpoint" in (result.problem or "")
    # ...and the next automatic checkpoint does not launder it.
    with pytest.raises(audit_api.ChainDiverged, match="previous checkpoint"):
        await take(tmp_path)
    assert len(checkpoints.checkpoint_files(tmp_path)) == 1


async def test_a_cut_off_tail_fails_against_the_automatic_checkpoint(
    clean_db, tmp_path: Path
) -> None:
    await write_events(4)
    await take(tmp_path)

    async with as_superuser():
        await AuditEvent.delete().where(AuditEvent.seq >= 3)

    assert (await audit_chain.verify()).ok
    result = await audit_chain.verify(latest(tmp_path))
    assert result.first_bad_seq == 3
    assert "mốc xác nhận đến seq 4" in (result.problem or "")
    with pytest.raises(audit_api.ChainDiverged):
        await take(tmp_path)


async def test_an_honest_chain_that_grew_passes_and_the_next_checkpoint_extends_it(
    clean_db, tmp_path: Path
) -> None:
    await write_events(3)
    first = (await take(tmp_path)).checkpoint
    await write_events(4)

    assert (await audit_chain.verify(latest(tmp_path))).ok
    second = (await take(tmp_path)).checkpoint
    assert (first.seq, second.seq) == (3, 7)
    assert latest(tmp_path) == second
    assert (await audit_chain.verify(second, since=first)).ok


async def test_a_checkpoint_file_tampered_with_is_refused_as_badly_signed(
    clean_db, tmp_path: Path
) -> None:
    await write_events(3)
    path = (await take(tmp_path)).path
    data = json.loads(path.read_text())
    data["seq"] = 2  # pretend the trail was shorter, to hide the cut of seq 3
    path.write_text(json.dumps(data))

    with pytest.raises(audit_api.CheckpointError, match="signature"):
        checkpoints.read_checkpoint(path, KEY)
    # Nothing is signed on top of a checkpoint that cannot vouch for anything.
    with pytest.raises(audit_api.ChainDiverged, match="signature"):
        await take(tmp_path)
    with pytest.raises(audit_api.CheckpointError, match="another key"):
        checkpoints.read_checkpoint(checkpoints.latest_file(tmp_path), KEY + "-other")  # type: ignore[arg-type]


async def test_the_directory_keeps_the_last_n_checkpoints(clean_db, tmp_path: Path) -> None:
    for _ in range(5):
        await write_events(1)
        await take(tmp_path, keep=3)
    kept = checkpoints.checkpoint_files(tmp_path)
    assert len(kept) == 3
    assert [checkpoints.read_checkpoint(p, KEY).seq for p in kept] == [3, 4, 5]
    assert not [p for p in os.listdir(tmp_path) if p.endswith(".tmp")]


async def test_a_refused_checkpoint_is_logged_and_does_not_stop_the_caller(
    clean_db, tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    await write_events(3)
    await take(tmp_path)
    await rewrite_event_and_rehash_after(1)

    assert await checkpoints.checkpoint_quietly(tmp_path, KEY, 10) is None
    assert any(
        r.levelname == "ERROR" and r.getMessage() == "audit checkpoint refused"
        for r in caplog.records
    )


# --- who takes them: the cron, the worker's and the web process's shutdown -------------


def test_the_worker_takes_one_every_hour_once_per_tick() -> None:
    job = next(c for c in WorkerSettings.cron_jobs if c.name == "checkpoint_audit_trail")
    assert job.unique  # one job id per tick: two workers run it once
    assert (job.minute, job.second) == (0, 0)
    assert job.hour is None


async def test_two_workers_at_the_same_tick_enqueue_one_checkpoint_job(client) -> None:
    from arq.constants import default_queue_name
    from arq.worker import Worker

    queue = client.app.state.queue
    template = next(c for c in WorkerSettings.cron_jobs if c.name == "checkpoint_audit_trail")
    tick = datetime(2030, 1, 1, 5, 0, tzinfo=UTC)
    workers = []
    for _ in range(2):
        job = dataclasses.replace(template, next_run=tick)
        workers.append(Worker(cron_jobs=[job], redis_pool=queue, handle_signals=False))
    for worker in workers:
        await worker.run_cron(tick, delay=0.5)
    assert await queue.zcard(default_queue_name) == 1


async def test_the_cron_task_takes_a_checkpoint_into_the_configured_directory(clean_db) -> None:
    settings = get_settings()
    await write_events(2)
    assert await tasks.checkpoint_audit_trail({}) == 2
    kept = checkpoints.latest_file(settings.checkpoint_dir)
    assert kept is not None
    assert checkpoints.read_checkpoint(kept, settings.checkpoint_key).seq == 2


async def test_the_production_worker_takes_one_when_it_shuts_down(
    clean_db, monkeypatch: pytest.MonkeyPatch
) -> None:
    from congvu.jobs import worker

    settings = get_settings()
    production = dataclasses.replace(settings, redis_url="redis://127.0.0.1:6379/0")
    monkeypatch.setattr(worker, "get_settings", lambda: production)
    await write_events(2)
    await worker.shutdown({})
    (kept,) = checkpoints.checkpoint_files(settings.checkpoint_dir)
    assert checkpoints.read_checkpoint(kept, settings.checkpoint_key).seq == 2


async def test_the_web_process_takes_one_when_it_shuts_down(clean_db) -> None:
    from congvu.inspect.app import create_app

    settings = get_settings()
    await write_events(2)
    app = create_app(settings)
    async with app.lifespan():
        await write_events(1)  # sealed by the app's last pass, then vouched for
    (kept,) = checkpoints.checkpoint_files(settings.checkpoint_dir)
    assert checkpoints.read_checkpoint(kept, settings.checkpoint_key).seq == 3


# --- the command line ---------------------------------------------------------------


def _congvu(tmp_path: Path, *args: str) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("CONGVU_")}
    env["CONGVU_VAR_DIR"] = str(tmp_path / "var")
    return subprocess.run(
        [CONGVU, *args],
        cwd=tmp_path,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


def test_verify_audit_uses_the_latest_checkpoint_and_names_it(
    tmp_path: Path, demo_var: Path
) -> None:
    taken = _congvu(tmp_path, "audit-checkpoint")
    assert taken.returncode == 0, taken.stderr
    directory = tmp_path / "var" / "checkpoints"
    (kept,) = checkpoints.checkpoint_files(directory)

    intact = _congvu(tmp_path, "verify-audit")
    assert intact.returncode == 0, intact.stderr
    assert f"Đối chiếu với mốc / against checkpoint {kept}" in intact.stdout
    assert "Khớp mốc" in intact.stdout

    database = sqlite3.connect(tmp_path / "var" / "congvu.sqlite3")
    with database:
        database.execute("DELETE FROM audit_event WHERE seq >= 2")
    database.close()
    cut = _congvu(tmp_path, "verify-audit")
    assert cut.returncode == 1
    assert kept.name in cut.stdout
    assert "các sự kiện cuối đã bị xóa" in cut.stderr and "Traceback" not in cut.stderr
    assert _congvu(tmp_path, "verify-audit", "--no-checkpoint").returncode == 0
    refused = _congvu(tmp_path, "audit-checkpoint")
    assert refused.returncode == 1
    assert "Không ký mốc mới" in refused.stderr

    kept.write_text(kept.read_text().replace('"seq": ', '"seq": 1'))
    tampered = _congvu(tmp_path, "verify-audit")
    assert tampered.returncode == 1
    assert "Mốc không hợp lệ, bị từ chối" in tampered.stderr
    assert "signature" in tampered.stderr
