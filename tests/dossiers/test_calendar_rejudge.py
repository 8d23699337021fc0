"""An extra day off announced (Mon 09/03/2026) judges again exactly the stored dossiers
whose window touches it; withdrawing it restores them. Hand-computed: March 2026 has no
holiday; a return date without a time means that day's closing."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
from congvu.inspect import clock
from congvu.inspect.actor import Actor
from congvu.inspect.dossiers import api as dossiers
from congvu.inspect.organisation import api as organisation
from congvu.inspect.review import api as review
from congvu.inspect.review.services.deadlines import stored_deadlines
from congvu.jobs import tasks
from congvu.rules.calendar import default_calendar

from tests.dossiers.conftest import HEADER, run_import, stored, write
from tests.worlds import World

pytestmark = pytest.mark.anyio

AS_OF = date(2026, 3, 16)
OFF = date(2026, 3, 9)


def _row(code: str, received: str, due: str, finished: str = "") -> str:
    return f"{code},Đăng ký khai sinh,Hộ tịch,P-A,,Trực tiếp,{received},{due},{finished},,,,"


LINES = [
    HEADER,
    # Due Thu 05/03, done Tue 10/03: 06, 09, 10 → 3 late; with 09/03 off: 06, 10 → 2.
    _row("AFFECTED", "02/03/2026 08:00", "05/03/2026", "10/03/2026 10:00"),
    # Open on Mon 16/03: 06, 09–13, 16 → 7 overdue; with 09/03 off → 6.
    _row("OPEN", "02/03/2026 08:00", "05/03/2026"),
    # Done Fri 06/03, before the day off: not looked at (1 late either way).
    _row("DONE-BEFORE", "02/03/2026 08:00", "05/03/2026", "06/03/2026 10:00"),
    # Received Tue 10/03, after the day off: not looked at.
    _row("RECEIVED-AFTER", "10/03/2026 08:00", "12/03/2026", "13/03/2026 10:00"),
    # Its window holds 09/03 but it is early either way: looked at, unchanged.
    _row("EARLY", "02/03/2026 08:00", "12/03/2026", "11/03/2026 10:00"),
]


async def _late() -> dict[str, int]:
    codes = ("AFFECTED", "OPEN", "DONE-BEFORE", "RECEIVED-AFTER", "EARLY")
    return {c: (await stored(c))["working_days_late"] for c in codes}


async def test_the_rejudge_changes_exactly_the_affected_dossiers(
    world: World, admin: Actor, tmp_path: Path
) -> None:
    await run_import(admin, write(tmp_path, LINES), as_of=AS_OF)
    before = {"AFFECTED": 3, "OPEN": 7, "DONE-BEFORE": 1, "RECEIVED-AFTER": 1, "EARLY": 0}
    assert await _late() == before

    ident = await organisation.announce(
        admin,
        organisation.AnnouncementInput(
            OFF, organisation.AnnouncementKind.DAY_OFF, "15/TB-UBND", date(2026, 3, 2)
        ),
    )
    counts = await dossiers.rejudge_touching([OFF], AS_OF)
    assert (counts["scanned"], counts["changed"]) == (3, 2)
    assert await _late() == {**before, "AFFECTED": 2, "OPEN": 6}
    again = await dossiers.rejudge_touching([OFF], AS_OF)
    assert (again["scanned"], again["changed"]) == (3, 0)  # idempotent

    # The worker's task: the same service, as of today, and the review hook.
    # The review deadline of the day before the day off (stored, as the queue reads it)
    # moves one working day later.
    # The stored review deadline of the Friday before the day off was counted without
    # it; the task counts it again, one working day later.
    friday = date(2026, 3, 6)
    await organisation.withdraw(admin, ident, "Tạm rút để đếm hạn cũ")
    await organisation.refresh_calendar(force=True)
    await review.recompute_review_deadlines(today=clock.today())
    due_then = (await stored_deadlines([friday], clock.today()))[friday]
    ident = await organisation.announce(
        admin,
        organisation.AnnouncementInput(
            OFF, organisation.AnnouncementKind.DAY_OFF, "15/TB-UBND", date(2026, 3, 2)
        ),
    )
    result = await tasks.rejudge_after_calendar_change({}, 1, [OFF.isoformat()])
    assert result["scanned"] == 3 and result["review_deadline_days"] > 0
    moved = (await stored_deadlines([friday], clock.today()))[friday]
    assert moved == default_calendar().add_working_days(due_then, 1) > due_then
    assert tasks.calendar_rejudge_job_id(1) == "calendar-rejudge-1"

    await organisation.withdraw(admin, ident, "Nhập nhầm")
    restored = await dossiers.rejudge_touching([OFF], AS_OF)
    assert restored["scanned"] == 3
    assert await _late() == before
