"""Thông báo trong ứng dụng: what the review workflow and the reminder cron tell people.

Each notification has a ``key``; sending the same key twice stores it once, so a cron
that runs twice (arq may retry) never doubles a reminder. The page shows them grouped by
day and kind; by mail they go only as the daily digest (``digests``), off by default.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime

from congvu.inspect import clock
from congvu.inspect.actor import Actor
from congvu.inspect.db import atomic
from congvu.inspect.errors import NotFound
from congvu.inspect.review.tables import Notification

# What each kind of notification is about, as a digest names a group of them.
KIND_LABELS = {
    "finding_notified": "Phát hiện mới cần giải trình hoặc xem xét",
    "explanation_submitted": "Giải trình đã gửi, chờ xem xét",
    "finding_decided": "Phát hiện đã được xem xét",
    "explanation_due_soon": "Sắp hết hạn giải trình",
    "explanation_due_passed": "Đã hết hạn giải trình",
    "due_soon": "Sắp đến hạn",
    "due_passed": "Đã quá hạn",
    "review_overdue": "Quá hạn xem xét phát hiện",
    "dossier_review_overdue": "Quá hạn xem xét hồ sơ trễ hạn",
}
OTHER_KIND = "Thông báo khác"


def kind_label(kind: str) -> str:
    return KIND_LABELS.get(kind, OTHER_KIND)


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


async def mark_all_read(actor: Actor) -> int:
    """Đánh dấu đã đọc tất cả: every unread notification of the actor; returns how many."""
    async with atomic():
        count = await unread_count(actor)
        await Notification.update({Notification.read_at: datetime.now(UTC)}).where(
            Notification.user == actor.id, Notification.read_at.is_null()
        )
    return count


@dataclass(frozen=True)
class KindGroup:
    label: str
    items: list[NotificationView]

    @property
    def unread(self) -> int:
        return sum(not n.read for n in self.items)


@dataclass(frozen=True)
class DayGroup:
    day: date
    kinds: list[KindGroup]

    @property
    def count(self) -> int:
        return sum(len(k.items) for k in self.kinds)

    @property
    def unread(self) -> int:
        return sum(k.unread for k in self.kinds)


def by_day(rows: list[NotificationView]) -> list[DayGroup]:
    """The page's digest: notifications by local day (newest first), each day's by kind
    (the largest group first), so fifteen alike read as one line of fifteen."""
    days: dict[date, dict[str, list[NotificationView]]] = {}
    for row in rows:
        day = clock.local(row.created_at).date()
        days.setdefault(day, {}).setdefault(kind_label(row.kind), []).append(row)
    return [
        DayGroup(
            day,
            [
                KindGroup(label, items)
                for label, items in sorted(kinds.items(), key=lambda kv: (-len(kv[1]), kv[0]))
            ],
        )
        for day, kinds in sorted(days.items(), reverse=True)
    ]
