"""Team leads' pages: inspection plans, coverage per quarter, surprise draws."""

from __future__ import annotations

from datetime import date
from typing import Any

from congvu.inspect import clock
from congvu.inspect.actor import Actor, Role
from congvu.inspect.documents import rendering as documents
from congvu.inspect.errors import Invalid
from congvu.inspect.inspections.services import coverage, labels, surprise_draws, team_decision
from congvu.inspect.inspections.services import plans as inspections
from congvu.inspect.inspections.services.coverage import FIRST_YEAR, LAST_YEAR
from congvu.inspect.inspections.services.plan_document import plan_docx
from congvu.inspect.inspections.services.plans import (
    PlanForm,
    PlannedVisit,
    TeamMember,
)
from congvu.inspect.inspections.services.surprise_draws import DrawForm
from congvu.inspect.inspections.services.team_decision import TeamDecision, TeamDecisionForm
from congvu.inspect.text_input import typed_day
from congvu.inspect.web.guards import requires_role
from congvu.inspect.web.params import MAX_ID, form_id, form_text, out_of_range
from litestar import Controller, Request, Response, get, post
from litestar.datastructures import FormMultiDict
from litestar.params import FromPath, FromQuery
from litestar.response import Redirect, Template

LABELS = {
    "topics": labels.TOPIC_LABELS,
    "kinds": labels.KIND_LABELS,
    "statuses": labels.STATUS_LABELS,
    "roles": labels.MEMBER_ROLE_LABELS,
}


def _int(value: str | None, field: str, *, optional: bool = False) -> int | None:
    if not value and optional:
        return None
    try:
        number = int(str(value))
    except ValueError:
        raise Invalid("Giá trị phải là số.", field=field) from None
    if abs(number) > MAX_ID:
        raise out_of_range(field)
    return number


def _date(value: str | None, field: str) -> date:
    """The form's dd/mm/yyyy (a text field, so it reads the same whatever the browser's
    language); yyyy-mm-dd is still accepted from scripts and older pages."""
    try:
        day = typed_day(value or "")
    except ValueError:
        raise Invalid("Chọn ngày kiểm tra.", field=field) from None
    # Years 1 and 9999 are the calendar's ends: a week or a quarter past them overflows.
    if not FIRST_YEAR <= day.year <= LAST_YEAR:
        raise Invalid(f"Năm phải từ {FIRST_YEAR} đến {LAST_YEAR}.", field=field)
    return day


def _ids(form: FormMultiDict, name: str) -> list[tuple[int, str]]:
    """The ids a form lists under ``name``, each with the text it was sent as."""
    return [(i, u) for u in form.getall(name, []) if (i := form_id(u, name)) is not None]


def _team(form: FormMultiDict) -> list[TeamMember]:
    return [
        TeamMember(user_id, form.get(f"role_{raw}", "thanh_vien"))
        for user_id, raw in _ids(form, "member")
    ]


def _plan_form(form: FormMultiDict) -> PlanForm:
    units = _ids(form, "unit")
    return PlanForm(
        title=form_text(form.get("title"), "title"),
        year=_int(form.get("year"), "year") or 0,
        quarter=_int(form.get("quarter"), "quarter", optional=True),
        document_no=form_text(form.get("document_no"), "document_no") or None,
        topics=form.getall("topic", []),
        visits=[
            PlannedVisit(u, _date(form.get(f"date_{raw}"), "scheduled_date")) for u, raw in units
        ],
        team=_team(form),
        off_day_reason=form.get("off_day_reason", ""),
        signer_name=form_text(form.get("signer_name"), "signer_name"),
        signer_title=form_text(form.get("signer_title"), "signer_title"),
    )


def _decision_form(form: FormMultiDict) -> TeamDecisionForm:
    typed = form_text(form.get("decided_on"), "decided_on").strip()
    if not typed:
        raise Invalid("Nhập ngày quyết định (dd/mm/yyyy).", field="decided_on")
    try:
        day = typed_day(typed)
    except ValueError:
        raise Invalid("Ngày quyết định phải theo dạng dd/mm/yyyy.", field="decided_on") from None
    return TeamDecisionForm(
        number=form_text(form.get("number"), "number"),
        decided_on=day,
        signer_name=form_text(form.get("signer_name"), "signer_name"),
        signer_title=form_text(form.get("signer_title"), "signer_title"),
    )


def _decision_values(recorded: TeamDecision) -> dict[str, list[str]]:
    """The recorded decision as the form's values (empty fields when none is)."""
    day = recorded.decided_on
    return {
        "number": [recorded.number or ""],
        "decided_on": [f"{day:%d/%m/%Y}" if day else ""],
        "signer_name": [recorded.signer_name],
        "signer_title": [recorded.signer_title],
    }


def _decision_page(recorded: TeamDecision, form: dict[str, Any], error: Invalid | None) -> Template:
    return Template(
        "plans/team_decision.html",
        context={"d": recorded, "form": form, "error": error, **LABELS},
        status_code=400 if error else 200,
    )


def _draw_form(form: FormMultiDict) -> DrawForm:
    return DrawForm(
        count=_int(form.get("count"), "count") or 0,
        scheduled_date=_date(form.get("scheduled_date"), "scheduled_date"),
        kind=form.get("kind", ""),
        topics=form.getall("topic", []),
        team=_team(form),
        off_day_reason=form.get("off_day_reason", ""),
    )


async def _plan_page(actor: Actor, form: dict[str, Any], error: Invalid | None) -> Template:
    units, people = await inspections.plan_choices(actor)
    return Template(
        "plans/new.html",
        context={"units": units, "people": people, "form": form, "error": error, **LABELS},
        status_code=400 if error else 200,
    )


