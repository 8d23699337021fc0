"""The unit's on-time criterion of a thematic campaign (rules/campaign.py), read through
``dossiers.api`` for the campaign's dates as the quarterly workbook counts it: in the
review world (tests/worlds.py) commune A's one-stop centre resolved 9 of its 10 dossiers
of 01/07–30/09/2026 on time (90%: passes a 90% threshold, for the centre's official, for
commune A's head, whose commune counts its centre, and for both collectives), commune B 8
of 10 (80%: fails). Dossiers resolved outside the dates, on the evening after the last
day, or not resolved are not counted."""

from __future__ import annotations

import re
from datetime import date, datetime, time, timedelta
from typing import Any

import pytest
from congvu.inspect.dossiers import api as dossiers
from congvu.inspect.dossiers.tables import Dossier
from congvu.inspect.emulation import api as emulation
from congvu.inspect.organisation.tables import Unit

from tests.emulation.conftest import ZONE, Commune
from tests.emulation.test_rating_http import as_user, post
from tests.worlds import ReviewWorld

pytestmark = pytest.mark.anyio
FORM = {
    "name": "Đợt thi đua giải quyết hồ sơ đúng hạn quý III/2026",
    "agency": "P",
    "starts_on": "01/07/2026",
    "ends_on": "30/09/2026",
    "c_unit_on_time_rate": "1",
    "percent": "90",
}


async def _dossier(code: str, unit: int, finished: datetime | None, status: str) -> None:
    await Dossier(
        code=code,
        procedure="Cấp bản sao trích lục hộ tịch",
        unit=unit,
        received_at=datetime(2026, 6, 20, 8, tzinfo=ZONE),
        finished_at=finished,
        status=status,
        updated_at=datetime(2026, 9, 10, 8, tzinfo=ZONE),
    ).save()


async def _unit(code: str) -> int:
    return int((await Unit.select(Unit.id).where(Unit.code == code).first())["id"])


async def _dossiers() -> None:
    desk, commune_b = await _unit("P-A-PVHCC"), await _unit("P-B")
    day = datetime(2026, 8, 3, 9, tzinfo=ZONE)
    # Centre: 9 of 10 on time — early, on time, one late; the last one at 23:30 on 30/09.
    for n in range(8):
        await _dossier(f"A{n}", desk, day + timedelta(days=n), "early" if n % 2 else "on_time")
    await _dossier("A8", desk, datetime.combine(date(2026, 9, 30), time(23, 30), ZONE), "on_time")
    await _dossier("A9", desk, day, "late")
    # Not counted: resolved before the dates, and at 00:30 on 01/10.
    await _dossier("A10", desk, datetime(2026, 6, 30, 16, tzinfo=ZONE), "late")
    await _dossier("A11", desk, datetime.combine(date(2026, 10, 1), time(0, 30), ZONE), "late")
    # Commune B: 8 of 10 on time, and one still in progress (not counted).
    for n in range(10):
        await _dossier(f"B{n}", commune_b, day + timedelta(days=n), "on_time" if n < 8 else "late")
    await _dossier("B10", commune_b, None, "in_progress")


async def test_on_time_rate_per_unit_through_the_dossiers_api(
    rw: ReviewWorld, commune_c: Commune
) -> None:
    await _dossiers()
    found = await dossiers.on_time_by_unit("/P/", date(2026, 7, 1), date(2026, 9, 30))
    assert {path: (t.on_time, t.resolved) for path, t in found.items()} == {
        "/P/P-A/P-A-PVHCC/": (9, 10),
        "/P/P-B/": (8, 10),
    }
    assert dossiers.subtree_timeliness(found, "/P/P-A/") == dossiers.Timeliness(9, 10)
    assert dossiers.subtree_timeliness(found, "/P/") == dossiers.Timeliness(17, 20)
    assert dossiers.subtree_timeliness(found, "/P/P-C/") == dossiers.Timeliness(0, 0)


async def test_the_campaign_judges_officials_and_collectives_on_their_units_rate(
    client: Any, rw: ReviewWorld, commune_c: Commune
) -> None:
    await _dossiers()
    await as_user(client, "tochuc")
    page = await client.get("/ratings/campaigns")
    assert 'name="c_unit_on_time_rate"' in page.text and 'id="campaign-percent"' in page.text
    bad = await post(client, "/ratings/campaigns", **{**FORM, "percent": "120"})
    assert bad.status_code == 400 and 'id="error-percent"' in bad.text
    assert 'value="120"' in bad.text and "giải quyết hồ sơ đúng hạn quý III/2026" in bad.text
    created = await post(client, "/ratings/campaigns", **FORM)
    assert created.status_code == 303, created.text
    campaign = int(re.findall(r"/ratings/campaigns/(\d+)", created.headers["location"])[0])

    board = await emulation.campaign_board(await rw.actor("tochuc"), campaign)
    assert board["criteria_vi"] == ["Tỷ lệ hồ sơ đúng hạn của đơn vị: từ 90% trở lên"]
    people = {o["official_id"]: o for o in board["officials"]}
    for official in (rw.world.official_a, rw.deputy):
        assert people[official.id]["eligible"], people[official.id]
    assert people[rw.world.official_a.id]["reasons_vi"] == [
        "Tỷ lệ hồ sơ đúng hạn của đơn vị: 9/10 hồ sơ đúng hạn = 90% (cần ≥ 90%) — Đạt."
    ]
    assert people[rw.world.official_b.id]["reasons_vi"] == [
        "Tỷ lệ hồ sơ đúng hạn của đơn vị: 8/10 hồ sơ đúng hạn = 80% (cần ≥ 90%) — Không đạt."
    ]
    assert not people[commune_c.x[0].id]["eligible"]  # commune C has no dossier to rate
    units = {u["name"]: u for u in board["collectives"]}
    assert units["Trung tâm PVHCC phường An Hòa"]["eligible"]
    assert units["Phường An Hòa"]["eligible"]
    assert not units["Xã Bình Minh"]["eligible"]
    assert (
        "Tỷ lệ hồ sơ đúng hạn của đơn vị: 8/10 hồ sơ đúng hạn = 80% (cần ≥ 90%) — Không đạt."
        in units["Xã Bình Minh"]["reasons_vi"]
    )
    # The province counts every unit: 17/20 = 85%.
    assert "17/20 hồ sơ đúng hạn = 85% (cần ≥ 90%)" in " ".join(
        units["Tỉnh Thử Nghiệm"]["reasons_vi"]
    )
