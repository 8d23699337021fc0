"""Quản lý tài khoản, for administrators: the list of accounts of their scope, creating
one (no password typed by the administrator: a one-time link is issued), disabling and
enabling one, changing its role and unit scope. Every change is audited with what it
was and what it became. An administrator cannot disable or demote themselves, nor
leave the system without an active administrator."""

from __future__ import annotations

import asyncio
import re
import secrets
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from congvu.inspect.actor import Actor, Role
from congvu.inspect.audit import api as audit
from congvu.inspect.db import atomic
from congvu.inspect.errors import Invalid, NotFound
from congvu.inspect.i18n import ROLE_LABELS, name_sort_key
from congvu.inspect.organisation.services import account_sessions, reset_links
from congvu.inspect.organisation.services import passwords as security
from congvu.inspect.organisation.services.accounts import USERNAME, session_actors
from congvu.inspect.organisation.tables import Official, SecondFactor, SignInPause, Unit, User
from congvu.inspect.web.sessions import SessionStore

PER_PAGE = 25
_EMAIL = re.compile(r"[^@\s]+@[^@\s]+\.[^@\s]+")


@dataclass(frozen=True)
class AccountRow:
    id: int
    username: str
    display_name: str
    role: str
    role_label: str
    unit_id: int | None
    unit_name: str | None
    official_id: int | None
    official_name: str | None
    email: str | None
    active: bool
    last_login_at: datetime | None
    second_factor: bool
    paused: bool


@dataclass(frozen=True)
class Filters:
    role: str = ""
    unit_id: int | None = None
    # "" all, "1" active only, "0" disabled only
    active: str = ""
    page: int = 1


@dataclass(frozen=True)
class AccountPage:
    rows: list[AccountRow]
    total: int
    page: int
    pages: int


@dataclass(frozen=True)
class AccountForm:
    """What the create and change forms send (ids chosen from lists)."""

    username: str = ""
    display_name: str = ""
    role: str = ""
    unit_id: int | None = None
    official_code: str = ""
    email: str = ""


_COLUMNS = (
    User.id,
    User.username,
    User.display_name,
    User.role,
    User.scope_unit.as_alias("unit_id"),
    User.scope_unit.name.as_alias("unit_name"),
    User.scope_unit.path.as_alias("unit_path"),
    User.official.as_alias("official_id"),
    User.official.full_name.as_alias("official_name"),
    User.email,
    User.active,
    User.last_login_at,
    User.locked_until,
)


def _in_scope(actor: Actor, unit_path: str | None) -> bool:
    """An account without a unit (a whole-system administrator) is only for an
    administrator of the whole system."""
    return actor.can_see_unit_path(unit_path) if unit_path else actor.scope_path == ""


async def _rows(actor: Actor, where: Any = None) -> list[AccountRow]:
    query = User.select(*_COLUMNS)
    if where is not None:
        query = query.where(where)
    rows = [r for r in await query if _in_scope(actor, r["unit_path"])]
    ids = [r["id"] for r in rows] or [0]
    enrolled = {
        r["account"]
        for r in await SecondFactor.select(SecondFactor.account).where(
            SecondFactor.account.is_in(ids), SecondFactor.confirmed_at.is_not_null()
        )
    }
    now = datetime.now(UTC)
    paused_names = {
        r["username"]
        for r in await SignInPause.select(SignInPause.username).where(
            SignInPause.paused_until > now
        )
    }
    return [
        AccountRow(
            id=r["id"],
            username=r["username"],
            display_name=r["display_name"],
            role=r["role"],
            role_label=ROLE_LABELS[Role(r["role"])],
            unit_id=r["unit_id"],
            unit_name=r["unit_name"],
            official_id=r["official_id"],
            official_name=r["official_name"],
            email=r["email"],
            active=r["active"],
            last_login_at=r["last_login_at"],
            second_factor=r["id"] in enrolled,
            paused=r["username"] in paused_names
            or (r["locked_until"] is not None and r["locked_until"] > now),
        )
        for r in rows
    ]


