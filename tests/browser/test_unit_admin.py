"""The demo's administrator at a 1366×768 desk creates a commune, merges two communes
into it from 01/01/2026, and imports a roster with two bad rows (preview, confirm,
summary); the same pages are looked at on a 1024×768 screen."""

from __future__ import annotations

import re
from pathlib import Path
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

ROSTER = "\r\n".join(
    [
        "Mã,Họ và tên,Giới tính,Ngày sinh,Ngạch/loại,Chức vụ,Lãnh đạo,Mã đơn vị",
        "DL-001,Hoàng Văn Bình,Nam,12/04/1980,Cán bộ,Chủ tịch UBND,có,NA-DL",
        "DL-002,Nguyễn Thị Mai,Nữ,03/09/1991,Công chức,Văn phòng - Thống kê,không,NA-DL",
        "DL-003,Trần Quốc Anh,Nam,20/11/1988,Công chức,Tư pháp - Hộ tịch,không,NA-DL",
        "DL-004,Lê Thị Thu,Nữ,31/02/1990,Công chức,Địa chính,không,NA-DL",
        "DL-005,Phan Văn Sơn,Nam,,Công chức,Kế toán,không,NA-KHONGCO",
    ]
)


def _sign_in(browser: Any, server: DemoServer, width: int, next_path: str) -> tuple[Any, Any]:
    context = browser.new_context(
        viewport={"width": width, "height": 768}, locale="vi-VN", timezone_id="Asia/Ho_Chi_Minh"
    )
    context.set_default_timeout(30_000)
    page = context.new_page()
    page.goto(f"{server.url}/login?next={next_path}")
    page.fill("#username", "admin")
    page.fill("#password", DEMO_PASSWORD)
    page.get_by_role("button", name="Đăng nhập").click()
    pass_demo_second_factor(page)
    return context, page


def test_merge_two_communes_then_import_a_roster(
    demo_server: DemoServer, browser: Any, tmp_path: Path
) -> None:
    ARTIFACTS.mkdir(exist_ok=True)
    roster = tmp_path / "danh-sach-dien-loc.csv"
    roster.write_text(ROSTER + "\r\n", encoding="utf-8-sig")

    context, page = _sign_in(browser, demo_server, 1366, "/units")
    expect(page).to_have_url(re.compile(r"/units/?$"))
    page.get_by_role("link", name="Ủy ban nhân dân tỉnh Nghệ An", exact=True).click()
    page.get_by_role("link", name="Quản lý đơn vị và cán bộ").click()
    create = page.locator("#create")
    create.locator("input[name=code]").fill("NA-DL")
    create.locator("input[name=name]").fill("Xã Diễn Lộc")
    create.locator("select[name=commune_type]").select_option("xa")
    create.locator("input[name=valid_from]").fill("01/01/2026")
    create.get_by_role("button", name="Thêm đơn vị").click()
    expect(page.locator("[role=status]")).to_have_text("Đã tạo đơn vị.")
    expect(page.locator("h1")).to_contain_text("Xã Diễn Lộc")

    merge = page.locator("#merge")
    merge.locator("label", has_text="Xã Diễn Châu (NA-DC)").locator("input").check()
    merge.locator("label", has_text="Xã Nghi Lộc (NA-NL)").locator("input").check()
    merge.locator("input[name=effective]").fill("01/01/2026")
    merge.get_by_role("button", name="Sáp nhập").click()
    expect(page.locator("[role=status]")).to_have_text(
        "Đã sáp nhập các đơn vị đã chọn vào đơn vị này."
    )
    expect(page.locator("#accounts-moved")).to_contain_text(
        "tài khoản có phạm vi là đơn vị được sáp nhập đã chuyển phạm vi sang đơn vị này."
    )
    expect(page.locator("#moves")).to_contain_text("Sáp nhập Xã Diễn Châu vào Xã Diễn Lộc")
    page.screenshot(path=str(ARTIFACTS / "unit-merge-1366x768.png"), full_page=True)
    # The merged communes stay readable, marked as merged.
    page.goto(f"{demo_server.url}/units")
    expect(page.locator("main")).to_contain_text("Đã sáp nhập vào NA-DL")

    page.goto(f"{demo_server.url}/units/roster")
    page.set_input_files("input[name=file]", str(roster))
    page.get_by_role("button", name="Xem trước").click()
    preview = page.locator("#roster-preview")
    expect(preview).to_be_visible()
    assert re.search(r"Cán bộ mới\s+3", preview.inner_text())
    assert re.search(r"Dòng bị loại\s+2", preview.inner_text())
    rejected = page.locator("#rejected-rows")
    expect(rejected).to_contain_text("Ngày sinh “31/02/1990” không đúng dạng dd/mm/yyyy.")
    expect(rejected).to_contain_text("Không có đơn vị mã NA-KHONGCO trong phạm vi của bạn.")
    page.screenshot(path=str(ARTIFACTS / "roster-preview-1366x768.png"), full_page=True)
    page.get_by_role("button", name="Xác nhận nhập").click()
    result = page.locator("#roster-result")
    expect(result).to_be_visible()
    assert re.search(r"Cán bộ mới\s+3", result.inner_text())
    page.screenshot(path=str(ARTIFACTS / "roster-result-1366x768.png"), full_page=True)

    # The same session at a tablet's width: a second sign-in within the same 30 s would
    # need the code the first one used, which the server accepts only once.
    page.set_viewport_size({"width": 1024, "height": 768})
    page.goto(f"{demo_server.url}/units/roster")
    page.set_input_files("input[name=file]", str(roster))
    page.get_by_role("button", name="Xem trước").click()
    preview = page.locator("#roster-preview")
    expect(preview).to_be_visible()
    assert re.search(r"Cán bộ không đổi\s+3", preview.inner_text())
    page.screenshot(path=str(ARTIFACTS / "roster-preview-1024x768.png"), full_page=True)
    page.goto(f"{demo_server.url}/units")
    page.get_by_role("link", name="Xã Diễn Lộc", exact=True).click()
    page.get_by_role("link", name="Quản lý đơn vị và cán bộ").click()
    expect(page.locator("#officials")).to_contain_text("Hoàng Văn Bình")
    page.screenshot(path=str(ARTIFACTS / "unit-admin-1024x768.png"), full_page=True)
    context.close()
