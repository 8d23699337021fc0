"""Administration of sign-in: the accounts whose sign-in is paused after repeated
failures, and ending a pause early (mở khóa), for administrators."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Annotated, Any

from congvu.inspect.actor import Actor, Role
from congvu.inspect.organisation.controllers.auth import request_info
from congvu.inspect.organisation.services import pauses
from congvu.inspect.web.guards import requires_role
from litestar import Controller, Request, get, post
from litestar.enums import RequestEncodingType
from litestar.params import Body
from litestar.response import Redirect, Template


@dataclass
class UnlockForm:
    username: str


class PausedAccountPages(Controller):
    path = "/accounts/paused"
    guards = [requires_role(Role.ADMIN)]  # noqa: RUF012

    @get("/", name="paused_accounts")
    async def paused(self, request: Request[Actor, Any, Any], unlocked: str = "") -> Template:
        now = datetime.now(UTC)
        accounts = await pauses.paused_accounts(request.user, now)
        return Template(
            "organisation/paused.html",
            context={
                "accounts": [(a, pauses.minutes_left(a.paused_until, now)) for a in accounts],
                "unlocked": unlocked,
            },
        )

    @post("/unlock", status_code=303, name="unlock_account")
    async def unlock(
        self,
        request: Request[Actor, Any, Any],
        data: Annotated[UnlockForm, Body(media_type=RequestEncodingType.URL_ENCODED)],
    ) -> Redirect:
        await pauses.unlock(
            data.username, request.user, datetime.now(UTC), ip=request_info(request).ip
        )
        return Redirect(f"/accounts/paused?unlocked={data.username}", status_code=303)
