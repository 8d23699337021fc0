"""Xác thực hai lớp in a browser at 1024×768 and 1366×768 on `serve --demo`: the demo's
admin gives the code its sign-in page shows; a unit head turns the second factor on
from the account page (QR code, secret, first code, recovery codes) and is asked for
a code at the next sign-in. pyotp plays the phone."""

from __future__ import annotations

import re
import time
from pathlib import Path
from typing import Any

import pyotp
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


def _page(browser: Any, size: dict[str, int]) -> Any:
    context = browser.new_context(viewport=size, locale="vi-VN", timezone_id="Asia/Ho_Chi_Minh")
    context.set_default_timeout(15_000)
    return context.new_page()


def _sign_in(page: Any, url: str, username: str) -> None:
    page.goto(f"{url}/login")
    page.fill("#username", username)
    page.fill("#password", DEMO_PASSWORD)
    page.get_by_role("button", name="Đăng nhập").click()


def _shots(page: Any, name: str) -> None:
    for size in SIZES:
        page.set_viewport_size(size)
        page.screenshot(
            path=str(ARTIFACTS / f"{name}-{size['width']}x{size['height']}.png"), full_page=True
        )


def test_enrolment_and_sign_in_with_the_second_factor(
    demo_server: DemoServer, browser: Any
) -> None:
    ARTIFACTS.mkdir(exist_ok=True)
    url = demo_server.url

    admin = _page(browser, SIZES[0])
    _sign_in(admin, url, "admin")
    expect(admin.get_by_role("heading", name="Xác thực hai lớp")).to_be_visible()
    expect(admin.locator(".demo-hint")).to_contain_text("mã xác thực hiện tại là")
    _shots(admin, "second-factor-code")
    pass_demo_second_factor(admin)
    admin.wait_for_url(f"{url}/")

    head = _page(browser, SIZES[1])
    _sign_in(head, url, "thutruong.truongvinh")
    head.wait_for_url(f"{url}/")
    head.goto(f"{url}/account/security")
    expect(head.get_by_text("Chưa bật xác thực hai lớp.")).to_be_visible()
    head.get_by_role("link", name="Bật xác thực hai lớp").click()
    expect(head.locator(".qr svg")).to_be_visible()
    secret = head.locator(".secret code").inner_text().replace(" ", "")
    assert re.fullmatch(r"[A-Z2-7]{32}", secret)
    _shots(head, "second-factor-enrol")
    head.fill("#code", "000000")
    head.get_by_role("button", name="Xác nhận và bật").click()
    expect(head.get_by_role("alert")).to_contain_text("Mã xác thực không đúng")
    head.fill("#code", pyotp.TOTP(secret).now())
    head.get_by_role("button", name="Xác nhận và bật").click()
    codes = head.locator(".recovery-codes code")
    expect(codes).to_have_count(10)
    _shots(head, "second-factor-recovery-codes")
    with head.expect_download() as download:
        head.get_by_role("button", name="Tải xuống (.txt)").click()
    saved = download.value.path()
    assert codes.first.inner_text() in Path(saved).read_text(encoding="utf-8")
    head.get_by_role("link", name="Tôi đã lưu các mã, tiếp tục").click()
    expect(head.get_by_text("Đã bật từ")).to_be_visible()
    _shots(head, "second-factor-account")

    head.context.clear_cookies()
    _sign_in(head, url, "thutruong.truongvinh")
    head.wait_for_url(re.compile(r"/login/second-factor$"))
    expect(head.locator(".demo-hint")).to_have_count(0)
    head.fill("#code", pyotp.TOTP(secret).at(time.time() + 30))
    head.get_by_label("Ghi nhớ thiết bị này trong 30 ngày").check()
    head.get_by_role("button", name="Xác nhận").click()
    head.wait_for_url(f"{url}/")
    head.goto(f"{url}/account/security")
    expect(head.get_by_role("row", name=re.compile("Chrome — "))).to_be_visible()
    _shots(head, "second-factor-devices")
