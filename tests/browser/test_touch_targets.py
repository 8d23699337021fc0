"""On a 1024×768 tablet every control of the inspector's pages is a finger's size
(≥ 44 px tall) and the top bar stays on one line (≤ 64 px), its other links in a menu."""

from __future__ import annotations

from typing import Any

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import ARTIFACTS, DEMO_PASSWORD, DemoServer

pytestmark = pytest.mark.slow

MIN_TARGET = 44
MAX_HEADER = 64

# Every visible control, with its size, that is smaller than a finger.
SMALL_CONTROLS = """(minimum) => {
  const selector = "a[href], button, input:not([type=hidden]), select, textarea, summary";
  return [...document.querySelectorAll(selector)]
    .filter((e) => e.getClientRects().length && getComputedStyle(e).visibility !== "hidden")
    .map((e) => {
      const box = e.getBoundingClientRect();
      // A visually hidden input inside its label (a chip, a photo button): the finger
      // touches the label.
      const label = e.closest("label");
      const hidden = box.width <= 2 || getComputedStyle(e).opacity === "0";
      return hidden && label ? {e, box: label.getBoundingClientRect()} : {e, box};
    })
    .filter(({box}) => box.width > 0 && box.height < minimum)
    .map(({e, box}) => `${e.tagName.toLowerCase()}${e.type ? "[" + e.type + "]" : ""} `
      + `"${(e.textContent || e.name || e.id).trim().slice(0, 40)}" ${Math.round(box.height)}px`);
}"""


def _check(page: Any, where: str) -> None:
    small = page.evaluate(SMALL_CONTROLS, MIN_TARGET)
    assert small == [], f"{where}: controls under {MIN_TARGET}px: {small}"
    header = page.locator("header.topbar").bounding_box()
    assert header is not None and header["height"] <= MAX_HEADER, f"{where}: header {header}"


def test_tablet_pages_have_finger_sized_controls_and_a_one_line_top_bar(
    demo_server: DemoServer, browser: Any
) -> None:
    ARTIFACTS.mkdir(exist_ok=True)
    context = browser.new_context(
        viewport={"width": 1024, "height": 768}, locale="vi-VN", timezone_id="Asia/Ho_Chi_Minh"
    )
    context.set_default_timeout(15_000)
    page = context.new_page()
    page.goto(f"{demo_server.url}/login?next=/inspections")
    _check(page, "login")
    page.fill("#username", "kiemtra")
    page.fill("#password", DEMO_PASSWORD)
    page.get_by_role("button", name="Đăng nhập").click()
    expect(page.locator("#capture-app[data-ready]")).to_be_attached()
    _check(page, "assigned inspections")
    # The rest of the top bar is behind one menu button; opened, its links are full size.
    menu = page.locator("header.topbar details.menu")
    menu.locator("summary").click()
    expect(menu.get_by_role("button", name="Đăng xuất")).to_be_visible()
    _check(page, "assigned inspections, menu open")
    page.screenshot(path=str(ARTIFACTS / "topbar-menu-open-1024x768.png"))
    menu.locator("summary").click()

    assigned = page.request.get(f"{demo_server.url}/api/v1/inspections/assigned").json()
    inspection = next(
        i for i in assigned if i["unit"]["code"] == "NA-TV" and i["kind"] == "SCHEDULED"
    )
    page.goto(f"{demo_server.url}/inspections/{inspection['id']}/capture")
    expect(page.locator("#capture-app[data-ready]")).to_be_attached()
    _check(page, "capture: start")
    page.screenshot(path=str(ARTIFACTS / "capture-touch-start-1024x768.png"))
    # The other steps open once the inspection has started.
    page.fill("#start-time", "00:01")
    page.get_by_role("button", name="Bắt đầu kiểm tra").click()
    page.fill("#start-reason", "Kiểm tra việc trực ca đêm tại bộ phận một cửa")
    page.get_by_role("button", name="Bắt đầu kiểm tra").click()
    expect(page.locator('[data-panel="attendance"]')).to_be_visible()
    for step in ("attendance", "conduct", "signatures", "finish"):
        page.locator(f'.steps [data-step="{step}"]').click()
        _check(page, f"capture: {step}")
        page.screenshot(path=str(ARTIFACTS / f"capture-touch-{step}-1024x768.png"))
    context.close()
