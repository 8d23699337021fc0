"""Stored dossiers are judged with their own unit's office hours (in the season of receipt).

Exports carry the appointment date (ngày hẹn trả) without a time; it means the closing time
of that day (rules/dossiers.py), and closing time is the unit's own. Hand-computed: due
09/12/2026 (winter). Phường An Hòa (P-A) closes at 16:30 in winter → due 09/12/2026 16:30;
Phường Bình Minh (P-B) has no schedule (national default, QĐ 188/1999) → 17:00.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, time

import pandas as pd
import pytest
from congvu.inspect.actor import Actor
from congvu.inspect.dossiers.services import queries as dossiers
from congvu.inspect.dossiers.services.verdicts import evaluate_stored
from congvu.inspect.dossiers.tables import Dossier

from tests import builders
from tests.worlds import World

pytestmark = pytest.mark.anyio

RECEIVED = datetime(2026, 12, 1, 2, 0, tzinfo=UTC)  # 09:00 in Việt Nam
DUE = datetime(2026, 12, 8, 17, 0, tzinfo=UTC)  # 09/12/2026 00:00 in Việt Nam: a date


@pytest.fixture
async def two_dossiers(world: World) -> dict[str, int]:
    await builders.schedule(
        world.commune_a,
        "Mùa đông",
        season=("10-15", "04-14"),
        morning=(time(7, 30), time(12)),
        afternoon=(time(13), time(16, 30)),
    )
    await builders.schedule(world.commune_a, "Mùa hè")
    ids = {}
    for code, unit in (("HS-A", world.commune_a.id), ("HS-B", world.commune_b.id)):
        row = Dossier(
            code=code,
            procedure="Cấp bản sao trích lục hộ tịch",
            sector="Hộ tịch",
            unit=unit,
            received_at=RECEIVED,
            due_at=DUE,
            extension_count=0,
            status="in_progress",
            flags="",
            working_days_late=0,
            content_hash=0,
        )
        await row.save()
        ids[code] = row.id
    return ids


async def test_a_date_only_due_closes_at_the_units_own_hour(
    two_dossiers: dict[str, int],
) -> None:
    rows = await Dossier.select(
        Dossier.id,
        Dossier.unit,
        Dossier.received_at,
        Dossier.due_at,
        Dossier.finished_at,
        Dossier.returned_at,
        Dossier.apology_at,
        Dossier.extension_count,
    )
    verdicts = await evaluate_stored(pd.DataFrame(rows), None, date(2026, 12, 8))
    assert verdicts.loc[two_dossiers["HS-A"], "due_at"] == pd.Timestamp(2026, 12, 9, 16, 30)
    assert verdicts.loc[two_dossiers["HS-B"], "due_at"] == pd.Timestamp(2026, 12, 9, 17, 0)
    assert verdicts["status"].astype(str).tolist() == ["in_progress", "in_progress"]


async def test_the_detail_page_explains_with_the_same_hours(
    admin: Actor, two_dossiers: dict[str, int]
) -> None:
    a = await dossiers.dossier_detail(admin, two_dossiers["HS-A"], as_of=date(2026, 12, 8))
    b = await dossiers.dossier_detail(admin, two_dossiers["HS-B"], as_of=date(2026, 12, 8))
    assert "ngày hẹn trả theo phiếu hẹn: 09/12/2026 16:30" in a.explanation
    assert "ngày hẹn trả theo phiếu hẹn: 09/12/2026 17:00" in b.explanation
