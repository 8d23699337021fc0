"""The job page: progress of long work started from the web, polled with htmx."""

from __future__ import annotations

from typing import Any
from uuid import UUID

from congvu.inspect.actor import Actor
from congvu.inspect.background.services import records as jobs
from litestar import Controller, Request, get
from litestar.params import FromPath
from litestar.response import Template


class JobPages(Controller):
    path = "/jobs"

    @get("/{job_id:uuid}", name="job")
    async def job(self, request: Request[Actor, Any, Any], job_id: FromPath[UUID]) -> Template:
        job = await jobs.get_job(request.user, job_id)
        return Template("jobs/job.html", context={"job": job})

    @get("/{job_id:uuid}/status", name="job_status")
    async def status(self, request: Request[Actor, Any, Any], job_id: FromPath[UUID]) -> Template:
        job = await jobs.get_job(request.user, job_id)
        return Template("jobs/_status.html", context={"job": job})
