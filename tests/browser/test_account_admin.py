"""Account administration in a browser at 1024×768 and 1366×768: the administrator
creates an account, hands over its one-time password link, which a second browser
opens to set the password and sign in with it."""

from __future__ import annotations

import re
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

NEW_PASSWORD = "hoa-sen-trong-dam-2026"
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


def _shots(page: Any, name: str) -> None:
    for size in SIZES:
        page.set_viewport_size(size)
        page.screenshot(
            path=str(ARTIFACTS / f"{name}-{size['width']}x{size['height']}.png"), full_page=True
        )


def test_an_admin_creates_an_account_whose_link_sets_its_password(
    demo_server: DemoServer, browser: Any
) -> None:
    ARTIFACTS.mkdir(exist_ok=True)
    url = demo_server.url
    admin = _page(browser, SIZES[1])
    _sign_in(admin, url, "admin", DEMO_PASSWORD)
    pass_demo_second_factor(admin)
    admin.goto(f"{url}/accounts")
    expect(admin.get_by_role("heading", name="Tài khoản", exact=True)).to_be_visible()
    _shots(admin, "accounts-list")
    admin.get_by_role("link", name="Tạo tài khoản").click()
    admin.fill("#username", "thu.ha")
    admin.fill("#display_name", "Nguyễn Thu Hà")
    admin.select_option("#role", "inspector")
    admin.select_option("#unit_id", index=1)
    _shots(admin, "account-new")
    admin.get_by_role("button", name="Tạo tài khoản").click()
    link = admin.locator("#link").input_value()
    assert re.fullmatch(rf"{re.escape(url)}/password/reset/[\w-]+", link), link
    _shots(admin, "account-created")

    person = _page(browser, SIZES[0])
    person.goto(link)
    expect(person.get_by_text("thu.ha")).to_be_visible()
    person.fill("#new", NEW_PASSWORD)
    person.fill("#confirmation", NEW_PASSWORD)
    _shots(person, "password-link")
    person.get_by_role("button", name="Đặt mật khẩu").click()
    expect(person.get_by_role("status")).to_contain_text("Đã đặt mật khẩu cho tài khoản")
    _sign_in(person, url, "thu.ha", NEW_PASSWORD)
    expect(person).to_have_url(f"{url}/")
    person.goto(link)
    expect(person.get_by_role("alert")).to_contain_text("không còn hiệu lực")

    admin.goto(f"{url}/accounts")
    admin.get_by_role("link", name="Nguyễn Thu Hà").click()
    expect(admin.get_by_role("row", name="Trình duyệt")).to_be_visible()
    _shots(admin, "account-page")
