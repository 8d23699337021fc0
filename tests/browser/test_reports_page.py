"""The reporting officer builds the province's quarterly workbook from the web at
1366×768 and 1024×768: the build page follows the job to the download link, and the
version appears in the list with who built it."""

from __future__ import annotations

import io
from datetime import date
from typing import Any

import openpyxl
import pytest
from playwright.sync_api import expect

from tests.browser.conftest import ARTIFACTS, DEMO_PASSWORD, DemoServer

pytestmark = pytest.mark.slow


def test_reporter_builds_and_downloads_the_quarterly_workbook(
    demo_server: DemoServer, browser: Any
) -> None:
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    context = browser.new_context(
        viewport={"width": 1366, "height": 768},
        locale="vi-VN",
        timezone_id="Asia/Ho_Chi_Minh",
        accept_downloads=True,
    )
    context.set_default_timeout(30_000)
    page = context.new_page()
    page.goto(f"{demo_server.url}/login?next=/reports")
    page.fill("#username", "baocao")
    page.fill("#password", DEMO_PASSWORD)
    page.get_by_role("button", name="Đăng nhập").click()
    expect(page.get_by_role("heading", name="Báo cáo quý")).to_be_visible()
    page.select_option("select[name=quarter]", index=0)  # the current quarter
    page.screenshot(path=str(ARTIFACTS / "reports-1366x768.png"))
    page.get_by_role("button", name="Lập báo cáo").click()
    download = page.locator("#download")
    expect(download).to_be_visible(timeout=60_000)
    page.screenshot(path=str(ARTIFACTS / "reports-build-1366x768.png"))
    with page.expect_download() as info:
        download.click()
    content = info.value.path().read_bytes()
    book = openpyxl.load_workbook(io.BytesIO(content))
    assert book.sheetnames[:2] == ["Bìa", "Tổng hợp"]
    # The demo's province entered its published 766 values: beside the estimates.
    dossiers = book["Hồ sơ TTHC"]
    sources = [dossiers.cell(r, 8).value for r in range(1, dossiers.max_row + 1)]
    assert any(str(s).startswith("Cổng Dịch vụ công quốc gia") for s in sources if s)
    assert len(dossiers._charts) == 2
    register = book["Kiểm chứng PAR INDEX"]
    numbers = [register.cell(r, 3).value for r in range(1, register.max_row + 1)]
    # The demo's six-month report was filed for this calendar year; from 15/12 the
    # current NĐ 09/2019 quarter already belongs to the next year, whose register is new.
    if str(date.today().year) in str(register.cell(5, 1).value):
        assert "125/BC-SNV" in numbers

    page.goto(f"{demo_server.url}/reports")
    rows = page.locator("#snapshots tbody tr")
    expect(rows).to_have_count(1)
    expect(rows.first).to_contain_text("Ủy ban nhân dân tỉnh Nghệ An")
    expect(rows.first).to_contain_text("Tải tệp Excel")
    page.set_viewport_size({"width": 1024, "height": 768})
    page.screenshot(path=str(ARTIFACTS / "reports-1024x768.png"), full_page=True)
    context.close()
