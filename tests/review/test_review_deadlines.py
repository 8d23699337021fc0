"""Hạn xem xét stored: a late dossier's review deadline is read from ``review_deadline``
(by the day its fault arose), counted in working days across weekends and Tết, put right
by ``recompute_review_deadlines``; a finding's moves when its explanation comes in. The
dates below are counted by hand on the 2026 calendar (Tết Bính Ngọ: 16–20/02/2026 off,
with the weekends around it) and the review pack's window of 10 working days."""

from __future__ import annotations

from datetime import date, datetime, time

import pytest
from congvu.inspect.dossiers.tables import Dossier
from congvu.inspect.review import api as review
from congvu.inspect.review.api import Command
from congvu.inspect.review.services import queue as review_queue
from congvu.inspect.review.services.deadlines import FIRST_DAY, HORIZON
from congvu.inspect.review.services.queue_view import QueueFilters
from congvu.inspect.review.tables import FindingReview, ReviewDeadline
from congvu.inspect.settings import get_settings

from tests.worlds import MONDAY, ReviewWorld

pytestmark = pytest.mark.anyio

ZONE = get_settings().zone
NOW = datetime(2026, 3, 16, 9, 0, tzinfo=ZONE)  # a Monday
TODAY = NOW.date()

# Missed date (or receipt, when there is none) → hạn xem xét, counted by hand.
BY_HAND = {
    # Thu 12/02: Fri 13/02 is the 1st; 14–22/02 weekend, Tết, weekend; 23–27/02 the 2nd to
    # the 6th; 02–05/03 the 7th to the 10th.
    date(2026, 2, 12): date(2026, 3, 5),
    # Sat 14/02 (received, no return date): 23–27/02 the 1st to the 5th, 02–06/03 the 10th.
    date(2026, 2, 14): date(2026, 3, 6),
    # Fri 06/03: the weekend skipped, 09–13/03 and 16–20/03.
    date(2026, 3, 6): date(2026, 3, 20),
}


async def _flag(rw: ReviewWorld, code: str, day: date, *, received_only: bool = False) -> int:
    at = datetime.combine(day, time(17, 0), tzinfo=ZONE)
    dossier = Dossier(
        code=code,
        procedure="Chứng thực bản sao từ bản chính",
        sector="Chứng thực",
        unit=rw.world.desk_a.id,
        official=rw.world.official_a.id,
        official_name="",
        received_at=at if received_only else datetime(2026, 1, 26, 8, 0, tzinfo=ZONE),
        due_at=None if received_only else at,
        status="overdue",
        working_days_late=3,
        flags="OVERDUE_IN_PROGRESS",
        evaluated_on=TODAY,
        updated_at=MONDAY,
    )
    await dossier.save()
    return int(dossier.id)


async def _deadlines(rw: ReviewWorld) -> dict[tuple[str, int], date | None]:
    page = await review_queue.queue_page(
        await rw.actor("admin"), QueueFilters.parse(size="100"), now=NOW
    )
    return {(i.kind.value, i.id): i.deadline for i in page.items}


async def _flag_by_hand(rw: ReviewWorld) -> dict[tuple[str, int], date]:
    return {
        ("dossier", await _flag(rw, "TET-1", date(2026, 2, 12))): BY_HAND[date(2026, 2, 12)],
        (
            "dossier",
            await _flag(rw, "TET-2", date(2026, 2, 14), received_only=True),
        ): BY_HAND[date(2026, 2, 14)],
        ("dossier", await _flag(rw, "WEEKEND", date(2026, 3, 6))): BY_HAND[date(2026, 3, 6)],
    }


async def test_every_day_is_stored_with_its_deadline_across_tet_and_weekends() -> None:
    written = await review.recompute_review_deadlines(today=TODAY)
    assert written == (TODAY + HORIZON - FIRST_DAY).days + 1
    stored = {
        r["day"]: r["due"]
        for r in await ReviewDeadline.select(ReviewDeadline.day, ReviewDeadline.due).where(
            ReviewDeadline.day.is_in(list(BY_HAND))
        )
    }
    assert stored == BY_HAND
    first = await ReviewDeadline.select().where(ReviewDeadline.day == FIRST_DAY).first()
    assert first is not None and (first["rule_id"], first["rule_version"]) != ("", "")


async def test_a_flagged_dossier_shows_its_stored_deadline(rw: ReviewWorld) -> None:
    await review.recompute_review_deadlines(today=TODAY)
    expected = await _flag_by_hand(rw)
    assert await _deadlines(rw) == expected


async def test_without_a_stored_day_the_deadline_is_counted(rw: ReviewWorld) -> None:
    assert await ReviewDeadline.count() == 0
    expected = await _flag_by_hand(rw)
    assert await _deadlines(rw) == expected


async def test_the_queue_reads_the_table_and_a_recompute_puts_it_right(rw: ReviewWorld) -> None:
    await review.recompute_review_deadlines(today=TODAY)
    expected = await _flag_by_hand(rw)
    # As a calendar announcement leaves it until the recompute: 12/02 still counted the
    # old way (here, a date nobody would count).
    await ReviewDeadline.update({ReviewDeadline.due: date(2026, 4, 1)}).where(
        ReviewDeadline.day == date(2026, 2, 12)
    )
    stale = await _deadlines(rw)
    assert sorted(stale.values()) == [date(2026, 3, 6), date(2026, 3, 20), date(2026, 4, 1)]

    written = await review.recompute_review_deadlines(date(2026, 2, 1), today=TODAY)
    assert written == (TODAY + HORIZON - date(2026, 2, 1)).days + 1
    assert await ReviewDeadline.count() == (TODAY + HORIZON - FIRST_DAY).days + 1
    assert await _deadlines(rw) == expected


async def test_a_findings_deadline_moves_when_its_explanation_comes_in(rw: ReviewWorld) -> None:
    admin = await rw.actor("admin")
    finding = await rw.finding(rw.world.official_a, "LATE_ARRIVAL", inspection=rw.inspection_a)
    await review.transition(admin, finding, Command("notify"), now=MONDAY)
    # Notified Mon 02/03: 5 working days to explain, 03–06/03 and Mon 09/03.
    assert (await _deadlines(rw))[("finding", finding)] == date(2026, 3, 9)

    official = await rw.actor("official_a")
    explained_on = datetime(2026, 3, 4, 10, 0, tzinfo=ZONE)
    await review.transition(
        official, finding, Command("explain", explanation="Tắc đường."), now=explained_on
    )
    # Explained Wed 04/03: 10 working days to decide, 05–06/03, 09–13/03, 16–18/03.
    row = await FindingReview.select(FindingReview.review_due).first()
    assert row is not None and row["review_due"] == date(2026, 3, 18)
    assert (await _deadlines(rw))[("finding", finding)] == date(2026, 3, 18)
