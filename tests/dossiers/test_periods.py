"""Reporting periods on the dossier pages: NĐ 09/2019 Điều 12 by default (a quarter from the
15th of the month before it to the 14th of its last month), calendar quarters when the
organisation chooses them (CONGVU_REPORT_PERIODS)."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date
from pathlib import Path

import pytest
from congvu.inspect.actor import Actor
from congvu.inspect.dossiers.services import queries as dossiers
from congvu.inspect.errors import Invalid
from congvu.inspect.settings import get_settings

from tests.conftest import login
from tests.dossiers.conftest import HEADER, run_import, write
from tests.worlds import World

pytestmark = pytest.mark.anyio

# Received on both sides of the two cut-offs (15/12 and 15/03).
LINES = [
    HEADER,
    "K-1412,Đăng ký khai sinh,Hộ tịch,P-A,,Trực tuyến,14/12/2025 09:00,17/12/2025,16/12/2025,,,,",
    "K-1512,Đăng ký khai sinh,Hộ tịch,P-A,,Trực tiếp,15/12/2025 09:00,18/12/2025,19/12/2025,,,,",
    "K-1403,Đăng ký kết hôn,Hộ tịch,P-A,,Trực tiếp,13/03/2026 09:00,18/03/2026,17/03/2026,,,,",
    "K-1503,Đăng ký kết hôn,Hộ tịch,P-A,,BCCI,16/03/2026 09:00,19/03/2026,19/03/2026,,,,",
]


@pytest.fixture
async def imported(world: World, admin: Actor, tmp_path: Path) -> None:
    await run_import(admin, write(tmp_path, LINES), as_of=date(2026, 4, 1))


@pytest.fixture
def calendar_quarters(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    monkeypatch.setenv("CONGVU_REPORT_PERIODS", "calendar")
    get_settings.cache_clear()
    yield
    monkeypatch.delenv("CONGVU_REPORT_PERIODS")
    get_settings.cache_clear()


async def codes(admin: Actor, unit_id: int, period: str) -> set[str]:
    view = await dossiers.unit_dossiers(admin, unit_id, dossiers.Filters(period=period))
    return {row.code for row in view.rows}


async def test_quarters_cut_on_the_15th_by_default(world: World, admin: Actor, imported) -> None:
    unit = world.commune_a.id
    assert await codes(admin, unit, "2025-Q4") == {"K-1412"}
    assert await codes(admin, unit, "2026-Q1") == {"K-1512", "K-1403"}
    assert await codes(admin, unit, "2026-Q2") == {"K-1503"}
    assert await codes(admin, unit, "2026-03") == {"K-1403"}  # 15/02 – 14/03/2026
    assert await codes(admin, unit, "2026") == {"K-1512", "K-1403", "K-1503"}
    view = await dossiers.unit_dossiers(admin, unit, dossiers.Filters())
    estimates = {p.period: (p.received, p.label_vi) for p in view.periods}
    assert estimates == {
        "2025-Q4": (1, "Quý IV/2025 (15/09/2025 – 14/12/2025)"),
        "2026-Q1": (2, "Quý I/2026 (15/12/2025 – 14/03/2026)"),
        "2026-Q2": (1, "Quý II/2026 (15/03/2026 – 14/06/2026)"),
    }


async def test_calendar_quarters_when_chosen(
    world: World, admin: Actor, imported, calendar_quarters
) -> None:
    unit = world.commune_a.id
    assert await codes(admin, unit, "2025-Q4") == {"K-1412", "K-1512"}
    assert await codes(admin, unit, "2026-Q1") == {"K-1403", "K-1503"}
    view = await dossiers.unit_dossiers(admin, unit, dossiers.Filters())
    assert [(p.period, p.received) for p in view.periods] == [("2025-Q4", 2), ("2026-Q1", 2)]
    assert view.periods[1].label_vi == "Quý I/2026 (01/01/2026 – 31/03/2026)"


@pytest.mark.parametrize("period", ["2026-Q5", "Q1/2026", "quý 1"])
def test_a_bad_period_is_refused_with_its_field(period: str) -> None:
    with pytest.raises(Invalid) as error:
        dossiers.Filters(period=period)
    assert error.value.field == "period"


async def test_the_page_shows_the_bounds_and_the_rule(client, world: World, imported) -> None:
    await login(client, "head_a")
    page = await client.get(f"/dossiers/units/{world.commune_a.id}?period=2026-Q1")
    assert page.status_code == 200
    assert "Quý I/2026 (15/12/2025 – 14/03/2026)" in page.text
    assert "NĐ 09/2019/NĐ-CP Điều 12" in page.text
    assert "K-1512" in page.text and "K-1412" not in page.text
    bad = await client.get(f"/dossiers/units/{world.commune_a.id}?period=2026-Q9")
    assert bad.status_code == 400
