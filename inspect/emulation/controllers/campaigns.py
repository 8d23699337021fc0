"""Pages of thematic campaigns: the personnel office's list with the form to launch one
(name, agency, dates, criteria) and a campaign's board, every official and every collective
eligible or not with each criterion explained, its proposals for both (propose, withdraw
with a reason), its lock and
reopening and a selector of its locked versions. A refused form or step is shown again with
the error beside its field."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Any

from congvu.inspect.actor import Actor, Role
from congvu.inspect.emulation import api as emulation
from congvu.inspect.errors import Conflict, Invalid, NotFound
from congvu.inspect.organisation.tables import Unit
from congvu.rules.rating import Level
from litestar import Controller, Request, get, post
from litestar.params import FromPath, FromQuery
from litestar.response import Redirect, Template

Step = Callable[[Any], Awaitable[None]]


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
                "percent_fields": {
                    k.value: f for k, f in emulation.CAMPAIGN_PERCENT_FIELDS.items()
                },
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

    async def _board(
        self,
        request: Request[Actor, Any, Any],
        campaign_id: int,
        version: int | None = None,
        error: Invalid | Conflict | NotFound | None = None,
    ) -> Template:
        found = await emulation.campaign_board(request.user, campaign_id, version)
        status = 200
        if isinstance(error, Conflict):
            status = 409
        elif error is not None:
            status = 404 if isinstance(error, NotFound) else 400
        return Template(
            "emulation/campaign.html",
            context={
                "c": found,
                "error": error,
                "can_manage": request.user.has_role(Role.PERSONNEL, Role.ADMIN),
            },
            status_code=status,
        )

    @get("/{campaign_id:int}", name="campaign_board")
    async def board(
        self,
        request: Request[Actor, Any, Any],
        campaign_id: FromPath[int],
        version: FromQuery[int | None] = None,
    ) -> Template:
        return await self._board(request, campaign_id, version)

    async def _act(
        self, request: Request[Actor, Any, Any], campaign_id: int, step: Step
    ) -> Redirect | Template:
        form = await request.form()
        try:
            await step(form)
        except (Invalid, Conflict) as error:
            return await self._board(request, campaign_id, error=error)
        except NotFound as error:
            if error.field not in ("official", "unit"):
                raise
            return await self._board(request, campaign_id, error=error)
        return Redirect(f"/ratings/campaigns/{campaign_id}", status_code=303)

    @post("/{campaign_id:int}/proposals", status_code=303, name="campaign_propose")
    async def propose(
        self, request: Request[Actor, Any, Any], campaign_id: FromPath[int]
    ) -> Redirect | Template:
        async def step(form: Any) -> None:
            chosen = [str(v) for v in form.getall("official", [])]
            try:
                ids = [int(v) for v in chosen]
            except ValueError:
                raise NotFound("Không có cán bộ này trong đợt thi đua.", field="official") from None
            await emulation.propose_for_campaign(request.user, campaign_id, ids)

        return await self._act(request, campaign_id, step)

    @post(
        "/{campaign_id:int}/proposals/{official_id:int}/withdraw",
        status_code=303,
        name="campaign_withdraw",
    )
    async def withdraw(
        self,
        request: Request[Actor, Any, Any],
        campaign_id: FromPath[int],
        official_id: FromPath[int],
    ) -> Redirect | Template:
        async def step(form: Any) -> None:
            await emulation.withdraw_campaign_proposal(
                request.user, campaign_id, official_id, str(form.get("reason", ""))
            )

        return await self._act(request, campaign_id, step)

    @post("/{campaign_id:int}/collectives", status_code=303, name="campaign_propose_collective")
    async def propose_collective(
        self, request: Request[Actor, Any, Any], campaign_id: FromPath[int]
    ) -> Redirect | Template:
        async def step(form: Any) -> None:
            chosen = [str(v) for v in form.getall("unit", [])]
            try:
                ids = [int(v) for v in chosen]
            except ValueError:
                raise NotFound("Không có tập thể này trong đợt thi đua.", field="unit") from None
            await emulation.propose_collectives(request.user, campaign_id, ids)

        return await self._act(request, campaign_id, step)

    @post(
        "/{campaign_id:int}/collectives/{unit_id:int}/withdraw",
        status_code=303,
        name="campaign_withdraw_collective",
    )
    async def withdraw_collective(
        self,
        request: Request[Actor, Any, Any],
        campaign_id: FromPath[int],
        unit_id: FromPath[int],
    ) -> Redirect | Template:
        async def step(form: Any) -> None:
            await emulation.withdraw_collective(
                request.user, campaign_id, unit_id, str(form.get("reason", ""))
            )

        return await self._act(request, campaign_id, step)

    @post("/{campaign_id:int}/lock", status_code=303, name="campaign_lock")
    async def lock(
        self, request: Request[Actor, Any, Any], campaign_id: FromPath[int]
    ) -> Redirect | Template:
        async def step(form: Any) -> None:
            await emulation.lock_campaign(request.user, campaign_id)

        return await self._act(request, campaign_id, step)

    @post("/{campaign_id:int}/reopen", status_code=303, name="campaign_reopen")
    async def reopen(
        self, request: Request[Actor, Any, Any], campaign_id: FromPath[int]
    ) -> Redirect | Template:
        async def step(form: Any) -> None:
            await emulation.reopen_campaign(request.user, campaign_id, str(form.get("reason", "")))

        return await self._act(request, campaign_id, step)
