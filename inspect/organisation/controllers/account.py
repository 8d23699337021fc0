"""The signed-in user's own account: change their password (đổi mật khẩu)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Annotated, Any

from congvu.inspect.actor import Actor
from congvu.inspect.errors import Invalid
from congvu.inspect.organisation.controllers.auth import request_info
from congvu.inspect.organisation.services import credentials
from congvu.inspect.web import sessions
from litestar import Controller, Request, get, post
from litestar.enums import RequestEncodingType
from litestar.params import Body, FromQuery
from litestar.response import Redirect, Template

CHANGED = "Đã đổi mật khẩu. Các phiên đăng nhập khác của tài khoản đã kết thúc."


@dataclass
class PasswordForm:
    current: str
    new: str
    confirmation: str


class AccountPages(Controller):
    path = "/account"

    @get("/password", name="own_password")
    async def password_page(
        self, request: Request[Actor, Any, Any], done: FromQuery[bool] = False
    ) -> Template:
        return Template(
            "organisation/password.html",
            context={
                "error": None,
                "field": None,
                "done": done,
                "settings": request.app.state.settings,
            },
        )

    @post("/password", status_code=303)
    async def change_password(
        self,
        request: Request[Actor, Any, Any],
        data: Annotated[PasswordForm, Body(media_type=RequestEncodingType.URL_ENCODED)],
    ) -> Template | Redirect:
        """Current password required; the new one meets the policy. This session goes on
        under a fresh id (and CSRF token); every other session of the account ends."""
        settings = request.app.state.settings
        try:
            stamp = await credentials.change_own_password(
                request.user,
                data.current,
                data.new,
                data.confirmation,
                settings,
                ip=request_info(request).ip,
            )
        except Invalid as problem:
            return Template(
                "organisation/password.html",
                context={
                    "error": problem.message,
                    "field": problem.field,
                    "done": False,
                    "settings": settings,
                },
                status_code=400,
            )
        sessions.rotate_session(request.scope)
        request.set_session({"user_id": request.user.id, "stamp": stamp})
        return Redirect("/account/password?done=1", status_code=303)
