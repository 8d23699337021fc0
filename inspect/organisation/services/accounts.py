"""Accounts: login with lockout, account creation, the acting user of a session."""

from __future__ import annotations

import asyncio
import hashlib
import hmac
import logging
import re
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from congvu.inspect.actor import SESSION_REUSE_TTL, SYSTEM, Actor
from congvu.inspect.audit import api as audit
from congvu.inspect.db import atomic
from congvu.inspect.errors import Invalid
from congvu.inspect.organisation.services import passwords as security
from congvu.inspect.organisation.services import pauses
from congvu.inspect.organisation.tables import Official, Role, Unit, User
from congvu.inspect.settings import Settings, get_settings
from congvu.inspect.ttl_cache import TtlCache
from piccolo.columns import Column

log = logging.getLogger("congvu.accounts")

# ASCII only: usernames are typed on tablets with any keyboard layout.
USERNAME = re.compile(r"[A-Za-z0-9._-]{1,64}")


@dataclass(frozen=True)
class RequestInfo:
    ip: str | None = None
    request_id: str | None = None


# One round trip. Raw SQL: the same select with its join through Piccolo took ~4x the
# CPU (360 vs 100 µs).
_ACTOR_SQL = (
    "SELECT a.id, a.username, a.display_name, a.role, a.scope_unit, u.path AS scope_path,"
    " a.official, a.locale, a.active, a.password_hash"
    " FROM account a LEFT JOIN unit u ON u.id = a.scope_unit WHERE a.id = {}"
)


def password_stamp(password_hash: str) -> str:
    """What a session keeps of the password it was opened with: a new password (its
    hash has a new salt) ends every session opened before it."""
    return hashlib.sha256(password_hash.encode()).hexdigest()[:16]


async def actor_for(user_id: int, stamp: str | None = None) -> Actor | None:
    """The Actor of a session, or None when the account is gone or disabled, or, given
    the session's ``stamp``, when the password has changed since it was opened."""
    rows = await User.raw(_ACTOR_SQL, user_id)
    if not rows or not rows[0]["active"]:
        return None
    row = rows[0]
    if stamp is not None and not hmac.compare_digest(stamp, password_stamp(row["password_hash"])):
        return None
    return Actor(
        id=row["id"],
        username=row["username"],
        display_name=row["display_name"],
        role=Role(row["role"]),
        scope_path=row["scope_path"] or "",
        scope_unit_id=row["scope_unit"],
        official_id=row["official"],
        locale=row["locale"],
    )


# How long a session's actor is reused before its account is read again: the bound on
# how late a disabled account, a changed role or scope takes effect on a page. Capture
# writes do not wait for it: sync re-reads the account with the inspection's team.
SESSION_ACTOR_TTL = SESSION_REUSE_TTL


class SessionActors:
    """The actor of each signed-in session, reused for ``ttl`` seconds.

    Keyed by session id, so a new sign-in always reads the account afresh, and a
    sign-out ends the session in the store before this cache is ever asked. Changes
    made through this service (``set_locale``) are forgotten at once.
    """

    def __init__(
        self, ttl: float = SESSION_ACTOR_TTL, clock: Callable[[], float] = time.monotonic
    ) -> None:
        self.ttl = ttl
        self._recent: TtlCache[str, Actor] = TtlCache(ttl, clock)

    async def actor(self, session_id: str, user_id: int, stamp: str | None = None) -> Actor | None:
        cached = self._recent.get(session_id)
        if cached is not None and cached.id == user_id:
            return cached
        actor = await actor_for(user_id, stamp)
        if actor is None:
            self._recent.forget(session_id)
            return None
        self._recent.put(session_id, actor)
        return actor

    def forget(self, user_id: int) -> None:
        self._recent.forget_where(lambda actor: actor.id == user_id)


session_actors = SessionActors()


@dataclass(frozen=True)
class Refused:
    """A sign-in refused: wrong credentials (``paused_until`` None), or sign-in under
    this name is paused until then, whatever the password."""

    paused_until: datetime | None = None


