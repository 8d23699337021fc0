"""Báo cáo quý pages: pick a quarter and a unit, build in the background, follow the
build, download a version."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Annotated, Any
from uuid import UUID

from congvu.inspect import clock
from congvu.inspect.actor import Actor
from congvu.inspect.background import api as background
from congvu.inspect.periods import report_scheme
from congvu.inspect.reports.services.access import REPORT_ROLES, report_unit, reportable_units
from congvu.inspect.reports.services.building import quarter, snapshot_file
from congvu.inspect.reports.services.versions import list_snapshots
from congvu.inspect.web.guards import requires_role
from congvu.rules.periods import PeriodKind, period_of
from litestar import Controller, Request, get, post
from litestar.enums import RequestEncodingType
from litestar.params import Body, FromPath
from litestar.response import File, Redirect, Template

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


@dataclass
class BuildForm:
    quarter: str
    unit_code: str = ""


def recent_quarters(count: int = 5) -> list[tuple[str, str]]:
    """The current quarter and the ones before it: (name, label with its window)."""
    current = period_of(clock.today(), PeriodKind.QUARTER, report_scheme())
    out = []
    index = current.year * 4 + current.number - 1
    for back in range(count):
        year, number = divmod(index - back, 4)
        name = f"{year}-Q{number + 1}"
        out.append((name, quarter(name).label("vi")))
    return out


class ReportPages(Controller):
    path = "/reports"
    guards = [requires_role(*REPORT_ROLES)]  # noqa: RUF012

    @get("/", name="reports")
    async def index(self, request: Request[Actor, Any, Any]) -> Template:
        context = {
            "quarters": recent_quarters(),
            "units": await reportable_units(request.user),
            "snapshots": await list_snapshots(request.user),
        }
        return Template("reports/index.html", context=context)

    @post("/", status_code=303, name="report_build")
    async def build(
        self,
        request: Request[Actor, Any, Any],
        data: Annotated[BuildForm, Body(media_type=RequestEncodingType.URL_ENCODED)],
    ) -> Redirect:
        period = quarter(data.quarter)
        unit = await report_unit(request.user, data.unit_code or None)
        job_id = await background.start_report_build(
            request.app.state.queue, request.user, period=period.name, unit_code=unit["code"]
        )
        return Redirect(f"/reports/builds/{job_id}", status_code=303)

    @get("/builds/{job_id:uuid}", name="report_build_page")
    async def progress(self, request: Request[Actor, Any, Any], job_id: FromPath[UUID]) -> Template:
        job = await background.get_job(request.user, job_id)
        return Template("reports/build.html", context={"job": job})

    @get("/builds/{job_id:uuid}/status", name="report_build_status")
    async def status(self, request: Request[Actor, Any, Any], job_id: FromPath[UUID]) -> Template:
        job = await background.get_job(request.user, job_id)
        return Template("reports/_build_status.html", context={"job": job})

    @get("/snapshots/{snapshot_id:int}/file", name="report_file")
    async def download(self, request: Request[Actor, Any, Any], snapshot_id: FromPath[int]) -> File:
        path, name = await snapshot_file(
            request.user, snapshot_id, request.app.state.settings.media_dir
        )
        return File(path=path, filename=name, media_type=XLSX)
