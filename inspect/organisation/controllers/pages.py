"""Units and their officials (HTML pages)."""

from __future__ import annotations

from typing import Any

from congvu.inspect.actor import Actor
from congvu.inspect.background import api as background
from congvu.inspect.organisation.services import units as organisation
from congvu.inspect.web.guards import STAFF_ROLES, requires_role
from litestar import Controller, Request, get, post
from litestar.params import FromPath
from litestar.response import Redirect, Template


class UnitPages(Controller):
    path = "/units"
    guards = [requires_role(*STAFF_ROLES)]  # noqa: RUF012

    @get("/", name="units")
    async def list_units(self, request: Request[Actor, Any, Any]) -> Template:
        units = await organisation.visible_units(request.user)
        return Template("organisation/units.html", context={"units": units})

    @get("/{unit_id:int}", name="unit")
    async def unit(self, request: Request[Actor, Any, Any], unit_id: FromPath[int]) -> Template:
        unit = await organisation.unit_in_scope(request.user, unit_id)
        officials = await organisation.officials_of_unit(request.user, unit_id)
        schedules = await organisation.schedules_of_unit(request.user, unit_id)
        return Template(
            "organisation/unit.html",
            context={"unit": unit, "officials": officials, "schedules": schedules},
        )

    @post("/{unit_id:int}/statistics", status_code=303, name="unit_statistics")
    async def recompute(
        self, request: Request[Actor, Any, Any], unit_id: FromPath[int]
    ) -> Redirect:
        await organisation.unit_in_scope(request.user, unit_id)
        queue = request.app.state.queue
        job_id = await background.start_unit_statistics(queue, request.user, unit_id)
        return Redirect(f"/jobs/{job_id}", status_code=303)
