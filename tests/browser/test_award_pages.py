"""The emulation pages added for the year's paperwork, in Chromium on the demo: the
personnel office's awards already received with a mistyped date refused beside its field
the demo's thematic campaign board and the year's missing annual steps on the periods
page (1366×768); the head's year board
of Phường Trường Vinh with the steps checklist (1024×768); the official's own documents on
her rating page (1024×768). Screenshots under tests/artifacts/."""

from __future__ import annotations

from typing import Any

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import ARTIFACTS, DemoServer
from tests.browser.test_rating_pages import _page as signed_in

pytestmark = pytest.mark.slow


def test_awards_steps_and_own_documents(demo_server: DemoServer, browser: Any) -> None:
    ARTIFACTS.mkdir(exist_ok=True)

    page = signed_in(browser, demo_server, "tochuc", 1366)
    page.goto(f"{demo_server.url}/ratings/awards")
    expect(page.locator("table.list")).to_contain_text("Chiến sĩ thi đua cơ sở")
    expect(page.locator("table.list")).to_contain_text("1520/QĐ-UBND")
    page.fill("#award-official", "KHONG-CO")
    page.fill("#award-year", "2025")
    page.fill("#award-form", "Giấy khen")
    page.fill("#award-decision_number", "9/QĐ-UBND")
    page.fill("#award-decided_on", "31/02/2025")
    page.fill("#award-issuer", "Chủ tịch UBND phường")
    page.get_by_role("button", name="Ghi nhận", exact=True).click()
    expect(page.locator("#error-official")).to_contain_text("Không có cán bộ mã KHONG-CO")
    page.screenshot(path=str(ARTIFACTS / "emulation-awards-1366.png"), full_page=True)
    page.goto(f"{demo_server.url}/ratings/campaigns")
    page.get_by_role("link", name="Đợt thi đua cao điểm cải cách hành chính quý III/2026").click()
    expect(page.locator("#campaign-board")).to_contain_text("Chưa đủ điều kiện")
    expect(page.locator("#campaign-board")).to_contain_text("Xếp loại quý gần nhất")
    page.screenshot(path=str(ARTIFACTS / "emulation-campaign-1366.png"))
    page.goto(f"{demo_server.url}/ratings")
    expect(page.locator("#missing-2026")).to_contain_text("Phường Trường Vinh: Ý kiến của cấp ủy")
    page.screenshot(path=str(ARTIFACTS / "emulation-missing-steps-1366.png"), full_page=True)
    page.context.close()

    page = signed_in(browser, demo_server, "thutruong.truongvinh", 1024)
    page.goto(f"{demo_server.url}/ratings/2026/units/NA-TV#steps")
    steps = page.locator("#steps")
    expect(steps).to_contain_text("Còn thiếu: Ý kiến của cấp ủy")
    expect(steps).to_contain_text("12/BB-UBND")
    steps.locator("#step-notice summary").click()
    page.fill("#done_on-notice", "30/02/2026")
    steps.locator("#step-notice").get_by_role("button", name="Lưu").click()
    expect(page.locator("#error-done_on-notice")).to_contain_text("dd/mm/yyyy")
    page.locator("#steps").screenshot(path=str(ARTIFACTS / "emulation-steps-1024.png"))
    page.context.close()

    page = signed_in(browser, demo_server, "congchuc", 1024)
    page.goto(f"{demo_server.url}/ratings/2026-Q3/me")
    mine = page.locator("#my-documents")
    expect(mine).to_contain_text("Mẫu số 01")
    with page.expect_download() as download:
        mine.get_by_role("link", name=".docx").click()
    assert download.value.suggested_filename.startswith("phieu-danh-gia-2026-Q3-")
    page.screenshot(path=str(ARTIFACTS / "emulation-my-documents-1024.png"), full_page=True)
    page.context.close()
