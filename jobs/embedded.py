"""The embedded worker: the production WorkerSettings, run as a task of the web process."""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import AsyncIterator

from arq.connections import RedisSettings
from arq.worker import Worker, create_worker
from congvu.jobs.worker import WorkerSettings

# How long a shutdown waits for the jobs in hand before cancelling them.
DRAIN_SECONDS = 5.0


def _finishing_jobs() -> list[asyncio.Task[object]]:
    """The tasks in which arq records the end of a cancelled job (``Worker.finish_job``,
    run under ``asyncio.shield``): awaited before the pool is closed under them."""
    return [
        task
        for task in asyncio.all_tasks()
        if getattr(task.get_coro(), "__qualname__", "") == "Worker.finish_job"
    ]


@contextlib.asynccontextmanager
async def embedded_worker(redis_url: str, *, burst: bool = False) -> AsyncIterator[Worker]:
    """Run the worker beside the web app until the block exits.

    The worker gets its own connection pool: ``Worker.close()`` closes the pool it
    uses, and the web app's queue must outlive it during shutdown.
    """
    worker = create_worker(
        WorkerSettings,  # type: ignore[arg-type]  # arq types its settings as a Protocol-less class
        redis_settings=RedisSettings.from_dsn(redis_url),
        handle_signals=False,
        burst=burst,
    )
    task = asyncio.create_task(worker.async_run(), name="congvu-embedded-worker")
    try:
        yield worker
    finally:
        # Jobs still running are cancelled (arq re-runs a cancelled job after its
        # in-progress key expires; run_tracked keeps that idempotent). They are cancelled
        # and awaited here, not left to close(): it gathers the jobs it has just cancelled,
        # which raised their CancelledError into the app's shutdown (in CI it broke every
        # test after the one whose statistics job was still running at teardown).
        # Short jobs (a notification, a statistics refresh) are let finish first: a job
        # cancelled mid-way still records its end in a task arq shields from the
        # cancellation, and that task needs the pool that close() takes away.
        # The polling stops before that wait: a job it started meanwhile (a cron tick
        # comes every few seconds) would not be among those waited for, and would end on
        # a closed pool. A job queued now stays queued for the next start.
        task.cancel()
        with contextlib.suppress(asyncio.CancelledError):
            await task
        jobs = list(worker.tasks.values())
        _, running = await asyncio.wait(jobs, timeout=DRAIN_SECONDS) if jobs else (set(), set())
        for job in running:
            job.cancel()
        await asyncio.gather(*jobs, return_exceptions=True)
        await asyncio.gather(*_finishing_jobs(), return_exceptions=True)
        worker.tasks.clear()
        await worker.close()  # closes the worker's pool
