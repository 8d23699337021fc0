"""arq task functions. Each one is thin: it calls a service through ``run_tracked``."""

from __future__ import annotations

import logging
import uuid
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import Any

from congvu.inspect import clock
from congvu.inspect.actor import SYSTEM
from congvu.inspect.audit import api as audit
from congvu.inspect.background import api as background
from congvu.inspect.discipline import api as discipline
from congvu.inspect.dossiers import api as dossiers
from congvu.inspect.emulation import api as emulation
from congvu.inspect.errors import NotFound
from congvu.inspect.evidence import api as evidence
from congvu.inspect.organisation import api as organisation
from congvu.inspect.privacy import api as privacy
from congvu.inspect.reports import api as reports
from congvu.inspect.review import api as review
from congvu.inspect.settings import get_settings
from congvu.inspect.web import metrics

log = logging.getLogger("congvu.jobs")


def import_counts(summary: dict[str, Any]) -> dict[str, Any]:
    """A dossier import's summary as log fields: its batch and how many rows were read,
    new, changed, unchanged and rejected."""
    return {
        "batch_id": summary.get("batch_id"),
        "rows_read": summary.get("rows_read"),
        "new": summary.get("inserted"),
        "changed": summary.get("updated"),
        "unchanged": summary.get("unchanged"),
        "rejected": summary.get("rejected"),
    }


async def unit_statistics(ctx: dict[str, Any], job_id: str, unit_id: int) -> Any:
    async def work(progress: background.Progress) -> dict[str, Any]:
        await progress(0, 1, "Đang thống kê")
        result = await organisation.unit_statistics(unit_id)
        await progress(1, 1, "Đã thống kê")
        return result

    return await background.run_tracked(job_id, work, ctx.get("redis"))


async def sweep_lost_jobs(ctx: dict[str, Any]) -> dict[str, int]:
    return {
        "requeued": await background.requeue_lost(ctx["redis"]),
        "released": await background.release_stalled(ctx["redis"]),
    }


async def seal_audit_trail(ctx: dict[str, Any]) -> int:
    """Seals events written by jobs when no web process is up to do it."""
    return await audit.seal()


async def checkpoint_audit_trail(ctx: dict[str, Any]) -> int | None:
    """Ký mốc kiểm chứng: the hourly signed checkpoint (and the worker's last one at
    shutdown); the seq it vouches for, or None when refused (logged as an error)."""
    settings = get_settings()
    taken = await audit.checkpoint_quietly(
        settings.checkpoint_dir, settings.checkpoint_key, settings.checkpoint_keep
    )
    return taken.checkpoint.seq if taken else None


async def dossier_import_task(
    ctx: dict[str, Any],
    job_id: str,
    path: str,
    file_name: str,
    user_id: int,
    unit_code: str | None = None,
    mapping_name: str | None = None,
    exported_at: str | None = None,
    chunk_rows: int | None = None,
) -> Any:
    async def work(progress: background.Progress) -> dict[str, Any]:
        # The file's name is left out: it is whatever the uploader called it.
        fields = {"user_id": user_id, "unit_code": unit_code, "mapping": mapping_name}
        log.info("dossier import started", extra=fields)
        try:
            summary = await run_import(progress)
        except Exception as error:
            # run_tracked logs the traceback with the job's failure. arq does not run a
            # failed job again: its upload goes (a cancelled one is kept for the rerun).
            log.warning("dossier import failed", extra={**fields, "error": type(error).__name__})
            dossiers.discard_upload(Path(path))
            raise
        counts = import_counts(summary)
        log.info("dossier import finished", extra={**fields, **counts})
        for outcome in ("new", "changed", "unchanged", "rejected"):
            metrics.IMPORT_ROWS.labels(outcome).inc(counts[outcome] or 0)
        # The job record keeps a sample; every rejected row is in the batch's CSV.
        summary["rejected_rows"] = summary["rejected_rows"][:100]
        return summary

    async def run_import(progress: background.Progress) -> dict[str, Any]:
        actor = await organisation.actor_for(user_id)
        if actor is None:
            raise NotFound("Tài khoản yêu cầu nhập không còn hoạt động.")
        return await dossiers.import_dossiers(
            actor,
            dossiers.ImportRequest(
                path=Path(path),
                file_name=file_name,
                unit_code=unit_code,
                mapping_name=mapping_name,
                exported_at=datetime.fromisoformat(exported_at) if exported_at else None,
            ),
            progress=progress,
            job_id=uuid.UUID(job_id),
            chunk_rows=chunk_rows or dossiers.CHUNK_ROWS,
        )

    return await background.run_tracked(job_id, work, ctx.get("redis"))


async def build_report_task(
    ctx: dict[str, Any], job_id: str, period: str, unit_code: str, user_id: int
) -> Any:
    async def work(progress: background.Progress) -> dict[str, Any]:
        actor = await organisation.actor_for(user_id)
        if actor is None:
            raise NotFound("Tài khoản yêu cầu lập báo cáo không còn hoạt động.")
        built = await reports.build_report(
            actor,
            period,
            media_dir=get_settings().media_dir,
            unit_code=unit_code,
            job_id=uuid.UUID(job_id),
            progress=progress,
        )
        return built.as_dict()

    return await background.run_tracked(job_id, work, ctx.get("redis"))


