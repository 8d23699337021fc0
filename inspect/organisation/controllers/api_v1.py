"""JSON API of the organisation under /api/v1/units (documented at /schema): JSON routes
return the service's read models as they are."""

from __future__ import annotations

from typing import Any
from uuid import UUID

import msgspec
from congvu.inspect.actor import Actor
from congvu.inspect.background import api as background
from congvu.inspect.organisation.services import units
from congvu.inspect.web.guards import STAFF_ROLES, requires_role
from litestar import Controller, Request, get, post
from litestar.params import FromPath


class JobStarted(msgspec.Struct):
    job_id: UUID
    url: str


class UnitApi(Controller):
    path = "/api/v1/units"
    guards = [requires_role(*STAFF_ROLES)]  # noqa: RUF012
    tags = ["organisation"]  # noqa: RUF012

    @get("/")
    async def list_units(self, request: Request[Actor, Any, Any]) -> list[units.UnitView]:
        """Units in the caller's scope."""
        return await units.visible_units(request.user)

    @get("/{unit_id:int}/officials")
    async def officials(
        self, request: Request[Actor, Any, Any], unit_id: FromPath[int]
    ) -> list[units.OfficialView]:
        """The roster of a unit subtree in Vietnamese name order; 404 outside the scope."""
        return await units.officials_of_unit(request.user, unit_id)

    @post("/{unit_id:int}/statistics-jobs", status_code=202)
    async def start_statistics(
        self, request: Request[Actor, Any, Any], unit_id: FromPath[int]
    ) -> JobStarted:
        """Start recomputing a unit's statistics; poll the returned job."""
        await units.unit_in_scope(request.user, unit_id)
        queue = request.app.state.queue
        job_id = await background.start_unit_statistics(queue, request.user, unit_id)
        return JobStarted(job_id=job_id, url=f"/api/v1/jobs/{job_id}")
