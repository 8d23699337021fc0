"""Nhắc hạn kỷ luật: the daily cron tells the personnel office N working days before the
next step's deadline and once when it has passed; run twice, it sends nothing new. Dates on
the 2026 calendar: Tết 16-20/02/2026 is not a working day."""

from __future__ import annotations

from typing import Any

import pytest
from congvu.inspect import clock
from congvu.inspect.discipline import api as discipline
from congvu.inspect.discipline.api import OpenCase
from congvu.inspect.review.tables import Notification
from congvu.jobs import tasks, worker

from tests.discipline.conftest import D, DisciplineWorld

pytestmark = pytest.mark.anyio


async def notes(dw: DisciplineWorld) -> list[dict[str, Any]]:
    return (
        await Notification.select(Notification.kind, Notification.message)
        .where(Notification.user == dw.personnel.id)
        .order_by(Notification.id)
    )


async def test_due_soon_then_overdue_once_each(dw: DisciplineWorld) -> None:
    case = await discipline.open_case(
        dw.personnel,
        OpenCase(
            official_id=dw.rw.world.official_a.id,
            description="Đi muộn nhiều lần",
            violation_on=D(2026, 2, 2),
        ),
        today=D(2026, 2, 10),
    )
    await discipline.hold_review_meeting(
        dw.personnel, case, D(2026, 2, 12), "Biên bản", today=D(2026, 2, 12)
    )
    # The report is due 3 working days after Thursday 12/02: Friday 13/02, then Tết, then
    # Monday 23/02 and Tuesday 24/02. One working day ahead means Monday 23/02, not the
    # Friday before Tết, eleven calendar days earlier.
    for day in (D(2026, 2, 12), D(2026, 2, 13), D(2026, 2, 21)):
        assert await discipline.remind_step_deadlines(day, 1) == {"due_soon": 0, "overdue": 0}
    assert await discipline.remind_step_deadlines(D(2026, 2, 23), 1) == {
        "due_soon": 1,
        "overdue": 0,
    }
    assert await discipline.remind_step_deadlines(D(2026, 2, 24), 1) == {
        "due_soon": 0,
        "overdue": 0,
    }
    assert await discipline.remind_step_deadlines(D(2026, 2, 25), 1) == {
        "due_soon": 0,
        "overdue": 1,
    }
    assert await discipline.remind_step_deadlines(D(2026, 2, 26), 1) == {
        "due_soon": 0,
        "overdue": 0,
    }
    sent = await notes(dw)
    assert [n["kind"] for n in sent] == ["discipline_due_soon", "discipline_overdue"]
    assert sent[0]["message"] == (
        "Sắp đến hạn bước «gửi báo cáo, biên bản họp kiểm điểm» của hồ sơ kỷ luật "
        "Nguyễn Thị Lan (Trung tâm PVHCC phường An Hòa): hạn 24/02/2026."
    )
    assert sent[1]["message"].startswith("Quá hạn bước «gửi báo cáo")
    # Other people get nothing: the subject is not the personnel office.
    assert not await Notification.exists().where(Notification.user == dw.subject.id)


async def test_the_cron_is_daily_unique_and_uses_the_setting(
    dw: DisciplineWorld, monkeypatch: pytest.MonkeyPatch
) -> None:
    cron = next(
        c for c in worker.WorkerSettings.cron_jobs if c.name == "remind_discipline_deadlines"
    )
    assert cron.unique and cron.hour == 1 and cron.minute == 10
    case = await discipline.open_case(
        dw.personnel,
        OpenCase(
            official_id=dw.rw.world.official_a.id,
            description="Đi muộn nhiều lần",
            violation_on=D(2026, 3, 2),
        ),
        today=D(2026, 3, 5),
    )
    await discipline.hold_review_meeting(
        dw.personnel, case, D(2026, 3, 9), "Biên bản", today=D(2026, 3, 9)
    )
    # Due 12/03; the default 3 working days ahead reaches it on Monday 09/03.
    monkeypatch.setattr(clock, "today", lambda: D(2026, 3, 9))
    assert await tasks.remind_discipline_deadlines({}) == {"due_soon": 1, "overdue": 0}
    assert await tasks.remind_discipline_deadlines({}) == {"due_soon": 0, "overdue": 0}
