"""Calendar announcements an administrator records (rules/README.md, "Working-day
calendar"): versioned, audited, installed in every process, withdrawn to restore the
calendar. March 2026 has no holiday."""

from __future__ import annotations

import json
from datetime import date, datetime

import pytest
from congvu.inspect.actor import Actor
from congvu.inspect.audit.tables import AuditEvent
from congvu.inspect.errors import Forbidden, Invalid, NotFound
from congvu.inspect.organisation import api as organisation
from congvu.inspect.organisation.api import AnnouncementInput, AnnouncementKind
from congvu.rules.calendar import default_calendar, shipped_calendar
from congvu.rules.dossiers import compute_due

from tests.worlds import World

pytestmark = pytest.mark.anyio

MONDAY = date(2026, 3, 9)
DAY_OFF = AnnouncementInput(
    MONDAY, AnnouncementKind.DAY_OFF, "123/TB-VPCP", date(2026, 3, 2), note="Nghỉ thêm"
)


def due() -> datetime:
    # Received Fri 06/03/2026 10:00, 3 working days: 09, 10, 11/03 → Wed 11/03 10:00.
    return compute_due(datetime(2026, 3, 6, 10), 3)


async def _admin(world: World) -> Actor:
    actor = await organisation.actor_for(world.users["admin"].id)
    assert actor is not None
    return actor


async def test_an_extra_day_off_moves_a_deadline_and_withdrawing_restores_it(
    world: World,
) -> None:
    admin = await _admin(world)
    assert due() == datetime(2026, 3, 11, 10)
    ident = await organisation.announce(admin, DAY_OFF)
    # Mon 09/03 off: 10, 11, 12/03 → Thu 12/03 10:00.
    assert due() == datetime(2026, 3, 12, 10)
    assert default_calendar().version == shipped_calendar().version + "+announcements.1"
    assert default_calendar().holiday_name(MONDAY) == "Nghỉ theo 123/TB-VPCP ngày 02/03/2026"

    swap = AnnouncementInput(
        date(2026, 3, 13),
        AnnouncementKind.SWAP,
        "124/TB-VPCP",
        date(2026, 3, 2),
        swapped_day=date(2026, 3, 21),
    )
    await organisation.announce(admin, swap)
    cal = default_calendar()
    assert not cal.is_working_day(date(2026, 3, 13)) and cal.is_working_day(date(2026, 3, 21))
    assert cal.version.endswith("+announcements.2")

    await organisation.withdraw(admin, ident, "Văn bản bị thay thế")
    assert due() == datetime(2026, 3, 11, 10)
    assert default_calendar().version.endswith("+announcements.3")
    listed = await organisation.announcements(2026)
    assert [(a.kind_label, a.withdrawn_at is not None) for a in listed] == [
        ("Nghỉ thêm", True),
        ("Hoán đổi ngày làm việc", False),
    ]
    with pytest.raises(NotFound):
        await organisation.withdraw(admin, ident, "lần nữa")
    events = (
        await AuditEvent.select(AuditEvent.action, AuditEvent.after)
        .where(AuditEvent.object_type == "calendar_announcement")
        .order_by(AuditEvent.id)
    )
    afters = [json.loads(e["after"]) if isinstance(e["after"], str) else e["after"] for e in events]
    assert [(e["action"], a["revision"]) for e, a in zip(events, afters, strict=True)] == [
        ("calendar_announced", 1),
        ("calendar_announced", 2),
        ("calendar_announcement_withdrawn", 3),
    ]


async def test_another_process_picks_the_change_up_from_the_database(world: World) -> None:
    admin = await _admin(world)
    await organisation.announce(admin, DAY_OFF)
    organisation.forget_calendar()  # what a process that has not seen it yet holds
    assert due() == datetime(2026, 3, 11, 10)
    await organisation.refresh_calendar()
    assert due() == datetime(2026, 3, 12, 10)
    # Within the re-check bound a process does not ask the database again.
    assert (await organisation.refresh_calendar()).version.endswith("+announcements.1")


async def test_only_an_administrator_and_only_what_the_calendar_can_take(
    world: World,
) -> None:
    head = await organisation.actor_for(world.users["head_a"].id)
    assert head is not None
    with pytest.raises(Forbidden):
        await organisation.announce(head, DAY_OFF)
    admin = await _admin(world)
    refused = [
        (AnnouncementInput(MONDAY, AnnouncementKind.CANCEL_HOLIDAY, "1/TB", MONDAY), "đã là"),
        (
            AnnouncementInput(
                MONDAY, AnnouncementKind.SWAP, "1/TB", MONDAY, swapped_day=date(2026, 3, 10)
            ),
            "thứ Bảy hoặc Chủ nhật",
        ),
        (AnnouncementInput(MONDAY, AnnouncementKind.SWAP, "1/TB", MONDAY), "ngày làm bù"),
        (
            AnnouncementInput(
                MONDAY, AnnouncementKind.DAY_OFF, "1/TB", MONDAY, swapped_day=date(2026, 3, 14)
            ),
            "Chỉ hoán đổi",
        ),
        (AnnouncementInput(MONDAY, AnnouncementKind.DAY_OFF, " ", MONDAY), "số văn bản"),
    ]
    for given, message in refused:
        with pytest.raises(Invalid, match=message):
            await organisation.announce(admin, given)
    with pytest.raises(Invalid, match="lý do"):
        await organisation.withdraw(admin, 1, " ")
    # 30/04/2026 is a holiday: cancelling it makes it a working day.
    await organisation.announce(
        admin, AnnouncementInput(date(2026, 4, 30), AnnouncementKind.CANCEL_HOLIDAY, "2/TB", MONDAY)
    )
    assert default_calendar().is_working_day(date(2026, 4, 30))
    assert await organisation.calendar_revision() == 1
