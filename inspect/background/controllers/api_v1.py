"""JSON API of a background job under /api/v1/jobs: poll what a route started."""

from __future__ import annotations

from datetime import datetime
from typing import Any
from uuid import UUID

import msgspec
from congvu.inspect.actor import Actor
from congvu.inspect.background.services import records as jobs
from litestar import Controller, Request, get
from litestar.params import FromPath


class JobOut(msgspec.Struct):
    id: UUID
    kind: str
    status: str
    progress: int
    total: int
    message: str
    result: Any
    error: str | None
    created_at: datetime
    finished_at: datetime | None
    url: str



class JobApi(Controller):
    path = "/api/v1/jobs"
    tags = ["jobs"]  # noqa: RUF012

    @get("/{job_id:uuid}")
    async def job(self, request: Request[Actor, Any, Any], job_id: FromPath[UUID]) -> JobOut:
        job = await jobs.get_job(request.user, job_id)
        return JobOut(
            id=job.id,
            kind=job.kind,
            status=job.status,
            progress=job.progress,
            total=job.total,
            message=job.message,
            result=job.result,
            error=job.error,
            created_at=job.created_at,
            finished_at=job.finished_at,
            url=f"/jobs/{job.id}",
        )
