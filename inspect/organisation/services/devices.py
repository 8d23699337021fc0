"""Remembered devices (ghi nhớ thiết bị): a browser that gave a right code may skip the
code for ``CONGVU_REMEMBER_DEVICE_DAYS``. It keeps a random token in a cookie; the
account keeps the token's hash, the browser's name and the last use, and may revoke it.
A password change, an administrator's reset and a new enrolment revoke them all."""

from __future__ import annotations

import hashlib
import secrets
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from congvu.inspect.actor import Actor
from congvu.inspect.audit import api as audit
from congvu.inspect.db import atomic
from congvu.inspect.errors import NotFound
from congvu.inspect.organisation.tables import RememberedDevice

COOKIE = "congvu_device"


@dataclass(frozen=True)
class DeviceView:
    id: int
    label: str
    created_at: datetime
    expires_at: datetime
    last_used_at: datetime | None


def _hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def label_of(user_agent: str) -> str:
    """A short name for the browser, from its User-Agent, for the account's list."""
    browser, system = browser_and_system(user_agent)
    return f"{browser} — {system}" if system else browser


def browser_and_system(user_agent: str) -> tuple[str, str]:
    """The browser's name and its system's ("" when unknown), from a User-Agent."""
    agent = user_agent or ""
    browser = next((name for key, name in _BROWSERS if key in agent), "Trình duyệt khác")
    system = next((name for key, name in _SYSTEMS if key in agent), "")
    return browser, system


_BROWSERS = (
    ("Edg/", "Edge"),
    ("Firefox/", "Firefox"),
    ("Chrome/", "Chrome"),
    ("Safari/", "Safari"),
)
_SYSTEMS = (
    ("Android", "Android"),
    ("iPhone", "iPhone"),
    ("iPad", "iPad"),
    ("Windows", "Windows"),
    ("Mac OS", "macOS"),
    ("Linux", "Linux"),
)


async def remember(actor: Actor, user_agent: str, days: int, ip: str | None = None) -> str:
    """Remember this browser for ``days``; returns the token for its cookie."""
    token = secrets.token_urlsafe(32)
    now = datetime.now(UTC)
    label = label_of(user_agent)
    async with atomic():
        device = RememberedDevice(
            account=actor.id,
            token_hash=_hash(token),
            label=label,
            created_at=now,
            expires_at=now + timedelta(days=days),
            last_used_at=now,
        )
        await device.save()
        await audit.record(
            "device_remembered",
            "account",
            actor.id,
            actor=actor,
            after={"device": device.id, "label": label, "days": days},
            ip=ip,
        )
    return token


async def recognised(user_id: int, token: str | None) -> bool:
    """Whether this cookie's token is a remembered device of the account, not expired;
    its last use becomes now."""
    if not token:
        return False
    now = datetime.now(UTC)
    used = (
        await RememberedDevice.update({RememberedDevice.last_used_at: now})
        .where(
            RememberedDevice.token_hash == _hash(token),
            RememberedDevice.account == user_id,
            RememberedDevice.expires_at > now,
        )
        .returning(RememberedDevice.id)
    )
    return bool(used)


async def of_account(user_id: int) -> list[DeviceView]:
    """The account's remembered devices still in force, the latest used first."""
    rows = (
        await RememberedDevice.select(
            RememberedDevice.id,
            RememberedDevice.label,
            RememberedDevice.created_at,
            RememberedDevice.expires_at,
            RememberedDevice.last_used_at,
        )
        .where(
            RememberedDevice.account == user_id,
            RememberedDevice.expires_at > datetime.now(UTC),
        )
        .order_by(RememberedDevice.id, ascending=False)
    )
    return [DeviceView(**row) for row in rows]


async def revoke(actor: Actor, device_id: int, ip: str | None = None) -> None:
    """Forget one of the actor's own devices; another account's is not found."""
    async with atomic():
        gone = (
            await RememberedDevice.delete()
            .where(RememberedDevice.id == device_id, RememberedDevice.account == actor.id)
            .returning(RememberedDevice.id)
        )
        if not gone:
            raise NotFound("Không tìm thấy thiết bị.")
        await audit.record(
            "device_revoked", "account", actor.id, actor=actor, after={"device": device_id}, ip=ip
        )


async def revoke_all(user_id: int) -> None:
    """Forget every device of the account (in the caller's transaction; the caller's
    own event says why)."""
    await RememberedDevice.delete().where(RememberedDevice.account == user_id)