async def list_accounts(actor: Actor, filters: Filters) -> AccountPage:
    """The accounts of the actor's scope, sorted the Vietnamese way by given name."""
    conditions = []
    if filters.role in {r.value for r in Role}:
        conditions.append(User.role == filters.role)
    if filters.unit_id is not None:
        conditions.append(User.scope_unit == filters.unit_id)
    if filters.active in ("0", "1"):
        conditions.append(User.active == (filters.active == "1"))
    where: Any = None
    for condition in conditions:
        where = condition if where is None else where & condition
    rows = sorted(
        await _rows(actor, where), key=lambda r: (name_sort_key(r.display_name), r.username)
    )
    pages = max(1, -(-len(rows) // PER_PAGE))
    page = min(max(1, filters.page), pages)
    return AccountPage(rows[(page - 1) * PER_PAGE : page * PER_PAGE], len(rows), page, pages)


async def account(actor: Actor, account_id: int) -> AccountRow:
    """One account of the actor's scope; NotFound otherwise (as if it did not exist)."""
    rows = await _rows(actor, User.id == account_id)
    if not rows:
        raise NotFound("Không tìm thấy tài khoản.")
    return rows[0]


async def units_for(actor: Actor) -> list[tuple[int, str]]:
    """The units an account of this administrator may be scoped to, by name."""
    rows = await Unit.select(Unit.id, Unit.name).where(
        Unit.path.like(f"{actor.scope_path}%"), Unit.valid_to.is_null()
    )
    return sorted(((r["id"], r["name"]) for r in rows), key=lambda u: name_sort_key(u[1]))


async def _unit(actor: Actor, role: str, unit_id: int | None) -> int | None:
    if unit_id is None:
        if role != Role.ADMIN or actor.scope_path:
            raise Invalid("Chọn đơn vị phạm vi của tài khoản.", field="unit_id")
        return None
    row = await Unit.select(Unit.path).where(Unit.id == unit_id).first()
    if row is None or not actor.can_see_unit_path(row["path"]):
        raise Invalid("Không tìm thấy đơn vị đã chọn.", field="unit_id")
    return unit_id


def _role(role: str) -> str:
    if role not in {r.value for r in Role}:
        raise Invalid("Chọn vai trò của tài khoản.", field="role")
    return role


async def _official(actor: Actor, code: str) -> int | None:
    code = code.strip()
    if not code:
        return None
    row = (
        await Official.select(Official.id, Official.unit.path.as_alias("path"))
        .where(Official.code == code)
        .first()
    )
    if row is None or not actor.can_see_unit_path(row["path"]):
        raise Invalid(f"Không tìm thấy cán bộ có mã {code}.", field="official_code")
    return int(row["id"])


async def create(
    actor: Actor, form: AccountForm, ip: str | None = None
) -> tuple[User, reset_links.IssuedLink]:
    """A new account with no usable password, and the one-time link that sets it.
    Invalid names the field at fault."""
    username = form.username.strip()
    if not USERNAME.fullmatch(username):
        raise Invalid(
            "Tên đăng nhập gồm 1–64 chữ cái không dấu, số, dấu chấm, gạch dưới, gạch ngang.",
            field="username",
        )
    display_name = form.display_name.strip()
    if not display_name:
        raise Invalid("Nhập họ và tên.", field="display_name")
    role = _role(form.role)
    unit_id = await _unit(actor, role, form.unit_id)
    official_id = await _official(actor, form.official_code)
    email = form.email.strip() or None
    if email is not None and not _EMAIL.fullmatch(email):
        raise Invalid("Địa chỉ thư điện tử không hợp lệ.", field="email")
    if await User.exists().where(User.username == username):
        raise Invalid(f"Tên đăng nhập {username} đã có.", field="username")
    # Nobody knows this password: the account signs in once its link has been used.
    unusable = await asyncio.to_thread(security.hash_password, secrets.token_urlsafe(32))
    user = User(
        username=username,
        display_name=display_name,
        password_hash=unusable,
        role=role,
        scope_unit=unit_id,
        official=official_id,
        email=email,
        created_at=datetime.now(UTC),
    )
    async with atomic():
        await user.save()
        await audit.record(
            "account_created",
            "account",
            user.id,
            actor=actor,
            after={
                "username": username,
                "display_name": display_name,
                "role": role,
                "unit": unit_id,
                "official": official_id,
                "email": email,
            },
            reason=f"{actor.display_name} tạo tài khoản {username}.",
            ip=ip,
        )
    return user, await reset_links.issue(user.id, actor, ip)


async def _other_active_admins(user_id: int) -> int:
    return await User.count().where(
        User.role == Role.ADMIN, User.active.eq(True), User.id != user_id
    )


async def set_active(
    actor: Actor,
    account_id: int,
    active: bool,
    store: SessionStore | None,
    ip: str | None = None,
) -> AccountRow:
    """Disable (vô hiệu hóa) or enable an account. A disabled account cannot sign in
    and its sessions end now."""
    target = await account(actor, account_id)
    if not active and target.id == actor.id:
        raise Invalid("Không thể tự vô hiệu hóa tài khoản của mình.", field="active")
    if not active and target.role == Role.ADMIN and not await _other_active_admins(target.id):
        raise Invalid("Không thể vô hiệu hóa quản trị hệ thống cuối cùng.", field="active")
    if target.active == active:
        return target
    async with atomic():
        await User.update({User.active: active}).where(User.id == target.id)
        await audit.record(
            "account_enabled" if active else "account_disabled",
            "account",
            target.id,
            actor=actor,
            before={"active": target.active},
            after={"active": active},
            reason=f"{actor.display_name} "
            f"{'kích hoạt lại' if active else 'vô hiệu hóa'} tài khoản {target.username}.",
            ip=ip,
        )
    if not active:
        await account_sessions.end_all(store, target.id)
    session_actors.forget(target.id)
    return await account(actor, account_id)


async def change_rights(
    actor: Actor, account_id: int, role: str, unit_id: int | None, ip: str | None = None
) -> AccountRow:
    """Change an account's role and unit scope. Its open sessions are not ended: each
    reads the account again within ``SESSION_ACTOR_TTL`` (at once in this process), so
    the new rights apply from the next request."""
    target = await account(actor, account_id)
    role = _role(role)
    scope = await _unit(actor, role, unit_id)
    if target.id == actor.id and (role != target.role or scope != target.unit_id):
        raise Invalid("Không thể tự đổi vai trò hay phạm vi của mình.", field="role")
    if (
        target.role == Role.ADMIN
        and role != Role.ADMIN
        and target.active
        and not await _other_active_admins(target.id)
    ):
        raise Invalid("Không thể bỏ vai trò của quản trị hệ thống cuối cùng.", field="role")
    if role == target.role and scope == target.unit_id:
        return target
    async with atomic():
        await User.update({User.role: role, User.scope_unit: scope}).where(User.id == target.id)
        await audit.record(
            "account_rights_changed",
            "account",
            target.id,
            actor=actor,
            before={"role": target.role, "unit": target.unit_id},
            after={"role": role, "unit": scope},
            reason=f"{actor.display_name} đổi vai trò/phạm vi của tài khoản {target.username}.",
            ip=ip,
        )
    session_actors.forget(target.id)
    return await account(actor, account_id)
