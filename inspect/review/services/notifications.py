"""Thông báo trong ứng dụng: what the review workflow and the reminder cron tell people.

Each notification has a ``key``; sending the same key twice stores it once, so a cron
that runs twice (arq may retry) never doubles a reminder. Email is off by default.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime

from congvu.inspect.actor import Actor
from congvu.inspect.db import atomic
from congvu.inspect.errors import NotFound
from congvu.inspect.review.tables import Notification


@dataclass(frozen=True)
class NotificationView:
    id: int
    kind: str
    message: str
    link: str
    created_at: datetime
    read: bool


async def send(user_ids: list[int], key: str, kind: str, message: str, link: str) -> int:
    """Store one notification per user (``key`` is suffixed with the user id); returns how
    many were new. Joins the caller's transaction when there is one."""
    sent = 0
    now = datetime.now(UTC)
    async with atomic():
        for user_id in dict.fromkeys(user_ids):
            user_key = f"{key}:u{user_id}"
            if await Notification.exists().where(Notification.key == user_key):
                continue
            await Notification.insert(
                Notification(
                    user=user_id,
                    key=user_key,
                    kind=kind,
                    message=message,
                    link=link,
                    created_at=now,
                )
            )
            sent += 1
    return sent


async def unread_count(actor: Actor) -> int:
    return await Notification.count().where(
        Notification.user == actor.id, Notification.read_at.is_null()
    )


async def list_for(actor: Actor, limit: int = 100) -> list[NotificationView]:
    rows = (
        await Notification.select()
        .where(Notification.user == actor.id)
        .order_by(Notification.id, ascending=False)
        .limit(limit)
    )
    return [
        NotificationView(
            id=r["id"],
            kind=r["kind"],
            message=r["message"],
            link=r["link"],
            created_at=r["created_at"],
            read=r["read_at"] is not None,
        )
        for r in rows
    ]


async def mark_read(actor: Actor, notification_id: int) -> str:
    """Marks one of the actor's notifications read; returns its link."""
    async with atomic():
        row = (
            await Notification.select(Notification.link, Notification.read_at)
            .where(Notification.id == notification_id, Notification.user == actor.id)
            .first()
        )
        if row is None:
            raise NotFound("Không tìm thấy thông báo.")
        if row["read_at"] is None:
            await Notification.update({Notification.read_at: datetime.now(UTC)}).where(
                Notification.id == notification_id
            )
    return str(row["link"])
