"""The /calendar page: an administrator announces a day off (Mon 09/03/2026, March 2026
has no holiday), sees it listed with the calendar's new version, and the re-judge job it
enqueues moves a stored dossier's lateness; a wrongly typed date is shown beside its
field with what was typed kept; a withdrawal needs a reason."""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Any

import anyio
import pytest
from congvu.inspect.errors import Forbidden
from congvu.inspect.organisation import api as organisation
from congvu.inspect.settings import get_settings

from tests import builders
from tests.conftest import csrf, login
from tests.dossiers.conftest import HEADER, actor, run_import, stored, write
from tests.test_jobs import run_worker_until_idle
from tests.worlds import World

pytestmark = pytest.mark.anyio

AS_OF_IMPORT = date(2026, 3, 16)
# Due Thu 05/03, done Tue 10/03: 06, 09, 10 → 3 working days late; with 09/03 off → 2.
AFFECTED = (
    "AFFECTED,Đăng ký khai sinh,Hộ tịch,P-A,,Trực tiếp,"
    "02/03/2026 08:00,05/03/2026,10/03/2026 10:00,,,,"
)
DAY_OFF = {
    "day": "09/03/2026",
    "kind": "day_off",
    "swapped_day": "",
    "document_number": "15/TB-UBND",
    "document_date": "02/03/2026",
    "note": "Nghỉ thêm theo thông báo của tỉnh",
}


async def _announce(client: Any, **changes: str) -> Any:
    return await client.post(
        "/calendar/announcements",
        data={**DAY_OFF, **changes},
        headers=csrf(client),
        follow_redirects=False,
    )


async def _rejudged_page(client: Any, location: str) -> str:
    """The page after the change, once the re-judge job has run (the embedded worker runs
    it; against an external Redis the test runs a worker in burst mode)."""
    settings = get_settings()
    if not settings.embedded:
        await run_worker_until_idle(settings.redis_url)
    with anyio.fail_after(30):
        while True:
            page = await client.get(location)
            if "Đã tính lại" in page.text:
                return str(page.text)
            await anyio.sleep(0.1)


async def test_a_day_off_is_listed_bumps_the_version_and_moves_a_dossier(
    client: Any, world: World, tmp_path: Path
) -> None:
    await run_import(
        await actor(world, "admin"), write(tmp_path, [HEADER, AFFECTED]), as_of=AS_OF_IMPORT
    )
    assert (await stored("AFFECTED"))["working_days_late"] == 3
    await login(client, "admin")
    before = await client.get("/calendar?year=2026")
    assert before.status_code == 200
    assert "+ 0 thông báo còn hiệu lực (lần thay đổi thứ 0)" in before.text

    response = await _announce(client)
    assert response.status_code == 303
    location = response.headers["location"]
    assert location == "/calendar?year=2026&notice=announced&revision=1"
    page = await _rejudged_page(client, location)
    assert "09/03/2026 (Thứ Hai)" in page and "Nghỉ thêm" in page
    assert "Số 15/TB-UBND ngày 02/03/2026" in page
    assert "+ 1 thông báo còn hiệu lực (lần thay đổi thứ 1)" in page
    assert "Đã ghi thông báo" in page
    assert "Đã tính lại 1 hồ sơ, 1 thay đổi" in page
    assert (await stored("AFFECTED"))["working_days_late"] == 2
    # The engine's list of the year's days off has it too.
    days_off = page.split('id="days-off"')[1]
    assert "09/03/2026 (Thứ Hai): Nghỉ theo 15/TB-UBND ngày 02/03/2026" in days_off


async def test_a_badly_typed_date_is_shown_beside_its_field_with_the_values_kept(
    client: Any, world: World
) -> None:
    await login(client, "admin")
    response = await _announce(client, day="31/02/2026")
    assert response.status_code == 400
    html = response.text
    assert 'id="error-day"' in html and "không phải ngày dạng dd/mm/yyyy" in html
    assert 'value="31/02/2026"' in html and 'value="15/TB-UBND"' in html
    swap = await _announce(client, kind="swap", swapped_day="")
    assert swap.status_code == 400 and 'id="error-swapped_day"' in swap.text
    listed = await client.get("/calendar?year=2026")
    assert "Chưa có thông báo nào trong năm này." in listed.text


async def test_a_withdrawal_needs_a_reason(client: Any, world: World) -> None:
    await login(client, "admin")
    assert (await _announce(client)).status_code == 303
    page = await client.get("/calendar?year=2026")
    action = "/calendar/announcements/1/withdraw"
    assert f'action="{action}"' in page.text

    refused = await client.post(
        action, data={"reason": "  "}, headers=csrf(client), follow_redirects=False
    )
    assert refused.status_code == 400
    assert 'id="error-reason-1"' in refused.text and "Hãy ghi lý do thu hồi." in refused.text

    done = await client.post(
        action, data={"reason": "Văn bản bị thay thế"}, headers=csrf(client), follow_redirects=False
    )
    assert done.status_code == 303
    assert done.headers["location"] == "/calendar?year=2026&notice=withdrawn&revision=2"
    after = await client.get(done.headers["location"])
    assert "Đã thu hồi" in after.text and "Văn bản bị thay thế" in after.text
    assert "+ 0 thông báo còn hiệu lực (lần thay đổi thứ 2)" in after.text
    assert f'action="{action}"' not in after.text


async def test_a_commune_admin_sees_the_province_calendar_read_only(
    client: Any, world: World
) -> None:
    """The system calendar is the whole province's: an administrator of one commune may
    neither announce nor withdraw, and the page shows no form; the province's may."""
    commune_admin = await builders.account("admin_b", role="admin", unit="P-B")
    await login(client, "admin")
    assert (await _announce(client)).status_code == 303
    client.cookies.clear()

    await login(client, "admin_b")
    page = await client.get("/calendar?year=2026")
    assert page.status_code == 200
    assert 'id="calendar-read-only"' in page.text and "15/TB-UBND" in page.text
    assert 'action="/calendar/announcements"' not in page.text
    assert 'action="/calendar/announcements/1/withdraw"' not in page.text
    refused = await _announce(client, day="10/03/2026")
    assert refused.status_code == 403 and "quản trị viên cấp tỉnh" in refused.text
    withdrawn = await client.post(
        "/calendar/announcements/1/withdraw",
        data={"reason": "Không đúng"},
        headers=csrf(client),
        follow_redirects=False,
    )
    assert withdrawn.status_code == 403
    assert [a.withdrawn_at for a in await organisation.announcements(2026)] == [None]
    with pytest.raises(Forbidden):
        await organisation.announce(
            await builders.actor(commune_admin),
            organisation.AnnouncementInput(
                day=date(2026, 3, 10),
                kind=organisation.AnnouncementKind.DAY_OFF,
                document_number="16/TB-UBND",
                document_date=date(2026, 3, 2),
            ),
        )