async def export_evidence_task(ctx: dict[str, Any], job_id: str, year: int, user_id: int) -> Any:
    """Tải bộ tài liệu kiểm chứng: the year's ZIP, for the page that started it."""

    async def work(progress: background.Progress) -> dict[str, Any]:
        actor = await organisation.actor_for(user_id)
        if actor is None:
            raise NotFound("Tài khoản yêu cầu tải bộ tài liệu không còn hoạt động.")
        bundle = await evidence.export_year(year, evidence.export_file(job_id), progress, actor)
        return {
            "download": f"/evidence/exports/{job_id}/file",
            "year": year,
            "files": len(bundle.files),
            "rows": len(bundle.rows),
            "changed": bundle.changed,
        }

    return await background.run_tracked(job_id, work, ctx.get("redis"))


async def register_evidence(ctx: dict[str, Any]) -> dict[str, int]:
    """Daily: the documents produced this year, registered in the PAR INDEX register."""
    done = await evidence.register_produced(clock.today().year)
    return {"added": done.added, "changed": done.changed, "unchanged": done.unchanged}


async def lock_period_task(ctx: dict[str, Any], job_id: str, period: str, user_id: int) -> Any:
    """Khóa kỳ đánh giá; a rerun after a kill converges on the version already locked."""

    async def work(progress: background.Progress) -> dict[str, Any]:
        actor = await organisation.actor_for(user_id)
        if actor is None:
            raise NotFound("Tài khoản yêu cầu khóa kỳ không còn hoạt động.")
        locked = await emulation.lock_period(actor, period, progress=progress, resume=True)
        return await emulation.lock_summary(str(locked["name"]))

    return await background.run_tracked(job_id, work, ctx.get("redis"))


# Far enough back that no review window (working days, plus Tết) ending on or after a
# changed day starts before it.
REVIEW_DEADLINE_REACH = timedelta(days=60)


async def rescan_overdue(ctx: dict[str, Any]) -> dict[str, int]:
    return await dossiers.rescan_overdue()


async def rejudge_after_calendar_change(
    ctx: dict[str, Any], revision: int, days: list[str]
) -> dict[str, int]:
    """Judge again what a calendar announcement (or its withdrawal) changed: the dossiers
    whose window touches ``days``. Enqueued with the job id ``calendar-rejudge-<revision>``,
    so one revision is re-judged once; running it again writes nothing new. Its job record
    (found by revision) shows the step it is at on the calendar page."""
    changed_days = [date.fromisoformat(d) for d in days]

    async def work(progress: background.Progress) -> dict[str, int]:
        await progress(0, 2, "Tính lại hồ sơ")
        await organisation.refresh_calendar(force=True)
        counts = await dossiers.rejudge_touching(changed_days)  # audited there
        await progress(1, 2, "Tính lại hạn xem xét")
        counts["review_deadline_days"] = await review_deadlines_after_calendar_change(changed_days)
        return counts

    result: dict[str, int] = await background.run_calendar_rejudge(
        revision, changed_days, work, ctx.get("redis")
    )
    return result


async def review_deadlines_after_calendar_change(days: list[date]) -> int:
    """The stored review deadlines a calendar change can move, counted again; how many
    days were counted. A day's deadline lies some working days after it, so the days
    from a few weeks before the first changed day are counted too."""
    since = min(days) - REVIEW_DEADLINE_REACH
    return await review.recompute_review_deadlines(since, today=clock.today())


# The job id lives with the code that enqueues the task (the calendar page).
calendar_rejudge_job_id = background.calendar_rejudge_job_id


async def apply_due_unit_mergers(ctx: dict[str, Any]) -> dict[str, int]:
    """Sáp nhập đơn vị recorded ahead of their date: those due today end their units
    (hourly; running it again ends nothing twice)."""
    return {"units_ended": await organisation.apply_due_mergers()}


async def remind_deadlines(ctx: dict[str, Any]) -> dict[str, int]:
    """Nhắc hạn giải trình và hạn xem xét (in-app notifications; safe to run twice)."""
    return await review.remind_deadlines()


async def send_notification_digests(ctx: dict[str, Any]) -> dict[str, Any]:
    """Bản tổng hợp thông báo hằng ngày by mail (nothing without CONGVU_SMTP_URL); a rerun
    the same day sends nothing twice, and retries what the mail server did not take."""
    run = await review.send_daily_digests(get_settings())
    return {
        "people": run.people,
        "emailed": run.emailed,
        "refused": run.refused,
        "failed": run.failed,
    }


async def remind_discipline_deadlines(ctx: dict[str, Any]) -> dict[str, int]:
    """Nhắc hạn các bước xử lý kỷ luật (in-app notifications to the personnel office; safe to
    run twice)."""
    return await discipline.remind_deadlines()


async def purge_media(ctx: dict[str, Any]) -> dict[str, int]:
    """Xoá ảnh, chữ ký quá thời hạn lưu trữ (safe to run twice: a purged file is gone)."""
    result = await privacy.purge_media(SYSTEM, dry_run=False)
    return {"purged": len(result.expired), "kept_open": result.kept_open}
