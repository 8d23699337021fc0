"""Sign-in that says what is happening, in a browser at 1024×768 and 1366×768: a paused
sign-in and its duration, an administrator unlocking it, the language switch as a
one-click form, and a user changing their own password."""

from __future__ import annotations

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

NEW_PASSWORD = "song-lam-nuoc-chay-2026"
SIZES = ({"width": 1024, "height": 768}, {"width": 1366, "height": 768})


def _page(browser: Any, size: dict[str, int]) -> Any:
    context = browser.new_context(viewport=size, locale="vi-VN", timezone_id="Asia/Ho_Chi_Minh")
    context.set_default_timeout(15_000)
    return context.new_page()


def _sign_in(page: Any, url: str, username: str, password: str) -> None:
    page.goto(f"{url}/login")
    page.fill("#username", username)
    page.fill("#password", password)
    page.get_by_role("button", name="Đăng nhập").click()


def _shot(page: Any, name: str) -> None:
    size = page.viewport_size
    page.screenshot(path=str(ARTIFACTS / f"{name}-{size['width']}x{size['height']}.png"))


def test_a_paused_sign_in_is_explained_and_an_admin_unlocks_it(
    demo_server: DemoServer, browser: Any
) -> None:
    ARTIFACTS.mkdir(exist_ok=True)
    url = demo_server.url
    user = _page(browser, SIZES[0])
    for _ in range(5):
        _sign_in(user, url, "congchuc", "sai-mat-khau-roi")
    _sign_in(user, url, "congchuc", DEMO_PASSWORD)
    alert = user.get_by_role("alert")
    expect(alert).to_contain_text("Đăng nhập tạm dừng vì nhập sai mật khẩu nhiều lần")
    expect(alert).to_contain_text("15 phút")
    for size in SIZES:
        user.set_viewport_size(size)
        _shot(user, "login-paused")

    admin = _page(browser, SIZES[1])
    _sign_in(admin, url, "admin", DEMO_PASSWORD)
    pass_demo_second_factor(admin)
    admin.get_by_role("banner").get_by_role("link", name="Tài khoản tạm dừng đăng nhập").click()
    row = admin.get_by_role("row", name="congchuc")
    expect(row).to_contain_text("còn 15 phút")
    for size in SIZES:
        admin.set_viewport_size(size)
        _shot(admin, "accounts-paused")
    row.get_by_role("button", name="Mở khóa").click()
    expect(admin.get_by_role("status")).to_contain_text("Đã mở khóa tài khoản congchuc")

    _sign_in(user, url, "congchuc", DEMO_PASSWORD)
    expect(user).to_have_url(f"{url}/")


def test_the_language_switch_and_changing_ones_password(
    demo_server: DemoServer, browser: Any
) -> None:
    ARTIFACTS.mkdir(exist_ok=True)
    url = demo_server.url
    page = _page(browser, SIZES[1])
    _sign_in(page, url, "thidua", DEMO_PASSWORD)
    menu = page.locator("header.topbar details.menu summary")
    menu.click()
    expect(page.get_by_role("button", name="Đăng xuất")).to_be_visible()
    _shot(page, "topbar-vi")
    page.get_by_role("button", name="English").click()
    menu.click()
    expect(page.get_by_role("button", name="Sign out")).to_be_visible()
    _shot(page, "topbar-en")
    page.get_by_role("button", name="Tiếng Việt").click()
    menu.click()
    expect(page.get_by_role("button", name="Đăng xuất")).to_be_visible()

    page.locator(".menu-panel .who a").click()
    expect(page.get_by_role("heading", name="Đổi mật khẩu")).to_be_visible()
    page.fill("#current", DEMO_PASSWORD)
    page.fill("#new", "1234567890")
    page.fill("#confirmation", "1234567890")
    page.get_by_role("button", name="Đổi mật khẩu").click()
    expect(page.get_by_role("alert")).to_contain_text("quá phổ biến")
    for size in SIZES:
        page.set_viewport_size(size)
        _shot(page, "password-refused")
    page.fill("#current", DEMO_PASSWORD)
    page.fill("#new", NEW_PASSWORD)
    page.fill("#confirmation", NEW_PASSWORD)
    page.get_by_role("button", name="Đổi mật khẩu").click()
    expect(page.get_by_role("status")).to_contain_text("Đã đổi mật khẩu")
    _shot(page, "password-changed")
    page.locator("header.topbar details.menu summary").click()
    page.get_by_role("button", name="Đăng xuất").click()
    _sign_in(page, url, "thidua", NEW_PASSWORD)
    expect(page).to_have_url(f"{url}/")
