"""Background jobs as the database sees them (công việc nền).

Every job has a JobRecord written before it is enqueued; the arq job id is the
record's id, so enqueueing twice is a no-op in arq, and a job that Redis lost (an
embedded Redis restarted without its dump, a flushed server) is re-enqueued by the
sweeper from the database. Task functions run through ``run_tracked`` so a job that
runs twice (arq may retry after a killed worker) does its work once.

A worker killed in the middle of a job (kill -9, a lost machine) leaves arq's
in-progress lock behind, and arq would run the job again only when that lock expires
(``job_timeout`` + 10 s: an hour). While a job runs, ``run_tracked`` keeps a heartbeat key
alive in Redis; the sweeper releases the lock of a running job whose heartbeat has
stopped, so the job runs again within about two minutes.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import time
import uuid
from collections.abc import AsyncIterator, Awaitable, Callable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from enum import StrEnum
from typing import Any

from arq.connections import ArqRedis
from arq.constants import in_progress_key_prefix
from arq.jobs import Job
from arq.jobs import JobStatus as ArqStatus
from congvu.inspect import logs
from congvu.inspect.actor import Actor, Role
from congvu.inspect.background.tables import JobRecord, JobStatus
from congvu.inspect.db import atomic
from congvu.inspect.errors import NotFound

log = logging.getLogger("congvu.jobs")

# A live job refreshes its heartbeat every HEARTBEAT_EVERY; the key lives HEARTBEAT_TTL, long
# enough to outlast an event loop busy for a while with one chunk of a large import.
HEARTBEAT_EVERY = timedelta(seconds=15)
HEARTBEAT_TTL = timedelta(seconds=120)


def heartbeat_key(job_id: str) -> str:
    return f"congvu:job-heartbeat:{job_id}"


def arq_lock_key(job_id: str) -> str:
    """arq's in-progress lock: while it exists no worker starts the job."""
    return in_progress_key_prefix + job_id


class JobKind(StrEnum):
    """arq function names; congvu.jobs.worker registers one function per kind."""

    UNIT_STATISTICS = "unit_statistics"
    DOSSIER_IMPORT = "dossier_import"
    BUILD_REPORT = "build_report"
    LOCK_PERIOD = "lock_period"
    EXPORT_EVIDENCE = "export_evidence"
    CALENDAR_REJUDGE = "rejudge_after_calendar_change"


def calendar_rejudge_job_id(revision: int) -> str:
    """arq's id for the re-judge of calendar ``revision`` (one job per revision)."""
    return f"calendar-rejudge-{revision}"


def arq_job_id(kind: str, record_id: uuid.UUID, arguments: dict[str, Any]) -> str:
    """The id arq knows a recorded job by: the record's id, but for the calendar re-judge,
    named after its revision so that one revision is enqueued once."""
    if kind == JobKind.CALENDAR_REJUDGE.value:
        return calendar_rejudge_job_id(int(arguments["revision"]))
    return str(record_id)


async def _enqueue_again(queue: ArqRedis, row: dict[str, Any]) -> None:
    """Enqueue a recorded job as it was first enqueued (the sweeper's rerun)."""
    arguments = row["arguments"] or {}
    job_id = arq_job_id(row["kind"], row["id"], arguments)
    if row["kind"] == JobKind.CALENDAR_REJUDGE.value:
        # The task finds its record by revision (calendar_rejudge.py).
        await queue.enqueue_job(row["kind"], **arguments, _job_id=job_id)
    else:
        await queue.enqueue_job(row["kind"], job_id, **arguments, _job_id=job_id)


@dataclass(frozen=True)
class JobView:
    id: uuid.UUID
    kind: str
    status: str
    progress: int
    total: int
    message: str
    result: Any
    error: str | None
    created_at: datetime
    started_at: datetime | None
    finished_at: datetime | None

    @property
    def finished(self) -> bool:
        return self.status in (JobStatus.DONE.value, JobStatus.FAILED.value)

    @property
    def percent(self) -> int:
        if self.status == JobStatus.DONE.value:
            return 100
        return int(100 * self.progress / self.total) if self.total else 0


