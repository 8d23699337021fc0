"""Đặt mật khẩu qua liên kết: the page a one-time link opens, without a session (the
person has no password yet, or has forgotten it)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Annotated, Any

from congvu.inspect.errors import Invalid
from congvu.inspect.organisation.controllers.auth import request_info
from congvu.inspect.organisation.services import reset_links
from litestar import Controller, Request, get, post
from litestar.enums import RequestEncodingType
from litestar.params import Body, FromPath
from litestar.response import Template


@dataclass
class NewPasswordForm:
    new: str = ""
    confirmation: str = ""


def _page(
    request: Request[Any, Any, Any],
    username: str | None,
    error: Invalid | None = None,
    status: int = 200,
    done: bool = False,
) -> Template:
    return Template(
        "organisation/password_link.html",
        context={
            "username": username,
            "error": error,
            "done": done,
            "expired": reset_links.EXPIRED,
            "settings": request.app.state.settings,
        },
        status_code=status,
        # The token is in the address: neither kept by a cache nor sent on as a referrer.
        headers={"Cache-Control": "no-store", "Referrer-Policy": "no-referrer"},
    )


class PasswordLinkPages(Controller):
    path = reset_links.PATH.rstrip("/")

    @get("/{token:str}", name="password_link")
    async def open_link(self, request: Request[Any, Any, Any], token: FromPath[str]) -> Template:
        found = await reset_links.account_of(token)
        return _page(request, found[1] if found else None, status=200 if found else 404)

    @post("/{token:str}", status_code=200, name="use_password_link")
    async def use_link(
        self,
        request: Request[Any, Any, Any],
        token: FromPath[str],
        data: Annotated[NewPasswordForm, Body(media_type=RequestEncodingType.URL_ENCODED)],
    ) -> Template:
        try:
            username = await reset_links.use(
                token,
                data.new,
                data.confirmation,
                request.app.state.settings,
                ip=request_info(request).ip,
            )
        except Invalid as problem:
            found = await reset_links.account_of(token)
            status = 404 if problem.field == "token" else 400
            return _page(request, found[1] if found else None, problem, status)
        return _page(request, username, done=True)