async def authenticate(
    username: str, password: str, settings: Settings, info: RequestInfo
) -> Actor | Refused:
    """Check a login. A wrong password, an unknown user and a disabled account look the
    same to the caller; each failure counts toward a pause of sign-in under the typed
    name, and a paused name is answered alike whether an account has it or not."""
    now = datetime.now(UTC)
    name = pauses.key_of(username)
    user = await User.objects().where(User.username == name).first()
    paused = await pauses.paused_until(name, now)
    if paused is not None:
        # No password check while paused: a guess could not succeed, and argon2's cost
        # is what a flood would be spending.
        await audit.record(
            "login_failed",
            "account",
            user.id if user else "-",
            actor_username=username[:64],
            after={"locked": True},
            request_id=info.request_id,
            ip=info.ip,
        )
        _log_failure(user, locked=True, ip=info.ip)
        return Refused(paused)
    # Always verify, even for unknown users, so timing does not reveal accounts.
    # argon2 is deliberately slow: keep it off the event loop.
    password_ok = await asyncio.to_thread(
        security.verify_password, user.password_hash if user else None, password
    )
    if user is None or not user.active or not password_ok:
        async with atomic():
            pause = await pauses.count_failure(name, settings, now)
            await audit.record(
                "login_failed",
                "account",
                user.id if user else "-",
                actor_username=username[:64],
                after={"locked": False},
                request_id=info.request_id,
                ip=info.ip,
            )
            if pause is not None:
                await audit.record(
                    "account_locked",
                    "account",
                    user.id if user else "-",
                    actor_username=username[:64],
                    after={"paused_until": pause.isoformat()},
                    reason=f"Tạm dừng đăng nhập {settings.login_lockout_minutes} phút sau "
                    f"{settings.login_max_failures} lần đăng nhập sai liên tiếp.",
                    request_id=info.request_id,
                    ip=info.ip,
                )
        _log_failure(user, locked=False, ip=info.ip)
        if pause is not None:
            log.warning(
                "account locked",
                extra={
                    "account_id": user.id if user else None,
                    "ip": info.ip,
                    "failures": settings.login_max_failures,
                    "minutes": settings.login_lockout_minutes,
                },
            )
        return Refused(pause)
    async with atomic():
        await pauses.clear(name)
        success: dict[Column | str, Any] = {
            User.failed_logins: 0,
            User.locked_until: None,
            User.last_login_at: now,
        }
        if security.needs_rehash(user.password_hash):
            success[User.password_hash] = security.hash_password(password)
        await User.update(success).where(User.id == user.id)
        await audit.record(
            "login",
            "account",
            user.id,
            actor_username=user.username,
            request_id=info.request_id,
            ip=info.ip,
        )
    actor = await actor_for(user.id)
    return actor if actor is not None else Refused()


async def session_data(actor: Actor) -> dict[str, Any]:
    """What a new session stores: the account, and the stamp of its password."""
    row = await User.select(User.password_hash).where(User.id == actor.id).first()
    return {"user_id": actor.id, "stamp": password_stamp(row["password_hash"] if row else "")}


def _log_failure(user: User | None, *, locked: bool, ip: str | None) -> None:
    """A failed login for the operator: the account's id when there is one, never the
    typed password, and not the typed username either. An unknown username is often a
    password typed into the wrong field, or a person's name; the audit trail keeps what
    was typed for those allowed to read it, and the IP is what a flood shows by."""
    if user is None:
        reason = "unknown account"
    elif not user.active:
        reason = "account disabled"
    elif locked:
        reason = "account locked"
    else:
        reason = "wrong password"
    log.info(
        "login failed",
        extra={"account_id": user.id if user else None, "ip": ip, "reason": reason},
    )


async def create_user(
    *,
    username: str,
    password: str,
    role: str,
    unit_code: str | None,
    display_name: str,
    official_code: str | None = None,
    locale: str = "vi",
    actor: Actor = SYSTEM,
) -> User:
    username = username.strip()
    if not USERNAME.fullmatch(username):
        raise Invalid(
            "Tên đăng nhập gồm 1–64 chữ cái không dấu, số, dấu chấm, gạch dưới, gạch ngang.",
            field="username",
        )
    if role not in {r.value for r in Role}:
        raise Invalid(
            f"Vai trò không hợp lệ: {role!r} (hợp lệ: {', '.join(r.value for r in Role)})",
            field="role",
        )
    if problem := security.weakness(password, get_settings().password_min_length):
        raise Invalid(problem, field="password")
    scope_unit_id: int | None = None
    if unit_code is not None:
        unit = await Unit.select(Unit.id).where(Unit.code == unit_code).first()
        if unit is None:
            raise Invalid(f"Không tìm thấy đơn vị có mã {unit_code!r}.", field="unit")
        scope_unit_id = unit["id"]
    elif role != Role.ADMIN:
        raise Invalid("Tài khoản không phải quản trị phải gắn với một đơn vị.", field="unit")
    official_id: int | None = None
    if official_code is not None:
        official = await Official.select(Official.id).where(Official.code == official_code).first()
        if official is None:
            raise Invalid(f"Không tìm thấy cán bộ có mã {official_code!r}.", field="official")
        official_id = official["id"]
    if await User.exists().where(User.username == username):
        raise Invalid(f"Tên đăng nhập {username!r} đã tồn tại.", field="username")
    user = User(
        username=username,
        display_name=display_name,
        password_hash=await asyncio.to_thread(security.hash_password, password),
        role=role,
        scope_unit=scope_unit_id,
        official=official_id,
        locale=locale,
        created_at=datetime.now(UTC),
    )
    async with atomic():
        await user.save()
        await audit.record(
            "account_created",
            "account",
            user.id,
            actor=actor,
            after={"username": username, "role": role, "unit": unit_code},
        )
    return user


async def set_locale(user_id: int, locale: str) -> None:
    async with atomic():
        await User.update({User.locale: locale}).where(User.id == user_id)
    session_actors.forget(user_id)