async def _enqueue(
    queue: ArqRedis, kind: JobKind, arguments: dict[str, Any], actor: Actor | None
) -> uuid.UUID:
    now = datetime.now(UTC)
    record = JobRecord(
        id=uuid.uuid4(),
        kind=kind.value,
        arguments=arguments,
        status=JobStatus.QUEUED.value,
        requested_by=actor.id if actor and actor.id else None,
        created_at=now,
        updated_at=now,
    )
    async with atomic():
        await JobRecord.insert(record)
    await queue.enqueue_job(kind.value, str(record.id), **arguments, _job_id=str(record.id))
    return record.id


async def start_unit_statistics(queue: ArqRedis, actor: Actor, unit_id: int) -> uuid.UUID:
    """Thống kê lại đơn vị: recompute a unit's staff statistics in the background."""
    return await _enqueue(queue, JobKind.UNIT_STATISTICS, {"unit_id": unit_id}, actor)


async def start_dossier_import(
    queue: ArqRedis,
    actor: Actor,
    *,
    path: str,
    file_name: str,
    unit_code: str | None = None,
    mapping_name: str | None = None,
    exported_at: str | None = None,
    chunk_rows: int | None = None,
) -> uuid.UUID:
    """Nhập hồ sơ TTHC: import a stored export in the background (the job page shows
    rows read / imported / rejected and the time left)."""
    arguments = {
        "path": path,
        "file_name": file_name,
        "user_id": actor.id,
        "unit_code": unit_code,
        "mapping_name": mapping_name,
        "exported_at": exported_at,
        "chunk_rows": chunk_rows,
    }
    return await _enqueue(queue, JobKind.DOSSIER_IMPORT, arguments, actor)


async def start_report_build(
    queue: ArqRedis, actor: Actor, *, period: str, unit_code: str
) -> uuid.UUID:
    """Lập báo cáo quý: build a unit's quarterly workbook in the background (the job page
    shows the steps, then the link to the file)."""
    arguments = {"period": period, "unit_code": unit_code, "user_id": actor.id}
    return await _enqueue(queue, JobKind.BUILD_REPORT, arguments, actor)


async def start_evidence_export(queue: ArqRedis, actor: Actor, *, year: int) -> uuid.UUID:
    """Tải bộ tài liệu kiểm chứng: pack a year's PAR INDEX evidence as a ZIP in the
    background (produced documents are rendered anew); the job page links the file."""
    arguments = {"year": year, "user_id": actor.id}
    return await _enqueue(queue, JobKind.EXPORT_EVIDENCE, arguments, actor)


async def start_period_lock(queue: ArqRedis, actor: Actor, *, period: str) -> uuid.UUID:
    """Khóa kỳ đánh giá: lock a rating period in the background (thousands of officials
    take minutes). A second start while one is queued or running answers the same job;
    two starts racing each other may make two jobs, and the lock itself converges (the
    second finds the period locked at its version and answers that version)."""
    pending = (
        await JobRecord.select(JobRecord.id, JobRecord.arguments)
        .where(
            JobRecord.kind == JobKind.LOCK_PERIOD.value,
            JobRecord.status.is_in([JobStatus.QUEUED.value, JobStatus.RUNNING.value]),
        )
        .output(load_json=True)
    )
    for row in pending:
        if (row["arguments"] or {}).get("period") == period:
            return uuid.UUID(str(row["id"]))
    arguments = {"period": period, "user_id": actor.id}
    return await _enqueue(queue, JobKind.LOCK_PERIOD, arguments, actor)


Progress = Callable[[int, int, str], Awaitable[None]]


