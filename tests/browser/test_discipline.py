"""Discipline pages in Chromium on the demo: the personnel officer (tochuc) walks a case
through two steps at 1366×768; the demo official (congchuc) reads their decided case,
its deadlines and their rights at 1024×768. Screenshots go to tests/artifacts/."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any
from zoneinfo import ZoneInfo

from tests.browser.conftest import ARTIFACTS, DEMO_PASSWORD, DemoServer


def _login(page: Any, url: str, username: str, target: str) -> None:
    page.goto(f"{url}/login?next={target}")
    page.fill("#username", username)
    page.fill("#password", DEMO_PASSWORD)
    page.get_by_role("button", name="Đăng nhập").click()
    page.wait_for_url(f"**{target}")


def test_personnel_walks_a_case_and_the_subject_reads_it(
    demo_server: DemoServer, browser: Any
) -> None:
    ARTIFACTS.mkdir(exist_ok=True)
    today: date = datetime.now(ZoneInfo("Asia/Ho_Chi_Minh")).date()
    context = browser.new_context(
        viewport={"width": 1366, "height": 768}, locale="vi-VN", timezone_id="Asia/Ho_Chi_Minh"
    )
    context.set_default_timeout(15_000)
    page = context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    _login(page, demo_server.url, "tochuc", "/discipline")
    rows = page.locator("#cases tbody tr")
    assert rows.count() == 8
    assert page.locator("#cases tr.overdue").count() == 1
    page.screenshot(path=str(ARTIFACTS / "discipline-list-1366x768.png"), full_page=True)

    page.locator("#cases tbody tr", has_text="Mở hồ sơ").locator("a").first.click()
    page.wait_for_selector("#next-step")
    assert "Ghi bước tiếp theo: Họp kiểm điểm" in page.inner_text("#next-step h2")
    # Without the minutes the form comes back with the message beside the field.
    page.fill("#done_on", today.isoformat())
    page.click("#next-step button[type=submit]")
    assert "Hãy tóm tắt biên bản" in page.inner_text("#error-review_meeting-note")
    page.fill("#done_on", today.isoformat())
    page.fill("#note", "Đương sự tự kiểm điểm, được trình bày ý kiến.")
    page.click("#next-step button[type=submit]")
    page.wait_for_selector("text=Ghi bước tiếp theo: Gửi báo cáo, biên bản họp kiểm điểm")
    page.fill("#done_on", today.isoformat())
    page.click("#next-step button[type=submit]")
    page.wait_for_selector("text=Ghi bước tiếp theo: Thành lập Hội đồng kỷ luật")
    timeline = page.inner_text("#timeline")
    assert today.strftime("%d/%m/%Y") in timeline and "còn trong thời hiệu" in page.inner_text(
        "#limitation"
    )
    page.screenshot(path=str(ARTIFACTS / "discipline-case-1366x768.png"), full_page=True)
    context.close()

    context = browser.new_context(
        viewport={"width": 1024, "height": 768}, locale="vi-VN", timezone_id="Asia/Ho_Chi_Minh"
    )
    context.set_default_timeout(15_000)
    page = context.new_page()
    page.on("pageerror", lambda error: errors.append(str(error)))
    _login(page, demo_server.url, "congchuc", "/my-discipline")
    page.locator("a.button").first.click()
    page.wait_for_selector("#rights")
    assert "khiển trách" in page.inner_text("#summary")
    assert page.locator("#appeal-form").count() == 1
    assert page.locator("#next-step").count() == 0
    page.screenshot(path=str(ARTIFACTS / "discipline-subject-1024x768.png"), full_page=True)
    context.close()
    assert errors == []
