"""Bốc thăm có trọng số theo gợi ý: the suggestions with their weights and reasons, and
the form that starts the existing sealed surprise draw with them (team leads and
administrators, who make draws). The draw is then followed on /plans/draw."""

from __future__ import annotations

from typing import Any

from congvu.inspect.actor import Actor
from congvu.inspect.errors import Invalid
from congvu.inspect.inspections import api as inspections
from congvu.inspect.reports.controllers.dashboard import DRAW_ROLES
from congvu.inspect.reports.services.suggested_draw import (
    current_suggestions,
    draw_with_suggestions,
)
from congvu.inspect.text_input import typed_day
from congvu.inspect.web.guards import requires_role
from congvu.inspect.web.params import form_id, form_text
from litestar import Controller, Request, get, post
from litestar.datastructures import FormMultiDict
from litestar.response import Redirect, Template

KINDS = {
    "SURPRISE_UNANNOUNCED": inspections.KIND_LABELS["SURPRISE_UNANNOUNCED"],
    "SURPRISE_ANNOUNCED": inspections.KIND_LABELS["SURPRISE_ANNOUNCED"],
}


def draw_form(form: FormMultiDict) -> inspections.DrawForm:
    count = form_id(form.get("count"), "count")
    try:
        day = typed_day(str(form.get("scheduled_date") or ""))
    except ValueError:
        raise Invalid("Chọn ngày kiểm tra.", field="scheduled_date") from None
    team = []
    for raw in form.getall("member", []):
        user_id = form_id(raw, "member")
        if user_id is not None:
            team.append(inspections.TeamMember(user_id, form.get(f"role_{raw}", "thanh_vien")))
    return inspections.DrawForm(
        count=count or 0,
        scheduled_date=day,
        kind=str(form.get("kind", "")),
        topics=form.getall("topic", []),
        team=team,
        off_day_reason=form_text(form.get("off_day_reason", ""), "off_day_reason"),
    )


async def _page(actor: Actor, form: dict[str, Any], error: Invalid | None) -> Template:
    _, people = await inspections.plan_choices(actor)
    return Template(
        "reports/dashboard_draw.html",
        context={
            "suggestions": await current_suggestions(actor),
            "people": people,
            "kinds": KINDS,
            "topics": inspections.TOPIC_LABELS,
            "roles": inspections.MEMBER_ROLE_LABELS,
            "form": form,
            "error": error,
        },
        status_code=400 if error else 200,
    )


class SuggestedDrawPage(Controller):
    path = "/dashboard/draw"
    guards = [requires_role(*DRAW_ROLES)]  # noqa: RUF012

    @get("/", name="dashboard_draw")
    async def page(self, request: Request[Actor, Any, Any]) -> Template:
        return await _page(request.user, {}, None)

    @post("/", name="dashboard_draw_create", status_code=303)
    async def draw(self, request: Request[Actor, Any, Any]) -> Template | Redirect:
        form = await request.form()
        try:
            await draw_with_suggestions(request.user, draw_form(form))
        except Invalid as error:
            echo = {k: form.getall(k) for k in form}
            return await _page(request.user, echo, error)
        return Redirect("/plans/draw", status_code=303)
