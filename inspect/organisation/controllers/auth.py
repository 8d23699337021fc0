"""Sign in, sign out, language switch."""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Annotated, Any

from congvu.inspect.actor import Actor
from congvu.inspect.i18n import LOCALES, gettext
from congvu.inspect.organisation.controllers.pending import (
    CODE_PATH,
    ENROL_PATH,
    pending_session,
)
from congvu.inspect.organisation.services import accounts, devices, pauses, second_factor
from congvu.inspect.organisation.services.accounts import RequestInfo
from congvu.inspect.web import sessions
from litestar import Controller, Request, get, post
from litestar.enums import RequestEncodingType
from litestar.params import Body, FromQuery
from litestar.response import Redirect, Template

LOGIN_FAILED = "Tên đăng nhập hoặc mật khẩu không đúng, hoặc tài khoản đang tạm khóa."
# The same words for every name, an account's or not: a pause reveals no account.
LOGIN_PAUSED = (
    "Đăng nhập tạm dừng vì nhập sai mật khẩu nhiều lần. Vui lòng thử lại sau {minutes} phút."
)


@dataclass
class LoginForm:
    username: str
    password: str
    next: str = "/"


def _safe_next(target: str) -> str:
    """Only local paths: an open redirect after login is a phishing tool."""
    return target if target.startswith("/") and not target.startswith("//") else "/"


def request_info(request: Request[Any, Any, Any]) -> RequestInfo:
    """The connection's address: the server rewrote it from X-Forwarded-For only for a
    trusted proxy (``CONGVU_TRUSTED_PROXIES``), so a client cannot choose it."""
    return RequestInfo(
        ip=request.client.host if request.client else None,
        request_id=request.headers.get("x-request-id"),
    )


@dataclass
class LocaleForm:
    code: str


class AuthController(Controller):
    @get("/login", name="login")
    async def login_page(
        self, request: Request[Any, Any, Any], next: FromQuery[str] = "/"
    ) -> Template:
        hint = second_factor.demo_hint(request.app.state.settings)
        return Template(
            "auth/login.html", context={"next": _safe_next(next), "error": None, "demo": hint}
        )

    # Throttled per client address by congvu.inspect.web.throttle; per typed name by
    # the pauses of the accounts service.
    @post("/login", status_code=303)
    async def login(
        self,
        request: Request[Any, Any, Any],
        data: Annotated[LoginForm, Body(media_type=RequestEncodingType.URL_ENCODED)],
    ) -> Template | Redirect:
        settings = request.app.state.settings
        outcome = await accounts.authenticate(
            data.username, data.password, settings, request_info(request)
        )
        if isinstance(outcome, accounts.Refused):
            context = {"next": _safe_next(data.next), "username": data.username}
            if outcome.paused_until is None:
                return Template(
                    "auth/login.html", context=context | {"error": LOGIN_FAILED}, status_code=401
                )
            now = datetime.now(UTC)
            minutes = pauses.minutes_left(outcome.paused_until, now)
            seconds = max(1, math.ceil((outcome.paused_until - now).total_seconds()))
            return Template(
                "auth/login.html",
                context=context | {"error": gettext(LOGIN_PAUSED).format(minutes=minutes)},
                status_code=429,
                headers={"Retry-After": str(seconds)},
            )
        sessions.rotate_session(request.scope)
        session = await accounts.session_data(outcome)
        step = await second_factor.next_step(
            outcome, settings, request.cookies.get(devices.COOKIE), request_info(request)
        )
        if step == "signed_in":
            request.set_session(session)
            return Redirect(_safe_next(data.next), status_code=303)
        # Not signed in yet: the session only remembers whose code is awaited.
        request.set_session(pending_session(session, step, _safe_next(data.next)))
        return Redirect(ENROL_PATH if step == "enrol" else CODE_PATH, status_code=303)

    @post("/logout", status_code=303, name="logout")
    async def logout(self, request: Request[Actor, Any, Any]) -> Redirect:
        request.clear_session()
        return Redirect("/login", status_code=303)

    @post("/locale", status_code=303, name="set_locale")
    async def set_locale(
        self,
        request: Request[Any, Any, Any],
        data: Annotated[LocaleForm, Body(media_type=RequestEncodingType.URL_ENCODED)],
    ) -> Redirect:
        """The language switch: a POST (with the CSRF token), since it changes the
        account's stored choice."""
        locale = data.code if data.code in LOCALES else "vi"
        # /locale is public (the login page has the switch), so find the account
        # through the session rather than the auth middleware.
        user_id = request.session.get("user_id") if request.session else None
        if isinstance(user_id, int):
            await accounts.set_locale(user_id, locale)
        referer = request.headers.get("referer", "/")
        target = referer if referer.startswith(str(request.base_url)) else "/"
        response = Redirect(target, status_code=303)
        response.set_cookie("congvu_locale", locale, max_age=365 * 24 * 3600, samesite="lax")
        return response
