"""Tìm kiếm: GET /search?q=… for the staff; an official has their own pages instead."""

from __future__ import annotations

from typing import Any

from congvu.inspect.actor import Actor
from congvu.inspect.search import api as search
from congvu.inspect.web.guards import STAFF_ROLES, requires_role
from litestar import Controller, Request, get
from litestar.params import FromQuery
from litestar.response import Template


class SearchPage(Controller):
    path = "/search"
    guards = [requires_role(*STAFF_ROLES)]  # noqa: RUF012

    @get("/", name="search")
    async def page(self, request: Request[Actor, Any, Any], q: FromQuery[str] = "") -> Template:
        results = await search.search(request.user, q)
        return Template("search/results.html", context={"r": results})
