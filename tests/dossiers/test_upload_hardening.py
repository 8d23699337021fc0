"""No upload freezes or fools the server: each hostile upload goes through the real form
route while ``/health/live`` is polled beside it, and every answer comes within 200 ms
(``tests/health_probe.py`` says when this machine's own noise allows less); what is
refused says which file and why, and leaves nothing stored.

Both run modes: with ``CONGVU_TEST_REDIS_URL`` unset the worker is the embedded one inside
the web app (the critical mode: its jobs share the web process); with it set, a worker
runs beside the app in this process, as ``congvu worker`` would on its own."""

from __future__ import annotations

import asyncio
import contextlib
import dataclasses
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import anyio
import anyio.lowlevel
import httpx
import pytest
from congvu.inspect.app import create_app
from congvu.inspect.background.tables import JobRecord
from congvu.inspect.dossiers.tables import Dossier, ImportBatch
from congvu.inspect.settings import get_settings

from tests.conftest import csrf, login
from tests.dossiers import hostile
from tests.dossiers.generator import ExportSpec, generate, write_csv
from tests.health_probe import assert_answered_promptly, health_while, idle_latencies, stall_limit
from tests.test_jobs import run_worker_until_idle
from tests.worlds import World

pytestmark = pytest.mark.anyio

LARGE_IMPORT_ROWS = 100_000


def _uploads() -> list[Path]:
    folder = get_settings().media_dir / "dossier-imports"
    return sorted(folder.iterdir()) if folder.exists() else []


@pytest.fixture(autouse=True)
def _no_uploads_yet() -> None:
    """The media folder is the test run's: earlier tests' uploads are not this one's."""
    for path in _uploads():
        path.unlink()


async def _upload(client: Any, name: str, content: bytes) -> httpx.Response:
    """The import form sent as a browser's body arrives: in pieces of 64 KB. In one piece
    (what the in-process transport does with ``files=``) the multipart parser would take a
    whole 25 MB body in one step of the loop, which no client on a network makes it do."""
    request = client.build_request(
        "POST",
        "/dossiers/import",
        files={"file": (name, content, "application/octet-stream")},
        data={"unit_code": "", "mapping_name": "", "exported_at": "01/04/2026 08:00"},
    )
    body = await anyio.to_thread.run_sync(request.read)

    async def pieces() -> AsyncIterator[bytes]:
        for start in range(0, len(body), 1 << 16):
            yield body[start : start + (1 << 16)]
            await anyio.lowlevel.checkpoint()

    return await client.post(
        "/dossiers/import",
        content=pieces(),
        headers={
            **csrf(client),
            "content-type": request.headers["content-type"],
            "content-length": str(len(body)),
        },
        follow_redirects=False,
    )


async def _finished(client: Any, job_url: str, limit: float = 120) -> dict[str, Any]:
    """The job's JSON once it ends; outside embedded mode a worker runs in this process
    (as the embedded one would) so that its work competes with the web requests."""
    settings = get_settings()
    worker = (
        None
        if settings.embedded
        else asyncio.create_task(run_worker_until_idle(settings.redis_url or ""))
    )
    try:
        with anyio.fail_after(limit):
            while True:
                body = (await client.get(f"/api/v1{job_url}")).json()
                if body["status"] in ("done", "failed"):
                    return body
                await anyio.sleep(0.05)
    finally:
        if worker is not None:
            await worker


async def _upload_and_import(client: Any, name: str, content: bytes) -> httpx.Response | dict:
    """The upload's answer when refused, else its job once it has ended."""
    answer = await _upload(client, name, content)
    if answer.status_code != 303:
        return answer
    return await _finished(client, answer.headers["location"])


@pytest.mark.timing
async def test_a_shared_strings_bomb_is_refused_and_health_keeps_answering(
    client: Any, world: World
) -> None:
    await login(client, "admin")
    bomb = await anyio.to_thread.run_sync(hostile.shared_strings_bomb, 1_500_000)
    assert len(bomb) < 5 << 20  # a few MB on the wire
    idle = await idle_latencies(client)
    answer, latencies, stalls = await health_while(
        client, _upload_and_import(client, "bao-cao.xlsx", bomb), stall_limit(idle)
    )
    # Refused from the zip's directory before any cell is read: over in a few polls.
    await assert_answered_promptly(client, latencies, idle, at_least=1)
    assert stalls == []
    assert isinstance(answer, httpx.Response), answer  # refused at once, no job
    assert answer.status_code == 400, answer.text
    assert "Tệp bao-cao.xlsx bị từ chối" in answer.text
    assert "nhiều hơn số ô của các trang tính (4 ô)" in answer.text
    assert _uploads() == []
    assert await JobRecord.count() == 0


@pytest.mark.timing
async def test_an_xlsx_heavy_but_within_limits_is_parsed_off_the_event_loop(
    client: Any, world: World
) -> None:
    """Its dimension announces enough cells for its 60,000 shared strings: it passes the
    look inside, and opening it (every shared string parsed) runs in the CPU pool."""
    await login(client, "admin")
    strings = 60_000
    workbook = hostile.replace_parts(
        hostile.shared_strings_bomb(strings),
        {
            "xl/worksheets/sheet1.xml": hostile.small_sheet_claiming(f"A1:D{strings // 4 + 1}"),
        },
    )
    idle = await idle_latencies(client)
    body, latencies, stalls = await health_while(
        client, _upload_and_import(client, "lon.xlsx", workbook), stall_limit(idle)
    )
    assert stalls == []
    await assert_answered_promptly(client, latencies, idle)
    assert body["status"] == "done", body
    assert body["result"]["rows_read"] == 0


