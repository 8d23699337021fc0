"""The tablet's forms as a browser set to English (en-US) shows them: dates read and are
typed dd/mm/yyyy, times 24-hour, whatever the browser's language."""

from __future__ import annotations

import re
from typing import Any

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import ARTIFACTS, DEMO_PASSWORD, DemoServer
from tests.browser.test_capture_offline import _arrival_time

pytestmark = pytest.mark.slow

VIEWPORTS = ({"width": 1024, "height": 768}, {"width": 1366, "height": 768})


def _sign_in(page: Any, url: str, username: str, next_url: str) -> None:
    page.goto(f"{url}/login?next={next_url}")
    page.fill("#username", username)
    page.fill("#password", DEMO_PASSWORD)
    page.get_by_role("button", name="Đăng nhập").click()


def test_dates_and_times_are_dd_mm_yyyy_and_24_hour_in_an_english_browser(
    demo_server: DemoServer, browser: Any
) -> None:
    ARTIFACTS.mkdir(exist_ok=True)
    for viewport in VIEWPORTS:
        size = f"{viewport['width']}x{viewport['height']}"
        context = browser.new_context(
            viewport=viewport, locale="en-US", timezone_id="Asia/Ho_Chi_Minh"
        )
        context.set_default_timeout(15_000)
        page = context.new_page()
        page_errors: list[str] = []
        page.on("pageerror", lambda error, seen=page_errors: seen.append(str(error)))

        # The team lead's surprise draw: a dd/mm/yyyy text field, not the browser's picker.
        _sign_in(page, demo_server.url, "truongdoan", "/plans/draw")
        field = page.locator("#scheduled_date")
        assert field.get_attribute("type") == "text"
        assert field.get_attribute("placeholder") == "dd/mm/yyyy"
        field.fill("31/12/2026")
        assert field.evaluate("f => f.checkValidity()")
        assert field.input_value() == "31/12/2026"
        page.screenshot(path=str(ARTIFACTS / f"plans-draw-date-en-US-{size}.png"))
        page.goto(f"{demo_server.url}/plans/new")
        dates = page.locator('input[name^="date_"]')
        assert dates.count() > 0
        assert {dates.nth(i).get_attribute("type") for i in range(dates.count())} == {"text"}
        context.clear_cookies()

        # The inspector's start time and a late arrival: 24-hour, typed as people write it.
        _sign_in(page, demo_server.url, "kiemtra", "/inspections")
        expect(page.locator("#capture-app[data-ready]")).to_be_attached()
        assigned = page.request.get(f"{demo_server.url}/api/v1/inspections/assigned").json()
        inspection = next(
            i for i in assigned if i["unit"]["code"] == "NA-TV" and i["kind"] == "SCHEDULED"
        )
        page.goto(f"{demo_server.url}/inspections/{inspection['id']}/capture")
        expect(page.locator("#capture-app[data-ready]")).to_be_attached()
        start = page.locator("#start-time")
        assert start.get_attribute("type") == "text"
        assert re.fullmatch(r"([01]\d|2[0-3]):[0-5]\d", start.input_value())
        if size == "1024x768":
            page.screenshot(path=str(ARTIFACTS / f"capture-start-time-en-US-{size}.png"))
            start.fill("0h01")
            page.get_by_role("button", name="Bắt đầu kiểm tra").click()
            expect(page.locator("#start-off-hours-why")).to_contain_text("Bắt đầu lúc 00:01")
            assert start.input_value() == "00:01"
            page.fill("#start-reason", "Kiểm tra việc trực ca đêm tại bộ phận một cửa")
            page.get_by_role("button", name="Bắt đầu kiểm tra").click()
            expect(page.locator('[data-panel="attendance"]')).to_be_visible()
            late = inspection["roster"][0]
            row = page.locator(f'.official[data-official-id="{late["id"]}"]')
            row.get_by_role("button", name="Đi muộn").click()
            arrival = row.locator("[name=arrival_time]")
            assert arrival.get_attribute("type") == "text"
            assert re.fullmatch(r"([01]\d|2[0-3]):[0-5]\d", arrival.input_value())
            typed = _arrival_time(inspection["sessions"]["morning_start"])
            arrival.fill(typed.replace(":", "h").lstrip("0"))
            row.get_by_role("button", name="Ghi nhận").click()
            expect(row.locator(".mark-state")).to_contain_text(typed)
            expect(row.locator(".record-state")).to_have_text("Đã gửi")
            page.screenshot(path=str(ARTIFACTS / f"capture-arrival-time-en-US-{size}.png"))
        assert page_errors == []
        context.close()
