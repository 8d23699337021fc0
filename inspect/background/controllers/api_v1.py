"""JSON API of a background job under /api/v1/jobs: poll what a route started.

Like every JSON route, it returns the service's read model as is (its fields are the
OpenAPI schema); nothing is copied field by field."""

from __future__ import annotations

from typing import Any
from uuid import UUID

from congvu.inspect.actor import Actor
from congvu.inspect.background.services import records as jobs
from litestar import Controller, Request, get
from litestar.params import FromPath


class JobApi(Controller):
    path = "/api/v1/jobs"
    tags = ["jobs"]  # noqa: RUF012

    @get("/{job_id:uuid}")
    async def job(self, request: Request[Actor, Any, Any], job_id: FromPath[UUID]) -> jobs.JobView:
        """A job's status, progress and result; its page is ``/jobs/{job_id}``."""
        return await jobs.get_job(request.user, job_id)
