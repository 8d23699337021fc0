"""Bản tổng hợp thông báo: each morning, one message per person instead of one per item.

A head may receive fifteen notifications at once after an inspection is submitted; the
notifications page groups them by day and kind, and the daily digest sends each person
who gave an address one mail listing what arrived unread since their last digest. The
digest row (one per person and day) is written before the mail goes and stamped when
the server took it, so a rerun of the cron never sends a day twice and a server that was
down is tried again at the next run the same day."""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import date, datetime

from congvu.inspect import clock, mail
from congvu.inspect.db import atomic
from congvu.inspect.i18n import format_date
from congvu.inspect.organisation import api as organisation
from congvu.inspect.review.services.notifications import kind_label
from congvu.inspect.review.tables import Notification, NotificationDigest
from congvu.inspect.settings import Settings

log = logging.getLogger(__name__)

# A digest lists at most this many lines per group; the page has the rest.
LINES_PER_KIND = 10


@dataclass(frozen=True)
class DigestRun:
    people: int  # digests written this run
    emailed: int  # mails the server accepted
    refused: int  # addresses the server refused
    failed: bool  # the server could not be reached: tried again at the next run


def digest_text(name: str, day: date, rows: list[dict[str, object]], public_url: str) -> str:
    """The mail's body: a greeting, the count per kind with the first lines of each, and
    where to read everything."""
    by_kind: dict[str, list[dict[str, object]]] = {}
    for row in rows:
        by_kind.setdefault(kind_label(str(row["kind"])), []).append(row)
    lines = [
        f"Kính gửi {name},",
        "",
        f"Tổng hợp thông báo chưa đọc đến ngày {format_date(day)}: {len(rows)} thông báo.",
    ]
    for label, items in sorted(by_kind.items(), key=lambda kv: (-len(kv[1]), kv[0])):
        lines += ["", f"{label} ({len(items)}):"]
        lines += [f"- {item['message']}" for item in items[:LINES_PER_KIND]]
        if len(items) > LINES_PER_KIND:
            lines.append(f"- … và {len(items) - LINES_PER_KIND} thông báo khác")
    lines += [
        "",
        f"Xem và đánh dấu đã đọc: {public_url.rstrip('/')}/notifications",
        "",
        "Thư này do hệ thống Kiểm tra công vụ gửi tự động; vui lòng không trả lời.",
        "Để thôi nhận thư, xoá địa chỉ thư điện tử tại trang Thông báo.",
    ]
    return "\n".join(lines)


async def send_daily_digests(settings: Settings, now: datetime | None = None) -> DigestRun:
    """One digest per person with an address and something unread since their last
    digest; nothing at all when no mail server is configured."""
    if settings.smtp_url is None:
        return DigestRun(0, 0, 0, False)
    now = now or clock.now()
    day = clock.local(now).date()
    unread = (
        await Notification.select(
            Notification.user,
            Notification.user.display_name,
            Notification.kind,
            Notification.message,
            Notification.created_at,
        )
        .where(Notification.read_at.is_null(), Notification.created_at <= now)
        .order_by(Notification.id)
    )
    addresses = await organisation.digest_addresses(sorted({r["user"] for r in unread}))
    # Since the last digest that reached the mail server: one that did not is sent again.
    last = {
        r["user"]: r["until"]
        for r in await NotificationDigest.select(NotificationDigest.user, NotificationDigest.until)
        .where(
            NotificationDigest.user.is_in(list(addresses) or [0]),
            NotificationDigest.emailed_at.is_not_null(),
        )
        .order_by(NotificationDigest.until)
    }
    pending: dict[int, list[dict[str, object]]] = {}
    for row in unread:
        user = row["user"]
        if user in addresses and (user not in last or row["created_at"] > last[user]):
            pending.setdefault(user, []).append(row)
    outgoing: list[tuple[str, mail.Mail]] = []
    written = 0
    for user, rows in pending.items():
        key = f"{user}:{day.isoformat()}"
        async with atomic():
            existing = (
                await NotificationDigest.select(NotificationDigest.emailed_at)
                .where(NotificationDigest.key == key)
                .first()
            )
            if existing is not None and existing["emailed_at"] is not None:
                continue  # today's digest went already; the rest waits for tomorrow
            if existing is None:
                await NotificationDigest.insert(
                    NotificationDigest(
                        key=key,
                        user=user,
                        day=day,
                        notices=len(rows),
                        since=last.get(user),
                        until=now,
                        created_at=now,
                    )
                )
                written += 1
        name = str(rows[0]["user.display_name"])
        subject = f"[Kiểm tra công vụ] {len(rows)} thông báo chưa đọc ({format_date(day)})"
        text = digest_text(name, day, rows, settings.public_url)
        outgoing.append((key, mail.Mail(addresses[user], subject, text)))
    try:
        refused = await mail.send(settings.smtp_url, settings.smtp_from, [m for _, m in outgoing])
    except OSError as error:  # includes smtplib.SMTPException
        log.warning("digest mail not sent: %s", error.__class__.__name__)
        return DigestRun(written, 0, 0, True)
    sent_keys = [key for key, m in outgoing if m.to not in refused]
    if sent_keys:
        async with atomic():
            await NotificationDigest.update({NotificationDigest.emailed_at: clock.now()}).where(
                NotificationDigest.key.is_in(sent_keys)
            )
    return DigestRun(written, len(sent_keys), len(refused), False)
