"""Pages of thematic campaigns: the personnel office's list with the form to launch one
(name, agency, dates, criteria) and a campaign's board, every official eligible or not
with each criterion explained. A refused form is shown again with the error beside its
field."""

from __future__ import annotations

from typing import Any

from congvu.inspect.actor import Actor
from congvu.inspect.emulation import api as emulation
from congvu.inspect.errors import Conflict, Invalid
from congvu.inspect.organisation.tables import Unit
from congvu.rules.rating import Level
from litestar import Controller, Request, get, post
from litestar.params import FromPath
from litestar.response import Redirect, Template


class CampaignPages(Controller):
    path = "/ratings/campaigns"

    async def _list(
        self,
        request: Request[Actor, Any, Any],
        error: Invalid | Conflict | None = None,
        values: dict[str, str] | None = None,
    ) -> Template:
        found = await emulation.campaigns(request.user)
        agencies = [
            u
            for u in await Unit.select(Unit.code, Unit.name, Unit.path)
            .where(Unit.valid_to.is_null())
            .order_by(Unit.path)
            if request.user.can_see_unit_path(u["path"]) and u["path"].count("/") <= 3
        ]
        return Template(
            "emulation/campaigns.html",
            context={
                "campaigns": found,
                "agencies": agencies,
                "criteria": emulation.CAMPAIGN_CRITERIA,
                "levels": list(Level),
                "error": error,
                "values": values or {},
            },
            status_code=400 if error else 200,
        )

    @get("/", name="campaigns")
    async def index(self, request: Request[Actor, Any, Any]) -> Template:
        return await self._list(request)

    @post("/", status_code=303, name="campaign_create")
    async def create(self, request: Request[Actor, Any, Any]) -> Redirect | Template:
        form = {k: str(v) for k, v in (await request.form()).items() if k != "_csrf_token"}
        try:
            campaign_id = await emulation.create_campaign(request.user, form)
        except (Invalid, Conflict) as error:
            return await self._list(request, error, form)
        return Redirect(f"/ratings/campaigns/{campaign_id}", status_code=303)

    @get("/{campaign_id:int}", name="campaign_board")
    async def board(
        self, request: Request[Actor, Any, Any], campaign_id: FromPath[int]
    ) -> Template:
        found = await emulation.campaign_board(request.user, campaign_id)
        return Template("emulation/campaign.html", context={"c": found})