@contextlib.asynccontextmanager
async def _heartbeat(queue: ArqRedis | None, job_id: str) -> AsyncIterator[None]:
    if queue is None:
        yield
        return
    key, ttl = heartbeat_key(job_id), int(HEARTBEAT_TTL.total_seconds() * 1000)

    async def beat() -> None:
        while True:
            await asyncio.sleep(HEARTBEAT_EVERY.total_seconds())
            await queue.set(key, b"1", px=ttl)

    await queue.set(key, b"1", px=ttl)

    task = asyncio.create_task(beat(), name=f"congvu-heartbeat-{job_id}")
    try:
        yield
    finally:
        task.cancel()
        with contextlib.suppress(asyncio.CancelledError):
            await task
        with contextlib.suppress(Exception):  # the key expires on its own anyway
            await queue.delete(key)


async def run_tracked(
    job_id: str, work: Callable[[Progress], Awaitable[Any]], queue: ArqRedis | None = None
) -> Any:
    """Run ``work`` for a JobRecord: running → done / failed, with progress updates.

    A record already done is not run again: that makes every job idempotent at the
    level of the record, whatever arq retries. With ``queue`` (the worker's Redis), a
    heartbeat tells the sweeper the job is alive.
    """
    token = logs.job_id.set(job_id)
    try:
        return await _run_tracked(job_id, work, queue)
    finally:
        logs.job_id.reset(token)


async def _run_tracked(
    job_id: str, work: Callable[[Progress], Awaitable[Any]], queue: ArqRedis | None
) -> Any:
    record_id = uuid.UUID(job_id)
    now = datetime.now(UTC)
    async with atomic():
        record = (
            await JobRecord.objects()
            .where(JobRecord.id == record_id)
            .output(load_json=True)
            .first()
        )
        if record is None:
            raise NotFound(f"job {job_id} has no record")
        if record.status == JobStatus.DONE.value:
            log.info("job already done, not run again", extra={"kind": record.kind})
            return record.result
        await JobRecord.update(
            {
                JobRecord.status: JobStatus.RUNNING.value,
                JobRecord.started_at: now,
                JobRecord.updated_at: now,
                JobRecord.attempts: record.attempts + 1,
                JobRecord.error: None,
            }
        ).where(JobRecord.id == record_id)
    fields = {"kind": record.kind, "attempt": record.attempts + 1}
    log.info("job started", extra=fields)
    started = time.monotonic()

    async def progress(done: int, total: int, message: str = "") -> None:
        async with atomic():
            await JobRecord.update(
                {
                    JobRecord.progress: done,
                    JobRecord.total: total,
                    JobRecord.message: message,
                    JobRecord.updated_at: datetime.now(UTC),
                }
            ).where(JobRecord.id == record_id)

    try:
        async with _heartbeat(queue, job_id):
            result = await work(progress)
    except asyncio.CancelledError:
        # arq runs it again later (see the module's docstring): not a failure.
        log.warning("job cancelled", extra={**fields, "duration_s": time.monotonic() - started})
        raise
    except Exception as error:
        log.error(
            "job failed",
            exc_info=error,
            extra={**fields, "duration_s": time.monotonic() - started},
        )
        async with atomic():
            await JobRecord.update(
                {
                    JobRecord.status: JobStatus.FAILED.value,
                    JobRecord.error: str(error)[:4000],
                    JobRecord.finished_at: datetime.now(UTC),
                    JobRecord.updated_at: datetime.now(UTC),
                }
            ).where(JobRecord.id == record_id)
        raise
    async with atomic():
        finished = datetime.now(UTC)
        await JobRecord.update(
            {
                JobRecord.status: JobStatus.DONE.value,
                JobRecord.result: result,
                JobRecord.finished_at: finished,
                JobRecord.updated_at: finished,
            }
        ).where(JobRecord.id == record_id)
    log.info(
        "job finished",
        extra={**fields, "duration_s": time.monotonic() - started, **logs.counts(result)},
    )
    return result


