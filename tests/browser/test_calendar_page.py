"""The working-day calendar page in a browser at 1024×768 and 1366×768: the demo
administrator (second factor passed) announces an extra day off, sees it listed with what
the re-judge job did, then withdraws it with a reason."""

from __future__ import annotations

import time
from typing import Any

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import (
    ARTIFACTS,
    DEMO_PASSWORD,
    DemoServer,
    pass_demo_second_factor,
)

pytestmark = pytest.mark.slow

SIZES = ({"width": 1024, "height": 768}, {"width": 1366, "height": 768})


def _shots(page: Any, name: str) -> None:
    for size in SIZES:
        page.set_viewport_size(size)
        page.screenshot(
            path=str(ARTIFACTS / f"{name}-{size['width']}x{size['height']}.png"), full_page=True
        )


def _wait_rejudged(page: Any, limit: float = 60) -> None:
    """The embedded worker runs the re-judge job; the page says so once it finished."""
    deadline = time.monotonic() + limit
    while "Đã tính lại" not in page.locator("#rejudge").inner_text():
        assert time.monotonic() < deadline, page.locator("#rejudge").inner_text()
        page.wait_for_timeout(500)
        page.reload()


def test_an_admin_announces_a_day_off_and_withdraws_it(
    demo_server: DemoServer, browser: Any
) -> None:
    ARTIFACTS.mkdir(exist_ok=True)
    url = demo_server.url
    context = browser.new_context(viewport=SIZES[1], locale="vi-VN", timezone_id="Asia/Ho_Chi_Minh")
    context.set_default_timeout(15_000)
    page = context.new_page()
    page.goto(f"{url}/login")
    page.fill("#username", "admin")
    page.fill("#password", DEMO_PASSWORD)
    page.get_by_role("button", name="Đăng nhập").click()
    pass_demo_second_factor(page)

    page.goto(f"{url}/calendar?year=2026")
    expect(page.get_by_role("heading", name="Lịch ngày làm việc năm 2026")).to_be_visible()
    _shots(page, "calendar-empty")

    page.fill("#day", "31/02/2026")
    page.fill("#document_number", "15/TB-UBND")
    page.fill("#document_date", "02/03/2026")
    page.get_by_role("button", name="Ghi thông báo").click()
    expect(page.locator("#error-day")).to_contain_text("không phải ngày dạng dd/mm/yyyy")
    expect(page.locator("#document_number")).to_have_value("15/TB-UBND")
    _shots(page, "calendar-bad-date")

    page.fill("#day", "09/03/2026")
    page.fill("#note", "Nghỉ thêm theo thông báo của tỉnh")
    page.get_by_role("button", name="Ghi thông báo").click()
    _wait_rejudged(page)
    rows = page.locator("#announcements tbody tr")
    expect(rows).to_have_count(1)
    expect(rows.first).to_contain_text("09/03/2026 (Thứ Hai)")
    expect(rows.first).to_contain_text("Nghỉ thêm")
    expect(page.locator("#calendar-version")).to_contain_text("+ 1 thông báo còn hiệu lực")
    expect(page.locator("#days-off")).to_contain_text("09/03/2026 (Thứ Hai)")
    _shots(page, "calendar-announced")

    rows.first.get_by_role("button", name="Thu hồi thông báo").click()
    expect(page.locator("#error-reason-1")).to_contain_text("Hãy ghi lý do thu hồi.")
    page.fill("#reason-1", "Văn bản bị thay thế")
    page.get_by_role("button", name="Thu hồi thông báo").click()
    _wait_rejudged(page)
    expect(rows.first).to_contain_text("Đã thu hồi")
    expect(rows.first).to_contain_text("Văn bản bị thay thế")
    expect(page.locator("#days-off")).not_to_contain_text("09/03/2026")
    _shots(page, "calendar-withdrawn")
    context.close()
