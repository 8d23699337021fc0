"""The demo head's day at a desk (1366×768) and on a tablet (1024×768): the day's
notifications grouped by kind, all marked read at once, the address for the daily digest
saved through the real form, and an official found by a name typed without diacritics in
the menu's search box."""

from __future__ import annotations

from typing import Any

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import ARTIFACTS, DEMO_PASSWORD, DemoServer

pytestmark = pytest.mark.slow


def test_the_head_reads_a_digest_of_notifications(demo_server: DemoServer, browser: Any) -> None:
    ARTIFACTS.mkdir(exist_ok=True)
    for width in (1366, 1024):
        context = browser.new_context(viewport={"width": width, "height": 768}, locale="vi-VN")
        context.set_default_timeout(15_000)
        page = context.new_page()
        page.goto(f"{demo_server.url}/login?next=/notifications")
        page.fill("#username", "thutruong.truongvinh")
        page.fill("#password", DEMO_PASSWORD)
        page.get_by_role("button", name="Đăng nhập").click()
        expect(page.locator("h1")).to_have_text("Thông báo")
        groups = page.locator("details.notice-group")
        assert groups.count() >= 1
        page.screenshot(path=str(ARTIFACTS / f"notifications-{width}x768.png"), full_page=True)
        if width == 1366:
            page.get_by_role("button", name="Đánh dấu đã đọc tất cả").click()
            expect(page.get_by_role("status")).to_have_text("Đã đánh dấu đã đọc tất cả thông báo.")
            expect(page.locator(".toolbar p")).to_have_text("0 thông báo chưa đọc")
            page.fill("#email", "truongvinh@congvu.test")
            page.get_by_role("button", name="Lưu").click()
            expect(page.get_by_role("status")).to_have_text("Đã lưu địa chỉ nhận bản tổng hợp.")
            expect(page.locator("#email")).to_have_value("truongvinh@congvu.test")
        page.locator("header.topbar details.menu summary").click()
        box = page.locator("header.topbar .search-form input[name=q]")
        box.fill("ngo huu binh")
        box.press("Enter")
        expect(page.locator("h1")).to_have_text("Tìm kiếm")
        expect(page.locator(".hits a").first).to_have_text("Ngô Hữu Bình")
        page.screenshot(path=str(ARTIFACTS / f"search-{width}x768.png"))
        context.close()
