"""Dossier pages over HTTP: a unit head sees their unit's dossiers, shares, estimates and
flags, never another commune's; an upload runs as a job with a progress page."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import anyio
import pytest
from congvu.inspect.actor import Actor
from congvu.inspect.dossiers.tables import Dossier, ImportBatch
from congvu.inspect.settings import get_settings

from tests.conftest import csrf, login
from tests.dossiers.conftest import HEADER, run_import, stored, write
from tests.test_jobs import run_worker_until_idle
from tests.worlds import World

pytestmark = pytest.mark.anyio

LINES = [
    HEADER,
    "A-LATE,Đăng ký khai sinh,Hộ tịch,P-A-PVHCC,Nguyễn Thị Lan,Trực tuyến,"
    "23/01/2025 09:00,24/01/2025,03/02/2025 10:00,,,,",
    "A-EARLY,Đăng ký kết hôn,Hộ tịch,P-A,,Trực tiếp,20/01/2025 09:00,05/02/2025,04/02/2025,,,,",
    "B-OVERDUE,Đăng ký khai tử,Hộ tịch,P-B,Lê Văn Đức,BCCI,24/01/2025 10:00,07/02/2025,,,,,",
]


@pytest.fixture
async def imported(world: World, admin: Actor, tmp_path: Path) -> None:
    await run_import(admin, write(tmp_path, LINES), as_of=date(2025, 2, 10))


async def test_a_unit_head_sees_their_units_dossiers_and_shares(client, world, imported) -> None:
    await login(client, "head_a")
    page = await client.get(f"/dossiers/units/{world.commune_a.id}")
    assert page.status_code == 200
    assert "A-LATE" in page.text and "A-EARLY" in page.text
    assert "B-OVERDUE" not in page.text
    assert "Nguyễn Thị Lan" in page.text
    assert "(ước tính)" in page.text
    assert "2025-Q1" in page.text
    filtered = await client.get(f"/dossiers/units/{world.commune_a.id}?status=late")
    assert "A-LATE" in filtered.text and "A-EARLY" not in filtered.text
    online = await client.get(f"/dossiers/units/{world.commune_a.id}?channel=online")
    assert "A-LATE" in online.text and "A-EARLY" not in online.text


async def test_the_head_of_commune_b_cannot_see_commune_a(client, world, imported) -> None:
    await login(client, "head_b")
    assert (await client.get(f"/dossiers/units/{world.commune_a.id}")).status_code == 404
    assert (await client.get(f"/dossiers/units/{world.commune_a.id}/flagged")).status_code == 404
    dossier = await stored("A-LATE")
    assert (await client.get(f"/dossiers/{dossier['id']}")).status_code == 404
    own = await client.get(f"/dossiers/units/{world.commune_b.id}")
    assert own.status_code == 200 and "B-OVERDUE" in own.text


async def test_flagged_dossiers_name_the_official_and_explain(client, world, imported) -> None:
    await login(client, "head_a")
    page = await client.get(f"/dossiers/units/{world.commune_a.id}/flagged")
    assert page.status_code == 200
    assert "A-LATE" in page.text and "A-EARLY" not in page.text
    assert "Giải quyết trễ hạn" in page.text and "Không có văn bản xin lỗi" in page.text
    detail = await client.get(f"/dossiers/{(await stored('A-LATE'))['id']}")
    assert "trễ hạn 1 ngày làm việc" in detail.text
    assert f'href="/review/dossiers/{(await stored("A-LATE"))["id"]}"' in detail.text
    await client.post("/locale", data={"code": "en"}, headers=csrf(client))
    english = await client.get(f"/dossiers/units/{world.commune_a.id}/flagged")
    assert "Resolved late" in english.text
    english_detail = await client.get(f"/dossiers/{(await stored('A-LATE'))['id']}")
    assert "Resolved on 03/02/2025, 1 working day late." in english_detail.text


async def test_an_official_cannot_open_dossier_pages(client, world, imported) -> None:
    await login(client, "official_a")
    assert (await client.get(f"/dossiers/units/{world.commune_a.id}")).status_code == 403


async def test_an_upload_runs_as_a_job_and_rejected_rows_download(
    client, world: World, tmp_path: Path
) -> None:
    await login(client, "admin")
    content = "\r\n".join([*LINES, "BAD,x,y,KHONG-CO,,Trực tiếp,24/01/2025,,,,,,"]).encode()
    started = await client.post(
        "/dossiers/import",
        files={"file": ("hoso.csv", content, "text/csv")},
        data={"unit_code": "", "mapping_name": "", "exported_at": "10/02/2025 08:00"},
        headers=csrf(client),
        follow_redirects=False,
    )
    assert started.status_code == 303, started.text
    job_url = started.headers["location"]
    settings = get_settings()
    if not settings.embedded:
        await run_worker_until_idle(settings.redis_url or "")
    with anyio.fail_after(30):
        while (body := (await client.get(f"/api/v1{job_url}")).json())["status"] not in (  # noqa: ASYNC110
            "done",
            "failed",
        ):
            await anyio.sleep(0.1)
    assert body["status"] == "done", body
    assert body["result"]["inserted"] == 3 and body["result"]["rejected"] == 1
    assert await Dossier.count() == 3
    batch = await ImportBatch.select(ImportBatch.id).first()
    listing = await client.get("/dossiers/import")
    assert "hoso.csv" in listing.text
    download = await client.get(f"/dossiers/import/batches/{batch['id']}/rejected.csv")
    assert download.status_code == 200
    assert "không tìm thấy đơn vị: 'KHONG-CO'" in download.text
    # Someone outside the importer's scope cannot fetch the rejected rows.
    await client.post("/logout", headers=csrf(client))
    await login(client, "head_b")
    assert (
        await client.get(f"/dossiers/import/batches/{batch['id']}/rejected.csv")
    ).status_code == 404


async def test_an_inspector_may_read_but_not_import(client, world: World) -> None:
    await login(client, "inspector")
    assert (await client.get("/dossiers/")).status_code == 200
    assert (await client.get("/dossiers/import")).status_code == 403


async def test_a_mapping_saved_from_the_form_is_offered(client, world: World) -> None:
    await login(client, "admin")
    saved = await client.post(
        "/dossiers/import/mappings",
        data={"name": "Hệ thống huyện cũ", "f_code": "Số HS", "f_received_at": "Nhận lúc"},
        headers=csrf(client),
        follow_redirects=False,
    )
    assert saved.status_code == 303
    assert "Hệ thống huyện cũ" in (await client.get("/dossiers/import")).text
