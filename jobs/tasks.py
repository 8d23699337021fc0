"""arq task functions. Each one is thin: it calls a service through ``run_tracked``."""

from __future__ import annotations

from typing import Any

from congvu.inspect.services import audit_chain, jobs, organisation, review


async def unit_statistics(ctx: dict[str, Any], job_id: str, unit_id: int) -> Any:
    async def work(progress: jobs.Progress) -> dict[str, Any]:
        await progress(0, 1, "Đang thống kê")
        result = await organisation.unit_statistics(unit_id)
        await progress(1, 1, "Đã thống kê")
        return result

    return await jobs.run_tracked(job_id, work)


async def sweep_lost_jobs(ctx: dict[str, Any]) -> int:
    return await jobs.requeue_lost(ctx["redis"])


async def seal_audit_trail(ctx: dict[str, Any]) -> int:
    """Seals events written by jobs when no web process is up to do it."""
    return await audit_chain.seal()


async def remind_deadlines(ctx: dict[str, Any]) -> dict[str, int]:
    """Nhắc hạn giải trình và hạn xem xét (in-app notifications; safe to run twice)."""
    return await review.remind_deadlines()
