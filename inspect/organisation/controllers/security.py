"""The signed-in user's own second factor (xác thực hai lớp): whether it is on, the
remembered devices with their last use (each revocable), new recovery codes, the
recovery codes as a .txt file, and their open sessions (each can be ended, or all but
this one: "đăng xuất ở nơi khác")."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Annotated, Any

from congvu.inspect.actor import Actor
from congvu.inspect.errors import Invalid
from congvu.inspect.organisation.controllers.auth import request_info
from congvu.inspect.organisation.services import account_sessions, devices, second_factor, totp
from congvu.inspect.web import csrf, sessions
from litestar import Controller, Request, Response, get, post
from litestar.enums import MediaType, RequestEncodingType
from litestar.params import Body, FromPath
from litestar.response import Redirect, Template


@dataclass
class CodeForm:
    code: str


@dataclass
class CodesForm:
    codes: list[str] = field(default_factory=list)


async def _page(
    request: Request[Actor, Any, Any], error: str | None = None, status: int = 200
) -> Template:
    actor = request.user
    return Template(
        "organisation/security.html",
        context={
            "enrolled_at": await second_factor.enrolled_since(actor.id),
            "required": second_factor.required(actor, request.app.state.settings),
            "codes_left": await second_factor.unused_recovery_codes(actor.id),
            "devices": await devices.of_account(actor.id),
            "sessions": await account_sessions.sessions_of(
                sessions.store_of(request.app),
                actor.id,
                request.cookies.get(sessions.SESSION_COOKIE),
            ),
            "ended": request.query_params.get("ended"),
            "error": error,
            "revoked": request.query_params.get("revoked") == "1",
        },
        status_code=status,
    )


class SecurityPages(Controller):
    path = "/account/security"

    @get("/", name="own_security")
    async def overview(self, request: Request[Actor, Any, Any]) -> Template:
        return await _page(request)

    @post("/devices/{device_id:int}/revoke", status_code=303, name="revoke_device")
    async def revoke(self, request: Request[Actor, Any, Any], device_id: FromPath[int]) -> Redirect:
        await devices.revoke(request.user, device_id, ip=request_info(request).ip)
        return Redirect("/account/security?revoked=1", status_code=303)

    @post("/sessions/{handle:str}/end", status_code=303, name="end_own_session")
    async def end_session(
        self, request: Request[Actor, Any, Any], handle: FromPath[str]
    ) -> Redirect:
        await account_sessions.end_session(
            sessions.store_of(request.app),
            request.user.id,
            handle,
            request.user,
            ip=request_info(request).ip,
        )
        return Redirect("/account/security?ended=one", status_code=303)

    @post("/sessions/end-others", status_code=303, name="end_other_sessions")
    async def end_others(self, request: Request[Actor, Any, Any]) -> Redirect:
        """Sign out everywhere else: every session of the account but this one."""
        await account_sessions.end_every_session(
            sessions.store_of(request.app),
            request.user.id,
            request.user,
            keep=request.cookies.get(sessions.SESSION_COOKIE),
            ip=request_info(request).ip,
        )
        return Redirect("/account/security?ended=others", status_code=303)

    @post("/recovery-codes", status_code=200, name="renew_recovery_codes")
    async def renew_codes(
        self,
        request: Request[Actor, Any, Any],
        data: Annotated[CodeForm, Body(media_type=RequestEncodingType.URL_ENCODED)],
    ) -> Template:
        """Ten new codes in place of the old ones, after a current code from the app."""
        try:
            codes = await second_factor.new_recovery_codes(
                request.user, data.code, request.app.state.settings, request_info(request)
            )
        except Invalid as problem:
            return await _page(request, problem.message, 400)
        csrf.render_with_rotated_token(request.scope, request.app.state.settings.secret_key)
        return Template(
            "auth/recovery_codes.html", context={"codes": codes, "next": "/account/security"}
        )

    @post(
        "/recovery-codes.txt",
        status_code=200,
        name="download_recovery_codes",
        media_type=MediaType.TEXT,
    )
    async def download_codes(
        self,
        data: Annotated[CodesForm, Body(media_type=RequestEncodingType.URL_ENCODED)],
    ) -> Response[str]:
        """The codes the page just showed, sent back by it as a file: the server keeps
        none of them in clear to send."""
        return Response(
            totp.codes_text(data.codes[: second_factor.RECOVERY_CODES]),
            media_type=MediaType.TEXT,
            headers={
                "Content-Disposition": 'attachment; filename="congvu-ma-khoi-phuc.txt"',
                "Cache-Control": "no-store",
            },
        )
