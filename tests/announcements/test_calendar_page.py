"""The /calendar page: an administrator announces a day off (Mon 09/03/2026, March 2026
has no holiday), sees it listed with the calendar's new version, and the re-judge job it
enqueues moves a stored dossier's lateness; a wrongly typed date is shown beside its
field with what was typed kept; a withdrawal needs a reason."""

from __future__ import annotations

import json
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

import anyio
import pytest
from arq.jobs import Job
from arq.jobs import JobStatus as ArqStatus
from congvu.inspect.background import api as background
from congvu.inspect.background.tables import JobRecord
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


async def test_the_rejudge_has_a_job_record_that_the_sweeper_enqueues_again(
    client: Any, world: World, tmp_path: Path
) -> None:
    """The re-judge of revision 1 is recorded before it is enqueued, by the admin who
    announced; when Redis lost it the sweeper enqueues it again under
    ``calendar-rejudge-1``, and the page shows its step, then its counts."""
    await run_import(
        await actor(world, "admin"), write(tmp_path, [HEADER, AFFECTED]), as_of=AS_OF_IMPORT
    )
    await login(client, "admin")
    location = (await _announce(client)).headers["location"]
    await _rejudged_page(client, location)
    record_id = background.calendar_rejudge_record_id(1)
    record = await JobRecord.objects().where(JobRecord.id == record_id).first()
    assert record is not None and record.kind == "rejudge_after_calendar_change"
    assert record.requested_by == world.users["admin"].id and record.status == "done"
    arguments = record.arguments
    arguments = json.loads(arguments) if isinstance(arguments, str) else arguments
    assert arguments == {"revision": 1, "days": ["2026-03-09"]}

    # Revision 2's job: recorded, then lost by Redis before any worker saw it.
    stale = datetime.now(UTC) - timedelta(minutes=5)
    await JobRecord.insert(
        JobRecord(
            id=background.calendar_rejudge_record_id(2),
            kind="rejudge_after_calendar_change",
            arguments={"revision": 2, "days": ["2026-03-09"]},
            status="running",
            progress=1,
            total=2,
            message="Tính lại hạn xem xét",
            created_at=stale,
            updated_at=stale,
        )
    )
    running = await client.get("/calendar?year=2026&revision=2")
    assert 'id="rejudge-progress"' in running.text and "Tính lại hạn xem xét (50%)" in running.text
    await JobRecord.update({JobRecord.status: "queued"}).where(
        JobRecord.id == background.calendar_rejudge_record_id(2)
    )
    queue = client.app.state.queue
    assert await background.requeue_lost(queue) == 1
    assert await background.requeue_lost(queue) == 0  # arq knows calendar-rejudge-2 now
    assert await Job("calendar-rejudge-2", queue).status() != ArqStatus.not_found
    page = await _rejudged_page(client, "/calendar?year=2026&revision=2")
    assert "Đã tính lại 1 hồ sơ, 0 thay đổi" in page
