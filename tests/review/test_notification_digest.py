"""The daily digest of notifications: one mail a day per person who gave an address,
through a real SMTP server on 127.0.0.1 (aiosmtpd); the page groups notifications by day
and kind and marks them all read at once."""

from __future__ import annotations

import dataclasses
import socket
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from email import message_from_bytes
from email.header import decode_header, make_header
from email.message import Message
from typing import Any

import pytest
from aiosmtpd.controller import Controller
from congvu.inspect.audit.tables import AuditEvent
from congvu.inspect.organisation import api as organisation
from congvu.inspect.organisation.tables import User
from congvu.inspect.review.services import digests, notifications
from congvu.inspect.review.tables import Notification, NotificationDigest
from congvu.inspect.settings import Settings, get_settings

from tests import builders
from tests.conftest import csrf, login
from tests.worlds import World

pytestmark = pytest.mark.anyio

NOW = datetime(2026, 12, 7, 0, 0, tzinfo=UTC)  # 07:00 in Vietnam, Monday 07/12/2026


class Inbox:
    def __init__(self) -> None:
        self.messages: list[Message] = []
        self.refuse: set[str] = set()

    async def handle_RCPT(
        self, server: Any, session: Any, envelope: Any, address: str, options: Any
    ) -> str:
        if address in self.refuse:
            return "550 no such mailbox"
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
        self.messages.append(message_from_bytes(envelope.original_content))
        return "250 Message accepted"


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@pytest.fixture
def smtp() -> Iterator[tuple[Inbox, int]]:
    inbox = Inbox()
    port = _free_port()
    controller = Controller(inbox, hostname="127.0.0.1", port=port)
    controller.start()
    try:
        yield inbox, port
    finally:
        controller.stop()


def _settings(port: int) -> Settings:
    return dataclasses.replace(get_settings(), smtp_url=f"smtp://127.0.0.1:{port}")


def _subject(message: Message) -> str:
    return str(make_header(decode_header(message["Subject"])))


def _body(message: Message) -> str:
    part = message.get_payload(decode=True)
    assert isinstance(part, bytes)
    return part.decode(message.get_content_charset() or "utf-8")


async def _notify(user: User, n: int, kind: str = "finding_notified", at: datetime = NOW) -> None:
    for i in range(n):
        await notifications.send(
            [user.id], f"test-{kind}-{at.isoformat()}-{i}", kind, f"Phát hiện số {i + 1}", "/"
        )
    await Notification.update({Notification.created_at: at - timedelta(hours=1)}).where(
        Notification.created_at > at - timedelta(hours=1)
    )


async def _address(world: World, username: str, address: str) -> None:
    await organisation.set_own_email(await builders.actor(world.users[username]), address)


async def test_one_mail_per_person_lists_the_unread_by_kind(
    world: World, smtp: tuple[Inbox, int]
) -> None:
    inbox, port = smtp
    head = world.users["head_a"]
    await _address(world, "head_a", "head.a@congvu.test")
    await _notify(head, 15)
    await _notify(head, 2, kind="explanation_submitted")
    await _notify(world.users["head_b"], 3)  # no address: no mail, no digest
    run = await digests.send_daily_digests(_settings(port), now=NOW)
    assert (run.people, run.emailed, run.refused, run.failed) == (1, 1, 0, False)
    (mail,) = inbox.messages
    assert mail["To"] == "head.a@congvu.test"
    assert _subject(mail) == "[Kiểm tra công vụ] 17 thông báo chưa đọc (07/12/2026)"
    body = _body(mail)
    assert "Tổng hợp thông báo chưa đọc đến ngày 07/12/2026: 17 thông báo." in body
    assert "Phát hiện mới cần giải trình hoặc xem xét (15):" in body
    assert "Giải trình đã gửi, chờ xem xét (2):" in body
    # Ten lines of a group at most; the page has the rest.
    assert "- … và 5 thông báo khác" in body
    rows = await NotificationDigest.select().where(NotificationDigest.user == head.id)
    assert len(rows) == 1 and rows[0]["notices"] == 17 and rows[0]["emailed_at"] is not None


async def test_a_day_is_sent_once_and_the_next_day_only_what_is_new(
    world: World, smtp: tuple[Inbox, int]
) -> None:
    inbox, port = smtp
    head = world.users["head_a"]
    await _address(world, "head_a", "head.a@congvu.test")
    await _notify(head, 2)
    await digests.send_daily_digests(_settings(port), now=NOW)
    await _notify(head, 1, kind="finding_decided", at=NOW + timedelta(hours=2))
    again = await digests.send_daily_digests(_settings(port), now=NOW + timedelta(hours=3))
    assert (again.people, again.emailed) == (0, 0)
    assert len(inbox.messages) == 1
    tomorrow = await digests.send_daily_digests(_settings(port), now=NOW + timedelta(days=1))
    assert (tomorrow.people, tomorrow.emailed) == (1, 1)
    assert _subject(inbox.messages[-1]).startswith("[Kiểm tra công vụ] 1 thông báo chưa đọc")
    assert "Phát hiện đã được xem xét (1):" in _body(inbox.messages[-1])


