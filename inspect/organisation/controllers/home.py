"""The home page of each role."""

from __future__ import annotations

from typing import Any

from congvu.inspect.actor import Actor, Role
from congvu.inspect.organisation.services import units as organisation
from litestar import Controller, Request, get
from litestar.response import Template


class HomeController(Controller):
    @get("/", name="home")
    async def home(self, request: Request[Actor, Any, Any]) -> Template:
        actor = request.user
        units = await organisation.visible_units(actor) if actor.role != Role.OFFICIAL else []
        return Template("home/home.html", context={"actor": actor, "units": units[:50]})
