"""The rating pages in Chromium on the demo: the personnel office's period control and a
refused reopening with its error beside the field (1366×768), the head's board of Phường
Trường Vinh with the quota meter and who the quota moved (1366×768), and the official's
own sheet (1024×768). Screenshots under tests/artifacts/."""

from __future__ import annotations

from typing import Any

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import ARTIFACTS, DEMO_PASSWORD, DemoServer

pytestmark = pytest.mark.slow


def _page(browser: Any, server: DemoServer, username: str, width: int) -> Any:
    context = browser.new_context(
        viewport={"width": width, "height": 768}, locale="vi-VN", timezone_id="Asia/Ho_Chi_Minh"
    )
    context.set_default_timeout(15_000)
    page = context.new_page()
    page.goto(f"{server.url}/login")
    page.fill("#username", username)
    page.fill("#password", DEMO_PASSWORD)
    page.get_by_role("button", name="Đăng nhập").click()
    page.wait_for_load_state()
    return page


def test_rating_pages(demo_server: DemoServer, browser: Any) -> None:
    ARTIFACTS.mkdir(exist_ok=True)

    page = _page(browser, demo_server, "tochuc", 1366)
    page.goto(f"{demo_server.url}/ratings")
    expect(page.locator("#period-2026-Q1")).to_contain_text("Đã khóa")
    expect(page.locator("#period-2026-Q3")).to_contain_text("Đang mở")
    page.locator("#period-2026-Q1").get_by_role("button", name="Mở lại kỳ").click()
    expect(page.locator("#error-reason-2026-Q1")).to_have_text(
        "Mở lại kỳ đã khóa phải ghi rõ lý do."
    )
    page.screenshot(path=str(ARTIFACTS / "rating-periods-1366.png"), full_page=True)
    page.context.close()

    page = _page(browser, demo_server, "thutruong.truongvinh", 1366)
    page.goto(f"{demo_server.url}/ratings/2026-Q3/units/NA-TV")
    expect(page.locator("#quota meter").first).to_be_visible()
    expect(page.locator("#board")).to_contain_text("Chuyển xuống do tỷ lệ")
    expect(page.locator("#board")).to_contain_text("Hoàn thành xuất sắc nhiệm vụ")
    page.screenshot(path=str(ARTIFACTS / "rating-board-1366.png"))
    page.context.close()

    page = _page(browser, demo_server, "congchuc", 1024)
    page.goto(f"{demo_server.url}/ratings/2026-Q3/me")
    expect(page.get_by_role("heading", level=1)).to_contain_text("Phiếu đánh giá của tôi")
    page.get_by_role("button", name="Lưu phiếu tự chấm").click()
    page.fill("#self-a", "120")
    page.fill("#self-b", "90")
    page.fill("#self-c", "90")
    page.get_by_role("button", name="Lưu phiếu tự chấm").click()
    expect(page.locator("#error-a")).to_have_text("Tỷ lệ phải từ 0 đến 100.")
    page.screenshot(path=str(ARTIFACTS / "rating-mine-1024.png"), full_page=True)
    page.context.close()
