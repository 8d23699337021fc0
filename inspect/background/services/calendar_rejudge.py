"""Tính lại sau khi lịch ngày làm việc thay đổi: the arq job that judges again the dossiers
and review deadlines a calendar announcement (or its withdrawal) moved.

One job per calendar revision, under the id ``calendar-rejudge-<revision>``: enqueueing it
twice is a no-op in arq, and the worker's task writes only changed verdicts. It has no
JobRecord: a lost one is started again by the next announcement or by
``congvu rejudge-dossiers``.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from typing import Any

from arq.connections import ArqRedis
from arq.jobs import Job
from arq.jobs import JobStatus as ArqStatus

# The arq function name congvu.jobs.worker registers for the task.
CALENDAR_REJUDGE_TASK = "rejudge_after_calendar_change"


def calendar_rejudge_job_id(revision: int) -> str:
    return f"calendar-rejudge-{revision}"


async def start_calendar_rejudge(queue: ArqRedis, revision: int, days: Sequence[date]) -> str:
    """Enqueue the re-judge of ``days`` for calendar ``revision``; its job id."""
    job_id = calendar_rejudge_job_id(revision)
    await queue.enqueue_job(
        CALENDAR_REJUDGE_TASK, revision, [d.isoformat() for d in days], _job_id=job_id
    )
    return job_id


async def calendar_rejudge_result(queue: ArqRedis, revision: int) -> dict[str, Any] | None:
    """The counts of revision's re-judge once it finished (None while queued or running,
    and when it failed or arq no longer keeps its result)."""
    job = Job(calendar_rejudge_job_id(revision), queue)
    if await job.status() != ArqStatus.complete:
        return None
    info = await job.result_info()
    if info is None or not info.success or not isinstance(info.result, dict):
        return None
    return info.result