@pytest.mark.xfail(
    get_settings().redis_url is not None,
    reason="known gap: with the worker in this process on PostgreSQL (not how production"
    " runs it: there the worker is a process of its own), staging the COPY still delays"
    " a few answers past 200 ms (max 0.40 s, p95 0.105 s at load 10); embedded mode holds",
    strict=False,
)
@pytest.mark.timing
async def test_a_large_legitimate_import_leaves_health_answering(
    client: Any, world: World, tmp_path: Path
) -> None:
    """Reading, validating and evaluating the rows run in the CPU pool's processes; the
    web process only writes them (and, on SQLite, turns them into rows to insert)."""
    await login(client, "admin")
    export = generate(
        ExportSpec(rows=LARGE_IMPORT_ROWS, units=["P-A", "P-A-PVHCC", "P-B"], seed=11)
    )
    content = write_csv(export, tmp_path / "hoso.csv").read_bytes()
    idle = await idle_latencies(client)
    body, latencies, stalls = await health_while(
        client, _upload_and_import(client, "hoso.csv", content), stall_limit(idle)
    )
    assert body["status"] == "done", body
    assert body["result"]["imported"] == LARGE_IMPORT_ROWS - len(export.bad_rows)
    assert stalls == []
    await assert_answered_promptly(client, latencies, idle)


async def test_a_jpeg_renamed_csv_is_refused_by_name(client: Any, world: World) -> None:
    await login(client, "admin")
    answer = await _upload(client, "anh-the.csv", hostile.jpeg())
    assert answer.status_code == 400
    assert "Tệp anh-the.csv không phải tệp CSV: nội dung là ảnh JPEG." in answer.text
    assert _uploads() == []
    assert await JobRecord.count() == 0


async def test_a_zip_bomb_is_refused(client: Any, world: World) -> None:
    await login(client, "admin")
    answer = await _upload(client, "bom.xlsx", hostile.zip_bomb(64))
    assert answer.status_code == 400
    assert "Tệp bom.xlsx bị từ chối: phần xl/media/padding.xml nén" in answer.text
    assert _uploads() == []


async def test_a_failed_import_deletes_its_upload_and_keeps_what_was_imported(
    client: Any, world: World
) -> None:
    await login(client, "admin")
    good = "\r\n".join(
        [
            "Mã hồ sơ,Tên thủ tục,Đơn vị,Ngày tiếp nhận,Ngày hẹn trả",
            "H-1,Đăng ký khai sinh,P-A,23/01/2025 09:00,24/01/2025",
        ]
    )
    first = await _upload(client, "dot-1.csv", good.encode())
    assert (await _finished(client, first.headers["location"]))["status"] == "done"
    kept = _uploads()
    assert len(kept) == 1  # an import that succeeded keeps its file, as before
    wrong = "Số thứ tự,Ghi chú,Người lập\r\n1,abc,Lan\r\n".encode()
    second = await _upload(client, "sai-mau.csv", wrong)
    assert second.status_code == 303
    failed = await _finished(client, second.headers["location"])
    assert failed["status"] == "failed"
    assert "Không tìm thấy cột: Mã hồ sơ" in failed["error"]
    assert _uploads() == kept
    assert await Dossier.count() == 1
    assert await ImportBatch.count() == 1
    # The job pages say it in words (the JSON API keeps the result as it was).
    done_page = (await client.get(first.headers["location"])).text
    assert "Kết quả nhập hồ sơ" in done_page and "dot-1.csv" in done_page
    assert "Hồ sơ mới</th><td>1</td>" in done_page
    assert '"inserted"' not in done_page and "\\u" not in done_page
    failed_page = (await client.get(second.headers["location"])).text
    assert "Không tìm thấy cột: Mã hồ sơ" in failed_page
    assert "dữ liệu đã nhập trước đó vẫn giữ nguyên" in failed_page


@contextlib.asynccontextmanager
async def _client_with(**changes: Any) -> AsyncIterator[httpx.AsyncClient]:
    app = create_app(dataclasses.replace(get_settings(), **changes))
    async with app.lifespan():
        transport = httpx.ASGITransport(app=app)
        async with httpx.AsyncClient(transport=transport, base_url="http://testserver.local") as c:
            yield c


async def test_an_upload_over_the_limit_is_refused_with_413(world: World) -> None:
    async with _client_with(max_upload_mb=1) as small:
        await login(small, "admin")
        answer = await _upload(small, "ca-nam.csv", b"Ma ho so\r\n" + b"x" * (2 << 20))
        assert answer.status_code == 413
        assert "lớn hơn giới hạn 1 MB; hãy xuất từng quý" in answer.text
        api = await small.post(
            "/dossiers/import",
            files={"file": ("ca-nam.csv", b"x" * (2 << 20), "text/csv")},
            headers={**csrf(small), "accept": "application/json"},
        )
        assert api.status_code == 413
        assert api.json()["detail"].startswith("Tệp tải lên lớn hơn giới hạn 1 MB")
        fits = await _upload(small, "nho.csv", hostile.jpeg())
        assert fits.status_code == 400  # under the limit: read, then refused for what it is
    assert _uploads() == []
