"""Tính lại sau khi lịch ngày làm việc thay đổi: the arq job that judges again the dossiers
and review deadlines a calendar announcement (or its withdrawal) moved.

One job per calendar revision, under the arq id ``calendar-rejudge-<revision>``: enqueueing
it twice is a no-op in arq, and the worker's task writes only changed verdicts. Like the
other background jobs it has a JobRecord, written before it is enqueued (its id derived
from the revision, so one revision has one record): the sweeper enqueues it again when
Redis lost it, and the calendar page shows its progress and its counts from the record.
"""

from __future__ import annotations

import uuid
from collections.abc import Awaitable, Callable, Sequence
from datetime import UTC, date, datetime
from typing import Any

from arq.connections import ArqRedis
from congvu.inspect.actor import Actor
from congvu.inspect.background.services.records import (
    JobKind,
    JobView,
    Progress,
    calendar_rejudge_job_id,
    find_job,
    run_tracked,
)
from congvu.inspect.background.tables import JobRecord, JobStatus
from congvu.inspect.db import atomic

# The arq function name congvu.jobs.worker registers for the task.
CALENDAR_REJUDGE_TASK = JobKind.CALENDAR_REJUDGE.value

_RECORD_NAMESPACE = uuid.UUID("6f1c3f7e-9a52-4c1e-8d0b-5b3c2a7e41d9")


def calendar_rejudge_record_id(revision: int) -> uuid.UUID:
    """The JobRecord id of revision's re-judge: the same in every process."""
    return uuid.uuid5(_RECORD_NAMESPACE, calendar_rejudge_job_id(revision))


async def _ensure_record(revision: int, days: Sequence[date], actor: Actor | None) -> uuid.UUID:
    """Revision's record, written when missing (a job enqueued before records existed finds
    its own when it runs)."""
    record_id = calendar_rejudge_record_id(revision)
    async with atomic():
        if not await JobRecord.exists().where(JobRecord.id == record_id):
            now = datetime.now(UTC)
            await JobRecord.insert(
                JobRecord(
                    id=record_id,
                    kind=CALENDAR_REJUDGE_TASK,
                    arguments={"revision": revision, "days": [d.isoformat() for d in days]},
                    status=JobStatus.QUEUED.value,
                    requested_by=actor.id if actor and actor.id else None,
                    created_at=now,
                    updated_at=now,
                )
            )
    return record_id


async def start_calendar_rejudge(
    queue: ArqRedis, revision: int, days: Sequence[date], actor: Actor | None = None
) -> str:
    """Record, then enqueue, the re-judge of ``days`` for calendar ``revision``; its arq id."""
    await _ensure_record(revision, days, actor)
    job_id = calendar_rejudge_job_id(revision)
    await queue.enqueue_job(
        CALENDAR_REJUDGE_TASK, revision, [d.isoformat() for d in days], _job_id=job_id
    )
    return job_id


async def run_calendar_rejudge(
    revision: int,
    days: Sequence[date],
    work: Callable[[Progress], Awaitable[dict[str, Any]]],
    queue: ArqRedis | None = None,
) -> Any:
    """Run the worker's ``work`` for revision's record (``run_tracked``: progress, done or
    failed, not run again once done)."""
    record_id = await _ensure_record(revision, days, None)
    return await run_tracked(str(record_id), work, queue)


async def calendar_rejudge_job(revision: int) -> JobView | None:
    """Revision's re-judge as its record tells it (None: never started)."""
    return await find_job(calendar_rejudge_record_id(revision))
