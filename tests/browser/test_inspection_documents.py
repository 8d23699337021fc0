"""The minutes and the plan as .docx in Chromium on the demo: the team lead finds the
".docx" link beside the minutes' print button (1024×768) and on a plan's page (1366×768),
and each download is a .docx python-docx opens. Screenshots go to tests/artifacts/."""

from __future__ import annotations

import io
from pathlib import Path
from typing import Any

import docx

from tests.browser.conftest import ARTIFACTS, DEMO_PASSWORD, DemoServer


def _login(page: Any, url: str, username: str, target: str) -> None:
    page.goto(f"{url}/login?next={target}")
    page.fill("#username", username)
    page.fill("#password", DEMO_PASSWORD)
    page.get_by_role("button", name="Đăng nhập").click()
    page.wait_for_url(f"**{target}")


def _download(page: Any, link: Any) -> bytes:
    with page.expect_download() as caught:
        link.click()
    path = caught.value.path()
    assert caught.value.suggested_filename.endswith(".docx")
    return Path(path).read_bytes()


def _paragraphs(data: bytes) -> list[str]:
    document = docx.Document(io.BytesIO(data))
    cells = [p.text for t in document.tables for r in t.rows for c in r.cells for p in c.paragraphs]
    return [p.text for p in document.paragraphs] + cells


def test_the_minutes_and_a_plan_download_as_docx(demo_server: DemoServer, browser: Any) -> None:
    ARTIFACTS.mkdir(exist_ok=True)
    problems: list[str] = []
    for width, target in ((1024, "minutes"), (1366, "plan")):
        context = browser.new_context(
            viewport={"width": width, "height": 768}, locale="vi-VN", accept_downloads=True
        )
        context.set_default_timeout(15_000)
        page = context.new_page()
        page.on("pageerror", lambda error: problems.append(str(error)))
        _login(page, demo_server.url, "truongdoan", "/plans")
        if target == "minutes":
            assigned = page.request.get(f"{demo_server.url}/api/v1/inspections/assigned").json()
            page.goto(f"{demo_server.url}/inspections/{assigned[0]['id']}/minutes")
            link = page.locator(".toolbar a", has_text=".docx")
            page.screenshot(path=str(ARTIFACTS / f"minutes-docx-link-{width}x768.png"))
            text = _paragraphs(_download(page, link))
            assert "BIÊN BẢN KIỂM TRA" in text
        else:
            page.locator("table a[href^='/plans/']").first.click()
            link = page.get_by_role("link", name="Tải kế hoạch (.docx)")
            page.screenshot(path=str(ARTIFACTS / f"plan-docx-link-{width}x768.png"))
            text = _paragraphs(_download(page, link))
            assert "KẾ HOẠCH" in text
        assert "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM" in text
        context.close()
    assert problems == []
