"""A quarter of data for the workbook tests (Q1/2026 under NĐ 09/2019: 15/12/2025 –
14/03/2026): the review world's two submitted inspections (23/02/2026), people checked,
findings in every review state, dossiers resolved early, on time and late, one open."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from pathlib import Path

import pytest
from congvu.inspect.dossiers.tables import Dossier
from congvu.inspect.inspections.tables import AttendanceCheck, Inspection
from congvu.inspect.organisation.tables import Official
from congvu.inspect.review.tables import FindingReview
from congvu.inspect.settings import get_settings

from tests import builders
from tests.worlds import ReviewWorld

ZONE = get_settings().zone
DAY = date(2026, 2, 23)


def at(day: date, hour: int = 9) -> datetime:
    return datetime.combine(day, time(hour), ZONE)


@dataclass
class Quarter:
    rw: ReviewWorld
    media: Path
    injected: Official  # an official whose name starts with "=" (formula injection)


async def check_person(inspection: Inspection, official: Official | int) -> None:
    official_id = official if isinstance(official, int) else int(official.id)
    await AttendanceCheck(
        client_uuid=uuid.uuid4(),
        inspection=inspection.id,
        official=official_id,
        status="present",
        observed_at=at(inspection.scheduled_date, 8),
        verdict_status="ON_TIME",
        rule_id="working_hours",
        rule_version="2025.1",
        legal_basis="CT 05/2008/CT-TTg",
        explanation_vi="Có mặt",
        explanation_en="Present",
        created_at=datetime.now(UTC),
    ).save()


async def review(finding: int, outcome: str | None, follow_up: str | None = None) -> None:
    state = {"confirmed": "follow_up_decided", "dismissed": "dismissed"}.get(
        outcome or "", "notified"
    )
    await FindingReview(
        finding=finding,
        state=state,
        notified_at=at(DAY, 10),
        explanation_due=DAY + timedelta(days=7),
        window_rule_id="review",
        window_rule_version="2025.1",
        outcome=outcome,
        follow_up=follow_up,
        decided_at=at(DAY + timedelta(days=8)) if outcome else None,
        updated_at=datetime.now(UTC),
    ).save()


async def dossier(code: str, unit: int, status: str, finished: date | None) -> None:
    received = at(date(2026, 1, 5))
    await Dossier(
        code=code,
        procedure="Đăng ký khai sinh",
        unit=unit,
        received_at=received,
        due_at=at(date(2026, 1, 12)),
        finished_at=at(finished) if finished else None,
        status=status,
        updated_at=datetime.now(UTC),
    ).save()


@pytest.fixture
async def quarter(rw: ReviewWorld, tmp_path: Path) -> Quarter:
    world = rw.world
    injected = await builders.official(world.desk_a, "A009", '=HYPERLINK("http://x")')
    for official in (world.official_a, rw.deputy, injected):
        await check_person(rw.inspection_a, official)
    await check_person(rw.inspection_b, world.official_b)
    late = await rw.finding(world.official_a)
    await review(late, "confirmed", "REMIND")
    card = await rw.finding(rw.deputy, "NO_CARD")
    await review(card, "dismissed")
    await rw.finding(None, "NO_HOTLINE_POSTED")
    await rw.finding(injected, "NO_CARD")
    await rw.finding(world.official_b, "LATE_ARRIVAL", inspection=rw.inspection_b)
    # Outside the quarter (Q2/2026 starts 15/03/2026): never counted.
    await rw.finding(world.official_a, observed_at=at(date(2026, 3, 20)))
    desk, commune_b = int(world.desk_a.id), int(world.commune_b.id)
    await dossier("HS-1", desk, "early", date(2026, 1, 9))
    await dossier("HS-2", desk, "on_time", date(2026, 1, 12))
    await dossier("HS-3", desk, "late", date(2026, 1, 20))
    await dossier("HS-4", commune_b, "late", date(2026, 2, 2))
    await dossier("HS-5", commune_b, "overdue", None)
    await dossier("=cmd|' /C calc'!A0", commune_b, "on_time", date(2026, 1, 10))
    # Resolved before the quarter: not in it.
    await dossier("HS-OLD", desk, "on_time", date(2025, 12, 1))
    return Quarter(rw, tmp_path / "media", injected)
