"""CONGVU_TIME_ZONE decides what "today" is: at 16:00 UTC it is already tomorrow in Tokyo
(UTC+9) but still today in Vietnam (UTC+7), so an organisation set to Tokyo imports
dossiers as of tomorrow and cannot draw a surprise inspection for today's Vietnam date."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, date, datetime
from pathlib import Path

import pytest
from congvu.inspect import clock
from congvu.inspect.actor import Actor
from congvu.inspect.dossiers.services.importing import ImportRequest, import_dossiers
from congvu.inspect.dossiers.tables import ImportBatch
from congvu.inspect.errors import Invalid
from congvu.inspect.inspections import api as inspections
from congvu.inspect.settings import get_settings

from tests.conftest import World
from tests.dossiers.conftest import HEADER, write

pytestmark = pytest.mark.anyio

# 10/03/2026 16:00 UTC: 23:00 on the 10th in Hà Nội, 01:00 on the 11th in Tokyo.
MOMENT = datetime(2026, 3, 10, 16, 0, tzinfo=UTC)
VIETNAM_DAY = date(2026, 3, 10)
TOKYO_DAY = date(2026, 3, 11)


@pytest.fixture
def tokyo(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    monkeypatch.setattr(clock, "now", lambda: MOMENT)
    monkeypatch.setenv("CONGVU_TIME_ZONE", "Asia/Tokyo")
    get_settings.cache_clear()
    yield
    monkeypatch.delenv("CONGVU_TIME_ZONE")
    get_settings.cache_clear()


def test_the_clock_follows_the_configured_zone(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(clock, "now", lambda: MOMENT)
    assert clock.today() == VIETNAM_DAY
    monkeypatch.setenv("CONGVU_TIME_ZONE", "Asia/Tokyo")
    get_settings.cache_clear()
    try:
        assert clock.today() == TOKYO_DAY
        assert clock.local_now().hour == 1
        assert clock.steady_zone().utcoffset(None) == MOMENT.astimezone(clock.zone()).utcoffset()
    finally:
        monkeypatch.delenv("CONGVU_TIME_ZONE")
        get_settings.cache_clear()


async def test_the_import_is_as_of_today_in_the_configured_zone(
    world: World, admin: Actor, tmp_path: Path, tokyo: None
) -> None:
    path = write(
        tmp_path,
        [HEADER, "T-1,Đăng ký khai sinh,Hộ tịch,P-A,,Trực tuyến,09/03/2026 09:00,12/03/2026,,,,,"],
    )
    summary = await import_dossiers(admin, ImportRequest(path=path, file_name=path.name))
    batch = await ImportBatch.select(ImportBatch.as_of, ImportBatch.exported_at).where(
        ImportBatch.id == summary["batch_id"]
    )
    assert batch[0]["as_of"] == TOKYO_DAY
    assert batch[0]["exported_at"] == MOMENT


async def test_a_surprise_draw_for_a_past_day_is_judged_in_the_configured_zone(
    world: World, admin: Actor, tokyo: None
) -> None:
    form = inspections.DrawForm(
        count=1,
        scheduled_date=VIETNAM_DAY,
        kind="SURPRISE_UNANNOUNCED",
        topics=["working_hours"],
        team=[],
    )
    with pytest.raises(Invalid) as raised:
        await inspections.draw_surprise(admin, form)
    assert raised.value.field == "scheduled_date"
