"""Quản lý đơn vị và cán bộ (HTML pages), within the actor's unit scope.

Who may do what: the structure of the organisation (creating, renaming, merging units)
follows a decision of the province and is kept by administrators alone; the rosters of
officials (adding, editing, moving, ending service, importing a roster) are also the
work of cán bộ tổ chức (the personnel role), as the rating and discipline records they
keep rest on them. Form fields are read from the form itself, after the scope check,
so that a unit outside the actor's scope answers 404 whatever was sent.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from congvu.inspect.actor import Actor, Role
from congvu.inspect.errors import Invalid
from congvu.inspect.organisation.controllers.auth import request_info
from congvu.inspect.organisation.services import official_admin, unit_admin
from congvu.inspect.organisation.services import units as organisation
from congvu.inspect.text_input import typed_day
from congvu.inspect.web.guards import requires_role
from litestar import Controller, Request, get, post
from litestar.params import FromPath, FromQuery
from litestar.response import Redirect, Template

STRUCTURE_ROLES = (Role.ADMIN,)
ROSTER_ROLES = (Role.ADMIN, Role.PERSONNEL)

Form = dict[str, list[str]]


async def read_form(request: Request[Actor, Any, Any]) -> Form:
    form = await request.form()
    return {key: [str(v) for v in form.getall(key)] for key in form}


def text(form: Form, name: str) -> str:
    return (form.get(name) or [""])[0]


def day(form: Form, name: str, label: str) -> date:
    try:
        return typed_day(text(form, name))
    except ValueError:
        raise Invalid(f"{label} phải có dạng dd/mm/yyyy.", field=name) from None


def optional_day(form: Form, name: str, label: str) -> date | None:
    return day(form, name, label) if text(form, name).strip() else None


def number(form: Form, name: str, message: str) -> int:
    value = text(form, name).strip()
    if not value.isdigit() or len(value) > 9:
        raise Invalid(message, field=name)
    return int(value)


async def admin_page(
    request: Request[Actor, Any, Any],
    unit_id: int,
    *,
    error: str | None = None,
    done: str | None = None,
    accounts_moved: int | None = None,
    status: int = 200,
) -> Template:
    actor = request.user
    unit = await organisation.unit_in_scope(actor, unit_id)
    officials = await organisation.officials_of_unit(actor, unit_id)
    targets = [u for u in await organisation.visible_units(actor) if u.valid_to is None]
    structure = actor.has_role(*STRUCTURE_ROLES)
    return Template(
        "organisation/unit_admin.html",
        context={
            "unit": unit,
            "officials": officials,
            "targets": targets,
            "candidates": await unit_admin.merge_candidates(actor, unit) if structure else [],
            "former_names": await unit_admin.former_names(unit.id),
            "moves": await official_admin.moves_of_unit(actor, unit.id),
            "structure": structure,
            "error": error,
            "done": done,
            "accounts_moved": accounts_moved,
        },
        status_code=status,
    )


class UnitAdminPages(Controller):
    path = "/units"

    @get("/{unit_id:int}/admin", name="unit_admin", guards=[requires_role(*ROSTER_ROLES)])
    async def page(
        self,
        request: Request[Actor, Any, Any],
        unit_id: FromPath[int],
        done: FromQuery[str] = "",
        accounts: FromQuery[int | None] = None,
    ) -> Template:
        return await admin_page(request, unit_id, done=done or None, accounts_moved=accounts)

    @post(
        "/{unit_id:int}/sub-units",
        name="unit_create",
        guards=[requires_role(*STRUCTURE_ROLES)],
        status_code=303,
    )
    async def create(
        self, request: Request[Actor, Any, Any], unit_id: FromPath[int]
    ) -> Redirect | Template:
        await organisation.unit_in_scope(request.user, unit_id)
        form = await read_form(request)
        try:
            new_id = await unit_admin.create_sub_unit(
                request.user,
                unit_id,
                code=text(form, "code"),
                name=text(form, "name"),
                kind=text(form, "kind"),
                commune_type=text(form, "commune_type") or None,
                valid_from=optional_day(form, "valid_from", "Ngày bắt đầu hoạt động"),
                ip=request_info(request).ip,
            )
        except Invalid as refused:
            return await admin_page(request, unit_id, error=str(refused), status=400)
        return Redirect(f"/units/{new_id}/admin?done=created", status_code=303)

    @post(
        "/{unit_id:int}/rename",
        name="unit_rename",
        guards=[requires_role(*STRUCTURE_ROLES)],
        status_code=303,
    )
    async def rename(
        self, request: Request[Actor, Any, Any], unit_id: FromPath[int]
    ) -> Redirect | Template:
        await organisation.unit_in_scope(request.user, unit_id)
        form = await read_form(request)
        try:
            await unit_admin.rename_unit(
                request.user,
                unit_id,
                name=text(form, "name"),
                effective=day(form, "effective", "Ngày đổi tên"),
                ip=request_info(request).ip,
            )
        except Invalid as refused:
            return await admin_page(request, unit_id, error=str(refused), status=400)
        return Redirect(f"/units/{unit_id}/admin?done=renamed", status_code=303)

    @post(
        "/{unit_id:int}/merge",
        name="unit_merge",
        guards=[requires_role(*STRUCTURE_ROLES)],
        status_code=303,
    )
    async def merge(
        self, request: Request[Actor, Any, Any], unit_id: FromPath[int]
    ) -> Redirect | Template:
        """Sáp nhập the chosen units into this one."""
        await organisation.unit_in_scope(request.user, unit_id)
        form = await read_form(request)
        try:
            sources = [int(v) for v in form.get("sources", []) if v.isdigit() and len(v) <= 9]
            merged = await unit_admin.merge_units(
                request.user,
                unit_id,
                sources,
                effective=day(form, "effective", "Ngày sáp nhập"),
                ip=request_info(request).ip,
            )
        except Invalid as refused:
            return await admin_page(request, unit_id, error=str(refused), status=400)
        if merged.scheduled:
            return Redirect(f"/units/{unit_id}/admin?done=merge_scheduled", status_code=303)
        return Redirect(
            f"/units/{unit_id}/admin?done=merged&accounts={merged.accounts_moved}",
            status_code=303,
        )

    @post(
        "/{unit_id:int}/officials",
        name="official_add",
        guards=[requires_role(*ROSTER_ROLES)],
        status_code=303,
    )
    async def add_official(
        self, request: Request[Actor, Any, Any], unit_id: FromPath[int]
    ) -> Redirect | Template:
        await organisation.unit_in_scope(request.user, unit_id)
        form = await read_form(request)
        try:
            data = official_admin.checked(
                code=text(form, "code"),
                full_name=text(form, "full_name"),
                gender=text(form, "gender"),
                birth_date=optional_day(form, "birth_date", "Ngày sinh"),
                category=text(form, "category"),
                position=text(form, "position"),
                is_leader=text(form, "is_leader") == "on",
            )
            await official_admin.add_to_unit(
                request.user, unit_id, data, ip=request_info(request).ip
            )
        except Invalid as refused:
            return await admin_page(request, unit_id, error=str(refused), status=400)
        return Redirect(f"/units/{unit_id}/admin?done=added", status_code=303)

    @post(
        "/officials/{official_id:int}/edit",
        name="official_edit",
        guards=[requires_role(*ROSTER_ROLES)],
        status_code=303,
    )
    async def edit_official(
        self, request: Request[Actor, Any, Any], official_id: FromPath[int]
    ) -> Redirect | Template:
        row = await official_admin.official_row(request.user, official_id)
        form = await read_form(request)
        try:
            await official_admin.edit(
                request.user,
                official_id,
                position=text(form, "position"),
                category=text(form, "category"),
                is_leader=text(form, "is_leader") == "on",
                ip=request_info(request).ip,
            )
        except Invalid as refused:
            return await admin_page(request, row["unit"], error=str(refused), status=400)
        return Redirect(f"/units/{row['unit']}/admin?done=edited", status_code=303)

    @post(
        "/officials/{official_id:int}/move",
        name="official_move",
        guards=[requires_role(*ROSTER_ROLES)],
        status_code=303,
    )
    async def move_official(
        self, request: Request[Actor, Any, Any], official_id: FromPath[int]
    ) -> Redirect | Template:
        row = await official_admin.official_row(request.user, official_id)
        form = await read_form(request)
        try:
            await official_admin.move(
                request.user,
                official_id,
                to_unit_id=number(form, "to_unit", "Chưa chọn đơn vị chuyển đến."),
                effective=day(form, "effective", "Ngày điều động"),
                reason=text(form, "reason"),
                ip=request_info(request).ip,
            )
        except Invalid as refused:
            return await admin_page(request, row["unit"], error=str(refused), status=400)
        return Redirect(f"/units/{row['unit']}/admin?done=moved", status_code=303)

    @post(
        "/officials/{official_id:int}/deactivate",
        name="official_deactivate",
        guards=[requires_role(*ROSTER_ROLES)],
        status_code=303,
    )
    async def deactivate_official(
        self, request: Request[Actor, Any, Any], official_id: FromPath[int]
    ) -> Redirect | Template:
        row = await official_admin.official_row(request.user, official_id)
        form = await read_form(request)
        try:
            await official_admin.deactivate(
                request.user,
                official_id,
                effective=day(form, "effective", "Ngày thôi việc"),
                ip=request_info(request).ip,
            )
        except Invalid as refused:
            return await admin_page(request, row["unit"], error=str(refused), status=400)
        return Redirect(f"/units/{row['unit']}/admin?done=deactivated", status_code=303)
