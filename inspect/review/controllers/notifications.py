"""Thông báo: the signed-in person's notifications, grouped by day and kind, marking them
read one by one or all at once, and the address the daily digest goes to by mail."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Annotated, Any

from congvu.inspect.actor import Actor
from congvu.inspect.errors import Invalid
from congvu.inspect.organisation import api as organisation
from congvu.inspect.review.services import notifications
from litestar import Controller, Request, get, post
from litestar.enums import RequestEncodingType
from litestar.params import Body, FromPath, FromQuery
from litestar.response import Redirect, Template


@dataclass
class EmailForm:
    email: str = ""


class NotificationPages(Controller):
    path = "/notifications"

    async def _page(self, request: Request[Actor, Any, Any], **extra: Any) -> dict[str, Any]:
        rows = await notifications.list_for(request.user)
        return {
            "days": notifications.by_day(rows),
            "unread": sum(not r.read for r in rows),
            "email": await organisation.own_email(request.user),
            "mail_on": request.app.state.settings.smtp_url is not None,
            "error": None,
            "done": None,
            **extra,
        }

    @get("/", name="notifications")
    async def notifications(
        self, request: Request[Actor, Any, Any], done: FromQuery[str | None] = None
    ) -> Template:
        context = await self._page(request, done=done)
        return Template("review/notifications.html", context=context)

    @get("/count", name="notification_count")
    async def notification_count(self, request: Request[Actor, Any, Any]) -> Template:
        count = await notifications.unread_count(request.user)
        return Template("review/_notification_count.html", context={"count": count})

    @post("/{notification_id:int}/read", status_code=303, name="notification_read")
    async def read(
        self, request: Request[Actor, Any, Any], notification_id: FromPath[int]
    ) -> Redirect:
        link = await notifications.mark_read(request.user, notification_id)
        return Redirect(link, status_code=303)

    @post("/read-all", status_code=303, name="notifications_read_all")
    async def read_all(self, request: Request[Actor, Any, Any]) -> Redirect:
        await notifications.mark_all_read(request.user)
        return Redirect("/notifications?done=read", status_code=303)

    @post("/email", status_code=303, name="notifications_email")
    async def email(
        self,
        request: Request[Actor, Any, Any],
        data: Annotated[EmailForm, Body(media_type=RequestEncodingType.URL_ENCODED)],
    ) -> Template | Redirect:
        try:
            await organisation.set_own_email(request.user, data.email)
        except Invalid as problem:
            context = await self._page(request, error=problem.message, email=data.email)
            return Template("review/notifications.html", context=context, status_code=400)
        return Redirect("/notifications?done=email", status_code=303)
