"""JSON API under /api/v1 (documented at /schema)."""

from __future__ import annotations

from dataclasses import asdict
from datetime import date
from typing import Any
from uuid import UUID

import msgspec
from congvu.inspect.actor import Actor
from congvu.inspect.background import api as background
from congvu.inspect.organisation.services import units as organisation
from congvu.inspect.web.guards import STAFF_ROLES, requires_role
from litestar import Controller, Request, get, post
from litestar.params import FromPath


class UnitOut(msgspec.Struct):
    id: int
    code: str
    name: str
    kind: str
    parent_id: int | None
    valid_from: date | None
    valid_to: date | None
    merged_into_code: str | None


class OfficialOut(msgspec.Struct):
    id: int
    code: str
    full_name: str
    category: str
    position: str
    is_leader: bool
    desk: str | None
    unit_code: str


class JobStarted(msgspec.Struct):
    job_id: UUID
    url: str


class UnitApi(Controller):
    path = "/api/v1/units"
    guards = [requires_role(*STAFF_ROLES)]  # noqa: RUF012
    tags = ["organisation"]  # noqa: RUF012

    @get("/")
    async def list_units(self, request: Request[Actor, Any, Any]) -> list[UnitOut]:
        """Units in the caller's scope."""
        units = await organisation.visible_units(request.user)
        return [
            UnitOut(**{k: v for k, v in asdict(u).items() if k in UnitOut.__struct_fields__})
            for u in units
        ]

    @get("/{unit_id:int}/officials")
    async def officials(
        self, request: Request[Actor, Any, Any], unit_id: FromPath[int]
    ) -> list[OfficialOut]:
        """The roster of a unit subtree in Vietnamese name order; 404 outside the scope."""
        rows = await organisation.officials_of_unit(request.user, unit_id)
        return [
            OfficialOut(
                id=o.id,
                code=o.code,
                full_name=o.full_name,
                category=o.category,
                position=o.position,
                is_leader=o.is_leader,
                desk=o.desk,
                unit_code=o.unit_code,
            )
            for o in rows
        ]

    @post("/{unit_id:int}/statistics-jobs", status_code=202)
    async def start_statistics(
        self, request: Request[Actor, Any, Any], unit_id: FromPath[int]
    ) -> JobStarted:
        """Start recomputing a unit's statistics; poll the returned job."""
        await organisation.unit_in_scope(request.user, unit_id)
        queue = request.app.state.queue
        job_id = await background.start_unit_statistics(queue, request.user, unit_id)
        return JobStarted(job_id=job_id, url=f"/api/v1/jobs/{job_id}")
