"""The second step of sign-in (xác thực hai lớp): the code after the password, and
enrolment for an account that must have the second factor and has none yet.

Between the password and this step the session holds only ``pending_user_id`` (no
``user_id``), so every other route answers as to a stranger: a page redirects to the
login, a JSON client gets 401. These routes are under /login, open without a session,
and find the account in the session themselves."""

from __future__ import annotations

import math
import time
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Annotated, Any

from congvu.inspect.actor import Actor
from congvu.inspect.errors import Invalid
from congvu.inspect.i18n import gettext
from congvu.inspect.organisation.controllers.auth import LOGIN_PAUSED, request_info
from congvu.inspect.organisation.controllers.pending import CODE_PATH
from congvu.inspect.organisation.services import accounts, devices, pauses, second_factor
from congvu.inspect.web import csrf, sessions
from litestar import Controller, Request, get, post
from litestar.enums import MediaType, RequestEncodingType
from litestar.params import Body
from litestar.response import Redirect, Template


async def _pending(request: Request[Any, Any, Any], step: str) -> Actor | None:
    session = request.session or {}
    user_id, stamp = session.get("pending_user_id"), session.get("stamp")
    until = session.get("pending_until")
    if (
        not isinstance(user_id, int)
        or not isinstance(stamp, str)
        or not isinstance(until, float | int)
        or session.get("pending_step") != step
        or time.time() > until
    ):
        return None
    return await accounts.actor_for(user_id, stamp)


async def _signed_in(request: Request[Any, Any, Any]) -> Actor | None:
    session = request.session or {}
    user_id, stamp = session.get("user_id"), session.get("stamp")
    if not isinstance(user_id, int) or not isinstance(stamp, str):
        return None
    return await accounts.actor_for(user_id, stamp)


def _finish(request: Request[Any, Any, Any], actor: Actor) -> str:
    """The session becomes signed in, under a fresh id again; returns where to go."""
    session = request.session or {}
    target = session.get("next")
    sessions.rotate_session(request.scope)
    request.set_session({"user_id": actor.id, "stamp": session["stamp"]})
    return target if isinstance(target, str) else "/"


@dataclass
class CodeForm:
    code: str
    remember: str = ""


def _code_page(
    request: Request[Any, Any, Any], actor: Actor, error: str | None, status: int
) -> Template:
    settings = request.app.state.settings
    # The demo's hint is the demo administrator's code: on no one else's page.
    hint = (
        second_factor.demo_hint(settings) if actor.username == second_factor.DEMO_USERNAME else None
    )
    return Template(
        "auth/second_factor.html",
        context={
            "error": error,
            "days": settings.remember_device_days,
            "demo": hint,
        },
        status_code=status,
    )


def _codes_page(request: Request[Any, Any, Any], codes: list[str], next_path: str) -> Template:
    csrf.render_with_rotated_token(request.scope, request.app.state.settings.secret_key)
    return Template("auth/recovery_codes.html", context={"codes": codes, "next": next_path})


class SecondFactorController(Controller):
    path = CODE_PATH

    @get("/", name="second_factor", media_type=MediaType.HTML)
    async def code_page(self, request: Request[Any, Any, Any]) -> Template | Redirect:
        actor = await _pending(request, "code")
        if actor is None:
            return Redirect("/login", status_code=303)
        return _code_page(request, actor, None, 200)

    # Throttled per client address like the password (congvu.inspect.web.throttle).
    @post("/", status_code=303, media_type=MediaType.HTML)
    async def check_code(
        self,
        request: Request[Any, Any, Any],
        data: Annotated[CodeForm, Body(media_type=RequestEncodingType.URL_ENCODED)],
    ) -> Template | Redirect:
        actor = await _pending(request, "code")
        if actor is None:
            return Redirect("/login", status_code=303)
        settings = request.app.state.settings
        info = request_info(request)
        outcome = await second_factor.check_code(actor, data.code, settings, info)
        if isinstance(outcome, datetime):
            # Paused like a wrong password: this half-open session ends with it.
            request.clear_session()
            now = datetime.now(UTC)
            seconds = max(1, math.ceil((outcome - now).total_seconds()))
            message = gettext(LOGIN_PAUSED).format(minutes=pauses.minutes_left(outcome, now))
            return Template(
                "auth/login.html",
                context={"next": "/", "error": message},
                status_code=429,
                headers={"Retry-After": str(seconds)},
            )
        if not outcome:
            return _code_page(request, actor, second_factor.WRONG_CODE, 401)
        target = _finish(request, actor)
        response = Redirect(target, status_code=303)
        if data.remember:
            days = settings.remember_device_days
            token = await devices.remember(
                actor, request.headers.get("user-agent", ""), days, ip=info.ip
            )
            response.set_cookie(
                devices.COOKIE,
                token,
                max_age=days * 24 * 3600,
                path="/login",
                httponly=True,
                secure=settings.secure_cookies,
                samesite="lax",
            )
        return response

    @get("/enrol", name="enrol_second_factor", media_type=MediaType.HTML)
    async def enrol_page(self, request: Request[Any, Any, Any]) -> Template | Redirect:
        actor = await _pending(request, "enrol") or await _signed_in(request)
        if actor is None:
            return Redirect("/login", status_code=303)
        return await _enrol_page(request, actor, None, 200)

    @post("/enrol", status_code=303, media_type=MediaType.HTML)
    async def confirm(
        self,
        request: Request[Any, Any, Any],
        data: Annotated[CodeForm, Body(media_type=RequestEncodingType.URL_ENCODED)],
    ) -> Template | Redirect:
        pending = await _pending(request, "enrol")
        actor = pending or await _signed_in(request)
        if actor is None:
            return Redirect("/login", status_code=303)
        settings = request.app.state.settings
        try:
            codes = await second_factor.confirm_enrolment(
                actor, data.code, settings, request_info(request)
            )
        except Invalid as problem:
            return await _enrol_page(request, actor, problem.message, 400)
        if pending is not None:
            target = _finish(request, actor)
        else:
            # A new factor: this session goes on under a fresh id, like a sign-in.
            target = "/account/security"
            sessions.rotate_session(request.scope)
        return _codes_page(request, codes, target)


async def _enrol_page(
    request: Request[Any, Any, Any], actor: Actor, error: str | None, status: int
) -> Template | Redirect:
    settings = request.app.state.settings
    try:
        enrolment = await second_factor.start_enrolment(actor, settings)
    except Invalid:
        # Already enrolled: a new secret only after an administrator's reset.
        return Redirect("/account/security", status_code=303)
    return Template(
        "auth/enrol.html",
        context={
            "error": error,
            "qr_svg": enrolment.qr_svg,
            "secret": enrolment.grouped_secret,
            "username": actor.username,
        },
        status_code=status,
    )
