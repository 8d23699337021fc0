"""A tablet's first day: the inspector signs in once with signal, then opens the assigned
list and an inspection never opened before with none. Both come from what the service
worker kept at sign-in, not the browser's error page."""

from __future__ import annotations

from typing import Any

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import ARTIFACTS, DEMO_PASSWORD, DemoServer

pytestmark = pytest.mark.slow


def test_the_assigned_list_and_capture_pages_are_kept_at_sign_in(
    demo_server: DemoServer, browser: Any
) -> None:
    ARTIFACTS.mkdir(exist_ok=True)
    context = browser.new_context(
        viewport={"width": 1024, "height": 768}, locale="vi-VN", timezone_id="Asia/Ho_Chi_Minh"
    )
    context.set_default_timeout(20_000)
    page = context.new_page()
    page_errors: list[str] = []
    page.on("pageerror", lambda error: page_errors.append(str(error)))
    page.goto(f"{demo_server.url}/login")
    page.fill("#username", "kiemtra")
    page.fill("#password", DEMO_PASSWORD)
    page.get_by_role("button", name="Đăng nhập").click()
    # The home page, never the list: only the sign-in itself prepared the tablet.
    expect(page.locator("html[data-offline-ready]")).to_be_attached(timeout=30_000)
    kept = int(page.locator("html").get_attribute("data-offline-ready") or "-1")
    assigned = page.request.get(f"{demo_server.url}/api/v1/inspections/assigned").json()
    assert kept == len(assigned) > 0

    context.set_offline(True)
    page.goto(f"{demo_server.url}/inspections")
    expect(page.locator("#capture-app[data-ready]")).to_be_attached()
    for inspection in assigned:
        expect(page.locator("body")).to_contain_text(inspection["unit"]["name"])
    page.screenshot(path=str(ARTIFACTS / "offline-first-use-list-1024x768.png"))
    page.goto(f"{demo_server.url}/inspections/{assigned[-1]['id']}/capture")
    expect(page.locator("#capture-app[data-ready]")).to_be_attached()
    expect(page.locator("#inspection-unit")).to_have_text(assigned[-1]["unit"]["name"])
    page.screenshot(path=str(ARTIFACTS / "offline-first-use-capture-1024x768.png"))
    assert page_errors == []
    context.close()
