"""Discipline pages in Chromium on the demo: the personnel officer (tochuc) walks a case
through two steps at 1366×768; the demo official (congchuc) reads their decided case,
its deadlines and their rights at 1024×768. Screenshots go to tests/artifacts/."""

from __future__ import annotations

import sqlite3
from datetime import date, datetime, timedelta
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
    page.fill("#done_on", today.strftime("%d/%m/%Y"))
    page.click("#next-step button[type=submit]")
    assert "Hãy tóm tắt biên bản" in page.inner_text("#error-review_meeting-note")
    page.fill("#done_on", today.strftime("%d/%m/%Y"))
    page.fill("#note", "Đương sự tự kiểm điểm, được trình bày ý kiến.")
    page.click("#next-step button[type=submit]")
    page.wait_for_selector("text=Ghi bước tiếp theo: Gửi báo cáo, biên bản họp kiểm điểm")
    page.fill("#done_on", today.strftime("%d/%m/%Y"))
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


def test_personnel_opens_a_case_from_a_judgment(demo_server: DemoServer, browser: Any) -> None:
    """The judgment's form on the list page at 1366×768, then the case at 1024×768: the
    decision is the next and only step, buộc thôi việc, and the skipped steps say why."""
    ARTIFACTS.mkdir(exist_ok=True)
    today: date = datetime.now(ZoneInfo("Asia/Ho_Chi_Minh")).date()
    with sqlite3.connect(demo_server.database) as db:
        (official,) = db.execute(
            "SELECT official FROM account WHERE username = 'congchuc'"
        ).fetchone()
    errors: list[str] = []
    for width in (1366, 1024):
        context = browser.new_context(
            viewport={"width": width, "height": 768},
            locale="vi-VN",
            timezone_id="Asia/Ho_Chi_Minh",
        )
        context.set_default_timeout(15_000)
        page = context.new_page()
        page.on("pageerror", lambda error: errors.append(str(error)))
        _login(page, demo_server.url, "tochuc", "/discipline")
        form = page.locator("#open-conviction")
        form.locator("#conv-official_id").fill(str(official))
        form.locator("#conv-description").fill("Nhận hối lộ khi giải quyết hồ sơ")
        form.locator("#conv-violation_on").fill(f"{today - timedelta(days=200):%d/%m/%Y}")
        form.locator("#conv-judgment_number").fill(f"{width}/2026/HS-ST")
        form.locator("#conv-court").fill("Tòa án nhân dân khu vực 1")
        form.locator("#conv-kind").select_option("corruption")
        # Without the day received the form comes back with the message beside the field.
        form.get_by_role("button", name="Mở hồ sơ từ bản án").click()
        assert "Hãy chọn ngày" in page.inner_text("#error-conviction-received_on")
        page.screenshot(
            path=str(ARTIFACTS / f"discipline-conviction-form-{width}x768.png"), full_page=True
        )
        form = page.locator("#open-conviction")
        form.locator("#conv-received_on").fill(f"{today - timedelta(days=1):%d/%m/%Y}")
        form.get_by_role("button", name="Mở hồ sơ từ bản án").click()
        page.wait_for_selector("#conviction")
        assert f"{width}/2026/HS-ST" in page.inner_text("#conviction")
        assert "Ghi bước tiếp theo: Quyết định kỷ luật" in page.inner_text("#next-step h2")
        assert page.locator("#form option").all_inner_texts() == ["buộc thôi việc"]
        assert page.locator("text=Không thực hiện (đã có bản án)").count() == 5
        page.screenshot(
            path=str(ARTIFACTS / f"discipline-conviction-case-{width}x768.png"), full_page=True
        )
        context.close()
    assert errors == []
