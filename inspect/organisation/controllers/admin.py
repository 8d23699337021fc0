"""Administration of sign-in, for administrators: the accounts whose sign-in is paused
after repeated failures, ending a pause early (mở khóa), and clearing an account's
second factor (đặt lại xác thực hai lớp)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Annotated, Any

from congvu.inspect.actor import Actor, Role
from congvu.inspect.organisation.controllers.auth import request_info
from congvu.inspect.organisation.services import pauses, second_factor
from congvu.inspect.web import sessions
from congvu.inspect.web.guards import requires_role
from litestar import Controller, Request, get, post
from litestar.enums import RequestEncodingType
from litestar.params import Body, FromQuery
from litestar.response import Redirect, Template


@dataclass
class UnlockForm:
    username: str


class PausedAccountPages(Controller):
    path = "/accounts/paused"
    guards = [requires_role(Role.ADMIN)]  # noqa: RUF012

    @get("/", name="paused_accounts")
    async def paused(
        self,
        request: Request[Actor, Any, Any],
        unlocked: FromQuery[str] = "",
        reset: FromQuery[str] = "",
    ) -> Template:
        now = datetime.now(UTC)
        accounts = await pauses.paused_accounts(request.user, now)
        return Template(
            "organisation/paused.html",
            context={
                "accounts": [(a, pauses.minutes_left(a.paused_until, now)) for a in accounts],
                "unlocked": unlocked,
                "reset": reset,
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

    @post("/reset-second-factor", status_code=303, name="reset_second_factor")
    async def reset_second_factor(
        self,
        request: Request[Actor, Any, Any],
        data: Annotated[UnlockForm, Body(media_type=RequestEncodingType.URL_ENCODED)],
    ) -> Redirect:
        """Clear an account's second factor (a lost phone): its sessions end, and it
        enrols again at its next sign-in."""
        await second_factor.reset(
            data.username,
            request.user,
            ip=request_info(request).ip,
            store=sessions.store_of(request.app),
        )
        return Redirect(f"/accounts/paused?reset={data.username}", status_code=303)
