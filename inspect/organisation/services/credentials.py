"""Changing a password (đổi mật khẩu): by the account's owner, who proves the current
one, or reset by an administrator from the command line. Either way the new password
meets the policy, every session opened before it ends, every remembered device is
forgotten, and the change is audited."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime

from congvu.inspect.actor import SYSTEM, Actor
from congvu.inspect.audit import api as audit
from congvu.inspect.db import atomic
from congvu.inspect.errors import Invalid, NotFound
from congvu.inspect.organisation.services import devices
from congvu.inspect.organisation.services import passwords as security
from congvu.inspect.organisation.services.accounts import password_stamp, session_actors
from congvu.inspect.organisation.tables import User
from congvu.inspect.settings import Settings


async def change_own_password(
    actor: Actor,
    current: str,
    new: str,
    confirmation: str,
    settings: Settings,
    ip: str | None = None,
) -> str:
    """Change the actor's own password; returns the stamp the actor's new session
    keeps (the other sessions of the account end). Invalid names the field at fault."""
    row = await User.select(User.password_hash).where(User.id == actor.id).first()
    if row is None:
        raise NotFound("Không tìm thấy tài khoản.")
    if not await asyncio.to_thread(security.verify_password, row["password_hash"], current):
        raise Invalid("Mật khẩu hiện tại không đúng.", field="current")
    if new != confirmation:
        raise Invalid("Mật khẩu nhập lại không khớp.", field="confirmation")
    if new == current:
        raise Invalid("Mật khẩu mới phải khác mật khẩu hiện tại.", field="new")
    return await set_password(
        actor.id,
        actor.username,
        new,
        settings,
        actor=actor,
        reason=f"{actor.display_name} đổi mật khẩu của mình; các phiên đăng nhập khác "
        "của tài khoản đã kết thúc.",
        ip=ip,
    )


async def reset_password(username: str, new: str, settings: Settings, actor: Actor = SYSTEM) -> str:
    """Set an account's password without the current one (an administrator, from the
    command line); every session of the account ends."""
    row = await User.select(User.id).where(User.username == username.strip()).first()
    if row is None:
        raise NotFound(f"Không tìm thấy tài khoản {username.strip()!r}.")
    return await set_password(
        row["id"],
        username.strip(),
        new,
        settings,
        actor=actor,
        reason=f"Quản trị đặt lại mật khẩu cho tài khoản {username.strip()}; mọi phiên "
        "đăng nhập của tài khoản đã kết thúc.",
    )


async def set_password(
    user_id: int,
    username: str,
    new: str,
    settings: Settings,
    *,
    actor: Actor,
    reason: str,
    ip: str | None = None,
) -> str:
    if problem := security.weakness(new, settings.password_min_length):
        raise Invalid(problem, field="new")
    password_hash = await asyncio.to_thread(security.hash_password, new)
    async with atomic():
        await User.update(
            {User.password_hash: password_hash, User.failed_logins: 0, User.locked_until: None}
        ).where(User.id == user_id)
        # A browser remembered under the old password must not skip the second factor.
        await devices.revoke_all(user_id)
        await audit.record(
            "password_changed",
            "account",
            user_id,
            actor=actor,
            after={"username": username, "at": datetime.now(UTC).isoformat()},
            reason=reason,
            ip=ip,
        )
    # This process's sessions of the account re-read it at once (and find the stamp
    # changed); other processes within SESSION_ACTOR_TTL.
    session_actors.forget(user_id)
    return password_stamp(password_hash)
