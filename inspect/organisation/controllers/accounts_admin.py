"""Quản lý tài khoản (administrators): the list of accounts, creating one with a
one-time password link, and on an account's page disabling/enabling it, changing its
role and unit scope, a new password link, resetting its second factor and ending its
sessions."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Annotated, Any

from congvu.inspect.actor import Actor, Role
from congvu.inspect.errors import Invalid
from congvu.inspect.i18n import ROLE_LABELS
from congvu.inspect.organisation.controllers.auth import request_info
from congvu.inspect.organisation.services import (
    account_admin,
    account_sessions,
    reset_links,
    second_factor,
)
from congvu.inspect.organisation.services.account_admin import AccountForm, Filters
from congvu.inspect.web import sessions
from congvu.inspect.web.guards import requires_role
from litestar import Controller, Request, get, post
from litestar.enums import RequestEncodingType
from litestar.params import Body, FromPath, FromQuery
from litestar.response import Redirect, Template

# What each notice of the account page says (the query names one, never free text).
NOTICES = {
    "disabled": "Đã vô hiệu hóa tài khoản; các phiên đăng nhập của tài khoản đã kết thúc.",
    "enabled": "Đã kích hoạt lại tài khoản.",
    "rights": "Đã đổi vai trò và phạm vi; quyền mới áp dụng từ yêu cầu tiếp theo.",
    "second_factor": "Đã đặt lại xác thực hai lớp; các phiên đăng nhập và thiết bị được "
    "ghi nhớ của tài khoản đã kết thúc.",
    "session": "Đã kết thúc phiên đăng nhập.",
    "sessions": "Đã kết thúc mọi phiên đăng nhập của tài khoản.",
}


@dataclass
class CreateForm:
    username: str = ""
    display_name: str = ""
    role: str = ""
    unit_id: str = ""
    official_code: str = ""
    email: str = ""


@dataclass
class RightsForm:
    role: str = ""
    unit_id: str = ""


@dataclass
class ActiveForm:
    active: str = ""


def _unit_id(text: str) -> int | None:
    return int(text) if text.strip().isdigit() else None


def _roles() -> list[tuple[str, str]]:
    return [(role.value, ROLE_LABELS[role]) for role in Role]


async def _form_page(
    request: Request[Actor, Any, Any], form: CreateForm, error: Invalid | None = None
) -> Template:
    return Template(
        "organisation/account_new.html",
        context={
            "form": form,
            "error": error,
            "roles": _roles(),
            "units": await account_admin.units_for(request.user),
        },
        status_code=400 if error else 200,
    )


async def _account_page(
    request: Request[Actor, Any, Any],
    account_id: int,
    *,
    notice: str = "",
    error: Invalid | None = None,
    rights: RightsForm | None = None,
    link: reset_links.IssuedLink | None = None,
) -> Template:
    account = await account_admin.account(request.user, account_id)
    store = sessions.store_of(request.app)
    return Template(
        "organisation/account.html",
        context={
            "account": account,
            "sessions": await account_sessions.sessions_of(
                store, account.id, request.cookies.get(sessions.SESSION_COOKIE)
            ),
            "notice": NOTICES.get(notice),
            "error": error,
            "rights": rights or RightsForm(account.role, str(account.unit_id or "")),
            "roles": _roles(),
            "units": await account_admin.units_for(request.user),
            "link": link,
            "base_url": str(request.base_url).rstrip("/"),
        },
        status_code=400 if error else 200,
    )


def _back(account_id: int, notice: str) -> Redirect:
    return Redirect(f"/accounts/{account_id}?notice={notice}", status_code=303)


class AccountAdminPages(Controller):
    path = "/accounts"
    guards = [requires_role(Role.ADMIN)]  # noqa: RUF012

    @get("/", name="accounts")
    async def accounts(
        self,
        request: Request[Actor, Any, Any],
        role: FromQuery[str] = "",
        unit: FromQuery[str] = "",
        active: FromQuery[str] = "",
        page: FromQuery[int] = 1,
    ) -> Template:
        filters = Filters(role=role, unit_id=_unit_id(unit), active=active, page=page)
        found = await account_admin.list_accounts(request.user, filters)
        return Template(
            "organisation/accounts.html",
            context={
                "found": found,
                "filters": filters,
                "roles": _roles(),
                "units": await account_admin.units_for(request.user),
            },
        )

    @get("/new", name="new_account")
    async def new(self, request: Request[Actor, Any, Any]) -> Template:
        return await _form_page(request, CreateForm())

    @post("/new", status_code=200, name="create_account")
    async def create(
        self,
        request: Request[Actor, Any, Any],
        data: Annotated[CreateForm, Body(media_type=RequestEncodingType.URL_ENCODED)],
    ) -> Template:
        """The account, then its one-time password link, shown once on this page."""
        form = AccountForm(
            username=data.username,
            display_name=data.display_name,
            role=data.role,
            unit_id=_unit_id(data.unit_id),
            official_code=data.official_code,
            email=data.email,
        )
        try:
            user, link = await account_admin.create(request.user, form, ip=request_info(request).ip)
        except Invalid as problem:
            return await _form_page(request, data, problem)
        return await _account_page(request, user.id, link=link)

    @get("/{account_id:int}", name="account")
    async def account(
        self,
        request: Request[Actor, Any, Any],
        account_id: FromPath[int],
        notice: FromQuery[str] = "",
    ) -> Template:
        return await _account_page(request, account_id, notice=notice)

    @post("/{account_id:int}/active", status_code=303, name="account_active")
    async def set_active(
        self,
        request: Request[Actor, Any, Any],
        account_id: FromPath[int],
        data: Annotated[ActiveForm, Body(media_type=RequestEncodingType.URL_ENCODED)],
    ) -> Template | Redirect:
        active = data.active == "1"
        try:
            await account_admin.set_active(
                request.user,
                account_id,
                active,
                sessions.store_of(request.app),
                ip=request_info(request).ip,
            )
        except Invalid as problem:
            return await _account_page(request, account_id, error=problem)
        return _back(account_id, "enabled" if active else "disabled")

    @post("/{account_id:int}/rights", status_code=303, name="account_rights")
    async def change_rights(
        self,
        request: Request[Actor, Any, Any],
        account_id: FromPath[int],
        data: Annotated[RightsForm, Body(media_type=RequestEncodingType.URL_ENCODED)],
    ) -> Template | Redirect:
        try:
            await account_admin.change_rights(
                request.user,
                account_id,
                data.role,
                _unit_id(data.unit_id),
                ip=request_info(request).ip,
            )
        except Invalid as problem:
            return await _account_page(request, account_id, error=problem, rights=data)
        return _back(account_id, "rights")

    @post("/{account_id:int}/password-link", status_code=200, name="account_password_link")
    async def password_link(
        self, request: Request[Actor, Any, Any], account_id: FromPath[int]
    ) -> Template:
        """A new one-time link (older ones stop working), shown once."""
        account = await account_admin.account(request.user, account_id)
        link = await reset_links.issue(account.id, request.user, ip=request_info(request).ip)
        return await _account_page(request, account.id, link=link)

    @post("/{account_id:int}/second-factor/reset", status_code=303, name="account_reset_2fa")
    async def reset_second_factor(
        self, request: Request[Actor, Any, Any], account_id: FromPath[int]
    ) -> Template | Redirect:
        """Another account's only: one's own second factor is not cleared by oneself
        (a stolen session could otherwise drop it)."""
        account = await account_admin.account(request.user, account_id)
        if account.id == request.user.id:
            problem = Invalid(
                "Không thể tự đặt lại xác thực hai lớp của mình.", field="second_factor"
            )
            return await _account_page(request, account.id, error=problem)
        await second_factor.reset(
            account.username,
            request.user,
            ip=request_info(request).ip,
            store=sessions.store_of(request.app),
        )
        return _back(account.id, "second_factor")

    @post("/{account_id:int}/sessions/{handle:str}/end", status_code=303, name="account_end")
    async def end_session(
        self, request: Request[Actor, Any, Any], account_id: FromPath[int], handle: FromPath[str]
    ) -> Redirect:
        account = await account_admin.account(request.user, account_id)
        await account_sessions.end_session(
            sessions.store_of(request.app),
            account.id,
            handle,
            request.user,
            ip=request_info(request).ip,
        )
        return _back(account.id, "session")

    @post("/{account_id:int}/sessions/end-all", status_code=303, name="account_end_all")
    async def end_all(
        self, request: Request[Actor, Any, Any], account_id: FromPath[int]
    ) -> Redirect:
        account = await account_admin.account(request.user, account_id)
        await account_sessions.end_every_session(
            sessions.store_of(request.app),
            account.id,
            request.user,
            keep=request.cookies.get(sessions.SESSION_COOKIE),
            ip=request_info(request).ip,
        )
        return _back(account.id, "sessions")
