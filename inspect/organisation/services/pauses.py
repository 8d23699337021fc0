"""Sign-in pauses (tạm dừng đăng nhập): failed sign-ins counted per typed username,
known or not, in a window that decays; enough of them pause sign-in under that name
for a while, and an administrator may end a pause early (mở khóa)."""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import datetime, timedelta

from congvu.inspect.actor import Actor
from congvu.inspect.audit import api as audit
from congvu.inspect.db import atomic
from congvu.inspect.errors import NotFound
from congvu.inspect.organisation.tables import SignInPause, User
from congvu.inspect.settings import Settings

# A row is kept at least this long after its window and pause end, then swept.
_KEEP = timedelta(days=1)


def key_of(username: str) -> str:
    """What a pause is keyed by: the name as the login compares it."""
    return username.strip()[:64]


def minutes_left(until: datetime, now: datetime) -> int:
    """Whole minutes, rounded up: "1 minute" until the very end."""
    return max(1, math.ceil((until - now).total_seconds() / 60))


async def paused_until(username: str, now: datetime) -> datetime | None:
    """When sign-in under this name may resume, or None when it is not paused. A pause
    set on the account itself (before pauses were kept per name) counts too."""
    name = key_of(username)
    row = (
        await SignInPause.select(SignInPause.paused_until)
        .where(SignInPause.username == name)
        .first()
    )
    account = await User.select(User.locked_until).where(User.username == name).first()
    candidates: list[datetime | None] = [
        row["paused_until"] if row else None,
        account["locked_until"] if account else None,
    ]
    ends = [until for until in candidates if until is not None and until > now]
    return max(ends) if ends else None


async def count_failure(username: str, settings: Settings, now: datetime) -> datetime | None:
    """Count one failed sign-in; returns the end of the pause it starts, if it does.
    The count restarts once ``login_lockout_minutes`` have passed since the first
    failure of its window, so failures spread over days never add up to a pause.
    Called inside the caller's transaction."""
    name = key_of(username)
    window = timedelta(minutes=settings.login_lockout_minutes)
    await SignInPause.delete().where(
        SignInPause.window_start < now - window - _KEEP,
        (SignInPause.paused_until.is_null()) | (SignInPause.paused_until < now - _KEEP),
    )
    # Two first failures at once must not both insert: the second finds the first's row.
    await SignInPause.insert(SignInPause(username=name, failures=0, window_start=now)).on_conflict(
        target=SignInPause.username, action="DO NOTHING"
    )
    row = await SignInPause.objects().where(SignInPause.username == name).first()
    assert row is not None, "inserted or already there"
    if row.window_start <= now - window:
        row.failures, row.window_start = 0, now
    row.failures += 1
    pause: datetime | None = None
    if row.failures >= settings.login_max_failures:
        pause = now + window
        row.paused_until, row.failures, row.window_start = pause, 0, now
        await User.update({User.locked_until: pause, User.failed_logins: 0}).where(
            User.username == name
        )
    else:
        await User.update({User.failed_logins: row.failures}).where(User.username == name)
    await row.save()
    return pause


async def clear(username: str) -> None:
    """A successful sign-in forgets the failures before it."""
    await SignInPause.delete().where(SignInPause.username == key_of(username))


@dataclass(frozen=True)
class PausedAccount:
    id: int
    username: str
    display_name: str
    paused_until: datetime


async def paused_accounts(actor: Actor, now: datetime) -> list[PausedAccount]:
    """Accounts of the actor's scope whose sign-in is paused now, the longest pause
    first. Pauses of names no account has are not listed: there is nothing to unlock
    for them, and they end by themselves."""
    pauses = await SignInPause.select(SignInPause.username, SignInPause.paused_until).where(
        SignInPause.paused_until > now
    )
    ends = {row["username"]: row["paused_until"] for row in pauses}
    rows = await User.select(
        User.id,
        User.username,
        User.display_name,
        User.locked_until,
        User.scope_unit.path.as_alias("unit_path"),
    ).where((User.locked_until > now) | User.username.is_in([*ends, ""]))
    found = []
    for row in rows:
        if row["unit_path"] is not None and not actor.can_see_unit_path(row["unit_path"]):
            continue
        candidates = [ends.get(row["username"]), row["locked_until"]]
        until = max(t for t in candidates if t is not None)
        found.append(PausedAccount(row["id"], row["username"], row["display_name"], until))
    return sorted(found, key=lambda a: (-a.paused_until.timestamp(), a.username))


async def unlock(username: str, actor: Actor, now: datetime, ip: str | None = None) -> datetime:
    """End the pause of an account now (an administrator's decision, audited); returns
    the end the pause had. NotFound when no such account is paused."""
    name = key_of(username)
    until = await paused_until(name, now)
    user = (
        await User.select(User.id, User.scope_unit.path.as_alias("unit_path"))
        .where(User.username == name)
        .first()
    )
    outside = user is not None and (
        user["unit_path"] is not None and not actor.can_see_unit_path(user["unit_path"])
    )
    if user is None or until is None or outside:
        raise NotFound(f"Tài khoản {name!r} không bị tạm dừng đăng nhập.")
    async with atomic():
        await SignInPause.delete().where(SignInPause.username == name)
        await User.update({User.locked_until: None, User.failed_logins: 0}).where(
            User.id == user["id"]
        )
        await audit.record(
            "account_unlocked",
            "account",
            user["id"],
            actor=actor,
            before={"paused_until": until.isoformat()},
            reason=f"{actor.display_name} mở khóa đăng nhập cho tài khoản {name} "
            f"trước hạn (còn {minutes_left(until, now)} phút).",
            ip=ip,
        )
    return until