async def test_read_notifications_and_no_server_send_nothing(
    world: World, smtp: tuple[Inbox, int]
) -> None:
    inbox, port = smtp
    head = world.users["head_a"]
    await _address(world, "head_a", "head.a@congvu.test")
    await _notify(head, 3)
    off = await digests.send_daily_digests(get_settings(), now=NOW)
    assert off == digests.DigestRun(0, 0, 0, False)
    assert await NotificationDigest.count() == 0
    await notifications.mark_all_read(await builders.actor(world.users["head_a"]))
    run = await digests.send_daily_digests(_settings(port), now=NOW)
    assert run.people == 0 and inbox.messages == []


async def test_a_server_that_is_down_is_tried_again_the_same_day(
    world: World, smtp: tuple[Inbox, int]
) -> None:
    inbox, port = smtp
    await _address(world, "head_a", "head.a@congvu.test")
    await _notify(world.users["head_a"], 2)
    down = await digests.send_daily_digests(_settings(_free_port()), now=NOW)
    assert (down.people, down.emailed, down.failed) == (1, 0, True)
    later = await digests.send_daily_digests(_settings(port), now=NOW + timedelta(hours=3))
    assert (later.people, later.emailed, later.failed) == (0, 1, False)
    assert len(inbox.messages) == 1


async def test_a_refused_address_is_counted_and_the_others_go(
    world: World, smtp: tuple[Inbox, int]
) -> None:
    inbox, port = smtp
    inbox.refuse.add("nobody@congvu.test")
    await _address(world, "head_a", "head.a@congvu.test")
    await _address(world, "head_b", "nobody@congvu.test")
    await _notify(world.users["head_a"], 1)
    await _notify(world.users["head_b"], 1)
    run = await digests.send_daily_digests(_settings(port), now=NOW)
    assert (run.people, run.emailed, run.refused) == (2, 1, 1)
    assert [m["To"] for m in inbox.messages] == ["head.a@congvu.test"]


async def test_the_page_groups_by_kind_and_marks_all_read(client: Any, world: World) -> None:
    head = world.users["head_a"]
    await _notify(head, 15, at=datetime.now(UTC))
    await _notify(head, 2, kind="explanation_submitted", at=datetime.now(UTC))
    await login(client, "head_a")
    page = (await client.get("/notifications")).text
    assert "17 thông báo chưa đọc" in page
    assert "Phát hiện mới cần giải trình hoặc xem xét</strong> (15, 15 chưa đọc)" in page
    assert "Giải trình đã gửi, chờ xem xét</strong> (2, 2 chưa đọc)" in page
    done = await client.post("/notifications/read-all", headers=csrf(client))
    assert done.status_code == 303 and done.headers["location"] == "/notifications?done=read"
    assert await Notification.count().where(Notification.read_at.is_null()) == 0
    after = (await client.get("/notifications?done=read")).text
    assert "Đã đánh dấu đã đọc tất cả thông báo." in after
    assert "Đánh dấu đã đọc tất cả</button>" not in after


async def test_the_digest_address_is_set_on_the_page_and_audited(client: Any, world: World) -> None:
    await login(client, "head_a")
    wrong = await client.post(
        "/notifications/email", data={"email": "không phải địa chỉ"}, headers=csrf(client)
    )
    assert wrong.status_code == 400
    assert "Địa chỉ thư điện tử không hợp lệ." in wrong.text
    assert 'value="không phải địa chỉ"' in wrong.text  # what was typed is kept
    saved = await client.post(
        "/notifications/email", data={"email": " head.a@congvu.test "}, headers=csrf(client)
    )
    assert saved.status_code == 303
    row = await User.select(User.email).where(User.username == "head_a").first()
    assert row == {"email": "head.a@congvu.test"}
    event = (
        await AuditEvent.select(AuditEvent.after)
        .where(AuditEvent.action == "email_changed")
        .output(load_json=True)
        .first()
    )
    assert event == {"after": {"email": "head.a@congvu.test"}}
    cleared = await client.post("/notifications/email", data={"email": ""}, headers=csrf(client))
    assert cleared.status_code == 303
    assert await User.select(User.email).where(User.username == "head_a").first() == {"email": None}
