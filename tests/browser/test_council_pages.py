"""The emulation council's pages in Chromium on the demo, as its secretary (``thidua``):
the locked 2025 session with the quorum meter and the results (1366×768), the 2026 session
held from the page — attendance recorded, the quorum met, the tally forms appear — the
minutes as a page to print, and the
what-if page with who moves under a lower Bằng khen threshold (1366×768 and 1024×768).
Screenshots under tests/artifacts/."""

from __future__ import annotations

from typing import Any

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import ARTIFACTS, DEMO_PASSWORD, DemoServer

pytestmark = pytest.mark.slow


def test_council_pages(demo_server: DemoServer, browser: Any) -> None:
    ARTIFACTS.mkdir(exist_ok=True)
    context = browser.new_context(
        viewport={"width": 1366, "height": 768}, locale="vi-VN", timezone_id="Asia/Ho_Chi_Minh"
    )
    context.set_default_timeout(30_000)
    page = context.new_page()
    page.goto(f"{demo_server.url}/login")
    page.fill("#username", "thidua")
    page.fill("#password", DEMO_PASSWORD)
    page.get_by_role("button", name="Đăng nhập").click()
    page.wait_for_load_state()

    page.get_by_role("link", name="Hội đồng thi đua – khen thưởng").first.click()
    expect(page.locator("#sessions")).to_contain_text("Đã khóa")
    page.locator("#sessions").get_by_role("link", name="2025").click()
    expect(page.locator("#quorum meter")).to_be_visible()
    expect(page.locator("#quorum")).to_contain_text("Đủ điều kiện họp")
    expect(page.locator("#results")).to_contain_text("Không đạt")
    expect(page.locator("#results")).to_contain_text("cần ít nhất 11 (≥ 90% tổng số thành viên)")
    expect(page.locator("#lock")).to_contain_text("Mở lại phiên họp")
    page.screenshot(path=str(ARTIFACTS / "council-2025-1366.png"), full_page=True)
    held = page.url

    # The minutes as a page to print.
    page.goto(f"{held}/minutes?format=html")
    expect(page.locator("body")).to_contain_text("BIÊN BẢN")
    expect(page.locator("body")).to_contain_text("KẾT QUẢ BỎ PHIẾU KÍN")
    page.screenshot(path=str(ARTIFACTS / "council-minutes-1366.png"), full_page=True)

    # What-if on the locked session: at 60% the third Bằng khen (8 of 12) passes.
    page.goto(f"{held}/what-if?higher_title_vote_percent=60")
    expect(page.locator("#moves tbody tr")).to_have_count(1)
    expect(page.locator("#moves")).to_contain_text("Không đạt")
    expect(page.locator("#moves")).to_contain_text("≥ 60%")
    page.screenshot(path=str(ARTIFACTS / "council-what-if-1366.png"), full_page=True)
    page.set_viewport_size({"width": 1024, "height": 768})
    page.screenshot(path=str(ARTIFACTS / "council-what-if-1024.png"), full_page=True)
    page.set_viewport_size({"width": 1366, "height": 768})

    page.goto(f"{demo_server.url}/council")
    page.locator("#sessions").get_by_role("link", name="2026").click()
    expect(page.locator("#quorum")).to_contain_text("Chưa đủ điều kiện họp")
    expect(page.locator("#what-if-link")).to_be_visible()
    for select in page.locator("select[id^=attendance-]").all():
        select.select_option("present")
    page.fill("#held_on", "18/12/2026")
    page.fill("#place", "Phòng họp số 2, UBND tỉnh Nghệ An")
    page.get_by_role("button", name="Ghi ngày, địa điểm và tham dự").click()
    expect(page.locator("#quorum")).to_contain_text("Đủ điều kiện họp")
    expect(page.get_by_role("button", name="Ghi kết quả kiểm phiếu")).to_be_visible()
    expect(page.locator("#held_on")).to_have_value("18/12/2026")
    expect(page.locator("#results")).to_contain_text("còn chờ Hội đồng bỏ phiếu")
    page.screenshot(path=str(ARTIFACTS / "council-2026-1366.png"), full_page=True)
    context.close()
