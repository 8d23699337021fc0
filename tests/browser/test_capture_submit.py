"""Finishing on the tablet, as the team sees it at 1024×768: a finding recorded by
mistake is edited, then withdrawn with a reason; the team lead's name comes from the team
and cannot be retyped; people nobody marked are listed before the minutes go, which needs
a confirmation the minutes then record."""

from __future__ import annotations

from typing import Any

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import ARTIFACTS, DEMO_PASSWORD, DemoServer

pytestmark = pytest.mark.slow


def test_findings_are_corrected_and_unmarked_people_confirmed_before_the_minutes_go(
    demo_server: DemoServer, browser: Any
) -> None:
    ARTIFACTS.mkdir(exist_ok=True)
    context = browser.new_context(
        viewport={"width": 1024, "height": 768}, locale="vi-VN", timezone_id="Asia/Ho_Chi_Minh"
    )
    context.set_default_timeout(15_000)
    page = context.new_page()
    page_errors: list[str] = []
    page.on("pageerror", lambda error: page_errors.append(str(error)))
    page.goto(f"{demo_server.url}/login?next=/inspections")
    page.fill("#username", "kiemtra")
    page.fill("#password", DEMO_PASSWORD)
    page.get_by_role("button", name="Đăng nhập").click()
    expect(page.locator("#capture-app[data-ready]")).to_be_attached()
    assigned = page.request.get(f"{demo_server.url}/api/v1/inspections/assigned").json()
    inspection = next(
        i for i in assigned if i["unit"]["code"] == "NA-TV" and i["kind"] == "SCHEDULED"
    )
    assert inspection["team_lead"]
    page.goto(f"{demo_server.url}/inspections/{inspection['id']}/capture")
    expect(page.locator("#capture-app[data-ready]")).to_be_attached()

    page.get_by_role("button", name="Bắt đầu kiểm tra").click()
    reason = page.locator("#start-reason")
    if reason.is_visible():  # the suite may run outside the unit's working hours
        reason.fill("Kiểm tra theo kế hoạch, ngoài giờ làm việc")
        page.get_by_role("button", name="Bắt đầu kiểm tra").click()
    expect(page.locator('[data-panel="attendance"]')).to_be_visible()
    first, *rest = inspection["roster"]
    row = page.locator(f'.official[data-official-id="{first["id"]}"]')
    row.get_by_role("button", name="Có mặt").click()
    expect(row.locator(".record-state")).to_have_text("Đã gửi", timeout=30_000)

    # A finding on a wrong chip is edited, then withdrawn: both kept as versions.
    page.locator('[data-step="conduct"]').click()
    page.select_option("#finding-subject", "")
    chips = page.locator("#checklist .chip")
    first_label = chips.nth(0).locator(".label").inner_text()
    second_label = chips.nth(1).locator(".label").inner_text()
    chips.nth(0).click()
    page.fill("#finding-facts", "Ghi nhầm hành vi")
    page.locator("#finding-save").click()
    item = page.locator("#finding-list .finding").first
    expect(item.locator(".what")).to_have_text(first_label)
    item.get_by_role("button", name="Sửa").click()
    expect(page.locator("#finding-editing")).to_contain_text(first_label)
    expect(page.locator("#finding-facts")).to_have_value("Ghi nhầm hành vi")
    page.locator("#checklist .chip").nth(1).click()
    page.locator("#finding-save").click()
    expect(page.locator("#finding-list .finding")).to_have_count(1)
    expect(item.locator(".what")).to_have_text(second_label)
    expect(item.locator(".record-state")).to_have_text("Đã gửi", timeout=30_000)
    item.get_by_role("button", name="Rút lại").click()
    dialog = page.locator("#withdraw-dialog")
    expect(dialog).to_be_visible()
    page.screenshot(path=str(ARTIFACTS / "capture-withdraw-finding-1024x768.png"))
    dialog.locator("#withdraw-confirm").click()
    expect(dialog.locator("[data-error]")).to_have_text("Nhập lý do rút lại.")
    page.fill("#withdraw-reason", "Đơn vị đã niêm yết ở cửa sau")
    dialog.locator("#withdraw-confirm").click()
    expect(item).to_have_class("finding withdrawn")
    expect(item.locator(".withdrawn-note")).to_have_text("Đã rút lại: Đơn vị đã niêm yết ở cửa sau")
    expect(page.locator("#finding-count")).to_have_text("0")
    expect(item.locator(".record-state")).to_have_text("Đã gửi", timeout=30_000)
    page.screenshot(path=str(ARTIFACTS / "capture-finding-withdrawn-1024x768.png"))

    page.locator('[data-step="signatures"]').click()
    lead = page.locator('form.signature[data-role="team_lead"]')
    name = lead.locator("[name=name]")
    expect(name).to_have_value(inspection["team_lead"])
    assert name.evaluate("n => n.readOnly")
    pad = lead.locator("canvas").bounding_box()
    assert pad is not None
    page.mouse.move(pad["x"] + 30, pad["y"] + 60)
    page.mouse.down()
    page.mouse.move(pad["x"] + 160, pad["y"] + 120, steps=8)
    page.mouse.move(pad["x"] + 260, pad["y"] + 70, steps=8)
    page.mouse.up()
    lead.get_by_role("button", name="Lưu chữ ký").click()
    expect(lead.locator(".signature-state")).to_contain_text(inspection["team_lead"])

    page.locator('[data-step="finish"]').click()
    warning = page.locator("#unmarked-warning")
    expect(warning).to_be_visible()
    expect(page.locator("#unmarked-title")).to_have_text(f"Còn {len(rest)} người chưa điểm danh:")
    expect(page.locator("#unmarked-list li")).to_have_count(len(rest))
    expect(page.locator("#unmarked-list")).to_contain_text(rest[0]["full_name"])
    page.screenshot(path=str(ARTIFACTS / "capture-finish-unmarked-1024x768.png"))
    page.get_by_role("button", name="Kết thúc cuộc kiểm tra").click()
    expect(page.locator("#submit-error")).to_contain_text("đánh dấu ô xác nhận")
    assert page.locator("#submit-done").is_hidden()

    page.once("dialog", lambda dialog: dialog.accept())
    page.locator("#unmarked-confirm").check()
    page.get_by_role("button", name="Kết thúc cuộc kiểm tra").click()
    expect(page.locator("#minutes-link")).to_be_visible(timeout=30_000)
    page.screenshot(path=str(ARTIFACTS / "capture-finish-submitted-1024x768.png"))
    minutes = page.request.get(f"{demo_server.url}/inspections/{inspection['id']}/minutes").text()
    assert f"Không điểm danh ({len(rest)} người" in minutes
    assert rest[0]["full_name"] in minutes
    assert second_label not in minutes and first_label not in minutes
    assert page_errors == []
    context.close()
