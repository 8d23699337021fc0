"""Sign in, sign out, language switch."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Annotated, Any

from congvu.inspect.actor import Actor
from congvu.inspect.i18n import LOCALES
from congvu.inspect.organisation.services import accounts
from congvu.inspect.organisation.services.accounts import RequestInfo
from litestar import Controller, Request, get, post
from litestar.enums import RequestEncodingType
from litestar.middleware.rate_limit import RateLimitConfig
from litestar.params import Body, FromPath, FromQuery
from litestar.response import Redirect, Template

LOGIN_FAILED = "Tên đăng nhập hoặc mật khẩu không đúng, hoặc tài khoản đang tạm khóa."
# Only the login form is throttled, per client address (lockout per account is in the
# service). Set on its route so that no other request pays for the check.
LOGIN_RATE_LIMIT = RateLimitConfig(rate_limit=("minute", 30))


@dataclass
class LoginForm:
    username: str
    password: str
    next: str = "/"


def _safe_next(target: str) -> str:
    """Only local paths: an open redirect after login is a phishing tool."""
    return target if target.startswith("/") and not target.startswith("//") else "/"


def request_info(request: Request[Any, Any, Any]) -> RequestInfo:
    return RequestInfo(
        ip=request.client.host if request.client else None,
        request_id=request.headers.get("x-request-id"),
    )


class AuthController(Controller):
    @get("/login", name="login")
    async def login_page(self, next: FromQuery[str] = "/") -> Template:
        return Template("auth/login.html", context={"next": _safe_next(next), "error": None})

    @post("/login", status_code=303, middleware=[LOGIN_RATE_LIMIT.middleware])
    async def login(
        self,
        request: Request[Any, Any, Any],
        data: Annotated[LoginForm, Body(media_type=RequestEncodingType.URL_ENCODED)],
    ) -> Template | Redirect:
        settings = request.app.state.settings
        actor = await accounts.authenticate(
            data.username, data.password, settings, request_info(request)
        )
        if actor is None:
            return Template(
                "auth/login.html",
                context={
                    "next": _safe_next(data.next),
                    "error": LOGIN_FAILED,
                    "username": data.username,
                },
                status_code=401,
            )
        request.scope.setdefault("state", {})["rotate_session"] = True
        request.set_session({"user_id": actor.id})
        return Redirect(_safe_next(data.next), status_code=303)

    @post("/logout", status_code=303, name="logout")
    async def logout(self, request: Request[Actor, Any, Any]) -> Redirect:
        request.clear_session()
        return Redirect("/login", status_code=303)

    @get("/locale/{code:str}", name="set_locale")
    async def set_locale(self, request: Request[Any, Any, Any], code: FromPath[str]) -> Redirect:
        locale = code if code in LOCALES else "vi"
        # /locale is public (the login page has the switch), so find the account
        # through the session rather than the auth middleware.
        user_id = request.session.get("user_id") if request.session else None
        if isinstance(user_id, int):
            await accounts.set_locale(user_id, locale)
        referer = request.headers.get("referer", "/")
        target = referer if referer.startswith(str(request.base_url)) else "/"
        response = Redirect(target)
        response.set_cookie("congvu_locale", locale, max_age=365 * 24 * 3600, samesite="lax")
        return response