async def _draw_page(actor: Actor, form: dict[str, Any], error: Invalid | None) -> Template:
    _, people = await inspections.plan_choices(actor)
    return Template(
        "plans/draw.html",
        context={
            "people": people,
            "draws": await surprise_draws.list_draws(actor),
            "surprises": await inspections.surprise_inspections(actor),
            "form": form,
            "error": error,
            **LABELS,
        },
        status_code=400 if error else 200,
    )


def _echo(form: FormMultiDict) -> dict[str, Any]:
    """What the user typed, to re-render the form next to the error message."""
    return {key: form.getall(key) for key in form}


class PlanPages(Controller):
    path = "/plans"
    include_in_schema = False
    guards = [requires_role(Role.TEAM_LEAD, Role.ADMIN)]  # noqa: RUF012

    @get("/", name="plans")
    async def list_plans(self, request: Request[Actor, Any, Any]) -> Template:
        plans = await inspections.list_plans(request.user)
        return Template("plans/list.html", context={"plans": plans, **LABELS})

    @get("/new", name="plan_new")
    async def new_plan(self, request: Request[Actor, Any, Any]) -> Template:
        today = clock.today()
        defaults = {"year": [str(today.year)], "quarter": [str((today.month - 1) // 3 + 1)]}
        return await _plan_page(request.user, defaults, None)

    @post("/", name="plan_create", status_code=303)
    async def create_plan(self, request: Request[Actor, Any, Any]) -> Template | Redirect:
        form = await request.form()
        try:
            plan_id = await inspections.create_plan(request.user, _plan_form(form))
        except Invalid as error:
            return await _plan_page(request.user, _echo(form), error)
        return Redirect(f"/plans/{plan_id}", status_code=303)

    @post("/team-check", name="plan_team_check")
    async def team_check(self, request: Request[Actor, Any, Any]) -> Template:
        """htmx: warn while the form is filled in when an inspector belongs to a unit."""
        form = await request.form()
        warnings = await inspections.team_conflicts(
            request.user,
            [u for u, _ in _ids(form, "unit")],
            [m.user_id for m in _team(form)],
        )
        return Template("plans/_warnings.html", context={"warnings": warnings})

    @get("/{plan_id:int}", name="plan")
    async def plan(self, request: Request[Actor, Any, Any], plan_id: FromPath[int]) -> Template:
        detail = await inspections.plan_detail(request.user, plan_id)
        return Template("plans/plan.html", context={"detail": detail, **LABELS})

    @get("/{plan_id:int}/plan.docx", name="plan_docx")
    async def plan_docx(
        self, request: Request[Actor, Any, Any], plan_id: FromPath[int]
    ) -> Response[bytes]:
        """Kế hoạch kiểm tra as .docx, for whoever may see the plan's page."""
        name, content = await plan_docx(request.user, plan_id)
        return Response(
            content,
            media_type=documents.media_type(name),
            headers={"Content-Disposition": documents.disposition(name)},
        )

    @post("/{plan_id:int}/signer", name="plan_signer", status_code=303)
    async def plan_signer(
        self, request: Request[Actor, Any, Any], plan_id: FromPath[int]
    ) -> Template | Redirect:
        form = await request.form()
        try:
            await inspections.set_plan_signer(
                request.user,
                plan_id,
                form_text(form.get("signer_name"), "signer_name"),
                form_text(form.get("signer_title"), "signer_title"),
            )
        except Invalid as error:
            detail = await inspections.plan_detail(request.user, plan_id)
            return Template(
                "plans/plan.html",
                context={"detail": detail, "form": _echo(form), "error": error, **LABELS},
                status_code=400,
            )
        return Redirect(f"/plans/{plan_id}", status_code=303)

    @get("/inspections/{inspection_id:int}/team-decision", name="team_decision")
    async def team_decision_page(
        self, request: Request[Actor, Any, Any], inspection_id: FromPath[int]
    ) -> Template:
        recorded = await team_decision.team_decision(request.user, inspection_id)
        return _decision_page(recorded, _decision_values(recorded), None)

    @post(
        "/inspections/{inspection_id:int}/team-decision",
        name="team_decision_save",
        status_code=303,
    )
    async def team_decision_save(
        self, request: Request[Actor, Any, Any], inspection_id: FromPath[int]
    ) -> Template | Redirect:
        form = await request.form()
        try:
            ref = await team_decision.record_team_decision(
                request.user, inspection_id, _decision_form(form)
            )
        except Invalid as error:
            recorded = await team_decision.team_decision(request.user, inspection_id)
            return _decision_page(recorded, _echo(form), error)
        plan_id = ref.plan_id
        return Redirect(f"/plans/{plan_id}" if plan_id else "/plans/draw", status_code=303)

    @get("/coverage", name="coverage")
    async def coverage(
        self,
        request: Request[Actor, Any, Any],
        year: FromQuery[int | None] = None,
        quarter: FromQuery[int | None] = None,
        days: FromQuery[int] = 180,
    ) -> Template:
        today = clock.today()
        report = await coverage.coverage(
            request.user, year or today.year, quarter or (today.month - 1) // 3 + 1, days
        )
        return Template("plans/coverage.html", context={"c": report})

    @get("/draw", name="draw")
    async def draw_page(self, request: Request[Actor, Any, Any]) -> Template:
        return await _draw_page(request.user, {}, None)

    @post("/draw", name="draw_create", status_code=303)
    async def draw(self, request: Request[Actor, Any, Any]) -> Template | Redirect:
        form = await request.form()
        try:
            await surprise_draws.draw_surprise(request.user, _draw_form(form))
        except Invalid as error:
            return await _draw_page(request.user, _echo(form), error)
        return Redirect("/plans/draw", status_code=303)