async def _job_row(job_id: uuid.UUID) -> dict[str, Any] | None:
    row: dict[str, Any] | None = (
        await JobRecord.select(
            *JobRecord.all_columns(), JobRecord.requested_by._.scope_unit._.path.as_alias("path")
        )
        .where(JobRecord.id == job_id)
        .output(load_json=True)
        .first()
    )
    return row


async def get_job(actor: Actor, job_id: uuid.UUID) -> JobView:
    """A job is visible to whoever started it and to an administrator whose scope holds
    the starter's unit (a job started by no one: administrators of the whole tree)."""
    row = await _job_row(job_id)
    if row is None or not (
        row["requested_by"] == actor.id
        or (actor.role == Role.ADMIN and actor.can_see_unit_path(row["path"] or ""))
    ):
        raise NotFound("Không tìm thấy công việc.")
    return _view(row)


async def find_job(job_id: uuid.UUID) -> JobView | None:
    """A job by its record's id, for a page that already decided who may see it."""
    row = await _job_row(job_id)
    return None if row is None else _view(row)


def _view(row: dict[str, Any]) -> JobView:
    return JobView(
        id=row["id"],
        kind=row["kind"],
        status=row["status"],
        progress=row["progress"],
        total=row["total"],
        message=row["message"],
        result=row["result"],
        error=row["error"],
        created_at=row["created_at"],
        started_at=row["started_at"],
        finished_at=row["finished_at"],
    )


async def requeue_lost(queue: ArqRedis, older_than: timedelta = timedelta(minutes=1)) -> int:
    """Re-enqueue queued jobs that Redis no longer knows (sweeper, run by cron)."""
    cutoff = datetime.now(UTC) - older_than
    rows = (
        await JobRecord.select(JobRecord.id, JobRecord.kind, JobRecord.arguments)
        .where(JobRecord.status == JobStatus.QUEUED.value, JobRecord.updated_at < cutoff)
        .output(load_json=True)
    )
    requeued = 0
    for row in rows:
        job_id = arq_job_id(row["kind"], row["id"], row["arguments"] or {})
        if await Job(job_id, queue).status() != ArqStatus.not_found:
            continue
        await _enqueue_again(queue, row)
        async with atomic():
            await JobRecord.update({JobRecord.updated_at: datetime.now(UTC)}).where(
                JobRecord.id == row["id"]
            )
        requeued += 1
    return requeued


async def release_stalled(queue: ArqRedis) -> int:
    """Let arq run again the running jobs whose worker died (sweeper, run by cron): their
    heartbeat expired while arq's in-progress lock is still held. A running job Redis
    forgot altogether (restarted without its dump, flushed) has no lock to release: the
    record is the truth, so it is enqueued again under its own id once the record has
    been still for a heartbeat's life (a job just marked running may not beat yet)."""
    still_since = datetime.now(UTC) - HEARTBEAT_TTL
    rows = (
        await JobRecord.select(
            JobRecord.id, JobRecord.kind, JobRecord.arguments, JobRecord.updated_at
        )
        .where(JobRecord.status == JobStatus.RUNNING.value)
        .output(load_json=True)
    )
    released = 0
    for row in rows:
        # The heartbeat is the record's (run_tracked); the lock and the job are arq's.
        job_id = arq_job_id(row["kind"], row["id"], row["arguments"] or {})
        if await queue.exists(heartbeat_key(str(row["id"]))):
            continue
        if await queue.delete(arq_lock_key(job_id)):
            log.warning(
                "job's worker stopped without finishing it; released for a rerun",
                extra={"stalled_job_id": job_id},
            )
            released += 1
        elif (
            row["updated_at"] < still_since
            and await Job(job_id, queue).status() == ArqStatus.not_found
        ):
            await _enqueue_again(queue, row)
            log.warning(
                "running job unknown to Redis; enqueued again", extra={"stalled_job_id": job_id}
            )
            released += 1
    return released
