"""JSON API of ratings and emulation under /api/v1 (documented at /schema): a unit's board,
the official's own sheet, a locked version, initiatives and a collective's level. Every
permission is decided in the services."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Annotated, Any

import msgspec
from congvu.inspect.actor import Actor
from congvu.inspect.emulation import api as emulation
from congvu.inspect.web.params import Id, Line, Year
from litestar import Controller, Request, get, post, put
from litestar.params import FromPath, JSONBody


@dataclass(frozen=True)
class InitiativeIn:
    official_id: Id
    year: Year
    title: Line
    # The column's own width (emulation_initiative.decision_number).
    decision_number: Annotated[str, msgspec.Meta(max_length=64)]
    decided_on: date


@dataclass(frozen=True)
class CollectiveIn:
    level: str
    movement: bool = True


class RatingApi(Controller):
    path = "/api/v1"

    @get("/ratings/{name:str}/units/{code:str}", name="api_rating_board")
    async def board(
        self, request: Request[Actor, Any, Any], name: FromPath[str], code: FromPath[str]
    ) -> dict[str, Any]:
        return await emulation.unit_board(request.user, name, code)

    @get("/ratings/{name:str}/me", name="api_rating_mine")
    async def mine(self, request: Request[Actor, Any, Any], name: FromPath[str]) -> dict[str, Any]:
        return await emulation.my_sheet(request.user, name)

    @get("/ratings/periods/{name:str}/versions/{version:int}", name="api_rating_version")
    async def version(
        self, request: Request[Actor, Any, Any], name: FromPath[str], version: FromPath[int]
    ) -> dict[str, Any]:
        return await emulation.version_proposals(request.user, name, version)

    @post("/emulation/initiatives", status_code=201, name="api_initiative_add")
    async def initiative(
        self, request: Request[Actor, Any, Any], data: JSONBody[InitiativeIn]
    ) -> dict[str, Any]:
        await emulation.add_initiative(
            request.user,
            data.official_id,
            data.year,
            data.title,
            data.decision_number,
            data.decided_on,
        )
        return {"ok": True}

    @put("/emulation/collectives/{code:str}/{year:int}", name="api_collective_rate")
    async def collective(
        self,
        request: Request[Actor, Any, Any],
        code: FromPath[str],
        year: FromPath[int],
        data: JSONBody[CollectiveIn],
    ) -> dict[str, Any]:
        await emulation.rate_collective(
            request.user, code, year, data.level, movement=data.movement
        )
        return {"ok": True}
